// The forwarder's seams: what it receives from the radio, what it hands to the downlink queue, and what
// it needs from the host. The composition root (modules/app/) adapts the radio's real objects to these
// shapes; see README.md in this folder.

import type { Clock, Log, Resolver, Timers, UDPConstructor } from "../host/provider.js";

/** LoRa coding rate as GWMP writes it. */
export type CodingRate = "4/5" | "4/6" | "4/7" | "4/8";

/** LoRa datarate: spreading factor 5..12 and bandwidth in kHz (125, 250 or 500), as in "SF7BW125". */
export interface Datarate {
  readonly sf: number;
  readonly bw: number;
}

/** One packet heard by the radio, as modules/radio/ emits it. */
export interface UplinkEvent {
  /** The PHYPayload, 0..255 bytes. */
  readonly payload: Uint8Array;
  /** Low 32 bits of the host µs clock at the end of the packet (the downlink clock). */
  readonly tmst: number;
  /** Packet RSSI, dBm. */
  readonly rssi: number;
  /** Packet SNR, dB. */
  readonly snr: number;
  /** Centre frequency, Hz (integer). */
  readonly freq: number;
  readonly datarate: Datarate;
  /** True when the PHY CRC was present and correct. */
  readonly crcOk: boolean;
  readonly codingRate: string;
}

/** When a downlink goes out: at a counter value (Class A, `tmst` from the server) or as soon as possible. */
export type DownlinkTiming = { readonly kind: "tmst"; readonly tmst: number } | { readonly kind: "immediate" };

/** A downlink for the radio's JIT queue, validated and converted from a GWMP `txpk`. */
export interface DownlinkRequest {
  readonly timing: DownlinkTiming;
  readonly freqHz: number;
  /** Output power in dBm, already clamped to the region's maximum. */
  readonly powerDbm: number;
  readonly datarate: Datarate;
  readonly codingRate: CodingRate;
  /** Inverted IQ (LoRaWAN downlinks: true). */
  readonly invertIq: boolean;
  /** Preamble length in symbols (at least 6, default 8). */
  readonly preamble: number;
  /** PHY CRC on the packet (GWMP `ncrc` negated). */
  readonly crc: boolean;
  readonly payload: Uint8Array;
  /**
   * Called by the radio at most once, after it accepted the request: true when the packet was emitted,
   * false when it was dropped later (radio error, missed deadline). Feeds `stat.txnb`.
   */
  onDone?(emitted: boolean): void;
}

/** The downlink queue's verdict, named as in GWMP `txpk_ack`. */
export type ScheduleCode =
  | "NONE"
  | "TOO_LATE"
  | "TOO_EARLY"
  | "COLLISION_PACKET"
  | "COLLISION_BEACON"
  | "TX_FREQ"
  | "TX_POWER";

export interface ScheduleResult {
  readonly code: ScheduleCode;
  /**
   * With TX_POWER: the packet was accepted but will be sent at this power (dBm) instead of the one
   * asked for - a warning, as sx1302_hal's forwarder reports it.
   */
  readonly powerUsedDbm?: number;
}

/** The radio's JIT downlink queue (modules/radio/), or anything that decides like it. */
export interface DownlinkScheduler {
  schedule(request: DownlinkRequest): ScheduleResult;
}

/** What the region plan allows the transmitter to do. */
export interface TxLimits {
  readonly minFreqHz: number;
  readonly maxFreqHz: number;
  /** Also the power used when a `txpk` has no `powe`. */
  readonly maxPowerDbm: number;
}

/** The part of the host provider the forwarder uses. */
export interface ForwarderHost {
  readonly io: { readonly UDP: UDPConstructor };
  /** Resolves the servers' names (UDP writes take addresses only). */
  readonly dns: Resolver;
  readonly clock: Clock;
  readonly timers: Timers;
  random(bytes: Uint8Array): void;
  readonly log: Log;
}

/** Everything the forwarder is given besides its configuration. */
export interface ForwarderDeps {
  readonly host: ForwarderHost;
  readonly scheduler: DownlinkScheduler;
  /** Read on every downlink, so a region change applies at once. */
  txLimits(): TxLimits;
}
