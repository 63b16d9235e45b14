// Proof-of-Coverage beacon derivation exactly as the beacon crate (helium/proto beacon/, used by
// gateway-rs) builds it — helium-protocol.md 1.3 and 1.6:
//   seed  = SHA-256(remote.data || le_i64(remote.ts) || local.data || le_i64(0))
//   data  = low byte of each of 51 ChaCha12Rng::from_seed(seed).next_u32() words
//   freq  = params[u16le(data[0..2]) % len(params)].channel_frequency
//   dr    = "{SF}BW{params[0].bandwidth / 1000}" for the first tagged spreading of params[0]
//           (stored order) with max_packet_size >= 51
//   power = trunc((max(max_eirp) - gain) / 10) dBm, both in tenths; below 0 is an error
//   frame = 0xE0 || data (proprietary MHDR, Major 0; 52 bytes, no MIC)
// The remote entropy version (0 or 1) and the region (not UNKNOWN) are checked by the caller:
// neither is part of these inputs.
import { ERR_BAD_INPUT, ERR_BAD_POWER, ERR_NO_DATARATE, ERR_NO_REGION_PARAMS, ERR_NO_SPREADING } from "../errors";
import { SHA256_CONTEXT_SIZE, sha256Feed, sha256Finish, sha256Start } from "../crypto/sha256";
import { chachaNextU32, chachaSeed } from "../chacha/chacha";
import {
  channelFrequency, firstBandwidth, firstHasSpreading, maxEirp, paramCount, scanRegionParams, selectSpreading, selectedSpreading,
  spreadingFound,
} from "./region";

export const BEACON_PAYLOAD_SIZE: usize = 51;
export const BEACON_FRAME_SIZE: usize = 52;
const PROPRIETARY_MHDR: u8 = 0xe0;

// Output record (BEACON_RECORD_SIZE = 151 bytes, little-endian):
//   0   u64  frequency, Hz
//   8   i32  datarate, the helium data_rate enum (SF12BW125 = 0 ... SF7BW500 = 17)
//   12  i32  conducted power, dBm
//   16  [32] seed, the SHA-256 above
//   48  [52] frame, 0xE0 || data
//   100 [51] data
export const BEACON_RECORD_SIZE: usize = 151;
export const RECORD_FREQUENCY: usize = 0;
export const RECORD_DATARATE: usize = 8;
export const RECORD_POWER: usize = 12;
export const RECORD_SEED: usize = 16;
export const RECORD_FRAME: usize = 48;
export const RECORD_DATA: usize = 100;

const HASH: usize = memory.data(<i32>SHA256_CONTEXT_SIZE, 8);
const SEED: usize = memory.data(32, 4);
const LE64: usize = memory.data(8, 8);
const DATA: usize = memory.data(<i32>BEACON_PAYLOAD_SIZE);

/** data_rate enum value of SF/BW, or -1: SF12..SF7 at 125 kHz are 0..5, at 250 kHz 6..11, at 500 kHz 12..17. */
export function dataRateOf(sf: i32, bwKhz: u32): i32 {
  if (sf < 7 || sf > 12) return -1;
  let base: i32;
  if (bwKhz == 125) base = 0;
  else if (bwKhz == 250) base = 6;
  else if (bwKhz == 500) base = 12;
  else return -1;
  return base + 12 - sf;
}

/** Data rate of params[0] for a payload of `size` bytes (RegionParams::select_datarate), or an error. */
export function selectDatarate(size: u32): i32 {
  selectSpreading(size);
  if (!firstHasSpreading || !spreadingFound) return ERR_NO_SPREADING;
  // RegionSpreading: 0 SF_INVALID, 1..6 SF7..SF12; other values do not convert.
  if (selectedSpreading < 0 || selectedSpreading > 6) return ERR_NO_SPREADING;
  if (selectedSpreading == 0) return ERR_NO_DATARATE;
  const dr = dataRateOf(selectedSpreading + 6, firstBandwidth / 1000);
  return dr < 0 ? ERR_NO_DATARATE : dr;
}

/**
 * Derives a beacon into the record at out (layout above); returns BEACON_RECORD_SIZE or an error:
 * the reader's codes for malformed params, ERR_NO_REGION_PARAMS, ERR_NO_SPREADING,
 * ERR_NO_DATARATE, ERR_BAD_POWER, ERR_BAD_INPUT for a negative gain (gateway-rs reads it as
 * unsigned). Nothing is written on error. Regions must be valid.
 */
export function deriveBeacon(remotePtr: usize, remoteLen: usize, remoteTs: i64, localPtr: usize, localLen: usize,
  paramsPtr: usize, paramsLen: u32, gainDbiX10: i32, out: usize): i32 {
  if (gainDbiX10 < 0) return ERR_BAD_INPUT;
  const scanned = scanRegionParams(paramsPtr, paramsLen);
  if (scanned < 0) return scanned;
  if (paramCount == 0) return ERR_NO_REGION_PARAMS;

  sha256Start(HASH);
  sha256Feed(HASH, remotePtr, remoteLen);
  store<i64>(LE64, remoteTs);
  sha256Feed(HASH, LE64, 8);
  sha256Feed(HASH, localPtr, localLen);
  store<i64>(LE64, 0);
  sha256Feed(HASH, LE64, 8);
  sha256Finish(HASH, SEED);

  chachaSeed(12, SEED);
  for (let i: usize = 0; i < BEACON_PAYLOAD_SIZE; i++) store<u8>(DATA + i, <u8>chachaNextU32());

  const freqSeed = <u32>load<u16>(DATA);
  const frequency = channelFrequency(freqSeed % paramCount);
  const datarate = selectDatarate(<u32>BEACON_PAYLOAD_SIZE);
  if (datarate < 0) return datarate;
  // Exact decimal in the crate: (max_eirp - gain) in tenths, truncated toward zero; any negative
  // difference keeps its sign through truncation and fails the conversion to u32.
  const tenths = <i64>maxEirp - <i64>gainDbiX10;
  if (tenths < 0) return ERR_BAD_POWER;

  store<u64>(out, frequency, RECORD_FREQUENCY);
  store<i32>(out, datarate, RECORD_DATARATE);
  store<i32>(out, <i32>(tenths / 10), RECORD_POWER);
  memory.copy(out + RECORD_SEED, SEED, 32);
  store<u8>(out + RECORD_FRAME, PROPRIETARY_MHDR);
  memory.copy(out + RECORD_FRAME + 1, DATA, BEACON_PAYLOAD_SIZE);
  memory.copy(out + RECORD_DATA, DATA, BEACON_PAYLOAD_SIZE);
  return <i32>BEACON_RECORD_SIZE;
}
