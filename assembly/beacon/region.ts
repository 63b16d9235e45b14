// Reads `blockchain_region_params_v1` (helium-protocol.md 7.1) the way the beacon crate uses it,
// straight from its protobuf bytes with the shared wire reader: no decoded copy is kept.
//   region_params_v1  { repeated region_param_v1 region_params = 1; }
//   region_param_v1   { uint64 channel_frequency = 1; uint32 bandwidth = 2; uint32 max_eirp = 3;
//                       blockchain_region_spreading_v1 spreading = 4; }
//   spreading         { repeated tagged_spreading tagged_spreading = 1; }
//   tagged_spreading  { RegionSpreading region_spreading = 1; uint32 max_packet_size = 2; }
// As prost decodes it: unknown fields are skipped, a known field with the wrong wire type is an
// error, the last value of a scalar wins, uint32/enum values are the low 32 bits of the varint,
// and a message field given twice is merged (its repeated entries concatenate, in order).
import * as rd from "../proto/reader";
import { ERR_BAD_WIRE_TYPE } from "../errors";

/** Set by scanRegionParams: the number of params and the largest max_eirp (dBm x 10). */
export let paramCount: u32 = 0;
export let maxEirp: u32 = 0;
/** Set by selectSpreading: params[0]'s bandwidth (Hz), whether it has a spreading field, whether
 *  a tagged spreading fits, and the region_spreading value of the first that does. */
export let firstBandwidth: u32 = 0;
export let firstHasSpreading: bool = false;
export let spreadingFound: bool = false;
export let selectedSpreading: i32 = 0;

let messagePtr: usize = 0;
let messageLen: u32 = 0;
let firstStart: usize = 0;
let firstLen: u32 = 0;
let nestedStart: usize = 0;
let nestedLen: u32 = 0;

function expectWire(wireType: i32): bool {
  if (rd.lastWireType == wireType) return true;
  rd.fail(ERR_BAD_WIRE_TYPE);
  return false;
}

/** Enters the length-delimited value just keyed (sets nestedStart/nestedLen); returns the outer limit for rd.leave. */
function enterNested(): usize {
  if (!expectWire(rd.WIRE_LEN)) return 0;
  nestedStart = rd.lengthDelimited();
  nestedLen = rd.length();
  if (rd.error() != 0) return 0;
  return rd.enter(nestedStart, nestedLen);
}

/** Walks one tagged_spreading; with `minSize` >= 0, records the first fitting region_spreading. */
function walkTaggedSpreading(minSize: i64): void {
  let spreading: u32 = 0;
  let maxPacketSize: u32 = 0;
  let field: u32;
  while ((field = rd.key()) != 0) {
    if (field == 1 || field == 2) {
      if (!expectWire(rd.WIRE_VARINT)) return;
      const value = <u32>rd.varint();
      if (field == 1) spreading = value;
      else maxPacketSize = value;
    } else rd.skip(rd.lastWireType);
  }
  if (minSize >= 0 && !spreadingFound && <i64>maxPacketSize >= minSize) {
    spreadingFound = true;
    selectedSpreading = <i32>spreading;
  }
}

function walkSpreading(minSize: i64): void {
  let field: u32;
  while ((field = rd.key()) != 0) {
    if (field == 1) {
      const outer = enterNested();
      if (rd.error() != 0) return;
      walkTaggedSpreading(minSize);
      rd.leave(outer);
    } else rd.skip(rd.lastWireType);
  }
}

// What walkParam saw in the param it walked last.
let lastFrequency: u64 = 0;
let lastBandwidth: u32 = 0;
let lastHasSpreading: bool = false;

/** Walks one region_param_v1 (the reader is inside it) and returns its max_eirp. With
 *  minSize >= 0 it also records the spreading selection (selectedSpreading). */
function walkParam(minSize: i64): u32 {
  let eirp: u32 = 0;
  lastFrequency = 0;
  lastBandwidth = 0;
  lastHasSpreading = false;
  let field: u32;
  while ((field = rd.key()) != 0) {
    if (field == 1 || field == 2 || field == 3) {
      if (!expectWire(rd.WIRE_VARINT)) break;
      const value = rd.varint();
      if (field == 1) lastFrequency = value;
      else if (field == 2) lastBandwidth = <u32>value;
      else eirp = <u32>value;
    } else if (field == 4) {
      const outer = enterNested();
      if (rd.error() != 0) break;
      lastHasSpreading = true;
      walkSpreading(minSize);
      rd.leave(outer);
    } else rd.skip(rd.lastWireType);
  }
  return eirp;
}

/** Validates the whole message (as prost would decode it) and sets paramCount and maxEirp; returns 0 or a reader error. */
export function scanRegionParams(ptr: usize, len: u32): i32 {
  messagePtr = ptr;
  messageLen = len;
  paramCount = 0;
  maxEirp = 0;
  rd.begin(ptr, len);
  let field: u32;
  while ((field = rd.key()) != 0) {
    if (field == 1) {
      const outer = enterNested();
      if (rd.error() != 0) break;
      if (paramCount == 0) {
        firstStart = nestedStart;
        firstLen = nestedLen;
      }
      const eirp = walkParam(-1);
      rd.leave(outer);
      if (eirp > maxEirp) maxEirp = eirp;
      paramCount++;
    } else rd.skip(rd.lastWireType);
  }
  return rd.error();
}

/** channel_frequency (Hz) of params[index] of the message last validated by scanRegionParams. */
export function channelFrequency(index: u32): u64 {
  rd.begin(messagePtr, messageLen);
  let seen: u32 = 0;
  let field: u32;
  while ((field = rd.key()) != 0) {
    if (field != 1) {
      rd.skip(rd.lastWireType);
      continue;
    }
    const outer = enterNested();
    if (seen == index) {
      walkParam(-1);
      return lastFrequency;
    }
    rd.leave(outer);
    seen++;
  }
  return 0;
}

/** Reads params[0] of the validated message: bandwidth, spreading presence and the first
 *  tagged spreading (stored order) whose max_packet_size >= packetSize. */
export function selectSpreading(packetSize: u32): void {
  spreadingFound = false;
  selectedSpreading = 0;
  rd.begin(firstStart, firstLen);
  walkParam(<i64>packetSize);
  firstBandwidth = lastBandwidth;
  firstHasSpreading = lastHasSpreading;
}
