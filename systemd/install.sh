#!/usr/bin/env bash
# Install pftrainer as an appliance on Raspberry Pi OS (bookworm, Python 3.11, or trixie,
# Python 3.13), from this checkout:
#   sudo systemd/install.sh [--dry-run]
# It enables I2C, creates the system user pftrainer (in groups i2c and gpio), installs the
# GPIO libraries from the OS (python3-lgpio, python3-rpi-lgpio: apt, no compiler), copies
# the source to /opt/pftrainer and installs it into /opt/pftrainer/.venv (the OS's python3,
# pinned wheels by constraints.txt, the OS's GPIO libraries seen through system site
# packages), writes /etc/pftrainer/pftrainer.toml from `pftrainer config` unless that file
# exists (your config is never overwritten), then installs and enables pftrainer.service
# and starts it once I2C is live, with pftrainer-usb@.service and the udev rule that starts
# it for a USB stick plugged in. Running it again upgrades the install; a running service
# is stopped while its files are replaced and started again at the end.
#
#   --dry-run   print each command instead of running it
#   -h, --help  print this text
#
# PFTRAINER_ROOT=/abs/dir prefixes every target path (/opt, /etc, /boot) to stage an
# install without root; it skips the root check, apt-get, groupadd/useradd, raspi-config,
# chown and systemctl. PFTRAINER_PYTHON picks the interpreter (default /usr/bin/python3,
# the one the OS's python3-lgpio is built for).

set -Eeuo pipefail
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
USB_UNIT=$R/etc/systemd/system/pftrainer-usb@.service
USB_RULE=$R/etc/udev/rules.d/90-pftrainer-usb.rules
# what systemd/pftrainer-usb, the USB stick's mount and export, runs (util-linux, coreutils)
USB_TOOLS=(lsblk blkid mktemp mount umount mountpoint setpriv id)
MODULES=$R/etc/modules-load.d/pftrainer.conf
SKIP=(.git .venv '.venv-*' sim-out __pycache__ .pytest_cache .hypothesis build '*.egg-info')
# the GPIO stack on the Pi: Raspberry Pi OS (and Ubuntu) package both; lgpio has no wheel
# for Python 3.13, and these match the OS's kernel and Pi models
GPIO_PKGS=(python3-lgpio python3-rpi-lgpio)
REBOOT=0

step() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die()  { printf 'install.sh: %s\n' "$*" >&2; exit 2; }
run()  { if [ "$DRY" = 1 ]; then note "+ $*"; else "$@"; fi; }
# a command that changes the host itself: never in a staging root
system() { if [ -n "$R" ]; then note "skipped (staging root): $*"; else run "$@"; fi; }
# a command that failed under set -e: one line naming it (its own output is above)
trap 'printf "install.sh: failed (exit %s): %s\n" "$?" "$BASH_COMMAND" >&2' ERR
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
  note "added to $f: $*"
}
# shellcheck disable=SC2254  # NAME: is it one of SKIP (patterns, hence unquoted)?
skipped() { local p; for p in "${SKIP[@]}"; do case $1 in $p) return 0 ;; esac; done; return 1; }
# PKG...: all installed?
installed() { local p; for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' installed$' || return 1; done; }
# PKG...: all known to apt (from the package lists as they are)?
known() { local p; for p in "$@"; do
  apt-cache policy "$p" 2>/dev/null | grep -q '^ *Candidate: [^(]' || return 1; done; }
APT_UPDATED=0
# PKG...: install OS packages, refreshing the package lists once if they do not know them
apt_install() {
  if [ -n "$R" ]; then note "skipped (staging root): apt-get install $*"; return; fi
  if [ "$DRY" = 1 ]; then note "+ apt-get install -y --no-install-recommends $*"; return; fi
  if ! known "$@" && [ "$APT_UPDATED" = 0 ]; then apt-get update -q; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}
# is systemd the running init (sd_booted)? Not in a chroot, a container or a staging root.
booted() { [ -z "$R" ] && [ -d /run/systemd/system ]; }

step "Checking for root, Python 3.11 to 3.13 and its venv module"
case $R in ''|/*) ;; *) die "PFTRAINER_ROOT must be an absolute path" ;; esac
if [ -z "$R" ] && [ "$DRY" = 0 ] && [ "$(id -u)" != 0 ]; then
  die "this installs a system service and must run as root: sudo $0"
fi
[ -f "$SRC/pyproject.toml" ] || die "$SRC is not a pftrainer checkout"
PY=${PFTRAINER_PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=$(command -v "$PY" || true)
[ -n "$PY" ] || die "${PFTRAINER_PYTHON:-/usr/bin/python3} not found: sudo apt-get install python3 python3-venv"
"$PY" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null ||
  die "pftrainer needs Python 3.11 to 3.13 (pyproject.toml), $PY is $("$PY" -V 2>&1)"
note "$PY is $("$PY" -V 2>&1)"
if "$PY" -c 'import ensurepip, venv' 2>/dev/null; then :
elif [ -n "$R" ]; then die "Python's venv module is missing: sudo apt-get install python3-venv"
else apt_install python3-venv
fi

step "Enabling I2C"
BOOT=$R/boot/firmware/config.txt                        # bookworm and trixie
[ -f "$BOOT" ] || BOOT=$R/boot/config.txt               # older images
on="" module_on=""
if [ -z "$R" ] && command -v raspi-config >/dev/null; then
  run raspi-config nonint do_i2c 0
else
  [ -z "$R" ] || note "raspi-config skipped (staging root)"
  if [ ! -f "$BOOT" ]; then note "no config.txt under $R/boot: enable I2C by hand"
  elif ! has "$BOOT" 'i2c_arm=on'; then on=dtparam=i2c_arm=on; fi
  if has "$R/etc/modules" 'i2c-dev' || cat "$R"/etc/modules-load.d/*.conf 2>/dev/null |
      grep -q '^[^#]*i2c-dev'; then module_on=1
  else append "$MODULES" i2c-dev
  fi
fi
baud=""
if [ -f "$BOOT" ] && ! has "$BOOT" 'i2c_arm_baudrate='; then baud=dtparam=i2c_arm_baudrate=400000; fi
if [ -n "$on$baud" ]; then append "$BOOT" '[all]' ${on:+"$on"} ${baud:+"$baud"}
elif [ -n "${module_on:-}" ]; then note "I2C is on already ($BOOT, i2c-dev loaded at boot)"
fi

step "Creating the system user pftrainer in groups i2c and gpio"
for g in pftrainer i2c gpio; do
  getent group "$g" >/dev/null || system groupadd --system "$g"
done
if id -u pftrainer >/dev/null 2>&1; then note "user pftrainer exists"
else system useradd --system --gid pftrainer --no-create-home --home-dir /nonexistent \
  --shell /usr/sbin/nologin pftrainer
fi
system usermod -aG i2c,gpio pftrainer

step "Installing the GPIO libraries from the OS: ${GPIO_PKGS[*]}"
if [ -n "$R" ]; then note "skipped (staging root): apt-get install ${GPIO_PKGS[*]}"
elif installed "${GPIO_PKGS[@]}"; then note "installed"
elif [ "$DRY" = 1 ]; then apt_install "${GPIO_PKGS[@]}"
else
  known "${GPIO_PKGS[@]}" || { apt-get update -q; APT_UPDATED=1; }
  if known "${GPIO_PKGS[@]}"; then apt_install "${GPIO_PKGS[@]}"
  else
    note "WARNING: ${GPIO_PKGS[*]} are not in this system's package sources (Raspberry Pi OS"
    note "has them): without lgpio the buzzer cannot sound (gpiozero's native pins have no PWM)"
  fi
fi

step "Installing pftrainer into $DEST and $VENV"
if booted && systemctl is-active --quiet pftrainer.service; then
  run systemctl stop pftrainer.service      # started again below, on the new files
fi
run mkdir -p "$DEST"
if [ "$SRC" = "$DEST" ]; then note "already in $DEST"
elif command -v rsync >/dev/null; then
  run rsync -a --delete "${SKIP[@]/#/--exclude=}" "$SRC/" "$DEST/"
else
  run find "$DEST" -mindepth 1 -maxdepth 1 ! -name .venv -exec rm -rf {} +
  for f in "$SRC"/* "$SRC"/.[!.]*; do
    if [ -e "$f" ] && ! skipped "${f##*/}"; then run cp -a "$f" "$DEST/"; fi
  done
  run find "$DEST" -name __pycache__ -prune -exec rm -rf {} +
fi
run rm -rf "$DEST/build"      # a stale setuptools build/ would put removed modules in the wheel
# A new venv every time: the pins decide what is in it, whatever was there before. Only the
# OS's GPIO libraries come from outside it (system site packages); --ignore-installed keeps
# every pinned package in the venv even when the OS has the same version.
run "$PY" -m venv --clear --system-site-packages "$VENV"
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
run "${PIP[@]}" install --ignore-installed -c "$DEST/constraints.txt" setuptools
run "${PIP[@]}" install --ignore-installed --no-build-isolation -c "$DEST/constraints.txt" "$DEST"
run rm -rf "$DEST/build"
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

step "Installing and enabling pftrainer.service, and pftrainer-usb@.service for USB sticks"
run install -D -m 0644 "$SRC/systemd/pftrainer.service" "$UNIT"
run install -D -m 0644 "$SRC/systemd/pftrainer-usb@.service" "$USB_UNIT"
run install -D -m 0644 "$SRC/systemd/90-pftrainer-usb.rules" "$USB_RULE"
for tool in "${USB_TOOLS[@]}"; do
  PATH=$PATH:/usr/sbin:/sbin command -v "$tool" >/dev/null ||
    note "WARNING: $tool is missing: a USB stick plugged in gets no export (sudo apt-get install util-linux)"
done
if [ -n "$R" ]; then
  note "skipped (staging root): systemctl daemon-reload, udevadm control --reload, enable and restart"
elif booted; then
  run systemctl daemon-reload
  run udevadm control --reload
  run systemctl enable pftrainer.service
  if [ -e /dev/i2c-1 ]; then run systemctl restart pftrainer.service
  else note "/dev/i2c-1 is missing: I2C (and pftrainer with it) comes up after a reboot"; REBOOT=1
  fi
else
  # a chroot or a container: enabling only links files, starting needs a running systemd
  run systemctl enable pftrainer.service
  note "systemd is not running here (a chroot or container): pftrainer.service is enabled," \
    "not started; it starts at the next boot"
fi

step "Done"
[ "$REBOOT" = 0 ] || note "reboot to apply the I2C settings: sudo reboot"
note "logs: journalctl -u pftrainer -f"
note "check the hardware: sudo systemctl stop pftrainer &&" \
  "sudo -u pftrainer $VENV/bin/pftrainer --config $CONF selftest"
