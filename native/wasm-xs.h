/*
 * Binds one wasm2c module to XS through xsmc, with no hand-written code per export.
 *
 * Include this from a .c file after defining
 *   WASM_XS_MODULE      the module name given to wasm2c with -n (e.g. core), and
 *   WASM_XS_EXPORTS_H   the export list tools/gen-native.ts generated for it (e.g. "core_exports.h").
 * It defines the host function xs_<module>_instantiate(). Called from JS (via native()), it
 * creates the instance on first use and returns
 *   { memory: HostBuffer over the linear memory, exports: { <export name>: function, ... } }
 * Each export function converts its arguments as the WebAssembly JS API does (ToInt32 for i32,
 * BigInt for i64, Number for f32/f64), requires exactly the declared number of arguments, runs the
 * export inside a catch point, and turns a trap into an Error thrown into JS:
 *   "core.sha256: wasm trap: out of bounds access".
 * The instance's memory never moves (wasm-rt-heap.c refuses growth), so the HostBuffer stays valid.
 */
#include <stdint.h>

#include "wasm-rt.h"
#include "xsmc.h"

#ifndef WASM_XS_GLUE_ONCE
#define WASM_XS_GLUE_ONCE

/* In xs.h on XS 17; declared here for older engines that keep them internal (same signature). */
extern int64_t fxToBigInt64(xsMachine* the, xsSlot* slot);
extern void fxFromBigInt64(xsMachine* the, xsSlot* slot, int64_t value);

#define WASM_XS_CAT3_(a, b, c) a##b##c
#define WASM_XS_CAT3(a, b, c) WASM_XS_CAT3_(a, b, c)
#define WASM_XS_CAT4_(a, b, c, d) a##b##c##d
#define WASM_XS_CAT4(a, b, c, d) WASM_XS_CAT4_(a, b, c, d)
#define WASM_XS_STR_(x) #x
#define WASM_XS_STR(x) WASM_XS_STR_(x)

/* C types and conversions per wasm value type. */
#define WASM_XS_CTYPE_VOID void
#define WASM_XS_CTYPE_I32 uint32_t
#define WASM_XS_CTYPE_I64 uint64_t
#define WASM_XS_CTYPE_F32 float
#define WASM_XS_CTYPE_F64 double
#define WASM_XS_ARG_I32(i) ((uint32_t)xsmcToInteger(xsArg(i)))
#define WASM_XS_ARG_I64(i) ((uint64_t)fxToBigInt64(the, &xsArg(i)))
#define WASM_XS_ARG_F32(i) ((float)xsmcToNumber(xsArg(i)))
#define WASM_XS_ARG_F64(i) ((double)xsmcToNumber(xsArg(i)))
#define WASM_XS_RESULT_I32(v) xsmcSetInteger(xsResult, (xsIntegerValue)(int32_t)(v))
#define WASM_XS_RESULT_I64(v) fxFromBigInt64(the, &xsResult, (int64_t)(v))
#define WASM_XS_RESULT_F32(v) xsmcSetNumber(xsResult, (double)(v))
#define WASM_XS_RESULT_F64(v) xsmcSetNumber(xsResult, (v))

/* Call an export inside a catch point. Arguments are converted before the catch point is set,
   because a conversion may throw into XS, which must not leave our target behind. */
#define WASM_XS_TRY(name, call)                                                  \
  do {                                                                           \
    jmp_buf* wasm_xs_outer = wasm_rt_get_unwind_target();                        \
    uint32_t wasm_xs_depth = wasm_rt_call_stack_depth;                           \
    jmp_buf wasm_xs_target;                                                      \
    wasm_rt_set_unwind_target(&wasm_xs_target);                                  \
    if (setjmp(wasm_xs_target)) {                                                \
      wasm_rt_set_unwind_target(wasm_xs_outer);                                  \
      wasm_rt_call_stack_depth = wasm_xs_depth;                                  \
      xsUnknownError("%s.%s: wasm trap: %s", WASM_XS_STR(WASM_XS_MODULE), name,  \
                     wasm_rt_trap_name(wasm_rt_last_trap()));                    \
    }                                                                            \
    call;                                                                        \
    wasm_rt_set_unwind_target(wasm_xs_outer);                                    \
  } while (0)

#define WASM_XS_CHECK_ARGC(name, n)                                                          \
  if (xsmcArgc != (n))                                                                       \
    xsTypeError("%s.%s: expected %d argument(s), got %d", WASM_XS_STR(WASM_XS_MODULE), name, \
                (int)(n), (int)xsmcArgc)

typedef struct {
  const char* name;
  xsCallback callback;
  int length;
} wasm_xs_export_t;

#endif /* WASM_XS_GLUE_ONCE */

#define WASM_XS_INSTANCE_T WASM_XS_CAT3(Z_, WASM_XS_MODULE, _instance_t)
#define WASM_XS_FN(export) WASM_XS_CAT4(Z_, WASM_XS_MODULE, Z_, export)
#define WASM_XS_HOST(export) WASM_XS_CAT4(xs_, WASM_XS_MODULE, _, export)

static WASM_XS_INSTANCE_T wasm_xs_instance;
static int wasm_xs_ready;

/* One host function per export: xs_<module>_<export>. The RESULT_VOID variants skip the result. */
#define WASM_XS_BODY(mangled, name, result, argc, args, decls)                         \
  static void WASM_XS_HOST(mangled)(xsMachine * the) {                                 \
    WASM_XS_CHECK_ARGC(name, argc);                                                    \
    decls WASM_XS_CALL_##result(mangled, name, args)                                   \
  }
#define WASM_XS_CALL_VOID(mangled, name, args) WASM_XS_TRY(name, WASM_XS_FN(mangled) args);
#define WASM_XS_CALL_TYPED(type, mangled, name, args)            \
  {                                                              \
    WASM_XS_CTYPE_##type wasm_xs_result = 0;                     \
    WASM_XS_TRY(name, wasm_xs_result = WASM_XS_FN(mangled) args); \
    WASM_XS_RESULT_##type(wasm_xs_result);                       \
  }
#define WASM_XS_CALL_I32(m, n, a) WASM_XS_CALL_TYPED(I32, m, n, a)
#define WASM_XS_CALL_I64(m, n, a) WASM_XS_CALL_TYPED(I64, m, n, a)
#define WASM_XS_CALL_F32(m, n, a) WASM_XS_CALL_TYPED(F32, m, n, a)
#define WASM_XS_CALL_F64(m, n, a) WASM_XS_CALL_TYPED(F64, m, n, a)

#define WASM_XS_D(t, i) WASM_XS_CTYPE_##t a##i = WASM_XS_ARG_##t(i);
/* Argument declarations and the argument list, built up one parameter at a time. */
#define WASM_XS_DECLS_0()
#define WASM_XS_ARGS_0
#define WASM_XS_DECLS_1(t0) WASM_XS_DECLS_0() WASM_XS_D(t0, 0)
#define WASM_XS_ARGS_1 WASM_XS_ARGS_0, a0
#define WASM_XS_DECLS_2(t0, t1) WASM_XS_DECLS_1(t0) WASM_XS_D(t1, 1)
#define WASM_XS_ARGS_2 WASM_XS_ARGS_1, a1
#define WASM_XS_DECLS_3(t0, t1, t2) WASM_XS_DECLS_2(t0, t1) WASM_XS_D(t2, 2)
#define WASM_XS_ARGS_3 WASM_XS_ARGS_2, a2
#define WASM_XS_DECLS_4(t0, t1, t2, t3) WASM_XS_DECLS_3(t0, t1, t2) WASM_XS_D(t3, 3)
#define WASM_XS_ARGS_4 WASM_XS_ARGS_3, a3
#define WASM_XS_DECLS_5(t0, t1, t2, t3, t4) WASM_XS_DECLS_4(t0, t1, t2, t3) WASM_XS_D(t4, 4)
#define WASM_XS_ARGS_5 WASM_XS_ARGS_4, a4
#define WASM_XS_DECLS_6(t0, t1, t2, t3, t4, t5) WASM_XS_DECLS_5(t0, t1, t2, t3, t4) WASM_XS_D(t5, 5)
#define WASM_XS_ARGS_6 WASM_XS_ARGS_5, a5
#define WASM_XS_DECLS_7(t0, t1, t2, t3, t4, t5, t6) WASM_XS_DECLS_6(t0, t1, t2, t3, t4, t5) WASM_XS_D(t6, 6)
#define WASM_XS_ARGS_7 WASM_XS_ARGS_6, a6
#define WASM_XS_DECLS_8(t0, t1, t2, t3, t4, t5, t6, t7) WASM_XS_DECLS_7(t0, t1, t2, t3, t4, t5, t6) WASM_XS_D(t7, 7)
#define WASM_XS_ARGS_8 WASM_XS_ARGS_7, a7
#define WASM_XS_DECLS_9(t0, t1, t2, t3, t4, t5, t6, t7, t8) WASM_XS_DECLS_8(t0, t1, t2, t3, t4, t5, t6, t7) WASM_XS_D(t8, 8)
#define WASM_XS_ARGS_9 WASM_XS_ARGS_8, a8
#define WASM_XS_DECLS_10(t0, t1, t2, t3, t4, t5, t6, t7, t8, t9) WASM_XS_DECLS_9(t0, t1, t2, t3, t4, t5, t6, t7, t8) WASM_XS_D(t9, 9)
#define WASM_XS_ARGS_10 WASM_XS_ARGS_9, a9
#define WASM_XS_DECLS_11(t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10) WASM_XS_DECLS_10(t0, t1, t2, t3, t4, t5, t6, t7, t8, t9) WASM_XS_D(t10, 10)
#define WASM_XS_ARGS_11 WASM_XS_ARGS_10, a10
#define WASM_XS_DECLS_12(t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11) WASM_XS_DECLS_11(t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10) WASM_XS_D(t11, 11)
#define WASM_XS_ARGS_12 WASM_XS_ARGS_11, a11
#define WASM_XS_EXPORT0(m, n, r) WASM_XS_BODY(m, n, r, 0, (&wasm_xs_instance), )
#define WASM_XS_EXPORT1(m, n, r, ...) WASM_XS_BODY(m, n, r, 1, (&wasm_xs_instance WASM_XS_ARGS_1), WASM_XS_DECLS_1(__VA_ARGS__))
#define WASM_XS_EXPORT2(m, n, r, ...) WASM_XS_BODY(m, n, r, 2, (&wasm_xs_instance WASM_XS_ARGS_2), WASM_XS_DECLS_2(__VA_ARGS__))
#define WASM_XS_EXPORT3(m, n, r, ...) WASM_XS_BODY(m, n, r, 3, (&wasm_xs_instance WASM_XS_ARGS_3), WASM_XS_DECLS_3(__VA_ARGS__))
#define WASM_XS_EXPORT4(m, n, r, ...) WASM_XS_BODY(m, n, r, 4, (&wasm_xs_instance WASM_XS_ARGS_4), WASM_XS_DECLS_4(__VA_ARGS__))
#define WASM_XS_EXPORT5(m, n, r, ...) WASM_XS_BODY(m, n, r, 5, (&wasm_xs_instance WASM_XS_ARGS_5), WASM_XS_DECLS_5(__VA_ARGS__))
#define WASM_XS_EXPORT6(m, n, r, ...) WASM_XS_BODY(m, n, r, 6, (&wasm_xs_instance WASM_XS_ARGS_6), WASM_XS_DECLS_6(__VA_ARGS__))
#define WASM_XS_EXPORT7(m, n, r, ...) WASM_XS_BODY(m, n, r, 7, (&wasm_xs_instance WASM_XS_ARGS_7), WASM_XS_DECLS_7(__VA_ARGS__))
#define WASM_XS_EXPORT8(m, n, r, ...) WASM_XS_BODY(m, n, r, 8, (&wasm_xs_instance WASM_XS_ARGS_8), WASM_XS_DECLS_8(__VA_ARGS__))
#define WASM_XS_EXPORT9(m, n, r, ...) WASM_XS_BODY(m, n, r, 9, (&wasm_xs_instance WASM_XS_ARGS_9), WASM_XS_DECLS_9(__VA_ARGS__))
#define WASM_XS_EXPORT10(m, n, r, ...) WASM_XS_BODY(m, n, r, 10, (&wasm_xs_instance WASM_XS_ARGS_10), WASM_XS_DECLS_10(__VA_ARGS__))
#define WASM_XS_EXPORT11(m, n, r, ...) WASM_XS_BODY(m, n, r, 11, (&wasm_xs_instance WASM_XS_ARGS_11), WASM_XS_DECLS_11(__VA_ARGS__))
#define WASM_XS_EXPORT12(m, n, r, ...) WASM_XS_BODY(m, n, r, 12, (&wasm_xs_instance WASM_XS_ARGS_12), WASM_XS_DECLS_12(__VA_ARGS__))
#define WASM_XS_MEMORY(m)
#define WASM_XS_IMPORT_ARGS(...)
#include WASM_XS_EXPORTS_H
#undef WASM_XS_EXPORT0
#undef WASM_XS_EXPORT1
#undef WASM_XS_EXPORT2
#undef WASM_XS_EXPORT3
#undef WASM_XS_EXPORT4
#undef WASM_XS_EXPORT5
#undef WASM_XS_EXPORT6
#undef WASM_XS_EXPORT7
#undef WASM_XS_EXPORT8
#undef WASM_XS_EXPORT9
#undef WASM_XS_EXPORT10
#undef WASM_XS_EXPORT11
#undef WASM_XS_EXPORT12
#undef WASM_XS_MEMORY
#undef WASM_XS_IMPORT_ARGS

/* The same list again, as a table {name, host function, argument count}. */
#define WASM_XS_ROW(m, n, argc) {n, WASM_XS_HOST(m), argc},
#define WASM_XS_EXPORT0(m, n, r) WASM_XS_ROW(m, n, 0)
#define WASM_XS_EXPORT1(m, n, r, ...) WASM_XS_ROW(m, n, 1)
#define WASM_XS_EXPORT2(m, n, r, ...) WASM_XS_ROW(m, n, 2)
#define WASM_XS_EXPORT3(m, n, r, ...) WASM_XS_ROW(m, n, 3)
#define WASM_XS_EXPORT4(m, n, r, ...) WASM_XS_ROW(m, n, 4)
#define WASM_XS_EXPORT5(m, n, r, ...) WASM_XS_ROW(m, n, 5)
#define WASM_XS_EXPORT6(m, n, r, ...) WASM_XS_ROW(m, n, 6)
#define WASM_XS_EXPORT7(m, n, r, ...) WASM_XS_ROW(m, n, 7)
#define WASM_XS_EXPORT8(m, n, r, ...) WASM_XS_ROW(m, n, 8)
#define WASM_XS_EXPORT9(m, n, r, ...) WASM_XS_ROW(m, n, 9)
#define WASM_XS_EXPORT10(m, n, r, ...) WASM_XS_ROW(m, n, 10)
#define WASM_XS_EXPORT11(m, n, r, ...) WASM_XS_ROW(m, n, 11)
#define WASM_XS_EXPORT12(m, n, r, ...) WASM_XS_ROW(m, n, 12)
#define WASM_XS_MEMORY(m)
#define WASM_XS_IMPORT_ARGS(...)
static const wasm_xs_export_t wasm_xs_exports[] = {
#include WASM_XS_EXPORTS_H
    {NULL, NULL, 0}};
#undef WASM_XS_EXPORT0
#undef WASM_XS_EXPORT1
#undef WASM_XS_EXPORT2
#undef WASM_XS_EXPORT3
#undef WASM_XS_EXPORT4
#undef WASM_XS_EXPORT5
#undef WASM_XS_EXPORT6
#undef WASM_XS_EXPORT7
#undef WASM_XS_EXPORT8
#undef WASM_XS_EXPORT9
#undef WASM_XS_EXPORT10
#undef WASM_XS_EXPORT11
#undef WASM_XS_EXPORT12
#undef WASM_XS_MEMORY
#undef WASM_XS_IMPORT_ARGS

/* Instantiation arguments (one NULL per imported module) and the exported memory, if any. */
#define WASM_XS_EXPORT0(...)
#define WASM_XS_EXPORT1(...)
#define WASM_XS_EXPORT2(...)
#define WASM_XS_EXPORT3(...)
#define WASM_XS_EXPORT4(...)
#define WASM_XS_EXPORT5(...)
#define WASM_XS_EXPORT6(...)
#define WASM_XS_EXPORT7(...)
#define WASM_XS_EXPORT8(...)
#define WASM_XS_EXPORT9(...)
#define WASM_XS_EXPORT10(...)
#define WASM_XS_EXPORT11(...)
#define WASM_XS_EXPORT12(...)
#define WASM_XS_MEMORY(m) static wasm_rt_memory_t* wasm_xs_memory(void) { return WASM_XS_FN(m)(&wasm_xs_instance); }
#define WASM_XS_IMPORT_ARGS(...) static void wasm_xs_instantiate(void) { WASM_XS_CAT3(Z_, WASM_XS_MODULE, _instantiate)(&wasm_xs_instance __VA_ARGS__); }
#include WASM_XS_EXPORTS_H
#undef WASM_XS_EXPORT0
#undef WASM_XS_EXPORT1
#undef WASM_XS_EXPORT2
#undef WASM_XS_EXPORT3
#undef WASM_XS_EXPORT4
#undef WASM_XS_EXPORT5
#undef WASM_XS_EXPORT6
#undef WASM_XS_EXPORT7
#undef WASM_XS_EXPORT8
#undef WASM_XS_EXPORT9
#undef WASM_XS_EXPORT10
#undef WASM_XS_EXPORT11
#undef WASM_XS_EXPORT12
#undef WASM_XS_MEMORY
#undef WASM_XS_IMPORT_ARGS

void WASM_XS_HOST(instantiate)(xsMachine* the) {
  const wasm_xs_export_t* row;
  if (!wasm_xs_ready) {
    if (!wasm_rt_is_initialized())
      wasm_rt_init();
    WASM_XS_TRY("instantiate", (WASM_XS_CAT3(Z_, WASM_XS_MODULE, _init_module)(), wasm_xs_instantiate()));
    wasm_xs_ready = 1;
  }
  xsmcVars(2);
  xsmcSetNewObject(xsResult);
#ifdef WASM_XS_HAS_MEMORY
  {
    wasm_rt_memory_t* memory = wasm_xs_memory();
    xsVar(0) = xsNewHostObject(NULL);
    xsmcSetHostBuffer(xsVar(0), memory->data, (xsIntegerValue)memory->size);
    xsmcSet(xsResult, xsID("memory"), xsVar(0));
  }
#endif
  xsmcSetNewObject(xsVar(0));
  for (row = wasm_xs_exports; row->name; row++) {
    xsVar(1) = xsNewHostFunction(row->callback, row->length);
    xsmcSet(xsVar(0), xsID(row->name), xsVar(1));
  }
  xsmcSet(xsResult, xsID("exports"), xsVar(0));
}
