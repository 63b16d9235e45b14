// The PoC messages as the devnet reads them: devnet/proto loaded with protobufjs (not the
// firmware's codec), decoded into plain values, and the canonical bytes a signature covers
// (prost's encoding of the message with its signature empty: zero scalars, enum 0 and empty bytes
// omitted), rebuilt independently of what the sender wrote.
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

/** devnet/proto, seen from build/js/devnet/poc/ where this file runs. */
export const DEVNET_PROTO_DIR = fileURLToPath(new URL("../../../../devnet/proto/", import.meta.url));

let root: protobuf.Root | undefined;

/** The Helium protos of devnet/proto (field names as written, snake_case). */
export function devnetProtos(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => DEVNET_PROTO_DIR + target;
  r.loadSync(["service/poc_lora.proto", "service/poc_entropy.proto", "service/iot_config.proto"], { keepCase: true });
  r.resolveAll();
  root = r;
  return r;
}

export const POC_LORA = "helium.poc_lora.";

export function protoType(fullName: string): protobuf.Type {
  return devnetProtos().lookupType(fullName);
}

export interface BeaconReportMsg {
  pub_key: Uint8Array;
  local_entropy: Uint8Array;
  remote_entropy: Uint8Array;
  data: Uint8Array;
  frequency: bigint;
  channel: number;
  datarate: number;
  tx_power: number;
  timestamp: bigint;
  signature: Uint8Array;
  tmst: number;
}

export interface WitnessReportMsg {
  pub_key: Uint8Array;
  data: Uint8Array;
  timestamp: bigint;
  tmst: number;
  signal: number;
  snr: number;
  frequency: bigint;
  datarate: number;
  signature: Uint8Array;
}

export interface SessionInitMsg {
  pub_key: Uint8Array;
  nonce: Uint8Array;
  session_key: Uint8Array;
  signature: Uint8Array;
}

export type StreamRequest =
  | { beacon_report: BeaconReportMsg }
  | { witness_report: WitnessReportMsg }
  | { session_init: SessionInitMsg }
  | Record<string, never>;

/** A decoded message with every field present: defaults filled, bytes as Uint8Array, 64-bit as bigint. */
export function decodePlain<T>(type: protobuf.Type, bytes: Uint8Array): T {
  const message = type.decode(bytes);
  return normalise(type, type.toObject(message, { longs: String, enums: Number, bytes: Array, defaults: true, oneofs: false })) as T;
}

function normalise(type: protobuf.Type, plain: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const v = plain[field.name];
    if (v === undefined || v === null) continue;
    const one = (x: unknown): unknown =>
      field.resolvedType instanceof protobuf.Type ? normalise(field.resolvedType, x as Record<string, unknown>)
        : field.type === "bytes" ? Uint8Array.from(x as number[])
          : /64$/.test(field.type) ? BigInt(x as string)
            : x;
    out[field.name] = field.repeated ? (v as unknown[]).map(one) : one(v);
  }
  return out;
}

function isDefault(field: protobuf.Field, v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (field.repeated) return (v as unknown[]).length === 0;
  if (field.resolvedType instanceof protobuf.Type) return false; // a present message is written
  if (v instanceof Uint8Array || typeof v === "string") return v.length === 0;
  if (typeof v === "bigint") return v === 0n;
  if (typeof v === "boolean") return !v;
  return v === 0;
}

/** Only the fields prost would write, converted for protobufjs (bigint -> decimal string). */
function canonicalObject(type: protobuf.Type, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const v = value[field.name];
    if (isDefault(field, v)) continue;
    const one = (x: unknown): unknown =>
      field.resolvedType instanceof protobuf.Type ? canonicalObject(field.resolvedType, x as Record<string, unknown>)
        : typeof x === "bigint" ? x.toString() : x;
    out[field.name] = field.repeated ? (v as unknown[]).map(one) : one(v);
  }
  return out;
}

/** Canonical proto3 bytes of a plain value (protobufjs writes fields in number order). */
export function encodeCanonical(type: protobuf.Type, value: object): Uint8Array {
  return type.encode(type.fromObject(canonicalObject(type, value as Record<string, unknown>))).finish();
}

/** The bytes a report's or init's signature covers: the message re-encoded with `signature` empty. */
export function signedBytes(type: protobuf.Type, value: { signature?: Uint8Array }): Uint8Array {
  return encodeCanonical(type, { ...value, signature: new Uint8Array(0) });
}

export const types = {
  get beacon(): protobuf.Type {
    return protoType(POC_LORA + "lora_beacon_report_req_v1");
  },
  get witness(): protobuf.Type {
    return protoType(POC_LORA + "lora_witness_report_req_v1");
  },
  get sessionInit(): protobuf.Type {
    return protoType(POC_LORA + "lora_stream_session_init_v1");
  },
  get request(): protobuf.Type {
    return protoType(POC_LORA + "lora_stream_request_v1");
  },
  get response(): protobuf.Type {
    return protoType(POC_LORA + "lora_stream_response_v1");
  },
  get beaconResp(): protobuf.Type {
    return protoType(POC_LORA + "lora_beacon_report_resp_v1");
  },
  get witnessResp(): protobuf.Type {
    return protoType(POC_LORA + "lora_witness_report_resp_v1");
  },
  get regionParams(): protobuf.Type {
    return protoType("helium.blockchain_region_params_v1");
  },
};

/** Decodes one stream request; which member is set decides the key. Throws on malformed bytes. */
export function decodeStreamRequest(bytes: Uint8Array): StreamRequest {
  const type = types.request;
  const message = type.decode(bytes) as unknown as Record<string, unknown>;
  const plain = decodePlain<Record<string, unknown>>(type, bytes);
  // oneof: the last member on the wire wins; protobufjs keeps it in the virtual oneof property.
  const which = (message as { request?: string }).request;
  if (which === "beacon_report") return { beacon_report: plain.beacon_report as BeaconReportMsg };
  if (which === "witness_report") return { witness_report: plain.witness_report as WitnessReportMsg };
  if (which === "session_init") return { session_init: plain.session_init as SessionInitMsg };
  return {};
}

export function encodeOffer(nonce: Uint8Array): Uint8Array {
  return encodeCanonical(types.response, { offer: { nonce } });
}
