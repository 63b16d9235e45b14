// Time on air from the core against the classic Semtech AN1200.13 form (the one TTN's
// pkg/toa uses), written here in floating point, over random SF7-12 parameters.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { loadRawCore } from "./support/raw-core.js";

const core = loadRawCore();
const airtime = core.exports.lora_airtime_us as (sf: number, bw: number, cr: number, pre: number, len: number, crc: number, implicit: number) => number;

function an1200(sf: number, bwKhz: number, cr: number /* 1..4 for 4/5..4/8 */, preamble: number, len: number, crc: boolean, implicit: boolean): number {
  const tSym = Math.pow(2, sf) / (bwKhz * 1000);
  const de = tSym >= 0.016 ? 1 : 0;
  const payloadSymbols = 8 + Math.max(Math.ceil((8 * len - 4 * sf + 28 + 16 * (crc ? 1 : 0) - 20 * (implicit ? 1 : 0)) / (4 * (sf - 2 * de))) * (cr + 4), 0);
  return (preamble + 4.25 + payloadSymbols) * tSym * 1e6;
}

test("lora_airtime_us equals the AN1200.13 formula on 2,000 random SF7-12 configurations", () => {
  for (let i = 0; i < 2000; i++) {
    const sf = randomInt(7, 13);
    const bw = [125, 250, 500][randomInt(0, 3)];
    const cr = randomInt(5, 9);
    const preamble = randomInt(1, 70);
    const len = randomInt(0, 256);
    const crc = randomInt(0, 2);
    const implicit = randomInt(0, 2);
    const expected = an1200(sf, bw, cr - 4, preamble, len, crc === 1, implicit === 1);
    const ours = airtime(sf, bw, cr, preamble, len, crc, implicit);
    assert.ok(Math.abs(ours - expected) < 1e-6 * expected, `sf${sf} bw${bw} cr4/${cr} pre${preamble} len${len} crc${crc} implicit${implicit}: ${ours} vs ${expected}`);
    assert.ok(Number.isInteger(ours));
  }
});
