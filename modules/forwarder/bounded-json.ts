// A strict, bounded JSON object reader for untrusted datagrams.
//
// JSON.parse exists in XS and Node but recurses on nesting, so a byte pre-scan first refuses bodies
// that are too long or nested too deep; only then is the text decoded and parsed. Never throws.

import { utf8Decode } from "../util/bytes.js";

export type JsonObject = { readonly [key: string]: unknown };

export type JsonReadResult =
  | { readonly ok: true; readonly value: JsonObject }
  | { readonly ok: false; readonly reason: "oversize" | "bad_json"; readonly detail: string };

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isJsonSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/** Reads one JSON object of at most `maxBytes` bytes nested at most `maxDepth` levels. */
export function readJsonObject(bytes: Uint8Array, maxBytes: number, maxDepth: number): JsonReadResult {
  if (bytes.length > maxBytes) return { ok: false, reason: "oversize", detail: `JSON of ${bytes.length} bytes > ${maxBytes}` };
  let start = 0;
  while (start < bytes.length && isJsonSpace(bytes[start])) start++;
  if (start === bytes.length) return { ok: false, reason: "bad_json", detail: "empty body" };
  if (bytes[start] !== OPEN_BRACE) return { ok: false, reason: "bad_json", detail: "body is not a JSON object" };

  let depth = 0;
  let inString = false;
  let ascii = true;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i];
    if (b > 0x7f) ascii = false;
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
      continue;
    }
    if (b === QUOTE) inString = true;
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      if (++depth > maxDepth) return { ok: false, reason: "bad_json", detail: `nested deeper than ${maxDepth}` };
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) depth--;
  }

  let value: unknown;
  try {
    // ASCII (what servers send) takes the native path: a JS decoding loop costs ~10x more on XS.
    value = JSON.parse(ascii ? String.fromCharCode.apply(null, bytes as unknown as number[]) : utf8Decode(bytes));
  } catch {
    return { ok: false, reason: "bad_json", detail: "not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "bad_json", detail: "body is not a JSON object" };
  }
  return { ok: true, value: value as JsonObject };
}

/** An own property of a parsed object (never one inherited from Object.prototype). */
export function ownField(object: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}
