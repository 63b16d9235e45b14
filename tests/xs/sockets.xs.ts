// The SDK-parity rules of the stand-ins on the XS engine: the test host's shims for the Moddable
// SDK's own modules (embedded:io/socket/*, net), which device/provider.ts builds on, and the memory
// host the XS suites give the firmware (tests/support/memory-host.ts); then firmware code (gRPC, the
// forwarder, the web server) against them. The rules and their SDK sources: sim/host/sdk-rules.ts.
// The same rules on Node: tests/sdk-parity.test.ts.
import { test } from "./harness.js";
import { equal, ok, throws } from "./assert.js";
import Timer from "./shims/timer.js";
import Net from "./shims/net.js";
import ShimListener from "./shims/embedded/io/socket/listener.js";
import ShimTCP from "./shims/embedded/io/socket/tcp.js";
import ShimUDP from "./shims/embedded/io/socket/udp.js";
import { memoryNetwork } from "./shims/memory-network.js";
import { GwmpClient } from "../../modules/forwarder/client.js";
import { GrpcChannel } from "../../modules/grpc/channel.js";
import type { CallStatus } from "../../modules/grpc/status.js";
import type { Datagram, TCPOptions, UDPOptions } from "../../modules/host/provider.js";
import { utf8Decode, utf8Encode } from "../../modules/util/bytes.js";
import { HttpServer } from "../../modules/web/http/server.js";
import { jsonResponse } from "../../modules/web/http/response.js";
import { parseResponses } from "../support/http-responses.js";
import { memoryHost } from "../support/memory-host.js";
import { MEMORY_WRITE_WINDOW } from "../support/socket-memory.js";
import { VirtualTime } from "../support/virtual-time.js";

/** Real time on the test host (the shims answer through Moddable's timer). */
const later = (ms = 20) => new Promise<void>((resolve) => Timer.set(() => resolve(), ms));
const options = (o: object) => o as unknown as TCPOptions;

// ---------------------------------------------------------------- the shims of the SDK's modules

test("embedded:io/socket/tcp: an IPv4 address only (`host` refused, a name is 'invalid address'); with no network the connection fails later through onError()", async () => {
  throws(() => new ShimTCP({ host: "router.example", port: 80 }), /"host" is not an option/);
  throws(() => new ShimTCP({ host: "router.example", address: "127.0.0.1", port: 80 }), /"host" is not an option/);
  throws(() => new ShimTCP({ address: "router.example", port: 80 }), /invalid address/);
  throws(() => new ShimTCP({ address: "127.0.0.1", port: -1 }), /RangeError: invalid port/);
  const errors: number[] = [];
  const tcp = new ShimTCP({
    address: "127.0.0.1",
    port: 80,
    onError(...args: unknown[]) {
      errors.push(args.length);
    },
  });
  equal(errors.length, 0, "nothing inside the constructor");
  throws(() => tcp.write(new Uint8Array(1)), /not ready/);
  await later();
  equal(errors.join(), "0", "onError once, with no argument");
});

test("embedded:io/socket/tcp adopting a listener's connection: read() takes no count and returns every byte waiting; onError() after the last byte", async () => {
  let waiting = 0;
  const listener = new ShimListener({ port: 8181, onReadable: (n) => (waiting = n) });
  try {
    const client = memoryNetwork().connect(8181);
    await later();
    equal(waiting, 1);
    const from = listener.read(); // what the SDK's Listener hands over goes back in as `from`
    ok(from !== undefined);
    let available = 0;
    const errors: number[] = [];
    const tcp = new ShimTCP({
      from,
      onReadable: (n) => (available = n),
      onError(...args: unknown[]) {
        errors.push(args.length);
      },
    });
    client.send("GET / HTTP/1.1\r\n");
    client.send("Host: x\r\n\r\n");
    client.close();
    await later();
    equal(available, 27);
    equal(errors.length, 0, "held while bytes wait");
    throws(() => tcp.read(4), /takes no count/);
    throws(() => tcp.write(new Uint8Array(1)), /not ready/);
    equal(utf8Decode(new Uint8Array(tcp.read()!)), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    equal(tcp.read(), undefined);
    await later();
    equal(errors.join(), "0");
    tcp.close();
  } finally {
    listener.close();
  }
});

test("embedded:io/socket/listener and udp: no `address` (the SDK binds every interface); UDP writes take an IPv4 address; onError is never called", async () => {
  throws(() => new ShimListener({ port: 8182, address: "192.168.4.1" } as never), /"address" is not an option/);
  throws(() => new ShimUDP({ address: "0.0.0.0" }), /"address" is not an option/);
  let errors = 0;
  const udp = new ShimUDP({ port: 1700, onError: () => errors++ } as UDPOptions);
  throws(() => udp.write(new Uint8Array(4), "lns.example", 1700), /RangeError: invalid IP address/);
  throws(() => udp.write(new Uint8Array(4), "10.0.0.1", 1700), /UDP send failed/);
  await later();
  equal(errors, 0);
  udp.close();
});

test("net: Net.resolve answers on a later turn with the name and its address, undefined when it does not resolve", async () => {
  globalThis.__shimSettings = { names: { "router.example": "10.1.2.3" } };
  try {
    const answers: string[] = [];
    for (const host of ["router.example", "127.0.0.5", "nowhere.example"]) Net.resolve(host, (name, address) => answers.push(`${name}=${String(address)}`));
    equal(answers.length, 0, "never inside the call");
    await later();
    equal(answers.join(), "router.example=10.1.2.3,127.0.0.5=127.0.0.5,nowhere.example=undefined");
  } finally {
    globalThis.__shimSettings = undefined;
  }
});

// ---------------------------------------------------------------- the memory host the XS suites use

test("memory host: TCP refuses `host`; an adopted socket shares its send window until onWritable ('would block'), refuses a read count, and stops writing at the peer's close", () => {
  const vt = new VirtualTime();
  const host = memoryHost(vt, () => {});
  throws(() => new host.io.TCP(options({ host: "router.example", port: 80 })), /"host" is not an option/);
  throws(() => new host.io.Listener!({ port: 80, address: "192.168.4.1" } as never), /"address" is not an option/);
  let waiting = 0;
  let listenerErrors = 0;
  const listener = new host.io.Listener!({ port: 80, onReadable: (n) => (waiting = n), onError: () => listenerErrors++ });
  const client = host.network.connect(80);
  vt.advance(1);
  equal(waiting, 1);
  let writable = 0;
  const tcp = new host.io.AcceptedTCP!({ from: listener.read()!, onWritable: (n) => (writable = n) });
  vt.advance(1);
  equal(writable, MEMORY_WRITE_WINDOW);
  tcp.write(new Uint8Array(MEMORY_WRITE_WINDOW - 1));
  throws(() => tcp.write(new Uint8Array(2)), /would block/);
  vt.advance(1);
  tcp.write(new Uint8Array(2));
  client.send("abc");
  client.send("def");
  vt.advance(1);
  throws(() => (tcp.read as (n: number) => ArrayBuffer)(1), /takes no count/);
  equal(utf8Decode(new Uint8Array(tcp.read()!)), "abcdef");
  client.close();
  throws(() => tcp.write(new Uint8Array(1)), /not ready/);
  equal(listenerErrors, 0);
  tcp.close();
  listener.close();
});

// ---------------------------------------------------------------- firmware against the stand-ins

test("gRPC on the memory host: the name is resolved and the connection made by address; an unknown name fails with the reason", async () => {
  const vt = new VirtualTime();
  const host = memoryHost(vt, () => {});
  host.dns.set("router.example", "127.0.0.2");
  const statuses: string[] = [];
  for (const name of ["router.example", "nowhere.example"]) {
    const channel = new GrpcChannel({ TCP: host.io.TCP, dns: host.dns, timers: host.timers, host: name, port: 8080 });
    channel.startCall("/x.Y/Z", { onStatus: (s: CallStatus) => statuses.push(s.details) });
    vt.advance(10);
    channel.close();
  }
  await later(0);
  equal(host.dns.asked.join(), "router.example,nowhere.example");
  ok(/cannot connect to router\.example \(127\.0\.0\.2\):8080/.test(statuses[0]), statuses[0]);
  ok(/cannot resolve nowhere\.example/.test(statuses[1]), statuses[1]);
});

test("forwarder on the memory resolver: datagrams go to the address its server's name resolves to", () => {
  const vt = new VirtualTime(0, Date.UTC(2025, 0, 1));
  const host = memoryHost(vt, () => {});
  host.dns.set("lns.example", "10.0.0.9");
  const sent: string[] = [];
  class CaptureUDP {
    read(): Datagram | undefined {
      return undefined;
    }
    write(_buffer: Uint8Array, address: string, port: number) {
      sent.push(`${address}:${port}`);
    }
    close() {}
  }
  const client = new GwmpClient(
    { address: "lns.example", portUp: 1700, portDown: 1701 },
    { eui: new Uint8Array(8), keepaliveMs: 10_000, statIntervalMs: 30_000, pushAckTimeoutMs: 1000, forwardCrcErrors: false },
    {
      host: { io: { UDP: CaptureUDP }, dns: host.dns, clock: host.clock, timers: host.timers, random: (b) => b.fill(3), log: () => {} },
      scheduler: { schedule: () => ({ code: "NONE" }) },
      txLimits: () => ({ minFreqHz: 863_000_000, maxFreqHz: 870_000_000, maxPowerDbm: 14 }),
    },
  );
  client.start();
  equal(sent.length, 0, "nothing before the name resolves");
  vt.advance(1);
  equal(sent.join(), "10.0.0.9:1701", "PULL_DATA to the resolved address");
  equal(client.status().resolvedAddress, "10.0.0.9");
  client.stop();
});

test("web server on the memory host: three pipelined requests in one burst, larger than the parser's room, all answered", () => {
  const vt = new VirtualTime();
  const host = memoryHost(vt, () => {});
  const server = new HttpServer({
    Listener: host.io.Listener!,
    TCP: host.io.AcceptedTCP!,
    port: 80,
    handler: (r) => jsonResponse(200, { path: r.path, length: r.body.length, last: r.body[r.body.length - 1] }),
    timers: host.timers,
  });
  try {
    const client = host.network.connect(80);
    let burst = "";
    for (let i = 0; i < 3; i++) burst += `POST /p/${i} HTTP/1.1\r\nHost: x\r\nContent-Length: 6000\r\n\r\n${String.fromCharCode(0x61 + i).repeat(6000)}`;
    client.send(utf8Encode(burst));
    vt.advance(100);
    const responses = parseResponses(client.received());
    equal(responses.length, 3);
    for (let i = 0; i < 3; i++) {
      equal(responses[i].status, 200);
      equal(utf8Decode(responses[i].body), JSON.stringify({ path: `/p/${i}`, length: 6000, last: 0x61 + i }));
    }
    equal(server.stats.malformed, 0);
  } finally {
    server.close();
  }
});
