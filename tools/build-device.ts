// `npm run build:device -- --board heltec_v3 [mcconfig arguments...]`: builds (and with -d/-m, flashes)
// the firmware with the Moddable SDK's mcconfig for one of the board targets in targets/. It checks
// what a device build needs and names precisely what is missing; extra arguments (e.g. -d, -t deploy,
// ssid=... password=...) go to mcconfig unchanged. `--dry-run` prints the command instead of running it.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "./gen-native.js";

export const TARGETS_DIR = join(ROOT, "targets");

/** targets/sim is the Moddable simulator's desktop target (npm start -- --moddable), not an ESP32 board. */
const DESKTOP_TARGET = "sim";

export function boards(): string[] {
  return readdirSync(TARGETS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== DESKTOP_TARGET && existsSync(join(TARGETS_DIR, d.name, "manifest.json")))
    .map((d) => d.name)
    .sort();
}

export interface DevicePlan {
  command: string;
  args: string[];
}

/** What `mcconfig` to run for `argv`, or the list of problems that prevent a device build. */
export function planDeviceBuild(argv: string[], env: NodeJS.ProcessEnv): { plan?: DevicePlan; problems: string[] } {
  const problems: string[] = [];
  const rest = argv.filter((a) => a !== "--dry-run");
  const at = rest.indexOf("--board");
  const board = at >= 0 ? rest[at + 1] : undefined;
  const passThrough = at >= 0 ? [...rest.slice(0, at), ...rest.slice(at + 2)] : rest;
  const known = boards();
  if (board === undefined) problems.push(`--board is required: one of ${known.join(", ")}`);
  else if (!known.includes(board)) problems.push(`unknown board "${board}": one of ${known.join(", ")} (targets/<board>/manifest.json)`);

  const moddable = env.MODDABLE;
  let mcconfig: string | undefined;
  if (!moddable) {
    problems.push(
      "MODDABLE is not set: install the Moddable SDK (github.com/Moddable-OpenSource/moddable, " +
        '"Moddable SDK - Getting Started.md", Linux or macOS section) and export MODDABLE=/path/to/moddable',
    );
  } else if (!existsSync(join(moddable, "xs", "includes", "xsmc.h"))) {
    problems.push(`MODDABLE=${moddable} does not look like the Moddable SDK (no xs/includes/xsmc.h there)`);
  } else {
    const os = process.platform === "darwin" ? "mac" : "lin";
    const built = join(moddable, "build", "bin", os, "release", "mcconfig");
    const onPath = (env.PATH ?? "").split(delimiter).map((d) => join(d, "mcconfig")).find((p) => existsSync(p));
    mcconfig = existsSync(built) ? built : onPath;
    if (!mcconfig) problems.push(`mcconfig not found (expected ${built}): build the SDK tools with "cd $MODDABLE/build/makefiles/${os} && make"`);
  }
  if (!env.IDF_PATH) {
    problems.push("IDF_PATH is not set: install ESP-IDF v6.0 (the version this Moddable SDK expects) and run `source $IDF_PATH/export.sh`");
  } else if (!existsSync(join(env.IDF_PATH, "export.sh"))) {
    problems.push(`IDF_PATH=${env.IDF_PATH} does not look like ESP-IDF (no export.sh there)`);
  }
  if (problems.length || !mcconfig || !board) return { problems };
  const args = [join(ROOT, "manifest.json"), "-m", "-p", `esp32:${join(TARGETS_DIR, board)}`, ...passThrough];
  return { plan: { command: mcconfig, args }, problems };
}

function main(argv: string[]): number {
  const { plan, problems } = planDeviceBuild(argv, process.env);
  if (!plan) {
    process.stderr.write(`build:device: cannot build the firmware:\n${problems.map((p) => `  - ${p}\n`).join("")}`);
    return 2;
  }
  const line = [plan.command, ...plan.args].join(" ");
  if (argv.includes("--dry-run")) {
    process.stdout.write(`${line}\n`);
    return 0;
  }
  process.stdout.write(`build:device: ${line}\n`);
  const run = spawnSync(plan.command, plan.args, { cwd: ROOT, stdio: "inherit" });
  return run.status ?? 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
