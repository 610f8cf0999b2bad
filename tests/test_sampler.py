"""device.sampler on the emulated ADS1115 through the real driver: samples on the grid, each
value converted at its own time, the seat and supply between them, and one wake-up for a
tick that converts nothing else."""

from dataclasses import dataclass

import pytest
from gpiozero import InputDevice

from device.reactor import Reactor
from device.sampler import Sampler
from drivers.adc import Ads1115Reader
from drivers.cushion import Cushion
from drivers.errors import BusError
from hw_sim.ads1115 import Ads1115Emulator
from hw_sim.clock import VirtualClock
from hw_sim.i2c import SimI2CBus
from hw_sim.pins import VirtualMockFactory

RAMP_V_PER_S = 1.0                 # the perineal input: which conversion a value came from shows
LEFT_V, RIGHT_V, SUPPLY_V = 0.9, 1.7, 1.65
PERIOD_S = 1 / 250


@dataclass(frozen=True)
class Volts:
    """A calibration that leaves volts as they are."""

    offset_v: float = 0.0
    v_per_kpa: float = 1.0
    supply_v: float = SUPPLY_V / 0.5
    zero_v: float = 0.0
    v_per_kg: float = 1.0


def perineal_v(t_s: float) -> float:
    return 0.5 + RAMP_V_PER_S * t_s


def sample_for(seconds_s: float, monkeypatch, *, supply_every_s: float = 0.5, restart_at=(), probe_hz=None):
    """Sample the emulated cushion for `seconds_s`; returns what `on_sample` got as
    (t_s, volts, left_v, right_v, clock time handed on), the sampler, the clock and how
    often the sampler's timer ran. At the samples numbered in `restart_at`, `on_sample`
    starts the sampler again (as the appliance does when a session ends; at `probe_hz`, probing,
    as the appliance does at a sensor fault)."""
    clock = VirtualClock()
    bus = SimI2CBus(clock)
    factory = VirtualMockFactory(clock)
    inputs = {0: perineal_v, 1: lambda t_s: LEFT_V, 2: lambda t_s: RIGHT_V, 3: lambda t_s: SUPPLY_V}
    bus.attach(Ads1115Emulator(clock, lambda ain, t_s: inputs[ain](t_s), alert_pin=factory.pin(17)))
    adc = Ads1115Reader(bus, clock, ready_pin=InputDevice(17, pull_up=True, pin_factory=factory))
    runs = []
    run = Sampler._run
    monkeypatch.setattr(Sampler, "_run", lambda self, eventtime: runs.append(eventtime) or run(self, eventtime))
    reactor = Reactor(clock)
    sampler = Sampler(reactor, None, rate_hz=250, supply_every_s=supply_every_s)
    sampler.use(Cushion(adc, perineal_ain=0, left_ain=1, right_ain=2, supply_ain=3, perineal=Volts(),
                        left=Volts(), right=Volts(), divider_ratio=0.5))
    got = []

    def on_sample(t_s, kpa, left_kg, right_kg):
        got.append((t_s, kpa, left_kg, right_kg, clock.now()))
        if t_s >= seconds_s:
            reactor.end()
        elif len(got) in restart_at:
            sampler.start(probe_hz, probe=probe_hz is not None, origin_s=sampler.t0_s)
    sampler.on_sample = on_sample
    sampler.start()
    reactor.run()
    return got, sampler, clock, runs


def test_each_sample_is_on_the_grid_and_its_value_was_converted_at_its_time(monkeypatch):
    got, sampler, clock, runs = sample_for(2.0, monkeypatch)
    assert sampler.dropped == 0 and len(got) == 501
    times = [row[0] for row in got]
    assert all(abs(t_s - times[0] - k * PERIOD_S) < 0.1e-3 for k, t_s in enumerate(times))
    # exactly on the grid once the first ticks that collected before starting told how long that takes
    assert all(abs(b - a - PERIOD_S) < 1e-9 for a, b in zip(times[4:], times[5:]))
    lsb_v = 4.096 / 32768
    for t_s, volts, left_v, right_v, handed_s in got:
        converted_s = sampler.t0_s + t_s + sampler.adc.conversion_s      # the emulator samples at the end
        assert volts == pytest.approx(perineal_v(converted_s), abs=2 * lsb_v)
        assert converted_s <= handed_s < sampler.t0_s + t_s + PERIOD_S + 2 * sampler.adc.conversion_s
    assert all(row[2:4] == pytest.approx((LEFT_V, RIGHT_V), abs=lsb_v) for row in got)


def test_a_tick_without_a_second_conversion_wakes_the_sampler_once(monkeypatch):
    got, sampler, clock, runs = sample_for(2.0, monkeypatch)
    # every fourth tick reads a sitting bone; of the rest, the supply is read every 0.5 s
    assert sampler.seat_every == 4
    second = 125 + 4
    prime = 4                          # start the supply, then left and right after it, collect the last
    assert len(runs) == prime + len(got) + second


def test_a_start_from_on_sample_waits_for_the_conversion_under_way(monkeypatch):
    """The chip ignores a start written while it converts: a restart from `on_sample` (with the
    next perineal conversion already under way) read that conversion as the supply, and every
    perineal value after it was scaled by the wrong rail until the next supply reading."""
    got, sampler, clock, runs = sample_for(1.0, monkeypatch, supply_every_s=60.0, restart_at=range(20, 28))
    lsb_v = 4.096 / 32768
    assert sampler.cushion.supply_v == pytest.approx(SUPPLY_V / 0.5, abs=4 * lsb_v)
    for t_s, volts, *_ in got:
        assert volts == pytest.approx(perineal_v(sampler.t0_s + t_s + sampler.adc.conversion_s), abs=2 * lsb_v)


def test_a_start_from_the_same_origin_keeps_the_samples_on_the_sessions_grid(monkeypatch):
    """A restart after a sensor fault counts time from the session's origin: its samples fall
    on that grid (t0 + k * period), not on one begun where the restart stood, so the samples
    analysed in pairs (`session.pairs`: slots k) keep two to a slot."""
    got, sampler, clock, runs = sample_for(1.0, monkeypatch, supply_every_s=60.0, restart_at=(100,))
    restarted = [row[0] for row in got[100:]]
    assert restarted[0] > got[99][0] + PERIOD_S           # the priming took its time: ticks were left out
    assert all(abs(t_s / PERIOD_S - round(t_s / PERIOD_S)) < 0.05 for t_s in restarted)
    assert len({round(t_s / PERIOD_S) for t_s in restarted}) == len(restarted)


def test_a_probe_from_the_same_origin_reads_at_once(monkeypatch):
    """The fault probe (1 Hz) counts from the session's origin too, but its first reading waits
    for no grid: a review found it waited for the origin's next whole second (recovery up to 1 s
    later, and after every probe that failed)."""
    got, sampler, clock, runs = sample_for(3.0, monkeypatch, supply_every_s=60.0, restart_at=(100,), probe_hz=1.0)
    assert got[100][0] - got[99][0] < 0.02
    assert [round(b[0] - a[0], 6) for a, b in zip(got[100:], got[101:])] == [1.0] * (len(got) - 101)


class FailingAdc:
    """Conversions that take 1/860 s; the `fail_at`-th start raises a bus error."""

    conversion_s = 1 / 860
    timeout_s = 0.01

    def __init__(self, clock, fail_at: int):
        self.clock, self.fail_at = clock, fail_at
        self.started_s, self.starts = 0.0, 0

    def start(self, ain):
        self.starts += 1
        if self.starts == self.fail_at:
            raise BusError("I2C error talking to the ADC at 0x48 (6 transactions in a row failed)")
        self.started_s = self.clock.now()

    def poll(self):
        return 1.0 if self.clock.now() >= self.started_s + self.conversion_s else None


def test_a_sample_collected_before_a_start_fails_is_handed_on_before_the_fault():
    """A tick without a second conversion collects the last tick's sample and then starts its own
    conversion: when that start fails, the sample collected goes on before the fault."""
    clock = VirtualClock()
    reactor = Reactor(clock)
    sampler = Sampler(reactor, None, rate_hz=250, supply_every_s=60.0, seat_every=10**6)
    adc = FailingAdc(clock, fail_at=3 + 12)      # the priming's 3 starts, then one a tick: the 12th fails
    sampler.use(Cushion(adc, perineal_ain=0, left_ain=1, right_ain=2, supply_ain=3, perineal=Volts(),
                        left=Volts(), right=Volts(), divider_ratio=0.5))
    handed, faults = [], []
    sampler.on_sample = lambda t_s, kpa, left_kg, right_kg: handed.append(round(t_s, 9))
    sampler.on_fault = lambda error: (faults.append((error, len(handed))), reactor.end())
    sampler.start()
    reactor.run()
    (error, handed_before_fault), = faults
    assert isinstance(error, BusError)
    assert handed == [round(k * PERIOD_S, 9) for k in range(11)] and handed_before_fault == 11
