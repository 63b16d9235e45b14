// modules/ and drivers/ run on every platform (device, Node, XS test host), so they import only each
// other by relative path: a Moddable or Node module name there would build for one platform only.
// (The XS build resolves Moddable names to shims, so only this test would notice.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "../tools/gen-native.js";

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith(".ts") ? [path] : [];
  });
}

test("modules/ and drivers/ import only relative paths", () => {
  const files = [...sources(join(ROOT, "modules")), ...sources(join(ROOT, "drivers"))];
  assert.ok(files.length > 10, "the scan finds the sources");
  const offending: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const [, specifier] of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+["']([^"']+)["']/g))
      if (!specifier.startsWith(".")) offending.push(`${relative(ROOT, file)}: "${specifier}"`);
    for (const [, specifier] of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g))
      if (!specifier.startsWith(".")) offending.push(`${relative(ROOT, file)}: import("${specifier}")`);
  }
  assert.deepEqual(offending, []);
});
