// The add-gateway transaction as gateway-rs builds it (src/api/server.rs add_gateway; spec 6):
// owner, gateway and payer set, fees 0, staking mode ignored; the gateway key signs the encoding
// with every signature field empty; the result is wrapped in a `blockchain_txn` envelope.
import type { Core } from "../core/core.js";
import { encodeForSigning, encodeMessage } from "../proto/codec.js";
import type { GatewayKey } from "./gateway-key.js";

export interface AddGatewayTxn {
  /** The bytes the gateway signature covers. */
  unsigned: Uint8Array;
  /** Ed25519 signature by the gateway key (field 4, gateway_signature). */
  gatewaySignature: Uint8Array;
  /** Encoded `blockchain_txn{add_gateway}`: what gateway-rs prints base64-encoded as `txn`. */
  envelope: Uint8Array;
}

/** `owner` and `payer` are Helium public key binaries (tag || key). */
export function buildAddGatewayTxn(core: Core, key: GatewayKey, owner: Uint8Array, payer: Uint8Array): AddGatewayTxn {
  const txn = { owner, gateway: key.publicKeyBin, payer };
  const unsigned = encodeForSigning(core, "blockchain_txn_add_gateway_v1", txn);
  const gatewaySignature = core.ed25519Sign(key.seed, unsigned);
  const envelope = encodeMessage(core, "blockchain_txn", { add_gateway: { ...txn, gateway_signature: gatewaySignature } });
  return { unsigned, gatewaySignature, envelope };
}
