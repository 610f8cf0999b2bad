"""Faults during a guided session on the simulator: what already holds (more come with `run`)."""

import gzip
import json

import pytest

from device.cli import main
from device.storage import Store


def write_config(tmp_path, text):
    path = tmp_path / "pftrainer.toml"
    path.write_text(text)
    return str(path)


@pytest.mark.slow
def test_no_oled_the_session_carries_on_with_the_buzzer(tmp_path, capsys):
    cfg = write_config(tmp_path, "[sim.faults]\noled_absent = true\n")
    out = tmp_path / "out"
    assert main(["--config", cfg, "sim", "--program", "kracht", "--persona", "bears_down_tired", "--max-kpa", "1.0",
                 "--out", str(out)]) == 0
    assert "coaching by buzzer only" in capsys.readouterr().err
    cues = [json.loads(line) for line in (out / "cues.jsonl").read_text().splitlines()]
    assert {c["channel"] for c in cues} == {"buzzer"}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["bear_down_warnings"] == len(summary["persona_pushes_s"]) >= 1
    assert not (out / "oled.gif").exists()


@pytest.mark.slow
def test_i2c_error_bursts_are_retried_and_the_session_completes(tmp_path):
    cfg = write_config(tmp_path, "[sim]\ncpu_factor = 0\n[sim.faults]\ni2c_error_rate = 0.01\n")
    out = tmp_path / "out"
    assert main(["--config", cfg, "sim", "--program", "kracht", "--max-kpa", "1.5", "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert len(summary["reps"]) == 5 and summary["dropped"] == 0


def test_adc_unplugged_mid_session_keeps_the_recording_and_every_finished_rep(tmp_path):
    import pytest
    from device.config import Config
    from device.session_run import run_session
    from device.storage import Store
    from drivers.errors import HardwareError
    from hw_sim.persona import PERSONAS
    from hw_sim.plugin import open_bench
    from session.programme import BUILTIN_DIR, load_programmes
    bench = open_bench(Config(), PERSONAS["strong"].body)
    bench.add_person(PERSONAS["strong"])
    bench.rig.clock.call_at(80.0, lambda t: bench.rig.bus.detach(0x48))
    store = Store(tmp_path / "state")
    with pytest.raises(HardwareError, match="0x48"):
        run_session(bench.platform, Config(), load_programmes(BUILTIN_DIR)["kracht"], tmp_path / "out",
                    store=store)
    assert gzip.decompress((tmp_path / "out" / "recording.csv.gz").read_bytes()).decode().splitlines()[-1].startswith("# aborted=")
    [row] = store.sessions()
    assert row["reps"] >= 2 and not row["completed"]
    assert store.integrity() == "ok"


def test_run_sim_on_a_bus_with_5_percent_nacks_completes_every_rep_without_a_sensor_fault(tmp_path, capsys):
    cfg = write_config(tmp_path, "[sim]\ncpu_factor = 0\n[session]\nmax_drop_kpa = 1.5\n"
                                 "[sim.faults]\ni2c_error_rate = 0.05\n")
    state = tmp_path / "state"
    assert main(["--config", cfg, "run", "--sim", "--program", "kracht", "--state-dir", str(state)]) == 0
    captured = capsys.readouterr()
    assert "1 session completed, 0 sensor faults" in captured.out
    assert "Sensorfout" not in captured.err
    summary = Store(state, read_only=True).last_summary("kracht")
    assert len(summary["reps"]) == 5 and "aborted" not in summary
    assert summary["bus_retries"] > 0
