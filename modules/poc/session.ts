// The hotspot's side of the ingest stream `helium.poc_lora.poc_lora/stream_requests` (spec 3.6):
// every new stream starts without a session; the server's offer is answered at once with a fresh
// Ed25519 session key in a `session_init` signed by the gateway key; reports are then signed with
// the session key. Without a session (or before the wall clock is valid) nothing is signed and
// reports are dropped, as gateway-rs drops them. Reconnecting with backoff is the transport's job
// (the gRPC conduit); this class plugs into it as its handlers.
import type { Clock } from "../host/provider.js";
import type { Core } from "../core/core.js";
import { decodeMessage, encodeForSigning } from "../proto/codec.js";
import type { ProtoMessage } from "../proto/values.js";
import { type ReportName, signReport, streamRequest } from "./reports.js";
import type { PocTransport } from "./types.js";

export type SessionState = "down" | "awaiting-offer" | "ready";

export interface SessionOptions {
  core: Core;
  clock: Clock;
  random(bytes: Uint8Array): void;
  gateway: { seed: Uint8Array; publicKeyBin: Uint8Array };
  /** Called on session changes and refusals, for the PoC log. */
  onEvent?(event: { kind: "session" | "error"; message: string }): void;
}

export type SubmitResult = { ok: true } | { ok: false; reason: "no-session" | "clock-invalid" | "send-failed" };

export class IngestSessionClient {
  state: SessionState = "down";
  readonly stats = { streams: 0, sessions: 0, offersRefused: 0, reportsSent: 0, reportsDropped: 0 };
  #transport: PocTransport | undefined;
  #sessionSeed: Uint8Array | undefined;

  constructor(private readonly options: SessionOptions) {}

  /** The stream the client speaks on (the conduit, once built with this client as its handlers). */
  attach(transport: PocTransport): void {
    this.#transport = transport;
  }

  /** The session's public key binary while a session is up (for the dashboard). */
  get sessionKeyBin(): Uint8Array | undefined {
    if (!this.#sessionSeed) return undefined;
    return Uint8Array.from([0x01, ...this.options.core.ed25519PublicKey(this.#sessionSeed)]);
  }

  // ------------------------------------------------------------ conduit handlers

  onOpen(): void {
    this.stats.streams++;
    this.#sessionSeed = undefined; // a new stream always gets a new session
    this.state = "awaiting-offer";
  }

  onMessage(bytes: Uint8Array): void {
    let response: ProtoMessage;
    try {
      response = decodeMessage(this.options.core, "lora_stream_response_v1", bytes);
    } catch (error) {
      return this.#refuse(`undecodable message from ingest: ${(error as Error).message}`);
    }
    const offer = response.offer as ProtoMessage | undefined;
    if (!offer) return; // nothing else is defined; ignore what we do not know
    this.#answer(offer.nonce as Uint8Array);
  }

  onClose(): void {
    this.#sessionSeed = undefined;
    this.state = "down";
  }

  // ------------------------------------------------------------ reports

  /** Signs a report with the session key and sends it at once. */
  submit(name: ReportName, fields: ProtoMessage): SubmitResult {
    if (this.state !== "ready" || !this.#sessionSeed || !this.#transport) return this.#drop("no-session");
    if (this.options.clock.wallMillis() === undefined) return this.#drop("clock-invalid");
    const signed = signReport(this.options.core, name, fields, this.#sessionSeed);
    const member = name === "lora_beacon_report_req_v1" ? "beacon_report" : "witness_report";
    if (!this.#transport.send(streamRequest(this.options.core, member, signed))) return this.#drop("send-failed");
    this.stats.reportsSent++;
    return { ok: true };
  }

  #answer(nonce: Uint8Array): void {
    const transport = this.#transport;
    if (!transport) return;
    if (this.options.clock.wallMillis() === undefined) {
      this.stats.offersRefused++;
      transport.disconnect("wall clock not valid: nothing is signed yet");
      return this.options.onEvent?.({ kind: "error", message: "ingest offer not answered: the wall clock is not valid yet" });
    }
    const { core, gateway } = this.options;
    const seed = new Uint8Array(32);
    this.options.random(seed);
    const init: ProtoMessage = {
      pub_key: gateway.publicKeyBin,
      nonce,
      session_key: Uint8Array.from([0x01, ...core.ed25519PublicKey(seed)]),
    };
    init.signature = core.ed25519Sign(gateway.seed, encodeForSigning(core, "lora_stream_session_init_v1", init));
    if (!transport.send(streamRequest(core, "session_init", init))) {
      return this.#refuse("could not send session_init");
    }
    this.#sessionSeed = seed;
    this.state = "ready";
    this.stats.sessions++;
    transport.markHealthy();
    this.options.onEvent?.({ kind: "session", message: "ingest session established" });
  }

  #refuse(message: string): void {
    this.options.onEvent?.({ kind: "error", message });
    this.#transport?.disconnect(message);
  }

  #drop(reason: "no-session" | "clock-invalid" | "send-failed"): SubmitResult {
    this.stats.reportsDropped++;
    return { ok: false, reason };
  }
}
