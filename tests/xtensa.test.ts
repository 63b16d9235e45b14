// Smoke check for 32-bit Xtensa: the native C that goes onto the board (wasm2c core, our runtime,
// the XS binding, the radio timing, hardware RNG and restart helpers) compiles with Debian's xtensa-lx106 gcc and picolibc, as Moddable's ESP32 build
// compiles it (-Os -mlongcalls). Catches 64-bit and POSIX assumptions; it is not the ESP32 compiler,
// but the same ISA family. Our own files must be warning-free; wasm2c's output is compiled as is.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NATIVE_DIR, ROOT } from "../tools/gen-native.js";

const GCC = "xtensa-lx106-elf-gcc";
const SPECS = "/usr/lib/xtensa-lx106-elf/picolibc.specs";
const XS_INCLUDES = join(ROOT, "node_modules", "@agoric", "xsnap", "moddable", "xs", "includes");
const ESP_STUBS = join(ROOT, "tests", "native", "esp-idf"); // declarations only (see its README)
// xs.h gets size_t from the platform header on the device; here it is compiled without one.
const FLAGS = ["--specs=" + SPECS, "-std=gnu17", "-Os", "-mlongcalls", "-ffunction-sections", "-fdata-sections", "-include", "stddef.h"];
const OURS = ["-Wall", "-Wextra", "-Werror"];

interface Section {
  text: number;
  data: number;
  bss: number;
}

function requireCompiler(): void {
  try {
    execFileSync(GCC, ["--version"], { stdio: "ignore" });
  } catch {
    assert.fail(
      `${GCC} not found: install Debian's gcc-xtensa-lx106 and picolibc-xtensa-lx106-elf ` +
        "(apt-get install gcc-xtensa-lx106 picolibc-xtensa-lx106-elf); .ci/run does this on CI",
    );
  }
}

function compile(dir: string, source: string, extra: string[]): Section {
  const object = join(dir, source.replace(/[\\/]/g, "_") + ".o");
  execFileSync(GCC, [...FLAGS, ...extra, "-I", NATIVE_DIR, "-I", XS_INCLUDES, "-I", ESP_STUBS, "-c", join(ROOT, source), "-o", object], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [, row] = execFileSync("xtensa-lx106-elf-size", [object], { encoding: "utf8" }).trim().split("\n");
  const [text, data, bss] = row.trim().split(/\s+/).map(Number);
  return { text, data, bss };
}

test("the device's native C compiles for 32-bit Xtensa with -Os -mlongcalls", (t) => {
  requireCompiler();
  const dir = mkdtempSync(join(tmpdir(), "xtensa-"));
  try {
    const sizes: Record<string, Section> = {
      "native/core.c": compile(dir, "native/core.c", ["-w"]),
      "native/wasm-rt-heap.c": compile(dir, "native/wasm-rt-heap.c", OURS),
      "native/wasm-env.c": compile(dir, "native/wasm-env.c", OURS),
      "native/core_glue.c": compile(dir, "native/core_glue.c", OURS),
      "native/radio_timing.c": compile(dir, "native/radio_timing.c", OURS),
      "native/hw_random.c": compile(dir, "native/hw_random.c", OURS),
      "native/system.c": compile(dir, "native/system.c", OURS),
    };
    for (const [file, s] of Object.entries(sizes)) t.diagnostic(`${file}: text ${s.text} data ${s.data} bss ${s.bss}`);
    // Linear memory comes from the heap: no static buffers in the runtime or the binding.
    for (const file of ["native/wasm-rt-heap.c", "native/core_glue.c", "native/core.c"])
      assert.ok(sizes[file].bss + sizes[file].data < 256, `${file} reserves ${sizes[file].bss + sizes[file].data} static bytes`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
