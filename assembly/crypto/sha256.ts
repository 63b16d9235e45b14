// SHA-256 (FIPS 180-4), allocation-free. One compression loop, fully unrolled, keeps the working
// variables and the 16-word message schedule in locals; instead of rotating a..h every round,
// each round names them in rotated order (8 rounds make a full turn). Maj(a, b, c) is computed as
// b ^ ((a ^ b) & (b ^ c)), reusing the previous round's a ^ b as this round's b ^ c (ab0/ab1).
//
// Hashing state lives in caller-provided contexts (static memory) so the one-shot helper used by
// other core modules never disturbs a streaming hash in progress through the exports.

// Context layout: state words | pending partial block | total byte count | pending byte count.
const CTX_STATE: usize = 0;
const CTX_BLOCK: usize = 32;
const CTX_TOTAL: usize = 96;
const CTX_PENDING: usize = 104;
/** Bytes a SHA-256 context needs. */
export const SHA256_CONTEXT_SIZE: i32 = 112;

@inline function rotr32(x: u32, n: u32): u32 {
  return rotr<u32>(x, n);
}
// The big sigmas as nested rotations: same value, fewer register copies on two-operand CPUs
// (measured faster here; the same form for the small sigmas measured slower).
@inline function bigSigma0(x: u32): u32 {
  return rotr32(x ^ rotr32(x ^ rotr32(x, 9), 11), 2);
}
@inline function bigSigma1(x: u32): u32 {
  return rotr32(x ^ rotr32(x ^ rotr32(x, 14), 5), 6);
}
@inline function smallSigma0(x: u32): u32 {
  return rotr32(x, 7) ^ rotr32(x, 18) ^ (x >>> 3);
}
@inline function smallSigma1(x: u32): u32 {
  return rotr32(x, 17) ^ rotr32(x, 19) ^ (x >>> 10);
}
@inline function ch(e: u32, f: u32, g: u32): u32 {
  return g ^ (e & (f ^ g));
}
@inline function word(p: usize, offset: usize): u32 {
  return bswap<u32>(load<u32>(p + offset));
}

/** Runs the compression function over `blocks` consecutive 64-byte blocks at `data`. */
function compress(state: usize, data: usize, blocks: usize): void {
  for (; blocks > 0; blocks--, data += 64) {
    let a = load<u32>(state, 0), b = load<u32>(state, 4), c = load<u32>(state, 8), d = load<u32>(state, 12);
    let e = load<u32>(state, 16), f = load<u32>(state, 20), g = load<u32>(state, 24), h = load<u32>(state, 28);
    let w0 = word(data, 0), w1 = word(data, 4), w2 = word(data, 8), w3 = word(data, 12);
    let w4 = word(data, 16), w5 = word(data, 20), w6 = word(data, 24), w7 = word(data, 28);
    let w8 = word(data, 32), w9 = word(data, 36), w10 = word(data, 40), w11 = word(data, 44);
    let w12 = word(data, 48), w13 = word(data, 52), w14 = word(data, 56), w15 = word(data, 60);
    let ab0: u32 = 0, ab1 = b ^ c;
    h += <u32>0x428a2f98 + w0 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    g += <u32>0x71374491 + w1 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    f += <u32>0xb5c0fbcf + w2 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    e += <u32>0xe9b5dba5 + w3 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    d += <u32>0x3956c25b + w4 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    c += <u32>0x59f111f1 + w5 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    b += <u32>0x923f82a4 + w6 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    a += <u32>0xab1c5ed5 + w7 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    h += <u32>0xd807aa98 + w8 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    g += <u32>0x12835b01 + w9 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    f += <u32>0x243185be + w10 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    e += <u32>0x550c7dc3 + w11 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    d += <u32>0x72be5d74 + w12 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    c += <u32>0x80deb1fe + w13 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    b += <u32>0x9bdc06a7 + w14 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    a += <u32>0xc19bf174 + w15 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    w0 += smallSigma1(w14) + w9 + smallSigma0(w1);
    h += <u32>0xe49b69c1 + w0 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    w1 += smallSigma1(w15) + w10 + smallSigma0(w2);
    g += <u32>0xefbe4786 + w1 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    w2 += smallSigma1(w0) + w11 + smallSigma0(w3);
    f += <u32>0x0fc19dc6 + w2 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    w3 += smallSigma1(w1) + w12 + smallSigma0(w4);
    e += <u32>0x240ca1cc + w3 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    w4 += smallSigma1(w2) + w13 + smallSigma0(w5);
    d += <u32>0x2de92c6f + w4 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    w5 += smallSigma1(w3) + w14 + smallSigma0(w6);
    c += <u32>0x4a7484aa + w5 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    w6 += smallSigma1(w4) + w15 + smallSigma0(w7);
    b += <u32>0x5cb0a9dc + w6 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    w7 += smallSigma1(w5) + w0 + smallSigma0(w8);
    a += <u32>0x76f988da + w7 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    w8 += smallSigma1(w6) + w1 + smallSigma0(w9);
    h += <u32>0x983e5152 + w8 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    w9 += smallSigma1(w7) + w2 + smallSigma0(w10);
    g += <u32>0xa831c66d + w9 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    w10 += smallSigma1(w8) + w3 + smallSigma0(w11);
    f += <u32>0xb00327c8 + w10 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    w11 += smallSigma1(w9) + w4 + smallSigma0(w12);
    e += <u32>0xbf597fc7 + w11 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    w12 += smallSigma1(w10) + w5 + smallSigma0(w13);
    d += <u32>0xc6e00bf3 + w12 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    w13 += smallSigma1(w11) + w6 + smallSigma0(w14);
    c += <u32>0xd5a79147 + w13 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    w14 += smallSigma1(w12) + w7 + smallSigma0(w15);
    b += <u32>0x06ca6351 + w14 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    w15 += smallSigma1(w13) + w8 + smallSigma0(w0);
    a += <u32>0x14292967 + w15 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    w0 += smallSigma1(w14) + w9 + smallSigma0(w1);
    h += <u32>0x27b70a85 + w0 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    w1 += smallSigma1(w15) + w10 + smallSigma0(w2);
    g += <u32>0x2e1b2138 + w1 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    w2 += smallSigma1(w0) + w11 + smallSigma0(w3);
    f += <u32>0x4d2c6dfc + w2 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    w3 += smallSigma1(w1) + w12 + smallSigma0(w4);
    e += <u32>0x53380d13 + w3 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    w4 += smallSigma1(w2) + w13 + smallSigma0(w5);
    d += <u32>0x650a7354 + w4 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    w5 += smallSigma1(w3) + w14 + smallSigma0(w6);
    c += <u32>0x766a0abb + w5 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    w6 += smallSigma1(w4) + w15 + smallSigma0(w7);
    b += <u32>0x81c2c92e + w6 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    w7 += smallSigma1(w5) + w0 + smallSigma0(w8);
    a += <u32>0x92722c85 + w7 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    w8 += smallSigma1(w6) + w1 + smallSigma0(w9);
    h += <u32>0xa2bfe8a1 + w8 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    w9 += smallSigma1(w7) + w2 + smallSigma0(w10);
    g += <u32>0xa81a664b + w9 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    w10 += smallSigma1(w8) + w3 + smallSigma0(w11);
    f += <u32>0xc24b8b70 + w10 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    w11 += smallSigma1(w9) + w4 + smallSigma0(w12);
    e += <u32>0xc76c51a3 + w11 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    w12 += smallSigma1(w10) + w5 + smallSigma0(w13);
    d += <u32>0xd192e819 + w12 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    w13 += smallSigma1(w11) + w6 + smallSigma0(w14);
    c += <u32>0xd6990624 + w13 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    w14 += smallSigma1(w12) + w7 + smallSigma0(w15);
    b += <u32>0xf40e3585 + w14 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    w15 += smallSigma1(w13) + w8 + smallSigma0(w0);
    a += <u32>0x106aa070 + w15 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    w0 += smallSigma1(w14) + w9 + smallSigma0(w1);
    h += <u32>0x19a4c116 + w0 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    w1 += smallSigma1(w15) + w10 + smallSigma0(w2);
    g += <u32>0x1e376c08 + w1 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    w2 += smallSigma1(w0) + w11 + smallSigma0(w3);
    f += <u32>0x2748774c + w2 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    w3 += smallSigma1(w1) + w12 + smallSigma0(w4);
    e += <u32>0x34b0bcb5 + w3 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    w4 += smallSigma1(w2) + w13 + smallSigma0(w5);
    d += <u32>0x391c0cb3 + w4 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    w5 += smallSigma1(w3) + w14 + smallSigma0(w6);
    c += <u32>0x4ed8aa4a + w5 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    w6 += smallSigma1(w4) + w15 + smallSigma0(w7);
    b += <u32>0x5b9cca4f + w6 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    w7 += smallSigma1(w5) + w0 + smallSigma0(w8);
    a += <u32>0x682e6ff3 + w7 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    w8 += smallSigma1(w6) + w1 + smallSigma0(w9);
    h += <u32>0x748f82ee + w8 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    w9 += smallSigma1(w7) + w2 + smallSigma0(w10);
    g += <u32>0x78a5636f + w9 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    w10 += smallSigma1(w8) + w3 + smallSigma0(w11);
    f += <u32>0x84c87814 + w10 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    w11 += smallSigma1(w9) + w4 + smallSigma0(w12);
    e += <u32>0x8cc70208 + w11 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    w12 += smallSigma1(w10) + w5 + smallSigma0(w13);
    d += <u32>0x90befffa + w12 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    w13 += smallSigma1(w11) + w6 + smallSigma0(w14);
    c += <u32>0xa4506ceb + w13 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    w14 += smallSigma1(w12) + w7 + smallSigma0(w15);
    b += <u32>0xbef9a3f7 + w14 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    w15 += smallSigma1(w13) + w8 + smallSigma0(w0);
    a += <u32>0xc67178f2 + w15 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    store<u32>(state, load<u32>(state, 0) + a, 0);
    store<u32>(state, load<u32>(state, 4) + b, 4);
    store<u32>(state, load<u32>(state, 8) + c, 8);
    store<u32>(state, load<u32>(state, 12) + d, 12);
    store<u32>(state, load<u32>(state, 16) + e, 16);
    store<u32>(state, load<u32>(state, 20) + f, 20);
    store<u32>(state, load<u32>(state, 24) + g, 24);
    store<u32>(state, load<u32>(state, 28) + h, 28);
  }
}

/** Starts a new hash in the context at `ctx`. */
export function sha256Start(ctx: usize): void {
  store<u32>(ctx, 0x6a09e667, CTX_STATE + 0);
  store<u32>(ctx, 0xbb67ae85, CTX_STATE + 4);
  store<u32>(ctx, 0x3c6ef372, CTX_STATE + 8);
  store<u32>(ctx, 0xa54ff53a, CTX_STATE + 12);
  store<u32>(ctx, 0x510e527f, CTX_STATE + 16);
  store<u32>(ctx, 0x9b05688c, CTX_STATE + 20);
  store<u32>(ctx, 0x1f83d9ab, CTX_STATE + 24);
  store<u32>(ctx, 0x5be0cd19, CTX_STATE + 28);
  store<u64>(ctx, 0, CTX_TOTAL);
  store<u32>(ctx, 0, CTX_PENDING);
}

/** Absorbs `len` bytes at `ptr`. Whole blocks are compressed straight from the input. */
export function sha256Feed(ctx: usize, ptr: usize, len: usize): void {
  store<u64>(ctx, load<u64>(ctx, CTX_TOTAL) + <u64>len, CTX_TOTAL);
  let pending = <usize>load<u32>(ctx, CTX_PENDING);
  if (pending > 0) {
    const take = min<usize>(64 - pending, len);
    memory.copy(ctx + CTX_BLOCK + pending, ptr, take);
    pending += take;
    ptr += take;
    len -= take;
    if (pending < 64) {
      store<u32>(ctx, <u32>pending, CTX_PENDING);
      return;
    }
    compress(ctx + CTX_STATE, ctx + CTX_BLOCK, 1);
  }
  const whole = len >>> 6;
  compress(ctx + CTX_STATE, ptr, whole);
  const rest = len & 63;
  memory.copy(ctx + CTX_BLOCK, ptr + (whole << 6), rest);
  store<u32>(ctx, <u32>rest, CTX_PENDING);
}

/** Pads, writes the 32-byte digest to `out` and leaves the context to be restarted. */
export function sha256Finish(ctx: usize, out: usize): void {
  const block = ctx + CTX_BLOCK;
  let pending = <usize>load<u32>(ctx, CTX_PENDING);
  const bits = load<u64>(ctx, CTX_TOTAL) << 3;
  store<u8>(block + pending, 0x80);
  pending++;
  if (pending > 56) {
    memory.fill(block + pending, 0, 64 - pending);
    compress(ctx + CTX_STATE, block, 1);
    pending = 0;
  }
  memory.fill(block + pending, 0, 56 - pending);
  store<u64>(block, bswap<u64>(bits), 56);
  compress(ctx + CTX_STATE, block, 1);
  for (let i: usize = 0; i < 32; i += 4) store<u32>(out + i, bswap<u32>(load<u32>(ctx + CTX_STATE + i)));
}

// Private context of sha256Into, separate from the streaming export's context.
const ONE_SHOT: usize = memory.data(SHA256_CONTEXT_SIZE, 8);

/** SHA-256 of `len` bytes at `inPtr` into 32 bytes at `outPtr`. Callers validate the spans. */
export function sha256Into(inPtr: usize, len: usize, outPtr: usize): void {
  sha256Start(ONE_SHOT);
  sha256Feed(ONE_SHOT, inPtr, len);
  sha256Finish(ONE_SHOT, outPtr);
}
