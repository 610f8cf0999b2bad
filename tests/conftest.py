"""Every simulated bench a test opens through the device's own paths (`pftrainer sim`,
`run --sim`, `record --sim`) charges scripted CPU times to its virtual clock, as on a Pi
Zero running typical code -- never this machine's: a slow or busy machine (an emulated Pi
ran the suite 30 times slower) must not change what a test sees. A test that starts the
device as a process of its own gives it `[sim] cpu_factor = 0` instead. What this machine's
CPU costs is measured by `make bench`, which prints figures.

The simulated calendar of a bench opened in a test starts at noon today, not now: what a day's
sessions share (its maximum, its count) did not hold for sessions run across midnight (tests of
it failed at 23:58)."""

import datetime
import os
import types

import pytest

import coached
from hw_sim import plugin

pytest_plugins = ["tiers"]            # `make test`'s and `make test-slow`'s shares


@pytest.fixture(autouse=True)
def scripted_cpu(monkeypatch):
    open_bench = plugin.open_bench

    def scripted(cfg, body=None, *, cpu_meter=None):
        return open_bench(cfg, body, cpu_meter=cpu_meter or plugin.ScriptedCpu(plugin.TYPICAL_CPU_S))
    monkeypatch.setattr(plugin, "open_bench", scripted)


@pytest.fixture(autouse=True)
def simulated_days_begin_at_noon(monkeypatch):
    import hw_sim.calendar

    class Noon(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls.combine(datetime.date.today(), datetime.time(12))
    monkeypatch.setattr(hw_sim.calendar, "datetime", types.SimpleNamespace(datetime=Noon, timedelta=datetime.timedelta))


@pytest.fixture(scope="session")
def run_folder(tmp_path_factory):
    """A folder that every test process of this run shares (and the next run does not)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):                 # a worker's: popen-gwN in the run's own
        root = root.parent
    return root


@pytest.fixture(scope="session", autouse=True)
def shared_coached_sessions(run_folder):
    """Coached sessions (`coached.coached`) made once for the run's processes, not once each."""
    coached.SHARED_DIR = run_folder / "coached"
    coached.SHARED_DIR.mkdir(exist_ok=True)

