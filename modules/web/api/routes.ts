// The JSON API under /api/v1/ and /metrics. Read calls need a read key or a read token; everything
// that changes the hotspot, and everything that shows config or keys, needs an admin key's
// signature. Nothing here can reach the gateway's private key: the status provider and the actions
// never hand it out.

import { fromHex } from "../../util/bytes.js";
import type { FieldError, HotspotActions } from "../actions.js";
import type { HttpStats } from "../http/connection.js";
import { errorResponse, jsonResponse } from "../http/response.js";
import type { Router } from "../http/router.js";
import type { HttpRequest, HttpResponse } from "../http/types.js";
import type { StatusProvider } from "../status.js";
import { HEADER_ENROLMENT_CODE, type Authenticator } from "./auth.js";
import type { Enrolment } from "./enrolment.js";
import { fieldErrors, readJsonObject } from "./json-body.js";
import { MAX_LABEL_LENGTH, type AddError, type ApiKeyInfo, type ApiKeys, type Scope } from "./keys.js";
import { METRICS_CONTENT_TYPE, metricsText } from "./metrics.js";

export interface ApiDeps {
  status: StatusProvider;
  actions: HotspotActions;
  keys: ApiKeys;
  auth: Authenticator;
  enrolment: Enrolment;
  /** Monotonic ms (the enrolment window). */
  millis(): number;
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

/** Refuses fields a body may not have (a typo is never silently ignored). */
function unknownFields(body: Record<string, unknown>, known: readonly string[], errors: FieldError[]): void {
  for (const k of Object.keys(body)) if (!known.includes(k)) errors.push({ field: k, reason: `unknown field (known: ${known.join(", ")})` });
}

function checkLabel(value: unknown, required: boolean, errors: FieldError[]): void {
  if (value === undefined && !required) return;
  if (typeof value !== "string" || value.length > MAX_LABEL_LENGTH || !/^[\x20-\x7e]*$/.test(value) || (required && value.length === 0)) {
    errors.push({ field: "label", reason: `${required ? "required: " : ""}1 to ${MAX_LABEL_LENGTH} printable ASCII characters` });
  }
}

function checkTtl(value: unknown, errors: FieldError[]): void {
  if (value !== undefined && !Number.isInteger(value)) errors.push({ field: "ttlSeconds", reason: "must be a whole number of seconds" });
}

function addError(error: AddError): HttpResponse {
  switch (error) {
    case "bad_ttl":
      return fieldErrors([{ field: "ttlSeconds", reason: "must be between 60 s and 366 days" }]);
    case "bad_label":
      return fieldErrors([{ field: "label", reason: `at most ${MAX_LABEL_LENGTH} printable ASCII characters` }]);
    case "duplicate_key":
      return errorResponse(409, "duplicate_key", "this public key is already enrolled");
    case "too_many_keys":
      return errorResponse(409, "too_many_keys", "the key store is full: revoke a key first");
    case "too_many_tokens":
      return errorResponse(409, "too_many_tokens", "the token store is full: revoke a token first");
    case "clock_unsynced":
      return errorResponse(503, "clock_unsynced", "expiring keys need a synced clock");
  }
}

/** The fields of a POST /keys body, checked; the 400 to send otherwise. */
function keyRequest(body: Record<string, unknown>): { publicKey: Uint8Array; scope: Scope; ttlSeconds?: number; label?: string } | HttpResponse {
  const errors: FieldError[] = [];
  unknownFields(body, ["publicKey", "scope", "ttlSeconds", "label"], errors);
  const { publicKey, scope, ttlSeconds, label } = body;
  if (typeof publicKey !== "string" || !/^[0-9a-fA-F]{64}$/.test(publicKey)) errors.push({ field: "publicKey", reason: "required: the client's Ed25519 public key, 64 hex digits" });
  if (scope !== "read" && scope !== "admin") errors.push({ field: "scope", reason: 'must be "read" or "admin"' });
  checkTtl(ttlSeconds, errors);
  checkLabel(label, false, errors);
  if (errors.length > 0) return fieldErrors(errors);
  return { publicKey: fromHex((publicKey as string).toLowerCase()), scope: scope as Scope, ttlSeconds: ttlSeconds as number | undefined, label: label as string | undefined };
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
  const withBody = (handler: (body: Record<string, unknown>, request: HttpRequest) => HttpResponse | Promise<HttpResponse>): Guarded => (request) => {
    const parsed = readJsonObject(request);
    return parsed.ok ? handler(parsed.value, request) : parsed.response;
  };

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
      pocTotals: s.pocTotals,
    });
  });
  route("GET", "/packets", "read", () => jsonResponse(200, { packets: status.snapshot().recentPackets }));
  route("GET", "/poc", "read", () => jsonResponse(200, { entries: status.snapshot().poc }));
  route("GET", "/auth", "read", (_request, _params, key) => jsonResponse(200, key));
  router.add("GET", "/metrics", guard("read", () => ({
    status: 200,
    headers: [["Content-Type", METRICS_CONTENT_TYPE], ["Cache-Control", "no-store"]],
    body: metricsText(status.snapshot(), auth.status, deps.httpStats?.()),
  })));
  // Public: whether a first admin key can be enrolled now (the dashboard offers the form then).
  router.add("GET", API_PREFIX + "/enrolment", () => {
    const open = deps.enrolment.isOpen(deps.millis()) && !keys.hasUsableAdmin();
    return jsonResponse(200, { open });
  });

  // ------------------------------------------------------------ config
  route("GET", "/config", "admin", async () => jsonResponse(200, { config: await actions.getConfig() }));
  route("PUT", "/config", "admin", withBody(async (body) => {
    const result = await actions.putConfig(body);
    if (!result.ok) return fieldErrors(result.errors, "invalid_config", "the config was refused; nothing changed");
    return jsonResponse(200, { config: result.config });
  }));

  // ------------------------------------------------------------ onboarding
  route("POST", "/add-gateway", "admin", withBody(async (body) => {
    const errors: FieldError[] = [];
    unknownFields(body, ["owner", "payer"], errors);
    for (const field of ["owner", "payer"]) {
      const v = body[field];
      if (typeof v !== "string" || v.length === 0) errors.push({ field, reason: "required: a Helium or Solana address" });
      else if (v.length > 64 || !/^[1-9A-HJ-NP-Za-km-z]+$/.test(v)) errors.push({ field, reason: "not a base58 address" });
    }
    if (errors.length > 0) return fieldErrors(errors);
    const result = await actions.addGatewayTxn(body.owner as string, body.payer as string);
    if ("errors" in result) return fieldErrors(result.errors);
    return jsonResponse(200, result);
  }));

  // ------------------------------------------------------------ keys and tokens
  route("GET", "/keys", "admin", () => jsonResponse(200, { keys: keys.list() }));
  const addKey = guard("admin", withBody((body) => {
    const request = keyRequest(body);
    if ("status" in request) return request;
    const added = keys.add(request.publicKey, request.scope, { ttlSeconds: request.ttlSeconds, label: request.label });
    return "error" in added ? addError(added.error) : jsonResponse(201, added);
  }));
  /** The first admin key, with the one-time code from the console instead of an admin signature. */
  const enrol = (request: HttpRequest): HttpResponse => {
    const parsed = readJsonObject(request);
    if (!parsed.ok) return parsed.response;
    const fields = keyRequest({ scope: "admin", ...parsed.value });
    if ("status" in fields) return fields;
    if (fields.scope !== "admin") return fieldErrors([{ field: "scope", reason: 'the enrolment code enrols an "admin" key' }]);
    const enrolled = auth.enrol(request, fields.publicKey, () => {
      const added = keys.add(fields.publicKey, "admin", { ttlSeconds: fields.ttlSeconds, label: fields.label ?? "enrolled", expires: false });
      return "error" in added ? addError(added.error) : added;
    });
    return "status" in enrolled ? enrolled : jsonResponse(201, enrolled);
  };
  router.add("POST", API_PREFIX + "/keys", (request, params) =>
    request.headers.has(HEADER_ENROLMENT_CODE) ? enrol(request) : addKey(request, params));
  route("POST", "/tokens", "admin", withBody((body) => {
    const errors: FieldError[] = [];
    unknownFields(body, ["label", "ttlSeconds"], errors);
    checkLabel(body.label, true, errors);
    checkTtl(body.ttlSeconds, errors);
    if (errors.length > 0) return fieldErrors(errors);
    const created = keys.createToken({ label: body.label as string, ttlSeconds: body.ttlSeconds as number | undefined });
    return "error" in created ? addError(created.error) : jsonResponse(201, created);
  }));
  route("DELETE", "/keys/:id", "admin", (_request, params) => {
    const outcome = keys.revoke(params.id);
    if (outcome === "not_found") return errorResponse(404, "not_found", "no such API key or token");
    if (outcome === "last_admin") return errorResponse(409, "last_admin_key", "this is the last admin key: add another before revoking it");
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
  route("POST", "/actions/factory-reset", "admin", withBody((body) => {
    if (body.confirm !== FACTORY_RESET_CONFIRMATION) {
      return fieldErrors([{ field: "confirm", reason: `must be "${FACTORY_RESET_CONFIRMATION}"` }]);
    }
    return { ...jsonResponse(202, { accepted: "factory-reset" }), afterSend: () => void actions.factoryReset() };
  }));
}
