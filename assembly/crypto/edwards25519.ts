// The Ed25519 group (twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2 over GF(2^255 - 19)):
// point encoding and decoding (RFC 8032 5.1.2/5.1.3), additions and doublings in extended
// coordinates (Hisil, Wong, Carter, Dawson 2008, a = -1), the constant-time fixed-base
// multiplication used for keys and signatures, and the variable-time double multiplication
// used by verification. All points live in static memory; nothing allocates.
import {
  FE_SIZE, feMul, feSq, feSq2, feAdd, feSub, feNeg, feCopy, feSetSmall, feCmov,
  feFromBytes, feToBytes, feIsZero, feIsNegative, feInvert, fePow2p252m3,
} from "./field25519";
import { ERR_BAD_POINT, ERR_NON_CANONICAL } from "../errors";

// Extended point (X : Y : Z : T) with x = X/Z, y = Y/Z, x*y = T/Z.
export const POINT_SIZE: i32 = 160;
const X: usize = 0;
const Y: usize = 40;
const Z: usize = 80;
const T: usize = 120;
// Cached point, ready to be added: (Y + X, Y - X, 2Z, 2d T).
export const CACHED_SIZE: i32 = 160;
const YPX: usize = 0;
const YMX: usize = 40;
const Z2: usize = 80;
const T2D: usize = 120;
// Affine cached point (Z = 1) for the precomputed base multiples: (y + x, y - x, 2d x y).
const NIELS_SIZE: usize = 120;
const N_T2D: usize = 80;

// Curve constants as canonical little-endian encodings, decoded at start-up:
// d = -121665/121666, 2d, sqrt(-1) = 2^((p-1)/4), and the base point B (y = 4/5, x even).
const D_BYTES: usize = memory.data<u8>([
  0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
  0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52,
]);
const D2_BYTES: usize = memory.data<u8>([
  0x59, 0xf1, 0xb2, 0x26, 0x94, 0x9b, 0xd6, 0xeb, 0x56, 0xb1, 0x83, 0x82, 0x9a, 0x14, 0xe0, 0x00,
  0x30, 0xd1, 0xf3, 0xee, 0xf2, 0x80, 0x8e, 0x19, 0xe7, 0xfc, 0xdf, 0x56, 0xdc, 0xd9, 0x06, 0x24,
]);
const SQRTM1_BYTES: usize = memory.data<u8>([
  0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f, 0xad, 0x06, 0x18, 0x43, 0x2f,
  0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00, 0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b,
]);
const B_BYTES: usize = memory.data<u8>([
  0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
  0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
]);
const FE_D: usize = memory.data(<i32>FE_SIZE, 8);
const FE_D2: usize = memory.data(<i32>FE_SIZE, 8);
const FE_SQRTM1: usize = memory.data(<i32>FE_SIZE, 8);
feFromBytes(FE_D, D_BYTES);
feFromBytes(FE_D2, D2_BYTES);
feFromBytes(FE_SQRTM1, SQRTM1_BYTES);

// Field temporaries of the point formulas below.
const TA: usize = memory.data(<i32>FE_SIZE, 8);
const TB: usize = memory.data(<i32>FE_SIZE, 8);
const TC: usize = memory.data(<i32>FE_SIZE, 8);
const TD: usize = memory.data(<i32>FE_SIZE, 8);
const TE: usize = memory.data(<i32>FE_SIZE, 8);
const TF: usize = memory.data(<i32>FE_SIZE, 8);
const TG: usize = memory.data(<i32>FE_SIZE, 8);
const TH: usize = memory.data(<i32>FE_SIZE, 8);

export function geSetIdentity(p: usize): void {
  feSetSmall(p + X, 0);
  feSetSmall(p + Y, 1);
  feSetSmall(p + Z, 1);
  feSetSmall(p + T, 0);
}

export function geCopy(p: usize, q: usize): void {
  memory.copy(p, q, POINT_SIZE);
}

/** r = 2p. T is only computed when `withT` (the next operation is an addition). r may alias p. */
export function geDouble(r: usize, p: usize, withT: bool): void {
  feSq(TA, p + X); //                 A = X^2
  feSq(TB, p + Y); //                 B = Y^2
  feSq2(TC, p + Z); //                C = 2 Z^2
  feAdd(TH, TA, TB); //               H = A + B
  feAdd(TE, p + X, p + Y);
  feSq(TE, TE);
  feSub(TE, TH, TE); //               E = H - (X + Y)^2
  feSub(TG, TA, TB); //               G = A - B
  feAdd(TF, TC, TG); //               F = C + G
  feMul(r + X, TE, TF);
  feMul(r + Y, TG, TH);
  if (withT) feMul(r + T, TE, TH);
  feMul(r + Z, TF, TG);
}

/** Final step shared by the additions: (X, Y, Z, T) from E, F, G, H. */
@inline function finishAddition(r: usize, withT: bool): void {
  feMul(r + X, TE, TF);
  feMul(r + Y, TG, TH);
  if (withT) feMul(r + T, TE, TH);
  feMul(r + Z, TF, TG);
}

/** r = p + q (or p - q when `negate`) for a cached q. r may alias p. */
export function geAddCached(r: usize, p: usize, q: usize, negate: bool, withT: bool): void {
  feSub(TA, p + Y, p + X);
  feMul(TA, TA, q + (negate ? YPX : YMX)); //  A = (Y1 - X1)(Y2 - X2)
  feAdd(TB, p + Y, p + X);
  feMul(TB, TB, q + (negate ? YMX : YPX)); //  B = (Y1 + X1)(Y2 + X2)
  feMul(TC, p + T, q + T2D); //                C = 2d T1 T2
  feMul(TD, p + Z, q + Z2); //                 D = 2 Z1 Z2
  feSub(TE, TB, TA); //                        E = B - A
  feAdd(TH, TB, TA); //                        H = B + A
  if (negate) {
    feAdd(TF, TD, TC);
    feSub(TG, TD, TC);
  } else {
    feSub(TF, TD, TC); //                      F = D - C
    feAdd(TG, TD, TC); //                      G = D + C
  }
  finishAddition(r, withT);
}

/** r = p + n (or p - n when `negate`) for an affine cached n. r may alias p. */
function geAddNiels(r: usize, p: usize, n: usize, negate: bool, withT: bool): void {
  feSub(TA, p + Y, p + X);
  feMul(TA, TA, n + (negate ? YPX : YMX));
  feAdd(TB, p + Y, p + X);
  feMul(TB, TB, n + (negate ? YMX : YPX));
  feMul(TC, p + T, n + N_T2D);
  feAdd(TD, p + Z, p + Z); //                  D = 2 Z1 (Z2 = 1)
  feSub(TE, TB, TA);
  feAdd(TH, TB, TA);
  if (negate) {
    feAdd(TF, TD, TC);
    feSub(TG, TD, TC);
  } else {
    feSub(TF, TD, TC);
    feAdd(TG, TD, TC);
  }
  finishAddition(r, withT);
}

export function geToCached(c: usize, p: usize): void {
  feAdd(c + YPX, p + Y, p + X);
  feSub(c + YMX, p + Y, p + X);
  feAdd(c + Z2, p + Z, p + Z);
  feMul(c + T2D, p + T, FE_D2);
}

/** True when p is the neutral element (0, 1). */
export function geIsIdentity(p: usize): bool {
  if (!feIsZero(p + X)) return false;
  feSub(TA, p + Y, p + Z);
  return feIsZero(TA);
}

const SMALL_ORDER_TMP: usize = memory.data(POINT_SIZE, 8);

/** True when 8p is the neutral element: p lies in the small (torsion) subgroup. */
export function geIsSmallOrder(p: usize): bool {
  geDouble(SMALL_ORDER_TMP, p, false);
  geDouble(SMALL_ORDER_TMP, SMALL_ORDER_TMP, false);
  geDouble(SMALL_ORDER_TMP, SMALL_ORDER_TMP, false);
  return geIsIdentity(SMALL_ORDER_TMP);
}

/** Writes the 32-byte encoding: y with the sign (low bit) of x in bit 255. */
export function geToBytes(s: usize, p: usize): void {
  feInvert(TA, p + Z);
  feMul(TB, p + X, TA);
  feMul(TC, p + Y, TA);
  feToBytes(s, TC);
  store<u8>(s + 31, load<u8>(s + 31) | <u8>(feIsNegative(TB) << 7));
}

/** False when the 255-bit y of an encoding is >= p (non-canonical). */
function yIsCanonical(s: usize): bool {
  // y >= p = 2^255 - 19 only when bytes 1..30 are all 0xff, the low 7 bits of byte 31 are set
  // and byte 0 is at least 0xed.
  if ((load<u8>(s + 31) & 0x7f) != 0x7f) return true;
  for (let i: usize = 1; i < 31; i++) if (load<u8>(s + i) != 0xff) return true;
  return load<u8>(s) < 0xed;
}

/**
 * Decodes a 32-byte encoding into p (RFC 8032 5.1.3, strict). Returns 0, ERR_NON_CANONICAL for
 * y >= p or for x = 0 with the sign bit set, ERR_BAD_POINT when no x exists. Variable time:
 * only for public points.
 */
export function geFromBytes(p: usize, s: usize): i32 {
  if (!yIsCanonical(s)) return ERR_NON_CANONICAL;
  feFromBytes(p + Y, s);
  feSetSmall(p + Z, 1);
  feSq(TA, p + Y);
  feMul(TB, TA, FE_D);
  feSub(TA, TA, p + Z); //            u = y^2 - 1
  feAdd(TB, TB, p + Z); //            v = d y^2 + 1
  feSq(TC, TB);
  feMul(TC, TC, TB); //               v^3
  feSq(TD, TC);
  feMul(TD, TD, TB);
  feMul(TD, TD, TA); //               u v^7
  fePow2p252m3(TD, TD);
  feMul(TD, TD, TC);
  feMul(p + X, TD, TA); //            x = u v^3 (u v^7)^((p - 5) / 8)
  feSq(TC, p + X);
  feMul(TC, TC, TB); //               v x^2, which must be u or -u
  feSub(TD, TC, TA);
  if (!feIsZero(TD)) {
    feAdd(TD, TC, TA);
    if (!feIsZero(TD)) return ERR_BAD_POINT;
    feMul(p + X, p + X, FE_SQRTM1);
  }
  const sign = <i32>(load<u8>(s + 31) >> 7);
  if (sign == 1 && feIsZero(p + X)) return ERR_NON_CANONICAL;
  if (feIsNegative(p + X) != sign) feNeg(p + X, p + X);
  feMul(p + T, p + X, p + Y);
  return 0;
}

// ---- Fixed-base multiplication ------------------------------------------------------------
// The table holds m * 2^(32 j) * B for rows j = 0..7 and m = 1..8 as affine cached points. A
// scalar is recoded into 64 signed radix-16 digits e_i in [-8, 8]; digit i = 8j + t belongs to
// row j, pass t. Pass t = 7..0 adds one entry per row, and four doublings separate passes:
// sum_t 16^t sum_j e_(8j+t) 2^(32 j) B = sum_i e_i 16^i B.
const TABLE_ROWS: i32 = 8;
const BASE_TABLE: usize = memory.data(TABLE_ROWS * 8 * <i32>NIELS_SIZE, 8);
let baseTableReady = false;

const ROW_BASE: usize = memory.data(POINT_SIZE, 8);
const ROW_CACHED: usize = memory.data(CACHED_SIZE, 8);
const MULTIPLE: usize = memory.data(POINT_SIZE, 8);
const ZINV: usize = memory.data(<i32>FE_SIZE, 8);
const AFFINE_X: usize = memory.data(<i32>FE_SIZE, 8);
const AFFINE_Y: usize = memory.data(<i32>FE_SIZE, 8);

function toNiels(n: usize, p: usize): void {
  feInvert(ZINV, p + Z);
  feMul(AFFINE_X, p + X, ZINV);
  feMul(AFFINE_Y, p + Y, ZINV);
  feAdd(n + YPX, AFFINE_Y, AFFINE_X);
  feSub(n + YMX, AFFINE_Y, AFFINE_X);
  feMul(n + N_T2D, AFFINE_X, AFFINE_Y);
  feMul(n + N_T2D, n + N_T2D, FE_D2);
}

/** Fills the table on first use (about 64 inversions; not needed by hashing-only users). */
function ensureBaseTable(): void {
  if (baseTableReady) return;
  geFromBytes(ROW_BASE, B_BYTES);
  for (let j = 0; j < TABLE_ROWS; j++) {
    geCopy(MULTIPLE, ROW_BASE);
    geToCached(ROW_CACHED, ROW_BASE);
    for (let m = 0; m < 8; m++) {
      if (m > 0) geAddCached(MULTIPLE, MULTIPLE, ROW_CACHED, false, true);
      toNiels(BASE_TABLE + <usize>(j * 8 + m) * NIELS_SIZE, MULTIPLE);
    }
    for (let i = 0; i < 32; i++) geDouble(ROW_BASE, ROW_BASE, i == 31);
  }
  baseTableReady = true;
}

const DIGITS: usize = memory.data(64, 8);

/** Recodes a 32-byte scalar below 2^255 into 64 signed radix-16 digits in [-8, 8], branch-free. */
function recodeRadix16(a: usize): void {
  for (let i: usize = 0; i < 32; i++) {
    const b = load<u8>(a + i);
    store<i8>(DIGITS + 2 * i, <i8>(b & 15));
    store<i8>(DIGITS + 2 * i + 1, <i8>(b >> 4));
  }
  let carry: i32 = 0;
  for (let i: usize = 0; i < 63; i++) {
    const v = <i32>load<i8>(DIGITS + i) + carry;
    carry = (v + 8) >> 4;
    store<i8>(DIGITS + i, <i8>(v - (carry << 4)));
  }
  store<i8>(DIGITS + 63, <i8>(<i32>load<i8>(DIGITS + 63) + carry));
}

/** dst ^= (dst ^ src) & mask over `len` bytes (a multiple of 8): a branch-free select. */
function cmovBytes(dst: usize, src: usize, len: usize, mask: u64): void {
  for (let i: usize = 0; i < len; i += 8) {
    const d = load<u64>(dst + i);
    store<u64>(dst + i, d ^ ((d ^ load<u64>(src + i)) & mask));
  }
}

const SELECTED: usize = memory.data(<i32>NIELS_SIZE, 8);
const SWAP: usize = memory.data(<i32>FE_SIZE, 8);

/** SELECTED = digit * (row's base), reading every entry of the row so the digit leaves no trace. */
function selectBaseMultiple(row: i32, digit: i32): void {
  const negative = digit >> 31; // all ones when digit < 0
  const magnitude = (digit ^ negative) - negative;
  feSetSmall(SELECTED + YPX, 1); //   the neutral element: (1, 1, 0)
  feSetSmall(SELECTED + YMX, 1);
  feSetSmall(SELECTED + N_T2D, 0);
  const entries = BASE_TABLE + <usize>(row * 8) * NIELS_SIZE;
  for (let m = 1; m <= 8; m++) {
    const equal = <u64>(((<u32>(magnitude ^ m)) - 1) >>> 31); // 1 when magnitude == m
    cmovBytes(SELECTED, entries + <usize>(m - 1) * NIELS_SIZE, NIELS_SIZE, 0 - equal);
  }
  // -(x, y) = (-x, y): swap y + x with y - x and negate 2dxy, under the sign mask.
  feCopy(SWAP, SELECTED + YPX);
  feCmov(SELECTED + YPX, SELECTED + YMX, negative);
  feCmov(SELECTED + YMX, SWAP, negative);
  feNeg(SWAP, SELECTED + N_T2D);
  feCmov(SELECTED + N_T2D, SWAP, negative);
}

/** r = a * B for a 32-byte scalar a < 2^255, in constant time (a may be secret). */
export function geScalarMultBase(r: usize, a: usize): void {
  ensureBaseTable();
  recodeRadix16(a);
  geSetIdentity(r);
  for (let t = 7; t >= 0; t--) {
    for (let j = 0; j < TABLE_ROWS; j++) {
      selectBaseMultiple(j, <i32>load<i8>(DIGITS + <usize>(8 * j + t)));
      geAddNiels(r, r, SELECTED, false, j < TABLE_ROWS - 1 || t == 0);
    }
    if (t > 0) for (let i = 0; i < 4; i++) geDouble(r, r, i == 3);
  }
}

// ---- Double multiplication for verification ------------------------------------------------
const NAF_B: usize = memory.data(256, 8);
const NAF_A: usize = memory.data(256, 8);
const SCALAR_WORDS: usize = memory.data(40, 8);

/**
 * Width-w non-adjacent form of a 32-byte scalar below 2^253: 256 digits, each zero or odd with
 * |digit| < 2^(w-1), nonzero digits at least w apart. Variable time (public scalars only).
 */
function wnaf(out: usize, scalar: usize, w: u32): void {
  memory.copy(SCALAR_WORDS, scalar, 32);
  store<u64>(SCALAR_WORDS, 0, 32);
  memory.fill(out, 0, 256);
  const width: u64 = 1 << w;
  let carry: u64 = 0;
  let pos: u32 = 0;
  while (pos < 256) {
    const word = <usize>(pos >> 6);
    const bit = <u64>(pos & 63);
    let bits = load<u64>(SCALAR_WORDS + (word << 3)) >> bit;
    if (bit + <u64>w > 64) bits |= load<u64>(SCALAR_WORDS + ((word + 1) << 3)) << (64 - bit);
    const window = carry + (bits & (width - 1));
    if ((window & 1) == 0) {
      pos++; // an even window means a zero digit here; the carry moves on unchanged
      continue;
    }
    if (window < width >> 1) {
      carry = 0;
      store<i8>(out + pos, <i8>window);
    } else {
      carry = 1;
      store<i8>(out + pos, <i8>(<i64>window - <i64>width));
    }
    pos += w;
  }
}

// Odd multiples A, 3A, ..., 15A of the point being verified against, as cached points.
const A_MULTIPLES: usize = memory.data(8 * CACHED_SIZE, 8);
const A_DOUBLE: usize = memory.data(CACHED_SIZE, 8);
const A_RUNNING: usize = memory.data(POINT_SIZE, 8);

/** r = s * B - k * A for public 32-byte scalars s, k below 2^253 (Straus with wNAF). */
export function geDoubleScalarMultVartime(r: usize, s: usize, k: usize, a: usize): void {
  ensureBaseTable();
  wnaf(NAF_B, s, 4); // digits in +-{1, 3, 5, 7}: table row 0 holds B..8B
  wnaf(NAF_A, k, 5); // digits in +-{1, 3, ..., 15}
  geToCached(A_MULTIPLES, a);
  geDouble(A_RUNNING, a, true);
  geToCached(A_DOUBLE, A_RUNNING);
  geCopy(A_RUNNING, a);
  for (let i: usize = 1; i < 8; i++) {
    geAddCached(A_RUNNING, A_RUNNING, A_DOUBLE, false, true);
    geToCached(A_MULTIPLES + i * <usize>CACHED_SIZE, A_RUNNING);
  }
  let top = 255;
  while (top >= 0 && load<i8>(NAF_B + <usize>top) == 0 && load<i8>(NAF_A + <usize>top) == 0) top--;
  geSetIdentity(r);
  // T is computed only where an addition follows, and at the very end (callers add to r).
  for (let i = top; i >= 0; i--) {
    const db = <i32>load<i8>(NAF_B + <usize>i);
    const da = <i32>load<i8>(NAF_A + <usize>i);
    if (i != top) geDouble(r, r, db != 0 || da != 0 || i == 0);
    if (da != 0) {
      const index = <usize>((da < 0 ? -da : da) >> 1);
      geAddCached(r, r, A_MULTIPLES + index * <usize>CACHED_SIZE, da > 0, db != 0 || i == 0);
    }
    if (db != 0) {
      const index = <usize>((db < 0 ? -db : db) - 1);
      geAddNiels(r, r, BASE_TABLE + index * NIELS_SIZE, db < 0, i == 0);
    }
  }
}
