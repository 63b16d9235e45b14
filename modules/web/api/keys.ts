// API keys: id + secret, scope read or admin, creation time and expiry. The secret is shown once at
// creation; the store keeps only SHA-256(secret), which is also the HMAC key for signed calls (see
// README: a client derives it from the secret it holds). All keys live in one key-value entry
// (ESP32 NVS values are at most 4000 bytes: MAX_KEYS records fit with room to spare).

import type { KeyValueStore, Log } from "../../host/provider.js";
import { equalBytes, fromHex, toHex, utf8Decode, utf8Encode } from "../../util/bytes.js";
import { sha256Text, type Sha256 } from "../hash.js";

export type Scope = "read" | "admin";

export interface ApiKeyInfo {
  /** 16 hex digits; public, names the key in headers and lists. */
  id: string;
  scope: Scope;
  label: string;
  /** Unix ms, or null when created before the wall clock was valid (the first-boot key). */
  createdAt: number | null;
  /** Unix ms after which the key is refused; null = no expiry (only the first-boot key). */
  expiresAt: number | null;
}

export interface CreatedKey extends ApiKeyInfo {
  /** "<id>.<secret>": the only time the secret is ever returned. */
  key: string;
}

interface StoredKey extends ApiKeyInfo {
  /** hex SHA-256 of the secret's text. */
  hash: string;
}

export type CreateError = "too_many_keys" | "clock_unsynced" | "bad_ttl" | "bad_label";

export interface ApiKeysDeps {
  store: KeyValueStore;
  hash: Sha256;
  random(bytes: Uint8Array): void;
  /** Wall-clock unix ms, undefined while not valid. */
  wallMillis(): number | undefined;
  log?: Log;
}

export const KEYS_STORE_KEY = "web.keys";
export const MAX_KEYS = 8;
export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 366 * 24 * 3600;
export const DEFAULT_TTL_SECONDS = 90 * 24 * 3600;

const ID_RE = /^[0-9a-f]{16}$/;
const SECRET_RE = /^[0-9a-f]{64}$/;

export class ApiKeys {
  readonly #deps: ApiKeysDeps;
  #keys: StoredKey[] = [];
  #loaded: "absent" | "ok" | "corrupt";

  constructor(deps: ApiKeysDeps) {
    this.#deps = deps;
    this.#loaded = this.#load();
  }

  /**
   * First boot (nothing ever stored, or the record is unreadable): creates an admin key without
   * expiry and returns it so the app can print it once. Otherwise undefined.
   */
  bootstrap(): CreatedKey | undefined {
    if (this.#loaded === "ok") return undefined;
    if (this.#loaded === "corrupt") this.#deps.log?.("error", "web", "API key record unreadable: issuing a new first admin key");
    this.#keys = [];
    const created = this.#make("admin", "first boot", null);
    this.#loaded = "ok";
    return created;
  }

  create(scope: Scope, options: { ttlSeconds?: number; label?: string } = {}): CreatedKey | { error: CreateError } {
    const now = this.#deps.wallMillis();
    if (now === undefined) return { error: "clock_unsynced" };
    const ttl = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    if (!Number.isInteger(ttl) || ttl < MIN_TTL_SECONDS || ttl > MAX_TTL_SECONDS) return { error: "bad_ttl" };
    const label = options.label ?? "";
    if (label.length > 32 || !/^[\x20-\x7e]*$/.test(label)) return { error: "bad_label" };
    this.#keys = this.#keys.filter((k) => k.expiresAt === null || k.expiresAt > now);
    if (this.#keys.length >= MAX_KEYS) return { error: "too_many_keys" };
    return this.#make(scope, label, now + ttl * 1000);
  }

  list(): ApiKeyInfo[] {
    return this.#keys.map(({ id, scope, label, createdAt, expiresAt }) => ({ id, scope, label, createdAt, expiresAt }));
  }

  /** Revokes a key at once. Refused when it is the last usable admin key (that would lock the API). */
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

  /** The key if it exists and has not expired ("expired" when it has). */
  lookup(id: string): ApiKeyInfo | "unknown" | "expired" {
    const key = this.#keys.find((k) => k.id === id);
    if (key === undefined) return "unknown";
    return this.#usable(key) ? this.#info(key) : "expired";
  }

  /** The HMAC key of a stored key: SHA-256 of its secret. */
  signingKey(id: string): Uint8Array | undefined {
    const key = this.#keys.find((k) => k.id === id);
    return key === undefined ? undefined : fromHex(key.hash);
  }

  /** Checks a presented "<id>.<secret>" token against the stored hash (constant time). */
  verifyToken(token: string): ApiKeyInfo | "unknown" | "expired" | "malformed" {
    const dot = token.indexOf(".");
    const id = token.slice(0, dot);
    const secret = token.slice(dot + 1);
    if (dot < 0 || !ID_RE.test(id) || !SECRET_RE.test(secret)) return "malformed";
    const key = this.#keys.find((k) => k.id === id);
    if (key === undefined) return "unknown";
    if (!equalBytes(sha256Text(this.#deps.hash, secret), fromHex(key.hash))) return "unknown";
    return this.#usable(key) ? this.#info(key) : "expired";
  }

  /** Factory reset: forget every key; the next bootstrap() issues a new first admin key. */
  clear(): void {
    this.#keys = [];
    this.#deps.store.delete(KEYS_STORE_KEY);
    this.#loaded = "absent";
  }

  #usable(key: StoredKey): boolean {
    if (key.expiresAt === null) return true;
    const now = this.#deps.wallMillis();
    // Without a valid clock an expiring key cannot be shown to be unexpired.
    return now !== undefined && now < key.expiresAt;
  }

  #info(key: StoredKey): ApiKeyInfo {
    const { id, scope, label, createdAt, expiresAt } = key;
    return { id, scope, label, createdAt, expiresAt };
  }

  #make(scope: Scope, label: string, expiresAt: number | null): CreatedKey {
    const idBytes = new Uint8Array(8);
    const secretBytes = new Uint8Array(32);
    let id: string;
    do {
      this.#deps.random(idBytes);
      id = toHex(idBytes);
    } while (this.#keys.some((k) => k.id === id));
    this.#deps.random(secretBytes);
    const secret = toHex(secretBytes);
    secretBytes.fill(0);
    const stored: StoredKey = {
      id,
      scope,
      label,
      createdAt: this.#deps.wallMillis() ?? null,
      expiresAt,
      hash: toHex(sha256Text(this.#deps.hash, secret)),
    };
    this.#keys.push(stored);
    this.#save();
    return { ...this.#info(stored), key: `${id}.${secret}` };
  }

  #save(): void {
    const record = { v: 1, keys: this.#keys };
    this.#deps.store.write(KEYS_STORE_KEY, utf8Encode(JSON.stringify(record)));
  }

  #load(): "absent" | "ok" | "corrupt" {
    const bytes = this.#deps.store.read(KEYS_STORE_KEY);
    if (bytes === undefined) return "absent";
    try {
      const record = JSON.parse(utf8Decode(bytes)) as { v?: unknown; keys?: unknown };
      if (record.v !== 1 || !Array.isArray(record.keys)) return "corrupt";
      const keys: StoredKey[] = [];
      for (const k of record.keys as Partial<StoredKey>[]) {
        if (
          typeof k.id !== "string" || !ID_RE.test(k.id) ||
          (k.scope !== "read" && k.scope !== "admin") ||
          typeof k.hash !== "string" || !/^[0-9a-f]{64}$/.test(k.hash) ||
          typeof k.label !== "string" ||
          !(k.createdAt === null || typeof k.createdAt === "number") ||
          !(k.expiresAt === null || typeof k.expiresAt === "number")
        ) {
          return "corrupt";
        }
        keys.push({ id: k.id, scope: k.scope, label: k.label, createdAt: k.createdAt, expiresAt: k.expiresAt, hash: k.hash });
      }
      this.#keys = keys;
      return "ok";
    } catch {
      return "corrupt";
    }
  }
}
