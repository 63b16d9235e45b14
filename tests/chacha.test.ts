// ChaCha8/12/20 streams from the core against @noble/ciphers and node:crypto.
//
// Mapping rand_chacha 0.3.1 onto the IETF API: rand_chacha's state is
//   constants | key | word12 = counter low | word13 = counter high | words14-15 = stream id (0).
// RFC 8439 (noble `chacha8/12/20`) lays out constants | key | word12 = 32-bit counter | words13-15 =
// 12-byte nonce. With the nonce all zero and the counter starting at 0, word13 is the counter's
// high half (0 for the first 2^32 blocks) and words 14-15 are stream 0, so the keystreams are
// identical for every length the export can produce (at most 4096 words). rand_chacha's
// `next_u32` returns the keystream's little-endian words in order, so the keystream bytes
// (encryption of zeros) equal the words the export writes little-endian.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCipheriv, randomBytes, randomInt } from "node:crypto";
import { chacha8, chacha12, chacha20, chacha20orig } from "@noble/ciphers/chacha.js";
import { loadRawCore } from "./support/raw-core.js";

const core = loadRawCore();
const chachaStream = core.exports.chacha_stream as (rounds: number, seed: number, out: number, words: number) => number;
// The seed is copied before any output is written, so the output may overwrite it: both sit at
// the start of the scratch region and the longest stream (16 KiB) fills the region exactly.
const SEED_AT = 0;
const OUT_AT = 0;

function ours(rounds: number, key: Uint8Array, words: number): Uint8Array {
  const seedPtr = core.put(key, SEED_AT);
  const written = chachaStream(rounds, seedPtr, core.scratch + OUT_AT, words);
  assert.equal(written, words * 4);
  return core.get(core.scratch + OUT_AT, written);
}

const NONCE12 = new Uint8Array(12);

test("ChaCha12 and ChaCha20 streams equal @noble/ciphers on 1,000 random keys and lengths each", () => {
  for (let i = 0; i < 1000; i++) {
    const key = new Uint8Array(randomBytes(32));
    const words = randomInt(0, i < 50 ? 4097 : 300);
    const zeros = new Uint8Array(words * 4);
    assert.deepEqual(ours(12, key, words), chacha12(key, NONCE12, zeros), `chacha12 key ${Buffer.from(key).toString("hex")} words ${words}`);
    assert.deepEqual(ours(20, key, words), chacha20(key, NONCE12, zeros), `chacha20 key ${Buffer.from(key).toString("hex")} words ${words}`);
  }
});

test("ChaCha8 equals @noble/ciphers chacha8; ChaCha20 equals DJB's original layout and node:crypto", () => {
  for (let i = 0; i < 200; i++) {
    const key = new Uint8Array(randomBytes(32));
    const words = randomInt(0, 200);
    const zeros = new Uint8Array(words * 4);
    assert.deepEqual(ours(8, key, words), chacha8(key, NONCE12, zeros));
    // 64-bit counter + 64-bit nonce (stream id 0): the layout rand_chacha uses, verbatim.
    assert.deepEqual(ours(20, key, words), chacha20orig(key, new Uint8Array(8), zeros));
    // OpenSSL's chacha20: IV = 4-byte counter (LE) || 12-byte nonce.
    const openssl = createCipheriv("chacha20", key, new Uint8Array(16)).update(zeros);
    assert.deepEqual(ours(20, key, words), new Uint8Array(openssl));
  }
});

test("chacha_stream refuses bad rounds, too many words and out-of-memory regions", () => {
  const seed = core.put(new Uint8Array(32), SEED_AT);
  for (const rounds of [-1, 0, 7, 10, 11, 13, 19, 21, 64]) {
    assert.ok(chachaStream(rounds, seed, core.scratch + OUT_AT, 4) < 0, `rounds ${rounds}`);
  }
  assert.ok(chachaStream(12, seed, core.scratch + OUT_AT, 4097) < 0);
  assert.ok(chachaStream(12, seed, core.scratch + OUT_AT, 0xffffffff) < 0);
  assert.ok(chachaStream(12, 65536 - 16, core.scratch + OUT_AT, 1) < 0);
  assert.ok(chachaStream(12, seed, 65536 - 4, 2) < 0);
  assert.equal(chachaStream(12, seed, 65536 - 8, 2), 8);
});
