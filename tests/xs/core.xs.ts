// The compute core through modules/core/native.ts on the real XS engine: the wasm2c C of
// build/core.wasm with the device's runtime and binding.
import { test } from "./harness.js";
import { equal, ok } from "./assert.js";
import { loadNativeCore } from "../../modules/core/native.js";

test("the core's linear memory is one 64 KiB page, seen zero-copy", () => {
  const core = loadNativeCore();
  equal(core.memory.length, 65536);
  equal(loadNativeCore(), core, "instantiated once");
});

test("the scratch region is 16 KiB inside linear memory (the design's scratch contract)", () => {
  const core = loadNativeCore();
  equal(core.scratch.length, 16384);
  equal(core.scratch.buffer, core.memory.buffer, "a view of the same memory");
  ok(core.scratch.byteOffset > 0 && core.scratch.byteOffset + core.scratch.length <= core.memory.length, "inside memory");
  ok(core.scratch.byteOffset % 16 === 0, "16-byte aligned");
});

test("a wrong argument count is a TypeError, not a call with garbage", () => {
  const core = loadNativeCore();
  let message = "";
  try {
    core.exports.scratch_ptr(1);
  } catch (error) {
    message = String(error);
  }
  equal(message, "TypeError: core.scratch_ptr: expected 0 argument(s), got 1");
});
