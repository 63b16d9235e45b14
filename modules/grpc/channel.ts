// A gRPC channel to one server (h2c): connects lazily, queues calls while connecting, runs unary
// calls and streams over one HTTP/2 connection, and replaces the connection after it closes or the
// server sends GOAWAY. Each connection resolves the host name again (addresses change), and a name
// that does not resolve fails like any other connection. Reconnect pacing for long-lived streams is
// the Conduit's job (conduit.ts).
import type { Resolver, TCPConstructor, Timers } from "../host/provider.js";
import { Http2Connection, type Http2Limits } from "./connection.js";
import { GrpcCall, type CallHandlers } from "./call.js";
import { GrpcError, GrpcStatus, type CallStatus } from "./status.js";
import type { Http2Error } from "./errors.js";

export interface GrpcChannelOptions {
  TCP: TCPConstructor;
  dns: Resolver;
  timers: Timers;
  /** A name (resolved with `dns` for every connection) or an IPv4 address. */
  host: string;
  port: number;
  /** :authority; host:port by default. */
  authority?: string;
  /** gateway-rs: 10 s. */
  connectTimeoutMs?: number;
  /** Default deadline of unary calls (gateway-rs: 5 s). */
  requestTimeoutMs?: number;
  /** Largest response message accepted (default 4 MiB, as gRPC implementations do). */
  maxMessageSize?: number;
  /** Calls waiting for a connection or a free stream; more are refused with RESOURCE_EXHAUSTED. */
  maxQueuedCalls?: number;
  keepaliveMs?: number;
  keepaliveTimeoutMs?: number;
  limits?: Partial<Http2Limits>;
  userAgent?: string;
}

export interface StreamCallOptions {
  /** Deadline for the whole call; streams usually have none. */
  timeoutMs?: number;
}

/** Splits "http://host:port/" (or "host:port") into host and port. Only cleartext h2c is supported. */
export function parseGrpcUri(uri: string): { host: string; port: number } {
  const m = /^(?:http:\/\/)?(\[[^\]]+\]|[^:/]+)(?::(\d{1,5}))?\/?$/.exec(uri.trim());
  if (!m) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, `unsupported URI "${uri}" (expected http://host:port)`);
  const host = m[1].startsWith("[") ? m[1].slice(1, -1) : m[1];
  const port = m[2] === undefined ? 80 : Number(m[2]);
  if (port < 1 || port > 65535) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, `port out of range in "${uri}"`);
  return { host, port };
}

export class GrpcChannel {
  readonly stats = { connects: 0, connectFailures: 0, goaways: 0, callsStarted: 0, callsFailed: 0 };
  /** Why the last connection ended, if it ended with an error. */
  lastError: string | undefined;
  private connection: Http2Connection | undefined;
  private readonly queue: GrpcCall[] = [];
  private closed = false;

  constructor(private readonly options: GrpcChannelOptions) {}

  /** Counters of the current connection (undefined while none exists). */
  get connectionStats(): Http2Connection["stats"] | undefined {
    return this.connection?.stats;
  }

  get connected(): boolean {
    return this.connection?.state === "open";
  }

  /** Starts a call (unary or streaming: the handlers decide how it is used). */
  startCall(path: string, handlers: CallHandlers, options: StreamCallOptions = {}): GrpcCall {
    const call = new GrpcCall(
      path,
      handlers,
      {
        timeoutMs: options.timeoutMs,
        maxMessageSize: this.options.maxMessageSize ?? 4 << 20,
        maxPendingBytes: this.options.limits?.maxPendingSendBytes ?? 1 << 20,
      },
      this.options.timers,
      (c) => this.onCallDone(c),
    );
    this.stats.callsStarted++;
    if (this.closed) {
      call.fail(GrpcStatus.UNAVAILABLE, "channel closed");
      return call;
    }
    if (this.queue.length >= (this.options.maxQueuedCalls ?? 32)) {
      call.fail(GrpcStatus.RESOURCE_EXHAUSTED, "too many calls waiting for a connection");
      return call;
    }
    this.queue.push(call);
    this.pump();
    return call;
  }

  /** A unary call: one request, one response. Rejects with GrpcError. */
  unary(path: string, request: Uint8Array, options: StreamCallOptions = {}): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const responses: Uint8Array[] = [];
      const call = this.startCall(
        path,
        {
          onMessage: (m) => {
            responses.push(m);
            if (responses.length > 1) call.fail(GrpcStatus.INTERNAL, "more than one response to a unary call");
          },
          onStatus: (s: CallStatus) => {
            if (s.code !== GrpcStatus.OK) reject(new GrpcError(s.code, s.details));
            else if (responses.length !== 1) reject(new GrpcError(GrpcStatus.INTERNAL, "unary call ended without a response"));
            else resolve(responses[0]);
          },
        },
        { timeoutMs: options.timeoutMs ?? this.options.requestTimeoutMs ?? 5000 },
      );
      if (!call.write(request)) call.fail(GrpcStatus.RESOURCE_EXHAUSTED, `request of ${request.length} bytes exceeds the send buffer`);
      call.end();
    });
  }

  /** Closes the connection; calls in progress end with UNAVAILABLE, later calls are refused. */
  close(): void {
    this.closed = true;
    for (const c of this.queue.splice(0)) c.fail(GrpcStatus.UNAVAILABLE, "channel closed");
    this.connection?.close();
    this.connection = undefined;
  }

  private pump(): void {
    for (let i = 0; i < this.queue.length; ) {
      if (this.queue[i].done) this.queue.splice(i, 1);
      else i++;
    }
    if (this.queue.length === 0) return;
    const conn = this.connection ?? this.connect();
    if (conn.state !== "open") return;
    while (this.queue.length > 0 && conn.availableStreams > 0) {
      const call = this.queue.shift()!;
      if (call.done) continue;
      try {
        const stream = conn.openStream(call.requestHeaders(this.authority, this.options.userAgent ?? "helium-diy-hotspot/0.1"), call);
        call.attach(stream);
      } catch (e) {
        call.fail(GrpcStatus.UNAVAILABLE, e instanceof Error ? e.message : String(e));
      }
    }
  }

  private get authority(): string {
    return this.options.authority ?? `${this.options.host}:${this.options.port}`;
  }

  private connect(): Http2Connection {
    this.stats.connects++;
    const conn: Http2Connection = new Http2Connection({
      TCP: this.options.TCP,
      dns: this.options.dns,
      host: this.options.host,
      port: this.options.port,
      timers: this.options.timers,
      connectTimeoutMs: this.options.connectTimeoutMs ?? 10000,
      keepaliveMs: this.options.keepaliveMs,
      keepaliveTimeoutMs: this.options.keepaliveTimeoutMs,
      limits: this.options.limits,
      onReady: () => this.pump(),
      onGoaway: () => {
        // The draining connection finishes its streams; new calls get a new connection.
        this.stats.goaways++;
        if (this.connection === conn) this.connection = undefined;
        this.options.timers.set(() => this.pump(), 0);
      },
      onClose: (error?: Http2Error) => this.onConnectionClosed(conn, error),
    });
    this.connection = conn;
    return conn;
  }

  private onConnectionClosed(conn: Http2Connection, error: Http2Error | undefined): void {
    if (error) this.lastError = error.message;
    if (this.connection !== conn) return;
    this.connection = undefined;
    if (error && conn.stats.framesIn === 0) this.stats.connectFailures++;
    // Calls that were waiting for this connection fail now rather than reconnect in a loop.
    for (const c of this.queue.splice(0)) c.fail(GrpcStatus.UNAVAILABLE, error ? `connection failed: ${error.message}` : "connection closed");
  }

  private onCallDone(call: GrpcCall): void {
    if (call.status && call.status.code !== GrpcStatus.OK) this.stats.callsFailed++;
    if (this.queue.length > 0) this.options.timers.set(() => this.pump(), 0);
  }
}
