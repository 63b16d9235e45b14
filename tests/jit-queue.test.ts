// The JIT queue's rules with literal numbers from spec D.5/D.6: lead time 1.5 + 1 + 30 ms, 512 s
// advance limit, collision slots [start - 31.5 ms, start + airtime] with a 1 ms margin, 32 entries,
// immediate downlinks at now + 60 ms, and 32-bit wrap-around of the µs counter.
import { test } from "node:test";
import assert from "node:assert/strict";
import { JitQueue, tmstDelta } from "../modules/radio/jit-queue.js";
import { checkListenPlan, defaultListenPlan, listenCoverage, SINGLE_CHANNEL_NOTE } from "../modules/radio/listen-plan.js";
import { regionPlan } from "../modules/region/plans.js";

const item = (airtimeMicros: number, tmst: number | undefined, kind: "downlink" | "beacon" = "downlink") => ({ tmst, airtimeMicros, kind, item: tmst });

test("TOO_LATE below 32.5 ms of lead, TOO_EARLY beyond 512 s", () => {
  const q = new JitQueue<number | undefined>();
  const now = 1_000_000;
  assert.deepEqual(q.enqueue(item(10_000, now + 32_500), now).ok, false);
  assert.equal((q.enqueue(item(10_000, now + 32_500), now) as { error: string }).error, "TOO_LATE");
  assert.equal((q.enqueue(item(10_000, now - 1), now) as { error: string }).error, "TOO_LATE");
  assert.equal(q.enqueue(item(10_000, now + 32_501), now).ok, true);
  assert.equal(q.enqueue(item(10_000, now + 512_000_000), now).ok, true);
  assert.equal((q.enqueue(item(10_000, now + 512_000_001), now) as { error: string }).error, "TOO_EARLY");
});

test("collision slots: [t - 31.5 ms, t + airtime] plus a 1 ms margin; beacons are named", () => {
  const q = new JitQueue<number | undefined>();
  const now = 0;
  const t = 1_000_000;
  assert.equal(q.enqueue(item(50_000, t), now).ok, true);
  // The next slot may open 1 ms after the first ends: start >= t + 50 ms + 1 ms + 31.5 ms.
  assert.equal((q.enqueue(item(10_000, t + 82_499), now) as { error: string }).error, "COLLISION_PACKET");
  assert.equal(q.enqueue(item(10_000, t + 82_500), now).ok, true);
  // And before it: the new packet must end 1 ms before the queued slot opens (t - 31.5 ms).
  assert.equal((q.enqueue(item(10_000, t - 42_499), now) as { error: string }).error, "COLLISION_PACKET");
  assert.equal(q.enqueue(item(10_000, t - 42_500), now).ok, true);
  assert.equal(q.enqueue(item(100_000, 5_000_000, "beacon"), now).ok, true);
  assert.equal((q.enqueue(item(10_000, 5_050_000), now) as { error: string }).error, "COLLISION_BEACON");
  assert.deepEqual(q.entries.map((e) => e.tmst), [t - 42_500, t, t + 82_500, 5_000_000]);
});

test("immediate downlinks go 60 ms out, or right after what they would collide with", () => {
  const q = new JitQueue<number | undefined>();
  const r1 = q.enqueue(item(20_000, undefined), 0);
  assert.deepEqual(r1, { ok: true, tmst: 60_000 });
  const r2 = q.enqueue(item(20_000, undefined), 0);
  assert.ok(r2.ok);
  assert.equal(r2.tmst, 60_000 + 20_000 + 1000 + 31_500 + 1);
});

test("queue full (32) is COLLISION_PACKET; hand-off 30 ms ahead; missed entries come back", () => {
  const q = new JitQueue<number | undefined>();
  for (let i = 0; i < 32; i++) assert.equal(q.enqueue(item(1000, 1_000_000 + i * 100_000), 0).ok, true);
  const full = q.enqueue(item(1000, 9_000_000), 0);
  assert.ok(!full.ok && full.error === "COLLISION_PACKET" && /full/.test(full.detail));
  assert.equal(q.nextDueIn(0), 970_000);
  assert.deepEqual(q.takeDue(969_999), { due: [], missed: [] });
  const { due } = q.takeDue(970_000);
  assert.deepEqual(due.map((e) => e.tmst), [1_000_000]);
  const late = q.takeDue(1_200_001);
  assert.deepEqual(late.missed.map((e) => e.tmst), [1_100_000, 1_200_000]);
  assert.deepEqual(late.due, [], "1.3 s is still 99.999 ms away");
  assert.equal(q.size, 29);
});

test("the 32-bit counter wraps: distances are signed 32-bit", () => {
  assert.equal(tmstDelta(0xffff0000, 0x000e4240), 1_000_000);
  assert.equal(tmstDelta(0x000e4240, 0xffff0000), -1_000_000);
  const now = 0xfff00000;
  const tmst = (now + 1_500_000) >>> 0;
  assert.ok(tmst < now, "the target wrapped past zero");
  assert.equal(tmstDelta(now, tmst), 1_500_000);
  const q = new JitQueue<number>();
  assert.deepEqual(q.enqueue({ tmst, airtimeMicros: 1000, kind: "downlink", item: 1 }, now), { ok: true, tmst });
  assert.equal(q.nextDueIn(now), 1_470_000);
  assert.equal(q.takeDue((now + 1_470_000) >>> 0).due.length, 1);
});

test("listen plans name their single channel and what they miss", () => {
  const us = regionPlan("US915");
  const fixed = defaultListenPlan(us);
  assert.deepEqual(fixed, { kind: "fixed", frequencyHz: 903_900_000, spreadingFactor: 7, bandwidthKhz: 125 });
  const cov = listenCoverage(fixed, us);
  assert.equal(cov.channelsHeard, 1);
  assert.equal(cov.channelsInPlan, 8);
  assert.equal(cov.onPlanChannel, true);
  assert.deepEqual(cov.spreadingFactorsInPlan, [7, 8, 9, 10]);
  assert.ok(cov.note.startsWith(SINGLE_CHANNEL_NOTE));
  assert.match(cov.note, /1 of 8 125 kHz uplink channels, only SF7/);
  const cad = listenCoverage({ kind: "cad-scan", frequencyHz: 904_100_000, bandwidthKhz: 125, spreadingFactors: [7, 8, 9, 10] }, us);
  assert.match(cad.note, /SF7\/8\/9\/10 by channel-activity detection/);
  assert.deepEqual(checkListenPlan(fixed, us), []);
  assert.equal(checkListenPlan({ ...fixed, spreadingFactor: 12 }, us).length, 1);
  assert.equal(checkListenPlan({ ...fixed, frequencyHz: 868_100_000 }, us).length, 1);
  assert.equal(checkListenPlan({ kind: "cad-scan", frequencyHz: 903_900_000, bandwidthKhz: 125, spreadingFactors: [7, 7] }, us).length, 1);
  assert.equal(checkListenPlan({ kind: "cad-scan", frequencyHz: 903_900_000, bandwidthKhz: 125, spreadingFactors: [] }, us).length, 1);
  const eu = regionPlan("EU868");
  assert.deepEqual(defaultListenPlan(eu), { kind: "fixed", frequencyHz: 868_100_000, spreadingFactor: 7, bandwidthKhz: 125 });
  assert.equal(listenCoverage(defaultListenPlan(eu), eu).channelsInPlan, 3);
});
