// JSON <-> message values with the CLI conventions: proto field names, bytes as lowercase hex,
// enums by proto name ("SF9BW125", "US915"), 64-bit integers as decimal strings (numbers are
// accepted on input when they are safe integers), float NaN/Infinity as strings as in proto3 JSON.
import { fromHex, toHex } from "../util/bytes.js";
import { ProtoError } from "./errors.js";
import { type FieldSpec, HELIUM_SCHEMA, type MessageSpec, type Schema } from "./schema.js";
import type { ProtoFieldValue, ProtoMessage, ProtoScalar } from "./values.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function specOf(schema: Schema, name: string): MessageSpec {
  const spec = schema.messages[name];
  if (!spec) throw new ProtoError(name, "unknown message");
  return spec;
}

/** A decimal integer without leading zeros; the pattern is made per call (a RegExp made at module load is preloaded: device/README.md). */
const isDecimal = (text: string) => /^-?(0|[1-9][0-9]*)$/.test(text);

function integerFromJson(v: unknown, path: string, min: bigint, max: bigint): bigint {
  let b: bigint;
  if (typeof v === "number" && Number.isSafeInteger(v)) b = BigInt(v);
  else if (typeof v === "string" && isDecimal(v)) b = BigInt(v);
  else throw new ProtoError(path, "expected an integer (a number or a decimal string)");
  if (b < min || b > max) throw new ProtoError(path, `out of range [${min}, ${max}]`);
  return b;
}

/**
 * Bit width of each integer type, negative when signed. The bounds are BigInts computed on use:
 * the Moddable SDK's preload linker (xsl) corrupts its heap on BigInts inside preloaded arrays.
 */
const INTEGER_BITS: Readonly<Record<string, number>> = Object.freeze({
  int32: -32, sint32: -32, sfixed32: -32, uint32: 32, fixed32: 32,
  int64: -64, sint64: -64, sfixed64: -64, uint64: 64, fixed64: 64,
});

function integerRange(bits: number): [bigint, bigint] {
  const width = BigInt(Math.abs(bits));
  return bits < 0 ? [-(1n << (width - 1n)), (1n << (width - 1n)) - 1n] : [0n, (1n << width) - 1n];
}
const WIDE = Object.freeze(new Set(["int64", "sint64", "sfixed64", "uint64", "fixed64"]));

function enumFromJson(schema: Schema, field: FieldSpec, v: unknown, path: string): number {
  const values = schema.enums[field.ref!].values;
  if (typeof v === "string") {
    if (v in values) return values[v];
    const match = Object.keys(values).find((k) => k.toLowerCase() === v.toLowerCase());
    if (match !== undefined) return values[match];
    throw new ProtoError(path, `unknown ${field.ref} name "${v}" (one of ${Object.keys(values).join(", ")})`);
  }
  const [min, max] = integerRange(-32);
  return Number(integerFromJson(v, path, min, max));
}

function scalarFromJson(schema: Schema, field: FieldSpec, v: unknown, path: string): ProtoScalar | ProtoMessage {
  switch (field.type) {
    case "message": return messageFromJson(schema, specOf(schema, field.ref!), v, path);
    case "enum": return enumFromJson(schema, field, v, path);
    case "bool":
      if (typeof v !== "boolean") throw new ProtoError(path, "expected true or false");
      return v;
    case "string":
      if (typeof v !== "string") throw new ProtoError(path, "expected a string");
      return v;
    case "bytes":
      if (typeof v !== "string") throw new ProtoError(path, "expected a hex string");
      try {
        return fromHex(v);
      } catch (e) {
        throw new ProtoError(path, (e as Error).message);
      }
    case "float": case "double":
      if (typeof v === "number") return v;
      if (v === "NaN") return NaN;
      if (v === "Infinity") return Infinity;
      if (v === "-Infinity") return -Infinity;
      throw new ProtoError(path, "expected a number");
  }
  const [min, max] = integerRange(INTEGER_BITS[field.type]);
  const b = integerFromJson(v, path, min, max);
  return WIDE.has(field.type) ? b : Number(b);
}

function messageFromJson(schema: Schema, spec: MessageSpec, json: unknown, path: string): ProtoMessage {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new ProtoError(path, `expected a ${spec.name} object`);
  const out: ProtoMessage = {};
  for (const [key, v] of Object.entries(json)) {
    const field = spec.fields.find((f) => f.name === key);
    const fieldPath = `${path}.${key}`;
    if (!field) throw new ProtoError(fieldPath, `unknown field of ${spec.name} (fields: ${spec.fields.map((f) => f.name).join(", ")})`);
    if (v === null) continue;
    if (field.repeated) {
      if (!Array.isArray(v)) throw new ProtoError(fieldPath, "expected an array");
      out[key] = v.map((item, i) => scalarFromJson(schema, field, item, `${fieldPath}[${i}]`)) as ProtoFieldValue;
    } else {
      out[key] = scalarFromJson(schema, field, v, fieldPath);
    }
  }
  return out;
}

/** Message value from parsed JSON (an object with proto field names); ProtoError names bad fields. */
export function fromJson(name: string, json: unknown, schema: Schema = HELIUM_SCHEMA): ProtoMessage {
  return messageFromJson(schema, specOf(schema, name), json, name);
}

function scalarToJson(schema: Schema, field: FieldSpec, v: ProtoFieldValue): Json {
  if (field.type === "message") return messageToJson(schema, specOf(schema, field.ref!), v as ProtoMessage);
  if (v instanceof Uint8Array) return toHex(v);
  if (typeof v === "bigint") return v.toString();
  if (field.type === "enum" && typeof v === "number") {
    const name = Object.entries(schema.enums[field.ref!].values).find(([, n]) => n === v)?.[0];
    return name ?? v;
  }
  if (typeof v === "number" && !Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
  return v as Json;
}

function messageToJson(schema: Schema, spec: MessageSpec, value: ProtoMessage): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const field of spec.fields) {
    const v = value[field.name];
    if (v === undefined) continue;
    out[field.name] = field.repeated
      ? (v as readonly ProtoFieldValue[]).map((item) => scalarToJson(schema, field, item))
      : scalarToJson(schema, field, v);
  }
  return out;
}

/** JSON-ready object for a message value (the fields present in it, in field-number order). */
export function toJson(name: string, value: ProtoMessage, schema: Schema = HELIUM_SCHEMA): { [key: string]: Json } {
  return messageToJson(schema, specOf(schema, name), value);
}
