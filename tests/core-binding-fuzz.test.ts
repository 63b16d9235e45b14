// Bad input never crashes the Core: >= 10,000 random, truncated and mutated inputs into every
// decoder it has (address decode, base58, base58check, LoRaWAN classification, protobuf decode
// through the codec, keypair files, beacon region params). Each call returns a value or throws a
// typed error (CoreError other than TRAP, IdentityError, ProtoError); nothing else, and the core
// still computes correctly afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { CoreError } from "../modules/core/errors.js";
import { IdentityError } from "../modules/identity/errors.js";
import { decodeKeypairFile, encodeKeypairFile, gatewayKeyFromSeed } from "../modules/identity/gateway-key.js";
import { decodeMessage } from "../modules/proto/codec.js";
import { ProtoError } from "../modules/proto/errors.js";
import { HELIUM_MESSAGE_NAMES } from "../modules/proto/schema.js";
import { encodeHistoricalRegionParams } from "../modules/region/historical-params.js";
import { core } from "./support/core.js";

const ITERATIONS = 10_000;
const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const rand = (n: number) => new Uint8Array(randomBytes(n));

/** Runs `f`; a typed error counts as a refusal, anything else fails the test. */
function typed(f: () => unknown, what: () => string): "ok" | "refused" {
  try {
    f();
    return "ok";
  } catch (error) {
    if (error instanceof CoreError) {
      assert.notEqual(error.code, "TRAP", `${what()}: ${error.message}`);
      return "refused";
    }
    if (error instanceof IdentityError || error instanceof ProtoError) return "refused";
    assert.fail(`${what()}: untyped ${String(error)}`);
  }
}

/** A random string: mostly base58 characters, sometimes any ASCII or non-ASCII, lengths past every cap. */
function randomText(i: number): string {
  const length = i % 50 === 0 ? randomInt(150, 400) : randomInt(0, 60);
  let s = "";
  for (let k = 0; k < length; k++) {
    const r = randomInt(0, 100);
    s += r < 90 ? ALPHABET[randomInt(0, ALPHABET.length)] : r < 98 ? String.fromCharCode(randomInt(0, 128)) : String.fromCharCode(randomInt(128, 0x3000));
  }
  return s;
}

/** Valid things, truncated or with bytes changed, or plain random bytes. */
function mutate(valid: Uint8Array, i: number): Uint8Array {
  switch (i % 4) {
    case 0: return rand(randomInt(0, 300));
    case 1: return valid.subarray(0, randomInt(0, valid.length + 1));
    case 2: {
      const copy = valid.slice();
      for (let k = randomInt(1, 4); k > 0 && copy.length > 0; k--) copy[randomInt(0, copy.length)] = randomInt(0, 256);
      return copy;
    }
    default: return new Uint8Array([...valid, ...rand(randomInt(1, 40))]);
  }
}

test("addressDecode, base58Decode and base58CheckDecode: 10,000 random strings each, typed errors only", () => {
  const counts = { ok: 0, refused: 0 };
  for (let i = 0; i < ITERATIONS; i++) {
    const text = i % 3 === 0 ? core.addressEncode(new Uint8Array([[0, 1, 0x10, 0x11][i % 4], ...rand(32)])).slice(0, randomInt(0, 53)) + randomText(i).slice(0, 3) : randomText(i);
    for (const decode of [core.addressDecode, core.base58Decode, core.base58CheckDecode]) counts[typed(() => decode(text), () => JSON.stringify(text))]++;
  }
  assert.ok(counts.ok > 1000 && counts.refused > 1000, JSON.stringify(counts));
});

test("classifyLoRaWAN: 10,000 random and mutated frames always give a frame type", () => {
  const seen = new Set<string>();
  const valid = [
    new Uint8Array(Buffer.from("40F17DBE4900020001954378762B11FF0D", "hex")),
    new Uint8Array(Buffer.from("00000000d07ed5b37030051c000ba304003412dc7fda4e", "hex")),
    new Uint8Array([0xe0, ...rand(51)]),
  ];
  for (let i = 0; i < ITERATIONS; i++) {
    const frame = mutate(valid[i % valid.length], i);
    const result = core.classifyLoRaWAN(frame);
    seen.add(result.type);
    if (result.type === "invalid") assert.ok(result.error && result.devAddr === undefined);
  }
  assert.ok(seen.size >= 6, [...seen].join(","));
});

test("protobuf decoding through the Core: 10,000 random and mutated messages over the whole schema, ProtoError only", () => {
  const valid = [
    new Uint8Array(Buffer.from("122101b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a091a33a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e20959a97ece39fe7cb1728959aef3a30fb1138b5ffffffffffffffff0140a0e5c79d03", "hex")),
    encodeHistoricalRegionParams(core, "US915")!,
  ];
  const counts = { ok: 0, refused: 0 };
  for (let i = 0; i < ITERATIONS; i++) {
    const bytes = mutate(valid[i % 2], i);
    const name = HELIUM_MESSAGE_NAMES[i % HELIUM_MESSAGE_NAMES.length];
    counts[typed(() => decodeMessage(core, name, bytes), () => `${name} ${Buffer.from(bytes).toString("hex")}`)]++;
    const raw = core.pbDecode(bytes);
    if (!raw.ok) assert.ok(raw.code < 0 && raw.at >= 0 && raw.at <= bytes.length);
  }
  assert.ok(counts.ok > 500 && counts.refused > 500, JSON.stringify(counts));
});

test("keypair files and beacon region params: 10,000 random and mutated inputs each, typed errors only", () => {
  const file = encodeKeypairFile(gatewayKeyFromSeed(core, rand(32)));
  const params = encodeHistoricalRegionParams(core, "EU868")!;
  const counts = { ok: 0, refused: 0 };
  for (let i = 0; i < ITERATIONS; i++) {
    const bytes = mutate(file, i);
    counts[typed(() => decodeKeypairFile(core, bytes), () => Buffer.from(bytes).toString("hex"))]++;
    const regionParams = mutate(params, i);
    counts[typed(
      () => core.deriveBeacon({ remoteData: rand(randomInt(0, 40)), remoteTimestamp: randomInt(0, 2 ** 40), remoteVersion: 0, localData: rand(4), regionParams, gainDbiX10: randomInt(0, 400) }),
      () => Buffer.from(regionParams).toString("hex"),
    )]++;
  }
  assert.ok(counts.ok > 100 && counts.refused > 1000, JSON.stringify(counts));
});

test("after all that the core still computes correctly", () => {
  const data = rand(1000);
  assert.equal(Buffer.from(core.sha256(data)).toString("hex"), createHash("sha256").update(data).digest("hex"));
  assert.equal(core.classifyLoRaWAN(new Uint8Array(Buffer.from("40F17DBE4900020001954378762B11FF0D", "hex"))).devAddr, 0x49be7df1);
});
