// modules/util/bytes.ts on XS, whose strings differ from V8's (CESU-8 here, UTF-8 code points on
// the device). Expected values: RFC 4648 section 10 (base64) and the UTF-8 encodings of the code
// points (RFC 3629), not our own output.
import { test } from "./harness.js";
import { equal, equalBytes, throws } from "./assert.js";
import { fromBase64, fromHex, toBase64, toHex, utf8Decode, utf8Encode } from "../../modules/util/bytes.js";

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

test("base64: the RFC 4648 vectors", () => {
  const vectors: [string, string][] = [["", ""], ["f", "Zg=="], ["fo", "Zm8="], ["foo", "Zm9v"], ["foob", "Zm9vYg=="], ["fooba", "Zm9vYmE="], ["foobar", "Zm9vYmFy"]];
  for (const [plain, encoded] of vectors) {
    equal(toBase64(ascii(plain)), encoded);
    equalBytes(fromBase64(encoded), ascii(plain));
  }
  equalBytes(fromBase64("-_8"), Uint8Array.of(0xfb, 0xff), "URL-safe alphabet");
  throws(() => fromBase64("a"), /EncodingError/);
});

test("hex round-trips every byte value", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const hex = toHex(all);
  equal(hex.slice(0, 8), "00010203");
  equal(hex.slice(-4), "feff");
  equalBytes(fromHex(hex.toUpperCase()), all);
  throws(() => fromHex("0g"), /EncodingError/);
});

test("utf8: 1- to 4-byte code points and lone surrogates", () => {
  equalBytes(utf8Encode("A\u00e9\u65e5"), Uint8Array.of(0x41, 0xc3, 0xa9, 0xe6, 0x97, 0xa5));
  equalBytes(utf8Encode("\u{1F642}"), Uint8Array.of(0xf0, 0x9f, 0x99, 0x82));
  equalBytes(utf8Encode("\ud800"), Uint8Array.of(0xef, 0xbf, 0xbd));
  equal(utf8Decode(Uint8Array.of(0xf0, 0x9f, 0x99, 0x82)), "\u{1F642}");
  equal(utf8Decode(Uint8Array.of(0xc3, 0x28)), "\ufffd(");
  equal(utf8Decode(Uint8Array.of(0xed, 0xa0, 0x80)), "\ufffd\ufffd\ufffd");
});
