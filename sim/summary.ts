// The run's figures, per hotspot and summed. Wherever the world or the devnet can verify a figure it
// comes from there, not from the hotspot's own claims: what the chip model received, what the
// devnet router accepted with a valid signature, what the devices decoded in their receive windows,
// what the PoC verifier judged. The hotspot's own counters appear only as its errors and, in
// forwarder mode, as the uplinks it handed to the GWMP server.
import type { Devnet } from "../devnet/devnet.js";
import type { WitnessResult } from "../devnet/poc/verifier.js";
import { EndDevice, type UplinkRecord } from "./end-device.js";
import type { BridgeFigures } from "./moddable-bridge.js";
import type { Transmission } from "./radio-world.js";
import type { SimHotspot, SimWorld } from "./world.js";

/** The figures --json promises, per hotspot and summed. */
export interface Figures {
  uplinksHeard: number;
  uplinksRouted: number;
  invalidSignatures: number;
  joinsAccepted: number;
  joinsCompleted: number;
  confirmedAcked: number;
  confirmedAckedRx1: number;
  confirmedAckedRx2: number;
  downlinksOnTime: number;
  downlinksLate: number;
  beaconsSent: number;
  beaconsValid: number;
  beaconsInvalid: number;
  witnessesSent: number;
  witnessesValid: number;
  witnessesInvalid: number;
  uplinksForwarded: number;
  errors: number;
}

export interface HotspotSummary extends Figures {
  name: string;
  /** "node": the firmware's modules in the simulator's process; "moddable": main.ts built by the Moddable SDK, run in mcsim. */
  runtime: "node" | "moddable";
  /** Moddable only: its radio bridge as measured on the simulator's side, and what the strict chip model objected to. */
  moddable?: { bridge: BridgeFigures; modelViolations: string[] };
  address: string;
  animalName: string;
  external: boolean;
  region: string;
  regionSource: string;
  /** Largest |start - window start| of this hotspot's downlinks, µs (world clock). */
  downlinkTimingMaxMicros: number;
  lastProblem: string | null;
  /** The hotspot's latest error messages (what `errors` counted). */
  recentErrors: string[];
}

export interface Summary extends Figures {
  region: string;
  city: string;
  durationSeconds: number;
  seed: number;
  hotspots: HotspotSummary[];
  devices: { total: number; otaa: number; otaaJoined: number; uplinksSent: number; confirmedSent: number; confirmedAcked: number };
  /** Why the verifier refused or invalidated reports, by reason (empty when all were valid). */
  pocInvalidReasons: Record<string, number>;
  pocPending: number;
  downlinkTimingMaxMicros: number;
  networkPage: string | null;
}

const FIGURES: (keyof Figures)[] = [
  "uplinksHeard", "uplinksRouted", "invalidSignatures", "joinsAccepted", "joinsCompleted", "confirmedAcked", "confirmedAckedRx1",
  "confirmedAckedRx2", "downlinksOnTime", "downlinksLate", "beaconsSent", "beaconsValid", "beaconsInvalid", "witnessesSent",
  "witnessesValid", "witnessesInvalid", "uplinksForwarded", "errors",
];

/** Where a receive window opens for an uplink: RX1/RX2 after a join request 5/6 s, after data 1/2 s (RxDelay 1). */
function windowStarts(up: UplinkRecord): number[] {
  const d = up.kind === "join" ? 5e6 : 1e6;
  return [up.tx.end + d, up.tx.end + d + 1e6];
}

/**
 * A downlink is on time when a device listening from the window start for 8 symbols could lock onto
 * its preamble (EndDevice's rule); the error is measured against the nearest window start.
 */
function downlinkTiming(tx: Transmission, starts: number[]): { onTime: boolean; errorMicros: number } {
  let best = Infinity;
  for (const s of starts) if (Math.abs(tx.start - s) < Math.abs(best)) best = tx.start - s;
  if (!Number.isFinite(best)) return { onTime: false, errorMicros: Infinity };
  const open = tx.start - best;
  return { onTime: open <= tx.lockDeadline && tx.start <= open + 8 * tx.symbolMicros, errorMicros: Math.abs(best) };
}

export function summarize(sim: SimWorld, devnet: Devnet | undefined, durationSeconds: number): Summary {
  const devices = sim.devices.map((d) => d.device);
  const starts = devices.flatMap((d) => d.uplinks.flatMap(windowStarts));
  const verifier = devnet?.poc.verifier;
  const reasons: Record<string, number> = {};
  const hotspots = sim.hotspots.map((h) => summarizeHotspot(h, devices, starts, devnet, reasons));
  const total = {} as Figures;
  for (const k of FIGURES) total[k] = hotspots.reduce((a, h) => a + h[k], 0);
  const uplinks = devices.flatMap((d) => d.uplinks);
  return {
    ...total,
    region: sim.o.region,
    city: sim.city.name,
    durationSeconds,
    seed: sim.o.seed,
    hotspots,
    devices: {
      total: devices.length,
      otaa: sim.devices.filter((d) => d.activation === "OTAA").length,
      otaaJoined: sim.devices.filter((d) => d.activation === "OTAA" && d.device.joined).length,
      uplinksSent: uplinks.length,
      confirmedSent: uplinks.filter((u) => u.confirmed).length,
      confirmedAcked: uplinks.filter((u) => u.acked).length,
    },
    pocInvalidReasons: reasons,
    pocPending: verifier ? verifier.summary().pending : 0,
    downlinkTimingMaxMicros: hotspots.reduce((a, h) => Math.max(a, h.downlinkTimingMaxMicros), 0),
    networkPage: devnet?.networkPage ?? null,
  };
}

function summarizeHotspot(h: SimHotspot, devices: EndDevice[], starts: number[], devnet: Devnet | undefined, reasons: Record<string, number>): HotspotSummary {
  const model = h.sim.model;
  const address = h.app.key.address;
  const sent = model.transmitted.map((t) => t.tx);
  const downlinks = sent.filter((tx) => tx.invertIq);
  const timings = downlinks.map((tx) => downlinkTiming(tx, starts));
  const received = devices.flatMap((d) => d.downlinks).filter((r) => r.tx.sender === model);
  const acks = received.filter((r) => r.kind === "data" && r.ack && r.uplink.confirmed);
  const count = <T>(list: readonly T[], pick: (x: T) => boolean) => list.reduce((a, x) => a + (pick(x) ? 1 : 0), 0);
  const bump = (reason: string) => (reasons[reason] = (reasons[reason] ?? 0) + 1);

  let uplinksRouted = 0;
  let invalidSignatures = 0;
  let joinsAccepted = 0;
  let beaconsValid = 0;
  let beaconsInvalid = 0;
  let witnessesSent = 0;
  let witnessesValid = 0;
  let witnessesInvalid = 0;
  if (devnet && !h.external) {
    for (const p of devnet.router.packets) {
      if (p.gateway !== address) continue;
      if (p.verdict === "routed") uplinksRouted++;
      if (p.verdict === "bad_signature") invalidSignatures++;
    }
    invalidSignatures += count(devnet.router.events, (e) => e.gateway === address && (e.kind === "register_rejected" || e.kind === "session_rejected") && /signature/.test(e.detail ?? ""));
    joinsAccepted = count(devnet.lns.events, (e) => e.gateway === address && e.kind === "join_accepted");
    const v = devnet.poc.verifier;
    for (const b of v.beacons()) {
      if (b.gateway !== address) continue;
      if (b.status === "valid") beaconsValid++;
      else if (b.status === "invalid") {
        beaconsInvalid++;
        bump(`beacon ${b.reason}`);
      }
    }
    for (const w of v.witnesses() as WitnessResult[]) {
      if (w.gateway !== address) continue;
      witnessesSent++;
      if (w.status === "valid") witnessesValid++;
      else if (w.status === "invalid") {
        witnessesInvalid++;
        bump(`witness ${w.reason}`);
      }
    }
    for (const r of v.results({ kind: "refused", gateway: address })) {
      if (r.kind !== "refused") continue;
      bump(`refused ${r.reason}`);
      if (r.reason === "invalid_signature") invalidSignatures++;
    }
  }
  const stats = h.app.stats();
  const forwarder = h.app.parts?.forwarder?.status();
  return {
    name: h.name,
    runtime: h.runtime,
    ...(h.moddable ? { moddable: { bridge: { ...h.moddable.bridge.figures }, modelViolations: model.violations.slice(0, 10).map((v) => `${v.kind}: ${v.detail}`) } } : {}),
    address,
    animalName: h.app.name,
    external: h.external,
    region: stats.region.name,
    regionSource: stats.region.source,
    uplinksHeard: count(model.receptions, (r) => r.outcome === "ok" && r.tx.sender instanceof EndDevice),
    uplinksRouted,
    invalidSignatures,
    joinsAccepted,
    joinsCompleted: count(received, (r) => r.kind === "join-accept"),
    confirmedAcked: acks.length,
    confirmedAckedRx1: count(acks, (r) => r.window === "RX1"),
    confirmedAckedRx2: count(acks, (r) => r.window === "RX2"),
    downlinksOnTime: count(timings, (t) => t.onTime),
    downlinksLate: count(timings, (t) => !t.onTime),
    beaconsSent: count(sent, (tx) => !tx.invertIq && tx.payload.length === 52 && tx.payload[0] === 0xe0),
    beaconsValid,
    beaconsInvalid,
    witnessesSent,
    witnessesValid,
    witnessesInvalid,
    uplinksForwarded: forwarder ? forwarder.servers.reduce((a, s) => a + s.uplinksForwarded, 0) : 0,
    errors: stats.errors,
    downlinkTimingMaxMicros: timings.reduce((a, t) => (Number.isFinite(t.errorMicros) ? Math.max(a, t.errorMicros) : a), 0),
    lastProblem: stats.lastProblem ?? null,
    recentErrors: stats.recentErrors,
  };
}
