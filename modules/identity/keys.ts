// Helium public keys (helium-crypto v0.8.3; spec section 5): the tag byte, the "pubkey_bin"
// (tag || key), and the two text forms an owner or payer may be given in.
import type { Core } from "../core/core.js";
import { CoreError } from "../core/errors.js";
import { IdentityError } from "./errors.js";

export type Network = "mainnet" | "testnet";
export type KeyType = "ecc_compact" | "ed25519" | "multisig" | "secp256k1" | "rsa";

const KEY_TYPES: readonly KeyType[] = Object.freeze(["ecc_compact", "ed25519", "multisig", "secp256k1", "rsa"]);
const TESTNET_NIBBLE = 0x10;

/** The tag byte: network nibble | key type nibble. */
export function keyTag(network: Network, keyType: KeyType): number {
  return (network === "testnet" ? TESTNET_NIBBLE : 0) | KEY_TYPES.indexOf(keyType);
}

export interface HeliumPublicKey {
  network: Network;
  keyType: KeyType;
  /** tag || key: what Helium messages carry in `pub_key`, `gateway`, `owner`, ... */
  bin: Uint8Array;
}

/** Reads the tag of a public key binary; throws IdentityError for a tag helium-crypto does not know. */
export function describeKeyBin(bin: Uint8Array): HeliumPublicKey {
  const tag = bin[0] ?? -1;
  const network = (tag & 0xf0) === 0 ? "mainnet" : (tag & 0xf0) === TESTNET_NIBBLE ? "testnet" : undefined;
  const keyType = KEY_TYPES[tag & 0x0f];
  if (bin.length < 2 || network === undefined || keyType === undefined) {
    throw new IdentityError("bad-address", `not a Helium public key (tag 0x${(tag & 0xff).toString(16)})`);
  }
  return { network, keyType, bin: bin.slice() };
}

/** The binary of an Ed25519 public key: tag || 32 bytes. */
export function ed25519KeyBin(publicKey: Uint8Array, network: Network): Uint8Array {
  if (publicKey.length !== 32) throw new IdentityError("bad-address", "an Ed25519 public key has 32 bytes");
  const bin = new Uint8Array(33);
  bin[0] = keyTag(network, "ed25519");
  bin.set(publicKey, 1);
  return bin;
}

/** Decodes a Helium address (base58check); the core checks the checksum, tag and length. */
export function parseAddress(core: Core, address: string): HeliumPublicKey {
  try {
    return describeKeyBin(core.addressDecode(address));
  } catch (error) {
    if (error instanceof CoreError) {
      throw new IdentityError("bad-address", `"${address}" is not a Helium address: ${error.message}`);
    }
    throw error;
  }
}

/**
 * An owner or payer as gateway-rs' `add` accepts it: a Helium address, or a Solana address (plain
 * base58 of a 32-byte Ed25519 key), which is taken as a mainnet Ed25519 key.
 */
export function parseAccountKey(core: Core, text: string): HeliumPublicKey {
  try {
    return parseAddress(core, text);
  } catch {
    let raw: Uint8Array | undefined;
    try {
      raw = core.base58Decode(text);
    } catch {
      raw = undefined;
    }
    if (raw?.length === 32) return describeKeyBin(ed25519KeyBin(raw, "mainnet"));
    throw new IdentityError("bad-address", `"${text}" is neither a Helium address nor a Solana address`);
  }
}

/** How gateway-rs shows an account: Solana base58 of an Ed25519 key, else the Helium address. */
export function accountText(core: Core, key: HeliumPublicKey): string {
  return key.keyType === "ed25519" ? core.base58Encode(key.bin.subarray(1)) : core.addressEncode(key.bin);
}
