// State a Moddable module keeps in C on the device (the NVS stores, the socket table, Wi-Fi's
// listeners). The stand-ins create theirs on first use, at run time: created while the firmware's
// modules are preloaded (xshost --preload) it would be frozen with them, as on the device.
const holder = globalThis as typeof globalThis & { __shimState?: Record<string, unknown> };

export function runtimeState<T>(name: string, create: () => T): T {
  const all = (holder.__shimState ??= {});
  if (!(name in all)) all[name] = create();
  return all[name] as T;
}
