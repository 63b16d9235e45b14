// The cryptography the web API needs, injected: the compute core provides both (Core satisfies
// ApiCrypto), so the firmware carries no second SHA-256 or Ed25519.

import { utf8Encode } from "../util/bytes.js";

export interface ApiCrypto {
  sha256(data: Uint8Array): Uint8Array;
  /** RFC 8032 Ed25519 verification; false for any invalid signature, key or encoding. */
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

export function sha256Text(crypto: Pick<ApiCrypto, "sha256">, text: string): Uint8Array {
  return crypto.sha256(utf8Encode(text));
}
