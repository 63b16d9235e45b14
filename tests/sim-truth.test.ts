// `npm start` as a user runs it (the built start script, spawned), checked against its observers:
// the chip models catch no protocol violation, the world (each downlink matched to the uplink it
// answers, judged by that device's window) and the firmware's own counters agree that nothing was
// late - and with a 40 ms host stall before every transmission both count late downlinks, while a
// stuck BUSY line on one hotspot is survived without a single command sent into it. In forwarder
// mode the uplinks the summary reports are the ones a GWMP server acknowledged. The loss funnel
// adds up exactly on every run, a forced cause shows under its reason, and the devnet network page
// draws it (Debian's chromium driven by playwright-core; the screenshot is kept for a person).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import type { Funnel, Summary } from "../sim/summary.js";
import { GwmpTestServer, ID } from "./support/gwmp-server.js";

const START = fileURLToPath(new URL("../sim/start.js", import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL("../../screenshots/", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

// Page-side code runs in chromium; the test build has no DOM types.
declare const document: any;

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, n) => a + n, 0);

/** The funnel's equations, exactly; every reason named in snake_case, none a catch-all. */
function assertAddsUp(f: Funnel, what: string): void {
  const a = f.answers;
  const report = `${what}: ${JSON.stringify(f)}`;
  assert.equal(f.sent, f.heard + total(f.lostBeforeHeard), report);
  assert.equal(f.heard, f.routed + total(f.lostBeforeRouted), report);
  assert.equal(a.needed, a.scheduled + total(a.notScheduled), report);
  assert.equal(a.scheduled, a.transmitted + total(a.notTransmitted), report);
  assert.equal(a.transmitted, a.received + total(a.notReceived), report);
  for (const counts of [f.lostBeforeHeard, f.lostBeforeRouted, a.notScheduled, a.notTransmitted, a.notReceived]) {
    for (const [reason, n] of Object.entries(counts)) {
      assert.match(reason, /^[a-z0-9]+(_[a-z0-9]+)*$/, report);
      assert.doesNotMatch(reason, /other|unknown/, report);
      assert.ok(n > 0, report);
    }
  }
}

/** Every confirmed uplink a device did not get an ACK for is one of the named answer losses. */
function assertUnackedNamed(s: Summary): void {
  const a = s.funnel.answers;
  assert.ok(s.devices.confirmedSent - s.devices.confirmedAcked <= a.needed - a.received, JSON.stringify(s.funnel));
  assert.equal(a.needed - a.received, total(a.notScheduled) + total(a.notTransmitted) + total(a.notReceived));
  for (const d of s.deviceFunnels) assertAddsUp(d.funnel, d.name);
  assert.equal(s.deviceFunnels.reduce((n, d) => n + d.funnel.sent, 0), s.funnel.sent);
  assert.equal(s.funnel.sent, s.devices.uplinksSent);
}

/** Runs the simulator to the end and returns its JSON summary and its stderr; `during` runs once it is up. */
async function run(args: string[], timeoutMs: number, during?: (stderr: () => string) => Promise<void>): Promise<{ summary: Summary; stderr: string }> {
  const child = spawn(process.execPath, [START, "--json", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  if (during !== undefined) {
    while (!/running for/.test(stderr) && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    await during(() => stderr);
  }
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  clearTimeout(timer);
  assert.equal(code, 0, stderr.slice(-3000));
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1, "stdout is one JSON object");
  return { summary: JSON.parse(lines[0]) as Summary, stderr };
}

const firmware = (s: Summary, k: "downlinksOnTime" | "downlinksLate" | "errors" | "uplinksForwarded") => s.hotspots.reduce((a, h) => a + h.firmware[k], 0);

test("npm start -- --hotspots 2 --devices 10 --duration 70: no model violations, no late downlink in the world's view or the firmware's, on time in both", { timeout: 240_000 }, async () => {
  const { summary: s } = await run(["--hotspots", "2", "--devices", "10", "--duration", "70"], 200_000);
  const report = JSON.stringify(s);
  assert.equal(s.modelViolations, 0, report);
  assert.equal(s.downlinksLate, 0, report);
  assert.equal(firmware(s, "downlinksLate"), 0, report);
  assert.ok(s.downlinksOnTime > 0 && firmware(s, "downlinksOnTime") > 0, report);
  assert.equal(s.downlinksUnmatched, 0, report);
  // Every downlink the world saw was one the firmware counted (beacons are not downlinks).
  assert.equal(s.downlinksOnTime + s.downlinksLate, firmware(s, "downlinksOnTime") + firmware(s, "downlinksLate"), report);
  assert.ok(s.confirmedAcked > 0, report);
  assertAddsUp(s.funnel, "funnel");
  assertUnackedNamed(s);
});

test("npm start with --tx-delay 40 --busy-stuck 5: late downlinks in both views; hotspot-1's driver survives the stuck BUSY line without a command sent into it", { timeout: 240_000 }, async () => {
  const { summary: s, stderr } = await run(["--hotspots", "2", "--devices", "10", "--duration", "70", "--tx-delay", "40", "--busy-stuck", "5"], 200_000);
  const report = JSON.stringify(s);
  assert.match(stderr, /fault: every host stalls 40 ms before each transmission/);
  assert.ok(s.downlinksLate > 0, report);
  assert.ok(firmware(s, "downlinksLate") > 0, report);
  assert.equal(s.faults.txDelayMs, 40);
  const b = s.faults.busyStuck!;
  assert.equal(b.hotspot, "hotspot-1");
  assert.equal(Math.round(b.untilSeconds - b.fromSeconds), 5, report);
  assert.ok(s.hotspots[0].radio.faults["busy-stuck"] >= 1, `the driver saw the stuck line: ${report}`);
  assert.equal(b.recovered, true, `uplinks heard after the fault: ${report}`);
  assert.equal(b.radioState, "listening");
  assert.equal(s.modelViolations, 0, `the driver never sent a command into BUSY: ${report}`);
  // The stall is the cause the funnel names: answers sent late, missed by the devices.
  assertAddsUp(s.funnel, "funnel");
  assertUnackedNamed(s);
  assert.ok((s.funnel.answers.notReceived.late ?? 0) > 0, JSON.stringify(s.funnel));
  assert.equal(s.funnel.answers.received, s.joinsCompleted + s.confirmedAcked, JSON.stringify(s.funnel));
});

test("npm start -- --hotspots 3 --devices 20 --duration 120: the funnel adds up exactly, each unacknowledged confirmed uplink has a named reason, the network page draws it", { timeout: 300_000 }, async () => {
  const shot = join(SCREENSHOTS, "network-funnel.png");
  let page: { bars: number; lost: number; reasons: string; devices: number; text: string } | undefined;
  const { summary: s } = await run(["--hotspots", "3", "--devices", "20", "--duration", "120"], 260_000, async (stderr) => {
    const url = /network page: (\S+)/.exec(stderr())![1];
    await new Promise((r) => setTimeout(r, 90_000));
    const profile = mkdtempSync(join(tmpdir(), "funnel-chromium-"));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 1000 } });
    try {
      const p = context.pages()[0] ?? (await context.newPage());
      await p.goto(url);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await p.locator("#funnel").screenshot({ path: shot });
      page = await p.evaluate(() => ({
        bars: document.querySelectorAll("#funnel rect.kept").length,
        lost: document.querySelectorAll("#funnel rect.lost").length,
        reasons: [...document.querySelectorAll("#funnel text.reasons")].map((t: any) => t.textContent).join(" | "),
        devices: document.querySelectorAll("#devicefunnel tr.dev").length,
        text: document.querySelector("#funnel").textContent,
      }));
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
  assertAddsUp(s.funnel, "funnel");
  assertUnackedNamed(s);
  assert.ok(s.funnel.heard > 0 && s.funnel.answers.received > 0, JSON.stringify(s.funnel));
  // The page drew the funnel of the run: seven stages, the loss reasons beside their bars, a row per device.
  assert.ok(page !== undefined);
  assert.equal(page.bars, 7);
  assert.equal(page.devices, 20);
  assert.match(page.text, /uplinks sent \d+/);
  assert.match(page.text, /answer received \d+/);
  if (page.lost > 0) assert.match(page.reasons, /[a-z_]+ \d+/);
  for (const h of s.hotspots) {
    assert.ok(h.losses.transmittingSeconds >= 0 && Number.isInteger(h.losses.crcErrors) && Number.isInteger(h.losses.missedWhileTransmitting));
    assert.deepEqual(Object.keys(h.losses.refusedDownlinks).filter((r) => !/^[a-z_]+$/.test(r)), []);
  }
});

test("forwarder mode: the uplinks the summary reports are the ones the GWMP server acknowledged", { timeout: 120_000 }, async () => {
  const server = await GwmpTestServer.open();
  try {
    const { summary: s } = await run(["--hotspots", "1", "--devices", "4", "--duration", "25", "--forwarder", `127.0.0.1:${server.port}`], 100_000);
    const rxpk = server.of(ID.PUSH_DATA).reduce((a, d) => a + (Array.isArray(d.json?.rxpk) ? d.json.rxpk.length : 0), 0);
    assert.ok(rxpk > 0, "the server received uplinks");
    assert.equal(s.uplinksForwarded, rxpk, JSON.stringify(s));
    assert.equal(s.hotspots[0].uplinksForwarded, rxpk);
    assert.equal(firmware(s, "uplinksForwarded"), rxpk, "the firmware's own count agrees");
  } finally {
    await server.close();
  }
});
