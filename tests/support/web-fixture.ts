// Fixtures for the web API and dashboard tests: an in-memory key-value store, the compute core as
// the server's crypto (what ships), a fake hotspot (status provider whose counters rise + actions
// that record calls and validate config), and client keys that sign calls with node:crypto exactly
// as modules/web/README.md specifies (an implementation independent of the core).

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { ed25519 } from "@noble/curves/ed25519.js";
import heliumCrypto from "@helium/crypto";
import type { KeyValueStore } from "../../modules/host/provider.js";
import type { AddGatewayResult, ConfigResult, FieldError, HotspotActions } from "../../modules/web/actions.js";
import type { ApiCrypto } from "../../modules/web/crypto.js";
import type { HotspotStatus, StatusProvider } from "../../modules/web/status.js";
import { loadNodeCore } from "../../sim/node-core.js";

/** The server side's SHA-256 and Ed25519 verification: the compute core, as on the device. */
export const coreCrypto: ApiCrypto = loadNodeCore();

export class MemoryStore implements KeyValueStore {
  readonly map = new Map<string, Uint8Array>();
  read(key: string) {
    const v = this.map.get(key);
    return v === undefined ? undefined : v.slice();
  }
  write(key: string, value: Uint8Array) {
    this.map.set(key, value.slice());
  }
  delete(key: string) {
    this.map.delete(key);
  }
  keys() {
    return [...this.map.keys()];
  }
}

/** The gateway key in every form a leak could take, to scan responses for. */
export interface SecretForms {
  forms: string[];
}

export interface GatewayConfig {
  region: string;
  antennaGainDbi: number;
  poc: { enabled: boolean };
  wifi: { ssid: string; password: string };
}

const REGIONS = ["US915", "EU868", "AU915", "AS923_1", "KR920", "IN865"];

/** Field-by-field validation with a reason per field, as the app's config service will do. */
export function validateConfig(input: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const c = (input ?? {}) as Record<string, unknown>;
  if (typeof c.region !== "string" || !REGIONS.includes(c.region)) errors.push({ field: "region", reason: `must be one of ${REGIONS.join(", ")}` });
  if (typeof c.antennaGainDbi !== "number" || !(c.antennaGainDbi >= 0 && c.antennaGainDbi <= 20)) errors.push({ field: "antennaGainDbi", reason: "must be a number from 0 to 20 dBi" });
  const poc = c.poc as Record<string, unknown> | undefined;
  if (typeof poc !== "object" || poc === null || typeof poc.enabled !== "boolean") errors.push({ field: "poc.enabled", reason: "must be true or false" });
  const wifi = c.wifi as Record<string, unknown> | undefined;
  if (typeof wifi !== "object" || wifi === null || typeof wifi.ssid !== "string" || wifi.ssid.length < 1 || wifi.ssid.length > 32) errors.push({ field: "wifi.ssid", reason: "must be 1 to 32 characters" });
  else if (wifi.password !== undefined && (typeof wifi.password !== "string" || wifi.password.length < 8)) errors.push({ field: "wifi.password", reason: "must be at least 8 characters" });
  return errors;
}

export class FakeHotspot implements StatusProvider, HotspotActions {
  readonly calls: string[] = [];
  readonly secrets: string[];
  config: GatewayConfig = { region: "EU868", antennaGainDbi: 3, poc: { enabled: true }, wifi: { ssid: "maker-lab", password: "hunter2hunter2" } };
  #tick = 0;
  readonly #startMs = Date.now();

  private constructor(
    readonly address: string,
    readonly name: string,
    private readonly seed: Uint8Array,
    privateKey: Uint8Array,
  ) {
    const forms = (b: Uint8Array) => [Buffer.from(b).toString("hex"), Buffer.from(b).toString("base64"), Buffer.from(b).toString("base64url")];
    this.secrets = [...forms(seed), ...forms(privateKey), ...forms(privateKey.subarray(0, 32))];
  }

  static async create(): Promise<FakeHotspot> {
    const seed = new Uint8Array(randomBytes(32));
    const keypair = await heliumCrypto.Keypair.fromEntropy(seed);
    const address = keypair.address.b58;
    return new FakeHotspot(address, "striped-test-hare", seed, keypair.privateKey);
  }

  snapshot(): HotspotStatus {
    const t = ++this.#tick;
    const sfs = [7, 8, 9, 10, 11, 12];
    const now = Date.now();
    return {
      identity: { address: this.address, name: this.name, keyType: "ed25519" },
      region: { name: this.config.region, source: "asserted", blockedReason: this.config.poc.enabled ? null : "PoC disabled in config: no beacons or witnesses" },
      services: [
        { name: "config", state: "connected", lastError: null, reconnects: 0 },
        { name: "router", state: "connected", lastError: "stream reset by peer <script>alert(1)</script>", reconnects: 2 },
        { name: "ingest", state: "backoff", lastError: "connection refused", reconnects: 7 },
      ],
      clock: { synced: true },
      radio: { listenPlan: "fixed 868.1 MHz SF7 BW125", singleChannelNote: "One SX1262 hears one channel and one spreading factor at a time." },
      counters: sfs.map((sf, i) => ({ sf, heard: t * (6 - i), crcBad: t, routed: t * (5 - i), dropped: i, downlinksOnTime: t, downlinksLate: i === 0 ? 1 : 0 })),
      recentPackets: Array.from({ length: 5 }, (_, i) => ({ time: now - i * 1000, devAddr: (0x26011234 + i).toString(16).padStart(8, "0"), fCnt: t + i, freq: 868_100_000, sf: 7 + i, rssi: -60 - i * 10, snr: 7.5 - i * 3 })),
      poc: [
        { time: now - 5000, kind: "beacon", detail: "868.1 MHz SF9BW125 14 dBm" },
        { time: now - 2000, kind: "witness", detail: "heard beacon at -97 dBm, submitted" },
      ],
      pocTotals: { beaconsSent: t, beaconsFailed: 0, witnessesHeard: 2 * t, witnessesSubmitted: t },
      system: { uptimeSeconds: Math.floor((now - this.#startMs) / 1000), freeMemory: 123456, version: "0.1.0-test" },
      packetsPerMinute: Array.from({ length: 60 }, (_, i) => (i * 7 + t) % 13),
      rssiHistogram: { fromDbm: -140, binDb: 5, counts: Array.from({ length: 24 }, (_, i) => (i * t) % 9) },
      downlinkStartErrors: { edgesMicros: [-10_000, -1000, -100, -10, 10, 100, 1000, 10_000], counts: [0, 0, 0, 1, t, 2, 0, 0, t % 2] },
      dataCredits: { packets: t * 10, credits: t * 12 },
    };
  }

  restartRadio() {
    this.calls.push("restartRadio");
  }
  reboot() {
    this.calls.push("reboot");
  }
  factoryReset() {
    this.calls.push("factoryReset");
  }
  getConfig() {
    return { ...this.config, wifi: { ssid: this.config.wifi.ssid } };
  }
  putConfig(input: unknown): ConfigResult {
    this.calls.push("putConfig");
    const errors = validateConfig(input);
    if (errors.length > 0) return { ok: false, errors };
    const c = input as GatewayConfig;
    this.config = { ...c, wifi: { ssid: c.wifi.ssid, password: c.wifi.password ?? this.config.wifi.password } };
    return { ok: true, config: this.getConfig() };
  }
  addGatewayTxn(owner: string, payer: string): AddGatewayResult | { errors: FieldError[] } {
    this.calls.push(`addGateway ${owner} ${payer}`);
    if (owner === payer && owner.startsWith("1")) return { errors: [{ field: "payer", reason: "test: owner and payer equal" }] };
    const signature = ed25519.sign(new TextEncoder().encode(`${owner}|${payer}`), this.seed);
    return { address: this.address, owner, payer, txn: Buffer.from(signature).toString("base64") };
  }
}

// ---------------------------------------------------------------- the signing client (node:crypto)

/** A client's Ed25519 key pair, made and used with node:crypto. */
export class ClientKey {
  /** Raw 32-byte public key. */
  readonly publicKey: Uint8Array;
  /** First 16 hex digits of SHA-256(public key). */
  readonly id: string;

  constructor(readonly privateKey: KeyObject) {
    const jwk = createPublicKey(privateKey).export({ format: "jwk" }) as { x: string };
    this.publicKey = new Uint8Array(Buffer.from(jwk.x, "base64url"));
    this.id = createHash("sha256").update(this.publicKey).digest("hex").slice(0, 16);
  }

  static generate(): ClientKey {
    return new ClientKey(generateKeyPairSync("ed25519").privateKey);
  }

  /** From a 32-byte seed (RFC 8032 private key), via its PKCS#8 DER. */
  static fromSeed(seed: Uint8Array): ClientKey {
    const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
    return new ClientKey(createPrivateKey({ key: der, format: "der", type: "pkcs8" }));
  }

  get publicKeyHex(): string {
    return Buffer.from(this.publicKey).toString("hex");
  }

  sign(message: string | Uint8Array): string {
    return sign(null, typeof message === "string" ? Buffer.from(message, "utf8") : message, this.privateKey).toString("hex");
  }
}

export interface SignOptions {
  method: string;
  target: string;
  body?: string;
  key: ClientKey;
  timestamp: number;
  nonce?: string;
}

/** The X-Hotspot-* headers for a call, computed with node:crypto from the README's recipe. */
export function signHeaders(o: SignOptions): Record<string, string> {
  const bodyHash = createHash("sha256").update(o.body ?? "", "utf8").digest("hex");
  const nonce = o.nonce ?? randomBytes(16).toString("hex");
  const canonical = ["HOTSPOT-ED25519", o.method, o.target, String(o.timestamp), nonce, bodyHash].join("\n");
  return {
    "X-Hotspot-Key": o.key.id,
    "X-Hotspot-Timestamp": String(o.timestamp),
    "X-Hotspot-Nonce": nonce,
    "X-Hotspot-Signature": o.key.sign(canonical),
  };
}
