"""The Pi has no RTC: its wall clock jumps when NTP first syncs (or is set back). Timing
-- sampling, ADC timeouts, buzzer patterns, the watchdog -- runs on the monotonic clock,
so a jump changes nothing but the date stamped on a session."""

import ast
import pathlib
import time

from device.sampler import Sampler
from drivers.clock import MonotonicClock

ROOT = pathlib.Path(__file__).resolve().parent.parent


class FakeTime:
    """A steady monotonic clock and a wall clock that the test can make jump."""

    def __init__(self):
        self.mono_s = 1000.0
        self.wall_s = 1_700_000_000.0

    def sleep(self, duration_s):
        self.mono_s += duration_s
        self.wall_s += duration_s


class StubCushion:
    """Each read costs 0.5 ms of (fake) time, like a conversion."""

    def __init__(self, fake):
        self.fake = fake

    def _read(self, value):
        self.fake.sleep(0.0005)
        return value

    def read_perineal_kpa(self):
        return self._read(2.5)

    def read_left_kg(self):
        return self._read(26.0)

    def read_right_kg(self):
        return self._read(26.0)

    def update_supply(self):
        return self._read(3.3)


def test_sampling_keeps_its_rate_when_the_wall_clock_jumps(monkeypatch):
    fake = FakeTime()
    monkeypatch.setattr(time, "monotonic", lambda: fake.mono_s)
    monkeypatch.setattr(time, "time", lambda: fake.wall_s)
    monkeypatch.setattr(time, "sleep", fake.sleep)
    sampler = Sampler(StubCushion(fake), MonotonicClock(), rate_hz=250)
    sampler.start()
    times_s = []
    for i in range(2500):
        if i == 500:
            fake.wall_s -= 3600.0                 # set back an hour
        if i == 1500:
            fake.wall_s += 400 * 86400.0          # first NTP sync after months without power
        times_s.append(sampler.step())
    assert sampler.dropped == 0
    assert all(abs(b - a - 0.004) < 1e-9 for a, b in zip(times_s, times_s[1:]))


def test_no_timing_code_reads_the_wall_clock():
    """Only a session's date stamp may come from the wall clock (datetime); nothing in the
    device, the drivers or the analysis calls time.time()."""
    offenders = []
    for package in ("device", "drivers", "session"):
        for path in (ROOT / package).glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Attribute) and node.attr in ("time", "time_ns") \
                        and isinstance(node.value, ast.Name) and node.value.id == "time":
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
