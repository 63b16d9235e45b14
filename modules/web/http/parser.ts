// Incremental HTTP/1.1 request parser (RFC 9112) with hard caps on everything the client controls.
// Bytes go in with push(); next() returns one complete request, a typed error with the status code
// to answer, or "incomplete". It never buffers more than its capacity (request line + header section
// + body caps), never allocates from a client-chosen length above the caps, and never throws on input.

import type { HttpLimits, HttpRequest } from "./types.js";

export type ParseOutcome =
  | { kind: "incomplete" }
  | { kind: "request"; request: HttpRequest; keepAlive: boolean }
  | { kind: "error"; status: number; reason: string };

const LF = 10;
const CR = 13;
const SP = 32;
const HTAB = 9;

/** RFC 9110 tchar (the characters of methods and header names), as a table over ASCII. */
const TCHAR = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = TCHAR[c + 32] = 1;
for (const ch of "!#$%&'*+-.^_`|~") TCHAR[ch.charCodeAt(0)] = 1;

function isTchar(c: number): boolean {
  return c < 128 && TCHAR[c] === 1;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

interface RequestLine {
  method: string;
  target: string;
  version: "1.0" | "1.1";
}

interface Head extends RequestLine {
  headers: Map<string, string>;
  bodyStart: number;
  bodyLength: number;
}

function fail(status: number, reason: string): ParseOutcome {
  return { kind: "error", status, reason };
}

export class RequestParser {
  readonly capacity: number;
  readonly #limits: HttpLimits;
  #buf: Uint8Array;
  #len = 0;
  /** The parsed head of a request whose body is still arriving. */
  #head: Head | undefined;
  /** The request line once it has arrived, with the index of its LF. */
  #line: (RequestLine & { end: number }) | undefined;
  /** Where the search for the end of the header section resumes. */
  #searchFrom = 0;

  constructor(limits: HttpLimits) {
    this.#limits = limits;
    // Room for one whole request at its caps (+4 for the CRLFs around the header section).
    this.capacity = limits.maxRequestLine + 2 + limits.maxHeaderBytes + 2 + limits.maxBodyBytes;
    this.#buf = new Uint8Array(Math.min(512, this.capacity));
  }

  /** Bytes buffered and not yet consumed by a returned request. */
  get buffered(): number {
    return this.#len;
  }

  /** How many more bytes push() accepts now. */
  get room(): number {
    return this.capacity - this.#len;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length > this.room) throw new RangeError("RequestParser.push beyond capacity: read at most `room` bytes");
    const need = this.#len + bytes.length;
    if (need > this.#buf.length) {
      let size = this.#buf.length;
      while (size < need) size *= 2;
      const grown = new Uint8Array(Math.min(size, this.capacity));
      grown.set(this.#buf.subarray(0, this.#len));
      this.#buf = grown;
    }
    this.#buf.set(bytes, this.#len);
    this.#len = need;
  }

  /** Drops everything buffered (after an error the connection closes anyway). */
  reset(): void {
    this.#len = 0;
    this.#head = undefined;
    this.#line = undefined;
    this.#searchFrom = 0;
  }

  next(): ParseOutcome {
    if (this.#head === undefined) {
      const head = this.#parseHead();
      if ("kind" in head) return head;
      this.#head = head;
    }
    const head = this.#head;
    if (this.#len < head.bodyStart + head.bodyLength) return { kind: "incomplete" };
    const body = this.#buf.slice(head.bodyStart, head.bodyStart + head.bodyLength);
    this.#consume(head.bodyStart + head.bodyLength);
    this.#head = undefined;
    const connection = (head.headers.get("connection") ?? "").toLowerCase().split(",").map((t) => t.trim());
    const keepAlive = head.version === "1.1" ? !connection.includes("close") : connection.includes("keep-alive");
    const q = head.target.indexOf("?");
    const request: HttpRequest = {
      method: head.method,
      target: head.target,
      path: q < 0 ? head.target : head.target.slice(0, q),
      query: q < 0 ? "" : head.target.slice(q + 1),
      version: head.version,
      headers: head.headers,
      body,
    };
    return { kind: "request", request, keepAlive };
  }

  /** Request line and header section, parsed once they have fully arrived. */
  #parseHead(): Head | ParseOutcome {
    const buf = this.#buf;
    const limits = this.#limits;
    if (this.#line === undefined) {
      // RFC 9112 2.2: ignore empty lines before the request line. Only bytes below #len count: the
      // buffer beyond them holds stale bytes of earlier requests.
      let skip = 0;
      for (;;) {
        if (skip < this.#len && buf[skip] === LF) skip += 1;
        else if (skip + 1 < this.#len && buf[skip] === CR && buf[skip + 1] === LF) skip += 2;
        else break;
      }
      if (skip > 0) this.#consume(skip);
      // A lone CR may be the first half of an empty line: wait for the next byte.
      if (this.#len === 0 || (this.#len === 1 && buf[0] === CR)) return { kind: "incomplete" };
    }

    if (this.#line === undefined) {
      const lineEnd = this.#findLF(0, Math.min(this.#len, limits.maxRequestLine + 2));
      if (lineEnd < 0) {
        return this.#len > limits.maxRequestLine + 1 ? fail(414, "request line too long") : { kind: "incomplete" };
      }
      const lineContentEnd = lineEnd > 0 && buf[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
      if (lineContentEnd > limits.maxRequestLine) return fail(414, "request line too long");
      // Checked at once, so a bad request line is answered without waiting for the headers.
      const parsed = this.#parseRequestLine(lineContentEnd);
      if ("kind" in parsed) return parsed;
      this.#line = { ...parsed, end: lineEnd };
      this.#searchFrom = lineEnd;
    }
    const line = this.#line;

    // The header section ends at an empty line; search only bytes not searched before.
    const headerStart = line.end + 1;
    const searchLimit = Math.min(this.#len, headerStart + limits.maxHeaderBytes + 2);
    const headEnd = this.#findEmptyLine(this.#searchFrom, searchLimit);
    if (headEnd < 0) {
      if (this.#len >= headerStart + limits.maxHeaderBytes + 2) return fail(431, "header section too large");
      this.#searchFrom = Math.max(line.end, this.#len - 3);
      return { kind: "incomplete" };
    }
    this.#line = undefined;

    const headers = new Map<string, string>();
    let count = 0;
    let contentLength: string | undefined;
    let hostCount = 0;
    let transferEncoding: string | undefined;
    let pos = headerStart;
    for (;;) {
      const end = this.#findLF(pos, headEnd);
      let valueEnd = end;
      if (valueEnd > pos && buf[valueEnd - 1] === CR) valueEnd--;
      if (valueEnd === pos) break; // the empty line
      if (++count > limits.maxHeaderCount) return fail(431, "too many header fields");
      if (buf[pos] === SP || buf[pos] === HTAB) return fail(400, "obsolete line folding is not accepted");
      let colon = pos;
      while (colon < valueEnd && isTchar(buf[colon])) colon++;
      if (colon === pos || colon >= valueEnd || buf[colon] !== 0x3a) return fail(400, "malformed header field name");
      let vs = colon + 1;
      let ve = valueEnd;
      while (vs < ve && (buf[vs] === SP || buf[vs] === HTAB)) vs++;
      while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HTAB)) ve--;
      for (let i = vs; i < ve; i++) {
        const c = buf[i];
        if ((c < 0x20 && c !== HTAB) || c === 0x7f) return fail(400, "control character in header value");
      }
      const name = latin1(buf, pos, colon).toLowerCase();
      const value = latin1(buf, vs, ve);
      if (name === "content-length") {
        if (contentLength !== undefined && contentLength !== value) return fail(400, "conflicting Content-Length");
        contentLength = value;
      } else if (name === "host") {
        hostCount++;
      } else if (name === "transfer-encoding") {
        transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
      }
      const previous = headers.get(name);
      headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
      pos = end + 1;
    }

    // Message framing (RFC 9112 3.2, 6).
    if (line.version === "1.1" && hostCount !== 1) {
      return fail(400, hostCount === 0 ? "missing Host header" : "more than one Host header");
    }
    if (transferEncoding !== undefined) {
      return /(^|,)\s*chunked\s*$/i.test(transferEncoding)
        ? fail(411, "chunked request bodies are not supported: send Content-Length")
        : fail(501, "transfer codings are not supported: send Content-Length");
    }
    let bodyLength = 0;
    if (contentLength !== undefined) {
      if (!/^[0-9]{1,10}$/.test(contentLength)) return fail(400, "invalid Content-Length");
      bodyLength = Number(contentLength);
      if (bodyLength > limits.maxBodyBytes) return fail(413, `body larger than ${limits.maxBodyBytes} bytes`);
    }
    return { method: line.method, target: line.target, version: line.version, headers, bodyStart: headEnd, bodyLength };
  }

  #parseRequestLine(end: number): RequestLine | ParseOutcome {
    const buf = this.#buf;
    let i = 0;
    while (i < end && isTchar(buf[i])) i++;
    if (i === 0 || i >= end || buf[i] !== SP) return fail(400, "malformed request line");
    if (i > 16) return fail(501, "method not implemented");
    const method = latin1(buf, 0, i);
    const targetStart = ++i;
    while (i < end && buf[i] > 0x20 && buf[i] < 0x7f) i++;
    if (i === targetStart || i >= end || buf[i] !== SP) return fail(400, "malformed request line");
    const target = latin1(buf, targetStart, i);
    const version = latin1(buf, i + 1, end);
    if (!target.startsWith("/")) return fail(400, "only origin-form request targets are accepted");
    if (version === "HTTP/1.1") return { method, target, version: "1.1" };
    if (version === "HTTP/1.0") return { method, target, version: "1.0" };
    if (/^HTTP\/[0-9]\.[0-9]$/.test(version)) return fail(505, "HTTP version not supported");
    return fail(400, "malformed request line");
  }

  /** Index of the first LF in [from, to), or -1. */
  #findLF(from: number, to: number): number {
    const buf = this.#buf;
    for (let i = from; i < to; i++) if (buf[i] === LF) return i;
    return -1;
  }

  /** Given `from` at or before the request line's LF: the index just past the empty line ending the head, or -1. */
  #findEmptyLine(from: number, to: number): number {
    const buf = this.#buf;
    for (let i = from; i < to; i++) {
      if (buf[i] !== LF) continue;
      if (i + 1 < to && buf[i + 1] === LF) return i + 2;
      if (i + 2 < to && buf[i + 1] === CR && buf[i + 2] === LF) return i + 3;
    }
    return -1;
  }

  #consume(n: number): void {
    if (n > this.#len) throw new RangeError(`RequestParser: consuming ${n} of ${this.#len} buffered bytes`);
    this.#buf.copyWithin(0, n, this.#len);
    this.#len -= n;
  }
}
