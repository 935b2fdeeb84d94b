#!/bin/sh
# Fetch the maintained crypto libraries the firmware is built against, at build time, from package
# registries, and check their SHA-256 so a changed upstream archive stops the build instead of
# silently changing what signs checkpoints. Nothing fetched here is committed (firmware/build/).
#   libsecp256k1 0.2.0  - Debian source package (bookworm), upstream bitcoin-core/secp256k1
#   XKCP (Keccak Code Package, KeccakP-1600 + sponge) as shipped in the safe-pysha3 1.0.7 sdist (PyPI)
set -eu
DEST=${1:?usage: fetch_third_party.sh DEST_DIR}
mkdir -p "$DEST" && DEST=$(cd "$DEST" && pwd)
PYTHON=${PYTHON:-python3}
SECP_VER=0.2.0
SECP_TAR=libsecp256k1_${SECP_VER}.orig.tar.xz
SECP_SHA=07c1d76fc485936138c6572e94374df22ba41df06617926572b8a690fe8bc34b
KCP_TAR=safe_pysha3-1.0.7.tar.gz
KCP_SHA=0ac3406fbe37c3c961efb446f117deaf3049411d298a6e573cc4bae9732e19a1
mkdir -p "$DEST/dl"
cd "$DEST/dl"

check() { echo "$2  $1" | sha256sum -c --quiet - || { echo "fetch_third_party: $1 has an unexpected SHA-256" >&2; exit 1; }; }

if [ ! -d "$DEST/secp256k1/src" ]; then
  if [ ! -f "$SECP_TAR" ]; then
    if ! apt-get source --download-only "libsecp256k1=${SECP_VER}-2" >/dev/null 2>&1; then
      if [ "$(id -u)" = 0 ] && ! grep -rqs "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
        printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
          > /etc/apt/sources.list.d/csm-deb-src.sources
        apt-get update >/dev/null
      fi
      apt-get source --download-only "libsecp256k1=${SECP_VER}-2" >/dev/null || {
        echo "fetch_third_party: cannot fetch the Debian source of libsecp256k1; add a deb-src line for bookworm (or run 'make -C firmware deps' as root)" >&2; exit 1; }
    fi
  fi
  check "$SECP_TAR" "$SECP_SHA"
  rm -rf "$DEST/secp256k1" "$DEST/libsecp256k1-${SECP_VER}"
  tar -xJf "$SECP_TAR" -C "$DEST"
  mv "$DEST/libsecp256k1-${SECP_VER}" "$DEST/secp256k1"
fi

if [ ! -d "$DEST/xkcp/kcp" ]; then
  if [ ! -f "$KCP_TAR" ]; then
    "$PYTHON" -m pip download --quiet --no-binary :all: --no-deps --no-build-isolation "safe-pysha3==1.0.7" -d . || {
      echo "fetch_third_party: cannot download safe-pysha3 1.0.7 from PyPI (needs pip)" >&2; exit 1; }
  fi
  check "$KCP_TAR" "$KCP_SHA"
  rm -rf "$DEST/xkcp" && mkdir -p "$DEST/xkcp"
  tar -xzf "$KCP_TAR" -C "$DEST/xkcp" --strip-components=3 safe_pysha3-1.0.7/Modules/_sha3/kcp
fi
echo "third-party sources ready in $DEST"
