#!/usr/bin/env bash
# The installed-package smoke's screen step (called by scripts/smoke-installed.sh, package installed):
# a Wayland kiosk under cage with wlroots' headless back end (no GPU, no screen), then a screenshot with
# grim, which must show more than a blank screen.
# With csm-kiosk.service in the package: its ExecStart, as its User, after starting the csm-* units it
# Requires= or Wants= (csm serve). Without it (the kiosk not merged yet): `csm gui` in cage, the same
# path through Qt's Wayland platform, fonts and the installed files, so the hook is exercised today.
# cage refuses to run as root, so the program runs as the unit's user (or the csm service account).
# Usage: smoke-kiosk.sh OUTDIR   (writes OUTDIR/kiosk.png and OUTDIR/cage.log)
set -euo pipefail
OUT=${1:?usage: smoke-kiosk.sh OUTDIR}
UNITS=/usr/lib/systemd/system
KIOSK=$UNITS/csm-kiosk.service
PIDS=()
RUNTIME=$(mktemp -d /tmp/csm-kiosk-runtime.XXXXXX)
cleanup() {
  for pid in "${PIDS[@]}"; do pkill -TERM -P "$pid" 2>/dev/null || true; kill -TERM "$pid" 2>/dev/null || true; done
  sleep 1
  rm -rf "$RUNTIME"
}
trap cleanup EXIT

value() { sed -n "s/^$1=//p" "$2" | tail -1; }  # key unit
# The unit's Environment= lines as `export` words, as systemd would set them (values have no spaces).
environment() { sed -n 's/^Environment=//p' "$1" | sed 's/^/export /; s/$/;/' | tr '\n' ' '; }
# ... and its EnvironmentFile= (the package's /etc/default/carbon-smart-meter), sourced as systemd reads it.
envfile() {
  local f; f=$(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$1" | tail -1)
  [[ -n "$f" && -f "$f" ]] && printf 'set -a; . %q; set +a; ' "$f"
  return 0
}

if [[ -f "$KIOSK" ]]; then
  user=$(value User "$KIOSK"); user=${user:-csm}
  for dep in $(value Requires "$KIOSK") $(value Wants "$KIOSK"); do
    [[ "$dep" == csm-*.service && -f "$UNITS/$dep" ]] || continue
    start=$(value ExecStart "$UNITS/$dep")
    depuser=$(value User "$UNITS/$dep"); depuser=${depuser:-csm}
    runtime=$(value RuntimeDirectory "$UNITS/$dep")
    if [[ -n "$runtime" ]]; then  # what systemd's RuntimeDirectory= makes before the service starts
      install -d -o "$depuser" -g "$depuser" -m "$(value RuntimeDirectoryMode "$UNITS/$dep")" "/run/$runtime"
      SOCKET=/run/$runtime/session.sock
    fi
    echo "        starting $dep: $start"
    (cd / && runuser -u "$depuser" -- env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
      bash -c "$(envfile "$UNITS/$dep")$(environment "$UNITS/$dep") exec $start") > "$OUT/$dep.log" 2>&1 &
    PIDS+=($!)
  done
  sleep 5
  command=$(value ExecStart "$KIOSK")
  what="csm-kiosk.service ($command)"
else
  user=csm
  command="/usr/bin/cage -d -- /usr/bin/csm gui --simulators 1"
  what="csm gui in cage (stand-in until csm-kiosk.service is packaged)"
fi
chown "$user" "$RUNTIME"; chmod 0700 "$RUNTIME"
echo "        $what as $user"
unit_env=""
[[ -f "$KIOSK" ]] && unit_env=$(environment "$KIOSK")
(cd / && runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME=/var/lib/carbon-smart-meter LANG=C.UTF-8 \
  XDG_RUNTIME_DIR="$RUNTIME" WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
  QT_QPA_PLATFORM=wayland bash -c "$unit_env exec $command") > "$OUT/cage.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do [[ -S "$RUNTIME/wayland-0" ]] && break; sleep 0.5; done
[[ -S "$RUNTIME/wayland-0" ]] || { cat "$OUT/cage.log" >&2; echo "cage did not start" >&2; exit 1; }
# Screenshots until one shows the window (a blank compositor is one colour), for up to 90 s.
for attempt in $(seq 18); do
  sleep 5
  kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$OUT/cage.log" >&2; echo "the kiosk exited early" >&2; exit 1; }
  runuser -u "$user" -- env XDG_RUNTIME_DIR="$RUNTIME" WAYLAND_DISPLAY=wayland-0 grim "$RUNTIME/shot.png"
  cp "$RUNTIME/shot.png" "$OUT/kiosk.png"
  if python3 - "$OUT/kiosk.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
distinct = len(set(raw[:: max(1, len(raw) // 200_000)]))
ok = w >= 640 and h >= 480 and distinct > 20
if ok:
    print(f"        screenshot {w}x{h}, {distinct} distinct byte values sampled")
sys.exit(0 if ok else 1)
PY
  then
    if [[ -n "${SOCKET:-}" ]]; then  # the view must be attached to the service, not waiting for it
      views=$(runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME=/var/lib/carbon-smart-meter \
        /usr/bin/csm serve --status --socket "$SOCKET" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("views", 0))')
      if [[ "$views" -lt 1 ]]; then
        [[ $attempt -lt 18 ]] && continue
        cat "$OUT"/*.log >&2; echo "the kiosk view never attached to the service on $SOCKET" >&2; exit 1
      fi
      echo "        the kiosk view is attached to the service on $SOCKET ($views view)"
    fi
    # Software rendering here (no GPU): the view must have noticed it, or cage shows its first frame for ever.
    if ! compgen -G "/dev/dri/renderD*" > /dev/null; then
      grep -q "composite every frame" "$OUT/cage.log" || {
        cat "$OUT/cage.log" >&2; echo "no GPU here, but the kiosk view did not make cage composite every frame" >&2
        exit 1; }
      echo "        no GPU: the view made cage composite every frame"
    fi
    exit 0
  fi
done
cat "$OUT/cage.log" >&2
echo "the screen stayed blank for 90 s (last screenshot: $OUT/kiosk.png)" >&2
exit 1
