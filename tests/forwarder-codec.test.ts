// GWMP v2 codec checks against the protocol's published examples: header bytes from
// spec/radio-and-wire.md D.1, rxpk examples from D.2 and Lora-net/packet_forwarder PROTOCOL.TXT,
// txpk examples from PROTOCOL.TXT section 6, TX_ACK forms from helium/semtech-udp's tests.
// Expected values are literals or decoded with Node's Buffer and JSON.parse.

import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeDownstream, encodePullData, encodePushData, encodeTxAck } from "../modules/forwarder/gwmp.js";
import { gatewayEuiFromMac, parseGatewayEui, formatGatewayEui } from "../modules/forwarder/eui.js";
import { parsePullRespBody, type TxPacket } from "../modules/forwarder/txpk.js";
import { checkUplink, formatMHz, rxpkJson, statJson, txAckJson } from "../modules/forwarder/upstream.js";
import { parseForwarderConfig, parseServerSpec, usesForwarder, usesHelium } from "../modules/forwarder/config.js";
import { readJsonObject } from "../modules/forwarder/bounded-json.js";
import type { UplinkEvent } from "../modules/forwarder/types.js";

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/ /g, ""), "hex"));
const EUI = hex("AA555A0000000000");

test("datagram headers match the spec's examples (token 0x1234, EUI AA555A0000000000)", () => {
  const body = "{}";
  assert.equal(Buffer.from(encodePushData(0x1234, EUI, body)).toString("hex"), "021234" + "00" + "aa555a0000000000" + "7b7d");
  assert.equal(Buffer.from(encodePullData(0x1234, EUI)).toString("hex"), "02123402aa555a0000000000");
  assert.equal(Buffer.from(encodeTxAck(0xbeef, EUI, body)).toString("hex"), "02beef05aa555a0000000000" + "7b7d");
  assert.deepEqual(decodeDownstream(hex("02 12 34 01")), { kind: "push_ack", token: 0x1234 });
  assert.deepEqual(decodeDownstream(hex("02 12 34 04")), { kind: "pull_ack", token: 0x1234 });
  const resp = decodeDownstream(hex("02 ab cd 03 7b 7d"));
  assert.equal(resp.kind, "pull_resp");
  assert.equal(resp.kind === "pull_resp" && resp.token, 0xabcd);
  assert.deepEqual(resp.kind === "pull_resp" && [...resp.json], [0x7b, 0x7d]);
  assert.throws(() => encodePushData(1, EUI, `{"a":"é"}`), RangeError);
});

test("bad headers are classified", () => {
  const reason = (b: Uint8Array) => {
    const d = decodeDownstream(b);
    return d.kind === "drop" ? d.reason : d.kind;
  };
  assert.equal(reason(hex("")), "short");
  assert.equal(reason(hex("02 12 34")), "short");
  assert.equal(reason(hex("01 12 34 01")), "version");
  for (const id of [0x00, 0x02, 0x05, 0x06, 0xff]) assert.equal(reason(new Uint8Array([2, 0, 0, id])), "unknown_id");
  assert.equal(reason(new Uint8Array(1025).fill(2)), "oversize");
});

test("gateway EUI: MAC[0..2] FF FE MAC[3..5], or configured", () => {
  assert.equal(formatGatewayEui(gatewayEuiFromMac(hex("240ac4123456"))), "240AC4FFFE123456");
  assert.equal(formatGatewayEui(parseGatewayEui("aa:55:5a:00:00:00:00:01")!), "AA555A0000000001");
  assert.equal(parseGatewayEui("AA555A00000000"), undefined);
  assert.equal(parseGatewayEui("AA555A000000000G"), undefined);
  assert.throws(() => gatewayEuiFromMac(hex("0102")), RangeError);
});

// ---------------------------------------------------------------- rxpk

/** Quoted: spec/radio-and-wire.md D.2 (= PROTOCOL.TXT first example) and PROTOCOL.TXT's third example. */
const RXPK_EXAMPLES = [
  `{"time":"2013-03-31T16:21:17.528002Z","tmst":3512348611,"chan":2,"rfch":0,"freq":866.349812,"stat":1,"modu":"LORA","datr":"SF7BW125","codr":"4/6","rssi":-35,"lsnr":5.1,"size":32,"data":"-DS4CGaDCdG+48eJNM3Vai-zDpsR71Pn9CPA9uCON84"}`,
  `{"time":"2013-03-31T16:21:17.532038Z","tmst":3316387610,"chan":0,"rfch":0,"freq":863.00981,"stat":1,"modu":"LORA","datr":"SF10BW125","codr":"4/7","rssi":-38,"lsnr":5.5,"size":32,"data":"ysgRl452xNLep9S1NTIg2lomKDxUgn3DJ7DE+b00Ass"}`,
];

test("rxpk written for the spec's example packets decodes to the examples' values", () => {
  for (const example of RXPK_EXAMPLES) {
    const e = JSON.parse(example);
    const [, sf, bw] = /^SF(\d+)BW(\d+)$/.exec(e.datr)!;
    const event: UplinkEvent = {
      payload: new Uint8Array(Buffer.from(e.data, "base64")),
      tmst: e.tmst,
      rssi: e.rssi,
      snr: e.lsnr,
      freq: Math.round(e.freq * 1e6),
      datarate: { sf: Number(sf), bw: Number(bw) },
      crcOk: e.stat === 1,
      codingRate: e.codr,
    };
    assert.equal(checkUplink(event), undefined);
    const timeMicros = Date.parse(e.time.slice(0, 23) + "Z") * 1000 + Number(e.time.slice(23, 26));
    const ours = JSON.parse(rxpkJson(event, timeMicros));
    // A single-channel board always reports IF channel 0.
    assert.deepEqual({ ...ours, chan: e.chan, data: undefined }, { ...e, data: undefined });
    assert.deepEqual(Buffer.from(ours.data, "base64"), Buffer.from(e.data, "base64"));
    assert.equal(ours.data, Buffer.from(e.data, "base64").toString("base64"), "data is standard, padded base64");
  }
});

test("rxpk number formats: freq with 6 decimals, integer rssi, lsnr to 0.1 dB, no time without a wall clock", () => {
  for (let i = 0; i < 2000; i++) {
    const hz = 100_000_000 + Math.floor(Math.random() * 900_000_000);
    assert.equal(formatMHz(hz), (hz / 1e6).toFixed(6));
  }
  const event: UplinkEvent = {
    payload: new Uint8Array([1, 2, 3]),
    tmst: 0xffffffff,
    rssi: -120.6,
    snr: -0.04,
    freq: 868_100_000,
    datarate: { sf: 12, bw: 125 },
    crcOk: false,
    codingRate: "4/5",
  };
  const text = rxpkJson(event, undefined);
  assert.equal(
    text,
    `{"tmst":4294967295,"chan":0,"rfch":0,"freq":868.100000,"stat":-1,"modu":"LORA","datr":"SF12BW125","codr":"4/5","rssi":-121,"lsnr":0.0,"size":3,"data":"AQID"}`,
  );
  // Halves round away from zero, as C's roundf in the reference forwarder.
  assert.equal(JSON.parse(rxpkJson({ ...event, snr: -7.25 }, undefined)).lsnr, -7.3);
  assert.equal(JSON.parse(rxpkJson({ ...event, snr: 7.25 }, undefined)).lsnr, 7.3);
  assert.equal(JSON.parse(rxpkJson({ ...event, rssi: -120.5 }, undefined)).rssi, -121);
});

test("malformed uplink events are refused with a reason", () => {
  const good: UplinkEvent = {
    payload: new Uint8Array(10),
    tmst: 1,
    rssi: -50,
    snr: 5,
    freq: 915_000_000,
    datarate: { sf: 7, bw: 125 },
    crcOk: true,
    codingRate: "4/5",
  };
  assert.equal(checkUplink(good), undefined);
  const bad: Partial<Record<keyof UplinkEvent, unknown>>[] = [
    { payload: new Uint8Array(256) },
    { payload: [1, 2] },
    { tmst: -1 },
    { tmst: 2 ** 32 },
    { tmst: 1.5 },
    { freq: 915.0e6 + 0.5 },
    { rssi: NaN },
    { snr: Infinity },
    { datarate: { sf: 13, bw: 125 } },
    { datarate: { sf: 7, bw: 125000 } },
    { codingRate: "4/9" },
    { crcOk: 1 },
  ];
  for (const change of bad) assert.equal(typeof checkUplink({ ...good, ...change } as UplinkEvent), "string", JSON.stringify(change));
});

// ---------------------------------------------------------------- stat and TX_ACK

test("stat matches PROTOCOL.TXT's example (without the GPS fields)", () => {
  const example = JSON.parse(
    `{"stat":{"time":"2014-01-12 08:59:28 GMT","lati":46.24000,"long":3.25230,"alti":145,"rxnb":2,"rxok":2,"rxfw":2,"ackr":100.0,"dwnb":2,"txnb":2}}`,
  );
  delete example.stat.lati;
  delete example.stat.long;
  delete example.stat.alti;
  const text = statJson({ rxnb: 2, rxok: 2, rxfw: 2, pushSettled: 2, pushAcked: 2, dwnb: 2, txnb: 2 }, Date.UTC(2014, 0, 12, 8, 59, 28, 999));
  assert.deepEqual(JSON.parse(text), example);
  assert.match(text, /"ackr":100\.0,/);
  const partial = statJson({ rxnb: 0, rxok: 0, rxfw: 0, pushSettled: 3, pushAcked: 1, dwnb: 0, txnb: 0 }, 0);
  assert.equal(JSON.parse(partial).stat.ackr, 33.3);
  assert.equal(JSON.parse(partial).stat.time, "1970-01-01 00:00:00 GMT");
});

test("txpk_ack bodies: errors by name, TX_POWER as a warning with the power used", () => {
  // The TX_POWER form is the one helium/semtech-udp's tx_ack.rs test expects from sx1302_hal.
  assert.equal(txAckJson("TX_POWER", 27), `{"txpk_ack":{"warn":"TX_POWER","value":27}}`);
  for (const code of ["NONE", "TOO_LATE", "TOO_EARLY", "COLLISION_PACKET", "COLLISION_BEACON", "TX_FREQ", "GPS_UNLOCKED"] as const) {
    assert.deepEqual(JSON.parse(txAckJson(code)), { txpk_ack: { error: code } });
  }
});

// ---------------------------------------------------------------- txpk

const body = (txpk: object | string) => new Uint8Array(Buffer.from(typeof txpk === "string" ? txpk : JSON.stringify({ txpk })));

function packetOf(txpk: object | string): TxPacket {
  const r = parsePullRespBody(body(txpk));
  if (r.kind !== "packet") throw new Error(`expected a packet, got ${JSON.stringify(r)}`);
  return r.packet;
}

test("PROTOCOL.TXT's txpk examples: the LoRa one decodes field by field, the FSK one is unsupported", () => {
  const lora = `{"txpk":{"imme":true,"freq":864.123456,"rfch":0,"powe":14,"modu":"LORA","datr":"SF11BW125","codr":"4/6","ipol":false,"size":32,"data":"H3P3N2i9qc4yt7rK7ldqoeCVJGBybzPY5h1Dd7P7p8v"}}`;
  const p = packetOf(lora);
  assert.deepEqual(p.timing, { kind: "immediate" });
  assert.equal(p.freqHz, 864_123_456);
  assert.equal(p.powerDbm, 14);
  assert.deepEqual(p.datarate, { sf: 11, bw: 125 });
  assert.equal(p.codingRate, "4/6");
  assert.equal(p.invertIq, false);
  assert.equal(p.preamble, 8);
  assert.equal(p.crc, true);
  assert.deepEqual(Buffer.from(p.payload), Buffer.from("H3P3N2i9qc4yt7rK7ldqoeCVJGBybzPY5h1Dd7P7p8v", "base64"));
  assert.equal(p.payload.length, 32);

  const fsk = `{"txpk":{"imme":true,"freq":861.3,"rfch":0,"powe":12,"modu":"FSK","datr":50000,"fdev":3000,"size":32,"data":"H3P3N2i9qc4yt7rK7ldqoeCVJGBybzPY5h1Dd7P7p8v"}}`;
  const r = parsePullRespBody(body(fsk));
  assert.equal(r.kind === "drop" && r.reason, "unsupported");
});

const CLASS_A = {
  tmst: 3512348611 + 1_000_000,
  freq: 866.349812,
  rfch: 0,
  powe: 14,
  modu: "LORA",
  datr: "SF7BW125",
  codr: "4/5",
  ipol: true,
  size: 4,
  data: "AQIDBA==",
};

test("Class A txpk as gateway-rs / ChirpStack / Helium's router send it", () => {
  const p = packetOf(CLASS_A);
  assert.deepEqual(p.timing, { kind: "tmst", tmst: 3513348611 });
  assert.equal(p.freqHz, 866_349_812);
  assert.equal(p.invertIq, true);
  assert.deepEqual([...p.payload], [1, 2, 3, 4]);
  // Helium's router sends "prea":null; null is "absent" for optional fields.
  assert.equal(packetOf({ ...CLASS_A, prea: null }).preamble, 8);
  assert.equal(packetOf({ ...CLASS_A, prea: 4 }).preamble, 6);
  assert.equal(packetOf({ ...CLASS_A, prea: 12 }).preamble, 12);
  assert.equal(packetOf({ ...CLASS_A, codr: "2/3" }).codingRate, "4/6");
  assert.equal(packetOf({ ...CLASS_A, codr: "1/2" }).codingRate, "4/8");
  assert.equal(packetOf({ ...CLASS_A, ncrc: true }).crc, false);
  assert.equal(packetOf({ ...CLASS_A, powe: undefined }).powerDbm, undefined);
  assert.equal(packetOf({ ...CLASS_A, data: "AQIDBA" }).payload.length, 4, "padding is optional");
  assert.equal(packetOf({ ...CLASS_A, tmst: 0xffffffff }).timing.kind, "tmst");
  assert.deepEqual(packetOf({ ...CLASS_A, imme: false }).timing, { kind: "tmst", tmst: 3513348611 });
  assert.equal(packetOf({ ...CLASS_A, brd: 0, ant: 0, unknown: [1, { a: 2 }] }).freqHz, 866_349_812, "unknown fields are ignored");
  assert.equal(packetOf({ ...CLASS_A, note: "héllo wörld ✓" }).freqHz, 866_349_812, "non-ASCII text takes the UTF-8 path");
  const gps = parsePullRespBody(body({ ...CLASS_A, tmst: undefined, tmms: 1234567890123 }));
  assert.equal(gps.kind, "gps_time");
});

test("each txpk field: absent, wrong type and bad value are told apart", () => {
  const reason = (txpk: object | string) => {
    const r = parsePullRespBody(body(txpk));
    return r.kind === "drop" ? r.reason : r.kind;
  };
  for (const key of ["freq", "rfch", "modu", "datr", "codr", "size", "data"]) {
    assert.equal(reason({ ...CLASS_A, [key]: undefined }), "missing_field", key);
    assert.equal(reason({ ...CLASS_A, [key]: null }), "wrong_type", key);
  }
  assert.equal(reason({ ...CLASS_A, tmst: undefined }), "missing_field");
  const wrongTypes: [string, unknown][] = [
    ["tmst", "3513348611"],
    ["imme", 1],
    ["freq", "866.3"],
    ["rfch", false],
    ["powe", "14"],
    ["modu", 1],
    ["datr", 7],
    ["codr", ["4/5"]],
    ["ipol", "true"],
    ["prea", true],
    ["size", "4"],
    ["data", { b: 1 }],
    ["ncrc", 0],
    ["nhdr", "no"],
    ["tmms", "x"],
  ];
  for (const [key, value] of wrongTypes) {
    const txpk = key === "tmms" ? { ...CLASS_A, tmst: undefined, tmms: value } : { ...CLASS_A, [key]: value };
    assert.equal(reason(txpk), "wrong_type", key);
  }
  const badValues: [string, unknown][] = [
    ["tmst", -1],
    ["tmst", 2 ** 32],
    ["tmst", 1.5],
    ["freq", 0],
    ["freq", -868.1],
    ["powe", 14.5],
    ["powe", 1000],
    ["modu", "LoRa"],
    ["datr", "SF7BW126"],
    ["datr", "SF13BW125"],
    ["datr", "SF4BW125"],
    ["datr", "sf7bw125"],
    ["codr", "4/9"],
    ["codr", "constructor"],
    ["size", 3],
    ["size", 256],
    ["data", "AQID*A=="],
    ["data", "A".repeat(400)],
    ["prea", -1],
  ];
  for (const [key, value] of badValues) assert.equal(reason({ ...CLASS_A, [key]: value }), "bad_value", `${key}=${JSON.stringify(value)}`);
  assert.equal(reason({ ...CLASS_A, rfch: 1 }), "unsupported");
  assert.equal(reason({ ...CLASS_A, nhdr: true }), "unsupported");
  assert.equal(reason(`{"txpk":[1]}`), "wrong_type");
  assert.equal(reason(`{"txpk":"x"}`), "wrong_type");
  assert.equal(reason(`{"rxpk":{}}`), "missing_field");
  assert.equal(reason(`{"__proto__":{"txpk":1}}`), "missing_field");
  for (const text of ["", "   ", "[]", "null", "1", `"txpk"`, "{", `{"txpk":{}`, "{'txpk':{}}", `{"txpk":{}}x`]) {
    assert.equal(reason(text), "bad_json", JSON.stringify(text));
  }
});

test("the JSON reader refuses deep nesting and oversize bodies before parsing", () => {
  const deep = `{"txpk":${"[".repeat(100000)}${"]".repeat(100000)}}`;
  const r = readJsonObject(new Uint8Array(Buffer.from(deep)), 1 << 20, 4);
  assert.deepEqual(r, { ok: false, reason: "bad_json", detail: "nested deeper than 4" });
  const big = readJsonObject(new Uint8Array(2000).fill(0x20), 1020, 4);
  assert.equal(!big.ok && big.reason, "oversize");
  // Brackets inside strings (and escaped quotes) do not count as nesting.
  const ok = readJsonObject(new Uint8Array(Buffer.from(`{"a":"[[[[[[\\"[[[[","b":[[1]]}`)), 1020, 4);
  assert.equal(ok.ok, true);
  // Invalid UTF-8 inside a string is replaced, never thrown.
  const junk = readJsonObject(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xc3, 0x22, 0x7d]), 1020, 4);
  assert.equal(junk.ok, true);
});

// ---------------------------------------------------------------- config

test("configuration: defaults, modes, servers, EUI, timers", () => {
  const d = parseForwarderConfig(undefined);
  assert.ok(d.ok);
  assert.equal(d.ok && d.value.mode, "helium");
  assert.equal(usesHelium("helium") && !usesForwarder("helium"), true);
  assert.equal(!usesHelium("forwarder") && usesForwarder("forwarder"), true);
  assert.equal(usesHelium("both") && usesForwarder("both"), true);

  const c = parseForwarderConfig({ mode: "both", servers: ["127.0.0.1:1680", { address: "10.0.0.2", portUp: 1780, portDown: 1782 }], gatewayEui: "AA555A0000000000" });
  assert.ok(c.ok);
  assert.deepEqual(c.ok && c.value.servers, [
    { address: "127.0.0.1", portUp: 1680, portDown: 1680 },
    { address: "10.0.0.2", portUp: 1780, portDown: 1782 },
  ]);
  assert.equal(c.ok && c.value.keepaliveMs, 10_000);
  assert.equal(c.ok && c.value.statIntervalMs, 30_000);

  const errors = [
    "x",
    { mode: "lns" },
    { mode: "forwarder" },
    { mode: "forwarder", servers: "127.0.0.1:1700" },
    { mode: "forwarder", servers: ["127.0.0.1:1700", "127.0.0.1:1701", "127.0.0.1:1702"] },
    { mode: "forwarder", servers: ["bad_name:1700"] },
    { mode: "forwarder", servers: [{ address: "-lns.example", portUp: 1700 }] },
    { mode: "forwarder", servers: ["127.0.0.1:0"] },
    { mode: "forwarder", servers: ["127.0.0.1:70000"] },
    { mode: "forwarder", servers: [{ address: "127.0.0.1", portUp: "1700" }] },
    { mode: "forwarder", servers: ["127.0.0.1:1700"], gatewayEui: "AA55" },
    { mode: "forwarder", servers: ["127.0.0.1:1700"], keepaliveMs: 0 },
    { mode: "forwarder", servers: ["127.0.0.1:1700"], statIntervalMs: 1.5 },
    { mode: "forwarder", servers: ["127.0.0.1:1700"], forwardCrcErrors: "yes" },
  ];
  for (const e of errors) {
    const r = parseForwarderConfig(e);
    assert.equal(r.ok, false, JSON.stringify(e));
    assert.equal(typeof (!r.ok && r.error), "string");
  }
  assert.deepEqual(parseServerSpec("192.168.1.10:1700:1701"), { ok: true, value: { address: "192.168.1.10", portUp: 1700, portDown: 1701 } });
  // A name is resolved later (HostProvider.dns), so it is taken as it is.
  assert.deepEqual(parseServerSpec("eu1.cloud.thethings.network:1700"), { ok: true, value: { address: "eu1.cloud.thethings.network", portUp: 1700, portDown: 1700 } });
  assert.deepEqual(parseServerSpec("localhost:1680"), { ok: true, value: { address: "localhost", portUp: 1680, portDown: 1680 } });
  for (const bad of ["1700", "256.1.1.1:1700", "1.2.3:1700", "1.2.3.4:", "1.2.3.4:17a0", "1.2.3.4:1:2:3", "bad_name:1700", "a..b:1700", "-a.b:1700", ":1700"])
    assert.equal(parseServerSpec(bad).ok, false, bad);
});

