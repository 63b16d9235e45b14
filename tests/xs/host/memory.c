/*
 * Memory accounting and the preload emulation for the XS test host (XS internals; host.c uses
 * them for native("xs_host_memory")() and `xshost --preload`).
 */
#include "xsAll.h"

/* The machine's memory use after a full garbage collection, from its own counters: chunk bytes
   (current, peak), slots (current, peak), the size of one slot, the keys (property names and
   symbols) this machine created itself (a clone's keys start after the shared machine's), and
   the alias pointers a clone keeps for the shared machine's mutable objects and variables. */
void host_memory_counts(txMachine* the, long counts[7]) {
  fxCollectGarbage(the);
  counts[0] = (long)the->currentChunksSize;
  counts[1] = (long)the->peakChunksSize;
  counts[2] = (long)the->currentHeapCount;
  counts[3] = (long)the->peakHeapCount;
  counts[4] = (long)sizeof(txSlot);
  counts[5] = (long)(the->keyIndex - the->keyOffset);
  counts[6] = (long)the->aliasCount;
}

/* What the Moddable linker (xsl) does to preloaded objects before writing them to flash: every
   function, class constructors included, is frozen, so only mutable objects and `let` variables
   need an alias pointer in RAM; and the contents of maps, sets, weak collections, array buffers
   and dates become read-only (changing them at run time throws, e.g. "Map instance is
   read-only"), since an alias copies an object's properties but not those contents. */
void host_prepare_like_linker(txMachine* the) {
  txSlot *heap, *slot, *limit, *property;
  fxCollectGarbage(the);
  for (heap = the->firstHeap; heap; heap = heap->next) {
    limit = heap->value.reference;
    for (slot = heap + 1; slot < limit; slot++) {
      if (slot->kind != XS_INSTANCE_KIND)
        continue;
      for (property = slot->next; property && (property->flag & XS_INTERNAL_FLAG); property = property->next) {
        switch (property->kind) {
        case XS_ARRAY_BUFFER_KIND:
        case XS_DATE_KIND:
        case XS_MAP_KIND:
        case XS_SET_KIND:
        case XS_WEAK_MAP_KIND:
        case XS_WEAK_SET_KIND:
          property->flag |= XS_DONT_SET_FLAG;
          break;
        }
      }
      if (!mxIsFunction(slot))
        continue;
      for (property = slot->next; property; property = property->next) {
        if (property->kind != XS_ACCESSOR_KIND)
          property->flag |= XS_DONT_SET_FLAG;
        property->flag |= XS_DONT_DELETE_FLAG;
      }
      slot->flag |= XS_DONT_PATCH_FLAG;
    }
  }
}

/* BigInts stored as items of preloaded arrays: the Moddable SDK's preload linker cannot take them.
   xsl (8.2.3, xs/tools/xslSlot.c fxPrepareHeap) sizes its BigInt data from heap slots only, while
   array items live in the array's chunk; writing them then overflows that buffer and xsl aborts
   ("munmap_chunk(): invalid pointer" or a segmentation fault). Returns how many there are. */
long host_preloaded_array_bigints(txMachine* the) {
  txSlot *heap, *slot, *limit, *item;
  long count = 0;
  txIndex length;
  fxCollectGarbage(the);
  for (heap = the->firstHeap; heap; heap = heap->next) {
    limit = heap->value.reference;
    for (slot = heap + 1; slot < limit; slot++) {
      if ((slot->kind != XS_ARRAY_KIND) || !(item = slot->value.array.address))
        continue;
      for (length = fxGetIndexSize(the, slot); length > 0; length--, item++) {
        if ((item->kind == XS_BIGINT_KIND) || (item->kind == XS_BIGINT_X_KIND))
          count++;
      }
    }
  }
  return count;
}

/* RegExp objects made while preloading: the Moddable SDK's XS cannot run them once they are in flash.
   xsl leaves a preloaded RegExp without its match buffer, so every exec makes one
   (8.2.3, xs/sources/xsre.c fxAllocateRegExpData): it allocates a chunk and then, for want of an
   `else`, a c_malloc block in its place. That block is never freed (a leak per exec), and a
   garbage collection during the exec marks and relocates it as if it were a chunk, writing into
   the allocator's header and leaving a wild pointer (mcsim crashed with SIGSEGV in
   fx_RegExp_prototype_exec). Returns how many there are. */
long host_preloaded_regexps(txMachine* the) {
  txSlot *heap, *slot, *limit;
  long count = 0;
  fxCollectGarbage(the);
  for (heap = the->firstHeap; heap; heap = heap->next) {
    limit = heap->value.reference;
    for (slot = heap + 1; slot < limit; slot++) {
      if ((slot->kind == XS_INSTANCE_KIND) && slot->next && (slot->next->flag & XS_INTERNAL_FLAG) && (slot->next->kind == XS_REGEXP_KIND))
        count++;
    }
  }
  return count;
}

/* A clone's garbage collector marks and relocates every chunk its slots point to, including the
   shared machine's (a string copied out of a preloaded table, for instance), and it reads where a
   chunk moves to from the chunk's header, where the shared machine keeps the link to its next
   chunk. On the device those chunks are in flash and never move; here each one is pinned by
   clearing that link, which the shared machine no longer needs (it never collects again). */
static void pin_chunks(txMachine* the) {
  txBlock* block;
  txByte *chunk, *next;
  for (block = the->firstBlock; block; block = block->nextBlock) {
    for (chunk = (txByte*)block + sizeof(txBlock); chunk < block->current; chunk = next) {
      next = ((txChunk*)chunk)->temporary;
      ((txChunk*)chunk)->temporary = C_NULL;
    }
  }
}

/* Shares a machine the way the device's preparation is shared: everything it holds becomes
   read-only for its clones; returns how many alias pointers a clone needs. */
long host_share(txMachine* the) {
  host_prepare_like_linker(the);
  fxShareMachine(the);
  pin_chunks(the);
  return (long)the->aliasCount;
}
