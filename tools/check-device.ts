// `npm run check:device -- --board NAME | --all [--release | --debug] [--json] [--keep]`: runs, for a
// board target, every stage of the Moddable SDK's ESP32 build that does not need ESP-IDF, in a fresh
// build folder (so no .js left by an earlier run can hide a type error):
//   1. mcconfig (no -m): the manifests, the generated makefile and tsconfig, the merged sdkconfig;
//   2. a type-check of main.ts, device/ and the board's host provider against the SDK's typings
//      (the tsconfig mcconfig generated, with every error listed at once);
//   3. the SDK's own makefile rules for mc.xs.c and mc.resources.c: tsc per module, xsc, xsid, the
//      xsl preload link and mcrez. ESP-IDF is only needed by rules this does not ask for; the
//      makefile refuses to load without IDF_PATH and IDF_VERSION, so it gets an empty folder and the
//      version mcconfig expects, and SDKCONFIG_H (the header ESP-IDF would generate) is emptied.
// It fails on any error, and on xsl "not frozen" / "no const" warnings from our modules (each one is
// a table copied into RAM at run time). It prints xsl's own figures from the mc.xs.c it wrote.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { boards } from "./build-device.js";
import { ROOT } from "./gen-native.js";

export type Variant = "release" | "debug";

/** What xsl wrote into mc.xs.c (`#define mx...Count` and the creation in gxPreparation). */
export interface XslFigures {
  /** Slots of the preloaded heap, in flash (mxHeapCount). */
  heapSlots: number;
  /** Keys the preload created (mxKeysCount), in flash. */
  keys: number;
  /** Run-time copies of preloaded objects and closures: one RAM pointer each (mxAliasCount). */
  aliases: number;
  names: number;
  symbols: number;
  scripts: number;
  /** 32-bit words of preloaded BigInt data (mxBigIntCount). */
  bigIntWords: number;
  /** The creation the device runs with, as xsl embedded it. */
  creation: {
    chunkBytes: number;
    chunkIncrement: number;
    slots: number;
    slotIncrement: number;
    stackSlots: number;
    keys: number;
    keyIncrement: number;
    nameModulo: number;
    symbolModulo: number;
    staticBytes: number;
    nativeStackBytes: number;
  };
}

export interface BoardCheck {
  board: string;
  variant: Variant;
  ok: boolean;
  /** The stage that failed, if one did. */
  failed?: "mcconfig" | "type-check" | "sdk-stages" | "xsl-warnings";
  typeErrors: string[];
  /** xsl's "### warning ...: not frozen" and "no const" lines, and the ones coming from our modules. */
  xslWarnings: string[];
  ourWarnings: string[];
  /** Other error lines from the SDK stages (tsc, xsc, xsl, mcrez, make). */
  errors: string[];
  /** xsl's own summary line ("### N instances, N keys, N colors, N holes"). */
  xslSummary?: string;
  figures?: XslFigures;
  /** The SPIRAM options of the sdkconfig mcconfig merged for the board; `psram` when CONFIG_SPIRAM=y. */
  sdkconfig: Record<string, string>;
  psram: boolean;
  buildDir: string;
}

/** Our sources as xsl names the modules it preloads (the SDK's own modules have other names). */
const OUR_MODULE = /^### (?:warning|error): (?:modules|drivers|device|targets|main)\b/;

function toolPath(env: NodeJS.ProcessEnv): string {
  const moddableBin = join(env.MODDABLE ?? "", "build", "bin", process.platform === "darwin" ? "mac" : "lin", "release");
  // The SDK's tsc stage runs `tsc` from PATH: ours (node_modules/.bin) is the one npm installed.
  return [moddableBin, join(ROOT, "node_modules", ".bin"), env.PATH ?? ""].join(delimiter);
}

/** The reasons check:device cannot run here, or an empty list. */
export function sdkProblems(env: NodeJS.ProcessEnv): string[] {
  const moddable = env.MODDABLE;
  if (!moddable) {
    return [
      "MODDABLE is not set: build the Moddable SDK tools (github.com/Moddable-OpenSource/moddable, " +
        '"Moddable SDK - Getting Started.md") and export MODDABLE=/path/to/moddable',
    ];
  }
  const problems: string[] = [];
  if (!existsSync(join(moddable, "typings", "embedded_io", "socket", "tcp.d.ts"))) problems.push(`MODDABLE=${moddable} does not look like the Moddable SDK (no typings/embedded_io/socket/tcp.d.ts)`);
  const bin = join(moddable, "build", "bin", process.platform === "darwin" ? "mac" : "lin", "release");
  for (const tool of ["mcconfig", "xsc", "xsl", "xsid", "mcrez"]) {
    if (!existsSync(join(bin, tool))) problems.push(`${tool} not found in ${bin}: build the SDK tools (cd $MODDABLE/build/makefiles/lin && make)`);
  }
  if (!existsSync(join(ROOT, "node_modules", ".bin", "tsc"))) problems.push("TypeScript's tsc not found in node_modules/.bin: run npm install");
  return problems;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): { status: number; out: string } {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { status: result.status ?? 1, out: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}` };
}

/** The folder mcconfig generated the makefile in: <out>/tmp/esp32/<board>/<variant>/<project>/. */
function sdkTmpDir(out: string, board: string, variant: Variant): string {
  const base = join(out, "tmp", "esp32", board, variant);
  const dirs = readdirSync(base, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(base, d.name, "makefile")));
  if (dirs.length !== 1) throw new Error(`expected one generated makefile under ${base}`);
  return join(base, dirs[0].name);
}

/** Reads xsl's figures out of the mc.xs.c it wrote. */
export function parseXslOutput(mcXsC: string): XslFigures {
  const define = (name: string, fallback?: number): number => {
    const m = mcXsC.match(new RegExp(`^#define ${name} (\\d+)$`, "m"));
    if (m) return Number(m[1]);
    if (fallback !== undefined) return fallback;
    throw new Error(`mc.xs.c has no ${name}`);
  };
  // gxPreparation: "{ chunk, chunkIncrement, slots, slotIncrement, stack, keys, keyIncrement,
  // nameModulo, symbolModulo, parserBuffer, parserTableModulo, static, nativeStack}," then "main".
  const c = mcXsC.match(/\{ (\d+), (\d+), (\d+), (\d+), (\d+), (\d+), (\d+), (\d+), (\d+), (\d+), (\d+), (\d+), (\d+)\},\n\t"[^"]*",/);
  if (!c) throw new Error("mc.xs.c has no creation in gxPreparation");
  const n = c.slice(1).map(Number);
  return {
    heapSlots: define("mxHeapCount"),
    keys: define("mxKeysCount"),
    aliases: define("mxAliasCount"),
    names: define("mxNamesCount"),
    symbols: define("mxSymbolsCount"),
    scripts: define("mxScriptsCount"),
    bigIntWords: define("mxBigIntCount", 0),
    creation: {
      chunkBytes: n[0],
      chunkIncrement: n[1],
      slots: n[2],
      slotIncrement: n[3],
      stackSlots: n[4],
      keys: n[5],
      keyIncrement: n[6],
      nameModulo: n[7],
      symbolModulo: n[8],
      staticBytes: n[11],
      nativeStackBytes: n[12],
    },
  };
}

/** Error lines of the SDK stages' output: tsc, xsc/xsl ("### "), mcrez, make. */
export function errorLines(output: string): string[] {
  return output
    .split("\n")
    .filter((line) => /error TS\d+|: error[: ]|^### (?!warning|\d+ instances)|^make: \*\*\*|typescript compile failure|: not found$|Segmentation fault|Aborted|invalid pointer/.test(line));
}

/** The SPIRAM options of the sdkconfig mcconfig merged for the board (where the XS pools go). */
function spiramOptions(tmp: string): Record<string, string> {
  const makefile = readFileSync(join(tmp, "makefile"), "utf8");
  const file = makefile.match(/^SDKCONFIG_FILE=(.*)$/m)?.[1];
  if (!file || !existsSync(file)) return {};
  const options: Record<string, string> = {};
  for (const m of readFileSync(file, "utf8").matchAll(/^(CONFIG_SPIRAM[A-Z_]*)=(.*)$/gm)) options[m[1]] = m[2];
  return options;
}

/** Runs every ESP-IDF-free SDK stage for one board in a fresh folder. */
export function checkBoard(board: string, variant: Variant, env: NodeJS.ProcessEnv, log: (line: string) => void): BoardCheck {
  const out = mkdtempSync(join(tmpdir(), `check-device-${board}-${variant}-`));
  const toolEnv = { ...env, PATH: toolPath(env) };
  const result: BoardCheck = { board, variant, ok: false, typeErrors: [], xslWarnings: [], ourWarnings: [], errors: [], sdkconfig: {}, psram: false, buildDir: out };

  log(`${board} (${variant}): mcconfig`);
  const mcconfigArgs = [join(ROOT, "manifest.json"), ...(variant === "debug" ? ["-d"] : []), "-p", `esp32:${join(ROOT, "targets", board)}`, "-o", out];
  const mcconfig = run("mcconfig", mcconfigArgs, toolEnv);
  writeFileSync(join(out, "mcconfig.log"), mcconfig.out);
  if (mcconfig.status !== 0) {
    result.failed = "mcconfig";
    result.errors = mcconfig.out.split("\n").filter((l) => l.trim() !== "");
    return result;
  }
  const tmp = sdkTmpDir(out, board, variant);
  result.sdkconfig = spiramOptions(tmp);
  result.psram = result.sdkconfig.CONFIG_SPIRAM === "y";

  log(`${board} (${variant}): type-check against $MODDABLE/typings`);
  const deviceSources = readdirSync(join(ROOT, "device")).filter((f) => f.endsWith(".ts")).map((f) => join(ROOT, "device", f));
  const tsconfig = join(out, "tsconfig.check.json");
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(tmp, "modules", "tsconfig-base.json"),
      compilerOptions: { noEmit: true, sourceMap: false },
      files: [join(ROOT, "main.ts"), ...deviceSources, join(ROOT, "targets", board, "host", "provider.ts"), join(ROOT, "targets", "board.ts")],
    }),
  );
  const tsc = run("tsc", ["-p", tsconfig, "--pretty", "false"], toolEnv);
  result.typeErrors = tsc.out.split("\n").filter((l) => /error TS\d+/.test(l));
  if (tsc.status !== 0) {
    result.failed = "type-check";
    if (result.typeErrors.length === 0) result.typeErrors = [tsc.out.trim()];
    return result;
  }

  log(`${board} (${variant}): SDK stages (tsc, xsc, xsid, xsl, mcrez)`);
  const noIdf = join(out, "no-esp-idf");
  mkdirSync(noIdf);
  const make = run(
    "make",
    ["-f", join(tmp, "makefile"), `IDF_PATH=${noIdf}`, "IDF_VERSION=v6.0", "SDKCONFIG_H=", join(tmp, "mc.xs.c"), join(tmp, "mc.resources.c")],
    toolEnv,
    tmp,
  );
  writeFileSync(join(out, "make.log"), make.out);
  const lines = make.out.split("\n");
  result.xslSummary = lines.find((l) => /^### \d+ instances/.test(l));
  result.xslWarnings = lines.filter((l) => /^### warning/.test(l));
  result.ourWarnings = result.xslWarnings.filter((l) => OUR_MODULE.test(l));
  result.errors = errorLines(make.out);
  if (make.status !== 0 || result.errors.length > 0 || !existsSync(join(tmp, "mc.xs.c"))) {
    result.failed = "sdk-stages";
    if (result.errors.length === 0) result.errors = [`make exited with ${make.status} (${join(out, "make.log")})`];
    return result;
  }
  result.figures = parseXslOutput(readFileSync(join(tmp, "mc.xs.c"), "utf8"));
  if (result.ourWarnings.length > 0) {
    result.failed = "xsl-warnings";
    return result;
  }
  result.ok = true;
  return result;
}

function report(check: BoardCheck): string {
  const lines = [`${check.ok ? "PASS" : "FAIL"} ${check.board} (${check.variant})${check.failed ? `: ${check.failed} failed` : ""}`];
  for (const e of check.typeErrors) lines.push(`  ${e}`);
  for (const e of check.errors) lines.push(`  ${e}`);
  for (const w of check.ourWarnings) lines.push(`  ${w}`);
  if (check.xslSummary) lines.push(`  xsl: ${check.xslSummary.replace(/^### /, "")}`);
  const f = check.figures;
  if (f) {
    const c = f.creation;
    lines.push(
      `  xsl preload (flash): ${f.heapSlots} slots, ${f.keys} keys, ${f.names} names, ${f.symbols} symbols, ${f.scripts} scripts, ${f.bigIntWords} BigInt words`,
      `  aliases (RAM pointers for preloaded objects that may change): ${f.aliases}`,
      `  "not frozen"/"no const" warnings: ${check.xslWarnings.length} (${check.ourWarnings.length} from our modules)`,
      `  creation: ${c.slots} slots (+${c.slotIncrement}), ${c.chunkBytes} chunk bytes (+${c.chunkIncrement}), ${c.stackSlots} stack slots, ` +
        `${c.keys} keys (+${c.keyIncrement}), name modulo ${c.nameModulo}, symbol modulo ${c.symbolModulo}, static ${c.staticBytes}, native stack ${c.nativeStackBytes}`,
    );
  }
  const limit = check.sdkconfig.CONFIG_SPIRAM_MALLOC_ALWAYSINTERNAL;
  lines.push(
    check.psram && check.sdkconfig.CONFIG_SPIRAM_USE_MALLOC === "y"
      ? `  XS pools: PSRAM (sdkconfig CONFIG_SPIRAM=y, CONFIG_SPIRAM_USE_MALLOC=y: malloc above ${limit ?? "16384"} bytes is served from PSRAM)`
      : `  XS pools: internal RAM (sdkconfig: ${check.psram ? "CONFIG_SPIRAM=y without CONFIG_SPIRAM_USE_MALLOC" : "CONFIG_SPIRAM not set"})`,
  );
  lines.push(`  build folder: ${check.buildDir}`);
  return lines.join("\n");
}

function usage(): string {
  return "usage: npm run check:device -- --board NAME | --all [--release | --debug] [--json] [--keep]\n";
}

function main(argv: string[]): number {
  const known = boards();
  const at = argv.indexOf("--board");
  const selected = argv.includes("--all") ? known : at >= 0 && argv[at + 1] ? [argv[at + 1]] : [];
  const unknownFlag = argv.find((a, i) => a.startsWith("--") && !["--board", "--all", "--release", "--debug", "--json", "--keep"].includes(a) && argv[i - 1] !== "--board");
  if (selected.length === 0 || unknownFlag !== undefined) {
    process.stderr.write(`check:device: ${unknownFlag ? `unknown flag ${unknownFlag}` : "--board NAME or --all is required"}\n${usage()}`);
    return 2;
  }
  const unknown = selected.filter((b) => !known.includes(b));
  if (unknown.length) {
    process.stderr.write(`check:device: unknown board "${unknown[0]}": one of ${known.join(", ")}\n`);
    return 2;
  }
  const problems = sdkProblems(process.env);
  if (problems.length) {
    process.stderr.write(`check:device: cannot run the Moddable SDK stages:\n${problems.map((p) => `  - ${p}\n`).join("")}`);
    return 2;
  }
  // The build users make (`npm run build:device`) is a release build; `-d` builds add the debugger.
  const variants: Variant[] = argv.includes("--release") ? ["release"] : argv.includes("--debug") ? ["debug"] : ["release", "debug"];
  const json = argv.includes("--json");
  const log = (line: string) => process.stderr.write(`check:device: ${line}\n`);
  const checks: BoardCheck[] = [];
  for (const board of selected) {
    for (const variant of variants) {
      const check = checkBoard(board, variant, process.env, log);
      checks.push(check);
      if (!json) process.stdout.write(`${report(check)}\n`);
      if (check.ok && !argv.includes("--keep")) rmSync(check.buildDir, { recursive: true, force: true });
    }
  }
  if (json) process.stdout.write(`${JSON.stringify({ ok: checks.every((c) => c.ok), checks })}\n`);
  return checks.every((c) => c.ok) ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
