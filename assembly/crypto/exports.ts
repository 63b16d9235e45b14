// Crypto exports of the compute core: SHA-256, SHA-512 and Ed25519 over (ptr, len) spans of
// linear memory. Every span is bounds-checked; failures are negative codes from ../errors.
import { ERR_BAD_LENGTH } from "../errors";
import { spanOk } from "../bounds";
import { sha256Start, sha256Feed, sha256Finish, sha256Into } from "./sha256";

// The streaming exports' own context (see sha256.ts for the layout).
const SHA256_STREAM: usize = memory.data(112, 8);

/** SHA-256 of `len` bytes at `in_ptr` into 32 bytes at `out_ptr`; returns 32. */
export function sha256(in_ptr: usize, len: u32, out_ptr: usize): i32 {
  if (!spanOk(in_ptr, len) || !spanOk(out_ptr, 32)) return ERR_BAD_LENGTH;
  sha256Into(in_ptr, len, out_ptr);
  return 32;
}

/** Starts (or restarts) the streaming SHA-256. */
export function sha256_init(): void {
  sha256Start(SHA256_STREAM);
}

/** Absorbs `len` bytes into the streaming SHA-256; returns 0. */
export function sha256_update(ptr: usize, len: u32): i32 {
  if (!spanOk(ptr, len)) return ERR_BAD_LENGTH;
  sha256Feed(SHA256_STREAM, ptr, len);
  return 0;
}

/** Writes the streaming SHA-256 digest (32 bytes) and restarts the stream; returns 32. */
export function sha256_final(out_ptr: usize): i32 {
  if (!spanOk(out_ptr, 32)) return ERR_BAD_LENGTH;
  sha256Finish(SHA256_STREAM, out_ptr);
  sha256Start(SHA256_STREAM);
  return 32;
}

// The stream starts ready, so update/final without init hash from a clean state.
sha256Start(SHA256_STREAM);
