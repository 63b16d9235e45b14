// Framing, gRPC message reassembly, status helpers and gateway-rs backoff, against hand-made bytes
// and numbers worked out from the RFC / gRPC spec / helium-protocol.md 4.7.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FrameReader, encodeFrame, frameContent, FrameType, FrameFlag } from "../modules/grpc/frames.js";
import { Http2Error, H2ErrorCode } from "../modules/grpc/errors.js";
import { MessageDeframer, frameMessage } from "../modules/grpc/message.js";
import { GrpcError, GrpcStatus, percentDecode, statusFromHttp, statusFromReset } from "../modules/grpc/status.js";
import { backoffDelay, CONDUIT_BACKOFF, REGION_BACKOFF, Reconnect } from "../modules/grpc/backoff.js";
import { formatTimeout } from "../modules/grpc/call.js";
import { parseGrpcUri } from "../modules/grpc/channel.js";

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));

test("frames are encoded with a 9-byte header (RFC 9113 4.1)", () => {
  assert.deepEqual(encodeFrame(FrameType.PING, FrameFlag.ACK, 0, hex("0102030405060708")), hex("000008 06 01 00000000 0102030405060708"));
  assert.deepEqual(encodeFrame(FrameType.DATA, 1, 0x7fffffff, hex("aa")), hex("000001 00 01 7fffffff aa"));
});

test("the frame reader reassembles frames split at every byte and ignores the reserved bit", () => {
  const wire = hex("000003 01 04 80000003 828684  000000 04 01 00000000");
  for (let cut = 0; cut <= wire.length; cut++) {
    const r = new FrameReader();
    r.push(wire.subarray(0, cut));
    const frames = [];
    for (let f = r.next(); f; f = r.next()) frames.push(f);
    r.push(wire.subarray(cut));
    for (let f = r.next(); f; f = r.next()) frames.push(f);
    assert.equal(frames.length, 2);
    assert.deepEqual(frames[0], { type: 1, flags: 4, streamId: 3, payload: hex("828684") });
    assert.deepEqual(frames[1], { type: 4, flags: 1, streamId: 0, payload: new Uint8Array(0) });
    assert.equal(r.bufferedBytes, 0);
  }
});

test("a frame over the advertised size is FRAME_SIZE_ERROR before its payload is buffered", () => {
  const r = new FrameReader(16384);
  r.push(hex("004001 00 00 00000001"));
  assert.throws(() => r.next(), (e: unknown) => e instanceof Http2Error && e.code === H2ErrorCode.FRAME_SIZE_ERROR);
  // "HTTP/1.1 400" read as a frame header announces 0x485454 bytes.
  const h1 = new FrameReader();
  h1.push(new Uint8Array(Buffer.from("HTTP/1.1 400 Bad Request\r\n\r\n")));
  assert.throws(() => h1.next(), (e: unknown) => e instanceof Http2Error && e.code === H2ErrorCode.FRAME_SIZE_ERROR);
});

test("padding and priority are stripped; bad padding is PROTOCOL_ERROR", () => {
  const padded = { type: FrameType.DATA, flags: FrameFlag.PADDED, streamId: 1, payload: hex("02 abcd 0000") };
  assert.deepEqual(frameContent(padded), hex("abcd"));
  const prio = { type: FrameType.HEADERS, flags: FrameFlag.PRIORITY | FrameFlag.PADDED, streamId: 1, payload: hex("01 8000000010 82 00") };
  assert.deepEqual(frameContent(prio), hex("82"));
  const bad = { type: FrameType.DATA, flags: FrameFlag.PADDED, streamId: 1, payload: hex("05 abcd") };
  assert.throws(() => frameContent(bad), (e: unknown) => e instanceof Http2Error && e.code === H2ErrorCode.PROTOCOL_ERROR);
});

test("gRPC messages are length-prefixed and reassembled across any split", () => {
  assert.deepEqual(frameMessage(hex("0a0b")), hex("00 00000002 0a0b"));
  const msgs = [hex(""), hex("01"), new Uint8Array(70000).fill(7), hex("ffee")];
  const wire = Buffer.concat(msgs.map((m) => frameMessage(m)));
  for (const chunk of [1, 3, 5, 16384, 100000]) {
    const d = new MessageDeframer(1 << 20);
    const out: Uint8Array[] = [];
    for (let i = 0; i < wire.length; i += chunk) out.push(...d.push(new Uint8Array(wire.subarray(i, i + chunk))));
    assert.deepEqual(out, msgs);
    assert.equal(d.partial, false);
  }
});

test("oversized and compressed messages are refused without allocating them", () => {
  const d = new MessageDeframer(1000);
  assert.throws(() => d.push(hex("00 ffffffff")), (e: unknown) => e instanceof GrpcError && e.code === GrpcStatus.RESOURCE_EXHAUSTED);
  assert.throws(() => new MessageDeframer(1000).push(hex("01 00000001 00")), (e: unknown) => e instanceof GrpcError && e.code === GrpcStatus.INTERNAL);
});

test("grpc-message percent-decoding and status mappings (gRPC HTTP/2 protocol spec)", () => {
  assert.equal(percentDecode("hello%20world"), "hello world");
  assert.equal(percentDecode("caf%C3%A9 %E2%9C%93"), "café ✓");
  assert.equal(percentDecode("100%"), "100%");
  assert.equal(percentDecode("%zz"), "%zz");
  assert.equal(statusFromHttp(404), GrpcStatus.UNIMPLEMENTED);
  assert.equal(statusFromHttp(503), GrpcStatus.UNAVAILABLE);
  assert.equal(statusFromHttp(418), GrpcStatus.UNKNOWN);
  assert.equal(statusFromReset(H2ErrorCode.REFUSED_STREAM), GrpcStatus.UNAVAILABLE);
  assert.equal(statusFromReset(H2ErrorCode.CANCEL), GrpcStatus.CANCELLED);
  assert.equal(statusFromReset(H2ErrorCode.PROTOCOL_ERROR), GrpcStatus.INTERNAL);
  assert.equal(formatTimeout(5000), "5000m");
  assert.equal(formatTimeout(2e9), "2000000S");
});

test("URIs as gateway-rs settings write them", () => {
  assert.deepEqual(parseGrpcUri("http://mainnet-router.helium.io:8080/"), { host: "mainnet-router.helium.io", port: 8080 });
  assert.deepEqual(parseGrpcUri("127.0.0.1:6080"), { host: "127.0.0.1", port: 6080 });
  assert.deepEqual(parseGrpcUri("http://[::1]:9080"), { host: "::1", port: 9080 });
  assert.throws(() => parseGrpcUri("https://x:1"), GrpcError);
  assert.throws(() => parseGrpcUri("http://x:70000"), GrpcError);
});

test("backoff follows helium-protocol.md 4.7: min·2^n, jitter, clamp, None at retries+1", () => {
  // random01 = 0 -> r = 0 -> no change; 0.25 -> r = 15 -> -15 %; 0.75 -> r = 45 -> +22.5 %.
  assert.equal(backoffDelay(0, CONDUIT_BACKOFF, 0), 5000);
  assert.equal(backoffDelay(2, CONDUIT_BACKOFF, 0.25), 17000);
  assert.equal(backoffDelay(3, CONDUIT_BACKOFF, 0.75), 49000);
  assert.equal(backoffDelay(0, CONDUIT_BACKOFF, 0.25), 5000); // clamped up to min
  assert.equal(backoffDelay(9, CONDUIT_BACKOFF, 0.75), 1800000); // 2560 s·1.225 clamped to 30 min
  assert.equal(backoffDelay(40, CONDUIT_BACKOFF, 0.1), 1800000);
  assert.equal(backoffDelay(41, CONDUIT_BACKOFF, 0.1), undefined);
  assert.equal(backoffDelay(1, REGION_BACKOFF, 0), 10000); // region watcher's first fetch ~10 s
});

test("Reconnect: count wraps after the maximum; healthy then failure retries after ~5 s", () => {
  const zero = (b: Uint8Array) => b.fill(0);
  const r = new Reconnect(CONDUIT_BACKOFF, zero);
  assert.equal(r.next(true), 10000);
  assert.equal(r.next(true), 20000);
  assert.equal(r.next(false), 20000);
  r.markHealthy();
  assert.equal(r.next(false), 1800000);
  assert.equal(r.next(true), 5000); // 40 wraps to 0
  assert.equal(r.retry, 0);
});
