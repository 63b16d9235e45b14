// Without the Moddable SDK, `npm run check:device` refuses to run and names what is missing (exit 2).
// The checks against the SDK itself are in tests/sdk/ (`npm run test:sdk`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../tools/gen-native.js";

const TOOL = join(ROOT, "build", "js", "tools", "check-device.js");

function checkDevice(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [TOOL, ...args], { encoding: "utf8", env });
}

test("check:device without the SDK: exit 2, saying MODDABLE is not set or does not point at the SDK", () => {
  const env = { ...process.env };
  delete env.MODDABLE;
  const unset = checkDevice(["--all"], env);
  assert.equal(unset.status, 2);
  assert.match(unset.stderr, /MODDABLE is not set: build the Moddable SDK tools .* export MODDABLE=/);
  const wrong = checkDevice(["--board", "heltec_v3"], { ...env, MODDABLE: tmpdir() });
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /does not look like the Moddable SDK/);
});
