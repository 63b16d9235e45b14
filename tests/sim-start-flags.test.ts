// `npm start` refuses bad flags with a clear message, the usage and exit code 2, before starting anything.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const START = fileURLToPath(new URL("../sim/start.js", import.meta.url));

const CASES: [string[], RegExp][] = [
  [["--duration", "soon"], /--duration must be a positive number of seconds, not "soon"/],
  [["--duration", "0"], /--duration must be a positive number/],
  [["--hotspots", "0"], /--hotspots must be a whole number from 1 to 20, not "0"/],
  [["--devices", "2.5"], /--devices must be a whole number from 0 to 100/],
  [["--region", "MARS"], /--region must be one of US915, EU868, .* not "MARS"/],
  [["--seed=-1"], /--seed must be a whole number from 0 to 2147483647, not "-1"/],
  [["--seed", "-1"], /Option .--seed. argument is ambiguous/],
  [["--poc-interval", "1"], /--poc-interval must be a whole number from 5 to 86400/],
  [["--router", "http://127.0.0.1:1"], /--router, --config, --config-key, --entropy and --ingest go together \(missing: --config, --config-key, --entropy, --ingest\)/],
  [["--router", "ftp://x", "--config", "http://a:1", "--config-key", "1398hcNhAVMLuN6aNC8jeZqVRzmNSf8YaPATDd87bE22VzoF69f", "--entropy", "http://a:2", "--ingest", "http://a:3"], /--router: .*unsupported URI "ftp:\/\/x" \(expected http:\/\/host:port\)/],
  [["--forwarder", "bad_name:1700"], /--forwarder: "bad_name" is not a host name or an IPv4 address/],
  [["--moddable", "--forwarder", "127.0.0.1:1700"], /--moddable and --forwarder do not go together/],
  [["--moddable", "--hotspots", "1", "--router", "http://127.0.0.1:1", "--config", "http://127.0.0.1:2", "--config-key", "1398hcNhAVMLuN6aNC8jeZqVRzmNSf8YaPATDd87bE22VzoF69f", "--entropy", "http://127.0.0.1:3", "--ingest", "http://127.0.0.1:4"], /--moddable makes the last hotspot the Moddable build.*--hotspots 2 or more/],
  [["--colour", "blue"], /Unknown option '--colour'/],
  [["extra"], /positional argument/],
];

test("bad flags: a clear message naming the flag, the usage, exit code 2", () => {
  for (const [args, message] of CASES) {
    const r = spawnSync(process.execPath, [START, ...args], { encoding: "utf8", timeout: 30_000 });
    assert.equal(r.status, 2, `${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
    assert.match(r.stderr, message, args.join(" "));
    assert.match(r.stderr, /usage: npm start -- \[options\]/);
    assert.equal(r.stdout, "", "nothing on stdout");
  }
});

test("--moddable without the Moddable SDK says what is missing and exits 2 before starting anything", () => {
  const env = { ...process.env };
  delete env.MODDABLE;
  const r = spawnSync(process.execPath, [START, "--moddable", "--json"], { encoding: "utf8", timeout: 30_000, env });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--moddable needs the Moddable SDK:\n {2}- MODDABLE is not set: .*export MODDABLE=/);
  assert.equal(r.stdout, "");
  const fake = spawnSync(process.execPath, [START, "--moddable"], { encoding: "utf8", timeout: 30_000, env: { ...env, MODDABLE: "/nonexistent/moddable" } });
  assert.equal(fake.status, 2);
  assert.match(fake.stderr, /mcconfig not found at \/nonexistent\/moddable\/build\/bin\/lin\/release\/mcconfig/);
  assert.match(fake.stderr, /mcsim not found at /);
});
