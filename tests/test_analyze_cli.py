"""`pftrainer analyze`: the JSON and table outputs, and one clear line for every kind of bad file."""

import gzip
import json
import math
import re
import tracemalloc

import pytest

from device.cli import main
from device.config import Config
from device.session_run import GuidedSession, run_session
from hw_sim.body import Body, BodyParams
from hw_sim.persona import PERSONAS
from hw_sim.plugin import TYPICAL_CPU_S, ScriptedCpu, open_bench
from hw_sim.synth import synthesize
from session.events import BEAR_DOWN, CONTRACTION, GLUTE, STAND_UP
from session.programme import BUILTIN_DIR, load_programmes
from session.recording import RecordingWriter
from session.replay import GAP_RESTART_S, analyze_file

PROGRAMMES = load_programmes(BUILTIN_DIR)


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
    assert "summary: 1 contraction (" in out


def test_the_tables_columns_are_told_apart_and_each_ends_above_its_cells(recording, capsys):
    """A trial: the header's *%max to peak* read as one column, and *residual* said no unit."""
    assert main(["analyze", str(recording), "--max-kpa", "1.2"]) == 0
    header, lift = capsys.readouterr().out.splitlines()[1:3]
    names = ["start", "end", "detected", "peak kPa", "%max", "rise time", "hold", "release", "residual kPa",
             "relaxed"]
    assert header.split() == ["#", "kind", *" ".join(names).split()]       # a unit after its name alone
    cells = lift.split()[2:]
    assert len(cells) == len(names) and cells[-2] == "0.000" and cells[5].endswith("s")
    for name, cell in zip(names, cells):                    # each cell ends where its column's name ends
        end = re.search(rf"(?<!\S){re.escape(name)}(?!\S)", header).end()
        assert lift[end - len(cell):end] == cell and lift[end:end + 1] in ("", " "), name


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
def test_malformed_recordings_give_one_line_and_exit_2(tmp_path, capsys, content, message):
    """In this process (a new Python each took a fifth of a second): what main() lets through fails here."""
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    assert main(["analyze", str(path)]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and str(path) in lines[0]
    assert "Traceback" not in err


def test_missing_file_and_bad_max(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "none.csv")]) == 2
    assert "cannot open" in capsys.readouterr().err
    with pytest.raises(SystemExit) as code:
        main(["analyze", "x.csv", "--max-kpa", "0"])
    assert code.value.code == 2


# --- every bad input: one line naming the file (and the line), exit 2, no traceback ----------

def _one_line_refusal(argv, capsys) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and captured.out == "", captured.err
    return lines[0]


SAMPLES = "0.0000,2.50000,30.000,30.000\n0.0100,2.50100,30.000,30.000\n"


@pytest.mark.parametrize("content, message", [
    (HEADER + "0.0,2_5,30,30\n", "line 3: perineal_kpa is not a number in plain ASCII decimals"),
    (HEADER + "0.0,\u0662.\u0665,30,30\n", "line 3: perineal_kpa is not a number in plain ASCII decimals"),
    (HEADER + "0.0,\uff12.\uff15,30,30\n", "line 3: perineal_kpa is not a number in plain ASCII decimals"),
    (HEADER + "0.0,2.5,inf,30\n", "line 3: seat_left_kg is not a finite number: 'inf'"),
    (HEADER + "0.0,nan,30,30\n", "line 3: perineal_kpa is not a finite number: 'nan'"),
    (HEADER + "-1.0,2.5,30,30\n", "line 3: negative time t=-1.0"),
    (HEADER + SAMPLES + "0.005,2.5,30,30\n", "line 5: time goes backwards or repeats"),
    (HEADER + SAMPLES + "7200.0,2.5,30,30\n", "line 5: time jumps 7200 s"),
    (HEADER + SAMPLES + "0.02,12.0,30,30\n", "line 5: perineal_kpa = 12.0 is outside what the sensor"),
    (HEADER + SAMPLES + "0.02,2.5,30,80.0\n", "line 5: seat_right_kg = 80.0 is outside what the sensor"),
    (HEADER + SAMPLES + "0.02,2.5,30\n", "line 5: 3 fields, expected 4"),
    (HEADER, "a header and no samples"),
    (HEADER + "# aborted=stopped on the device\n", "a header and no samples (aborted: stopped on the device)"),
    (HEADER + SAMPLES + "# paused=0.0100 button\n0.5,2.5,30,30\n", "line 6: a sample between '# paused='"),
    (HEADER + SAMPLES + "# resumed=0.5\n", "line 5: '# resumed=' without a '# paused=' before it"),
    (HEADER + SAMPLES + "0.02," + "1" * 300_000 + ",30,30\n", "line 5: longer than 1024 bytes"),
    (HEADER + SAMPLES + "0.02,2.5\x00,30,30\n", "line 5: binary data"),
    (HEADER.encode() + SAMPLES.encode() + b"# note=\xff\n", "line 5: not UTF-8 text"),
    ("", "empty file"),
    ("t,perineal_kpa\n0,2.5\n", "line 1: missing header"),
    (HEADER.replace("v1", "v2") + SAMPLES, "line 1: '# pftrainer-recording v2': version 2 of the recording "
                                           "format is not supported by this version of pftrainer, which reads "
                                           "version 1 ('# pftrainer-recording v1')"),      # (a trial: *missing header*)
    ("# pftrainer-recording v\n" + SAMPLES, "line 1: missing header '# pftrainer-recording v1'"),
    (HEADER.replace("\nt,", "\n# analysed_every=3\nt,") + SAMPLES, "line 2: expected '# analysed_every=1' or '=2'"),
    (HEADER.replace("\nt,", "\n# analysed_every=2\nt,") + SAMPLES,
     "line 3: '# analysed_every=2' needs the sampling rate in the header"),
    (HEADER.replace("\nt,", "\n# rate_hz=250 Hz\n# analysed_every=2\nt,") + SAMPLES,
     "line 2: '# rate_hz=250 Hz' is no sampling rate above 0, which '# analysed_every=2' needs"),
    (HEADER.replace("\nt,", "\n# rate_hz=50\n# analysed_every=2\nt,") + SAMPLES,      # (it was a traceback:
     "line 4: '# analysed_every=2' at '# rate_hz=50': the device analyses samples in pairs only at 200 Hz"),  # a review)
])
def test_each_kind_of_bad_content_is_one_line_naming_file_and_line(tmp_path, capsys, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    line = _one_line_refusal(["analyze", str(path), "--json"], capsys)
    assert line.startswith(f"pftrainer: {path}") and message in line


def test_the_value_limits_follow_the_configured_calibration(tmp_path, capsys):
    path = tmp_path / "heavy.csv"
    path.write_text(HEADER + "".join(f"{i / 100:.4f},2.50000,100.000,100.000\n" for i in range(1200)))
    assert "seat_left_kg = 100.000 is outside" in _one_line_refusal(["analyze", str(path)], capsys)
    config = tmp_path / "c.toml"          # load cells at half the sensitivity: up to 152.5 kg
    config.write_text("[calibration.seat_left]\nv_per_kg = 0.02\n[calibration.seat_right]\nv_per_kg = 0.02\n")
    assert main(["--config", str(config), "analyze", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["samples"] == 1200


def _store_recording(tmp_path, recording):
    from test_storage import store_one_session, write_recording
    compressed = tmp_path / "recording.csv.gz"
    write_recording(compressed, recording.read_text())
    return store_one_session(tmp_path / "state", compressed, "2024-01-01T10:00:00")


@pytest.mark.slow
def test_the_devices_gzip_recordings_are_analysed_like_the_plain_file(tmp_path, recording, capsys):
    stored = _store_recording(tmp_path, recording)
    assert stored.name == "session-00001.csv.gz" and stored.read_bytes()[:2] == b"\x1f\x8b"
    results = []
    for path in (recording, stored):
        assert main(["analyze", str(path), "--json"]) == 0
        results.append(json.loads(capsys.readouterr().out))
    assert results[0] == results[1] and results[0]["summary"]["contractions"] == 1


@pytest.mark.parametrize("keep", [0.5, 0.999])
def test_a_truncated_gzip_recording_is_refused_not_reported_in_part(tmp_path, recording, capsys, keep):
    data = _store_recording(tmp_path, recording).read_bytes()
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(data[:int(len(data) * keep)])
    line = _one_line_refusal(["analyze", str(cut)], capsys)
    assert line.startswith(f"pftrainer: {cut}, line ") and "the file is truncated" in line


def test_a_directory_a_missing_and_an_unreadable_file(tmp_path, capsys, monkeypatch):
    assert _one_line_refusal(["analyze", str(tmp_path)], capsys) == \
        f"pftrainer: {tmp_path}: is a directory, not a recording file"
    assert _one_line_refusal(["analyze", str(tmp_path / "none.csv")], capsys) == \
        f"pftrainer: {tmp_path / 'none.csv'}: cannot open: No such file or directory"
    from session import recording_file

    def refused(path, mode):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(recording_file, "open", refused, raising=False)
    assert _one_line_refusal(["analyze", str(tmp_path / "r.csv")], capsys) == \
        f"pftrainer: {tmp_path / 'r.csv'}: cannot open: Permission denied"


# --- pauses, gaps, aborted recordings, retracted events --------------------------------------

RATE_HZ = 100


def _paused_recording(path, resume_after_s: float, markers: bool, jump_kpa: float) -> float:
    """30 s sitting with a lift at 14 s; then (after a pause or gap) 30 s more on a resting level
    `jump_kpa` higher, again with a lift 14 s in. Returns when the second part starts."""
    first = Body(BodyParams(max_drop_kpa=1.0), seed=21)
    first.lift(14.0, level=0.8, hold_s=4.0)
    second = Body(BodyParams(max_drop_kpa=1.0), seed=22)
    second.lift(14.0, level=0.8, hold_s=4.0)
    with open(path, "w") as f:
        writer = RecordingWriter(f, {"source": "test"})
        last_t = 0.0
        for row in synthesize(first, 30.0, RATE_HZ, seed=1):
            writer.write(*row)
            last_t = row[0]
        start_s = round(last_t + resume_after_s, 4)
        if markers:
            f.write(f"# paused={last_t:.4f} stood_up\n# resumed={start_s:.4f}\n")
        for t, kpa, left, right in synthesize(second, 30.0, RATE_HZ, seed=2,
                                              rest_kpa=second.params.rest_kpa + jump_kpa):
            writer.write(start_s + 0.001 + t, kpa, left, right)
    return start_s


@pytest.mark.parametrize("jump_kpa", [1.0, -1.0])
@pytest.mark.parametrize("resume_after_s, markers", [(20.0, True), (0.5, True), (20.0, False),
                                                     (GAP_RESTART_S + 1.0, False)])
@pytest.mark.sweep
def test_after_a_pause_or_a_long_gap_the_analysis_warms_up_afresh(tmp_path, resume_after_s, markers,
                                                                  jump_kpa):
    path = tmp_path / "paused.csv"
    start_s = _paused_recording(path, resume_after_s, markers, jump_kpa)
    analysis = analyze_file(path)
    standing = [(e.kind, e.start) for e in analysis.events if e.retracted is None and e.kind != STAND_UP]
    # the level jump at the resume raises nothing; the lift after the new warm-up is found
    assert standing == [(CONTRACTION, pytest.approx(14.0, abs=0.3)),
                        (CONTRACTION, pytest.approx(start_s + 14.0, abs=0.3))]
    assert analysis.summary["stand_ups"] == int(markers)          # the pause says the user stood up
    assert analysis.summary["pauses"] == int(markers)
    assert analysis.summary["gap_restarts"] == int(not markers)


@pytest.mark.parametrize("jump_kpa, false_kind", [(1.0, BEAR_DOWN), (-1.0, CONTRACTION)])
def test_the_same_level_jump_without_a_pause_is_an_event(tmp_path, jump_kpa, false_kind):
    """The control for the test above: bridged by the filters, the jump is seen as a push or a lift."""
    path = tmp_path / "jump.csv"
    start_s = _paused_recording(path, 1.0 / RATE_HZ, False, jump_kpa)
    events = analyze_file(path).events
    assert any(e.kind == false_kind and abs(e.start - start_s) < 1.0 for e in events)


def test_an_aborted_recording_is_analysed_to_where_it_stops_and_says_so(tmp_path, capsys):
    body = Body(seed=11)
    body.lift(10.0, hold_s=4.0)
    body.lift(20.0, hold_s=4.0)
    path = tmp_path / "aborted.csv"
    with open(path, "w") as f:
        writer = RecordingWriter(f)
        for row in synthesize(body, 30.0, 200, seed=2):
            if row[0] > 21.0:                          # stopped in the middle of the second lift
                break
            writer.write(*row)
        f.write("# aborted=stopped by SIGTERM\n")
    assert main(["analyze", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["summary"]["aborted"] == "stopped by SIGTERM"
    assert out["summary"]["duration_s"] == pytest.approx(21.0, abs=0.05)
    lifts = [e for e in out["events"] if e["kind"] == CONTRACTION]
    assert [lift["end"] is None for lift in lifts] == [False, True]      # the second one never ended
    assert main(["analyze", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("aborted: stopped by SIGTERM")
    path.write_text(path.read_text().replace("# aborted=stopped by SIGTERM\n", ""))
    assert main(["analyze", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["aborted"] is None


def test_retracted_events_are_listed_in_json_and_in_the_table(tmp_path, capsys):
    body = Body(BodyParams(max_drop_kpa=1.0), seed=1)
    body.lift(12.0, level=0.8, hold_s=3.0)                     # a lift, and half a second later
    body.glute(12.5, hold_s=3.0, unload_kg=3.0, drop_kpa=0.1)   # the buttocks: it was their move
    path = tmp_path / "glute.csv"
    with open(path, "w") as f:
        writer = RecordingWriter(f)
        for row in synthesize(body, 25.0, 250):
            writer.write(*row)
    assert main(["analyze", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    [retracted] = [e for e in out["events"] if "retracted" in e]
    assert retracted["kind"] == CONTRACTION and retracted["retracted"] == GLUTE
    assert retracted["start"] < retracted["retracted_at"] < retracted["start"] + 2.0
    assert out["summary"]["retracted"] == 1 and out["summary"]["contractions"] == 0
    assert main(["analyze", str(path)]) == 0
    table = capsys.readouterr().out
    assert f"retracted at {retracted['retracted_at']:.2f}: glute" in table


# --- memory stays flat with the length of the file --------------------------------------------

@pytest.mark.slow
def test_a_long_gzip_recording_is_analysed_in_little_memory(tmp_path):
    rate_hz, minutes = 50, 20                      # 60 000 samples, 2.2 MB of text
    path = tmp_path / "long.csv.gz"
    with gzip.open(path, "wt", compresslevel=6) as f:
        writer = RecordingWriter(f)
        for i in range(minutes * 60 * rate_hz):
            t = i / rate_hz
            writer.write(t, 2.5 + 0.05 * math.sin(1.6 * t) + 0.001 * (i * 7919 % 13 - 6),
                         30.0 + 0.01 * (i % 7), 30.5)
    tracemalloc.start()
    try:
        analysis = analyze_file(path)
        peak_bytes = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert analysis.summary["samples"] == minutes * 60 * rate_hz
    # the rows kept in a list would take ~10 MB, the text alone 2.2 MB; measured: ~150 KiB
    assert peak_bytes < 512 * 1024


def _gapped(path, gap_s):
    """Lifts at 12, 25 and 44 s and a push at 36 s; the rows within `gap_s` (start, end)
    left out -- a dropout, no pause marked."""
    body = Body(BodyParams(max_drop_kpa=1.0), seed=31)
    for start_s in (12.0, 25.0, 44.0):
        body.lift(start_s, level=0.8, hold_s=4.0)
    body.bear_down(36.0, duration_s=1.5)
    with open(path, "w") as f:
        writer = RecordingWriter(f, {"source": "test"})
        for row in synthesize(body, 52.0, 200, seed=3):
            if gap_s is None or not gap_s[0] <= row[0] < gap_s[1]:
                writer.write(*row)


@pytest.mark.parametrize("gap_s, lost", [((20.0, 23.0), 0), ((26.0, 28.5), 1), ((33.0, 36.8), 0)])
@pytest.mark.slow
def test_after_a_gap_at_rest_or_in_an_exercise_the_analysis_goes_on_with_the_rest_it_knew(tmp_path, gap_s, lost):
    """A gap of more than 2 s in the samples while the same person sits on the same cushion:
    what rest looks like is kept (a fresh warm-up there would learn the exercise as rest and
    miss everything after), and every later event is found as in the recording without the
    gap, with the same figures. A lift under way at the gap (the second case) is left open;
    a push the samples come back in (the third) is let end unseen, its release no lift."""
    whole, gapped = tmp_path / "whole.csv", tmp_path / "gapped.csv"
    _gapped(whole, None)
    _gapped(gapped, gap_s)
    expected = [e for e in analyze_file(whole).events if e.retracted is None]
    assert [e.kind for e in expected] == [CONTRACTION, CONTRACTION, BEAR_DOWN, CONTRACTION]
    if gap_s[0] < 36.0 < gap_s[1]:
        del expected[2]                                  # the push began in the gap
    analysis = analyze_file(gapped)
    got = [e for e in analysis.events if e.retracted is None]
    assert [e.kind for e in got] == [e.kind for e in expected]
    for before, after in zip(expected, got):
        assert after.start == pytest.approx(before.start, abs=0.05)
        if after.kind == CONTRACTION and after.start > gap_s[1]:
            assert after.metrics["peak_drop_kpa"] == pytest.approx(before.metrics["peak_drop_kpa"], rel=0.05)
    assert [e.end is None for e in got] == [False, bool(lost)] + [False] * (len(got) - 2)
    assert (analysis.summary["pauses"], analysis.summary["gap_restarts"]) == (0, 1)
    assert analysis.summary["samples"] == sum(1 for line in gapped.open() if line[0].isdigit())


def test_a_gap_in_a_long_hold_takes_the_rest_before_it_back_once_the_hold_is_let_go(tmp_path):
    """Samples back in the middle of a 20 s hold: after 5 s off rest a fresh warm-up starts
    (the user might sit on another level), but the pressure coming back to the rest it knew
    (the hold let go) takes that rest back -- the hold is not learnt as rest, and the lifts
    after are found as without the gap."""
    body = Body(BodyParams(max_drop_kpa=1.0), seed=32)
    body.lift(12.0, level=0.6, hold_s=20.0)
    for start_s in (45.0, 58.0):
        body.lift(start_s, level=0.8, hold_s=4.0)
    rows = list(synthesize(body, 66.0, 200, seed=5))
    whole, gapped = tmp_path / "whole.csv", tmp_path / "gapped.csv"
    for path, keep in ((whole, lambda t: True), (gapped, lambda t: not 18.0 <= t < 21.0)):
        with open(path, "w") as f:
            writer = RecordingWriter(f, {"source": "test"})
            for row in rows:
                if keep(row[0]):
                    writer.write(*row)
    later = [[(round(e.start), round(e.metrics["peak_drop_kpa"], 2)) for e in analyze_file(path).events
              if e.kind == CONTRACTION and e.start > 40.0] for path in (whole, gapped)]
    assert later[0] == later[1] and len(later[0]) == 2
    assert analyze_file(gapped).summary["samples"] == sum(1 for row in rows if not 18.0 <= row[0] < 21.0)


@pytest.mark.parametrize("paused_s", [21.2, 24.0])
def test_getting_up_before_a_stood_up_pause_is_no_buttock_squeeze(tmp_path, paused_s):
    """The device pauses the moment it sees the user standing up, so the recording's samples
    end while the sitting bones are still unloading -- which alone looks like a buttock
    squeeze. The pause's reason says what it was: retracted as `stand_up`, as live; and
    where the analysis saw the standing itself first (a later pause line), once only."""
    body = Body(BodyParams(max_drop_kpa=1.0), seed=41)
    body.lift(12.0, level=0.8, hold_s=4.0)
    body.stand(20.0)
    path = tmp_path / "stood.csv"
    with open(path, "w") as f:
        writer = RecordingWriter(f, {"source": "test"})
        for row in synthesize(body, paused_s, 200, seed=4):
            writer.write(*row)
        f.write(f"# paused={paused_s:.4f} stood_up\n")
    analysis = analyze_file(path)
    glutes = [e for e in analysis.events if e.kind == GLUTE]
    assert glutes and all(e.retracted == "stand_up" for e in glutes)
    assert [e.start for e in analysis.events if e.kind == "stand_up"] == [pytest.approx(min(paused_s, 21.7), abs=0.1)]
    assert analysis.summary["glutes"] == 0 and analysis.summary["stand_ups"] == 1


def _live_events(monkeypatch) -> list:
    """Filled, as each session on the device ends, with the events its own analysis raised."""
    live = []
    finish = GuidedSession.finish

    def finishing(session, *args, **kwargs):
        live.append(list(session.analyzer.events))
        return finish(session, *args, **kwargs)
    monkeypatch.setattr(GuidedSession, "finish", finishing)
    return live


@pytest.mark.parametrize("persona, seed", [("breath_holder", 1), ("glute_squeezer", 2)])
@pytest.mark.slow
def test_analyze_replays_the_events_the_device_raised(tmp_path, monkeypatch, persona, seed):
    """The device analyses each sample as its recording keeps it: the analysis turns on
    a sample's ties (is a hold 6 s yet?), which times rounded to the 0.1 ms a row keeps
    broke the other way now and then -- before, over a third of a session's events a
    sample early or late, and a `basis` session's held breath its 21 warnings counted
    missing from `analyze`'s 20. Kind, times, metrics, retractions: the same."""
    live = _live_events(monkeypatch)
    bench = open_bench(Config(), PERSONAS[persona].body, cpu_meter=ScriptedCpu(TYPICAL_CPU_S))
    bench.add_person(PERSONAS[persona], seed=seed)
    out = tmp_path / "session"
    run_session(bench.platform, Config(), PROGRAMMES["kracht"], out, max_drop_kpa=1.2,
                metadata={"persona": persona})
    [events] = live
    assert events and analyze_file(out / "recording.csv.gz", max_drop_kpa=1.2).events == events
    with gzip.open(out / "recording.csv.gz", "rt") as recording:
        header = [line for line, _ in zip(recording, range(12)) if line.startswith("#")]
    assert "# rate_hz=250\n" in header and "# analysed_every=2\n" in header     # in pairs, both


@pytest.mark.slow
def test_a_stood_up_pause_is_analysed_live_as_analyze_reads_its_mark(tmp_path, monkeypatch):
    """The device pauses on its own look at the seat, before the analysis' seat tracker
    confirms the standing: it tells its analysis (`Analyzer.stood_up`) as `analyze` reads
    the pause's mark -- before, the replay had a `stand_up` the device never raised."""
    from test_appliance import CFG, bench, stored_recording
    live = _live_events(monkeypatch)
    app, rig, store, user = bench(tmp_path, stand_up_s=45.0)
    assert app.run() == 1
    [events] = live
    path = tmp_path / "replayed.csv"
    path.write_text(stored_recording(tmp_path / "state"))
    assert STAND_UP in [e.kind for e in events]
    assert analyze_file(path, max_drop_kpa=CFG.session.max_drop_kpa).events == events


@pytest.mark.slow
def test_the_maximum_a_session_measured_is_in_its_recording_and_analyze_reads_it(tmp_path, monkeypatch, capsys):
    """A new user's trial: `analyze` of a session gave no % of the maximum -- the day's maximum was
    only in the summary beside the recording. The recording says from which sample on the session
    knew it (`# max_drop_kpa=`): its calibration's lifts have none, every lift after it its %, as
    the device had them; `--max-kpa` still decides when given."""
    live = _live_events(monkeypatch)
    bench = open_bench(Config(), PERSONAS["strong"].body, cpu_meter=ScriptedCpu(TYPICAL_CPU_S))
    bench.add_person(PERSONAS["strong"], seed=1)
    out = tmp_path / "session"
    run_session(bench.platform, Config(), PROGRAMMES["kracht"], out, metadata={"persona": "strong"})
    [events] = live
    with gzip.open(out / "recording.csv.gz", "rt") as f:
        marks = [line for line in f if line.startswith("# max_drop_kpa=")]
    assert len(marks) == 1
    replayed = analyze_file(out / "recording.csv.gz").events
    assert replayed == events
    lifts = [e for e in events if e.kind == CONTRACTION and e.retracted is None]
    pct = [e.metrics.get("peak_pct_max") for e in lifts]
    assert pct[0] is None and 80 <= pct[-1] <= 120                 # the calibration's, then kracht's
    assert main(["analyze", str(out / "recording.csv.gz"), "--json"]) == 0
    told = [e for e in json.loads(capsys.readouterr().out)["events"] if e["kind"] == CONTRACTION]
    assert told[-1]["peak_pct_max"] == pytest.approx(pct[-1], abs=0.1)
    assert main(["analyze", str(out / "recording.csv.gz"), "--json", "--max-kpa", "5"]) == 0
    told = [e for e in json.loads(capsys.readouterr().out)["events"] if e["kind"] == CONTRACTION]
    assert told[-1]["peak_pct_max"] < 0.5 * pct[-1]                # the physiotherapist's, when given


@pytest.mark.slow
def test_analyze_takes_back_the_rise_the_device_took_for_letting_go(tmp_path, monkeypatch):
    """A trial's leftover: in `ontspannen`'s first paced breaths the coach takes a slow rise for
    the floor letting go (the step says so; the analysis knows no steps) and retracts it then --
    but `analyze` listed it as a bear-down. The recording says so (`# let_go=`, when it was
    detected), and `analyze` retracts it as the device did: the events are the device's."""
    from pathlib import Path

    from hw_sim.playback import RecordingPlayback
    from session.events import LET_GO
    data = Path(__file__).parent / "data" / "over-tense-lets-go-after-warm-up.csv.gz"
    live = _live_events(monkeypatch)
    bench = open_bench(Config(), PERSONAS["over_tense"].body, cpu_meter=ScriptedCpu(TYPICAL_CPU_S))
    bench.rig.inputs.body = RecordingPlayback(data)
    out = tmp_path / "session"
    run_session(bench.platform, Config(), load_programmes(BUILTIN_DIR)["ontspannen"], out)
    [events] = live
    pushes = [e for e in events if e.kind == BEAR_DOWN]
    assert len(pushes) == 1 and pushes[0].retracted == LET_GO
    with gzip.open(out / "recording.csv.gz", "rt") as f:
        assert f"# let_go={pushes[0].detected_at:.4f}\n" in f.read()
    analysis = analyze_file(out / "recording.csv.gz")
    assert analysis.events == events and analysis.summary["bear_downs"] == 0


def test_a_let_go_line_is_read_strictly(tmp_path):
    """`# let_go=` names a time, not after the sample above it, and comes at a sample (not in a pause
    nor after the end)."""
    from session.recording import RecordingError
    path = tmp_path / "r.csv"
    rows = "".join(f"{i * 0.004:.4f},2.50000,30.000,30.000\n" for i in range(10))
    for line, message in (("# let_go=soon", "expected '# let_go=<seconds>'"),
                          ("# let_go=-1", "expected '# let_go=<seconds>'"),
                          ("# let_go=0.5", "'# let_go=0.5' is after the sample above it (t=0.036)"),
                          ("# paused=0.04 button\n# let_go=0.02", "'# let_go=' while paused"),
                          ("# aborted=power\n# let_go=0.02", "'# let_go=' after '# aborted='")):
        path.write_text("# pftrainer-recording v1\nt,perineal_kpa,seat_left_kg,seat_right_kg\n" + rows + line + "\n")
        with pytest.raises(RecordingError, match=f"r.csv, line 1[34]: {re.escape(message)}"):
            analyze_file(path)
