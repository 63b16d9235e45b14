// JSON the gateway sends: `rxpk` objects, the `stat` object and the `txpk_ack` object. Written by hand
// (every string is fixed ASCII, so nothing needs escaping) to control number formats: freq in MHz
// with 6 decimals (Hz precision), lsnr with 1 decimal, rssi as an integer, ackr with 1 decimal.

import { toBase64 } from "../util/bytes.js";
import type { ScheduleCode, UplinkEvent } from "./types.js";

const CODING_RATES = Object.freeze(["4/5", "4/6", "4/7", "4/8"]);

/** Why an uplink event cannot be written as an rxpk, or undefined when it can. */
export function checkUplink(u: UplinkEvent): string | undefined {
  if (!(u.payload instanceof Uint8Array) || u.payload.length > 255) return "payload is not 0..255 bytes";
  if (!Number.isInteger(u.tmst) || u.tmst < 0 || u.tmst > 0xffffffff) return "tmst is not a 32-bit counter value";
  if (!Number.isInteger(u.freq) || u.freq <= 0 || u.freq >= 1e10) return "freq is not a positive integer in Hz";
  if (typeof u.rssi !== "number" || !Number.isFinite(u.rssi)) return "rssi is not a number";
  if (typeof u.snr !== "number" || !Number.isFinite(u.snr)) return "snr is not a number";
  const dr = u.datarate;
  if (typeof dr !== "object" || dr === null) return "datarate is missing";
  if (!Number.isInteger(dr.sf) || dr.sf < 5 || dr.sf > 12) return "spreading factor is not 5..12";
  if (dr.bw !== 125 && dr.bw !== 250 && dr.bw !== 500) return "bandwidth is not 125, 250 or 500 kHz";
  if (CODING_RATES.indexOf(u.codingRate) < 0) return `coding rate "${String(u.codingRate)}" is not 4/5..4/8`;
  if (typeof u.crcOk !== "boolean") return "crcOk is not a boolean";
  return undefined;
}

/** Hz -> MHz with exactly 6 decimals, by integer arithmetic (no binary rounding). */
export function formatMHz(hz: number): string {
  const whole = Math.floor(hz / 1e6);
  return `${whole}.${String(hz - whole * 1e6).padStart(6, "0")}`;
}

/** Rounds half away from zero, like C's roundf (Math.round rounds -0.5 up). */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** One decimal, without a "-0.0". */
function oneDecimal(x: number): string {
  const tenths = roundHalfAway(x * 10);
  if (tenths === 0) return "0.0";
  const sign = tenths < 0 ? "-" : "";
  const abs = Math.abs(tenths);
  return `${sign}${Math.floor(abs / 10)}.${abs % 10}`;
}

function isoParts(unixMillis: number): string {
  // "YYYY-MM-DDTHH:MM:SS" from Date, which both XS and Node have.
  return new Date(unixMillis).toISOString().slice(0, 19);
}

/** rxpk `time`: ISO 8601 compact UTC with µs, e.g. "2013-03-31T16:21:17.528002Z". */
export function formatRxTime(unixMicros: number): string {
  const us = Math.floor(unixMicros);
  const seconds = Math.floor(us / 1e6);
  return `${isoParts(seconds * 1000)}.${String(us - seconds * 1e6).padStart(6, "0")}Z`;
}

/** stat `time`: "expanded" UTC, e.g. "2014-01-12 08:59:28 GMT". */
export function formatStatTime(unixMillis: number): string {
  const iso = isoParts(unixMillis);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} GMT`;
}

/** One rxpk object for a checked uplink; `time` is included when the wall clock is known. */
export function rxpkJson(u: UplinkEvent, timeMicros: number | undefined): string {
  const time = timeMicros === undefined ? "" : `"time":"${formatRxTime(timeMicros)}",`;
  return (
    `{${time}"tmst":${u.tmst},"chan":0,"rfch":0,"freq":${formatMHz(u.freq)},"stat":${u.crcOk ? 1 : -1},` +
    `"modu":"LORA","datr":"SF${u.datarate.sf}BW${u.datarate.bw}","codr":"${u.codingRate}",` +
    `"rssi":${roundHalfAway(u.rssi)},"lsnr":${oneDecimal(u.snr)},"size":${u.payload.length},"data":"${toBase64(u.payload)}"}`
  );
}

/** Counters of one stat interval (the forwarder's view of one server). */
export interface StatCounters {
  /** Radio packets received. */
  rxnb: number;
  /** Of those, with a valid PHY CRC. */
  rxok: number;
  /** Forwarded to this server. */
  rxfw: number;
  /** PUSH_DATA datagrams whose fate (acked or timed out) was settled in the interval. */
  pushSettled: number;
  /** Of those, acknowledged. */
  pushAcked: number;
  /** PULL_RESP datagrams received with a readable txpk. */
  dwnb: number;
  /** Packets emitted for this server. */
  txnb: number;
}

/** Percentage of settled upstream datagrams that were acknowledged; 0 when none settled (as the reference). */
export function ackRatioPercent(c: StatCounters): number {
  return c.pushSettled === 0 ? 0 : (100 * c.pushAcked) / c.pushSettled;
}

export function statJson(c: StatCounters, unixMillis: number): string {
  return (
    `{"stat":{"time":"${formatStatTime(unixMillis)}","rxnb":${c.rxnb},"rxok":${c.rxok},"rxfw":${c.rxfw},` +
    `"ackr":${oneDecimal(ackRatioPercent(c))},"dwnb":${c.dwnb},"txnb":${c.txnb}}}`
  );
}

/** A TX_ACK's answer: the queue's codes plus GPS_UNLOCKED for `tmms` downlinks (no GPS here). */
export type TxAckCode = ScheduleCode | "GPS_UNLOCKED";

export const TX_ACK_CODES: readonly TxAckCode[] = Object.freeze([
  "NONE",
  "TOO_LATE",
  "TOO_EARLY",
  "COLLISION_PACKET",
  "COLLISION_BEACON",
  "TX_FREQ",
  "TX_POWER",
  "GPS_UNLOCKED",
]);

/**
 * The `txpk_ack` body. Success is sent explicitly as "NONE" (the v1.3 protocol text's value; servers
 * also accept an empty TX_ACK). TX_POWER is a warning with the power used, as sx1302_hal sends it:
 * `{"txpk_ack":{"warn":"TX_POWER","value":14}}`.
 */
export function txAckJson(code: TxAckCode, powerUsedDbm?: number): string {
  if (code === "TX_POWER") return `{"txpk_ack":{"warn":"TX_POWER","value":${Math.round(powerUsedDbm ?? 0)}}}`;
  return `{"txpk_ack":{"error":"${code}"}}`;
}
