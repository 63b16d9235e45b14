// `npm run fuzz [-- --inputs N] [--seed S] [--only NAME]`: seeded inputs into every parser that
// takes untrusted bytes (HTTP/1.1 with random read splits, config, auth headers, GWMP, LoRaWAN,
// proto, HPACK, HTTP/2 frames). Per parser it reports inputs, accepted, refused with a typed error,
// and anything else, which must be 0: an untyped exception or a broken invariant (the first few are
// listed with their seed and index, to replay). Exit code 1 when anything else happened.
// The normal test run keeps a shorter pass (tests/fuzz.test.ts).
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { loadNodeCore } from "../sim/node-core.js";
import { Rng } from "./fuzz-rng.js";
import {
  authTarget,
  configTarget,
  gwmpTarget,
  h2FramesTarget,
  hpackTarget,
  httpTarget,
  lorawanTarget,
  protoTarget,
  type FuzzTarget,
} from "./fuzz-targets.js";

export interface FuzzReport {
  parser: string;
  inputs: number;
  accepted: number;
  refused: number;
  /** Untyped exceptions and broken invariants: must be 0. */
  other: number;
  /** The first few of those, with how to replay them. */
  examples: string[];
  seconds: number;
}

export function fuzzTargets(): FuzzTarget[] {
  const core = loadNodeCore();
  return [httpTarget, configTarget(core), authTarget(core), gwmpTarget, lorawanTarget(core), protoTarget(core), hpackTarget, h2FramesTarget];
}

/** Runs `inputs` inputs into each target; target i draws from seed + i. */
export async function runFuzz(options: { inputs: number; seed: number; only?: string }): Promise<FuzzReport[]> {
  const reports: FuzzReport[] = [];
  const targets = fuzzTargets();
  for (let t = 0; t < targets.length; t++) {
    const target = targets[t];
    if (options.only !== undefined && target.id !== options.only) continue;
    const seed = (options.seed + t) >>> 0;
    const rng = new Rng(seed);
    const started = performance.now();
    const one = await target.prepare(new Rng(seed ^ 0x5eed));
    const report: FuzzReport = { parser: target.name, inputs: 0, accepted: 0, refused: 0, other: 0, examples: [], seconds: 0 };
    for (let i = 0; i < options.inputs; i++) {
      report.inputs++;
      try {
        report[one(rng)]++;
      } catch (error) {
        report.other++;
        if (report.examples.length < 5) report.examples.push(`seed ${seed} input ${i}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      }
    }
    report.seconds = (performance.now() - started) / 1000;
    reports.push(report);
  }
  return reports;
}

export function formatReports(reports: FuzzReport[]): string {
  const rows = [["parser", "inputs", "accepted", "refused (typed)", "anything else", "seconds"]];
  for (const r of reports) rows.push([r.parser, String(r.inputs), String(r.accepted), String(r.refused), String(r.other), r.seconds.toFixed(1)]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "));
  for (const r of reports) for (const e of r.examples) lines.push(`  ${r.parser}: ${e}`);
  return lines.join("\n");
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { inputs: { type: "string" }, seed: { type: "string" }, only: { type: "string" } }, strict: true });
  const inputs = Number(values.inputs ?? 100_000);
  const seed = Number(values.seed ?? 13);
  if (!Number.isInteger(inputs) || inputs < 1 || !Number.isInteger(seed) || seed < 0) {
    process.stderr.write("usage: npm run fuzz -- [--inputs N] [--seed S] [--only http|config|auth|gwmp|lorawan|proto|hpack|h2]\n");
    return 2;
  }
  process.stdout.write(`fuzz: ${inputs} inputs per parser, seed ${seed}\n`);
  const reports = await runFuzz({ inputs, seed, only: values.only });
  process.stdout.write(formatReports(reports) + "\n");
  const bad = reports.reduce((n, r) => n + r.other, 0);
  process.stdout.write(bad === 0 ? "anything else: 0 in every parser\n" : `anything else: ${bad} (must be 0)\n`);
  return bad === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();
