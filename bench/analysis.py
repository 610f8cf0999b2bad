"""The labelled analysis benchmark, on both corpora: detection by strength, noise,
breathing and cushion gain; warnings and their latency; breath-holds; false alarms; speed.

    python -m bench.analysis [--corpus own|oracle|both] [--recordings N] [--minutes M] [--rate-hz HZ]

Every recording is run through the streaming analyzer exactly as the device runs it and
scored label by label (`bench.scoring`). Recall is printed per bin of signal-to-noise
ratio (the lift's drop over the sensor noise sd) and of the drop over the breathing swing,
so a weak floor's figures are not hidden in an average; "in rule" means the label meets
the detectability rule the analyzer documents (`session.detectability`). `--rate-hz`
makes every recording at that sampling rate (the rest drawn as usual: other bodies than the
drawn rates give), a sweep of the rate no threshold was set by.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.corpora import CORPORA, Recording, made_again, make, oracle_available, without_breathing
from bench.scoring import Score, score
from session.analyzer import Analyzer
from session.breathing import BreathTracker
from session.detectability import (HOLD_POWER, HOLD_WANDER_K, HOLD_WHOLE_SKIP_S, HOLD_WHOLE_TAIL_S,
                                   breath_hold_detectable, lift_detectable, push_detectable)
from session.pairs import SamplePairs, analysed_every
from session.seat import SeatTracker

GAINS = (0.3, 0.5, 1.0, 2.0, 3.0)
SNR_BINS = (0, 3, 5, 10, 20, 50, 100, float("inf"))
BREATH_BINS = (0, 1, 1.5, 2, 3, 5, float("inf"))
PERIOD_BINS = (0, 1, 1.5, 2, 3, float("inf"))
RATES_HZ = (50, 100, 128, 200, 250)                   # the sampling rates both corpora draw: a bin each
RATE_BINS = (0, *((a + b) / 2 for a, b in zip(RATES_HZ, RATES_HZ[1:])), float("inf"))
BPM_BINS = (0, 8, 10, 12, 14, 17, float("inf"))       # breaths a minute (both corpora draw 6-20)
DEPTH_BINS = (0, 2, 5, 10, 20, 50, float("inf"))      # the resting breath's swing / noise sd
CUT_SHORT_S = 2.0      # a found lift ended this long before its release's end was cut short (a release
                       # ends a lift as it begins, or while it levels off: never seconds early) ...
RAN_ON_S = 5.0         # ... and one ended this long after it ran on (an incomplete relaxation ends when the
                       # level stops rising, a breath or two after the release)


def analysed(recording: Recording) -> list:
    """The analyzer's events on `recording`, its samples taken as the device takes what it
    samples (`session.pairs`: two at a time at 200 Hz or more)."""
    seat = SeatTracker()
    analyzer = Analyzer(seat=seat)
    step, seat_step = analyzer.step, seat.step
    pairs = SamplePairs(recording.rate_hz)
    add = pairs.add
    for t, kpa, left, right in recording.rows:
        if add(t, kpa, left, right):
            t = pairs.t
            seat_step(t, pairs.left_kg, pairs.right_kg)
            step(t, pairs.kpa)
    return analyzer.events


class Run:
    """Analyses recordings and keeps their scores and the CPU time spent per sample (this
    thread's: what the analysis costs, without the time the machine gave its other work)."""

    def __init__(self) -> None:
        self.scores: list[Score] = []
        self.samples = 0
        self.step_s = 0.0

    def add(self, recording: Recording) -> Score:
        t0 = time.thread_time()
        events = analysed(recording)
        self.step_s += time.thread_time() - t0
        self.samples += len(recording.rows)
        s = score(recording, events)
        self.scores.append(s)
        return s

    @property
    def us_per_sample(self) -> float:
        return self.step_s / self.samples * 1e6 if self.samples else float("nan")

    def hours(self, scenarios: tuple[str, ...] | None = None) -> float:
        return sum(s.recording.duration_s for s in self.scores
                   if scenarios is None or s.recording.scenario in scenarios) / 3600


def _bin(value: float, edges: tuple) -> int:
    for i in range(len(edges) - 1):
        if edges[i] <= value < edges[i + 1]:
            return i
    return len(edges) - 2


def _edge(x: float) -> str:
    return "inf" if x == float("inf") else f"{x:g}"


def _recall_table(title: str, outcomes: list[tuple[float, bool, bool]], edges: tuple, out,
                  names: tuple[str, ...] | None = None) -> None:
    """outcomes: (binned value, found, in rule); `names` of the bins (default: their edges)."""
    print(f"  {title}", file=out)
    print(f"    {'bin':>12} {'n':>5} {'recall':>7}   {'in rule':>7} {'recall':>7}", file=out)
    for i in range(len(edges) - 1):
        row = [(f, r) for v, f, r in outcomes if _bin(v, edges) == i]
        if not row:
            continue
        rule = [f for f, r in row if r]
        name = names[i] if names else f"{_edge(edges[i])}-{_edge(edges[i + 1])}"
        rule_txt = f"{len(rule):7d} {sum(rule) / len(rule):7.3f}" if rule else f"{0:7d} {'-':>7}"
        print(f"    {name:>12} {len(row):5d} {sum(f for f, _ in row) / len(row):7.3f}   {rule_txt}", file=out)


def shown_drop(recording: Recording, label) -> float:
    """A lift's drop as the cushion shows it: its own, less the offset of a breath held
    across its middle (a lift made holding an inhaled breath drops the pressure less: the
    held breath presses the floor down by its level; one held out, more)."""
    middle_s = 0.5 * (label.start_s + label.end_s)
    held = next((x.size_kpa for x in recording.labels
                 if x.kind == "breath_hold" and x.start_s <= middle_s <= x.end_s), 0.0)
    return -label.size_kpa - held


def _in_rule(recording: Recording, label) -> bool:
    return lift_detectable(shown_drop(recording, label), recording.noise_kpa, recording.breath_kpa,
                           recording.rate_hz)


def _f1(scores: list[Score], rule_only: bool = True) -> tuple[float, float, float, int]:
    """F1 of the contractions; with `rule_only`, a missed lift the rule does not promise to
    find is not counted against it (a found one still counts)."""
    tp = sum(o.found for s in scores for o in s.lifts)
    fn = sum(not o.found and (not rule_only or _in_rule(s.recording, o.label)) for s in scores for o in s.lifts)
    fp = sum(s.false_lifts + s.glutes_as_clean_lifts for s in scores)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall, tp + fn


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def _lift_rows(scores: list[Score]) -> list[tuple]:
    rows = []
    for s in scores:
        r = s.recording
        for o in s.lifts:
            drop = shown_drop(r, o.label)
            rows.append((drop / r.noise_kpa, drop / max(r.breath_kpa, 1e-9), o.found,
                         lift_detectable(drop, r.noise_kpa, r.breath_kpa, r.rate_hz),
                         o.label.details.get("style", "hold"), o.onset_error_s))
    return rows


QUIET_BEFORE_S, QUIET_AFTER_S = 1.0, 3.0    # a labelled movement's reach before and after it
BAND_SETTLE_S = 4.0                          # the breathing band's settling, after its start or a movement


def _rest_spans(labels: list, duration_s: float) -> list[tuple[float, float, float]]:
    """The quiet rests between labelled movements, each as (start, counted from, end): the
    breathing band's settling after the start left out."""
    spans, quiet_from_s = [], 0.0
    for start_s, end_s in sorted((x.start_s - QUIET_BEFORE_S, x.end_s + QUIET_AFTER_S) for x in labels):
        if start_s - quiet_from_s > BAND_SETTLE_S:
            spans.append((quiet_from_s, quiet_from_s + BAND_SETTLE_S, start_s))
        quiet_from_s = max(quiet_from_s, end_s)
    if duration_s - quiet_from_s > BAND_SETTLE_S:
        spans.append((quiet_from_s, quiet_from_s + BAND_SETTLE_S, duration_s))
    return spans


def band_powers(rows: list, spans: list[tuple[float, float, float]], period_s: float | None, dt_s: float,
                ) -> tuple[float, float]:
    """The analysis' breathing band (`BreathTracker`) and its band tuned to `period_s` (None: the
    tracker's own) over `spans` (start, counted from, end), started afresh at each span's start:
    the breathing band's mean square, and the power a steady breath would show in the tuned
    band, fitted as the analysis fits a hold's (`HoldMean`: each sample's power weighed by the
    share of a steady breath's the band shows there, `UnitBreath`); NaN where no sample counted."""
    tracker = BreathTracker() if period_s is None else BreathTracker(period_s=period_s)
    tracker.set_noise(0.0, dt_s)
    square = power_share = share_share = 0.0
    n = i = 0
    for start_s, counts_from_s, end_s in spans:
        while i < len(rows) and rows[i][0] < start_s:
            i += 1
        if i == len(rows):
            break
        tracker.start(*rows[i][:2])
        for j in range(i + 1, len(rows)):
            t, kpa = rows[j][0], rows[j][1]
            if t >= end_s:
                break
            tracker.step(t, kpa, False)
            if t >= counts_from_s:
                share = tracker.unit.share
                square += tracker.band_kpa * tracker.band_kpa
                power_share += tracker.tuned_kpa * tracker.tuned_kpa * share
                share_share += share * share
                n += 1
    return (square / n if n else math.nan, power_share / share_share if share_share > 0.0 else math.nan)


def rest_band_power(rows: list, labels: list, rate_hz: float) -> float:
    """Mean square of the analysis' breathing band (`BreathTracker`) over the quiet rest
    between labelled movements: the band restarted after each, its settling left out; NaN
    when there is no such rest."""
    return band_powers(rows, _rest_spans(labels, rows[-1][0] if rows else 0.0), None, 1.0 / rate_hz)[0]


_wander_cache: dict[tuple, float] = {}


def wander_to_breath(recording: Recording) -> float:
    """What else moves the level at rest in the breathing band (postural wander, pulse,
    cushion drift) against the breaths, in power. The recording made again without breathing
    tells them apart: its band power less the sensor noise's share is the rest's other
    motion; the band power of the difference between the two (the same noise cancels, and
    the band is linear) is the breaths'. NaN where no quiet rest tells."""
    key = _key(recording)
    if key not in _wander_cache:
        quiet = without_breathing(recording)
        breaths = rest_band_power([(t, a - b) for (t, a, *_), (_, b, *_) in zip(recording.rows, quiet.rows)],
                                  recording.labels, recording.rate_hz)
        tracker = BreathTracker()
        tracker.set_noise(recording.noise_kpa, 1.0 / recording.rate_hz)
        wander = max(0.0, rest_band_power(quiet.rows, recording.labels, recording.rate_hz) - tracker.band_noise_var)
        _wander_cache[key] = wander / breaths if breaths > 0.0 else math.nan
    return _wander_cache[key]


def _key(recording: Recording) -> tuple:
    return (recording.corpus, recording.scenario, recording.seed, recording.asked_s,
            tuple(sorted(recording.conditions.items())))


_noiseless_cache: dict[tuple, tuple[Recording, Recording]] = {}


def hold_motion_share(recording: Recording, label) -> float:
    """What the floor's own motion in the held part of a lift leaves in the band tuned to the
    breathing rate -- the band a hold that long is judged in at its release -- as a share of
    what the level shows there at rest: the reading a breath held perfectly gives, were the
    sensor noiseless. The recording made again without the sensor noise shows the rest (the
    breaths and the rest's other motion); made again without the breaths too, the hold's
    motion alone, through the tuned band fitted as the analysis fits a hold, from
    `HOLD_WHOLE_SKIP_S` after the band starts to `HOLD_WHOLE_TAIL_S` before the release -- but
    started where the lift has reached its hold (`_top_s`), an ideal restart: the analysis
    restarts its band where it sees the lift held, which may be before its rise is over, so a
    miss the rise's tail causes does not show here. NaN where no quiet rest tells."""
    key = _key(recording)
    if key not in _noiseless_cache:
        _noiseless_cache.clear()            # one recording's holds are asked for together
        _noiseless_cache[key] = (made_again(recording, noise=False),
                                 made_again(recording, breathing=False, noise=False))
    noiseless, still = _noiseless_cache[key]
    period_s = label.details["breath_period_s"]
    lift = _lift_of(recording, label)
    dt_s = 1.0 / recording.rate_hz
    rest = band_powers(noiseless.rows, _rest_spans(recording.labels, recording.duration_s), period_s, dt_s)[1]
    top_s = _top_s(still.rows, lift)
    motion = band_powers(still.rows, [(top_s, max(top_s + HOLD_WHOLE_SKIP_S, label.start_s),
                                       min(lift.end_s - HOLD_WHOLE_TAIL_S, label.end_s))], period_s, dt_s)[1]
    return motion / rest if rest > 0.0 else math.nan


TOP_SHARE = 0.9     # a lift has reached its hold once it has fallen this share of its deepest drop


def _top_s(rows: list, lift) -> float:
    """When a lift reaches its hold (the pressure stops stepping: an ideal place to restart the
    band): the first moment it has fallen `TOP_SHARE` of its deepest drop below the level in the
    second before it (`rows` without breaths or noise)."""
    before = [kpa for t, kpa, *_ in rows if lift.start_s - 1.0 <= t < lift.start_s]
    during = [(t, kpa) for t, kpa, *_ in rows if lift.start_s <= t <= lift.end_s]
    level = sum(before) / len(before) if before else during[0][1]
    deepest = min(kpa for _, kpa in during)
    return next(t for t, kpa in during if level - kpa >= TOP_SHARE * (level - deepest))


def _lift_of(recording: Recording, label):
    """The labelled contraction a breath-hold falls in, or None."""
    return next((x for x in recording.labels if x.kind == "contraction"
                 and x.start_s - 2.0 <= label.start_s <= x.end_s), None)


def _hold_in_rule(recording: Recording, label, wander: bool = True) -> bool:
    """The rule for a labelled breath-hold, with the drop of a contraction it falls in and
    (`wander`) the rest's other slow motion, measured only where the rest of the rule holds
    (it costs the recording made again); where no quiet rest measures it, the rest of the
    rule decides."""
    lift = _lift_of(recording, label)
    args = (label.end_s - label.start_s, label.details["breath_period_s"], recording.breath_kpa,
            recording.noise_kpa, recording.rate_hz, 0.0 if lift is None else shown_drop(recording, lift))
    if not breath_hold_detectable(*args, wander_to_breath=0.0):
        return False
    share = wander_to_breath(recording) if wander else math.nan
    return math.isnan(share) or breath_hold_detectable(*args, wander_to_breath=share)   # NaN: not measured


def _push_in_rule(recording: Recording, label) -> bool:
    return push_detectable(label.size_kpa, recording.noise_kpa, recording.breath_kpa, recording.rate_hz,
                           label.end_s - label.start_s)


def _summed(counts) -> dict[str, int]:
    """Counts by cause, added up."""
    total: dict[str, int] = {}
    for by_cause in counts:
        for cause, n in by_cause.items():
            total[cause] = total.get(cause, 0) + n
    return total


def _causes(counts: dict[str, int]) -> str:
    """'posture 2, cough 1', or 'none'."""
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"


def _condition_tables(what: str, outcomes: list[tuple[Recording, bool, bool]], out) -> None:
    """Recall of `what` by the conditions nothing was tuned to bin by: the sampling rate, the
    breathing rate and the breath's depth over the noise. outcomes: (recording, found, in rule)."""
    _recall_table(f"{what} by sampling rate (Hz)", [(rec.rate_hz, f, r) for rec, f, r in outcomes],
                  RATE_BINS, out, names=tuple(str(rate) for rate in RATES_HZ))
    _recall_table(f"{what} by breathing rate (breaths a minute)",
                  [(rec.breath_bpm, f, r) for rec, f, r in outcomes], BPM_BINS, out)
    _recall_table(f"{what} by breath depth (resting swing / noise sd)",
                  [(rec.breath_kpa / rec.noise_kpa, f, r) for rec, f, r in outcomes], DEPTH_BINS, out)


def push_figures(scores: list[Score], hours: float, out) -> dict:
    """Bear-down sensitivity for the pushes the rule covers, the warning latency, and the false
    bear-downs an hour (of `hours`) by what they overlapped: printed, and returned."""
    in_rule = [o for s in scores for o in s.pushes if _push_in_rule(s.recording, o.label)]
    latencies = [o.latency_s for o in in_rule if o.found]
    false = _summed(s.false_pushes for s in scores)
    figures = {"push_sensitivity_in_rule": sum(o.found for o in in_rule) / len(in_rule) if in_rule else float("nan"),
               "latency_median_s": statistics.median(latencies) if latencies else float("nan"),
               "latency_p90_s": _pct(latencies, 0.9),
               "false_pushes_per_hour": sum(false.values()) / hours,
               "false_pushes_from_distractors": sum(v for k, v in false.items()
                                                    if k in ("cough", "posture", "stand_up", "sit_down"))}
    print(f"  bear-down sensitivity in rule {figures['push_sensitivity_in_rule']:.3f} ({len(in_rule)} pushes)"
          f"   target >= 0.98", file=out)
    print(f"  warning latency median {figures['latency_median_s']:.3f} s, p90 {figures['latency_p90_s']:.3f} s"
          f"   target <= 0.30 / 0.50 s", file=out)
    print(f"  false bear-downs {figures['false_pushes_per_hour']:.2f} per hour "
          f"({_causes(false)})   "
          f"target <= 2 per hour, none from coughs, posture or standing up", file=out)
    return figures


def report(corpus: str, run: Run, out) -> dict:
    scores = run.scores
    print(f"\n== corpus: {corpus} ({len(scores)} recordings, {run.hours():.2f} h, {run.samples} samples)",
          file=out)
    lifts = _lift_rows([s for s in scores if s.recording.scenario != "breath_holds"])
    _recall_table("contractions by signal-to-noise (drop / noise sd)",
                  [(snr, f, r) for snr, _, f, r, _, _ in lifts], SNR_BINS, out)
    _recall_table("contractions by drop / breathing swing",
                  [(b, f, r) for _, b, f, r, _, _ in lifts], BREATH_BINS, out)
    for style in ("hold", "flick", "endurance"):
        rule = [f for _, _, f, r, st, _ in lifts if r and st == style]
        if rule:
            print(f"  {style:>9}s in rule: {len(rule):4d}  recall {sum(rule) / len(rule):.3f}", file=out)
    rule_all = [f for _, _, f, r, _, _ in lifts if r]
    onset = [e for *_, e in lifts if e is not None]
    figures = {"lift_recall_in_rule": sum(rule_all) / len(rule_all) if rule_all else float("nan"),
               "onset_median_s": statistics.median(onset) if onset else float("nan")}
    print(f"  in-rule contraction recall {figures['lift_recall_in_rule']:.3f} ({len(rule_all)} lifts)"
          f"   target >= 0.95;  onset error median {figures['onset_median_s']:.3f} s   target <= 0.15 s",
          file=out)
    ends = [o.end_error_s for sc in scores for o in sc.lifts if o.found]
    if ends:
        figures["ends_cut_short"] = sum(e < -CUT_SHORT_S for e in ends)
        figures["ends_ran_on"] = sum(e > RAN_ON_S for e in ends)
        print(f"  contraction ends, lifts found: median {statistics.median(ends):+.2f} s from the release's end; "
              f"cut short (ended over {CUT_SHORT_S:g} s before it) {figures['ends_cut_short']}, ran on (over "
              f"{RAN_ON_S:g} s past it) {figures['ends_ran_on']}, of {len(ends)}", file=out)

    print("  contraction F1 by cushion gain, lifts in rule (the same bodies at each gain)   target >= 0.97",
          file=out)
    worst_f1 = 1.0
    for gain in GAINS:
        at = [s for s in scores if s.recording.scenario in ("lifts", "pushes", "distractors", "mixed")
              and abs(s.recording.gain - gain) < 1e-9]
        if at:
            f1, p, r, n = _f1(at)
            worst_f1 = min(worst_f1, f1)
            print(f"    gain {gain:>4g}x  F1 {f1:.3f}  (precision {p:.3f}, recall {r:.3f}, {n} lifts)", file=out)
    figures["worst_gain_f1"] = worst_f1
    f1, p, r, n = _f1(scores)
    print(f"    all gains  F1 {f1:.3f}  (precision {p:.3f}, recall {r:.3f}, {n} lifts)", file=out)
    f1, p, r, n = _f1(scores, rule_only=False)
    print(f"    every lift F1 {f1:.3f}  (precision {p:.3f}, recall {r:.3f}, {n} lifts, in rule or not)", file=out)

    lift_labels = [(s.recording, o) for s in scores if s.recording.scenario != "breath_holds" for o in s.lifts]
    _condition_tables("contractions", [(rec, o.found, _in_rule(rec, o.label)) for rec, o in lift_labels], out)

    pushes = [(s.recording, o) for s in scores for o in s.pushes]
    _recall_table("bear-downs by signal-to-noise (rise / noise sd)",
                  [(o.label.size_kpa / rec.noise_kpa, o.found, _push_in_rule(rec, o.label)) for rec, o in pushes],
                  SNR_BINS, out)
    _condition_tables("bear-downs", [(rec, o.found, _push_in_rule(rec, o.label)) for rec, o in pushes], out)
    figures.update(push_figures(scores, run.hours(), out))

    glutes = [o for s in scores for o in s.glutes]
    clean = sum(s.glutes_as_clean_lifts for s in scores)
    figures["glute_recall"] = sum(o.found for o in glutes) / len(glutes) if glutes else float("nan")
    figures["glutes_as_clean_lifts"] = clean
    false = _summed(s.false_glutes for s in scores)
    figures["false_glutes_per_hour"] = sum(false.values()) / run.hours()
    print(f"  buttock squeezes {len(glutes)}  recall {figures['glute_recall']:.3f}, reported as a clean "
          f"contraction {clean}   target >= 0.9, none", file=out)
    print(f"  false squeezes (warned \"billen ontspannen\") {figures['false_glutes_per_hour']:.2f} per hour "
          f"({_causes(false)})", file=out)
    coughs = [o for s in scores for o in s.coughs]
    figures["cough_recall"] = sum(o.found for o in coughs) / len(coughs) if coughs else float("nan")
    false = _summed(s.false_coughs for s in scores)
    figures["false_coughs_per_hour"] = sum(false.values()) / run.hours()
    print(f"  coughs {len(coughs)}  recall {figures['cough_recall']:.3f}; false coughs (counted in the "
          f"session's summary) {figures['false_coughs_per_hour']:.2f} per hour, by where ({_causes(false)})",
          file=out)

    holds = [(s.recording, o, _hold_in_rule(s.recording, o.label)) for s in scores for o in s.breath_holds]
    _recall_table("breath-holds by length in breath periods",
                  [((o.label.end_s - o.label.start_s) / o.label.details["breath_period_s"], o.found, rule)
                   for rec, o, rule in holds], PERIOD_BINS, out)
    _condition_tables("breath-holds", [(rec, o.found, rule) for rec, o, rule in holds], out)
    long_holds = [o.found for rec, o, rule in holds if rule]
    moved = sum(1 for rec, o, rule in holds if not rule and _hold_in_rule(rec, o.label, wander=False))
    breathing_h = sum(s.breathing_s for s in scores if s.recording.scenario in ("lifts", "breath_holds",
                                                                                 "quiet")) / 3600
    false_holds = sum(s.false_breath_holds for s in scores if s.recording.scenario in ("lifts", "breath_holds",
                                                                                        "quiet"))
    figures["breath_hold_recall"] = sum(long_holds) / len(long_holds) if long_holds else float("nan")
    figures["false_breath_holds_per_hour"] = false_holds / breathing_h if breathing_h else float("nan")
    print(f"  breath-hold recall in rule {figures['breath_hold_recall']:.3f} ({len(long_holds)} holds)"
          f"   target >= 0.8;  false breath-holds {figures['false_breath_holds_per_hour']:.2f} per hour of "
          f"breathing through holds ({breathing_h:.2f} h)   target <= 1", file=out)
    print(f"    (and {moved} held breaths the rule would cover but for the rest's other slow motion: "
          f"wander, pulse and drift above {HOLD_WANDER_K:.2f} of the breaths' power in the band)", file=out)
    for rec, o, rule in holds:
        if rule and not o.found:
            print(f"    missed in rule: {rec.name} at {o.label.start_s:.1f} s, where the floor's own motion "
                  f"reads {hold_motion_share(rec, o.label):.3f} of the rest (flagged below {HOLD_POWER:g})",
                  file=out)
    figures["us_per_sample"] = run.us_per_sample
    print(f"  processing {run.us_per_sample:.2f} us of CPU per sample   target <= 10 us", file=out)
    return figures


SCENARIOS = ("lifts", "pushes", "breath_holds", "distractors", "quiet", "mixed")


def run_corpus(corpus: str, n: int, minutes: float, out, scenarios: tuple[str, ...] = SCENARIOS,
               rate_hz: float | None = None) -> dict:
    """`n` recordings of each scenario with drawn conditions (the sampling rate `rate_hz`
    when given), plus a gain sweep."""
    run = Run()
    duration_s = minutes * 60
    jobs = []
    for scenario in scenarios:
        count = n if scenario != "quiet" else max(2, n // 2)
        jobs += [(seed, scenario, {}) for seed in range(count)]
    for seed in range(max(2, n // 2)):
        for gain in GAINS:
            jobs += [(1000 + seed, scenario, {"gain": gain}) for scenario in ("lifts", "pushes")
                     if scenario in scenarios]
    for i, (seed, scenario, conditions) in enumerate(jobs, start=1):
        print(f"  {corpus}: recording {i}/{len(jobs)}", end="\r", file=sys.stderr, flush=True)
        run.add(make(corpus, seed, scenario, duration_s, **conditions,
                     **({} if rate_hz is None else {"rate_hz": rate_hz})))
    print(" " * 40, end="\r", file=sys.stderr)
    return report(corpus, run, out)


def realtime_factor(minutes: float, out=sys.stdout) -> float:
    """Throughput of `pftrainer analyze` on a written recording: recording seconds per second."""
    from session.recording import RecordingWriter
    from session.replay import analyze_file
    recording = make("own", 10_000, "mixed", minutes * 60, rate_hz=250)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.csv"
        with open(path, "w") as f:
            rate_hz = recording.rate_hz                     # its header as the device's says it
            writer = RecordingWriter(f, {"rate_hz": rate_hz, "analysed_every": analysed_every(rate_hz)})
            for row in recording.rows:
                writer.write(*row)
        t0 = time.perf_counter()
        analyze_file(path)
        elapsed = time.perf_counter() - t0
    factor = recording.duration_s / elapsed
    print(f"\n  analyze throughput  {recording.duration_s / 60:.0f} min at 250 Hz in {elapsed:.2f} s: "
          f"real-time factor {factor:.0f}x", file=out)
    return factor


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=CORPORA + ("both",), default="both")
    parser.add_argument("--recordings", type=int, default=12, help="recordings per scenario (default 12)")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help="comma-separated scenarios (default: all)")
    parser.add_argument("--rate-hz", type=float, default=None,
                        help="every recording at this sampling rate, 50-250 (default: drawn)")
    args = parser.parse_args(argv)
    scenarios = tuple(args.scenarios.split(","))
    if args.rate_hz is not None and not 50.0 <= args.rate_hz <= 250.0:
        parser.error(f"--rate-hz {args.rate_hz:g}: the corpora are made at 50-250 Hz")
    corpora = CORPORA if args.corpus == "both" else (args.corpus,)
    for corpus in corpora:
        if corpus == "oracle" and not oracle_available():
            print("\n== corpus: oracle -- not available (bench/oracle is missing)")
            continue
        run_corpus(corpus, args.recordings, args.minutes, sys.stdout, scenarios, args.rate_hz)
    realtime_factor(30.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
