"""What the analysis reports: events with their times and metrics, and notices of what
happened to them (raised, completed, retracted), which the device hands to its sinks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

CONTRACTION = "contraction"
BEAR_DOWN = "bear_down"
COUGH = "cough"                # a sharp spike; metrics: peak and whether it stayed below rest
GLUTE = "glute"                # buttocks squeezed: both sitting bones unload, a small perineal drop
POSTURE = "posture"            # leaning or shifting weight: neither a contraction nor a bear-down
BREATH_HOLD = "breath_hold"    # breathing stopped
SIT_DOWN = "sit_down"
STAND_UP = "stand_up"
LET_GO = "let_go"              # what a retracted bear-down was: a floor letting go (the coach knows the step)

RAISED = "raised"              # the event is under way (its end and metrics are not known yet)
COMPLETED = "completed"        # its end and metrics are final
RETRACTED = "retracted"        # later evidence changed its meaning: see `Event.retracted`


@dataclass
class Event:
    """One detected event. Times are recording seconds.

    `detected_at` is the time of the sample at which the streaming pipeline raised it;
    `end` stays None while the event is under way, and `completed_at` tells when its
    metrics became final. An event is never removed once raised: when later evidence
    shows it was something else (a "contraction" that was the buttocks, a "posture
    shift" that was getting up), `retracted` names what it was and `retracted_at` when
    that became known.
    """

    kind: str
    start: float
    detected_at: float
    end: float | None = None
    completed_at: float | None = None
    metrics: dict[str, float | None] = field(default_factory=dict)
    retracted: str | None = None
    retracted_at: float | None = None

    def as_dict(self, digits: int = 3) -> dict:
        out: dict = {"kind": self.kind, "start": round(self.start, digits),
                     "end": None if self.end is None else round(self.end, digits),
                     "detected_at": round(self.detected_at, digits)}
        if self.retracted is not None:
            out["retracted"] = self.retracted
            out["retracted_at"] = round(self.retracted_at, digits)
        for key, value in self.metrics.items():
            out[key] = value if value is None else round(value, digits)
        return out


class Notice(NamedTuple):
    """What happened to `event` at the sample at `t_s`: RAISED, COMPLETED or RETRACTED."""

    change: str
    event: Event
    t_s: float


class EventLog:
    """The analysis' events in the order raised, and the notices of the latest sample.

    Detectors raise, complete and retract through it; `begin(t_s)` starts a sample
    (and forgets the previous sample's notices). Nothing is ever removed from `events`.
    """

    __slots__ = ("events", "notices", "t_s")

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.notices: list[Notice] = []
        self.t_s = 0.0

    def begin(self, t_s: float) -> None:
        self.t_s = t_s
        if self.notices:
            self.notices.clear()

    def raise_(self, event: Event) -> Event:
        self.events.append(event)
        self.notices.append(Notice(RAISED, event, self.t_s))
        return event

    def complete(self, event: Event) -> None:
        """`event`'s end and metrics are final."""
        event.completed_at = self.t_s
        self.notices.append(Notice(COMPLETED, event, self.t_s))

    def retract(self, event: Event, what: str) -> None:
        """Later evidence shows `event` was `what`: say so (it stays in `events`)."""
        event.retracted = what
        event.retracted_at = self.t_s
        self.notices.append(Notice(RETRACTED, event, self.t_s))
