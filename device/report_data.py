"""What the report reads of the history: one person's sessions, assessments, daily maxima
and levels in a date range, and the recordings of the sessions it draws, from a read-only
`Store` (nothing is written to the state directory).

Read defensively, since a report is most wanted when something went wrong: a summary
that cannot be read, an assessment with figures missing, a start that is no date, a
recording missing from the disk or damaged -- each is a `Problem` (the page lists them)
and everything else is read all the same. A database that cannot be read at all is the
store's StorageError, for the caller.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from device.config import DEFAULT_PROFILE
from device.programmes import lets_go_only, letting_go_practised, lifting_practised, sets_lift_goal
from device.storage import stopped_at_start
from device.stored_values import count, exhale_lifts, flag, maximum_kpa, moment, number, table, whole
from session import cues
from session.adherence import Week, iso_week, weeks
from session.advice import PUSHED_SHARE, Measured, see_physio, see_physio_bear_down, see_physio_let_go
from session.coach import MISTAKE_KINDS, SHORTFALLS, knack_led, stored_holds
from session.programme import Programme
from session.progression import Standing
from session.recording import HeaderOnly, NoSamples, RecordingError, SampleLimits
from session.recording_arrays import RecordingArrays, load_arrays
from session.recording_file import header

LAST_SESSIONS = 3        # the sessions part draws the last few sessions' curves (and any chosen)
NOT_MISSING = frozenset({"stopped_at_start", "still_recording"})   # why a curve is not drawn, with nothing lost


@dataclass(frozen=True)
class Problem:
    """Something the report could not read: a text id of `device.report_texts` and its fields."""

    key: str
    fields: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Period:
    """The days a report covers, both included; None: open on that side."""

    first: datetime.date | None = None
    last: datetime.date | None = None

    def holds(self, day: datetime.date) -> bool:
        return (self.first is None or day >= self.first) and (self.last is None or day <= self.last)


@dataclass(frozen=True)
class StoredSession:
    """One kept session as the report reads it; `summary` is {} when none could be read,
    `level` the programme's level it ran at (from its recording), None without levels."""

    id: int
    started: datetime.datetime
    program: str
    completed: bool
    duration_s: float | None
    reps: int
    contractions: int                     # the lifts made (`Store.sessions`): what training counts
    contraction_score: float | None
    relaxation_score: float | None
    summary: dict
    recording: str | None
    level: int | None
    summary_kept: bool = True             # False: none was stored, or it cannot be read
    in_progress: bool = False             # being written now by a running pftrainer (`Store.sessions`)
    asks: tuple[float | None, int] | None = None   # what its level asked (`Programme.asks_kept`), None: not kept
    relax_s: tuple[float, ...] | None = None       # ... and its relax steps' lengths (`Programme.relax_kept`)
    let_go_judged: int | None = None      # the repetitions judged for letting go (`Store.sessions`)
    trained_as: int | None = None         # moved here from the person it was trained as (`Store.sessions`)

    @property
    def day(self) -> datetime.date:
        return self.started.date()

    def errors(self) -> dict[str, int]:
        """The mistakes by kind (0 for a kind the summary has not)."""
        errors = table(self.summary.get("errors"))
        return {kind: count(errors.get(kind)) for kind in MISTAKE_KINDS}

    def holds(self) -> tuple[int, int, int] | None:
        """Its holds, those judged for a held breath and its held breaths (`session.coach.stored_holds`;
        None: not kept, its count of held breaths shown as it is)."""
        return stored_holds(self.summary)

    def exhale_lifts(self) -> tuple[int, int] | None:
        """Its lifts begun on the exhale and its lifts timed (`stored_values.exhale_lifts`; None:
        not kept, stored before they were)."""
        return exhale_lifts(self.summary)

    def quick_squeezes(self) -> tuple[int, int] | None:
        """Its quick squeezes reaching half the maximum and those made, after a repetition's hold too
        (the end screen's *Snelle knijpjes 12/15*); None where the summary kept no count."""
        made = whole(self.summary.get("flicks"))
        return None if made is None else (min(count(table(self.summary.get("perfect")).get("fast")), made), made)

    def knack(self) -> tuple[int, int] | None:
        """Its coughs squeezed for in time (`session.coach.knack_led`: the end screen's *Op tijd
        aangespannen 4/5*) and the coughs it came to; None where the summary kept none."""
        kept = self.summary.get("knack")
        if not isinstance(kept, list):
            return None
        coughs = [table(k) for k in kept]
        return sum(knack_led(number(k.get("lead_s")), flag(k.get("held"))) for k in coughs), len(coughs)

    def asked_maximal(self) -> bool | None:
        """Whether some lift asked for all the user has, as the summary kept it (None: not kept,
        stored before it was, 2026-12-05; `device.programmes.measures_strength`)."""
        return flag(self.summary.get("asks_maximal"))

    def short(self) -> int | None:
        """The lifts that missed their target with no mistake in them (*doel gemist*); None
        where the summary kept no count (stored before it was kept, 2026-12-05)."""
        return count(self.summary.get("short")) if "short" in self.summary else None

    def slow_let_go(self) -> int:
        """Its lifts let go in the end but late (`session.coach.SLOW_LET_GO_S`: *Traag losgelaten*);
        0 where the summary kept no count (stored before it was kept, 2026-12-06)."""
        return count(self.summary.get("slow_let_go")) or 0

    def short_mostly(self) -> str | None:
        """What most of those missed by (`session.coach.shortfall`); None where not kept."""
        mostly = self.summary.get("short_mostly")
        return mostly if mostly in SHORTFALLS else None

    def with_breath_share(self) -> float | None:
        """How much of its floor's movement in each paced breath was the breath's, over its
        repetitions (`session.coach.Relaxation`); None: no paced breath judged, or not kept."""
        return number(table(self.summary.get("relaxation")).get("with_breath_share"))

    def cues(self) -> list[tuple[float, str]] | None:
        """When each cue was given (session seconds, cue id); None when the session kept none
        (stored before the summary had them)."""
        kept = self.summary.get("cues")
        if not isinstance(kept, list):
            return None
        return [(float(t), cue) for t, cue in (item for item in kept if isinstance(item, list) and len(item) == 2)
                if number(t) is not None and isinstance(cue, str)]


def shown_kind(event: dict) -> str | None:
    """What an analysis event turned out to be: a retracted one, what it was taken for instead
    (a rise taken back as letting go is no push), else its kind -- as its curve draws it."""
    return event.get("retracted") or event.get("kind")


STEP_CUES = cues.COACHING - cues.WARNINGS - {cues.CALIBRATE_REST, cues.CALIBRATE_MAX, cues.SERIES_REST,
                                             cues.SUMMARY, cues.REP_DONE}    # a repetition's steps


@dataclass(frozen=True)
class Seen:
    """What a repetition's stretch of its session shows beside its scores: the *Laat los* cues
    given in it, and the lifts and held breaths the analysis saw begin in it (its curve's bands)."""

    let_go_cues: int
    contractions: int
    breath_holds: int


@dataclass(frozen=True)
class Curve:
    """A session to draw: its repetitions (`Store.reps`), its recording (None when it cannot
    be read, and why) and its events."""

    session: StoredSession
    reps: list[dict]
    recording: RecordingArrays | None
    events: list[dict]
    why_not: Problem | None = None

    def seen(self) -> list[Seen | None]:
        """Each repetition's `Seen`, in the order scored: its stretch ends at its *rep_done* cue, and
        begins at its first step's cue (`STEP_CUES`: not the warm-up's, a calibration's or a series
        rest's -- the first repetition counted what the warm-up saw, a review; without one, at the
        *rep_done* before); None for one without such a cue (a session kept before its cues were)."""
        seen: list[Seen | None] = []
        cued: list[str] = []
        done_s, start_s = -math.inf, None
        for t, cue in self.session.cues() or ():
            if cue == cues.REP_DONE:
                begin_s = done_s if start_s is None else start_s
                kinds = [shown_kind(e) for e in self.events if begin_s <= e["start"] < t]
                seen.append(Seen(cued.count(cues.WARN_LET_GO), kinds.count("contraction"),
                                 kinds.count("breath_hold")))
                cued, done_s, start_s = [], t, None
            elif start_s is not None:
                cued.append(cue)
            elif cue in STEP_CUES:
                start_s = t
        return (seen + [None] * len(self.reps))[:len(self.reps)]


@dataclass
class Person:
    """Everything the report shows of one profile in the period."""

    profile: int
    sessions: list[StoredSession]
    assessments: list[dict]
    maxima: list[tuple[datetime.date, float]]
    standings: dict[str, Standing]
    curves: list[Curve]
    problems: list[Problem]
    advice_day: datetime.date | None = None     # the day brochure 004's rule is applied on (the period's end)
    advised: bool = False                       # ... and whether it applies then
    let_go_advised: datetime.date | None = None  # the day the rule for a floor that never let go applied on
    let_go_since: datetime.date | None = None    # ... and the first of the days in a row it did up to then
    bear_down_advised: datetime.date | None = None   # ... and for a floor that kept bearing down
    levels_now: bool = True         # `standings` are the levels now: the period ends at the last session
    last_assessed: datetime.date | None = None   # the last assessment's day up to the period's end (before it too)
    letting_go_only: bool = False   # the last completed session asked no lift: no assessment is proposed

    @property
    def span(self) -> tuple[datetime.date, datetime.date] | None:
        """The first and last day the sessions cover; None without sessions."""
        days = [s.day for s in self.sessions]
        return (min(days), max(days)) if days else None

    def covered(self, period: Period) -> Period:
        """The days the report covers of this person: `period`, an open end closed at the first or
        last day of the sessions (the header's period; a week it cuts asks only its days in it --
        open, the week the sessions began in asked 7 days of one who began on its Sunday: a trial)."""
        span = self.span
        return period if span is None else Period(period.first or span[0], period.last or span[1])


# a session's level as kept, what it asked and its relax steps' lengths (None: not kept)
LevelRan = tuple[int, tuple[float | None, int] | None, tuple[float, ...] | None]


@dataclass(frozen=True)
class WeekRow:
    """One ISO week of training: against the goal (`session.adherence.Week`), the mistakes
    by kind, the lifts begun on the exhale and, in each programme with levels, the level each of
    its sessions ran at, in turn (a floor that went up and down again shows it)."""

    week: Week
    errors: dict[str, int]
    levels: dict[str, list[LevelRan]]
    short: int | None = None  # lifts that missed their target with no mistake (None: no session kept it)
    holds: tuple[int, int, int] | None = None   # its sessions' `StoredSession.holds` added up (None: one kept none)
    exhale_lifts: tuple[int, int] | None = None  # lifts begun on the exhale, of those timed (None: no session kept it)


def profiles(store, profile: int | None) -> list[int]:
    """The profiles a report is about: `profile`, or everyone who has a session (profile 1
    when nobody has)."""
    if profile is not None:
        return [profile]
    return sorted({row["profile"] for row in store.sessions()}) or [DEFAULT_PROFILE]


def read_person(store, profile: int, period: Period, chosen: list[int], programmes: dict[str, Programme],
                limits: SampleLimits, refused: frozenset[str] = frozenset()) -> Person:
    """`profile`'s part of the history in `period`; `chosen` sessions are drawn wherever
    they fall (a chosen one that is not this person's is left to the caller). `refused`: the
    names of programme files here that could not be used (the page says why, above)."""
    problems: list[Problem] = []
    every = read_sessions(store, profile, programmes, problems)
    sessions = [s for s in every if period.holds(s.day)]
    problems += [Problem("refused_programme" if name in refused else "unknown_programme", {"name": name})
                 for name in sorted({s.program for s in sessions} - set(programmes))]   # (a physiotherapist's,
                                                                                          # on another computer)
    drawn = [s for s in every if s.id in chosen] + [s for s in sessions[-LAST_SESSIONS:] if s.id not in chosen]
    shown = {s.id: s for s in sessions + drawn}
    problems += [Problem("damaged_summary", {"id": sid}) for sid, s in sorted(shown.items())
                 if not s.summary_kept and not s.in_progress]
    assessments = _assessments(store, profile, period, problems)
    advice_day, advised = _advice(every, assessments, period)
    let_go_since, let_go_advised = _let_go_advice(every, programmes, period, _judged_until(every, period))
    bear_down_advised = _bear_down_advice(every, programmes, period, _judged_until(every, period))
    trained = {s.program for s in every}
    # the levels kept are today's: of a period that ends before the last session, not (a report of 14 Dec
    # said *niveau 4* beside its session's *niveau 3*, a trial) -- its sessions' own are shown then
    levels_now = period.last is None or all(s.day <= period.last for s in every)
    last_assessed = max((a["day"] for a in assessments if period.last is None or a["day"] <= period.last),
                        default=None)
    completed = [s for s in every if s.completed]
    letting_go_only = bool(completed) and lets_go_only(completed[-1].program, completed[-1].contraction_score,
                                                       programmes)
    if not levels_now:
        trained = set()
    curves = [_curve(store, s, limits) for s in sorted(drawn, key=lambda s: s.id)]
    problems += [c.why_not for c in curves if c.why_not is not None and c.why_not.key not in NOT_MISSING]
    problems.sort(key=lambda p: p.fields.get("id", 0))             # session by session
    return Person(profile, sessions, [a for a in assessments if period.holds(a["day"])],
                  [(day, kpa) for day, kpa in _maxima(store, profile) if period.holds(day)],
                  {name: store.standing(name, profile) for name, p in sorted(programmes.items())
                   if p.levels and name in trained},        # (one never trained has no level to speak of)
                  curves, problems, advice_day, advised, let_go_advised, let_go_since, bear_down_advised,
                  levels_now, last_assessed, letting_go_only)


def _advice(every: list[StoredSession], assessments: list[dict], period: Period) -> tuple[datetime.date | None, bool]:
    """The day brochure 004's rule is judged on, and whether it applies then: the period's
    end (`--to`, else the last session, never before the period begins) -- or, where it does
    not apply then, the last assessment in the period at which it did: the device judges it
    after each assessment, and the patient was told then."""
    day = _judged_until(every, period)
    if day is None:
        return None, False
    measured, trained = [Measured.from_stored(a) for a in assessments], {s.day for s in every if s.completed}
    if see_physio(measured, trained, day):
        return day, True
    for a in reversed(assessments):
        judged = a["day"]
        if judged is not None and period.holds(judged) and judged <= day and see_physio(measured, trained, judged):
            return judged, True
    return day, False


def _judged_until(every: list[StoredSession], period: Period) -> datetime.date | None:
    """The day the advice is judged on at the latest: the period's end (`--to`, else the last
    session, never before the period begins); None with no session."""
    day = period.last or max((s.day for s in every), default=None)
    if day is not None and period.first is not None and day < period.first:
        day = period.first
    return day


def _let_go_advice(every: list[StoredSession], programmes: dict[str, Programme], period: Period,
                   day: datetime.date | None) -> tuple[datetime.date | None, datetime.date | None]:
    """The days the rule for a floor that never lets go (`session.advice.see_physio_let_go`) applied
    on, as the device judges it (after each session of letting go only, and on the menu at each
    start): the period's last day it applied on, up to `day` (the period's end, `_judged_until`: not
    the strength rule's day, which may be an earlier assessment's -- a review), and the first of the
    days in a row it applied on up to then, before the period too (*Op 26 dec* read as the day the
    advice began, which the device had shown since 20 dec: a trial); (None, None) where it never did (judged
    on the days of sessions of letting go alone, a week of lifts after them left out the advice the
    menu showed every day: a review)."""
    practised = letting_go_practised([(s.day, s.program, s.completed, s.contraction_score, s.relaxation_score)
                                      for s in every], programmes)
    if not practised:
        return None, None
    first = max(min(d for d, _ in practised), period.first or datetime.date.min)
    judged = day if day is not None else max(d for d, _ in practised)
    one_day = datetime.timedelta(days=1)
    while judged >= first and not see_physio_let_go(practised, judged):     # back from the period's end
        judged -= one_day
    if judged < first:
        return None, None
    since, earliest = judged, min(d for d, _ in practised)
    while since - one_day >= earliest and see_physio_let_go(practised, since - one_day):
        since -= one_day
    return since, judged


def _bear_down_advice(every: list[StoredSession], programmes: dict[str, Programme], period: Period,
                      day: datetime.date | None) -> datetime.date | None:
    """The day the rule for a floor that keeps bearing down (`session.advice.see_physio_bear_down`)
    applied on, as the device judges it: after each session of lifts that pushed, on the sessions
    up to that one (a session later that day that did not push is not there yet: a review) -- the
    period's last such session's day it applied on, up to `day` (`_judged_until`); None where it
    never did."""
    practised = lifting_practised([(s.day, s.program, s.completed, s.contraction_score,
                                    s.errors()["bear_down"] if s.summary_kept else None, s.reps)
                                   for s in every], programmes)          # (`every`: oldest first)
    for n in range(len(practised) - 1, -1, -1):
        judged, pushed, reps = practised[n]
        if period.holds(judged) and (day is None or judged <= day) and pushed >= PUSHED_SHARE * reps \
                and see_physio_bear_down(practised[:n + 1], judged):
            return judged
    return None


def read_sessions(store, profile: int | None, programmes: dict[str, Programme],
                  problems: list[Problem]) -> list[StoredSession]:
    """Every session of `profile` (or everybody's), oldest first, with the level it ran at where
    its programme has levels; one whose start is no date is left out, one of `problems`."""
    kept = {row["id"]: row for row in store.recorded(profile)}
    out = []
    for row in store.sessions(profile):
        started = moment(row["started_at"])
        if started is None:
            problems.append(Problem("damaged_start", {"id": row["id"], "start": row["started_at"]}))
            continue
        recorded = kept.get(row["id"], {})
        summary = recorded.get("summary")
        recording = recorded.get("recording")
        programme = programmes.get(row["program"])
        level, asks, relax_s = None, None, None
        if programme is not None and programme.levels and recording is not None:
            meta = header(store.recordings_dir / recording)
            level, asks, relax_s = Programme.level_kept(meta), Programme.asks_kept(meta), Programme.relax_kept(meta)
        out.append(StoredSession(row["id"], started.replace(tzinfo=None), row["program"], row["completed"],
                                 number(row["duration_s"]), row["reps"], row["contractions"],
                                 number(row["contraction_score"]),
                                 number(row["relaxation_score"]), summary or {}, recording, level,
                                 summary is not None, bool(row.get("in_progress")), asks, relax_s,
                                 row.get("let_go_judged"), row.get("trained_as")))
    return out


def _assessments(store, profile: int, period: Period, problems: list[Problem]) -> list[dict]:
    """The assessments whose figures can be read, with their `day`; one in `period` that
    cannot be read is a problem."""
    for damaged in store.damaged_assessments(profile):
        if damaged["day"] is not None and period.holds(damaged["day"]):
            problems.append(Problem("damaged_assessment", {"id": damaged["id"]}))
    return store.assessments(profile)


def ladder_number(programme: Programme, level: int, asks: tuple[float | None, int] | None = None,
                  relax_s: tuple[float, ...] | None = None) -> int | None:
    """A kept `level` as `programme`'s ladder numbers it (1: the easiest); None where its level
    of that number asks something else than the session did (`asks` and `relax_s` as the
    session's recording kept them; None: not kept), its rests alone too: the session ran under
    another ladder (a physiotherapist's copy changed it since)."""
    now = programme.at_level(level)
    if asks is not None and (now.level_asks != asks or relax_s not in (None, now.relax_lengths_s)):
        return None
    return programme.level_number(level)


def _maxima(store, profile: int) -> list[tuple[datetime.date, float]]:
    """The maxima kept, by day: a damaged cell (no day, no lift of `MAXIMUM_KPA_RANGE`) is left out."""
    out = []
    for row in store.maxima(profile):
        kpa = maximum_kpa(row["max_drop_kpa"])
        try:
            day = datetime.date.fromisoformat(row["day"])
        except (TypeError, ValueError):
            continue
        if kpa is not None:
            out.append((day, kpa))
    return out


def _curve(store, session: StoredSession, limits: SampleLimits) -> Curve:
    """The session's repetitions, recording and events, or why the recording cannot be drawn."""
    reps = store.reps(session.id)
    if session.recording is None:
        return Curve(session, reps, None, [], Problem("still_recording" if session.in_progress else "no_recording",
                                                      {"id": session.id}))
    path = store.recordings_dir.resolve() / session.recording     # named in full: the page is read elsewhere
    if not path.is_file():
        return Curve(session, reps, None, [], Problem("recording_missing", {"id": session.id, "name": str(path)}))
    try:
        recording = load_arrays(path, limits)
    except HeaderOnly:
        stopped = not session.in_progress and stopped_at_start(session.completed, session.reps)
        return Curve(session, reps, None, [], Problem("stopped_at_start" if stopped else "recording_empty",
                                                      {"id": session.id}))
    except NoSamples:
        return Curve(session, reps, None, [], Problem("recording_empty", {"id": session.id}))
    except RecordingError as e:
        return Curve(session, reps, None, [], Problem("recording_damaged", {"id": session.id, "why": str(e)}))
    return Curve(session, reps, recording, store.events(session.id))


def week_rows(person: Person, daily_goal: int, programmes: dict[str, Programme],
              period: Period = Period()) -> list[WeekRow]:
    """Every ISO week from the first session's to the last's (of the period), with what was trained
    in it (a week without a session too: a period asked for reaches no further, so `--to
    9999-12-31` is no 415,000 empty weeks); a week the period cuts has the goal of its days in it,
    one whose sessions asked no lift but to let go, or an assessment's (`sets_lift_goal`), no goal of
    contractions."""
    span = person.span
    if span is None:
        return []
    first, last = span
    trained = [(s.day, s.completed, s.contractions, sets_lift_goal(s.program, s.contraction_score, programmes))
               for s in person.sessions]
    errors: dict[tuple[int, int], dict[str, int]] = {}
    levels: dict[tuple[int, int], dict[str, list[LevelRan]]] = {}
    short: dict[tuple[int, int], int] = {}
    holds: dict[tuple[int, int], tuple[int, int, int] | None] = {}
    exhale: dict[tuple[int, int], tuple[int, int]] = {}
    for s in person.sessions:
        key = iso_week(s.day)
        holds[key] = _added(holds.get(key, (0, 0, 0)), s.holds())
        if (lifts := s.exhale_lifts()) is not None:
            exhale[key] = _added(exhale.get(key, (0, 0)), lifts)
        if (missed := s.short()) is not None:
            short[key] = short.get(key, 0) + missed
        week_errors = errors.setdefault(key, dict.fromkeys(MISTAKE_KINDS, 0))
        for kind, n in s.errors().items():
            week_errors[kind] += n
        if s.level is not None:
            levels.setdefault(key, {}).setdefault(s.program, []).append((s.level, s.asks, s.relax_s))
    return [WeekRow(w, errors.get((w.year, w.week), dict.fromkeys(MISTAKE_KINDS, 0)), levels.get((w.year, w.week), {}),
                    short.get((w.year, w.week)), holds.get((w.year, w.week)), exhale.get((w.year, w.week)))
            for w in weeks(trained, daily_goal, (first, last), (period.first, period.last))]


def _added(total: tuple[int, ...] | None, more: tuple[int, ...] | None) -> tuple[int, ...] | None:
    """Two tuples of counts added up; None where either is."""
    return None if total is None or more is None else tuple(a + b for a, b in zip(total, more))
