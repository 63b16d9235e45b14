// Moddable's `time` for the XS test host: Time.set is reported (the host's clock is left alone).
import { report } from "./report.js";

const Time = {
  set(seconds: number): void {
    report("time.set", { seconds });
  },
  get ticks(): number {
    return Math.floor(__xshost.micros() / 1000);
  },
};
export default Time;
