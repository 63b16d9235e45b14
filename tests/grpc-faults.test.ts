// A misbehaving or absent server: each case has an expected outcome (call status, and the GOAWAY or
// RST_STREAM code our client sends) and must not crash or hang the client.
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import { GrpcError, GrpcStatus } from "../modules/grpc/status.js";
import { H2ErrorCode } from "../modules/grpc/errors.js";
import {
  channelTo,
  startEchoServer,
  startRawPeer,
  rawFrame,
  SETTINGS,
  GRPC_RESPONSE_HEADERS,
  GRPC_OK_TRAILERS,
  until,
  type RawFrame,
} from "./support/grpc-servers.js";

const HEADERS = 1, DATA = 0, RST = 3, GOAWAY = 7, CONTINUATION = 9;
const END_STREAM = 1, END_HEADERS = 4;

function goawayCode(frames: RawFrame[]): number | undefined {
  const g = frames.find((f) => f.type === GOAWAY);
  return g?.payload.readUInt32BE(4);
}
function rstCode(frames: RawFrame[], stream: number): number | undefined {
  const r = frames.find((f) => f.type === RST && f.stream === stream);
  return r?.payload.readUInt32BE(0);
}

async function callStatus(port: number, timeoutMs = 3000): Promise<GrpcError> {
  const ch = channelTo(port, { connectTimeoutMs: 1000 });
  try {
    await ch.unary("/test.Echo/Unary", new Uint8Array([1, 2, 3]), { timeoutMs });
    throw new Error("call unexpectedly succeeded");
  } catch (e) {
    assert.ok(e instanceof GrpcError, String(e));
    return e;
  } finally {
    ch.close();
  }
}

/** A peer that sends SETTINGS, then `reply` to the client's first HEADERS. */
function onRequest(reply: (socket: Socket, stream: number) => void) {
  return {
    onConnect: (s: Socket) => s.write(SETTINGS),
    onFrame: (s: Socket, f: RawFrame) => {
      if (f.type === HEADERS) reply(s, f.stream);
    },
  };
}

const connectionErrors: [string, Parameters<typeof startRawPeer>[0], number][] = [
  ["garbage (an HTTP/1.1 reply)", { onConnect: (s) => s.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n") }, H2ErrorCode.FRAME_SIZE_ERROR],
  ["first frame is not SETTINGS", { onConnect: (s) => s.write(rawFrame(6, 0, 0, "0000000000000000")) }, H2ErrorCode.PROTOCOL_ERROR],
  ["SETTINGS of 5 bytes", { onConnect: (s) => s.write(rawFrame(4, 0, 0, "0001000010")) }, H2ErrorCode.FRAME_SIZE_ERROR],
  ["MAX_FRAME_SIZE below 16384", { onConnect: (s) => s.write(rawFrame(4, 0, 0, "000500000064")) }, H2ErrorCode.PROTOCOL_ERROR],
  ["INITIAL_WINDOW_SIZE above 2^31-1", { onConnect: (s) => s.write(rawFrame(4, 0, 0, "000480000000")) }, H2ErrorCode.FLOW_CONTROL_ERROR],
  ["ENABLE_PUSH from a server", { onConnect: (s) => s.write(rawFrame(4, 0, 0, "000200000001")) }, H2ErrorCode.PROTOCOL_ERROR],
  ["DATA on stream 0", onRequest((s) => s.write(rawFrame(DATA, 0, 0, "00"))), H2ErrorCode.PROTOCOL_ERROR],
  ["HEADERS on an idle stream", onRequest((s) => s.write(rawFrame(HEADERS, END_HEADERS, 7, "88"))), H2ErrorCode.PROTOCOL_ERROR],
  ["WINDOW_UPDATE of 0 on the connection", onRequest((s) => s.write(rawFrame(8, 0, 0, "00000000"))), H2ErrorCode.PROTOCOL_ERROR],
  ["connection window overflow", onRequest((s) => s.write(rawFrame(8, 0, 0, "7fffffff"))), H2ErrorCode.FLOW_CONTROL_ERROR],
  ["PUSH_PROMISE", onRequest((s, id) => s.write(rawFrame(5, END_HEADERS, id, "0000000282"))), H2ErrorCode.PROTOCOL_ERROR],
  ["HPACK index 0", onRequest((s, id) => s.write(rawFrame(HEADERS, END_HEADERS, id, "80"))), H2ErrorCode.COMPRESSION_ERROR],
  ["a frame larger than 16384", onRequest((s, id) => s.write(rawFrame(DATA, 0, id, Buffer.alloc(20000)))), H2ErrorCode.FRAME_SIZE_ERROR],
  ["PING of 4 bytes", onRequest((s) => s.write(rawFrame(6, 0, 0, "00000000"))), H2ErrorCode.FRAME_SIZE_ERROR],
  ["a frame between HEADERS and CONTINUATION", onRequest((s, id) => s.write(Buffer.concat([rawFrame(HEADERS, 0, id, "88"), rawFrame(6, 0, 0, "0000000000000000")]))), H2ErrorCode.PROTOCOL_ERROR],
  ["endless CONTINUATION", onRequest((s, id) => {
    const frames = [rawFrame(HEADERS, 0, id, "88")];
    for (let i = 0; i < 5; i++) frames.push(rawFrame(CONTINUATION, 0, id, Buffer.alloc(10000, 0x82)));
    s.write(Buffer.concat(frames));
  }), H2ErrorCode.ENHANCE_YOUR_CALM],
];

for (const [name, script, code] of connectionErrors) {
  test(`connection error: ${name} -> GOAWAY ${code}, call UNAVAILABLE`, async () => {
    const peer = await startRawPeer(script);
    const e = await callStatus(peer.port);
    assert.equal(e.code, GrpcStatus.UNAVAILABLE, e.message);
    await until(() => goawayCode(peer.received) !== undefined, 2000, "GOAWAY");
    assert.equal(goawayCode(peer.received), code);
    await peer.close();
  });
}

/** Stream 1 misbehaves with `bad`; stream 3 gets a proper response: the connection must survive. */
async function streamErrorCase(bad: (s: Socket, id: number) => void, expectedRst: number | undefined, expectedStatus: number, paused = false): Promise<void> {
  const peer = await startRawPeer({
    onConnect: (s) => s.write(SETTINGS),
    onFrame: (s, f) => {
      if (f.type !== HEADERS) return;
      if (f.stream === 1) bad(s, 1);
      else {
        s.write(rawFrame(HEADERS, END_HEADERS, f.stream, GRPC_RESPONSE_HEADERS));
        s.write(rawFrame(DATA, 0, f.stream, "00000000022a2a"));
        s.write(rawFrame(HEADERS, END_HEADERS | END_STREAM, f.stream, GRPC_OK_TRAILERS));
      }
    },
  });
  const ch = channelTo(peer.port);
  // A paused call (a slow reader) grants no flow-control credit back, so the window can be exceeded.
  const first = await new Promise<number>((resolve) => {
    const call = ch.startCall("/x.Y/Z", { onStatus: (st) => resolve(st.code) }, { timeoutMs: 3000 });
    if (paused) call.pause();
    call.write(new Uint8Array([1]));
    call.end();
  });
  assert.equal(first, expectedStatus);
  assert.deepEqual(await ch.unary("/x.Y/Z", new Uint8Array([1]), { timeoutMs: 3000 }), new Uint8Array([0x2a, 0x2a]));
  assert.equal(rstCode(peer.received, 1), expectedRst);
  assert.equal(goawayCode(peer.received), undefined);
  assert.equal(ch.stats.connects, 1);
  ch.close();
  await peer.close();
}

test("stream error: DATA beyond the stream window -> RST_STREAM FLOW_CONTROL_ERROR, connection lives on", async () => {
  await streamErrorCase((s, id) => {
    s.write(rawFrame(HEADERS, END_HEADERS, id, GRPC_RESPONSE_HEADERS));
    const body = Buffer.alloc(16000);
    body.writeUInt32BE(1 << 20, 1); // one 1 MiB message, so only the window is wrong
    s.write(rawFrame(DATA, 0, id, body));
    for (let i = 0; i < 4; i++) s.write(rawFrame(DATA, 0, id, Buffer.alloc(16000)));
  }, H2ErrorCode.FLOW_CONTROL_ERROR, GrpcStatus.INTERNAL, true);
});

test("stream error: header list over 16 KiB -> RST_STREAM PROTOCOL_ERROR", async () => {
  await streamErrorCase((s, id) => {
    const big = Buffer.concat([Buffer.from([0x00, 5]), Buffer.from("x-big"), Buffer.from([0x7f, 0x81, 0x9c, 0x01]), Buffer.alloc(20000 - 127 + 127, 0x61)]);
    // length 20000 as an HPACK integer: 127 + 19873 -> 0x7f, 0xa1, 0x9b, 0x01
    big.set([0x7f, 0xa1, 0x9b, 0x01], 7);
    s.write(rawFrame(HEADERS, 0, id, Buffer.concat([GRPC_RESPONSE_HEADERS, big.subarray(0, 10000)])));
    s.write(rawFrame(CONTINUATION, END_HEADERS, id, big.subarray(10000)));
  }, H2ErrorCode.PROTOCOL_ERROR, GrpcStatus.INTERNAL);
});

test("stream error: DATA before response headers -> RST_STREAM PROTOCOL_ERROR", async () => {
  await streamErrorCase((s, id) => s.write(rawFrame(DATA, 0, id, "00000000012a")), H2ErrorCode.PROTOCOL_ERROR, GrpcStatus.INTERNAL);
});

test("a server RST_STREAM REFUSED_STREAM is UNAVAILABLE (and not answered); a 404 :status is UNIMPLEMENTED", async () => {
  await streamErrorCase((s, id) => s.write(rawFrame(RST, 0, id, "00000007")), undefined, GrpcStatus.UNAVAILABLE);
  // 0x8d is static index 13, ":status: 404", in a trailers-only response.
  const peer = await startRawPeer(onRequest((s, id) => s.write(rawFrame(HEADERS, END_HEADERS | END_STREAM, id, "8d"))));
  const e = await callStatus(peer.port);
  assert.equal(e.code, GrpcStatus.UNIMPLEMENTED);
  await peer.close();
});

test("server down at start: UNAVAILABLE at once, no crash", async () => {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const started = Date.now();
  const e = await callStatus(port);
  assert.equal(e.code, GrpcStatus.UNAVAILABLE);
  assert.match(e.details, /ECONNREFUSED|connection/);
  assert.ok(Date.now() - started < 1000);
});

test("a server that accepts TCP but never speaks HTTP/2: connect timeout -> UNAVAILABLE", async () => {
  const peer = await startRawPeer({});
  const started = Date.now();
  const e = await callStatus(peer.port, 5000);
  assert.equal(e.code, GrpcStatus.UNAVAILABLE);
  assert.match(e.details, /no HTTP\/2 connection within 1000 ms/);
  assert.ok(Date.now() - started >= 950);
  await peer.close();
});

test("slow server: the deadline ends the call with DEADLINE_EXCEEDED and the server sees the cancel", async () => {
  const s = await startEchoServer();
  const ch = channelTo(s.port);
  const started = Date.now();
  await assert.rejects(ch.unary("/test.Echo/Slow", new Uint8Array([1]), { timeoutMs: 300 }), (e: unknown) => e instanceof GrpcError && e.code === GrpcStatus.DEADLINE_EXCEEDED);
  assert.ok(Date.now() - started >= 290);
  await until(() => s.cancelledSlowCalls === 1, 3000, "server-side cancel");
  assert.deepEqual(await ch.unary("/test.Echo/Unary", new Uint8Array([9])), new Uint8Array([9]));
  ch.close();
  s.server.forceShutdown();
});

test("random garbage after SETTINGS (300 rounds): every call settles with a status, nothing throws", async () => {
  let round = 0;
  const peer = await startRawPeer({
    onConnect: (s) => {
      round++;
      const junk = randomBytes(1 + (round % 200));
      // Half the rounds keep a plausible frame header so deeper parsers see the junk.
      if (round % 2 && junk.length >= 9) junk.writeUIntBE(Math.max(0, junk.length - 9), 0, 3);
      s.write(Buffer.concat([SETTINGS, junk]));
      setTimeout(() => s.destroy(), 50);
    },
  });
  const ch = channelTo(peer.port);
  const statuses = new Map<number, number>();
  for (let i = 0; i < 300; i++) {
    try {
      await ch.unary("/x.Y/Z", new Uint8Array([i & 0xff]), { timeoutMs: 2000 });
      statuses.set(-1, (statuses.get(-1) ?? 0) + 1);
    } catch (e) {
      assert.ok(e instanceof GrpcError, String(e));
      statuses.set(e.code, (statuses.get(e.code) ?? 0) + 1);
    }
  }
  assert.equal([...statuses.values()].reduce((a, b) => a + b, 0), 300);
  assert.equal(statuses.get(-1), undefined, "garbage never yields a response");
  ch.close();
  await peer.close();
});
