// A hotspot of the simulated world that is the firmware built by the Moddable SDK (main.ts for the
// desktop target targets/sim) running in the SDK's simulator, mcsim, as its own process: its radio
// is a RadioBridge (sim/moddable-bridge.ts) into this world, its store a directory the SDK's `file`
// module writes (targets/sim/host/key-value.ts), its sockets the SDK's Linux TCP.
//
// What the simulator knows of it comes from outside: the chip model's air and the devnet, and its
// console: every `level source: message` line its host provider traces, among them the app's own
// counters, which main.ts on a desktop board writes as one JSON line ("info stats: {...}") every 2 s
// (that is this hotspot's `stats()`, its own view, as HotspotApp.stats() is a Node hotspot's). The
// store is provisioned before the first boot as a factory would: the gateway key (so the devnet
// knows the hotspot's assertion before its first request), the config the setup portal would
// have saved and, with --admin-key, the first admin API key. Its dashboard listens on a free port
// of the PC and serves loopback peers only (main.ts); the enrolment code is read off its console.
import type { ChildProcess } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { appendFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { checkConfig } from "../modules/app/config.js";
import { ConfigStore } from "../modules/app/config-store.js";
import type { DownlinkFate, HotspotStats } from "../modules/app/hotspot.js";
import type { Core } from "../modules/core/core.js";
import type { LogLevel } from "../modules/host/provider.js";
import { animalName } from "../modules/identity/animal-name.js";
import { generateGatewayKey, saveGatewayKey, type GatewayKey } from "../modules/identity/gateway-key.js";
import { ApiKeys } from "../modules/web/api/keys.js";
import { HELTEC_WIFI_LORA_32_V3 } from "../drivers/sx1262/boards.js";
import { FileStore, modelBoard } from "./hotspot-host.js";
import { spawnMcsim } from "./mcsim.js";
import { RadioBridge } from "./moddable-bridge.js";
import type { Position, RadioWorld } from "./radio-world.js";
import type { Scheduler } from "./scheduler.js";

/** native/lin/system.c's exit status for xs_device_restart(). */
const EXIT_RESTART = 75;
/** Downlink fates kept for the loss funnel, newest last (as sim/world.ts keeps a Node hotspot's). */
const DOWNLINK_FATES = 2048;
/** How long the firmware may take from launch to its first counters report. */
const BOOT_TIMEOUT_MS = 60_000;
const LINE = /^(debug|info|warn|error) ([^:\s]+): (.*)$/;
/** main.ts's banner above the one-time API enrolment code (the next console line). */
const ENROLMENT_BANNER = /^=+ API ENROLMENT CODE =+$/;

export interface ModdableFirmwareOptions {
  name: string;
  /** The mc.so mcconfig built. */
  library: string;
  mcsim: string;
  display: string;
  /** The hotspot's directory: its store and mcsim's own settings go here. */
  dir: string;
  /** The store's directory (HOTSPOT_SIM_STORE); the firmware's key-value path "hotspot" is a folder in it. */
  storeDir: string;
  /** The store's folder the firmware uses (key-value path "hotspot"). */
  store: FileStore;
  core: Core;
  bridge: RadioBridge;
  key: GatewayKey;
  animalName: string;
  logFile: string;
  /** A console line worth showing (warnings, errors). */
  onLog?(level: LogLevel, source: string, message: string): void;
}

/**
 * XS's live memory in the firmware, from the engine's counters after a full collection every 2 s
 * (targets/sim/native/desktop.c): the largest seen, the last, and the fixed pools they live in.
 */
export interface XsHeapFigures {
  reports: number;
  maxSlots: number;
  maxChunkBytes: number;
  lastSlots: number;
  lastChunkBytes: number;
  slotCapacity: number;
  chunkCapacity: number;
}

/** The firmware in mcsim, seen through its console (the HotspotApp fields the simulator reads). */
export class ModdableFirmware {
  readonly key: GatewayKey;
  readonly name: string;
  readonly parts = undefined;
  readonly #o: ModdableFirmwareOptions;
  #child: ChildProcess | undefined;
  #stopping = false;
  #started: Promise<void> | undefined;
  /** What became of each packet-router downlink, by SHA-256 (hex) of its payload, as the firmware reported it (the last DOWNLINK_FATES). */
  readonly downlinkFates = new Map<string, DownlinkFate>();
  readonly xsHeap: XsHeapFigures = { reports: 0, maxSlots: 0, maxChunkBytes: 0, lastSlots: 0, lastChunkBytes: 0, slotCapacity: 0, chunkCapacity: 0 };
  /** The app's counters as the firmware last reported them. */
  #reported: HotspotStats | undefined;
  /** What went wrong with the process itself (mcsim ended), added to the firmware's own errors. */
  readonly #simulatorErrors: string[] = [];
  #onStarted: (() => void) | undefined;
  #onFailed: ((e: Error) => void) | undefined;
  /** HOTSPOT_SIM_BRIDGE for the firmware: where the RadioBridge listens. */
  #bridgeAddress = "";
  /** HOTSPOT_SIM_WEB_PORT: a port that was free on loopback when the firmware was launched. */
  #webPort: number | undefined;
  #bannerSeen = false;
  /** The one-time API enrolment code the firmware showed on its console (none once an admin key exists). */
  enrolmentCode: string | undefined;

  constructor(options: ModdableFirmwareOptions) {
    this.#o = options;
    this.key = options.key;
    this.name = options.animalName;
  }

  /** Opens the radio bridge and launches mcsim with the firmware; started() tells when its hotspot runs. */
  start(): void {
    if (this.#started !== undefined) return;
    this.#started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.#o.name}: the firmware did not start within ${BOOT_TIMEOUT_MS / 1000} s (see ${this.#o.logFile})`)), BOOT_TIMEOUT_MS);
      this.#onStarted = () => (clearTimeout(timer), resolve());
      this.#onFailed = (e) => (clearTimeout(timer), reject(e));
    });
    Promise.all([this.#o.bridge.listen(), freeLoopbackPort()]).then(
      ([address, webPort]) => {
        this.#bridgeAddress = address;
        this.#webPort = webPort;
        if (!this.#stopping) this.#launch();
      },
      (e: Error) => this.#onFailed?.(new Error(`${this.#o.name}: radio bridge: ${e.message}`)),
    );
  }

  /** The dashboard's URL once launched (the firmware listens on every interface and serves loopback peers). */
  get dashboard(): string | undefined {
    return this.#webPort === undefined ? undefined : `http://127.0.0.1:${this.#webPort}/`;
  }

  /** Stores an Ed25519 public key as the first admin API key before the first boot, as `--admin-key` does for a Node hotspot. */
  presetAdminKey(publicKey: Uint8Array): void {
    if (this.#started !== undefined) throw new Error(`${this.#o.name}: an admin key is preset before the firmware starts`);
    const keys = new ApiKeys({ store: this.#o.store, crypto: this.#o.core, random: (bytes) => void randomFillSync(bytes), wallMillis: () => Date.now() });
    const added = keys.add(publicKey, "admin", { label: "--admin-key", expires: false });
    if ("error" in added && added.error !== "duplicate_key") throw new Error(`${this.#o.name}: --admin-key refused: ${added.error}`);
  }

  /** Resolves when the firmware has started its hotspot and reported its counters once (rejects when it did not). */
  started(): Promise<void> {
    return this.#started ?? Promise.reject(new Error("not started"));
  }

  stop(): void {
    this.#stopping = true;
    this.#child?.kill("SIGTERM");
    this.#child = undefined;
    this.#o.bridge.close();
  }

  /** The app's own counters from its last report (every 2 s), with any end of the mcsim process added as an error. */
  stats(): HotspotStats {
    const r = this.#reported;
    if (r === undefined) throw new Error(`${this.#o.name}: the firmware has not reported its counters yet`);
    if (this.#simulatorErrors.length === 0) return r;
    return { ...r, errors: r.errors + this.#simulatorErrors.length, lastProblem: this.#simulatorErrors.at(-1), recentErrors: [...r.recentErrors, ...this.#simulatorErrors].slice(-10) };
  }

  #launch(): void {
    const o = this.#o;
    const child = spawnMcsim({
      mcsim: o.mcsim,
      library: o.library,
      display: o.display,
      dir: o.dir,
      settings: { BRIDGE: this.#bridgeAddress, STORE: o.storeDir, WEB_PORT: String(this.#webPort) },
      onLine: (line) => this.#consoleLine(line),
    });
    this.#child = child;
    child.stderr!.on("data", (d: Buffer) => appendFileSync(o.logFile, d.toString().replace(/^/gm, `${new Date().toISOString()} mcsim stderr: `)));
    child.on("error", (e) => this.#onFailed?.(new Error(`${o.name}: cannot run ${o.mcsim}: ${e.message}`)));
    child.on("exit", (code, signal) => {
      if (this.#child !== child) return;
      this.#child = undefined;
      if (this.#stopping) return;
      const why = code === EXIT_RESTART ? "the firmware restarted the chip (xs_device_restart); the simulator does not start it again" : `mcsim exited (${signal ?? `status ${code}`})`;
      this.#simulatorError(why);
      this.#onFailed?.(new Error(`${o.name}: ${why} (see ${o.logFile})`));
    });
  }

  #consoleLine(line: string): void {
    appendFileSync(this.#o.logFile, `${new Date().toISOString()} ${line}\n`);
    if (this.#bannerSeen) {
      this.#bannerSeen = false;
      this.enrolmentCode = line.trim();
    }
    if (ENROLMENT_BANNER.test(line)) this.#bannerSeen = true;
    const m = LINE.exec(line);
    if (m === null) return;
    const [, level, source, message] = m as unknown as [string, LogLevel, string, string];
    if (source === "stats") return this.#report(message);
    if (source === "heap") return this.#heap(message);
    if (source === "downlink") return this.#downlink(message);
    if (level === "warn" || level === "error") this.#o.onLog?.(level, source, message);
  }

  #report(json: string): void {
    try {
      this.#reported = JSON.parse(json) as HotspotStats;
    } catch {
      return this.#simulatorError(`an unreadable stats line on the console: ${json.slice(0, 80)}`);
    }
    this.#onStarted?.();
  }

  #heap(json: string): void {
    let counts: { slots?: unknown; chunkBytes?: unknown; slotCapacity?: unknown; chunkCapacity?: unknown };
    try {
      counts = JSON.parse(json) as typeof counts;
    } catch {
      return this.#simulatorError(`an unreadable heap line on the console: ${json.slice(0, 80)}`);
    }
    const { slots, chunkBytes, slotCapacity, chunkCapacity } = counts;
    if (typeof slots !== "number" || typeof chunkBytes !== "number" || typeof slotCapacity !== "number" || typeof chunkCapacity !== "number") {
      return this.#simulatorError(`a heap line without its four counts: ${json.slice(0, 80)}`);
    }
    const h = this.xsHeap;
    h.reports++;
    h.lastSlots = slots;
    h.lastChunkBytes = chunkBytes;
    h.maxSlots = Math.max(h.maxSlots, slots);
    h.maxChunkBytes = Math.max(h.maxChunkBytes, chunkBytes);
    h.slotCapacity = slotCapacity;
    h.chunkCapacity = chunkCapacity;
  }

  #downlink(json: string): void {
    let reported: DownlinkFate & { sha256?: unknown };
    try {
      reported = JSON.parse(json) as DownlinkFate & { sha256?: unknown };
    } catch {
      return this.#simulatorError(`an unreadable downlink line on the console: ${json.slice(0, 80)}`);
    }
    const { sha256, ...fate } = reported;
    if (typeof sha256 !== "string" || typeof fate.ok !== "boolean") return this.#simulatorError(`a downlink line without its hash or outcome: ${json.slice(0, 80)}`);
    this.downlinkFates.set(sha256, fate);
    if (this.downlinkFates.size > DOWNLINK_FATES) this.downlinkFates.delete(this.downlinkFates.keys().next().value!);
  }

  #simulatorError(message: string): void {
    appendFileSync(this.#o.logFile, `${new Date().toISOString()} error simulator: ${message}\n`);
    this.#simulatorErrors.push(`simulator: ${message}`);
    this.#o.onLog?.("error", "simulator", message);
  }
}

/** What `npm start -- --moddable` found and built. */
export interface ModdableSetup {
  library: string;
  mcsim: string;
  display: string;
}

export interface ModdableHotspotOptions {
  setup: ModdableSetup;
  name: string;
  position: Position;
  core: Core;
  scheduler: Scheduler;
  world: RadioWorld;
  antennaGainDbi: number;
  /** The config its setup portal would have saved (checked with modules/app's rules before it is stored). */
  config: unknown;
  dir: string;
  logFile: string;
  onLog?(level: LogLevel, source: string, message: string): void;
}

/** Provisions the store, wires the radio bridge into the world and prepares the firmware process (started by the world). */
export function createModdableHotspot(o: ModdableHotspotOptions): { firmware: ModdableFirmware; bridge: RadioBridge } {
  const storeDir = join(o.dir, "store");
  // The firmware opens its key-value path "hotspot" (device/provider.ts) as a folder of the store.
  const store = new FileStore(join(storeDir, "hotspot"));
  const key = generateGatewayKey(o.core, (bytes) => void randomFillSync(bytes));
  saveGatewayKey(store, key);
  const checked = checkConfig(o.core, o.config);
  if (!checked.ok) throw new Error(`${o.name}: config refused: ${checked.errors.map((e) => `${e.field} ${e.reason}`).join("; ")}`);
  new ConfigStore(store, o.core).save(checked.config);
  const board = HELTEC_WIFI_LORA_32_V3;
  const bridge = new RadioBridge({
    name: o.name,
    scheduler: o.scheduler,
    world: o.world,
    position: o.position,
    antennaGainDbi: o.antennaGainDbi,
    pins: board.pins,
    board: modelBoard(board),
    log: (message) => appendFileSync(o.logFile, `${new Date().toISOString()} ${message}\n`),
  });
  const firmware = new ModdableFirmware({
    name: o.name,
    library: o.setup.library,
    mcsim: o.setup.mcsim,
    display: o.setup.display,
    dir: o.dir,
    storeDir,
    store,
    core: o.core,
    bridge,
    key,
    animalName: animalName(o.core, key.address),
    logFile: o.logFile,
    onLog: o.onLog,
  });
  return { firmware, bridge };
}

/** A TCP port free on loopback now (the kernel's choice); the firmware binds it when it starts. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
