// Builds the firmware for the Moddable simulator: mcconfig from the SDK in $MODDABLE, for its Linux
// desktop platform (`-p lin`, which takes targets/sim through manifest.json's "lin" section), into
// build/moddable/ of this repository (never into $MODDABLE). The result is the mc.so that mcsim loads.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { basename, delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const MODDABLE_OUTPUT = join(ROOT, "build", "moddable");

export interface ModdableTools {
  moddable: string;
  mcconfig: string;
  mcsim: string;
}

/** The SDK's tools, or what is missing, in words. */
export function findModdableTools(env: NodeJS.ProcessEnv): { tools?: ModdableTools; problems: string[] } {
  const problems: string[] = [];
  if (process.platform !== "linux") problems.push(`--moddable runs the firmware in the SDK's Linux simulator; this is ${process.platform}`);
  const moddable = env.MODDABLE;
  if (!moddable) {
    problems.push("MODDABLE is not set: build the Moddable SDK's tools (its Getting Started guide, Linux section) and export MODDABLE=/path/to/moddable");
    return { problems };
  }
  const bin = join(moddable, "build", "bin", "lin", "release");
  const mcconfig = join(bin, "mcconfig");
  const mcsim = join(bin, "mcsim");
  for (const [tool, path] of [["mcconfig", mcconfig], ["mcsim", mcsim]]) {
    if (!existsSync(path)) problems.push(`${tool} not found at ${path}: build the SDK's tools with "cd $MODDABLE/build/makefiles/lin && make"`);
  }
  if (!existsSync(join(ROOT, "node_modules", ".bin", "tsc"))) problems.push("node_modules/.bin/tsc is missing: run npm install");
  return problems.length > 0 ? { problems } : { tools: { moddable, mcconfig, mcsim }, problems };
}

/**
 * Runs mcconfig (make is incremental, so a second build only redoes what changed); resolves with
 * mc.so's path, or rejects with mcconfig's last lines. By default it builds the firmware (this
 * repository's manifest.json) into build/moddable.
 */
export function buildForSimulator(tools: ModdableTools, manifest = join(ROOT, "manifest.json"), output = MODDABLE_OUTPUT): Promise<string> {
  mkdirSync(output, { recursive: true });
  const args = ["-m", "-p", "lin", "-o", output, manifest];
  const env = {
    ...process.env,
    MODDABLE: tools.moddable,
    // mcconfig's TypeScript stage runs `tsc`: this repository's, and the SDK's tools (xsc, xsl, mcrez).
    PATH: [join(ROOT, "node_modules", ".bin"), join(tools.moddable, "build", "bin", "lin", "release"), process.env.PATH ?? ""].join(delimiter),
  };
  return new Promise((resolvePath, reject) => {
    const child = spawn(tools.mcconfig, args, { cwd: dirname(manifest), env, stdio: ["ignore", "pipe", "pipe"] });
    const tail: string[] = [];
    const take = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) {
        if (line === "") continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`mcconfig ${args.join(" ")} failed (exit ${code}):\n${tail.join("\n")}`));
      const project = basename(dirname(manifest));
      const library = findLibrary(join(output, "bin"), project);
      if (library === undefined) return reject(new Error(`mcconfig succeeded but no mc.so for "${project}" is under ${output}/bin`));
      resolvePath(library);
    });
  });
}

/** mcconfig puts the library in bin/lin/<...>/<project directory name>/mc.so. */
function findLibrary(dir: string, project: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) continue;
    if (entry === project && existsSync(join(path, "mc.so"))) return join(path, "mc.so");
    const found = findLibrary(path, project);
    if (found !== undefined) return found;
  }
  return undefined;
}
