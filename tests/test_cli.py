"""The command line end to end on the simulator: reports, recordings and one-line failures."""

import subprocess
import sys

import pytest

from device.cli import main
from session.recording import open_rows


def write_config(tmp_path, text):
    path = tmp_path / "pftrainer.toml"
    path.write_text(text)
    return str(path)


def test_selftest_sim_passes_and_reports_every_device(capsys, tmp_path):
    png = tmp_path / "screen.png"
    assert main(["selftest", "--sim", "--screen", str(png)]) == 0
    out = capsys.readouterr().out
    for part in ("ADC ADS1115 @0x48", "AIN0 perineal cushion", "AIN1 seat left", "AIN2 seat right",
                 "AIN3 supply: 3.300 V", "OLED SSD1306 @0x3C", "pixel for pixel", "Buzzer GPIO18",
                 "Buttons", "all checks passed"):
        assert part in out
    assert png.stat().st_size > 0


@pytest.mark.parametrize("faults, failing", [
    ("adc_absent = true", "ADC (ADS1115) not found at I2C address 0x48"),
    ("oled_absent = true", "OLED not found at I2C address 0x3C"),
    ("adc_stuck_busy = true", "conversion not finished"),
])
def test_selftest_names_the_missing_or_faulty_device(capsys, tmp_path, faults, failing):
    cfg = write_config(tmp_path, f"[sim.faults]\n{faults}\n")
    assert main(["--config", cfg, "selftest", "--sim"]) == 1
    out = capsys.readouterr().out
    assert failing in out
    assert "FAILED" in out


def test_selftest_with_rotated_screen_still_matches(capsys, tmp_path):
    cfg = write_config(tmp_path, "[oled]\nrotate = 2\n")
    assert main(["--config", cfg, "selftest", "--sim"]) == 0


def test_record_sim_writes_a_readable_v1_recording(tmp_path, capsys):
    out = tmp_path / "sub" / "rec.csv"
    assert main(["record", "--sim", "--seconds", "18", "--seed", "3", "--out", str(out)]) == 0
    rows = list(open_rows(out))
    assert 18 * 250 - 2 <= len(rows) <= 18 * 250 + 2
    assert all(left is not None and right is not None for _, _, left, right in rows)
    steps = [b[0] - a[0] for a, b in zip(rows, rows[1:])]
    assert max(steps) < 0.0045 and min(steps) > 0.0035           # 250 Hz, steady
    rest = [kpa for t, kpa, _, _ in rows if t < 8]
    assert 2.0 < min(rest) and max(rest) < 3.0                     # quiet sitting
    lift = [kpa for t, kpa, _, _ in rows if 11 < t < 12]
    assert max(lift) < min(rest) - 0.5                             # the scripted lift: pressure drops
    assert "# event0=contraction,10.000" in out.read_text()
    assert "recorded 18.0 s" in capsys.readouterr().out


def test_record_is_deterministic_for_a_seed(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (a, b):
        assert main(["record", "--sim", "--seconds", "3", "--seed", "5", "--out", str(path)]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_i2c_fault_during_recording_is_one_message(tmp_path, capsys):
    cfg = write_config(tmp_path, "[sim.faults]\ni2c_error_rate = 0.05\n")
    code = main(["--config", cfg, "record", "--sim", "--seconds", "5", "--out", str(tmp_path / "r.csv")])
    assert code == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "I2C error" in err[0] and "0x48" in err[0]


@pytest.mark.parametrize("argv, message", [
    (["record", "--sim", "--seconds", "-1", "--out", "x.csv"], "must be between 0 and 86400"),
    (["record", "--sim", "--seconds", "soon", "--out", "x.csv"], "not a number of seconds"),
    (["record", "--sim", "--seed", "-3", "--out", "x.csv"], "must be 0 .. 2147483647"),
    (["selftest", "--sim", "--colour"], "unrecognized arguments: --colour"),
])
def test_bad_arguments_exit_2_with_the_reason(argv, message, capsys):
    with pytest.raises(SystemExit) as code:
        main(argv)
    assert code.value.code == 2
    assert message in capsys.readouterr().err


def test_screen_option_needs_the_simulator(capsys):
    assert main(["selftest", "--screen", "s.png"]) == 2
    assert "--screen needs --sim" in capsys.readouterr().err


def test_bad_config_and_unwritable_output(tmp_path, capsys):
    cfg = write_config(tmp_path, "[adc]\ndata_rate_sps = 900\n")
    assert main(["--config", cfg, "selftest", "--sim"]) == 2
    assert "adc.data_rate_sps = 900" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["record", "--sim", "--seconds", "1", "--out", str(blocker / "r.csv")]) == 2
    assert "pftrainer: " in capsys.readouterr().err


def test_console_script_prints_no_traceback(tmp_path):
    cfg = write_config(tmp_path, "[adc]\ngain = 2\n")
    proc = subprocess.run([sys.executable, "-m", "device.cli", "--config", cfg, "selftest", "--sim"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"pftrainer: {cfg}: unknown key 'adc.gain'"
    assert "Traceback" not in proc.stderr
