// The status snapshot's service rows, listen-plan text and PoC log, read from the running parts.
import type { Conduit } from "../grpc/conduit.js";
import type { Forwarder } from "../forwarder/forwarder.js";
import type { Poc } from "../poc/poc.js";
import type { PocLogEntry as PocEntry } from "../poc/poc-log.js";
import { listenCoverage, SINGLE_CHANNEL_NOTE } from "../radio/listen-plan.js";
import type { RegionWatcher } from "../region/config-client.js";
import type { PacketRouterClient } from "../router/packet-router.js";
import type { PocLogEntry, ServiceStatus } from "../web/status.js";
import type { GrpcEntropySource } from "./entropy.js";
import type { RadioPart } from "./radio-part.js";

/** The services a running hotspot may have (absent = not running in this mode/config). */
export interface ServiceParts {
  watcher?: RegionWatcher;
  router?: PacketRouterClient;
  poc?: Poc;
  ingest?: Conduit;
  entropy?: GrpcEntropySource;
  forwarder?: Forwarder;
}

const DISABLED = (name: string, why: string): ServiceStatus => ({ name, state: "disabled", lastError: why, reconnects: 0 });

export function describeServices(parts: ServiceParts | undefined, radio: RadioPart, nowMillis: number): ServiceStatus[] {
  const rows: ServiceStatus[] = [{ name: "radio", state: radio.state, lastError: radio.lastError ?? null, reconnects: radio.restarts }];
  if (parts === undefined) return rows;
  const w = parts.watcher;
  if (w) rows.push({ name: "config", state: w.lastError ? "backoff" : w.current ? "connected" : "connecting", lastError: w.lastError ?? null, reconnects: w.stats.failures });
  const r = parts.router;
  if (r) {
    const state = r.state === "session" ? "connected (session)" : r.conduit.state === "waiting" && r.conduit.lastError ? "backoff" : r.state;
    rows.push({ name: "router", state, lastError: r.conduit.lastError ?? null, reconnects: r.conduit.stats.failures });
  } else rows.push(DISABLED("router", "forwarder-only mode"));
  const p = parts.poc;
  const ingest = parts.ingest;
  if (p && ingest) {
    const state = p.session.state === "ready" ? "connected (session)" : ingest.state === "waiting" && ingest.lastError ? "backoff" : p.session.state;
    rows.push({ name: "ingest", state, lastError: ingest.lastError ?? null, reconnects: ingest.stats.failures });
  } else rows.push(DISABLED("ingest", r ? "PoC disabled (data-only mode)" : "forwarder-only mode"));
  const e = parts.entropy;
  if (e) rows.push({ name: "entropy", state: e.lastOk === undefined ? "idle (asked once per beacon)" : e.lastOk ? "connected" : "failed", lastError: e.lastError ?? null, reconnects: e.stats.failures });
  const f = parts.forwarder;
  if (f) {
    for (const s of f.status().servers) {
      const fresh = s.lastPullAckMillis !== undefined && nowMillis - s.lastPullAckMillis < 35_000;
      const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
      rows.push({
        name: `forwarder ${s.server.address}:${s.server.portUp}`,
        state: fresh ? "connected" : "waiting for PULL_ACK",
        lastError: dropped > 0 ? `${dropped} datagrams dropped` : s.pushUnacked > 0 ? `${s.pushUnacked} PUSH_DATA not acknowledged` : null,
        reconnects: 0,
      });
    }
  }
  return rows;
}

export function listenPlanText(radio: RadioPart): string {
  const plan = radio.listenPlan;
  if (plan === undefined) return `off: ${radio.lastError ?? "not started"}`;
  const mhz = (plan.frequencyHz / 1e6).toFixed(3);
  const sfs = plan.kind === "fixed" ? `SF${plan.spreadingFactor}` : `CAD scan SF${plan.spreadingFactors.join("/")}`;
  return `${plan.kind} ${mhz} MHz ${sfs} BW${plan.bandwidthKhz}`;
}

export function radioNote(radio: RadioPart): string {
  const plan = radio.listenPlan;
  const region = radio.region;
  return plan && region ? listenCoverage(plan, region).note : SINGLE_CHANNEL_NOTE;
}

export function pocLogEntries(entries: readonly PocEntry[]): PocLogEntry[] {
  return entries.map((e) => ({ time: e.wallMillis === undefined ? null : Math.floor(e.wallMillis), kind: e.kind, detail: e.message })).reverse();
}
