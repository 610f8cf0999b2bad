"""The command line end to end on the simulator: reports, recordings and one-line failures."""

import contextlib
import subprocess
import sys
import time
from pathlib import Path

import pytest

from device.cli import main
from session.recording import open_rows
from test_storage import ONE_ROW_RECORDING, store_one_session, write_recording


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
                 "Buttons", "Clock: ", "the simulator's calendar", "all checks passed"):
        assert part in out
    assert png.stat().st_size > 0


def test_a_screen_png_that_cannot_be_written_fails_the_selftest(capsys, tmp_path, monkeypatch):
    """The bad-input campaign: on a full disk the OLED check said `NOT saved to ...` and the
    self-test still passed, exit 0 -- what was asked for was not done."""
    import errno

    import device.selftest

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(device.selftest, "write_bytes", full)
    png = tmp_path / "screen.png"
    assert main(["selftest", "--sim", "--screen", str(png)]) == 1
    out = capsys.readouterr().out
    assert f"NOT saved to {png}: No space left on device" in out and "all checks passed" not in out
    assert not png.exists()


@pytest.mark.parametrize("faults, failing", [
    ("adc_absent = true", "ADC (ADS1115) not found at I2C address 0x48"),
    ("oled_absent = true", "OLED not found at I2C address 0x3C"),
    ("adc_stuck_busy = true", "conversion not finished"),
    ("i2c_error_rate = 0.05", "[FAIL]   I2C bus at 400 kHz"),      # a flaky bus is no healthy bus
])
def test_selftest_names_the_missing_or_faulty_device(capsys, tmp_path, faults, failing):
    cfg = write_config(tmp_path, f"[sim.faults]\n{faults}\n")
    assert main(["--config", cfg, "selftest", "--sim"]) == 1
    out = capsys.readouterr().out
    assert failing in out
    assert "FAILED" in out


@pytest.mark.parametrize("inside", ["", "sessions"])
def test_sim_never_writes_its_files_into_a_state_directory_named_or_not(capsys, tmp_path, monkeypatch, inside):
    """Its oled.gif and loose files there would be the store's to tidy (a user's trial)."""
    state = tmp_path / "state"
    recording = tmp_path / "r.csv.gz"
    write_recording(recording, ONE_ROW_RECORDING)
    store_one_session(state, recording)
    before = sorted(p.relative_to(state) for p in state.rglob("*"))
    out = state / inside
    for named in ([], ["--state-dir", str(state)]):
        assert main(["--lang", "en", "sim", "--program", "micro", "--out", str(out), *named]) == 2
        assert capsys.readouterr().err.strip() == (f"pftrainer: {out} is in the state directory {state}: "
                                                   "sim never writes its files there")
    other = tmp_path / "other"                       # another state directory named: this one still found
    assert main(["--lang", "en", "sim", "--program", "micro", "--out", str(out), "--state-dir", str(other)]) == 2
    assert f"is in the state directory {state}" in capsys.readouterr().err
    monkeypatch.chdir(state)                         # a relative --out
    assert main(["--lang", "en", "sim", "--program", "micro", "--out", "x"]) == 2
    assert "is in the state directory" in capsys.readouterr().err
    assert sorted(p.relative_to(state) for p in state.rglob("*")) == before


def test_record_never_writes_over_a_state_directorys_files(capsys, tmp_path):
    """The bad-input campaign: `record --out STATE/pftrainer.db` (or a kept recording, also
    through a link to the folder) wrote a recording over it, exit 0 -- the history lost."""
    state = tmp_path / "state"
    recording = tmp_path / "r.csv.gz"
    write_recording(recording, ONE_ROW_RECORDING)
    store_one_session(state, recording)
    before = {p.relative_to(state): p.read_bytes() for p in state.rglob("*") if p.is_file()}
    assert any(p.suffix == ".gz" for p in before)
    (tmp_path / "link").symlink_to(state)
    for out in (state / "pftrainer.db", *(state / p for p in before if p.suffix == ".gz"),
                tmp_path / "link" / "new.csv"):
        assert main(["--lang", "en", "record", "--sim", "--seconds", "1", "--out", str(out)]) == 2
        assert capsys.readouterr().err.strip() == (f"pftrainer: {out} is in the state directory {state}: "
                                                   "record never writes its files there")
    assert {p.relative_to(state): p.read_bytes() for p in state.rglob("*") if p.is_file()} == before


def test_sim_without_an_adc_says_so_and_exits_3_into_a_new_folder_too(capsys, tmp_path):
    """The folder is made as the session begins: a missing ADC said 'oled.gif: No such file
    or directory', exit 2."""
    cfg = write_config(tmp_path, "[sim]\ncpu_factor = 0\n[sim.faults]\nadc_absent = true\n")
    assert main(["--config", cfg, "sim", "--program", "micro", "--out", str(tmp_path / "new")]) == 3
    assert capsys.readouterr().err == "pftrainer: hardware: ADC (ADS1115) not found at I2C address 0x48\n"


def test_selftest_with_rotated_screen_still_matches(capsys, tmp_path):
    cfg = write_config(tmp_path, "[oled]\nrotate = 2\n")
    assert main(["--config", cfg, "selftest", "--sim"]) == 0


def test_record_sim_writes_a_readable_v1_recording(tmp_path, capsys):
    out = tmp_path / "rec.csv"
    cfg = write_config(tmp_path, "[sim]\ncpu_factor = 0\n")     # the format; timing is the benchmark's
    assert main(["--config", cfg, "record", "--sim", "--seconds", "18", "--seed", "3", "--out", str(out)]) == 0
    rows = list(open_rows(out))
    assert 18 * 250 - 2 <= len(rows) <= 18 * 250 + 2
    assert all(left is not None and right is not None for _, _, left, right in rows)
    steps = sorted(b[0] - a[0] for a, b in zip(rows, rows[1:]))
    assert steps[0] > 0.0035 and steps[-1] < 0.0045                # 250 Hz, every sample on time
    rest = [kpa for t, kpa, _, _ in rows if t < 8]
    assert 2.0 < min(rest) and max(rest) < 3.0                     # quiet sitting
    lift = [kpa for t, kpa, _, _ in rows if 11 < t < 12]
    assert max(lift) < min(rest) - 0.5                             # the scripted lift: pressure drops
    assert "# event0=contraction,10.000" in out.read_text()
    assert "recorded 18.0 s" in capsys.readouterr().out


def test_record_is_deterministic_for_a_seed_when_computing_takes_no_time(tmp_path):
    cfg = write_config(tmp_path, "[sim]\ncpu_factor = 0\n")     # else this machine's CPU time counts
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (a, b):
        assert main(["--config", cfg, "record", "--sim", "--seconds", "3", "--seed", "5", "--out", str(path)]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_occasional_i2c_errors_are_retried_and_the_recording_completes(tmp_path):
    cfg = write_config(tmp_path, "[sim]\ncpu_factor = 0\n[sim.faults]\ni2c_error_rate = 0.01\n")
    out = tmp_path / "r.csv"
    assert main(["--config", cfg, "record", "--sim", "--seconds", "10", "--out", str(out)]) == 0
    assert len(list(open_rows(out))) == pytest.approx(2500, abs=2)


def test_a_failing_bus_is_one_message_exit_3(tmp_path, capsys):
    cfg = write_config(tmp_path, "[sim.faults]\ni2c_error_rate = 0.4\n")
    code = main(["--config", cfg, "record", "--sim", "--seconds", "20", "--out", str(tmp_path / "r.csv")])
    assert code == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "0x48" in err[0]


def test_adc_unplugged_mid_recording_keeps_what_was_recorded(tmp_path):
    from device.config import Config
    from device.record import record
    from drivers.errors import HardwareError
    from hw_sim.plugin import TYPICAL_CPU_S, ScriptedCpu, open_bench
    bench = open_bench(Config(), cpu_meter=ScriptedCpu(TYPICAL_CPU_S))      # the same on any machine
    bench.rig.clock.call_at(5.0, lambda t: bench.rig.bus.detach(0x48))
    out = tmp_path / "r.csv"
    with pytest.raises(HardwareError, match="0x48"):
        record(bench.platform, Config(), 20.0, out)
    assert out.read_text().splitlines()[-1].startswith("# aborted=I2C error")
    rows = list(open_rows(out))               # still a valid recording up to the abort (the sample
    assert rows[-1][0] == pytest.approx(5.0, abs=0.015)     # converted just before may go with the bus)


@pytest.mark.parametrize("argv, message", [
    (["record", "--sim", "--seconds", "-1", "--out", "x.csv"], "must be 0.1 .. 86400.0, got -1"),
    (["record", "--sim", "--seconds", "soon", "--out", "x.csv"], "not a number of seconds"),
    (["record", "--sim", "--seed", "-3", "--out", "x.csv"], "must be 0 .. 2147483647"),
    (["selftest", "--sim", "--colour"], "unrecognized arguments: --colour"),
])
def test_bad_arguments_exit_2_with_the_reason(argv, message, capsys):
    with pytest.raises(SystemExit) as code:
        main(["--lang", "en", *argv])
    assert code.value.code == 2
    assert message in capsys.readouterr().err


def test_screen_option_needs_the_simulator(capsys):
    assert main(["--lang", "en", "selftest", "--screen", "s.png"]) == 2
    assert "--screen needs --sim" in capsys.readouterr().err


def test_bad_config_and_unwritable_output(tmp_path, capsys):
    cfg = write_config(tmp_path, "[adc]\ndata_rate_sps = 900\n")
    assert main(["--config", cfg, "selftest", "--sim"]) == 2
    assert "adc.data_rate_sps = 900" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["record", "--sim", "--seconds", "1", "--out", str(blocker / "r.csv")]) == 2
    assert "pftrainer: " in capsys.readouterr().err


@pytest.mark.parametrize("command, out, message", [
    (["record", "--sim", "--seconds", "2"], "a-folder", "is a folder, not a file"),
    (["record", "--sim", "--seconds", "2"], "a-file/r.csv", "a-file is not a folder"),
    (["sim", "--program", "kracht"], "a-file", "is not a folder"),
    (["sim", "--program", "kracht"], "a-file/out", "a-file is not a folder"),
    (["report"], "nowhere/r.html", "no folder"),
    (["report", "--csv"], "a-folder", "is a folder, not a file"),
])
def test_an_output_that_cannot_be_written_is_refused_at_once(tmp_path, capsys, command, out, message):
    """Before anything runs: a new user's `record --out FOLDER` waited 4 s for its writes,
    then exited 1 with 'storage: 7 writes not done'."""
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("")
    started = time.monotonic()
    if command[0] == "report":
        write_recording(tmp_path / "one.csv.gz", ONE_ROW_RECORDING)
        store_one_session(tmp_path / "state", tmp_path / "one.csv.gz")
        command = [*command, "--state-dir", str(tmp_path / "state")]
    target = ["--csv", str(tmp_path / out)] if "--csv" in command else ["--out", str(tmp_path / out)]
    assert main(["--lang", "en"] + [c for c in command if c != "--csv"] + target) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and time.monotonic() - started < 1.0


@pytest.mark.parametrize("command", [
    ["record", "--sim", "--seconds", "2", "--out", "{tmp}/nowhere/r.csv"],
    ["sim", "--program", "micro", "--out", "{tmp}/nowhere/out"],
    ["report", "--state-dir", "{tmp}/state", "--out", "{tmp}/nowhere/r.html"],
    ["report", "--state-dir", "{tmp}/state", "--csv", "{tmp}/nowhere/r.csv"],
    ["selftest", "--sim", "--screen", "{tmp}/nowhere/x.png"],
    ["export", "--state-dir", "{tmp}/state", "--edf", "{tmp}/nowhere/edf"],
    ["sim", "--program", "micro", "--out", "{tmp}/out", "--state-dir", "{tmp}/nowhere/state"],
    ["run", "--sim", "--sessions", "1", "--state-dir", "{tmp}/nowhere/state"],
    ["run", "--state-dir", "{tmp}/nowhere/state"],                 # before the hardware is opened
])
def test_every_output_is_made_in_a_folder_that_is_there_never_with_folders_above_it(tmp_path, capsys, command):
    """A trial found `record --out` making missing folders where `report --out` refused
    one: now no output makes the folders above it (a mistyped path is not made on the SD
    card), and each says so in one line naming the option and the path, exit 2. A state
    directory is made where it is named too (`sim --state-dir typo/deep/st` made all three)."""
    write_recording(tmp_path / "one.csv.gz", ONE_ROW_RECORDING)
    store_one_session(tmp_path / "state", tmp_path / "one.csv.gz")
    argv = [c.format(tmp=tmp_path) for c in command]
    assert main(["--lang", "en", *argv]) == 2
    assert capsys.readouterr().err == f"pftrainer: {argv[-2]} {argv[-1]}: no folder {tmp_path / 'nowhere'}\n"
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.slow
def test_a_report_into_a_pipe_or_device_is_written_into_it_never_in_its_place(tmp_path, capsys):
    """`report --out /dev/null`, run as root, replaced the device with the page (the page
    is written under a temporary name and renamed: fine for a file, not for a device)."""
    import os
    import threading
    write_recording(tmp_path / "one.csv.gz", ONE_ROW_RECORDING)
    store_one_session(tmp_path / "state", tmp_path / "one.csv.gz")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_text()), daemon=True)
    reader.start()
    assert main(["report", "--state-dir", str(tmp_path / "state"), "--out", str(pipe)]) == 0
    reader.join(timeout=5)
    assert pipe.is_fifo() and got and got[0].startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("command, message", [
    (["report", "--out", "{tmp}/r", "--csv", "{tmp}/r"], "--out and --csv are one file"),
    (["report", "--out", "{tmp}/r.csv"], "argument --out: '{tmp}/r.csv' names another kind of file: the "
                                         "page is written as .html"),
    (["report", "--out", "{tmp}/verslag.pdf"], "argument --out: '{tmp}/verslag.pdf': the page is written as "
                                               ".html, not PDF (open it in a browser and print it to PDF"),
    (["report", "--csv", "{tmp}/t.PDF"], "argument --csv: '{tmp}/t.PDF': the table is written as .csv, not PDF (see"),
    (["report", "--out", "{tmp}/p.html", "--csv", "{tmp}/session-00001.csv.gz"],
     "argument --csv: '{tmp}/session-00001.csv.gz' names another kind of file: the table is written as .csv"),
    (["run", "--sim", "--state-dir", ""], "argument --state-dir: an empty path"),
    (["selftest", "--sim", "--screen", "{tmp}/nowhere/x.png"], "--screen {tmp}/nowhere/x.png: no folder"),
    (["export", "--edf", "{tmp}/a-file"], "--edf {tmp}/a-file: is not a folder"),
])
def test_odd_outputs_are_refused_in_one_line(tmp_path, capsys, command, message):
    (tmp_path / "a-file").write_text("")
    write_recording(tmp_path / "one.csv.gz", ONE_ROW_RECORDING)
    store_one_session(tmp_path / "state", tmp_path / "one.csv.gz")
    if command[0] in ("report", "export"):
        command = [*command, "--state-dir", str(tmp_path / "state")]
    with pytest.raises(SystemExit) if message.startswith("argument") else contextlib.nullcontext():
        assert main(["--lang", "en"] + [c.format(tmp=tmp_path) for c in command]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message.format(tmp=tmp_path) in err
    assert not (tmp_path / "r.html").exists()


def test_pi_without_i2c_enabled_is_one_line_exit_3(tmp_path, monkeypatch, capsys):
    import drivers.buses
    monkeypatch.setattr(drivers.buses, "_check_device", lambda n: f"/dev/i2c-{n}")

    def blinka_missing_bus(*args, **kwargs):
        raise RuntimeError("I2C Bus #1 not found, check if enabled in config!")
    import adafruit_blinka.microcontroller.generic_linux.i2c as linux_i2c
    monkeypatch.setattr(linux_i2c, "I2C", type("I2C", (), {"MASTER": 0, "__init__": blinka_missing_bus}))
    assert main(["selftest"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["pftrainer: hardware: cannot open /dev/i2c-1: I2C Bus #1 not found, check if "
                   "enabled in config! (enable I2C with 'sudo raspi-config nonint do_i2c 0' and reboot)"]


def test_missing_i2c_device_node_is_named(capsys):
    from drivers.buses import open_smbus
    from drivers.errors import HardwareError
    with pytest.raises(HardwareError, match="/dev/i2c-17 does not exist: enable I2C"):
        open_smbus(17)


def test_gpio_library_failure_is_a_hardware_error(monkeypatch):
    """A pin library refusing a pin (e.g. edge detection on a new kernel) names the part."""
    from device import hardware
    from device.config import Config
    from drivers.errors import HardwareError
    platform = hardware.open_platform(Config(), simulated=True)

    def refuse(*args, **kwargs):
        raise RuntimeError("Failed to add edge detection")
    monkeypatch.setattr(hardware, "InputDevice", refuse)
    with pytest.raises(HardwareError, match="ADC ALERT/RDY on GPIO17: Failed to add edge detection"):
        hardware.open_adc(platform, Config())


def test_console_script_prints_no_traceback(tmp_path):
    cfg = write_config(tmp_path, "[adc]\ngain = 2\n")
    proc = subprocess.run([sys.executable, "-m", "device.cli", "--config", cfg, "selftest", "--sim"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"pftrainer: {cfg}: unknown key 'adc.gain'"
    assert "Traceback" not in proc.stderr


def test_programs_tells_a_new_user_what_their_session_is(capsys):
    """The start level where a programme has levels (basis said 3 x 10, about 17 min, where a new
    user does 3 x 8 in about 13.5); a session under a minute is not '0 min'; to the half minute (the
    new user's trial: `lift` said "about 4 min" and took 3.0-3.4); a range where a hold lasts "as long
    as possible" (`uithouding` said "about 2 min" and took 2.0-3.3)."""
    assert main(["programs", "--lang", "en"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert " 3x8 at level 4, about 13.5 min " in lines["basis"]        # of 8: three easier below
    assert " 1x8, about 1.5 min (under a minute with today's maximum known);" in lines["snelheid"]
    assert " 1x3, about 3.5 min (about 3 min with today's maximum known);" in lines["lift"]
    assert " 1x2, about 2.5-3.5 min (about 1.5-2.5 min with today's maximum known);" in lines["uithouding"]
    assert not any(" 0 min" in line for line in lines.values())


def test_programs_says_which_are_the_physiotherapists_own(tmp_path, capsys):
    from session.programme import BUILTIN_DIR
    folder = tmp_path / "programmes"
    folder.mkdir()
    micro = (BUILTIN_DIR / "micro.toml").read_text()
    (folder / "micro.toml").write_text(micro)
    (folder / "mine.toml").write_text(micro.replace('name = "micro"', 'name = "mine"')
                                      .replace("Twee minuten", "Mijn twee").replace("Two minutes", "My two"))
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text(f'[session]\nprograms_dir = "{folder}"\n')
    assert main(["--config", str(cfg), "programs", "--lang", "en"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert lines["micro"].endswith(f"; from {folder}/micro.toml, in place of the built-in")
    assert lines["mine"].endswith(f"; from {folder}/mine.toml")
    assert "; from " not in lines["basis"]            # (its levels: "from hold 3 s, 3x5, up to ...")


def starting_at_level_1(basis: str) -> str:
    """A copy of basis.toml without `start`: its first level, 3 s x 5, in its step too."""
    copy = basis.replace("start = 4\n", "")
    copy = copy.replace("\nhold_s = 6 ", "\nhold_s = 3 ").replace("\nreps = 8 ", "\nreps = 5 ")
    assert "\nhold_s = 3 " in copy and "\nreps = 5 " in copy and "start =" not in copy
    return copy


def test_programs_says_when_a_copy_starts_its_levels_elsewhere_than_the_built_in(tmp_path, capsys):
    """A weak-floor trial: a physiotherapist's basis of easier steps only, without `start`,
    quietly ran every user one step lower (levels are kept counted from the start)."""
    from session.programme import BUILTIN_DIR
    folder = tmp_path / "programmes"
    folder.mkdir()
    basis = (BUILTIN_DIR / "basis.toml").read_text()
    (folder / "basis.toml").write_text(starting_at_level_1(basis))
    (folder / "kracht.toml").write_text((BUILTIN_DIR / "kracht.toml").read_text().replace(
        "hold_s = [5, 6, 7, 8, 10]", "hold_s = [5, 6, 7]").replace("relax_s = [4, 5, 6, 7, 8]", "relax_s = [4, 5, 6]"))
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text(f'[session]\nprograms_dir = "{folder}"\n[ui]\nlanguage = "en"\n')
    assert main(["--config", str(cfg), "programs"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert lines["basis"].endswith(f"; from {folder}/basis.toml, in place of the built-in -- it starts a new user "
                                   "at 3 s x 5, relax 16 s where the built-in starts at 6 s x 8, relax 16 s: every "
                                   "level kept (counted from the start) moves with it")
    assert lines["kracht"].endswith(", in place of the built-in")       # fewer levels, the same start
    (folder / "basis.toml").write_text(basis[:basis.index("\n[levels]")] + basis[basis.index("\n[[steps]]"):])
    assert main(["--config", str(cfg), "programs"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert lines["basis"].endswith(f"; without levels: hold 6 s, 3x8, relax 16 s; from {folder}/basis.toml, in place "
                                   "of the built-in -- it has no levels: whatever level is kept, everybody does the "
                                   "same (the built-in's levels: from 3 s x 5, relax 16 s, up to 8 s x 12, relax 16 s)")
    # (a review: it said they moved)


def test_programs_says_what_a_programme_without_levels_asks_as_the_levels_are_said(tmp_path, capsys):
    """A trial: a physiotherapist's file without levels (floor 2, hold 5 s, relax 10 s) was listed as
    *2x6, ongeveer 5 min* alone, where those with levels said their holds and repetitions."""
    folder = tmp_path / "programmes"
    folder.mkdir()
    (folder / "mijn.toml").write_text(
        'name = "mijn"\nsource = []\ncalibrate = true\nseries = 2\nreps = 6\nseries_rest_s = 30\n'
        '[title]\nnl = "Mijn oefening"\nen = "My exercise"\n[about]\nnl = "Verdieping 2."\nen = "Floor 2."\n'
        '[[steps]]\nkind = "lift"\nfloor = 2\nhold_s = 5\n[[steps]]\nkind = "relax"\nduration_s = 10\n')
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text(f'[session]\nprograms_dir = "{folder}"\n')
    for lang, asks in (("nl", "2x6, ongeveer 5 min (ongeveer 4 min als het maximum van vandaag bekend is); maximum: "
                              "eerst gemeten, tenzij dat van vandaag bewaard is; zonder niveaus: 5 s vasthouden, "
                              f"2x6, ontspannen 10 s; uit {folder}/mijn.toml"),
                       ("en", "2x6, about 5 min (about 4 min with today's maximum known); maximum: measured first "
                              "unless today's is stored; without levels: hold 5 s, 2x6, relax 10 s; from "
                              f"{folder}/mijn.toml")):
        assert main(["--config", str(cfg), "programs", "--lang", lang]) == 0
        lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
        assert lines["mijn"].endswith(" " + asks)
    # rests of two lengths, each by what it follows (*relax 2/8 s* said not which: a review)
    assert lines["kegel_kort"].endswith("; without levels: hold 4 s, 5x, relax 8 s after the hold and 2 s after a "
                                        "quick squeeze")
    assert lines["uithouding"].endswith("; without levels: hold as long as you can, 2x, relax 10 s")
    assert "levels" not in lines["meting"] + lines["ontspannen"]       # an assessment; neither held nor rested
    assert lines["kracht"].endswith("; levels 1-5: from hold 5 s, 5x, up to hold 10 s, 5x (about 2.5 min)")


def test_config_after_the_command_is_told_where_it_goes(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--lang", "en", "programs", "--config", "x.toml"])
    assert exit_.value.code == 2
    assert "(--config comes before the command: pftrainer --config FILE COMMAND ...)" in capsys.readouterr().err


def test_version_is_the_packages(capsys):
    import tomllib
    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"pftrainer {pyproject['project']['version']}\n"


@pytest.mark.parametrize("trouble", ["unplug", "saturate"])
@pytest.mark.parametrize("channel, check", [("perineal", "perineal cushion"), ("seat_left", "seat left"),
                                            ("seat_right", "seat right")])
def test_selftest_fails_a_sensor_that_a_session_would_take_for_lost_or_saturated(trouble, channel, check):
    """The self-test's ranges are the session's (`SensorGuard`): a saturated seat sensor read
    76 kg and passed, where a session stops on it."""
    from device.config import Config
    from device.selftest import run_selftest
    from hw_sim.plugin import open_bench
    cfg = Config()
    bench = open_bench(cfg)
    getattr(bench.rig.inputs, trouble)(getattr(cfg.channels, channel))
    checks = {c.name.strip(): c for c in run_selftest(bench.platform, cfg)}
    failed = [name for name, c in checks.items() if not c.ok]
    assert failed == [f"AIN{getattr(cfg.channels, channel)} {check}"]
    assert checks[failed[0]].detail.endswith("unplugged or saturated?)")


def test_the_selftest_says_where_the_date_comes_from_and_fails_a_pi_that_cannot_keep_it(tmp_path):
    """Trial79: offline, a Pi without a real-time clock starts from the time it was shut down, and
    every session is stamped that day: the self-test fails it, and one whose RTC lost the time (a
    Pi 5 without its battery: review 74a), and passes an RTC that keeps it or a time service."""
    import datetime
    from device.hardware import Platform
    from device.selftest import Check, _clock_check
    now = datetime.datetime(2026, 12, 7, 9, 30)
    pi = Platform(clock=None, i2c=None, smbus=None, pin_factory=None, wall=lambda: now)
    rtcs, rtc = tmp_path, tmp_path / "rtc0"
    offline, online = (lambda: False), (lambda: True)
    check = _clock_check(pi, rtcs, offline)
    assert not check.ok and "no real-time clock, and no time from a network" in check.detail
    assert _clock_check(pi, rtcs, online) == Check("Clock", True, "2026-12-07 09:30, kept by a time service "
                                                                 "(from the network)")
    rtc.mkdir()                                                  # lost its time: it refuses to be read
    lost = _clock_check(pi, rtcs, offline)
    assert not lost.ok and "a real-time clock (rtc0) that lost the time (no battery?)" in lost.detail
    (rtc / "since_epoch").write_text(f"{int(now.timestamp()) - 86400 * 3}\n")   # days behind
    assert not _clock_check(pi, rtcs, offline).ok
    (tmp_path / "rtc1").mkdir()                                  # a DS3231 beside a Pi 5's that lost it
    (tmp_path / "rtc1" / "since_epoch").write_text(f"{int(now.timestamp()) + 2}\n")
    assert _clock_check(pi, rtcs, offline) == Check("Clock", True, "2026-12-07 09:30, kept by a real-time clock (rtc1)")
    never = Platform(clock=None, i2c=None, smbus=None, pin_factory=None,
                     wall=lambda: datetime.datetime(1970, 1, 1, 0, 1))
    assert not _clock_check(never, rtcs, online).ok


def test_the_selftest_of_a_silent_buzzer_says_it_is_silent(capsys, tmp_path):
    """Trial79: "two beeps played" at `[buzzer] volume = 0` read as a broken buzzer."""
    assert main(["--config", write_config(tmp_path, "[buzzer]\nvolume = 0.0\n"), "selftest", "--sim"]) == 0
    assert "two beeps played, silent: [buzzer] volume = 0" in capsys.readouterr().out


def test_a_sessions_length_is_never_about_nothing():
    """A review: a custom programme of 10 s with a hold "as long as possible" (up to 70 s) was
    "about 0-1 min"."""
    from device.programme_texts import about_text
    assert about_text(10.0, 70.0, "en") == "about 0.5-1 min"
    assert about_text(10.0, 20.0, "en") == "under a minute"
    assert about_text(142.0, 202.0, "en") == "about 2.5-3.5 min"
    assert about_text(142.0, 202.0, "nl") == "ongeveer 2,5-3,5 min"


def test_programs_speaks_dutch_to_a_dutch_user(tmp_path, capsys):
    """A trial (a Dutch user): `pftrainer programs` gave Dutch titles beside English words ("at
    level 4, about 13.5 min ... maximum: measured first"); a physiotherapist's copy is told in
    Dutch too."""
    from session.programme import BUILTIN_DIR
    assert main(["programs", "--lang", "nl"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert (" 3x8 op niveau 4, ongeveer 13,5 min (ongeveer 13 min als het maximum van vandaag bekend is); "
            "maximum: eerst gemeten, tenzij dat van vandaag bewaard is; niveaus 1-8: van 3 s vasthouden, 3x5, tot "
            "8 s vasthouden, 3x12") in lines["basis"]     # (in series: "5x" read as the session's, a trial;
    # "3 s vasthouden, 3x5 tot 8 s vasthouden, 3x12" read as a list of four, trial93: a range)
    assert lines["ontspannen"].endswith(" 1x3, ongeveer 3 min; maximum: niet nodig")
    assert "maximum: elke keer opnieuw gemeten" in lines["meting"]
    english = ("at level", "about", "maximum: measured", "not needed", "levels", "up to", "under a minute")
    assert not any(word in line for line in lines.values() for word in english)
    folder = tmp_path / "programmes"
    folder.mkdir()
    (folder / "basis.toml").write_text(starting_at_level_1((BUILTIN_DIR / "basis.toml").read_text()))
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text(f'[session]\nprograms_dir = "{folder}"\n')
    assert main(["--config", str(cfg), "programs", "--lang", "nl"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert lines["basis"].endswith(f"; uit {folder}/basis.toml, in plaats van het ingebouwde programma -- een "
                                   "nieuwe gebruiker begint hier op 3 s x 5, ontspannen 16 s, in het ingebouwde "
                                   "programma op 6 s x 8, ontspannen 16 s: elk bewaard niveau (geteld vanaf het "
                                   "begin) schuift mee")


def test_a_programme_not_found_is_told_in_the_users_language(tmp_path, capsys):
    """A trial: the one line for `--program loslaten` listed the programmes with their English
    titles to a Dutch user."""
    for lang, said in (("nl", "pftrainer: geen programma 'loslaten' (er zijn: basis (Basisoefening), "),
                       ("en", "pftrainer: no programme 'loslaten' (there are: basis (Basic exercise), ")):
        assert main(["sim", "--program", "loslaten", "--lang", lang, "--out", str(tmp_path / lang)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(said) and "ontspannen (" + ("Ontspannen" if lang == "nl" else "Letting go") in err


def test_lang_is_taken_before_the_command_too_and_the_commands_own_comes_first(capsys):
    """Trial70: `pftrainer --lang nl programs` was refused as *invalid choice: 'nl'*."""
    assert main(["--lang", "en", "programs"]) == 0
    assert "Basic exercise" in capsys.readouterr().out
    assert main(["--lang", "en", "programs", "--lang", "nl"]) == 0
    assert "Basisoefening" in capsys.readouterr().out


@pytest.mark.parametrize("before", [False, True])
@pytest.mark.slow
def test_lang_chooses_the_language_of_run_and_programs_as_of_sim(capsys, tmp_path, before):
    """A new user's trial: the README says `--lang en` for English, and `run --sim --lang en` was
    refused (*unrecognized arguments*); `programs` printed Dutch titles beside English words. Before
    the command as after it (a review: before `run`, the menu's stored language stood over it)."""
    assert main(["programs", "--lang", "en"]) == 0
    listed = capsys.readouterr().out
    assert "Basic exercise" in listed and "Basisoefening" not in listed and "vasthouden" not in listed
    import json
    import sqlite3

    from device.storage import Store
    state = tmp_path / "state"
    store = Store(state)
    store.save_setting("language", "nl")          # chosen on the device's menu once (a review: it stood over --lang)
    store.close()
    cfg = write_config(tmp_path, "[sampling]\nrate_hz = 50\n")     # the language, not the samples
    lang = ["--lang", "en"]
    assert main(["--config", cfg, *(lang if before else []), "run", "--sim", *([] if before else lang),
                 "--program", "kegel_kort", "--state-dir", str(state)]) == 0
    with contextlib.closing(sqlite3.connect(state / "pftrainer.db")) as db:
        [(summary,)] = db.execute("SELECT summary_json FROM session").fetchall()
    assert json.loads(summary)["language"] == "en"
    capsys.readouterr()
    # history speaks the menu's language unless told (a review: it read the configuration's alone)
    store = Store(state)
    store.save_setting("language", "en")
    store.close()
    assert main(["history", "--state-dir", str(state)]) == 0 and "1 session\n" in capsys.readouterr().out
    assert main(["history", "--lang", "nl", "--state-dir", str(state)]) == 0 and "1 sessie\n" in capsys.readouterr().out


def test_programs_says_how_long_a_session_at_the_highest_level_takes(capsys):
    """Trial85: a physiotherapist's programme grew from 11 to 19 minutes as the levels went up, and
    `programs` gave only the start's length."""
    assert main(["programs", "--lang", "en"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert lines["basis"].endswith("; levels 1-8: from hold 3 s, 3x5, up to hold 8 s, 3x12 (about 20.5 min)")


@pytest.mark.slow
def test_the_history_run_points_to_lists_it_as_the_run_had_it(tmp_path, capsys):
    """Trial87: a daughter set the device up in English with her own configuration; `run` ended
    with *see `pftrainer history --state-dir ../state`*, which, typed as shown, gave a Dutch table.
    The command it names carries the configuration, person and language the run was given."""
    import shlex
    cfg = tmp_path / "riet.toml"
    cfg.write_text('[ui]\nlanguage = "en"\n[sim]\ncpu_factor = 0\n', encoding="utf-8")
    state = tmp_path / "my state"
    assert main(["--config", str(cfg), "run", "--sim", "--program", "kracht", "--state-dir", str(state),
                 "--profile", "1"]) == 0
    hint = capsys.readouterr().out.strip().rsplit("see `", 1)[1].rstrip("`")
    assert hint == f"pftrainer --config {cfg} history --state-dir '{state}' --profile 1"
    assert main(shlex.split(hint)[1:]) == 0
    assert capsys.readouterr().out.split()[:4] == ["#", "started", "programme", "min"]


def test_cpu_factor_on_the_command_line_overrides_the_configurations_with_sim_only(tmp_path, capsys):
    """`sim` is the same session twice for a seed only where computing takes no time: a
    physiotherapist comparing programmes asks for that on the command line (trial92)."""
    from device.cli import _load_config, build_parser
    cfg = write_config(tmp_path, "[sim]\ncpu_factor = 5\n")
    for argv in (["sim", "--program", "micro", "--out", "x"], ["run", "--sim"], ["record", "--sim", "--out", "x"]):
        told = build_parser().parse_args(["--config", cfg, *argv[:1], "--cpu-factor", "0", *argv[1:]])
        assert _load_config(told).sim.cpu_factor == 0.0
        assert _load_config(build_parser().parse_args(["--config", cfg, *argv])).sim.cpu_factor == 5.0
    assert main(["--lang", "en", "run", "--cpu-factor", "0", "--sessions", "1", "--state-dir", str(tmp_path)]) == 2
    assert "--cpu-factor needs --sim" in capsys.readouterr().err
    for bad in ("x", "-1", "101", "nan"):
        with pytest.raises(SystemExit) as refused:
            main(["--lang", "en", "sim", "--program", "micro", "--cpu-factor", bad, "--out", str(tmp_path)])
        assert refused.value.code == 2 and "--cpu-factor" in capsys.readouterr().err
