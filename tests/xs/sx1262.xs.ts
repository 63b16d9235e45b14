// The SX1262 driver against the chip model (sim/sx1262-model.ts, the same model the Node tests use)
// on the XS engine, in the simulator's virtual time, with time on air from the native core. The
// byte-for-byte transcripts are the Node suite's cases (tests/support/sx1262-transcripts.ts: spec
// A.9/A.10a); reception and fault handling are judged by the model's own records.
import { test } from "./harness.js";
import { equal, equalBytes, ok } from "./assert.js";
import { HELTEC_WIFI_LORA_32_V3, LILYGO_T3_S3_SX1262 } from "../../drivers/sx1262/boards.js";
import type { Sx1262Listen } from "../../drivers/sx1262/sx1262.js";
import { createNativeCore } from "../../modules/core/native.js";
import type { AirtimeFunction } from "../../modules/radio/airtime.js";
import { makeHotspot, makeWorldWith } from "../support/sx1262-rig.js";
import { TRANSCRIPT_CASES, checkTranscripts } from "../support/sx1262-transcripts.js";

const core = createNativeCore();
const airtime: AirtimeFunction = (p, length) =>
  core.airtimeMicros({
    spreadingFactor: p.spreadingFactor,
    bandwidthKHz: p.bandwidthKhz,
    codingRate: p.codingRate,
    preambleSymbols: p.preambleSymbols,
    payloadLength: length,
    crc: p.crc,
    implicitHeader: p.implicitHeader,
  });

const LISTEN: Sx1262Listen = { kind: "fixed", frequencyHz: 868_100_000, spreadingFactor: 9, bandwidthKhz: 125 };

for (const c of TRANSCRIPT_CASES) {
  for (const select of ["gpio", "spi"] as const) {
    test(`${c.board.name} (${select} chip select): init, RX and TX transcripts follow spec A.9/A.10a, no model violations`, () => {
      checkTranscripts(c, select, airtime);
    });
  }
}

test("a frame sent by one driver is received by another: payload, end-of-packet stamp, RSSI and SNR as the model heard them", () => {
  const env = makeWorldWith(airtime, 5, { shadowingSigmaDb: 0 });
  const gateway = makeHotspot(env, { board: HELTEC_WIFI_LORA_32_V3, listen: LISTEN, name: "gateway" });
  const sender = makeHotspot(env, { board: LILYGO_T3_S3_SX1262, listen: { ...LISTEN, frequencyHz: 868_500_000 }, name: "sender", position: { x: 800, y: 0 } });
  equal(gateway.driver.state, "listening");
  equal(sender.driver.state, "listening");
  const payload = Uint8Array.from({ length: 23 }, (_, i) => (i * 37 + 5) & 0xff);
  const at = (Math.floor(env.clock.micros()) + 50_000) >>> 0;
  ok(sender.driver.write({ payload, frequencyHz: 868_100_000, spreadingFactor: 9, bandwidthKhz: 125, powerDbm: 14, invertIq: false, at, tag: "up" }), "TX accepted");
  env.scheduler.runFor(2_000_000);

  equal(sender.reports.length, 1);
  equal(sender.reports[0].ok, true, `TX report ${JSON.stringify(sender.reports[0])}`);
  const onAir = sender.model.transmitted[0].tx;
  equal(onAir.end - onAir.start, airtime({ spreadingFactor: 9, bandwidthKhz: 125, codingRate: 5, preambleSymbols: 8, crc: true, implicitHeader: false }, 23), "burst length = time on air");
  equal(sender.reports[0].tmst, at, "started at the requested tmst");

  equal(gateway.packets.length, 1, `packets (faults ${JSON.stringify(gateway.faults)})`);
  const heard = gateway.model.receptions[0];
  equal(heard.outcome, "ok");
  const packet = gateway.packets[0];
  equalBytes(packet.payload, payload);
  equal(packet.spreadingFactor, 9);
  equal(packet.frequencyHz, 868_100_000);
  equal(packet.codingRate, 5);
  ok(Math.abs(packet.micros - onAir.end) < 100, `end of packet ${packet.micros} vs ${onAir.end} on the air`);
  equal(packet.tmst, Math.floor(packet.micros) >>> 0);
  // The chip reports RSSI in 0.5 dB and SNR in 0.25 dB steps.
  ok(Math.abs(packet.rssi - heard.rssi) <= 0.5, `rssi ${packet.rssi} vs ${heard.rssi}`);
  ok(Math.abs(packet.snr - heard.snr) <= 0.25, `snr ${packet.snr} vs ${heard.snr}`);
  equal(JSON.stringify([...gateway.model.violations, ...sender.model.violations]), "[]");
});

test("BUSY stuck: the driver reports the fault, gives up into a slow retry, refuses TX meanwhile and recovers when BUSY is released", () => {
  const env = makeWorldWith(airtime, 7);
  const hs = makeHotspot(env, { board: HELTEC_WIFI_LORA_32_V3, listen: LISTEN });
  equal(hs.driver.state, "listening");
  hs.model.faults.busyStuck = true;
  // The next command the driver sends (a TX) finds BUSY high.
  ok(hs.driver.write({ payload: new Uint8Array(4), frequencyHz: 869_525_000, spreadingFactor: 9, bandwidthKhz: 125, powerDbm: 14, invertIq: true, tag: "a" }));
  env.scheduler.runFor(6_000_000);
  equal(hs.driver.state, "failed");
  ok(/BUSY stayed high for more than \d+ µs/.test(hs.faults[0].message), hs.faults[0].message);
  equal(hs.faults.at(-1)!.failed, true);
  equal(hs.reports[0].ok, false);
  equal(hs.driver.write({ payload: new Uint8Array(4), frequencyHz: 869_525_000, spreadingFactor: 9, bandwidthKhz: 125, powerDbm: 14, invertIq: true, tag: "b" }), false);
  equal(hs.reports.at(-1)!.error, "RADIO_FAULT");
  hs.model.faults.busyStuck = false;
  env.scheduler.runFor(10_000_000);
  equal(hs.driver.state, "listening", "back after the slow retry");
});
