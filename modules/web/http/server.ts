// The HTTP server over the host provider's ECMA-419 Listener and TCP classes. It serves up to
// `limits.maxConnections` connections. At the limit a waiting connection takes the slot of the
// oldest idle keep-alive connection (one that has served a request and now waits for another);
// when every slot is busy it waits in the listener's backlog and is adopted as soon as a slot frees
// (a browser loading a page opens several connections at once: queueing beats refusing).
// The request handling (HttpConnection + the handler) knows nothing of this transport.

import type {
  Listener,
  ListenerConstructor,
  Log,
  TCP,
  TCPFrom,
  TCPFromConstructor,
  Timers,
} from "../../host/provider.js";
import { HttpConnection, describeError, newHttpStats, type ByteTransport, type HttpStats } from "./connection.js";
import { DEFAULT_LIMITS, type HttpHandler, type HttpLimits } from "./types.js";

export interface HttpServerOptions {
  Listener: ListenerConstructor;
  /** Adopts accepted connections (`new TCP({from})`): io.AcceptedTCP, or io.TCP on ECMA-419 hosts. */
  TCP: TCPFromConstructor;
  port: number;
  /** Refused when set: the SDK's Listener binds every interface (lwip xs_listener_constructor `//@@ address`). */
  address?: string;
  /** Which peers are served, by their IPv4 address (absent: every peer); the others are closed at once and counted. */
  acceptPeer?(remoteAddress: string | undefined): boolean;
  handler: HttpHandler;
  timers: Timers;
  limits?: Partial<HttpLimits>;
  log?: Log;
}

interface TransportEvents {
  readable(): void;
  lost(): void;
  /** A socket callback threw: the connection is to be closed and the error counted. */
  failed(error: unknown): void;
}

/**
 * ECMA-419 TCP as a ByteTransport: writes no more than onWritable allows. The socket's read() returns
 * every byte waiting (the Moddable SDK's takes no count), so what the connection did not ask for
 * waits here: at most one read's worth, as the socket is read again only once it is used up.
 */
class TcpTransport implements ByteTransport {
  #tcp: TCP | undefined;
  /** Bytes read from the socket that the connection has not taken yet. */
  #surplus: Uint8Array | undefined;
  /** Read at adoption: the device's socket has no remote address after a failure (lwip tcpError frees the pcb). */
  readonly #remoteAddress: string | undefined;
  #writable = 0;
  readonly #queue: { bytes: Uint8Array; offset: number; sent: () => void }[] = [];
  #closed = false;

  constructor(TCPClass: TCPFromConstructor, from: TCPFrom, events: TransportEvents) {
    const self = this;
    // No exception from a socket callback may reach the host's event loop.
    const guarded = (step: () => void) => {
      try {
        step();
      } catch (error) {
        events.failed(error);
      }
    };
    this.#tcp = new TCPClass({
      from,
      nodelay: true,
      onReadable() {
        guarded(() => events.readable());
      },
      onWritable(bytes) {
        guarded(() => {
          self.#writable = bytes;
          self.#flush();
        });
      },
      onError() {
        guarded(() => {
          if (!self.#closed) events.lost();
        });
      },
    });
    let remoteAddress: string | undefined;
    try {
      remoteAddress = this.#tcp.remoteAddress;
    } catch {
      remoteAddress = undefined; // a stand-in refusing it: the peer is already gone
    }
    this.#remoteAddress = remoteAddress;
  }

  get remoteAddress(): string | undefined {
    return this.#remoteAddress;
  }

  read(max: number): Uint8Array | undefined {
    if (max <= 0 || this.#tcp === undefined || this.#closed) return undefined;
    if (this.#surplus === undefined) {
      const buffer = this.#tcp.read();
      if (buffer === undefined || buffer.byteLength === 0) return undefined;
      this.#surplus = new Uint8Array(buffer);
    }
    const bytes = this.#surplus;
    if (bytes.length <= max) {
      this.#surplus = undefined;
      return bytes;
    }
    this.#surplus = bytes.subarray(max);
    return bytes.subarray(0, max);
  }

  write(bytes: Uint8Array, sent: () => void): void {
    if (this.#closed) return;
    this.#queue.push({ bytes, offset: 0, sent });
    this.#flush();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#surplus = undefined;
    this.#queue.length = 0;
    this.#tcp?.close();
  }

  #flush(): void {
    while (!this.#closed && this.#tcp !== undefined && this.#queue.length > 0 && this.#writable > 0) {
      const head = this.#queue[0];
      const n = Math.min(this.#writable, head.bytes.length - head.offset);
      try {
        this.#tcp.write(head.bytes.subarray(head.offset, head.offset + n));
      } catch {
        this.#writable = 0; // "would block": wait for the next onWritable
        return;
      }
      this.#writable -= n;
      head.offset += n;
      if (head.offset === head.bytes.length) {
        this.#queue.shift();
        head.sent();
      }
    }
  }
}

export class HttpServer {
  readonly stats: HttpStats = newHttpStats();
  readonly limits: HttpLimits;
  readonly #options: HttpServerOptions;
  readonly #listener: Listener;
  /** Open connections, oldest first. */
  readonly #connections = new Set<HttpConnection>();
  /** Connections the listener holds for us (its last onReadable count, less what we took). */
  #waiting = 0;
  #accepting = false;
  #closed = false;

  constructor(options: HttpServerOptions) {
    this.#options = options;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const self = this;
    // The SDK's Listener binds every interface and has no onError (lwip xs_listener_constructor).
    if (options.address !== undefined) throw new Error("HttpServer: a listener cannot bind one address (the Moddable SDK's binds every interface)");
    this.#listener = new options.Listener({
      port: options.port,
      onReadable(count) {
        try {
          self.#waiting = count;
          self.#acceptWaiting();
        } catch (error) {
          self.#internalError(error);
        }
      },
    });
  }

  get port(): number {
    return this.#listener.port;
  }

  get activeConnections(): number {
    return this.#connections.size;
  }

  close(): void {
    this.#closed = true;
    this.#listener.close();
    for (const connection of [...this.#connections]) connection.close();
  }

  /** Adopts waiting connections while there are free (or freeable) slots. */
  #acceptWaiting(): void {
    if (this.#accepting) return;
    this.#accepting = true;
    try {
      while (this.#waiting > 0 && !this.#closed) {
        if (this.#connections.size >= this.limits.maxConnections) {
          let idle: HttpConnection | undefined;
          for (const c of this.#connections) {
            if (c.idle && c.served > 0) {
              idle = c;
              break;
            }
          }
          if (idle === undefined) {
            this.stats.connectionsQueued++;
            return; // adopted when a connection closes
          }
          this.stats.connectionsEvicted++;
          idle.close();
        }
        const from = this.#listener.read();
        if (from === undefined) {
          this.#waiting = 0;
          return;
        }
        this.#waiting--;
        this.#adopt(from);
      }
    } finally {
      this.#accepting = false;
    }
  }

  /** Counts and logs an exception caught in a listener or socket callback. */
  #internalError(error: unknown): void {
    this.stats.internalErrors++;
    this.stats.lastInternalError = describeError(error);
    try {
      this.#options.log?.("error", "web", `connection closed after an internal error: ${this.stats.lastInternalError}`);
    } catch {
      // the count stands
    }
  }

  #adopt(from: TCPFrom): void {
    this.stats.connectionsAccepted++;
    let connection: HttpConnection | undefined;
    let early = false;
    let transport: TcpTransport;
    try {
      transport = new TcpTransport(this.#options.TCP, from, {
        readable: () => (connection ? connection.readable() : (early = true)),
        lost: () => connection?.lost(),
        failed: (error) => {
          this.#internalError(error);
          connection?.close();
        },
      });
    } catch (error) {
      this.#internalError(error); // the socket could not be adopted; the listener goes on
      return;
    }
    if (this.#options.acceptPeer !== undefined && !this.#options.acceptPeer(transport.remoteAddress)) {
      this.stats.connectionsRefused++;
      transport.close();
      return;
    }
    connection = new HttpConnection(transport, {
      handler: this.#options.handler,
      limits: this.limits,
      timers: this.#options.timers,
      stats: this.stats,
      onHandlerError: (error, request) =>
        this.#options.log?.("error", "web", `${request.method} ${request.path} failed: ${describeError(error)}`),
      onInternalError: (error) =>
        this.#options.log?.("error", "web", `connection closed after an internal error: ${describeError(error)}`),
      onClose: (c) => {
        this.#connections.delete(c);
        this.#acceptWaiting();
      },
    });
    this.#connections.add(connection);
    if (early) connection.readable();
  }
}
