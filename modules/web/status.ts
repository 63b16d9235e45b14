// The status snapshot the dashboard and the API show. The app (modules/app) builds it from its
// parts and hands it over through StatusProvider; the web module only reads it. Field meanings are
// part of the API (modules/web/README.md documents the JSON).

export type RegionSource = "asserted" | "fallback" | "unknown";

export interface IdentityStatus {
  /** Helium address (base58check). */
  address: string;
  /** Animal name, e.g. "tame-pearl-hare". */
  name: string;
  /** "ed25519" or "ecc_compact". */
  keyType: string;
}

export interface RegionStatus {
  /** Region name as the config service names it ("US915", "EU868", ... or "UNKNOWN"). */
  name: string;
  source: RegionSource;
  /** Why uplinks, downlinks or beacons are held back, in words; null when nothing is blocked. */
  blockedReason: string | null;
}

export interface ServiceStatus {
  /** "config", "router", "ingest", "entropy", "forwarder", ... */
  name: string;
  /** "connected", "connecting", "backoff", "disconnected", "disabled", ... */
  state: string;
  lastError: string | null;
  reconnects: number;
}

export interface ClockStatus {
  /** True once the wall clock is known to be valid (SNTP on the device). */
  synced: boolean;
}

export interface RadioStatus {
  /** The listen plan in words, e.g. "fixed 868.1 MHz SF7 BW125". */
  listenPlan: string;
  /** The plain note that one SX1262 hears one channel and one SF at a time. */
  singleChannelNote: string;
}

export interface SfCounters {
  /** Spreading factor 7..12 (5..12 where the region allows). */
  sf: number;
  heard: number;
  crcBad: number;
  routed: number;
  dropped: number;
  downlinksOnTime: number;
  downlinksLate: number;
}

export interface PacketRecord {
  /** Unix ms of reception, or null when the wall clock was not yet valid. */
  time: number | null;
  /** DevAddr as 8 hex digits (big-endian reading). */
  devAddr: string;
  fCnt: number;
  /** Hz. */
  freq: number;
  sf: number;
  /** dBm. */
  rssi: number;
  /** dB. */
  snr: number;
}

export interface PocLogEntry {
  /** Unix ms, or null before the wall clock was valid. */
  time: number | null;
  /** "beacon", "witness", "error", ... */
  kind: string;
  /** One line in words (frequency, datarate, power, result). */
  detail: string;
}

export interface SystemStatus {
  uptimeSeconds: number;
  /** Free heap in bytes where the platform reports it. */
  freeMemory?: number;
  /** Firmware version (and build hash when known). */
  version: string;
}

export interface RssiHistogram {
  /** Lower edge of the first bin, dBm. */
  fromDbm: number;
  /** Bin width, dB. */
  binDb: number;
  counts: number[];
}

/** Downlink start errors (measured start minus scheduled start), µs: counts[i] lies below edgesMicros[i]. */
export interface StartErrorHistogram {
  edgesMicros: number[];
  counts: number[];
}

export interface DataCredits {
  /** Packets counted. */
  packets: number;
  /** One DC per 24 bytes of payload, rounded up per packet, at least one per packet. */
  credits: number;
}

/** Proof-of-Coverage totals since boot. */
export interface PocTotals {
  beaconsSent: number;
  beaconsFailed: number;
  /** Beacons of other hotspots heard. */
  witnessesHeard: number;
  /** Witness reports handed to PoC ingest. */
  witnessesSubmitted: number;
}

export interface HotspotStatus {
  identity: IdentityStatus;
  region: RegionStatus;
  services: ServiceStatus[];
  clock: ClockStatus;
  radio: RadioStatus;
  counters: SfCounters[];
  recentPackets: PacketRecord[];
  poc: PocLogEntry[];
  pocTotals: PocTotals;
  system: SystemStatus;
  /** Packets heard per minute, oldest first; the last entry is the current minute. */
  packetsPerMinute: number[];
  rssiHistogram: RssiHistogram;
  downlinkStartErrors: StartErrorHistogram;
  dataCredits: DataCredits;
}

export interface StatusProvider {
  snapshot(): HotspotStatus;
}

/** Helium's price of one packet: one DC per 24 bytes of payload, rounded up, minimum one. */
export function packetDataCredits(payloadBytes: number): number {
  return Math.max(1, Math.ceil(payloadBytes / 24));
}
