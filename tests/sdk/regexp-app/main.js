// The SDK's XS and a preloaded RegExp (tests/sdk/moddable-sim.test.ts): the same pattern made at run
// time matches 100,000 times; then the preloaded one is run the same way, which on SDK 8.2.3 dies
// (xsre.c fxAllocateRegExpData hands exec a malloc block that the collector treats as a chunk).
import { PRELOADED } from "patterns";

function matchMany(label, pattern) {
  let matched = 0;
  for (let i = 0; i < 100000; i++) if (pattern.exec("aaabbbc") !== null) matched++;
  trace(`regexp ${label} ${matched}\n`);
}

matchMany("run-time", /^(a+)(b+)(c)?$/);
matchMany("preloaded", PRELOADED);
