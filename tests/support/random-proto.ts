// Test-only random message generator driven by protobufjs reflection (independent of our schema.ts).
// Produces plain objects in protobufjs' `fromObject` form: 64-bit integers as decimal strings,
// bytes as Buffers, enums as numbers. Values favour the edges: zero (omitted on the wire), varint
// length boundaries, extreme and negative integers, long byte strings and multi-byte UTF-8.
import protobuf from "protobufjs";

export type Rng = () => number; // uniform in [0, 1)

/** A small deterministic generator (mulberry32) so failures can be replayed by seed. */
export function seededRandom(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rnd: Rng, n: number) => Math.floor(rnd() * n);
const pick = <T>(rnd: Rng, items: readonly T[]): T => items[int(rnd, items.length)];

function randomBig(rnd: Rng, bits: number): bigint {
  let v = 0n;
  for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(int(rnd, 0x10000));
  return v & ((1n << BigInt(bits)) - 1n);
}

/** An unsigned value of at most `bits` bits, biased to 0 and to varint length boundaries. */
export function randomUnsigned(rnd: Rng, bits: 32 | 64): bigint {
  const r = rnd();
  if (r < 0.25) return 0n;
  if (r < 0.5) {
    const edge = BigInt(pick(rnd, [7, 14, 21, 28, 31, 32, 35, 42, 49, 56, 63, 64].filter((b) => b <= bits)));
    return (1n << edge) - BigInt(int(rnd, 2)) - (edge === BigInt(bits) ? 1n : 0n) + (edge === BigInt(bits) ? 0n : 0n);
  }
  return randomBig(rnd, 1 + int(rnd, bits));
}

/** A signed value in [-2^(bits-1), 2^(bits-1)). */
export function randomSigned(rnd: Rng, bits: 32 | 64): bigint {
  const half = 1n << BigInt(bits - 1);
  const r = rnd();
  if (r < 0.2) return 0n;
  if (r < 0.3) return pick(rnd, [-1n, 1n, -half, half - 1n, -64n, 63n, -65n, 64n]);
  const magnitude = randomBig(rnd, 1 + int(rnd, bits - 1)) % half;
  return rnd() < 0.5 ? -magnitude - (rnd() < 0.5 ? 0n : 0n) : magnitude;
}

const ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.";
const UNICODE = ["é", "日本", "🙂", "Ω", "\u0000", "ß"];
export function randomString(rnd: Rng): string {
  if (rnd() < 0.3) return "";
  let s = "";
  const n = 1 + int(rnd, rnd() < 0.1 ? 200 : 20);
  for (let i = 0; i < n; i++) s += rnd() < 0.85 ? ASCII[int(rnd, ASCII.length)] : pick(rnd, UNICODE);
  return s;
}

export function randomBytes(rnd: Rng): Uint8Array {
  if (rnd() < 0.3) return new Uint8Array(0);
  const n = rnd() < 0.1 ? 128 + int(rnd, 300) : 1 + int(rnd, 64);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = int(rnd, 256);
  return out;
}

/** A float32 value (never NaN or -0; those have their own tests). */
export function randomFloat32(rnd: Rng): number {
  const r = rnd();
  if (r < 0.25) return 0;
  if (r < 0.35) return pick(rnd, [1, -1, 7.5, -20.25, 3.4028234663852886e38, 1.401298464324817e-45, Infinity, -Infinity]);
  const v = Math.fround((rnd() - 0.5) * 10 ** int(rnd, 12));
  return Object.is(v, -0) ? 0 : v;
}

export function randomFloat64(rnd: Rng): number {
  const r = rnd();
  if (r < 0.25) return 0;
  if (r < 0.35) return pick(rnd, [1, -1, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity]);
  const v = (rnd() - 0.5) * 10 ** int(rnd, 30);
  return Object.is(v, -0) ? 0 : v;
}

/** A random scalar in fromObject form for a protobufjs scalar type name. */
export function randomScalar(type: string, rnd: Rng): unknown {
  switch (type) {
    case "uint32": case "fixed32": return Number(randomUnsigned(rnd, 32));
    case "int32": case "sint32": case "sfixed32": return Number(randomSigned(rnd, 32));
    case "uint64": case "fixed64": return randomUnsigned(rnd, 64).toString();
    case "int64": case "sint64": case "sfixed64": return randomSigned(rnd, 64).toString();
    case "bool": return rnd() < 0.5;
    case "float": return randomFloat32(rnd);
    case "double": return randomFloat64(rnd);
    case "string": return randomString(rnd);
    case "bytes": return Buffer.from(randomBytes(rnd));
  }
  throw new Error(`no generator for ${type}`);
}

function randomEnum(e: protobuf.Enum, rnd: Rng): number {
  const values = Object.values(e.values);
  return rnd() < 0.3 ? values[0] : pick(rnd, values);
}

/** Field names to leave out, by message full name (without the leading dot). */
export type SkipFields = Readonly<Record<string, readonly string[]>>;

/**
 * A random plain object for `type`. Fields listed in `skipFields` (at any depth) are left out; one
 * member at most is set per oneof; nested messages appear with a probability that shrinks with
 * depth (and may be empty).
 */
export function randomPlainObject(type: protobuf.Type, rnd: Rng, skipFields: SkipFields = {}, depth = 0): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const skip = skipFields[type.fullName.replace(/^\./, "")] ?? [];
  const oneofChoice = new Map<string, string | undefined>();
  for (const oneof of type.oneofsArray) {
    const members = oneof.fieldsArray.filter((f) => !skip.includes(f.name));
    oneofChoice.set(oneof.name, rnd() < 0.15 || members.length === 0 ? undefined : pick(rnd, members).name);
  }
  for (const field of type.fieldsArray) {
    if (skip.includes(field.name)) continue;
    if (field.partOf && oneofChoice.get(field.partOf.name) !== field.name) continue;
    field.resolve();
    const one = (): unknown => {
      const rt = field.resolvedType;
      if (rt instanceof protobuf.Type) return randomPlainObject(rt, rnd, skipFields, depth + 1);
      if (rt instanceof protobuf.Enum) return randomEnum(rt, rnd);
      return randomScalar(field.type, rnd);
    };
    if (field.repeated) {
      const n = rnd() < 0.3 ? 0 : int(rnd, depth === 0 ? 10 : 4);
      object[field.name] = Array.from({ length: n }, one);
    } else if (field.resolvedType instanceof protobuf.Type) {
      if (field.partOf || rnd() < 0.7 / (depth + 1)) object[field.name] = one();
    } else {
      object[field.name] = one();
    }
  }
  return object;
}

/**
 * The object with proto3 default scalars (0, "0", false, "", empty bytes, empty arrays) removed,
 * recursively, so encoders that differ only in writing explicit defaults can be compared.
 */
export function withoutDefaults(type: protobuf.Type, object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    const field = type.fields[key];
    field.resolve();
    const rt = field.resolvedType;
    if (Array.isArray(value) && value.length === 0) continue;
    if (rt instanceof protobuf.Type) {
      out[key] = Array.isArray(value)
        ? value.map((v) => withoutDefaults(rt, v as Record<string, unknown>))
        : withoutDefaults(rt, value as Record<string, unknown>);
      continue;
    }
    if (value === 0 || value === false || value === "") continue;
    if (value === "0" && field.type !== "string") continue; // a 64-bit zero
    if (value instanceof Uint8Array && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}
