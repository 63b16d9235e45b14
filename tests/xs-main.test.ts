// main.ts boots on the XS engine: the device's entry module with the native core, the device host
// provider and the identity code, over the test host's stand-ins for the Moddable modules. The
// gateway identity it reports is checked with @noble/curves, @helium/address and angry-purple-tiger.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ed25519 } from "@noble/curves/ed25519.js";
import { ROOT } from "../tools/gen-native.js";
import { SHIMS_DIR, buildHost, runModule } from "../tools/xs-host.js";

const require = createRequire(import.meta.url);
const Address = (require("@helium/address") as { default: new (v: number, net: number, key: number, pk: Uint8Array) => { b58: string } }).default;
const animal = require("angry-purple-tiger") as (address: string, options?: object) => string;
const MAIN = join(ROOT, "build", "xs", "main.js");
const KEY_VALUE_SHIM = join(SHIMS_DIR, "embedded", "storage", "key-value.js");

/** Boots main.js on xshost with the key-value store seeded as given; returns the output and the stored key. */
function boot(seed: Record<string, string>): { stdout: string; storedKey: string } {
  const dir = mkdtempSync(join(tmpdir(), "xs-main-"));
  try {
    const entry = join(dir, "boot.js");
    writeFileSync(
      entry,
      `globalThis.__kvSeed = ${JSON.stringify({ hotspot: seed })};
       await import(${JSON.stringify(MAIN)});
       const { default: KeyValue } = await import(${JSON.stringify(KEY_VALUE_SHIM)});
       const key = KeyValue.open({ path: "hotspot" }).read("gateway_key");
       print("stored", key === undefined ? "none" : Array.from(new Uint8Array(key), (b) => b.toString(16).padStart(2, "0")).join(""));
       print("1 passed, 0 failed");`,
    );
    const run = runModule(entry, 30_000);
    assert.ok(run.ok, `${run.problems.join("; ")}\n${run.stdout}\n${run.stderr}`);
    return { stdout: run.stdout, storedKey: /^stored (\w+)$/m.exec(run.stdout)![1] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function expectedIdentity(seed: Uint8Array) {
  const publicKey = ed25519.getPublicKey(seed);
  const address = new Address(0, 0, 1, publicKey).b58;
  return { publicKey, address, name: animal(address, { style: "lowercase", separator: "-" }) };
}

test("main.ts on XS: an existing gateway key is loaded and its address and animal name are logged", () => {
  buildHost();
  const seed = new Uint8Array(randomBytes(32));
  const { publicKey, address, name } = expectedIdentity(seed);
  const file = Buffer.concat([Buffer.of(0x01), seed, publicKey]).toString("hex"); // gateway-rs keypair file
  const { stdout, storedKey } = boot({ gateway_key: file });
  assert.match(stdout, new RegExp(`^info main: XS test host: gateway ${address} \\(${name}\\)$`, "m"));
  assert.doesNotMatch(stdout, /created a new gateway key/);
  assert.equal(storedKey, file, "the stored key is untouched");
});

test("main.ts on XS: the first boot creates a key from the hardware RNG and stores it", () => {
  buildHost();
  const { stdout, storedKey } = boot({});
  assert.match(stdout, /^info identity: created a new gateway key from the hardware random number generator$/m);
  const file = Buffer.from(storedKey, "hex");
  assert.equal(file.length, 65);
  assert.equal(file[0], 0x01, "mainnet ed25519 tag");
  const { publicKey, address, name } = expectedIdentity(file.subarray(1, 33));
  assert.deepEqual(new Uint8Array(file.subarray(33)), publicKey);
  assert.match(stdout, new RegExp(`^info main: XS test host: gateway ${address} \\(${name}\\)$`, "m"));
});
