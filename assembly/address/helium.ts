// Helium public keys and addresses (helium-crypto 0.8.3). The key binary is `tag || key` with
// tag = network (0x00 mainnet, 0x10 testnet) | key type (0x00 ecc_compact, 0x01 ed25519); both
// supported types carry 32 key bytes, so a binary is 33 bytes. The address is
// base58check(0x00 || binary). ecc_compact keys are checked for tag and length only: whether
// the X coordinate lies on P-256 is not checked here.
import { ERR_BAD_LENGTH, ERR_BAD_TAG, ERR_NO_SPACE } from "../errors";
import { b58CheckDecodeInPlace, b58CheckEncode, b58CheckPayload } from "./base58check";

export const KEY_BIN_LEN: usize = 33;
const ADDRESS_VERSION: u8 = 0;
const PAYLOAD: usize = memory.data(<i32>KEY_BIN_LEN + 1);

/** True for the tags of supported key types on mainnet or testnet. */
export function keyTagSupported(tag: u8): bool {
  const network = tag & 0xf0;
  const keyType = tag & 0x0f;
  return (network == 0x00 || network == 0x10) && (keyType == 0x00 || keyType == 0x01);
}

/** Checks a key binary: ERR_BAD_LENGTH if empty, ERR_BAD_TAG for an unsupported tag, ERR_BAD_LENGTH unless 33 bytes; else 0. */
export function checkKeyBin(ptr: usize, len: usize): i32 {
  if (len < 1) return ERR_BAD_LENGTH;
  if (!keyTagSupported(load<u8>(ptr))) return ERR_BAD_TAG;
  if (len != KEY_BIN_LEN) return ERR_BAD_LENGTH;
  return 0;
}

/** Address string (ASCII) of a key binary; returns its length or an error. Regions must be valid. */
export function heliumAddressEncode(binPtr: usize, binLen: usize, outPtr: usize, outCap: usize): i32 {
  const bad = checkKeyBin(binPtr, binLen);
  if (bad < 0) return bad;
  store<u8>(PAYLOAD, ADDRESS_VERSION);
  memory.copy(PAYLOAD + 1, binPtr, KEY_BIN_LEN);
  return b58CheckEncode(PAYLOAD, KEY_BIN_LEN + 1, outPtr, outCap);
}

/**
 * Key binary of an address string; returns 33 or an error: ERR_BAD_INPUT (a character outside
 * the alphabet), ERR_BAD_CHECKSUM, ERR_BAD_TAG (version byte not 0, or an unsupported
 * network/key type), ERR_BAD_LENGTH (wrong length for the key type, or an over-long string),
 * ERR_NO_SPACE. Regions must be valid.
 */
export function heliumAddressDecode(strPtr: usize, len: usize, outPtr: usize, outCap: usize): i32 {
  const n = b58CheckDecodeInPlace(strPtr, len);
  if (n < 0) return n;
  if (n < 1) return ERR_BAD_LENGTH;
  const payload = b58CheckPayload();
  if (load<u8>(payload) != ADDRESS_VERSION) return ERR_BAD_TAG;
  const bad = checkKeyBin(payload + 1, <usize>n - 1);
  if (bad < 0) return bad;
  if (outCap < KEY_BIN_LEN) return ERR_NO_SPACE;
  memory.copy(outPtr, payload + 1, KEY_BIN_LEN);
  return <i32>KEY_BIN_LEN;
}
