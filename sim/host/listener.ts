// The ECMA-419 Listener and the TCP class that adopts its connections, over node:net, for the
// simulator's host provider (io.Listener and io.AcceptedTCP).
//
// They behave like Moddable's lwip classes (modules/io/socket/lwip/tcp.c) where the firmware can
// tell: callbacks never fire inside a constructor; onReadable(n) reports all bytes waiting and
// read(n) refuses more than that; onWritable(n) reports free send-buffer space and write() throws
// "would block" beyond it; the peer's close arrives through onError once every received byte has
// been read. Memory stays bounded: accepted-but-unadopted connections and unread bytes are capped
// (the socket is paused, so TCP flow control pushes back on the peer).

import net from "node:net";
import type {
  BufferSource,
  Listener,
  ListenerOptions,
  TCP,
  TCPFrom,
  TCPFromOptions,
} from "../../modules/host/provider.js";

function toUint8(buffer: BufferSource): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export class NodeListener implements Listener {
  /** Accepted connections waiting for read(); beyond this they are closed at once. */
  static readonly BACKLOG_LIMIT = 16;

  /** Connections closed because the backlog was full. */
  droppedConnections = 0;

  readonly #server: net.Server;
  readonly #pending: net.Socket[] = [];
  readonly #listening: Promise<number>;
  #closed = false;

  constructor(options: ListenerOptions) {
    const server = net.createServer({ pauseOnConnect: true, noDelay: true });
    this.#server = server;
    server.on("connection", (socket) => {
      if (this.#closed || this.#pending.length >= NodeListener.BACKLOG_LIMIT) {
        this.droppedConnections++;
        socket.destroy();
        return;
      }
      socket.on("error", () => {}); // reported once adopted; until then a reset just drops it
      this.#pending.push(socket);
      options.onReadable?.call(this, this.#pending.length);
    });
    server.on("error", (error) => {
      if (!this.#closed) options.onError?.call(this, error);
    });
    this.#listening = new Promise((resolve, reject) => {
      server.once("listening", () => resolve((server.address() as net.AddressInfo).port));
      server.once("error", reject);
    });
    this.#listening.catch(() => {}); // reported through onError
    server.listen(options.port, options.address ?? "127.0.0.1");
  }

  /** The bound port (0 until listening: await listening() when binding port 0). */
  get port(): number {
    const address = this.#server.address();
    return address !== null && typeof address === "object" ? address.port : 0;
  }

  /** Resolves with the bound port (not part of ECMA-419; for tests and the simulator's banner). */
  listening(): Promise<number> {
    return this.#listening;
  }

  read(): TCPFrom | undefined {
    const socket = this.#pending.shift();
    return socket === undefined ? undefined : { accepted: socket };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const socket of this.#pending.splice(0)) socket.destroy();
    this.#server.close();
  }
}

export class NodeAcceptedTCP implements TCP {
  /** Unread bytes held before the socket is paused. */
  static readonly READ_HIGH_WATER = 64 * 1024;
  /** Send-buffer size reported through onWritable (lwip's TCP_SND_BUF is a few KiB on the ESP32). */
  static readonly SEND_WINDOW = 16 * 1024;

  readonly #socket: net.Socket;
  readonly #options: TCPFromOptions;
  readonly #chunks: Buffer[] = [];
  #available = 0;
  #closed = false;
  #peerGone: Error | undefined;
  #errorReported = false;
  #writablePending = false;

  constructor(options: TCPFromOptions) {
    const socket = (options.from as { accepted?: unknown }).accepted;
    if (!(socket instanceof net.Socket) || socket.destroyed) throw new Error("invalid from");
    this.#socket = socket;
    this.#options = options;
    socket.setNoDelay(options.nodelay ?? true);
    socket.removeAllListeners("error");
    socket.on("data", (data: Buffer) => this.#onData(data));
    socket.on("drain", () => this.#signalWritable());
    socket.on("end", () => this.#onGone(new Error("connection closed by peer")));
    socket.on("close", () => this.#onGone(new Error("connection closed")));
    socket.on("error", (error) => this.#onGone(error));
    socket.resume();
    this.#signalWritable();
  }

  get remoteAddress(): string | undefined {
    return this.#socket.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.#socket.remotePort;
  }

  read(byteLength?: number): ArrayBuffer | undefined {
    if (this.#available === 0) return undefined;
    const n = byteLength ?? this.#available;
    if (!(n > 0) || n > this.#available) throw new RangeError("invalid read length");
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const head = this.#chunks[0];
      const k = Math.min(head.length, n - o);
      out.set(head.subarray(0, k), o);
      o += k;
      if (k === head.length) this.#chunks.shift();
      else this.#chunks[0] = head.subarray(k);
    }
    this.#available -= n;
    if (this.#available < NodeAcceptedTCP.READ_HIGH_WATER && this.#socket.isPaused() && !this.#closed) {
      this.#socket.resume();
    }
    if (this.#available === 0 && this.#peerGone) this.#reportError();
    return out.buffer;
  }

  write(buffer: BufferSource): void {
    if (this.#closed || this.#socket.destroyed) throw new Error("socket is closed");
    const bytes = toUint8(buffer);
    if (bytes.length > this.#writable()) throw new Error("would block");
    // Copy: the caller may reuse its buffer before the bytes leave.
    if (this.#socket.write(Buffer.from(bytes))) this.#signalWritable();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#chunks.length = 0;
    this.#available = 0;
    // Let queued bytes (the response) go out, then release the socket.
    this.#socket.end(() => this.#socket.destroy());
    this.#socket.setTimeout(2000, () => this.#socket.destroy());
  }

  #writable(): number {
    return Math.max(0, NodeAcceptedTCP.SEND_WINDOW - this.#socket.writableLength);
  }

  /** onWritable on a later turn (never inside the constructor or a write). */
  #signalWritable(): void {
    if (this.#writablePending) return;
    this.#writablePending = true;
    setImmediate(() => {
      this.#writablePending = false;
      const n = this.#writable();
      if (!this.#closed && !this.#peerGone && n > 0) this.#options.onWritable?.call(this, n);
    });
  }

  #onData(data: Buffer): void {
    if (this.#closed) return;
    this.#chunks.push(data);
    this.#available += data.length;
    if (this.#available >= NodeAcceptedTCP.READ_HIGH_WATER) this.#socket.pause();
    this.#options.onReadable?.call(this, this.#available);
  }

  #onGone(error: Error): void {
    if (this.#peerGone) return;
    this.#peerGone = error;
    if (this.#available === 0) setImmediate(() => this.#reportError());
  }

  #reportError(): void {
    if (this.#errorReported || this.#closed) return;
    this.#errorReported = true;
    this.#options.onError?.call(this, this.#peerGone);
  }
}
