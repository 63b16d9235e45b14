// The SX1262 on the board: its supply (Heltec's Vext, the T-Beam's power-chip rail), its wiring from
// the board's host provider (targets/<board>), DIO1 through the C interrupt stamp (radio-timing.ts),
// and the driver factory the app rebuilds the radio with.
import { PowerChipError, switchOnRail } from "../drivers/pmu/axp.js";
import { SX1262 } from "../drivers/sx1262/sx1262.js";
import type { Sx1262Board } from "../drivers/sx1262/boards.js";
import type { RadioDriverFactory } from "../modules/app/radio-part.js";
import type { DigitalConstructor, HostProvider, SPIConstructor } from "../modules/host/provider.js";
import { DigitalMode } from "../modules/host/provider.js";
import type { AirtimeFunction } from "../modules/radio/airtime.js";
import type { BoardDevice } from "../targets/board.js";
import { Dio1Input } from "./radio-timing.js";

/** The driver's board record from the target's pins and LoRa settings. */
export function sx1262Board(device: BoardDevice): Sx1262Board {
  const spi = device.SPI.default;
  return {
    name: device.name,
    pins: { nss: device.pin.loraNss, sck: spi.clock, mosi: spi.out, miso: spi.in, reset: device.pin.loraReset, busy: device.pin.loraBusy, dio1: device.pin.loraDio1 },
    settings: { tcxo: device.lora.tcxo, dio2RfSwitch: device.lora.dio2RfSwitch, regulator: device.lora.regulator, maxPowerDbm: device.lora.maxPowerDbm },
    spiHz: device.lora.spiHz,
  };
}

/**
 * Powers what the radio needs, once at boot before the radio is reset. Heltec V3: Vext (active low)
 * powers the antenna boost and is held on. T-Beam V1.x: the SX1262's supply rail on the power chip
 * is switched on (drivers/pmu). A failure is logged, not thrown: the radio then reports no-chip.
 */
export function powerRadioRail(device: BoardDevice, host: HostProvider): void {
  if (device.pin.vext !== undefined && host.io.Digital !== undefined) {
    new host.io.Digital({ pin: device.pin.vext, mode: DigitalMode.Output, initialValue: 0 }).write(0);
  }
  const chip = device.powerChip;
  if (chip === undefined) return;
  const unpowered = "The radio stays unpowered and will report no-chip.";
  if (host.io.I2C === undefined) {
    host.log("error", "power", `${device.name}: the host provider has no I2C class for the power chip. ${unpowered}`);
    return;
  }
  try {
    const result = switchOnRail({
      i2c: { io: host.io.I2C, data: chip.data, clock: chip.clock, hz: chip.hz, address: chip.address },
      rails: chip.radioRail,
      millivolts: chip.radioMillivolts,
      clock: host.clock,
    });
    const state = result.changed ? "switched on" : "already on";
    host.log("info", "power", `${result.chip} ${result.rail} (radio supply) ${state} at ${result.millivolts / 1000} V`);
  } catch (error) {
    // PowerChipError for every I2C or chip problem; anything else is logged the same way, never thrown.
    const why = error instanceof PowerChipError ? error.message : `power chip driver failed: ${String(error)}`;
    host.log("error", "power", `${why}. Is this a ${device.name} V1.x? ${unpowered}`);
  }
}

export function radioDriverFactory(device: BoardDevice, host: HostProvider, airtime: AirtimeFunction): RadioDriverFactory {
  const board = sx1262Board(device);
  const SPI = host.io.SPI as SPIConstructor;
  const Digital = host.io.Digital as DigitalConstructor;
  const p = board.pins;
  return (callbacks, listen) =>
    new SX1262({
      spi: { io: SPI, hz: board.spiHz, clock: p.sck, out: p.mosi, in: p.miso, mode: 0, port: device.SPI.default.port },
      select: { io: Digital, pin: p.nss },
      reset: { io: Digital, pin: p.reset },
      busy: { io: Digital, pin: p.busy },
      // DIO1 is stamped in its interrupt (native/radio_timing.c); the stamp arrives with each edge.
      dio1: { io: Dio1Input as unknown as DigitalConstructor, pin: p.dio1 },
      board: board.settings,
      clock: host.clock,
      timers: host.timers,
      listen,
      airtime,
      onReadable: callbacks.onReadable,
      onTransmitted: callbacks.onTransmitted,
      onError: callbacks.onError,
      log: host.log,
    });
}
