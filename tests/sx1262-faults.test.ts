// Fault injection: a stuck BUSY line, a dead DIO1, CRC storms, an oscillator that does not start,
// a chip that does not answer, a DC-DC converter without its inductor. Each ends in recovery or a
// clear report, is counted, and nothing hangs (every test runs minutes of virtual time in well
// under a second of real time).
import { test } from "node:test";
import assert from "node:assert/strict";
import { HELTEC_WIFI_LORA_32_V3, LILYGO_T_BEAM_SX1262 } from "../drivers/sx1262/boards.js";
import { regionPlan } from "../modules/region/plans.js";
import { EndDevice } from "../sim/end-device.js";
import { Rng } from "../sim/rng.js";
import { makeHotspot, makeWorld, modelBoardFor, type Hotspot } from "./support/radio-rig.js";

const US915 = regionPlan("US915");
const LISTEN = { kind: "fixed", frequencyHz: 903_900_000, spreadingFactor: 7, bandwidthKhz: 125 } as const;

function devices(env: ReturnType<typeof makeWorld>, n: number): EndDevice[] {
  return Array.from({ length: n }, (_, i) =>
    new EndDevice({ name: `d${i}`, world: env.world, position: { x: 300 + 100 * i, y: 200 }, region: US915, dataRate: 3, channelsHz: [903_900_000], activation: { kind: "abp", devAddr: 0x78000000 + i, nwkSKey: new Uint8Array(16), appSKey: new Uint8Array(16) }, rng: new Rng(100 + i) }),
  );
}

/** Sends one uplink from `dev` at virtual time `t`. */
function sendAt(env: ReturnType<typeof makeWorld>, dev: EndDevice, t: number): void {
  env.scheduler.at(t, () => dev.sendUplink());
}

function delivered(hs: Hotspot): number {
  return hs.model.receptions.filter((r) => r.outcome === "ok").length;
}

function timed<T>(fn: () => T): T {
  const start = performance.now();
  const out = fn();
  assert.ok(performance.now() - start < 5000, "a fault scenario must not take long in real time");
  return out;
}

test("BUSY stuck: the driver times out, resets, fails over to a slow retry, and recovers when BUSY is released", () => {
  timed(() => {
    const env = makeWorld(31, { shadowingSigmaDb: 0 });
    const hs = makeHotspot(env, { board: HELTEC_WIFI_LORA_32_V3, listen: LISTEN });
    const [dev] = devices(env, 1);
    const t0 = env.scheduler.now();
    sendAt(env, dev, t0 + 100_000);
    env.scheduler.runFor(1_000_000);
    assert.equal(hs.packets.length, 1);
    hs.model.faults.busyStuck = true;
    sendAt(env, dev, t0 + 5_000_000);
    env.scheduler.runFor(6_000_000);
    assert.equal(hs.driver.state, "failed");
    assert.ok(hs.driver.stats.faults["busy-stuck"] >= 1);
    assert.match(hs.faults[0].message, /BUSY stayed high for more than \d+ µs/);
    assert.equal(hs.faults.at(-1)!.failed, true);
    assert.match(hs.faults.at(-1)!.message, /gave up after 3 attempts; retrying in 5 s/);
    // While failed, a TX is refused at once (not queued into a dead radio).
    assert.equal(hs.driver.write({ payload: new Uint8Array(4), frequencyHz: 923_300_000, spreadingFactor: 7, bandwidthKhz: 500, powerDbm: 14, invertIq: true, tag: "x" }), false);
    assert.equal(hs.reports.at(-1)!.error, "RADIO_FAULT");
    hs.model.faults.busyStuck = false;
    env.scheduler.runFor(20_000_000);
    assert.equal(hs.driver.state, "listening");
    sendAt(env, dev, env.scheduler.now() + 100_000);
    env.scheduler.runFor(1_000_000);
    assert.equal(hs.packets.length, 2, "uplinks flow again after recovery");
    assert.ok(hs.driver.stats.resets >= 3);
  });
});

test("dead DIO1: pending flags are found by polling, reported once as no-irq, and packets still come through", () => {
  timed(() => {
    const env = makeWorld(32, { shadowingSigmaDb: 0 });
    const hs = makeHotspot(env, { board: HELTEC_WIFI_LORA_32_V3, listen: LISTEN });
    const [dev] = devices(env, 1);
    hs.model.faults.dio1Dead = true;
    const t0 = env.scheduler.now();
    sendAt(env, dev, t0 + 1_000_000);
    env.scheduler.runFor(35_000_000);
    assert.equal(hs.packets.length, 1, "found at the next health check");
    assert.equal(hs.faults.length, 1);
    assert.equal(hs.faults[0].kind, "no-irq");
    assert.equal(hs.faults[0].recovering, false);
    assert.match(hs.faults[0].message, /no DIO1 edge: polling every 250 ms/);
    // From now on it polls every tick: the next packet arrives within 250 ms, with a late timestamp.
    const sent = env.scheduler.now() + 100_000;
    sendAt(env, dev, sent);
    env.scheduler.runFor(1_000_000);
    assert.equal(hs.packets.length, 2);
    const late = hs.packets[1].micros - dev.uplinks[1].tx.end;
    assert.ok(late > 0 && late <= 250_000 + 2000, `late by ${late} µs`);
    // A TX completes too: its TxDone is found by the watchdog after the airtime bound.
    const at = (Math.floor(env.clock.micros()) + 200_000) >>> 0;
    assert.equal(hs.driver.write({ payload: new Uint8Array(12), frequencyHz: 923_300_000, spreadingFactor: 7, bandwidthKhz: 500, powerDbm: 20, invertIq: true, at, tag: "dl" }), true);
    env.scheduler.runFor(2_000_000);
    assert.equal(hs.reports.at(-1)!.ok, true);
    assert.ok(hs.driver.stats.missedIrqs >= 3);
    assert.equal(hs.driver.state, "listening");
    assert.deepEqual(hs.model.violations, []);
  });
});

test("CRC storm: counted, not forwarded, reported once a minute; reception resumes after it", () => {
  timed(() => {
    const env = makeWorld(33, { shadowingSigmaDb: 0 });
    const hs = makeHotspot(env, { board: HELTEC_WIFI_LORA_32_V3, listen: LISTEN });
    const devs = devices(env, 4);
    hs.model.faults.crcErrorRate = 1;
    const t0 = env.scheduler.now();
    // 4 devices, one uplink each every 2.5 s, staggered so they never overlap: 96 frames a minute.
    for (let k = 0; k < 24; k++) devs.forEach((d, i) => sendAt(env, d, t0 + 100_000 + k * 2_500_000 + i * 400_000));
    env.scheduler.runFor(61_000_000);
    assert.equal(hs.packets.length, 0, "nothing with a bad CRC is forwarded");
    assert.equal(hs.driver.stats.crcErrors, 96);
    const storms = hs.faults.filter((f) => f.kind === "crc-storm");
    assert.equal(storms.length, 1);
    assert.match(storms[0].message, /31 CRC errors within a minute/);
    assert.equal(hs.driver.state, "listening");
    hs.model.faults.crcErrorRate = 0;
    const t1 = env.scheduler.now();
    devs.forEach((d, i) => sendAt(env, d, t1 + 100_000 + i * 400_000));
    env.scheduler.runFor(3_000_000);
    assert.equal(hs.packets.length, 4);
    assert.equal(hs.driver.stats.perSf[7].crcErrors, 96);
    assert.equal(hs.driver.stats.perSf[7].heard, 4);
  });
});

test("oscillator failure: a TCXO voltage below the part's minimum is reported naming the TCXO setting; bounded retries", () => {
  timed(() => {
    const env = makeWorld(34);
    const board = { ...HELTEC_WIFI_LORA_32_V3, settings: { ...HELTEC_WIFI_LORA_32_V3.settings, tcxo: { volts: 1.6, delayMicros: 5000 } } };
    const hs = makeHotspot(env, { board, listen: LISTEN, modelBoard: modelBoardFor(HELTEC_WIFI_LORA_32_V3) });
    assert.equal(hs.driver.state, "failed");
    assert.equal(hs.faults.length, 3);
    for (const f of hs.faults) {
      assert.equal(f.kind, "oscillator");
      assert.match(f.message, /XOSC_START/);
      assert.match(f.message, /TCXO on DIO3 at 1\.6 V with 5000 µs start-up delay/);
      assert.match(f.message, /tcxo voltage\/delay setting/);
    }
    env.scheduler.runFor(120_000_000);
    // Retries back off 10 s, 20 s, 40 s, 60 s: a handful of attempts in two minutes, not a loop.
    assert.ok(hs.driver.stats.faults.oscillator <= 20, `${hs.driver.stats.faults.oscillator} attempts`);
    assert.equal(hs.driver.state, "failed");
    // A start-up delay shorter than the part needs fails the same way.
    const env2 = makeWorld(35);
    const short = { ...HELTEC_WIFI_LORA_32_V3, settings: { ...HELTEC_WIFI_LORA_32_V3.settings, tcxo: { volts: 1.8, delayMicros: 1000 } } };
    const hs2 = makeHotspot(env2, { board: short, listen: LISTEN, modelBoard: modelBoardFor(HELTEC_WIFI_LORA_32_V3) });
    assert.match(hs2.faults[0].message, /1\.8 V with 1000 µs start-up delay/);
    // And a board file that forgets the TCXO entirely.
    const env3 = makeWorld(36);
    const none = { ...HELTEC_WIFI_LORA_32_V3, settings: { ...HELTEC_WIFI_LORA_32_V3.settings, tcxo: undefined } };
    const hs3 = makeHotspot(env3, { board: none, listen: LISTEN, modelBoard: modelBoardFor(HELTEC_WIFI_LORA_32_V3) });
    assert.match(hs3.faults[0].message, /no TCXO configured/);
  });
});

test("no chip on the bus and a DC-DC converter without its inductor are clear errors", () => {
  timed(() => {
    const env = makeWorld(37);
    const hs = makeHotspot(env, { board: HELTEC_WIFI_LORA_32_V3, listen: LISTEN, beforeStart: (m) => (m.faults.disconnected = true) });
    assert.equal(hs.driver.state, "failed");
    assert.equal(hs.faults[0].kind, "no-chip");
    assert.match(hs.faults[0].message, /no SX126x answered on SPI \(status byte 0xff\)/);
    const env2 = makeWorld(38);
    const hs2 = makeHotspot(env2, { board: LILYGO_T_BEAM_SX1262, listen: LISTEN, modelBoard: { ...modelBoardFor(LILYGO_T_BEAM_SX1262), dcdcInductor: false } });
    assert.equal(hs2.driver.state, "failed");
    assert.equal(hs2.faults[0].kind, "device-errors");
    assert.match(hs2.faults[0].message, /device errors 0x0080 after initialisation/);
    env2.scheduler.runFor(30_000_000);
    assert.equal(hs2.driver.state, "failed");
  });
});

test("a stuck BUSY during a timed TX reports the TX as failed and brings the radio back", () => {
  timed(() => {
    const env = makeWorld(39);
    const hs = makeHotspot(env, { board: HELTEC_WIFI_LORA_32_V3, listen: LISTEN });
    const at = (Math.floor(env.clock.micros()) + 100_000) >>> 0;
    hs.driver.write({ payload: new Uint8Array(12), frequencyHz: 923_300_000, spreadingFactor: 7, bandwidthKhz: 500, powerDbm: 20, invertIq: true, at, tag: 7 });
    hs.model.faults.busyStuck = true;
    env.scheduler.runFor(200_000);
    assert.equal(hs.reports.length, 1);
    assert.deepEqual([hs.reports[0].tag, hs.reports[0].ok, hs.reports[0].error], [7, false, "RADIO_FAULT"]);
    hs.model.faults.busyStuck = false;
    env.scheduler.runFor(30_000_000);
    assert.equal(hs.driver.state, "listening");
    assert.equal(delivered(hs), 0);
  });
});
