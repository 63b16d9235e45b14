// Test-only: the hotspot's PoC (modules/poc) wired to fakes on a virtual clock, and an in-memory
// stream that joins its ingest session to the devnet's ingest (devnet/poc) without gRPC.
import type { IngestSessionClient } from "../../modules/poc/session.js";
import type { BeaconRadio, BeaconTransmission, BeaconTxResult, EntropySource, PocTransport, RemoteEntropy } from "../../modules/poc/types.js";
import type { IngestStream, PocIngest, StreamEnd } from "../../devnet/poc/ingest.js";
import type { VirtualTime } from "./virtual-time.js";

/** A deterministic random source (xorshift32), as the host provider's `random` shape. */
export function seededRandom(seed: number): (bytes: Uint8Array) => void {
  let x = seed >>> 0 || 1;
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      bytes[i] = x & 0xff;
    }
  };
}

/** Records what the session client sends; `offer()` plays the server's side by hand. */
export class RecordingTransport implements PocTransport {
  readonly sent: Uint8Array[] = [];
  healthy = 0;
  disconnects: string[] = [];
  accept = true;
  send(message: Uint8Array): boolean {
    if (this.accept) this.sent.push(message);
    return this.accept;
  }
  markHealthy(): void {
    this.healthy++;
  }
  disconnect(reason: string): void {
    this.disconnects.push(reason);
  }
}

/** The session client and the devnet ingest joined in memory; `open()` starts a new stream. */
export class LoopbackTransport implements PocTransport {
  stream: IngestStream | undefined;
  ends: StreamEnd[] = [];
  healthy = 0;

  constructor(
    private readonly ingest: PocIngest,
    private readonly client: IngestSessionClient,
    /** When given, a closed stream is re-opened after `reconnectMs` (as the conduit does). */
    private readonly reconnect?: { timers: { set(cb: () => void, ms: number): unknown }; reconnectMs: number },
  ) {
    client.attach(this);
  }

  open(): void {
    this.client.onOpen();
    // The offer is sent while the stream is being created; hand it over once it exists.
    const early: Uint8Array[] = [];
    this.stream = this.ingest.openStream({
      send: (message) => (this.stream ? this.client.onMessage(message) : early.push(message)),
      close: (end) => {
        this.ends.push(end);
        this.stream = undefined;
        this.client.onClose();
        if (this.reconnect) this.reconnect.timers.set(() => this.open(), this.reconnect.reconnectMs);
      },
    });
    for (const message of early) this.client.onMessage(message);
  }

  send(message: Uint8Array): boolean {
    if (!this.stream) return false;
    this.stream.receive(message);
    return true;
  }

  markHealthy(): void {
    this.healthy++;
  }

  disconnect(): void {
    this.stream?.ended();
    this.stream = undefined;
    this.client.onClose();
  }
}

/** Entropy served from a list of records (or made on demand), counting fetches. */
export class FakeEntropy implements EntropySource {
  fetches = 0;
  constructor(private readonly make: (n: number) => RemoteEntropy) {}
  fetch(done: (r: { ok: true; entropy: RemoteEntropy }) => void): void {
    done({ ok: true, entropy: this.make(this.fetches++) });
  }
}

/** A radio that records transmissions and confirms them after `airMs` with a reduced power. */
export class FakeRadio implements BeaconRadio {
  readonly sent: { tx: BeaconTransmission; atMicros: number; wallMillis: number | undefined }[] = [];
  powerCap = Infinity;
  /** A fixed TX tmst to report instead of the clock's. */
  tmstOverride: number | undefined;
  fail: string | undefined;
  constructor(
    private readonly vt: VirtualTime,
    private readonly airMs = 1000,
    private readonly onAir?: (tx: BeaconTransmission) => void,
  ) {}
  transmit(tx: BeaconTransmission, done: (r: BeaconTxResult) => void): void {
    this.sent.push({ tx, atMicros: this.vt.clock.micros(), wallMillis: this.vt.clock.wallMillis() });
    const tmst = this.tmstOverride ?? Math.floor(this.vt.clock.micros()) >>> 0;
    this.onAir?.(tx);
    this.vt.timers.set(() => done(this.fail ? { ok: false, error: this.fail } : { ok: true, powerDbm: Math.min(tx.powerDbm, this.powerCap), tmst }), this.airMs);
  }
}
