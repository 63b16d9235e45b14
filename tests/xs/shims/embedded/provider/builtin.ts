// embedded:provider/builtin for the XS test host: a board shaped like the Heltec V3 target over the
// shim IO classes.
import Digital from "../io/digital.js";
import SPI from "../io/spi.js";
import type { BoardDevice } from "../../../../../targets/board.js";

const device: BoardDevice = {
  name: "XS test host",
  SPI: { default: { io: SPI, clock: 9, in: 11, out: 10, port: 1 } },
  io: { Digital, SPI },
  pin: { loraNss: 8, loraReset: 12, loraBusy: 13, loraDio1: 14, button: 0, led: 35 },
  lora: { tcxo: { volts: 1.8, delayMicros: 5000 }, dio2RfSwitch: true, regulator: "ldo", maxPowerDbm: 22, spiHz: 2_000_000 },
};
export default device;
