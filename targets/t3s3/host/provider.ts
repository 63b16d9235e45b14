// LilyGO T3-S3 V1.x with the SX1262 (ESP32-S3). Pins: LilyGO's examples/Factory/utilities.h
// (T3_S3_V1_2_SX1262) and Meshtastic's tlora_t3s3_v1 variant (spec/radio-and-wire.md section B).
// TCXO 1.8 V (Meshtastic) as on the Heltec V3; LDO regulator per the One-Channel Hub BSP.
import Digital from "embedded:io/digital";
import SPI from "embedded:io/spi";
import type { BoardDevice } from "../../board.js";

const device: BoardDevice = {
  name: "LilyGO T3-S3 SX1262",
  SPI: { default: { io: SPI, clock: 5, in: 3, out: 6, port: 1 } },
  io: { Digital, SPI },
  pin: { loraNss: 7, loraReset: 8, loraBusy: 34, loraDio1: 33, button: 0, led: 37 },
  lora: { tcxo: { volts: 1.8, delayMicros: 5000 }, dio2RfSwitch: true, regulator: "ldo", maxPowerDbm: 22, spiHz: 2_000_000 },
};

export default device;
