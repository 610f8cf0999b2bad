"""The oracle's posture_mix scenario: set-ups labelled with their offsets; loads really move."""

import statistics

import pytest

from bench.oracle import make_recording
from bench.oracle.scenarios import ALONE, POSTURE_OFFSETS

PARTNER_KINDS = {"push": "bear_down", "hold": "contraction", "flick": "contraction",
                 "cough": "cough"}


@pytest.fixture(scope="module")
def recordings():
    return [make_recording(seed, scenario="posture_mix", duration_s=400.0, rate_hz=50.0)
            for seed in (0, 1)]


def setups(rec):
    """{setup: (its posture label, its partner's labels)}."""
    labels = {}
    for tr in rec.truth:
        if "setup" in tr.details:
            labels.setdefault(tr.details["setup"], []).append(tr)
    out = {}
    for k, trs in labels.items():
        postures = [tr for tr in trs if tr.kind == "posture"]
        assert len(postures) == 1
        out[k] = (postures[0], [tr for tr in trs if tr.kind != "posture"])
    return out


def mean_kg(rec, t0, t1, col):
    return statistics.mean(r[col] for r in rec.rows if t0 <= r[0] <= t1)


@pytest.mark.slow
def test_every_setup_is_labelled_with_its_offset(recordings):
    seen = set()
    for rec in recordings:
        spans = []
        for posture, partner in setups(rec).values():
            d = posture.details
            offset, with_ = d["posture_offset"], d["posture_with"]
            seen.add(with_)
            if with_ == "none":
                assert offset == ALONE and not partner
            else:
                anchor, offset_s = POSTURE_OFFSETS[offset]
                assert {tr.kind for tr in partner} == {PARTNER_KINDS[with_]}
                assert all(tr.details["posture_offset"] == offset for tr in partner)
                if with_ in ("hold", "flick"):
                    assert partner[0].details["style"] == with_
                anchor_s = posture.start_s + (d["move_s"] if anchor == "arrive" else 0.0)
                assert partner[0].start_s - anchor_s == pytest.approx(offset_s, abs=2e-3)
                assert partner[0].details["posture_offset_s"] == pytest.approx(offset_s, abs=2e-3)
            spans.append((min(tr.start_s for tr in [posture, *partner]),
                          max(tr.end_s for tr in [posture, *partner])))
        spans.sort()
        assert len(spans) >= 12
        assert all(b[0] - a[1] >= 8.0 for a, b in zip(spans, spans[1:]))   # quiet in between
    assert seen == {"push", "hold", "flick", "cough", "none"}


@pytest.mark.slow
def test_the_loads_move_to_the_labelled_posture_and_lasting_shifts_are_undone(recordings):
    ways = set()
    for rec in recordings:
        lasting = None
        for posture, _ in sorted(setups(rec).values(), key=lambda s: s[0].start_s):
            d = posture.details
            arrive_s = posture.start_s + d["move_s"]
            moved = [mean_kg(rec, arrive_s, arrive_s + 0.25, col)
                     - mean_kg(rec, posture.start_s - 1.0, posture.start_s - 0.1, col)
                     for col in (2, 3)]
            if d["way"] == "side":
                seen_kg, labelled_kg = moved[0] - moved[1], d["left_kg"] - d["right_kg"]
            else:
                seen_kg, labelled_kg = moved[0] + moved[1], d["left_kg"] + d["right_kg"]
            assert abs(labelled_kg) >= 0.9
            assert 0.5 <= seen_kg / labelled_kg <= 1.5
            ways.add((d["way"], d["permanent"], d.get("returning", False)))
            if d.get("returning"):
                assert (d["left_kg"], d["right_kg"]) == (-lasting["left_kg"], -lasting["right_kg"])
                lasting = None
            elif d["permanent"]:
                assert lasting is None
                lasting = d
    assert {w for w, _, _ in ways} == {"side", "forward", "back"}
    assert {(p, r) for _, p, r in ways} == {(False, False), (True, False), (True, True)}
