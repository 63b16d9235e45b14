/*
 * The XS machine's memory use after a full garbage collection, read from the machine's own counters
 * (XS internals; host.c turns them into native("xs_host_memory")() for bench/memory.ts).
 */
#include "xsAll.h"

void host_memory_counts(txMachine* the, long counts[5]) {
  fxCollectGarbage(the);
  counts[0] = (long)the->currentChunksSize;
  counts[1] = (long)the->peakChunksSize;
  counts[2] = (long)the->currentHeapCount;
  counts[3] = (long)the->peakHeapCount;
  counts[4] = (long)sizeof(txSlot);
}
