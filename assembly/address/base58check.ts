// Base58check as bs58's `with_check` and the bs58check npm package do it: the payload followed by
// the first 4 bytes of SHA-256(SHA-256(payload)), then base58. The version byte, if any, is part
// of the payload (Helium addresses put 0x00 there).
import { ERR_BAD_CHECKSUM, ERR_BAD_LENGTH, ERR_NO_SPACE } from "../errors";
import { sha256Into } from "../crypto/sha256";
import { B58_MAX_BYTES, B58_MAX_CHARS, b58Decode, b58Encode } from "./base58";

export const B58CHECK_MAX_PAYLOAD: usize = B58_MAX_BYTES - 4;

// Payload plus checksum (encode), or the decoded bytes (decode: at most one byte per character).
const FRAME: usize = memory.data(<i32>B58_MAX_CHARS + 1);
const DIGEST: usize = memory.data(32);

/** Writes the 4 checksum bytes of [ptr, ptr + len) to out. */
function checksum(ptr: usize, len: usize, out: usize): void {
  sha256Into(ptr, len, DIGEST);
  sha256Into(DIGEST, 32, DIGEST);
  store<u32>(out, load<u32>(DIGEST));
}

/** Encodes a payload with its checksum; returns the number of characters or an error. Regions must be valid. */
export function b58CheckEncode(inPtr: usize, len: usize, outPtr: usize, outCap: usize): i32 {
  if (len > B58CHECK_MAX_PAYLOAD) return ERR_BAD_LENGTH;
  memory.copy(FRAME, inPtr, len);
  checksum(FRAME, len, FRAME + len);
  return b58Encode(FRAME, len + 4, outPtr, outCap);
}

/**
 * Decodes and checks a base58check string. On success the payload (without the checksum) is at
 * b58CheckPayload() and its length is returned; otherwise an error code.
 */
export function b58CheckDecodeInPlace(inPtr: usize, len: usize): i32 {
  const n = b58Decode(inPtr, len, FRAME, B58_MAX_CHARS + 1);
  if (n < 0) return n;
  if (n < 4) return ERR_BAD_LENGTH;
  const payloadLen = <usize>n - 4;
  const expected = load<u32>(FRAME + payloadLen);
  checksum(FRAME, payloadLen, DIGEST);
  if (load<u32>(DIGEST) != expected) return ERR_BAD_CHECKSUM;
  return <i32>payloadLen;
}

/** Where b58CheckDecodeInPlace leaves the payload (valid until the next call into this module). */
export function b58CheckPayload(): usize {
  return FRAME;
}

/** Decodes a base58check string and copies the payload to outPtr; returns its length or an error. */
export function b58CheckDecode(inPtr: usize, len: usize, outPtr: usize, outCap: usize): i32 {
  const n = b58CheckDecodeInPlace(inPtr, len);
  if (n < 0) return n;
  if (<usize>n > outCap) return ERR_NO_SPACE;
  memory.copy(outPtr, FRAME, n);
  return n;
}
