// The JSON API under /api/v1/. Read calls need a read or admin key; everything that changes the
// hotspot, and everything that shows config or keys, needs an admin key. Nothing here can reach
// the gateway's private key: the status provider and the actions never hand it out.

import { utf8Decode } from "../../util/bytes.js";
import type { FieldError, HotspotActions } from "../actions.js";
import { errorResponse, jsonResponse } from "../http/response.js";
import type { Router } from "../http/router.js";
import type { HttpRequest, HttpResponse } from "../http/types.js";
import type { HttpStats } from "../http/connection.js";
import type { StatusProvider } from "../status.js";
import type { Authenticator } from "./auth.js";
import type { ApiKeyInfo, ApiKeys, Scope } from "./keys.js";

export interface ApiDeps {
  status: StatusProvider;
  actions: HotspotActions;
  keys: ApiKeys;
  auth: Authenticator;
  /** The serving transport's counters, when there is one. */
  httpStats?: () => HttpStats | undefined;
}

export const API_PREFIX = "/api/v1";

const FACTORY_RESET_CONFIRMATION = "factory-reset";

type Guarded = (
  request: HttpRequest,
  params: Record<string, string>,
  key: ApiKeyInfo,
) => HttpResponse | Promise<HttpResponse>;

type Body = { ok: true; value: Record<string, unknown> } | { ok: false; response: HttpResponse };

function fieldErrors(errors: FieldError[], code = "invalid_request", message = "some fields are invalid"): HttpResponse {
  return errorResponse(400, code, message, { fields: errors });
}

/** The body as a JSON object, or the 4xx to send. */
function jsonBody(request: HttpRequest): Body {
  const type = request.headers.get("content-type");
  if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) {
    return { ok: false, response: errorResponse(415, "unsupported_media_type", "send the body as application/json") };
  }
  const bad = (reason: string): Body => ({ ok: false, response: fieldErrors([{ field: "(body)", reason }], "invalid_json") });
  if (request.body.length === 0) return bad("a JSON object is required");
  let value: unknown;
  try {
    value = JSON.parse(utf8Decode(request.body));
  } catch {
    return bad("not valid JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return bad("must be a JSON object");
  return { ok: true, value: value as Record<string, unknown> };
}

export function addApiRoutes(router: Router, deps: ApiDeps): void {
  const { status, actions, keys, auth } = deps;
  const guard = (scope: Scope, handler: Guarded) => (request: HttpRequest, params: Record<string, string>) => {
    const key = auth.authenticate(request, scope);
    if ("status" in key) return key;
    return handler(request, params, key);
  };
  const route = (method: string, path: string, scope: Scope, handler: Guarded) =>
    router.add(method, API_PREFIX + path, guard(scope, handler));

  // ------------------------------------------------------------ read
  route("GET", "/status", "read", () => {
    const s = status.snapshot();
    return jsonResponse(200, {
      identity: s.identity,
      region: s.region,
      services: s.services,
      clock: s.clock,
      radio: s.radio,
      system: s.system,
      dataCredits: s.dataCredits,
      security: auth.status,
      http: deps.httpStats?.() ?? null,
    });
  });
  route("GET", "/stats", "read", () => {
    const s = status.snapshot();
    return jsonResponse(200, {
      counters: s.counters,
      packetsPerMinute: s.packetsPerMinute,
      rssiHistogram: s.rssiHistogram,
      downlinkStartErrors: s.downlinkStartErrors,
      dataCredits: s.dataCredits,
    });
  });
  route("GET", "/packets", "read", () => jsonResponse(200, { packets: status.snapshot().recentPackets }));
  route("GET", "/poc", "read", () => jsonResponse(200, { entries: status.snapshot().poc }));
  route("GET", "/auth", "read", (_request, _params, key) => jsonResponse(200, key));

  // ------------------------------------------------------------ config
  route("GET", "/config", "admin", async () => jsonResponse(200, { config: await actions.getConfig() }));
  route("PUT", "/config", "admin", async (request) => {
    const body = jsonBody(request);
    if (!body.ok) return body.response;
    const result = await actions.putConfig(body.value);
    if (!result.ok) return fieldErrors(result.errors, "invalid_config", "the config was refused; nothing changed");
    return jsonResponse(200, { config: result.config });
  });

  // ------------------------------------------------------------ onboarding
  route("POST", "/add-gateway", "admin", async (request) => {
    const parsed = jsonBody(request);
    if (!parsed.ok) return parsed.response;
    const body = parsed.value;
    const errors: FieldError[] = [];
    for (const field of ["owner", "payer"]) {
      const v = body[field];
      if (typeof v !== "string" || v.length === 0) errors.push({ field, reason: "required: a Helium or Solana address" });
      else if (v.length > 64 || !/^[1-9A-HJ-NP-Za-km-z]+$/.test(v)) errors.push({ field, reason: "not a base58 address" });
    }
    if (errors.length > 0) return fieldErrors(errors);
    const result = await actions.addGatewayTxn(body.owner as string, body.payer as string);
    if ("errors" in result) return fieldErrors(result.errors);
    return jsonResponse(200, result);
  });

  // ------------------------------------------------------------ keys
  route("GET", "/keys", "admin", () => jsonResponse(200, { keys: keys.list() }));
  route("POST", "/keys", "admin", (request) => {
    const parsed = jsonBody(request);
    if (!parsed.ok) return parsed.response;
    const body = parsed.value;
    const errors: FieldError[] = [];
    if (body.scope !== "read" && body.scope !== "admin") errors.push({ field: "scope", reason: 'must be "read" or "admin"' });
    if (body.ttlSeconds !== undefined && !Number.isInteger(body.ttlSeconds)) errors.push({ field: "ttlSeconds", reason: "must be an integer" });
    if (body.label !== undefined && typeof body.label !== "string") errors.push({ field: "label", reason: "must be a string" });
    if (errors.length > 0) return fieldErrors(errors);
    const created = keys.create(body.scope as Scope, { ttlSeconds: body.ttlSeconds as number | undefined, label: body.label as string | undefined });
    if ("error" in created) {
      switch (created.error) {
        case "bad_ttl":
          return fieldErrors([{ field: "ttlSeconds", reason: "must be between 60 s and 366 days" }]);
        case "bad_label":
          return fieldErrors([{ field: "label", reason: "at most 32 printable ASCII characters" }]);
        case "too_many_keys":
          return errorResponse(409, "too_many_keys", "the key store is full: revoke a key first");
        case "clock_unsynced":
          return errorResponse(503, "clock_unsynced", "expiring keys need a synced clock");
      }
    }
    return jsonResponse(201, created);
  });
  route("DELETE", "/keys/:id", "admin", (_request, params) => {
    const outcome = keys.revoke(params.id);
    if (outcome === "not_found") return errorResponse(404, "not_found", "no such API key");
    if (outcome === "last_admin") return errorResponse(409, "last_admin_key", "this is the last admin key: create another before revoking it");
    auth.forget(params.id);
    return jsonResponse(200, { revoked: params.id });
  });

  // ------------------------------------------------------------ actions
  route("POST", "/actions/restart-radio", "admin", async () => {
    await actions.restartRadio();
    return jsonResponse(200, { done: "restart-radio" });
  });
  route("POST", "/actions/reboot", "admin", () => ({
    ...jsonResponse(202, { accepted: "reboot" }),
    afterSend: () => void actions.reboot(),
  }));
  route("POST", "/actions/factory-reset", "admin", (request) => {
    const parsed = jsonBody(request);
    if (!parsed.ok) return parsed.response;
    if (parsed.value.confirm !== FACTORY_RESET_CONFIRMATION) {
      return fieldErrors([{ field: "confirm", reason: `must be "${FACTORY_RESET_CONFIRMATION}"` }]);
    }
    return { ...jsonResponse(202, { accepted: "factory-reset" }), afterSend: () => void actions.factoryReset() };
  });
}
