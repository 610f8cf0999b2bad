"""What breath power can tell: a breath held through a lift against a breath taken on.

    python -m bench.breath_holds [--corpus own|oracle|both] [--recordings N] [--first-seed S]

The analysis flags a held breath when the breathing band's power has faded, during a lift,
to a share of the resting breath's power (`session.breathing`). This benchmark asks how
far apart the two cases are at all, whatever the detector: for every lift the
detectability rule covers, the band's power over the part of the lift in which the breath
was held -- or, for a lift breathed through, over the lift -- as a share of the band's power
in the quiet stretch before it, binned by the lift's drop over the breath swing; and the
same for the band tuned to the breathing rate (`tuned_kpa`, at the rate the labels give),
which the analysis judges a hold of 1.5 breath periods or more by (here every lift the rule
covers, also those whose held part is shorter), its power fitted as the analysis fits a
hold's (`bench.analysis.band_powers`: the band restarts with the stretch and builds up
again). The band is the analysis' own (`BreathTracker`), started afresh on each stretch;
the labels say which lifts held the breath. Where the two distributions overlap, no power
threshold separates them: the breath-hold figures of `bench.analysis` cannot be better than that.
The thresholds' table is printed for every lift, and again for the recordings whose rest
moves in the breathing band by at most `HOLD_WANDER_K` of the breaths' power besides them
(`bench.analysis.wander_to_breath`: where the rule promises a held breath) and for the others.
"""

from __future__ import annotations

import argparse
import math
import sys

from bench.analysis import band_powers, shown_drop, wander_to_breath
from bench.corpora import CORPORA, Recording, make, oracle_available
from session.detectability import HOLD_LIFT_K, HOLD_PERIODS, HOLD_WANDER_K, HOLD_WHOLE_SKIP_S, lift_detectable

DROP_BINS = ((1.5, 2.5), (2.5, 4.0), (4.0, HOLD_LIFT_K))     # lift drop / breath swing
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3)
REST_SETTLE_S = 3.0     # the band's high-pass settling, left out of the rest
LIFT_SETTLE_S = 0.8     # into the lift (its step rings through the band this long)
END_MARGIN_S = 0.3      # before the release


def lift_cases(recording: Recording):
    """(held, drop over breath swing, power share, tuned power share) for each lift the rule
    covers that is long enough to miss 1.5 breaths in and has a quiet stretch of as much
    before it."""
    labels = recording.labels
    holds = [x for x in labels if x.kind == "breath_hold"]
    others = [x for x in labels if x.kind != "breath_hold"]
    for lift in labels:
        if lift.kind != "contraction":
            continue
        drop = shown_drop(recording, lift)
        if (lift.details.get("style") == "flick"
                or not lift_detectable(drop, recording.noise_kpa, recording.breath_kpa, recording.rate_hz)
                or drop > HOLD_LIFT_K * recording.breath_kpa):
            continue
        hold = next((x for x in holds if lift.start_s - 2.0 <= x.start_s <= lift.end_s), None)
        period_s = hold.details["breath_period_s"] if hold is not None else 60.0 / recording.breath_bpm
        start_s, end_s = lift.start_s + LIFT_SETTLE_S, lift.end_s - END_MARGIN_S
        if hold is not None:
            start_s, end_s = max(start_s, hold.start_s), min(end_s, hold.end_s)
        elif lift.end_s - lift.start_s < HOLD_PERIODS * period_s:
            continue
        quiet_from_s = max([x.end_s for x in others if x.end_s < lift.start_s] + [0.0]) + 2.0
        rest_from_s, rest_to_s = max(quiet_from_s, lift.start_s - 25.0), lift.start_s - 0.5
        if end_s - start_s < period_s or rest_to_s - rest_from_s < HOLD_PERIODS * period_s + REST_SETTLE_S:
            continue
        dt_s = 1.0 / recording.rate_hz
        rest = band_powers(recording.rows, [(rest_from_s, rest_from_s + REST_SETTLE_S, rest_to_s)], period_s, dt_s)
        # the band restarted at the stretch counts, as the analysis' judgement of a whole hold, from
        # HOLD_WHOLE_SKIP_S on
        during = band_powers(recording.rows, [(start_s, start_s + HOLD_WHOLE_SKIP_S, end_s)], period_s, dt_s)
        if rest[0] > 0.0 and rest[1] > 0.0 and not math.isnan(during[0] + during[1]):
            yield hold is not None, drop / recording.breath_kpa, during[0] / rest[0], during[1] / rest[1]


def _quartiles(values: list[float]) -> str:
    if not values:
        return f"{'-':>20}"
    v = sorted(values)
    return f"{v[len(v) // 4]:6.2f} {v[len(v) // 2]:6.2f} {v[3 * len(v) // 4]:6.2f} ({len(v):3d})"


def report(corpus: str, recordings: int, first_seed: int = 0, out=sys.stdout) -> None:
    cases = []              # each lift's case and its recording's wander_to_breath
    for scenario in ("breath_holds", "lifts"):
        for i, seed in enumerate(range(first_seed, first_seed + recordings), start=1):
            print(f"  {corpus}: {scenario} {i}/{recordings}", end="\r", file=sys.stderr, flush=True)
            recording = make(corpus, seed, scenario, 300.0)
            found = list(lift_cases(recording))
            if found:
                wander = wander_to_breath(recording)
                cases += [case + (wander,) for case in found]
    print(" " * 40, end="\r", file=sys.stderr)
    for band, column in (("breathing band", 2), ("band tuned to the breathing rate", 3)):
        print(f"\n== corpus: {corpus} (seeds {first_seed}-{first_seed + recordings - 1}): the {band}'s power "
              f"in a lift, as a share of its resting power (quartiles 25/50/75 %, count)", file=out)
        print(f"    {'drop / breath':>14}   {'breath held':>27}   {'breathing on':>27}", file=out)
        for lo, hi in DROP_BINS:
            held = [case[column] for case in cases if case[0] and lo <= case[1] < hi]
            on = [case[column] for case in cases if not case[0] and lo <= case[1] < hi]
            print(f"    {f'{lo:g}-{hi:g}':>14}   {_quartiles(held):>27}   {_quartiles(on):>27}", file=out)
        print("    a threshold on the share, over all bins: held breaths below it / lifts breathed through "
              "below it (count)", file=out)
        for name, keep in (("every lift", lambda w: True),
                           (f"rest's other motion <= {HOLD_WANDER_K:.2f} of the breaths'", lambda w: w <= HOLD_WANDER_K),
                           ("more (or not measured)", lambda w: not w <= HOLD_WANDER_K)):   # NaN: not measured
            held = [case[column] for case in cases if case[0] and keep(case[4])]
            on = [case[column] for case in cases if not case[0] and keep(case[4])]
            if held and on:
                print(f"      {name} ({len(held)} / {len(on)}):", file=out)
                print("        " + "   ".join(f"{x:g}: {sum(p < x for p in held) / len(held):.2f} / "
                                            f"{sum(p < x for p in on) / len(on):.2f}" for x in THRESHOLDS), file=out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=CORPORA + ("both",), default="both")
    parser.add_argument("--recordings", type=int, default=20, help="recordings per scenario (default 20)")
    parser.add_argument("--first-seed", type=int, default=0,
                        help="the first recording's seed (default 0; from 100 no figure was chosen on)")
    args = parser.parse_args(argv)
    for corpus in CORPORA if args.corpus == "both" else (args.corpus,):
        if corpus == "oracle" and not oracle_available():
            print("\n== corpus: oracle -- not available (bench/oracle is missing)")
            continue
        report(corpus, args.recordings, args.first_seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
