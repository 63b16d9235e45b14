// Ed25519 (RFC 8032, pure variant, no context): public key from a 32-byte seed, signing, and
// verification with the same strictness as @noble/curves' ed25519.verify(..., {zip215: false}):
// canonical S < L, canonical encodings of A and R (y < p, no "negative zero" x), A not of small
// order, and the cofactored equation [8][S]B = [8]R + [8][k]A.
//
// Signing keys are expanded once: the last two seeds' clamped scalar, prefix and public key are
// cached (a gateway signs every packet with the same key or session key).
import { ERR_NON_CANONICAL } from "../errors";
import { SHA512_CONTEXT_SIZE, sha512Start, sha512Feed, sha512Finish } from "./sha512";
import { scReduce, scMulAdd, scIsCanonical } from "./scalar25519";
import {
  POINT_SIZE, CACHED_SIZE, geFromBytes, geToBytes, geToCached, geAddCached, geDouble,
  geIsIdentity, geIsSmallOrder, geScalarMultBase, geDoubleScalarMultVartime,
} from "./edwards25519";

const HASH_CTX: usize = memory.data(SHA512_CONTEXT_SIZE, 8);
const DIGEST: usize = memory.data(64, 8);

// Key cache: two slots of seed | clamped scalar a | prefix | public key A.
const SLOT_SIZE: usize = 128;
const SLOT_SEED: usize = 0;
const SLOT_SCALAR: usize = 32;
const SLOT_PREFIX: usize = 64;
const SLOT_PUBLIC: usize = 96;
const SLOTS: usize = memory.data(2 * <i32>SLOT_SIZE, 8);
let slotsFilled: u32 = 0; // bit s set when slot s holds a key
let lastUsed: u32 = 0; //    the slot used most recently; the other one is replaced first

const POINT: usize = memory.data(POINT_SIZE, 8);

function sameSeed(slot: usize, seed: usize): bool {
  // Whole-seed comparison without an early exit.
  const diff =
    (load<u64>(slot, 0) ^ load<u64>(seed, 0)) | (load<u64>(slot, 8) ^ load<u64>(seed, 8)) |
    (load<u64>(slot, 16) ^ load<u64>(seed, 16)) | (load<u64>(slot, 24) ^ load<u64>(seed, 24));
  return diff == 0;
}

/** The cache slot holding the expansion of the 32-byte seed, computed on a miss. */
function expandedKey(seed: usize): usize {
  for (let s: u32 = 0; s < 2; s++) {
    const slot = SLOTS + <usize>s * SLOT_SIZE;
    if ((slotsFilled & (1 << s)) != 0 && sameSeed(slot + SLOT_SEED, seed)) {
      lastUsed = s;
      return slot;
    }
  }
  const victim: u32 = (slotsFilled & 1) == 0 ? 0 : lastUsed ^ 1;
  const slot = SLOTS + <usize>victim * SLOT_SIZE;
  sha512Start(HASH_CTX);
  sha512Feed(HASH_CTX, seed, 32);
  sha512Finish(HASH_CTX, DIGEST);
  // a = the first half with bits 0-2 and 255 cleared and bit 254 set; prefix = the second half.
  memory.copy(slot + SLOT_SCALAR, DIGEST, 32);
  store<u8>(slot + SLOT_SCALAR, load<u8>(slot + SLOT_SCALAR) & 0xf8);
  store<u8>(slot + SLOT_SCALAR + 31, (load<u8>(slot + SLOT_SCALAR + 31) & 0x7f) | 0x40);
  memory.copy(slot + SLOT_PREFIX, DIGEST + 32, 32);
  geScalarMultBase(POINT, slot + SLOT_SCALAR);
  geToBytes(slot + SLOT_PUBLIC, POINT);
  memory.copy(slot + SLOT_SEED, seed, 32);
  slotsFilled |= 1 << victim;
  lastUsed = victim;
  return slot;
}

/** Writes the 32-byte public key of a 32-byte seed. */
export function ed25519PublicKey(seed: usize, out: usize): void {
  memory.copy(out, expandedKey(seed) + SLOT_PUBLIC, 32);
}

const NONCE: usize = memory.data(32, 8);
const R_BYTES: usize = memory.data(32, 8);
const CHALLENGE: usize = memory.data(32, 8);
const S_BYTES: usize = memory.data(32, 8);

/** SHA-512(a || b || msg) reduced mod L into `out`. */
function hashToScalar(out: usize, a: usize, aLen: usize, b: usize, bLen: usize, msg: usize, len: usize): void {
  sha512Start(HASH_CTX);
  sha512Feed(HASH_CTX, a, aLen);
  sha512Feed(HASH_CTX, b, bLen);
  sha512Feed(HASH_CTX, msg, len);
  sha512Finish(HASH_CTX, DIGEST);
  scReduce(out, DIGEST);
}

/** Writes the 64-byte signature R || S of `len` bytes at `msg`. `sig` may overlap the message. */
export function ed25519Sign(seed: usize, msg: usize, len: usize, sig: usize): void {
  const key = expandedKey(seed);
  hashToScalar(NONCE, key + SLOT_PREFIX, 32, 0, 0, msg, len); //             r = H(prefix || M)
  geScalarMultBase(POINT, NONCE);
  geToBytes(R_BYTES, POINT); //                                            R = rB
  hashToScalar(CHALLENGE, R_BYTES, 32, key + SLOT_PUBLIC, 32, msg, len); // k = H(R || A || M)
  scMulAdd(S_BYTES, CHALLENGE, key + SLOT_SCALAR, NONCE); //               S = k a + r
  memory.copy(sig, R_BYTES, 32);
  memory.copy(sig + 32, S_BYTES, 32);
}

const A_POINT: usize = memory.data(POINT_SIZE, 8);
const R_POINT: usize = memory.data(POINT_SIZE, 8);
const R_CACHED: usize = memory.data(CACHED_SIZE, 8);

/**
 * Verifies the 64-byte signature `sig` of `len` bytes at `msg` under the 32-byte public key.
 * Returns 1 (valid), 0 (invalid, including a small-order A), ERR_NON_CANONICAL (S >= L, or A or
 * R encoded with y >= p or as x = 0 with the sign bit set) or ERR_BAD_POINT (A or R not on the
 * curve). Checks run in that order: S, then A, then R.
 */
export function ed25519Verify(pub: usize, msg: usize, len: usize, sig: usize): i32 {
  const s = sig + 32;
  if (!scIsCanonical(s)) return ERR_NON_CANONICAL;
  let rc = geFromBytes(A_POINT, pub);
  if (rc < 0) return rc;
  rc = geFromBytes(R_POINT, sig);
  if (rc < 0) return rc;
  if (geIsSmallOrder(A_POINT)) return 0;
  hashToScalar(CHALLENGE, sig, 32, pub, 32, msg, len);
  geDoubleScalarMultVartime(POINT, s, CHALLENGE, A_POINT); // SB - kA
  geToCached(R_CACHED, R_POINT);
  geAddCached(POINT, POINT, R_CACHED, true, false); //           SB - kA - R
  geDouble(POINT, POINT, false);
  geDouble(POINT, POINT, false);
  geDouble(POINT, POINT, false);
  return geIsIdentity(POINT) ? 1 : 0;
}
