// Compares what the chip model says it received (RxDone with a good CRC) with what the software
// above it delivered: every receivable uplink exactly once, nothing else.
import assert from "node:assert/strict";
import type { Sx1262Model } from "../../sim/sx1262-model.js";

export interface Delivered {
  payload: Uint8Array;
  micros: number;
  rssi: number;
  snr: number;
}

export function assertExactlyOnce(model: Sx1262Model, delivered: readonly Delivered[], what: string): number {
  const receivable = model.receptions.filter((r) => r.outcome === "ok");
  const key = (payload: Uint8Array, end: number) => `${Buffer.from(payload).toString("hex")}@${Math.round(end)}`;
  const expected = new Map<string, (typeof receivable)[number]>();
  for (const r of receivable) {
    const k = key(r.tx.payload, r.tx.end);
    assert.ok(!expected.has(k), `${what}: the model received ${k} twice`);
    expected.set(k, r);
  }
  const seen = new Set<string>();
  for (const d of delivered) {
    const k = key(d.payload, d.micros);
    const r = expected.get(k);
    assert.ok(r !== undefined, `${what}: delivered ${k}, which the model did not receive`);
    assert.ok(!seen.has(k), `${what}: delivered ${k} twice`);
    seen.add(k);
    // GetPacketStatus carries SNR in 0.25 dB steps as an int8: -32..+31.75 dB.
    const snr = Math.max(-32, Math.min(31.75, r.snr));
    assert.ok(Math.abs(d.rssi - r.rssi) <= 0.5 && Math.abs(d.snr - snr) <= 0.25, `${what}: status of ${k}: ${d.rssi}/${d.snr} vs ${r.rssi}/${r.snr}`);
  }
  assert.equal(seen.size, expected.size, `${what}: ${expected.size - seen.size} receivable uplinks were not delivered`);
  return seen.size;
}
