"""The held-breath detector on recordings its figures were not chosen on, by sensor noise.

    python -m bench.hold_sweep [--corpus own|oracle|both] [--recordings N] [--noises A,B,...]

`bench.analysis` judges the analysis on seeds 0-11 of each scenario, the seeds its
breath-hold thresholds were looked at on. This sweep runs the whole analysis on fresh seeds
(from 100) of the breath-hold and lift scenarios with the sensor noise fixed at each level
(sd before the cushion's gain; the rest of each person drawn as usual) and prints, per
corpus and noise, the in-rule held breaths found and the false ones per hour of breathing
through holds -- the figures `bench.analysis` prints, on recordings nobody tuned on.
"""

from __future__ import annotations

import argparse
import sys

from bench.analysis import _hold_in_rule
from bench.corpora import CORPORA, make, oracle_available
from bench.scoring import score
from session.analyzer import Analyzer
from session.seat import SeatTracker

FIRST_SEED = 100
NOISES_KPA = (0.002, 0.005, 0.01, 0.02)


def held_breaths(corpus: str, seed: int, scenario: str, noise_kpa: float) -> tuple[int, int, int, float]:
    """One fresh recording analysed: (in-rule held breaths found, in rule, false ones,
    seconds of breathing outside the labelled holds)."""
    recording = make(corpus, seed, scenario, 300.0, noise_kpa=noise_kpa)
    seat = SeatTracker()
    analyzer = Analyzer(seat=seat)
    for t, kpa, left_kg, right_kg in recording.rows:
        seat.step(t, left_kg, right_kg)
        analyzer.step(t, kpa)
    scored = score(recording, analyzer.events)
    in_rule = [o.found for o in scored.breath_holds if _hold_in_rule(recording, o.label)]
    return sum(in_rule), len(in_rule), scored.false_breath_holds, scored.breathing_s


def report(corpus: str, recordings: int, noises_kpa: tuple[float, ...], out=sys.stdout) -> None:
    print(f"\n== corpus: {corpus}: held breaths on fresh seeds {FIRST_SEED}-{FIRST_SEED + recordings - 1} "
          f"(breath-holds and lifts), by sensor noise   targets: recall >= 0.8, <= 1 false an hour", file=out)
    for noise_kpa in noises_kpa:
        found = in_rule = false = 0
        breathing_s = 0.0
        for scenario in ("breath_holds", "lifts"):
            for seed in range(FIRST_SEED, FIRST_SEED + recordings):
                print(f"  {corpus}: noise {noise_kpa:g} {scenario} {seed}", end="\r", file=sys.stderr, flush=True)
                f, n, fa, s = held_breaths(corpus, seed, scenario, noise_kpa)
                found, in_rule, false, breathing_s = found + f, in_rule + n, false + fa, breathing_s + s
        print(" " * 50, end="\r", file=sys.stderr)
        recall = f"{found / in_rule:.3f}" if in_rule else "  -  "
        print(f"    noise {noise_kpa:6.3f} kPa: in-rule recall {recall} ({found} of {in_rule}), "
              f"false {false / (breathing_s / 3600):.2f} per hour ({false} in {breathing_s / 3600:.2f} h)", file=out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=CORPORA + ("both",), default="both")
    parser.add_argument("--recordings", type=int, default=12, help="fresh recordings per scenario and noise (default 12)")
    parser.add_argument("--noises", default=",".join(f"{x:g}" for x in NOISES_KPA),
                        help="sensor noise sds in kPa, comma-separated (default %(default)s)")
    args = parser.parse_args(argv)
    try:
        noises = tuple(float(x) for x in args.noises.split(","))
    except ValueError:
        parser.error(f"--noises: {args.noises!r} is not a comma-separated list of numbers")
    if any(not 0.0 < x < 1.0 for x in noises):
        parser.error(f"--noises: each must be above 0 and below 1 kPa, got {args.noises}")
    for corpus in CORPORA if args.corpus == "both" else (args.corpus,):
        if corpus == "oracle" and not oracle_available():
            print("\n== corpus: oracle -- not available (bench/oracle is missing)")
            continue
        report(corpus, args.recordings, noises)
    return 0


if __name__ == "__main__":
    sys.exit(main())
