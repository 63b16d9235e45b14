// The XS side of the memory report (bench/memory.ts): boots main.ts with Wi-Fi and a fallback region
// configured, so the whole hotspot starts (over the test host's stand-ins: no radio chip answers and
// no server is reachable), then handles `count` uplinks the way the packet router client does
// (encode packet_router_packet_up_v1, sign it with a session key, encode it with the signature),
// printing the engine's memory use at each step as JSON lines (bench/memory.ts runs it with the
// manifest's modules preloaded, as on the device). It ends the host's event loop when
// done (the firmware's timers would keep it running).
import { createNativeCore } from "../../modules/core/native.js";
import { encodeForSigning, encodeMessage } from "../../modules/proto/codec.js";
import { DATA_RATE } from "../../modules/proto/schema.js";
import { toHex, utf8Encode } from "../../modules/util/bytes.js";
import Timer from "./shims/timer.js";

const memory = native("xs_host_memory") as () => Record<string, number>;
const report = (step: string) => print(JSON.stringify({ step, ...memory() }));

export async function run(mainPath: string, uplinks: number): Promise<void> {
  report("engine");
  const config = { wifi: { ssid: "lab", password: "hunter2hunter2" }, region: { fallback: "EU868", subBand: 2 }, antennaGainDbi: 2 };
  globalThis.__kvSeed = { hotspot: { "cfg.active": toHex(utf8Encode("a")), "cfg.a": toHex(utf8Encode(JSON.stringify(config))) } };
  await import(mainPath);
  await new Promise<void>((resolve) => Timer.set(() => resolve(), 1500));
  report("booted");
  const core = createNativeCore();
  const sessionSeed = new Uint8Array(32).fill(7);
  const gateway = Uint8Array.of(1, ...core.ed25519PublicKey(new Uint8Array(32).fill(9)));
  report("workload ready"); // the workload's own core instance and keys, not the firmware's
  for (let i = 0; i < uplinks; i++) {
    const payload = new Uint8Array(12 + (i % 40)).fill(i & 0xff);
    const packet = {
      payload, timestamp: BigInt(1_700_000_000_000 + i * 1000), rssi: -80 - (i % 40), frequency: 904_100_000,
      datarate: DATA_RATE.SF7BW125, snr: 5.5, region: 0, hold_time: 120n, gateway, signature: new Uint8Array(0),
    };
    const signature = core.ed25519Sign(sessionSeed, encodeForSigning(core, "packet_router_packet_up_v1", packet));
    encodeMessage(core, "packet_router_packet_up_v1", { ...packet, signature });
    if ((i + 1) % (uplinks / 4) === 0) report(`uplinks ${i + 1}`);
  }
  __xshost.onWake = () => {};
  __xshost.wake(-1);
}
