#!/usr/bin/env bash
# Install pftrainer as an appliance on Raspberry Pi OS Bookworm, from this checkout:
#   sudo systemd/install.sh [--dry-run]
# It enables I2C, creates the system user pftrainer (in groups i2c and gpio), copies the
# source to /opt/pftrainer and installs it into /opt/pftrainer/.venv (pinned by
# constraints.txt), writes /etc/pftrainer/pftrainer.toml from `pftrainer config` unless
# that file exists (your config is never overwritten), then installs and enables
# pftrainer.service and starts it once I2C is live. Running it again upgrades the install.
#
#   --dry-run   print each command instead of running it
#   -h, --help  print this text
#
# PFTRAINER_ROOT=/abs/dir prefixes every target path (/opt, /etc, /boot) to stage an
# install without root; it skips the root check, groupadd/useradd, raspi-config, chown
# and systemctl.

set -euo pipefail
umask 022

DRY=0
for arg in "$@"; do
  case $arg in
    --dry-run) DRY=1 ;;
    -h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

R=${PFTRAINER_ROOT:-}
R=${R%/}
SRC=$(cd "$(dirname "$0")/.." && pwd -P)
DEST=$R/opt/pftrainer
VENV=$DEST/.venv
ETC=$R/etc/pftrainer
CONF=$ETC/pftrainer.toml
UNIT=$R/etc/systemd/system/pftrainer.service
SKIP=(.git .venv sim-out __pycache__ .pytest_cache .hypothesis build '*.egg-info')
REBOOT=0

step() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die()  { printf 'install.sh: %s\n' "$*" >&2; exit 2; }
run()  { if [ "$DRY" = 1 ]; then note "+ $*"; else "$@"; fi; }
# a command that changes the host itself: never in a staging root
system() { if [ -n "$R" ]; then note "skipped (staging root): $*"; else run "$@"; fi; }
# FILE PATTERN: FILE has an uncommented line matching PATTERN
has() { grep -q "^[^#]*$2" "$1" 2>/dev/null; }
# FILE LINE...: append the lines to FILE; they take effect at the next boot
append() {
  local f=$1; shift
  REBOOT=1
  if [ "$DRY" = 1 ]; then note "+ append to $f: $*"; return; fi
  mkdir -p "$(dirname "$f")"
  if [ -s "$f" ] && [ -n "$(tail -c1 "$f")" ]; then echo >> "$f"; fi
  printf '%s\n' "$@" >> "$f"
}
# shellcheck disable=SC2254  # NAME: is it one of SKIP (patterns, hence unquoted)?
skipped() { local p; for p in "${SKIP[@]}"; do case $1 in $p) return 0 ;; esac; done; return 1; }

step "Checking for root, Python 3.11 and its venv module"
case $R in ''|/*) ;; *) die "PFTRAINER_ROOT must be an absolute path" ;; esac
if [ -z "$R" ] && [ "$DRY" = 0 ] && [ "$(id -u)" != 0 ]; then
  die "this installs a system service and must run as root: sudo $0"
fi
PY=$(command -v python3.11 || command -v python3 || true)
[ -n "$PY" ] || die "python3 not found: sudo apt-get install python3 python3-venv"
"$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' ||
  die "pftrainer needs Python 3.11 (pyproject.toml), $PY is $("$PY" -V 2>&1)"
"$PY" -c 'import ensurepip, venv' 2>/dev/null ||
  die "Python's venv module is missing: sudo apt-get install python3-venv"
[ -f "$SRC/pyproject.toml" ] || die "$SRC is not a pftrainer checkout"

step "Enabling I2C"
BOOT=$R/boot/firmware/config.txt                        # Bookworm
[ -f "$BOOT" ] || BOOT=$R/boot/config.txt               # older images
on=""
if [ -z "$R" ] && command -v raspi-config >/dev/null; then
  run raspi-config nonint do_i2c 0
else
  [ -z "$R" ] || note "raspi-config skipped (staging root)"
  if [ ! -f "$BOOT" ]; then note "no config.txt under $R/boot: enable I2C by hand"
  elif ! has "$BOOT" 'i2c_arm=on'; then on=dtparam=i2c_arm=on; fi
  has "$R/etc/modules" 'i2c-dev' || append "$R/etc/modules" i2c-dev
fi
baud=""
if [ -f "$BOOT" ] && ! has "$BOOT" 'i2c_arm_baudrate='; then baud=dtparam=i2c_arm_baudrate=400000; fi
if [ -n "$on$baud" ]; then append "$BOOT" '[all]' ${on:+"$on"} ${baud:+"$baud"}; fi

step "Creating the system user pftrainer in groups i2c and gpio"
for g in pftrainer i2c gpio; do
  getent group "$g" >/dev/null || system groupadd --system "$g"
done
if id -u pftrainer >/dev/null 2>&1; then note "user pftrainer exists"
else system useradd --system --gid pftrainer --no-create-home --home-dir /nonexistent \
  --shell /usr/sbin/nologin pftrainer
fi
system usermod -aG i2c,gpio pftrainer

step "Installing pftrainer into $DEST and $VENV"
run mkdir -p "$DEST"
if [ "$SRC" = "$DEST" ]; then note "already in $DEST"
elif command -v rsync >/dev/null; then
  run rsync -a --delete "${SKIP[@]/#/--exclude=}" "$SRC/" "$DEST/"
else
  for f in "$SRC"/* "$SRC"/.[!.]*; do
    if [ -e "$f" ] && ! skipped "${f##*/}"; then run cp -a "$f" "$DEST/"; fi
  done
  run find "$DEST" -name __pycache__ -prune -exec rm -rf {} +
fi
run rm -rf "$DEST/build"      # a stale setuptools build/ would put removed modules in the wheel
run "$PY" -m venv "$VENV"
run "$VENV/bin/pip" install --disable-pip-version-check -c "$DEST/constraints.txt" "$DEST"
system chown -R root:root "$DEST"
run chmod -R a+rX,go-w "$DEST"

step "Configuring $ETC"
run mkdir -p "$ETC/programmes"
if [ -e "$CONF" ]; then note "keeping the existing $CONF"
elif [ "$DRY" = 1 ]; then note "+ $VENV/bin/pftrainer config > $CONF"
else
  "$VENV/bin/pftrainer" config > "$CONF.new"
  mv "$CONF.new" "$CONF"
fi

step "Installing and enabling pftrainer.service"
run install -D -m 0644 "$SRC/systemd/pftrainer.service" "$UNIT"
system systemctl daemon-reload
system systemctl enable pftrainer.service
if [ -n "$R" ] || [ -e /dev/i2c-1 ]; then system systemctl restart pftrainer.service
else note "/dev/i2c-1 is missing: I2C (and pftrainer with it) comes up after a reboot"; REBOOT=1
fi

step "Done"
[ "$REBOOT" = 0 ] || note "reboot to apply the I2C settings: sudo reboot"
note "logs: journalctl -u pftrainer -f"
note "check the hardware: sudo systemctl stop pftrainer &&" \
  "sudo -u pftrainer $VENV/bin/pftrainer --config $CONF selftest"
