// A strict, bounded JSON object reader for untrusted datagrams.
//
// JSON.parse exists in XS and Node but recurses on nesting, so a byte pre-scan first refuses bodies
// that are too long or nested too deep; only then is the text decoded and parsed. Never throws.

import { latin1Decode, utf8Decode } from "../util/bytes.js";
import { jsonDepth } from "../util/json-depth.js";

export type JsonObject = { readonly [key: string]: unknown };

export type JsonReadResult =
  | { readonly ok: true; readonly value: JsonObject }
  | { readonly ok: false; readonly reason: "oversize" | "bad_json"; readonly detail: string };

const OPEN_BRACE = 0x7b;

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

  if (jsonDepth(bytes) > maxDepth) return { ok: false, reason: "bad_json", detail: `nested deeper than ${maxDepth}` };
  const ascii = bytes.every((b) => b <= 0x7f);

  let value: unknown;
  try {
    // ASCII (what servers send) takes the faster path: the UTF-8 decoding loop costs ~10x more on XS.
    value = JSON.parse(ascii ? latin1Decode(bytes) : utf8Decode(bytes));
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
