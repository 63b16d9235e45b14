// Request bodies as JSON objects, screened before any handler looks at a value: nesting is capped
// before JSON.parse runs (XS parses recursively on a small C stack), keys that name a built-in
// object property (__proto__, toString, ...) and numbers JSON cannot carry exactly are refused,
// each as a field error naming where it is. Handlers then only check types and ranges.

import { utf8Decode } from "../../util/bytes.js";
import { jsonDepth } from "../../util/json-depth.js";
import type { FieldError } from "../actions.js";
import { errorResponse } from "../http/response.js";
import type { HttpRequest, HttpResponse } from "../http/types.js";

/** Deepest nesting of objects and arrays accepted (the config needs 4). */
export const MAX_JSON_DEPTH = 8;

/**
 * Keys refused anywhere in a body: every property an object inherits. Code that reads such a key
 * from a parsed body gets the attacker's value where it expects a method (`String(v)` throws when
 * v.toString is a string), and `__proto__` can swap a prototype when copied with assignment.
 */
const INHERITED_KEYS: readonly string[] = Object.freeze([
  "__proto__", "constructor", "prototype", "toString", "toLocaleString", "valueOf", "toJSON",
  "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable",
  "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__",
]);

export type JsonBody = { ok: true; value: Record<string, unknown> } | { ok: false; response: HttpResponse };

export function fieldErrors(errors: FieldError[], code = "invalid_request", message = "some fields are invalid"): HttpResponse {
  return errorResponse(400, code, message, { fields: errors });
}

/** Field errors for values no handler should see; `path` names the field as the API does ("a.b[2]"). */
export function screenJson(value: unknown, path: string, errors: FieldError[]): void {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
      errors.push({ field: path || "(body)", reason: "number out of range (JSON numbers here are at most 2^53 in magnitude)" });
    }
    return;
  }
  if (typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) screenJson(value[i], `${path}[${i}]`, errors);
    return;
  }
  for (const key of Object.keys(value)) {
    const field = path === "" ? key : `${path}.${key}`;
    if (INHERITED_KEYS.includes(key)) errors.push({ field, reason: "a key that names a built-in object property is not accepted" });
    else screenJson((value as Record<string, unknown>)[key], field, errors);
  }
}

/** The body as a screened JSON object, or the 4xx to send. */
export function readJsonObject(request: HttpRequest): JsonBody {
  const type = request.headers.get("content-type");
  if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) {
    return { ok: false, response: errorResponse(415, "unsupported_media_type", "send the body as application/json") };
  }
  const bad = (reason: string): JsonBody => ({ ok: false, response: fieldErrors([{ field: "(body)", reason }], "invalid_json") });
  if (request.body.length === 0) return bad("a JSON object is required");
  if (jsonDepth(request.body) > MAX_JSON_DEPTH) return bad(`nested deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(utf8Decode(request.body));
  } catch {
    return bad("not valid JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return bad("must be a JSON object");
  const errors: FieldError[] = [];
  screenJson(value, "", errors);
  if (errors.length > 0) return { ok: false, response: fieldErrors(errors, "invalid_json", "the body holds values the API never accepts") };
  return { ok: true, value: value as Record<string, unknown> };
}
