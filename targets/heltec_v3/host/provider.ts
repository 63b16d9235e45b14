// Heltec WiFi LoRa 32 V3 (ESP32-S3FN8, 8 MB flash, no PSRAM, SX1262). Pins: Meshtastic's
// variants/esp32s3/heltec_v3/variant.h (spec/radio-and-wire.md section B); LED 35 and Vext 36 are
// community pin lists [verify against the Heltec schematic]. TCXO 1.8 V per Meshtastic/LoRaMesher
// (Semtech's One-Channel Hub BSP programs 3.0 V: change `lora.tcxo.volts` if the driver reports an
// oscillator start failure). LDO regulator per the One-Channel Hub BSP.
import Digital from "embedded:io/digital";
import SPI from "embedded:io/spi";
import type { BoardDevice } from "../../board.js";

const device: BoardDevice = {
  name: "Heltec WiFi LoRa 32 V3",
  SPI: { default: { io: SPI, clock: 9, in: 11, out: 10, port: 1 } },
  io: { Digital, SPI },
  pin: { loraNss: 8, loraReset: 12, loraBusy: 13, loraDio1: 14, button: 0, led: 35, vext: 36 },
  lora: { tcxo: { volts: 1.8, delayMicros: 5000 }, dio2RfSwitch: true, regulator: "ldo", maxPowerDbm: 22, spiHz: 2_000_000 },
};

export default device;
