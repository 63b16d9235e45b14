/*
 * xs_hw_random(buffer) on a Linux desktop (the Moddable simulator, targets/sim): fills a buffer from
 * the kernel's random number generator (getrandom(2), blocking until it is seeded), where the ESP32
 * build uses its hardware generator (native/hw_random.c).
 */
#include "xsmc.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

void xs_hw_random(xsMachine* the) {
  void* data;
  xsUnsignedValue count;
  xsUnsignedValue done = 0;
  xsmcGetBufferWritable(xsArg(0), &data, &count);
  while (done < count) {
    ssize_t n = getrandom((char*)data + done, count - done, 0);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      xsUnknownError("getrandom failed: %s", strerror(errno));
    }
    done += (xsUnsignedValue)n;
  }
}
