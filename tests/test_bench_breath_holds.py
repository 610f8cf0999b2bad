"""`bench.breath_holds` measures what it says: on the project's own body model a breath held
through a lift leaves less of the band's power than a breath taken on."""

import statistics

from bench.breath_holds import lift_cases
from bench.corpora import make


def test_a_held_breath_leaves_less_breathing_power_than_breathing_on():
    cases = [case for seed in (0, 1) for case in lift_cases(make("own", seed, "breath_holds", 300.0))]
    held = [share for was_held, _, share in cases if was_held]
    on = [share for was_held, _, share in cases if not was_held]
    assert held and on
    assert statistics.median(held) < 0.5 < statistics.median(on)
    assert all(1.5 <= drop <= 6.0 for _, drop, _ in cases)
