// The web API (modules/web createWebApp + startWebServer) on the XS engine: HTTP over in-memory
// ECMA-419 sockets, SHA-256 and Ed25519 verification from the native core, virtual time. Calls are
// signed on Node with node:crypto following modules/web/README.md (fixtures/web.js), so the core's
// verification on XS is held against an independent signer; the enrolment code and the read token
// come from the fixture's random bytes.
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
    pocTotals: { beaconsSent: 0, beaconsFailed: 0, witnessesHeard: 0, witnessesSubmitted: 0 },
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

test("API keys on XS: enrolment with the console's code, 401 without a key, 403 for a read key, a signed admin call runs once, tokens, hostile JSON", async () => {
  const vt = new VirtualTime(0, fx.wallMillis);
  const host = memoryHost(vt, fixtureRandom(fx.random));
  const app = createWebApp({ status: { snapshot: status }, actions, crypto: core, store: host.store, clock: vt.clock, random: host.random, log: host.log });
  const code = app.openEnrolment();
  ok(code !== undefined && /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(code), `an enrolment code: ${code}`);
  const server = startWebServer(host, app, { port: 80 });
  try {
    const anonymous = await request(host, vt, { method: "GET", target: "/api/v1/status" });
    equal(anonymous.status, 401);
    equal(anonymous.json.error, "unauthenticated");
    equal(anonymous.headers.get("www-authenticate"), "HOTSPOT-ED25519, Bearer");

    const wrongCode = signed(fx.enrolAdmin);
    wrongCode.headers = { ...wrongCode.headers, "X-Hotspot-Enrolment-Code": "0000-0000-0000" };
    equal((await request(host, vt, wrongCode)).json.error, "bad_enrolment_code");
    const enrol = signed(fx.enrolAdmin);
    enrol.headers = { ...enrol.headers, "X-Hotspot-Enrolment-Code": code! };
    const enrolled = await request(host, vt, enrol);
    equal(enrolled.status, 201, `enrolment: ${enrolled.text}`);
    equal(enrolled.json.id, fx.adminId, "the key id is SHA-256 of the public key, as node:crypto has it");
    equal(enrolled.json.scope, "admin");
    const again = await request(host, vt, enrol);
    equal(again.status, 403, "the code enrols once");

    const added = await request(host, vt, signed(fx.addReadKey));
    equal(added.status, 201, `add a read key: ${added.text}`);
    equal(added.json.id, fx.readId);

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
    equal(bad.json.error, "bad_signature");
    equal(calls.join(), "restartRadio", "the action ran exactly once");

    const token = await request(host, vt, signed(fx.makeToken));
    equal(token.status, 201, `token: ${token.text}`);
    equal(token.json.token, fx.token, "the token comes from the random source");
    const bearer = await request(host, vt, { method: "GET", target: "/metrics", headers: { Authorization: `Bearer ${fx.token}` } });
    equal(bearer.status, 200);
    ok(/^# HELP hotspot_info /.test(bearer.text), "Prometheus text");
    const stored = JSON.stringify(JSON.parse(String.fromCharCode(...host.store.read("web.keys")!)));
    ok(!stored.includes(fx.token.split(".")[1]), "only the token's hash is stored");

    const hostile = await request(host, vt, signed(fx.hostileConfig));
    equal(hostile.status, 400, `hostile JSON: ${hostile.text}`);
    equal(hostile.json.fields[0].field, "(body)", "nesting is refused before XS parses it");

    const page = await request(host, vt, { method: "GET", target: "/" });
    equal(page.status, 200);
    ok((page.headers.get("content-security-policy") ?? "").includes("'wasm-unsafe-eval'"), "served with a CSP that lets the core's wasm compile");
    equal((await request(host, vt, { method: "GET", target: "/core.wasm" })).status, 404, "no resource on this host");
    // Clients that hang up (mid-request, and on an idle keep-alive connection): the server still
    // closes their sockets, which the SDK would otherwise keep alive with everything they reach.
    const midRequest = host.network.connect(80);
    midRequest.send("GET /api/v1/status HTTP/1.1\r\nHo");
    const keptAlive = host.network.connect(80);
    keptAlive.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    for (let i = 0; i < 20; i++) (vt.advance(1), await null);
    midRequest.close();
    keptAlive.close();
    for (let i = 0; i < 20; i++) (vt.advance(1), await null);
    equal(host.network.unclosedSockets, 0, "every adopted socket closed");
    equal(server.stats.internalErrors, 0);
  } finally {
    server.close();
  }
});
