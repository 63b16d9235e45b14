// PULL_RESP body -> a checked downlink packet. Field rules follow the reference forwarder
// (sx1302_hal lora_pkt_fwd.c): mandatory freq, rfch, modu, datr, codr, size, data and one of
// imme/tmst/tmms; optional powe, ipol, prea (min 6, default 8), ncrc. Every field's JSON type is
// checked; null counts as absent for optional fields (Helium's router sends "prea":null). Unknown
// fields are ignored. A PULL_RESP that fails here is dropped without a TX_ACK, as the reference does.

import { EncodingError, fromBase64 } from "../util/bytes.js";
import { ownField, readJsonObject, type JsonObject } from "./bounded-json.js";
import type { DropReason } from "./gwmp.js";
import type { CodingRate, Datarate, DownlinkTiming } from "./types.js";

/** A downlink as the server asked for it (power not yet checked against the region). */
export interface TxPacket {
  readonly timing: DownlinkTiming;
  readonly freqHz: number;
  /** Undefined when the server sent no `powe`. */
  readonly powerDbm: number | undefined;
  readonly datarate: Datarate;
  readonly codingRate: CodingRate;
  readonly invertIq: boolean;
  readonly preamble: number;
  readonly crc: boolean;
  readonly payload: Uint8Array;
}

export type TxpkResult =
  | { readonly kind: "packet"; readonly packet: TxPacket }
  /** Only `tmms` (GPS time) was given: this board has no GPS, so the answer is GPS_UNLOCKED. */
  | { readonly kind: "gps_time" }
  | { readonly kind: "drop"; readonly reason: DropReason; readonly detail: string };

export const MAX_TXPK_JSON_BYTES = 1020;
const MAX_TXPK_DEPTH = 4;
const MAX_PAYLOAD = 255;
const MIN_PREAMBLE = 6;
const DEFAULT_PREAMBLE = 8;

const CODING_RATES: { readonly [k: string]: CodingRate } = Object.freeze({
  "4/5": "4/5",
  "4/6": "4/6",
  "2/3": "4/6",
  "4/7": "4/7",
  "4/8": "4/8",
  "1/2": "4/8",
});

class FieldError {
  constructor(
    readonly reason: DropReason,
    readonly detail: string,
  ) {}
}

function fail(reason: DropReason, detail: string): never {
  throw new FieldError(reason, detail);
}

function required(o: JsonObject, key: string): unknown {
  const v = ownField(o, key);
  if (v === undefined) fail("missing_field", `txpk.${key} is missing`);
  return v;
}

function optional(o: JsonObject, key: string): unknown {
  const v = ownField(o, key);
  return v === null ? undefined : v;
}

function asNumber(v: unknown, key: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) fail("wrong_type", `txpk.${key} is not a number`);
  return v;
}

function asInteger(v: unknown, key: string, min: number, max: number): number {
  const n = asNumber(v, key);
  if (!Number.isInteger(n) || n < min || n > max) fail("bad_value", `txpk.${key} ${n} is not an integer in ${min}..${max}`);
  return n;
}

function asBoolean(v: unknown, key: string): boolean {
  if (typeof v !== "boolean") fail("wrong_type", `txpk.${key} is not a boolean`);
  return v;
}

function asString(v: unknown, key: string, maxLength: number): string {
  if (typeof v !== "string") fail("wrong_type", `txpk.${key} is not a string`);
  if (v.length > maxLength) fail("bad_value", `txpk.${key} is longer than ${maxLength} characters`);
  return v;
}

function readTiming(t: JsonObject): DownlinkTiming | undefined {
  const imme = optional(t, "imme");
  if (imme !== undefined && asBoolean(imme, "imme")) return { kind: "immediate" };
  const tmst = optional(t, "tmst");
  if (tmst !== undefined) return { kind: "tmst", tmst: asInteger(tmst, "tmst", 0, 0xffffffff) };
  const tmms = optional(t, "tmms");
  if (tmms !== undefined) {
    asNumber(tmms, "tmms");
    return undefined;
  }
  return fail("missing_field", "txpk has none of imme, tmst, tmms");
}

function readDatarate(t: JsonObject): Datarate {
  const datr = asString(required(t, "datr"), "datr", 16);
  const m = /^SF([0-9]{1,2})BW([0-9]{3})$/.exec(datr); // made per call (a RegExp made at module load is preloaded: device/README.md)
  if (!m) fail("bad_value", `txpk.datr "${datr}" is not SF<n>BW<khz>`);
  const sf = Number(m[1]);
  const bw = Number(m[2]);
  if (sf < 5 || sf > 12) fail("bad_value", `txpk.datr spreading factor ${sf} is not 5..12`);
  if (bw !== 125 && bw !== 250 && bw !== 500) fail("bad_value", `txpk.datr bandwidth ${bw} is not 125, 250 or 500`);
  return { sf, bw };
}

function readPayload(t: JsonObject): Uint8Array {
  const size = asInteger(required(t, "size"), "size", 0, MAX_PAYLOAD);
  const data = asString(required(t, "data"), "data", Math.ceil(MAX_PAYLOAD / 3) * 4);
  let payload: Uint8Array;
  try {
    payload = fromBase64(data);
  } catch (e) {
    if (e instanceof EncodingError) fail("bad_value", `txpk.data: ${e.message}`);
    throw e;
  }
  if (payload.length !== size) fail("bad_value", `txpk.size ${size} but data holds ${payload.length} bytes`);
  return payload;
}

function readTxpk(t: JsonObject): TxpkResult {
  const timing = readTiming(t);
  // Field order follows the reference so the same datagram fails for the same reason.
  const freqMHz = asNumber(required(t, "freq"), "freq");
  if (freqMHz <= 0 || freqMHz >= 10000) fail("bad_value", `txpk.freq ${freqMHz} MHz is out of range`);
  const rfch = asInteger(required(t, "rfch"), "rfch", 0, 255);
  if (rfch !== 0) fail("unsupported", `txpk.rfch ${rfch}: this board has one RF chain (0)`);
  const powe = optional(t, "powe");
  const powerDbm = powe === undefined ? undefined : asInteger(powe, "powe", -128, 127);
  const modu = asString(required(t, "modu"), "modu", 8);
  if (modu === "FSK") fail("unsupported", "txpk.modu FSK: this forwarder sends LoRa only");
  if (modu !== "LORA") fail("bad_value", `txpk.modu "${modu}" is neither LORA nor FSK`);
  const datarate = readDatarate(t);
  const codr = asString(required(t, "codr"), "codr", 8);
  if (!Object.prototype.hasOwnProperty.call(CODING_RATES, codr)) fail("bad_value", `txpk.codr "${codr}" is not a LoRa coding rate`);
  const codingRate = CODING_RATES[codr];
  const ipol = optional(t, "ipol");
  const prea = optional(t, "prea");
  const ncrc = optional(t, "ncrc");
  const nhdr = optional(t, "nhdr");
  const invertIq = ipol === undefined ? false : asBoolean(ipol, "ipol");
  const preamble = prea === undefined ? DEFAULT_PREAMBLE : Math.max(MIN_PREAMBLE, asInteger(prea, "prea", 0, 65535));
  const crc = ncrc === undefined ? true : !asBoolean(ncrc, "ncrc");
  if (nhdr !== undefined && asBoolean(nhdr, "nhdr")) fail("unsupported", "txpk.nhdr: implicit-header downlinks are not supported");
  const payload = readPayload(t);
  if (timing === undefined) return { kind: "gps_time" };
  return {
    kind: "packet",
    packet: { timing, freqHz: Math.round(freqMHz * 1e6), powerDbm, datarate, codingRate, invertIq, preamble, crc, payload },
  };
}

/** Reads the JSON body of a PULL_RESP. Never throws. */
export function parsePullRespBody(json: Uint8Array): TxpkResult {
  const read = readJsonObject(json, MAX_TXPK_JSON_BYTES, MAX_TXPK_DEPTH);
  if (!read.ok) return { kind: "drop", reason: read.reason, detail: read.detail };
  const txpk = ownField(read.value, "txpk");
  if (txpk === undefined) return { kind: "drop", reason: "missing_field", detail: "no txpk object" };
  if (typeof txpk !== "object" || txpk === null || Array.isArray(txpk)) {
    return { kind: "drop", reason: "wrong_type", detail: "txpk is not an object" };
  }
  try {
    return readTxpk(txpk as JsonObject);
  } catch (e) {
    if (e instanceof FieldError) return { kind: "drop", reason: e.reason, detail: e.detail };
    return { kind: "drop", reason: "bad_value", detail: `txpk could not be read: ${String(e)}` };
  }
}
