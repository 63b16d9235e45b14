// LilyGO T-Beam V1.x with the SX1262 (classic ESP32). Pins: LilyGO's utilities.h (T_BEAM_SX1262) and
// Meshtastic's tbeam variant (spec/radio-and-wire.md section B); the board has no user LED on a GPIO.
//
// The SX1262's 3.3 V supply is an output of the power-management chip at I2C 0x34 on SDA 21 / SCL 22
// (LilyGO examples/Factory/utilities.h I2C_SDA/I2C_SCL; Meshtastic variants/esp32/tbeam/variant.h),
// which device/radio.ts switches on through drivers/pmu before the radio is reset:
//  - T-Beam V1.0 / V1.1: AXP192, the radio on LDO2 (DC-DC3 feeds the ESP32, DC-DC1 the OLED header);
//  - T-Beam V1.2: AXP2101, the radio on ALDO2 (DCDC1 feeds the ESP32).
// Sources: LilyGO LilyGo-LoRa-Series examples/Factory/LoRaBoards.cpp and examples/TBeamFactory/
// LoRaBoards.cpp (beginPower: "lora" LDO2 at 3300 mV on the AXP192, "LoRa VDD" ALDO2 at 3300 mV on the
// AXP2101), Meshtastic src/Power.cpp (axpChipInit: the same rails, "DCDC3 ... ESP32 (keep this on!)").
// The regulator is not in the spec: DC-DC is RadioLib's default, which Meshtastic uses on this board
// [verify].
import Digital from "embedded:io/digital";
import I2C from "embedded:io/i2c";
import SPI from "embedded:io/spi";
import type { BoardDevice } from "../../board.js";

const device: BoardDevice = {
  name: "LilyGO T-Beam SX1262",
  SPI: { default: { io: SPI, clock: 5, in: 19, out: 27, port: 1 } },
  io: { Digital, SPI, I2C },
  pin: { loraNss: 18, loraReset: 23, loraBusy: 32, loraDio1: 33, button: 38 },
  powerChip: { data: 21, clock: 22, hz: 100_000, address: 0x34, radioRail: { AXP192: "LDO2", AXP2101: "ALDO2" }, radioMillivolts: 3300 },
  lora: { tcxo: { volts: 1.8, delayMicros: 5000 }, dio2RfSwitch: true, regulator: "dcdc", maxPowerDbm: 22, spiHz: 2_000_000 },
};

export default device;
