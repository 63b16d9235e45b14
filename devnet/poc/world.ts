// What the verifier looks up, kept in memory: the gateways' asserted locations, gains and regions
// (the simulator's world fills these), the region plans, and the entropy the devnet has served.
import { blake3 } from "@noble/hashes/blake3.js";
import { randomBytes } from "node:crypto";
import { decodeRegionParams, type EntropyRecord, type RegionParam } from "./beacon.js";
import type { GatewayInfo, VerifierWorld } from "./verifier.js";

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/**
 * Entropy as the retired poc_entropy service made it (helium-protocol.md 2.3): a new record every
 * 60 s, data = BLAKE3(le_i64(unix seconds) || source) with a random 32-byte source standing in for
 * the Solana block hash, version 0. Every record served is kept (bounded) so the verifier can find
 * a beacon's entropy by its data.
 */
export class EntropyLedger {
  readonly #records = new Map<string, EntropyRecord>();
  #current: EntropyRecord | undefined;

  constructor(
    readonly tickSeconds = 60,
    readonly maxRecords = 10_000,
    private readonly source: (n: number) => Uint8Array = (n) => new Uint8Array(randomBytes(n)),
  ) {}

  /** The record in force at `unixSeconds` (a new one once the previous is a tick old). */
  current(unixSeconds: number): EntropyRecord {
    const now = Math.floor(unixSeconds);
    if (!this.#current || now - this.#current.timestamp >= this.tickSeconds) {
      const input = new Uint8Array(8 + 32);
      new DataView(input.buffer).setBigInt64(0, BigInt(now), true);
      input.set(this.source(32), 8);
      this.record({ data: blake3(input), timestamp: now, version: 0 });
    }
    return this.#current!;
  }

  /** Adds a record served by some other entropy source. */
  record(entry: EntropyRecord): void {
    this.#current = entry;
    this.#records.set(hex(entry.data), entry);
    if (this.#records.size > this.maxRecords) this.#records.delete(this.#records.keys().next().value!);
  }

  lookup(data: Uint8Array): EntropyRecord | undefined {
    return this.#records.get(hex(data));
  }
}

/** Where the verifier finds a beacon's entropy record by its data. */
export interface EntropyLookup {
  lookup(data: Uint8Array): EntropyRecord | undefined;
}

/** An in-memory VerifierWorld. */
export class PocWorld implements VerifierWorld {
  readonly #gateways = new Map<string, GatewayInfo>();
  readonly #params = new Map<string, RegionParam[]>();
  readonly #denied = new Set<string>();
  readonly entropyLedger: EntropyLedger;
  readonly #entropy: EntropyLookup;

  /** `entropy`: another source's records (the devnet entropy service); default the ledger. */
  constructor(entropyLedger = new EntropyLedger(), entropy?: EntropyLookup) {
    this.entropyLedger = entropyLedger;
    this.#entropy = entropy ?? entropyLedger;
  }

  setGateway(pubKey: Uint8Array, info: GatewayInfo): void {
    this.#gateways.set(hex(pubKey), { ...info });
  }

  /** A region plan as decoded params, or the encoded `blockchain_region_params_v1`. */
  setRegionParams(region: string, params: RegionParam[] | Uint8Array): void {
    this.#params.set(region.toUpperCase(), params instanceof Uint8Array ? decodeRegionParams(params) : params);
  }

  deny(pubKey: Uint8Array): void {
    this.#denied.add(hex(pubKey));
  }

  gateway(pubKey: Uint8Array): GatewayInfo | undefined {
    return this.#gateways.get(hex(pubKey));
  }

  regionParams(region: string): readonly RegionParam[] | undefined {
    return this.#params.get(region.toUpperCase());
  }

  entropy(data: Uint8Array): EntropyRecord | undefined {
    return this.#entropy.lookup(data);
  }

  denied(pubKey: Uint8Array): boolean {
    return this.#denied.has(hex(pubKey));
  }
}
