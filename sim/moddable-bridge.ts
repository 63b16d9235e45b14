// The PC end of the Moddable simulator's radio wiring: the firmware in mcsim (targets/sim) reaches
// its SX1262 through targets/sim/native/radio_bridge.c, one loopback TCP connection to this server,
// and the chip on the other end is the same command-level model the Node hotspots use
// (sim/sx1262-model.ts), placed in the simulated radio world.
//
// One clock. Every message from the firmware carries the time it was sent, read from
// CLOCK_MONOTONIC in µs; Node's process.hrtime reads the same clock (libuv's uv_hrtime), and the
// world's real-time scheduler, which cuts nothing while a Moddable build is in the world, runs on
// performance.now(), that is uv_hrtime minus a fixed origin. That origin is measured here (hrtime
// and scheduler.now() sampled back to back), not assumed, and measured again at every message
// (`maxClockDriftMicros`); the firmware's first message is checked against it (a firmware on another
// clock is refused). The
// model then executes each SPI frame and pin change at the moment the firmware made it, not when
// the message happened to arrive: on a board the chip sees NSS rise as the CPU drives it. DIO1 edges
// go back stamped with the world time the chip raised them. What the wire adds stays visible: the
// firmware waits a round trip for each transfer (its SetTx goes out that much later, and the world
// measures the transmission where it starts), and `figures` counts the delays.
import net from "node:net";
import type { Digital, SPI } from "../modules/host/provider.js";
import type { Position, RadioWorld } from "./radio-world.js";
import type { ScheduledEvent, Scheduler } from "./scheduler.js";
import { Sx1262Model, type Sx1262ModelBoard } from "./sx1262-model.js";

/** targets/sim/native/radio_bridge.c's message kinds. */
const Op = {
  Hello: 1,
  PinOpen: 2,
  PinWrite: 3,
  PinRead: 4,
  PinClose: 5,
  SpiOpen: 6,
  SpiTransfer: 7,
  SpiClose: 8,
  Reply: 0x81,
  Edge: 0x82,
} as const;
const HEADER_BYTES = 12;
const MAX_PAYLOAD = 1024;
/** A firmware whose first stamp is further than this from our clock reads another clock. */
const MAX_CLOCK_GAP_MICROS = 1_000_000;

/** Bridge figures, measured here. */
export interface BridgeFigures {
  /** Connections to the bridge's port (the firmware's, and any other, which is refused). */
  connections: number;
  /** Our clock minus the firmware's stamp on its hello, µs (the time the hello took to arrive). */
  helloDelayMicros: number | undefined;
  /** Messages from the firmware, and how many of them were handled here more than 1 ms and 10 ms after their stamp (the wire and a busy simulator). */
  messages: number;
  delayedOver1ms: number;
  delayedOver10ms: number;
  /** Largest time between a message's stamp and its handling here, µs. */
  maxDelayMicros: number;
  spiTransfers: number;
  pinReads: number;
  edgesSent: number;
  /** Messages stamped before something the chip had already done (run at that later time instead), and the largest gap, µs. */
  lateStamps: number;
  maxLateMicros: number;
  /** Protocol or chip errors answered to the firmware. */
  errors: number;
  /** Largest change, µs, of the offset between CLOCK_MONOTONIC and the world's clock, measured again at each message (the two must be one clock). */
  maxClockDriftMicros: number;
}

/**
 * The model's scheduler: the world's, except that while a firmware message is handled "now" is the
 * message's stamp (never earlier than anything the chip already saw), and the time an SPI transfer
 * takes passes on the firmware's side of the wire, not as a busy wait in Node.
 */
class FirmwareTime implements Scheduler {
  #stamp: number | undefined;
  #floor = -Infinity;
  constructor(readonly world: Scheduler) {}

  get epochMillis(): number {
    return this.world.epochMillis;
  }

  get wallClockValid(): boolean | undefined {
    return this.world.wallClockValid;
  }

  untimed<T>(fn: () => T): T {
    return this.world.untimed ? this.world.untimed(fn) : fn();
  }

  now(): number {
    this.#floor = Math.max(this.#floor, this.#stamp ?? this.world.now());
    return this.#floor;
  }

  at(time: number, fn: (time: number) => void): ScheduledEvent {
    return this.world.at(time, fn);
  }

  cancel(event: ScheduledEvent | undefined): void {
    this.world.cancel(event);
  }

  advance(us: number): void {
    if (this.#stamp !== undefined && us > 0) this.#stamp += us;
  }

  /** Runs `fn` at the firmware's `stamp` (world µs); returns how far before the chip's time the stamp was. */
  during(stamp: number, fn: () => void): number {
    const late = Math.max(0, this.#floor - stamp);
    this.#stamp = Math.max(stamp, this.#floor);
    try {
      fn();
    } finally {
      this.#stamp = undefined;
    }
    return late;
  }
}

/** CLOCK_MONOTONIC µs minus the scheduler's time, from the back-to-back sample that took the least time. */
export function measureClockOrigin(scheduler: Scheduler, samples: number): number {
  let best = Infinity;
  let origin = 0;
  for (let i = 0; i < samples; i++) {
    const before = process.hrtime.bigint();
    const world = scheduler.now();
    const after = process.hrtime.bigint();
    const gap = Number(after - before);
    if (gap < best) {
      best = gap;
      origin = Number((before + after) / 2n) / 1000 - world;
    }
  }
  return origin;
}

export interface RadioBridgeOptions {
  name: string;
  /** The world's real-time scheduler: it must run on CLOCK_MONOTONIC as it is, cutting nothing (the firmware's clock cannot be cut). */
  scheduler: Scheduler;
  world: RadioWorld;
  position: Position;
  antennaGainDbi: number;
  /** The pins targets/sim/host/provider.ts gives the driver. */
  pins: { nss: number; reset: number; busy: number; dio1: number };
  board: Sx1262ModelBoard;
  /** Bridge trouble worth a line in the hotspot's log. */
  log(message: string): void;
}

export class RadioBridge {
  readonly model: Sx1262Model;
  readonly figures: BridgeFigures = {
    connections: 0, helloDelayMicros: undefined, messages: 0, delayedOver1ms: 0, delayedOver10ms: 0, maxDelayMicros: 0,
    spiTransfers: 0, pinReads: 0, edgesSent: 0, lateStamps: 0, maxLateMicros: 0, errors: 0, maxClockDriftMicros: 0,
  };
  readonly #o: RadioBridgeOptions;
  readonly #time: FirmwareTime;
  readonly #origin: number;
  readonly #io: ReturnType<Sx1262Model["io"]>;
  readonly #server: net.Server;
  #socket: net.Socket | undefined;
  #pins = new Map<number, Digital>();
  #spi: SPI | undefined;
  #pending = Buffer.alloc(0);

  constructor(options: RadioBridgeOptions) {
    this.#o = options;
    this.#time = new FirmwareTime(options.scheduler);
    this.model = new Sx1262Model({ name: options.name, scheduler: this.#time, world: options.world, position: options.position, antennaGainDbi: options.antennaGainDbi, pins: options.pins, board: options.board });
    this.#io = this.model.io();
    this.#origin = measureClockOrigin(options.scheduler, 50);
    this.#server = net.createServer((socket) => this.#accept(socket));
  }

  /** Listens on a free loopback port; resolves with "127.0.0.1:PORT" for HOTSPOT_SIM_BRIDGE. */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(0, "127.0.0.1", () => resolve(`127.0.0.1:${(this.#server.address() as net.AddressInfo).port}`));
    });
  }

  close(): void {
    this.#drop();
    this.#server.close();
  }

  /** World µs of a CLOCK_MONOTONIC stamp, and back. */
  toWorld(monotonicMicros: number): number {
    return monotonicMicros - this.#origin;
  }
  toMonotonic(worldMicros: number): number {
    return worldMicros + this.#origin;
  }

  #accept(socket: net.Socket): void {
    this.figures.connections++;
    // One firmware, wired once: anything else that connects to the port is turned away.
    if (this.figures.connections > 1) {
      this.#o.log(`radio bridge: refused a second connection from ${socket.remoteAddress}:${socket.remotePort}`);
      socket.destroy();
      return;
    }
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on("data", (data: Buffer) => this.#receive(socket, data));
    socket.on("error", (e) => this.#o.log(`radio bridge: ${e.message}`));
    socket.on("close", () => {
      if (this.#socket === socket) this.#drop();
    });
  }

  #drop(): void {
    for (const pin of this.#pins.values()) pin.close();
    this.#pins.clear();
    this.#spi?.close();
    this.#spi = undefined;
    this.#pending = Buffer.alloc(0);
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  #receive(socket: net.Socket, data: Buffer): void {
    if (socket !== this.#socket) return;
    let buffer = this.#pending.length > 0 ? Buffer.concat([this.#pending, data]) : data;
    while (buffer.length >= HEADER_BYTES) {
      const length = buffer.readUInt16LE(2);
      if (length > MAX_PAYLOAD) {
        this.#o.log(`radio bridge: a ${length}-byte message (at most ${MAX_PAYLOAD}); closing the connection`);
        this.figures.errors++;
        this.#drop();
        return;
      }
      if (buffer.length < HEADER_BYTES + length) break;
      const op = buffer[0];
      const pin = buffer[1];
      const stamp = buffer.readDoubleLE(4);
      const payload = Uint8Array.from(buffer.subarray(HEADER_BYTES, HEADER_BYTES + length));
      buffer = buffer.subarray(HEADER_BYTES + length);
      this.#handle(op, pin, stamp, payload);
      if (socket !== this.#socket) return;
    }
    this.#pending = Buffer.from(buffer);
  }

  #handle(op: number, pin: number, stamp: number, payload: Uint8Array): void {
    const world = this.toWorld(stamp);
    const delay = this.#o.scheduler.now() - world;
    const f = this.figures;
    f.messages++;
    if (delay > 1000) f.delayedOver1ms++;
    if (delay > 10_000) f.delayedOver10ms++;
    f.maxDelayMicros = Math.max(f.maxDelayMicros, delay);
    f.maxClockDriftMicros = Math.max(f.maxClockDriftMicros, Math.abs(measureClockOrigin(this.#o.scheduler, 3) - this.#origin));
    let reply: Uint8Array | undefined;
    let failure: string | undefined;
    const late = this.#time.during(world, () => {
      try {
        reply = this.#execute(op, pin, stamp, payload);
      } catch (e) {
        failure = e instanceof Error ? e.message : String(e);
      }
    });
    if (late > 0) {
      this.figures.lateStamps++;
      this.figures.maxLateMicros = Math.max(this.figures.maxLateMicros, late);
    }
    const answers = op === Op.Hello || op === Op.PinRead || op === Op.SpiTransfer;
    if (failure !== undefined) {
      this.figures.errors++;
      this.#o.log(`radio bridge: ${failure}`);
      if (answers) this.#send(Op.Reply, 1, this.toMonotonic(this.#o.scheduler.now()), new TextEncoder().encode(failure));
    } else if (answers) this.#send(Op.Reply, 0, this.toMonotonic(this.#o.scheduler.now()), reply ?? new Uint8Array(0));
  }

  #execute(op: number, pin: number, stamp: number, payload: Uint8Array): Uint8Array | undefined {
    switch (op) {
      case Op.Hello: {
        const gap = Number(process.hrtime.bigint() / 1000n) - stamp;
        this.figures.helloDelayMicros = gap;
        if (!(gap >= 0 && gap < MAX_CLOCK_GAP_MICROS)) throw new Error(`the firmware's clock is ${gap.toFixed(0)} µs from the simulator's: both must read CLOCK_MONOTONIC`);
        return undefined;
      }
      case Op.PinOpen:
        return void this.#openPin(pin, payload[0]);
      case Op.PinWrite:
        return void this.#pin(pin).write(payload[0] ? 1 : 0);
      case Op.PinRead:
        this.figures.pinReads++;
        return Uint8Array.of(this.#pin(pin).read());
      case Op.PinClose:
        this.#pins.get(pin)?.close();
        this.#pins.delete(pin);
        return undefined;
      case Op.SpiOpen: {
        const hz = payload[0] | (payload[1] << 8) | (payload[2] << 16) | (payload[3] << 24);
        this.#spi?.close();
        this.#spi = new this.#io.SPI({ hz: hz >>> 0, mode: 0 });
        return undefined;
      }
      case Op.SpiTransfer: {
        if (this.#spi === undefined) throw new Error("SPI transfer before the SPI was opened");
        this.figures.spiTransfers++;
        this.#spi.transfer(payload);
        return payload;
      }
      case Op.SpiClose:
        this.#spi?.close();
        this.#spi = undefined;
        return undefined;
      default:
        throw new Error(`unknown message 0x${op.toString(16)} (stamp ${stamp})`);
    }
  }

  #openPin(pin: number, mode: number): void {
    const p = this.#o.pins;
    if (pin !== p.nss && pin !== p.reset && pin !== p.busy && pin !== p.dio1) throw new Error(`pin ${pin} is not wired to the radio (NSS ${p.nss}, NRESET ${p.reset}, BUSY ${p.busy}, DIO1 ${p.dio1})`);
    this.#pins.get(pin)?.close();
    const onReadable =
      pin === p.dio1
        ? (time?: number) => {
            this.figures.edgesSent++;
            this.#send(Op.Edge, pin, this.toMonotonic(time ?? this.#o.scheduler.now()), new Uint8Array(0));
          }
        : undefined;
    this.#pins.set(pin, new this.#io.Digital({ pin, mode, ...(onReadable ? { onReadable } : {}) }));
  }

  #pin(pin: number): Digital {
    const digital = this.#pins.get(pin);
    if (digital === undefined) throw new Error(`pin ${pin} is not open`);
    return digital;
  }

  #send(op: number, status: number, monotonicMicros: number, payload: Uint8Array): void {
    const socket = this.#socket;
    if (socket === undefined) return;
    const message = Buffer.alloc(HEADER_BYTES + payload.length);
    message[0] = op;
    message[1] = status;
    message.writeUInt16LE(payload.length, 2);
    message.writeDoubleLE(monotonicMicros, 4);
    message.set(payload, HEADER_BYTES);
    socket.write(message);
  }
}
