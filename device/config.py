"""The TOML configuration: typed sections with documented defaults and ranges.

Every key has a default, a type and (where it matters) a range or a set of choices.
Unknown sections or keys and out-of-range values are rejected at load time with a
`ConfigError` that names the file and the key, e.g. ``[adc] data_rate_sps``: every one of
the file's in one line.
"""

import datetime
import difflib
import json
import os
import stat
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from session import toml_hints

DEFAULT_PATH = Path("/etc/pftrainer/pftrainer.toml")
MAX_FILE_BYTES = 64 * 1024     # every key, documented, is under 4 KiB
MAX_PROFILES = 4               # the people one device serves: profile 1 (the default) to 4
DEFAULT_PROFILE = 1            # whose a session is when nobody was chosen, or its record cannot say
PROFILE_TEXTS = frozenset(str(n) for n in range(1, MAX_PROFILES + 1))   # as a stored setting holds them
EXAMPLE_PATH = Path(__file__).with_name("pftrainer.toml")


class ConfigError(ValueError):
    """A configuration file or value is unusable; the message names the key."""


LANGUAGES = ("nl", "en")          # what the device speaks: Dutch first, English second

def _opt(default, doc: str, *, lo=None, hi=None, choices=None):
    return field(default=default, metadata={"doc": doc, "lo": lo, "hi": hi, "choices": choices})


@dataclass(frozen=True)
class I2cConfig:
    bus: int = _opt(1, "Linux I2C bus number (/dev/i2c-N)", lo=0, hi=20)
    bus_hz: int = _opt(400_000, "wire clock in Hz (set on the Pi with dtparam=i2c_arm_baudrate)",
                       choices=(100_000, 400_000))


@dataclass(frozen=True)
class AdcConfig:
    address: int = _opt(0x48, "ADS1115 I2C address (ADDR pin: 0x48-0x4B)", lo=0x48, hi=0x4B)
    full_scale_v: float = _opt(4.096, "PGA full-scale range in volts",
                               choices=(6.144, 4.096, 2.048, 1.024, 0.512, 0.256))
    data_rate_sps: int = _opt(860, "conversion rate in samples per second",
                              choices=(8, 16, 32, 64, 128, 250, 475, 860))
    ready_pin: int = _opt(17, "BCM pin wired to ALERT/RDY; -1 to poll the OS bit over I2C", lo=-1, hi=27)


@dataclass(frozen=True)
class ChannelsConfig:
    perineal: int = _opt(0, "ADS1115 input of the perineal pressure sensor", lo=0, hi=3)
    seat_left: int = _opt(1, "input of the left sitting-bone load sensor", lo=0, hi=3)
    seat_right: int = _opt(2, "input of the right sitting-bone load sensor", lo=0, hi=3)
    supply: int = _opt(3, "input of the 3.3 V supply monitor (divider)", lo=0, hi=3)


@dataclass(frozen=True)
class SamplingConfig:
    rate_hz: int = _opt(250, "perineal samples per second", lo=50, hi=400)
    supply_every_s: float = _opt(1.0, "seconds between supply-monitor readings", lo=0.1, hi=60.0)


@dataclass(frozen=True)
class PerinealCalibration:
    offset_v: float = _opt(0.33, "sensor output at 0 kPa gauge, at the nominal supply", lo=0.0, hi=3.3)
    v_per_kpa: float = _opt(0.264, "sensor sensitivity at the nominal supply", lo=0.01, hi=5.0)
    supply_v: float = _opt(3.3, "nominal supply the calibration was made at", lo=2.0, hi=5.5)


@dataclass(frozen=True)
class LoadCalibration:
    zero_v: float = _opt(0.25, "amplifier output with no load", lo=0.0, hi=3.3)
    v_per_kg: float = _opt(0.04, "amplifier sensitivity", lo=0.001, hi=1.0)


@dataclass(frozen=True)
class SupplyCalibration:
    divider_ratio: float = _opt(0.5, "volts at the ADC input per volt of supply", lo=0.1, hi=1.0)


@dataclass(frozen=True)
class CalibrationConfig:
    perineal: PerinealCalibration = field(default_factory=PerinealCalibration)
    seat_left: LoadCalibration = field(default_factory=LoadCalibration)
    seat_right: LoadCalibration = field(default_factory=LoadCalibration)
    supply: SupplyCalibration = field(default_factory=SupplyCalibration)


@dataclass(frozen=True)
class OledConfig:
    address: int = _opt(0x3C, "SSD1306 I2C address", choices=(0x3C, 0x3D))
    rotate: int = _opt(0, "screen rotation in quarter turns (2: upside down; the screens are drawn landscape)", choices=(0, 2))
    contrast: int = _opt(0xCF, "contrast 0-255", lo=0, hi=255)


@dataclass(frozen=True)
class BuzzerConfig:
    pin: int = _opt(18, "BCM pin driving the piezo (PWM)", lo=2, hi=27)
    # the cues also sound a fourth above it: at most 9.3 kHz, within lgpio's 10 kHz software PWM
    frequency_hz: int = _opt(2700, "the piezo's resonance, the cues' middle pitch", lo=200, hi=7000)
    volume: float = _opt(0.5, "0 = silent, 1 = loudest", lo=0.0, hi=1.0)


@dataclass(frozen=True)
class ButtonsConfig:
    prev_pin: int = _opt(5, "BCM pin of the 'previous' button (to GND)", lo=2, hi=27)
    next_pin: int = _opt(6, "BCM pin of the 'next' button (to GND)", lo=2, hi=27)
    ok_pin: int = _opt(13, "BCM pin of the 'ok' button (to GND)", lo=2, hi=27)


@dataclass(frozen=True)
class PinsConfig:
    factory: str = _opt("auto", "gpiozero pin factory", choices=("auto", "rpigpio", "lgpio", "native", "mock"))


@dataclass(frozen=True)
class UiConfig:
    language: str = _opt("nl", "screen language", choices=LANGUAGES)
    reminder_hours: int = _opt(0, "a gentle reminder beep after this many hours without a session "
                                  "(0: never; never between quiet_from_h and quiet_until_h)", lo=0, hi=12)
    quiet_from_h: int = _opt(21, "no reminder from this hour (0-23) ...", lo=0, hi=23)
    quiet_until_h: int = _opt(8, "... until this hour (the same hour as quiet_from_h: no quiet hours)",
                              lo=0, hi=23)


@dataclass(frozen=True)
class SessionConfig:
    programs_dir: str = _opt("/etc/pftrainer/programmes",
                             "folder of extra or changed programme files (*.toml); the default may be "
                             "absent (one set and absent is told, and the built-in ones are used); a "
                             "relative one is taken from the current folder")
    max_drop_kpa: float = _opt(0.0, "the user's maximal lift when known (0 = calibrate each session)",
                               lo=0.0, hi=10.0)
    daily_goal: int = _opt(1, "sessions a day the user aims for (progress screen, report); one basis is "
                              "002's daily 3 series", lo=1, hi=20)
    profiles: int = _opt(1, "people who train on this device, each with their own maximum, levels, "
                            "assessments and history (the menu asks who trains when more than 1)", lo=1,
                   hi=MAX_PROFILES)


@dataclass(frozen=True)
class SimFaultsConfig:
    adc_absent: bool = _opt(False, "no ADS1115 on the bus")
    oled_absent: bool = _opt(False, "no SSD1306 on the bus")
    adc_stuck_busy: bool = _opt(False, "the ADS1115 never finishes a conversion")
    i2c_error_rate: float = _opt(0.0, "probability that an ADC transaction NACKs", lo=0.0, hi=1.0)


@dataclass(frozen=True)
class SimConfig:
    seed: int = _opt(0, "random seed of the simulated body and noise", lo=0, hi=2**31 - 1)
    i2c_overhead_us: float = _opt(20.0, "per-transaction driver overhead on the simulated bus", lo=0.0, hi=1000.0)
    cpu_factor: float = _opt(16.0, "how many times slower the simulated Pi computes than this machine: the "
                             "device's CPU time, times this, passes on the virtual clock (16: a Pi Zero 2 W, "
                             "5: a Pi 4, 0: computing takes no time)", lo=0.0, hi=100.0)
    usb_dir: str = _opt("", "a folder that stands in for a USB stick, plugged in usb_plug_s into run --sim "
                            "(empty: none)")
    usb_plug_s: float = _opt(5.0, "when the stick is plugged in, in seconds of the simulation", lo=0.0,
                             hi=86400.0)
    faults: SimFaultsConfig = field(default_factory=SimFaultsConfig)


@dataclass(frozen=True)
class Config:
    i2c: I2cConfig = field(default_factory=I2cConfig)
    adc: AdcConfig = field(default_factory=AdcConfig)
    channels: ChannelsConfig = field(default_factory=ChannelsConfig)
    sampling: SamplingConfig = field(default_factory=SamplingConfig)
    calibration: CalibrationConfig = field(default_factory=CalibrationConfig)
    oled: OledConfig = field(default_factory=OledConfig)
    buzzer: BuzzerConfig = field(default_factory=BuzzerConfig)
    buttons: ButtonsConfig = field(default_factory=ButtonsConfig)
    pins: PinsConfig = field(default_factory=PinsConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    session: SessionConfig = field(default_factory=SessionConfig)
    sim: SimConfig = field(default_factory=SimConfig)


TOML_KINDS = {bool: "true or false", int: "a whole number", float: "a number", str: "text in quotes"}
OTHER_TOML_KINDS = {dict: "a table", list: "a list", datetime.date: "a date", datetime.time: "a time of day",
                    datetime.datetime: "a date and time"}


def _check_value(where: str, value: Any, spec, meta) -> Any:
    kind = spec.type
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, bool) is not (kind is bool) or not isinstance(value, kind):
        got = TOML_KINDS.get(type(value)) or OTHER_TOML_KINDS.get(type(value), "another kind of value")
        shown = (_toml_value(value, where) if type(value) in TOML_KINDS else value.isoformat()
                 if isinstance(value, (datetime.date, datetime.time)) else repr(value))
        raise ConfigError(f"{where} must be {TOML_KINDS[kind]}, not {got} ({shown})")
    if meta["choices"] is not None and value not in meta["choices"]:
        shown = ", ".join(_toml_value(c, where) for c in meta["choices"])
        raise ConfigError(f"{where} = {_toml_value(value, where)} is not one of {shown}")
    if meta["lo"] is not None and not meta["lo"] <= value <= meta["hi"]:
        raise ConfigError(f"{where} = {_toml_value(value, where)} is out of range "
                          f"{_toml_value(meta['lo'], where)}..{_toml_value(meta['hi'], where)}")
    return value


def _build(cls, table: dict, where: str, problems: list[str]):
    """`cls` from `table`, each of its problems added to `problems` (the key left at its default)."""
    known = {f.name: f for f in fields(cls)}
    values = {}
    for key, value in table.items():
        here = f"{where}.{key}" if where else key
        spec = known.get(key)
        if spec is None:
            hint = difflib.get_close_matches(key, known, n=1)
            also = f" (did you mean '{hint[0]}'?)" if hint else ""
            problems.append(f"unknown key '{here}'{also}")
        elif is_dataclass(spec.type):
            if isinstance(value, dict):
                values[key] = _build(spec.type, value, here, problems)
            else:
                problems.append(f"'{here}' must be a table [{here}]")
        else:
            try:
                values[key] = _check_value(here, value, spec, spec.metadata)
            except ConfigError as e:
                problems.append(str(e))
    return cls(**values)


def _boolean_keys(cls, where: str = "") -> set[str]:
    """The true/false keys of `cls`, named as `_build` names them (`sim.faults.adc_absent`)."""
    keys = set()
    for f in fields(cls):
        here = f"{where}.{f.name}" if where else f.name
        if is_dataclass(f.type):
            keys |= _boolean_keys(f.type, here)
        elif f.type is bool:
            keys.add(here)
    return keys


def _check_channels(cfg: Config) -> None:
    ch = cfg.channels
    roles = {"perineal": ch.perineal, "seat_left": ch.seat_left, "seat_right": ch.seat_right,
             "supply": ch.supply}
    if len(set(roles.values())) != len(roles):
        raise ConfigError(f"[channels] each ADC input may have one role only, got {roles}")


I2C_PINS = {1: (2, 3), 0: (0, 1)}     # SDA, SCL of the Pi's I2C buses


def _check_pins(cfg: Config) -> None:
    used = {"buzzer.pin": cfg.buzzer.pin, "buttons.prev_pin": cfg.buttons.prev_pin,
            "buttons.next_pin": cfg.buttons.next_pin, "buttons.ok_pin": cfg.buttons.ok_pin}
    if cfg.adc.ready_pin >= 0:
        used["adc.ready_pin"] = cfg.adc.ready_pin
    owner: dict[int, str] = {}
    for key, pin in used.items():
        if pin in I2C_PINS.get(cfg.i2c.bus, ()):
            raise ConfigError(f"{key} = {pin} is an I2C line of bus {cfg.i2c.bus}")
        if pin in owner:
            raise ConfigError(f"{key} = {pin} is already used by {owner[pin]}")
        owner[pin] = key


def tick_budget_s(cfg: Config) -> tuple[float, float]:
    """(time one sampling tick needs, time it has): two conversions plus their bus traffic."""
    bus_s = 2 * 90 / cfg.i2c.bus_hz + 4 * 50e-6      # ~90 bits and one syscall per transaction
    need_s = 2.0 / cfg.adc.data_rate_sps + bus_s
    return need_s, 1.0 / cfg.sampling.rate_hz


def _check_folders(cfg: Config) -> None:
    """An empty folder name would be the current folder: its config files read as programmes; a
    folder name with a NUL in it (TOML's "\u0000") names no folder at all (`programs` gave a traceback,
    a fault campaign)."""
    if not cfg.session.programs_dir.strip():
        raise ConfigError(f"session.programs_dir is empty: name a folder, or leave the key out "
                          f"({SessionConfig().programs_dir})")
    for key, folder in (("session.programs_dir", cfg.session.programs_dir), ("sim.usb_dir", cfg.sim.usb_dir)):
        if "\0" in folder:
            raise ConfigError(f"{key} has a NUL character (\\u0000) in it: a folder's name cannot")


SEATED_KPA = 4.5     # the perineal pressure a seated person's rest and a push reach (rest about 2.5 kPa)
SEATED_KG = 40.0     # the load one sitting bone carries under a heavy adult


def _check_range(cfg: Config) -> None:
    """Every input's output with a person seated -- the perineal sensor at `SEATED_KPA`, each
    sitting bone at `SEATED_KG` -- and the supply monitor's reading must lie inside the ADC's
    range: at its rail a sensor reads a flat line (the perineal one as a floor that never moves)."""
    cal = cfg.calibration
    seated_v = {f"the perineal sensor at {SEATED_KPA:g} kPa (calibration.perineal.offset_v + v_per_kpa x "
                f"{SEATED_KPA:g})": cal.perineal.offset_v + cal.perineal.v_per_kpa * SEATED_KPA,
                **{f"the {side} sitting bone at {SEATED_KG:g} kg (calibration.seat_{side}.zero_v + v_per_kg x "
                   f"{SEATED_KG:g})": seat.zero_v + seat.v_per_kg * SEATED_KG
                   for side, seat in (("left", cal.seat_left), ("right", cal.seat_right))},
                "the supply monitor's reading (calibration.supply.divider_ratio x calibration.perineal.supply_v)":
                    cal.supply.divider_ratio * cal.perineal.supply_v}
    what, volts = max(seated_v.items(), key=lambda item: item[1])
    if volts >= cfg.adc.full_scale_v:
        choices = next(f for f in fields(AdcConfig) if f.name == "full_scale_v").metadata["choices"]
        enough = [v for v in choices if v > volts]
        advice = f"use full_scale_v = {min(enough)} or more" if enough else "no range of the ADC can: check the calibration"
        raise ConfigError(f"adc.full_scale_v = {cfg.adc.full_scale_v} V cannot measure {what}, {volts:.3g} V: {advice}")


def _check_timing(cfg: Config) -> None:
    need_s, have_s = tick_budget_s(cfg)
    if need_s > 0.9 * have_s:
        max_hz = int(0.9 / need_s)
        raise ConfigError(
            f"sampling.rate_hz = {cfg.sampling.rate_hz} is too fast for adc.data_rate_sps = "
            f"{cfg.adc.data_rate_sps}: each tick reads two inputs and needs {need_s * 1000:.1f} ms "
            f"of its {have_s * 1000:.1f} ms; use rate_hz <= {max_hz} or a faster data rate")


def parse(text: str, source: str = "<config>") -> Config:
    """Parse TOML text into a validated `Config`; errors name `source` and the key, every problem of
    the file in one line (`; ` between them; the checks between keys once each key is read)."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        explained = toml_hints.explained(text, e, booleans=_boolean_keys(Config))
        raise ConfigError(f"{source}: not valid TOML: {explained}") from None
    except RecursionError:                   # tomllib parses nested arrays and tables recursively
        raise ConfigError(f"{source}: not valid TOML: values nested too deeply") from None
    problems: list[str] = []
    cfg = _build(Config, table, "", problems)
    if not problems:                    # (the checks between keys: on keys read as written)
        for check in (_check_channels, _check_pins, _check_folders, _check_range, _check_timing):
            try:
                check(cfg)
            except ConfigError as e:
                problems.append(str(e))
    if problems:
        raise ConfigError(f"{source}: {'; '.join(problems)}")
    return cfg


def load(path: Path | None) -> Config:
    """Load `path`; with None, the system file if it exists, else the built-in defaults."""
    if path is None:
        if not DEFAULT_PATH.exists():
            return Config()
        path = DEFAULT_PATH
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISFIFO(mode):                         # opening a pipe waits for a writer: for ever
            raise ConfigError(f"{path}: a pipe (FIFO), not a config file")
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):    # a terminal waits for typing; /dev/zero never ends
            raise ConfigError(f"{path}: a device, not a config file")
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)           # /dev/zero must not fill the memory
    except OSError as e:
        raise ConfigError(f"{path}: cannot read config file: {e.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_FILE_BYTES // 1024} KiB: not a pftrainer config file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a UTF-8 text file") from None
    return parse(text, str(path))


def _toml_value(value: Any, name: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)      # a TOML basic string: one line, escaped
    if isinstance(value, int) and name.endswith("address"):
        return f"0x{value:02X}"
    return repr(value)


def render(cfg: Config) -> str:
    """`cfg` as TOML, each key with its documentation, range or choices."""
    out: list[str] = []

    def section(obj, where: str) -> None:
        plain = [f for f in fields(obj) if not is_dataclass(f.type)]
        if plain:
            out.append(f"[{where}]")
            for f in plain:
                meta = f.metadata
                bounds = (f" ({_toml_value(meta['lo'], f.name)}..{_toml_value(meta['hi'], f.name)})" if meta["lo"] is not None else
                          f" (one of {', '.join(_toml_value(c, f.name) for c in meta['choices'])})"
                          if meta["choices"] else "")
                out.append(f"{f.name} = {_toml_value(getattr(obj, f.name), f.name)}"
                           f"    # {meta['doc']}{bounds}")
            out.append("")
        for f in fields(obj):
            if is_dataclass(f.type):
                section(getattr(obj, f.name), f"{where}.{f.name}" if where else f.name)

    out.append("# pftrainer configuration (TOML). Every key is optional; missing keys take the")
    out.append("# value shown here. Unknown keys and out-of-range values are refused at start-up.")
    out.append("")
    section(cfg, "")
    return "\n".join(out)

