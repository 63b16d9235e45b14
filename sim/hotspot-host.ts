// One simulated hotspot's host provider: its own SX1262 model in the shared radio world (SPI and
// GPIO as the driver sees them), the world's clock and timers, Node sockets as narrow as the Moddable
// SDK's (TCP, UDP, the dashboard's Listener; sim/host/) and the system's resolver in front of them, a
// key-value store in files, and the operating system's random source.
// Also the radio driver factory the app takes: the real SX1262 driver over that model. A fault can
// stall the host just before each SetTx, as a garbage-collection pause on the device would.
import { randomFillSync } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SX1262 } from "../drivers/sx1262/sx1262.js";
import { HELTEC_WIFI_LORA_32_V3, boardIo, type Sx1262Board } from "../drivers/sx1262/boards.js";
import { Op } from "../drivers/sx1262/commands.js";
import type { HostProvider, KeyValueStore, ListenerOptions, Log, SPIConstructor, SPIOptions } from "../modules/host/provider.js";
import type { AirtimeFunction } from "../modules/radio/airtime.js";
import type { RadioDriverFactory } from "../modules/app/radio-part.js";
import { schedulerClock, schedulerTimers } from "./host-clock.js";
import { CORE_WASM_PATH } from "./node-core.js";
import { NodeListener } from "./host/listener.js";
import { NodeResolver } from "./host/resolver.js";
import { NodeTCP } from "./host/tcp.js";
import { NodeUDP } from "./host/udp.js";
import type { Position, RadioWorld } from "./radio-world.js";
import type { Scheduler } from "./scheduler.js";
import { Sx1262Model, type Sx1262ModelBoard } from "./sx1262-model.js";

/** The ESP32's NVS limits, enforced here too so the simulator catches what the device would refuse. */
const MAX_KEY_LENGTH = 15;
const MAX_VALUE_BYTES = 4000;

/** A key-value store with one file per key; a write goes to a temporary file that is then renamed over the old one. */
export class FileStore implements KeyValueStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  read(key: string): Uint8Array | undefined {
    try {
      return new Uint8Array(readFileSync(this.#path(key)));
    } catch {
      return undefined;
    }
  }

  write(key: string, value: Uint8Array): void {
    if (value.length > MAX_VALUE_BYTES) throw new RangeError(`store: "${key}" has ${value.length} bytes; the device's NVS keeps at most ${MAX_VALUE_BYTES}`);
    const path = this.#path(key);
    writeFileSync(`${path}.new`, value);
    renameSync(`${path}.new`, path);
  }

  delete(key: string): void {
    rmSync(this.#path(key), { force: true });
  }

  keys(): string[] {
    return readdirSync(this.dir)
      .filter((f) => !f.endsWith(".new"))
      .map((f) => decodeURIComponent(f));
  }

  #path(key: string): string {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) throw new RangeError(`store: key "${key}" must have 1..${MAX_KEY_LENGTH} characters (the device's NVS limit)`);
    return join(this.dir, encodeURIComponent(key));
  }
}

/** The chip-side facts of a board preset for the model (TCXO, DC-DC inductor, RF switch). */
export function modelBoard(board: Sx1262Board): Sx1262ModelBoard {
  return {
    tcxo: board.settings.tcxo === undefined ? undefined : { minVolts: 1.7, startupMicros: 2000 },
    dcdcInductor: board.settings.regulator === "dcdc",
    rfSwitchOnDio2: board.settings.dio2RfSwitch,
  };
}

export interface SimHostOptions {
  name: string;
  scheduler: Scheduler;
  world: RadioWorld;
  position: Position;
  antennaGainDbi: number;
  airtime: AirtimeFunction;
  /** Where the store's files go. */
  storeDir: string;
  log: Log;
  board?: Sx1262Board;
  /** Replaces the Node TCP class (tests on a virtual clock use one that never reaches a network). */
  TCP?: HostProvider["io"]["TCP"];
  /** Replaces the system's resolver (tests on a virtual clock answer from a table). */
  dns?: HostProvider["dns"];
  /** The host stalls this long (busy, nothing else runs) before each SetTx frame, µs. */
  txStallMicros?: number;
}

export interface SimHost {
  host: HostProvider;
  model: Sx1262Model;
  board: Sx1262Board;
  driver: RadioDriverFactory;
  /** The driver the factory built last (the app rebuilds it on restart and region changes). */
  currentDriver(): SX1262 | undefined;
  /** The dashboard's listener once the app has opened it. */
  listener(): NodeListener | undefined;
}

/** The SPI class with a host stall of `stallMicros` before every SetTx frame (as a GC pause right before the transmission). */
export function stallingBeforeSetTx(SPI: SPIConstructor, scheduler: Scheduler, stallMicros: number): SPIConstructor {
  return class extends SPI {
    constructor(options: SPIOptions) {
      super(options);
    }
    override transfer(buffer: Uint8Array): void {
      if (buffer[0] === Op.SetTx) scheduler.advance(stallMicros);
      super.transfer(buffer);
    }
  };
}

export function createSimHost(o: SimHostOptions): SimHost {
  const board = o.board ?? HELTEC_WIFI_LORA_32_V3;
  const model = new Sx1262Model({ name: o.name, scheduler: o.scheduler, world: o.world, position: o.position, antennaGainDbi: o.antennaGainDbi, pins: board.pins, board: modelBoard(board) });
  const clock = schedulerClock(o.scheduler);
  const timers = schedulerTimers(o.scheduler);
  let listener: NodeListener | undefined;
  class Listener extends NodeListener {
    constructor(options: ListenerOptions) {
      super(options);
      listener = this;
    }
  }
  const host: HostProvider = {
    io: { ...model.io(), TCP: o.TCP ?? NodeTCP, UDP: NodeUDP, Listener, AcceptedTCP: NodeTCP },
    dns: o.dns ?? new NodeResolver(),
    clock,
    timers,
    store: new FileStore(o.storeDir),
    random: (bytes) => {
      randomFillSync(bytes);
    },
    log: o.log,
    // The device's manifest puts build/core.wasm into flash as a resource (the dashboard serves it).
    resource: (name) => (name === "core.wasm" ? new Uint8Array(readFileSync(CORE_WASM_PATH)) : undefined),
  };
  const io = model.io();
  const wiring = { SPI: o.txStallMicros ? stallingBeforeSetTx(io.SPI, o.scheduler, o.txStallMicros) : io.SPI, Digital: io.Digital };
  let current: SX1262 | undefined;
  const driver: RadioDriverFactory = (callbacks, listen) =>
    (current = new SX1262({
      ...boardIo(board, wiring),
      board: board.settings,
      clock,
      timers,
      listen,
      airtime: o.airtime,
      onReadable: callbacks.onReadable,
      onTransmitted: callbacks.onTransmitted,
      onError: callbacks.onError,
      log: o.log,
    }));
  return { host, model, board, driver, currentDriver: () => current, listener: () => listener };
}
