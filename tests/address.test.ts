// Base58, base58check and Helium addresses from the core against bs58, bs58check,
// @helium/crypto 4.12.0 (libsodium keys) and @helium/address 4.14.2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import bs58 from "bs58";
import bs58check from "bs58check";
import { createRequire } from "node:module";
import { loadRawCore } from "./support/raw-core.js";

// Both packages are CommonJS without ESM named-export hints; these are the parts used here.
interface HeliumAddress {
  bin: Uint8Array;
  b58: string;
  netType: number;
  keyType: number;
}
interface AddressStatic {
  new (version: number, netType: number, keyType: number, publicKey: Uint8Array): HeliumAddress;
  fromB58(b58: string): HeliumAddress;
}
interface KeypairStatic {
  makeRandom(netType?: number): Promise<{ address: HeliumAddress }>;
}
const require = createRequire(import.meta.url);
const Address = (require("@helium/address") as { default: AddressStatic }).default;
const { Keypair } = require("@helium/crypto") as { Keypair: KeypairStatic };

// Error codes of assembly/errors.ts.
const ERR_BAD_LENGTH = -1;
const ERR_BAD_INPUT = -2;
const ERR_BAD_CHECKSUM = -3;
const ERR_BAD_TAG = -4;

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const core = loadRawCore();
type Codec = (inPtr: number, len: number, outPtr: number, outCap: number) => number;
const fn = (name: string) => core.exports[name] as unknown as Codec;
const IN_AT = 0;
const OUT_AT = 8192;
const OUT_CAP = 1024;

/** Runs an export over bytes; returns the output bytes or the error code. */
function run(name: string, input: Uint8Array): Uint8Array | number {
  const inPtr = core.put(input, IN_AT);
  const n = fn(name)(inPtr, input.length, core.scratch + OUT_AT, OUT_CAP);
  return n < 0 ? n : core.get(core.scratch + OUT_AT, n);
}
const ascii = (s: string) => new TextEncoder().encode(s);
const text = (r: Uint8Array | number) => (typeof r === "number" ? r : new TextDecoder().decode(r));

/** Random bytes, sometimes with leading zeros (base58's special case). */
function randomPayload(maxLen: number): Uint8Array {
  const len = randomInt(0, maxLen + 1);
  const bytes = new Uint8Array(randomBytes(len));
  const zeros = randomInt(0, 4) === 0 ? randomInt(0, len + 1) : 0;
  bytes.fill(0, 0, zeros);
  return bytes;
}

test("b58_encode/b58_decode equal bs58 on 1,000 random byte strings (0..128 bytes)", () => {
  for (let i = 0; i < 1000; i++) {
    const bytes = randomPayload(128);
    const expected = bs58.encode(bytes);
    assert.equal(text(run("b58_encode", bytes)), expected);
    assert.deepEqual(run("b58_decode", ascii(expected)), bs58.decode(expected));
  }
});

test("b58_decode agrees with bs58 on 1,000 random strings over the alphabet and near it", () => {
  const chars = ALPHABET + "0OIl+/ \u00e9";
  for (let i = 0; i < 1000; i++) {
    let s = "";
    const len = randomInt(0, 60);
    const pool = i % 2 === 0 ? ALPHABET : chars;
    for (let j = 0; j < len; j++) s += pool[randomInt(0, pool.length)];
    let expected: Uint8Array | undefined;
    try {
      expected = bs58.decode(s);
    } catch {
      expected = undefined;
    }
    const ours = run("b58_decode", ascii(s));
    if (expected === undefined) assert.equal(ours, ERR_BAD_INPUT, s);
    else assert.deepEqual(ours, expected, s);
  }
});

test("b58check_encode/b58check_decode equal bs58check on 1,000 random payloads (0..124 bytes)", () => {
  for (let i = 0; i < 1000; i++) {
    const payload = randomPayload(124);
    const expected = bs58check.encode(payload);
    assert.equal(text(run("b58check_encode", payload)), expected);
    assert.deepEqual(run("b58check_decode", ascii(expected)), bs58check.decode(expected));
  }
});

test("helium addresses equal @helium/crypto for 1,000 random ed25519 keys (mainnet and testnet)", async () => {
  for (let i = 0; i < 1000; i++) {
    const netType = i % 2 === 0 ? 0x00 : 0x10;
    const keypair = await Keypair.makeRandom(netType);
    const address = keypair.address;
    const bin = new Uint8Array(address.bin);
    assert.equal(bin.length, 33);
    assert.equal(bin[0], netType | 0x01);
    assert.equal(text(run("helium_address_encode", bin)), address.b58);
    assert.deepEqual(run("helium_address_decode", ascii(address.b58)), bin);
  }
});

test("helium addresses equal @helium/address and bs58check for 1,000 random ecc_compact and ed25519 binaries", () => {
  for (let i = 0; i < 1000; i++) {
    const netType = randomInt(0, 2) * 0x10;
    const keyType = randomInt(0, 2);
    const key = new Uint8Array(randomBytes(32));
    const address = new Address(0, netType, keyType, key);
    const bin = new Uint8Array(address.bin);
    const b58 = address.b58;
    assert.equal(b58, bs58check.encode(Uint8Array.of(0, ...bin)));
    assert.equal(text(run("helium_address_encode", bin)), b58);
    assert.deepEqual(run("helium_address_decode", ascii(b58)), bin);
    const back = Address.fromB58(b58);
    assert.equal(back.netType, netType);
    assert.equal(back.keyType, keyType);
  }
});

/** What a strict decoder must say about a string, judged with bs58 and bs58check plus the key table (spec 5.1-5.3). */
function expectedVerdict(s: string): number | Uint8Array {
  for (const c of s) if (!ALPHABET.includes(c)) return ERR_BAD_INPUT;
  if (bs58.decode(s).length < 4) return ERR_BAD_LENGTH;
  let payload: Uint8Array;
  try {
    payload = bs58check.decode(s);
  } catch {
    return ERR_BAD_CHECKSUM;
  }
  if (payload.length < 1) return ERR_BAD_LENGTH;
  if (payload[0] !== 0) return ERR_BAD_TAG;
  if (payload.length < 2) return ERR_BAD_LENGTH;
  const tag = payload[1];
  if (![0x00, 0x10].includes(tag & 0xf0) || ![0x00, 0x01].includes(tag & 0x0f)) return ERR_BAD_TAG;
  if (payload.length !== 34) return ERR_BAD_LENGTH;
  return payload.slice(1);
}

test("helium_address_decode rejects 2,000 mutated addresses with the reason bs58check and the key table give", () => {
  const codes = new Map<number | string, number>();
  for (let i = 0; i < 2000; i++) {
    const bin = new Uint8Array(33);
    bin.set(randomBytes(33));
    bin[0] = randomInt(0, 4) === 0 ? bin[0] : (randomInt(0, 2) * 0x10) | randomInt(0, 2);
    let s = bs58check.encode(Uint8Array.of(randomInt(0, 8) === 0 ? 1 : 0, ...bin.subarray(0, randomInt(0, 6) === 0 ? randomInt(0, 34) : 33)));
    const chars = [...s];
    const mutation = randomInt(0, 4);
    const at = randomInt(0, chars.length);
    if (mutation === 0) chars[at] = ALPHABET[randomInt(0, 58)];
    else if (mutation === 1) chars[at] = "0OIl_"[randomInt(0, 5)];
    else if (mutation === 2) chars.splice(at, 1);
    s = chars.join("");
    const expected = expectedVerdict(s);
    const ours = run("helium_address_decode", ascii(s));
    assert.deepEqual(ours, expected, s);
    const key = typeof ours === "number" ? ours : "ok";
    codes.set(key, (codes.get(key) ?? 0) + 1);
  }
  // Every outcome shows up, so each rejection path was exercised.
  for (const key of ["ok", ERR_BAD_INPUT, ERR_BAD_CHECKSUM, ERR_BAD_TAG, ERR_BAD_LENGTH]) assert.ok(codes.get(key)! > 0, `no case for ${key}`);
});

test("address exports refuse over-long inputs and regions outside memory", () => {
  assert.equal(run("b58_encode", new Uint8Array(129).fill(1)), ERR_BAD_LENGTH);
  assert.equal(run("b58_decode", ascii("2".repeat(176))), ERR_BAD_LENGTH);
  assert.equal(run("b58check_encode", new Uint8Array(125)), ERR_BAD_LENGTH);
  assert.equal(run("helium_address_decode", ascii("1".repeat(4000))), ERR_BAD_LENGTH);
  for (const name of ["b58_encode", "b58_decode", "b58check_encode", "b58check_decode", "helium_address_encode", "helium_address_decode"]) {
    assert.equal(fn(name)(65536 - 2, 3, core.scratch, 10), ERR_BAD_LENGTH, name);
    assert.equal(fn(name)(core.scratch, 3, 65536 - 5, 10), ERR_BAD_LENGTH, name);
    assert.equal(fn(name)(core.scratch, 0xffffffff, core.scratch, 10), ERR_BAD_LENGTH, name);
  }
});
