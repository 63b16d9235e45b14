// The manifest's `config` for the XS test host (mc/config on the device).
const config = { board: "xs_test_host", sntp: "pool.ntp.org" } as const;
export default config;
