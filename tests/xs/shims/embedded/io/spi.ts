// embedded:io/spi for the XS test host: no device on the bus; reads return 0xFF as a floating MISO.
export default class SPI {
  constructor(readonly options: { clock: number; in?: number; out?: number; select?: number; hz: number; mode?: 0 | 1 | 2 | 3; port?: number }) {}
  transfer(buffer: ArrayBuffer | Uint8Array): void {
    new Uint8Array(buffer instanceof Uint8Array ? buffer.buffer : buffer).fill(0xff);
  }
  write(): void {}
  read(buffer: ArrayBuffer | Uint8Array): void {
    this.transfer(buffer);
  }
  flush(): void {}
  close(): void {}
}
