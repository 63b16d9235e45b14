// Test rig: the whole hotspot app (modules/app) over the simulator's host provider on a virtual
// clock: its own SX1262 model in a radio world, a file store in a temp dir, a resolver answering from
// a table, and a TCP class that checks its options as the Moddable SDK does (an IPv4 address, no
// `host`) and never reaches a network (every connection is refused a moment later on the virtual
// clock), so the Helium services stay in backoff and the tests drive region and downlinks themselves.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TCP, TCPOptions, Timers } from "../../modules/host/provider.js";
import { HotspotApp } from "../../modules/app/hotspot.js";
import { gatewayKeyFromSeed } from "../../modules/identity/gateway-key.js";
import { regionPlan } from "../../modules/region/plans.js";
import { schedulerTimers } from "../../sim/host-clock.js";
import { checkTcpConnectOptions } from "../../sim/host/sdk-rules.js";
import { createSimHost, type SimHost } from "../../sim/hotspot-host.js";
import { EndDevice } from "../../sim/end-device.js";
import { RadioWorld, type Position } from "../../sim/radio-world.js";
import { Rng } from "../../sim/rng.js";
import { VirtualScheduler } from "../../sim/scheduler.js";
import { core } from "./core.js";
import { MemoryResolver } from "./resolver-memory.js";
import { airtime } from "./radio-rig.js";

/**
 * A TCP class that checks its options as the SDK does; its connections fail 1 ms later (virtual
 * time). `connected` collects the "address:port" of each connection.
 */
export function refusingTcp(timers: Timers, connected: string[] = []): new (options: TCPOptions) => TCP {
  return class RefusedTCP implements TCP {
    constructor(options: TCPOptions) {
      checkTcpConnectOptions(options);
      connected.push(`${options.address}:${options.port}`);
      timers.set(() => options.onError?.call(this), 1);
    }
    read(): undefined {
      return undefined;
    }
    write(): void {
      throw new Error("not ready");
    }
    close(): void {}
  };
}

/** US915 sub-band 2's first channel at SF9 (the simulator's single channel). */
export const CHANNEL = { frequencyHz: 903_900_000, spreadingFactor: 9 };
export const US915 = regionPlan("US915");
/** Some config-service key (any Ed25519 Helium address will do: nothing answers here). */
export const CONFIG_KEY = gatewayKeyFromSeed(core, new Uint8Array(32).fill(9)).address;

export function rigConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    region: { fallback: "US915", subBand: 2 },
    antennaGainDbi: 1.2,
    radio: { listen: { kind: "fixed", frequencyHz: CHANNEL.frequencyHz, spreadingFactor: CHANNEL.spreadingFactor, bandwidthKhz: 125 } },
    upstream: { router: "http://127.0.0.1:9", config: "http://127.0.0.1:9", configKey: CONFIG_KEY, entropy: "http://127.0.0.1:9", ingest: "http://127.0.0.1:9" },
    poc: { enabled: true, intervalSeconds: 60 },
    ...overrides,
  };
}

export interface AppRig {
  scheduler: VirtualScheduler;
  world: RadioWorld;
  sim: SimHost;
  app: HotspotApp;
  logs: string[];
  /** The resolver's table (names in the config need an entry) and what was asked. */
  dns: MemoryResolver;
  /** "address:port" of every TCP connection the app opened. */
  connected: string[];
  /** The enrolment codes the app showed, in order. */
  enrolmentCodes: string[];
  dir: string;
  /** A new app on the same store (a reboot of the device). */
  reboot(): HotspotApp;
  cleanup(): void;
}

export function makeAppRig(config: Record<string, unknown> = rigConfig(), dir = mkdtempSync(join(tmpdir(), "app-rig-"))): AppRig {
  const scheduler = new VirtualScheduler();
  const world = new RadioWorld({ scheduler, airtime: airtime(), seed: 7, shadowingSigmaDb: 0 });
  const logs: string[] = [];
  const connected: string[] = [];
  const dns = new MemoryResolver((fn) => void schedulerTimers(scheduler).set(fn, 0));
  const enrolmentCodes: string[] = [];
  const sim = createSimHost({
    name: "hotspot",
    scheduler,
    world,
    position: { x: 0, y: 0 },
    antennaGainDbi: 1.2,
    airtime: airtime(),
    storeDir: join(dir, "store"),
    log: (level, source, message) => logs.push(`${level} ${source}: ${message}`),
    TCP: refusingTcp(schedulerTimers(scheduler), connected),
    dns,
  });
  const make = () =>
    new HotspotApp({
      host: sim.host,
      core,
      config,
      radio: { driver: sim.driver, maxConductedDbm: 22 },
      web: false,
      onEnrolmentCode: (code) => enrolmentCodes.push(code),
    });
  const rig: AppRig = {
    scheduler,
    world,
    sim,
    app: make(),
    logs,
    dns,
    connected,
    enrolmentCodes,
    dir,
    reboot() {
      rig.app.stop();
      rig.app = make();
      return rig.app;
    },
    cleanup() {
      rig.app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

/** An ABP device on the rig's channel (DevAddr in the devnet LNS's block), SF9. */
export function abpDevice(world: RadioWorld, name: string, position: Position, options: { confirmed?: boolean; seed?: number } = {}) {
  const rng = new Rng(options.seed ?? 3);
  const keys = { devAddr: 0x49000001, nwkSKey: rng.bytes(16), appSKey: rng.bytes(16) };
  const device = new EndDevice({
    name,
    world,
    position,
    region: US915,
    dataRate: 1, // US915 DR1 = SF9BW125
    activation: { kind: "abp", ...keys },
    rng,
    channelsHz: [CHANNEL.frequencyHz],
    confirmed: options.confirmed ?? false,
    uplinkIntervalMicros: 20e6,
  });
  return { device, keys };
}
