/* Stub for the Xtensa smoke check: Moddable's message post from an ISR to the JS task
   (xs/platforms/esp/xsHost.h). */
#pragma once
#include <stdint.h>
#include "xs.h"
typedef void (*modMessageDeliver)(void* the, void* refcon, uint8_t* message, uint16_t messageLength);
int modMessagePostToMachineFromISR(xsMachine* the, modMessageDeliver callback, void* refcon);
