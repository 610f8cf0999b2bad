"""The resting tone's judge (`session.relaxation.RestLevels`), on made-up levels: what it
counts as let go, and how it judges the breath's freedom."""

import pytest

from session.relaxation import RestLevels

TOLERANCE_KPA = 0.01


def judged(levels_and_swings, tense_at=()):
    """Feed (level, swing) pairs every 0.5 s; `tense_at`: indices that were a lift."""
    rest = RestLevels(duration_s=0.5 * len(levels_and_swings))
    for i, (level, swing) in enumerate(levels_and_swings):
        rest.add(0.5 * i, level, swing, TOLERANCE_KPA, tense=i in tense_at)
    return rest.judge()


def test_a_steady_floor_is_let_go_and_free_whatever_its_breaths_depth():
    """Breaths that vary by +-20 % from one to the next are no guarding: freedom 1 (against the
    largest swing seen, the old measure, this floor scored about 0.85)."""
    swings = [0.05 * (1.0 + 0.2 * ((i * 7) % 5 - 2) / 2) for i in range(120)]
    tone, share, freedom = judged([(2.0, s) for s in swings])
    assert share == 1.0 and tone == 0.0
    assert freedom == pytest.approx(sum(min(1.0, s / (sum(swings) / 120)) for s in swings) / 120)
    assert freedom > 0.9


def test_tension_that_comes_back_between_let_go_moments_halves_the_share_and_guards_the_breath():
    """6 s let go, 6 s lifted by 5 tolerances with half the swing, in turn."""
    samples = []
    for i in range(120):
        let_go = (i // 12) % 2 == 0
        samples.append((2.0 if let_go else 2.0 - 5 * TOLERANCE_KPA, 0.05 if let_go else 0.025))
    tone, share, freedom = judged(samples)
    assert share == pytest.approx(0.5, abs=0.05)
    assert freedom == pytest.approx(0.75, abs=0.03)          # half the time at half the free swing


def test_a_lift_in_a_let_go_step_counts_as_tense_and_never_as_the_relaxed_reference():
    """A moment the analysis saw a lift is not let go, and its level -- whatever it is -- is no
    reference for the others."""
    samples = [(2.0, 0.05)] * 40
    tone, share, freedom = judged(samples, tense_at=set(range(10, 20)))
    assert share == pytest.approx(30 / 40)
    assert freedom == pytest.approx(1.0)
    high = [(2.0, 0.05)] * 40
    high[15] = (2.5, 0.0)                   # a tense moment reading high must not make the rest look tense
    assert judged(high, tense_at={15})[1] == pytest.approx(39 / 40)


def test_nothing_rested_is_no_judgement():
    assert RestLevels(10.0).judge() is None
