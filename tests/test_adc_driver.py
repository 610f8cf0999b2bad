"""drivers.adc and drivers.cushion on the emulated ADS1115: values, timing, and the guarded pitfalls."""

import pytest
from gpiozero import InputDevice

from drivers.adc import RETRIES, SINGLE_ENDED_MUX, Ads1115Reader, BusCounts
from drivers.cushion import Cushion
from drivers.errors import BusError, DeviceMissing, SensorTimeout
from hw_sim.ads1115 import Ads1115Emulator
from hw_sim.clock import VirtualClock
from hw_sim.i2c import SimI2CBus
from hw_sim.pins import VirtualMockFactory

VOLTS = [0.5, 1.25, 2.0, 3.1]


class Bench:
    """An emulated ADS1115 with fixed input voltages on a simulated bus."""

    def __init__(self, ready_pin=17):
        self.clock = VirtualClock()
        self.bus = SimI2CBus(self.clock)
        self.factory = VirtualMockFactory(self.clock)
        self.volts = list(VOLTS)
        alert = self.factory.pin(ready_pin) if ready_pin is not None else None
        self.chip = Ads1115Emulator(self.clock, lambda ain, t: self.volts[ain], alert_pin=alert)
        self.bus.attach(self.chip)
        self.ready_pin = ready_pin

    def reader(self, **kwargs):
        ready = None
        if self.ready_pin is not None:
            ready = InputDevice(self.ready_pin, pull_up=True, pin_factory=self.factory)
        return Ads1115Reader(self.bus, self.clock, ready_pin=ready, **kwargs)


LSB_V = 4.096 / 32768


@pytest.mark.parametrize("ready_pin", [17, None], ids=["rdy-pin", "os-polling"])
def test_single_shot_reads_each_input_within_one_lsb(ready_pin):
    bench = Bench(ready_pin)
    reader = bench.reader()
    for ain, volts in enumerate(VOLTS):
        assert reader.read_volts(ain) == pytest.approx(volts, abs=LSB_V)


def test_with_the_rdy_pin_a_conversion_is_three_plain_transactions_and_a_read_takes_one_conversion():
    """With ALERT/RDY no combined write-then-read (on a Pi, Blinka's costs some 8 us on the
    development machine, against about 1 us for a plain one); without it, the OS bit is polled."""
    polled, waited = Bench(None), Bench(17)
    r_polled, r_waited = polled.reader(), waited.reader()
    combined = []
    write_then_read = waited.bus.writeto_then_readfrom
    waited.bus.writeto_then_readfrom = lambda *args, **kwargs: (combined.append(args),
                                                                write_then_read(*args, **kwargs))
    for bench, reader in ((polled, r_polled), (waited, r_waited)):
        bench.bus.transactions = 0
        t0 = bench.clock.now()
        for _ in range(100):
            reader.read_volts(0)
        bench.elapsed_s = (bench.clock.now() - t0) / 100
    assert waited.bus.transactions == 300 and combined == []   # config, pointer, conversion read
    assert polled.bus.transactions >= 300          # config, OS polls, conversion read
    conversion_s = 1 / 860
    assert conversion_s < waited.elapsed_s < conversion_s + 0.0005


def test_stuck_chip_times_out_instead_of_hanging():
    bench = Bench(None)
    reader = bench.reader()
    bench.chip.stuck_busy = True
    t0 = bench.clock.now()
    with pytest.raises(SensorTimeout, match="0x48"):
        reader.read_volts(0)
    assert bench.clock.now() - t0 <= reader.timeout_s + 0.001
    bench.chip.stuck_busy = False          # recovers without a restart
    assert reader.read_volts(1) == pytest.approx(VOLTS[1], abs=LSB_V)


def test_stuck_chip_with_rdy_pin_times_out_too():
    bench = Bench(17)
    reader = bench.reader()
    bench.chip.stuck_busy = True
    with pytest.raises(SensorTimeout):
        reader.read_volts(2)


def test_missing_adc_is_named():
    clock = VirtualClock()
    with pytest.raises(DeviceMissing, match="ADS1115.*0x49"):
        Ads1115Reader(SimI2CBus(clock), clock, address=0x49)


def test_short_bus_error_bursts_are_retried_longer_ones_are_typed_errors():
    bench = Bench(17)
    reader = bench.reader(retries=2)
    bench.bus.fail_next(0x48, 2)
    assert reader.read_volts(0) == pytest.approx(VOLTS[0], abs=LSB_V)
    assert reader.bus_retries == 2
    bench.bus.fail_next(0x48, 3)
    with pytest.raises(BusError, match="0x48"):
        reader.read_volts(0)
    assert reader.read_volts(1) == pytest.approx(VOLTS[1], abs=LSB_V)   # recovered, no restart


@pytest.mark.parametrize("ready_pin", [17, None], ids=["rdy-pin", "os-polling"])
def test_only_more_than_retries_failures_in_a_row_are_a_bus_error(ready_pin):
    bench = Bench(ready_pin)
    reader = bench.reader()
    bench.bus.fail_next(0x48, RETRIES)                    # the start: written again at once
    assert reader.read_volts(0) == pytest.approx(VOLTS[0], abs=LSB_V)
    assert reader.counts() == BusCounts(conversions=1, retries=RETRIES)
    bench.bus.fail_next(0x48, RETRIES + 1)
    with pytest.raises(BusError, match=f"0x48.*{RETRIES + 1} transactions in a row"):
        reader.read_volts(0)
    assert reader.read_volts(1) == pytest.approx(VOLTS[1], abs=LSB_V)   # recovered: a fresh count


def test_a_failed_read_is_read_again_at_the_next_poll_not_converted_again():
    bench = Bench(17)
    reader = bench.reader()
    reader.start(2)
    started_s = reader.started_s
    bench.clock.sleep(reader.conversion_s)
    conversions_started = bench.bus.transactions          # from here on: reads only
    bench.bus.fail_next(0x48, 2)
    assert reader.poll() is None                          # a NACK: "not yet", nothing waited for
    assert reader.poll() is None
    assert reader.poll() == pytest.approx(VOLTS[2], abs=LSB_V)
    assert bench.bus.transactions == conversions_started + 3
    assert reader.started_s == started_s and not bench.chip.busy
    assert reader.counts() == BusCounts(conversions=1, retries=2)


def test_failures_are_counted_in_a_row_across_calls_and_a_success_forgives_them():
    bench = Bench(17)
    reader = bench.reader()
    for _ in range(10):                                   # RETRIES failures, a success, again
        bench.bus.fail_next(0x48, RETRIES)
        reader.start(0)
        bench.clock.sleep(reader.conversion_s)
        bench.bus.fail_next(0x48, RETRIES)
        while (volts := reader.poll()) is None:
            pass
        assert volts == pytest.approx(VOLTS[0], abs=LSB_V)
    assert reader.counts() == BusCounts(conversions=10, retries=20 * RETRIES)


def test_a_bus_with_5_percent_nacks_reads_on_and_tells_its_error_rate():
    bench = Bench(17)
    bench.bus.set_error_rate(0x48, 0.05)
    reader = bench.reader()
    before = reader.counts()
    for k in range(4000):
        assert reader.read_volts(k % 4) == pytest.approx(VOLTS[k % 4], abs=LSB_V)
    rate = reader.counts().since(before)
    assert rate.conversions == 4000
    assert 13.0 < rate.retries_per_100 < 20.0             # 3 transactions a conversion, 5 % each


@pytest.mark.parametrize("error_rate", [0.5, 1.0])
def test_a_failing_bus_is_a_bus_error_within_a_few_conversions(error_rate):
    bench = Bench(17)
    reader = bench.reader()
    bench.bus.set_error_rate(0x48, error_rate)
    t0_s = bench.clock.now()
    with pytest.raises(BusError):
        for k in range(1000):
            reader.read_volts(k % 4)
    assert bench.clock.now() - t0_s < 1.0


def test_retrying_on_the_sampling_path_keeps_nothing():
    """start() and poll() retry with no object of their own that outlives the call."""
    import gc
    import sys
    bench = Bench(17)
    bench.bus.set_error_rate(0x48, 0.05)
    reader = bench.reader()

    def convert(n):
        for k in range(n):
            reader.start(k % 4)
            bench.clock.sleep(reader.conversion_s)
            while reader.poll() is None:
                pass
    convert(500)
    gc.collect()
    before_blocks, before_retries = sys.getallocatedblocks(), reader.bus_retries
    convert(2000)
    assert reader.bus_retries - before_retries > 100
    assert sys.getallocatedblocks() - before_blocks < 50


def test_rdy_configured_but_not_wired_says_what_to_change():
    bench = Bench(None)                       # the chip's ALERT/RDY goes nowhere
    ready = InputDevice(17, pull_up=True, pin_factory=bench.factory)
    reader = Ads1115Reader(bench.bus, bench.clock, ready_pin=ready)
    with pytest.raises(SensorTimeout, match=r"ready_pin = -1"):
        reader.read_volts(0)


def test_close_releases_the_ready_pin_for_a_reopen():
    bench = Bench(17)
    bench.reader().close()
    assert bench.reader().read_volts(0) == pytest.approx(VOLTS[0], abs=LSB_V)


class Cal:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def make_cushion(bench):
    return Cushion(bench.reader(), perineal_ain=0, left_ain=1, right_ain=2, supply_ain=3,
                   perineal=Cal(offset_v=0.33, v_per_kpa=0.264, supply_v=3.3),
                   left=Cal(zero_v=0.25, v_per_kg=0.04), right=Cal(zero_v=0.25, v_per_kg=0.04),
                   divider_ratio=0.5)


def test_cushion_converts_to_physical_units_with_ratiometric_correction():
    bench = Bench(17)
    cushion = make_cushion(bench)
    bench.volts = [0.33 + 0.264 * 2.5, 0.25 + 0.04 * 27.0, 0.25 + 0.04 * 26.0, 1.65]
    assert cushion.update_supply() == pytest.approx(3.3, abs=0.001)
    assert cushion.read_perineal_kpa() == pytest.approx(2.5, abs=0.002)
    assert cushion.read_left_kg() == pytest.approx(27.0, abs=0.01)
    assert cushion.read_right_kg() == pytest.approx(26.0, abs=0.01)
    # the supply sags 10 %: a ratiometric sensor's output sags with it, the reading must not
    bench.volts = [(0.33 + 0.264 * 2.5) * 0.9, 0, 0, 1.65 * 0.9]
    cushion.update_supply()
    assert cushion.read_perineal_kpa() == pytest.approx(2.5, abs=0.003)


@pytest.mark.parametrize("ready_pin", [17, None])
@pytest.mark.parametrize("ain", [0, 3])
def test_the_fast_path_writes_the_config_word_the_driver_itself_writes(ready_pin, ain):
    bench = Bench(ready_pin)
    reader = bench.reader(data_rate_sps=475, full_scale_v=2.048)
    reader.read_volts(ain)
    ours = bench.chip.config
    ads = reader._ads
    ads.read(SINGLE_ENDED_MUX[ain])                # the Adafruit driver's own single-shot read
    assert bench.chip.config == ours


def test_a_conversion_can_be_started_and_collected_later():
    bench = Bench(17)
    reader = bench.reader()
    reader.start(2)
    assert reader.poll() is None                   # not done yet: the caller does other work
    bench.clock.sleep(reader.conversion_s)
    assert reader.poll() == pytest.approx(VOLTS[2], abs=LSB_V)
    bench.chip.stuck_busy = True
    reader.start(1)
    bench.clock.sleep(reader.timeout_s)
    with pytest.raises(SensorTimeout):
        reader.poll()


def test_a_poll_after_a_timeout_reads_the_conversion_not_the_config_word():
    """The timeout's diagnosis reads the Config register, which moves the chip's pointer there:
    a plain read after it would return the Config word as a voltage (a reviewer's probe)."""
    bench = Bench(17)
    reader = bench.reader(data_rate_sps=8, timeout_factor=0.0)      # 125 ms conversions, 5 ms deadline
    reader.start(2)
    bench.clock.sleep(0.006)
    with pytest.raises(SensorTimeout):
        reader.poll()
    bench.clock.sleep(0.2)
    assert reader.poll() == pytest.approx(VOLTS[2], abs=LSB_V)
