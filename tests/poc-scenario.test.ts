// Issue 5's scenario in virtual time: four hotspots (SX1262 model + driver + radio service +
// modules/poc with the wasm core) placed 1.5-28 km apart in a simulated US915 world, talking to
// the devnet's ingest and verifier (devnet/poc: written independently, @noble and H3) over an
// in-memory stream. Over several shortened beacon windows every hotspot beacons once per window,
// every beacon is verified valid, every hotspot whose radio heard a beacon submits a witness the
// verifier accepts, and hotspots out of range submit none.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HELTEC_WIFI_LORA_32_V3 } from "../drivers/sx1262/boards.js";
import { regionPlan } from "../modules/region/plans.js";
import { encodeMessage } from "../modules/proto/codec.js";
import { gatewayKeyFromSeed } from "../modules/identity/gateway-key.js";
import { Poc } from "../modules/poc/poc.js";
import { RadioBeaconTransmitter } from "../modules/poc/radio-beacons.js";
import type { EntropySource } from "../modules/poc/types.js";
import { PocDevnet } from "../devnet/poc/service.js";
import type { WitnessResult } from "../devnet/poc/verifier.js";
import { core } from "./support/core.js";
import { makeRadioHotspot, makeWorld } from "./support/radio-rig.js";
import { LoopbackTransport, seededRandom } from "./support/poc-rig.js";

const WINDOW_S = 300;
const WINDOWS = 6;
const GAIN_X10 = 12;
const CHANNEL_HZ = 903_900_000;
// One beacon channel (a single-channel hotspot hears one frequency): US915's first channel with
// the US915 spreading list, so beacons go out at SF9BW125 (spec 7.3).
const PARAMS = encodeMessage(core, "blockchain_region_params_v1", {
  region_params: [
    {
      channel_frequency: CHANNEL_HZ, bandwidth: 125_000, max_eirp: 360,
      spreading: { tagged_spreading: [[4, 25], [3, 67], [2, 139], [1, 256]].map(([sf, size]) => ({ region_spreading: sf, max_packet_size: size })) },
    },
  ],
});
const SITES = {
  A: { lat: 30.2672, lon: -97.7431 },
  B: { lat: 30.2672, lon: -97.7275 }, // 1.5 km east of A
  C: { lat: 30.3392, lon: -97.7431 }, // 8 km north of A
  D: { lat: 30.1372, lon: -97.8881 }, // 20 km south-west of A
};

test("four hotspots over six 5-minute windows: one valid beacon each per window, witnessed by exactly the hotspots in range", () => {
  const env = makeWorld(21, { shadowingSigmaDb: 0, pathLossExponent: 3 });
  const epochMs = env.scheduler.epochMillis;
  assert.equal(epochMs % (WINDOW_S * 1000), 0, "the run starts on a window boundary");
  const now = () => env.clock.wallMillis()!;
  const ingestRandom = seededRandom(99);
  const devnet = new PocDevnet({
    now,
    timers: { set: (cb, ms) => env.timers.set(cb, ms), clear: (h) => env.timers.clear(h as never) },
    random: (n) => {
      const b = new Uint8Array(n);
      ingestRandom(b);
      return b;
    },
    beaconIntervalSeconds: WINDOW_S,
    settleEveryMs: 1000,
  });
  devnet.world.setRegionParams("US915", PARAMS);
  const entropy: EntropySource = {
    fetch: (done) => {
      const e = devnet.world.entropyLedger.current(Math.floor(now() / 1000));
      done({ ok: true, entropy: { data: e.data, timestamp: e.timestamp, version: e.version } });
    },
  };

  const hotspots = Object.entries(SITES).map(([name, position], i) => {
    const key = gatewayKeyFromSeed(core, new Uint8Array(32).fill(i + 1));
    const poc: { current?: Poc } = {};
    const hs = makeRadioHotspot(env, {
      name,
      board: HELTEC_WIFI_LORA_32_V3,
      region: regionPlan("US915"),
      listen: { kind: "fixed", frequencyHz: CHANNEL_HZ, spreadingFactor: 9, bandwidthKhz: 125 },
      position,
      antennaGainDbi: GAIN_X10 / 10,
      onUplink: (e) => poc.current!.onFrame(e),
    });
    const beacons = new RadioBeaconTransmitter(hs.radio);
    // the rig records outcomes; the beacon transmitter needs them too
    const outcomes = hs.outcomes;
    outcomes.push = (...items) => {
      for (const o of items) beacons.onOutcome(o);
      return Array.prototype.push.apply(outcomes, items);
    };
    poc.current = new Poc({
      core, clock: env.clock, timers: env.timers, random: seededRandom(1000 + i), gateway: key, entropy, radio: beacons, intervalSeconds: WINDOW_S,
    });
    const transport = new LoopbackTransport(devnet.ingest, poc.current.session, { timers: env.timers, reconnectMs: 5000 });
    devnet.world.setGateway(key.publicKeyBin, { location: position, gainX10: GAIN_X10, region: "US915" });
    poc.current.setRegion({ region: "US915", params: PARAMS, gainX10: GAIN_X10 });
    return { name, key, hs, poc: poc.current, transport };
  });
  devnet.start();
  for (const h of hotspots) {
    h.transport.open();
    h.poc.start();
  }
  env.scheduler.runFor(WINDOWS * WINDOW_S * 1e6);
  for (const h of hotspots) h.poc.stop();
  env.scheduler.runFor(20e6); // the last reports arrive and settle
  devnet.verifier.settleAll();

  const v = devnet.verifier;
  const byAddress = new Map(hotspots.map((h) => [h.key.address, h]));
  // every hotspot beacons exactly once per window, and every beacon is valid
  for (const h of hotspots) {
    const mine = v.beacons().filter((b) => b.gateway === h.key.address);
    const windows = mine.map((b) => Math.floor(b.receivedMs / (WINDOW_S * 1000)) - epochMs / (WINDOW_S * 1000));
    assert.deepEqual(windows, [...Array(WINDOWS).keys()], `${h.name}: windows of its beacons`);
    for (const b of mine) assert.equal(b.status, "valid", `${h.name}: ${b.reason}`);
    assert.equal(h.poc.status().counters.beaconsSent, WINDOWS);
    // the radio could not give the plan's 34 dBm: the report carries the 22 dBm actually used
    assert.ok(mine.every((b) => b.txPower === 22));
  }
  // witnesses: exactly the hotspots whose radio delivered the beacon frame, all valid
  let witnessed = 0;
  for (const b of v.beacons()) {
    const frame = Buffer.from("e0" + b.data, "hex");
    const heardBy = hotspots.filter((h) => h.hs.uplinks.some((u) => Buffer.from(u.payload).equals(frame))).map((h) => h.key.address).sort();
    const witnesses = b.witnesses.map((id) => v.result(id) as WitnessResult);
    assert.deepEqual(witnesses.map((w) => w.gateway).sort(), heardBy, `beacon of ${byAddress.get(b.gateway)!.name}`);
    for (const w of witnesses) assert.equal(w.status, "valid", `${byAddress.get(w.gateway)!.name} witnessing ${byAddress.get(b.gateway)!.name}: ${w.reason}`);
    witnessed += witnesses.length;
  }
  // geometry: A-B (1.5 km), A-C (8 km), B-C (8.1 km) are in range; D (20-28 km away) is not
  const pairs = (beaconer: string) =>
    v.beacons().filter((b) => byAddress.get(b.gateway)!.name === beaconer)
      .flatMap((b) => b.witnesses.map((id) => byAddress.get(v.result(id)!.gateway)!.name));
  assert.deepEqual(new Set(pairs("A")), new Set(["B", "C"]));
  assert.deepEqual(new Set(pairs("B")), new Set(["A", "C"]));
  assert.deepEqual(new Set(pairs("C")), new Set(["A", "B"]));
  assert.deepEqual(pairs("D"), [], "D is out of everyone's range");
  assert.equal(hotspots.find((h) => h.name === "D")!.poc.status().counters.witnessesSubmitted, 0);
  const s = v.summary();
  assert.deepEqual([s.beacons.valid, s.beacons.invalid, s.witnesses.invalid, s.refused.total, s.pending], [4 * WINDOWS, 0, 0, 0, 0]);
  assert.equal(s.witnesses.valid, witnessed);
  assert.ok(witnessed >= 6 * WINDOWS - 2, `${witnessed} witnesses (a beacon can be missed only while the listener is itself transmitting)`);
});
