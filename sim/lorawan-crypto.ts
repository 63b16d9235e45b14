// LoRaWAN 1.0.x frame crypto for simulated end devices, on node:crypto's AES-128 (ECB blocks):
// AES-CMAC (RFC 4493) for MICs, the counter-mode FRMPayload cipher, join-request/accept and the
// session-key derivation. Facts: spec/radio-and-wire.md section E. Tests check it against
// lora-packet and the spec's vectors, so the devnet can verify our devices independently.
import { createCipheriv } from "node:crypto";

export function aesEncryptBlocks(key: Uint8Array, data: Uint8Array): Uint8Array {
  const cipher = createCipheriv("aes-128-ecb", key, null);
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(data), cipher.final()]));
}

function shiftLeft(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = ((block[i] << 1) | (i < 15 ? block[i + 1] >> 7 : 0)) & 0xff;
  return out;
}

function subkey(block: Uint8Array): Uint8Array {
  const k = shiftLeft(block);
  if (block[0] & 0x80) k[15] ^= 0x87;
  return k;
}

/** AES-CMAC (RFC 4493), full 16-byte tag. */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const k1 = subkey(aesEncryptBlocks(key, new Uint8Array(16)));
  const k2 = subkey(k1);
  const blocks = Math.max(1, Math.ceil(message.length / 16));
  const complete = message.length > 0 && message.length % 16 === 0;
  const padded = new Uint8Array(blocks * 16);
  padded.set(message);
  if (!complete) padded[message.length] = 0x80;
  const last = complete ? k1 : k2;
  for (let i = 0; i < 16; i++) padded[(blocks - 1) * 16 + i] ^= last[i];
  let x: Uint8Array = new Uint8Array(16);
  for (let b = 0; b < blocks; b++) {
    const y = new Uint8Array(16);
    for (let i = 0; i < 16; i++) y[i] = x[i] ^ padded[b * 16 + i];
    x = aesEncryptBlocks(key, y);
  }
  return x;
}

function writeU32le(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value & 0xff;
  out[offset + 1] = (value >>> 8) & 0xff;
  out[offset + 2] = (value >>> 16) & 0xff;
  out[offset + 3] = (value >>> 24) & 0xff;
}

export type Direction = 0 | 1;

/** Data-frame MIC: CMAC(NwkSKey, B0 || msg)[0..3], B0 = 49 00000000 dir devaddr fcnt 00 len. */
export function dataMic(nwkSKey: Uint8Array, dir: Direction, devAddr: number, fCnt: number, msg: Uint8Array): Uint8Array {
  const b0 = new Uint8Array(16 + msg.length);
  b0[0] = 0x49;
  b0[5] = dir;
  writeU32le(b0, 6, devAddr);
  writeU32le(b0, 10, fCnt);
  b0[15] = msg.length;
  b0.set(msg, 16);
  return aesCmac(nwkSKey, b0).slice(0, 4);
}

/** FRMPayload cipher (encrypts and decrypts): XOR with AES(K, Ai), Ai = 01 00000000 dir devaddr fcnt 00 i. */
export function cryptFrmPayload(key: Uint8Array, dir: Direction, devAddr: number, fCnt: number, data: Uint8Array): Uint8Array {
  const blocks = Math.ceil(data.length / 16);
  const a = new Uint8Array(16 * blocks);
  for (let i = 0; i < blocks; i++) {
    a[16 * i] = 0x01;
    a[16 * i + 5] = dir;
    writeU32le(a, 16 * i + 6, devAddr);
    writeU32le(a, 16 * i + 10, fCnt);
    a[16 * i + 15] = i + 1;
  }
  const s = aesEncryptBlocks(key, a);
  return data.map((b, i) => b ^ s[i]);
}

/** Session keys: AES(AppKey, 0x01|0x02 || AppNonce || NetID || DevNonce || pad), fields as on the air. */
export function deriveSessionKeys(appKey: Uint8Array, appNonceWire: Uint8Array, netIdWire: Uint8Array, devNonceWire: Uint8Array) {
  const block = (tag: number) => {
    const b = new Uint8Array(16);
    b[0] = tag;
    b.set(appNonceWire, 1);
    b.set(netIdWire, 4);
    b.set(devNonceWire, 7);
    return aesEncryptBlocks(appKey, b);
  };
  return { nwkSKey: block(0x01), appSKey: block(0x02) };
}

/** An EUI as displayed (big-endian hex) -> its 8 wire bytes (little-endian). */
export function euiToWire(displayHex: string): Uint8Array {
  if (!/^[0-9a-fA-F]{16}$/.test(displayHex)) throw new RangeError(`EUI must be 16 hex digits: ${displayHex}`);
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[7 - i] = parseInt(displayHex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export interface DataFrame {
  confirmed: boolean;
  uplink: boolean;
  devAddr: number;
  fCtrl: number;
  fCnt: number;
  fOpts: Uint8Array;
  fPort: number | undefined;
  frmPayload: Uint8Array;
}

/** Builds a data PHYPayload: MHDR FHDR [FPort FRMPayload] MIC, FRMPayload encrypted before the MIC. */
export function buildDataFrame(f: DataFrame, keys: { nwkSKey: Uint8Array; appSKey: Uint8Array }): Uint8Array {
  const mtype = f.uplink ? (f.confirmed ? 4 : 2) : f.confirmed ? 5 : 3;
  const dir: Direction = f.uplink ? 0 : 1;
  const hasPort = f.fPort !== undefined;
  const parts: number[] = [mtype << 5, f.devAddr & 0xff, (f.devAddr >>> 8) & 0xff, (f.devAddr >>> 16) & 0xff, (f.devAddr >>> 24) & 0xff];
  parts.push((f.fCtrl & 0xf0) | f.fOpts.length, f.fCnt & 0xff, (f.fCnt >>> 8) & 0xff, ...f.fOpts);
  if (hasPort) {
    parts.push(f.fPort!);
    const key = f.fPort === 0 ? keys.nwkSKey : keys.appSKey;
    parts.push(...cryptFrmPayload(key, dir, f.devAddr, f.fCnt, f.frmPayload));
  }
  const msg = Uint8Array.from(parts);
  const mic = dataMic(keys.nwkSKey, dir, f.devAddr, f.fCnt, msg);
  const out = new Uint8Array(msg.length + 4);
  out.set(msg);
  out.set(mic, msg.length);
  return out;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Parses and checks a data frame for `devAddr`: direction, address, MIC (the 32-bit counter is the
 * last one with its low 16 bits replaced, rolled over when they went backwards), and decrypts.
 */
export function openDataFrame(phy: Uint8Array, keys: { nwkSKey: Uint8Array; appSKey: Uint8Array }, devAddr: number, lastFCnt: number, uplink: boolean): ParseResult<DataFrame> {
  if (phy.length < 12) return { ok: false, reason: "shorter than 12 bytes" };
  const mtype = phy[0] >> 5;
  const expected = uplink ? [2, 4] : [3, 5];
  if (!expected.includes(mtype) || (phy[0] & 3) !== 0) return { ok: false, reason: `MHDR 0x${phy[0].toString(16)} is not a ${uplink ? "data uplink" : "data downlink"}` };
  const addr = (phy[1] | (phy[2] << 8) | (phy[3] << 16) | (phy[4] << 24)) >>> 0;
  if (addr !== devAddr >>> 0) return { ok: false, reason: "another DevAddr" };
  const fCtrl = phy[5];
  const optsLen = fCtrl & 0x0f;
  const headerEnd = 8 + optsLen;
  if (headerEnd > phy.length - 4) return { ok: false, reason: "FOpts run past the MIC" };
  const low = phy[6] | (phy[7] << 8);
  let fCnt = ((lastFCnt & 0xffff0000) | low) >>> 0;
  if (fCnt < lastFCnt) fCnt = (fCnt + 0x10000) >>> 0;
  const msg = phy.subarray(0, phy.length - 4);
  const dir: Direction = uplink ? 0 : 1;
  const mic = dataMic(keys.nwkSKey, dir, devAddr, fCnt, msg);
  const got = phy.subarray(phy.length - 4);
  if (!mic.every((b, i) => b === got[i])) return { ok: false, reason: "MIC mismatch" };
  const hasPort = headerEnd < msg.length;
  const fPort = hasPort ? phy[headerEnd] : undefined;
  const enc = hasPort ? msg.subarray(headerEnd + 1) : new Uint8Array(0);
  const frmPayload = fPort === undefined ? enc : cryptFrmPayload(fPort === 0 ? keys.nwkSKey : keys.appSKey, dir, devAddr, fCnt, enc);
  return { ok: true, value: { confirmed: mtype === 4 || mtype === 5, uplink, devAddr, fCtrl, fCnt, fOpts: phy.slice(8, headerEnd), fPort, frmPayload } };
}

/** JoinRequest: 00 || JoinEUI || DevEUI || DevNonce || MIC (all little-endian on air). */
export function buildJoinRequest(joinEui: string, devEui: string, devNonce: number, appKey: Uint8Array): Uint8Array {
  const msg = new Uint8Array(19);
  msg[0] = 0x00;
  msg.set(euiToWire(joinEui), 1);
  msg.set(euiToWire(devEui), 9);
  msg[17] = devNonce & 0xff;
  msg[18] = (devNonce >>> 8) & 0xff;
  const out = new Uint8Array(23);
  out.set(msg);
  out.set(aesCmac(appKey, msg).slice(0, 4), 19);
  return out;
}

export interface JoinAccept {
  appNonceWire: Uint8Array;
  netIdWire: Uint8Array;
  devAddr: number;
  rx1DrOffset: number;
  rx2DataRate: number;
  rxDelaySeconds: number;
  cfList: Uint8Array | undefined;
}

/** Opens a JoinAccept: the device AES-encrypts the ciphertext to recover it, then checks the MIC. */
export function openJoinAccept(phy: Uint8Array, appKey: Uint8Array): ParseResult<JoinAccept> {
  if (phy.length !== 17 && phy.length !== 33) return { ok: false, reason: `JoinAccept of ${phy.length} bytes` };
  if (phy[0] !== 0x20) return { ok: false, reason: "not a JoinAccept" };
  const plain = aesEncryptBlocks(appKey, phy.subarray(1));
  const body = plain.subarray(0, plain.length - 4);
  const msg = new Uint8Array(1 + body.length);
  msg[0] = phy[0];
  msg.set(body, 1);
  const mic = aesCmac(appKey, msg).slice(0, 4);
  if (!mic.every((b, i) => b === plain[plain.length - 4 + i])) return { ok: false, reason: "MIC mismatch" };
  const devAddr = (body[6] | (body[7] << 8) | (body[8] << 16) | (body[9] << 24)) >>> 0;
  return {
    ok: true,
    value: {
      appNonceWire: body.slice(0, 3),
      netIdWire: body.slice(3, 6),
      devAddr,
      rx1DrOffset: (body[10] >> 4) & 7,
      rx2DataRate: body[10] & 0x0f,
      rxDelaySeconds: body[11] & 0x0f || 1,
      cfList: body.length > 12 ? body.slice(12) : undefined,
    },
  };
}
