"""`pftrainer export --edf`: every kept session as EDF+ and CSV. Read back with edfio and with
an independent reader written from the EDF+ specification (`edf_reader`), the signals are
the recording's to the file's resolution and the annotations are the stored events, pauses,
gaps and scores; bad input is one line each, the rest still exported, the state dir untouched."""

import contextlib
import errno
import gzip
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from edfio import EdfAnnotation, read_edf

import edf_reader
from device.cli import main
from device.export_edf import DIGITAL_RANGE
from device.reserve import RESERVE_BYTES
from device.storage import Store
from session.coach import RelaxationScore, RepScore
from session.recording_arrays import load_arrays
from session import regrid
from test_storage import write_recording

RATE_HZ = 250
KPA_LIMITS = (-1.2518939393939394, 11.251893939393939)      # the default calibration's (README)


class Summary:
    """A stored session's summary, as the store takes it."""

    def __init__(self, reps, **figures):
        self.figures = {"duration_s": 10.0, "reps": reps, **figures}
        self.duration_s = 10.0

    def as_dict(self):
        return self.figures


def row(t_s, kpa, left=None, right=None, with_seat=True):
    if not with_seat:
        return f"{t_s:.4f},{kpa:.5f}"
    return f"{t_s:.4f},{kpa:.5f},{'' if left is None else f'{left:.3f}'},{'' if right is None else f'{right:.3f}'}"


def recording_text(lines, with_seat=True, rate_hz=RATE_HZ):
    head = ["# pftrainer-recording v1", "# program=basis", f"# rate_hz={rate_hz}",
            "t,perineal_kpa,seat_left_kg,seat_right_kg" if with_seat else "t,perineal_kpa"]
    return "\n".join(head + lines) + "\n"


def keep_sessions(state, tmp_path, sessions):
    """Store `sessions` ((recording text, events, summary, started_at), ...) as the device does."""
    store = Store(state)
    for i, (text, events, summary, started_at) in enumerate(sessions):
        path = tmp_path / f"r{i}.csv.gz"
        write_recording(path, text)
        store.finish_session(store.start_session(started_at, "basis", None), summary, events, path)
    store.close()


def on_grid_session():
    """Samples exactly on the 250 Hz grid: 0-4 s, paused (stood up) until 6 s, 6-8 s, a gap
    until 8.5 s, 8.5-10 s, then stopped; the sensor range's ends at 0.04 and 0.044 s; no left
    seat value in every 7th row. Returns the text and {grid index: (kpa, left, right)}."""
    samples, lines = {}, []
    rng = np.random.default_rng(15)
    for k in [*range(0, 1001), *range(1500, 2001), *range(2125, 2501)]:
        if k == 1500:
            lines += ["# paused=4.0020 stood_up", "# resumed=5.9960"]
        kpa = {10: -1.25189, 11: 11.25189}.get(k, round(float(rng.uniform(-1.25, 11.25)), 5))
        left = None if k % 7 == 3 else {12: -6.262, 13: 76.262}.get(k, round(float(rng.uniform(0, 76)), 3))
        right = round(float(rng.uniform(0, 76)), 3)
        samples[k] = (kpa, left, right)
        lines.append(row(k / RATE_HZ, kpa, left, right))
    lines.append("# aborted=stopped by SIGTERM")
    return recording_text(lines), samples


EVENTS = [
    {"kind": "contraction", "start": 1.5, "end": 3.25, "detected_at": 1.75, "peak_drop_kpa": 1.2, "hold_s": 1.0,
     "relaxed_pct": None},
    {"kind": "contraction", "start": 6.45, "end": 7.1, "detected_at": 6.6, "peak_drop_kpa": 0.5,
     "retracted": "glute", "retracted_at": 6.9},
    {"kind": "glute", "start": 6.5, "end": 7.0, "detected_at": 6.7, "unloaded_kg": 3.5, "lateral_kg": 0.4},
    {"kind": "bear_down", "start": 9.5, "end": None, "detected_at": 9.7},
]
REPS = [{"series": 1, "rep": 1, "contraction": {"score": 80.0}, "relaxation": {"score": 70.5}},
        {"series": 1, "rep": 2, "contraction": None, "relaxation": {"score": 70.5}}]
SUMMARY = Summary(REPS, contraction_score=80.0, relaxation_score=70.5, perfect={"power": 1.2, "endurance_s": 1.0},
                  cues=[[0.5, "inhale"], [1.4, "exhale_lift"], [9.72, "warn_bear_down"]],
                  errors={"bear_down": 1, "breath_hold": 0, "not_let_go": 0, "glute": 1, "no_lift": 0})
EXPECTED_ANNOTATIONS = [
    EdfAnnotation(0.5, None, "cue inhale"),
    EdfAnnotation(1.4, None, "cue exhale_lift"),
    EdfAnnotation(9.72, None, "cue warn_bear_down"),
    EdfAnnotation(1.5, 1.75, "contraction peak_drop_kpa=1.2 hold_s=1.0"),
    EdfAnnotation(1.75, None, "contraction detected"),
    EdfAnnotation(4.002, 1.994, "pause stood_up"),
    EdfAnnotation(6.45, 0.65, "contraction peak_drop_kpa=0.5 retracted=glute retracted_at=6.9"),
    EdfAnnotation(6.5, 0.5, "glute unloaded_kg=3.5 lateral_kg=0.4"),
    EdfAnnotation(6.6, None, "contraction detected"),
    EdfAnnotation(6.7, None, "glute detected"),
    EdfAnnotation(8.0, 0.5, "no samples"),
    EdfAnnotation(9.5, None, "bear_down"),
    EdfAnnotation(9.7, None, "bear_down detected"),
    EdfAnnotation(10.0, None, "aborted: stopped by SIGTERM"),
    EdfAnnotation(10.0, None, "summary reps=2 contraction_score=80.0 relaxation_score=70.5 power_kpa=1.2 "
                              "endurance_s=1.0 errors_bear_down=1 errors_breath_hold=0 errors_not_let_go=0 "
                              "errors_glute=1 errors_no_lift=0"),
    EdfAnnotation(10.0, None, "rep 1.1 contraction_score=80.0 relaxation_score=70.5"),
    EdfAnnotation(10.0, None, "rep 1.2 relaxation_score=70.5"),
]


def resolution(signal) -> float:
    low, high = signal.physical_range
    return (high - low) / (signal.digital_range.max - signal.digital_range.min)


@pytest.fixture
def exported(tmp_path, capsys):
    state, out = tmp_path / "state", tmp_path / "out"
    text, samples = on_grid_session()
    keep_sessions(state, tmp_path, [(text, EVENTS, SUMMARY, "2026-11-30T10:00:00")])
    assert main(["export", "--edf", str(out), "--state-dir", str(state)]) == 0
    assert capsys.readouterr().out == f"1 sessie geëxporteerd naar {out} (EDF+ en CSV)\n"
    return state, out, text, samples


def test_signals_round_trip_within_the_resolution_and_pauses_gaps_and_the_end_hold_the_sample_before(exported):
    """A physiotherapist's trial: every grid time without a sample was the digital minimum,
    which EDFbrowser and MNE draw -- a stand-up pause showed as a lift of several kPa, the
    seat at -6 kg. Now the sample before it is held: a flat line, never below a sample."""
    state, out, text, samples = exported
    assert sorted(p.name for p in out.iterdir()) == ["session-00001.csv", "session-00001.edf"]
    assert (out / "session-00001.csv").read_text() == text
    assert (out / "session-00001.csv").read_bytes() == gzip.decompress(
        (state / "recordings" / "session-00001.csv.gz").read_bytes())
    edf = read_edf(out / "session-00001.edf")
    assert edf.labels == ("Perineal", "Seat left", "Seat right")
    assert [s.physical_dimension for s in edf.signals] == ["kPa", "kg", "kg"]
    assert {s.sampling_frequency for s in edf.signals} == {RATE_HZ}
    assert edf.num_data_records == 2 and edf.data_record_duration == 10     # 10.0 s: a second record begun
    perineal = edf.signals[0]
    low, high = perineal.physical_range
    assert low <= KPA_LIMITS[0] and high >= KPA_LIMITS[1]
    assert (low, high) == (-1.2519, 11.2519)                      # the limits, rounded outward to 8 characters
    assert resolution(perineal) < 0.0002                          # kPa: 16 bits over -1.25..11.25 kPa
    assert resolution(edf.signals[1]) < 0.0013                    # kg: over -6.26..76.26 kg
    taken = np.array(sorted(samples))
    for column, signal in enumerate(edf.signals):
        values = signal.data
        digital = signal.digital.astype(np.int64)
        expected = np.array([np.nan if samples[k][column] is None else samples[k][column] for k in taken])
        missing = np.isnan(expected)                # an empty seat cell: the line between its neighbours
        expected[missing] = [(samples[k - 1][column] + samples[k + 1][column]) / 2 for k in taken[missing]]
        error = np.abs(values[taken] - expected)
        assert error.max() <= resolution(signal) / 2 * (1 + 1e-9), signal.label
        none = np.setdiff1d(np.arange(len(digital)), taken)          # the pause, the gap, after the end
        assert len(none) == 499 + 124 + 2499
        for last, held in ((1000, range(1001, 1500)), (2000, range(2001, 2125)), (2500, range(2501, 5000))):
            assert (digital[list(held)] == digital[last]).all(), (signal.label, last)
        assert digital.min() == digital[taken].min() and digital.max() == digital[taken].max()
    assert perineal.digital[1001:1500].min() > perineal.digital.min()      # no lift where she stood (trial)
    assert perineal.digital[taken].min() == DIGITAL_RANGE[0]              # the range's bottom: -1.25189
    assert perineal.digital[taken].max() == DIGITAL_RANGE[1]              # the range's top: 11.25189


def test_annotations_and_header_round_trip(exported):
    _, out, _, _ = exported
    edf = read_edf(out / "session-00001.edf")
    assert list(edf.annotations) == sorted(EXPECTED_ANNOTATIONS)
    assert str(edf.startdatetime) == "2026-11-30 10:00:00"
    assert edf.local_patient_identification == "profile-1 X X X"     # whose, with no personal data (trial70)
    assert edf.local_recording_identification == "Startdate 30-NOV-2026 X X pftrainer session-00001 basis"


def test_the_header_names_whose_session_it_is_by_the_devices_person_number(tmp_path, capsys):
    """Trial70: two patients' files on one device were told apart by nothing in the header."""
    import sqlite3
    state, out = tmp_path / "state", tmp_path / "out"
    keep_sessions(state, tmp_path, [(on_grid_session()[0], EVENTS, SUMMARY, "2026-11-30T10:00:00")])
    with sqlite3.connect(state / "pftrainer.db") as db:
        db.execute("UPDATE session SET profile = 2")
    db.close()
    assert main(["export", "--edf", str(out), "--state-dir", str(state)]) == 0
    assert read_edf(out / "session-00001.edf").local_patient_identification == "profile-2 X X X"


def test_a_session_of_another_person_asked_for_with_a_persons_says_whose_it_is(tmp_path, capsys):
    """A fault campaign: `--profile 1 --session 2`, session 2 being person 2's, said *no session 2 ...
    (it keeps sessions 1-3)*."""
    import sqlite3
    state, out = tmp_path / "state", tmp_path / "out"
    keep_sessions(state, tmp_path, [(on_grid_session()[0], EVENTS, SUMMARY, "2026-11-30T10:00:00")] * 3)
    with sqlite3.connect(state / "pftrainer.db") as db:
        db.execute("UPDATE session SET profile = 2 WHERE id = 2")
    db.close()
    assert main(["export", "--edf", str(out), "--state-dir", str(state), "--profile", "1", "--session", "2", "9"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "pftrainer: session 2 is person 2's, not person 1's",
        f"pftrainer: no session 9 of person 1 in {state} (theirs: sessions 1, 3)"]
    # a person with none at all: the same (a review: *no sessions in DIR: nothing to export*)
    three = tmp_path / "three.toml"
    three.write_text("[session]\nprofiles = 3\n")
    assert main(["--config", str(three), "export", "--edf", str(out), "--state-dir", str(state), "--profile", "3",
                 "--session", "2", "9"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "pftrainer: session 2 is person 2's, not person 3's", f"pftrainer: no session 9 of person 3 in {state} (theirs: none)"]


@pytest.mark.parametrize("in_recording", [True, False])
def test_a_start_gone_bad_in_the_database_is_taken_from_the_recordings_header(tmp_path, capsys, in_recording):
    """A fault campaign: one damaged `started_at` cell and that session could not be exported. The
    recording's header keeps the start as well (the device writes it there first): from there; where
    it has none either, one line."""
    import sqlite3
    state, out = tmp_path / "state", tmp_path / "out"
    text = on_grid_session()[0]
    if in_recording:
        text = text.replace("# rate_hz=", "# started_at=2026-11-30T10:00:00\n# rate_hz=", 1)
    keep_sessions(state, tmp_path, [(text, EVENTS, SUMMARY, "2026-11-30T10:00:00")])
    with sqlite3.connect(state / "pftrainer.db") as db:
        db.execute("UPDATE session SET started_at = '2O26-11-30T1O:00'")
    db.close()
    assert main(["export", "--edf", str(out), "--state-dir", str(state)]) == (0 if in_recording else 2)
    if in_recording:
        edf = read_edf(out / "session-00001.edf")
        assert (edf.startdate.isoformat(), edf.starttime.isoformat()) == ("2026-11-30", "10:00:00")
    else:
        assert capsys.readouterr().err == ("pftrainer: session 1: its start '2O26-11-30T1O:00' is not a date and "
                                           "time, nor its recording's\n")


@pytest.mark.parametrize("judged, said", [(1, " errors_breath_hold=0 errors_not_let_go=0 errors_glute=1 errors_no_lift=0 "
                                                 "holds_breath_judged=1"),
                                          (0, " errors_bear_down=1 errors_not_let_go=0 errors_glute=1 errors_no_lift=0 "
                                              "holds_breath_judged=0"),                      # none judged: no count
                                          (18, " errors_breath_hold=0 errors_not_let_go=0 errors_glute=1 errors_no_lift=0")])
def test_the_summarys_held_breaths_say_how_many_holds_were_judged_where_fewer_than_made(judged, said):
    """The third trial: 0 held breaths in the one hold of 18 long enough to judge read as "breathed
    on"; the summary's annotation says the holds judged where fewer were than made."""
    from device.export_edf import _summary_words
    words = _summary_words({**SUMMARY.as_dict(), "holds": 18, "holds_breath_judged": judged})
    assert words.endswith(said)


def test_an_independent_reader_finds_an_edf_plus_file_that_edfbrowser_takes(exported):
    """Header, signals and annotations as the EDF+ specification lays them out, read without edfio."""
    _, out, _, _ = exported
    path = out / "session-00001.edf"
    mine, theirs = edf_reader.read(path.read_bytes()), read_edf(path)
    assert mine.header["reserved"] == "EDF+C" and mine.header["record_s"] == "10"
    assert mine.start.isoformat() == "2026-11-30T10:00:00"
    assert [s["label"] for s in mine.signals] == ["Perineal", "Seat left", "Seat right", "EDF Annotations"]
    assert [(s["physical_min"], s["physical_max"]) for s in mine.signals[:3]] == [
        (-1.2519, 11.2519), (-6.2625, 76.2625), (-6.2625, 76.2625)]
    transducer = mine.signals[0]["transducer"]                     # which way a lift goes, in the file itself
    assert transducer == "perineal air cushion, gauge pressure 0-10 kPa; falls as the pelvic floor lifts"
    assert theirs.signals[0].transducer_type == transducer
    for signal in theirs.signals:
        assert np.array_equal(mine.digital[signal.label], signal.digital)
        assert np.allclose(mine.physical(signal.label), signal.data, rtol=0, atol=1e-9)
    assert sorted(mine.annotations, key=lambda a: (a[0], -1 if a[1] is None else a[1], a[2])) == \
        [tuple(a) for a in sorted(EXPECTED_ANNOTATIONS)]


def test_uneven_samples_are_put_on_the_grid_by_the_line_between_them(tmp_path, capsys):
    """A ramp sampled at jittered times with dropped samples, and no seat columns: every grid
    time takes the ramp's value there (a straight line is what linear interpolation keeps)."""
    rng = np.random.default_rng(7)
    t_s = np.cumsum(rng.uniform(0.002, 0.0075, 4000))              # 250 Hz +- jitter, some dropped
    t_s = np.round(t_s[t_s < 20.0], 4)
    slope = 12.4 / 20.0

    def ramp(t):
        return -1.2 + slope * t
    lines = [row(t, ramp(t), with_seat=False) for t in t_s]
    keep_sessions(tmp_path / "state", tmp_path, [(recording_text(lines, with_seat=False, rate_hz=200), [],
                                                 Summary([]), "2026-11-30T11:00:00")])
    assert main(["export", "--edf", str(tmp_path / "out"), "--state-dir", str(tmp_path / "state")]) == 0
    edf = read_edf(tmp_path / "out" / "session-00001.edf")
    assert edf.labels == ("Perineal",) and edf.signals[0].sampling_frequency == 200
    signal = edf.signals[0]
    grid_s = np.arange(len(signal.data)) / 200
    inside = (grid_s >= t_s[0]) & (grid_s <= t_s[-1])
    error = np.abs(signal.data[inside] - ramp(grid_s[inside]))
    assert error.max() <= resolution(signal) / 2 + 0.5e-5        # + the CSV's own rounding to 0.01 Pa
    after = grid_s > t_s[-1] + 0.5 / 200                          # the padding to the end of the record
    assert after.sum() > 100 and (signal.digital[after] == signal.digital[after][0]).all()    # flat: held
    assert abs(signal.data[after][0] - ramp(t_s[-1])) <= resolution(signal) / 2 + 0.5e-5
    first = grid_s < t_s[0] - 0.5 / 200                           # before the first sample: the first's value
    assert first.any() and np.abs(signal.data[first] - ramp(t_s[0])).max() <= resolution(signal) / 2 + 0.5e-5
    assert [a.text for a in edf.annotations] == ["summary reps=0"]


def test_a_seat_column_without_one_value_is_left_out(tmp_path, capsys):
    """No sample to hold, and no value EDF could mark as none: the signal is not written."""
    lines = [row(k / RATE_HZ, 1.0 + k / 1000, None, 20.0 + k / 100) for k in range(500)]
    keep_sessions(tmp_path / "state", tmp_path, [(recording_text(lines), [], Summary([]), "2026-11-30T11:00:00")])
    assert main(["export", "--edf", str(tmp_path / "out"), "--state-dir", str(tmp_path / "state")]) == 0
    edf = read_edf(tmp_path / "out" / "session-00001.edf")
    assert edf.labels == ("Perineal", "Seat right")
    assert abs(edf.signals[1].data[:499] - (20.0 + np.arange(499) / 100)).max() < resolution(edf.signals[1])
    assert (edf.signals[1].data[500:] == edf.signals[1].data[499]).all()


@pytest.mark.slow
def test_a_simulated_session_with_a_pause_exports_what_the_device_kept(tmp_path, capsys):
    state, out = tmp_path / "state", tmp_path / "out"
    assert main(["run", "--sim", "--program", "kracht", "--sessions", "1", "--stand-up", "30",
                 "--state-dir", str(state)]) == 0
    assert main(["export", "--edf", str(out), "--state-dir", str(state), "--session", "1"]) == 0
    csv = (out / "session-00001.csv").read_text().splitlines()
    edf = read_edf(out / "session-00001.edf")
    assert np.array_equal(edf_reader.read((out / "session-00001.edf").read_bytes()).digital["Perineal"],
                          edf.signals[0].digital)
    rows = np.array([[float(x) for x in line.split(",")] for line in csv if line[:1].isdigit()])
    t_s, kpa = rows[:, 0], rows[:, 1]
    signal = edf.signals[0]
    grid_s = np.arange(len(signal.data)) / RATE_HZ
    after = np.clip(np.searchsorted(t_s, grid_s), 0, len(t_s) - 1)        # each grid time's neighbours
    before = np.clip(after - 1, 0, len(t_s) - 1)
    low, high = np.minimum(kpa[before], kpa[after]), np.maximum(kpa[before], kpa[after])
    half = resolution(signal) / 2 * (1 + 1e-9)
    assert ((signal.data >= low - half) & (signal.data <= high + half)).all()    # the pause's too: flat
    pause = [a for a in edf.annotations if a.text.startswith("pause")]
    assert len(pause) == 1 and pause[0].text == "pause stood_up" and pause[0].duration > 10
    inside = (grid_s > pause[0].onset + 0.01) & (grid_s < pause[0].onset + pause[0].duration - 0.01)
    last_before = np.flatnonzero(t_s <= pause[0].onset)[-1]
    assert inside.sum() > 10 * RATE_HZ and np.abs(signal.data[inside] - kpa[last_before]).max() <= half
    for column, seat in enumerate(edf.signals, start=1):         # no value below (or above) every sample
        measured = rows[:, column]
        assert seat.data.min() >= measured.min() - resolution(seat) / 2 * (1 + 1e-9), seat.label
        assert seat.data.max() <= measured.max() + resolution(seat) / 2 * (1 + 1e-9), seat.label
    with Store(state, read_only=True) as store:
        events = store.events(1)
    assert {a.text for a in edf.annotations if a.text.endswith(" detected")} == \
        {f"{e['kind']} detected" for e in events}
    reps = [a for a in edf.annotations if a.text.startswith("rep ")]
    assert reps and all(a.onset == t_s[-1] for a in reps)
    with Store(state, read_only=True) as store:
        given = [(t, cue) for t, cue in store.last_summary("kracht")["cues"]]
    cued = [(a.onset, a.text[4:]) for a in edf.annotations if a.text.startswith("cue ")]
    assert len(given) > 20 and "exhale_lift" in {cue for _, cue in given}
    assert sorted(cued) == sorted(given)                 # every cue, at its time
    nearest = np.searchsorted(t_s, [t for t, _ in given])   # each cue came at a sample: its time, not rounded
    assert all(min(abs(t_s[max(i - 1, 0):i + 1] - t)) <= 0.6e-4 for i, (t, _) in zip(nearest, given))


def test_the_grid_is_worked_out_in_chunks_without_a_seam(monkeypatch):
    rng = np.random.default_rng(3)
    t_s = np.cumsum(rng.uniform(0.001, 0.03, 3000))
    values, stretch = rng.uniform(0, 10, len(t_s)), np.repeat([0, 1, 2], 1000)
    values[::11] = np.nan
    whole = regrid.regrid(t_s, values, stretch, RATE_HZ, 12000)
    monkeypatch.setattr(regrid, "CHUNK_POINTS", 7)
    assert np.array_equal(regrid.regrid(t_s, values, stretch, RATE_HZ, 12000), whole)
    assert not np.isnan(whole).any()


def test_grid_times_without_a_sample_hold_the_nearest_samples_value():
    """In a pause and in a gap the last sample before it, before the first sample the first,
    after the last the last: no grid time gets a value the samples do not hold."""
    t_s = np.array([0.5, 0.504, 0.508, 2.0, 2.004, 3.0, 3.004, np.nan])[:-1]
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    stretch = np.array([0, 0, 0, 1, 1, 1, 1])                  # paused from 0.508 to 2.0, a gap 2.004-3.0
    grid = regrid.regrid(t_s, values, stretch, RATE_HZ, 1000)
    k = {t: round(t * RATE_HZ) for t in (0.5, 0.508, 2.0, 2.004, 3.0, 3.004)}
    assert (grid[:k[0.5]] == 1.0).all()                                # before the first
    assert (grid[k[0.508]:k[2.0]] == 3.0).all()                        # the pause
    assert grid[k[2.0]] == 4.0 and (grid[k[2.004]:k[3.0]] == 5.0).all()   # the gap
    assert (grid[k[3.004]:] == 7.0).all()                              # after the last
    assert grid.min() == 1.0 and grid.max() == 7.0
    seat = np.array([np.nan, 8.0, np.nan, 9.0, np.nan, np.nan, np.nan])
    assert (regrid.regrid(t_s, seat, stretch, RATE_HZ, 1000)[k[3.0]:] == 9.0).all()   # empty cells: left out
    assert np.isnan(regrid.regrid(t_s, np.full(7, np.nan), stretch, RATE_HZ, 10)).all()


def snapshot(state):
    return {str(p.relative_to(state)): p.is_file() and hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(state.rglob("*")) if not p.name.endswith("-shm")}


def test_bad_sessions_are_one_line_each_and_the_others_are_exported(tmp_path, capsys):
    state, out = tmp_path / "state", tmp_path / "out"
    text, _ = on_grid_session()
    hours = recording_text([row(3600.0 * h, 2.5, 30.0, 30.0) for h in range(6)])
    keep_sessions(state, tmp_path, [(text, EVENTS, SUMMARY, "2026-11-30T10:00:00")] * 3
                  + [(text, [], SUMMARY, "1970-01-01T00:00:05"), (text.replace("rate_hz=250", "rate_hz=2.5e2"),
                                                               [], SUMMARY, "2026-11-30T10:00:00"),
                     (hours, [], SUMMARY, "2026-11-30T10:00:00")])
    (state / "recordings" / "session-00002.csv.gz").unlink()
    damaged = state / "recordings" / "session-00003.csv.gz"
    damaged.write_bytes(damaged.read_bytes()[:len(damaged.read_bytes()) // 2])
    before = snapshot(state)
    assert main(["export", "--edf", str(out), "--state-dir", str(state), "--session", "1", "2", "3",
                 "--session", "4", "5", "6", "9"]) == 2
    captured = capsys.readouterr()
    problems = captured.err.splitlines()
    assert problems[0] == f"pftrainer: session 2: its recording {state}/recordings/session-00002.csv.gz is missing"
    assert problems[1].startswith(f"pftrainer: session 3: {damaged}, line ")
    assert "truncated" in problems[1]
    assert problems[2] == ("pftrainer: session 4: it started 1970-01-01T00:00:05, a date "
                           "EDF cannot hold (1985-2084): the device's clock was wrong")
    assert problems[3] == ("pftrainer: session 5: its recording's rate_hz=2.5e2 is not a whole number of "
                           "samples per second from 1 to 1000")
    assert problems[4] == "pftrainer: session 6: its recording spans 5.0 h, more than a session (4 h at most)"
    assert problems[5] == f"pftrainer: no session 9 in {state} (it keeps sessions 1-6)"
    assert len(problems) == 6
    assert captured.out == f"1 sessie geëxporteerd naar {out} (EDF+ en CSV): 1; 6 niet: 2-6, 9 (zie hierboven)\n"
    assert sorted(p.name for p in out.iterdir()) == ["session-00001.csv", "session-00001.edf"]
    assert snapshot(state) == before


def test_a_recording_that_cannot_be_read_is_that_sessions_line_not_the_target_folders(tmp_path, capsys, monkeypatch):
    """The bad-input campaign: with the state directory's recordings unreadable, export said
    "cannot write to OUT (Permission denied)" and stopped, blaming the folder it writes to."""
    state, out = tmp_path / "state", tmp_path / "out"
    text, _ = on_grid_session()
    keep_sessions(state, tmp_path, [(text, EVENTS, SUMMARY, "2026-11-30T10:00:00")] * 2)
    locked = state / "recordings" / "session-00001.csv.gz"
    is_file = Path.is_file

    def no_access(path):
        if path == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return is_file(path)
    monkeypatch.setattr(Path, "is_file", no_access)
    assert main(["export", "--edf", str(out), "--state-dir", str(state)]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"pftrainer: session 1: its recording {locked} cannot be read (Permission denied)"]
    assert sorted(p.name for p in out.iterdir()) == ["session-00002.csv", "session-00002.edf"]


@pytest.mark.parametrize("make, message", [
    (lambda state: None, "pftrainer: no history in {state}: no such folder (another folder: --state-dir DIR)"),
    (lambda state: state.write_text(""), "pftrainer: no history in {state}: a file, not a folder (another folder: "
                                         "--state-dir DIR)"),
    (lambda state: state.mkdir(), "pftrainer: no history in {state} (no pftrainer.db there)"),
    (lambda state: Store(state).close(), "pftrainer: no sessions in {state}: nothing to export"),
])
def test_no_history_is_one_line_exit_2(tmp_path, capsys, make, message):
    state = tmp_path / "state"
    make(state)
    assert main(["--lang", "en", "export", "--edf", str(tmp_path / "out"), "--state-dir", str(state)]) == 2
    assert capsys.readouterr().err == message.format(state=state) + "\n"
    assert not (tmp_path / "out").exists()


def test_export_never_writes_into_the_state_dir(tmp_path, capsys):
    state = tmp_path / "state"
    keep_sessions(state, tmp_path, [(on_grid_session()[0], [], SUMMARY, "2026-11-30T10:00:00")])
    before = snapshot(state)
    assert main(["export", "--edf", str(state / "recordings" / "edf"), "--state-dir", str(state)]) == 2
    assert capsys.readouterr().err == (f"pftrainer: {state}/recordings/edf is in the state directory {state}: "
                                       "export never writes there\n")
    assert snapshot(state) == before


@contextlib.contextmanager
def read_only(folder, where):
    """`folder` bind-mounted read-only at `where` (needs root and mount: skipped elsewhere)."""
    where.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(folder), str(where)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {mounted.stderr.strip()}")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(where)], capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only here")
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def test_a_state_dir_on_read_only_media_exports(tmp_path, capsys):
    """In this process (a new Python took a second of imports): only the media are read-only."""
    state = tmp_path / "state"
    keep_sessions(state, tmp_path, [(on_grid_session()[0], EVENTS, SUMMARY, "2026-11-30T10:00:00")])
    with read_only(state, tmp_path / "media") as media:
        code = main(["export", "--edf", str(tmp_path / "out"), "--state-dir", str(media)])
    assert (code, capsys.readouterr().err) == (0, "")
    assert list(read_edf(tmp_path / "out" / "session-00001.edf").annotations) == sorted(EXPECTED_ANNOTATIONS)


def test_a_folder_that_takes_nothing_is_one_line_and_the_export_stops(tmp_path, capsys):
    state, empty = tmp_path / "state", tmp_path / "empty"
    keep_sessions(state, tmp_path, [(on_grid_session()[0], [], SUMMARY, "2026-11-30T10:00:00")] * 2)
    empty.mkdir()
    with read_only(empty, tmp_path / "stick") as stick:
        code = main(["--lang", "en", "export", "--edf", str(stick), "--state-dir", str(state)])
        assert list(stick.iterdir()) == []
    assert code == 2
    assert capsys.readouterr().err == f"pftrainer: --edf {stick}: {stick} cannot be written to (read-only, or not yours)\n"


@contextlib.contextmanager
def small_folder(where, size):
    """A tmpfs of `size` (e.g. "1m") mounted at `where` (needs root and mount: skipped elsewhere)."""
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def long_session(seconds):
    """A plain recording of `seconds` at 250 Hz: some 32 bytes a sample as CSV."""
    return recording_text([row(k / RATE_HZ, 2.5, 30.0, 30.0) for k in range(int(seconds * RATE_HZ))])


def noisy_session(seconds):
    """A recording of `seconds` at 250 Hz whose pressure wavers, as the sensor's does: it
    compresses about as a session's recording does (to some 17 %)."""
    kpa = np.round(2.5 + 0.02 * np.random.default_rng(7).standard_normal(int(seconds * RATE_HZ)), 5)
    return recording_text([row(k / RATE_HZ, float(v), 30.0, 30.0) for k, v in enumerate(kpa)])


@pytest.mark.slow
def test_a_full_folder_takes_every_session_that_still_fits_and_one_line_names_the_others(tmp_path, capsys,
                                                                                           monkeypatch):
    """A trial's export onto a stick that filled up stopped at the first session that did
    not fit; the smaller ones after it fit and are exported, one line names those that did
    not and why, the summary says which went, exit 2; no part file, the history unchanged.
    A session whose CSV alone takes more than the space free is not even tried (on a slow
    stick, writing it to delete it again took minutes)."""
    import device.export as export
    state = tmp_path / "state"
    small = (on_grid_session()[0], EVENTS, SUMMARY, "2026-11-30T10:00:00")
    big = (long_session(300), [], SUMMARY, "2026-11-30T11:00:00")          # some 2.4 MB as CSV
    keep_sessions(state, tmp_path, [small, big, small, big, small])
    before = snapshot(state)
    loaded = []
    monkeypatch.setattr(export, "load_arrays", lambda source, *args, **kwargs: loaded.append(source.name)
                        or load_arrays(source, *args, **kwargs))
    with small_folder(tmp_path / "stick", "1m") as stick:
        code = main(["export", "--edf", str(stick / "edf"), "--state-dir", str(state)])
        kept = sorted(p.name for p in (stick / "edf").iterdir())
    assert code == 2
    out, err = capsys.readouterr()
    assert err == (f"pftrainer: sessions 2, 4 not exported: no room in {stick / 'edf'} "
                   "(less space free than the session's CSV alone takes)\n")
    assert out == f"3 sessies geëxporteerd naar {stick / 'edf'} (EDF+ en CSV): 1, 3, 5; 2 niet: 2, 4 (zie hierboven)\n"
    assert kept == [f"session-0000{n}.{kind}" for n in (1, 3, 5) for kind in ("csv", "edf")]
    assert loaded == [f"session-0000{n}.csv.gz" for n in (1, 3, 5)]
    assert snapshot(state) == before


def device_needs_bytes(state):
    """What the device keeps free for its next session: the database's reserve and a
    recording as large as the largest kept."""
    return RESERVE_BYTES + max(p.stat().st_size for p in (state / "recordings").glob("*.csv.gz"))


@pytest.mark.slow
def test_an_export_on_the_state_directorys_filesystem_leaves_the_device_room_for_its_next_session(tmp_path, capsys):
    """`pftrainer export --edf ~/edf` on the Pi wrote sessions until the SD card was full,
    and the device's next session could not store its recording. On the state directory's
    filesystem an export leaves free what the device needs: the sessions that would take
    it are named, and the next session is stored whole."""
    with small_folder(tmp_path / "card", "2m") as card:
        state, out = card / "state", card / "edf"
        keep_sessions(state, tmp_path, [(noisy_session(seconds), [], SUMMARY, f"2026-11-30T1{n}:00:00")
                                        for n, seconds in enumerate((60, 30, 30, 30))])
        floor_bytes = device_needs_bytes(state)
        assert main(["export", "--edf", str(out), "--state-dir", str(state)]) == 2
        captured = capsys.readouterr()
        assert captured.err == (f"pftrainer: session 4 not exported: no room in {out} (it is on the state "
                                f"directory's filesystem, where {floor_bytes / 1e6:.1f} MB stays free for the "
                                "device's database and next recording)\n")
        assert captured.out == f"3 sessies geëxporteerd naar {out} (EDF+ en CSV): 1-3; 1 niet: 4 (zie hierboven)\n"
        room = os.statvfs(card)
        assert room.f_bavail * room.f_frsize >= floor_bytes
        store = Store(state)                                       # the device's next session, as large
        session = store.start_session("2026-12-01T10:00:00", "basis", None)
        session.folder.mkdir(parents=True)
        write_recording(session.folder / "recording.csv.gz", noisy_session(60))
        store.finish_session(session, SUMMARY, [], session.folder / "recording.csv.gz")
        store.close()
        assert gzip.decompress((state / "recordings" / "session-00005.csv.gz").read_bytes()) == \
            noisy_session(60).encode()


def test_an_export_leaves_free_what_the_device_needs_on_its_filesystem(tmp_path, capsys, monkeypatch):
    """The same where no small filesystem can be mounted (the state directory and the
    export's folder on one filesystem, its free space counted down by what the export
    writes): a session whose CSV would take the device's room is not tried; one whose
    files, written, took it (its EDF, unknown beforehand) is removed again; both named."""
    import device.export as export
    state, out = tmp_path / "state", tmp_path / "out"
    small, big = on_grid_session()[0], long_session(60)
    keep_sessions(state, tmp_path, [(text, EVENTS, SUMMARY, "2026-11-30T10:00:00") for text in (small, big, small, small)])
    floor_bytes = device_needs_bytes(state)
    assert main(["export", "--edf", str(tmp_path / "one"), "--state-dir", str(state), "--session", "1"]) == 0
    small_bytes = sum(p.stat().st_size for p in (tmp_path / "one").iterdir())       # its CSV and EDF
    free_bytes = floor_bytes + 2 * small_bytes + len(small)        # the last one's CSV fits above the floor, not its EDF
    capsys.readouterr()

    def statvfs(path):
        taken_bytes = sum(p.stat().st_size for p in out.iterdir())
        return os.statvfs_result((4096, 1, 0, 0, free_bytes - taken_bytes, 0, 0, 0, 0, 255))
    monkeypatch.setattr(export.os, "statvfs", statvfs)
    loaded = []
    monkeypatch.setattr(export, "load_arrays", lambda source, *args, **kwargs: loaded.append(source.name)
                        or load_arrays(source, *args, **kwargs))
    assert main(["export", "--edf", str(out), "--state-dir", str(state)]) == 2
    captured = capsys.readouterr()
    assert captured.err == (f"pftrainer: sessions 2, 4 not exported: no room in {out} (it is on the state directory's "
                            f"filesystem, where {floor_bytes / 1e6:.1f} MB stays free for the device's database and "
                            "next recording)\n")
    assert sorted(p.name for p in out.iterdir()) == [f"session-0000{n}.{kind}" for n in (1, 3) for kind in ("csv", "edf")]
    assert loaded == [f"session-0000{n}.csv.gz" for n in (1, 3, 4)]          # 2 was never tried
    assert statvfs(out).f_bavail >= floor_bytes


@pytest.mark.parametrize("error, line", [
    (errno.ENOSPC, "session 2 not exported: no room in {out} (No space left on device)"),
    (errno.EROFS, "sessions 2-4 not exported: cannot write to {out} (Read-only file system); "
                  "the export stopped at session 2"),
])
def test_a_folder_that_takes_no_more_leaves_out_what_it_must_and_names_it(tmp_path, capsys, monkeypatch,
                                                                          error, line):
    """The same where no small filesystem can be mounted: a full folder (its error at
    session 2) takes the sessions after it; one that refuses writes otherwise ends the
    export there, and the line names every session left out."""
    import device.export as export
    state, out = tmp_path / "state", tmp_path / "out"
    keep_sessions(state, tmp_path, [(on_grid_session()[0], EVENTS, SUMMARY, "2026-11-30T10:00:00")] * 4)
    written = export.session_edf

    class Refused:
        def write(self, path):
            raise OSError(error, os.strerror(error), str(path))

    monkeypatch.setattr(export, "session_edf",
                        lambda recording, session, *args: Refused() if session["id"] == 2
                        else written(recording, session, *args))
    assert main(["export", "--edf", str(out), "--state-dir", str(state)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"pftrainer: {line.format(out=out)}\n"
    exported = [1, 3, 4] if error == errno.ENOSPC else [1]
    assert sorted(p.name for p in out.iterdir()) == [f"session-0000{n}.{kind}" for n in exported
                                                     for kind in ("csv", "edf")]
    left = "2" if error == errno.ENOSPC else "2-4"
    assert captured.out == (f"{len(exported)} sessie{'s' * (len(exported) > 1)} geëxporteerd naar {out} (EDF+ en CSV): "
                            f"{', '.join(map(str, exported))}; {4 - len(exported)} niet: {left} (zie hierboven)\n")


def test_a_folder_the_export_made_and_could_fill_with_nothing_is_not_left_behind(tmp_path, capsys, monkeypatch):
    """A trial exported onto a full stick: one line, exit 2, and an empty `edf/` folder left there.
    A folder the export made itself goes again when nothing was written into it; one that was
    there stays."""
    import device.export as export
    state, out = tmp_path / "state", tmp_path / "out"
    keep_sessions(state, tmp_path, [(on_grid_session()[0], EVENTS, SUMMARY, "2026-11-30T10:00:00")] * 2)

    class Full:
        def write(self, path):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    monkeypatch.setattr(export, "session_edf", lambda *args: Full())
    assert main(["export", "--edf", str(out), "--state-dir", str(state)]) == 2
    assert not out.exists()
    assert capsys.readouterr().out.endswith(f"; {out}, daarvoor aangemaakt, is weer verwijderd\n")
    out.mkdir()
    assert main(["export", "--edf", str(out), "--state-dir", str(state)]) == 2
    assert out.is_dir() and not any(out.iterdir())
    capsys.readouterr()


def test_an_earlier_exports_files_of_a_session_not_exported_are_left_as_they_were_and_said_so(tmp_path, capsys,
                                                                                               monkeypatch):
    """A trial re-exported into a folder holding sessions 1-2 whole on a full stick: "sessions
    1-4 not exported: no room", though their copies were there. They are left as they were
    (never half replaced), and a line says so."""
    import device.export as export
    state, out = tmp_path / "state", tmp_path / "out"
    keep_sessions(state, tmp_path, [(on_grid_session()[0], EVENTS, SUMMARY, "2026-11-30T10:00:00")] * 4)
    assert main(["export", "--edf", str(out), "--state-dir", str(state), "--session", "1", "2"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()

    class Full:
        def write(self, path):
            path.write_bytes(b"0" * 100)                              # cut short: the part is removed
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    monkeypatch.setattr(export, "session_edf", lambda *args: Full())
    assert main(["export", "--edf", str(out), "--state-dir", str(state)]) == 2
    captured = capsys.readouterr()
    assert captured.err == (f"pftrainer: sessions 1-4 not exported: no room in {out} (No space left on device)\n"
                            f"pftrainer: sessions 1, 2: an earlier export's files are still in {out}, as they were\n")
    assert captured.out == f"0 sessies geëxporteerd naar {out} (EDF+ en CSV); 4 niet: 1-4 (zie hierboven)\n"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.slow
def test_bad_input_prints_no_traceback(tmp_path):
    done = subprocess.run([sys.executable, "-m", "device.cli", "export", "--edf", str(tmp_path / "out"),
                           "--state-dir", str(tmp_path / "nowhere")], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_an_export_stopped_half_way_leaves_no_half_file_and_says_so(tmp_path, capsys, monkeypatch):
    """SIGTERM while the second session's EDF is being written: that session's files are
    removed, the first one's are whole, one line, exit 143 (the shell's for SIGTERM); the
    handlers from before the command are back afterwards."""
    import os
    import signal
    import device.export as export
    state, out = tmp_path / "state", tmp_path / "out"
    keep_sessions(state, tmp_path, [(on_grid_session()[0], EVENTS, SUMMARY, "2026-11-30T10:00:00")] * 3)
    written = export.session_edf

    def stopped_on_the_second(recording, session, *args):
        edf = written(recording, session, *args)
        if session["id"] == 2:
            os.kill(os.getpid(), signal.SIGTERM)        # lands in the next line of Python
        return edf
    monkeypatch.setattr(export, "session_edf", stopped_on_the_second)
    before = signal.getsignal(signal.SIGTERM)
    assert main(["export", "--edf", str(out), "--state-dir", str(state)]) == 143
    assert capsys.readouterr().err == ("pftrainer: stopped by SIGTERM before export finished; "
                                       "no file of it is left half written\n")
    assert sorted(p.name for p in out.iterdir()) == ["session-00001.csv", "session-00001.edf"]
    read_edf(out / "session-00001.edf")
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.slow
def test_damaged_rows_are_gaps_in_the_history_the_report_and_the_export_never_a_crash(tmp_path, capsys):
    """What a fuzz of the database and a review found (a profile of text, an event's time of
    text or metrics naming its time, a programme's name of bytes, cues and reps that are not
    pairs and objects, a level of Infinity) crashed `report`, `history` and `export`, or
    hid a session."""
    import sqlite3
    state = tmp_path / "state"
    damaged = Summary([*REPS, "x"], contraction_score=80.0, cues=[[0.5, "inhale"], ["a"], 7], errors=[])
    keep_sessions(state, tmp_path, [(on_grid_session()[0], EVENTS, SUMMARY, "2026-11-30T10:00:00"),
                                    (on_grid_session()[0], EVENTS, damaged, "2026-11-30T11:00:00")])
    db = sqlite3.connect(state / "pftrainer.db")
    db.execute("UPDATE session SET profile = 'x' WHERE id = 1")
    db.execute("UPDATE event SET start_s = 'soon' WHERE kind = 'glute'")
    db.execute("UPDATE session SET program = x'ff' WHERE id = 2")           # a blob where text was
    db.execute("""UPDATE event SET metrics_json = '{"start": "x", "kind": 5, "detected_at": "y"}'
                  WHERE kind = 'bear_down'""")                              # metrics naming what is checked
    db.execute("""INSERT INTO setting (key, value) VALUES ('p1.level.basis', '{"level": Infinity}')""")
    db.commit()
    db.close()
    assert main(["history", "--lang", "en", "--state-dir", str(state)]) == 0
    history = capsys.readouterr().out
    assert "2 sessions" in history and "basis 4 of 8" in history      # the one of no person is person 1's
    assert main(["report", "--state-dir", str(state), "--out", str(tmp_path / "r.html")]) == 0
    assert main(["export", "--edf", str(tmp_path / "edf"), "--state-dir", str(state)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    edf = read_edf(tmp_path / "edf" / "session-00002.edf")
    texts = [a.text for a in edf.annotations]
    assert "cue inhale" in texts and not any(t.startswith("glute") for t in texts)
    assert "bear_down" in texts and "bear_down detected" in texts     # its own times, not its metrics'
    assert sum(t.startswith("rep ") for t in texts) == len(REPS)


def test_a_second_stop_during_the_clean_up_does_not_cut_it_short():
    """Ctrl-C, then Ctrl-C again while the files of the first are being removed: the second
    is ignored until the command has ended; the handlers from before are back after."""
    import os
    import signal
    from device.stopping import Interrupted, interruptible
    before = signal.getsignal(signal.SIGINT)
    cleaned = []
    with pytest.raises(Interrupted) as stopped:
        with interruptible():
            try:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(1.0)                         # the signal lands before this ends
            finally:
                os.kill(os.getpid(), signal.SIGINT)     # a second one, in the clean-up
                cleaned.append(True)
    assert cleaned == [True] and stopped.value.exit_code == 130
    assert signal.getsignal(signal.SIGINT) is before


def test_a_session_whose_person_cannot_be_read_is_person_1s_in_every_question_the_device_asks(tmp_path):
    """One rule (`storage._whose`, `stored_values.profile_number`) in each per-person query:
    the history, the export, the assessments, the last session of a programme, today's count."""
    import sqlite3
    state = tmp_path / "state"
    assessed = Summary(REPS, assessment={"max_kpa": 1.2, "endurance_s": 30.0}, perfect={"power": 1.2})
    keep_sessions(state, tmp_path, [(on_grid_session()[0], EVENTS, assessed, "2026-11-30T10:00:00")])
    db = sqlite3.connect(state / "pftrainer.db")
    db.execute("UPDATE session SET profile = 'x'")
    db.commit()
    db.close()
    with Store(state, read_only=True) as store:
        mine, theirs = 1, 2
        assert [s["profile"] for s in store.sessions()] == [mine]
        assert [len(store.sessions(p)) for p in (mine, theirs)] == [1, 0]
        assert [len(store.recorded(p)) for p in (mine, theirs)] == [1, 0]
        assert [len(store.assessments(p) + store.damaged_assessments(p)) for p in (mine, theirs)] == [1, 0]
        assert [store.last_summary("basis", p) is not None for p in (mine, theirs)] == [True, False]
        assert [store.completed_on("2026-11-30", p) for p in (mine, theirs)] == [1, 0]
        assert [store.completed_since("2026-11-01", p) for p in (mine, theirs)] == [1, 0]


@pytest.mark.slow
def test_a_session_stopped_before_its_first_sample_has_nothing_to_export_and_is_no_fault(tmp_path, capsys):
    """A new user's trial: a session stopped at its very start (a header, no samples) made every
    export after it exit 2 (*1 not: 10*), and every report list it under *Wat ontbreekt*. A
    completed session whose samples are gone still is a fault."""
    state, out = tmp_path / "state", tmp_path / "out"
    text, _ = on_grid_session()
    keep_sessions(state, tmp_path, [(text, EVENTS, SUMMARY, "2026-11-30T10:00:00")] * 2)
    store = Store(state)
    empty = tmp_path / "empty.csv.gz"
    write_recording(empty, recording_text([]))
    store.finish_session(store.start_session("2026-11-30T11:00:00", "basis", None), SUMMARY, [], empty,
                         completed=False)
    store.close()
    assert main(["export", "--edf", str(out), "--state-dir", str(state)]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == (f"2 sessies geëxporteerd naar {out} (EDF+ en CSV); sessie 3 "
                                                   "stopte vóór de eerste meetwaarde: niets te exporteren\n")
    page = tmp_path / "r.html"
    assert main(["report", "--state-dir", str(state), "--out", str(page)]) == 0
    shown = page.read_text()
    assert 'class="missing"' not in shown and "sessie 3 stopte vóór de eerste meetwaarde" in shown
    # samples that were there, lost: a fault -- a completed session's, an interrupted one's with reps,
    # and a file with no header either
    write_recording(state / "recordings" / "session-00002.csv.gz", recording_text([]))
    store = Store(state)
    with_reps = store.start_session("2026-11-30T12:00:00", "basis", None)
    store.add_rep(with_reps, RepScore(1, 1, None, RelaxationScore(score=90.0)))
    store.finish_session(with_reps, SUMMARY, [], empty, completed=False)
    cut = tmp_path / "cut.csv.gz"
    write_recording(cut, "")
    store.finish_session(store.start_session("2026-11-30T13:00:00", "basis", None), SUMMARY, [], cut,
                         completed=False)
    store.close()
    assert main(["--lang", "en", "export", "--edf", str(tmp_path / "again"), "--state-dir", str(state)]) == 2
    said = capsys.readouterr()
    assert [line.split(":")[1] for line in said.err.splitlines()] == [" session 2", " session 4", " session 5"]
    assert said.out.endswith(f"\n1 session exported to {tmp_path / 'again'} (EDF+ and CSV): 1; 3 not: 2, 4, 5 "
                             "(see above); session 3 stopped before the first sample: nothing to export\n")


@pytest.mark.parametrize("lang, one, many", [
    ("nl", "1 sessie geëxporteerd naar out (EDF+ en CSV): 1; 1 niet: 2 (zie hierboven); sessie 4 stopte vóór de "
           "eerste meetwaarde: niets te exporteren",
     "2 sessies geëxporteerd naar out (EDF+ en CSV): 1, 3; 3 niet: 2, 6, 7 (zie hierboven); sessies 4, 5 stopten "
     "vóór de eerste meetwaarde: niets te exporteren; out, daarvoor aangemaakt, is weer verwijderd"),
    ("en", "1 session exported to out (EDF+ and CSV): 1; 1 not: 2 (see above); session 4 stopped before the first "
           "sample: nothing to export",
     "2 sessions exported to out (EDF+ and CSV): 1, 3; 3 not: 2, 6, 7 (see above); sessions 4, 5 stopped before "
     "the first sample: nothing to export; out, made for them, is removed again"),
])
def test_the_exports_line_counts_in_either_language(lang, one, many):
    """One session and several, each part of the line (review r87b: the plurals went untested)."""
    from device.cli import _exported_line
    from device.export import Exported
    out = Path("out")
    assert _exported_line(Exported(written={1: out}, not_exported=[2], empty=[4]), out, lang) == one
    assert _exported_line(Exported(written={1: out, 3: out}, not_exported=[2, 6, 7], empty=[4, 5], removed=True),
                          out, lang) == many
