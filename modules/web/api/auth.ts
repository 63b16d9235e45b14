// Authentication of API calls (modules/web/README.md, "Keys and authentication", has the rules):
//  - signed:  X-Hotspot-Key, X-Hotspot-Timestamp, X-Hotspot-Nonce, X-Hotspot-Signature = hex
//             Ed25519 signature over the canonical string by the client's key; any key, any call;
//  - bearer:  Authorization: Bearer <read token>; read calls only;
//  - enrolment: the first admin key, signed by itself, with the one-time code from the console.
// Nothing is stored for a request until its signature has verified and its key's rate budget
// allows it: each key has its own replay record and budget, so no key, and no client without one,
// can use up another's. Every refusal is counted by reason; /api/v1/status shows the counters.

import type { Clock } from "../../host/provider.js";
import { fromHex, toHex, utf8Encode } from "../../util/bytes.js";
import { sha256Text, type ApiCrypto } from "../crypto.js";
import { errorResponse } from "../http/response.js";
import type { HttpRequest, HttpResponse } from "../http/types.js";
import type { Enrolment } from "./enrolment.js";
import { MAX_KEYS, MAX_TOKENS, keyId, type ApiKeyInfo, type ApiKeys, type Scope } from "./keys.js";
import { RateBucket, ReplayRecord } from "./replay.js";

export const SIGNATURE_SCHEME = "HOTSPOT-ED25519";
export const HEADER_KEY = "x-hotspot-key";
export const HEADER_TIMESTAMP = "x-hotspot-timestamp";
export const HEADER_NONCE = "x-hotspot-nonce";
export const HEADER_SIGNATURE = "x-hotspot-signature";
export const HEADER_ENROLMENT_CODE = "x-hotspot-enrolment-code";

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
  /** Per-key token bucket. */
  rateBurst: number;
  ratePerSecond: number;
  /** Nonces remembered per key; at least what the rate limit lets through while a timestamp stays acceptable. */
  replayCapacity: number;
}

export const DEFAULT_AUTH_OPTIONS: AuthOptions = Object.freeze({ windowSeconds: 30, rateBurst: 30, ratePerSecond: 3, replayCapacity: 256 });

/** Calls a key can make while one timestamp stays acceptable (2 x window + 1 s): its record must hold them all. */
export function replayNeed(o: AuthOptions): number {
  return Math.ceil(o.rateBurst + o.ratePerSecond * (2 * o.windowSeconds + 1));
}

export interface AuthFailures {
  missing: number;
  malformed: number;
  unknownKey: number;
  expiredKey: number;
  badSignature: number;
  staleTimestamp: number;
  replayedNonce: number;
  forbidden: number;
  rateLimited: number;
  clockUnsynced: number;
  replayRecordFull: number;
  enrolmentClosed: number;
  badEnrolmentCode: number;
}

export interface AuthStatus {
  failures: AuthFailures;
  /** The most recent refusal, for the dashboard. */
  lastFailure: { reason: string; at: number | null; remoteAddress: string | null } | null;
  accepted: number;
}

// The header patterns are made per call (a RegExp made at module load is preloaded: device/README.md).
const isNonce = (text: string) => /^[A-Za-z0-9_-]{16,64}$/.test(text);
const isKeyId = (text: string) => /^[0-9a-f]{16}$/.test(text);
const isTimestamp = (text: string) => /^[0-9]{1,12}$/.test(text);
const isSignature = (text: string) => /^[0-9a-f]{128}$/.test(text);
const bearerToken = (authorization: string) => /^Bearer +(\S+)$/i.exec(authorization)?.[1];

/** What a key earns once its signature has verified. */
interface KeyState {
  bucket: RateBucket;
  /** Only keys that sign have one (read tokens are bearer credentials). */
  replay: ReplayRecord | undefined;
}

/** A signed request whose signature has verified, not yet charged or recorded. */
interface Verified {
  nonceDigest: Uint8Array;
  /** Unix second from which its timestamp is stale. */
  staleFrom: number;
  nowSeconds: number;
}

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
      forbidden: 0,
      rateLimited: 0,
      clockUnsynced: 0,
      replayRecordFull: 0,
      enrolmentClosed: 0,
      badEnrolmentCode: 0,
    },
    lastFailure: null,
    accepted: 0,
  };
  readonly #keys: ApiKeys;
  readonly #crypto: ApiCrypto;
  readonly #clock: Clock;
  readonly #enrolment: Enrolment;
  readonly #options: AuthOptions;
  readonly #state = new Map<string, KeyState>();

  constructor(keys: ApiKeys, crypto: ApiCrypto, clock: Clock, enrolment: Enrolment, options: Partial<AuthOptions> = {}) {
    this.#keys = keys;
    this.#crypto = crypto;
    this.#clock = clock;
    this.#enrolment = enrolment;
    this.#options = { ...DEFAULT_AUTH_OPTIONS, ...options };
    if (this.#options.replayCapacity < replayNeed(this.#options)) {
      throw new RangeError(`replayCapacity ${this.#options.replayCapacity} is below what the rate limit lets through (${replayNeed(this.#options)})`);
    }
  }

  /** The caller's key when it may make a call needing `scope`; otherwise the refusal to send. */
  authenticate(request: HttpRequest, scope: Scope): ApiKeyInfo | HttpResponse {
    const result = request.headers.has(HEADER_SIGNATURE) ? this.#signed(request, scope) : this.#bearer(request, scope);
    if ("status" in result) return result;
    this.status.accepted++;
    return result;
  }

  /**
   * The first admin key: the request carries the enrolment code and is signed by the key it enrols
   * (proof that the client holds it). `store` adds the key; returns its info or the refusal.
   */
  enrol(request: HttpRequest, publicKey: Uint8Array, store: () => ApiKeyInfo | HttpResponse): ApiKeyInfo | HttpResponse {
    const verdict = this.#enrolment.check(request.headers.get(HEADER_ENROLMENT_CODE) ?? "", this.#clock.millis());
    if (verdict === "closed" || this.#keys.hasUsableAdmin()) {
      return this.#fail(request, "enrolmentClosed", 403, "enrolment_closed",
        "enrolment is closed: an admin key exists, the code was used, or its 10 minutes have passed (reboot for a new code)");
    }
    if (verdict === "wrong_code") return this.#fail(request, "badEnrolmentCode", 401, "bad_enrolment_code", "wrong enrolment code");
    if (request.headers.get(HEADER_KEY) !== keyId(this.#crypto, publicKey)) {
      return this.#fail(request, "malformed", 401, "malformed_signature_headers", "sign the enrolment with the key it enrols (X-Hotspot-Key is that key's id)");
    }
    const verified = this.#verify(request, publicKey);
    if ("status" in verified) return verified;
    const stored = store();
    if ("status" in stored) return stored;
    this.#enrolment.close();
    const state = this.#stateOf(stored.id, true);
    state.bucket.take(this.#clock.millis());
    state.replay!.add(verified.nonceDigest, verified.staleFrom, verified.nowSeconds);
    this.status.accepted++;
    return stored;
  }

  /** Drops a revoked key's state. */
  forget(id: string): void {
    this.#state.delete(id);
  }

  /** Factory reset: no key's state survives. */
  clear(): void {
    this.#state.clear();
  }

  #signed(request: HttpRequest, scope: Scope): ApiKeyInfo | HttpResponse {
    const id = request.headers.get(HEADER_KEY) ?? "";
    if (!isKeyId(id)) return this.#malformed(request);
    const key = this.#keys.lookup(id);
    if (key === "unknown") return this.#fail(request, "unknownKey", 401, "unknown_key", "no such API key");
    if (key === "expired") return this.#fail(request, "expiredKey", 401, "expired_key", "this API key has expired");
    const verified = this.#verify(request, key.publicKey);
    if ("status" in verified) return verified;
    // Verified: from here on the key's own state is charged, and nothing else.
    const state = this.#stateOf(id, true);
    if (state.replay!.has(verified.nonceDigest, verified.nowSeconds)) {
      return this.#fail(request, "replayedNonce", 401, "replayed_nonce", "this nonce was already used");
    }
    const limited = this.#charge(request, state);
    if (limited !== undefined) return limited;
    if (!state.replay!.add(verified.nonceDigest, verified.staleFrom, verified.nowSeconds)) {
      // Only reachable when the wall clock stepped back: never forget a live nonce.
      return this.#fail(request, "replayRecordFull", 503, "busy", "too many signed calls with this key; retry shortly", {}, [["Retry-After", "5"]]);
    }
    if (scope === "admin" && key.info.scope !== "admin") return this.#fail(request, "forbidden", 403, "forbidden", "this call needs an admin key");
    return key.info;
  }

  /** Checks the signed headers, the clock and the signature; stores nothing. */
  #verify(request: HttpRequest, publicKey: Uint8Array): Verified | HttpResponse {
    const h = request.headers;
    const timestamp = h.get(HEADER_TIMESTAMP) ?? "";
    const nonce = h.get(HEADER_NONCE) ?? "";
    const signature = h.get(HEADER_SIGNATURE) ?? "";
    if (!isTimestamp(timestamp) || !isNonce(nonce) || !isSignature(signature)) return this.#malformed(request);
    const wall = this.#clock.wallMillis();
    if (wall === undefined) {
      return this.#fail(request, "clockUnsynced", 503, "clock_unsynced", "the hotspot's clock is not synced yet, so signed calls cannot be checked");
    }
    // One reading of one clock for the window and for how long the nonce is kept.
    const nowSeconds = Math.floor(wall / 1000);
    const window = this.#options.windowSeconds;
    const t = Number(timestamp);
    if (Math.abs(t - nowSeconds) > window) {
      return this.#fail(request, "staleTimestamp", 401, "stale_timestamp", `timestamp is more than ${window} s from the hotspot's clock`, { serverTime: nowSeconds });
    }
    const bodyHash = toHex(this.#crypto.sha256(request.body));
    const canonical = utf8Encode(canonicalString(request.method, request.target, timestamp, nonce, bodyHash));
    if (!this.#crypto.ed25519Verify(publicKey, canonical, fromHex(signature))) {
      return this.#fail(request, "badSignature", 401, "bad_signature", "the signature does not match the request");
    }
    return { nonceDigest: sha256Text(this.#crypto, nonce), staleFrom: t + window + 1, nowSeconds };
  }

  #bearer(request: HttpRequest, scope: Scope): ApiKeyInfo | HttpResponse {
    const authorization = request.headers.get("authorization");
    if (authorization === undefined) {
      return this.#fail(request, "missing", 401, "unauthenticated", "this call needs an API key (signed headers) or, for read calls, a read token (Authorization: Bearer)");
    }
    const bearer = bearerToken(authorization);
    const token = bearer !== undefined ? this.#keys.verifyToken(bearer) : "malformed";
    if (token === "malformed") return this.#fail(request, "malformed", 401, "malformed_authorization", "expected Authorization: Bearer <id>.<secret>");
    if (token === "unknown") return this.#fail(request, "unknownKey", 401, "unknown_key", "no such read token");
    if (token === "expired") return this.#fail(request, "expiredKey", 401, "expired_key", "this read token has expired");
    const limited = this.#charge(request, this.#stateOf(token.id, false));
    if (limited !== undefined) return limited;
    if (scope === "admin") return this.#fail(request, "forbidden", 403, "forbidden", "read tokens never make admin calls: sign the call with an admin key");
    return token;
  }

  #stateOf(id: string, signs: boolean): KeyState {
    let state = this.#state.get(id);
    if (state === undefined) {
      this.#dropStale();
      state = { bucket: new RateBucket(this.#options.rateBurst, this.#options.ratePerSecond, this.#clock.millis()), replay: undefined };
      this.#state.set(id, state);
    }
    if (signs && state.replay === undefined) state.replay = new ReplayRecord(this.#options.replayCapacity);
    return state;
  }

  /** Forgets the state of keys that are no longer stored (expired and dropped), so the map stays bounded. */
  #dropStale(): void {
    if (this.#state.size < MAX_KEYS + MAX_TOKENS) return;
    const stored = new Set(this.#keys.list().map((k) => k.id));
    for (const id of [...this.#state.keys()]) if (!stored.has(id)) this.#state.delete(id);
  }

  /** Takes one call from the key's budget; the 429 to send when it is spent. */
  #charge(request: HttpRequest, state: KeyState): HttpResponse | undefined {
    const wait = state.bucket.take(this.#clock.millis());
    if (wait === 0) return undefined;
    return this.#fail(request, "rateLimited", 429, "rate_limited", "too many calls with this key", {}, [["Retry-After", String(wait)]]);
  }

  #malformed(request: HttpRequest): HttpResponse {
    return this.#fail(request, "malformed", 401, "malformed_signature_headers",
      "signed calls need X-Hotspot-Key (16 hex), X-Hotspot-Timestamp (unix seconds), X-Hotspot-Nonce (16-64 of A-Z a-z 0-9 _ -) and X-Hotspot-Signature (128 lowercase hex)");
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
