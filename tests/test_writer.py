"""The writer thread: jobs in order off the caller's thread, never waited for, failures tried again."""

import errno
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from device.appending import TextFile
from device.reserve import Reserve
from device.storage import Store
from device.writer import FULL, LOCKED, StorageUnfinished, Writer
from session.coach import RelaxationScore, RepScore


def test_jobs_run_in_order_on_another_thread():
    writer = Writer()
    done = []
    for i in range(50):
        writer.submit(lambda i=i: done.append((i, threading.current_thread().name)))
    writer.drain()
    assert [i for i, _ in done] == list(range(50))
    assert {name for _, name in done} == {"writer"}
    writer.close()


def test_a_stalled_writer_never_makes_the_caller_wait():
    """Every job is handed over while the writer is still stuck on the first one: submit
    never waits for the writer (no timing: a caller that waited would never get through)."""
    writer = Writer()
    gate = threading.Event()
    done = []
    writer.submit(gate.wait)                         # a stalled job ...
    handed_over = threading.Event()

    def caller():
        for i in range(2000):
            writer.submit(lambda i=i: done.append(i))
        handed_over.set()
    threading.Thread(target=caller, daemon=True).start()
    assert handed_over.wait(30.0)
    assert not done                                  # nothing ran yet: the writer is still stuck
    gate.set()                                       # ... that goes on after a while
    writer.close()
    assert done == list(range(2000))


class FailsAtFirst:
    """A job that fails with `error` until `works` is set."""

    def __init__(self, error, done, name):
        self.error, self.done, self.name = error, done, name
        self.works = False
        self.tries = 0

    def __call__(self):
        self.tries += 1
        if not self.works:
            raise self.error
        self.done.append(self.name)


def locked_error() -> sqlite3.OperationalError:
    """The error SQLite raises when another process holds the database's lock."""
    holder, path = None, None
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/x.db"
        holder = sqlite3.connect(path)
        holder.execute("CREATE TABLE t (x)")
        holder.commit()
        holder.execute("BEGIN EXCLUSIVE")
        try:
            sqlite3.connect(path, timeout=0).execute("SELECT * FROM t")
        except sqlite3.OperationalError as e:
            return e
        finally:
            holder.close()
    raise AssertionError("the database was not locked")


def wait_until(condition, timeout_s: float, why: str) -> None:
    """Poll `condition` every 10 ms; fail with `why` when it does not hold within `timeout_s`."""
    deadline_s = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline_s, why
        time.sleep(0.01)


def test_a_failing_job_is_tried_again_and_its_lane_waits_but_not_the_other():
    writer = Writer()
    done = []
    database_job = FailsAtFirst(locked_error(), done, "row")
    writer.submit(database_job, database=True)
    writer.submit(lambda: done.append("later row"), database=True)
    writer.submit(lambda: done.append("file"))
    wait_until(lambda: "file" in done and database_job.tries >= 3, 2.0,
               "the file job waited for the database, or no retries")
    assert done == ["file"] and writer.trouble.kind == LOCKED
    database_job.works = True
    writer.drain()
    assert done == ["file", "row", "later row"] and writer.trouble is None
    writer.close()


def test_a_row_goes_ahead_of_failing_file_jobs_but_one_that_points_at_a_file_waits_for_them():
    writer = Writer()
    done = []
    file_job = FailsAtFirst(OSError(errno.ENOSPC, "No space left on device", "recording.csv"), done, "file")
    writer.submit(file_job)
    writer.submit(lambda: done.append("recording named"), database=True, after_files=True)
    writer.submit(lambda: done.append("rep row"), database=True)
    with pytest.raises(StorageUnfinished, match="2 writes not done after 0.3 s: recording.csv: No space left"):
        writer.drain(timeout_s=0.3)
    assert done == ["rep row"] and writer.trouble.kind == FULL and file_job.tries >= 3
    file_job.works = True
    writer.close()
    assert done == ["rep row", "file", "recording named"]


def test_a_file_job_that_speaks_of_rows_waits_for_them_but_other_file_jobs_do_not():
    """The cue log's *rep done* waits for the rep's row (a database locked for a while);
    the recording's bytes go on."""
    writer = Writer()
    done = []
    row = FailsAtFirst(locked_error(), done, "rep row")
    writer.submit(row, database=True)
    writer.submit(lambda: done.append("rep done in the cue log"), after_database=True)
    writer.submit(lambda: done.append("recording bytes"))
    wait_until(lambda: "recording bytes" in done and row.tries >= 3, 2.0,
               "the recording waited for the database, or no retries")
    assert done == ["recording bytes"]
    row.works = True
    writer.close()
    assert done == ["recording bytes", "rep row", "rep done in the cue log"]


def test_a_job_that_points_at_files_waits_for_every_file_job_before_it_however_it_came():
    """The fault campaign: a session's folder was removed (its store job waits for the files
    before it) while the cue log's last lines -- a file job handed on by the database lane --
    stood behind later file jobs, so they failed on the missing folder for good, and every
    later write waited behind them (reps reported, lost at a kill)."""
    writer = Writer()
    done, go = [], threading.Event()
    writer.submit(lambda: (go.wait(5), done.append("rep row")), database=True)
    writer.submit(lambda: done.append("cue log's last lines"), after_database=True)
    writer.submit(lambda: done.append("recording"))
    writer.submit(lambda: done.append("folder removed"), database=True, after_files=True)
    writer.submit(lambda: done.append("next session's recording"))
    go.set()
    writer.close()
    assert done.index("cue log's last lines") < done.index("folder removed")
    assert done.index("recording") < done.index("folder removed")


def test_a_job_that_points_at_files_waits_for_one_handed_on_that_fails_for_a_while():
    """The same, the database locked while the session ended (the folder's job handed on to
    the database lane first) and the cue log's write failing for a moment once there."""
    writer = Writer()
    done = []
    row = FailsAtFirst(locked_error(), done, "rep row")
    cue = FailsAtFirst(OSError(errno.EIO, "Input/output error", "cues.jsonl"), done, "cue log's last lines")
    writer.submit(row, database=True)
    writer.submit(cue, after_database=True)
    writer.submit(lambda: done.append("folder removed"), database=True, after_files=True)
    wait_until(lambda: row.tries >= 2, 2.0, "no retries")
    row.works = True
    wait_until(lambda: cue.tries >= 2, 2.0, "the cue log was not tried")
    assert "folder removed" not in done
    cue.works = True
    writer.close()
    assert done == ["rep row", "cue log's last lines", "folder removed"]


def test_a_rep_row_goes_ahead_of_a_held_job_that_points_at_files_while_the_disk_is_full():
    """The review of the above: a folder's job held for the cue log's lines, those behind a
    recording that waits for room, kept the next rep's row waiting until the disk had room."""
    writer = Writer()
    done = []
    row = FailsAtFirst(locked_error(), done, "row before")
    recording = FailsAtFirst(OSError(errno.ENOSPC, "No space left on device", "rec.csv.gz"), done, "recording")
    writer.submit(row, database=True)
    writer.submit(lambda: done.append("cue log's last lines"), after_database=True)
    writer.submit(lambda: done.append("folder removed"), database=True, after_files=True)
    writer.submit(recording)
    wait_until(lambda: row.tries >= 1 and recording.tries >= 1, 2.0, "no tries")
    row.works = True
    writer.submit(lambda: done.append("rep row"), database=True)
    wait_until(lambda: "rep row" in done, 1.0, "the rep's row waited for room on the disk")
    assert "folder removed" not in done
    recording.works = True
    writer.close()
    assert done.index("cue log's last lines") < done.index("folder removed")


def full_database_error() -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("database or disk is full")
    error.sqlite_errorcode = sqlite3.SQLITE_FULL
    return error


def test_a_full_disk_frees_the_reserve_for_the_database_and_file_jobs_wait_until_it_is_made_again(tmp_path):
    reserve = Reserve(tmp_path / "pftrainer.reserve", size_bytes=64 * 1024)
    writer = Writer()
    writer.keep_reserve(reserve)
    writer.drain()
    assert (tmp_path / "pftrainer.reserve").stat().st_size == 64 * 1024
    done = []
    room = threading.Event()
    make = reserve.make

    def make_when_there_is_room():
        if not room.is_set():
            raise OSError(errno.ENOSPC, "No space left on device", str(reserve.path))
        make()
    reserve.make = make_when_there_is_room
    row = FailsAtFirst(full_database_error(), done, "row")
    reserve.free = lambda free=reserve.free: setattr(row, "works", True) or free()     # the room it needed
    writer.submit(row, database=True)
    writer.submit(lambda: done.append("recording bytes"))
    with pytest.raises(StorageUnfinished, match="1 writes not done"):
        writer.drain(timeout_s=0.3)
    assert done == ["row"] and not reserve.path.exists() and writer.trouble.kind == FULL
    room.set()
    writer.close()
    assert done == ["row", "recording bytes"] and reserve.path.stat().st_size == 64 * 1024


def test_files_waiting_for_the_reserve_are_named_when_the_writer_gives_up(tmp_path):
    """A trial: on a nearly full disk the file writes wait for the database's reserve, and
    the "writes not done" line named no file; it names the file whose write waits first,
    then every other file still waiting -- never the reserve, the writer's own file."""
    reserve = Reserve(tmp_path / "pftrainer.reserve", size_bytes=64 * 1024)
    writer = Writer()
    writer.keep_reserve(reserve)
    writer.drain()
    reserve.free()                                     # the database took it: no room to make it again

    def no_room():                                     # as opening the reserve's part file says it
        raise OSError(errno.ENOSPC, "No space left on device", f"{reserve.path}.part")
    reserve.make = no_room
    recording, cues = TextFile(writer, tmp_path / "recording.csv"), TextFile(writer, tmp_path / "cues.jsonl")
    recording.append("0.0040,2.50100\n")
    cues.append("{}\n")
    with pytest.raises(StorageUnfinished) as unfinished:
        writer.drain(timeout_s=0.3)
    assert str(unfinished.value) == (f"4 writes not done after 0.3 s: {recording.path}: No space left on device; "
                                     f"not finished either: {cues.path}")
    assert writer.trouble.message == f"{recording.path}: No space left on device"     # the device's log says it too
    reserve.make = lambda: None
    writer.close()
    assert recording.path.read_text() == "0.0040,2.50100\n"


@pytest.mark.parametrize("filename, message", [
    ("{tmp}/summary.json.part", "{tmp}/summary.json.part: No space left on device (writing {tmp}/summary.json, "
                                "{tmp}/recording.csv.gz)"),
    ("{tmp}/summary.json", "{tmp}/summary.json: No space left on device (writing {tmp}/recording.csv.gz)"),
    (None, "{tmp}/summary.json, {tmp}/recording.csv.gz: No space left on device"),
])
def test_a_file_jobs_own_failure_names_its_file_and_the_jobs_other_files(tmp_path, filename, message):
    """The file a failed write names is kept (a part file, say), with the job's other files
    beside it; a failure naming no file names the job's files."""
    writer = Writer()
    files = (tmp_path / "summary.json", tmp_path / "recording.csv.gz")
    named = None if filename is None else filename.format(tmp=tmp_path)

    def full():
        raise OSError(errno.ENOSPC, "No space left on device", named)
    writer.submit(full, files=files)
    with pytest.raises(StorageUnfinished) as unfinished:
        writer.drain(timeout_s=0.2)
    assert writer.trouble.message == message.format(tmp=tmp_path)
    assert str(unfinished.value) == f"1 writes not done after 0.2 s: {message.format(tmp=tmp_path)}"


@pytest.mark.slow
def test_files_behind_a_failing_database_or_a_slow_write_are_named_not_finished(tmp_path):
    """The other forms of the line: the database's trouble, then the files waiting behind
    it; a write too slow with nothing failing, then the files not finished."""
    writer = Writer()
    locked = FailsAtFirst(sqlite3.OperationalError("database is locked"), [], "row")
    writer.submit(locked, database=True)
    writer.submit(lambda: None, after_database=True, files=(tmp_path / "cues.jsonl",))
    with pytest.raises(StorageUnfinished) as unfinished:
        writer.drain(timeout_s=0.2)
    assert str(unfinished.value) == f"2 writes not done after 0.2 s: database is locked; not finished: {tmp_path}/cues.jsonl"
    locked.works = True
    writer.drain()
    gate = threading.Event()
    writer.submit(gate.wait, files=(tmp_path / "recording.csv.gz",))
    with pytest.raises(StorageUnfinished) as unfinished:
        writer.drain(timeout_s=0.2)
    assert str(unfinished.value) == f"1 writes not done after 0.2 s; not finished: {tmp_path}/recording.csv.gz"
    gate.set()
    writer.close()


def test_many_files_not_finished_are_counted_in_their_folder_relative_paths_too(tmp_path, monkeypatch):
    """More than LISTED_FILES files waiting: a count and the folder they share -- also beside a
    relative path (`sim --out run1` with an absolute state directory: a review's probe raised
    "Can't mix absolute and relative paths" from the line meant to report the full disk)."""
    monkeypatch.chdir(tmp_path)
    writer = Writer()
    gate = threading.Event()
    writer.submit(gate.wait, files=(tmp_path / "state" / "a.json",))
    writer.submit(lambda: None, files=(Path("run1") / "cues.jsonl", Path("run1") / "summary.json",
                                       tmp_path / "state" / "b.json", tmp_path / "state" / "c.json"))
    with pytest.raises(StorageUnfinished) as unfinished:
        writer.drain(timeout_s=0.2)
    assert str(unfinished.value) == f"2 writes not done after 0.2 s; not finished: 5 files in {tmp_path}"
    assert len(unfinished.value.files) == 5
    gate.set()
    writer.close()


def test_a_rep_is_committed_within_a_second_while_the_caller_goes_on(tmp_path):
    store = Store(tmp_path)
    session = store.start_session("2024-01-01T10:00:00", "kracht", None)
    started_s = time.monotonic()
    store.add_rep(session, RepScore(1, 1, None, RelaxationScore(score=80.0)))
    returned_s = time.monotonic() - started_s
    reader = Store(tmp_path, read_only=True)
    wait_until(lambda: reader.sessions() != [] and reader.sessions()[0]["reps"] > 0, 1.0,
               "the rep was not committed within a second")
    assert returned_s < 0.05                       # the caller did not wait for the fsync
    store.close()
    reader.close()


def test_a_bug_in_a_job_stops_the_writer_and_is_raised_as_that_bug_not_as_storage_trouble():
    """A bug in a job (not the disk, not the database) stops the writer -- nothing after it is
    done -- and reaches the caller as itself, with its traceback: the command must not
    report it as bad input (exit 2) or as storage trouble."""
    writer = Writer()
    done = []

    def buggy():
        return {}["missing"]
    writer.submit(buggy)
    writer.submit(lambda: done.append("after"))
    with pytest.raises(KeyError, match="missing") as caught:
        writer.drain(5.0)
    assert not isinstance(caught.value, OSError)
    assert any(frame.name == "buggy" for frame in caught.traceback)
    assert done == []
    with pytest.raises(KeyError):
        writer.submit(lambda: None)                # stopped: nothing more is taken
