// The hotspot's configuration: everything a user sets on a device, as one JSON object. Every field
// is checked on its own and every problem is named (field path + reason); a config with any problem
// is refused as a whole, so the running config is never half-changed.
import type { Core } from "../core/core.js";
import type { FieldError } from "../web/actions.js";
import { parseGrpcUri } from "../grpc/channel.js";
import { parseForwarderConfig, type ForwarderConfig } from "../forwarder/config.js";
import { REGION_NAMES } from "../region/plans.js";
import type { RegionName } from "../region/plan-types.js";
import type { ListenPlan } from "../radio/listen-plan.js";

/** Where the hotspot finds the Helium services (gateway-rs' settings.toml names in comments). */
export interface UpstreamConfig {
  /** router.uri */
  router: string;
  /** config.uri */
  config: string;
  /** config.pubkey: the config service's Helium address; its signature is checked on every answer. */
  configKey: string;
  /** poc.entropy_uri */
  entropy: string;
  /** poc.ingest_uri */
  ingest: string;
}

export interface HotspotConfig {
  /** Station Wi-Fi (the device only; the simulator ignores it). Empty SSID = not configured. */
  wifi: { ssid: string; password: string };
  region: {
    /** Used until the config service names the asserted region; null = wait (region UNKNOWN). */
    fallback: RegionName | null;
    /** US915/AU915 sub-band 1..8 the radio plan uses. */
    subBand: number;
  };
  /** Antenna gain, dBi (conducted power = EIRP limit - gain). */
  antennaGainDbi: number;
  /** "auto": the region's first uplink channel at its fastest SF; or an explicit single-channel plan. */
  radio: { listen: "auto" | ListenPlan };
  upstream: UpstreamConfig;
  /** poc.disable (inverted) and poc.interval. */
  poc: { enabled: boolean; intervalSeconds: number };
  /** Semtech UDP forwarder: mode helium / forwarder / both, up to two servers. */
  forwarder: ForwarderConfig;
}

/** gateway-rs' default endpoints and config-service key (settings.toml, spec 4.1). */
const GATEWAY_RS_UPSTREAM: UpstreamConfig = Object.freeze({
  router: "http://mainnet-router.helium.io:8080/",
  config: "http://mainnet-config.helium.io:6080/",
  configKey: "137oJzq1qZpSbzHawaysTGGsRCYTXG1MiTMQNxYSsQJp4YMDdN8",
  entropy: "http://entropy.iot.mainnet.helium.io:7080",
  ingest: "http://mainnet-pociot.helium.io:9080",
});

/**
 * The factory config, a new object on each call: on the device this module is preloaded, so a
 * module-level object would sit in flash, where JSON.stringify cannot walk it ("read only value",
 * Moddable issue #1145) and every config is stringified when it is stored.
 */
export function defaultConfig(): HotspotConfig {
  return {
    wifi: { ssid: "", password: "" },
    region: { fallback: null, subBand: 2 },
    antennaGainDbi: 1.2,
    radio: { listen: "auto" },
    upstream: { ...GATEWAY_RS_UPSTREAM },
    poc: { enabled: true, intervalSeconds: 6 * 3600 },
    forwarder: { mode: "helium", servers: [], keepaliveMs: 10_000, statIntervalMs: 30_000, pushAckTimeoutMs: 1_000, forwardCrcErrors: false },
  };
}

/** The config with secrets hidden: the Wi-Fi password is never sent back, only whether one is set. */
export function publicConfig(config: HotspotConfig): Record<string, unknown> {
  const { password, ...wifi } = config.wifi;
  return { ...clone(config), wifi: { ...wifi, passwordSet: password.length > 0 } };
}

export type ConfigCheck = { ok: true; config: HotspotConfig } | { ok: false; errors: FieldError[] };

const SECTIONS = Object.freeze(["wifi", "region", "antennaGainDbi", "radio", "upstream", "poc", "forwarder"]);

/**
 * Checks a whole config as a user sends it. Absent sections keep their value from `base` (the
 * running config), so a client may send only what it changes; an absent Wi-Fi password keeps the
 * stored one (the API never reveals it). Unknown fields are errors, so a typo is never ignored.
 */
export function checkConfig(core: Core, input: unknown, base: HotspotConfig = defaultConfig()): ConfigCheck {
  const errors: FieldError[] = [];
  const bad = (field: string, reason: string) => errors.push({ field, reason });
  if (!isObject(input)) return { ok: false, errors: [{ field: "(body)", reason: "must be a JSON object" }] };
  for (const key of Object.keys(input)) if (!SECTIONS.includes(key)) bad(key, `unknown field (known: ${SECTIONS.join(", ")})`);

  const wifi = section(input, "wifi", bad, ["ssid", "password", "passwordSet"]);
  const ssid = wifi?.ssid ?? base.wifi.ssid;
  if (typeof ssid !== "string" || utf8Length(ssid) > 32) bad("wifi.ssid", "must be a string of at most 32 bytes");
  const password = wifi?.password ?? base.wifi.password;
  if (typeof password !== "string" || (password.length > 0 && (password.length < 8 || password.length > 63))) {
    bad("wifi.password", "must be empty (open network) or 8 to 63 characters");
  }

  const region = section(input, "region", bad, ["fallback", "subBand"]);
  const fallback = region && "fallback" in region ? region.fallback : base.region.fallback;
  if (fallback !== null && (typeof fallback !== "string" || !(REGION_NAMES as readonly string[]).includes(fallback))) {
    bad("region.fallback", `must be null or one of ${REGION_NAMES.join(", ")}`);
  }
  const subBand = region?.subBand ?? base.region.subBand;
  if (!isInteger(subBand, 1, 8)) bad("region.subBand", "must be a whole number from 1 to 8");

  const gain = "antennaGainDbi" in input ? input.antennaGainDbi : base.antennaGainDbi;
  if (typeof gain !== "number" || !Number.isFinite(gain) || gain < 0 || gain > 20) bad("antennaGainDbi", "must be a number from 0 to 20 dBi");

  const radio = section(input, "radio", bad, ["listen"]);
  const listen = radio && "listen" in radio ? radio.listen : base.radio.listen;
  const listenPlan = checkListen(listen, bad);

  const upstream = section(input, "upstream", bad, ["router", "config", "configKey", "entropy", "ingest"]);
  const up = { ...base.upstream, ...(upstream ?? {}) } as Record<string, unknown>;
  for (const name of ["router", "config", "entropy", "ingest"]) {
    const uri = up[name];
    if (typeof uri !== "string") bad(`upstream.${name}`, "must be a URI like http://host:port");
    else {
      try {
        parseGrpcUri(uri);
      } catch (e) {
        bad(`upstream.${name}`, e instanceof Error ? e.message : String(e));
      }
    }
  }
  if (typeof up.configKey !== "string" || !isEd25519Address(core, up.configKey)) bad("upstream.configKey", "must be the config service's Helium address (an Ed25519 key)");

  const poc = section(input, "poc", bad, ["enabled", "intervalSeconds"]);
  const pocEnabled = poc && "enabled" in poc ? poc.enabled : base.poc.enabled;
  if (typeof pocEnabled !== "boolean") bad("poc.enabled", "must be true or false");
  const interval = poc?.intervalSeconds ?? base.poc.intervalSeconds;
  if (!isInteger(interval, 1, 7 * 86400)) bad("poc.intervalSeconds", "must be a whole number of seconds from 1 to 604800");

  let forwarder = base.forwarder;
  if ("forwarder" in input) {
    const parsed = parseForwarderConfig(input.forwarder);
    if (parsed.ok) forwarder = parsed.value;
    else bad("forwarder", parsed.error);
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: {
      wifi: { ssid: ssid as string, password: password as string },
      region: { fallback: fallback as RegionName | null, subBand: subBand as number },
      antennaGainDbi: gain as number,
      radio: { listen: listenPlan! },
      upstream: up as unknown as UpstreamConfig,
      poc: { enabled: pocEnabled as boolean, intervalSeconds: interval as number },
      forwarder,
    },
  };
}

function checkListen(listen: unknown, report: (field: string, reason: string) => void): "auto" | ListenPlan | undefined {
  if (listen === "auto") return "auto";
  if (!isObject(listen)) {
    report("radio.listen", `must be "auto" or {kind: "fixed" | "cad-scan", frequencyHz, bandwidthKhz, ...}`);
    return undefined;
  }
  let ok = true;
  const bad = (field: string, reason: string) => {
    ok = false;
    report(field, reason);
  };
  const { kind, frequencyHz, bandwidthKhz } = listen;
  if (!isInteger(frequencyHz, 150_000_000, 960_000_000)) bad("radio.listen.frequencyHz", "must be a whole number of Hz in the SX1262's 150-960 MHz range");
  if (bandwidthKhz !== 125 && bandwidthKhz !== 250 && bandwidthKhz !== 500) bad("radio.listen.bandwidthKhz", "must be 125, 250 or 500");
  let fields: string[] = [];
  if (kind === "fixed") {
    if (!isInteger(listen.spreadingFactor, 5, 12)) bad("radio.listen.spreadingFactor", "must be 5 to 12");
    fields = ["kind", "frequencyHz", "bandwidthKhz", "spreadingFactor"];
  } else if (kind === "cad-scan") {
    const sfs = listen.spreadingFactors;
    if (!Array.isArray(sfs) || sfs.length === 0 || !sfs.every((sf) => isInteger(sf, 5, 12)) || new Set(sfs).size !== sfs.length) {
      bad("radio.listen.spreadingFactors", "must list distinct spreading factors 5 to 12");
    }
    fields = ["kind", "frequencyHz", "bandwidthKhz", "spreadingFactors"];
  } else bad("radio.listen.kind", `must be "fixed" or "cad-scan"`);
  for (const k of Object.keys(listen)) if (fields.length > 0 && !fields.includes(k)) bad(`radio.listen.${k}`, "unknown field");
  return ok ? (listen as unknown as ListenPlan) : undefined;
}

function section(
  input: Record<string, unknown>,
  name: string,
  bad: (field: string, reason: string) => void,
  known: string[],
): Record<string, unknown> | undefined {
  if (!(name in input)) return undefined;
  const value = input[name];
  if (!isObject(value)) {
    bad(name, "must be an object");
    return undefined;
  }
  for (const key of Object.keys(value)) if (!known.includes(key)) bad(`${name}.${key}`, "unknown field");
  return value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isInteger(v: unknown, min: number, max: number): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
}

function isEd25519Address(core: Core, text: string): boolean {
  try {
    const bin = core.addressDecode(text);
    return bin.length === 33 && (bin[0] & 0x0f) === 0x01;
  } catch {
    return false;
  }
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
