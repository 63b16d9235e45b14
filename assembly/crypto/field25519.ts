// Arithmetic in GF(2^255 - 19) for Ed25519, allocation-free.
//
// An element is 10 signed 32-bit limbs in linear memory (FE_SIZE bytes), radix 2^25.5: limb i
// holds bits from ceil(25.5 i), 26 bits wide for even i and 25 for odd i. Functions take pointers
// and may alias (out == in). Products are exact i64 sums (wasm has no 64x64->128 multiply):
// 2^255 = 19 (mod p) folds the high half back, and a product of two odd limbs carries an extra
// factor 2 because their positions add up to one bit more than the target limb's.
//
// Bounds (why nothing overflows): mul/sq/fromBytes leave limbs below 2^26 ("carried"); add/sub
// do not carry. The largest product column weighs 267 limb products (1 + 5*38 + 4*19), so mul/sq
// are exact while the two inputs' limb bounds multiply to under 2^54.9: two sums of two carried
// elements (2^27 * 2^27) qualify, and so does a sum of three with a sum of two.

export const FE_SIZE: usize = 40;
const MASK26: i64 = (1 << 26) - 1;
const MASK25: i64 = (1 << 25) - 1;

/** h = f * g */
export function feMul(h: usize, f: usize, g: usize): void {
  const f0 = <i64>load<i32>(f, 0), f1 = <i64>load<i32>(f, 4), f2 = <i64>load<i32>(f, 8), f3 = <i64>load<i32>(f, 12), f4 = <i64>load<i32>(f, 16);
  const f5 = <i64>load<i32>(f, 20), f6 = <i64>load<i32>(f, 24), f7 = <i64>load<i32>(f, 28), f8 = <i64>load<i32>(f, 32), f9 = <i64>load<i32>(f, 36);
  const g0 = <i64>load<i32>(g, 0), g1 = <i64>load<i32>(g, 4), g2 = <i64>load<i32>(g, 8), g3 = <i64>load<i32>(g, 12), g4 = <i64>load<i32>(g, 16);
  const g5 = <i64>load<i32>(g, 20), g6 = <i64>load<i32>(g, 24), g7 = <i64>load<i32>(g, 28), g8 = <i64>load<i32>(g, 32), g9 = <i64>load<i32>(g, 36);
  const f1x2 = f1 << 1, f3x2 = f3 << 1, f5x2 = f5 << 1, f7x2 = f7 << 1, f9x2 = f9 << 1;
  const g1x19 = g1 * 19, g2x19 = g2 * 19, g3x19 = g3 * 19, g4x19 = g4 * 19, g5x19 = g5 * 19;
  const g6x19 = g6 * 19, g7x19 = g7 * 19, g8x19 = g8 * 19, g9x19 = g9 * 19;
  let h0 = f0 * g0 + f1x2 * g9x19 + f2 * g8x19 + f3x2 * g7x19 + f4 * g6x19
    + f5x2 * g5x19 + f6 * g4x19 + f7x2 * g3x19 + f8 * g2x19 + f9x2 * g1x19;
  let h1 = f0 * g1 + f1 * g0 + f2 * g9x19 + f3 * g8x19 + f4 * g7x19
    + f5 * g6x19 + f6 * g5x19 + f7 * g4x19 + f8 * g3x19 + f9 * g2x19;
  let h2 = f0 * g2 + f1x2 * g1 + f2 * g0 + f3x2 * g9x19 + f4 * g8x19
    + f5x2 * g7x19 + f6 * g6x19 + f7x2 * g5x19 + f8 * g4x19 + f9x2 * g3x19;
  let h3 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9x19
    + f5 * g8x19 + f6 * g7x19 + f7 * g6x19 + f8 * g5x19 + f9 * g4x19;
  let h4 = f0 * g4 + f1x2 * g3 + f2 * g2 + f3x2 * g1 + f4 * g0
    + f5x2 * g9x19 + f6 * g8x19 + f7x2 * g7x19 + f8 * g6x19 + f9x2 * g5x19;
  let h5 = f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1
    + f5 * g0 + f6 * g9x19 + f7 * g8x19 + f8 * g7x19 + f9 * g6x19;
  let h6 = f0 * g6 + f1x2 * g5 + f2 * g4 + f3x2 * g3 + f4 * g2
    + f5x2 * g1 + f6 * g0 + f7x2 * g9x19 + f8 * g8x19 + f9x2 * g7x19;
  let h7 = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3
    + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9x19 + f9 * g8x19;
  let h8 = f0 * g8 + f1x2 * g7 + f2 * g6 + f3x2 * g5 + f4 * g4
    + f5x2 * g3 + f6 * g2 + f7x2 * g1 + f8 * g0 + f9x2 * g9x19;
  let h9 = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
  // Floor carries, two chains interleaved; limbs end in [0, 2^26) / [0, 2^25) (limb 1 a little over).
  let c: i64;
  c = h0 >> 26; h1 += c; h0 &= MASK26; c = h4 >> 26; h5 += c; h4 &= MASK26;
  c = h1 >> 25; h2 += c; h1 &= MASK25; c = h5 >> 25; h6 += c; h5 &= MASK25;
  c = h2 >> 26; h3 += c; h2 &= MASK26; c = h6 >> 26; h7 += c; h6 &= MASK26;
  c = h3 >> 25; h4 += c; h3 &= MASK25; c = h7 >> 25; h8 += c; h7 &= MASK25;
  c = h4 >> 26; h5 += c; h4 &= MASK26; c = h8 >> 26; h9 += c; h8 &= MASK26;
  c = h9 >> 25; h0 += c * 19; h9 &= MASK25;
  c = h0 >> 26; h1 += c; h0 &= MASK26;
  store<i32>(h, <i32>h0, 0);
  store<i32>(h, <i32>h1, 4);
  store<i32>(h, <i32>h2, 8);
  store<i32>(h, <i32>h3, 12);
  store<i32>(h, <i32>h4, 16);
  store<i32>(h, <i32>h5, 20);
  store<i32>(h, <i32>h6, 24);
  store<i32>(h, <i32>h7, 28);
  store<i32>(h, <i32>h8, 32);
  store<i32>(h, <i32>h9, 36);
}

/** h = f^2 */
export function feSq(h: usize, f: usize): void {
  const f0 = <i64>load<i32>(f, 0), f1 = <i64>load<i32>(f, 4), f2 = <i64>load<i32>(f, 8), f3 = <i64>load<i32>(f, 12), f4 = <i64>load<i32>(f, 16);
  const f5 = <i64>load<i32>(f, 20), f6 = <i64>load<i32>(f, 24), f7 = <i64>load<i32>(f, 28), f8 = <i64>load<i32>(f, 32), f9 = <i64>load<i32>(f, 36);
  const f0x2 = f0 << 1, f1x2 = f1 << 1, f2x2 = f2 << 1, f3x2 = f3 << 1, f4x2 = f4 << 1;
  const f5x2 = f5 << 1, f6x2 = f6 << 1, f7x2 = f7 << 1, f8x2 = f8 << 1, f9x2 = f9 << 1;
  const f5x19 = f5 * 19, f6x19 = f6 * 19, f7x19 = f7 * 19, f8x19 = f8 * 19, f9x19 = f9 * 19;
  const f7x38 = f7 * 38, f9x38 = f9 * 38;
  let h0 = f0 * f0 + f1x2 * f9x38 + f2x2 * f8x19 + f3x2 * f7x38 + f4x2 * f6x19 + f5x2 * f5x19;
  let h1 = f0x2 * f1 + f2x2 * f9x19 + f3x2 * f8x19 + f4x2 * f7x19 + f5x2 * f6x19;
  let h2 = f0x2 * f2 + f1x2 * f1 + f3x2 * f9x38 + f4x2 * f8x19 + f5x2 * f7x38 + f6 * f6x19;
  let h3 = f0x2 * f3 + f1x2 * f2 + f4x2 * f9x19 + f5x2 * f8x19 + f6x2 * f7x19;
  let h4 = f0x2 * f4 + f1x2 * f3x2 + f2 * f2 + f5x2 * f9x38 + f6x2 * f8x19 + f7x2 * f7x19;
  let h5 = f0x2 * f5 + f1x2 * f4 + f2x2 * f3 + f6x2 * f9x19 + f7x2 * f8x19;
  let h6 = f0x2 * f6 + f1x2 * f5x2 + f2x2 * f4 + f3x2 * f3 + f7x2 * f9x38 + f8 * f8x19;
  let h7 = f0x2 * f7 + f1x2 * f6 + f2x2 * f5 + f3x2 * f4 + f8x2 * f9x19;
  let h8 = f0x2 * f8 + f1x2 * f7x2 + f2x2 * f6 + f3x2 * f5x2 + f4 * f4 + f9x2 * f9x19;
  let h9 = f0x2 * f9 + f1x2 * f8 + f2x2 * f7 + f3x2 * f6 + f4x2 * f5;
  // Floor carries, two chains interleaved; limbs end in [0, 2^26) / [0, 2^25) (limb 1 a little over).
  let c: i64;
  c = h0 >> 26; h1 += c; h0 &= MASK26; c = h4 >> 26; h5 += c; h4 &= MASK26;
  c = h1 >> 25; h2 += c; h1 &= MASK25; c = h5 >> 25; h6 += c; h5 &= MASK25;
  c = h2 >> 26; h3 += c; h2 &= MASK26; c = h6 >> 26; h7 += c; h6 &= MASK26;
  c = h3 >> 25; h4 += c; h3 &= MASK25; c = h7 >> 25; h8 += c; h7 &= MASK25;
  c = h4 >> 26; h5 += c; h4 &= MASK26; c = h8 >> 26; h9 += c; h8 &= MASK26;
  c = h9 >> 25; h0 += c * 19; h9 &= MASK25;
  c = h0 >> 26; h1 += c; h0 &= MASK26;
  store<i32>(h, <i32>h0, 0);
  store<i32>(h, <i32>h1, 4);
  store<i32>(h, <i32>h2, 8);
  store<i32>(h, <i32>h3, 12);
  store<i32>(h, <i32>h4, 16);
  store<i32>(h, <i32>h5, 20);
  store<i32>(h, <i32>h6, 24);
  store<i32>(h, <i32>h7, 28);
  store<i32>(h, <i32>h8, 32);
  store<i32>(h, <i32>h9, 36);
}

/** h = 2 f^2; f must be carried (a mul/sq result), so that the doubled columns stay under 2^63. */
export function feSq2(h: usize, f: usize): void {
  const f0 = <i64>load<i32>(f, 0), f1 = <i64>load<i32>(f, 4), f2 = <i64>load<i32>(f, 8), f3 = <i64>load<i32>(f, 12), f4 = <i64>load<i32>(f, 16);
  const f5 = <i64>load<i32>(f, 20), f6 = <i64>load<i32>(f, 24), f7 = <i64>load<i32>(f, 28), f8 = <i64>load<i32>(f, 32), f9 = <i64>load<i32>(f, 36);
  const f0x2 = f0 << 1, f1x2 = f1 << 1, f2x2 = f2 << 1, f3x2 = f3 << 1, f4x2 = f4 << 1;
  const f5x2 = f5 << 1, f6x2 = f6 << 1, f7x2 = f7 << 1, f8x2 = f8 << 1, f9x2 = f9 << 1;
  const f5x19 = f5 * 19, f6x19 = f6 * 19, f7x19 = f7 * 19, f8x19 = f8 * 19, f9x19 = f9 * 19;
  const f7x38 = f7 * 38, f9x38 = f9 * 38;
  let h0 = f0 * f0 + f1x2 * f9x38 + f2x2 * f8x19 + f3x2 * f7x38 + f4x2 * f6x19 + f5x2 * f5x19;
  let h1 = f0x2 * f1 + f2x2 * f9x19 + f3x2 * f8x19 + f4x2 * f7x19 + f5x2 * f6x19;
  let h2 = f0x2 * f2 + f1x2 * f1 + f3x2 * f9x38 + f4x2 * f8x19 + f5x2 * f7x38 + f6 * f6x19;
  let h3 = f0x2 * f3 + f1x2 * f2 + f4x2 * f9x19 + f5x2 * f8x19 + f6x2 * f7x19;
  let h4 = f0x2 * f4 + f1x2 * f3x2 + f2 * f2 + f5x2 * f9x38 + f6x2 * f8x19 + f7x2 * f7x19;
  let h5 = f0x2 * f5 + f1x2 * f4 + f2x2 * f3 + f6x2 * f9x19 + f7x2 * f8x19;
  let h6 = f0x2 * f6 + f1x2 * f5x2 + f2x2 * f4 + f3x2 * f3 + f7x2 * f9x38 + f8 * f8x19;
  let h7 = f0x2 * f7 + f1x2 * f6 + f2x2 * f5 + f3x2 * f4 + f8x2 * f9x19;
  let h8 = f0x2 * f8 + f1x2 * f7x2 + f2x2 * f6 + f3x2 * f5x2 + f4 * f4 + f9x2 * f9x19;
  let h9 = f0x2 * f9 + f1x2 * f8 + f2x2 * f7 + f3x2 * f6 + f4x2 * f5;
  h0 <<= 1; h1 <<= 1; h2 <<= 1; h3 <<= 1; h4 <<= 1; h5 <<= 1; h6 <<= 1; h7 <<= 1; h8 <<= 1; h9 <<= 1;
  // Floor carries, two chains interleaved; limbs end in [0, 2^26) / [0, 2^25) (limb 1 a little over).
  let c: i64;
  c = h0 >> 26; h1 += c; h0 &= MASK26; c = h4 >> 26; h5 += c; h4 &= MASK26;
  c = h1 >> 25; h2 += c; h1 &= MASK25; c = h5 >> 25; h6 += c; h5 &= MASK25;
  c = h2 >> 26; h3 += c; h2 &= MASK26; c = h6 >> 26; h7 += c; h6 &= MASK26;
  c = h3 >> 25; h4 += c; h3 &= MASK25; c = h7 >> 25; h8 += c; h7 &= MASK25;
  c = h4 >> 26; h5 += c; h4 &= MASK26; c = h8 >> 26; h9 += c; h8 &= MASK26;
  c = h9 >> 25; h0 += c * 19; h9 &= MASK25;
  c = h0 >> 26; h1 += c; h0 &= MASK26;
  store<i32>(h, <i32>h0, 0);
  store<i32>(h, <i32>h1, 4);
  store<i32>(h, <i32>h2, 8);
  store<i32>(h, <i32>h3, 12);
  store<i32>(h, <i32>h4, 16);
  store<i32>(h, <i32>h5, 20);
  store<i32>(h, <i32>h6, 24);
  store<i32>(h, <i32>h7, 28);
  store<i32>(h, <i32>h8, 32);
  store<i32>(h, <i32>h9, 36);
}

/** h = f + g (not carried) */
export function feAdd(h: usize, f: usize, g: usize): void {
  for (let i: usize = 0; i < 40; i += 4) store<i32>(h + i, load<i32>(f + i) + load<i32>(g + i));
}

/** h = f - g (not carried) */
export function feSub(h: usize, f: usize, g: usize): void {
  for (let i: usize = 0; i < 40; i += 4) store<i32>(h + i, load<i32>(f + i) - load<i32>(g + i));
}

/** h = -f */
export function feNeg(h: usize, f: usize): void {
  for (let i: usize = 0; i < 40; i += 4) store<i32>(h + i, -load<i32>(f + i));
}

export function feCopy(h: usize, f: usize): void {
  memory.copy(h, f, FE_SIZE);
}

/** h = n for a small non-negative n */
export function feSetSmall(h: usize, n: i32): void {
  memory.fill(h, 0, FE_SIZE);
  store<i32>(h, n);
}

/** f = g where mask is all ones, f unchanged where it is 0; no branch on the mask. */
export function feCmov(f: usize, g: usize, mask: i32): void {
  for (let i: usize = 0; i < 40; i += 4) {
    const a = load<i32>(f + i);
    store<i32>(f + i, a ^ ((a ^ load<i32>(g + i)) & mask));
  }
}

/** Reads 32 little-endian bytes; bit 255 is ignored and values >= p are taken mod p later. */
export function feFromBytes(h: usize, s: usize): void {
  // Each limb fits one unaligned 32-bit load: its shift plus width never exceeds 32 bits.
  store<i32>(h, <i32>(load<u32>(s, 0) & <u32>MASK26), 0);
  store<i32>(h, <i32>((load<u32>(s, 3) >>> 2) & <u32>MASK25), 4);
  store<i32>(h, <i32>((load<u32>(s, 6) >>> 3) & <u32>MASK26), 8);
  store<i32>(h, <i32>((load<u32>(s, 9) >>> 5) & <u32>MASK25), 12);
  store<i32>(h, <i32>((load<u32>(s, 12) >>> 6) & <u32>MASK26), 16);
  store<i32>(h, <i32>(load<u32>(s, 16) & <u32>MASK25), 20);
  store<i32>(h, <i32>((load<u32>(s, 19) >>> 1) & <u32>MASK26), 24);
  store<i32>(h, <i32>((load<u32>(s, 22) >>> 3) & <u32>MASK25), 28);
  store<i32>(h, <i32>((load<u32>(s, 25) >>> 4) & <u32>MASK26), 32);
  store<i32>(h, <i32>((load<u32>(s, 28) >>> 6) & <u32>MASK25), 36);
}

/** Writes the canonical 32-byte little-endian encoding (the value reduced into [0, p)). */
export function feToBytes(s: usize, h: usize): void {
  let h0 = <i64>load<i32>(h, 0), h1 = <i64>load<i32>(h, 4), h2 = <i64>load<i32>(h, 8), h3 = <i64>load<i32>(h, 12);
  let h4 = <i64>load<i32>(h, 16), h5 = <i64>load<i32>(h, 20), h6 = <i64>load<i32>(h, 24), h7 = <i64>load<i32>(h, 28);
  let h8 = <i64>load<i32>(h, 32), h9 = <i64>load<i32>(h, 36);
  // Two full carry passes make every limb non-negative and in range (a negative value wraps by
  // adding p once), so the value v is in [0, 2^255 + small) < 2p.
  for (let pass = 0; pass < 2; pass++) {
    h1 += h0 >> 26; h0 &= MASK26;
    h2 += h1 >> 25; h1 &= MASK25;
    h3 += h2 >> 26; h2 &= MASK26;
    h4 += h3 >> 25; h3 &= MASK25;
    h5 += h4 >> 26; h4 &= MASK26;
    h6 += h5 >> 25; h5 &= MASK25;
    h7 += h6 >> 26; h6 &= MASK26;
    h8 += h7 >> 25; h7 &= MASK25;
    h9 += h8 >> 26; h8 &= MASK26;
    h0 += (h9 >> 25) * 19; h9 &= MASK25;
  }
  // q = 1 exactly when v >= p, i.e. when v + 19 reaches 2^255; then v - p = v + 19 - 2^255.
  let q = (h0 + 19) >> 26;
  q = (h1 + q) >> 25; q = (h2 + q) >> 26; q = (h3 + q) >> 25; q = (h4 + q) >> 26;
  q = (h5 + q) >> 25; q = (h6 + q) >> 26; q = (h7 + q) >> 25; q = (h8 + q) >> 26; q = (h9 + q) >> 25;
  h0 += 19 * q;
  h1 += h0 >> 26; h0 &= MASK26;
  h2 += h1 >> 25; h1 &= MASK25;
  h3 += h2 >> 26; h2 &= MASK26;
  h4 += h3 >> 25; h3 &= MASK25;
  h5 += h4 >> 26; h4 &= MASK26;
  h6 += h5 >> 25; h5 &= MASK25;
  h7 += h6 >> 26; h6 &= MASK26;
  h8 += h7 >> 25; h7 &= MASK25;
  h9 += h8 >> 26; h8 &= MASK26;
  h9 &= MASK25; // drops the 2^255 that q subtracts
  store<u32>(s, <u32>(h0 | (h1 << 26)), 0);
  store<u32>(s, <u32>((h1 >> 6) | (h2 << 19)), 4);
  store<u32>(s, <u32>((h2 >> 13) | (h3 << 13)), 8);
  store<u32>(s, <u32>((h3 >> 19) | (h4 << 6)), 12);
  store<u32>(s, <u32>(h5 | (h6 << 25)), 16);
  store<u32>(s, <u32>((h6 >> 7) | (h7 << 19)), 20);
  store<u32>(s, <u32>((h7 >> 13) | (h8 << 12)), 24);
  store<u32>(s, <u32>((h8 >> 20) | (h9 << 6)), 28);
}

const BYTES: usize = memory.data(32, 8);

/** True when f = 0 (mod p). */
export function feIsZero(f: usize): bool {
  feToBytes(BYTES, f);
  return (load<u64>(BYTES, 0) | load<u64>(BYTES, 8) | load<u64>(BYTES, 16) | load<u64>(BYTES, 24)) == 0;
}

/** The low bit of the canonical encoding ("negative" in RFC 8032's sense). */
export function feIsNegative(f: usize): i32 {
  feToBytes(BYTES, f);
  return load<u8>(BYTES) & 1;
}

/** h = f^(2^n), n >= 1 */
function feSqN(h: usize, f: usize, n: i32): void {
  feSq(h, f);
  for (let i = 1; i < n; i++) feSq(h, h);
}

const T0: usize = memory.data(<i32>FE_SIZE, 8);
const T1: usize = memory.data(<i32>FE_SIZE, 8);
const T2: usize = memory.data(<i32>FE_SIZE, 8);
const T3: usize = memory.data(<i32>FE_SIZE, 8);
const Z_COPY: usize = memory.data(<i32>FE_SIZE, 8);

/** out = z^(2^250 - 1) and T0 = z^11: the shared prefix of the inversion and square-root chains. */
function pow2p250m1(out: usize, z: usize): void {
  feSq(T0, z); //                      z^2
  feSqN(T1, T0, 2); //                 z^8
  feMul(T1, z, T1); //                 z^9
  feMul(T0, T0, T1); //                z^11
  feSq(T2, T0); //                     z^22
  feMul(T1, T1, T2); //                z^(2^5 - 1)
  feSqN(T2, T1, 5);
  feMul(T1, T2, T1); //                z^(2^10 - 1)
  feSqN(T2, T1, 10);
  feMul(T2, T2, T1); //                z^(2^20 - 1)
  feSqN(T3, T2, 20);
  feMul(T2, T3, T2); //                z^(2^40 - 1)
  feSqN(T2, T2, 10);
  feMul(T1, T2, T1); //                z^(2^50 - 1)
  feSqN(T2, T1, 50);
  feMul(T2, T2, T1); //                z^(2^100 - 1)
  feSqN(T3, T2, 100);
  feMul(T2, T3, T2); //                z^(2^200 - 1)
  feSqN(T2, T2, 50);
  feMul(out, T2, T1); //               z^(2^250 - 1)
}

/** out = 1/z = z^(p - 2) = z^(2^255 - 21); 1/0 gives 0. */
export function feInvert(out: usize, z: usize): void {
  pow2p250m1(out, z);
  feSqN(out, out, 5);
  feMul(out, out, T0);
}

/** out = z^((p - 5) / 8) = z^(2^252 - 3), the core of the square root in point decoding. */
export function fePow2p252m3(out: usize, z: usize): void {
  feCopy(Z_COPY, z); // out may alias z
  pow2p250m1(out, Z_COPY);
  feSqN(out, out, 2);
  feMul(out, out, Z_COPY);
}
