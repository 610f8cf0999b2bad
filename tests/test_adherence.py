"""Training against the goal (issue 14): sessions and contractions per week, the streak."""

import datetime

from session.adherence import CONTRACTIONS_PER_DAY, streak, weeks

MONDAY = datetime.date(2026, 11, 30)          # ISO week 49


def day(n):
    return MONDAY + datetime.timedelta(days=n)


def test_sessions_and_contractions_are_counted_per_iso_week_against_the_goal():
    sessions = [(day(0), True, 10), (day(0), True, 8), (day(2), True, 5), (day(3), False, 4), (day(7), True, 10),
                (day(15), False, 6)]
    w49, w50, w51 = weeks([(*session, True) for session in sessions], daily_goal=3)
    assert (w49.year, w49.week, w49.days, w49.sessions, w49.contractions) == (2026, 49, 2, 3, 27)
    assert (w49.sessions_goal, w49.contractions_goal) == (21, 7 * CONTRACTIONS_PER_DAY)
    assert (w50.week, w50.days, w50.sessions) == (50, 1, 1)
    assert (w51.week, w51.days, w51.sessions, w51.contractions) == (51, 0, 0, 6)     # interrupted: lifts only


def test_a_week_asks_contractions_by_what_was_trained_in_it_an_empty_one_as_the_week_before():
    """Letting go only asks no lift: that week has no goal of contractions, whatever other weeks asked."""
    sessions = [(day(0), True, 0, False), (day(14), True, 9, True), (day(15), True, 0, False), (day(28), True, 0, False)]
    asked = [(w.week, w.lifts_asked, w.contractions_goal) for w in weeks(sessions, 1, (day(0), day(28)))]
    assert asked == [(49, False, 0), (50, False, 0), (51, True, 7 * CONTRACTIONS_PER_DAY),
                     (52, True, 7 * CONTRACTIONS_PER_DAY), (53, False, 0)]


def test_an_assessment_neither_asks_contractions_of_its_week_nor_not():
    """A review: an over-tense floor's one meting set its week of letting go a goal of 168; an
    assessment week takes the week before's, and asks in a first week (a lifting patient's)."""
    sessions = [(day(0), True, 11, None), (day(7), True, 0, False), (day(8), True, 11, None), (day(14), True, 11, None)]
    asked = [w.lifts_asked for w in weeks(sessions, 1, (day(0), day(14)))]
    assert asked == [True, False, False]

def test_the_streak_counts_days_in_a_row_up_to_today_or_yesterday():
    days = {day(0), day(1), day(2), day(4), day(5)}
    assert streak(days, day(5)) == 2
    assert streak(days, day(6)) == 2              # today not trained yet: the streak still stands
    assert streak(days, day(7)) == 0
    assert streak(days, day(2)) == 3


def test_the_goal_of_contractions_stands_in_all_some_or_no_week():
    """One owner of what the goal says (`history`'s line and the report's header: trial68's header
    asked weeks of `ontspannen` only for 24 contractions a day)."""
    from session.adherence import ALL_WEEKS, NO_WEEK, SOME_WEEKS, contractions_asked
    monday = datetime.date(2026, 11, 30)
    lifts, let_go = (monday, True, 20, True), (monday + datetime.timedelta(days=7), True, 0, False)
    assert contractions_asked(weeks([lifts], 1)) == ALL_WEEKS
    assert contractions_asked(weeks([lifts, let_go], 1)) == SOME_WEEKS
    assert contractions_asked(weeks([let_go], 1)) == NO_WEEK
    assert contractions_asked([]) == ALL_WEEKS
