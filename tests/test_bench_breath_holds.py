"""`bench.breath_holds` measures what it says: on the project's own body model a breath held
through a lift leaves less of the band's power than a breath taken on, in the breathing band
and in the band tuned to the breathing rate."""

import io
import statistics

import pytest

from bench.breath_holds import lift_cases, report
from bench.corpora import make


@pytest.mark.slow
def test_a_held_breath_leaves_less_breathing_power_than_breathing_on():
    cases = [case for seed in (0, 1) for case in lift_cases(make("own", seed, "breath_holds", 300.0))]
    for column in (2, 3):          # the breathing band, and the band tuned to the breathing rate
        held = [case[column] for case in cases if case[0]]
        on = [case[column] for case in cases if not case[0]]
        assert held and on
        assert statistics.median(held) < 0.5 < statistics.median(on)
    assert all(1.5 <= case[1] <= 6.0 for case in cases)


@pytest.mark.slow
def test_the_thresholds_are_also_told_where_the_rule_promises_a_held_breath():
    """Own seeds 0 and 1: their rest barely moves besides the breaths, so every lift falls in
    the rule's part and none beyond it."""
    out = io.StringIO()
    report("own", 2, out=out)
    text = out.getvalue()
    assert text.count("every lift (") == 2
    every = text.split("every lift (")[1].split(")")[0]
    within = text.split("of the breaths' (")[1].split(")")[0]
    assert within == every                      # the same held / breathed-on counts
    assert "more (or not measured)" not in text
