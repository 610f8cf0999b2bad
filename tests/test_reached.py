"""A level reached is kept and shown rounded down, never up, so that what the user is shown
and what counts it (F: the flicks reaching half the maximum) agree (`session.levels.reached_pct`)."""

import pytest

from session.analyzer import Analyzer
from session.assessment import StepRecord, assess
from session.coach import Coach, Phase, _StepMeter
from session.levels import HALF_PCT, reached_pct
from session.programme import BUILTIN_DIR, load_programmes


@pytest.mark.parametrize("peak_pct, kept, shown", [
    (49.7, 49.7, 49.0), (49.96, 49.9, 49.0), (50.0, 50.0, 50.0), (57.3, 57.3, 57.0), (99.99, 99.9, 99.0)])
def test_a_level_reached_is_kept_and_shown_rounded_down(peak_pct, kept, shown):
    assert reached_pct(peak_pct) == kept and reached_pct(peak_pct, 0) == shown
    assert reached_pct(kept) == kept and reached_pct(kept, 0) == shown       # a kept value keeps its digits


@pytest.mark.parametrize("peak_pct", [49.7, 49.96, 49.999, 50.0, 50.04])
def test_a_flick_counts_as_fast_exactly_when_it_is_shown_at_half_the_maximum_or_more(peak_pct):
    """The user trial: a flick at 49.7 % shown as reached "50", and not counted in F. At 49.96 %
    the session kept 50.0 (counted) where the assessment judged 49.96 (not counted)."""
    snelheid = load_programmes(BUILTIN_DIR)["snelheid"]
    coach = Coach(snelheid, Analyzer())
    step = next(step for step in snelheid.steps if step.kind == "flick")
    meter = _StepMeter(0.0)
    meter.peak_pct, meter.reached_s = peak_pct, 0.5
    flick = coach._score_contraction(Phase("flick", 0.0, 1.2, step), meter, 1.2)
    shown_fast = reached_pct(flick.reached_pct, 0) >= HALF_PCT
    assert coach._perfect([flick], False, True, 1.0).fast == shown_fast
    assessed = assess([StepRecord("flick", "flick", 0.0, 1.2, 0.0, 0.0, peak_pct, peak_s=0.5)], 1.0, {})
    assert assessed.flicks_half == shown_fast
