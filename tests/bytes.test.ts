import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { fromBase64, fromHex, toBase64, toHex, utf8Decode, utf8Encode, EncodingError } from "../modules/util/bytes.js";

test("hex and base64 agree with Node's Buffer on random inputs", () => {
  for (let i = 0; i < 500; i++) {
    const bytes = new Uint8Array(randomBytes(i % 67));
    assert.equal(toHex(bytes), Buffer.from(bytes).toString("hex"));
    assert.equal(toBase64(bytes), Buffer.from(bytes).toString("base64"));
    assert.deepEqual(fromHex(Buffer.from(bytes).toString("hex")), bytes);
    assert.deepEqual(fromBase64(Buffer.from(bytes).toString("base64")), bytes);
    assert.deepEqual(fromBase64(Buffer.from(bytes).toString("base64url")), bytes);
  }
});

test("utf8 agrees with TextEncoder/TextDecoder", () => {
  const samples = ["", "abc", "héllo", "日本語", "🙂 emoji", "\ud800 lone"];
  for (const s of samples) {
    assert.deepEqual(utf8Encode(s), new TextEncoder().encode(s));
    assert.equal(utf8Decode(new TextEncoder().encode(s)), new TextDecoder().decode(new TextEncoder().encode(s)));
  }
  for (let i = 0; i < 500; i++) {
    const bytes = new Uint8Array(randomBytes(i % 40));
    assert.equal(utf8Decode(bytes), new TextDecoder().decode(bytes));
  }
});

test("bad hex and base64 are typed errors", () => {
  assert.throws(() => fromHex("abc"), EncodingError);
  assert.throws(() => fromHex("zz"), EncodingError);
  assert.throws(() => fromBase64("a"), EncodingError);
  assert.throws(() => fromBase64("ab$d"), EncodingError);
});
