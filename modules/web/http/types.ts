// What the HTTP layer hands to handlers and takes back. Transport-neutral: the ECMA-419 server in
// server.ts and any other transport (Moddable's legacy `http` Server, an in-memory test pipe) build
// an HttpRequest and send back the HttpResponse a handler returns.

export interface HttpRequest {
  /** Upper-case method token as sent ("GET", "POST", ...). */
  method: string;
  /** The request-target exactly as sent (origin-form: path plus "?query" if any). */
  target: string;
  /** The path part of the target (before "?"), not percent-decoded. */
  path: string;
  /** The query part after "?" without the "?", or "" when absent. */
  query: string;
  /** "1.0" or "1.1". */
  version: "1.0" | "1.1";
  /** Header names lower-cased; repeated headers joined with ", " as RFC 9110 5.3 allows. */
  headers: Map<string, string>;
  body: Uint8Array;
  remoteAddress?: string;
}

export interface HttpResponse {
  status: number;
  /** Extra headers; Content-Length, Connection and Date-free framing are added by the serializer. */
  headers?: [string, string][];
  body?: Uint8Array | string;
  /** Runs once the response has been handed to the transport (e.g. reboot after saying so). */
  afterSend?: () => void;
}

export type HttpHandler = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

/** Caps on everything a client controls. Defaults suit the ESP32 (see README). */
export interface HttpLimits {
  /** Longest request line in bytes (longer: 414). */
  maxRequestLine: number;
  /** Most header fields (more: 431). */
  maxHeaderCount: number;
  /** Most bytes of header section after the request line (more: 431). */
  maxHeaderBytes: number;
  /** Largest Content-Length accepted (larger: 413). */
  maxBodyBytes: number;
  /** A request must arrive completely within this many ms of its first byte (else 408). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this many ms. */
  idleTimeoutMs: number;
  /** Requests served on one connection before it is closed (keeps one client from holding a slot). */
  maxRequestsPerConnection: number;
  /** Simultaneous connections (the ESP32's lwip allows 4 sockets by default: see README). */
  maxConnections: number;
}

export const DEFAULT_LIMITS: HttpLimits = Object.freeze({
  maxRequestLine: 1024,
  maxHeaderCount: 32,
  maxHeaderBytes: 4096,
  maxBodyBytes: 8192,
  requestTimeoutMs: 10_000,
  idleTimeoutMs: 5_000,
  maxRequestsPerConnection: 100,
  maxConnections: 3,
});
