// The web API (modules/web createWebApp + startWebServer) on the XS engine: HTTP over in-memory
// ECMA-419 sockets, SHA-256 from the native core, virtual time. Calls are signed on Node with
// node:crypto following modules/web/README.md (fixtures/web.js), so the server's HMAC check is
// held against an independent signer; the keys it issues come from the fixture's random bytes.
import { test } from "./harness.js";
import { equal, ok } from "./assert.js";
import fx, { type SignedCall } from "./fixtures/web.js";
import { createNativeCore } from "../../modules/core/native.js";
import { fromHex } from "../../modules/util/bytes.js";
import type { HotspotActions } from "../../modules/web/actions.js";
import type { HotspotStatus } from "../../modules/web/status.js";
import { createWebApp, startWebServer } from "../../modules/web/web.js";
import { parseResponses, type ParsedResponse } from "../support/http-responses.js";
import { memoryHost, type MemoryHost } from "../support/memory-host.js";
import { VirtualTime } from "../support/virtual-time.js";

const core = createNativeCore();

/** Hands out the fixture's bytes in order, so the keys the app issues are known on Node. */
function fixtureRandom(hex: string): (bytes: Uint8Array) => void {
  const pool = fromHex(hex);
  let used = 0;
  return (bytes) => {
    if (used + bytes.length > pool.length) throw new Error("the fixture's random bytes are used up");
    bytes.set(pool.subarray(used, used + bytes.length));
    used += bytes.length;
  };
}

function status(): HotspotStatus {
  return {
    identity: { address: "11xs", name: "xs-test-hotspot", keyType: "ed25519" },
    region: { name: "EU868", source: "asserted", blockedReason: null },
    services: [{ name: "router", state: "connected", lastError: null, reconnects: 0 }],
    clock: { synced: true },
    radio: { listenPlan: "fixed 868.1 MHz SF9 BW125", singleChannelNote: "one channel" },
    counters: [],
    recentPackets: [],
    poc: [],
    system: { uptimeSeconds: 1, version: "xs" },
    packetsPerMinute: [0],
    rssiHistogram: { fromDbm: -140, binDb: 5, counts: [0] },
    downlinkStartErrors: { edgesMicros: [0], counts: [0, 0] },
    dataCredits: { packets: 0, credits: 0 },
  };
}

const calls: string[] = [];
const actions: HotspotActions = {
  restartRadio: () => void calls.push("restartRadio"),
  reboot: () => void calls.push("reboot"),
  factoryReset: () => void calls.push("factoryReset"),
  getConfig: () => ({}),
  putConfig: () => ({ ok: false, errors: [{ field: "(body)", reason: "not in this test" }] }),
  addGatewayTxn: () => ({ errors: [{ field: "owner", reason: "not in this test" }] }),
};

/** Sends one request on a new connection and waits (virtual time, then promise jobs) for the response. */
async function request(host: MemoryHost, vt: VirtualTime, call: { method: string; target: string; body?: string; headers?: Record<string, string> }): Promise<ParsedResponse & { json?: any }> {
  const body = call.body ?? "";
  let head = `${call.method} ${call.target} HTTP/1.1\r\nHost: 192.168.4.1\r\nConnection: close\r\n`;
  for (const [name, value] of Object.entries(call.headers ?? {})) head += `${name}: ${value}\r\n`;
  if (body.length > 0) head += "Content-Type: application/json\r\n";
  const client = host.network.connect(80);
  client.send(`${head}Content-Length: ${body.length}\r\n\r\n${body}`);
  for (let i = 0; i < 100 && !client.closedByServer; i++) {
    vt.advance(1);
    await null; // lets the async handler's promise jobs run
  }
  ok(client.closedByServer, `${call.method} ${call.target}: the server did not finish the response`);
  const responses = parseResponses(client.received());
  equal(responses.length, 1, `${call.method} ${call.target}: responses`);
  const r = responses[0];
  const type = r.headers.get("content-type") ?? "";
  return { ...r, json: type.startsWith("application/json") ? JSON.parse(r.text) : undefined };
}

const signed = (c: SignedCall) => ({ method: c.method, target: c.target, body: c.body, headers: c.headers });

test("API keys and signatures: 401 without a key, 403 for a read key on an admin call, a signed admin call runs once", async () => {
  const vt = new VirtualTime(0, fx.wallMillis);
  const host = memoryHost(vt, fixtureRandom(fx.random));
  const app = createWebApp({ status: { snapshot: status }, actions, hash: core, store: host.store, clock: vt.clock, random: host.random, log: host.log });
  const first = app.bootstrap();
  equal(first?.key, fx.adminKey, "the first admin key (id and secret from the random source)");
  equal(app.bootstrap(), undefined, "issued once");
  const server = startWebServer(host, app, { port: 80 });
  try {
    const anonymous = await request(host, vt, { method: "GET", target: "/api/v1/status" });
    equal(anonymous.status, 401);
    equal(anonymous.json.error, "unauthenticated");
    ok(/HOTSPOT-HMAC-SHA256/.test(anonymous.headers.get("www-authenticate") ?? ""), "a challenge naming the scheme");

    const created = await request(host, vt, signed(fx.createReadKey));
    equal(created.status, 201, `create read key: ${created.text}`);
    equal(created.json.key, fx.readKey);
    equal(created.json.scope, "read");

    const read = await request(host, vt, signed(fx.readStatus));
    equal(read.status, 200, `read key on a read call: ${read.text}`);
    equal(read.json.identity.name, "xs-test-hotspot");

    const forbidden = await request(host, vt, signed(fx.readKeyAction));
    equal(forbidden.status, 403);
    equal(forbidden.json.error, "forbidden");
    equal(calls.length, 0, "nothing ran");

    const done = await request(host, vt, signed(fx.adminAction));
    equal(done.status, 200, `signed admin call: ${done.text}`);
    equal(calls.join(), "restartRadio");

    const replayed = await request(host, vt, signed(fx.adminAction));
    equal(replayed.status, 401);
    equal(replayed.json.error, "replayed_nonce");

    const tampered = signed(fx.adminAction);
    tampered.headers = { ...tampered.headers, "X-Hotspot-Nonce": "0123456789abcdef0123" };
    const bad = await request(host, vt, tampered);
    equal(bad.status, 401);
    equal(bad.json.error, "bad_signature");
    equal(calls.join(), "restartRadio", "the action ran exactly once");

    const page = await request(host, vt, { method: "GET", target: "/" });
    equal(page.status, 200);
    ok(page.headers.get("content-type")!.startsWith("text/html"), "the dashboard page");
    ok((page.headers.get("content-security-policy") ?? "").length > 0, "served with a CSP");
    equal(server.stats.connectionsAccepted, 8);
  } finally {
    server.close();
  }
});
