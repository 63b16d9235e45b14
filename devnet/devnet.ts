// The devnet: packet router + LNS, config service, entropy service and PoC ingest + verifier, each a
// grpc-js server on its own loopback port (as gateway-rs has one URI per service). Tests start it
// in-process on free ports.
import { randomBytes } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import { PocDevnet, type PocDevnetOptions } from "./poc/service.js";
import { addPocIngestService } from "./poc/server.js";
import { PocWorld } from "./poc/world.js";
import { PacketRouter, type RouterOptions } from "./router.js";
import { NetworkMap, startNetworkPage } from "./network-page.js";
import { ConfigService } from "./config-service.js";
import { EntropyService } from "./entropy-service.js";
import { Lns, type LnsOptions } from "./lns.js";
import { generateKeypair, keypairFromSeed, type DevnetKeypair } from "./keys.js";

const raw = (b: Buffer) => b;
function method(path: string, requestStream: boolean, responseStream: boolean) {
  return { path, requestStream, responseStream, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw };
}

export interface DevnetOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  routerPort?: number;
  configPort?: number;
  entropyPort?: number;
  ingestPort?: number;
  /** The network page's HTTP port (0 = a free one, the default). */
  networkPagePort?: number;
  /** PoC verifier and ingest settings (beacon window, lifetimes, ...). */
  poc?: Partial<Omit<PocDevnetOptions, "now" | "timers" | "random">>;
  /** 32-byte seed of the config key; random when absent. */
  configKeySeed?: Uint8Array;
  entropyIntervalMs?: number;
  router?: RouterOptions;
  lns?: LnsOptions;
}

export interface Devnet {
  endpoints: { router: string; config: string; entropy: string; ingest: string };
  /** The network page (map, beacons, witnesses), an HTTP URL on loopback. */
  networkPage: string;
  /** Where the simulator registers its hotspots and devices for the network page. */
  map: NetworkMap;
  ports: { router: number; config: number; entropy: number; ingest: number };
  configKey: DevnetKeypair;
  router: PacketRouter;
  lns: Lns;
  config: ConfigService;
  entropy: EntropyService;
  /** PoC: the world the verifier consults (add gateways' locations and region plans), verifier, ingest. */
  poc: PocDevnet;
  /** The grpc-js servers (tests use them to shut a service down or restart it). */
  servers: { router: grpc.Server; config: grpc.Server; entropy: grpc.Server; ingest: grpc.Server };
  stop(): Promise<void>;
}

async function bind(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
}

export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const host = options.host ?? "127.0.0.1";
  const configKey = options.configKeySeed ? keypairFromSeed(options.configKeySeed) : generateKeypair();
  const lns = new Lns(options.lns);
  const router = new PacketRouter(lns, options.router);
  const config = new ConfigService(configKey);
  const entropy = new EntropyService(options.entropyIntervalMs);
  // The verifier finds each beacon's entropy among the reports this entropy service served.
  const entropyLookup = {
    lookup: (data: Uint8Array) => entropy.history.find((r) => r.data.length === data.length && r.data.every((b, i) => b === data[i])),
  };
  const poc = new PocDevnet({
    ...options.poc,
    now: () => Date.now(),
    timers: { set: (cb, ms) => setTimeout(cb, ms).unref(), clear: (h) => clearTimeout(h as NodeJS.Timeout) },
    random: (n) => new Uint8Array(randomBytes(n)),
    world: options.poc?.world ?? new PocWorld(undefined, entropyLookup),
  });

  const routerServer = new grpc.Server();
  routerServer.addService({ route: method("/helium.packet_router.packet/route", true, true) }, { route: router.route });
  const configServer = new grpc.Server();
  configServer.addService({ region_params: method("/helium.iot_config.gateway/region_params", false, false) }, { region_params: config.regionParams });
  const entropyServer = new grpc.Server();
  entropyServer.addService({ entropy: method("/helium.poc_entropy.poc_entropy/entropy", false, false) }, { entropy: entropy.entropy });
  const ingestServer = new grpc.Server();
  addPocIngestService(ingestServer, poc.ingest);
  poc.start();

  const ports = {
    router: await bind(routerServer, host, options.routerPort ?? 0),
    config: await bind(configServer, host, options.configPort ?? 0),
    entropy: await bind(entropyServer, host, options.entropyPort ?? 0),
    ingest: await bind(ingestServer, host, options.ingestPort ?? 0),
  };
  const map = new NetworkMap();
  const page = await startNetworkPage({ map, verifier: poc.verifier, router, lns }, { port: options.networkPagePort ?? 0, host });
  const url = (p: number) => `http://${host}:${p}`;
  return {
    endpoints: { router: url(ports.router), config: url(ports.config), entropy: url(ports.entropy), ingest: url(ports.ingest) },
    networkPage: page.url,
    map,
    ports,
    configKey,
    router,
    lns,
    config,
    entropy,
    poc,
    servers: { router: routerServer, config: configServer, entropy: entropyServer, ingest: ingestServer },
    async stop() {
      router.stop();
      entropy.stop();
      poc.stop();
      for (const s of [routerServer, configServer, entropyServer, ingestServer]) s.forceShutdown();
      await page.close();
    },
  };
}
