// `npm start` as a user runs it (the built start script, spawned), checked against its observers:
// the chip models catch no protocol violation, the world (each downlink matched to the uplink it
// answers, judged by that device's window) and the firmware's own counters agree that nothing was
// late - and with a 40 ms host stall before every transmission both count late downlinks, while a
// stuck BUSY line on one hotspot is survived without a single command sent into it. In forwarder
// mode the uplinks the summary reports are the ones a GWMP server acknowledged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Summary } from "../sim/summary.js";
import { GwmpTestServer, ID } from "./support/gwmp-server.js";

const START = fileURLToPath(new URL("../sim/start.js", import.meta.url));

/** Runs the simulator to the end and returns its JSON summary and its stderr. */
async function run(args: string[], timeoutMs: number): Promise<{ summary: Summary; stderr: string }> {
  const child = spawn(process.execPath, [START, "--json", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
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
