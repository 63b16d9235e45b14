// The gateway key: an Ed25519 keypair from a 32-byte seed, stored in gateway-rs' keypair file
// format (helium-crypto `Keypair::to_vec`, spec 5.4): tag || seed || public key, 65 bytes.
import type { Core } from "../core/core.js";
import type { KeyValueStore } from "../host/provider.js";
import { equalBytes } from "../util/bytes.js";
import { IdentityError } from "./errors.js";
import { describeKeyBin, ed25519KeyBin, type Network } from "./keys.js";

export const SEED_BYTES = 32;
export const KEYPAIR_FILE_BYTES = 65;
/** The key-value store entry that holds the keypair file on the device. */
export const GATEWAY_KEY_STORE_ENTRY = "gateway_key";

export interface GatewayKey {
  network: Network;
  /** The secret. Never leaves the hotspot through any interface. */
  seed: Uint8Array;
  publicKey: Uint8Array;
  /** tag || public key (33 bytes). */
  publicKeyBin: Uint8Array;
  address: string;
}

export function gatewayKeyFromSeed(core: Core, seed: Uint8Array, network: Network = "mainnet"): GatewayKey {
  if (seed.length !== SEED_BYTES) throw new IdentityError("bad-seed", `a seed has ${SEED_BYTES} bytes, not ${seed.length}`);
  const publicKey = core.ed25519PublicKey(seed);
  const publicKeyBin = ed25519KeyBin(publicKey, network);
  return { network, seed: seed.slice(), publicKey, publicKeyBin, address: core.addressEncode(publicKeyBin) };
}

/** A new key from a cryptographically secure random source (the hardware RNG on the device). */
export function generateGatewayKey(core: Core, random: (bytes: Uint8Array) => void, network: Network = "mainnet"): GatewayKey {
  const seed = new Uint8Array(SEED_BYTES);
  random(seed);
  return gatewayKeyFromSeed(core, seed, network);
}

export function encodeKeypairFile(key: GatewayKey): Uint8Array {
  const file = new Uint8Array(KEYPAIR_FILE_BYTES);
  file[0] = key.publicKeyBin[0];
  file.set(key.seed, 1);
  file.set(key.publicKey, 1 + SEED_BYTES);
  return file;
}

/** Reads a keypair file; refuses other lengths, other key types and a public half that does not match the seed. */
export function decodeKeypairFile(core: Core, file: Uint8Array): GatewayKey {
  if (file.length === 0) throw new IdentityError("bad-key-file", "the keypair file is empty");
  let tag;
  try {
    tag = describeKeyBin(file.subarray(0, 2));
  } catch {
    throw new IdentityError("bad-key-file", `unknown key tag 0x${file[0].toString(16).padStart(2, "0")} in the keypair file`);
  }
  if (tag.keyType !== "ed25519") {
    throw new IdentityError("unsupported-key-type", `the keypair file holds a ${tag.keyType} key; only ed25519 gateway keys are supported`);
  }
  if (file.length !== KEYPAIR_FILE_BYTES) {
    throw new IdentityError("bad-key-file", `an ed25519 keypair file has ${KEYPAIR_FILE_BYTES} bytes, not ${file.length}`);
  }
  const key = gatewayKeyFromSeed(core, file.subarray(1, 1 + SEED_BYTES), tag.network);
  if (!equalBytes(key.publicKey, file.subarray(1 + SEED_BYTES))) {
    throw new IdentityError("inconsistent-key-file", "the keypair file's public key does not belong to its secret key");
  }
  return key;
}

/** The stored gateway key, or undefined when none has been stored yet. */
export function loadGatewayKey(core: Core, store: KeyValueStore): GatewayKey | undefined {
  const file = store.read(GATEWAY_KEY_STORE_ENTRY);
  return file === undefined ? undefined : decodeKeypairFile(core, file);
}

export function saveGatewayKey(store: KeyValueStore, key: GatewayKey): void {
  store.write(GATEWAY_KEY_STORE_ENTRY, encodeKeypairFile(key));
}
