// modules/poc logic with fakes on a virtual clock: the ingest session (checked with protobufjs
// and @noble/curves), beacon scheduling (window alignment, one beacon per window, re-anchoring),
// the gates (wall clock, region UNKNOWN, data-only mode), the witness filter, the dedup cache and
// own-beacon suppression, and the bounded PoC log. Expected beacons come from the reference
// beacon (tests/support/reference-beacon.ts: @noble SHA-256 + ChaCha12), not from the core.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ed25519 } from "@noble/curves/ed25519.js";
import { Poc } from "../modules/poc/poc.js";
import { MessageCache } from "../modules/poc/message-cache.js";
import { nextBeaconTime, randomBelow, windowStart } from "../modules/poc/schedule.js";
import { isPotentialBeacon } from "../modules/poc/witness.js";
import { PocLog } from "../modules/poc/poc-log.js";
import { gatewayKeyFromSeed } from "../modules/identity/gateway-key.js";
import { core } from "./support/core.js";
import { VirtualTime } from "./support/virtual-time.js";
import { FakeEntropy, FakeRadio, RecordingTransport, seededRandom } from "./support/poc-rig.js";
import { loadOurProtos } from "./support/helium-protos.js";
import { referenceBeacon } from "./support/reference-beacon.js";
import { VECTORS } from "./support/vectors.js";

const hex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
const EU868 = hex(VECTORS.eu868_region_params.blockchainRegionParamsV1Hex);
const protos = loadOurProtos(true);
const Request = protos.lookupType("helium.poc_lora.lora_stream_request_v1");
const Response = protos.lookupType("helium.poc_lora.lora_stream_response_v1");
const SessionInit = protos.lookupType("helium.poc_lora.lora_stream_session_init_v1");
const WitnessType = protos.lookupType("helium.poc_lora.lora_witness_report_req_v1");
const BeaconType = protos.lookupType("helium.poc_lora.lora_beacon_report_req_v1");

type Plain = Record<string, unknown>;
const decodeRequest = (b: Uint8Array) => Request.toObject(Request.decode(b), { longs: String, defaults: false }) as Record<string, Plain>;
const offer = (nonce: Uint8Array) => Response.encode(Response.fromObject({ offer: { nonce } })).finish();
/** protobufjs re-encoding of a decoded member without its signature (only wire fields are set). */
function unsignedBytes(type: typeof WitnessType, member: Plain): Uint8Array {
  const copy = { ...member };
  delete copy.signature;
  return type.encode(type.fromObject(copy)).finish();
}

const T_START = 1_700_000_000_000; // Unix ms at the rig's start
const gateway = gatewayKeyFromSeed(core, new Uint8Array(32).fill(0x42));

function rig(options: { wall?: number | undefined; interval?: number; enabled?: boolean; seed?: number } = {}) {
  const vt = new VirtualTime(0, "wall" in options ? options.wall : T_START);
  const radio = new FakeRadio(vt, 1200);
  let n = 0;
  const entropy = new FakeEntropy(() => ({ data: new Uint8Array(32).fill(++n), timestamp: Math.floor((vt.clock.wallMillis() ?? 0) / 1000), version: 0 }));
  const poc = new Poc({
    core, clock: vt.clock, timers: vt.timers, random: seededRandom(options.seed ?? 11), gateway, entropy, radio,
    intervalSeconds: options.interval ?? 60, enabled: options.enabled, logCapacity: 32,
  });
  const transport = new RecordingTransport();
  poc.attachTransport(transport);
  const session = () => {
    poc.session.onOpen();
    poc.session.onMessage(offer(new Uint8Array(32).fill(9)));
  };
  return { vt, radio, entropy, poc, transport, session };
}

const frame = (data: Uint8Array, extra: Partial<Parameters<Poc["onFrame"]>[0]> = {}) => ({
  payload: Uint8Array.from([0xe0, ...data]), tmst: 4242, rssi: -100.5, snr: 6.25, freq: 867500000, datarate: "SF12BW125", crcOk: true, ...extra,
});

// ------------------------------------------------------------------ session

test("session: the offer is answered at once with a fresh session key signed by the gateway key; a new stream gets a new key", () => {
  const { poc, transport, session } = rig();
  session();
  assert.equal(poc.session.state, "ready");
  assert.equal(transport.healthy, 1);
  const init = decodeRequest(transport.sent[0]).session_init as { pub_key: Uint8Array; nonce: Uint8Array; session_key: Uint8Array; signature: Uint8Array };
  assert.deepEqual(new Uint8Array(init.pub_key), gateway.publicKeyBin);
  assert.deepEqual(new Uint8Array(init.nonce), new Uint8Array(32).fill(9));
  assert.equal(init.session_key.length, 33);
  assert.equal(init.session_key[0], 0x01);
  assert.ok(ed25519.verify(new Uint8Array(init.signature), unsignedBytes(SessionInit, init as unknown as Plain), gateway.publicKey));
  poc.session.onClose();
  assert.equal(poc.session.state, "down");
  session();
  const again = decodeRequest(transport.sent[1]).session_init as { session_key: Uint8Array };
  assert.notDeepEqual(new Uint8Array(again.session_key), new Uint8Array(init.session_key));
});

test("session: nothing is signed before the wall clock is valid; reports without a session are dropped and counted", () => {
  const { poc, transport, session, vt } = rig({ wall: undefined });
  poc.setRegion({ region: "EU868", params: EU868, gainX10: 12 });
  session();
  assert.equal(transport.sent.length, 0, "no session_init signed");
  assert.deepEqual(transport.disconnects, ["wall clock not valid: nothing is signed yet"]);
  assert.equal(poc.session.state, "awaiting-offer");
  assert.equal(poc.onFrame(frame(new Uint8Array(51).fill(1))), true);
  assert.equal(transport.sent.length, 0, "no witness signed");
  assert.equal(poc.status().counters.reportsDropped, 1);
  vt.wallBaseMillis = T_START; // SNTP arrives
  poc.session.onOpen();
  poc.session.onMessage(offer(new Uint8Array(32)));
  assert.equal(poc.session.state, "ready");
  // a garbage message from ingest drops the stream instead of crashing
  poc.session.onMessage(Uint8Array.from([0x0a, 0x05, 0x01]));
  assert.equal(transport.disconnects.length, 2);
});

// ------------------------------------------------------------------ scheduling

test("schedule: mk_next_beacon_time keeps a future time, moves a done window on, and fills the rest of a missed window", () => {
  const I = 6 * 3600;
  const now = 1_700_000_000;
  const seg = windowStart(now, I);
  const fixed = (v: number) => () => v;
  assert.equal(nextBeaconTime(now, now + 10, I, fixed(0)), now + 10);
  assert.equal(nextBeaconTime(now, seg + 1, I, fixed(77)), seg + I + 77, "already beaconed in this window");
  assert.equal(nextBeaconTime(now, seg - 5, I, fixed(3)), now + 3, "previous window: somewhere in the rest of this one");
  let maxSeen = 0;
  for (let r = 0; r < 1000; r++) {
    const t = nextBeaconTime(now, seg - 5, I, (n) => { maxSeen = Math.max(maxSeen, n); return n - 1; });
    assert.ok(t < seg + I);
  }
  assert.equal(maxSeen, seg + I - now);
  // no previous: a random slot in this window, or the next window when that slot has passed
  for (let k = 0; k < 200; k++) {
    const t = nextBeaconTime(now, undefined, I, (n) => (k * 7919) % n);
    assert.ok((t > now && t < seg + I) || (t >= seg + I && t < seg + 2 * I), `${t - seg}`);
  }
  const random = seededRandom(5);
  const counts = new Array(7).fill(0);
  for (let i = 0; i < 7000; i++) counts[randomBelow(random, 7)]++;
  assert.ok(counts.every((c) => c > 850 && c < 1150), counts.join(","));
});

test("beaconer: over 20 windows of 60 s, exactly one beacon per UTC-aligned window, at a whole second, each with fresh entropy", () => {
  const { poc, radio, entropy, transport, session, vt } = rig({ interval: 60 });
  session();
  poc.setRegion({ region: "EU868", params: EU868, gainX10: 12, timestampSeconds: T_START / 1000 });
  poc.start();
  vt.advance(20 * 60_000 + 500);
  const windows = radio.sent.map((s) => Math.floor(s.wallMillis! / 60_000));
  assert.ok(radio.sent.length >= 19 && radio.sent.length <= 20, `${radio.sent.length} beacons`);
  assert.equal(new Set(windows).size, windows.length, "never two in one window");
  for (const s of radio.sent) assert.equal(s.wallMillis! % 1000, 0, "on a whole second");
  assert.equal(entropy.fetches, radio.sent.length);
  // each transmission is the reference beacon of its entropy and the report's local entropy
  const reports = transport.sent.map(decodeRequest).filter((r) => r.beacon_report).map((r) => r.beacon_report as Record<string, Uint8Array & number>);
  assert.equal(reports.length, radio.sent.length);
  reports.forEach((report, i) => {
    const ref = referenceBeacon(new Uint8Array(report.remote_entropy), BigInt(Math.floor(radio.sent[i].wallMillis! / 1000)), new Uint8Array(report.local_entropy), EU868, 12);
    assert.ok(typeof ref !== "string");
    const tx = radio.sent[i].tx;
    assert.deepEqual(tx.frame, Uint8Array.from([0xe0, ...ref.data]));
    assert.deepEqual([tx.frequencyHz, tx.datarate, tx.powerDbm], [ref.frequency, ref.datarateName, ref.conductedPower]);
  });
  assert.equal(new Set(reports.map((r) => Buffer.from(r.remote_entropy).toString("hex"))).size, reports.length);
});

test("beaconer: the report carries the power the radio used and its TX tmst, signed by the session key; failures are logged", () => {
  const { poc, radio, transport, session, vt } = rig({ interval: 60 });
  session();
  const sessionKey = new Uint8Array((decodeRequest(transport.sent[0]).session_init as { session_key: Uint8Array }).session_key).subarray(1);
  radio.powerCap = 11;
  poc.setRegion({ region: "EU868", params: EU868, gainX10: 12 });
  poc.start();
  vt.advance(125_000);
  const report = decodeRequest(transport.sent[1]).beacon_report as Record<string, unknown>;
  assert.equal(report.tx_power, 11);
  assert.equal(report.tmst, Math.floor(radio.sent[0].atMicros) >>> 0);
  assert.equal(report.channel, undefined, "channel 0 is not written");
  assert.ok(ed25519.verify(new Uint8Array(report.signature as Uint8Array), unsignedBytes(BeaconType, report as Plain), sessionKey));
  const entry = poc.entries().find((e) => e.kind === "beacon")!;
  assert.deepEqual([entry.frequencyHz, entry.datarate, entry.powerDbm], [radio.sent[0].tx.frequencyHz, "SF12BW125", 11]);
  radio.fail = "TX_FREQ";
  const before = poc.status().counters;
  vt.advance(120_000);
  assert.ok(poc.status().counters.beaconsFailed > before.beaconsFailed);
  assert.match(poc.entries().at(-1)!.message, /TX_FREQ/);
});

test("beaconer: re-anchoring on the region params' timestamp - no second beacon in a window already used", () => {
  const { poc, radio, session, vt } = rig({ interval: 600, seed: 3 });
  session();
  const region = { region: "EU868", params: EU868, gainX10: 12 };
  poc.setRegion({ ...region, timestampSeconds: T_START / 1000 });
  poc.start();
  vt.advance(1_300_000); // a bit over two windows
  const firstCount = radio.sent.length;
  assert.ok(firstCount >= 1);
  const last = radio.sent.at(-1)!.wallMillis!;
  // the config service refreshes right after the last beacon: the next one must wait for the next window
  poc.setRegion({ ...region, timestampSeconds: Math.floor((vt.clock.wallMillis() ?? 0) / 1000) });
  assert.ok(Math.floor(poc.status().nextBeaconSeconds! / 600) > Math.floor(last / 600_000));
  vt.advance(2 * 600_000);
  const windows = radio.sent.map((s) => Math.floor(s.wallMillis! / 600_000));
  assert.equal(new Set(windows).size, windows.length);
});

test("gates: no beacons while the region is UNKNOWN, in data-only mode, or before the wall clock is valid", () => {
  for (const [name, setup] of [
    ["region UNKNOWN", (poc: Poc) => poc.setRegion({ region: "UNKNOWN", params: EU868, gainX10: 12 })],
    ["no region", (poc: Poc) => poc.setRegion(undefined)],
    ["data-only", (poc: Poc) => (poc.setRegion({ region: "EU868", params: EU868, gainX10: 12 }), poc.setEnabled(false))],
  ] as const) {
    const { poc, radio, vt, session } = rig({ interval: 60 });
    session();
    setup(poc);
    poc.start();
    vt.advance(5 * 60_000);
    assert.equal(radio.sent.length, 0, name);
    assert.ok(poc.status().blockedBy, name);
    assert.ok(poc.entries().some((e) => e.kind === "skip"), name);
    assert.equal(poc.onFrame(frame(new Uint8Array(51).fill(3))), true, `${name}: a beacon-shaped frame is consumed`);
    assert.equal(poc.status().counters.witnessesHeard, 0, `${name}: but not witnessed`);
  }
  const { poc, radio, vt } = rig({ interval: 60, wall: undefined });
  poc.setRegion({ region: "EU868", params: EU868, gainX10: 12 });
  poc.start();
  vt.advance(5 * 60_000);
  assert.equal(radio.sent.length, 0, "wall clock invalid");
  assert.match(poc.entries().at(-1)!.message, /wall clock not valid/);
});

// ------------------------------------------------------------------ witnesses

test("witness: beacon-shaped frames only (proprietary, Major 0, 52 bytes, CRC good, LoRa SF7-12)", () => {
  assert.equal(isPotentialBeacon(Uint8Array.from([0xe0, ...new Uint8Array(51)])), true);
  assert.equal(isPotentialBeacon(Uint8Array.from([0xfc, ...new Uint8Array(51)])), true, "RFU bits are not checked");
  assert.equal(isPotentialBeacon(Uint8Array.from([0xe1, ...new Uint8Array(51)])), false, "Major 1");
  assert.equal(isPotentialBeacon(Uint8Array.from([0x40, ...new Uint8Array(51)])), false, "an uplink");
  assert.equal(isPotentialBeacon(Uint8Array.from([0xe0, ...new Uint8Array(50)])), false, "51 bytes");
  assert.equal(isPotentialBeacon(Uint8Array.from([0xe0, ...new Uint8Array(52)])), false, "53 bytes");
  const { poc, transport, session } = rig();
  session();
  poc.setRegion({ region: "EU868", params: EU868, gainX10: 12 });
  const data = new Uint8Array(51).fill(7);
  assert.equal(poc.onFrame(frame(data, { crcOk: false })), false);
  assert.equal(poc.onFrame(frame(data, { datarate: "SF5BW125" })), false);
  assert.equal(poc.onFrame(frame(data, { datarate: "FSK50" })), false);
  assert.equal(poc.onFrame({ ...frame(data), payload: Uint8Array.from([0x40, ...data]) }), false);
  assert.equal(transport.sent.length, 1, "only the session_init so far");
  assert.equal(poc.onFrame(frame(data, { datarate: "SF7BW500" })), true);
  assert.equal(transport.sent.length, 2);
});

test("witness: the report (deci-dBm signal, truncated deci-dB snr, Hz, tmst, ns time) goes out at once, signed by the session key", () => {
  const { poc, transport, session, vt } = rig();
  session();
  const sessionKey = new Uint8Array((decodeRequest(transport.sent[0]).session_init as { session_key: Uint8Array }).session_key).subarray(1);
  poc.setRegion({ region: "EU868", params: EU868, gainX10: 12 });
  vt.advance(1500);
  const data = Uint8Array.from({ length: 51 }, (_, i) => i);
  poc.onFrame(frame(data, { rssi: -118, signalRssi: -121.5, snr: -12.75, tmst: 0xfffffff0, freq: 867700000, datarate: "SF9BW125" }));
  const w = decodeRequest(transport.sent[1]).witness_report as Record<string, unknown>;
  assert.deepEqual(new Uint8Array(w.data as Uint8Array), data);
  assert.deepEqual(new Uint8Array(w.pub_key as Uint8Array), gateway.publicKeyBin);
  assert.equal(w.signal, -1220, "signal RSSI preferred, whole dBm (half away from zero) x 10");
  assert.equal(w.snr, -127, "truncated toward zero");
  assert.equal(w.tmst, 0xfffffff0);
  assert.equal(String(w.frequency), "867700000");
  assert.equal(w.datarate, 3, "SF9BW125");
  assert.equal(String(w.timestamp), String(BigInt(T_START + 1500) * 1_000_000n));
  assert.ok(ed25519.verify(new Uint8Array(w.signature as Uint8Array), unsignedBytes(WitnessType, w as Plain), sessionKey));
});

test("witness: the 15-entry cache drops duplicates and the hotspot's own beacon; the oldest entry falls out", () => {
  const { poc, transport, session, radio, vt } = rig({ interval: 60 });
  session();
  poc.setRegion({ region: "EU868", params: EU868, gainX10: 12 });
  poc.start();
  vt.advance(125_000);
  assert.ok(radio.sent.length >= 1);
  const own = radio.sent[0].tx.frame;
  const sentBefore = transport.sent.length;
  poc.onFrame({ ...frame(new Uint8Array(51)), payload: own });
  assert.equal(transport.sent.length, sentBefore, "own beacon not witnessed");
  assert.equal(poc.status().counters.ownBeaconsHeard, 1);
  const payloads = Array.from({ length: 16 }, (_, i) => new Uint8Array(51).fill(100 + i));
  poc.onFrame(frame(payloads[0]));
  poc.onFrame(frame(payloads[0]));
  assert.equal(poc.status().counters.duplicatesDropped, 1);
  for (const p of payloads.slice(1)) poc.onFrame(frame(p));
  assert.equal(poc.status().counters.witnessesSubmitted, 16);
  poc.onFrame(frame(payloads[0])); // pushed out by 15 newer payloads: reported again
  assert.equal(poc.status().counters.witnessesSubmitted, 17);
  const cache = new MessageCache(15);
  assert.equal(cache.tag(payloads[1]), true);
  assert.equal(cache.tag(payloads[1]), false);
  for (let i = 0; i < 30; i++) cache.tag(new Uint8Array([i]));
  assert.equal(cache.size, 15);
});

test("PoC log: a bounded ring that keeps the newest entries and counts what it dropped", () => {
  const log = new PocLog(5);
  for (let i = 0; i < 12; i++) log.add({ wallMillis: i, millis: i, kind: "witness", message: `w${i}` });
  assert.deepEqual(log.entries().map((e) => e.message), ["w7", "w8", "w9", "w10", "w11"]);
  assert.equal(log.dropped, 7);
  const { poc, vt, session } = rig({ interval: 60 });
  session();
  poc.setRegion({ region: "EU868", params: EU868, gainX10: 12 });
  poc.start();
  vt.advance(60 * 60_000);
  for (let i = 0; i < 50; i++) poc.onFrame(frame(new Uint8Array(51).fill(i)));
  assert.equal(poc.entries().length, 32);
  assert.ok(poc.log.dropped > 0);
});
