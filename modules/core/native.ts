// The compute core where there is no WebAssembly (the device, the XS test host): the wasm2c C of
// build/core.wasm, reached through the host function xs_core_instantiate (native/core_glue.c).
// The same exports and the same linear memory as modules/core/wasm.ts sees, so one binding can sit
// on either: exports are called with numbers and return numbers; a trap inside the core throws an
// Error ("core.<export>: wasm trap: ...") instead of taking the device down.

/** A core export: i32 arguments and result, as the WebAssembly JS API passes them. */
export type CoreFunction = (...args: number[]) => number;

export interface NativeCore {
  /** Every function the core exports, by its wasm export name. */
  readonly exports: Readonly<Record<string, CoreFunction>>;
  /** The whole linear memory, zero-copy (it never moves or grows). */
  readonly memory: Uint8Array;
  /** The scratch region (scratch_ptr, scratch_size) that inputs and outputs are copied through. */
  readonly scratch: Uint8Array;
}

interface Instance {
  memory: ArrayBuffer; // a HostBuffer over the C linear memory
  exports: Record<string, CoreFunction>;
}

let loaded: NativeCore | undefined;

/** Instantiates the native core on first use (its linear memory comes from the C heap). */
export function loadNativeCore(): NativeCore {
  if (loaded) return loaded;
  const instance = native("xs_core_instantiate")() as Instance;
  const memory = new Uint8Array(instance.memory);
  const exports = Object.freeze({ ...instance.exports });
  const ptr = exports.scratch_ptr();
  const size = exports.scratch_size();
  loaded = Object.freeze({ exports, memory, scratch: memory.subarray(ptr, ptr + size) });
  return loaded;
}
