// Our gRPC client (modules/grpc over sim/host/tcp.ts) against @grpc/grpc-js and Node's http2 server.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import http2 from "node:http2";
import { GrpcStatus, GrpcError } from "../modules/grpc/status.js";
import { FrameReader, FrameType } from "../modules/grpc/frames.js";
import { NodeTCP } from "../sim/host/tcp.js";
import { Conduit } from "../modules/grpc/conduit.js";
import type { TCPOptions } from "../modules/host/provider.js";
import { channelTo, startEchoServer, until, sleep, timers, type EchoServer } from "./support/grpc-servers.js";

const servers: EchoServer[] = [];
after(async () => {
  for (const s of servers) s.server.forceShutdown();
});

async function echo(): Promise<EchoServer> {
  const s = await startEchoServer();
  servers.push(s);
  return s;
}

test("unary calls: small, > 16 KiB both ways, 1 MiB, and an error status with a percent-encoded message", async () => {
  const s = await echo();
  const ch = channelTo(s.port);
  const small = new Uint8Array(randomBytes(10));
  assert.deepEqual(await ch.unary("/test.Echo/Unary", small), small);
  const big = new Uint8Array(randomBytes(100 * 1024));
  assert.deepEqual(await ch.unary("/test.Echo/Unary", big), big);
  const huge = new Uint8Array(randomBytes(900 * 1024));
  assert.deepEqual(await ch.unary("/test.Echo/Unary", huge, { timeoutMs: 10000 }), huge);
  // Above the 1 MiB send buffer the call is refused locally instead of sending a truncated request.
  await assert.rejects(ch.unary("/test.Echo/Unary", new Uint8Array(1 << 20)), (e: unknown) => e instanceof GrpcError && e.code === GrpcStatus.RESOURCE_EXHAUSTED);
  assert.deepEqual(await ch.unary("/test.Echo/Unary", new Uint8Array(0)), new Uint8Array(0));
  await assert.rejects(ch.unary("/test.Echo/Fail", new Uint8Array(Buffer.from("bad region: café ✓ 100%"))), (e: unknown) => {
    return e instanceof GrpcError && e.code === GrpcStatus.FAILED_PRECONDITION && e.details === "bad region: café ✓ 100%";
  });
  await assert.rejects(ch.unary("/test.Nope/Missing", small), (e: unknown) => e instanceof GrpcError && e.code === GrpcStatus.UNIMPLEMENTED);
  assert.equal(ch.stats.connects, 1, "all calls share one connection");
  ch.close();
});

test("bidirectional stream: messages echo in order, half-close ends with OK", async () => {
  const s = await echo();
  const ch = channelTo(s.port);
  const got: Uint8Array[] = [];
  let status: { code: number } | undefined;
  const call = ch.startCall("/test.Echo/Bidi", { onMessage: (m) => got.push(m), onStatus: (st) => (status = st) });
  const sent = [1, 40000, 0, 17, 70000].map((n) => new Uint8Array(randomBytes(n)));
  for (const m of sent) assert.equal(call.write(m), true);
  await until(() => got.length === sent.length, 5000, "echoes");
  call.end();
  await until(() => status !== undefined, 5000, "status");
  assert.deepEqual(got, sent);
  assert.equal(status!.code, GrpcStatus.OK);
  ch.close();
});

test("flow control with a slow reader: a paused call holds the server to one stream window", async () => {
  const s = await echo();
  const ch = channelTo(s.port);
  const got: Uint8Array[] = [];
  let status: { code: number } | undefined;
  const req = Buffer.alloc(8);
  req.writeUInt32BE(64, 0);
  req.writeUInt32BE(32768, 4); // 64 × 32 KiB = 2 MiB
  const call = ch.startCall("/test.Echo/Flood", { onMessage: (m) => got.push(m), onStatus: (st) => (status = st) });
  call.pause();
  call.write(new Uint8Array(req));
  call.end();
  await sleep(400);
  const bytesIn = ch.connectionStats!.bytesIn;
  // One stream window (65535) plus frame/message headers and the response headers.
  assert.ok(bytesIn < 65535 + 2000, `received ${bytesIn} bytes while paused`);
  assert.equal(got.length, 0);
  assert.equal(status, undefined);
  call.resume();
  await until(() => status !== undefined, 10000, "flood status");
  assert.equal(status!.code, GrpcStatus.OK);
  assert.equal(got.length, 64);
  got.forEach((m, i) => {
    assert.equal(m.length, 32768);
    assert.ok(m.every((b) => b === (i & 0xff)));
  });
  ch.close();
});

test("conduit: server GOAWAY and restart on the same port -> the stream is re-established with backoff", async () => {
  let s = await echo();
  const port = s.port;
  const ch = channelTo(port);
  const opens: number[] = [];
  const closes: number[] = [];
  const echoed: string[] = [];
  const conduit = new Conduit(
    { channel: ch, path: "/test.Echo/Bidi", timers, random: (b) => b.fill(0), policy: { retries: 40, minMs: 50, maxMs: 400 } },
    {
      onOpen: (call) => {
        opens.push(Date.now());
        call.write(new Uint8Array(Buffer.from(`hello ${opens.length}`)));
      },
      onMessage: (m) => echoed.push(Buffer.from(m).toString()),
      onClose: (st) => closes.push(st.code),
    },
  );
  conduit.start();
  await until(() => echoed.includes("hello 1") && conduit.connected, 5000, "first echo");
  // Graceful shutdown: GOAWAY, then the server ends the live call; nothing listens for a while.
  const shutdown = new Promise<void>((r) => s.server.tryShutdown(() => r()));
  for (const c of s.bidiCalls) c.end();
  await shutdown;
  await until(() => closes.length >= 1, 5000, "close after GOAWAY");
  await sleep(300);
  assert.ok(conduit.stats.failures >= 1, "reconnects fail while the server is down");
  s = await startEchoServer(port);
  servers.push(s);
  await until(() => echoed.some((e) => e !== "hello 1") && conduit.connected, 5000, "echo after restart");
  assert.ok(ch.stats.goaways >= 1);
  conduit.stop();
  ch.close();
});

test("conduit: server killed mid-stream (forceShutdown) -> UNAVAILABLE, then reconnect to a new server", async () => {
  let s = await echo();
  const port = s.port;
  const ch = channelTo(port);
  const closes: number[] = [];
  let messages = 0;
  const conduit = new Conduit(
    { channel: ch, path: "/test.Echo/Bidi", timers, random: (b) => b.fill(0), policy: { retries: 40, minMs: 50, maxMs: 400 } },
    { onOpen: (call) => call.write(new Uint8Array([1])), onMessage: () => messages++, onClose: (st) => closes.push(st.code) },
  );
  conduit.start();
  await until(() => messages === 1, 5000, "first echo");
  s.server.forceShutdown();
  await until(() => closes.length === 1, 5000, "close");
  assert.equal(closes[0], GrpcStatus.UNAVAILABLE);
  s = await startEchoServer(port);
  servers.push(s);
  await until(() => messages >= 2, 5000, "echo after restart");
  conduit.stop();
  ch.close();
});

// ---------------------------------------------------------------- Node's http2 server

/** A TCP class that records what the client reads, so tests can look at the server's header blocks. */
function tappingTCP(log: Uint8Array[]) {
  return class extends NodeTCP {
    constructor(options: TCPOptions) {
      super(options);
    }
    override read(n?: number) {
      const b = super.read(n);
      if (b) log.push(new Uint8Array(b.slice(0)));
      return b;
    }
  };
}

function headerBlocks(log: Uint8Array[]): Uint8Array[] {
  const r = new FrameReader(1 << 20);
  for (const chunk of log) r.push(chunk);
  const blocks: Uint8Array[] = [];
  for (let f = r.next(); f; f = r.next()) if (f.type === FrameType.HEADERS) blocks.push(f.payload);
  return blocks;
}

test("Node http2 server: Huffman-coded and dynamic-table headers decode to what the server sent", async () => {
  const values = new Map<string, { value: string; message: string }>();
  const server = http2.createServer();
  server.on("stream", (stream, headers) => {
    const v = values.get(String(headers[":path"]))!;
    stream.respond({ ":status": 200, "content-type": "application/grpc", "x-helium-region-plan": v.value, "x-constant": "eu868 sf12bw125 constant value" }, { waitForTrailers: true });
    stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0", "grpc-message": encodeURIComponent(v.message) }));
    stream.on("data", () => {});
    stream.on("end", () => stream.end(Buffer.from([0, 0, 0, 0, 1, 0x2a])));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  const log: Uint8Array[] = [];
  const ch = channelTo(port, { TCP: tappingTCP(log) });
  const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("").trim();
  for (let i = 0; i < 60; i++) {
    const value = i === 0 ? printable : Array.from(randomBytes(5 + (i % 50)), (b) => printable[b % printable.length]).join("");
    const message = i % 2 ? `status ${i}: ✓ é ${value}` : "";
    values.set(`/test.Any/M${i}`, { value, message });
    const statuses: { code: number; trailers: [string, string][] }[] = [];
    let headersSeen: [string, string][] = [];
    await new Promise<void>((resolve) => {
      const call = ch.startCall(`/test.Any/M${i}`, {
        onHeaders: (h) => (headersSeen = h),
        onStatus: (s) => {
          statuses.push(s);
          resolve();
        },
      });
      call.write(new Uint8Array([1]));
      call.end();
    });
    assert.equal(statuses[0].code, GrpcStatus.OK);
    const get = (n: string) => headersSeen.find(([k]) => k === n)?.[1];
    assert.equal(get("x-helium-region-plan"), value.trim() === value ? value : value.trim());
    assert.equal(get("x-constant"), "eu868 sf12bw125 constant value");
    const msg = statuses[0].trailers.find(([k]) => k === "grpc-message")?.[1];
    assert.equal(msg, encodeURIComponent(message));
  }
  const blocks = headerBlocks(log);
  // The first response carries the 94 printable characters; HPACK literals are raw or Huffman, and the
  // raw text is not in the block, so the server Huffman-coded it (and our decoder read it back).
  assert.equal(Buffer.from(blocks[0]).includes(Buffer.from(printable, "latin1")), false);
  assert.equal(Buffer.from(blocks[0]).includes(Buffer.from("x-helium-region-plan")), false);
  // Later response headers repeat x-constant and content-type: indexed from the dynamic table, so tiny.
  const later = blocks[blocks.length - 2];
  assert.ok(later.length < 80, `later block ${later.length} bytes`);
  ch.close();
  await new Promise<void>((r) => server.close(() => r()));
});
