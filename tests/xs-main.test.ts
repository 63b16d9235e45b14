// main.ts boots on the XS engine: the device's entry module with the native core, the device host
// provider and the whole boot sequence, over the test host's stand-ins for the Moddable modules
// (tests/xs/shims: they print what the firmware asked of Wi-Fi, DNS and SNTP). The gateway identity
// is checked with @noble/curves, @helium/address and angry-purple-tiger, the enrolment code on the
// console against everything stored, and the portal and dashboard are spoken to over the shims'
// in-memory sockets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ed25519 } from "@noble/curves/ed25519.js";
import { ROOT } from "../tools/gen-native.js";
import { SHIMS_DIR, boardCreation, budgetOf, buildHost, runModule, writePreloadList } from "../tools/xs-host.js";

const require = createRequire(import.meta.url);
const Address = (require("@helium/address") as { default: new (v: number, net: number, key: number, pk: Uint8Array) => { b58: string } }).default;
const animal = require("angry-purple-tiger") as (address: string, options?: object) => string;
const MAIN = join(ROOT, "build", "xs", "main.js");
const shim = (path: string) => JSON.stringify(join(SHIMS_DIR, path));

type Store = Record<string, string>;
interface Boot {
  stdout: string;
  store: Store;
  restarts: number;
  /** What the fake ESP32's RNG did, in order: "enable", "disable", "fill N on|off HEX". */
  entropy: string[];
}

/**
 * Boots main.js with the key-value store seeded as given and the shims set up as given, runs
 * `script` (JavaScript with `sleep(ms)` and `http(raw)` -> response text), then returns the output,
 * the whole store (hex values) and how often the chip was restarted.
 */
function boot(seed: Store, settings: object, script = "await sleep(300);"): Boot {
  buildHost();
  const dir = mkdtempSync(join(tmpdir(), "xs-main-"));
  try {
    const entry = join(dir, "boot.js");
    writeFileSync(
      entry,
      `globalThis.__kvSeed = ${JSON.stringify({ hotspot: seed })};
       globalThis.__shimSettings = ${JSON.stringify(settings)};
       await import(${JSON.stringify(MAIN)});
       const { default: Timer } = await import(${shim("timer.js")});
       const network = (await import(${shim("memory-network.js")})).memoryNetwork();
       const { default: KeyValue } = await import(${shim("embedded/storage/key-value.js")});
       const sleep = (ms) => new Promise((resolve) => Timer.set(resolve, ms));
       const http = async (raw) => {
         const client = network.connect(80);
         client.send(raw);
         for (let i = 0; i < 200 && !client.closedByServer; i++) await sleep(10);
         // Byte by byte: a spread would need a stack slot per byte (the device has 512) and an array
         // of them would take the chunks the firmware is measured against.
         let text = "";
         for (const b of client.received()) text += String.fromCharCode(b);
         return text;
       };
       ${script}
       const store = KeyValue.open({ path: "hotspot" });
       const dump = {};
       for (const key of store) dump[key] = Array.from(new Uint8Array(store.read(key)), (b) => b.toString(16).padStart(2, "0")).join("");
       print("store " + JSON.stringify(dump));
       print("restarts " + native("xs_fake_restarts")());
       print("entropy " + native("xs_fake_entropy_log")());
       print("1 passed, 0 failed");
       __xshost.onWake = () => {};
       __xshost.wake(-1);`,
    );
    // As on the device: the manifest's modules preloaded (frozen, shared) and the ESP32-S3
    // target's fixed pools; running out of them is "memory full".
    const run = runModule(entry, 30_000, writePreloadList(), budgetOf(boardCreation("heltec_v3")));
    assert.ok(run.ok, `${run.problems.join("; ")}\n${run.stdout}\n${run.stderr}`);
    return {
      stdout: run.stdout,
      store: JSON.parse(/^store (.*)$/m.exec(run.stdout)![1]) as Store,
      restarts: Number(/^restarts (\d+)$/m.exec(run.stdout)![1]),
      entropy: /^entropy (.*)$/m.exec(run.stdout)![1].split(",").filter((e) => e !== ""),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function identity(seed: Uint8Array) {
  const publicKey = ed25519.getPublicKey(seed);
  const address = new Address(0, 0, 1, publicKey).b58;
  return { publicKey, address, name: animal(address, { style: "lowercase", separator: "-" }) };
}

/** The index of the first line matching `pattern`, failing when there is none. */
function lineOf(stdout: string, pattern: RegExp): number {
  const index = stdout.split("\n").findIndex((line) => pattern.test(line));
  assert.ok(index >= 0, `no line matches ${pattern}:\n${stdout}`);
  return index;
}

const utf8 = (hex: string) => Buffer.from(hex, "hex").toString("utf8");
const form = "ssid=maker+lab&password=hunter2hunter2&region=EU868&gain=3";
const post = `POST /setup HTTP/1.1\r\nHost: 192.168.4.1\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`;
let configured: Store | undefined;

test("first boot: a gateway key from the hardware RNG with its entropy source on, then the setup portal (open AP, captive DNS, the form); saving stores the config and restarts", () => {
  const run = boot(
    {},
    {},
    `print("page " + JSON.stringify(await http("GET / HTTP/1.1\\r\\nHost: 192.168.4.1\\r\\nConnection: close\\r\\n\\r\\n")));
     print("probe " + JSON.stringify(await http("GET /generate_204 HTTP/1.1\\r\\nHost: connectivitycheck.gstatic.com\\r\\nConnection: close\\r\\n\\r\\n")));
     print("saved " + JSON.stringify(await http(${JSON.stringify(post)})));
     await sleep(700);`,
  );
  const file = Buffer.from(run.store.gateway_key, "hex");
  assert.equal(file.length, 65);
  assert.equal(file[0], 0x01, "mainnet ed25519 tag");
  const { publicKey, address, name } = identity(file.subarray(1, 33));
  assert.deepEqual(new Uint8Array(file.subarray(33)), publicKey);
  assert.match(run.stdout, /^info identity: created a new gateway key from the hardware random number generator \(entropy source on\)$/m);
  // The seed is the one fill made with the entropy source on, switched on just before and off
  // right after (ESP-IDF: true random before Wi-Fi only so; off again before the radio starts).
  const bracket = run.entropy.findIndex((e) => e === "enable");
  assert.ok(bracket >= 0, `the entropy source was never switched on: ${run.entropy.join(", ")}`);
  assert.deepEqual(run.entropy.slice(bracket, bracket + 3), ["enable", `fill 32 on ${file.subarray(1, 33).toString("hex")}`, "disable"]);
  assert.equal(run.entropy.filter((e) => e === "enable").length, 1, "on once");
  assert.ok(run.entropy.filter((e) => / on /.test(e)).length === 1, "nothing else drawn while it was on");
  assert.match(run.stdout, new RegExp(`^info main: XS test host: gateway ${address} \\(${name}\\), firmware \\d+\\.\\d+\\.\\d+$`, "m"));
  const ssid = `Hotspot ${name}`.slice(0, 32); // an SSID has at most 32 bytes
  assert.match(run.stdout, new RegExp(`^shim wifi\\.accessPoint \\{"ssid":"${ssid}","channel":1,"max":4\\}$`, "m"));
  assert.match(run.stdout, /^shim dns\.server \{"connectivitycheck\.gstatic\.com":"192\.168\.4\.1","captive\.apple\.com":"192\.168\.4\.1","example\.com":"192\.168\.4\.1"\}$/m);
  assert.match(run.stdout, /^info setup: setup portal \(no Wi-Fi is configured\): join the Wi-Fi network "Hotspot [a-z-]+" and open http:\/\/192\.168\.4\.1\/$/m);
  assert.ok(lineOf(run.stdout, /^info led: boot: /) < lineOf(run.stdout, /^info led: setup: /));
  assert.doesNotMatch(run.stdout, /^shim (wifi\.station|sntp)/m);
  const page = JSON.parse(/^page (.*)$/m.exec(run.stdout)![1]) as string;
  assert.match(page, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(page, new RegExp(`<title>Hotspot setup: ${name}</title>`));
  assert.match(page, /name="ssid"/);
  assert.match(JSON.parse(/^probe (.*)$/m.exec(run.stdout)![1]) as string, /^HTTP\/1\.1 302 Found\r\nLocation: http:\/\/192\.168\.4\.1\/\r\n/);
  assert.match(JSON.parse(/^saved (.*)$/m.exec(run.stdout)![1]) as string, /^HTTP\/1\.1 200 OK\r\n[\s\S]*joins <b>maker lab<\/b>/);
  assert.equal(run.restarts, 1, "restarted after the reply");
  const slot = utf8(run.store["cfg.active"]); // modules/app/config-store.ts: two slots and a pointer
  const config = JSON.parse(utf8(run.store[`cfg.${slot}`]));
  assert.deepEqual(config.wifi, { ssid: "maker lab", password: "hunter2hunter2" });
  assert.equal(config.region.fallback, "EU868");
  assert.equal(config.antennaGainDbi, 3);
  for (const key of Object.keys(run.store)) assert.ok(key.length <= 15, `store key "${key}" is longer than NVS allows`);
  configured = run.store;
});

test("with Wi-Fi configured: joins it, sets the clock by SNTP before the hotspot starts, shows the enrolment code on the console only; the dashboard answers on port 80", () => {
  assert.ok(configured, "runs after the first-boot test");
  const run = boot(configured, {}, `await sleep(1500); print("api " + JSON.stringify(await http("GET /api/v1/status HTTP/1.1\\r\\nHost: 192.168.1.50\\r\\nConnection: close\\r\\n\\r\\n"))); print("open " + JSON.stringify(await http("GET /api/v1/enrolment HTTP/1.1\\r\\nHost: 192.168.1.50\\r\\nConnection: close\\r\\n\\r\\n")));`);
  const joined = lineOf(run.stdout, /^shim wifi\.station \{"ssid":"maker lab","password":"hunter2hunter2"\}$/);
  const asked = lineOf(run.stdout, /^shim sntp \{"host":"pool\.ntp\.org"\}$/);
  const timeSet = lineOf(run.stdout, /^shim time\.set \{"seconds":\d+\}$/);
  const started = lineOf(run.stdout, /^info app: started: region EU868 \(fallback\)/);
  const banner = lineOf(run.stdout, /^=+ API ENROLMENT CODE =+$/);
  assert.ok(joined < asked && asked < timeSet && timeSet < started && started < banner, "Wi-Fi, then SNTP, then the hotspot, then the code");
  assert.doesNotMatch(run.stdout, /^shim wifi\.accessPoint/m);
  const code = run.stdout.split("\n")[banner + 1];
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  assert.equal(run.stdout.split(code).length, 2, "the code is shown once, on the console, and in no log line");
  // Never stored in plain form (nor as its hash: that stays in RAM).
  const stored = Object.values(run.store).map((v) => Buffer.from(v, "hex").toString("latin1")).join("\n");
  const bare = code.replace(/-/g, "");
  for (const form of [code, bare, createHash("sha256").update(bare).digest("hex")]) assert.ok(!stored.includes(form), `the store holds ${form}`);
  assert.equal(run.store["web.keys"], undefined, "no key record before enrolment");
  assert.ok(lineOf(run.stdout, /^info led: boot: /) < started);
  assert.match(run.stdout.split("\n").slice(started).join("\n"), /^info led: (radio-fault|router-down|ok): /m, "the LED follows the running hotspot");
  assert.match(JSON.parse(/^api (.*)$/m.exec(run.stdout)![1]) as string, /^HTTP\/1\.1 401 Unauthorized\r\n[\s\S]*"error":"unauthenticated"/);
  assert.match(JSON.parse(/^open (.*)$/m.exec(run.stdout)![1]) as string, /\r\n\r\n\{"open":true\}$/);
  assert.equal(run.restarts, 0);

  const again = boot(run.store, {}, "await sleep(300);");
  assert.match(again.stdout, /^info app: started: /m);
  const next = again.stdout.split("\n")[lineOf(again.stdout, /^=+ API ENROLMENT CODE =+$/) + 1];
  assert.notEqual(next, code, "each boot without an admin key shows a new code");
});

test("the network refuses the password: two-blink no-wifi code, a rejoin is scheduled, no SNTP and no hotspot", () => {
  assert.ok(configured, "runs after the first-boot test");
  const run = boot(configured, { wifi: "refuse" }, "await sleep(1200);");
  assert.match(run.stdout, /^warn wifi: "maker lab" refused the password; trying again in 5 s$/m);
  assert.match(run.stdout, /^info led: no-wifi: /m);
  assert.doesNotMatch(run.stdout, /^shim sntp/m);
  assert.doesNotMatch(run.stdout, /^info app: started/m);
});

test("no SNTP answer: every server is tried, nothing starts, the LED stays at boot", () => {
  assert.ok(configured, "runs after the first-boot test");
  const run = boot(configured, { sntp: "fail" }, "await sleep(1200);");
  for (const host of ["pool.ntp.org", "time.google.com", "time.cloudflare.com"]) assert.match(run.stdout, new RegExp(`^shim sntp \\{"host":"${host.replace(/\./g, "\\.")}"\\}$`, "m"));
  assert.match(run.stdout, /^warn time: SNTP failed \(no answer\); trying again in 30 s$/m);
  assert.doesNotMatch(run.stdout, /^shim time\.set/m);
  assert.doesNotMatch(run.stdout, /^info app: started/m);
  assert.doesNotMatch(run.stdout, /^info led: (?!boot)/m);
});

test("the setup portal opens with Wi-Fi configured when the button is held at boot, or after a long press asked for it", () => {
  assert.ok(configured, "runs after the first-boot test");
  const held = boot(configured, { pins: { 0: 0 } });
  assert.match(held.stdout, /^info setup: setup portal \(the button is held\)/m);
  assert.doesNotMatch(held.stdout, /^shim wifi\.station/m);
  const flagged = boot({ ...configured, "setup.portal": "01" }, {});
  assert.match(flagged.stdout, /^info setup: setup portal \(requested by a long press\)/m);
  assert.equal(flagged.store["setup.portal"], undefined, "the request is used once");
  assert.equal(Buffer.from(flagged.store.gateway_key, "hex").length, 65);
});

test("an existing gateway key is loaded, not replaced", () => {
  const seed = new Uint8Array(randomBytes(32));
  const { publicKey, address, name } = identity(seed);
  const file = Buffer.concat([Buffer.of(0x01), seed, publicKey]).toString("hex"); // gateway-rs keypair file
  const run = boot({ gateway_key: file }, {});
  assert.match(run.stdout, new RegExp(`^info main: XS test host: gateway ${address} \\(${name}\\)`, "m"));
  assert.doesNotMatch(run.stdout, /created a new gateway key/);
  assert.equal(run.store.gateway_key, file, "the stored key is untouched");
  assert.ok(!run.entropy.includes("enable"), "no key made, the entropy source stays off");
});
