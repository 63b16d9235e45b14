// Edge cases of the arithmetic under Ed25519: canonical encoding of field elements near 0 and p
// (reached through negative and oversized limbs), and reduction modulo L at its extremes.
// Expected values are the canonical encodings of the true results, computed with BigInt.
import { FE_SIZE, feFromBytes, feToBytes, feAdd, feSub, feNeg, feSetSmall, feMul, feInvert } from "../crypto/field25519";
import { scReduce, scMulAdd, scIsCanonical } from "../crypto/scalar25519";

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

const a = new StaticArray<u8>(<i32>FE_SIZE);
const b = new StaticArray<u8>(<i32>FE_SIZE);
const c = new StaticArray<u8>(<i32>FE_SIZE);
const bytes = new StaticArray<u8>(64);

function encoded(fe: StaticArray<u8>): string {
  feToBytes(ptr(bytes), ptr(fe));
  return toHex(ptr(bytes), 32);
}

function setHex(fe: StaticArray<u8>, hex: string): void {
  feFromBytes(ptr(fe), ptr(fromHex(hex)));
}

const ZERO = "0000000000000000000000000000000000000000000000000000000000000000";
const P = "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";
const P_MINUS_1 = "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";
const P_MINUS_2 = "ebffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";
const TWO_255_MINUS_1 = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";
const TWO_255_MINUS_37 = "dbffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";

describe("GF(2^255 - 19) canonical encoding", () => {
  it("reduces p to 0 and 2^255 - 1 to 18", () => {
    setHex(a, P);
    expect<string>(encoded(a)).toBe(ZERO);
    setHex(a, TWO_255_MINUS_1);
    expect<string>(encoded(a)).toBe("1200000000000000000000000000000000000000000000000000000000000000");
  });
  it("ignores bit 255 when reading", () => {
    setHex(a, "0500000000000000000000000000000000000000000000000000000000000080");
    expect<string>(encoded(a)).toBe("0500000000000000000000000000000000000000000000000000000000000000");
  });
  it("wraps negative values: 0 - 1 = p - 1, 0 - p = 0, -(2^255 - 1) = 2^255 - 37", () => {
    feSetSmall(ptr(a), 0);
    feSetSmall(ptr(b), 1);
    feSub(ptr(c), ptr(a), ptr(b));
    expect<string>(encoded(c)).toBe(P_MINUS_1);
    setHex(b, P);
    feSub(ptr(c), ptr(a), ptr(b));
    expect<string>(encoded(c)).toBe(ZERO);
    setHex(b, TWO_255_MINUS_1);
    feNeg(ptr(c), ptr(b));
    expect<string>(encoded(c)).toBe(TWO_255_MINUS_37);
  });
  it("reduces uncarried sums: (p - 1) + (p - 1) = p - 2, (2^255 - 1) * 2 = 36", () => {
    setHex(a, P_MINUS_1);
    feAdd(ptr(c), ptr(a), ptr(a));
    expect<string>(encoded(c)).toBe(P_MINUS_2);
    setHex(a, TWO_255_MINUS_1);
    feAdd(ptr(c), ptr(a), ptr(a));
    expect<string>(encoded(c)).toBe("2400000000000000000000000000000000000000000000000000000000000000");
  });
  it("multiplies at the limb bounds: (p - 1)^2 = 1, and (p - 1) * (1 / (p - 1)) = 1", () => {
    setHex(a, P_MINUS_1);
    feAdd(ptr(b), ptr(a), ptr(a)); // 2(p - 1), an uncarried sum near the bound
    feMul(ptr(c), ptr(a), ptr(a));
    expect<string>(encoded(c)).toBe("0100000000000000000000000000000000000000000000000000000000000000");
    feMul(ptr(c), ptr(b), ptr(b)); // 4 (p - 1)^2 = 4
    expect<string>(encoded(c)).toBe("0400000000000000000000000000000000000000000000000000000000000000");
    feInvert(ptr(b), ptr(a));
    feMul(ptr(c), ptr(a), ptr(b));
    expect<string>(encoded(c)).toBe("0100000000000000000000000000000000000000000000000000000000000000");
  });
});

const L = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
const L_MINUS_1 = "ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
const ALL_ONES = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

function reduced(wideHex: string): string {
  const wide = fromHex(wideHex);
  scReduce(ptr(bytes), ptr(wide));
  return toHex(ptr(bytes), 32);
}

describe("scalars modulo L", () => {
  it("reduces 64-byte values at the extremes", () => {
    expect<string>(reduced(ALL_ONES + ALL_ONES)).toBe("000f9c44e31106a447938568a71b0ed065bef517d273ecce3d9a307c1b419903");
    expect<string>(reduced(L + ZERO)).toBe(ZERO);
    expect<string>(reduced(L_MINUS_1 + ZERO)).toBe(L_MINUS_1);
    // 2^256 * L + 5
    expect<string>(reduced("05" + ZERO.substr(2) + L)).toBe("05" + ZERO.substr(2));
  });
  it("computes a * b + c at the extremes", () => {
    const lm1 = fromHex(L_MINUS_1);
    scMulAdd(ptr(bytes), ptr(lm1), ptr(lm1), ptr(lm1)); // (L - 1)^2 + L - 1 = 0 (mod L)
    expect<string>(toHex(ptr(bytes), 32)).toBe(ZERO);
    const ones = fromHex(ALL_ONES);
    scMulAdd(ptr(bytes), ptr(ones), ptr(ones), ptr(ones));
    expect<string>(toHex(ptr(bytes), 32)).toBe("d14df91389432c25ad60ff9791b9fd1d67bef517d273ecce3d9a307c1b419903");
  });
  it("tells canonical scalars (below L) from the rest", () => {
    expect<bool>(scIsCanonical(ptr(fromHex(L_MINUS_1)))).toBe(true);
    expect<bool>(scIsCanonical(ptr(fromHex(ZERO)))).toBe(true);
    expect<bool>(scIsCanonical(ptr(fromHex(L)))).toBe(false);
    expect<bool>(scIsCanonical(ptr(fromHex(ALL_ONES)))).toBe(false);
  });
});
