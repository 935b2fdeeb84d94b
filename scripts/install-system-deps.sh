#!/usr/bin/env bash
# Installs the Debian packages the tests and the demo need, only when something is missing.
# Runs apt-get as root (CI) or through sudo (a developer's machine). --no-install-recommends keeps
# the Cortex-M toolchain and QEMU from pulling gigabytes of desktop packages.
set -euo pipefail

PACKAGES=(
  # Qt offscreen (pytest-qt, screenshots) and a font
  libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 libx11-6 libxkbcommon0 fonts-dejavu-core
  # HDF5 command-line tools: the tests check that h5dump reads our session files
  hdf5-tools
  # firmware: host unit tests, Cortex-M build, emulated MCU
  build-essential libcmocka-dev libsecp256k1-dev gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
  # a small filesystem for the disk-full tests
  e2fsprogs
  # Solana program (SBPF v3, scripts/build-solana-program.sh): Debian's rustc 1.96 with LLVM 22 and its
  # prebuilt core library for bpfel-unknown-none (bookworm-security)
  rustc-web libstd-rust-web-dev-bpf libllvm22
)
EXTRA_FILE="$(dirname "$0")/system-packages.extra"
if [[ -f "$EXTRA_FILE" ]]; then
  mapfile -t EXTRA < <(grep -v '^\s*#' "$EXTRA_FILE" | tr ' ' '\n' | sed '/^$/d')
  PACKAGES+=("${EXTRA[@]}")
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
echo "installing Debian packages: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
