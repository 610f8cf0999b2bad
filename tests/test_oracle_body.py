"""The independent body model (bench/oracle): API, determinism, signs, gain, rest level, labels."""

import statistics

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.oracle import SCENARIOS, Recording, Truth, make_recording
from bench.oracle.recording import build
from bench.oracle.sensors import PERINEAL_STEP_KPA, SEAT_STEP_KG

KINDS = {"contraction", "bear_down", "cough", "glute", "posture", "breath_hold", "stand_up",
         "sit_down"}
FAST = settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def window(rec, t0, t1, col=1):
    return [r[col] for r in rec.rows if t0 <= r[0] <= t1]


def test_the_api_is_as_documented():
    required = {"lifts", "pushes", "breath_holds", "distractors", "overtense", "mixed", "quiet"}
    assert required <= set(SCENARIOS)
    rec = make_recording(1, scenario="lifts", duration_s=40.0, rate_hz=50.0)
    assert isinstance(rec, Recording)
    assert all(isinstance(tr, Truth) for tr in rec.truth)
    assert all(len(row) == 4 for row in rec.rows)
    for key in ("rate_hz", "gain", "rest_kpa", "noise_kpa", "breath_bpm", "breath_kpa",
                "strength_kpa", "scenario"):
        assert key in rec.info
    assert rec.info["rate_hz"] == 50.0 and rec.info["scenario"] == "lifts"
    with pytest.raises(ValueError):
        make_recording(1, scenario="nonsense")


def test_the_same_arguments_give_the_same_recording():
    a = make_recording(7, scenario="mixed", duration_s=90.0, rate_hz=50.0)
    b = make_recording(7, scenario="mixed", duration_s=90.0, rate_hz=50.0)
    c = make_recording(8, scenario="mixed", duration_s=90.0, rate_hz=50.0)
    assert a.rows == b.rows and a.truth == b.truth and a.info == b.info
    assert a.rows != c.rows


def test_an_unset_rate_is_drawn_from_the_device_rates():
    rates = {make_recording(seed, scenario="quiet", duration_s=2.0).info["rate_hz"]
             for seed in range(30)}
    assert rates <= {50.0, 100.0, 128.0, 200.0, 250.0} and len(rates) >= 3


@FAST
@given(seed=st.integers(0, 10**6), rate=st.sampled_from([50.0, 128.0, 250.0]))
def test_rows_are_sampled_like_an_adc(seed, rate):
    rec = make_recording(seed, scenario="distractors", duration_s=20.0, rate_hz=rate)
    times = [r[0] for r in rec.rows]
    assert all(b > a for a, b in zip(times, times[1:]))
    assert times[0] >= 0.0 and times[-1] < 20.0
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) < 1.0 / rate < max(gaps)                       # jitter
    assert len(rec.rows) == int(20.0 * rate) - rec.info["dropped_samples"]
    for _, p_kpa, left_kg, right_kg in rec.rows:
        assert 0.0 <= p_kpa <= 10.0
        assert abs(p_kpa / PERINEAL_STEP_KPA - round(p_kpa / PERINEAL_STEP_KPA)) < 1e-6
        assert abs(left_kg / SEAT_STEP_KG - round(left_kg / SEAT_STEP_KG)) < 1e-6
        assert abs(right_kg / SEAT_STEP_KG - round(right_kg / SEAT_STEP_KG)) < 1e-6


def test_dropped_samples_are_rare_but_happen():
    dropped = [make_recording(s, scenario="quiet", duration_s=30.0, rate_hz=250.0)
               .info["dropped_samples"] for s in range(2)]
    assert sum(dropped) > 0 and max(dropped) < 0.01 * 30 * 250


@FAST
@given(seed=st.integers(0, 10**6), scenario=st.sampled_from(SCENARIOS))
def test_labels_are_well_formed_and_inside_the_recording(seed, scenario):
    rec = make_recording(seed, scenario=scenario, duration_s=90.0, rate_hz=50.0)
    t_first, t_last = rec.rows[0][0], rec.rows[-1][0]
    starts = [tr.start_s for tr in rec.truth]
    assert starts == sorted(starts)
    for tr in rec.truth:
        assert tr.kind in KINDS
        assert t_first <= tr.start_s < tr.end_s <= t_last
        assert tr.start_s >= rec.info["quiet_until_s"] >= 8.0   # quiet first: learn the rest
        if tr.kind == "contraction":
            assert tr.details["style"] in ("hold", "flick", "endurance")
            assert isinstance(tr.details["breath_held"], bool) and tr.details["hold_s"] >= 0.0
            assert tr.size < 0.0
            assert tr.details.get("residual_kpa", -1.0) < 0.0
        elif tr.kind in ("bear_down", "cough"):
            assert tr.size > 0.0
        elif tr.kind == "posture":
            assert tr.details["way"] in ("side", "forward", "back")
            assert isinstance(tr.details["permanent"], bool)
        elif tr.kind == "breath_hold":
            assert tr.details["breath_period_s"] > 0.0
            assert isinstance(tr.details["during_contraction"], bool)
        elif tr.kind == "glute":
            assert tr.size <= 0.0


def test_a_lift_drops_the_perineal_pressure_and_a_push_or_cough_raises_it():
    checked = {"contraction": 0, "bear_down": 0, "cough": 0}
    for scenario in ("lifts", "pushes"):
        rec = make_recording(3, scenario=scenario, duration_s=120.0, rate_hz=50.0, noise_kpa=0.002,
                             breath_kpa=0.01, strength_kpa=0.8)
        for tr in rec.truth:
            if tr.kind not in checked or tr.end_s - tr.start_s < 0.3:
                continue
            before = statistics.mean(window(rec, tr.start_s - 2.0, tr.start_s))
            during = window(rec, tr.start_s, tr.end_s)
            if tr.kind == "contraction":
                assert min(during) < before - 0.6 * abs(tr.size)
                if tr.details["style"] != "flick":
                    mid = (tr.start_s + tr.end_s) / 2
                    held = statistics.mean(window(rec, mid - 0.5, mid + 0.5))
                    assert held < before - 0.3 * abs(tr.size)
            else:
                assert max(during) > before + 0.6 * tr.size
                assert min(during) > before - 0.2 * tr.size
            checked[tr.kind] += 1
    assert all(checked.values()), checked


@pytest.mark.parametrize("scenario",
                         ["lifts", "pushes", "breath_holds", "overtense", "distractors"])
def test_the_gain_scales_every_perineal_change_from_rest(scenario):
    kw = dict(scenario=scenario, duration_s=60.0, rate_hz=50.0, rest_kpa=5.0, strength_kpa=0.5)
    one = make_recording(11, gain=1.0, **kw)
    more = make_recording(11, gain=2.5, **kw)
    assert [r[0] for r in one.rows] == [r[0] for r in more.rows]
    standing = [(tr.start_s - 0.5, tr.end_s + 0.5) for tr in one.truth
                if tr.kind in ("stand_up", "sit_down")]
    if standing:   # an empty cushion reads its own pressure, whatever the gain
        standing = [(standing[0][0], standing[-1][1])]
    tolerance = (1.0 + 2.5) / 2 * PERINEAL_STEP_KPA + 1e-9        # both readings are quantised
    for a, b in zip(one.rows, more.rows):
        if any(t0 <= a[0] <= t1 for t0, t1 in standing) or not 0.0 < b[1] < 10.0:
            continue                                      # standing, or clamped at the range
        assert abs((b[1] - 5.0) - 2.5 * (a[1] - 5.0)) <= tolerance
        assert (a[2], a[3]) == (b[2], b[3])                       # the seat has no cushion gain
    for key in ("noise_kpa", "breath_kpa", "strength_kpa"):
        assert more.info[key] == pytest.approx(2.5 * one.info[key])
    assert [tr.kind for tr in one.truth] == [tr.kind for tr in more.truth]
    for ta, tb in zip(one.truth, more.truth):
        if ta.kind not in ("stand_up", "sit_down"):
            assert tb.size == pytest.approx(2.5 * ta.size, abs=1e-5)


@FAST
@given(rest=st.floats(1.0, 5.0), seed=st.integers(0, 1000))
def test_the_rest_level_follows_rest_kpa(rest, seed):
    rec = make_recording(seed, scenario="quiet", duration_s=10.0, rate_hz=50.0, rest_kpa=rest,
                         breath_kpa=0.01, noise_kpa=0.005)
    assert statistics.median(window(rec, 0.0, 8.0)) == pytest.approx(rest, abs=0.05)
    assert rec.info["rest_kpa"] == rest


def test_breath_hold_labels_only_where_breathing_really_stops():
    model = build(5, scenario="breath_holds", duration_s=150.0, rate_hz=50.0)
    truth = model.recording.truth
    holds = [tr for tr in truth if tr.kind == "breath_hold"]
    lifts = [tr for tr in truth if tr.kind == "contraction"]
    assert holds and len(lifts) >= 4
    held = [tr for tr in lifts if tr.details["breath_held"]]
    assert 0.3 <= len(held) / len(lifts) <= 0.7                  # about half of the holds
    for hold in holds:
        span = hold.end_s - hold.start_s
        volume = {round(model.breathing.value(hold.start_s + k * span / 20), 9) for k in range(21)}
        assert len(volume) == 1                                   # nothing moves: no breathing
        assert hold.details["during_contraction"]
        lift = next(tr for tr in held if tr.start_s - 1.0 <= hold.start_s <= tr.start_s + 1.0)
        assert hold.end_s > lift.end_s                            # breath resumes after the release
        period_s = 60.0 / model.person.breath_bpm
        assert hold.details["breath_period_s"] == pytest.approx(period_s, rel=0.5)
    assert len(holds) == len(held)
    # everywhere else the person breathes: the volume never stays put for long
    stops = [(h.start_s, h.end_s) for h in holds] + model.breathing.pauses
    period = 60.0 / model.person.breath_bpm
    t = 0.0
    while t + 2.0 * period < model.times[-1]:
        if not any(a < t + 2.0 * period and t < b for a, b in stops):
            values = [model.breathing.value(t + k * period / 10) for k in range(21)]
            assert max(values) - min(values) > 0.2
        t += period


def test_breathing_runs_at_the_asked_rate_with_variability():
    model = build(2, scenario="quiet", duration_s=240.0, rate_hz=50.0, breath_bpm=12.0)
    periods = [p for t0, p in model.breathing.regular if 0.0 < t0 < 230.0]
    assert statistics.median(periods) == pytest.approx(5.0, rel=0.15)
    assert statistics.pstdev(periods) / statistics.mean(periods) > 0.04   # not a metronome


@pytest.mark.slow
def test_flicks_last_a_quarter_to_most_of_a_second():
    flicks = [tr for seed in (0, 1)
              for tr in make_recording(seed, scenario="lifts", duration_s=150.0, rate_hz=50.0).truth
              if tr.kind == "contraction" and tr.details["style"] == "flick"]
    assert len(flicks) >= 5
    assert all(0.25 <= tr.end_s - tr.start_s <= 0.8 for tr in flicks)


def test_endurance_holds_tire_and_some_lifts_do_not_fully_let_go():
    model = build(5, scenario="lifts", duration_s=150.0, rate_hz=50.0)
    contractions = [a for a in model.script.actions if a.kind == "contraction"]
    endurance = [a for a in contractions if a.style == "endurance"]
    assert endurance
    for a in endurance:
        assert a._fatigue(a.hold_s) > 0.1
        sagged_at = a.regrips[0][0] if a.regrips else a.t_rel      # before the person re-grips
        assert a._smooth(sagged_at) < a._smooth(a.t_top + 1.0)
    for a in contractions:
        if a.residual > 0.0:
            assert a.activation(a.end_s) == pytest.approx(a.residual, rel=1e-6)
    assert any(a.residual > 0.0 for seed in (0, 1)
               for a in build(seed, scenario="lifts", duration_s=150.0, rate_hz=50.0).script.actions
               if a.kind == "contraction")


@pytest.mark.parametrize("scenario,kinds", [
    ("lifts", {"contraction"}),
    ("pushes", {"bear_down", "cough", "contraction"}),
    ("breath_holds", {"contraction", "breath_hold"}),
    ("distractors", {"glute", "posture", "stand_up", "sit_down", "cough", "contraction"}),
    ("overtense", {"contraction"}),
    ("mixed", {"contraction"}),
    ("quiet", set()),
])
def test_every_scenario_generates(scenario, kinds):
    duration_s = 300.0 if scenario == "distractors" else 150.0
    rec = make_recording(4, scenario=scenario, duration_s=duration_s, rate_hz=50.0)
    found = {tr.kind for tr in rec.truth}
    assert kinds <= found
    if scenario == "quiet":
        assert not rec.truth
    if scenario == "lifts":
        assert found == {"contraction"}
        styles = {tr.details["style"] for tr in rec.truth}
        assert {"hold", "flick"} <= styles
    if scenario == "distractors":
        glutes = [tr.details["with_lift"] for tr in rec.truth if tr.kind == "glute"]
        assert True in glutes and False in glutes
        assert any(tr.details["permanent"] for tr in rec.truth if tr.kind == "posture")


def test_an_overtense_floor_rests_lifted_and_barely_breathes():
    kw = dict(duration_s=10.0, rate_hz=50.0, rest_kpa=3.0, strength_kpa=1.0, breath_kpa=0.03,
              noise_kpa=0.002)
    tense = make_recording(9, scenario="overtense", **kw)
    assert tense.info["overtense"] and tense.info["tone_kpa"] < -0.1
    sitting_kpa = 3.0 + tense.info["tone_kpa"]
    assert statistics.median(window(tense, 0.0, 8.0)) == pytest.approx(sitting_kpa, abs=0.03)
    assert tense.info["breath_kpa_at_rest"] < 0.4 * tense.info["breath_kpa"]


def test_standing_up_empties_the_seat():
    rec = make_recording(3, scenario="distractors", duration_s=200.0, rate_hz=50.0)
    up = next(tr for tr in rec.truth if tr.kind == "stand_up")
    down = next(tr for tr in rec.truth if tr.kind == "sit_down")
    assert up.end_s < down.start_s
    standing = [r for r in rec.rows if up.end_s + 0.2 <= r[0] <= down.start_s - 0.1]
    assert standing
    for _, p_kpa, left_kg, right_kg in standing:
        assert abs(left_kg) < 1.0 and abs(right_kg) < 1.0
        assert p_kpa == pytest.approx(rec.info["unloaded_kpa"], abs=0.1)
    assert up.size < 0.0 < down.size


def test_a_buttock_squeeze_unloads_both_sitting_bones():
    rec = make_recording(6, scenario="distractors", duration_s=250.0, rate_hz=50.0)
    glutes = [tr for tr in rec.truth if tr.kind == "glute"]
    assert glutes
    for tr in glutes:
        mid = (tr.start_s + tr.end_s) / 2
        for col in (2, 3):
            before = statistics.mean(window(rec, tr.start_s - 1.5, tr.start_s, col))
            during = statistics.mean(window(rec, mid - 0.3, mid + 0.3, col))
            assert during < before - 0.2


def test_a_recording_writes_as_a_v1_csv_with_its_truth(tmp_path):
    from bench.oracle.__main__ import main

    out = tmp_path / "x.csv"
    assert main(["--seed", "2", "--scenario", "pushes", "--seconds", "40", "--rate", "50",
                 "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    rec = make_recording(2, scenario="pushes", duration_s=40.0, rate_hz=50.0)
    assert lines[0] == "# pftrainer-recording v1"
    assert sum(line.startswith("# event") for line in lines) == len(rec.truth)
    header = lines.index("t,perineal_kpa,seat_left_kg,seat_right_kg")
    assert len(lines) - header - 1 == len(rec.rows)
