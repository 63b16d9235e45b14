// The API's credentials, in one key-value entry (ESP32 NVS values are at most 4000 bytes: the
// caps below keep the worst-case record under that, and a test checks it):
//  - Ed25519 public keys, each made by its client, which keeps the private key. The id is the first
//    16 hex digits of SHA-256(public key). Scope read or admin. The hotspot holds nothing that signs.
//  - read tokens for scrapers ("<id>.<secret>", Authorization: Bearer): only SHA-256 of the secret's
//    64 hex characters is stored; the token itself is shown once, when it is made.
// Each has a label, a creation time and an optional expiry (unix ms).

import type { KeyValueStore, Log } from "../../host/provider.js";
import { equalBytes, fromHex, toHex, utf8Decode, utf8Encode } from "../../util/bytes.js";
import { sha256Text, type ApiCrypto } from "../crypto.js";

export type Scope = "read" | "admin";
export type CredentialKind = "ed25519" | "token";

export interface ApiKeyInfo {
  /** 16 hex digits; public, names the credential in headers and lists. */
  id: string;
  kind: CredentialKind;
  scope: Scope;
  label: string;
  /** Unix ms, or null when made before the wall clock was valid. */
  createdAt: number | null;
  /** Unix ms after which it is refused; null = no expiry. */
  expiresAt: number | null;
}

export interface CreatedToken extends ApiKeyInfo {
  /** "<id>.<secret>": the only time the secret is ever shown. */
  token: string;
}

interface StoredKey extends ApiKeyInfo {
  /** ed25519: the public key, 64 hex. */
  publicKey?: string;
  /** token: hex SHA-256 of the secret's text. */
  tokenHash?: string;
}

export type AddError = "too_many_keys" | "too_many_tokens" | "duplicate_key" | "clock_unsynced" | "bad_ttl" | "bad_label";

export interface ApiKeysDeps {
  store: KeyValueStore;
  crypto: Pick<ApiCrypto, "sha256">;
  random(bytes: Uint8Array): void;
  /** Wall-clock unix ms, undefined while not valid. */
  wallMillis(): number | undefined;
  log?: Log;
}

export const KEYS_STORE_KEY = "web.keys";
export const MAX_KEYS = 8;
export const MAX_TOKENS = 4;
export const MAX_LABEL_LENGTH = 32;
export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 366 * 24 * 3600;
export const DEFAULT_TTL_SECONDS = 90 * 24 * 3600;
const RECORD_VERSION = 2;

// The patterns are made per call (a RegExp made at module load is preloaded: device/README.md).
const isKeyId = (text: string) => /^[0-9a-f]{16}$/.test(text);
const isHex64 = (text: string) => /^[0-9a-f]{64}$/.test(text);
const isPrintableAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

/** The id of an Ed25519 public key: the first 16 hex digits of its SHA-256. */
export function keyId(crypto: Pick<ApiCrypto, "sha256">, publicKey: Uint8Array): string {
  return toHex(crypto.sha256(publicKey).subarray(0, 8));
}

export interface AddOptions {
  /** Absent: no expiry for enrolled or preset keys (`expires: false`), else the default TTL. */
  ttlSeconds?: number;
  label?: string;
  /** False: a missing ttlSeconds means "never expires" (the first admin key). */
  expires?: boolean;
}

export class ApiKeys {
  readonly #deps: ApiKeysDeps;
  #keys: StoredKey[] = [];

  constructor(deps: ApiKeysDeps) {
    this.#deps = deps;
    this.#load();
  }

  /** True while at least one admin key is usable (enrolment stays closed then). */
  hasUsableAdmin(): boolean {
    return this.#keys.some((k) => k.scope === "admin" && this.#usable(k));
  }

  /** Stores a client's Ed25519 public key (32 bytes). */
  add(publicKey: Uint8Array, scope: Scope, options: AddOptions = {}): ApiKeyInfo | { error: AddError } {
    const id = keyId(this.#deps.crypto, publicKey);
    const expiry = this.#admit(options);
    if (expiry !== null && typeof expiry === "object") return expiry;
    if (this.#keys.some((k) => k.id === id)) return { error: "duplicate_key" };
    this.#dropExpired();
    if (this.#keys.filter((k) => k.kind === "ed25519").length >= MAX_KEYS) return { error: "too_many_keys" };
    return this.#insert({ id, kind: "ed25519", scope, label: options.label ?? "", createdAt: this.#deps.wallMillis() ?? null, expiresAt: expiry, publicKey: toHex(publicKey) });
  }

  /** Makes a read token; its secret is returned this once and only its hash is kept. */
  createToken(options: { ttlSeconds?: number; label?: string } = {}): CreatedToken | { error: AddError } {
    const expiry = this.#admit(options);
    if (expiry !== null && typeof expiry === "object") return expiry;
    this.#dropExpired();
    if (this.#keys.filter((k) => k.kind === "token").length >= MAX_TOKENS) return { error: "too_many_tokens" };
    const idBytes = new Uint8Array(8);
    let id: string;
    do {
      this.#deps.random(idBytes);
      id = toHex(idBytes);
    } while (this.#keys.some((k) => k.id === id));
    const secretBytes = new Uint8Array(32);
    this.#deps.random(secretBytes);
    const secret = toHex(secretBytes);
    secretBytes.fill(0);
    const info = this.#insert({
      id,
      kind: "token",
      scope: "read",
      label: options.label ?? "",
      createdAt: this.#deps.wallMillis() ?? null,
      expiresAt: expiry,
      tokenHash: toHex(sha256Text(this.#deps.crypto, secret)),
    });
    return { ...info, token: `${id}.${secret}` };
  }

  list(): ApiKeyInfo[] {
    return this.#keys.map((k) => this.#info(k));
  }

  /** Revokes at once. Refused for the last usable admin key (that would lock the API). */
  revoke(id: string): "revoked" | "not_found" | "last_admin" {
    const key = this.#keys.find((k) => k.id === id);
    if (key === undefined) return "not_found";
    if (key.scope === "admin" && this.#usable(key)) {
      const others = this.#keys.filter((k) => k !== key && k.scope === "admin" && this.#usable(k));
      if (others.length === 0) return "last_admin";
    }
    this.#keys = this.#keys.filter((k) => k !== key);
    this.#save();
    return "revoked";
  }

  /** An Ed25519 key and its public key, if stored and unexpired. */
  lookup(id: string): { info: ApiKeyInfo; publicKey: Uint8Array } | "unknown" | "expired" {
    const key = this.#keys.find((k) => k.id === id && k.kind === "ed25519");
    if (key === undefined) return "unknown";
    if (!this.#usable(key)) return "expired";
    return { info: this.#info(key), publicKey: fromHex(key.publicKey!) };
  }

  /** Checks a presented "<id>.<secret>" read token against the stored hash (constant time). */
  verifyToken(token: string): ApiKeyInfo | "unknown" | "expired" | "malformed" {
    const dot = token.indexOf(".");
    const id = token.slice(0, dot);
    const secret = token.slice(dot + 1);
    if (dot < 0 || !isKeyId(id) || !isHex64(secret)) return "malformed";
    const key = this.#keys.find((k) => k.id === id && k.kind === "token");
    if (key === undefined) return "unknown";
    if (!equalBytes(sha256Text(this.#deps.crypto, secret), fromHex(key.tokenHash!))) return "unknown";
    return this.#usable(key) ? this.#info(key) : "expired";
  }

  /** Factory reset: forget every credential. */
  clear(): void {
    this.#keys = [];
    this.#deps.store.delete(KEYS_STORE_KEY);
  }

  /** Checks the label and TTL; the expiry they give (unix ms, or null = never), or why not. */
  #admit(options: AddOptions): number | null | { error: AddError } {
    const label = options.label ?? "";
    if (label.length > MAX_LABEL_LENGTH || !isPrintableAscii(label)) return { error: "bad_label" };
    if (options.ttlSeconds === undefined && options.expires === false) return null;
    const ttl = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    if (!Number.isInteger(ttl) || ttl < MIN_TTL_SECONDS || ttl > MAX_TTL_SECONDS) return { error: "bad_ttl" };
    const now = this.#deps.wallMillis();
    // Without a valid clock an expiring key could not be shown to be unexpired.
    if (now === undefined) return { error: "clock_unsynced" };
    return now + ttl * 1000;
  }

  #dropExpired(): void {
    const now = this.#deps.wallMillis();
    if (now !== undefined) this.#keys = this.#keys.filter((k) => k.expiresAt === null || k.expiresAt > now);
  }

  #insert(stored: StoredKey): ApiKeyInfo {
    this.#keys.push(stored);
    this.#save();
    return this.#info(stored);
  }

  #usable(key: StoredKey): boolean {
    if (key.expiresAt === null) return true;
    const now = this.#deps.wallMillis();
    return now !== undefined && now < key.expiresAt;
  }

  #info(key: StoredKey): ApiKeyInfo {
    const { id, kind, scope, label, createdAt, expiresAt } = key;
    return { id, kind, scope, label, createdAt, expiresAt };
  }

  #save(): void {
    this.#deps.store.write(KEYS_STORE_KEY, utf8Encode(JSON.stringify({ v: RECORD_VERSION, keys: this.#keys })));
  }

  /**
   * Reads the record. Version 1 (HMAC keys, whose stored hash was the signing key) keeps its read
   * keys as bearer tokens (same "<id>.<secret>" and hash) and drops its admin keys: they must be
   * enrolled again as Ed25519 keys. An unreadable record is dropped and logged.
   */
  #load(): void {
    const bytes = this.#deps.store.read(KEYS_STORE_KEY);
    if (bytes === undefined) return;
    const keys = parseRecord(bytes);
    if (keys === undefined) {
      this.#deps.log?.("error", "web", "API key record unreadable: every API key is gone; enrol an admin key with the code");
      return;
    }
    this.#keys = keys;
  }
}

function parseRecord(bytes: Uint8Array): StoredKey[] | undefined {
  let record: { v?: unknown; keys?: unknown };
  try {
    record = JSON.parse(utf8Decode(bytes)) as { v?: unknown; keys?: unknown };
  } catch {
    return undefined;
  }
  if (typeof record !== "object" || record === null || !Array.isArray(record.keys)) return undefined;
  const keys: StoredKey[] = [];
  for (const k of record.keys as Record<string, unknown>[]) {
    if (typeof k !== "object" || k === null) return undefined;
    const { id, scope, label, createdAt, expiresAt } = k;
    if (
      typeof id !== "string" || !isKeyId(id) ||
      (scope !== "read" && scope !== "admin") ||
      typeof label !== "string" ||
      !(createdAt === null || typeof createdAt === "number") ||
      !(expiresAt === null || typeof expiresAt === "number")
    ) {
      return undefined;
    }
    const base = { id, scope: scope as Scope, label, createdAt, expiresAt };
    if (record.v === 1) {
      if (scope === "read" && typeof k.hash === "string" && isHex64(k.hash)) keys.push({ ...base, kind: "token", tokenHash: k.hash });
    } else if (record.v === RECORD_VERSION && k.kind === "ed25519" && typeof k.publicKey === "string" && isHex64(k.publicKey)) {
      keys.push({ ...base, kind: "ed25519", publicKey: k.publicKey });
    } else if (record.v === RECORD_VERSION && k.kind === "token" && scope === "read" && typeof k.tokenHash === "string" && isHex64(k.tokenHash)) {
      keys.push({ ...base, kind: "token", tokenHash: k.tokenHash });
    } else {
      return undefined;
    }
  }
  return keys;
}
