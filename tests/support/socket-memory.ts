// Test-only: ECMA-419 Listener and adopted TCP sockets in memory, shaped as modules/host/provider.ts
// describes them (`new Listener({port, onReadable})`, `listener.read()` hands over a connection,
// `new TCP({from, onReadable, onWritable, onError})` adopts it), plus the client end a test drives.
// As narrow as the Moddable SDK's ESP32 sockets (sim/host/sdk-rules.ts, sim/host/tcp.ts say where):
// read() takes no count and returns every byte waiting; onError() has no argument and comes once
// every byte has been read; writes throw "not ready" once the peer has closed; a Listener takes no
// `address` and never calls onError; an adopted socket stays alive, with all its callbacks reach,
// until close() is called, whatever the peer did (lwip/tcp.c and lin/tcp.c xsRemember, released only
// in doClose): MemoryNetwork.unclosedSockets counts them. Events are delivered through `defer` (timers), never from
// inside the call that caused them. Platform-neutral: the XS web suite and the XS stand-ins for
// Moddable's sockets use it.
import type {
  BufferSource,
  Listener,
  ListenerConstructor,
  ListenerOptions,
  TCP,
  TCPFrom,
  TCPFromConstructor,
  TCPFromOptions,
} from "../../modules/host/provider.js";
import { utf8Encode } from "../../modules/util/bytes.js";
import { refuseBindAddress, refuseReadCount } from "../../sim/host/sdk-rules.js";

/** Bytes an adopted socket accepts per onWritable (like lwip's send buffer). */
export const MEMORY_WRITE_WINDOW = 2048;

function bytesOf(buffer: BufferSource): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer.slice();
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer.slice(0));
  return new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
}

/** One connection: what each side has sent and whether it has closed. */
class Pipe {
  readonly toServer: Uint8Array[] = [];
  toServerBytes = 0;
  readonly toClient: Uint8Array[] = [];
  clientClosed = false;
  serverClosed = false;
  server: MemoryAcceptedTCP | undefined;
  constructor(readonly remoteAddress: string) {}
}

/** The test's end of a connection. */
export class MemoryClient {
  readonly #pipe: Pipe;
  readonly #defer: (fn: () => void) => void;

  constructor(pipe: Pipe, defer: (fn: () => void) => void) {
    this.#pipe = pipe;
    this.#defer = defer;
  }

  send(data: Uint8Array | string): void {
    if (this.#pipe.clientClosed) throw new Error("memory socket: the client has closed");
    const bytes = typeof data === "string" ? utf8Encode(data) : data.slice();
    if (bytes.length === 0) return;
    this.#pipe.toServer.push(bytes);
    this.#pipe.toServerBytes += bytes.length;
    this.#defer(() => this.#pipe.server?.notifyReadable());
  }

  /** Everything the server has written so far. */
  received(): Uint8Array {
    let total = 0;
    for (const c of this.#pipe.toClient) total += c.length;
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of this.#pipe.toClient) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }

  /** True once the server closed the connection. */
  get closedByServer(): boolean {
    return this.#pipe.serverClosed;
  }

  close(): void {
    if (this.#pipe.clientClosed) return;
    this.#pipe.clientClosed = true;
    this.#defer(() => this.#pipe.server?.notifyPeerClosed());
  }
}

class MemoryAcceptedTCP implements TCP {
  readonly #pipe: Pipe;
  readonly #options: TCPFromOptions;
  readonly #defer: (fn: () => void) => void;
  #closed = false;
  #errorSent = false;
  /** Bytes written since the last onWritable: the window is shared by every write until then (lwip tcp_sndbuf). */
  #unacknowledged = 0;

  readonly #remembered: Set<MemoryAcceptedTCP>;

  constructor(options: TCPFromOptions, defer: (fn: () => void) => void, remembered: Set<MemoryAcceptedTCP>) {
    const pipe = (options.from as { accepted: unknown }).accepted;
    if (!(pipe instanceof Pipe) || pipe.server !== undefined) throw new Error("memory socket: `from` is not an unadopted connection of this network");
    this.#remembered = remembered;
    remembered.add(this);
    this.#pipe = pipe;
    this.#options = options;
    this.#defer = defer;
    pipe.server = this;
    defer(() => {
      if (this.#closed) return;
      options.onWritable?.call(this, MEMORY_WRITE_WINDOW);
      this.notifyReadable();
    });
  }

  get remoteAddress(): string {
    return this.#pipe.remoteAddress;
  }

  get remotePort(): number {
    return 49152;
  }

  notifyReadable(): void {
    if (this.#closed) return;
    if (this.#pipe.toServerBytes > 0) this.#options.onReadable?.call(this, this.#pipe.toServerBytes);
    else this.notifyPeerClosed();
  }

  /** ECMA-419: the peer's close arrives through onError(), with no argument, once every received byte has been read. */
  notifyPeerClosed(): void {
    if (this.#closed || this.#errorSent || !this.#pipe.clientClosed || this.#pipe.toServerBytes > 0) return;
    this.#errorSent = true;
    this.#options.onError?.call(this);
  }

  read(count?: unknown): ArrayBuffer | undefined {
    if (this.#closed) throw new Error("memory socket: closed");
    refuseReadCount(count);
    const pipe = this.#pipe;
    const n = pipe.toServerBytes;
    if (n <= 0) return undefined;
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const head = pipe.toServer[0];
      const take = Math.min(head.length, n - o);
      out.set(head.subarray(0, take), o);
      o += take;
      if (take === head.length) pipe.toServer.shift();
      else pipe.toServer[0] = head.subarray(take);
    }
    pipe.toServerBytes -= n;
    if (pipe.toServerBytes === 0) this.#defer(() => this.notifyPeerClosed());
    return out.buffer;
  }

  write(buffer: BufferSource): void {
    if (this.#closed) throw new Error("memory socket: closed");
    // The peer's close clears lwip's `ready` at once (tcpDeliver), even while bytes wait unread.
    if (this.#pipe.clientClosed) throw new Error("not ready");
    const bytes = bytesOf(buffer);
    if (bytes.length > MEMORY_WRITE_WINDOW - this.#unacknowledged) throw new Error("would block");
    this.#pipe.toClient.push(bytes);
    this.#unacknowledged += bytes.length;
    this.#defer(() => {
      this.#unacknowledged = 0; // the test's client takes everything at once
      if (!this.#closed && !this.#pipe.clientClosed) this.#options.onWritable?.call(this, MEMORY_WRITE_WINDOW);
    });
  }

  close(): void {
    this.#closed = true;
    this.#pipe.serverClosed = true;
    this.#remembered.delete(this);
  }
}

/** Listeners by port and the connections waiting in their backlogs. */
export class MemoryNetwork {
  readonly Listener: ListenerConstructor;
  readonly TCP: TCPFromConstructor;
  readonly #listeners = new Map<number, { options: ListenerOptions; backlog: Pipe[]; listener: Listener }>();
  readonly #defer: (fn: () => void) => void;
  /** Adopted sockets not closed yet: the SDK keeps each alive until close(). */
  readonly #remembered = new Set<MemoryAcceptedTCP>();

  constructor(defer: (fn: () => void) => void) {
    this.#defer = defer;
    const network = this;
    const listeners = this.#listeners;
    this.Listener = class MemoryListener implements Listener {
      readonly port: number;
      constructor(options: ListenerOptions) {
        refuseBindAddress("Listener", options);
        if (listeners.has(options.port)) throw new Error(`memory socket: port ${options.port} is in use`);
        this.port = options.port;
        listeners.set(options.port, { options, backlog: [], listener: this });
      }
      read(): TCPFrom | undefined {
        const pipe = listeners.get(this.port)?.backlog.shift();
        return pipe === undefined ? undefined : { accepted: pipe };
      }
      close(): void {
        if (listeners.get(this.port)?.listener === this) listeners.delete(this.port);
      }
    };
    this.TCP = class extends MemoryAcceptedTCP {
      constructor(options: TCPFromOptions) {
        super(options, network.#defer, network.#remembered);
      }
    };
  }

  /** Adopted sockets whose close() was never called: on the device each one is a leak. */
  get unclosedSockets(): number {
    return this.#remembered.size;
  }

  /** True while something listens on `port`. */
  listening(port: number): boolean {
    return this.#listeners.has(port);
  }

  /** Opens a connection to `port`; throws when nothing listens there. */
  connect(port: number, remoteAddress = "192.168.4.2"): MemoryClient {
    const entry = this.#listeners.get(port);
    if (entry === undefined) throw new Error(`memory socket: connection refused on port ${port}`);
    const pipe = new Pipe(remoteAddress);
    entry.backlog.push(pipe);
    this.#defer(() => entry.options.onReadable?.call(entry.listener, entry.backlog.length));
    return new MemoryClient(pipe, this.#defer);
  }
}
