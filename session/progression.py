"""Training that grows with the user: a programme's level goes up after good sessions and
back down after poor ones (brochure 003: "Als de spieren sterker worden, merkt u dat u
langer dan 5 seconden kunt vasthouden"; 002: "Begin met minder lang of minder vaak
aanspannen wanneer je het nog te moeilijk vindt").

Pure logic. Each completed session of a programme with levels is judged (`verdict`):
good -- contraction score at least GOOD_SCORE_MIN, not one push, the floor let go
(relaxation score at least GOOD_SCORE_MIN) and more than half the lifts asked done well (held
long enough, the breath not held: "Houd nooit je adem in bij inspanning", 002) -- or nearly all
of them (NEARLY_ALL_WELL) at a lower mean score: a tiring floor held every one of them, and the
score counts the reach and speed it has (to hold longer is what the next level asks: 003,
"merkt u dat u langer dan 5 seconden kunt vasthouden"); poor -- a
contraction score under POOR_SCORE_MAX, PUSHES_POOR pushes or more, a floor that did not let go
(relaxation under RELAX_POOR_MAX), or more than half the lifts asked made the right way and
still not done well (too low, too high, too brief, too slow: the level asks more than the floor has; a
held breath is no reason to go down, nor up); else neither. Letting go counts as much as lifting: an over-tense
floor that lifts well and never lets go is not moved on to longer holds (004: "Bij (te)
veel spanning focus je eerst op loslaten"; 001: "zorg dat u na elke aanspanning weer
volledig ontspant"). UP_AFTER good sessions in a row at a level move it up one,
DOWN_AFTER poor ones in a row down one -- but the first session judged at a programme, poor, down
one at once: a new user's start level is the brochure's guess, and one who fails two lifts in
three there is told so four days running otherwise (002: "Begin met minder lang of minder vaak
aanspannen wanneer je het nog te moeilijk vindt"; a trial); a session that is neither breaks both runs, and so
does a pause of more than RUN_GAP_DAYS between two sessions of the programme (two poor sessions
18 days apart say nothing of the level now: a new user's trial). An interrupted session does not
count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from session.levels import done_well
from session.programme import MAX_LEVELS, Programme

GOOD, POOR, NEITHER = "good", "poor", "neither"
GOOD_SCORE_MIN = 70.0
POOR_SCORE_MAX = 50.0
RELAX_POOR_MAX = 30.0           # a relaxation score under this: the floor did not let go
PUSHES_POOR = 2
NEARLY_ALL_WELL = 0.9           # a session with this share of its lifts done well is good at a lower mean score
UP_AFTER = 3
DOWN_AFTER = 2
RUN_GAP_DAYS = 7                # a run goes on only from a session at most this many days before


def let_go_first(relaxation_score: float | None) -> bool:
    """A session whose floor did not let go (relaxation under RELAX_POOR_MAX) -- after its
    lifts or flicks, or in the paced breathing of `ontspannen` itself: the programme that
    teaches letting go comes first, and again until it works (004: "Bij (te) veel spanning
    focus je eerst op loslaten met langere uitademingen") -- the end screen says so, and the
    menu starts on it next time. (Only a session that lifted was so judged: an over-tense
    floor letting go at 20-26 for two weeks of `ontspannen` was offered `basis` after its
    first, a trial.)"""
    return relaxation_score is not None and relaxation_score < RELAX_POOR_MAX


FEELING, AFTER_FEELING = "voelen", "basis"
FELT_SHARE = 0.75               # `voelen` with this share of its lifts done well ...
FELT_DAYS = 2                   # ... in its sessions in a row on this many days: the floor is found (after
                                # one 2-minute session the next day asked the assessment's maximal lifts of
                                # a new mother, a trial; two back to back would have too, a review; 002
                                # "leren voelen", then build up "rustig")


ASSESSMENT = "meting"           # the assessment: the menu proposes it when due (`device.appliance`)
LETTING_GO = "ontspannen"       # the menu proposes it after a session whose floor did not let go (`let_go_first`)


def trained_daily(name: str, programme: Programme | None) -> bool:
    """Whether `name` (`programme`: its file, None where not known) is remembered as the programme
    trained, which the menu comes back to: not the assessment (it comes when due), nor `ontspannen`
    (proposed while a session is not let go after: one chosen by mistake let go, the lifts come
    back -- a trial), nor a skill learnt beside the daily training, the knack (one session of it put
    basis out of the menu: a trial)."""
    return name not in (ASSESSMENT, LETTING_GO) and not (programme is not None and programme.trains_a_skill)


def felt(program: str, lifts_asked: int, found: int) -> bool:
    """A session of `voelen` (learning to feel the floor move with the breath) with at least
    FELT_SHARE of its lifts `found` (`found_floor`): the floor is found, and the training the
    brochures give next comes next (002: "Probeer je bekkenbodemspieren goed te leren voelen. Als
    dit lukt kun je doorgaan"; "3 series per dag": `basis`) -- the menu starts on it from then on.
    (The menu proposed `voelen` day after day to a man after prostate surgery whose every lift of
    it was done well: a trial.)"""
    return program == FEELING and lifts_asked > 0 and found >= FELT_SHARE * lifts_asked


def found_floor(reps) -> int:
    """The repetitions (`session.coach.RepScore`) whose lift found the floor: made the right way
    and done well, the breath aside -- a held breath is told, and scored, on its own; it says
    nothing of whether the floor is felt (a floor that held its breath in half of `voelen`'s
    lifts was kept on it for good: a review)."""
    return sum(1 for rep in reps if rep.contraction is not None and rep.contraction.kind != "flick"
               and rep.contraction.right_direction
               and done_well(rep.contraction.score, rep.contraction.hold_s, rep.contraction.asked_hold_s, False,
                             rep.contraction.kind))


def verdict(contraction_score: float | None, pushes: int, relaxation_score: float | None = None,
            lifts: int = 0, done_well: int = 0, short: int = 0) -> str:
    """How a completed session went, for the progression (`relaxation_score` None: not
    scored, as in a programme without lifts to let go of). Of its `lifts` asked (not flicks),
    `done_well` were done well (R: held long enough, the breath not held) and `short` were made
    the right way with no mistake and still not done well (too low, high, brief or slow: the
    level asks too much); a session of flicks only (`lifts` 0) is judged on its scores."""
    if contraction_score is None:
        return NEITHER
    let_go = relaxation_score is None or relaxation_score >= GOOD_SCORE_MIN
    if (contraction_score < POOR_SCORE_MAX or pushes >= PUSHES_POOR
            or (relaxation_score is not None and relaxation_score < RELAX_POOR_MAX) or 2 * short > lifts):
        return POOR
    mostly_well = not lifts or 2 * done_well > lifts
    nearly_all_well = lifts and done_well >= NEARLY_ALL_WELL * lifts
    if pushes == 0 and let_go and (contraction_score >= GOOD_SCORE_MIN and mostly_well or nearly_all_well):
        return GOOD
    return NEITHER


def session_verdict(summary) -> str:
    """`verdict` of a session's summary (`session.coach.CoachSummary`): the device's and the tests' one reading."""
    return verdict(summary.contraction_score, summary.errors.bear_down, summary.relaxation_score,
                   summary.lifts_asked, summary.perfect.repetitions, summary.short)


@dataclass(frozen=True)
class Standing:
    """A user's place in one programme: the level (counted from the programme's start level:
    1 there, 0 and below its easier steps), the runs of good and poor sessions at it, and
    `day`, the day (`date.toordinal()`) of the session the run counted last (0: not known);
    `fresh`: no session of the programme judged yet (none kept)."""

    level: int = 1
    good: int = 0
    poor: int = 0
    day: int = 0
    fresh: bool = False

    def after(self, outcome: str, ladder: Programme, day: int = 0) -> Standing:
        """The standing after a session of `ladder` on `day` (`date.toordinal()`; 0: not known)
        that went `outcome`; a run whose last session was more than RUN_GAP_DAYS before starts
        again. A level kept outside the ladder (a physiotherapist's shorter copy runs it at its
        own end) stays as kept unless the session says something of it: a good one at a harder
        level, or a poor one at an easier level, counts from the level it ran at; a good one at
        an easier level, or a poor one at a harder, leaves it (and no run) as it was -- the copy
        removed, it is back."""
        level = ladder.level_of(self.level)
        lapsed = day and self.day and day - self.day > RUN_GAP_DAYS
        good, poor = (0, 0) if lapsed else (self.good, self.poor)
        if outcome == GOOD:
            if self.level > level:
                return Standing(self.level)
            if good + 1 >= UP_AFTER and level < ladder.highest_level:
                return Standing(level + 1)
            return Standing(level, min(good + 1, UP_AFTER), 0, day)
        if outcome == POOR:
            if self.level < level:
                return Standing(self.level)
            if (poor + 1 >= DOWN_AFTER or self.fresh) and level > ladder.lowest_level:
                return Standing(level - 1)
            return Standing(level, 0, min(poor + 1, DOWN_AFTER), day)
        return Standing(self.level)

    def to_text(self) -> str:
        return json.dumps({"level": self.level, "good": self.good, "poor": self.poor, "day": self.day})

    @classmethod
    def from_text(cls, text: str | None) -> Standing:
        """The standing stored as `to_text` wrote it; a `fresh` one for None or "" (none kept: one
        is kept only after a session was judged), one at the start level for anything else (a
        damaged value starts the user again there rather than stopping the device -- not fresh: a
        session was judged): whole numbers, the level within MAX_LEVELS of the start either way,
        the runs and the day 0 up (a standing kept before the day was: 0, not known)."""
        if not text:
            return cls(fresh=True)
        try:
            raw = json.loads(text)
        except ValueError:
            return cls()
        values = [raw.get(key, default) for key, default in (("level", 1), ("good", 0), ("poor", 0), ("day", 0))] \
            if isinstance(raw, dict) else []
        if len(values) != 4 or not all(type(value) is int for value in values) \
                or not 1 - MAX_LEVELS < values[0] <= MAX_LEVELS or min(values[1:]) < 0:
            return cls()
        return cls(*values)
