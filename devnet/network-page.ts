// The devnet's network page: a map of the hotspots and devices the simulator registered (inline
// SVG, no external assets), each beacon's witness links coloured by the verifier's result, the loss
// funnel the simulator traced (where every uplink went: bars with the loss reasons, and each
// device's own row), and tables of beacons and hotspots. Served over HTTP on loopback, refreshed by
// the browser every 5 s; the same facts as JSON at /api/network.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { PocVerifier, WitnessResult } from "./poc/verifier.js";
import type { PacketRouter } from "./router.js";
import type { Lns } from "./lns.js";

export interface MapHotspot {
  address: string;
  name: string;
  lat: number;
  lon: number;
  /** The hotspot's own dashboard, when it has one. */
  dashboard?: string;
}

export interface MapDevice {
  name: string;
  lat: number;
  lon: number;
  /** "ABP" or "OTAA", confirmed or not, in words. */
  kind: string;
}

/**
 * Where the uplinks went, stage by stage; reasons are snake_case counts. The equations hold exactly:
 * sent = heard + sum(lostBeforeHeard), heard = routed + sum(lostBeforeRouted), and for the answers
 * (confirmed uplinks and join requests) needed = scheduled + sum(notScheduled),
 * scheduled = transmitted + sum(notTransmitted), transmitted = received + sum(notReceived).
 */
export interface Funnel {
  sent: number;
  heard: number;
  routed: number;
  lostBeforeHeard: Record<string, number>;
  lostBeforeRouted: Record<string, number>;
  answers: {
    needed: number;
    scheduled: number;
    transmitted: number;
    received: number;
    notScheduled: Record<string, number>;
    notTransmitted: Record<string, number>;
    notReceived: Record<string, number>;
  };
}

export interface FunnelView {
  total: Funnel;
  devices: { name: string; funnel: Funnel }[];
}

/** What the simulator tells the devnet about its world (the chain would know asserted locations). */
export class NetworkMap {
  readonly hotspots = new Map<string, MapHotspot>();
  readonly devices: MapDevice[] = [];
  /** The simulator's loss funnel, taken when the page is drawn. */
  funnel: (() => FunnelView) | undefined;

  addHotspot(h: MapHotspot): void {
    this.hotspots.set(h.address, h);
  }

  addDevice(d: MapDevice): void {
    this.devices.push(d);
  }
}

export interface NetworkSources {
  map: NetworkMap;
  verifier: PocVerifier;
  router: PacketRouter;
  lns: Lns;
}

export interface NetworkSnapshot {
  hotspots: (MapHotspot & { routed: number; beaconsValid: number; beaconsInvalid: number; witnessesValid: number; witnessesInvalid: number })[];
  devices: MapDevice[];
  beacons: { id: string; gateway: string; name: string; time: number; status: string; reason?: string; frequency: number; txPower: number; witnesses: { gateway: string; name: string; status: string; reason?: string; signal: number }[] }[];
  lns: { joinsAccepted: number; uplinks: number; confirmedAcks: number };
  funnel: FunnelView | null;
}

const MAX_BEACONS = 40;

export function networkSnapshot(src: NetworkSources): NetworkSnapshot {
  const name = (address: string) => src.map.hotspots.get(address)?.name ?? address.slice(0, 10);
  const summary = src.verifier.summary().gateways;
  const routed = new Map<string, number>();
  for (const p of src.router.packets) if (p.verdict === "routed") routed.set(p.gateway, (routed.get(p.gateway) ?? 0) + 1);
  const beacons = src.verifier.beacons().slice(-MAX_BEACONS).reverse().map((b) => ({
    id: b.id,
    gateway: b.gateway,
    name: name(b.gateway),
    time: b.receivedMs,
    status: b.status,
    ...(b.reason === undefined ? {} : { reason: b.reason }),
    frequency: b.frequency,
    txPower: b.txPower,
    witnesses: b.witnesses
      .map((id) => src.verifier.result(id) as WitnessResult | undefined)
      .filter((w): w is WitnessResult => w !== undefined)
      .map((w) => ({ gateway: w.gateway, name: name(w.gateway), status: w.status, ...(w.reason === undefined ? {} : { reason: w.reason }), signal: w.signal })),
  }));
  const count = (kind: string) => src.lns.events.filter((e) => e.kind === kind).length;
  return {
    hotspots: [...src.map.hotspots.values()].map((h) => {
      const s = summary[h.address];
      return { ...h, routed: routed.get(h.address) ?? 0, beaconsValid: s?.beaconsValid ?? 0, beaconsInvalid: s?.beaconsInvalid ?? 0, witnessesValid: s?.witnessesValid ?? 0, witnessesInvalid: s?.witnessesInvalid ?? 0 };
    }),
    devices: src.map.devices.slice(),
    beacons,
    lns: { joinsAccepted: count("join_accepted"), uplinks: count("uplink"), confirmedAcks: count("confirmed_ack") },
    funnel: src.map.funnel?.() ?? null,
  };
}

function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const W = 640;
const H = 420;
const PAD = 40;

/** The map: equirectangular around the points' centre (good enough over a city). */
function mapSvg(s: NetworkSnapshot): string {
  const points = [...s.hotspots, ...s.devices];
  if (points.length === 0) return `<svg id="map" viewBox="0 0 ${W} ${H}"><text x="20" y="40">No hotspots registered yet.</text></svg>`;
  const lat0 = points.reduce((a, p) => a + p.lat, 0) / points.length;
  const k = Math.cos((lat0 * Math.PI) / 180);
  const xs = points.map((p) => p.lon * k);
  const ys = points.map((p) => p.lat);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = Math.min((W - 2 * PAD) / Math.max(maxX - minX, 1e-6), (H - 2 * PAD) / Math.max(maxY - minY, 1e-6));
  const at = (p: { lat: number; lon: number }) => ({ x: PAD + (p.lon * k - minX) * scale, y: H - PAD - (p.lat - minY) * scale });
  const km = 1 / 111.32; // degrees of latitude per km
  const barPx = km * scale;
  const byAddress = new Map(s.hotspots.map((h) => [h.address, h]));
  const links: string[] = [];
  for (const b of s.beacons) {
    const from = byAddress.get(b.gateway);
    if (!from) continue;
    for (const w of b.witnesses) {
      const to = byAddress.get(w.gateway);
      if (!to) continue;
      const a = at(from);
      const c = at(to);
      links.push(`<line class="link ${w.status}" x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${c.x.toFixed(1)}" y2="${c.y.toFixed(1)}"><title>${esc(w.name)} witnessed ${esc(b.name)}: ${esc(w.status)}${w.reason ? ` (${esc(w.reason)})` : ""}</title></line>`);
    }
  }
  const devices = s.devices.map((d) => {
    const p = at(d);
    return `<g class="device"><rect x="${(p.x - 4).toFixed(1)}" y="${(p.y - 4).toFixed(1)}" width="8" height="8"/><text x="${(p.x + 7).toFixed(1)}" y="${(p.y + 4).toFixed(1)}">${esc(d.name)}</text><title>${esc(d.name)}: ${esc(d.kind)}</title></g>`;
  });
  const hotspots = s.hotspots.map((h) => {
    const p = at(h);
    return `<g class="hotspot"><circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="9"/><text x="${(p.x + 12).toFixed(1)}" y="${(p.y - 10).toFixed(1)}">${esc(h.name)}</text><title>${esc(h.name)} ${esc(h.address)}</title></g>`;
  });
  return `<svg id="map" viewBox="0 0 ${W} ${H}" role="img" aria-label="map of hotspots and devices">
<rect class="bg" x="0" y="0" width="${W}" height="${H}"/>
${links.join("\n")}
${devices.join("\n")}
${hotspots.join("\n")}
<line class="scale" x1="${PAD}" y1="${H - 15}" x2="${(PAD + barPx).toFixed(1)}" y2="${H - 15}"/><text x="${PAD}" y="${H - 20}">1 km</text>
</svg>`;
}

const FUNNEL_ROW = 26;
const FUNNEL_LABEL = 150;
const FUNNEL_BAR = 250;

const reasonText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${r} ${n}`)
    .join(", ");

/** The funnel as bars: each stage's survivors (green) and, beside them, what it lost there, by reason. */
function funnelSvg(f: Funnel): string {
  const a = f.answers;
  const rows: { label: string; kept: number; lost: Record<string, number>; scale: number }[] = [
    { label: "uplinks sent", kept: f.sent, lost: {}, scale: f.sent },
    { label: "heard", kept: f.heard, lost: f.lostBeforeHeard, scale: f.sent },
    { label: "routed", kept: f.routed, lost: f.lostBeforeRouted, scale: f.sent },
    { label: "answers needed", kept: a.needed, lost: {}, scale: a.needed },
    { label: "answer scheduled", kept: a.scheduled, lost: a.notScheduled, scale: a.needed },
    { label: "answer transmitted", kept: a.transmitted, lost: a.notTransmitted, scale: a.needed },
    { label: "answer received", kept: a.received, lost: a.notReceived, scale: a.needed },
  ];
  const parts = rows.map((r, i) => {
    const y = 8 + i * FUNNEL_ROW + (i >= 3 ? 10 : 0);
    const px = (n: number) => (r.scale === 0 ? 0 : (n / r.scale) * FUNNEL_BAR);
    let x = FUNNEL_LABEL + px(r.kept);
    const lost = Object.entries(r.lost)
      .sort((p, q) => q[1] - p[1])
      .map(([reason, n], k) => {
        const rect = `<rect class="lost r${k % 4}" x="${x.toFixed(1)}" y="${y}" width="${px(n).toFixed(1)}" height="18"><title>${esc(r.label)}: lost ${n} (${esc(reason)})</title></rect>`;
        x += px(n);
        return rect;
      });
    return (
      `<text x="0" y="${y + 13}">${esc(r.label)} ${r.kept}</text>` +
      `<rect class="kept" x="${FUNNEL_LABEL}" y="${y}" width="${px(r.kept).toFixed(1)}" height="18"><title>${esc(r.label)}: ${r.kept}</title></rect>` +
      lost.join("") +
      (lost.length > 0 ? `<text class="reasons" x="${(x + 6).toFixed(1)}" y="${y + 13}">${esc(reasonText(r.lost))}</text>` : "")
    );
  });
  return `<svg id="funnel" viewBox="0 0 ${W * 2} ${rows.length * FUNNEL_ROW + 20}" role="img" aria-label="where every uplink went">${parts.join("\n")}</svg>`;
}

function funnelSection(view: FunnelView | null): string {
  if (view === null) return "";
  const rows = view.devices
    .map(({ name, funnel: f }) => {
      const a = f.answers;
      const lost = reasonText(sum(f.lostBeforeHeard, f.lostBeforeRouted));
      // An unheard or unrouted uplink's missing answer is already in the uplink losses.
      const { not_heard: _h, not_routed: _r, ...notScheduled } = a.notScheduled;
      const answersLost = reasonText(sum(notScheduled, a.notTransmitted, a.notReceived));
      return `<tr class="dev"><td>${esc(name)}</td><td>${f.sent}</td><td>${f.heard}</td><td>${f.routed}</td><td>${esc(lost || "none")}</td><td>${a.received} / ${a.needed}</td><td>${esc(answersLost || "none")}</td></tr>`;
    })
    .join("");
  return `<h2>Where every uplink went</h2>
<p class="note">Every uplink the simulated devices sent, followed by the observers that saw it: the radio world (which hotspots heard it, and why the others did not), the router, the LNS (the ACK or join-accept it made), the hotspot's radio and the device's receive windows. Green is what got through each stage, the other colours what was lost there, by reason; in_flight is still on its way.</p>
${funnelSvg(view.total)}
<table id="devicefunnel"><tr><th>Device</th><th>Sent</th><th>Heard</th><th>Routed</th><th>Uplinks lost, by reason</th><th>Answers received / needed</th><th>Answers lost, by reason</th></tr>${rows}</table>`;
}

/** Reason counts added up. */
function sum(...counts: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counts) for (const [r, n] of Object.entries(c)) out[r] = (out[r] ?? 0) + n;
  return out;
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:1em;color:#222}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}
svg{width:100%;max-width:${W}px;border:1px solid #ccc}.bg{fill:#f4f7f4}.hotspot circle{fill:#1f6feb;stroke:#fff;stroke-width:2}.device rect{fill:#e36209}text{font-size:11px}
.link{stroke-width:2}.link.valid{stroke:#2da44e}.link.invalid{stroke:#cf222e;stroke-dasharray:4 3}.link.pending{stroke:#999}.scale{stroke:#222;stroke-width:2}
.valid{color:#2da44e}.invalid{color:#cf222e}.note{color:#555;max-width:60em}
#funnel{max-width:${W * 2}px;border:none}#funnel .kept{fill:#2da44e}#funnel .lost.r0{fill:#cf222e}#funnel .lost.r1{fill:#e36209}#funnel .lost.r2{fill:#bf8700}#funnel .lost.r3{fill:#8250df}`;

export function renderNetworkPage(s: NetworkSnapshot): string {
  const hotspotRows = s.hotspots
    .map((h) => `<tr class="hs"><td>${h.dashboard ? `<a href="${esc(h.dashboard)}">${esc(h.name)}</a>` : esc(h.name)}</td><td><code>${esc(h.address)}</code></td><td>${h.routed}</td><td>${h.beaconsValid} / ${h.beaconsValid + h.beaconsInvalid}</td><td>${h.witnessesValid} / ${h.witnessesValid + h.witnessesInvalid}</td></tr>`)
    .join("");
  const beaconRows = s.beacons
    .map((b) => {
      const w = b.witnesses.map((x) => `<span class="${esc(x.status)}">${esc(x.name)} ${esc(x.status)}${x.reason ? ` (${esc(x.reason)})` : ""}</span>`).join(", ");
      return `<tr><td>${esc(new Date(b.time).toISOString().slice(11, 19))}</td><td>${esc(b.name)}</td><td>${(b.frequency / 1e6).toFixed(3)}</td><td>${b.txPower}</td><td class="${esc(b.status)}">${esc(b.status)}${b.reason ? ` (${esc(b.reason)})` : ""}</td><td>${w || "none"}</td></tr>`;
    })
    .join("");
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>devnet network</title><style>${STYLE}</style></head><body>
<h1>Devnet network</h1>
<p class="note">Hotspots (blue) and LoRaWAN devices (orange) as the simulator placed them. A line joins a beacon's sender to each hotspot that witnessed it: green when the devnet's verifier accepted the witness, red when it refused it. The verifier rebuilds every beacon from its own entropy record (IoT PoC rewards were retired upstream by HIP-149; the devnet still verifies).</p>
${mapSvg(s)}
${funnelSection(s.funnel)}
<h2>Hotspots</h2><table id="hotspots"><tr><th>Hotspot</th><th>Address</th><th>Packets routed</th><th>Beacons valid</th><th>Witnesses valid</th></tr>${hotspotRows}</table>
<p>LNS: ${s.lns.joinsAccepted} joins accepted, ${s.lns.uplinks} data uplinks, ${s.lns.confirmedAcks} confirmed uplinks ACKed.</p>
<h2>Beacons (newest first)</h2><table id="beacons"><tr><th>Time (UTC)</th><th>Beaconer</th><th>MHz</th><th>dBm</th><th>Verification</th><th>Witnesses</th></tr>${beaconRows}</table>
</body></html>`;
}

/** Serves the page on loopback; port 0 picks a free one. */
export async function startNetworkPage(src: NetworkSources, options: { port?: number; host?: string } = {}): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const host = options.host ?? "127.0.0.1";
  const server = http.createServer((req, res) => {
    const headers = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { ...headers, Allow: "GET, HEAD" }).end();
      return;
    }
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/") {
      res.writeHead(200, { ...headers, "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'" });
      res.end(renderNetworkPage(networkSnapshot(src)));
    } else if (path === "/api/network") {
      res.writeHead(200, { ...headers, "Content-Type": "application/json" });
      res.end(JSON.stringify(networkSnapshot(src)));
    } else res.writeHead(404, headers).end("not found");
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve((server.address() as AddressInfo).port));
  });
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
