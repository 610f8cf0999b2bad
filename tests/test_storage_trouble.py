"""Storage that never stops the trainer, and no session lost: a full disk, a database locked
by another process, a damaged database, and a session killed mid-way."""

import csv
import datetime
import fcntl
import gzip
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from device.appliance import Appliance
from device.cli import main
from device.screens import MessageView, WarningView, render
from device.storage import Store
from device.leftovers import CUT_SHORT, Interrupted
from device.stopping import StopFlag
from device.writer import FULL
from hw_sim.persona import PERSONAS
from hw_sim.plugin import open_bench
from session.programme import REUSE_MAXIMUM_DAYS
from session.progression import Standing
from session.coach import MISTAKE_KINDS, RelaxationScore, RepScore
from session.recording import open_rows
from test_appliance import CFG, PROGRAMMES, bench, same_image, snapshot_at, stored_recording
from test_storage import (ONE_ROW_RECORDING, StubSummary, killed_after_reps, store_one_session, unfinished_gzip,
                          write_recording)

STORAGE_FULL_SCREEN = render(WarningView("Opslag vol", "Oefen verder"))
DATABASE_REPLACED_SCREEN = render(MessageView("Storage repaired", ("Results kept",)))   # "en" was recovered


class SmallDisk:
    """A 4 MiB tmpfs at `path` that `fill()` fills to the last byte and `free()` empties
    again: the genuine ENOSPC and "database or disk is full"."""

    SIZE = "4m"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ballast = path / "ballast"

    def fill(self) -> None:
        with open(self.ballast, "ab", buffering=0) as f:
            block = 64 * 1024
            while block:
                try:
                    f.write(bytes(block))
                except OSError:            # no room for that much: try less, down to a byte
                    block //= 2

    def free(self) -> None:
        self.ballast.unlink()


@pytest.fixture
def small_disk(tmp_path):
    """A small filesystem at tmp_path/"state" (the test is skipped where none can be mounted)."""
    path = tmp_path / "state"
    path.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SmallDisk.SIZE}", "tmpfs", str(path)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("no small filesystem can be mounted here (mount needs root)")
    try:
        yield SmallDisk(path)
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


def a_rep(n: int) -> RepScore:
    return RepScore(1, n, None, RelaxationScore(score=80.0))


def wait_for(condition, timeout_s: float = 5.0) -> None:
    deadline_s = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline_s, "it did not happen in time"
        time.sleep(0.01)


# --- a full disk ---------------------------------------------------------------------------------------
def test_a_full_disk_keeps_reps_and_finish_in_memory_and_writes_them_when_there_is_room(small_disk, tmp_path):
    recording = tmp_path / "recording.csv.gz"
    write_recording(recording, ONE_ROW_RECORDING)
    store = Store(small_disk.path)
    session = store.start_session("2026-11-30T10:00:00", "basis", None)
    store.drain()
    small_disk.fill()
    for n in (1, 2, 3):
        started_s = time.monotonic()
        store.add_rep(session, a_rep(n))
        assert time.monotonic() - started_s < 1.0           # the caller never waits (for the disk: forever)
    store.finish_session(session, StubSummary(), [], recording)
    wait_for(lambda: store.trouble is not None and store.trouble.kind == FULL)
    waiting = f"{store.layout.kept_summary(session.id)}, {store.layout.recording(session.id)}"    # named
    assert store.trouble.message in ("database or disk is full", f"{waiting}: No space left on device")
    small_disk.free()
    store.drain(timeout_s=10.0)
    assert store.trouble is None
    [row] = store.sessions()
    assert row["reps"] == 3 and row["completed"]
    assert gzip.decompress(store.layout.recording(session.id).read_bytes()) == ONE_ROW_RECORDING.encode()
    assert store.integrity() == "ok"
    store.close()


def test_a_full_disk_shows_opslag_vol_and_the_session_goes_on_to_be_stored_whole(small_disk, tmp_path, capsys):
    app, rig, store, user = bench(tmp_path)
    frames = []
    rig.oled.on_frame.append(lambda: frames.append(rig.oled.image()))
    rig.clock.call_at(1.0, lambda _t: small_disk.fill())        # before the session starts: nothing is written

    def free_once_done(t):
        if app.completed:
            small_disk.free()
        else:
            rig.clock.call_at(t + 1.0, free_once_done)
    rig.clock.call_at(2.0, free_once_done)
    assert app.run() == 1                                        # coached to the end
    store.drain(timeout_s=10.0)
    assert any(same_image(frame, STORAGE_FULL_SCREEN) for frame in frames)
    err = capsys.readouterr().err
    assert "database or disk is full" in err or "No space left on device" in err
    assert store.trouble is None
    [row] = store.sessions()
    assert row["completed"] and row["reps"] == 5                 # not marked interrupted
    summary = json.loads(store.db.execute("SELECT summary_json FROM session").fetchone()[0])
    assert summary["dropped"] == 0
    assert len(list(open_rows(store.layout.recording(1)))) > 1000
    assert not list(store.layout.sessions.iterdir())
    store.close()


# --- a locked database ------------------------------------------------------------------------------------
UNLOCK_AFTER_S = 0.2     # the lock is let go this long after the device began waiting for its writes
SUBMIT_WAIT_S = 0.5      # the longest a submit may take (a loaded CI machine may pause a thread for tens of ms)


@pytest.mark.slow
def test_a_database_locked_by_another_process_loses_no_rep_and_never_holds_up_sampling(tmp_path, capsys):
    """The other process holds the lock all session long and lets it go while the device waits
    for its writes as the session ends (make faults holds it 12 s) -- then, not after a fixed
    time: the 3 s that were longer than the session took were waited for in full."""
    app, rig, store, user = bench(tmp_path)
    holder = sqlite3.connect(store.layout.database, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")                   # another process writing, all session long
    release = threading.Timer(UNLOCK_AFTER_S, holder.commit)
    drain = store.drain

    def unlock_while_draining(*args, **kwargs):         # the appliance's wait for its writes, at its end
        release.start()
        drain(*args, **kwargs)
    store.drain = unlock_while_draining
    longest_submit_s = [0.0]
    submit = store.writer.submit

    def timed_submit(job, **kw):
        started_s = time.monotonic()
        submit(job, **kw)
        longest_submit_s[0] = max(longest_submit_s[0], time.monotonic() - started_s)
    store.writer.submit = timed_submit
    try:
        assert app.run() == 1
        drain(timeout_s=10.0)
    finally:
        if release.ident is not None:                   # started: let go in its time (else closing lets go)
            release.join()
        holder.close()
    assert "database is locked: kept in memory, retrying" in capsys.readouterr().err
    [row] = store.sessions()
    assert row["completed"] and row["reps"] == 5
    summary = json.loads(store.db.execute("SELECT summary_json FROM session").fetchone()[0])
    assert summary["dropped"] == 0 and len(summary["reps"]) == 5
    assert longest_submit_s[0] < SUBMIT_WAIT_S            # never waited for the lock
    store.close()


# --- a damaged database -----------------------------------------------------------------------------------
def two_sessions_with_reps(state: Path, tmp_path: Path) -> None:
    recording = tmp_path / "recording.csv.gz"
    write_recording(recording, ONE_ROW_RECORDING)
    with Store(state) as store:
        store.save_setting("language", "en")
        for day in ("2026-11-29", "2026-11-30"):
            session = store.start_session(f"{day}T10:00:00", "kracht", None)
            for n in range(1, 40):
                store.add_rep(session, a_rep(n))
            store.finish_session(session, StubSummary(), [], recording)


def damage_table(database: Path, table: str) -> None:
    """Write garbage over the first page of `table` (its root page)."""
    with sqlite3.connect(database) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    db.close()
    with open(database, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(bytes(range(256)) * (page_size // 256))


def test_a_damaged_database_is_moved_aside_and_what_can_be_read_is_recovered(tmp_path):
    state = tmp_path / "state"
    two_sessions_with_reps(state, tmp_path)
    damage_table(state / "pftrainer.db", "rep")
    damaged = (state / "pftrainer.db").read_bytes()
    said = []
    store = Store(state, log=said.append)
    [aside] = state.glob("pftrainer.db.damaged-*")
    assert aside.read_bytes() == damaged                  # kept as it was, never deleted
    assert store.replaced.aside == aside and store.replaced.recovered["session"] == 2
    assert any("pftrainer.db is damaged" in line and aside.name in line for line in said)
    assert store.integrity() == "ok"
    assert [r["started_at"][:10] for r in store.sessions()] == ["2026-11-29", "2026-11-30"]
    assert store.setting("language", "nl") == "en"
    session = store.start_session("2026-12-01T10:00:00", "kracht", None)    # and the fresh one is used
    assert session.id == 3
    store.add_rep(session, a_rep(1))
    store.close()
    assert Store(state, read_only=True).sessions()[-1]["reps"] == 1


def test_a_file_that_is_no_database_at_all_is_moved_aside_too(tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    (state / "pftrainer.db").write_bytes(b"garbage " * 1000)
    with Store(state, log=lambda m: None) as store:
        assert store.replaced.recovered["session"] == 0 and store.integrity() == "ok"
    assert (state / store.replaced.aside.name).read_bytes() == b"garbage " * 1000


def test_the_device_starts_on_a_damaged_database_and_says_so(tmp_path, capsys):
    two_sessions_with_reps(tmp_path / "state", tmp_path)
    damage_table(tmp_path / "state" / "pftrainer.db", "session")
    app, rig, store, user = bench(tmp_path, user=False)
    shot = snapshot_at(rig, 1.0)
    rig.clock.call_at(3.0, lambda _t: app.stop.request("test"))
    assert app.run() == 0
    assert same_image(shot["image"], DATABASE_REPLACED_SCREEN)
    assert "pftrainer.db is damaged" in capsys.readouterr().err


@pytest.mark.parametrize("damaged", ["session", "setting", "sqlite_autoindex_maximum_1"])
@pytest.mark.parametrize("command", ["history", "report"])
def test_history_and_report_of_a_database_damaged_anywhere_are_one_line_and_nothing_else(
        tmp_path, capsys, command, damaged):
    """A damaged page is found on opening, also one neither command reads in full (the
    settings, read through their index for the keys there are) or at all (the index of
    the daily maxima): no table, no page, no CSV, one line naming the database."""
    state = tmp_path / "state"
    two_sessions_with_reps(state, tmp_path)
    with Store(state) as store:
        store.save_maximum("2026-11-30", 1.5)
        store.save_setting("p1.level.kracht", "2")
    damage_table(state / "pftrainer.db", damaged)
    before = sorted((p.name, p.read_bytes()) for p in state.iterdir() if p.is_file())
    out = ["--out", str(tmp_path / "r.html"), "--csv", str(tmp_path / "r.csv")] if command == "report" else []
    assert main(["--lang", "en", command, "--state-dir", str(state), *out]) == 2
    said = capsys.readouterr()
    assert said.out == ""
    assert said.err.startswith(f"pftrainer: {state / 'pftrainer.db'}: the database is damaged (")
    assert said.err.count("\n") == 1 and "pftrainer run" in said.err
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "r.csv").exists()
    assert sorted((p.name, p.read_bytes()) for p in state.iterdir() if p.is_file()) == before


@pytest.mark.parametrize("column", ["session.summary_json", "session.program", "rep.detail_json"])
@pytest.mark.slow
def test_a_byte_gone_bad_in_a_stored_cell_leaves_the_rest_of_the_history_readable_and_writable(tmp_path, capsys,
                                                                                               column):
    """A fault campaign: one byte that is no UTF-8 in a stored cell (an SD card's bit rot, which
    `PRAGMA integrity_check` does not see) made every read of it raise -- `history`, the report and the
    exports refused the whole history, and every later session trained and then failed to be stored,
    for good. The cell reads as damaged, everything else as it was, and new sessions are stored."""
    state = tmp_path / "state"
    two_sessions_with_reps(state, tmp_path)
    table, name = column.split(".")
    with sqlite3.connect(state / "pftrainer.db") as db:
        db.execute(f"UPDATE {table} SET {name} = CAST(CAST({name} AS BLOB) || x'ff' AS TEXT) WHERE rowid = 1")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    assert main(["--lang", "en", "history", "--state-dir", str(state)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("levels")       # the whole table, to its end
    assert main(["report", "--state-dir", str(state), "--out", str(tmp_path / "r.html")]) == 0
    with Store(state, log=lambda m: None) as store:
        session = store.start_session("2026-12-01T10:00:00", "kracht", None)
        store.add_rep(session, a_rep(1))
        store.finish_session(session, StubSummary(), [], tmp_path / "recording.csv.gz")
    sessions = Store(state, read_only=True).sessions()
    assert len(sessions) == 3 and sessions[-1]["reps"] == 1 and sessions[0]["reps"] == 39


@pytest.mark.parametrize("locked", ["folder", "database"])
@pytest.mark.slow
def test_a_state_directory_this_user_may_not_write_is_refused_before_any_training(tmp_path, locked):
    """A fault campaign: a database file (or the state folder) without write permission -- not a
    read-only mount -- was found only after a whole coached session (SQLite opens it read-only without
    a word), which then ended `storage: 38 writes not done`, exit 1. Refused before any training, in one
    line, exit 2, nothing changed."""
    import shutil as tools
    if os.geteuid() == 0 and tools.which("setpriv") is None:
        pytest.skip("as root, a permission is only felt without CAP_DAC_OVERRIDE (setpriv)")
    state = tmp_path / "state"
    two_sessions_with_reps(state, tmp_path)
    target = state if locked == "folder" else state / "pftrainer.db"
    before = (state / "pftrainer.db").read_bytes()
    target.chmod(0o555 if locked == "folder" else 0o444)
    drop = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"] if os.geteuid() == 0 else []
    try:
        done = subprocess.run([*drop, sys.executable, "-c", "import sys; from device.entry import main; "
                               "sys.argv = ['pftrainer'] + sys.argv[1:]; sys.exit(main())",
                               "sim", "--program", "kracht", "--out", str(tmp_path / "out"), "--state-dir", str(state)],
                              capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent)
    finally:
        target.chmod(0o755 if locked == "folder" else 0o644)
    assert done.returncode == 2 and done.stdout == "", done
    assert done.stderr == f"pftrainer: {target}: cannot use the state directory: Permission denied (this user may " \
                          f"not write {'in it' if locked == 'folder' else 'it'})\n"
    assert not (tmp_path / "out").exists() and (state / "pftrainer.db").read_bytes() == before


def _gone_bad(database: Path, table: str, column: str, rowid: int = 1, at: int = 3) -> None:
    """A byte that is no UTF-8 (0xff) put into a stored cell after its `at`-th (1: a summary's JSON no
    longer reads); `PRAGMA integrity_check` still passes."""
    with sqlite3.connect(database) as db:
        db.execute(f"UPDATE {table} SET {column} = CAST(substr(CAST({column} AS BLOB), 1, {at}) || x'ff' || "
                   f"substr(CAST({column} AS BLOB), {at + 1}) AS TEXT) WHERE rowid = ?", (rowid,))
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


@pytest.mark.parametrize("column", ["summary_json", "recording"])
def test_the_next_start_mends_a_cell_gone_bad_from_what_is_kept_beside_it(tmp_path, column):
    """A review: a session's recording name gone bad named no file, and its recording was set aside as
    nobody's (the exports then missed it); a summary gone bad stayed so, and one whose kept file was
    missing made every start raise. The next start takes them again from the files kept beside."""
    state = tmp_path / "state"
    two_sessions_with_reps(state, tmp_path)

    def stored():
        with sqlite3.connect(state / "pftrainer.db") as db:
            recording, summary = db.execute("SELECT recording, summary_json FROM session WHERE id = 1").fetchone()
        db.close()
        return recording, json.loads(summary)
    before = stored()
    _gone_bad(state / "pftrainer.db", "session", column, at=1)
    said = []
    Store(state, log=said.append).close()
    assert stored() == before, said
    assert not (state / "orphans").exists()


@pytest.mark.slow
def test_a_cell_gone_bad_in_a_damaged_database_is_rebuilt_whole_from_its_kept_summary(tmp_path):
    """A review: salvage copied a cell gone bad as read (U+FFFD), so the session was no longer taken from
    its intact kept summary (*kr\ufffdcht*, its summary unreadable). Read strictly, the row is left out and
    rebuilt whole."""
    state, cfg = tmp_path / "state", tmp_path / "c.toml"
    cfg.write_text("[sim]\ncpu_factor = 0\n[session]\nmax_drop_kpa = 1.5\n")
    for seed in ("1", "2"):                 # (real recordings: the rebuild reads whose they are from them)
        assert main(["--config", str(cfg), "sim", "--program", "kracht", "--seed", seed, "--out",
                     str(tmp_path / seed), "--state-dir", str(state)]) == 0
    before = Store(state, read_only=True).sessions()
    _gone_bad(state / "pftrainer.db", "session", "program", rowid=2)
    damage_table(state / "pftrainer.db", "sqlite_autoindex_setting_1")
    with Store(state, log=lambda m: None) as store:
        assert store.replaced is not None
    assert Store(state, read_only=True).sessions() == before


def test_a_column_whose_name_went_bad_is_a_damaged_database(tmp_path, capsys):
    """A review: a byte gone bad in a column's name left the schema readable and quick_check content; every
    read said *no such column* and every later session's storage failed, for good. It is damage: one
    line from the readers, moved aside and rebuilt by the writers."""
    state = tmp_path / "state"
    two_sessions_with_reps(state, tmp_path)
    database = state / "pftrainer.db"
    damaged = bytearray(database.read_bytes())
    damaged[damaged.index(b"summary_json") + 2] = ord("X")
    database.write_bytes(bytes(damaged))
    assert main(["--lang", "en", "history", "--state-dir", str(state)]) == 2
    assert "the database is damaged (malformed database schema: table session has no column summary_json)" \
        in capsys.readouterr().err
    with Store(state, log=lambda m: None) as store:
        assert store.replaced is not None
    assert [s["reps"] for s in Store(state, read_only=True).sessions()] == [39, 39]


def test_a_byte_gone_bad_in_the_schemas_text_is_a_damaged_database_not_a_traceback(tmp_path, capsys):
    """A fault campaign: one byte that is no UTF-8 in the schema's text (page 1) gave a Python
    traceback in every command, `run` included -- the service would have crashed at every start, the
    database never moved aside. It is a damaged database: one line from the commands that read, moved
    aside and rebuilt by those that write."""
    state = tmp_path / "state"
    two_sessions_with_reps(state, tmp_path)
    database = state / "pftrainer.db"
    damaged = bytearray(database.read_bytes())
    damaged[damaged.index(b"CREATE TABLE maximum") + 7] = 0x9A
    database.write_bytes(bytes(damaged))
    assert main(["--lang", "en", "history", "--state-dir", str(state)]) == 2
    said = capsys.readouterr().err
    assert said.startswith(f"pftrainer: {database}: the database is damaged (malformed database schema") \
        and said.count("\n") == 1
    with Store(state, log=lambda m: None) as store:
        assert store.replaced is not None and store.integrity() == "ok"
    assert (state / store.replaced.aside.name).read_bytes() == bytes(damaged)


# --- a session being written ----------------------------------------------------------------------------------
def test_an_empty_database_file_is_no_history_in_one_line(tmp_path, capsys):
    """A 0-byte pftrainer.db (a copy gone wrong): it said 'no such table: rep'."""
    state = tmp_path / "state"
    state.mkdir()
    (state / "pftrainer.db").write_bytes(b"")
    for command in (["history"], ["report", "--out", str(tmp_path / "r.html")]):
        assert main([*command, "--state-dir", str(state)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "holds no pftrainer history" in err
    assert (state / "pftrainer.db").read_bytes() == b"" and not (tmp_path / "r.html").exists()


def test_a_session_being_written_is_shown_in_progress_and_interrupted_once_nobody_writes(tmp_path, capsys):
    state = tmp_path / "state"
    recording = tmp_path / "recording.csv.gz"
    write_recording(recording, ONE_ROW_RECORDING)

    def marks() -> list[str]:
        assert main(["history", "--lang", "en", "--state-dir", str(state)]) == 0
        return [line.rsplit("  ", 1)[-1] for line in capsys.readouterr().out.splitlines()
                if line.startswith(("   1  ", "   2  "))]
    with Store(state) as store:
        stopped = store.start_session("2026-11-30T10:00:00", "kracht", None)
        store.add_rep(stopped, a_rep(1))
        store.finish_session(stopped, StubSummary(), [], recording, completed=False)
        running = store.start_session("2026-11-30T11:00:00", "basis", None)
        store.add_rep(running, a_rep(1))
        store.drain()
        assert marks() == ["(interrupted)", "(in progress)"]
        page = tmp_path / "report.html"
        assert main(["report", "--state-dir", str(state), "--out", str(page), "--lang", "en"]) == 0
        capsys.readouterr()
        html = page.read_text()
        assert "0 completed (no assessments), 1 interrupted" in html and "in progress" in html
        assert "session 2: its summary" not in html           # not written yet: no damage
    assert marks() == ["(interrupted)", "(interrupted)"]      # left unfinished: the next start closes it so


def test_a_reader_looking_at_the_lock_never_keeps_a_writer_from_starting(tmp_path):
    """`history` tells a writer by probing its lock with a shared one for an instant; a
    writer starting in that instant waits for it instead of refusing to start."""
    state = tmp_path / "state"
    Store(state).close()
    probe = open(state / "pftrainer.lock", "rb")
    fcntl.flock(probe, fcntl.LOCK_SH)
    threading.Timer(0.05, probe.close).start()
    Store(state).close()


# --- no session lost ----------------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_session_killed_mid_way_is_kept_as_interrupted_with_its_recording_at_the_next_start(tmp_path, capsys):
    state = tmp_path / "state"
    cfg = tmp_path / "pftrainer.toml"
    # cpu_factor 0: else this machine's CPU time counts, and a slow one overloads the simulated Pi
    cfg.write_text("[session]\nmax_drop_kpa = 1.5\n[sim]\ncpu_factor = 0\n")
    reps = killed_after_reps(state, ["--config", str(cfg), "run", "--sim", "--program", "basis", "--stand-up", "20",
                                     "--state-dir", str(state)], 2)
    assert (state / "sessions" / "session-00001" / "recording.csv.gz").exists()
    assert main(["--config", str(cfg), "run", "--sim", "--program", "kracht", "--state-dir", str(state)]) == 0
    assert "storage: session 1 was left unfinished: kept as interrupted" in capsys.readouterr().err
    first, second = Store(state, read_only=True).sessions()
    assert not first["completed"] and first["reps"] >= reps and first["program"] == "basis"
    assert second["completed"] and second["program"] == "kracht"
    first_end = datetime.datetime.fromisoformat(first["started_at"]) + datetime.timedelta(seconds=first["duration_s"])
    assert datetime.datetime.fromisoformat(second["started_at"]) >= first_end     # never stamped inside it
    # the coach's figures as of its last scored rep, kept beside the reps: shown, not gaps
    assert first["power_kpa"] > 0 and first["power_pct_max"] > 0 and first["endurance_s"] > 0
    # (a held breath only where a hold lasted long enough to show one: 6 s holds may be too short)
    kinds = [kind for kind in MISTAKE_KINDS if kind != "breath_hold"]
    assert all(first[f"errors_{kind}"] is not None for kind in kinds)
    not_judged = first["errors_breath_hold"] is None
    assert main(["history", "--lang", "en", "--state-dir", str(state)]) == 0
    [line] = [line for line in capsys.readouterr().out.splitlines() if line.startswith("   1  ")]
    assert line.split().count("-") == not_judged
    assert line.endswith("(interrupted; paused: stood up 1x)")     # (from its recording: a review)
    assert main(["report", "--state-dir", str(state), "--csv", str(tmp_path / "r.csv")]) == 0
    with open(tmp_path / "r.csv", newline="") as f:
        row = next(csv.DictReader(f))
    assert all(row[f"errors_{kind}"] != "" for kind in kinds) and row["power_kpa"] != ""
    assert (row["errors_breath_hold"] == "") == not_judged
    text = stored_recording(state, 1)
    assert text.splitlines()[-1] == "# aborted=interrupted: the device stopped during the session"
    assert len(list(open_rows(state / "recordings" / "session-00001.csv.gz"))) > 1000     # every line whole
    assert not list((state / "sessions").iterdir())


@pytest.mark.slow
def test_a_sim_killed_while_writing_to_a_chosen_folder_is_kept_from_that_folder(tmp_path, capsys):
    """`sim --out DIR --state-dir S`: the session's files are in DIR, the store's folder for it
    names DIR (files-in.txt). Killed, the next start keeps it from DIR (copied; DIR keeps its
    files, its recording ended whole); before, it was kept with no recording and no figures."""
    state, chosen = tmp_path / "state", tmp_path / "chosen"
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text("[session]\nmax_drop_kpa = 1.5\n[sim]\ncpu_factor = 0\n")
    reps = killed_after_reps(state, ["--config", str(cfg), "sim", "--program", "basis", "--out", str(chosen),
                                     "--state-dir", str(state)], 2)
    assert (state / "sessions" / "session-00001" / "files-in.txt").read_text().strip() == str(chosen)
    assert main(["--config", str(cfg), "run", "--sim", "--program", "kracht", "--state-dir", str(state)]) == 0
    assert "session 1 was left unfinished: kept as interrupted, its recording in session-00001.csv.gz" \
        in capsys.readouterr().err
    first, second = Store(state, read_only=True).sessions()
    assert not first["completed"] and first["reps"] >= reps and first["power_kpa"] > 0
    assert second["completed"]
    kept = stored_recording(state, 1)
    assert kept.splitlines()[-1] == "# aborted=interrupted: the device stopped during the session"
    assert gzip.decompress((chosen / "recording.csv.gz").read_bytes()).decode() == kept
    assert (chosen / "cues.jsonl").exists() and not list((state / "sessions").iterdir())


def test_leftovers_are_closed_adopted_or_set_aside_never_lost(tmp_path):
    state = tmp_path / "state"
    recording = tmp_path / "recording.csv.gz"
    write_recording(recording, ONE_ROW_RECORDING)
    store_one_session(state, recording)                                 # 1: stored whole
    with Store(state) as store:                                          # 2: started, never finished
        unfinished = store.start_session("2026-11-30T11:00:00", "basis", None)
        store.add_rep(unfinished, a_rep(1))
    folder = state / "sessions" / "session-00002"          # killed: a stream with no end, its last line cut
    folder.mkdir()
    (folder / "recording.csv.gz").write_bytes(unfinished_gzip(
        "# pftrainer-recording v1\n# session=2\n# started_at=2026-11-30T11:00:00\n# program=basis\n"
        "t,perineal_kpa,seat_left_kg,seat_right_kg\n0.0000,2.50000,30.000,30.000\n"
        "0.0040,2.50100,30.000,30.000\n0.00"))
    (state / "recordings" / "session-00002.csv.gz.part").write_bytes(b"\x1f\x8b half")
    folder = state / "sessions" / "session-00003"        # finished while the database was full: no row at all
    folder.mkdir()                                       # (by a pftrainer that recorded plain CSV)
    (folder / "recording.csv").write_text(
        "# pftrainer-recording v1\n# session=3\n# started_at=2026-11-30T12:00:00\n# program=kracht\n"
        "t,perineal_kpa,seat_left_kg,seat_right_kg\n0.0000,2.50000,30.000,30.000\n")
    (folder / "summary.json").write_text(json.dumps(
        {"duration_s": 60.0, "reps": [a_rep(1).as_dict(), a_rep(2).as_dict()]}))
    (state / "recordings" / "session-00009.csv.gz").write_bytes(gzip.compress(b"whose is this?\n"))
    said = []
    with Store(state, log=said.append) as store:
        store.drain()
        rows = store.sessions()
        assert store.start_session("2026-12-01T10:00:00", "kracht", None).id == 10     # no id used twice
    assert [(r["id"], r["completed"], r["reps"]) for r in rows] == [(1, True, 0), (2, False, 1), (3, True, 2)]
    assert stored_recording(state, 2).splitlines()[-2:] == [
        "0.0040,2.50100,30.000,30.000", "# aborted=interrupted: the device stopped during the session"]
    assert stored_recording(state, 3).startswith("# pftrainer-recording v1\n# session=3")
    assert sorted(p.name for p in (state / "recordings").glob("*.csv.gz")) == [
        "session-00001.csv.gz", "session-00002.csv.gz", "session-00003.csv.gz"]
    assert json.loads((state / "recordings" / "session-00003.summary.json").read_text())["reps"] == [
        a_rep(1).as_dict(), a_rep(2).as_dict()]
    assert [p.name for p in (state / "orphans").iterdir()] == ["session-00009.csv.gz"]
    assert len(said) == 4 and any("orphans/session-00009.csv.gz" in line for line in said)
    assert "storage: session 2 was left unfinished: kept as interrupted, its recording in session-00002.csv.gz" \
        in said
    assert "storage: session 3 was missing from the history: kept as completed, its recording in " \
           "session-00003.csv.gz" in said        # (it said "was left unfinished: kept as completed")


def test_a_leftover_whose_summary_cannot_be_read_says_so(tmp_path):
    """The bad-input campaign: a session folder whose summary.json was damaged was kept as
    interrupted, its reps gone, and the log said only that it was left unfinished."""
    state = tmp_path / "state"
    Store(state).close()
    folder = state / "sessions" / "session-00001"
    folder.mkdir()
    (folder / "recording.csv").write_text(
        "# pftrainer-recording v1\n# session=1\n# started_at=2026-11-30T12:00:00\n# program=kracht\n"
        "t,perineal_kpa,seat_left_kg,seat_right_kg\n0.0000,2.50000,30.000,30.000\n")
    (folder / "summary.json").write_text("{nope")
    said = []
    with Store(state, log=said.append) as store:
        store.drain()
        [row] = store.sessions()
    assert not row["completed"]
    assert [line for line in said if line.startswith("storage: session 1 ")] == [
        "storage: session 1 was missing from the history: kept as interrupted, its recording in "
        "session-00001.csv.gz; its summary summary.json could not be read"]
    assert (state / "orphans" / "session-00001.summary.json").read_text() == "{nope"   # kept, never deleted
    assert "storage: moved summary.json to orphans/session-00001.summary.json: its summary could not be read" \
        in said


@pytest.mark.parametrize("name", ["session-9223372036854775808", "session-99999999999999999999",
                                  "session-4611686018427387904", "session-\u0661\u0662", "session-999999999"])
def test_a_stray_folder_no_session_could_have_made_is_left_alone(tmp_path, name):
    """The bad-input campaign: a folder `sessions/session-<a number past SQLite's integers>` ended
    every start in an OverflowError; a huge one that fits, or one of Arabic-Indic digits, was
    taken for a session's and the next session numbered after it (a reviewer: one of nine digits
    made the next 1,000,000,000, whose files the tidying no longer finds). No session has such a
    number: the folder is no session's, and numbering goes on from the sessions kept."""
    state = tmp_path / "state"
    with Store(state) as store:
        store.start_session("2026-12-01T10:00:00", "kracht", None)
    (state / "sessions" / name).mkdir(parents=True)
    with Store(state) as store:
        store.drain()
        assert store.start_session("2026-12-01T11:00:00", "kracht", None).id == 2
    assert (state / "sessions" / name).is_dir() and not (state / "orphans").exists()


# --- the space reserve and the kept summaries ----------------------------------------------------------------
def a_recording(session_id: int, started_at: str, program: str = "kracht") -> str:
    return (f"# pftrainer-recording v1\n# session={session_id}\n# started_at={started_at}\n# program={program}\n"
            "t,perineal_kpa,seat_left_kg,seat_right_kg\n0.0000,2.50000,30.000,30.000\n")


class SummaryWithReps(StubSummary):
    def __init__(self, reps: int) -> None:
        self.reps = reps

    def as_dict(self):
        return {**super().as_dict(), "reps": [a_rep(n).as_dict() for n in range(1, self.reps + 1)]}


FULL_TO_THE_END = """
import sys
from pathlib import Path
from device.storage import Store
from device.writer import StorageUnfinished
from test_storage import unfinished_gzip
from test_storage_trouble import SmallDisk, SummaryWithReps, a_rep
state = Path(sys.argv[1])
store = Store(state)
session = store.start_session("2026-11-30T10:00:00", "basis", None)
session.folder.mkdir(parents=True)
recording = session.folder / "recording.csv.gz"
recording.write_bytes(unfinished_gzip(sys.argv[2]))
store.drain()
assert (state / "pftrainer.reserve").stat().st_size == 256 * 1024
SmallDisk(state).fill()
for n in range(1, 21):
    store.add_rep(session, a_rep(n))
store.finish_session(session, SummaryWithReps(20), [], recording)
try:
    store.close(timeout_s=1.0)
except StorageUnfinished as e:
    sys.exit(f"pftrainer: storage: {e}")
"""


@pytest.mark.slow
def test_a_disk_full_to_the_end_of_a_run_loses_no_rep_and_the_recording_is_cut_short_with_a_note(small_disk):
    state = small_disk.path
    cut = a_recording(1, "2026-11-30T10:00:00", "basis") + "0.0040,2.50100,30.000,30.000\n0.00"   # cut mid-line
    run = subprocess.run([sys.executable, "-c", FULL_TO_THE_END, str(state), cut], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), "."])})
    kept = state / "recordings"                                   # what waited for the reserve is named
    assert run.returncode == 1 and run.stderr == (f"pftrainer: storage: 3 writes not done after 1 s: "
                                                  f"{kept}/session-00001.summary.json, {kept}/session-00001.csv.gz: "
                                                  "No space left on device\n")
    assert not (state / "pftrainer.reserve").exists()              # given to the database
    with sqlite3.connect(state / "pftrainer.db") as db:
        assert db.execute("SELECT COUNT(*) FROM rep").fetchone()[0] == 20
        assert db.execute("SELECT completed, recording FROM session").fetchall() == [(1, None)]
    db.close()
    small_disk.free()
    said = []
    with Store(state, log=said.append) as store:                   # the next start, with room again
        store.drain()
        [row] = store.sessions()
    assert row["completed"] and row["reps"] == 20
    assert stored_recording(state, 1).splitlines()[-2:] == ["0.0040,2.50100,30.000,30.000", "# aborted=" + CUT_SHORT]
    assert any("session 1's recording was cut short" in line for line in said)
    assert (state / "pftrainer.reserve").stat().st_size == 256 * 1024     # made again once there was room


FULL_FOR_TWO_SESSIONS = """
import sys
from pathlib import Path
from device.writer import StorageUnfinished
from test_appliance import bench
from test_storage_trouble import SmallDisk
state = Path(sys.argv[1])
app, rig, store, user = bench(state.parent, sessions=2)
rig.clock.call_at(20.0, lambda _t: SmallDisk(state).fill())     # in the first session, to the end of the run
assert app.run() == 2
try:
    store.close(timeout_s=1.0)
except StorageUnfinished as e:
    sys.exit(f"pftrainer: storage: {e}")                       # as `run` ends
"""


@pytest.mark.slow
def test_a_disk_full_through_two_sessions_keeps_both_and_the_run_ends_in_one_clear_line(small_disk):
    """The trial's `run --sim --sessions 3` on a 700 KiB tmpfs: the disk filled in one session and
    stayed full; the run's last line listed every file waiting (12 of them, each a full path), and
    at the next start, with room, the session begun on the full disk had no recording, no kept
    summary, and nothing said so. Now the line names the first file and why, then a count and the
    folder (the log lists them, indented); the next start keeps what was written of the first
    session's recording (cut short) and says in the log that the second's was never written, its
    summary and reps kept."""
    state = small_disk.path
    run = subprocess.run([sys.executable, "-c", FULL_FOR_TWO_SESSIONS, str(state)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), "."])})
    assert run.returncode == 1, run.stderr
    last = run.stderr.splitlines()[-1]
    assert re.fullmatch(rf"pftrainer: storage: \d+ writes not done after 1 s: {state}/sessions/session-00001/\S+: "
                        rf"No space left on device; not finished either: \d+ more files in {state}", last), last
    listed = [line.strip() for line in run.stderr.splitlines() if line.startswith("      /")]
    assert f"{state}/recordings/session-00002.csv.gz" in listed and len(listed) > 4      # in the log, one a line
    small_disk.free()
    said = []
    with Store(state, log=said.append) as store:                   # the next start, with room again
        store.drain()
        rows = store.sessions()
    assert [(row["completed"], row["reps"]) for row in rows] == [(1, 5), (1, 5)]    # no rep lost
    assert stored_recording(state, 1).splitlines()[-1] == "# aborted=" + CUT_SHORT
    assert "session 1's recording was cut short: kept what was written" in said[0]
    assert ("storage: session 2's recording was never written (the disk was full while it ran): "
            "its summary and 5 reps are kept, in session-00002.summary.json") in said
    kept = json.loads((state / "recordings" / "session-00002.summary.json").read_text())
    assert len(kept["reps"]) == 5 and kept["samples"] > 1000


def two_days_kept(state: Path, tmp_path: Path, reps: int) -> None:
    """Two kracht sessions (29 and 30 November) of `reps` reps each, kept whole with their recordings."""
    with Store(state) as store:
        for day in ("2026-11-29", "2026-11-30"):
            session = store.start_session(f"{day}T10:00:00", "kracht", None)
            for n in range(1, reps + 1):
                store.add_rep(session, a_rep(n))
            recording = tmp_path / f"{day}.csv.gz"
            write_recording(recording, a_recording(session.id, session.started_at))
            store.finish_session(session, SummaryWithReps(reps), [], recording)


def test_a_damaged_page_1_loses_no_session_the_kept_summaries_rebuild_them_at_the_next_start(tmp_path):
    state = tmp_path / "state"
    two_days_kept(state, tmp_path, 39)
    with open(state / "pftrainer.db", "r+b") as f:               # the header and the schema: nothing to salvage
        f.write(bytes(range(256)) * 16)
    said = []
    with Store(state, log=said.append) as store:
        assert store.replaced.recovered["session"] == 0
        rows = store.sessions()
    assert [(r["id"], r["started_at"], r["completed"], r["reps"]) for r in rows] == [
        (1, "2026-11-29T10:00:00", True, 39), (2, "2026-11-30T10:00:00", True, 39)]
    assert "storage: rebuilt from the kept summaries: 2 sessions, 78 reps" in said
    assert not list(state.glob("orphans/*"))


@pytest.mark.parametrize("table", ["rep", "session", "setting", "event", "maximum"])
def test_a_table_missing_from_the_database_is_damage_the_next_start_rebuilds_losing_no_session(tmp_path, capsys,
                                                                                                 table):
    """The bad-input campaign: with a table dropped, `history` said only "no such table: rep" and
    listed nothing, and `run` retried its writes for ever and ended in exit 1, its session lost."""
    state = tmp_path / "state"
    two_days_kept(state, tmp_path, 3)
    with sqlite3.connect(state / "pftrainer.db") as db:
        db.execute(f"DROP TABLE {table}")
    assert main(["history", "--lang", "en", "--state-dir", str(state)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"pftrainer: {state / 'pftrainer.db'}: the database is damaged (its table '{table}' is missing); nothing is "
        "read from it (`pftrainer run` moves it aside and rebuilds the history)"]
    said = []
    with Store(state, log=said.append) as store:
        assert store.replaced is not None
        assert [(r["id"], r["completed"], r["reps"]) for r in store.sessions()] == [(1, True, 3), (2, True, 3)]
    assert f"(its table '{table}' is missing): moved aside" in said[0]     # the cause first, then the rebuild
    assert main(["history", "--lang", "en", "--state-dir", str(state)]) == 0


def test_a_folder_where_the_database_belongs_is_told_at_once_not_after_a_session(tmp_path, capsys):
    """A user's trial: `history` said "disk I/O error", `run --sim` trained a whole session first."""
    state = tmp_path / "state"
    (state / "pftrainer.db").mkdir(parents=True)
    for command in (["history"], ["run", "--sim", "--sessions", "1"]):
        assert main([*command, "--state-dir", str(state)]) == 2
        assert capsys.readouterr().err.splitlines()[-1] == (f"pftrainer: {state / 'pftrainer.db'}: is not a file "
                                                            "(the history's database is kept there): move it away")
    assert sorted(p.name for p in state.iterdir()) == ["pftrainer.db"]


def test_a_folder_where_run_sim_writes_its_screen_is_told_at_once_not_after_a_session(tmp_path, capsys):
    """The bad-input campaign: with `oled.gif` a folder, `run --sim` trained and stored a whole
    session, then ended in exit 2."""
    state = tmp_path / "state"
    (state / "oled.gif").mkdir(parents=True)
    assert main(["--lang", "en", "run", "--sim", "--sessions", "1", "--state-dir", str(state)]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"pftrainer: {state / 'oled.gif'}: not a file (run --sim writes the screen there at the end): move it away")
    assert sorted(p.name for p in state.iterdir()) == ["oled.gif"]


def test_a_folder_where_the_lock_file_goes_is_named(tmp_path, capsys):
    """The bad-input campaign: 'cannot use the state directory: Is a directory' named neither
    the folder in the way nor what to do."""
    state = tmp_path / "state"
    (state / "pftrainer.lock").mkdir(parents=True)
    assert main(["run", "--sim", "--sessions", "1", "--state-dir", str(state)]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"pftrainer: {state / 'pftrainer.lock'}: a folder where pftrainer keeps its lock file: move it away")
    assert not list((state / "sessions").iterdir())


def test_a_simulated_stick_that_is_a_file_or_not_there_is_told_at_once(tmp_path, capsys):
    """The bad-input campaign: `[sim] usb_dir` naming a file ran the simulator until the stick
    was plugged in, then ended in 'File exists'; a folder that is not there was made, and the
    export went into it (a second campaign) -- `usb-export --to` refuses one."""
    stick = tmp_path / "stick"
    stick.write_text("")
    cfg = tmp_path / "sim.toml"
    for usb_dir, why in ((stick, "a file, not a folder"), (stick / "usb", f"{stick} is a file, not a folder"),
                         (tmp_path / "nowhere", "no such folder")):
        cfg.write_text(f'[sim]\nusb_dir = "{usb_dir}"\n')
        assert main(["--lang", "en", "--config", str(cfg), "run", "--sim", "--state-dir", str(tmp_path / "state")]) == 2
        assert capsys.readouterr().err.splitlines()[-1] == f"pftrainer: [sim] usb_dir = {usb_dir}: {why}"
    assert not (tmp_path / "state").exists()


def test_the_levels_a_damaged_database_lost_come_back_from_the_newest_recordings(tmp_path, capsys):
    """A user's trial: page 1 overwritten, the sessions came back from the recordings but the
    levels did not -- the next session ran kracht at level 1 again. The log tells them as `history`
    and the screen do (trial93: *basis 0* for a patient the history showed at *basis 3 van 8*); one of
    a programme not known here (a physiotherapist's file since removed), as kept."""
    state = tmp_path / "state"
    samples = ONE_ROW_RECORDING.split("\n", 1)[1]
    with Store(state) as store:
        for day, program, level in (("2026-11-27", "eigen", 1), ("2026-11-28", "basis", -1),
                                    ("2026-11-29", "kracht", 1), ("2026-11-30", "kracht", 2)):
            session = store.start_session(f"{day}T10:00:00", program, None)
            recording = tmp_path / f"{program}-{level}.csv.gz"
            write_recording(recording, f"# pftrainer-recording v1\n# program={program}\n# level={level}\n{samples}")
            store.finish_session(session, StubSummary(), [], recording)
        store.save_standing("kracht", Standing(2, good=1))
        store.save_setting("language", "en")
    damage_table(state / "pftrainer.db", "setting")
    said = []
    with Store(state, log=said.append, programmes=PROGRAMMES) as store:
        assert store.replaced is not None and store.standing("kracht") == Standing(2)
        assert store.standing("basis") == Standing(-1)        # an easier step, below the start level
        assert store.standing("lift") == Standing(1, fresh=True)   # none kept: no session judged
    assert ("storage: levels taken from the recordings: eigen level 1 as kept (counted from its start level: its "
            "ladder is not known here), basis 2 of 8, kracht 2 of 5") in said
    assert main(["history", "--lang", "en", "--state-dir", str(state)]) == 0
    assert "basis 2 of 8, kracht 2 of 5" in capsys.readouterr().out        # (the same words)


def test_the_menu_proposes_after_a_damaged_database_what_it_proposed_before(tmp_path):
    """Trial93: the settings on a damaged page, `run` renewed the database with every session and rep
    but no setting, and the menu proposed a newcomer's `voelen` to a patient on `basis` at level 3 (as
    the history showed). Her programme trained comes back from the sessions kept (not the knack after
    it: a skill learnt beside the training), and its level from the recordings."""
    state = tmp_path / "state"
    some = {name: PROGRAMMES[name] for name in ("voelen", "basis", "knack")}     # (no assessment to fall due)
    samples = ONE_ROW_RECORDING.split("\n", 1)[1]
    with Store(state) as store:
        for day, program in (("2026-12-01", "voelen"), ("2026-12-02", "voelen"), ("2026-12-03", "basis"),
                             ("2026-12-04", "basis"), ("2026-12-05", "knack")):
            session = store.start_session(f"{day}T10:00:00", program, None)
            recording = tmp_path / f"{day}.csv.gz"
            level = "# level=0\n" if program == "basis" else ""
            write_recording(recording, f"# pftrainer-recording v1\n# program={program}\n{level}{samples}")
            store.finish_session(session, StubSummary(), [], recording)
        store.save_setting("p1.programme", "basis")
        store.save_standing("basis", Standing(0, poor=1))
    said = []

    def proposal() -> tuple[str, int | None]:
        """What the menu proposes at a start, and at which level (None: it has none)."""
        sim = open_bench(CFG, PERSONAS["strong"].body)
        with Store(state, log=said.append, programmes=some) as store:
            app = Appliance(sim.platform, CFG, some, store, stop=StopFlag())
            programme = some[app.items[app.cursor]]
            standing = app._at_level(programme)[1]
            return programme.name, None if standing is None else programme.level_number(standing.level)
    before = proposal()
    damage_table(state / "pftrainer.db", "setting")
    assert proposal() == before == ("basis", 3)
    assert "storage: the programme trained taken from the sessions kept: basis" in said
    assert "storage: levels taken from the recordings: basis 3 of 8" in said


_ONE_SESSION: dict[str, Path] = {}     # this process's state directory of one `micro` session


def _one_session_then(tmp_path, sql: str, params: tuple) -> tuple:
    """`run --sim` of one `micro` session into a new state directory, then `sql` on its database:
    the state directory, the run's arguments (to run again) and the rows `sql` changed. The first
    session is the same for every test that asks (same config, persona, seed; the simulator's
    calendar goes on from the last session kept): it is run once per test process, in the first
    test's folder, and each test damages a copy of that state directory (nothing in it names its
    folder)."""
    state, cfg = tmp_path / "state", tmp_path / "pftrainer.toml"
    cfg.write_text("[sim]\ncpu_factor = 0\n[sampling]\nrate_hz = 50\n")
    run = ["--config", str(cfg), "run", "--sim", "--sessions", "1", "--program", "micro", "--state-dir", str(state)]
    if "made" not in _ONE_SESSION:
        made = tmp_path / "one-micro-session"
        assert main(run[:-1] + [str(made)]) == 0
        _ONE_SESSION["made"] = made
    shutil.copytree(_ONE_SESSION["made"], state)
    with Store(state, read_only=True) as store:    # the next run's day: a run begun just before
        next_day = (store.last_end() + datetime.timedelta(seconds=1)).date().isoformat()   # midnight ends after it
    db = sqlite3.connect(state / "pftrainer.db")
    with db:
        db.execute("UPDATE maximum SET day = ?", (next_day,))
        changed = db.execute(sql, params).rowcount
    db.close()
    return state, run, changed


@pytest.mark.parametrize("value", ["x", b"\x00", -3.0, 1e308, 0.0])
@pytest.mark.slow
def test_a_damaged_stored_maximum_is_measured_again_and_said_in_one_line(tmp_path, capsys, value):
    """The bad-input campaign: today's maximum stored as text made every start end in a
    traceback (`round()` of a str) and left an empty session behind; a negative or huge one was
    taken as the target of every rep (P 0.00, contraction 0.0) without a word. The session
    measures the maximum again, said in one line, and keeps what it measured."""
    state, run, changed = _one_session_then(tmp_path, "UPDATE maximum SET max_drop_kpa = ?", (value,))
    assert changed == 1
    capsys.readouterr()
    assert main(run) == 0
    err = capsys.readouterr().err
    said = [line for line in err.splitlines() if "stored maximum" in line]
    assert len(said) == 1 and said[0].endswith(f"] settings: today's stored maximum {value!r} is not a lift "
                                               f"of 0.01 to 10 kPa: measuring it again"), err
    db = sqlite3.connect(state / "pftrainer.db")
    [(kept,)] = db.execute("SELECT max_drop_kpa FROM maximum").fetchall()
    db.close()
    assert isinstance(kept, float) and 0.01 <= kept <= 10.0       # measured again and kept
    assert main(["history", "--lang", "en", "--state-dir", str(state)]) == 0
    assert capsys.readouterr().out.count("micro") >= 2          # both sessions kept


@pytest.mark.parametrize("key, value", [("language", "xx"), ("volume", "abc"), ("volume", "5"), ("volume", "nan")])
@pytest.mark.slow
def test_a_damaged_stored_setting_is_the_configs_and_one_line_not_a_crash_at_start(tmp_path, capsys, key, value):
    """The bad-input campaign: a setting cell the database holds damaged made `run` end in a
    traceback before any session (`float('abc')`, a PWM value of 5, no texts for 'xx') -- as a
    service, a restart loop. The config's value stands in, said in one line."""
    state, run, _ = _one_session_then(tmp_path, "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                                      (key, value))
    capsys.readouterr()
    assert main(run) == 0
    err = capsys.readouterr().err
    said = {"language": f"settings: the stored language {value!r} is not one the device speaks: using nl",
            "volume": f"settings: the stored volume {value!r} is not a number from 0 to 1: using 0.5"}
    assert said[key] in err.splitlines() and "settings:" not in err.replace(said[key], "")   # that one only
    assert main(["history", "--lang", "en", "--state-dir", str(state)]) == 0
    assert capsys.readouterr().out.count("micro") >= 2          # both sessions kept


def test_a_session_a_power_cut_stopped_is_said_kept_at_the_next_start(tmp_path):
    """Trial73: after a power cut mid-session the next start said nothing, and the user could not
    tell his 16 repetitions were kept. The store says which sessions it closed as interrupted
    (whose, how many reps), and the menu shows *Sessie onderbroken / Alles is bewaard* once, for
    one with reps of who trains now."""
    state = tmp_path / "state"
    with Store(state) as store:
        stopped = store.start_session("2026-11-30T10:00:00", "kracht", None)
        for n in (1, 2, 3):
            store.add_rep(stopped, a_rep(n))
        empty = store.start_session("2026-11-30T11:00:00", "basis", None)     # stopped before a rep
        store.drain()
    with Store(state) as store:
        store.drain()
        assert [(s.session_id, s.profile, s.reps) for s in store.interrupted] == [(1, 1, 3), (empty.id, 1, 0)]
    with Store(state) as store:
        store.drain()
        assert store.interrupted == ()                                   # closed: said once
    shutil.rmtree(state)
    with Store(state) as store:
        store.add_rep(store.start_session("2026-11-30T10:00:00", "kracht", None), a_rep(1))
        store.drain()
    app, rig, store, _ = bench(tmp_path, user=False)
    store.drain()                                  # the tidying done (on the writer's thread) as the device starts
    shot = snapshot_at(rig, 2.0)
    rig.clock.call_at(3.0, lambda _t: app.stop.request("the test's end"))
    app.run()
    assert same_image(shot["image"], render(MessageView("Sessie onderbroken", ("Alles is bewaard",))))


def test_two_notices_over_the_menu_are_shown_in_turn_and_a_renewed_database_is_not_all_kept(tmp_path):
    """A review: the menu held one notice, so a second in the same moment took the first's place --
    after a power cut that also damaged the database, *Sessie onderbroken / Alles is bewaard* hid
    *Opslag vernieuwd* (now *Opslag hersteld*), and said all was kept of a database just renewed. A
    notice while another is shown comes after it; beside a renewed database, the interrupted session
    is not said kept."""
    renewed = render(MessageView("Opslag hersteld", ("Resultaten bewaard",)))
    stopped = render(MessageView("Sessie onderbroken", ("Alles is bewaard",)))
    app, rig, store, _ = bench(tmp_path, user=False)
    store.drain()
    store.interrupted = (Interrupted(1, 1, 16),)                       # as a power cut leaves them
    rig.clock.call_at(1.0, lambda _t: setattr(store, "replaced", object()))   # ... then a renewal, while shown
    shots = {t: snapshot_at(rig, t) for t in (0.5, 3.5, 6.0)}
    rig.clock.call_at(7.0, lambda _t: app.stop.request("the test's end"))
    app.run()
    assert [same_image(shots[t]["image"], stopped) for t in (0.5, 3.5, 6.0)] == [True, True, False]
    assert same_image(shots[6.0]["image"], renewed)                    # after it, not in its place
    app, rig, store, _ = bench(tmp_path / "2", user=False)
    store.drain()
    store.interrupted, store.replaced = (Interrupted(1, 1, 16),), object()     # both at once
    shot = snapshot_at(rig, 1.0)
    rig.clock.call_at(5.0, lambda _t: app.stop.request("the test's end"))
    app.run()
    assert same_image(shot["image"], renewed)


@pytest.mark.parametrize("days_ago, reused", [(3, True), (REUSE_MAXIMUM_DAYS + 1, False)])
@pytest.mark.slow
def test_a_programme_that_does_not_calibrate_takes_a_maximum_of_the_last_days_not_three_maximal_lifts(
        tmp_path, capsys, days_ago, reused):
    """A physiotherapist's trial: her gentle programme of `calibrate = false` for a man after
    prostate surgery began every day with three maximal lifts (004: "start je met zachte
    bekkenbodemactivatie"), as `micro` does on a day's first use. The last maximum measured in
    REUSE_MAXIMUM_DAYS is taken instead; an older one is measured again."""
    state, run, _ = _one_session_then(tmp_path, "UPDATE maximum SET day = date(day, ?)", (f"-{days_ago} days",))
    db = sqlite3.connect(state / "pftrainer.db")
    [(kept_kpa,)] = db.execute("SELECT max_drop_kpa FROM maximum").fetchall()
    db.close()
    capsys.readouterr()
    assert main(run) == 0
    err = capsys.readouterr().err
    assert (f"settings: calibrate = false: the maximum of the last {REUSE_MAXIMUM_DAYS} days, {kept_kpa:.3f} kPa"
            in err) is reused, err
    summary = json.loads((state / "recordings" / "session-00002.summary.json").read_text())
    assert any(cue == "calibrate_max" for _, cue in summary["cues"]) is not reused
    assert not reused or summary["max_drop_kpa"] == round(kept_kpa, 3)


@pytest.mark.slow
def test_a_damaged_maximum_of_today_is_measured_again_as_said_not_taken_from_an_earlier_day(tmp_path, capsys):
    """Review 73a: today's stored maximum damaged, the log said "measuring it again" -- and `micro`, which
    takes a maximum of the last days, took an earlier day's without measuring."""
    state, run, _ = _one_session_then(tmp_path, "UPDATE maximum SET max_drop_kpa = ?", ("x",))
    db = sqlite3.connect(state / "pftrainer.db")
    with db:
        db.execute("INSERT INTO maximum (profile, day, max_drop_kpa) SELECT profile, date(day, '-2 days'), 1.5 "
                   "FROM maximum")
    db.close()
    capsys.readouterr()
    assert main(run) == 0
    err = capsys.readouterr().err
    assert "measuring it again" in err and "calibrate = false" not in err, err
    summary = json.loads((state / "recordings" / "session-00002.summary.json").read_text())
    assert any(cue == "calibrate_max" for _, cue in summary["cues"])
