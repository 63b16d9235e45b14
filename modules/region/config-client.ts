// The config-service client (helium-protocol.md 4.8 and the region watcher of 4.7): asks
// `helium.iot_config.gateway/region_params` with a request signed by the gateway key, accepts the
// answer only when its signature verifies with the configured config-service key and `signer` is
// that key, and re-polls hourly (errors: 10 retries, 5 s .. 1 h backoff).
import type { TimerHandle, Timers } from "../host/provider.js";
import type { GrpcChannel } from "../grpc/channel.js";
import { GrpcError } from "../grpc/status.js";
import { Reconnect, REGION_BACKOFF, type BackoffPolicy } from "../grpc/backoff.js";
import type { ProtoMessage } from "../proto/values.js";
import type { MessageCodec, Signer, Verify } from "../router/deps.js";
import { equalBytes } from "../util/bytes.js";

export const REGION_PARAMS_PATH = "/helium.iot_config.gateway/region_params";

export interface RegionParamsResult {
  /** helium.region value. */
  region: number;
  /** blockchain_region_params_v1 as decoded. */
  params: ProtoMessage;
  /** Its canonical encoding, in the order served (what beacon derivation takes). */
  paramsBytes: Uint8Array;
  /** Antenna gain, dBi × 10. */
  gain: number;
  /** Unix seconds of the response. */
  timestamp: number;
}

export class ConfigResponseError extends Error {
  override name = "ConfigResponseError";
}

export interface ConfigClientOptions {
  channel: GrpcChannel;
  codec: MessageCodec;
  gatewayKey: Signer;
  /** The config service's 33-byte public key (gateway-rs `config.pubkey`). */
  configKey: Uint8Array;
  verify: Verify;
  timeoutMs?: number;
}

/** One region_params request. Rejects with GrpcError (transport/status) or ConfigResponseError (bad answer). */
export async function fetchRegionParams(o: ConfigClientOptions, region: number): Promise<RegionParamsResult> {
  const req: ProtoMessage = { region, address: o.gatewayKey.publicKey };
  req.signature = o.gatewayKey.sign(o.codec.encodeForSigning("gateway_region_params_req_v1", req));
  const bytes = await o.channel.unary(REGION_PARAMS_PATH, o.codec.encode("gateway_region_params_req_v1", req), { timeoutMs: o.timeoutMs ?? 5000 });
  let res: ProtoMessage;
  try {
    res = o.codec.decode("gateway_region_params_res_v1", bytes);
  } catch (e) {
    throw new ConfigResponseError(`undecodable response: ${e instanceof Error ? e.message : String(e)}`);
  }
  const signer = res.signer as Uint8Array;
  if (!equalBytes(signer, o.configKey)) throw new ConfigResponseError("response signer is not the configured config key");
  if (!o.verify(o.configKey, o.codec.encodeForSigning("gateway_region_params_res_v1", res), res.signature as Uint8Array)) {
    throw new ConfigResponseError("response signature does not verify with the config key");
  }
  const params = res.params as ProtoMessage | undefined;
  if (!params) throw new ConfigResponseError("response has no region params");
  return {
    region: Number(res.region),
    params,
    paramsBytes: o.codec.encode("blockchain_region_params_v1", params),
    gain: Number(res.gain),
    timestamp: Number(res.timestamp),
  };
}

export interface RegionWatcherOptions extends ConfigClientOptions {
  timers: Timers;
  random: (bytes: Uint8Array) => void;
  /** Region to ask for before one is known (gateway-rs: the configured default, UNKNOWN otherwise). */
  defaultRegion: number;
  onParams(result: RegionParamsResult): void;
  onError?(error: Error): void;
  policy?: BackoffPolicy;
}

/** gateway-rs' region watcher: first fetch ~10 s after start, then hourly; errors back off. */
export class RegionWatcher {
  readonly stats = { fetches: 0, failures: 0, badResponses: 0 };
  current: RegionParamsResult | undefined;
  lastError: string | undefined;
  private readonly reconnect: Reconnect;
  private timer: TimerHandle | undefined;
  private running = false;
  private failedSinceSuccess = false;

  constructor(private readonly o: RegionWatcherOptions) {
    // Starts at retry 1, as gateway-rs does.
    this.reconnect = new Reconnect(o.policy ?? REGION_BACKOFF, o.random, 1);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.reconnect.next(false));
  }

  stop(): void {
    this.running = false;
    this.o.timers.clear(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    this.o.timers.clear(this.timer);
    this.timer = this.o.timers.set(() => void this.fetch(), ms);
  }

  private async fetch(): Promise<void> {
    if (!this.running) return;
    this.stats.fetches++;
    try {
      const result = await fetchRegionParams(this.o, this.current?.region ?? this.o.defaultRegion);
      if (!this.running) return;
      this.current = result;
      this.lastError = undefined;
      this.failedSinceSuccess = false;
      // retries + 1: next() has no delay for it, so the watcher waits the maximum (1 h).
      this.reconnect.retry = this.reconnect.policy.retries + 1;
      try {
        this.o.onParams(result);
      } catch {
        // the owner's failure is not a fetch failure
      }
      this.schedule(this.reconnect.next(false));
    } catch (e) {
      if (!this.running) return;
      const error = e instanceof Error ? e : new Error(String(e));
      this.stats.failures++;
      if (error instanceof ConfigResponseError) this.stats.badResponses++;
      this.lastError = error instanceof GrpcError ? error.message : `${error.name}: ${error.message}`;
      // The first error after a success starts again from retry 1; later ones climb, capped.
      if (!this.failedSinceSuccess) this.reconnect.retry = 1;
      else this.reconnect.retry = Math.min(this.reconnect.retry + 1, this.reconnect.policy.retries);
      this.failedSinceSuccess = true;
      try {
        this.o.onError?.(error);
      } catch {
        // ignore
      }
      this.schedule(this.reconnect.next(false));
    }
  }
}
