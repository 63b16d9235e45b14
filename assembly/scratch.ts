// The shared scratch region of linear memory. The binding copies inputs into it and reads
// outputs from it; core exports take explicit (ptr, len) pairs that usually point here.
// The whole module lives in one 64 KiB page, so the region is fixed and small.
export const SCRATCH_SIZE: u32 = 16384;
const SCRATCH: usize = memory.data(SCRATCH_SIZE, 16);

export function scratch_ptr(): usize {
  return SCRATCH;
}

export function scratch_size(): u32 {
  return SCRATCH_SIZE;
}
