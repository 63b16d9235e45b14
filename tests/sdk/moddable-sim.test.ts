// The firmware in the Moddable SDK's own simulator, headless: `npm start -- --moddable --hotspots 2
// --json` as a user runs it (the built start script, spawned without DISPLAY, so it starts its own
// Xvfb). hotspot-2 is main.ts built by mcconfig for the SDK's Linux platform and run in mcsim; its
// SX1262 is the chip model in the world, over the radio bridge. What is checked comes from the devnet
// (signatures, the PoC verifier), the world (what the chip model received) and the firmware's own
// console and store on disk, not from the hotspot's counters.
//
// Part of `npm run test:sdk`, not of `npm test`: it needs the SDK
// ($MODDABLE, tools built) and takes minutes. Run it with `node --test build/js/tests/sdk/moddable-sim.test.js`.
// Without $MODDABLE each test reports itself skipped, with the reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FileStore } from "../../sim/hotspot-host.js";
import { spawnMcsim, startXvfb } from "../../sim/mcsim.js";
import { ROOT, buildForSimulator, findModdableTools } from "../../sim/moddable-build.js";
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

  // Its store is the SDK's `file` module on disk: it read the key and the config the simulator
  // provisioned (its console names that address, and the fallback region of that config).
  const runDir = /logs and stores in (\S+)/.exec(stderr)![1];
  const firmwareConsole = readFileSync(join(runDir, "hotspot-2.log"), "utf8");
  assert.match(firmwareConsole, new RegExp(`info main: Moddable simulator \\(Heltec V3 radio wiring\\): gateway ${m.address} \\(${m.animalName}\\)`));
  assert.match(firmwareConsole, /info app: started: region US915 \(fallback\)/);
  // Its own counters came over its console: the two views can be compared.
  assert.ok(m.firmware.errors >= 0 && /info stats: \{/.test(firmwareConsole), report);
});

test("the simulator board's key-value store (targets/sim) on the SDK's file module, in mcsim: NVS's rules, and the files on disk", { skip, timeout: 20 * 60_000 }, async () => {
  const tools = findModdableTools(process.env).tools!;
  const library = await buildForSimulator(tools, join(ROOT, "tests", "sdk", "kv-app", "manifest.json"), join(ROOT, "build", "moddable-kv"));
  const dir = mkdtempSync(join(tmpdir(), "kv-app-"));
  const folder = join(dir, "store", "hotspot");
  // Provisioned the way npm start provisions a Moddable hotspot's store.
  new FileStore(folder).write("seeded", Uint8Array.of(0xaa, 0xbb));
  const display = await startXvfb();
  const lines: string[] = [];
  try {
    const child = spawnMcsim({ mcsim: tools.mcsim, library, display: display.name, dir, settings: { STORE: join(dir, "store") }, onLine: (line) => lines.push(line) });
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    const done = new Promise<void>((resolve) => {
      const poll = setInterval(() => lines.includes("kv done") && (clearInterval(poll), resolve()), 50);
    });
    const stuck = new Promise<void>((resolve) => setTimeout(resolve, 120_000).unref());
    await Promise.race([done, exited, stuck]);
    child.kill();
    await exited;
    assert.ok(lines.includes("kv done"), lines.join("\n"));
    const steps = Object.fromEntries(lines.filter((l) => /^kv .+ \{/.test(l)).map((l) => [l.slice(3, l.indexOf(" {")), JSON.parse(l.slice(l.indexOf(" {") + 1))]));
    const report = JSON.stringify(steps);
    assert.deepEqual(steps["missing key"], { ok: true }, report);
    assert.deepEqual(steps["provisioned"], { ok: [0xaa, 0xbb] }, report);
    assert.deepEqual(steps["read"], { ok: [9] }, "a shorter value replaces a longer one whole");
    assert.deepEqual(steps["empty value"], { ok: 0 }, report);
    assert.match(steps["16-character key"].error, /invalid key: 1\.\.15 characters/, "NVS keys are at most 15 characters");
    assert.match(steps["string value"].error, /^TypeError/, report);
    assert.deepEqual(steps["delete"], { ok: true }, report);
    assert.deepEqual(steps["keys"], { ok: ["cfg.a", "empty", "seeded"] }, report);
    assert.match(steps["read-only write"].error, /read-only/, report);
    assert.match(steps["read-only delete"].error, /read-only/, report);
    assert.deepEqual(steps["read-only read"], { ok: [9] }, report);
    assert.match(steps["missing namespace read-only"].error, /ESP_ERR_NVS_NOT_FOUND/, report);
    assert.match(steps["string format"].error, /^RangeError/, report);
    assert.match(steps["closed"].error, /closed/, report);
    // The files, read with node:fs: one per key, nothing left half-written.
    assert.deepEqual(readdirSync(folder).sort(), ["cfg.a", "empty", "seeded"]);
    assert.deepEqual([...readFileSync(join(folder, "cfg.a"))], [9]);
    assert.equal(statSync(join(folder, "empty")).size, 0);
    assert.ok(!existsSync(join(folder, "gone")));
  } finally {
    display.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
