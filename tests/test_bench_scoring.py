"""bench.scoring's squeeze rules: a squeeze warned where there was none is false, and blamed; a found
lift's end is told against its release's end; each cough is found by an event of its own, and a cough
event in no cough is false, put down to where it lies."""

import math

from bench.corpora import Label, Recording
from bench.scoring import MATCH_S, score
from session.coach import GLUTE_CUE_DELAY_S
from session.events import Event


def _recording(labels: list[Label]) -> Recording:
    rows = [(i * 0.1, 2.0, 30.0, 30.0) for i in range(601)]      # 60 s
    return Recording("own", "test", 0, rows, labels, rate_hz=10.0, gain=1.0, noise_kpa=0.005,
                     breath_kpa=0.02, breath_bpm=12.0, asked_s=60.0)


def _glute(start_s: float, *, detected_after_s: float = 0.3, retracted_after_s: float | None = None) -> Event:
    detected_s = start_s + detected_after_s
    event = Event("glute", start_s, detected_s, end=start_s + 3.0)
    if retracted_after_s is not None:
        event.retracted, event.retracted_at = "stand_up", detected_s + retracted_after_s
    return event


def test_a_squeeze_read_in_a_lean_is_false_and_blamed_on_what_it_began_in():
    lean = Label("posture", 10.0, 14.0, -0.1, {"way": "back"})
    cough = Label("cough", 16.5, 17.0, 0.5)
    # begun in the lean, raised after it: blamed by where it began
    scored = score(_recording([lean, cough]), [_glute(13.5, detected_after_s=3.0)])
    assert scored.false_glutes == {"posture": 1}


def test_a_squeeze_read_in_a_squeeze_or_just_before_it_is_not_false():
    squeeze = Label("glute", 20.0, 24.0, -0.02)
    events = [_glute(20.0 - MATCH_S + 0.05), _glute(22.0)]      # its start, and read twice within it
    scored = score(_recording([squeeze]), events)
    assert [o.found for o in scored.glutes] == [True]
    assert scored.false_glutes == {}


def test_a_squeeze_read_before_a_squeeze_or_after_it_is_false():
    squeeze = Label("glute", 20.0, 24.0, -0.02)
    events = [_glute(20.0 - MATCH_S - 0.2), _glute(24.3)]
    assert score(_recording([squeeze]), events).false_glutes == {"glute": 1, "none": 1}


def test_a_squeeze_counts_when_the_coach_warns_it_before_it_is_taken_back():
    taken_back_soon = _glute(30.0, retracted_after_s=GLUTE_CUE_DELAY_S - 0.1)    # never warned
    taken_back_late = _glute(40.0, retracted_after_s=GLUTE_CUE_DELAY_S + 0.3)    # warned, then taken back
    standing = _glute(50.0)
    scored = score(_recording([]), [taken_back_soon, taken_back_late, standing])
    assert scored.false_glutes == {"none": 2}


def test_a_found_lifts_end_is_measured_from_its_release_end_and_one_still_under_way_never_ended():
    lifts = [Label("contraction", 10.0, 18.0, -0.2), Label("contraction", 30.0, 38.0, -0.2)]
    events = [Event("contraction", 10.1, 10.3, end=15.5), Event("contraction", 30.2, 30.4)]
    scored = score(_recording(lifts), events)
    assert [o.end_error_s for o in scored.lifts] == [-2.5, math.inf]


def _cough(start_s: float) -> Event:
    return Event("cough", start_s, start_s + 0.2, end=start_s + 0.2)


def test_each_cough_of_a_burst_needs_an_event_of_its_own_and_one_in_no_cough_is_put_down_to_where_it_lies():
    burst = [Label("cough", 10.0, 10.3, 0.6), Label("cough", 10.6, 10.9, 0.5), Label("cough", 11.2, 11.5, 0.4)]
    push = Label("bear_down", 20.0, 24.0, 0.8)
    hold = Label("contraction", 30.0, 40.0, -0.3)
    events = [_cough(9.8), _cough(10.65), _cough(21.0), _cough(22.0), _cough(35.0), _cough(50.0)]
    scored = score(_recording(burst + [push, hold]), events)
    assert [o.found for o in scored.coughs] == [True, True, False]      # two events for three coughs
    assert scored.false_coughs == {"bear_down": 2, "contraction": 1, "at rest": 1}
