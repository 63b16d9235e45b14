// Outgoing bytes for an ECMA-419 TCP socket. The Moddable SDK's socket takes no more than its free
// send-buffer space in one write() ("would block" otherwise; lwIP's send buffer is 5744 bytes on the
// ESP32-S3) and reports that space through onWritable, so bytes wait here, bounded, and go out as
// onWritable allows.

import type { TCP } from "./provider.js";

interface Chunk {
  readonly bytes: Uint8Array;
  offset: number;
  readonly sent: (() => void) | undefined;
}

export class TcpSendQueue {
  readonly #chunks: Chunk[] = [];
  #queued = 0;
  /** Free space the socket last reported, less what has been written since. */
  #writable = 0;

  /** `limit`: bytes held at most; push() refuses more. */
  constructor(readonly limit: number) {}

  /** Bytes waiting for the socket. */
  get queued(): number {
    return this.#queued;
  }

  /**
   * Queues bytes (not copied: the caller leaves them alone); `sent` runs once the socket took all of
   * them. False, and nothing queued, when the queue would exceed its limit.
   */
  push(bytes: Uint8Array, sent?: () => void): boolean {
    if (this.#queued + bytes.length > this.limit) return false;
    if (bytes.length > 0) {
      this.#chunks.push({ bytes, offset: 0, sent });
      this.#queued += bytes.length;
    } else sent?.();
    return true;
  }

  /** The socket's onWritable count. */
  writable(bytes: number): void {
    this.#writable = bytes;
  }

  /** Writes as much as the socket can take now. Throws what the socket's write() throws. */
  flush(tcp: TCP): void {
    while (this.#chunks.length > 0 && this.#writable > 0) {
      const head = this.#chunks[0];
      const n = Math.min(this.#writable, head.bytes.length - head.offset);
      tcp.write(head.bytes.subarray(head.offset, head.offset + n));
      this.#writable -= n;
      this.#queued -= n;
      head.offset += n;
      if (head.offset === head.bytes.length) {
        this.#chunks.shift();
        head.sent?.();
      }
    }
  }

  /** Drops everything waiting (the connection is gone). */
  clear(): void {
    this.#chunks.length = 0;
    this.#queued = 0;
    this.#writable = 0;
  }
}
