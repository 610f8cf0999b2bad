"""Each small tracker and detector of the analysis, on signals built for the one job it has."""

import math
import random
import statistics

import pytest

from coughs import flat_top_cough

from session import breathing
from session.analyzer import WARMUP, Analyzer
from session.breathing import BreathHoldDetector, BreathTracker, RestPower
from session.cough import CoughDetector
from session.detectability import (SENSOR_TOP_KPA, BAND_TAU_S, BREATH_SIZE_SEEN, HOLD_POWER, HOLD_VISIBLE_K,
                                    HOLD_WANDER_K, LIFT_BREATH_K, LIFT_NOISE_K, NOISE_FLOOR_KPA, RULE_BREATH_MARGIN,
                                    breath_hold_detectable,
                                    lift_detectable, push_detectable, smoothed_noise)
from session.events import BEAR_DOWN, BREATH_HOLD, CONTRACTION, COUGH, GLUTE, POSTURE, EventLog
from session.filters import History, OnePole, Resonator, RunningMedian, noise_gain
from session.lift import HOLD, LIFT, REST, LiftDetector
from session.arrival import ArrivalLifts, ArrivalPushes, PostureArrival
from session.push import ACTIVE, CANDIDATE, NONE, PushDetector
from session.rest import RestTracker, Thresholds
from session.seat import SeatMoveDetector, SeatTracker


def times(duration_s, rate_hz):
    return [i / rate_hz for i in range(int(duration_s * rate_hz))]


# --- filters -------------------------------------------------------------------------------
@pytest.mark.parametrize("rate_hz", [50, 250])
def test_a_one_pole_reaches_63_percent_of_a_step_after_one_time_constant_at_any_rate(rate_hz):
    f = OnePole(0.2)
    dt = 1.0 / rate_hz
    for _ in range(int(0.2 * rate_hz)):
        f.step(1.0, dt)
    assert f.y == pytest.approx(1 - math.exp(-1), abs=0.03)


def test_noise_gain_matches_what_white_noise_leaves_after_the_filter():
    rng = random.Random(1)
    f, dt = OnePole(0.04), 0.004
    values = []
    for i in range(20000):
        values.append(f.step(rng.gauss(0, 1), dt))
    sd = (sum(v * v for v in values[100:]) / len(values[100:])) ** 0.5
    assert sd == pytest.approx(noise_gain(0.04, dt), rel=0.05)


@pytest.mark.parametrize("rate_hz", [50, 250])
@pytest.mark.parametrize("q", [1.0, 2.0])
@pytest.mark.parametrize("ratio", [1.0, 3.0, 1 / 3])
def test_a_resonator_passes_its_centre_whole_and_a_third_or_three_times_it_as_its_q_says(rate_hz, q, ratio):
    """At 0.25 Hz (a breath of 4 s): a sine at `ratio` x the centre comes out 1 / sqrt(1 +
    Q^2 (ratio - 1 / ratio)^2) as large, at any sampling rate."""
    gain = 1 / (1 + q * q * (ratio - 1 / ratio) ** 2) ** 0.5
    f, dt, freq = Resonator(q), 1.0 / rate_hz, 0.25 * ratio
    peak = 0.0
    for i in range(int(120 * rate_hz)):
        y = f.step(math.sin(2 * math.pi * freq * i * dt), dt, 0.25)
        if i * dt > 60.0:
            peak = max(peak, abs(y))
    assert peak == pytest.approx(gain, rel=0.02)


def test_history_keeps_one_value_per_slot_and_answers_over_a_window():
    h = History(span_s=1.0, every_s=0.099)
    for i in range(60):                                  # 3 s of a ramp, every 0.05 s
        h.push(i / 20, float(i))
    assert h.max_since(2.0, -1) == 58.0                   # stored every other sample: ... 54, 56, 58
    assert h.min_since(2.0, 1e9) == 40.0
    assert h.value_at(2.35, -1) == 46.0
    assert h.mean_between(2.0, 2.21, -1) == pytest.approx(42.0)
    assert h.last_time_at_or_above(51.0, -1) == pytest.approx(2.9)
    assert h.last_time_at_or_below(47.0, -1) == pytest.approx(2.3)
    assert h.min_since(0.0, 1e9) == 36.0                   # older values have been overwritten
    h.clear()
    assert h.max_since(0.0, -5.0) == -5.0


@pytest.mark.parametrize("rate_hz", [50, 100, 125, 128, 250, 400])
def test_history_keeps_a_value_every_so_often_on_average_at_any_rate(rate_hz):
    """Its 10 ms values were 16 ms apart at 125 Hz (due a step after the last one): a rise read
    against the value 50 ms back came later in pairs of 250 Hz samples than one by one."""
    h = History(span_s=10.0, every_s=0.01)
    for i in range(int(3.0 * rate_hz)):
        h.push(i / rate_hz, float(i))
    stored = sum(1 for i in range(int(3.0 * rate_hz)) if h.value_at(i / rate_hz, -1.0) == float(i))
    assert stored == pytest.approx(3.0 / max(0.01, 1 / rate_hz), rel=0.02)


def test_history_overwrites_the_values_stored_after_a_time_and_no_others():
    h = History(span_s=1.0, every_s=0.099)
    for i in range(60):                                  # as above: ... 54, 56, 58 at 2.7, 2.8, 2.9 s
        h.push(i / 20, float(i))
    h.overwrite_since(2.75, -1.0)
    assert h.value_at(2.9, 0.0) == h.value_at(2.8, 0.0) == -1.0
    assert h.value_at(2.75, 0.0) == 54.0 and h.min_since(0.0, 1e9) == -1.0 and h.max_since(0.0, -5.0) == 54.0
    h.overwrite_since(2.25, -2.0)                        # across the ring's end (2.4 s is in its slot 0)
    assert h.value_at(2.3, 0.0) == h.value_at(2.4, 0.0) == h.value_at(2.9, 0.0) == -2.0
    assert h.value_at(2.25, 0.0) == 44.0 and h.max_since(0.0, -5.0) == 44.0


def test_history_tells_when_the_signal_first_fell_by_so_much():
    h = History(span_s=6.0, every_s=0.1)
    for i in range(60):                                  # flat at 1 until 3 s, a step up, a dip
        t = i / 10
        h.push(t, 1.0 if t < 3.0 else 2.0 if not 4.8 <= t < 5.2 else 1.5)
    assert h.first_fall(0.0, 5.9, 0.5, 0.3) == pytest.approx(4.8)
    assert math.isnan(h.first_fall(0.0, 5.9, 0.5, 0.6))                       # never that far
    assert math.isnan(h.first_fall(5.0, 5.9, 0.5, 0.3))                       # not since


# --- rest and thresholds -------------------------------------------------------------------
@pytest.mark.parametrize("sd", [0.002, 0.01])
def test_the_noise_is_measured_under_breathing_and_never_below_the_adc_floor(sd):
    rng = random.Random(2)
    rest = RestTracker()
    dt = 0.01
    for t in times(8, 100):
        x = 2.5 + 0.03 * math.sin(2 * math.pi * t / 4) + rng.gauss(0, sd)
        rest.warm(x, x, dt)
    rest.finish_warmup()
    assert rest.noise_kpa == pytest.approx(sd, rel=0.1)
    quiet = RestTracker()
    for _ in range(100):
        quiet.warm(2.5, 2.5, dt)
    quiet.finish_warmup()
    assert quiet.noise_kpa == NOISE_FLOOR_KPA


def test_thresholds_scale_with_what_rest_looks_like():
    def thresholds(k):
        rest = RestTracker()
        rest.noise_kpa, rest.deviation_kpa, rest.dt_s = 0.004 * k, 0.01 * k, 0.01
        thr = Thresholds()
        thr.update(rest, 0.02 * k, 4.0)
        return thr
    one, three = thresholds(1.0), thresholds(3.0)
    for name in ("lift_fall_kpa", "lift_level_kpa", "push_kpa", "noise_y_kpa", "breath_kpa"):
        assert getattr(three, name) == pytest.approx(3.0 * getattr(one, name))


def test_the_baseline_follows_a_far_off_level_only_slowly():
    rest = RestTracker()
    rest.baseline_kpa = 2.0
    for _ in range(100):                                 # 1 s, 0.5 kPa off, step 0.05
        rest.follow(2.5 - rest.baseline_kpa, 0.05, 0.01)
    assert 2.0 < rest.baseline_kpa < 2.0 + 0.05 * 1.0 / 10.0 + 1e-9


def test_the_rule_is_stated_in_noise_and_breathing_not_in_kpa():
    assert lift_detectable(0.03, 0.001, 0.005, 100)          # 0.03 kPa: a weak floor, quiet cushion
    assert not lift_detectable(0.3, 0.01, 0.3, 100)         # 0.3 kPa under breathing as large
    assert lift_detectable(3 * 0.03, 3 * 0.001, 3 * 0.005, 100)
    assert push_detectable(0.3, 0.002, 0.01, 250, duration_s=1.0)
    assert not push_detectable(0.3, 0.002, 0.01, 250, duration_s=0.3)   # as short as a cough


# --- contractions ---------------------------------------------------------------------------
def _rest_at(level=2.5, noise=0.002, breath=0.01, period_s=4.0):
    rest = RestTracker()
    rest.baseline_kpa, rest.noise_kpa, rest.deviation_kpa, rest.dt_s = level, noise, breath / 3.5, 0.01
    thr = Thresholds()
    thr.update(rest, breath / 1.25, period_s)
    return rest, thr


def _run_lift(shape, duration_s=20.0, quiet=lambda t: True, period_s=4.0):
    log = EventLog()
    history, slow = History(2.0, 0.01), History(6.0, 0.1)
    lifts = LiftDetector(log, history, slow)
    rest, thr = _rest_at(period_s=period_s)
    smooth = OnePole(0.04, 2.5)
    states = []
    for t in times(duration_s, 100):
        log.begin(t)
        y = smooth.step(2.5 + shape(t), 0.01)
        history.push(t, y)
        slow.push(t, y)
        lifts.step(t, 0.01, y, rest, thr, quiet(t), -1e9)
        states.append(lifts.state)
    return log.events, states


def _trapezoid(start, rise, hold, release, drop):
    def shape(t):
        if t < start:
            return 0.0
        if t < start + rise:
            return -drop * (t - start) / rise
        if t < start + rise + hold:
            return -drop
        if t < start + rise + hold + release:
            return -drop * (1 - (t - start - rise - hold) / release)
        return 0.0
    return shape


def test_a_lift_is_raised_backdated_held_and_completed_with_its_metrics():
    events, states = _run_lift(_trapezoid(5.0, 0.4, 5.0, 0.5, 0.2))
    [lift] = events
    assert lift.kind == CONTRACTION
    assert lift.start == pytest.approx(5.0, abs=0.15) and lift.detected_at < 5.5
    assert lift.end == pytest.approx(10.9, abs=0.4)
    assert lift.metrics["peak_drop_kpa"] == pytest.approx(0.2, rel=0.05)
    assert lift.metrics["hold_s"] == pytest.approx(5.5, abs=0.5)
    assert {LIFT, HOLD} <= set(states) and states[-1] == REST


def test_a_slow_lift_is_found_once_it_stays_below_longer_than_a_breaths_trough():
    events, _ = _run_lift(_trapezoid(5.0, 2.5, 6.0, 0.5, 0.1))
    [lift] = events
    assert lift.start == pytest.approx(5.0, abs=1.0)


def test_a_level_drifting_down_over_seconds_is_no_lift_but_a_lift_rising_over_two_is():
    """Left below rest after a release, or wandering, the level drifts down by twice the level
    threshold over 4 s -- as far as the fall threshold in 3 s, slower than a lift: no lift. A
    lift rising by as much over the 2 s a programme gives it (`rise_s`), one."""
    _, thr = _rest_at()
    drift = 2.0 * thr.lift_level_kpa
    events, _ = _run_lift(lambda t: -drift * min(max(t - 5.0, 0.0) / 4.0, 1.0))
    assert events == []
    events, _ = _run_lift(lambda t: -drift * min(max(t - 5.0, 0.0) / 2.0, 1.0))
    [lift] = events
    assert lift.start == pytest.approx(5.0, abs=0.4)


def test_a_slow_lift_is_found_at_slow_breathing_when_its_fall_is_long_past():
    """At 10 s breaths a slow lift is confirmed once it has stayed below for 3.5 s, by when
    its 2 s fall has left the 2.5 s window: the fall seen on the way is kept."""
    _, thr = _rest_at(period_s=10.0)
    drop = 2.0 * thr.lift_level_kpa
    events, _ = _run_lift(lambda t: -drop * min(max(t - 5.0, 0.0) / 2.0, 1.0), period_s=10.0)
    [lift] = events
    assert lift.start == pytest.approx(5.0, abs=0.4)


@pytest.mark.parametrize("phase", [0.85, 0.9, 0.95, 0.0, 0.05, 0.1, 0.15])
def test_a_slow_lift_near_the_rule_begun_as_an_inhale_begins_is_found(phase):
    """A lift of 1.2 times the rule's least drop, rising over 2 s, begun at the end of an exhale
    or as an inhale begins (`phase` of a 4 s breath): the inhale holds the fall back for a while
    (a reviewer's probe: 7 in 100 such lifts were lost when the fall had to come within 1.5 s)."""
    period_s, swing = 4.0, 0.01
    drop = 1.2 * ((LIFT_BREATH_K + RULE_BREATH_MARGIN) * swing + LIFT_NOISE_K * smoothed_noise(0.002, 100))
    breath = _breathing(period_s, swing, phase_s=-(10.0 - phase * period_s))
    events, _ = _run_lift(lambda t: breath(t) - drop * min(max(t - 10.0, 0.0) / 2.0, 1.0), period_s=period_s)
    assert len(events) == 1 and events[0].start == pytest.approx(10.0, abs=1.0)


def test_a_lift_after_the_level_sagged_is_not_backdated_across_the_sag():
    """The level sags 0.9 level thresholds below rest over 3 s (wander, a held inhale's pause;
    a breath's trough at 3 s dips it past the threshold), then at 5 s the floor lifts 1.6 level
    thresholds further in 1.2 s -- too slowly for the fall window, so the slow path finds it,
    from where it fell: the onset is 4.5 s (the sag's last half second is part of the fall), not
    back across the sag (2.2 s when the slow path measured the fall over its last 4 s)."""
    _, thr = _rest_at()
    level = thr.lift_level_kpa

    def shape(t):
        if t < 2.0:
            return 0.0
        if t < 5.0:
            return -(1.1 if 3.0 <= t < 3.1 else 0.3 * (t - 2.0)) * level
        return -(0.9 + 1.6 * min(1.0, (t - 5.0) / 1.2)) * level
    events, _ = _run_lift(shape)
    [lift] = events
    assert lift.start == pytest.approx(5.0, abs=0.6)


def test_a_lift_begun_at_the_end_of_a_long_exhale_is_timed_from_its_own_fall():
    """An inhale, then a long exhale that dwells 1.25 level thresholds below rest, then a quick
    lift: the slow path's conditions are met the moment the lift starts falling, and it took the
    onset from the inhale's top, 2.7 s early (the early onsets of both corpora's deep breathers,
    and false lifts with a missed one on the independent model's fresh seeds). A lift falling
    as fast as a quick one waits for its fall, and is timed from where the level dwelt."""
    _, thr = _rest_at(period_s=4.0)
    level = thr.lift_level_kpa

    def shape(t):
        if t < 8.0:
            return 0.0
        if t < 8.5:
            return 0.6 * level * (t - 8.0) / 0.5                # the inhale ...
        if t < 10.5:
            return 0.6 * level - 1.85 * level * (t - 8.5) / 2.0  # ... a long exhale ...
        if t < 11.6:
            return -1.25 * level                                 # ... dwelling below rest
        if t < 12.0:
            return -(1.25 + 6.0 * (t - 11.6) / 0.4) * level       # the lift
        if t < 17.0:
            return -7.25 * level
        return -7.25 * level * max(0.0, 1.0 - (t - 17.0) / 0.5)
    events, _ = _run_lift(shape)
    [lift] = events
    assert lift.start == pytest.approx(11.6, abs=0.3)
    assert lift.detected_at < 12.5


def _slow_let_go_then_lift(t):
    """A 0.1 kPa hold let go over 3 s to a residual of a third (fading over 10 s), then a
    second lift."""
    if t < 5.0:
        return 0.0
    if t < 5.4:
        return -0.1 * (t - 5.0) / 0.4
    if t < 11.4:
        return -0.1
    if t < 14.4:
        return -0.1 + 0.067 * (t - 11.4) / 3.0
    residual = -0.033 * max(0.0, 1.0 - (t - 14.4) / 10.0)
    if t < 20.0:
        return residual
    return residual - (0.1 if t < 25.0 else 0.0)


def test_a_lift_let_go_slowly_to_a_residual_ends_and_the_next_is_its_own():
    events, _ = _run_lift(_slow_let_go_then_lift, duration_s=30.0)
    assert [round(e.start) for e in events] == [5, 20]
    assert events[0].end < 16.5          # half a breath after it passed half the peak


def _breathing(period_s, swing_kpa, phase_s=0.0):
    """A breath: the pressure rises `swing_kpa` in the inhale, the first 40 % of `period_s`."""
    def kpa(t):
        x = ((t + phase_s) / period_s) % 1.0
        inhale = 0.5 * (1.0 - math.cos(math.pi * x / 0.4)) if x < 0.4 else 0.5 * (1.0 + math.cos(math.pi * (x - 0.4) / 0.6))
        return swing_kpa * (inhale - 0.5)
    return kpa


@pytest.mark.parametrize("residual", [0.45, 0.5])
def test_a_slow_let_go_to_about_half_the_peak_ends_though_each_breath_takes_it_back_across(residual):
    """A 0.1 kPa hold let go over 3 s to `residual` of it, held there (a breath of 0.02 kPa
    every 4 s on top, carrying the drop back and forth across half the peak): released within
    a few breaths, not at the end of the residual at 44 s."""
    breath = _breathing(4.0, 0.02)
    def shape(t):
        if t < 5.0 or t >= 44.4:
            return breath(t)
        if t < 5.4:
            return breath(t) - 0.1 * (t - 5.0) / 0.4
        if t < 11.4:
            return breath(t) - 0.1
        return breath(t) - 0.1 + (1.0 - residual) * 0.1 * min(1.0, (t - 11.4) / 3.0)
    events, _ = _run_lift(shape, duration_s=50.0)
    assert events[0].end < 20.0


@pytest.mark.parametrize("period_s, swing_breaths, phase_s", [(6.0, 1.5, 0.0), (10.0, 1.5, 3.0), (10.0, 2.0, 7.0)])
def test_a_slow_deep_inhale_on_a_weak_hold_is_no_let_go(period_s, swing_breaths, phase_s):
    """A 2.5-breath hold (0.025 kPa; the resting breath 0.01), breathed through slowly and
    deeply: each inhale takes the drop below half its peak, by half of it within 3 s -- as a
    slow let-go does -- but is over within half a breath."""
    breath = _breathing(period_s, swing_breaths * 0.01, phase_s)
    events, _ = _run_lift(lambda t: breath(t) - (0.025 if 5.0 <= t < 45.0 else 0.0), duration_s=50.0,
                          period_s=period_s)
    [lift] = events
    assert lift.end == pytest.approx(45.0, abs=0.6)


def test_a_hold_that_sags_below_half_its_peak_while_breathing_is_one_lift():
    """Losing a tenth of the peak every 3 s (faster than either body model tires), from 5 s on
    below half of it while still sagging, a resting breath every 5 s on top: one lift to the
    release at 24 s."""
    breath = _breathing(5.0, 0.01)
    def shape(t):
        if t < 3.0 or t > 24.0:
            return breath(t)
        return breath(t) - 0.1 * (1.0 - min(0.6, 0.1 * (t - 3.0) / 3.0))
    events, _ = _run_lift(shape, duration_s=30.0, period_s=5.0)
    [lift] = events
    assert lift.end == pytest.approx(24.0, abs=0.6)


def test_a_slow_drift_down_is_no_lift():
    events, _ = _run_lift(lambda t: -0.003 * t)            # a leaking cushion, 0.18 kPa a minute
    assert events == []


def test_no_onset_is_taken_while_the_seat_moves():
    events, _ = _run_lift(_trapezoid(5.0, 0.4, 2.0, 0.5, 0.2), quiet=lambda t: t > 9.0)
    assert events == []


# --- bear-downs and coughs -----------------------------------------------------------------
def _run_push(shape, duration_s=10.0, rail_kpa=math.inf, rate_hz=250, seed=7):
    """`shape` above a rest of 2.5 kPa, with the sensor's noise (a flat line is a sensor at
    its end of range), read up to `rail_kpa`, at `rate_hz`."""
    log = EventLog()
    history = History(2.0, 0.01)
    pushes = PushDetector(log, history)
    rest, thr = _rest_at()
    smooth, fast = OnePole(0.04, 2.5), OnePole(0.01, 2.5)
    noise = random.Random(seed)
    raised = []
    for t in times(duration_s, rate_hz):
        log.begin(t)
        x = min(2.5 + shape(t) + noise.gauss(0.0, rest.noise_kpa), rail_kpa)
        y, yf = smooth.step(x, 1.0 / rate_hz), fast.step(x, 1.0 / rate_hz)
        history.push(t, y)
        pushes.step(t, x, y, yf, rest.baseline_kpa, rest, thr.push_kpa, True)
        raised += [n.event for n in log.notices if n.change == "raised"]
    return raised, log.events


def test_a_push_is_warned_within_a_few_tenths_of_a_second_and_ends_when_let_go():
    raised, events = _run_push(_trapezoid(2.0, 0.3, 2.0, 0.3, -0.5))
    [push] = raised
    assert push.kind == BEAR_DOWN
    assert push.detected_at - 2.0 < 0.35
    assert push.end == pytest.approx(4.5, abs=0.3) and push.metrics["peak_rise_kpa"] > 0.45


def test_a_coughs_spike_is_not_a_push():
    def cough(t):
        return 1.5 * math.exp(-((t - 2.1) / 0.05) ** 2)
    raised, _ = _run_push(cough)
    assert raised == []


@pytest.mark.parametrize("flat_s, rate_hz, seed", [(0.1, 250, 7), (0.105, 125, 7), (0.105, 125, 8)])
def test_a_coughs_spike_with_a_flat_top_is_not_a_push(flat_s, rate_hz, seed):
    """A cough that holds its compression for 0.1 s at four times the push threshold (0.1 s up,
    0.1 s at the top, 0.15 s out): the confirmation has seen it fall (a reviewer's probe:
    confirmed at 0.17 s and sooner while it asked for 85 % of the peak). At the device's
    analysed rate (125 Hz, in pairs) it sees a top of 0.105 s fall too: a confirmation of
    0.175 s asking for 85 % took it for a push in 20 of 20 seeds; asking for 92 % it sees the
    fall sooner (none of 20). The whole analyzer on paired samples, with the sensor's noise, jitter
    and dropped samples, and at 8x the threshold too: tests/test_analyzer.py,
    `test_coughs_with_a_flat_top_at_the_devices_rate_pass_for_pushes_no_more_often`."""
    _, thr = _rest_at()
    top = 4.0 * thr.push_kpa

    cough = flat_top_cough(top, flat_s, 2.0 - 0.37 / rate_hz)       # begun between two samples
    raised, _ = _run_push(cough, rate_hz=rate_hz, seed=seed)
    assert raised == []


def test_a_cough_past_the_sensors_range_is_not_a_push():
    """A hard cough whose spike the sensor cuts off above its rated range (7.5 kPa over a rest of
    2.5, up in 40 ms, read flat at 10 kPa for 0.18 s, down in 0.16 s: a corpus's recording at
    1.9x gain): its peak and shape are unknown while the reading is there, and it has fallen by
    the time they are known again (it was warned as a push, 0.19 s in)."""
    def cough(t):
        u = t - 2.0
        if u <= 0.0 or u >= 0.32:
            return 0.0
        return 1.4 * 7.5 * min(u / 0.04, 1.0, (0.32 - u) / 0.16)
    raised, _ = _run_push(cough, rail_kpa=SENSOR_TOP_KPA)
    assert raised == []


def test_a_push_past_the_sensors_range_is_warned_once_it_lasts():
    raised, _ = _run_push(_trapezoid(2.0, 0.1, 2.0, 0.3, -8.0), rail_kpa=SENSOR_TOP_KPA)
    [push] = raised
    assert push.detected_at - 2.0 < 0.6


def test_a_push_with_a_steady_top_below_the_sensors_range_is_warned_as_soon_as_ever():
    """A push that stands still at its top (a reading of a step's noise or less) is not cut
    off: only a reading past the sensor's range holds the warning back."""
    raised, _ = _run_push(_trapezoid(2.0, 0.15, 2.0, 0.3, -1.0), rail_kpa=3.4)
    [push] = raised
    assert push.detected_at - 2.0 < 0.35


def test_the_cough_detector_reports_the_spike_with_its_peak():
    log = EventLog()
    coughs = CoughDetector(log)
    coughs.reset(2.5)
    for t in times(4, 250):
        log.begin(t)
        coughs.step(t, 0.004, 2.5 + 1.5 * math.exp(-((t - 2.1) / 0.05) ** 2), 2.5, 0.05)
    [cough] = log.events
    assert cough.kind == COUGH and cough.start == pytest.approx(2.0, abs=0.1)
    assert cough.metrics["peak_kpa"] == pytest.approx(1.5, rel=0.05) and not cough.metrics["below_rest"]


@pytest.mark.parametrize("wobble_hz", [1.0, 1.5, 2.5])
def test_a_held_lifts_quick_wavering_is_no_cough_but_a_cough_on_it_is(wobble_hz):
    """A 2 kPa hold (3-10 s; held, `steady`, from 3.5 s) wavering by up to 0.08 kPa (4 %, grown
    over its first 2 s) a few times a second rises above its 0.5 s mean by more than the push
    threshold (0.05 kPa) every cycle -- each a cough event once (the benchmark's corpora: 229 and
    124 in holds); coughs of 0.5 kPa on it stand far above that, and a burst of three at rest after
    it (0.6 s apart, down to 0.25 kPa) is judged as ever: one event each, and no other."""
    def level(t):
        lifted = 2.0 if 3.0 <= t < 10.0 else 0.0
        wobble = 0.08 * min(1.0, (t - 3.0) / 2.0) * math.sin(2 * math.pi * wobble_hz * t) if lifted else 0.0
        spikes = sum(peak * math.exp(-((t - at) / 0.05) ** 2)
                     for at, peak in ((6.0, 0.5), (8.5, 0.5), (12.0, 0.5), (12.6, 0.35), (13.2, 0.25)))
        return 2.5 - lifted + wobble + spikes + 0.002 * math.sin(2 * math.pi * 7.3 * t)
    log = EventLog()
    coughs = CoughDetector(log)
    coughs.reset(level(0.0))
    for t in times(15.0, 250):
        log.begin(t)
        coughs.step(t, 0.004, level(t), 2.5, 0.05, steady=3.5 <= t < 10.0)
    starts = [e.start for e in log.events if e.kind == COUGH]
    assert starts == pytest.approx([5.9, 8.4, 11.9, 12.5, 13.1], abs=0.15)


def _spikes_at(at_s, peak_kpa=0.5):
    """A resting level with sharp spikes of `peak_kpa` (about 0.2 s wide) at each of `at_s`."""
    return lambda t: 2.5 + sum(peak_kpa * math.exp(-((t - at) / 0.05) ** 2) for at in at_s)


def test_a_spike_the_push_detector_took_for_a_push_is_no_cough_and_the_next_one_is():
    """A short push warned as a bear-down whose rise is back down within the cough's 0.6 s was
    also counted a cough (the oracle's pushes: 86 false coughs in 10.5 h): one action, one event."""
    level = _spikes_at((2.0, 4.0))
    log = EventLog()
    coughs = CoughDetector(log)
    coughs.reset(level(0.0))
    for t in times(6.0, 250):
        log.begin(t)
        coughs.step(t, 0.004, level(t), 2.5, 0.05)
        if 1.95 <= t < 1.96 and coughs.start_t >= 0.0:          # the push detector raises a push
            coughs.taken_for_push()
    assert [e.start for e in log.events if e.kind == COUGH] == pytest.approx([3.9], abs=0.1)


@pytest.mark.parametrize("stood_up", [False, True])
def test_spikes_as_the_body_rises_off_the_seat_wait_for_the_seat_to_tell(stood_up):
    """Standing up raises the perineal pressure as sharply as a cough (the oracle: 15 false coughs
    in 10.5 h, the seat's load 12-32 % down and falling as they ended); a cough bent forward unloads
    the seat as fast, and coughs come in twos and threes. The spikes wait: coughs, each with its own
    times, once the seat stops falling; none once the body is off it."""
    level = _spikes_at((2.0, 2.45))
    log = EventLog()
    coughs = CoughDetector(log)
    coughs.reset(level(0.0))
    raised_t = []
    for t in times(5.0, 250):
        log.begin(t)
        rising_off = 1.9 <= t < 2.8                          # the loads fall until 2.8 s ...
        if coughs.held:
            coughs.settle(t, rising_off, stood_up and t >= 2.7)    # ... off the seat by 2.7 s, or not
        coughs.step(t, 0.004, level(t), 2.5, 0.05, rising_off=rising_off)
        raised_t += [t for notice in log.notices if notice.event.kind == COUGH]
    found = [e for e in log.events if e.kind == COUGH]
    if stood_up:
        assert found == [] and not coughs.held
    else:
        assert [e.start for e in found] == pytest.approx([1.9, 2.35], abs=0.1)
        assert all(e.end < 2.7 for e in found) and raised_t == pytest.approx([2.8, 2.8], abs=0.01)


# --- breathing ------------------------------------------------------------------------------
def test_the_breathing_bands_tables_are_worked_out_when_a_tracker_is_made_never_on_a_sample():
    """The band's noise tables take a few ms once a process: worked out at the warm-up's end, the
    first session after the device started kept a Pi Zero's sample waiting some 13 ms (the session
    benchmark's first run dropped 2-3 samples at 8 s, every run after none)."""
    tables = (breathing._band_noise_share, breathing._tuned_bandwidths_hz)
    for table in tables:
        table.cache_clear()
    analyzer = Analyzer()
    made = [table.cache_info().misses for table in tables]
    assert made == [1, 1]
    for t in times(20.0, 250):                        # the warm-up, and on
        analyzer.step(t, 2.5 + 0.01 * math.sin(2 * math.pi * t / 4.0))
    assert analyzer.state != WARMUP
    assert [table.cache_info().misses for table in tables] == made


def _breathe(duration_s, stop_s=None, resume_s=None, period_s=4.0, size=0.02, holding=lambda t: True,
             railed=lambda t: False, release_s=(), gap=(0.0, 0.0), letting_go_kpa=0.0, unsteady_kpa=0.0,
             drop_swings=3.0, noise_kpa=0.001, holding_swing=1.0, learn_in_hold=True, sway_share=0.0,
             hump=(0.0, 0.0, 1.0), rise=(0.0, 0.0)):
    """Breathing (a sine of `period_s`, `size` trough to peak, under white noise of sd
    `noise_kpa`), stopped from `stop_s` to `resume_s`; `holding(t)`: a contraction is under way
    (the level itself does not move: only the release is told it dropped `drop_swings` breath
    swings; the breath swings `holding_swing` as much, and is learnt from then too unless not
    `learn_in_hold`), unsteady by `unsteady_kpa` (sd:
    two sines, at 0.8 and 1.3 Hz); at each time in `release_s` a release is seen, the pressure
    rising by `letting_go_kpa` over the half second before it; no samples within `gap` (the
    band resumed after it); throughout, a slow sway (a sine of 2.5 breath periods) with
    `sway_share` of the breaths' power; once, a `hump` (start s, height kPa, width s: half a
    sine), as a settle or a fidget; within `rise` (start s, end s) the band restarts every sample,
    as the analyzer restarts it while a lift rises."""
    release_s = (release_s,) if isinstance(release_s, float) else release_s
    log = EventLog()
    breath = BreathTracker()
    holds = BreathHoldDetector(log, breath)
    breath.start(0.0, 2.5)
    breath.set_noise(noise_kpa, 0.01)
    rng = random.Random(3)
    was_railed = False
    for t in times(duration_s, 100):
        if gap[0] <= t < gap[1]:
            continue
        after_gap = gap[1] > gap[0] and gap[1] <= t < gap[1] + 0.005
        log.begin(t)
        held = stop_s is not None and stop_s <= t < (resume_s or 1e9)
        swing = 0.0 if held else size * (holding_swing if holding(t) else 1.0)
        x = 2.5 + swing / 2 * math.sin(2 * math.pi * t / period_s) + rng.gauss(0, noise_kpa)
        x += sum(letting_go_kpa * (t - r + 0.5) / 0.5 for r in release_s if r - 0.5 <= t < r)
        x += sway_share ** 0.5 * size / 2 * math.sin(2 * math.pi * t / (2.5 * period_s))
        if hump[0] <= t < hump[0] + hump[2]:
            x += hump[1] * math.sin(math.pi * (t - hump[0]) / hump[2])
        if holding(t):
            x += unsteady_kpa * (math.sin(2 * math.pi * 0.8 * t) + math.sin(2 * math.pi * 1.3 * t + 1.0))
        if railed(t):
            x = 0.0
        if after_gap:                         # as the analyzer does: the band starts again there
            breath.resume(t, x)
        if railed(t) != was_railed:           # the step in and out, as the lift detector rebases it
            breath.rebase(x)
            was_railed = railed(t)
        if rise[0] <= t < rise[1]:
            breath.rebase(x)
        breath.step(t, x, t < (stop_s or 1e9) and not was_railed and (learn_in_hold or not holding(t)))
        holds.step(t, x, holding(t))
        if any(r <= t < r + 0.005 for r in release_s):
            holds.released(t, drop_swings * size)
    return breath, log.events


@pytest.mark.parametrize("push_at_s", [10.7, 30.0])
def test_a_push_just_after_the_warm_up_teaches_neither_the_breath_size_nor_the_lift_thresholds(push_at_s):
    """The oracle's `mixed` seed 9: the user settled on the cushion during the warm-up (its
    deviation, and so the push threshold, came out high), and a bear-down 2.7 s after it rose for
    0.6 s as rest until it was recognised, while the breath size was still a plain running mean:
    the size learnt rose 2.3 times, and the lift thresholds with it once the settle was forgotten
    (a lift of 2.5 breath swings went unseen). From the warm-up's end a sample far off the
    breathing is clamped, as it was from 20 s of rest on (the push at 30 s)."""
    rng = random.Random(9)
    analyzer = Analyzer()
    size_before = None
    for t in times(push_at_s + 8.0, 250):       # (a running mean: diluted by a minute's rest)
        s = t - push_at_s
        push = 0.25 * min(1.0, s / 0.6) if 0.0 <= s < 2.5 else 0.0
        settle = 0.08 * math.exp(-t / 3.0)
        analyzer.step(t, 2.8 + settle + 0.01 * math.sin(2 * math.pi * t / 5.0) + push + rng.gauss(0.0, 0.002))
        if size_before is None and t >= push_at_s:
            size_before = analyzer.breath.size_kpa
    assert [e.kind for e in analyzer.events] == [BEAR_DOWN]
    assert analyzer.breath.size_kpa == pytest.approx(size_before, rel=0.25)      # (1.7 times, before)


def test_the_breath_tracker_learns_the_period_and_the_size():
    breath, events = _breathe(60)
    assert breath.period_s == pytest.approx(4.0, rel=0.1)
    assert breath.size_kpa == pytest.approx(0.02, rel=0.3)
    assert events == []


def test_the_breath_period_follows_a_change_of_rate_in_a_session_of_lifts_with_short_rests_between():
    """Own breath-hold case 7: lifts every 15-20 s leave the floor at settled rest (6 s after
    anything, the recovery from a lift included) seldom, and from 12 s to 112 s no breath taught
    the period. Here breathing at 5 s through the warm-up, then at 3.5 s from the first lift on; a
    5 s hold every 14 s never leaves the floor settled again, but quiet for a few seconds before
    each lift: the period follows the new rate from those breaths (review r86)."""
    rng = random.Random(7)
    analyzer = Analyzer()
    phase, last_t = 0.0, 0.0
    for t in times(150.0, 100):
        phase += 2 * math.pi * (t - last_t) / (5.0 if t < 12.0 else 3.5)
        last_t = t
        cycle_s = (t - 12.0) % 14.0 if t >= 12.0 else 14.0
        lift = 0.15 * min(cycle_s / 0.5, 1.0, (5.5 - cycle_s) / 0.5) if cycle_s < 5.5 else 0.0
        analyzer.step(t, 2.5 + 0.005 * math.sin(phase) - lift + rng.gauss(0.0, 0.001))
    assert [e.kind for e in analyzer.events].count(CONTRACTION) == 10
    assert analyzer.breath.period_s == pytest.approx(3.5, rel=0.1)


@pytest.mark.parametrize("period_s, every_s, samples, within, phase",
                         [(4.0, 6.5, 9000, 0.03, phase) for phase in range(6)]
                         + [(6.0, 11.0, 15000, 0.04, phase) for phase in range(8)])
def test_a_breath_spacing_counts_only_once_the_band_has_settled_after_a_restart(period_s, every_s, samples,
                                                                                 within, phase):
    """The band restarts at every step of the level, and an inhale is flipped at once by the
    restart's own jump (the band starts again at 0 from the trough), then, for the band's
    settling time (`trend_tau_s`), early: a 6 s breath's flips 0.5-1.5 s after a restart came
    about 0.65 of a period early. Restarted every 6.5 s at rest, a 4 s breath is learnt within 3 %
    (counting spacings from any inhale after a restart: 4.13-4.35 s); every 11 s, a 6 s breath
    within 4 % (from 0.5 s after a restart: 5.43-5.97 s, four of the eight off by more; review r87)."""
    rng = random.Random(phase)
    breath = BreathTracker()
    breath.set_noise(0.001, 0.02)
    breath.start(0.0, 2.0)
    restart_t = every_s + 0.37 * phase
    for i in range(1, samples):
        t = i * 0.02
        kpa = 2.0 + 0.005 * math.sin(2 * math.pi * t / period_s + phase) + rng.gauss(0.0, 0.001)
        if t >= restart_t:
            breath.rebase(kpa)
            restart_t += every_s
        breath.step(t, kpa, True, True)
        if i == 400:
            breath.end_warmup()
    assert breath.period_s == pytest.approx(period_s, rel=within)


@pytest.mark.parametrize("hump_kpa, holding_swing", [(0.0, 0.45), (0.08, 0.45), (0.08, 0.40)])
def test_a_fidget_at_rest_makes_no_breath_breathed_through_a_hold_look_held(hump_kpa, holding_swing):
    """The oracle's false held breaths: a settle as the user sat down, 4 breath swings over a
    few seconds, held the learnt resting power up at 2-3 times the breaths' for a minute, and
    the fainter breaths of a firm lift read as held. The resting power is the mean of windows
    of rest without those far above their median: one fidget sways fewer than half of them
    (0.40: review r80b)."""
    breath, events = _breathe(70, holding=lambda t: 38.0 <= t < 53.0, release_s=53.0, holding_swing=holding_swing,
                              learn_in_hold=False, hump=(22.0, hump_kpa, 4.0))
    assert events == []
    seen = 0.02 ** 2 / 8 / BREATH_SIZE_SEEN ** 2       # a steady breath's mean square, as the band sees it
    assert breath.rest_power == pytest.approx(seen, rel=0.2)
    if hump_kpa:
        assert breath.power > 1.3 * breath.rest_power                        # the mean square is swayed


@pytest.mark.parametrize("sway_share, flagged", [(0.03, True), (1.0, False)])
def test_a_held_breath_shows_only_where_the_breaths_stand_out_of_the_rests_other_motion(sway_share, flagged):
    """The rule's HOLD_WANDER_K: a slow sway that goes on through the hold keeps the band's
    power up -- below that share of the breaths' power it leaves the hold flagged, at as much
    power as the breaths it hides the hold."""
    assert HOLD_WANDER_K == pytest.approx(HOLD_POWER / (1.0 - HOLD_POWER))
    _, events = _breathe(70, stop_s=40.0, resume_s=52.0, holding=lambda t: 38.0 <= t < 53.0,
                         release_s=53.0, sway_share=sway_share)
    assert any(e.kind == BREATH_HOLD for e in events) == flagged


def test_a_held_breath_in_a_hold_is_flagged_within_one_and_a_half_periods_and_ends():
    _, events = _breathe(70, stop_s=40.0, resume_s=52.0)
    [hold] = events
    assert hold.kind == BREATH_HOLD
    assert 40.0 < hold.detected_at < 40.0 + 1.5 * 4.0 + 1.0
    assert hold.end == pytest.approx(52.0, abs=3.0)


@pytest.mark.parametrize("periods", [1.5, 1.6])
def test_a_breath_held_the_rules_1_5_periods_inside_a_longer_hold_is_flagged(periods):
    """Review 73b: with a half period to confirm (tried for fewer false held breaths), a breath held
    1.5-1.7 periods and taken again within the lift went unreported -- the rule promises it from 1.5."""
    _, events = _breathe(70, stop_s=40.0, resume_s=40.0 + periods * 4.0)
    assert [e.kind for e in events] == [BREATH_HOLD]


@pytest.mark.slow
def test_the_noise_left_in_the_breathing_band_and_its_spread_over_a_window_are_as_the_detector_counts_them():
    """White noise through the band: its variance there is `band_noise_var` (the high-passes
    leave about three quarters of what the smoothing lets through), and a window's mean square
    varies by at most sqrt(2 tau / window) of itself -- the standard error the held-breath flag
    counts (the high-passes shorten the correlation a little: measured about 0.9 of it)."""
    breath = BreathTracker()
    breath.start(0.0, 0.0)
    breath.set_noise(0.01, 0.01)
    rng = random.Random(5)
    squares = []
    for t in times(3000.0, 100):
        breath.step(t, rng.gauss(0.0, 0.01), False)
        if t > 10.0:
            squares.append(breath.band_kpa ** 2)
    mean = sum(squares) / len(squares)
    assert mean == pytest.approx(breath.band_noise_var, rel=0.05)
    assert breath.band_noise_var == pytest.approx(0.76 * breath.band_noise_kpa ** 2, rel=0.02)
    window = 600                                   # 6 s
    means = [sum(squares[i:i + window]) / window for i in range(0, len(squares) - window, window)]
    spread = statistics.pstdev(means) / mean
    assert 0.75 * (2 * 0.3 / 6.0) ** 0.5 < spread < 1.05 * (2 * 0.3 / 6.0) ** 0.5


def test_in_a_noisy_reading_a_breath_through_a_long_hold_is_not_held_and_a_held_one_is():
    """Noise of nearly a breath's size (the breath just visible: the noise's share of the band
    a tenth of the resting breaths' power), a contracted floor moving 0.45 as much with the
    breath (a fifth of its power): over 120 s the window's power, less the noise's mean share,
    dips by chance below the tenth that calls a breath held; counted two standard errors high
    it does not. A breath held in the same noise still is."""
    noisy = dict(noise_kpa=0.012, holding_swing=0.45, learn_in_hold=False, holding=lambda t: t >= 38.0)
    breath, events = _breathe(160, **noisy)
    assert breath.visible and events == []
    _, events = _breathe(90, stop_s=40.0, resume_s=55.0, **noisy)
    [hold] = events
    assert 40.0 < hold.detected_at < 40.0 + 1.5 * 4.0 + 1.0


def test_a_reading_at_the_end_of_the_sensors_range_is_no_held_breath():
    """A strong lift can empty the cushion to the sensor's zero: the reading stands still,
    and a breath going on cannot show; nothing is flagged either way."""
    _, events = _breathe(70, railed=lambda t: 40.0 <= t < 55.0)
    assert events == []


@pytest.mark.parametrize("depth", [1.1, 1.5])
def test_the_rule_calls_breathing_visible_when_the_analysis_can_follow_it(depth):
    """Breaths `depth` x HOLD_VISIBLE_K smoothed-noise sds deep: the rule promises a held breath
    only where the breath tracker sees its breaths clear of the noise (its band sees about 0.8
    of a swing: at 1.1 neither does, at 1.5 both)."""
    noise_kpa, rate_hz = 0.002, 100.0
    size = depth * HOLD_VISIBLE_K * smoothed_noise(noise_kpa, rate_hz, BAND_TAU_S)
    breath = BreathTracker()
    breath.start(0.0, 2.5)
    breath.set_noise(noise_kpa, 1.0 / rate_hz)
    rng = random.Random(5)
    for t in times(90, rate_hz):
        breath.step(t, 2.5 + size / 2 * math.sin(2 * math.pi * t / 4.0) + rng.gauss(0, noise_kpa), True)
    promised = breath_hold_detectable(9.0, 4.0, size, noise_kpa, rate_hz, drop_kpa=3 * size, wander_to_breath=0.0)
    assert breath.visible == promised == (depth > 1.25)


def test_a_held_breath_at_rest_is_not_a_coaching_matter():
    _, events = _breathe(70, stop_s=40.0, resume_s=52.0, holding=lambda t: False)
    assert events == []


def _short_hold(hold_s, stop_s=40.0, resume_s=None, **kwargs):
    """A hold from 40 s, let go after `hold_s` (the release seen then), at 4 s a breath."""
    end_s = 40.0 + hold_s
    return _breathe(70, stop_s=stop_s, resume_s=resume_s or end_s + 1.0,
                    holding=lambda t: 40.0 <= t <= end_s, release_s=(end_s,), **kwargs)[1]


def test_a_breath_held_through_a_hold_too_short_to_flag_is_judged_whole_at_its_release():
    """`kracht`'s 5 s at 12 breaths a minute: 1.5 periods are never missed within the hold, but
    a whole period without a breath is: flagged as it is let go, raised and completed at once."""
    [hold] = _short_hold(4.8)
    assert hold.kind == BREATH_HOLD and hold.metrics["at_release"] == 1.0
    assert hold.detected_at == pytest.approx(44.8, abs=0.01) and hold.completed_at == hold.detected_at
    assert hold.start == pytest.approx(41.0, abs=0.11) and hold.end == pytest.approx(44.2, abs=0.01)
    assert hold.metrics["duration_s"] == pytest.approx(hold.end - hold.start)


def test_a_short_hold_breathed_through_or_shorter_than_a_breath_is_not_flagged():
    assert _short_hold(4.8, stop_s=None) == []          # breathing on
    assert _short_hold(3.5) == []                       # held, but less than a breath period


def test_a_held_breath_flagged_during_the_hold_is_not_flagged_again_at_its_release():
    [hold] = _short_hold(9.0, resume_s=55.0)          # still open at the release
    assert hold.metrics["at_release"] == 0.0 and hold.detected_at < 49.0 < hold.end
    [hold] = _short_hold(12.0, resume_s=50.0)         # flagged, and over, just before the release
    assert hold.metrics["at_release"] == 0.0 and hold.end < 52.0


def test_a_hold_is_judged_without_the_moments_its_release_was_under_way():
    """The pressure already rising (0.05 kPa, 2.5 breath swings) in the half second before the
    release is seen is the release, not a breath: it is left out."""
    assert len(_short_hold(4.8, letting_go_kpa=0.05)) == 1


def test_what_one_hold_saw_last_is_not_part_of_the_next():
    """Breathing on to the end of one hold, the breath held through the next, 5 s later."""
    _, events = _breathe(70, stop_s=50.0, resume_s=55.8, holding=lambda t: 40.0 <= t <= 44.8 or 50.0 <= t <= 54.8,
                         release_s=(44.8, 54.8))
    [hold] = events
    assert hold.metrics["at_release"] == 1.0 and hold.detected_at == pytest.approx(54.8, abs=0.01)


@pytest.mark.parametrize("unsteady", [0.0, 0.6])
def test_a_held_breath_is_told_from_the_floors_own_unsteadiness_by_the_breathing_rate(unsteady):
    """A 9 s hold (2.25 breath periods) whose level wavers at 0.8 and 1.3 Hz by `unsteady`
    breath swings (sd). In the breathing band the wavering keeps the power above a held breath's
    all through the hold (so the band alone flagged nothing, 0.4-0.8 swings); tuned to the
    breathing rate it leaves little: flagged as it is let go. Breathed through: nothing."""
    [held] = _breathe(70, stop_s=39.0, resume_s=50.0, **_wavering_hold(unsteady))[1]
    assert held.kind == BREATH_HOLD and held.metrics["at_release"] == float(unsteady > 0)
    assert _breathe(70, **_wavering_hold(unsteady))[1] == []


def _wavering_hold(unsteady, **kwargs):
    return dict(holding=lambda t: 40.0 <= t <= 49.0, release_s=(49.0,), unsteady_kpa=unsteady * 0.02 / 2 ** 0.5,
                **kwargs)


def test_in_a_lift_of_more_than_eight_breath_swings_the_tuned_band_does_not_judge():
    """The same wavering hold, the breath held, in a lift of 9 breath swings: judged by the
    breathing band, which the wavering fills -- nothing flagged (a floor that strong wavers by
    more than its breathing moves it, at the breathing rate too)."""
    assert _breathe(70, stop_s=39.0, resume_s=50.0, **_wavering_hold(0.6, drop_swings=9.0))[1] == []


@pytest.mark.parametrize("period_s, rate_hz", [(2.5, 250), (4.0, 100), (7.25, 250), (12.0, 50)])
@pytest.mark.slow
def test_white_noise_leaves_in_the_tuned_band_what_its_bandwidth_says(period_s, rate_hz):
    """Noise alone: the band tuned to the breathing rate holds what `tuned_noise_kpa` says, within
    10 %, at any period (7.25 s lies between two the table is worked out at) and sampling rate --
    a third or so of what the resonator alone would leave (the band before it takes the rest)."""
    breath = BreathTracker(period_s=period_s)
    breath.start(0.0, 2.5)
    breath.set_noise(0.002, 1.0 / rate_hz)
    rng = random.Random(5)
    total, n = 0.0, 0
    for t in times(1500, rate_hz):
        breath.step(t, 2.5 + rng.gauss(0.0, 0.002), False)
        if t > 30.0:
            total += breath.tuned_kpa ** 2
            n += 1
    assert (total / n) ** 0.5 == pytest.approx(breath.tuned_noise_kpa, rel=0.1)
    resonator_alone_kpa = (0.002 ** 2 / rate_hz * math.pi / period_s) ** 0.5
    assert 0.4 < breath.tuned_noise_kpa / resonator_alone_kpa < 0.8


def _risen_hold(**kwargs):
    """A hold of 1.6 breath periods (40-46.4 s at 4 s a breath) whose first second restarts the band
    (the lift rising), the breath 0.35 of its resting swing (a lifted floor is stiffer; a shallow
    breath): 0.12 of its power, over the rule's HOLD_POWER; the resting power learnt at rest only."""
    return _breathe(70, holding=lambda t: 40.0 <= t <= 46.4, release_s=(46.4,), rise=(40.0, 41.0),
                    holding_swing=0.35, learn_in_hold=False, **kwargs)[1]


def test_a_breath_taken_on_through_a_short_hold_is_judged_against_what_the_restarted_band_shows_of_one():
    """Judged in the tuned band, restarted as the lift rose: a breath taken on shows there only part
    of its power over the hold's first periods (the resonator builds up from zero), so against its
    resting power as it was, it passed for a held breath (a false warning, as on the oracle body's
    strong short holds). Fitted to what a steady breath shows there, it is breathed."""
    assert _risen_hold() == []


@pytest.mark.parametrize("end_s", [46.4, 49.0])
def test_a_breath_held_through_a_wavering_hold_begun_by_a_rise_is_still_flagged_at_its_release(end_s):
    """The held force wavering (0.45 breath swings, sd) through a hold of 1.6 or 2.25 periods begun by
    a rise: the bins just after the restart, where the band has barely built up, weigh little in the
    fit, so the wavering in them is not scaled up into a breath (dividing the hold's mean by the mean
    share lost these: a review's finding)."""
    [held] = _breathe(70, stop_s=39.0, resume_s=end_s + 1.0, holding=lambda t: 40.0 <= t <= end_s,
                      release_s=(end_s,), rise=(40.0, 41.0), unsteady_kpa=0.45 * 0.02 / 2 ** 0.5)[1]
    assert held.kind == BREATH_HOLD and held.metrics["at_release"] == 1.0


@pytest.mark.parametrize("period_s, rate_hz", [(2.5, 250), (5.0, 100), (10.0, 50), (2.5, 50)])
def test_the_unit_breath_shows_what_the_tuned_band_shows_of_a_steady_breath_restarted_with_it(period_s, rate_hz):
    """A cosine and a sine breath (1 kPa) through two trackers, restarted at 30 s: what their tuned
    bands hold together, as a share of the same before the restart, is the unit breath's share
    from the restart on (1 before it, next to nothing just after, back up within a few periods)
    -- whatever the phase. The steady share is 1 at 50 Hz too (the analogue gain read it 0.95
    there: a review's finding)."""
    trackers = [BreathTracker(period_s=period_s) for _ in range(2)]
    for tracker in trackers:
        tracker.start(0.0, 2.0)
    unit = trackers[0].unit
    steady_kpa2 = steady_share = None
    shares = []
    for t in times(30 + 4 * period_s, rate_hz):
        x = (2.0 + math.cos(2 * math.pi * t / period_s), 2.0 + math.sin(2 * math.pi * t / period_s))
        for tracker, value in zip(trackers, x):
            tracker.step(t, value, False)
            if t == 30.0:                 # after the sample, as the analyzer restarts it
                tracker.rebase(value)
        tuned_kpa2 = sum(tracker.tuned_kpa ** 2 for tracker in trackers)
        if 29.0 <= t < 30.0:
            assert unit.share == pytest.approx(1.0, abs=0.005)
            steady_kpa2, steady_share = tuned_kpa2, unit.share
        elif t > 30.0:
            assert unit.share / steady_share == pytest.approx(tuned_kpa2 / steady_kpa2, abs=0.01)
            shares.append(unit.share)
    assert min(shares) < 0.05 and shares[-1] == pytest.approx(1.0, abs=0.05)


def test_a_hold_with_a_gap_in_its_samples_is_not_judged_whole():
    """A second of a 4.8 s hold unwatched (samples lost): what was seen of it says too little
    of the whole (a reviewer's case: flagged when the gap counted as one bin)."""
    assert _short_hold(4.8, gap=(42.0, 43.0)) == []
    assert len(_short_hold(4.8, gap=(42.0, 42.3))) == 1       # a short one leaves enough seen


def test_a_release_before_any_sample_is_not_judged():
    """A release reported to a detector that has seen nothing (a caller's slip): nothing is
    judged, nothing raised (it raised AttributeError)."""
    log = EventLog()
    holds = BreathHoldDetector(log, BreathTracker())
    holds.released(1.0, 0.1)
    assert holds.judged_t == -1.0 and log.events == []


def test_a_hold_that_ends_without_a_release_is_not_judged_whole():
    """A contraction retracted (it was the buttocks, a lean) ends with no release seen."""
    _, events = _breathe(70, stop_s=40.0, resume_s=46.0, holding=lambda t: 40.0 <= t <= 44.8)
    assert events == []


# --- the seat --------------------------------------------------------------------------------
def _move(left_kg, right_kg, kpa_change):
    log = EventLog()
    seat, moves = SeatTracker(), SeatMoveDetector(log)
    history = History(6.0, 0.1)
    for t in times(10, 100):
        log.begin(t)
        on = 3.0 <= t < 6.0
        seat.step(t, 30.0 + (left_kg if on else 0.0), 30.0 + (right_kg if on else 0.0))
        kpa = 2.5 + (kpa_change if on else 0.0)
        history.push(t, kpa)
        moves.step(t, seat, kpa, history, 0.05, 0.0)
    return log.events


def test_both_sitting_bones_unloading_with_a_perineal_drop_is_the_buttocks():
    [event] = _move(-3.0, -3.0, -0.1)
    assert event.kind == GLUTE and event.end is not None


def test_a_squeeze_that_leaves_the_perineum_where_it_was_is_the_buttocks_too():
    [event] = _move(-2.0, -2.0, 0.0)
    assert event.kind == GLUTE


@pytest.mark.parametrize("left, right, kpa", [(4.0, -4.0, 0.0), (-3.0, -3.0, 0.2), (3.0, 3.0, -0.2)])
def test_leaning_is_a_posture_shift(left, right, kpa):
    [event] = _move(left, right, kpa)
    assert event.kind == POSTURE


def test_weight_moving_across_the_seat_is_shifting_while_it_moves_and_a_squeeze_is_not():
    seat = SeatTracker()
    shifting = {}
    for t in times(8, 100):
        lateral_kg = 2.0 * min(1.0, max(0.0, t - 3.0))         # 2 kg across over 1 s, from 3 s on
        unload_kg = 1.5 * min(1.0, max(0.0, (t - 6.0) / 0.5))   # both unloading together, from 6 s on
        seat.step(t, 30.0 + lateral_kg - unload_kg, 30.0 - lateral_kg - unload_kg)
        shifting[round(t, 2)] = seat.shifting
    assert not shifting[2.9] and shifting[3.5] and not shifting[5.5]
    assert not any(v for t, v in shifting.items() if t >= 6.0)


def test_a_fidget_is_no_movement():
    """Up to a kilogram moved from one sitting bone to the other and back: the floor's work
    goes on being read through it (the oracle's fidgets hid a push and three flicks)."""
    assert _move(0.9, -0.9, 0.0) == []


def test_a_movement_is_timed_at_most_a_second_before_it_grew_large():
    """A fidget left the loads 1.8 kg off rest at 3 s; a lean 2 s later begins no earlier
    than a second before it passed 2 kg."""
    log = EventLog()
    seat, moves = SeatTracker(), SeatMoveDetector(log)
    history = History(6.0, 0.1)
    for t in times(8, 100):
        log.begin(t)
        lateral_kg = (0.9 if t >= 3.0 else 0.0) + (1.0 if t >= 5.0 else 0.0)
        seat.step(t, 30.0 + lateral_kg, 30.0 - lateral_kg)
        history.push(t, 2.5)
        moves.step(t, seat, 2.5, history, 0.05, 0.0)
    [event] = log.events
    moving_s = event.detected_at - moves.confirm_s
    assert event.start == pytest.approx(moving_s - 1.0 - 0.1, abs=0.02) and event.start > 3.5


def test_a_lean_is_timed_from_when_the_loads_left_rest_not_from_when_it_grew_large():
    log = EventLog()
    seat, moves = SeatTracker(), SeatMoveDetector(log)
    history = History(6.0, 0.1)
    for t in times(8, 100):
        log.begin(t)
        lateral_kg = 4.0 * min(1.0, max(0.0, (t - 3.0) / 2.0))     # over 2 s, from 3 s on
        seat.step(t, 30.0 + lateral_kg, 30.0 - lateral_kg)
        history.push(t, 2.5)
        moves.step(t, seat, 2.5, history, 0.05, 0.0)
    [event] = log.events
    # the loads were 2 kg off rest at 3.7 s, 0.5 kg at 3.34 s (the resting level follows the
    # first 0.2 s of a ramp: it could be a slow settling): timed from there, less 0.1 s
    assert event.kind == POSTURE and 3.0 <= event.start <= 3.3


def test_the_seats_rest_can_be_taken_back_to_what_it_was_a_moment_ago():
    """Part of a quick rise of both loads (0.6 kg in 0.1 s) is learnt as rest before their rates
    call it unsteady; `restore_rest` takes the rest back to what it was before (within the last
    REST_KEPT_S), and then the loads are off it by the whole rise."""
    seat = SeatTracker()
    for t in times(6, 250):
        rise_kg = 0.6 * min(1.0, max(0.0, (t - 5.0) / 0.1))
        seat.step(t, 30.0 + rise_kg, 28.0 + rise_kg)
    assert seat.left_dev_kg < 0.5 and seat.right_dev_kg < 0.5        # 0.1 kg and more learnt
    seat.restore_rest(4.9, 0.5)
    seat.step(6.0, 30.6, 28.6)
    assert seat.left_dev_kg == pytest.approx(0.6, abs=0.01) and seat.right_dev_kg == pytest.approx(0.6, abs=0.01)


def test_a_rest_learnt_only_since_is_not_taken_back():
    """A lean forward (4 kg off each side at 0.5 s) becomes the rest once the loads have been
    steady for 3 s (from about 5 s); a jerk follows at 5.6 s. Taken back to 4.9 s, before the
    rest followed the new loads, the rest stays the new posture's: the loads are off it by what
    was not learnt of the jerk, not by the lean's 4 kg."""
    seat = SeatTracker()
    for t in times(6, 250):
        lean_kg = 4.0 if t >= 0.5 else 0.0
        jerk_kg = 0.6 * min(1.0, max(0.0, (t - 5.6) / 0.1))
        seat.step(t, 30.0 - lean_kg + jerk_kg, 28.0 - lean_kg + jerk_kg)
    seat.restore_rest(4.9, 0.5)
    seat.step(6.0, 26.6, 24.6)
    assert 0.0 < seat.left_dev_kg < 0.6 and 0.0 < seat.right_dev_kg < 0.6


def test_the_loads_are_still_once_each_stays_within_a_fifth_of_a_kilogram():
    """A lean moving 4 kg across in a second: the loads are still from about its end, though a
    push's bracing (0.15 kg) and sway come after; sooner than their rates call them steady."""
    seat = SeatTracker()
    still = {}
    for t in times(8, 100):
        lateral_kg = 4.0 * min(1.0, max(0.0, t - 3.0)) + (0.15 if t >= 5.5 else 0.0)
        seat.step(t, 30.0 + lateral_kg, 30.0 - lateral_kg)
        still[round(t, 2)] = seat.still_since_t
    assert still[2.9] < 3.0                          # still before the lean
    assert 3.0 <= still[3.5] <= 3.5                   # moving
    assert 3.8 <= still[7.9] <= 4.3 and still[7.9] < seat.steady_since_t


def _arrival(level_kpa, *, loads_kg=lambda t: 0.0, before_kpa=2.5, steady_kpa=0.05, duration_s=6.0, held=None):
    """A 4 kg lean over 3-4 s, confirmed at 3.3 s, the perineal level `level_kpa(t)`; `loads_kg(t)`
    more moved after. Returns the arrival after each sample (since_t, level_kpa, ref_kpa, refused),
    by time; appends to `held` the times its step said a lift is held."""
    history, slow_history = History(2.0, 0.01), History(6.0, 0.1)
    seat = SeatTracker()
    arrival = PostureArrival(history, slow_history)
    arrival.begin(3.0, before_kpa)
    seen = {}
    for t in times(duration_s, 100):
        lateral_kg = 4.0 * min(1.0, max(0.0, t - 3.0)) + loads_kg(t)
        seat.step(t, 30.0 + lateral_kg, 30.0 - lateral_kg)
        y = level_kpa(t)
        history.push(t, y)
        slow_history.push(t, y)
        if t >= 3.3 and arrival.step(t, 0.01, seat, y, -1.0, True, 0.02, steady_kpa) and held is not None:
            held.append(t)
        seen[round(t, 2)] = (arrival.since_t, arrival.level_kpa, arrival.ref_kpa, arrival.refused)
    return seen


def test_a_posture_arrives_arrive_s_after_its_loads_are_still_at_the_level_they_came_to():
    seen = _arrival(lambda t: 2.5 + 0.2 * min(1.0, max(0.0, t - 3.0)))
    since_t, level_kpa, ref_kpa, refused = seen[5.5]
    arrive_s = PostureArrival(None, None).arrive_s
    assert 3.8 <= since_t <= 4.3 and level_kpa == pytest.approx(2.7, abs=0.01) and ref_kpa == level_kpa
    assert seen[round(since_t + arrive_s - 0.05, 2)][0] < 0.0 <= seen[round(since_t + arrive_s + 0.01, 2)][0]
    assert not refused


def test_a_perineum_still_settling_after_the_loads_is_no_posture_yet():
    """The perineal level settles 0.3 s after the loads (the pelvis rolling on): read as the
    loads arrive, its rise would be a push from the arrival."""
    seen = _arrival(lambda t: 2.5 + 0.2 * min(1.0, max(0.0, (t - 4.3) / 0.4)))
    assert all(v[0] < 0.0 for v in seen.values()) and seen[5.9][3]


def test_a_level_still_rising_as_the_loads_come_to_rest_is_no_postures():
    """A push begun as the loads arrive: no level is read for the rest of the movement."""
    seen = _arrival(lambda t: 2.5 + 0.5 * min(1.0, max(0.0, (t - 3.9) / 0.4)))
    assert all(v[0] < 0.0 for v in seen.values()) and seen[5.9][3]


def test_a_push_bracing_keeps_the_arrival_and_a_new_movement_takes_it_back():
    seen = _arrival(lambda t: 2.7, loads_kg=lambda t: 0.3 if 5.0 <= t < 5.4 else 1.5 if t >= 5.6 else 0.0,
                    before_kpa=2.7)
    assert seen[4.95][0] >= 0.0 and seen[5.5][0] == seen[4.95][0]
    assert seen[5.7][0] < 0.0


def test_a_level_a_lift_under_way_left_low_is_no_postures():
    """The level fell 0.4 kPa with a lift as the loads moved: it is no posture's, and a rise
    measured from it (the lift let go) would be a push (a review: 18 of 32 false bear-downs)."""
    lift = lambda t: 2.7 - 0.4 * min(1.0, max(0.0, (t - 3.6) / 0.3))    # a lean raising it 0.2 first
    held = []
    seen = _arrival(lambda t: min(2.5 + 0.2 * min(1.0, max(0.0, t - 3.0)), lift(t)), steady_kpa=0.05, held=held)
    assert all(v[0] < 0.0 for v in seen.values()) and seen[5.9][3]
    assert len(held) == 1 and seen[5.9][2] == pytest.approx(2.62 - 0.02, abs=0.01)   # the highest, less a breath


def test_a_lift_begun_as_the_loads_come_to_rest_is_held_and_a_push_begun_then_is_not():
    lean = lambda t: 2.5 + 0.2 * min(1.0, max(0.0, t - 3.0))
    for sign, expect in ((-1.0, 1), (1.0, 0)):
        held = []
        seen = _arrival(lambda t: lean(t) + sign * 0.4 * min(1.0, max(0.0, (t - 4.1) / 0.3)), held=held)
        assert seen[5.9][3] and len(held) == expect


def test_a_level_a_little_below_the_highest_the_movement_reached_is_read_but_no_lower_reference():
    """Within a lift's fall of it, a rise is measured from the highest the level reached as the
    loads moved less a breath, or from the level before, whichever is higher."""
    lean = lambda t: 2.5 + 0.2 * min(1.0, max(0.0, (t - 3.0) / 0.5)) - 0.04 * min(1.0, max(0.0, (t - 3.6) / 0.3))
    seen = _arrival(lean, steady_kpa=0.05)
    since_t, level_kpa, ref_kpa, refused = seen[5.5]
    assert since_t >= 0.0 and not refused
    assert level_kpa == pytest.approx(2.66, abs=0.01) and ref_kpa == pytest.approx(2.7 - 0.02, abs=0.01)


def _arrival_pushes(*, arrived: bool):
    """An `ArrivalPushes` over a posture that arrived at 2.7 kPa (its reference 2.72) at 4 s, or not yet."""
    arrival = PostureArrival(History(2.0, 0.01), History(6.0, 0.1))
    arrival.begin(3.0, 2.5)
    if arrived:
        arrival.since_t, arrival.level_kpa, arrival.floor_kpa = 4.0, 2.7, 2.72
    pushes = PushDetector(EventLog(), History(2.0, 0.01))
    chooser = ArrivalPushes(arrival, pushes)
    chooser.counts = True
    return chooser, pushes


def test_once_a_postures_loads_arrived_a_rise_is_measured_from_their_level_the_seat_counting_still():
    chooser, _ = _arrival_pushes(arrived=True)
    chooser.choose(False, True, 2.5, 2.5)
    assert (chooser.ref_kpa, chooser.still, chooser.from_t) == (2.72, True, 4.0)
    chooser.choose(False, False, 2.5, 2.6)            # a lift under way: from the caller's reference
    assert (chooser.ref_kpa, chooser.still, chooser.from_t) == (2.6, False, -math.inf)


def test_before_the_loads_arrive_a_rise_is_measured_from_rest_and_the_seat_moves():
    chooser, _ = _arrival_pushes(arrived=False)
    chooser.choose(False, True, 2.5, 2.5)
    assert (chooser.ref_kpa, chooser.still, chooser.from_t) == (2.5, False, -math.inf)


def test_a_push_begun_from_an_arrival_keeps_its_reference_after_the_movement():
    chooser, pushes = _arrival_pushes(arrived=True)
    chooser.choose(False, True, 2.5, 2.5)
    pushes.state = ACTIVE                              # raised in this sample
    chooser.followed(4.5, 3.2, NONE, 0.1)
    chooser.arrival.reset()
    chooser.end()
    chooser.choose(True, True, 2.5, 2.5)
    assert chooser.ref_kpa == 2.72 and chooser.still
    pushes.state = NONE                                # over: the reference is forgotten
    chooser.followed(7.0, 2.7, ACTIVE, 0.1)
    chooser.choose(True, True, 2.5, 2.5)
    assert chooser.ref_kpa == 2.5


def test_a_rise_under_way_as_the_loads_arrive_is_dropped_and_watched_until_it_is_down():
    """It began as the loads moved: not judged as a push, and the pressure coming down from it is
    that rise going (the lift detector's calm time runs from `down_t`); the level read may be its."""
    chooser, pushes = _arrival_pushes(arrived=True)
    pushes.state = CANDIDATE
    chooser.choose(False, True, 2.5, 2.5)
    assert pushes.state == NONE and chooser.doubtful and chooser.ref_kpa == 2.72
    chooser.followed(4.1, 2.9, NONE, 0.1)
    assert chooser.down_t == -math.inf
    chooser.followed(4.6, 2.58, NONE, 0.1)             # within a watch of the rest it rose from
    assert chooser.down_t == 4.6
    chooser.end()
    assert not chooser.doubtful and not chooser.counts


def test_a_lift_held_through_a_movements_end_is_let_go_with_no_push_up_to_the_level_the_loads_came_to():
    """The floor lies 0.5 kPa below the level the loads came to at the movement's end (a lift held):
    a rise up to that level is no push until the pressure has stood there, not rising, for
    `settle_s`; then the reference is the caller's again (a later rise is a push's)."""
    chooser, _ = _arrival_pushes(arrived=False)
    history = chooser.arrival.history
    chooser.hold_let_go(2.8, 10.0)
    refs = {}
    for t in times(14.0, 100):
        if t < 10.0:
            continue
        y = 2.3 if t < 11.0 else min(2.8, 2.3 + (t - 11.0))      # let go over half a second at 11 s
        history.push(t, y)
        chooser.choose(True, True, 2.5, 2.5)
        refs[round(t, 2)] = chooser.ref_kpa
        chooser.followed(t, y, NONE, 0.1)
    assert refs[10.5] == refs[11.4] == refs[11.9] == 2.8
    assert refs[12.2] == 2.5                       # back up since 11.4, not rising since 11.5
    assert 11.99 <= chooser.returned_t <= 12.02        # (the level there is rest: the caller's to take)


def _arrival_lifts():
    """An `ArrivalLifts` over a posture begun at 3 s from 2.5 kPa, the baseline 2.5, not arrived yet."""
    arrival = PostureArrival(History(2.0, 0.01), History(6.0, 0.1))
    arrival.begin(3.0, 2.5)
    rest = RestTracker()
    rest.baseline_kpa = 2.5
    return ArrivalLifts(arrival), arrival, rest


def test_once_a_postures_loads_arrived_lifts_are_measured_from_their_level_and_the_rest_put_back_after():
    lifts, arrival, rest = _arrival_lifts()
    assert not lifts.step(rest, False, False, True) and rest.baseline_kpa == 2.5     # not arrived
    arrival.since_t, arrival.level_kpa = 4.0, 2.7
    assert lifts.step(rest, False, False, True) and rest.baseline_kpa == 2.7
    arrival.level_kpa = 2.72                                   # (averaged on while the floor rests)
    assert lifts.step(rest, False, False, True) and rest.baseline_kpa == 2.72
    assert not lifts.step(rest, True, False, True) and rest.baseline_kpa == 2.5      # a push's level, maybe
    assert lifts.step(rest, False, False, True) and rest.baseline_kpa == 2.72
    lifts.end(rest)                                            # over, no lift taken: as before
    assert rest.baseline_kpa == 2.5 and not lifts.open


def test_a_lift_taken_from_an_arrival_keeps_the_level_it_is_measured_from_unless_dropped():
    lifts, arrival, rest = _arrival_lifts()
    arrival.since_t, arrival.level_kpa = 4.0, 2.7
    lifts.step(rest, False, False, True)
    lifts.lifted()
    arrival.level_kpa = 2.9
    assert lifts.step(rest, False, False, False) and rest.baseline_kpa == 2.7 and lifts.at_arrival
    arrival.reset()                                            # the loads move on
    assert not lifts.step(rest, False, False, False) and rest.baseline_kpa == 2.7
    assert lifts.taken and not lifts.at_arrival
    lifts.drop(rest)                                           # (the lift was their movement)
    assert rest.baseline_kpa == 2.5 and not lifts.taken


def test_a_let_go_held_back_is_let_go_of_after_hold_s_at_most():
    chooser, _ = _arrival_pushes(arrived=False)
    chooser.hold_let_go(2.8, 10.0)
    for t in (10.0, 10.0 + chooser.hold_s - 0.01, 10.0 + chooser.hold_s):
        chooser.choose(True, True, 2.5, 2.5)
        ref_kpa = chooser.ref_kpa
        chooser.followed(t, 2.3, NONE, 0.1)
    assert ref_kpa == 2.8
    chooser.choose(True, True, 2.5, 2.5)
    assert chooser.ref_kpa == 2.5 and chooser.returned_t == -math.inf   # never back: no level learnt


def test_a_running_median_is_the_middle_of_the_last_values_added():
    median = RunningMedian(3)
    assert median.value == 0.0 and median.count == 0
    assert [median.add(x) for x in (5.0, 1.0, 9.0, 7.0, 8.0, -1.0)] == [5.0, 3.0, 5.0, 7.0, 8.0, 7.0]
    assert median.count == 3
    assert median.mean_up_to(7.5) == 3.0 and median.mean_up_to(8.0) == pytest.approx(14 / 3)   # of -1, 7, 8
    assert median.mean_up_to(-2.0) == 0.0
    median.reset()
    assert median.add(2.0) == 2.0 and median.count == 1


def test_the_resting_power_keeps_the_breaths_mean_and_leaves_a_fidgets_windows_out():
    """Windows of half a 4 s breath: breaths that alternate 1 and 1.5 swings (powers 1 and 2.25:
    their median alone would read one or the other, twice it left the deep ones out: review
    r80c) keep their mean; a fidget's (8) count for nothing."""
    resting = RestPower()
    for _ in range(4):
        _rest_for(resting, 4.0, 1.0, mean_power=0.0)
        _rest_for(resting, 4.0, 2.25, mean_power=0.0)
    assert resting.power == pytest.approx(1.6, abs=0.15)
    _rest_for(resting, 4.0, 8.0, mean_power=0.0)
    assert resting.power == pytest.approx(1.6, abs=0.2)


def test_rests_shorter_than_a_breath_between_lifts_add_up_to_the_windows_of_the_resting_power():
    """Review r80: a window of rest was dropped whenever the floor left rest, so with 10 s
    relaxes (rest settled 6 s after each release: 4 s, one breath) no window after the warm-up's
    ever completed -- the resting power stayed a settle's, and a firm lift's fainter breaths read
    as held in every repetition (a first form of the windows). A window pauses while the floor is
    busy."""
    log = EventLog()
    breath = BreathTracker()
    holds = BreathHoldDetector(log, breath)
    breath.start(0.0, 2.5)
    breath.set_noise(0.001, 0.01)
    rng = random.Random(5)
    for t in times(170.0, 100):
        log.begin(t)
        phase = (t - 10.0) % 20.0 if t >= 10.0 else -1.0
        holding = 0.0 <= phase < 10.0
        at_rest = t < 10.0 or phase >= 16.0
        swing = 0.02 * (0.45 if holding else 1.0)
        x = 2.5 + swing / 2 * math.sin(2 * math.pi * t / 4.0) + rng.gauss(0, 0.001)
        if 0.5 <= t < 4.5:                                 # a settle as the user sits down
            x += 0.04 * math.sin(math.pi * (t - 0.5) / 4.0)
        breath.step(t, x, at_rest)
        holds.step(t, x, holding)
        if abs(phase - 10.0) < 0.005:
            holds.released(t, 0.06)
    assert log.events == []
    seen = 0.02 ** 2 / 8 / BREATH_SIZE_SEEN ** 2
    assert breath.rest_power == pytest.approx(seen, rel=0.25)


def _rest_for(resting, seconds, square, mean_power, period_s=4.0):
    """`seconds` of rest at a steady band `square` (kPa^2), at 100 Hz, no noise."""
    for _ in range(round(seconds * 100)):
        resting.rest(square, 0.01, period_s, 0.0, mean_power)


def test_the_resting_power_is_the_running_mean_until_six_windows_are_in_then_theirs():
    """Review r80b: the fallback could not fail a test (and the lower of the two, where few
    windows were in, missed held breaths in `kracht`, whose rests never add up to six: trial92).
    Windows of half a 4 s breath: 2 s each."""
    resting = RestPower()
    n = 0
    while resting.power != 1.0 and n < 3000:
        resting.rest(1.0, 0.01, 4.0, 0.0, 3.0)               # the running mean says 3
        n += 1
        assert resting.power in (0.0, 3.0, 1.0)
    assert 12.0 <= n * 0.01 <= 14.0                            # 6 windows and the block held back


def test_the_rest_just_before_the_floor_left_it_never_joins_a_window(monkeypatch):
    """A lift begun before the analysis saw it is rest to the breath tracker until it is seen
    (up to a second or two): the block under way and the one before are dropped at `busy()`.
    The power here is the last window's alone, to see what joined it."""
    for name in ("REST_WINDOWS", "REST_WINDOWS_MIN"):
        monkeypatch.setattr(breathing, name, 1)
    for busy in (True, False):
        resting = RestPower()
        _rest_for(resting, 20.0, 1.0, mean_power=1.0)
        _rest_for(resting, 1.5, 50.0, mean_power=1.0)        # the lift's first moments, unseen
        if busy:
            resting.busy()
        seen = []
        for _ in range(600):                                  # 6 s of rest again
            resting.rest(1.0, 0.01, 4.0, 0.0, 1.0)
            seen.append(resting.power)
        assert (max(seen) == pytest.approx(1.0)) == busy
