// Hashing for the web API through an injected SHA-256 (the compute core provides it: Core satisfies
// Sha256). HMAC is RFC 2104 over that hash, so the firmware carries no second SHA-256.

import { utf8Encode } from "../util/bytes.js";

export interface Sha256 {
  sha256(data: Uint8Array): Uint8Array;
}

const BLOCK = 64;

/** HMAC-SHA256 (RFC 2104): H((K ^ opad) || H((K ^ ipad) || message)), keys over 64 bytes hashed first. */
export function hmacSha256(hash: Sha256, key: Uint8Array, message: Uint8Array): Uint8Array {
  const k = new Uint8Array(BLOCK);
  k.set(key.length > BLOCK ? hash.sha256(key) : key);
  const inner = new Uint8Array(BLOCK + message.length);
  for (let i = 0; i < BLOCK; i++) inner[i] = k[i] ^ 0x36;
  inner.set(message, BLOCK);
  const innerHash = hash.sha256(inner);
  const outer = new Uint8Array(BLOCK + innerHash.length);
  for (let i = 0; i < BLOCK; i++) outer[i] = k[i] ^ 0x5c;
  outer.set(innerHash, BLOCK);
  return hash.sha256(outer);
}

export function sha256Text(hash: Sha256, text: string): Uint8Array {
  return hash.sha256(utf8Encode(text));
}
