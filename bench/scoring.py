"""Scoring one recording's detected events against its labels, label by label.

Matching rules (the same for both corpora):
- a contraction is found when a standing (not retracted) contraction starts within
  `MATCH_S` of it (greedy, nearest first), and its end is compared with the label's (the
  release's end: a contraction ended long before it was cut short, one ended long after
  ran on); lifts made together with a buttock squeeze
  are excused either way; a standing contraction over a squeeze without a lift is a
  squeeze "reported as a clean contraction";
- a bear-down is found when a bear-down is raised from 0.5 s before it to 0.5 s after
  it ends; the delay from its start is the warning latency; a bear-down raised outside
  every push is false, and is blamed on what it overlapped (cough, posture, ...);
- a buttock squeeze is found when a glute event starts within `MATCH_S` of it; a glute event the
  coach warns for ("billen ontspannen": standing, or taken back only later than `GLUTE_CUE_DELAY_S`
  after it was raised) that starts in no squeeze (from `MATCH_S` before one to its end) is false,
  and is blamed on what it overlapped;
- a breath-hold is found when a breath_hold event is raised while it lasts (or within
  `MATCH_S` after); a breath_hold raised outside every labelled hold is false;
- a cough is found when a cough event starts from `COUGH_LEAD_S` before it to its end (each
  event counts once: coughs come in bursts); a cough event that starts in no cough is false,
  and is put down to the labelled movement it lies in (a push, a contraction, standing up,
  ...; "at rest" outside every one) -- the session's summary counts it as a cough.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bench.corpora import Label, Recording
from session.coach import GLUTE_CUE_DELAY_S
from session.events import BEAR_DOWN, BREATH_HOLD, CONTRACTION, COUGH, GLUTE

MATCH_S = 1.0
COUGH_LEAD_S = 0.3          # a cough event may start this long before its label (the detector backdates it)


@dataclass
class Outcome:
    """What became of one label."""

    label: Label
    found: bool
    onset_error_s: float | None = None
    latency_s: float | None = None
    end_error_s: float | None = None       # a found lift: its end less the label's (inf: never ended)


@dataclass
class Score:
    recording: Recording
    lifts: list[Outcome] = field(default_factory=list)
    false_lifts: int = 0
    pushes: list[Outcome] = field(default_factory=list)
    false_pushes: dict[str, int] = field(default_factory=dict)   # blamed on: cough, posture, ...
    glutes: list[Outcome] = field(default_factory=list)
    glutes_as_clean_lifts: int = 0
    false_glutes: dict[str, int] = field(default_factory=dict)    # blamed on: posture, cough, ...
    breath_holds: list[Outcome] = field(default_factory=list)
    false_breath_holds: int = 0
    breathing_s: float = 0.0                                      # time not inside a labelled hold
    coughs: list[Outcome] = field(default_factory=list)
    false_coughs: dict[str, int] = field(default_factory=dict)    # by where: bear_down, contraction, ...


def _overlaps(a0: float, a1: float, b0: float, b1: float) -> bool:
    return a0 <= b1 and b0 <= a1


def _blame(t: float, labels: list[Label]) -> str:
    for label in labels:
        if label.kind not in (CONTRACTION, BEAR_DOWN) and label.start_s - 0.5 <= t <= label.end_s + 1.0:
            return label.kind
    for label in labels:
        if label.kind == CONTRACTION and label.start_s - 0.5 <= t <= label.end_s + 2.0:
            return "contraction"
    return "none"


def _within(t: float, labels: list[Label]) -> str:
    """The labelled movement (not a cough or a held breath) going on at `t`, or "at rest"."""
    for label in labels:
        if label.kind not in (COUGH, BREATH_HOLD) and \
                label.start_s - COUGH_LEAD_S <= t <= label.end_s + COUGH_LEAD_S:
            return label.kind
    return "at rest"


def score(recording: Recording, events: list) -> Score:
    out = Score(recording)
    labels = recording.labels
    standing = [e for e in events if e.retracted is None]
    glute_labels = [x for x in labels if x.kind == GLUTE]

    lifts = [e for e in standing if e.kind == CONTRACTION]
    used: set[int] = set()
    for label in (x for x in labels if x.kind == CONTRACTION):
        best = None
        for i, det in enumerate(lifts):
            err = abs(det.start - label.start_s)
            if i not in used and err <= MATCH_S and (best is None or err < best[1]):
                best = (i, err)
        excused = any(_overlaps(label.start_s, label.end_s, g.start_s, g.end_s) for g in glute_labels)
        if best is not None:
            used.add(best[0])
            end = lifts[best[0]].end
            out.lifts.append(Outcome(label, True, onset_error_s=best[1],
                                     end_error_s=math.inf if end is None else end - label.end_s))
        elif not excused:
            out.lifts.append(Outcome(label, False))
    for i, det in enumerate(lifts):
        if i in used:
            continue
        over_glute = any(g.start_s - MATCH_S <= det.start <= g.end_s for g in glute_labels)
        near_lift = any(x.kind == CONTRACTION and x.start_s - MATCH_S <= det.start <= x.end_s
                        for x in labels)
        if over_glute and not near_lift:
            out.glutes_as_clean_lifts += 1
        else:                   # nothing there, or a second detection splitting one lift
            out.false_lifts += 1

    pushes = [e for e in standing if e.kind == BEAR_DOWN]
    matched: set[int] = set()
    for label in (x for x in labels if x.kind == BEAR_DOWN):
        hit = next((i for i, det in enumerate(pushes) if i not in matched
                    and label.start_s - 0.5 <= det.detected_at <= label.end_s + 0.5), None)
        if hit is None:
            out.pushes.append(Outcome(label, False))
        else:
            matched.add(hit)
            out.pushes.append(Outcome(label, True, latency_s=pushes[hit].detected_at - label.start_s))
    for i, det in enumerate(pushes):
        if i not in matched:
            cause = _blame(det.detected_at, labels)
            out.false_pushes[cause] = out.false_pushes.get(cause, 0) + 1

    glutes = [e for e in events if e.kind == GLUTE and e.retracted is None]
    for label in glute_labels:
        out.glutes.append(Outcome(label, any(abs(e.start - label.start_s) <= MATCH_S for e in glutes)))
    warned = [e for e in events if e.kind == GLUTE and (e.retracted is None
                                                        or e.retracted_at - e.detected_at > GLUTE_CUE_DELAY_S)]
    for det in warned:
        if not any(g.start_s - MATCH_S <= det.start <= g.end_s for g in glute_labels):
            cause = _blame(det.start, labels)
            out.false_glutes[cause] = out.false_glutes.get(cause, 0) + 1

    holds = [e for e in standing if e.kind == BREATH_HOLD]
    hold_labels = [x for x in labels if x.kind == "breath_hold"]
    for label in hold_labels:
        hit = next((e for e in holds if label.start_s <= e.detected_at <= label.end_s + MATCH_S), None)
        out.breath_holds.append(Outcome(label, hit is not None,
                                        latency_s=None if hit is None else hit.detected_at - label.start_s))
    out.false_breath_holds = sum(
        not any(x.start_s - MATCH_S <= e.detected_at <= x.end_s + MATCH_S for x in hold_labels)
        for e in holds)
    out.breathing_s = recording.duration_s - sum(x.end_s - x.start_s for x in hold_labels)

    coughs = [e for e in events if e.kind == COUGH]
    counted: set[int] = set()
    for label in (x for x in labels if x.kind == COUGH):
        hit = next((i for i, det in enumerate(coughs) if i not in counted
                    and label.start_s - COUGH_LEAD_S <= det.start <= label.end_s), None)
        if hit is not None:
            counted.add(hit)
        out.coughs.append(Outcome(label, hit is not None))
    for i, det in enumerate(coughs):
        if i not in counted:
            where = _within(det.start, labels)
            out.false_coughs[where] = out.false_coughs.get(where, 0) + 1
    return out
