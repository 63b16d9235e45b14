// The HTTP server over ECMA-419 Listener/TCP, run on the simulator's node:net classes
// (sim/host/listener.ts) and spoken to by Node's own HTTP client (llhttp parses our responses):
// keep-alive, large responses through the onWritable window, the connection limit with eviction of
// idle connections and a 503 when every slot is busy.

import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { createHash } from "node:crypto";
import { jsonResponse } from "../modules/web/http/response.js";
import type { HttpHandler } from "../modules/web/http/types.js";
import { NodeListener } from "../sim/host/listener.js";
import { NodeTCP } from "../sim/host/tcp.js";
import { LiveApi } from "./support/live-api.js";
import { serveOnLoopback } from "./support/web-loopback.js";

function start(handler: HttpHandler, maxConnections = 2) {
  return serveOnLoopback(handler, { limits: { maxConnections, idleTimeoutMs: 2000, requestTimeoutMs: 3000 } });
}

function request(port: number, options: http.RequestOptions & { body?: Buffer }, agent?: http.Agent) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, agent, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

test("Node's HTTP client: keep-alive requests, a POST body, a 300 KB response through the write window", async () => {
  const big = Buffer.alloc(300_000, 0x61);
  for (let i = 0; i < big.length; i += 997) big[i] = 0x62;
  const { server, port } = await start((r) =>
    r.path === "/big"
      ? { status: 200, headers: [["Content-Type", "application/octet-stream"]], body: new Uint8Array(big) }
      : jsonResponse(200, { path: r.path, sha: createHash("sha256").update(r.body).digest("hex") }),
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < 5; i++) {
      const r = await request(port, { path: `/n/${i}` }, agent);
      assert.equal(r.status, 200);
      assert.equal(JSON.parse(r.body.toString()).path, `/n/${i}`);
    }
    assert.equal(server.stats.connectionsAccepted, 1, "one keep-alive connection served all five");
    const body = Buffer.from("hello hotspot");
    const post = await request(port, { method: "POST", path: "/p", body, headers: { "Content-Length": body.length } }, agent);
    assert.equal(JSON.parse(post.body.toString()).sha, createHash("sha256").update(body).digest("hex"));
    const large = await request(port, { path: "/big" }, agent);
    assert.equal(large.status, 200);
    assert.ok(large.body.equals(big), "the large body arrives intact");
  } finally {
    agent.destroy();
    server.close();
  }
});

test("connection limit: an idle keep-alive connection gives its slot to a new one; when all are busy the new one waits", async () => {
  const release: (() => void)[] = [];
  const { server, port } = await start((r) =>
    r.path === "/slow"
      ? new Promise((resolve) => release.push(() => resolve(jsonResponse(200, "slow"))))
      : jsonResponse(200, "fast"),
  );
  try {
    const a1 = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const a2 = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await request(port, { path: "/" }, a1);
    await request(port, { path: "/" }, a2);
    assert.equal(server.activeConnections, 2);
    const a3 = new http.Agent({ keepAlive: true, maxSockets: 1 });
    assert.equal((await request(port, { path: "/" }, a3)).status, 200);
    assert.equal(server.stats.connectionsEvicted, 1);
    for (const a of [a1, a2, a3]) a.destroy();
    while (server.activeConnections > 0) await new Promise((r) => setTimeout(r, 10));

    // Two requests hold both slots; a third connection waits in the backlog, then is served.
    const slow1 = request(port, { path: "/slow", agent: false });
    const slow2 = request(port, { path: "/slow", agent: false });
    while (release.length < 2) await new Promise((r) => setTimeout(r, 10));
    let thirdDone = false;
    const third = request(port, { path: "/", agent: false }).then((r) => ((thirdDone = true), r));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(thirdDone, false, "the third waits while both slots are busy");
    assert.ok(server.stats.connectionsQueued >= 1);
    assert.equal(server.activeConnections, 2);
    release[0]();
    assert.equal((await third).status, 200);
    release[1]();
    assert.equal((await slow1).status, 200);
    assert.equal((await slow2).status, 200);
  } finally {
    server.close();
  }
});

test("raw socket: a malformed request gets 400 and the server closes the connection", async () => {
  const { server, port } = await start(() => jsonResponse(200, "x"));
  try {
    const reply = await new Promise<string>((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1", () => s.write("BAD REQUEST LINE\r\n\r\n"));
      let got = "";
      s.on("data", (d) => (got += d.toString("latin1")));
      s.on("close", () => resolve(got));
      s.on("error", reject);
    });
    assert.match(reply, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(reply, /\r\nConnection: close\r\n/);
    assert.equal(server.stats.malformed, 1);
  } finally {
    server.close();
  }
});

test("acceptPeer: a peer it refuses is closed unanswered and counted; the ones it accepts are served", async () => {
  const seen: (string | undefined)[] = [];
  const { server, url } = await serveOnLoopback(() => jsonResponse(200, { ok: true }), {
    acceptPeer: (remoteAddress) => (seen.push(remoteAddress), remoteAddress === "127.0.0.1"),
  });
  // Linux routes all of 127/8 to loopback: 127.0.0.2 is a peer with another address on this machine.
  const request = "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
  const api = new LiveApi(url);
  try {
    assert.deepEqual(await api.exchange([request], { localAddress: "127.0.0.2" }), { answer: "", closedByServer: true });
    const served = await api.exchange([request], { localAddress: "127.0.0.1" });
    assert.match(served.answer, /^HTTP\/1\.1 200 OK\r\n/);
    assert.ok(served.closedByServer);
    assert.deepEqual(seen, ["127.0.0.2", "127.0.0.1"]);
    assert.deepEqual([server.stats.connectionsAccepted, server.stats.connectionsRefused, server.stats.requests], [2, 1, 1]);
  } finally {
    server.close();
  }
});

test("a client that disconnects: the server still closes its socket (the SDK keeps an unclosed TCP and its callbacks alive)", async () => {
  const closed: string[] = [];
  class CountingTCP extends NodeTCP {
    override close() {
      closed.push("close");
      super.close();
    }
  }
  const { server, port } = await serveOnLoopback(() => jsonResponse(200, { ok: true }), { TCP: CountingTCP });
  const hangUp = (bytes: string) =>
    new Promise<void>((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.write(bytes);
        setTimeout(() => s.destroy(), 50);
      });
      s.on("close", () => resolve());
      s.on("error", reject);
    });
  try {
    await hangUp("GET / HTTP/1.1\r\nHo"); // mid-request
    await hangUp("GET / HTTP/1.1\r\nHost: h\r\n\r\n"); // after an answer, on a keep-alive connection
    await hangUp(""); // before a byte
    for (let i = 0; i < 100 && closed.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(closed.length, 3, "each socket closed once");
    assert.equal(server.activeConnections, 0);
    assert.equal(server.stats.internalErrors, 0);
  } finally {
    server.close();
  }
});
