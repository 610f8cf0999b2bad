"""How regularly the user trains, against the goal (brochure 002: "Door dagelijks 3 series
bekkenbodemspieroefeningen ..."; NICE: at least 8 contractions 3 times a day for at least
3 months). Pure logic, on the sessions' days, whether each was completed, and the lifts
made in each.

Per ISO week: the days trained and the sessions against `daily_goal` x 7 (completed ones),
the contractions against CONTRACTIONS_PER_DAY x 7 (the lifts made in every session, an
interrupted one's too: they were done; a push or a repetition of letting go is none) -- x the
days a report's period holds of a week it cuts -- in a week where some session asked for a lift
(one of letting go only asks none; a week without a session asks as the week trained before it);
and the streak: the days in a row, up to today (or up to yesterday, when today has no
session yet), with at least one session.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

CONTRACTIONS_PER_DAY = 24     # NICE: at least 8 contractions, 3 times a day


@dataclass(frozen=True)
class Week:
    year: int
    week: int                 # ISO week number
    days: int                 # days with a session
    sessions: int
    sessions_goal: int
    contractions: int
    contractions_goal: int    # 0 where no lift was asked
    lifts_asked: bool         # some session asked for a lift (without one, or with assessments only: as the
                              # week trained before it; assessments only in the first week: asked)


def iso_week(day: datetime.date) -> tuple[int, int]:
    """The ISO year and week number `day` is in: the weeks training is counted by."""
    iso = day.isocalendar()
    return iso[0], iso[1]


def weeks(sessions: list[tuple[datetime.date, bool, int, bool | None]], daily_goal: int,
          span: tuple[datetime.date, datetime.date] | None = None,
          period: tuple[datetime.date | None, datetime.date | None] = (None, None)) -> list[Week]:
    """The ISO weeks that had a session, oldest first; `sessions` as (day, completed,
    lifts made, lifts asked: None for an assessment, which neither asks nor not). With `span`
    (first and last day), every week from the first day's to the last day's, a week without a
    session too. A week that `period` (the first
    and last day counted, None: open) cuts has the goal of its days in it: its sessions
    before or after are not counted, nor asked for."""
    by_week: dict[tuple[int, int], list[tuple[datetime.date, bool, int, bool | None]]] = {}
    if span is not None:
        for n in range(0, (span[1] - span[0]).days + 7, 7):
            by_week.setdefault(iso_week(min(span[0] + datetime.timedelta(days=n), span[1])), [])
    for session in sessions:
        by_week.setdefault(iso_week(session[0]), []).append(session)
    out: list[Week] = []
    for (year, week), rows in sorted(by_week.items()):
        days = days_counted(year, week, period)
        said = [lifts_asked for *_, lifts_asked in rows if lifts_asked is not None]
        asked = any(said) if said else out[-1].lifts_asked if out else bool(rows)
        out.append(Week(year, week, len({day for day, completed, *_ in rows if completed}),
                        sum(completed for _, completed, *_ in rows), days * daily_goal,
                        sum(lifts for _, _, lifts, _ in rows), days * CONTRACTIONS_PER_DAY * asked, asked))
    return out


ALL_WEEKS, SOME_WEEKS, NO_WEEK = "all", "some", "none"


def contractions_asked(trained: list[Week]) -> str:
    """In which of the weeks `trained` the goal of contractions stands: ALL_WEEKS, SOME_WEEKS or
    NO_WEEK (only letting go trained: `history`'s and the report's goal then asks sessions alone;
    a report's header asked an over-tense floor's two weeks of `ontspannen` for 24 contractions a
    day: a trial). No week: ALL_WEEKS, the goal as configured."""
    asked = [w.lifts_asked for w in trained]
    return ALL_WEEKS if all(asked) else SOME_WEEKS if any(asked) else NO_WEEK


def days_counted(year: int, week: int, period: tuple[datetime.date | None, datetime.date | None]) -> int:
    """The days of ISO week `week` of `year` that `period` (first and last day, None: open)
    holds: 7 but where it cuts the week."""
    monday = datetime.date.fromisocalendar(year, week, 1)
    first = max(monday, period[0] or monday)
    last = min(monday + datetime.timedelta(days=6), period[1] or monday + datetime.timedelta(days=6))
    return max(0, (last - first).days + 1)


def streak(days: set[datetime.date], today: datetime.date) -> int:
    """Days in a row with a session, up to today (or yesterday, if today has none yet)."""
    day = today if today in days else today - datetime.timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= datetime.timedelta(days=1)
    return count
