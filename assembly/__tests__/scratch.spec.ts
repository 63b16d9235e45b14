import { scratch_ptr, scratch_size } from "../scratch";

describe("scratch region", () => {
  it("is 16-byte aligned and 16 KiB long", () => {
    expect<usize>(scratch_ptr() & 15).toBe(0);
    expect<u32>(scratch_size()).toBe(16384);
  });
});
