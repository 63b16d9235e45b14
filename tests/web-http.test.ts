// The HTTP/1.1 layer (modules/web/http): parser caps and status codes, keep-alive, pipelining,
// timeouts, HEAD, the router's 404/405, and a fuzz of >= 10,000 random and malformed requests
// over the in-memory transport. Responses are parsed by an independent strict parser (tests/support).

import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Router } from "../modules/web/http/router.js";
import { jsonResponse } from "../modules/web/http/response.js";
import { DEFAULT_LIMITS, type HttpHandler } from "../modules/web/http/types.js";
import { openConnection, parseResponses } from "./support/http-memory.js";

/** Echo: what the server understood, with the body's SHA-256 from node:crypto. */
const echo: HttpHandler = (r) =>
  jsonResponse(200, {
    method: r.method,
    path: r.path,
    query: r.query,
    host: r.headers.get("host"),
    bodyLength: r.body.length,
    bodySha256: createHash("sha256").update(r.body).digest("hex"),
  });

test("a GET with keep-alive, then a POST body split across fragments, on one connection", () => {
  const h = openConnection(echo);
  h.send("GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: hotspot\r\nX-Thing:  v  \r\n\r\n");
  const body = "x".repeat(3000);
  h.send(`POST /p HTTP/1.1\r\nHost: hotspot\r\nContent-Length: ${body.length}\r\n\r\n${body}`, [1, 7, 100, 13]);
  const [a, b] = h.responses();
  assert.equal(a.status, 200);
  assert.equal(a.headers.get("connection"), "keep-alive");
  assert.deepEqual(JSON.parse(a.text), {
    method: "GET",
    path: "/a/b",
    query: "x=1&y=2",
    host: "hotspot",
    bodyLength: 0,
    bodySha256: createHash("sha256").digest("hex"),
  });
  assert.equal(JSON.parse(b.text).bodySha256, createHash("sha256").update(body).digest("hex"));
  assert.equal(h.transport.closed, false);
});

test("pipelined requests are answered in order, one at a time", () => {
  const h = openConnection(echo);
  h.transport.deferWrites = true;
  h.send("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
  assert.equal(h.transport.written.length, 1, "the second waits until the first is sent");
  h.transport.flushWrites();
  h.transport.flushWrites();
  h.transport.flushWrites();
  const paths = h.responses().map((r) => JSON.parse(r.text).path);
  assert.deepEqual(paths, ["/1", "/2", "/3"]);
  assert.equal(h.responses()[2].headers.get("connection"), "close");
  assert.equal(h.transport.closed, true);
});

test("HTTP/1.0 closes unless keep-alive is asked for; Connection: close is honoured", () => {
  const a = openConnection(echo);
  a.send("GET / HTTP/1.0\r\n\r\n");
  assert.equal(a.responses()[0].headers.get("connection"), "close");
  assert.equal(a.transport.closed, true);
  const b = openConnection(echo);
  b.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  assert.equal(b.responses()[0].headers.get("connection"), "keep-alive");
  assert.equal(b.transport.closed, false);
  const c = openConnection(echo);
  c.send("GET / HTTP/1.1\r\nHost: h\r\nConnection: Close\r\n\r\n");
  assert.equal(c.transport.closed, true);
});

test("each malformed or oversized request gets its status code and the connection closes", () => {
  const L = DEFAULT_LIMITS;
  const cases: [string, string, number][] = [
    ["garbage request line", "HELLO\r\n\r\n", 400],
    ["two spaces", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400],
    ["absolute-form target", "GET http://x/ HTTP/1.1\r\nHost: h\r\n\r\n", 400],
    ["asterisk target", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", 400],
    ["missing Host on 1.1", "GET / HTTP/1.1\r\n\r\n", 400],
    ["two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400],
    ["space before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400],
    ["obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", 400],
    ["control char in value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01b\r\n\r\n", 400],
    ["bare CR in value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", 400],
    ["negative Content-Length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400],
    ["conflicting Content-Length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400],
    ["chunked body", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 411],
    ["gzip transfer coding", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 501],
    ["TE beside CL", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 411],
    ["body over the cap", `POST / HTTP/1.1\r\nHost: h\r\nContent-Length: ${L.maxBodyBytes + 1}\r\n\r\n`, 413],
    ["request line over the cap", `GET /${"a".repeat(L.maxRequestLine)} HTTP/1.1\r\nHost: h\r\n\r\n`, 414],
    ["too many headers", `GET / HTTP/1.1\r\nHost: h\r\n${"X: y\r\n".repeat(L.maxHeaderCount)}\r\n`, 431],
    ["header section over the cap", `GET / HTTP/1.1\r\nHost: h\r\nX: ${"v".repeat(L.maxHeaderBytes)}\r\n\r\n`, 431],
    ["HTTP/2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505],
    ["HTTP/1.2", "GET / HTTP/1.2\r\nHost: h\r\n\r\n", 505],
    ["lower-case version", "GET / http/1.1\r\nHost: h\r\n\r\n", 400],
  ];
  for (const [name, request, status] of cases) {
    const h = openConnection(echo);
    h.send(request, [5, 64]);
    const responses = h.responses();
    assert.equal(responses.length, 1, name);
    assert.equal(responses[0].status, status, name);
    assert.equal(responses[0].headers.get("connection"), "close", name);
    assert.equal(typeof JSON.parse(responses[0].text).message, "string", name);
    assert.equal(h.transport.closed, true, name);
    assert.equal(h.stats.malformed, 1, name);
  }
});

test("413 and 414 are answered before the oversized part arrives", () => {
  const a = openConnection(echo);
  a.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999\r\n\r\n");
  assert.equal(a.responses()[0].status, 413);
  const b = openConnection(echo);
  b.send(`GET /${"a".repeat(DEFAULT_LIMITS.maxRequestLine + 5)}`);
  assert.equal(b.responses()[0].status, 414);
  const c = openConnection(echo);
  c.send(`GET / HTTP/1.1\r\nHost: h\r\nX: ${"v".repeat(DEFAULT_LIMITS.maxHeaderBytes + 10)}`);
  assert.equal(c.responses()[0].status, 431);
});

test("bare LF line endings and leading empty lines are accepted (RFC 9112 2.2)", () => {
  const h = openConnection(echo);
  h.send("\r\n\nGET /lf HTTP/1.1\nHost: h\n\n");
  const [r] = h.responses();
  assert.equal(r.status, 200);
  assert.equal(JSON.parse(r.text).path, "/lf");
});

test("timeouts: a slow request gets 408, an idle keep-alive connection is closed, a hung handler 503", () => {
  const slow = openConnection(echo);
  slow.send("GET / HTTP/1.1\r\nHo");
  slow.time.advance(DEFAULT_LIMITS.requestTimeoutMs - 1);
  assert.equal(slow.transport.written.length, 0);
  slow.time.advance(1);
  assert.equal(slow.responses()[0].status, 408);
  assert.equal(slow.transport.closed, true);
  assert.equal(slow.stats.timeouts, 1);

  const idle = openConnection(echo);
  idle.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  idle.time.advance(DEFAULT_LIMITS.idleTimeoutMs - 1);
  assert.equal(idle.transport.closed, false);
  idle.time.advance(1);
  assert.equal(idle.transport.closed, true);
  assert.equal(idle.responses().length, 1, "nothing more is written on an idle close");

  const hung = openConnection(() => new Promise(() => {}));
  hung.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  hung.time.advance(DEFAULT_LIMITS.requestTimeoutMs);
  assert.equal(hung.responses()[0].status, 503);
  assert.equal(hung.transport.closed, true);
});

test("a peer that never reads its response loses the connection after the request timeout", () => {
  const h = openConnection(echo);
  h.transport.deferWrites = true;
  h.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  h.time.advance(DEFAULT_LIMITS.requestTimeoutMs);
  assert.equal(h.transport.closed, true);
});

test("a handler that throws gives 500 without detail; async handlers work; afterSend runs after the write", async () => {
  const thrower = openConnection(() => {
    throw new Error("secret detail");
  });
  thrower.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  const [r] = thrower.responses();
  assert.equal(r.status, 500);
  assert.ok(!r.text.includes("secret detail"));
  assert.equal(thrower.stats.handlerErrors, 1);

  const order: string[] = [];
  const a = openConnection(async () => {
    await Promise.resolve();
    return { status: 200, body: "ok", afterSend: () => order.push("after") };
  });
  a.transport.deferWrites = true;
  a.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  await new Promise((resolve) => setImmediate(resolve));
  order.push("written");
  a.transport.flushWrites();
  assert.deepEqual(order, ["written", "after"]);
  assert.equal(a.responses()[0].text, "ok");
});

test("HEAD gets the GET route's headers and Content-Length but no body", () => {
  const router = new Router().add("GET", "/x", () => ({ status: 200, body: "hello" }));
  const h = openConnection(router.handle);
  h.send("HEAD /x HTTP/1.1\r\nHost: h\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n");
  const [head, get] = parseResponses(h.transport.output(), 1);
  assert.equal(head.headers.get("content-length"), "5");
  assert.equal(head.body.length, 0);
  assert.equal(get.text, "hello");
});

test("router: parameters, 404 for unknown paths, 405 with Allow for other methods", async () => {
  const router = new Router()
    .add("GET", "/api/v1/keys", () => jsonResponse(200, "list"))
    .add("POST", "/api/v1/keys", () => jsonResponse(201, "created"))
    .add("DELETE", "/api/v1/keys/:id", (_r, p) => jsonResponse(200, p.id));
  const h = openConnection(router.handle);
  h.send(
    "DELETE /api/v1/keys/abc HTTP/1.1\r\nHost: h\r\n\r\n" +
      "GET /api/v1/nothing HTTP/1.1\r\nHost: h\r\n\r\n" +
      "PUT /api/v1/keys HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n" +
      "DELETE /api/v1/keys/ HTTP/1.1\r\nHost: h\r\n\r\n",
  );
  const [del, missing, put, empty] = h.responses();
  assert.equal(del.status, 200);
  assert.equal(JSON.parse(del.text), "abc");
  assert.equal(missing.status, 404);
  assert.equal(put.status, 405);
  assert.equal(put.headers.get("allow"), "GET, HEAD, POST");
  assert.equal(empty.status, 404);
});

test("a connection closes after maxRequestsPerConnection requests", () => {
  const h = openConnection(echo, { maxRequestsPerConnection: 3 });
  h.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n".repeat(5));
  const responses = h.responses();
  assert.equal(responses.length, 3);
  assert.equal(responses[2].headers.get("connection"), "close");
  assert.equal(h.transport.closed, true);
});

// ---------------------------------------------------------------- fuzz

/** Deterministic xorshift32 so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

test("fuzz: 12,000 random, mutated and oversized requests: no crash, bounded buffers, the right status", () => {
  const random = rng(0x5eed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: T[]) => xs[int(xs.length)];
  const L = DEFAULT_LIMITS;
  const capacity = L.maxRequestLine + 2 + L.maxHeaderBytes + 2 + L.maxBodyBytes;
  const tchars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
  // Random material drawn once; requests take slices of it at random offsets.
  const pool = Uint8Array.from({ length: 1 << 16 }, () => int(256));
  const poolText = Array.from(pool.subarray(0, 4096), (b) => tchars[b & 63]).join("");
  const slice = (n: number) => {
    const at = int(pool.length - n);
    return pool.subarray(at, at + n);
  };
  const word = (n: number) => {
    const len = 1 + int(n);
    const at = int(poolText.length - len);
    return poolText.slice(at, at + len);
  };
  const enc = new TextEncoder();

  function validRequest(): { bytes: Uint8Array; body: Uint8Array } {
    const method = pick(["GET", "POST", "PUT", "DELETE", "PATCH"]);
    const body = method === "GET" || method === "DELETE" ? new Uint8Array(0) : slice(int(L.maxBodyBytes + 1));
    let head = `${method} /${word(40)}${random() < 0.5 ? `?${word(20)}=${word(20)}` : ""} HTTP/1.1\r\nHost: ${word(20)}\r\n`;
    for (let i = int(10); i > 0; i--) head += `${word(20)}:${pick(["", " ", "\t"])}${word(60)}\r\n`;
    if (body.length > 0 || random() < 0.3) head += `Content-Length: ${body.length}\r\n`;
    const h = enc.encode(head + "\r\n");
    const bytes = new Uint8Array(h.length + body.length);
    bytes.set(h);
    bytes.set(body, h.length);
    return { bytes, body };
  }

  const allowed = new Set([200, 400, 404, 405, 408, 411, 413, 414, 431, 501, 505]);
  const counts = { valid: 0, mutated: 0, random: 0, oversized: 0, truncated: 0 };
  const N = 12_000;
  for (let n = 0; n < N; n++) {
    const h = openConnection(echo);
    const fragments = Array.from({ length: 1 + int(4) }, () => 1 + int(pick([3, 50, 2000])));
    const kind = pick(["valid", "valid", "mutated", "mutated", "random", "oversized", "truncated"] as const);
    counts[kind]++;
    const { bytes, body } = validRequest();
    let expected: number | undefined;
    let input = bytes;
    if (kind === "valid") {
      expected = 200;
    } else if (kind === "mutated") {
      input = bytes.slice();
      for (let k = 1 + int(3); k > 0; k--) input[int(Math.min(input.length, 400))] = int(256);
    } else if (kind === "random") {
      input = slice(int(3000));
    } else if (kind === "oversized") {
      const which = int(3);
      if (which === 0) input = enc.encode(`GET /${"a".repeat(L.maxRequestLine + int(5000))} HTTP/1.1\r\n`);
      else if (which === 1) input = enc.encode(`GET / HTTP/1.1\r\nHost: h\r\n${"Xy: z\r\n".repeat(L.maxHeaderCount + 1 + int(50))}\r\n`);
      else input = enc.encode(`PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: ${L.maxBodyBytes + 1 + int(1e9)}\r\n\r\n`);
      expected = [414, 431, 413][which];
    } else {
      input = bytes.subarray(0, int(bytes.length));
      expected = 408;
    }
    h.send(input, fragments);
    assert.ok(h.transport.largestRead <= capacity, "the connection never buffers beyond its caps");
    h.time.advance(L.requestTimeoutMs + L.idleTimeoutMs);
    const responses = h.responses();
    if (kind === "truncated" && input.length === 0) {
      assert.equal(responses.length, 0, `seed case ${n}: nothing sent, nothing answered`);
      continue;
    }
    assert.ok(responses.length >= 1, `case ${n} (${kind}): no response`);
    for (const r of responses) assert.ok(allowed.has(r.status), `case ${n} (${kind}): status ${r.status}`);
    if (expected !== undefined) assert.equal(responses[0].status, expected, `case ${n} (${kind})`);
    if (kind === "valid") {
      assert.equal(JSON.parse(responses[0].text).bodySha256, createHash("sha256").update(body).digest("hex"), `case ${n}`);
    }
    assert.equal(h.transport.closed, true, `case ${n}: closed after the timeouts`);
  }
  assert.ok(Object.values(counts).every((c) => c > 1000), JSON.stringify(counts));
});

test("differential: 300 random valid requests parse the same as Node's own HTTP parser (llhttp)", async () => {
  const { RequestParser } = await import("../modules/web/http/parser.js");
  const http = await import("node:http");
  const net = await import("node:net");
  const random = rng(0xd1ff);
  const int = (n: number) => Math.floor(random() * n);
  const tchars = "abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~";
  const vchars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  const str = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[int(alphabet.length)]).join("");

  const seen: { method: string; url: string; headers: Record<string, string>; bodySha: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i].toLowerCase()] = req.rawHeaders[i + 1];
      seen.push({ method: req.method!, url: req.url!, headers, bodySha: createHash("sha256").update(Buffer.concat(chunks)).digest("hex") });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  try {
    for (let n = 0; n < 300; n++) {
      const method = ["GET", "POST", "PUT", "DELETE", "PATCH"][int(5)];
      const body = method === "GET" ? "" : str(vchars, int(500));
      const target = "/" + str("abcdefghijklmnopqrstuvwxyz0123456789-._~%!$&'()*+,;=:@/", int(60)) + (random() < 0.5 ? "?" + str("abc=&%20xyz", int(30)) : "");
      const names = new Set<string>();
      let raw = `${method} ${target} HTTP/1.1\r\nHost: h${n}\r\n`;
      for (let i = int(8); i > 0; i--) {
        const name = "x-" + str(tchars, 1 + int(12));
        if (names.has(name.toLowerCase())) continue;
        names.add(name.toLowerCase());
        raw += `${name}:${[" ", "", "\t"][int(3)]}${str(vchars, 1 + int(40))}${["", " "][int(2)]}\r\n`;
      }
      raw += `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;

      const parser = new RequestParser(DEFAULT_LIMITS);
      parser.push(new TextEncoder().encode(raw));
      const ours = parser.next();
      assert.equal(ours.kind, "request", raw);
      if (ours.kind !== "request") continue;

      await new Promise<void>((resolve, reject) => {
        const socket = net.connect(port, "127.0.0.1", () => socket.end(raw));
        socket.on("data", () => {});
        socket.on("close", () => resolve());
        socket.on("error", reject);
      });
      const theirs = seen[seen.length - 1];
      assert.equal(seen.length, n + 1, `Node refused: ${JSON.stringify(raw)}`);
      assert.equal(ours.request.method, theirs.method);
      assert.equal(ours.request.target, theirs.url);
      assert.deepEqual(Object.fromEntries(ours.request.headers), theirs.headers);
      assert.equal(createHash("sha256").update(ours.request.body).digest("hex"), theirs.bodySha);
    }
  } finally {
    server.close();
  }
});
