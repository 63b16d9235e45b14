// SHA-256 and SHA-512 against the FIPS 180-2 / 180-4 example messages (expected digests typed
// from the standard's examples), one-shot and streamed in uneven pieces.
import {
  sha256, sha256_init, sha256_update, sha256_final,
  sha512, sha512_init, sha512_update, sha512_final,
} from "../crypto/exports";
import { sha256Into } from "../crypto/sha256";
import { ERR_BAD_LENGTH } from "../errors";

const MSG_448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const MSG_896 =
  "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

function ascii(s: string): StaticArray<u8> {
  const out = new StaticArray<u8>(s.length);
  for (let i = 0; i < s.length; i++) out[i] = <u8>s.charCodeAt(i);
  return out;
}

function ptr(a: StaticArray<u8>): usize {
  return changetype<usize>(a);
}

function hex(p: usize, len: i32): string {
  const digits = "0123456789abcdef";
  let s = "";
  for (let i = 0; i < len; i++) {
    const b = load<u8>(p + <usize>i);
    s += digits.charAt(b >> 4) + digits.charAt(b & 15);
  }
  return s;
}

const out = new StaticArray<u8>(64);

function oneShot256(msg: string): string {
  const m = ascii(msg);
  expect<i32>(sha256(ptr(m), m.length, ptr(out))).toBe(32);
  return hex(ptr(out), 32);
}

function oneShot512(msg: string): string {
  const m = ascii(msg);
  expect<i32>(sha512(ptr(m), m.length, ptr(out))).toBe(64);
  return hex(ptr(out), 64);
}

/** Streams `msg` in pieces of 1, 2, 3, ... bytes (cycling up to `maxPiece`). */
function streamed(msg: string, maxPiece: i32, wide: bool): string {
  const m = ascii(msg);
  if (wide) sha512_init();
  else sha256_init();
  let at = 0;
  let piece = 1;
  while (at < m.length) {
    const n = min(piece, m.length - at);
    const rc = wide ? sha512_update(ptr(m) + <usize>at, n) : sha256_update(ptr(m) + <usize>at, n);
    expect<i32>(rc).toBe(0);
    at += n;
    piece = piece % maxPiece + 1;
  }
  if (wide) {
    expect<i32>(sha512_final(ptr(out))).toBe(64);
    return hex(ptr(out), 64);
  }
  expect<i32>(sha256_final(ptr(out))).toBe(32);
  return hex(ptr(out), 32);
}

/** One million 'a' bytes, streamed as 1000 pieces of 1000. */
function millionA(wide: bool): string {
  const chunk = new StaticArray<u8>(1000);
  for (let i = 0; i < 1000; i++) chunk[i] = 0x61;
  if (wide) sha512_init();
  else sha256_init();
  for (let i = 0; i < 1000; i++) {
    if (wide) sha512_update(ptr(chunk), 1000);
    else sha256_update(ptr(chunk), 1000);
  }
  if (wide) {
    sha512_final(ptr(out));
    return hex(ptr(out), 64);
  }
  sha256_final(ptr(out));
  return hex(ptr(out), 32);
}

describe("SHA-256 (FIPS 180-4 examples)", () => {
  it("hashes 'abc'", () => {
    expect<string>(oneShot256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
  it("hashes the empty message", () => {
    expect<string>(oneShot256("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
  it("hashes the 448-bit message", () => {
    expect<string>(oneShot256(MSG_448)).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  });
  it("hashes the 896-bit message", () => {
    expect<string>(oneShot256(MSG_896)).toBe("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  });
  it("hashes one million 'a' (streamed)", () => {
    expect<string>(millionA(false)).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });
  it("gives the same digests when streamed in uneven pieces", () => {
    expect<string>(streamed("abc", 2, false)).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect<string>(streamed(MSG_448, 7, false)).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    expect<string>(streamed(MSG_896, 65, false)).toBe("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  });
  it("serves other core modules through sha256Into", () => {
    const m = ascii(MSG_896);
    sha256Into(ptr(m), m.length, ptr(out));
    expect<string>(hex(ptr(out), 32)).toBe("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  });
  it("rejects spans outside linear memory", () => {
    const end = (<usize>memory.size()) << 16;
    expect<i32>(sha256(end - 10, 11, ptr(out))).toBe(ERR_BAD_LENGTH);
    expect<i32>(sha256(ptr(out), 0, end - 31)).toBe(ERR_BAD_LENGTH);
    expect<i32>(sha256_update(end, 1)).toBe(ERR_BAD_LENGTH);
    expect<i32>(sha256_final(end - 16)).toBe(ERR_BAD_LENGTH);
  });
});

describe("SHA-512 (FIPS 180-4 examples)", () => {
  it("hashes 'abc'", () => {
    expect<string>(oneShot512("abc")).toBe(
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    );
  });
  it("hashes the empty message", () => {
    expect<string>(oneShot512("")).toBe(
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
    );
  });
  it("hashes the 448-bit message", () => {
    expect<string>(oneShot512(MSG_448)).toBe(
      "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445",
    );
  });
  it("hashes the 896-bit message", () => {
    expect<string>(oneShot512(MSG_896)).toBe(
      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
    );
  });
  it("hashes one million 'a' (streamed)", () => {
    expect<string>(millionA(true)).toBe(
      "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b",
    );
  });
  it("gives the same digests when streamed in uneven pieces", () => {
    expect<string>(streamed(MSG_896, 129, true)).toBe(
      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
    );
    expect<string>(streamed(MSG_448, 3, true)).toBe(
      "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445",
    );
  });
  it("rejects spans outside linear memory", () => {
    const end = (<usize>memory.size()) << 16;
    expect<i32>(sha512(end - 10, 11, ptr(out))).toBe(ERR_BAD_LENGTH);
    expect<i32>(sha512(ptr(out), 0, end - 63)).toBe(ERR_BAD_LENGTH);
    expect<i32>(sha512_update(end, 1)).toBe(ERR_BAD_LENGTH);
    expect<i32>(sha512_final(end - 32)).toBe(ERR_BAD_LENGTH);
  });
});
