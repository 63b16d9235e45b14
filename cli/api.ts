// `hotspot api ...`: the management API without curl recipes. An API key is an Ed25519 key pair in
// a PKCS#8 PEM file (the format `openssl genpkey -algorithm ed25519` writes, so the README's
// openssl recipe takes the same file); keys are made and calls signed with the compute core,
// following modules/web/README.md ("Signed calls").
import { randomFillSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import type { Core } from "../modules/core/core.js";
import { canonicalString } from "../modules/web/api/auth.js";
import { keyId } from "../modules/web/api/keys.js";
import { fromBase64, toBase64, toHex, utf8Encode } from "../modules/util/bytes.js";

/** Bad input from the user (exit code 2); the CLI defines the class. */
export type UsageErrorClass = new (message: string) => Error;

/** PKCS#8 for Ed25519 (RFC 8410): SEQUENCE { version 0, AlgorithmIdentifier 1.3.101.112, OCTET STRING { OCTET STRING seed } }. */
const PKCS8_ED25519_PREFIX = Object.freeze([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const PEM_LABEL = "PRIVATE KEY";

export function encodeKeyFile(seed: Uint8Array): string {
  const der = Uint8Array.from([...PKCS8_ED25519_PREFIX, ...seed]);
  return `-----BEGIN ${PEM_LABEL}-----\n${toBase64(der)}\n-----END ${PEM_LABEL}-----\n`;
}

/** The 32-byte seed of a PEM file; undefined when it is not an Ed25519 PKCS#8 key. */
export function decodeKeyFile(text: string): Uint8Array | undefined {
  const m = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/.exec(text);
  if (!m) return undefined;
  let der: Uint8Array;
  try {
    der = fromBase64(m[1].replace(/\s+/g, ""));
  } catch {
    return undefined;
  }
  if (der.length !== PKCS8_ED25519_PREFIX.length + 32) return undefined;
  if (PKCS8_ED25519_PREFIX.some((b, i) => der[i] !== b)) return undefined;
  return der.slice(PKCS8_ED25519_PREFIX.length);
}

export interface ApiKey {
  seed: Uint8Array;
  publicKey: Uint8Array;
  id: string;
}

function loadKey(core: Core, path: string, UsageError: UsageErrorClass): ApiKey {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read key file "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const seed = decodeKeyFile(text);
  if (seed === undefined) throw new UsageError(`"${path}" is not an Ed25519 private key (PKCS#8 PEM, as \`hotspot api keygen\` or \`openssl genpkey -algorithm ed25519\` write)`);
  const publicKey = core.ed25519PublicKey(seed);
  return { seed, publicKey, id: keyId(core, publicKey) };
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** One signed call; a stale timestamp is retried once with the hotspot's time. */
export async function signedCall(core: Core, url: URL, key: ApiKey, method: string, body: string, extraHeaders: Record<string, string> = {}): Promise<ApiAnswer> {
  let skew = 0;
  for (let attempt = 0; ; attempt++) {
    const timestamp = String(Math.floor(Date.now() / 1000) + skew);
    const nonceBytes = new Uint8Array(16);
    randomFillSync(nonceBytes);
    const nonce = toHex(nonceBytes);
    const target = url.pathname + url.search;
    const canonical = canonicalString(method, target, timestamp, nonce, toHex(core.sha256(utf8Encode(body))));
    const headers: Record<string, string> = {
      "X-Hotspot-Key": key.id,
      "X-Hotspot-Timestamp": timestamp,
      "X-Hotspot-Nonce": nonce,
      "X-Hotspot-Signature": toHex(core.ed25519Sign(key.seed, utf8Encode(canonical))),
      ...extraHeaders,
    };
    if (body !== "") headers["Content-Type"] = "application/json";
    const response = await fetch(url, { method, headers, body: body === "" ? undefined : body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (the metrics): shown as text
    }
    const answer = { status: response.status, body: parsed };
    const error = (parsed as { error?: unknown; serverTime?: unknown } | null) ?? {};
    if (attempt === 0 && response.status === 401 && error.error === "stale_timestamp" && typeof error.serverTime === "number") {
      skew = error.serverTime - Math.floor(Date.now() / 1000);
      continue;
    }
    return answer;
  }
}

function urlOption(text: string, UsageError: UsageErrorClass): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url "${text}" is not a URL (e.g. http://192.168.1.50)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--url must be http:// or https://, not ${url.protocol}`);
  return url;
}

/** The hotspot did not answer (exit code 1, one line on stderr). */
export class UnreachableError extends Error {
  override name = "UnreachableError";
}

async function reach<T>(what: Promise<T>, url: URL): Promise<T> {
  try {
    return await what;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new UnreachableError(`cannot reach ${url.origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
}

export interface ApiOptions {
  out?: string;
  url?: string;
  code?: string;
  key?: string;
  label?: string;
}

/** `api keygen | enroll | call`; returns what to print and the exit code. */
export async function apiCommand(core: Core, sub: string | undefined, options: ApiOptions, positionals: string[], UsageError: UsageErrorClass): Promise<{ result: unknown; exitCode: number }> {
  const need = (name: keyof ApiOptions): string => {
    const v = options[name];
    if (v === undefined || v === "") throw new UsageError(`--${name} is required`);
    return v;
  };
  if (sub === "keygen") {
    const out = need("out");
    const seed = new Uint8Array(32);
    randomFillSync(seed);
    try {
      writeFileSync(out, encodeKeyFile(seed), { flag: "wx", mode: 0o600 }); // never overwrites a key
    } catch (error) {
      throw new UsageError(`cannot write "${out}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const publicKey = core.ed25519PublicKey(seed);
    seed.fill(0);
    return { result: { id: keyId(core, publicKey), publicKey: toHex(publicKey), file: out }, exitCode: 0 };
  }
  if (sub === "enroll") {
    const url = urlOption(need("url"), UsageError);
    const code = need("code");
    const key = loadKey(core, need("key"), UsageError);
    const label = options.label ?? "cli";
    const body = JSON.stringify({ publicKey: toHex(key.publicKey), scope: "admin", label });
    const answer = await reach(signedCall(core, new URL("/api/v1/keys", url), key, "POST", body, { "X-Hotspot-Enrolment-Code": code }), url);
    return { result: answer, exitCode: answer.status === 201 ? 0 : 1 };
  }
  if (sub === "call") {
    if (positionals.length < 2 || positionals.length > 3) throw new UsageError("usage: hotspot api call --url URL --key FILE METHOD PATH [JSON]");
    const [method, path, json = ""] = positionals;
    if (!/^[A-Z]+$/.test(method)) throw new UsageError(`METHOD must be an upper-case HTTP method, not "${method}"`);
    if (!path.startsWith("/")) throw new UsageError(`PATH must start with "/", not "${path}"`);
    if (json !== "") {
      try {
        JSON.parse(json);
      } catch (error) {
        throw new UsageError(`the body is not JSON: ${(error as Error).message}`);
      }
    }
    const url = urlOption(need("url"), UsageError);
    const key = loadKey(core, need("key"), UsageError);
    const target = new URL(path, url);
    return { result: await reach(signedCall(core, target, key, method, json), url), exitCode: 0 };
  }
  throw new UsageError(`unknown api command "${sub ?? ""}"; use "api keygen", "api enroll" or "api call"`);
}
