"""Samples analysed two at a time (`session.pairs`): which samples make a pair, and what a
missing partner, a pause and a slower rate do."""

import pytest

from session.pairs import PAIRS_FROM_HZ, SamplePairs, analysed_every


def fed(pairs: SamplePairs, samples) -> list[tuple]:
    """What `pairs` hands on for `samples` ((t, kpa, left, right) each)."""
    out = []
    for sample in samples:
        if pairs.add(*sample):
            out.append((pairs.t, pairs.kpa, pairs.left_kg, pairs.right_kg))
    return out


def test_sampled_at_200_hz_or_faster_the_analysis_takes_samples_two_at_a_time():
    assert [analysed_every(hz) for hz in (50, 128, 199.9, PAIRS_FROM_HZ, 250, 400)] == [1, 1, 1, 2, 2, 2]
    with pytest.raises(ValueError):
        SamplePairs(250, every=3)


def test_a_pair_is_the_mean_of_two_slots_at_the_second_ones_time():
    pairs = SamplePairs(250)
    samples = [(k * 0.004, 2.0 + k, 30.0, 20.0 + k) for k in range(6)]
    assert fed(pairs, samples) == [(0.004, 2.5, 30.0, 20.5), (0.012, 4.5, 30.0, 22.5), (0.02, 6.5, 30.0, 24.5)]


def test_a_late_sample_pairs_by_its_nearest_slot():
    """A sample taken late (the loop was busy) still belongs to its slot's pair."""
    pairs = SamplePairs(250)
    assert fed(pairs, [(0.0, 1.0, 1.0, 1.0), (0.0059, 3.0, 1.0, 1.0), (0.0081, 5.0, 1.0, 1.0)]) == [(0.0059, 2.0, 1.0, 1.0)]


def test_a_sample_whose_partner_is_missing_is_analysed_alone():
    pairs = SamplePairs(250)
    # slot 0, 1 (a pair), 2 (its partner 3 dropped), 4, 5 (a pair), 7 (its first, 6, dropped), 8
    times = (0.0, 0.004, 0.008, 0.016, 0.020, 0.028, 0.032)
    out = fed(pairs, [(t, t * 1000, None, None) for t in times])
    assert [(round(t, 3), kpa) for t, kpa, _, _ in out] == [(0.004, 2.0), (0.008, 8.0), (0.02, 18.0), (0.028, 28.0)]
    # the first of a pair goes once a sample of another pair comes, a second at once


def test_two_lone_samples_in_a_row_each_go_alone_in_order():
    """Slot 2 lost its partner and slot 5 its first: 2 goes when 5 comes, 5 when the next comes."""
    pairs = SamplePairs(250)
    out = fed(pairs, [(0.008, 1.0, None, None), (0.020, 2.0, None, None), (0.024, 3.0, None, None)])
    assert [(round(t, 3), kpa) for t, kpa, _, _ in out] == [(0.008, 1.0), (0.02, 2.0)]


def test_a_pause_forgets_the_sample_held_and_a_missing_seat_value_is_the_others():
    pairs = SamplePairs(250)
    pairs.add(0.0, 1.0, 30.0, None)
    pairs.clear()
    assert not pairs.add(0.008, 2.0, 30.0, None)
    assert pairs.add(0.012, 4.0, None, 10.0)
    assert (pairs.t, pairs.kpa, pairs.left_kg, pairs.right_kg) == (0.012, 3.0, 30.0, 10.0)


def test_below_200_hz_every_sample_is_analysed_as_it_is():
    pairs = SamplePairs(100)
    samples = [(k * 0.01, float(k), 1.0, 2.0) for k in range(3)]
    assert fed(pairs, samples) == samples


@pytest.mark.parametrize("gap_s, restarts", [(1.997, 0), (2.004, 1)])
def test_a_replay_in_pairs_restarts_only_for_a_gap_of_over_2_s_between_two_rows(gap_s, restarts):
    """A review: measured between analysed samples, a first sample analysed at its partner's time
    made 1.997 s between two rows a gap of over 2 s."""
    from session.replay import GAP_RESTART_S, replay
    assert GAP_RESTART_S == 2.0
    before = [(k * 0.004, 2.5, 30.0, 30.0) for k in range(2499)]      # ends on a first of a pair (slot 2498)
    after = [(before[-1][0] + gap_s + k * 0.004, 2.5, 30.0, 30.0) for k in range(500)]
    analysis = replay(before + after, rate_hz=250, analysed_every=2)
    assert analysis.summary["gap_restarts"] == restarts and analysis.summary["samples"] == 2999
    with pytest.raises(ValueError):
        replay(before, analysed_every=2)                                    # pairs need the rate
