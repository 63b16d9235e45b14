#!/usr/bin/env node
// The `hotspot` command: runs the compiled CLI (build/js/cli/hotspot.js), or says how to build it.
import { existsSync } from "node:fs";

const cli = new URL("../build/js/cli/hotspot.js", import.meta.url);
const core = new URL("../build/core.wasm", import.meta.url);
if (!existsSync(cli) || !existsSync(core)) {
  process.stderr.write("hotspot: the build is missing; run `npm run build` in the project folder first\n");
  process.exitCode = 1;
} else {
  const { main } = await import(cli.href);
  process.exitCode = await main(process.argv.slice(2));
}
