// The scenario: 8 LoRaWAN devices (4 ABP, 4 OTAA, mixed SF7-SF10, half of them confirmed) hopping
// over US915 sub-band 2, one hotspot parked on 903.9 MHz SF7 and one CAD-scanning SF7-SF10 on
// 904.1 MHz, each the full stack (chip model <- driver <- radio service), 10 simulated minutes.
// A small network server written with lora-packet answers joins (RX1 at +5 s) and confirmed
// uplinks (RX1 at +1 s) through the hotspot that heard them.
// Checked: every uplink the chip model received is delivered exactly once; every delivered uplink
// is a valid LoRaWAN frame (lora-packet MIC); every downlink starts within ±20 µs and reaches its
// device unless the air lost it; no protocol violation, no fault; the same seed gives the same run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HELTEC_WIFI_LORA_32_V3, LILYGO_T3_S3_SX1262 } from "../drivers/sx1262/boards.js";
import { dataRateIndex, parseDataRateName, planLoRaDataRate, rx1Window, dataRateName } from "../modules/region/datarate.js";
import { regionPlan } from "../modules/region/plans.js";
import type { UplinkEvent } from "../modules/radio/radio.js";
import { EndDevice } from "../sim/end-device.js";
import { Rng } from "../sim/rng.js";
import { assertExactlyOnce } from "./support/exactly-once.js";
import { lora, phy } from "./support/lora-packet.js";
import { makeRadioHotspot, makeWorld, type RadioHotspot } from "./support/radio-rig.js";

const US915 = regionPlan("US915");

function runScenario(seed: number, minutes: number) {
  const env = makeWorld(seed, { shadowingSigmaDb: 4 });
  const rng = new Rng(seed);
  const hotspots: RadioHotspot[] = [];
  const ns = {
    seen: new Set<string>(),
    keys: new Map<number, { nwk: Buffer; app: Buffer; fCntDown: number }>(),
    appKeys: new Map<string, Buffer>(),
    verified: 0,
    badMic: 0,
    joinsAccepted: 0,
    downlinksScheduled: 0,
    refused: [] as string[],
  };
  const nsRng = rng.fork();

  const onUplink = (hs: RadioHotspot) => (up: UplinkEvent) => {
    const id = Buffer.from(up.payload).toString("hex");
    if (ns.seen.has(id)) return;
    ns.seen.add(id);
    const p = lora.fromWire(Buffer.from(up.payload));
    const upDr = dataRateIndex(US915, parseDataRateName(up.datarate)!, "up")!;
    const schedule = (payload: Uint8Array, delay: number) => {
      const w = rx1Window(US915, up.freq, upDr, 0)!;
      const r = hs.radio.schedule({ payload, tmst: (up.tmst + delay) >>> 0, frequencyHz: w.frequencyHz, datarate: dataRateName(planLoRaDataRate(US915, w.dataRate)!) });
      if (r.ok) ns.downlinksScheduled++;
      else ns.refused.push(r.error);
    };
    if (p.getMType() === "Join Request") {
      const devEui = (p as unknown as { DevEUI: Buffer }).DevEUI.toString("hex").toUpperCase();
      const appKey = ns.appKeys.get(devEui)!;
      if (!lora.verifyMIC(p, null, appKey)) {
        ns.badMic++;
        return;
      }
      ns.verified++;
      const appNonce = Buffer.from(nsRng.bytes(3));
      const netId = Buffer.from("00003c", "hex");
      const devAddr = 0x78100000 + ns.joinsAccepted;
      const addr = Buffer.alloc(4);
      addr.writeUInt32BE(devAddr);
      const devNonce = (p as unknown as { DevNonce: Buffer }).DevNonce;
      const k = lora.generateSessionKeys10(appKey, netId, appNonce, devNonce);
      ns.keys.set(devAddr, { nwk: k.NwkSKey, app: k.AppSKey, fCntDown: 0 });
      ns.joinsAccepted++;
      schedule(phy(lora.fromFields({ MType: "Join Accept", AppNonce: appNonce, NetID: netId, DevAddr: addr, DLSettings: 0, RxDelay: 1 }, null, null, appKey)), 5_000_000);
      return;
    }
    const devAddr = p.DevAddr!.readUInt32BE(0);
    const keys = ns.keys.get(devAddr);
    if (keys === undefined || !lora.verifyMIC(p, keys.nwk)) {
      ns.badMic++;
      return;
    }
    ns.verified++;
    if (p.isConfirmed()) {
      schedule(phy(lora.fromFields({ MType: "Unconfirmed Data Down", DevAddr: p.DevAddr!, FCnt: keys.fCntDown++, FCtrl: { ACK: true }, FPort: 1, payload: Buffer.from("ok") }, keys.app, keys.nwk)), 1_000_000);
    }
  };

  const fixed = makeRadioHotspot(env, { name: "fixed", board: HELTEC_WIFI_LORA_32_V3, region: US915, listen: { kind: "fixed", frequencyHz: 903_900_000, spreadingFactor: 7, bandwidthKhz: 125 }, onUplink: (e) => onUplink(fixed)(e) });
  const cad = makeRadioHotspot(env, { name: "cad", board: LILYGO_T3_S3_SX1262, region: US915, position: { x: 1500, y: -800 }, listen: { kind: "cad-scan", frequencyHz: 904_100_000, bandwidthKhz: 125, spreadingFactors: [7, 8, 9, 10] }, onUplink: (e) => onUplink(cad)(e) });
  hotspots.push(fixed, cad);

  const devices: EndDevice[] = [];
  for (let i = 0; i < 8; i++) {
    const otaa = i % 2 === 1;
    const nwk = Buffer.from(rng.bytes(16));
    const app = Buffer.from(rng.bytes(16));
    const devEui = `00AA00BB0000000${i}`;
    const appKey = Buffer.from(rng.bytes(16));
    if (otaa) ns.appKeys.set(devEui, appKey);
    else ns.keys.set(0x78000000 + i, { nwk, app, fCntDown: 0 });
    const d = new EndDevice({
      name: `dev${i}`,
      world: env.world,
      position: { x: Math.round((rng.next() - 0.5) * 6000), y: Math.round((rng.next() - 0.5) * 6000) },
      region: US915,
      dataRate: i % 4,
      confirmed: i % 4 >= 2,
      activation: otaa ? { kind: "otaa", devEui, joinEui: "70B3D57ED0000001", appKey: new Uint8Array(appKey) } : { kind: "abp", devAddr: 0x78000000 + i, nwkSKey: new Uint8Array(nwk), appSKey: new Uint8Array(app) },
      rng: rng.fork(),
      uplinkIntervalMicros: 20_000_000,
    });
    d.start(500_000 + i * 2_300_000);
    devices.push(d);
  }
  env.scheduler.runFor(minutes * 60_000_000);
  return { env, hotspots, devices, ns };
}

test("scenario: 8 devices on US915 sub-band 2, a fixed SF7 hotspot and a CAD-scanning hotspot, 10 simulated minutes", (t) => {
  const started = performance.now();
  const { env, hotspots, devices, ns } = runScenario(2026, 10);
  const realMs = performance.now() - started;
  const sent = env.world.log.filter((x) => x.sender instanceof EndDevice);
  for (const hs of hotspots) {
    const n = assertExactlyOnce(hs.model, hs.uplinks, hs.model.name);
    t.diagnostic(`${hs.model.name}: delivered ${n} of ${sent.length} uplinks (${((100 * n) / sent.length).toFixed(1)} %), per SF ${JSON.stringify(hs.radio.stats.perSf)}`);
    assert.deepEqual(hs.model.violations, [], `${hs.model.name} violations`);
    assert.deepEqual(hs.faults, [], `${hs.model.name} faults`);
    assert.ok(n > 0, `${hs.model.name} heard something`);
    // The fixed hotspot hears only its channel and SF.
    if (hs.model.name === "fixed") assert.ok(hs.uplinks.every((u) => u.freq === 903_900_000 && u.datarate === "SF7BW125"));
  }
  assert.ok(sent.length >= 200, `${sent.length} uplinks sent`);
  // Every uplink that reached the network server is a valid frame for a known device.
  assert.equal(ns.badMic, 0);
  assert.equal(ns.verified, ns.seen.size);
  // Downlinks: all on time; each one transmitted reached its device unless the air lost it.
  const outcomes = hotspots.flatMap((h) => h.outcomes);
  const transmitted = hotspots.flatMap((h) => h.model.transmitted);
  assert.equal(outcomes.length, ns.downlinksScheduled);
  assert.ok(outcomes.every((o) => o.ok && o.onTime), JSON.stringify(outcomes.filter((o) => !o.onTime)));
  const accepted = devices.flatMap((d) => d.downlinks);
  const lostOnAir = devices.flatMap((d) => d.ignored).filter((i) => i.reason === "collision" || i.reason === "crc-error" || i.reason === "header-error");
  const refusedByDevice = devices.flatMap((d) => d.ignored).filter((i) => !lostOnAir.includes(i));
  assert.deepEqual(refusedByDevice, [], "no downlink is refused by its device (MIC, address, window)");
  const missed = transmitted.length - accepted.length - lostOnAir.length;
  t.diagnostic(`downlinks: ${transmitted.length} sent, ${accepted.length} accepted (${accepted.filter((d) => d.kind === "join-accept").length} join accepts), ${lostOnAir.length} lost on the air, ${missed} not heard (the device was out of range of that hotspot), refused by the JIT queue: ${JSON.stringify(ns.refused)}`);
  assert.ok(accepted.length > 0);
  assert.ok(missed >= 0);
  for (const d of devices.filter((x) => x.downlinks.some((k) => k.kind === "join-accept"))) assert.equal(d.joined, true);
  t.diagnostic(`OTAA devices joined: ${devices.filter((d) => d.joined && d.name.match(/[1357]$/)).length} of 4; confirmed uplinks ACKed: ${devices.flatMap((d) => d.uplinks).filter((u) => u.acked).length}`);
  t.diagnostic(`10 simulated minutes in ${realMs.toFixed(0)} ms of real time`);
  assert.ok(realMs < 30_000);
});

test("the same seed gives the same world", () => {
  const summary = (r: ReturnType<typeof runScenario>) =>
    JSON.stringify({
      air: r.env.world.log.map((x) => [x.id, x.sender.name, Math.round(x.start), x.frequencyHz, x.spreadingFactor]),
      heard: r.hotspots.map((h) => h.uplinks.map((u) => [u.tmst, u.rssi, u.snr])),
      down: r.devices.map((d) => d.downlinks.length),
    });
  const a = summary(runScenario(77, 2));
  const b = summary(runScenario(77, 2));
  const c = summary(runScenario(78, 2));
  assert.equal(a, b);
  assert.notEqual(a, c);
});

test("busy channel: 12 SF7 devices pinned to the hotspot's channel, confirmed uplinks ACKed in RX1, 10 minutes", (t) => {
  const env = makeWorld(99, { shadowingSigmaDb: 6 });
  const rng = new Rng(99);
  const keys = new Map<number, { nwk: Buffer; app: Buffer; fCntDown: number }>();
  const hs: RadioHotspot = makeRadioHotspot(env, {
    board: HELTEC_WIFI_LORA_32_V3,
    region: US915,
    listen: { kind: "fixed", frequencyHz: 903_900_000, spreadingFactor: 7, bandwidthKhz: 125 },
    onUplink: (up) => {
      const p = lora.fromWire(Buffer.from(up.payload));
      const k = keys.get(p.DevAddr!.readUInt32BE(0))!;
      assert.equal(lora.verifyMIC(p, k.nwk), true);
      if (!p.isConfirmed()) return;
      const ack = phy(lora.fromFields({ MType: "Unconfirmed Data Down", DevAddr: p.DevAddr!, FCnt: k.fCntDown++, FCtrl: { ACK: true }, FPort: 1, payload: Buffer.from("ok") }, k.app, k.nwk));
      hs.radio.schedule({ payload: ack, tmst: (up.tmst + 1_000_000) >>> 0, frequencyHz: 923_300_000, datarate: "SF7BW500" });
    },
  });
  const devices = Array.from({ length: 12 }, (_, i) => {
    const nwk = Buffer.from(rng.bytes(16));
    const app = Buffer.from(rng.bytes(16));
    keys.set(0x78000100 + i, { nwk, app, fCntDown: 0 });
    const d = new EndDevice({ name: `d${i}`, world: env.world, position: { x: 200 + 400 * i, y: 300 * (i % 4) }, region: US915, dataRate: 3, channelsHz: [903_900_000], confirmed: i % 2 === 0, activation: { kind: "abp", devAddr: 0x78000100 + i, nwkSKey: new Uint8Array(nwk), appSKey: new Uint8Array(app) }, rng: rng.fork(), uplinkIntervalMicros: 8_000_000, intervalJitter: 0.1 });
    d.start(300_000 + i * 650_000);
    return d;
  });
  env.scheduler.runFor(600_000_000);
  const n = assertExactlyOnce(hs.model, hs.uplinks, "busy hotspot");
  const outcomes = hs.model.receptions.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.outcome]: (acc[r.outcome] ?? 0) + 1 }), {});
  const sent = devices.reduce((s, d) => s + d.uplinks.length, 0);
  const acked = devices.flatMap((d) => d.uplinks).filter((u) => u.acked).length;
  const confirmed = devices.flatMap((d) => d.uplinks).filter((u) => u.confirmed).length;
  t.diagnostic(`${sent} uplinks, chip outcomes ${JSON.stringify(outcomes)}, delivered ${n}; ${hs.outcomes.length} ACKs sent (all on time: ${hs.outcomes.every((o) => o.onTime)}), ${acked} of ${confirmed} confirmed uplinks ACKed; JIT refusals ${JSON.stringify(hs.radio.stats.refused)}`);
  assert.ok(n >= 300, `${n} delivered`);
  assert.ok((outcomes.collision ?? 0) > 0, "the load produces collisions");
  assert.equal(hs.driver.stats.crcErrors, (outcomes.collision ?? 0) + (outcomes["crc-error"] ?? 0));
  assert.ok(hs.outcomes.length > 50 && hs.outcomes.every((o) => o.ok && o.onTime));
  assert.ok(acked > 0);
  assert.deepEqual(hs.model.violations, []);
  assert.deepEqual(hs.faults, []);
});
