// Real-time mode: the same scheduler interface on the wall clock, with the driver and chip model
// running on it (what `npm start` uses). Kept short: a few hundred milliseconds of real time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HELTEC_WIFI_LORA_32_V3, boardIo } from "../drivers/sx1262/boards.js";
import { SX1262, type Sx1262Packet } from "../drivers/sx1262/sx1262.js";
import { regionPlan } from "../modules/region/plans.js";
import { EndDevice } from "../sim/end-device.js";
import { schedulerClock, schedulerTimers } from "../sim/host-clock.js";
import { RadioWorld } from "../sim/radio-world.js";
import { Rng } from "../sim/rng.js";
import { RealTimeScheduler } from "../sim/host/real-time.js";
import { Sx1262Model } from "../sim/sx1262-model.js";
import { airtime, modelBoardFor } from "./support/radio-rig.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("real-time timers: one-shot, repeating, cleared; delayMicros busy-waits", async () => {
  const scheduler = new RealTimeScheduler();
  const clock = schedulerClock(scheduler);
  const timers = schedulerTimers(scheduler);
  try {
    const fired: string[] = [];
    timers.set(() => fired.push("b"), 40);
    timers.set(() => fired.push("a"), 10);
    const cleared = timers.set(() => fired.push("never"), 20);
    timers.clear(cleared);
    let ticks = 0;
    const rep = timers.repeat(() => ticks++, 15);
    const t0 = clock.micros();
    clock.delayMicros(2000);
    assert.ok(clock.micros() - t0 >= 2000);
    await sleep(100);
    timers.clear(rep);
    const after = ticks;
    await sleep(40);
    assert.deepEqual(fired, ["a", "b"]);
    assert.ok(after >= 2, `${after} ticks`);
    assert.equal(ticks, after, "a cleared repeating timer stops");
    assert.ok(clock.wallMillis()! > Date.UTC(2024, 0, 1));
  } finally {
    scheduler.stop();
  }
});

test("real-time world: the driver brings the model up and receives an uplink on the wall clock", async () => {
  const scheduler = new RealTimeScheduler();
  const world = new RadioWorld({ scheduler, airtime: airtime(), seed: 1, shadowingSigmaDb: 0 });
  const board = HELTEC_WIFI_LORA_32_V3;
  const model = new Sx1262Model({ name: "rt", scheduler, world, pins: board.pins, board: modelBoardFor(board), position: { x: 0, y: 0 } });
  const packets: Sx1262Packet[] = [];
  const driver = new SX1262({
    ...boardIo(board, model.io()),
    board: board.settings,
    clock: schedulerClock(scheduler),
    timers: schedulerTimers(scheduler),
    listen: { kind: "fixed", frequencyHz: 903_900_000, spreadingFactor: 7, bandwidthKhz: 125 },
    airtime: airtime(),
    onReadable() {
      for (let p = this.read(); p; p = this.read()) packets.push(p);
    },
  });
  try {
      assert.equal(driver.state, "listening");
      const device = new EndDevice({ name: "rt-dev", world, position: { x: 500, y: 0 }, region: regionPlan("US915"), dataRate: 3, channelsHz: [903_900_000], activation: { kind: "abp", devAddr: 1, nwkSKey: new Uint8Array(16), appSKey: new Uint8Array(16) }, rng: new Rng(1) });
      scheduler.at(scheduler.now() + 20_000, () => device.sendUplink());
      // Generous: the machine may be busy; the frame itself lasts 41 ms.
      for (let i = 0; i < 300 && packets.length === 0; i++) await sleep(10);
      assert.equal(packets.length, 1);
      // The edge stamp is the chip's (scheduled) RxDone time, so tmst is exact even when the host runs late.
      assert.ok(Math.abs(packets[0].micros - device.uplinks[0].tx.end) < 1, `${packets[0].micros - device.uplinks[0].tx.end} µs`);
      assert.deepEqual(model.violations, []);
  } finally {
    driver.close();
    scheduler.stop();
  }
});
