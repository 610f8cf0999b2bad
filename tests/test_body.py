"""The simulated body: the sign convention and the shapes the analysis relies on."""

import statistics

import pytest

from hw_sim.body import Body, BodyParams

QUIET = BodyParams(wander_kpa=0.0, micro_kpa=0.0, drift_kpa_per_min=0.0, tremor_kpa=0.0)


def series(body, t0, t1, dt=0.01):
    out = []
    t = t0
    while t < t1:
        out.append(body.sample(t)[0])
        t += dt
    return out


def test_rest_pressure_breathes_around_rest():
    body = Body(QUIET, seed=1)
    values = series(body, 0, 30)
    assert statistics.mean(values) == pytest.approx(QUIET.rest_kpa, abs=0.02)
    assert max(values) - min(values) == pytest.approx(QUIET.breath_kpa, rel=0.1)


def test_inhale_is_a_small_rise():
    body = Body(QUIET, seed=1)
    body.sample(0.0)
    phase = body.breath_phase
    # move to the start of the next inhale, then through it
    t = (1.0 - phase) * 60.0 / QUIET.breath_rate_bpm
    low = body.sample(t)[0]
    high = body.sample(t + 0.4 * 60.0 / QUIET.breath_rate_bpm)[0]
    assert high - low == pytest.approx(QUIET.breath_kpa, rel=0.05)


@pytest.mark.parametrize("seed", range(4))
def test_a_body_told_when_to_breathe_in_and_out_follows_the_pace_smoothly(seed):
    """4 s in and 8 s out, told at each change (a paced breathing step), from wherever its
    own breath was: after the first breath, the top comes as the exhale is told, the bottom
    as the inhale is, and the breath never jumps."""
    body = Body(QUIET, seed=seed)
    for k in range(4):
        body.breathe_in(12.0 * k, 4.0)
        body.breathe_out(12.0 * k + 4.0, 8.0)
    values = series(body, 0.0, 48.0)
    assert max(abs(b - a) for a, b in zip(values, values[1:])) < 0.002     # 10 ms apart
    for k in (1, 2, 3):
        cycle = values[1200 * k:1200 * (k + 1)]
        top, bottom = cycle.index(max(cycle)) / 100.0, cycle.index(min(cycle)) / 100.0
        assert top == pytest.approx(4.0, abs=0.1) and (bottom < 0.1 or bottom > 11.9)
        assert max(cycle) - min(cycle) == pytest.approx(QUIET.breath_kpa, rel=0.05)


def test_a_breath_in_told_at_its_top_stays_full_until_the_time_to_breathe_out():
    body = Body(QUIET, seed=1)
    t = next(t / 100.0 for t in range(1000) if 0.39 < (body.sample(t / 100.0), body.breath_phase)[1] < 0.4)
    body.breathe_in(t, 4.0)
    held = series(body, t + 0.05, t + 4.0)
    assert max(held) - min(held) < 0.002                  # full, and then its own breath again
    after = series(body, t + 4.0, t + 7.0)
    assert max(held) - min(after) > 0.5 * QUIET.breath_kpa


def test_lift_drops_pressure_and_bear_down_and_cough_raise_it():
    body = Body(QUIET, seed=2)
    body.lift(5.0, level=1.0, rise_s=0.5, hold_s=5.0, release_s=0.5)
    body.bear_down(20.0, duration_s=2.0, rise_kpa=2.0)
    body.cough(30.0, peak_kpa=4.0)
    rest = QUIET.rest_kpa
    assert body.sample(4.0)[0] == pytest.approx(rest, abs=0.06)
    assert body.sample(6.0)[0] < rest - 0.9 * QUIET.max_drop_kpa
    assert body.sample(15.0)[0] == pytest.approx(rest, abs=0.06)
    assert body.sample(21.0)[0] > rest + 1.9
    assert body.sample(30.06)[0] > rest + 3.5
    assert body.sample(30.5)[0] == pytest.approx(rest, abs=0.06)
    kinds = [(e.kind, e.start_s) for e in body.truth]
    assert kinds == [("contraction", 5.0), ("bear_down", 20.0), ("cough", 30.0)]


def test_long_hold_fatigues_and_incomplete_relaxation_leaves_a_residual():
    body = Body(QUIET, seed=3)
    body.lift(1.0, hold_s=40.0, release_s=1.0, residual=0.4)
    rest = QUIET.rest_kpa
    early = rest - body.sample(3.0)[0]
    late = rest - body.sample(40.0)[0]
    assert late < 0.8 * early
    after = rest - body.sample(43.5)[0]
    assert 0.2 * late < after < 0.6 * late


def test_a_held_lift_wavers_slowly_by_its_share_of_the_drop():
    """`unsteady_share` 0.03: the held level's sd about 3 % of the drop (fatigue and breathing left
    out), and slow -- 0.2-1.5 Hz, not a tremor: a hundredth of a second on it has barely moved."""
    params = BodyParams(wander_kpa=0.0, micro_kpa=0.0, drift_kpa_per_min=0.0, tremor_kpa=0.0, breath_kpa=0.0,
                        fatigue_tau_s=1e9, unsteady_share=0.03)
    body = Body(params, seed=4)
    body.lift(1.0, level=0.5, rise_s=0.5, hold_s=40.0)
    held = series(body, 3.0, 40.0)
    drop_kpa = 0.5 * params.max_drop_kpa
    assert statistics.pstdev(held) == pytest.approx(0.03 * drop_kpa, rel=0.1)
    steps = [abs(b - a) for a, b in zip(held, held[1:])]
    assert statistics.mean(steps) < 0.1 * statistics.pstdev(held)
    whole = series(body, 0.5, 42.0, dt=0.001)        # into the hold and out of it: no step anywhere
    assert max(abs(b - a) for a, b in zip(whole, whole[1:])) < 0.01 * drop_kpa
    steady = Body(BodyParams(**{**params.__dict__, "unsteady_share": 0.0}), seed=4)
    steady.lift(1.0, level=0.5, rise_s=0.5, hold_s=40.0)
    assert statistics.pstdev(series(steady, 3.0, 40.0)) < 1e-6


def test_same_seed_same_signal():
    a, b = Body(seed=9), Body(seed=9)
    for body in (a, b):
        body.lift(2.0)
    assert series(a, 0, 10) == series(b, 0, 10)
    assert series(Body(seed=10), 0, 10) != series(Body(seed=9), 0, 10)


def test_seat_carries_the_weight():
    body = Body(BodyParams(mass_kg=80.0, seat_share=0.4, balance=0.5), seed=1)
    _, left, right = body.sample(1.0)
    assert left + right == pytest.approx(64.0, abs=0.5)


def test_a_person_who_hears_a_lift_before_its_frame_looks_again_and_follows_the_band():
    """An outside trial: the device's frame can come after its beep (0.10-0.25 s, more on a
    loaded Pi), and the simulated person lifted to a guessed 30 % for the whole rep."""
    from hw_sim.persona import PERSONAS, SimulatedPerson
    from session import cues
    body = Body(QUIET, seed=1)
    shown_from_s = [0.9]                       # the frame with the band arrives then
    person = SimulatedPerson(PERSONAS["strong"], body,
                             sees_target=lambda: 60.0 if body_t[0] >= shown_from_s[0] else None)
    body_t = [0.0]

    def run_to(t_end):
        while body_t[0] < t_end:
            body_t[0] += 0.01
            body.sample(body_t[0])

    effort = PERSONAS["strong"].effort
    person.hear(0.0, cues.EXHALE_LIFT)
    run_to(0.6)
    assert body.voluntary_target == pytest.approx(effort * 0.30)          # a guess while no band shows
    run_to(1.2)
    assert body.voluntary_target == pytest.approx(effort * 0.60)          # then the band
    shown_from_s[0] = 5.0                                                   # the next rep's frame is late ...
    person.hear(3.0, cues.RELAX)
    person.hear(3.5, cues.EXHALE_LIFT)
    person.hear(3.7, cues.RELAX)                                            # ... and a let-go comes first
    run_to(6.0)
    assert body.voluntary_target == 0.0                                     # no lift after being told to let go
    shown_from_s[0] = 30.0
    person.hear(10.0, cues.EXHALE_LIFT)                                     # no band: looks again till ~11.4 s,
    person.hear(10.3, cues.RELAX)                                           # let go,
    person.hear(10.5, cues.CALIBRATE_MAX)                                   # and a maximal lift at once:
    run_to(11.0)
    seen = []                                                               # the first lift's looks are over
    while body_t[0] < 11.5:
        run_to(body_t[0] + 0.01)
        seen.append(body.voluntary_target)
    assert seen == pytest.approx([effort * 1.0] * len(seen))
