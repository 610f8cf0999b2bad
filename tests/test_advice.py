"""Brochure 004's rule (issue 14): after weeks of regular training without improvement beyond
the measurement's own spread, the device says plainly that a pelvic physiotherapist can help.
The rule at the logic level; the device with a history of six weeks behind it. (Eight whole
simulated weeks, from the first session on: `python -m bench.weeks`.)"""

import datetime
import json
import sqlite3

import pytest

from device.cli import main
from device.storage import Store
from session.advice import MIN_DAYS_APART, REGULAR_DAYS, Measured, improved, regular_weeks, see_physio

TODAY = datetime.date(2026, 11, 30)


def measured(days_ago, max_kpa=0.45, spread=0.01, endurance_s=50.0, holds=2, flicks=4):
    return Measured(TODAY - datetime.timedelta(days=days_ago), max_kpa, spread, endurance_s, holds, flicks)


def trained(every_days=1, weeks=6):
    return {TODAY - datetime.timedelta(days=d) for d in range(0, 7 * weeks, every_days)}


@pytest.mark.parametrize("last, better", [
    (measured(0, max_kpa=0.46), False),                  # within twice the spread and 12 %
    (measured(0, max_kpa=0.50), False),                  # 11 %: within one floor's own spread
    (measured(0, max_kpa=0.51), True),
    (measured(0, endurance_s=50.0 + 35.0), True),        # 35 s longer
    (measured(0, endurance_s=50.0 + 30.0), False),       # 30 s: within E's own spread
    (measured(0, holds=5, flicks=6), True),              # 5 more done well
    (measured(0, holds=4, flicks=6), False),             # 4: within the counts' own spread
])
def test_an_improvement_must_exceed_the_measurements_own_spread(last, better):
    assert improved(measured(42), last) is better
    assert improved(measured(42, spread=0.05), measured(0, max_kpa=0.50)) is False     # a spread of 0.05 kPa


@pytest.mark.parametrize("persona", ["weak_postpartum", "prostate"])
def test_two_assessments_of_an_unchanged_floor_are_never_an_improvement(persona):
    """The physiotherapist's trial: weak_postpartum, its power falling (0.45 -> 0.42 kPa), was
    judged improved on one more hold done well and one more quick squeeze, and the advice never
    came. The same body assessed again (another seed) differs by up to 25 s in E, 10.4 % in its
    maximum (weak_postpartum's seed 9 against its seed 1) and 4 in the counts: the rule must not
    take that for progress."""
    from coached import coached

    day = datetime.date(2026, 11, 1)
    assessed = [Measured.of(day, coached("meting", persona, seed=seed).assessment) for seed in (0, 1, 2, 3, 9)]
    assert not any(improved(a, b) for a in assessed for b in assessed if a is not b)


def test_regular_training_is_counted_in_weeks_of_enough_days():
    assert regular_weeks(trained(every_days=1), TODAY) == 6
    assert regular_weeks(trained(every_days=2), TODAY) == 3          # 3 or 4 days a week: the 4s count
    assert regular_weeks(trained(every_days=7), TODAY) == 0
    assert REGULAR_DAYS == 4


def test_six_weeks_of_regular_training_without_improvement_brings_the_advice():
    flat = [measured(42), measured(28), measured(14), measured(0, max_kpa=0.44)]
    assert see_physio(flat, trained(), TODAY)
    assert not see_physio(flat[:-1] + [measured(0, max_kpa=0.6)], trained(), TODAY)       # it works
    assert not see_physio(flat, trained(every_days=3), TODAY)        # not trained regularly: not yet
    recent = [measured(MIN_DAYS_APART - 1), measured(0)]
    assert not see_physio(recent, trained(), TODAY)                  # too soon to tell
    assert not see_physio([measured(0)], trained(), TODAY)


def seed_history(state, first_max_kpa):
    """Six weeks of daily kracht sessions, with an assessment at their start, the last one ending
    at midnight two days from now. The simulator's calendar goes on from the last session kept, so
    the session the test runs falls on that day whatever the host's clock does meanwhile (seeded
    up to today, a run that went past midnight found the history a day older)."""
    day = datetime.date.today() + datetime.timedelta(days=2)
    with Store(state):
        pass
    db = sqlite3.connect(state / "pftrainer.db")
    with db:
        for n, days_ago in enumerate(range(42, 0, -1), start=1):
            started = (day - datetime.timedelta(days=days_ago)).isoformat() + "T23:58:00"   # 120 s long
            summary = {"perfect": {"power": 0.4}}
            program = "kracht"
            if days_ago == 42:
                program = "meting"
                summary["assessment"] = {"max_kpa": first_max_kpa, "max_spread_kpa": 0.01, "endurance_s": 60.0,
                                         "holds_good": 2, "flicks_half": 5, "holds": 5, "flicks": 5}
            db.execute("INSERT INTO session (id, started_at, program, completed, duration_s, summary_json) "
                       "VALUES (?, ?, ?, 1, 120.0, ?)", (n, started, program, json.dumps(summary)))
    db.close()


@pytest.mark.parametrize("first_max_kpa, advised", [(0.42, True), (0.30, False)])
def test_the_device_advises_a_physiotherapist_after_an_assessment_shows_no_progress(
        tmp_path, capsys, first_max_kpa, advised):
    """weak_postpartum measures about 0.42 kPa today: against 0.42 six weeks ago nothing
    changed (advice); against 0.30 it improved (none)."""
    state = tmp_path / "state"
    seed_history(state, first_max_kpa)
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text("[sim]\ncpu_factor = 0\n[sampling]\nrate_hz = 50\n")     # the advice, not the samples
    assert main(["--config", str(cfg), "run", "--sim", "--persona", "weak_postpartum", "--sessions", "1",
                 "--state-dir", str(state)]) == 0
    log = capsys.readouterr().err
    assert "session: meting" in log                      # 42 days since the last: the menu proposed it
    assert ("advice: no improvement after weeks of regular training" in log) is advised
