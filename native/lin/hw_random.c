/*
 * native/hw_random.c's calls on a Linux desktop (the Moddable simulator, targets/sim): both fill the
 * buffer from the kernel's random number generator (getrandom(2), which blocks until it is seeded).
 * The ESP32 build needs two (its generator is truly random only while an entropy source is on); the
 * kernel's generator has its sources on all the time, so xs_hw_random_entropy() is the same call.
 */
#include "xsmc.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

static void fill_random(xsMachine* the) {
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

void xs_hw_random(xsMachine* the) {
  fill_random(the);
}

void xs_hw_random_entropy(xsMachine* the) {
  fill_random(the);
}
