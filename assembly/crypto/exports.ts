// Crypto exports of the compute core: SHA-256, SHA-512 and Ed25519 over (ptr, len) spans of
// linear memory. Every span is bounds-checked; failures are negative codes from ../errors.
import { ERR_BAD_LENGTH } from "../errors";
import { spanOk } from "../bounds";
import { sha256Start, sha256Feed, sha256Finish, sha256Into, SHA256_CONTEXT_SIZE } from "./sha256";
import { sha512Start, sha512Feed, sha512Finish, SHA512_CONTEXT_SIZE } from "./sha512";
import { ed25519PublicKey, ed25519Sign, ed25519Verify } from "./ed25519";

// The streaming exports' own contexts, apart from those the core uses internally.
const SHA256_STREAM: usize = memory.data(SHA256_CONTEXT_SIZE, 8);
const SHA512_STREAM: usize = memory.data(SHA512_CONTEXT_SIZE, 8);
const SHA512_ONE_SHOT: usize = memory.data(SHA512_CONTEXT_SIZE, 8);

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

/** SHA-512 of `len` bytes at `in_ptr` into 64 bytes at `out_ptr`; returns 64. */
export function sha512(in_ptr: usize, len: u32, out_ptr: usize): i32 {
  if (!spanOk(in_ptr, len) || !spanOk(out_ptr, 64)) return ERR_BAD_LENGTH;
  sha512Start(SHA512_ONE_SHOT);
  sha512Feed(SHA512_ONE_SHOT, in_ptr, len);
  sha512Finish(SHA512_ONE_SHOT, out_ptr);
  return 64;
}

/** Starts (or restarts) the streaming SHA-512. */
export function sha512_init(): void {
  sha512Start(SHA512_STREAM);
}

/** Absorbs `len` bytes into the streaming SHA-512; returns 0. */
export function sha512_update(ptr: usize, len: u32): i32 {
  if (!spanOk(ptr, len)) return ERR_BAD_LENGTH;
  sha512Feed(SHA512_STREAM, ptr, len);
  return 0;
}

/** Writes the streaming SHA-512 digest (64 bytes) and restarts the stream; returns 64. */
export function sha512_final(out_ptr: usize): i32 {
  if (!spanOk(out_ptr, 64)) return ERR_BAD_LENGTH;
  sha512Finish(SHA512_STREAM, out_ptr);
  sha512Start(SHA512_STREAM);
  return 64;
}

// The streams start ready, so update/final without init hash from a clean state.
sha256Start(SHA256_STREAM);
sha512Start(SHA512_STREAM);

/** Writes the 32-byte Ed25519 public key of the 32-byte seed at `seed_ptr`; returns 32. */
export function ed25519_public_key(seed_ptr: usize, out_ptr: usize): i32 {
  if (!spanOk(seed_ptr, 32) || !spanOk(out_ptr, 32)) return ERR_BAD_LENGTH;
  ed25519PublicKey(seed_ptr, out_ptr);
  return 32;
}

/** RFC 8032 Ed25519 signature (64 bytes at `sig_out_ptr`) of the message; returns 64. */
export function ed25519_sign(seed_ptr: usize, msg_ptr: usize, msg_len: u32, sig_out_ptr: usize): i32 {
  if (!spanOk(seed_ptr, 32) || !spanOk(msg_ptr, msg_len) || !spanOk(sig_out_ptr, 64)) return ERR_BAD_LENGTH;
  ed25519Sign(seed_ptr, msg_ptr, msg_len, sig_out_ptr);
  return 64;
}

/**
 * Verifies a 64-byte signature over the message under a 32-byte public key: 1 valid, 0 invalid,
 * ERR_NON_CANONICAL / ERR_BAD_POINT for malformed S, A or R (see ed25519.ts), ERR_BAD_LENGTH for
 * spans outside memory.
 */
export function ed25519_verify(pub_ptr: usize, msg_ptr: usize, msg_len: u32, sig_ptr: usize): i32 {
  if (!spanOk(pub_ptr, 32) || !spanOk(msg_ptr, msg_len) || !spanOk(sig_ptr, 64)) return ERR_BAD_LENGTH;
  return ed25519Verify(pub_ptr, msg_ptr, msg_len, sig_ptr);
}
