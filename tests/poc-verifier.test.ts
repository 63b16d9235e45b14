// devnet/poc's verifier against beacons and witnesses built by an oracle in this test: the
// reference beacon (tests/support/reference-beacon.ts: @noble SHA-256 + ChaCha12, protobufjs),
// spec 8.6 vector V1, and expected RSSI computed here from the free-space formula. Each negative
// case must be rejected with the verifier's reason name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { latLngToCell } from "h3-js";
import { rebuildBeacon, decodeRegionParams } from "../devnet/poc/beacon.js";
import { PocVerifier, type WitnessResult, type BeaconResult } from "../devnet/poc/verifier.js";
import { EntropyLedger, PocWorld } from "../devnet/poc/world.js";
import type { BeaconReportMsg, WitnessReportMsg } from "../devnet/poc/protos.js";
import { referenceBeacon } from "./support/reference-beacon.js";
import { VECTORS } from "./support/vectors.js";

const fromHex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const EU868 = fromHex(VECTORS.eu868_region_params.blockchainRegionParamsV1Hex);
const US915_HEX =
  "0a2908e0d681af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0f18daf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e08b9aaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0a6a6af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e0c0b2af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0dbbeaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e0f5caaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a090d7af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a050801108002";

test("the verifier's beacon rebuild reproduces spec 8.6 V1-V3 and the reference beacon on random inputs", () => {
  const v1Remote = { data: new Uint8Array(Buffer.from("CE98+3O9JaKJYQqNO7vCF94iOVasA/TaWfdcpvLmcWs=", "base64")), timestamp: 1663702455, version: 0 };
  const eu = rebuildBeacon(v1Remote, fromHex("01020304"), decodeRegionParams(EU868), 12);
  assert.ok(eu.ok);
  assert.equal(Buffer.from(eu.beacon.data).toString("hex"), "a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e");
  assert.deepEqual([eu.beacon.frequency, eu.beacon.datarate, eu.beacon.conductedPower], [867300000, 0, 14]);
  const us = rebuildBeacon(v1Remote, fromHex("01020304"), decodeRegionParams(fromHex(US915_HEX)), 12);
  assert.ok(us.ok);
  assert.deepEqual([us.beacon.frequency, us.beacon.datarate, us.beacon.conductedPower], [904100000, 3, 34]);
  const v2 = rebuildBeacon({ data: new Uint8Array(0), timestamp: 1780000000, version: 0 }, fromHex("deadbeef"), decodeRegionParams(fromHex(US915_HEX)), 12);
  assert.ok(v2.ok);
  assert.equal(Buffer.from(v2.beacon.data).toString("hex"), "60531a0efb988e716743ed1c9448f77a4d643eb86ed4bcd3476c36c61518d08d9b273fd22870a7a54a1e1c3ecfa9f22f85d481");
  assert.equal(v2.beacon.frequency, 903900000);
  const v3 = rebuildBeacon({ data: new Uint8Array(32), timestamp: 0, version: 0 }, new Uint8Array(4), decodeRegionParams(fromHex(US915_HEX)), 12);
  assert.ok(v3.ok);
  assert.equal(v3.beacon.frequency, 904900000);
  let refusals = 0;
  for (let i = 0; i < 200; i++) {
    const remote = new Uint8Array(randomBytes(i % 40));
    const ts = 1_600_000_000 + i * 7919;
    const local = new Uint8Array(randomBytes(4));
    const gain = (i * 13) % 200;
    const params = i % 2 ? EU868 : fromHex(US915_HEX);
    const ours = rebuildBeacon({ data: remote, timestamp: ts, version: 0 }, local, decodeRegionParams(params), gain);
    const ref = referenceBeacon(remote, BigInt(ts), local, params, gain);
    if (typeof ref === "string") {
      assert.equal(ours.ok, false, ref); // e.g. a gain above the EIRP limit
      refusals++;
      continue;
    }
    assert.ok(ours.ok);
    assert.deepEqual([ours.beacon.data, ours.beacon.frequency, ours.beacon.datarate, ours.beacon.conductedPower], [ref.data, ref.frequency, ref.datarate, ref.conductedPower]);
  }
  assert.ok(refusals > 0 && refusals < 100, `${refusals}`);
  assert.deepEqual(rebuildBeacon(v1Remote, fromHex("01020304"), [], 12), { ok: false, error: "no region params" });
  assert.equal(rebuildBeacon({ ...v1Remote, version: 2 }, fromHex("01020304"), decodeRegionParams(EU868), 12).ok, false);
});

// ------------------------------------------------------------------ a small world in EU868

const T0 = 1_700_000_000; // entropy timestamp, s
const WINDOW = 6 * 3600;
const key = (n: number) => Uint8Array.from([0x01, ...new Uint8Array(32).fill(n)]);
const A = key(1); // beaconer
const B = key(2); // ~2.3 km east
const C = key(3); // ~6 km north
const D = key(4); // ~150 km away
const E = key(5); // ~100 m from A
const F = key(6); // asserted in another region
const U = key(7); // not asserted
const X = key(8); // unknown to the world
const GAIN = 12;
const SITES: Record<number, { lat: number; lon: number }> = {
  1: { lat: 52.37, lon: 4.9 },
  2: { lat: 52.37, lon: 4.934 },
  3: { lat: 52.424, lon: 4.9 },
  4: { lat: 51.2, lon: 3.8 },
  5: { lat: 52.3709, lon: 4.9 },
  6: { lat: 52.37, lon: 4.96 },
};

function freeSpaceDbm(txDbm: number, freqHz: number, a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  // haversine on the sphere of radius 6371 km (the verifier measures between H3 cell centres with
  // H3's radius; the ~tens of metres between the two only move this by hundredths of a dB)
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  const d = 2 * 6_371_000 * Math.asin(Math.sqrt(h));
  return txDbm + 1 + 1 - 20 * Math.log10((4 * Math.PI * d * freqHz) / 2.998e8);
}

function setup(options = {}) {
  let next = 0;
  const ledger = new EntropyLedger(60, 100, () => new Uint8Array(32).fill(++next));
  const world = new PocWorld(ledger);
  world.setRegionParams("EU868", EU868);
  world.setRegionParams("US915", fromHex(US915_HEX));
  for (const [n, site] of Object.entries(SITES)) {
    // one gateway asserted as an H3 cell, the rest as points: both forms are accepted
    const location = n === "3" ? latLngToCell(site.lat, site.lon, 12) : site;
    world.setGateway(key(Number(n)), { location, gainX10: GAIN, region: n === "6" ? "US915" : "EU868" });
  }
  world.setGateway(U, { gainX10: GAIN, region: "EU868" });
  const entropy = ledger.current(T0);
  const verifier = new PocVerifier(world, options);
  return { world, ledger, entropy, verifier };
}

/** A beacon report as gateway-rs would send it for these inputs, built with the reference beacon. */
function beaconReport(pubKey: Uint8Array, entropy: { data: Uint8Array; timestamp: number }, local: Uint8Array, params = EU868): BeaconReportMsg {
  const ref = referenceBeacon(entropy.data, BigInt(entropy.timestamp), local, params, GAIN);
  assert.ok(typeof ref !== "string");
  return {
    pub_key: pubKey, local_entropy: local, remote_entropy: entropy.data, data: ref.data, frequency: BigInt(ref.frequency),
    channel: 0, datarate: ref.datarate, tx_power: ref.conductedPower, timestamp: 0n, signature: new Uint8Array(64), tmst: 0,
  };
}

function witnessReport(pubKey: Uint8Array, beacon: BeaconReportMsg, signalDdbm: number, frequency = beacon.frequency): WitnessReportMsg {
  return { pub_key: pubKey, data: beacon.data, timestamp: 0n, tmst: 1234, signal: signalDdbm, snr: -55, frequency, datarate: beacon.datarate, signature: new Uint8Array(64) };
}

const ms = (s: number) => s * 1000;

test("a beacon and its witnesses in range are valid; distance and RSSI plausibility are checked as the verifier did", () => {
  const { entropy, verifier } = setup();
  const beacon = beaconReport(A, entropy, fromHex("0a0b0c0d"));
  const freq = Number(beacon.frequency);
  const expectB = freeSpaceDbm(beacon.tx_power, freq, SITES[1], SITES[2]);
  const expectC = freeSpaceDbm(beacon.tx_power, freq, SITES[1], SITES[3]);
  const bId = verifier.addBeacon(beacon, ms(T0 + 5));
  const wB = verifier.addWitness(witnessReport(B, beacon, Math.floor(expectB * 10) - 20), ms(T0 + 5) + 300);
  const wC = verifier.addWitness(witnessReport(C, beacon, Math.floor(expectC * 10) - 150), ms(T0 + 5) + 3999);
  verifier.settle(ms(T0 + 5) + 9999);
  assert.equal(verifier.result(bId)!.status, "pending", "not settled before settleMs");
  verifier.settle(ms(T0 + 15));
  const b = verifier.result(bId) as BeaconResult;
  assert.equal(b.status, "valid", b.reason);
  assert.deepEqual(b.witnesses, [wB, wC]);
  for (const [id, site] of [[wB, SITES[2]], [wC, SITES[3]]] as const) {
    const w = verifier.result(id) as WitnessResult;
    assert.equal(w.status, "valid", w.reason);
    assert.equal(w.selected, true);
    assert.equal(w.beaconId, bId);
    // the verifier's expectation equals ours within the cell-centre offset
    assert.ok(Math.abs(w.expectedRssiDbm! - freeSpaceDbm(beacon.tx_power, freq, SITES[1], site)) < 0.3, `${w.expectedRssiDbm}`);
  }
  const s = verifier.summary();
  assert.deepEqual([s.beacons.valid, s.witnesses.valid, s.pending], [1, 2, 0]);
});

test("negative beacons: tampered payload, wrong frequency, wrong datarate, foreign entropy, expired entropy, second beacon in a window", () => {
  const { entropy, ledger, verifier } = setup();
  const good = beaconReport(A, entropy, fromHex("01020304"));
  const tampered = { ...good, data: good.data.slice() };
  tampered.data[7] ^= 0x01;
  const wrongFreq = { ...beaconReport(B, entropy, fromHex("01020304")), frequency: good.frequency + 200_000n };
  const wrongDr = { ...beaconReport(C, entropy, fromHex("05060708")), datarate: 3 };
  const foreign = { ...beaconReport(E, entropy, fromHex("01010101")), remote_entropy: new Uint8Array(32).fill(0xee) };
  const late = beaconReport(F, entropy, fromHex("0f0f0f0f"), fromHex(US915_HEX));
  const ids = {
    tampered: verifier.addBeacon(tampered, ms(T0 + 3)),
    wrongFreq: verifier.addBeacon(wrongFreq, ms(T0 + 3)),
    wrongDr: verifier.addBeacon(wrongDr, ms(T0 + 3)),
    foreign: verifier.addBeacon(foreign, ms(T0 + 3)),
    expired: verifier.addBeacon(late, ms(T0 + 181)),
    unknown: verifier.addBeacon(beaconReport(X, entropy, fromHex("0e0e0e0e")), ms(T0 + 3)),
    unasserted: verifier.addBeacon(beaconReport(U, entropy, fromHex("0d0d0d0d")), ms(T0 + 3)),
  };
  verifier.settleAll();
  const reason = (id: string) => (verifier.result(id) as BeaconResult).reason;
  assert.equal(reason(ids.tampered), "invalid_packet");
  assert.equal(reason(ids.wrongFreq), "invalid_packet");
  assert.equal(reason(ids.wrongDr), "invalid_packet");
  assert.equal(reason(ids.foreign), "unknown_entropy");
  assert.equal(reason(ids.expired), "entropy_expired");
  assert.equal(reason(ids.unknown), "gateway_not_found");
  assert.equal(reason(ids.unasserted), "not_asserted");
  // A beaconed (invalidly) above; in the same 6-h window a correct beacon is still irregular...
  const e2 = ledger.current(T0 + 120);
  const again = verifier.addBeacon(beaconReport(A, e2, fromHex("11111111")), ms(T0 + 125));
  // ...and in the next window it is valid again.
  const nextWindowStart = (Math.floor(T0 / WINDOW) + 1) * WINDOW;
  const e3 = ledger.current(nextWindowStart + 1);
  const next = verifier.addBeacon(beaconReport(A, e3, fromHex("22222222")), ms(nextWindowStart + 2));
  verifier.settleAll();
  assert.equal(reason(again), "irregular_interval");
  assert.equal(verifier.result(next)!.status, "valid");
  // at the entropy's last second (timestamp + 180) a beacon is still in time
  const { entropy: e0, verifier: v2 } = setup();
  const edge = v2.addBeacon(beaconReport(A, e0, fromHex("33333333")), ms(T0 + 180) + 999);
  v2.settleAll();
  assert.equal(v2.result(edge)!.status, "valid");
});

test("negative witnesses: late, self, replayed, wrong frequency, RSSI above free space, too close, too far, other region, unknown", () => {
  const { entropy, verifier } = setup();
  const beacon = beaconReport(A, entropy, fromHex("01020304"));
  const t = ms(T0 + 10);
  const weak = -1300; // -130 dBm: plausible at every distance here
  verifier.addBeacon(beacon, t);
  const ids = {
    ok: verifier.addWitness(witnessReport(B, beacon, weak), t + 100),
    replay: verifier.addWitness(witnessReport(B, beacon, weak), t + 150),
    self: verifier.addWitness(witnessReport(A, beacon, weak), t + 200),
    late: verifier.addWitness(witnessReport(C, beacon, weak), t + 4001),
    tooClose: verifier.addWitness(witnessReport(E, beacon, weak), t + 300),
    tooFar: verifier.addWitness(witnessReport(D, beacon, weak), t + 300),
    otherRegion: verifier.addWitness(witnessReport(F, beacon, weak), t + 300),
    unknown: verifier.addWitness(witnessReport(X, beacon, weak), t + 300),
    unasserted: verifier.addWitness(witnessReport(U, beacon, weak), t + 300),
  };
  verifier.settle(t + 10_000);
  const r = (id: string) => verifier.result(id) as WitnessResult;
  assert.equal(r(ids.ok).status, "valid", r(ids.ok).reason);
  assert.equal(r(ids.replay).reason, "duplicate");
  assert.equal(r(ids.self).reason, "self_witness");
  assert.equal(r(ids.late).reason, "too_late");
  assert.equal(r(ids.tooClose).reason, "below_min_distance");
  assert.equal(r(ids.tooFar).reason, "max_distance_exceeded");
  assert.ok(r(ids.tooFar).distanceM! > 100_000);
  assert.equal(r(ids.otherRegion).reason, "invalid_region");
  assert.equal(r(ids.unknown).reason, "gateway_not_found");
  assert.equal(r(ids.unasserted).reason, "not_asserted");

  // frequency tolerance is 100 kHz; RSSI may not exceed the free-space expectation
  const { entropy: e2, verifier: v2 } = setup();
  const b2 = beaconReport(A, e2, fromHex("0a0a0a0a"));
  const expectB = freeSpaceDbm(b2.tx_power, Number(b2.frequency), SITES[1], SITES[2]);
  const expectC = freeSpaceDbm(b2.tx_power, Number(b2.frequency), SITES[1], SITES[3]);
  v2.addBeacon(b2, t);
  const within = v2.addWitness(witnessReport(B, b2, weak, b2.frequency + 100_000n), t + 10);
  const off = v2.addWitness(witnessReport(C, b2, weak, b2.frequency - 100_001n), t + 10);
  v2.settleAll();
  assert.equal(v2.result(within)!.status, "valid");
  assert.equal((v2.result(off) as WitnessResult).reason, "invalid_frequency");
  const { entropy: e3, verifier: v3 } = setup();
  const b3 = beaconReport(A, e3, fromHex("0b0b0b0b"));
  v3.addBeacon(b3, t);
  const liar = v3.addWitness(witnessReport(B, b3, Math.ceil(expectB * 10) + 15), t + 10); // 1.5 dB stronger than free space
  const honest = v3.addWitness(witnessReport(C, b3, Math.floor(expectC * 10) - 15), t + 10);
  v3.settleAll();
  assert.equal((v3.result(liar) as WitnessResult).reason, "bad_rssi");
  assert.equal(v3.result(honest)!.status, "valid");
});

test("witness lag when a witness arrives before the beacon: 1.5 s from the first witness", () => {
  const { entropy, verifier } = setup();
  const beacon = beaconReport(A, entropy, fromHex("01020304"));
  const t = ms(T0 + 10);
  const first = verifier.addWitness(witnessReport(B, beacon, -1300), t);
  const inTime = verifier.addWitness(witnessReport(C, beacon, -1300), t + 1500);
  verifier.addBeacon(beacon, t + 1600);
  verifier.settle(t + 10_000);
  assert.equal(verifier.result(first)!.status, "valid");
  assert.equal(verifier.result(inTime)!.status, "valid");
  const { entropy: e2, verifier: v2 } = setup();
  const b2 = beaconReport(A, e2, fromHex("05050505"));
  v2.addWitness(witnessReport(B, b2, -1300), t);
  const late = v2.addWitness(witnessReport(C, b2, -1300), t + 1501);
  v2.addBeacon(b2, t + 1000);
  v2.settleAll();
  assert.equal((v2.result(late) as WitnessResult).reason, "too_late");
});

test("witnesses of an invalid beacon carry the beacon's reason on the beaconer's side; witnesses with no beacon are named", () => {
  const { entropy, verifier } = setup();
  const beacon = beaconReport(A, entropy, fromHex("01020304"));
  const bad = { ...beacon, local_entropy: fromHex("01020305") }; // data no longer matches its entropy
  verifier.addBeacon(bad, ms(T0 + 10));
  const w = verifier.addWitness(witnessReport(B, bad, -1300), ms(T0 + 10) + 50);
  const orphan = verifier.addWitness({ ...witnessReport(C, beacon, -1300), data: new Uint8Array(51).fill(9) }, ms(T0 + 10));
  verifier.settleAll();
  assert.deepEqual([(verifier.result(w) as WitnessResult).reason, (verifier.result(w) as WitnessResult).side], ["invalid_packet", "beaconer"]);
  assert.equal((verifier.result(orphan) as WitnessResult).reason, "no_beacon");
  const s = verifier.summary();
  assert.equal(s.beacons.byReason.invalid_packet, 1);
  assert.equal(s.witnesses.byReason.no_beacon, 1);
  assert.equal(s.gateways[(verifier.result(w) as WitnessResult).gateway].witnessesInvalid, 1);
});

test("at most 14 valid witnesses are selected, earliest first; results are bounded", () => {
  const { entropy, world, verifier } = setup({ maxResults: 40 });
  const beacon = beaconReport(A, entropy, fromHex("01020304"));
  const t = ms(T0 + 10);
  verifier.addBeacon(beacon, t);
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const k = key(50 + i);
    world.setGateway(k, { location: { lat: 52.42 + i * 0.01, lon: 4.9 }, gainX10: GAIN, region: "EU868" });
    ids.push(verifier.addWitness(witnessReport(k, beacon, -1300), t + 100 + (19 - i) * 10)); // later keys arrive earlier
  }
  verifier.settleAll();
  const selected = ids.map((id) => (verifier.result(id) as WitnessResult).selected);
  assert.deepEqual(selected, [...Array(6).fill(false), ...Array(14).fill(true)]);
  for (let i = 0; i < 30; i++) verifier.addRefusal("witness", key(9), "invalid_signature", "test", t);
  assert.equal(verifier.results().length, 40);
  assert.equal(verifier.summary().refused.total, 30);
  assert.equal(verifier.summary().witnesses.valid, 20);
});
