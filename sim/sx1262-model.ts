// A command-level model of the SX1262 as its driver sees it: SPI frames with the status byte in
// every response and the status slot of read commands, BUSY, the 256-byte buffer, the register
// file, IRQ flags and masks on DIO1, and the STBY/FS/RX/TX/CAD states. It sits in the radio world:
// what it transmits goes on the air, and it receives what its settings (frequency, SF, bandwidth,
// LDRO, IQ polarity, sync word) and the signal allow.
//
// It is strict where a real chip would silently misbehave: a command sent while BUSY is high is lost
// (the chip never executes it), an SPI bus in another mode than 0 or faster than 16 MHz, a chip
// select held across commands, invalid parameters, configuration outside standby, missing errata
// fixes, an image calibration that does not cover the frequency in use, registers lost in a warm
// sleep - each is recorded in `violations` (kept for the model's life, across resets) so tests fail
// on them. Sleep and wake are modelled: the NSS edge that wakes the chip carries no command, and
// BUSY stays high for the warm or cold start.
//
// When a transmission really starts comes from the model's own figures, never the driver's: SetTx
// executes when NSS rises, the chip waits the TCXO delay it was given over SPI, then switches to TX
// in the datasheet's switching time (SWITCHING_MICROS below); the driver's lead time is its own.
//
// Timing figures below are model choices (marked so) unless a source is named.
import type { Digital, DigitalConstructor, DigitalOptions, SPI, SPIConstructor, SPIOptions } from "../modules/host/provider.js";
import {
  ChipMode,
  CommandStatus,
  DeviceError,
  ERRATA_BIT,
  Irq,
  Op,
  RX_GAIN_BOOSTED,
  RX_GAIN_POWER_SAVING,
  Reg,
  TX_CLAMP_BITS,
  bandwidthOfCode,
  frequencyOfWord,
  outputPowerOf,
  tcxoVoltageOfCode,
} from "../drivers/sx1262/commands.js";
import { NOISE_FIGURE_BOOSTED_DB, NOISE_FIGURE_POWER_SAVING_DB, demodulate, detectable, noiseFloorDbm, type DemodOutcome } from "./lora-phy.js";
import type { Position, RadioNode, RadioWorld, Transmission } from "./radio-world.js";
import type { ScheduledEvent, Scheduler } from "./scheduler.js";

export type ViolationKind =
  | "command-while-busy"
  | "cs-held-across-commands"
  | "invalid-parameters"
  | "unknown-opcode"
  | "wrong-state"
  | "errata"
  | "image-calibration"
  | "spi-while-reset"
  | "spi-without-select"
  | "spi-mode"
  | "spi-clock"
  | "undocumented-register"
  | "reset-pulse"
  | "retention";

export interface ModelViolation {
  time: number;
  kind: ViolationKind;
  detail: string;
}

/** The board around the chip, as far as the chip can tell. */
export interface Sx1262ModelBoard {
  /** The TCXO fitted (powered from DIO3): it starts only at or above minVolts and needs startupMicros. Absent = crystal. */
  tcxo?: { minVolts: number; startupMicros: number };
  /** DC-DC needs its inductor; selecting DC-DC without it fails to start the buck converter. */
  dcdcInductor: boolean;
  /** The antenna switch is driven by DIO2: without SetDIO2AsRfSwitchCtrl the PA drives a switch set for RX. */
  rfSwitchOnDio2: boolean;
}

export interface Sx1262ModelTiming {
  /** BUSY after an ordinary command (model figure; the datasheet's NSS->BUSY is sub-µs, processing a few µs). */
  commandBusyMicros: number;
  /** BUSY after NRESET rises (model figure for the start-up calibration). */
  resetBusyMicros: number;
  /** Calibrate(0x7F) duration: ~3.5 ms (meshtastic PR 9705), plus the oscillator start. */
  calibrateMicros: number;
  /** BUSY after CalibrateImage; the calibration itself runs on hidden for imageCalibrationHiddenMicros (community finding). */
  imageCalibrationBusyMicros: number;
  imageCalibrationHiddenMicros: number;
  /** RxDone comes about one symbol after the end of the packet (One-Channel Hub's correction). */
  rxDoneLatencySymbols: number;
  /** Shortest NRESET low pulse the chip is sure to see (spec A.1: >= 100 µs [verify]). */
  minResetPulseMicros: number;
}

export const DEFAULT_MODEL_TIMING: Sx1262ModelTiming = {
  commandBusyMicros: 5,
  resetBusyMicros: 3500,
  calibrateMicros: 3500,
  imageCalibrationBusyMicros: 100,
  imageCalibrationHiddenMicros: 10_000,
  rxDoneLatencySymbols: 1,
  minResetPulseMicros: 100,
};

/**
 * How long BUSY stays high when the chip changes mode, typical µs, and when the new mode is reached:
 * TX when the PA has ramped up and the preamble starts, RX when the receiver is ready. From the
 * "Operation mode transition BUSY switching time" table of STM32WL RM0453 (Table 33, rev 5), whose
 * sub-GHz radio is the SX126x; the SX1261/2 datasheet's own BUSY table [verify]. "fromRc" is from
 * STBY_RC with a crystal that must start; with a TCXO the chip first waits the DIO3 delay it was
 * given and then switches as with the oscillator running ("fromXosc").
 */
export const SWITCHING_MICROS = Object.freeze({
  tx: Object.freeze({ fromRc: 126, fromXosc: 105, fromFs: 76 }),
  rx: Object.freeze({ fromRc: 83, fromXosc: 62, fromFs: 41 }),
  fs: Object.freeze({ fromRc: 50, fromXosc: 40, fromFs: 0 }),
  /** SetStandby(STDBY_XOSC) from STBY_RC. */
  xoscFromRc: 31,
  /** Wake from sleep on an NSS falling edge: warm start (configuration retained) and cold start. */
  wakeWarm: 340,
  wakeCold: 3500,
});

/** SPI limits (SX1261/2 datasheet Table 8-1: SCK period >= 62.5 ns; section 8.2: mode 0, CPOL = CPHA = 0). */
const MAX_SPI_HZ = 16_000_000;

/** Registers a warm sleep does not keep unless listed in the retention list at 0x029F (spec A.7, SEMDRV). */
const RETAINED_ONLY_BY_LIST: readonly number[] = Object.freeze([Reg.RxGain, Reg.TxModulation, Reg.IqPolarity]);

export interface Sx1262ModelOptions {
  name: string;
  scheduler: Scheduler;
  world?: RadioWorld;
  position?: Position;
  antennaGainDbi?: number;
  pins: { nss: number; reset: number; busy: number; dio1: number };
  board: Sx1262ModelBoard;
  timing?: Partial<Sx1262ModelTiming>;
}

/** Faults a test can inject. */
export interface Sx1262ModelFaults {
  /** BUSY never goes low. */
  busyStuck: boolean;
  /** DIO1 never produces an edge (the level still follows the flags). */
  dio1Dead: boolean;
  /** Nothing answers on SPI (MISO floats high, BUSY low). */
  disconnected: boolean;
  /** Probability that a packet which would decode gets a CRC error instead (a CRC storm). */
  crcErrorRate: number;
}

export type ReceptionOutcome = "ok" | "crc-error" | "header-error" | "collision";

/** Why the chip did not lock onto a transmission it saw start. */
export type MissReason = "below_sensitivity" | "wrong_channel_or_sf" | "receiver_locked_on_earlier_packet" | "hotspot_transmitting" | "not_listening";
export interface ModelMiss {
  reason: MissReason;
  /** Whether the signal was strong enough for this receiver to detect at all. */
  detectable: boolean;
}
/** Misses kept (by transmission id), newest last. */
const MISS_RECORDS = 4096;
export interface ModelReception {
  tx: Transmission;
  outcome: ReceptionOutcome;
  /** When the chip raised the IRQ (RxDone or HeaderErr). */
  irqTime: number;
  rssi: number;
  snr: number;
}

export interface ModelTransmission {
  tx: Transmission;
  /** When SetTx executed (NSS high); `tx.start` is when the preamble left the antenna. */
  commandTime: number;
  conductedDbm: number;
}

/** One SPI frame (MOSI and MISO); `lost` when the chip ignored it (BUSY high, asleep, in reset). */
export interface ModelFrame {
  time: number;
  mosi: Uint8Array;
  miso: Uint8Array;
  lost: boolean;
}

type Mode = "sleep" | "reset" | "stby-rc" | "stby-xosc" | "fs" | "rx" | "tx" | "cad";

/** Read commands: argument bytes before the status slot, and the size of the answer. */
const READS: Record<number, { args: number; data: number | undefined }> = {
  [Op.GetStatus]: { args: 0, data: 0 },
  [Op.GetIrqStatus]: { args: 0, data: 2 },
  [Op.GetRxBufferStatus]: { args: 0, data: 2 },
  [Op.GetPacketStatus]: { args: 0, data: 3 },
  [Op.GetRssiInst]: { args: 0, data: 1 },
  [Op.GetStats]: { args: 0, data: 6 },
  [Op.GetDeviceErrors]: { args: 0, data: 2 },
  [Op.GetPacketType]: { args: 0, data: 1 },
  [Op.ReadRegister]: { args: 2, data: undefined },
  [Op.ReadBuffer]: { args: 1, data: undefined },
};

/** Write commands with a fixed frame length (opcode included). */
const FIXED_WRITES: Record<number, number> = {
  [Op.ResetStats]: 7,
  [Op.ClearIrqStatus]: 3,
  [Op.ClearDeviceErrors]: 3,
  [Op.SetDioIrqParams]: 9,
  [Op.SetStandby]: 2,
  [Op.SetRx]: 4,
  [Op.SetTx]: 4,
  [Op.SetSleep]: 2,
  [Op.SetRfFrequency]: 5,
  [Op.SetCadParams]: 8,
  [Op.Calibrate]: 2,
  [Op.SetPacketType]: 2,
  [Op.SetModulationParams]: 5,
  [Op.SetPacketParams]: 7,
  [Op.SetTxParams]: 3,
  [Op.SetBufferBaseAddress]: 3,
  [Op.SetRxTxFallbackMode]: 2,
  [Op.SetRxDutyCycle]: 7,
  [Op.SetPaConfig]: 5,
  [Op.SetRegulatorMode]: 2,
  [Op.SetDio3AsTcxoCtrl]: 5,
  [Op.CalibrateImage]: 3,
  [Op.SetDio2AsRfSwitchCtrl]: 2,
  [Op.StopTimerOnPreamble]: 2,
  [Op.SetLoRaSymbNumTimeout]: 2,
  [Op.SetFs]: 1,
  [Op.SetCad]: 1,
};

/** Commands that reconfigure the radio and are only allowed in standby (or FS). */
const STANDBY_ONLY = new Set<number>([
  Op.SetPacketType,
  Op.SetModulationParams,
  Op.SetPacketParams,
  Op.SetRfFrequency,
  Op.SetTxParams,
  Op.SetPaConfig,
  Op.SetBufferBaseAddress,
  Op.SetCadParams,
  Op.SetRegulatorMode,
  Op.Calibrate,
  Op.CalibrateImage,
  Op.SetDio3AsTcxoCtrl,
  Op.SetRxTxFallbackMode,
  Op.SetDio2AsRfSwitchCtrl,
]);

const WRITABLE_REGISTERS = new Set<number>([
  0x029f, 0x02a0, 0x02a1, 0x02a2, 0x02a3, 0x02a4, 0x02a5, 0x02a6, 0x02a7, Reg.PayloadLength, Reg.LoRaPayloadLength, Reg.LoRaSyncTimeout, Reg.IqPolarity,
  Reg.SyncWordMsb, Reg.SyncWordLsb, Reg.TxModulation, Reg.RxGain, Reg.TxClamp, Reg.Ocp, Reg.RtcControl, Reg.EventMask, 0x0911, 0x0912, 0x08b5, 0x08e2, 0x08e5,
]);

/** Version string at 0x0320: real SX1262 parts report "SX1261" (RadioLib's SX1262.h comment). */
const VERSION = "SX1261 V2D 2D02\0";
const RTC_STEP_MICROS = 15.625;

/** Reset values (model defaults): private sync word 0x1424, power-saving RX gain, OCP 60 mA. */
const RESET_REGISTERS: Readonly<Record<number, number>> = Object.freeze({
  [Reg.SyncWordMsb]: 0x14,
  [Reg.SyncWordLsb]: 0x24,
  [Reg.IqPolarity]: 0x0d,
  [Reg.TxModulation]: 0x04,
  [Reg.RxGain]: RX_GAIN_POWER_SAVING,
  [Reg.TxClamp]: 0xc0,
  [Reg.Ocp]: 0x18,
});

function hex(n: number, width = 2): string {
  return "0x" + n.toString(16).padStart(width, "0");
}

interface RxSession {
  /** When the receiver is really listening (after the oscillator and settling). */
  since: number;
  /** Started right after a transmission: what it missed while coming on is the transmission's doing. */
  afterTx: boolean;
  continuous: boolean;
  timeoutEvent?: ScheduledEvent;
  lock?: Transmission;
  finishEvent?: ScheduledEvent;
}

export class Sx1262Model implements RadioNode {
  readonly name: string;
  readonly position: Position;
  readonly antennaGainDbi: number;
  readonly violations: ModelViolation[] = [];
  readonly receptions: ModelReception[] = [];
  readonly transmitted: ModelTransmission[] = [];
  /** Why transmissions by others were not received, by transmission id (receptions has the ones it locked onto). */
  readonly misses = new Map<number, ModelMiss>();
  readonly faults: Sx1262ModelFaults = { busyStuck: false, dio1Dead: false, disconnected: false, crcErrorRate: 0 };
  /** When true, every SPI frame is recorded in `frames` (MOSI bytes). */
  recordFrames = false;
  readonly frames: ModelFrame[] = [];

  readonly #scheduler: Scheduler;
  readonly #world: RadioWorld | undefined;
  readonly #pins: Sx1262ModelOptions["pins"];
  readonly #board: Sx1262ModelBoard;
  readonly #t: Sx1262ModelTiming;

  // Pin levels and SPI framing.
  #resetLow = false;
  #resetFellAt = 0;
  #inFrame = false;
  #frame: number[] = [];
  #frameMiso: number[] = [];
  #frameStatus = 0;
  /** The frame in progress is ignored by the chip. */
  #frameLost = false;
  #readData: Uint8Array | undefined;
  #dio1Level = false;
  readonly #dio1Listeners: { digital: Digital; listener: (this: Digital, ts?: number) => void }[] = [];

  // Chip state.
  #mode: Mode = "stby-rc";
  /** Set by SetSleep: the next wake keeps the configuration (warm start). */
  #sleepWarm = false;
  #busyUntil = 0;
  #imageHiddenUntil = 0;
  #commandStatus = 1;
  #oscOn = false;
  #oscFailed = false;
  #tcxo: { volts: number; delayMicros: number } | undefined;
  #packetType: number | undefined;
  #freqWord = 0;
  #mod = { sf: 7, bwCode: 0x04, cr: 1, ldro: 0 };
  #modSet = false;
  #pkt = { preamble: 8, header: 0, length: 0xff, crc: 1, invertIq: 0 };
  #pktSet = false;
  #pa = { paDutyCycle: 0x04, hpMax: 0x07, deviceSel: 0x00, paLut: 0x01 };
  #paSet = false;
  #txPower = 14;
  #txBase = 0;
  #rxBase = 0;
  #irqMask = 0;
  #dioMasks = [0, 0, 0];
  #irq = 0;
  #deviceErrors = 0;
  #fallback: Mode = "stby-rc";
  #dio2RfSwitch = false;
  #regulatorDcdc = false;
  #cad = { symbols: 2, detPeak: 22, detMin: 10, exit: 0, timeoutSteps: 0 };
  #imageBand: [number, number] = [0xe1, 0xe9];
  #stats = { received: 0, crcErrors: 0, headerErrors: 0 };
  #rxBuffer = { length: 0, start: 0 };
  #packetStatus = [0, 0, 0];
  readonly #regs = new Uint8Array(0x1000);
  readonly #buffer = new Uint8Array(256);
  #rx: RxSession | undefined;
  #ops: ScheduledEvent[] = [];
  /** Misses while not receiving, since the chip last left RX: a SetTx makes them the transmission's doing. */
  #idleMisses: number[] = [];
  /** The chip is out of RX because a transmission just ended. */
  #idleAfterTx = false;

  constructor(options: Sx1262ModelOptions) {
    this.name = options.name;
    this.#scheduler = options.scheduler;
    this.#world = options.world;
    this.position = options.position ?? { x: 0, y: 0 };
    this.antennaGainDbi = options.antennaGainDbi ?? 0;
    this.#pins = options.pins;
    this.#board = options.board;
    this.#t = { ...DEFAULT_MODEL_TIMING, ...options.timing };
    this.#powerOn();
    options.world?.addNode(this);
  }

  /** The ECMA-419 IO classes wired to this chip (SPI on the board's bus, Digital for NSS/NRESET/BUSY/DIO1). */
  io(): { SPI: SPIConstructor; Digital: DigitalConstructor } {
    const model = this;
    class ModelSPI implements SPI {
      readonly #hz: number;
      readonly #hardwareSelect: boolean;
      #selected = false;
      #closed = false;
      constructor(options: SPIOptions) {
        this.#hz = options.hz;
        this.#hardwareSelect = options.select !== undefined;
        if ((options.mode ?? 0) !== 0) model.#violate("spi-mode", `SPI mode ${options.mode}: the SX1262 needs mode 0 (SCK idle low, MOSI sampled on the rising edge; datasheet 8.2)`);
        if (options.active === 1) model.#violate("spi-mode", "chip select active high: the SX1262's NSS is active low");
        if (!(options.hz > 0 && options.hz <= MAX_SPI_HZ)) model.#violate("spi-clock", `SPI clock ${options.hz} Hz: the SX1262 takes at most ${MAX_SPI_HZ / 1e6} MHz (datasheet Table 8-1)`);
        if (this.#hardwareSelect && options.select !== model.#pins.nss) model.#violate("spi-without-select", `SPI select pin ${options.select} is not the chip's NSS (${model.#pins.nss})`);
      }
      transfer(buffer: Uint8Array): void {
        if (this.#closed) throw new Error("SPI closed");
        model.#untimed(() => {
          if (this.#hardwareSelect && !this.#selected) {
            this.#selected = true;
            model.#nssFall();
          }
          for (let i = 0; i < buffer.length; i++) buffer[i] = model.#spiByte(buffer[i]);
        });
        model.#scheduler.advance((buffer.length * 8 * 1e6) / this.#hz);
      }
      write(buffer: ArrayBuffer | Uint8Array | DataView): void {
        const bytes = buffer instanceof Uint8Array ? buffer.slice() : buffer instanceof DataView ? new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength)) : new Uint8Array(buffer.slice(0));
        this.transfer(bytes);
      }
      read(buffer: Uint8Array): void {
        buffer.fill(0);
        this.transfer(buffer);
      }
      flush(deselect?: boolean): void {
        if (deselect && this.#hardwareSelect && this.#selected) {
          this.#selected = false;
          model.#untimed(() => model.#nssRise());
        }
      }
      close(): void {
        this.#closed = true;
      }
    }
    class ModelDigital implements Digital {
      readonly #pin: number;
      #level: 0 | 1;
      constructor(options: DigitalOptions) {
        this.#pin = options.pin;
        this.#level = options.initialValue ?? 0;
        if (options.pin === model.#pins.dio1 && options.onReadable !== undefined) {
          model.#dio1Listeners.push({ digital: this, listener: options.onReadable });
        }
        if (options.pin === model.#pins.nss && options.initialValue !== undefined) this.write(options.initialValue);
      }
      read(): 0 | 1 {
        if (this.#pin === model.#pins.busy) return model.#busyLevel();
        if (this.#pin === model.#pins.dio1) return model.#dio1Level && !model.faults.dio1Dead ? 1 : 0;
        return this.#level;
      }
      write(value: 0 | 1): void {
        const was = this.#level;
        this.#level = value;
        if (this.#pin === model.#pins.nss && was !== value) model.#untimed(() => (value === 0 ? model.#nssFall() : model.#nssRise()));
        else if (this.#pin === model.#pins.reset) model.#untimed(() => model.#setReset(value));
      }
      close(): void {
        const i = model.#dio1Listeners.findIndex((l) => l.digital === this);
        if (i >= 0) model.#dio1Listeners.splice(i, 1);
      }
    }
    return { SPI: ModelSPI, Digital: ModelDigital };
  }

  /** The MOSI bytes of every recorded frame as spaced upper-case hex, e.g. "80 00". */
  transcript(): string[] {
    return this.frames.map((f) => Array.from(f.mosi, (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" "));
  }

  /** Current chip mode, for tests. */
  get mode(): string {
    return this.#mode;
  }

  // ------------------------------------------------------------ pins

  /** The model's own computation takes no simulated time (the chip's timing comes from its figures). */
  #untimed(fn: () => void): void {
    if (this.#scheduler.untimed === undefined) fn();
    else this.#scheduler.untimed(fn);
  }

  #busyLevel(): 0 | 1 {
    if (this.faults.disconnected) return 0;
    if (this.faults.busyStuck || this.#resetLow || this.#mode === "sleep") return 1;
    return this.#scheduler.now() < this.#busyUntil ? 1 : 0;
  }

  #setReset(level: 0 | 1): void {
    if (level === 0 && !this.#resetLow) {
      this.#resetLow = true;
      this.#resetFellAt = this.#scheduler.now();
      this.#cancelOps();
      this.#mode = "reset";
    } else if (level === 1 && this.#resetLow) {
      this.#resetLow = false;
      const width = this.#scheduler.now() - this.#resetFellAt;
      if (width < this.#t.minResetPulseMicros) this.#violate("reset-pulse", `NRESET low for ${width.toFixed(1)} µs (< ${this.#t.minResetPulseMicros} µs)`);
      this.#powerOn();
      this.#busyUntil = this.#scheduler.now() + this.#t.resetBusyMicros;
    }
  }

  #nssFall(): void {
    if (this.faults.disconnected) return;
    const now = this.#scheduler.now();
    // Whatever is clocked in a frame the chip cannot take is lost: it is never executed.
    this.#frameLost = true;
    if (this.#resetLow) this.#violate("spi-while-reset", "NSS fell while NRESET is low: the chip ignores the frame");
    else if (this.#mode === "sleep") this.#wake(now); // the falling edge is the wake-up (datasheet 8.2.2), not a command
    else if (this.#busyLevel() === 1) {
      this.#violate("command-while-busy", `NSS fell while BUSY is high (${this.faults.busyStuck ? "stuck" : `${Math.max(0, this.#busyUntil - now).toFixed(1)} µs left`}): the chip ignores the command`);
    } else this.#frameLost = false;
    if (!this.#frameLost && now < this.#imageHiddenUntil) {
      this.#violate("image-calibration", `command ${(this.#imageHiddenUntil - now).toFixed(0)} µs before the image calibration has really finished (BUSY drops early)`);
    }
    this.#inFrame = true;
    this.#frame = [];
    this.#frameMiso = [];
    this.#readData = undefined;
    this.#frameStatus = this.#statusByte();
  }

  #nssRise(): void {
    if (!this.#inFrame) return;
    this.#inFrame = false;
    const frame = Uint8Array.from(this.#frame);
    if (this.recordFrames) this.frames.push({ time: this.#scheduler.now(), mosi: frame, miso: Uint8Array.from(this.#frameMiso), lost: this.#frameLost });
    if (frame.length > 0 && !this.#frameLost) this.#execute(frame);
  }

  #spiByte(mosi: number): number {
    if (this.faults.disconnected) return 0xff;
    if (!this.#inFrame) {
      this.#violate("spi-without-select", `SPI byte ${hex(mosi)} clocked with NSS high`);
      return 0xff;
    }
    const index = this.#frame.length;
    this.#frame.push(mosi);
    let miso = this.#frameStatus;
    const read = this.#frameLost ? undefined : READS[this.#frame[0]];
    if (read !== undefined) {
      const slot = 1 + read.args;
      if (index > slot) {
        if (this.#readData === undefined) this.#readData = this.#answer(this.#frame[0]);
        const k = index - slot - 1;
        miso = this.#readData === undefined ? 0 : this.#frame[0] === Op.ReadBuffer ? this.#buffer[(this.#frame[1] + k) & 0xff] : this.#frame[0] === Op.ReadRegister ? this.#regs[(((this.#frame[1] << 8) | this.#frame[2]) + k) & 0xfff] : (this.#readData[k] ?? 0);
      }
    }
    this.#frameMiso.push(miso);
    return miso;
  }

  /** Status byte: bit 7 set as on real parts (0xA2 in traces), mode in bits 6:4, command status in bits 3:1. */
  #statusByte(): number {
    const modeCode: Record<Mode, number> = { sleep: 0, reset: 0, "stby-rc": ChipMode.StandbyRc, "stby-xosc": ChipMode.StandbyXosc, fs: ChipMode.Fs, rx: ChipMode.Rx, cad: ChipMode.Rx, tx: ChipMode.Tx };
    return 0x80 | (modeCode[this.#mode] << 4) | (this.#commandStatus << 1);
  }

  /** The data bytes of a read command (registers and buffer are read live, byte by byte). */
  #answer(op: number): Uint8Array {
    switch (op) {
      case Op.GetStatus:
        return new Uint8Array(0);
      case Op.GetIrqStatus:
        return Uint8Array.of(this.#irq >> 8, this.#irq & 0xff);
      case Op.GetRxBufferStatus:
        return Uint8Array.of(this.#rxBuffer.length, this.#rxBuffer.start);
      case Op.GetPacketStatus:
        return Uint8Array.from(this.#packetStatus);
      case Op.GetRssiInst:
        return Uint8Array.of(this.#rssiInstByte());
      case Op.GetStats: {
        const s = this.#stats;
        return Uint8Array.of(s.received >> 8, s.received & 0xff, s.crcErrors >> 8, s.crcErrors & 0xff, s.headerErrors >> 8, s.headerErrors & 0xff);
      }
      case Op.GetDeviceErrors:
        return Uint8Array.of(this.#deviceErrors >> 8, this.#deviceErrors & 0xff);
      case Op.GetPacketType:
        return Uint8Array.of(this.#packetType ?? 0);
      default:
        return new Uint8Array(0);
    }
  }

  // ------------------------------------------------------------ command execution

  #execute(frame: Uint8Array): void {
    const now = this.#scheduler.now();
    const op = frame[0];
    const p = frame.subarray(1);
    let busy = this.#t.commandBusyMicros;
    let status = 1;
    const invalid = (detail: string) => {
      this.#violate("invalid-parameters", `${hex(op)}: ${detail}`);
      status = CommandStatus.ProcessingError;
    };

    const read = READS[op];
    if (read !== undefined) {
      const minimum = 2 + read.args;
      if (frame.length < minimum) invalid(`read command of ${frame.length} bytes has no status slot`);
      else if (read.data !== undefined && frame.length > minimum + read.data) {
        this.#violate("cs-held-across-commands", `${hex(op)}: ${frame.length} bytes where the command has ${minimum + read.data}`);
      }
      this.#commandStatus = status === 1 ? this.#commandStatus : status;
      this.#busyUntil = Math.max(this.#busyUntil, now + 1);
      return;
    }

    const fixed = FIXED_WRITES[op];
    if (fixed !== undefined) {
      if (frame.length < fixed) {
        invalid(`frame of ${frame.length} bytes, the command needs ${fixed}`);
        this.#finish(status, busy);
        return;
      }
      if (frame.length > fixed) {
        this.#violate("cs-held-across-commands", `${hex(op)}: ${frame.length} bytes where the command has ${fixed} (chip select held across commands?)`);
      }
    } else if (op !== Op.WriteRegister && op !== Op.WriteBuffer) {
      this.#violate("unknown-opcode", `opcode ${hex(op)}`);
      this.#finish(CommandStatus.ProcessingError, busy);
      return;
    }
    if (STANDBY_ONLY.has(op) && (this.#mode === "rx" || this.#mode === "tx" || this.#mode === "cad")) {
      this.#violate("wrong-state", `${hex(op)} issued in ${this.#mode.toUpperCase()}: configuration needs standby`);
    }

    switch (op) {
      case Op.SetStandby:
        if (p[0] > 1) invalid(`standby config ${p[0]}`);
        else {
          this.#leaveOperation();
          if (p[0] === 0) {
            this.#mode = "stby-rc";
            this.#oscOn = false;
          } else {
            const wasOn = this.#oscOn;
            const osc = this.#startOscillator();
            if (!wasOn) busy += this.#board.tcxo === undefined ? SWITCHING_MICROS.xoscFromRc : osc;
            this.#mode = "stby-xosc";
          }
        }
        break;
      case Op.SetPacketType:
        if (p[0] > 3) invalid(`packet type ${p[0]}`);
        else this.#packetType = p[0];
        break;
      case Op.SetRfFrequency:
        if (this.#packetType === undefined) this.#violate("wrong-state", "SetRfFrequency before SetPacketType");
        this.#freqWord = ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
        if (frequencyOfWord(this.#freqWord) < 150e6 || frequencyOfWord(this.#freqWord) > 960e6) invalid(`frequency ${frequencyOfWord(this.#freqWord)} Hz out of range`);
        break;
      case Op.SetModulationParams:
        if (this.#packetType !== 0x01) this.#violate("wrong-state", "LoRa modulation parameters while the packet type is not LoRa");
        if (p[0] < 5 || p[0] > 12) invalid(`SF ${p[0]}`);
        else if (bandwidthOfCode(p[1]) === undefined) invalid(`BW code ${hex(p[1])}`);
        else if (p[2] < 1 || p[2] > 4) invalid(`CR code ${p[2]}`);
        else if (p[3] > 1) invalid(`LDRO ${p[3]}`);
        else {
          this.#mod = { sf: p[0], bwCode: p[1], cr: p[2], ldro: p[3] };
          this.#modSet = true;
        }
        break;
      case Op.SetPacketParams: {
        const preamble = (p[0] << 8) | p[1];
        if (preamble < 1) invalid("preamble 0");
        else if (p[2] > 1 || p[4] > 1 || p[5] > 1) invalid(`header ${p[2]} crc ${p[4]} iq ${p[5]}`);
        else {
          this.#pkt = { preamble, header: p[2], length: p[3], crc: p[4], invertIq: p[5] };
          this.#pktSet = true;
        }
        break;
      }
      case Op.SetDioIrqParams:
        this.#irqMask = (p[0] << 8) | p[1];
        this.#dioMasks = [(p[2] << 8) | p[3], (p[4] << 8) | p[5], (p[6] << 8) | p[7]];
        this.#updateDio1(now);
        break;
      case Op.ClearIrqStatus:
        this.#irq &= ~((p[0] << 8) | p[1]);
        this.#updateDio1(now);
        break;
      case Op.SetDio3AsTcxoCtrl: {
        if (this.#mode !== "stby-rc") this.#violate("wrong-state", "SetDIO3AsTcxoCtrl outside STBY_RC");
        const volts = tcxoVoltageOfCode(p[0]);
        if (volts === undefined) invalid(`TCXO voltage code ${p[0]}`);
        else this.#tcxo = { volts, delayMicros: ((p[1] << 16) | (p[2] << 8) | p[3]) * RTC_STEP_MICROS };
        break;
      }
      case Op.Calibrate:
        if (this.#mode !== "stby-rc") this.#violate("wrong-state", "Calibrate outside STBY_RC");
        if (p[0] > 0x7f) invalid(`calibration mask ${hex(p[0])}`);
        else {
          busy += this.#startOscillator() + this.#t.calibrateMicros;
          if (this.#oscFailed) this.#deviceErrors |= DeviceError.PllCalibration | DeviceError.AdcCalibration;
          this.#oscOn = false;
        }
        break;
      case Op.CalibrateImage:
        if (p[0] > p[1]) invalid(`image band ${hex(p[0])}..${hex(p[1])}`);
        else {
          busy += this.#startOscillator() + this.#t.imageCalibrationBusyMicros;
          this.#imageBand = [p[0], p[1]];
          this.#imageHiddenUntil = now + busy + this.#t.imageCalibrationHiddenMicros;
          if (this.#oscFailed) this.#deviceErrors |= DeviceError.ImageCalibration;
          if (this.#mode === "stby-rc") this.#oscOn = false;
        }
        break;
      case Op.SetPaConfig:
        if (p[0] > 0x04) invalid(`paDutyCycle ${hex(p[0])} above 0x04 (harmful for the SX1262 PA)`);
        else if (p[1] > 0x07) invalid(`hpMax ${hex(p[1])} above 0x07 (harmful)`);
        else if (p[2] !== 0x00) invalid(`deviceSel ${hex(p[2])}: 0x00 selects the SX1262 high-power PA`);
        else if (p[3] !== 0x01) invalid(`paLut ${hex(p[3])} must be 0x01`);
        else {
          this.#pa = { paDutyCycle: p[0], hpMax: p[1], deviceSel: p[2], paLut: p[3] };
          this.#paSet = true;
          this.#regs[Reg.Ocp] = 0x38; // SetPaConfig resets OCP to 140 mA for the SX1262
        }
        break;
      case Op.SetTxParams: {
        const power = (p[0] << 24) >> 24;
        if (power < -9 || power > 22) invalid(`power ${power} dBm outside -9..22`);
        else if (p[1] > 7) invalid(`ramp code ${p[1]}`);
        else this.#txPower = power;
        break;
      }
      case Op.SetBufferBaseAddress:
        this.#txBase = p[0];
        this.#rxBase = p[1];
        break;
      case Op.SetRegulatorMode:
        if (p[0] > 1) invalid(`regulator ${p[0]}`);
        else {
          this.#regulatorDcdc = p[0] === 1;
          if (this.#regulatorDcdc && !this.#board.dcdcInductor) this.#deviceErrors |= DeviceError.BuckStart;
        }
        break;
      case Op.SetDio2AsRfSwitchCtrl:
        if (p[0] > 1) invalid(`DIO2 mode ${p[0]}`);
        else this.#dio2RfSwitch = p[0] === 1;
        break;
      case Op.SetRxTxFallbackMode: {
        const m: Record<number, Mode> = { 0x20: "stby-rc", 0x30: "stby-xosc", 0x40: "fs" };
        if (m[p[0]] === undefined) invalid(`fallback mode ${hex(p[0])}`);
        else this.#fallback = m[p[0]];
        break;
      }
      case Op.SetCadParams:
        if (p[0] > 4) invalid(`CAD symbol code ${p[0]}`);
        else if (p[3] !== 0x00 && p[3] !== 0x01 && p[3] !== 0x10) invalid(`CAD exit mode ${hex(p[3])}`);
        else this.#cad = { symbols: 1 << p[0], detPeak: p[1], detMin: p[2], exit: p[3], timeoutSteps: (p[4] << 16) | (p[5] << 8) | p[6] };
        break;
      case Op.StopTimerOnPreamble:
        if (p[0] > 1) invalid(`value ${p[0]}`);
        break;
      case Op.SetLoRaSymbNumTimeout:
        break;
      case Op.WriteRegister: {
        if (frame.length < 4) {
          invalid("WriteRegister without data");
          break;
        }
        const address = (p[0] << 8) | p[1];
        for (let k = 0; k < frame.length - 3; k++) {
          const a = (address + k) & 0xfff;
          if (!WRITABLE_REGISTERS.has(a)) this.#violate("undocumented-register", `write ${hex(p[2 + k])} to register ${hex(a, 4)}`);
          this.#regs[a] = p[2 + k];
        }
        break;
      }
      case Op.WriteBuffer:
        if (frame.length < 3) invalid("WriteBuffer without data");
        for (let k = 0; k + 2 < frame.length; k++) this.#buffer[(p[0] + k) & 0xff] = p[1 + k];
        break;
      case Op.ClearDeviceErrors:
        this.#deviceErrors = 0;
        break;
      case Op.ResetStats:
        this.#stats = { received: 0, crcErrors: 0, headerErrors: 0 };
        break;
      case Op.SetFs:
        this.#leaveOperation();
        busy += this.#switchMicros("fs");
        this.#mode = "fs";
        break;
      case Op.SetSleep:
        // Accepted only in standby (STM32WL RM0453, Set_Sleep); bits 7:3 reserved; bit 0 wakes on the RTC.
        if (this.#mode !== "stby-rc" && this.#mode !== "stby-xosc") this.#violate("wrong-state", `SetSleep in ${this.#mode.toUpperCase()}: the chip takes it only in standby`);
        else if (p[0] & 0xf8) invalid(`sleep config ${hex(p[0])}: bits 7:3 are reserved`);
        else if (p[0] & 0x01) this.#violate("wrong-state", "SetSleep with RTC wake-up: not modelled");
        else {
          this.#leaveOperation();
          this.#mode = "sleep";
          this.#oscOn = false;
          this.#sleepWarm = (p[0] & 0x04) !== 0;
        }
        break;
      case Op.SetRx:
        busy += this.#startRx(now, (p[0] << 16) | (p[1] << 8) | p[2]);
        if (this.#oscFailed) status = CommandStatus.ExecutionFailure;
        break;
      case Op.SetTx:
        busy += this.#startTx(now, (p[0] << 16) | (p[1] << 8) | p[2]);
        if (this.#oscFailed) status = CommandStatus.ExecutionFailure;
        break;
      case Op.SetCad:
        busy += this.#startCad(now);
        if (this.#oscFailed) status = CommandStatus.ExecutionFailure;
        break;
      case Op.SetRxDutyCycle:
        this.#violate("wrong-state", "SetRxDutyCycle is not modelled");
        break;
      default:
        break;
    }
    this.#finish(status, busy);
  }

  #finish(status: number, busyMicros: number): void {
    this.#commandStatus = status;
    this.#busyUntil = this.#scheduler.now() + busyMicros;
  }

  /** Time from the command to the new mode (SWITCHING_MICROS), starting the oscillator if it is off. */
  #switchMicros(target: "tx" | "rx" | "fs"): number {
    const t = SWITCHING_MICROS[target];
    if (this.#mode === "fs") return t.fromFs;
    if (this.#oscOn) return t.fromXosc;
    const osc = this.#startOscillator();
    return this.#board.tcxo === undefined ? t.fromRc : osc + t.fromXosc;
  }

  /** An NSS falling edge in sleep: STBY_RC after the warm or cold start, BUSY high meanwhile. */
  #wake(now: number): void {
    if (this.#sleepWarm) {
      this.#mode = "stby-rc";
      this.#loseUnretainedRegisters();
    } else this.#powerOn();
    this.#busyUntil = now + (this.#sleepWarm ? SWITCHING_MICROS.wakeWarm : SWITCHING_MICROS.wakeCold);
  }

  /** Warm start: the registers that need the retention list (count at 0x029F, addresses from 0x02A0) fall back to reset values unless listed. */
  #loseUnretainedRegisters(): void {
    const listed = new Set<number>();
    const count = Math.min(4, this.#regs[Reg.RetentionList]);
    for (let i = 0; i < count; i++) listed.add((this.#regs[Reg.RetentionList + 1 + 2 * i] << 8) | this.#regs[Reg.RetentionList + 2 + 2 * i]);
    for (const r of RETAINED_ONLY_BY_LIST) {
      if (listed.has(r) || this.#regs[r] === RESET_REGISTERS[r]) continue;
      this.#violate("retention", `register ${hex(r, 4)} (${hex(this.#regs[r])}) lost in warm sleep: it is not in the retention list at 0x029F`);
      this.#regs[r] = RESET_REGISTERS[r];
    }
  }

  /** Starts the 32 MHz reference if it is off; returns the start-up time (the DIO3 delay for a TCXO). */
  #startOscillator(): number {
    if (this.#oscOn) return 0;
    this.#oscOn = true;
    const fitted = this.#board.tcxo;
    if (fitted === undefined) return 0; // crystal: starts within the command time (model)
    const configured = this.#tcxo;
    if (configured === undefined || configured.volts < fitted.minVolts || configured.delayMicros < fitted.startupMicros) {
      this.#oscFailed = true;
      this.#deviceErrors |= DeviceError.XoscStart;
    } else this.#oscFailed = false;
    return configured?.delayMicros ?? 0;
  }

  #violate(kind: ViolationKind, detail: string): void {
    this.violations.push({ time: this.#scheduler.now(), kind, detail });
  }

  // ------------------------------------------------------------ IRQ and DIO1

  #raise(flags: number, time: number): void {
    this.#irq |= flags & this.#irqMask;
    this.#updateDio1(time);
  }

  #updateDio1(time: number): void {
    const level = (this.#irq & this.#dioMasks[0]) !== 0;
    const rising = level && !this.#dio1Level;
    this.#dio1Level = level;
    if (!rising || this.faults.dio1Dead) return;
    // The edge reaches the host's handler after the current synchronous code, stamped with its time.
    this.#scheduler.at(this.#scheduler.now(), () => {
      for (const { digital, listener } of [...this.#dio1Listeners]) listener.call(digital, time);
    });
  }

  // ------------------------------------------------------------ operations

  #cancelOps(): void {
    for (const e of this.#ops) this.#scheduler.cancel(e);
    this.#ops = [];
    if (this.#rx !== undefined) {
      this.#scheduler.cancel(this.#rx.timeoutEvent);
      this.#scheduler.cancel(this.#rx.finishEvent);
    }
    this.#rx = undefined;
  }

  #schedule(time: number, fn: (time: number) => void): ScheduledEvent {
    const e = this.#scheduler.at(time, (t) => {
      this.#ops = this.#ops.filter((x) => x !== e);
      fn(t);
    });
    this.#ops.push(e);
    return e;
  }

  /** Leaving RX/TX/CAD for a standby or another operation drops whatever was in progress. */
  #leaveOperation(): void {
    this.#cancelOps();
  }

  #enterFallback(): void {
    this.#rx = undefined;
    this.#mode = this.#fallback;
    if (this.#fallback === "stby-rc") this.#oscOn = false;
  }

  #frequencyHz(): number {
    return Math.round(frequencyOfWord(this.#freqWord));
  }

  #bandwidthKhz(): number {
    return bandwidthOfCode(this.#mod.bwCode) ?? 125;
  }

  #symbolMicros(): number {
    return (2 ** this.#mod.sf * 1000) / this.#bandwidthKhz();
  }

  #syncWord(): number {
    return (this.#regs[Reg.SyncWordMsb] << 8) | this.#regs[Reg.SyncWordLsb];
  }

  #noiseFigure(): number {
    return this.#regs[Reg.RxGain] === RX_GAIN_BOOSTED ? NOISE_FIGURE_BOOSTED_DB : NOISE_FIGURE_POWER_SAVING_DB;
  }

  /** Checks shared by RX, CAD and TX: the radio is configured and the errata fixes are in place. */
  #checkConfigured(what: string): boolean {
    let ok = true;
    if (this.#packetType !== 0x01 || !this.#modSet || !this.#pktSet) {
      this.#violate("wrong-state", `${what} before LoRa packet type, modulation and packet parameters were set`);
      ok = false;
    }
    const iqBit = (this.#regs[Reg.IqPolarity] & ERRATA_BIT) !== 0;
    if (iqBit === (this.#pkt.invertIq === 1)) {
      this.#violate("errata", `${what} with InvertIQ ${this.#pkt.invertIq} but register 0x0736 bit 2 = ${iqBit ? 1 : 0} (datasheet 15.4: set for standard IQ, clear for inverted)`);
      ok = false;
    }
    const mhz = this.#frequencyHz() / 1e6;
    if (mhz < this.#imageBand[0] * 4 || mhz > this.#imageBand[1] * 4) {
      this.#violate("image-calibration", `${what} at ${mhz.toFixed(3)} MHz, image calibrated for ${this.#imageBand[0] * 4}-${this.#imageBand[1] * 4} MHz`);
    }
    return ok;
  }

  /** Returns how long BUSY stays high: until the receiver is ready. */
  #startRx(now: number, timeout: number): number {
    this.#leaveOperation();
    const switching = this.#switchMicros("rx");
    this.#mode = "rx";
    const ok = this.#checkConfigured("RX");
    const since = now + switching;
    const rx: RxSession = { since, continuous: timeout === 0xffffff, afterTx: this.#idleAfterTx };
    this.#endIdle(false);
    this.#idleAfterTx = false;
    this.#rx = rx;
    if (!ok || this.#oscFailed) return switching;
    if (timeout !== 0 && timeout !== 0xffffff) {
      rx.timeoutEvent = this.#schedule(since + timeout * RTC_STEP_MICROS, (t) => this.#rxTimeout(rx, t));
    }
    this.#schedule(since, () => this.#scanForLock(rx, since));
    return switching;
  }

  #rxTimeout(rx: RxSession, time: number): void {
    if (this.#rx !== rx || rx.lock !== undefined) return;
    this.#enterFallback();
    this.#commandStatus = CommandStatus.Timeout;
    this.#raise(Irq.Timeout, time);
  }

  /** Can this receiver, as configured now, hear `tx` at all (frequency, SF, BW, IQ, sync word)? */
  #matches(tx: Transmission): boolean {
    return (
      Math.abs(tx.frequencyHz - this.#frequencyHz()) <= this.#bandwidthKhz() * 250 &&
      tx.spreadingFactor === this.#mod.sf &&
      tx.bandwidthKhz === this.#bandwidthKhz() &&
      tx.invertIq === (this.#pkt.invertIq === 1) &&
      tx.syncWord === this.#syncWord()
    );
  }

  // Lock decisions use the scheduled times of the events (when the preamble started, when the
  // receiver came on), not the time the event happened to run: the radio does not wait for a busy
  // host, and in real-time mode events run late.
  onAirStart(tx: Transmission): void {
    const rx = this.#rx;
    // A receiver that comes on after this preamble started looks for it itself (#scanForLock at rx.since).
    if (this.#mode === "rx" && rx !== undefined && rx.lock === undefined && rx.since <= tx.start) this.#tryLock(rx, tx, tx.start);
    if (rx === undefined || rx.lock !== tx) this.#noteMiss(tx);
  }

  /** Records why `tx` was not locked onto (removed again if the receiver locks onto it later). */
  #noteMiss(tx: Transmission): void {
    const world = this.#world;
    if (world === undefined) return;
    const canDetect = detectable(tx.spreadingFactor, world.snrDb(tx, this, this.#noiseFigure()));
    let reason: MissReason;
    if (this.#mode === "tx") reason = "hotspot_transmitting";
    else if (this.#mode === "rx" || this.#mode === "cad") {
      const rx = this.#rx;
      if (!this.#matches(tx)) reason = "wrong_channel_or_sf";
      else if (rx?.lock !== undefined) reason = "receiver_locked_on_earlier_packet";
      else if (!canDetect) reason = "below_sensitivity";
      else reason = rx?.afterTx ? "hotspot_transmitting" : "not_listening";
    } else {
      reason = this.#idleAfterTx ? "hotspot_transmitting" : "not_listening";
      this.#idleMisses.push(tx.id);
    }
    this.misses.set(tx.id, { reason, detectable: canDetect });
    if (this.misses.size > MISS_RECORDS) this.misses.delete(this.misses.keys().next().value!);
  }

  /** The chip leaves a non-receiving stretch: for a SetTx what it missed meanwhile was the transmission's doing. */
  #endIdle(forTx: boolean): void {
    if (forTx) {
      for (const id of this.#idleMisses) {
        const m = this.misses.get(id);
        if (m !== undefined) m.reason = "hotspot_transmitting";
      }
    }
    this.#idleMisses = [];
  }

  #scanForLock(rx: RxSession, at: number): void {
    if (this.#rx !== rx || this.#world === undefined) return;
    for (const tx of this.#world.onAir(at)) {
      if (rx.lock !== undefined) break;
      this.#tryLock(rx, tx, at);
    }
  }

  #tryLock(rx: RxSession, tx: Transmission, at: number): void {
    const world = this.#world;
    if (world === undefined || this.#oscFailed) return;
    if (Math.max(rx.since, at) > tx.lockDeadline || !this.#matches(tx)) return;
    const snr = world.snrDb(tx, this, this.#noiseFigure());
    if (!detectable(tx.spreadingFactor, snr)) return;
    rx.lock = tx;
    this.misses.delete(tx.id);
    this.#scheduler.cancel(rx.timeoutEvent);
    let outcome: DemodOutcome = demodulate(tx.spreadingFactor, snr, world.draw());
    if (tx.lowDataRateOptimize !== (this.#mod.ldro === 1)) outcome = "header-error";
    if (outcome === "header-error") {
      rx.finishEvent = this.#schedule(tx.headerEnd, (t) => this.#finishReception(rx, tx, "header-error", t));
    } else {
      const irqTime = tx.end + this.#t.rxDoneLatencySymbols * tx.symbolMicros;
      rx.finishEvent = this.#schedule(irqTime, (t) => this.#finishReception(rx, tx, outcome, t));
    }
  }

  #finishReception(rx: RxSession, tx: Transmission, demod: DemodOutcome, time: number): void {
    if (this.#rx !== rx || rx.lock !== tx || this.#world === undefined) return;
    const world = this.#world;
    const signal = world.receivedPowerDbm(tx, this);
    const noise = noiseFloorDbm(tx.bandwidthKhz, this.#noiseFigure());
    const snr = signal - noise;
    const rssi = 10 * Math.log10(10 ** (signal / 10) + 10 ** (noise / 10));
    let outcome: ReceptionOutcome;
    if (demod === "header-error") outcome = "header-error";
    else if (!world.survives(tx, this)) outcome = "collision";
    else if (demod === "crc-error" || (this.faults.crcErrorRate > 0 && world.draw() < this.faults.crcErrorRate)) outcome = "crc-error";
    else outcome = "ok";
    this.receptions.push({ tx, outcome, irqTime: time, rssi, snr });
    if (outcome === "header-error") {
      this.#stats.headerErrors++;
      rx.lock = undefined;
      this.#raise(Irq.HeaderErr, time);
      if (!rx.continuous) this.#enterFallback();
      else this.#scanForLock(rx, time);
      return;
    }
    // The payload goes into the buffer even when its CRC failed, as on the chip.
    const payload = outcome === "ok" || !tx.crc ? tx.payload : tx.payload.map((b, i) => (i === 0 ? b ^ 0x5a : b));
    for (let k = 0; k < payload.length; k++) this.#buffer[(this.#rxBase + k) & 0xff] = payload[k];
    this.#rxBuffer = { length: payload.length, start: this.#rxBase };
    const clampByte = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
    const snrQ = Math.max(-128, Math.min(127, Math.round(snr * 4)));
    this.#packetStatus = [clampByte(-rssi * 2), snrQ & 0xff, clampByte(-signal * 2)];
    this.#regs[Reg.HeaderCodingRate] = (tx.codingRate - 4) << 4;
    this.#regs[Reg.HeaderCrcInfo] = tx.crc ? 0x10 : 0x00;
    this.#stats.received++;
    const crcFailed = outcome !== "ok" && tx.crc;
    if (crcFailed) this.#stats.crcErrors++;
    rx.lock = undefined;
    if (!rx.continuous) this.#enterFallback();
    this.#commandStatus = CommandStatus.DataAvailable;
    this.#raise(Irq.RxDone | (crcFailed ? Irq.CrcErr : 0), time);
    if (rx.continuous) this.#scanForLock(rx, time);
  }

  #startCad(now: number): number {
    this.#leaveOperation();
    const switching = this.#switchMicros("rx");
    this.#mode = "cad";
    this.#endIdle(false);
    this.#idleAfterTx = false;
    if (!this.#checkConfigured("CAD") || this.#oscFailed) return switching;
    const cadStart = now + switching;
    const cadEnd = cadStart + this.#cad.symbols * this.#symbolMicros();
    this.#schedule(cadEnd, (t) => this.#cadDone(cadStart, t));
    return switching;
  }

  #cadDone(cadStart: number, time: number): void {
    const world = this.#world;
    let detected = false;
    if (world !== undefined) {
      for (const tx of world.onAir(cadStart)) {
        const preambleEnd = tx.start + tx.preambleSymbols * tx.symbolMicros;
        if (!this.#matches(tx) || tx.start > cadStart || time > preambleEnd) continue;
        if (detectable(tx.spreadingFactor, world.snrDb(tx, this, this.#noiseFigure()))) {
          detected = true;
          break;
        }
      }
    }
    if (detected && this.#cad.exit === 0x01) {
      // CAD_RX: stay in RX (single) with the CAD timeout; the oscillator is already running.
      this.#mode = "rx";
      const rx: RxSession = { since: time, continuous: false, afterTx: false };
      this.#rx = rx;
      rx.timeoutEvent = this.#schedule(time + this.#cad.timeoutSteps * RTC_STEP_MICROS, (t) => this.#rxTimeout(rx, t));
      this.#scanForLock(rx, time);
    } else {
      this.#mode = "stby-rc";
      this.#oscOn = false;
    }
    this.#raise(Irq.CadDone | (detected ? Irq.CadDetected : 0), time);
  }

  /** Returns how long BUSY stays high: until the preamble starts. */
  #startTx(now: number, timeout: number): number {
    this.#leaveOperation();
    const switching = this.#switchMicros("tx");
    this.#mode = "tx";
    this.#endIdle(true);
    const ok = this.#checkConfigured("TX");
    if (!this.#paSet) this.#violate("wrong-state", "TX before SetPaConfig");
    if ((this.#regs[Reg.TxClamp] & TX_CLAMP_BITS) !== TX_CLAMP_BITS) this.#violate("errata", "TX with the HP PA but register 0x08D8 bits 4:1 not set (datasheet 15.2 TX clamp)");
    const bw500 = this.#bandwidthKhz() === 500;
    if (((this.#regs[Reg.TxModulation] & ERRATA_BIT) !== 0) === bw500) {
      this.#violate("errata", `TX at ${this.#bandwidthKhz()} kHz with register 0x0889 bit 2 = ${bw500 ? 1 : 0} (datasheet 15.1: clear for BW500, set otherwise)`);
    }
    let conducted = outputPowerOf({ paDutyCycle: this.#pa.paDutyCycle, hpMax: this.#pa.hpMax, power: this.#txPower }) ?? this.#txPower;
    if (this.#board.rfSwitchOnDio2 && !this.#dio2RfSwitch) {
      this.#violate("wrong-state", "TX with DIO2 RF-switch control off on a board whose antenna switch hangs on DIO2");
      conducted -= 30;
    }
    const world = this.#world;
    if (!ok || this.#oscFailed || world === undefined) return switching;
    const start = now + switching;
    const payload = new Uint8Array(this.#pkt.length);
    for (let k = 0; k < payload.length; k++) payload[k] = this.#buffer[(this.#txBase + k) & 0xff];
    const frame = {
      frequencyHz: this.#frequencyHz(),
      spreadingFactor: this.#mod.sf,
      bandwidthKhz: this.#bandwidthKhz(),
      codingRate: this.#mod.cr + 4,
      lowDataRateOptimize: this.#mod.ldro === 1,
      invertIq: this.#pkt.invertIq === 1,
      syncWord: this.#syncWord(),
      preambleSymbols: this.#pkt.preamble,
      crc: this.#pkt.crc === 1,
      payload,
      conductedDbm: conducted,
    };
    // The world's bookkeeping runs after the SPI frame returns (well before `start`): on the chip the
    // host's next clock reading follows NSS at once, and in real time the model's own work must not
    // look like the host's lateness.
    this.#schedule(now, () => {
      const tx = world.transmit(this, frame, start);
      this.transmitted.push({ tx, commandTime: now, conductedDbm: conducted });
      const timeoutAt = timeout === 0 ? Infinity : now + timeout * RTC_STEP_MICROS;
      const timedOut = timeoutAt < tx.end;
      this.#schedule(timedOut ? timeoutAt : tx.end, (t) => {
        this.#enterFallback();
        this.#idleAfterTx = true;
        this.#commandStatus = timedOut ? CommandStatus.Timeout : CommandStatus.TxDone;
        this.#raise(timedOut ? Irq.Timeout : Irq.TxDone, t);
      });
    });
    return switching;
  }

  #rssiInstByte(): number {
    const noise = noiseFloorDbm(this.#bandwidthKhz(), this.#noiseFigure());
    let mw = 10 ** (noise / 10);
    if (this.#world !== undefined && this.#mode === "rx") {
      for (const tx of this.#world.onAir()) if (this.#matches(tx)) mw += 10 ** (this.#world.receivedPowerDbm(tx, this) / 10);
    }
    return Math.max(0, Math.min(255, Math.round(-2 * 10 * Math.log10(mw))));
  }

  // ------------------------------------------------------------ power-on state

  #powerOn(): void {
    this.#cancelOps();
    this.#idleMisses = [];
    this.#idleAfterTx = false;
    this.#mode = "stby-rc";
    this.#commandStatus = 1;
    this.#oscOn = false;
    this.#oscFailed = false;
    this.#tcxo = undefined;
    this.#packetType = undefined;
    this.#freqWord = 0;
    this.#mod = { sf: 7, bwCode: 0x04, cr: 1, ldro: 0 };
    this.#modSet = false;
    this.#pkt = { preamble: 8, header: 0, length: 0xff, crc: 1, invertIq: 0 };
    this.#pktSet = false;
    this.#pa = { paDutyCycle: 0x04, hpMax: 0x07, deviceSel: 0x00, paLut: 0x01 };
    this.#paSet = false;
    this.#txPower = 14;
    this.#txBase = 0;
    this.#rxBase = 0;
    this.#irqMask = 0;
    this.#dioMasks = [0, 0, 0];
    this.#irq = 0;
    this.#dio1Level = false;
    this.#fallback = "stby-rc";
    this.#dio2RfSwitch = false;
    this.#regulatorDcdc = false;
    this.#imageBand = [0xe1, 0xe9];
    this.#imageHiddenUntil = 0;
    this.#stats = { received: 0, crcErrors: 0, headerErrors: 0 };
    this.#rxBuffer = { length: 0, start: 0 };
    this.#packetStatus = [0, 0, 0];
    // The start-up calibration ran without a reference clock on TCXO boards: XOSC_START is latched.
    this.#deviceErrors = this.#board.tcxo !== undefined ? DeviceError.XoscStart : 0;
    this.#regs.fill(0);
    for (let i = 0; i < VERSION.length; i++) this.#regs[Reg.Version + i] = VERSION.charCodeAt(i);
    for (const [address, value] of Object.entries(RESET_REGISTERS)) this.#regs[Number(address)] = value;
    this.#buffer.fill(0);
  }
}
