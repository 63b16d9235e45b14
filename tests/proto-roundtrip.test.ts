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
import { defineSchema, HELIUM_SCHEMA, type Schema } from "../modules/proto/schema.js";
import type { ProtoFieldValue, ProtoMessage } from "../modules/proto/values.js";
import { heliumStatic, loadOurProtos, NEWER_THAN_NPM } from "./support/helium-protos.js";
import { randomPlainObject, seededRandom, type SkipFields, withoutDefaults } from "./support/random-proto.js";
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

// Every scalar type, packed repeated scalars, repeated bytes/strings/messages, nesting, a oneof,
// a negative enum value and the largest field number: what the Helium schema does not exercise.
const FIXTURE_PROTO = `
syntax = "proto3";
package fixture;
enum color { NONE = 0; RED = 1; NEGATIVE = -3; }
message inner { int32 a = 1; repeated string s = 2; inner_most deeper = 3; }
message inner_most { sint64 z = 1; }
message all_types {
  double d = 1; float f = 2; int32 i32 = 3; int64 i64 = 4; uint32 u32 = 5; uint64 u64 = 6;
  sint32 s32 = 7; sint64 s64 = 8; fixed32 fx32 = 9; fixed64 fx64 = 10; sfixed32 sf32 = 11;
  sfixed64 sf64 = 12; bool b = 13; string s = 14; bytes by = 15; color en = 16; inner msg = 17;
  repeated int32 r_i32 = 18; repeated double r_d = 19; repeated bool r_b = 20; repeated sint64 r_s64 = 21;
  repeated fixed32 r_fx32 = 22; repeated color r_en = 23; repeated bytes r_by = 24; repeated string r_s = 25;
  repeated inner r_msg = 26; repeated uint64 r_u64 = 27; repeated float r_f = 28; repeated sfixed64 r_sf64 = 29;
  oneof choice { inner c1 = 30; inner_most c2 = 31; }
  uint32 last = 536870911;
}`;

export const FIXTURE_SCHEMA: Schema = defineSchema(
  { color: { fullName: "fixture.color", values: { NONE: 0, RED: 1, NEGATIVE: -3 } } },
  {
    inner: { fullName: "fixture.inner", fields: [[1, "a", "int32"], [2, "s", "string", { repeated: true }], [3, "deeper", "message:inner_most"]] },
    inner_most: { fullName: "fixture.inner_most", fields: [[1, "z", "sint64"]] },
    all_types: {
      fullName: "fixture.all_types",
      fields: [
        [1, "d", "double"], [2, "f", "float"], [3, "i32", "int32"], [4, "i64", "int64"], [5, "u32", "uint32"],
        [6, "u64", "uint64"], [7, "s32", "sint32"], [8, "s64", "sint64"], [9, "fx32", "fixed32"], [10, "fx64", "fixed64"],
        [11, "sf32", "sfixed32"], [12, "sf64", "sfixed64"], [13, "b", "bool"], [14, "s", "string"], [15, "by", "bytes"],
        [16, "en", "enum:color"], [17, "msg", "message:inner"],
        [18, "r_i32", "int32", { repeated: true }], [19, "r_d", "double", { repeated: true }], [20, "r_b", "bool", { repeated: true }],
        [21, "r_s64", "sint64", { repeated: true }], [22, "r_fx32", "fixed32", { repeated: true }],
        [23, "r_en", "enum:color", { repeated: true }], [24, "r_by", "bytes", { repeated: true }],
        [25, "r_s", "string", { repeated: true }], [26, "r_msg", "message:inner", { repeated: true }],
        [27, "r_u64", "uint64", { repeated: true }], [28, "r_f", "float", { repeated: true }],
        [29, "r_sf64", "sfixed64", { repeated: true }],
        [30, "c1", "message:inner", { oneof: "choice" }], [31, "c2", "message:inner_most", { oneof: "choice" }],
        [536870911, "last", "uint32"],
      ],
    },
  },
);

test("every scalar type, packed and repeated fields: 2,000 random values agree with protobufjs", () => {
  const root = protobuf.parse(FIXTURE_PROTO, { keepCase: true }).root;
  root.resolveAll();
  const { values } = checkMessage(FIXTURE_SCHEMA, root, "all_types", 99);
  const second = checkMessage(FIXTURE_SCHEMA, root, "all_types", 100);
  assert.equal(values + second.values, 2 * ITERATIONS);
});
