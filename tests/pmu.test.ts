// The power-chip driver (drivers/pmu) against the AXP192/AXP2101 register model (sim/axp-model.ts).
// Expected register values are written out here from the datasheets and XPowersLib, not taken from
// the driver: AXP192 REG 12H bit 2 = LDO2 on, REG 28H bits 7:4 = (mV - 1800) / 100 (3.3 V -> 0xF);
// AXP2101 REG 90H bit 1 = ALDO2 on, REG 93H bits 4:0 = (mV - 500) / 100 (3.3 V -> 0x1C). The model is
// seeded with a non-default value in every register so a write that touches a neighbouring bit or
// register shows up in the snapshot comparison.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AxpPowerChip, PowerChipError, RAIL_SETTLE_MICROS, switchOnRail, type PowerChipErrorKind } from "../drivers/pmu/axp.js";
import type { RailByChip } from "../drivers/pmu/axp-registers.js";
import { AxpModel, type AxpModelChip } from "../sim/axp-model.js";

const T_BEAM = { data: 21, clock: 22 };
const RAILS = { AXP192: "LDO2", AXP2101: "ALDO2" } as const;

/** A distinct non-zero value in every register, then the values a test cares about. */
function seed(chip: AxpModelChip, registers: Record<number, number>): Record<number, number> {
  const all: Record<number, number> = {};
  for (let r = 0; r < 256; r++) all[r] = (r * 37 + 11) & 0xff || 0x5a;
  delete all[0x03]; // the chip ID comes from the model
  if (chip === "AXP2101") all[0x93] &= 0x1f; // bits 7:5 are read-only zeros on the chip
  return { ...all, ...registers };
}

function rig(chip: AxpModelChip, registers: Record<number, number>) {
  let now = 0;
  const model = new AxpModel({ chip, pins: T_BEAM, registers: seed(chip, registers), now: () => now });
  const clock = { micros: () => now, millis: () => now / 1000, wallMillis: () => undefined, delayMicros: (us: number) => (now += us) };
  const run = (overrides: { rails?: object; millivolts?: number; pins?: { data: number; clock: number } } = {}) =>
    switchOnRail({
      i2c: { io: model.io().I2C, ...(overrides.pins ?? T_BEAM), hz: 100_000, address: 0x34 },
      rails: (overrides.rails ?? RAILS) as RailByChip,
      millivolts: overrides.millivolts ?? 3300,
      clock,
    });
  return { model, run, now: () => now };
}

function changedRegisters(before: Uint8Array, after: Uint8Array): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (let r = 0; r < 256; r++) if (before[r] !== after[r]) out["0x" + r.toString(16)] = [before[r], after[r]];
  return out;
}

function expectError(run: () => unknown, kind: PowerChipErrorKind, message: RegExp): PowerChipError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof PowerChipError, `a PowerChipError, not ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, message);
    return error;
  }
  assert.fail(`expected a ${kind} error`);
}

// ---------------------------------------------------------------- the model catches what a bad driver would do

test("model: one register per transfer, chip ID in 0x03, the radio rail decoded as the datasheets code it", () => {
  const a = new AxpModel({ chip: "AXP192", pins: T_BEAM, registers: { 0x12: 0x07, 0x28: 0xf0 } });
  const i2c = new (a.io().I2C)({ ...T_BEAM, hz: 100_000, address: 0x34 });
  i2c.write(Uint8Array.of(0x03));
  assert.deepEqual([...new Uint8Array(i2c.read(1))], [0x03]);
  assert.deepEqual(a.radioRail(), { name: "LDO2", on: true, millivolts: 3300 });
  i2c.write(Uint8Array.of(0x28, 0x0f)); // LDO2 code 0 = 1.8 V
  assert.deepEqual(a.radioRail(), { name: "LDO2", on: true, millivolts: 1800 });
  i2c.close();
  assert.equal(a.openHandles, 0);

  const b = new AxpModel({ chip: "AXP2101", pins: T_BEAM, registers: { 0x90: 0x02, 0x93: 0x1c } });
  const j = new (b.io().I2C)({ ...T_BEAM, hz: 100_000, address: 0x34 });
  j.write(Uint8Array.of(0x03));
  assert.deepEqual([...new Uint8Array(j.read(1))], [0x4a]);
  assert.deepEqual(b.radioRail(), { name: "ALDO2", on: true, millivolts: 3300 });
  j.write(Uint8Array.of(0x93, 0x1f));
  assert.equal(b.radioRail().millivolts, undefined, "code 11111 is reserved");
  assert.deepEqual([...a.violations, ...b.violations.filter((v) => v.kind !== "reserved-code")], []);
  assert.deepEqual(b.violations.map((v) => v.kind), ["reserved-code"]);
});

test("model: writes to the ESP32's rails, read-only and reserved bits, burst transfers and reads without an address are violations", () => {
  const a = new AxpModel({ chip: "AXP192", pins: T_BEAM });
  const i2c = new (a.io().I2C)({ ...T_BEAM, hz: 1_000_000, address: 0x34 });
  i2c.write(Uint8Array.of(0x12, 0x01)); // DC-DC3 off
  i2c.write(Uint8Array.of(0x27, 0x68)); // DC-DC3 voltage
  i2c.write(Uint8Array.of(0x12, 0x81)); // reserved bit 7
  i2c.write(Uint8Array.of(0x03, 0x4a));
  i2c.write(Uint8Array.of(0x28, 0xf0, 0x00));
  i2c.read(2);
  assert.deepEqual(a.violations.map((v) => v.kind), ["bus-speed", "protected-rail", "protected-rail", "reserved-bits", "read-only", "burst-transfer", "burst-transfer"]);
  assert.equal(a.register(0x03), 0x03, "the chip ID cannot be written");

  const b = new AxpModel({ chip: "AXP2101", pins: T_BEAM });
  const j = new (b.io().I2C)({ ...T_BEAM, hz: 100_000, address: 0x34 });
  j.read(1);
  j.write(Uint8Array.of(0x80, 0x00)); // DCDC1 off
  j.write(Uint8Array.of(0x82, 0x12)); // DCDC1 voltage
  j.write(Uint8Array.of(0x93, 0xfc));
  assert.deepEqual(b.violations.map((v) => v.kind), ["no-register-address", "protected-rail", "protected-rail", "read-only"]);
  assert.equal(b.register(0x93), 0x1c, "bits 7:5 stay zero");
  assert.throws(() => new (b.io().I2C)({ ...T_BEAM, hz: 100_000, address: 0x34 }), /duplicate address/);
});

test("model: an absent chip, another address or other pins do not acknowledge: transfers throw as on the ESP32", () => {
  const m = new AxpModel({ chip: "AXP192", pins: T_BEAM });
  const elsewhere = new (m.io().I2C)({ data: 4, clock: 15, hz: 100_000, address: 0x34 });
  assert.throws(() => elsewhere.write(Uint8Array.of(0x03)), /write failed/);
  const otherAddress = new (m.io().I2C)({ ...T_BEAM, hz: 100_000, address: 0x35 });
  assert.throws(() => otherAddress.read(1), /read failed/);
  m.faults.absent = true;
  const here = new (m.io().I2C)({ ...T_BEAM, hz: 100_000, address: 0x34 });
  assert.throws(() => here.write(Uint8Array.of(0x03)), /write failed/);
  here.close();
  assert.throws(() => here.write(Uint8Array.of(0x03)), /closed/);
});

// ---------------------------------------------------------------- the driver

test("AXP192 (T-Beam V1.0/V1.1): identified by chip ID 0x03, LDO2 set to 3.3 V then switched on; nothing else changes", () => {
  // REG 12H 0x4B: EXTEN, LDO3, DC-DC3, DC-DC1 on, LDO2 off. REG 28H 0x5A: LDO2 2.3 V, LDO3 2.8 V.
  const { model, run, now } = rig("AXP192", { 0x12: 0x4b, 0x28: 0x5a });
  const before = model.snapshot();
  const result = run();
  assert.deepEqual(result, { chip: "AXP192", rail: "LDO2", millivolts: 3300, before: { on: false, millivolts: 2300 }, changed: true });
  assert.deepEqual(changedRegisters(before, model.snapshot()), { "0x12": [0x4b, 0x4f], "0x28": [0x5a, 0xfa] });
  assert.deepEqual(
    model.writes.map((w) => [w.register, w.value]),
    [
      [0x28, 0xfa],
      [0x12, 0x4f],
    ],
    "voltage first, then the enable bit",
  );
  assert.deepEqual(model.radioRail(), { name: "LDO2", on: true, millivolts: 3300 });
  assert.deepEqual(model.violations, []);
  assert.equal(model.openHandles, 0, "the I2C handle is closed");
  assert.ok(now() - model.writes[1].time >= RAIL_SETTLE_MICROS && RAIL_SETTLE_MICROS >= 1000, `waited ${now() - model.writes[1].time} µs for the rail`);
});

test("AXP2101 (T-Beam V1.2): identified by chip ID 0x4A, ALDO2 set to 3.3 V then switched on; DCDC1 and every other bit untouched", () => {
  // REG 80H 0x1F: all five DC-DCs on. REG 90H 0x85: DLDO1, ALDO3, ALDO1 on, ALDO2 off. REG 93H 0x0D: 1.8 V.
  const { model, run, now } = rig("AXP2101", { 0x80: 0x1f, 0x90: 0x85, 0x93: 0x0d });
  const before = model.snapshot();
  const result = run();
  assert.deepEqual(result, { chip: "AXP2101", rail: "ALDO2", millivolts: 3300, before: { on: false, millivolts: 1800 }, changed: true });
  assert.deepEqual(changedRegisters(before, model.snapshot()), { "0x90": [0x85, 0x87], "0x93": [0x0d, 0x1c] });
  assert.deepEqual(
    model.writes.map((w) => [w.register, w.value]),
    [
      [0x93, 0x1c],
      [0x90, 0x87],
    ],
  );
  assert.deepEqual(model.radioRail(), { name: "ALDO2", on: true, millivolts: 3300 });
  assert.deepEqual(model.violations, []);
  assert.equal(model.openHandles, 0);
  assert.ok(now() - model.writes[1].time >= RAIL_SETTLE_MICROS);
});

test("a rail already on at 3.3 V is not written and not waited for; one on at another voltage only gets its voltage", () => {
  const on = rig("AXP192", { 0x12: 0x47, 0x28: 0xf3 });
  assert.deepEqual(on.run(), { chip: "AXP192", rail: "LDO2", millivolts: 3300, before: { on: true, millivolts: 3300 }, changed: false });
  assert.deepEqual(on.model.writes, []);
  assert.equal(on.now(), 0, "no settle wait");

  const low = rig("AXP2101", { 0x90: 0xff, 0x93: 0x05 });
  assert.equal(low.run().before.millivolts, 1000);
  assert.deepEqual(
    low.model.writes.map((w) => [w.register, w.value]),
    [[0x93, 0x1c]],
  );
  assert.deepEqual(low.model.violations, []);
  assert.ok(low.now() >= RAIL_SETTLE_MICROS);
});

test("the chip can be asked for a rail's state without changing anything", () => {
  const { model } = rig("AXP192", { 0x12: 0x4f, 0x28: 0xa0 });
  const chip = new AxpPowerChip({ io: model.io().I2C, ...T_BEAM });
  assert.equal(chip.model, "AXP192");
  assert.deepEqual(chip.state("LDO2"), { on: true, millivolts: 2800 });
  chip.close();
  assert.deepEqual(model.writes, []);
  assert.equal(model.openHandles, 0);
});

test("nothing at 0x34 (no chip, other pins, a dead bus): not-found, with the pins and the host's words", () => {
  const absent = rig("AXP192", {});
  absent.model.faults.absent = true;
  const error = expectError(absent.run, "not-found", /^power chip at 0x34 not found: nothing answers on I2C SDA 21 \/ SCL 22 \(write failed\)$/);
  assert.equal(error.detail, "write failed");
  assert.equal(absent.model.openHandles, 0);

  const wrongPins = rig("AXP2101", {});
  expectError(() => wrongPins.run({ pins: { data: 4, clock: 15 } }), "not-found", /SDA 4 \/ SCL 15/);
  assert.deepEqual(wrongPins.model.writes, []);
});

test("an unknown chip ID is refused before anything is written", () => {
  const { model, run } = rig("AXP192", { 0x03: 0x5a });
  expectError(run, "unknown-chip", /chip ID 0x5a \(register 0x03\): not an AXP192 \(0x03\) or an AXP2101 \(0x4a\)/);
  assert.deepEqual(model.writes, []);
  assert.equal(model.openHandles, 0);
});

test("a short read, a chip that stops answering mid-way, or a write that does not take: typed errors, the bus released", () => {
  const short = rig("AXP2101", {});
  short.model.faults.shortRead = true;
  expectError(short.run, "short-read", /reading register 0x03 .*got 0 bytes, not 1/);
  assert.equal(short.model.openHandles, 0);

  // Transfers: 2 for the chip ID, 2 + 2 to read the voltage and enable registers; the 7th is the voltage write.
  const drop = rig("AXP192", { 0x12: 0x03, 0x28: 0x0c });
  drop.model.faults.failAfterTransfers = 6;
  expectError(drop.run, "bus-error", /^writing 0xfc to register 0x28 \(LDO2 voltage\) at 0x34 on I2C SDA 21 \/ SCL 22 failed: write failed$/);
  assert.deepEqual(drop.model.writes, []);
  assert.equal(drop.model.openHandles, 0);
  assert.equal(drop.now(), 0);

  const stuck = rig("AXP192", { 0x12: 0x03, 0x28: 0x0c });
  stuck.model.faults.ignoreWrites = true;
  expectError(stuck.run, "not-applied", /register 0x28 \(LDO2 voltage\) reads 0x0c after writing 0xfc/);
  assert.equal(stuck.model.radioRail().on, false);
});

test("a voltage the rail cannot make, a board without a rail for the chip found, a bus that will not open", () => {
  for (const millivolts of [3400, 1700, 3350, 3300.5]) {
    const r = rig("AXP192", { 0x12: 0x03 });
    expectError(() => r.run({ millivolts }), "invalid-voltage", /AXP192 LDO2: .* mV is not one of 1800-3300 mV in 100 mV steps/);
    assert.deepEqual(r.model.writes, []);
  }
  const r = rig("AXP2101", {});
  expectError(() => r.run({ rails: { AXP192: "LDO2" } }), "no-rail", /found an AXP2101, but this board names no rail on it for the radio/);
  expectError(() => r.run({ rails: { AXP2101: "LDO2" } }), "no-rail", /the AXP2101 has no rail "LDO2" this driver knows \(it knows ALDO2\)/);
  assert.equal(r.model.openHandles, 0);

  const held = new (r.model.io().I2C)({ ...T_BEAM, hz: 100_000, address: 0x34 });
  expectError(r.run, "bus-open", /cannot open I2C SDA 21 \/ SCL 22 for the power chip: duplicate address/);
  held.close();
  assert.deepEqual(r.model.writes, []);
  assert.deepEqual(r.model.violations, []);
});
