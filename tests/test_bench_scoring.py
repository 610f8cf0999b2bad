"""bench.scoring's squeeze rules: a squeeze read where there was none is false, and blamed."""

from bench.corpora import Label, Recording
from bench.scoring import score
from session.events import Event


def _recording(labels: list[Label]) -> Recording:
    rows = [(i * 0.1, 2.0, 30.0, 30.0) for i in range(601)]      # 60 s
    return Recording("own", "test", 0, rows, labels, rate_hz=10.0, gain=1.0, noise_kpa=0.005,
                     breath_kpa=0.02, breath_bpm=12.0, asked_s=60.0)


def _glute(start_s: float, retracted: str | None = None) -> Event:
    return Event("glute", start_s, start_s + 0.3, end=start_s + 3.0, retracted=retracted)


def test_a_squeeze_read_in_a_lean_is_false_and_blamed_on_the_lean():
    lean = Label("posture", 10.0, 14.0, -0.1, {"way": "back"})
    scored = score(_recording([lean]), [_glute(10.2)])
    assert scored.false_glutes == {"posture": 1}
    assert scored.glutes == []


def test_a_squeeze_read_in_a_squeeze_is_found_and_not_false():
    squeeze = Label("glute", 20.0, 24.0, -0.02)
    scored = score(_recording([squeeze]), [_glute(20.3), _glute(22.0)])
    assert [o.found for o in scored.glutes] == [True]
    assert scored.false_glutes == {}          # read twice in one squeeze: one warning too many, not a false one


def test_a_squeeze_taken_back_warns_nobody_and_is_not_counted():
    scored = score(_recording([]), [_glute(30.0, retracted="posture"), _glute(45.0)])
    assert scored.false_glutes == {"none": 1}
