"""The resting tone's judge (`session.relaxation.RestLevels`), on made-up levels: what it
counts as let go, and how it judges the breath's freedom."""

import pytest

from session.relaxation import RestLevels, ToneMeter

TOLERANCE_KPA = 0.01
FREE_KPA = 0.05


def judged(samples, tense_at=(), lag_s=0.0):
    """Feed (level, swing) pairs every 0.5 s; `tense_at`: indices that were a lift (passed as
    the coach passes them: the level seen, no swing)."""
    rest = RestLevels(duration_s=0.5 * len(samples), lag_s=lag_s)
    for i, (level, swing) in enumerate(samples):
        if i in tense_at:
            rest.add(0.5 * i, level, 0.0, 0.0, tense=True)
        else:
            rest.add(0.5 * i, level, swing, TOLERANCE_KPA)
    return rest.judge()


def test_a_steady_floor_is_let_go_and_nearly_free_whatever_its_breaths_depth():
    """Breaths that vary by up to +-20 % from one to the next: every moment let go, and a
    moment counts as free as far as its swing reaches the let-go mean."""
    swings = [FREE_KPA * (1.0 + 0.1 * ((i * 7) % 5 - 2)) for i in range(120)]
    tone, share, freedom, both = judged([(2.0, s) for s in swings])
    assert tone == 0.0 and share == 1.0
    mean = sum(swings) / len(swings)
    assert freedom == pytest.approx(sum(min(1.0, s / mean) for s in swings) / len(swings))
    assert both == pytest.approx(freedom) and 0.9 < freedom < 1.0


def test_tension_that_comes_back_between_let_go_moments_is_half_the_time_and_guards_the_breath():
    """6 s let go, 6 s lifted by 5 tolerances with half the swing, in turn: half the moments
    let go (and free), the held half breathing at half the let-go swing."""
    samples = [(2.0, FREE_KPA) if (i // 12) % 2 == 0 else (2.0 - 5 * TOLERANCE_KPA, FREE_KPA / 2)
               for i in range(120)]
    tone, share, freedom, both = judged(samples)
    assert share == pytest.approx(0.5, abs=0.05)
    assert freedom == pytest.approx(0.75, abs=0.03)
    assert both == pytest.approx(share)                # the let-go moments breathe freely
    assert tone == pytest.approx(2.5 * TOLERANCE_KPA, abs=0.005)


def test_a_floor_let_go_but_guarded_at_those_very_moments_scores_below_its_share():
    """Let go half the time, but breathing at the let-go mean only on every other let-go moment."""
    samples = []
    for i in range(120):
        if (i // 12) % 2 == 0:
            samples.append((2.0, FREE_KPA if i % 2 else FREE_KPA / 3))
        else:
            samples.append((2.0 - 5 * TOLERANCE_KPA, FREE_KPA))
    tone, share, freedom, both = judged(samples)
    assert share == pytest.approx(0.5, abs=0.05)
    assert both < 0.8 * share


def test_a_lift_in_a_let_go_step_is_not_let_go_sets_no_reference_and_is_no_resting_tone():
    samples = [(2.0, FREE_KPA)] * 40
    tone, share, freedom, both = judged(samples, tense_at=set(range(10, 20)))
    assert share == pytest.approx(30 / 40) and both == pytest.approx(30 / 40)
    assert freedom == pytest.approx(1.0) and tone == 0.0      # the lifts' swing 0 and level count for neither
    high = [(2.0, FREE_KPA)] * 40
    high[15] = (2.5, 0.0)            # a tense moment reading high must not make the rest look tense
    assert judged(high, tense_at={15})[1] == pytest.approx(39 / 40)
    low = [(2.0, FREE_KPA)] * 40
    for i in range(10, 20):
        low[i] = (1.0, 0.0)          # lifted 1 kPa: tension, but no resting tone
    assert judged(low, tense_at=set(range(10, 20)))[0] == 0.0


def test_a_step_that_never_rests_or_never_lets_go_says_so():
    assert RestLevels(10.0).judge() is None
    tone, share, freedom, both = judged([(2.0, FREE_KPA)] * 20, tense_at=set(range(20)))
    assert (tone, share, freedom, both) == (None, 0.0, None, 0.0)


def test_a_level_that_follows_the_floor_late_is_judged_at_the_moment_the_floor_was_there():
    """Let go and held by turns (6 s each; held: 5 tolerances up, half the swing), the level
    seen through a 3 s average as `ToneMeter` has it. Told the lag, the judge calls let go
    the moments that were (they breathe at the full swing: `both` is the let-go share);
    not told, it calls let go some moments of the held half, whose swing is half (each
    such moment puts half a moment between the two)."""
    tau_s, level, samples = 3.0, 2.0, []
    for i in range(240):
        let_go = (i // 12) % 2 == 0
        level += ((2.0 if let_go else 2.0 - 5 * TOLERANCE_KPA) - level) * (0.5 / (tau_s + 0.5))
        samples.append((level, FREE_KPA if let_go else FREE_KPA / 2))
    tone, share, freedom, both = judged(samples, lag_s=tau_s)
    assert share - both < 0.002 and 0.2 < share <= 0.5
    tone, share, freedom, both = judged(samples)
    assert share - both > 0.015


def test_the_tone_reference_follows_the_level_through_the_first_paced_breath_then_keeps_its_highs():
    """A level 0.05 kPa lower once the paced breathing begins is no tension; the same drop
    after the first `settle_s` is."""
    def tone_after(drop_at_s: float) -> float:
        meter = ToneMeter(level_tau_s=0.1, settle_s=12.0)
        for i in range(400):                                   # 20 s at 20 Hz
            t = 0.05 * i
            meter.step(0.05, 2.0 if t < drop_at_s else 1.95, 0.0, TOLERANCE_KPA, False)
        return meter.tone_kpa
    assert tone_after(1.0) < TOLERANCE_KPA
    assert tone_after(14.0) > 0.04
