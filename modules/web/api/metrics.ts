// GET /metrics: the hotspot's counters in the Prometheus text exposition format (version 0.0.4):
// per family a HELP and a TYPE line, then its samples. Counter names end in _total.

import type { HttpStats } from "../http/connection.js";
import type { HotspotStatus } from "../status.js";
import type { AuthStatus } from "./auth.js";

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

type Labels = Record<string, string | number>;
type Sample = [Labels, number];

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function sampleValue(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : "-Inf";
  return String(n);
}

class Exposition {
  #text = "";

  family(name: string, type: "counter" | "gauge", help: string, samples: Sample[]): this {
    if (samples.length === 0) return this;
    this.#text += `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
    for (const [labels, value] of samples) {
      const pairs = Object.keys(labels).map((k) => `${k}="${escapeLabel(String(labels[k]))}"`);
      this.#text += `${name}${pairs.length > 0 ? `{${pairs.join(",")}}` : ""} ${sampleValue(value)}\n`;
    }
    return this;
  }

  get text(): string {
    return this.#text;
  }
}

/** snake_case of a camelCase counter name ("badSignature" -> "bad_signature"). */
function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function metricsText(s: HotspotStatus, auth: AuthStatus, http: HttpStats | undefined): string {
  const perSf = (pick: (c: HotspotStatus["counters"][number]) => number): Sample[] => s.counters.map((c) => [{ sf: c.sf }, pick(c)]);
  const e = new Exposition()
    .family("hotspot_info", "gauge", "Constant 1, labelled with the hotspot's identity and firmware.", [[{ address: s.identity.address, name: s.identity.name, version: s.system.version, region: s.region.name }, 1]])
    .family("hotspot_uplinks_heard_total", "counter", "LoRa packets heard with a good CRC, by spreading factor.", perSf((c) => c.heard))
    .family("hotspot_uplinks_crc_bad_total", "counter", "LoRa packets heard with a bad CRC, by spreading factor.", perSf((c) => c.crcBad))
    .family("hotspot_uplinks_routed_total", "counter", "Uplinks handed to the packet router (or a forwarder), by spreading factor.", perSf((c) => c.routed))
    .family("hotspot_uplinks_dropped_total", "counter", "Uplinks dropped, by spreading factor.", perSf((c) => c.dropped))
    .family("hotspot_downlinks_total", "counter", "Downlinks transmitted, by spreading factor and whether they left on time.", [
      ...s.counters.map((c): Sample => [{ sf: c.sf, timing: "on_time" }, c.downlinksOnTime]),
      ...s.counters.map((c): Sample => [{ sf: c.sf, timing: "late" }, c.downlinksLate]),
    ])
    .family("hotspot_beacons_sent_total", "counter", "Proof-of-Coverage beacons transmitted.", [[{}, s.pocTotals.beaconsSent]])
    .family("hotspot_beacons_failed_total", "counter", "Proof-of-Coverage beacons that could not be transmitted.", [[{}, s.pocTotals.beaconsFailed]])
    .family("hotspot_witnesses_heard_total", "counter", "Beacons of other hotspots heard.", [[{}, s.pocTotals.witnessesHeard]])
    .family("hotspot_witnesses_submitted_total", "counter", "Witness reports submitted to PoC ingest.", [[{}, s.pocTotals.witnessesSubmitted]])
    .family("hotspot_data_credits_total", "counter", "Data credits carried (estimate: 1 DC per 24 bytes of payload per packet).", [[{}, s.dataCredits.credits]])
    .family("hotspot_service_up", "gauge", "1 when the service (router, ingest, ...) is connected, else 0.", s.services.map((v): Sample => [{ service: v.name }, v.state === "connected" ? 1 : 0]))
    .family("hotspot_service_state", "gauge", "Constant 1, labelled with the service's current state.", s.services.map((v): Sample => [{ service: v.name, state: v.state }, 1]))
    .family("hotspot_service_reconnects_total", "counter", "Reconnections of the service.", s.services.map((v): Sample => [{ service: v.name }, v.reconnects]))
    .family("hotspot_clock_synced", "gauge", "1 once the wall clock is valid.", [[{}, s.clock.synced ? 1 : 0]])
    .family("hotspot_uptime_seconds", "gauge", "Seconds since the hotspot started.", [[{}, s.system.uptimeSeconds]])
    .family("hotspot_free_memory_bytes", "gauge", "Free heap where the platform reports it.", s.system.freeMemory === undefined ? [] : [[{}, s.system.freeMemory]])
    .family("hotspot_api_calls_accepted_total", "counter", "API calls whose credentials were accepted.", [[{}, auth.accepted]])
    .family("hotspot_api_auth_refusals_total", "counter", "API calls refused by authentication, by reason.", Object.keys(auth.failures).map((k): Sample => [{ reason: snake(k) }, auth.failures[k as keyof AuthStatus["failures"]]]));
  if (http !== undefined) {
    e.family("hotspot_http_connections_accepted_total", "counter", "HTTP connections accepted by the dashboard server.", [[{}, http.connectionsAccepted]])
      .family("hotspot_http_connections_refused_total", "counter", "HTTP connections closed at once: the peer is not served.", [[{}, http.connectionsRefused]])
      .family("hotspot_http_requests_total", "counter", "HTTP requests parsed.", [[{}, http.requests]])
      .family("hotspot_http_malformed_total", "counter", "HTTP requests refused by the parser.", [[{}, http.malformed]])
      .family("hotspot_http_timeouts_total", "counter", "HTTP requests or connections that timed out.", [[{}, http.timeouts]])
      .family("hotspot_http_internal_errors_total", "counter", "Exceptions caught in socket callbacks (each closed its connection).", [[{}, http.internalErrors]])
      .family("hotspot_http_responses_total", "counter", "HTTP responses by status class.", [1, 2, 3, 4, 5].map((c): Sample => [{ class: `${c}xx` }, http.responsesByClass[c]]));
  }
  return e.text;
}
