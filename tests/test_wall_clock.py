"""The Pi has no RTC: its wall clock jumps when NTP first syncs (or is set back). Timing
-- sampling, ADC timeouts, buzzer patterns, the watchdog -- runs on the monotonic clock,
so a jump changes nothing but the date stamped on a session."""

import ast
import pathlib
import time

from device.config import Config
from device.hardware import open_cushion
from device.reactor import NOW, Reactor
from device.sampler import Sampler
from drivers.clock import MonotonicClock

ROOT = pathlib.Path(__file__).resolve().parent.parent


class FakeTime:
    """A steady monotonic clock and a wall clock that the test can make jump."""

    def __init__(self):
        self.mono_s = 1000.0
        self.wall_s = 1_700_000_000.0

    def sleep(self, duration_s):
        self.mono_s += max(0.0, duration_s)
        self.wall_s += max(0.0, duration_s)


class StubAdc:
    """Conversions that take 1/860 s on the device's clock (as the ADC reader's do)."""

    conversion_s = 1 / 860

    def __init__(self, clock):
        self.clock = clock
        self.started_s = 0.0

    def start(self, ain):
        self.started_s = self.clock.now()

    def poll(self):
        return 1.0 if self.clock.now() >= self.started_s + self.conversion_s else None


class WallClock(MonotonicClock):
    """What the device must not do: time its work by the wall clock."""

    def now(self):
        return time.time()


def run_device(monkeypatch, clock, jumps: bool):
    """Sample for 10 s on `clock` with the real time functions faked; with `jumps`, the
    wall clock is set back an hour and then forward 400 days. Returns the sample times
    and the buzzer pattern's on/off times, relative to the start."""
    fake = FakeTime()
    monkeypatch.setattr(time, "monotonic", lambda: fake.mono_s)
    monkeypatch.setattr(time, "time", lambda: fake.wall_s)
    monkeypatch.setattr(time, "sleep", fake.sleep)
    reactor = Reactor(clock)
    cfg = Config()
    sampler = Sampler(reactor, None, rate_hz=250)
    sampler.use(open_cushion(StubAdc(clock), cfg))
    times, beeps = [], []
    from drivers.buzzer import Beep, Buzzer
    from gpiozero.pins.mock import MockFactory, MockPWMPin
    buzzer = Buzzer(cfg.buzzer.pin, clock, pin_factory=MockFactory(pin_class=MockPWMPin))
    start_s = clock.now()

    def on_sample(t_s, kpa, left_kg, right_kg):
        times.append(round(t_s, 9))
        if jumps and len(times) == 500:
            fake.wall_s -= 3600.0                 # set back an hour
        if jumps and len(times) == 1500:
            fake.wall_s += 400 * 86400.0          # first NTP sync after months without power
        if len(times) in (400, 1400):
            buzzer.play((Beep(0.1, 0.05), Beep(0.2, 0.0)))
            reactor.update_timer(buzz, NOW)
        if t_s >= 10.0:
            reactor.end()

    def buzz(eventtime):
        before = buzzer.sounding
        buzzer.update()
        if buzzer.sounding != before:
            beeps.append(round(clock.now() - start_s, 6))
        return buzzer.next_change_s
    sampler.on_sample = on_sample
    buzz = reactor.register_timer(buzz)
    sampler.start()
    reactor.run()
    buzzer.close()
    return times, beeps, sampler.dropped


def test_sampling_and_the_buzzer_keep_their_timing_when_the_wall_clock_jumps(monkeypatch):
    steady = run_device(monkeypatch, MonotonicClock(), jumps=False)
    jumped = run_device(monkeypatch, MonotonicClock(), jumps=True)
    assert jumped == steady
    times, beeps, dropped = jumped
    assert dropped == 0 and len(times) == 2501
    assert all(abs(b - a - 0.004) < 1e-6 for a, b in zip(times, times[1:]))
    assert len(beeps) == 6                      # each pattern: off after 0.1 s, on 0.05 s later, off
    assert [round(b - beeps[0], 6) for b in beeps[:3]] == [0.0, 0.05, 0.25]


def test_the_check_above_catches_a_device_timed_by_the_wall_clock(monkeypatch):
    steady = run_device(monkeypatch, WallClock(), jumps=False)
    jumped = run_device(monkeypatch, WallClock(), jumps=True)
    assert jumped != steady                  # the same comparison fails for a wall-clock device


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
