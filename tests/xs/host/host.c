/*
 * xshost: the XS test host. The real XS engine (the sources @agoric/xsnap ships, with xsnap's Linux
 * platform layer) plus the same native C the device links (the wasm2c core and its xsmc binding),
 * with the radio helpers on a fake ESP32 (esp_fake.c), and the few Moddable-like globals the
 * firmware's code and our tests need:
 *
 *   native(name)        returns the host function registered under `name` (on the device, xsc
 *                       binds native("...") to the C function of that name at link time)
 *   trace(...values)    writes the values to stdout (Moddable's trace: no newline added)
 *   print(...values)    writes the values separated by spaces, and a newline
 *   __xshost.micros()   monotonic microseconds (float64)
 *   __xshost.wake(ms)   arms the single host wake-up: after `ms` milliseconds the event loop calls
 *                       __xshost.onWake(); a negative `ms` disarms it. tests/xs/shims/timer.ts builds
 *                       Moddable's Timer on this.
 *
 * Usage: xshost [--stack slots] [--preload list.txt [--budget slots,chunkBytes,stackSlots]] module.js
 * Runs the module and the event loop until no promise job and no wake-up is pending. With
 * --preload, the modules listed are first run in a build machine that is then shared, and the
 * module runs in a clone of it: the device's preload (see clone_after_preload). --budget gives the
 * clone fixed pools, as a device's `creation` does; --stack gives any run the device's stack. Exit status: 0, or 1 when an error escaped (uncaught exception, unhandled rejection,
 * rejected module; each printed to stderr as "uncaught: ..."), or 2 on a fatal engine condition
 * (memory full, stack overflow...).
 */
#include "xs.h"

#include <time.h>

/* XS internals and xsnap's platform layer, which xs.h does not declare. */
extern void fxRunModuleFile(xsMachine* the, char* path);
extern void fxRunPromiseJobs(xsMachine* the);
extern void fxEndJob(xsMachine* the);
extern void fxCheckUnhandledRejections(xsMachine* the, xsBooleanValue atExit);
extern void fxInitializeSharedCluster(void);
extern void fxTerminateSharedCluster(void);

extern void xs_core_instantiate(xsMachine* the);
extern void xs_probe_instantiate(xsMachine* the);
extern void xs_radio_micros(xsMachine* the);
extern void xs_radio_dio1_open(xsMachine* the);
extern void xs_radio_dio1_read(xsMachine* the);
extern void xs_radio_dio1_close(xsMachine* the);
extern void xs_radio_wait_until(xsMachine* the);
extern void xs_hw_random(xsMachine* the);
extern void xs_hw_random_entropy(xsMachine* the);
extern void xs_fake_entropy_log(xsMachine* the);
extern void xs_device_restart(xsMachine* the);
extern void xs_device_free_memory(xsMachine* the);
extern void xs_fake_restarts(xsMachine* the);
extern void xs_fake_gpio_edge(xsMachine* the);
extern void xs_fake_gpio_level(xsMachine* the);
extern void host_memory_counts(xsMachine* the, long counts[7]); /* memory.c */
extern long host_share(xsMachine* the);                         /* memory.c */
extern long host_preloaded_array_bigints(xsMachine* the);       /* memory.c */
extern long host_preloaded_regexps(xsMachine* the);             /* memory.c */
extern int esp_fake_deliver(void); /* esp_fake.c: interrupt messages posted to the JS task */
static void xs_host_memory(xsMachine* the);

typedef struct {
  const char* name;
  xsCallback callback;
} host_native_t;

/* What native() can return: the device's host functions (the radio's on a fake ESP32, esp_fake.c)
   and the test-only ones. */
static const host_native_t natives[] = {
    {"xs_core_instantiate", xs_core_instantiate},
    {"xs_radio_micros", xs_radio_micros},
    {"xs_radio_dio1_open", xs_radio_dio1_open},
    {"xs_radio_dio1_read", xs_radio_dio1_read},
    {"xs_radio_dio1_close", xs_radio_dio1_close},
    {"xs_radio_wait_until", xs_radio_wait_until},
    {"xs_hw_random", xs_hw_random},
    {"xs_hw_random_entropy", xs_hw_random_entropy},
    {"xs_fake_entropy_log", xs_fake_entropy_log},
    {"xs_device_restart", xs_device_restart},
    {"xs_device_free_memory", xs_device_free_memory},
    {"xs_fake_restarts", xs_fake_restarts},
    {"xs_probe_instantiate", xs_probe_instantiate},
    {"xs_fake_gpio_edge", xs_fake_gpio_edge},
    {"xs_fake_gpio_level", xs_fake_gpio_level},
    {"xs_host_memory", xs_host_memory},
};

static int uncaught;
/* The module being preloaded (--preload), while it is. */
static const char* preloading;
static int wake_armed;
static double wake_at_ms;

static double monotonic_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6;
}

static void report_uncaught(xsMachine* the, const char* kind) {
  uncaught++;
  fprintf(stderr, "uncaught: %s: ", kind);
  xsTry {
    fprintf(stderr, "%s\n", xsToString(xsException));
  }
  xsCatch {
    fprintf(stderr, "(unprintable)\n");
  }
  xsException = xsUndefined;
}

/* Replaces xsnap's fxAbort (renamed when its platform file is compiled, see the Makefile). */
void fxAbort(xsMachine* the, int status) {
  switch (status) {
    case xsUnhandledExceptionExit:
      report_uncaught(the, "exception");
      return;
    case xsUnhandledRejectionExit:
      report_uncaught(the, "unhandled rejection");
      return;
    default:
      fflush(stdout);
      fprintf(stderr, "uncaught: fatal XS condition %d (%s)\n", status,
              status == xsNotEnoughMemoryExit ? "memory full"
              : status == xsStackOverflowExit ? "stack overflow"
              : status == xsNoMoreKeysExit    ? "not enough keys"
                                              : "engine abort");
      exit(2);
  }
}

static void write_values(xsMachine* the, const char* separator, const char* end) {
  xsIntegerValue i, count = xsToInteger(xsArgc);
  for (i = 0; i < count; i++) {
    if (i)
      fputs(separator, stdout);
    fputs(xsToString(xsArg(i)), stdout);
  }
  fputs(end, stdout);
  fflush(stdout);
}

static void xs_trace(xsMachine* the) {
  write_values(the, "", "");
}

static void xs_print(xsMachine* the) {
  write_values(the, " ", "\n");
}

static void xs_native(xsMachine* the) {
  const char* name = xsToString(xsArg(0));
  size_t i;
  for (i = 0; i < sizeof(natives) / sizeof(natives[0]); i++) {
    if (!strcmp(natives[i].name, name)) {
      xsResult = xsNewHostFunction(natives[i].callback, 0);
      return;
    }
  }
  xsReferenceError("native: no host function named %s in the XS test host", name);
}

/* Alias pointers the engine's own objects need once shared (the device freezes its built-ins, so
   they need none there); --preload subtracts them from the preloaded modules' count. */
static long builtin_aliases;

/* native("xs_host_memory")(): {chunkBytes, chunkPeakBytes, slots, slotPeak, slotBytes, keys,
   aliases} after a full garbage collection. Chunks hold strings, buffers and code; slots are the
   cells of objects and values; keys are the property names this machine created; aliases are the
   RAM pointers kept for preloaded objects and variables (--preload only). Counts compare with a
   device's `creation` sizes; bytes do not (a slot is 32 bytes here, 16 on the ESP32). */
static void xs_host_memory(xsMachine* the) {
  static const char* names[7] = {"chunkBytes", "chunkPeakBytes", "slots", "slotPeak", "slotBytes", "keys", "aliases"};
  long counts[7];
  int i;
  host_memory_counts(the, counts);
  if (counts[6] > 0)
    counts[6] -= builtin_aliases;
  xsVars(1);
  xsResult = xsNewObject();
  for (i = 0; i < 7; i++) {
    xsVar(0) = xsNumber((double)counts[i]);
    xsSet(xsResult, xsID(names[i]), xsVar(0));
  }
}

static void xs_micros(xsMachine* the) {
  xsResult = xsNumber(monotonic_ms() * 1000.0);
}

static void xs_wake(xsMachine* the) {
  double ms = xsToNumber(xsArg(0));
  wake_armed = ms >= 0;
  wake_at_ms = monotonic_ms() + (ms > 0 ? ms : 0);
}

static void define_globals(xsMachine* the) {
  xsVars(2);
  xsVar(0) = xsNewHostFunction(xs_trace, 0);
  xsDefine(xsGlobal, xsID("trace"), xsVar(0), xsDontEnum);
  xsVar(0) = xsNewHostFunction(xs_print, 0);
  xsDefine(xsGlobal, xsID("print"), xsVar(0), xsDontEnum);
  xsVar(0) = xsNewHostFunction(xs_native, 1);
  xsDefine(xsGlobal, xsID("native"), xsVar(0), xsDontEnum);
  xsVar(0) = xsNewObject();
  xsVar(1) = xsNewHostFunction(xs_micros, 0);
  xsDefine(xsVar(0), xsID("micros"), xsVar(1), xsDontEnum);
  xsVar(1) = xsNewHostFunction(xs_wake, 1);
  xsDefine(xsVar(0), xsID("wake"), xsVar(1), xsDontEnum);
  xsDefine(xsGlobal, xsID("__xshost"), xsVar(0), xsDontEnum);
}

/* Promise jobs first, then interrupt messages, then the wake-up (sleeping until it is due), until
   nothing is pending. */
static void run_loop(xsMachine* machine) {
  for (;;) {
    while (machine->promiseJobs) {
      machine->promiseJobs = 0;
      fxRunPromiseJobs(machine);
    }
    fxEndJob(machine);
    if (machine->promiseJobs || esp_fake_deliver())
      continue;
    if (!wake_armed)
      break;
    if (preloading) {
      fprintf(stderr, "uncaught: preloading %s armed a timer (a preloaded module must not start anything)\n", preloading);
      uncaught++;
      wake_armed = 0;
      break;
    }
    {
      double wait = wake_at_ms - monotonic_ms();
      if (wait > 0) {
        struct timespec pause = {(time_t)(wait / 1000.0), (long)(fmod(wait, 1000.0) * 1e6)};
        nanosleep(&pause, NULL);
        continue;
      }
    }
    wake_armed = 0;
    xsBeginHost(machine);
    {
      xsVars(1);
      xsVar(0) = xsGet(xsGlobal, xsID("__xshost"));
      xsCall0(xsVar(0), xsID("onWake"));
    }
    xsEndHost(machine);
  }
  fxCheckUnhandledRejections(machine, 1);
}

/* Runs one module in `machine` and its event loop; failures are counted in `uncaught`. */
static void run_module_file(xsMachine* machine, const char* path) {
  xsBeginHost(machine);
  {
    fxRunModuleFile(the, (char*)path);
  }
  xsEndHost(machine);
  run_loop(machine);
  xsBeginHost(machine);
  {
    /* xsnap's module loader leaves a rejected module's reason in the exception slot. */
    if (xsTypeOf(xsException) != xsUndefinedType)
      report_uncaught(the, "module rejected");
  }
  xsEndHost(machine);
}

/* The device's preload, emulated: a build machine runs every module listed in `list_path` (one
   path per line), its functions are frozen and it is shared, as the Moddable linker does before
   writing the heap to flash; the machine that runs the firmware is a clone that reads those
   modules, their classes and tables from the shared heap (flash on the device) and keeps in its
   own heap, sized by `runtime`, only what it creates or changes (RAM). Returns the clone, or NULL
   when preloading failed. *build receives the shared machine (delete it after the clone). */
static xsMachine* clone_after_preload(xsCreation* creation, xsCreation* runtime, const char* list_path, xsMachine** build) {
  char line[C_PATH_MAX], path[C_PATH_MAX];
  xsMachine* baseline;
  xsMachine* machine;
  FILE* list = fopen(list_path, "r");
  if (!list) {
    fprintf(stderr, "xshost: cannot read the preload list %s\n", list_path);
    return NULL;
  }
  baseline = xsCreateMachine(creation, "baseline", NULL);
  builtin_aliases = host_share(baseline);
  xsDeleteMachine(baseline);

  machine = xsCreateMachine(creation, "preload", NULL);
  xsBeginHost(machine);
  {
    define_globals(the);
  }
  xsEndHost(machine);
  while (fgets(line, sizeof(line), list)) {
    line[strcspn(line, "\r\n")] = 0;
    if (!line[0])
      continue;
    if (!realpath(line, path)) {
      fprintf(stderr, "xshost: cannot find preloaded module %s\n", line);
      uncaught++;
      break;
    }
    preloading = path;
    run_module_file(machine, path);
    preloading = NULL;
    if (uncaught)
      break;
  }
  fclose(list);
  if (!uncaught && host_preloaded_array_bigints(machine) > 0) {
    fprintf(stderr, "uncaught: %ld BigInt(s) inside preloaded arrays: the Moddable SDK's preload linker (xsl) overflows its heap on these; build them at run time\n", host_preloaded_array_bigints(machine));
    uncaught++;
  }
  if (!uncaught && host_preloaded_regexps(machine) > 0) {
    fprintf(stderr, "uncaught: %ld RegExp object(s) made while preloading: the Moddable SDK's XS leaks memory and crashes when it runs a preloaded RegExp (xsre.c fxAllocateRegExpData); make the pattern inside the function that uses it\n", host_preloaded_regexps(machine));
    uncaught++;
  }
  if (uncaught) {
    xsDeleteMachine(machine);
    return NULL;
  }
  host_share(machine);
  *build = machine;
  /* The clone's global object inherits the build machine's globals (trace, native, __xshost with
     the timer shim's onWake), as the device's runtime inherits the preparation's. */
  return xsCloneMachine(runtime, machine, "xshost", NULL);
}

int main(int argc, char* argv[]) {
  xsCreation creation = {
      .initialChunkSize = 4 * 1024 * 1024,
      .incrementalChunkSize = 1024 * 1024,
      .initialHeapCount = 256 * 1024,
      .incrementalHeapCount = 64 * 1024,
      .stackCount = 4096,
      .initialKeyCount = 8192,
      .incrementalKeyCount = 1024,
      .nameModulo = 1993,
      .symbolModulo = 127,
      .parserBufferSize = 1024 * 1024,
      .parserTableModulo = 1993,
      .staticSize = 0,
  };
  xsCreation runtime;
  xsMachine* machine;
  xsMachine* build = NULL;
  const char* preload = NULL;
  char path[C_PATH_MAX];
  int arg = 1, budget = 0;
  runtime = creation;
  for (; arg < argc - 1; arg += 2) {
    if (!strcmp(argv[arg], "--preload"))
      preload = argv[arg + 1];
    else if (!strcmp(argv[arg], "--stack")) {
      /* The device's stack (a board's creation.stack): deep recursion or a long spread argument list
         is a fatal "stack overflow" there, as here. */
      if (sscanf(argv[arg + 1], "%d", &creation.stackCount) != 1 || creation.stackCount < 64)
        break;
      runtime.stackCount = creation.stackCount;
    }
    else if (!strcmp(argv[arg], "--budget")) {
      /* The device's fixed pools: no growth, so running out is "memory full" (exit 2). */
      if (sscanf(argv[arg + 1], "%d,%d,%d", &runtime.initialHeapCount, &runtime.initialChunkSize, &runtime.stackCount) != 3)
        break;
      runtime.incrementalHeapCount = 0;
      runtime.incrementalChunkSize = 0;
      budget = 1;
    }
    else
      break;
  }
  if (arg != argc - 1 || (budget && !preload)) {
    fprintf(stderr, "usage: xshost [--stack slots] [--preload list.txt [--budget slots,chunkBytes,stackSlots]] module.js\n");
    return 2;
  }
  if (!realpath(argv[argc - 1], path)) {
    fprintf(stderr, "xshost: cannot find %s\n", argv[argc - 1]);
    return 2;
  }
  fxInitializeSharedCluster();
  if (preload) {
    machine = clone_after_preload(&creation, &runtime, preload, &build);
    if (!machine)
      return 1;
  }
  else {
    machine = xsCreateMachine(&creation, "xshost", NULL);
    xsBeginHost(machine);
    {
      define_globals(the);
    }
    xsEndHost(machine);
  }
  run_module_file(machine, path);
  xsDeleteMachine(machine);
  if (build)
    xsDeleteMachine(build);
  fxTerminateSharedCluster();
  fflush(stdout);
  return uncaught ? 1 : 0;
}
