// LoRaWAN 1.0.x PHYPayload classification (radio-and-wire.md E.1; the length rules of gateway-rs'
// lorawan crate). Reads the frame, never decrypts or checks the MIC. The result is a fixed record
// that the TypeScript binding reads; all multi-byte fields are little-endian *values* (the wire
// order of LoRaWAN), so the usual big-endian display of DevAddr or an EUI is the value's hex.
//
// Record (CLASSIFY_RECORD_SIZE = 36 bytes):
//   0  u8   type     FrameType below
//   1  u8   reason   InvalidReason below (0 unless type is INVALID)
//   2  u8   mtype    MHDR bits 7..5 (0 for an empty input)
//   3  u8   major    MHDR bits 1..0
//   4  u8   flags    bit 0: DevAddr/FCtrl/FCnt/FOptsLen are set (data frames)
//                    bit 1: FPort is present (data frames)
//                    bit 2: JoinEUI/DevEUI/DevNonce are set (join requests)
//   5  u8   fctrl    FCtrl byte (data frames)
//   6  u8   foptsLen FCtrl bits 3..0 (data frames)
//   7  u8   fport    FPort (when flags bit 1)
//   8  u32  devAddr  DevAddr (data frames)
//   12 u16  fcnt     FCnt, the 16 bits carried in the frame (data frames)
//   14 u16  devNonce DevNonce (join requests)
//   16 u64  joinEui  JoinEUI/AppEUI (join requests)
//   24 u64  devEui   DevEUI (join requests)
//   32 u16  payloadOffset  FRMPayload offset in the frame (data frames with FPort), or 1 for
//                          beacon/proprietary (everything after the MHDR; those carry no MIC)
//   34 u16  payloadLength  its length
// Fields that do not apply are 0. An INVALID frame has only type, reason, mtype and major set.

export const CLASSIFY_RECORD_SIZE: usize = 36;

// FrameType
export const FRAME_JOIN_REQUEST: u8 = 0;
export const FRAME_JOIN_ACCEPT: u8 = 1;
export const FRAME_UNCONFIRMED_UP: u8 = 2;
export const FRAME_CONFIRMED_UP: u8 = 3;
export const FRAME_UNCONFIRMED_DOWN: u8 = 4;
export const FRAME_CONFIRMED_DOWN: u8 = 5;
/** Proof-of-Coverage beacon shape: proprietary (MHDR 0xE0 with Major 0), exactly 52 bytes. */
export const FRAME_BEACON: u8 = 6;
export const FRAME_PROPRIETARY: u8 = 7;
export const FRAME_INVALID: u8 = 8;

// InvalidReason
export const INVALID_NONE: u8 = 0;
export const INVALID_EMPTY: u8 = 1; // no MHDR byte
export const INVALID_TOO_LONG: u8 = 2; // longer than a LoRa payload (255 bytes)
export const INVALID_RFU_MTYPE: u8 = 3; // MType 110 (reserved in 1.0.x)
export const INVALID_MAJOR: u8 = 4; // Major other than 0 (LoRaWAN R1)
export const INVALID_JOIN_REQUEST_LENGTH: u8 = 5; // not 23 bytes
export const INVALID_JOIN_ACCEPT_LENGTH: u8 = 6; // neither 17 nor 33 bytes
export const INVALID_DATA_TOO_SHORT: u8 = 7; // data frame under 12 bytes
export const INVALID_FOPTS_OVERFLOW: u8 = 8; // FOptsLen runs into the MIC
export const INVALID_FPORT0_WITH_FOPTS: u8 = 9; // MAC commands both in FOpts and on port 0

export const LORA_MAX_PAYLOAD: usize = 255;
export const BEACON_FRAME_LEN: usize = 52;
const JOIN_REQUEST_LEN: usize = 23;
const JOIN_ACCEPT_LEN: usize = 17;
const JOIN_ACCEPT_CFLIST_LEN: usize = 33;
const DATA_MIN_LEN: usize = 12; // MHDR 1 + DevAddr 4 + FCtrl 1 + FCnt 2 + MIC 4
const MIC_LEN: usize = 4;

const FLAG_DATA: u8 = 1;
const FLAG_FPORT: u8 = 2;
const FLAG_JOIN_REQUEST: u8 = 4;

function invalid(out: usize, reason: u8): void {
  store<u8>(out, FRAME_INVALID);
  store<u8>(out, reason, 1);
  memory.fill(out + 4, 0, CLASSIFY_RECORD_SIZE - 4);
}

function dataFrameType(mtype: u8): u8 {
  if (mtype == 2) return FRAME_UNCONFIRMED_UP;
  if (mtype == 3) return FRAME_UNCONFIRMED_DOWN;
  if (mtype == 4) return FRAME_CONFIRMED_UP;
  return FRAME_CONFIRMED_DOWN;
}

/** Classifies the frame at [ptr, ptr + len) into the record at out. Regions must be valid. */
export function classifyFrame(ptr: usize, len: usize, out: usize): void {
  memory.fill(out, 0, CLASSIFY_RECORD_SIZE);
  if (len == 0) return invalid(out, INVALID_EMPTY);
  const mhdr = load<u8>(ptr);
  const mtype = mhdr >> 5;
  store<u8>(out, mtype, 2);
  store<u8>(out, mhdr & 3, 3);
  if (len > LORA_MAX_PAYLOAD) return invalid(out, INVALID_TOO_LONG);
  if (mtype == 6) return invalid(out, INVALID_RFU_MTYPE);
  if ((mhdr & 3) != 0) return invalid(out, INVALID_MAJOR);

  if (mtype == 7) {
    store<u8>(out, len == BEACON_FRAME_LEN ? FRAME_BEACON : FRAME_PROPRIETARY);
    store<u16>(out, 1, 32);
    store<u16>(out, <u16>(len - 1), 34);
    return;
  }
  if (mtype == 0) {
    if (len != JOIN_REQUEST_LEN) return invalid(out, INVALID_JOIN_REQUEST_LENGTH);
    store<u8>(out, FRAME_JOIN_REQUEST);
    store<u8>(out, FLAG_JOIN_REQUEST, 4);
    store<u64>(out, load<u64>(ptr, 1), 16);
    store<u64>(out, load<u64>(ptr, 9), 24);
    store<u16>(out, load<u16>(ptr, 17), 14);
    return;
  }
  if (mtype == 1) {
    if (len != JOIN_ACCEPT_LEN && len != JOIN_ACCEPT_CFLIST_LEN) return invalid(out, INVALID_JOIN_ACCEPT_LENGTH);
    store<u8>(out, FRAME_JOIN_ACCEPT); // encrypted: nothing else is readable without the AppKey
    return;
  }

  // Data frames: MHDR | DevAddr | FCtrl | FCnt | FOpts | [FPort | FRMPayload] | MIC
  if (len < DATA_MIN_LEN) return invalid(out, INVALID_DATA_TOO_SHORT);
  const fctrl = load<u8>(ptr, 5);
  const foptsLen = <usize>(fctrl & 0x0f);
  if (DATA_MIN_LEN + foptsLen > len) return invalid(out, INVALID_FOPTS_OVERFLOW);
  const fportAt: usize = 8 + foptsLen;
  const hasPort = fportAt < len - MIC_LEN;
  if (hasPort && load<u8>(ptr + fportAt) == 0 && foptsLen > 0) return invalid(out, INVALID_FPORT0_WITH_FOPTS);

  store<u8>(out, dataFrameType(mtype));
  store<u8>(out, hasPort ? FLAG_DATA | FLAG_FPORT : FLAG_DATA, 4);
  store<u8>(out, fctrl, 5);
  store<u8>(out, <u8>foptsLen, 6);
  store<u32>(out, load<u32>(ptr, 1), 8);
  store<u16>(out, load<u16>(ptr, 6), 12);
  if (hasPort) {
    store<u8>(out, load<u8>(ptr + fportAt), 7);
    store<u16>(out, <u16>(fportAt + 1), 32);
    store<u16>(out, <u16>(len - MIC_LEN - fportAt - 1), 34);
  }
}
