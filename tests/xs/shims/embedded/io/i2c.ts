// embedded:io/i2c for the XS test host: the bus holds the power-chip model a suite attaches
// (sim/axp-model.ts, the one the Node tests use); with none attached nothing acknowledges and every
// transfer throws, as Moddable's ESP32 I2C does on a NACK ("write failed" / "read failed").
import type { AxpModel } from "../../../../../sim/axp-model.js";
import type { I2C as ModelI2C, I2COptions } from "../../../../../modules/host/provider.js";

let attached: AxpModel | undefined;

/** Puts a chip model on the bus for the I2C handles opened from now on (undefined: an empty bus). */
export function attachPowerChip(model: AxpModel | undefined): void {
  attached = model;
}

export default class I2C {
  readonly #device: ModelI2C | undefined;
  constructor(options: I2COptions) {
    this.#device = attached === undefined ? undefined : new (attached.io().I2C)(options);
  }
  write(buffer: ArrayBuffer | Uint8Array | DataView, stop?: boolean): void {
    if (this.#device === undefined) throw new Error("write failed");
    this.#device.write(buffer, stop);
  }
  read(byteLength: number, stop?: boolean): ArrayBuffer {
    if (this.#device === undefined) throw new Error("read failed");
    return this.#device.read(byteLength, stop);
  }
  close(): void {
    this.#device?.close();
  }
}
