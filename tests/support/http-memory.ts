// In-memory transport for the HTTP connection (no sockets): tests feed request bytes in any
// fragmentation, run virtual time, and read back what the server wrote. Plus a strict parser for
// the responses the server produced (status line, headers, Content-Length body).

import { HttpConnection, newHttpStats, type ByteTransport, type HttpStats } from "../../modules/web/http/connection.js";
import { DEFAULT_LIMITS, type HttpHandler, type HttpLimits } from "../../modules/web/http/types.js";
import { VirtualTime } from "./virtual-time.js";

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

export interface ParsedResponse {
  status: number;
  headers: Map<string, string>;
  body: Uint8Array;
  text: string;
}

/** Parses a concatenation of HTTP/1.1 responses; throws on anything malformed. */
export function parseResponses(bytes: Uint8Array, headRequests = 0): ParsedResponse[] {
  const out: ParsedResponse[] = [];
  let pos = 0;
  const text = new TextDecoder("latin1");
  while (pos < bytes.length) {
    let end = -1;
    for (let i = pos; i + 3 < bytes.length; i++) {
      if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
        end = i;
        break;
      }
    }
    if (end < 0) throw new Error(`truncated response head at byte ${pos}`);
    const lines = text.decode(bytes.subarray(pos, end)).split("\r\n");
    const m = /^HTTP\/1\.1 (\d{3}) [^\r\n]+$/.exec(lines[0]);
    if (!m) throw new Error(`bad status line: ${JSON.stringify(lines[0])}`);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const c = line.indexOf(":");
      if (c <= 0) throw new Error(`bad header line: ${JSON.stringify(line)}`);
      const name = line.slice(0, c).toLowerCase();
      if (headers.has(name)) throw new Error(`duplicate header ${name}`);
      headers.set(name, line.slice(c + 1).trim());
    }
    const length = Number(headers.get("content-length"));
    if (!Number.isInteger(length)) throw new Error("response without Content-Length");
    const bodyStart = end + 4;
    const bodyLength = out.length < headRequests ? 0 : length;
    if (bodyStart + bodyLength > bytes.length) throw new Error("truncated response body");
    const body = bytes.slice(bodyStart, bodyStart + bodyLength);
    out.push({ status: Number(m[1]), headers, body, text: new TextDecoder().decode(body) });
    pos = bodyStart + bodyLength;
  }
  return out;
}
