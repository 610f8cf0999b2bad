"""Replaying a recording through the streaming analyzer, exactly as the device runs it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from session.analyzer import WARMUP, Analyzer
from session.events import (BEAR_DOWN, BREATH_HOLD, CONTRACTION, COUGH, GLUTE, POSTURE, SIT_DOWN,
                            STAND_UP, Event)
from session.pairs import SamplePairs
from session.recording import (LET_GO_TAKEN, MAXIMUM, PAUSED, RESUMED, SAMPLE, RecordingParser, Row,
                               SampleLimits)
from session.recording_file import blaming_damaged_gzip, text_lines
from session.seat import SeatTracker


@dataclass
class Analysis:
    events: list[Event] = field(default_factory=list)
    summary: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"events": [e.as_dict() for e in self.events], "summary": self.summary}


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def summarize(analyzer: Analyzer, first_t: float, last_t: float, samples: int) -> dict:
    """Counts and means over the events that stand (retracted ones are counted apart);
    `samples` from `first_t` to `last_t` (those analysed may be fewer: `session.pairs`)."""
    standing = [e for e in analyzer.events if e.retracted is None]
    lifts = [e for e in standing if e.kind == CONTRACTION and e.completed_at is not None]
    pushes = [e for e in standing if e.kind == BEAR_DOWN]
    duration_s = last_t - first_t
    return {
        "duration_s": round(duration_s, 3),
        "samples": samples,
        "mean_rate_hz": round((samples - 1) / duration_s, 1) if duration_s > 0 else None,
        "contractions": sum(e.kind == CONTRACTION for e in standing),
        "bear_downs": len(pushes),
        **{f"{kind}s": sum(e.kind == kind for e in standing)
           for kind in (GLUTE, POSTURE, COUGH, BREATH_HOLD, SIT_DOWN, STAND_UP)},
        "retracted": len(analyzer.events) - len(standing),
        "breathing_rate_bpm": None if analyzer.state == WARMUP else round(analyzer.breath.rate_bpm, 1),
        "unfinished_events": len(analyzer.open_events()),
        "mean_peak_drop_kpa": _mean([e.metrics["peak_drop_kpa"] for e in lifts]),
        "max_peak_drop_kpa": round(max((e.metrics["peak_drop_kpa"] for e in lifts), default=0.0), 3)
        if lifts else None,
        "total_hold_s": round(sum(e.metrics["hold_s"] for e in lifts), 3),
        "mean_relaxed_pct": _mean([e.metrics["relaxed_pct"] for e in lifts
                                   if e.metrics["relaxed_pct"] is not None]),
        "baseline_end_kpa": None if analyzer.state == WARMUP else round(analyzer.baseline_kpa, 3),
        "warmup_complete": analyzer.state != WARMUP,
    }


GAP_RESTART_S = 2.0    # a longer gap between two samples is no dropped sample: `Analyzer.restart(keep_rest=True)`


class _Run:
    """One analysis run: feeds samples to the analyzer (and the seat tracker when the
    recording has both seat loads), one at a time or in pairs as the device analysed them
    (`session.pairs`); warms up afresh after a pause (the device asks the user to sit still
    then), and goes on with the rest it knew after a gap (`Analyzer.restart`)."""

    def __init__(self, max_drop_kpa: float | None, rate_hz: float = 0.0, analysed_every: int = 1) -> None:
        self.seat = SeatTracker()
        self.analyzer = Analyzer(max_drop_kpa=max_drop_kpa, seat=self.seat)
        self.pairs = SamplePairs(rate_hz, analysed_every)
        self.first_t: float | None = None
        self.last_t = 0.0
        self.samples = 0
        self.gap_restarts = 0
        self.let_go_due: list[float] = []   # bear-downs the coach took for letting go (detected at)

    def sample(self, t: float, kpa: float, left: float | None, right: float | None) -> None:
        analyzer = self.analyzer
        if self.first_t is None:
            self.first_t = t
            if left is None or right is None:
                analyzer.seat = None
        elif t - self.last_t > GAP_RESTART_S:     # between two rows; a sample held is not analysed (as at a pause)
            self.pairs.clear()
            analyzer.restart(keep_rest=True)
            self.gap_restarts += 1
        self.samples += 1
        self.last_t = t
        pairs = self.pairs
        if not pairs.add(t, kpa, left, right):
            return
        t, left, right = pairs.t, pairs.left_kg, pairs.right_kg
        if analyzer.seat is not None and left is not None and right is not None:
            self.seat.step(t, left, right)
        analyzer.step(t, pairs.kpa)

    def take_for_let_go(self) -> None:
        """The bear-downs in `let_go_due` retracted as letting go, as the device's coach did
        them once the sample after its `# let_go=` line was analysed (one this analysis did not
        raise: nothing to take back)."""
        due = self.let_go_due
        for event in reversed(self.analyzer.events):
            if event.kind == BEAR_DOWN and event.detected_at in due and event.retracted is None:
                self.analyzer.take_for_let_go(event)
        due.clear()

    def pause(self) -> None:
        """A sample waiting for its partner is not analysed (as on the device)."""
        self.pairs.clear()

    def resume(self, t: float) -> None:
        """After a pause: a fresh warm-up, and the gap is counted from `t`, not the last sample."""
        self.analyzer.restart()
        self.last_t = t

    def analysis(self) -> Analysis:
        first_t = self.last_t if self.first_t is None else self.first_t
        summary = summarize(self.analyzer, first_t, self.last_t, self.samples)
        summary["gap_restarts"] = self.gap_restarts
        return Analysis(list(self.analyzer.events), summary)


def replay(rows: Iterable[Row], max_drop_kpa: float | None = None, rate_hz: float = 0.0,
           analysed_every: int = 1) -> Analysis:
    """Run `rows` through a fresh Analyzer (one at a time, or in pairs of `rate_hz`'s slots:
    `session.pairs`); open events are reported with end None.
    Rows with both seat loads also feed the sitting-bone analysis (glute, posture,
    sitting down and standing up); a recording without them is analysed without it.
    A gap over GAP_RESTART_S between two rows keeps the rest learnt (`Analyzer.restart`)."""
    run = _Run(max_drop_kpa, rate_hz, analysed_every)
    sample = run.sample
    for t, kpa, left, right in rows:
        sample(t, kpa, left, right)
    return run.analysis()


def analyze_file(path, max_drop_kpa: float | None = None,
                 limits: SampleLimits | None = None) -> Analysis:
    """Stream the v1 recording at `path` (plain or gzip) through the analyzer, as the
    device ran it: one sample at a time or in pairs, as its header says (`session.pairs`);
    a `# paused=` .. `# resumed=` span starts a fresh warm-up (the device's
    settle phase), a gap over GAP_RESTART_S goes on with the rest learnt
    (`Analyzer.restart`); an `# aborted=` recording is analysed up to its end and the
    summary's `aborted` gives the reason; a `# max_drop_kpa=` line gives the user's maximum from
    there on, unless `max_drop_kpa` is given; a `# let_go=` line retracts the bear-down detected
    then as `let_go`, as the device's coach took it (`Analyzer.take_for_let_go`). `limits`: the
    values the input chain can deliver (default: any finite value). RecordingError on bad
    input; nothing is reported from a file that cannot be read to its end."""
    run = _Run(max_drop_kpa)
    parser = RecordingParser(str(path), limits)
    feed, sample = parser.feed, run.sample
    pauses = 0
    with blaming_damaged_gzip(path):
        for line in text_lines(path):
            found = feed(line)
            if found == SAMPLE:
                if run.first_t is None:             # the header read: as the device analysed them
                    run.pairs = SamplePairs(parser.rate_hz or 0.0, parser.analysed_every)
                sample(parser.t_s, parser.perineal_kpa, parser.left_kg, parser.right_kg)
                if run.let_go_due:
                    run.take_for_let_go()
            elif found == LET_GO_TAKEN:
                run.let_go_due.append(parser.let_go_t_s)
            elif found == PAUSED:
                pauses += 1
                run.pause()
                if parser.reason == "stood_up":
                    run.analyzer.stood_up(parser.mark_t_s)
            elif found == RESUMED:
                run.resume(parser.mark_t_s)
            elif found == MAXIMUM and max_drop_kpa is None:     # the session's, as its analysis had it
                run.analyzer.max_drop_kpa = parser.max_drop_kpa
        parser.finish()
    run.take_for_let_go()
    analysis = run.analysis()
    analysis.summary["pauses"] = pauses
    analysis.summary["aborted"] = parser.aborted
    return analysis
