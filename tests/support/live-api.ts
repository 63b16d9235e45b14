// A client for a hotspot's dashboard and API served by a separate process (the Moddable build in
// mcsim): signed calls with node:crypto (tests/support/web-fixture.ts, from the README's recipe),
// raw exchanges over sockets with chosen read splits and a chosen local address, and a seeded
// battery of hostile byte sequences. Nothing here reads the firmware's own state: every figure is
// what came back over the wire.
import { connect } from "node:net";
import { ClientKey, signHeaders } from "./web-fixture.js";
import { Rng } from "../../sim/rng.js";

export interface LiveResponse {
  status: number;
  text: string;
  json: any;
}

export class LiveApi {
  readonly port: number;

  constructor(readonly base: string) {
    this.port = Number(new URL(base).port);
  }

  async get(target: string, headers: Record<string, string> = {}): Promise<LiveResponse> {
    return this.#send("GET", target, headers, undefined);
  }

  /** A signed call; `nonce` to send the very same headers again (a replay); `headers` added to the signed ones. */
  async call(key: ClientKey, method: string, target: string, body?: unknown, sign: { nonce?: string; timestamp?: number; headers?: Record<string, string> } = {}): Promise<LiveResponse> {
    const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
    const timestamp = sign.timestamp ?? Math.floor(Date.now() / 1000);
    const headers = { ...signHeaders({ key, method, target, body: text, timestamp, nonce: sign.nonce }), ...sign.headers };
    if (text !== "") headers["Content-Type"] = "application/json";
    return this.#send(method, target, headers, text === "" ? undefined : text);
  }

  async #send(method: string, target: string, headers: Record<string, string>, body: string | undefined): Promise<LiveResponse> {
    const response = await fetch(new URL(target, this.base), { method, headers, body });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json };
  }

  /**
   * Writes `chunks` one by one (a pause between them, so that each is its own read on the other
   * side), then waits for the server to answer and close, or for `settleMs` of silence. Resolves
   * with every byte that came back and whether the server closed the connection.
   */
  exchange(chunks: (string | Uint8Array)[], o: { localAddress?: string; pauseMs?: number; settleMs?: number } = {}): Promise<{ answer: string; closedByServer: boolean }> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port: this.port, host: "127.0.0.1", localAddress: o.localAddress });
      let answer = "";
      let closedByServer = false;
      let quiet: NodeJS.Timeout | undefined;
      const settle = () => {
        clearTimeout(quiet);
        quiet = setTimeout(() => socket.destroy(), o.settleMs ?? 1500);
      };
      socket.on("data", (d: Buffer) => {
        answer += d.toString("latin1");
        settle();
      });
      socket.on("end", () => (closedByServer = true));
      socket.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code === "ECONNRESET" || e.code === "EPIPE") closedByServer = true;
        else reject(e);
      });
      socket.on("close", () => {
        clearTimeout(quiet);
        resolve({ answer, closedByServer });
      });
      socket.on("connect", async () => {
        for (const chunk of chunks) {
          if (socket.destroyed) return;
          socket.write(chunk);
          await new Promise((r) => setTimeout(r, o.pauseMs ?? 30));
        }
        settle();
      });
    });
  }
}

/** Hostile inputs, seeded: mutated requests, raw noise and header floods, each split at random points. */
export function hostileInputs(seed: number, count: number): Uint8Array[][] {
  const rng = new Rng(seed);
  const valid = "GET /api/v1/status HTTP/1.1\r\nHost: h\r\nX-Hotspot-Key: 0123456789abcdef\r\nContent-Length: 4\r\n\r\nabcd";
  const out: Uint8Array[][] = [];
  for (let i = 0; i < count; i++) {
    let bytes: Uint8Array;
    switch (i % 4) {
      case 0: {
        bytes = new TextEncoder().encode(valid);
        for (let m = 0; m < 1 + rng.int(8); m++) bytes[rng.int(bytes.length)] = rng.int(256);
        break;
      }
      case 1:
        bytes = rng.bytes(1 + rng.int(3000));
        break;
      case 2:
        bytes = new TextEncoder().encode(`GET /${"a".repeat(rng.int(9000))} HTTP/1.1\r\n${"X: y\r\n".repeat(rng.int(300))}\r\n`);
        break;
      default:
        bytes = new TextEncoder().encode(`POST /api/v1/config HTTP/1.1\r\nHost: h\r\nContent-Length: ${rng.int(2) === 0 ? "-1" : String(rng.int(1 << 30))}\r\nTransfer-Encoding: chunked\r\n\r\n${"{".repeat(rng.int(2000))}`);
    }
    const splits = [...new Set(Array.from({ length: rng.int(6) }, () => rng.int(bytes.length)))].sort((a, b) => a - b);
    const chunks: Uint8Array[] = [];
    let from = 0;
    for (const at of [...splits, bytes.length]) {
      if (at > from) chunks.push(bytes.subarray(from, at));
      from = at;
    }
    out.push(chunks);
  }
  return out;
}
