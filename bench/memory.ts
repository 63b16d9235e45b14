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
//   npm run bench:memory [-- --json] [-- --uplinks N]
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
      `Aliases are RAM pointers to preloaded objects and variables that may change (${last.aliases * DEVICE_POINTER_BYTES} bytes on the device).`,
  );
  for (const c of checks) {
    const { heap, chunk, stack } = c.creation;
    const verdict = c.problem === undefined ? "the hour ran within it" : `it did not fit: ${c.problem}`;
    out.push(`${c.board}: creation ${heap.initial} slots, ${chunk.initial} chunk bytes, ${stack} stack slots, fixed: ${verdict}.`);
  }
  const { heap, chunk, stack } = checks[0].creation;
  const jsBytes = heap.initial * DEVICE_SLOT_BYTES + chunk.initial + stack * DEVICE_SLOT_BYTES + last.aliases * DEVICE_POINTER_BYTES;
  const nativeStack = Number(manifest.creation?.nativeStack ?? 0);
  const total = jsBytes + CORE_LINEAR_MEMORY + nativeStack;
  out.push(
    `RAM on the ESP32 at that budget: XS ${Math.round(jsBytes / 1024)} KiB (slots ${heap.initial}×${DEVICE_SLOT_BYTES} B, chunks, stack, aliases) + ` +
      `core linear memory 64 KiB (${linearStatic} B static data and scratch) + native stack ${Math.round(nativeStack / 1024)} KiB = ${Math.round(total / 1024)} KiB, ` +
      "before Wi-Fi and lwIP (README, Memory).",
  );
  process.stdout.write(out.join("\n") + "\n");
}
