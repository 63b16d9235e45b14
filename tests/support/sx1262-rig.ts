// Test rig: a virtual-time world with SX1262 models driven by the real driver. Platform-neutral (the
// XS suites use it too): the time-on-air function comes in with the world. radio-rig.ts binds it to
// the wasm core for the Node tests.
import { SX1262, type Sx1262Fault, type Sx1262Listen, type Sx1262Options, type Sx1262Packet, type Sx1262TxReport } from "../../drivers/sx1262/sx1262.js";
import { boardIo, type Sx1262Board } from "../../drivers/sx1262/boards.js";
import type { AirtimeFunction } from "../../modules/radio/airtime.js";
import { schedulerClock, schedulerTimers } from "../../sim/host-clock.js";
import { RadioWorld, type Position } from "../../sim/radio-world.js";
import { VirtualScheduler } from "../../sim/scheduler.js";
import { Sx1262Model, type Sx1262ModelBoard, type Sx1262ModelTiming } from "../../sim/sx1262-model.js";
import { Radio, type DownlinkOutcome, type RadioDriverFault, type UplinkEvent } from "../../modules/radio/radio.js";
import type { ListenPlan } from "../../modules/radio/listen-plan.js";
import type { RegionPlan } from "../../modules/region/plan-types.js";

export interface WorldOptions {
  shadowingSigmaDb?: number;
  pathLossExponent?: number;
}

export function makeWorldWith(airtime: AirtimeFunction, seed = 1, options: WorldOptions = {}) {
  const scheduler = new VirtualScheduler();
  const world = new RadioWorld({ scheduler, airtime, seed, ...options });
  return { scheduler, world, airtime, clock: schedulerClock(scheduler), timers: schedulerTimers(scheduler) };
}
export type RigWorld = ReturnType<typeof makeWorldWith>;

/** The chip-side facts of a board preset: a TCXO that needs >= 1.7 V and 2 ms, DC-DC only where the preset says so. */
export function modelBoardFor(board: Sx1262Board): Sx1262ModelBoard {
  return {
    tcxo: board.settings.tcxo === undefined ? undefined : { minVolts: 1.7, startupMicros: 2000 },
    dcdcInductor: board.settings.regulator === "dcdc",
    rfSwitchOnDio2: board.settings.dio2RfSwitch,
  };
}

export interface Hotspot {
  model: Sx1262Model;
  driver: SX1262;
  packets: Sx1262Packet[];
  reports: Sx1262TxReport[];
  faults: Sx1262Fault[];
}

export function makeHotspot(
  env: RigWorld,
  options: {
    board: Sx1262Board;
    listen: Sx1262Listen;
    name?: string;
    position?: Position;
    antennaGainDbi?: number;
    recordFrames?: boolean;
    /** Chip select by the SPI's own `select` pin instead of a GPIO. */
    hardwareSelect?: boolean;
    modelBoard?: Sx1262ModelBoard;
    modelTiming?: Partial<Sx1262ModelTiming>;
    driver?: Partial<Sx1262Options>;
    beforeStart?: (model: Sx1262Model) => void;
  },
): Hotspot {
  const model = new Sx1262Model({
    name: options.name ?? "hotspot",
    scheduler: env.scheduler,
    world: env.world,
    position: options.position ?? { x: 0, y: 0 },
    antennaGainDbi: options.antennaGainDbi ?? 2,
    pins: options.board.pins,
    board: options.modelBoard ?? modelBoardFor(options.board),
    timing: options.modelTiming,
  });
  model.recordFrames = options.recordFrames ?? false;
  options.beforeStart?.(model);
  const hs: Hotspot = { model, driver: undefined as unknown as SX1262, packets: [], reports: [], faults: [] };
  const io = boardIo(options.board, model.io());
  const wiring = options.hardwareSelect ? { ...io, select: undefined, spi: { ...io.spi, select: options.board.pins.nss } } : io;
  hs.driver = new SX1262({
    ...wiring,
    board: options.board.settings,
    clock: env.clock,
    timers: env.timers,
    listen: options.listen,
    airtime: env.airtime,
    onReadable() {
      for (let p = this.read(); p !== undefined; p = this.read()) hs.packets.push(p);
    },
    onTransmitted(report) {
      hs.reports.push(report);
    },
    onError(fault) {
      hs.faults.push(fault);
    },
    ...options.driver,
  });
  return hs;
}

export interface RadioHotspot {
  model: Sx1262Model;
  driver: SX1262;
  radio: Radio;
  uplinks: UplinkEvent[];
  outcomes: DownlinkOutcome[];
  faults: RadioDriverFault[];
}

/** A hotspot with the radio service on top of the driver (the composition the app will use). */
export function makeRadioHotspot(
  env: RigWorld,
  options: { board: Sx1262Board; listen: ListenPlan; region: RegionPlan; name?: string; position?: Position; antennaGainDbi?: number; onUplink?: (e: UplinkEvent) => void },
): RadioHotspot {
  const model = new Sx1262Model({
    name: options.name ?? "hotspot",
    scheduler: env.scheduler,
    world: env.world,
    position: options.position ?? { x: 0, y: 0 },
    antennaGainDbi: options.antennaGainDbi ?? 2,
    pins: options.board.pins,
    board: modelBoardFor(options.board),
  });
  const hs = { model, uplinks: [], outcomes: [], faults: [] } as unknown as RadioHotspot;
  hs.radio = new Radio({
    driver: (cb) =>
      (hs.driver = new SX1262({
        ...boardIo(options.board, model.io()),
        board: options.board.settings,
        clock: env.clock,
        timers: env.timers,
        listen: options.listen,
        airtime: env.airtime,
        onReadable: cb.onReadable,
        onTransmitted: cb.onTransmitted,
        onError: cb.onError,
      })),
    clock: env.clock,
    timers: env.timers,
    region: options.region,
    listen: options.listen,
    airtime: env.airtime,
    antennaGainDbi: options.antennaGainDbi ?? 2,
    maxConductedDbm: options.board.settings.maxPowerDbm,
    onUplink: (e) => {
      hs.uplinks.push(e);
      options.onUplink?.(e);
    },
    onDownlink: (o) => hs.outcomes.push(o),
    onFault: (f) => hs.faults.push(f),
  });
  return hs;
}
