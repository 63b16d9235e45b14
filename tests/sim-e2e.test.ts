// The one real-time end-to-end run: `npm start -- --duration 50 --json --poc-interval 10` as a user
// runs it (the built start script, spawned), with Debian's chromium driven by playwright-core
// against a running hotspot's dashboard and the devnet's network page meanwhile. The summary's
// figures come from the devnet (router signature checks, LNS, PoC verifier) and the simulated world
// (what devices decoded in their windows), not from the hotspots' own counters.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium, type Page } from "playwright-core";
import { ed25519 } from "@noble/curves/ed25519.js";
import bs58check from "bs58check";
import type { Summary } from "../sim/summary.js";

const START = fileURLToPath(new URL("../sim/start.js", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const DURATION_S = 50;
// The owner in gateway-rs' README example.
const OWNER = "13rqQWMdRc4wVDYsn8x7yK7KYuy6CngX8xmABZotbEaUf95WgNq";
const heliumProto = createRequire(import.meta.url)("@helium/proto") as {
  helium: Record<string, { decode(b: Uint8Array): Record<string, unknown>; encode(m: object): { finish(): Uint8Array }; create(m: object): object }>;
};
const BlockchainTxn = heliumProto.helium.blockchain_txn;
const BlockchainTxnAddGatewayV1 = heliumProto.helium.blockchain_txn_add_gateway_v1;

// Page-side code runs in chromium; the test build has no DOM types.
declare const document: any;

async function until(page: Page, predicate: (arg: number) => boolean, arg = 0, timeout = 20_000): Promise<void> {
  await page.waitForFunction(predicate, arg, { timeout });
}

test("npm start -- --duration 50 --json: routed with valid signatures, joins, ACKs, valid beacons and witnesses; dashboard and network page in chromium", { timeout: 180_000 }, async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run apt-get install -y chromium`);
  const child = spawn(process.execPath, [START, "--duration", String(DURATION_S), "--json", "--poc-interval", "10"], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

  const deadline = Date.now() + 30_000;
  while (!/running for/.test(stderr)) {
    assert.ok(Date.now() < deadline && child.exitCode === null, `the simulator did not come up:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const networkPage = /network page: (\S+)/.exec(stderr)![1];
  const hotspots = [...stderr.matchAll(/^\s+(hotspot-\d+)\s+\S+\s+(\S+)\s+dashboard (\S+)\s+enrolment code (\S+)/gm)].map((m) => ({ name: m[1], address: m[2], dashboard: m[3], code: m[4] }));
  assert.equal(hotspots.length, 3);

  const profile = mkdtempSync(join(tmpdir(), "e2e-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  const pageErrors: string[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    const h = hotspots[0];
    // As a user starts: the page makes this browser's key, which the code from the terminal enrols.
    await page.goto(h.dashboard);
    await until(page, () => /enter the code/.test(document.querySelector("#keystate").textContent));
    await page.fill("#enrolcode", h.code);
    await page.click("#enrolform button");
    await until(page, () => /\(admin\)$/.test(document.querySelector("#keystate").textContent));
    await until(page, () => document.querySelectorAll("#counters tr").length > 0);
    assert.equal(await page.textContent("#address"), h.address);
    assert.match((await page.textContent("#singlechannel"))!, /single-channel hotspot/);
    // Counters rise as the simulated devices transmit and beacons fly.
    const heard = () => Number(document.querySelector("#counters tr:last-child td:nth-child(2)").textContent);
    const first = await page.evaluate(heard);
    await until(page, (before) => Number(document.querySelector("#counters tr:last-child td:nth-child(2)").textContent) > before, first, 40_000);
    assert.equal(await page.locator("#ppm rect").count(), 60);
    assert.equal(await page.locator("#rssi rect").count(), 24);
    // The downlink start-error histogram: nine decade bins, the hotspot's own measurements.
    assert.equal(await page.locator("#txerr rect").count(), 9);
    await until(page, () => document.querySelectorAll("#packets tr").length > 0, 0, 40_000);
    assert.match((await page.textContent("#services"))!, /router/);

    // An admin action through the UI, signed in the browser: the add-gateway transaction, checked
    // with @helium/proto and @noble. (Restarting the radio is tested on the virtual clock, where a
    // beacon it interrupts cannot make this run's figures wobble.)
    await page.goto(h.dashboard + "admin");
    await until(page, () => document.querySelectorAll("#keys tr").length === 1);
    await page.fill("#owner", OWNER);
    await page.fill("#payer", OWNER);
    await page.click("#addgw button");
    await until(page, () => document.querySelector("#txn").value.length > 0);
    const txn = BlockchainTxn.decode(Buffer.from(await page.inputValue("#txn"), "base64")).addGateway as Record<string, Uint8Array>;
    const gateway = new Uint8Array(txn.gateway);
    assert.equal(bs58check.encode(Uint8Array.of(0, ...gateway)), h.address);
    const unsigned = BlockchainTxnAddGatewayV1.encode(BlockchainTxnAddGatewayV1.create({ ...txn, gatewaySignature: undefined })).finish();
    assert.ok(ed25519.verify(new Uint8Array(txn.gatewaySignature), unsigned, gateway.subarray(1)), "the gateway signed it");

    // The devnet's network page shows the three hotspots on the map and, soon, valid witness links.
    await page.goto(networkPage);
    assert.equal(await page.locator("#hotspots tr.hs").count(), 3);
    assert.equal(await page.locator("#map circle").count(), 3);
    assert.equal(await page.locator("#map rect.device, #map .device rect").count(), 8);
    // The loss funnel: seven stages as bars, a row per device.
    assert.equal(await page.locator("#funnel rect.kept").count(), 7);
    assert.equal(await page.locator("#devicefunnel tr.dev").count(), 8);
    for (const x of hotspots) assert.ok((await page.textContent("#hotspots"))!.includes(x.address));
    const linkDeadline = Date.now() + 40_000;
    while ((await page.locator("#map line.link.valid").count()) === 0) {
      assert.ok(Date.now() < linkDeadline, "no valid witness link appeared on the network page");
      await page.waitForTimeout(2000);
      await page.goto(networkPage);
    }
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }

  const code = await exited;
  assert.equal(code, 0, stderr.slice(-2000));
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1, "stdout is one JSON object");
  const s = JSON.parse(lines[0]) as Summary;
  const report = JSON.stringify({ ...s, hotspots: s.hotspots.map((x) => ({ ...x })) });
  assert.equal(s.hotspots.length, 3);
  assert.deepEqual(s.hotspots.map((h) => h.runtime), ["node", "node", "node"]);
  assert.ok(s.uplinksRouted > 0, report);
  assert.equal(s.invalidSignatures, 0, report);
  assert.ok(s.joinsAccepted > 0 && s.joinsCompleted > 0, report);
  assert.ok(s.confirmedAcked > 0 && s.confirmedAckedRx1 + s.confirmedAckedRx2 === s.confirmedAcked, report);
  assert.ok(s.downlinksOnTime > 0, report);
  assert.ok(s.beaconsSent >= 6 && s.beaconsValid > 0 && s.beaconsInvalid === 0, report);
  assert.ok(s.witnessesValid > 0 && s.witnessesInvalid === 0, report);
  assert.deepEqual(s.pocInvalidReasons, {}, report);
  // hotspot-3 has no fallback region: it started UNKNOWN and the config service asserted it.
  assert.deepEqual([s.hotspots[2].region, s.hotspots[2].regionSource], ["US915", "asserted"]);
  assert.ok(s.hotspots[2].uplinksRouted > 0, report);
  // The chip models caught no protocol violation; the world and the firmware agree nothing was late.
  assert.equal(s.modelViolations, 0, report);
  assert.equal(s.downlinksLate, 0, report);
  assert.equal(s.downlinksUnmatched, 0, report);
  const f = s.funnel;
  const sum = (c: Record<string, number>) => Object.values(c).reduce((a, n) => a + n, 0);
  assert.equal(f.sent, f.heard + sum(f.lostBeforeHeard), report);
  assert.equal(f.heard, f.routed + sum(f.lostBeforeRouted), report);
  assert.equal(f.answers.transmitted, f.answers.received + sum(f.answers.notReceived), report);
  for (const k of ["uplinksHeard", "uplinksRouted", "joinsAccepted", "beaconsValid", "witnessesValid", "modelViolations", "downlinksOnTime"] as const) {
    assert.equal(s[k], s.hotspots.reduce((a, x) => a + x[k], 0), `${k} is the sum over hotspots`);
  }
  // One process runs every hotspot in real time: two hotspots whose beacons fall due in the same
  // millisecond cannot both start on time, and the later one refuses TOO_LATE; on a loaded machine a
  // late TX-done can also leave the previous transmission pending when the beacon is due (BUSY)
  // (README, "Real time"). Those are the only errors a run may have.
  for (const h of s.hotspots) {
    for (const e of h.recentErrors) assert.match(e, /^poc: beacon not sent at \d+ Hz SF\d+BW\d+: (TOO_LATE|BUSY)$/, report);
    assert.ok(h.firmware.errors === h.recentErrors.length, report);
  }
});
