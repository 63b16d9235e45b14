// Where every uplink went: each uplink a simulated device sent (device + FCnt, or its join nonce)
// followed through the observers that saw it, to the first place it was lost or to its end.
//
//  1. the radio world: which hotspots' chip models received it; for the others the chip model's own
//     record of why not (collision, CRC or header error, out of range, busy transmitting, listening
//     elsewhere, locked onto another packet, not listening);
//  2. the devnet router: a packet_up with the uplink's payload hash routed, or its verdict; in
//     forwarder mode the GWMP server's acknowledgement (through the relay);
//  3. the devnet LNS: the answer it made (ACK or join-accept) or why it made none, and the router
//     writing that answer to a hotspot's stream;
//  4. the hotspot's radio: the answer on the air (the chip model), or refused and why (the hotspot's
//     own account through the app's onDownlinkOutcome: the air only says it never came);
//  5. the world again: the device accepted it, or missed it and why (its window's timing, its own
//     record of what it heard).
// Whatever has not reached its next observer when the trace is taken is `in_flight`. Reasons are
// snake_case and never "other" or "unknown".
import { createHash } from "node:crypto";
import type { Devnet } from "../devnet/devnet.js";
import type { LnsEvent } from "../devnet/lns.js";
import type { RouterEvent } from "../devnet/router.js";
import { windowFor } from "./downlink-judge.js";
import { EndDevice, inWindowTime, type UplinkRecord } from "./end-device.js";
import type { GwmpTap } from "./gwmp-tap.js";
import type { Transmission } from "./radio-world.js";
import type { SimHotspot, SimWorld } from "./world.js";

export interface UplinkTrace {
  /** "device-3 fcnt 12" or "device-4 join 1a2b" (the DevNonce). */
  id: string;
  device: EndDevice;
  uplink: UplinkRecord;
  heardBy: string[];
  /** Set when it was heard by no hotspot. */
  lostBeforeHeard?: string;
  routed: boolean;
  /** Set when it was heard but not routed. */
  lostBeforeRouted?: string;
  /** Confirmed uplinks and join requests: what became of the answer. */
  answer?: AnswerTrace;
}

export interface AnswerTrace {
  scheduled: boolean;
  notScheduled?: string;
  /** The hotspot the answer was sent through, and the window it used. */
  via?: string;
  transmitted: boolean;
  notTransmitted?: string;
  received: boolean;
  notReceived?: string;
}

/** Which hotspot reasons win when no hotspot heard an uplink: the one closest to having received it. */
const HEARD_ORDER: readonly string[] = Object.freeze([
  "in_flight", "crc_error", "header_error", "collision", "receiver_locked_on_earlier_packet", "hotspot_transmitting", "wrong_channel_or_sf", "not_listening", "out_of_range",
]);
/** After an uplink ends: the hotspot's IRQ, its signing and gRPC may still be under way. */
const ROUTING_GRACE_MICROS = 3_000_000;
/** After an answer's RX2 window opened, its transmission may still be reported. */
const TX_GRACE_MICROS = 2_000_000;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** "MIC mismatch" -> "mic_mismatch". */
export function snakeCase(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

/** The observers' records indexed once per trace. */
interface Index {
  now: number;
  hotspots: readonly SimHotspot[];
  byAddress: Map<string, SimHotspot>;
  receptions: Map<SimHotspot, Map<number, string>>;
  routerByPayload: Map<string, string[]>;
  lnsByFrame: Map<string, LnsEvent[]>;
  downlinkByAnswer: Map<string, RouterEvent>;
  onAir: Map<string, { hotspot: SimHotspot; tx: Transmission }>;
  gwmp: GwmpTap | undefined;
  devnet: Devnet | undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function index(sim: SimWorld, devnet: Devnet | undefined, gwmp: GwmpTap | undefined): Index {
  const hotspots = sim.hotspots;
  const receptions = new Map<SimHotspot, Map<number, string>>();
  const onAir = new Map<string, { hotspot: SimHotspot; tx: Transmission }>();
  for (const h of hotspots) {
    const r = new Map<number, string>();
    for (const x of h.sim.model.receptions) r.set(x.tx.id, x.outcome === "ok" ? "ok" : snakeCase(x.outcome));
    receptions.set(h, r);
    for (const t of h.sim.model.transmitted) if (t.tx.invertIq) onAir.set(sha256(t.tx.payload), { hotspot: h, tx: t.tx });
  }
  const routerByPayload = new Map<string, string[]>();
  const lnsByFrame = new Map<string, LnsEvent[]>();
  const downlinkByAnswer = new Map<string, RouterEvent>();
  if (devnet) {
    for (const p of devnet.router.packets) push(routerByPayload, p.payloadHash, p.verdict);
    for (const e of devnet.lns.events) if (e.frame !== undefined) push(lnsByFrame, e.frame, e);
    for (const e of devnet.router.events) if (e.kind === "downlink" && e.payloadHash !== undefined) downlinkByAnswer.set(e.payloadHash, e);
  }
  return {
    now: sim.o.scheduler.now(),
    hotspots,
    byAddress: new Map(hotspots.map((h) => [h.app.key.address, h])),
    receptions,
    routerByPayload,
    lnsByFrame,
    downlinkByAnswer,
    onAir,
    gwmp,
    devnet,
  };
}

/** Every uplink the devices sent, traced. */
export function traceUplinks(sim: SimWorld, devnet: Devnet | undefined, gwmp?: GwmpTap): UplinkTrace[] {
  const ix = index(sim, devnet, gwmp);
  const traces: UplinkTrace[] = [];
  for (const { device } of sim.devices) for (const up of device.uplinks) traces.push(traceOne(ix, device, up));
  return traces;
}

function uplinkId(device: EndDevice, up: UplinkRecord): string {
  return up.kind === "join" ? `${device.name} join ${(up.devNonce ?? 0).toString(16).padStart(4, "0")}` : `${device.name} fcnt ${up.fCnt}`;
}

function traceOne(ix: Index, device: EndDevice, up: UplinkRecord): UplinkTrace {
  const hash = sha256(up.tx.payload);
  const heardBy: string[] = [];
  const reasons: string[] = [];
  for (const h of ix.hotspots) {
    const outcome = hotspotOutcome(ix, h, up.tx);
    if (outcome === "ok") heardBy.push(h.name);
    else reasons.push(outcome);
  }
  const trace: UplinkTrace = { id: uplinkId(device, up), device, uplink: up, heardBy, routed: false };
  if (heardBy.length === 0) trace.lostBeforeHeard = HEARD_ORDER.find((r) => reasons.includes(r)) ?? "out_of_range";
  else {
    const loss = routingLoss(ix, hash, up, heardBy);
    trace.routed = loss === undefined;
    if (loss !== undefined) trace.lostBeforeRouted = loss;
  }
  if (up.kind === "join" || up.confirmed) trace.answer = answerTrace(ix, trace, hash);
  return trace;
}

/** "ok", or why this hotspot's chip did not receive `tx`. */
function hotspotOutcome(ix: Index, h: SimHotspot, tx: Transmission): string {
  const received = ix.receptions.get(h)!.get(tx.id);
  if (received !== undefined) return received;
  const miss = h.sim.model.misses.get(tx.id);
  if (miss === undefined) return "in_flight"; // locked onto it and still receiving, or not started yet
  return miss.detectable ? miss.reason : "out_of_range";
}

/** Undefined when routed; else why not. */
function routingLoss(ix: Index, hash: string, up: UplinkRecord, heardBy: string[]): string | undefined {
  if (ix.gwmp !== undefined) {
    if (ix.gwmp.acknowledged(hash)) return undefined;
  } else {
    const verdicts = ix.routerByPayload.get(hash) ?? [];
    if (verdicts.includes("routed")) return undefined;
    if (verdicts.length > 0) return `router_${verdicts[0]}`;
  }
  if (up.tx.end > ix.now - ROUTING_GRACE_MICROS) return "in_flight";
  const inside = heardBy.map((n) => ix.hotspots.find((h) => h.name === n)!).filter((h) => !h.external);
  if (inside.length === 0) return "heard_only_by_an_external_hotspot";
  return ix.gwmp !== undefined ? "not_acknowledged_by_gwmp_server" : "not_sent_by_hotspot";
}

function answerTrace(ix: Index, t: UplinkTrace, hash: string): AnswerTrace {
  const a: AnswerTrace = { scheduled: false, transmitted: false, received: false };
  if (!t.routed) {
    a.notScheduled = t.lostBeforeHeard !== undefined ? "not_heard" : t.lostBeforeRouted === "in_flight" ? "in_flight" : "not_routed";
    return a;
  }
  if (ix.devnet === undefined) {
    a.notScheduled = "network_server_not_observed";
    return a;
  }
  const events = ix.lnsByFrame.get(hash) ?? [];
  const answered = events.find((e) => (e.kind === "confirmed_ack" || e.kind === "join_accepted") && e.answer !== undefined);
  if (answered === undefined) {
    const refusal = events.find((e) => e.kind !== "uplink" && e.kind !== "duplicate");
    a.notScheduled = refusal !== undefined ? `lns_${refusal.kind}` : "lns_made_no_answer";
    return a;
  }
  const sent = ix.downlinkByAnswer.get(answered.answer!);
  if (sent === undefined) {
    a.notScheduled = "router_did_not_deliver";
    return a;
  }
  a.scheduled = true;
  const hotspot = ix.byAddress.get(sent.gateway ?? "");
  a.via = hotspot?.name ?? sent.gateway;
  const onAir = ix.onAir.get(answered.answer!);
  if (onAir === undefined) {
    a.notTransmitted = notTransmitted(ix, hotspot, answered.answer!, t.uplink);
    return a;
  }
  a.transmitted = true;
  const accepted = t.device.downlinks.some((d) => d.tx === onAir.tx);
  if (accepted) a.received = true;
  else a.notReceived = notReceived(ix, t.device, t.uplink, onAir.tx);
  return a;
}

function notTransmitted(ix: Index, hotspot: SimHotspot | undefined, answer: string, up: UplinkRecord): string {
  const fate = hotspot?.downlinkFates.get(answer);
  if (fate !== undefined && !fate.ok) return `refused_${snakeCase(fate.error ?? "failed")}`;
  const lastWindow = Math.max(...up.windows.map((w) => w.close), up.tx.end);
  if (fate !== undefined || lastWindow > ix.now - TX_GRACE_MICROS) return "in_flight";
  return hotspot === undefined ? "sent_to_an_unknown_hotspot" : "never_reached_the_radio";
}

function notReceived(ix: Index, device: EndDevice, up: UplinkRecord, tx: Transmission): string {
  if (tx.end > ix.now) return "in_flight";
  const window = up.windows.length > 0 ? windowFor(up.windows, tx) : undefined;
  if (window !== undefined && !inWindowTime(tx, window)) return tx.start > window.close ? "late" : "early";
  const missed = device.missed.get(tx);
  if (missed !== undefined) return missed === "below_sensitivity" ? "out_of_range" : missed;
  const ignored = device.ignored.find((i) => i.tx === tx);
  if (ignored !== undefined) return snakeCase(ignored.reason);
  return "in_flight";
}
