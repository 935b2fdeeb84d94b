#!/usr/bin/env bash
# Installs the Debian packages the tests and the demo need, only when something is missing.
# Runs apt-get as root (CI) or through sudo (a developer's machine). --no-install-recommends keeps
# the Cortex-M toolchain and QEMU from pulling gigabytes of desktop packages.
set -euo pipefail

PACKAGES=(
  # Qt offscreen (pytest-qt, screenshots) and a font
  libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 libx11-6 libxkbcommon0 fonts-dejavu-core
  # Qt on a real X display (`csm gui` on a desktop, screenshots under Xvfb): the xcb platform plugin's
  # libraries; Qt names only libxcb-cursor0 when any of them is missing
  libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0
  libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
  libxkbcommon-x11-0 xvfb
  # the kiosk under cage (tests/ui/test_kiosk_under_cage.py, installers/linux/csm-kiosk.service): the Wayland
  # kiosk compositor, its Xwayland, a screenshot tool, output rotation, and what Qt's wayland plugin loads;
  # systemd-analyze checks the units (tests/installers)
  cage grim wlr-randr xwayland libwayland-cursor0 libwayland-client0 libwayland-egl1 systemd
  # HDF5 command-line tools: the tests check that h5dump reads our session files
  hdf5-tools
  # PDF pages to PNG and text (pdftoppm, pdftotext): the MRV report tests and scripts/make_example_report.py
  poppler-utils
  # firmware: host unit tests, Cortex-M build, emulated MCU
  build-essential libcmocka-dev libsecp256k1-dev gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
  # make dist: the Debian package's checks (dpkg-deb is in dpkg); the installed-package smoke runs the
  # kiosk under a headless Wayland compositor and takes its screenshot
  lintian cage grim
  # a small filesystem for the disk-full tests
  e2fsprogs
  # an MQTT broker the Home Assistant bridge tests start (tests/mqtt); mosquitto_passwd for their password file
  mosquitto
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
# Another apt (unattended-upgrades, a desktop updater) may hold the locks: wait for it instead of failing.
LOCK_WAIT=(-o DPkg::Lock::Timeout=900)
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  if $SUDO apt-get "${LOCK_WAIT[@]}" update -qq; then break; fi
  if [[ $attempt -eq 10 ]]; then echo "apt-get update kept failing; is another package manager running?" >&2; exit 1; fi
  echo "apt-get update failed (attempt $attempt; another apt may hold its lock); retrying in 30 s" >&2
  sleep 30
done
$SUDO apt-get "${LOCK_WAIT[@]}" install -y -qq --no-install-recommends "${missing[@]}"
