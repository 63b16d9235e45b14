// The devnet's protobuf layer: devnet/proto/*.proto loaded with protobufjs, a canonical proto3
// encoder (fields ascending, defaults omitted - what prost and gpb emit), and signature checks done
// the upstream way: clear `signature`, re-encode canonically, verify. Independent of modules/.
import path from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

const here = path.dirname(fileURLToPath(import.meta.url));
/** devnet/proto in the source tree (this file runs from build/js/devnet). */
export const PROTO_DIR = path.resolve(here, "../../../devnet/proto");

const FILES = [
  "service/packet_router.proto",
  "service/poc_lora.proto",
  "service/iot_config.proto",
  "service/poc_entropy.proto",
  "blockchain_txn.proto",
];

let root: protobuf.Root | undefined;

export function protoRoot(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
  r.loadSync(FILES, { keepCase: true });
  r.resolveAll();
  root = r;
  return r;
}

export function messageType(name: string): protobuf.Type {
  return protoRoot().lookupType(name);
}

/** A plain object of a decoded message: longs as decimal strings, bytes as Uint8Array, enums as numbers. */
export type Plain = Record<string, unknown>;

export function decode(typeName: string, bytes: Uint8Array): Plain {
  const t = messageType(typeName);
  return t.toObject(t.decode(bytes), { longs: String, enums: Number, bytes: Uint8Array as unknown as undefined, defaults: false, oneofs: true }) as Plain;
}

function isDefault(field: protobuf.Field, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (field.repeated) return Array.isArray(value) && value.length === 0;
  if (field.resolvedType instanceof protobuf.Type) return false;
  if (value instanceof Uint8Array) return value.length === 0;
  if (typeof value === "string") return value === "" || (field.type !== "string" && field.type !== "bytes" && value === "0");
  if (typeof value === "number") return value === 0 && !Object.is(value, -0);
  if (typeof value === "boolean") return value === false;
  if (typeof value === "object" && "low" in (value as object) && "high" in (value as object)) {
    const l = value as { low: number; high: number };
    return l.low === 0 && l.high === 0;
  }
  return false;
}

/** Drops proto3 default values (outside oneofs) recursively, so encoding writes only what prost would. */
export function stripDefaults(type: protobuf.Type, obj: Plain): Plain {
  const out: Plain = {};
  for (const field of type.fieldsArray) {
    const value = obj[field.name];
    if (value === undefined) continue;
    const inOneof = field.partOf !== null && field.partOf !== undefined;
    if (!inOneof && isDefault(field, value)) continue;
    const sub = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    if (sub && field.repeated) out[field.name] = (value as Plain[]).map((v) => stripDefaults(sub, v));
    else if (sub) out[field.name] = stripDefaults(sub, value as Plain);
    else out[field.name] = value;
  }
  return out;
}

/** Canonical proto3 bytes of a plain object (proto field names). */
export function encode(typeName: string, obj: Plain): Uint8Array {
  const t = messageType(typeName);
  const message = t.fromObject(stripDefaults(t, obj));
  return t.encode(message).finish();
}

/** True when `bytes` is exactly the canonical encoding of what it decodes to. */
export function isCanonical(typeName: string, bytes: Uint8Array): boolean {
  const again = encode(typeName, decode(typeName, bytes));
  return Buffer.compare(Buffer.from(again), Buffer.from(bytes)) === 0;
}

/** The bytes a signer signs: the canonical encoding with `signature` empty. */
export function signedBytes(typeName: string, obj: Plain, signatureField = "signature"): Uint8Array {
  return encode(typeName, { ...obj, [signatureField]: new Uint8Array(0) });
}
