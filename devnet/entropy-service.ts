// The devnet entropy service: `helium.poc_entropy.poc_entropy/entropy` returning the current
// entropy_report_v1, renewed every 60 s (configurable) as the retired oracle did (helium-protocol.md
// 2.3): data = BLAKE3(le_i64(unix seconds) || source bytes), version 0. Without a Solana blockhash the
// source bytes are random. Every report is kept so a verifier can look it up later.
import { randomBytes } from "node:crypto";
import type * as grpc from "@grpc/grpc-js";
import { blake3 } from "@noble/hashes/blake3.js";
import { encode } from "./proto.js";

export interface EntropyReport {
  data: Uint8Array;
  /** Unix seconds. */
  timestamp: number;
  version: number;
}

export class EntropyService {
  readonly history: EntropyReport[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(readonly intervalMs = 60000) {
    this.renew();
    this.timer = setInterval(() => this.renew(), intervalMs);
    this.timer.unref?.();
  }

  get current(): EntropyReport {
    return this.history[this.history.length - 1];
  }

  renew(): EntropyReport {
    const seconds = Math.floor(Date.now() / 1000);
    const input = Buffer.alloc(8 + 32);
    input.writeBigInt64LE(BigInt(seconds), 0);
    randomBytes(32).copy(input, 8);
    const report = { data: blake3(input), timestamp: seconds, version: 0 };
    this.history.push(report);
    if (this.history.length > 10000) this.history.shift();
    return report;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  readonly entropy = (_call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>): void => {
    const r = this.current;
    callback(null, Buffer.from(encode("helium.entropy_report_v1", { data: r.data, timestamp: String(r.timestamp), version: r.version })));
  };
}
