// `npm run devnet`: starts the devnet alone and prints its endpoints and config key.
// Options: --host H --router-port N --config-port N --entropy-port N --ingest-port N --network-page-port N --entropy-interval SECONDS
//          --session-offer-interval SECONDS --config-seed HEX32
import { startDevnet } from "./devnet.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function num(name: string, fallback: number): number {
  const v = arg(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`--${name} needs a non-negative number, got "${v}"\n`);
    process.exit(2);
  }
  return n;
}

const seedHex = arg("config-seed");
if (seedHex !== undefined && !/^[0-9a-fA-F]{64}$/.test(seedHex)) {
  process.stderr.write("--config-seed needs 64 hex digits\n");
  process.exit(2);
}

const devnet = await startDevnet({
  host: arg("host") ?? "127.0.0.1",
  routerPort: num("router-port", 8080),
  configPort: num("config-port", 6080),
  entropyPort: num("entropy-port", 7080),
  ingestPort: num("ingest-port", 9080),
  networkPagePort: num("network-page-port", 8090),
  entropyIntervalMs: num("entropy-interval", 60) * 1000,
  configKeySeed: seedHex ? new Uint8Array(Buffer.from(seedHex, "hex")) : undefined,
  router: { sessionOfferIntervalMs: num("session-offer-interval", 1800) * 1000 },
});

process.stdout.write(
  JSON.stringify({ ...devnet.endpoints, networkPage: devnet.networkPage, configKey: devnet.configKey.address }, null, 2) +
    "\n(devnet running: packet router + LNS, config, entropy, PoC ingest + verifier; Ctrl-C to stop)\n",
);
process.on("SIGINT", () => {
  void devnet.stop().then(() => process.exit(0));
});
