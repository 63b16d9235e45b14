// The one-time enrolment code: how the first admin key gets onto a new or factory-reset hotspot.
// At boot, while no admin key is usable, the hotspot makes a random code and shows it once on its
// console (the serial port; the simulator's terminal). Only its SHA-256 is kept, in RAM. One client
// may then enrol one admin public key with it, within ENROLMENT_WINDOW_MS of the code being made.
// 12 characters of Crockford base32 carry 60 random bits: guessing one within the window is hopeless.

import { equalBytes } from "../../util/bytes.js";
import { sha256Text, type ApiCrypto } from "../crypto.js";

export const ENROLMENT_WINDOW_MS = 10 * 60 * 1000;
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_CHARS = 12;

export type EnrolmentVerdict = "ok" | "closed" | "wrong_code";

/** A code as typed: case, dashes and spaces do not matter; O reads as 0, I and L as 1 (Crockford). */
export function normalizeCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

export class Enrolment {
  readonly #crypto: Pick<ApiCrypto, "sha256">;
  #codeHash: Uint8Array | undefined;
  #closesAtMs = 0;

  constructor(crypto: Pick<ApiCrypto, "sha256">) {
    this.#crypto = crypto;
  }

  /** Makes a new code (any earlier one is void) and returns it for showing; only its hash stays. */
  open(random: (bytes: Uint8Array) => void, nowMs: number): string {
    const bytes = new Uint8Array(8);
    random(bytes);
    let code = "";
    for (let i = 0; i < CODE_CHARS; i++) {
      let v = 0;
      for (let bit = 5 * i; bit < 5 * i + 5; bit++) v = (v << 1) | ((bytes[bit >> 3] >> (7 - (bit & 7))) & 1);
      code += ALPHABET[v];
    }
    bytes.fill(0);
    this.#codeHash = sha256Text(this.#crypto, code);
    this.#closesAtMs = nowMs + ENROLMENT_WINDOW_MS;
    return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
  }

  isOpen(nowMs: number): boolean {
    return this.#codeHash !== undefined && nowMs < this.#closesAtMs;
  }

  /** Checks a presented code without using it up. */
  check(presented: string, nowMs: number): EnrolmentVerdict {
    if (!this.isOpen(nowMs)) return "closed";
    const normalized = normalizeCode(presented);
    if (normalized.length !== CODE_CHARS) return "wrong_code";
    return equalBytes(sha256Text(this.#crypto, normalized), this.#codeHash!) ? "ok" : "wrong_code";
  }

  /** The code has been used (or is no longer needed). */
  close(): void {
    this.#codeHash = undefined;
  }
}
