// Moddable's `Resource` for the XS test host: the host has no resource map (no flash data), so no
// resource exists; the dashboard then answers /core.wasm with 404, as a device built without it would.
export default class Resource extends ArrayBuffer {
  constructor(path: string) {
    super(0);
    throw new Error(`Resource "${path}" not found`);
  }

  static exists(_path: string): boolean {
    return false;
  }
}
