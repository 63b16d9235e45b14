declare module "embedded:provider/builtin" {
  /** The board's ECMA-419 host provider, as targets/<board>/host/provider.ts defines it. */
  const device: import("../../targets/board.js").BoardDevice;
  export default device;
}
