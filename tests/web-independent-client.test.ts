// An independent API client, written from issue 13's text alone and using @noble (Ed25519, SHA-256)
// where the rest of the tests use node:crypto, against the hotspot's HTTP server on loopback (the
// compute core verifying). It enrols itself as admin with the console's code, enrols a read key,
// is refused on admin calls with that read key, floods with the read key and is still served as
// admin, and is refused when it replays a call 35 s and 62 s later (the server's clock is moved on;
// the replays are the same bytes).
//
// From the issue: key id = first 16 hex digits of SHA-256(public key); headers X-Hotspot-Key,
// X-Hotspot-Timestamp (unix seconds), X-Hotspot-Nonce (16 to 64 of A-Z a-z 0-9 _ -),
// X-Hotspot-Signature (128 lowercase hex, Ed25519 over the canonical string); canonical string =
// the six lines HOTSPOT-ED25519, METHOD, request-target as sent, timestamp, nonce, lowercase hex
// SHA-256 of the body, joined by "\n", no trailing newline.

import { test } from "node:test";
import assert from "node:assert/strict";
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import type { Clock } from "../modules/host/provider.js";
import { createWebApp } from "../modules/web/web.js";
import { FakeHotspot, MemoryStore, coreCrypto } from "./support/web-fixture.js";
import { serveOnLoopback } from "./support/web-loopback.js";

class IssueClient {
  readonly secretKey = ed25519.utils.randomSecretKey();
  readonly publicKey = ed25519.getPublicKey(this.secretKey);
  readonly id = bytesToHex(sha256(this.publicKey)).slice(0, 16);

  constructor(readonly base: string) {}

  /** The request as it goes on the wire: method, target, headers, body. */
  sign(method: string, target: string, body = "", timestamp = Math.floor(Date.now() / 1000), extra: Record<string, string> = {}) {
    const nonce = bytesToHex(randomBytes(16));
    const canonical = ["HOTSPOT-ED25519", method, target, String(timestamp), nonce, bytesToHex(sha256(utf8ToBytes(body)))].join("\n");
    const headers: Record<string, string> = {
      "X-Hotspot-Key": this.id,
      "X-Hotspot-Timestamp": String(timestamp),
      "X-Hotspot-Nonce": nonce,
      "X-Hotspot-Signature": bytesToHex(ed25519.sign(utf8ToBytes(canonical), this.secretKey)),
      ...extra,
    };
    if (body) headers["Content-Type"] = "application/json";
    return { method, target, headers, body };
  }

  async send(request: { method: string; target: string; headers: Record<string, string>; body: string }): Promise<{ status: number; json: any }> {
    const response = await fetch(this.base + request.target, { method: request.method, headers: request.headers, body: request.body || undefined });
    return { status: response.status, json: await response.json() };
  }

  call(method: string, target: string, body?: object, timestamp?: number) {
    return this.send(this.sign(method, target, body === undefined ? "" : JSON.stringify(body), timestamp));
  }
}

test("an independent client (@noble): enrols, enrols a read key, is refused on admin calls with it, survives a read-key flood, is refused on replays at +35 s and +62 s", { timeout: 120_000 }, async () => {
  let offsetMs = 0; // moves the server's clocks (wall and monotonic) forward
  const clock: Clock = {
    micros: () => (performance.now() + offsetMs) * 1000,
    millis: () => performance.now() + offsetMs,
    wallMillis: () => Date.now() + offsetMs,
    delayMicros: () => (performance.now() + offsetMs) * 1000,
  };
  const hotspot = await FakeHotspot.create();
  const app = createWebApp({ status: hotspot, actions: hotspot, crypto: coreCrypto, store: new MemoryStore(), clock, random: (b) => b.set(randomBytes(b.length)) });
  const code = app.openEnrolment()!;
  const { server, url: base } = await serveOnLoopback(app.handler);
  try {
    const admin = new IssueClient(base);
    const enrolBody = JSON.stringify({ publicKey: bytesToHex(admin.publicKey), scope: "admin", label: "issue client" });
    const enrolled = await admin.send(admin.sign("POST", "/api/v1/keys", enrolBody, undefined, { "X-Hotspot-Enrolment-Code": code }));
    assert.equal(enrolled.status, 201, JSON.stringify(enrolled.json));
    assert.deepEqual([enrolled.json.id, enrolled.json.scope], [admin.id, "admin"]);
    assert.ok(!JSON.stringify(enrolled.json).match(/secret|private/i), "no answer carries a secret");

    const reader = new IssueClient(base);
    const added = await admin.call("POST", "/api/v1/keys", { publicKey: bytesToHex(reader.publicKey), scope: "read", label: "reader" });
    assert.equal(added.status, 201, JSON.stringify(added.json));
    assert.equal((await reader.call("GET", "/api/v1/status")).status, 200);
    for (const [method, target, body] of [["POST", "/api/v1/actions/reboot"], ["GET", "/api/v1/config"], ["POST", "/api/v1/keys", { publicKey: bytesToHex(reader.publicKey), scope: "admin" }], ["POST", "/api/v1/tokens", { label: "x" }]] as [string, string, object?][]) {
      const refused = await reader.call(method, target, body);
      assert.deepEqual([refused.status, refused.json.error], [403, "forbidden"], `${method} ${target}`);
    }
    assert.deepEqual(hotspot.calls, []);

    // The flood: 600 read calls, 4 at a time.
    const statuses: number[] = [];
    for (let i = 0; i < 150; i++) statuses.push(...(await Promise.all([0, 1, 2, 3].map(async () => (await reader.call("GET", "/api/v1/stats")).status))));
    assert.ok(statuses.filter((s) => s === 429).length >= 500, `the flood was rate-limited: ${statuses.filter((s) => s === 429).length} x 429`);
    assert.ok(statuses.every((s) => s === 200 || s === 429));
    const afterFlood = await admin.call("POST", "/api/v1/actions/restart-radio");
    assert.deepEqual([afterFlood.status, afterFlood.json], [200, { done: "restart-radio" }]);

    // Replays of one accepted call, dated at the edge of the window (+30 s), 35 s and 62 s later.
    const dated = Math.floor(clock.wallMillis()! / 1000) + 30;
    const request = admin.sign("POST", "/api/v1/actions/restart-radio", "", dated);
    assert.equal((await admin.send(request)).status, 200);
    offsetMs += 35_000;
    const at35 = await admin.send(request);
    assert.deepEqual([at35.status, at35.json.error], [401, "replayed_nonce"]);
    offsetMs += 27_000;
    const at62 = await admin.send(request);
    assert.deepEqual([at62.status, at62.json.error], [401, "stale_timestamp"]);
    assert.deepEqual(hotspot.calls, ["restartRadio", "restartRadio"], "each accepted call ran once");
    // The refusal names the hotspot's time: a fresh call dated by it is accepted.
    assert.equal((await admin.call("GET", "/api/v1/keys", undefined, at62.json.serverTime)).status, 200);
  } finally {
    server.close();
  }
});
