// The T-Beam's radio supply on the XS engine: device/radio.ts's powerRadioRail() as main.ts calls it,
// with the real T-Beam target (targets/tbeam_sx1262/host/provider.ts) and the device host provider,
// whose I2C class is the embedded:io/i2c stand-in with the power-chip model on the bus
// (sim/axp-model.ts). Expected register values: AXP192 REG 28H bits 7:4 = 0xF and REG 12H bit 2 for
// LDO2 at 3.3 V; AXP2101 REG 93H = 0x1C and REG 90H bit 1 for ALDO2 at 3.3 V (datasheets, XPowersLib).
import { test } from "./harness.js";
import { equal, ok } from "./assert.js";
import { attachPowerChip } from "./shims/embedded/io/i2c.js";
import device from "../../targets/tbeam_sx1262/host/provider.js";
import { createDeviceProvider } from "../../device/provider.js";
import { powerRadioRail, radioDriverFactory } from "../../device/radio.js";
import type { HostProvider } from "../../modules/host/provider.js";
import type { RadioDriverFault } from "../../modules/radio/radio.js";
import { AxpModel, type AxpModelChip } from "../../sim/axp-model.js";

const provider = createDeviceProvider(device, { timeSynced: () => false });

function host(lines: string[]): HostProvider {
  return { ...provider, log: (level, source, message) => void lines.push(`${level} ${source}: ${message}`) };
}

function chipOnBus(chip: AxpModelChip, registers: Record<number, number>): AxpModel {
  const model = new AxpModel({ chip, pins: { data: 21, clock: 22 }, registers });
  attachPowerChip(model);
  return model;
}

function writes(model: AxpModel): string {
  return model.writes.map((w) => `${w.register.toString(16)}=${w.value.toString(16)}`).join(" ");
}

test("T-Beam V1.0/V1.1 (AXP192): LDO2 set to 3.3 V and switched on, DC-DC1/DC-DC3 untouched, then a settle wait", () => {
  const model = chipOnBus("AXP192", { 0x12: 0x4b, 0x28: 0x5a });
  const lines: string[] = [];
  const start = provider.clock.micros();
  try {
    powerRadioRail(device, host(lines));
  } finally {
    attachPowerChip(undefined);
  }
  ok(provider.clock.micros() - start >= 10_000, "waited for the rail to rise");
  equal(writes(model), "28=fa 12=4f");
  equal(model.radioRail().on, true);
  equal(model.radioRail().millivolts, 3300);
  equal(model.violations.length, 0, JSON.stringify(model.violations));
  equal(model.openHandles, 0);
  equal(lines.join("\n"), "info power: AXP192 LDO2 (radio supply) switched on at 3.3 V");
});

test("T-Beam V1.2 (AXP2101): ALDO2 set to 3.3 V and switched on, DCDC1 untouched; already on at the next boot", () => {
  const model = chipOnBus("AXP2101", { 0x80: 0x01, 0x90: 0x00, 0x93: 0x0d });
  const lines: string[] = [];
  try {
    powerRadioRail(device, host(lines));
    powerRadioRail(device, host(lines));
  } finally {
    attachPowerChip(undefined);
  }
  equal(writes(model), "93=1c 90=2");
  equal(model.register(0x80), 0x01);
  equal(model.radioRail().millivolts, 3300);
  equal(model.violations.length, 0, JSON.stringify(model.violations));
  equal(lines.join("\n"), "info power: AXP2101 ALDO2 (radio supply) switched on at 3.3 V\ninfo power: AXP2101 ALDO2 (radio supply) already on at 3.3 V");
});

test("no power chip answers: one clear error line, no exception, and the radio then reports no-chip", () => {
  attachPowerChip(undefined);
  const lines: string[] = [];
  const h = host(lines);
  powerRadioRail(device, h);
  equal(
    lines.join("\n"),
    "error power: power chip at 0x34 not found: nothing answers on I2C SDA 21 / SCL 22 (write failed). Is this a LilyGO T-Beam SX1262 V1.x? The radio stays unpowered and will report no-chip.",
  );
  const faults: RadioDriverFault[] = [];
  const radio = radioDriverFactory(device, h, () => 100_000)(
    { onReadable() {}, onTransmitted() {}, onError: (fault) => void faults.push(fault) },
    { kind: "fixed", frequencyHz: 868_100_000, spreadingFactor: 7, bandwidthKhz: 125 },
  );
  radio.close();
  ok(faults.length > 0, "the driver reported a fault");
  equal(faults[0].kind, "no-chip");
});

test("an unknown chip at 0x34 is named by its ID and left alone", () => {
  const model = chipOnBus("AXP192", { 0x03: 0x5a });
  const lines: string[] = [];
  try {
    powerRadioRail(device, host(lines));
  } finally {
    attachPowerChip(undefined);
  }
  equal(model.writes.length, 0);
  ok(lines[0].startsWith("error power: the chip at 0x34 on I2C SDA 21 / SCL 22 has chip ID 0x5a (register 0x03): not an AXP192 (0x03) or an AXP2101 (0x4a). Is this"), lines[0]);
});
