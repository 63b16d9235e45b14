// More than 10,000 malformed datagrams into one server session: nothing throws, and every datagram
// is counted exactly once - accepted or dropped under a reason. For the classes built to fail one
// way, the reason is known in advance (bad JSON is decided by Node's own JSON.parse); random and
// mutated datagrams may land anywhere, but must land somewhere. A smaller batch goes through a real
// UDP socket on 127.0.0.1 to prove the socket path counts the same way.

import { test } from "node:test";
import assert from "node:assert/strict";
import { GwmpClient } from "../modules/forwarder/client.js";
import type { DropReason } from "../modules/forwarder/gwmp.js";
import type { BufferSource, Datagram, UDP, UDPOptions } from "../modules/host/provider.js";
import type { ForwarderHost } from "../modules/forwarder/types.js";
import { MemoryResolver } from "./support/resolver-memory.js";
import { VirtualTime } from "./support/virtual-time.js";
import { ScriptedScheduler, LIMITS, openRig } from "./support/forwarder-rig.js";
import { ID, until } from "./support/gwmp-server.js";

/** Small seeded PRNG (mulberry32) so a failing run can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    bytes: (n: number) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
  };
}

const SERVER = { address: "127.0.0.1", portUp: 1700, portDown: 1700 };
const VALID_TXPK = {
  tmst: 123456789,
  freq: 868.1,
  rfch: 0,
  powe: 14,
  modu: "LORA",
  datr: "SF7BW125",
  codr: "4/5",
  ipol: true,
  size: 4,
  data: "AQIDBA==",
};
const NUMBER_FIELDS = ["tmst", "freq", "rfch", "powe", "prea", "size"];
const BOOLEAN_FIELDS = ["imme", "ipol", "ncrc", "nhdr"];
const STRING_FIELDS = ["modu", "datr", "codr", "data"];
const MANDATORY = ["tmst", "freq", "rfch", "modu", "datr", "codr", "size", "data"];

function pullResp(token: number, body: string | Uint8Array): Uint8Array {
  const text = typeof body === "string" ? new Uint8Array(Buffer.from(body, "utf8")) : body;
  const out = new Uint8Array(4 + text.length);
  out.set([2, token >> 8, token & 0xff, ID.PULL_RESP]);
  out.set(text, 4);
  return out;
}

function jsonRejects(text: string): boolean {
  try {
    const v = JSON.parse(text);
    return typeof v !== "object" || v === null || Array.isArray(v);
  } catch {
    return true;
  }
}

test("fuzz: 13,500 malformed datagrams, no throw, every one counted under the expected reason", () => {
  const seed = Date.now() >>> 0;
  const rnd = prng(seed);
  const writes: Uint8Array[] = [];
  class CaptureUDP implements UDP {
    constructor(_options: UDPOptions) {}
    read(): Datagram | undefined {
      return undefined;
    }
    write(buffer: BufferSource, _address: string, _port: number): void {
      writes.push(new Uint8Array(buffer as Uint8Array));
    }
    close(): void {}
  }
  const time = new VirtualTime(1_000_000, Date.UTC(2025, 0, 1));
  const logs: string[] = [];
  const host: ForwarderHost = {
    io: { UDP: CaptureUDP },
    dns: new MemoryResolver((fn) => void time.timers.set(fn, 0)),
    clock: time.clock,
    timers: time.timers,
    random: (b) => b.set(rnd.bytes(b.length)),
    log: (level, _source, message) => logs.push(`${level} ${message}`),
  };
  const scheduler = new ScriptedScheduler();
  const eui = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  const client = new GwmpClient(SERVER, { eui, keepaliveMs: 10_000, statIntervalMs: 30_000, pushAckTimeoutMs: 1000, forwardCrcErrors: false }, { host, scheduler, txLimits: () => LIMITS });
  client.start();
  time.advance(0); // the server's address resolves; the first PULL_DATA goes out
  const pullToken = (writes[0][1] << 8) | writes[0][2];

  let fed = 0;
  const expected: Partial<Record<DropReason, number>> = {};
  const feed = (bytes: Uint8Array, reason: DropReason | undefined, from = { address: SERVER.address, port: SERVER.portUp }) => {
    client.receive(bytes, from.address, from.port);
    fed++;
    if (reason) expected[reason] = (expected[reason] ?? 0) + 1;
  };
  const token = () => {
    for (;;) {
      const t = rnd.int(65536);
      if (t !== pullToken) return t;
    }
  };
  const validBody = () => JSON.stringify({ txpk: VALID_TXPK });

  // 1. Too short to hold a header.
  for (let i = 0; i < 1000; i++) feed(rnd.bytes(rnd.int(4)), "short");
  // 2. Any version but 2.
  for (let i = 0; i < 1000; i++) {
    const d = pullResp(token(), validBody());
    d[0] = rnd.pick([0, 1, 3, 0x7b, 0xff]);
    feed(d, "version");
  }
  // 3. Identifiers a server never sends.
  for (let i = 0; i < 1000; i++) {
    const d = rnd.bytes(4 + rnd.int(40));
    d[0] = 2;
    d[3] = rnd.pick([0, 2, 5, 6, 7, 0x10, 0x80, 0xff]);
    feed(d, "unknown_id");
  }
  // 4. Oversize.
  for (let i = 0; i < 500; i++) {
    const d = rnd.bytes(1025 + rnd.int(3000));
    d[0] = 2;
    d[3] = ID.PULL_RESP;
    feed(d, "oversize");
  }
  // 5. ACKs whose token matches nothing outstanding.
  for (let i = 0; i < 1000; i++) {
    const t = token();
    feed(Uint8Array.of(2, t >> 8, t & 0xff, rnd.pick([ID.PUSH_ACK, ID.PULL_ACK])), "token_mismatch");
  }
  // 6. Well-formed, but from somewhere else.
  for (let i = 0; i < 500; i++) {
    const from = rnd.int(2) ? { address: "127.0.0.2", port: 1700 } : { address: "127.0.0.1", port: 1 + rnd.int(1699) };
    feed(pullResp(token(), validBody()), "unknown_source", from);
  }
  // 7. Bodies Node's JSON.parse refuses (or that are not objects): mutated, truncated, random.
  let made = 0;
  while (made < 1500) {
    const base = validBody();
    let text: string;
    switch (rnd.int(5)) {
      case 0:
        text = base.slice(0, rnd.int(base.length));
        break;
      case 1: {
        const at = rnd.int(base.length);
        text = base.slice(0, at) + rnd.pick(["{", "}", "[", "]", ",", ":", '"', "\\", "x", "'", " 1", "\u0001"]) + base.slice(at);
        break;
      }
      case 2: {
        const at = rnd.int(base.length);
        text = base.slice(0, at) + base.slice(at + 1 + rnd.int(3));
        break;
      }
      case 3:
        text = rnd.pick(["[]", "null", "1", '"txpk"', "true", "[{}]", "{}x", "{,}", '{"txpk":{}}}']);
        break;
      default:
        text = Buffer.from(rnd.bytes(1 + rnd.int(300))).toString("latin1");
    }
    const bytes = new Uint8Array(Buffer.from(text, "utf8"));
    if (bytes.length > 1020 || !jsonRejects(Buffer.from(bytes).toString("utf8"))) continue;
    feed(pullResp(token(), bytes), "bad_json");
    made++;
  }
  // 8. One field of the wrong JSON type.
  const wrongFor = (key: string): unknown[] => {
    if (NUMBER_FIELDS.includes(key)) return ["12", true, [1], { n: 1 }];
    if (BOOLEAN_FIELDS.includes(key)) return [1, "true", [true], {}];
    return [7, false, ["x"], { s: "x" }];
  };
  const allFields = [...NUMBER_FIELDS, ...BOOLEAN_FIELDS, ...STRING_FIELDS];
  for (let i = 0; i < 1500; i++) {
    const key = rnd.pick(allFields);
    // null is "absent" for optional fields and for tmst (imme or tmms may stand in), a wrong type elsewhere.
    const value = rnd.int(5) === 0 && MANDATORY.includes(key) && key !== "tmst" ? null : rnd.pick(wrongFor(key));
    feed(pullResp(token(), JSON.stringify({ txpk: { ...VALID_TXPK, [key]: value } })), "wrong_type");
  }
  // 9. A mandatory field (or the txpk object) missing.
  for (let i = 0; i < 1000; i++) {
    const key = rnd.pick([...MANDATORY, "txpk"]);
    const body = key === "txpk" ? JSON.stringify({ rxpk: VALID_TXPK }) : JSON.stringify({ txpk: { ...VALID_TXPK, [key]: undefined } });
    feed(pullResp(token(), body), "missing_field");
  }
  // 10. Right types, impossible values.
  const badValues: [string, unknown][] = [
    ["tmst", -5],
    ["tmst", 4294967296],
    ["freq", 0],
    ["powe", 3.5],
    ["modu", "GFSK"],
    ["datr", "SF7BW124"],
    ["datr", "SF14BW125"],
    ["codr", "5/4"],
    ["size", 5],
    ["data", "@@@@"],
    ["prea", 70000],
  ];
  for (let i = 0; i < 500; i++) {
    const [key, value] = rnd.pick(badValues);
    feed(pullResp(token(), JSON.stringify({ txpk: { ...VALID_TXPK, [key]: value } })), "bad_value");
  }
  // Each built class landed under its own reason, and nowhere else.
  const built = client.status();
  for (const reason of Object.keys(built.dropped) as DropReason[]) {
    assert.equal(built.dropped[reason], expected[reason] ?? 0, `${reason} (seed ${seed})`);
  }
  assert.equal(built.accepted.pullResp + built.accepted.pullAck + built.accepted.pushAck, 0);

  // 11. Random bytes of any length, version byte forced half the time.
  for (let i = 0; i < 2000; i++) {
    const d = rnd.bytes(rnd.int(1100));
    if (d.length > 0 && rnd.int(2)) d[0] = 2;
    feed(d, undefined);
  }
  // 12. Valid datagrams with 1..3 bytes changed.
  for (let i = 0; i < 2000; i++) {
    const d = rnd.pick([
      () => pullResp(token(), validBody()),
      () => Uint8Array.of(2, pullToken >> 8, pullToken & 0xff, ID.PULL_ACK),
      () => Uint8Array.of(2, 0, 0, ID.PUSH_ACK),
    ])();
    for (let k = 1 + rnd.int(3); k > 0; k--) d[rnd.int(d.length)] = rnd.int(256);
    feed(d, undefined);
  }

  const s = client.status();
  const message = `seed ${seed}`;
  assert.equal(fed, 13_500, message);
  assert.equal(s.datagramsReceived, fed, message);
  const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
  const accepted = s.accepted.pushAck + s.accepted.pullAck + s.accepted.pullResp;
  assert.equal(accepted + dropped, fed, `every datagram counted once (${message})`);
  assert.equal(s.internalErrors, 0, message);
  const txAcks = Object.values(s.txAcks).reduce((a, b) => a + b, 0);
  assert.equal(txAcks, s.accepted.pullResp, "every accepted PULL_RESP, and only those, got a TX_ACK");
  assert.equal(writes.filter((w) => w[3] === ID.TX_ACK).length, txAcks);

  // The log got a bounded number of lines, then one summary with the exact remainder.
  const dropLines = logs.filter((l) => l.includes("dropped datagram")).length;
  assert.equal(dropLines, 20);
  time.advance(30_000);
  assert.ok(logs.some((l) => l === `warn 127.0.0.1:1700 ${dropped - 20} more dropped datagrams were not logged`), message);
});

test("fuzz through a real UDP socket: each datagram arrives and is counted once", async () => {
  const rig = await openRig();
  try {
    const rnd = prng(12345);
    const status = () => rig.forwarder.status().servers[0];
    const base = status().datagramsReceived;
    let sent = 0;
    for (let chunk = 0; chunk < 8; chunk++) {
      for (let i = 0; i < 50; i++) {
        const kind = rnd.int(4);
        const d =
          kind === 0
            ? rnd.bytes(rnd.int(600))
            : kind === 1
              ? pullResp(rnd.int(65536), "{not json")
              : kind === 2
                ? pullResp(rnd.int(65536), JSON.stringify({ txpk: { ...VALID_TXPK, size: "4" } }))
                : rnd.bytes(1025 + rnd.int(500));
        rig.server.sendRaw(d);
        sent++;
      }
      await until(`chunk ${chunk}`, () => status().datagramsReceived === base + sent);
    }
    const s = status();
    const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
    const accepted = s.accepted.pushAck + s.accepted.pullAck + s.accepted.pullResp;
    assert.equal(s.datagramsReceived, base + 400);
    assert.equal(accepted + dropped, s.datagramsReceived);
    assert.equal(s.internalErrors, 0);
  } finally {
    await rig.close();
  }
});
