// The seams of the PoC module: everything it needs from the rest of the firmware arrives through
// these small interfaces, so the logic runs (and is tested) without a radio, a network or a core
// build. The composition root adapts the radio service, the gRPC conduit and the entropy client.

/** `entropy_report_v1` as the entropy service returns it. */
export interface RemoteEntropy {
  data: Uint8Array;
  /** Unix seconds. */
  timestamp: number;
  version: number;
}

export type EntropyResult = { ok: true; entropy: RemoteEntropy } | { ok: false; error: string };

/** Fresh remote entropy for one beacon (gateway-rs opens a new connection for each). */
export interface EntropySource {
  fetch(done: (result: EntropyResult) => void): void;
}

/** What the beaconer asks the radio to send: the PoC beacon's PHY settings (spec 1.4). */
export interface BeaconTransmission {
  /** 0xE0 || 51 payload bytes. */
  frame: Uint8Array;
  frequencyHz: number;
  /** "SF9BW125" etc. */
  datarate: string;
  /** Conducted power wanted, whole dBm. */
  powerDbm: number;
  /** Not inverted: other hotspots receive a beacon like an uplink. */
  invertIq: false;
  /** Coding rate denominator: 5 = 4/5. */
  codingRate: 5;
  crc: true;
}

/** The radio's answer: the power actually used (it may be lower) and the TX start tmst. */
export type BeaconTxResult = { ok: true; powerDbm: number; tmst: number } | { ok: false; error: string };

export interface BeaconRadio {
  transmit(tx: BeaconTransmission, done: (result: BeaconTxResult) => void): void;
}

/** The bidi stream to ingest, as the gRPC conduit offers it (it reconnects with backoff itself). */
export interface PocTransport {
  /** False when there is no open stream or it is backed up. */
  send(message: Uint8Array): boolean;
  /** The session protocol succeeded on this stream. */
  markHealthy(): void;
  /** Drops the stream; the transport retries later. */
  disconnect(reason: string): void;
}

/** Region params as the config service (or the built-in fallback) gives them. */
export interface PocRegion {
  /** helium.region name ("EU868"); "UNKNOWN" disables PoC. */
  region: string;
  /** Encoded `blockchain_region_params_v1`, in the order served. */
  params: Uint8Array;
  /** Antenna gain, dBi x 10. */
  gainX10: number;
  /** The config service's timestamp, Unix seconds (the beaconer re-anchors on it). */
  timestampSeconds?: number;
}

/** A received LoRa frame as the radio reports it (a subset of the radio's uplink event). */
export interface ReceivedFrame {
  payload: Uint8Array;
  /** 32-bit µs counter at the end of the packet. */
  tmst: number;
  /** Channel RSSI, dBm. */
  rssi: number;
  /** Signal RSSI, dBm, where the radio gives one (gateway-rs prefers it). */
  signalRssi?: number;
  snr: number;
  /** Hz. */
  freq: number;
  /** "SF7BW125" etc. */
  datarate: string;
  crcOk: boolean;
}

/** The core functions PoC uses (the Core interface has them all). */
export type { Core } from "../core/core.js";
