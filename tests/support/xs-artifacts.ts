// Checks, on Node, what the XS suites produced on the XS engine (the "artifact <kind> <JSON>" lines
// of tests/xs/network.xs.ts) with independent implementations: protobufjs over our .proto files
// decodes every message, @noble/curves verifies every signature over protobufjs' own re-encoding
// of the unsigned message, and the beacon must equal the reference beacon (@noble SHA-256 and
// ChaCha12). Expected field values come from the fixtures the XS run was given.
import { ed25519 } from "@noble/curves/ed25519.js";
import { heliumEnum, loadOurProtos } from "./helium-protos.js";
import { referenceBeacon } from "./reference-beacon.js";
import type { XsFixtures } from "./xs-fixtures.js";

export interface ArtifactCheck {
  name: string;
  /** Why the check failed; undefined when it passed. */
  problem?: string;
}

type Plain = Record<string, any>;
const protos = loadOurProtos(true);
const DATA_RATE = heliumEnum("helium.data_rate") as Record<string, number>;
const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function decode(type: string, data: Uint8Array): Plain {
  const t = protos.lookupType(type);
  return t.toObject(t.decode(data), { longs: String, defaults: false }) as Plain;
}

/** protobufjs' encoding of `message` without its signature: the bytes the signer signed. */
function unsigned(type: string, message: Plain): Uint8Array {
  const t = protos.lookupType(type);
  const copy = { ...message };
  delete copy.signature;
  return t.encode(t.fromObject(copy)).finish();
}

class Mismatch extends Error {}
function same(actual: unknown, expected: unknown, what: string): void {
  const a = actual instanceof Uint8Array || Array.isArray(actual) ? hex(Uint8Array.from(actual as ArrayLike<number>)) : String(actual);
  const e = expected instanceof Uint8Array || Array.isArray(expected) ? hex(Uint8Array.from(expected as ArrayLike<number>)) : String(expected);
  if (a !== e) throw new Mismatch(`${what}: expected ${e}, got ${a}`);
}
function signedBy(type: string, message: Plain, publicKeyBin: Uint8Array, what: string): void {
  same(publicKeyBin.length, 33, `${what}: key length`);
  let valid = false;
  try {
    valid = ed25519.verify(Uint8Array.from(message.signature ?? []), unsigned(type, message), publicKeyBin.subarray(1));
  } catch {
    valid = false;
  }
  if (!valid) throw new Mismatch(`${what}: the signature does not verify (@noble/curves)`);
}

/** Parses the artifact lines of an XS run. */
export function parseArtifacts(stdout: string): { kind: string; fields: Plain }[] {
  const out: { kind: string; fields: Plain }[] = [];
  for (const line of stdout.split("\n")) {
    const m = /^artifact (\S+) (.*)$/.exec(line);
    if (m) out.push({ kind: m[1], fields: JSON.parse(m[2]) as Plain });
  }
  return out;
}

export function checkXsArtifacts(stdout: string, fixtures: XsFixtures): ArtifactCheck[] {
  const all = parseArtifacts(stdout);
  const of = (kind: string) => all.filter((a) => a.kind === kind).map((a) => a.fields);
  const checks: ArtifactCheck[] = [];
  const check = (name: string, fn: () => void) => {
    try {
      fn();
      checks.push({ name });
    } catch (error) {
      checks.push({ name, problem: error instanceof Mismatch ? error.message : String(error) });
    }
  };
  const fx = fixtures.network;
  const gatewayBin = Uint8Array.from([0x01, ...ed25519.getPublicKey(bytes(fx.gatewaySeed))]);

  // ------------------------------------------------------------ packet router
  check("router: register decodes (protobufjs) with the gateway key, session_capable and the wall time, signed by the gateway key (@noble)", () => {
    const found = of("router-register");
    same(found.length, 1, "register artifacts");
    const register = decode("helium.packet_router.envelope_up_v1", bytes(found[0].envelope)).register as Plain;
    same(register.gateway, gatewayBin, "gateway");
    same(register.session_capable, true, "session_capable");
    same(register.timestamp, fx.wallMillis, "timestamp (Unix ms)");
    signedBy("helium.packet_router.packet_router_register_v1", register, gatewayBin, "register");
  });
  const routerNonce = (decode("helium.packet_router.envelope_down_v1", bytes(fx.router.offer)).session_offer as Plain).nonce as Uint8Array;
  const sessionKeys: Uint8Array[] = [];
  check("router: each session_init answers the offer's nonce with a new Ed25519 session key, signed by the gateway key", () => {
    const found = of("router-session-init");
    same(found.length, 2, "session_init artifacts (two streams)");
    for (const [i, a] of found.entries()) {
      const init = decode("helium.packet_router.envelope_up_v1", bytes(a.envelope)).session_init as Plain;
      same(init.gateway, gatewayBin, "gateway");
      same(init.nonce, routerNonce, "nonce");
      const key = Uint8Array.from(init.session_key as Uint8Array);
      same(key.length === 33 && key[0] === 0x01, true, "session key is a 33-byte mainnet Ed25519 key");
      signedBy("helium.packet_router.packet_router_session_init_v1", init, gatewayBin, `session_init ${i + 1}`);
      sessionKeys.push(key);
    }
    same(hex(sessionKeys[0]) === hex(sessionKeys[1]), false, "a new stream gets a new session key");
  });
  check("router: packet_up carries each uplink's fields and is signed by that stream's session key", () => {
    const found = of("router-packet-up");
    same(found.length, fx.router.uplinks.length + 1, "packet_up artifacts");
    for (const a of found) {
      const up = decode("helium.packet_router.envelope_up_v1", bytes(a.envelope)).packet as Plain;
      const u = fx.router.uplinks[a.index as number];
      const what = `packet_up ${a.index} (session ${a.session})`;
      same(up.payload, bytes(u.payload), `${what} payload`);
      same(up.timestamp, u.tmst, `${what} timestamp (tmst)`);
      same(up.rssi, Math.trunc(u.rssi), `${what} rssi`);
      same(up.frequency, u.frequency, `${what} frequency`);
      same(up.datarate ?? 0, u.datarate, `${what} datarate (absent = 0)`);
      same(up.snr, Math.fround(u.snr), `${what} snr`);
      same(up.region, fx.router.region, `${what} region`);
      same(up.gateway, gatewayBin, `${what} gateway`);
      // Session 1 sends at once; the uplink of session 2 waited in the queue for the reconnect (backoff 1-4 s).
      const held = Number(up.hold_time ?? 0);
      same(a.session === 1 ? held < 100 : held >= 1000 && held < 10_000, true, `${what} hold_time ${held} ms`);
      const key = sessionKeys[(a.session as number) - 1];
      if (key === undefined) throw new Mismatch(`${what}: no session key for session ${a.session}`);
      signedBy("helium.packet_router.packet_router_packet_up_v1", up, key, what);
    }
  });

  // ------------------------------------------------------------ PoC
  const pocNonce = (decode("helium.poc_lora.lora_stream_response_v1", bytes(fx.poc.offer)).offer as Plain).nonce as Uint8Array;
  let pocSession: Uint8Array | undefined;
  check("PoC: session_init answers the ingest offer, signed by the gateway key", () => {
    const found = of("poc-session-init");
    same(found.length, 1, "session_init artifacts");
    const init = decode("helium.poc_lora.lora_stream_request_v1", bytes(found[0].request)).session_init as Plain;
    same(init.pub_key, gatewayBin, "pub_key");
    same(init.nonce, pocNonce, "nonce");
    signedBy("helium.poc_lora.lora_stream_session_init_v1", init, gatewayBin, "session_init");
    pocSession = Uint8Array.from(init.session_key as Uint8Array);
  });
  check("PoC: the beacon sent equals the reference beacon of the entropy and region params; its report says so, signed by the session key", () => {
    const found = of("poc-beacon");
    same(found.length, 1, "beacon artifacts");
    const a = found[0];
    const report = decode("helium.poc_lora.lora_stream_request_v1", bytes(a.request)).beacon_report as Plain;
    same(report.pub_key, gatewayBin, "pub_key");
    same(report.remote_entropy, bytes(fx.poc.entropy.data), "remote_entropy");
    const ref = referenceBeacon(bytes(fx.poc.entropy.data), BigInt(fx.poc.entropy.timestamp), Uint8Array.from(report.local_entropy as Uint8Array), bytes(fx.poc.regionParams), fx.poc.gainX10);
    if (typeof ref === "string") throw new Mismatch(`reference beacon: ${ref}`);
    same(a.frame, Uint8Array.from([0xe0, ...ref.data]), "transmitted frame");
    same(a.frequencyHz, ref.frequency, "transmitted frequency");
    same(a.datarate, ref.datarateName, "transmitted data rate");
    same(a.powerDbm, ref.conductedPower, "requested conducted power");
    same(report.data, ref.data, "report data");
    same(report.frequency, ref.frequency, "report frequency");
    same(report.datarate ?? 0, ref.datarate, "report datarate");
    same(report.tx_power, a.usedDbm, "report tx_power (the power the radio used)");
    same(report.tmst, a.tmst, "report tmst");
    if (pocSession === undefined) throw new Mismatch("no session key");
    signedBy("helium.poc_lora.lora_beacon_report_req_v1", report, pocSession, "beacon report");
  });
  check("PoC: the witness report carries the frame and how it was heard, signed by the session key", () => {
    const found = of("poc-witness");
    same(found.length, 1, "witness artifacts");
    const w = fx.poc.witness;
    const report = decode("helium.poc_lora.lora_stream_request_v1", bytes(found[0].request)).witness_report as Plain;
    same(report.pub_key, gatewayBin, "pub_key");
    same(report.data, bytes(w.payload).subarray(1), "data (the frame without its MHDR)");
    same(report.timestamp, BigInt(found[0].wallMillis) * 1_000_000n, "timestamp (Unix ns)");
    same(report.tmst, w.tmst, "tmst");
    same(report.signal, Math.sign(w.signalRssi) * Math.round(Math.abs(w.signalRssi)) * 10, "signal (signal RSSI, whole dBm x 10)");
    same(report.snr, Math.trunc(w.snr * 10), "snr (deci-dB, truncated)");
    same(report.frequency, w.freq, "frequency");
    same(report.datarate ?? 0, DATA_RATE[w.datarate], "datarate");
    if (pocSession === undefined) throw new Mismatch("no session key");
    signedBy("helium.poc_lora.lora_witness_report_req_v1", report, pocSession, "witness report");
  });
  return checks;
}
