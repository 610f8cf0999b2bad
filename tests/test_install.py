"""systemd/install.sh: its --dry-run plan, its root and Python checks, that it keeps the
user's config, and a whole staged install run twice with a stand-in Python.

Nothing here needs root or the network: pip and apt are only planned, or run by the stand-in.
The real install on bookworm and trixie is rehearsed by `make pi-rehearsal`."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "systemd" / "install.sh"
NOBODY = 65534


def _env(root=None):
    env = dict(os.environ)
    env.pop("PFTRAINER_ROOT", None)
    if root is not None:
        env["PFTRAINER_ROOT"] = str(root)
    # the script wants a Python 3.11 to 3.13 with venv: the one running these tests
    env["PFTRAINER_PYTHON"] = sys.executable
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


def run(*args, root=None, **kwargs):
    return subprocess.run(["bash", str(SCRIPT), *args], env=_env(root), capture_output=True,
                          text=True, timeout=60, **kwargs)


def test_help_is_the_header_and_the_script_is_executable():
    assert os.access(SCRIPT, os.X_OK)
    r = subprocess.run([str(SCRIPT), "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "--dry-run" in r.stdout and "PFTRAINER_ROOT" in r.stdout
    assert run("--bogus").returncode == 2


def test_dry_run_prints_the_whole_plan():
    r = run("--dry-run")
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout
    assert "==> Enabling I2C" in out
    assert any(s in out for s in ("raspi-config nonint do_i2c 0", "dtparam=i2c_arm=on",
                                  "enable I2C by hand", "I2C is on already"))
    assert ("useradd --system" in out and "--no-create-home" in out
            and "--shell /usr/sbin/nologin pftrainer" in out) or "user pftrainer exists" in out
    assert "usermod -aG i2c,gpio pftrainer" in out
    # the GPIO stack from the OS (no compiler), unless it is there already
    assert ("+ apt-get install -y --no-install-recommends python3-lgpio python3-rpi-lgpio" in out
            or "    installed" in out)
    # a fresh venv that sees the OS's lgpio, with every pin installed into it
    assert f"+ {sys.executable} -m venv --clear --system-site-packages /opt/pftrainer/.venv" in out
    pip = "+ /opt/pftrainer/.venv/bin/python -m pip --disable-pip-version-check install --ignore-installed"
    assert f"{pip} -c /opt/pftrainer/constraints.txt setuptools" in out
    assert f"{pip} --no-build-isolation -c /opt/pftrainer/constraints.txt /opt/pftrainer" in out
    assert "install -D -m 0644" in out and "/etc/systemd/system/pftrainer.service" in out
    assert "/etc/systemd/system/pftrainer-usb@.service" in out and "/etc/udev/rules.d/90-pftrainer-usb.rules" in out
    assert "+ systemctl enable pftrainer.service" in out
    if os.path.isdir("/run/systemd/system"):      # booted with systemd: reload and start
        assert "+ systemctl daemon-reload" in out
        assert "systemd is not running" not in out
    else:                                          # a container or chroot: enable only
        assert "systemctl daemon-reload" not in out and "systemctl restart" not in out
        assert "systemd is not running here (a chroot or container)" in out
    # the plan comes in the documented order
    steps = [line for line in out.splitlines() if line.startswith("==> ")]
    assert [s.split()[1] for s in steps] == ["Checking", "Enabling", "Creating", "Installing",
                                             "Installing", "Configuring", "Installing", "Done"]
    assert steps[3] == "==> Installing the GPIO libraries from the OS: python3-lgpio python3-rpi-lgpio"


def test_refuses_to_run_without_root():
    with tempfile.TemporaryDirectory() as tmp:
        kwargs = {}
        script = SCRIPT
        if os.geteuid() == 0:   # CI runs as root: drop to nobody for this one run
            os.chmod(tmp, 0o755)
            script = Path(tmp) / "install.sh"
            shutil.copy(SCRIPT, script)
            os.chmod(script, 0o755)
            kwargs = {"user": NOBODY, "group": NOBODY, "extra_groups": [], "cwd": "/"}
        try:
            r = subprocess.run(["bash", str(script)], env=_env(), capture_output=True, text=True,
                               timeout=60, **kwargs)
        except PermissionError:
            pytest.skip("cannot drop to an unprivileged user here")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "must run as root" in r.stderr
    assert "+ " not in r.stdout     # nothing planned, let alone done


def test_staging_dry_run_keeps_the_config_and_touches_nothing(tmp_path):
    conf = tmp_path / "etc" / "pftrainer" / "pftrainer.toml"
    conf.parent.mkdir(parents=True)
    conf.write_text("# my own settings\n[i2c]\nbus = 3\n")
    boot = tmp_path / "boot" / "firmware" / "config.txt"
    boot.parent.mkdir(parents=True)
    boot.write_text("#dtparam=i2c_arm=on\n[all]\n")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))

    r = run("--dry-run", root=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout
    assert f"keeping the existing {conf}" in out
    assert "pftrainer config >" not in out
    assert f"+ append to {boot}: [all] dtparam=i2c_arm=on dtparam=i2c_arm_baudrate=400000" in out
    assert f"+ append to {tmp_path}/etc/modules-load.d/pftrainer.conf: i2c-dev" in out
    assert f"-m venv --clear --system-site-packages {tmp_path}/opt/pftrainer/.venv" in out
    assert f"{tmp_path}/etc/systemd/system/pftrainer.service" in out
    for host_change in ("useradd", "groupadd", "usermod", "systemctl enable", "systemctl daemon-reload",
                        "udevadm control", "raspi-config", "apt-get install"):
        assert all(host_change not in line or "skipped (staging root)" in line
                   for line in out.splitlines()), host_change
    # a dry run changes nothing
    assert conf.read_text() == "# my own settings\n[i2c]\nbus = 3\n"
    assert boot.read_text() == "#dtparam=i2c_arm=on\n[all]\n"
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_staging_dry_run_plans_the_default_config_when_there_is_none(tmp_path):
    r = run("--dry-run", root=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    conf = tmp_path / "etc" / "pftrainer" / "pftrainer.toml"
    assert f"+ {tmp_path}/opt/pftrainer/.venv/bin/pftrainer config > {conf}" in r.stdout
    assert f"mkdir -p {tmp_path}/etc/pftrainer/programmes" in r.stdout
    assert list(tmp_path.iterdir()) == []


def _stand_in_python(path, version="3.11.99", ok=True):
    """A `python` that passes (or fails) the script's checks and, asked to make a venv,
    makes one whose python logs its pip calls and whose pftrainer prints a config."""
    path.write_text(f"""#!/bin/bash
case $1 in
  -V) echo "Python {version}" ;;
  -c) exit {0 if ok else 1} ;;
  -m) shift
      if [ "$1" = venv ]; then
        dir=${{@: -1}}
        case " $* " in *" --clear "*) rm -rf "$dir" ;; esac
        mkdir -p "$dir/bin"
        echo "$*" >> "$dir/calls"
        cp "$0" "$dir/bin/python"
        printf '#!/bin/sh\\necho "# the defaults"\\n' > "$dir/bin/pftrainer"
        chmod +x "$dir/bin/pftrainer"
      else
        echo "$*" >> "$(dirname "$0")/../calls"
      fi ;;
esac
""")
    path.chmod(0o755)
    return path


def test_refuses_a_python_outside_3_11_to_3_13_in_one_line(tmp_path):
    env = _env(tmp_path / "root")
    env["PFTRAINER_PYTHON"] = str(_stand_in_python(tmp_path / "python", "3.10.12", ok=False))
    r = subprocess.run(["bash", str(SCRIPT), "--dry-run"], env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr.splitlines() == [
        f"install.sh: pftrainer needs Python 3.11 to 3.13 (pyproject.toml), {tmp_path}/python is"
        " Python 3.10.12"]
    assert "+ " not in r.stdout


def test_a_missing_python_is_one_line(tmp_path):
    env = _env(tmp_path / "root")
    env["PFTRAINER_PYTHON"] = str(tmp_path / "no-such-python")
    r = subprocess.run(["bash", str(SCRIPT), "--dry-run"], env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"install.sh: {tmp_path}/no-such-python not found:"
                                     " sudo apt-get install python3 python3-venv"]


@pytest.mark.slow
def test_staged_install_twice_is_idempotent_and_keeps_the_checkout_out(tmp_path):
    """The real (not --dry-run) path, staged, with a stand-in Python instead of pip: files,
    config.txt, the module list, the venv, the config and the unit; a second run changes
    nothing that the first one wrote and does not append the I2C lines again."""
    root = tmp_path / "root"
    boot = root / "boot" / "firmware" / "config.txt"
    boot.parent.mkdir(parents=True)
    boot.write_text("# Raspberry Pi OS\ndtparam=audio=on\n[all]\n")
    env = _env(root)
    env["PFTRAINER_PYTHON"] = str(_stand_in_python(tmp_path / "python"))

    def install():
        r = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout

    out = install()
    dest = root / "opt" / "pftrainer"
    assert (dest / "pyproject.toml").read_bytes() == (SCRIPT.parent.parent / "pyproject.toml").read_bytes()
    assert (dest / "device" / "cli.py").is_file() and (dest / "constraints.txt").is_file()
    for left_out in (".git", "sim-out", ".pytest_cache", "build"):
        assert not (dest / left_out).exists(), left_out
    assert not list(dest.rglob("__pycache__"))
    assert sorted(p.name for p in (dest / ".venv").iterdir()) == ["bin", "calls"]   # only the stand-in's
    calls = (dest / ".venv" / "calls").read_text().splitlines()
    assert calls == [
        f"venv --clear --system-site-packages {dest}/.venv",
        f"pip --disable-pip-version-check install --ignore-installed -c {dest}/constraints.txt setuptools",
        f"pip --disable-pip-version-check install --ignore-installed --no-build-isolation"
        f" -c {dest}/constraints.txt {dest}"]
    assert boot.read_text() == ("# Raspberry Pi OS\ndtparam=audio=on\n[all]\n[all]\n"
                                "dtparam=i2c_arm=on\ndtparam=i2c_arm_baudrate=400000\n")
    modules = root / "etc" / "modules-load.d" / "pftrainer.conf"
    assert modules.read_text() == "i2c-dev\n"
    conf = root / "etc" / "pftrainer" / "pftrainer.toml"
    assert conf.read_text() == "# the defaults\n"
    unit = root / "etc" / "systemd" / "system" / "pftrainer.service"
    assert unit.read_bytes() == (SCRIPT.parent / "pftrainer.service").read_bytes()
    usb_unit = root / "etc" / "systemd" / "system" / "pftrainer-usb@.service"
    assert usb_unit.read_bytes() == (SCRIPT.parent / "pftrainer-usb@.service").read_bytes()
    rule = root / "etc" / "udev" / "rules.d" / "90-pftrainer-usb.rules"
    assert rule.read_bytes() == (SCRIPT.parent / "90-pftrainer-usb.rules").read_bytes()
    assert os.access(dest / "systemd" / "pftrainer-usb", os.X_OK)       # what the USB unit runs
    assert "reboot to apply the I2C settings" in out

    conf.write_text("# my own settings\n")
    (dest / "stale.py").write_text("# a file the checkout no longer has\n")
    out = install()
    assert boot.read_text().count("dtparam=i2c_arm=on") == 1
    assert modules.read_text() == "i2c-dev\n"
    assert conf.read_text() == "# my own settings\n"
    assert not (dest / "stale.py").exists()
    assert "reboot to apply the I2C settings" not in out     # nothing changed at boot level
    assert f"I2C is on already ({boot}, i2c-dev loaded at boot)" in out       # and it says so
    assert (dest / ".venv" / "calls").read_text().splitlines() == calls   # made anew
