// LoRa time on air, SX126x datasheet 6.1.4 (radio-and-wire.md C.1):
//   N    = 8*PL + 16*CRC - 4*SF + 20*H + (SF >= 7 ? 8 : 0), clamped at 0 (H = 1 explicit header)
//   D    = 4*(SF - 2) with low-data-rate optimisation (SF >= 7), else 4*SF
//   Npay = ceil(N / D) * (CR + 4)
//   Nsym = Npre + 8 + Npay + (SF >= 7 ? 4.25 : 6.25)
//   ToA  = Nsym * 2^SF / BW
// In microseconds ToA = (4*Nsym) * 2^SF * 250 / BW_kHz, and 2^SF * 250 / BW_kHz is a whole number
// for SF5..12 at 125/250/500 kHz, so the result is exact: no rounding anywhere.
import { ERR_BAD_INPUT, ERR_UNSUPPORTED } from "../errors";

/** LoRaWAN / SX126x rule: LDRO on when a symbol lasts 16 ms or more (SF11-12 at 125 kHz, SF12 at 250 kHz). */
export function ldroRequired(sf: i32, bwKhz: i32): bool {
  return (<i64>1 << sf) * 1000 >= <i64>16000 * bwKhz;
}

/**
 * Time on air in µs, or ERR_BAD_INPUT for a parameter out of range (sf 5..12, bw 125/250/500,
 * crDenominator 5..8 for 4/5..4/8, preamble 1..65535 symbols, payload 0..255 bytes, flags 0/1),
 * or ERR_UNSUPPORTED if the result does not fit an i32 (over 35 minutes).
 */
export function loraAirtimeUs(sf: i32, bwKhz: i32, crDenominator: i32, preamble: i32, payloadLen: i32, crc: i32, implicitHeader: i32, ldro: bool): i32 {
  if (sf < 5 || sf > 12) return ERR_BAD_INPUT;
  if (bwKhz != 125 && bwKhz != 250 && bwKhz != 500) return ERR_BAD_INPUT;
  if (crDenominator < 5 || crDenominator > 8) return ERR_BAD_INPUT;
  if (preamble < 1 || preamble > 65535) return ERR_BAD_INPUT;
  if (payloadLen < 0 || payloadLen > 255) return ERR_BAD_INPUT;
  if ((crc | implicitHeader) & ~1) return ERR_BAD_INPUT;

  const explicitHeader = 1 - implicitHeader;
  let numerator = 8 * payloadLen + 16 * crc - 4 * sf + 20 * explicitHeader + (sf >= 7 ? 8 : 0);
  if (numerator < 0) numerator = 0;
  const denominator = sf >= 7 && ldro ? 4 * (sf - 2) : 4 * sf;
  const payloadSymbols = ((numerator + denominator - 1) / denominator) * crDenominator;
  const quarterSymbols = <i64>(4 * (preamble + 8 + payloadSymbols) + (sf >= 7 ? 17 : 25));
  const us = (quarterSymbols << sf) * 250 / bwKhz;
  if (us > <i64>i32.MAX_VALUE) return ERR_UNSUPPORTED;
  return <i32>us;
}
