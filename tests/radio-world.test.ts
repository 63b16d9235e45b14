// The simulated air: time on air (from the core) against the spec's quoted tables, the receiver
// figures against published LoRa sensitivities, behaviour at the sensitivity edge through the whole
// chain (world -> chip model -> driver), and the collision/capture rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HELTEC_WIFI_LORA_32_V3 } from "../drivers/sx1262/boards.js";
import { regionPlan } from "../modules/region/plans.js";
import { EndDevice } from "../sim/end-device.js";
import { noiseFloorDbm, sensitivityDbm, snrFloorDb } from "../sim/lora-phy.js";
import { freeSpaceLossDb, distanceMetres } from "../sim/radio-world.js";
import { Rng } from "../sim/rng.js";
import { airtime, makeHotspot, makeWorld } from "./support/radio-rig.js";

const US915 = regionPlan("US915");
const toa = (sf: number, bw: number, len: number, cr = 5, crc = true, preamble = 8, implicit = false) =>
  airtime()({ spreadingFactor: sf, bandwidthKhz: bw, codingRate: cr, preambleSymbols: preamble, crc, implicitHeader: implicit }, len);

test("time on air: the TTN and RadioLib values quoted in spec C.2", () => {
  assert.deepEqual([7, 8, 9, 10, 11, 12].map((sf) => toa(sf, 125, 10)), [41_216, 72_192, 144_384, 288_768, 577_536, 991_232]);
  assert.equal(toa(7, 250, 10), 20_608);
  assert.equal(toa(7, 500, 10), 10_304);
  assert.deepEqual([6, 7, 8].map((cr) => toa(7, 125, 10, cr)), [45_312, 49_408, 53_504]);
  assert.deepEqual([13, 14, 15].map((n) => toa(7, 125, n)), [46_336, 46_336, 46_336]);
  assert.deepEqual([16, 17, 18, 19].map((n) => toa(7, 125, n)), [51_456, 51_456, 51_456, 51_456]);
  assert.deepEqual([5, 15, 100, 200].map((n) => toa(11, 250, n, 8, false, 16, true)), [296_960, 362_496, 1_411_072, 2_590_720]);
});

test("time on air: the LoRaWAN frame table of spec C.3 (PL 13 CRC on/off, 23, 51)", () => {
  const rows: [number, number, number[]][] = [
    [7, 125, [46_336, 41_216, 61_696, 102_656]],
    [8, 125, [82_432, 82_432, 113_152, 184_832]],
    [9, 125, [164_864, 144_384, 205_824, 328_704]],
    [10, 125, [288_768, 288_768, 370_688, 616_448]],
    [11, 125, [577_536, 577_536, 823_296, 1_314_816]],
    [12, 125, [1_155_072, 1_155_072, 1_482_752, 2_465_792]],
    [8, 500, [20_608, 20_608, 28_288, 46_208]],
    [12, 500, [288_768, 247_808, 329_728, 534_528]],
  ];
  for (const [sf, bw, want] of rows) {
    assert.deepEqual([toa(sf, bw, 13), toa(sf, bw, 13, 5, false), toa(sf, bw, 23), toa(sf, bw, 51)], want, `SF${sf}BW${bw}`);
  }
});

test("receiver figures: SNR floors, noise floor and sensitivity per SF", () => {
  assert.deepEqual([7, 8, 9, 10, 11, 12].map(snrFloorDb), [-7.5, -10, -12.5, -15, -17.5, -20]);
  assert.ok(Math.abs(noiseFloorDbm(125) - -117.03) < 0.01);
  assert.ok(Math.abs(noiseFloorDbm(500) - -111.01) < 0.01);
  // Published LoRa BW125 sensitivities (Semtech SX127x datasheet, highest gain): -124 ... -137 dBm.
  const published = [-124, -127, -130, -133, -135, -137];
  [7, 8, 9, 10, 11, 12].forEach((sf, i) => assert.ok(Math.abs(sensitivityDbm(sf, 125) - published[i]) <= 1, `SF${sf}: ${sensitivityDbm(sf, 125)}`));
  assert.ok(sensitivityDbm(7, 125, 9) > sensitivityDbm(7, 125), "power-saving gain is less sensitive");
});

test("distances: metres and lat/lon (haversine); free-space loss at 1 m and 915 MHz", () => {
  assert.equal(distanceMetres({ x: 0, y: 0 }, { x: 300, y: 400 }), 500);
  const d = distanceMetres({ lat: 52.52, lon: 13.405 }, { lat: 48.8566, lon: 2.3522 });
  assert.ok(Math.abs(d - 877_500) < 5000, `Berlin-Paris ${d}`);
  assert.ok(Math.abs(freeSpaceLossDb(1, 915e6) - 31.67) < 0.01);
  assert.throws(() => distanceMetres({ x: 0, y: 0 }, { lat: 0, lon: 0 }), TypeError);
});

/** A world without shadowing, a hotspot on 903.9 MHz SF7 at the origin and a device at `metres` sending SF7 at 14 dBm. */
function edgeRig(metres: number) {
  const env = makeWorld(11, { shadowingSigmaDb: 0, pathLossExponent: 2.7 });
  const hs = makeHotspot(env, { board: HELTEC_WIFI_LORA_32_V3, listen: { kind: "fixed", frequencyHz: 903_900_000, spreadingFactor: 7, bandwidthKhz: 125 }, antennaGainDbi: 0 });
  const dev = new EndDevice({
    name: "edge",
    world: env.world,
    position: { x: metres, y: 0 },
    region: US915,
    dataRate: 3,
    channelsHz: [903_900_000],
    activation: { kind: "abp", devAddr: 0x78000001, nwkSKey: new Uint8Array(16), appSKey: new Uint8Array(16).fill(1) },
    rng: new Rng(5),
  });
  return { env, hs, dev };
}

/** Distance at which a 14 dBm, 0 dBi link at 903.9 MHz with exponent 2.7 reaches `snr` dB at SF7/BW125. */
function distanceForSnr(snr: number): number {
  const pathLoss = 14 - (noiseFloorDbm(125) + snr);
  return 10 ** ((pathLoss - freeSpaceLossDb(1, 903_900_000)) / 27);
}

test("sensitivity edge through the whole chain: +3 dB decodes, -1 dB is a header error, -3 dB is not seen", () => {
  const cases: [number, (r: ReturnType<typeof edgeRig>) => void][] = [
    [snrFloorDb(7) + 3, (r) => {
      assert.equal(r.hs.packets.length, 1);
      assert.ok(Math.abs(r.hs.packets[0].snr - (snrFloorDb(7) + 3)) <= 0.25);
    }],
    [snrFloorDb(7) - 1, (r) => {
      assert.equal(r.hs.packets.length, 0);
      assert.equal(r.hs.driver.stats.headerErrors, 1);
    }],
    [snrFloorDb(7) - 3, (r) => {
      assert.equal(r.hs.packets.length, 0);
      assert.equal(r.hs.driver.stats.headerErrors + r.hs.driver.stats.crcErrors, 0);
      assert.equal(r.hs.model.receptions.length, 0);
    }],
  ];
  for (const [snr, check] of cases) {
    const r = edgeRig(distanceForSnr(snr));
    r.env.scheduler.at(r.env.scheduler.now() + 10_000, () => r.dev.sendUplink());
    r.env.scheduler.runFor(1_000_000);
    check(r);
    assert.deepEqual(r.hs.model.violations, []);
  }
});

test("collisions and capture on one channel: 6 dB captures, equal power loses both, other SFs do not collide", () => {
  const env = makeWorld(21, { shadowingSigmaDb: 0 });
  const sf7 = makeHotspot(env, { name: "sf7", board: HELTEC_WIFI_LORA_32_V3, listen: { kind: "fixed", frequencyHz: 903_900_000, spreadingFactor: 7, bandwidthKhz: 125 } });
  const sf8 = makeHotspot(env, { name: "sf8", board: HELTEC_WIFI_LORA_32_V3, listen: { kind: "fixed", frequencyHz: 903_900_000, spreadingFactor: 8, bandwidthKhz: 125 }, position: { x: 0, y: 1 } });
  const device = (name: string, metres: number, dataRate: number, devAddr: number) =>
    new EndDevice({ name, world: env.world, position: { x: metres, y: 0 }, region: US915, dataRate, channelsHz: [903_900_000], activation: { kind: "abp", devAddr, nwkSKey: new Uint8Array(16), appSKey: new Uint8Array(16) }, rng: new Rng(devAddr) });
  const near = device("near", 500, 3, 1); // strong
  const far = device("far", 1500, 3, 2); // about 13 dB weaker (exponent 2.7, 3x distance)
  const twin = device("twin", 500, 3, 3); // as strong as `near` (same distance)
  const other = device("other-sf", 500, 2, 4); // SF8
  const at = (t: number, f: () => void) => env.scheduler.at(t, f);
  const t0 = env.scheduler.now() + 100_000;
  // a) strong first, weak overlapping: strong survives (capture), weak lost.
  at(t0, () => near.sendUplink());
  at(t0 + 5_000, () => far.sendUplink());
  // b) two of equal power overlapping: both lost (one CRC error on the locked one).
  at(t0 + 4_000_000, () => near.sendUplink());
  at(t0 + 4_005_000, () => twin.sendUplink());
  // c) SF7 and SF8 at the same time and power: no collision, each heard by its hotspot.
  at(t0 + 10_000_000, () => twin.sendUplink());
  at(t0 + 10_000_000, () => other.sendUplink());
  env.scheduler.runFor(20_000_000);

  const sf7From = (d: EndDevice) => sf7.packets.filter((p) => d.uplinks.some((u) => Buffer.from(u.tx.payload).equals(Buffer.from(p.payload))));
  assert.equal(sf7From(near).length, 1, "a) the strong packet is captured");
  assert.equal(sf7From(far).length, 0, "a) the weak one is lost");
  assert.equal(sf7.driver.stats.crcErrors, 1, "b) the locked packet of the equal pair ends in a CRC error");
  assert.equal(sf7From(twin).length, 1, "c) only twin's third-phase SF7 packet arrives");
  assert.equal(sf8.packets.length, 1, "c) the SF8 packet is heard by the SF8 hotspot");
  assert.deepEqual(Buffer.from(sf8.packets[0].payload), Buffer.from(other.uplinks[0].tx.payload));
  const outcomes = sf7.model.receptions.map((r) => `${r.tx.sender.name}:${r.outcome}`);
  assert.deepEqual(outcomes, ["near:ok", "near:collision", "twin:ok"]);
  assert.deepEqual(sf7.model.violations, []);
  assert.deepEqual(sf8.model.violations, []);
});

test("CRC errors near the SNR floor: about half at the floor, about a quarter 1 dB above, none 3 dB above", () => {
  const rate = (margin: number) => {
    const r = edgeRig(distanceForSnr(snrFloorDb(7) + margin));
    for (let k = 0; k < 200; k++) r.env.scheduler.at(r.env.scheduler.now() + 10_000 + k * 2_200_000, () => r.dev.sendUplink());
    r.env.scheduler.runFor(200 * 2_200_000 + 1_000_000);
    const { crcErrors } = r.hs.driver.stats;
    assert.equal(crcErrors + r.hs.packets.length, 200, "every frame ends as a packet or a counted CRC error");
    return crcErrors / 200;
  };
  const atFloor = rate(0.05);
  const above1 = rate(1);
  const above3 = rate(3);
  assert.ok(atFloor > 0.35 && atFloor < 0.65, `at the floor: ${atFloor}`);
  assert.ok(above1 > 0.12 && above1 < 0.38, `+1 dB: ${above1}`);
  assert.equal(above3, 0);
});
