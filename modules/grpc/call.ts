// One gRPC call on an HTTP/2 stream: request headers, length-prefixed messages both ways, response
// headers and trailers, deadline, cancellation, and read back-pressure (pause/resume). Messages are
// opaque bytes at this layer. Exactly one onStatus ends every call, whatever happens.
import type { TimerHandle, Timers } from "../host/provider.js";
import type { Header } from "./hpack.js";
import { H2ErrorCode } from "./errors.js";
import type { Http2Stream, ResetCause, StreamHandler } from "./connection.js";
import { MessageDeframer, frameMessage } from "./message.js";
import { GrpcError, GrpcStatus, percentDecode, statusFromHttp, statusFromReset, type CallStatus } from "./status.js";

export interface CallHandlers {
  /** A response message. */
  onMessage?(message: Uint8Array): void;
  /** Response headers (initial metadata). */
  onHeaders?(headers: Header[]): void;
  /** The call is over: exactly once, last. */
  onStatus?(status: CallStatus): void;
  /** Queued outgoing bytes drained below half of the limit after a write returned false. */
  onWritable?(): void;
}

export interface CallOptions {
  /** Milliseconds until DEADLINE_EXCEEDED (also sent as grpc-timeout); undefined for none. */
  timeoutMs?: number;
  /** Largest response message accepted. */
  maxMessageSize: number;
  /** Bytes written before the stream exists that are kept (the rest is refused). */
  maxPendingBytes: number;
}

/** grpc-timeout in milliseconds, or seconds when it would not fit the 8 digits the spec allows. */
export function formatTimeout(ms: number): string {
  const v = Math.max(0, Math.ceil(ms));
  return v < 1e8 ? `${v}m` : `${Math.min(99999999, Math.ceil(v / 1000))}S`;
}

export class GrpcCall implements StreamHandler {
  /** The final status once the call is over. */
  status: CallStatus | undefined;
  private stream: Http2Stream | undefined;
  private readonly deframer: MessageDeframer;
  private readonly beforeStream: Uint8Array[] = [];
  private beforeStreamBytes = 0;
  private endRequested = false;
  private headersSeen = false;
  private paused = false;
  private readonly held: Uint8Array[] = [];
  private heldCredit = 0;
  private deadlineTimer: TimerHandle | undefined;

  constructor(
    readonly path: string,
    private readonly handlers: CallHandlers,
    private readonly options: CallOptions,
    private readonly timers: Timers,
    /** Called once when the call ends (the channel uses it to start queued calls). */
    private readonly onDone?: (call: GrpcCall) => void,
  ) {
    this.deframer = new MessageDeframer(options.maxMessageSize);
    if (options.timeoutMs !== undefined) {
      this.deadlineTimer = timers.set(() => this.fail(GrpcStatus.DEADLINE_EXCEEDED, `deadline of ${options.timeoutMs} ms exceeded`), options.timeoutMs);
    }
  }

  get done(): boolean {
    return this.status !== undefined;
  }

  /** Request headers for this call. */
  requestHeaders(authority: string, userAgent: string): Header[] {
    const headers: Header[] = [
      [":method", "POST"],
      [":scheme", "http"],
      [":path", this.path],
      [":authority", authority],
      ["content-type", "application/grpc"],
      ["te", "trailers"],
      ["user-agent", userAgent],
    ];
    if (this.options.timeoutMs !== undefined) headers.push(["grpc-timeout", formatTimeout(this.options.timeoutMs)]);
    return headers;
  }

  /** Binds the call to its stream and sends what was written before. Called by the channel. */
  attach(stream: Http2Stream): void {
    if (this.done) {
      stream.reset(H2ErrorCode.CANCEL);
      return;
    }
    this.stream = stream;
    for (const m of this.beforeStream.splice(0)) stream.write(m);
    this.beforeStreamBytes = 0;
    if (this.endRequested) stream.end();
  }

  /**
   * Sends one message. Returns false when it was not accepted: the call is over or half-closed, or
   * too many bytes are waiting for flow control (wait for onWritable).
   */
  write(message: Uint8Array): boolean {
    if (this.done || this.endRequested) return false;
    const framed = frameMessage(message);
    if (this.stream) return this.stream.write(framed);
    if (this.beforeStreamBytes + framed.length > this.options.maxPendingBytes) return false;
    this.beforeStream.push(framed);
    this.beforeStreamBytes += framed.length;
    return true;
  }

  /** Half-closes the request side: no more messages from us. */
  end(): void {
    if (this.done || this.endRequested) return;
    this.endRequested = true;
    this.stream?.end();
  }

  /** Ends the call at once with CANCELLED (RST_STREAM CANCEL to the server). */
  cancel(details = "cancelled by the client"): void {
    this.fail(GrpcStatus.CANCELLED, details);
  }

  /** Stops delivering messages; the server is held back by flow control until resume(). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    while (!this.paused && this.held.length > 0 && !this.done) this.deliver(this.held.shift()!);
    if (!this.paused && this.heldCredit > 0) {
      this.stream?.consume(this.heldCredit);
      this.heldCredit = 0;
    }
    this.finishIfHeldStatus();
  }

  /** Ends the call locally with `code` (the channel uses it when no stream could be had). */
  fail(code: number, details: string): void {
    if (this.done) return;
    if (this.stream && !this.stream.closed) this.stream.reset(H2ErrorCode.CANCEL);
    this.finish({ code, details, trailers: [] });
  }

  // ------------------------------------------------------------------ StreamHandler

  onHeaders(headers: Header[], endStream: boolean): void {
    if (this.done) return;
    if (!this.headersSeen) {
      this.headersSeen = true;
      const status = value(headers, ":status");
      if (status !== "200") {
        const http = Number(status);
        this.fail(statusFromHttp(http), `HTTP status ${status ?? "missing"}`);
        return;
      }
      if (!endStream) {
        const type = value(headers, "content-type") ?? "";
        if (!type.startsWith("application/grpc")) {
          this.fail(GrpcStatus.UNKNOWN, `content-type "${type}" is not gRPC`);
          return;
        }
        try {
          this.handlers.onHeaders?.(headers);
        } catch {
          // the owner's failure does not end the call
        }
        return;
      }
      // Trailers-only response: the status is in these headers.
    } else if (!endStream) {
      this.fail(GrpcStatus.INTERNAL, "second HEADERS without END_STREAM");
      return;
    }
    this.trailers(headers);
  }

  onData(data: Uint8Array, endStream: boolean): void {
    if (this.done) return;
    let messages: Uint8Array[];
    try {
      messages = this.deframer.push(data);
    } catch (e) {
      const error = e instanceof GrpcError ? e : new GrpcError(GrpcStatus.INTERNAL, String(e));
      this.fail(error.code, error.details);
      return;
    }
    // A paused reader returns no flow-control credit, so the server stalls after one stream window.
    if (this.paused) this.heldCredit += data.length;
    else this.stream?.consume(data.length);
    for (const m of messages) {
      if (this.paused || this.held.length > 0) this.held.push(m);
      else {
        this.deliver(m);
        if (this.done) return;
      }
    }
    if (endStream) this.fail(GrpcStatus.INTERNAL, "response ended without trailers");
  }

  onReset(code: number, message: string, cause: ResetCause): void {
    if (this.done) return;
    const status = cause === "connection-lost" ? GrpcStatus.UNAVAILABLE : cause === "peer-reset" ? statusFromReset(code) : GrpcStatus.INTERNAL;
    this.finish({ code: status, details: message, trailers: [] });
  }

  onWritable(): void {
    try {
      this.handlers.onWritable?.();
    } catch {
      // ignore the owner's failure
    }
  }

  // ------------------------------------------------------------------ internals

  private pendingStatus: CallStatus | undefined;

  private trailers(headers: Header[]): void {
    const raw = value(headers, "grpc-status");
    const code = raw !== undefined && /^[0-9]{1,2}$/.test(raw) ? Number(raw) : undefined;
    const details = percentDecode(value(headers, "grpc-message") ?? "");
    let status: CallStatus;
    if (code === undefined) status = { code: GrpcStatus.UNKNOWN, details: `missing or invalid grpc-status ${JSON.stringify(raw ?? null)}`, trailers: headers };
    else if (code === GrpcStatus.OK && this.deframer.partial) status = { code: GrpcStatus.INTERNAL, details: "response ended inside a message", trailers: headers };
    else status = { code, details, trailers: headers };
    // Messages held by pause() are delivered before the status.
    if (this.held.length > 0) this.pendingStatus = status;
    else this.finish(status);
  }

  private finishIfHeldStatus(): void {
    if (this.pendingStatus && this.held.length === 0) {
      const s = this.pendingStatus;
      this.pendingStatus = undefined;
      this.finish(s);
    }
  }

  private deliver(message: Uint8Array): void {
    try {
      this.handlers.onMessage?.(message);
    } catch (e) {
      this.fail(GrpcStatus.CANCELLED, `message handler failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private finish(status: CallStatus): void {
    if (this.done) return;
    this.status = status;
    this.timers.clear(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.held.length = 0;
    this.beforeStream.length = 0;
    // A server that ends the call while our side is still open gets RST_STREAM so the stream closes.
    const s = this.stream;
    if (s && !s.closed && !(s.remoteClosed && s.localClosed)) s.reset(H2ErrorCode.CANCEL);
    try {
      this.handlers.onStatus?.(status);
    } catch {
      // ignore the owner's failure
    }
    this.onDone?.(this);
  }
}

function value(headers: readonly Header[], name: string): string | undefined {
  for (const [n, v] of headers) if (n === name) return v;
  return undefined;
}
