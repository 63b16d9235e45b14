/*
 * The compute core (build/core.wasm, as wasm2c C in core.c) for XS: defines the host function
 * xs_core_instantiate() that modules/core/native.ts reaches with native("xs_core_instantiate").
 * Everything per export comes from the generated core_exports.h; see wasm-xs.h.
 */
#include "core.h"

#define WASM_XS_MODULE core
#define WASM_XS_EXPORTS_H "core_exports.h"
#include "wasm-xs.h"
