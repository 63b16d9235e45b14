// The composition root: one object that builds the hotspot from the host provider, the compute core
// and a config, and owns the start, stop and restart of each part:
//
//   driver -> radio (RadioPart) -> classifier (UplinkDispatcher, core) -> packet router / PoC / forwarder
//   config service -> RegionState -> radio plan, PoC region, downlink power
//   packet router downlinks, forwarder txpk, PoC beacons -> radio JIT queue
//   web (dashboard + API) <- status snapshot, actions
//
// The web server and the gateway key live as long as the app; the other parts are rebuilt by
// restartParts() (config change, the simulator's reboot). Platform-neutral: main.ts on the device and
// sim/ on a PC construct it with their own host provider and radio driver.
import type { Core } from "../core/core.js";
import type { HostProvider, Log, LogLevel } from "../host/provider.js";
import { GrpcChannel, parseGrpcUri } from "../grpc/channel.js";
import { Conduit } from "../grpc/conduit.js";
import { animalName } from "../identity/animal-name.js";
import { buildAddGatewayTxn } from "../identity/add-gateway.js";
import { generateGatewayKey, loadGatewayKey, saveGatewayKey, type GatewayKey } from "../identity/gateway-key.js";
import { accountText, describeKeyBin, parseAccountKey, type HeliumPublicKey } from "../identity/keys.js";
import { Forwarder } from "../forwarder/forwarder.js";
import { usesForwarder, usesHelium } from "../forwarder/config.js";
import { Poc, POC_STREAM_PATH } from "../poc/poc.js";
import type { PocCounters } from "../poc/poc-log.js";
import type { DownlinkOutcome, DownlinkRequest } from "../radio/radio.js";
import { RegionWatcher, type RegionParamsResult } from "../region/config-client.js";
import { parseDataRateName } from "../region/datarate.js";
import { coreCodec, coreSessionKeys, coreSigner, coreVerify } from "../router/core-deps.js";
import { PacketRouterClient, type Downlink } from "../router/packet-router.js";
import { toBase64 } from "../util/bytes.js";
import type { AddGatewayResult, ConfigResult, FieldError, HotspotActions } from "../web/actions.js";
import type { HotspotStatus, StatusProvider } from "../web/status.js";
import { createWebApp, startWebServer, type WebApp, type WebServerOptions } from "../web/web.js";
import type { HttpServer } from "../web/http/server.js";
import { checkConfig, defaultConfig, publicConfig, type HotspotConfig } from "./config.js";
import { ConfigStore } from "./config-store.js";
import { TrafficCounters } from "./counters.js";
import { GrpcEntropySource } from "./entropy.js";
import { RadioPart, type RadioDriverFactory } from "./radio-part.js";
import { RegionState, regionName } from "./region-state.js";
import { describeServices, listenPlanText, pocLogEntries, radioNote, type ServiceParts } from "./status.js";
import { beaconRadio, forwarderScheduler, heliumDataRateName, scheduleRouterDownlink, type Transmitter } from "./transmit.js";
import { UplinkDispatcher } from "./uplinks.js";

export const FIRMWARE_VERSION = "0.1.0";

export interface HotspotAppOptions {
  host: HostProvider;
  core: Core;
  /** The platform's factory config (device: from the setup portal; simulator: the world's settings). Used when the store holds none. */
  config?: unknown;
  radio: {
    driver: RadioDriverFactory;
    /** Highest conducted power the board allows, dBm. */
    maxConductedDbm?: number;
  };
  /** Where the dashboard listens; false for none. Default port 80. */
  web?: WebServerOptions | false;
  /** Wi-Fi station MAC: the forwarder's gateway EUI comes from it unless the config names one. */
  mac?: Uint8Array;
  version?: string;
  /** The platform's reboot (the device restarts the chip). Default: the app rebuilds its parts. */
  reboot?(): void;
  /** Free heap in bytes, where the platform can tell. */
  freeMemory?(): number | undefined;
  /**
   * Gets the one-time API enrolment code at each boot while no admin key exists (first boot,
   * factory reset), to show on the console only: it is never stored. Default: the host log.
   */
  onEnrolmentCode?(code: string): void;
  /** Each packet-router downlink's fate as this hotspot's radio saw it (for observers such as the simulator's loss funnel). */
  onDownlinkOutcome?(payload: Uint8Array, outcome: DownlinkFate): void;
}

/** What became of one packet-router downlink: refused (and why), or sent or failed by the radio. */
export interface DownlinkFate {
  ok: boolean;
  /** The refusal or failure: a TxRefusal, a driver error, or RADIO_OFF when no radio could take it. */
  error?: string;
  window?: "RX1" | "RX2";
}

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly errors: FieldError[]) {
    super(`invalid config: ${errors.map((e) => `${e.field}: ${e.reason}`).join("; ")}`);
  }
}

/** What runs between startParts() and stopParts(). */
interface Parts extends ServiceParts {
  region: RegionState;
  channels: GrpcChannel[];
}

/** Figures for the simulator's progress lines and summaries (the hotspot's own view). */
export interface HotspotStats {
  mode: HotspotConfig["forwarder"]["mode"];
  region: { name: string; source: string };
  routerState: string;
  ingestState: string;
  radioState: string;
  traffic: TrafficCounters["totals"];
  poc: PocCounters;
  errors: number;
  warnings: number;
  lastProblem: string | undefined;
  /** The latest errors (the app's error log lines and PoC's error entries), oldest first, at most 10 of each. */
  recentErrors: string[];
}

const ZERO_POC: PocCounters = Object.freeze({
  beaconsSent: 0, beaconsFailed: 0, beaconReportsSent: 0, witnessesHeard: 0, witnessesSubmitted: 0,
  duplicatesDropped: 0, ownBeaconsHeard: 0, reportsDropped: 0, sessions: 0, errors: 0,
});

export class HotspotApp implements StatusProvider, HotspotActions {
  readonly key: GatewayKey;
  readonly name: string;
  readonly web: WebApp;
  readonly counters = new TrafficCounters();
  readonly radioPart: RadioPart;
  #config: HotspotConfig;
  readonly #factoryConfig: HotspotConfig;
  readonly #o: HotspotAppOptions;
  readonly #host: HostProvider;
  readonly #core: Core;
  readonly #log: Log;
  readonly #store: ConfigStore;
  readonly #dispatcher: UplinkDispatcher;
  readonly #bootMillis: number;
  #parts: Parts | undefined;
  #server: HttpServer | undefined;
  #pocPast: PocCounters = { ...ZERO_POC };
  #errors = 0;
  #recentErrors: string[] = [];
  #warnings = 0;
  #lastProblem: string | undefined;

  constructor(options: HotspotAppOptions) {
    this.#o = options;
    const host = (this.#host = options.host);
    const core = (this.#core = options.core);
    this.#bootMillis = host.clock.millis();
    this.#log = (level: LogLevel, source: string, message: string) => {
      if (level === "error") {
        this.#errors++;
        this.#recentErrors.push(`${source}: ${message}`);
        if (this.#recentErrors.length > 10) this.#recentErrors.shift();
      }
      if (level === "warn") this.#warnings++;
      if (level === "error" || level === "warn") this.#lastProblem = `${source}: ${message}`;
      host.log(level, source, message);
    };

    let key = loadGatewayKey(core, host.store);
    if (key === undefined) {
      key = generateGatewayKey(core, host.random);
      saveGatewayKey(host.store, key);
      this.#log("info", "identity", `created a new gateway key ${key.address}`);
    }
    this.key = key;
    this.name = animalName(core, key.address);

    const factory = options.config === undefined ? { ok: true as const, config: defaultConfig() } : checkConfig(core, options.config);
    if (!factory.ok) throw new ConfigError(factory.errors);
    this.#factoryConfig = factory.config;
    this.#store = new ConfigStore(host.store, core);
    const stored = this.#store.load();
    if (!stored.found && stored.problem !== undefined) this.#log("error", "config", `${stored.problem}; using the factory config`);
    this.#config = stored.found ? stored.config : factory.config;

    const log = this.#log;
    this.radioPart = new RadioPart({
      driver: options.radio.driver,
      clock: host.clock,
      timers: host.timers,
      airtime: (p, length) =>
        core.airtimeMicros({ spreadingFactor: p.spreadingFactor, bandwidthKHz: p.bandwidthKhz, codingRate: p.codingRate, preambleSymbols: p.preambleSymbols, payloadLength: length, crc: p.crc, implicitHeader: p.implicitHeader }),
      log,
      maxConductedDbm: options.radio.maxConductedDbm,
      onUplink: (e) => this.#dispatcher.handle(e),
    });
    this.#dispatcher = new UplinkDispatcher(core, host.clock, this.counters, () => {
      const p = this.#parts;
      return {
        router: p?.router && ((u) => p.router!.uplink(u)),
        poc: p?.poc && ((f) => p.poc!.onFrame(f)),
        forwarder: p?.forwarder && ((e) => p.forwarder!.uplink(e)),
      };
    });
    this.web = createWebApp({ status: this, actions: this, crypto: core, store: host.store, clock: host.clock, random: host.random, log, resource: (name) => host.resource?.(name) });
  }

  get config(): HotspotConfig {
    return this.#config;
  }

  /** The region state of the running parts (undefined while stopped). */
  get region(): RegionState | undefined {
    return this.#parts?.region;
  }

  /** The packet router client, the PoC and the forwarder of the running parts (for the simulator and tests). */
  get parts(): Readonly<ServiceParts> | undefined {
    return this.#parts;
  }

  /** The dashboard's HTTP server, once started. */
  get server(): HttpServer | undefined {
    return this.#server;
  }

  start(): void {
    if (this.#parts === undefined) this.#startParts();
    const web = this.#o.web ?? { port: 80 };
    if (web !== false && this.#server === undefined) this.#server = startWebServer(this.#host, this.web, web);
    this.#openEnrolment();
  }

  stop(): void {
    this.#stopParts();
    this.#server?.close();
    this.#server = undefined;
  }

  /** Stops and rebuilds every part but the web server (config change, the simulator's reboot). */
  restartParts(): void {
    this.#stopParts();
    this.#startParts();
  }

  // ------------------------------------------------------------ parts

  #startParts(): void {
    const host = this.#host;
    const core = this.#core;
    const c = this.#config;
    const log = this.#log;
    const region = new RegionState(c.region.fallback, c.region.subBand);
    const codec = coreCodec(core);
    const signer = coreSigner(core, this.key);
    const channels: GrpcChannel[] = [];
    const channel = (uri: string) => {
      const ch = new GrpcChannel({ TCP: host.io.TCP, dns: host.dns, timers: host.timers, ...parseGrpcUri(uri) });
      channels.push(ch);
      return ch;
    };
    const parts: Parts = { region, channels };
    parts.watcher = new RegionWatcher({
      channel: channel(c.upstream.config),
      codec,
      gatewayKey: signer,
      configKey: core.addressDecode(c.upstream.configKey),
      verify: coreVerify(core),
      timers: host.timers,
      random: host.random,
      defaultRegion: region.code,
      onParams: (result) => this.#regionParams(parts, result),
      onError: (e) => log("warn", "config", `region params: ${e.message}`),
    });
    const counted = this.#countingTransmitter();
    if (usesHelium(c.forwarder.mode)) {
      parts.router = new PacketRouterClient({
        channel: channel(c.upstream.router),
        timers: host.timers,
        clock: host.clock,
        random: host.random,
        codec,
        gatewayKey: signer,
        newSessionKey: coreSessionKeys(core, host.random),
        region: () => region.code,
        onDownlink: (d) => this.#routerDownlink(parts, counted, d),
        onSent: (u) => this.counters.routed(parseDataRateName(heliumDataRateName(u.datarate))?.spreadingFactor ?? 0, u.payload.length, "router"),
        log: (level, message) => log(level, "router", message),
      });
      if (c.poc.enabled) {
        parts.entropy = new GrpcEntropySource(channel(c.upstream.entropy), codec);
        parts.poc = new Poc({
          core,
          clock: host.clock,
          timers: host.timers,
          random: host.random,
          log,
          gateway: { seed: this.key.seed, publicKeyBin: this.key.publicKeyBin },
          entropy: parts.entropy,
          radio: beaconRadio(this.radioPart),
          intervalSeconds: c.poc.intervalSeconds,
        });
        parts.ingest = new Conduit({ channel: channel(c.upstream.ingest), path: POC_STREAM_PATH, timers: host.timers, random: host.random }, parts.poc.session);
        parts.poc.attachTransport(parts.ingest);
      }
    }
    if (usesForwarder(c.forwarder.mode)) {
      const made = Forwarder.create(c.forwarder, this.#o.mac, {
        host: { io: { UDP: host.io.UDP }, dns: host.dns, clock: host.clock, timers: host.timers, random: host.random, log },
        scheduler: forwarderScheduler(counted, (refusal, detail) => log("warn", "forwarder", `downlink refused (${refusal}: ${detail}), answered COLLISION_PACKET`)),
        txLimits: () => {
          const plan = this.radioPart.region;
          const power = this.radioPart.maxConductedDbm;
          return plan === undefined || power === undefined ? { minFreqHz: 0, maxFreqHz: 0, maxPowerDbm: 0 } : { minFreqHz: plan.bandLowHz, maxFreqHz: plan.bandHighHz, maxPowerDbm: power };
        },
      });
      if (made.ok) parts.forwarder = made.value;
      else log("error", "forwarder", `not started: ${made.error}`);
    }
    this.#parts = parts;
    parts.watcher.start();
    parts.router?.start();
    parts.ingest?.start();
    parts.poc?.start();
    parts.forwarder?.start();
    this.#applyRegion(parts);
    log("info", "app", `started: region ${region.active?.name ?? "UNKNOWN"} (${region.source}), mode ${c.forwarder.mode}, PoC ${parts.poc ? "on" : "off"}`);
  }

  #stopParts(): void {
    const parts = this.#parts;
    if (parts === undefined) return;
    this.#parts = undefined;
    parts.watcher?.stop();
    parts.router?.stop();
    parts.poc?.stop();
    parts.ingest?.stop();
    parts.forwarder?.stop();
    this.radioPart.stop("stopped");
    for (const ch of parts.channels) ch.close();
    if (parts.poc) this.#pocPast = addCounters(this.#pocPast, parts.poc.status().counters);
  }

  /** The radio follows the region: on for a region with a plan, off (with the reason) otherwise; PoC gets asserted params only. */
  #applyRegion(parts: Parts): void {
    const region = parts.region;
    const plan = region.plan;
    const params = region.active?.params;
    if (plan !== undefined) this.radioPart.start(plan, this.#config.radio.listen, params ? params.gainX10 / 10 : this.#config.antennaGainDbi);
    else this.radioPart.stop(region.reason() ?? "region unknown");
    this.#pocRegion(parts);
  }

  #pocRegion(parts: Parts): void {
    const a = parts.region.active;
    const p = a?.params;
    parts.poc?.setRegion(a && p && a.plan ? { region: a.name, params: p.bytes, gainX10: p.gainX10, timestampSeconds: p.timestampSeconds } : undefined);
  }

  #regionParams(parts: Parts, result: RegionParamsResult): void {
    if (this.#parts !== parts) return;
    const before = parts.region.active?.name;
    const bandChanged = parts.region.asserted(result);
    if (before !== regionName(result.region)) this.#log("info", "config", `asserted region ${regionName(result.region)} (was ${before ?? "UNKNOWN"})`);
    if (bandChanged) this.#applyRegion(parts);
    else this.#pocRegion(parts);
  }

  // ------------------------------------------------------------ downlinks

  /** The radio part, counting each downlink's outcome per SF (beacons are PoC's). */
  #countingTransmitter(): Transmitter {
    return {
      schedule: (request: DownlinkRequest, done?: (outcome: DownlinkOutcome) => void) =>
        this.radioPart.schedule(request, (outcome) => {
          if (request.kind !== "beacon") {
            const sf = typeof request.datarate === "string" ? parseDataRateName(request.datarate)?.spreadingFactor ?? 0 : request.datarate.spreadingFactor;
            if (outcome.ok) this.counters.downlinkDone(sf, outcome.onTime, outcome.errorMicros);
            else {
              this.counters.totals.downlinksFailed++;
              this.#log("warn", "radio", `downlink not sent: ${outcome.error ?? "failed"}${outcome.detail ? ` (${outcome.detail})` : ""}`);
            }
          }
          done?.(outcome);
        }),
    };
  }

  #routerDownlink(parts: Parts, radio: Transmitter, downlink: Downlink): void {
    const t = this.counters.totals;
    const fate = this.#o.onDownlinkOutcome;
    if (this.radioPart.radio === undefined) {
      t.downlinksBlocked++;
      this.#log("warn", "router", `downlink dropped: ${parts.region.reason() ?? this.radioPart.lastError ?? "the radio is off"}`);
      fate?.(downlink.payload, { ok: false, error: "RADIO_OFF" });
      return;
    }
    const done = fate && ((window: "RX1" | "RX2", o: DownlinkOutcome) => fate(downlink.payload, { ok: o.ok, window, ...(o.error === undefined ? {} : { error: o.error }) }));
    const r = scheduleRouterDownlink(radio, downlink, parts.region.downlinkPowerDbm(this.#config.antennaGainDbi), done);
    if (!r.result.ok) fate?.(downlink.payload, { ok: false, error: r.result.error, window: r.window });
    if (r.result.ok) {
      t.downlinksScheduled++;
      if (r.window === "RX2") t.downlinksRx2++;
      return;
    }
    t.downlinksRefused++;
    const rx1 = r.rx1Refusal === undefined ? "" : `RX1 ${r.rx1Refusal}, then `;
    this.#log("warn", "router", `downlink refused: ${rx1}${r.window} ${r.result.error} (${r.result.detail})`);
  }

  // ------------------------------------------------------------ status

  snapshot(): HotspotStatus {
    const host = this.#host;
    const parts = this.#parts;
    const region = parts?.region;
    const charts = this.counters.charts;
    const poc = parts?.poc;
    const blocked = [region?.reason() ?? (parts ? null : "The hotspot is stopped."), this.radioPart.listenNote ?? null];
    if (parts && !poc && usesHelium(this.#config.forwarder.mode)) blocked.push("PoC disabled (data-only mode): no beacons, no witnesses.");
    if (host.clock.wallMillis() === undefined) blocked.push("Wall clock not valid yet: nothing is signed, so nothing is routed or reported.");
    const reasons = blocked.filter((b): b is string => b !== null);
    const free = this.#o.freeMemory?.();
    const totals = this.#pocTotals();
    return {
      identity: { address: this.key.address, name: this.name, keyType: describeKeyBin(this.key.publicKeyBin).keyType },
      region: { name: region?.active?.name ?? "UNKNOWN", source: region?.source ?? "unknown", blockedReason: reasons.length > 0 ? reasons.join(" ") : null },
      services: describeServices(parts, this.radioPart, host.clock.millis()),
      clock: { synced: host.clock.wallMillis() !== undefined },
      radio: { listenPlan: listenPlanText(this.radioPart), singleChannelNote: radioNote(this.radioPart) },
      counters: this.counters.perSf(this.radioPart.crcErrorsBySf()),
      recentPackets: this.counters.recentPackets(),
      poc: poc ? pocLogEntries(poc.entries()) : [],
      pocTotals: { beaconsSent: totals.beaconsSent, beaconsFailed: totals.beaconsFailed, witnessesHeard: totals.witnessesHeard, witnessesSubmitted: totals.witnessesSubmitted },
      system: {
        uptimeSeconds: Math.floor((host.clock.millis() - this.#bootMillis) / 1000),
        ...(free === undefined ? {} : { freeMemory: free }),
        version: this.#o.version ?? FIRMWARE_VERSION,
      },
      packetsPerMinute: charts.packetsPerMinute(host.clock.millis()),
      rssiHistogram: charts.rssiHistogram(),
      downlinkStartErrors: this.counters.startErrors(),
      dataCredits: charts.dataCredits(),
    };
  }

  #pocTotals(): PocCounters {
    const poc = this.#parts?.poc;
    return poc ? addCounters(this.#pocPast, poc.status().counters) : { ...this.#pocPast };
  }

  stats(): HotspotStats {
    const parts = this.#parts;
    const poc = this.#pocTotals();
    return {
      mode: this.#config.forwarder.mode,
      region: { name: parts?.region.active?.name ?? "UNKNOWN", source: parts?.region.source ?? "unknown" },
      routerState: parts?.router?.state ?? "off",
      ingestState: parts?.poc?.session.state ?? "off",
      radioState: this.radioPart.state,
      traffic: { ...this.counters.totals, crcBad: this.counters.totals.crcBad + Object.values(this.radioPart.crcErrorsBySf()).reduce((a, b) => a + b, 0), dropped: { ...this.counters.totals.dropped } },
      poc,
      errors: this.#errors + poc.errors,
      warnings: this.#warnings,
      lastProblem: this.#lastProblem,
      recentErrors: [...this.#recentErrors, ...(parts?.poc?.entries() ?? []).filter((e) => e.kind === "error").slice(-10).map((e) => `poc: ${e.message}`)],
    };
  }

  // ------------------------------------------------------------ actions

  restartRadio(): void {
    if (this.radioPart.region === undefined) throw new Error(this.#parts?.region.reason() ?? "the radio has no region to run in");
    this.radioPart.restart();
  }

  reboot(): void {
    this.#log("info", "app", "reboot");
    if (this.#o.reboot) return this.#o.reboot();
    this.#host.timers.set(() => {
      this.restartParts();
      this.#openEnrolment();
    }, 500);
  }

  factoryReset(): void {
    this.#log("warn", "app", "factory reset: config, API keys and counters erased (the gateway key is kept)");
    this.#store.erase();
    this.web.clearKeys();
    this.counters.reset();
    this.#pocPast = { ...ZERO_POC };
    this.#config = this.#factoryConfig;
    this.reboot();
  }

  getConfig(): Record<string, unknown> {
    return publicConfig(this.#config);
  }

  putConfig(input: unknown): ConfigResult {
    const checked = checkConfig(this.#core, input, this.#config);
    if (!checked.ok) {
      this.#log("warn", "config", `config refused: ${checked.errors.map((e) => e.field).join(", ")}`);
      return checked;
    }
    const before = this.#config;
    this.#store.save(checked.config);
    this.#config = checked.config;
    const { wifi: _a, ...was } = before;
    const { wifi: _b, ...now } = checked.config;
    if (JSON.stringify(was) !== JSON.stringify(now)) {
      this.#log("info", "config", "config changed: restarting the radio and the services");
      if (this.#parts !== undefined) this.restartParts();
    } else this.#log("info", "config", "Wi-Fi settings saved: they apply at the next boot");
    return { ok: true, config: publicConfig(checked.config) };
  }

  addGatewayTxn(owner: string, payer: string): AddGatewayResult | { errors: FieldError[] } {
    const errors: FieldError[] = [];
    const parse = (field: string, text: string): HeliumPublicKey | undefined => {
      try {
        return parseAccountKey(this.#core, text);
      } catch (e) {
        errors.push({ field, reason: e instanceof Error ? e.message : String(e) });
        return undefined;
      }
    };
    const o = parse("owner", owner);
    const p = parse("payer", payer);
    if (o === undefined || p === undefined) return { errors };
    const txn = buildAddGatewayTxn(this.#core, this.key, o.bin, p.bin);
    return { address: this.key.address, owner: accountText(this.#core, o), payer: accountText(this.#core, p), txn: toBase64(txn.envelope) };
  }

  #openEnrolment(): void {
    const code = this.web.openEnrolment();
    if (code === undefined) return;
    if (this.#o.onEnrolmentCode) this.#o.onEnrolmentCode(code);
    else this.#host.log("info", "web", `API enrolment code (one use, within 10 minutes): ${code}`);
  }
}

function addCounters(a: PocCounters, b: PocCounters): PocCounters {
  const out = { ...a };
  for (const k of Object.keys(b) as (keyof PocCounters)[]) out[k] += b[k];
  return out;
}
