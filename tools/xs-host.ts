// Builds the XS test host (tests/xs/host) and runs the XS suites on it.
//
//   node build/js/tools/xs-host.js     build (cached in build/xs-host) and run every tests/xs/*.xs.ts
//
// The suites are the TypeScript in tests/xs compiled by `npm run build` (tsconfig.xs.json) into
// build/xs. A run fails when the host exits non-zero (an uncaught error or rejection), when the
// final "N passed, N failed" line is missing, when any test failed, or when it takes too long.
// What the suites print as artifacts is then checked on Node with independent implementations;
// each check counts as a test.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT, generate } from "./gen-native.js";
import { writeXsFixtures, type XsFixtures } from "../tests/support/xs-fixtures.js";
import { checkXsArtifacts, type ArtifactCheck } from "../tests/support/xs-artifacts.js";

export const HOST_DIR = join(ROOT, "build", "xs-host");
export const HOST_BINARY = join(HOST_DIR, "xshost");
export const SUITES_DIR = join(ROOT, "build", "xs", "tests", "xs");
/** Where xshost finds stand-ins for Moddable modules (bare specifiers such as "timer"). */
export const SHIMS_DIR = join(SUITES_DIR, "shims");
const PROBE_WAT = join(ROOT, "tests", "native", "probe.wat");
const SUMMARY = /^(\d+) passed, (\d+) failed$/m;

function writeIfChanged(path: string, content: string | Uint8Array): void {
  if (existsSync(path) && Buffer.compare(readFileSync(path), Buffer.from(content)) === 0) return;
  writeFileSync(path, content);
}

/** Runs `fn` holding build/xs-host/.lock, so test files running in parallel do not build at once. */
function withBuildLock<T>(fn: () => T): T {
  const lock = join(HOST_DIR, ".lock");
  mkdirSync(HOST_DIR, { recursive: true });
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than ten minutes was left by a killed run.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if ((since !== undefined && Date.now() - since > 600_000) || waited > 600_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(pause, 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds build/xs-host/xshost with make (objects cached); returns its path. */
export function buildHost(): string {
  return withBuildLock(buildHostUnlocked);
}

function buildHostUnlocked(): string {
  const gen = join(HOST_DIR, "gen");
  mkdirSync(gen, { recursive: true });
  // The probe module is test-only: generated here, never committed. Unchanged files keep their
  // timestamps so make does not recompile them.
  const wasm = execFileSync("wat2wasm", [PROBE_WAT, "--output=-"]);
  writeIfChanged(join(gen, "probe.wasm"), wasm);
  for (const [file, content] of Object.entries(generate(join(gen, "probe.wasm"), "probe").files)) writeIfChanged(join(gen, file), content);
  execFileSync("make", ["-f", "tests/xs/host/Makefile", "-j2", "--no-print-directory", `OUT=${HOST_DIR}`], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return HOST_BINARY;
}

/**
 * Writes the list of modules the device preloads (manifest.json `preload`, as their build/xs
 * paths) for `runModule`'s preloadList; returns its path.
 */
export function writePreloadList(): string {
  const specifiers = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8")).preload as string[];
  const path = join(HOST_DIR, "preload.txt");
  mkdirSync(HOST_DIR, { recursive: true });
  writeIfChanged(path, specifiers.map((specifier) => join(ROOT, "build", "xs", `${specifier}.js`)).join("\n") + "\n");
  return path;
}

/** A board target's XS pools (targets/<board>/manifest.json `creation`). */
export interface Creation {
  chunk: { initial: number };
  heap: { initial: number };
  stack: number;
}

export function boardCreation(board: string): Creation {
  return JSON.parse(readFileSync(join(ROOT, "targets", board, "manifest.json"), "utf8")).creation as Creation;
}

/** `runModule`'s budget argument for a board's pools. */
export function budgetOf(creation: Creation): string {
  return [creation.heap.initial, creation.chunk.initial, creation.stack].join(",");
}

export interface XsRun {
  ok: boolean;
  passed: number;
  failed: number;
  /** Why the run failed, when it did. */
  problems: string[];
  stdout: string;
  stderr: string;
}

/**
 * Runs one module on the host and judges the run. With `preloadList` (a file of module paths, one
 * per line) those modules are preloaded first, as on the device, and `budget`
 * ("slots,chunkBytes,stackSlots") fixes the firmware machine's pools; `stackSlots` alone gives any
 * run a board's stack (tests/xs/host/host.c).
 */
export function runModule(modulePath: string, timeoutMs: number, preloadList?: string, budget?: string, stackSlots?: number): XsRun {
  const args = [
    ...(stackSlots === undefined ? [] : ["--stack", String(stackSlots)]),
    ...(preloadList === undefined ? [] : ["--preload", preloadList]),
    ...(budget === undefined ? [] : ["--budget", budget]),
    modulePath,
  ];
  const child = spawnSync(HOST_BINARY, args, {
    encoding: "utf8",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    env: { ...process.env, XSHOST_SHIMS: SHIMS_DIR },
  });
  const stdout = child.stdout ?? "";
  const stderr = child.stderr ?? "";
  const problems: string[] = [];
  if (child.error) problems.push(child.signal === "SIGKILL" ? `timed out after ${timeoutMs} ms` : String(child.error));
  else if (child.status !== 0) problems.push(`the host exited with status ${child.status}`);
  for (const line of stderr.split("\n")) if (line.startsWith("uncaught: ")) problems.push(line);
  const summary = SUMMARY.exec(stdout);
  const passed = summary ? Number(summary[1]) : 0;
  const failed = summary ? Number(summary[2]) : 0;
  if (!summary) problems.push('no "N passed, N failed" summary line');
  if (failed > 0) problems.push(`${failed} test(s) failed`);
  if (summary && passed === 0 && failed === 0) problems.push("no test ran");
  return { ok: problems.length === 0, passed, failed, problems, stdout, stderr };
}

/** Adds the Node-side artifact checks to a run: each is a test, listed after the engine's own. */
export function withArtifactChecks(run: XsRun, checks: ArtifactCheck[]): XsRun {
  const lines = checks.map((c) => (c.problem === undefined ? `ok - node: ${c.name}` : `not ok - node: ${c.name}: ${c.problem}`));
  const failed = checks.filter((c) => c.problem !== undefined);
  const problems = [...run.problems, ...failed.map((c) => `artifact check failed: ${c.name}: ${c.problem}`)];
  return {
    ...run,
    ok: problems.length === 0,
    passed: run.passed + checks.length - failed.length,
    failed: run.failed + failed.length,
    problems,
    stdout: run.stdout + lines.map((l) => l + "\n").join(""),
  };
}

/** Runs every compiled suite (build/xs/tests/xs/*.xs.js) in one host process, then checks their artifacts. */
export function runSuites(timeoutMs = 120_000): XsRun & { fixtures: XsFixtures } {
  if (!existsSync(SUITES_DIR)) throw new Error(`${SUITES_DIR} is missing: run \`npm run build\` first`);
  const suites = readdirSync(SUITES_DIR).filter((f) => f.endsWith(".xs.js")).sort();
  const fixtures = writeXsFixtures(SUITES_DIR);
  const entry = join(SUITES_DIR, "run-suites.js");
  writeFileSync(entry, `import { runSuites } from "./harness.js";\nawait runSuites(${JSON.stringify(suites.map((s) => "./" + s))});\n`);
  buildHost();
  const run = runModule(entry, timeoutMs);
  return { ...withArtifactChecks(run, checkXsArtifacts(run.stdout, fixtures)), fixtures };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const run = runSuites();
    process.stdout.write(run.stdout);
    process.stderr.write(run.stderr);
    for (const problem of run.problems) process.stderr.write(`xs-host: ${problem}\n`);
    // A failed run with no failed test (an uncaught error, a timeout) still counts as a failure.
    const failed = run.ok ? 0 : Math.max(run.failed, 1);
    process.stdout.write(`${run.passed} passed, ${failed} failed\n`);
    process.exitCode = run.ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`xs-host: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
