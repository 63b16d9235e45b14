// The forwarder against a GWMP server over UDP on 127.0.0.1, with virtual time. The server decodes
// with Buffer and JSON.parse (tests/support/gwmp-server.ts); expected values come from the events the
// test made up, from literals, or from what the server itself sent.

import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { DownlinkRequest, UplinkEvent } from "../modules/forwarder/types.js";
import { ID, until } from "./support/gwmp-server.js";
import { EUI_HEX, START_MICROS, openRig, uplink } from "./support/forwarder-rig.js";

const TWO_POW_32 = 2 ** 32;

function randomUplink(nowTmst: number): UplinkEvent {
  const sf = 5 + Math.floor(Math.random() * 8);
  return {
    payload: new Uint8Array(randomBytes(Math.floor(Math.random() * 256))),
    tmst: (nowTmst - Math.floor(Math.random() * 5_000_000) + TWO_POW_32) % TWO_POW_32,
    rssi: -140 + Math.random() * 140,
    snr: -20 + Math.random() * 35,
    freq: 863_000_000 + Math.floor(Math.random() * 65_000_000),
    datarate: { sf, bw: [125, 250, 500][Math.floor(Math.random() * 3)] },
    crcOk: true,
    codingRate: ["4/5", "4/6", "4/7", "4/8"][Math.floor(Math.random() * 4)],
  };
}

test("uplink: every rxpk field equals the received packet's values", async () => {
  // At the rig's start time the wall clock reads 2013-03-31T16:21:17.530Z.
  const wallNow = Date.UTC(2013, 2, 31, 16, 21, 17, 530);
  const rig = await openRig({ wallBaseMillis: wallNow - START_MICROS / 1000 });
  try {
    const nowTmst = START_MICROS % TWO_POW_32;
    const first = uplink({ tmst: nowTmst - 1998, rssi: -35, snr: 5.1, freq: 866_349_812, codingRate: "4/6" });
    const future = uplink({ tmst: nowTmst + 5000 });
    const events = [first, future, uplink({ payload: new Uint8Array(0) }), uplink({ payload: new Uint8Array(randomBytes(255)) })];
    for (let i = 0; i < 40; i++) events.push(randomUplink(nowTmst));
    for (const e of events) rig.forwarder.uplink(e);
    await rig.server.waitFor("all PUSH_DATA", () => rig.server.of(ID.PUSH_DATA).length === events.length);

    const pushes = rig.server.of(ID.PUSH_DATA);
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      const d = pushes[i];
      assert.equal(d.euiHex, EUI_HEX);
      assert.deepEqual(Object.keys(d.json), ["rxpk"]);
      assert.equal(d.json.rxpk.length, 1);
      const r = d.json.rxpk[0];
      assert.equal(r.tmst, e.tmst);
      assert.equal(Math.round(r.freq * 1e6), e.freq);
      assert.match(d.text, /"freq":\d{3}\.\d{6},/);
      assert.equal(r.chan, 0);
      assert.equal(r.rfch, 0);
      assert.equal(r.stat, 1);
      assert.equal(r.modu, "LORA");
      assert.equal(r.datr, `SF${e.datarate.sf}BW${e.datarate.bw}`);
      assert.equal(r.codr, e.codingRate);
      assert.ok(Number.isInteger(r.rssi) && Math.abs(r.rssi - e.rssi) <= 0.5, `rssi ${r.rssi} for ${e.rssi}`);
      assert.ok(Math.abs(r.lsnr - e.snr) <= 0.05 + 1e-9, `lsnr ${r.lsnr} for ${e.snr}`);
      assert.equal(r.size, e.payload.length);
      assert.deepEqual(new Uint8Array(Buffer.from(r.data, "base64")), e.payload);
      assert.equal(r.data, Buffer.from(e.payload).toString("base64"));
      if (e === future) {
        assert.equal(r.time, undefined, "a tmst ahead of the clock gives no RX time");
        continue;
      }
      const ageMicros = (nowTmst - e.tmst + TWO_POW_32) % TWO_POW_32;
      const rxMicros = wallNow * 1000 - ageMicros;
      assert.equal(Date.parse(r.time), Math.floor(rxMicros / 1000), r.time);
      assert.equal(r.time.slice(-7), `${String(rxMicros % 1_000_000).padStart(6, "0")}Z`);
    }
    assert.equal(pushes[0].json.rxpk[0].time, "2013-03-31T16:21:17.528002Z");
    assert.equal(rig.server.malformed.length, 0);
  } finally {
    await rig.close();
  }
});

function classA(tmst: number, overrides: Record<string, unknown> = {}): string {
  const payload = randomBytes(12);
  return JSON.stringify({
    txpk: { tmst, freq: 868.1, rfch: 0, powe: 14, modu: "LORA", datr: "SF7BW125", codr: "4/5", ipol: true, size: 12, data: payload.toString("base64"), ...overrides },
  });
}

test("stat: the counters of each 30 s interval add up, then start again", async () => {
  // The first stat goes out at start + 30 s = 2014-01-12 08:59:28 UTC (PROTOCOL.TXT's example time).
  const rig = await openRig({ wallBaseMillis: Date.UTC(2014, 0, 12, 8, 59, 28) - START_MICROS / 1000 - 30_000 });
  try {
    const { server, forwarder, scheduler } = rig;
    const status = () => forwarder.status().servers[0];
    for (let i = 0; i < 5; i++) forwarder.uplink(uplink());
    for (let i = 0; i < 2; i++) forwarder.uplink(uplink({ crcOk: false }));
    forwarder.uplink({ ...uplink(), freq: -1 }); // a broken event: received, not forwarded
    await until("5 PUSH_ACKs", () => status().pushAcked === 5);
    for (let i = 0; i < 3; i++) server.sendPullResp(0x100 + i, classA(123_456 + i * 100_000));
    server.sendPullResp(0x200, "{bad json");
    await server.waitFor("3 TX_ACKs", () => server.of(ID.TX_ACK).length === 3);
    await until("the bad PULL_RESP dropped", () => status().dropped.bad_json === 1);
    scheduler.requests[0].onDone!(true);
    scheduler.requests[0].onDone!(true); // a second call must not count twice
    scheduler.requests[1].onDone!(true);
    scheduler.requests[2].onDone!(false);

    rig.time.advance(30_000);
    const stats = () => server.of(ID.PUSH_DATA).filter((d) => d.json.stat !== undefined);
    await server.waitFor("the first stat", () => stats().length === 1);
    assert.equal(server.of(ID.PUSH_DATA).length, 6, "5 uplinks + 1 stat: CRC-failed and broken events are not forwarded");
    assert.deepEqual(stats()[0].json, {
      stat: { time: "2014-01-12 08:59:28 GMT", rxnb: 8, rxok: 5, rxfw: 5, ackr: 100, dwnb: 3, txnb: 2 },
    });
    assert.match(stats()[0].text, /"ackr":100\.0,/);

    // Second interval: the first stat's PUSH_ACK arrives now; then the server stops acknowledging.
    await until("the stat's PUSH_ACK", () => status().pushAcked === 6);
    server.ackPush = () => false;
    forwarder.uplink(uplink());
    forwarder.uplink(uplink());
    await server.waitFor("2 more uplinks", () => server.of(ID.PUSH_DATA).length === 8);
    rig.time.advance(30_000);
    await server.waitFor("the second stat", () => stats().length === 2);
    // Settled in this interval: the first stat (acked) and 2 uplinks (timed out) -> 1 of 3.
    assert.deepEqual(stats()[1].json, {
      stat: { time: "2014-01-12 08:59:58 GMT", rxnb: 2, rxok: 2, rxfw: 2, ackr: 33.3, dwnb: 0, txnb: 0 },
    });
    assert.equal(status().txEmitted, 2);
    assert.equal(status().txFailed, 1);
    assert.equal(forwarder.status().uplinksRejected, 1);
  } finally {
    await rig.close();
  }
});

test("without a valid wall clock: no rxpk time, and stat waits with its counters carried over", async () => {
  const rig = await openRig();
  try {
    const { server, forwarder } = rig;
    forwarder.uplink(uplink());
    forwarder.uplink(uplink());
    await server.waitFor("2 uplinks", () => server.of(ID.PUSH_DATA).length === 2);
    assert.equal("time" in server.of(ID.PUSH_DATA)[0].json.rxpk[0], false);
    rig.time.advance(30_000);
    assert.equal(forwarder.status().servers[0].statsDeferred, 1);
    rig.time.wallBaseMillis = Date.UTC(2030, 5, 1) - rig.time.clock.millis();
    forwarder.uplink(uplink());
    await until("3 PUSH_ACKs", () => forwarder.status().servers[0].pushAcked === 3);
    rig.time.advance(30_000);
    await server.waitFor("a stat", () => server.of(ID.PUSH_DATA).some((d) => d.json.stat));
    const pushes = server.of(ID.PUSH_DATA);
    assert.equal(pushes.length, 4, "3 uplinks, then the only stat");
    assert.deepEqual(pushes[3].json.stat, { time: "2030-06-01 00:00:30 GMT", rxnb: 3, rxok: 3, rxfw: 3, ackr: 100, dwnb: 0, txnb: 0 });
  } finally {
    await rig.close();
  }
});

test("keepalive: a PULL_DATA every 10 s, PULL_ACK tokens matched, duplicates and strangers dropped", async () => {
  const rig = await openRig();
  try {
    const { server, forwarder, time } = rig;
    const status = () => forwarder.status().servers[0];
    const pulls = () => server.of(ID.PULL_DATA);

    time.advance(9_999);
    // Anything sent before this uplink arrives first: one socket, loopback, in order.
    forwarder.uplink(uplink());
    await server.waitFor("the sentinel uplink", () => server.of(ID.PUSH_DATA).length === 1);
    assert.equal(pulls().length, 1, "no keepalive before 10 s");
    time.advance(1);
    await server.waitFor("PULL_DATA at 10 s", () => pulls().length === 2);
    await until("its PULL_ACK", () => status().pullAcked === 2);

    server.ackPull = false;
    time.advance(10_000);
    await server.waitFor("PULL_DATA at 20 s", () => pulls().length === 3);
    const token = pulls()[2].token;
    const pullAck = (t: number) => new Uint8Array([2, t >> 8, t & 0xff, ID.PULL_ACK]);
    server.sendRaw(pullAck(token ^ 0x5a5a));
    server.sendRaw(pullAck(pulls()[1].token)); // an old token
    server.sendRaw(pullAck(token));
    server.sendRaw(pullAck(token));
    await until("4 answers handled", () => status().datagramsReceived === 2 + 1 + 4);
    assert.equal(status().pullAcked, 3);
    assert.equal(status().dropped.token_mismatch, 2);
    assert.equal(status().dropped.duplicate_ack, 1);
    assert.ok(rig.logs.some((l) => l.startsWith("warn forwarder") && l.includes("(duplicate_ack)")));

    time.advance(10_000); // 30 s: not acknowledged
    server.ackPull = true;
    time.advance(10_000); // 40 s: acknowledged
    await server.waitFor("PULL_DATA at 40 s", () => pulls().length === 5);
    await until("its PULL_ACK", () => status().pullAcked === 4);
    assert.equal(status().pullSent, 5);
    assert.equal(status().lastPullAckMillis, (START_MICROS + 40_000_000) / 1000);
    for (const p of pulls()) {
      assert.equal(p.euiHex, EUI_HEX);
      assert.equal(p.raw.length, 12);
    }
  } finally {
    await rig.close();
  }
});

test("PUSH_ACK: tokens matched, late and unknown ones refused, ack ratio counted", async () => {
  const rig = await openRig();
  try {
    const { server, forwarder, time } = rig;
    const status = () => forwarder.status().servers[0];
    let n = 0;
    server.ackPush = () => n++ % 2 === 0;
    for (let i = 0; i < 10; i++) forwarder.uplink(uplink());
    await server.waitFor("10 uplinks", () => server.of(ID.PUSH_DATA).length === 10);
    await until("5 PUSH_ACKs", () => status().pushAcked === 5);
    const unacked = server.of(ID.PUSH_DATA).filter((_, i) => i % 2 === 1);
    const pushAck = (t: number) => new Uint8Array([2, t >> 8, t & 0xff, ID.PUSH_ACK]);
    time.advance(999);
    server.sendRaw(pushAck(unacked[0].token)); // just in time
    await until("the in-time PUSH_ACK", () => status().pushAcked === 6);
    time.advance(1);
    assert.equal(status().pushUnacked, 4);
    server.sendRaw(pushAck(unacked[1].token)); // too late: counted as unacknowledged already
    await until("the late PUSH_ACK", () => status().dropped.token_mismatch === 1);
    assert.equal(status().pushAcked, 6);
    assert.equal(status().pushSent, 10);
  } finally {
    await rig.close();
  }
});

test("downlink: Class A tmst passes through across the 32-bit wrap, and every TX_ACK case is answered", async () => {
  const rig = await openRig();
  try {
    const { server, forwarder, scheduler } = rig;
    forwarder.uplink(uplink({ tmst: 0xffffff00, freq: 867_500_000, datarate: { sf: 9, bw: 125 } }));
    await server.waitFor("the uplink", () => server.of(ID.PUSH_DATA).length === 1);
    const rx = server.of(ID.PUSH_DATA)[0].json.rxpk[0];
    const rx1 = (rx.tmst + 1_000_000) % TWO_POW_32; // what a server does for RX1
    assert.equal(rx1, 999_744);

    let token = 0x4000;
    async function exchange(body: string): Promise<unknown> {
      const t = ++token;
      server.sendPullResp(t, body);
      await server.waitFor(`TX_ACK ${t}`, () => server.of(ID.TX_ACK).some((d) => d.token === t));
      const ack = server.of(ID.TX_ACK).find((d) => d.token === t)!;
      assert.equal(ack.euiHex, EUI_HEX);
      return ack.json;
    }
    const payload = randomBytes(17);
    const rx1Body = (overrides: Record<string, unknown> = {}) =>
      JSON.stringify({
        txpk: { tmst: rx1, freq: rx.freq, rfch: 0, powe: 14, modu: "LORA", datr: rx.datr, codr: rx.codr, ipol: true, size: 17, data: payload.toString("base64"), ...overrides },
      });

    const queueAnswers = ["NONE", "TOO_LATE", "TOO_EARLY", "COLLISION_PACKET", "COLLISION_BEACON", "TX_FREQ"] as const;
    for (const code of queueAnswers) {
      scheduler.next = { code };
      assert.deepEqual(await exchange(rx1Body()), { txpk_ack: { error: code } }, code);
      const req: DownlinkRequest = scheduler.requests[scheduler.requests.length - 1];
      assert.deepEqual(req.timing, { kind: "tmst", tmst: 999_744 });
      assert.equal(req.freqHz, 867_500_000);
      assert.deepEqual(req.datarate, { sf: 9, bw: 125 });
      assert.equal(req.codingRate, "4/5");
      assert.equal(req.invertIq, true);
      assert.equal(req.powerDbm, 14);
      assert.equal(req.preamble, 8);
      assert.equal(req.crc, true);
      assert.deepEqual(Buffer.from(req.payload), payload);
    }
    assert.equal(scheduler.requests.length, queueAnswers.length);

    scheduler.next = { code: "TX_POWER", powerUsedDbm: 10 };
    assert.deepEqual(await exchange(rx1Body()), { txpk_ack: { warn: "TX_POWER", value: 10 } });

    // The forwarder's own checks against the region: frequency (queue not asked) and power (clamped).
    scheduler.next = { code: "NONE" };
    const asked = scheduler.requests.length;
    assert.deepEqual(await exchange(rx1Body({ freq: 915.0 })), { txpk_ack: { error: "TX_FREQ" } });
    assert.equal(scheduler.requests.length, asked, "an out-of-region frequency never reaches the queue");
    assert.deepEqual(await exchange(rx1Body({ powe: 30 })), { txpk_ack: { warn: "TX_POWER", value: 27 } });
    assert.equal(scheduler.requests[scheduler.requests.length - 1].powerDbm, 27);
    assert.deepEqual(await exchange(rx1Body({ powe: undefined })), { txpk_ack: { error: "NONE" } });
    assert.equal(scheduler.requests[scheduler.requests.length - 1].powerDbm, 27, "no powe: the region's maximum");
    assert.deepEqual(await exchange(rx1Body({ tmst: undefined, imme: true })), { txpk_ack: { error: "NONE" } });
    assert.deepEqual(scheduler.requests[scheduler.requests.length - 1].timing, { kind: "immediate" });
    const beforeGps = scheduler.requests.length;
    assert.deepEqual(await exchange(rx1Body({ tmst: undefined, tmms: 1_400_000_000_000 })), { txpk_ack: { error: "GPS_UNLOCKED" } });
    assert.equal(scheduler.requests.length, beforeGps);

    // A queue that throws or answers nonsense: no TX_ACK, counted, and the next downlink still works.
    const status = () => forwarder.status().servers[0];
    scheduler.next = () => {
      throw new Error("queue exploded");
    };
    server.sendPullResp(0x7777, rx1Body());
    await until("the throwing queue counted", () => status().internalErrors === 1);
    scheduler.next = { code: "MAYBE" as "NONE" };
    server.sendPullResp(0x7778, rx1Body());
    await until("the nonsense answer counted", () => status().internalErrors === 2);
    scheduler.next = { code: "NONE" };
    assert.deepEqual(await exchange(rx1Body()), { txpk_ack: { error: "NONE" } });
    assert.equal(server.of(ID.TX_ACK).filter((d) => d.token === 0x7777 || d.token === 0x7778).length, 0);

    const acks = status().txAcks;
    assert.deepEqual(acks, {
      NONE: 4,
      TOO_LATE: 1,
      TOO_EARLY: 1,
      COLLISION_PACKET: 1,
      COLLISION_BEACON: 1,
      TX_FREQ: 2,
      TX_POWER: 2,
      GPS_UNLOCKED: 1,
    });
    assert.equal(server.of(ID.TX_ACK).length, 13);
  } finally {
    await rig.close();
  }
});

test("two servers: uplinks reach both, each TX_ACK goes to the server that asked, strangers are dropped", async () => {
  const rig = await openRig({ servers: 2 });
  try {
    const [a, b] = rig.servers;
    const status = (i: number) => rig.forwarder.status().servers[i];
    rig.forwarder.uplink(uplink());
    await a.waitFor("uplink at A", () => a.of(ID.PUSH_DATA).length === 1);
    await b.waitFor("uplink at B", () => b.of(ID.PUSH_DATA).length === 1);
    assert.equal(a.of(ID.PUSH_DATA)[0].text, b.of(ID.PUSH_DATA)[0].text);

    b.sendPullResp(0xb0b0, classA(5_000_000));
    await b.waitFor("TX_ACK at B", () => b.of(ID.TX_ACK).length === 1);
    a.sendPullResp(0xa0a0, classA(6_000_000));
    await a.waitFor("TX_ACK at A", () => a.of(ID.TX_ACK).length === 1);
    assert.equal(a.of(ID.TX_ACK)[0].token, 0xa0a0);
    assert.equal(b.of(ID.TX_ACK)[0].token, 0xb0b0);
    assert.equal(b.of(ID.TX_ACK).length, 1);

    // B writes to A's socket: right address, wrong port.
    b.sendRaw(new Uint8Array([2, 0, 0, ID.PULL_ACK]), a.gateway());
    await until("the stranger dropped", () => status(0).dropped.unknown_source === 1);
    assert.equal(status(1).dropped.unknown_source, 0);
    assert.equal(rig.scheduler.requests.length, 2);
  } finally {
    await rig.close();
  }
});
