#!/usr/bin/env bash
# Rehearse a fresh Raspberry Pi on this PC: debootstrap Debian bookworm (Python 3.11) and
# trixie (Python 3.13) arm64 roots, and inside each, under qemu-user, do what the README
# tells a Pi owner to do:
#   make sim (first without python3-venv: the one-line hint), make sim, make test,
#   sudo systemd/install.sh, the installed device as its service user, install.sh again.
# Prints a table release x step -> pass/FAIL and minutes. Needs root (chroot, mounts) and
# the package mirrors; slow (emulated), so not part of `make test`.
#
#   sudo tools/pi_rehearsal.sh            or   make pi-rehearsal
#
# Settings (environment; `make pi-rehearsal` passes its variables of the same names):
#   REHEARSAL_DIR   cache and work folder, default /var/tmp/pftrainer-rehearsal (outside the
#                   repo): <release>-arm64.base is the pristine root (debootstrapped once),
#                   <release>-arm64 the copy a run works in (kept for a look afterwards),
#                   logs/ each step's output
#   RELEASES        default "bookworm trixie"
#   PARALLEL        1 runs the releases side by side (one core each), default 0
#   TESTS           pytest arguments for the `make test` step, e.g. "tests/test_install.py";
#                   empty (the default) runs the whole suite, as the README's `make test`
#   MIRROR          default http://deb.debian.org/debian
#   QEMU_CPU        the emulated CPU, default cortex-a76 (the Pi 5's). qemu's default, "max",
#                   implements pointer authentication, which trixie's Python is built to use,
#                   and emulates it so slowly that Python 3.13 runs ~30x slower (measured: a
#                   2-million-step loop 122 s against 4.4 s); the Pi's cores do not have it.
#   EMULATION       auto (default), binfmt or proot: how aarch64 binaries run. binfmt
#                   registers qemu-aarch64-static with the kernel's binfmt_misc (flag F, so it
#                   works in a chroot) and chroots; where binfmt_misc cannot be mounted or
#                   written (an unprivileged container), proot -q runs each command instead.
#
# What a real Pi has that these plain Debian roots do not: Raspberry Pi OS's own packages
# (raspi-config, python3-lgpio, python3-rpi-lgpio: the rehearsal takes install.sh's path
# for a system without them) and a booted systemd (install.sh enables the unit but
# cannot start it, and says so). /boot/firmware/config.txt is stubbed as on the Pi.

set -Eeuo pipefail

REHEARSAL_DIR=${REHEARSAL_DIR:-/var/tmp/pftrainer-rehearsal}
RELEASES=${RELEASES:-bookworm trixie}
PARALLEL=${PARALLEL:-0}
TESTS=${TESTS:-}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
EMULATION=${EMULATION:-auto}
export QEMU_CPU=${QEMU_CPU:-cortex-a76}
REPO=$(cd "$(dirname "$0")/.." && pwd -P)
SELF=$REPO/tools/pi_rehearsal.sh
LOGS=$REHEARSAL_DIR/logs
# besides the base system, what a Raspberry Pi OS Lite image has too (python3-venv comes later)
BASE_PKGS=python3,make,git,ca-certificates,sudo
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
QEMU=/usr/bin/qemu-aarch64-static
BINFMT=/proc/sys/fs/binfmt_misc

say() { printf 'pi_rehearsal: %s\n' "$*"; }
die() { printf 'pi_rehearsal: %s\n' "$*" >&2; exit 2; }
trap 'printf "pi_rehearsal: failed (exit %s): %s\n" "$?" "$BASH_COMMAND" >&2' ERR

# --- running things in a root -----------------------------------------------------------
mount_root() {   # ROOT: the kernel file systems a chroot needs
  local d=$1 m
  [ "$MODE" = binfmt ] || return 0
  for m in proc sys dev dev/pts dev/shm; do mkdir -p "$d/$m"; done
  mount -t proc proc "$d/proc"
  mount --rbind /sys "$d/sys"
  mount --make-rslave "$d/sys"
  mount --bind /dev "$d/dev"
  mount -t devpts -o newinstance,ptmxmode=0666 devpts "$d/dev/pts"
  mount -t tmpfs -o mode=1777 shm "$d/dev/shm"
}
umount_under() {   # DIR: unmount everything mounted below DIR, deepest first
  local m
  awk -v p="$1/" 'index($2, p) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true; done
}
# DIR: remove a root -- never while something (the host's /dev!) is still mounted in it
remove_root() {
  umount_under "$1"
  if [ -n "$(awk -v p="$1/" 'index($2, p) == 1' /proc/mounts)" ]; then die "$1 still has mounts: not removing it"; fi
  rm -rf --one-file-system "$1"
}
# ROOT USER CMD...: run CMD as USER (root or pi) in ROOT, with a clean environment
in_root() {
  local d=$1 user=$2; shift 2
  local home=/root; [ "$user" = root ] || home=/home/$user
  local env=(env -i "HOME=$home" "USER=$user" "LOGNAME=$user" "PATH=$CHROOT_PATH" LANG=C.UTF-8 TERM=dumb
             "QEMU_CPU=$QEMU_CPU")
  if [ "$MODE" = binfmt ]; then
    if [ "$user" = root ]; then chroot "$d" "${env[@]}" "$@"
    else chroot --userspec="$user:$user" "$d" "${env[@]}" "$@"; fi
  elif [ "$user" = root ]; then
    proot -0 -q "$QEMU" -r "$d" -b /dev -b /proc -b /sys -w "$home" "${env[@]}" "$@"
  else   # proot cannot change users: it fakes pi's ids
    local ids; ids=$(awk -F: -v u="$user" '$1 == u {print $3 ":" $4}' "$d/etc/passwd")
    proot -i "$ids" -q "$QEMU" -r "$d" -b /dev -b /proc -b /sys -w "$home" "${env[@]}" "$@"
  fi
}

# --- the roots --------------------------------------------------------------------------
base_root() {   # RELEASE: debootstrap the pristine root once
  local r=$1 base=$REHEARSAL_DIR/$1-arm64.base
  [ -e "$base/.pftrainer-base-ok" ] && { echo "cached: $base"; return 0; }
  remove_root "$base"
  if [ "$MODE" = binfmt ]; then
    debootstrap --arch=arm64 --include="$BASE_PKGS" "$r" "$base" "$MIRROR"
  else
    debootstrap --arch=arm64 --foreign --include="$BASE_PKGS" "$r" "$base" "$MIRROR"
    proot -0 -q "$QEMU" -r "$base" -b /dev -b /proc -b /sys /debootstrap/debootstrap --second-stage
  fi
  rm -f "$base"/var/cache/apt/archives/*.deb
  touch "$base/.pftrainer-base-ok"
}
work_root() {   # RELEASE: a fresh copy of the pristine root, with a user pi and this checkout
  local base=$REHEARSAL_DIR/$1-arm64.base d=$REHEARSAL_DIR/$1-arm64
  remove_root "$d"
  cp -a "$base" "$d"
  cp -L /etc/resolv.conf "$d/etc/resolv.conf"
  # as on the Pi: the firmware's config.txt (Raspberry Pi OS, both releases)
  mkdir -p "$d/boot/firmware"
  printf '%s\n' '# Raspberry Pi OS' 'dtparam=audio=on' 'camera_auto_detect=1' 'display_auto_detect=1' \
    '[all]' > "$d/boot/firmware/config.txt"
  # the host's own certificate authorities (a TLS proxy's, say), so that pip and apt in the
  # root reach what the host reaches; a Pi on a home network needs none of this
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    mkdir -p "$d/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$d/usr/local/share/ca-certificates/"
    in_root "$d" root update-ca-certificates
  fi
  in_root "$d" root useradd --create-home --shell /bin/bash --groups sudo pi
  mkdir -p "$d/home/pi/pftrainer"
  git -C "$REPO" ls-files -z | (cd "$REPO" && tar --null -T - -cf -) | tar -xf - -C "$d/home/pi/pftrainer"
  in_root "$d" root chown -R pi:pi /home/pi/pftrainer
}

# --- steps ------------------------------------------------------------------------------
# A step is a function run by a fresh `bash $0 --step FUNCTION RELEASE` with errexit on:
# every command in it is a check, and the first that fails ends the step (its log ends
# with the command that failed).
# results: one line per step, "release<TAB>step<TAB>pass|FAIL|skip<TAB>seconds"
RESULTS=$REHEARSAL_DIR/results
record() { printf '%s\t%s\t%s\t%s\n' "$@" >> "$RESULTS/$1.tsv"; }
step() {   # RELEASE NAME FUNCTION
  local r=$1 name=$2 fn=$3 t0 log=$LOGS/$1-$2.log status=pass
  say "$r: $name (log: $log)"
  t0=$EPOCHREALTIME
  REHEARSAL_MODE=$MODE bash "$SELF" --step "$fn" "$r" > "$log" 2>&1 || status=FAIL
  record "$r" "$name" "$status" "$(awk "BEGIN {printf \"%.0f\", $EPOCHREALTIME - $t0}")"
  say "$r: $name: $status"
  [ "$status" = pass ]
}
ROOT_OF() { echo "$REHEARSAL_DIR/$1-arm64"; }
as_pi() { local d; d=$(ROOT_OF "$1"); shift; in_root "$d" pi bash -c "cd ~/pftrainer && $*"; }
as_root() { local d; d=$(ROOT_OF "$1"); shift; in_root "$d" root bash -c "cd /home/pi/pftrainer && $*"; }
has_line() { grep -qx -- "$2" "$1" || { echo "no line '$2' in $1"; return 1; }; }

s_debootstrap() { base_root "$1"; }
s_copy() { work_root "$1"; }
s_python() { as_pi "$1" 'python3 -V; uname -m; id'; }
s_no_venv() {   # before python3-venv: make says what to install, in one line, and fails
  local out rc=0
  out=$(as_pi "$1" 'make sim 2>&1') || rc=$?
  printf '%s\n' "$out"
  echo "exit $rc"
  [ "$rc" != 0 ]
  # make's own "make: *** ... Error 2" follows the line; no traceback, no venv left behind
  grep -qx "Python's venv module is missing: sudo apt-get install python3-venv" <<< "$out"
  if grep -q Traceback <<< "$out"; then echo "a traceback"; exit 1; fi
  [ ! -e "$(ROOT_OF "$1")/home/pi/pftrainer/.venv" ]
}
s_apt_venv() { as_root "$1" 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv'; }
s_make_sim() {
  as_pi "$1" 'make sim'
  as_pi "$1" 'test -s sim-out/session/recording.csv.gz && ls sim-out/state'
}
# shellcheck disable=SC2016  # the single quotes are inside double ones: $TESTS expands here
s_make_test() { as_pi "$1" "make test${TESTS:+ TESTS='$TESTS'}"; }
s_install() {
  local d out groups; d=$(ROOT_OF "$1")
  out=$(as_root "$1" 'systemd/install.sh')
  printf '%s\n' "$out"
  # it noticed that nothing can be started here, and said so; and that lgpio is not packaged
  grep -q 'systemd is not running here' <<< "$out"
  grep -q 'WARNING: python3-lgpio python3-rpi-lgpio are not in this system' <<< "$out"
  # what it installed
  test -x "$d/opt/pftrainer/.venv/bin/pftrainer"
  grep -qx 'include-system-site-packages = true' "$d/opt/pftrainer/.venv/pyvenv.cfg"
  test -s "$d/etc/pftrainer/pftrainer.toml"
  cmp "$d/etc/systemd/system/pftrainer.service" "$d/home/pi/pftrainer/systemd/pftrainer.service"
  test -L "$d/etc/systemd/system/multi-user.target.wants/pftrainer.service"
  groups=$(as_root "$1" 'id -nG pftrainer')
  echo "pftrainer is in: $groups"
  [[ " $groups " == *" i2c "* && " $groups " == *" gpio "* ]]
  has_line "$d/boot/firmware/config.txt" 'dtparam=i2c_arm=on'
  has_line "$d/boot/firmware/config.txt" 'dtparam=i2c_arm_baudrate=400000'
  has_line "$d/etc/modules-load.d/pftrainer.conf" 'i2c-dev'
  [ "$(stat -c %U "$d/opt/pftrainer/device/cli.py")" = root ]
  echo "installed: /opt/pftrainer/.venv, /etc/pftrainer, the unit (enabled), user pftrainer in i2c and gpio"
}
s_device() {   # the installed device runs as its user: the simulator self-test passes, the
  local rc=0   # real one (no I2C bus here) exits 3 with one line
  as_root "$1" 'cd / && runuser -u pftrainer -- /opt/pftrainer/.venv/bin/pftrainer --config /etc/pftrainer/pftrainer.toml selftest --sim'
  as_root "$1" 'cd / && runuser -u pftrainer -- /opt/pftrainer/.venv/bin/pftrainer --config /etc/pftrainer/pftrainer.toml selftest' || rc=$?
  echo "selftest on the (absent) hardware: exit $rc"
  [ "$rc" = 3 ]
}
s_install_again() {   # idempotent: the user's config kept, config.txt not appended to again
  local d; d=$(ROOT_OF "$1")
  echo '# edited by the owner' >> "$d/etc/pftrainer/pftrainer.toml"
  cp "$d/boot/firmware/config.txt" "$LOGS/$1-config.txt.before"
  as_root "$1" 'systemd/install.sh'
  has_line "$d/etc/pftrainer/pftrainer.toml" '# edited by the owner'
  cmp "$d/boot/firmware/config.txt" "$LOGS/$1-config.txt.before"
  [ "$(grep -c '^i2c-dev$' "$d/etc/modules-load.d/pftrainer.conf")" = 1 ]
  as_root "$1" 'cd / && runuser -u pftrainer -- /opt/pftrainer/.venv/bin/pftrainer config >/dev/null'
  echo "second run: the owner's config kept, the boot config unchanged"
}

STEPS=(debootstrap:s_debootstrap copy:s_copy python:s_python no-venv:s_no_venv
       apt-venv:s_apt_venv make-sim:s_make_sim make-test:s_make_test install.sh:s_install
       device:s_device install-again:s_install_again)
rehearse() {   # RELEASE: every step; a failed step skips only the steps that need it
  local r=$1 s name fn hard=0 installed=1
  rm -f "$RESULTS/$r.tsv"
  for s in "${STEPS[@]}"; do
    name=${s%%:*} fn=${s#*:}
    if [ "$hard" = 1 ] || { [ "$installed" = 0 ] && [[ $name == device || $name == install-again ]]; }
    then record "$r" "$name" skip 0; continue
    fi
    if step "$r" "$name" "$fn"; then
      [ "$name" != copy ] || mount_root "$(ROOT_OF "$r")"
    else
      case $name in debootstrap|copy|python|apt-venv) hard=1 ;; install.sh) installed=0 ;; esac
    fi
  done
  umount_under "$(ROOT_OF "$r")"
}

# --- one step, in its own process (see step()) -------------------------------------------
if [ "${1:-}" = --step ]; then
  MODE=$REHEARSAL_MODE
  "$2" "$3"
  exit
fi

# --- the rehearsal ----------------------------------------------------------------------
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mounts): sudo $0"
case $REHEARSAL_DIR in /*) ;; *) die "REHEARSAL_DIR must be an absolute path" ;; esac
case $REHEARSAL_DIR/ in "$REPO"/*) die "REHEARSAL_DIR must be outside the repository" ;; esac
case $EMULATION in auto|binfmt|proot) ;; *) die "EMULATION is auto, binfmt or proot, not $EMULATION" ;; esac
for r in $RELEASES; do
  case $r in bookworm|trixie) ;; *) die "RELEASES: $r is not bookworm or trixie" ;; esac
done
{ command -v git >/dev/null && git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; } ||
  die "$REPO is not a git checkout (the rehearsal copies its tracked files)"

# --- host tools -------------------------------------------------------------------------
need=()
[ -x "$QEMU" ] || need+=(qemu-user-static)
command -v debootstrap >/dev/null || need+=(debootstrap)
[ "$EMULATION" != proot ] || command -v proot >/dev/null || need+=(proot)
if [ ${#need[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "install ${need[*]} first"
  say "installing ${need[*]} on this machine"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null ||
    die "could not install ${need[*]}: apt-get install ${need[*]}"
fi

# --- how aarch64 code runs here ---------------------------------------------------------
binfmt_ready() { grep -qs '^enabled' "$BINFMT/qemu-aarch64" && grep -qs '^flags:.*F' "$BINFMT/qemu-aarch64"; }
register_binfmt() {
  binfmt_ready && return 0
  [ -w "$BINFMT/register" ] || mount -t binfmt_misc binfmt_misc "$BINFMT" 2>/dev/null || return 1
  if [ -e "$BINFMT/qemu-aarch64" ]; then echo -1 > "$BINFMT/qemu-aarch64" 2>/dev/null || return 1; fi
  local magic='\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
  local mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
  printf ':qemu-aarch64:M::%s:%s:%s:OCF\n' "$magic" "$mask" "$QEMU" > "$BINFMT/register" 2>/dev/null ||
    return 1
  binfmt_ready
}
MODE=$EMULATION
if [ "$MODE" != proot ]; then
  if register_binfmt; then MODE=binfmt
  elif [ "$MODE" = binfmt ]; then
    die "cannot register qemu-aarch64 with binfmt_misc here (not mountable or not writable): try EMULATION=proot"
  else
    say "binfmt_misc cannot be used here (not mountable or not writable): running through proot -q instead"
    MODE=proot
    command -v proot >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q proot >/dev/null ||
      die "neither binfmt_misc nor proot: apt-get install proot"
  fi
fi
say "aarch64 code runs by $( [ "$MODE" = binfmt ] && echo "binfmt_misc + $QEMU (chroot)" || echo "proot -q $QEMU")"

trap 'umount_under "$REHEARSAL_DIR"' EXIT
trap 'umount_under "$REHEARSAL_DIR"; exit 130' INT TERM

mkdir -p "$REHEARSAL_DIR" "$LOGS" "$RESULTS"
say "roots in $REHEARSAL_DIR; $(nproc) cores; emulated CPU $QEMU_CPU; tests: ${TESTS:-the whole suite}"
T0=$EPOCHREALTIME
if [ "$PARALLEL" = 1 ]; then
  pids=()
  for r in $RELEASES; do rehearse "$r" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || true; done
else
  for r in $RELEASES; do rehearse "$r"; done
fi

# --- the table --------------------------------------------------------------------------
echo
printf '%-14s' step; for r in $RELEASES; do printf '%-18s' "$r"; done; echo
fails=0
for s in "${STEPS[@]}"; do
  name=${s%%:*}
  printf '%-14s' "$name"
  for r in $RELEASES; do
    line=$(awk -F'\t' -v n="$name" '$2 == n' "$RESULTS/$r.tsv" 2>/dev/null | tail -n 1)
    if [ -z "$line" ]; then printf '%-18s' '-'; continue; fi
    IFS=$'\t' read -r _ _ verdict secs <<< "$line"
    [ "$verdict" != FAIL ] || fails=$((fails + 1))
    if [ "$verdict" = skip ]; then printf '%-18s' skip
    else printf '%-18s' "$(printf '%s %dm%02ds' "$verdict" $((secs / 60)) $((secs % 60)))"; fi
  done
  echo
done
printf 'total %s min; logs in %s\n' "$(awk "BEGIN {printf \"%.1f\", ($EPOCHREALTIME - $T0) / 60}")" "$LOGS"
[ "$fails" = 0 ] || { say "$fails step(s) failed: see the logs"; exit 1; }
