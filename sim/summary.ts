// The run's figures, per hotspot and summed. Every top-level figure is measured by an observer, not
// reported by the hotspot it judges: what the chip models received and transmitted (and the
// protocol violations they caught), what the devnet router accepted with a valid signature, what
// the GWMP server acknowledged, what the devices decoded in their receive windows, whether each
// downlink started where the device it answers could lock onto it (downlink-judge.ts), what the PoC
// verifier judged. The hotspot's own counters are kept apart, under each hotspot's `firmware`, so
// the two views can be compared.
import type { Devnet } from "../devnet/devnet.js";
import type { WitnessResult } from "../devnet/poc/verifier.js";
import { formatGatewayEui } from "../modules/forwarder/eui.js";
import { judgeDownlink, type JudgedDownlink } from "./downlink-judge.js";
import { EndDevice } from "./end-device.js";
import { deviceFunnels, funnelOf, hotspotLosses, type Funnel, type HotspotLosses } from "./funnel.js";
import type { GwmpTap } from "./gwmp-tap.js";
import type { BridgeFigures } from "./moddable-bridge.js";
import type { XsHeapFigures } from "./moddable-hotspot.js";
import { traceUplinks } from "./uplink-trace.js";

export type { Funnel } from "./funnel.js";
import type { SimHotspot, SimWorld } from "./world.js";

/** The observers' figures --json promises, per hotspot and summed. */
export interface Figures {
  uplinksHeard: number;
  uplinksRouted: number;
  /** Uplinks the GWMP server acknowledged (forwarder mode). */
  uplinksForwarded: number;
  invalidSignatures: number;
  joinsAccepted: number;
  joinsCompleted: number;
  confirmedAcked: number;
  confirmedAckedRx1: number;
  confirmedAckedRx2: number;
  /** Downlinks matched to the uplink they answer, judged against that device's window. */
  downlinksOnTime: number;
  downlinksLate: number;
  /** Downlinks on the air that open as no device's frame. */
  downlinksUnmatched: number;
  beaconsSent: number;
  beaconsValid: number;
  beaconsInvalid: number;
  witnessesSent: number;
  witnessesValid: number;
  witnessesInvalid: number;
  /** Protocol violations the chip models recorded (a command while BUSY, SPI out of limits, ...). */
  modelViolations: number;
}

/** The hotspot's own counters, for comparison with the observers. */
export interface FirmwareFigures {
  downlinksOnTime: number;
  downlinksLate: number;
  errors: number;
  uplinksForwarded: number;
}

export interface HotspotSummary extends Figures {
  name: string;
  /** "node": the firmware's modules in the simulator's process; "moddable": main.ts built by the Moddable SDK, run in mcsim. */
  runtime: "node" | "moddable";
  /** Moddable only: its radio bridge as measured on the simulator's side. */
  moddable?: { bridge: BridgeFigures; xsHeap: XsHeapFigures };
  address: string;
  animalName: string;
  external: boolean;
  region: string;
  regionSource: string;
  /** Largest |start - window start| of this hotspot's downlinks, µs (world clock). */
  downlinkTimingMaxMicros: number;
  firmware: FirmwareFigures;
  /** The driver's fault reports by kind (only kinds that happened) and its chip resets. */
  radio: { faults: Record<string, number>; resets: number; state: string };
  /** The kinds of the model's violations, with counts (empty when there were none). */
  violationKinds: Record<string, number>;
  /** The losses that were this hotspot's own doing. */
  losses: HotspotLosses;
  lastProblem: string | null;
  /** The hotspot's latest error messages (what `firmware.errors` counted). */
  recentErrors: string[];
}

export interface FaultSummary {
  txDelayMs: number;
  /** The injected stuck BUSY line and what the chip model saw afterwards. */
  busyStuck: { hotspot: string; fromSeconds: number; untilSeconds: number; recovered: boolean; uplinksHeardAfter: number; radioState: string } | null;
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
  faults: FaultSummary;
  /** Where every uplink went (uplink-trace.ts, funnel.ts); the equations hold exactly. */
  funnel: Funnel;
  /** Each device's own funnel. */
  deviceFunnels: { name: string; funnel: Funnel }[];
  /** Real time the simulated clock left out (null on a virtual clock). */
  simulatorClock: SimulatorClock | null;
  networkPage: string | null;
}

/** The observers a summary can read besides the world and the devnet. */
export interface Observers {
  /** The relay in front of the GWMP server (forwarder mode). */
  gwmp?: GwmpTap;
  txDelayMs?: number;
  /** What the real-time scheduler cut out of simulated time (steady-real-time.ts). */
  preemptions?: SimulatorClock;
}

/** Time cut out of the simulated clock: the PC running other processes, and the chip models' own computation. */
export interface SimulatorClock {
  count: number;
  totalMicros: number;
  maxMicros: number;
  modelMicros: number;
}

const FIGURES: (keyof Figures)[] = [
  "uplinksHeard", "uplinksRouted", "uplinksForwarded", "invalidSignatures", "joinsAccepted", "joinsCompleted", "confirmedAcked",
  "confirmedAckedRx1", "confirmedAckedRx2", "downlinksOnTime", "downlinksLate", "downlinksUnmatched", "beaconsSent", "beaconsValid",
  "beaconsInvalid", "witnessesSent", "witnessesValid", "witnessesInvalid", "modelViolations",
];

const count = <T>(list: readonly T[], pick: (x: T) => boolean) => list.reduce((a, x) => a + (pick(x) ? 1 : 0), 0);

export function summarize(sim: SimWorld, devnet: Devnet | undefined, durationSeconds: number, observers: Observers = {}): Summary {
  const devices = sim.devices.map((d) => d.device);
  const verifier = devnet?.poc.verifier;
  const reasons: Record<string, number> = {};
  const deviceUplinks = new Set(devices.flatMap((d) => d.uplinks.map((u) => u.tx.id)));
  const hotspots = sim.hotspots.map((h) => summarizeHotspot(h, devices, devnet, observers, reasons, (id) => deviceUplinks.has(id)));
  const traces = traceUplinks(sim, devnet, observers.gwmp);
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
    faults: faultSummary(sim, observers),
    funnel: funnelOf(traces),
    deviceFunnels: deviceFunnels(sim.devices.map((d) => d.device.name), traces),
    simulatorClock: observers.preemptions ? { ...observers.preemptions } : null,
    networkPage: devnet?.networkPage ?? null,
  };
}

function faultSummary(sim: SimWorld, observers: Observers): FaultSummary {
  const w = sim.busyStuckWindow;
  const h = w && sim.hotspots.find((x) => x.name === w.hotspot);
  if (w === undefined || h === undefined) return { txDelayMs: observers.txDelayMs ?? 0, busyStuck: null };
  const after = count(h.sim.model.receptions, (r) => r.outcome === "ok" && r.tx.start > w.until);
  const state = h.sim.currentDriver()?.state ?? "none";
  const s = (t: number) => Number((t / 1e6).toFixed(3));
  return { txDelayMs: observers.txDelayMs ?? 0, busyStuck: { hotspot: w.hotspot, fromSeconds: s(w.from), untilSeconds: s(w.until), recovered: after > 0, uplinksHeardAfter: after, radioState: state } };
}

/** Downlinks this hotspot put on the air, each matched to the uplink it answers and judged by the world. */
function judgedDownlinks(h: SimHotspot, devices: readonly EndDevice[]): { judged: JudgedDownlink[]; unmatched: number } {
  const judged: JudgedDownlink[] = [];
  let unmatched = 0;
  for (const t of h.sim.model.transmitted) {
    if (!t.tx.invertIq) continue;
    const j = judgeDownlink(t.tx, devices);
    if (j === undefined) unmatched++;
    else judged.push(j);
  }
  return { judged, unmatched };
}

function summarizeHotspot(
  h: SimHotspot,
  devices: EndDevice[],
  devnet: Devnet | undefined,
  observers: Observers,
  reasons: Record<string, number>,
  isDeviceUplink: (txId: number) => boolean,
): HotspotSummary {
  const model = h.sim.model;
  const address = h.app.key.address;
  const sent = model.transmitted.map((t) => t.tx);
  const { judged, unmatched } = judgedDownlinks(h, devices);
  const received = devices.flatMap((d) => d.downlinks).filter((r) => r.tx.sender === model);
  const acks = received.filter((r) => r.kind === "data" && r.ack && r.uplink.confirmed);
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
  const forwarder = h.app.parts?.forwarder;
  const driver = h.sim.currentDriver();
  const violationKinds: Record<string, number> = {};
  for (const v of model.violations) violationKinds[v.kind] = (violationKinds[v.kind] ?? 0) + 1;
  return {
    name: h.name,
    runtime: h.runtime,
    ...(h.moddable ? { moddable: { bridge: { ...h.moddable.bridge.figures }, xsHeap: { ...h.moddable.firmware.xsHeap } } } : {}),
    address,
    animalName: h.app.name,
    external: h.external,
    region: stats.region.name,
    regionSource: stats.region.source,
    uplinksHeard: count(model.receptions, (r) => r.outcome === "ok" && r.tx.sender instanceof EndDevice),
    uplinksRouted,
    uplinksForwarded: forwarder && observers.gwmp ? observers.gwmp.uplinksFrom(formatGatewayEui(forwarder.gatewayEui)) : 0,
    invalidSignatures,
    joinsAccepted,
    joinsCompleted: count(received, (r) => r.kind === "join-accept"),
    confirmedAcked: acks.length,
    confirmedAckedRx1: count(acks, (r) => r.window === "RX1"),
    confirmedAckedRx2: count(acks, (r) => r.window === "RX2"),
    downlinksOnTime: count(judged, (j) => j.onTime),
    downlinksLate: count(judged, (j) => !j.onTime),
    downlinksUnmatched: unmatched,
    beaconsSent: count(sent, (tx) => !tx.invertIq && tx.payload.length === 52 && tx.payload[0] === 0xe0),
    beaconsValid,
    beaconsInvalid,
    witnessesSent,
    witnessesValid,
    witnessesInvalid,
    modelViolations: model.violations.length,
    downlinkTimingMaxMicros: judged.reduce((a, j) => Math.max(a, Math.abs(j.errorMicros)), 0),
    firmware: {
      downlinksOnTime: stats.traffic.downlinksOnTime,
      downlinksLate: stats.traffic.downlinksLate,
      errors: stats.errors,
      uplinksForwarded: forwarder ? forwarder.status().servers.reduce((a, s) => a + s.uplinksForwarded, 0) : 0,
    },
    radio: {
      faults: Object.fromEntries(Object.entries(driver?.stats.faults ?? {}).filter(([, n]) => n > 0)),
      resets: driver?.stats.resets ?? 0,
      state: driver?.state ?? "none",
    },
    violationKinds,
    losses: hotspotLosses(h, isDeviceUplink),
    lastProblem: stats.lastProblem ?? null,
    recentErrors: stats.recentErrors,
  };
}
