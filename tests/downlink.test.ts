// Downlinks end to end in virtual time: a device's uplink is heard, a network server (lora-packet,
// written by someone else) answers, the radio service schedules the answer at tmst + 1 s (RX1) or
// + 2 s (RX2), the driver fires it, the chip model puts it on the air within ±20 µs of the target,
// and the device accepts it in its window. Refusals carry the right reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HELTEC_WIFI_LORA_32_V3, LILYGO_T3_S3_SX1262, LILYGO_T_BEAM_SX1262 } from "../drivers/sx1262/boards.js";
import { dataRateName, planLoRaDataRate, rx1Window } from "../modules/region/datarate.js";
import { regionPlan } from "../modules/region/plans.js";
import type { RegionPlan } from "../modules/region/plan-types.js";
import type { UplinkEvent } from "../modules/radio/radio.js";
import { EndDevice } from "../sim/end-device.js";
import { Rng } from "../sim/rng.js";
import { lora, phy } from "./support/lora-packet.js";
import { makeRadioHotspot, makeWorld } from "./support/radio-rig.js";

const US915 = regionPlan("US915");
const NWK = Buffer.from("2b7e151628aed2a6abf7158809cf4f3c", "hex");
const APP = Buffer.from("000102030405060708090a0b0c0d0e0f", "hex");
const DEVADDR = 0x78000abc;

function setup(board = HELTEC_WIFI_LORA_32_V3, region: RegionPlan = US915, listenHz = 903_900_000, sf = 7) {
  const env = makeWorld(7, { shadowingSigmaDb: 0 });
  const hs = makeRadioHotspot(env, { board, region, listen: { kind: "fixed", frequencyHz: listenHz, spreadingFactor: sf, bandwidthKhz: 125 } });
  const dataRate = region.uplinkDataRates.find((i) => planLoRaDataRate(region, i)?.spreadingFactor === sf && planLoRaDataRate(region, i)?.bandwidthKhz === 125)!;
  const device = new EndDevice({
    name: "dev",
    world: env.world,
    position: { x: 800, y: 300 },
    region,
    dataRate,
    channelsHz: [listenHz],
    confirmed: true,
    activation: { kind: "abp", devAddr: DEVADDR, nwkSKey: new Uint8Array(NWK), appSKey: new Uint8Array(APP) },
    rng: new Rng(3),
  });
  return { env, hs, device, dataRate };
}

/** The network server's answer: an ACK with a payload, built by lora-packet. */
function answer(fCnt: number, text = "hi", nwk = NWK): Uint8Array {
  const devAddr = Buffer.alloc(4);
  devAddr.writeUInt32BE(DEVADDR);
  return phy(lora.fromFields({ MType: "Unconfirmed Data Down", DevAddr: devAddr, FCnt: fCnt, FCtrl: { ACK: true }, FPort: 1, payload: Buffer.from(text) }, APP, nwk));
}

function sendAndHear(s: ReturnType<typeof setup>): UplinkEvent {
  s.env.scheduler.at(s.env.scheduler.now() + 50_000, () => s.device.sendUplink(new TextEncoder().encode("temp=21")));
  s.env.scheduler.runFor(200_000);
  assert.equal(s.hs.uplinks.length, 1, "the hotspot heard the uplink");
  return s.hs.uplinks[0];
}

for (const board of [HELTEC_WIFI_LORA_32_V3, LILYGO_T3_S3_SX1262, LILYGO_T_BEAM_SX1262]) {
  test(`${board.name}: RX1 downlink at tmst + 1 s starts within ±20 µs and the device accepts it`, () => {
    const s = setup(board);
    const up = sendAndHear(s);
    // The uplink is a real LoRaWAN frame: lora-packet verifies its MIC and decrypts it.
    const p = lora.fromWire(Buffer.from(up.payload));
    assert.equal(p.getMType(), "Confirmed Data Up");
    assert.equal(lora.verifyMIC(p, NWK), true);
    assert.equal(lora.decrypt(p, APP, NWK).toString(), "temp=21");
    assert.equal(up.datarate, "SF7BW125");
    assert.equal(up.freq, 903_900_000);
    // tmst is the end of the uplink on the shared clock.
    const uplinkTx = s.device.uplinks[0].tx;
    assert.ok(Math.abs(up.micros - uplinkTx.end) < 1, `tmst ${up.micros} vs end ${uplinkTx.end}`);
    const w = rx1Window(US915, up.freq, 3, 0)!;
    assert.deepEqual(w, { frequencyHz: 923_300_000, dataRate: 13 });
    const r = s.hs.radio.schedule({ payload: answer(0), tmst: (up.tmst + 1_000_000) >>> 0, frequencyHz: w.frequencyHz, datarate: dataRateName(planLoRaDataRate(US915, w.dataRate)!) });
    assert.ok(r.ok, JSON.stringify(r));
    s.env.scheduler.runFor(3_000_000);
    const sent = s.hs.model.transmitted[0];
    const target = uplinkTx.end + 1_000_000;
    assert.ok(Math.abs(sent.tx.start - target) <= 20, `RF start ${sent.tx.start - target} µs from the target`);
    assert.equal(sent.tx.invertIq, true);
    assert.equal(s.hs.outcomes[0].onTime, true);
    assert.equal(s.hs.outcomes[0].errorMicros, 0);
    assert.equal(s.device.downlinks.length, 1, JSON.stringify(s.device.ignored));
    const d = s.device.downlinks[0];
    assert.equal(d.window, "RX1");
    assert.equal(d.ack, true);
    assert.equal(Buffer.from(d.payload).toString(), "hi");
    assert.equal(s.device.uplinks[0].acked, true);
    assert.deepEqual(s.hs.model.violations, []);
  });
}

test("RX2 at tmst + 2 s on 923.3 MHz SF12BW500 is accepted in RX2", () => {
  const s = setup();
  const up = sendAndHear(s);
  const r = s.hs.radio.schedule({ payload: answer(0), tmst: (up.tmst + 2_000_000) >>> 0, frequencyHz: US915.rx2.frequencyHz, datarate: "SF12BW500" });
  assert.ok(r.ok);
  s.env.scheduler.runFor(4_000_000);
  assert.equal(s.device.downlinks.length, 1);
  assert.equal(s.device.downlinks[0].window, "RX2");
  assert.ok(Math.abs(s.hs.model.transmitted[0].tx.start - (s.device.uplinks[0].tx.end + 2_000_000)) <= 20);
});

test("the device refuses what is not its downlink: 50 ms late, wrong frequency, wrong DR, bad MIC", () => {
  const cases: [string, (up: UplinkEvent) => Parameters<ReturnType<typeof setup>["hs"]["radio"]["schedule"]>[0], (s: ReturnType<typeof setup>) => void][] = [
    ["50 ms late", (up) => ({ payload: answer(0), tmst: (up.tmst + 1_050_000) >>> 0, frequencyHz: 923_300_000, datarate: "SF7BW500" }), (s) => assert.equal(s.device.ignored.length, 0)],
    ["wrong frequency", (up) => ({ payload: answer(0), tmst: (up.tmst + 1_000_000) >>> 0, frequencyHz: 923_900_000, datarate: "SF7BW500" }), (s) => assert.equal(s.device.ignored.length, 0)],
    ["wrong datarate", (up) => ({ payload: answer(0), tmst: (up.tmst + 1_000_000) >>> 0, frequencyHz: 923_300_000, datarate: "SF8BW500" }), (s) => assert.equal(s.device.ignored.length, 0)],
    [
      "bad MIC",
      (up) => ({ payload: answer(0, "hi", Buffer.alloc(16, 7)), tmst: (up.tmst + 1_000_000) >>> 0, frequencyHz: 923_300_000, datarate: "SF7BW500" }),
      (s) => assert.deepEqual(s.device.ignored.map((i) => i.reason), ["MIC mismatch"]),
    ],
  ];
  for (const [what, request, check] of cases) {
    const s = setup();
    const up = sendAndHear(s);
    const r = s.hs.radio.schedule(request(up));
    assert.ok(r.ok, what);
    s.env.scheduler.runFor(4_000_000);
    assert.equal(s.hs.model.transmitted.length, 1, `${what}: the hotspot did transmit`);
    assert.equal(s.device.downlinks.length, 0, `${what}: the device must not accept it`);
    check(s);
  }
});

test("refusals: TOO_LATE, TOO_EARLY, COLLISION_PACKET, COLLISION_BEACON, TX_FREQ, INVALID, and a TX_POWER warning", () => {
  const s = setup();
  const now = Math.floor(s.env.clock.micros()) >>> 0;
  const base = { payload: answer(0), frequencyHz: 923_300_000, datarate: "SF7BW500" };
  const refused = (req: Parameters<typeof s.hs.radio.schedule>[0]) => {
    const r = s.hs.radio.schedule(req);
    return r.ok ? "OK" : r.error;
  };
  assert.equal(refused({ ...base, tmst: (now + 20_000) >>> 0 }), "TOO_LATE");
  assert.equal(refused({ ...base, tmst: (now - 5_000) >>> 0 }), "TOO_LATE");
  assert.equal(refused({ ...base, tmst: (now + 513_000_000) >>> 0 }), "TOO_EARLY");
  assert.equal(refused({ ...base, tmst: (now + 1_000_000) >>> 0 }), "OK");
  assert.equal(refused({ ...base, tmst: (now + 1_010_000) >>> 0 }), "COLLISION_PACKET");
  assert.equal(refused({ ...base, tmst: (now + 5_000_000) >>> 0, kind: "beacon", invertIq: false }), "OK");
  assert.equal(refused({ ...base, tmst: (now + 5_020_000) >>> 0 }), "COLLISION_BEACON");
  assert.equal(refused({ ...base, tmst: (now + 9_000_000) >>> 0, frequencyHz: 868_100_000 }), "TX_FREQ");
  assert.equal(refused({ ...base, tmst: (now + 9_000_000) >>> 0, datarate: "SF13BW500" }), "INVALID");
  const loud = s.hs.radio.schedule({ ...base, tmst: (now + 9_000_000) >>> 0, powerDbm: 30 });
  assert.ok(loud.ok && loud.warning === "TX_POWER" && loud.powerDbm === 22, JSON.stringify(loud));
  assert.equal(s.hs.radio.stats.refused.TOO_LATE, 2);
  s.env.scheduler.runFor(12_000_000);
  assert.equal(s.hs.outcomes.length, 3);
  assert.ok(s.hs.outcomes.every((o) => o.ok && o.onTime));
  assert.equal(s.hs.model.transmitted[2].conductedDbm, 22);
});

test("EU868: the 1 % sub-band budget runs out and further downlinks are refused DUTY_CYCLE; RX2's 10 % band still has room", () => {
  const eu = regionPlan("EU868");
  const s = setup(HELTEC_WIFI_LORA_32_V3, eu, 868_100_000, 12);
  const now = Math.floor(s.env.clock.micros()) >>> 0;
  const payload = new Uint8Array(51).fill(0xa5);
  const results: string[] = [];
  for (let i = 0; i < 16; i++) {
    const r = s.hs.radio.schedule({ payload, tmst: (now + 1_000_000 + i * 3_000_000) >>> 0, frequencyHz: 868_100_000, datarate: "SF12BW125" });
    results.push(r.ok ? "OK" : r.error);
  }
  // 36 s of a 1 % hour at 2.466 s per frame (spec C.3: SF12BW125 PL 51 = 2465.792 ms): 14 frames fit.
  assert.deepEqual(results, [...Array<string>(14).fill("OK"), "DUTY_CYCLE", "DUTY_CYCLE"]);
  const rx2 = s.hs.radio.schedule({ payload, tmst: (now + 60_000_000) >>> 0, frequencyHz: 869_525_000, datarate: "SF12BW125" });
  assert.ok(rx2.ok);
  assert.equal(s.hs.radio.schedule({ payload, tmst: (now + 70_000_000) >>> 0, frequencyHz: 869_300_000, datarate: "SF12BW125" }).ok, false);
  assert.equal(s.hs.radio.maxConductedDbm, 14, "16 dBm EIRP - 2 dBi antenna");
});

test("OTAA: the device joins through a JoinAccept at tmst + 5 s and its next uplink verifies with the derived keys", () => {
  const env = makeWorld(9, { shadowingSigmaDb: 0 });
  const hs = makeRadioHotspot(env, { board: HELTEC_WIFI_LORA_32_V3, region: US915, listen: { kind: "fixed", frequencyHz: 904_100_000, spreadingFactor: 10, bandwidthKhz: 125 } });
  const appKey = Buffer.from("98929b92c49edba9676d646d3b612456", "hex");
  const device = new EndDevice({ name: "otaa", world: env.world, position: { x: 2000, y: 0 }, region: US915, dataRate: 0, channelsHz: [904_100_000], activation: { kind: "otaa", devEui: "0004A30B001C0530", joinEui: "70B3D57ED0000000", appKey: new Uint8Array(appKey) }, rng: new Rng(12) });
  env.scheduler.at(env.scheduler.now() + 10_000, () => device.sendUplink());
  env.scheduler.runFor(1_000_000);
  assert.equal(hs.uplinks.length, 1);
  const jr = lora.fromWire(Buffer.from(hs.uplinks[0].payload));
  assert.equal(jr.getMType(), "Join Request");
  assert.equal(lora.verifyMIC(jr, null, appKey), true);
  const appNonce = Buffer.from("a1b2c3", "hex");
  const netId = Buffer.from("00003c", "hex");
  const devAddr = Buffer.from("78001234", "hex");
  const ja = phy(lora.fromFields({ MType: "Join Accept", AppNonce: appNonce, NetID: netId, DevAddr: devAddr, DLSettings: 0, RxDelay: 1 }, null, null, appKey));
  const w = rx1Window(US915, 904_100_000, 0, 0)!;
  assert.equal(w.dataRate, 10);
  const r = hs.radio.schedule({ payload: ja, tmst: (hs.uplinks[0].tmst + 5_000_000) >>> 0, frequencyHz: w.frequencyHz, datarate: "SF10BW500" });
  assert.ok(r.ok);
  env.scheduler.runFor(7_000_000);
  assert.equal(device.joined, true, JSON.stringify(device.ignored));
  assert.equal(device.session!.devAddr, 0x78001234);
  env.scheduler.at(env.scheduler.now() + 1000, () => device.sendUplink(new TextEncoder().encode("joined")));
  env.scheduler.runFor(2_000_000);
  const data = lora.fromWire(Buffer.from(hs.uplinks[1].payload));
  const devNonce = Buffer.from([jr.getPHYPayload()![18], jr.getPHYPayload()![17]]);
  const keys = lora.generateSessionKeys10(appKey, netId, appNonce, devNonce);
  assert.equal(lora.verifyMIC(data, keys.NwkSKey), true);
  assert.equal(lora.decrypt(data, keys.AppSKey, keys.NwkSKey).toString(), "joined");
  assert.deepEqual(hs.model.violations, []);
});
