// Ed25519 against RFC 8032 section 7.1 (TEST 1, 2, 3 and TEST SHA(abc)): public keys and
// signatures typed from the RFC, plus the verification codes for malformed inputs.
import { ed25519_public_key, ed25519_sign, ed25519_verify } from "../crypto/exports";
import { ERR_BAD_LENGTH, ERR_BAD_POINT, ERR_NON_CANONICAL } from "../errors";

function fromHex(s: string): StaticArray<u8> {
  const out = new StaticArray<u8>(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = <u8>I32.parseInt(s.substr(2 * i, 2), 16);
  return out;
}

function ptr(a: StaticArray<u8>): usize {
  return changetype<usize>(a);
}

function toHex(p: usize, len: i32): string {
  const digits = "0123456789abcdef";
  let s = "";
  for (let i = 0; i < len; i++) {
    const b = load<u8>(p + <usize>i);
    s += digits.charAt(b >> 4) + digits.charAt(b & 15);
  }
  return s;
}

class Vector {
  constructor(public secret: string, public pub: string, public msg: string, public sig: string) {}
}

const TEST1 = new Vector(
  "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
  "",
  "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
);
const TEST2 = new Vector(
  "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
  "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
  "72",
  "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
);
const TEST3 = new Vector(
  "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
  "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
  "af82",
  "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
);
const TEST_SHA_ABC = new Vector(
  "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
  "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
  "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704",
);

const out = new StaticArray<u8>(64);

function publicKeyOf(v: Vector): string {
  const seed = fromHex(v.secret);
  expect<i32>(ed25519_public_key(ptr(seed), ptr(out))).toBe(32);
  return toHex(ptr(out), 32);
}

function signatureOf(v: Vector): string {
  const seed = fromHex(v.secret);
  const msg = fromHex(v.msg);
  expect<i32>(ed25519_sign(ptr(seed), ptr(msg), msg.length, ptr(out))).toBe(64);
  return toHex(ptr(out), 64);
}

function verifyHex(pub: string, msgHex: string, sig: string): i32 {
  const p = fromHex(pub);
  const m = fromHex(msgHex);
  const s = fromHex(sig);
  return ed25519_verify(ptr(p), ptr(m), m.length, ptr(s));
}

function checkVector(v: Vector): void {
  expect<string>(publicKeyOf(v)).toBe(v.pub);
  expect<string>(signatureOf(v)).toBe(v.sig);
  expect<i32>(verifyHex(v.pub, v.msg, v.sig)).toBe(1);
}

// Encodings used by the malformed-input cases.
const L_HEX = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"; // the group order
const Y_EQUALS_P = "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"; // y = p (means 0)
const Y_EQUALS_2 = "0200000000000000000000000000000000000000000000000000000000000000"; // no x has y = 2
const IDENTITY = "0100000000000000000000000000000000000000000000000000000000000000"; // (0, 1), order 1
const NEGATIVE_ZERO_X = "0100000000000000000000000000000000000000000000000000000000000080"; // x = 0, sign 1

describe("Ed25519 (RFC 8032 section 7.1)", () => {
  it("TEST 1: empty message", () => {
    checkVector(TEST1);
  });
  it("TEST 2: one byte", () => {
    checkVector(TEST2);
  });
  it("TEST 3: two bytes", () => {
    checkVector(TEST3);
  });
  it("TEST SHA(abc): 64 bytes", () => {
    checkVector(TEST_SHA_ABC);
  });
  it("keeps signing correctly while the two-key cache evicts", () => {
    const order: Vector[] = [TEST1, TEST2, TEST1, TEST3, TEST2, TEST_SHA_ABC, TEST1, TEST3];
    for (let i = 0; i < order.length; i++) {
      expect<string>(signatureOf(order[i])).toBe(order[i].sig);
      expect<string>(publicKeyOf(order[i])).toBe(order[i].pub);
    }
  });
});

describe("Ed25519 verification of bad inputs", () => {
  it("rejects a changed message, signature or key", () => {
    expect<i32>(verifyHex(TEST2.pub, "73", TEST2.sig)).toBe(0);
    expect<i32>(verifyHex(TEST2.pub, "", TEST2.sig)).toBe(0);
    expect<i32>(verifyHex(TEST3.pub, TEST2.msg, TEST2.sig)).toBe(0);
    expect<i32>(verifyHex(TEST2.pub, TEST2.msg, TEST3.sig)).toBe(0);
  });
  it("returns ERR_NON_CANONICAL for S >= L", () => {
    expect<i32>(verifyHex(TEST1.pub, TEST1.msg, TEST1.sig.substr(0, 64) + L_HEX)).toBe(ERR_NON_CANONICAL);
    const allOnes = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
    expect<i32>(verifyHex(TEST1.pub, TEST1.msg, TEST1.sig.substr(0, 64) + allOnes)).toBe(ERR_NON_CANONICAL);
  });
  it("returns ERR_NON_CANONICAL for y >= p and for x = 0 with the sign bit", () => {
    expect<i32>(verifyHex(Y_EQUALS_P, TEST1.msg, TEST1.sig)).toBe(ERR_NON_CANONICAL);
    expect<i32>(verifyHex(NEGATIVE_ZERO_X, TEST1.msg, TEST1.sig)).toBe(ERR_NON_CANONICAL);
    expect<i32>(verifyHex(TEST1.pub, TEST1.msg, Y_EQUALS_P + TEST1.sig.substr(64))).toBe(ERR_NON_CANONICAL);
  });
  it("returns ERR_BAD_POINT when A or R is not on the curve", () => {
    expect<i32>(verifyHex(Y_EQUALS_2, TEST1.msg, TEST1.sig)).toBe(ERR_BAD_POINT);
    expect<i32>(verifyHex(TEST1.pub, TEST1.msg, Y_EQUALS_2 + TEST1.sig.substr(64))).toBe(ERR_BAD_POINT);
  });
  it("returns 0 for a small-order public key", () => {
    // With A = identity and R = identity, S = 0 satisfies the equation for every message; the
    // small-order rule refuses it.
    const zeroS = "0000000000000000000000000000000000000000000000000000000000000000";
    expect<i32>(verifyHex(IDENTITY, "abcd", IDENTITY + zeroS)).toBe(0);
  });
  it("returns ERR_BAD_LENGTH for spans outside linear memory", () => {
    const end = (<usize>memory.size()) << 16;
    const key = fromHex(TEST1.pub);
    const sig = fromHex(TEST1.sig);
    expect<i32>(ed25519_verify(end - 31, ptr(key), 0, ptr(sig))).toBe(ERR_BAD_LENGTH);
    expect<i32>(ed25519_verify(ptr(key), ptr(key), 0xffffffff, ptr(sig))).toBe(ERR_BAD_LENGTH);
    expect<i32>(ed25519_verify(ptr(key), ptr(key), 0, end - 63)).toBe(ERR_BAD_LENGTH);
    expect<i32>(ed25519_sign(ptr(key), ptr(key), 0, end - 63)).toBe(ERR_BAD_LENGTH);
    expect<i32>(ed25519_public_key(end - 31, ptr(sig))).toBe(ERR_BAD_LENGTH);
  });
});
