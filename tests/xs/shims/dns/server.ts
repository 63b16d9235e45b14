// Moddable's `dns/server` for the XS test host: reports what it would answer for a few names a phone
// asks when it looks for a captive portal.
import { report } from "../report.js";

export default class DNSServer {
  constructor(callback: (message: number, value?: string) => string | undefined) {
    const answers: Record<string, string | null> = {};
    for (const name of ["connectivitycheck.gstatic.com", "captive.apple.com", "example.com"]) answers[name] = callback(1, name) ?? null;
    report("dns.server", answers);
  }
  close(): void {}
}
