// A LoRaWAN 1.0.x class A end device in the simulated world: ABP or OTAA, real MICs and encrypted
// payloads, a random channel per uplink from the region plan, confirmed or unconfirmed uplinks, and
// the two receive windows. A downlink is accepted only if its preamble arrives while a window is
// open, on that window's frequency and datarate, with inverted IQ, and only if it carries a valid
// MIC for this device; everything else heard in a window is recorded as ignored with the reason.
import type { RegionPlan } from "../modules/region/plan-types.js";
import { planLoRaDataRate } from "../modules/region/datarate.js";
import { lowDataRateOptimize } from "../drivers/sx1262/commands.js";
import { NOISE_FIGURE_BOOSTED_DB, demodulate, detectable } from "./lora-phy.js";
import { buildDataFrame, buildJoinRequest, deriveSessionKeys, openDataFrame, openJoinAccept } from "./lorawan-crypto.js";
import type { Position, RadioNode, RadioWorld, Transmission } from "./radio-world.js";
import type { Rng } from "./rng.js";
import type { ScheduledEvent } from "./scheduler.js";

export type Activation =
  | { kind: "abp"; devAddr: number; nwkSKey: Uint8Array; appSKey: Uint8Array }
  | { kind: "otaa"; devEui: string; joinEui: string; appKey: Uint8Array };

export interface EndDeviceOptions {
  name: string;
  world: RadioWorld;
  position: Position;
  region: RegionPlan;
  /** Uplink DR index in the region's table. */
  dataRate: number;
  activation: Activation;
  rng: Rng;
  /** Frequencies (Hz) to hop over; default every plan channel that allows the DR. */
  channelsHz?: readonly number[];
  confirmed?: boolean;
  fPort?: number;
  payloadSize?: number;
  /** Mean time between uplinks, µs (default 60 s); each gap varies by ±intervalJitter. */
  uplinkIntervalMicros?: number;
  intervalJitter?: number;
  txPowerDbm?: number;
  antennaGainDbi?: number;
  /** How long a window listens for a preamble, in symbols of its datarate (default 8). */
  rxWindowSymbols?: number;
}

/** A receive window the device opened after an uplink: listening from `open` to `close` for that channel and datarate. */
export interface ReceiveWindow {
  name: "RX1" | "RX2";
  open: number;
  close: number;
  frequencyHz: number;
  spreadingFactor: number;
  bandwidthKhz: number;
}

export interface UplinkRecord {
  kind: "data" | "join";
  tx: Transmission;
  fCnt: number | undefined;
  /** The join request's DevNonce (joins). */
  devNonce: number | undefined;
  /** The windows the device opened for this uplink (its own delays and datarates at the time). */
  windows: readonly ReceiveWindow[];
  confirmed: boolean;
  dataRate: number;
  /** Payload before encryption (data uplinks). */
  plaintext: Uint8Array | undefined;
  acked: boolean;
}

export interface DownlinkRecord {
  window: "RX1" | "RX2";
  tx: Transmission;
  uplink: UplinkRecord;
  kind: "join-accept" | "data";
  ack: boolean;
  fCnt: number | undefined;
  fPort: number | undefined;
  payload: Uint8Array;
}

interface Window extends ReceiveWindow {
  uplink: UplinkRecord;
}

/** Does `tx` use the window's channel and datarate (inverted IQ, public sync word)? */
export function fitsWindow(tx: Transmission, w: ReceiveWindow): boolean {
  return (
    Math.abs(tx.frequencyHz - w.frequencyHz) <= w.bandwidthKhz * 250 &&
    tx.spreadingFactor === w.spreadingFactor &&
    tx.bandwidthKhz === w.bandwidthKhz &&
    tx.invertIq &&
    tx.syncWord === PUBLIC_SYNC_WORD
  );
}

/** The receiver is on from `open` to `close`: it needs the preamble while it is on, early enough to lock. */
export function inWindowTime(tx: Transmission, w: ReceiveWindow): boolean {
  return w.open <= tx.lockDeadline && tx.start <= w.close;
}

/** Why the device did not lock onto a downlink-shaped frame (inverted IQ) it saw start. */
export type DeviceMiss = "device_busy" | "no_window_open" | "wrong_channel_or_datarate" | "outside_window" | "below_sensitivity";
/** Misses a device keeps, newest last. */
const DEVICE_MISSES = 256;

export interface SessionKeys {
  devAddr: number;
  nwkSKey: Uint8Array;
  appSKey: Uint8Array;
}

interface Session {
  devAddr: number;
  nwkSKey: Uint8Array;
  appSKey: Uint8Array;
  rx1DrOffset: number;
  rx2DataRate: number;
  rx1DelayMicros: number;
}

const PUBLIC_SYNC_WORD = 0x3444;

export class EndDevice implements RadioNode {
  readonly name: string;
  readonly position: Position;
  readonly antennaGainDbi: number;
  readonly uplinks: UplinkRecord[] = [];
  readonly downlinks: DownlinkRecord[] = [];
  /** Frames heard inside a window but refused, with the reason. */
  readonly ignored: { tx: Transmission; window: string; reason: string }[] = [];
  /** Downlink-shaped frames (inverted IQ) the receiver did not lock onto, and why. */
  readonly missed = new Map<Transmission, DeviceMiss>();
  /** Every session the device has had (ABP's, then each join's), for observers that open its downlinks. */
  readonly sessions: SessionKeys[] = [];
  readonly activation: Activation;

  readonly #o: EndDeviceOptions;
  readonly #world: RadioWorld;
  readonly #channels: readonly number[];
  #session: Session | undefined;
  #devNonce = 0;
  #fCntUp = 0;
  #fCntDown = 0;
  #windows: Window[] = [];
  #locked: { tx: Transmission; window: Window } | undefined;
  #next: ScheduledEvent | undefined;
  #busyUntil = 0;

  constructor(options: EndDeviceOptions) {
    this.#o = options;
    this.activation = options.activation;
    this.name = options.name;
    this.position = options.position;
    this.antennaGainDbi = options.antennaGainDbi ?? 0;
    this.#world = options.world;
    const dr = options.dataRate;
    if (planLoRaDataRate(options.region, dr) === undefined || !options.region.uplinkDataRates.includes(dr)) {
      throw new RangeError(`${options.name}: DR${dr} is not a LoRa uplink datarate in ${options.region.name}`);
    }
    this.#channels = options.channelsHz ?? options.region.uplinkChannels.filter((c) => dr >= c.minDataRate && dr <= c.maxDataRate).map((c) => c.frequencyHz);
    if (this.#channels.length === 0) throw new RangeError(`${options.name}: no channel allows DR${dr}`);
    const a = options.activation;
    if (a.kind === "abp") {
      this.#session = { devAddr: a.devAddr >>> 0, nwkSKey: a.nwkSKey, appSKey: a.appSKey, rx1DrOffset: 0, rx2DataRate: options.region.rx2.dataRate, rx1DelayMicros: options.region.delays.rx1 };
      this.sessions.push(this.#session);
    }
    this.#world.addNode(this);
  }

  get joined(): boolean {
    return this.#session !== undefined;
  }
  get session(): Readonly<Session> | undefined {
    return this.#session;
  }

  /** Starts periodic uplinks, the first after `firstDelayMicros`. */
  start(firstDelayMicros: number): void {
    this.stop();
    this.#next = this.#world.scheduler.at(this.#world.scheduler.now() + firstDelayMicros, () => this.#tick());
  }

  stop(): void {
    this.#world.scheduler.cancel(this.#next);
    this.#next = undefined;
  }

  #tick(): void {
    const rec = this.sendUplink();
    const mean = this.#o.uplinkIntervalMicros ?? 60_000_000;
    const jitter = this.#o.intervalJitter ?? 0.2;
    const gap = Math.max(mean * (1 + jitter * (2 * this.#o.rng.next() - 1)), 7_000_000);
    this.#next = this.#world.scheduler.at(rec.tx.end + gap, () => this.#tick());
  }

  /** Sends one uplink now: a JoinRequest while an OTAA device has no session, else a data frame. */
  sendUplink(plaintext?: Uint8Array): UplinkRecord {
    const now = this.#world.scheduler.now();
    if (now < this.#busyUntil) throw new Error(`${this.name}: still in its receive windows`);
    const o = this.#o;
    const dr = planLoRaDataRate(o.region, o.dataRate)!;
    const frequencyHz = o.rng.pick(this.#channels);
    let payload: Uint8Array;
    let record: Omit<UplinkRecord, "tx">;
    if (this.#session === undefined) {
      const a = o.activation as Extract<Activation, { kind: "otaa" }>;
      this.#devNonce = o.rng.int(0x10000);
      payload = buildJoinRequest(a.joinEui, a.devEui, this.#devNonce, a.appKey);
      record = { kind: "join", fCnt: undefined, devNonce: this.#devNonce, windows: [], confirmed: false, dataRate: o.dataRate, plaintext: undefined, acked: false };
    } else {
      const s = this.#session;
      const data = plaintext ?? o.rng.bytes(o.payloadSize ?? 10);
      const confirmed = o.confirmed ?? false;
      const fCnt = this.#fCntUp++;
      payload = buildDataFrame({ confirmed, uplink: true, devAddr: s.devAddr, fCtrl: 0, fCnt, fOpts: new Uint8Array(0), fPort: o.fPort ?? 1, frmPayload: data }, s);
      record = { kind: "data", fCnt, devNonce: undefined, windows: [], confirmed, dataRate: o.dataRate, plaintext: data, acked: false };
    }
    const tx = this.#world.transmit(this, {
      frequencyHz,
      spreadingFactor: dr.spreadingFactor,
      bandwidthKhz: dr.bandwidthKhz,
      codingRate: 5,
      lowDataRateOptimize: lowDataRateOptimize(dr.spreadingFactor, dr.bandwidthKhz),
      invertIq: false,
      syncWord: PUBLIC_SYNC_WORD,
      preambleSymbols: 8,
      crc: true,
      payload,
      conductedDbm: o.txPowerDbm ?? 14,
    });
    const rec: UplinkRecord = { ...record, tx };
    rec.windows = this.#openWindows(rec);
    this.uplinks.push(rec);
    return rec;
  }

  #openWindows(up: UplinkRecord): ReceiveWindow[] {
    const o = this.#o;
    const join = up.kind === "join";
    const s = this.#session;
    const d1 = join ? o.region.delays.join1 : s!.rx1DelayMicros;
    const d2 = join ? o.region.delays.join2 : s!.rx1DelayMicros + 1_000_000;
    const rx1Dr = o.region.rx1DataRate(up.dataRate, join ? 0 : s!.rx1DrOffset);
    const rx1Hz = o.region.rx1Frequency(up.tx.frequencyHz);
    const rx2Dr = join ? o.region.rx2.dataRate : s!.rx2DataRate;
    const symbols = o.rxWindowSymbols ?? 8;
    const make = (name: "RX1" | "RX2", open: number, hz: number | undefined, drIndex: number | undefined): Window | undefined => {
      const dr = drIndex === undefined ? undefined : planLoRaDataRate(o.region, drIndex);
      if (hz === undefined || dr === undefined) return undefined;
      const ts = (2 ** dr.spreadingFactor * 1000) / dr.bandwidthKhz;
      return { name, open, close: open + symbols * ts, frequencyHz: hz, spreadingFactor: dr.spreadingFactor, bandwidthKhz: dr.bandwidthKhz, uplink: up };
    };
    const w1 = make("RX1", up.tx.end + d1, rx1Hz, rx1Dr);
    const w2 = make("RX2", up.tx.end + d2, o.region.rx2.frequencyHz, rx2Dr);
    this.#windows = [w1, w2].filter((w): w is Window => w !== undefined);
    this.#busyUntil = Math.max(...this.#windows.map((w) => w.close), up.tx.end);
    return this.#windows.map(({ uplink: _, ...w }) => w);
  }

  onAirStart(tx: Transmission): void {
    if (this.#locked !== undefined) return this.#miss(tx, "device_busy");
    let reason: DeviceMiss = this.#windows.length === 0 ? "no_window_open" : "wrong_channel_or_datarate";
    for (const w of this.#windows) {
      if (!fitsWindow(tx, w)) continue;
      if (!inWindowTime(tx, w)) {
        reason = "outside_window";
        continue;
      }
      if (!detectable(tx.spreadingFactor, this.#world.snrDb(tx, this, NOISE_FIGURE_BOOSTED_DB))) {
        reason = "below_sensitivity";
        continue;
      }
      this.#locked = { tx, window: w };
      this.#busyUntil = Math.max(this.#busyUntil, tx.end);
      return;
    }
    this.#miss(tx, reason);
  }

  #miss(tx: Transmission, reason: DeviceMiss): void {
    if (!tx.invertIq) return;
    this.missed.set(tx, reason);
    if (this.missed.size > DEVICE_MISSES) this.missed.delete(this.missed.keys().next().value!);
  }

  onAirEnd(tx: Transmission): void {
    const lock = this.#locked;
    if (lock === undefined || lock.tx !== tx) return;
    this.#locked = undefined;
    const w = lock.window;
    const snr = this.#world.snrDb(tx, this, NOISE_FIGURE_BOOSTED_DB);
    const demod = demodulate(tx.spreadingFactor, snr, this.#world.draw());
    if (demod !== "ok" || !this.#world.survives(tx, this)) {
      this.ignored.push({ tx, window: w.name, reason: demod !== "ok" ? demod : "collision" });
      return;
    }
    const reason = this.#accept(tx, w);
    if (reason !== undefined) this.ignored.push({ tx, window: w.name, reason });
  }

  /** Processes a frame received in window `w`; returns why it was refused, or undefined if accepted. */
  #accept(tx: Transmission, w: Window): string | undefined {
    const phy = tx.payload;
    const up = w.uplink;
    if (up.kind === "join") {
      if (this.#session !== undefined) return "already joined";
      const a = this.#o.activation as Extract<Activation, { kind: "otaa" }>;
      const ja = openJoinAccept(phy, a.appKey);
      if (!ja.ok) return `join accept: ${ja.reason}`;
      const devNonceWire = Uint8Array.of(this.#devNonce & 0xff, this.#devNonce >> 8);
      const keys = deriveSessionKeys(a.appKey, ja.value.appNonceWire, ja.value.netIdWire, devNonceWire);
      this.#session = { devAddr: ja.value.devAddr, ...keys, rx1DrOffset: ja.value.rx1DrOffset, rx2DataRate: ja.value.rx2DataRate, rx1DelayMicros: ja.value.rxDelaySeconds * 1_000_000 };
      this.sessions.push(this.#session);
      this.#fCntUp = 0;
      this.#fCntDown = 0;
      this.downlinks.push({ window: w.name, tx, uplink: up, kind: "join-accept", ack: false, fCnt: undefined, fPort: undefined, payload: phy.slice() });
    } else {
      const s = this.#session!;
      const opened = openDataFrame(phy, s, s.devAddr, this.#fCntDown, false);
      if (!opened.ok) return opened.reason;
      const f = opened.value;
      this.#fCntDown = f.fCnt + 1;
      const ack = (f.fCtrl & 0x20) !== 0;
      if (ack && up.confirmed) up.acked = true;
      this.downlinks.push({ window: w.name, tx, uplink: up, kind: "data", ack, fCnt: f.fCnt, fPort: f.fPort, payload: f.frmPayload });
    }
    // A frame accepted in RX1 means the device does not open RX2.
    this.#windows = [];
    return undefined;
  }
}
