// The device's wasm2c runtime (native/wasm-rt-heap.c) and XS binding (native/wasm-xs.h), driven
// through the test-only probe module (tests/native/probe.wat) where the real core never goes:
// every trap must become a catchable Error and leave the instance usable.
import { test } from "./harness.js";
import { equal, throws } from "./assert.js";

interface Probe {
  memory: ArrayBuffer;
  exports: {
    load(addr: number): number;
    store(addr: number, value: number): void;
    div(a: number, b: number): number;
    recurse(depth: number): number;
    call_unary(index: number, x: number): number;
    abort(): void;
    unreachable(): void;
    add64(a: bigint, b: bigint): bigint;
    mix(a: number, b: number): number;
    sum12(...v: number[]): number;
  };
}
const probe = native("xs_probe_instantiate")() as Probe;
const memory = new Uint8Array(probe.memory);
const p = probe.exports;

test("data segments are loaded and the memory is shared both ways", () => {
  equal(String.fromCharCode(...memory.subarray(16, 21)), "probe");
  p.store(100, 0x11223344);
  equal(memory[100], 0x44, "little-endian store seen through the view");
  memory[104] = 0xff;
  equal(p.load(104), 0xff, "a write through the view seen by the module");
  equal(p.load(65532), 0, "the last word is in bounds");
});

test("out-of-bounds loads and stores trap", () => {
  throws(() => p.load(65533), /^Error: probe\.load: wasm trap: out of bounds access$/);
  throws(() => p.store(0xffffffff, 1), /probe\.store: wasm trap: out of bounds access/);
  throws(() => p.load(-1), /out of bounds access/);
});

test("integer division traps", () => {
  equal(p.div(-7, 2), -3);
  throws(() => p.div(1, 0), /probe\.div: wasm trap: integer divide by zero/);
  throws(() => p.div(-2147483648, -1), /probe\.div: wasm trap: integer overflow/);
});

test("deep recursion traps at the call-depth limit instead of overflowing the C stack", () => {
  equal(p.recurse(50), 50);
  throws(() => p.recurse(1000), /probe\.recurse: wasm trap: call stack exhausted/);
  equal(p.recurse(50), 50, "the depth counter is restored after the trap");
});

test("indirect calls check the signature and the table bounds", () => {
  equal(p.call_unary(0, 21), 42);
  throws(() => p.call_unary(1, 1), /indirect call signature mismatch/); // $add has two parameters
  throws(() => p.call_unary(2, 1), /indirect call signature mismatch/); // an empty slot
  throws(() => p.call_unary(3, 1), /indirect call signature mismatch/); // past the end
});

test("unreachable and the env.abort import trap", () => {
  throws(() => p.unreachable(), /probe\.unreachable: wasm trap: unreachable executed/);
  throws(() => p.abort(), /probe\.abort: wasm trap: aborted/);
});

test("i32 arguments convert as ToInt32 and results come back signed", () => {
  p.store(200, 0xdeadbeef);
  equal(p.load(200), -559038737);
  p.store(204, 4294967296 + 5);
  equal(p.load(204), 5);
});

test("i64 values are BigInts, f32/f64 are Numbers, twelve arguments (the most) pass in order", () => {
  equal(p.add64(9223372036854775807n, 2n), -9223372036854775807n);
  equal(p.mix(1.5, 2.25), 3.375);
  equal(p.sum12(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048), 4095);
});

test("argument counts are checked", () => {
  throws(() => (p.load as unknown as () => number)(), /^TypeError: probe\.load: expected 1 argument\(s\), got 0$/);
});

test("native() names only registered host functions", () => {
  throws(() => native("xs_no_such_function"), /^ReferenceError: native: no host function named xs_no_such_function/);
});
