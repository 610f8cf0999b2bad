"""The analysis on recordings its figures were not chosen on, by sensor noise.

    python -m bench.fresh_seeds [--corpus own|oracle|both] [--recordings N] [--noises A,B,...] [--first-seed S]

`bench.analysis` judges the analysis on seeds 0-11 of each scenario, the seeds its
thresholds were looked at on. This runs the whole analysis on fresh seeds (from 100, or `S`) of the
breath-hold and lift scenarios with the sensor noise fixed at each level (sd before the
cushion's gain; the rest of each person drawn as usual) and prints, per corpus and noise, the
in-rule lifts found and the false ones, and the in-rule held breaths found and the false ones
per hour of breathing through holds -- figures `bench.analysis` prints, on recordings nobody
tuned on. Then the bear-downs on fresh seeds of the push and distractor scenarios (everything
drawn as usual): sensitivity, warning latency and false bear-downs an hour of those recordings
(denser in pushes, coughs and movements than the benchmark's mix of scenarios) by cause.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, fields

from bench.analysis import Run, _hold_in_rule, _lift_rows, push_figures
from bench.corpora import CORPORA, make, oracle_available

FIRST_SEED = 100      # seeds once looked at in a probe are no longer fresh: --first-seed moves on
NOISES_KPA = (0.002, 0.005, 0.01, 0.02)


@dataclass
class Counts:
    """What one or more fresh recordings scored."""

    lifts_found: int = 0
    lifts_in_rule: int = 0
    false_lifts: int = 0
    holds_found: int = 0
    holds_in_rule: int = 0
    false_holds: int = 0
    breathing_s: float = 0.0       # outside the labelled holds

    def add(self, other: "Counts") -> None:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


def analysed(corpus: str, seed: int, scenario: str, noise_kpa: float) -> Counts:
    """One fresh recording analysed and scored."""
    recording = make(corpus, seed, scenario, 300.0, noise_kpa=noise_kpa)
    scored = Run().add(recording)
    lifts = [row[2] for row in _lift_rows([scored]) if row[3]]
    holds = [o.found for o in scored.breath_holds if _hold_in_rule(recording, o.label)]
    return Counts(sum(lifts), len(lifts), scored.false_lifts, sum(holds), len(holds), scored.false_breath_holds,
                  scored.breathing_s)


def _share(found: int, of: int) -> str:
    return f"{found / of:.3f} ({found} of {of})" if of else "  -  (0 of 0)"


def report(corpus: str, recordings: int, noises_kpa: tuple[float, ...], out=sys.stdout,
           first_seed: int = FIRST_SEED) -> None:
    print(f"\n== corpus: {corpus}: fresh seeds {first_seed}-{first_seed + recordings - 1} (breath-holds and "
          f"lifts), by sensor noise   targets: lift recall >= 0.95; held breaths >= 0.8, <= 1 false an hour",
          file=out)
    for noise_kpa in noises_kpa:
        total = Counts()
        for scenario in ("breath_holds", "lifts"):
            for seed in range(first_seed, first_seed + recordings):
                print(f"  {corpus}: noise {noise_kpa:g} {scenario} {seed}", end="\r", file=sys.stderr, flush=True)
                total.add(analysed(corpus, seed, scenario, noise_kpa))
        print(" " * 50, end="\r", file=sys.stderr)
        hours = total.breathing_s / 3600
        print(f"    noise {noise_kpa:6.3f} kPa: lifts in rule {_share(total.lifts_found, total.lifts_in_rule)}, "
              f"{total.false_lifts} false;  held breaths in rule {_share(total.holds_found, total.holds_in_rule)}, "
              f"false {total.false_holds / hours:.2f} per hour ({total.false_holds} in {hours:.2f} h)", file=out)


def report_pushes(corpus: str, recordings: int, out=sys.stdout, first_seed: int = FIRST_SEED) -> None:
    run = Run()
    for scenario in ("pushes", "distractors"):
        for seed in range(first_seed, first_seed + recordings):
            print(f"  {corpus}: {scenario} {seed}", end="\r", file=sys.stderr, flush=True)
            run.add(make(corpus, seed, scenario, 300.0))
    print(" " * 50, end="\r", file=sys.stderr)
    print(f"  bear-downs on fresh seeds {first_seed}-{first_seed + recordings - 1} of pushes and distractors "
          f"({run.hours():.2f} h):", file=out)
    push_figures(run.scores, run.hours(), out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=CORPORA + ("both",), default="both")
    parser.add_argument("--recordings", type=int, default=12, help="fresh recordings per scenario and noise (default 12)")
    parser.add_argument("--noises", default=",".join(f"{x:g}" for x in NOISES_KPA),
                        help="sensor noise sds in kPa, comma-separated (default %(default)s)")
    parser.add_argument("--first-seed", type=int, default=FIRST_SEED,
                        help="the first of the fresh seeds (default %(default)s)")
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
        report(corpus, args.recordings, noises, first_seed=args.first_seed)
        report_pushes(corpus, args.recordings, first_seed=args.first_seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
