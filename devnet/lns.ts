// A small LoRaWAN 1.0.x network server for the devnet, built on lora-packet: OTAA joins answered with
// join-accepts, uplink MICs checked with the session keys, frame counters tracked, confirmed uplinks
// ACKed in RX1 with RX2 as the fallback window. Everything it sees is recorded for tests.
import { createHash, randomBytes } from "node:crypto";
import { loraPacket, type LoraPacket } from "./lora.js";

/** helium.data_rate values used here. */
export const DATA_RATE = {
  SF12BW125: 0, SF11BW125: 1, SF10BW125: 2, SF9BW125: 3, SF8BW125: 4, SF7BW125: 5,
  SF12BW500: 12, SF11BW500: 13, SF10BW500: 14, SF9BW500: 15, SF8BW500: 16, SF7BW500: 17,
} as const;

export interface OtaaDevice {
  devEui: string; // hex, big-endian as printed on the device
  joinEui: string;
  appKey: string;
}
export interface AbpDevice {
  devAddr: string; // hex, big-endian
  nwkSKey: string;
  appSKey: string;
}

interface Session {
  devAddr: string;
  nwkSKey: Buffer;
  appSKey: Buffer;
  devEui?: string;
  fCntUp: number; // last accepted, -1 before the first
  fCntDown: number;
}

/** An uplink as the router hands it over. */
export interface RoutedUplink {
  payload: Uint8Array;
  /** tmst of the gateway, µs. */
  timestamp: number;
  frequency: number;
  datarate: number;
  region: number;
  gateway: string; // Helium address
}

export interface Window {
  timestamp: number;
  frequency: number;
  datarate: number;
  immediate: boolean;
}
export interface Downlink {
  payload: Uint8Array;
  rx1: Window;
  rx2?: Window;
}

export interface LnsEvent {
  kind: "join_accepted" | "uplink" | "confirmed_ack" | "mic_failed" | "replay" | "unknown_device" | "devnonce_reused" | "undecodable" | "duplicate";
  devEui?: string;
  devAddr?: string;
  fCnt?: number;
  fPort?: number | null;
  data?: string; // decrypted FRMPayload, hex
  gateway: string;
  /** SHA-256 (hex) of the uplink's PHYPayload, as the router's payloadHash. */
  frame?: string;
  /** SHA-256 (hex) of the answer's PHYPayload (join_accepted, confirmed_ack). */
  answer?: string;
  at: number;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const US915 = 0;
const AU915 = 5;

/**
 * Each region's RX2 channel (regional parameters RP002): frequency, helium.data_rate, and the DR
 * index a join-accept's DLSettings carries for it. Regions not listed use EU868's.
 */
const RX2: Record<number, { frequency: number; datarate: number; dr: number }> = {
  0: { frequency: 923300000, datarate: DATA_RATE.SF12BW500, dr: 8 }, // US915
  5: { frequency: 923300000, datarate: DATA_RATE.SF12BW500, dr: 8 }, // AU915
  1: { frequency: 869525000, datarate: DATA_RATE.SF12BW125, dr: 0 }, // EU868
  6: { frequency: 923200000, datarate: DATA_RATE.SF10BW125, dr: 2 }, // AS923_1
  9: { frequency: 921400000, datarate: DATA_RATE.SF10BW125, dr: 2 }, // AS923_2
  10: { frequency: 916600000, datarate: DATA_RATE.SF10BW125, dr: 2 }, // AS923_3
  11: { frequency: 917300000, datarate: DATA_RATE.SF10BW125, dr: 2 }, // AS923_4
  7: { frequency: 921900000, datarate: DATA_RATE.SF12BW125, dr: 0 }, // KR920
  8: { frequency: 866550000, datarate: DATA_RATE.SF10BW125, dr: 2 }, // IN865
  14: { frequency: 869100000, datarate: DATA_RATE.SF12BW125, dr: 0 }, // RU864
};
const JOIN_ACCEPT_DELAY1_US = 5_000_000;
const RECEIVE_DELAY1_US = 1_000_000;

export interface LnsOptions {
  /** NetID written into join-accepts (3 bytes hex). */
  netId?: string;
  /** DevAddr block handed to joining devices. */
  devAddrRange?: [first: number, last: number];
  /**
   * The same frame delivered again within this window (another gateway heard it too) is recorded
   * as a duplicate and not processed, as a network server deduplicates. Default 2 s.
   */
  dedupWindowMs?: number;
}

export class Lns {
  readonly events: LnsEvent[] = [];
  readonly netId: Buffer;
  readonly devAddrRange: [number, number];
  private readonly otaa = new Map<string, OtaaDevice>(); // joinEui:devEui
  private readonly sessions = new Map<string, Session>(); // devAddr
  private readonly usedNonces = new Map<string, Set<string>>();
  private nextDevAddr: number;
  private readonly seen = new Map<string, number>();
  private readonly dedupWindowMs: number;
  /** The hash of the frame being handled, recorded with every event about it. */
  #frame: string | undefined;

  constructor(options: LnsOptions = {}) {
    this.netId = Buffer.from(options.netId ?? "000024", "hex");
    this.devAddrRange = options.devAddrRange ?? [0x48000000, 0x49ffffff];
    this.nextDevAddr = this.devAddrRange[0] + 1;
    this.dedupWindowMs = options.dedupWindowMs ?? 2000;
  }

  addOtaaDevice(d: OtaaDevice): void {
    this.otaa.set(`${d.joinEui.toLowerCase()}:${d.devEui.toLowerCase()}`, d);
  }

  addAbpDevice(d: AbpDevice): void {
    const devAddr = d.devAddr.toLowerCase();
    this.sessions.set(devAddr, { devAddr, nwkSKey: Buffer.from(d.nwkSKey, "hex"), appSKey: Buffer.from(d.appSKey, "hex"), fCntUp: -1, fCntDown: 0 });
  }

  /** The session of a joined or ABP device (for tests). */
  session(devAddr: string): Readonly<Session> | undefined {
    return this.sessions.get(devAddr.toLowerCase());
  }

  /** True when the router should send this DevAddr here. */
  ownsDevAddr(devAddr: number): boolean {
    return devAddr >= this.devAddrRange[0] && devAddr <= this.devAddrRange[1];
  }

  ownsJoin(joinEui: string, devEui: string): boolean {
    return this.otaa.has(`${joinEui.toLowerCase()}:${devEui.toLowerCase()}`);
  }

  /** Processes one uplink; returns the downlink to send, if any. */
  handle(up: RoutedUplink): Downlink | undefined {
    const now = Date.now();
    this.#frame = sha256(up.payload);
    const frame = Buffer.from(up.payload).toString("hex");
    const first = this.seen.get(frame);
    if (first !== undefined && now - first < this.dedupWindowMs) {
      this.record({ kind: "duplicate", gateway: up.gateway });
      return undefined;
    }
    this.seen.set(frame, now);
    if (this.seen.size > 1000) for (const [k, t] of this.seen) if (now - t >= this.dedupWindowMs) this.seen.delete(k);
    let packet: LoraPacket;
    try {
      packet = loraPacket.fromWire(Buffer.from(up.payload));
    } catch {
      this.record({ kind: "undecodable", gateway: up.gateway });
      return undefined;
    }
    if (packet.isJoinRequestMessage()) return this.join(packet, up);
    if (packet.isDataMessage() && packet.getDir() === "up") return this.data(packet, up);
    this.record({ kind: "undecodable", gateway: up.gateway });
    return undefined;
  }

  private join(packet: LoraPacket, up: RoutedUplink): Downlink | undefined {
    const joinEui = packet.AppEUI!.toString("hex");
    const devEui = packet.DevEUI!.toString("hex");
    const device = this.otaa.get(`${joinEui}:${devEui}`);
    if (!device) {
      this.record({ kind: "unknown_device", devEui, gateway: up.gateway });
      return undefined;
    }
    const appKey = Buffer.from(device.appKey, "hex");
    if (!loraPacket.verifyMIC(packet, undefined, appKey)) {
      this.record({ kind: "mic_failed", devEui, gateway: up.gateway });
      return undefined;
    }
    const nonce = packet.DevNonce!.toString("hex");
    const used = this.usedNonces.get(devEui) ?? new Set<string>();
    if (used.has(nonce)) {
      this.record({ kind: "devnonce_reused", devEui, gateway: up.gateway });
      return undefined;
    }
    used.add(nonce);
    this.usedNonces.set(devEui, used);
    const appNonce = randomBytes(3);
    const devAddrNum = this.nextDevAddr++;
    if (this.nextDevAddr > this.devAddrRange[1]) this.nextDevAddr = this.devAddrRange[0] + 1;
    const devAddr = Buffer.alloc(4);
    devAddr.writeUInt32BE(devAddrNum >>> 0);
    const keys = loraPacket.generateSessionKeys(appKey, this.netId, appNonce, packet.DevNonce!);
    const addr = devAddr.toString("hex");
    this.sessions.set(addr, { devAddr: addr, nwkSKey: keys.NwkSKey, appSKey: keys.AppSKey, devEui, fCntUp: -1, fCntDown: 0 });
    const accept = loraPacket.fromFields(
      // DLSettings: RX1DROffset 0 and the region's RX2 DR, the window windows() uses for RX2.
      { MType: "Join Accept", AppNonce: appNonce, NetID: this.netId, DevAddr: devAddr, DLSettings: (RX2[up.region] ?? RX2[1]).dr, RxDelay: 1 },
      undefined,
      undefined,
      appKey,
    );
    const payload = accept.getPHYPayload()!;
    this.record({ kind: "join_accepted", devEui, devAddr: addr, gateway: up.gateway, answer: sha256(payload) });
    return this.windows(payload, up, JOIN_ACCEPT_DELAY1_US);
  }

  private data(packet: LoraPacket, up: RoutedUplink): Downlink | undefined {
    const addr = packet.DevAddr!.toString("hex");
    const session = this.sessions.get(addr);
    if (!session) {
      this.record({ kind: "unknown_device", devAddr: addr, gateway: up.gateway });
      return undefined;
    }
    // 16 bits on the air; the upper 16 come from the session's counter.
    const fCnt16 = packet.getFCnt()!;
    const base = session.fCntUp < 0 ? 0 : session.fCntUp;
    let fCnt = (base & 0xffff0000) | fCnt16;
    if (fCnt < base) fCnt += 0x10000;
    const msb = Buffer.alloc(2);
    msb.writeUInt16LE((fCnt >>> 16) & 0xffff);
    if (!loraPacket.verifyMIC(packet, session.nwkSKey, undefined, msb)) {
      this.record({ kind: "mic_failed", devAddr: addr, fCnt, gateway: up.gateway });
      return undefined;
    }
    if (fCnt <= session.fCntUp) {
      this.record({ kind: "replay", devAddr: addr, fCnt, gateway: up.gateway });
      return undefined;
    }
    session.fCntUp = fCnt;
    const fPort = packet.getFPort();
    const data = fPort === null ? undefined : loraPacket.decrypt(packet, session.appSKey, session.nwkSKey, msb).toString("hex");
    this.record({ kind: "uplink", devEui: session.devEui, devAddr: addr, fCnt, fPort, data, gateway: up.gateway });
    if (!packet.isConfirmed()) return undefined;
    const ack = loraPacket.fromFields(
      // No FPort and no FRMPayload: a bare ACK. lora-packet leaves the MIC of such a frame unset.
      { MType: "Unconfirmed Data Down", DevAddr: packet.DevAddr, FCnt: session.fCntDown & 0xffff, FCtrl: { ACK: true }, payload: Buffer.alloc(0) },
      session.appSKey,
      session.nwkSKey,
    );
    loraPacket.recalculateMIC(ack, session.nwkSKey);
    session.fCntDown++;
    const payload = ack.getPHYPayload()!;
    this.record({ kind: "confirmed_ack", devEui: session.devEui, devAddr: addr, fCnt, gateway: up.gateway, answer: sha256(payload) });
    return this.windows(payload, up, RECEIVE_DELAY1_US);
  }

  /** RX1 per the regional parameters (offset 0), RX2 one second later on the region's fixed RX2 channel. */
  private windows(payload: Buffer, up: RoutedUplink, delayUs: number): Downlink {
    const rx1: Window = { timestamp: up.timestamp + delayUs, frequency: up.frequency, datarate: up.datarate, immediate: false };
    const r2 = RX2[up.region] ?? RX2[1];
    const rx2: Window = { timestamp: up.timestamp + delayUs + 1_000_000, frequency: r2.frequency, datarate: r2.datarate, immediate: false };
    if (up.region === US915 || up.region === AU915) {
      // 64 + 8 uplink channels from 902.3 (US915) or 915.2 MHz (AU915); RX1 on 923.3 + 0.6 x (channel mod 8).
      const channel = Math.round((up.frequency - (up.region === US915 ? 902300000 : 915200000)) / 200000);
      rx1.frequency = 923300000 + (channel % 8) * 600000;
      // A 125 kHz uplink at SFn answers at SFn/500 kHz (helium.data_rate +12); the 500 kHz uplink (SF8) on SF7/500.
      rx1.datarate = up.datarate <= DATA_RATE.SF7BW125 ? up.datarate + 12 : DATA_RATE.SF7BW500;
    }
    return { payload: new Uint8Array(payload), rx1, rx2 };
  }

  private record(e: Omit<LnsEvent, "at">): void {
    this.events.push({ ...e, ...(this.#frame === undefined ? {} : { frame: this.#frame }), at: Date.now() });
    if (this.events.length > 10000) this.events.shift();
  }
}
