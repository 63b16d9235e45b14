// The core's SHA-256, SHA-512 and Ed25519 exports against independent implementations
// (node:crypto, @noble/hashes, @noble/curves) on random inputs, plus Ed25519 edge cases.
//
// Verification strictness: the core matches @noble/curves' ed25519.verify with {zip215: false}
// (strict encodings, S < L, small-order A refused, cofactored equation). node:crypto (OpenSSL)
// agrees on every honest or random input but is laxer in three crafted cases, asserted below:
// it accepts non-canonical A (y >= p), small-order A, and (being cofactorless) rejects an R
// carrying a small-order component that the cofactored equation accepts.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { sha256 as nobleSha256, sha512 as nobleSha512 } from "@noble/hashes/sha2.js";
import { ed25519 } from "@noble/curves/ed25519.js";
import { loadRawCore } from "./support/raw-core.js";

const core = loadRawCore();
const call = (name: string, ...args: number[]): number => Number(core.exports[name](...args));

const ERR_BAD_LENGTH = -1;
const ERR_BAD_POINT = -5;
const ERR_NON_CANONICAL = -6;

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const random = (n: number): Uint8Array => new Uint8Array(crypto.randomBytes(n));
const randomInt = (n: number): number => crypto.randomInt(n);

// Scratch layout for the Ed25519 calls.
const SEED = 0;
const PUB = 32;
const SIG = 64;
const OUT = 128;
const MSG = 256;

function coreHash(alg: "sha256" | "sha512", data: Uint8Array): Uint8Array {
  const size = alg === "sha256" ? 32 : 64;
  const input = core.put(data, MSG);
  assert.equal(call(alg, input, data.length, core.scratch + OUT), size);
  return core.get(core.scratch + OUT, size);
}

/** Streams `data` through the core in random pieces; pieces larger than scratch are split. */
function coreHashStreamed(alg: "sha256" | "sha512", data: Uint8Array): Uint8Array {
  const size = alg === "sha256" ? 32 : 64;
  call(`${alg}_init`);
  let at = 0;
  while (at < data.length) {
    const n = Math.min(data.length - at, randomInt(300), core.scratchSize - MSG);
    assert.equal(call(`${alg}_update`, core.put(data.subarray(at, at + n), MSG), n), 0);
    at += n;
  }
  assert.equal(call(`${alg}_final`, core.scratch + OUT), size);
  return core.get(core.scratch + OUT, size);
}

for (const alg of ["sha256", "sha512"] as const) {
  const noble = alg === "sha256" ? nobleSha256 : nobleSha512;

  test(`${alg} equals node:crypto and @noble/hashes on 1,000 random inputs (0..2000 bytes)`, () => {
    for (let i = 0; i < 1000; i++) {
      const data = random(i < 300 ? i : randomInt(2001));
      const expected = crypto.createHash(alg).update(data).digest("hex");
      assert.equal(hex(noble(data)), expected);
      assert.equal(hex(coreHash(alg, data)), expected, `length ${data.length}`);
    }
  });

  test(`${alg} streamed in random pieces equals node:crypto on 1,000 random inputs`, () => {
    for (let i = 0; i < 1000; i++) {
      const data = random(randomInt(2001));
      assert.equal(hex(coreHashStreamed(alg, data)), crypto.createHash(alg).update(data).digest("hex"));
    }
  });

  test(`${alg} streams inputs larger than the scratch region (up to 200 KiB)`, () => {
    for (const length of [16384, 65536 + 17, 200 * 1024]) {
      const data = random(length);
      assert.equal(hex(coreHashStreamed(alg, data)), crypto.createHash(alg).update(data).digest("hex"));
    }
  });

  test(`${alg} stream is not disturbed by one-shot hashing or signing in between`, () => {
    const first = random(100);
    const second = random(77);
    call(`${alg}_init`);
    call(`${alg}_update`, core.put(first, MSG), first.length);
    coreHash("sha256", random(500));
    coreHash("sha512", random(500));
    core.put(random(32), SEED);
    call("ed25519_sign", core.scratch + SEED, core.scratch + MSG, 40, core.scratch + SIG);
    call(`${alg}_update`, core.put(second, MSG), second.length);
    const size = alg === "sha256" ? 32 : 64;
    assert.equal(call(`${alg}_final`, core.scratch + OUT), size);
    const expected = crypto.createHash(alg).update(first).update(second).digest("hex");
    assert.equal(hex(core.get(core.scratch + OUT, size)), expected);
  });

  test(`${alg} returns ERR_BAD_LENGTH for spans outside memory`, () => {
    const end = core.memory.buffer.byteLength;
    assert.equal(call(alg, end - 10, 11, core.scratch), ERR_BAD_LENGTH);
    assert.equal(call(alg, core.scratch, 0xffffffff, core.scratch), ERR_BAD_LENGTH);
    assert.equal(call(alg, core.scratch, 1, end - 1), ERR_BAD_LENGTH);
    assert.equal(call(`${alg}_update`, end - 1, 2), ERR_BAD_LENGTH);
    assert.equal(call(`${alg}_final`, end - 1), ERR_BAD_LENGTH);
  });
}

// ---- Ed25519 ------------------------------------------------------------------------------

function nodePrivateKey(seed: Uint8Array): crypto.KeyObject {
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  return crypto.createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
}

function nodePublicKeyBytes(seed: Uint8Array): Uint8Array {
  const spki = crypto.createPublicKey(nodePrivateKey(seed)).export({ format: "der", type: "spki" });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

function nodeVerify(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  try {
    const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), pub]);
    return crypto.verify(null, msg, crypto.createPublicKey({ key: spki, format: "der", type: "spki" }), sig);
  } catch {
    return false; // OpenSSL refuses to import some encodings
  }
}

function nobleVerify(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  return ed25519.verify(sig, msg, pub, { zip215: false });
}

function corePublicKey(seed: Uint8Array): Uint8Array {
  core.put(seed, SEED);
  assert.equal(call("ed25519_public_key", core.scratch + SEED, core.scratch + OUT), 32);
  return core.get(core.scratch + OUT, 32);
}

function coreSign(seed: Uint8Array, msg: Uint8Array): Uint8Array {
  core.put(seed, SEED);
  core.put(msg, MSG);
  assert.equal(call("ed25519_sign", core.scratch + SEED, core.scratch + MSG, msg.length, core.scratch + SIG), 64);
  return core.get(core.scratch + SIG, 64);
}

function coreVerify(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): number {
  core.put(pub, PUB);
  core.put(msg, MSG);
  core.put(sig, SIG);
  return call("ed25519_verify", core.scratch + PUB, core.scratch + MSG, msg.length, core.scratch + SIG);
}

/** The code the core must return, derived from @noble/curves alone (strict decoding rules). */
function expectedCode(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): number {
  const s = BigInt("0x" + hex(sig.slice(32).reverse()));
  if (s >= ed25519.Point.Fn.ORDER) return ERR_NON_CANONICAL;
  for (const encoding of [pub, sig.subarray(0, 32)]) {
    try {
      ed25519.Point.fromBytes(encoding, false);
    } catch (e) {
      return /invalid y coordinate/.test(String(e)) ? ERR_BAD_POINT : ERR_NON_CANONICAL;
    }
  }
  return nobleVerify(pub, msg, sig) ? 1 : 0;
}

test("ed25519 public keys and signatures equal @noble/curves and node:crypto on 1,000 random seeds", () => {
  for (let i = 0; i < 1000; i++) {
    const seed = random(32);
    const msg = random(randomInt(300));
    const pub = corePublicKey(seed);
    assert.equal(hex(pub), hex(ed25519.getPublicKey(seed)));
    assert.equal(hex(pub), hex(nodePublicKeyBytes(seed)));
    const sig = coreSign(seed, msg);
    assert.equal(hex(sig), hex(ed25519.sign(msg, seed)));
    assert.equal(hex(sig), hex(crypto.sign(null, msg, nodePrivateKey(seed))));
    assert.equal(coreVerify(pub, msg, sig), 1);
  }
});

test("ed25519 signing alternates correctly between cached and new keys", () => {
  const seeds = [random(32), random(32), random(32)];
  for (let i = 0; i < 200; i++) {
    const seed = seeds[randomInt(3)];
    const msg = random(randomInt(200));
    assert.equal(hex(coreSign(seed, msg)), hex(ed25519.sign(msg, seed)));
  }
});

test("ed25519 verify accepts signatures made by @noble/curves and node:crypto", () => {
  for (let i = 0; i < 300; i++) {
    const seed = random(32);
    const msg = random(randomInt(1000));
    const pub = ed25519.getPublicKey(seed);
    assert.equal(coreVerify(pub, msg, ed25519.sign(msg, seed)), 1);
    assert.equal(coreVerify(pub, msg, new Uint8Array(crypto.sign(null, msg, nodePrivateKey(seed)))), 1);
  }
});

test("ed25519 verify rejects every single-bit flip of message, signature and key (sample)", () => {
  let checkedWithNoble = 0;
  for (let sample = 0; sample < 6; sample++) {
    const seed = random(32);
    const msg = random(24);
    const pub = ed25519.getPublicKey(seed);
    const sig = ed25519.sign(msg, seed);
    const flips: Array<[Uint8Array, Uint8Array, Uint8Array]> = [];
    for (let bit = 0; bit < msg.length * 8; bit++) {
      const m = msg.slice();
      m[bit >> 3] ^= 1 << (bit & 7);
      flips.push([pub, m, sig]);
    }
    for (let bit = 0; bit < 512; bit++) {
      const s = sig.slice();
      s[bit >> 3] ^= 1 << (bit & 7);
      flips.push([pub, msg, s]);
    }
    for (let bit = 0; bit < 256; bit++) {
      const p = pub.slice();
      p[bit >> 3] ^= 1 << (bit & 7);
      flips.push([p, msg, sig]);
    }
    for (const [p, m, s] of flips) {
      const code = coreVerify(p, m, s);
      assert.ok(code === 0 || code === ERR_BAD_POINT || code === ERR_NON_CANONICAL, `code ${code}`);
      if (sample === 0) {
        // One sample in full against @noble's verdict and decoding rules (noble is slow).
        assert.equal(code, expectedCode(p, m, s));
        checkedWithNoble++;
      }
    }
  }
  assert.equal(checkedWithNoble, 24 * 8 + 512 + 256);
});

test("ed25519 verify of random garbage never throws and agrees with @noble/curves and node:crypto", () => {
  const pub0 = ed25519.getPublicKey(random(32));
  for (let i = 0; i < 1000; i++) {
    const pub = i % 2 === 0 ? random(32) : pub0;
    const msg = random(randomInt(64));
    const sig = random(64);
    if (i % 3 === 0) sig[63] &= 0x0f; // S below 2^252 < L: gets past the S check
    const code = coreVerify(pub, msg, sig);
    assert.equal(code, expectedCode(pub, msg, sig));
    assert.equal(nodeVerify(pub, msg, sig), false);
  }
});

// Encodings for the edge cases.
const L = ed25519.Point.Fn.ORDER;
const P = 2n ** 255n - 19n;
const le32 = (n: bigint): Uint8Array => Uint8Array.from(Buffer.from(n.toString(16).padStart(64, "0"), "hex").reverse());
const withSign = (b: Uint8Array): Uint8Array => {
  const c = b.slice();
  c[31] |= 0x80;
  return c;
};
// The eight points of small order (the torsion subgroup), as canonical encodings.
const SMALL_ORDER = [
  "0100000000000000000000000000000000000000000000000000000000000000",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0000000000000000000000000000000000000000000000000000000000000080",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
].map((h) => new Uint8Array(Buffer.from(h, "hex")));

test("ed25519 edge case: S >= L is ERR_NON_CANONICAL; noble and node reject it too", () => {
  const seed = random(32);
  const msg = random(50);
  const pub = ed25519.getPublicKey(seed);
  const sig = ed25519.sign(msg, seed);
  const s = BigInt("0x" + hex(sig.slice(32).reverse()));
  for (const bad of [s + L, L, L + 1n, 2n ** 256n - 1n, 2n ** 253n]) {
    const forged = new Uint8Array([...sig.subarray(0, 32), ...le32(bad)]);
    assert.equal(coreVerify(pub, msg, forged), ERR_NON_CANONICAL);
    assert.equal(nobleVerify(pub, msg, forged), false);
    assert.equal(nodeVerify(pub, msg, forged), false);
  }
});

test("ed25519 edge case: encodings with y >= p are ERR_NON_CANONICAL, as noble (node accepts some A)", () => {
  const seed = random(32);
  const msg = random(20);
  const pub = ed25519.getPublicKey(seed);
  const sig = ed25519.sign(msg, seed);
  for (let y = P; y < 2n ** 255n; y++) {
    for (const enc of [le32(y), withSign(le32(y))]) {
      assert.equal(coreVerify(enc, msg, sig), ERR_NON_CANONICAL);
      assert.equal(coreVerify(pub, msg, new Uint8Array([...enc, ...sig.subarray(32)])), ERR_NON_CANONICAL);
      assert.equal(nobleVerify(enc, msg, sig), false);
      assert.throws(() => ed25519.Point.fromBytes(enc, false));
    }
  }
  // y = p + 1 encodes the neutral element non-canonically; with R = (0, 1) and S = 0 the
  // (cofactorless) equation holds and OpenSSL accepts what the strict rules refuse.
  const lax = new Uint8Array([...SMALL_ORDER[0], ...new Uint8Array(32)]);
  assert.equal(coreVerify(le32(P + 1n), msg, lax), ERR_NON_CANONICAL);
  assert.equal(nobleVerify(le32(P + 1n), msg, lax), false);
  assert.equal(nodeVerify(le32(P + 1n), msg, lax), true, "node:crypto accepts the non-canonical identity key");
});

test("ed25519 edge case: x = 0 with the sign bit set is ERR_NON_CANONICAL", () => {
  const msg = random(10);
  const sig = ed25519.sign(msg, random(32));
  for (const enc of [withSign(SMALL_ORDER[0]), withSign(SMALL_ORDER[1])]) {
    assert.equal(coreVerify(enc, msg, sig), ERR_NON_CANONICAL);
    assert.throws(() => ed25519.Point.fromBytes(enc, false), /x=0 and x_0=1/);
  }
});

test("ed25519 edge case: small-order public keys verify nothing (noble agrees; node accepts forgeries)", () => {
  const msg = random(33);
  for (const a of SMALL_ORDER) {
    assert.ok(ed25519.Point.fromBytes(a, false).isSmallOrder());
    for (const r of SMALL_ORDER) {
      // [S]B = R + [k]A holds up to torsion with S = 0: a forgery valid for any message.
      const sig = new Uint8Array([...r, ...new Uint8Array(32)]);
      assert.equal(coreVerify(a, msg, sig), 0);
      assert.equal(nobleVerify(a, msg, sig), false);
    }
  }
  const identity = SMALL_ORDER[0];
  assert.equal(nodeVerify(identity, msg, new Uint8Array([...identity, ...new Uint8Array(32)])), true);
});

test("ed25519 edge case: R with a small-order component passes the cofactored check (noble: yes, node: no)", () => {
  const { scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(random(32));
  const Fn = ed25519.Point.Fn;
  for (const t of SMALL_ORDER.slice(1)) {
    const msg = random(40);
    const r = Fn.create(BigInt("0x" + hex(random(40))));
    const rPoint = ed25519.Point.BASE.multiply(r).add(ed25519.Point.fromBytes(t, false));
    const rBytes = rPoint.toBytes();
    const k = Fn.create(BigInt("0x" + hex(nobleSha512(new Uint8Array([...rBytes, ...pointBytes, ...msg])).reverse())));
    const sig = new Uint8Array([...rBytes, ...le32(Fn.create(r + k * scalar))]);
    assert.equal(coreVerify(pointBytes, msg, sig), 1);
    assert.equal(nobleVerify(pointBytes, msg, sig), true);
    assert.equal(nodeVerify(pointBytes, msg, sig), false);
  }
});

test("ed25519 spans outside memory and oversized messages are ERR_BAD_LENGTH, never a trap", () => {
  const end = core.memory.buffer.byteLength;
  const s = core.scratch;
  // A 63-byte signature or 31-byte key can only be passed as a span that runs off the end.
  assert.equal(call("ed25519_verify", s + PUB, s + MSG, 0, end - 63), ERR_BAD_LENGTH);
  assert.equal(call("ed25519_verify", end - 31, s + MSG, 0, s + SIG), ERR_BAD_LENGTH);
  assert.equal(call("ed25519_verify", s + PUB, s + MSG, 0xffffffff, s + SIG), ERR_BAD_LENGTH);
  assert.equal(call("ed25519_verify", s + PUB, end - 4, 5, s + SIG), ERR_BAD_LENGTH);
  assert.equal(call("ed25519_sign", s + SEED, s + MSG, 0x10000, s + SIG), ERR_BAD_LENGTH);
  assert.equal(call("ed25519_sign", end - 16, s + MSG, 1, s + SIG), ERR_BAD_LENGTH);
  assert.equal(call("ed25519_sign", s + SEED, s + MSG, 1, end - 32), ERR_BAD_LENGTH);
  assert.equal(call("ed25519_public_key", s + SEED, end - 31), ERR_BAD_LENGTH);
  // The libraries refuse the same lengths outright.
  const seed = random(32);
  const msg = random(5);
  const sig = ed25519.sign(msg, seed);
  assert.throws(() => ed25519.verify(sig.subarray(0, 63), msg, ed25519.getPublicKey(seed)));
  assert.throws(() => ed25519.verify(sig, msg, ed25519.getPublicKey(seed).subarray(0, 31)));
});
