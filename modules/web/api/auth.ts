// Authentication of API calls. Two forms (README "Authentication" has the exact rules):
//  - signed:  X-Hotspot-Key, X-Hotspot-Timestamp, X-Hotspot-Nonce, X-Hotspot-Signature =
//             hex HMAC-SHA256(SHA-256(secret), canonical string); any key, any call;
//  - bearer:  Authorization: Bearer <id>.<secret>; read keys on read calls only (an admin secret
//             must never cross the network).
// Every refusal is counted by reason; the counters appear in /api/v1/status.

import type { Clock } from "../../host/provider.js";
import { equalBytes, fromHex, toHex, utf8Encode } from "../../util/bytes.js";
import { hmacSha256, sha256Text, type Sha256 } from "../hash.js";
import { errorResponse } from "../http/response.js";
import type { HttpRequest, HttpResponse } from "../http/types.js";
import type { ApiKeyInfo, ApiKeys, Scope } from "./keys.js";
import { NonceCache, RateLimiter } from "./replay.js";

export const SIGNATURE_SCHEME = "HOTSPOT-HMAC-SHA256";
export const HEADER_KEY = "x-hotspot-key";
export const HEADER_TIMESTAMP = "x-hotspot-timestamp";
export const HEADER_NONCE = "x-hotspot-nonce";
export const HEADER_SIGNATURE = "x-hotspot-signature";

/**
 * The signed string: scheme, method, request-target as sent (path and query), timestamp (unix
 * seconds, decimal), nonce, and the lowercase hex SHA-256 of the body, joined by "\n".
 */
export function canonicalString(method: string, target: string, timestamp: string, nonce: string, bodySha256Hex: string): string {
  return [SIGNATURE_SCHEME, method, target, timestamp, nonce, bodySha256Hex].join("\n");
}

export interface AuthOptions {
  /** Accepted clock difference in seconds (±). */
  windowSeconds: number;
  /** Remembered (key, nonce) pairs. */
  nonceCapacity: number;
  /** Per-key token bucket. */
  rateBurst: number;
  ratePerSecond: number;
}

export const DEFAULT_AUTH_OPTIONS: AuthOptions = Object.freeze({ windowSeconds: 30, nonceCapacity: 512, rateBurst: 30, ratePerSecond: 3 });

export interface AuthFailures {
  missing: number;
  malformed: number;
  unknownKey: number;
  expiredKey: number;
  badSignature: number;
  staleTimestamp: number;
  replayedNonce: number;
  adminBearer: number;
  forbidden: number;
  rateLimited: number;
  clockUnsynced: number;
  replayCacheFull: number;
}

export interface AuthStatus {
  failures: AuthFailures;
  /** The most recent refusal, for the dashboard. */
  lastFailure: { reason: string; at: number | null; remoteAddress: string | null } | null;
  accepted: number;
}

const NONCE_RE = /^[A-Za-z0-9_-]{16,64}$/;

export class Authenticator {
  readonly status: AuthStatus = {
    failures: {
      missing: 0,
      malformed: 0,
      unknownKey: 0,
      expiredKey: 0,
      badSignature: 0,
      staleTimestamp: 0,
      replayedNonce: 0,
      adminBearer: 0,
      forbidden: 0,
      rateLimited: 0,
      clockUnsynced: 0,
      replayCacheFull: 0,
    },
    lastFailure: null,
    accepted: 0,
  };
  readonly #keys: ApiKeys;
  readonly #hash: Sha256;
  readonly #clock: Clock;
  readonly #options: AuthOptions;
  readonly #nonces: NonceCache;
  readonly #rate: RateLimiter;

  constructor(keys: ApiKeys, hash: Sha256, clock: Clock, options: Partial<AuthOptions> = {}) {
    this.#keys = keys;
    this.#hash = hash;
    this.#clock = clock;
    this.#options = { ...DEFAULT_AUTH_OPTIONS, ...options };
    this.#nonces = new NonceCache(this.#options.nonceCapacity, 2 * this.#options.windowSeconds * 1000);
    this.#rate = new RateLimiter(this.#options.rateBurst, this.#options.ratePerSecond);
  }

  /** The caller's key when it may make a call needing `scope`; otherwise the refusal to send. */
  authenticate(request: HttpRequest, scope: Scope): ApiKeyInfo | HttpResponse {
    const result = request.headers.has(HEADER_SIGNATURE) ? this.#signed(request, scope) : this.#bearer(request, scope);
    if ("status" in result) return result;
    this.status.accepted++;
    return result;
  }

  /** Drops a revoked key's rate-limit state. */
  forget(id: string): void {
    this.#rate.forget(id);
  }

  #signed(request: HttpRequest, scope: Scope): ApiKeyInfo | HttpResponse {
    const h = request.headers;
    const id = h.get(HEADER_KEY) ?? "";
    const timestamp = h.get(HEADER_TIMESTAMP) ?? "";
    const nonce = h.get(HEADER_NONCE) ?? "";
    const signature = h.get(HEADER_SIGNATURE) ?? "";
    if (!/^[0-9a-f]{16}$/.test(id) || !/^[0-9]{1,12}$/.test(timestamp) || !NONCE_RE.test(nonce) || !/^[0-9a-fA-F]{64}$/.test(signature)) {
      return this.#fail(request, "malformed", 401, "malformed_signature_headers",
        "signed calls need X-Hotspot-Key (16 hex), X-Hotspot-Timestamp (unix seconds), X-Hotspot-Nonce (16-64 of A-Z a-z 0-9 _ -) and X-Hotspot-Signature (64 hex)");
    }
    const key = this.#keys.lookup(id);
    if (key === "unknown") return this.#fail(request, "unknownKey", 401, "unknown_key", "no such API key");
    if (key === "expired") return this.#fail(request, "expiredKey", 401, "expired_key", "this API key has expired");
    const wall = this.#clock.wallMillis();
    if (wall === undefined) {
      return this.#fail(request, "clockUnsynced", 503, "clock_unsynced", "the hotspot's clock is not synced yet, so signed calls cannot be checked");
    }
    const now = Math.floor(wall / 1000);
    if (Math.abs(Number(timestamp) - now) > this.#options.windowSeconds) {
      return this.#fail(request, "staleTimestamp", 401, "stale_timestamp",
        `timestamp is more than ${this.#options.windowSeconds} s from the hotspot's clock`, { serverTime: now });
    }
    const bodyHash = toHex(this.#hash.sha256(request.body));
    const canonical = canonicalString(request.method, request.target, timestamp, nonce, bodyHash);
    const expected = hmacSha256(this.#hash, this.#keys.signingKey(id)!, utf8Encode(canonical));
    if (!equalBytes(expected, fromHex(signature.toLowerCase()))) {
      return this.#fail(request, "badSignature", 401, "bad_signature", "the signature does not match the request");
    }
    if (scope === "admin" && key.scope !== "admin") {
      return this.#fail(request, "forbidden", 403, "forbidden", "this call needs an admin key");
    }
    const verdict = this.#nonces.check(sha256Text(this.#hash, `${id}:${nonce}`), this.#clock.millis());
    if (verdict === "replayed") return this.#fail(request, "replayedNonce", 401, "replayed_nonce", "this nonce was already used");
    if (verdict === "full") {
      return this.#fail(request, "replayCacheFull", 503, "busy", "too many signed calls in the last minute; retry shortly", {}, [["Retry-After", "5"]]);
    }
    return this.#limited(request, key);
  }

  #bearer(request: HttpRequest, scope: Scope): ApiKeyInfo | HttpResponse {
    const authorization = request.headers.get("authorization");
    if (authorization === undefined) {
      return this.#fail(request, "missing", 401, "unauthenticated", "this call needs an API key (signed headers, or Authorization: Bearer for read keys)");
    }
    const m = /^Bearer +(\S+)$/i.exec(authorization);
    if (!m) return this.#fail(request, "malformed", 401, "malformed_authorization", "expected Authorization: Bearer <id>.<secret>");
    const key = this.#keys.verifyToken(m[1]);
    if (key === "malformed") return this.#fail(request, "malformed", 401, "malformed_authorization", "expected Authorization: Bearer <id>.<secret>");
    if (key === "unknown") return this.#fail(request, "unknownKey", 401, "unknown_key", "no such API key");
    if (key === "expired") return this.#fail(request, "expiredKey", 401, "expired_key", "this API key has expired");
    if (key.scope === "admin") {
      return this.#fail(request, "adminBearer", 401, "admin_key_must_sign",
        "admin keys are never sent as bearer tokens: sign the call instead (and consider rotating this key)");
    }
    if (scope === "admin") return this.#fail(request, "forbidden", 403, "forbidden", "this call needs an admin key");
    return this.#limited(request, key);
  }

  #limited(request: HttpRequest, key: ApiKeyInfo): ApiKeyInfo | HttpResponse {
    const wait = this.#rate.take(key.id, this.#clock.millis());
    if (wait > 0) {
      return this.#fail(request, "rateLimited", 429, "rate_limited", "too many calls with this key", {}, [["Retry-After", String(wait)]]);
    }
    return key;
  }

  #fail(
    request: HttpRequest,
    counter: keyof AuthFailures,
    status: number,
    code: string,
    message: string,
    detail: Record<string, unknown> = {},
    headers: [string, string][] = [],
  ): HttpResponse {
    this.status.failures[counter]++;
    const wall = this.#clock.wallMillis();
    this.status.lastFailure = { reason: code, at: wall ?? null, remoteAddress: request.remoteAddress ?? null };
    const challenge: [string, string][] = status === 401 ? [["WWW-Authenticate", `${SIGNATURE_SCHEME}, Bearer`]] : [];
    return errorResponse(status, code, message, detail, [...challenge, ...headers]);
  }
}
