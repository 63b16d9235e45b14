// Servers for the gRPC client tests: a grpc-js echo service, and a scripted raw HTTP/2 peer that
// parses what the client sends with its own minimal frame parser (independent of modules/grpc).
import net from "node:net";
import * as grpc from "@grpc/grpc-js";
import { NodeResolver } from "../../sim/host/resolver.js";
import { NodeTCP } from "../../sim/host/tcp.js";
import { realTimers } from "../../sim/host/real-time.js";
import { GrpcChannel, type GrpcChannelOptions } from "../../modules/grpc/channel.js";

export const timers = realTimers();

export function channelTo(port: number, extra: Partial<GrpcChannelOptions> = {}): GrpcChannel {
  return new GrpcChannel({ TCP: NodeTCP, dns: new NodeResolver(), timers, host: "127.0.0.1", port, ...extra });
}

const identity = (b: Buffer) => b;
function method(name: string, requestStream: boolean, responseStream: boolean) {
  return {
    path: `/test.Echo/${name}`,
    requestStream,
    responseStream,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
}
export const ECHO_SERVICE = {
  Unary: method("Unary", false, false),
  Bidi: method("Bidi", true, true),
  Flood: method("Flood", false, true),
  Slow: method("Slow", false, false),
  Fail: method("Fail", false, false),
};

export interface EchoServer {
  server: grpc.Server;
  port: number;
  /** Live bidi calls (so tests can end them). */
  bidiCalls: Set<grpc.ServerDuplexStream<Buffer, Buffer>>;
  cancelledSlowCalls: number;
  floodWritesRefused: number;
}

/** Binds the echo service on 127.0.0.1 (port 0 = a free port). */
export async function startEchoServer(port = 0): Promise<EchoServer> {
  const server = new grpc.Server();
  const state: EchoServer = { server, port: 0, bidiCalls: new Set(), cancelledSlowCalls: 0, floodWritesRefused: 0 };
  server.addService(ECHO_SERVICE, {
    Unary: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, call.request),
    Fail: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) =>
      cb({ code: grpc.status.FAILED_PRECONDITION, details: call.request.toString("utf8") }),
    Slow: (call: grpc.ServerUnaryCall<Buffer, Buffer>) => {
      call.on("cancelled", () => state.cancelledSlowCalls++);
    },
    Flood: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
      // Request: u32 count, u32 size. Message i is `size` bytes of (i & 0xff).
      const count = call.request.readUInt32BE(0);
      const size = call.request.readUInt32BE(4);
      for (let i = 0; i < count; i++) if (!call.write(Buffer.alloc(size, i & 0xff))) state.floodWritesRefused++;
      call.end();
    },
    Bidi: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      state.bidiCalls.add(call);
      call.on("data", (m: Buffer) => call.write(m));
      call.on("end", () => call.end());
      call.on("close", () => state.bidiCalls.delete(call));
      call.on("error", () => state.bidiCalls.delete(call));
    },
  });
  state.port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return state;
}

// ---------------------------------------------------------------- scripted raw HTTP/2 peer

export interface RawFrame {
  type: number;
  flags: number;
  stream: number;
  payload: Buffer;
}

export function rawFrame(type: number, flags: number, stream: number, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const p = typeof payload === "string" ? Buffer.from(payload.replace(/\s+/g, ""), "hex") : payload;
  const h = Buffer.alloc(9);
  h.writeUIntBE(p.length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(stream, 5);
  return Buffer.concat([h, p]);
}

/** An empty SETTINGS frame. */
export const SETTINGS = rawFrame(4, 0, 0);
/** Response headers ":status: 200, content-type: application/grpc" as HPACK literals. */
export const GRPC_RESPONSE_HEADERS = Buffer.concat([Buffer.from([0x88, 0x0f, 0x10, 16]), Buffer.from("application/grpc")]);
/** Trailers "grpc-status: 0" as a literal with a new name. */
export const GRPC_OK_TRAILERS = Buffer.concat([Buffer.from([0x00, 11]), Buffer.from("grpc-status"), Buffer.from([1]), Buffer.from("0")]);

export interface RawPeer {
  port: number;
  /** Every frame the client sent, in order. */
  received: RawFrame[];
  close(): Promise<void>;
}

/**
 * A TCP server speaking just enough HTTP/2 for a script: `onConnect` runs when a client connects,
 * `onFrame` for each client frame (after the preface).
 */
export async function startRawPeer(script: {
  onConnect?(socket: net.Socket): void;
  onFrame?(socket: net.Socket, frame: RawFrame): void;
}): Promise<RawPeer> {
  const received: RawFrame[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buf = Buffer.alloc(0);
    let prefaceSeen = false;
    socket.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      if (!prefaceSeen) {
        if (buf.length < 24) return;
        prefaceSeen = true;
        buf = buf.subarray(24);
      }
      while (buf.length >= 9) {
        const len = buf.readUIntBE(0, 3);
        if (buf.length < 9 + len) break;
        const f = { type: buf[3], flags: buf[4], stream: buf.readUInt32BE(5) & 0x7fffffff, payload: buf.subarray(9, 9 + len) };
        buf = buf.subarray(9 + len);
        received.push(f);
        if (!socket.destroyed) script.onFrame?.(socket, f);
      }
    });
    script.onConnect?.(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(cond: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
