"""Replaying a recording through the streaming analyzer, exactly as the device runs it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from session.analyzer import WARMUP, Analyzer
from session.events import (BEAR_DOWN, BREATH_HOLD, CONTRACTION, COUGH, GLUTE, POSTURE, SIT_DOWN,
                            STAND_UP, Event)
from session.recording import Row, open_rows
from session.seat import SeatTracker


@dataclass
class Analysis:
    events: list[Event] = field(default_factory=list)
    summary: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"events": [e.as_dict() for e in self.events], "summary": self.summary}


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def summarize(analyzer: Analyzer, first_t: float, last_t: float) -> dict:
    """Counts and means over the events that stand (retracted ones are counted apart)."""
    standing = [e for e in analyzer.events if e.retracted is None]
    lifts = [e for e in standing if e.kind == CONTRACTION and e.completed_at is not None]
    pushes = [e for e in standing if e.kind == BEAR_DOWN]
    duration_s = last_t - first_t
    return {
        "duration_s": round(duration_s, 3),
        "samples": analyzer.samples,
        "mean_rate_hz": round((analyzer.samples - 1) / duration_s, 1) if duration_s > 0 else None,
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


def replay(rows: Iterable[Row], max_drop_kpa: float | None = None) -> Analysis:
    """Run `rows` through a fresh Analyzer; open events are reported with end None.
    Rows with both seat loads also feed the sitting-bone analysis (glute, posture,
    sitting down and standing up); a recording without them is analysed without it."""
    seat = SeatTracker()
    analyzer = Analyzer(max_drop_kpa=max_drop_kpa, seat=seat)
    step, seat_step = analyzer.step, seat.step
    first_t = last_t = None
    for t, kpa, left, right in rows:
        if first_t is None:
            first_t = t
            if left is None or right is None:
                analyzer.seat = None
        if analyzer.seat is not None and left is not None and right is not None:
            seat_step(t, left, right)
        step(t, kpa)
        last_t = t
    if first_t is None:
        first_t = last_t = 0.0
    return Analysis(list(analyzer.events), summarize(analyzer, first_t, last_t))


def analyze_file(path, max_drop_kpa: float | None = None) -> Analysis:
    """Stream the v1 recording at `path` through the analyzer (RecordingError on bad input)."""
    return replay(open_rows(path), max_drop_kpa=max_drop_kpa)
