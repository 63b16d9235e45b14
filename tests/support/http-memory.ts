// In-memory transport for the HTTP connection (no sockets): tests feed request bytes in any
// fragmentation, run virtual time, and read back what the server wrote (parsed strictly by
// http-responses.ts).

import { HttpConnection, newHttpStats, type ByteTransport, type HttpStats } from "../../modules/web/http/connection.js";
import { DEFAULT_LIMITS, type HttpHandler, type HttpLimits } from "../../modules/web/http/types.js";
import { VirtualTime } from "./virtual-time.js";
import { parseResponses, type ParsedResponse } from "./http-responses.js";

export { parseResponses, type ParsedResponse };

export class MemoryTransport implements ByteTransport {
  readonly remoteAddress = "192.0.2.7";
  readonly #input: Uint8Array[] = [];
  readonly written: Uint8Array[] = [];
  closed = false;
  /** Largest `max` the connection ever asked for: its buffer bound. */
  largestRead = 0;
  /** Bytes waiting to be read by the connection (it stops reading while it answers). */
  waiting = 0;
  /** When set, writes complete only on flushWrites() (a slow peer). */
  deferWrites = false;
  readonly #pendingSent: (() => void)[] = [];

  feed(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#input.push(bytes);
    this.waiting += bytes.length;
  }

  read(max: number): Uint8Array | undefined {
    this.largestRead = Math.max(this.largestRead, max);
    if (this.#input.length === 0 || max <= 0) return undefined;
    const head = this.#input[0];
    if (head.length <= max) {
      this.#input.shift();
      this.waiting -= head.length;
      return head;
    }
    this.#input[0] = head.subarray(max);
    this.waiting -= max;
    return head.subarray(0, max);
  }

  write(bytes: Uint8Array, sent: () => void): void {
    this.written.push(bytes.slice());
    if (this.deferWrites) this.#pendingSent.push(sent);
    else sent();
  }

  flushWrites(): void {
    for (const sent of this.#pendingSent.splice(0)) sent();
  }

  close(): void {
    this.closed = true;
  }

  output(): Uint8Array {
    let total = 0;
    for (const w of this.written) total += w.length;
    const out = new Uint8Array(total);
    let o = 0;
    for (const w of this.written) {
      out.set(w, o);
      o += w.length;
    }
    return out;
  }
}

export interface Harness {
  time: VirtualTime;
  stats: HttpStats;
  transport: MemoryTransport;
  connection: HttpConnection;
  /** Feeds bytes in the given fragment sizes (cycled), letting the connection read after each. */
  send(bytes: Uint8Array | string, fragments?: number[]): void;
  responses(): ParsedResponse[];
}

export function openConnection(handler: HttpHandler, limits: Partial<HttpLimits> = {}, time = new VirtualTime()): Harness {
  const stats = newHttpStats();
  const transport = new MemoryTransport();
  const connection = new HttpConnection(transport, {
    handler,
    limits: { ...DEFAULT_LIMITS, ...limits },
    timers: time.timers,
    stats,
  });
  return {
    time,
    stats,
    transport,
    connection,
    send(bytes, fragments = [Number.MAX_SAFE_INTEGER]) {
      const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
      let o = 0;
      let f = 0;
      while (o < data.length) {
        const n = Math.max(1, fragments[f++ % fragments.length]);
        transport.feed(data.subarray(o, o + n));
        o += n;
        connection.readable();
      }
    },
    responses: () => parseResponses(transport.output()),
  };
}
