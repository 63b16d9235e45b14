// SHA-256 (FIPS 180-4), allocation-free. One compression loop, fully unrolled, keeps the working
// variables and the 16-word message schedule in locals; instead of rotating a..h every round,
// each round names them in rotated order (8 rounds make a full turn).
//
// Hashing state lives in caller-provided contexts (static memory) so the one-shot helper used by
// other core modules never disturbs a streaming hash in progress through the exports.

// Context layout: state words | pending partial block | total byte count | pending byte count.
export const SHA256_CONTEXT_SIZE: usize = 112;
const CTX_STATE: usize = 0;
const CTX_BLOCK: usize = 32;
const CTX_TOTAL: usize = 96;
const CTX_PENDING: usize = 104;

@inline function rotr32(x: u32, n: u32): u32 {
  return rotr<u32>(x, n);
}
@inline function bigSigma0(x: u32): u32 {
  return rotr32(x, 2) ^ rotr32(x, 13) ^ rotr32(x, 22);
}
@inline function bigSigma1(x: u32): u32 {
  return rotr32(x, 6) ^ rotr32(x, 11) ^ rotr32(x, 25);
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
@inline function maj(a: u32, b: u32, c: u32): u32 {
  return (a & b) | (c & (a | b));
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
    h += bigSigma1(e) + ch(e, f, g) + <u32>0x428a2f98 + w0; d += h; h += bigSigma0(a) + maj(a, b, c);
    g += bigSigma1(d) + ch(d, e, f) + <u32>0x71374491 + w1; c += g; g += bigSigma0(h) + maj(h, a, b);
    f += bigSigma1(c) + ch(c, d, e) + <u32>0xb5c0fbcf + w2; b += f; f += bigSigma0(g) + maj(g, h, a);
    e += bigSigma1(b) + ch(b, c, d) + <u32>0xe9b5dba5 + w3; a += e; e += bigSigma0(f) + maj(f, g, h);
    d += bigSigma1(a) + ch(a, b, c) + <u32>0x3956c25b + w4; h += d; d += bigSigma0(e) + maj(e, f, g);
    c += bigSigma1(h) + ch(h, a, b) + <u32>0x59f111f1 + w5; g += c; c += bigSigma0(d) + maj(d, e, f);
    b += bigSigma1(g) + ch(g, h, a) + <u32>0x923f82a4 + w6; f += b; b += bigSigma0(c) + maj(c, d, e);
    a += bigSigma1(f) + ch(f, g, h) + <u32>0xab1c5ed5 + w7; e += a; a += bigSigma0(b) + maj(b, c, d);
    h += bigSigma1(e) + ch(e, f, g) + <u32>0xd807aa98 + w8; d += h; h += bigSigma0(a) + maj(a, b, c);
    g += bigSigma1(d) + ch(d, e, f) + <u32>0x12835b01 + w9; c += g; g += bigSigma0(h) + maj(h, a, b);
    f += bigSigma1(c) + ch(c, d, e) + <u32>0x243185be + w10; b += f; f += bigSigma0(g) + maj(g, h, a);
    e += bigSigma1(b) + ch(b, c, d) + <u32>0x550c7dc3 + w11; a += e; e += bigSigma0(f) + maj(f, g, h);
    d += bigSigma1(a) + ch(a, b, c) + <u32>0x72be5d74 + w12; h += d; d += bigSigma0(e) + maj(e, f, g);
    c += bigSigma1(h) + ch(h, a, b) + <u32>0x80deb1fe + w13; g += c; c += bigSigma0(d) + maj(d, e, f);
    b += bigSigma1(g) + ch(g, h, a) + <u32>0x9bdc06a7 + w14; f += b; b += bigSigma0(c) + maj(c, d, e);
    a += bigSigma1(f) + ch(f, g, h) + <u32>0xc19bf174 + w15; e += a; a += bigSigma0(b) + maj(b, c, d);
    w0 += smallSigma1(w14) + w9 + smallSigma0(w1);
    h += bigSigma1(e) + ch(e, f, g) + <u32>0xe49b69c1 + w0; d += h; h += bigSigma0(a) + maj(a, b, c);
    w1 += smallSigma1(w15) + w10 + smallSigma0(w2);
    g += bigSigma1(d) + ch(d, e, f) + <u32>0xefbe4786 + w1; c += g; g += bigSigma0(h) + maj(h, a, b);
    w2 += smallSigma1(w0) + w11 + smallSigma0(w3);
    f += bigSigma1(c) + ch(c, d, e) + <u32>0x0fc19dc6 + w2; b += f; f += bigSigma0(g) + maj(g, h, a);
    w3 += smallSigma1(w1) + w12 + smallSigma0(w4);
    e += bigSigma1(b) + ch(b, c, d) + <u32>0x240ca1cc + w3; a += e; e += bigSigma0(f) + maj(f, g, h);
    w4 += smallSigma1(w2) + w13 + smallSigma0(w5);
    d += bigSigma1(a) + ch(a, b, c) + <u32>0x2de92c6f + w4; h += d; d += bigSigma0(e) + maj(e, f, g);
    w5 += smallSigma1(w3) + w14 + smallSigma0(w6);
    c += bigSigma1(h) + ch(h, a, b) + <u32>0x4a7484aa + w5; g += c; c += bigSigma0(d) + maj(d, e, f);
    w6 += smallSigma1(w4) + w15 + smallSigma0(w7);
    b += bigSigma1(g) + ch(g, h, a) + <u32>0x5cb0a9dc + w6; f += b; b += bigSigma0(c) + maj(c, d, e);
    w7 += smallSigma1(w5) + w0 + smallSigma0(w8);
    a += bigSigma1(f) + ch(f, g, h) + <u32>0x76f988da + w7; e += a; a += bigSigma0(b) + maj(b, c, d);
    w8 += smallSigma1(w6) + w1 + smallSigma0(w9);
    h += bigSigma1(e) + ch(e, f, g) + <u32>0x983e5152 + w8; d += h; h += bigSigma0(a) + maj(a, b, c);
    w9 += smallSigma1(w7) + w2 + smallSigma0(w10);
    g += bigSigma1(d) + ch(d, e, f) + <u32>0xa831c66d + w9; c += g; g += bigSigma0(h) + maj(h, a, b);
    w10 += smallSigma1(w8) + w3 + smallSigma0(w11);
    f += bigSigma1(c) + ch(c, d, e) + <u32>0xb00327c8 + w10; b += f; f += bigSigma0(g) + maj(g, h, a);
    w11 += smallSigma1(w9) + w4 + smallSigma0(w12);
    e += bigSigma1(b) + ch(b, c, d) + <u32>0xbf597fc7 + w11; a += e; e += bigSigma0(f) + maj(f, g, h);
    w12 += smallSigma1(w10) + w5 + smallSigma0(w13);
    d += bigSigma1(a) + ch(a, b, c) + <u32>0xc6e00bf3 + w12; h += d; d += bigSigma0(e) + maj(e, f, g);
    w13 += smallSigma1(w11) + w6 + smallSigma0(w14);
    c += bigSigma1(h) + ch(h, a, b) + <u32>0xd5a79147 + w13; g += c; c += bigSigma0(d) + maj(d, e, f);
    w14 += smallSigma1(w12) + w7 + smallSigma0(w15);
    b += bigSigma1(g) + ch(g, h, a) + <u32>0x06ca6351 + w14; f += b; b += bigSigma0(c) + maj(c, d, e);
    w15 += smallSigma1(w13) + w8 + smallSigma0(w0);
    a += bigSigma1(f) + ch(f, g, h) + <u32>0x14292967 + w15; e += a; a += bigSigma0(b) + maj(b, c, d);
    w0 += smallSigma1(w14) + w9 + smallSigma0(w1);
    h += bigSigma1(e) + ch(e, f, g) + <u32>0x27b70a85 + w0; d += h; h += bigSigma0(a) + maj(a, b, c);
    w1 += smallSigma1(w15) + w10 + smallSigma0(w2);
    g += bigSigma1(d) + ch(d, e, f) + <u32>0x2e1b2138 + w1; c += g; g += bigSigma0(h) + maj(h, a, b);
    w2 += smallSigma1(w0) + w11 + smallSigma0(w3);
    f += bigSigma1(c) + ch(c, d, e) + <u32>0x4d2c6dfc + w2; b += f; f += bigSigma0(g) + maj(g, h, a);
    w3 += smallSigma1(w1) + w12 + smallSigma0(w4);
    e += bigSigma1(b) + ch(b, c, d) + <u32>0x53380d13 + w3; a += e; e += bigSigma0(f) + maj(f, g, h);
    w4 += smallSigma1(w2) + w13 + smallSigma0(w5);
    d += bigSigma1(a) + ch(a, b, c) + <u32>0x650a7354 + w4; h += d; d += bigSigma0(e) + maj(e, f, g);
    w5 += smallSigma1(w3) + w14 + smallSigma0(w6);
    c += bigSigma1(h) + ch(h, a, b) + <u32>0x766a0abb + w5; g += c; c += bigSigma0(d) + maj(d, e, f);
    w6 += smallSigma1(w4) + w15 + smallSigma0(w7);
    b += bigSigma1(g) + ch(g, h, a) + <u32>0x81c2c92e + w6; f += b; b += bigSigma0(c) + maj(c, d, e);
    w7 += smallSigma1(w5) + w0 + smallSigma0(w8);
    a += bigSigma1(f) + ch(f, g, h) + <u32>0x92722c85 + w7; e += a; a += bigSigma0(b) + maj(b, c, d);
    w8 += smallSigma1(w6) + w1 + smallSigma0(w9);
    h += bigSigma1(e) + ch(e, f, g) + <u32>0xa2bfe8a1 + w8; d += h; h += bigSigma0(a) + maj(a, b, c);
    w9 += smallSigma1(w7) + w2 + smallSigma0(w10);
    g += bigSigma1(d) + ch(d, e, f) + <u32>0xa81a664b + w9; c += g; g += bigSigma0(h) + maj(h, a, b);
    w10 += smallSigma1(w8) + w3 + smallSigma0(w11);
    f += bigSigma1(c) + ch(c, d, e) + <u32>0xc24b8b70 + w10; b += f; f += bigSigma0(g) + maj(g, h, a);
    w11 += smallSigma1(w9) + w4 + smallSigma0(w12);
    e += bigSigma1(b) + ch(b, c, d) + <u32>0xc76c51a3 + w11; a += e; e += bigSigma0(f) + maj(f, g, h);
    w12 += smallSigma1(w10) + w5 + smallSigma0(w13);
    d += bigSigma1(a) + ch(a, b, c) + <u32>0xd192e819 + w12; h += d; d += bigSigma0(e) + maj(e, f, g);
    w13 += smallSigma1(w11) + w6 + smallSigma0(w14);
    c += bigSigma1(h) + ch(h, a, b) + <u32>0xd6990624 + w13; g += c; c += bigSigma0(d) + maj(d, e, f);
    w14 += smallSigma1(w12) + w7 + smallSigma0(w15);
    b += bigSigma1(g) + ch(g, h, a) + <u32>0xf40e3585 + w14; f += b; b += bigSigma0(c) + maj(c, d, e);
    w15 += smallSigma1(w13) + w8 + smallSigma0(w0);
    a += bigSigma1(f) + ch(f, g, h) + <u32>0x106aa070 + w15; e += a; a += bigSigma0(b) + maj(b, c, d);
    w0 += smallSigma1(w14) + w9 + smallSigma0(w1);
    h += bigSigma1(e) + ch(e, f, g) + <u32>0x19a4c116 + w0; d += h; h += bigSigma0(a) + maj(a, b, c);
    w1 += smallSigma1(w15) + w10 + smallSigma0(w2);
    g += bigSigma1(d) + ch(d, e, f) + <u32>0x1e376c08 + w1; c += g; g += bigSigma0(h) + maj(h, a, b);
    w2 += smallSigma1(w0) + w11 + smallSigma0(w3);
    f += bigSigma1(c) + ch(c, d, e) + <u32>0x2748774c + w2; b += f; f += bigSigma0(g) + maj(g, h, a);
    w3 += smallSigma1(w1) + w12 + smallSigma0(w4);
    e += bigSigma1(b) + ch(b, c, d) + <u32>0x34b0bcb5 + w3; a += e; e += bigSigma0(f) + maj(f, g, h);
    w4 += smallSigma1(w2) + w13 + smallSigma0(w5);
    d += bigSigma1(a) + ch(a, b, c) + <u32>0x391c0cb3 + w4; h += d; d += bigSigma0(e) + maj(e, f, g);
    w5 += smallSigma1(w3) + w14 + smallSigma0(w6);
    c += bigSigma1(h) + ch(h, a, b) + <u32>0x4ed8aa4a + w5; g += c; c += bigSigma0(d) + maj(d, e, f);
    w6 += smallSigma1(w4) + w15 + smallSigma0(w7);
    b += bigSigma1(g) + ch(g, h, a) + <u32>0x5b9cca4f + w6; f += b; b += bigSigma0(c) + maj(c, d, e);
    w7 += smallSigma1(w5) + w0 + smallSigma0(w8);
    a += bigSigma1(f) + ch(f, g, h) + <u32>0x682e6ff3 + w7; e += a; a += bigSigma0(b) + maj(b, c, d);
    w8 += smallSigma1(w6) + w1 + smallSigma0(w9);
    h += bigSigma1(e) + ch(e, f, g) + <u32>0x748f82ee + w8; d += h; h += bigSigma0(a) + maj(a, b, c);
    w9 += smallSigma1(w7) + w2 + smallSigma0(w10);
    g += bigSigma1(d) + ch(d, e, f) + <u32>0x78a5636f + w9; c += g; g += bigSigma0(h) + maj(h, a, b);
    w10 += smallSigma1(w8) + w3 + smallSigma0(w11);
    f += bigSigma1(c) + ch(c, d, e) + <u32>0x84c87814 + w10; b += f; f += bigSigma0(g) + maj(g, h, a);
    w11 += smallSigma1(w9) + w4 + smallSigma0(w12);
    e += bigSigma1(b) + ch(b, c, d) + <u32>0x8cc70208 + w11; a += e; e += bigSigma0(f) + maj(f, g, h);
    w12 += smallSigma1(w10) + w5 + smallSigma0(w13);
    d += bigSigma1(a) + ch(a, b, c) + <u32>0x90befffa + w12; h += d; d += bigSigma0(e) + maj(e, f, g);
    w13 += smallSigma1(w11) + w6 + smallSigma0(w14);
    c += bigSigma1(h) + ch(h, a, b) + <u32>0xa4506ceb + w13; g += c; c += bigSigma0(d) + maj(d, e, f);
    w14 += smallSigma1(w12) + w7 + smallSigma0(w15);
    b += bigSigma1(g) + ch(g, h, a) + <u32>0xbef9a3f7 + w14; f += b; b += bigSigma0(c) + maj(c, d, e);
    w15 += smallSigma1(w13) + w8 + smallSigma0(w0);
    a += bigSigma1(f) + ch(f, g, h) + <u32>0xc67178f2 + w15; e += a; a += bigSigma0(b) + maj(b, c, d);
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
const ONE_SHOT: usize = memory.data(112, 8);

/** SHA-256 of `len` bytes at `inPtr` into 32 bytes at `outPtr`. Callers validate the spans. */
export function sha256Into(inPtr: usize, len: usize, outPtr: usize): void {
  sha256Start(ONE_SHOT);
  sha256Feed(ONE_SHOT, inPtr, len);
  sha256Finish(ONE_SHOT, outPtr);
}
