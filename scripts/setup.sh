#!/usr/bin/env bash
# `npm run setup`: installs the Debian/Ubuntu packages that `npm test` needs and a fresh machine
# lacks, naming each and why. Idempotent: installs only what is missing, prints what it found.
# Runs apt-get as root, or through sudo when it is there; otherwise prints the command to run.
set -euo pipefail

# package | how we tell it is present | what needs it
wanted=(
  "wabt|command -v wasm2c|wasm2c: native/ is checked against the core's wasm (must be wabt 1.0.32, Debian 12)"
  "make|command -v make|builds the XS test host"
  "gcc|command -v cc|builds the XS test host"
  "gcc-xtensa-lx106|command -v xtensa-lx106-elf-gcc|the 32-bit Xtensa compile check of native/"
  "picolibc-xtensa-lx106-elf|test -f /usr/lib/xtensa-lx106-elf/picolibc.specs|the C library for that check"
  "chromium|test -x /usr/bin/chromium|the dashboard and network page tests in headless Chromium"
  "curl|command -v curl|the web API's README recipe, run as a test"
  "openssl|command -v openssl|the web API's README recipe, run as a test"
  "xvfb|command -v Xvfb|a display for the Moddable simulator (npm run test:sdk, npm start -- --moddable)"
  "xauth|command -v xauth|xvfb-run"
)

missing=()
for entry in "${wanted[@]}"; do
  IFS='|' read -r package probe why <<<"$entry"
  if bash -c "$probe" >/dev/null 2>&1; then
    echo "setup: have $package"
  else
    echo "setup: need $package ($why)"
    missing+=("$package")
  fi
done

# native/ is compared with what wasm2c makes of the core: other wabt versions name symbols differently.
if command -v wasm2c >/dev/null && [[ $(wasm2c --version) != 1.0.32 ]]; then
  echo "setup: wasm2c is $(wasm2c --version), the native/ check needs wabt 1.0.32 (Debian 12's package)" >&2
fi

if ((${#missing[@]} == 0)); then
  echo "setup: nothing to install"
  exit 0
fi

if ((EUID == 0)); then run=(); elif command -v sudo >/dev/null; then run=(sudo); else
  echo "setup: not root and no sudo; as root run: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
echo "setup: installed ${missing[*]}"
