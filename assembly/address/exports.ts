// Base58, base58check and Helium address exports. Every region is bounds-checked; outputs are
// written only on success. Errors: ERR_BAD_LENGTH (input over the cap, wrong key length, region
// outside memory), ERR_BAD_INPUT (a character outside the base58 alphabet), ERR_BAD_CHECKSUM,
// ERR_BAD_TAG (address version or key tag), ERR_NO_SPACE (out_cap too small).
import { ERR_BAD_LENGTH } from "../errors";
import { spanOk } from "../bounds";
import { b58Decode, b58Encode } from "./base58";
import { b58CheckDecode, b58CheckEncode } from "./base58check";
import { heliumAddressDecode, heliumAddressEncode } from "./helium";

@inline
function regionsOk(inPtr: usize, len: usize, outPtr: usize, outCap: usize): bool {
  return spanOk(inPtr, len) && spanOk(outPtr, outCap);
}

/** Base58 of len bytes (at most 128) as ASCII; returns the number of characters. */
export function b58_encode(in_ptr: usize, len: usize, out_ptr: usize, out_cap: usize): i32 {
  if (!regionsOk(in_ptr, len, out_ptr, out_cap)) return ERR_BAD_LENGTH;
  return b58Encode(in_ptr, len, out_ptr, out_cap);
}

/** Bytes of a base58 string (at most 175 characters); returns the number of bytes. */
export function b58_decode(in_ptr: usize, len: usize, out_ptr: usize, out_cap: usize): i32 {
  if (!regionsOk(in_ptr, len, out_ptr, out_cap)) return ERR_BAD_LENGTH;
  return b58Decode(in_ptr, len, out_ptr, out_cap);
}

/** Base58check of a payload (at most 124 bytes, version byte included by the caller); returns the number of characters. */
export function b58check_encode(in_ptr: usize, len: usize, out_ptr: usize, out_cap: usize): i32 {
  if (!regionsOk(in_ptr, len, out_ptr, out_cap)) return ERR_BAD_LENGTH;
  return b58CheckEncode(in_ptr, len, out_ptr, out_cap);
}

/** Payload of a base58check string (checksum verified and removed); returns the number of bytes. */
export function b58check_decode(in_ptr: usize, len: usize, out_ptr: usize, out_cap: usize): i32 {
  if (!regionsOk(in_ptr, len, out_ptr, out_cap)) return ERR_BAD_LENGTH;
  return b58CheckDecode(in_ptr, len, out_ptr, out_cap);
}

/** Address string of a 33-byte key binary `tag || key` (ed25519 or ecc_compact, mainnet or testnet). */
export function helium_address_encode(key_bin_ptr: usize, key_bin_len: usize, out_ptr: usize, out_cap: usize): i32 {
  if (!regionsOk(key_bin_ptr, key_bin_len, out_ptr, out_cap)) return ERR_BAD_LENGTH;
  return heliumAddressEncode(key_bin_ptr, key_bin_len, out_ptr, out_cap);
}

/** Key binary `tag || key` (33 bytes) of an address string. */
export function helium_address_decode(str_ptr: usize, len: usize, out_ptr: usize, out_cap: usize): i32 {
  if (!regionsOk(str_ptr, len, out_ptr, out_cap)) return ERR_BAD_LENGTH;
  return heliumAddressDecode(str_ptr, len, out_ptr, out_cap);
}
