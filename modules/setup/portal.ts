// The setup portal: the page a maker sees after joining the hotspot's own Wi-Fi network on first
// boot (or after a long press of the button). It asks for the Wi-Fi network to join, the fallback
// region and the antenna gain, checks them with the app's config rules, stores them and asks the
// platform to restart. Every other address answers with a redirect to the portal, so phones and
// laptops that probe for a captive portal open it by themselves. Platform-neutral: an HttpHandler
// for modules/web's HTTP server; main.ts serves it over the device's Listener.
import type { Core } from "../core/core.js";
import type { KeyValueStore, Log } from "../host/provider.js";
import { checkConfig, defaultConfig, type HotspotConfig } from "../app/config.js";
import { ConfigStore } from "../app/config-store.js";
import { REGION_NAMES } from "../region/plans.js";
import { STYLE_CSS } from "../web/pages/style.js";
import type { FieldError } from "../web/actions.js";
import type { HttpHandler, HttpRequest, HttpResponse } from "../web/http/types.js";
import { utf8Decode } from "../util/bytes.js";
import { deepFreeze } from "../util/freeze.js";

export interface SetupPortalOptions {
  core: Core;
  store: KeyValueStore;
  /** The portal's address on its own network; every other host name is sent here. */
  address: string;
  /** Shown in the page title: the hotspot's animal name. */
  name: string;
  log?: Log;
  /** Called once the "saved" page has been handed to the network: the platform restarts. */
  onSaved(config: HotspotConfig): void;
}

/** The dashboard's stylesheet with the portal's one-column form. */
const PORTAL_CSS = `${STYLE_CSS}form.setup{display:block;max-width:28em}\nform.setup input,form.setup select{width:100%}\n`;

const HEADERS: [string, string][] = deepFreeze([
  ["Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"],
  ["X-Content-Type-Options", "nosniff"],
  ["Cache-Control", "no-store"],
]);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(status: number, title: string, body: string): HttpResponse {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="/style.css"></head><body><header><h1>${escapeHtml(title)}</h1></header><main><section class="wide">${body}</section></main></body></html>`;
  return { status, headers: [["Content-Type", "text/html; charset=utf-8"], ...HEADERS], body: html };
}

/** Fields of an application/x-www-form-urlencoded body; undefined when it is malformed. */
export function parseForm(body: Uint8Array): Map<string, string> | undefined {
  const fields = new Map<string, string>();
  const text = utf8Decode(body);
  if (text.length === 0) return fields;
  for (const pair of text.split("&")) {
    const eq = pair.indexOf("=");
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? "" : pair.slice(eq + 1);
    try {
      fields.set(decodeURIComponent(name.replace(/\+/g, " ")), decodeURIComponent(value.replace(/\+/g, " ")));
    } catch {
      return undefined;
    }
  }
  return fields;
}

function form(config: HotspotConfig, values: { ssid: string; region: string; gain: string }, errors: FieldError[]): string {
  const problems = errors.length === 0 ? "" : `<p class="err">Please correct:</p><ul class="err">${errors.map((e) => `<li>${escapeHtml(e.field)}: ${escapeHtml(e.reason)}</li>`).join("")}</ul>`;
  const option = (value: string, label: string) => `<option value="${value}"${values.region === value ? " selected" : ""}>${escapeHtml(label)}</option>`;
  const passwordHint = config.wifi.ssid && config.wifi.password ? ` Leave it empty to keep the stored password of ${escapeHtml(config.wifi.ssid)}.` : "";
  return `${problems}<form class="setup" method="post" action="/setup">
<p><label>Wi-Fi network (SSID)<br><input name="ssid" maxlength="32" required value="${escapeHtml(values.ssid)}"></label></p>
<p><label>Wi-Fi password<br><input name="password" type="password" maxlength="63" autocomplete="off"></label><br><small>8 to 63 characters; empty for an open network.${passwordHint}</small></p>
<p><label>Region fallback<br><select name="region">${option("", "none: wait for the config service")}${REGION_NAMES.map((r) => option(r, r)).join("")}</select></label><br><small>Used until the Helium config service names the region asserted for this hotspot. Choose the region you are in; with none, the radio stays off until the config service answers.</small></p>
<p><label>Antenna gain (dBi)<br><input name="gain" inputmode="decimal" value="${escapeHtml(values.gain)}"></label><br><small>0 to 20 dBi. The transmit power is the region's limit minus this gain.</small></p>
<p><button>Save and restart</button></p></form>`;
}

export function createSetupPortal(o: SetupPortalOptions): HttpHandler {
  const configs = new ConfigStore(o.store, o.core);
  const current = (): HotspotConfig => {
    const loaded = configs.load();
    return loaded.found ? loaded.config : defaultConfig();
  };
  const title = `Hotspot setup: ${o.name}`;
  const formPage = (status: number, values: { ssid: string; region: string; gain: string }, errors: FieldError[] = []) =>
    page(status, title, form(current(), values, errors));

  const save = (request: HttpRequest): HttpResponse => {
    const fields = parseForm(request.body);
    if (fields === undefined) return formPage(400, { ssid: "", region: "", gain: "" }, [{ field: "(form)", reason: "the form data is malformed" }]);
    const ssid = fields.get("ssid") ?? "";
    const password = fields.get("password") ?? "";
    const region = fields.get("region") ?? "";
    const gainText = (fields.get("gain") ?? "").trim();
    const values = { ssid, region, gain: gainText };
    const base = current();
    const errors: FieldError[] = [];
    if (ssid.length === 0) errors.push({ field: "wifi.ssid", reason: "enter the name of the Wi-Fi network to join" });
    const gain = gainText === "" ? Number.NaN : Number(gainText);
    // An empty password for the network already stored keeps its password (the form never shows it).
    const wifi = password === "" && ssid === base.wifi.ssid ? { ssid } : { ssid, password };
    const checked = checkConfig(o.core, { wifi, region: { fallback: region === "" ? null : region }, antennaGainDbi: gain }, base);
    if (!checked.ok) errors.push(...checked.errors);
    if (errors.length > 0 || !checked.ok) return formPage(400, values, errors);
    configs.save(checked.config);
    o.log?.("info", "setup", `saved: Wi-Fi "${ssid}", region fallback ${region || "none"}, antenna gain ${gain} dBi; restarting`);
    const done = page(200, title, `<p>Saved. The hotspot now restarts and joins <b>${escapeHtml(ssid)}</b>.</p><p>Its LED blinks fast while it starts; two blinks every 3 s mean it cannot join that network (hold the button for 5 s to come back here).</p>`);
    return { ...done, afterSend: () => o.onSaved(checked.config) };
  };

  return (request) => {
    if (request.path === "/style.css" && (request.method === "GET" || request.method === "HEAD")) {
      return { status: 200, headers: [["Content-Type", "text/css; charset=utf-8"], ["Cache-Control", "no-cache"]], body: PORTAL_CSS };
    }
    if (request.path === "/setup" && request.method === "POST") return save(request);
    if (request.path === "/" && (request.method === "GET" || request.method === "HEAD")) {
      const c = current();
      return formPage(200, { ssid: c.wifi.ssid, region: c.region.fallback ?? "", gain: String(c.antennaGainDbi) });
    }
    if (request.method === "GET" || request.method === "HEAD") {
      // Captive-portal probes (generate_204, hotspot-detect.html, ...) and any other page.
      return { status: 302, headers: [["Location", `http://${o.address}/`], ["Cache-Control", "no-store"]], body: "" };
    }
    return page(405, title, "<p>Only the setup form is served here.</p>");
  };
}
