// The Core over build/core.wasm, instantiated with the WebAssembly JS API (Node, browsers).
// The release module imports nothing; `env.abort` (AssemblyScript's failure hook) is supplied for
// debug builds, which import it. Linear memory is one fixed 64 KiB page.
import type { Core } from "./core.js";
import { CoreError } from "./errors.js";
import { bindLinearCore, type RawExport } from "./linear.js";

export function createWasmCore(wasmBytes: Uint8Array): Core {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes), {
    env: {
      abort() {
        throw new CoreError("TRAP", "abort");
      },
    },
  });
  const exports = instance.exports;
  const memory = exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new CoreError("UNSUPPORTED", "createWasmCore", "the module exports no memory");
  let view = new Uint8Array(memory.buffer);
  return bindLinearCore({
    memory() {
      // A fixed-size memory never replaces its buffer, but re-check rather than rely on it.
      if (view.buffer !== memory.buffer) view = new Uint8Array(memory.buffer);
      return view;
    },
    exported(name) {
      const fn = exports[name];
      return typeof fn === "function" ? (fn as RawExport) : undefined;
    },
  });
}
