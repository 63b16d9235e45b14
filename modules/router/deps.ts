// What the Helium service clients need from the rest of the firmware, as small interfaces so they
// can be tested before (and independently of) the compute core. The core binding provides them:
// encode/encodeForSigning/decode are modules/proto's codec bound to the core, Signer wraps
// core Ed25519 over a seed, verify is core Ed25519 verification.
import type { ProtoMessage } from "../proto/values.js";

export interface Signer {
  /** 33-byte Helium binary public key (tag || key). */
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export interface MessageCodec {
  /** Canonical proto3 bytes of message `name` (short proto name, e.g. "envelope_up_v1"). */
  encode(name: string, value: ProtoMessage): Uint8Array;
  /** The bytes a signer signs: canonical encoding with the signature fields cleared. */
  encodeForSigning(name: string, value: ProtoMessage): Uint8Array;
  /** Decodes; throws on malformed input. */
  decode(name: string, bytes: Uint8Array): ProtoMessage;
}

/** Verifies a signature by a 33-byte Helium binary key; false for any failure. */
export type Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;
