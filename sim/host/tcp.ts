// The host provider's TCP socket on Node, one class for both kinds of connection: one it opens
// (`new NodeTCP({address, port, ...})`, io.TCP) and one a NodeListener accepted
// (`new NodeTCP({from: listener.read(), ...})`, io.AcceptedTCP).
//
// It is as narrow as the Moddable SDK's ESP32 socket (modules/io/socket/lwip/tcp.c and tcp.js in the
// SDK), where the firmware can tell:
// - connects to an IPv4 `address` only; `host` is refused (sdk-rules.ts);
// - callbacks never fire inside a constructor or a call (tcpTrigger posts them to the next turn);
// - onReadable(n) reports every byte waiting, and read() returns all of them (it takes no count);
// - onWritable(n) reports free send-buffer space, the lwIP send buffer at most (SDK_TCP_SEND_BUFFER),
//   which frees as Node hands bytes to the kernel (lwIP: as the peer acknowledges them, tcpSent);
//   write() throws "would block" beyond it, and "not ready" before the connection is up or once it
//   failed or the peer closed (xs_tcp_write checks tcp->ready, which tcpDeliver clears on an error);
// - a failure or the peer's close arrives through onError(), with no argument, once every received
//   byte has been read (tcpDeliver);
// - after close() nothing fires and read/write throw (the native host data is gone).
// Memory stays bounded: unread bytes beyond READ_HIGH_WATER pause the socket, so TCP flow control
// pushes back on the peer.

import net from "node:net";
import type { BufferSource, TCP, TCPFromOptions, TCPOptions } from "../../modules/host/provider.js";
import { checkTcpConnectOptions, refuseReadCount, SDK_TCP_SEND_BUFFER } from "./sdk-rules.js";

function toUint8(buffer: BufferSource): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Sockets already adopted: lwip moves the pcb out of `from`, so a second adoption is "invalid from". */
const adopted = new WeakSet<net.Socket>();

export class NodeTCP implements TCP {
  /** Unread bytes held before the socket is paused. */
  static readonly READ_HIGH_WATER = 64 * 1024;
  static readonly SEND_BUFFER = SDK_TCP_SEND_BUFFER;

  readonly #socket: net.Socket;
  readonly #options: TCPOptions | TCPFromOptions;
  readonly #chunks: Buffer[] = [];
  #available = 0;
  /** Bytes written and not yet taken by the kernel. */
  #inFlight = 0;
  #ready = false;
  #closed = false;
  /** Set once the socket failed or the peer closed. */
  #gone = false;
  /** The socket failed (rather than the peer closing): lwIP has freed the pcb (tcpError sets skt to NULL). */
  #failed = false;
  #errorReported = false;
  #writablePending = false;

  constructor(options: TCPOptions | TCPFromOptions) {
    this.#options = options;
    if ("from" in options) {
      const socket = (options.from as { accepted?: unknown } | undefined)?.accepted;
      if (!(socket instanceof net.Socket) || socket.destroyed || adopted.has(socket)) throw new Error("invalid from");
      adopted.add(socket);
      this.#socket = socket;
      socket.setNoDelay(options.nodelay ?? true);
      socket.removeAllListeners("error");
      this.#ready = true; // lwip xs_listener_read marks an accepted socket ready
      this.#listen();
      socket.resume();
      this.#signalWritable();
    } else {
      checkTcpConnectOptions(options);
      this.#socket = net.connect({ host: options.address, port: options.port, noDelay: options.nodelay ?? true });
      this.#socket.on("connect", () => {
        if (this.#closed) return;
        this.#ready = true;
        (options as TCPOptions).onConnect?.call(this);
        this.#signalWritable();
      });
      this.#listen();
    }
  }

  get remoteAddress(): string | undefined {
    this.#checkPcb();
    return this.#socket.remoteAddress;
  }

  get remotePort(): number | undefined {
    this.#checkPcb();
    return this.#socket.remotePort;
  }

  read(count?: unknown): ArrayBuffer | undefined {
    if (this.#closed) throw new Error("TCP: closed");
    refuseReadCount(count);
    if (this.#available === 0) return undefined;
    const out = new Uint8Array(this.#available);
    let o = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, o);
      o += chunk.length;
    }
    this.#chunks.length = 0;
    this.#available = 0;
    if (this.#socket.isPaused() && !this.#gone) this.#socket.resume();
    if (this.#gone) setImmediate(() => this.#reportError());
    return out.buffer;
  }

  write(buffer: BufferSource): void {
    if (this.#closed) throw new Error("TCP: closed");
    if (!this.#ready || this.#gone) throw new Error("not ready");
    const bytes = toUint8(buffer);
    if (bytes.length > this.#writable()) throw new Error("would block");
    this.#inFlight += bytes.length;
    // Copy: the caller may reuse its buffer before the bytes leave.
    this.#socket.write(Buffer.from(bytes), () => {
      this.#inFlight -= bytes.length;
      this.#signalWritable();
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#chunks.length = 0;
    this.#available = 0;
    // Let queued bytes (a response, a GOAWAY) go out, then release the socket.
    this.#socket.end(() => this.#socket.destroy());
    this.#socket.setTimeout(2000, () => this.#socket.destroy());
  }

  #listen(): void {
    const socket = this.#socket;
    socket.on("data", (data: Buffer) => this.#onData(data));
    socket.on("end", () => this.#onGone(false));
    socket.on("close", () => this.#onGone(false));
    socket.on("error", () => this.#onGone(true));
  }

  /** lwIP frees the pcb on a failure, and remoteAddress/remotePort then dereference NULL on the device. */
  #checkPcb(): void {
    if (this.#closed) throw new Error("TCP: closed");
    if (this.#failed) throw new Error("TCP: the connection failed (the device has no remote address then)");
  }

  #writable(): number {
    return Math.max(0, NodeTCP.SEND_BUFFER - this.#inFlight);
  }

  /** onWritable on a later turn (never inside the constructor or a write). */
  #signalWritable(): void {
    if (this.#writablePending) return;
    this.#writablePending = true;
    setImmediate(() => {
      this.#writablePending = false;
      const n = this.#writable();
      if (!this.#closed && this.#ready && !this.#gone && n > 0) this.#options.onWritable?.call(this, n);
    });
  }

  #onData(data: Buffer): void {
    if (this.#closed) return;
    this.#chunks.push(data);
    this.#available += data.length;
    if (this.#available >= NodeTCP.READ_HIGH_WATER) this.#socket.pause();
    this.#options.onReadable?.call(this, this.#available);
  }

  #onGone(failed: boolean): void {
    if (failed) this.#failed = true;
    if (this.#gone) return;
    this.#gone = true;
    if (this.#available === 0) setImmediate(() => this.#reportError());
  }

  #reportError(): void {
    if (this.#errorReported || this.#closed || this.#available > 0) return;
    this.#errorReported = true;
    this.#options.onError?.call(this);
  }
}
