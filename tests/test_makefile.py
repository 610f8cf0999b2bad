"""The Makefile's checks before it makes a venv: one line saying what to do, no venv made.

A stand-in Python answers the Makefile's three questions (its version, whether it is within
3.11-3.13, whether it has the venv module); nothing is installed and no network is used."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="no make here")


def stand_in(path, version, in_range=True, has_venv=True):
    path.write_text(f"""#!/bin/sh
case "$2" in
  *print*) echo {version} ;;
  *"sys.exit(not"*) exit {0 if in_range else 1} ;;
  *ensurepip*) exit {0 if has_venv else 1} ;;
  *) echo "unexpected: $*" >&2; touch "$0.ran"; exit 9 ;;
esac
""")
    path.chmod(0o755)
    return path


def make(tmp_path, python, target="test", path_first=None):
    """`make target` with `python` (`path_first`: a folder searched before the PATH)."""
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    if path_first is not None:
        env["PATH"] = f"{path_first}:{env['PATH']}"
    r = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), target,
                        f"PYTHON={python}", f"VENV={venv}"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert not venv.exists()              # refused before anything was made
    return r


@pytest.mark.parametrize("target", ["test", "sim"])
def test_missing_venv_module_is_one_line_with_the_apt_command(tmp_path, target):
    py = stand_in(tmp_path / "python3", "3.13", has_venv=False)
    r = make(tmp_path, py, target)
    assert r.returncode == 2
    assert r.stdout.splitlines() == ["Python's venv module is missing: sudo apt-get install python3-venv"]
    assert "Traceback" not in r.stderr and not Path(f"{py}.ran").exists()


def test_a_python_outside_3_11_to_3_13_is_refused_in_one_line(tmp_path):
    py = stand_in(tmp_path / "python3", "3.10", in_range=False)
    r = make(tmp_path, py)
    assert r.returncode == 2
    assert r.stdout.splitlines() == [
        f"pftrainer needs Python 3.11 to 3.13; {py} is 3.10 (make PYTHON=python3.11 ...)"]


def test_a_python_that_does_not_run_is_one_line(tmp_path):
    r = make(tmp_path, tmp_path / "no-such-python")
    assert r.returncode == 2
    assert r.stdout.splitlines() == [
        f"pftrainer needs Python 3.11 to 3.13: '{tmp_path}/no-such-python' does not run"
        " (sudo apt-get install python3, or make PYTHON=...)"]


def pyenv_with(tmp_path, name, versions):
    """A folder with a failing pyenv shim `name` and a `pyenv` whose root holds `versions`
    ({version: stand-in}, each made by `stand_in(path, ...)` at versions/<version>/bin/<name>);
    returns the folder and the stand-ins."""
    bin_dir, root = tmp_path / "bin", tmp_path / "pyenv"
    bin_dir.mkdir()
    made = {}
    for version, make_one in versions.items():
        (root / "versions" / version / "bin").mkdir(parents=True)
        made[version] = make_one(root / "versions" / version / "bin" / name)
    shim = bin_dir / name
    shim.write_text(f"#!/bin/sh\necho 'pyenv: {name}: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    (bin_dir / "pyenv").write_text(f"#!/bin/sh\n[ \"$1\" = root ] && echo {root}\n")
    (bin_dir / "pyenv").chmod(0o755)
    return bin_dir, made


def test_a_pyenv_shim_of_a_version_not_selected_is_stood_in_for_by_pyenvs_own_copy(tmp_path):
    """`make test PYTHON=python3.13` where that is a pyenv shim that fails (3.13 installed, not
    selected) said the Python does not run; pyenv's own copy is taken, as .ci/run takes it."""
    bin_dir, made = pyenv_with(tmp_path, "pftest-python3.13",
                               {"3.13.0": lambda path: stand_in(path, "3.13", has_venv=False)})
    r = make(tmp_path, "pftest-python3.13", path_first=bin_dir)
    assert r.returncode == 2
    # pyenv's copy answered every question: its version, its range, and (here) no venv module
    assert r.stdout.splitlines() == ["Python's venv module is missing: sudo apt-get install python3-venv"]
    assert not Path(f"{made['3.13.0']}.ran").exists()


def test_of_pyenvs_copies_one_of_3_11_to_3_13_is_taken_never_an_older_one(tmp_path):
    """The review: with a failing `python3` shim, the first version pyenv has (3.10) was taken, and
    the Makefile refused it though 3.12 was there."""
    bin_dir, _ = pyenv_with(tmp_path, "pftest-python3",
                            {"3.10.14": lambda path: stand_in(path, "3.10"),
                             "3.12.3": lambda path: stand_in(path, "3.12", has_venv=False)})
    r = make(tmp_path, "pftest-python3", path_first=bin_dir)
    assert r.returncode == 2
    assert r.stdout.splitlines() == ["Python's venv module is missing: sudo apt-get install python3-venv"]  # 3.12's


def dry_run(python, target, venv):
    """The commands `make -n target` would run with `python` and `venv` (nothing is run or made)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    r = subprocess.run(["make", "--no-print-directory", "-n", "-C", str(ROOT), target, f"PYTHON={python}",
                        f"VENV={venv}"], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


def installs(commands):
    """What the `pip install` lines among `commands` install."""
    return [line.split(" install ", 1)[1] for line in commands if " -m pip " in line and " install " in line]


def test_sim_installs_no_test_extras_and_test_adds_them_to_the_venv_either_made(tmp_path):
    """A trial: `make sim`, which runs the simulator alone, installed pytest and the other `[test]`
    extras too. Both still make the venv or reuse it; the test targets add the extras to it."""
    py = stand_in(tmp_path / "python3", "3.13")
    venv = tmp_path / "venv"
    base = ["-c constraints.txt setuptools", "--no-build-isolation -c constraints.txt -e ."]
    extras = ["--no-build-isolation -c constraints.txt -e '.[test]'"]
    sim, test = dry_run(py, "sim", venv), dry_run(py, "test", venv)
    for made in (sim, test):
        assert f"{py} -m venv --clear {venv}" in made
    assert (installs(sim), installs(test)) == (base, base + extras)
    assert not venv.exists() and not Path(f"{py}.ran").exists()
    venv.mkdir()
    (venv / ".installed-3.13").touch()                     # the venv `make sim` made: reused, the extras added
    for target in ("test", "test-slow", "test-all"):
        assert installs(dry_run(py, target, venv)) == extras
    assert not any("-m venv" in line for line in dry_run(py, "test", venv))
    assert not any(" install " in line for line in dry_run(py, "sim", venv))
    (venv / ".installed-test-3.13").touch()                # and once added, reused as it is
    assert installs(dry_run(py, "test", venv)) == [] and installs(dry_run(py, "sim", venv)) == []
