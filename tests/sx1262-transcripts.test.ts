// Driver against the chip model, byte for byte (the cases are in support/sx1262-transcripts.ts and run
// on the XS engine too), plus the spec's encodings of frequency words, PA rows and packet status.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodePacketStatus, paSettingsFor, rfFrequencyWord } from "../drivers/sx1262/commands.js";
import { airtime } from "./support/radio-rig.js";
import { TRANSCRIPT_CASES, checkTranscripts } from "./support/sx1262-transcripts.js";

for (const c of TRANSCRIPT_CASES) {
  for (const select of ["gpio", "spi"] as const) {
    test(`${c.board.name} (${select} chip select): init, RX and TX transcripts follow spec A.9 with A.10a bytes, no violations`, () => {
      checkTranscripts(c, select, airtime());
    });
  }
}

test("spec A.10a/A.4 encodings: frequency words, PA table rows, packet-status decoding", () => {
  const words: [number, number][] = [
    [868_100_000, 0x3641999a],
    [868_300_000, 0x3644cccd],
    [868_500_000, 0x36480000],
    [869_525_000, 0x36586666],
    [903_900_000, 0x387e6666],
    [915_000_000, 0x39300000],
    [923_300_000, 0x39b4cccd],
  ];
  for (const [hz, word] of words) assert.equal(rfFrequencyWord(hz), word, `${hz}`);
  assert.deepEqual(paSettingsFor(22), { paDutyCycle: 4, hpMax: 7, power: 22 });
  assert.deepEqual(paSettingsFor(20), { paDutyCycle: 3, hpMax: 5, power: 22 });
  assert.deepEqual(paSettingsFor(17), { paDutyCycle: 2, hpMax: 3, power: 22 });
  assert.deepEqual(paSettingsFor(14), { paDutyCycle: 2, hpMax: 2, power: 22 });
  assert.equal(paSettingsFor(23), undefined);
  assert.equal(paSettingsFor(-10), undefined);
  assert.deepEqual(decodePacketStatus(0xb4, 0xf6, 0xb6), { rssi: -90, snr: -2.5, signalRssi: -91 });
});
