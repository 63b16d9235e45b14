// Serves the dashboard's static resources. Each is a string constant (on the device it lives in
// flash with the module); it is encoded per request, so no RAM is held between requests.
// /core.wasm is the compute core for pages on plain http, where browsers offer no WebCrypto: the
// page signs with the core's Ed25519 (it comes from the host's resources; 404 when there is none).
// Security headers: a CSP that allows only this origin's scripts and styles (no inline script, so
// injected markup could not run even if it got in; 'wasm-unsafe-eval' lets the core compile, no
// string evaluation), no framing, no MIME sniffing, no referrer.

import { errorResponse } from "../http/response.js";
import type { Router } from "../http/router.js";
import type { HttpResponse } from "../http/types.js";
import { ADMIN_HTML, ADMIN_JS } from "./admin.js";
import { DASHBOARD_HTML, DASHBOARD_JS } from "./dashboard.js";
import { STYLE_CSS } from "./style.js";
import { UI_JS } from "./ui.js";

const pair = (a: string, b: string): readonly [string, string] => Object.freeze([a, b] as const);

const SECURITY_HEADERS: readonly (readonly [string, string])[] = Object.freeze([
  pair("Content-Security-Policy", "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
  pair("X-Content-Type-Options", "nosniff"),
  pair("X-Frame-Options", "DENY"),
  pair("Referrer-Policy", "no-referrer"),
  pair("Cache-Control", "no-cache"),
]);

/** Path -> [content type, body]. Exported so tests can check sizes and syntax. */
export const PAGE_ASSETS: Readonly<Record<string, readonly [string, string]>> = Object.freeze({
  "/": pair("text/html; charset=utf-8", DASHBOARD_HTML),
  "/admin": pair("text/html; charset=utf-8", ADMIN_HTML),
  "/ui.js": pair("text/javascript; charset=utf-8", UI_JS),
  "/dashboard.js": pair("text/javascript; charset=utf-8", DASHBOARD_JS),
  "/admin.js": pair("text/javascript; charset=utf-8", ADMIN_JS),
  "/style.css": pair("text/css; charset=utf-8", STYLE_CSS),
});

/** The security headers as a response takes them (a fresh list: responses may add to theirs). */
function securityHeaders(): [string, string][] {
  return SECURITY_HEADERS.map(([name, value]) => [name, value]);
}

export interface PageSources {
  /** The compute core's wasm, when the host has it. */
  coreWasm(): ArrayBuffer | Uint8Array | undefined;
}

export function addPageRoutes(router: Router, sources?: PageSources): void {
  for (const path of Object.keys(PAGE_ASSETS)) {
    const [type, body] = PAGE_ASSETS[path];
    const response = (): HttpResponse => ({ status: 200, headers: [["Content-Type", type], ...securityHeaders()], body });
    router.add("GET", path, response);
  }
  router.add("GET", "/core.wasm", () => {
    const wasm = sources?.coreWasm();
    if (wasm === undefined) return errorResponse(404, "not_found", "this hotspot does not serve the core's wasm");
    return { status: 200, headers: [["Content-Type", "application/wasm"], ...securityHeaders()], body: wasm instanceof Uint8Array ? wasm : new Uint8Array(wasm) };
  });
}
