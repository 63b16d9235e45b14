// The chip model on its own, driven by hand-written SPI frames: it must answer like the chip
// (status byte on every byte, the status slot of reads, BUSY after reset) and it must catch the
// protocol errors a bad driver would make, or "no violations" in the driver tests would mean nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DigitalMode } from "../modules/host/provider.js";
import { Sx1262Model, type ViolationKind } from "../sim/sx1262-model.js";
import { VirtualScheduler } from "../sim/scheduler.js";

const PINS = { nss: 8, reset: 12, busy: 13, dio1: 14 };

function rig(board = { tcxo: { minVolts: 1.7, startupMicros: 2000 }, dcdcInductor: false, rfSwitchOnDio2: true }) {
  const scheduler = new VirtualScheduler();
  const model = new Sx1262Model({ name: "chip", scheduler, pins: PINS, board });
  const { SPI, Digital } = model.io();
  const spi = new SPI({ hz: 2_000_000 });
  const nss = new Digital({ pin: PINS.nss, mode: DigitalMode.Output, initialValue: 1 });
  const reset = new Digital({ pin: PINS.reset, mode: DigitalMode.Output, initialValue: 1 });
  const busy = new Digital({ pin: PINS.busy, mode: DigitalMode.Input });
  /** One frame; returns MISO. Does not wait for BUSY unless asked. */
  const frame = (hex: string, waitBusy = true): number[] => {
    if (waitBusy) while (busy.read()) scheduler.advance(1);
    const bytes = Uint8Array.from(hex.split(" ").map((b) => parseInt(b, 16)));
    nss.write(0);
    spi.transfer(bytes);
    nss.write(1);
    return [...bytes];
  };
  const kinds = () => model.violations.map((v) => v.kind);
  return { scheduler, model, spi, nss, reset, busy, frame, kinds };
}

function bootToStandby(r: ReturnType<typeof rig>) {
  r.reset.write(0);
  r.scheduler.advance(1000);
  r.reset.write(1);
  r.frame("80 00");
  r.frame("07 00 00");
  r.frame("97 02 00 01 40");
  r.frame("89 7F");
  r.frame("8A 01");
}

test("status byte on every byte, status slot then data for reads (0xA2 in STBY_RC as in real traces)", () => {
  const r = rig();
  bootToStandby(r);
  assert.deepEqual(r.frame("C0 00"), [0xa2, 0xa2]);
  assert.deepEqual(r.frame("80 00"), [0xa2, 0xa2]);
  const sync = r.frame("1D 07 40 00 00 00");
  assert.deepEqual(sync.slice(0, 4), [0xa2, 0xa2, 0xa2, 0xa2]);
  assert.deepEqual(sync.slice(4), [0x14, 0x24], "reset value of the sync word registers");
  assert.deepEqual(r.frame("12 00 00 00"), [0xa2, 0xa2, 0x00, 0x00]);
  assert.equal(String.fromCharCode(...r.frame("1D 03 20 00 00 00 00 00 00 00").slice(4)), "SX1261");
  assert.deepEqual(r.kinds(), []);
});

test("BUSY is high after reset; a command sent anyway is a violation and is lost, as on the chip", () => {
  const r = rig();
  r.model.recordFrames = true;
  r.reset.write(0);
  r.scheduler.advance(1000);
  r.reset.write(1);
  assert.equal(r.busy.read(), 1);
  r.frame("0D 07 40 34 44", false); // the public sync word, while BUSY
  assert.deepEqual(r.kinds(), ["command-while-busy"]);
  assert.equal(r.model.frames.at(-1)!.lost, true);
  r.scheduler.advance(5000);
  assert.equal(r.busy.read(), 0);
  assert.deepEqual(r.frame("1D 07 40 00 00 00").slice(4), [0x14, 0x24], "the lost write never reached the register");
  assert.equal(r.model.frames.at(-1)!.lost, false);
  // A read while BUSY is lost too: no data, only the status byte on every byte.
  r.frame("89 7F");
  assert.equal(r.busy.read(), 1, "Calibrate holds BUSY");
  const lost = r.frame("1D 03 20 00 00 00", false);
  assert.notEqual(String.fromCharCode(lost[4], lost[5]), "SX");
  assert.deepEqual(r.kinds(), ["command-while-busy", "command-while-busy"]);
});

test("SPI mode and clock limits: mode 0 up to 16 MHz is fine; another mode, active-high select or a faster clock are violations", () => {
  const check = (options: { hz: number; mode?: 0 | 1 | 2 | 3; active?: 0 | 1; select?: number }) => {
    const r = rig();
    new (r.model.io().SPI)(options);
    return r.kinds();
  };
  assert.deepEqual(check({ hz: 16_000_000, mode: 0 }), []);
  assert.deepEqual(check({ hz: 2_000_000 }), []);
  assert.deepEqual(check({ hz: 16_000_001 }), ["spi-clock"]);
  assert.deepEqual(check({ hz: 0 }), ["spi-clock"]);
  assert.deepEqual(check({ hz: 2_000_000, mode: 3 }), ["spi-mode"]);
  assert.deepEqual(check({ hz: 2_000_000, mode: 1 }), ["spi-mode"]);
  assert.deepEqual(check({ hz: 2_000_000, select: PINS.nss, active: 1 }), ["spi-mode"]);
});

/** Waits for BUSY low and returns how long it took, µs. */
function busyFor(r: ReturnType<typeof rig>): number {
  const start = r.scheduler.now();
  while (r.busy.read()) r.scheduler.advance(1);
  return r.scheduler.now() - start;
}

test("cold sleep: BUSY high while asleep; the waking NSS edge carries no command; 3.5 ms start; configuration lost", () => {
  const r = rig();
  bootToStandby(r);
  r.model.recordFrames = true;
  r.frame("0D 07 40 34 44");
  r.frame("84 00");
  assert.equal(r.model.mode, "sleep");
  r.scheduler.advance(10_000);
  assert.equal(r.busy.read(), 1, "BUSY is high in sleep");
  r.frame("C0 00", false); // the wake-up frame (LoRaMac-node sends GetStatus, RadioLib a NOP)
  assert.equal(r.model.frames.at(-1)!.lost, true);
  assert.equal(r.model.mode, "stby-rc");
  const waited = busyFor(r);
  assert.ok(Math.abs(waited - 3500) <= 8, `cold start took ${waited} µs`);
  assert.deepEqual(r.frame("1D 07 40 00 00 00").slice(4), [0x14, 0x24], "registers are back at reset");
  assert.deepEqual(r.kinds(), [], "waking by NSS is not a violation");
});

test("warm sleep: 340 µs start, configuration kept, but 0x08AC/0x0889/0x0736 only through the retention list", () => {
  const r = rig();
  bootToStandby(r);
  r.frame("0D 07 40 34 44");
  r.frame("0D 08 AC 96");
  r.frame("84 04");
  r.frame("C0 00", false);
  const waited = busyFor(r);
  assert.ok(Math.abs(waited - 340) <= 8, `warm start took ${waited} µs`);
  assert.deepEqual(r.frame("1D 07 40 00 00 00").slice(4), [0x34, 0x44], "the sync word survives");
  assert.deepEqual(r.frame("1D 08 AC 00 00").slice(4), [0x94], "RX gain fell back to power saving");
  assert.deepEqual(r.kinds(), ["retention"]);

  const listed = rig();
  bootToStandby(listed);
  listed.frame("0D 02 9F 01 08 AC"); // retention list: one register, 0x08AC (SEMDRV sx126x_init_retention_list)
  listed.frame("0D 08 AC 96");
  listed.frame("84 04");
  listed.frame("C0 00", false);
  busyFor(listed);
  assert.deepEqual(listed.frame("1D 08 AC 00 00").slice(4), [0x96], "kept because it is listed");
  assert.deepEqual(listed.kinds(), []);
});

test("SetSleep is taken only in standby", () => {
  const r = rig();
  bootToStandby(r);
  r.frame("8B 07 04 01 00");
  r.frame("8C 00 08 00 FF 01 00");
  r.frame("0D 07 36 0D");
  r.frame("82 FF FF FF");
  const before = r.kinds().length;
  r.frame("84 04");
  assert.equal(r.model.mode, "rx");
  assert.deepEqual(r.kinds().slice(before), ["wrong-state"]);
});

const MISUSE: [string, (r: ReturnType<typeof rig>) => void, ViolationKind][] = [
  ["two commands in one chip-select frame", (r) => r.frame("80 00 8A 01"), "cs-held-across-commands"],
  ["a read longer than its answer", (r) => r.frame("12 00 00 00 00"), "cs-held-across-commands"],
  ["SF13", (r) => r.frame("8B 0D 04 01 00"), "invalid-parameters"],
  ["BW code 0x07", (r) => r.frame("8B 07 07 01 00"), "invalid-parameters"],
  ["a short SetPacketParams", (r) => r.frame("8C 00 08 00 FF"), "invalid-parameters"],
  ["hpMax 0x08", (r) => r.frame("95 04 08 00 01"), "invalid-parameters"],
  ["SX1261 PA selected on an SX1262", (r) => r.frame("95 04 07 01 01"), "invalid-parameters"],
  ["+23 dBm", (r) => r.frame("8E 17 02"), "invalid-parameters"],
  ["unknown opcode", (r) => r.frame("AB 00"), "unknown-opcode"],
  ["write to an undocumented register", (r) => r.frame("0D 0A 00 01"), "undocumented-register"],
  ["a byte clocked with NSS high", (r) => r.spi.transfer(Uint8Array.of(0x80, 0x00)), "spi-without-select"],
  [
    "reconfiguring while in RX",
    (r) => {
      r.frame("8B 07 04 01 00");
      r.frame("8C 00 08 00 FF 01 00");
      r.frame("0D 07 36 0D");
      r.frame("82 FF FF FF");
      r.frame("8B 08 04 01 00");
    },
    "wrong-state",
  ],
  [
    "RX with InvertIQ on but the IQ errata bit still set",
    (r) => {
      r.frame("8B 07 04 01 00");
      r.frame("8C 00 08 00 FF 01 01");
      r.frame("0D 07 36 0D");
      r.frame("82 FF FF FF");
    },
    "errata",
  ],
  [
    "TX without the clamp fix",
    (r) => {
      r.frame("95 04 07 00 01");
      r.frame("8B 07 04 01 00");
      r.frame("0D 08 89 04");
      r.frame("8C 00 08 00 0D 01 00");
      r.frame("0D 07 36 0D");
      r.frame("83 00 00 00");
    },
    "errata",
  ],
  [
    "a command while the image calibration is still running",
    (r) => {
      r.frame("98 E1 E9");
      r.frame("0D 07 40 34 44");
    },
    "image-calibration",
  ],
  [
    "RX outside the calibrated image band",
    (r) => {
      r.frame("98 D7 DB");
      r.scheduler.advance(20_000);
      r.frame("8B 07 04 01 00");
      r.frame("8C 00 08 00 FF 01 00");
      r.frame("86 38 7E 66 66");
      r.frame("82 FF FF FF");
    },
    "image-calibration",
  ],
];

for (const [what, misuse, kind] of MISUSE) {
  test(`the model flags ${what} (${kind})`, () => {
    const r = rig();
    bootToStandby(r);
    assert.deepEqual(r.kinds(), [], "clean boot");
    misuse(r);
    assert.ok(r.kinds().includes(kind), `expected ${kind}, got ${JSON.stringify(r.model.violations)}`);
  });
}

test("an invalid command sets command status 4 (processing error) in the next status byte", () => {
  const r = rig();
  bootToStandby(r);
  r.frame("8B 0D 04 01 00");
  const [st] = r.frame("C0 00");
  assert.equal((st >> 1) & 7, 4);
});

test("a reset pulse shorter than 100 µs is flagged; a TCXO left unconfigured fails the oscillator (XOSC_START)", () => {
  const r = rig();
  r.reset.write(0);
  r.scheduler.advance(10);
  r.reset.write(1);
  assert.deepEqual(r.kinds(), ["reset-pulse"]);
  r.frame("80 00");
  r.frame("07 00 00");
  r.frame("89 7F");
  const errors = r.frame("17 00 00 00");
  assert.equal(((errors[2] << 8) | errors[3]) & 0x20, 0x20);
});
