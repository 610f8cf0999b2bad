"""`pftrainer analyze`: the JSON and table outputs, and one clear line for every kind of bad file."""

import json
import subprocess
import sys

import pytest

from device.cli import main
from hw_sim.body import Body
from hw_sim.synth import synthesize
from session.recording import RecordingWriter


@pytest.fixture
def recording(tmp_path):
    body = Body(seed=11)
    body.lift(10.0, hold_s=4.0)
    body.bear_down(20.0, duration_s=1.5)
    path = tmp_path / "session.csv"
    with open(path, "w") as f:
        writer = RecordingWriter(f, {"source": "test"})
        for row in synthesize(body, 30.0, 200, seed=2):
            writer.write(*row)
    return path


def test_json_output_has_events_and_summary(recording, capsys):
    assert main(["analyze", str(recording), "--json", "--max-kpa", "1.2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [e["kind"] for e in out["events"]] == ["contraction", "bear_down"]
    lift, push = out["events"]
    assert lift["start"] == pytest.approx(10.0, abs=0.15)
    assert lift["start"] < lift["detected_at"] < lift["end"]
    assert {"peak_drop_kpa", "peak_pct_max", "time_to_peak_s", "hold_s", "release_s",
            "residual_kpa", "relaxed_pct"} <= set(lift)
    assert push["detected_at"] - 20.0 < 0.35
    s = out["summary"]
    assert s["contractions"] == 1 and s["bear_downs"] == 1
    assert s["duration_s"] == pytest.approx(30.0, abs=0.1)


def test_table_output(recording, capsys):
    assert main(["analyze", str(recording)]) == 0
    out = capsys.readouterr().out
    assert "contraction" in out and "bear_down" in out
    assert "summary: 1 contractions" in out


def test_seat_columns_are_optional(tmp_path, capsys):
    path = tmp_path / "p.csv"
    with open(path, "w") as f:
        writer = RecordingWriter(f, with_seat=False)
        for t, kpa, _, _ in synthesize(Body(seed=1), 12.0, 50):
            writer.write(t, kpa)
    assert main(["analyze", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["events"] == []


HEADER = "# pftrainer-recording v1\nt,perineal_kpa,seat_left_kg,seat_right_kg\n"


@pytest.mark.parametrize("content, message", [
    (b"0.0,2.5,1,1\n", "line 1: missing header"),
    (HEADER.encode() + b"0.0,2.5,,\n0.01,2.5x,,\n", "line 4: perineal_kpa is not a number"),
    (HEADER.encode() + b"0.5,2.5,,\n0.4,2.5,,\n", "line 4: time goes backwards"),
    (b"", "empty file"),
    (bytes(range(256)) * 4, "binary data"),
    (b"\xff\xfe\xfa garbage\n", "not UTF-8 text"),
])
def test_malformed_recordings_give_one_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    proc = subprocess.run([sys.executable, "-m", "device.cli", "analyze", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and str(path) in lines[0]
    assert "Traceback" not in proc.stderr


def test_missing_file_and_bad_max(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "none.csv")]) == 2
    assert "cannot open" in capsys.readouterr().err
    with pytest.raises(SystemExit) as code:
        main(["analyze", "x.csv", "--max-kpa", "0"])
    assert code.value.code == 2
