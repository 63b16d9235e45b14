// RFC 1321 appendix A.5 test suite.
import { md5Into } from "../md5/md5";
import { md5 } from "../md5/exports";
import { ERR_BAD_LENGTH } from "../errors";

function hex(ptr: usize, len: i32): string {
  let s = "";
  for (let i = 0; i < len; i++) {
    const b = load<u8>(ptr + i);
    s += (b < 16 ? "0" : "") + b.toString(16);
  }
  return s;
}

function md5Hex(text: string): string {
  const bytes = String.UTF8.encode(text);
  const out = new StaticArray<u8>(16);
  md5Into(changetype<usize>(bytes), bytes.byteLength, changetype<usize>(out));
  return hex(changetype<usize>(out), 16);
}

describe("MD5 (RFC 1321 A.5)", () => {
  it("matches the test suite", () => {
    expect<string>(md5Hex("")).toBe("d41d8cd98f00b204e9800998ecf8427e");
    expect<string>(md5Hex("a")).toBe("0cc175b9c0f1b6a831c399e269772661");
    expect<string>(md5Hex("abc")).toBe("900150983cd24fb0d6963f7d28e17f72");
    expect<string>(md5Hex("message digest")).toBe("f96b697d7cb7938d525a2f31aaf161d0");
    expect<string>(md5Hex("abcdefghijklmnopqrstuvwxyz")).toBe("c3fcd3d76192e4007dfb496cca67e13b");
    expect<string>(md5Hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")).toBe("d174ab98d277d9f5a5611c2c9f419d9f");
    expect<string>(md5Hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890")).toBe("57edf4a22be3c955ac49da2e2107b67a");
  });

  it("rejects regions outside memory", () => {
    const out = new StaticArray<u8>(16);
    expect<i32>(md5(<usize>(memory.size() << 16) - 4, 5, changetype<usize>(out))).toBe(ERR_BAD_LENGTH);
    expect<i32>(md5(0, 0, <usize>(memory.size() << 16) - 15)).toBe(ERR_BAD_LENGTH);
    expect<i32>(md5(0, 0, changetype<usize>(out))).toBe(16);
  });
});
