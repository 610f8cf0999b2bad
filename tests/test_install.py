"""systemd/install.sh: its --dry-run plan, its root check and that it keeps the user's config.

Nothing here needs root or the network: the install itself (pip) is only ever planned."""

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
    # the script wants a Python 3.11 with venv: the one running these tests
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
                                  "enable I2C by hand"))
    assert ("useradd --system" in out and "--no-create-home" in out
            and "--shell /usr/sbin/nologin pftrainer" in out) or "user pftrainer exists" in out
    assert "usermod -aG i2c,gpio pftrainer" in out
    assert "-m venv /opt/pftrainer/.venv" in out
    assert "/opt/pftrainer/.venv/bin/pip install" in out and "-c /opt/pftrainer/constraints.txt" in out
    assert "install -D -m 0644" in out and "/etc/systemd/system/pftrainer.service" in out
    assert "+ systemctl daemon-reload" in out
    assert "+ systemctl enable pftrainer.service" in out
    # the plan comes in the documented order
    steps = [line for line in out.splitlines() if line.startswith("==> ")]
    assert [s.split()[1] for s in steps] == ["Checking", "Enabling", "Creating", "Installing",
                                             "Configuring", "Installing", "Done"]


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
    assert f"+ append to {tmp_path}/etc/modules: i2c-dev" in out
    assert f"-m venv {tmp_path}/opt/pftrainer/.venv" in out
    assert f"{tmp_path}/etc/systemd/system/pftrainer.service" in out
    for host_change in ("useradd", "groupadd", "usermod", "systemctl enable", "raspi-config"):
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
