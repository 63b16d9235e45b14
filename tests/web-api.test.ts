// The management API (modules/web/api) through the real HTTP connection over the in-memory
// transport, with virtual time. Signing is done by an independent client (node:crypto) following
// the README recipe; HMAC is checked against node:crypto and RFC 4231. Every response of every test
// is scanned for the gateway's private key.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { createWebApp, type WebApp } from "../modules/web/web.js";
import { hmacSha256 } from "../modules/web/hash.js";
import { KEYS_STORE_KEY } from "../modules/web/api/keys.js";
import type { AuthOptions } from "../modules/web/api/auth.js";
import { openConnection, type ParsedResponse } from "./support/http-memory.js";
import { VirtualTime } from "./support/virtual-time.js";
import { FakeHotspot, MemoryStore, nobleHash, signHeaders } from "./support/web-fixture.js";

const EPOCH = 1_767_225_600_000; // 2026-01-01T00:00:00Z

/** Every response any test saw, with the secrets of the hotspot that produced it. */
const allResponses: { text: string; secrets: string[] }[] = [];

interface CallOptions {
  body?: string;
  token?: string;
  /** "signed" (default when a token is given), "bearer", or "none". */
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
  admin: string;
  call(method: string, target: string, options?: CallOptions): Promise<ParsedResponse & { json: any }>;
  nowSeconds(): number;
}

async function rig(auth: Partial<AuthOptions> = {}): Promise<Rig> {
  const time = new VirtualTime(0, EPOCH);
  const hotspot = await FakeHotspot.create();
  const store = new MemoryStore();
  const app = createWebApp({
    status: hotspot,
    actions: hotspot,
    hash: nobleHash,
    store,
    clock: time.clock,
    random: (b) => b.set(randomBytes(b.length)),
    auth,
  });
  const created = app.bootstrap();
  assert.ok(created, "first boot issues an admin key");
  const nowSeconds = () => Math.floor(time.clock.wallMillis()! / 1000);
  return {
    time,
    hotspot,
    store,
    app,
    admin: created.key,
    nowSeconds,
    async call(method, target, o = {}) {
      const body = o.body ?? "";
      const headers: Record<string, string> = { Host: "hotspot.local", ...o.headers };
      if (body.length > 0) headers["Content-Type"] ??= "application/json";
      const mode = o.auth ?? (o.token ? "signed" : "none");
      if (mode === "signed") {
        Object.assign(headers, signHeaders({ method, target, body, token: o.token!, timestamp: nowSeconds() + (o.timestampOffset ?? 0), nonce: o.nonce }));
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
      return { ...response, json: response.text ? JSON.parse(response.text) : undefined };
    },
  };
}

const READ_CALLS: [string, string][] = [
  ["GET", "/api/v1/status"],
  ["GET", "/api/v1/stats"],
  ["GET", "/api/v1/packets"],
  ["GET", "/api/v1/poc"],
  ["GET", "/api/v1/auth"],
];
const ADMIN_CALLS: [string, string, string?][] = [
  ["GET", "/api/v1/config"],
  ["PUT", "/api/v1/config", "{}"],
  ["POST", "/api/v1/add-gateway", '{"owner":"abc","payer":"abc"}'],
  ["GET", "/api/v1/keys"],
  ["POST", "/api/v1/keys", '{"scope":"read"}'],
  ["DELETE", "/api/v1/keys/0123456789abcdef"],
  ["POST", "/api/v1/actions/restart-radio"],
  ["POST", "/api/v1/actions/reboot"],
  ["POST", "/api/v1/actions/factory-reset", '{"confirm":"factory-reset"}'],
];

test("HMAC-SHA256 over the injected SHA-256 equals node:crypto (RFC 4231 cases and 1,000 random inputs)", () => {
  const vectors: [Buffer, Buffer, string][] = [
    [Buffer.alloc(20, 0x0b), Buffer.from("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"],
    [Buffer.from("Jefe"), Buffer.from("what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"],
    [Buffer.alloc(131, 0xaa), Buffer.from("Test Using Larger Than Block-Size Key - Hash Key First"), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"],
  ];
  for (const [key, msg, mac] of vectors) {
    assert.equal(Buffer.from(hmacSha256(nobleHash, key, msg)).toString("hex"), mac);
    assert.equal(createHmac("sha256", key).update(msg).digest("hex"), mac, "the oracle agrees with RFC 4231");
  }
  for (let i = 0; i < 1000; i++) {
    const key = randomBytes([0, 1, 32, 63, 64, 65, 100, 200][i % 8]);
    const msg = randomBytes(i % 300);
    assert.deepEqual(Buffer.from(hmacSha256(nobleHash, key, msg)), createHmac("sha256", key).update(msg).digest());
  }
});

test("no key -> 401 on every read and admin call, with a challenge; nothing runs", async () => {
  const r = await rig();
  for (const [method, path, body] of [...READ_CALLS, ...ADMIN_CALLS]) {
    const res = await r.call(method, path, { body });
    assert.equal(res.status, 401, `${method} ${path}`);
    assert.equal(res.json.error, "unauthenticated");
    assert.match(res.headers.get("www-authenticate")!, /HOTSPOT-HMAC-SHA256/);
  }
  assert.deepEqual(r.hotspot.calls, []);
  const status = await r.call("GET", "/api/v1/status", { token: r.admin });
  assert.equal(status.json.security.failures.missing, READ_CALLS.length + ADMIN_CALLS.length);
});

test("read key: read calls work (signed and bearer); every admin call -> 403; admin keys may not be bearer tokens", async () => {
  const r = await rig();
  const created = await r.call("POST", "/api/v1/keys", { token: r.admin, body: '{"scope":"read","label":"grafana"}' });
  assert.equal(created.status, 201);
  const read = created.json.key as string;
  for (const [method, path] of READ_CALLS) {
    assert.equal((await r.call(method, path, { token: read })).status, 200, `signed ${path}`);
    assert.equal((await r.call(method, path, { token: read, auth: "bearer" })).status, 200, `bearer ${path}`);
  }
  for (const [method, path, body] of ADMIN_CALLS) {
    assert.equal((await r.call(method, path, { token: read, body })).status, 403, `signed ${method} ${path}`);
    const bearer = await r.call(method, path, { token: read, body, auth: "bearer" });
    assert.equal(bearer.status, 403, `bearer ${method} ${path}`);
    assert.equal(bearer.json.error, "forbidden");
  }
  assert.deepEqual(r.hotspot.calls, []);
  const adminBearer = await r.call("GET", "/api/v1/status", { token: r.admin, auth: "bearer" });
  assert.equal(adminBearer.status, 401);
  assert.equal(adminBearer.json.error, "admin_key_must_sign");
  const wrongSecret = await r.call("GET", "/api/v1/status", { token: read.slice(0, -1) + (read.endsWith("0") ? "1" : "0"), auth: "bearer" });
  assert.equal(wrongSecret.status, 401);
  const whoami = await r.call("GET", "/api/v1/auth", { token: read });
  assert.deepEqual([whoami.json.id, whoami.json.scope, whoami.json.label], [read.split(".")[0], "read", "grafana"]);
});

test("signed admin calls: unsigned, stale, replayed and tampered calls are refused and the action never runs", async () => {
  const r = await rig();
  const path = "/api/v1/actions/restart-radio";
  const ok = await r.call("POST", path, { token: r.admin, nonce: "nonce-0000000000001" });
  assert.equal(ok.status, 200);
  assert.deepEqual(r.hotspot.calls, ["restartRadio"]);

  // Replay: the very same signed request again.
  const replay = await r.call("POST", path, { token: r.admin, nonce: "nonce-0000000000001" });
  assert.equal(replay.status, 401);
  assert.equal(replay.json.error, "replayed_nonce");

  // Stale: just outside ±30 s either way; just inside is fine.
  for (const offset of [-31, 31, -3600]) {
    const stale = await r.call("POST", path, { token: r.admin, timestampOffset: offset });
    assert.equal(stale.status, 401, `offset ${offset}`);
    assert.equal(stale.json.error, "stale_timestamp");
    assert.equal(stale.json.serverTime, r.nowSeconds());
  }
  for (const offset of [-30, 30]) assert.equal((await r.call("POST", path, { token: r.admin, timestampOffset: offset })).status, 200);
  assert.equal(r.hotspot.calls.length, 3);

  // Unsigned: no headers, or signature headers missing parts.
  assert.equal((await r.call("POST", path)).status, 401);
  const partial = await r.call("POST", path, { token: r.admin, tamper: (q) => delete q.headers["X-Hotspot-Nonce"] });
  assert.equal(partial.json.error, "malformed_signature_headers");

  // Tampering with each signed part after signing.
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
    const res = await r.call("POST", "/api/v1/actions/factory-reset", { token: r.admin, body, tamper });
    assert.ok(res.status === 401 || res.status === 405, `${name}: ${res.status}`);
    if (res.status === 401) assert.ok(["bad_signature", "unknown_key"].includes(res.json.error), `${name}: ${res.json.error}`);
  }
  assert.equal(r.hotspot.calls.length, before, "no tampered call ran");

  const s = (await r.call("GET", "/api/v1/status", { token: r.admin })).json.security;
  assert.equal(s.failures.replayedNonce, 1);
  assert.equal(s.failures.staleTimestamp, 3);
  assert.ok(s.failures.badSignature >= 6);
  assert.equal(s.failures.unknownKey, 1);
  assert.equal(s.lastFailure.remoteAddress, "192.0.2.7");
});

test("a nonce stays refused for the whole window, then the replay record forgets it", async () => {
  const r = await rig();
  const path = "/api/v1/status";
  assert.equal((await r.call("GET", path, { token: r.admin, nonce: "abcdefghijklmnop" })).status, 200);
  r.time.advance(59_000);
  const replay = await r.call("GET", path, { token: r.admin, nonce: "abcdefghijklmnop", timestampOffset: -29 });
  assert.equal(replay.json.error, "replayed_nonce");
  r.time.advance(2_000);
  // 61 s later the entry is gone, but any timestamp old enough to match it is now stale anyway.
  const old = await r.call("GET", path, { token: r.admin, nonce: "abcdefghijklmnop", timestampOffset: -61 });
  assert.equal(old.json.error, "stale_timestamp");
});

test("the replay record is bounded: full of live nonces -> 503 busy, never a forgotten nonce", async () => {
  const r = await rig({ nonceCapacity: 4, rateBurst: 100 });
  for (let i = 0; i < 4; i++) assert.equal((await r.call("GET", "/api/v1/status", { token: r.admin })).status, 200);
  const busy = await r.call("GET", "/api/v1/status", { token: r.admin });
  assert.equal(busy.status, 503);
  assert.equal(busy.headers.get("retry-after"), "5");
  r.time.advance(60_001);
  assert.equal((await r.call("GET", "/api/v1/status", { token: r.admin })).status, 200);
});

test("rate limit per key: the burst, then 429 with Retry-After; another key is unaffected; refill", async () => {
  const r = await rig({ rateBurst: 5, ratePerSecond: 1, nonceCapacity: 64 });
  const read = (await r.call("POST", "/api/v1/keys", { token: r.admin, body: '{"scope":"read"}' })).json.key;
  for (let i = 0; i < 4; i++) assert.equal((await r.call("GET", "/api/v1/stats", { token: r.admin })).status, 200);
  const limited = await r.call("GET", "/api/v1/stats", { token: r.admin });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("retry-after"), "1");
  assert.equal((await r.call("GET", "/api/v1/stats", { token: read, auth: "bearer" })).status, 200);
  r.time.advance(1000);
  assert.equal((await r.call("GET", "/api/v1/stats", { token: r.admin })).status, 200);
  r.time.advance(5000);
  const s = (await r.call("GET", "/api/v1/status", { token: read })).json.security;
  assert.equal(s.failures.rateLimited, 1);
});

test("signed calls need a synced clock: 503 until then (bearer read keys still work)", async () => {
  const r = await rig();
  const read = (await r.call("POST", "/api/v1/keys", { token: r.admin, body: '{"scope":"read"}' })).json.key;
  r.time.wallBaseMillis = undefined;
  const res = await r.call("GET", "/api/v1/status", {
    headers: signHeaders({ method: "GET", target: "/api/v1/status", token: r.admin, timestamp: Math.floor(EPOCH / 1000) }),
  });
  assert.equal(res.status, 503);
  assert.equal(res.json.error, "clock_unsynced");
  // An expiring key cannot be shown valid without a clock either.
  assert.equal((await r.call("GET", "/api/v1/status", { token: read, auth: "bearer" })).json.error, "expired_key");
});

test("rotation: a client keeps working across create, overlap and revoke of its admin key", async () => {
  const r = await rig();
  let clientKey = r.admin;
  const statuses: number[] = [];
  const poll = async () => statuses.push((await r.call("GET", "/api/v1/keys", { token: clientKey })).status);
  await poll();
  const created = await r.call("POST", "/api/v1/keys", { token: clientKey, body: JSON.stringify({ scope: "admin", ttlSeconds: 3600, label: "rotated" }) });
  assert.equal(created.status, 201);
  const newKey = created.json.key as string;
  assert.equal(created.json.expiresAt, r.time.clock.wallMillis()! + 3_600_000);
  // Overlap: both keys work while clients move over.
  await poll();
  assert.equal((await r.call("GET", "/api/v1/keys", { token: newKey })).status, 200);
  clientKey = newKey;
  await poll();
  const oldId = r.admin.split(".")[0];
  const revoke = await r.call("DELETE", `/api/v1/keys/${oldId}`, { token: clientKey });
  assert.equal(revoke.status, 200);
  await poll();
  assert.ok(statuses.every((s) => s === 200), JSON.stringify(statuses));
  const old = await r.call("GET", "/api/v1/keys", { token: r.admin });
  assert.equal(old.status, 401);
  assert.equal(old.json.error, "unknown_key");
  const list = (await r.call("GET", "/api/v1/keys", { token: clientKey })).json.keys;
  assert.deepEqual(list.map((k: any) => k.id), [newKey.split(".")[0]]);
  // The last admin key cannot be revoked; after expiry the key is refused.
  const last = await r.call("DELETE", `/api/v1/keys/${newKey.split(".")[0]}`, { token: clientKey });
  assert.equal(last.status, 409);
  r.time.advance(3_600_001);
  assert.equal((await r.call("GET", "/api/v1/keys", { token: clientKey })).json.error, "expired_key");
});

test("key creation validates its fields; the store holds at most 8 keys", async () => {
  const r = await rig();
  const bad = await r.call("POST", "/api/v1/keys", { token: r.admin, body: JSON.stringify({ scope: "root", ttlSeconds: 1.5, label: 7 }) });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json.fields.map((f: any) => f.field), ["scope", "ttlSeconds", "label"]);
  const short = await r.call("POST", "/api/v1/keys", { token: r.admin, body: JSON.stringify({ scope: "read", ttlSeconds: 10 }) });
  assert.deepEqual(short.json.fields.map((f: any) => f.field), ["ttlSeconds"]);
  for (let i = 0; i < 7; i++) assert.equal((await r.call("POST", "/api/v1/keys", { token: r.admin, body: '{"scope":"read"}' })).status, 201);
  assert.equal((await r.call("POST", "/api/v1/keys", { token: r.admin, body: '{"scope":"read"}' })).status, 409);
});

test("only key hashes are stored: no secret in the store, the stored hash is SHA-256(secret)", async () => {
  const r = await rig();
  const tokens = [r.admin];
  for (const scope of ["read", "admin", "read"]) tokens.push((await r.call("POST", "/api/v1/keys", { token: r.admin, body: JSON.stringify({ scope }) })).json.key);
  const stored = [...r.store.map.values()].map((v) => Buffer.from(v).toString("latin1")).join("\n");
  const record = JSON.parse(Buffer.from(r.store.read(KEYS_STORE_KEY)!).toString("utf8"));
  for (const token of tokens) {
    const [id, secret] = token.split(".");
    assert.ok(!stored.includes(secret), "the secret is not stored");
    assert.ok(!stored.includes(Buffer.from(secret, "hex").toString("base64")), "nor its bytes in base64");
    const entry = record.keys.find((k: any) => k.id === id);
    assert.equal(entry.hash, createHash("sha256").update(secret, "utf8").digest("hex"));
  }
  // Listing never shows a secret or a hash.
  const list = await r.call("GET", "/api/v1/keys", { token: r.admin });
  for (const token of tokens) assert.ok(!list.text.includes(token.split(".")[1]));
  assert.ok(!list.text.includes('"hash"'));
});

test("first boot: the admin key is issued once; a restart with the same store issues none and the key still works", async () => {
  const r = await rig();
  const again = createWebApp({ status: r.hotspot, actions: r.hotspot, hash: nobleHash, store: r.store, clock: r.time.clock, random: (b) => b.set(randomBytes(b.length)) });
  assert.equal(again.bootstrap(), undefined);
  const h = openConnection(again.handler, {}, r.time);
  const headers = signHeaders({ method: "GET", target: "/api/v1/keys", token: r.admin, timestamp: r.nowSeconds() });
  h.send(`GET /api/v1/keys HTTP/1.1\r\nHost: h\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`);
  assert.equal(h.responses()[0].status, 200);
  // A corrupt record is not silently trusted: a new first admin key is issued (and logged).
  r.store.write(KEYS_STORE_KEY, Buffer.from("{not json"));
  const logs: string[] = [];
  const fresh = createWebApp({ status: r.hotspot, actions: r.hotspot, hash: nobleHash, store: r.store, clock: r.time.clock, random: (b) => b.set(randomBytes(b.length)), log: (_l, _s, m) => logs.push(m) });
  assert.ok(fresh.bootstrap());
  assert.equal(logs.length, 1);
});

test("config PUT with bad fields -> 400 naming each field and reason; the old config is intact", async () => {
  const r = await rig();
  const before = (await r.call("GET", "/api/v1/config", { token: r.admin })).json.config;
  assert.equal(before.wifi.password, undefined, "the Wi-Fi password is never shown");
  const bad = { region: "MARS", antennaGainDbi: 99, poc: { enabled: "yes" }, wifi: { ssid: "" } };
  const res = await r.call("PUT", "/api/v1/config", { token: r.admin, body: JSON.stringify(bad) });
  assert.equal(res.status, 400);
  assert.equal(res.json.error, "invalid_config");
  assert.deepEqual(res.json.fields.map((f: any) => f.field), ["region", "antennaGainDbi", "poc.enabled", "wifi.ssid"]);
  assert.ok(res.json.fields.every((f: any) => typeof f.reason === "string" && f.reason.length > 5));
  assert.deepEqual((await r.call("GET", "/api/v1/config", { token: r.admin })).json.config, before);

  for (const [body, reason] of [["{oops", "not valid JSON"], ["[1,2]", "must be a JSON object"], ["", "a JSON object is required"]]) {
    const res2 = await r.call("PUT", "/api/v1/config", { token: r.admin, body });
    assert.equal(res2.status, 400);
    assert.deepEqual(res2.json.fields, [{ field: "(body)", reason }]);
  }
  const wrongType = await r.call("PUT", "/api/v1/config", { token: r.admin, body: "{}", headers: { "Content-Type": "text/plain" } });
  assert.equal(wrongType.status, 415);
  assert.deepEqual((await r.call("GET", "/api/v1/config", { token: r.admin })).json.config, before);

  const good = { region: "US915", antennaGainDbi: 5.5, poc: { enabled: false }, wifi: { ssid: "new-net" } };
  const ok = await r.call("PUT", "/api/v1/config", { token: r.admin, body: JSON.stringify(good) });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.json.config, good);
});

test("add-gateway: field errors for bad owner/payer; a txn for good ones", async () => {
  const r = await rig();
  const bad = await r.call("POST", "/api/v1/add-gateway", { token: r.admin, body: JSON.stringify({ owner: "0OIl", payer: 5 }) });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json.fields.map((f: any) => f.field), ["owner", "payer"]);
  const owner = "13jL4pXB3rFQ8Qu9MBmbhDBSMkWnBjcH6KrkfiqmAhEcY8zYjB8";
  const ok = await r.call("POST", "/api/v1/add-gateway", { token: r.admin, body: JSON.stringify({ owner, payer: owner.replace("13", "14") }) });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.address, r.hotspot.address);
  assert.ok(Buffer.from(ok.json.txn, "base64").length > 0);
  const refused = await r.call("POST", "/api/v1/add-gateway", { token: r.admin, body: JSON.stringify({ owner, payer: owner }) });
  assert.deepEqual(refused.json.fields, [{ field: "payer", reason: "test: owner and payer equal" }]);
});

test("actions: reboot runs after its reply is written; factory reset needs its confirmation", async () => {
  const r = await rig();
  const reboot = await r.call("POST", "/api/v1/actions/reboot", { token: r.admin });
  assert.equal(reboot.status, 202);
  assert.deepEqual(r.hotspot.calls, ["reboot"]);
  const unconfirmed = await r.call("POST", "/api/v1/actions/factory-reset", { token: r.admin, body: '{"confirm":true}' });
  assert.equal(unconfirmed.status, 400);
  assert.deepEqual(unconfirmed.json.fields.map((f: any) => f.field), ["confirm"]);
  const confirmed = await r.call("POST", "/api/v1/actions/factory-reset", { token: r.admin, body: '{"confirm":"factory-reset"}' });
  assert.equal(confirmed.status, 202);
  assert.deepEqual(r.hotspot.calls, ["reboot", "factoryReset"]);
});

test("status, stats, packets and poc carry the snapshot; unknown API paths 404, wrong methods 405", async () => {
  const r = await rig();
  const status = (await r.call("GET", "/api/v1/status", { token: r.admin })).json;
  assert.equal(status.identity.address, r.hotspot.address);
  assert.equal(status.region.source, "asserted");
  assert.equal(status.services[2].reconnects, 7);
  assert.match(status.radio.singleChannelNote, /one channel/);
  const stats = (await r.call("GET", "/api/v1/stats", { token: r.admin })).json;
  assert.equal(stats.counters.length, 6);
  assert.equal(stats.packetsPerMinute.length, 60);
  assert.equal(stats.rssiHistogram.counts.length, 24);
  assert.deepEqual(stats.downlinkStartErrors.edgesMicros, [-10_000, -1000, -100, -10, 10, 100, 1000, 10_000]);
  assert.equal(stats.downlinkStartErrors.counts.length, 9);
  assert.equal((await r.call("GET", "/api/v1/packets", { token: r.admin })).json.packets.length, 5);
  assert.equal((await r.call("GET", "/api/v1/poc", { token: r.admin })).json.entries[0].kind, "beacon");
  assert.equal((await r.call("GET", "/api/v1/nope", { token: r.admin })).status, 404);
  const wrong = await r.call("DELETE", "/api/v1/status", { token: r.admin });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("allow"), "GET, HEAD");
});

after(() => {
  // The gateway's private key (seed, 64-byte secret key, in hex and base64) never left in any response.
  assert.ok(allResponses.length > 120, `scanned ${allResponses.length} responses`);
  for (const { text, secrets } of allResponses) {
    for (const secret of secrets) assert.ok(!text.includes(secret), "a response contains the private key");
  }
});
