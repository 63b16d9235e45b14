// The firmware in the Moddable SDK's own simulator, headless: `npm start -- --moddable --hotspots 2
// --json` as a user runs it (the built start script, spawned without DISPLAY, so it starts its own
// Xvfb). hotspot-2 is main.ts built by mcconfig for the SDK's Linux platform and run in mcsim; its
// SX1262 is the chip model in the world, over the radio bridge. What is checked comes from the devnet
// (signatures, the PoC verifier), the world (what the chip model received) and the firmware's own
// console and store on disk, not from the hotspot's counters.
//
// Not part of `npm test` (the file name matches none of node --test's patterns): it needs the SDK
// ($MODDABLE, tools built) and takes minutes. Run it with `node --test build/js/tests/sdk/moddable-sim.js`.
// Without $MODDABLE it reports itself skipped, with the reason, as the single test of the file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findModdableTools } from "../../sim/moddable-build.js";
import type { Summary } from "../../sim/summary.js";

const START = fileURLToPath(new URL("../../sim/start.js", import.meta.url));
/** At least 90 s of simulated network after the firmware is up. */
const DURATION_S = 100;
const missing = findModdableTools(process.env).problems;
const xvfb = spawnSync("Xvfb", ["-help"], { stdio: "ignore" }).error === undefined;
const skip = missing.length > 0 ? `the Moddable SDK is not available: ${missing.join("; ")}` : !xvfb ? "Xvfb is not installed (apt-get install xvfb)" : false;

test(`npm start -- --moddable --hotspots 2 --duration ${DURATION_S} --json: the mcsim hotspot routes uplinks with valid signatures and its PoC reports verify`, { skip, timeout: 30 * 60_000 }, async () => {
  const env = { ...process.env };
  delete env.DISPLAY; // headless: the simulator starts its own Xvfb
  const child = spawn(process.execPath, [START, "--moddable", "--hotspots", "2", "--duration", String(DURATION_S), "--json", "--poc-interval", "15"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  assert.equal(code, 0, stderr.slice(-3000));
  assert.match(stderr, /mcsim runs it on display :\d+ \(Xvfb\)/);
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1, "stdout is one JSON object");
  const s = JSON.parse(lines[0]) as Summary;
  const report = JSON.stringify(s.hotspots);
  assert.ok(s.durationSeconds >= 90, `${s.durationSeconds} s`);
  assert.deepEqual(s.hotspots.map((h) => h.runtime), ["node", "moddable"]);
  const m = s.hotspots[1];

  // The devnet: uplinks it routed after checking the Moddable hotspot's signature, and PoC reports
  // its verifier rebuilt and accepted (a beacon the hotspot sent, or a witness of hotspot-1's).
  assert.ok(m.uplinksHeard > 0, report);
  assert.ok(m.uplinksRouted > 0, report);
  assert.equal(m.invalidSignatures, 0, report);
  assert.ok(m.beaconsValid + m.witnessesValid > 0, report);
  assert.equal(m.beaconsInvalid + m.witnessesInvalid, 0, report);
  assert.deepEqual(s.pocInvalidReasons, {}, report);

  // The radio bridge: one connection, SPI traffic, DIO1 edges, and nothing the strict chip model objects to.
  const bridge = m.moddable!.bridge;
  assert.equal(bridge.connections, 1, report);
  assert.ok(bridge.spiTransfers > 100 && bridge.edgesSent > 0, report);
  assert.ok(bridge.helloDelayMicros !== undefined && bridge.helloDelayMicros >= 0, report);
  assert.equal(bridge.errors, 0, report);
  assert.equal(m.modelViolations, 0, report);

  // Its store is the SDK's `file` module on disk: it read the key the simulator provisioned (its
  // console names that address) and wrote its own entries (the first admin API key's record).
  const runDir = /logs and stores in (\S+)/.exec(stderr)![1];
  const firmwareConsole = readFileSync(join(runDir, "hotspot-2.log"), "utf8");
  assert.match(firmwareConsole, new RegExp(`info main: Moddable simulator \\(Heltec V3 radio wiring\\): gateway ${m.address} \\(${m.animalName}\\)`));
  assert.match(firmwareConsole, /info app: started: region US915 \(fallback\)/);
  assert.ok(existsSync(join(runDir, "hotspot-2", "store", "hotspot", "web.keys")), "the firmware wrote its API keys to its store");
});
