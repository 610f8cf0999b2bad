"""The streaming analysis on synthetic sessions: what it detects, what it ignores, and causality."""

import copy
import functools
import math
import random

import pytest

from coughs import flat_top_cough

from hw_sim.body import Body, BodyParams
from hw_sim.synth import synthesize
from session.analyzer import HOLD, LIFT, REST, WARMUP, Analyzer
from session.events import BEAR_DOWN, BREATH_HOLD, COMPLETED, CONTRACTION, COUGH, RAISED


def run(body, duration_s, rate_hz=250, seed=0, **kwargs):
    analyzer = Analyzer(**kwargs)
    states = []
    for t, kpa, _, _ in synthesize(body, duration_s, rate_hz, seed=seed):
        states.append((t, analyzer.step(t, kpa)))
    return analyzer, states


def kinds(analyzer):
    return [e.kind for e in analyzer.events]


def test_a_lift_is_one_contraction_with_its_metrics():
    body = Body(BodyParams(max_drop_kpa=1.2), seed=1)
    body.lift(10.0, level=1.0, rise_s=0.5, hold_s=6.0, release_s=0.8)
    analyzer, states = run(body, 25, max_drop_kpa=1.2)
    assert kinds(analyzer) == [CONTRACTION]
    e = analyzer.events[0]
    m = e.metrics
    assert e.start == pytest.approx(10.0, abs=0.15)
    assert e.end == pytest.approx(17.3, abs=0.5)
    assert 10.0 < e.detected_at < 10.5
    assert m["peak_drop_kpa"] == pytest.approx(1.2, rel=0.1)
    assert m["peak_pct_max"] == pytest.approx(100, abs=10)
    assert 0.2 < m["time_to_peak_s"] < 0.8
    assert 5.5 < m["hold_s"] < 7.5
    assert m["relaxed_pct"] > 90
    seen = {s for t, s in states}
    assert {WARMUP, REST, LIFT, HOLD} <= seen
    assert dict(states)[min(t for t, _ in states if t > 13)] == HOLD


def test_incomplete_relaxation_is_reported_as_a_residual():
    body = Body(BodyParams(max_drop_kpa=1.2), seed=2)
    body.lift(10.0, level=1.0, hold_s=5.0, residual=0.5)
    analyzer, _ = run(body, 40)
    [e] = analyzer.events
    assert 0.3 < e.metrics["residual_kpa"] < 0.7
    assert e.metrics["relaxed_pct"] < 70


def test_bear_down_is_warned_fast_and_a_cough_is_reported_as_a_cough():
    body = Body(seed=3)
    body.cough(12.0, peak_kpa=5.0, duration_s=0.35)
    body.bear_down(20.0, duration_s=2.0, rise_kpa=1.5, onset_s=0.3)
    analyzer, _ = run(body, 30)
    assert kinds(analyzer) == [COUGH, BEAR_DOWN]
    cough, push = analyzer.events
    assert cough.start == pytest.approx(12.0, abs=0.1) and cough.end < 12.6
    assert cough.metrics["peak_kpa"] > 3.0 and not cough.metrics["below_rest"]
    assert push.detected_at - 20.0 < 0.3
    assert push.start == pytest.approx(20.0, abs=0.2)
    assert push.end == pytest.approx(22.0, abs=0.4)


@pytest.mark.slow
def test_breathing_drift_and_noise_alone_raise_nothing():
    body = Body(BodyParams(breath_rate_bpm=18, breath_kpa=0.15, drift_kpa_per_min=-0.2,
                           wander_kpa=0.03, micro_kpa=0.01), seed=4)
    analyzer, _ = run(body, 600, rate_hz=50)
    assert analyzer.events == []
    assert analyzer.baseline_kpa == pytest.approx(2.5 - 2.0, abs=0.1)   # followed 10 min of leak


def test_a_long_fatiguing_hold_stays_one_contraction():
    body = Body(BodyParams(fatigue_tau_s=10, fatigue_floor=0.55), seed=5)
    body.lift(10.0, level=0.8, hold_s=40.0)
    analyzer, _ = run(body, 70)
    assert kinds(analyzer) == [CONTRACTION]
    assert analyzer.events[0].metrics["hold_s"] > 35


def test_quick_flicks_are_counted_one_by_one():
    body = Body(seed=6)
    for i in range(6):
        body.lift(10.0 + 2.5 * i, level=1.0, rise_s=0.25, hold_s=0.3, release_s=0.35)
    analyzer, _ = run(body, 30, rate_hz=100)
    assert kinds(analyzer) == [CONTRACTION] * 6


@pytest.mark.parametrize("seed", range(3))
def test_a_lift_begun_with_the_breath_out_is_on_the_exhale_and_one_in_the_inhale_is_not(seed):
    """As `basis` cues it: 3 s in, then out and lift -- together, as a person following the
    cue does: the pressure had stopped rising, on the exhale. A lift begun half way into an
    inhale is not."""
    body = Body(BodyParams(max_drop_kpa=1.2), seed=seed)
    body.breathe_in(30.0, 3.0)
    body.breathe_out(33.0)
    body.lift(33.0, level=0.4, rise_s=0.5, hold_s=4.0, release_s=0.5)
    body.breathe_in(50.0, 3.0)
    body.lift(51.5, level=0.4, rise_s=0.5, hold_s=4.0, release_s=0.5)
    analyzer = Analyzer()
    inhaling = []
    for t, kpa, _, _ in synthesize(body, 65.0, 250, seed=seed):
        analyzer.step(t, kpa)
        for n in analyzer.notices:
            if n.change == RAISED and n.event.kind == CONTRACTION:
                inhaling.append((round(n.event.start), analyzer.began_on_exhale(n.event)))
    assert inhaling == [(33, True), (52, False)]


@pytest.mark.slow
def test_lifts_after_standing_up_are_still_judged_on_the_exhale():
    """Getting up is first seen as a buttock squeeze, taken back as the stand-up and never
    ended: it is no movement under way for the lifts after it (every lift after a stand-up
    went unjudged: `make sim`'s first session)."""
    from session.seat import SeatTracker
    body = Body(BodyParams(max_drop_kpa=1.0), seed=1)
    body.stand(30.0)
    body.sit(45.0)
    for t in (70.0, 90.0):
        body.breathe_in(t, 3.0)
        body.breathe_out(t + 3.0)
        body.lift(t + 3.0, level=0.4, rise_s=0.5, hold_s=4.0, release_s=0.5)
    seat = SeatTracker()
    analyzer = Analyzer(seat=seat)
    judged = []
    for t, kpa, left, right in synthesize(body, 110, 250, seed=1):
        seat.step(t, left, right)
        analyzer.step(t, kpa)
        judged += [analyzer.began_on_exhale(n.event) for n in analyzer.notices
                   if n.change == RAISED and n.event.kind == CONTRACTION]
    assert any(e.retracted is not None and e.end is None for e in analyzer.events)
    assert judged == [True, True]


def test_a_push_left_open_by_a_pause_does_not_keep_later_lifts_from_being_judged():
    """A gap in the samples (or a pause) in the middle of a push abandons it, never ended:
    the lifts after it are judged (the next 3-4 lifts were not, a reviewer's probe)."""
    body = Body(BodyParams(max_drop_kpa=1.0), seed=2)
    body.bear_down(30.0, duration_s=3.0, rise_kpa=1.0)
    for t in (45.0, 57.0):
        body.breathe_in(t, 3.0)
        body.breathe_out(t + 3.0)
        body.lift(t + 3.0, level=0.4, rise_s=0.5, hold_s=4.0, release_s=0.5)
    analyzer = Analyzer()
    judged = []
    for t, kpa, _, _ in synthesize(body, 70, 250, seed=2):
        if t >= 31.5 and not judged and analyzer.pushing:
            analyzer.restart(keep_rest=True)    # a gap in the samples (a pause too: the same abandoning)
            judged.append("restarted")
        analyzer.step(t, kpa)
        judged += [analyzer.began_on_exhale(n.event) for n in analyzer.notices
                   if n.change == RAISED and n.event.kind == CONTRACTION]
    assert any(e.kind == BEAR_DOWN and e.end is None for e in analyzer.events)
    assert judged[0] == "restarted" and len(judged) == 3 and None not in judged


def test_events_are_raised_and_completed_as_notices_of_the_step_that_saw_them():
    body = Body(seed=7)
    body.lift(10.0, hold_s=3.0)
    body.bear_down(20.0)
    analyzer = Analyzer()
    seen = []
    for t, kpa, _, _ in synthesize(body, 30, 250):
        analyzer.step(t, kpa)
        seen += [(n.change, n.event.kind, n.t_s == t) for n in analyzer.notices]
    assert seen == [(RAISED, CONTRACTION, True), (COMPLETED, CONTRACTION, True),
                    (RAISED, BEAR_DOWN, True), (COMPLETED, BEAR_DOWN, True)]


def test_memory_does_not_grow_with_the_number_of_samples():
    """Nothing the per-sample path creates outlives the sample (hours of data, flat memory)."""
    import gc
    import sys
    body = Body(seed=8)
    rows = list(synthesize(body, 20, 250))
    analyzer = Analyzer()
    for t, kpa, _, _ in rows[:3000]:
        analyzer.step(t, kpa)
    gc.collect()
    before = sys.getallocatedblocks()
    for t, kpa, _, _ in rows[3000:]:
        analyzer.step(t, kpa)
    assert sys.getallocatedblocks() - before < 50


def test_a_slow_posture_longer_than_the_slow_history_moves_the_baseline_and_a_cough_after_it_is_no_push():
    """A lean that takes 10 s: its level before is read when the movement is confirmed, not
    at its end, when the 6 s history no longer reaches back to it (the oracle's case: a
    stale baseline made the next cough a 10 s bear-down)."""
    from session.events import POSTURE
    from session.seat import SeatTracker
    body = Body(BodyParams(), seed=7)
    body.shift(20.0, hold_s=math.inf, lateral_kg=4.0, perineal_kpa=0.5, onset_s=10.0)
    body.cough(32.0, peak_kpa=4.0)
    seat = SeatTracker()
    analyzer = Analyzer(seat=seat)
    baselines = {}
    for t, kpa, left, right in synthesize(body, 45, 250, seed=1):
        seat.step(t, left, right)
        analyzer.step(t, kpa)
        for mark_s in (19.0, 31.5):
            if mark_s not in baselines and t >= mark_s:
                baselines[mark_s] = analyzer.baseline_kpa
    assert kinds(analyzer) == [POSTURE, COUGH]
    posture = analyzer.events[0]
    assert posture.end - posture.start > 5.0
    assert baselines[31.5] - baselines[19.0] > 0.35                        # moved with the lean ...
    assert baselines[31.5] == pytest.approx(analyzer.baseline_kpa, abs=0.06)   # ... to where it rests


def _events_of(rows) -> list:
    """The events of recorded rows (t, kPa, left kg, right kg), analysed with their seat."""
    from session.seat import SeatTracker
    seat = SeatTracker()
    analyzer = Analyzer(seat=seat)
    for t, kpa, left, right in rows:
        seat.step(t, left, right)
        analyzer.step(t, kpa)
    return analyzer.events


def _benchmark_rows(corpus: str, seed: int, scenario: str) -> tuple:
    """The rows of a 300 s benchmark recording (`bench.corpora`): made once per test process,
    as a tuple (tests that ask for the same recording read the same rows, and none changes them)."""
    if (corpus, seed, scenario) not in _ROWS:
        from bench.corpora import make
        _ROWS[corpus, seed, scenario] = tuple(make(corpus, seed, scenario, 300.0).rows)
    return _ROWS[corpus, seed, scenario]


def _benchmark_events(corpus: str, scenario: str, seed: int) -> list:
    """The events of a benchmark recording (`bench.corpora`), analysed with its seat (once per
    test process: the analysis of the same rows is the same every time)."""
    if (corpus, seed, scenario) not in _EVENTS:
        _EVENTS[corpus, seed, scenario] = tuple(_events_of(_benchmark_rows(corpus, seed, scenario)))
    return list(_EVENTS[corpus, seed, scenario])


_ROWS: dict[tuple, tuple] = {}       # (corpus, seed, scenario): the recording's rows
_EVENTS: dict[tuple, tuple] = {}     # (corpus, seed, scenario): its events


def _frozen_events(name: str) -> list:
    """The events of a recording kept in tests/data (one the benchmark's corpus once made,
    frozen: the corpus has changed since), analysed with its seat."""
    from pathlib import Path

    from session.recording import open_rows
    return _events_of(open_rows(Path(__file__).parent / "data" / name))


@pytest.mark.parametrize("corpus, scenario, seed, cough_s", [
    ("oracle", "pushes", 6, 10.65),          # a cough on top of the deep breath before it, caught mid-rise
    ("oracle", "distractors", 2, 216.43),    # a cough after an 8 s lean the baseline had not followed
    ("own", "mixed", 10, 100.54),            # a cough after a buttock squeeze while a lift's level came
])                                           # back: the squeeze's drop taken for where rest had settled
@pytest.mark.slow
def test_coughs_of_the_benchmark_that_once_passed_for_pushes_are_coughs(corpus, scenario, seed, cough_s):
    near = [e.kind for e in _benchmark_events(corpus, scenario, seed) if cough_s - 1.0 <= e.start <= cough_s + 2.0]
    assert COUGH in near and BEAR_DOWN not in near


def _paired_analyzer(rows, rate_hz: float, stop_t: float = math.inf, then=None) -> Analyzer:
    """An analyzer (with its seat) run on `rows` up to `stop_t`, the samples taken as the device
    takes them at `rate_hz` (`session.pairs`); `then`: the (seat, pairs, analyzer) to go on with
    (after the rows before these), else new ones."""
    from session.pairs import SamplePairs
    from session.seat import SeatTracker
    if then is None:
        seat = SeatTracker()
        then = (seat, SamplePairs(rate_hz), Analyzer(seat=seat))
    seat, pairs, analyzer = then
    for t, kpa, left, right in rows:
        if t > stop_t:
            break
        if pairs.add(t, kpa, left, right):
            seat.step(pairs.t, pairs.left_kg, pairs.right_kg)
            analyzer.step(pairs.t, pairs.kpa)
    return analyzer


# Of 48 flat-top coughs each (6 bodies x 8 phases), how many the device took for a push when this
# guard was written: every one of them is a cough (0.34-0.37 s long), so these are the analysis's
# known misses -- a ratchet, to be lowered as the analysis learns to tell them, never raised. The
# higher the spike, the sooner in its rise the confirmation's clock starts, and the shorter the top
# it lets pass. (Before the confirmation asked for 92 % of the peak, not 85 %: 0, 0, 1, 12, 34, 40
# at 4x and 0, 28, 34, 44, 44, 44 at 8x.)
FLAT_TOP_COUGHS_TAKEN = {
    (4.0, 0.09): 0, (4.0, 0.1): 0, (4.0, 0.105): 0, (4.0, 0.11): 9, (4.0, 0.115): 32, (4.0, 0.12): 39,
    (8.0, 0.09): 0, (8.0, 0.1): 1, (8.0, 0.105): 20, (8.0, 0.11): 28, (8.0, 0.115): 38, (8.0, 0.12): 44,
}


@pytest.mark.parametrize("times_push, flat_s", sorted(FLAT_TOP_COUGHS_TAKEN))
@pytest.mark.slow
def test_coughs_with_a_flat_top_at_the_devices_rate_pass_for_pushes_no_more_often(times_push, flat_s):
    """The flat-top cough of `test_a_coughs_spike_with_a_flat_top_is_not_a_push`
    (tests/test_detectors.py) as the device meets it: sampled at 250 Hz (the timing jitter, the
    dropped samples and the ADC's steps included), analysed in pairs by the whole analyzer, at
    `times_push` times the push threshold the analyzer had learnt, begun at 8 phases across a
    pair's spacing, on 6 bodies."""
    rate_hz, cough_t = 250.0, 12.0
    taken = 0
    for seed in range(6):
        rows, before, learnt = _before_the_cough(seed, rate_hz, cough_t)
        top_kpa = times_push * learnt[-1].thresholds.push_kpa
        for phase in range(8):
            cough = flat_top_cough(top_kpa, flat_s, cough_t + phase / 8 * 2.0 / rate_hz)
            assert not any(cough(t) for t, *_ in rows[:before])       # the samples before: the same
            analyzer = _paired_analyzer([(t, kpa + cough(t), left, right) for t, kpa, left, right in rows[before:]],
                                        rate_hz, then=copy.deepcopy(learnt))
            taken += BEAR_DOWN in kinds(analyzer)
    assert taken <= FLAT_TOP_COUGHS_TAKEN[times_push, flat_s]


@functools.lru_cache(maxsize=None)
def _before_the_cough(seed: int, rate_hz: float, cough_t: float):
    """The flat-top coughs' body `seed` (its rows, to 3 s after `cough_t`), and its seat, pairs and
    analyzer run on the rows up to `cough_t` (`before` of them): each cough of each test of them
    begins after it, so the analysis up to there is this one, made once (and copied, not changed)."""
    from session.pairs import SamplePairs
    from session.seat import SeatTracker
    rows = list(synthesize(Body(BodyParams(), seed=seed), cough_t + 3.0, rate_hz, seed=seed))
    before = next(n for n, row in enumerate(rows) if row[0] > cough_t)
    seat = SeatTracker()
    learnt = (seat, SamplePairs(rate_hz), Analyzer(seat=seat))
    _paired_analyzer(rows[:before], rate_hz, then=learnt)
    return rows, before, learnt


@pytest.mark.parametrize("longer_s", [0.0, 18.0])
@pytest.mark.slow
def test_a_lift_made_while_the_rest_sat_off_the_baseline_does_not_become_the_rest(longer_s):
    """The oracle's distractors seed 10: a posture at 195 s, taken for a buttock squeeze, left
    the rest 0.35 kPa below the baseline; the stale-rest check waited two breaths to move the
    baseline there, and meanwhile the floor lifted 2.7 kPa (210.8-218.0 s, unseen: it fell from
    below the baseline). The check took the lifted level for the rest at 215.5 s, and the let-go
    was warned as a push. Held `longer_s` longer too (its held stretch repeated: the wait must
    not simply run out). The level it sat at is the rest: the lift is found, let go fully."""
    rows = _benchmark_rows("oracle", 10, "distractors")
    held = [row for row in rows if 213.0 <= row[0] < 216.0]
    stretched = [row for row in rows if row[0] < 216.0]
    for k in range(1, int(longer_s / 3.0) + 1):
        stretched += [(t + 3.0 * k, kpa, left, right) for t, kpa, left, right in held]
    stretched += [(t + longer_s, kpa, left, right) for t, kpa, left, right in rows if t >= 216.0]
    events = _events_of(stretched)
    assert not [e for e in events if e.kind == BEAR_DOWN and 205.0 <= e.start <= 230.0 + longer_s]
    lifts = [e for e in events if e.kind == CONTRACTION and e.retracted is None and 205.0 <= e.start <= 230.0]
    assert [round(e.start, 1) for e in lifts] == [210.8]
    assert lifts[0].detected_at - lifts[0].start < 0.5 and lifts[0].end == pytest.approx(217.9 + longer_s, abs=0.3)
    assert lifts[0].metrics["residual_kpa"] < 0.05


def test_a_level_that_shifts_slowly_away_from_the_baseline_becomes_the_rest():
    """The stale-rest check's own job: a shift too slow to be a lift or a push (3 kPa over
    50 s, breathing and noise on it) is the rest within seconds of its end (the baseline's
    slow follow alone would still be 1 kPa short)."""
    rng = random.Random(1)
    analyzer = Analyzer()
    for i in range(100 * 95):
        t = i / 100
        shift_kpa = 3.0 * min(1.0, (t - 40.0) / 50.0) if t > 40.0 else 0.0
        analyzer.step(t, 5.0 + 0.1 * math.sin(2 * math.pi * t / 5.0) + shift_kpa + rng.gauss(0.0, 0.005))
    assert analyzer.rest.baseline_kpa > 7.5
    assert not [e for e in analyzer.events if e.kind == BEAR_DOWN]


@pytest.mark.slow
def test_a_lift_held_through_a_leans_end_brings_the_baseline_to_the_leans_level_when_let_go():
    """The own model's mixed seed 10: a lean forward raised the level 0.65 kPa and the floor
    lifted just before its loads had settled, so the lean's level was not known; the baseline
    stayed where it was before the lean. The lift at 149.45 s was lost, and (once it was found)
    a buttock squeeze let go back up to the lean's level at 169.5 s was warned as a push."""
    events = _benchmark_events("own", "mixed", 10)
    lifts = [e.start for e in events if e.kind == CONTRACTION and e.retracted is None]
    assert any(abs(start - 149.45) <= 0.3 for start in lifts)
    assert [round(e.start) for e in events if e.kind == BEAR_DOWN] == [106, 181]     # the two pushes made


@pytest.mark.parametrize("scenario, seed, kind, starts_s", [
    ("pushes", 1001, BEAR_DOWN, [282.49]),              # a 0.2 kPa push during a fidget
    ("lifts", 1004, CONTRACTION, [287.38, 289.92, 292.06]),    # flicks through one: the first
])                                                      # was taken back as the seat's, two lost
@pytest.mark.slow
def test_what_the_floor_does_during_a_fidget_of_the_benchmark_is_reported(scenario, seed, kind, starts_s):
    found = [e.start for e in _benchmark_events("oracle", scenario, seed) if e.kind == kind and e.retracted is None]
    assert all(any(abs(start - s) <= 0.5 for start in found) for s in starts_s)


@pytest.mark.slow
def test_the_movement_of_getting_up_is_taken_back_as_standing_up():
    """The oracle's distractors seed 1005: the lean forward before the stand-up at 8.68 s was
    left standing as a posture shift once movements were timed from when the loads left rest
    (it was judged by its start, 8.81 s, against a window that ended at 8.82 s)."""
    from session.events import POSTURE, STAND_UP
    [moved] = [e for e in _benchmark_events("oracle", "distractors", 1005) if e.kind == POSTURE and e.start < 12.0]
    assert moved.retracted == STAND_UP


@pytest.mark.slow
def test_a_held_breath_of_the_benchmark_never_ends_before_it_starts():
    """The oracle's breath-hold recording seed 9: the breathing came back so soon after the
    flag that the end, backdated a quarter breath, fell before the start (65.07 to 65.03)."""
    events = _benchmark_events("oracle", "breath_holds", 9)
    holds = [e for e in events if e.kind == BREATH_HOLD]
    assert holds and all(e.end is None or e.end >= e.start for e in events)
    assert all(e.metrics["duration_s"] >= 0.0 for e in holds if e.end is not None)


@pytest.mark.slow
def test_a_breath_held_through_a_lift_too_short_to_flag_within_is_flagged_as_it_is_let_go():
    """The oracle's breath-hold recording seed 6: a breath held 102.7-110.7 s (1.5 of its breath
    periods) through a lift of about one period, from 103.3 s to its release at 109.1 s: never
    1.5 periods without a breath within the lift, so it was missed; judged whole at the
    release it is flagged, within the held breath."""
    events = _benchmark_events("oracle", "breath_holds", 6)
    [hold] = [e for e in events if e.kind == BREATH_HOLD and 100.0 < e.start < 112.0]
    assert hold.metrics["at_release"] == 1.0 and hold.completed_at == hold.detected_at
    assert 102.7 < hold.start < hold.end < hold.detected_at < 110.7


@pytest.mark.slow
def test_a_held_breath_through_a_lift_that_goes_on_deepening_once_taken_as_held_is_flagged():
    """The oracle's breath-hold recording seed 7: a breath held 171.2-188.1 s through a lift taken
    as held at 171.9 s, 0.6 s before the level reached its hold (it fell 0.017 kPa more, some
    two breath swings): that step rang through the band tuned to the breathing rate, the hold
    read 0.5 of the resting breaths' power and the held breath was missed. The band starts again
    as a held lift falls again by as much as a lift falls (`Thresholds.lift_fall_kpa`)."""
    events = _benchmark_events("oracle", "breath_holds", 7)
    [hold] = [e for e in events if e.kind == BREATH_HOLD and 165.0 < e.start < 190.0]
    assert 171.2 < hold.start < hold.detected_at < 189.0


def test_a_lean_whose_perineal_level_is_still_coming_back_moves_no_baseline():
    """The own corpus's mixed seed 7 (as it was: frozen): leaning back (both sitting bones +3 kg,
    the perineal level 1.1 kPa down) ends at 78.3 s while a fidget goes on; the loads were
    still, the perineum still coming back, when the movement was over, and the baseline moved
    by the return's ramp (-0.43 kPa): the level back at rest read as a 10 s push."""
    from session.events import POSTURE
    events = _frozen_events("own-mixed-7.csv.gz")
    assert [e for e in events if e.kind == POSTURE and 71.0 < e.start < 73.0]
    assert not [e for e in events if e.kind == BEAR_DOWN and 76.0 < e.start < 88.0]


def _held_through_a_short_hold(max_lift_s=None):
    """A 5 s hold at 12 breaths a minute with the breath held through it (1.25 periods in all:
    the lift: too short for the windowed flag), analysed with the lift detector's `max_lift_s`."""
    body = Body(BodyParams(max_drop_kpa=0.4, breath_kpa=0.04, breath_rate_bpm=12.0, tremor_kpa=0.002), seed=3)
    body.lift(30.0, level=0.75, rise_s=0.4, hold_s=5.0, release_s=0.5)
    body.hold_breath(29.8, 6.2)
    analyzer = Analyzer()
    if max_lift_s is not None:
        analyzer.lifts.max_lift_s = max_lift_s
    for t, kpa, _, _ in synthesize(body, 45, 250, seed=3):
        analyzer.step(t, kpa)
    return [e for e in analyzer.events if e.kind == BREATH_HOLD]


@pytest.mark.slow
def test_a_hold_is_judged_whole_only_when_its_release_is_seen():
    """Judged as it is let go; a lift that ends otherwise -- here one held past the lift
    detector's limit, taken for a new resting level -- is not judged."""
    [hold] = _held_through_a_short_hold()
    assert hold.metrics["at_release"] == 1.0 and 31.0 < hold.start < hold.end < hold.detected_at < 36.5
    assert _held_through_a_short_hold(max_lift_s=5.2) == []


def test_a_lean_back_after_a_push_watched_during_the_lean_moves_the_baseline():
    """The own corpus's mixed seed 8 (as it was: frozen): leaning back (225-236 s) raised the
    level 0.12 kPa; a rise watched as a possible push ended during the lean (233.4 s) and was
    taken for a push in the second before it, so the baseline stayed: the new rest read as a
    10 s bear-down and the lifts in it were lost."""
    events = _frozen_events("own-mixed-8.csv.gz")
    assert not [e for e in events if e.kind == BEAR_DOWN and 236.0 < e.start < 247.0]
    lifts = [e.start for e in events if e.kind == CONTRACTION and e.retracted is None]
    assert all(any(abs(start - s) <= 0.5 for start in lifts) for s in (236.5, 238.8, 247.3))


@pytest.mark.slow
def test_a_movement_going_on_from_a_buttock_squeeze_starts_from_the_level_before_the_squeeze():
    """The own corpus's mixed seed 0: letting go of a squeeze (238-243 s, the level 0.3 kPa
    down) read as a posture shift as the loads came back, whose level before was read in the
    squeeze: the baseline rose 0.28 kPa and every lift in the next 40 s was lost. After the
    next squeeze (254.2-257.5 s) the level sat 0.05 kPa lower (its slow wander), and the
    squeeze's fall was taken for a lift's: a squeeze reported as a clean contraction."""
    events = _benchmark_events("own", "mixed", 0)
    lifts = [e.start for e in events if e.kind == CONTRACTION and e.retracted is None]
    assert not [s for s in lifts if 253.0 < s < 261.0]
    assert all(any(abs(start - s) <= 0.5 for start in lifts) for s in (261.7, 264.5, 267.4, 270.0, 279.8))


def _seated_run(build, duration_s: float, marks_s=(), seed=1, **params):
    """A 1 kPa floor (and `params`) built by `build(body)`, analysed with its seat: the events,
    and the baseline at each of `marks_s`."""
    from session.seat import SeatTracker
    body = Body(BodyParams(max_drop_kpa=1.0, **params), seed=seed)
    build(body)
    seat = SeatTracker()
    analyzer = Analyzer(seat=seat)
    baselines = {}
    for t, kpa, left, right in synthesize(body, duration_s, 250, seed=seed):
        seat.step(t, left, right)
        analyzer.step(t, kpa)
        for mark_s in marks_s:
            if mark_s not in baselines and t >= mark_s:
                baselines[mark_s] = analyzer.baseline_kpa
    return [e for e in analyzer.events if e.retracted is None], baselines


# case: the pushes (start s, rise kPa, duration s) or a lift (its level, held from 8 to 16 s), the lean
# forward's perineal step (kPa, at 10 s), the coughs (s, kPa)
_BURST = [(12.0, 1.0), (12.5, 0.7), (13.0, 0.49), (13.5, 0.34)]
_COUGHS_CLOSE_AFTER = {
    "after a 2 kPa push": ([(10.0, 2.0, 2.0), (21.0, 2.0, 2.0)], None, None, [(12.3, 1.5), (25.0, 1.5)]),
    "after a 1 kPa push": ([(10.0, 1.0, 2.0), (20.0, 1.0, 2.0)], None, None, [(12.3, 0.8), (22.6, 0.8)]),
    "after a lean's step down": ([], None, -0.5, [(11.3, 0.4)]),
    "after a lean's step up": ([], None, 0.5, [(11.3, 0.4)]),
    "a fading burst": ([], None, None, _BURST),
    "a fading burst in a hold": ([], 1.0, None, _BURST),
    "a fading burst in a push": ([(11.0, 1.0, 3.0)], None, None, _BURST),
}


@pytest.mark.parametrize("case", list(_COUGHS_CLOSE_AFTER))
def test_a_cough_right_after_a_push_a_leans_step_or_another_cough_is_a_cough(case):
    """What a cough detector must keep while it learns to ignore a hold's wavering and a push's
    ripples (a reviewer's probes of a gate that lost them; the corpora put no cough so close): a
    1.5 kPa cough 0.3 and 2 s after a 2 s push of 2 kPa, a 0.8 kPa one 0.3 and 0.6 s after one of
    1 kPa, a 0.4 kPa one half a second after a lean forward whose perineal level steps by 0.5 kPa,
    each of a burst of four 0.5 s apart, fading from 1 kPa -- at rest, in a held lift and in a
    1 kPa push (a gate that learnt the first cough's tail lost the later ones there)."""
    pushes, lift_level, step_kpa, coughs = _COUGHS_CLOSE_AFTER[case]
    def build(body):
        for start_s, rise_kpa, duration_s in pushes:
            body.bear_down(start_s, duration_s=duration_s, rise_kpa=rise_kpa)
        if lift_level is not None:
            body.lift(8.0, level=lift_level, hold_s=8.0)
        if step_kpa is not None:
            body.shift(10.0, hold_s=math.inf, forward_kg=3.0, perineal_kpa=step_kpa)
        for at_s, peak_kpa in coughs:
            body.cough(at_s, peak_kpa=peak_kpa, duration_s=0.25)
    events, _ = _seated_run(build, 30.0)
    found = [e.start for e in events if e.kind == COUGH]
    assert all(any(abs(start - at_s) < 0.3 for start in found) for at_s, _ in coughs), found


@pytest.mark.parametrize("duration_s, rise_kpa", [(0.5, 1.0), (0.6, 0.5), (0.6, 2.0), (0.8, 0.5)])
def test_a_short_push_warned_as_a_bear_down_is_not_also_a_cough(duration_s, rise_kpa):
    """A push of half a second or so is warned as a bear-down and, back down within the 0.6 s a
    cough may last, was counted a cough too: one action, two events in the session's summary."""
    events, _ = _seated_run(lambda body: body.bear_down(12.0, duration_s=duration_s, rise_kpa=rise_kpa), 20.0)
    assert [e.kind for e in events if e.kind in (BEAR_DOWN, COUGH)] == [BEAR_DOWN]


@pytest.mark.parametrize("move", ["stand", "half-stand", "lean 10 kg", "two coughs, lean 20 kg"])
def test_a_spike_as_they_stand_up_is_no_cough_and_coughs_leaning_forward_are(move):
    """Standing up raises the pressure as sharply as a cough while the seat unloads (the oracle: 15
    false coughs in 10.5 h); coughs as they lean forward by 10 or 20 kg a side (38 or 75 % of the
    seat's 53 kg, in 0.4 s) unload it as fast: they wait until the loads stop falling, then are
    raised with their own starts (a review: a second spike replaced the first, and a lean taking
    off half the load was taken for standing up)."""
    def build(body):
        if move in ("stand", "half-stand"):
            body.stand(12.0)
            body.cough(12.0, peak_kpa=3.0)           # (the body model's stand-up has no spike of its own)
            if move == "half-stand":
                body.sit(12.8)                       # below the standing level for less than its 1 s
        else:
            body.shift(12.0, hold_s=6.0, forward_kg=10.0 if move == "lean 10 kg" else 20.0, onset_s=0.4)
            body.cough(12.2, peak_kpa=1.5)
            if move.startswith("two"):
                body.cough(12.65, peak_kpa=1.2)
    events, _ = _seated_run(build, 25.0)
    coughs = [e for e in events if e.kind == COUGH]
    expected_s = {"stand": [], "half-stand": [], "lean 10 kg": [12.2], "two coughs, lean 20 kg": [12.2, 12.65]}[move]
    assert [e.start for e in coughs] == pytest.approx(expected_s, abs=0.1)
    assert all(e.detected_at > e.end for e in coughs)


def _deep_inhale(body, t_s, depth, inhale_s, exhale_s):
    """One breath `depth` times as deep as the others, at `t_s`."""
    body.at(t_s, lambda: setattr(body, "_breath_depth", depth))
    body.breathe_in(t_s, inhale_s)
    body.breathe_out(t_s + inhale_s, exhale_s)
    body.at(t_s + inhale_s + exhale_s, lambda: setattr(body, "_breath_depth", 1.0))


def test_a_slow_deep_inhale_on_a_tiring_weak_hold_is_no_let_go():
    """A 0.3 kPa hold (three 0.1 kPa breaths) tiring as usual, breathing 6 a minute, one inhale
    twice as deep at 18.6 s: it rises by more than the drop it leaves, as a tired hold's slow
    let-go does, but its exhale takes it back down (a reviewer's probe of a let-go judged by that
    rise, 3191146: the hold ended at 23.9 s, half its hold time, 58 % relaxed). One lift, to the
    let-go at 30.6 s."""
    def build(body):
        body.lift(10.0, level=0.3, hold_s=20.0, release_s=0.8)
        _deep_inhale(body, 18.6, 2.0, 4.0, 6.0)
    events, _ = _seated_run(build, 50.0, seed=0, breath_kpa=0.1, breath_rate_bpm=6.0)
    [lift] = [e for e in events if e.kind == "contraction"]
    assert lift.end > 30.0


def test_a_sigh_in_a_tiring_hold_neither_ends_it_nor_splits_it():
    """A 0.6 kPa hold at 6 breaths a minute, tiring (tau 20 s, to 0.6), breaths varying, a tenth
    of them sighs (a reviewer's probe of 3191146, seed 2: a sigh ended the hold at 26.3 s and the
    floor still holding read as a second lift). One lift, to the let-go at 30.6 s."""
    events, _ = _seated_run(lambda body: body.lift(10.0, level=0.6, hold_s=20.0, release_s=0.8), 50.0,
                            seed=2, breath_kpa=0.1, breath_rate_bpm=6.0, fatigue_tau_s=20.0, fatigue_floor=0.6,
                            breath_variability=0.15, sigh_share=0.1, unsteady_share=0.03)
    [lift] = [e for e in events if e.kind == "contraction"]
    assert lift.end > 30.0


def test_a_lift_begun_soon_after_a_tired_holds_slow_let_go_is_its_own():
    """A 0.3 kPa hold tiring as usual, let go over 3 s to 40 % of it, breathing 10 a minute
    (0.03 kPa), the next lift 3 s after the let-go (a reviewer's probe of 59fc96f: a let-go wait of
    a whole breath let the next lift begin inside it, and the first lift swallowed it). Two lifts."""
    def build(body):
        body.lift(10.0, level=0.3, hold_s=8.0, release_s=3.0, residual=0.4)
        body.lift(24.6, level=0.3, hold_s=5.0, release_s=0.8)
    events, _ = _seated_run(build, 45.0, seed=0, breath_kpa=0.03, breath_rate_bpm=10.0)
    assert [round(e.start) for e in events if e.kind == "contraction"] == [10, 25]


@pytest.mark.parametrize("gap_s", [3.0, 6.0])
@pytest.mark.parametrize("release_s, residual", [(3.0, 0.3), (4.0, 0.4)])
@pytest.mark.parametrize("second_level", [0.6, 0.9])
@pytest.mark.slow
def test_a_lift_after_a_hold_that_tired_and_was_let_go_slowly_is_its_own(gap_s, release_s, residual,
                                                                          second_level):
    """A 0.6 kPa hold tiring to half (time constant 4 s), let go over 3-4 s to a residual of a
    third of it: the held level follows the let-go down as it follows fatigue, so no release is
    seen -- and the next lift, `gap_s` after, fell inside that contraction (one contraction of
    23-27 s over both lifts, the second's peak taken for the first's). Two contractions: the
    first ended where the level came to the residual (its release measured, its own peak kept,
    though the second goes deeper), before the second began; the second timed from its fall."""
    second_s = 10.0 + 10.0 + release_s + gap_s
    def build(body):
        body.lift(10.0, level=0.6, hold_s=10.0, release_s=release_s, residual=residual)
        body.lift(second_s, level=second_level, hold_s=6.0, release_s=0.8)
    events, _ = _seated_run(build, 60.0, seed=1, breath_kpa=0.03, fatigue_tau_s=4.0, fatigue_floor=0.5)
    first, second = [e for e in events if e.kind == "contraction"]
    assert 20.0 + 0.5 * release_s < first.end < second.start and first.metrics["hold_s"] < 12.0
    assert 1.0 < first.metrics["release_s"] < release_s and 0.05 < first.metrics["residual_kpa"] < 0.3
    assert first.metrics["peak_drop_kpa"] < 0.65
    assert abs(second.start - second_s) < 0.5 and second.metrics["hold_s"] < 8.0


def test_a_deep_inhale_at_its_ordinary_pace_on_a_tiring_weak_hold_is_no_let_go():
    """A hold two breath swings deep (0.2 kPa; 0.1 kPa breaths at 10 a minute), tiring (tau 15 s, to
    half), one inhale half as deep again at 18.6 s (a reviewer's probe of e728a80, seed 1: a let-go
    wait begun as the rise passed the drop left, and shortened once it passed half the peak but
    counted from its start, ended the hold at 21.9 s). One lift, to the let-go at 30.6 s."""
    def build(body):
        body.lift(10.0, level=0.2, hold_s=20.0, release_s=0.8)
        _deep_inhale(body, 18.6, 1.5, 2.4, 3.6)
    events, _ = _seated_run(build, 50.0, seed=1, breath_kpa=0.1, breath_rate_bpm=10.0, fatigue_tau_s=15.0,
                            fatigue_floor=0.5)
    [lift] = [e for e in events if e.kind == "contraction"]
    assert lift.end > 30.0


def test_a_hold_tiring_fast_while_breathing_deeply_is_held_to_its_let_go():
    """A 0.5 kPa hold losing over half of its drop with a time constant of 3 s, breathing 6 a minute
    with 0.16 kPa breaths (a reviewer's probe of e728a80, seed 0: ended at 19.7 s as a slow let-go).
    One lift, to the let-go at 25.6 s."""
    events, _ = _seated_run(lambda body: body.lift(10.0, level=0.5, hold_s=15.0, release_s=0.8), 45.0,
                            seed=0, breath_kpa=0.16, breath_rate_bpm=6.0, fatigue_tau_s=3.0, fatigue_floor=0.45)
    [lift] = [e for e in events if e.kind == "contraction"]
    assert lift.end > 25.0


@pytest.mark.slow
def test_a_push_under_way_as_a_lean_begins_keeps_the_baseline_where_it_was():
    """A push still on when a sideways lean is confirmed is no level before the lean (a
    reviewer's probe: the baseline fell by the push, 1 kPa, and both lifts after read as
    pushes)."""
    def build(body):
        body.bear_down(18.9, duration_s=2.0, rise_kpa=1.2)
        body.shift(20.0, hold_s=math.inf, lateral_kg=4.0, onset_s=0.8)
        body.lift(35.0, level=0.8, hold_s=5.0)
        body.lift(45.0, level=0.8, hold_s=5.0)
    events, baselines = _seated_run(build, 60, (19.0, 30.0))
    assert [e.kind for e in events if e.start > 30.0] == [CONTRACTION, CONTRACTION]
    assert baselines[30.0] == pytest.approx(baselines[19.0], abs=0.05)


def test_a_lean_across_the_seat_that_raises_the_perineal_level_is_no_push():
    """Leaning to one side (5 kg moved across in 0.8 s) with the perineal level 0.6 kPa up,
    breathing shallow (the push threshold low): a push was confirmed before the loads had
    moved the 2 kg that make a movement (the own corpus's distractors seed 100 at 138.3 s,
    once its leans were sized by the seated level). A push with the seat still is warned as
    fast as ever."""
    def build(body):
        body.shift(20.0, hold_s=8.0, lateral_kg=5.0, perineal_kpa=0.6, onset_s=0.8)
        body.bear_down(40.0, duration_s=2.0, rise_kpa=0.25)
    events, _ = _seated_run(build, 50, breath_kpa=0.005)
    [push] = [e for e in events if e.kind == BEAR_DOWN]
    assert 39.9 <= push.start < push.detected_at < 40.5


def test_a_fall_seen_as_a_lean_is_let_go_does_not_keep_its_new_level_unknown():
    """The own corpus's mixed seed 7 (leans sized by the seated level): sitting back up after
    leaning forward, the level's fall was seen as the return began (20.98 s), before the loads
    counted as moving, and was still pending when the movement was over: taken for a fall under
    way, it left the level after unknown, the baseline stayed at the leaning level, and the eight
    flicks that followed (30-48 s), falling from 0.3 kPa below it, were "not from rest"."""
    events = _benchmark_events("own", "mixed", 7)
    starts = [e.start for e in events if e.kind == CONTRACTION and e.retracted is None]
    assert all(any(abs(start - s) <= 0.3 for start in starts) for s in (30.16, 32.5, 35.15, 38.04, 40.5,
                                                                          43.04, 45.07, 47.28))


def test_a_lift_held_as_a_lean_is_over_is_no_new_posture_level():
    """A lift begun once the loads stood still but before the lean was over (no onset is taken
    until then) and let go in its last second: read as the posture's level, the baseline sat a
    lift too low and every let-go after it was a push (a reviewer's probe: 0 of 3 lifts after
    it found, 4 false bear-downs)."""
    def build(body):
        body.shift(20.0, hold_s=math.inf, lateral_kg=5.0, onset_s=1.0)
        body.lift(22.4, level=0.36, rise_s=0.4, hold_s=2.0, release_s=0.4)
        for start_s in (34.0, 44.0, 54.0):
            body.lift(start_s, level=0.36, rise_s=0.5, hold_s=3.0, release_s=0.5)
    events, baselines = _seated_run(build, 62, (9.0, 33.5), breath_kpa=0.03, drift_kpa_per_min=0.0,
                                    wander_kpa=0.006, unsteady_share=0.02)
    assert baselines[33.5] == pytest.approx(baselines[9.0], abs=0.05)
    assert [round(e.start) for e in events if e.kind in (CONTRACTION, BEAR_DOWN) and e.start > 30.0] == [34, 44, 54]


def test_a_lift_held_to_the_end_of_a_lean_whose_own_fall_was_seen_is_no_new_posture_level():
    """The own corpus's mixed seed 8 (frozen): a lean to one side from 100.7 s whose own fall
    was seen as it began, a 0.5 kPa lift from 108.4 s held past its end (109.5 s). With that
    fall taken for the movement's, the hold was read as the posture's level: a false 10 s
    bear-down from 111.5 s, and the real push at 116.9 s not warned (a reviewer's probe)."""
    events = _frozen_events("own-mixed-8.csv.gz")
    pushes = [e for e in events if e.kind == BEAR_DOWN and 100.0 < e.start < 125.0]
    assert [round(e.start, 1) for e in pushes] == [116.9] and pushes[0].detected_at < 117.3


def test_a_lean_going_on_from_a_squeeze_with_the_floor_still_lifted_moves_no_baseline():
    """Squeezing the buttocks along with a lift, then leaning while the floor is still held:
    the squeeze's level is not known to have come back, so the lean's end moves nothing (a
    reviewer's probe: the baseline moved by the whole lift and the let-go read as a push)."""
    def build(body):
        body.lift(20.0, level=0.8, hold_s=10.0)
        body.glute(20.0, hold_s=3.0, unload_kg=3.0, drop_kpa=0.1)
        body.shift(24.0, hold_s=2.0, lateral_kg=4.0)
    events, baselines = _seated_run(build, 45, (19.0, 40.0))
    assert BEAR_DOWN not in [e.kind for e in events]
    assert baselines[40.0] == pytest.approx(baselines[19.0], abs=0.05)


@pytest.mark.parametrize("lead_s", [0.4, 0.2])
def test_a_lift_begun_as_a_squeeze_is_let_go_is_found(lead_s):
    """A lift starting `lead_s` before the squeeze's loads are back: a fall within the
    movement but not with its start is the floor's (a reviewer's probe: once lost)."""
    def build(body):
        body.glute(20.0, hold_s=3.0)
        body.lift(23.6 - lead_s, level=0.8, hold_s=5.0)
    events, _ = _seated_run(build, 40)
    assert [e for e in events if e.kind == CONTRACTION and 22.5 < e.start < 24.0]


@pytest.mark.parametrize("seed", [0, 1])
def test_resuming_as_the_user_sits_down_learns_no_breath_from_the_sitting_down(seed):
    """The device resumes a session (a fresh warm-up) as soon as the seat is loaded, while the
    cushion's pressure is still climbing: learnt as breathing, it made the breaths seven times
    their size, and a normal lift after it a held breath (`make sim`'s strong persona was told
    *Adem rustig door* after its stand-up)."""
    from session.events import STAND_UP
    from session.seat import SeatTracker
    body = Body(BodyParams(max_drop_kpa=1.0), seed=seed)
    body.stand(15.0)
    body.sit(30.0)
    body.lift(40.0, level=0.8, hold_s=6.0)
    seat = SeatTracker()
    analyzer = Analyzer(seat=seat)
    sizes = {}                               # the breaths' size before standing up, and before the lift
    paused = False
    for t, kpa, left, right in synthesize(body, 55, 250, seed=seed):
        if 15.5 <= t < 30.3:                 # paused: the device records nothing
            if not paused:
                paused = True
                analyzer.stood_up(t)
            continue
        if paused and 30.3 <= t:
            paused = False
            analyzer.restart()
        seat.step(t, left, right)
        analyzer.step(t, kpa)
        for mark_s in (14.0, 39.5):
            if mark_s not in sizes and t >= mark_s:
                sizes[mark_s] = analyzer.breath.size_kpa
    assert [e.kind for e in analyzer.events if e.retracted is None] == [STAND_UP, CONTRACTION]
    assert sizes[39.5] == pytest.approx(sizes[14.0], rel=0.3)


@pytest.mark.parametrize("after_s", [1.0, 1.5])
@pytest.mark.parametrize("lateral_kg, forward_kg, kpa", [(4.0, 0.0, 0.0), (0.0, 3.0, 0.2), (2.0, 3.0, -0.03)])
@pytest.mark.sweep
def test_a_push_begun_once_a_leans_loads_arrived_is_warned_at_once(after_s, lateral_kg, forward_kg, kpa):
    """A posture movement lasts until its loads have been steady for seconds; a push made once
    they arrived was never warned (probe: 0 of 288). The level they arrived at is the reference."""
    push_s = 20.8 + after_s

    def build(body):
        body.shift(20.0, hold_s=math.inf, lateral_kg=lateral_kg, forward_kg=forward_kg, perineal_kpa=kpa,
                   onset_s=0.8)
        body.bear_down(push_s, duration_s=2.5, rise_kpa=0.5)
    events, _ = _seated_run(build, 40)
    [push] = [e for e in events if e.kind == BEAR_DOWN]
    assert push_s - 0.1 < push.start < push.detected_at < push_s + 0.7
    assert push.end == pytest.approx(push_s + 2.5, abs=0.3)


@pytest.mark.parametrize("push_s", [20.0, 20.3, 20.8])
def test_a_push_begun_as_a_lean_moves_leaves_no_lift_behind_it(push_s):
    """The level a posture arrives at with a push under way is the push's: taken for the new
    rest, the push's let-go was a lift (a draft of this change: 29 of 144)."""
    def build(body):
        body.shift(20.0, hold_s=math.inf, forward_kg=3.0, perineal_kpa=0.2, onset_s=0.8)
        body.bear_down(push_s, duration_s=2.5, rise_kpa=0.4)
    events, _ = _seated_run(build, 45)
    assert not [e for e in events if e.kind == CONTRACTION]


@pytest.mark.parametrize("forward_kg, kpa", [(0.0, 0.0), (3.0, 0.2)])
def test_a_lift_let_go_once_a_leans_loads_arrived_is_no_push(forward_kg, kpa):
    def build(body):
        body.shift(20.0, hold_s=math.inf, lateral_kg=3.0, forward_kg=forward_kg, perineal_kpa=kpa, onset_s=0.8)
        body.lift(21.1, level=0.8, rise_s=0.4, hold_s=1.0, release_s=0.5)
    events, _ = _seated_run(build, 40)
    assert not [e for e in events if e.kind == BEAR_DOWN]


@pytest.mark.parametrize("lift_s, kpa", [(20.24, 0.3), (20.48, 0.5), (19.8, 0.3)])
def test_a_lift_begun_as_a_lean_moves_or_just_before_is_no_push_when_let_go_after_the_loads_arrived(lift_s, kpa):
    """Its let-go rises from a level the lift left low, or, begun just before the lean, from a lift
    taken for the movement: measured from there, a push (a review: 18 of 32 and 8 of 8)."""
    def build(body):
        body.shift(20.0, hold_s=math.inf, lateral_kg=4.0, perineal_kpa=kpa, onset_s=0.8)
        body.lift(lift_s, level=0.6, hold_s=2.0)
    events, _ = _seated_run(build, 40)
    assert not [e for e in events if e.kind == BEAR_DOWN]


@pytest.mark.parametrize("delay_s, kpa", [(0.0, 0.3), (0.2, 0.5)])
def test_a_perineum_settling_after_a_leans_loads_is_no_push(delay_s, kpa):
    """The pelvis rolls on a moment after the loads have come to rest: the perineal level rises
    0.3-0.5 kPa over 0.4 s, 0-0.2 s after them (a review: 15 of 36 false bear-downs when the
    level was read a quarter second after the loads)."""
    def build(body):
        body.shift(20.0, hold_s=math.inf, lateral_kg=4.0, onset_s=0.8)
        body.shift(20.8 + delay_s, hold_s=math.inf, perineal_kpa=kpa, onset_s=0.4)
    events, _ = _seated_run(build, 40)
    assert not [e for e in events if e.kind == BEAR_DOWN]


@pytest.mark.parametrize("after_s", [1.5, 3.0])
@pytest.mark.parametrize("lateral_kg, kpa", [(4.0, 0.0), (-4.0, -0.02), (3.0, 0.05)])
@pytest.mark.parametrize("hold_s", [0.3, 4.0])
@pytest.mark.sweep
def test_a_lift_begun_once_a_leans_loads_arrived_is_found_from_their_level(after_s, lateral_kg, kpa, hold_s):
    """A sideways lean's movement lasts until its loads have been steady for 3 s; a lift (a flick,
    a hold) begun once they arrived had no onset until it was over, and then the floor was lifted
    already (the independent body model: 1 of 40 found 0.3-3 s after the loads arrived). Measured
    from the level the loads came to, it is found with its onset, and its let-go is no push."""
    lift_s = 20.8 + after_s

    def build(body):
        body.shift(20.0, hold_s=math.inf, lateral_kg=lateral_kg, perineal_kpa=kpa, onset_s=0.8)
        body.lift(lift_s, level=0.6, rise_s=0.3, hold_s=hold_s, release_s=0.4)
    events, _ = _seated_run(build, 40)
    [lift] = [e for e in events if e.kind == CONTRACTION]
    assert lift_s - 0.3 < lift.start < lift.detected_at < lift_s + 0.6
    assert lift.metrics["peak_drop_kpa"] == pytest.approx(0.6, abs=0.15)
    assert not [e for e in events if e.kind == BEAR_DOWN]


@pytest.mark.parametrize("seed", [2, 4])
def test_a_second_lean_from_an_arrival_leaves_no_onset_behind_and_the_next_lift_is_found(seed):
    """A review's probe: a lean, then 3 kg more with the perineal level 0.4 kPa lower while the
    first was still settling. The second began a lift's onset from the first's arrival, which was
    then taken back; the onset outlived it, the movement's end read it as a fall, the baseline
    stayed 0.4 kPa off for some 15 s, and a real lift in that time was not found (3 of 3 seeds)."""
    def build(body):
        body.shift(20.0, hold_s=math.inf, lateral_kg=4.0, onset_s=0.8)
        body.shift(23.6, hold_s=math.inf, lateral_kg=3.0, perineal_kpa=-0.4, onset_s=0.8)
        body.lift(31.0, level=0.6, rise_s=0.3, hold_s=4.0, release_s=0.4)
    events, _ = _seated_run(build, 45, seed=seed)
    [lift] = [e for e in events if e.kind == CONTRACTION and e.retracted is None]
    assert lift.start == pytest.approx(31.0, abs=0.3)
    assert lift.metrics["peak_drop_kpa"] == pytest.approx(0.6, abs=0.15)
    assert not [e for e in events if e.kind == BEAR_DOWN]


@pytest.mark.parametrize("delay_s, kpa", [(0.0, -0.3), (0.2, -0.5), (0.0, 0.3)])
@pytest.mark.parametrize("lateral_kg", [4.0, -3.0])
@pytest.mark.sweep
def test_a_perineum_settling_after_a_leans_loads_is_no_lift(delay_s, kpa, lateral_kg):
    """The pelvis rolls on a moment after the loads have come to rest: the perineal level falls (or
    rises) 0.3-0.5 kPa over 0.4 s, 0-0.2 s after them. Lifts are taken from the level the loads
    came to once it has been read steady: that settling is the posture's, no lift (nor a push)."""
    def build(body):
        body.shift(20.0, hold_s=math.inf, lateral_kg=lateral_kg, onset_s=0.8)
        body.shift(20.8 + delay_s, hold_s=math.inf, perineal_kpa=kpa, onset_s=0.4)
    events, baselines = _seated_run(build, 40, marks_s=(38.0,))
    assert not [e for e in events if e.kind in (CONTRACTION, BEAR_DOWN)]


@pytest.mark.parametrize("bpm, lateral_kg, forward_kg", [(12.0, 4.0, 0.0), (6.0, 0.0, 3.0)])
def test_a_lift_held_through_a_leans_end_is_no_push_when_let_go(bpm, lateral_kg, forward_kg):
    """Begun 1.5 s after the loads arrived, let go about a second after the movement is over: the
    level of the second before its end was the lift's, taken for the new rest, and the let-go a
    10 s bear-down (a review: 16 of 16, at 6 and at 12 breaths a minute)."""
    def build(body):
        body.shift(20.0, hold_s=math.inf, lateral_kg=lateral_kg, forward_kg=forward_kg, perineal_kpa=0.3,
                   onset_s=0.8)
        body.lift(22.3, level=0.6, hold_s=3.0)
    events, _ = _seated_run(build, 40, breath_rate_bpm=bpm)
    assert not [e for e in events if e.kind == BEAR_DOWN]


def test_after_a_lift_held_through_a_lean_the_level_it_is_let_go_to_is_rest():
    """Begun as the loads came to rest and held past the movement's end, the lift's level was
    taken for the posture's; its let-go is no push, and the level it rises to is rest again (a
    push 8 s later is warned for its own length, not as 10 s off a baseline left at the lift's)."""
    def build(body):
        body.shift(20.0, hold_s=math.inf, lateral_kg=4.0, perineal_kpa=0.2, onset_s=0.8)
        body.lift(20.8, level=0.6, hold_s=6.0)
        body.bear_down(35.0, duration_s=2.0, rise_kpa=0.5)
    events, _ = _seated_run(build, 50)
    [push] = [e for e in events if e.kind == BEAR_DOWN]
    assert 34.9 <= push.start < push.detected_at < 35.5 and push.end == pytest.approx(37.0, abs=0.4)


def test_a_cough_as_a_leans_loads_come_to_rest_hides_no_push_after_it():
    """The cough's spike, taken for a lift let go, held back every rise up to its peak for 15 s:
    0.4 kPa pushes 5 and 10 s later were not warned (a review)."""
    def build(body):
        body.shift(20.0, hold_s=math.inf, forward_kg=3.0, perineal_kpa=0.2, onset_s=0.8)
        body.cough(20.8, peak_kpa=1.5, duration_s=0.3)
        body.bear_down(26.0, duration_s=2.5, rise_kpa=0.4)
        body.bear_down(31.0, duration_s=2.5, rise_kpa=0.4)
    events, _ = _seated_run(build, 45)
    warned = [e.detected_at for e in events if e.kind == BEAR_DOWN]
    assert any(26.0 < t < 26.7 for t in warned) and any(31.0 < t < 31.7 for t in warned)


def test_a_lift_held_across_two_leans_is_no_push_when_let_go():
    """Held from after the first lean's loads arrived, let go after the second's: warned as a 10 s
    push (a review: 12 of 12)."""
    def build(body):
        body.shift(20.0, hold_s=math.inf, lateral_kg=4.0, onset_s=0.8)
        body.shift(25.8, hold_s=math.inf, forward_kg=3.0, perineal_kpa=0.2, onset_s=0.8)
        body.lift(21.3, level=0.6, hold_s=5.2)
    events, _ = _seated_run(build, 45)
    assert not [e for e in events if e.kind == BEAR_DOWN]


@pytest.mark.parametrize("back_kg, kpa, onset_s", [(1.5, -0.3, 1.0), (1.0, -0.2, 0.8), (3.0, -0.4, 1.5),
                                                   (2.0, -0.15, 0.6)])
@pytest.mark.slow
def test_a_push_after_a_lean_back_and_its_return_is_warned(back_kg, kpa, onset_s):
    """Leaning back (both sitting bones unloaded, the perineal level down), read as a squeeze of
    the buttocks, leaves the level unknown; sitting up again 12 s later moved the baseline by
    its own change from there, 0.2-0.4 kPa too high, and a 0.25 kPa push 13 s later was not
    warned (2 of these 4). A movement within 30 s after one that left the level unknown makes
    the level after it rest."""
    def build(body):
        body.shift(20.0, hold_s=math.inf, forward_kg=back_kg, perineal_kpa=kpa, onset_s=onset_s)
        body.shift(32.0, hold_s=math.inf, forward_kg=-back_kg, perineal_kpa=-kpa, onset_s=onset_s)
        body.bear_down(45.0, duration_s=2.0, rise_kpa=0.25)
    events, _ = _seated_run(build, 55, breath_kpa=0.005)
    assert [e for e in events if e.kind == BEAR_DOWN and 45.0 < e.detected_at < 45.5]


@pytest.mark.parametrize("kpa", [-0.15, 0.0, 0.2])
def test_a_lean_begun_during_a_hold_moves_the_baseline_by_its_own_change(kpa):
    """A lean to one side begun 3 s into a hold, the lift let go as the loads moved: the level
    before the lean was read in the hold, and the lean's end moved the baseline by the lift's
    depth as well (0.36-0.71 kPa too high here; the oracle's posture mix seed 2 at 317 s: 0.28
    too high, for minutes). The level before a movement begun with the floor lifted is rest."""
    def build(body):
        body.lift(20.0, level=0.6, hold_s=5.0)
        body.shift(23.0, hold_s=math.inf, lateral_kg=4.0, perineal_kpa=kpa, onset_s=0.8)
        body.bear_down(38.0, duration_s=2.0, rise_kpa=0.3)
    events, base = _seated_run(build, 45, marks_s=(19.0, 36.0))
    assert base[36.0] - base[19.0] == pytest.approx(kpa, abs=0.05)
    assert [e.kind for e in events if e.start > 30.0] == [BEAR_DOWN]


@pytest.mark.slow
def test_a_squeeze_of_the_buttocks_under_the_movement_threshold_is_no_clean_contraction():
    """The oracle's distractors seed 5: a squeeze at 103.1 s unloads the sitting bones by 0.55 kg
    together (0.6 kg make a movement) and drops the perineal level 0.14 kPa. With the baseline
    right after the squeeze before it, the contraction it looks like was reported clean: both
    sides unloading by more than 0.4 kg while a contraction is under way is a squeeze."""
    from session.events import GLUTE
    near = [e for e in _benchmark_events("oracle", "distractors", 5) if 102.0 < e.start < 105.0]
    assert [e.kind for e in near if e.retracted is None] == [GLUTE]
    assert [e.retracted for e in near if e.kind == CONTRACTION] in ([], [GLUTE])



@pytest.mark.parametrize("bpm, level, lean", [
    (12.0, 0.47, dict(lateral_kg=2.9, perineal_kpa=0.3)),
    (12.0, 0.54, dict(forward_kg=1.3, perineal_kpa=0.3)),
    (18.0, 0.7, dict(lateral_kg=-3.8, perineal_kpa=0.46)),
    (6.0, 0.7, dict(forward_kg=0.9, perineal_kpa=0.45))])
def test_a_lift_held_across_a_leans_start_whose_rise_hid_it_is_no_push_when_let_go(bpm, level, lean):
    """A lean begun a second into a 7 s hold raises the perineal level 0.3-0.5 kPa: the lift seems let
    go, and the level after the lean, the lift's still, was taken for rest; the let-go was then a 10 s
    bear-down (a review: 4 of 4). With the level after below the rest before, the rise back up by the
    lift's depth is its let-go, and the level it rises to rest: a push 8 s later is warned for its own
    length. (A lean that raises the level by as much as the lift's depth cannot be told from a let-go.)"""
    def build(body):
        body.lift(20.0, level=level, hold_s=7.0)
        body.shift(21.0, hold_s=math.inf, onset_s=0.6, **lean)
        body.bear_down(35.0, duration_s=2.0, rise_kpa=0.4)
    events, _ = _seated_run(build, 45, breath_rate_bpm=bpm)
    [push] = [e for e in events if e.kind == BEAR_DOWN]
    assert 34.9 <= push.start < push.detected_at < 35.5 and push.end == pytest.approx(37.0, abs=0.4)


@pytest.mark.parametrize("seed, bpm, breath_kpa, lift, lean", [
    (3, 18.0, 0.02, (20.0, 0.4906, 6.629), (23.7, dict(hold_s=8.0, lateral_kg=4.652, perineal_kpa=0.181,
                                                       onset_s=1.5))),
    (4, 18.0, 0.02, (20.0, 0.58, 4.36), (21.5, dict(hold_s=8.0, lateral_kg=-4.1, perineal_kpa=-0.02, onset_s=1.5))),
    (1, 18.0, 0.08, (25.5, 0.52, 4.5), (20.0, dict(hold_s=8.7, forward_kg=1.74, perineal_kpa=0.41, onset_s=0.6)))])
def test_a_lift_let_go_once_a_leans_loads_arrived_hides_no_push_after_it(seed, bpm, breath_kpa, lift, lean):
    """A lift held across a lean's start (or its return), its let-go seen once the loads had come to
    rest: that is the lift's end, the level after the lean is rest, and a push 6-10 s later is warned
    (a review: a let-go held for 15 s at the lift's depth above the level after hid 20 of 45)."""
    def build(body):
        body.lift(lift[0], level=lift[1], hold_s=lift[2])
        body.shift(lean[0], **lean[1])
        body.bear_down(39.4, duration_s=2.0, rise_kpa=0.3)
    events, _ = _seated_run(build, 48, seed=seed, breath_rate_bpm=bpm, breath_kpa=breath_kpa)
    assert [e for e in events if e.kind == BEAR_DOWN and 39.3 < e.detected_at < 39.9]


@pytest.mark.parametrize("seed, bpm, breath_kpa, lift, lean, push", [
    (1, 18.0, 0.08, (20.0, 0.728, 1.35), (21.28, dict(hold_s=math.inf, lateral_kg=3.105, perineal_kpa=0.326,
                                                      onset_s=0.6)), (31.71, 0.3)),
    (2, 12.0, 0.08, (19.66, 0.665, 0.85), (21.03, dict(hold_s=10.0, lateral_kg=-3.405, perineal_kpa=0.35,
                                                       onset_s=0.6)), (26.75, 0.5)),
    (1, 6.0, 0.02, (20.0, 0.591, 0.96), (20.59, dict(hold_s=10.0, lateral_kg=2.898, perineal_kpa=0.233,
                                                     onset_s=1.0)), (27.34, 0.25))])
def test_a_lift_let_go_as_a_lean_begins_hides_no_push_after_it(seed, bpm, breath_kpa, lift, lean, push):
    """A short hold or a flick let go together with a lean that raises the level: the level after it
    is above the rest before, so the lift was let go, and a push 6-10 s later is warned (a review:
    taken for a lift held still, its let-go kept every rise up to its depth from being a push)."""
    def build(body):
        body.lift(lift[0], level=lift[1], hold_s=lift[2])
        body.shift(lean[0], **lean[1])
        body.bear_down(push[0], duration_s=2.0, rise_kpa=push[1])
    events, _ = _seated_run(build, push[0] + 8.0, seed=seed, breath_rate_bpm=bpm, breath_kpa=breath_kpa)
    assert [e for e in events if e.kind == BEAR_DOWN and push[0] - 0.1 < e.detected_at < push[0] + 0.6]


@pytest.mark.parametrize("seed", [0, 2])
@pytest.mark.parametrize("pushes", [False, True])
@pytest.mark.slow
def test_after_a_low_floor_settled_as_rest_and_let_go_the_next_lift_is_found_and_no_push(seed, pushes):
    """A review of 01cebb2: a lift stepped down to floor 1 (as `lift` does) whose recovery settled
    there, let go 3 s after the settle: the let-go is no push -- and then the old rest must be the
    rest again. The baseline stayed on floor 1 and the let-go's rise waited to be 'a rise coming
    down': a lift 12 s later was not found. And (a second review) a push from floor 1 held for
    0.6 s was taken for the let-go back: the push's plateau became the rest; it is warned."""
    body = Body(BodyParams(max_drop_kpa=1.2, fatigue_floor=1.0), seed=seed)
    body.aim(30.0, 0.75)                     # floor 3 ...
    body.aim(33.0, 0.25)                     # ... floor 1, held
    analyzer = Analyzer()
    lift_t = math.inf
    for t, kpa, _, _ in synthesize(body, 110.0, 250, seed=seed):
        analyzer.step(t, kpa)
        if analyzer.lifts.settled_t == t and lift_t == math.inf:
            if pushes:                       # push from floor 1 for 3 s, then let go ...
                body.bear_down(t + 3.0, duration_s=3.0, rise_kpa=1.0)
                body.aim(t + 6.5, 0.0)
                push_t = t + 3.0
            else:
                body.aim(t + 3.0, 0.0)       # let go ...
            lift_t = t + 3.0 + 12.0          # ... and lift again 12 s later
            body.lift(lift_t, level=0.5, rise_s=1.0, hold_s=4.0, release_s=0.8)
    assert lift_t < 90.0, "the recovery settled on floor 1"
    after = [e for e in analyzer.events if e.detected_at > lift_t - 1.0 and e.kind == CONTRACTION]
    assert len(after) == 1 and after[0].start == pytest.approx(lift_t, abs=0.3)
    assert after[0].detected_at - lift_t < 0.5
    warned = [e.detected_at - push_t for e in analyzer.events if e.kind == BEAR_DOWN]
    assert (len(warned) == 1 and 0.0 < warned[0] < 0.5) if pushes else warned == []
