"""The TOML config: defaults, the shipped example, and clear refusals naming the key."""

import os
import re
import threading
from pathlib import Path

import pytest

from device import config
from device.config import Config, ConfigError


def test_shipped_example_is_exactly_the_defaults():
    text = config.EXAMPLE_PATH.read_text()
    assert config.parse(text) == Config()
    assert text == config.render(Config())


def test_values_are_read_and_ints_widen_to_floats():
    cfg = config.parse("[adc]\ndata_rate_sps = 475\n[sampling]\nrate_hz = 150\n"
                       "[calibration.supply]\ndivider_ratio = 1\n")
    assert cfg.adc.data_rate_sps == 475 and cfg.sampling.rate_hz == 150
    assert cfg.calibration.supply.divider_ratio == 1.0
    assert isinstance(cfg.calibration.supply.divider_ratio, float)
    assert cfg.oled == Config().oled


@pytest.mark.parametrize("text, expected", [
    ("[adc]\ngain = 1\n", "unknown key 'adc.gain'"),
    ("[adcc]\naddress = 0x48\n", "unknown key 'adcc' (did you mean 'adc'?)"),
    ("[adc]\ndata_rate_sps = 900\n", "adc.data_rate_sps = 900 is not one of 8, 16"),
    ("[adc]\naddress = 0x50\n", "adc.address = 0x50 is out of range 0x48..0x4B"),
    ("[sampling]\nrate_hz = \"fast\"\n", "sampling.rate_hz must be a whole number, not text in quotes (\"fast\")"),
    ("[sim]\nseed = 1979-05-27\n", "sim.seed must be a whole number, not a date (1979-05-27)"),
    ("[sim]\nseed = [1]\n", "sim.seed must be a whole number, not a list ([1])"),
    ("[buzzer]\nvolume = {level = 3}\n", "buzzer.volume must be a number, not a table ({'level': 3})"),
    ("[sim.faults]\nadc_absent = 1\n", "sim.faults.adc_absent must be true or false, not a whole number (1)"),
    ("[ui]\nlanguage = \"de\"\n", "ui.language = \"de\" is not one of \"nl\", \"en\""),
    ("[oled]\nrotate = 1\n", "oled.rotate = 1 is not one of 0, 2"),     # the screens are landscape
    ("adc = 3\n", "'adc' must be a table"),
    ("[session]\nprograms_dir = \" \"\n", "session.programs_dir is empty: name a folder, or leave the key out"),
    ("[session]\nprograms_dir = \"/a\\u0000b\"\n", "session.programs_dir has a NUL character"),   # a traceback
    ("[sim]\nusb_dir = \"/a\\u0000b\"\n", "sim.usb_dir has a NUL character"),                 # (a fault campaign)
    ("[channels]\nseat_left = 0\n", "each ADC input may have one role only"),
    ("[adc\n", "not valid TOML"),
    ("[session]\nmax_drop_kpa = 1,5\n", "line 2: session.max_drop_kpa has 1,5 -- a decimal comma? Numbers take a "
                                         "point: 1.5"),                                            # Dutch habit
    ("[sim.faults]\nadc_absent = ja\n", "line 2: sim.faults.adc_absent takes true or false, not ja"),
    ("\ufeff[session]\ndaily_goal = 2\n", "begins with a byte-order mark (saved as UTF-8 with BOM): save it as "
                                            "plain UTF-8"),                                        # Notepad
    ("[buzzer]\npin = 2\n", "buzzer.pin = 2 is an I2C line of bus 1"),
    ("[buttons]\nok_pin = 17\n", "adc.ready_pin = 17 is already used by buttons.ok_pin"),
    ("[sampling]\nrate_hz = 400\n", "sampling.rate_hz = 400 is too fast for adc.data_rate_sps = 860"),
    ("[adc]\ndata_rate_sps = 128\n", "use rate_hz <= 55 or a faster data rate"),
    ('[ui]\nlanguage = """n\nl"""\n', 'ui.language = "n\\nl" is not one of'),
    # a range the sensors' resting outputs do not fit in: flat lines at the rail (the bad-input campaign)
    ("x = " + "[" * 1000 + "]" * 1000 + "\n", "not valid TOML: values nested too deeply"),   # no RecursionError
    ("x = " + "{a=" * 3000 + "1" + "}" * 3000 + "\n", "not valid TOML: values nested too deeply"),
    ("[adc]\nfull_scale_v = 1.024\n[calibration.seat_left]\nv_per_kg = 0.01\n[calibration.seat_right]\n"
     "v_per_kg = 0.01\n", "adc.full_scale_v = 1.024 V cannot measure the supply monitor's reading"),
    ("[adc]\nfull_scale_v = 2.048\n[calibration.perineal]\noffset_v = 2.5\n",
     "adc.full_scale_v = 2.048 V cannot measure the perineal sensor at 4.5 kPa (calibration.perineal.offset_v + "
     "v_per_kpa x 4.5), 3.69 V: use full_scale_v = 4.096 or more"),
    # a review: the outputs at zero fitted, a seated person's did not
    ("[adc]\nfull_scale_v = 2.048\n[calibration.perineal]\nv_per_kpa = 1.0\n",
     "cannot measure the perineal sensor at 4.5 kPa (calibration.perineal.offset_v + v_per_kpa x 4.5), 4.83 V"),
    ("[adc]\nfull_scale_v = 2.048\n[calibration.seat_left]\nv_per_kg = 0.1\n",
     "cannot measure the left sitting bone at 40 kg (calibration.seat_left.zero_v + v_per_kg x 40), 4.25 V: "
     "use full_scale_v = 6.144 or more"),
    ("[calibration.perineal]\nv_per_kpa = 5.0\n", "no range of the ADC can: check the calibration"),
])
def test_bad_values_name_the_file_and_key(text, expected):
    with pytest.raises(ConfigError) as err:
        config.parse(text, "my.toml")
    assert str(err.value).startswith("my.toml: ")
    assert expected in str(err.value)
    assert "\n" not in str(err.value)                     # one line


def test_every_problem_of_the_file_is_named_in_one_line(tmp_path, capsys):
    """Trial93: three values out of range and a misspelt key took four runs (on the device, four
    restarts), each naming one. Checks between keys come together too, once every key is read."""
    from device.cli import main
    path = tmp_path / "bad2.toml"
    path.write_text('[session]\ndaily_goal = 0\nprofiles = 7\n[adc]\ndata_rate_sps = 900\n[ui]\nlanguag = "nl"\n')
    assert main(["--config", str(path), "config"]) == 2
    assert capsys.readouterr().err == (
        f"pftrainer: {path}: session.daily_goal = 0 is out of range 1..20; session.profiles = 7 is out of range "
        "1..4; adc.data_rate_sps = 900 is not one of 8, 16, 32, 64, 128, 250, 475, 860; unknown key 'ui.languag' "
        "(did you mean 'language'?)\n")
    with pytest.raises(ConfigError) as err:
        config.parse("[buzzer]\npin = 2\n[sampling]\nrate_hz = 400\n", "my.toml")
    assert str(err.value).startswith("my.toml: buzzer.pin = 2 is an I2C line of bus 1; sampling.rate_hz = 400 is "
                                     "too fast for adc.data_rate_sps = 860")
    with pytest.raises(ConfigError) as err:      # a pin out of range: no clash told against its default
        config.parse("[buzzer]\npin = 1\n[buttons]\nok_pin = 18\n", "my.toml")
    assert str(err.value) == "my.toml: buzzer.pin = 1 is out of range 2..27"


def test_the_timing_check_admits_what_the_sampler_really_sustains(tmp_path):
    """At the highest rate the budget check allows, the simulated sampler drops no tick (at a
    Pi Zero's speed, with the CPU times scripted: the same on any machine)."""
    from device.record import record
    from hw_sim.plugin import TYPICAL_CPU_S, ScriptedCpu, open_bench
    need_s, _ = config.tick_budget_s(Config())
    fastest_hz = int(0.9 / need_s)
    cfg = config.parse(f"[sampling]\nrate_hz = {fastest_hz}\n")
    with pytest.raises(ConfigError):
        config.parse(f"[sampling]\nrate_hz = {fastest_hz + 1}\n")
    result = record(open_bench(cfg, cpu_meter=ScriptedCpu(TYPICAL_CPU_S)).platform, cfg, 3.0, tmp_path / "r.csv")
    assert result.dropped == 0
    assert result.samples == pytest.approx(3.0 * fastest_hz, abs=2)


def test_ready_pin_off_frees_gpio17():
    cfg = config.parse("[adc]\nready_pin = -1\n[buttons]\nok_pin = 17\n")
    assert cfg.buttons.ok_pin == 17


def test_load_missing_and_binary_files(tmp_path):
    with pytest.raises(ConfigError, match="cannot read config file"):
        config.load(tmp_path / "absent.toml")
    binary = tmp_path / "b.toml"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(ConfigError, match="not a UTF-8 text file"):
        config.load(binary)


def test_a_pipe_given_as_the_config_is_refused_not_waited_on(tmp_path):
    """The bad-input campaign: `--config` naming a FIFO hung until killed (opening it waits for a writer)."""
    pipe = tmp_path / "f.toml"
    os.mkfifo(pipe)
    outcome = []

    def load():
        try:
            config.load(pipe)
        except ConfigError as e:
            outcome.append(str(e))
    loader = threading.Thread(target=load, daemon=True)
    loader.start()
    loader.join(timeout=10.0)
    if loader.is_alive():                      # waiting for a writer: give it one, so the test ends
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        loader.join()
        pytest.fail("config.load waited on the pipe")
    assert len(outcome) == 1 and re.search(r"f\.toml: a pipe \(FIFO\), not a config file", outcome[0])


def test_an_endless_or_huge_file_is_refused_without_reading_it_all(tmp_path):
    """(A device is refused before it is read: /dev/zero never ends, a terminal waits for typing.)"""
    for device in ("/dev/zero", "/dev/tty", "/dev/null"):
        if Path(device).exists():
            with pytest.raises(ConfigError, match=rf"{device}: a device, not a config file"):
                config.load(Path(device))
    big = tmp_path / "big.toml"
    big.write_text("# a comment\n" * 10_000)
    with pytest.raises(ConfigError, match="larger than 64 KiB"):
        config.load(big)
