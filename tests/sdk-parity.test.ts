// The host provider's stand-ins are as narrow as the Moddable SDK's ESP32 sockets and resolver (the
// facts and their SDK source locations: sim/host/sdk-rules.ts, sim/host/tcp.ts, listener.ts, udp.ts,
// resolver.ts), checked here on Node against plain node:net / node:dgram peers; and the firmware
// keeps to them: the app against the strict provider, the forwarder by name, the web server under
// read() returning everything, and a type-aware scan of the firmware's sources. The same rules on the
// XS engine: tests/xs/sockets.xs.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import dgram from "node:dgram";
import net from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import ts from "typescript";
import type { TCP, TCPConstructor, TCPOptions } from "../modules/host/provider.js";
import { TcpSendQueue } from "../modules/host/tcp-send-queue.js";
import { GwmpClient } from "../modules/forwarder/client.js";
import { HttpServer } from "../modules/web/http/server.js";
import { jsonResponse } from "../modules/web/http/response.js";
import { NodeListener } from "../sim/host/listener.js";
import { NodeResolver } from "../sim/host/resolver.js";
import { SDK_TCP_SEND_BUFFER, SDK_UDP_READ_LIMIT } from "../sim/host/sdk-rules.js";
import { NodeTCP } from "../sim/host/tcp.js";
import { NodeUDP } from "../sim/host/udp.js";
import { realTimers } from "../sim/host/real-time.js";
import { createSimHost } from "../sim/hotspot-host.js";
import { RadioWorld } from "../sim/radio-world.js";
import { VirtualScheduler } from "../sim/scheduler.js";
import { ROOT } from "../tools/gen-native.js";
import { makeAppRig, refusingTcp, rigConfig } from "./support/app-rig.js";
import { openRig, ScriptedScheduler, LIMITS } from "./support/forwarder-rig.js";
import { ID, until } from "./support/gwmp-server.js";
import { channelTo, GRPC_OK_TRAILERS, GRPC_RESPONSE_HEADERS, rawFrame, startRawPeer } from "./support/grpc-servers.js";
import { parseResponses } from "./support/http-responses.js";
import { airtime } from "./support/radio-rig.js";
import { memoryHost } from "./support/memory-host.js";
import { MemoryResolver } from "./support/resolver-memory.js";
import { VirtualTime } from "./support/virtual-time.js";

const SECOND = 1_000_000;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A TCP server on 127.0.0.1 handing each connection to `onSocket`. */
async function tcpServer(onSocket: (socket: net.Socket) => void): Promise<{ port: number; close(): void }> {
  const server = net.createServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

// ---------------------------------------------------------------- TCP

test("TCP takes an IPv4 `address` only: every stand-in refuses `host` loudly, a name as address, and a bad port", () => {
  const vt = new VirtualTime();
  const standIns: [string, TCPConstructor][] = [
    ["NodeTCP", NodeTCP],
    ["memory host", memoryHost(vt, () => {}).io.TCP],
    ["app rig", refusingTcp(vt.timers)],
  ];
  for (const [name, TCPClass] of standIns) {
    const options = (o: object) => o as unknown as TCPOptions;
    assert.throws(() => new TCPClass(options({ host: "router.example", port: 8080 })), /"host" is not an option/, name);
    assert.throws(() => new TCPClass(options({ host: "router.example", address: "127.0.0.1", port: 8080 })), /"host" is not an option/, name);
    assert.throws(() => new TCPClass(options({ address: "localhost", port: 8080 })), /^Error: invalid address/, name);
    assert.throws(() => new TCPClass(options({ address: "127.1", port: 8080 })), /invalid address/, name);
    assert.throws(() => new TCPClass(options({ port: 8080 })), /invalid address/, name);
    assert.throws(() => new TCPClass(options({ address: "127.0.0.1", port: 70000 })), RangeError, name);
  }
});

test("NodeTCP (outgoing): no callback inside the constructor, 'not ready' before connecting, onWritable at most the ESP32-S3 send buffer, 'would block' beyond it", async () => {
  const received: Buffer[] = [];
  const server = await tcpServer((s) => s.on("data", (d) => received.push(d)));
  const calls: string[] = [];
  let writable = 0;
  const tcp = new NodeTCP({
    address: "127.0.0.1",
    port: server.port,
    onConnect: () => calls.push("connect"),
    onWritable: (n) => (calls.push("writable"), (writable = n)),
  });
  try {
    assert.deepEqual(calls, [], "nothing fires inside the constructor");
    assert.throws(() => tcp.write(new Uint8Array(1)), /not ready/);
    await until("onWritable", () => writable > 0);
    assert.deepEqual(calls, ["connect", "writable"]);
    assert.equal(writable, SDK_TCP_SEND_BUFFER);
    assert.throws(() => tcp.write(new Uint8Array(SDK_TCP_SEND_BUFFER + 1)), /would block/);
    tcp.write(new Uint8Array(SDK_TCP_SEND_BUFFER - 10).fill(7));
    assert.throws(() => tcp.write(new Uint8Array(11)), /would block/, "the space is shared until the bytes leave");
    await until("the bytes at the server", () => received.reduce((n, b) => n + b.length, 0) === SDK_TCP_SEND_BUFFER - 10);
    await until("the space back", () => writable === SDK_TCP_SEND_BUFFER);
  } finally {
    tcp.close();
    server.close();
  }
  assert.throws(() => tcp.read(), /closed/, "no host data after close()");
});

test("NodeTCP read(): every byte waiting whatever was asked; a count is refused; undefined when nothing waits", async () => {
  const server = await tcpServer((s) => {
    s.write("abc");
    setImmediate(() => s.write("defg"));
    setTimeout(() => s.write("hi"), 20);
  });
  let available = 0;
  const tcp = new NodeTCP({ address: "127.0.0.1", port: server.port, onReadable: (n) => (available = n) });
  try {
    await until("9 bytes waiting", () => available === 9);
    assert.throws(() => (tcp.read as (n: number) => ArrayBuffer)(4), /takes no count/);
    assert.equal(Buffer.from(tcp.read()!).toString(), "abcdefghi");
    assert.equal(tcp.read(), undefined);
  } finally {
    tcp.close();
    server.close();
  }
});

test("NodeTCP onError(): no argument, only once every received byte was read; writes are 'not ready' from the peer's close", async () => {
  const server = await tcpServer((s) => s.end("xyz"));
  const errors: number[] = [];
  let available = 0;
  const tcp = new NodeTCP({
    address: "127.0.0.1",
    port: server.port,
    onReadable: (n) => (available = n),
    onError(...args: unknown[]) {
      errors.push(args.length);
    },
  });
  try {
    await until("3 bytes waiting", () => available === 3);
    const notReady = () => {
      try {
        tcp.write(new Uint8Array(1));
        return false;
      } catch (e) {
        return /not ready/.test(String(e));
      }
    };
    await until("the peer's close seen", notReady);
    for (let i = 0; i < 5; i++) await turn();
    assert.deepEqual(errors, [], "held while bytes wait");
    assert.equal(Buffer.from(tcp.read()!).toString(), "xyz");
    await until("onError", () => errors.length === 1);
    assert.deepEqual(errors, [0], "called with no argument");
  } finally {
    tcp.close();
    server.close();
  }
});

test("NodeTCP is also the accepted connection: the simulator's io.TCP and io.AcceptedTCP are one class; adopting twice is 'invalid from'", async () => {
  const scheduler = new VirtualScheduler();
  const dir = mkdtempSync(join(tmpdir(), "parity-"));
  try {
    const sim = createSimHost({ name: "h", scheduler, world: new RadioWorld({ scheduler, airtime: airtime(), seed: 1 }), position: { x: 0, y: 0 }, antennaGainDbi: 0, airtime: airtime(), storeDir: dir, log: () => {} });
    assert.equal(sim.host.io.TCP, NodeTCP);
    assert.equal(sim.host.io.AcceptedTCP, NodeTCP);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  let waiting = 0;
  const listener = new NodeListener({ port: 0, onReadable: (n) => (waiting = n) });
  const port = await listener.listening();
  const client = net.connect(port, "127.0.0.1", () => client.write("hello"));
  try {
    await until("a connection waiting", () => waiting === 1);
    const from = listener.read()!;
    assert.equal(listener.read(), undefined);
    let available = 0;
    let writable = 0;
    const tcp = new NodeTCP({ from, onReadable: (n) => (available = n), onWritable: (n) => (writable = n) });
    assert.equal(available + writable, 0, "no callback inside the constructor");
    assert.throws(() => new NodeTCP({ from }), /invalid from/);
    await until("the bytes and the window", () => available === 5 && writable === SDK_TCP_SEND_BUFFER);
    assert.equal(tcp.remoteAddress, "127.0.0.1");
    assert.equal(tcp.remotePort, client.localPort);
    assert.throws(() => (tcp.read as (n: number) => ArrayBuffer)(2), /takes no count/);
    assert.equal(Buffer.from(tcp.read()!).toString(), "hello");
    tcp.close();
  } finally {
    client.destroy();
    listener.close();
  }
  assert.throws(() => listener.read(), /closed/);
});

// ---------------------------------------------------------------- Listener and UDP

test("Listener: no `address` (the SDK binds every interface); onError is never called: a port in use rejects listening() instead", async () => {
  assert.throws(() => new NodeListener({ port: 0, address: "127.0.0.1" } as never), /"address" is not an option/);
  const taken = await tcpServer(() => {});
  let errors = 0;
  const listener = new NodeListener({ port: taken.port, onError: () => errors++ });
  try {
    await assert.rejects(listener.listening(), /EADDRINUSE/);
    for (let i = 0; i < 5; i++) await turn();
    assert.equal(errors, 0);
  } finally {
    listener.close();
    taken.close();
  }
});

test("UDP: no `address`; write() takes an IPv4 address only; onError is never called (a failed send is counted); reads stop at the first pbuf's 1472 bytes", async () => {
  assert.throws(() => new NodeUDP({ address: "127.0.0.1" } as never), /"address" is not an option/);
  const peer = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => peer.bind(0, "127.0.0.1", resolve));
  let errors = 0;
  let waiting = 0;
  const udp = new NodeUDP({ onReadable: (n) => (waiting = n), onError: () => errors++ });
  try {
    const local = await udp.localPort();
    assert.throws(() => udp.write(new Uint8Array(1), "localhost", peer.address().port), (e: unknown) => e instanceof RangeError && /invalid IP address/.test(e.message));
    udp.write(new Uint8Array(70_000), "127.0.0.1", peer.address().port); // larger than any datagram: the send fails later
    await until("the failed send counted", () => udp.failedSends === 1);
    assert.equal(errors, 0);

    const big = Buffer.alloc(3000);
    for (let i = 0; i < big.length; i++) big[i] = i & 0xff;
    peer.send(big, local, "127.0.0.1");
    await until("a datagram", () => waiting === 1);
    const d = udp.read()!;
    assert.equal(d.byteLength, SDK_UDP_READ_LIMIT);
    assert.deepEqual(Buffer.from(d), big.subarray(0, SDK_UDP_READ_LIMIT));
    assert.equal(udp.truncatedDatagrams, 1);
  } finally {
    udp.close();
    peer.close();
  }
  assert.throws(() => udp.read(), /closed/);
});

// ---------------------------------------------------------------- resolver

test("NodeResolver: a name and an address resolve to IPv4 on a later turn, exactly once", async () => {
  const resolver = new NodeResolver();
  for (const [host, expected] of [["localhost", "127.0.0.1"], ["127.0.0.9", "127.0.0.9"]]) {
    const answers: string[] = [];
    let returned = false;
    resolver.resolve(
      host,
      (address) => answers.push(`${returned ? "later" : "inside"} ${address}`),
      (error) => answers.push(`error ${error.message}`),
    );
    returned = true;
    await until(`${host} resolved`, () => answers.length > 0);
    for (let i = 0; i < 5; i++) await turn();
    assert.deepEqual(answers, [`later ${expected}`]);
  }
});

// ---------------------------------------------------------------- the firmware against the rules

test("the app on the strict provider: every gRPC service resolves its name and connects by address, again on each reconnect; an unknown name is a connection error saying so", async () => {
  const names = { router: "router.devnet.test", config: "config.devnet.test", entropy: "entropy.devnet.test", ingest: "ingest.devnet.test" };
  const rig = makeAppRig(
    rigConfig({ upstream: { ...(rigConfig().upstream as object), router: `http://${names.router}:8080`, config: `http://${names.config}:8081`, entropy: `http://${names.entropy}:8082`, ingest: `http://${names.ingest}:8083` } }),
  );
  try {
    rig.dns.set(names.router, "127.0.0.2");
    rig.dns.set(names.config, "127.0.0.3");
    rig.dns.set(names.entropy, "127.0.0.4");
    // names.ingest stays unknown
    rig.app.start();
    rig.scheduler.runFor(20 * SECOND);
    await turn();
    assert.ok(rig.connected.includes("127.0.0.2:8080"), rig.connected.join());
    assert.ok(rig.connected.includes("127.0.0.3:8081"), rig.connected.join());
    assert.ok(!rig.connected.some((c) => c.endsWith(":8083")), "nothing connects to a name that does not resolve");
    const services = Object.fromEntries(rig.app.snapshot().services.map((s) => [s.name, s]));
    assert.match(services.router.lastError ?? "", /cannot connect to router\.devnet\.test \(127\.0\.0\.2\):8080/);
    assert.match(services.ingest.lastError ?? "", /cannot resolve ingest\.devnet\.test/);
    assert.ok(!rig.logs.some((l) => /not an option|invalid address/.test(l)), "no stand-in refused the firmware's options");

    // The router moves: the next reconnect asks again and uses the new address.
    const asked = rig.dns.asked.filter((h) => h === names.router).length;
    assert.ok(asked >= 2, "each connection attempt resolved the name");
    rig.dns.set(names.router, "127.0.0.7");
    rig.scheduler.runFor(120 * SECOND);
    await turn();
    assert.ok(rig.dns.asked.filter((h) => h === names.router).length > asked);
    assert.ok(rig.connected.includes("127.0.0.7:8080"), "the new address was used");
  } finally {
    rig.cleanup();
  }
});

test("forwarder by name: a GWMP server given as localhost:PORT is resolved by the system's resolver and served", async () => {
  const rig = await openRig({ host: "localhost" });
  try {
    const status = rig.forwarder.status().servers[0];
    assert.equal(status.server.address, "localhost");
    assert.equal(status.resolvedAddress, "127.0.0.1");
    assert.equal(status.pullAcked, 1);
  } finally {
    await rig.close();
  }
});

test("forwarder: nothing is sent before the name resolves; an unanswered PULL_DATA resolves again and follows the new address", () => {
  const time = new VirtualTime(1_000_000, Date.UTC(2025, 0, 1));
  const dns = new MemoryResolver((fn) => void time.timers.set(fn, 0));
  const writes: string[] = [];
  class CaptureUDP {
    read() {
      return undefined;
    }
    write(buffer: Uint8Array, address: string, port: number) {
      writes.push(`${address}:${port} ${buffer[3]}`);
    }
    close() {}
  }
  const logs: string[] = [];
  const client = new GwmpClient(
    { address: "lns.example", portUp: 1700, portDown: 1700 },
    { eui: new Uint8Array(8), keepaliveMs: 10_000, statIntervalMs: 30_000, pushAckTimeoutMs: 1000, forwardCrcErrors: false },
    { host: { io: { UDP: CaptureUDP }, dns, clock: time.clock, timers: time.timers, random: (b) => b.fill(1), log: (_l, _s, m) => logs.push(m) }, scheduler: new ScriptedScheduler(), txLimits: () => LIMITS },
  );
  client.start();
  time.advance(0);
  assert.equal(writes.length, 0, "no address yet");
  assert.equal(client.status().resolveFailures, 1);
  dns.set("lns.example", "10.0.0.5");
  time.advance(10_000);
  assert.deepEqual(writes, [`10.0.0.5:1700 ${ID.PULL_DATA}`], "resolved at the keepalive; the session starts");
  dns.set("lns.example", "10.0.0.6");
  time.advance(10_000); // the PULL_DATA went unanswered: ask again
  time.advance(10_000);
  assert.ok(writes.includes(`10.0.0.6:1700 ${ID.PULL_DATA}`), writes.join());
  assert.equal(client.status().resolvedAddress, "10.0.0.6");
  client.receive(Uint8Array.of(2, 1, 1, ID.PULL_ACK), "10.0.0.5", 1700);
  assert.equal(client.status().dropped.unknown_source, 1, "the old address is a stranger now");
  client.stop();
});

test("TcpSendQueue: writes no more than the last onWritable allowed, in order, and holds no more than its bound", () => {
  const written: number[][] = [];
  let window = 0;
  const tcp = {
    write(buffer: Uint8Array) {
      if (buffer.length > window) throw new Error("would block");
      window -= buffer.length;
      written.push([...buffer]);
    },
  } as unknown as TCP;
  const queue = new TcpSendQueue(10);
  const sent: string[] = [];
  assert.equal(queue.push(Uint8Array.of(1, 2, 3, 4), () => sent.push("a")), true);
  assert.equal(queue.push(Uint8Array.of(5, 6, 7), () => sent.push("b")), true);
  assert.equal(queue.push(Uint8Array.of(8, 9, 10, 11)), false, "11 bytes > the bound of 10");
  queue.flush(tcp);
  assert.deepEqual(written, [], "nothing before onWritable");
  window = 5;
  queue.writable(5);
  queue.flush(tcp);
  assert.deepEqual(written, [[1, 2, 3, 4], [5]]);
  assert.deepEqual(sent, ["a"]);
  assert.equal(queue.queued, 2);
  window = 100;
  queue.writable(100);
  queue.flush(tcp);
  assert.deepEqual(written, [[1, 2, 3, 4], [5], [6, 7]]);
  assert.deepEqual(sent, ["a", "b"]);
  assert.equal(queue.queued, 0);
});

test("gRPC through the SDK-sized send buffer: a 200 KB request to a server allowing 1 MiB frames and windows arrives whole", async () => {
  const settings = Buffer.alloc(12);
  settings.writeUInt16BE(4, 0); // SETTINGS_INITIAL_WINDOW_SIZE
  settings.writeUInt32BE(1 << 20, 2);
  settings.writeUInt16BE(5, 6); // SETTINGS_MAX_FRAME_SIZE
  settings.writeUInt32BE(1 << 20, 8);
  const increment = Buffer.alloc(4);
  increment.writeUInt32BE(1 << 20);
  const body: Buffer[] = [];
  const peer = await startRawPeer({
    onConnect: (socket) => socket.write(Buffer.concat([rawFrame(4, 0, 0, settings), rawFrame(8, 0, 0, increment)])),
    onFrame: (socket, f) => {
      if (f.type !== 0) return; // DATA
      body.push(Buffer.from(f.payload));
      if (f.flags & 1) {
        socket.write(rawFrame(1, 4, f.stream, GRPC_RESPONSE_HEADERS));
        socket.write(rawFrame(0, 0, f.stream, "00000000022a2a"));
        socket.write(rawFrame(1, 5, f.stream, GRPC_OK_TRAILERS));
      }
    },
  });
  const request = new Uint8Array(200_000);
  for (let i = 0; i < request.length; i++) request[i] = (i * 7) & 0xff;
  const channel = channelTo(peer.port);
  try {
    assert.deepEqual(await channel.unary("/x.Y/Z", request, { timeoutMs: 20_000 }), Uint8Array.of(0x2a, 0x2a));
    const received = Buffer.concat(body);
    assert.equal(received.length, 5 + request.length);
    assert.deepEqual([...received.subarray(0, 5)], [0, 0, 0x03, 0x0d, 0x40], "gRPC prefix: uncompressed, 200000 bytes");
    assert.ok(received.subarray(5).equals(Buffer.from(request)));
  } finally {
    channel.close();
    await peer.close();
  }
});

test("web server: a burst larger than the parser's room arrives in one read() (the SDK returns everything); pipelined requests are all answered", async () => {
  const bodies = [0, 1, 2].map((i) => Buffer.alloc(6000, 0x61 + i));
  const server = new HttpServer({
    Listener: NodeListener,
    TCP: NodeTCP,
    port: 0,
    handler: (r) => jsonResponse(200, { sha: createHash("sha256").update(r.body).digest("hex") }),
    timers: realTimers(),
  });
  await until("listening", () => server.port !== 0);
  const port = server.port;
  const burst = Buffer.concat(bodies.map((b, i) => Buffer.concat([Buffer.from(`POST /p/${i} HTTP/1.1\r\nHost: x\r\nContent-Length: ${b.length}\r\n\r\n`), b])));
  const reply: Buffer[] = [];
  const client = net.connect(port, "127.0.0.1", () => client.write(burst));
  client.on("data", (d) => reply.push(d));
  try {
    await until("three responses", () => parseResponses(new Uint8Array(Buffer.concat(reply))).length === 3, 10_000);
    const responses = parseResponses(new Uint8Array(Buffer.concat(reply)));
    assert.deepEqual(
      responses.map((r) => [r.status, JSON.parse(Buffer.from(r.body).toString()).sha]),
      bodies.map((b) => [200, createHash("sha256").update(b).digest("hex")]),
    );
    assert.equal(server.stats.malformed, 0);
  } finally {
    client.destroy();
    server.close();
  }
});

// ---------------------------------------------------------------- the firmware's sources

/**
 * Options the SDK lacks, found with the type checker: a `host` given to a TCP constructor, an
 * `address` given to a UDP or Listener constructor (the SDK never reads them), unless the value is
 * always undefined. `include` picks the files scanned.
 */
function optionsTheSdkLacks(program: ts.Program, include: (file: string) => boolean): string[] {
  const checker = program.getTypeChecker();
  const found: string[] = [];
  for (const source of program.getSourceFiles()) {
    if (source.isDeclarationFile || !include(source.fileName)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && node.arguments?.[0] && ts.isObjectLiteralExpression(node.arguments[0])) {
        const callee = node.expression.getText(source);
        const lacking = /TCP$/.test(callee) ? "host" : /(UDP|Listener)$/.test(callee) ? "address" : undefined;
        for (const p of node.arguments[0].properties) {
          if (lacking === undefined || p.name === undefined || p.name.getText(source) !== lacking) continue;
          if ((checker.getTypeAtLocation(p.name).flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Never)) !== 0) continue;
          const { line } = source.getLineAndCharacterOfPosition(p.getStart(source));
          found.push(`${relative(ROOT, source.fileName)}:${line + 1}: new ${callee}({${lacking}})`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

test("the firmware's sources (main.ts, device/, modules/, drivers/, targets/) give no TCP a `host` and no UDP or Listener an `address`", () => {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, "tsconfig.xs.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, noEmit: true } });
  const firmware = (file: string) => /^(main\.ts|device\/|modules\/|drivers\/|targets\/)/.test(relative(ROOT, file));
  assert.ok(program.getSourceFiles().filter((f) => firmware(f.fileName)).length > 50, "the scan reaches the firmware");
  assert.deepEqual(optionsTheSdkLacks(program, firmware), []);
});

test("the source scan reports each option the SDK lacks in a made-up firmware file (it can fail)", () => {
  const text = [
    "declare const io: { TCP: new (o: object) => object; UDP: new (o: object) => object; Listener: new (o: object) => object };",
    'const name: string = "x";',
    "const unset: undefined = undefined;",
    "new io.TCP({ host: name, port: 1 });",
    "new io.UDP({ address: name });",
    "new io.Listener({ address: name, port: 80 });",
    "new io.TCP({ address: name, port: 1, host: unset });",
  ].join("\n");
  const file = join(ROOT, "modules", "scan-probe.ts");
  const host = ts.createCompilerHost({ strict: true });
  const read = host.getSourceFile;
  host.getSourceFile = (f, v, ...rest) => (f === file ? ts.createSourceFile(f, text, v) : read(f, v, ...rest));
  const program = ts.createProgram([file], { strict: true, noEmit: true, types: [] }, host);
  assert.deepEqual(optionsTheSdkLacks(program, (f) => f === file), [
    "modules/scan-probe.ts:4: new io.TCP({host})",
    "modules/scan-probe.ts:5: new io.UDP({address})",
    "modules/scan-probe.ts:6: new io.Listener({address})",
  ]);
});
