// How the stand-ins for Moddable's network modules talk to a test: they print what the firmware did
// as "shim <module> <JSON>" lines, and read globalThis.__shimSettings for how the world behaves.
export function report(module: string, fields: Record<string, unknown>): void {
  print(`shim ${module} ${JSON.stringify(fields)}`);
}

export function settings(): NonNullable<typeof globalThis.__shimSettings> {
  return globalThis.__shimSettings ?? {};
}
