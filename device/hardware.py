"""Wiring: the platform (the Pi, or a simulated bench) and each device on it.

`open_platform` gives the clock, the two I2C handles and the pin factory -- the Pi's,
or, with `simulated`, those of the simulator, which is a plug-in: `hw_sim` is only
imported then (as OctoPrint imports its virtual printer inside the transport factory),
so the device runs where it is not installed. The `open_*` functions build the same
driver objects from either, so everything above this module is platform-blind.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Callable

from gpiozero import InputDevice, GPIOZeroError

from device.config import Config
from device.screen import Screen
from drivers.adc import Ads1115Reader
from drivers.buttons import Buttons
from drivers.buzzer import Buzzer
from drivers.clock import Clock, MonotonicClock
from drivers.cushion import Cushion
from drivers.display import Oled
from drivers.errors import HardwareError


@dataclass
class Platform:
    clock: Clock
    i2c: object          # busio.I2C-like, for the Adafruit driver
    smbus: object        # smbus2.SMBus-like, for luma
    pin_factory: object  # gpiozero pin factory
    simulated: bool = False
    # the device's CPU time so far (None: not measured) and, on a simulated clock, the
    # factor by which the reactor charges it to the clock (see device.reactor)
    cpu_meter: Callable[[], float] | None = None
    cpu_factor: float = 0.0
    # the date and time of day, for date stamps only (timing uses `clock`): the wall clock,
    # or the simulated world's calendar
    wall: Callable[[], datetime.datetime] = datetime.datetime.now


def open_platform(cfg: Config, simulated: bool = False) -> Platform:
    """The Pi's buses and pins, or (`simulated`) a bench built by the simulator from `cfg.sim`."""
    if simulated:
        from hw_sim.plugin import open_bench
        return open_bench(cfg).platform
    from drivers.buses import open_busio, open_smbus
    from drivers.pins import make_pin_factory
    return Platform(MonotonicClock(), open_busio(cfg.i2c.bus), open_smbus(cfg.i2c.bus),
                    make_pin_factory(cfg.pins.factory))


def _gpio(what: str, make):
    """Build a gpiozero device; pin-library failures become one HardwareError naming it."""
    try:
        return make()
    except (GPIOZeroError, RuntimeError, OSError) as e:
        raise HardwareError(f"{what}: {e}") from e


def open_adc(platform: Platform, cfg: Config) -> Ads1115Reader:
    ready = None
    if cfg.adc.ready_pin >= 0:
        ready = _gpio(f"ADC ALERT/RDY on GPIO{cfg.adc.ready_pin}", lambda: InputDevice(
            cfg.adc.ready_pin, pull_up=True, pin_factory=platform.pin_factory))
    return Ads1115Reader(platform.i2c, platform.clock, address=cfg.adc.address,
                         full_scale_v=cfg.adc.full_scale_v, data_rate_sps=cfg.adc.data_rate_sps,
                         ready_pin=ready)


def open_adc_retrying(platform: Platform, cfg: Config, attempts: int = 3) -> Ads1115Reader:
    """`open_adc`, tried again after a bus error: a glitch at start-up is not a missing chip."""
    for _ in range(attempts - 1):
        try:
            return open_adc(platform, cfg)
        except HardwareError:
            platform.clock.sleep(0.05)
    return open_adc(platform, cfg)


def open_cushion(adc: Ads1115Reader, cfg: Config) -> Cushion:
    ch, cal = cfg.channels, cfg.calibration
    return Cushion(adc, perineal_ain=ch.perineal, left_ain=ch.seat_left, right_ain=ch.seat_right,
                   supply_ain=ch.supply, perineal=cal.perineal, left=cal.seat_left,
                   right=cal.seat_right, divider_ratio=cal.supply.divider_ratio)


def open_oled(platform: Platform, cfg: Config) -> Oled:
    """The panel initialised with every `[oled]` key: address, rotation, contrast."""
    oled = Oled(platform.smbus, address=cfg.oled.address, rotate=cfg.oled.rotate)
    oled.contrast(cfg.oled.contrast)
    return oled


def open_screen(platform: Platform, cfg: Config, log) -> Screen:
    """The device's one screen, opened now (absent when the panel does not answer)."""
    screen = Screen(lambda: open_oled(platform, cfg), log=log)
    screen.open()
    return screen


def open_buzzer(platform: Platform, cfg: Config) -> Buzzer:
    b = cfg.buzzer
    return _gpio(f"buzzer on GPIO{b.pin}", lambda: Buzzer(
        b.pin, platform.clock, pin_factory=platform.pin_factory, frequency_hz=b.frequency_hz,
        volume=b.volume))


def open_buttons(platform: Platform, cfg: Config) -> Buttons:
    b = cfg.buttons
    return _gpio(f"buttons on GPIO{b.prev_pin}/{b.next_pin}/{b.ok_pin}", lambda: Buttons(
        {"prev": b.prev_pin, "next": b.next_pin, "ok": b.ok_pin}, platform.clock,
        pin_factory=platform.pin_factory))
