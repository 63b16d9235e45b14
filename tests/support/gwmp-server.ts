// A minimal GWMP v2 network server for tests, on 127.0.0.1. It decodes what the gateway sends with
// Node's Buffer and JSON.parse only (none of the forwarder's code), acknowledges PUSH_DATA and
// PULL_DATA as a server does, and sends PULL_RESP to wherever the last PULL_DATA came from.

import dgram from "node:dgram";

export interface ReceivedDatagram {
  /** GWMP identifier: 0 PUSH_DATA, 2 PULL_DATA, 5 TX_ACK. */
  id: number;
  token: number;
  euiHex: string;
  /** The JSON body parsed, or undefined when there is none. */
  json: any;
  /** The JSON body as text. */
  text: string;
  raw: Buffer;
  from: { address: string; port: number };
}

export const ID = { PUSH_DATA: 0, PUSH_ACK: 1, PULL_DATA: 2, PULL_RESP: 3, PULL_ACK: 4, TX_ACK: 5 };

export class GwmpTestServer {
  readonly received: ReceivedDatagram[] = [];
  /** Datagrams that were not GWMP v2 gateway messages (tests expect none). */
  readonly malformed: Buffer[] = [];
  /** Decides per PUSH_DATA whether to send a PUSH_ACK. */
  ackPush: (d: ReceivedDatagram) => boolean = () => true;
  ackPull = true;
  private lastPull: { address: string; port: number } | undefined;

  private constructor(
    private readonly socket: dgram.Socket,
    readonly port: number,
  ) {
    socket.on("message", (raw, rinfo) => this.onMessage(raw, rinfo));
  }

  static async open(): Promise<GwmpTestServer> {
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    return new GwmpTestServer(socket, socket.address().port);
  }

  of(id: number): ReceivedDatagram[] {
    return this.received.filter((d) => d.id === id);
  }

  /** The gateway's socket, as learned from its PULL_DATA. */
  gateway(): { address: string; port: number } {
    if (!this.lastPull) throw new Error("no PULL_DATA received yet");
    return this.lastPull;
  }

  sendPullResp(token: number, body: string | Buffer): void {
    const head = Buffer.from([2, token >> 8, token & 0xff, ID.PULL_RESP]);
    this.sendRaw(Buffer.concat([head, typeof body === "string" ? Buffer.from(body, "utf8") : body]));
  }

  sendRaw(bytes: Uint8Array, to = this.gateway()): void {
    this.socket.send(bytes, to.port, to.address);
  }

  async waitFor(what: string, predicate: () => boolean, timeoutMs = 3000): Promise<void> {
    await until(what, predicate, timeoutMs);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private onMessage(raw: Buffer, rinfo: dgram.RemoteInfo): void {
    if (raw.length < 12 || raw[0] !== 2) {
      this.malformed.push(raw);
      return;
    }
    const text = raw.subarray(12).toString("utf8");
    const d: ReceivedDatagram = {
      id: raw[3],
      token: raw.readUInt16BE(1),
      euiHex: raw.subarray(4, 12).toString("hex").toUpperCase(),
      json: text.length > 0 ? JSON.parse(text) : undefined,
      text,
      raw,
      from: { address: rinfo.address, port: rinfo.port },
    };
    this.received.push(d);
    const ack = (id: number) => this.socket.send(Buffer.from([2, raw[1], raw[2], id]), rinfo.port, rinfo.address);
    if (d.id === ID.PUSH_DATA && this.ackPush(d)) ack(ID.PUSH_ACK);
    if (d.id === ID.PULL_DATA) {
      this.lastPull = d.from;
      if (this.ackPull) ack(ID.PULL_ACK);
    }
  }
}

/** Waits (really, polling every few ms) until `predicate` holds; fails after `timeoutMs`. */
export async function until(what: string, predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
