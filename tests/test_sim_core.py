"""The virtual clock and the simulated I2C bus: ordering, wire time, faults."""

import errno

import pytest

from hw_sim.clock import VirtualClock
from hw_sim.i2c import SimI2CBus


class Echo:
    """A trivial target that remembers writes and reads back a counter."""

    address = 0x20

    def __init__(self):
        self.written = []
        self.reads = 0

    def i2c_write(self, data, start, end):
        self.written.append(bytes(data[start:end]))

    def i2c_read_into(self, buf, start, end):
        self.reads += 1
        for i in range(start, end):
            buf[i] = i


def test_clock_runs_events_in_time_order_and_lands_on_target():
    clock = VirtualClock()
    seen = []
    clock.call_at(0.3, lambda t: seen.append(("b", t, clock.now())))
    clock.call_at(0.1, lambda t: seen.append(("a", t, clock.now())))
    clock.call_at(0.3, lambda t: seen.append(("c", t, clock.now())))
    clock.sleep(0.2)
    assert seen == [("a", 0.1, 0.1)]
    assert clock.now() == pytest.approx(0.2)
    clock.sleep(1.0)
    assert [s[0] for s in seen] == ["a", "b", "c"]
    assert clock.now() == pytest.approx(1.2)


def test_event_scheduled_from_an_event_runs_in_the_same_sleep():
    clock = VirtualClock()
    seen = []
    clock.call_at(0.1, lambda t: clock.call_at(t + 0.1, lambda t2: seen.append(t2)))
    clock.sleep(0.5)
    assert seen == [pytest.approx(0.2)]


@pytest.mark.parametrize("bus_hz", [100_000, 400_000])
def test_each_transaction_costs_its_wire_time(bus_hz):
    clock = VirtualClock()
    bus = SimI2CBus(clock, bus_hz=bus_hz, overhead_s=0.0)
    target = Echo()
    bus.attach(target)
    bus.writeto(0x20, bytes([1, 2, 3]))
    # start + (address + 3 data bytes) x 9 bits + stop
    assert clock.now() == pytest.approx((1 + 4 * 9 + 1) / bus_hz)
    t0 = clock.now()
    buf = bytearray(4)
    bus.writeto_then_readfrom(0x20, b"\x05", buf, in_start=1, in_end=3)
    # repeated start and a second address byte
    assert clock.now() - t0 == pytest.approx((1 + 2 * 9 + 1 + 3 * 9 + 1) / bus_hz)
    assert target.written == [b"\x01\x02\x03", b"\x05"]
    assert buf == bytearray([0, 1, 2, 0])   # slice bounds honoured


def test_absent_address_nacks_like_linux_and_scan_finds_only_attached():
    bus = SimI2CBus(VirtualClock())
    bus.attach(Echo())
    with pytest.raises(OSError) as err:
        bus.writeto(0x48, b"")
    assert err.value.errno == errno.EREMOTEIO
    assert bus.scan() == [0x20]


def test_fault_burst_then_recovery():
    bus = SimI2CBus(VirtualClock())
    target = Echo()
    bus.attach(target)
    bus.fail_next(0x20, 3)
    for _ in range(3):
        with pytest.raises(OSError):
            bus.writeto(0x20, b"\x00")
    bus.writeto(0x20, b"\x00")
    assert target.written == [b"\x00"]


def test_error_rate_is_seeded_and_roughly_right():
    def failures(seed):
        bus = SimI2CBus(VirtualClock(), seed=seed)
        bus.attach(Echo())
        bus.set_error_rate(0x20, 0.2)
        out = []
        for i in range(2000):
            try:
                bus.writeto(0x20, b"")
            except OSError:
                out.append(i)
        return out
    first = failures(7)
    assert first == failures(7)
    assert 300 < len(first) < 500


def test_smbus_facade_sends_register_then_data_on_the_same_wire():
    clock = VirtualClock()
    bus = SimI2CBus(clock, overhead_s=0.0)
    target = Echo()
    bus.attach(target)
    bus.smbus().write_i2c_block_data(0x20, 0x40, [9, 8])
    assert target.written == [b"\x40\x09\x08"]
    with pytest.raises(ValueError):
        bus.smbus().write_i2c_block_data(0x20, 0x40, list(range(33)))
