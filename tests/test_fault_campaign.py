"""The fault campaign's own parts (tools/faults): its books, its fuzzing and its table.
The campaign itself runs with `make faults`, not here."""

import gzip
import json
import random
import sqlite3
import time
import tomllib

import pytest

from device.storage import Store
from session.programme import BUILTIN_DIR
from tools.faults import fuzz_worker
from tools.faults.audit import Auditor
from tools.faults.ledger import match_sessions, reported_sessions
from tools.faults.mutate import mutate_bytes, mutate_toml, random_recording, to_toml
from tools.faults.runs import RunResult
from tools.faults.table import Part, format_table
from test_storage import write_recording

RECORDING = ("# pftrainer-recording v1\nt,perineal_kpa,seat_left_kg,seat_right_kg\n"
             "0.0000,2.50000,30.000,30.000\n0.0040,2.50100,30.000,30.000\n")
LOG = """pftrainer running on the simulator with strong; history in x
  [      0.0 s] idle: menu
  [      5.1 s] session: kracht
  [    117.3 s] session done: 5 reps, contraction 97.5, 0 bear-down warnings
  [    123.0 s] idle: menu
  [    160.1 s] session: kracht
"""


class StubSummary:
    duration_s = 1.0

    def as_dict(self):
        return {"duration_s": self.duration_s}


def state_with_sessions(state, reps, recording=RECORDING):
    """A state directory whose sessions hold `reps[i]` reps each, the first one finished with `recording`."""
    store = Store(state)
    refs = [store.start_session("2026-11-30T10:00:00", "kracht", None) for _ in reps]
    source = state / "source.csv.gz"
    write_recording(source, recording)
    store.finish_session(refs[0], StubSummary(), [], source)
    store.close()
    with sqlite3.connect(state / "pftrainer.db") as db:
        for ref, n in zip(refs, reps):
            db.executemany("INSERT INTO rep (session_id, series, rep, detail_json) VALUES (?, 1, ?, '{}')",
                           [(ref.id, k) for k in range(n)])
    return [ref.id for ref in refs]


def test_the_log_and_the_cue_log_tell_the_reps_reported(tmp_path):
    assert [(s.reps, s.done) for s in reported_sessions(LOG)] == [(5, True), (0, False)]
    (tmp_path / "sessions" / "session-00007").mkdir(parents=True)      # an older one, stored whole
    current = tmp_path / "sessions" / "session-00008"
    current.mkdir()
    started_ns = time.time_ns() - 10**9       # a file's mtime comes from a coarse clock: up to a tick behind
    (current / "cues.jsonl").write_text(
        json.dumps({"t": 1.0, "channel": "oled", "cue": "rep_done"}) + "\n"
        + json.dumps({"t": 2.0, "channel": "oled", "cue": "rep_done"}) + '\n{"t": 3.0, "chan')   # cut by the kill
    matched = match_sessions(LOG, started_ns, tmp_path, [7])
    assert [(sid, s.reps) for sid, s in matched] == [(7, 5), (None, 2)]
    assert match_sessions(LOG, time.time_ns() + 10**12, tmp_path, [7])[1][1].reps == 0   # an older cue log


def test_a_session_killed_after_saying_done_reported_the_reps_its_cue_log_shows_as_kept(tmp_path):
    """`session done: 5 reps` is printed as the last rep goes to the writer; SIGKILL before
    the session's folder was cleared: what its cue log shows as done (written after each
    rep's commit) is what was reported as kept."""
    log = LOG.rsplit("  [    123.0 s]", 1)[0]          # the run ends in the first session's summary
    current = tmp_path / "sessions" / "session-00007"
    current.mkdir(parents=True)
    (current / "cues.jsonl").write_text("".join(
        json.dumps({"t": float(k), "channel": "oled", "cue": "rep_done"}) + "\n" for k in range(4)))
    started_ns = time.time_ns() - 10**9
    assert [(sid, s.reps) for sid, s in match_sessions(log, started_ns, tmp_path, [7], killed=True)] == [(7, 4)]
    assert [(sid, s.reps) for sid, s in match_sessions(log, started_ns, tmp_path, [7])] == [(7, 5)]


def test_a_session_done_before_the_one_killed_reported_what_its_own_cue_log_shows(tmp_path):
    """The fault campaign: a run killed in its third session, the writer still a second behind
    (the start's tidying): the second session had said `session done: 5 reps` with one of
    them committed, the third had neither row nor folder yet -- and the second session's cue
    log was read as the third's, the second held to 5; a third that said `session done` with
    neither row nor folder yet, a fourth under way, said nothing was kept."""
    log = LOG.replace("  [    160.1 s] session: kracht\n", "  [    160.1 s] session: kracht\n"
                      "  [    270.0 s] session done: 5 reps, contraction 96.0, 0 bear-down warnings\n"
                      "  [    300.0 s] session: kracht\n"
                      "  [    410.0 s] session done: 5 reps, contraction 96.0, 0 bear-down warnings\n"
                      "  [    450.0 s] session: kracht\n")
    started_ns = time.time_ns() - 10**9
    for sid, shown in ((7, 5), (8, 1)):
        folder = tmp_path / "sessions" / f"session-{sid:05d}"
        folder.mkdir(parents=True)
        (folder / "cues.jsonl").write_text("".join(
            json.dumps({"t": float(k), "channel": "oled", "cue": "rep_done"}) + "\n" for k in range(shown)))
    matched = match_sessions(log, started_ns, tmp_path, [7, 8], killed=True)
    assert [(sid, s.reps) for sid, s in matched] == [(7, 5), (8, 1), (None, 0), (None, 0)]


def test_the_books_count_lost_reps_unreadable_recordings_and_leftovers(tmp_path):
    state = tmp_path / "state"
    ids = state_with_sessions(state, [5, 2])
    part = Part("test")
    books = Auditor(state, part)
    books.check(RunResult(-9, "", LOG, time.time_ns()), "SIGKILL", before=[])   # says 5 done, 0 so far
    assert (part.reps_reported, part.reps_lost) == (5, 0)
    books.check(RunResult(0, "", LOG.replace("5 reps", "7 reps"), time.time_ns()), "SIGTERM", before=ids[:1])
    assert part.reps_lost == 0                       # 7 reported for the 2nd session, which holds 2: due
                                                     # from the next start (which closes what was left)
    stored = state / "recordings" / f"session-{ids[0]:05d}.csv.gz"
    stored.write_bytes(stored.read_bytes()[:-12])    # the end of the gzip stream lost
    (state / "recordings" / "session-00099.csv.gz").write_bytes(gzip.compress(RECORDING.encode()))
    (state / "recordings" / "session-00100.csv.gz.part").write_bytes(b"\x1f\x8b")
    books.close()
    assert part.reps_lost == 5                       # no start stored them
    assert part.recordings_lost == 2                 # unreadable, and the 2nd session's is due (done) and missing
    assert (part.orphans, part.partial) == (1, 1)
    assert part.failed
    texts = [f.text for f in part.findings]
    assert any("unreadable" in t and "truncated" in t for t in texts)
    assert any("no recording kept: the device said the session was done" in t for t in texts)


def test_a_recording_never_given_room_is_not_due_when_the_run_said_so(tmp_path):
    state = tmp_path / "state"
    state_with_sessions(state, [5, 0])
    both_done = LOG + "  [    220.0 s] session done: 0 reps, contraction 0.0, 0 bear-down warnings\n"
    said_full = "pftrainer: storage: 9 writes not done after 4 s: No space left on device\n"
    full_to_the_end, part = Part("room"), Part("no room")
    for log, tally in ((both_done + said_full, full_to_the_end), (both_done, part)):
        books = Auditor(state, tally)
        books.check(RunResult(1, "", log, time.time_ns()), "full", before=[])
        books.close()
    assert full_to_the_end.recordings_lost == 0 and not full_to_the_end.failed
    assert part.recordings_lost == 1                 # said done, no recording, and no word why
    assert full_to_the_end.findings[0].text.endswith("the run said so")


def test_a_database_damaged_on_purpose_is_a_note_not_a_crash(tmp_path):
    state = tmp_path / "state"
    state_with_sessions(state, [1])
    for leftover in state.glob("pftrainer.db-*"):   # the WAL would still show the sessions
        leftover.unlink()
    (state / "pftrainer.db").write_bytes(b"garbage" * 1000)
    part = Part("test")
    books = Auditor(state, part, damaged=True)
    assert books.session_ids() == []
    books.check(RunResult(2, "", "pftrainer: file is not a database\n", time.time_ns()), "run", before=[])
    books.close()
    assert not part.failed and any("cannot be read" in f.text for f in part.findings)


def test_a_run_that_fails_must_say_why_in_one_line():
    def result(code, log):
        return RunResult(code, "", log, 0)
    assert not result(2, "pftrainer running ...\n  [ 1.0 s] idle\npftrainer: storing failed: full\n").unclear
    assert result(2, "").unclear
    assert result(1, "pftrainer: one\npftrainer: two\n").unclear
    assert result(0, "Traceback (most recent call last):\n  x\n").tracebacks == 1


@pytest.mark.parametrize("seed_file", sorted(BUILTIN_DIR.glob("*.toml")) + [BUILTIN_DIR.parent.parent / "device" /
                                                                             "pftrainer.toml"], ids=lambda p: p.name)
def test_toml_is_written_back_as_it_was_read(seed_file):
    data = tomllib.loads(seed_file.read_text())
    assert tomllib.loads(to_toml(data)) == data


@pytest.mark.slow
def test_mutations_are_repeatable_for_a_seed_and_never_alias_their_pool():
    seed = (BUILTIN_DIR / "basis.toml").read_text()
    a, b = random.Random(5), random.Random(5)
    for _ in range(60):                              # values taken from the pool are copies: no cycles
        assert mutate_toml(a, seed, rounds=3) == mutate_toml(b, seed, rounds=3)
    assert mutate_bytes(random.Random(1), b"abc 12.5\n" * 20) == mutate_bytes(random.Random(1), b"abc 12.5\n" * 20)
    assert random_recording(random.Random(2)).startswith(b"# pftrainer-recording v1\n")


def test_a_fuzz_case_is_success_one_clear_line_or_a_finding(tmp_path, monkeypatch):
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text("[adc]\ndata_rate_sps = 860\n")
    bad.write_text("[adc]\ndata_rate_sps = 900\n")
    assert fuzz_worker.run_case(["--config", str(good), "config"], 10)[0] == "ok"
    kind, line = fuzz_worker.run_case(["--config", str(bad), "config"], 10)
    assert kind == "clear" and "data_rate_sps" in line

    def crash(argv):
        raise ZeroDivisionError("boom")
    monkeypatch.setattr(fuzz_worker, "pftrainer_main", crash)
    kind, detail = fuzz_worker.run_case([], 10)
    assert kind == "traceback" and "ZeroDivisionError: boom" in detail

    def chatty(argv):
        print("pftrainer: one\npftrainer: two", file=__import__("sys").stderr)
        return 2
    monkeypatch.setattr(fuzz_worker, "pftrainer_main", chatty)
    assert fuzz_worker.run_case([], 10)[0] == "unclear"


def test_a_fuzz_case_that_does_not_end_is_a_hang(monkeypatch):
    import signal
    monkeypatch.setattr(fuzz_worker, "pftrainer_main", lambda argv: time.sleep(60))
    previous = signal.signal(signal.SIGALRM, fuzz_worker._on_alarm)
    try:
        assert fuzz_worker.run_case([], 0.05)[0] == "hang"
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_the_table_shows_every_part_and_fails_on_a_loss():
    kills = Part("kill campaign", runs=51, sigkill=26, sigterm=25, reps_reported=120)
    full = Part("full filesystem", skipped="no tmpfs (mount -t tmpfs not permitted)")
    fuzz = Part("fuzz: config", fuzz_cases=900)
    fuzz.find("900 loaded", failing=False)
    table = format_table([kills, full, fuzz])
    assert "kill campaign" in table and "26/25" in table and "0 of 120" in table
    assert "skipped: no tmpfs" in table and "note  fuzz: config: 900 loaded" in table
    assert not any(p.failed for p in (kills, full, fuzz))
    kills.reps_lost = 1
    assert kills.failed


@pytest.mark.slow
def test_damaged_cells_of_a_kept_history_are_read_or_refused_in_one_line(tmp_path):
    """The history loader of the fuzz: cells of a sound database damaged (`mutate_database`),
    then history, report or export -- before the readers took every value through
    `device.stored_values`, a profile or an event's time of text crashed them."""
    from test_export_edf import EVENTS, SUMMARY, keep_sessions, on_grid_session
    seed_state = tmp_path / "seed"
    keep_sessions(seed_state, tmp_path, [(on_grid_session()[0], EVENTS, SUMMARY, "2026-11-30T10:00:00")])
    cases = fuzz_worker.HistoryCases(tmp_path / "case", tmp_path / "none.toml", seed_state)
    (tmp_path / "none.toml").write_text("")
    rng = random.Random(4)
    (tmp_path / "case").mkdir()
    programmes = fuzz_worker.ProgrammeCases(tmp_path / "case", tmp_path / "none.toml")   # the folder they share
    outcomes = [fuzz_worker.run_case(cases.make(rng), 20) for _ in range(40)]
    assert [o for o in outcomes if o[0] not in ("ok", "clear")] == []
    assert sum(kind == "ok" for kind, _ in outcomes) >= 20
    assert [detail for _, detail in outcomes if "no folder" in detail] == []     # the outputs' folder is made
    assert programmes.case_config.exists()       # a history case once removed the other loaders' inputs
