// ECMA-419 UDP socket over node:dgram, for the simulator's host provider.
//
// Shape as in modules/host/provider.ts: `new NodeUDP({address, port, onReadable, onError})`, `read()`
// returns one datagram as an ArrayBuffer carrying `address` and `port`, `write(buffer, address, port)`,
// `close()`. Without `address` the socket binds to 127.0.0.1 (the simulator only talks on loopback);
// pass "0.0.0.0" to reach a server on the LAN. Received datagrams wait in a bounded queue; when it is
// full, new ones are dropped and counted, as a device's network stack would drop them.

import dgram from "node:dgram";
import type { BufferSource, Datagram, UDP, UDPOptions } from "../../modules/host/provider.js";

export class NodeUDP implements UDP {
  /** Datagrams held for read() at most. */
  static readonly QUEUE_LIMIT = 1024;

  /** Datagrams dropped because the queue was full. */
  droppedDatagrams = 0;

  readonly #socket: dgram.Socket;
  readonly #queue: Datagram[] = [];
  readonly #options: UDPOptions;
  #closed = false;
  #bound: Promise<number>;

  constructor(options: UDPOptions) {
    this.#options = options;
    const socket = dgram.createSocket("udp4");
    this.#socket = socket;
    socket.on("message", (message, remote) => this.#onMessage(message, remote));
    socket.on("error", (error) => {
      if (!this.#closed) options.onError?.call(this, error);
    });
    this.#bound = new Promise((resolve) => socket.once("listening", () => resolve(socket.address().port)));
    socket.bind(options.port ?? 0, options.address ?? "127.0.0.1");
  }

  /** The local port once bound (useful to tests and logs; not part of ECMA-419). */
  localPort(): Promise<number> {
    return this.#bound;
  }

  read(): Datagram | undefined {
    return this.#queue.shift();
  }

  write(buffer: BufferSource, address: string, port: number): void {
    if (this.#closed) throw new Error("UDP socket is closed");
    // Copy: the caller may reuse its buffer before the send completes.
    const bytes =
      buffer instanceof ArrayBuffer
        ? Buffer.from(new Uint8Array(buffer))
        : Buffer.from(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    this.#socket.send(bytes, port, address, (error) => {
      if (error && !this.#closed) this.#options.onError?.call(this, error);
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.length = 0;
    this.#socket.close();
  }

  #onMessage(message: Buffer, remote: dgram.RemoteInfo): void {
    if (this.#closed) return;
    if (this.#queue.length >= NodeUDP.QUEUE_LIMIT) {
      this.droppedDatagrams++;
      return;
    }
    const data = new Uint8Array(message.length);
    data.set(message);
    this.#queue.push(Object.assign(data.buffer, { address: remote.address, port: remote.port }));
    this.#options.onReadable?.call(this, this.#queue.length);
  }
}
