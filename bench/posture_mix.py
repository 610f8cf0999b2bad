"""Pushes, lifts and coughs close to posture shifts, on the independent body model (bench.oracle).

    python -m bench.posture_mix [--seeds N] [--first-seed S] [--minutes M]

A recording of the oracle's `posture_mix` scenario is a string of set-ups, 8-12 s of quiet apart:
a posture shift (sideways, forward or back; temporary, lasting, or back from a lasting one) with
a push, a held lift, a flick, a cough or nothing begun at a set offset from it: 2 s before the
lean begins (start-2), with it (start+0), as the loads reach the new posture (arrive+0), and 0.3,
1.5, 3 and 6 s after that. Each recording runs through the streaming analyzer as bench.analysis
runs it; each set-up is scored on its own stretch of the recording by bench.scoring's rules.
Printed per offset and partner: the pushes warned (recall, all and those the detectability rule
covers) and the median warning latency, the lifts found, the coughs, and the false bear-downs
(with what bench.scoring blames them on), the false contractions, and the buttock squeezes read
where there was none (each warned "billen ontspannen"); then the same by kind of shift, and the
totals.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field, replace

from bench.analysis import _causes, _in_rule, _push_in_rule, analysed
from bench.corpora import Recording, make
from bench.oracle.scenarios import ALONE, POSTURE_OFFSETS, POSTURE_PARTNERS
from bench.scoring import Score, score
from session.events import BEAR_DOWN, BREATH_HOLD

FIRST_SEED = 0
OFFSETS = (*POSTURE_OFFSETS, ALONE)
PARTNERS = (*POSTURE_PARTNERS, "none")


@dataclass
class SetUp:
    """One posture shift and its partner, scored on its own stretch of the recording."""

    offset: str
    partner: str
    shift: str          # way/temporary, way/lasting or way/return
    score: Score


@dataclass
class Tally:
    """What a group of set-ups scored."""

    setups: int = 0
    pushes: list = field(default_factory=list)      # (warned, in rule, latency_s or None)
    lifts: list = field(default_factory=list)       # (found, in rule)
    coughs: int = 0
    false_pushes: Counter = field(default_factory=Counter)
    false_glutes: int = 0
    false_lifts: int = 0

    def add(self, setup: SetUp) -> None:
        s, rec = setup.score, setup.score.recording
        self.setups += 1
        self.pushes += [(o.found, _push_in_rule(rec, o.label), o.latency_s) for o in s.pushes]
        self.lifts += [(o.found, _in_rule(rec, o.label)) for o in s.lifts]
        self.coughs += sum(label.kind == "cough" for label in rec.labels)
        self.false_pushes.update(s.false_pushes)
        self.false_glutes += sum(s.false_glutes.values())
        self.false_lifts += s.false_lifts + s.glutes_as_clean_lifts


def _when(event) -> float:
    """The time bench.scoring matches an event by."""
    return event.detected_at if event.kind in (BEAR_DOWN, BREATH_HOLD) else event.start


def _shift(posture) -> str:
    d = posture.details
    how = "return" if d.get("returning") else "lasting" if d["permanent"] else "temporary"
    return f"{d['way']}/{how}"


def set_ups(recording: Recording, events: list) -> list[SetUp]:
    """Cut the recording between set-ups (half-way through the quiet) and score each stretch."""
    spans = {}
    for label in recording.labels:
        k = label.details.get("setup")
        if k is not None:
            t0, t1 = spans.get(k, (math.inf, -math.inf))
            spans[k] = (min(t0, label.start_s), max(t1, label.end_s))
    order = sorted(spans, key=lambda k: spans[k])
    cuts = [-math.inf] + [(spans[a][1] + spans[b][0]) / 2 for a, b in zip(order, order[1:])] + [math.inf]
    out = []
    for k, lo, hi in zip(order, cuts, cuts[1:]):
        labels = [x for x in recording.labels if lo <= x.start_s < hi]
        posture = next(x for x in labels if x.kind == "posture" and x.details.get("setup") == k)
        stretch = score(replace(recording, labels=labels), [e for e in events if lo <= _when(e) < hi])
        out.append(SetUp(posture.details["posture_offset"], posture.details["posture_with"],
                         _shift(posture), stretch))
    return out


def _share(flags: list) -> str:
    return f"{sum(flags)}/{len(flags)}" if flags else "-"


def _row(name: str, t: Tally, out) -> None:
    latencies = [lat for found, _, lat in t.pushes if found]
    latency = f"{statistics.median(latencies):.2f}" if latencies else "-"
    pushes_rule = [found for found, rule, _ in t.pushes if rule]
    lifts_rule = [found for found, rule in t.lifts if rule]
    blame = _causes(t.false_pushes) if t.false_pushes else ""
    false_pushes = sum(t.false_pushes.values())
    print(f"  {name:<24} {t.setups:4d} | {_share([f for f, _, _ in t.pushes]):>7} {_share(pushes_rule):>7} "
          f"{latency:>6} | {_share([f for f, _ in t.lifts]):>7} {_share(lifts_rule):>7} | {t.coughs or '-':>6} | "
          f"{false_pushes:4d} {f'({blame})' if blame else '':<40} {t.false_lifts:5d} {t.false_glutes:9d}", file=out)


def _header(title: str, out) -> None:
    print(f"\n  {title:<24} {'n':>4} | {'pushes warned':>14} {'lat s':>6} | {'lifts found':>15} | "
          f"{'coughs':>6} | {'false bear-downs':<45} {'false lifts':>5} {'squeezes':>9}", file=out)
    print(f"  {'':<24} {'':>4} | {'all':>7} {'in rule':>7} {'med':>6} | {'all':>7} {'in rule':>7} |", file=out)


def _tally(setups: list[SetUp]) -> Tally:
    t = Tally()
    for s in setups:
        t.add(s)
    return t


def report(setups: list[SetUp], hours: float, out=sys.stdout) -> None:
    """The table: per offset and partner, per partner, per kind of shift, and the totals."""
    _header("offset / with", out)
    for offset in OFFSETS:
        rows = [s for s in setups if s.offset == offset]
        for partner in PARTNERS:
            mine = [s for s in rows if s.partner == partner]
            if mine:
                _row(f"{offset} / {partner}", _tally(mine), out)
        if rows and offset != ALONE:
            _row(f"{offset} / any", _tally(rows), out)
    _header("with (all offsets)", out)
    for partner in PARTNERS:
        _row(partner, _tally([s for s in setups if s.partner == partner]), out)
    _header("shift", out)
    for shift in sorted({s.shift for s in setups}):
        _row(shift, _tally([s for s in setups if s.shift == shift]), out)
    _header("total", out)
    _row(f"all ({hours:.2f} h)", _tally(setups), out)


def run(seeds: int, minutes: float, out=sys.stdout, first_seed: int = FIRST_SEED) -> list[SetUp]:
    setups, hours = [], 0.0
    for i, seed in enumerate(range(first_seed, first_seed + seeds), start=1):
        print(f"  posture_mix: recording {i}/{seeds}", end="\r", file=sys.stderr, flush=True)
        recording = make("oracle", seed, "posture_mix", minutes * 60)
        setups += set_ups(recording, analysed(recording))
        hours += recording.duration_s / 3600
    print(" " * 40, end="\r", file=sys.stderr)
    print(f"== oracle posture_mix: {seeds} recordings, {hours:.2f} h, {len(setups)} set-ups", file=out)
    report(setups, hours, out)
    return setups


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8, help="recordings (default 8)")
    parser.add_argument("--first-seed", type=int, default=FIRST_SEED,
                        help=f"the first recording's seed (default {FIRST_SEED}): others than those looked at")
    parser.add_argument("--minutes", type=float, default=10.0, help="minutes each (default 10)")
    args = parser.parse_args(argv)
    run(args.seeds, args.minutes, first_seed=args.first_seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
