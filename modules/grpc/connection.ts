// An HTTP/2 client connection in cleartext with prior knowledge (h2c, RFC 9113 section 3.3) over an
// ECMA-419 TCP socket, to a host name resolved first (the Moddable SDK's TCP takes addresses only):
// preface and SETTINGS, HEADERS/CONTINUATION through HPACK, DATA with
// connection and stream flow control, PING, GOAWAY and RST_STREAM. A peer that breaks the protocol
// gets GOAWAY (connection errors) or RST_STREAM (stream errors) with the matching code; memory held
// for a peer is bounded by the limits below, never by what the peer announces.
import type { Resolver, TCP, TCPConstructor, TimerHandle, Timers } from "../host/provider.js";
import { TcpSendQueue } from "../host/tcp-send-queue.js";
import { H2ErrorCode, Http2Error } from "./errors.js";
import {
  CONNECTION_PREFACE,
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_WINDOW_SIZE,
  FrameFlag,
  FrameReader,
  FrameType,
  MAX_ALLOWED_FRAME_SIZE,
  MAX_WINDOW_SIZE,
  SettingId,
  decodeSettings,
  encodeFrame,
  encodeGoaway,
  encodePing,
  encodeRstStream,
  encodeSettings,
  encodeSettingsAck,
  encodeWindowUpdate,
  frameContent,
  type Frame,
} from "./frames.js";
import { HpackDecoder, encodeHeaders, type Header } from "./hpack.js";

export interface Http2Limits {
  /** SETTINGS_MAX_FRAME_SIZE we advertise: larger incoming frames are a FRAME_SIZE_ERROR. */
  maxFrameSize: number;
  /** SETTINGS_MAX_HEADER_LIST_SIZE we advertise and enforce per response (RFC 7541 size units). */
  maxHeaderListSize: number;
  /** SETTINGS_HEADER_TABLE_SIZE we advertise: the most the server may use for our HPACK decoder. */
  headerTableSize: number;
  /** SETTINGS_INITIAL_WINDOW_SIZE we advertise: bytes a server may send on a stream before we read them. */
  initialWindowSize: number;
  /** Our connection-level receive window. */
  connectionWindowSize: number;
  /** Streams we open at most at once (the server's SETTINGS_MAX_CONCURRENT_STREAMS may lower it). */
  maxConcurrentStreams: number;
  /** Bytes a stream may queue behind the server's flow-control windows before writes are refused. */
  maxPendingSendBytes: number;
  /** A HEADERS+CONTINUATION block larger than this (compressed) is refused. */
  maxHeaderBlockBytes: number;
}

export const DEFAULT_HTTP2_LIMITS: Http2Limits = Object.freeze({
  maxFrameSize: DEFAULT_MAX_FRAME_SIZE,
  maxHeaderListSize: 16384,
  headerTableSize: 4096,
  initialWindowSize: DEFAULT_WINDOW_SIZE,
  connectionWindowSize: 1 << 20,
  maxConcurrentStreams: 16,
  maxPendingSendBytes: 1 << 20,
  maxHeaderBlockBytes: 32768,
});

/** How a stream ended abnormally. */
export type ResetCause = "peer-reset" | "local-error" | "connection-lost";

/** What a stream's owner (the gRPC call layer) receives. */
export interface StreamHandler {
  onHeaders(headers: Header[], endStream: boolean): void;
  onData(data: Uint8Array, endStream: boolean): void;
  /** The stream ended abnormally; no other callback follows. */
  onReset(code: number, message: string, cause: ResetCause): void;
  /** Queued outgoing bytes fell below half of maxPendingSendBytes. */
  onWritable?(): void;
}

export interface Http2ConnectionOptions {
  TCP: TCPConstructor;
  dns: Resolver;
  /** A name or an IPv4 address, resolved with `dns` before connecting. */
  host: string;
  port: number;
  timers: Timers;
  /** Time to resolve the host, establish TCP and receive the server's SETTINGS (gateway-rs: 10 s). */
  connectTimeoutMs?: number;
  /** Time for the server to acknowledge our SETTINGS. */
  settingsTimeoutMs?: number;
  /** Interval of keepalive PINGs while streams are open; 0 disables them. */
  keepaliveMs?: number;
  /** A keepalive PING unanswered for this long closes the connection. */
  keepaliveTimeoutMs?: number;
  limits?: Partial<Http2Limits>;
  /** The server's SETTINGS arrived: streams may be opened. */
  onReady?(): void;
  onGoaway?(lastStreamId: number, code: number, debug: string): void;
  /** The connection is gone; `error` is undefined for an orderly close. Called once. */
  onClose?(error: Http2Error | undefined): void;
}

export type ConnectionState = "connecting" | "handshaking" | "open" | "draining" | "closed";

/** Control frames (SETTINGS, PING and RST_STREAM answers, WINDOW_UPDATE, HEADERS) waiting for the socket beyond this mean the server does not read: the connection is closed. */
const MAX_QUEUED_CONTROL_BYTES = 32 * 1024;
/**
 * DATA frames carry at most this much even when the server allows larger frames: they wait in the
 * send queue and pass lwIP's 5.7 KB send buffer anyway, and the queue stays bounded.
 */
const MAX_DATA_FRAME_PAYLOAD = DEFAULT_MAX_FRAME_SIZE;

/** One request/response exchange on the connection. */
export class Http2Stream {
  /** Bytes we may still send (the server's window for this stream). */
  sendWindow: number;
  /** Bytes the server may still send before we grant more. */
  recvWindow: number;
  /** Bytes the owner has consumed but we have not yet granted back. */
  unackedRecv = 0;
  pending: Uint8Array[] = [];
  pendingBytes = 0;
  endAfterPending = false;
  localClosed = false;
  remoteClosed = false;
  headersReceived = false;
  closed = false;

  constructor(
    readonly id: number,
    readonly handler: StreamHandler,
    private readonly connection: Http2Connection,
    sendWindow: number,
    recvWindow: number,
  ) {
    this.sendWindow = sendWindow;
    this.recvWindow = recvWindow;
  }

  /**
   * Queues bytes for DATA frames, sent as flow control allows. Returns false (and sends nothing)
   * when the queue would exceed maxPendingSendBytes or the stream is closed for sending.
   */
  write(data: Uint8Array, endStream = false): boolean {
    return this.connection.queueData(this, data, endStream);
  }

  /** Half-closes our side (END_STREAM after any queued bytes). */
  end(): void {
    this.connection.queueData(this, new Uint8Array(0), true);
  }

  /** Tells the connection that `n` received bytes were processed, so the server may send more. */
  consume(n: number): void {
    this.connection.consume(this, n);
  }

  /** Abandons the stream with RST_STREAM. */
  reset(code: number = H2ErrorCode.CANCEL): void {
    this.connection.resetStream(this, code, "reset locally", false);
  }
}

interface PendingHeaderBlock {
  streamId: number;
  endStream: boolean;
  parts: Uint8Array[];
  size: number;
}

export class Http2Connection {
  state: ConnectionState = "connecting";
  readonly limits: Http2Limits;
  /** Counters for diagnostics and tests. */
  readonly stats = { framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, pingsAnswered: 0, streamsOpened: 0, streamErrors: 0 };
  /** The error that closed the connection, if any. */
  closeError: Http2Error | undefined;

  /** The resolved address (undefined while resolving). */
  address: string | undefined;
  private tcp: TCP | undefined;
  /** Bytes for the socket; the streams' own queues hold DATA until it has room. */
  private readonly out: TcpSendQueue;
  private readonly timers: Timers;
  private readonly reader: FrameReader;
  private readonly decoder: HpackDecoder;
  private readonly streams = new Map<number, Http2Stream>();
  private nextStreamId = 1;
  private continuation: PendingHeaderBlock | undefined;
  private peerSettingsSeen = false;
  private sendConnWindow = DEFAULT_WINDOW_SIZE;
  private recvConnWindow = DEFAULT_WINDOW_SIZE;
  private unackedConnRecv = 0;
  private peerInitialWindow = DEFAULT_WINDOW_SIZE;
  private peerMaxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  private peerMaxConcurrentStreams = Infinity;
  private connectTimer: TimerHandle | undefined;
  private settingsAckTimer: TimerHandle | undefined;
  private keepaliveTimer: TimerHandle | undefined;
  private keepaliveAckTimer: TimerHandle | undefined;
  private pingCounter = 0;

  constructor(private readonly options: Http2ConnectionOptions) {
    this.limits = { ...DEFAULT_HTTP2_LIMITS, ...options.limits };
    this.timers = options.timers;
    this.reader = new FrameReader(this.limits.maxFrameSize);
    this.decoder = new HpackDecoder(this.limits.headerTableSize, this.limits.maxHeaderListSize);
    // DATA joins the queue only while it holds less than one frame: at most two frames of it wait.
    this.out = new TcpSendQueue(MAX_QUEUED_CONTROL_BYTES + 2 * (9 + MAX_DATA_FRAME_PAYLOAD));
    this.connectTimer = this.timers.set(
      () => this.fail(new Http2Error(H2ErrorCode.CONNECT_ERROR, `no HTTP/2 connection within ${this.connectTimeoutMs} ms (${this.label})`), false),
      this.connectTimeoutMs,
    );
    this.guardedStart(() =>
      options.dns.resolve(
        options.host,
        (address) => this.guardedStart(() => this.open(address)),
        (error) => this.failLater(`cannot resolve ${options.host}: ${error.message}`),
      ),
    );
  }

  /** "host:port", with the address the host resolved to when it is a name. */
  get label(): string {
    const { host, port } = this.options;
    return this.address === undefined || this.address === host ? `${host}:${port}` : `${host} (${this.address}):${port}`;
  }

  /** Runs a step of connecting; what it throws (a host refusing an address) is a connect failure. */
  private guardedStart(step: () => void): void {
    try {
      step();
    } catch (e) {
      this.failLater(e instanceof Error ? e.message : String(e));
    }
  }

  /** A connect failure, reported on a later turn (never inside the constructor that caused it). */
  private failLater(message: string): void {
    this.timers.set(() => this.fail(new Http2Error(H2ErrorCode.CONNECT_ERROR, message), false), 0);
  }

  private open(address: string): void {
    if (this.state !== "connecting") return; // timed out or closed while resolving
    this.address = address;
    const self = this;
    this.tcp = new this.options.TCP({
      address,
      port: this.options.port,
      nodelay: true,
      onConnect() {
        self.onTcpConnect();
      },
      onReadable() {
        self.onTcpReadable();
      },
      onWritable(bytes) {
        self.onTcpWritable(bytes);
      },
      onError() {
        // The SDK's onError carries no reason: failure and the server's close look alike.
        const what = self.state === "connecting" ? `cannot connect to ${self.label}` : `connection to ${self.label} lost`;
        self.fail(new Http2Error(H2ErrorCode.CONNECT_ERROR, what), false);
      },
    });
  }

  private get connectTimeoutMs(): number {
    return this.options.connectTimeoutMs ?? 10000;
  }

  get isClosed(): boolean {
    return this.state === "closed";
  }

  get activeStreams(): number {
    return this.streams.size;
  }

  /** Streams that may still be opened on this connection right now. */
  get availableStreams(): number {
    if (this.state !== "open") return 0;
    return Math.max(0, Math.min(this.limits.maxConcurrentStreams, this.peerMaxConcurrentStreams) - this.streams.size);
  }

  /** Opens a stream by sending its request headers. Throws Http2Error(REFUSED_STREAM) when not possible now. */
  openStream(headers: readonly Header[], handler: StreamHandler): Http2Stream {
    if (this.state !== "open") throw new Http2Error(H2ErrorCode.REFUSED_STREAM, `connection is ${this.state}`);
    if (this.availableStreams === 0) throw new Http2Error(H2ErrorCode.REFUSED_STREAM, "too many concurrent streams");
    if (this.nextStreamId > MAX_WINDOW_SIZE) {
      this.state = "draining";
      throw new Http2Error(H2ErrorCode.REFUSED_STREAM, "stream identifiers exhausted");
    }
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const stream = new Http2Stream(id, handler, this, this.peerInitialWindow, this.limits.initialWindowSize);
    this.streams.set(id, stream);
    this.stats.streamsOpened++;
    const block = encodeHeaders(headers);
    const chunk = this.peerMaxFrameSize;
    let offset = 0;
    do {
      const part = block.subarray(offset, offset + chunk);
      const last = offset + chunk >= block.length;
      const type = offset === 0 ? FrameType.HEADERS : FrameType.CONTINUATION;
      this.send(encodeFrame(type, last ? FrameFlag.END_HEADERS : 0, id, part));
      offset += chunk;
    } while (offset < block.length);
    this.armKeepalive();
    return stream;
  }

  /** Sends GOAWAY(NO_ERROR) and closes. Open streams are reset as connection-lost. */
  close(): void {
    this.fail(undefined, true);
  }

  // ------------------------------------------------------------------ called by Http2Stream

  queueData(stream: Http2Stream, data: Uint8Array, endStream: boolean): boolean {
    if (stream.closed || stream.localClosed || stream.endAfterPending) return false;
    if (stream.pendingBytes + data.length > this.limits.maxPendingSendBytes) return false;
    if (data.length > 0) {
      stream.pending.push(data);
      stream.pendingBytes += data.length;
    }
    if (endStream) stream.endAfterPending = true;
    this.flush();
    return true;
  }

  consume(stream: Http2Stream, n: number): void {
    if (stream.closed || stream.remoteClosed || n <= 0) return;
    stream.unackedRecv += n;
    if (stream.unackedRecv >= this.limits.initialWindowSize / 2) {
      this.send(encodeWindowUpdate(stream.id, stream.unackedRecv));
      stream.recvWindow += stream.unackedRecv;
      stream.unackedRecv = 0;
    }
  }

  resetStream(stream: Http2Stream, code: number, message: string, notify: boolean, cause: ResetCause = "local-error"): void {
    if (stream.closed) return;
    if (this.state !== "closed") this.send(encodeRstStream(stream.id, code));
    this.removeStream(stream);
    if (notify) this.callHandler(stream, () => stream.handler.onReset(code, message, cause));
  }

  // ------------------------------------------------------------------ transport events

  private onTcpConnect(): void {
    if (this.state !== "connecting") return;
    this.state = "handshaking";
    const l = this.limits;
    this.send(CONNECTION_PREFACE);
    this.send(
      encodeSettings([
        [SettingId.HEADER_TABLE_SIZE, l.headerTableSize],
        [SettingId.ENABLE_PUSH, 0],
        [SettingId.MAX_CONCURRENT_STREAMS, 0],
        [SettingId.INITIAL_WINDOW_SIZE, l.initialWindowSize],
        [SettingId.MAX_FRAME_SIZE, l.maxFrameSize],
        [SettingId.MAX_HEADER_LIST_SIZE, l.maxHeaderListSize],
      ]),
    );
    if (l.connectionWindowSize > DEFAULT_WINDOW_SIZE) {
      this.send(encodeWindowUpdate(0, l.connectionWindowSize - DEFAULT_WINDOW_SIZE));
      this.recvConnWindow = l.connectionWindowSize;
    }
    this.settingsAckTimer = this.timers.set(
      () => this.fail(new Http2Error(H2ErrorCode.SETTINGS_TIMEOUT, "server did not acknowledge our SETTINGS"), true),
      this.options.settingsTimeoutMs ?? 10000,
    );
  }

  private onTcpWritable(bytes: number): void {
    this.out.writable(bytes);
    this.writeOut();
    this.flush();
  }

  private onTcpReadable(): void {
    try {
      for (;;) {
        if (this.isClosed || this.tcp === undefined) return;
        const buffer = this.tcp.read();
        if (buffer === undefined || buffer.byteLength === 0) break;
        this.stats.bytesIn += buffer.byteLength;
        this.reader.push(new Uint8Array(buffer));
        for (;;) {
          if (this.isClosed) return;
          const frame = this.reader.next();
          if (!frame) break;
          this.stats.framesIn++;
          try {
            this.onFrame(frame);
          } catch (e) {
            if (e instanceof Http2Error && e.streamId !== 0) this.streamError(e);
            else throw e;
          }
        }
      }
    } catch (e) {
      const error = e instanceof Http2Error ? e : new Http2Error(H2ErrorCode.INTERNAL_ERROR, e instanceof Error ? e.message : String(e));
      this.fail(error, true);
    }
  }

  // ------------------------------------------------------------------ frames

  private onFrame(f: Frame): void {
    if (this.continuation && (f.type !== FrameType.CONTINUATION || f.streamId !== this.continuation.streamId)) {
      throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, "expected CONTINUATION of the open header block");
    }
    if (!this.peerSettingsSeen && (f.type !== FrameType.SETTINGS || f.flags & FrameFlag.ACK)) {
      throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, "the server's first frame was not SETTINGS");
    }
    switch (f.type) {
      case FrameType.DATA:
        return this.onData(f);
      case FrameType.HEADERS:
        return this.onHeaders(f);
      case FrameType.CONTINUATION:
        return this.onContinuation(f);
      case FrameType.PRIORITY:
        if (f.streamId === 0) throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, "PRIORITY on stream 0");
        if (f.payload.length !== 5) throw new Http2Error(H2ErrorCode.FRAME_SIZE_ERROR, "PRIORITY length", f.streamId);
        return;
      case FrameType.RST_STREAM:
        return this.onRstStream(f);
      case FrameType.SETTINGS:
        return this.onSettings(f);
      case FrameType.PUSH_PROMISE:
        throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, "PUSH_PROMISE although push is disabled");
      case FrameType.PING:
        return this.onPing(f);
      case FrameType.GOAWAY:
        return this.onGoaway(f);
      case FrameType.WINDOW_UPDATE:
        return this.onWindowUpdate(f);
      default:
        return; // unknown frame types are ignored (RFC 9113 section 4.1)
    }
  }

  /** Looks up a stream the server refers to; undefined for a stream that is already closed. */
  private peerStream(id: number, what: string): Http2Stream | undefined {
    if (id === 0) throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, `${what} on stream 0`);
    if (id % 2 === 0 || id >= this.nextStreamId) throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, `${what} on idle stream ${id}`);
    return this.streams.get(id);
  }

  private onData(f: Frame): void {
    const length = f.payload.length;
    this.recvConnWindow -= length;
    if (this.recvConnWindow < 0) throw new Http2Error(H2ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the connection window");
    // Connection-level credit goes back at once: the stream windows bound what we buffer.
    this.unackedConnRecv += length;
    if (this.unackedConnRecv >= this.limits.connectionWindowSize / 2) {
      this.send(encodeWindowUpdate(0, this.unackedConnRecv));
      this.recvConnWindow += this.unackedConnRecv;
      this.unackedConnRecv = 0;
    }
    const stream = this.peerStream(f.streamId, "DATA");
    if (!stream) return;
    if (stream.remoteClosed) throw new Http2Error(H2ErrorCode.STREAM_CLOSED, "DATA after END_STREAM", f.streamId);
    if (!stream.headersReceived) throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, "DATA before response headers", f.streamId);
    stream.recvWindow -= length;
    if (stream.recvWindow < 0) throw new Http2Error(H2ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the stream window", f.streamId);
    const content = frameContent(f);
    const endStream = (f.flags & FrameFlag.END_STREAM) !== 0;
    if (endStream) this.remoteEnded(stream);
    // Padding is never handed to the owner, so it is consumed here.
    if (length > content.length) this.consume(stream, length - content.length);
    this.callHandler(stream, () => stream.handler.onData(content, endStream));
    this.maybeFinish(stream);
  }

  private onHeaders(f: Frame): void {
    if (f.streamId === 0) throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, "HEADERS on stream 0");
    const fragment = frameContent(f);
    const block: PendingHeaderBlock = {
      streamId: f.streamId,
      endStream: (f.flags & FrameFlag.END_STREAM) !== 0,
      parts: [fragment],
      size: fragment.length,
    };
    this.checkBlockSize(block.size);
    if (f.flags & FrameFlag.END_HEADERS) this.onHeaderBlock(block);
    else this.continuation = block;
  }

  private onContinuation(f: Frame): void {
    const block = this.continuation;
    if (!block) throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, "CONTINUATION without HEADERS");
    block.parts.push(f.payload);
    block.size += f.payload.length;
    this.checkBlockSize(block.size);
    if (f.flags & FrameFlag.END_HEADERS) {
      this.continuation = undefined;
      this.onHeaderBlock(block);
    }
  }

  private checkBlockSize(size: number): void {
    if (size > this.limits.maxHeaderBlockBytes) {
      throw new Http2Error(H2ErrorCode.ENHANCE_YOUR_CALM, `header block over ${this.limits.maxHeaderBlockBytes} bytes`);
    }
  }

  private onHeaderBlock(block: PendingHeaderBlock): void {
    const bytes = new Uint8Array(block.size);
    let o = 0;
    for (const p of block.parts) {
      bytes.set(p, o);
      o += p.length;
    }
    // Decode first, whatever the stream's state: the HPACK table must stay in step with the server.
    const decoded = this.decoder.decode(bytes);
    const stream = this.peerStream(block.streamId, "HEADERS");
    if (!stream) return;
    if (stream.remoteClosed) throw new Http2Error(H2ErrorCode.STREAM_CLOSED, "HEADERS after END_STREAM", stream.id);
    if (decoded.tooLarge) {
      throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, `header list over ${this.limits.maxHeaderListSize}`, stream.id);
    }
    stream.headersReceived = true;
    if (block.endStream) this.remoteEnded(stream);
    this.callHandler(stream, () => stream.handler.onHeaders(decoded.headers, block.endStream));
    this.maybeFinish(stream);
  }

  private onRstStream(f: Frame): void {
    if (f.payload.length !== 4) throw new Http2Error(H2ErrorCode.FRAME_SIZE_ERROR, "RST_STREAM length");
    const stream = this.peerStream(f.streamId, "RST_STREAM");
    if (!stream) return;
    const code = new DataView(f.payload.buffer, f.payload.byteOffset, 4).getUint32(0);
    this.removeStream(stream);
    this.callHandler(stream, () => stream.handler.onReset(code, "stream reset by the server", "peer-reset"));
    this.maybeDrained();
  }

  private onSettings(f: Frame): void {
    const entries = decodeSettings(f);
    if (f.flags & FrameFlag.ACK) {
      this.timers.clear(this.settingsAckTimer);
      this.settingsAckTimer = undefined;
      return;
    }
    for (const [id, value] of entries) {
      switch (id) {
        case SettingId.ENABLE_PUSH:
          if (value !== 0) throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, `server sent ENABLE_PUSH ${value}`);
          break;
        case SettingId.MAX_CONCURRENT_STREAMS:
          this.peerMaxConcurrentStreams = value;
          break;
        case SettingId.INITIAL_WINDOW_SIZE: {
          if (value > MAX_WINDOW_SIZE) throw new Http2Error(H2ErrorCode.FLOW_CONTROL_ERROR, "INITIAL_WINDOW_SIZE above 2^31-1");
          const delta = value - this.peerInitialWindow;
          this.peerInitialWindow = value;
          for (const s of this.streams.values()) {
            s.sendWindow += delta;
            if (s.sendWindow > MAX_WINDOW_SIZE) throw new Http2Error(H2ErrorCode.FLOW_CONTROL_ERROR, "stream window above 2^31-1");
          }
          break;
        }
        case SettingId.MAX_FRAME_SIZE:
          if (value < DEFAULT_MAX_FRAME_SIZE || value > MAX_ALLOWED_FRAME_SIZE) {
            throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, `MAX_FRAME_SIZE ${value} out of range`);
          }
          this.peerMaxFrameSize = value;
          break;
        default:
          break; // HEADER_TABLE_SIZE needs nothing (our encoder never indexes); others are advisory or unknown
      }
    }
    this.send(encodeSettingsAck());
    if (!this.peerSettingsSeen) {
      this.peerSettingsSeen = true;
      this.state = "open";
      this.timers.clear(this.connectTimer);
      this.connectTimer = undefined;
      try {
        this.options.onReady?.();
      } catch {
        // The owner's failure is its own; the connection stays usable.
      }
    }
    this.flush();
  }

  private onPing(f: Frame): void {
    if (f.streamId !== 0) throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, "PING on a stream");
    if (f.payload.length !== 8) throw new Http2Error(H2ErrorCode.FRAME_SIZE_ERROR, "PING length");
    if (f.flags & FrameFlag.ACK) {
      this.timers.clear(this.keepaliveAckTimer);
      this.keepaliveAckTimer = undefined;
      return;
    }
    this.stats.pingsAnswered++;
    this.send(encodePing(f.payload, true));
  }

  private onGoaway(f: Frame): void {
    if (f.streamId !== 0) throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, "GOAWAY on a stream");
    if (f.payload.length < 8) throw new Http2Error(H2ErrorCode.FRAME_SIZE_ERROR, "GOAWAY length");
    const view = new DataView(f.payload.buffer, f.payload.byteOffset, 8);
    const lastStreamId = view.getUint32(0) & 0x7fffffff;
    const code = view.getUint32(4);
    const debugBytes = f.payload.subarray(8, 8 + 256);
    let debug = "";
    for (const b of debugBytes) debug += String.fromCharCode(b);
    if (this.state === "open") this.state = "draining";
    try {
      this.options.onGoaway?.(lastStreamId, code, debug);
    } catch {
      // ignore the owner's failure
    }
    for (const s of [...this.streams.values()]) {
      if (s.id > lastStreamId) {
        this.removeStream(s);
        this.callHandler(s, () => s.handler.onReset(H2ErrorCode.REFUSED_STREAM, "not processed before the server's GOAWAY", "connection-lost"));
      }
    }
    this.maybeDrained();
  }

  private onWindowUpdate(f: Frame): void {
    if (f.payload.length !== 4) throw new Http2Error(H2ErrorCode.FRAME_SIZE_ERROR, "WINDOW_UPDATE length");
    const increment = new DataView(f.payload.buffer, f.payload.byteOffset, 4).getUint32(0) & 0x7fffffff;
    if (f.streamId === 0) {
      if (increment === 0) throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE of 0 on the connection");
      this.sendConnWindow += increment;
      if (this.sendConnWindow > MAX_WINDOW_SIZE) throw new Http2Error(H2ErrorCode.FLOW_CONTROL_ERROR, "connection window above 2^31-1");
    } else {
      const stream = this.peerStream(f.streamId, "WINDOW_UPDATE");
      if (!stream) return;
      if (increment === 0) throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE of 0", stream.id);
      stream.sendWindow += increment;
      if (stream.sendWindow > MAX_WINDOW_SIZE) throw new Http2Error(H2ErrorCode.FLOW_CONTROL_ERROR, "stream window above 2^31-1", stream.id);
    }
    this.flush();
  }

  // ------------------------------------------------------------------ sending

  /** Sends queued DATA as far as the windows allow. */
  private flush(): void {
    if (this.state !== "open" && this.state !== "draining") return;
    for (const s of this.streams.values()) {
      if (s.closed || s.localClosed) continue;
      const before = s.pendingBytes;
      while (s.pendingBytes > 0 && this.sendConnWindow > 0 && s.sendWindow > 0 && this.out.queued < MAX_DATA_FRAME_PAYLOAD) {
        const n = Math.min(s.pendingBytes, this.sendConnWindow, s.sendWindow, this.peerMaxFrameSize, MAX_DATA_FRAME_PAYLOAD);
        const payload = this.take(s, n);
        const end = s.pendingBytes === 0 && s.endAfterPending;
        this.send(encodeFrame(FrameType.DATA, end ? FrameFlag.END_STREAM : 0, s.id, payload));
        this.sendConnWindow -= n;
        s.sendWindow -= n;
        if (end) s.localClosed = true;
      }
      if (s.pendingBytes === 0 && s.endAfterPending && !s.localClosed) {
        this.send(encodeFrame(FrameType.DATA, FrameFlag.END_STREAM, s.id));
        s.localClosed = true;
      }
      if (s.localClosed) this.maybeFinish(s);
      const half = this.limits.maxPendingSendBytes / 2;
      if (before >= half && s.pendingBytes < half && !s.closed) this.callHandler(s, () => s.handler.onWritable?.());
    }
  }

  private take(s: Http2Stream, n: number): Uint8Array {
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const head = s.pending[0];
      const k = Math.min(head.length, n - o);
      out.set(head.subarray(0, k), o);
      o += k;
      if (k === head.length) s.pending.shift();
      else s.pending[0] = head.subarray(k);
    }
    s.pendingBytes -= n;
    return out;
  }

  private send(bytes: Uint8Array): void {
    if (this.state === "closed" && bytes.length > 0 && bytes[3] !== FrameType.GOAWAY) return;
    if (!this.out.push(bytes)) {
      if (this.state !== "closed") this.fail(new Http2Error(H2ErrorCode.ENHANCE_YOUR_CALM, `the server does not read (${this.out.queued} bytes waiting to be sent)`), false);
      return;
    }
    this.stats.framesOut++;
    this.stats.bytesOut += bytes.length;
    this.writeOut();
  }

  /** Hands queued bytes to the socket as far as its last onWritable allows. */
  private writeOut(): void {
    if (this.tcp === undefined) return;
    try {
      this.out.flush(this.tcp);
    } catch (e) {
      if (this.state !== "closed") {
        this.fail(new Http2Error(H2ErrorCode.CONNECT_ERROR, `write failed: ${e instanceof Error ? e.message : String(e)}`), false);
      }
    }
  }

  // ------------------------------------------------------------------ lifecycle

  private remoteEnded(stream: Http2Stream): void {
    stream.remoteClosed = true;
  }

  private maybeFinish(stream: Http2Stream): void {
    if (stream.closed) return;
    if (stream.remoteClosed && stream.localClosed) {
      this.removeStream(stream);
      this.maybeDrained();
    }
  }

  private removeStream(stream: Http2Stream): void {
    stream.closed = true;
    stream.pending = [];
    stream.pendingBytes = 0;
    this.streams.delete(stream.id);
    if (this.streams.size === 0) this.disarmKeepalive();
  }

  private maybeDrained(): void {
    if (this.state === "draining" && this.streams.size === 0) this.fail(undefined, false);
  }

  private streamError(e: Http2Error): void {
    this.stats.streamErrors++;
    const stream = this.streams.get(e.streamId);
    if (stream) this.resetStream(stream, e.code, e.message, true);
    else this.send(encodeRstStream(e.streamId, e.code));
  }

  private callHandler(stream: Http2Stream, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      // A failing owner loses its stream, never the connection.
      if (!stream.closed) this.resetStream(stream, H2ErrorCode.CANCEL, `handler failed: ${e instanceof Error ? e.message : String(e)}`, true);
    }
  }

  private armKeepalive(): void {
    const interval = this.options.keepaliveMs ?? 0;
    if (interval <= 0 || this.keepaliveTimer) return;
    this.keepaliveTimer = this.timers.repeat(() => {
      if (this.keepaliveAckTimer || this.state === "closed") return;
      const data = new Uint8Array(8);
      new DataView(data.buffer).setUint32(4, ++this.pingCounter);
      this.send(encodePing(data, false));
      this.keepaliveAckTimer = this.timers.set(
        () => this.fail(new Http2Error(H2ErrorCode.CONNECT_ERROR, "keepalive PING not answered"), false),
        this.options.keepaliveTimeoutMs ?? 20000,
      );
    }, interval);
  }

  private disarmKeepalive(): void {
    this.timers.clear(this.keepaliveTimer);
    this.timers.clear(this.keepaliveAckTimer);
    this.keepaliveTimer = this.keepaliveAckTimer = undefined;
  }

  /**
   * Closes the connection. With `goaway`, a GOAWAY frame carries the error code (NO_ERROR for an
   * orderly close). Every open stream gets onReset(…, "connection-lost").
   */
  private fail(error: Http2Error | undefined, goaway: boolean): void {
    if (this.state === "closed") return;
    const wasConnected = this.state !== "connecting";
    this.state = "closed";
    this.closeError = error;
    for (const t of [this.connectTimer, this.settingsAckTimer]) this.timers.clear(t);
    this.disarmKeepalive();
    if (goaway && wasConnected) {
      const code = error?.code ?? H2ErrorCode.NO_ERROR;
      const debug = new Uint8Array([...(error?.message ?? "").slice(0, 200)].map((c) => c.charCodeAt(0) & 0x7f));
      this.send(encodeGoaway(0, code, debug));
    }
    try {
      this.tcp?.close();
    } catch {
      // already closed
    }
    this.out.clear();
    const code = error?.code ?? H2ErrorCode.NO_ERROR;
    const message = error?.message ?? "connection closed";
    for (const s of [...this.streams.values()]) {
      this.removeStream(s);
      this.callHandler(s, () => s.handler.onReset(code, message, "connection-lost"));
    }
    try {
      this.options.onClose?.(error);
    } catch {
      // ignore the owner's failure
    }
  }
}
