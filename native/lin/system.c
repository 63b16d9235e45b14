/*
 * The chip-level calls of native/system.c on a Linux desktop (the Moddable simulator, targets/sim).
 * xs_device_restart() ends the simulator process with status 75 (`npm start -- --moddable` names it
 * in its log; nothing on the desktop path asks for a restart);
 * xs_device_free_memory() reports the desktop's free memory in bytes (there is no heap of a chip to
 * report).
 */
#include "xsmc.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define EXIT_RESTART 75

void xs_device_restart(xsMachine* the) {
  (void)the;
  fflush(stdout);
  exit(EXIT_RESTART);
}

void xs_device_free_memory(xsMachine* the) {
  double bytes = (double)sysconf(_SC_AVPHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
  xsmcSetNumber(xsResult, bytes);
}
