/*
 * The test-only probe module (tests/native/probe.wat) bound exactly as the core is (core_glue.c),
 * so the XS suite can drive every trap and value type through native/wasm-xs.h.
 */
#include "probe.h"

#define WASM_XS_MODULE probe
#define WASM_XS_EXPORTS_H "probe_exports.h"
#include "wasm-xs.h"
