// The `hotspot` command-line tool: the compute core and the identity functions from a shell.
// JSON on stdout; on bad input one line on stderr and exit code 2. All computation goes through
// modules/ and the Core; this file only parses arguments, reads/writes files and prints.
import { readFileSync, writeFileSync } from "node:fs";
import { randomFillSync } from "node:crypto";
import { parseArgs } from "node:util";
import type { Core } from "../modules/core/core.js";
import { CoreError } from "../modules/core/errors.js";
import { IdentityError } from "../modules/identity/errors.js";
import { animalName } from "../modules/identity/animal-name.js";
import {
  decodeKeypairFile,
  encodeKeypairFile,
  gatewayKeyFromSeed,
  generateGatewayKey,
  type GatewayKey,
} from "../modules/identity/gateway-key.js";
import { accountText, parseAccountKey, parseAddress } from "../modules/identity/keys.js";
import { buildAddGatewayTxn } from "../modules/identity/add-gateway.js";
import { encodeHistoricalRegionParams, HISTORICAL_REGIONS } from "../modules/region/historical-params.js";
import { encodeMessage, fromJson } from "../modules/proto/codec.js";
import { ProtoError } from "../modules/proto/errors.js";
import { HELIUM_MESSAGE_NAMES, HELIUM_SCHEMA } from "../modules/proto/schema.js";
import { EncodingError, fromBase64, fromHex, toBase64, toHex, utf8Decode } from "../modules/util/bytes.js";
import { loadNodeCore } from "../sim/node-core.js";
import { UnreachableError, apiCommand } from "./api.js";

/** Bad input from the user: reported on one line, exit code 2. */
class UsageError extends Error {
  override name = "UsageError";
}

const USAGE = `Usage: hotspot COMMAND [options]    (JSON on stdout; bytes as lowercase hex)

  key info --seed HEX32 [--testnet]      address, animal name and public key of a seed
  key info --key FILE                    ... of a gateway-rs keypair file (65-byte ed25519)
  key generate --out FILE [--testnet]    new random key written as a gateway-rs keypair file
  sign --seed HEX32 --msg HEX            Ed25519 signature
  verify --address B58 --msg HEX --sig HEX
  beacon --remote-data B64 --remote-ts SECONDS --local HEX8 (--region NAME | --params HEX) --gain DBI_X10
                                         the PoC beacon gateway-rs would build; built-in regions:
                                         ${HISTORICAL_REGIONS.join(", ")}
  encode MESSAGE --json FILE             canonical protobuf of a message given as JSON ("-" = stdin)
  decode HEX                             LoRaWAN PHYPayload fields
  airtime --sf N --bw KHZ --cr 5..8 --preamble N --len BYTES [--no-crc] [--implicit]
  add-gateway (--seed HEX32 | --key FILE) --owner B58 --payer B58
                                         add-gateway txn (base64) as gateway-rs builds it
  api keygen --out FILE                  new Ed25519 API key (PKCS#8 PEM, as openssl writes): {id, publicKey}
  api enroll --url URL --code CODE --key FILE [--label TEXT]
                                         enrol the key as the first admin key with the console's code
  api call --url URL --key FILE METHOD PATH [JSON]
                                         a signed API call: {status, body} (exit 0 for any answer)
`;

type Options = Record<string, string | boolean | undefined>;
type Spec = Record<string, { type: "string" | "boolean" }>;

/** `positionals`: how many arguments must follow the options; -1 lets the command check them. */
function parse(args: string[], spec: Spec, positionals = 0): { options: Options; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: spec, allowPositionals: positionals !== 0, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (positionals >= 0 && parsed.positionals.length !== positionals) {
    throw new UsageError(`expected ${positionals} argument${positionals === 1 ? "" : "s"}, got ${parsed.positionals.length}`);
  }
  return { options: parsed.values as Options, positionals: parsed.positionals };
}

function required(options: Options, name: string, allowEmpty = false): string {
  const value = options[name];
  if (typeof value !== "string" || (value === "" && !allowEmpty)) throw new UsageError(`--${name} is required`);
  return value;
}

/** A hex option; without a fixed `length` it may be empty (an empty message is a message). */
function hexOption(options: Options, name: string, length?: number): Uint8Array {
  const bytes = hexText(required(options, name, length === undefined), `--${name}`);
  if (length !== undefined && bytes.length !== length) {
    throw new UsageError(`--${name} must be ${length} bytes (${2 * length} hex digits), not ${bytes.length}`);
  }
  return bytes;
}

function hexText(text: string, what: string): Uint8Array {
  try {
    return fromHex(text);
  } catch (error) {
    throw new UsageError(`${what}: ${(error as Error).message}`);
  }
}

function integerOption(options: Options, name: string, min: number, max: number): number {
  const text = required(options, name);
  if (!/^-?\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, not "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`--${name} must be between ${min} and ${max}, not ${text}`);
  return value;
}

function readFile(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path === "-" ? 0 : path));
  } catch (error) {
    throw new UsageError(`cannot read ${what} "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function dataRateName(value: number): string {
  const names = HELIUM_SCHEMA.enums.data_rate.values;
  return Object.keys(names).find((name) => names[name] === value) ?? String(value);
}

function identity(core: Core, key: GatewayKey) {
  return { address: key.address, name: animalName(core, key.address), publicKey: toHex(key.publicKeyBin) };
}

/** The gateway key of --seed (with --testnet allowed when `testnet`) or --key FILE. */
function gatewayKeyOption(core: Core, options: Options, testnet: boolean): GatewayKey {
  if ((options.seed === undefined) === (options.key === undefined)) throw new UsageError("give exactly one of --seed and --key");
  if (options.seed !== undefined) {
    return gatewayKeyFromSeed(core, hexOption(options, "seed", 32), testnet && options.testnet === true ? "testnet" : "mainnet");
  }
  if (options.testnet) throw new UsageError("--testnet applies to --seed only; a keypair file carries its own network");
  return decodeKeypairFile(core, readFile(required(options, "key"), "keypair file"));
}

/** A command's result: what to print, or that and an exit code other than 0. */
type Outcome = unknown | Promise<{ result: unknown; exitCode: number }>;

const COMMANDS: Record<string, (core: Core, args: string[]) => Outcome> = {
  key(core, args) {
    const [sub, ...rest] = args;
    if (sub === "info") {
      const { options } = parse(rest, { seed: { type: "string" }, key: { type: "string" }, testnet: { type: "boolean" } });
      return identity(core, gatewayKeyOption(core, options, true));
    }
    if (sub === "generate") {
      const { options } = parse(rest, { out: { type: "string" }, testnet: { type: "boolean" } });
      const out = required(options, "out");
      const key = generateGatewayKey(core, (bytes) => randomFillSync(bytes), options.testnet ? "testnet" : "mainnet");
      try {
        // "wx": never overwrite an existing key file; losing a gateway key loses the hotspot.
        writeFileSync(out, encodeKeypairFile(key), { flag: "wx", mode: 0o600 });
      } catch (error) {
        throw new UsageError(`cannot write "${out}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      return identity(core, key);
    }
    throw new UsageError(`unknown key command "${sub ?? ""}"; use "key info" or "key generate"`);
  },

  sign(core, args) {
    const { options } = parse(args, { seed: { type: "string" }, msg: { type: "string" } });
    const key = gatewayKeyFromSeed(core, hexOption(options, "seed", 32));
    return { signature: toHex(core.ed25519Sign(key.seed, hexOption(options, "msg"))) };
  },

  verify(core, args) {
    const { options } = parse(args, { address: { type: "string" }, msg: { type: "string" }, sig: { type: "string" } });
    const key = parseAddress(core, required(options, "address"));
    if (key.keyType !== "ed25519") throw new UsageError(`${key.keyType} addresses cannot be verified here; only ed25519`);
    const signature = hexOption(options, "sig", 64);
    return { valid: core.ed25519Verify(key.bin.subarray(1), hexOption(options, "msg"), signature) };
  },

  beacon(core, args) {
    const { options } = parse(args, {
      "remote-data": { type: "string" },
      "remote-ts": { type: "string" },
      local: { type: "string" },
      region: { type: "string" },
      params: { type: "string" },
      gain: { type: "string" },
    });
    if ((options.region === undefined) === (options.params === undefined)) throw new UsageError("give exactly one of --region and --params");
    let remoteData: Uint8Array;
    try {
      // Empty is valid: the entropy service has served empty data since HIP-149.
      remoteData = fromBase64(required(options, "remote-data", true));
    } catch (error) {
      if (error instanceof EncodingError) throw new UsageError(`--remote-data: ${error.message}`);
      throw error;
    }
    let regionParams: Uint8Array;
    if (options.region !== undefined) {
      const encoded = encodeHistoricalRegionParams(core, required(options, "region"));
      if (encoded === undefined) throw new UsageError(`no built-in plan for region "${options.region}"; built in: ${HISTORICAL_REGIONS.join(", ")}`);
      regionParams = encoded;
    } else {
      regionParams = hexOption(options, "params");
    }
    const beacon = core.deriveBeacon({
      remoteData,
      remoteTimestamp: integerOption(options, "remote-ts", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
      remoteVersion: 0,
      localData: hexOption(options, "local", 4),
      regionParams,
      gainDbiX10: integerOption(options, "gain", -10_000, 10_000),
    });
    return {
      data: toHex(beacon.data),
      frame: toHex(beacon.frame),
      frequency: beacon.frequency,
      datarate: dataRateName(beacon.datarate),
      conductedPower: beacon.conductedPower,
    };
  },

  encode(core, args) {
    const { options, positionals } = parse(args, { json: { type: "string" } }, 1);
    const [message] = positionals;
    if (!HELIUM_MESSAGE_NAMES.includes(message)) {
      throw new UsageError(`unknown message "${message}"; one of: ${HELIUM_MESSAGE_NAMES.join(", ")}`);
    }
    const path = required(options, "json");
    let json: unknown;
    try {
      json = JSON.parse(utf8Decode(readFile(path, "JSON file")));
    } catch (error) {
      if (error instanceof SyntaxError) throw new UsageError(`"${path}" is not JSON: ${error.message}`);
      throw error;
    }
    return { hex: toHex(encodeMessage(core, message, fromJson(message, json))) };
  },

  decode(core, args) {
    const { positionals } = parse(args, {}, 1);
    const frame = core.classifyLoRaWAN(hexText(positionals[0], "HEX"));
    const out: Record<string, unknown> = { type: frame.type };
    if (frame.devAddr !== undefined) out.devAddr = frame.devAddr.toString(16).padStart(8, "0");
    if (frame.fCnt !== undefined) out.fCnt = frame.fCnt;
    if (frame.fPort !== undefined) out.fPort = frame.fPort;
    if (frame.joinEui !== undefined) out.joinEui = toHex(frame.joinEui);
    if (frame.devEui !== undefined) out.devEui = toHex(frame.devEui);
    if (frame.error !== undefined) out.error = frame.error;
    return out;
  },

  airtime(core, args) {
    const { options } = parse(args, {
      sf: { type: "string" },
      bw: { type: "string" },
      cr: { type: "string" },
      preamble: { type: "string" },
      len: { type: "string" },
      "no-crc": { type: "boolean" },
      implicit: { type: "boolean" },
    });
    const bandwidthKHz = integerOption(options, "bw", 125, 500);
    if (![125, 250, 500].includes(bandwidthKHz)) throw new UsageError(`--bw must be 125, 250 or 500, not ${bandwidthKHz}`);
    return {
      microseconds: core.airtimeMicros({
        spreadingFactor: integerOption(options, "sf", 5, 12),
        bandwidthKHz,
        codingRate: integerOption(options, "cr", 5, 8),
        preambleSymbols: integerOption(options, "preamble", 6, 65535),
        payloadLength: integerOption(options, "len", 0, 255),
        crc: options["no-crc"] !== true,
        implicitHeader: options.implicit === true,
      }),
    };
  },

  api(core, args) {
    const [sub, ...rest] = args;
    const { options, positionals } = parse(rest, { out: { type: "string" }, url: { type: "string" }, code: { type: "string" }, key: { type: "string" }, label: { type: "string" } }, sub === "call" ? -1 : 0);
    return apiCommand(core, sub, options as Record<string, string | undefined>, positionals, UsageError);
  },

  "add-gateway"(core, args) {
    const { options } = parse(args, { seed: { type: "string" }, key: { type: "string" }, owner: { type: "string" }, payer: { type: "string" } });
    const key = gatewayKeyOption(core, options, false);
    const owner = parseAccountKey(core, required(options, "owner"));
    const payer = parseAccountKey(core, required(options, "payer"));
    const txn = buildAddGatewayTxn(core, key, owner.bin, payer.bin);
    return { address: key.address, owner: accountText(core, owner), payer: accountText(core, payer), txn: toBase64(txn.envelope) };
  },
};

/** Errors that mean the input was wrong (exit 2), as opposed to a bug or an unreachable hotspot (exit 1). A core trap is a bug. */
function isBadInput(error: unknown): error is Error {
  if (error instanceof CoreError) return error.code !== "TRAP";
  return error instanceof UsageError || error instanceof IdentityError || error instanceof ProtoError || error instanceof EncodingError;
}

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processOutput: Output = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Runs one command; returns the exit code (0 ok, 2 bad input, 1 internal failure). */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined) {
    output.stderr("hotspot: missing command (try --help)\n");
    return 2;
  }
  if (command === "--help" || command === "-h" || command === "help" || args.includes("--help") || args.includes("-h")) {
    output.stdout(USAGE);
    return 0;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (run === undefined) {
    output.stderr(`hotspot: unknown command "${command}" (try --help)\n`);
    return 2;
  }
  try {
    const outcome = run(loadNodeCore(), args);
    const { result, exitCode } = outcome instanceof Promise ? await outcome : { result: outcome, exitCode: 0 };
    output.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return exitCode;
  } catch (error) {
    if (isBadInput(error)) {
      output.stderr(`hotspot ${command}: ${error.message.replace(/\s*\n\s*/g, " ")}\n`);
      return 2;
    }
    if (error instanceof UnreachableError) {
      output.stderr(`hotspot ${command}: ${error.message}\n`);
      return 1;
    }
    output.stderr(`hotspot ${command}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
