// Base58 with the Bitcoin alphabet (as bs58 and helium-crypto use it). The conversion is
// quadratic in the length, so inputs are capped: B58_MAX_BYTES bytes in, B58_MAX_CHARS
// characters in — far above Helium addresses (34 + 4 bytes, 51-52 characters) and Solana keys.
import { ERR_BAD_INPUT, ERR_BAD_LENGTH, ERR_NO_SPACE } from "../errors";

export const B58_MAX_BYTES: usize = 128;
/** The longest encoding of B58_MAX_BYTES bytes: ceil(128 * log(256) / log(58)) = 175. */
export const B58_MAX_CHARS: usize = 175;

const ALPHABET: usize = memory.data<u8>([
  0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, // 1-9
  0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, // A-H J-N
  0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, // P-Z
  0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, // a-k
  0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, // m-z
]);
// Digits (encode, base 58) or bytes (decode, base 256), least significant first.
const WORK: usize = memory.data(176);

/** The value of an ASCII base58 character, or -1. */
function digitOf(c: u32): i32 {
  // A scan of the 58-byte alphabet saves a 128-byte reverse table; inputs are short.
  for (let i: u32 = 0; i < 58; i++) if (<u32>load<u8>(ALPHABET + i) == c) return <i32>i;
  return -1;
}

/** Encodes len bytes at inPtr as ASCII at outPtr; returns the length or an error. Regions must be valid. */
export function b58Encode(inPtr: usize, len: usize, outPtr: usize, outCap: usize): i32 {
  if (len > B58_MAX_BYTES) return ERR_BAD_LENGTH;
  let zeros: usize = 0;
  while (zeros < len && load<u8>(inPtr + zeros) == 0) zeros++;
  let digits: usize = 0;
  for (let i = zeros; i < len; i++) {
    let carry = <u32>load<u8>(inPtr + i);
    for (let j: usize = 0; j < digits; j++) {
      carry += (<u32>load<u8>(WORK + j)) << 8;
      store<u8>(WORK + j, <u8>(carry % 58));
      carry /= 58;
    }
    while (carry > 0) {
      store<u8>(WORK + digits, <u8>(carry % 58));
      digits++;
      carry /= 58;
    }
  }
  const total = zeros + digits;
  if (total > outCap) return ERR_NO_SPACE;
  for (let i: usize = 0; i < zeros; i++) store<u8>(outPtr + i, 0x31); // '1' for each leading zero byte
  for (let i: usize = 0; i < digits; i++) {
    store<u8>(outPtr + zeros + i, load<u8>(ALPHABET + <usize>load<u8>(WORK + digits - 1 - i)));
  }
  return <i32>total;
}

/** Decodes len ASCII characters at inPtr into bytes at outPtr; returns the length or an error. Regions must be valid. */
export function b58Decode(inPtr: usize, len: usize, outPtr: usize, outCap: usize): i32 {
  if (len > B58_MAX_CHARS) return ERR_BAD_LENGTH;
  let ones: usize = 0;
  while (ones < len && load<u8>(inPtr + ones) == 0x31) ones++;
  let bytes: usize = 0;
  for (let i = ones; i < len; i++) {
    const digit = digitOf(<u32>load<u8>(inPtr + i));
    if (digit < 0) return ERR_BAD_INPUT;
    let carry = <u32>digit;
    for (let j: usize = 0; j < bytes; j++) {
      carry += (<u32>load<u8>(WORK + j)) * 58;
      store<u8>(WORK + j, <u8>carry);
      carry >>= 8;
    }
    while (carry > 0) {
      store<u8>(WORK + bytes, <u8>carry);
      bytes++;
      carry >>= 8;
    }
  }
  const total = ones + bytes;
  if (total > outCap) return ERR_NO_SPACE;
  memory.fill(outPtr, 0, ones);
  for (let i: usize = 0; i < bytes; i++) store<u8>(outPtr + ones + i, load<u8>(WORK + bytes - 1 - i));
  return <i32>total;
}
