// SHA-512 (FIPS 180-4), allocation-free; the same structure as sha256.ts on 64-bit words:
// a fully unrolled compression loop with the working variables and the 16-word schedule in
// locals, rounds naming a..h in rotated order, and Maj through the previous round's a ^ b.
// Ed25519 hashes through its own contexts; the exports stream through another.

// Context layout: state words | pending partial block | total byte count | pending byte count.
const CTX_STATE: usize = 0;
const CTX_BLOCK: usize = 64;
const CTX_TOTAL: usize = 192;
const CTX_PENDING: usize = 200;
/** Bytes a SHA-512 context needs. */
export const SHA512_CONTEXT_SIZE: i32 = 208;

@inline function rotr64(x: u64, n: u64): u64 {
  return rotr<u64>(x, n);
}
// The big sigmas as nested rotations: same value, fewer register copies on two-operand CPUs.
@inline function bigSigma0(x: u64): u64 {
  return rotr64(x ^ rotr64(x ^ rotr64(x, 5), 6), 28);
}
@inline function bigSigma1(x: u64): u64 {
  return rotr64(x ^ rotr64(x ^ rotr64(x, 23), 4), 14);
}
@inline function smallSigma0(x: u64): u64 {
  return rotr64(x, 1) ^ rotr64(x, 8) ^ (x >>> 7);
}
@inline function smallSigma1(x: u64): u64 {
  return rotr64(x, 19) ^ rotr64(x, 61) ^ (x >>> 6);
}
@inline function ch(e: u64, f: u64, g: u64): u64 {
  return g ^ (e & (f ^ g));
}
@inline function word(p: usize, offset: usize): u64 {
  return bswap<u64>(load<u64>(p + offset));
}

/** Runs the compression function over `blocks` consecutive 128-byte blocks at `data`. */
function compress(state: usize, data: usize, blocks: usize): void {
  for (; blocks > 0; blocks--, data += 128) {
    let a = load<u64>(state, 0), b = load<u64>(state, 8), c = load<u64>(state, 16), d = load<u64>(state, 24);
    let e = load<u64>(state, 32), f = load<u64>(state, 40), g = load<u64>(state, 48), h = load<u64>(state, 56);
    let w0 = word(data, 0), w1 = word(data, 8), w2 = word(data, 16), w3 = word(data, 24);
    let w4 = word(data, 32), w5 = word(data, 40), w6 = word(data, 48), w7 = word(data, 56);
    let w8 = word(data, 64), w9 = word(data, 72), w10 = word(data, 80), w11 = word(data, 88);
    let w12 = word(data, 96), w13 = word(data, 104), w14 = word(data, 112), w15 = word(data, 120);
    let ab0: u64 = 0, ab1 = b ^ c;
    h += <u64>0x428a2f98d728ae22 + w0 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    g += <u64>0x7137449123ef65cd + w1 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    f += <u64>0xb5c0fbcfec4d3b2f + w2 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    e += <u64>0xe9b5dba58189dbbc + w3 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    d += <u64>0x3956c25bf348b538 + w4 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    c += <u64>0x59f111f1b605d019 + w5 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    b += <u64>0x923f82a4af194f9b + w6 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    a += <u64>0xab1c5ed5da6d8118 + w7 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    h += <u64>0xd807aa98a3030242 + w8 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    g += <u64>0x12835b0145706fbe + w9 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    f += <u64>0x243185be4ee4b28c + w10 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    e += <u64>0x550c7dc3d5ffb4e2 + w11 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    d += <u64>0x72be5d74f27b896f + w12 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    c += <u64>0x80deb1fe3b1696b1 + w13 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    b += <u64>0x9bdc06a725c71235 + w14 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    a += <u64>0xc19bf174cf692694 + w15 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    w0 += smallSigma1(w14) + w9 + smallSigma0(w1);
    h += <u64>0xe49b69c19ef14ad2 + w0 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    w1 += smallSigma1(w15) + w10 + smallSigma0(w2);
    g += <u64>0xefbe4786384f25e3 + w1 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    w2 += smallSigma1(w0) + w11 + smallSigma0(w3);
    f += <u64>0x0fc19dc68b8cd5b5 + w2 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    w3 += smallSigma1(w1) + w12 + smallSigma0(w4);
    e += <u64>0x240ca1cc77ac9c65 + w3 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    w4 += smallSigma1(w2) + w13 + smallSigma0(w5);
    d += <u64>0x2de92c6f592b0275 + w4 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    w5 += smallSigma1(w3) + w14 + smallSigma0(w6);
    c += <u64>0x4a7484aa6ea6e483 + w5 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    w6 += smallSigma1(w4) + w15 + smallSigma0(w7);
    b += <u64>0x5cb0a9dcbd41fbd4 + w6 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    w7 += smallSigma1(w5) + w0 + smallSigma0(w8);
    a += <u64>0x76f988da831153b5 + w7 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    w8 += smallSigma1(w6) + w1 + smallSigma0(w9);
    h += <u64>0x983e5152ee66dfab + w8 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    w9 += smallSigma1(w7) + w2 + smallSigma0(w10);
    g += <u64>0xa831c66d2db43210 + w9 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    w10 += smallSigma1(w8) + w3 + smallSigma0(w11);
    f += <u64>0xb00327c898fb213f + w10 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    w11 += smallSigma1(w9) + w4 + smallSigma0(w12);
    e += <u64>0xbf597fc7beef0ee4 + w11 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    w12 += smallSigma1(w10) + w5 + smallSigma0(w13);
    d += <u64>0xc6e00bf33da88fc2 + w12 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    w13 += smallSigma1(w11) + w6 + smallSigma0(w14);
    c += <u64>0xd5a79147930aa725 + w13 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    w14 += smallSigma1(w12) + w7 + smallSigma0(w15);
    b += <u64>0x06ca6351e003826f + w14 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    w15 += smallSigma1(w13) + w8 + smallSigma0(w0);
    a += <u64>0x142929670a0e6e70 + w15 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    w0 += smallSigma1(w14) + w9 + smallSigma0(w1);
    h += <u64>0x27b70a8546d22ffc + w0 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    w1 += smallSigma1(w15) + w10 + smallSigma0(w2);
    g += <u64>0x2e1b21385c26c926 + w1 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    w2 += smallSigma1(w0) + w11 + smallSigma0(w3);
    f += <u64>0x4d2c6dfc5ac42aed + w2 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    w3 += smallSigma1(w1) + w12 + smallSigma0(w4);
    e += <u64>0x53380d139d95b3df + w3 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    w4 += smallSigma1(w2) + w13 + smallSigma0(w5);
    d += <u64>0x650a73548baf63de + w4 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    w5 += smallSigma1(w3) + w14 + smallSigma0(w6);
    c += <u64>0x766a0abb3c77b2a8 + w5 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    w6 += smallSigma1(w4) + w15 + smallSigma0(w7);
    b += <u64>0x81c2c92e47edaee6 + w6 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    w7 += smallSigma1(w5) + w0 + smallSigma0(w8);
    a += <u64>0x92722c851482353b + w7 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    w8 += smallSigma1(w6) + w1 + smallSigma0(w9);
    h += <u64>0xa2bfe8a14cf10364 + w8 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    w9 += smallSigma1(w7) + w2 + smallSigma0(w10);
    g += <u64>0xa81a664bbc423001 + w9 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    w10 += smallSigma1(w8) + w3 + smallSigma0(w11);
    f += <u64>0xc24b8b70d0f89791 + w10 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    w11 += smallSigma1(w9) + w4 + smallSigma0(w12);
    e += <u64>0xc76c51a30654be30 + w11 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    w12 += smallSigma1(w10) + w5 + smallSigma0(w13);
    d += <u64>0xd192e819d6ef5218 + w12 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    w13 += smallSigma1(w11) + w6 + smallSigma0(w14);
    c += <u64>0xd69906245565a910 + w13 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    w14 += smallSigma1(w12) + w7 + smallSigma0(w15);
    b += <u64>0xf40e35855771202a + w14 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    w15 += smallSigma1(w13) + w8 + smallSigma0(w0);
    a += <u64>0x106aa07032bbd1b8 + w15 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    w0 += smallSigma1(w14) + w9 + smallSigma0(w1);
    h += <u64>0x19a4c116b8d2d0c8 + w0 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    w1 += smallSigma1(w15) + w10 + smallSigma0(w2);
    g += <u64>0x1e376c085141ab53 + w1 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    w2 += smallSigma1(w0) + w11 + smallSigma0(w3);
    f += <u64>0x2748774cdf8eeb99 + w2 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    w3 += smallSigma1(w1) + w12 + smallSigma0(w4);
    e += <u64>0x34b0bcb5e19b48a8 + w3 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    w4 += smallSigma1(w2) + w13 + smallSigma0(w5);
    d += <u64>0x391c0cb3c5c95a63 + w4 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    w5 += smallSigma1(w3) + w14 + smallSigma0(w6);
    c += <u64>0x4ed8aa4ae3418acb + w5 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    w6 += smallSigma1(w4) + w15 + smallSigma0(w7);
    b += <u64>0x5b9cca4f7763e373 + w6 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    w7 += smallSigma1(w5) + w0 + smallSigma0(w8);
    a += <u64>0x682e6ff3d6b2b8a3 + w7 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    w8 += smallSigma1(w6) + w1 + smallSigma0(w9);
    h += <u64>0x748f82ee5defb2fc + w8 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    w9 += smallSigma1(w7) + w2 + smallSigma0(w10);
    g += <u64>0x78a5636f43172f60 + w9 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    w10 += smallSigma1(w8) + w3 + smallSigma0(w11);
    f += <u64>0x84c87814a1f0ab72 + w10 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    w11 += smallSigma1(w9) + w4 + smallSigma0(w12);
    e += <u64>0x8cc702081a6439ec + w11 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    w12 += smallSigma1(w10) + w5 + smallSigma0(w13);
    d += <u64>0x90befffa23631e28 + w12 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    w13 += smallSigma1(w11) + w6 + smallSigma0(w14);
    c += <u64>0xa4506cebde82bde9 + w13 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    w14 += smallSigma1(w12) + w7 + smallSigma0(w15);
    b += <u64>0xbef9a3f7b2c67915 + w14 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    w15 += smallSigma1(w13) + w8 + smallSigma0(w0);
    a += <u64>0xc67178f2e372532b + w15 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    w0 += smallSigma1(w14) + w9 + smallSigma0(w1);
    h += <u64>0xca273eceea26619c + w0 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    w1 += smallSigma1(w15) + w10 + smallSigma0(w2);
    g += <u64>0xd186b8c721c0c207 + w1 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    w2 += smallSigma1(w0) + w11 + smallSigma0(w3);
    f += <u64>0xeada7dd6cde0eb1e + w2 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    w3 += smallSigma1(w1) + w12 + smallSigma0(w4);
    e += <u64>0xf57d4f7fee6ed178 + w3 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    w4 += smallSigma1(w2) + w13 + smallSigma0(w5);
    d += <u64>0x06f067aa72176fba + w4 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    w5 += smallSigma1(w3) + w14 + smallSigma0(w6);
    c += <u64>0x0a637dc5a2c898a6 + w5 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    w6 += smallSigma1(w4) + w15 + smallSigma0(w7);
    b += <u64>0x113f9804bef90dae + w6 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    w7 += smallSigma1(w5) + w0 + smallSigma0(w8);
    a += <u64>0x1b710b35131c471b + w7 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    w8 += smallSigma1(w6) + w1 + smallSigma0(w9);
    h += <u64>0x28db77f523047d84 + w8 + ch(e, f, g) + bigSigma1(e); d += h; ab0 = a ^ b; h += (b ^ (ab0 & ab1)) + bigSigma0(a);
    w9 += smallSigma1(w7) + w2 + smallSigma0(w10);
    g += <u64>0x32caab7b40c72493 + w9 + ch(d, e, f) + bigSigma1(d); c += g; ab1 = h ^ a; g += (a ^ (ab1 & ab0)) + bigSigma0(h);
    w10 += smallSigma1(w8) + w3 + smallSigma0(w11);
    f += <u64>0x3c9ebe0a15c9bebc + w10 + ch(c, d, e) + bigSigma1(c); b += f; ab0 = g ^ h; f += (h ^ (ab0 & ab1)) + bigSigma0(g);
    w11 += smallSigma1(w9) + w4 + smallSigma0(w12);
    e += <u64>0x431d67c49c100d4c + w11 + ch(b, c, d) + bigSigma1(b); a += e; ab1 = f ^ g; e += (g ^ (ab1 & ab0)) + bigSigma0(f);
    w12 += smallSigma1(w10) + w5 + smallSigma0(w13);
    d += <u64>0x4cc5d4becb3e42b6 + w12 + ch(a, b, c) + bigSigma1(a); h += d; ab0 = e ^ f; d += (f ^ (ab0 & ab1)) + bigSigma0(e);
    w13 += smallSigma1(w11) + w6 + smallSigma0(w14);
    c += <u64>0x597f299cfc657e2a + w13 + ch(h, a, b) + bigSigma1(h); g += c; ab1 = d ^ e; c += (e ^ (ab1 & ab0)) + bigSigma0(d);
    w14 += smallSigma1(w12) + w7 + smallSigma0(w15);
    b += <u64>0x5fcb6fab3ad6faec + w14 + ch(g, h, a) + bigSigma1(g); f += b; ab0 = c ^ d; b += (d ^ (ab0 & ab1)) + bigSigma0(c);
    w15 += smallSigma1(w13) + w8 + smallSigma0(w0);
    a += <u64>0x6c44198c4a475817 + w15 + ch(f, g, h) + bigSigma1(f); e += a; ab1 = b ^ c; a += (c ^ (ab1 & ab0)) + bigSigma0(b);
    store<u64>(state, load<u64>(state, 0) + a, 0);
    store<u64>(state, load<u64>(state, 8) + b, 8);
    store<u64>(state, load<u64>(state, 16) + c, 16);
    store<u64>(state, load<u64>(state, 24) + d, 24);
    store<u64>(state, load<u64>(state, 32) + e, 32);
    store<u64>(state, load<u64>(state, 40) + f, 40);
    store<u64>(state, load<u64>(state, 48) + g, 48);
    store<u64>(state, load<u64>(state, 56) + h, 56);
  }
}

/** Starts a new hash in the context at `ctx`. */
export function sha512Start(ctx: usize): void {
  store<u64>(ctx, 0x6a09e667f3bcc908, CTX_STATE + 0);
  store<u64>(ctx, 0xbb67ae8584caa73b, CTX_STATE + 8);
  store<u64>(ctx, 0x3c6ef372fe94f82b, CTX_STATE + 16);
  store<u64>(ctx, 0xa54ff53a5f1d36f1, CTX_STATE + 24);
  store<u64>(ctx, 0x510e527fade682d1, CTX_STATE + 32);
  store<u64>(ctx, 0x9b05688c2b3e6c1f, CTX_STATE + 40);
  store<u64>(ctx, 0x1f83d9abfb41bd6b, CTX_STATE + 48);
  store<u64>(ctx, 0x5be0cd19137e2179, CTX_STATE + 56);
  store<u64>(ctx, 0, CTX_TOTAL);
  store<u32>(ctx, 0, CTX_PENDING);
}

/** Absorbs `len` bytes at `ptr`. Whole blocks are compressed straight from the input. */
export function sha512Feed(ctx: usize, ptr: usize, len: usize): void {
  store<u64>(ctx, load<u64>(ctx, CTX_TOTAL) + <u64>len, CTX_TOTAL);
  let pending = <usize>load<u32>(ctx, CTX_PENDING);
  if (pending > 0) {
    const take = min<usize>(128 - pending, len);
    memory.copy(ctx + CTX_BLOCK + pending, ptr, take);
    pending += take;
    ptr += take;
    len -= take;
    if (pending < 128) {
      store<u32>(ctx, <u32>pending, CTX_PENDING);
      return;
    }
    compress(ctx + CTX_STATE, ctx + CTX_BLOCK, 1);
  }
  const whole = len >>> 7;
  compress(ctx + CTX_STATE, ptr, whole);
  const rest = len & 127;
  memory.copy(ctx + CTX_BLOCK, ptr + (whole << 7), rest);
  store<u32>(ctx, <u32>rest, CTX_PENDING);
}

/** Pads, writes the 64-byte digest to `out` and leaves the context to be restarted. */
export function sha512Finish(ctx: usize, out: usize): void {
  const block = ctx + CTX_BLOCK;
  let pending = <usize>load<u32>(ctx, CTX_PENDING);
  const total = load<u64>(ctx, CTX_TOTAL);
  store<u8>(block + pending, 0x80);
  pending++;
  if (pending > 112) {
    memory.fill(block + pending, 0, 128 - pending);
    compress(ctx + CTX_STATE, block, 1);
    pending = 0;
  }
  memory.fill(block + pending, 0, 112 - pending);
  // The 128-bit message length in bits, big-endian.
  store<u64>(block, bswap<u64>(total >>> 61), 112);
  store<u64>(block, bswap<u64>(total << 3), 120);
  compress(ctx + CTX_STATE, block, 1);
  for (let i: usize = 0; i < 64; i += 8) store<u64>(out + i, bswap<u64>(load<u64>(ctx + CTX_STATE + i)));
}
