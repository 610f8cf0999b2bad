"""The simulator is a plug-in: the device, its drivers and the analysis never import it
at module level, and the Pi's wiring works where it is not installed."""

import ast
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

WITHOUT_SIMULATOR = """
import sys
sys.modules["hw_sim"] = None                      # `import hw_sim` now fails, as if not installed
import pkgutil, importlib
for package in ("device", "drivers", "session"):
    for module in pkgutil.iter_modules([package]):
        importlib.import_module(f"{package}.{module.name}")
from device.cli import main
sys.exit(main(sys.argv[1:]))
"""


def cli_without_simulator(*argv, cwd=ROOT):
    return subprocess.run([sys.executable, "-c", WITHOUT_SIMULATOR, *argv], cwd=cwd, capture_output=True,
                          text=True, timeout=60)


def test_nothing_outside_the_simulator_imports_it_at_module_level():
    offenders = []
    for package in ("device", "drivers", "session"):
        for path in (ROOT / package).glob("*.py"):
            for node in ast.parse(path.read_text()).body:
                names = ([alias.name for alias in node.names] if isinstance(node, ast.Import) else
                         [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] == "hw_sim"]
    assert offenders == []


def test_the_pi_wiring_imports_and_runs_up_to_the_hardware_without_the_simulator(tmp_path):
    proc = cli_without_simulator("--config", str(tmp_path / "none.toml"), "config")
    assert proc.returncode == 2 and "cannot read config file" in proc.stderr   # loaded every module
    proc = cli_without_simulator("programs")
    assert proc.returncode == 0 and "basis" in proc.stdout
    config = tmp_path / "pftrainer.toml"
    config.write_text("[i2c]\nbus = 19\n")                      # surely no /dev/i2c-19 here
    proc = cli_without_simulator("--config", str(config), "run", "--state-dir", str(tmp_path / "state"))
    assert proc.returncode == 3 and "/dev/i2c-19 does not exist" in proc.stderr, proc.stderr


@pytest.mark.slow
def test_asking_for_the_simulator_where_it_is_missing_is_one_line(tmp_path):
    proc = cli_without_simulator("sim", "--program", "kracht", "--out", str(tmp_path), "--lang", "en")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("pftrainer: --sim needs the simulator (the hw_sim package), "
                                   "which is not installed here")
    proc = cli_without_simulator("sim", "--program", "kracht", "--out", str(tmp_path), "--lang", "nl")
    assert proc.returncode == 2
    assert proc.stderr == ("pftrainer: --sim heeft de simulator nodig (het pakket hw_sim), die hier niet "
                           "geïnstalleerd is\n")
