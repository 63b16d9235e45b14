// The Core over build/core.wasm (modules/core/wasm.ts + linear.ts) against independent
// implementations: node:crypto, @noble/hashes, @noble/curves, @noble/ciphers, bs58, bs58check,
// @helium/address and lora-packet, on random inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { sha256 as nobleSha256, sha512 as nobleSha512 } from "@noble/hashes/sha2.js";
import { md5 as nobleMd5 } from "@noble/hashes/legacy.js";
import { ed25519 } from "@noble/curves/ed25519.js";
import { chacha12, chacha20 } from "@noble/ciphers/chacha.js";
import bs58 from "bs58";
import bs58check from "bs58check";
import heliumAddress from "@helium/address";
import { CoreError, coreErrorName, knownCoreErrorCodes } from "../modules/core/errors.js";
import { core } from "./support/core.js";

const Address = heliumAddress.default;

const rand = (n: number) => new Uint8Array(randomBytes(n));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

test("every error code of assembly/errors.ts has its name in modules/core/errors.ts", () => {
  const source = readFileSync(new URL("../../../assembly/errors.ts", import.meta.url), "utf8");
  const codes = [...source.matchAll(/export const ERR_([A-Z0-9_]+): i32 = (-\d+);/g)];
  assert.ok(codes.length >= 10, "the pattern finds the codes");
  for (const [, name, value] of codes) assert.equal(coreErrorName(Number(value)), name);
  assert.equal(knownCoreErrorCodes().length, codes.length, "no stale names in the mirror");
});

test("SHA-256 and SHA-512 equal node:crypto and @noble/hashes on 1,000 random inputs", () => {
  for (let i = 0; i < 1000; i++) {
    const data = rand(randomInt(0, i < 20 ? 40_000 : 300));
    const s256 = core.sha256(data);
    assert.equal(hex(s256), createHash("sha256").update(data).digest("hex"));
    assert.deepEqual(s256, nobleSha256(data));
    const s512 = core.sha512(data);
    assert.equal(hex(s512), createHash("sha512").update(data).digest("hex"));
    assert.deepEqual(s512, nobleSha512(data));
  }
});

test("SHA-256/512 across the scratch-size boundary and of 1 MiB (streamed in chunks)", () => {
  for (const size of [16_320, 16_351, 16_352, 16_353, 16_384, 16_385, 32_768, 32_769, 1 << 20]) {
    const data = rand(size);
    assert.equal(hex(core.sha256(data)), createHash("sha256").update(data).digest("hex"), `sha256 of ${size}`);
    assert.equal(hex(core.sha512(data)), createHash("sha512").update(data).digest("hex"), `sha512 of ${size}`);
  }
});

test("MD5 equals node:crypto and @noble/hashes on 1,000 random inputs", () => {
  for (let i = 0; i < 1000; i++) {
    const data = rand(randomInt(0, 200));
    assert.equal(hex(core.md5(data)), createHash("md5").update(data).digest("hex"));
    assert.deepEqual(core.md5(data), nobleMd5(data));
  }
});

test("Ed25519 public keys and signatures equal @noble/curves on 1,000 random seeds; verify agrees both ways", () => {
  for (let i = 0; i < 1000; i++) {
    const seed = rand(32);
    const message = rand(randomInt(0, i < 10 ? 16_000 : 200));
    const publicKey = core.ed25519PublicKey(seed);
    assert.deepEqual(publicKey, ed25519.getPublicKey(seed));
    const signature = core.ed25519Sign(seed, message);
    assert.deepEqual(signature, ed25519.sign(message, seed));
    assert.equal(core.ed25519Verify(publicKey, message, signature), true);
    const tampered = signature.slice();
    tampered[randomInt(0, 64)] ^= 1 << randomInt(0, 8);
    assert.equal(core.ed25519Verify(publicKey, message, tampered), ed25519.verify(tampered, message, publicKey));
    if (message.length > 0) {
      const other = message.slice();
      other[0] ^= 0x80;
      assert.equal(core.ed25519Verify(publicKey, other, signature), false);
    }
  }
});

test("Ed25519 verify rejects non-canonical S and keys that are not points, as false", () => {
  const seed = rand(32);
  const message = rand(40);
  const publicKey = core.ed25519PublicKey(seed);
  const signature = core.ed25519Sign(seed, message);
  // S + L encodes the same scalar non-canonically; RFC 8032 says reject.
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  let s = 0n;
  for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(signature[32 + i]);
  const sPlusL = s + L;
  const nonCanonical = signature.slice();
  for (let i = 0; i < 32; i++) nonCanonical[32 + i] = Number((sPlusL >> BigInt(8 * i)) & 0xffn);
  if (sPlusL < 2n ** 256n) assert.equal(core.ed25519Verify(publicKey, message, nonCanonical), false);
  // y = 2 is not on the curve (x^2 would be a non-residue): not a point.
  const notAPoint = new Uint8Array(32);
  notAPoint[0] = 2;
  assert.throws(() => ed25519.Point.fromBytes(notAPoint), "noble agrees it is not a point");
  assert.equal(core.ed25519Verify(notAPoint, message, signature), false);
  assert.throws(() => core.ed25519Verify(publicKey.subarray(1), message, signature), (e: unknown) => e instanceof CoreError && e.code === "BAD_LENGTH");
  assert.throws(() => core.ed25519Sign(seed.subarray(1), message), (e: unknown) => e instanceof CoreError && e.code === "BAD_LENGTH");
  assert.throws(() => core.ed25519Sign(seed, rand(20_000)), (e: unknown) => e instanceof CoreError && e.code === "TOO_LARGE");
});

test("ChaCha12/ChaCha20 next_u32 streams equal @noble/ciphers keystreams on 1,000 random seeds", () => {
  const nonce = new Uint8Array(12); // rand_chacha stream 0 == the IETF layout with a zero nonce
  for (let i = 0; i < 1000; i++) {
    const seed = rand(32);
    const words = randomInt(0, i < 20 ? 4097 : 100);
    for (const [rounds, reference] of [[12, chacha12], [20, chacha20]] as const) {
      const stream = reference(seed, nonce, new Uint8Array(4 * words));
      const expected = Array.from({ length: words }, (_, w) => new DataView(stream.buffer).getUint32(4 * w, true));
      assert.deepEqual(Array.from(core.chacha(rounds, seed, words)), expected);
    }
  }
  assert.throws(() => core.chacha(12, rand(32), 4097), (e: unknown) => e instanceof CoreError && e.code === "TOO_LARGE");
});

test("base58 and base58check equal bs58 and bs58check on 1,000 random inputs", () => {
  for (let i = 0; i < 1000; i++) {
    const bytes = rand(randomInt(0, 60));
    if (i % 7 === 0) bytes.fill(0, 0, randomInt(0, bytes.length + 1)); // leading zero bytes become '1's
    const text = bs58.encode(bytes);
    assert.equal(core.base58Encode(bytes), text);
    assert.deepEqual(core.base58Decode(text), bytes);
    const checked = bs58check.encode(bytes);
    assert.equal(core.base58CheckEncode(bytes), checked);
    assert.deepEqual(core.base58CheckDecode(checked), bytes);
  }
});

test("base58check rejects a changed character, and base58 rejects characters outside the alphabet", () => {
  const text = bs58check.encode(rand(34));
  const i = randomInt(1, text.length);
  const swapped = text.slice(0, i) + (text[i] === "2" ? "3" : "2") + text.slice(i + 1);
  assert.throws(() => bs58check.decode(swapped), "bs58check agrees it is bad");
  assert.throws(() => core.base58CheckDecode(swapped), (e: unknown) => e instanceof CoreError && e.code === "BAD_CHECKSUM");
  for (const bad of ["0", "O", "I", "l", "abc+", "é"]) assert.throws(() => core.base58Decode(bad), CoreError);
});

test("Helium addresses equal @helium/address for random ed25519 and ecc_compact keys, mainnet and testnet", () => {
  for (let i = 0; i < 1000; i++) {
    const tag = [0x00, 0x01, 0x10, 0x11][i % 4];
    const bin = new Uint8Array([tag, ...rand(32)]);
    const reference = Address.fromBin(Buffer.from(bin)).b58;
    assert.equal(core.addressEncode(bin), reference);
    assert.deepEqual(core.addressDecode(reference), bin);
  }
});

test("Helium address decode rejects bad checksums, unknown tags and wrong lengths with typed errors", () => {
  const good = Address.fromBin(Buffer.from([0x01, ...rand(32)])).b58;
  const i = randomInt(2, good.length);
  const bad = good.slice(0, i) + (good[i] === "2" ? "3" : "2") + good.slice(i + 1);
  assert.throws(() => core.addressDecode(bad), (e: unknown) => e instanceof CoreError && e.code === "BAD_CHECKSUM");
  assert.throws(() => core.addressDecode(bs58check.encode(new Uint8Array([0, 0x07, ...rand(32)]))), (e: unknown) => e instanceof CoreError && e.code === "BAD_TAG");
  assert.throws(() => core.addressDecode(bs58check.encode(new Uint8Array([0, 0x01, ...rand(31)]))), (e: unknown) => e instanceof CoreError && e.code === "BAD_LENGTH");
  assert.throws(() => core.addressDecode(bs58check.encode(new Uint8Array([1, 0x01, ...rand(32)]))), CoreError, "version byte must be 0");
});
