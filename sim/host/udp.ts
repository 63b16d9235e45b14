// The host provider's UDP socket on Node (io.UDP), as narrow as the Moddable SDK's ESP32 socket
// (modules/io/socket/lwip/udp.c and udp.js in the SDK):
// - options `port` (any free one when absent) and `onReadable(datagrams waiting)`; `address` is
//   refused (the device binds every interface; this one binds loopback, where the simulator lives);
//   `onError` is never called (xs_udp_constructor does not read it);
// - read() returns one datagram as an ArrayBuffer carrying `address` and `port`, at most
//   SDK_UDP_READ_LIMIT bytes of it (xs_udp_read copies the first pbuf only); undefined when none wait;
// - write(buffer, address, port) takes an IPv4 address only (a name throws RangeError, resolveIP) and
//   throws where the device throws; a send that fails later (Node reports it asynchronously) is
//   counted as lost, as a datagram the network dropped;
// - after close() read and write throw (the native host data is gone).
// Received datagrams wait in a bounded queue; when it is full, new ones are dropped and counted, as a
// device's network stack would drop them.

import dgram from "node:dgram";
import type { BufferSource, Datagram, UDP, UDPOptions } from "../../modules/host/provider.js";
import { checkUdpDestination, refuseBindAddress, SDK_UDP_READ_LIMIT } from "./sdk-rules.js";

export class NodeUDP implements UDP {
  /** Datagrams held for read() at most. */
  static readonly QUEUE_LIMIT = 1024;

  /** Datagrams dropped because the queue was full. */
  droppedDatagrams = 0;
  /** Datagrams longer than SDK_UDP_READ_LIMIT, of which read() returned the first bytes only. */
  truncatedDatagrams = 0;
  /** Sends that failed after write() returned. */
  failedSends = 0;

  readonly #socket: dgram.Socket;
  readonly #queue: Datagram[] = [];
  readonly #options: UDPOptions;
  #closed = false;
  #bound: Promise<number>;

  constructor(options: UDPOptions) {
    refuseBindAddress("UDP", options);
    this.#options = options;
    const socket = dgram.createSocket("udp4");
    this.#socket = socket;
    socket.on("message", (message, remote) => this.#onMessage(message, remote));
    socket.on("error", () => {}); // the device has no error callback; failed sends are counted
    this.#bound = new Promise((resolve) => socket.once("listening", () => resolve(socket.address().port)));
    socket.bind(options.port ?? 0, "127.0.0.1");
  }

  /** The local port once bound (useful to tests and logs; not part of ECMA-419). */
  localPort(): Promise<number> {
    return this.#bound;
  }

  read(): Datagram | undefined {
    if (this.#closed) throw new Error("UDP: closed");
    return this.#queue.shift();
  }

  write(buffer: BufferSource, address: string, port: number): void {
    if (this.#closed) throw new Error("UDP: closed");
    checkUdpDestination(address);
    // Copy: the caller may reuse its buffer before the send completes.
    const bytes =
      buffer instanceof ArrayBuffer
        ? Buffer.from(new Uint8Array(buffer))
        : Buffer.from(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    this.#socket.send(bytes, port, address, (error) => {
      if (error) this.failedSends++;
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
    if (message.length > SDK_UDP_READ_LIMIT) this.truncatedDatagrams++;
    const data = new Uint8Array(Math.min(message.length, SDK_UDP_READ_LIMIT));
    data.set(message.subarray(0, data.length));
    this.#queue.push(Object.assign(data.buffer, { address: remote.address, port: remote.port }));
    this.#options.onReadable?.call(this, this.#queue.length);
  }
}
