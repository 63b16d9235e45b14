// embedded:io/digital for the XS test host: pins that hold the level last written (inputs read 0).
export default class Digital {
  static readonly Input = 0;
  static readonly InputPullUp = 1;
  static readonly InputPullDown = 2;
  static readonly InputPullUpDown = 3;
  static readonly Output = 8;
  static readonly OutputOpenDrain = 9;
  static readonly Rising = 1;
  static readonly Falling = 2;
  #level: 0 | 1 = 0;
  constructor(readonly options: { pin: number; mode: number; edge?: number; onReadable?(this: Digital): void }) {}
  read(): 0 | 1 {
    return this.#level;
  }
  write(value: 0 | 1): void {
    this.#level = value;
  }
  close(): void {}
}
