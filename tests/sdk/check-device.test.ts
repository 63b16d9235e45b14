// The device build against the real Moddable SDK (part of `npm run test:sdk`, not of `npm test`):
// `npm run check:device -- --all --release` for every board target (the build users flash; `--debug`
// differs only in the debugger's modules), when $MODDABLE points at built SDK tools. Without the SDK
// each test reports itself skipped with the reason; tests/check-device-refusal.test.ts checks, in
// `npm test`, that check:device then refuses to run and names what is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { boards } from "../../tools/build-device.js";
import type { BoardCheck } from "../../tools/check-device.js";
import { sdkProblems } from "../../tools/check-device.js";
import { ROOT } from "../../tools/gen-native.js";

const TOOL = join(ROOT, "build", "js", "tools", "check-device.js");
const MODDABLE = process.env.MODDABLE;
const SDK_READY = MODDABLE !== undefined && sdkProblems(process.env).length === 0;

function checkDevice(args: string[], env: NodeJS.ProcessEnv) {
  const run = spawnSync(process.execPath, [TOOL, ...args], { encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const skip = SDK_READY ? false : `the Moddable SDK is not available: ${MODDABLE ? `MODDABLE=${MODDABLE}: ${sdkProblems(process.env).join("; ")}` : "MODDABLE is not set"}`;

test(`check:device --all --release with the Moddable SDK at ${MODDABLE}: every board passes mcconfig, the type-check against the SDK's typings, tsc, xsc, xsid, the xsl preload link and mcrez, with no xsl warning from our modules`, { skip, timeout: 60 * 60_000 }, () => {
  const run = checkDevice(["--all", "--release", "--json"], process.env);
  const result = JSON.parse(run.stdout) as { ok: boolean; checks: BoardCheck[] };
  const failures = result.checks.filter((c) => !c.ok).map((c) => `${c.board} (${c.variant}): ${c.failed}\n${[...c.typeErrors, ...c.errors, ...c.ourWarnings].join("\n")}`);
  assert.deepEqual(failures, []);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual([...new Set(result.checks.map((c) => c.board))].sort(), boards());
  for (const check of result.checks) {
    const manifest = JSON.parse(readFileSync(join(ROOT, "targets", check.board, "manifest.json"), "utf8"));
    const figures = check.figures!;
    // xsl embedded the board's own creation, and the preload put our modules in flash.
    assert.equal(figures.creation.slots, manifest.creation.heap.initial, check.board);
    assert.equal(figures.creation.chunkBytes, manifest.creation.chunk.initial, check.board);
    assert.equal(figures.creation.stackSlots, manifest.creation.stack, check.board);
    assert.ok(figures.heapSlots > 10_000 && figures.scripts > 100, `${check.board}: ${figures.heapSlots} slots, ${figures.scripts} scripts preloaded`);
    assert.deepEqual(check.ourWarnings, [], check.board);
    // The classic-ESP32 T-Beam puts the XS pools in its PSRAM; the ESP32-S3 boards have none configured.
    assert.equal(check.psram, check.board === "tbeam_sx1262", check.board);
  }
});

test("the SDK's xsl still aborts on a BigInt inside a preloaded array (Moddable SDK bug: the reason for the workaround in modules/proto/json.ts and the XS host's check)", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "xsl-bigint-"));
  try {
    const bin = join(MODDABLE!, "build", "bin", process.platform === "darwin" ? "mac" : "lin", "release");
    const env = { ...process.env, PATH: [bin, process.env.PATH ?? ""].join(delimiter) };
    const modules = join(dir, "modules");
    mkdirSync(modules);
    writeFileSync(join(dir, "big.js"), "export const A = [1n];\n");
    writeFileSync(join(dir, "main.js"), 'import { A } from "big";\ntrace(A.length);\n');
    for (const name of ["big", "main"]) {
      const xsc = spawnSync("xsc", [join(dir, `${name}.js`), "-d", "-c", "-e", "-o", modules, "-r", name], { env, encoding: "utf8" });
      assert.equal(xsc.status, 0, xsc.stderr);
    }
    const link = (preload: string[]) =>
      spawnSync("xsl", ["-b", modules, "-o", dir, ...preload.flatMap((p) => ["-p", p]), "-c", "32768,0,2048,0,256,64,64,127,7,1024,17,0,main,8192", join(modules, "big.xsb"), join(modules, "main.xsb")], { env, encoding: "utf8" });
    // Not preloaded, the same module links; preloaded, xsl dies on a signal or aborts.
    assert.equal(link([]).status, 0);
    const preloaded = link(["big"]);
    assert.ok(preloaded.status !== 0 || preloaded.signal !== null, `xsl linked [1n] preloaded (status ${preloaded.status}): the upstream bug is fixed, the workaround can go`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
