// The router's and config client's dependencies built from the compute core: the canonical proto
// codec, Ed25519 signers over a gateway key or a fresh session seed, and verification.
import type { Core } from "../core/core.js";
import { encodeForSigning, encodeMessage, decodeMessage } from "../proto/codec.js";
import { generateGatewayKey, type GatewayKey } from "../identity/gateway-key.js";
import type { MessageCodec, Signer, Verify } from "./deps.js";

export function coreCodec(core: Core): MessageCodec {
  return {
    encode: (name, value) => encodeMessage(core, name, value),
    encodeForSigning: (name, value) => encodeForSigning(core, name, value),
    decode: (name, bytes) => decodeMessage(core, name, bytes),
  };
}

/** Signs with a gateway key (or any Ed25519 key held as a seed). */
export function coreSigner(core: Core, key: GatewayKey): Signer {
  return { publicKey: key.publicKeyBin, sign: (message) => core.ed25519Sign(key.seed, message) };
}

/** gateway-rs: a new mainnet Ed25519 keypair for every session offer. */
export function coreSessionKeys(core: Core, random: (bytes: Uint8Array) => void): () => Signer {
  return () => coreSigner(core, generateGatewayKey(core, random, "mainnet"));
}

/** Ed25519 keys (tag nibble 1, mainnet or testnet) only; anything else does not verify. */
export function coreVerify(core: Core): Verify {
  return (publicKey, message, signature) => {
    if (publicKey.length !== 33 || (publicKey[0] & 0x0f) !== 0x01 || signature.length !== 64) return false;
    try {
      return core.ed25519Verify(publicKey.subarray(1), message, signature);
    } catch {
      return false;
    }
  };
}
