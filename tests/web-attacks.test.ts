// The attacks of issue 13's "Why", each as it was tried against a simulated hotspot, each failing on
// the code before the fix (the report of that change says how each failed there):
//  1. bytes split as "\r\n", "\r", request drove the HTTP parser's count negative and a RangeError
//     escaped the socket callback (the simulator exited);
//  2. a config value that is an object with a non-function toString raised a TypeError in config
//     checking (500 instead of a 400 naming the field);
//  3. 520 rate-limited calls with a read key filled the shared replay record: every admin call 503;
//  4. a call dated +30 s was accepted again 60.5 s later;
//  5. the stored key material was the signing key: reading the store let anyone sign as admin.

import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { createHmac, randomBytes } from "node:crypto";
import { checkConfig, defaultConfig } from "../modules/app/config.js";
import { createWebApp, type WebApp } from "../modules/web/web.js";
import type { TCPFromOptions } from "../modules/host/provider.js";
import type { HotspotActions } from "../modules/web/actions.js";
import { NodeTCP } from "../sim/host/tcp.js";
import { openConnection } from "./support/http-memory.js";
import { serveOnLoopback } from "./support/web-loopback.js";
import { VirtualTime } from "./support/virtual-time.js";
import { ClientKey, FakeHotspot, MemoryStore, coreCrypto, signHeaders } from "./support/web-fixture.js";

const EPOCH = 1_767_225_600_000;

async function hotspotWithAdmin(actions?: HotspotActions): Promise<{ app: WebApp; time: VirtualTime; admin: ClientKey; hotspot: FakeHotspot; store: MemoryStore }> {
  const time = new VirtualTime(0, EPOCH);
  const hotspot = await FakeHotspot.create();
  const store = new MemoryStore();
  const app = createWebApp({ status: hotspot, actions: actions ?? hotspot, crypto: coreCrypto, store, clock: time.clock, random: (b) => b.set(randomBytes(b.length)) });
  app.openEnrolment();
  const admin = ClientKey.generate();
  const added = app.keys.add(admin.publicKey, "admin", { expires: false });
  assert.ok(!("error" in added));
  return { app, time, admin, hotspot, store };
}

async function call(app: WebApp, time: VirtualTime, method: string, target: string, o: { key?: ClientKey; body?: string; timestamp?: number; nonce?: string; headers?: Record<string, string> } = {}) {
  const body = o.body ?? "";
  const signed = o.key ? signHeaders({ method, target, body, key: o.key, timestamp: o.timestamp ?? Math.floor(time.clock.wallMillis()! / 1000), nonce: o.nonce }) : {};
  const headers = { Host: "h", ...(body ? { "Content-Type": "application/json" } : {}), ...signed, ...o.headers };
  const h = openConnection(app.handler, {}, time);
  h.send(`${method} ${target} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  for (let i = 0; i < 5 && h.transport.written.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
  const [r] = h.responses();
  return { status: r.status, json: JSON.parse(r.text || "null"), headers: r.headers };
}

test("attack 1: \\r\\n, then \\r, then a request: the same answer as unsplit, nothing thrown; the connection goes on", () => {
  const echo = () => ({ status: 200, body: "ok" });
  const answers = (pieces: string[]) => {
    const h = openConnection(echo);
    for (const piece of pieces) h.send(piece);
    assert.equal(h.stats.internalErrors, 0);
    return h.responses().map((r) => [r.status, JSON.parse(r.text === "ok" ? '"ok"' : r.text)]);
  };
  // A CR that is not followed by LF is no empty line: this request line starts with a bare CR (400).
  const attack = ["\r\n", "\r", "GET / HTTP/1.1\r\nHost: h\r\n\r\n"];
  assert.deepEqual(answers(attack), answers([attack.join("")]));
  assert.equal(answers(attack)[0][0], 400);
  // Empty lines split anywhere are skipped, before the first request and between requests.
  const fine = ["\r\n", "\r", "\nGET / HTTP/1.1\r\nHost: h\r\n\r\n\r", "\n\r", "\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n"];
  assert.deepEqual(answers(fine), [[200, "ok"], [200, "ok"]]);
  assert.deepEqual(answers(fine), answers([fine.join("")]));
});

test("attack 1 over sockets: an exception in any socket callback closes that connection, is counted and shown, and the server goes on", async () => {
  const logs: string[] = [];
  // A socket class that throws from read() when the peer sends a "!": a stand-in for any fault in a callback.
  class FaultyTCP extends NodeTCP {
    constructor(options: TCPFromOptions) {
      super(options);
    }
    override read(n?: number) {
      const bytes = super.read(n);
      if (bytes && new Uint8Array(bytes).includes(0x21)) throw new RangeError("injected fault");
      return bytes;
    }
  }
  const { server, port } = await serveOnLoopback(() => ({ status: 200, body: "fine" }), { TCP: FaultyTCP, log: (_level, _source, message) => logs.push(message) });
  const exchange = (bytes: string) =>
    new Promise<string>((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1", () => s.write(bytes));
      let got = "";
      s.on("data", (d) => (got += d.toString("latin1")));
      s.on("close", () => resolve(got));
      s.on("error", reject);
    });
  try {
    assert.equal(await exchange("GET /! HTTP/1.1\r\nHost: h\r\n\r\n"), "", "the faulty connection is closed without an answer");
    assert.equal(server.stats.internalErrors, 1);
    assert.equal(server.stats.lastInternalError, "RangeError: injected fault");
    assert.ok(logs.some((l) => l.includes("injected fault")));
    assert.match(await exchange("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"), /^HTTP\/1\.1 200 OK\r\n[\s\S]*fine$/);
  } finally {
    server.close();
  }
});

test("attack 2: hostile JSON values get a 400 naming the field, never a 500; the config checker itself never throws", async () => {
  const core = coreCrypto as unknown as Parameters<typeof checkConfig>[0];
  let config = defaultConfig();
  const actions: HotspotActions = {
    restartRadio() {},
    reboot() {},
    factoryReset() {},
    getConfig: () => ({}),
    putConfig(input) {
      const checked = checkConfig(core, input, config);
      if (checked.ok) config = checked.config;
      return checked.ok ? { ok: true, config: {} } : checked;
    },
    addGatewayTxn: () => ({ errors: [] }),
  };
  const { app, time, admin } = await hotspotWithAdmin(actions);
  const put = (body: string) => call(app, time, "PUT", "/api/v1/config", { key: admin, body });
  const cases: [string, string[]][] = [
    ['{"forwarder":{"mode":{"toString":"x"}}}', ["forwarder.mode.toString"]],
    ['{"wifi":{"__proto__":{"ssid":"x"}}}', ["wifi.__proto__"]],
    ['{"region":{"valueOf":1,"constructor":2}}', ["region.valueOf", "region.constructor"]],
    ['{"antennaGainDbi":1e999}', ["antennaGainDbi"]],
    ['{"poc":{"intervalSeconds":123456789012345678901234567890}}', ["poc.intervalSeconds"]],
    [`{"radio":${"[".repeat(500)}${"]".repeat(500)}}`, ["(body)"]],
    ['{"region":{"fallback":["US915"]},"antennaGainDbi":"3","wifi":{"ssid":{"a":1}}}', ["wifi.ssid", "region.fallback", "antennaGainDbi"]],
    ['{"forwarder":{"mode":["both"],"servers":"127.0.0.1:1700"}}', ["forwarder"]],
  ];
  for (const [body, fields] of cases) {
    const r = await put(body);
    assert.equal(r.status, 400, `${body.slice(0, 60)}: ${JSON.stringify(r.json)}`);
    assert.deepEqual(r.json.fields.map((f: { field: string }) => f.field), fields, body.slice(0, 60));
  }
  // Straight into the checker, past the API's screening: refused with field errors, never a throw.
  for (const hostile of [{ forwarder: { mode: { toString: "x" } } }, { forwarder: { mode: { valueOf: 1, toString: null } } }, { radio: { listen: { kind: { toString: "x" } } } }]) {
    const checked = checkConfig(core, hostile);
    assert.equal(checked.ok, false);
  }
  assert.equal((await put('{"antennaGainDbi":2}')).status, 200, "a good config still goes through");
});

test("attack 3: 520 rate-limited read calls, then admin calls: the admin is served", async () => {
  const { app, time, admin } = await hotspotWithAdmin();
  const reader = ClientKey.generate();
  app.keys.add(reader.publicKey, "read", { expires: false });
  let limited = 0;
  for (let i = 0; i < 550; i++) if ((await call(app, time, "GET", "/api/v1/status", { key: reader })).status === 429) limited++;
  assert.equal(limited, 520);
  for (let i = 0; i < 20; i++) {
    const r = await call(app, time, "POST", "/api/v1/actions/restart-radio", { key: admin });
    assert.equal(r.status, 200, JSON.stringify(r.json));
  }
});

test("attack 4: a call dated +30 s is refused when replayed 60.5 s later (and at every half second before)", async () => {
  const { app, time, admin, hotspot } = await hotspotWithAdmin();
  const timestamp = Math.floor(time.clock.wallMillis()! / 1000) + 30;
  const nonce = "replay-me-0123456789";
  assert.equal((await call(app, time, "POST", "/api/v1/actions/restart-radio", { key: admin, timestamp, nonce })).status, 200);
  for (let t = 500; t <= 60_500; t += 500) {
    time.advance(500);
    const r = await call(app, time, "POST", "/api/v1/actions/restart-radio", { key: admin, timestamp, nonce });
    assert.equal(r.status, 401, `replayed ${t / 1000} s later`);
  }
  assert.deepEqual(hotspot.calls, ["restartRadio"], "the action ran once");
});

test("attack 5: nothing readable from the store or any answer signs: every stored value tried as a signing key is refused", async () => {
  const { app, time, admin, store } = await hotspotWithAdmin();
  const created = await call(app, time, "POST", "/api/v1/keys", { key: admin, body: JSON.stringify({ publicKey: ClientKey.generate().publicKeyHex, scope: "admin" }) });
  assert.equal(created.status, 201);
  assert.deepEqual(Object.keys(created.json).sort(), ["createdAt", "expiresAt", "id", "kind", "label", "scope"], "no secret in the answer");
  const stored = [...store.map.values()].map((v) => Buffer.from(v).toString("latin1")).join("\n");
  const candidates = [...new Set(stored.match(/[0-9a-f]{64}/g) ?? [])];
  assert.ok(candidates.length >= 2, "public keys are stored");
  for (const hex of candidates) {
    // As an Ed25519 seed (the old scheme stored the HMAC key: try that too).
    const forged = signHeaders({ method: "POST", target: "/api/v1/actions/factory-reset", body: '{"confirm":"factory-reset"}', key: ClientKey.fromSeed(Buffer.from(hex, "hex")), timestamp: Math.floor(time.clock.wallMillis()! / 1000) });
    forged["X-Hotspot-Key"] = admin.id;
    const asSeed = await call(app, time, "POST", "/api/v1/actions/factory-reset", { body: '{"confirm":"factory-reset"}', headers: forged });
    assert.equal(asSeed.status, 401);
    const canonical = ["HOTSPOT-HMAC-SHA256", "POST", "/api/v1/actions/factory-reset", forged["X-Hotspot-Timestamp"], forged["X-Hotspot-Nonce"], "x"].join("\n");
    const hmac = { ...forged, "X-Hotspot-Signature": createHmac("sha256", Buffer.from(hex, "hex")).update(canonical).digest("hex") };
    assert.equal((await call(app, time, "POST", "/api/v1/actions/factory-reset", { body: '{"confirm":"factory-reset"}', headers: hmac })).status, 401);
  }
});
