// Response serialization: status line, the handler's headers, then framing headers the server owns
// (Content-Length always, Connection). No chunked responses: bodies are small and known in advance.

import { concatBytes, utf8Encode } from "../../util/bytes.js";
import type { HttpResponse } from "./types.js";

const REASONS: Record<number, string> = Object.freeze({
  200: "OK",
  201: "Created",
  204: "No Content",
  302: "Found",
  304: "Not Modified",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  411: "Length Required",
  413: "Content Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
  505: "HTTP Version Not Supported",
});

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? "Unknown";
}

/** Header names the serializer writes itself; a handler's copies are dropped. */
const FRAMING = new Set(["content-length", "connection", "transfer-encoding"]);

/** Header text restricted to printable ASCII, so no value can break the framing. */
function clean(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?");
}

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** A body as bytes; ASCII text (the pages, most JSON) is copied straight into one buffer. */
export function bodyBytes(body: HttpResponse["body"]): Uint8Array {
  if (body === undefined) return new Uint8Array(0);
  if (typeof body !== "string") return body;
  for (let i = 0; i < body.length; i++) if (body.charCodeAt(i) >= 0x80) return utf8Encode(body);
  return ascii(body);
}

/** Status line and header section for a body of `bodyLength` bytes. */
export function serializeHead(response: HttpResponse, bodyLength: number, keepAlive: boolean): Uint8Array {
  let text = `HTTP/1.1 ${response.status} ${reasonPhrase(response.status)}\r\n`;
  for (const [name, value] of response.headers ?? []) {
    if (!FRAMING.has(name.toLowerCase())) text += `${clean(name)}: ${clean(value)}\r\n`;
  }
  text += `Content-Length: ${bodyLength}\r\nConnection: ${keepAlive ? "keep-alive" : "close"}\r\n\r\n`;
  return ascii(text);
}

/** The bytes of a response. `head` omits the body (HEAD requests) but keeps its Content-Length. */
export function serializeResponse(response: HttpResponse, keepAlive: boolean, head = false): Uint8Array {
  const body = bodyBytes(response.body);
  const headBytes = serializeHead(response, body.length, keepAlive);
  return head || body.length === 0 ? headBytes : concatBytes(headBytes, body);
}

/** A JSON response (the API's only body type). */
export function jsonResponse(status: number, value: unknown, headers: [string, string][] = []): HttpResponse {
  return {
    status,
    headers: [["Content-Type", "application/json; charset=utf-8"], ["Cache-Control", "no-store"], ...headers],
    body: JSON.stringify(value),
  };
}

/** A JSON error body: `{error: code, message}` plus any detail fields. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  detail: Record<string, unknown> = {},
  headers: [string, string][] = [],
): HttpResponse {
  return jsonResponse(status, { error: code, message, ...detail }, headers);
}
