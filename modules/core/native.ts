// The Core where there is no WebAssembly (the device, the XS test host): the wasm2c C of
// build/core.wasm, reached through the host function xs_core_instantiate (native/core_glue.c),
// bound by the same linear.ts as the WebAssembly build. The C instance is created once and shared;
// its linear memory never moves, so one zero-copy view serves every call. A trap inside the core
// arrives as an Error from the host function and leaves as CoreError "TRAP".
import type { Core } from "./core.js";
import { bindLinearCore, type RawExport } from "./linear.js";

interface NativeInstance {
  /** A HostBuffer over the C linear memory. */
  memory: ArrayBuffer;
  exports: Record<string, RawExport>;
}

export function createNativeCore(): Core {
  const instance = native("xs_core_instantiate")() as NativeInstance;
  const view = new Uint8Array(instance.memory);
  return bindLinearCore({
    memory: () => view,
    exported: (name) => instance.exports[name],
  });
}
