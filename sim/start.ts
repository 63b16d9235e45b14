// `npm start`: the devnet in-process and a simulated world of hotspots (the whole firmware app each,
// over its own SX1262 model) and LoRaWAN devices around a real city, in real time until Ctrl-C or
// --duration. Live progress while it runs; a summary table (or --json) at the end.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startDevnet, type Devnet } from "../devnet/devnet.js";
import { parseServerSpec } from "../modules/forwarder/config.js";
import { parseGrpcUri } from "../modules/grpc/channel.js";
import { REGION_NAMES, isRegionName } from "../modules/region/plans.js";
import type { RegionName } from "../modules/region/plan-types.js";
import { loadNodeCore } from "./node-core.js";
import { buildForSimulator, findModdableTools } from "./moddable-build.js";
import { startXvfb, type Display } from "./mcsim.js";
import type { ModdableSetup } from "./moddable-hotspot.js";
import { SteadyRealTimeScheduler } from "./steady-real-time.js";
import { GwmpTap } from "./gwmp-tap.js";
import { biggestLoss, deviceFunnels, funnelLines, funnelOf } from "./funnel.js";
import { summarize, type FirmwareFigures, type Summary } from "./summary.js";
import { traceUplinks } from "./uplink-trace.js";
import { SimWorld, type Upstream } from "./world.js";

class UsageError extends Error {}

/** When the --busy-stuck fault begins, seconds after the start (the routers are up by then). */
const BUSY_STUCK_FROM_S = 15;

const USAGE = `usage: npm start -- [options]
  --duration SECONDS     run this long, print the summary and exit 0 (default: until Ctrl-C)
  --hotspots N           simulated hotspots (default 3)
  --devices N            LoRaWAN end devices, half ABP and half OTAA, half of them confirmed (default 8)
  --region NAME          ${REGION_NAMES.join(", ")} (default US915)
  --seed N               world seed: placement, devices, radio shadowing (default 1)
  --poc-interval SECONDS beacon window of the simulated hotspots (default 60; gateway-rs: 21600)
  --json                 print the final summary as one JSON object on stdout (progress goes to stderr)
  --router URI --config URI --config-key B58 --entropy URI --ingest URI
                         point hotspot-1 at another network instead of the devnet (all five together)
  --forwarder HOST:PORT  run the hotspots as Semtech UDP packet forwarders against that GWMP server
  --admin-key HEX64      enrol this Ed25519 public key as the first admin API key of every hotspot
                         (for scripts and tests; without it each hotspot shows a one-time enrolment code)
  --tx-delay MS          fault: every hotspot's host stalls MS ms before each transmission (a GC pause)
  --busy-stuck SECONDS   fault: hotspot-1's SX1262 holds BUSY high for SECONDS, ${BUSY_STUCK_FROM_S} s after the start
  --moddable             the last hotspot is main.ts built by the Moddable SDK ($MODDABLE) for its Linux
                         simulator and run in mcsim (on $DISPLAY, or a private Xvfb when DISPLAY is unset)`;

interface Options {
  duration: number | undefined;
  hotspots: number;
  devices: number;
  region: RegionName;
  seed: number;
  pocInterval: number;
  json: boolean;
  external: Upstream | undefined;
  forwarder: string | undefined;
  moddable: boolean;
  adminKey: Uint8Array | undefined;
  txDelayMs: number;
  busyStuckSeconds: number;
}

function parseOptions(argv: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        duration: { type: "string" },
        hotspots: { type: "string" },
        devices: { type: "string" },
        region: { type: "string" },
        seed: { type: "string" },
        "poc-interval": { type: "string" },
        json: { type: "boolean" },
        router: { type: "string" },
        config: { type: "string" },
        "config-key": { type: "string" },
        entropy: { type: "string" },
        ingest: { type: "string" },
        forwarder: { type: "string" },
        moddable: { type: "boolean" },
        "admin-key": { type: "string" },
        "tx-delay": { type: "string" },
        "busy-stuck": { type: "string" },
        help: { type: "boolean" },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(USAGE + "\n");
    process.exit(0);
  }
  const int = (name: string, text: string | undefined, fallback: number, min: number, max: number): number => {
    if (text === undefined) return fallback;
    if (!/^-?\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${text}"`);
    return Number(text);
  };
  let duration: number | undefined;
  if (v.duration !== undefined) {
    duration = Number(v.duration);
    if (!/^\d+(\.\d+)?$/.test(v.duration) || !(duration > 0)) throw new UsageError(`--duration must be a positive number of seconds, not "${v.duration}"`);
  }
  const region = v.region ?? "US915";
  if (!isRegionName(region)) throw new UsageError(`--region must be one of ${REGION_NAMES.join(", ")}, not "${region}"`);
  const upstreamFlags = ["router", "config", "config-key", "entropy", "ingest"] as const;
  const given = upstreamFlags.filter((f) => v[f] !== undefined);
  let external: Upstream | undefined;
  if (given.length > 0) {
    if (given.length < upstreamFlags.length) {
      throw new UsageError(`--router, --config, --config-key, --entropy and --ingest go together (missing: ${upstreamFlags.filter((f) => v[f] === undefined).map((f) => `--${f}`).join(", ")})`);
    }
    for (const f of ["router", "config", "entropy", "ingest"] as const) {
      try {
        parseGrpcUri(v[f]!);
      } catch (e) {
        throw new UsageError(`--${f}: ${(e as Error).message}`);
      }
    }
    if (!/^[1-9A-HJ-NP-Za-km-z]{40,60}$/.test(v["config-key"]!)) throw new UsageError(`--config-key must be a Helium address (base58), not "${v["config-key"]}"`);
    external = { router: v.router!, config: v.config!, configKey: v["config-key"]!, entropy: v.entropy!, ingest: v.ingest! };
  }
  if (v.forwarder !== undefined) {
    const spec = parseServerSpec(v.forwarder);
    if (!spec.ok) throw new UsageError(`--forwarder: ${spec.error}`);
  }
  const hotspots = int("hotspots", v.hotspots, 3, 1, 20);
  if (v.moddable && v.forwarder !== undefined) throw new UsageError("--moddable and --forwarder do not go together (the SDK's Linux UDP socket binds every interface; the simulator opens loopback only)");
  if (v.moddable && external && hotspots === 1) throw new UsageError("--moddable makes the last hotspot the Moddable build, which talks to the devnet: give --hotspots 2 or more with --router ...");
  const adminKey = v["admin-key"];
  if (adminKey !== undefined && !/^[0-9a-fA-F]{64}$/.test(adminKey)) throw new UsageError(`--admin-key must be an Ed25519 public key as 64 hex digits, not "${adminKey}"`);
  return {
    adminKey: adminKey === undefined ? undefined : Uint8Array.from(adminKey.match(/../g)!, (h) => parseInt(h, 16)),
    duration,
    hotspots,
    devices: int("devices", v.devices, 8, 0, 100),
    region,
    seed: int("seed", v.seed, 1, 0, 2 ** 31 - 1),
    pocInterval: int("poc-interval", v["poc-interval"], 60, 5, 86400),
    json: v.json ?? false,
    external,
    forwarder: v.forwarder,
    moddable: v.moddable ?? false,
    txDelayMs: int("tx-delay", v["tx-delay"], 0, 0, 1000),
    busyStuckSeconds: int("busy-stuck", v["busy-stuck"], 0, 0, 600),
  };
}

// ------------------------------------------------------------------ output

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const rpad = (s: string | number, n: number) => String(s).padStart(n);

function progressLines(world: SimWorld): string[] {
  return world.hotspots.map((h) => {
    const s = h.app.stats();
    const t = s.traffic;
    const last = s.lastProblem ? ` last: ${s.lastProblem.slice(0, 70)}` : "";
    const services = s.mode === "forwarder" ? pad("GWMP packet forwarder", 42) : `router ${pad(s.routerState, 10)} ingest ${pad(s.ingestState, 14)}`;
    return (
      `${pad(h.name, 10)} ${pad(`${s.region.name}/${s.region.source}`, 17)} ${services} ` +
      `heard ${rpad(t.heard, 4)} routed ${rpad(t.routed + t.forwarded, 4)} dl on time ${rpad(t.downlinksOnTime, 3)} ` +
      `beacons ${rpad(s.poc.beaconsSent, 3)} witnesses ${rpad(s.poc.witnessesSubmitted, 3)} errors ${rpad(s.errors, 2)}${last}`
    );
  });
}

/** The hotspots' own figures summed, formatted. */
function firmwareTotal(s: Summary, show: (f: FirmwareFigures) => string | number): string | number {
  const sum: FirmwareFigures = { downlinksOnTime: 0, downlinksLate: 0, errors: 0, uplinksForwarded: 0 };
  for (const h of s.hotspots) for (const k of Object.keys(sum) as (keyof FirmwareFigures)[]) sum[k] += h.firmware[k];
  return show(sum);
}

function faultLines(s: Summary): string[] {
  const lines: string[] = [];
  if (s.faults.txDelayMs > 0) lines.push(`fault: every host stalled ${s.faults.txDelayMs} ms before each transmission.`);
  const b = s.faults.busyStuck;
  if (b !== null) {
    const h = s.hotspots.find((x) => x.name === b.hotspot);
    lines.push(
      `fault: ${b.hotspot}'s BUSY line stuck from ${b.fromSeconds.toFixed(0)} s to ${b.untilSeconds.toFixed(0)} s; driver faults ${JSON.stringify(h?.radio.faults ?? {})}, ` +
        `${b.recovered ? `recovered (${b.uplinksHeardAfter} uplinks heard after, radio ${b.radioState})` : `NOT recovered (radio ${b.radioState})`}.`,
    );
  }
  return lines;
}

function summaryTable(s: Summary): string {
  const cols: [string, (h: Summary["hotspots"][number] | Summary) => string | number, number][] = [
    ["hotspot", (h) => ("name" in h ? h.name : "total"), 11],
    ["heard", (h) => h.uplinksHeard, 6],
    ["routed", (h) => h.uplinksRouted + h.uplinksForwarded, 7],
    ["bad sig", (h) => h.invalidSignatures, 8],
    ["joins", (h) => `${h.joinsAccepted}/${h.joinsCompleted}`, 6],
    ["acked RX1/RX2", (h) => `${h.confirmedAckedRx1}/${h.confirmedAckedRx2}`, 14],
    ["dl on time/late", (h) => `${h.downlinksOnTime}/${h.downlinksLate}`, 16],
    ["fw on time/late", (h) => ("firmware" in h ? `${h.firmware.downlinksOnTime}/${h.firmware.downlinksLate}` : firmwareTotal(s, (f) => `${f.downlinksOnTime}/${f.downlinksLate}`)), 16],
    ["beacons sent/valid", (h) => `${h.beaconsSent}/${h.beaconsValid}`, 19],
    ["witnesses sent/valid", (h) => `${h.witnessesSent}/${h.witnessesValid}`, 21],
    ["errors", (h) => ("firmware" in h ? h.firmware.errors : firmwareTotal(s, (f) => f.errors)), 6],
  ];
  const row = (h: Summary["hotspots"][number] | Summary) => cols.map(([, f, n], i) => (i === 0 ? pad(f(h), n) : rpad(f(h), n))).join(" ");
  const header = cols.map(([t, , n], i) => (i === 0 ? pad(t, n) : rpad(t, n))).join(" ");
  const d = s.devices;
  const reasons = Object.entries(s.pocInvalidReasons).map(([r, n]) => `${r} x${n}`).join(", ");
  return [
    `Summary: ${s.durationSeconds.toFixed(0)} s, ${s.region} around ${s.city}, seed ${s.seed}`,
    header,
    ...s.hotspots.map(row),
    row(s),
    `joins = accepted by the devnet LNS / join-accepts the devices decoded; acked = confirmed uplinks whose ACK the device decoded, by window.`,
    `devices: ${d.total}, ${d.otaaJoined} of ${d.otaa} OTAA devices joined, ${d.uplinksSent} uplinks sent, ${d.confirmedAcked}/${d.confirmedSent} confirmed uplinks ACKed.`,
    `downlinks: on time/late as the devices' windows judge them (world clock; largest start error ${s.downlinkTimingMaxMicros.toFixed(0)} µs); fw = the hotspots' own count.`,
    `chip models: ${s.modelViolations === 0 ? "no protocol violations" : `${s.modelViolations} protocol violations (${s.hotspots.filter((h) => h.modelViolations > 0).map((h) => `${h.name}: ${JSON.stringify(h.violationKinds)}`).join("; ")})`}.`,
    ...faultLines(s),
    ...funnelLines(s.funnel),
    ...s.hotspots.map((h) => `  ${h.name} own losses: refused downlinks ${JSON.stringify(h.losses.refusedDownlinks)}, CRC errors ${h.losses.crcErrors}, uplinks missed while transmitting ${h.losses.missedWhileTransmitting} (${h.losses.transmittingSeconds.toFixed(1)} s on air)`),
    `PoC verifier: ${reasons === "" ? "no invalid or refused reports" : reasons}${s.pocPending > 0 ? `; ${s.pocPending} still pending` : ""}.`,
    `Remember: IoT PoC rewards were retired upstream (HIP-149), only routed data earns on mainnet; and each hotspot hears one channel at one SF (single-channel).`,
  ].join("\n");
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`npm start: ${e.message}\n${USAGE}\n`);
    process.exit(2);
  }
  // With --json, stdout carries exactly one JSON object; everything else goes to stderr.
  const out = options.json ? process.stderr : process.stdout;
  const tty = out.isTTY === true;
  const say = (line: string) => out.write(line + "\n");

  const core = loadNodeCore();
  const airtime = (p: { spreadingFactor: number; bandwidthKhz: number; codingRate: number; preambleSymbols: number; crc: boolean; implicitHeader: boolean }, length: number) =>
    core.airtimeMicros({ spreadingFactor: p.spreadingFactor, bandwidthKHz: p.bandwidthKhz, codingRate: p.codingRate, preambleSymbols: p.preambleSymbols, payloadLength: length, crc: p.crc, implicitHeader: p.implicitHeader });
  let display: Display | undefined;
  let moddable: ModdableSetup | undefined;
  if (options.moddable) {
    const found = findModdableTools(process.env);
    if (!found.tools) {
      process.stderr.write(`npm start: --moddable needs the Moddable SDK:\n${found.problems.map((p) => `  - ${p}\n`).join("")}`);
      process.exit(2);
    }
    say(`building main.ts for the Moddable simulator: mcconfig -m -p lin -o build/moddable (the first build takes minutes)`);
    let library: string;
    try {
      library = await buildForSimulator(found.tools);
    } catch (e) {
      process.stderr.write(`npm start: main.ts did not build for the Moddable simulator: ${(e as Error).message}\n`);
      process.exit(1);
    }
    display = process.env.DISPLAY ? { name: process.env.DISPLAY, close() {} } : await startXvfb();
    moddable = { library, mcsim: found.tools.mcsim, display: display.name };
    say(`built ${library}; mcsim runs it on display ${display.name}${process.env.DISPLAY ? "" : " (Xvfb)"}`);
  }
  const runDir = mkdtempSync(join(tmpdir(), "hotspot-sim-"));
  const devnet: Devnet = await startDevnet({ poc: { beaconIntervalSeconds: options.pocInterval } });
  // The Moddable build stamps the radio wire with CLOCK_MONOTONIC, which nothing can cut: with it in the
  // world, simulated time is that clock as it runs.
  const scheduler = new SteadyRealTimeScheduler({ cutPreemptions: !options.moddable });
  const notices: string[] = [];
  // Forwarded uplinks are counted where the GWMP server acknowledges them: the hotspots talk to it through a relay.
  const forwarderSpec = options.forwarder === undefined ? undefined : parseServerSpec(options.forwarder);
  const gwmp = forwarderSpec?.ok ? await GwmpTap.open(forwarderSpec.value) : undefined;
  const world = new SimWorld({
    core,
    airtime,
    scheduler,
    region: options.region,
    hotspots: options.hotspots,
    devices: options.devices,
    seed: options.seed,
    pocIntervalSeconds: options.pocInterval,
    uplinkIntervalSeconds: 20,
    runDir,
    devnet,
    external: options.external,
    forwarder: gwmp?.spec,
    moddable,
    faults: { txDelayMs: options.txDelayMs, ...(options.busyStuckSeconds > 0 ? { busyStuck: { fromSeconds: BUSY_STUCK_FROM_S, seconds: options.busyStuckSeconds } } : {}) },
    onLog: (name, level, source, message) => {
      if (source === "web" && level === "info") notices.push(`${name}: ${message}`);
    },
  });
  if (options.adminKey) {
    // Enrolled before the apps start, so no hotspot opens enrolment or shows a code.
    for (const h of world.hotspots) {
      if (h.moddable) {
        h.moddable.firmware.presetAdminKey(options.adminKey); // into its store, before its first boot
        continue;
      }
      if (h.app.web === undefined) continue;
      const added = h.app.web.keys.add(options.adminKey, "admin", { label: "--admin-key", expires: false });
      if ("error" in added && added.error !== "duplicate_key") throw new Error(`${h.name}: --admin-key refused: ${added.error}`);
    }
  }
  const started = Date.now();
  try {
    await world.start();
  } catch (e) {
    world.stop();
    display?.close();
    scheduler.stop();
    await devnet.stop();
    process.stderr.write(`npm start: ${(e as Error).message}\n`);
    process.exit(1);
  }
  // The network page draws the funnel from the live traces.
  devnet.map.funnel = () => {
    const traces = traceUplinks(world, devnet, gwmp);
    return { total: funnelOf(traces), devices: deviceFunnels(world.devices.map((d) => d.device.name), traces) };
  };

  say(`DIY Helium hotspot simulator: ${options.hotspots} hotspots and ${options.devices} devices around ${world.city.name} (${options.region}), seed ${options.seed}`);
  say(`devnet: router ${devnet.endpoints.router}, config ${devnet.endpoints.config} (key ${devnet.configKey.address}), entropy ${devnet.endpoints.entropy}, ingest ${devnet.endpoints.ingest}`);
  say(`network page: ${devnet.networkPage}`);
  say(`every hotspot and device on ${(world.channel.frequencyHz / 1e6).toFixed(3)} MHz SF${world.channel.spreadingFactor}BW125 (single-channel hotspots); beacon window ${options.pocInterval} s; logs and stores in ${runDir}`);
  if (options.external) say(`hotspot-1 talks to another network: router ${options.external.router}, config ${options.external.config}`);
  if (options.forwarder) say(`forwarder mode: every hotspot forwards to the GWMP server ${options.forwarder} (through a counting relay at ${gwmp?.spec})`);
  if (options.txDelayMs > 0) say(`fault: every host stalls ${options.txDelayMs} ms before each transmission`);
  if (options.busyStuckSeconds > 0) say(`fault: hotspot-1's BUSY line sticks high for ${options.busyStuckSeconds} s from ${BUSY_STUCK_FROM_S} s`);
  for (const h of world.hotspots) {
    const access = h.enrolmentCode !== undefined ? `enrolment code ${h.enrolmentCode}` : options.adminKey ? "admin key from --admin-key" : "enrolment closed (an admin key exists)";
    const where = h.runtime === "moddable" ? `  (Moddable build in mcsim; console in ${runDir}/${h.name}.log)` : "";
    say(`  ${h.name}  ${h.app.name}  ${h.app.key.address}  dashboard ${h.dashboard ?? "-"}  ${access}${where}`);
  }
  if (world.hotspots.some((h) => h.enrolmentCode !== undefined)) {
    say("open a dashboard and enter its enrolment code (one use, within 10 minutes) to enrol that browser's key as admin");
  }
  say(options.duration === undefined ? "running until Ctrl-C" : `running for ${options.duration} s`);
  notices.length = 0; // the enrolment codes are in the banner above

  let drawn = 0;
  const draw = () => {
    const lines = progressLines(world);
    const f = funnelOf(traceUplinks(world, devnet, gwmp));
    lines.push(`funnel     sent ${rpad(f.sent, 4)} heard ${rpad(f.heard, 4)} routed ${rpad(f.routed, 4)} answers ${f.answers.received}/${f.answers.needed} received; biggest loss so far: ${biggestLoss(f)}`);
    for (const n of notices.splice(0)) lines.unshift(n);
    if (tty) {
      if (drawn > 0) out.write(`\x1b[${drawn}A`);
      out.write(lines.map((l) => `\x1b[2K${l}`).join("\n") + "\n");
      drawn = lines.length;
    } else {
      const t = ((Date.now() - started) / 1000).toFixed(0);
      for (const l of lines) say(`[${rpad(t, 4)} s] ${l}`);
    }
  };
  const progress = setInterval(draw, tty ? 1000 : 10_000);

  let finishing = false;
  const finish = async (graceMs: number) => {
    if (finishing) return;
    finishing = true;
    clearInterval(progress);
    world.stopDevices();
    // The last downlinks, beacon and witness reports land; then every PoC round is judged.
    await new Promise((r) => setTimeout(r, graceMs));
    devnet.poc.verifier.settleAll();
    const summary = summarize(world, devnet, (Date.now() - started) / 1000, { gwmp, txDelayMs: options.txDelayMs, preemptions: scheduler.preemptions });
    world.stop();
    display?.close();
    scheduler.stop();
    gwmp?.close();
    await devnet.stop();
    if (options.json) process.stdout.write(JSON.stringify(summary) + "\n");
    else say("\n" + summaryTable(summary));
    process.exit(0);
  };
  process.on("SIGINT", () => void finish(1000));
  process.on("SIGTERM", () => void finish(1000));
  if (options.duration !== undefined) setTimeout(() => void finish(4000), options.duration * 1000);
}

await main();
