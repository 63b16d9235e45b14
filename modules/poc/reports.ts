// The PoC report messages as gateway-rs fills them (spec 1.5, 3.3, 3.4), signed over their
// canonical encoding with the signature empty (3.5), and wrapped in `lora_stream_request_v1`.
import type { Core } from "../core/core.js";
import { encodeForSigning, encodeMessage } from "../proto/codec.js";
import type { ProtoMessage } from "../proto/values.js";

export interface WitnessReportInput {
  /** Gateway public key binary (tag || key). */
  pubKey: Uint8Array;
  /** The 51 payload bytes (the frame without its MHDR). */
  data: Uint8Array;
  /** Unix ns when the report is built. */
  timestampNs: bigint;
  tmst: number;
  /** RSSI, dBm (rounded to whole dBm, then sent as deci-dBm). */
  rssiDbm: number;
  /** SNR, dB (sent as deci-dB truncated toward zero). */
  snrDb: number;
  frequencyHz: number;
  /** helium.data_rate value. */
  datarate: number;
}

export interface BeaconReportInput {
  pubKey: Uint8Array;
  localEntropy: Uint8Array;
  remoteEntropy: Uint8Array;
  data: Uint8Array;
  frequencyHz: number;
  datarate: number;
  /** Conducted power actually used, whole dBm. */
  txPowerDbm: number;
  timestampNs: bigint;
  /** TX start tmst from the radio, 0 if none. */
  tmst: number;
}

/** Whole dBm as a packet forwarder prints it: rounded half away from zero. */
function wholeDbm(dbm: number): number {
  return Math.sign(dbm) * Math.round(Math.abs(dbm));
}

export function witnessReportFields(input: WitnessReportInput): ProtoMessage {
  return {
    pub_key: input.pubKey,
    data: input.data,
    timestamp: input.timestampNs,
    tmst: input.tmst >>> 0,
    signal: wholeDbm(input.rssiDbm) * 10,
    snr: Math.trunc(input.snrDb * 10),
    frequency: input.frequencyHz,
    datarate: input.datarate,
  };
}

export function beaconReportFields(input: BeaconReportInput): ProtoMessage {
  return {
    pub_key: input.pubKey,
    local_entropy: input.localEntropy,
    remote_entropy: input.remoteEntropy,
    data: input.data,
    frequency: input.frequencyHz,
    channel: 0,
    datarate: input.datarate,
    tx_power: input.txPowerDbm,
    timestamp: input.timestampNs,
    tmst: input.tmst >>> 0,
  };
}

export type ReportName = "lora_witness_report_req_v1" | "lora_beacon_report_req_v1";

/** The report with its signature by `seed` (the session key's seed). */
export function signReport(core: Core, name: ReportName, fields: ProtoMessage, seed: Uint8Array): ProtoMessage {
  return { ...fields, signature: core.ed25519Sign(seed, encodeForSigning(core, name, fields)) };
}

/** `lora_stream_request_v1` carrying one member. */
export function streamRequest(core: Core, member: "beacon_report" | "witness_report" | "session_init", message: ProtoMessage): Uint8Array {
  return encodeMessage(core, "lora_stream_request_v1", { [member]: message });
}

/** Unix ns from Unix ms (µs resolution, exact in a double until the year 2255). */
export function unixNanos(wallMillis: number): bigint {
  return BigInt(Math.round(wallMillis * 1000)) * 1000n;
}
