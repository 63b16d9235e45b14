// Region plans against the literal tables of spec/radio-and-wire.md section F (and LoRaMac-node's
// Region*.h for AU915's RX1 table, KR920, IN865, RU864), written out here by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { REGION_NAMES, RegionError, regionPlan } from "../modules/region/plans.js";
import { dataRateIndex, dataRateName, parseDataRateName, planLoRaDataRate, rx1Window } from "../modules/region/datarate.js";
import { DutyCycleTracker, DUTY_CYCLE_WINDOW_US } from "../modules/region/duty-cycle.js";

const names = (plan: ReturnType<typeof regionPlan>, idx: number[]) => idx.map((i) => {
  const dr = planLoRaDataRate(plan, i);
  return dr === undefined ? "-" : dataRateName(dr);
});

test("US915 sub-band 2 is the default: 903.9-905.3 MHz plus 904.6 MHz at 500 kHz", () => {
  const us = regionPlan("US915");
  assert.deepEqual(
    us.uplinkChannels.map((c) => [c.index, c.frequencyHz]),
    [[8, 903_900_000], [9, 904_100_000], [10, 904_300_000], [11, 904_500_000], [12, 904_700_000], [13, 904_900_000], [14, 905_100_000], [15, 905_300_000], [65, 904_600_000]],
  );
  const sb1 = regionPlan("US915", { subBand: 1 });
  assert.equal(sb1.uplinkChannels[0].frequencyHz, 902_300_000);
  assert.equal(sb1.uplinkChannels[8].frequencyHz, 903_000_000);
  const sb8 = regionPlan("US915", { subBand: 8 });
  assert.equal(sb8.uplinkChannels[7].frequencyHz, 914_900_000);
  assert.equal(sb8.uplinkChannels[8].frequencyHz, 914_200_000);
  assert.throws(() => regionPlan("US915", { subBand: 9 }), RegionError);
  assert.throws(() => regionPlan("US915", { subBand: 0 }), RegionError);
});

test("US915 datarates, RX1 DR table (offsets 0..3), RX1 channel = uplink channel mod 8, RX2", () => {
  const us = regionPlan("US915");
  assert.deepEqual(names(us, [0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13]), ["SF10BW125", "SF9BW125", "SF8BW125", "SF7BW125", "SF8BW500", "-", "SF12BW500", "SF11BW500", "SF10BW500", "SF9BW500", "SF8BW500", "SF7BW500"]);
  const table: Record<number, number[]> = { 0: [10, 9, 8, 8], 1: [11, 10, 9, 8], 2: [12, 11, 10, 9], 3: [13, 12, 11, 10], 4: [13, 13, 12, 11] };
  for (const [up, row] of Object.entries(table)) {
    for (let off = 0; off < 4; off++) assert.equal(us.rx1DataRate(Number(up), off), row[off], `DR${up} offset ${off}`);
  }
  assert.equal(us.rx1DataRate(5, 0), undefined);
  assert.equal(us.rx1DataRate(0, 4), undefined);
  assert.equal(us.rx1Frequency(903_900_000), 923_300_000); // ch 8 -> 0
  assert.equal(us.rx1Frequency(905_300_000), 927_500_000); // ch 15 -> 7
  assert.equal(us.rx1Frequency(904_600_000), 923_900_000); // ch 65 -> 1
  assert.equal(us.rx1Frequency(903_950_000), undefined);
  assert.deepEqual(us.rx2, { frequencyHz: 923_300_000, dataRate: 8 });
  assert.deepEqual(rx1Window(us, 904_100_000, 3, 0), { frequencyHz: 923_900_000, dataRate: 13 });
  assert.equal(dataRateIndex(us, { spreadingFactor: 8, bandwidthKhz: 500 }, "up"), 4);
  assert.equal(dataRateIndex(us, { spreadingFactor: 8, bandwidthKhz: 500 }, "down"), 12);
  assert.equal(us.maxEirpDbm, 30);
  assert.equal(us.dutyCycle.length, 0);
});

test("AU915: 915.2 + 0.2n, 915.9 + 1.6k, LoRaMac-node RX1 DR table, RX2 923.3 DR8", () => {
  const au = regionPlan("AU915", { subBand: 1 });
  assert.deepEqual(au.uplinkChannels.map((c) => c.frequencyHz).slice(0, 2), [915_200_000, 915_400_000]);
  assert.equal(au.uplinkChannels[8].frequencyHz, 915_900_000);
  assert.deepEqual(names(au, [0, 5, 6, 8, 13]), ["SF12BW125", "SF7BW125", "SF8BW500", "SF12BW500", "SF7BW500"]);
  const lmn = [
    [8, 8, 8, 8, 8, 8],
    [9, 8, 8, 8, 8, 8],
    [10, 9, 8, 8, 8, 8],
    [11, 10, 9, 8, 8, 8],
    [12, 11, 10, 9, 8, 8],
    [13, 12, 11, 10, 9, 8],
    [13, 13, 12, 11, 10, 9],
  ];
  lmn.forEach((row, up) => row.forEach((want, off) => assert.equal(au.rx1DataRate(up, off), want, `DR${up} off ${off}`)));
  assert.equal(au.rx1Frequency(915_200_000), 923_300_000);
  assert.deepEqual(au.rx2, { frequencyHz: 923_300_000, dataRate: 8 });
  assert.deepEqual(au.uplinkDataRates, [2, 3, 4, 5, 6]);
});

test("EU868: default channels, DR table, RX1 = same frequency with DR - offset, RX2 869.525 DR0, 16 dBm", () => {
  const eu = regionPlan("EU868");
  assert.deepEqual(eu.uplinkChannels.map((c) => c.frequencyHz), [868_100_000, 868_300_000, 868_500_000]);
  assert.deepEqual(names(eu, [0, 1, 2, 3, 4, 5, 6, 7]), ["SF12BW125", "SF11BW125", "SF10BW125", "SF9BW125", "SF8BW125", "SF7BW125", "SF7BW250", "-"]);
  assert.deepEqual(eu.dataRates[7], { modulation: "FSK", bitsPerSecond: 50_000 });
  assert.deepEqual(rx1Window(eu, 868_300_000, 5, 2), { frequencyHz: 868_300_000, dataRate: 3 });
  assert.equal(eu.rx1DataRate(1, 5), 0);
  assert.equal(eu.rx1DataRate(1, 6), undefined);
  assert.deepEqual(eu.rx2, { frequencyHz: 869_525_000, dataRate: 0 });
  assert.equal(eu.maxEirpDbm, 16);
  const withCfList = regionPlan("EU868", { extraChannelsHz: [867_100_000, 867_300_000] });
  assert.equal(withCfList.uplinkChannels.length, 5);
  assert.deepEqual(withCfList.joinChannels, [0, 1, 2]);
  assert.throws(() => regionPlan("EU868", { extraChannelsHz: [915_000_000] }), RegionError);
  assert.throws(() => regionPlan("EU868", { extraChannelsHz: [868_100_000] }), RegionError);
});

test("EU868 duty-cycle sub-bands: 0.1 % / 1 % / 1 % / 0.1 % / 10 % / 1 %", () => {
  const eu = regionPlan("EU868");
  const at = (mhz: number) => eu.dutyCycle.find((b) => mhz * 1e6 >= b.lowHz && mhz * 1e6 <= b.highHz)?.limit;
  assert.equal(at(864.0), 0.001);
  assert.equal(at(867.1), 0.01);
  assert.equal(at(868.1), 0.01);
  assert.equal(at(868.9), 0.001);
  assert.equal(at(869.525), 0.1);
  assert.equal(at(869.85), 0.01);
  assert.equal(at(869.3), undefined);
});

test("AS923 groups 1-4 shift channels and RX2; RX1 offsets 6 and 7 raise the DR, floor DR2 (dwell)", () => {
  const want = { AS923_1: 923_200_000, AS923_2: 921_400_000, AS923_3: 916_600_000, AS923_4: 917_300_000 } as const;
  for (const [name, first] of Object.entries(want)) {
    const p = regionPlan(name as keyof typeof want);
    assert.deepEqual(p.uplinkChannels.map((c) => c.frequencyHz), [first, first + 200_000]);
    assert.deepEqual(p.rx2, { frequencyHz: first, dataRate: 2 });
    assert.equal(p.maxEirpDbm, 16);
  }
  const as1 = regionPlan("AS923_1");
  assert.equal(as1.rx1DataRate(3, 6), 4);
  assert.equal(as1.rx1DataRate(3, 7), 5);
  assert.equal(as1.rx1DataRate(5, 7), 5);
  assert.equal(as1.rx1DataRate(3, 3), 2);
  assert.deepEqual(as1.uplinkDataRates, [2, 3, 4, 5]);
});

test("KR920, IN865, RU864 (LoRaMac-node region headers)", () => {
  const kr = regionPlan("KR920");
  assert.deepEqual(kr.uplinkChannels.map((c) => c.frequencyHz), [922_100_000, 922_300_000, 922_500_000]);
  assert.deepEqual(kr.rx2, { frequencyHz: 921_900_000, dataRate: 0 });
  assert.equal(kr.maxEirpDbm, 14);
  assert.equal(kr.dataRates.length, 6);
  const ind = regionPlan("IN865");
  assert.deepEqual(ind.uplinkChannels.map((c) => c.frequencyHz), [865_062_500, 865_402_500, 865_985_000]);
  assert.deepEqual(ind.rx2, { frequencyHz: 866_550_000, dataRate: 2 });
  assert.equal(ind.maxEirpDbm, 30);
  assert.equal(ind.rx1DataRate(2, 6), 3);
  const ru = regionPlan("RU864");
  assert.deepEqual(ru.uplinkChannels.map((c) => c.frequencyHz), [868_900_000, 869_100_000]);
  assert.deepEqual(ru.rx2, { frequencyHz: 869_100_000, dataRate: 0 });
  assert.equal(ru.dutyCycle[0].limit, 0.01);
});

test("every plan is self-consistent", () => {
  for (const name of REGION_NAMES) {
    const p = regionPlan(name);
    for (const c of p.uplinkChannels) assert.ok(c.frequencyHz >= p.bandLowHz && c.frequencyHz <= p.bandHighHz, `${name} ${c.frequencyHz}`);
    assert.ok(planLoRaDataRate(p, p.rx2.dataRate), `${name} RX2 DR is LoRa`);
    for (const up of p.uplinkDataRates) {
      assert.ok(planLoRaDataRate(p, up), `${name} DR${up}`);
      const w = rx1Window(p, p.uplinkChannels.find((c) => up >= c.minDataRate && up <= c.maxDataRate)!.frequencyHz, up, 0);
      assert.ok(w, `${name} DR${up} has an RX1 window`);
    }
    assert.deepEqual(p.delays, { rx1: 1_000_000, rx2: 2_000_000, join1: 5_000_000, join2: 6_000_000 });
  }
});

test("datarate names parse and print; junk is undefined", () => {
  assert.deepEqual(parseDataRateName("SF12BW500"), { modulation: "LORA", spreadingFactor: 12, bandwidthKhz: 500 });
  for (const bad of ["", "SF13BW125", "SF4BW125", "SF7BW126", "sf7bw125", "SF7BW125 ", "SF07BW125x"]) assert.equal(parseDataRateName(bad), undefined, bad);
});

test("duty-cycle tracker: 1 % of an hour is 36 s of airtime per sub-band; the window slides", () => {
  const eu = regionPlan("EU868");
  const dc = new DutyCycleTracker(eu.dutyCycle);
  const t0 = 10 * DUTY_CYCLE_WINDOW_US;
  let sent = 0;
  for (let i = 0; i < 100; i++) {
    const r = dc.reserve(868_100_000, t0 + i * 1_000_000, 1_000_000);
    if (r.decision.ok) sent++;
  }
  assert.equal(sent, 36);
  const refused = dc.check(868_100_000, t0 + 200_000_000, 1);
  assert.equal(refused.ok, false);
  assert.equal(!refused.ok && refused.reason, "exhausted");
  // Another sub-band is independent; RX2's sub-band allows 10 %.
  assert.equal(dc.check(869_525_000, t0, 360_000_000).ok, true);
  assert.equal(dc.check(869_525_000, t0, 360_000_001).ok, false);
  // Outside every sub-band: refused by name.
  const gap = dc.check(869_300_000, t0, 1000);
  assert.equal(!gap.ok && gap.reason, "no-sub-band");
  // An hour (plus the one-minute bucket) later the airtime is forgotten.
  assert.equal(dc.check(868_100_000, t0 + DUTY_CYCLE_WINDOW_US + 60_000_000, 1_000_000).ok, true);
  // A released reservation frees its airtime.
  const dc2 = new DutyCycleTracker(eu.dutyCycle);
  const r = dc2.reserve(868_100_000, t0, 36_000_000);
  assert.equal(dc2.check(868_100_000, t0, 1).ok, false);
  dc2.release(r.reservation!);
  assert.equal(dc2.check(868_100_000, t0, 36_000_000).ok, true);
  assert.equal(new DutyCycleTracker([]).check(1, 0, 1e12).ok, true);
});
