// The management API (modules/web/api) through the real HTTP connection over the in-memory
// transport, with virtual time and the compute core as the server's crypto. Clients sign with
// node:crypto's Ed25519 following the README recipe (tests/support/web-fixture.ts). Every response
// of every test is scanned for the gateway's private key and for anything that could sign.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { createWebApp, type WebApp } from "../modules/web/web.js";
import { KEYS_STORE_KEY, MAX_KEYS, MAX_TOKENS } from "../modules/web/api/keys.js";
import type { AuthOptions } from "../modules/web/api/auth.js";
import { openConnection, type ParsedResponse } from "./support/http-memory.js";
import { VirtualTime } from "./support/virtual-time.js";
import { ClientKey, FakeHotspot, MemoryStore, coreCrypto, signHeaders } from "./support/web-fixture.js";

const EPOCH = 1_767_225_600_000; // 2026-01-01T00:00:00Z

/** Every response any test saw, with the secrets of the hotspot that produced it. */
const allResponses: { text: string; secrets: string[] }[] = [];

export interface CallOptions {
  body?: string;
  key?: ClientKey;
  token?: string;
  /** "signed" (default with a key), "bearer" (default with a token), or "none". */
  auth?: "signed" | "bearer" | "none";
  timestampOffset?: number;
  nonce?: string;
  /** Edits the request after signing (tampering). */
  tamper?: (r: { method: string; target: string; headers: Record<string, string>; body: string }) => void;
  headers?: Record<string, string>;
}

interface Rig {
  time: VirtualTime;
  hotspot: FakeHotspot;
  store: MemoryStore;
  app: WebApp;
  admin: ClientKey;
  call(method: string, target: string, options?: CallOptions): Promise<ParsedResponse & { json: any }>;
  addKey(scope: "read" | "admin", extra?: Record<string, unknown>): Promise<ClientKey>;
  nowSeconds(): number;
}

async function rig(auth: Partial<AuthOptions> = {}): Promise<Rig> {
  const time = new VirtualTime(0, EPOCH);
  const hotspot = await FakeHotspot.create();
  const store = new MemoryStore();
  const app = createWebApp({ status: hotspot, actions: hotspot, crypto: coreCrypto, store, clock: time.clock, random: (b) => b.set(randomBytes(b.length)), auth });
  const code = app.openEnrolment();
  assert.ok(code, "a new hotspot opens enrolment");
  const nowSeconds = () => Math.floor(time.clock.wallMillis()! / 1000);
  const call: Rig["call"] = async (method, target, o = {}) => {
    const body = o.body ?? "";
    const headers: Record<string, string> = { Host: "hotspot.local", ...o.headers };
    if (body.length > 0) headers["Content-Type"] ??= "application/json";
    const mode = o.auth ?? (o.key ? "signed" : o.token ? "bearer" : "none");
    if (mode === "signed") {
      Object.assign(headers, signHeaders({ method, target, body, key: o.key!, timestamp: nowSeconds() + (o.timestampOffset ?? 0), nonce: o.nonce }));
    } else if (mode === "bearer") {
      headers.Authorization = `Bearer ${o.token}`;
    }
    const r = { method, target, headers, body };
    o.tamper?.(r);
    const bodyBytes = Buffer.from(r.body, "utf8");
    let raw = `${r.method} ${r.target} HTTP/1.1\r\n`;
    for (const [k, v] of Object.entries(r.headers)) raw += `${k}: ${v}\r\n`;
    raw += `Content-Length: ${bodyBytes.length}\r\n\r\n`;
    const h = openConnection(app.handler, {}, time);
    h.send(Buffer.concat([Buffer.from(raw, "latin1"), bodyBytes]));
    for (let i = 0; i < 5 && h.transport.written.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    const [response] = h.responses();
    assert.ok(response, `${method} ${target}: no response`);
    const text = Buffer.from(h.transport.output()).toString("latin1");
    allResponses.push({ text, secrets: hotspot.secrets });
    const json = response.text && /json/.test(response.headers.get("content-type") ?? "") ? JSON.parse(response.text) : undefined;
    return { ...response, json };
  };
  const admin = ClientKey.generate();
  const enrolled = await call("POST", "/api/v1/keys", { key: admin, body: JSON.stringify({ publicKey: admin.publicKeyHex, label: "first" }), headers: { "X-Hotspot-Enrolment-Code": code } });
  assert.equal(enrolled.status, 201, enrolled.text);
  return {
    time,
    hotspot,
    store,
    app,
    admin,
    call,
    nowSeconds,
    async addKey(scope, extra = {}) {
      const key = ClientKey.generate();
      const res = await call("POST", "/api/v1/keys", { key: admin, body: JSON.stringify({ publicKey: key.publicKeyHex, scope, ...extra }) });
      assert.equal(res.status, 201, res.text);
      return key;
    },
  };
}

const READ_CALLS: [string, string][] = [
  ["GET", "/api/v1/status"],
  ["GET", "/api/v1/stats"],
  ["GET", "/api/v1/packets"],
  ["GET", "/api/v1/poc"],
  ["GET", "/api/v1/auth"],
  ["GET", "/metrics"],
];
const ADMIN_CALLS: [string, string, string?][] = [
  ["GET", "/api/v1/config"],
  ["PUT", "/api/v1/config", "{}"],
  ["POST", "/api/v1/add-gateway", '{"owner":"abc","payer":"abc"}'],
  ["GET", "/api/v1/keys"],
  ["POST", "/api/v1/keys", JSON.stringify({ publicKey: "11".repeat(32), scope: "read" })],
  ["POST", "/api/v1/tokens", '{"label":"x"}'],
  ["DELETE", "/api/v1/keys/0123456789abcdef"],
  ["POST", "/api/v1/actions/restart-radio"],
  ["POST", "/api/v1/actions/reboot"],
  ["POST", "/api/v1/actions/factory-reset", '{"confirm":"factory-reset"}'],
];

test("no credentials -> 401 on every read and admin call, with a challenge naming the schemes; nothing runs", async () => {
  const r = await rig();
  for (const [method, path, body] of [...READ_CALLS, ...ADMIN_CALLS]) {
    const res = await r.call(method, path, { body });
    assert.equal(res.status, 401, `${method} ${path}`);
    assert.equal(res.json.error, "unauthenticated");
    assert.equal(res.headers.get("www-authenticate"), "HOTSPOT-ED25519, Bearer");
  }
  assert.deepEqual(r.hotspot.calls, []);
  const status = await r.call("GET", "/api/v1/status", { key: r.admin });
  assert.equal(status.json.security.failures.missing, READ_CALLS.length + ADMIN_CALLS.length);
});

test("enrolment: the code enrols one admin key, signed by that key, once; the key id is SHA-256(public key)", async () => {
  const time = new VirtualTime(0, EPOCH);
  const hotspot = await FakeHotspot.create();
  const store = new MemoryStore();
  const app = createWebApp({ status: hotspot, actions: hotspot, crypto: coreCrypto, store, clock: time.clock, random: (b) => b.set(randomBytes(b.length)) });
  const code = app.openEnrolment()!;
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  const send = (key: ClientKey, body: object, headers: Record<string, string>, signer = key) => {
    const text = JSON.stringify(body);
    const signed = signHeaders({ method: "POST", target: "/api/v1/keys", body: text, key: signer, timestamp: Math.floor(time.clock.wallMillis()! / 1000) });
    const h = openConnection(app.handler, {}, time);
    h.send(`POST /api/v1/keys HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n${Object.entries({ ...signed, ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join("")}Content-Length: ${text.length}\r\n\r\n${text}`);
    const [res] = h.responses();
    return { status: res.status, json: JSON.parse(res.text) };
  };
  const mine = ClientKey.generate();
  const other = ClientKey.generate();
  const wrong = send(mine, { publicKey: mine.publicKeyHex }, { "X-Hotspot-Enrolment-Code": "0000-0000-0000" });
  assert.deepEqual([wrong.status, wrong.json.error], [401, "bad_enrolment_code"]);
  const notTheSigner = send(mine, { publicKey: mine.publicKeyHex }, { "X-Hotspot-Enrolment-Code": code }, other);
  assert.equal(notTheSigner.status, 401, "signed by a key other than the one enrolled");
  const readScope = send(mine, { publicKey: mine.publicKeyHex, scope: "read" }, { "X-Hotspot-Enrolment-Code": code });
  assert.deepEqual(readScope.json.fields.map((f: any) => f.field), ["scope"]);
  // Typed as a person would: lower case, without dashes.
  const ok = send(mine, { publicKey: mine.publicKeyHex, label: "laptop" }, { "X-Hotspot-Enrolment-Code": code.toLowerCase().replace(/-/g, "") });
  assert.equal(ok.status, 201);
  assert.deepEqual(ok.json, { id: createHash("sha256").update(mine.publicKey).digest("hex").slice(0, 16), kind: "ed25519", scope: "admin", label: "laptop", createdAt: EPOCH, expiresAt: null });
  const again = send(other, { publicKey: other.publicKeyHex }, { "X-Hotspot-Enrolment-Code": code });
  assert.deepEqual([again.status, again.json.error], [403, "enrolment_closed"]);
  // The code never reached the store, in any form.
  const stored = [...store.map.values()].map((v) => Buffer.from(v).toString("latin1")).join("\n");
  for (const form of [code, code.replace(/-/g, ""), createHash("sha256").update(code.replace(/-/g, "")).digest("hex")]) assert.ok(!stored.includes(form));
  // A restart with an admin key opens no enrolment.
  const restarted = createWebApp({ status: hotspot, actions: hotspot, crypto: coreCrypto, store, clock: time.clock, random: (b) => b.set(randomBytes(b.length)) });
  assert.equal(restarted.openEnrolment(), undefined);
});

test("enrolment closes 10 minutes after the code was made; GET /api/v1/enrolment says whether it is open", async () => {
  const time = new VirtualTime(0, EPOCH);
  const hotspot = await FakeHotspot.create();
  const app = createWebApp({ status: hotspot, actions: hotspot, crypto: coreCrypto, store: new MemoryStore(), clock: time.clock, random: (b) => b.set(randomBytes(b.length)) });
  const code = app.openEnrolment()!;
  const open = () => {
    const h = openConnection(app.handler, {}, time);
    h.send("GET /api/v1/enrolment HTTP/1.1\r\nHost: h\r\n\r\n");
    return JSON.parse(h.responses()[0].text).open;
  };
  assert.equal(open(), true);
  time.advance(10 * 60 * 1000);
  assert.equal(open(), false);
  const key = ClientKey.generate();
  const text = JSON.stringify({ publicKey: key.publicKeyHex });
  const h = openConnection(app.handler, {}, time);
  const signed = signHeaders({ method: "POST", target: "/api/v1/keys", body: text, key, timestamp: Math.floor(time.clock.wallMillis()! / 1000) });
  h.send(`POST /api/v1/keys HTTP/1.1\r\nHost: h\r\n${Object.entries({ ...signed, "X-Hotspot-Enrolment-Code": code }).map(([k, v]) => `${k}: ${v}\r\n`).join("")}Content-Length: ${text.length}\r\n\r\n${text}`);
  assert.equal(JSON.parse(h.responses()[0].text).error, "enrolment_closed");
});

test("read key: read calls work; every admin call -> 403; nothing runs", async () => {
  const r = await rig();
  const read = await r.addKey("read", { label: "grafana" });
  for (const [method, path] of READ_CALLS) assert.equal((await r.call(method, path, { key: read })).status, 200, `signed ${path}`);
  for (const [method, path, body] of ADMIN_CALLS) {
    const res = await r.call(method, path, { key: read, body });
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.equal(res.json.error, "forbidden");
  }
  assert.deepEqual(r.hotspot.calls, []);
  const whoami = await r.call("GET", "/api/v1/auth", { key: read });
  assert.deepEqual([whoami.json.id, whoami.json.kind, whoami.json.scope, whoami.json.label], [read.id, "ed25519", "read", "grafana"]);
});

test("read tokens: made by an admin, shown once, only a hash stored; Bearer works on read calls, never on admin calls", async () => {
  const r = await rig();
  const made = await r.call("POST", "/api/v1/tokens", { key: r.admin, body: JSON.stringify({ label: "prometheus", ttlSeconds: 3600 }) });
  assert.equal(made.status, 201);
  const token = made.json.token as string;
  assert.match(token, /^[0-9a-f]{16}\.[0-9a-f]{64}$/);
  assert.deepEqual([made.json.id, made.json.scope, made.json.kind, made.json.expiresAt], [token.split(".")[0], "read", "token", EPOCH + 3_600_000]);
  for (const [method, path] of READ_CALLS) assert.equal((await r.call(method, path, { token })).status, 200, `bearer ${path}`);
  for (const [method, path, body] of ADMIN_CALLS) assert.equal((await r.call(method, path, { token, body })).status, 403, `bearer ${method} ${path}`);
  const wrong = await r.call("GET", "/api/v1/status", { token: token.slice(0, -1) + (token.endsWith("0") ? "1" : "0") });
  assert.equal(wrong.json.error, "unknown_key");
  const record = JSON.parse(Buffer.from(r.store.read(KEYS_STORE_KEY)!).toString("utf8"));
  const secret = token.split(".")[1];
  assert.ok(!JSON.stringify(record).includes(secret), "the secret is not stored");
  assert.equal(record.keys.find((k: any) => k.id === made.json.id).tokenHash, createHash("sha256").update(secret, "utf8").digest("hex"));
  const list = await r.call("GET", "/api/v1/keys", { key: r.admin });
  assert.ok(!list.text.includes(secret) && !list.text.includes("tokenHash") && !list.text.includes("publicKey"));
  assert.deepEqual(list.json.keys.map((k: any) => k.kind), ["ed25519", "token"]);
  for (const body of ['{"ttlSeconds":3600}', '{"label":""}', '{"label":"x","scope":"admin"}']) {
    assert.equal((await r.call("POST", "/api/v1/tokens", { key: r.admin, body })).status, 400, body);
  }
  r.time.advance(3_600_001);
  assert.equal((await r.call("GET", "/api/v1/status", { token })).json.error, "expired_key");
});

test("signed admin calls: unsigned, stale, replayed and tampered calls are refused and the action never runs", async () => {
  const r = await rig();
  const path = "/api/v1/actions/restart-radio";
  const ok = await r.call("POST", path, { key: r.admin, nonce: "nonce-0000000000001" });
  assert.equal(ok.status, 200);
  assert.deepEqual(r.hotspot.calls, ["restartRadio"]);
  const replay = await r.call("POST", path, { key: r.admin, nonce: "nonce-0000000000001" });
  assert.deepEqual([replay.status, replay.json.error], [401, "replayed_nonce"]);
  for (const offset of [-31, 31, -3600]) {
    const stale = await r.call("POST", path, { key: r.admin, timestampOffset: offset });
    assert.deepEqual([stale.status, stale.json.error, stale.json.serverTime], [401, "stale_timestamp", r.nowSeconds()], `offset ${offset}`);
  }
  for (const offset of [-30, 30]) assert.equal((await r.call("POST", path, { key: r.admin, timestampOffset: offset })).status, 200);
  assert.equal(r.hotspot.calls.length, 3);
  assert.equal((await r.call("POST", path)).status, 401);
  const partial = await r.call("POST", path, { key: r.admin, tamper: (q) => delete q.headers["X-Hotspot-Nonce"] });
  assert.equal(partial.json.error, "malformed_signature_headers");
  const upper = await r.call("POST", path, { key: r.admin, tamper: (q) => (q.headers["X-Hotspot-Signature"] = q.headers["X-Hotspot-Signature"].toUpperCase()) });
  assert.equal(upper.json.error, "malformed_signature_headers", "the signature is 128 lowercase hex");

  const body = JSON.stringify({ confirm: "factory-reset" });
  const tampers: [string, CallOptions["tamper"]][] = [
    ["body", (q) => (q.body = q.body.replace("factory-reset", "factory-resex"))],
    ["path", (q) => (q.target = "/api/v1/actions/reboot")],
    ["query", (q) => (q.target += "?x=1")],
    ["method", (q) => (q.method = "PUT")],
    ["timestamp", (q) => (q.headers["X-Hotspot-Timestamp"] = String(Number(q.headers["X-Hotspot-Timestamp"]) - 1))],
    ["nonce", (q) => (q.headers["X-Hotspot-Nonce"] += "x")],
    ["signature", (q) => (q.headers["X-Hotspot-Signature"] = (q.headers["X-Hotspot-Signature"][0] === "0" ? "1" : "0") + q.headers["X-Hotspot-Signature"].slice(1))],
    ["key id", (q) => (q.headers["X-Hotspot-Key"] = "0123456789abcdef")],
  ];
  const before = r.hotspot.calls.length;
  for (const [name, tamper] of tampers) {
    const res = await r.call("POST", "/api/v1/actions/factory-reset", { key: r.admin, body, tamper });
    assert.ok(res.status === 401 || res.status === 405, `${name}: ${res.status}`);
    if (res.status === 401) assert.ok(["bad_signature", "unknown_key"].includes(res.json.error), `${name}: ${res.json.error}`);
  }
  assert.equal(r.hotspot.calls.length, before, "no tampered call ran");
  const s = (await r.call("GET", "/api/v1/status", { key: r.admin })).json.security;
  assert.equal(s.failures.replayedNonce, 1);
  assert.equal(s.failures.staleTimestamp, 3);
  assert.ok(s.failures.badSignature >= 6);
  assert.equal(s.failures.unknownKey, 1);
  assert.equal(s.lastFailure.remoteAddress, "192.0.2.7");
});

test("a signed request is accepted at most once, ever: dated -30 s or +30 s, replayed every second until its timestamp is stale", async () => {
  for (const offset of [-30, 0, 30]) {
    const r = await rig();
    const nonce = `edge-nonce-${offset}-000000`;
    const first = r.nowSeconds() + offset;
    const headers = signHeaders({ method: "GET", target: "/api/v1/status", key: r.admin, timestamp: first, nonce });
    const send = () => r.call("GET", "/api/v1/status", { headers });
    assert.equal((await send()).status, 200, `dated ${offset} s`);
    const seen = new Set<string>();
    // Half-second steps cover both sides of every whole-second boundary, well past the window.
    for (let step = 1; step <= 2 * 64; step++) {
      r.time.advance(500);
      const res = await send();
      assert.equal(res.status, 401, `dated ${offset} s, replayed ${step / 2} s later: ${res.text}`);
      seen.add(res.json.error);
      const stale = r.nowSeconds() - first > 30;
      assert.equal(res.json.error, stale ? "stale_timestamp" : "replayed_nonce", `dated ${offset} s, replayed ${step / 2} s later`);
    }
    assert.deepEqual([...seen].sort(), ["replayed_nonce", "stale_timestamp"]);
  }
});

test("per-key budgets: a read key's flood of 600 calls leaves the admin's calls untouched (no 503, no 429)", async () => {
  const r = await rig();
  const read = await r.addKey("read");
  const counts = new Map<number, number>();
  for (let i = 0; i < 600; i++) {
    const s = (await r.call("GET", "/api/v1/stats", { key: read })).status;
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  assert.equal(counts.get(200), 30, "the read key's burst");
  assert.equal(counts.get(429), 570);
  for (let i = 0; i < 10; i++) assert.equal((await r.call("POST", "/api/v1/actions/restart-radio", { key: r.admin })).status, 200);
  // Rate-limited calls recorded nothing: after a refill the read key works again.
  r.time.advance(1000);
  assert.equal((await r.call("GET", "/api/v1/stats", { key: read })).status, 200);
});

test("unverified requests store nothing: 1,000 bad signatures and replays under the admin's id leave its budget and record as they were", async () => {
  const r = await rig({ rateBurst: 5, ratePerSecond: 0.1, replayCapacity: 12 });
  const captured = signHeaders({ method: "GET", target: "/api/v1/keys", key: r.admin, timestamp: r.nowSeconds() });
  assert.equal((await r.call("GET", "/api/v1/keys", { headers: captured })).status, 200);
  const forger = ClientKey.generate();
  for (let i = 0; i < 500; i++) {
    const forged = signHeaders({ method: "GET", target: "/api/v1/keys", key: forger, timestamp: r.nowSeconds() });
    forged["X-Hotspot-Key"] = r.admin.id;
    assert.equal((await r.call("GET", "/api/v1/keys", { headers: forged })).json.error, "bad_signature");
    assert.equal((await r.call("GET", "/api/v1/keys", { headers: captured })).json.error, "replayed_nonce");
  }
  // The admin's burst of 5 is as it was: 3 left after the enrolment and the first call.
  for (let i = 0; i < 3; i++) assert.equal((await r.call("GET", "/api/v1/keys", { key: r.admin })).status, 200, `call ${i}`);
  assert.equal((await r.call("GET", "/api/v1/keys", { key: r.admin })).status, 429);
});

test("rate limit per key: the burst, then 429 with Retry-After; another key is unaffected; refill", async () => {
  const r = await rig({ rateBurst: 5, ratePerSecond: 1, replayCapacity: 66 });
  const read = await r.addKey("read");
  for (let i = 0; i < 3; i++) assert.equal((await r.call("GET", "/api/v1/stats", { key: r.admin })).status, 200);
  const limited = await r.call("GET", "/api/v1/stats", { key: r.admin });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("retry-after"), "1");
  assert.equal((await r.call("GET", "/api/v1/stats", { key: read })).status, 200);
  r.time.advance(1000);
  assert.equal((await r.call("GET", "/api/v1/stats", { key: r.admin })).status, 200);
  const s = (await r.call("GET", "/api/v1/status", { key: read })).json.security;
  assert.equal(s.failures.rateLimited, 1);
});

test("a replay record smaller than what the rate limit lets through is refused at construction", async () => {
  const hotspot = await FakeHotspot.create();
  const time = new VirtualTime(0, EPOCH);
  assert.throws(
    () => createWebApp({ status: hotspot, actions: hotspot, crypto: coreCrypto, store: new MemoryStore(), clock: time.clock, random: (b) => b.set(randomBytes(b.length)), auth: { rateBurst: 30, ratePerSecond: 3, replayCapacity: 212 } }),
    /replayCapacity 212 is below what the rate limit lets through \(213\)/,
  );
});

test("signed calls need a synced clock: 503 until then; read tokens still work", async () => {
  const r = await rig();
  const token = (await r.call("POST", "/api/v1/tokens", { key: r.admin, body: '{"label":"t"}' })).json.token;
  r.time.wallBaseMillis = undefined;
  const res = await r.call("GET", "/api/v1/status", { headers: signHeaders({ method: "GET", target: "/api/v1/status", key: r.admin, timestamp: Math.floor(EPOCH / 1000) }) });
  assert.deepEqual([res.status, res.json.error], [503, "clock_unsynced"]);
  // An expiring token cannot be shown valid without a clock either.
  assert.equal((await r.call("GET", "/api/v1/status", { token })).json.error, "expired_key");
});

test("rotation: a client keeps working across adding, overlap and revoking of its admin key", async () => {
  const r = await rig();
  let client = r.admin;
  const statuses: number[] = [];
  const poll = async () => statuses.push((await r.call("GET", "/api/v1/keys", { key: client })).status);
  await poll();
  const next = await r.addKey("admin", { ttlSeconds: 3600, label: "rotated" });
  await poll();
  assert.equal((await r.call("GET", "/api/v1/keys", { key: next })).status, 200);
  client = next;
  await poll();
  assert.equal((await r.call("DELETE", `/api/v1/keys/${r.admin.id}`, { key: client })).status, 200);
  await poll();
  assert.ok(statuses.every((s) => s === 200), JSON.stringify(statuses));
  assert.equal((await r.call("GET", "/api/v1/keys", { key: r.admin })).json.error, "unknown_key");
  const list = (await r.call("GET", "/api/v1/keys", { key: client })).json.keys;
  assert.deepEqual(list.map((k: any) => [k.id, k.expiresAt]), [[next.id, EPOCH + 3_600_000]]);
  assert.equal((await r.call("DELETE", `/api/v1/keys/${next.id}`, { key: client })).status, 409, "the last admin key stays");
  r.time.advance(3_600_001);
  assert.equal((await r.call("GET", "/api/v1/keys", { key: client })).json.error, "expired_key");
});

test("adding keys validates every field; duplicates and a full store are 409; the worst-case record fits an NVS value", async () => {
  const r = await rig();
  const bad = await r.call("POST", "/api/v1/keys", { key: r.admin, body: JSON.stringify({ publicKey: "zz", scope: "root", ttlSeconds: 1.5, label: 7, secret: "x" }) });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json.fields.map((f: any) => f.field), ["secret", "publicKey", "scope", "ttlSeconds", "label"]);
  const short = await r.call("POST", "/api/v1/keys", { key: r.admin, body: JSON.stringify({ publicKey: "22".repeat(32), scope: "read", ttlSeconds: 10 }) });
  assert.deepEqual(short.json.fields.map((f: any) => f.field), ["ttlSeconds"]);
  const dup = await r.call("POST", "/api/v1/keys", { key: r.admin, body: JSON.stringify({ publicKey: r.admin.publicKeyHex, scope: "read" }) });
  assert.deepEqual([dup.status, dup.json.error], [409, "duplicate_key"]);
  const label = '"\\'.repeat(16); // escapes double in JSON: the longest stored label
  for (let i = 1; i < MAX_KEYS; i++) await r.addKey("admin", { label, ttlSeconds: 366 * 86400 });
  assert.equal((await r.call("POST", "/api/v1/keys", { key: r.admin, body: JSON.stringify({ publicKey: "33".repeat(32), scope: "read" }) })).status, 409);
  for (let i = 0; i < MAX_TOKENS; i++) assert.equal((await r.call("POST", "/api/v1/tokens", { key: r.admin, body: JSON.stringify({ label, ttlSeconds: 366 * 86400 }) })).status, 201);
  assert.equal((await r.call("POST", "/api/v1/tokens", { key: r.admin, body: JSON.stringify({ label }) })).json.error, "too_many_tokens");
  const bytes = r.store.read(KEYS_STORE_KEY)!.length;
  assert.ok(bytes <= 4000, `the full key record is ${bytes} bytes`);
});

test("no answer carries a secret: responses to key calls hold public data only, and the store holds public keys and hashes", async () => {
  const r = await rig();
  const keys = [r.admin, await r.addKey("read"), await r.addKey("admin")];
  const record = JSON.parse(Buffer.from(r.store.read(KEYS_STORE_KEY)!).toString("utf8"));
  assert.deepEqual(record.keys.map((k: any) => k.publicKey), keys.map((k) => k.publicKeyHex));
  for (const k of record.keys) assert.deepEqual(Object.keys(k).sort(), ["createdAt", "expiresAt", "id", "kind", "label", "publicKey", "scope"]);
  const list = await r.call("GET", "/api/v1/keys", { key: r.admin });
  for (const k of list.json.keys) assert.deepEqual(Object.keys(k).sort(), ["createdAt", "expiresAt", "id", "kind", "label", "scope"]);
});

test("config PUT with bad fields -> 400 naming each field and reason; the old config is intact", async () => {
  const r = await rig();
  const before = (await r.call("GET", "/api/v1/config", { key: r.admin })).json.config;
  assert.equal(before.wifi.password, undefined, "the Wi-Fi password is never shown");
  const bad = { region: "MARS", antennaGainDbi: 99, poc: { enabled: "yes" }, wifi: { ssid: "" } };
  const res = await r.call("PUT", "/api/v1/config", { key: r.admin, body: JSON.stringify(bad) });
  assert.equal(res.status, 400);
  assert.equal(res.json.error, "invalid_config");
  assert.deepEqual(res.json.fields.map((f: any) => f.field), ["region", "antennaGainDbi", "poc.enabled", "wifi.ssid"]);
  for (const [body, reason] of [["{oops", "not valid JSON"], ["[1,2]", "must be a JSON object"], ["", "a JSON object is required"]]) {
    const res2 = await r.call("PUT", "/api/v1/config", { key: r.admin, body });
    assert.equal(res2.status, 400);
    assert.deepEqual(res2.json.fields, [{ field: "(body)", reason }]);
  }
  assert.equal((await r.call("PUT", "/api/v1/config", { key: r.admin, body: "{}", headers: { "Content-Type": "text/plain" } })).status, 415);
  assert.deepEqual((await r.call("GET", "/api/v1/config", { key: r.admin })).json.config, before);
  const good = { region: "US915", antennaGainDbi: 5.5, poc: { enabled: false }, wifi: { ssid: "new-net" } };
  const ok = await r.call("PUT", "/api/v1/config", { key: r.admin, body: JSON.stringify(good) });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.json.config, good);
});

test("add-gateway: field errors for bad owner/payer; a txn for good ones", async () => {
  const r = await rig();
  const bad = await r.call("POST", "/api/v1/add-gateway", { key: r.admin, body: JSON.stringify({ owner: "0OIl", payer: 5 }) });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json.fields.map((f: any) => f.field), ["owner", "payer"]);
  const owner = "13jL4pXB3rFQ8Qu9MBmbhDBSMkWnBjcH6KrkfiqmAhEcY8zYjB8";
  const ok = await r.call("POST", "/api/v1/add-gateway", { key: r.admin, body: JSON.stringify({ owner, payer: owner.replace("13", "14") }) });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.address, r.hotspot.address);
  const refused = await r.call("POST", "/api/v1/add-gateway", { key: r.admin, body: JSON.stringify({ owner, payer: owner }) });
  assert.deepEqual(refused.json.fields, [{ field: "payer", reason: "test: owner and payer equal" }]);
});

test("actions: reboot runs after its reply is written; factory reset needs its confirmation", async () => {
  const r = await rig();
  assert.equal((await r.call("POST", "/api/v1/actions/reboot", { key: r.admin })).status, 202);
  assert.deepEqual(r.hotspot.calls, ["reboot"]);
  const unconfirmed = await r.call("POST", "/api/v1/actions/factory-reset", { key: r.admin, body: '{"confirm":true}' });
  assert.deepEqual(unconfirmed.json.fields.map((f: any) => f.field), ["confirm"]);
  assert.equal((await r.call("POST", "/api/v1/actions/factory-reset", { key: r.admin, body: '{"confirm":"factory-reset"}' })).status, 202);
  assert.deepEqual(r.hotspot.calls, ["reboot", "factoryReset"]);
});

test("status, stats, packets and poc carry the snapshot; unknown API paths 404, wrong methods 405", async () => {
  const r = await rig();
  const status = (await r.call("GET", "/api/v1/status", { key: r.admin })).json;
  assert.equal(status.identity.address, r.hotspot.address);
  assert.equal(status.services[2].reconnects, 7);
  const stats = (await r.call("GET", "/api/v1/stats", { key: r.admin })).json;
  assert.equal(stats.counters.length, 6);
  assert.equal(stats.packetsPerMinute.length, 60);
  assert.deepEqual(stats.downlinkStartErrors.edgesMicros, [-10_000, -1000, -100, -10, 10, 100, 1000, 10_000]);
  assert.equal(stats.downlinkStartErrors.counts.length, 9);
  assert.deepEqual(Object.keys(stats.pocTotals).sort(), ["beaconsFailed", "beaconsSent", "witnessesHeard", "witnessesSubmitted"]);
  assert.equal((await r.call("GET", "/api/v1/packets", { key: r.admin })).json.packets.length, 5);
  assert.equal((await r.call("GET", "/api/v1/poc", { key: r.admin })).json.entries[0].kind, "beacon");
  assert.equal((await r.call("GET", "/api/v1/nope", { key: r.admin })).status, 404);
  const wrong = await r.call("DELETE", "/api/v1/status", { key: r.admin });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("allow"), "GET, HEAD");
});

after(() => {
  // The gateway's private key (seed, 64-byte secret key, in hex and base64) never left in any response.
  assert.ok(allResponses.length > 400, `scanned ${allResponses.length} responses`);
  for (const { text, secrets } of allResponses) {
    for (const secret of secrets) assert.ok(!text.includes(secret), "a response contains the private key");
  }
});
