// LilyGO T-Beam V1.x with the SX1262 (classic ESP32). Pins: LilyGO's utilities.h (T_BEAM_SX1262) and
// Meshtastic's tbeam variant (spec/radio-and-wire.md section B). The radio rail is an output of the
// AXP192 power chip (I2C 21/22), which must be switched on before the radio answers [verify which
// LDO]; the board has no user LED on a GPIO. The regulator is not in the spec: DC-DC is RadioLib's
// default, which Meshtastic uses on this board [verify].
import Digital from "embedded:io/digital";
import SPI from "embedded:io/spi";
import type { BoardDevice } from "../../board.js";

const device: BoardDevice = {
  name: "LilyGO T-Beam SX1262",
  SPI: { default: { io: SPI, clock: 5, in: 19, out: 27, port: 1 } },
  io: { Digital, SPI },
  pin: { loraNss: 18, loraReset: 23, loraBusy: 32, loraDio1: 33, button: 38 },
  lora: { tcxo: { volts: 1.8, delayMicros: 5000 }, dio2RfSwitch: true, regulator: "dcdc", maxPowerDbm: 22, spiHz: 2_000_000 },
};

export default device;
