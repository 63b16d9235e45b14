// The PC end of the Moddable simulator's radio wiring (sim/moddable-bridge.ts), driven by a stand-in
// for the firmware side that speaks the wire format targets/sim/native/radio_bridge.c documents
// (encoded here from that description, not with the bridge's code). The firmware's own C runs in the
// `npm run test:sdk` run (tests/sdk/). What is shown here: the chip runs each message at the
// firmware's CLOCK_MONOTONIC stamp, not when it arrives; DIO1 edges carry the world's time of the
// edge; a firmware on another clock is refused; bad messages are answered, counted, or end the link.
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { HELTEC_WIFI_LORA_32_V3 } from "../drivers/sx1262/boards.js";
import { RadioBridge } from "../sim/moddable-bridge.js";
import { modelBoard } from "../sim/hotspot-host.js";
import { RadioWorld } from "../sim/radio-world.js";
import { RealTimeScheduler } from "../sim/host/real-time.js";
import { airtime } from "./support/radio-rig.js";

// radio_bridge.c's message kinds and pin numbers (the Heltec V3 wiring targets/sim/host/provider.ts uses).
const HELLO = 1, PIN_OPEN = 2, PIN_WRITE = 3, PIN_READ = 4, SPI_OPEN = 6, SPI_TRANSFER = 7, REPLY = 0x81, EDGE = 0x82;
const NSS = 8, RESET = 12, BUSY = 13, DIO1 = 14;
const INPUT = 0, OUTPUT = 8;

const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

interface Message {
  op: number;
  status: number;
  stamp: number;
  payload: Uint8Array;
}

/** The firmware's side of the wire: one TCP connection, 12-byte little-endian headers. */
class FakeFirmware {
  readonly edges: Message[] = [];
  readonly #socket: net.Socket;
  #buffer = Buffer.alloc(0);
  #replies: ((m: Message) => void)[] = [];
  readonly closed: Promise<void>;

  constructor(address: string) {
    const [host, port] = address.split(":");
    this.#socket = net.connect({ host, port: Number(port) });
    this.closed = new Promise((resolve) => this.#socket.on("close", () => resolve()));
    this.#socket.on("data", (data: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, data]);
      while (this.#buffer.length >= 12 && this.#buffer.length >= 12 + this.#buffer.readUInt16LE(2)) {
        const length = this.#buffer.readUInt16LE(2);
        const m = { op: this.#buffer[0], status: this.#buffer[1], stamp: this.#buffer.readDoubleLE(4), payload: Uint8Array.from(this.#buffer.subarray(12, 12 + length)) };
        this.#buffer = this.#buffer.subarray(12 + length);
        if (m.op === EDGE) this.edges.push(m);
        else if (m.op === REPLY) this.#replies.shift()?.(m);
        else assert.fail(`unexpected message 0x${m.op.toString(16)}`);
      }
    });
  }

  send(op: number, pin: number, stamp: number, payload: ArrayLike<number> = [], length = payload.length): void {
    const header = Buffer.alloc(12);
    header[0] = op;
    header[1] = pin;
    header.writeUInt16LE(length, 2);
    header.writeDoubleLE(stamp, 4);
    this.#socket.write(Buffer.concat([header, Buffer.from(Uint8Array.from(payload))]));
  }

  call(op: number, pin: number, stamp: number, payload: ArrayLike<number> = []): Promise<Message> {
    const reply = new Promise<Message>((resolve) => this.#replies.push(resolve));
    this.send(op, pin, stamp, payload);
    return reply;
  }

  /** One SX1262 command frame as the driver sends it: NSS low, the bytes, NSS high; a stamp each. */
  command(stamp: number, bytes: number[]): Promise<Message> {
    this.send(PIN_WRITE, NSS, stamp, [0]);
    const reply = this.call(SPI_TRANSFER, 0xff, stamp + 1, bytes);
    this.send(PIN_WRITE, NSS, stamp + 2, [1]);
    return reply;
  }

  async edge(): Promise<Message> {
    while (this.edges.length === 0) await new Promise((r) => setTimeout(r, 5));
    return this.edges.shift()!;
  }

  close(): void {
    this.#socket.destroy();
  }
}

async function rig(fn: (bridge: RadioBridge, firmware: FakeFirmware, world: RadioWorld, logged: string[], address: string) => Promise<void>): Promise<void> {
  const scheduler = new RealTimeScheduler();
  const world = new RadioWorld({ scheduler, airtime: airtime(), seed: 1 });
  const logged: string[] = [];
  const board = HELTEC_WIFI_LORA_32_V3;
  const bridge = new RadioBridge({ name: "mcsim", scheduler, world, position: { x: 0, y: 0 }, antennaGainDbi: 0, pins: board.pins, board: modelBoard(board), log: (m) => logged.push(m) });
  const address = await bridge.listen();
  const firmware = new FakeFirmware(address);
  // The tests stamp messages up to 0.5 s in the past: let the world's clock get past that.
  await new Promise((r) => setTimeout(r, 600));
  try {
    await fn(bridge, firmware, world, logged, address);
  } finally {
    firmware.close();
    bridge.close();
    scheduler.stop();
  }
}

async function openRadioPins(firmware: FakeFirmware, stamp: number): Promise<void> {
  firmware.send(PIN_OPEN, NSS, stamp, [OUTPUT]);
  firmware.send(PIN_WRITE, NSS, stamp, [1]);
  firmware.send(PIN_OPEN, RESET, stamp, [OUTPUT]);
  firmware.send(PIN_WRITE, RESET, stamp, [1]);
  firmware.send(PIN_OPEN, BUSY, stamp, [INPUT]);
  firmware.send(PIN_OPEN, DIO1, stamp, [INPUT]);
  firmware.send(SPI_OPEN, 0xff, stamp, [0x80, 0x84, 0x1e, 0x00]); // 2 000 000 Hz
  assert.equal((await firmware.call(PIN_READ, BUSY, stamp)).status, 0);
}

test("a firmware whose stamps are not this process's CLOCK_MONOTONIC is refused at hello", async () => {
  await rig(async (bridge, firmware) => {
    const wrong = await firmware.call(HELLO, 0xff, Date.now() * 1000);
    assert.equal(wrong.status, 1);
    assert.match(new TextDecoder().decode(wrong.payload), /CLOCK_MONOTONIC/);
    const right = await firmware.call(HELLO, 0xff, monotonicMicros());
    assert.equal(right.status, 0);
    assert.ok(bridge.figures.helloDelayMicros! >= 0);
  });
});

test("GetStatus over the bridge: the status byte of a chip in STBY_RC comes back in the transfer", async () => {
  await rig(async (_bridge, firmware) => {
    const t = monotonicMicros() - 100_000;
    await openRadioPins(firmware, t);
    const reply = await firmware.command(t + 10_000, [0xc0, 0x00]);
    assert.equal(reply.status, 0);
    assert.equal(reply.payload.length, 2);
    // Datasheet 13.5.1: status bits 6:4 are the chip mode, 0x2 = STBY_RC.
    assert.equal((reply.payload[1] >> 4) & 0x7, 0x2, `status 0x${reply.payload[1].toString(16)}`);
  });
});

test("the chip sees pin changes at the firmware's stamps: a 50 µs reset pulse is too short, a 200 µs one is fine, however fast they arrive", async () => {
  await rig(async (bridge, firmware) => {
    const t = monotonicMicros() - 100_000;
    await openRadioPins(firmware, t);
    firmware.send(PIN_WRITE, RESET, t + 1000, [0]);
    firmware.send(PIN_WRITE, RESET, t + 1050, [1]);
    await firmware.call(PIN_READ, BUSY, t + 1100);
    assert.deepEqual(bridge.model.violations.map((v) => v.kind), ["reset-pulse"]);
    firmware.send(PIN_WRITE, RESET, t + 20_000, [0]);
    firmware.send(PIN_WRITE, RESET, t + 20_200, [1]);
    await firmware.call(PIN_READ, BUSY, t + 20_300);
    assert.equal(bridge.model.violations.length, 1, "the second pulse is long enough");
  });
});

test("a transmission starts from the firmware's SetTx stamp, and TxDone's DIO1 edge carries the world's time of the edge", async () => {
  await rig(async (bridge, firmware, world) => {
    // The whole exchange is stamped in the past: the model must run it at those times, not now.
    let t = monotonicMicros() - 500_000;
    await openRadioPins(firmware, t);
    const step = (bytes: number[]) => firmware.command((t += 2000), bytes);
    const frames = [
      [0x97, 0x02, 0x00, 0x01, 0x40], // SetDio3AsTcxoCtrl 1.8 V, 320 steps (5 ms)
      [0x8a, 0x01], // SetPacketType LoRa
      [0x86, 0x38, 0x7e, 0x66, 0x66], // SetRfFrequency 903.9 MHz (f * 2^25 / 32 MHz)
      [0x8b, 0x07, 0x04, 0x01, 0x00], // SetModulationParams SF7 BW125 CR4/5 LDRO off
      [0x8c, 0x00, 0x08, 0x00, 0x04, 0x01, 0x00], // SetPacketParams preamble 8, explicit, 4 bytes, CRC, IQ standard
      [0x95, 0x04, 0x07, 0x00, 0x01], // SetPaConfig +22 dBm
      [0x8e, 0x16, 0x02], // SetTxParams 22 dBm, 40 µs ramp
      [0x08, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00], // SetDioIrqParams TxDone on DIO1
      [0x8f, 0x00, 0x00], // SetBufferBaseAddress
      [0x0e, 0x00, 0xde, 0xad, 0xbe, 0xef], // WriteBuffer
    ];
    for (const frame of frames) assert.equal((await step(frame)).status, 0);
    const setTxAt = (t += 2000);
    await firmware.command(setTxAt, [0x83, 0x00, 0x00, 0x00]); // SetTx, no timeout
    // TxDone raises DIO1; the model puts the frame on the air right after the SetTx frame.
    const edge = await firmware.edge();
    const sent = bridge.model.transmitted[0];
    assert.ok(sent, `no transmission; violations: ${JSON.stringify(bridge.model.violations)}`);
    // SetTx executes when NSS rises (the frame's last stamp), in the firmware's time.
    assert.equal(sent.commandTime, bridge.toWorld(setTxAt + 2));
    assert.ok(sent.tx.start > sent.commandTime && world.log.includes(sent.tx));
    assert.deepEqual([...sent.tx.payload], [0xde, 0xad, 0xbe, 0xef]);
    assert.equal(edge.status, DIO1);
    assert.equal(edge.stamp, bridge.toMonotonic(sent.tx.end));
    assert.ok(edge.stamp < monotonicMicros(), "the edge is stamped when the chip raised it, before it was delivered");
    assert.equal(bridge.figures.edgesSent, 1);
  });
});

test("a stamp earlier than what the chip already did runs at the chip's time and is counted", async () => {
  await rig(async (bridge, firmware) => {
    const t = monotonicMicros() - 100_000;
    await openRadioPins(firmware, t);
    await firmware.call(PIN_READ, BUSY, t + 5000);
    await firmware.call(PIN_READ, BUSY, t + 4000);
    assert.equal(bridge.figures.lateStamps, 1);
    assert.equal(bridge.figures.maxLateMicros, 1000);
  });
});

test("bad messages: a pin that is not the radio's, SPI before it is opened, an oversized message", async () => {
  await rig(async (bridge, firmware, _world, logged) => {
    const t = monotonicMicros() - 10_000;
    firmware.send(PIN_OPEN, 99, t, [INPUT]);
    const read = await firmware.call(PIN_READ, 99, t + 1);
    assert.equal(read.status, 1);
    assert.match(new TextDecoder().decode(read.payload), /pin 99 is not open/);
    const spi = await firmware.call(SPI_TRANSFER, 0xff, t + 2, [0xc0, 0x00]);
    assert.equal(spi.status, 1);
    assert.match(logged.join("\n"), /pin 99 is not wired to the radio/);
    assert.equal(bridge.figures.errors, 3);
    firmware.send(SPI_TRANSFER, 0xff, t + 3, [], 4000);
    await firmware.closed;
    assert.match(logged.at(-1)!, /4000-byte message/);
  });
});

test("only the first connection is the firmware's: another one is closed at once", async () => {
  await rig(async (bridge, firmware, _world, logged, address) => {
    assert.equal((await firmware.call(HELLO, 0xff, monotonicMicros())).status, 0);
    const intruder = new FakeFirmware(address);
    await intruder.closed;
    assert.equal(bridge.figures.connections, 2);
    assert.match(logged.join("\n"), /refused a second connection/);
    assert.equal((await firmware.call(PIN_READ, BUSY, monotonicMicros())).status, 1, "the firmware's link still answers (BUSY was never opened)");
  });
});
