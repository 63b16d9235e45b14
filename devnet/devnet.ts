// The devnet: packet router + LNS, config service and entropy service, each a grpc-js server on its
// own loopback port (as gateway-rs has one URI per service). Tests start it in-process on free ports.
import * as grpc from "@grpc/grpc-js";
import { PacketRouter, type RouterOptions } from "./router.js";
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
  /** 32-byte seed of the config key; random when absent. */
  configKeySeed?: Uint8Array;
  entropyIntervalMs?: number;
  router?: RouterOptions;
  lns?: LnsOptions;
}

export interface Devnet {
  endpoints: { router: string; config: string; entropy: string };
  ports: { router: number; config: number; entropy: number };
  configKey: DevnetKeypair;
  router: PacketRouter;
  lns: Lns;
  config: ConfigService;
  entropy: EntropyService;
  /** The grpc-js servers (tests use them to shut a service down or restart it). */
  servers: { router: grpc.Server; config: grpc.Server; entropy: grpc.Server };
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

  const routerServer = new grpc.Server();
  routerServer.addService({ route: method("/helium.packet_router.packet/route", true, true) }, { route: router.route });
  const configServer = new grpc.Server();
  configServer.addService({ region_params: method("/helium.iot_config.gateway/region_params", false, false) }, { region_params: config.regionParams });
  const entropyServer = new grpc.Server();
  entropyServer.addService({ entropy: method("/helium.poc_entropy.poc_entropy/entropy", false, false) }, { entropy: entropy.entropy });

  const ports = {
    router: await bind(routerServer, host, options.routerPort ?? 0),
    config: await bind(configServer, host, options.configPort ?? 0),
    entropy: await bind(entropyServer, host, options.entropyPort ?? 0),
  };
  const url = (p: number) => `http://${host}:${p}`;
  return {
    endpoints: { router: url(ports.router), config: url(ports.config), entropy: url(ports.entropy) },
    ports,
    configKey,
    router,
    lns,
    config,
    entropy,
    servers: { router: routerServer, config: configServer, entropy: entropyServer },
    async stop() {
      router.stop();
      entropy.stop();
      for (const s of [routerServer, configServer, entropyServer]) s.forceShutdown();
    },
  };
}
