#!/usr/bin/env bash
# `make dist`: the PyInstaller one-folder bundle of csm and the Debian package made from it.
#   build/dist/csm/                                 the bundle (run build/dist/csm/csm)
#   build/dist/carbon-smart-meter_<version>_<arch>.deb
#   build/dist/lintian.txt                          lintian's verdict (overridden tags are explained in
#                                                   installers/debian/lintian-overrides)
# The version is pyproject.toml's; the bundle refuses to build when the installed package metadata
# disagrees. The Solana program binary goes in when `make solana` has built it.
# Needs: the venv with the [dist] extra (PyInstaller), dpkg-deb (files owned by root through
# --root-owner-group, no fakeroot), lintian, binutils (strip, readelf). xz level 1: a third the size of the
# bundle in about a minute on 2 cores (level 3 saves 4 % more and takes four times as long).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PY:-$ROOT/.venv/bin/python}
OUT=$ROOT/build/dist
WORK=$ROOT/build/pyinstaller
export PYTHONPATH=$ROOT/desktop${PYTHONPATH:+:$PYTHONPATH}

VERSION=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ARCH=$(dpkg --print-architecture)
PKG=carbon-smart-meter
DEB=$OUT/${PKG}_${VERSION}_${ARCH}.deb
echo "[dist 1/4] csm $VERSION: PyInstaller one-folder bundle (about 2 minutes on 2 cores)"

# CSM_DIST_REUSE_BUNDLE=1 keeps an existing build/dist/csm (when only the package files changed).
if [[ "${CSM_DIST_REUSE_BUNDLE:-}" == 1 && -x "$OUT/csm/csm" ]]; then
  echo "           reusing $OUT/csm"
else
  CSM_DIST_SOLANA_SO=$("$PY" -c 'from carbon_smart_meter.chains.solana.program_binary import find_program_binary as f; print(f() or "")')
  export CSM_DIST_SOLANA_SO
  if [[ -n "$CSM_DIST_SOLANA_SO" ]]; then
    echo "           with the Solana program $CSM_DIST_SOLANA_SO"
  else
    echo "           without the Solana program (not built: run make solana first to include it)"
  fi
  rm -rf "$OUT/csm"
  mkdir -p "$OUT" "$WORK"
  "$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$OUT" --workpath "$WORK" \
    installers/pyinstaller/csm.spec > "$ROOT/build/pyinstaller.log" 2>&1 || {
    tail -30 "$ROOT/build/pyinstaller.log" >&2
    echo "PyInstaller failed; the whole log is build/pyinstaller.log" >&2
    exit 1
  }
  # Strip symbols from the bundle's native libraries (about 100 MB, mostly debug info in CPython and Qt),
  # but not: the csm program itself (its archive of Python modules is appended to the ELF file),
  # the copies in *.libs/ (auditwheel's vendored copies, rewritten by patchelf: strip breaks their load
  # segments) nor the Solana program (an SBF binary whose hash is its identity).
  find "$OUT/csm" -type f ! -path "$OUT/csm/csm" ! -path '*.libs/*' ! -path '*/onchain/*' -print0 | while IFS= read -r -d '' f; do
    if [[ "$(od -An -N4 -tx1 "$f")" == " 7f 45 4c 46" ]]; then strip --strip-unneeded "$f"; fi
  done
fi
got=$("$OUT/csm/csm" --version)
if [[ "$got" != "csm $VERSION" ]]; then
  echo "the bundle says '$got', pyproject.toml says $VERSION" >&2
  exit 1
fi
echo "           $(du -sm "$OUT/csm" | cut -f1) MB in $OUT/csm"

echo "[dist 2/4] Debian package tree"
STAGE=$ROOT/build/deb/$PKG
rm -rf "$ROOT/build/deb"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/lib/udev/rules.d" \
  "$STAGE/usr/lib/systemd/system" "$STAGE/usr/share/applications" "$STAGE/usr/share/doc/$PKG" \
  "$STAGE/usr/share/man/man1" "$STAGE/usr/share/lintian/overrides" "$STAGE/etc/default"
cp -a "$OUT/csm" "$STAGE/opt/$PKG"
# Shared objects are loaded, not run: no execute bit (PyInstaller copies them 0755).
find "$STAGE/opt" -type f -name '*.so*' -exec chmod 0644 {} +
ln -s "/opt/$PKG/csm" "$STAGE/usr/bin/csm"
install -m 0644 installers/linux/70-carbon-smart-meter.rules "$STAGE/usr/lib/udev/rules.d/"
install -m 0644 installers/linux/carbon-smart-meter.desktop "$STAGE/usr/share/applications/"
install -m 0644 installers/linux/carbon-smart-meter.default "$STAGE/etc/default/$PKG"
UNITS=()
for unit in installers/linux/*.service; do
  install -m 0644 "$unit" "$STAGE/usr/lib/systemd/system/"
  UNITS+=("$(basename "$unit")")
done
install -m 0644 installers/debian/copyright "$STAGE/usr/share/doc/$PKG/copyright"
install -m 0644 installers/debian/lintian-overrides "$STAGE/usr/share/lintian/overrides/$PKG"
gzip -9n < README.md > "$STAGE/usr/share/doc/$PKG/README.md.gz"
sed "s/@VERSION@/$VERSION/" installers/debian/csm.1 | gzip -9n > "$STAGE/usr/share/man/man1/csm.1.gz"
# A native package's changelog, in Debian's format, pointing at the project's CHANGELOG.md.
date_r=$(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")
printf '%s (%s) unstable; urgency=medium\n\n  * Release %s; changes in /opt/%s/_internal/CHANGELOG.md.\n\n -- %s  %s\n' \
  "$PKG" "$VERSION" "$VERSION" "$PKG" "Carbon Smart Meter contributors <maintainers@carbon-smart-meter.invalid>" \
  "$date_r" | gzip -9n > "$STAGE/usr/share/doc/$PKG/changelog.gz"

# Depends: the libraries the bundle's ELF files need and do not carry, mapped to Debian packages.
DEPENDS=$("$PY" installers/debian/shlib_depends.py "$STAGE/opt/$PKG")
for script in postinst prerm postrm; do
  sed "s/@UNITS@/${UNITS[*]}/" "installers/debian/$script" > "$STAGE/DEBIAN/$script"
  chmod 0755 "$STAGE/DEBIAN/$script"
done
echo "/etc/default/$PKG" > "$STAGE/DEBIAN/conffiles"
INSTALLED_SIZE=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@INSTALLED_SIZE@/$INSTALLED_SIZE/" \
  -e "s/@DEPENDS@/$DEPENDS/" installers/debian/control.in > "$STAGE/DEBIAN/control"
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) \
  > "$STAGE/DEBIAN/md5sums"
find "$STAGE" -type d -exec chmod 0755 {} +

echo "[dist 3/4] dpkg-deb"
rm -f "$OUT"/*.deb
dpkg-deb --root-owner-group -Zxz -z1 --build "$STAGE" "$DEB" >/dev/null
echo "           $(du -m "$DEB" | cut -f1) MB: $DEB"

echo "[dist 4/4] lintian"
if lintian --version >/dev/null 2>&1; then
  lintian --info --display-info --show-overrides "$DEB" > "$OUT/lintian.txt" 2>&1 || true
  if grep -qE '^[EW]: ' "$OUT/lintian.txt"; then
    grep -E '^[EW]: ' "$OUT/lintian.txt" >&2
    echo "lintian found errors or warnings that are not explained in installers/debian/lintian-overrides" >&2
    exit 1
  fi
  echo "           no errors or warnings ($(grep -c '^O: ' "$OUT/lintian.txt" || true) overridden with reasons, $(grep -c '^[IP]: ' "$OUT/lintian.txt" || true) info/pedantic notes) in build/dist/lintian.txt"
else
  echo "           lintian is not installed (apt-get install lintian) — not checked" >&2
  exit 1
fi
