"""The ADS1115 emulator under the REAL Adafruit driver (adafruit_ads1x15 3.0.5).

Expected values come from the datasheet (SBAS444): code = V / (FSR / 32768) rounded and
clipped to 16 bits signed, conversion time = 1 / DR, register reset values, bit layout.
Timing is checked against the virtual times at which the bus delivered each transaction
(recorded by `RecordingBus`), so the bus granularity is measured, not guessed.
"""

from __future__ import annotations

import math
import statistics
import time
from types import SimpleNamespace

import pytest
from gpiozero import DigitalInputDevice
from gpiozero.pins.mock import MockFactory

from adafruit_ads1x15 import ADS1115, AnalogIn, ads1x15
from hw_sim.ads1115 import Ads1115Emulator, FixedInputs
from hw_sim.clock import VirtualClock
from hw_sim.i2c import SimI2CBus

# --- datasheet constants (SBAS444, section 8.6) --------------------------------------
FSR_V = {2 / 3: 6.144, 1: 4.096, 2: 2.048, 4: 1.024, 8: 0.512, 16: 0.256}
PGA_CODE = {2 / 3: 0, 1: 1, 2: 2, 4: 3, 8: 4, 16: 5}
DR_CODE = {8: 0, 16: 1, 32: 2, 64: 3, 128: 4, 250: 5, 475: 6, 860: 7}
ALL_RATES = sorted(DR_CODE)
OS, MODE_SINGLE, COMP_QUE_OFF = 0x8000, 0x0100, 0x0003
RDY_PULSE_S = 8e-6


def config_word(*, mux=0, gain=1, single=True, rate=128, que=COMP_QUE_OFF, os_bit=0,
                comp_bits=0) -> int:
    return (os_bit | mux << 12 | PGA_CODE[gain] << 9 | (MODE_SINGLE if single else 0)
            | DR_CODE[rate] << 5 | comp_bits | que)


def lsb_v(gain) -> float:
    return FSR_V[gain] / 32768


def expected_code(volts: float, gain) -> int:
    return max(-32768, min(32767, math.floor(volts / lsb_v(gain) + 0.5)))


def signed16(word: int) -> int:
    return word - 0x10000 if word & 0x8000 else word


# --- a bus that records what the chip saw, and when ----------------------------------
class BudgetExhausted(Exception):
    """Raised by RecordingBus once `max_transactions` is reached (to stop a hung loop)."""


class RecordingBus(SimI2CBus):
    """SimI2CBus that logs (virtual time the chip saw it, kind, bytes out, bytes in)."""

    def __init__(self, clock: VirtualClock) -> None:
        super().__init__(clock)
        self.log: list[tuple[float, str, bytes, bytes]] = []
        self.max_transactions: int | None = None

    def _budget(self) -> None:
        if self.max_transactions is not None and self.transactions >= self.max_transactions:
            raise BudgetExhausted(f"{self.transactions} transactions")

    def writeto(self, address, buffer, *, start=0, end=None):
        self._budget()
        super().writeto(address, buffer, start=start, end=end)
        self.log.append((self.clock.now(), "w", bytes(buffer[start:end]), b""))

    def readfrom_into(self, address, buffer, *, start=0, end=None):
        self._budget()
        super().readfrom_into(address, buffer, start=start, end=end)
        self.log.append((self.clock.now(), "r", b"", bytes(buffer[start:end])))

    def writeto_then_readfrom(self, address, buffer_out, buffer_in, *, out_start=0,
                              out_end=None, in_start=0, in_end=None):
        self._budget()
        super().writeto_then_readfrom(address, buffer_out, buffer_in, out_start=out_start,
                                      out_end=out_end, in_start=in_start, in_end=in_end)
        self.log.append((self.clock.now(), "wr", bytes(buffer_out[out_start:out_end]),
                         bytes(buffer_in[in_start:in_end])))

    def config_writes(self) -> list[tuple[float, int]]:
        return [(t, out[1] << 8 | out[2]) for t, kind, out, _ in self.log
                if kind == "w" and len(out) == 3 and out[0] == 1]


class Bench:
    """Emulated ADS1115 with settable inputs on a recording bus, optional ALERT/RDY pin."""

    def __init__(self, volts=(0.0, 0.0, 0.0, 0.0), *, alert=False, **chip_kwargs) -> None:
        self.clock = VirtualClock()
        self.bus = RecordingBus(self.clock)
        self.inputs = FixedInputs(volts)
        self.factory = MockFactory() if alert else None
        self.pin = self.factory.pin(17) if alert else None
        self.chip = Ads1115Emulator(self.clock, self.inputs, alert_pin=self.pin, **chip_kwargs)
        self.bus.attach(self.chip)
        self.rises: list[float] = []      # RDY/ALERT de-activations (pin released high)
        self.falls: list[float] = []      # activations (pulled low)
        self.ready = None
        if alert:
            self.ready = DigitalInputDevice(17, pull_up=True, pin_factory=self.factory)
            self.ready.when_activated = lambda: self.falls.append(self.clock.now())
            self.ready.when_deactivated = lambda: self.rises.append(self.clock.now())

    def close(self) -> None:
        if self.ready is not None:
            self.ready.close()

    # raw register access, independent of the driver
    def read_reg(self, reg: int) -> int:
        buf = bytearray(2)
        self.bus.writeto_then_readfrom(0x48, bytes([reg]), buf)
        return buf[0] << 8 | buf[1]

    def write_reg(self, reg: int, word: int) -> None:
        self.bus.writeto(0x48, bytes([reg, word >> 8, word & 0xFF]))


@pytest.fixture
def virtual_driver_sleep(monkeypatch):
    """Route the driver's continuous-mode `time.sleep(2/DR)` onto a bench's virtual clock."""
    def install(bench: Bench) -> None:
        monkeypatch.setattr(ads1x15, "time", SimpleNamespace(sleep=bench.clock.sleep))
    return install


# --- registers ---------------------------------------------------------------------------
def test_register_reset_values_pointer_and_read_only_conversion():
    bench = Bench()
    assert bench.read_reg(1) == 0x8583
    assert bench.read_reg(2) == 0x8000
    assert bench.read_reg(3) == 0x7FFF
    assert bench.read_reg(0) == 0x0000
    bench.write_reg(0, 0x1234)                            # Conversion is read-only
    assert bench.read_reg(0) == 0x0000
    bench.write_reg(2, 0x0123)
    bench.bus.writeto(0x48, b"\x03\x45")                  # pointer + MSB only: pointer set, no write
    assert bench.read_reg(3) == 0x7FFF
    bench.bus.writeto(0x48, b"\x02")                      # pointer-only write
    buf = bytearray(4)
    bench.bus.readfrom_into(0x48, buf)                    # bare read: pointer persists
    assert bytes(buf) == b"\x01\x23\x01\x23"              # past 2 bytes the register repeats
    bench.bus.writeto(0x48, b"")                          # probe: ACK, pointer unchanged
    bench.bus.readfrom_into(0x48, buf, end=2)
    assert buf[:2] == b"\x01\x23"


def test_threshold_setters_take_signed_values():
    bench = Bench()
    ads = ADS1115(bench.bus, comparator_low_threshold=0, comparator_high_threshold=-32768)
    assert bench.read_reg(3) == 0x8000 and bench.read_reg(2) == 0x0000
    ads.comparator_low_threshold = -2
    assert bench.read_reg(2) == 0xFFFE
    with pytest.raises(ValueError):
        ads.comparator_high_threshold = 0x8000            # unsigned spelling is rejected


def test_absent_address_is_reported_by_the_adafruit_probe():
    clock = VirtualClock()
    bus = SimI2CBus(clock)
    with pytest.raises(ValueError, match="No I2C device at address: 0x48"):
        ADS1115(bus)
    assert bus.transactions == 2                          # empty write, then 1-byte read retry
    chip = Ads1115Emulator(clock, FixedInputs(), address=0x49)
    bus.attach(chip)
    ADS1115(bus, address=0x49)
    with pytest.raises(ValueError, match="0x48"):
        ADS1115(bus, address=0x48)
    with pytest.raises(ValueError):
        Ads1115Emulator(clock, FixedInputs(), address=0x50)   # ADDR pin gives 0x48-0x4B only


# --- transfer function ---------------------------------------------------------------------
VDD_WIDE_V = 5.5                     # widest supply: lets +-0.985 FS differentials stay in range
SINGLE_FRACTIONS = (0.0, 0.0123, 0.5037, 0.985)
DIFF_FRACTIONS = {(0, 1): (0.985, -0.985), (0, 3): (0.2467, -0.0311),
                  (1, 3): (-0.7519, 0.5), (2, 3): (0.0007, -0.9)}


def assert_reads(channel: AnalogIn, volts: float, gain) -> None:
    value = channel.value
    ideal = volts / lsb_v(gain)
    assert abs(value - ideal) <= 0.5 + 1e-6, (volts, value, ideal)        # the nearest code
    assert abs(channel.convert_to_voltage(value) - volts) <= lsb_v(gain)   # within 1 LSB


@pytest.mark.parametrize("rate", [8, 128, 860])
@pytest.mark.parametrize("gain", list(FSR_V), ids=[f"gain{g:.3g}" for g in FSR_V])
def test_single_shot_reads_within_one_lsb(gain, rate):
    bench = Bench(vdd_v=VDD_WIDE_V)
    ads = ADS1115(bench.bus, gain=gain, data_rate=rate)
    fsr = FSR_V[gain]
    # single-ended: a different fraction on each input, then read all four
    volts = [min(f * fsr, VDD_WIDE_V) for f in SINGLE_FRACTIONS]
    bench.inputs.volts = list(volts)
    for ain in range(4):
        assert_reads(AnalogIn(ads, ain), volts[ain], gain)
    # differential: every pair, positive and negative, around mid-supply
    cm_v = VDD_WIDE_V / 2
    for (p, n), fractions in DIFF_FRACTIONS.items():
        channel = AnalogIn(ads, p, n)
        for f in fractions:
            diff_v = f * fsr
            pins = [cm_v] * 4
            pins[p], pins[n] = cm_v + diff_v / 2, cm_v - diff_v / 2
            bench.inputs.volts = pins
            assert_reads(channel, diff_v, gain)
    assert bench.chip.conversions == 4 + 8


def test_clipping_at_full_scale_and_pin_clamp():
    bench = Bench(vdd_v=5.0)
    ads = ADS1115(bench.bus, gain=16, data_rate=860)
    diff = AnalogIn(ads, 0, 1)
    for a0, a1, code in ((2.8, 2.5, 32767), (2.5, 2.8, -32768),          # +-0.3 V at 0.256 FS
                         (2.756, 2.5, 32767),                             # exactly +FS -> 32767
                         (2.5, 2.756, -32768)):                           # exactly -FS
        bench.inputs.volts = [a0, a1, 0, 0]
        assert diff.value == code
    ads.gain = 1
    bench.inputs.volts = [0.0, 4.2, 0, 0]
    assert diff.value == -32768                                           # -4.2 V at 4.096 FS
    # pins are clamped to [GND - 0.3, VDD + 0.3]: 7 V on AIN2 converts as 5.3 V
    ads.gain = 2 / 3
    bench.inputs.volts = [0, 0, 7.0, 0]
    assert AnalogIn(ads, 2).value == expected_code(5.3, 2 / 3)
    bench.inputs.volts = [0, 0, 0, -1.0]
    assert AnalogIn(ads, 3).value == expected_code(-0.3, 2 / 3)


def test_noise_is_seeded_and_has_the_requested_rms():
    def run(seed):
        bench = Bench([1.0, 0, 0, 0], noise_lsb=3.0, seed=seed)
        ain0 = AnalogIn(ADS1115(bench.bus, gain=1, data_rate=860), 0)
        return [ain0.value for _ in range(400)]
    a, b, c = run(1), run(1), run(2)
    assert a == b and a != c
    ideal = 1.0 / lsb_v(1)
    assert abs(statistics.fmean(a) - ideal) < 0.6
    assert 2.6 < statistics.pstdev(a) < 3.4


# --- timing ----------------------------------------------------------------------------------
def single_shot_timing(bench: Bench):
    """(start, last busy poll, first idle poll) from the driver's own OS polling."""
    (t_start, word), = [(t, w) for t, w in bench.bus.config_writes() if w & OS]
    polls = [(t, inp[0] << 8 | inp[1]) for t, kind, out, inp in bench.bus.log
             if kind == "wr" and out == b"\x01" and t > t_start]
    busy = [t for t, w in polls if not w & OS]
    idle = [t for t, w in polls if w & OS]
    assert busy and idle and max(busy) < idle[0]
    return t_start, max(busy), idle[0]


@pytest.mark.parametrize("osc_error", [0.0, 0.1, -0.1])
@pytest.mark.parametrize("rate", ALL_RATES)
def test_single_shot_conversion_time_matches_data_rate(rate, osc_error):
    bench = Bench([1.0, 0, 0, 0], osc_error=osc_error)
    ads = ADS1115(bench.bus, data_rate=rate)
    del bench.bus.log[:]
    value = AnalogIn(ads, 0).value
    t_start, t_busy, t_idle = single_shot_timing(bench)
    conv_s = (1 + osc_error) / rate
    # the last poll that saw OS=0 came before the end, the first that saw OS=1 at/after it
    assert t_busy < t_start + conv_s <= t_idle + 1e-12
    assert t_idle - t_busy < conv_s / 5                   # the bound is tight
    assert value == expected_code(1.0, 1)
    assert bench.chip.last_conversion_t_s == pytest.approx(t_start + conv_s, abs=1e-12)


def test_input_is_sampled_at_the_end_of_the_conversion():
    clock = VirtualClock()
    bus = SimI2CBus(clock)
    step = {}
    chip = Ads1115Emulator(clock, lambda ain, t: 2.0 if t >= step["t"] else 1.0)
    bus.attach(chip)
    conv_s = 1 / 128
    for at_fraction, volts in ((0.9, 2.0), (1.1, 1.0)):
        step["t"] = math.inf
        word = config_word(mux=4, rate=128, os_bit=OS)
        bus.writeto(0x48, bytes([1, word >> 8, word & 0xFF]))
        t0 = clock.now()
        step["t"] = t0 + at_fraction * conv_s
        clock.advance_to(t0 + 2 * conv_s)
        buf = bytearray(2)
        bus.writeto_then_readfrom(0x48, b"\x00", buf)
        assert signed16(buf[0] << 8 | buf[1]) == expected_code(volts, 1)


@pytest.mark.parametrize("osc_error", [0.0, -0.1])
@pytest.mark.parametrize("rate", [8, 128, 860])
def test_continuous_rdy_pulses_at_data_rate(rate, osc_error):
    bench = Bench(alert=True, osc_error=osc_error)
    ADS1115(bench.bus, data_rate=rate, mode=ads1x15.Mode.CONTINUOUS,
            comparator_queue_length=1, comparator_low_threshold=0,
            comparator_high_threshold=-32768)
    t_write, word = bench.bus.config_writes()[-1]
    assert bench.bus.log[-1][0] == t_write and not word & MODE_SINGLE
    conv_s = (1 + osc_error) / rate
    n = 20
    bench.clock.sleep(n * conv_s + conv_s / 2 - (bench.clock.now() - t_write))
    assert len(bench.falls) == n
    for k, (fall, rise) in enumerate(zip(bench.falls, bench.rises), start=1):
        assert fall == pytest.approx(t_write + k * conv_s, abs=1e-9)
        assert rise - fall == pytest.approx(RDY_PULSE_S, abs=1e-12)
    assert bench.pin.state                                # released between pulses
    bench.close()


def test_config_write_restarts_the_continuous_cycle():
    bench = Bench(alert=True)
    ads = ADS1115(bench.bus, data_rate=128, mode=ads1x15.Mode.CONTINUOUS,
                  comparator_queue_length=1, comparator_low_threshold=0,
                  comparator_high_threshold=-32768)
    bench.clock.sleep(2.5 / 128)                          # mid-conversion
    ads.gain = 2                                          # same rate, new phase
    t_gain = bench.bus.config_writes()[-1][0]
    bench.clock.sleep(3.5 / 128)
    ads.data_rate = 860                                   # new rate, new phase
    t_rate = bench.bus.config_writes()[-1][0]
    bench.clock.sleep(4.5 / 860)
    after_gain = [t for t in bench.falls if t_gain < t < t_rate]
    after_rate = [t for t in bench.falls if t > t_rate]
    assert after_gain == pytest.approx([t_gain + k / 128 for k in (1, 2, 3)], abs=1e-9)
    assert after_rate == pytest.approx([t_rate + k / 860 for k in (1, 2, 3, 4)], abs=1e-9)
    bench.close()


def test_single_shot_rdy_asserts_at_end_and_releases_at_next_start():
    bench = Bench([1.0, 0, 0, 0], alert=True)
    ads = ADS1115(bench.bus, data_rate=860, comparator_queue_length=1,
                  comparator_low_threshold=0, comparator_high_threshold=-32768)
    ain0 = AnalogIn(ads, 0)
    ain0.value
    assert not bench.pin.state                            # asserted (active low) and stays so
    ain0.value
    starts = [t for t, w in bench.bus.config_writes() if w & OS]
    conv_s = 1 / 860
    assert bench.falls == pytest.approx([starts[0] + conv_s, starts[1] + conv_s], abs=1e-12)
    assert bench.rises == pytest.approx([starts[1]], abs=1e-12)
    bench.close()


def test_leaving_continuous_mode_stops_conversions():
    bench = Bench(alert=True)
    ads = ADS1115(bench.bus, data_rate=860, mode=ads1x15.Mode.CONTINUOUS,
                  comparator_queue_length=1, comparator_low_threshold=0,
                  comparator_high_threshold=-32768)
    bench.clock.sleep(10 / 860)
    assert bench.read_reg(1) & OS == 0                    # continuous: always converting
    ads.mode = ads1x15.Mode.SINGLE
    done, pulses = bench.chip.conversions, len(bench.falls)
    assert done >= 9
    bench.clock.sleep(10 / 860)
    assert (bench.chip.conversions, len(bench.falls)) == (done, pulses)
    assert bench.read_reg(1) & OS                         # powered down
    bench.close()


def test_continuous_fast_reads_return_fresh_conversions(virtual_driver_sleep):
    bench = Bench([0.5, 0.0, 0, 0])
    virtual_driver_sleep(bench)
    ads = ADS1115(bench.bus, gain=1, data_rate=860, mode=ads1x15.Mode.CONTINUOUS)
    diff01 = AnalogIn(ads, 0, 1)                          # the reset MUX, see the MUX pitfall
    assert diff01.value == expected_code(0.5, 1)
    t_write = bench.bus.config_writes()[-1][0]
    conv_s = 1 / 860
    previous_v = 0.5
    for k in range(3, 40):
        bench.clock.advance_to(t_write + k * conv_s + 1e-6)     # just after conversion k
        volts = 0.1 * (k % 7) - 0.2
        bench.inputs.volts[0] = volts
        before = len(bench.bus.log)
        assert diff01.value == expected_code(previous_v, 1)     # k sampled before the change
        bench.clock.advance_to(t_write + (k + 1) * conv_s + 1e-6)
        assert diff01.value == expected_code(volts, 1)          # k+1 sampled after it
        assert [kind for _, kind, _, _ in bench.bus.log[before:]] == ["r", "r"]  # bare reads
        previous_v = volts


# --- comparator ---------------------------------------------------------------------------
class ComparatorBench(Bench):
    """Continuous conversions of AIN0-AIN1 (reset MUX) at 860 SPS, gain 1, stepped one by one."""

    def __init__(self, **ads_kwargs):
        super().__init__(alert=True)
        self.ads = ADS1115(self.bus, gain=1, data_rate=860, mode=ads1x15.Mode.CONTINUOUS,
                           **ads_kwargs)
        self.t_write = self.bus.config_writes()[-1][0]
        self.k = 0

    def convert(self, code: int) -> bool:
        """Put `code` worth of volts on the input, let one conversion finish; pin state."""
        volts = code * lsb_v(1)                           # negative: drive AIN1 (pins >= -0.3 V)
        self.inputs.volts[0], self.inputs.volts[1] = max(volts, 0.0), max(-volts, 0.0)
        self.k += 1
        self.clock.advance_to(self.t_write + self.k / 860 + 1e-6)
        assert self.chip.conversion_code == code
        return self.pin.state


@pytest.mark.parametrize("queue", [1, 2, 4])
def test_traditional_comparator_with_queue_and_hysteresis(queue):
    b = ComparatorBench(comparator_queue_length=queue, comparator_low_threshold=4000,
                        comparator_high_threshold=8000)
    assert b.convert(2000) is True                        # released (active low)
    for _ in range(queue - 1):
        assert b.convert(9000) is True                    # not yet COMP_QUE conversions
    assert b.convert(2000) is True                        # an in-range one resets the count
    for _ in range(queue - 1):
        assert b.convert(9000) is True
    assert b.convert(9000) is False                       # asserted after `queue` in a row
    assert b.convert(8000) is False                       # between thresholds: held
    assert b.convert(4000) is False                       # equal to Lo_thresh: still held
    assert b.convert(3999) is True                        # below Lo_thresh: released
    b.close()


def test_latching_comparator_holds_until_conversion_read():
    b = ComparatorBench(comparator_queue_length=1, comparator_low_threshold=4000,
                        comparator_high_threshold=8000,
                        comparator_latch=ads1x15.Comp_Latch.LATCHING)
    assert b.convert(8001) is False
    for _ in range(5):
        assert b.convert(0) is False                      # latched below Lo_thresh
    b.ads.get_last_result()                               # read Conversion: latch clears
    assert b.pin.state is True
    assert b.convert(0) is True
    assert b.convert(9000) is False
    b.close()


def test_window_comparator_active_high_and_disabled():
    b = ComparatorBench(comparator_queue_length=1, comparator_low_threshold=-4000,
                        comparator_high_threshold=4000, comparator_mode=ads1x15.Comp_Mode.WINDOW,
                        comparator_polarity=ads1x15.Comp_Polarity.ACTIVE_HIGH)
    assert b.convert(0) is False                          # inside: inactive = low
    assert b.convert(4001) is True
    assert b.convert(3000) is False
    assert b.convert(-4001) is True
    b.ads.comparator_queue_length = 0                     # COMP_QUE = 11: pin high-Z (pulled up)
    b.t_write, b.k = b.bus.config_writes()[-1][0], 0
    assert b.convert(0) is True
    assert b.convert(9000) is True
    b.close()


# --- the driver's pitfalls, as facts -----------------------------------------------------
def test_raw_single_shot_read_polls_forever_on_a_stuck_chip():
    bench = Bench([1.0, 0, 0, 0])
    ads = ADS1115(bench.bus, data_rate=860)
    bench.chip.stuck_busy = True
    del bench.bus.log[:]
    bench.bus.max_transactions = bench.bus.transactions + 1000
    t0 = bench.clock.now()
    with pytest.raises(BudgetExhausted):
        AnalogIn(ads, 0).value                            # would never return
    (_, kind, out, _), *polls = bench.bus.log
    assert kind == "w" and out[0] == 1 and out[1] & 0x80  # config write with OS=1 ...
    assert len(polls) == 999                              # ... then nothing but OS polls
    assert all(k == "wr" and o == b"\x01" and not i[0] & 0x80 for _, k, o, i in polls)
    assert bench.clock.now() - t0 > 100 / 860             # a hundred conversion times
    assert bench.chip.conversions == 0
    bench.chip.stuck_busy = False                         # fault clears: reads work again
    bench.bus.max_transactions = None
    assert AnalogIn(ads, 0).value == expected_code(1.0, 1)


def test_stuck_chip_in_continuous_mode_gives_no_rdy_until_cleared():
    bench = Bench(alert=True)
    ADS1115(bench.bus, data_rate=860, mode=ads1x15.Mode.CONTINUOUS, comparator_queue_length=1,
            comparator_low_threshold=0, comparator_high_threshold=-32768)
    bench.chip.stuck_busy = True
    bench.clock.sleep(20 / 860)
    assert bench.falls == [] and bench.chip.conversions == 0
    bench.chip.stuck_busy = False
    t_clear = bench.clock.now()
    bench.clock.sleep(5.5 / 860)
    assert bench.falls == pytest.approx([t_clear + k / 860 for k in range(1, 6)], abs=1e-9)
    bench.close()


def test_raw_continuous_fast_path_returns_config_word_after_a_setter():
    bench = Bench([1.0, 0.0, 0, 0])
    ads = ADS1115(bench.bus, data_rate=860, mode=ads1x15.Mode.CONTINUOUS)
    ads.read(4)                       # first read: config write, real sleep, pointer -> Conversion
    bench.clock.sleep(3 / 860)        # let conversions happen in virtual time
    ads.gain = 2                      # setter: reads + writes Config, pointer left on Config
    sample = ads.read(4)              # fast path: bare 2-byte read at the pointer
    expected_word = config_word(mux=0, gain=2, single=False, rate=860, que=COMP_QUE_OFF)
    assert expected_word == 0x04E3    # OS=0 (continuous), MUX 000 kept, PGA 010, DR 111, que 11
    assert sample == expected_word
    assert sample != expected_code(1.0, 2)


def test_raw_continuous_read_keeps_the_chips_mux():
    bench = Bench([1.0, 0.25, 3.0, 0.0])
    ads = ADS1115(bench.bus, data_rate=860, mode=ads1x15.Mode.CONTINUOUS)
    ads.read(6)                                            # "AIN2" ...
    bench.clock.sleep(3 / 860)
    assert ads.get_last_result() == expected_code(1.0 - 0.25, 1)   # ... converts AIN0-AIN1
    assert bench.bus.config_writes()[-1][1] >> 12 & 7 == 0


def test_raw_continuous_first_read_sleeps_real_time_not_virtual():
    bench = Bench([1.0, 0.0, 0, 0])
    ads = ADS1115(bench.bus, data_rate=860, mode=ads1x15.Mode.CONTINUOUS)
    t_real, t_virtual = time.monotonic(), bench.clock.now()
    value = ads.read(0)
    assert time.monotonic() - t_real >= 2 / 860            # time.sleep(2 / data_rate)
    assert bench.clock.now() - t_virtual < 1 / 860          # only bus time passed in the sim
    assert value == 0 and bench.chip.conversions == 0       # so it returns the reset register
