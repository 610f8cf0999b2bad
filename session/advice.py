"""Whether training works, and when to see a pelvic physiotherapist (brochure 004: "Blijft
er binnen 4 tot 6 weken geen verbetering met rustige oefeningen en slim toiletgedrag ...,
dan zoek je hulp"). The device never diagnoses; it says plainly when help is wise.

The rule (`see_physio`), on the assessments (the `meting`) and the days trained:
- **regular training**: in at least REGULAR_WEEKS of the last WEEKS weeks (7-day blocks
  back from today) the user trained on at least REGULAR_DAYS days;
- **long enough**: two assessments at least MIN_DAYS_APART days apart within the last
  WEEKS weeks (the earliest and the latest of them are compared);
- **no improvement beyond the measurement's own spread**: the maximum rose by less than
  GAIN_SPREADS x the spread of the maximal lifts within one assessment (their sd; never
  less than GAIN_MIN_SHARE of the first), the endurance (E) by less than ENDURANCE_GAIN_S, and
  the holds done well plus the quick squeezes by fewer than COUNT_GAIN -- margins above what
  one unchanged floor shows between two assessments (personas on seeds 0-11).
All three: the advice.

A second rule (`see_physio_let_go`), for an over-tense floor that does not learn to let go: 004
says what helps it ("De oplossing draait om loslaten ..., liefst met begeleiding van een
bekkenfysiotherapeut"), and the device sends such a floor back to `ontspannen` after every session
it does not let go in (`session.progression.let_go_first`). When `ontspannen` has been practised
for LET_GO_DAYS (two weeks: the first session of it that long ago), on at least LET_GO_MIN_DAYS of
the last LET_GO_DAYS days (as regularly as above: REGULAR_DAYS a week), and the sessions of it in
those days did not let go (relaxation under `session.progression.RELAX_POOR_MAX`) -- the last one
not, and at most LET_GO_CHANCE_SHARE of them did (one chance session at 47 in 28 under 30 put the
advice off two weeks: a physiotherapist's trial) --, the device's own practice is not working, and
the guidance 004 prefers for such a floor is advised -- and stands, for LET_GO_STANDS_DAYS after the rule
last held, until a session of it lets go:
sooner than the 4-6 weeks of the rule above, which measures strength -- no assessment measures
letting go better, and an over-tense floor's assessments praised its lifts (a trial).

A third rule (`see_physio_bear_down`), for a floor that keeps bearing down when it means to lift:
004 says "Vermijd persen; vraag zonodig bekkenfysiotherapeutische begeleiding" and, on doubt about
how to do the exercises, "overleg dan met een bekkenfysiotherapeut". When in the last
BEAR_DOWN_DAYS at least BEAR_DOWN_SESSIONS completed sessions of lifts, on at least
BEAR_DOWN_MIN_DAYS days, the first and the last BEAR_DOWN_SPAN_DAYS apart or more (a week of the
device's *Niet persen!* warnings), all warned of a push at least PUSHED_SHARE times per repetition, the warnings
have not taught the lift, and a physiotherapist is advised (a trial: five weeks of a floor pushing
in 20 of 24 repetitions brought a lower level and no advice). Not for regular training only:
pushing is no matter of how often one trains. Pure logic.
"""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass

from session.assessment import Assessment
from session.progression import let_go_first

ASSESS_EVERY_DAYS = 14      # the menu proposes an assessment when the last is this many days old
WEEKS = 6
REGULAR_WEEKS = 4
REGULAR_DAYS = 4
MIN_DAYS_APART = 28
GAIN_SPREADS = 2.0
GAIN_MIN_SHARE = 0.12       # one unchanged floor's maximum spreads up to 10.4 % between assessments
ENDURANCE_GAIN_S = 35.0     # E of one unchanged floor spreads up to 25 s between assessments
COUNT_GAIN = 5              # ... and the holds done well plus quick squeezes by up to 4
LET_GO_DAYS = 14            # two weeks of `ontspannen` without one session let go ...
LET_GO_MIN_DAYS = 2 * REGULAR_DAYS   # ... practised on at least 8 of those days: regular training
LET_GO_CHANCE_SHARE = 0.125          # ... one session let go in 8 is chance, not the practice working
LET_GO_STANDS_DAYS = 28              # the advice stands this long after the rule held, while none let go
BEAR_DOWN_DAYS = 14          # in the last two weeks ...
BEAR_DOWN_SESSIONS = 5       # ... at least this many sessions of lifts ...
BEAR_DOWN_MIN_DAYS = 3       # ... on this many days, the first and the last a week apart or more ...
BEAR_DOWN_SPAN_DAYS = 7
PUSHED_SHARE = 0.5           # ... each warned of a push at least once per two repetitions


@dataclass(frozen=True)
class Measured:
    """What the rule reads of one assessment."""

    day: datetime.date
    max_kpa: float
    max_spread_kpa: float | None
    endurance_s: float | None
    holds_good: int
    flicks_half: int
    laycock_r: bool = True      # `holds_good` is Laycock's R (from 8 Dec 2026); before, holds in the band

    @classmethod
    def of(cls, day: datetime.date, a: Assessment) -> Measured:
        """From an assessment made on `day`."""
        return cls(day, a.max_kpa, a.max_spread_kpa, a.endurance_s, a.holds_good, a.flicks_half)

    @classmethod
    def from_stored(cls, row: dict) -> Measured:
        """From `Store.assessments()`'s row (its figures checked, its `day` a date); one kept before
        R was Laycock's has no `hold_endured_s`."""
        return cls(row["day"], row["max_kpa"], row.get("max_spread_kpa"),
                   row.get("endurance_s"), row["holds_good"], row["flicks_half"], "hold_endured_s" in row)


def improved(first: Measured, last: Measured) -> bool:
    """Whether `last` is better than `first` by more than the measurement's own spread."""
    spread = max(GAIN_SPREADS * (first.max_spread_kpa or 0.0), GAIN_MIN_SHARE * first.max_kpa)
    if last.max_kpa - first.max_kpa > spread:
        return True
    if (last.endurance_s or 0.0) - (first.endurance_s or 0.0) >= ENDURANCE_GAIN_S:
        return True
    if first.laycock_r != last.laycock_r:    # R counted otherwise then: F alone (R+F of a floor unchanged
        return last.flicks_half - first.flicks_half >= COUNT_GAIN        # went from 5 to 10 across: a review)
    return (last.holds_good + last.flicks_half) - (first.holds_good + first.flicks_half) >= COUNT_GAIN


def regular_weeks(training_days: set[datetime.date], today: datetime.date) -> int:
    """Of the last WEEKS weeks (7-day blocks ending today), those with at least
    REGULAR_DAYS days trained."""
    weeks = 0
    for week in range(WEEKS):
        end = today - datetime.timedelta(days=7 * week)
        days = sum(end - datetime.timedelta(days=d) in training_days for d in range(7))
        weeks += days >= REGULAR_DAYS
    return weeks


def see_physio(assessments: list[Measured], training_days: set[datetime.date], today: datetime.date) -> bool:
    """The rule above: trained regularly for weeks, and the assessments show no improvement."""
    since = today - datetime.timedelta(days=7 * WEEKS)
    recent = sorted((a for a in assessments if since <= a.day <= today), key=lambda a: a.day)
    if len(recent) < 2 or (recent[-1].day - recent[0].day).days < MIN_DAYS_APART:
        return False
    if regular_weeks(training_days, today) < REGULAR_WEEKS:
        return False
    return not improved(recent[0], recent[-1])


def see_physio_let_go(letting_go: list[tuple[datetime.date, float]], today: datetime.date) -> bool:
    """The second rule above, on the completed sessions of `ontspannen` (`letting_go`: their day
    and relaxation score, in the order they were made) up to `today`: practised for LET_GO_DAYS, on
    at least LET_GO_MIN_DAYS of the last LET_GO_DAYS days, the last of those sessions not let go,
    and at most LET_GO_CHANCE_SHARE of them let go -- or it held on a day of the last
    LET_GO_STANDS_DAYS and no session of them has let go since (an over-tense floor that went on to
    `basis`, as her physiotherapist had planned, was told *Nog eens: Ontspannen* again at 19 a week
    later, the advice gone: a trial)."""
    done = sorted(((day, score) for day, score in letting_go if day <= today), key=lambda kept: kept[0])
    days = [day for day, _ in done]
    if _let_go_rule(done, days, today):
        return True
    let_go = [day for day, score in done if not let_go_first(score)]
    day = today - datetime.timedelta(days=1)
    stands_from = today - datetime.timedelta(days=LET_GO_STANDS_DAYS)
    while day >= stands_from and (not let_go or day > let_go[-1]):   # back, day by day, to a session let go
        if _let_go_rule(done, days, day):
            return True
        day -= datetime.timedelta(days=1)
    return False


def _let_go_rule(done: list[tuple[datetime.date, float]], days: list[datetime.date], on: datetime.date) -> bool:
    """The rule on day `on` itself, over the sessions of `done` (oldest first; `days` their days) up to it."""
    since = on - datetime.timedelta(days=LET_GO_DAYS - 1)
    if not done or days[0] > since:
        return False
    first, end = bisect.bisect_left(days, since), bisect.bisect_right(days, on)
    recent = [score for _, score in done[first:end]]
    let_go = sum(not let_go_first(score) for score in recent)
    return (len(set(days[first:end])) >= LET_GO_MIN_DAYS and let_go_first(recent[-1])
            and let_go <= LET_GO_CHANCE_SHARE * len(recent))


def see_physio_bear_down(lifting: list[tuple[datetime.date, int, int]], today: datetime.date) -> bool:
    """The third rule above, on the completed sessions that asked for lifts (`lifting`: their day,
    the pushes warned and the repetitions scored) up to `today`."""
    since = today - datetime.timedelta(days=BEAR_DOWN_DAYS - 1)
    recent = [(day, pushed, reps) for day, pushed, reps in lifting if since <= day <= today and reps > 0]
    days = {day for day, _, _ in recent}
    return (len(recent) >= BEAR_DOWN_SESSIONS and len(days) >= BEAR_DOWN_MIN_DAYS
            and (max(days) - min(days)).days >= BEAR_DOWN_SPAN_DAYS
            and all(pushed >= PUSHED_SHARE * reps for _, pushed, reps in recent))
