"""`pftrainer selftest`: find every device, read it in physical units, show and beep.

Each check runs on its own, so one missing device does not hide the state of the
others; the report ends with a verdict and the exit status is non-zero if any check
failed.
"""

from __future__ import annotations

import ctypes
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from device.config import Config
from device.durable import write_bytes
from device.hardware import (Platform, open_adc_retrying, open_buttons, open_buzzer, open_cushion,
                             open_oled)
from device.sensor_guard import SensorGuard
from device.stored_values import PLAUSIBLE_DAYS
from drivers.buzzer import Beep
from drivers.errors import HardwareError

SUPPLY_RANGE_V = (3.0, 3.6)
RTCS = Path("/sys/class/rtc")         # the real-time clocks, as the kernel shows them (rtc0, rtc1, ...)
RTC_AGREES_S = 3600.0                  # ... keeping the time where it reads within this of the system's
TIME_ERROR = 5                         # adjtimex(2)'s state for a clock no time service disciplines
BUS_TEST_CONVERSIONS = 250      # a second's worth of perineal samples ...
MAX_RETRIES_PER_100 = 1.0       # ... and the bus fails with more retried transactions than this


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _in(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def _adc_checks(platform: Platform, cfg: Config) -> list[Check]:
    name = f"ADC ADS1115 @0x{cfg.adc.address:02X}"
    try:
        adc = open_adc_retrying(platform, cfg)
        cushion = open_cushion(adc, cfg)
        t0 = platform.clock.now()
        supply_v = cushion.update_supply()
        read_ms = (platform.clock.now() - t0) * 1000
        kpa = cushion.read_perineal_kpa()
        left_kg = cushion.read_left_kg()
        right_kg = cushion.read_right_kg()
        bus = _bus_check(adc, cfg)
        adc.close()
    except HardwareError as e:
        return [Check(name, False, str(e))]
    ready = "ALERT/RDY" if cfg.adc.ready_pin >= 0 else "OS polling"
    checks = [Check(name, True, f"{cfg.adc.data_rate_sps} SPS, +-{cfg.adc.full_scale_v} V, "
                                f"{ready}, one read {read_ms:.2f} ms")]
    checks.append(Check(f"  AIN{cfg.channels.supply} supply", _in(supply_v, SUPPLY_RANGE_V),
                        f"{supply_v:.3f} V (expected 3.0-3.6 V)"))
    guard = SensorGuard(cfg)            # what a session takes for a sensor lost or saturated
    kpa_ok = guard.perineal_ok(kpa)
    checks.append(Check(f"  AIN{cfg.channels.perineal} perineal cushion", kpa_ok,
                        f"{kpa:.3f} kPa" + ("" if kpa_ok else " (sensor unplugged or saturated?)")))
    for label, ain, kg in (("left", cfg.channels.seat_left, left_kg),
                           ("right", cfg.channels.seat_right, right_kg)):
        kg_ok = guard.seat_ok(kg)
        checks.append(Check(f"  AIN{ain} seat {label}", kg_ok,
                            f"{kg:.1f} kg" + ("" if kg_ok else " (load sensor unplugged or saturated?)")))
    checks.append(bus)
    return checks


def _bus_check(adc, cfg: Config) -> Check:
    """A healthy I2C bus needs no retries: read the perineal channel BUS_TEST_CONVERSIONS
    times and count the transactions the driver had to retry."""
    name = f"  I2C bus at {cfg.i2c.bus_hz // 1000} kHz"
    before = adc.counts()
    try:
        for _ in range(BUS_TEST_CONVERSIONS):
            adc.read_volts(cfg.channels.perineal)
    except HardwareError as e:
        return Check(name, False, f"gave up after {adc.counts().since(before).retries} retries: {e}")
    per_100 = adc.counts().since(before).retries_per_100
    ok = per_100 <= MAX_RETRIES_PER_100
    return Check(name, ok, f"{per_100:.1f} retries per 100 conversions"
                           + ("" if ok else f" (more than {MAX_RETRIES_PER_100:g}: a loose cable or "
                                            f"interference?)"))


def _oled_check(platform: Platform, cfg: Config, screen_png: Path | None, panel) -> Check:
    name = f"OLED SSD1306 @0x{cfg.oled.address:02X}"
    try:
        oled = open_oled(platform, cfg)
        image = oled.draw_test_pattern()
    except HardwareError as e:
        return Check(name, False, str(e))
    detail = "test pattern drawn"
    if panel is not None:
        shown = panel()
        expected = image.rotate(-90 * cfg.oled.rotate, expand=True)   # luma turns it clockwise
        same = shown.tobytes() == expected.convert("1").tobytes()
        detail += ", emulator shows it pixel for pixel" if same else ", EMULATOR SHOWS SOMETHING ELSE"
        saved = True
        if screen_png is not None:
            try:
                png = io.BytesIO()
                shown.resize((256, 128)).save(png, format="PNG")
                write_bytes(screen_png, png.getvalue())          # whole, or not at all
                detail += f", saved to {screen_png}"
            except OSError as e:                                 # asked for and not done: no pass
                saved = False
                detail += f", NOT saved to {screen_png}: {e.strerror or e}"
        return Check(name, same and saved, detail)
    return Check(name, True, detail)


def _buzzer_check(platform: Platform, cfg: Config) -> Check:
    name = f"Buzzer GPIO{cfg.buzzer.pin}"
    try:
        buzzer = open_buzzer(platform, cfg)
        buzzer.play((Beep(0.15, 0.1), Beep(0.15, 0.0)))
        while buzzer.busy:
            platform.clock.sleep(0.01)
            buzzer.update()
        buzzer.close()
    except HardwareError as e:
        return Check(name, False, str(e))
    if cfg.buzzer.volume == 0.0:      # (a trial: "two beeps played" of a silent buzzer read as a broken one)
        return Check(name, True, "two beeps played, silent: [buzzer] volume = 0")
    return Check(name, True, "two beeps played")


def _buttons_check(platform: Platform, cfg: Config) -> Check:
    b = cfg.buttons
    name = f"Buttons GPIO{b.prev_pin}/{b.next_pin}/{b.ok_pin}"
    try:
        buttons = open_buttons(platform, cfg)
        held = [n for n in ("prev", "next", "ok") if buttons.is_pressed(n)]
        buttons.close()
    except HardwareError as e:
        return Check(name, False, str(e))
    if held:
        return Check(name, False, f"reads pressed at rest: {', '.join(held)} (stuck or shorted?)")
    return Check(name, True, "all released")


def _rtc_keeping_time(rtcs: Path, system_s: float) -> tuple[str | None, bool]:
    """The first real-time clock under `rtcs` that keeps the time (its name, True), else the first
    that lost it (a Pi 5's without its battery after a power-off: it refuses to be read, or reads
    far from the system's time; its name, False), else (None, False): none."""
    lost = None
    for rtc in sorted(rtcs.glob("rtc*")) if rtcs.is_dir() else ():
        try:
            since_epoch_s = int((rtc / "since_epoch").read_text())
        except (OSError, ValueError):
            since_epoch_s = None
        if since_epoch_s is not None and abs(since_epoch_s - system_s) < RTC_AGREES_S:
            return rtc.name, True
        lost = lost or rtc.name
    return lost, False


def _synchronized() -> bool:
    """A time service (systemd-timesyncd, chrony, ntpd) keeps the kernel's clock: adjtimex(2),
    asked for nothing, says no TIME_ERROR."""
    try:
        timex = ctypes.create_string_buffer(512)          # struct timex, modes 0: read only
        state = ctypes.CDLL(None, use_errno=True).adjtimex(timex)
    except (OSError, AttributeError):
        return False
    return 0 <= state < TIME_ERROR


def _clock_check(platform: Platform, rtcs: Path = RTCS, synchronized: Callable[[], bool] = _synchronized) -> Check:
    """Where the date comes from. Sessions are stamped, counted per day and week, and advised on
    by date; a Pi has no real-time clock of its own (but a Pi 5 with its battery), and offline
    it starts from the time it was shut down: each session stamped the day it was last switched
    off (a trial). OK with an RTC that keeps the time or a time service that keeps the clock."""
    now = platform.wall()
    stamp = f"{now:%Y-%m-%d %H:%M}"
    if not PLAUSIBLE_DAYS[0] <= now.date() <= PLAUSIBLE_DAYS[1]:
        return Check("Clock", False, f"{stamp}: never set (set the date, and see the README: Clock)")
    if platform.simulated:
        return Check("Clock", True, f"{stamp}, the simulator's calendar")
    rtc, kept = _rtc_keeping_time(rtcs, now.timestamp())
    if kept:
        return Check("Clock", True, f"{stamp}, kept by a real-time clock ({rtc})")
    if synchronized():
        return Check("Clock", True, f"{stamp}, kept by a time service (from the network)")
    lost = f"a real-time clock ({rtc}) that lost the time (no battery?)" if rtc else "no real-time clock"
    return Check("Clock", False, f"{stamp}: {lost}, and no time from a network: after each power-off the dates "
                                 "go on from the last shutdown (see the README: Clock)")


def _scan_check(platform: Platform, cfg: Config) -> Check:
    """Which addresses answer on the bus, against the configured ones."""
    try:
        found = platform.i2c.scan()
    except (OSError, RuntimeError) as e:
        return Check("I2C bus scan", False, f"scan failed: {e}")
    shown = ", ".join(f"0x{a:02X}" for a in found) or "nothing"
    expected = {cfg.adc.address: "ADC", cfg.oled.address: "OLED"}
    missing = [f"{name} at 0x{a:02X}" for a, name in expected.items() if a not in found]
    if not missing:
        return Check("I2C bus scan", True, f"found {shown}")
    return Check("I2C bus scan", False, f"found {shown}; missing {', '.join(missing)} "
                                        "(check the wiring, or the address in the config)")


def run_selftest(platform: Platform, cfg: Config, screen_png: Path | None = None, panel=None) -> list[Check]:
    """Every check on `platform`. `panel()`, where there is a way to see the panel (the
    simulator's emulated one), gives what it shows: the test pattern must be on it
    pixel for pixel, and `screen_png` keeps it."""
    checks = [_scan_check(platform, cfg)]
    checks += _adc_checks(platform, cfg)
    checks.append(_oled_check(platform, cfg, screen_png, panel))
    checks.append(_buzzer_check(platform, cfg))
    checks.append(_buttons_check(platform, cfg))
    checks.append(_clock_check(platform))
    return checks


def format_report(checks: list[Check], simulated: bool) -> str:
    lines = [f"pftrainer self-test ({'simulator' if simulated else 'hardware'})"]
    for c in checks:
        lines.append(f"  [{'OK' if c.ok else 'FAIL':4}] {c.name}: {c.detail}")
    failed = sum(not c.ok for c in checks)
    lines.append("all checks passed" if not failed else f"{failed} check(s) FAILED")
    return "\n".join(lines)
