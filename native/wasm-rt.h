/*
 * The runtime interface that wasm2c 1.0.32 output (native/core.c) compiles against, written for
 * this project so the same C builds on the ESP32, in the XS test host and for the Xtensa smoke
 * check without wabt's POSIX runtime. Differences from wabt's own header, on purpose:
 *   - memory accesses are always bounds-checked in software (no guard pages, no signal handler),
 *     on 64-bit hosts too, so CI exercises the device's code path;
 *   - the call depth is always counted, with a small default limit that fits a 10-15 KiB native
 *     stack on the device;
 *   - traps unwind to a jmp_buf the embedder sets (wasm_rt_set_unwind_target), never abort.
 * The names, types and layouts below are the ones the generated code refers to.
 */
#ifndef WASM_RT_H_
#define WASM_RT_H_

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define WASM_RT_NO_RETURN __attribute__((noreturn))
#else
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#define WASM_RT_NO_RETURN
#endif

#define wasm_rt_memcpy memcpy

/* Software bounds checks everywhere (the generated code reads this switch). */
#define WASM_RT_MEMCHECK_SIGNAL_HANDLER 0

/* Count wasm call depth and trap (EXHAUSTION) past the limit instead of overflowing the C stack. */
#define WASM_RT_USE_STACK_DEPTH_COUNT 1
#ifndef WASM_RT_MAX_CALL_STACK_DEPTH
#define WASM_RT_MAX_CALL_STACK_DEPTH 64
#endif
extern uint32_t wasm_rt_call_stack_depth;

/* Why execution stopped. The first nine are raised by generated code. */
typedef enum {
  WASM_RT_TRAP_NONE,
  WASM_RT_TRAP_OOB,                /* memory or table access out of bounds */
  WASM_RT_TRAP_INT_OVERFLOW,       /* signed division overflow or float-to-int out of range */
  WASM_RT_TRAP_DIV_BY_ZERO,
  WASM_RT_TRAP_INVALID_CONVERSION, /* NaN to integer */
  WASM_RT_TRAP_UNREACHABLE,
  WASM_RT_TRAP_CALL_INDIRECT,      /* null entry or signature mismatch */
  WASM_RT_TRAP_UNCAUGHT_EXCEPTION,
  WASM_RT_TRAP_EXHAUSTION,         /* call depth above WASM_RT_MAX_CALL_STACK_DEPTH */
  WASM_RT_TRAP_ABORT,              /* the module called its env.abort import */
  WASM_RT_TRAP_HOST_OOM,           /* the host could not allocate memory for the instance */
} wasm_rt_trap_t;

typedef enum {
  WASM_RT_I32,
  WASM_RT_I64,
  WASM_RT_F32,
  WASM_RT_F64,
  WASM_RT_FUNCREF,
  WASM_RT_EXTERNREF,
} wasm_rt_type_t;

/* Function pointers are stored type-erased; callers cast back to the real signature. */
typedef void (*wasm_rt_function_ptr_t)(void);

typedef struct {
  uint32_t func_type; /* from wasm_rt_register_func_type; 0 for the null reference */
  wasm_rt_function_ptr_t func;
  void* module_instance;
} wasm_rt_funcref_t;
static const wasm_rt_funcref_t wasm_rt_funcref_null_value = {0, NULL, NULL};

typedef void* wasm_rt_externref_t;
static const wasm_rt_externref_t wasm_rt_externref_null_value = NULL;

/* A linear memory: `size` bytes at `data`; every access is checked against `size`. */
typedef struct {
  uint8_t* data;
  uint32_t pages, max_pages;
  uint32_t size;
} wasm_rt_memory_t;

typedef struct {
  wasm_rt_funcref_t* data;
  uint32_t max_size;
  uint32_t size;
} wasm_rt_funcref_table_t;

typedef struct {
  wasm_rt_externref_t* data;
  uint32_t max_size;
  uint32_t size;
} wasm_rt_externref_table_t;

void wasm_rt_init(void);
bool wasm_rt_is_initialized(void);

/* Records the reason and unwinds (longjmp) to the current target. */
WASM_RT_NO_RETURN void wasm_rt_trap(wasm_rt_trap_t trap);
const char* wasm_rt_trap_name(wasm_rt_trap_t trap);
/* The reason of the latest trap, for the embedder's catch point. */
wasm_rt_trap_t wasm_rt_last_trap(void);

/* The embedder's catch point. Save the previous target, set yours, setjmp on it, restore after. */
void wasm_rt_set_unwind_target(jmp_buf* target);
jmp_buf* wasm_rt_get_unwind_target(void);

/* Returns the same index for the same signature (call_indirect compares these indices). */
uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...);

/* Memory comes from the heap, zero-filled, and never moves: growth is refused. */
void wasm_rt_allocate_memory(wasm_rt_memory_t* memory, uint32_t initial_pages, uint32_t max_pages);
uint32_t wasm_rt_grow_memory(wasm_rt_memory_t* memory, uint32_t pages);
void wasm_rt_free_memory(wasm_rt_memory_t* memory);

void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t* table, uint32_t elements, uint32_t max_elements);
void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t* table);

#ifdef __cplusplus
}
#endif

#endif /* WASM_RT_H_ */
