// Remote entropy for each beacon: `helium.poc_entropy.poc_entropy/entropy` (unary, empty request)
// answered with an entropy_report_v1 (spec 2.3). gateway-rs asks once per beacon.
import type { GrpcChannel } from "../grpc/channel.js";
import type { EntropyResult, EntropySource } from "../poc/types.js";
import type { MessageCodec } from "../router/deps.js";

export const ENTROPY_PATH = "/helium.poc_entropy.poc_entropy/entropy";

export class GrpcEntropySource implements EntropySource {
  readonly stats = { fetches: 0, failures: 0 };
  lastError: string | undefined;
  /** Whether the last fetch succeeded (undefined before the first). */
  lastOk: boolean | undefined;

  constructor(
    private readonly channel: GrpcChannel,
    private readonly codec: MessageCodec,
  ) {}

  fetch(done: (result: EntropyResult) => void): void {
    this.stats.fetches++;
    this.channel.unary(ENTROPY_PATH, this.codec.encode("entropy_req_v1", {})).then(
      (bytes) => {
        let result: EntropyResult;
        try {
          const report = this.codec.decode("entropy_report_v1", bytes);
          result = {
            ok: true,
            entropy: { data: (report.data as Uint8Array | undefined) ?? new Uint8Array(0), timestamp: Number(report.timestamp ?? 0), version: Number(report.version ?? 0) },
          };
        } catch (e) {
          result = { ok: false, error: `undecodable entropy_report_v1: ${e instanceof Error ? e.message : String(e)}` };
        }
        this.#settle(result, done);
      },
      (e: unknown) => this.#settle({ ok: false, error: e instanceof Error ? e.message : String(e) }, done),
    );
  }

  #settle(result: EntropyResult, done: (result: EntropyResult) => void): void {
    this.lastOk = result.ok;
    if (!result.ok) {
      this.stats.failures++;
      this.lastError = result.error;
    }
    done(result);
  }
}
