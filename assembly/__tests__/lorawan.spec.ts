// LoRaWAN classification on the lora-packet test vectors (radio-and-wire.md E.3) and the
// oracle vectors, plus each invalid shape.
import { lorawan_classify } from "../lorawan/exports";
import {
  FRAME_BEACON, FRAME_CONFIRMED_DOWN, FRAME_CONFIRMED_UP, FRAME_INVALID, FRAME_JOIN_ACCEPT, FRAME_JOIN_REQUEST,
  FRAME_PROPRIETARY, FRAME_UNCONFIRMED_DOWN, FRAME_UNCONFIRMED_UP, INVALID_DATA_TOO_SHORT, INVALID_EMPTY,
  INVALID_FOPTS_OVERFLOW, INVALID_FPORT0_WITH_FOPTS, INVALID_JOIN_ACCEPT_LENGTH, INVALID_JOIN_REQUEST_LENGTH,
  INVALID_MAJOR, INVALID_NONE, INVALID_RFU_MTYPE, INVALID_TOO_LONG,
} from "../lorawan/classify";
import { ERR_BAD_LENGTH } from "../errors";

const REC = new StaticArray<u8>(36);
const rec = changetype<usize>(REC);

function frame(hex: string): StaticArray<u8> {
  const buf = new StaticArray<u8>(hex.length >> 1);
  for (let i = 0; i < buf.length; i++) buf[i] = <u8>I32.parseInt(hex.substr(i * 2, 2), 16);
  return buf;
}

function classify(bytes: StaticArray<u8>): void {
  expect<i32>(lorawan_classify(changetype<usize>(bytes), bytes.length, rec)).toBe(36);
}

function filled(first: u8, len: i32): StaticArray<u8> {
  const buf = new StaticArray<u8>(len);
  for (let i = 0; i < len; i++) buf[i] = 0x11;
  if (len > 0) buf[0] = first;
  return buf;
}

function expectInvalid(bytes: StaticArray<u8>, reason: u8): void {
  classify(bytes);
  expect<u8>(load<u8>(rec)).toBe(FRAME_INVALID);
  expect<u8>(load<u8>(rec, 1)).toBe(reason);
  expect<u8>(load<u8>(rec, 4)).toBe(0);
}

describe("LoRaWAN data frames", () => {
  it("lora-packet README uplink: DevAddr 49be7df1, FCnt 2, FPort 1, FRMPayload 95437876", () => {
    classify(frame("40F17DBE4900020001954378762B11FF0D"));
    expect<u8>(load<u8>(rec)).toBe(FRAME_UNCONFIRMED_UP);
    expect<u8>(load<u8>(rec, 1)).toBe(INVALID_NONE);
    expect<u8>(load<u8>(rec, 2)).toBe(2);
    expect<u8>(load<u8>(rec, 3)).toBe(0);
    expect<u8>(load<u8>(rec, 4)).toBe(3);
    expect<u8>(load<u8>(rec, 5)).toBe(0);
    expect<u8>(load<u8>(rec, 6)).toBe(0);
    expect<u8>(load<u8>(rec, 7)).toBe(1);
    expect<u32>(load<u32>(rec, 8)).toBe(0x49be7df1);
    expect<u16>(load<u16>(rec, 12)).toBe(2);
    expect<u16>(load<u16>(rec, 32)).toBe(9);
    expect<u16>(load<u16>(rec, 34)).toBe(4);
  });

  it("long-payload uplink: FCnt 4, 44-byte FRMPayload", () => {
    classify(frame("40f17dbe490004000155332de41a11adc072553544429ce7787707d1c316e027e7e5e334263376affb8aa17ad30075293f28dea8a20af3c5e7"));
    expect<u8>(load<u8>(rec)).toBe(FRAME_UNCONFIRMED_UP);
    expect<u16>(load<u16>(rec, 12)).toBe(4);
    expect<u8>(load<u8>(rec, 7)).toBe(1);
    expect<u16>(load<u16>(rec, 34)).toBe(44);
  });

  it("empty-payload frames: FPort present with nothing after it, and no FPort at all", () => {
    classify(frame("40F17DBE49000300012A3518AF"));
    expect<u8>(load<u8>(rec, 4)).toBe(3);
    expect<u16>(load<u16>(rec, 12)).toBe(3);
    expect<u16>(load<u16>(rec, 34)).toBe(0);
    classify(frame("60f17dbe4920020001f9d65d27"));
    expect<u8>(load<u8>(rec)).toBe(FRAME_UNCONFIRMED_DOWN);
    expect<u8>(load<u8>(rec, 5)).toBe(0x20);
    classify(frame("a0f17dbe4920020061d65d27"));
    expect<u8>(load<u8>(rec)).toBe(FRAME_CONFIRMED_DOWN);
    expect<u8>(load<u8>(rec, 4)).toBe(1);
    expect<u8>(load<u8>(rec, 7)).toBe(0);
    expect<u16>(load<u16>(rec, 12)).toBe(2);
  });

  it("oracle uplink from lora-packet fromFields: DevAddr 01020304, ACK, FCnt 3, FPort 1", () => {
    classify(frame("40040302012003000198a92f3befa21bed"));
    expect<u32>(load<u32>(rec, 8)).toBe(0x01020304);
    expect<u8>(load<u8>(rec, 5)).toBe(0x20);
    expect<u16>(load<u16>(rec, 12)).toBe(3);
    expect<u8>(load<u8>(rec, 7)).toBe(1);
  });

  it("confirmed uplink with FOpts", () => {
    classify(frame("8004030201030500" + "070203" + "01" + "aabbccdd" + "11223344"));
    expect<u8>(load<u8>(rec)).toBe(FRAME_CONFIRMED_UP);
    expect<u8>(load<u8>(rec, 6)).toBe(3);
    expect<u16>(load<u16>(rec, 12)).toBe(5);
    expect<u8>(load<u8>(rec, 7)).toBe(1);
    expect<u16>(load<u16>(rec, 32)).toBe(12);
    expect<u16>(load<u16>(rec, 34)).toBe(4);
  });
});

describe("LoRaWAN join frames", () => {
  it("join request (lora-packet mic_test): EUIs and DevNonce as values", () => {
    classify(frame("0039363463336913AA05693574323831330489C65B1304"));
    expect<u8>(load<u8>(rec)).toBe(FRAME_JOIN_REQUEST);
    expect<u8>(load<u8>(rec, 4)).toBe(4);
    expect<u64>(load<u64>(rec, 16)).toBe(0xAA13693363343639);
    expect<u64>(load<u64>(rec, 24)).toBe(0x3331383274356905);
    expect<u16>(load<u16>(rec, 14)).toBe(0x8904);
  });

  it("oracle join request: AppEUI 70B3D57ED0000000, DevEUI 0004A30B001C0530, DevNonce 1234", () => {
    classify(frame("00000000d07ed5b37030051c000ba304003412dc7fda4e"));
    expect<u64>(load<u64>(rec, 16)).toBe(0x70B3D57ED0000000);
    expect<u64>(load<u64>(rec, 24)).toBe(0x0004A30B001C0530);
    expect<u16>(load<u16>(rec, 14)).toBe(0x1234);
  });

  it("join accept of 17 and 33 bytes", () => {
    classify(frame("20386337CCBBAAE7CD2C010000D9D0A6E7"));
    expect<u8>(load<u8>(rec)).toBe(FRAME_JOIN_ACCEPT);
    classify(filled(0x20, 33));
    expect<u8>(load<u8>(rec)).toBe(FRAME_JOIN_ACCEPT);
  });
});

describe("proprietary frames", () => {
  it("52 bytes with MHDR 0xE0 is a beacon; other lengths are proprietary", () => {
    classify(filled(0xe0, 52));
    expect<u8>(load<u8>(rec)).toBe(FRAME_BEACON);
    expect<u16>(load<u16>(rec, 32)).toBe(1);
    expect<u16>(load<u16>(rec, 34)).toBe(51);
    classify(filled(0xe0, 51));
    expect<u8>(load<u8>(rec)).toBe(FRAME_PROPRIETARY);
    classify(filled(0xe0, 1));
    expect<u8>(load<u8>(rec)).toBe(FRAME_PROPRIETARY);
    expect<u16>(load<u16>(rec, 34)).toBe(0);
  });
});

describe("invalid frames", () => {
  it("names each reason", () => {
    expectInvalid(new StaticArray<u8>(0), INVALID_EMPTY);
    expectInvalid(filled(0x40, 256), INVALID_TOO_LONG);
    expectInvalid(filled(0xc0, 20), INVALID_RFU_MTYPE);
    expectInvalid(filled(0xe1, 52), INVALID_MAJOR);
    expectInvalid(filled(0x41, 20), INVALID_MAJOR);
    expectInvalid(filled(0x00, 22), INVALID_JOIN_REQUEST_LENGTH);
    expectInvalid(filled(0x00, 24), INVALID_JOIN_REQUEST_LENGTH);
    expectInvalid(filled(0x20, 18), INVALID_JOIN_ACCEPT_LENGTH);
    expectInvalid(filled(0x40, 11), INVALID_DATA_TOO_SHORT);
    expectInvalid(frame("40040302010500030102030405060708"), INVALID_FOPTS_OVERFLOW); // 5 FOpts need 17 bytes
    expectInvalid(frame("400403020101030099" + "00" + "11223344"), INVALID_FPORT0_WITH_FOPTS);
  });

  it("keeps MType and Major of invalid frames and refuses regions outside memory", () => {
    classify(filled(0xe1, 52));
    expect<u8>(load<u8>(rec, 2)).toBe(7);
    expect<u8>(load<u8>(rec, 3)).toBe(1);
    const f = filled(0x40, 12);
    expect<i32>(lorawan_classify(changetype<usize>(f), 12, <usize>(memory.size() << 16) - 35)).toBe(ERR_BAD_LENGTH);
    expect<i32>(lorawan_classify(<usize>(memory.size() << 16) - 11, 12, rec)).toBe(ERR_BAD_LENGTH);
  });
});
