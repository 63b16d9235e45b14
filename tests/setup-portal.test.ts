// The setup portal (modules/setup/portal.ts) through the real HTTP connection over the in-memory
// transport: the form, a valid submission stored as the app's config (read back with the app's
// ConfigStore) and the restart after the reply, field errors, password keeping, HTML escaping and
// the captive-portal redirect. Form bodies are encoded by Node's URLSearchParams.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigStore } from "../modules/app/config-store.js";
import { defaultConfig, type HotspotConfig } from "../modules/app/config.js";
import { createSetupPortal } from "../modules/setup/portal.js";
import { core } from "./support/core.js";
import { openConnection } from "./support/http-memory.js";
import { MemoryStore } from "./support/web-fixture.js";

function rig(stored?: HotspotConfig) {
  const store = new MemoryStore();
  if (stored) new ConfigStore(store, core).save(stored);
  const saved: HotspotConfig[] = [];
  const handler = createSetupPortal({ core, store, address: "192.168.4.1", name: "tall-test-owl", onSaved: (c) => saved.push(c) });
  const request = (method: string, target: string, form?: Record<string, string>) => {
    const body = form ? new URLSearchParams(form).toString() : "";
    const h = openConnection(handler);
    h.send(`${method} ${target} HTTP/1.1\r\nHost: connectivitycheck.gstatic.com\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const [response] = h.responses();
    assert.ok(response, `${method} ${target}: no response`);
    return response;
  };
  return { store, saved, request, load: () => new ConfigStore(store, core).load() };
}

test("GET / shows the form with the Wi-Fi, region fallback and antenna gain fields, under a strict CSP", () => {
  const r = rig();
  const page = r.request("GET", "/");
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type")!, /^text\/html/);
  assert.match(page.headers.get("content-security-policy")!, /default-src 'none'/);
  for (const name of ["ssid", "password", "region", "gain"]) assert.match(page.text, new RegExp(`name="${name}"`));
  assert.match(page.text, /<option value="EU868">EU868<\/option>/);
  assert.match(page.text, /<option value="" selected>none: wait for the config service<\/option>/);
  assert.match(page.text, /value="1.2"/, "the default antenna gain");
  assert.equal(r.request("GET", "/style.css").status, 200);
});

test("a valid form is stored as the app's config and the platform restarts after the reply", () => {
  const r = rig();
  const res = r.request("POST", "/setup", { ssid: "maker lab", password: "correct horse", region: "EU868", gain: "3.5" });
  assert.equal(res.status, 200, res.text);
  assert.match(res.text, /joins <b>maker lab<\/b>/);
  const loaded = r.load();
  assert.ok(loaded.found);
  assert.deepEqual(loaded.config.wifi, { ssid: "maker lab", password: "correct horse" });
  assert.equal(loaded.config.region.fallback, "EU868");
  assert.equal(loaded.config.antennaGainDbi, 3.5);
  assert.deepEqual(loaded.config.upstream, defaultConfig().upstream, "everything else keeps its value");
  assert.equal(r.saved.length, 1, "onSaved ran once the reply was sent");
  assert.equal(r.saved[0].wifi.ssid, "maker lab");
});

test("bad fields: 400 naming each field, nothing stored, no restart", () => {
  const r = rig();
  const res = r.request("POST", "/setup", { ssid: "", password: "short", region: "MARS433", gain: "25" });
  assert.equal(res.status, 400);
  for (const field of ["wifi.ssid", "wifi.password", "region.fallback", "antennaGainDbi"]) assert.match(res.text, new RegExp(`<li>${field.replace(".", "\\.")}: `), field);
  assert.equal(r.load().found, false);
  assert.equal(r.saved.length, 0);
  const missingGain = r.request("POST", "/setup", { ssid: "lab", password: "", region: "" });
  assert.equal(missingGain.status, 400);
  assert.match(missingGain.text, /antennaGainDbi: must be a number from 0 to 20 dBi/);
  const malformed = r.request("POST", "/setup", { ssid: "x" });
  assert.equal(malformed.status, 400, "a gain is required");
  const h = openConnection(createSetupPortal({ core, store: r.store, address: "192.168.4.1", name: "n", onSaved: () => assert.fail("saved") }));
  h.send("POST /setup HTTP/1.1\r\nHost: 192.168.4.1\r\nContent-Length: 9\r\n\r\nssid=%E0%");
  assert.equal(h.responses()[0].status, 400);
  assert.match(h.responses()[0].text, /the form data is malformed/);
});

test("an empty password keeps the stored one for the same network; a new network with no password is open", () => {
  const stored: HotspotConfig = { ...defaultConfig(), wifi: { ssid: "home", password: "hunter2hunter2" } };
  const r = rig(stored);
  assert.match(r.request("GET", "/").text, /Leave it empty to keep the stored password of home/);
  assert.equal(r.request("POST", "/setup", { ssid: "home", password: "", region: "US915", gain: "2" }).status, 200);
  assert.deepEqual((r.load() as { config: HotspotConfig }).config.wifi, { ssid: "home", password: "hunter2hunter2" });
  assert.equal(r.request("POST", "/setup", { ssid: "cafe", password: "", region: "US915", gain: "2" }).status, 200);
  assert.deepEqual((r.load() as { config: HotspotConfig }).config.wifi, { ssid: "cafe", password: "" });
});

test("what the user typed is escaped in the page; the password is never echoed", () => {
  const r = rig();
  const res = r.request("POST", "/setup", { ssid: `<script>alert("x")</script>`, password: "s3cret-value-42", region: "EU868", gain: "x" });
  assert.equal(res.status, 400);
  assert.doesNotMatch(res.text, /<script>/);
  assert.match(res.text, /&#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62;/);
  assert.doesNotMatch(res.text, /s3cret-value-42/);
});

test("captive portal: any other page redirects to the portal; other methods are refused", () => {
  const r = rig();
  for (const path of ["/generate_204", "/hotspot-detect.html", "/connecttest.txt", "/api/v1/status"]) {
    const res = r.request("GET", path);
    assert.equal(res.status, 302, path);
    assert.equal(res.headers.get("location"), "http://192.168.4.1/");
  }
  assert.equal(r.request("PUT", "/setup").status, 405);
  assert.equal(r.saved.length, 0);
});
