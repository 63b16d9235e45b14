// Memory report (a benchmark, not a test): the whole hotspot on the XS test host — main.ts boots with
// Wi-Fi and a fallback region configured and starts every part, then an hour of uplinks at one per
// second is encoded and signed (tests/xs/memory-workload.ts) — measured three ways:
//  1. loaded at run time, nothing preloaded: what the modules alone would take in RAM;
//  2. with the manifest's `preload` emulated as on the device (tests/xs/host/host.c: the modules run
//     in a build machine that is frozen and shared, the firmware runs in a clone of it, which keeps
//     in its own heap only what it creates or changes): the live use a board's RAM must hold;
//  3. the same inside each board target's `creation` pools, fixed as on the device: either the hour
//     completes or the engine stops with "memory full".
//
//   npm run bench:memory [-- --json] [-- --uplinks N] [-- --xsl CHECK.json]
//
// --xsl takes what `npm run check:device -- --all --release --json` printed (needs the Moddable SDK):
// the SDK's preload linker's own figures per board (flash heap, keys, aliases, where the XS pools
// go), which then replace the emulation's alias count in the RAM estimate.
//
// Honest limits: the test host is XS 13.3 on x86-64. Slot counts compare with the device; chunk
// bytes here are an upper bound (an array's items are 32-byte slots here, 16 on the ESP32); module
// bytecode is in flash on both. Only the radio chip and the servers are missing (the stand-ins
// answer nothing), so a connected router session, its queue and dashboard requests are not in the
// figures; the budget's headroom is for them.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../tools/gen-native.js";
import { SUITES_DIR, boardCreation, budgetOf, buildHost, runModule, writePreloadList, type Creation } from "../tools/xs-host.js";
import { loadRawCore } from "../tests/support/raw-core.js";
import type { BoardCheck } from "../tools/check-device.js";

interface Sample {
  step: string;
  chunkBytes: number;
  slots: number;
  keys: number;
  aliases: number;
}

const BOARDS = ["heltec_v3", "t3s3", "tbeam_sx1262"];
/** A slot and a pointer on the ESP32 (32-bit). */
const DEVICE_SLOT_BYTES = 16;
const DEVICE_POINTER_BYTES = 4;
const CORE_LINEAR_MEMORY = 65536;

const json = process.argv.includes("--json");
const at = process.argv.indexOf("--uplinks");
const uplinks = at >= 0 ? Number(process.argv[at + 1]) : 3600;
const xslAt = process.argv.indexOf("--xsl");
const xslChecks = xslAt >= 0 ? (JSON.parse(readFileSync(process.argv[xslAt + 1], "utf8")) as { checks: BoardCheck[] }).checks.filter((c) => c.variant === "release" && c.figures) : [];

const manifest = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8"));
const budgets = BOARDS.map((board) => ({ board, creation: boardCreation(board) }));

buildHost();
const entry = join(SUITES_DIR, "memory-entry.js");
writeFileSync(entry, `import { run } from "./memory-workload.js";\nawait run(${JSON.stringify(join(ROOT, "build", "xs", "main.js"))}, ${uplinks});\nprint("1 passed, 0 failed");\n`);
const preloadList = writePreloadList();

function measure(label: string, preload?: string, budget?: Creation): { samples: Sample[]; problem?: string } {
  const run = runModule(entry, 600_000, preload, budget && budgetOf(budget));
  const samples = run.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Sample);
  if (run.ok) return { samples };
  const problem = run.problems.join("; ");
  if (budget === undefined) {
    process.stderr.write(`memory report (${label}) failed: ${problem}\n${run.stdout}${run.stderr}`);
    process.exit(1);
  }
  return { samples, problem: /memory full/.test(run.stderr) ? "memory full" : problem };
}

const loaded = measure("no preload").samples;
const preloaded = measure("preloaded", preloadList).samples;
const checks = budgets.map(({ board, creation }) => ({ board, creation, ...measure(board, preloadList, creation) }));

const last = preloaded[preloaded.length - 1];
const busiest = preloaded.reduce((a, b) => (b.slots > a.slots ? b : a));
const linearStatic = Number(loadRawCore().exports.memory_static_end());

if (json) {
  for (const s of loaded) process.stdout.write(JSON.stringify({ run: "no preload", ...s }) + "\n");
  for (const s of preloaded) process.stdout.write(JSON.stringify({ run: "preloaded", ...s }) + "\n");
  for (const c of checks) process.stdout.write(JSON.stringify({ run: `budget ${c.board}`, ...c.creation, completed: c.problem === undefined, problem: c.problem ?? null }) + "\n");
  for (const c of xslChecks) process.stdout.write(JSON.stringify({ run: `xsl ${c.board}`, ...c.figures, psram: c.psram }) + "\n");
} else {
  const out: string[] = [];
  const loadedBooted = loaded.find((s) => s.step === "booted");
  out.push(`The whole hotspot on the XS test host, ${uplinks} uplinks; live use after a full garbage collection.`);
  out.push(`Nothing preloaded: ${loadedBooted?.slots} slots and ${loadedBooted?.chunkBytes} chunk bytes once booted (engine built-ins included).`);
  out.push(`The manifest's preload (${(manifest.preload as string[]).length} modules and what they import) emulated as on the device:`);
  out.push("step                 slots   chunk bytes   keys   aliases");
  for (const s of preloaded) {
    out.push(`${s.step.padEnd(18)} ${String(s.slots).padStart(7)} ${String(s.chunkBytes).padStart(13)} ${String(s.keys).padStart(6)} ${String(s.aliases).padStart(9)}`);
  }
  out.push(
    `Busiest step: ${busiest.slots} slots (${busiest.step}); ${last.slots === busiest.slots ? "flat to the end" : `${last.slots} at the end`}. ` +
      `Aliases are RAM pointers to preloaded objects and variables that may change: ${last.aliases} here` +
        (xslChecks.length ? `, ${xslChecks[0].figures!.aliases} by the SDK's xsl (${xslChecks[0].figures!.aliases * DEVICE_POINTER_BYTES} bytes on the device).` : "."),
  );
  for (const c of checks) {
    const { heap, chunk, stack } = c.creation;
    const verdict = c.problem === undefined ? "the hour ran within it" : `it did not fit: ${c.problem}`;
    out.push(`${c.board}: creation ${heap.initial} slots, ${chunk.initial} chunk bytes, ${stack} stack slots, fixed: ${verdict}.`);
  }
  for (const { board, creation } of checks) out.push(ramEstimate(board, creation, last.aliases));
  process.stdout.write(out.join("\n") + "\n");
}

/**
 * XS and core RAM on the ESP32 for a board's pools, split into internal RAM and PSRAM: with the
 * SDK's figures (--xsl) the aliases are xsl's and the pools follow the board's sdkconfig (malloc above
 * CONFIG_SPIRAM_MALLOC_ALWAYSINTERNAL goes to PSRAM: the chunk and slot heaps, the core's memory).
 */
function ramEstimate(board: string, creation: Creation, hostAliases: number): string {
  const xsl = xslChecks.find((c) => c.board === board);
  const aliases = xsl?.figures?.aliases ?? hostAliases;
  const psram = xsl?.psram === true && xsl.sdkconfig.CONFIG_SPIRAM_USE_MALLOC === "y";
  const threshold = Number(xsl?.sdkconfig.CONFIG_SPIRAM_MALLOC_ALWAYSINTERNAL ?? 16384);
  const nativeStack = Number(manifest.creation?.nativeStack ?? 0);
  const blocks = [
    { what: `slots ${creation.heap.initial}×${DEVICE_SLOT_BYTES} B`, bytes: creation.heap.initial * DEVICE_SLOT_BYTES },
    { what: "chunks", bytes: creation.chunk.initial },
    { what: "JS stack", bytes: creation.stack * DEVICE_SLOT_BYTES },
    { what: `${aliases} aliases (${xsl ? "xsl" : "XS host"})`, bytes: aliases * DEVICE_POINTER_BYTES },
    { what: `core linear memory (${linearStatic} B static data and scratch)`, bytes: CORE_LINEAR_MEMORY },
    { what: "native stack", bytes: nativeStack },
  ];
  const inPsram = (b: { what: string; bytes: number }) => psram && b.bytes > threshold && b.what !== "native stack";
  const kib = (n: number) => `${Math.round(n / 1024)} KiB`;
  const internal = blocks.filter((b) => !inPsram(b));
  const external = blocks.filter(inPsram);
  const sum = (list: typeof blocks) => list.reduce((t, b) => t + b.bytes, 0);
  return (
    `${board}: internal RAM ${kib(sum(internal))} (${internal.map((b) => `${b.what} ${kib(b.bytes)}`).join(", ")})` +
    (external.length ? `; PSRAM ${kib(sum(external))} (${external.map((b) => `${b.what} ${kib(b.bytes)}`).join(", ")})` : "") +
    `, before Wi-Fi and lwIP${xsl ? `; xsl preload in flash: ${xsl.figures!.heapSlots} slots, ${xsl.figures!.keys} keys` : ""} (README, Memory).`
  );
}
