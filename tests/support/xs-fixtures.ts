// Expected values for the XS core suite (tests/xs/core.xs.ts), computed here in Node by the same
// independent implementations the wasm build is checked against (node:crypto, @noble/curves,
// @noble/ciphers, bs58, bs58check, @helium/address). XS has none of them, so the runner writes
// fresh random cases as a module (build/xs/tests/xs/fixtures/core-oracle.js) before each run.
import { createHash, randomBytes, randomInt } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ed25519 } from "@noble/curves/ed25519.js";
import { chacha12, chacha20 } from "@noble/ciphers/chacha.js";
import bs58 from "bs58";
import bs58check from "bs58check";
import type { CoreOracle } from "../xs/fixtures/core-oracle.js";

interface AddressStatic {
  new (version: number, netType: number, keyType: number, publicKey: Uint8Array): { b58: string; bin: Uint8Array };
}
const require = createRequire(import.meta.url);
const Address = (require("@helium/address") as { default: AddressStatic }).default;

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const rand = (n: number) => new Uint8Array(randomBytes(n));

export function coreOracle(): CoreOracle {
  // Sizes around SHA block edges and past the 16 KiB scratch region (streamed in chunks).
  const hashes = [0, 1, 55, 56, 64, 111, 112, 128, 1000, 16_352, 16_400, 40_000].map((size) => {
    const data = rand(size);
    const digest = (algorithm: string) => createHash(algorithm).update(data).digest("hex");
    // The Core's md5 is one-shot (inputs up to the scratch region only).
    return { data: hex(data), sha256: digest("sha256"), sha512: digest("sha512"), md5: size <= 16_000 ? digest("md5") : undefined };
  });
  const ed25519Cases = Array.from({ length: 8 }, (_, i) => {
    const seed = rand(32);
    const message = rand(i === 0 ? 0 : randomInt(1, i === 1 ? 5000 : 200));
    const signature = ed25519.sign(message, seed);
    const tampered = signature.slice();
    tampered[randomInt(0, 64)] ^= 1 << randomInt(0, 8);
    const publicKey = ed25519.getPublicKey(seed);
    return {
      seed: hex(seed),
      message: hex(message),
      publicKey: hex(publicKey),
      signature: hex(signature),
      tampered: hex(tampered),
      tamperedValid: ed25519.verify(tampered, message, publicKey),
    };
  });
  const nonce = new Uint8Array(12);
  const chacha = ([12, 20] as const).flatMap((rounds) =>
    [1, 16, 33].map((words) => {
      const seed = rand(32);
      const stream = (rounds === 12 ? chacha12 : chacha20)(seed, nonce, new Uint8Array(4 * words));
      return { rounds, seed: hex(seed), words, stream: hex(stream) };
    }),
  );
  const base58 = Array.from({ length: 10 }, (_, i) => {
    const bytes = new Uint8Array([...new Uint8Array(i % 3), ...rand(randomInt(0, 40))]); // leading zeros too
    return { bytes: hex(bytes), b58: bs58.encode(bytes), b58check: bs58check.encode(bytes) };
  });
  const addresses = [0x00, 0x10].flatMap((netType) =>
    Array.from({ length: 3 }, () => {
      const address = new Address(0, netType, 1, rand(32));
      return { keyBin: hex(new Uint8Array(address.bin)), address: address.b58 };
    }),
  );
  return { hashes, ed25519: ed25519Cases, chacha, base58, addresses };
}

/** Writes the fixture modules the XS suites import from ./fixtures/ into `suitesDir`. */
export function writeXsFixtures(suitesDir: string): void {
  const dir = join(suitesDir, "fixtures");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "core-oracle.js"), `export default ${JSON.stringify(coreOracle())};\n`);
}
