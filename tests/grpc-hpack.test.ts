// HPACK against the examples of RFC 7541 Appendix C (typed from the RFC), plus Huffman error cases.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HpackDecoder, encodeHeaders, type Header } from "../modules/grpc/hpack.js";
import { huffmanDecode } from "../modules/grpc/huffman.js";
import { Http2Error, H2ErrorCode } from "../modules/grpc/errors.js";

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));
const bytesOf = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));

function step(decoder: HpackDecoder, block: string, headers: Header[], table: Header[], size: number): void {
  const out = decoder.decode(hex(block));
  assert.equal(out.tooLarge, false);
  assert.deepEqual(out.headers, headers);
  assert.deepEqual(decoder.dynamicTable, table);
  assert.equal(decoder.dynamicTableSize, size);
}

test("C.2 header field representations", () => {
  step(new HpackDecoder(), "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
    [["custom-key", "custom-header"]], [["custom-key", "custom-header"]], 55);
  step(new HpackDecoder(), "040c 2f73 616d 706c 652f 7061 7468", [[":path", "/sample/path"]], [], 0);
  step(new HpackDecoder(), "1008 7061 7373 776f 7264 0673 6563 7265 74", [["password", "secret"]], [], 0);
  step(new HpackDecoder(), "82", [[":method", "GET"]], [], 0);
});

const request1: Header[] = [[":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"]];
const request2: Header[] = [...request1, ["cache-control", "no-cache"]];
const request3: Header[] = [[":method", "GET"], [":scheme", "https"], [":path", "/index.html"], [":authority", "www.example.com"], ["custom-key", "custom-value"]];
const table1: Header[] = [[":authority", "www.example.com"]];
const table2: Header[] = [["cache-control", "no-cache"], ...table1];
const table3: Header[] = [["custom-key", "custom-value"], ...table2];

test("C.3 requests without Huffman coding", () => {
  const d = new HpackDecoder();
  step(d, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", request1, table1, 57);
  step(d, "8286 84be 5808 6e6f 2d63 6163 6865", request2, table2, 110);
  step(d, "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65", request3, table3, 164);
});

test("C.4 requests with Huffman coding", () => {
  const d = new HpackDecoder();
  step(d, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", request1, table1, 57);
  step(d, "8286 84be 5886 a8eb 1064 9cbf", request2, table2, 110);
  step(d, "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", request3, table3, 164);
});

const date1 = "Mon, 21 Oct 2013 20:13:21 GMT";
const date2 = "Mon, 21 Oct 2013 20:13:22 GMT";
const loc = "https://www.example.com";
const cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
const response1: Header[] = [[":status", "302"], ["cache-control", "private"], ["date", date1], ["location", loc]];
const response2: Header[] = [[":status", "307"], ["cache-control", "private"], ["date", date1], ["location", loc]];
const response3: Header[] = [[":status", "200"], ["cache-control", "private"], ["date", date2], ["location", loc], ["content-encoding", "gzip"], ["set-cookie", cookie]];
const rtable1: Header[] = [["location", loc], ["date", date1], ["cache-control", "private"], [":status", "302"]];
const rtable2: Header[] = [[":status", "307"], ["location", loc], ["date", date1], ["cache-control", "private"]];
const rtable3: Header[] = [["set-cookie", cookie], ["content-encoding", "gzip"], ["date", date2]];

test("C.5 responses without Huffman coding, 256-byte table with evictions", () => {
  const d = new HpackDecoder(256);
  step(d, `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133
    3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d`, response1, rtable1, 222);
  step(d, "4803 3330 37c1 c0bf", response2, rtable2, 222);
  step(d, `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a
    6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178
    2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31`, response3, rtable3, 215);
});

test("C.6 responses with Huffman coding, 256-byte table with evictions", () => {
  const d = new HpackDecoder(256);
  step(d, `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d
    29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3`, response1, rtable1, 222);
  step(d, "4883 640e ffc1 c0bf", response2, rtable2, 222);
  step(d, `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d
    d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
    response3, rtable3, 215);
});

test("Huffman strings of the RFC decode alone", () => {
  assert.deepEqual(huffmanDecode(hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff")), bytesOf("www.example.com"));
  assert.deepEqual(huffmanDecode(hex("a8eb 1064 9cbf")), bytesOf("no-cache"));
  assert.deepEqual(huffmanDecode(hex("6402")), bytesOf("302"));
  assert.deepEqual(huffmanDecode(new Uint8Array(0)), new Uint8Array(0));
});

function assertCode(fn: () => unknown, code: number): void {
  assert.throws(fn, (e: unknown) => e instanceof Http2Error && e.code === code);
}

test("Huffman errors: EOS inside, padding over 7 bits, padding not ones", () => {
  assertCode(() => huffmanDecode(hex("ffffffff")), H2ErrorCode.COMPRESSION_ERROR); // 30 ones = EOS
  assertCode(() => huffmanDecode(hex("ff")), H2ErrorCode.COMPRESSION_ERROR); // 8 bits of padding
  assertCode(() => huffmanDecode(hex("00")), H2ErrorCode.COMPRESSION_ERROR); // '0' (00000) then 000 padding
  assertCode(() => huffmanDecode(hex("64")), H2ErrorCode.COMPRESSION_ERROR); // '3' (011001) then 00 padding
});

test("HPACK decoder errors are COMPRESSION_ERROR, never a crash", () => {
  assertCode(() => new HpackDecoder().decode(hex("80")), H2ErrorCode.COMPRESSION_ERROR); // index 0
  assertCode(() => new HpackDecoder().decode(hex("be")), H2ErrorCode.COMPRESSION_ERROR); // empty dynamic table
  assertCode(() => new HpackDecoder().decode(hex("400a6375")), H2ErrorCode.COMPRESSION_ERROR); // truncated string
  assertCode(() => new HpackDecoder().decode(hex("ff80808080808001")), H2ErrorCode.COMPRESSION_ERROR); // huge integer
  assertCode(() => new HpackDecoder(4096).decode(hex("3fe21f")), H2ErrorCode.COMPRESSION_ERROR); // size update 4097 > 4096
  assertCode(() => new HpackDecoder().decode(hex("82 20")), H2ErrorCode.COMPRESSION_ERROR); // size update after a field
  // Random blocks: each either decodes or throws Http2Error.
  for (let i = 0; i < 3000; i++) {
    const block = new Uint8Array(Buffer.from(Array.from({ length: i % 40 }, () => (Math.random() * 256) | 0)));
    try {
      new HpackDecoder().decode(block);
    } catch (e) {
      assert.ok(e instanceof Http2Error, String(e));
    }
  }
});

test("a size update to 0 empties the dynamic table", () => {
  const d = new HpackDecoder();
  d.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
  assert.equal(d.dynamicTableSize, 55);
  d.decode(hex("20"));
  assert.equal(d.dynamicTableSize, 0);
  assert.deepEqual(d.dynamicTable, []);
});

test("header lists over the limit are flagged, and the table stays in step", () => {
  const d = new HpackDecoder(4096, 60);
  const out = d.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572 be"));
  assert.equal(out.tooLarge, true);
  assert.equal(d.dynamicTableSize, 55);
});

test("our literal encoding decodes to the same list (checked with the RFC-verified decoder)", () => {
  const headers: Header[] = [[":method", "POST"], [":path", "/helium.packet_router.packet/route"], ["te", "trailers"], ["x-long", "v".repeat(300)]];
  const block = encodeHeaders(headers);
  // 0x00-0x1f first bytes only: literal without indexing, so the encoder never touches the peer's table.
  const d = new HpackDecoder();
  assert.deepEqual(d.decode(block).headers, headers);
  assert.equal(d.dynamicTableSize, 0);
});
