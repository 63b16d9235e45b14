// CAD scanning across SF7-SF10 on one channel against mixed-SF devices, next to a hotspot parked
// on SF7: what fraction of the uplinks each hears, with everything the CAD hotspot's chip received
// delivered exactly once. The figures are reported as test diagnostics.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HELTEC_WIFI_LORA_32_V3 } from "../drivers/sx1262/boards.js";
import { regionPlan } from "../modules/region/plans.js";
import { EndDevice } from "../sim/end-device.js";
import { Rng } from "../sim/rng.js";
import { assertExactlyOnce } from "./support/exactly-once.js";
import { makeHotspot, makeWorld } from "./support/radio-rig.js";

test("CAD scan SF7-10 vs fixed SF7 on one channel, 8 mixed-SF devices, 10 minutes", (t) => {
  const env = makeWorld(41);
  const us = regionPlan("US915");
  const cad = makeHotspot(env, { name: "cad", board: HELTEC_WIFI_LORA_32_V3, listen: { kind: "cad-scan", frequencyHz: 903_900_000, bandwidthKhz: 125, spreadingFactors: [7, 8, 9, 10] } });
  const fixed = makeHotspot(env, { name: "fixed", board: HELTEC_WIFI_LORA_32_V3, position: { x: 10, y: 0 }, listen: { kind: "fixed", frequencyHz: 903_900_000, spreadingFactor: 7, bandwidthKhz: 125 } });
  const seeds = new Rng(5);
  const devices = Array.from({ length: 8 }, (_, i) =>
    new EndDevice({ name: `d${i}`, world: env.world, position: { x: 500 + 300 * i, y: 400 * (i % 3) }, region: us, dataRate: 3 - (i % 4), channelsHz: [903_900_000], activation: { kind: "abp", devAddr: 0x78000000 + i, nwkSKey: new Uint8Array(16), appSKey: new Uint8Array(16) }, rng: seeds.fork(), uplinkIntervalMicros: 30_000_000 }),
  );
  devices.forEach((d, i) => d.start(1_000_000 + i * 3_100_000));
  env.scheduler.runFor(600_000_000);

  const sent = env.world.log.filter((x) => x.sender instanceof EndDevice);
  assert.ok(sent.length >= 150, `${sent.length} uplinks`);
  const lines: string[] = [];
  let cadTotal = 0;
  for (const sf of [7, 8, 9, 10]) {
    const n = sent.filter((x) => x.spreadingFactor === sf).length;
    const heardCad = cad.packets.filter((p) => p.spreadingFactor === sf).length;
    const heardFixed = fixed.packets.filter((p) => p.spreadingFactor === sf).length;
    cadTotal += heardCad;
    lines.push(`SF${sf}: ${n} sent, CAD scan heard ${heardCad} (${((100 * heardCad) / n).toFixed(0)} %), fixed SF7 heard ${heardFixed}`);
  }
  lines.push(`all: CAD ${cadTotal}/${sent.length} = ${((100 * cadTotal) / sent.length).toFixed(1)} %, fixed SF7 ${fixed.packets.length}/${sent.length} = ${((100 * fixed.packets.length) / sent.length).toFixed(1)} %`);
  lines.push(`CAD: ${cad.driver.stats.cadScans} looks, ${cad.driver.stats.cadDetections} detections, ${cad.driver.stats.rxTimeouts} RX timeouts after a detection`);
  for (const l of lines) t.diagnostic(l);

  assertExactlyOnce(cad.model, cad.packets, "CAD hotspot");
  assertExactlyOnce(fixed.model, fixed.packets, "fixed hotspot");
  // The fixed hotspot hears every SF7 uplink on its channel (no collisions at this load) and nothing else.
  assert.equal(fixed.packets.length, sent.filter((x) => x.spreadingFactor === 7).length);
  // The scan hears several SFs, but far from all: each look costs the TCXO start-up (5 ms) from STBY_RC.
  assert.ok(cadTotal > 0);
  assert.ok(new Set(cad.packets.map((p) => p.spreadingFactor)).size >= 2);
  assert.ok(cadTotal < sent.length / 2);
  assert.deepEqual(cad.model.violations, []);
  assert.deepEqual(fixed.model.violations, []);
  assert.deepEqual(cad.faults, []);
});
