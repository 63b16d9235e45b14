// Proves devnet/proto/*.proto agree with @helium/proto@2.2.0 wherever that package has the message:
// same field numbers, names, types, wire types and repetition (read from its generated encoders),
// same enum values, and byte-identical encodings of random objects. The only fields allowed to be
// missing from @helium/proto are the documented post-2.2.0 session additions (peers-and-oracles 1.3).
// Also proves modules/proto/schema.ts declares exactly what the .proto files declare.
import { test } from "node:test";
import assert from "node:assert/strict";
import protobuf from "protobufjs";
import { heliumEnum, heliumStatic, heliumStaticFields, loadOurProtos, NEWER_THAN_NPM, NOT_IN_NPM, PARTIAL } from "./support/helium-protos.js";
import { HELIUM_SCHEMA } from "../modules/proto/schema.js";
import { randomPlainObject, seededRandom, withoutDefaults } from "./support/random-proto.js";

const ours = loadOurProtos(true);
const oursCamel = loadOurProtos(false);

function allTypes(ns: protobuf.NamespaceBase): protobuf.Type[] {
  const out: protobuf.Type[] = [];
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) out.push(nested);
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) out.push(...allTypes(nested));
  }
  return out;
}
const fullName = (t: protobuf.ReflectionObject) => t.fullName.replace(/^\./, "");

const WIRE: Record<string, number> = {
  double: 1, fixed64: 1, sfixed64: 1, float: 5, fixed32: 5, sfixed32: 5,
  string: 2, bytes: 2, int32: 0, int64: 0, uint32: 0, uint64: 0, sint32: 0, sint64: 0, bool: 0,
};
const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

test("every message of ours that @helium/proto has matches it field by field", () => {
  let compared = 0;
  for (const type of allTypes(ours)) {
    const name = fullName(type);
    const codec = heliumStatic(name);
    if (NOT_IN_NPM.has(name)) {
      assert.equal(codec, undefined, `${name} is listed as missing from @helium/proto but exists`);
      continue;
    }
    assert.ok(codec, `@helium/proto lacks ${name}`);
    const theirs = new Map(heliumStaticFields(codec).map((f) => [f.id, f]));
    const extra = NEWER_THAN_NPM[name] ?? [];
    for (const field of type.fieldsArray) {
      field.resolve();
      const t = theirs.get(field.id);
      if (extra.includes(field.name)) {
        assert.equal(t, undefined, `${name}.${field.name} is listed as newer than npm but exists there`);
        continue;
      }
      assert.ok(t, `${name}.${field.name} (${field.id}) missing in @helium/proto`);
      assert.equal(t.prop, camel(field.name), `${name} field ${field.id} name`);
      assert.equal(t.repeated, field.repeated, `${name}.${field.name} repetition`);
      if (field.resolvedType instanceof protobuf.Type) {
        assert.equal(t.method, `message:${fullName(field.resolvedType)}`, `${name}.${field.name} message type`);
        assert.equal(t.wireType, 2);
      } else if (field.resolvedType instanceof protobuf.Enum) {
        assert.equal(t.method, "int32", `${name}.${field.name} enum`);
        assert.equal(t.wireType, 0);
      } else {
        assert.equal(t.method, field.type, `${name}.${field.name} type`);
        assert.equal(t.wireType, WIRE[field.type], `${name}.${field.name} wire type`);
      }
      theirs.delete(field.id);
    }
    // Fields @helium/proto has that we left out must not exist: we model whole messages.
    if (!PARTIAL.has(name)) assert.deepEqual([...theirs.keys()], [], `${name} lacks fields that @helium/proto has`);
    compared++;
  }
  assert.ok(compared >= 18, `compared ${compared} messages`);
});

test("enum values agree with @helium/proto", () => {
  for (const name of ["helium.data_rate", "helium.region", "helium.RegionSpreading"]) {
    const theirs = heliumEnum(name);
    assert.ok(theirs, name);
    assert.deepEqual({ ...ours.lookupEnum(name).values }, { ...theirs }, name);
  }
});

const SKIP_CAMEL = Object.fromEntries(Object.entries(NEWER_THAN_NPM).map(([k, v]) => [k, v.map(camel)]));

test("random objects encode to the same bytes with our .proto and with @helium/proto", () => {
  const rnd = seededRandom(0x5eed);
  let messages = 0;
  for (const type of allTypes(oursCamel)) {
    const name = fullName(type);
    const codec = heliumStatic(name);
    if (!codec) continue;
    for (let i = 0; i < 200; i++) {
      const object = withoutDefaults(type, randomPlainObject(type, rnd, SKIP_CAMEL));
      const a = type.encode(type.fromObject(object)).finish();
      const b = codec.encode(codec.fromObject(object)).finish();
      assert.deepEqual(Buffer.from(a).toString("hex"), Buffer.from(b).toString("hex"), `${name} #${i}`);
    }
    messages++;
  }
  assert.ok(messages >= 18);
});

test("modules/proto/schema.ts declares exactly the messages, fields and enums of devnet/proto", () => {
  const protoTypes = new Map(allTypes(ours).map((t) => [fullName(t), t]));
  const schemaNames = new Set(Object.values(HELIUM_SCHEMA.messages).map((m) => m.fullName));
  assert.deepEqual([...protoTypes.keys()].filter((n) => !schemaNames.has(n)), [], "messages missing from schema.ts");
  const byFullName = (n: string) => Object.values(HELIUM_SCHEMA.messages).find((m) => m.fullName === n)?.name;
  for (const spec of Object.values(HELIUM_SCHEMA.messages)) {
    const type = protoTypes.get(spec.fullName);
    assert.ok(type, `${spec.fullName} missing from the .proto files`);
    const described = spec.fields.map((f) => {
      const ref = f.ref && (f.type === "enum" ? HELIUM_SCHEMA.enums[f.ref].fullName : HELIUM_SCHEMA.messages[f.ref].fullName);
      return { name: f.name, id: f.number, type: f.type === "enum" || f.type === "message" ? `${f.type}:${ref}` : f.type, repeated: f.repeated, oneof: f.oneof };
    });
    const declared = [...type.fieldsArray].sort((a, b) => a.id - b.id).map((f) => {
      f.resolve();
      const rt = f.resolvedType;
      const kind = rt instanceof protobuf.Type ? `message:${fullName(rt)}` : rt instanceof protobuf.Enum ? `enum:${fullName(rt)}` : f.type;
      return { name: f.name, id: f.id, type: kind, repeated: f.repeated, oneof: f.partOf?.name };
    });
    assert.deepEqual(described, declared, spec.name);
    assert.equal(byFullName(spec.fullName), spec.name);
  }
  for (const e of Object.values(HELIUM_SCHEMA.enums)) {
    assert.deepEqual({ ...e.values }, { ...ours.lookupEnum(e.fullName).values }, e.fullName);
  }
});
