/*
 * The desktop process the Moddable simulator's board runs in (mcsim loads the firmware into its own
 * process, so the firmware sees mcsim's environment and standard output):
 *
 * xs_sim_environment(name): the value of the environment variable HOTSPOT_SIM_<name>, or undefined.
 * `npm start -- --moddable` hands the simulated hotspot its run-time settings this way (the store's
 * directory, the radio bridge's port, the dashboard's port).
 *
 * xs_sim_heap(): the XS machine's live memory after a full garbage collection, as
 * [slots, chunk bytes, slot capacity, chunk capacity]: what the fixed pools of the board's
 * `creation` must hold between two turns (the simulator records the largest).
 *
 * When mcsim loads the firmware: trace() goes to stdout, line-buffered so that the simulator reads
 * each console line as it is written; and the board loses power with the process that started it
 * (npm start), so no mcsim outlives a simulator that crashed.
 */
#include "xsAll.h"
#include "xsmc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

__attribute__((constructor)) static void simulated_board(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() == 1)
    raise(SIGTERM);
}

void xs_sim_environment(xsMachine* the) {
  char name[64];
  const char* value;
  snprintf(name, sizeof(name), "HOTSPOT_SIM_%s", xsmcToString(xsArg(0)));
  value = getenv(name);
  if (value != NULL)
    xsmcSetString(xsResult, (char*)value);
}

void xs_sim_heap(xsMachine* the) {
  xsIntegerValue counts[4];
  int i;
  xsCollectGarbage();
  counts[0] = (xsIntegerValue)the->currentHeapCount;
  counts[1] = (xsIntegerValue)the->currentChunksSize;
  counts[2] = (xsIntegerValue)the->maximumHeapCount;
  counts[3] = (xsIntegerValue)the->maximumChunksSize;
  xsmcVars(1);
  xsResult = xsmcNewArray(4);
  for (i = 0; i < 4; i++) {
    xsmcSetInteger(xsVar(0), counts[i]);
    xsmcSetIndex(xsResult, i, xsVar(0));
  }
}
