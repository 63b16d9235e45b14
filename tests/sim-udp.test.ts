// sim/host/udp.ts against plain node:dgram on 127.0.0.1: ECMA-419 read/write/close behaviour and
// the bounded receive queue.

import { test } from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { NodeUDP } from "../sim/host/udp.js";
import { until } from "./support/gwmp-server.js";

async function peer(): Promise<{ socket: dgram.Socket; port: number; got: { data: Buffer; port: number }[] }> {
  const socket = dgram.createSocket("udp4");
  const got: { data: Buffer; port: number }[] = [];
  socket.on("message", (data, rinfo) => got.push({ data, port: rinfo.port }));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { socket, port: socket.address().port, got };
}

test("NodeUDP: datagrams both ways, with the sender's address and port, from any buffer view", async () => {
  const p = await peer();
  let readable = 0;
  const udp = new NodeUDP({ onReadable: (n) => (readable = n) });
  try {
    const local = await udp.localPort();
    udp.write(new Uint8Array([1, 2, 3]), "127.0.0.1", p.port);
    udp.write(new Uint8Array([9, 4, 5, 6, 9]).subarray(1, 4), "127.0.0.1", p.port);
    udp.write(new Uint8Array([7, 8]).buffer, "127.0.0.1", p.port);
    udp.write(new DataView(new Uint8Array([0, 10, 11, 0]).buffer, 1, 2), "127.0.0.1", p.port);
    await until("4 datagrams at the peer", () => p.got.length === 4);
    assert.deepEqual(p.got.map((g) => [...g.data]), [[1, 2, 3], [4, 5, 6], [7, 8], [10, 11]]);
    assert.ok(p.got.every((g) => g.port === local));

    p.socket.send(Buffer.from([0xaa, 0xbb]), local, "127.0.0.1");
    await until("a datagram back", () => readable === 1);
    const d = udp.read()!;
    assert.deepEqual([...new Uint8Array(d)], [0xaa, 0xbb]);
    assert.equal(d.address, "127.0.0.1");
    assert.equal(d.port, p.port);
    assert.equal(udp.read(), undefined);
  } finally {
    udp.close();
    udp.close();
    p.socket.close();
  }
  assert.throws(() => udp.write(new Uint8Array(1), "127.0.0.1", p.port));
});

test("NodeUDP: the receive queue is bounded and counts what it drops", async () => {
  const p = await peer();
  let waiting = 0;
  const udp = new NodeUDP({ onReadable: (n) => (waiting = n) });
  try {
    const local = await udp.localPort();
    let sent = 0;
    let queued = 0;
    // In chunks, so the kernel's own buffer never overflows and every datagram reaches the queue.
    while (sent < NodeUDP.QUEUE_LIMIT + 100) {
      for (let i = 0; i < 100; i++) p.socket.send(Buffer.from([sent++ & 0xff]), local, "127.0.0.1");
      await until("the chunk", () => waiting + udp.droppedDatagrams === sent);
    }
    while (udp.read() !== undefined) queued++;
    assert.equal(queued, NodeUDP.QUEUE_LIMIT);
    assert.equal(udp.droppedDatagrams, sent - NodeUDP.QUEUE_LIMIT);
  } finally {
    udp.close();
    p.socket.close();
  }
});
