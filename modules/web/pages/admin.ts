// The admin page (/admin) and its script (/admin.js): actions, config, add-gateway, API keys and
// read tokens. Every call is signed with this browser's own key (see ui.ts); dangerous actions ask
// for confirmation first.

import { pageHtml } from "./dashboard.js";

export const ADMIN_HTML = pageHtml(
  "Hotspot admin",
  "/admin.js",
  String.raw`<main>
<section><h2>Actions</h2><div class="row"><button id="restart">Restart radio</button><button id="reboot">Reboot</button><button id="reset" class="danger">Factory reset</button></div><div id="actionresult"></div>
<p>Factory reset erases config, API keys and counters; the gateway key stays. The next boot prints a new enrolment code to the serial port (in the simulator: its terminal).</p></section>
<section><h2>Add-gateway transaction</h2><form id="addgw"><input id="owner" placeholder="owner address" size="30"><input id="payer" placeholder="payer address" size="30"><button>Generate</button></form><div id="addgwresult"></div><textarea id="txn" readonly placeholder="base64 txn appears here"></textarea></section>
<section class="wide"><h2>Config</h2><div class="row"><button id="cfgload">Load</button><button id="cfgsave">Save</button></div><textarea id="cfg" spellcheck="false"></textarea><div id="cfgresult"></div></section>
<section class="wide"><h2>API keys and read tokens</h2><table><thead><tr><th>Id</th><th>Kind</th><th>Scope</th><th>Label</th><th>Created</th><th>Expires</th><th></th></tr></thead><tbody id="keys"></tbody></table>
<h3>Add a client's public key</h3><form id="newkey"><input id="newpub" placeholder="Ed25519 public key (64 hex)" size="40" autocomplete="off"><select id="newscope"><option>read</option><option>admin</option></select><input id="newdays" type="number" min="1" max="366" value="90" size="4"> days <input id="newlabel" placeholder="label" size="16" maxlength="32"><button>Add key</button></form>
<h3>Make a read token (for scrapers: Authorization: Bearer)</h3><form id="newtoken"><input id="tokenlabel" placeholder="label" size="16" maxlength="32"><input id="tokendays" type="number" min="1" max="366" value="90" size="4"> days <button>Make token</button></form>
<div id="keyresult"></div><div id="newsecret" class="mono"></div></section>
</main>`,
);

export const ADMIN_JS = String.raw`"use strict";
(function () {
  function day(ms) { return ms == null ? "never" : new Date(ms).toISOString().slice(0, 16).replace("T", " "); }
  function on(id, ev, fn) { HS.$(id).addEventListener(ev, function (e) { e.preventDefault(); fn(); }); }
  async function action(path, body, done) { HS.message("actionresult", await HS.api("POST", path, body), done); }
  on("restart", "click", function () { action("/api/v1/actions/restart-radio", undefined, "radio restarted"); });
  on("reboot", "click", function () { if (confirm("Reboot the hotspot?")) action("/api/v1/actions/reboot", undefined, "rebooting"); });
  on("reset", "click", function () {
    if (confirm("Factory reset: erase config, API keys and counters?")) action("/api/v1/actions/factory-reset", { confirm: "factory-reset" }, "factory reset started");
  });
  on("addgw", "submit", async function () {
    var r = await HS.api("POST", "/api/v1/add-gateway", { owner: HS.$("owner").value.trim(), payer: HS.$("payer").value.trim() });
    HS.message("addgwresult", r, "signed by " + (r.json && r.json.address));
    HS.$("txn").value = r.status === 200 ? r.json.txn : "";
  });
  on("cfgload", "click", async function () {
    var r = await HS.api("GET", "/api/v1/config");
    HS.message("cfgresult", r, "loaded");
    if (r.status === 200) HS.$("cfg").value = JSON.stringify(r.json.config, null, 2);
  });
  on("cfgsave", "click", async function () {
    var value;
    try { value = JSON.parse(HS.$("cfg").value); } catch (e) { HS.text("cfgresult", "not valid JSON: " + e.message); return; }
    var r = await HS.api("PUT", "/api/v1/config", value);
    HS.message("cfgresult", r, "saved");
    if (r.status === 200) HS.$("cfg").value = JSON.stringify(r.json.config, null, 2);
  });
  async function keys() {
    var r = await HS.api("GET", "/api/v1/keys");
    if (r.status !== 200) { HS.message("keyresult", r, ""); return; }
    HS.rows("keys", r.json.keys, function (k) {
      var b = HS.el("button", "danger", "Revoke"), cell = HS.el("td");
      b.addEventListener("click", async function () {
        if (!confirm("Revoke " + k.kind + " " + k.id + "?")) return;
        HS.message("keyresult", await HS.api("DELETE", "/api/v1/keys/" + k.id), "revoked " + k.id);
        keys();
      });
      cell.appendChild(b);
      return [HS.el("td", "mono", k.id), k.kind, k.scope, k.label, day(k.createdAt), day(k.expiresAt), cell];
    });
  }
  function ttl(id) { return Math.round(Number(HS.$(id).value) * 86400); }
  on("newkey", "submit", async function () {
    var r = await HS.api("POST", "/api/v1/keys", { publicKey: HS.$("newpub").value.trim(), scope: HS.$("newscope").value, ttlSeconds: ttl("newdays"), label: HS.$("newlabel").value });
    HS.message("keyresult", r, "added key " + (r.json && r.json.id));
    HS.text("newsecret", "");
    if (r.status === 201) HS.$("newpub").value = "";
    keys();
  });
  on("newtoken", "submit", async function () {
    var r = await HS.api("POST", "/api/v1/tokens", { label: HS.$("tokenlabel").value, ttlSeconds: ttl("tokendays") });
    HS.message("keyresult", r, "read token made: copy it now, it is not shown again");
    HS.text("newsecret", r.status === 201 ? r.json.token : "");
    keys();
  });
  HS.keyBar(function (me) { if (me.scope === "admin") keys(); else HS.text("keyresult", "this page needs an admin key"); });
})();
`;
