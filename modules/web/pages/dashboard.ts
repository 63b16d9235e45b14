// The dashboard page (/) and its script (/dashboard.js). Everything shown comes from the read API,
// polled every 2 s (packets and the PoC log every 6 s: a dashboard stays well inside its key's
// rate budget, two tabs too); charts are inline SVG built in the browser. Text only, never HTML, so strings
// from the network (error messages, names) cannot inject markup.
import { START_ERROR_JS, START_ERROR_SECTION } from "./start-error-chart.js";

const KEY_BAR = String.raw`<span id="keystate">making this browser's key...</span><form id="enrolform" hidden><input id="enrolcode" autocomplete="off" placeholder="enrolment code" size="16"><button>Enrol as admin</button></form><details><summary>This browser's key</summary><div>id <span class="mono" id="keyid">-</span></div><div>public key <span class="mono" id="pubkey">-</span></div><button type="button" id="keyforget">Make a new key</button></details>`;

export function pageHtml(title: string, script: string, body: string): string {
  return String.raw`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><link rel="stylesheet" href="/style.css"></head><body>
<header><h1 id="name">Hotspot</h1><span class="mono" id="address"></span><span id="keytype" class="badge"></span><a href="/">Dashboard</a><a href="/admin">Admin</a>${KEY_BAR}</header>
${body}
<footer>Single-channel hotspot: one SX1262 hears one channel and one spreading factor at a time. IoT Proof-of-Coverage was retired upstream (HIP-149): on mainnet only data transfer earns.</footer>
<script src="/ui.js"></script><script src="${script}"></script></body></html>`;
}

export const DASHBOARD_HTML = pageHtml(
  "Hotspot dashboard",
  "/dashboard.js",
  String.raw`<main>
<section><h2>Region</h2><div><b id="region">-</b> <span id="regionsource" class="badge">-</span></div><div id="blocked"></div></section>
<section><h2>Clock and system</h2><table><tr><td>Clock</td><td id="clock">-</td></tr><tr><td>Uptime</td><td id="uptime">-</td></tr><tr><td>Free memory</td><td id="freemem">-</td></tr><tr><td>Firmware</td><td id="version">-</td></tr></table></section>
<section><h2>Radio</h2><div id="listenplan">-</div><div class="note" id="singlechannel"></div></section>
<section class="wide"><h2>Services</h2><table><thead><tr><th>Service</th><th>State</th><th>Last error</th><th class="n">Reconnects</th></tr></thead><tbody id="services"></tbody></table></section>
<section class="wide"><h2>Packets per spreading factor</h2><table><thead><tr><th>SF</th><th class="n">Heard</th><th class="n">CRC bad</th><th class="n">Routed</th><th class="n">Dropped</th><th class="n">Downlinks on time</th><th class="n">Late</th></tr></thead><tbody id="counters"></tbody></table><p>Data credits carried (estimate, 1 DC per 24 bytes per packet): <b id="dc">-</b> over <span id="dcpackets">-</span> packets</p></section>
<section><h2>Packets per minute (last hour)</h2><svg id="ppm" viewBox="0 0 300 120" role="img" aria-label="packets per minute"></svg></section>
<section><h2>RSSI histogram</h2><svg id="rssi" viewBox="0 0 300 120" role="img" aria-label="RSSI histogram"></svg></section>
${START_ERROR_SECTION}
<section class="wide"><h2>Recent packets</h2><table><thead><tr><th>Time (UTC)</th><th>DevAddr</th><th class="n">FCnt</th><th class="n">MHz</th><th class="n">SF</th><th class="n">RSSI</th><th class="n">SNR</th></tr></thead><tbody id="packets"></tbody></table></section>
<section><h2>Proof-of-Coverage log</h2><table><tbody id="poc"></tbody></table></section>
<section><h2>API security</h2><div id="authok">-</div><table><tbody id="authfail"></tbody></table><div id="lastfail"></div><div id="httpstats"></div></section>
</main>`,
);

export const DASHBOARD_JS = String.raw`"use strict";
(function () {
  var NS = "http://www.w3.org/2000/svg";
  function time(ms) { return ms == null ? "(clock not set)" : new Date(ms).toISOString().slice(11, 19); }
  function td(v, cls) { return HS.el("td", cls || "n", v); }
  function bars(id, values, labelLeft, labelRight) {
    var svg = HS.$(id), max = Math.max.apply(null, values.concat([1])), w = 300 / values.length;
    svg.textContent = "";
    values.forEach(function (v, i) {
      var h = Math.round((v / max) * 100), r = document.createElementNS(NS, "rect");
      r.setAttribute("x", (i * w + 0.5).toFixed(1)); r.setAttribute("width", Math.max(w - 1, 1).toFixed(1));
      r.setAttribute("y", String(104 - h)); r.setAttribute("height", String(h)); r.setAttribute("fill", "#3d7ccc");
      var t = document.createElementNS(NS, "title"); t.textContent = String(v); r.appendChild(t);
      svg.appendChild(r);
    });
    [[2, labelLeft, "start"], [298, labelRight, "end"], [150, "max " + max, "middle"]].forEach(function (l) {
      var t = document.createElementNS(NS, "text");
      t.setAttribute("x", String(l[0])); t.setAttribute("y", "117"); t.setAttribute("font-size", "10"); t.setAttribute("text-anchor", l[2]);
      t.textContent = l[1]; svg.appendChild(t);
    });
  }
${START_ERROR_JS}  function status(s) {
    HS.text("name", s.identity.name); HS.text("address", s.identity.address); HS.text("keytype", s.identity.keyType);
    HS.text("region", s.region.name);
    var src = HS.$("regionsource"); src.textContent = s.region.source;
    src.className = "badge " + (s.region.source === "asserted" ? "ok" : s.region.source === "fallback" ? "warn" : "bad");
    var blocked = HS.$("blocked"); blocked.textContent = s.region.blockedReason || ""; blocked.className = s.region.blockedReason ? "note" : "";
    HS.text("clock", s.clock.synced ? "synced" : "NOT synced: nothing is signed until it is");
    HS.text("uptime", Math.floor(s.system.uptimeSeconds / 3600) + " h " + Math.floor((s.system.uptimeSeconds % 3600) / 60) + " min");
    HS.text("freemem", s.system.freeMemory == null ? "n/a" : s.system.freeMemory + " bytes");
    HS.text("version", s.system.version);
    HS.text("listenplan", s.radio.listenPlan); HS.text("singlechannel", s.radio.singleChannelNote);
    HS.rows("services", s.services, function (v) {
      return [v.name, HS.el("td", "badge " + (v.state === "connected" ? "ok" : v.state === "disabled" ? "" : "warn"), v.state), v.lastError || "", td(v.reconnects)];
    });
    HS.text("dc", s.dataCredits.credits); HS.text("dcpackets", s.dataCredits.packets);
    var f = s.security.failures, names = Object.keys(f).filter(function (k) { return f[k] > 0; });
    HS.text("authok", s.security.accepted + " calls accepted; refused: " + (names.length ? "" : "none"));
    HS.rows("authfail", names, function (k) { return [k, td(f[k])]; });
    var lf = s.security.lastFailure;
    HS.text("lastfail", lf ? "last refusal: " + lf.reason + " from " + (lf.remoteAddress || "?") + " at " + time(lf.at) : "");
    var h = s.http;
    HS.text("httpstats", h ? "HTTP: " + h.requests + " requests, " + h.malformed + " refused by the parser, " + h.timeouts + " timed out, " +
      h.internalErrors + " internal errors" + (h.lastInternalError ? " (last: " + h.lastInternalError + ")" : "") : "");
  }
  function stats(s) {
    var total = { sf: "all", heard: 0, crcBad: 0, routed: 0, dropped: 0, downlinksOnTime: 0, downlinksLate: 0 };
    s.counters.forEach(function (c) { Object.keys(total).forEach(function (k) { if (k !== "sf") total[k] += c[k]; }); });
    HS.rows("counters", s.counters.concat([total]), function (c) {
      return [c.sf === "all" ? "all" : "SF" + c.sf, td(c.heard), td(c.crcBad), td(c.routed), td(c.dropped), td(c.downlinksOnTime), td(c.downlinksLate)];
    });
    bars("ppm", s.packetsPerMinute, "-" + s.packetsPerMinute.length + " min", "now");
    var h = s.rssiHistogram;
    bars("rssi", h.counts, h.fromDbm + " dBm", (h.fromDbm + h.binDb * h.counts.length) + " dBm");
    startErrorChart(s.downlinkStartErrors);
  }
  function packets(p) {
    HS.rows("packets", p.packets, function (x) {
      return [time(x.time), HS.el("td", "mono", x.devAddr), td(x.fCnt), td((x.freq / 1e6).toFixed(3)), td(x.sf), td(x.rssi), td(x.snr)];
    });
  }
  function poc(p) {
    HS.rows("poc", p.entries, function (e) { return [time(e.time), e.kind, e.detail]; });
  }
  var running = false, ready = false, tick = 0;
  async function refresh() {
    if (running) return;
    running = true;
    try {
      var calls = [["/api/v1/status", status], ["/api/v1/stats", stats]];
      if (tick++ % 3 === 0) calls.push(["/api/v1/packets", packets], ["/api/v1/poc", poc]);
      for (var i = 0; i < calls.length; i++) {
        var r = await HS.api("GET", calls[i][0]);
        if (r.status !== 200) { HS.text("keystate", (r.json && r.json.message) || "API error " + r.status); break; }
        calls[i][1](r.json);
      }
    } finally { running = false; }
  }
  HS.keyBar(function () { ready = true; tick = 0; refresh(); });
  setInterval(function () { if (ready) refresh(); }, 2000);
})();
`;
