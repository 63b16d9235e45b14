declare module "timer" {
  /** An opaque timer handle; callbacks receive it. */
  export interface TimerId {
    readonly __timer: unique symbol;
  }
  const Timer: {
    set(callback: (timer: TimerId) => void, ms?: number, repeatMs?: number): TimerId;
    repeat(callback: (timer: TimerId) => void, ms: number): TimerId;
    clear(timer: TimerId | undefined): void;
  };
  export default Timer;
}
