// Bad input never crashes: >= 10,000 random, truncated, mutated and oversized byte strings into
// pb_decode (raw export) and decodeMessage (every schema message), and random op lists into
// pb_encode. Only known error codes / ProtoError are allowed; no trap, no other exception, no
// write outside the output region.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeMessage, encodeMessage } from "../modules/proto/codec.js";
import * as codes from "../modules/proto/core.js";
import { ProtoError } from "../modules/proto/errors.js";
import { HELIUM_SCHEMA } from "../modules/proto/schema.js";
import { FIXTURE_PROTO, FIXTURE_SCHEMA } from "./support/fixture-schema.js";
import { loadOurProtos } from "./support/helium-protos.js";
import { randomPlainObject, seededRandom, type Rng } from "./support/random-proto.js";
import { loadProtoCore } from "./support/proto-core.js";
import protobuf from "protobufjs";

const { raw, core } = loadProtoCore();
const KNOWN = new Set([
  codes.ERR_BAD_LENGTH, codes.ERR_BAD_INPUT, codes.ERR_NO_SPACE, codes.ERR_TRUNCATED, codes.ERR_BAD_WIRE_TYPE,
  codes.ERR_FIELD_ORDER, codes.ERR_DUPLICATE_FIELD, codes.ERR_LIMIT,
]);
const e = raw.exports as unknown as Record<string, (...args: number[]) => number>;
const int = (rnd: Rng, n: number) => Math.floor(rnd() * n);

/** Valid encodings of random Helium and fixture messages, to truncate and mutate. */
function seeds(rnd: Rng): Uint8Array[] {
  const out: Uint8Array[] = [];
  const ours = loadOurProtos(true);
  for (const spec of Object.values(HELIUM_SCHEMA.messages)) {
    const type = ours.lookupType(spec.fullName);
    for (let i = 0; i < 5; i++) out.push(type.encode(type.fromObject(randomPlainObject(type, rnd))).finish());
  }
  const fixture = protobuf.parse(FIXTURE_PROTO, { keepCase: true }).root.lookupType("fixture.all_types");
  for (let i = 0; i < 20; i++) out.push(fixture.encode(fixture.fromObject(randomPlainObject(fixture, rnd))).finish());
  return out.filter((b) => b.length > 0);
}

function randomInput(rnd: Rng, valid: Uint8Array[], i: number): Uint8Array {
  const kind = i % 5;
  if (kind === 0) return Uint8Array.from({ length: int(rnd, 200) }, () => int(rnd, 256));
  const base = valid[int(rnd, valid.length)];
  if (kind === 1) return base.subarray(0, int(rnd, base.length)); // truncated
  const copy = base.slice();
  if (kind === 2) {
    for (let j = 1 + int(rnd, 4); j > 0; j--) copy[int(rnd, copy.length)] ^= 1 << int(rnd, 8); // bit flips
    return copy;
  }
  if (kind === 3) {
    // a length prefix or varint inflated: set a random byte to 0xff
    copy[int(rnd, copy.length)] = 0xff;
    return copy;
  }
  // extra garbage appended
  const tail = Uint8Array.from({ length: 1 + int(rnd, 20) }, () => int(rnd, 256));
  const joined = new Uint8Array(copy.length + tail.length);
  joined.set(copy);
  joined.set(tail, copy.length);
  return joined;
}

/** Core memory after the scratch region, skipping `skip` bytes (the encoder's own tables). */
function memoryAfterScratch(skip = 0): Uint8Array {
  return new Uint8Array(raw.memory.buffer, raw.scratch + raw.scratchSize + skip).slice();
}
// pb_encode keeps its measured sizes in static tables (1,296 bytes, laid out right after the
// scratch region); everything beyond them must stay untouched.
const ENCODER_TABLES = 2048;

test("pb_decode: 10,000 bad inputs give records inside the input or a known error code", () => {
  const rnd = seededRandom(7);
  const valid = seeds(rnd);
  const before = memoryAfterScratch();
  let ok = 0;
  let failed = 0;
  for (let i = 0; i < 10000; i++) {
    const input = randomInput(rnd, valid, i);
    const result = core.pbDecode(input);
    if (!result.ok) {
      assert.ok(KNOWN.has(result.code), `unknown code ${result.code}`);
      assert.ok(result.at >= 0 && result.at <= input.length, `error offset ${result.at}`);
      failed++;
      continue;
    }
    const view = new DataView(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength);
    for (let r = 0; r < result.bytes.length; r += 16) {
      assert.ok(view.getUint32(r, true) >= 1);
      const wire = view.getUint32(r + 4, true);
      assert.ok([0, 1, 2, 5].includes(wire));
      if (wire === 2) assert.ok(view.getUint32(r + 8, true) + view.getUint32(r + 12, true) <= input.length);
    }
    ok++;
  }
  assert.deepEqual(memoryAfterScratch(), before, "memory after the scratch region changed");
  assert.ok(ok > 500 && failed > 500, `ok ${ok}, failed ${failed}`);
});

test("decodeMessage: 10,000 bad inputs per the whole schema give values or ProtoError only", () => {
  const rnd = seededRandom(8);
  const valid = seeds(rnd);
  const names = Object.keys(HELIUM_SCHEMA.messages);
  let errors = 0;
  for (let i = 0; i < 10000; i++) {
    const input = randomInput(rnd, valid, i);
    const name = names[i % names.length];
    try {
      decodeMessage(core, name, input);
    } catch (err) {
      assert.ok(err instanceof ProtoError, `${name}: ${String(err)}`);
      assert.ok(err.field.startsWith(name));
      errors++;
    }
    try {
      decodeMessage(core, "all_types", input, FIXTURE_SCHEMA);
    } catch (err) {
      assert.ok(err instanceof ProtoError, `all_types: ${String(err)}`);
    }
  }
  assert.ok(errors > 1000, `${errors} errors`);
});

test("oversized and out-of-memory inputs are refused, not trapped", () => {
  const huge = new Uint8Array(20000).fill(0x08);
  assert.throws(() => decodeMessage(core, "packet_router_packet_up_v1", huge), ProtoError);
  // a message that fits the input but whose field list does not fit the scratch region
  const many = new Uint8Array(8000);
  for (let i = 0; i < many.length; i += 2) many.set([0x08, 0x01], i);
  assert.throws(() => decodeMessage(core, "packet_router_packet_up_v1", many), (err: unknown) => err instanceof ProtoError && err.code === codes.ERR_NO_SPACE);
  assert.equal(e.pb_decode(0xffff0000, 100000, raw.scratch, 16), codes.ERR_BAD_LENGTH);
  assert.equal(e.pb_decode(raw.scratch, 16, 65530, 16), codes.ERR_BAD_LENGTH);
  assert.equal(e.pb_encode(raw.scratch, 64, raw.scratch + 32, 64), codes.ERR_BAD_INPUT); // overlapping
  assert.equal(e.pb_decode_packed(0xfffffff0, 32, 0, raw.scratch, 16), codes.ERR_BAD_LENGTH);
  assert.equal(e.pb_encode(0, 0xffffffff, raw.scratch, 16), codes.ERR_BAD_LENGTH);
});

test("pb_encode: 10,000 random and mutated op lists give bytes or a known error code", () => {
  const rnd = seededRandom(9);
  const before = memoryAfterScratch(ENCODER_TABLES);
  // valid op lists, recorded from real encodes, to mutate
  const opLists: Uint8Array[] = [];
  const recording = { ...core, pbEncode: (ops: Uint8Array) => (opLists.push(ops), core.pbEncode(ops)) };
  const ours = loadOurProtos(true);
  for (const spec of Object.values(HELIUM_SCHEMA.messages)) {
    const type = ours.lookupType(spec.fullName);
    for (let i = 0; i < 4; i++) {
      const value = fixLongs(type, randomPlainObject(type, rnd)); // Buffers are Uint8Arrays already
      try {
        encodeMessage(recording, spec.name, value);
      } catch (err) {
        assert.ok(err instanceof ProtoError);
      }
    }
  }
  let ok = 0;
  for (let i = 0; i < 10000; i++) {
    let ops: Uint8Array;
    if (i % 2 === 0) ops = Uint8Array.from({ length: int(rnd, 120) }, () => (rnd() < 0.5 ? int(rnd, 20) : int(rnd, 256)));
    else {
      ops = opLists[int(rnd, opLists.length)].slice();
      if (ops.length > 0) for (let j = 1 + int(rnd, 3); j > 0; j--) ops[int(rnd, ops.length)] = int(rnd, 256);
      if (rnd() < 0.3) ops = ops.subarray(0, int(rnd, ops.length + 1));
    }
    const result = core.pbEncode(ops);
    if (result.ok) ok++;
    else {
      assert.ok(KNOWN.has(result.code), `unknown code ${result.code}`);
      assert.ok(result.at >= 0 && result.at <= ops.length);
    }
  }
  assert.deepEqual(memoryAfterScratch(ENCODER_TABLES), before, "memory after the encoder tables changed");
  assert.ok(ok > 100, `${ok} accepted`);
});

/** protobufjs plain object -> our value shape: 64-bit decimal strings become bigints. */
function fixLongs(type: protobuf.Type, plain: Record<string, unknown>): Record<string, never> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(plain)) {
    const f = type.fields[k];
    const one = (x: unknown): unknown =>
      f.resolvedType instanceof protobuf.Type ? fixLongs(f.resolvedType, x as Record<string, unknown>)
        : /64$/.test(f.type) ? BigInt(x as string) : x;
    out[k] = Array.isArray(v) ? v.map(one) : one(v);
  }
  return out as Record<string, never>;
}
