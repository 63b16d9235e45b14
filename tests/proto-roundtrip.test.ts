// For every message of the schema (and a test message with every scalar type, packed and repeated
// fields, nesting and a oneof): at least 1,000 random values encoded by our core, then
//   - decoded by protobufjs from devnet/proto (independent codec) to the same values,
//   - re-encoded by protobufjs byte-identically (our output is canonical),
//   - decoded and re-encoded by @helium/proto@2.2.0 byte-identically where it has the message,
//   - decoded back by our codec to the input (with proto3 defaults filled in).
import { test } from "node:test";
import assert from "node:assert/strict";
import protobuf from "protobufjs";
import { decodeMessage, encodeMessage } from "../modules/proto/codec.js";
import { HELIUM_SCHEMA, type Schema } from "../modules/proto/schema.js";
import type { ProtoFieldValue, ProtoMessage } from "../modules/proto/values.js";
import { heliumStatic, loadOurProtos, NEWER_THAN_NPM } from "./support/helium-protos.js";
import { randomPlainObject, seededRandom, type SkipFields, withoutDefaults } from "./support/random-proto.js";
import { FIXTURE_PROTO, FIXTURE_SCHEMA } from "./support/fixture-schema.js";
import { loadProtoCore } from "./support/proto-core.js";

const { core } = loadProtoCore();
const ITERATIONS = 1000;
const WIDE = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);

/** protobufjs plain object -> our value shape (values.ts). */
function toValue(type: protobuf.Type, plain: Record<string, unknown>): ProtoMessage {
  const out: ProtoMessage = {};
  for (const [key, v] of Object.entries(plain)) {
    const field = type.fields[key];
    const one = (x: unknown): ProtoFieldValue => {
      if (field.resolvedType instanceof protobuf.Type) return toValue(field.resolvedType, x as Record<string, unknown>);
      if (x instanceof Uint8Array) return new Uint8Array(x);
      if (WIDE.has(field.type)) return BigInt(x as string);
      return x as ProtoFieldValue;
    };
    out[key] = Array.isArray(v) ? (v.map(one) as ProtoFieldValue) : one(v);
  }
  return out;
}

/** What our decoder should return for an input value: proto3 defaults for absent scalars. */
function withDefaults(type: protobuf.Type, value: ProtoMessage): ProtoMessage {
  const out: ProtoMessage = {};
  for (const field of type.fieldsArray) {
    const v = value[field.name];
    const rt = field.resolvedType;
    if (v !== undefined) {
      out[field.name] = rt instanceof protobuf.Type
        ? Array.isArray(v) ? v.map((m) => withDefaults(rt, m as ProtoMessage)) : withDefaults(rt, v as ProtoMessage)
        : v;
      continue;
    }
    if (field.repeated) out[field.name] = [];
    else if (field.partOf || rt instanceof protobuf.Type) continue;
    else if (field.type === "bytes") out[field.name] = new Uint8Array(0);
    else if (field.type === "string") out[field.name] = "";
    else if (field.type === "bool") out[field.name] = false;
    else if (WIDE.has(field.type)) out[field.name] = 0n;
    else out[field.name] = 0;
  }
  return out;
}

/** A comparable form: bytes as hex, bigints tagged, keys sorted. */
function canon(x: unknown): unknown {
  if (x instanceof Uint8Array) return `hex:${Buffer.from(x).toString("hex")}`;
  if (typeof x === "bigint") return `big:${x}`;
  if (Array.isArray(x)) return x.map(canon);
  if (x && typeof x === "object") {
    return Object.fromEntries(Object.keys(x).sort().filter((k) => (x as Record<string, unknown>)[k] !== undefined).map((k) => [k, canon((x as Record<string, unknown>)[k])]));
  }
  return x;
}

/** protobufjs toObject form with 64-bit values as bigints, comparable with withoutDefaults(plain). */
function protobufjsView(type: protobuf.Type, bytes: Uint8Array): unknown {
  return type.toObject(type.decode(bytes), { longs: String });
}

function reachable(type: protobuf.Type, seen = new Set<string>()): Set<string> {
  const name = type.fullName.slice(1);
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const f of type.fieldsArray) {
    f.resolve();
    if (f.resolvedType instanceof protobuf.Type) reachable(f.resolvedType, seen);
  }
  return seen;
}

function checkMessage(schema: Schema, root: protobuf.Root, name: string, seed: number): { values: number; heliumChecked: number } {
  const spec = schema.messages[name];
  const type = root.lookupType(spec.fullName);
  const st = heliumStatic(spec.fullName);
  const drift = [...reachable(type)].some((n) => n in NEWER_THAN_NPM);
  // Values without the post-2.2.0 fields are checked against @helium/proto too; with them, only protobufjs.
  const variants: { skip: SkipFields; helium: boolean }[] = [{ skip: drift ? NEWER_THAN_NPM : {}, helium: st !== undefined }];
  if (drift) variants.push({ skip: {}, helium: false });
  const rnd = seededRandom(seed);
  let values = 0;
  let heliumChecked = 0;
  for (const variant of variants) {
    for (let i = 0; i < ITERATIONS; i++) {
      const plain = randomPlainObject(type, rnd, variant.skip);
      const value = toValue(type, plain);
      const ours = encodeMessage(core, name, value, schema);
      const where = `${name} variant ${variants.indexOf(variant)} #${i}`;
      assert.deepEqual(canon(protobufjsView(type, ours)), canon(withoutDefaults(type, plain)), `${where}: protobufjs reads other values`);
      assert.equal(Buffer.from(type.encode(type.decode(ours)).finish()).toString("hex"), Buffer.from(ours).toString("hex"), `${where}: not canonical for protobufjs`);
      if (variant.helium && st) {
        assert.equal(Buffer.from(st.encode(st.decode(ours)).finish()).toString("hex"), Buffer.from(ours).toString("hex"), `${where}: not canonical for @helium/proto`);
        heliumChecked++;
      }
      assert.deepEqual(canon(decodeMessage(core, name, ours, schema)), canon(withDefaults(type, value)), `${where}: our decoder disagrees`);
      values++;
    }
  }
  return { values, heliumChecked };
}

test("every Helium message: >= 1,000 random values agree with protobufjs and @helium/proto", () => {
  const root = loadOurProtos(true);
  let seed = 1;
  const counts: Record<string, number> = {};
  for (const name of Object.keys(HELIUM_SCHEMA.messages)) {
    const { values, heliumChecked } = checkMessage(HELIUM_SCHEMA, root, name, seed++);
    assert.ok(values >= ITERATIONS);
    if (heliumStatic(HELIUM_SCHEMA.messages[name].fullName)) assert.ok(heliumChecked >= ITERATIONS, `${name} @helium/proto checks`);
    counts[name] = values;
  }
  assert.equal(Object.keys(counts).length, Object.keys(HELIUM_SCHEMA.messages).length);
});

test("every scalar type, packed and repeated fields: 2,000 random values agree with protobufjs", () => {
  const root = protobuf.parse(FIXTURE_PROTO, { keepCase: true }).root;
  root.resolveAll();
  const { values } = checkMessage(FIXTURE_SCHEMA, root, "all_types", 99);
  const second = checkMessage(FIXTURE_SCHEMA, root, "all_types", 100);
  assert.equal(values + second.values, 2 * ITERATIONS);
});
