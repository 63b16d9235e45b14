/*
 * xs_sim_environment(name): the value of the environment variable HOTSPOT_SIM_<name>, or undefined.
 * `npm start -- --moddable` hands the simulated hotspot its run-time settings this way (the store's
 * directory, the dashboard's port, the radio bridge's port); mcsim loads the firmware into its own
 * process, so the firmware sees mcsim's environment.
 */
#include "xsmc.h"

#include <stdio.h>
#include <stdlib.h>

void xs_sim_environment(xsMachine* the) {
  char name[64];
  const char* value;
  snprintf(name, sizeof(name), "HOTSPOT_SIM_%s", xsmcToString(xsArg(0)));
  value = getenv(name);
  if (value != NULL)
    xsmcSetString(xsResult, (char*)value);
}
