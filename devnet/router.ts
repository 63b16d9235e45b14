// The devnet packet router: `helium.packet_router.packet/route` as helium-packet-router does it
// (helium-protocol.md 4.3-4.4). Register and session_init are verified with the gateway key, every
// packet_up with the session key; the spec's checks run in order; packets are routed to the LNS by
// DevAddr range or join EUIs, and its downlinks go back on the stream that delivered the uplink.
import { randomBytes, createHash } from "node:crypto";
import type * as grpc from "@grpc/grpc-js";
import { loraPacket } from "./lora.js";
import { decode, encode, isCanonical, signedBytes, type Plain } from "./proto.js";
import { heliumAddress, verify } from "./keys.js";
import type { Lns } from "./lns.js";


const UP = "helium.packet_router.envelope_up_v1";
const DOWN = "helium.packet_router.envelope_down_v1";

export type PacketVerdict =
  | "routed"
  | "no_route"
  | "invalid_packet_type"
  | "wrong_gateway"
  | "bad_signature"
  | "non_canonical"
  | "throttled_gateway"
  | "throttled_duplicate"
  | "no_session";

export interface ReceivedPacket {
  gateway: string;
  verdict: PacketVerdict;
  /** Which key verified it ("session" or "gateway"), when it did. */
  signedBy?: "session" | "gateway";
  sessionKey?: string;
  payloadHash: string;
  rssi?: number;
  snr?: number;
  frequency?: number;
  datarate?: number;
  timestamp?: string;
  at: number;
}

export interface RouterEvent {
  kind: "register" | "register_rejected" | "session_offer" | "session_init" | "session_rejected" | "stream_closed" | "bad_message" | "downlink";
  gateway?: string;
  detail?: string;
  /** SHA-256 (hex) of the uplink a downlink answers and of the downlink's payload ("downlink" events). */
  uplinkHash?: string;
  payloadHash?: string;
  at: number;
}

export interface RouterOptions {
  /** A new session offer this long after each session_init (HPR: 30 min). */
  sessionOfferIntervalMs?: number;
  /** Per-gateway packet rate (HPR: 25/s). */
  maxPacketsPerSecond?: number;
  /** Same payload from the same gateway at most once per this window (HPR: 1 s). */
  duplicateWindowMs?: number;
}

interface StreamState {
  gateway?: Uint8Array;
  address?: string;
  nonce?: Uint8Array;
  sessionKey?: Uint8Array;
  offerTimer?: ReturnType<typeof setTimeout>;
  recent: number[];
}

export class PacketRouter {
  readonly packets: ReceivedPacket[] = [];
  readonly events: RouterEvent[] = [];
  /** Live streams by gateway address. */
  readonly streams = new Map<string, grpc.ServerDuplexStream<Buffer, Buffer>>();
  private readonly lastByHash = new Map<string, number>();
  private readonly states = new Set<StreamState>();
  private readonly options: Required<RouterOptions>;

  constructor(
    private readonly lns: Lns,
    options: RouterOptions = {},
  ) {
    this.options = { sessionOfferIntervalMs: 30 * 60 * 1000, maxPacketsPerSecond: 25, duplicateWindowMs: 1000, ...options };
  }

  /** The grpc-js handler for the `route` method. */
  readonly route = (call: grpc.ServerDuplexStream<Buffer, Buffer>): void => {
    const state: StreamState = { recent: [] };
    this.states.add(state);
    const close = (detail: string) => {
      this.event({ kind: "stream_closed", gateway: state.address, detail });
      this.cleanup(state, call);
      call.end();
    };
    call.on("data", (bytes: Buffer) => {
      try {
        this.onMessage(state, call, bytes, close);
      } catch (e) {
        this.event({ kind: "bad_message", gateway: state.address, detail: String(e) });
        close("undecodable message");
      }
    });
    call.on("end", () => {
      this.cleanup(state, call);
      call.end();
    });
    call.on("error", () => this.cleanup(state, call));
    call.on("cancelled", () => this.cleanup(state, call));
  };

  /** Closes every stream (GOAWAY is the server's job). */
  stop(): void {
    for (const s of this.states) if (s.offerTimer) clearTimeout(s.offerTimer);
    this.states.clear();
  }

  private onMessage(state: StreamState, call: grpc.ServerDuplexStream<Buffer, Buffer>, bytes: Buffer, close: (d: string) => void): void {
    const envelope = decode(UP, bytes);
    if (!isCanonical(UP, bytes)) {
      this.event({ kind: "bad_message", gateway: state.address, detail: "non-canonical envelope" });
      if (envelope.packet) this.recordPacket(state, envelope.packet as Plain, "non_canonical");
      return;
    }
    if (envelope.register) return this.onRegister(state, call, envelope.register as Plain, close);
    if (!state.gateway) return close("first message was not register");
    if (envelope.session_init) return this.onSessionInit(state, call, envelope.session_init as Plain, close);
    if (envelope.packet) return this.onPacket(state, call, envelope.packet as Plain);
    this.event({ kind: "bad_message", gateway: state.address, detail: "empty envelope" });
  }

  private onRegister(state: StreamState, call: grpc.ServerDuplexStream<Buffer, Buffer>, reg: Plain, close: (d: string) => void): void {
    const gateway = bytesOf(reg.gateway);
    const result = verify(gateway, signedBytes("helium.packet_router.packet_router_register_v1", reg), bytesOf(reg.signature));
    if (result !== "valid") {
      this.event({ kind: "register_rejected", gateway: gateway.length === 33 ? heliumAddress(gateway) : undefined, detail: result });
      return close(`register ${result}`);
    }
    state.gateway = gateway;
    state.address = heliumAddress(gateway);
    this.streams.set(state.address, call);
    this.event({ kind: "register", gateway: state.address });
    if (reg.session_capable) this.offer(state, call);
  }

  private offer(state: StreamState, call: grpc.ServerDuplexStream<Buffer, Buffer>): void {
    state.nonce = new Uint8Array(randomBytes(32));
    call.write(Buffer.from(encode(DOWN, { session_offer: { nonce: state.nonce } })));
    this.event({ kind: "session_offer", gateway: state.address });
  }

  private onSessionInit(state: StreamState, call: grpc.ServerDuplexStream<Buffer, Buffer>, init: Plain, close: (d: string) => void): void {
    const gateway = bytesOf(init.gateway);
    const sessionKey = bytesOf(init.session_key);
    let problem: string | undefined;
    if (!state.nonce) problem = "no offer outstanding";
    else if (!sameBytes(gateway, state.gateway!)) problem = "gateway differs from the registered one";
    else if (!sameBytes(bytesOf(init.nonce), state.nonce)) problem = "nonce mismatch";
    else if (sessionKey.length !== 33 || sessionKey[0] !== 0x01) problem = "session key is not a mainnet Ed25519 key";
    else {
      const r = verify(state.gateway!, signedBytes("helium.packet_router.packet_router_session_init_v1", init), bytesOf(init.signature));
      if (r !== "valid") problem = `signature ${r}`;
    }
    if (problem) {
      this.event({ kind: "session_rejected", gateway: state.address, detail: problem });
      return close(`session_init rejected: ${problem}`);
    }
    state.sessionKey = sessionKey;
    state.nonce = undefined;
    this.event({ kind: "session_init", gateway: state.address, detail: heliumAddress(sessionKey) });
    if (state.offerTimer) clearTimeout(state.offerTimer);
    state.offerTimer = setTimeout(() => {
      if (this.states.has(state)) this.offer(state, call);
    }, this.options.sessionOfferIntervalMs);
  }

  private onPacket(state: StreamState, call: grpc.ServerDuplexStream<Buffer, Buffer>, up: Plain): void {
    const payload = bytesOf(up.payload);
    // 1. Type: a join request or a confirmed/unconfirmed uplink.
    let packet: ReturnType<typeof loraPacket.fromWire> | undefined;
    try {
      packet = loraPacket.fromWire(Buffer.from(payload));
    } catch {
      packet = undefined;
    }
    const isUplink = packet && (packet.isJoinRequestMessage() || (packet.isDataMessage() && packet.getDir() === "up"));
    if (!packet || !isUplink) return this.recordPacket(state, up, "invalid_packet_type");
    // 2. Gateway.
    if (!sameBytes(bytesOf(up.gateway), state.gateway!)) return this.recordPacket(state, up, "wrong_gateway");
    // 3. Signature: the session key once a session exists, the gateway key before.
    const key = state.sessionKey ?? state.gateway!;
    if (verify(key, signedBytes("helium.packet_router.packet_router_packet_up_v1", up), bytesOf(up.signature)) !== "valid") {
      return this.recordPacket(state, up, "bad_signature");
    }
    const signedBy = state.sessionKey ? "session" : "gateway";
    // 4. Per-gateway throttle.
    const now = Date.now();
    state.recent = state.recent.filter((t) => now - t < 1000);
    if (state.recent.length >= this.options.maxPacketsPerSecond) return this.recordPacket(state, up, "throttled_gateway", signedBy);
    state.recent.push(now);
    // 5. Per-(gateway, payload hash) throttle.
    const hash = createHash("sha256").update(payload).digest("hex");
    const key2 = `${state.address}:${hash}`;
    const last = this.lastByHash.get(key2);
    if (last !== undefined && now - last < this.options.duplicateWindowMs) return this.recordPacket(state, up, "throttled_duplicate", signedBy);
    this.lastByHash.set(key2, now);
    if (this.lastByHash.size > 10000) for (const [k, t] of this.lastByHash) if (now - t >= this.options.duplicateWindowMs) this.lastByHash.delete(k);
    // 6. Route.
    let routed = false;
    if (packet.isJoinRequestMessage()) routed = this.lns.ownsJoin(packet.AppEUI!.toString("hex"), packet.DevEUI!.toString("hex"));
    else routed = this.lns.ownsDevAddr(packet.DevAddr!.readUInt32BE(0));
    if (!routed) return this.recordPacket(state, up, "no_route", signedBy);
    this.recordPacket(state, up, "routed", signedBy);
    let down: ReturnType<Lns["handle"]>;
    try {
      down = this.lns.handle({
      payload,
      timestamp: Number(up.timestamp ?? 0),
      frequency: Number(up.frequency ?? 0),
      datarate: Number(up.datarate ?? 0),
      region: Number(up.region ?? 0),
        gateway: state.address!,
      });
    } catch (e) {
      // An LNS failure loses this packet's answer, never the gateway's stream.
      this.event({ kind: "bad_message", gateway: state.address, detail: `LNS failed: ${String(e)}` });
      return;
    }
    if (down) {
      const windowOf = (w: typeof down.rx1) => ({ timestamp: String(w.timestamp), frequency: w.frequency, datarate: w.datarate, immediate: w.immediate });
      call.write(Buffer.from(encode(DOWN, { packet: { payload: down.payload, rx1: windowOf(down.rx1), rx2: down.rx2 ? windowOf(down.rx2) : undefined } })));
      this.event({ kind: "downlink", gateway: state.address, uplinkHash: hash, payloadHash: createHash("sha256").update(down.payload).digest("hex") });
    }
  }

  private recordPacket(state: StreamState, up: Plain, verdict: PacketVerdict, signedBy?: "session" | "gateway"): void {
    this.packets.push({
      gateway: state.address ?? "",
      verdict,
      signedBy,
      sessionKey: signedBy === "session" && state.sessionKey ? heliumAddress(state.sessionKey) : undefined,
      payloadHash: createHash("sha256").update(bytesOf(up.payload)).digest("hex"),
      rssi: up.rssi as number | undefined,
      snr: up.snr as number | undefined,
      frequency: up.frequency as number | undefined,
      datarate: up.datarate as number | undefined,
      timestamp: up.timestamp as string | undefined,
      at: Date.now(),
    });
    if (this.packets.length > 10000) this.packets.shift();
  }

  private cleanup(state: StreamState, call: grpc.ServerDuplexStream<Buffer, Buffer>): void {
    if (state.offerTimer) clearTimeout(state.offerTimer);
    state.offerTimer = undefined;
    this.states.delete(state);
    if (state.address && this.streams.get(state.address) === call) this.streams.delete(state.address);
  }

  private event(e: Omit<RouterEvent, "at">): void {
    this.events.push({ ...e, at: Date.now() });
    if (this.events.length > 10000) this.events.shift();
  }
}

function bytesOf(v: unknown): Uint8Array {
  return v instanceof Uint8Array ? v : new Uint8Array(0);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}
