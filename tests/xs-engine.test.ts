// The XS suites (tests/xs/*.xs.ts) on the real XS engine, and the runner's own verdicts: a run
// without its summary line, with an uncaught error or rejection, with a failed test or past its
// time limit must fail, and so must artifacts that are missing, tampered with or do not match.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SUITES_DIR, boardCreation, buildHost, runModule, runSuites } from "../tools/xs-host.js";
import { checkXsArtifacts } from "./support/xs-artifacts.js";

test("the XS suites pass on the XS engine with the native core; their artifacts pass the Node checks", (t) => {
  const run = runSuites();
  t.diagnostic(`${run.passed} passed, ${run.failed} failed`);
  assert.ok(run.ok, `${run.problems.join("; ")}\n${run.stdout}\n${run.stderr}`);
  assert.ok(run.passed >= 55, `only ${run.passed} XS tests ran`);

  // The artifact checks fail on a missing artifact, a flipped signature bit and a changed input.
  const problems = (stdout: string, fixtures = run.fixtures) => checkXsArtifacts(stdout, fixtures).flatMap((c) => (c.problem ? [c.problem] : []));
  assert.deepEqual(problems(run.stdout), []);
  const lines = run.stdout.split("\n");
  const withoutWitness = lines.filter((l) => !l.startsWith("artifact poc-witness ")).join("\n");
  assert.match(problems(withoutWitness).join("\n"), /witness artifacts: expected 1, got 0/);
  const flipped = lines
    .map((l) => {
      const m = /^artifact router-register \{"envelope":"([0-9a-f]+)"\}$/.exec(l);
      if (!m) return l;
      const last = m[1].length - 6; // the signature's last byte, before session_capable (20 01)
      const byte = (parseInt(m[1].slice(last, last + 2), 16) ^ 0x01).toString(16).padStart(2, "0");
      return `artifact router-register {"envelope":"${m[1].slice(0, last)}${byte}${m[1].slice(last + 2)}"}`;
    })
    .join("\n");
  assert.match(problems(flipped).join("\n"), /register: the signature does not verify/);
  const uplinks = run.fixtures.network.router.uplinks.map((u, i) => (i === 1 ? { ...u, rssi: u.rssi - 1 } : u));
  const changed = { ...run.fixtures, network: { ...run.fixtures.network, router: { ...run.fixtures.network.router, uplinks } } };
  assert.match(problems(run.stdout, changed).join("\n"), /packet_up 1 \(session 1\) rssi: expected/);
});

test("the runner fails a run for each way it can go wrong", () => {
  buildHost();
  const dir = mkdtempSync(join(tmpdir(), "xs-runner-"));
  const cases: [string, string, RegExp][] = [
    ["passes.js", 'print("3 passed, 0 failed");', /^$/],
    ["no-summary.js", 'print("hello");', /no "N passed, N failed" summary line/],
    ["failed.js", 'print("2 passed, 1 failed");', /1 test\(s\) failed/],
    ["nothing-ran.js", 'print("0 passed, 0 failed");', /no test ran/],
    ["rejection.js", 'print("1 passed, 0 failed"); Promise.reject(new Error("lost"));', /uncaught: unhandled rejection: Error: lost/],
    ["throws.js", 'throw new Error("at load");', /uncaught: module rejected: Error: at load/],
    ["timer-throws.js", '__xshost.onWake = () => { throw new Error("in a timer"); }; __xshost.wake(1); print("1 passed, 0 failed");', /uncaught: exception: Error: in a timer/],
    ["hangs.js", "__xshost.onWake = () => __xshost.wake(5); __xshost.wake(5);", /timed out after 1500 ms/],
  ];
  try {
    for (const [file, source, expected] of cases) {
      writeFileSync(join(dir, file), source);
      const run = runModule(join(dir, file), 1500);
      assert.match(run.problems.join("\n"), expected, file);
      assert.equal(run.ok, file === "passes.js", file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--preload runs modules once in a shared build machine, with the device's rules, and --budget fixes the pools", () => {
  buildHost();
  const dir = mkdtempSync(join(tmpdir(), "xs-preload-"));
  const write = (file: string, source: string) => writeFileSync(join(dir, file), source);
  try {
    write(
      "table.js",
      `print("preloading table.js");
       export let count = 0;
       export function bump() { return ++count; }
       export const names = ["alpha", "beta"].map((n) => n.repeat(3));
       export const cache = new Map([["k", "v".repeat(4)]]);
       export const defaults = { a: 1 };
       export const schema = { a: { name: "x".repeat(5), id: 1 }, b: { name: "y".repeat(6), id: 2 } };
       export const big = 123456789012345678901234567890n + BigInt(count);
       export const bytes = new Uint8Array([1, 2, 3, 4, 5]);
       export const objects = new Map([["k" + 1, { v: "val".repeat(2) }]]);
       export class Counter { static made = 0; }`,
    );
    write("list.txt", join(dir, "table.js") + "\n");
    write(
      "main.js",
      `import { bump, names, cache, defaults, schema, big, bytes, objects, Counter } from "./table.js";
       // Values copied out of preloaded objects while the clone collects and compacts many times.
       for (let i = 0; i < 30000; i++) {
         const o = { a: new Uint8Array(100 + (i % 50)), n: schema.a.name, m: objects.get("k1").v, b: big + BigInt(i), y: bytes.slice(1) };
         if (o.n !== "xxxxx" || o.m !== "valval" || o.y.length !== 4) { print("corrupt at " + i); break; }
       }
       const seen = [];
       for (let i = 0; i < 200000; i++) seen[i % 100] = { s: names[i % 2], v: cache.get("k"), x: schema.a.name, b: new Uint8Array(64 + (i % 32)), n: bump() };
       print("strings " + seen[0].s + " " + seen[1].s + " " + seen[0].v + " " + seen[7].x + " count " + bump());
       for (const [name, f] of [["map", () => cache.set("k", 1)], ["stringify", () => JSON.stringify(defaults)], ["static", () => { Counter.made++; }]]) {
         try { f(); print(name + " changed"); } catch (e) { print(name + " refused: " + e.message); }
       }
       print("1 passed, 0 failed");`,
    );
    const run = runModule(join(dir, "main.js"), 20_000, join(dir, "list.txt"));
    assert.ok(run.ok, run.problems.join("; ") + run.stderr);
    assert.equal(run.stdout.match(/preloading table\.js/g)?.length, 1, "the module body ran once, at preload");
    // Strings from the preloaded table survive the clone's garbage collections; `let` changes at run time.
    assert.doesNotMatch(run.stdout, /corrupt at/);
    assert.match(run.stdout, /^strings alphaalphaalpha betabetabeta vvvv xxxxx count 200001$/m);
    // As the Moddable linker leaves them (Moddable issue #1145 for stringify): read-only in flash.
    assert.match(run.stdout, /^map refused: Map instance is read-only$/m);
    assert.match(run.stdout, /^stringify refused: read only value$/m);
    assert.match(run.stdout, /^static refused: /m);

    write("hungry.js", `const keep = []; for (let i = 0; i < 100000; i++) keep.push({ i }); print("1 passed, 0 failed");`);
    const starved = runModule(join(dir, "hungry.js"), 20_000, join(dir, "list.txt"), "2048,65536,512");
    assert.match(starved.stderr, /memory full/);
    assert.equal(starved.ok, false);
    write("timer.js", "__xshost.wake(10); export const x = 1;");
    write("bad-list.txt", join(dir, "timer.js") + "\n");
    const started = runModule(join(dir, "hungry.js"), 20_000, join(dir, "bad-list.txt"));
    assert.match(started.problems.join("\n"), /preloading .*timer\.js armed a timer/);
    // The Moddable SDK's xsl overflows its heap on BigInts inside preloaded arrays (a BigInt in a
    // variable or an object property is fine, as `big` above shows): the emulation refuses them.
    write("ranges.js", "export const RANGES = { int32: [-(1n << 31n), (1n << 31n) - 1n] };");
    write("ranges-list.txt", join(dir, "ranges.js") + "\n");
    const ranges = runModule(join(dir, "hungry.js"), 20_000, join(dir, "ranges-list.txt"));
    assert.match(ranges.problems.join("\n"), /2 BigInt\(s\) inside preloaded arrays: the Moddable SDK's preload linker \(xsl\) overflows its heap/);
    assert.equal(ranges.ok, false);
    // The SDK's XS leaks and crashes running a RegExp that was preloaded (xsre.c
    // fxAllocateRegExpData; mcsim died of it): the emulation refuses RegExp objects made at module
    // load, in a table as in a constant, and takes patterns made inside functions.
    write("patterns.js", "export const HEX = /^[0-9a-f]+$/; export const TABLE = Object.freeze({ id: /^[0-9]{4}$/ }); export const isHex = (t) => /^[0-9a-f]+$/.test(t);");
    write("patterns-list.txt", join(dir, "patterns.js") + "\n");
    const patterns = runModule(join(dir, "hungry.js"), 20_000, join(dir, "patterns-list.txt"));
    assert.match(patterns.problems.join("\n"), /2 RegExp object\(s\) made while preloading: the Moddable SDK's XS leaks memory and crashes/);
    assert.equal(patterns.ok, false);
    write("functions.js", "export const isHex = (t) => /^[0-9a-f]+$/.test(t); export function words(t) { return t.split(/ +/); }");
    write("functions-list.txt", join(dir, "functions.js") + "\n");
    const functions = runModule(join(dir, "hungry.js"), 20_000, join(dir, "functions-list.txt"));
    assert.ok(!functions.problems.join("\n").includes("RegExp"), functions.problems.join("\n"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the in-engine harness reports failed assertions, failed loads and slow tests by name", () => {
  buildHost();
  const dir = mkdtempSync(join(tmpdir(), "xs-harness-"));
  try {
    const harness = join(SUITES_DIR, "harness.js");
    const assertions = join(SUITES_DIR, "assert.js");
    writeFileSync(
      join(dir, "suite.js"),
      `import { test } from ${JSON.stringify(harness)}; import { equal } from ${JSON.stringify(assertions)};
       test("good", () => equal(1, 1));
       test("bad", () => equal(1, 2, "one is two"));
       test("slow", () => new Promise(() => {}));`,
    );
    writeFileSync(join(dir, "broken.js"), 'throw new RangeError("cannot load");');
    writeFileSync(join(dir, "entry.js"), `import { runSuites } from ${JSON.stringify(harness)}; await runSuites(${JSON.stringify([join(dir, "suite.js"), join(dir, "broken.js")])}, 200);`);
    const run = runModule(join(dir, "entry.js"), 30_000);
    assert.equal(run.passed, 1);
    assert.equal(run.failed, 3);
    assert.match(run.stdout, /not ok - .*suite\.js: bad: AssertionError: one is two: expected 2, got 1/);
    assert.match(run.stdout, /not ok - .*suite\.js: slow: Error: did not finish within 200 ms/);
    assert.match(run.stdout, /not ok - .*broken\.js: the suite did not load: RangeError: cannot load/);
    assert.equal(run.ok, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("untrusted text of a full datagram or header decodes on a board's stack: the forwarder's JSON reader and the Latin-1 decoder (a spread or apply of every byte is a fatal stack overflow there)", () => {
  buildHost();
  const stack = boardCreation("heltec_v3").stack;
  const dir = mkdtempSync(join(tmpdir(), "xs-stack-"));
  try {
    const modules = join(SUITES_DIR, "..", "..", "modules");
    // A PULL_RESP as big as one UDP read on the device (1,472 bytes), and a 4 KiB header value.
    writeFileSync(
      join(dir, "main.js"),
      `import { readJsonObject } from ${JSON.stringify(join(modules, "forwarder", "bounded-json.js"))};
       import { latin1Decode } from ${JSON.stringify(join(modules, "util", "bytes.js"))};
       const text = '{"txpk":{"data":"' + "A".repeat(1472 - 21) + '"}}';
       const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
       const read = readJsonObject(bytes, 65507, 4);
       const header = latin1Decode(new Uint8Array(4096).fill(0x61));
       print(read.ok && read.value.txpk.data.length === 1451 && header.length === 4096 ? "1 passed, 0 failed" : "0 passed, 1 failed");`,
    );
    const run = runModule(join(dir, "main.js"), 20_000, undefined, undefined, stack);
    assert.ok(run.ok, run.problems.join("; ") + run.stderr);
    // The same host and stack refuse a spread of the whole datagram, as the device would.
    writeFileSync(join(dir, "spread.js"), 'String.fromCharCode.apply(null, new Uint8Array(1472)); print("1 passed, 0 failed");');
    const spread = runModule(join(dir, "spread.js"), 20_000, undefined, undefined, stack);
    assert.match(spread.stderr, /stack overflow/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
