// modules/app RadioPart's state when the driver gives up while it is being built (no chip on the
// bus: the SX1262 driver reports that from its constructor): the part must say "failed", which the
// status LED and the dashboard show, not "running".
import { test } from "node:test";
import assert from "node:assert/strict";
import { RadioPart } from "../modules/app/radio-part.js";
import { regionPlan } from "../modules/region/plans.js";
import type { RadioDriver } from "../modules/radio/radio.js";
import { VirtualTime } from "./support/virtual-time.js";

function part(failAtStart: boolean) {
  const vt = new VirtualTime(0, 1_767_225_600_000);
  const logged: string[] = [];
  const radio = new RadioPart({
    driver: (callbacks) => {
      if (failAtStart) callbacks.onError({ kind: "no-chip", message: "no SX126x answered on SPI", recovering: false, failed: true });
      const driver: RadioDriver = { configure() {}, write: () => false, read: () => undefined, close() {} };
      return driver;
    },
    clock: vt.clock,
    timers: vt.timers,
    airtime: () => 100_000,
    log: (level, source, message) => logged.push(`${level} ${source}: ${message}`),
    onUplink() {},
  });
  radio.start(regionPlan("EU868"), "auto", 2);
  return { radio, logged };
}

test("a driver that gives up while starting leaves the radio part failed, with the reason", () => {
  const { radio } = part(true);
  assert.equal(radio.state, "failed");
  assert.equal(radio.lastError, "no-chip: no SX126x answered on SPI");
});

test("a driver that starts leaves the radio part running", () => {
  const { radio } = part(false);
  assert.equal(radio.state, "running");
  assert.equal(radio.lastError, undefined);
});
