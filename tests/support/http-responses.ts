// A strict parser for the HTTP/1.1 responses our server produces (status line, headers, a
// Content-Length body). Platform-neutral: the Node web tests and the XS web suite use it.
import { utf8Decode } from "../../modules/util/bytes.js";

function latin1(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
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
  while (pos < bytes.length) {
    let end = -1;
    for (let i = pos; i + 3 < bytes.length; i++) {
      if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
        end = i;
        break;
      }
    }
    if (end < 0) throw new Error(`truncated response head at byte ${pos}`);
    const lines = latin1(bytes.subarray(pos, end)).split("\r\n");
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
    out.push({ status: Number(m[1]), headers, body, text: utf8Decode(body) });
    pos = bodyStart + bodyLength;
  }
  return out;
}
