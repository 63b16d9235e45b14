// What each board target's host provider (targets/<board>/host/provider.ts, the SDK's
// "embedded:provider/builtin" for that subplatform) exports: the ECMA-419 `device` object plus how
// the SX1262 is wired and powered on that board. Pins are ESP32 GPIO numbers (spec/radio-and-wire.md
// section B); main.ts hands them to the SX1262 driver.
import type Digital from "embedded:io/digital";
import type I2C from "embedded:io/i2c";
import type SPI from "embedded:io/spi";
import type { RailByChip } from "../drivers/pmu/axp-registers.js";

/** A power-management chip on I2C whose output supplies the radio (drivers/pmu). */
export interface PowerChipWiring {
  /** SDA and SCL GPIOs. */
  data: number;
  clock: number;
  hz: number;
  /** 7-bit I2C address. */
  address: number;
  /** The rail that feeds the SX1262 on each chip the board ships with. */
  radioRail: RailByChip;
  radioMillivolts: number;
}

export interface BoardDevice {
  /** The board's name, for logs and the dashboard. */
  name: string;
  SPI: { default: { io: typeof SPI; clock: number; in: number; out: number; port: number } };
  io: { Digital: typeof Digital; SPI: typeof SPI; I2C?: typeof I2C };
  pin: {
    loraNss: number;
    loraReset: number;
    loraBusy: number;
    loraDio1: number;
    /** The user button (a long press opens the setup portal). */
    button: number;
    /** A user LED for the status codes; absent when the board has none the firmware can drive. */
    led?: number;
    /** Heltec V3: "Vext", active low, powers the OLED and the LoRa antenna boost. */
    vext?: number;
  };
  /** T-Beam V1.x: the radio's supply is an output of this chip; the firmware switches it on (its power-up state is a factory option of the chip). */
  powerChip?: PowerChipWiring;
  /**
   * Only the Moddable simulator's board (targets/sim) is a desktop: it is online and its clock is
   * set, so main.ts starts the hotspot without Wi-Fi, the setup portal or SNTP. Its dashboard listens
   * on the port the simulator chose (none when undefined) and serves loopback peers only: the SDK's
   * Linux Listener binds every interface of the PC (lin/tcp.c xs_listener_constructor, INADDR_ANY).
   */
  desktop?: {
    dashboardPort(): number | undefined;
    /** The XS machine's live memory after a full collection (the engine's own counters). */
    heap(): { slots: number; chunkBytes: number; slotCapacity: number; chunkCapacity: number };
  };
  lora: {
    /** TCXO powered from DIO3 (volts, start-up delay); see the spec's 1.8 V vs 3.0 V note. */
    tcxo: { volts: number; delayMicros: number };
    /** DIO2 drives the antenna switch. */
    dio2RfSwitch: boolean;
    regulator: "ldo" | "dcdc";
    /** Highest conducted power the board allows, dBm. */
    maxPowerDbm: number;
    spiHz: number;
  };
}
