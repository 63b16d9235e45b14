/*
 * Host implementations of the "env" imports an AssemblyScript module may have. tools/gen-native.ts
 * refuses any other import, so a new one fails the build with a clear message instead of a link error.
 */
#include <stdint.h>

#include "wasm-rt.h"

struct Z_env_instance_t;

/* AssemblyScript's abort(message, file, line, column): a failed assertion or an unrecoverable
   runtime error. The core must never reach it on any input; if it does, it becomes a trap. */
void Z_envZ_abort(struct Z_env_instance_t* env, uint32_t message, uint32_t file, uint32_t line, uint32_t column) {
  (void)env;
  (void)message;
  (void)file;
  (void)line;
  (void)column;
  wasm_rt_trap(WASM_RT_TRAP_ABORT);
}
