// The simulated network `npm start` runs: N hotspots (the whole firmware app each, over its own
// SX1262 model) and M LoRaWAN end devices placed around a real city in one radio world, talking to
// the devnet (or, for one hotspot, another network; or to a GWMP server in forwarder mode).
//
// Single-channel honesty: one SX1262 hears one channel at one SF. The world is set up as a user of
// single-channel hotspots sets up theirs: every hotspot listens on the region's first uplink channel
// at the SF PoC beacons use there, the devices are configured to that channel and SF, and the
// devnet's config service serves a region plan with that one beacon channel. On mainnet the plan
// has 8 channels and a single-channel hotspot hears about 1 beacon in 8.
import { join } from "node:path";
import { createHash } from "node:crypto";
import { appendFileSync } from "node:fs";
import type { Core } from "../modules/core/core.js";
import type { LogLevel } from "../modules/host/provider.js";
import type { AirtimeFunction } from "../modules/radio/airtime.js";
import { HotspotApp, type DownlinkFate } from "../modules/app/hotspot.js";
import { dataRateIndex } from "../modules/region/datarate.js";
import { regionPlan } from "../modules/region/plans.js";
import type { RegionName } from "../modules/region/plan-types.js";
import type { Devnet } from "../devnet/devnet.js";
import { encode } from "../devnet/proto.js";
import { REGION, singleChannelParams } from "../devnet/regions.js";
import { EndDevice, type Activation } from "./end-device.js";
import { createSimHost, type SimHost } from "./hotspot-host.js";
import { createModdableHotspot, type ModdableFirmware, type ModdableSetup } from "./moddable-hotspot.js";
import type { RadioBridge } from "./moddable-bridge.js";
import { RadioWorld } from "./radio-world.js";
import { Rng } from "./rng.js";
import type { Scheduler } from "./scheduler.js";

/** A real city per region, where the world is placed. */
export const CITIES: Record<RegionName, { name: string; lat: number; lon: number }> = {
  US915: { name: "Austin, TX", lat: 30.2672, lon: -97.7431 },
  EU868: { name: "Amsterdam", lat: 52.3676, lon: 4.9041 },
  AU915: { name: "Sydney", lat: -33.8688, lon: 151.2093 },
  AS923_1: { name: "Singapore", lat: 1.3521, lon: 103.8198 },
  AS923_2: { name: "Jakarta", lat: -6.2088, lon: 106.8456 },
  AS923_3: { name: "Manila", lat: 14.5995, lon: 120.9842 },
  AS923_4: { name: "Tel Aviv", lat: 32.0853, lon: 34.7818 },
  KR920: { name: "Seoul", lat: 37.5665, lon: 126.978 },
  IN865: { name: "Bengaluru", lat: 12.9716, lon: 77.5946 },
  RU864: { name: "Moscow", lat: 55.7558, lon: 37.6173 },
};

/** The asserted antenna gain of every simulated hotspot, dBi x 10 (and the world's antenna gain). */
const GAIN_X10 = 12;

export interface Upstream {
  router: string;
  config: string;
  configKey: string;
  entropy: string;
  ingest: string;
}

export interface SimWorldOptions {
  core: Core;
  airtime: AirtimeFunction;
  scheduler: Scheduler;
  region: RegionName;
  hotspots: number;
  devices: number;
  seed: number;
  pocIntervalSeconds: number;
  /** Mean time between a device's uplinks, seconds. */
  uplinkIntervalSeconds: number;
  /** Store directories and logs go here. */
  runDir: string;
  /** The local network; absent only in forwarder mode. */
  devnet: Devnet | undefined;
  /** Points hotspot 1 at another network instead of the devnet. */
  external?: Upstream;
  /** Runs every hotspot in forwarder mode against this GWMP server ("ADDR:PORT"). */
  forwarder?: string;
  /** A hotspot's log line worth showing (warnings, errors, the enrolment code). */
  onLog?(hotspot: string, level: LogLevel, source: string, message: string): void;
  /** Makes the last hotspot the firmware built by the Moddable SDK, running in its simulator (--moddable). */
  moddable?: ModdableSetup;
  faults?: WorldFaults;
}

/** Faults injected into the simulated hotspots (npm start's --tx-delay and --busy-stuck). */
export interface WorldFaults {
  /** Every hotspot's host stalls this long before each SetTx, ms (a GC pause). */
  txDelayMs?: number;
  /** Hotspot-1's SX1262 holds BUSY high for `seconds` from `fromSeconds` after the start. */
  busyStuck?: { fromSeconds: number; seconds: number };
}

/** What the simulator reads of a hotspot's firmware: the app itself (Node), or what the Moddable build reports on its console. */
export type HotspotView = Pick<HotspotApp, "key" | "name" | "parts" | "start" | "stop" | "stats"> & Partial<Pick<HotspotApp, "web">>;

export interface SimHotspot {
  name: string;
  position: { lat: number; lon: number };
  /** "node": the firmware's modules in this process; "moddable": main.ts built by the Moddable SDK, in mcsim. */
  runtime: "node" | "moddable";
  sim: Pick<SimHost, "model" | "listener" | "currentDriver">;
  app: HotspotView;
  /** The Moddable hotspot's process and radio bridge. */
  moddable?: { firmware: ModdableFirmware; bridge: RadioBridge };
  /** The one-time code that enrols the first admin API key (shown on the terminal only). */
  enrolmentCode: string | undefined;
  dashboard: string | undefined;
  /** True when this hotspot talks to another network (--router etc.). */
  external: boolean;
  /** What became of each packet-router downlink, by SHA-256 (hex) of its payload, as the hotspot reported it (the last DOWNLINK_FATES). */
  downlinkFates: Map<string, DownlinkFate>;
}

/** Downlink fates a hotspot keeps for the loss funnel, newest last. */
const DOWNLINK_FATES = 2048;

export interface SimDevice {
  device: EndDevice;
  activation: "ABP" | "OTAA";
  confirmed: boolean;
}

export class SimWorld {
  readonly world: RadioWorld;
  readonly hotspots: SimHotspot[] = [];
  readonly devices: SimDevice[] = [];
  readonly city: { name: string; lat: number; lon: number };
  /** The one channel and SF everything uses (see the header). */
  readonly channel: { frequencyHz: number; spreadingFactor: number };
  /** When the injected BUSY fault held, on the world clock. */
  busyStuckWindow: { hotspot: string; from: number; until: number } | undefined;

  constructor(readonly o: SimWorldOptions) {
    this.city = CITIES[o.region];
    const plan = regionPlan(o.region);
    this.world = new RadioWorld({ scheduler: o.scheduler, airtime: o.airtime, seed: o.seed });
    const rng = new Rng(o.seed);
    const frequencyHz = plan.uplinkChannels[0].frequencyHz;
    const params = singleChannelParams(REGION[o.region], frequencyHz)!;
    this.channel = { frequencyHz, spreadingFactor: beaconSpreadingFactor(params) };
    if (o.devnet) {
      o.devnet.config.setRegionParams(REGION[o.region], params);
      o.devnet.poc.world.setRegionParams(o.region, encode("helium.blockchain_region_params_v1", params));
    }
    const placeRng = rng.fork();
    for (let i = 0; i < o.hotspots; i++) {
      if (o.moddable && i === o.hotspots - 1) this.#addModdableHotspot(i, placeRng, o.moddable);
      else this.#addHotspot(i, placeRng);
    }
    const deviceRng = rng.fork();
    for (let i = 0; i < o.devices; i++) this.#addDevice(i, deviceRng);
  }

  /** Starts every hotspot app and device; resolves with the dashboards listening. */
  async start(): Promise<void> {
    for (const h of this.hotspots) h.app.start();
    for (const h of this.hotspots) await h.moddable?.firmware.started();
    for (const h of this.hotspots) {
      if (h.moddable) {
        h.dashboard = h.moddable.firmware.dashboard;
        h.enrolmentCode = h.moddable.firmware.enrolmentCode;
      } else {
        const port = await h.sim.listener()?.listening();
        h.dashboard = port === undefined ? undefined : `http://127.0.0.1:${port}/`;
      }
      if (this.o.devnet && !h.external) this.o.devnet.map.addHotspot({ address: h.app.key.address, name: h.app.name, ...h.position, ...(h.dashboard ? { dashboard: h.dashboard } : {}) });
    }
    const stuck = this.o.faults?.busyStuck;
    const first = this.hotspots[0];
    if (stuck !== undefined && first !== undefined) {
      const from = this.o.scheduler.now() + stuck.fromSeconds * 1e6;
      this.o.scheduler.at(from, () => (first.sim.model.faults.busyStuck = true));
      this.o.scheduler.at(from + stuck.seconds * 1e6, () => (first.sim.model.faults.busyStuck = false));
      this.busyStuckWindow = { hotspot: first.name, from, until: from + stuck.seconds * 1e6 };
    }
    const startRng = new Rng(this.o.seed ^ 0x5eed);
    // Devices first transmit within the first uplink interval, each in its own slot of it (so the
    // first uplinks do not collide by construction), after the routers had time to register.
    const slot = (this.o.uplinkIntervalSeconds * 1e6) / Math.max(1, this.devices.length);
    this.devices.forEach((d, i) => d.device.start(6e6 + (i + 0.8 * startRng.next()) * slot));
  }

  /** Devices stop transmitting (hotspots keep running, so the last reports can land). */
  stopDevices(): void {
    for (const d of this.devices) d.device.stop();
  }

  stop(): void {
    this.stopDevices();
    for (const h of this.hotspots) h.app.stop();
  }

  /** The i-th hotspot's name and place on a circle around the city. */
  #place(i: number, rng: Rng): { name: string; position: { lat: number; lon: number } } {
    const radiusKm = this.o.hotspots === 1 ? 0 : 1.5 + 0.3 * this.o.hotspots;
    const angle = (2 * Math.PI * i) / Math.max(1, this.o.hotspots) + rng.next() * 0.3;
    return { name: `hotspot-${i + 1}`, position: offset(this.city, radiusKm * Math.cos(angle), radiusKm * Math.sin(angle)) };
  }

  /** The config a hotspot starts with (the Moddable one gets it in its store, as its setup portal would save it). */
  #config(i: number, upstream: Upstream | undefined): Record<string, unknown> {
    const o = this.o;
    return {
      // Every third hotspot has no fallback region: it starts UNKNOWN and waits for the config service.
      region: { fallback: i % 3 === 2 ? null : o.region, subBand: 2 },
      antennaGainDbi: GAIN_X10 / 10,
      radio: { listen: { kind: "fixed", frequencyHz: this.channel.frequencyHz, spreadingFactor: this.channel.spreadingFactor, bandwidthKhz: 125 } },
      ...(upstream ? { upstream } : {}),
      poc: { enabled: true, intervalSeconds: o.pocIntervalSeconds },
      forwarder: o.forwarder ? { mode: "forwarder", servers: [o.forwarder] } : { mode: "helium" },
    };
  }

  /** The devnet learns where the hotspot is asserted (config service) and where it stands (PoC verifier). */
  #assert(publicKey: { address: string; publicKeyBin: Uint8Array }, position: { lat: number; lon: number }): void {
    const devnet = this.o.devnet;
    if (!devnet) return;
    devnet.config.assert(publicKey.address, { region: REGION[this.o.region], gain: GAIN_X10, lat: position.lat, lon: position.lon });
    devnet.poc.world.setGateway(publicKey.publicKeyBin, { location: position, gainX10: GAIN_X10, region: this.o.region });
  }

  #addModdableHotspot(i: number, rng: Rng, setup: ModdableSetup): void {
    const o = this.o;
    const { name, position } = this.#place(i, rng);
    rng.bytes(5); // the MAC a Node hotspot draws here: the seed places the devices as in a run without --moddable
    const made = createModdableHotspot({
      setup, name, position, core: o.core, scheduler: o.scheduler, world: this.world, antennaGainDbi: GAIN_X10 / 10,
      config: this.#config(i, o.devnet ? devnetUpstream(o.devnet) : undefined), dir: join(o.runDir, name), logFile: join(o.runDir, `${name}.log`),
      onLog: (level, source, message) => o.onLog?.(name, level, source, message),
    });
    this.hotspots.push({ name, position, runtime: "moddable", sim: { model: made.bridge.model, listener: () => undefined, currentDriver: () => undefined }, app: made.firmware, enrolmentCode: undefined, dashboard: undefined, external: false, moddable: made, downlinkFates: made.firmware.downlinkFates });
    this.#assert(made.firmware.key, position);
  }

  #addHotspot(i: number, rng: Rng): void {
    const o = this.o;
    const { name, position } = this.#place(i, rng);
    const logFile = join(o.runDir, `${name}.log`);
    const holder: { hotspot?: SimHotspot } = {};
    const sim = createSimHost({
      name,
      scheduler: o.scheduler,
      world: this.world,
      position,
      antennaGainDbi: GAIN_X10 / 10,
      airtime: o.airtime,
      storeDir: join(o.runDir, name),
      ...(o.faults?.txDelayMs ? { txStallMicros: o.faults.txDelayMs * 1000 } : {}),
      log: (level, source, message) => {
        appendFileSync(logFile, `${new Date().toISOString()} ${level} ${source}: ${message}\n`);
        if (level === "warn" || level === "error") o.onLog?.(name, level, source, message);
      },
    });
    const external = i === 0 && o.external !== undefined;
    const upstream = external ? o.external! : o.devnet ? devnetUpstream(o.devnet) : undefined;
    const config = this.#config(i, upstream);
    const mac = Uint8Array.of(0x02, ...rng.bytes(5));
    const app = new HotspotApp({
      host: sim.host,
      core: o.core,
      config,
      radio: { driver: sim.driver, maxConductedDbm: sim.board.settings.maxPowerDbm },
      web: { port: 0 },
      mac,
      onEnrolmentCode: (code) => {
        if (holder.hotspot) holder.hotspot.enrolmentCode = code;
        o.onLog?.(name, "info", "web", `API enrolment code (one use, within 10 minutes): ${code}`);
      },
      onDownlinkOutcome: (payload, fate) => {
        const fates = holder.hotspot?.downlinkFates;
        if (fates === undefined) return;
        fates.set(createHash("sha256").update(payload).digest("hex"), fate);
        if (fates.size > DOWNLINK_FATES) fates.delete(fates.keys().next().value!);
      },
    });
    const hotspot: SimHotspot = { name, position, runtime: "node", sim, app, enrolmentCode: undefined, dashboard: undefined, external, downlinkFates: new Map() };
    holder.hotspot = hotspot;
    this.hotspots.push(hotspot);
    if (!external) this.#assert(app.key, position);
  }

  #addDevice(i: number, rng: Rng): void {
    const o = this.o;
    const plan = regionPlan(o.region);
    const dataRate = dataRateIndex(plan, { spreadingFactor: this.channel.spreadingFactor, bandwidthKhz: 125 }, "up");
    if (dataRate === undefined) throw new Error(`${o.region} has no uplink datarate SF${this.channel.spreadingFactor}BW125`);
    const otaa = i % 2 === 1;
    const confirmed = i % 4 < 2;
    const name = `device-${i + 1}`;
    // Within reach of the hotspots: 0.3 to 2.5 km from the centre.
    const r = 0.3 + rng.next() * 2.2;
    const a = rng.next() * 2 * Math.PI;
    const position = offset(this.city, r * Math.cos(a), r * Math.sin(a));
    let activation: Activation;
    if (otaa) {
      const devEui = hex(Uint8Array.of(0x70, 0xb3, 0xd5, 0x7e, 0xd0, 0x00, 0x00, i + 1));
      const joinEui = "0000000000000001";
      const appKey = rng.bytes(16);
      activation = { kind: "otaa", devEui, joinEui, appKey };
      o.devnet?.lns.addOtaaDevice({ devEui, joinEui, appKey: hex(appKey) });
    } else {
      const devAddr = 0x49000000 + i + 1;
      const nwkSKey = rng.bytes(16);
      const appSKey = rng.bytes(16);
      activation = { kind: "abp", devAddr, nwkSKey, appSKey };
      o.devnet?.lns.addAbpDevice({ devAddr: devAddr.toString(16).padStart(8, "0"), nwkSKey: hex(nwkSKey), appSKey: hex(appSKey) });
    }
    const device = new EndDevice({
      name,
      world: this.world,
      position,
      region: plan,
      dataRate,
      activation,
      rng: rng.fork(),
      channelsHz: [this.channel.frequencyHz],
      confirmed,
      payloadSize: 12,
      uplinkIntervalMicros: o.uplinkIntervalSeconds * 1e6,
      intervalJitter: 0.3,
    });
    this.devices.push({ device, activation: otaa ? "OTAA" : "ABP", confirmed });
    o.devnet?.map.addDevice({ name, ...position, kind: `${otaa ? "OTAA" : "ABP"}, ${confirmed ? "confirmed" : "unconfirmed"} uplinks` });
  }
}

export function devnetUpstream(devnet: Devnet): Upstream {
  return { router: devnet.endpoints.router, config: devnet.endpoints.config, configKey: devnet.configKey.address, entropy: devnet.endpoints.entropy, ingest: devnet.endpoints.ingest };
}

/** The SF of the first spreading entry whose packets hold a 52-byte beacon (gateway-rs' select_datarate). */
function beaconSpreadingFactor(params: Record<string, unknown>): number {
  const list = (params.region_params as { spreading: { tagged_spreading: { region_spreading: number; max_packet_size: number }[] } }[])[0].spreading.tagged_spreading;
  const fit = list.find((t) => t.max_packet_size >= 51) ?? list[list.length - 1];
  return fit.region_spreading + 6;
}

function offset(c: { lat: number; lon: number }, eastKm: number, northKm: number): { lat: number; lon: number } {
  const lat = c.lat + northKm / 111.32;
  const lon = c.lon + eastKm / (111.32 * Math.cos((c.lat * Math.PI) / 180));
  return { lat: Number(lat.toFixed(6)), lon: Number(lon.toFixed(6)) };
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}
