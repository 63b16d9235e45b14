// The hotspot's PoC over the real network stack: modules/poc's session client on the firmware's
// gRPC conduit (modules/grpc, h2c over Node TCP) against the devnet's PoC ingest on grpc-js
// (startDevnet). The offer is answered, a witness report signed with the session key reaches the
// verifier, and a restarted stream gets a new session.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { startDevnet, type Devnet } from "../devnet/devnet.js";
import { Conduit } from "../modules/grpc/conduit.js";
import { Poc, POC_STREAM_PATH } from "../modules/poc/poc.js";
import { gatewayKeyFromSeed } from "../modules/identity/gateway-key.js";
import { realTimeClock } from "../sim/host/real-time.js";
import { core } from "./support/core.js";
import { channelTo, timers, until } from "./support/grpc-servers.js";
import { VECTORS } from "./support/vectors.js";

const EU868 = new Uint8Array(Buffer.from(VECTORS.eu868_region_params.blockchainRegionParamsV1Hex, "hex"));
const random = (b: Uint8Array) => b.set(randomBytes(b.length));
let devnet: Devnet | undefined;
after(async () => devnet?.stop());

test("firmware session client over modules/grpc to the devnet ingest: session, signed witness accepted, new session per stream", async () => {
  devnet = await startDevnet();
  const gateway = gatewayKeyFromSeed(core, new Uint8Array(randomBytes(32)));
  const poc = new Poc({
    core, clock: realTimeClock(), timers, random, gateway,
    entropy: { fetch: (done) => done({ ok: false, error: "not used" }) },
    radio: { transmit: (_tx, done) => done({ ok: false, error: "not used" }) },
  });
  const conduit = new Conduit({ channel: channelTo(devnet.ports.ingest), path: POC_STREAM_PATH, timers, random, initialDelayMs: 0 }, poc.session);
  poc.attachTransport(conduit);
  poc.setRegion({ region: "EU868", params: EU868, gainX10: 12 });
  conduit.start();
  await until(() => poc.session.state === "ready");
  assert.equal(poc.session.state, "ready");
  const firstKey = poc.session.sessionKeyBin!;
  await until(() => devnet!.poc.ingest.stats.sessions === 1, 5000, "the ingest to accept the session_init");

  const data = new Uint8Array(randomBytes(51));
  poc.onFrame({ payload: Uint8Array.from([0xe0, ...data]), tmst: 99, rssi: -110, snr: -3.25, freq: 867100000, datarate: "SF12BW125", crcOk: true });
  await until(() => devnet!.poc.ingest.stats.witnessesAccepted === 1);
  const w = devnet.poc.verifier.witnesses().at(-1)!;
  assert.equal(w.gateway, gateway.address);
  assert.equal(w.data, Buffer.from(data).toString("hex"));
  assert.deepEqual([w.signal, w.snr, w.frequency], [-1100, -32, 867100000]);
  assert.equal(devnet.poc.ingest.stats.refused, 0, "the session-key signature verified");

  conduit.disconnect("test: reconnect");
  await until(() => devnet!.poc.ingest.stats.sessions === 2, 15_000);
  assert.equal(devnet.poc.ingest.stats.sessions, 2);
  assert.notDeepEqual(poc.session.sessionKeyBin, firstKey);
  conduit.stop();
});
