// LoRaWAN classification from the core against lora-packet 0.9.3 (fromFields to build frames,
// fromWire to read them). lora-packet shows DevAddr, FCnt, EUIs and DevNonce as big-endian
// buffers; the core's record holds them as little-endian values, so value hex == lora-packet hex.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import { createRequire } from "node:module";
import { loadRawCore } from "./support/raw-core.js";

// lora-packet is CommonJS; these are the parts of its LoraPacket used here.
interface LoraPacket {
  getMType(): string;
  getFCnt(): number | null;
  getFPort(): number | null;
  getPHYPayload(): Buffer | void;
  AppEUI?: Buffer;
  DevEUI?: Buffer;
  DevNonce?: Buffer;
  DevAddr?: Buffer;
  FCtrl?: Buffer;
  FOpts?: Buffer;
  FRMPayload?: Buffer;
}
const require = createRequire(import.meta.url);
const lora = require("lora-packet") as { fromWire: (b: Buffer) => LoraPacket; fromFields: (f: object) => LoraPacket };

const TYPES = ["join_request", "join_accept", "unconfirmed_up", "confirmed_up", "unconfirmed_down", "confirmed_down", "beacon", "proprietary", "invalid"];
const REASONS = ["none", "empty", "too_long", "rfu_mtype", "major", "join_request_length", "join_accept_length", "data_too_short", "fopts_overflow", "fport0_with_fopts"];
const LORA_PACKET_MTYPE: Record<string, string> = {
  join_request: "Join Request", join_accept: "Join Accept", unconfirmed_up: "Unconfirmed Data Up",
  confirmed_up: "Confirmed Data Up", unconfirmed_down: "Unconfirmed Data Down", confirmed_down: "Confirmed Data Down",
  beacon: "Proprietary", proprietary: "Proprietary",
};

const core = loadRawCore();
const classify = core.exports.lorawan_classify as (inPtr: number, len: number, outPtr: number) => number;

interface Record_ {
  type: string; reason: string; mtype: number; major: number; flags: number; fctrl: number; foptsLen: number; fport: number;
  devAddr: string; fcnt: number; devNonce: string; joinEui: string; devEui: string; payloadOffset: number; payloadLength: number;
}

/** Reads the 36-byte record as documented in assembly/lorawan/classify.ts. */
function ours(frame: Uint8Array): Record_ {
  const inPtr = core.put(frame, 64);
  assert.equal(classify(inPtr, frame.length, core.scratch), 36);
  const r = new DataView(core.get(core.scratch, 36).buffer);
  const hex = (v: bigint | number, digits: number) => v.toString(16).padStart(digits, "0");
  return {
    type: TYPES[r.getUint8(0)], reason: REASONS[r.getUint8(1)], mtype: r.getUint8(2), major: r.getUint8(3),
    flags: r.getUint8(4), fctrl: r.getUint8(5), foptsLen: r.getUint8(6), fport: r.getUint8(7),
    devAddr: hex(r.getUint32(8, true), 8), fcnt: r.getUint16(12, true), devNonce: hex(r.getUint16(14, true), 4),
    joinEui: hex(r.getBigUint64(16, true), 16), devEui: hex(r.getBigUint64(24, true), 16),
    payloadOffset: r.getUint16(32, true), payloadLength: r.getUint16(34, true),
  };
}

/** Field-by-field comparison of a frame the core calls valid with lora-packet's reading of it. */
function compareWithLoraPacket(frame: Uint8Array, rec: Record_): void {
  const p = lora.fromWire(Buffer.from(frame));
  assert.equal(p.getMType(), LORA_PACKET_MTYPE[rec.type], `type of ${Buffer.from(frame).toString("hex")}`);
  if (rec.type === "join_request") {
    assert.equal(rec.flags, 4);
    assert.equal(rec.joinEui, p.AppEUI!.toString("hex"));
    assert.equal(rec.devEui, p.DevEUI!.toString("hex"));
    assert.equal(rec.devNonce, p.DevNonce!.toString("hex"));
  } else if (rec.type.endsWith("_up") || rec.type.endsWith("_down")) {
    assert.equal(rec.devAddr, p.DevAddr!.toString("hex"));
    assert.equal(rec.fcnt, p.getFCnt());
    assert.equal(rec.fctrl, p.FCtrl![0]);
    assert.equal(rec.foptsLen, p.FOpts!.length);
    const port = p.getFPort();
    assert.equal((rec.flags & 2) !== 0, port !== null);
    if (port !== null) {
      assert.equal(rec.fport, port);
      assert.deepEqual(Buffer.from(frame.subarray(rec.payloadOffset, rec.payloadOffset + rec.payloadLength)), p.FRMPayload);
    }
  } else if (rec.type === "beacon" || rec.type === "proprietary") {
    assert.equal(rec.payloadOffset, 1);
    assert.equal(rec.payloadLength, frame.length - 1);
    assert.equal(rec.type === "beacon", frame.length === 52);
  }
}

/** The spec's rules for what is invalid (radio-and-wire.md E.1, gateway-rs lorawan lengths), stated independently. */
function expectedReason(frame: Uint8Array): string {
  if (frame.length === 0) return "empty";
  if (frame.length > 255) return "too_long";
  const mtype = frame[0] >> 5;
  if (mtype === 6) return "rfu_mtype";
  if ((frame[0] & 3) !== 0) return "major";
  if (mtype === 7) return "none";
  if (mtype === 0) return frame.length === 23 ? "none" : "join_request_length";
  if (mtype === 1) return frame.length === 17 || frame.length === 33 ? "none" : "join_accept_length";
  if (frame.length < 12) return "data_too_short";
  const fopts = frame[5] & 15;
  if (frame.length < 12 + fopts) return "fopts_overflow";
  if (frame.length > 12 + fopts && frame[8 + fopts] === 0 && fopts > 0) return "fport0_with_fopts";
  return "none";
}

function randomDataFields(): { fields: Record<string, unknown>; fopts: number; fport: number | undefined } {
  const fopts = randomInt(0, 16);
  const maxPayload = 255 - 13 - fopts;
  const payload = randomBytes(randomInt(0, 4) === 0 ? 0 : randomInt(1, maxPayload + 1));
  const portChoice = randomInt(0, 6);
  const fport = payload.length === 0 ? (portChoice < 3 ? undefined : randomInt(0, 256)) : portChoice === 0 ? 0 : randomInt(1, 256);
  const fields: Record<string, unknown> = {
    MType: randomInt(2, 6),
    DevAddr: randomBytes(4),
    FCnt: randomInt(0, 65536),
    FCtrl: { ADR: randomInt(0, 2) === 1, ADRACKReq: randomInt(0, 2) === 1, ACK: randomInt(0, 2) === 1, FPending: randomInt(0, 2) === 1 },
    FOpts: randomBytes(fopts),
    payload,
  };
  if (fport !== undefined) fields.FPort = fport;
  return { fields, fopts, fport };
}

test("1,500 random valid frames built by lora-packet classify as lora-packet reads them", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1500; i++) {
    const kind = i % 10;
    let frame: Uint8Array;
    if (kind < 7) {
      const { fields } = randomDataFields();
      frame = new Uint8Array(lora.fromFields(fields).getPHYPayload()!);
    } else if (kind === 7) {
      frame = new Uint8Array(lora.fromFields({ MType: "Join Request", AppEUI: randomBytes(8), DevEUI: randomBytes(8), DevNonce: randomBytes(2) }).getPHYPayload()!);
    } else if (kind === 8) {
      const fields: Record<string, unknown> = { MType: "Join Accept", AppNonce: randomBytes(3), NetID: randomBytes(3), DevAddr: randomBytes(4), DLSettings: randomInt(1, 128), RxDelay: randomInt(1, 16) };
      if (randomInt(0, 2) === 1) fields.CFList = randomBytes(16);
      frame = new Uint8Array(lora.fromFields(fields).getPHYPayload()!);
    } else {
      frame = new Uint8Array([0xe0, ...randomBytes(randomInt(0, 3) === 0 ? 51 : randomInt(0, 100))]);
    }
    const rec = ours(frame);
    seen.add(rec.type);
    assert.equal(rec.reason, expectedReason(frame), Buffer.from(frame).toString("hex"));
    if (rec.type === "invalid") {
      assert.equal(rec.reason, "fport0_with_fopts", Buffer.from(frame).toString("hex"));
      continue;
    }
    compareWithLoraPacket(frame, rec);
  }
  for (const t of TYPES) if (t !== "invalid") assert.ok(seen.has(t), `no ${t} frame`);
});

test("2,000 random byte strings: valid ones match lora-packet, invalid ones name the rule they break", () => {
  const reasons = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const len = i % 20 === 0 ? randomInt(256, 400) : randomInt(0, 60);
    const frame = new Uint8Array(randomBytes(len));
    if (len > 0 && i % 3 === 0) frame[0] &= 0xfc; // Major 0 more often, so more frames get past the MHDR
    const rec = ours(frame);
    assert.equal(rec.reason, expectedReason(frame), Buffer.from(frame).toString("hex"));
    reasons.add(rec.reason);
    if (rec.type === "invalid") {
      assert.equal(rec.flags, 0);
      if (len > 0) {
        assert.equal(rec.mtype, frame[0] >> 5);
        assert.equal(rec.major, frame[0] & 3);
      }
    } else {
      compareWithLoraPacket(frame, rec);
    }
  }
  for (const r of REASONS) if (r !== "fport0_with_fopts") assert.ok(reasons.has(r), `no ${r} case`);
});

test("the oracle vectors read as lora-packet reads them", () => {
  for (const hex of ["40F17DBE4900020001954378762B11FF0D", "40040302012003000198a92f3befa21bed", "00000000d07ed5b37030051c000ba304003412dc7fda4e"]) {
    const frame = new Uint8Array(Buffer.from(hex, "hex"));
    const rec = ours(frame);
    assert.notEqual(rec.type, "invalid");
    compareWithLoraPacket(frame, rec);
  }
  assert.equal(ours(new Uint8Array(Buffer.from("40F17DBE4900020001954378762B11FF0D", "hex"))).devAddr, "49be7df1");
});
