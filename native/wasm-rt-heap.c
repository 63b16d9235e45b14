/*
 * A small wasm2c runtime for the device and the XS test host: linear memory and tables from the
 * heap (calloc; nothing static beyond a few words), growth refused so host views of the memory
 * never dangle, traps unwind with longjmp to the embedder's target (see core_glue.c).
 */
#include <stdarg.h>

#include "wasm-rt.h"

#define WASM_PAGE_BYTES 65536u

uint32_t wasm_rt_call_stack_depth;

static bool initialized;
static jmp_buf* unwind_target;
static wasm_rt_trap_t last_trap;

/* Registered signatures, deduplicated: a list of {param count, result count, types}. */
typedef struct func_type {
  struct func_type* next;
  uint32_t params, results;
  uint8_t types[];
} func_type_t;
static func_type_t* func_types;

void wasm_rt_init(void) {
  initialized = true;
}

bool wasm_rt_is_initialized(void) {
  return initialized;
}

void wasm_rt_set_unwind_target(jmp_buf* target) {
  unwind_target = target;
}

jmp_buf* wasm_rt_get_unwind_target(void) {
  return unwind_target;
}

void wasm_rt_trap(wasm_rt_trap_t trap) {
  /* A trap outside any catch point is a bug in the embedder; stopping beats corrupting state. */
  if (!unwind_target)
    abort();
  last_trap = trap;
  longjmp(*unwind_target, 1);
}

wasm_rt_trap_t wasm_rt_last_trap(void) {
  return last_trap;
}

const char* wasm_rt_trap_name(wasm_rt_trap_t trap) {
  switch (trap) {
    case WASM_RT_TRAP_OOB: return "out of bounds access";
    case WASM_RT_TRAP_INT_OVERFLOW: return "integer overflow";
    case WASM_RT_TRAP_DIV_BY_ZERO: return "integer divide by zero";
    case WASM_RT_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASM_RT_TRAP_UNREACHABLE: return "unreachable executed";
    case WASM_RT_TRAP_CALL_INDIRECT: return "indirect call signature mismatch";
    case WASM_RT_TRAP_UNCAUGHT_EXCEPTION: return "uncaught exception";
    case WASM_RT_TRAP_EXHAUSTION: return "call stack exhausted";
    case WASM_RT_TRAP_ABORT: return "aborted";
    case WASM_RT_TRAP_HOST_OOM: return "host out of memory";
    default: return "unknown trap";
  }
}

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
  uint32_t count = params + results, index = 1, i;
  func_type_t** link = &func_types;
  func_type_t* candidate = malloc(sizeof(func_type_t) + count);
  va_list args;
  if (!candidate)
    wasm_rt_trap(WASM_RT_TRAP_HOST_OOM);
  candidate->next = NULL;
  candidate->params = params;
  candidate->results = results;
  va_start(args, results);
  for (i = 0; i < count; i++)
    candidate->types[i] = (uint8_t)va_arg(args, int);
  va_end(args);
  for (; *link; link = &(*link)->next, index++) {
    func_type_t* known = *link;
    if (known->params == params && known->results == results && !memcmp(known->types, candidate->types, count)) {
      free(candidate);
      return index;
    }
  }
  *link = candidate;
  return index;
}

void wasm_rt_allocate_memory(wasm_rt_memory_t* memory, uint32_t initial_pages, uint32_t max_pages) {
  uint32_t bytes;
  memory->data = NULL;
  memory->pages = 0;
  memory->max_pages = max_pages;
  memory->size = 0;
  if (initial_pages > 0xffffu) /* the byte count would not fit 32 bits */
    wasm_rt_trap(WASM_RT_TRAP_HOST_OOM);
  bytes = initial_pages * WASM_PAGE_BYTES;
  if (bytes) {
    memory->data = calloc(bytes, 1);
    if (!memory->data)
      wasm_rt_trap(WASM_RT_TRAP_HOST_OOM);
  }
  memory->pages = initial_pages;
  memory->size = bytes;
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t* memory, uint32_t pages) {
  /* memory.grow 0 is how a module asks for the size; anything more is refused. */
  return pages == 0 ? memory->pages : UINT32_MAX;
}

void wasm_rt_free_memory(wasm_rt_memory_t* memory) {
  free(memory->data);
  memory->data = NULL;
  memory->pages = memory->size = 0;
}

void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t* table, uint32_t elements, uint32_t max_elements) {
  table->data = NULL;
  table->size = 0;
  table->max_size = max_elements;
  if (elements) {
    table->data = calloc(elements, sizeof(wasm_rt_funcref_t));
    if (!table->data)
      wasm_rt_trap(WASM_RT_TRAP_HOST_OOM);
  }
  table->size = elements;
}

void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t* table) {
  free(table->data);
  table->data = NULL;
  table->size = 0;
}
