// GET /metrics, parsed by an independent Prometheus text-format parser (parse-prometheus-text-format,
// a port of Prometheus' own text parser): typed families with help, every sample line accounted
// for, numeric values, and the figures equal to the snapshot the status provider gave. Read keys and
// read tokens may scrape; nothing without a credential.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";
import { createWebApp } from "../modules/web/web.js";
import type { HotspotStatus } from "../modules/web/status.js";
import { openConnection } from "./support/http-memory.js";
import { VirtualTime } from "./support/virtual-time.js";
import { ClientKey, FakeHotspot, MemoryStore, coreCrypto, signHeaders } from "./support/web-fixture.js";

interface Family {
  name: string;
  help: string;
  type: string;
  metrics: { value: string; labels?: Record<string, string>; timestamp_ms?: string }[];
}
const parsePrometheus = createRequire(import.meta.url)("parse-prometheus-text-format") as (text: string) => Family[];

const EPOCH = 1_767_225_600_000;

test("/metrics: the Prometheus text format, every family typed and every sample parsed, figures equal to the snapshot", async () => {
  const time = new VirtualTime(0, EPOCH);
  const hotspot = await FakeHotspot.create();
  // The snapshot each scrape was built from, as the status provider handed it over.
  let given: HotspotStatus | undefined;
  const status = { snapshot: () => (given = hotspot.snapshot()) };
  const app = createWebApp({ status, actions: hotspot, crypto: coreCrypto, store: new MemoryStore(), clock: time.clock, random: (b) => b.set(randomBytes(b.length)) });
  app.attachHttpStats(() => ({ connectionsAccepted: 4, connectionsRefused: 6, connectionsQueued: 0, connectionsEvicted: 0, requests: 9, malformed: 1, timeouts: 2, handlerErrors: 0, internalErrors: 3, lastInternalError: "x", responsesByClass: [0, 0, 5, 0, 3, 1] }));
  const reader = ClientKey.generate();
  app.keys.add(reader.publicKey, "read", { expires: false });
  const token = app.keys.createToken({ label: "prometheus" });
  assert.ok(!("error" in token));
  const scrape = (headers: Record<string, string>) => {
    const h = openConnection(app.handler, {}, time);
    h.send(`GET /metrics HTTP/1.1\r\nHost: h\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`);
    return h.responses()[0];
  };
  assert.equal(scrape({}).status, 401);
  const signed = scrape(signHeaders({ method: "GET", target: "/metrics", key: reader, timestamp: Math.floor(EPOCH / 1000) }));
  assert.equal(signed.status, 200);
  const bearer = scrape({ Authorization: `Bearer ${token.token}` });
  assert.equal(bearer.status, 200);
  assert.equal(bearer.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");

  const text = bearer.text;
  const families = parsePrometheus(text);
  const sampleLines = text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
  assert.equal(families.reduce((n, f) => n + f.metrics.length, 0), sampleLines.length, "every sample line is one parsed sample");
  assert.equal(new Set(families.map((f) => f.name)).size, families.length, "each family once");
  for (const f of families) {
    assert.ok(f.type === "COUNTER" || f.type === "GAUGE", `${f.name}: ${f.type}`);
    assert.ok(f.help.length > 10, `${f.name} has help`);
    assert.equal(f.type === "COUNTER", f.name.endsWith("_total"), `${f.name}: counters and only counters end in _total`);
    for (const m of f.metrics) {
      assert.equal(m.timestamp_ms, undefined, `${f.name}: one value per line`);
      assert.ok(Number.isFinite(Number(m.value)), `${f.name} = ${m.value}`);
    }
  }
  const family = (name: string) => families.find((f) => f.name === name) ?? assert.fail(`no ${name}`);
  const value = (name: string, labels: Record<string, string> = {}) => {
    const m = family(name).metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
    return Number(m?.value ?? NaN);
  };
  const snapshot = given!;
  for (const c of snapshot.counters) {
    const sf = String(c.sf);
    assert.equal(value("hotspot_uplinks_heard_total", { sf }), c.heard);
    assert.equal(value("hotspot_uplinks_crc_bad_total", { sf }), c.crcBad);
    assert.equal(value("hotspot_uplinks_routed_total", { sf }), c.routed);
    assert.equal(value("hotspot_uplinks_dropped_total", { sf }), c.dropped);
    assert.equal(value("hotspot_downlinks_total", { sf, timing: "on_time" }), c.downlinksOnTime);
    assert.equal(value("hotspot_downlinks_total", { sf, timing: "late" }), c.downlinksLate);
  }
  assert.equal(value("hotspot_beacons_sent_total"), snapshot.pocTotals.beaconsSent);
  assert.equal(value("hotspot_witnesses_heard_total"), snapshot.pocTotals.witnessesHeard);
  assert.equal(value("hotspot_witnesses_submitted_total"), snapshot.pocTotals.witnessesSubmitted);
  assert.equal(value("hotspot_data_credits_total"), snapshot.dataCredits.credits);
  assert.deepEqual(family("hotspot_service_state").metrics.map((m) => [m.labels!.service, m.labels!.state]), snapshot.services.map((s) => [s.name, s.state]));
  assert.equal(value("hotspot_service_up", { service: "router" }), 1);
  assert.equal(value("hotspot_service_up", { service: "ingest" }), 0);
  assert.equal(value("hotspot_service_reconnects_total", { service: "ingest" }), 7);
  assert.equal(value("hotspot_free_memory_bytes"), 123456);
  assert.equal(value("hotspot_api_auth_refusals_total", { reason: "missing" }), 1);
  assert.equal(value("hotspot_api_calls_accepted_total"), 2);
  assert.equal(value("hotspot_http_internal_errors_total"), 3);
  assert.equal(value("hotspot_http_connections_refused_total"), 6);
  assert.equal(value("hotspot_http_responses_total", { class: "4xx" }), 3);
  assert.equal(family("hotspot_info").metrics[0].labels!.address, hotspot.address);
  assert.equal(family("hotspot_uplinks_heard_total").type, "COUNTER");
  assert.equal(family("hotspot_free_memory_bytes").type, "GAUGE");
});
