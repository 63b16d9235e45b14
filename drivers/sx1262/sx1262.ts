// SX1262 LoRa transceiver driver in the ECMA-419 peripheral class pattern.
//
// Construction takes `{io, pin}` records for SPI, chip select, NRESET, BUSY and DIO1 plus the board
// settings; the driver then owns the chip: it brings it up (spec A.9 boot sequence), listens as the
// listen plan says (continuous RX on one channel and SF, or a CAD scan over SFs on one channel),
// hands received packets out through onReadable()/read(), transmits with write() (at a µs tmst or at
// once) and goes back to listening. One SX1262 hears one channel and one SF at a time; the CAD scan
// trades sensitivity and missed packets for hearing several SFs.
//
// Every SPI command waits for BUSY low (bounded), runs in its own chip-select frame and checks the
// status byte. Faults (BUSY stuck, an IRQ that never comes, device errors, a chip that does not
// answer) reset and re-initialise the chip; each is counted and reported through onError. Nothing
// waits without a bound: the worst case is a failed state that retries on a timer.
import type { Clock, Digital, DigitalConstructor, Log, SPI, SPIConstructor, TimerHandle, Timers } from "../../modules/host/provider.js";
import { DigitalEdge, DigitalMode } from "../../modules/host/provider.js";
import type { AirtimeFunction } from "../../modules/radio/airtime.js";
import type { Sx1262BoardSettings } from "./boards.js";
import {
  CadExit,
  ChipMode,
  CommandStatus,
  DeviceError,
  ERRATA_BIT,
  FallbackMode,
  Irq,
  OCP_STEP_MA,
  Op,
  PacketType,
  RX_CONTINUOUS,
  RX_GAIN_BOOSTED,
  Reg,
  StandbyMode,
  SYNC_WORD_PRIVATE,
  SYNC_WORD_PUBLIC,
  TX_CLAMP_BITS,
  bandwidthCode,
  chipModeOf,
  commandStatusOf,
  decodePacketStatus,
  imageCalibrationFor,
  lowDataRateOptimize,
  paSettingsFor,
  rfFrequencyWord,
  rtcSteps,
  symbolMicros,
  tcxoVoltageCode,
} from "./commands.js";

// ---------------------------------------------------------------- public types

/** Continuous RX on one channel at one SF. */
export interface FixedListen {
  kind: "fixed";
  frequencyHz: number;
  spreadingFactor: number;
  bandwidthKhz: 125 | 250 | 500;
}
/** Channel activity detection on one channel, cycling through SFs; RX follows a detection. */
export interface CadScanListen {
  kind: "cad-scan";
  frequencyHz: number;
  bandwidthKhz: 125 | 250 | 500;
  spreadingFactors: readonly number[];
}
export type Sx1262Listen = FixedListen | CadScanListen;

export interface Sx1262Packet {
  payload: Uint8Array;
  /** End of packet on the host µs clock (the IRQ stamp minus the chip's RxDone latency). */
  micros: number;
  /** The same as a 32-bit µs counter value (the GWMP/Helium `tmst`). */
  tmst: number;
  rssi: number;
  snr: number;
  signalRssi: number;
  frequencyHz: number;
  spreadingFactor: number;
  bandwidthKhz: number;
  /** Coding rate denominator from the received header (5 = 4/5). */
  codingRate: number;
}

export interface Sx1262TxRequest {
  payload: Uint8Array;
  frequencyHz: number;
  spreadingFactor: number;
  bandwidthKhz: 125 | 250 | 500;
  /** Coding rate denominator 5..8 (4/5..4/8). Default 5. */
  codingRate?: number;
  /** Conducted power, whole dBm. */
  powerDbm: number;
  /** true for LoRaWAN downlinks, false for beacons and uplink-style frames. */
  invertIq: boolean;
  preambleSymbols?: number;
  crc?: boolean;
  /** Start of transmission as a 32-bit µs tmst; absent = as soon as possible. */
  at?: number;
  /** Opaque tag returned in the report. */
  tag?: unknown;
}

export type Sx1262TxError = "TOO_LATE" | "BUSY" | "INVALID" | "TX_TIMEOUT" | "RADIO_FAULT" | "CLOSED";
export interface Sx1262TxReport {
  tag: unknown;
  ok: boolean;
  error?: Sx1262TxError;
  detail?: string;
  /**
   * Start of the RF burst on the host µs clock, and as tmst: when the driver really issued SetTx
   * (the clock read after the SetTx frame) plus the chip's start-up after SetTx. A late SetTx shows
   * here as a late start; it is never the target copied back.
   */
  micros?: number;
  tmst?: number;
  /** When SetTx was issued (NSS high), host µs clock. */
  setTxMicros?: number;
  powerDbm: number;
  airtimeMicros?: number;
}

export type Sx1262FaultKind =
  | "busy-stuck"
  | "no-irq"
  | "device-errors"
  | "oscillator"
  | "no-chip"
  | "tx-timeout"
  | "crc-storm";

export interface Sx1262Fault {
  kind: Sx1262FaultKind;
  message: string;
  /** true while the driver is resetting and re-initialising; false for reports that need no reset. */
  recovering: boolean;
  /** true once retries are exhausted and the driver waits for its slow retry timer. */
  failed: boolean;
  deviceErrors?: number;
}

export type Sx1262State = "starting" | "listening" | "cad" | "cad-rx" | "tx-wait" | "tx" | "failed" | "closed";

export interface Sx1262Stats {
  rxPackets: number;
  crcErrors: number;
  headerErrors: number;
  rxTimeouts: number;
  rxDropped: number;
  txPackets: number;
  txTimeouts: number;
  txRefused: number;
  cadScans: number;
  cadDetections: number;
  missedIrqs: number;
  commandErrors: number;
  resets: number;
  faults: Record<Sx1262FaultKind, number>;
  perSf: Record<number, { heard: number; crcErrors: number }>;
}

export interface Sx1262Timing {
  /** Upper bound for BUSY after an ordinary command (the TCXO start is added on top). */
  busyTimeoutMicros: number;
  /** Upper bound for BUSY after reset and calibration. */
  longBusyTimeoutMicros: number;
  resetLowMicros: number;
  /** Wait after CalibrateImage: BUSY drops before the calibration really ends (meshtastic PR 11774). */
  imageCalibrationSettleMicros: number;
  /**
   * From SetTx (NSS high) to the first preamble symbol with the oscillator running: PLL lock and PA
   * ramp. 105 µs typical (STM32WL RM0453 Table 33, standby with the oscillator on to TX; its radio is
   * the SX126x); to be measured on hardware.
   */
  txSwitchMicros: number;
  /** On a crystal board (no TCXO) the crystal starts inside SetTx from STBY_RC: 21 µs more (RM0453: 126 µs from STBY_RC). */
  crystalStartMicros: number;
  /** How long before a timed TX the driver leaves RX to configure the transmission. */
  txPrepareMicros: number;
  /** RxDone is raised about one symbol after the end of the packet (One-Channel Hub); subtracted from the stamp. */
  rxDoneLatencySymbols: number;
  /** CAD length in symbols: 1, 2, 4, 8 or 16. */
  cadSymbols: number;
  watchdogMillis: number;
  healthCheckMillis: number;
  /** CRC errors per minute above which a crc-storm report is raised (once per minute). */
  crcStormPerMinute: number;
  rxQueueLength: number;
  maxInitAttempts: number;
  /** First slow retry after the attempts are exhausted; doubles up to 60 s. */
  retryMillis: number;
}

export const DEFAULT_TIMING: Sx1262Timing = Object.freeze({
  busyTimeoutMicros: 20_000,
  longBusyTimeoutMicros: 100_000,
  resetLowMicros: 1000,
  imageCalibrationSettleMicros: 50_000,
  txSwitchMicros: 105,
  crystalStartMicros: 21,
  txPrepareMicros: 15_000,
  rxDoneLatencySymbols: 1,
  cadSymbols: 2,
  watchdogMillis: 250,
  healthCheckMillis: 30_000,
  crcStormPerMinute: 30,
  rxQueueLength: 16,
  maxInitAttempts: 3,
  retryMillis: 5000,
});

export interface Sx1262Options {
  spi: { io: SPIConstructor; hz?: number; clock?: number; in?: number; out?: number; mode?: 0 | 1 | 2 | 3; port?: number; select?: number };
  /** NSS as a GPIO (lets BUSY be polled before NSS falls). Without it the SPI's own `select` is used. */
  select?: { io: DigitalConstructor; pin: number };
  reset: { io: DigitalConstructor; pin: number };
  busy: { io: DigitalConstructor; pin: number };
  dio1: { io: DigitalConstructor; pin: number };
  board: Sx1262BoardSettings;
  clock: Clock;
  timers: Timers;
  listen: Sx1262Listen;
  /** Time on air (the core's lora_airtime_us); used for TX watchdogs. Without it a 12 s bound is used. */
  airtime?: AirtimeFunction;
  /** On the device: the µs stamp a C ISR took at the last DIO1 edge. Default: the stamp the Digital edge callback carries, else the clock. */
  irqTimestamp?: () => number | undefined;
  syncWord?: "public" | "private";
  timing?: Partial<Sx1262Timing>;
  onReadable?(this: SX1262, count: number): void;
  onTransmitted?(this: SX1262, report: Sx1262TxReport): void;
  onError?(this: SX1262, fault: Sx1262Fault): void;
  log?: Log;
}

/** A fault raised inside a chip operation; caught at the driver's entry points. */
export class Sx1262FaultError extends Error {
  override name = "Sx1262FaultError";
  constructor(
    readonly kind: Sx1262FaultKind,
    message: string,
    readonly deviceErrors?: number,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------- constants

const RX_IRQS = Irq.RxDone | Irq.HeaderErr | Irq.CrcErr | Irq.Timeout;
const CAD_IRQS = RX_IRQS | Irq.CadDone | Irq.CadDetected;
const TX_IRQS = Irq.TxDone | Irq.Timeout;
const CAD_SYMBOL_CODES: Record<number, number> = Object.freeze({ 1: 0, 2: 1, 4: 2, 8: 3, 16: 4 });
const PREAMBLE_SYMBOLS = 8;
const TX_RAMP_CODE = 0x02; // 40 µs (LoRaMac-node and One-Channel Hub boards; spec A.4)
/** After a CAD detection the chip listens this many symbols for the header before timing out. */
const CAD_RX_TIMEOUT_SYMBOLS = 24;
const FALLBACK_TX_WATCHDOG_MICROS = 12_000_000;
const MAX_RETRY_MILLIS = 60_000;

function checkSf(sf: number, where: string): void {
  if (!Number.isInteger(sf) || sf < 5 || sf > 12) throw new RangeError(`${where}: spreading factor ${sf} is not 5..12`);
}
function checkBw(bw: number, where: string): number {
  const code = bandwidthCode(bw);
  if (code === undefined) throw new RangeError(`${where}: bandwidth ${bw} kHz is not 125, 250 or 500`);
  return code;
}
function checkFrequency(hz: number, where: string): void {
  if (!Number.isInteger(hz) || hz < 150_000_000 || hz > 960_000_000) throw new RangeError(`${where}: frequency ${hz} Hz is outside 150-960 MHz`);
}

function validateListen(listen: Sx1262Listen): void {
  checkFrequency(listen.frequencyHz, "listen");
  checkBw(listen.bandwidthKhz, "listen");
  if (listen.kind === "fixed") checkSf(listen.spreadingFactor, "listen");
  else if (listen.kind === "cad-scan") {
    if (listen.spreadingFactors.length === 0) throw new RangeError("listen: a CAD scan needs at least one spreading factor");
    for (const sf of listen.spreadingFactors) checkSf(sf, "listen");
  } else throw new RangeError(`listen: unknown kind ${String((listen as { kind: unknown }).kind)}`);
}

function emptyStats(): Sx1262Stats {
  return {
    rxPackets: 0,
    crcErrors: 0,
    headerErrors: 0,
    rxTimeouts: 0,
    rxDropped: 0,
    txPackets: 0,
    txTimeouts: 0,
    txRefused: 0,
    cadScans: 0,
    cadDetections: 0,
    missedIrqs: 0,
    commandErrors: 0,
    resets: 0,
    faults: { "busy-stuck": 0, "no-irq": 0, "device-errors": 0, oscillator: 0, "no-chip": 0, "tx-timeout": 0, "crc-storm": 0 },
    perSf: {},
  };
}

interface PendingTx {
  request: Sx1262TxRequest;
  /** Start of the RF burst on the host clock; undefined = as soon as possible. */
  targetMicros: number | undefined;
  airtime: number | undefined;
  timer?: TimerHandle;
}

function tmstOf(micros: number): number {
  return Math.floor(micros) >>> 0;
}

// ---------------------------------------------------------------- the driver

export class SX1262 {
  readonly stats: Sx1262Stats = emptyStats();
  #state: Sx1262State = "starting";
  #lastFault: Sx1262Fault | undefined;

  readonly #spi: SPI;
  readonly #select: Digital | undefined;
  readonly #reset: Digital;
  readonly #busy: Digital;
  readonly #dio1: Digital;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #board: Sx1262BoardSettings;
  readonly #timing: Sx1262Timing;
  readonly #airtime: AirtimeFunction | undefined;
  readonly #irqTimestamp: (() => number | undefined) | undefined;
  readonly #syncWord: number;
  readonly #onReadable: ((count: number) => void) | undefined;
  readonly #onTransmitted: ((report: Sx1262TxReport) => void) | undefined;
  readonly #onError: ((fault: Sx1262Fault) => void) | undefined;
  readonly #log: Log | undefined;
  readonly #frame = new Uint8Array(264);
  readonly #spiHz: number;

  #listen: Sx1262Listen;
  #rxQueue: Sx1262Packet[] = [];
  #edgeMicros: number | undefined;
  #inHandler = false;
  /** Register values cached after a read, so errata fixes can be rewritten without a read. */
  #txModulationReg: number | undefined;
  #imageBand: string | undefined;
  /** CAD scan position. */
  #cadIndex = 0;
  #cadSf = 0;
  /** The operation whose IRQ we wait for and its deadline on the host clock. */
  #awaiting: { what: "tx" | "cad" | "cad-rx"; deadline: number } | undefined;
  #pendingTx: PendingTx | undefined;
  #txStartMicros = 0;
  #setTxMicros = 0;
  #watchdog: TimerHandle | undefined;
  #lastHealthCheck = 0;
  #retryTimer: TimerHandle | undefined;
  #retryMillis: number;
  #crcWindowStart = 0;
  #crcWindowCount = 0;
  #crcStormReported = false;
  /** Set once DIO1 missed an edge; the watchdog then polls the flags on every tick. */
  #dio1Suspect = false;

  constructor(options: Sx1262Options) {
    validateListen(options.listen);
    const b = options.board;
    if (b.tcxo !== undefined && tcxoVoltageCode(b.tcxo.volts) === undefined) {
      throw new RangeError(`board: TCXO voltage ${b.tcxo.volts} V is not one of 1.6, 1.7, 1.8, 2.2, 2.4, 2.7, 3.0, 3.3`);
    }
    if (b.tcxo !== undefined && !(b.tcxo.delayMicros > 0 && b.tcxo.delayMicros < 262_144_000)) throw new RangeError("board: TCXO delay must be positive");
    if (!Number.isInteger(b.maxPowerDbm) || paSettingsFor(b.maxPowerDbm) === undefined) throw new RangeError(`board: max power ${b.maxPowerDbm} dBm is not -9..22`);
    if (options.select === undefined && options.spi.select === undefined) throw new TypeError("no chip select: give `select` (GPIO) or `spi.select`");
    this.#listen = options.listen;
    this.#clock = options.clock;
    this.#timers = options.timers;
    this.#board = b;
    this.#timing = { ...DEFAULT_TIMING, ...options.timing };
    if (CAD_SYMBOL_CODES[this.#timing.cadSymbols] === undefined) throw new RangeError("timing: cadSymbols must be 1, 2, 4, 8 or 16");
    this.#retryMillis = this.#timing.retryMillis;
    this.#airtime = options.airtime;
    this.#irqTimestamp = options.irqTimestamp;
    this.#syncWord = options.syncWord === "private" ? SYNC_WORD_PRIVATE : SYNC_WORD_PUBLIC;
    this.#onReadable = options.onReadable?.bind(this);
    this.#onTransmitted = options.onTransmitted?.bind(this);
    this.#onError = options.onError?.bind(this);
    this.#log = options.log;

    const { io: SPIClass, ...spiOptions } = options.spi;
    this.#spiHz = spiOptions.hz ?? 2_000_000;
    this.#spi = new SPIClass({ mode: 0, ...spiOptions, hz: this.#spiHz });
    if (options.select !== undefined) {
      this.#select = new options.select.io({ pin: options.select.pin, mode: DigitalMode.Output, initialValue: 1 });
    }
    this.#reset = new options.reset.io({ pin: options.reset.pin, mode: DigitalMode.Output, initialValue: 1 });
    this.#busy = new options.busy.io({ pin: options.busy.pin, mode: DigitalMode.Input });
    const driver = this;
    this.#dio1 = new options.dio1.io({
      pin: options.dio1.pin,
      mode: DigitalMode.Input,
      edge: DigitalEdge.Rising,
      onReadable(timestampMicros?: number) {
        driver.#edgeMicros = timestampMicros;
        driver.#onIrq();
      },
    });
    this.#bringUp();
    this.#watchdog = this.#timers.repeat(() => this.#onWatchdog(), this.#timing.watchdogMillis);
  }

  get state(): Sx1262State {
    return this.#state;
  }
  get listenPlan(): Sx1262Listen {
    return this.#listen;
  }
  get lastFault(): Sx1262Fault | undefined {
    return this.#lastFault;
  }

  /** Changes the listen plan (applied at once, or after a TX in progress). */
  configure(options: { listen?: Sx1262Listen }): void {
    if (options.listen === undefined) return;
    validateListen(options.listen);
    this.#listen = options.listen;
    if (this.#state === "listening" || this.#state === "cad" || this.#state === "cad-rx") this.#guard(() => this.#resumeListening());
  }

  /** The next received packet, or undefined. */
  read(): Sx1262Packet | undefined {
    return this.#rxQueue.shift();
  }

  /**
   * Queues a transmission. Returns false (and reports why through onTransmitted) when it cannot be
   * taken: another TX is pending, the request is invalid, or its start time cannot be met.
   */
  write(request: Sx1262TxRequest): boolean {
    const refuse = (error: Sx1262TxError, detail: string) => {
      this.stats.txRefused++;
      this.#report({ tag: request.tag, ok: false, error, detail, powerDbm: request.powerDbm });
      return false;
    };
    if (this.#state === "closed") return refuse("CLOSED", "driver closed");
    if (this.#state === "failed" || this.#state === "starting") return refuse("RADIO_FAULT", this.#lastFault?.message ?? "radio not ready");
    if (this.#pendingTx !== undefined || this.#state === "tx" || this.#state === "tx-wait") return refuse("BUSY", "another transmission is pending");
    const invalid = this.#invalidTx(request);
    if (invalid !== undefined) return refuse("INVALID", invalid);
    const airtime = this.#airtime?.(
      { spreadingFactor: request.spreadingFactor, bandwidthKhz: request.bandwidthKhz, codingRate: request.codingRate ?? 5, preambleSymbols: request.preambleSymbols ?? PREAMBLE_SYMBOLS, crc: request.crc ?? true, implicitHeader: false },
      request.payload.length,
    );
    const now = this.#clock.micros();
    let targetMicros: number | undefined;
    if (request.at !== undefined) {
      const ahead = (request.at - tmstOf(now)) | 0;
      if (ahead < this.#fireLeadMicros() + 2000) return refuse("TOO_LATE", `start is ${ahead} µs away`);
      targetMicros = now + ahead;
    }
    const pending: PendingTx = { request, targetMicros, airtime };
    this.#pendingTx = pending;
    const prepareIn = targetMicros === undefined ? 0 : targetMicros - now - this.#timing.txPrepareMicros;
    if (prepareIn <= 0) this.#guard(() => this.#transmit());
    else pending.timer = this.#timers.set(() => this.#guard(() => this.#transmit()), prepareIn / 1000);
    return true;
  }

  close(): void {
    if (this.#state === "closed") return;
    this.#timers.clear(this.#watchdog);
    this.#timers.clear(this.#retryTimer);
    this.#abortTx("CLOSED", "driver closed");
    this.#state = "closed";
    try {
      this.#command([Op.SetStandby, StandbyMode.Rc]);
    } catch {
      // Closing must not throw because the chip is already in trouble.
    }
    this.#dio1.close();
    this.#busy.close();
    this.#reset.close();
    this.#select?.close();
    this.#spi.close();
  }

  // ------------------------------------------------------------ SPI framing

  #waitBusy(timeoutMicros: number): void {
    if (this.#busy.read() === 0) return;
    const start = this.#clock.micros();
    let now = start;
    let step = 1;
    while (this.#busy.read() === 1) {
      if (now - start > timeoutMicros) {
        throw new Sx1262FaultError("busy-stuck", `BUSY stayed high for more than ${Math.round(timeoutMicros)} µs`);
      }
      now = this.#clock.delayMicros(step);
      if (step < 64) step *= 2;
    }
  }

  #busyTimeout(long = false): number {
    const base = long ? this.#timing.longBusyTimeoutMicros : this.#timing.busyTimeoutMicros;
    return base + (this.#board.tcxo?.delayMicros ?? 0);
  }

  /** One command frame: wait BUSY, NSS low, transfer in place, NSS high. Returns the MISO bytes. */
  #transfer(bytes: ArrayLike<number>, longBusy = false): Uint8Array {
    this.#waitBusy(this.#busyTimeout(longBusy));
    const frame = bytes.length <= this.#frame.length ? this.#frame.subarray(0, bytes.length) : new Uint8Array(bytes.length);
    frame.set(bytes);
    if (this.#select !== undefined) {
      this.#select.write(0);
      this.#spi.transfer(frame);
      this.#select.write(1);
    } else {
      this.#spi.transfer(frame);
      this.#spi.flush(true);
    }
    const status = frame.length > 1 ? frame[1] : frame[0];
    if (status === 0x00 || status === 0xff) throw new Sx1262FaultError("no-chip", `no SX126x answered on SPI (status byte 0x${status.toString(16).padStart(2, "0")}): check wiring, NSS and the radio's power`);
    const cs = commandStatusOf(status);
    if (cs === CommandStatus.ProcessingError || cs === CommandStatus.ExecutionFailure) {
      this.stats.commandErrors++;
      this.#log?.("warn", "sx1262", `chip reports ${cs === CommandStatus.ProcessingError ? "a command processing error" : "a failure to execute"} before opcode 0x${frame[0].toString(16)}`);
    }
    return frame;
  }

  #command(bytes: ArrayLike<number>, longBusy = false): void {
    this.#transfer(bytes, longBusy);
  }

  /** A read command: opcode, args, the status slot, then `count` data bytes. */
  #readCommand(opcode: number, args: readonly number[], count: number): Uint8Array {
    const frame = this.#transfer([opcode, ...args, 0, ...new Array<number>(count).fill(0)]);
    return frame.slice(1 + args.length + 1);
  }

  #writeRegister(address: number, ...values: number[]): void {
    this.#command([Op.WriteRegister, address >> 8, address & 0xff, ...values]);
  }

  #readRegister(address: number, count = 1): Uint8Array {
    return this.#readCommand(Op.ReadRegister, [address >> 8, address & 0xff], count);
  }

  #status(): number {
    return this.#transfer([Op.GetStatus, 0])[1];
  }

  #deviceErrors(): number {
    const d = this.#readCommand(Op.GetDeviceErrors, [], 2);
    return (d[0] << 8) | d[1];
  }

  // ------------------------------------------------------------ bring-up (spec A.9 boot)

  #bringUp(): void {
    this.#state = "starting";
    let lastError: unknown;
    for (let attempt = 0; attempt < this.#timing.maxInitAttempts; attempt++) {
      try {
        this.#initChip();
        this.#resumeListening();
        this.#retryMillis = this.#timing.retryMillis;
        return;
      } catch (error) {
        lastError = error;
        if (!(error instanceof Sx1262FaultError)) throw error;
        this.#countFault(error.kind);
        if (attempt + 1 < this.#timing.maxInitAttempts) this.#emitFault(error.kind, error.message, true, false, error.deviceErrors);
      }
    }
    const e = lastError as Sx1262FaultError;
    this.#state = "failed";
    this.#emitFault(e.kind, `${e.message} (gave up after ${this.#timing.maxInitAttempts} attempts; retrying in ${this.#retryMillis / 1000} s)`, false, true, e.deviceErrors);
    this.#retryTimer = this.#timers.set(() => {
      this.#retryTimer = undefined;
      if (this.#state === "closed") return;
      this.#retryMillis = Math.min(MAX_RETRY_MILLIS, this.#retryMillis * 2);
      this.#bringUp();
    }, this.#retryMillis);
  }

  #initChip(): void {
    this.#txModulationReg = undefined;
    this.#imageBand = undefined;
    this.#awaiting = undefined;
    this.stats.resets++;
    // 1. NRESET pulse, then wait for the chip's start-up calibration (BUSY).
    this.#reset.write(0);
    this.#clock.delayMicros(this.#timing.resetLowMicros);
    this.#reset.write(1);
    this.#waitBusy(this.#busyTimeout(true));
    // The chip may refuse its first commands after reset (RadioLib): retry standby until the status says STBY_RC.
    let mode = -1;
    for (let i = 0; i < 10 && mode !== ChipMode.StandbyRc; i++) {
      if (i > 0) this.#clock.delayMicros(10_000);
      this.#command([Op.SetStandby, StandbyMode.Rc]);
      mode = chipModeOf(this.#status());
    }
    if (mode !== ChipMode.StandbyRc) throw new Sx1262FaultError("no-chip", `chip did not enter STBY_RC after reset (mode ${mode})`);
    // 2. Identify, and clear errors left from power-up (an XOSC error is expected before the TCXO is set).
    const version = this.#readRegister(Reg.Version, 16);
    const name = String.fromCharCode(...version.subarray(0, 6));
    if (!name.startsWith("SX126")) throw new Sx1262FaultError("no-chip", `register 0x0320 reads "${name}", not an SX126x version string`);
    this.#command([Op.ClearDeviceErrors, 0, 0]);
    // 3. TCXO on DIO3, then recalibrate everything with the reference clock running.
    const tcxo = this.#board.tcxo;
    if (tcxo !== undefined) {
      const steps = rtcSteps(tcxo.delayMicros);
      this.#command([Op.SetDio3AsTcxoCtrl, tcxoVoltageCode(tcxo.volts)!, (steps >> 16) & 0xff, (steps >> 8) & 0xff, steps & 0xff]);
    }
    this.#command([Op.Calibrate, 0x7f], true);
    this.#waitBusy(this.#busyTimeout(true));
    const errors = this.#deviceErrors();
    if (errors & DeviceError.XoscStart) {
      const setting = tcxo === undefined ? "no TCXO configured (board.tcxo is unset)" : `TCXO on DIO3 at ${tcxo.volts} V with ${tcxo.delayMicros} µs start-up delay`;
      throw new Sx1262FaultError("oscillator", `the 32 MHz oscillator did not start (XOSC_START, device errors 0x${errors.toString(16).padStart(4, "0")}): ${setting}; check the board's tcxo voltage/delay setting`, errors);
    }
    if (errors !== 0) throw new Sx1262FaultError("device-errors", `device errors 0x${errors.toString(16).padStart(4, "0")} after calibration`, errors);
    // 4. Regulator, 5. RF switch, 7. LoRa + fallback mode, 8. buffer base.
    this.#command([Op.SetRegulatorMode, this.#board.regulator === "dcdc" ? 0x01 : 0x00]);
    if (this.#board.dio2RfSwitch) this.#command([Op.SetDio2AsRfSwitchCtrl, 0x01]);
    this.#command([Op.SetPacketType, PacketType.LoRa]);
    this.#command([Op.SetRxTxFallbackMode, FallbackMode.StandbyRc]);
    this.#command([Op.SetBufferBaseAddress, 0x00, 0x00]);
    this.#calibrateImage(this.#listen.frequencyHz);
    this.#writeRegister(Reg.SyncWordMsb, this.#syncWord >> 8, this.#syncWord & 0xff);
    this.#writeRegister(Reg.RxGain, RX_GAIN_BOOSTED);
    this.#configurePa(this.#board.maxPowerDbm);
    const after = this.#deviceErrors();
    if (after !== 0) throw new Sx1262FaultError("device-errors", `device errors 0x${after.toString(16).padStart(4, "0")} after initialisation`, after);
  }

  #calibrateImage(hz: number): void {
    const [f1, f2] = imageCalibrationFor(hz);
    const band = `${f1},${f2}`;
    if (band === this.#imageBand) return;
    this.#command([Op.CalibrateImage, f1, f2], true);
    this.#clock.delayMicros(this.#timing.imageCalibrationSettleMicros);
    this.#waitBusy(this.#busyTimeout(true));
    this.#imageBand = band;
  }

  /** TX clamp errata, PA config for the power, OCP (SetPaConfig resets it), TX params. Returns the power set. */
  #configurePa(dbm: number): number {
    const power = Math.min(dbm, this.#board.maxPowerDbm);
    const pa = paSettingsFor(power)!;
    const clamp = this.#readRegister(Reg.TxClamp)[0];
    this.#writeRegister(Reg.TxClamp, clamp | TX_CLAMP_BITS);
    this.#command([Op.SetPaConfig, pa.paDutyCycle, pa.hpMax, 0x00, 0x01]);
    this.#writeRegister(Reg.Ocp, Math.round((this.#board.ocpMilliamps ?? 140) / OCP_STEP_MA));
    this.#command([Op.SetTxParams, pa.power & 0xff, TX_RAMP_CODE]);
    return power;
  }

  // ------------------------------------------------------------ listening

  #resumeListening(): void {
    if (this.#listen.kind === "fixed") this.#startFixedRx(this.#listen);
    else this.#startCadScan(this.#listen);
  }

  /** Modulation params plus the BW500 errata bit in 0x0889 (read once, then rewritten from the cache). */
  #setModulation(sf: number, bw: number, cr: number): void {
    this.#command([Op.SetModulationParams, sf, bandwidthCode(bw)!, cr - 4, lowDataRateOptimize(sf, bw) ? 1 : 0]);
    if (this.#txModulationReg === undefined) this.#txModulationReg = this.#readRegister(Reg.TxModulation)[0];
    const value = bw === 500 ? this.#txModulationReg & ~ERRATA_BIT : this.#txModulationReg | ERRATA_BIT;
    this.#writeRegister(Reg.TxModulation, value);
    this.#txModulationReg = value;
  }

  /** Packet params plus the IQ errata bit in 0x0736 (bit 2 set for standard IQ, cleared for inverted). */
  #setPacket(preamble: number, length: number, crc: boolean, invertIq: boolean): void {
    this.#command([Op.SetPacketParams, preamble >> 8, preamble & 0xff, 0x00, length, crc ? 1 : 0, invertIq ? 1 : 0]);
    const iq = this.#readRegister(Reg.IqPolarity)[0];
    this.#writeRegister(Reg.IqPolarity, invertIq ? iq & ~ERRATA_BIT : iq | ERRATA_BIT);
  }

  /** Spec A.9 "Configure RX": standby, LoRa, modulation, packet, sync word, frequency, timeouts, gain, IRQs. */
  #configureRxCommon(sf: number, bw: number, hz: number, irqs: number): void {
    this.#command([Op.SetStandby, StandbyMode.Rc]);
    this.#command([Op.SetPacketType, PacketType.LoRa]);
    this.#setModulation(sf, bw, 5);
    this.#setPacket(PREAMBLE_SYMBOLS, 0xff, true, false);
    this.#writeRegister(Reg.SyncWordMsb, this.#syncWord >> 8, this.#syncWord & 0xff);
    const word = rfFrequencyWord(hz);
    this.#command([Op.SetRfFrequency, (word >>> 24) & 0xff, (word >> 16) & 0xff, (word >> 8) & 0xff, word & 0xff]);
    this.#calibrateImage(hz);
    this.#command([Op.SetLoRaSymbNumTimeout, 0x00]);
    this.#command([Op.StopTimerOnPreamble, 0x00]);
    this.#writeRegister(Reg.RxGain, RX_GAIN_BOOSTED);
    this.#command([Op.SetDioIrqParams, irqs >> 8, irqs & 0xff, irqs >> 8, irqs & 0xff, 0, 0, 0, 0]);
    this.#command([Op.ClearIrqStatus, 0xff, 0xff]);
  }

  #startFixedRx(listen: FixedListen): void {
    this.#awaiting = undefined;
    this.#configureRxCommon(listen.spreadingFactor, listen.bandwidthKhz, listen.frequencyHz, RX_IRQS);
    this.#command([Op.SetRx, 0xff, 0xff, 0xff]);
    this.#state = "listening";
    this.#lastHealthCheck = this.#clock.micros();
  }

  #startCadScan(listen: CadScanListen): void {
    this.#cadIndex = 0;
    this.#configureRxCommon(listen.spreadingFactors[0], listen.bandwidthKhz, listen.frequencyHz, CAD_IRQS);
    this.#cadStep(false);
  }

  /** One CAD: SF of the current scan position; on detection the chip stays in RX (CAD_RX exit). */
  #cadStep(reconfigure = true): void {
    const listen = this.#listen as CadScanListen;
    const sf = listen.spreadingFactors[this.#cadIndex % listen.spreadingFactors.length];
    this.#cadSf = sf;
    const symbol = symbolMicros(sf, listen.bandwidthKhz);
    if (reconfigure) {
      this.#command([Op.SetStandby, StandbyMode.Rc]);
      this.#setModulation(sf, listen.bandwidthKhz, 5);
    }
    const timeout = rtcSteps(CAD_RX_TIMEOUT_SYMBOLS * symbol);
    // detPeak = SF + 13 and detMin = 10: RadioLib's defaults from Semtech's CAD application note.
    this.#command([Op.SetCadParams, CAD_SYMBOL_CODES[this.#timing.cadSymbols], sf + 13, 10, CadExit.CadRx, (timeout >> 16) & 0xff, (timeout >> 8) & 0xff, timeout & 0xff]);
    this.#command([Op.SetCad]);
    this.stats.cadScans++;
    this.#state = "cad";
    const osc = this.#board.tcxo?.delayMicros ?? 0;
    this.#awaiting = { what: "cad", deadline: this.#clock.micros() + osc + 4 * this.#timing.cadSymbols * symbol + 50_000 };
  }

  #nextCad(): void {
    this.#cadIndex = (this.#cadIndex + 1) % (this.#listen as CadScanListen).spreadingFactors.length;
    this.#cadStep();
  }

  // ------------------------------------------------------------ interrupts

  #onIrq(): void {
    if (this.#inHandler || this.#state === "closed" || this.#state === "failed" || this.#state === "starting") return;
    this.#guard(() => {
      // A level check after each pass catches an edge that arrived while we were busy.
      for (let pass = 0; pass < 4; pass++) {
        this.#handleIrq();
        if (this.#dio1.read() === 0) break;
        this.#edgeMicros = undefined;
      }
    });
  }

  #irqMicros(): number {
    return this.#irqTimestamp?.() ?? this.#edgeMicros ?? this.#clock.micros();
  }

  #handleIrq(): void {
    this.#inHandler = true;
    try {
      const stamp = this.#irqMicros();
      const d = this.#readCommand(Op.GetIrqStatus, [], 2);
      const flags = (d[0] << 8) | d[1];
      if (flags === 0) return;
      this.#command([Op.ClearIrqStatus, d[0], d[1]]);
      this.#dispatch(flags, stamp);
    } finally {
      this.#inHandler = false;
    }
  }

  #dispatch(flags: number, stamp: number): void {
    switch (this.#state) {
      case "tx":
        if (flags & Irq.TxDone) this.#txDone();
        else if (flags & Irq.Timeout) this.#txFailed("TX_TIMEOUT", "the chip raised its TX timeout");
        return;
      case "listening": {
        const l = this.#listen as FixedListen;
        this.#rxFlags(flags, stamp, l.spreadingFactor, l.bandwidthKhz, l.frequencyHz);
        return;
      }
      case "cad":
        if (!(flags & Irq.CadDone)) return;
        if (flags & Irq.CadDetected) {
          this.stats.cadDetections++;
          this.#state = "cad-rx";
          const symbol = symbolMicros(this.#cadSf, (this.#listen as CadScanListen).bandwidthKhz);
          this.#awaiting = { what: "cad-rx", deadline: this.#clock.micros() + (CAD_RX_TIMEOUT_SYMBOLS + 300) * symbol + 50_000 };
          // RxDone may already be latched in the same status read when the handler ran late.
          if (flags & (Irq.RxDone | Irq.HeaderErr | Irq.Timeout)) this.#cadRxFlags(flags, stamp);
        } else this.#nextCad();
        return;
      case "cad-rx":
        this.#cadRxFlags(flags, stamp);
        return;
      default:
        return;
    }
  }

  #cadRxFlags(flags: number, stamp: number): void {
    if (!(flags & (Irq.RxDone | Irq.HeaderErr | Irq.Timeout))) return;
    const l = this.#listen as CadScanListen;
    if (flags & Irq.Timeout && !(flags & Irq.RxDone)) this.stats.rxTimeouts++;
    this.#rxFlags(flags, stamp, this.#cadSf, l.bandwidthKhz, l.frequencyHz);
    this.#awaiting = undefined;
    this.#nextCad();
  }

  #perSf(sf: number) {
    return (this.stats.perSf[sf] ??= { heard: 0, crcErrors: 0 });
  }

  #rxFlags(flags: number, stamp: number, sf: number, bw: number, hz: number): void {
    if (flags & Irq.HeaderErr) this.stats.headerErrors++;
    if (!(flags & Irq.RxDone)) return;
    if (flags & Irq.CrcErr) {
      this.stats.crcErrors++;
      this.#perSf(sf).crcErrors++;
      this.#noteCrcError();
      return;
    }
    const [length, start] = this.#readCommand(Op.GetRxBufferStatus, [], 2);
    const payload = this.#readCommand(Op.ReadBuffer, [start], length);
    const [b0, b1, b2] = this.#readCommand(Op.GetPacketStatus, [], 3);
    const headerCr = (this.#readRegister(Reg.HeaderCodingRate)[0] >> 4) & 7;
    const status = decodePacketStatus(b0, b1, b2);
    const micros = stamp - this.#timing.rxDoneLatencySymbols * symbolMicros(sf, bw);
    this.stats.rxPackets++;
    this.#perSf(sf).heard++;
    if (this.#rxQueue.length >= this.#timing.rxQueueLength) {
      this.stats.rxDropped++;
      return;
    }
    this.#rxQueue.push({ payload, micros, tmst: tmstOf(micros), ...status, frequencyHz: hz, spreadingFactor: sf, bandwidthKhz: bw, codingRate: headerCr + 4 });
    this.#onReadable?.(this.#rxQueue.length);
  }

  #noteCrcError(): void {
    const now = this.#clock.micros();
    if (now - this.#crcWindowStart > 60_000_000) {
      this.#crcWindowStart = now;
      this.#crcWindowCount = 0;
      this.#crcStormReported = false;
    }
    this.#crcWindowCount++;
    if (this.#crcWindowCount > this.#timing.crcStormPerMinute && !this.#crcStormReported) {
      this.#crcStormReported = true;
      this.#countFault("crc-storm");
      this.#emitFault("crc-storm", `${this.#crcWindowCount} CRC errors within a minute: strong interference or a device with a bad clock on this channel`, false, false);
    }
  }

  // ------------------------------------------------------------ transmit (spec A.9 "Downlink TX")

  #invalidTx(r: Sx1262TxRequest): string | undefined {
    if (!(r.payload instanceof Uint8Array) || r.payload.length < 1 || r.payload.length > 255) return "payload must be 1..255 bytes";
    if (!Number.isInteger(r.frequencyHz) || r.frequencyHz < 150_000_000 || r.frequencyHz > 960_000_000) return `frequency ${r.frequencyHz} Hz is outside 150-960 MHz`;
    if (!Number.isInteger(r.spreadingFactor) || r.spreadingFactor < 5 || r.spreadingFactor > 12) return `spreading factor ${r.spreadingFactor}`;
    if (bandwidthCode(r.bandwidthKhz) === undefined) return `bandwidth ${r.bandwidthKhz} kHz`;
    const cr = r.codingRate ?? 5;
    if (!Number.isInteger(cr) || cr < 5 || cr > 8) return `coding rate 4/${cr}`;
    if (paSettingsFor(r.powerDbm) === undefined) return `power ${r.powerDbm} dBm is not a whole number in -9..22`;
    const pre = r.preambleSymbols ?? PREAMBLE_SYMBOLS;
    if (!Number.isInteger(pre) || pre < 6 || pre > 65535) return `preamble ${pre} symbols`;
    if (r.at !== undefined && (!Number.isInteger(r.at) || r.at < 0 || r.at > 0xffffffff)) return "`at` must be a 32-bit tmst";
    return undefined;
  }

  /** From SetTx (NSS high) to RF: the oscillator starts from STBY_RC (the TCXO delay, or the crystal), then PLL lock and PA ramp. */
  #chipStartMicros(): number {
    const osc = this.#board.tcxo?.delayMicros ?? this.#timing.crystalStartMicros;
    return osc + this.#timing.txSwitchMicros;
  }

  /** How long before the RF start the SetTx frame must begin: clocking its 4 bytes, then the chip's start. */
  #fireLeadMicros(): number {
    return (4 * 8 * 1e6) / this.#spiHz + this.#chipStartMicros();
  }

  #transmit(): void {
    const pending = this.#pendingTx;
    if (pending === undefined) return;
    const r = pending.request;
    this.#state = "tx-wait";
    this.#awaiting = undefined;
    this.#command([Op.SetStandby, StandbyMode.Rc]);
    this.#command([Op.SetPacketType, PacketType.LoRa]);
    const word = rfFrequencyWord(r.frequencyHz);
    this.#command([Op.SetRfFrequency, (word >>> 24) & 0xff, (word >> 16) & 0xff, (word >> 8) & 0xff, word & 0xff]);
    this.#calibrateImage(r.frequencyHz);
    const power = this.#configurePa(r.powerDbm);
    this.#setModulation(r.spreadingFactor, r.bandwidthKhz, r.codingRate ?? 5);
    this.#setPacket(r.preambleSymbols ?? PREAMBLE_SYMBOLS, r.payload.length, r.crc ?? true, r.invertIq);
    this.#command([Op.SetDioIrqParams, TX_IRQS >> 8, TX_IRQS & 0xff, TX_IRQS >> 8, TX_IRQS & 0xff, 0, 0, 0, 0]);
    this.#command([Op.ClearIrqStatus, 0xff, 0xff]);
    this.#command([Op.SetBufferBaseAddress, 0x00, 0x00]);
    this.#command([Op.WriteBuffer, 0x00, ...r.payload]);
    const lead = this.#fireLeadMicros();
    const timeoutSteps = pending.airtime === undefined ? 0 : Math.min(0xfffffe, rtcSteps(pending.airtime + lead + 100_000));
    const setTx = [Op.SetTx, (timeoutSteps >> 16) & 0xff, (timeoutSteps >> 8) & 0xff, timeoutSteps & 0xff];
    if (pending.targetMicros !== undefined) {
      const fireAt = pending.targetMicros - lead;
      const wait = fireAt - this.#clock.micros();
      if (wait < 0) {
        this.#txFailed("TOO_LATE", `configuration finished ${Math.round(-wait)} µs after the last moment to fire`);
        return;
      }
      this.#waitBusy(this.#busyTimeout());
      const remaining = fireAt - this.#clock.micros();
      if (remaining > 0) this.#clock.delayMicros(remaining);
    }
    this.#command(setTx);
    // Measured, not assumed: whatever held the host up (the wait returning late, a pause before the
    // frame) moves the reported start by exactly that much.
    const issued = this.#clock.micros();
    this.#state = "tx";
    this.#setTxMicros = issued;
    this.#txStartMicros = issued + this.#chipStartMicros();
    this.#pendingTx = { ...pending, request: { ...r, powerDbm: power } };
    const bound = (pending.airtime ?? FALLBACK_TX_WATCHDOG_MICROS) + lead + 200_000;
    this.#awaiting = { what: "tx", deadline: this.#clock.micros() + bound };
  }

  #txDone(): void {
    const pending = this.#pendingTx!;
    this.#pendingTx = undefined;
    this.#awaiting = undefined;
    this.stats.txPackets++;
    this.#resumeListening();
    this.#report({
      tag: pending.request.tag,
      ok: true,
      micros: this.#txStartMicros,
      tmst: tmstOf(this.#txStartMicros),
      setTxMicros: this.#setTxMicros,
      powerDbm: pending.request.powerDbm,
      airtimeMicros: pending.airtime,
    });
  }

  #txFailed(error: Sx1262TxError, detail: string): void {
    const pending = this.#pendingTx;
    this.#pendingTx = undefined;
    this.#awaiting = undefined;
    if (error === "TX_TIMEOUT") this.stats.txTimeouts++;
    else this.stats.txRefused++;
    this.#resumeListening();
    if (pending !== undefined) this.#report({ tag: pending.request.tag, ok: false, error, detail, powerDbm: pending.request.powerDbm });
  }

  #abortTx(error: Sx1262TxError, detail: string): void {
    const pending = this.#pendingTx;
    if (pending === undefined) return;
    this.#timers.clear(pending.timer);
    this.#pendingTx = undefined;
    this.#report({ tag: pending.request.tag, ok: false, error, detail, powerDbm: pending.request.powerDbm });
  }

  #report(report: Sx1262TxReport): void {
    this.#onTransmitted?.(report);
  }

  // ------------------------------------------------------------ watchdog and recovery

  #onWatchdog(): void {
    if (this.#state === "closed" || this.#state === "failed" || this.#state === "starting" || this.#inHandler) return;
    this.#guard(() => {
      const now = this.#clock.micros();
      const awaiting = this.#awaiting;
      const overdue = awaiting !== undefined && now > awaiting.deadline;
      const healthDue = this.#state === "listening" && now - this.#lastHealthCheck > this.#timing.healthCheckMillis * 1000;
      // An IRQ may be latched without its edge having reached us: poll the flags when an operation is
      // overdue, at each health check, and on every tick once DIO1 has been caught missing an edge.
      if (overdue || healthDue || (this.#dio1Suspect && this.#state === "listening")) {
        if (this.#pollIrq(now)) return;
      }
      if (overdue) {
        if (awaiting.what === "tx") throw new Sx1262FaultError("tx-timeout", "no TxDone or timeout IRQ within the frame's airtime plus margin");
        throw new Sx1262FaultError("no-irq", `no ${awaiting.what === "cad" ? "CadDone" : "RX"} IRQ within its time bound`);
      }
      if (healthDue) {
        this.#lastHealthCheck = now;
        const mode = chipModeOf(this.#status());
        if (mode !== ChipMode.Rx) throw new Sx1262FaultError("no-irq", `chip left RX unexpectedly (mode ${mode})`);
        const errors = this.#deviceErrors();
        if (errors !== 0) throw new Sx1262FaultError("device-errors", `device errors 0x${errors.toString(16).padStart(4, "0")} while listening`, errors);
      }
    });
  }

  /** Reads the IRQ flags; if some are pending (an edge was lost) handles them and returns true. */
  #pollIrq(now: number): boolean {
    const d = this.#readCommand(Op.GetIrqStatus, [], 2);
    const flags = (d[0] << 8) | d[1];
    if (flags === 0) return false;
    this.stats.missedIrqs++;
    this.#command([Op.ClearIrqStatus, d[0], d[1]]);
    if (!this.#dio1Suspect) {
      this.#dio1Suspect = true;
      this.#countFault("no-irq");
      this.#emitFault(
        "no-irq",
        `IRQ flags 0x${flags.toString(16).padStart(4, "0")} were pending with no DIO1 edge: polling every ${this.#timing.watchdogMillis} ms from now on; packets found by polling carry late timestamps (check the DIO1 pin and its interrupt)`,
        false,
        false,
      );
    }
    this.#dispatch(flags, this.#irqTimestamp?.() ?? now);
    return true;
  }

  /** Runs a chip operation; a fault resets and re-initialises the chip. */
  #guard(operation: () => void): void {
    try {
      operation();
    } catch (error) {
      if (!(error instanceof Sx1262FaultError)) throw error;
      this.#recover(error);
    }
  }

  #recover(error: Sx1262FaultError): void {
    this.#inHandler = false;
    this.#countFault(error.kind);
    this.#emitFault(error.kind, error.message, true, false, error.deviceErrors);
    if (error.kind === "tx-timeout") this.stats.txTimeouts++;
    this.#abortTx(error.kind === "tx-timeout" ? "TX_TIMEOUT" : "RADIO_FAULT", `radio fault: ${error.message}`);
    this.#timers.clear(this.#retryTimer);
    this.#bringUp();
  }

  #countFault(kind: Sx1262FaultKind): void {
    this.stats.faults[kind]++;
  }

  #emitFault(kind: Sx1262FaultKind, message: string, recovering: boolean, failed: boolean, deviceErrors?: number): void {
    const fault: Sx1262Fault = { kind, message, recovering, failed, ...(deviceErrors === undefined ? {} : { deviceErrors }) };
    this.#lastFault = fault;
    this.#log?.(failed ? "error" : "warn", "sx1262", `${kind}: ${message}`);
    this.#onError?.(fault);
  }
}
