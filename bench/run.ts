// `npm run bench [-- --json]`: operations per second of the core against @noble and node:crypto,
// all measured in this one run. Prints a table (or, with --json, one {name, ours, noble, native}
// object per line on stdout, module figures on stderr), then the wasm size and linear memory used.
// To add a benchmark, append rows to ROWS below (each row is three closures doing one operation).
import { statSync } from "node:fs";
import { CORE_WASM_PATH, loadRawCore } from "../tests/support/raw-core.js";
import { cryptoRows } from "./crypto-rows.js";
import { beaconRows } from "./beacon-rows.js";

export interface BenchRow {
  name: string;
  ours: () => unknown;
  noble: () => unknown;
  /** node:crypto's version, where node has the primitive. */
  native?: () => unknown;
}

const WARM_UP_MS = 300;
const MEASURE_MS = 1000;
const SLICES = 4; // each implementation runs in 4 interleaved slices, so load swings hit all alike

function runFor(fn: () => unknown, ms: number): { ops: number; ms: number } {
  const start = performance.now();
  let ops = 0;
  let now = start;
  while (now - start < ms) {
    fn();
    ops++;
    now = performance.now();
  }
  return { ops, ms: now - start };
}

function measure(row: BenchRow): { ours: number; noble: number; native: number | null } {
  const impls = [row.ours, row.noble, row.native].filter((fn): fn is () => unknown => fn !== undefined);
  for (const fn of impls) runFor(fn, WARM_UP_MS);
  const totals = impls.map(() => ({ ops: 0, ms: 0 }));
  for (let slice = 0; slice < SLICES; slice++) {
    impls.forEach((fn, i) => {
      const r = runFor(fn, MEASURE_MS / SLICES);
      totals[i].ops += r.ops;
      totals[i].ms += r.ms;
    });
  }
  const [ours, noble, native] = totals.map((t) => Math.round((t.ops * 1000) / t.ms));
  return { ours, noble, native: native ?? null };
}

const json = process.argv.includes("--json");
const core = loadRawCore();
const ROWS: BenchRow[] = [...cryptoRows(core), ...beaconRows()];

const pad = (s: string, n: number): string => s.padStart(n);
if (!json) {
  console.log(`${"benchmark".padEnd(24)}${pad("ours op/s", 12)}${pad("noble op/s", 12)}${pad("node op/s", 12)}${pad("vs noble", 10)}${pad("vs node", 9)}`);
}
for (const row of ROWS) {
  const r = measure(row);
  if (json) {
    console.log(JSON.stringify({ name: row.name, ...r }));
  } else {
    const ratio = (a: number, b: number | null): string => (b === null ? "-" : `${(a / b).toFixed(2)}x`);
    console.log(
      `${row.name.padEnd(24)}${pad(String(r.ours), 12)}${pad(String(r.noble), 12)}${pad(String(r.native ?? "-"), 12)}` +
        `${pad(ratio(r.ours, r.noble), 10)}${pad(ratio(r.ours, r.native), 9)}`,
    );
  }
}

const wasmBytes = statSync(CORE_WASM_PATH).size;
const staticEnd = Number(core.exports.memory_static_end());
const memoryBytes = core.memory.buffer.byteLength;
const figures =
  `core.wasm: ${wasmBytes} bytes; linear memory: ${staticEnd} of ${memoryBytes} bytes used by static data ` +
  `(scratch ${core.scratchSize} bytes included)`;
if (json) console.error(figures);
else console.log(figures);
