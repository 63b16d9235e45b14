// `npm start` until the simulator exists: a short, readable demonstration of the compute core.
// A fresh gateway key with its address and animal name, a PoC beacon from the built-in US915 plan,
// and a witness report of that beacon encoded and signed as gateway-rs would (checked here with
// @noble/curves, independent of the core).
import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import { ed25519 } from "@noble/curves/ed25519.js";
import { animalName } from "../modules/identity/animal-name.js";
import { gatewayKeyFromSeed, generateGatewayKey } from "../modules/identity/gateway-key.js";
import { encodeForSigning, encodeMessage } from "../modules/proto/codec.js";
import { HELIUM_SCHEMA } from "../modules/proto/schema.js";
import { encodeHistoricalRegionParams } from "../modules/region/historical-params.js";
import { toHex } from "../modules/util/bytes.js";
import { CORE_WASM_PATH, loadNodeCore } from "./node-core.js";

const random = (bytes: Uint8Array) => bytes.set(randomBytes(bytes.length));
const row = (label: string, value: string | number) => console.log(`  ${label.padEnd(18)}${value}`);
const dataRateName = (value: number) => Object.entries(HELIUM_SCHEMA.enums.data_rate.values).find(([, v]) => v === value)?.[0] ?? String(value);

const core = loadNodeCore();
console.log(`DIY Helium hotspot: compute core demonstration (${CORE_WASM_PATH}, ${statSync(CORE_WASM_PATH).size} bytes)`);
console.log("The simulator and devnet are not built yet; this shows the core they will use.\n");

const gateway = generateGatewayKey(core, random);
console.log("Gateway key (new, random, mainnet Ed25519)");
row("address", gateway.address);
row("animal name", animalName(core, gateway.address));
row("public key", toHex(gateway.publicKeyBin));

const remoteData = new Uint8Array(randomBytes(32));
const remoteTimestamp = Math.floor(Date.now() / 1000);
const localData = new Uint8Array(randomBytes(4));
const gainDbiX10 = 12;
const beacon = core.deriveBeacon({
  remoteData, remoteTimestamp, remoteVersion: 0, localData, regionParams: encodeHistoricalRegionParams(core, "US915")!, gainDbiX10,
});
const [sf, bw] = dataRateName(beacon.datarate).slice(2).split("BW").map(Number);
const airtime = core.airtimeMicros({ spreadingFactor: sf, bandwidthKHz: bw, codingRate: 5, preambleSymbols: 8, payloadLength: beacon.frame.length, crc: true, implicitHeader: false });
console.log("\nPoC beacon (built-in US915 plan, antenna gain 1.2 dBi)");
row("remote entropy", `${toHex(remoteData)} @ ${remoteTimestamp}`);
row("local entropy", toHex(localData));
row("payload", toHex(beacon.data));
row("frequency", `${(beacon.frequency / 1e6).toFixed(1)} MHz`);
row("data rate", dataRateName(beacon.datarate));
row("conducted power", `${beacon.conductedPower} dBm`);
row("time on air", `${(airtime / 1000).toFixed(3)} ms for the ${beacon.frame.length}-byte frame`);
row("classified as", core.classifyLoRaWAN(beacon.frame).type);

// A hotspot hearing that beacon reports it, signed with its ingest session key.
const session = gatewayKeyFromSeed(core, new Uint8Array(randomBytes(32)));
const witness = {
  pub_key: gateway.publicKeyBin,
  data: beacon.data,
  timestamp: BigInt(Date.now()) * 1_000_000n,
  tmst: 123_456_789,
  signal: -1150,
  snr: -75,
  frequency: beacon.frequency,
  datarate: beacon.datarate,
};
const unsigned = encodeForSigning(core, "lora_witness_report_req_v1", witness);
const signature = core.ed25519Sign(session.seed, unsigned);
const signed = encodeMessage(core, "lora_witness_report_req_v1", { ...witness, signature });
console.log("\nWitness report (lora_witness_report_req_v1), signed with a session key");
row("signal / snr", "-115.0 dBm / -7.5 dB (sent as deci-dBm -1150, deci-dB -75)");
row("signed bytes", `${unsigned.length} bytes: ${toHex(unsigned)}`);
row("signature", toHex(signature));
row("message", `${signed.length} bytes with the signature`);
row("verified by core", core.ed25519Verify(session.publicKey, unsigned, signature) ? "yes" : "NO");
row("verified by noble", ed25519.verify(signature, unsigned, session.publicKey) ? "yes (@noble/curves, independent)" : "NO");
