// Arithmetic modulo the Ed25519 group order L = 2^252 + 27742317777372353535851937790883648493,
// on little-endian 32-byte scalars in linear memory. Reduction is Barrett's (HAC 14.42) with
// 32-bit limbs and 64-bit products; its loops and final corrections do not branch on the values,
// since signing feeds it the secret scalar.

// L and mu = floor(2^512 / L) as little-endian 32-bit limbs.
const L_LIMBS: usize = memory.data<u32>([0x5cf5d3ed, 0x5812631a, 0xa2f79cd6, 0x14def9de, 0, 0, 0, 0x10000000]);
const MU_LIMBS: usize = memory.data<u32>([
  0x0a2c131b, 0xed9ce5a3, 0x086329a7, 0x2106215d, 0xffffffeb, 0xffffffff, 0xffffffff, 0xffffffff, 0x0000000f,
]);

const WIDE: usize = memory.data(64, 8); //   the 512-bit value being reduced (16 limbs)
const Q2: usize = memory.data(72, 8); //     q1 * mu (18 limbs)
const R2: usize = memory.data(36, 8); //     (q3 * L) mod 2^288 (9 limbs)
const R: usize = memory.data(36, 8); //      the remainder (9 limbs)

/** out[0 .. outLimbs) = (a * b) mod 2^(32 outLimbs), schoolbook on 32-bit limbs. */
function mulLimbs(out: usize, a: usize, aLimbs: usize, b: usize, bLimbs: usize, outLimbs: usize): void {
  memory.fill(out, 0, outLimbs << 2);
  for (let i: usize = 0; i < aLimbs; i++) {
    const ai = <u64>load<u32>(a + (i << 2));
    let carry: u64 = 0;
    for (let j: usize = 0; j < bLimbs && i + j < outLimbs; j++) {
      const at = out + ((i + j) << 2);
      const t = <u64>load<u32>(at) + ai * <u64>load<u32>(b + (j << 2)) + carry;
      store<u32>(at, <u32>t);
      carry = t >>> 32;
    }
    if (i + bLimbs < outLimbs) store<u32>(out + ((i + bLimbs) << 2), <u32>carry);
  }
}

/** R = R - L when R >= L, without branching on R. */
function subtractLIfGreaterOrEqual(): void {
  // Compute R - L into R2 with the borrow; keep it when there was no borrow.
  let borrow: i64 = 0;
  for (let i: usize = 0; i < 9; i++) {
    const li = i < 8 ? <i64>load<u32>(L_LIMBS + (i << 2)) : 0;
    const t = <i64>load<u32>(R + (i << 2)) - li + borrow;
    store<u32>(R2 + (i << 2), <u32>t);
    borrow = t >> 32;
  }
  const keepR = <u32>borrow; // all ones when R < L (the subtraction borrowed), else 0
  for (let i: usize = 0; i < 36; i += 4) {
    const r = load<u32>(R + i);
    store<u32>(R + i, r ^ ((r ^ load<u32>(R2 + i)) & ~keepR));
  }
}

/** Reduces the 512-bit WIDE mod L into 32 bytes at `out`. */
function barrettReduce(out: usize): void {
  // q1 = floor(x / 2^224), q3 = floor(q1 * mu / 2^288): an estimate of floor(x / L) at most 2 low.
  mulLimbs(Q2, WIDE + 28, 9, MU_LIMBS, 9, 18);
  mulLimbs(R2, Q2 + 36, 9, L_LIMBS, 8, 9);
  // r = (x - q3 * L) mod 2^288, which is below 3L.
  let borrow: i64 = 0;
  for (let i: usize = 0; i < 36; i += 4) {
    const t = <i64>load<u32>(WIDE + i) - <i64>load<u32>(R2 + i) + borrow;
    store<u32>(R + i, <u32>t);
    borrow = t >> 32;
  }
  subtractLIfGreaterOrEqual();
  subtractLIfGreaterOrEqual();
  memory.copy(out, R, 32);
}

/** out = (64-byte little-endian value at `wide`) mod L. `out` may alias `wide`. */
export function scReduce(out: usize, wide: usize): void {
  memory.copy(WIDE, wide, 64);
  barrettReduce(out);
}

/** out = (a * b + c) mod L for 32-byte scalars (each below 2^256). */
export function scMulAdd(out: usize, a: usize, b: usize, c: usize): void {
  mulLimbs(WIDE, a, 8, b, 8, 16);
  let carry: u64 = 0;
  for (let i: usize = 0; i < 64; i += 4) {
    const t = <u64>load<u32>(WIDE + i) + (i < 32 ? <u64>load<u32>(c + i) : 0) + carry;
    store<u32>(WIDE + i, <u32>t);
    carry = t >>> 32;
  }
  barrettReduce(out);
}

/** True when the 32-byte little-endian scalar is below L (canonical, as RFC 8032 requires of S). */
export function scIsCanonical(s: usize): bool {
  for (let i = 7; i >= 0; i--) {
    const a = load<u32>(s + (<usize>i << 2));
    const b = load<u32>(L_LIMBS + (<usize>i << 2));
    if (a != b) return a < b;
  }
  return false;
}
