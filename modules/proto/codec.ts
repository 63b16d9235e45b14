// Encoding and decoding of schema messages through the core: TypeScript checks values against the
// schema and describes them as an op list; the core writes the canonical bytes (pb_encode) and
// validates wire format (pb_decode). Value shapes: values.ts. Every failure is a ProtoError.
import { utf8Decode, utf8Encode } from "../util/bytes.js";
import {
  type CoreResult, type ProtoCore, coreReason, RECORD_SIZE, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT,
} from "./core.js";
import { ProtoError } from "./errors.js";
import { OP, OpWriter } from "./ops.js";
import { type FieldSpec, HELIUM_SCHEMA, type MessageSpec, type Schema } from "./schema.js";
import type { ProtoFieldValue, ProtoMessage, ProtoScalar } from "./values.js";

export { fromJson, toJson } from "./json.js";
export type { ProtoMessage } from "./values.js";

/** Nesting the codec follows, as the core's encoder (assembly/proto/encode.ts MAX_DEPTH). */
export const MAX_DEPTH = 16;

export function messageSpec(schema: Schema, name: string): MessageSpec {
  const spec = schema.messages[name];
  if (!spec) throw new ProtoError(name, "unknown message");
  return spec;
}

// ------------------------------------------------------------------ encoding

type NumericKind = keyof typeof OP;

/** The op kind a scalar type is written with (sfixed* share fixed*; the value is reinterpreted). */
function opKind(type: FieldSpec["type"]): NumericKind {
  switch (type) {
    case "sfixed32": return "fixed32";
    case "sfixed64": return "fixed64";
    default: return type as NumericKind;
  }
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
}

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

function toBigInt(v: unknown, signed: boolean, path: string): bigint {
  let b: bigint;
  if (typeof v === "bigint") b = v;
  else if (typeof v === "number" && Number.isSafeInteger(v)) b = BigInt(v);
  else throw new ProtoError(path, "expected a bigint or a safe integer");
  if (signed ? b < I64_MIN || b > I64_MAX : b < 0n || b > U64_MAX) {
    throw new ProtoError(path, `out of range for a ${signed ? "signed" : "unsigned"} 64-bit integer`);
  }
  return b;
}

/** Writes the op-list payload of one scalar of `type`, after checking its range. */
function writeScalarPayload(w: OpWriter, type: FieldSpec["type"], v: unknown, path: string): void {
  switch (type) {
    case "int32": case "sint32": case "sfixed32": case "enum":
      if (!isInt(v, -0x80000000, 0x7fffffff)) throw new ProtoError(path, "expected a 32-bit signed integer");
      return w.u32(v >>> 0);
    case "uint32": case "fixed32":
      if (!isInt(v, 0, 0xffffffff)) throw new ProtoError(path, "expected a 32-bit unsigned integer");
      return w.u32(v);
    case "int64": case "sint64": case "sfixed64":
      return w.u64(toBigInt(v, true, path));
    case "uint64": case "fixed64":
      return w.u64(toBigInt(v, false, path));
    case "bool":
      if (typeof v !== "boolean") throw new ProtoError(path, "expected a boolean");
      return w.u8(v ? 1 : 0);
    case "float":
      if (typeof v !== "number") throw new ProtoError(path, "expected a number");
      return w.f32(v);
    case "double":
      if (typeof v !== "number") throw new ProtoError(path, "expected a number");
      return w.f64(v);
  }
  throw new ProtoError(path, `no scalar payload for ${type}`);
}

function lengthDelimitedBytes(field: FieldSpec, v: unknown, path: string): Uint8Array {
  if (field.type === "string") {
    if (typeof v !== "string") throw new ProtoError(path, "expected a string");
    return utf8Encode(v);
  }
  if (!(v instanceof Uint8Array)) throw new ProtoError(path, "expected a Uint8Array");
  return v;
}

class Encoder {
  readonly ops = new OpWriter();
  /** Op offset -> field path, to name the field when the core refuses an op. */
  readonly paths = new Map<number, string>();

  constructor(private readonly schema: Schema) {}

  message(spec: MessageSpec, value: unknown, path: string, depth: number): void {
    if (depth > MAX_DEPTH) throw new ProtoError(path, `nested deeper than ${MAX_DEPTH}`);
    if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Uint8Array) {
      throw new ProtoError(path, `expected a ${spec.name} object`);
    }
    const record = value as ProtoMessage;
    for (const key of Object.keys(record)) {
      if (record[key] !== undefined && !spec.fields.some((f) => f.name === key)) {
        throw new ProtoError(`${path}.${key}`, `unknown field of ${spec.name}`);
      }
    }
    const oneofSet = new Map<string, string>();
    for (const field of spec.fields) {
      const v = record[field.name];
      if (v === undefined || v === null) continue;
      const fieldPath = `${path}.${field.name}`;
      if (field.oneof) {
        const other = oneofSet.get(field.oneof);
        if (other) throw new ProtoError(fieldPath, `oneof ${field.oneof} already has ${other}`);
        oneofSet.set(field.oneof, field.name);
      }
      if (field.repeated) this.repeated(field, v, fieldPath, depth);
      else this.single(field, v, fieldPath, depth, false);
    }
  }

  private single(field: FieldSpec, v: ProtoFieldValue, path: string, depth: number, element: boolean): void {
    if (field.type === "message") {
      this.paths.set(this.ops.op(OP.begin, field.number, element), path);
      this.message(messageSpec(this.schema, field.ref!), v, path, depth + 1);
      this.ops.end();
    } else if (field.type === "string" || field.type === "bytes") {
      const bytes = lengthDelimitedBytes(field, v, path);
      this.paths.set(this.ops.op(OP.bytes, field.number, element), path);
      this.ops.u32(bytes.length);
      this.ops.raw(bytes);
    } else {
      // A bad value throws mid-op; the whole op list is then dropped with the exception.
      this.paths.set(this.ops.op(OP[opKind(field.type)], field.number, element), path);
      writeScalarPayload(this.ops, field.type, v, path);
    }
  }

  private repeated(field: FieldSpec, v: ProtoFieldValue, path: string, depth: number): void {
    if (!Array.isArray(v)) throw new ProtoError(path, "expected an array (repeated field)");
    const items = v as readonly ProtoFieldValue[];
    if (field.type === "message" || field.type === "string" || field.type === "bytes") {
      items.forEach((item, i) => this.single(field, item, `${path}[${i}]`, depth, true));
      return;
    }
    // proto3 packs repeated scalars.
    this.paths.set(this.ops.op(OP.packed, field.number), path);
    this.ops.u8(OP[opKind(field.type)]);
    this.ops.u32(items.length);
    items.forEach((item, i) => writeScalarPayload(this.ops, field.type, item, `${path}[${i}]`));
  }
}

/** Canonical proto3 bytes of `value` as message `name` (prost-identical). */
export function encodeMessage(core: ProtoCore, name: string, value: ProtoMessage, schema: Schema = HELIUM_SCHEMA): Uint8Array {
  const encoder = new Encoder(schema);
  encoder.message(messageSpec(schema, name), value, name, 0);
  const result = core.pbEncode(encoder.ops.finish());
  if (!result.ok) {
    throw new ProtoError(encoder.paths.get(result.at) ?? name, coreReason(result.code), result.code);
  }
  return result.bytes;
}

/** The names of the fields a signer clears: `signature` and, in transactions, every `*_signature`. */
export function signatureFields(spec: MessageSpec): string[] {
  return spec.fields
    .filter((f) => f.type === "bytes" && !f.repeated && (f.name === "signature" || f.name.endsWith("_signature")))
    .map((f) => f.name);
}

/**
 * The bytes a signature covers: the message encoded with its signature field(s) empty, as
 * gateway-rs (impl_sign!) signs and as HPR, ingest and the config service verify.
 */
export function encodeForSigning(core: ProtoCore, name: string, value: ProtoMessage, schema: Schema = HELIUM_SCHEMA): Uint8Array {
  const spec = messageSpec(schema, name);
  const cleared = signatureFields(spec);
  if (cleared.length === 0) throw new ProtoError(name, "message has no signature field");
  const unsigned: ProtoMessage = { ...value };
  for (const f of cleared) unsigned[f] = undefined;
  return encodeMessage(core, name, unsigned, schema);
}

// ------------------------------------------------------------------ decoding

// Built per decoded message, not cached in a module-level WeakMap: on the device this module is
// preloaded, and a WeakMap made at build time is in flash, read-only ("read-only WeakMap instance"
// on the first set; found by running the firmware in the Moddable simulator).
function fieldByNumber(spec: MessageSpec): Map<number, FieldSpec> {
  return new Map(spec.fields.map((f) => [f.number, f]));
}

/** The wire type a (non-packed) value of `type` arrives with. */
function wireOf(type: FieldSpec["type"]): number {
  switch (type) {
    case "fixed32": case "sfixed32": case "float": return WIRE_FIXED32;
    case "fixed64": case "sfixed64": case "double": return WIRE_FIXED64;
    case "string": case "bytes": case "message": return WIRE_LEN;
    default: return WIRE_VARINT;
  }
}

function defaultOf(field: FieldSpec): ProtoFieldValue | undefined {
  if (field.repeated) return [];
  if (field.oneof) return undefined;
  switch (field.type) {
    case "message": return undefined;
    case "string": return "";
    case "bytes": return new Uint8Array(0);
    case "bool": return false;
    case "int64": case "uint64": case "sint64": case "fixed64": case "sfixed64": return 0n;
    default: return 0;
  }
}

const f32 = new DataView(new ArrayBuffer(8));

/** A scalar from the 64 raw bits (lo, hi) pb_decode reports, converted as prost converts. */
function scalarFrom(type: FieldSpec["type"], lo: number, hi: number): ProtoScalar {
  switch (type) {
    case "uint32": case "fixed32": return lo >>> 0;
    case "int32": case "sfixed32": case "enum": return lo | 0;
    case "sint32": return ((lo >>> 1) ^ -(lo & 1)) | 0;
    case "bool": return lo !== 0 || hi !== 0;
    case "float": f32.setUint32(0, lo, true); return f32.getFloat32(0, true);
    case "double": f32.setUint32(0, lo, true); f32.setUint32(4, hi, true); return f32.getFloat64(0, true);
  }
  const u = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  switch (type) {
    case "uint64": case "fixed64": return u;
    case "int64": case "sfixed64": return BigInt.asIntN(64, u);
    case "sint64": return BigInt.asIntN(64, (u >> 1n) ^ -(u & 1n));
  }
  throw new Error(`no scalar conversion for ${type}`);
}

function check(result: CoreResult, path: string, spec: MessageSpec | undefined): Uint8Array {
  if (result.ok) return result.bytes;
  const field = spec && result.field > 0 ? fieldByNumber(spec).get(result.field) : undefined;
  const where = field ? `${path}.${field.name}` : result.field > 0 ? `${path}.#${result.field}` : path;
  throw new ProtoError(where, `${coreReason(result.code)} at byte ${result.at}`, result.code);
}

function utf8Strict(bytes: Uint8Array, path: string): string {
  const text = utf8Decode(bytes);
  const again = utf8Encode(text);
  if (again.length !== bytes.length || again.some((b, i) => b !== bytes[i])) throw new ProtoError(path, "invalid UTF-8");
  return text;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

class Decoder {
  constructor(private readonly core: ProtoCore, private readonly schema: Schema) {}

  message(spec: MessageSpec, bytes: Uint8Array, path: string, depth: number): ProtoMessage {
    if (depth > MAX_DEPTH) throw new ProtoError(path, `nested deeper than ${MAX_DEPTH}`);
    const list = check(this.core.pbDecode(bytes), path, spec);
    const view = new DataView(list.buffer, list.byteOffset, list.byteLength);
    const out: ProtoMessage = {};
    for (const field of spec.fields) {
      const d = defaultOf(field);
      if (d !== undefined) out[field.name] = d;
    }
    // A non-repeated message field seen more than once is merged, i.e. its parts are decoded as one.
    const messageParts = new Map<FieldSpec, Uint8Array[]>();
    const fields = fieldByNumber(spec);
    for (let i = 0; i + RECORD_SIZE <= list.length; i += RECORD_SIZE) {
      const field = fields.get(view.getUint32(i, true));
      if (!field) continue; // unknown fields are skipped
      const fieldPath = `${path}.${field.name}`;
      const wire = view.getUint32(i + 4, true);
      const lo = view.getUint32(i + 8, true);
      const hi = view.getUint32(i + 12, true);
      const slice = (): Uint8Array => {
        if (lo + hi > bytes.length) throw new ProtoError(fieldPath, "length past the end");
        return bytes.subarray(lo, lo + hi);
      };
      if (field.oneof) this.clearOneof(spec, field, out, messageParts);
      const expected = wireOf(field.type);
      const packed = field.repeated && expected !== WIRE_LEN && wire === WIRE_LEN;
      if (wire !== expected && !packed) {
        throw new ProtoError(fieldPath, `wire type ${wire} where ${field.type} needs ${expected}`);
      }
      if (field.type === "message") {
        const part = slice();
        if (field.repeated) {
          (out[field.name] as ProtoMessage[]).push(this.message(messageSpec(this.schema, field.ref!), part, fieldPath, depth + 1));
        } else {
          const parts = messageParts.get(field) ?? [];
          parts.push(part);
          messageParts.set(field, parts);
        }
        continue;
      }
      let value: ProtoScalar;
      if (field.type === "bytes") value = slice().slice();
      else if (field.type === "string") value = utf8Strict(slice(), fieldPath);
      else if (packed) {
        const values = check(this.core.pbDecodePacked(slice(), wireOf(field.type)), fieldPath, undefined);
        const vv = new DataView(values.buffer, values.byteOffset, values.byteLength);
        const target = out[field.name] as ProtoScalar[];
        for (let j = 0; j + 8 <= values.length; j += 8) target.push(scalarFrom(field.type, vv.getUint32(j, true), vv.getUint32(j + 4, true)));
        continue;
      } else value = scalarFrom(field.type, lo, hi);
      if (field.repeated) (out[field.name] as ProtoScalar[]).push(value);
      else out[field.name] = value;
    }
    for (const [field, parts] of messageParts) {
      out[field.name] = this.message(messageSpec(this.schema, field.ref!), concat(parts), `${path}.${field.name}`, depth + 1);
    }
    return out;
  }

  /** A oneof member arriving clears the others (the last one wins). */
  private clearOneof(spec: MessageSpec, field: FieldSpec, out: ProtoMessage, parts: Map<FieldSpec, Uint8Array[]>): void {
    for (const other of spec.fields) {
      if (other.oneof !== field.oneof || other === field) continue;
      delete out[other.name];
      parts.delete(other);
    }
  }
}

/** Decodes `bytes` as message `name`; unknown fields are skipped, bad input is a ProtoError. */
export function decodeMessage(core: ProtoCore, name: string, bytes: Uint8Array, schema: Schema = HELIUM_SCHEMA): ProtoMessage {
  return new Decoder(core, schema).message(messageSpec(schema, name), bytes, name, 0);
}
