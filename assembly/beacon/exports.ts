// Beacon derivation export (algorithm and record layout in beacon.ts).
import { ERR_BAD_LENGTH } from "../errors";
import { spanOk } from "../bounds";
import { BEACON_RECORD_SIZE, deriveBeacon } from "./beacon";

/**
 * Derives the PoC beacon from remote entropy (data bytes + timestamp in seconds), local entropy
 * bytes, encoded `blockchain_region_params_v1` and the antenna gain in dBi x 10, writing the
 * 151-byte record (frequency, datarate, conducted power, seed, 52-byte frame, 51-byte data) to
 * out_ptr. Returns 151 or a negative error code; ERR_BAD_LENGTH for a region outside memory.
 */
export function beacon_derive(remote_ptr: usize, remote_len: usize, remote_ts_secs: i64, local_ptr: usize, local_len: usize,
  params_ptr: usize, params_len: usize, gain_dbi_x10: i32, out_ptr: usize): i32 {
  if (!spanOk(remote_ptr, remote_len) || !spanOk(local_ptr, local_len) || !spanOk(params_ptr, params_len) ||
    !spanOk(out_ptr, BEACON_RECORD_SIZE)) return ERR_BAD_LENGTH;
  return deriveBeacon(remote_ptr, remote_len, remote_ts_secs, local_ptr, local_len, params_ptr, <u32>params_len, gain_dbi_x10, out_ptr);
}
