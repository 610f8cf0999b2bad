"""The writer thread: jobs in order off the caller's thread, nothing dropped, failures reported."""

import threading
import time

import pytest

from device.storage import Store
from device.writer import StorageError, Writer
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


def test_a_full_queue_makes_the_caller_wait_instead_of_dropping():
    writer = Writer(max_jobs=2)
    gate = threading.Event()
    done = []
    writer.submit(gate.wait)                         # a stalled job ...
    threading.Timer(0.05, gate.set).start()           # ... that goes on after a while
    for i in range(5):
        writer.submit(lambda i=i: done.append(i))
    writer.close()
    assert done == list(range(5))


def test_a_failed_job_stops_the_later_ones_and_is_reported():
    writer = Writer()
    done = []
    writer.submit(lambda: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    writer.submit(lambda: done.append("after"))
    with pytest.raises(StorageError, match="No space left"):
        writer.drain()
    assert done == []


def test_a_rep_is_committed_within_a_second_while_the_caller_goes_on(tmp_path):
    store = Store(tmp_path)
    session = store.start_session("2024-01-01T10:00:00", "kracht", None)
    started_s = time.monotonic()
    store.add_rep(session, RepScore(1, 1, None, RelaxationScore(score=80.0)))
    returned_s = time.monotonic() - started_s
    reader = Store(tmp_path)
    deadline_s = time.monotonic() + 1.0
    while reader.sessions() == [] or reader.sessions()[0]["reps"] == 0:
        assert time.monotonic() < deadline_s, "the rep was not committed within a second"
        time.sleep(0.01)
    assert returned_s < 0.05                       # the caller did not wait for the fsync
    store.close()
    reader.close()
