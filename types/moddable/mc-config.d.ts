declare module "mc/config" {
  /** The manifest's `config` section merged with mcconfig's command-line settings (frozen). */
  const config: {
    readonly board: string;
    readonly [key: string]: unknown;
  };
  export default config;
}
