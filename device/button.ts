// The board's user button (active low: pressed pulls the pin to ground). A hold of `longPressMs` is
// a long press; the pin is sampled every 100 ms, which also debounces it.
import type { DigitalConstructor, TimerHandle, Timers } from "../modules/host/provider.js";
import { DigitalMode } from "../modules/host/provider.js";

const SAMPLE_MS = 100;

export class Button {
  readonly #pin: InstanceType<DigitalConstructor>;
  readonly #timers: Timers;
  #poll: TimerHandle | undefined;
  #heldMs = 0;

  constructor(Digital: DigitalConstructor, pin: number, timers: Timers) {
    this.#pin = openInput(Digital, pin);
    this.#timers = timers;
  }

  get pressed(): boolean {
    return this.#pin.read() === 0;
  }

  /** Calls `onLongPress` once each time the button is held for `longPressMs`. */
  watch(longPressMs: number, onLongPress: () => void): void {
    this.#timers.clear(this.#poll);
    this.#heldMs = 0;
    this.#poll = this.#timers.repeat(() => {
      if (!this.pressed) {
        this.#heldMs = 0;
        return;
      }
      const before = this.#heldMs;
      this.#heldMs += SAMPLE_MS;
      if (before < longPressMs && this.#heldMs >= longPressMs) onLongPress();
    }, SAMPLE_MS);
  }
}

/** The internal pull-up where the pin has one; the ESP32's input-only GPIO 34-39 (the T-Beam's button is 38) have none and rely on the board's resistor. */
function openInput(Digital: DigitalConstructor, pin: number): InstanceType<DigitalConstructor> {
  try {
    return new Digital({ pin, mode: DigitalMode.InputPullUp });
  } catch {
    return new Digital({ pin, mode: DigitalMode.Input });
  }
}
