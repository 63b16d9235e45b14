// Memory report (a benchmark, not a test): XS chunk and slot use on the XS test host while main.ts
// boots with Wi-Fi configured and starts the whole hotspot, then handles an hour of uplinks at one
// per second (encode, sign with the session key, encode again, as the packet router client does),
// and the core's linear memory, against the budget of the ESP32-S3 targets
// (targets/heltec_v3/manifest.json `creation`).
//
//   npm run bench:memory [-- --json] [-- --uplinks N]
//
// Honest limits: the test host is XS 13.3 on x86-64. Its slots are 32 bytes (16 on the ESP32) but
// their count compares; its built-ins live in RAM (on the device they are preloaded into flash), so
// the engine's own baseline is subtracted; and module bytecode sits in chunks here (in flash on the
// device), so the chunk figure is an upper bound.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../tools/gen-native.js";
import { SUITES_DIR, buildHost, runModule } from "../tools/xs-host.js";
import { loadRawCore } from "../tests/support/raw-core.js";

interface Sample {
  step: string;
  chunkBytes: number;
  slots: number;
}

const json = process.argv.includes("--json");
const at = process.argv.indexOf("--uplinks");
const uplinks = at >= 0 ? Number(process.argv[at + 1]) : 3600;
const target = JSON.parse(readFileSync(join(ROOT, "targets", "heltec_v3", "manifest.json"), "utf8")).creation;
const budget = { chunkBytes: target.chunk.initial as number, slots: target.heap.initial as number };

buildHost();
const entry = join(SUITES_DIR, "memory-entry.js");
writeFileSync(entry, `import { run } from "./memory-workload.js";\nawait run(${JSON.stringify(join(ROOT, "build", "xs", "main.js"))}, ${uplinks});\nprint("1 passed, 0 failed");\n`);
const result = runModule(entry, 600_000);
if (!result.ok) {
  process.stderr.write(`memory report failed: ${result.problems.join("; ")}\n${result.stdout}${result.stderr}`);
  process.exit(1);
}
const samples: Sample[] = result.stdout
  .split("\n")
  .filter((line) => line.startsWith("{"))
  .map((line) => JSON.parse(line) as Sample);
const engine = samples[0];
const linearStatic = Number(loadRawCore().exports.memory_static_end());

// Live use after a full GC only: the host's heap is large, so its peaks show garbage that was not
// yet collected, not what the firmware needs.
const rows = samples.map((s) => ({ step: s.step, slots: s.slots - engine.slots, chunkBytes: s.chunkBytes - engine.chunkBytes }));
if (json) {
  for (const r of rows) process.stdout.write(JSON.stringify(r) + "\n");
  process.stdout.write(JSON.stringify({ step: "budget", ...budget, linearMemoryBytes: 65536, linearStaticBytes: linearStatic }) + "\n");
} else {
  process.stdout.write(`XS use above the engine's own, live after a full GC, through ${uplinks} uplinks:\n`);
  process.stdout.write("step                slots   chunk bytes\n");
  for (const r of rows.slice(1)) process.stdout.write(`${r.step.padEnd(16)} ${String(r.slots).padStart(8)} ${String(r.chunkBytes).padStart(13)}\n`);
  const last = rows[rows.length - 1];
  const firstBatch = rows[2] ?? last;
  process.stdout.write(
    `ESP32-S3 budget (targets/heltec_v3 creation): ${budget.slots} slots, ${budget.chunkBytes} chunk bytes.\n` +
      `Slots after the last step: ${last.slots} (${Math.round((100 * last.slots) / budget.slots)} % of the budget); ` +
      `${last.slots === firstBatch.slots ? "flat" : `${last.slots - firstBatch.slots} more`} since the first quarter of the uplinks.\n` +
      `Chunks after the last step: ${last.chunkBytes} bytes here, an upper bound: module bytecode counts here and sits in flash on the device.\n` +
      `Core linear memory: 65536 bytes from the heap at boot (one wasm page), of which ${linearStatic} are static data and scratch.\n`,
  );
}
