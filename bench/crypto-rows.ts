// Benchmark rows for the core's crypto: Ed25519 sign/verify of a 120-byte message and SHA-256
// of 1 MiB, each against @noble and node:crypto. "ours" includes copying inputs into the core's
// scratch region and outputs back out, as a binding would.
import crypto from "node:crypto";
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import type { RawCore } from "../tests/support/raw-core.js";
import type { BenchRow } from "./run.js";

export function cryptoRows(core: RawCore): BenchRow[] {
  const call = (name: string, ...args: number[]): number => Number(core.exports[name](...args));
  const s = core.scratch;
  const seed = new Uint8Array(crypto.randomBytes(32));
  const msg = new Uint8Array(crypto.randomBytes(120));
  const pub = ed25519.getPublicKey(seed);
  const sig = ed25519.sign(msg, seed);
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const privateKey = crypto.createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  const publicKey = crypto.createPublicKey(privateKey);
  const mib = new Uint8Array(crypto.randomBytes(1 << 20));
  const chunk = core.scratchSize;

  return [
    {
      name: "ed25519 sign (120 B)",
      ours: () => {
        core.put(seed, 0);
        core.put(msg, 64);
        call("ed25519_sign", s, s + 64, msg.length, s + 256);
        core.get(s + 256, 64);
      },
      noble: () => ed25519.sign(msg, seed),
      native: () => crypto.sign(null, msg, privateKey),
    },
    {
      name: "ed25519 verify (120 B)",
      ours: () => {
        core.put(pub, 0);
        core.put(sig, 32);
        core.put(msg, 96);
        if (call("ed25519_verify", s, s + 96, msg.length, s + 32) !== 1) throw new Error("core rejected a valid signature");
      },
      noble: () => ed25519.verify(sig, msg, pub),
      native: () => crypto.verify(null, msg, publicKey, sig),
    },
    {
      name: "sha256 1 MiB",
      ours: () => {
        // 1 MiB does not fit the 64 KiB core: stream it through the scratch region.
        call("sha256_init");
        for (let at = 0; at < mib.length; at += chunk) {
          const piece = mib.subarray(at, at + chunk);
          call("sha256_update", core.put(piece, 0), piece.length);
        }
        call("sha256_final", s);
        core.get(s, 32);
      },
      noble: () => sha256(mib),
      native: () => crypto.createHash("sha256").update(mib).digest(),
    },
  ];
}
