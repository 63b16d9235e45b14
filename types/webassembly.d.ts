// The part of the WebAssembly JS API the project uses. ES2022's lib has no WebAssembly (it lives in
// the DOM lib, which platform-neutral code must not see); XS has none at all, so on the device the
// core runs as wasm2c C instead (modules/core/native.ts).
declare namespace WebAssembly {
  type ImportValue = Function | Memory | number;
  type Imports = Record<string, Record<string, ImportValue>>;
  type Exports = Record<string, Function | Memory>;
  class Module {
    constructor(bytes: ArrayBuffer | Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Exports;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
    grow(deltaPages: number): number;
  }
  function instantiate(bytes: ArrayBuffer | Uint8Array, imports?: Imports): Promise<{ module: Module; instance: Instance }>;
}
