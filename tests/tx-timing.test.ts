// Downlink timing that is measured, not asserted: the chip model says when the preamble really left
// (SetTx's NSS edge, the TCXO delay the driver programmed over SPI, the datasheet's switching time),
// the driver reports when it really issued SetTx, and a host that comes back late from its busy
// wait shows up as exactly that much error in both. Also: a model that ignores commands while BUSY
// is high, against a driver that waits for BUSY and one that cannot see it. Virtual time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HELTEC_WIFI_LORA_32_V3, boardIo, type Sx1262Board } from "../drivers/sx1262/boards.js";
import { SX1262 } from "../drivers/sx1262/sx1262.js";
import type { Clock, Digital, DigitalOptions } from "../modules/host/provider.js";
import { Radio } from "../modules/radio/radio.js";
import { startToleranceMicros } from "../modules/radio/start-tolerance.js";
import { regionPlan } from "../modules/region/plans.js";
import { EndDevice } from "../sim/end-device.js";
import { Rng } from "../sim/rng.js";
import { Sx1262Model } from "../sim/sx1262-model.js";
import { makeHotspot, makeWorld, modelBoardFor, type RigWorld } from "./support/radio-rig.js";

const US915 = regionPlan("US915");
const LISTEN = { kind: "fixed", frequencyHz: 903_900_000, spreadingFactor: 7, bandwidthKhz: 125 } as const;
const DOWN = { frequencyHz: 923_300_000, spreadingFactor: 7, bandwidthKhz: 500, powerDbm: 14, invertIq: true } as const;
const CRYSTAL_BOARD: Sx1262Board = { ...HELTEC_WIFI_LORA_32_V3, settings: { ...HELTEC_WIFI_LORA_32_V3.settings, tcxo: undefined } };

/** A host whose long busy waits (100 µs and more) come back `lateMicros` late (an interrupt or a GC pause inside the wait). */
function lateWaits(env: RigWorld, lateMicros: number): RigWorld {
  const clock: Clock = { ...env.clock, delayMicros: (us) => env.clock.delayMicros(us >= 100 ? us + lateMicros : us) };
  return { ...env, clock };
}

function transmitAt(env: RigWorld, board = HELTEC_WIFI_LORA_32_V3) {
  const hs = makeHotspot(env, { board, listen: LISTEN });
  const at = (Math.floor(env.clock.micros()) + 200_000) >>> 0;
  assert.equal(hs.driver.write({ ...DOWN, payload: new Uint8Array(12), at, tag: 1 }), true);
  env.scheduler.runFor(500_000);
  assert.equal(hs.reports.length, 1);
  assert.equal(hs.reports[0].ok, true, JSON.stringify(hs.reports[0]));
  assert.equal(hs.model.transmitted.length, 1);
  return { hs, at, sent: hs.model.transmitted[0] };
}

test("the model starts the preamble at SetTx + the TCXO delay it was programmed with + 105 µs (crystal: 126 µs from STBY_RC)", () => {
  // Heltec V3: SetDIO3AsTcxoCtrl 97 02 00 01 40 (spec A.10a) = 320 x 15.625 µs = 5000 µs; then STBY
  // with the oscillator running to TX, 105 µs (RM0453 Table 33).
  const tcxo = transmitAt(makeWorld(3, { shadowingSigmaDb: 0 }));
  assert.equal(tcxo.sent.tx.start - tcxo.sent.commandTime, 5000 + 105);
  const crystal = transmitAt(makeWorld(3, { shadowingSigmaDb: 0 }), CRYSTAL_BOARD);
  assert.equal(crystal.sent.tx.start - crystal.sent.commandTime, 126);
  for (const { hs } of [tcxo, crystal]) assert.deepEqual(hs.model.violations, []);
});

test("on a punctual host the measured start is the target, in the driver's report and on the air", () => {
  for (const board of [HELTEC_WIFI_LORA_32_V3, CRYSTAL_BOARD]) {
    const { hs, at, sent } = transmitAt(makeWorld(4, { shadowingSigmaDb: 0 }), board);
    assert.equal(hs.reports[0].tmst, at);
    assert.equal(sent.tx.start, at, `${board.settings.tcxo ? "TCXO" : "crystal"}: on the air at the target`);
    assert.equal(hs.reports[0].setTxMicros, sent.commandTime, "SetTx as the driver saw it = as the chip saw it");
  }
});

for (const late of [137, 2000]) {
  test(`a busy wait that returns ${late} µs late: the driver reports exactly ${late} µs of error, the air agrees, the radio counts it by the SF's tolerance`, () => {
    const env = lateWaits(makeWorld(5, { shadowingSigmaDb: 0 }), late);
    const { hs, at, sent } = transmitAt(env);
    assert.equal(hs.reports[0].tmst! - at, late, "reported start error");
    assert.equal(sent.tx.start - at, late, "start error on the air");

    // The same through the radio service: errorMicros and on time against one SF7/BW500 symbol (256 µs).
    const env2 = lateWaits(makeWorld(6, { shadowingSigmaDb: 0 }), late);
    const board = HELTEC_WIFI_LORA_32_V3;
    const model = new Sx1262Model({ name: "radio", scheduler: env2.scheduler, world: env2.world, pins: board.pins, board: modelBoardFor(board) });
    const outcomes: { errorMicros?: number; onTime: boolean; toleranceMicros: number }[] = [];
    const radio = new Radio({
      driver: (cb) => new SX1262({ ...boardIo(board, model.io()), board: board.settings, clock: env2.clock, timers: env2.timers, listen: LISTEN, airtime: env2.airtime, ...cb }),
      clock: env2.clock,
      timers: env2.timers,
      region: US915,
      listen: LISTEN,
      airtime: env2.airtime,
      onDownlink: (o) => outcomes.push(o),
    });
    const tmst = (Math.floor(env2.clock.micros()) + 300_000) >>> 0;
    assert.ok(radio.schedule({ payload: new Uint8Array(12), tmst, frequencyHz: 923_300_000, datarate: "SF7BW500" }).ok);
    env2.scheduler.runFor(1_000_000);
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0].errorMicros, late);
    assert.equal(outcomes[0].toleranceMicros, 256);
    assert.equal(outcomes[0].onTime, late <= 256);
    assert.equal(radio.stats.downlinksLate, late <= 256 ? 0 : 1);
    assert.equal(model.transmitted[0].tx.start - tmst, late, "the air agrees");
    assert.deepEqual(model.violations, []);
  });
}

test("start tolerance: one symbol for an 8-symbol preamble (LoRaMac-node MinRxSymbols 6), more for longer preambles", () => {
  assert.equal(startToleranceMicros(7, 125), 1024);
  assert.equal(startToleranceMicros(12, 125), 32_768);
  assert.equal(startToleranceMicros(9, 500), 1024);
  assert.equal(startToleranceMicros(12, 500), 8192);
  assert.equal(startToleranceMicros(7, 125, 10), 2048);
  assert.equal(startToleranceMicros(7, 125, 6), 0);
});

test("a model that holds BUSY 400 µs after every command (ignoring commands meanwhile): the driver waits, so nothing is lost", () => {
  const env = makeWorld(8, { shadowingSigmaDb: 0 });
  const hs = makeHotspot(env, { board: HELTEC_WIFI_LORA_32_V3, listen: LISTEN, modelTiming: { commandBusyMicros: 400 }, recordFrames: true });
  const device = new EndDevice({ name: "d", world: env.world, position: { x: 400, y: 0 }, region: US915, dataRate: 3, channelsHz: [903_900_000], activation: { kind: "abp", devAddr: 0x78000001, nwkSKey: new Uint8Array(16), appSKey: new Uint8Array(16) }, rng: new Rng(1) });
  env.scheduler.at(env.scheduler.now() + 100_000, () => device.sendUplink());
  env.scheduler.runFor(1_000_000);
  assert.equal(hs.packets.length, 1, "received");
  const at = (Math.floor(env.clock.micros()) + 100_000) >>> 0;
  assert.ok(hs.driver.write({ ...DOWN, payload: new Uint8Array(8), at }));
  env.scheduler.runFor(500_000);
  assert.equal(hs.reports.at(-1)!.ok, true);
  assert.equal(hs.model.transmitted[0].tx.start, at);
  assert.deepEqual(hs.model.violations, []);
  assert.equal(hs.model.frames.filter((f) => f.lost).length, 0);
});

test("a driver that cannot see BUSY (the pin reads low): its commands during BUSY are lost and recorded, and the driver reports a fault", () => {
  const env = makeWorld(9, { shadowingSigmaDb: 0 });
  class BlindBusy implements Digital {
    constructor(_options: DigitalOptions) {}
    read(): 0 | 1 {
      return 0;
    }
    write(): void {}
    close(): void {}
  }
  const hs = makeHotspot(env, { board: HELTEC_WIFI_LORA_32_V3, listen: LISTEN, recordFrames: true, driver: { busy: { io: BlindBusy, pin: HELTEC_WIFI_LORA_32_V3.pins.busy } } });
  env.scheduler.runFor(100_000);
  const lost = hs.model.frames.filter((f) => f.lost);
  assert.ok(lost.length > 0, "some frames hit a busy chip");
  assert.equal(hs.model.violations.filter((v) => v.kind === "command-while-busy").length, lost.length, "each lost frame is a recorded violation");
  assert.ok(hs.faults.length > 0, "the driver noticed something was wrong");
  assert.notEqual(hs.driver.state, "listening");
});
