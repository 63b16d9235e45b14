// Helium keys for the devnet (helium-protocol.md section 5): the 33-byte binary key `tag || key`,
// base58check addresses, Ed25519 with @noble. ecc_compact keys are recognised but not verified here.
import { ed25519 } from "@noble/curves/ed25519.js";
import bs58check from "bs58check";

export const ED25519_MAINNET_TAG = 0x01;

export interface DevnetKeypair {
  secretKey: Uint8Array;
  /** 33-byte Helium binary public key (mainnet Ed25519). */
  publicKeyBin: Uint8Array;
  address: string;
}

export function keypairFromSeed(seed: Uint8Array): DevnetKeypair {
  const pub = ed25519.getPublicKey(seed);
  const bin = new Uint8Array(33);
  bin[0] = ED25519_MAINNET_TAG;
  bin.set(pub, 1);
  return { secretKey: seed, publicKeyBin: bin, address: heliumAddress(bin) };
}

export function generateKeypair(): DevnetKeypair {
  return keypairFromSeed(ed25519.utils.randomSecretKey());
}

/** base58check of `0x00 || pubkey_bin` (section 5.3). */
export function heliumAddress(bin: Uint8Array): string {
  const payload = new Uint8Array(bin.length + 1);
  payload.set(bin, 1);
  return bs58check.encode(payload);
}

export function sign(keypair: DevnetKeypair, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, keypair.secretKey);
}

export type VerifyResult = "valid" | "invalid_signature" | "unsupported_key";

/** Verifies a signature by a Helium binary key; only Ed25519 (tags 0x01 and 0x11) is supported. */
export function verify(keyBin: Uint8Array, message: Uint8Array, signature: Uint8Array): VerifyResult {
  if (keyBin.length !== 33 || (keyBin[0] & 0x0f) !== 0x01) return "unsupported_key";
  try {
    return ed25519.verify(signature, message, keyBin.subarray(1)) ? "valid" : "invalid_signature";
  } catch {
    return "invalid_signature";
  }
}
