// Test-only access to build/core.wasm's raw exports, for suites that check the core's ABI directly
// against independent implementations. Product code goes through modules/core instead.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const CORE_WASM_PATH = fileURLToPath(new URL("../../../core.wasm", import.meta.url));

export interface RawCore {
  exports: Record<string, (...args: number[] | bigint[]) => number | bigint>;
  memory: WebAssembly.Memory;
  /** Copies bytes into the scratch region at `offset` and returns their pointer. */
  put(bytes: Uint8Array, offset?: number): number;
  /** Copies `len` bytes out of linear memory. */
  get(ptr: number, len: number): Uint8Array;
  scratch: number;
  scratchSize: number;
}

export function loadRawCore(): RawCore {
  const module = new WebAssembly.Module(readFileSync(CORE_WASM_PATH));
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort() {
        throw new Error("core aborted");
      },
    },
  });
  const exports = instance.exports as unknown as RawCore["exports"] & { memory: WebAssembly.Memory };
  const memory = exports.memory as unknown as WebAssembly.Memory;
  const scratch = Number(exports.scratch_ptr());
  const scratchSize = Number(exports.scratch_size());
  return {
    exports,
    memory,
    scratch,
    scratchSize,
    put(bytes, offset = 0) {
      if (offset + bytes.length > scratchSize) throw new RangeError("input does not fit the scratch region");
      new Uint8Array(memory.buffer, scratch + offset, bytes.length).set(bytes);
      return scratch + offset;
    },
    get(ptr, len) {
      return new Uint8Array(memory.buffer, ptr, len).slice();
    },
  };
}
