// The devnet's PoC ingest (helium-protocol.md 3.6), independent of any transport: each
// `stream_requests` stream gets an offer with a fresh 32-byte nonce and must answer with a
// `session_init` signed by its gateway key within `offerTimeoutMs`; after that every report must be
// signed by the session key and carry the session's pub_key, else the stream is closed. A stream
// is closed `sessionLifetimeMs` after its init (not refreshed by traffic). The unary submit calls
// verify the signature with the report's own pub_key. Accepted reports go to the verifier with the
// receipt time; refusals are recorded there too.
import { ed25519 } from "@noble/curves/ed25519.js";
import {
  type BeaconReportMsg, decodePlain, decodeStreamRequest, encodeCanonical, encodeOffer, type SessionInitMsg, signedBytes, types, type WitnessReportMsg,
} from "./protos.js";
import type { PocVerifier, RefusalReason } from "./verifier.js";

/** gRPC status codes the ingest ends streams with. */
export const Status = { OK: 0, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, PERMISSION_DENIED: 7, FAILED_PRECONDITION: 9 } as const;

export interface StreamEnd {
  code: number;
  details: string;
}

/** The transport side of one stream. */
export interface IngestSink {
  send(message: Uint8Array): void;
  close(end: StreamEnd): void;
}

export interface IngestTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface IngestOptions {
  verifier: PocVerifier;
  /** Unix ms: the receipt time stamped on each report (virtual in the simulator). */
  now(): number;
  timers: IngestTimers;
  random(length: number): Uint8Array;
  /** Default 5 s (`session_key_offer_timeout`). */
  offerTimeoutMs?: number;
  /** Default 30 min (`session_key_timeout`). */
  sessionLifetimeMs?: number;
}

export interface IngestStats {
  streams: number;
  sessions: number;
  offerTimeouts: number;
  sessionExpiries: number;
  badInits: number;
  beaconsAccepted: number;
  witnessesAccepted: number;
  refused: number;
}

const ED25519_MAINNET_TAG = 0x01;

/** The raw Ed25519 key of a mainnet Ed25519 Helium key binary, or why it is not one. */
function ed25519Key(bin: Uint8Array): { ok: true; key: Uint8Array } | { ok: false; why: string } {
  if (bin.length === 0) return { ok: false, why: "no key" };
  if ((bin[0] & 0xf0) !== 0) return { ok: false, why: "not a mainnet key" };
  if (bin[0] !== ED25519_MAINNET_TAG || bin.length !== 33) return { ok: false, why: `key type 0x${bin[0].toString(16)} / ${bin.length} bytes is not a 33-byte Ed25519 key` };
  return { ok: true, key: bin.subarray(1) };
}

function verifySignature(bin: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const key = ed25519Key(bin);
  if (!key.ok || signature.length !== 64) return false;
  try {
    return ed25519.verify(signature, message, key.key);
  } catch {
    return false;
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export class PocIngest {
  readonly stats: IngestStats = { streams: 0, sessions: 0, offerTimeouts: 0, sessionExpiries: 0, badInits: 0, beaconsAccepted: 0, witnessesAccepted: 0, refused: 0 };
  readonly offerTimeoutMs: number;
  readonly sessionLifetimeMs: number;

  constructor(readonly options: IngestOptions) {
    this.offerTimeoutMs = options.offerTimeoutMs ?? 5000;
    this.sessionLifetimeMs = options.sessionLifetimeMs ?? 30 * 60_000;
  }

  get verifier(): PocVerifier {
    return this.options.verifier;
  }

  /** A new `stream_requests` stream: the offer goes out at once. */
  openStream(sink: IngestSink): IngestStream {
    this.stats.streams++;
    return new IngestStream(this, sink);
  }

  /** Unary submit_lora_beacon: the report's pub_key signs it. Returns the id or the refusal. */
  submitBeacon(bytes: Uint8Array): { ok: true; id: string; response: Uint8Array } | { ok: false; end: StreamEnd } {
    return this.#submitUnary("beacon", bytes);
  }

  submitWitness(bytes: Uint8Array): { ok: true; id: string; response: Uint8Array } | { ok: false; end: StreamEnd } {
    return this.#submitUnary("witness", bytes);
  }

  #submitUnary(kind: "beacon" | "witness", bytes: Uint8Array): { ok: true; id: string; response: Uint8Array } | { ok: false; end: StreamEnd } {
    const type = kind === "beacon" ? types.beacon : types.witness;
    let report: BeaconReportMsg | WitnessReportMsg;
    try {
      report = decodePlain(type, bytes);
    } catch (error) {
      return { ok: false, end: this.refuse(kind, undefined, "malformed", `undecodable ${kind} report: ${(error as Error).message}`) };
    }
    if (!verifySignature(report.pub_key, signedBytes(type, report), report.signature)) {
      return { ok: false, end: this.refuse(kind, report.pub_key, "invalid_signature", `${kind} report not signed by its pub_key`) };
    }
    const id = this.accept(kind, report);
    const response = encodeCanonical(kind === "beacon" ? types.beaconResp : types.witnessResp, { id });
    return { ok: true, id, response };
  }

  /** Records a refusal with the verifier and returns the status the call or stream ends with. */
  refuse(kind: "beacon" | "witness" | "session_init" | "unknown", pubKey: Uint8Array | undefined, reason: RefusalReason, detail: string): StreamEnd {
    this.stats.refused++;
    this.verifier.addRefusal(kind, pubKey, reason, detail, this.options.now());
    const code = reason === "malformed" ? Status.INVALID_ARGUMENT : reason === "no_session" ? Status.FAILED_PRECONDITION : Status.PERMISSION_DENIED;
    return { code, details: `${reason}: ${detail}` };
  }

  accept(kind: "beacon" | "witness", report: BeaconReportMsg | WitnessReportMsg): string {
    const now = this.options.now();
    if (kind === "beacon") {
      this.stats.beaconsAccepted++;
      return this.verifier.addBeacon(report as BeaconReportMsg, now);
    }
    this.stats.witnessesAccepted++;
    return this.verifier.addWitness(report as WitnessReportMsg, now);
  }
}

/** One `stream_requests` stream. */
export class IngestStream {
  state: "offered" | "session" | "closed" = "offered";
  /** The gateway and session keys once the init is accepted. */
  gateway: Uint8Array | undefined;
  sessionKey: Uint8Array | undefined;
  readonly nonce: Uint8Array;
  #timer: unknown;

  constructor(
    private readonly ingest: PocIngest,
    private readonly sink: IngestSink,
  ) {
    this.nonce = ingest.options.random(32);
    this.#timer = ingest.options.timers.set(() => {
      this.ingest.stats.offerTimeouts++;
      this.close({ code: Status.DEADLINE_EXCEEDED, details: `no session_init within ${ingest.offerTimeoutMs} ms of the offer` });
    }, ingest.offerTimeoutMs);
    sink.send(encodeOffer(this.nonce));
  }

  /** One request message from the gateway. */
  receive(bytes: Uint8Array): void {
    if (this.state === "closed") return;
    let request;
    try {
      request = decodeStreamRequest(bytes);
    } catch (error) {
      return this.close(this.ingest.refuse("unknown", this.gateway, "malformed", `undecodable request: ${(error as Error).message}`));
    }
    if ("session_init" in request) return this.#init(request.session_init);
    const [kind, report] =
      "beacon_report" in request ? (["beacon", request.beacon_report] as const)
        : "witness_report" in request ? (["witness", request.witness_report] as const)
          : (["unknown", undefined] as const);
    if (report === undefined) return this.close(this.ingest.refuse("unknown", this.gateway, "malformed", "empty request"));
    if (this.state !== "session") return this.close(this.ingest.refuse(kind, report.pub_key, "no_session", `${kind} report before session_init`));
    if (!equal(report.pub_key, this.gateway!)) {
      return this.close(this.ingest.refuse(kind, report.pub_key, "pub_key_mismatch", `${kind} report for another gateway than the session's`));
    }
    const type = kind === "beacon" ? types.beacon : types.witness;
    if (!verifySignature(this.sessionKey!, signedBytes(type, report), report.signature)) {
      return this.close(this.ingest.refuse(kind, report.pub_key, "invalid_signature", `${kind} report not signed by the session key`));
    }
    this.ingest.accept(kind, report);
  }

  /** The transport ended (client cancel or connection loss). */
  ended(): void {
    this.#stop();
    this.state = "closed";
  }

  close(end: StreamEnd): void {
    if (this.state === "closed") return;
    this.#stop();
    this.state = "closed";
    this.sink.close(end);
  }

  #init(init: SessionInitMsg): void {
    const bad = (detail: string): void => {
      this.ingest.stats.badInits++;
      this.close(this.ingest.refuse("session_init", init.pub_key, "bad_session_init", detail));
    };
    if (this.state !== "offered") return bad("a second session_init on one stream");
    const gateway = ed25519Key(init.pub_key);
    if (!gateway.ok) return bad(`pub_key: ${gateway.why}`);
    const session = ed25519Key(init.session_key);
    if (!session.ok) return bad(`session_key: ${session.why}`);
    if (!equal(init.nonce, this.nonce)) return bad("the nonce is not the offer's");
    if (!verifySignature(init.pub_key, signedBytes(types.sessionInit, init), init.signature)) return bad("session_init not signed by its pub_key");
    this.#stop();
    this.state = "session";
    this.gateway = init.pub_key;
    this.sessionKey = init.session_key;
    this.ingest.stats.sessions++;
    this.#timer = this.ingest.options.timers.set(() => {
      this.ingest.stats.sessionExpiries++;
      this.close({ code: Status.OK, details: "session expired" });
    }, this.ingest.sessionLifetimeMs);
  }

  #stop(): void {
    if (this.#timer !== undefined) this.ingest.options.timers.clear(this.#timer);
    this.#timer = undefined;
  }
}
