// The devnet's PoC verifier, after the retired iot_verifier (helium-protocol.md section 9):
// reports are grouped into rounds by their identical `data`; a round is verified once it has
// settled (its first report is `settleMs` old), the beacon first, then each witness in the order
// received. Every report ends `valid` or `invalid` with the verifier's reason name. Asserted
// locations, gains and regions, the region params and the entropy records come from the world.
import bs58check from "bs58check";
import { type EntropyRecord, type RegionParam, rebuildBeacon } from "./beacon.js";
import { assertedCell, cellDistance, distanceMetres, expectedRssiDbm, type Location, MAX_DISTANCE_KM, MIN_CELL_DISTANCE } from "./geo.js";
import type { BeaconReportMsg, WitnessReportMsg } from "./protos.js";

/** Reason names as helium.poc_lora.invalid_reason spells them, plus the devnet's own. */
export type InvalidReason =
  | "gateway_not_found"
  | "not_asserted"
  | "denied"
  | "denied_edge"
  | "entropy_expired"
  | "invalid_capability"
  | "irregular_interval"
  | "invalid_packet"
  | "self_witness"
  | "too_late"
  | "duplicate"
  | "invalid_frequency"
  | "invalid_region"
  | "below_min_distance"
  | "max_distance_exceeded"
  | "bad_rssi"
  // devnet: no entropy record has this remote entropy; a witness whose beacon never arrived
  | "unknown_entropy"
  | "no_beacon";

/** Why ingest refused a report before it reached the verifier. */
export type RefusalReason = "invalid_signature" | "pub_key_mismatch" | "no_session" | "bad_session_init" | "malformed";

export interface GatewayInfo {
  /** Asserted location; absent = not asserted. */
  location?: Location;
  /** Antenna gain, dBi x 10. */
  gainX10: number;
  /** helium.region name, e.g. "EU868". */
  region: string;
  /** Data-only hotspots cannot take part in PoC. Default true. */
  fullHotspot?: boolean;
}

/** What the verifier looks up; the simulator's world or the devnet config provide it. */
export interface VerifierWorld {
  gateway(pubKey: Uint8Array): GatewayInfo | undefined;
  regionParams(region: string): readonly RegionParam[] | undefined;
  entropy(data: Uint8Array): EntropyRecord | undefined;
  denied?(pubKey: Uint8Array): boolean;
  deniedEdge?(beaconer: Uint8Array, witness: Uint8Array): boolean;
}

export interface VerifierOptions {
  /** Beacon window, seconds (one beacon per window aligned to the Unix epoch). Default 6 h. */
  beaconIntervalSeconds?: number;
  /** Entropy lifespan, seconds. Default 180. */
  entropyLifespanSeconds?: number;
  /** Witness lag after the beacon, ms. Default 4000. */
  beaconToWitnessLagMs?: number;
  /** Witness lag after the first witness when a witness came first, ms. Default 1500. */
  witnessLagMs?: number;
  /** A round is verified this long after its first report, ms. Default 10 s. */
  settleMs?: number;
  /** Valid witnesses selected per beacon, earliest first. Default 14. */
  maxWitnesses?: number;
  /** Results kept for queries (oldest dropped first; the summary counts everything). Default 10,000. */
  maxResults?: number;
}

export type Status = "pending" | "valid" | "invalid";

export interface BeaconResult {
  kind: "beacon";
  id: string;
  gateway: string;
  receivedMs: number;
  status: Status;
  reason?: InvalidReason;
  data: string;
  frequency: number;
  datarate: number;
  txPower: number;
  /** Ids of the witnesses of this beacon. */
  witnesses: string[];
}

export interface WitnessResult {
  kind: "witness";
  id: string;
  gateway: string;
  receivedMs: number;
  status: Status;
  reason?: InvalidReason;
  /** Whose fault an invalid witness is: the witness's, or the beacon's (then the beacon's reason). */
  side?: "witness" | "beaconer";
  beaconId?: string;
  beaconer?: string;
  data: string;
  signal: number;
  snr: number;
  frequency: number;
  distanceM?: number;
  expectedRssiDbm?: number;
  /** Among the earliest `maxWitnesses` valid witnesses. */
  selected: boolean;
}

export interface RefusalResult {
  kind: "refused";
  status: "refused";
  id: string;
  gateway: string;
  receivedMs: number;
  report: "beacon" | "witness" | "session_init" | "unknown";
  reason: RefusalReason;
  detail: string;
}

export type PocResult = BeaconResult | WitnessResult | RefusalResult;

interface Counts {
  total: number;
  valid: number;
  invalid: number;
  byReason: Record<string, number>;
}
export interface PocSummary {
  beacons: Counts;
  witnesses: Counts;
  refused: { total: number; byReason: Record<string, number> };
  pending: number;
  gateways: Record<string, { beaconsValid: number; beaconsInvalid: number; witnessesValid: number; witnessesInvalid: number; refused: number }>;
}

interface Ingested<T> {
  report: T;
  receivedMs: number;
  result: T extends BeaconReportMsg ? BeaconResult : WitnessResult;
}

interface Round {
  firstMs: number;
  beacon?: Ingested<BeaconReportMsg>;
  witnesses: Ingested<WitnessReportMsg>[];
  verified: boolean;
  /** Gateways whose witness of this round has been judged (later ones are duplicates). */
  seen: Set<string>;
  validCount: number;
}

/** The Helium address of a public key binary. */
export function addressOf(pubKey: Uint8Array): string {
  const payload = new Uint8Array(pubKey.length + 1);
  payload.set(pubKey, 1);
  return bs58check.encode(payload);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function emptyCounts(): Counts {
  return { total: 0, valid: 0, invalid: 0, byReason: {} };
}

export class PocVerifier {
  readonly options: Required<VerifierOptions>;
  readonly #rounds = new Map<string, Round>();
  readonly #lastBeaconMs = new Map<string, number>();
  readonly #results: PocResult[] = [];
  readonly #byId = new Map<string, PocResult>();
  readonly #summary: PocSummary = { beacons: emptyCounts(), witnesses: emptyCounts(), refused: { total: 0, byReason: {} }, pending: 0, gateways: {} };
  #nextId = 1;

  constructor(
    readonly world: VerifierWorld,
    options: VerifierOptions = {},
  ) {
    this.options = {
      beaconIntervalSeconds: 6 * 3600,
      entropyLifespanSeconds: 180,
      beaconToWitnessLagMs: 4000,
      witnessLagMs: 1500,
      settleMs: 10_000,
      maxWitnesses: 14,
      maxResults: 10_000,
      ...options,
    };
  }

  // ------------------------------------------------------------------ ingest side

  /** A beacon report accepted by ingest at `receivedMs`; returns its result id. */
  addBeacon(report: BeaconReportMsg, receivedMs: number): string {
    const round = this.#round(report.data, receivedMs);
    const result: BeaconResult = {
      kind: "beacon",
      id: this.#id("b"),
      gateway: addressOf(report.pub_key),
      receivedMs,
      status: "pending",
      data: hex(report.data),
      frequency: Number(report.frequency),
      datarate: report.datarate,
      txPower: report.tx_power,
      witnesses: [],
    };
    this.#store(result);
    if (round.beacon) {
      // The round already has its beacon: a replay or a copy is a duplicate.
      this.#finish(result, "invalid", "duplicate");
    } else {
      round.beacon = { report, receivedMs, result };
      if (round.verified) this.#verifyBeacon(round); // the round settled on its witnesses alone
    }
    return result.id;
  }

  /** A witness report accepted by ingest at `receivedMs`; returns its result id. */
  addWitness(report: WitnessReportMsg, receivedMs: number): string {
    const round = this.#round(report.data, receivedMs);
    const result: WitnessResult = {
      kind: "witness",
      id: this.#id("w"),
      gateway: addressOf(report.pub_key),
      receivedMs,
      status: "pending",
      data: hex(report.data),
      signal: report.signal,
      snr: report.snr,
      frequency: Number(report.frequency),
      selected: false,
    };
    this.#store(result);
    const entry = { report, receivedMs, result };
    round.witnesses.push(entry);
    if (round.verified) this.#verifyWitness(round, entry);
    return result.id;
  }

  /** A report ingest refused (bad signature, foreign pub_key, no session, malformed). */
  addRefusal(report: RefusalResult["report"], pubKey: Uint8Array | undefined, reason: RefusalReason, detail: string, receivedMs: number): string {
    const gateway = pubKey && pubKey.length > 0 ? addressOf(pubKey) : "unknown";
    const result: RefusalResult = { kind: "refused", status: "refused", id: this.#id("r"), gateway, receivedMs, report, reason, detail };
    this.#store(result);
    this.#summary.refused.total++;
    this.#summary.refused.byReason[reason] = (this.#summary.refused.byReason[reason] ?? 0) + 1;
    this.#gatewayCounts(gateway).refused++;
    return result.id;
  }

  /** Verifies every round whose first report is at least `settleMs` old at `nowMs`. */
  settle(nowMs: number): void {
    for (const round of this.#rounds.values()) {
      if (!round.verified && nowMs - round.firstMs >= this.options.settleMs) this.#verifyRound(round);
    }
    // Verified rounds are kept a while for late reports, then forgotten.
    const horizon = Math.max(this.options.settleMs * 6, 60_000);
    for (const [key, round] of this.#rounds) if (round.verified && nowMs - round.firstMs > horizon) this.#rounds.delete(key);
  }

  /** Verifies every open round now (end of a run, tests). */
  settleAll(): void {
    for (const round of this.#rounds.values()) if (!round.verified) this.#verifyRound(round);
  }

  // ------------------------------------------------------------------ queries

  result(id: string): PocResult | undefined {
    return this.#byId.get(id);
  }

  /** The kept results in arrival order, optionally of one kind and/or one gateway (address). */
  results(filter: { kind?: PocResult["kind"]; gateway?: string } = {}): PocResult[] {
    return this.#results.filter((r) => (filter.kind === undefined || r.kind === filter.kind) && (filter.gateway === undefined || r.gateway === filter.gateway));
  }

  beacons(): BeaconResult[] {
    return this.results({ kind: "beacon" }) as BeaconResult[];
  }

  witnesses(): WitnessResult[] {
    return this.results({ kind: "witness" }) as WitnessResult[];
  }

  summary(): PocSummary {
    return structuredClone(this.#summary);
  }

  // ------------------------------------------------------------------ verification

  #verifyRound(round: Round): void {
    round.verified = true;
    if (round.beacon) this.#verifyBeacon(round);
    else for (const w of round.witnesses) this.#finish(w.result, "invalid", "no_beacon", "witness");
  }

  #verifyBeacon(round: Round): void {
    const beacon = round.beacon!;
    const reason = this.#beaconVerdict(beacon);
    if (reason === undefined) this.#finish(beacon.result, "valid");
    else this.#finish(beacon.result, "invalid", reason);
    const witnesses = [...round.witnesses].sort((a, b) => a.receivedMs - b.receivedMs);
    for (const w of witnesses) if (w.result.status === "pending" || w.result.reason === "no_beacon") this.#verifyWitness(round, w);
  }

  /** The first rule the beacon breaks, in the verifier's order, or undefined when it is valid. */
  #beaconVerdict(beacon: Ingested<BeaconReportMsg>): InvalidReason | undefined {
    const report = beacon.report;
    const info = this.world.gateway(report.pub_key);
    if (!info) return "gateway_not_found";
    if (info.location === undefined) return "not_asserted";
    if (this.world.denied?.(report.pub_key)) return "denied";
    const entropy = this.world.entropy(report.remote_entropy);
    if (!entropy) return "unknown_entropy";
    if (!this.#inEntropyWindow(entropy, beacon.receivedMs)) return "entropy_expired";
    if (info.fullHotspot === false) return "invalid_capability";
    // One beacon per window; the last beacon time moves on even when this beacon fails.
    const key = hex(report.pub_key);
    const last = this.#lastBeaconMs.get(key);
    this.#lastBeaconMs.set(key, beacon.receivedMs);
    const windowMs = this.options.beaconIntervalSeconds * 1000;
    if (last !== undefined && Math.floor(beacon.receivedMs / windowMs) <= Math.floor(last / windowMs)) return "irregular_interval";
    const params = this.world.regionParams(info.region);
    const rebuilt = rebuildBeacon(entropy, report.local_entropy, params ?? [], info.gainX10);
    if (!rebuilt.ok) return "invalid_packet";
    const b = rebuilt.beacon;
    const equal =
      Buffer.from(b.data).equals(Buffer.from(report.data)) &&
      b.frequency === Number(report.frequency) &&
      b.datarate === report.datarate &&
      Buffer.from(entropy.data).equals(Buffer.from(report.remote_entropy));
    return equal ? undefined : "invalid_packet";
  }

  #verifyWitness(round: Round, w: Ingested<WitnessReportMsg>): void {
    const beacon = round.beacon;
    if (!beacon) return this.#finish(w.result, "invalid", "no_beacon", "witness");
    w.result.beaconId = beacon.result.id;
    w.result.beaconer = beacon.result.gateway;
    if (!beacon.result.witnesses.includes(w.result.id)) beacon.result.witnesses.push(w.result.id);
    const key = hex(w.report.pub_key);
    if (round.seen.has(key)) return this.#finish(w.result, "invalid", "duplicate", "witness");
    round.seen.add(key);
    if (beacon.result.status === "invalid") return this.#finish(w.result, "invalid", beacon.result.reason, "beaconer");
    const verdict = this.#witnessVerdict(round, beacon, w);
    if (verdict === undefined) {
      w.result.selected = round.validCount < this.options.maxWitnesses;
      round.validCount++;
      this.#finish(w.result, "valid");
    } else this.#finish(w.result, "invalid", verdict, "witness");
  }

  #witnessVerdict(round: Round, beacon: Ingested<BeaconReportMsg>, w: Ingested<WitnessReportMsg>): InvalidReason | undefined {
    const report = w.report;
    const info = this.world.gateway(report.pub_key);
    if (!info) return "gateway_not_found";
    if (info.location === undefined) return "not_asserted";
    const beaconerInfo = this.world.gateway(beacon.report.pub_key)!;
    if (beaconerInfo.location === undefined) return "not_asserted";
    if (this.world.denied?.(report.pub_key)) return "denied";
    if (this.world.deniedEdge?.(beacon.report.pub_key, report.pub_key)) return "denied_edge";
    if (Buffer.from(report.pub_key).equals(Buffer.from(beacon.report.pub_key))) return "self_witness";
    const entropy = this.world.entropy(beacon.report.remote_entropy)!;
    if (!this.#inEntropyWindow(entropy, w.receivedMs)) return "entropy_expired";
    const firstWitnessMs = Math.min(...round.witnesses.map((x) => x.receivedMs));
    const [fromMs, maxLag] =
      beacon.receivedMs <= firstWitnessMs ? [beacon.receivedMs, this.options.beaconToWitnessLagMs] : [firstWitnessMs, this.options.witnessLagMs];
    if (w.receivedMs - fromMs > maxLag) return "too_late";
    if (!Buffer.from(report.data).equals(Buffer.from(beacon.report.data))) return "invalid_packet";
    if (info.fullHotspot === false) return "invalid_capability";
    if (Number(report.frequency > beacon.report.frequency ? report.frequency - beacon.report.frequency : beacon.report.frequency - report.frequency) > 100_000) {
      return "invalid_frequency";
    }
    if (info.region !== beaconerInfo.region) return "invalid_region";
    const beaconerCell = assertedCell(beaconerInfo.location);
    const witnessCell = assertedCell(info.location);
    const cells = cellDistance(beaconerCell, witnessCell);
    if (cells === undefined || cells < MIN_CELL_DISTANCE) return "below_min_distance";
    const distanceM = distanceMetres(beaconerCell, witnessCell);
    w.result.distanceM = distanceM;
    if (Math.trunc(distanceM / 1000) > MAX_DISTANCE_KM) return "max_distance_exceeded";
    const expected = expectedRssiDbm(beacon.report.tx_power, Number(report.frequency), distanceM, beaconerInfo.gainX10, info.gainX10);
    w.result.expectedRssiDbm = Math.round(expected * 10) / 10;
    if (report.signal / 10 > expected) return "bad_rssi";
    return undefined;
  }

  /** The receipt second lies within [entropy.timestamp, entropy.timestamp + lifespan]. */
  #inEntropyWindow(entropy: EntropyRecord, receivedMs: number): boolean {
    const s = Math.floor(receivedMs / 1000);
    return s >= entropy.timestamp && s <= entropy.timestamp + this.options.entropyLifespanSeconds;
  }

  // ------------------------------------------------------------------ bookkeeping

  #round(data: Uint8Array, receivedMs: number): Round {
    const key = hex(data);
    let round = this.#rounds.get(key);
    if (!round) {
      round = { firstMs: receivedMs, witnesses: [], verified: false, seen: new Set(), validCount: 0 };
      this.#rounds.set(key, round);
    }
    return round;
  }

  #id(prefix: string): string {
    return `${prefix}${this.#nextId++}`;
  }

  #store(result: PocResult): void {
    this.#results.push(result);
    this.#byId.set(result.id, result);
    if (result.kind !== "refused") this.#summary.pending++;
    while (this.#results.length > this.options.maxResults) this.#byId.delete(this.#results.shift()!.id);
  }

  #gatewayCounts(gateway: string): PocSummary["gateways"][string] {
    return (this.#summary.gateways[gateway] ??= { beaconsValid: 0, beaconsInvalid: 0, witnessesValid: 0, witnessesInvalid: 0, refused: 0 });
  }

  #finish(result: BeaconResult | WitnessResult, status: "valid" | "invalid", reason?: InvalidReason, side?: "witness" | "beaconer"): void {
    const counts = result.kind === "beacon" ? this.#summary.beacons : this.#summary.witnesses;
    const g = this.#gatewayCounts(result.gateway);
    if (result.status === "pending") {
      this.#summary.pending--;
      counts.total++;
    } else {
      // Re-judged (a witness first marked no_beacon whose beacon came later): undo the old verdict.
      counts[result.status]--;
      if (result.reason) counts.byReason[result.reason]--;
      if (result.kind === "beacon") g[result.status === "valid" ? "beaconsValid" : "beaconsInvalid"]--;
      else g[result.status === "valid" ? "witnessesValid" : "witnessesInvalid"]--;
    }
    result.status = status;
    result.reason = reason;
    if (result.kind === "witness") result.side = side;
    counts[status]++;
    if (reason) counts.byReason[reason] = (counts.byReason[reason] ?? 0) + 1;
    if (result.kind === "beacon") g[status === "valid" ? "beaconsValid" : "beaconsInvalid"]++;
    else g[status === "valid" ? "witnessesValid" : "witnessesInvalid"]++;
  }
}
