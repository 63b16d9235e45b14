// ChaCha stream exports (rand_chacha 0.3.1 semantics, see chacha.ts).
import { ERR_BAD_INPUT, ERR_BAD_LENGTH } from "../errors";
import { spanOk } from "../bounds";
import { chachaRoundsValid, chachaSeed, chachaNextU32 } from "./chacha";

/** Most words one call may write: 16 KiB, the size of the scratch region. */
export const CHACHA_STREAM_MAX_WORDS: u32 = 4096;

/**
 * Writes the first `words` `next_u32` values of `ChaCha{rounds}Rng::from_seed(seed[32])`
 * to out_ptr as little-endian u32s. Returns the bytes written (words * 4), ERR_BAD_INPUT for
 * rounds other than 8/12/20, ERR_BAD_LENGTH for more than CHACHA_STREAM_MAX_WORDS words or a
 * region outside memory. The output may overlap the seed (the seed is read first).
 */
export function chacha_stream(rounds: i32, seed_ptr: usize, out_ptr: usize, words: u32): i32 {
  if (!chachaRoundsValid(rounds)) return ERR_BAD_INPUT;
  if (words > CHACHA_STREAM_MAX_WORDS) return ERR_BAD_LENGTH;
  const bytes = <usize>words << 2;
  if (!spanOk(seed_ptr, 32) || !spanOk(out_ptr, bytes)) return ERR_BAD_LENGTH;
  chachaSeed(rounds, seed_ptr);
  for (let i: usize = 0; i < bytes; i += 4) store<u32>(out_ptr + i, chachaNextU32());
  return <i32>bytes;
}
