// Serves the dashboard's static resources. Each is a string constant (on the device it lives in
// flash with the module); it is encoded per request, so no RAM is held between requests.
// Security headers: a CSP that allows only this origin's scripts and styles (no inline script, so
// injected markup could not run even if it got in), no framing, no MIME sniffing, no referrer.

import type { Router } from "../http/router.js";
import type { HttpResponse } from "../http/types.js";
import { ADMIN_HTML, ADMIN_JS } from "./admin.js";
import { DASHBOARD_HTML, DASHBOARD_JS } from "./dashboard.js";
import { STYLE_CSS } from "./style.js";
import { UI_JS } from "./ui.js";
import { deepFreeze } from "../../util/freeze.js";

const SECURITY_HEADERS: [string, string][] = deepFreeze([
  ["Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "no-referrer"],
  ["Cache-Control", "no-cache"],
]);

/** Path -> [content type, body]. Exported so tests can check sizes and syntax. */
export const PAGE_ASSETS: Record<string, [string, string]> = deepFreeze({
  "/": ["text/html; charset=utf-8", DASHBOARD_HTML],
  "/admin": ["text/html; charset=utf-8", ADMIN_HTML],
  "/ui.js": ["text/javascript; charset=utf-8", UI_JS],
  "/dashboard.js": ["text/javascript; charset=utf-8", DASHBOARD_JS],
  "/admin.js": ["text/javascript; charset=utf-8", ADMIN_JS],
  "/style.css": ["text/css; charset=utf-8", STYLE_CSS],
});

export function addPageRoutes(router: Router): void {
  for (const [path, [type, body]] of Object.entries(PAGE_ASSETS)) {
    const response = (): HttpResponse => ({ status: 200, headers: [["Content-Type", type], ...SECURITY_HEADERS], body });
    router.add("GET", path, response);
  }
}
