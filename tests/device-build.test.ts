// The device build files: `npm run build:device` names what is missing and runs mcconfig for a
// board target; manifest.json lists every firmware and driver source directory and every native C file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { boards } from "../tools/build-device.js";
import { ROOT } from "../tools/gen-native.js";

const TOOL = join(ROOT, "build", "js", "tools", "build-device.js");
const cFiles = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(".c"));
const BOARDS = ["heltec_v3", "t3s3", "tbeam_sx1262"];

function buildDevice(args: string[], env: Record<string, string>) {
  const run = spawnSync(process.execPath, [TOOL, ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...env } });
  return { status: run.status, out: run.stdout + run.stderr };
}

test("without the Moddable SDK and ESP-IDF, build:device says exactly what is missing", () => {
  const run = buildDevice(["--board", "heltec_v3"], {});
  assert.equal(run.status, 2);
  assert.match(run.out, /MODDABLE is not set: install the Moddable SDK .* export MODDABLE=/);
  assert.match(run.out, /IDF_PATH is not set: install ESP-IDF v6\.0/);
  const unknown = buildDevice(["--board", "heltec_v2"], {});
  assert.match(unknown.out, /unknown board "heltec_v2": one of heltec_v3, t3s3, tbeam_sx1262/);
  assert.match(buildDevice([], {}).out, /--board is required/);
  const fake = buildDevice(["--board", "t3s3"], { MODDABLE: tmpdir(), IDF_PATH: tmpdir() });
  assert.match(fake.out, /does not look like the Moddable SDK/);
  assert.match(fake.out, /does not look like ESP-IDF/);
});

test("with an SDK in place, build:device runs mcconfig for the board's subplatform and passes arguments on", () => {
  const dir = mkdtempSync(join(tmpdir(), "moddable-"));
  try {
    const moddable = join(dir, "moddable");
    const idf = join(dir, "esp-idf");
    const os = process.platform === "darwin" ? "mac" : "lin";
    mkdirSync(join(moddable, "xs", "includes"), { recursive: true });
    writeFileSync(join(moddable, "xs", "includes", "xsmc.h"), "");
    const bin = join(moddable, "build", "bin", os, "release");
    mkdirSync(bin, { recursive: true });
    const record = join(dir, "args.txt");
    writeFileSync(join(bin, "mcconfig"), `#!/bin/sh\nprintf '%s\\n' "$PWD" "$@" > '${record}'\n`);
    chmodSync(join(bin, "mcconfig"), 0o755);
    mkdirSync(idf);
    writeFileSync(join(idf, "export.sh"), "");
    const run = buildDevice(["--board", "tbeam_sx1262", "-d", "ssid=lab"], { MODDABLE: moddable, IDF_PATH: idf });
    assert.equal(run.status, 0, run.out);
    const [cwd, ...args] = readFileSync(record, "utf8").trim().split("\n");
    assert.equal(cwd, ROOT);
    assert.deepEqual(args, [join(ROOT, "manifest.json"), "-m", "-p", `esp32:${join(ROOT, "targets", "tbeam_sx1262")}`, "-d", "ssid=lab"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("every board target has a manifest naming itself and a host provider", () => {
  for (const board of BOARDS) {
    const manifest = JSON.parse(readFileSync(join(ROOT, "targets", board, "manifest.json"), "utf8"));
    assert.equal(manifest.config.board, board);
    assert.equal(manifest.creation.static, 0, `${board}: ESP32 RAM is not contiguous`);
    assert.ok(readFileSync(join(ROOT, "targets", board, "host", "provider.ts"), "utf8").includes("export default device"));
  }
});

test("manifest.json lists every firmware and driver source directory and every native C file", () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8"));
  const modules = manifest.modules as Record<string, string | string[]>;
  // A manifest wildcard takes the files of one directory, so every directory with sources needs its own entry.
  const sourceDirs = (dir: string): string[] => {
    const entries = readdirSync(join(ROOT, dir), { withFileTypes: true });
    const own = entries.some((e) => e.isFile() && e.name.endsWith(".ts")) ? [dir] : [];
    return own.concat(...entries.filter((e) => e.isDirectory()).map((e) => sourceDirs(`${dir}/${e.name}`)));
  };
  for (const dir of [...sourceDirs("drivers"), ...sourceDirs("modules")]) {
    assert.equal(modules[`${dir}/*`], `./${dir}/*`, `add "${dir}/*" to manifest.json`);
  }
  // native/*.c is the ESP32 build's C: the core for every platform, the chip helpers in "esp32/*".
  const esp32 = [...(modules["*"] as string[]), ...manifest.platforms["esp32/*"].modules["*"]];
  for (const file of cFiles("native")) assert.ok(esp32.includes(`./native/${file.slice(0, -2)}`), `add ./native/${file.slice(0, -2)} to manifest.json`);
  assert.deepEqual(manifest.typescript.tsconfig.compilerOptions.lib, ["es2022"]);
});

test("the Moddable simulator's build (lin) lists its C and defines every host function the ESP32 chip helpers define", () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8"));
  const lin = manifest.platforms.lin;
  assert.equal(lin.include, "./targets/sim/manifest.json");
  for (const file of cFiles("native/lin")) assert.ok(lin.modules["*"].includes(`./native/lin/${file.slice(0, -2)}`), `add ./native/lin/${file.slice(0, -2)} to manifest.json's "lin" section`);
  const sim = JSON.parse(readFileSync(join(ROOT, "targets", "sim", "manifest.json"), "utf8"));
  for (const file of cFiles("targets/sim/native")) assert.ok(sim.modules["*"].includes(`./native/${file.slice(0, -2)}`), `add ./native/${file.slice(0, -2)} to targets/sim/manifest.json`);
  // The lin build replaces the ESP32-only helpers (they include ESP-IDF headers): same host functions, desktop C.
  const defined = (paths: string[]) => new Set(paths.flatMap((p) => [...readFileSync(join(ROOT, `${p}.c`), "utf8").matchAll(/^void (xs_\w+)\(xsMachine\* the\)/gm)].map((m) => m[1])));
  const esp32Only = defined((manifest.platforms["esp32/*"].modules["*"] as string[]).map((m) => m.slice(2)));
  const desktop = defined([...lin.modules["*"].map((m: string) => m.slice(2)), ...sim.modules["*"].map((m: string) => `targets/sim/${m.slice(2)}`)]);
  assert.ok(esp32Only.size >= 8, `found the ESP32 helpers' host functions: ${[...esp32Only].join(", ")}`);
  for (const name of esp32Only) assert.ok(desktop.has(name), `${name} has no Linux definition for the Moddable simulator`);
  assert.ok(!boards().includes("sim"), "targets/sim is not an ESP32 board");
});

test("the manifest preloads every module main.ts imports (and so everything they import), never main itself", () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8"));
  const main = readFileSync(join(ROOT, "main.ts"), "utf8");
  // Value imports of our own modules; type-only imports leave nothing to preload.
  const imported = [...main.matchAll(/^import (?!type )[^;]*? from "\.\/([^"]+)\.js";/gm)].map((m) => m[1]);
  assert.ok(imported.length > 5, "main.ts imports were found");
  assert.deepEqual([...(manifest.preload as string[])].sort(), imported.sort());
  // mcconfig matches TypeScript modules in `preload` by exact specifier only (its wildcards cover .js).
  for (const specifier of manifest.preload as string[]) assert.ok(!specifier.includes("*") && specifier !== "main", specifier);
});
