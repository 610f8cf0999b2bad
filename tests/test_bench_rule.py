"""The benchmark judges a lift by the drop the cushion shows (`bench.analysis.shown_drop`): on
the oracle, a lift made holding a breath moves the pressure by its own drop less the held
breath's offset (an inhaled breath held presses the floor down the while)."""

from bench.analysis import shown_drop
from bench.corpora import make


def _mean_kpa(rows, from_s: float, to_s: float) -> float:
    values = [kpa for t, kpa, _, _ in rows if from_s <= t < to_s]
    return sum(values) / len(values)


def test_a_lift_made_holding_a_breath_is_judged_by_the_drop_the_cushion_shows():
    nearer = farther = 0
    for seed in range(4):
        recording = make("oracle", seed, "breath_holds", 300.0)
        for lift in recording.labels:
            middle_s = 0.5 * (lift.start_s + lift.end_s)
            if lift.kind != "contraction" or not any(
                    x.kind == "breath_hold" and x.start_s <= middle_s <= x.end_s for x in recording.labels):
                continue
            third_s = (lift.end_s - lift.start_s) / 3
            seen = (_mean_kpa(recording.rows, lift.start_s - 6.0, lift.start_s - 1.0)
                    - _mean_kpa(recording.rows, lift.start_s + third_s, lift.end_s - third_s))
            shown, own = shown_drop(recording, lift), -lift.size_kpa
            nearer += abs(seen - shown) < abs(seen - own)
            farther += abs(seen - shown) >= abs(seen - own)
    assert nearer + farther >= 15
    assert nearer >= 3 * farther        # 17 and 5 (with the held offset added instead: 4 and 18)
