// The Core over build/core.wasm for node:test suites, loaded once per test process.
import type { Core } from "../../modules/core/core.js";
import { loadNodeCore } from "../../sim/node-core.js";

export const core: Core = loadNodeCore();
