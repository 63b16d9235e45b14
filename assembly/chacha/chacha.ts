// ChaCha as rand_chacha 0.3.1 streams it: `ChaCha{8,12,20}Rng::from_seed(key)` with the original
// (Bernstein) layout — 64-bit block counter in words 12-13 starting at 0, 64-bit stream id 0 in
// words 14-15 — and `next_u32` returning the keystream as little-endian words in block order.
// rand_core's BlockRng refills four blocks at a time; because the blocks are consecutive, buffering
// one block at a time yields the identical word sequence, so one block (64 bytes) is kept here.
// One generator at a time: module-level state, no allocation.

const KEY: usize = memory.data(32, 4); // key words 0-7 as given (little-endian)
const STATE: usize = memory.data(64, 4); // working state of the block being computed
const BLOCK: usize = memory.data(64, 4); // keystream words of the current block

let doubleRounds: i32 = 6;
let counter: u64 = 0;
let index: i32 = 16; // next word of BLOCK to return; 16 = empty

/** Rounds a generator may use: ChaCha8, ChaCha12 (StdRng), ChaCha20. */
export function chachaRoundsValid(rounds: i32): bool {
  return rounds == 8 || rounds == 12 || rounds == 20;
}

/** Starts a stream: `from_seed(seed)`, counter 0, stream 0. `rounds` must pass chachaRoundsValid. */
export function chachaSeed(rounds: i32, seedPtr: usize): void {
  memory.copy(KEY, seedPtr, 32);
  doubleRounds = rounds >> 1;
  counter = 0;
  index = 16;
}

/** The next 32-bit word of the stream (`RngCore::next_u32`). */
export function chachaNextU32(): u32 {
  if (index >= 16) {
    refill();
    index = 0;
  }
  const word = load<u32>(BLOCK + (<usize>index << 2));
  index++;
  return word;
}

@inline
function quarterRound(a: usize, b: usize, c: usize, d: usize): void {
  const pa = STATE + (a << 2);
  const pb = STATE + (b << 2);
  const pc = STATE + (c << 2);
  const pd = STATE + (d << 2);
  let va = load<u32>(pa);
  let vb = load<u32>(pb);
  let vc = load<u32>(pc);
  let vd = load<u32>(pd);
  va += vb; vd = rotl<u32>(vd ^ va, 16);
  vc += vd; vb = rotl<u32>(vb ^ vc, 12);
  va += vb; vd = rotl<u32>(vd ^ va, 8);
  vc += vd; vb = rotl<u32>(vb ^ vc, 7);
  store<u32>(pa, va);
  store<u32>(pb, vb);
  store<u32>(pc, vc);
  store<u32>(pd, vd);
}

/** Initial state for the current counter: constants, key, counter (lo, hi), stream 0. */
function initialWord(i: usize): u32 {
  if (i == 0) return 0x61707865;
  if (i == 1) return 0x3320646e;
  if (i == 2) return 0x79622d32;
  if (i == 3) return 0x6b206574;
  if (i < 12) return load<u32>(KEY + ((i - 4) << 2));
  if (i == 12) return <u32>counter;
  if (i == 13) return <u32>(counter >> 32);
  return 0;
}

function refill(): void {
  for (let i: usize = 0; i < 16; i++) store<u32>(STATE + (i << 2), initialWord(i));
  for (let r = 0; r < doubleRounds; r++) {
    quarterRound(0, 4, 8, 12);
    quarterRound(1, 5, 9, 13);
    quarterRound(2, 6, 10, 14);
    quarterRound(3, 7, 11, 15);
    quarterRound(0, 5, 10, 15);
    quarterRound(1, 6, 11, 12);
    quarterRound(2, 7, 8, 13);
    quarterRound(3, 4, 9, 14);
  }
  for (let i: usize = 0; i < 16; i++) {
    store<u32>(BLOCK + (i << 2), load<u32>(STATE + (i << 2)) + initialWord(i));
  }
  counter++; // wraps at 2^64 like rand_chacha's 64-bit counter
}
