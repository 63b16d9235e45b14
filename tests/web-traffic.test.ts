// Chart and data-credit accumulators (modules/web/traffic.ts) and Helium's DC price per packet.
import { test } from "node:test";
import assert from "node:assert/strict";
import { packetDataCredits } from "../modules/web/status.js";
import { TrafficStats } from "../modules/web/traffic.js";

test("one DC per 24 bytes of payload, rounded up, at least one per packet (helium/oracles payload_size_to_dc)", () => {
  const table: [number, number][] = [[0, 1], [1, 1], [23, 1], [24, 1], [25, 2], [48, 2], [49, 3], [222, 10], [242, 11]];
  for (const [bytes, dc] of table) assert.equal(packetDataCredits(bytes), dc, `${bytes} bytes`);
  const t = new TrafficStats();
  for (const bytes of [0, 24, 25, 242]) t.recordCarried(bytes);
  assert.deepEqual(t.dataCredits(), { packets: 4, credits: 1 + 1 + 2 + 11 });
});

test("packets per minute: a fixed ring of the last N minutes, gaps zeroed, oldest first", () => {
  const t = new TrafficStats({ minutes: 5 });
  const m = 60_000;
  t.recordHeard(-80, 10 * m + 1);
  t.recordHeard(-80, 10 * m + 2);
  t.recordHeard(-80, 11 * m);
  assert.deepEqual(t.packetsPerMinute(11 * m + 5), [0, 0, 0, 2, 1]);
  t.recordHeard(-80, 14 * m);
  assert.deepEqual(t.packetsPerMinute(14 * m), [2, 1, 0, 0, 1]);
  // After a silence longer than the window everything has aged out.
  assert.deepEqual(t.packetsPerMinute(30 * m), [0, 0, 0, 0, 0]);
  t.recordHeard(-80, 30 * m + 1);
  assert.deepEqual(t.packetsPerMinute(31 * m), [0, 0, 0, 1, 0]);
});

test("RSSI histogram: fixed bins, out-of-range values land in the end bins", () => {
  const t = new TrafficStats({ fromDbm: -140, binDb: 10, bins: 4 });
  for (const rssi of [-200, -140, -131, -130, -111, -110, -20]) t.recordHeard(rssi, 0);
  assert.deepEqual(t.rssiHistogram(), { fromDbm: -140, binDb: 10, counts: [3, 1, 1, 2] });
});
