"""Pin factory choice (fake-rpi stands in for RPi.GPIO), buzzer patterns and buttons on virtual time."""

import sys

import pytest

from drivers.buttons import Buttons
from drivers.buzzer import Beep, Buzzer
from drivers.errors import HardwareError
from drivers.pins import make_pin_factory
from hw_sim.clock import VirtualClock
from hw_sim.pins import VirtualMockFactory


@pytest.fixture
def fake_pi(monkeypatch):
    """Make `import RPi.GPIO` find fake-rpi's stand-in, as on a Pi with RPi.GPIO installed."""
    fake_rpi = pytest.importorskip("fake_rpi")
    fake_rpi.toggle_print(False)
    monkeypatch.setitem(sys.modules, "RPi", fake_rpi.RPi)
    monkeypatch.setitem(sys.modules, "RPi.GPIO", fake_rpi.RPi.GPIO)
    monkeypatch.delitem(sys.modules, "gpiozero.pins.rpigpio", raising=False)
    return fake_rpi


def test_auto_chooses_rpigpio_on_a_pi(fake_pi):
    factory = make_pin_factory("auto")
    from gpiozero.pins.rpigpio import GPIO, RPiGPIOFactory
    assert type(factory) is RPiGPIOFactory
    assert GPIO is fake_pi.RPi.GPIO          # the factory talks to RPi.GPIO's API


def test_explicit_factory_that_cannot_load_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "lgpio", None)
    with pytest.raises(HardwareError, match="no usable GPIO pin factory.*lgpio"):
        make_pin_factory("lgpio")


def test_buzzer_pattern_follows_the_virtual_clock():
    clock = VirtualClock()
    factory = VirtualMockFactory(clock)
    buzzer = Buzzer(18, clock, pin_factory=factory, volume=1.0)
    buzzer.play((Beep(0.1, 0.05), Beep(0.2, 0.0)))
    while buzzer.busy:
        clock.sleep(0.001)
        buzzer.update()
    history = factory.pin(18).history
    times = [round(t, 3) for t, _ in history]
    states = [s for _, s in history]
    assert states == [0.5, 0.0, 0.5, 0.0]      # on at full duty (0.5), off, on, off
    assert times == [0.0, 0.1, 0.15, 0.35]


def test_buzzer_driven_only_at_its_own_change_times_gets_through_every_pattern():
    """The loop calls `update()` exactly at `next_change_s`: that time must always be one
    at which something changes, whatever floating-point rounding does to the sums (at
    127.986... s, start + (on + off) is below (start + on) + off: it once hung the loop)."""
    clock = VirtualClock(127.98603239623385)
    factory = VirtualMockFactory(clock)
    buzzer = Buzzer(18, clock, pin_factory=factory)
    buzzer.play((Beep(0.04, 0.08), Beep(0.04, 0.0)))
    updates = 0
    while buzzer.busy and updates < 10:
        clock.advance_to(buzzer.next_change_s)
        buzzer.update()
        updates += 1
    assert not buzzer.busy and updates == 3          # off, on again, done


def test_buzzer_volume_scales_duty_and_stop_silences():
    clock = VirtualClock()
    factory = VirtualMockFactory(clock)
    buzzer = Buzzer(18, clock, pin_factory=factory, volume=0.2)
    buzzer.play((Beep(1.0, 0.0),))
    assert factory.pin(18).state == pytest.approx(0.1)
    buzzer.stop()
    assert factory.pin(18).state == 0.0 and not buzzer.sounding


def test_buttons_debounce_on_the_virtual_clock():
    clock = VirtualClock()
    factory = VirtualMockFactory(clock)
    buttons = Buttons({"ok": 13, "next": 6}, clock, pin_factory=factory, debounce_s=0.03)
    pin = factory.pin(13)
    presses = []

    def run(until_s):
        while clock.now() < until_s:
            clock.sleep(0.005)
            presses.extend((round(clock.now(), 3), name) for name in buttons.poll())

    pin.drive_low()            # a 10 ms glitch is not a press
    run(0.01)
    pin.drive_high()
    run(0.1)
    assert presses == []
    factory.press(13, at_s=0.2, hold_s=0.1)
    run(0.5)
    assert [name for _, name in presses] == ["ok"]
    assert 0.23 <= presses[0][0] <= 0.24
