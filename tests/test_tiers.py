"""`make test` and `make test-slow` split the suite between them: together every test, each once.
A `sweep`'s first case is in `make test`, its others slow (tests/tiers.py)."""

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent


def pytest_args(*targets: str) -> list[list[str]]:
    """The arguments each `make target` hands pytest (from `make --dry-run`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    out = subprocess.run(["make", "--no-print-directory", "--dry-run", "-C", str(ROOT), *targets,
                          f"VENV={sys.prefix}"], env=env, capture_output=True, text=True, timeout=60).stdout
    return [shlex.split(line.partition(" -m pytest")[2]) for line in out.splitlines() if " -m pytest" in line]


@pytest.mark.skipif(shutil.which("make") is None, reason="no make here")
def test_make_test_and_test_slow_choose_complementary_tests():
    assert pytest_args("test", "test-slow", "test-all") == [["-m", "not slow"], ["-m", "slow"], []]


def test_a_sweep_runs_its_first_case_in_make_test_and_the_others_slow(pytester, monkeypatch):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")        # pytest alone: quicker
    pytester.makeconftest('pytest_plugins = ["tiers"]')
    pytester.makepyfile(test_x="""
        import pytest

        @pytest.mark.sweep
        @pytest.mark.parametrize("n", [3, 1, 2])
        def test_sweep(n):
            pass

        @pytest.mark.slow
        def test_slow():
            pass

        def test_quick():
            pass
        """)
    pytester.syspathinsert(Path(__file__).parent)

    def chosen(*args):
        result = pytester.runpytest("--collect-only", "-q", *args)
        return [line for line in result.outlines if "::" in line]
    assert chosen("-m", "not slow") == ["test_x.py::test_sweep[3]", "test_x.py::test_quick"]
    assert chosen("-m", "slow") == ["test_x.py::test_sweep[1]", "test_x.py::test_sweep[2]", "test_x.py::test_slow"]
