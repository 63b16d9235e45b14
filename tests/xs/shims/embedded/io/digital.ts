// embedded:io/digital for the XS test host: outputs hold the level last written; inputs read the
// level __shimSettings.pins gives their pin, else 1 with a pull-up and 0 without.
import { settings } from "../../report.js";

export default class Digital {
  static readonly Input = 0;
  static readonly InputPullUp = 1;
  static readonly InputPullDown = 2;
  static readonly InputPullUpDown = 3;
  static readonly Output = 8;
  static readonly OutputOpenDrain = 9;
  static readonly Rising = 1;
  static readonly Falling = 2;
  #level: 0 | 1;
  constructor(readonly options: { pin: number; mode: number; edge?: number; initialValue?: 0 | 1; onReadable?(this: Digital): void }) {
    this.#level = options.initialValue ?? 0;
  }
  read(): 0 | 1 {
    if (this.options.mode >= Digital.Output) return this.#level;
    return settings().pins?.[this.options.pin] ?? (this.options.mode === Digital.InputPullUp ? 1 : 0);
  }
  write(value: 0 | 1): void {
    this.#level = value;
  }
  close(): void {}
}
