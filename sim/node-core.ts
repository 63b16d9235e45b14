// The compute core for Node-side programs (CLI, simulator, tests): build/core.wasm through wasm.ts.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Core } from "../modules/core/core.js";
import { createWasmCore } from "../modules/core/wasm.js";

/** build/core.wasm, seen from build/js/<dir>/ where this file runs. */
export const CORE_WASM_PATH = fileURLToPath(new URL("../../core.wasm", import.meta.url));

export function loadNodeCore(): Core {
  return createWasmCore(readFileSync(CORE_WASM_PATH));
}
