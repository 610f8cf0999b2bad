"""The labelled analysis benchmark: detection accuracy, warning latency and speed.

    python -m bench.analysis [--cases N] [--minutes M]

Generates N synthetic recordings (hw_sim.corpus) of M minutes, runs each through the
streaming analyzer exactly as the device does, scores it event by event against the
body model's truth, and prints the figures the analysis issue sets targets for.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from hw_sim.corpus import make_case
from session.analyzer import Analyzer
from session.events import BEAR_DOWN, BREATH_HOLD, CONTRACTION, GLUTE
from session.seat import SeatTracker

MATCH_S = 1.0


def score_case(case, events):
    truth_lifts = [e for e in case.truth if e.kind == "contraction"]
    truth_pushes = [e for e in case.truth if e.kind == "bear_down"]
    coughs = [e for e in case.truth if e.kind == "cough"]
    lifts = [e for e in events if e.kind == CONTRACTION]
    pushes = [e for e in events if e.kind == BEAR_DOWN]
    # contractions: greedy nearest onset within MATCH_S
    used = set()
    onset_errors = []
    for truth in truth_lifts:
        best = None
        for i, det in enumerate(lifts):
            err = abs(det.start - truth.start_s)
            if i not in used and err <= MATCH_S and (best is None or err < best[1]):
                best = (i, err)
        if best is not None:
            used.add(best[0])
            onset_errors.append(best[1])
    tp = len(onset_errors)
    fp = len(lifts) - tp
    fn = len(truth_lifts) - tp
    # bear-downs: a detection raised while the push is under way (or just after) matches it
    latencies = []
    matched = set()
    for truth in truth_pushes:
        for i, det in enumerate(pushes):
            if i not in matched and truth.start_s - 0.5 <= det.detected_at <= truth.end_s + 0.5:
                matched.add(i)
                latencies.append(det.detected_at - truth.start_s)
                break
    false_pushes = [d for i, d in enumerate(pushes) if i not in matched]
    from_coughs = sum(any(c.start_s - 0.5 <= d.detected_at <= c.end_s + 0.5 for c in coughs)
                      for d in false_pushes)
    # distractors: a buttock squeeze is found when a glute event starts within MATCH_S of
    # it; a breath-hold when a breath_hold event overlaps it
    glutes = [e for e in case.truth if e.kind == "glute"]
    found_glutes = sum(any(e.kind == GLUTE and abs(e.start - g.start_s) <= MATCH_S for e in events)
                       for g in glutes)
    holds = [e for e in case.truth if e.kind == "breath_hold"]
    found_holds = sum(any(e.kind == BREATH_HOLD and e.start <= h.end_s and (e.end or e.detected_at) >= h.start_s
                          for e in events) for h in holds)
    return dict(tp=tp, fp=fp, fn=fn, onset_errors=onset_errors, pushes=len(truth_pushes),
                latencies=latencies, false_pushes=len(false_pushes), cough_alarms=from_coughs,
                coughs=len(coughs), glutes=len(glutes), found_glutes=found_glutes,
                breath_holds=len(holds), found_holds=found_holds,
                postures=sum(e.kind == "posture" for e in case.truth))


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def run(n_cases: int, minutes: float, out=sys.stdout) -> dict:
    totals = dict(tp=0, fp=0, fn=0, pushes=0, false_pushes=0, cough_alarms=0, coughs=0, glutes=0,
                  found_glutes=0, breath_holds=0, found_holds=0, postures=0)
    onset_errors, latencies, rate_errors = [], [], []
    samples = 0
    step_s = 0.0
    hours = 0.0
    worst = []
    for seed in range(n_cases):
        case = make_case(seed, minutes * 60)
        seat = SeatTracker()
        analyzer = Analyzer(seat=seat)
        step, seat_step = analyzer.step, seat.step
        t0 = time.perf_counter()
        for t, kpa, left, right in case.rows:
            seat_step(t, left, right)
            step(t, kpa)
        step_s += time.perf_counter() - t0
        samples += len(case.rows)
        hours += case.duration_s / 3600
        s = score_case(case, analyzer.events)
        rate_errors.append(abs(analyzer.breath.rate_bpm - case.params.breath_rate_bpm))
        for key in totals:
            totals[key] += s[key]
        onset_errors += s["onset_errors"]
        latencies += s["latencies"]
        if s["fp"] or s["fn"] or s["false_pushes"] or len(s["latencies"]) < s["pushes"] \
                or s["found_glutes"] < s["glutes"] or s["found_holds"] < s["breath_holds"]:
            worst.append(f"seed {seed} ({case.rate_hz} Hz, max drop {case.params.max_drop_kpa:.2f} kPa): "
                         f"lift fp {s['fp']} fn {s['fn']}, push missed "
                         f"{s['pushes'] - len(s['latencies'])}, false pushes {s['false_pushes']}, glutes "
                         f"missed {s['glutes'] - s['found_glutes']}, breath-holds missed "
                         f"{s['breath_holds'] - s['found_holds']}")
        print(f"  case {seed + 1}/{n_cases}", end="\r", file=sys.stderr, flush=True)
    tp, fp, fn = totals["tp"], totals["fp"], totals["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    sensitivity = len(latencies) / totals["pushes"] if totals["pushes"] else float("nan")
    figures = dict(
        hours=hours, samples=samples, contractions=tp + fn, f1=f1, precision=precision, recall=recall,
        onset_median_s=statistics.median(onset_errors) if onset_errors else float("nan"),
        bear_downs=totals["pushes"], sensitivity=sensitivity,
        latency_median_s=statistics.median(latencies) if latencies else float("nan"),
        latency_p90_s=pct(latencies, 0.9),
        false_alarms_per_hour=totals["false_pushes"] / hours, coughs=totals["coughs"],
        cough_alarms=totals["cough_alarms"], us_per_sample=step_s / samples * 1e6,
        glutes=totals["glutes"], glute_recall=totals["found_glutes"] / totals["glutes"] if totals["glutes"] else 1.0,
        breath_holds=totals["breath_holds"],
        breath_hold_recall=totals["found_holds"] / totals["breath_holds"] if totals["breath_holds"] else 1.0,
        postures=totals["postures"], breathing_rate_error_median_bpm=statistics.median(rate_errors))
    print(f"analysis benchmark: {n_cases} recordings, {hours:.2f} h, {samples} samples", file=out)
    print(f"  contractions  {figures['contractions']:5d}  F1 {f1:.3f} (precision {precision:.3f}, "
          f"recall {recall:.3f})   target F1 >= 0.95 with distractors (0.97 without)", file=out)
    print(f"  onset error   median {figures['onset_median_s']:.3f} s   target <= 0.15 s", file=out)
    print(f"  bear-downs    {totals['pushes']:5d}  sensitivity {sensitivity:.3f}   target >= 0.98", file=out)
    print(f"  warning latency  median {figures['latency_median_s']:.3f} s, p90 "
          f"{figures['latency_p90_s']:.3f} s   target <= 0.30 / 0.50 s", file=out)
    print(f"  false bear-down alarms {figures['false_alarms_per_hour']:.2f} per hour "
          f"({totals['cough_alarms']} of {totals['coughs']} coughs, {totals['postures']} posture shifts "
          f"mixed in)   target <= 3 per hour, none from a cough", file=out)
    print(f"  buttock squeezes {totals['glutes']:4d}  recall {figures['glute_recall']:.3f}   target >= 0.9",
          file=out)
    print(f"  breath-holds  {totals['breath_holds']:5d}  recall {figures['breath_hold_recall']:.3f}   "
          f"target >= 0.8", file=out)
    print(f"  breathing rate  median error {figures['breathing_rate_error_median_bpm']:.1f} per minute "
          f"(at the end of each recording)", file=out)
    print(f"  processing    {figures['us_per_sample']:.2f} us per sample   target <= 10 us", file=out)
    for line in worst[:15]:
        print("   ", line, file=out)
    return figures


def realtime_factor(minutes: float, out=sys.stdout) -> float:
    """Throughput of `pftrainer analyze` on a written recording: recording seconds per second."""
    from session.replay import analyze_file
    from session.recording import RecordingWriter
    case = make_case(10_000, minutes * 60, rate_hz=250)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.csv"
        with open(path, "w") as f:
            writer = RecordingWriter(f)
            for row in case.rows:
                writer.write(*row)
        t0 = time.perf_counter()
        analyze_file(path)
        elapsed = time.perf_counter() - t0
    factor = case.duration_s / elapsed
    print(f"  analyze throughput  {case.duration_s / 60:.0f} min at {case.rate_hz} Hz in {elapsed:.2f} s: "
          f"real-time factor {factor:.0f}x", file=out)
    return factor


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--minutes", type=float, default=5.0)
    args = parser.parse_args(argv)
    run(args.cases, args.minutes)
    realtime_factor(30.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
