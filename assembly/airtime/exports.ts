// LoRa time-on-air export (formula and exactness in airtime.ts).
import { ldroRequired, loraAirtimeUs } from "./airtime";

/**
 * Time on air in microseconds (exact, no rounding) of a LoRa packet: sf 5..12, bw_khz 125/250/500,
 * cr 5..8 meaning coding rate 4/5..4/8, preamble 1..65535 symbols, payload_len 0..255 bytes,
 * crc 0/1, implicit_header 0/1. Low-data-rate optimisation follows the LoRaWAN/SX126x rule
 * (symbol time >= 16 ms). Negative: ERR_BAD_INPUT for a parameter out of range, ERR_UNSUPPORTED
 * if the result exceeds i32.
 */
export function lora_airtime_us(sf: i32, bw_khz: i32, cr: i32, preamble: i32, payload_len: i32, crc: i32, implicit_header: i32): i32 {
  return loraAirtimeUs(sf, bw_khz, cr, preamble, payload_len, crc, implicit_header, ldroRequired(sf, bw_khz));
}
