// The Helium packet router client (helium-protocol.md 4.2-4.5): one `route` stream kept by a
// Conduit; register signed by the gateway key with session_capable; each session offer answered
// with a fresh Ed25519 session key in a session_init signed by the gateway key; uplinks queued
// (20, 60 s) until a session exists and sent as packet_up signed by the session key; downlinks
// handed to the radio.
import type { Clock, Timers } from "../host/provider.js";
import type { GrpcChannel } from "../grpc/channel.js";
import type { GrpcCall } from "../grpc/call.js";
import { Conduit } from "../grpc/conduit.js";
import { CONDUIT_BACKOFF, type BackoffPolicy } from "../grpc/backoff.js";
import type { ProtoMessage } from "../proto/values.js";
import type { MessageCodec, Signer } from "./deps.js";
import { UplinkQueue, type Queued } from "./uplink-queue.js";

export const ROUTE_PATH = "/helium.packet_router.packet/route";
/** helium.region UNKNOWN: uplinks are held back until the region is known. */
export const REGION_UNKNOWN = 99;

export interface Uplink {
  /** LoRaWAN PHYPayload as received. */
  payload: Uint8Array;
  /** Radio µs counter at the end of the packet (32 bits). */
  tmst: number;
  /** dBm. */
  rssi: number;
  /** dB. */
  snr: number;
  /** Hz. */
  frequency: number;
  /** helium.data_rate value. */
  datarate: number;
  /** Host milliseconds (clock.millis) when it was received. */
  receivedAt: number;
}

export interface DownlinkWindow {
  tmst: number;
  frequency: number;
  datarate: number;
  immediate: boolean;
}
export interface Downlink {
  payload: Uint8Array;
  rx1: DownlinkWindow;
  rx2?: DownlinkWindow;
}

export interface PacketRouterOptions {
  channel: GrpcChannel;
  timers: Timers;
  clock: Clock;
  random: (bytes: Uint8Array) => void;
  codec: MessageCodec;
  gatewayKey: Signer;
  /** A new Ed25519 session keypair per offer (mainnet tag). */
  newSessionKey: () => Signer;
  /** The current region (helium.region value). */
  region: () => number;
  onDownlink?: (downlink: Downlink) => void;
  /** An uplink was written to the stream, signed with the session key. */
  onSent?: (uplink: Uplink) => void;
  queueSize?: number;
  queueMaxAgeMs?: number;
  policy?: BackoffPolicy;
  initialDelayMs?: number;
  log?: (level: "info" | "warn", message: string) => void;
}

export type RouterState = "stopped" | "connecting" | "registered" | "session";

export class PacketRouterClient {
  readonly queue: UplinkQueue<Uplink>;
  readonly conduit: Conduit;
  readonly stats = {
    uplinksSent: 0,
    uplinksHeldNoRegion: 0,
    sendFailures: 0,
    sessions: 0,
    downlinks: 0,
    acks: 0,
    badMessages: 0,
  };
  state: RouterState = "stopped";
  /** The session key in use (33-byte binary), if any. */
  sessionKey: Uint8Array | undefined;
  private session: Signer | undefined;

  constructor(private readonly o: PacketRouterOptions) {
    this.queue = new UplinkQueue(o.queueSize ?? 20, o.queueMaxAgeMs ?? 60000);
    this.conduit = new Conduit(
      { channel: o.channel, path: ROUTE_PATH, timers: o.timers, random: o.random, policy: o.policy ?? CONDUIT_BACKOFF, initialDelayMs: o.initialDelayMs },
      {
        onOpen: (call) => this.onOpen(call),
        onMessage: (m) => this.onMessage(m),
        onClose: () => this.onClose(),
      },
    );
  }

  start(): void {
    if (this.state !== "stopped") return;
    this.state = "connecting";
    this.conduit.start();
  }

  stop(): void {
    this.conduit.stop();
    this.state = "stopped";
    this.session = this.sessionKey = undefined;
  }

  /** Queues an uplink and sends what the session allows. Packets are dropped while the region is unknown. */
  uplink(packet: Uplink): void {
    if (this.o.region() === REGION_UNKNOWN) {
      this.stats.uplinksHeldNoRegion++;
      return;
    }
    this.queue.push(packet, packet.receivedAt);
    this.flush();
  }

  private onOpen(call: GrpcCall): void {
    this.state = "connecting";
    const wall = this.o.clock.wallMillis();
    const register: ProtoMessage = {
      timestamp: BigInt(Math.floor(wall ?? 0)),
      gateway: this.o.gatewayKey.publicKey,
      session_capable: true,
      packet_ack_interval: 0,
    };
    register.signature = this.o.gatewayKey.sign(this.o.codec.encodeForSigning("packet_router_register_v1", register));
    if (call.write(this.o.codec.encode("envelope_up_v1", { register }))) this.state = "registered";
  }

  private onMessage(bytes: Uint8Array): void {
    let env: ProtoMessage;
    try {
      env = this.o.codec.decode("envelope_down_v1", bytes);
    } catch (e) {
      this.stats.badMessages++;
      this.o.log?.("warn", `undecodable envelope_down_v1: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const offer = env.session_offer as ProtoMessage | undefined;
    const packet = env.packet as ProtoMessage | undefined;
    if (offer) this.onOffer(offer.nonce as Uint8Array);
    else if (packet) this.onPacketDown(packet);
    else if (env.packet_ack) this.stats.acks++;
  }

  private onOffer(nonce: Uint8Array): void {
    const session = this.o.newSessionKey();
    const init: ProtoMessage = { gateway: this.o.gatewayKey.publicKey, nonce, session_key: session.publicKey };
    init.signature = this.o.gatewayKey.sign(this.o.codec.encodeForSigning("packet_router_session_init_v1", init));
    if (!this.conduit.send(this.o.codec.encode("envelope_up_v1", { session_init: init }))) {
      this.conduit.disconnect("failed to send session_init");
      return;
    }
    // Packets after the init on this ordered stream are checked with the new key.
    this.session = session;
    this.sessionKey = session.publicKey;
    this.state = "session";
    this.stats.sessions++;
    this.conduit.markHealthy();
    this.flush();
  }

  private onPacketDown(p: ProtoMessage): void {
    const windowOf = (w: ProtoMessage | undefined): DownlinkWindow | undefined =>
      w && {
        tmst: Number(BigInt.asUintN(32, BigInt(w.timestamp as bigint | number))),
        frequency: Number(w.frequency),
        datarate: Number(w.datarate),
        immediate: w.immediate === true,
      };
    const rx1 = windowOf(p.rx1 as ProtoMessage | undefined);
    if (!rx1) {
      this.stats.badMessages++;
      return;
    }
    this.stats.downlinks++;
    this.o.onDownlink?.({ payload: p.payload as Uint8Array, rx1, rx2: windowOf(p.rx2 as ProtoMessage | undefined) });
  }

  private onClose(): void {
    this.session = this.sessionKey = undefined;
    if (this.state !== "stopped") this.state = "connecting";
  }

  private flush(): void {
    while (this.session && this.conduit.connected) {
      const entry = this.queue.popFresh(this.o.clock.millis());
      if (!entry) return;
      if (!this.send(entry)) {
        // gateway-rs: a packet that fails to send goes back to the front and the router disconnects.
        this.queue.pushFront(entry);
        this.stats.sendFailures++;
        this.conduit.disconnect("failed to send packet_up");
        return;
      }
    }
  }

  private send(entry: Queued<Uplink>): boolean {
    const u = entry.item;
    const up: ProtoMessage = {
      payload: u.payload,
      timestamp: BigInt(u.tmst >>> 0),
      rssi: Math.trunc(u.rssi),
      frequency: u.frequency,
      datarate: u.datarate,
      snr: u.snr,
      region: this.o.region(),
      hold_time: BigInt(Math.max(0, Math.floor(this.o.clock.millis() - entry.receivedAt))),
      gateway: this.o.gatewayKey.publicKey,
    };
    up.signature = this.session!.sign(this.o.codec.encodeForSigning("packet_router_packet_up_v1", up));
    const ok = this.conduit.send(this.o.codec.encode("envelope_up_v1", { packet: up }));
    if (ok) {
      this.stats.uplinksSent++;
      this.o.onSent?.(u);
    }
    return ok;
  }
}
