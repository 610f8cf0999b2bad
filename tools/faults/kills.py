"""The kill campaign: `pftrainer run --sim` killed at random moments (SIGKILL or SIGTERM)
and started again on the same state directory; a last run to its end proves the
restart. `audit.Auditor` keeps the books."""

from __future__ import annotations

import random
import signal
import sys
import time
from pathlib import Path

from tools.faults.audit import Auditor
from tools.faults.runs import run_sim
from tools.faults.table import Part

SESSIONS_PER_RUN = 5          # more than a run can do before it is killed
FINAL_RUN_TIMEOUT_S = 180.0
FINAL = "the last restart, run to its end"


def kill_campaign(work: Path, config: Path, rng: random.Random, part: Part, *, kills: int,
                  max_delay_s: float) -> None:
    """`kills` runs on one state directory, each killed `0.2`..`max_delay_s` s after its start."""
    books = Auditor(work / "kill-state", part)
    for k in range(kills):
        sig = rng.choice((signal.SIGKILL, signal.SIGTERM))
        delay_s = rng.uniform(0.2, max_delay_s)
        before = sorted(set(books.session_ids()) | set(books.due))
        proc = run_sim(books.state, config, work / "kill-logs" / f"{k:03d}", sessions=SESSIONS_PER_RUN,
                       seed=rng.randrange(10_000))
        part.runs += 1
        time.sleep(delay_s)
        if not proc.running:
            result = proc.wait(0)
            books.note(f"run ended before its {sig.name} ({result.outcome()})", failing=False)
        else:
            result = proc.stop(sig)
            part.sigkill += sig == signal.SIGKILL
            part.sigterm += sig == signal.SIGTERM
        reported = books.check(result, sig.name, before)
        print(f"  kill {k + 1}/{kills}: {sig.name} after {delay_s:.1f} s, {result.outcome()}, "
              f"{reported} reps reported", file=sys.stderr)
    before = sorted(set(books.session_ids()) | set(books.due))
    result = run_sim(books.state, config, work / "kill-logs" / "final", sessions=1,
                     seed=rng.randrange(10_000)).wait(FINAL_RUN_TIMEOUT_S)
    part.runs += 1
    books.check(result, FINAL, before)
    if result.exit_code != 0:
        books.note(f"{FINAL} did not complete its session")
    books.close()
