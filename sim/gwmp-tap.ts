// A relay in front of a GWMP v2 (Semtech UDP) server, on loopback, that counts the uplinks the
// server really received: the simulated hotspots in forwarder mode talk to the relay, the relay
// passes every datagram both ways unchanged (one upstream socket per gateway socket, so the server
// sees each gateway as its own peer), and an rxpk counts for a gateway EUI once the server's
// PUSH_ACK for its PUSH_DATA came back. Decoded with Buffer and JSON.parse only, none of the
// forwarder's code.
import { createHash } from "node:crypto";
import dgram from "node:dgram";

const PUSH_DATA = 0;
const PUSH_ACK = 1;
/** PUSH_DATA waiting for their PUSH_ACK, at most (older ones are forgotten: the server never acknowledged them). */
const PENDING_LIMIT = 1024;

export interface GwmpServerAddress {
  address: string;
  portUp: number;
  portDown: number;
}

export class GwmpTap {
  /** Uplinks (rxpk entries) the server acknowledged, by gateway EUI (16 upper-case hex digits). */
  readonly received = new Map<string, number>();
  /** SHA-256 (hex) of every acknowledged uplink's PHYPayload. */
  readonly #acknowledged = new Set<string>();
  /** PUSH_DATA waiting for their PUSH_ACK, by gateway socket and token. */
  readonly #pending = new Map<string, { eui: string; frames: string[] }>();
  readonly #sockets: dgram.Socket[] = [];
  #spec = "";

  private constructor(readonly server: GwmpServerAddress) {}

  static async open(server: GwmpServerAddress): Promise<GwmpTap> {
    const tap = new GwmpTap(server);
    const up = await tap.#listen(server.portUp);
    const down = server.portDown === server.portUp ? up : await tap.#listen(server.portDown);
    tap.#spec = `127.0.0.1:${up}:${down}`;
    return tap;
  }

  /** The forwarder spec that points a hotspot at the relay ("127.0.0.1:UP:DOWN"). */
  get spec(): string {
    return this.#spec;
  }

  /** Whether the server acknowledged an uplink with this payload hash (SHA-256 hex). */
  acknowledged(payloadHash: string): boolean {
    return this.#acknowledged.has(payloadHash);
  }

  /** Uplinks the server acknowledged from the gateway with this EUI. */
  uplinksFrom(eui: string): number {
    return this.received.get(eui.toUpperCase()) ?? 0;
  }

  close(): void {
    for (const s of this.#sockets) s.close();
    this.#sockets.length = 0;
  }

  async #listen(serverPort: number): Promise<number> {
    const front = dgram.createSocket("udp4");
    this.#sockets.push(front);
    const upstream = new Map<string, dgram.Socket>();
    front.on("message", (data, from) => {
      const gateway = `${from.address}:${from.port}`;
      let up = upstream.get(gateway);
      if (up === undefined) {
        up = dgram.createSocket("udp4");
        this.#sockets.push(up);
        up.on("message", (reply) => {
          this.#fromServer(gateway, reply);
          front.send(reply, from.port, from.address);
        });
        up.bind(0, "127.0.0.1");
        upstream.set(gateway, up);
      }
      this.#fromGateway(gateway, data);
      up.send(data, serverPort, this.server.address);
    });
    await new Promise<void>((resolve) => front.bind(0, "127.0.0.1", resolve));
    return front.address().port;
  }

  #fromGateway(gateway: string, data: Buffer): void {
    if (data.length < 12 || data[0] !== 2 || data[3] !== PUSH_DATA) return;
    let frames: string[];
    try {
      const body = JSON.parse(data.subarray(12).toString("utf8")) as { rxpk?: { data?: unknown }[] };
      frames = Array.isArray(body.rxpk) ? body.rxpk.map((p) => createHash("sha256").update(Buffer.from(String(p?.data ?? ""), "base64")).digest("hex")) : [];
    } catch {
      return;
    }
    if (frames.length === 0) return;
    if (this.#pending.size >= PENDING_LIMIT) this.#pending.delete(this.#pending.keys().next().value!);
    this.#pending.set(`${gateway}/${data.readUInt16BE(1)}`, { eui: data.subarray(4, 12).toString("hex").toUpperCase(), frames });
  }

  /** A PUSH_ACK carries no EUI: it answers the PUSH_DATA with its token from this gateway's socket. */
  #fromServer(gateway: string, data: Buffer): void {
    if (data.length < 4 || data[0] !== 2 || data[3] !== PUSH_ACK) return;
    const key = `${gateway}/${data.readUInt16BE(1)}`;
    const p = this.#pending.get(key);
    if (p === undefined) return;
    this.#pending.delete(key);
    this.received.set(p.eui, (this.received.get(p.eui) ?? 0) + p.frames.length);
    for (const f of p.frames) this.#acknowledged.add(f);
  }
}
