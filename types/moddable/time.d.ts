declare module "time" {
  const Time: {
    /** Sets the wall clock (seconds since 1970). */
    set(seconds: number): void;
    /** Milliseconds since boot (signed 32-bit on microcontrollers). */
    readonly ticks: number;
  };
  export default Time;
}
