#!/usr/bin/env bash
# Installs the Debian package `make dist` built on this machine and runs the program from the installed
# files only (a bare environment, no virtualenv, no PYTHONPATH, away from the source tree):
#   1. csm --version says pyproject.toml's version
#   2. csm demo --chain evm completes (simulator -> recording -> energy -> claim on the embedded chain)
#   3. the packaged csm-ship.service records a simulated adapter for 30 s into its data directory, run
#      by systemd when systemd is PID 1, otherwise by reading the installed unit (User, groups,
#      Environment, EnvironmentFile, ExecCondition, ExecStart) and running that as its user; the session
#      file must pass `csm verify`
#   4. the kiosk unit under headless cage with a screenshot (scripts/smoke-kiosk.sh; `csm gui` stands in
#      while the package has no csm-kiosk.service)
#   5. remove, then purge: the program, its units and its configuration go, the recorded data stays
#      (same bytes)
# It changes the machine it runs on (installs and purges a package, creates the csm account): CI runs
# it as root. Usage: bash scripts/smoke-installed.sh [build/dist/carbon-smart-meter_*.deb]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PKG=carbon-smart-meter
VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
DEB=${1:-$(ls -t build/dist/${PKG}_"$VERSION"_*.deb 2>/dev/null | head -1)}
if [[ -z "$DEB" || ! -f "$DEB" ]]; then
  echo "smoke-installed: no package for $VERSION in build/dist: run make dist first" >&2; exit 1
fi
if [[ $(id -u) -ne 0 ]]; then echo "smoke-installed: needs root (it installs $DEB)" >&2; exit 1; fi
DEB=$(realpath "$DEB")
UNITS=/usr/lib/systemd/system
DATA=/var/lib/carbon-smart-meter
OUT=$ROOT/build/smoke
rm -rf "$OUT"; mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/csm-smoke.XXXXXX)
chmod 0755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
step() { echo "[smoke] $*"; }
fail() { echo "[smoke] FAILED: $*" >&2; exit 1; }
# The installed program in a bare environment: nothing from this checkout or its virtualenv.
bare() { (cd / && env -i PATH=/usr/bin:/bin HOME="$WORK/home" LANG=C.UTF-8 "$@"); }
mkdir -p "$WORK/home"
APT=(apt-get -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends)

step "install $DEB"
if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q "ok installed"; then
  DEBIAN_FRONTEND=noninteractive "${APT[@]}" purge "$PKG" >/dev/null
fi
DEBIAN_FRONTEND=noninteractive "${APT[@]}" install "$DEB" > "$OUT/install.log" 2>&1 || {
  cat "$OUT/install.log" >&2; fail "apt-get could not install the package"; }
[[ "$(readlink -f /usr/bin/csm)" == /opt/$PKG/csm ]] || fail "/usr/bin/csm does not lead to /opt/$PKG/csm"
getent passwd csm >/dev/null || fail "postinst did not create the csm account"
id -nG csm | tr ' ' '\n' | grep -qx dialout || fail "the csm account is not in dialout"
[[ "$(stat -c %U "$DATA/sessions")" == csm ]] || fail "$DATA/sessions is not the csm account's"
for unit in "$UNITS"/csm-*.service; do
  systemd-analyze verify "$unit" 2> "$WORK/verify.txt" || true
  if grep -v "Command 'man " "$WORK/verify.txt" | grep -q .; then cat "$WORK/verify.txt" >&2; fail "$unit"; fi
done

step "1/5 csm --version"
got=$(bare csm --version)
[[ "$got" == "csm $VERSION" ]] || fail "csm --version said '$got', expected 'csm $VERSION'"
echo "        $got"

step "2/5 csm demo --chain evm (about a minute)"
bare csm demo --chain evm > "$OUT/demo.log" 2>&1 || { tail -20 "$OUT/demo.log" >&2; fail "csm demo"; }
grep -q "^\[6/6\] claimed on evm: 1 paid" "$OUT/demo.log" || { tail -5 "$OUT/demo.log" >&2; fail "demo did not claim"; }
tail -1 "$OUT/demo.log" | cut -c1-120

# Runs a unit's main process the way systemd would when systemd is not running here (containers): its
# User with its groups (setpriv execs, so UNIT_PID is the program itself and gets the stop signal), a bare
# environment with its Environment= and EnvironmentFile=, ExecCondition, then ExecStart.
run_unit_by_hand() {  # unit log; sets UNIT_PID
  local unit=$UNITS/$1 log=$2 user groups gids envfile cond start envs=()
  user=$(sed -n 's/^User=//p' "$unit" | tail -1); user=${user:-root}
  groups=$(sed -n 's/^SupplementaryGroups=//p' "$unit" | tail -1)
  gids=$(id -G "$user" | tr ' ' '\n')
  for g in $groups; do gids+=$'\n'$(getent group "$g" | cut -d: -f3); done
  gids=$(echo "$gids" | sort -un | paste -sd, -)
  while IFS= read -r line; do envs+=("$line"); done < <(sed -n 's/^Environment=//p' "$unit")
  envfile=$(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$unit" | tail -1)
  cond=$(sed -n 's/^ExecCondition=//p' "$unit" | tail -1)
  start=$(sed -n 's/^ExecStart=//p' "$unit" | tail -1)
  local script="set -a; ${envs[*]:+export ${envs[*]};} [ -r '$envfile' ] && . '$envfile'; set +a; "
  if [[ -n "$cond" ]]; then script+="$cond || exit 99; "; fi
  script+="exec $start"
  (cd / && exec setpriv --reuid="$user" --regid="$(id -g "$user")" --groups="$gids" \
    env -i PATH=/usr/bin:/bin LANG=C.UTF-8 bash -c "$script") > "$log" 2>&1 &
  UNIT_PID=$!
}

step "3/5 csm-ship.service records a simulated adapter for 30 s into $DATA/sessions"
install -d -o csm -g csm "$WORK/link"
runuser -u csm -- env -i PATH=/usr/bin:/bin HOME="$DATA" csm simulate --rate 1000 --link "$WORK/link/adapter" \
  > "$WORK/sim.out" 2> "$OUT/simulator.log" &
PIDS+=($!)
for _ in $(seq 100); do [[ -e "$WORK/link/adapter" ]] && break; sleep 0.2; done
[[ -e "$WORK/link/adapter" ]] || { cat "$OUT/simulator.log" >&2; fail "the simulator did not start"; }
cp -p /etc/default/$PKG "$WORK/default.orig"
sed -i "s|^CSM_LOGGER_PORTS=.*|CSM_LOGGER_PORTS=\"$WORK/link/adapter\"|; s|^CSM_LOGGER_PROFILE=.*|CSM_LOGGER_PROFILE=logger|" \
  /etc/default/$PKG
before=$(find "$DATA/sessions" -name '*.h5' | sort)
if [[ -d /run/systemd/system ]]; then
  systemctl start csm-ship.service
  sleep 30
  systemctl stop csm-ship.service
  journalctl -u csm-ship.service --no-pager > "$OUT/logger.log" 2>&1 || true
  code=$(systemctl show -p ExecMainStatus --value csm-ship.service)
else
  echo "        (systemd is not PID 1 here: running the installed unit's ExecStart as its User, by hand)"
  run_unit_by_hand csm-ship.service "$OUT/logger.log"
  pid=$UNIT_PID
  PIDS+=("$pid")
  sleep 30
  kill -TERM "$pid"
  code=0; wait "$pid" || code=$?
fi
cp -p "$WORK/default.orig" /etc/default/$PKG
[[ "$code" == 0 ]] || { cat "$OUT/logger.log" >&2; fail "the logger exited with status $code"; }
new=$(comm -13 <(echo "$before") <(find "$DATA/sessions" -name '*.h5' | sort) | head -1)
[[ -n "$new" ]] || { cat "$OUT/logger.log" >&2; fail "no session file in $DATA/sessions"; }
[[ "$(stat -c %U "$new")" == csm ]] || fail "$new is not owned by the service account"
bare csm verify "$new" > "$OUT/verify.log" 2>&1 || { cat "$OUT/verify.log" >&2; fail "csm verify $new"; }
bare csm inspect --json "$new" > "$OUT/inspect.json"
python3 - "$OUT/inspect.json" "$VERSION" <<'PY' || fail "the recorded session is not what 30 s of a 1 kHz adapter give"
import json, sys
doc = json.load(open(sys.argv[1]))
print(f"        {doc['file']}: {doc['samples']} samples over {doc['duration_s']:.1f} s, "
      f"{doc['checkpoints']} checkpoints, written by csm {doc['app_version']}")
sys.exit(0 if doc["samples"] >= 20_000 and doc["duration_s"] >= 20 and doc["app_version"] == sys.argv[2] else 1)
PY
kill "${PIDS[0]}" 2>/dev/null || true
sha=$(sha256sum "$new" | cut -d' ' -f1)

step "4/5 a Wayland kiosk under headless cage, with a screenshot"
bash "$ROOT/scripts/smoke-kiosk.sh" "$OUT" || fail "kiosk under cage (log: $OUT/cage.log)"
[[ -f "$UNITS/csm-kiosk.service" ]] || echo "        (csm-kiosk.service is not packaged yet: csm gui stood in for it)"

step "5/5 remove and purge keep the recorded data"
DEBIAN_FRONTEND=noninteractive "${APT[@]}" remove "$PKG" > "$OUT/remove.log" 2>&1 || { cat "$OUT/remove.log" >&2; fail remove; }
[[ ! -e /opt/$PKG && ! -e /usr/bin/csm && ! -e $UNITS/csm-ship.service ]] || fail "remove left the program behind"
[[ -f /etc/default/$PKG ]] || fail "remove (not purge) deleted the configuration"
[[ "$(sha256sum "$new" | cut -d' ' -f1)" == "$sha" ]] || fail "remove changed $new"
DEBIAN_FRONTEND=noninteractive "${APT[@]}" purge "$PKG" > "$OUT/purge.log" 2>&1 || { cat "$OUT/purge.log" >&2; fail purge; }
[[ ! -e /etc/default/$PKG ]] || fail "purge kept /etc/default/$PKG"
[[ "$(sha256sum "$new" | cut -d' ' -f1)" == "$sha" ]] || fail "purge deleted or changed $new"
grep -q "recorded data kept in $DATA" "$OUT/purge.log" || fail "purge did not say where the data stayed"
echo "        $new kept, same bytes"
echo "installed-package smoke: 5 passed, 0 failed"
