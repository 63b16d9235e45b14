// The loss funnel: the uplink traces (uplink-trace.ts) counted stage by stage, so that every uplink
// lands in exactly one place and the equations hold by construction:
//   sent = heard + sum(lostBeforeHeard)          heard = routed + sum(lostBeforeRouted)
//   answers.needed = scheduled + sum(notScheduled)   scheduled = transmitted + sum(notTransmitted)
//   transmitted = received + sum(notReceived)
// Also each hotspot's own share of the losses, and the few lines the terminal prints.
import type { Funnel } from "../devnet/network-page.js";
import type { SimHotspot } from "./world.js";
import type { UplinkTrace } from "./uplink-trace.js";

export type { Funnel } from "../devnet/network-page.js";

/** Losses that were one hotspot's own doing, so a bad site can be told from a bad firmware. */
export interface HotspotLosses {
  /** Downlinks the network sent it that it did not transmit, by the hotspot's reason. */
  refusedDownlinks: Record<string, number>;
  /** Device uplinks its chip received with a bad CRC. */
  crcErrors: number;
  /** Device uplinks it could have heard but missed because it was transmitting. */
  missedWhileTransmitting: number;
  /** Time on air of everything it transmitted, seconds. */
  transmittingSeconds: number;
}

const bump = (counts: Record<string, number>, reason: string) => (counts[reason] = (counts[reason] ?? 0) + 1);

export function emptyFunnel(): Funnel {
  return {
    sent: 0,
    heard: 0,
    routed: 0,
    lostBeforeHeard: {},
    lostBeforeRouted: {},
    answers: { needed: 0, scheduled: 0, transmitted: 0, received: 0, notScheduled: {}, notTransmitted: {}, notReceived: {} },
  };
}

export function funnelOf(traces: readonly UplinkTrace[]): Funnel {
  const f = emptyFunnel();
  for (const t of traces) {
    f.sent++;
    if (t.lostBeforeHeard !== undefined) bump(f.lostBeforeHeard, t.lostBeforeHeard);
    else {
      f.heard++;
      if (t.routed) f.routed++;
      else bump(f.lostBeforeRouted, t.lostBeforeRouted!);
    }
    const a = t.answer;
    if (a === undefined) continue;
    const n = f.answers;
    n.needed++;
    if (!a.scheduled) bump(n.notScheduled, a.notScheduled!);
    else {
      n.scheduled++;
      if (!a.transmitted) bump(n.notTransmitted, a.notTransmitted!);
      else {
        n.transmitted++;
        if (a.received) n.received++;
        else bump(n.notReceived, a.notReceived!);
      }
    }
  }
  return f;
}

/** Each device's own funnel, for every device named (one that has sent nothing yet too). */
export function deviceFunnels(names: readonly string[], traces: readonly UplinkTrace[]): { name: string; funnel: Funnel }[] {
  const byDevice = new Map<string, UplinkTrace[]>(names.map((n) => [n, []]));
  for (const t of traces) byDevice.get(t.device.name)?.push(t);
  return [...byDevice].map(([name, list]) => ({ name, funnel: funnelOf(list) }));
}

export function hotspotLosses(h: SimHotspot, isDeviceUplink: (txId: number) => boolean): HotspotLosses {
  const refusedDownlinks: Record<string, number> = {};
  for (const fate of h.downlinkFates.values()) if (!fate.ok) bump(refusedDownlinks, (fate.error ?? "failed").toLowerCase());
  const model = h.sim.model;
  let missedWhileTransmitting = 0;
  for (const [id, miss] of model.misses) if (miss.reason === "hotspot_transmitting" && miss.detectable && isDeviceUplink(id)) missedWhileTransmitting++;
  return {
    refusedDownlinks,
    crcErrors: model.receptions.filter((r) => r.outcome === "crc-error" && isDeviceUplink(r.tx.id)).length,
    missedWhileTransmitting,
    transmittingSeconds: Number((model.transmitted.reduce((a, t) => a + t.tx.end - t.tx.start, 0) / 1e6).toFixed(3)),
  };
}

/** Every loss with its stage, biggest first. */
export function losses(f: Funnel): { stage: string; reason: string; count: number }[] {
  const all: { stage: string; reason: string; count: number }[] = [];
  const add = (stage: string, counts: Record<string, number>) => {
    for (const [reason, count] of Object.entries(counts)) all.push({ stage, reason, count });
  };
  add("not heard", f.lostBeforeHeard);
  add("not routed", f.lostBeforeRouted);
  add("no answer", f.answers.notScheduled);
  add("answer not sent", f.answers.notTransmitted);
  add("answer missed", f.answers.notReceived);
  return all.sort((a, b) => b.count - a.count);
}

/** The biggest loss so far in words, for the live progress line ("none" before any). */
export function biggestLoss(f: Funnel): string {
  const top = losses(f).find((l) => l.reason !== "in_flight");
  return top === undefined ? "none" : `${top.stage}: ${top.reason} x${top.count}`;
}

const list = (counts: Record<string, number>) => {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? "" : ` (lost: ${entries.map(([r, n]) => `${r} ${n}`).join(", ")})`;
};

/** The funnel in a few terminal lines. */
export function funnelLines(f: Funnel): string[] {
  const a = f.answers;
  return [
    `funnel: ${f.sent} uplinks sent -> ${f.heard} heard${list(f.lostBeforeHeard)} -> ${f.routed} routed${list(f.lostBeforeRouted)}`,
    `answers (confirmed uplinks and joins): ${a.needed} needed -> ${a.scheduled} scheduled${list(a.notScheduled)} -> ${a.transmitted} transmitted${list(a.notTransmitted)} -> ${a.received} received${list(a.notReceived)}`,
  ];
}
