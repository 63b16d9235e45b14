// The parsers `npm run fuzz` feeds (tools/fuzz.ts runs them). Each target turns seeded random
// bytes into inputs for one parser and says how the parser took each: "accepted", or "refused"
// with the parser's typed error. Anything else (an untyped exception, a broken invariant: the HTTP
// connection answering a split input differently from the whole, an exception caught inside a
// socket callback, a field error without a field) is thrown as a FuzzFinding, or escapes on its own.
import { createHash } from "node:crypto";
import { checkConfig, defaultConfig } from "../modules/app/config.js";
import type { Core } from "../modules/core/core.js";
import { CoreError } from "../modules/core/errors.js";
import { DROP_REASONS, decodeDownstream } from "../modules/forwarder/gwmp.js";
import { parsePullRespBody } from "../modules/forwarder/txpk.js";
import { Http2Error } from "../modules/grpc/errors.js";
import { FrameFlag, FrameReader, FrameType, decodeSettings, encodeFrame, frameContent } from "../modules/grpc/frames.js";
import { HpackDecoder, encodeHeaders, type Header } from "../modules/grpc/hpack.js";
import { decodeMessage } from "../modules/proto/codec.js";
import { ProtoError } from "../modules/proto/errors.js";
import { HELIUM_MESSAGE_NAMES } from "../modules/proto/schema.js";
import { concatBytes } from "../modules/util/bytes.js";
import { readJsonObject } from "../modules/web/api/json-body.js";
import { HttpConnection, newHttpStats, type ByteTransport } from "../modules/web/http/connection.js";
import { DEFAULT_LIMITS, type HttpHandler, type HttpRequest } from "../modules/web/http/types.js";
import { createWebApp, type WebApp } from "../modules/web/web.js";
import { VirtualTime } from "../tests/support/virtual-time.js";
import { ClientKey, FakeHotspot, MemoryStore, signHeaders } from "../tests/support/web-fixture.js";
import type { Rng } from "./fuzz-rng.js";

export type Verdict = "accepted" | "refused";

/** A broken invariant: counted as "anything else", with what went wrong. */
export class FuzzFinding extends Error {
  override name = "FuzzFinding";
}

export interface FuzzTarget {
  /** Short name for --only. */
  id: string;
  name: string;
  /** Makes the per-input function (signed requests and such are prepared once). */
  prepare(rng: Rng): Promise<(rng: Rng) => Verdict>;
}

const enc = new TextEncoder();
const bytesOf = (text: string) => enc.encode(text);

function word(rng: Rng, max: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_"): string {
  let s = "";
  for (let n = 1 + rng.int(max); n > 0; n--) s += alphabet[rng.int(alphabet.length)];
  return s;
}

// ---------------------------------------------------------------- HTTP/1.1

/** Bytes that arrive in segments; read() hands out random sizes, sometimes more than asked for. */
class SegmentedTransport implements ByteTransport {
  readonly remoteAddress = "192.0.2.1";
  readonly written: Uint8Array[] = [];
  closed = false;
  #data: Uint8Array = new Uint8Array(0);
  #arrived = 0;
  #read = 0;
  constructor(private readonly readSize: (max: number, available: number) => number) {}

  arrive(bytes: Uint8Array, total: Uint8Array): void {
    this.#data = total;
    this.#arrived += bytes.length;
  }

  read(max: number): Uint8Array | undefined {
    const available = this.#arrived - this.#read;
    if (available <= 0) return undefined;
    const n = Math.max(1, Math.min(available, this.readSize(max, available)));
    const chunk = this.#data.subarray(this.#read, this.#read + n);
    this.#read += n;
    return chunk;
  }

  write(bytes: Uint8Array, sent: () => void): void {
    this.written.push(bytes.slice());
    sent();
  }

  close(): void {
    this.closed = true;
  }
}

const echo: HttpHandler = (r) => ({
  status: 200,
  headers: [["Content-Type", "text/plain"]],
  body: `${r.method} ${r.target} ${r.body.length} ${createHash("sha256").update(r.body).digest("hex").slice(0, 16)}`,
});

/** Feeds `input` in `segments` (sizes) with reads of `readSize`; returns what the server wrote. */
function serve(input: Uint8Array, segments: number[], readSize: (max: number, available: number) => number): { output: string; internalError: string | null; closed: boolean } {
  const time = new VirtualTime();
  const stats = newHttpStats();
  const transport = new SegmentedTransport(readSize);
  const connection = new HttpConnection(transport, { handler: echo, limits: DEFAULT_LIMITS, timers: time.timers, stats });
  let at = 0;
  for (const size of segments) {
    const piece = input.subarray(at, at + size);
    at += piece.length;
    transport.arrive(piece, input);
    connection.readable();
  }
  time.advance(DEFAULT_LIMITS.requestTimeoutMs + DEFAULT_LIMITS.idleTimeoutMs);
  return { output: Buffer.concat(transport.written).toString("latin1"), internalError: stats.lastInternalError, closed: transport.closed };
}

function httpRequest(rng: Rng): string {
  const method = rng.pick(["GET", "POST", "PUT", "DELETE", "HEAD"]);
  const body = method === "POST" || method === "PUT" ? word(rng, 200) : "";
  let head = `${method} /${word(rng, 30)}${rng.chance(0.3) ? `?${word(rng, 10)}=${word(rng, 10)}` : ""} HTTP/1.${rng.chance(0.9) ? 1 : 0}\r\nHost: ${word(rng, 12)}\r\n`;
  for (let i = rng.int(6); i > 0; i--) head += `${word(rng, 12)}:${rng.pick(["", " ", "\t"])}${word(rng, 30)}\r\n`;
  if (body || rng.chance(0.3)) head += `Content-Length: ${body.length}\r\n`;
  return `${head}\r\n${body}`;
}

function httpInput(rng: Rng): Uint8Array {
  const L = DEFAULT_LIMITS;
  const crlf = () => rng.pick(["", "", "\r\n", "\n", "\r", "\r\n\r\n", "\n\r\n"]);
  const valid = () => {
    let s = crlf();
    for (let n = 1 + rng.int(3); n > 0; n--) s += httpRequest(rng) + crlf();
    return bytesOf(s);
  };
  switch (rng.int(7)) {
    case 0:
    case 1:
      return valid();
    case 2:
      return rng.mutate(valid());
    case 3: {
      const tokens = ["\r", "\n", "\r\n", "GET / HTTP/1.1", "POST /p HTTP/1.1", "Host: h", ":", " ", "\t", "Content-Length: 5", "Content-Length: x", "abcde", "HTTP/1.0", "Transfer-Encoding: chunked", "\x00", "\x7f"];
      let s = "";
      for (let n = rng.int(40); n > 0; n--) s += rng.pick(tokens);
      return bytesOf(s);
    }
    case 4:
      return rng.bytes(rng.int(3000));
    case 5: {
      const which = rng.int(4);
      if (which === 0) return bytesOf(`GET /${"a".repeat(L.maxRequestLine + rng.int(3000))} HTTP/1.1\r\nHost: h\r\n\r\n`);
      if (which === 1) return bytesOf(`GET / HTTP/1.1\r\nHost: h\r\n${"Xy: z\r\n".repeat(L.maxHeaderCount + 1 + rng.int(50))}\r\n`);
      if (which === 2) return bytesOf(`GET / HTTP/1.1\r\nHost: h\r\nX: ${"v".repeat(L.maxHeaderBytes + rng.int(3000))}\r\n\r\n`);
      return bytesOf(`PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: ${L.maxBodyBytes + 1 + rng.int(1e9)}\r\n\r\n${"b".repeat(rng.int(20000))}`);
    }
    default: {
      const v = valid();
      return v.subarray(0, rng.int(v.length + 1));
    }
  }
}

const HTTP_STATUSES = new Set([200, 400, 408, 411, 413, 414, 431, 501, 505]);

export const httpTarget: FuzzTarget = {
  id: "http",
    name: "HTTP/1.1 (random read splits)",
  async prepare() {
    return (rng) => {
      const input = httpInput(rng);
      const whole = serve(input, [input.length], () => input.length);
      const segments: number[] = [];
      for (let left = input.length; left > 0; ) {
        const n = Math.min(left, 1 + rng.int(rng.pick([2, 7, 64, 1500])));
        segments.push(n);
        left -= n;
      }
      const split = serve(input, segments, (max, available) => (rng.chance(0.2) ? available : 1 + rng.int(Math.max(1, Math.min(max, available)))));
      const caught = whole.internalError ?? split.internalError;
      if (caught !== null) throw new FuzzFinding(`an exception was caught in a connection callback: ${caught}`);
      if (whole.output !== split.output) throw new FuzzFinding(`split input answered differently: ${JSON.stringify(whole.output.slice(0, 80))} vs ${JSON.stringify(split.output.slice(0, 80))}`);
      if (input.length > 0 && !whole.closed) throw new FuzzFinding("the connection outlived its timeouts");
      const statuses = [...whole.output.matchAll(/^HTTP\/1\.1 (\d{3}) /gm)].map((m) => Number(m[1]));
      for (const s of statuses) if (!HTTP_STATUSES.has(s)) throw new FuzzFinding(`status ${s}`);
      return statuses[0] === 200 ? "accepted" : "refused";
    };
  },
};

// ---------------------------------------------------------------- config (JSON body -> checkConfig)

const CONFIG_KEYS = Object.freeze([
  "wifi", "ssid", "password", "region", "fallback", "subBand", "antennaGainDbi", "radio", "listen", "kind", "frequencyHz",
  "bandwidthKhz", "spreadingFactor", "spreadingFactors", "upstream", "router", "config", "configKey", "entropy", "ingest",
  "poc", "enabled", "intervalSeconds", "forwarder", "mode", "servers", "gatewayEui", "keepaliveMs", "address", "portUp",
  "portDown", "forwardCrcErrors", "__proto__", "toString", "valueOf", "constructor", "toJSON", "hasOwnProperty", "x", "",
]);
const CONFIG_STRINGS = Object.freeze(["US915", "EU868", "MARS", "auto", "fixed", "cad-scan", "helium", "forwarder", "both", "127.0.0.1:1700", "http://127.0.0.1:9", "0102030405060708", "", "\u00e9\u0000"]);
const CONFIG_NUMBERS = Object.freeze(["0", "1", "-1", "1.5", "3", "8", "12", "125", "868100000", "1e999", "-1e999", "123456789012345678901234567890", "9007199254740993", "1e-400", "0.1e2"]);

/** JSON text of a random value, keys and literals chosen to reach the checks (and past them). */
function jsonValue(rng: Rng, depth: number): string {
  const kind = depth > 10 ? rng.int(4) : rng.int(7);
  if (kind === 0) return JSON.stringify(rng.chance(0.7) ? rng.pick(CONFIG_STRINGS) : word(rng, 20));
  if (kind === 1) return rng.pick(CONFIG_NUMBERS);
  if (kind === 2) return rng.pick(["true", "false"]);
  if (kind === 3) return "null";
  if (kind === 4) return `[${Array.from({ length: rng.int(4) }, () => jsonValue(rng, depth + 1)).join(",")}]`;
  return `{${Array.from({ length: rng.int(5) }, () => `${JSON.stringify(rng.pick(CONFIG_KEYS))}:${jsonValue(rng, depth + 1)}`).join(",")}}`;
}

/** A valid config with one field replaced by a random value (so some inputs are accepted). */
function nearlyValidConfig(rng: Rng): string {
  const c = defaultConfig() as unknown as Record<string, unknown>;
  const text = JSON.stringify({ ...c, upstream: undefined, wifi: { ssid: "lab", password: "hunter2hunter2" } });
  if (rng.chance(0.3)) return text;
  const keys = Object.keys(c).filter((k) => k !== "upstream");
  const key = rng.pick(keys);
  const value = rng.chance(0.5) ? jsonValue(rng, 3) : JSON.stringify(c[key]);
  return text.replace(new RegExp(`"${key}":(\\{[^{}]*\\}|\\[[^\\]]*\\]|"[^"]*"|[^,}]*)`), `"${key}":${value}`);
}

function configBody(rng: Rng): Uint8Array {
  switch (rng.int(5)) {
    case 0:
      return bytesOf(nearlyValidConfig(rng));
    case 1:
      return rng.mutate(bytesOf(nearlyValidConfig(rng)));
    case 2:
      return bytesOf(`${"[".repeat(rng.int(3000))}${"]".repeat(rng.int(3000))}`);
    default:
      return bytesOf(jsonValue(rng, 0));
  }
}

export function configTarget(core: Core): FuzzTarget {
  return {
    id: "config",
    name: "config (JSON body, screening, checkConfig)",
    async prepare() {
      return (rng) => {
        const body = configBody(rng);
        const request: HttpRequest = { method: "PUT", target: "/api/v1/config", path: "/api/v1/config", query: "", version: "1.1", headers: new Map([["content-type", "application/json"]]), body };
        const parsed = readJsonObject(request);
        if (!parsed.ok) {
          if (parsed.response.status !== 400) throw new FuzzFinding(`body refused with ${parsed.response.status}`);
          return "refused";
        }
        const checked = checkConfig(core, parsed.value);
        if (checked.ok) return "accepted";
        if (checked.errors.length === 0) throw new FuzzFinding("refused without a field error");
        for (const e of checked.errors) {
          // A field may be named "" (a body can have an empty key); it must be named, with a reason.
          if (typeof e.field !== "string" || typeof e.reason !== "string" || e.reason === "") throw new FuzzFinding(`a field error without field or reason: ${JSON.stringify(e)}`);
        }
        return "refused";
      };
    },
  };
}

// ---------------------------------------------------------------- auth headers

const HEADER_VALUES = Object.freeze([
  "", " ", "0", "-1", "1e9", "00000000000000000", "999999999999", "9999999999999", "0123456789abcdef", "0123456789ABCDEF", "0123456789abcdeg",
  "a".repeat(128), "A".repeat(128), "0".repeat(127), "0".repeat(129), "x".repeat(2000), "nonce-nonce-nonce", "\u00ff\u00fe", "Bearer", "Bearer ",
  "Bearer 0123456789abcdef.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "bearer  a.b", "HOTSPOT-ED25519", "AAAA-AAAA-AAAA", "aaaaaaaaaaaa",
]);
const AUTH_HEADERS = Object.freeze(["x-hotspot-key", "x-hotspot-timestamp", "x-hotspot-nonce", "x-hotspot-signature", "authorization", "x-hotspot-enrolment-code"]);
const AUTH_ROUTES: readonly [string, string][] = Object.freeze([
  ["GET", "/api/v1/status"],
  ["GET", "/metrics"],
  ["GET", "/api/v1/keys"],
  ["DELETE", "/api/v1/keys/0000000000000000"],
  ["POST", "/api/v1/keys"],
]);

export function authTarget(crypto: Parameters<typeof createWebApp>[0]["crypto"]): FuzzTarget {
  return {
    id: "auth",
    name: "auth headers (signed, bearer, enrolment)",
    async prepare(setupRng) {
      const time = new VirtualTime(0, 1_767_225_600_000);
      const hotspot = await FakeHotspot.create();
      const app: WebApp = createWebApp({ status: hotspot, actions: hotspot, crypto, store: new MemoryStore(), clock: time.clock, random: (b) => b.set(setupRng.bytes(b.length)) });
      const code = app.openEnrolment()!;
      const admin = ClientKey.generate();
      const reader = ClientKey.generate();
      app.keys.add(admin.publicKey, "admin", { expires: false });
      app.keys.add(reader.publicKey, "read", { expires: false });
      const token = app.keys.createToken({ label: "fuzz" });
      if ("error" in token) throw new Error(token.error);
      let pool: { method: string; target: string; body: string; headers: Record<string, string> }[] = [];
      let count = 0;
      return (rng) => {
        if (count++ % 200 === 0) {
          // A fresh pool of correctly signed calls at the current time (each also replayed later).
          time.advance(rng.int(10_000));
          const now = Math.floor(time.clock.wallMillis()! / 1000);
          pool = AUTH_ROUTES.flatMap(([method, target]) =>
            [admin, reader].map((key) => {
              const body = method === "POST" ? JSON.stringify({ publicKey: key.publicKeyHex, scope: "read" }) : "";
              return { method, target, body, headers: signHeaders({ method, target, body, key, timestamp: now + rng.int(61) - 30 }) };
            }),
          );
        }
        time.advance(rng.int(100));
        const base = rng.pick(pool);
        const headers = new Map<string, string>(Object.entries(base.headers).map(([k, v]) => [k.toLowerCase(), v]));
        let { method, target, body } = base;
        for (let edits = rng.int(4); edits > 0; edits--) {
          const name = rng.pick(AUTH_HEADERS);
          const action = rng.int(6);
          if (action === 0) headers.delete(name);
          else if (action === 1) headers.set(name, rng.pick(HEADER_VALUES));
          else if (action === 2) headers.set(name, word(rng, 140, "0123456789abcdefABCDEF-_.: \t"));
          else if (action === 3) headers.set("authorization", `Bearer ${rng.chance(0.5) ? token.token : rng.mutate(bytesOf(token.token)).reduce((s, b) => s + String.fromCharCode(b), "")}`);
          else if (action === 4) headers.set("x-hotspot-enrolment-code", rng.chance(0.3) ? code : word(rng, 16, "0123456789ABCDEFGHJKMNPQRSTVWXYZ-"));
          else [method, target] = rng.pick(AUTH_ROUTES);
        }
        if (rng.chance(0.05)) body = word(rng, 100);
        const request: HttpRequest = { method, target, path: target.split("?")[0], query: "", version: "1.1", headers, body: bytesOf(body), remoteAddress: "192.0.2.9" };
        const response = app.handler(request);
        if (response instanceof Promise) throw new FuzzFinding(`${method} ${target} answered asynchronously`);
        const json = typeof response.body === "string" && response.body.startsWith("{") ? (JSON.parse(response.body) as { error?: unknown }) : undefined;
        if ([200, 201, 404, 409].includes(response.status)) return "accepted";
        if ([400, 401, 403, 429, 503].includes(response.status) && typeof json?.error === "string") return "refused";
        throw new FuzzFinding(`${method} ${target}: ${response.status} ${String(response.body).slice(0, 100)}`);
      };
    },
  };
}

// ---------------------------------------------------------------- GWMP (Semtech UDP, downstream)

function txpkJson(rng: Rng): string {
  const size = rng.int(60);
  const txpk: Record<string, unknown> = {
    imme: rng.chance(0.5),
    tmst: rng.int(2 ** 32),
    freq: rng.pick([868.1, 923.3, 902.3, 0, -1, 1e9, 869.525]),
    rfch: rng.pick([0, 0, 1, -1]),
    powe: rng.pick([14, 27, 0, 100, -5]),
    modu: rng.pick(["LORA", "FSK", "lora", 1]),
    datr: rng.pick(["SF7BW125", "SF12BW125", "SF9BW500", "SF13BW125", "SF7", 50000]),
    codr: rng.pick(["4/5", "4/8", "4/9", "", null]),
    ipol: rng.pick([true, false, "yes"]),
    size,
    data: Buffer.from(rng.bytes(rng.chance(0.8) ? size : rng.int(300))).toString("base64"),
  };
  if (rng.chance(0.2)) delete txpk[rng.pick(Object.keys(txpk))];
  return JSON.stringify({ txpk });
}

export const gwmpTarget: FuzzTarget = {
  id: "gwmp",
    name: "GWMP (downstream datagrams, PULL_RESP txpk)",
  async prepare() {
    return (rng) => {
      const header = Uint8Array.of(rng.pick([2, 2, 2, 1, 0, 255]), rng.int(256), rng.int(256), rng.pick([1, 3, 3, 3, 4, 0, 2, 5, 99]));
      const kind = rng.int(4);
      const body = kind === 0 ? bytesOf(txpkJson(rng)) : kind === 1 ? rng.mutate(bytesOf(txpkJson(rng))) : kind === 2 ? bytesOf(jsonValue(rng, 0)) : rng.bytes(rng.int(1200));
      const datagram = rng.chance(0.05) ? header.subarray(0, rng.int(4)) : concatBytes(...[header, body]);
      const down = decodeDownstream(datagram);
      if (down.kind === "drop") {
        if (!DROP_REASONS.includes(down.reason)) throw new FuzzFinding(`unknown drop reason ${down.reason}`);
        return "refused";
      }
      if (down.kind !== "pull_resp") return "accepted";
      const result = parsePullRespBody(down.json);
      if (result.kind === "drop") {
        if (!DROP_REASONS.includes(result.reason)) throw new FuzzFinding(`unknown drop reason ${result.reason}`);
        if (/could not be read/.test(result.detail)) throw new FuzzFinding(`an exception inside the txpk reader: ${result.detail}`);
        return "refused";
      }
      return "accepted";
    };
  },
};

// ---------------------------------------------------------------- LoRaWAN (the core's classifier)

/** A typed refusal from the core (a trap is a bug, never a refusal). */
function coreRefusal(error: unknown): Verdict {
  if (error instanceof CoreError && error.code !== "TRAP") return "refused";
  throw error;
}

function lorawanFrame(rng: Rng): Uint8Array {
  const kind = rng.int(5);
  if (kind === 0) return concatBytes(...[Uint8Array.of(rng.pick([0x40, 0x80, 0x60, 0xa0])), rng.bytes(4), Uint8Array.of(rng.int(256)), rng.bytes(2), rng.bytes(rng.int(16)), rng.bytes(rng.int(60)), rng.bytes(4)]);
  if (kind === 1) return concatBytes(...[Uint8Array.of(0x00), rng.bytes(22)]);
  if (kind === 2) return concatBytes(...[Uint8Array.of(0x20), rng.bytes(rng.pick([16, 32, 15]))]);
  if (kind === 3) return rng.mutate(lorawanFrame(rng));
  return rng.bytes(rng.int(300));
}

export function lorawanTarget(core: Core): FuzzTarget {
  return {
    id: "lorawan",
    name: "LoRaWAN (PHYPayload classification)",
    async prepare() {
      return (rng) => {
        try {
          const frame = core.classifyLoRaWAN(lorawanFrame(rng));
          if (frame.type !== "invalid") return "accepted";
          if (typeof frame.error !== "string" || frame.error === "") throw new FuzzFinding("an invalid frame without a reason");
          return "refused";
        } catch (error) {
          return coreRefusal(error);
        }
      };
    },
  };
}

// ---------------------------------------------------------------- protobuf (the codec over the core)

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

/** Protobuf-shaped bytes: fields with small numbers and every wire type, some nested, some broken. */
function protoBytes(rng: Rng, depth = 0): Uint8Array {
  const out: number[] = [];
  for (let n = rng.int(8); n > 0; n--) {
    const field = rng.chance(0.9) ? 1 + rng.int(20) : rng.int(2 ** 29);
    const wire = rng.pick([0, 0, 1, 2, 2, 5, 3, 4, 6, 7]);
    out.push(...varint(field * 8 + wire));
    if (wire === 0) out.push(...varint(rng.chance(0.5) ? rng.int(300) : rng.int(2 ** 31)), ...(rng.chance(0.05) ? [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01] : []));
    else if (wire === 1) out.push(...rng.bytes(8));
    else if (wire === 5) out.push(...rng.bytes(4));
    else if (wire === 2) {
      const inner = depth < 3 && rng.chance(0.4) ? protoBytes(rng, depth + 1) : rng.bytes(rng.int(40));
      out.push(...varint(rng.chance(0.9) ? inner.length : rng.int(2 ** 20)), ...inner);
    }
  }
  const bytes = Uint8Array.from(out);
  return rng.chance(0.2) ? rng.mutate(bytes) : rng.chance(0.1) ? bytes.subarray(0, rng.int(bytes.length + 1)) : bytes;
}

export function protoTarget(core: Core): FuzzTarget {
  return {
    id: "proto",
    name: "proto (Helium messages through the codec)",
    async prepare() {
      return (rng) => {
        const bytes = rng.chance(0.1) ? rng.bytes(rng.int(500)) : protoBytes(rng);
        try {
          decodeMessage(core, rng.pick(HELIUM_MESSAGE_NAMES), bytes);
          return "accepted";
        } catch (error) {
          if (error instanceof ProtoError) return "refused";
          return coreRefusal(error);
        }
      };
    },
  };
}

// ---------------------------------------------------------------- HPACK

function hpackBlock(rng: Rng): Uint8Array {
  const kind = rng.int(4);
  if (kind === 0 || kind === 1) {
    const headers: Header[] = Array.from({ length: rng.int(8) }, () => [rng.pick([":status", "content-type", "grpc-status", "grpc-message", word(rng, 20)]), rng.chance(0.8) ? word(rng, 40) : "x".repeat(rng.int(5000))]);
    const block = encodeHeaders(headers);
    return kind === 0 ? block : rng.mutate(block);
  }
  if (kind === 2) {
    // Representations by hand: indexed, literal with/without indexing, size updates, Huffman flags, long lengths.
    const out: number[] = [];
    for (let n = 1 + rng.int(6); n > 0; n--) {
      const first = rng.pick([0x80 | rng.int(128), 0x40, 0x40 | rng.int(64), 0x00, 0x10, 0x20 | rng.int(32), 0x3f, 0xff]);
      out.push(first);
      if (rng.chance(0.5)) out.push(...rng.bytes(1 + rng.int(5)));
      const length = rng.int(200);
      out.push((rng.chance(0.5) ? 0x80 : 0) | Math.min(length, 127), ...rng.bytes(Math.min(length, 60)));
    }
    return Uint8Array.from(out);
  }
  return rng.bytes(rng.int(300));
}

export const hpackTarget: FuzzTarget = {
  id: "hpack",
    name: "HPACK (header blocks)",
  async prepare() {
    let decoder = new HpackDecoder();
    return (rng) => {
      if (rng.chance(0.1)) decoder = new HpackDecoder(rng.pick([0, 64, 4096]), rng.pick([100, 16384]));
      try {
        decoder.decode(hpackBlock(rng));
        return "accepted";
      } catch (error) {
        decoder = new HpackDecoder(); // after an error the decoder's state is undefined: a new connection
        if (error instanceof Http2Error) return "refused";
        throw error;
      }
    };
  },
};

// ---------------------------------------------------------------- HTTP/2 frames

function frameStream(rng: Rng): Uint8Array {
  const frames: Uint8Array[] = [];
  for (let n = 1 + rng.int(5); n > 0; n--) {
    const type = rng.chance(0.9) ? rng.pick(Object.values(FrameType)) : rng.int(256);
    const flags = rng.chance(0.7) ? rng.pick([0, FrameFlag.ACK, FrameFlag.END_HEADERS, FrameFlag.PADDED, FrameFlag.PRIORITY, FrameFlag.PADDED | FrameFlag.PRIORITY]) : rng.int(256);
    const payload = type === FrameType.SETTINGS && rng.chance(0.6) ? rng.bytes(6 * rng.int(5)) : rng.bytes(rng.int(rng.chance(0.05) ? 20000 : 100));
    const frame = encodeFrame(type, flags, rng.chance(0.5) ? 0 : rng.int(2 ** 31), payload);
    if (rng.chance(0.1)) frame.set(rng.bytes(3), 0); // a lying length
    frames.push(frame);
  }
  const stream = concatBytes(...frames);
  return rng.chance(0.2) ? rng.mutate(stream) : stream;
}

export const h2FramesTarget: FuzzTarget = {
  id: "h2",
    name: "HTTP/2 frames (reader, SETTINGS, padding)",
  async prepare() {
    return (rng) => {
      const reader = new FrameReader();
      const stream = frameStream(rng);
      try {
        for (let at = 0; at < stream.length; ) {
          const n = 1 + rng.int(rng.pick([3, 100, 20000]));
          reader.push(stream.subarray(at, at + n));
          at += n;
          for (let frame = reader.next(); frame !== undefined; frame = reader.next()) {
            if (frame.payload.length > reader.maxFrameSize) throw new FuzzFinding("a frame beyond the advertised size");
            if (frame.type === FrameType.SETTINGS) decodeSettings(frame);
            if (frame.type === FrameType.DATA || frame.type === FrameType.HEADERS) frameContent(frame);
          }
        }
        if (reader.bufferedBytes > reader.maxFrameSize + 9 + 20000) throw new FuzzFinding("the reader buffered beyond one frame and a read");
        return "accepted";
      } catch (error) {
        if (error instanceof Http2Error) return "refused";
        throw error;
      }
    };
  },
};
