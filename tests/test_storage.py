"""Session history: reps are durable as they finish, a killed session keeps them, history lists all."""

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import replace

import pytest

from device.cli import main
from device.session_run import GuidedSession
from device.storage import Store


# a simulated run about what is stored, not how it samples: no CPU charged, and 50 Hz
QUICK = "[sim]\ncpu_factor = 0\n[sampling]\nrate_hz = 50\n"
ONE_ROW_RECORDING = ("# pftrainer-recording v1\nt,perineal_kpa,seat_left_kg,seat_right_kg\n"
                     "0.0000,2.50000,30.000,30.000\n")


def write_recording(path, text: str) -> None:
    """`text` as the device's own recording file: gzip, ended."""
    path.write_bytes(gzip.compress(text.encode(), mtime=0))


def unfinished_gzip(text: str) -> bytes:
    """`text` as a session's recording is when the device dies: a gzip stream flushed
    after each append, with no end."""
    deflate = zlib.compressobj(6, zlib.DEFLATED, 31)
    return deflate.compress(text.encode()) + deflate.flush(zlib.Z_SYNC_FLUSH)


class StubSummary:
    """What the store reads of a session's summary."""

    duration_s = 1.0

    def as_dict(self):
        return {"duration_s": self.duration_s}


def store_one_session(state, recording, started_at="2026-11-30T10:00:00"):
    """A finished session with `recording` in a new store at `state`; the stored file's path."""
    store = Store(state)
    session = store.start_session(started_at, "basis", None)
    store.finish_session(session, StubSummary(), [], recording)
    store.close()                               # the writer thread has stored it
    return store.recordings_dir / f"session-{session.id:05d}.csv.gz"


def stored_reps_after(state, proc, at_least: int, timeout_s: float = 300.0) -> int:
    """Poll the running session's database until it holds `at_least` reps (or time runs out:
    generous, for an emulated Pi running the suite in two processes)."""
    db = state / "pftrainer.db"
    deadline = time.monotonic() + timeout_s
    reps = 0
    while time.monotonic() < deadline and reps < at_least and proc.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                with sqlite3.connect(db) as con:
                    reps = con.execute("SELECT COUNT(*) FROM rep").fetchone()[0]
            except sqlite3.OperationalError:
                pass
    return reps


def killed_after_reps(state, args: list[str], at_least: int) -> int:
    """Run `pftrainer ARGS` until the database in `state` holds `at_least` reps, then SIGKILL
    it; the reps it had stored."""
    proc = subprocess.Popen([sys.executable, "-m", "device.cli", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        reps = stored_reps_after(state, proc, at_least)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert reps >= at_least, "the session stored no reps in time"
    return reps


@pytest.mark.slow
def test_sessions_are_kept_and_todays_maximum_is_reused(tmp_path, capsys):
    state = tmp_path / "state"
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text(QUICK)                           # about what is kept, not how it was sampled
    for out in ("a", "b"):
        assert main(["--config", str(cfg), "sim", "--program", "kracht", "--out", str(tmp_path / out),
                     "--state-dir", str(state)]) == 0
    first = (tmp_path / "a" / "cues.jsonl").read_text()
    second = (tmp_path / "b" / "cues.jsonl").read_text()
    assert "calibrate_max" in first and "calibrate_max" not in second      # profile reused
    store = Store(state, read_only=True)
    rows = store.sessions()
    assert [r["program"] for r in rows] == ["kracht", "kracht"]
    assert all(r["completed"] and r["reps"] == 5 for r in rows)
    assert store.maximum(__import__("datetime").date.today().isoformat()) > 1.0
    assert not list((state / "sessions").iterdir())         # nothing left to point at the chosen folders
    assert sorted(p.name for p in (state / "recordings").iterdir()) == [
        "session-00001.csv.gz", "session-00001.summary.json", "session-00002.csv.gz", "session-00002.summary.json"]
    capsys.readouterr()
    assert main(["history", "--lang", "en", "--state-dir", str(state)]) == 0
    out = capsys.readouterr().out
    assert "2 sessions" in out and out.split("\n\n")[0].count("kracht") == 2


@pytest.mark.parametrize("version", [0, 1])
def test_a_database_whose_schema_number_was_set_back_is_written_again(tmp_path, version):
    """A fault campaign: `user_version` 1 on this schema's tables made every start migrate them
    again (*duplicate column name: profile*), and nothing was stored, for good. Its tables are
    this schema's: only the number is mended, and what it held stays."""
    state = tmp_path / "state"
    with Store(state) as store:
        store.save_setting("p1.programme", "kracht")
    db = sqlite3.connect(state / "pftrainer.db")
    db.execute(f"PRAGMA user_version = {version}")
    db.commit()
    db.close()
    with Store(state) as store:
        store.save_setting("volume", "0.25")
    with Store(state, read_only=True) as store:
        assert (store.setting("p1.programme", ""), store.setting("volume", "")) == ("kracht", "0.25")
    db = sqlite3.connect(state / "pftrainer.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    db.close()


def test_sigkill_mid_session_keeps_every_finished_rep(tmp_path):
    state = tmp_path / "state"
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text("[sim]\ncpu_factor = 0\n")      # a process of its own: its CPU would count, else
    reps = killed_after_reps(state, ["--config", str(cfg), "sim", "--program", "basis", "--max-kpa", "1.5",
                                     "--out", str(tmp_path / "out"), "--state-dir", str(state)], 4)
    with Store(state) as store:                     # the next start closes the session
        store.drain()
        assert store.integrity() == "ok"
        [row] = store.sessions()
    assert row["reps"] >= reps and not row["completed"]


@pytest.mark.slow
def test_a_session_killed_after_its_calibration_leaves_the_days_maximum(tmp_path):
    """It was kept only as the session ended: after a power cut the day's next session
    measured the maximum again (about 50 s more)."""
    state = tmp_path / "state"
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text("[sim]\ncpu_factor = 0\n")
    killed_after_reps(state, ["--config", str(cfg), "sim", "--program", "basis", "--out", str(tmp_path / "out"),
                              "--state-dir", str(state)], 1)
    with Store(state) as store:
        store.drain()
        [row] = store.sessions()
        assert not row["completed"] and store.maximum(row["day"].isoformat()) > 1.0


@pytest.mark.slow
def test_a_reps_figures_reach_the_card_before_its_row(tmp_path, monkeypatch):
    """The writer keeps the order of its jobs: each rep's figures (`progress.json`, from
    which the next start sums up a killed session and stores a rep without a row) are
    handed to it before the rep's row, so a kill between the two loses no rep's figures."""
    order = []
    keep, add = GuidedSession._keep_progress, Store.add_rep
    monkeypatch.setattr(GuidedSession, "_keep_progress",
                        lambda self: (order.append(len(self.coach.reps)), keep(self)))
    monkeypatch.setattr(Store, "add_rep", lambda self, ref, rep: (order.append(-1), add(self, ref, rep)))
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text(QUICK)
    assert main(["--config", str(cfg), "sim", "--program", "kracht", "--max-kpa", "1.5",
                 "--out", str(tmp_path / "out"), "--state-dir", str(tmp_path / "state")]) == 0
    rows = [i for i, what in enumerate(order) if what == -1]
    assert len(rows) == 5
    for n, i in enumerate(rows, start=1):          # before the n-th row: figures of at least n reps
        assert max(order[:i], default=0) >= n


@pytest.mark.slow
def test_a_session_killed_between_a_reps_figures_and_its_row_keeps_the_rep_at_the_next_start(tmp_path, monkeypatch):
    """The device dies (here: the loop is left at once, the writer finishing what it was
    given) just after the third rep's figures were handed to the writer, before its row:
    the next start stores the third rep from them."""
    calls = []
    keep = GuidedSession._keep_progress

    def keep_then_die(self):
        keep(self)
        calls.append(len(self.coach.reps))
        if len(calls) == 3:
            raise SystemExit("killed")
    monkeypatch.setattr(GuidedSession, "_keep_progress", keep_then_die)
    state, cfg = tmp_path / "state", tmp_path / "pftrainer.toml"
    cfg.write_text("[session]\nmax_drop_kpa = 1.5\n" + QUICK)
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "run", "--sim", "--program", "kracht", "--state-dir", str(state)])
    monkeypatch.undo()
    with Store(state, log=lambda message: None) as store:          # the next start closes the session
        store.drain()
        [row] = store.sessions()
        assert not row["completed"] and row["reps"] == 3
    assert calls == [1, 2, 3]


def test_a_state_dir_that_is_a_file_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["sim", "--program", "kracht", "--out", str(tmp_path / "o"),
                 "--state-dir", str(blocker)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "state directory" in err[0]
    assert main(["history", "--lang", "en", "--state-dir", str(tmp_path / "none")]) == 2
    assert "no history" in capsys.readouterr().err


@pytest.mark.slow
def test_report_is_self_contained_html_and_csv(tmp_path, capsys):
    state = tmp_path / "state"
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text(QUICK)
    for program in ("kracht", "snelheid"):
        assert main(["--config", str(cfg), "sim", "--program", program, "--max-kpa", "1.5",
                     "--out", str(tmp_path / program), "--state-dir", str(state)]) == 0
    page, table = tmp_path / "r.html", tmp_path / "r.csv"
    assert main(["report", "--state-dir", str(state), "--out", str(page), "--csv", str(table)]) == 0
    text = page.read_text()
    assert text.count('<svg class="plot"') == 5      # the weeks, their mistakes, the scores, each session's curve
    for outside in ("http://", "https://", "<script", "src=", "<link"):
        assert outside not in text                  # nothing to fetch: works offline, in a mail
    assert "kracht" in text and "snelheid" in text
    import csv
    rows = list(csv.DictReader(open(table)))
    assert [r["program"] for r in rows] == ["kracht", "snelheid"] and {r["profile"] for r in rows} == {"1"}
    assert float(rows[0]["power_kpa"]) > 1.0 and rows[0]["completed"] == "1"
    assert main(["--lang", "en", "report", "--state-dir", str(state)]) == 2
    assert "needs --out" in capsys.readouterr().err


@pytest.mark.slow
def test_sigterm_mid_session_stops_cleanly_and_keeps_everything(tmp_path):
    state = tmp_path / "state"
    out = tmp_path / "out"
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text("[sim]\ncpu_factor = 0\n")      # a process of its own: its CPU would count, else
    proc = subprocess.Popen([sys.executable, "-m", "device.cli", "--config", str(cfg), "sim", "--program", "basis",
                             "--max-kpa", "1.5", "--out", str(out), "--state-dir", str(state)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reps = stored_reps_after(state, proc, 2)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert err.strip().splitlines()[-1] == "pftrainer: stopped by SIGTERM; what was recorded is kept"
    lines = gzip.decompress((out / "recording.csv.gz").read_bytes()).decode().splitlines()
    assert lines[-1] == "# aborted=stopped by SIGTERM"
    from session.recording import open_rows
    assert len(list(open_rows(out / "recording.csv.gz"))) > 1000      # every line whole
    store = Store(state, read_only=True)
    assert store.integrity() == "ok"
    [row] = store.sessions()
    assert row["reps"] >= reps >= 2 and not row["completed"]


def test_a_recording_is_kept_whole_whatever_the_wall_clock_says(tmp_path, monkeypatch):
    """Compressed as it is written (no time in its gzip header), synced and moved: only
    whole files in `recordings/`; and a wall clock before 1970 (no RTC, no network yet)
    breaks nothing."""
    from device.appending import GzipTextFile
    from device.layout import LIVE_RECORDING

    monkeypatch.setattr(time, "time", lambda: -86400.0 * 365)          # 1969
    store = Store(tmp_path / "state")
    session = store.start_session("1969-01-01T00:00:00", "basis", None)
    store.writer.submit(lambda: session.folder.mkdir(parents=True))
    live = GzipTextFile(store.writer, session.folder / LIVE_RECORDING)
    for line in ONE_ROW_RECORDING.splitlines(keepends=True):
        live.append(line)
    live.close()
    store.finish_session(session, StubSummary(), [], session.folder / LIVE_RECORDING)
    store.close()
    stored = store.layout.recording(session.id)
    assert sorted(p.name for p in stored.parent.iterdir()) == ["session-00001.csv.gz", "session-00001.summary.json"]
    assert gzip.decompress(stored.read_bytes()) == ONE_ROW_RECORDING.encode()
    assert not (session.folder / LIVE_RECORDING).exists()               # moved, not copied


@pytest.mark.slow
def test_history_and_report_read_the_state_dir_without_writing_to_it(tmp_path, capsys):
    """A copy handed to a physiotherapist may be read-only: no file in it is created, and the
    database and its log are not changed (SQLite's shared-memory index, -shm, is how readers
    coordinate; on read-only media the database is read as an unchanging file instead)."""
    import hashlib

    state = tmp_path / "state"
    recording = tmp_path / "recording.csv.gz"
    write_recording(recording, ONE_ROW_RECORDING)
    store_one_session(state, recording)

    def snapshot():
        return {p.name: None if p.name.endswith("-shm") else hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(state.rglob("*")) if p.is_file()}
    before = snapshot()
    assert main(["history", "--lang", "en", "--state-dir", str(state)]) == 0
    assert main(["report", "--state-dir", str(state), "--out", str(tmp_path / "r.html")]) == 0
    assert "1 session\n" in capsys.readouterr().out
    assert snapshot() == before


class MistakesSummary(StubSummary):
    def __init__(self, power_pct_max: float | None, scored: bool = True, **errors):
        self.power_pct_max, self.scored, self.errors = power_pct_max, scored, errors

    def as_dict(self):
        return {"duration_s": 60.0, "perfect": {"power_pct_max": self.power_pct_max},
                "contraction_score": 70.0 if self.scored else None, "relaxation_score": 80.0 if self.scored else None,
                "errors": {"bear_down": 0, "not_let_go": 0, "glute": 0, "breath_hold": 0, "no_lift": 0,
                           **self.errors}}


def test_history_keeps_mistakes_by_kind_and_the_last_session_of_a_programme(tmp_path, capsys):
    state = tmp_path / "state"
    store = Store(state)
    for i, (program, summary) in enumerate((("kracht", MistakesSummary(80.0, bear_down=2)),
                                            ("basis", MistakesSummary(50.0)),
                                            ("kracht", MistakesSummary(90.0, breath_hold=3, glute=1)))):
        recording = tmp_path / f"r{i}.csv.gz"
        write_recording(recording, ONE_ROW_RECORDING)
        store.finish_session(store.start_session("2026-11-30T10:00:00", program, None), summary, [], recording)
    store.close()
    store = Store(state, read_only=True)
    assert store.last_summary("kracht")["perfect"]["power_pct_max"] == 90.0
    assert store.last_summary("voelen") is None
    last = store.sessions()[-1]
    assert (last["errors_bear_down"], last["errors_breath_hold"], last["errors_glute"]) == (0, 3, 1)
    assert main(["history", "--lang", "en", "--state-dir", str(state)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "mistakes: push breath letgo glute nolift" in lines[0]
    assert lines[1].split()[-5:] == ["2", "0", "0", "0", "0"]
    assert lines[3].split()[-5:] == ["0", "3", "0", "1", "0"]
    store.close()
    db = sqlite3.connect(state / "pftrainer.db")          # the newest kracht's summary damaged (review b)
    with db:
        db.execute("UPDATE session SET summary_json = '{cut' WHERE id = 3")
    db.close()
    store = Store(state, read_only=True)
    assert store.last_summary("kracht") == {}             # there was one: not *Kracht: nog niets om mee te vergelijken*


class GoodSummary(MistakesSummary):
    """A session's summary with its lifts done well (R) of those asked, or an assessment's."""

    def __init__(self, good: int, asked: int, holds: int | None = None, endurance_s: float | None = None):
        super().__init__(50.0)
        self.good, self.asked, self.holds, self.endurance_s = good, asked, holds, endurance_s

    def as_dict(self):
        out = super().as_dict()
        out["perfect"]["repetitions"], out["lifts_asked"] = self.good, self.asked
        out["perfect"]["endurance_s"] = self.endurance_s
        if self.holds is not None:
            out["assessment"] = {"holds": self.holds, "holds_good": self.good}
        return out


def test_history_says_the_lifts_done_well_of_those_asked_beside_the_score_and_a_hold_never_longer(tmp_path, capsys):
    """Trial80: `voelen` scored *aansp. 72.7* in `history` where its end screen had said *0 van 4 goed
    opgetild*: a physiotherapist read fair work. The column *goed* says it (an assessment's good holds
    of its 5, as its end screen; `ontspannen`, no lift asked: -)."""
    state = tmp_path / "state"
    store = Store(state)
    for i, (program, summary) in enumerate((("voelen", GoodSummary(0, 4)), ("meting", GoodSummary(2, 6, holds=5)),
                                            ("ontspannen", GoodSummary(0, 0)),
                                            ("basis", GoodSummary(3, 24, endurance_s=5.97)))):
        recording = tmp_path / f"r{i}.csv.gz"
        write_recording(recording, ONE_ROW_RECORDING)
        store.finish_session(store.start_session("2026-11-30T10:00:00", program, None), summary, [], recording)
    store.close()
    assert main(["history", "--state-dir", str(state)]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines[0].index(" goed ") + len(" goed")
    assert [line[at - 5:at].strip() for line in lines[1:5]] == ["0/4", "2/5", "-", "3/24"]
    held = lines[0].index(" vast s") + len(" vast s")       # trial80: 5.97 s of 6 read *6.0*, the end screen *5 s*
    assert lines[4][held - 6:held].strip() == "5.9"


def test_a_recording_being_written_reads_whole_to_its_last_append_at_any_moment(tmp_path):
    """What a killed device leaves: every appended batch readable, with no end to the stream."""
    from device.appending import GzipTextFile
    from device.durable import whole_lines
    from device.writer import Writer

    writer = Writer("test-writer")
    path = tmp_path / "recording.csv.gz"
    live = GzipTextFile(writer, path)
    expected = b""
    for batch in range(1, 40):
        text = "".join(f"{batch}.{row:03d},2.50000,30.000,30.000\n" for row in range(batch * 7))
        live.append(text)
        writer.drain()
        expected += text.encode()
        assert whole_lines(path) == expected
    with open(path, "ab") as f:                      # a block cut short by the kill
        f.write(b"\x12\x34")
    assert whole_lines(path) == expected
    live.close()
    writer.close()
    assert gzip.decompress(path.read_bytes()) == expected


@pytest.mark.skipif(not os.access("/dev/full", os.W_OK), reason="needs /dev/full (Linux)")
@pytest.mark.slow
def test_a_full_disk_under_a_recording_is_told_with_the_files_name():
    """A write that finds no room says which file (the OS's error names none): `sim` and
    `record` tell the user which file is incomplete."""
    from pathlib import Path

    from device.appending import TextFile
    from device.writer import StorageUnfinished, Writer

    writer = Writer("test-writer")
    full = TextFile(writer, Path("/dev/full"))          # every write: No space left on device
    full.append("0.000,2.50000,30.000,30.000\n")
    with pytest.raises(StorageUnfinished, match="/dev/full: No space left on device"):
        writer.drain(timeout_s=0.3)
    assert writer.trouble.kind == "full"


def test_a_held_breath_not_judged_is_a_gap_not_a_clean_zero(tmp_path):
    """Holds too short for a held breath to show (kracht's 5 s): the history's breath column is
    a gap, not the 0 that read as "breathed on" (the physiotherapist's trial); judged ones stay."""

    class Judged(StubSummary):
        def __init__(self, judged, held):
            self.judged, self.held = judged, held

        def as_dict(self):
            return {"duration_s": 1.0, "holds": 5, "holds_breath_judged": self.judged, "contraction_score": 70.0,
                    "errors": {"breath_hold": self.held, "bear_down": 0}}

    recording = tmp_path / "r.csv.gz"
    write_recording(recording, ONE_ROW_RECORDING)
    with Store(tmp_path / "state") as store:
        for judged, held in ((0, 0), (2, 0), (0, 1)):
            store.finish_session(store.start_session("2026-11-30T10:00:00", "kracht", None), Judged(judged, held), [],
                                 recording)
    with Store(tmp_path / "state", read_only=True) as store:
        assert [(r["errors_breath_hold"], r["errors_bear_down"]) for r in store.sessions()] == [(None, 0), (0, 0), (1, 0)]


@pytest.mark.slow
def test_damaged_values_in_the_history_are_gaps_never_a_crash(tmp_path, capsys):
    """A summary or a start time holding anything (a damaged database, a hand-edited one):
    `history` and `report` show a gap, the appliance's week count skips it."""
    state = tmp_path / "state"
    recording = tmp_path / "r.csv.gz"
    write_recording(recording, ONE_ROW_RECORDING)
    with Store(state) as store:
        for _ in range(3):
            store.finish_session(store.start_session("2026-11-30T10:00:00", "meting", None), StubSummary(), [],
                                 recording)
    with sqlite3.connect(state / "pftrainer.db") as db:
        db.execute("""UPDATE session SET summary_json = '{"errors": {"bear_down": "x"}, "perfect": {"power": "y"},
                      "assessment": {"max_kpa": "z", "holds": 5}}' WHERE id = 1""")
        db.execute("UPDATE session SET started_at = 'garbage', duration_s = 'abc' WHERE id = 2")
        db.execute("""UPDATE session SET summary_json = '{"assessment": {"max_kpa": 1.5, "releases": "no"}}'
                      WHERE id = 3""")
    db.close()
    assert main(["history", "--lang", "en", "--state-dir", str(state)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split()[:3] == ["1", "2026-11-30T10:00:00", "meting"] and out[1].split()[-5:] == ["-"] * 5
    assert out[2].split()[:2] == ["2", "garbage"] and out[3].startswith("   3") and out[4] == "3 sessions"
    store = Store(state, read_only=True)
    assert store.assessments() == [] and [d["id"] for d in store.damaged_assessments()] == [1, 3]
    assert main(["report", "--state-dir", str(state), "--out", str(tmp_path / "r.html")]) == 0
    page = (tmp_path / "r.html").read_text()
    assert "meting in sessie 1:" in page and "meting in sessie 3:" in page       # each damaged one named


def test_a_rep_revised_after_it_was_stored_is_stored_as_the_session_ended(tmp_path):
    """The re-review: a held breath judged as a hold is let go, in the step after it, changes a rep
    the device had already stored; its row kept the old figures against the summary's."""
    from session.coach import ContractionScore, RelaxationScore, RepScore
    lift = ContractionScore("lift", True, False, False, False, True, 100.0, 98.0, 0.5, 5.0, 0.9, 97.0,
                            done_well=True, breath_judged=False, asked_hold_s=5.0, hold_span_s=5.0)
    first = RepScore(1, 1, lift, RelaxationScore())
    revised = RepScore(1, 1, replace(lift, held_breath=True, done_well=False), RelaxationScore())
    store = Store(tmp_path / "state")
    session = store.start_session("2026-11-30T10:00:00", "kracht", None)
    store.add_rep(session, first)
    recording = tmp_path / "r.csv.gz"
    write_recording(recording, ONE_ROW_RECORDING)
    store.finish_session(session, StubSummary(), [], recording, reps=(revised,))
    store.close()
    [row] = sqlite3.connect(tmp_path / "state" / "pftrainer.db").execute("SELECT detail_json FROM rep").fetchall()
    stored = json.loads(row[0])["contraction"]
    assert stored["held_breath"] is True and stored["done_well"] is False


def test_a_session_completed_counts_before_the_writer_has_stored_it(tmp_path):
    """A user's trial: the menu's *Deze week 1/7* after the second session of the week -- the
    simulator's next day came, and the week was counted again, before the writer had stored it."""
    store = Store(tmp_path / "state")
    recordings = [tmp_path / f"r{n}.csv.gz" for n in (1, 2)]
    for recording in recordings:
        write_recording(recording, ONE_ROW_RECORDING)
    first = store.start_session("2026-12-07T10:00:00", "basis", None)
    store.finish_session(first, StubSummary(), [], recordings[0])
    store.writer.drain()
    held, go = threading.Event(), threading.Event()
    store.writer.submit(lambda: (held.set(), go.wait(10)), database=True)
    held.wait(10)                                           # the writer is busy: nothing more is stored
    second = store.start_session("2026-12-08T10:00:00", "basis", None)
    store.finish_session(second, StubSummary(), [], recordings[1])
    try:
        assert store.completed_since("2026-12-07") == 2 and store.completed_on("2026-12-08") == 1
        assert store.completed_on("2026-12-08", profile=2) == 0
    finally:
        go.set()
    store.close()
    assert Store(tmp_path / "state", read_only=True).completed_since("2026-12-07") == 2


def test_the_last_summary_is_the_last_session_completed_before_the_writer_has_stored_it(tmp_path):
    """A new user's trial: `make sim`'s second kracht session, minutes after the first, showed no
    *van vorige* on its end screen, and a later one compared with the session before last: the end
    screen read the last summary while the last session's row was on its way to the database."""
    store = Store(tmp_path / "state")
    recordings = [tmp_path / f"r{n}.csv.gz" for n in (1, 2)]
    for recording in recordings:
        write_recording(recording, ONE_ROW_RECORDING)
    first = store.start_session("2026-12-07T10:00:00", "kracht", None)
    store.finish_session(first, MistakesSummary(80.0), [], recordings[0])
    store.writer.drain()
    held, go = threading.Event(), threading.Event()
    store.writer.submit(lambda: (held.set(), go.wait(10)), database=True)
    held.wait(10)                                           # the writer is busy: nothing more is stored
    second = store.start_session("2026-12-08T10:00:00", "kracht", None)
    store.finish_session(second, MistakesSummary(90.0), [], recordings[1])
    try:
        assert store.last_summary("kracht")["perfect"]["power_pct_max"] == 90.0
        assert store.last_summary(None)["perfect"]["power_pct_max"] == 90.0
        assert store.last_summary("kracht", profile=2) is None and store.last_summary("basis") is None
    finally:
        go.set()
    store.close()
    assert Store(tmp_path / "state", read_only=True).last_summary("kracht")["perfect"]["power_pct_max"] == 90.0


def test_a_session_stopped_before_it_scored_shows_no_mistakes_counted_as_none(tmp_path, capsys):
    """A new user's trial: a session stopped just as it began read scores "-" and mistakes
    "0 0 0 0 0" in `history`: nothing was scored, so no count of mistakes either (a push warned
    before the stop still shows) -- in `history`, the CSV and the report alike (a review)."""
    state = tmp_path / "state"
    store = Store(state)
    for i, summary in enumerate((MistakesSummary(None, scored=False), MistakesSummary(None, scored=False, bear_down=1),
                                 MistakesSummary(None))):
        recording = tmp_path / f"r{i}.csv.gz"
        write_recording(recording, ONE_ROW_RECORDING)
        store.finish_session(store.start_session("2026-11-30T10:00:00", "basis", None), summary, [], recording)
    store.close()
    assert main(["history", "--lang", "en", "--state-dir", str(state)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split()[-5:] == ["-", "-", "-", "-", "-"]
    assert lines[2].split()[-5:] == ["1", "-", "-", "-", "-"]
    assert lines[3].split()[-5:] == ["0", "0", "0", "0", "0"]                  # scored, with none
    csv_path = tmp_path / "r.csv"
    assert main(["report", "--state-dir", str(state), "--csv", str(csv_path)]) == 0       # and the CSV, alike
    import csv
    rows = list(csv.DictReader(csv_path.open()))
    assert [[row[f"errors_{kind}"] for kind in ("bear_down", "glute")] for row in rows] == [
        ["", ""], ["1", ""], ["0", "0"]]


def test_the_last_maximum_is_the_newest_that_is_a_lift(tmp_path):
    """The calibration's screen is scaled by an earlier day's maximum; a damaged newest cell is passed
    over, not taken for the end of them (review b: it fell back to the 1 kPa guess)."""
    with Store(tmp_path / "state") as store:
        for day, kpa in (("2026-11-28", 0.55), ("2026-11-29", 0.6), ("2026-11-30", 0.62)):
            store.save_maximum(day, kpa)
        store.save_maximum("2026-11-29", 0.6, profile=2)
        store.drain()
        assert store.last_maximum("2026-11-30") == 0.6 and store.last_maximum("2026-12-01") == 0.62
        assert store.last_maximum("2026-11-28") is None and store.last_maximum("2026-12-01", profile=2) == 0.6
    db = sqlite3.connect(tmp_path / "state" / "pftrainer.db")
    with db:
        db.execute("UPDATE maximum SET max_drop_kpa = 'x' WHERE day = '2026-11-30' AND profile = 1")
    db.close()
    with Store(tmp_path / "state", read_only=True) as store:
        assert store.last_maximum("2026-12-01") == 0.6


@pytest.mark.slow
def test_a_repetition_of_a_lift_and_a_cough_stores_both(tmp_path):
    """A physiotherapist's trial: her programme of a lift and a cough in each repetition kept the
    cough's row twice in the history and the lift's not at all (both are scored at once, and each
    of their two cues took the coach's last rep); the report showed every repetition as *hoesten*.
    Each rep scored is stored once, in order, as the summary lists them."""
    from test_sessions import LIFT_THEN_COUGH
    programs = tmp_path / "programs"
    programs.mkdir()
    (programs / "ans.toml").write_text(LIFT_THEN_COUGH, encoding="utf-8")
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text(f'[session]\nprograms_dir = "{programs}"\nmax_drop_kpa = 1.5\n[sim]\ncpu_factor = 0\n')
    state = tmp_path / "state"
    assert main(["--config", str(cfg), "sim", "--program", "ans", "--out", str(tmp_path / "out"),
                 "--state-dir", str(state)]) == 0
    db = sqlite3.connect(state / "pftrainer.db")
    stored = [(series, rep, json.loads(detail)["contraction"]["kind"]) for series, rep, detail in db.execute(
        "SELECT series, rep, detail_json FROM rep ORDER BY id")]
    db.close()
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert stored == [(r["series"], r["rep"], r["contraction"]["kind"]) for r in summary["reps"]]
    assert [kind for *_, kind in stored] == ["lift", "cough"] * 3


@pytest.mark.slow
def test_a_log_nobody_reads_any_more_does_not_stop_the_device(tmp_path):
    """Trial79: `run --sim --sessions 2 2>&1 | head -4` ended after the first session, exit 1,
    silently: a log line that cannot be written (the journal gone, a pipe closed) is lost, and
    the training goes on."""
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text(QUICK)
    state = tmp_path / "state"
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from device.entry import main; sys.exit(main())",
                             "--config", str(cfg), "run", "--sim", "--program", "micro", "--sessions", "2",
                             "--state-dir", str(state)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr.readline().startswith("pftrainer running on the simulator")
    proc.stderr.close()                                  # the reader goes away
    assert proc.wait(timeout=300) == 0
    with Store(state, read_only=True) as store:
        assert [row["completed"] for row in store.sessions()] == [1, 1]
