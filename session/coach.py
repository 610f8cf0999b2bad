"""The coach: runs a programme against the live analysis, moment by moment.

Pure logic, driven by `update(t_s)` once per sample tick, after the analyzer's step;
it never waits and does no I/O. It walks calibration, then series x repetitions x
steps, puts a `Cue` in its `outbox` whenever the user must be told something (the
device hands cues to the screen, the buzzer, the cue log and the store after each
tick), warns at once on a bear-down, and scores every repetition for the contraction
and, separately, the relaxation.

Levels are "% of the user's maximum": 100 % is the peak drop of their best
calibration lift, 0 % is the rest baseline, negative is pushing.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace

from session import cues
from session.analyzer import GETTING_UP_S, HOLD, LIFT, WARMUP, Analyzer
from session.events import (BEAR_DOWN, BREATH_HOLD, COMPLETED, CONTRACTION, COUGH, GLUTE, POSTURE, RAISED,
                            RETRACTED, Event, Notice)
from session.progression import let_go_first
from session.programme import FLOOR_PCT, MAX_HOLD_S, SETTLE, PlanItem, Programme, Step, plan
from session.assessment import Assessment, StepRecord, assess, releases_of
from session.detectability import BREATH_SIZE_SEEN, HOLD_WHOLE_PERIODS
from session.lift import SLOW_DEPTH
from session.levels import (BAND_PCT, ENDURANCE_PCT, HALF_PCT, LET_GO_PCT, MAXIMAL_PCT, band_top_pct, held_share,
                            all_out_timed, done_well, let_go_pct, reached_pct)
from session.relaxation import BreathFollowing, RestLevels, ToneMeter

DEFAULT_MAX_KPA = 1.0      # if calibration saw no lift at all
TIRING_DROP_PCT = 10.0     # an all-out hold peaking at most this far below the last one counted is a floor tiring
FULL_HOLD_S = 30.0         # a hold "as long as possible" scores as fully held after this long
RESIDUAL_TAIL_S = 2.0      # a relax step's last seconds -- its last breath where that is longer and the step
                           # holds two: their mean level is what the let-go left held (a whole breath: the lift
                           # is cued on the exhale, so where a fixed 2 s of basis's 16 s fell in the breath went
                           # with the hold's length, and a weak floor's relaxation scored 70 at 6 s holds, 97 at
                           # 8 s: a trial) ...
GETTING_UP_SHARE = 0.25    # ... seated: with this share of the seat's load gone, the user is getting up
UNSTEADY_PCT = 40.0        # a hold wavering this much (sd, % of maximum) is steadiness 0; none is 1
KNACK_LEAD_S = 0.2         # the knack: the lift begun at least this long before the cough ...
KNACK_SETTLE_S = 0.5       # ... and this long after it still at least ...
KNACK_KEPT_SHARE = 0.5     # ... this share of the level asked: kept; the hold after the cough counts so too
                           # (the knack is the lift led and kept through the cough: a weak floor keeping
                           # half its 4th floor after it was *0 van 5 goed / meestal te kort*, a trial)
SINKING_S = 1.0            # a hold this long below where it counts is sinking: the screen asks higher ...
SINKING_BACK_S = 0.5       # ... until it is back there this long (a touch of the band's edge is no return)
GLUTE_CUE_DELAY_S = GETTING_UP_S   # a buttock squeeze is warned once it can no longer turn out to
                                   # be getting up (the analysis takes it back as that until then)
LET_GO_FIRST_S = 2.0       # a held breath told after the hold waits this long into the let-go that follows
                           # (at most to its end): its warning took the screen from *Laat los* (trial92: 107
                           # of 143 in basis; in 89 the simulated user then held on, its letting go 56-70)
RELAX_FIRST = cues.RELAX_FIRST    # the phase that waits for the floor to let go before a lift (its cue)
RELAX_FIRST_PCT = 20.0     # a lift is cued only with the floor at most this far up (% of maximum) ...
RELAX_WAIT_MAX_S = 12.0    # ... waiting at most this long for it (then the lift comes anyway)
ASKS_TO_LIFT = ("lift", "flick", "cough", "calibrate_max")    # phases that begin with a lift from rest
_LIFTED = (LIFT, HOLD)      # the analysis's states of a floor lifted
HOLDING_KINDS = ("lift", "floor", "calibrate_max")   # steps that hold a lift (a held breath is told)
# letting go (ontspannen) is cued "Laat los" when tension is back at rest for TENSE_CUE_S, or a
# paced breath moved the floor less than FOLLOW_LOW (`BreathFollowing`); at most every
# LET_GO_REPEAT_S, and LET_GO_INTO_EXHALE_S into an exhale, after its sound (letting go is
# practised on the breath out, 004) -- missed by more than LET_GO_WINDOW_S, at the next one
# (DUE_TONE: why it waits; dropped if the floor lets go meanwhile)
TENSE_CUE_S = 3.0
TENSE_CUE_TONES = 1.5      # ... from this many let-go tolerances on (the level's slow wander moves a
                           # relaxed floor's resting level up to about 1.4 tolerances below its reference)
FOLLOW_LOW = 0.5
LET_GO_REPEAT_S = 15.0
LET_GO_INTO_EXHALE_S = 1.0
LET_GO_WINDOW_S = 0.5
DUE_NONE, DUE_TONE, DUE_BREATH = 0, 1, 2
FOLLOW_FULL = 0.7          # a step's breaths moved with this much count as fully free
TONE_EVERY_S = 0.05        # the tone meter's update interval
TENSION_FULL_K = 5.0       # the live tension bar is full at this many let-go tolerances
# a lift's letting go: scored for its speed from LET_GO_QUICK_S (full) to SLOW_LET_GO_S (nothing), and
# from there counted slow -- let go in the end, no mistake, but 001's "ontspan volledig" after each lift
# comes that late (an over-tense floor in `basis` took 7-10 s every time: a trial)
LET_GO_QUICK_S = 1.0
SLOW_LET_GO_S = 5.0
# An over-tense floor letting go raises the pressure: in `ontspannen` its let-go right after the
# warm-up (0.12 kPa over 3 s) passed the push threshold the warm-up's quiet, guarded breaths had set
# (0.046 kPa; 0.24 once the paced breaths are learnt) and was warned *Niet persen!* (a new user's
# trial: 1 session in 4; each such "push" keeps the threshold from learning, so up to four in a
# row). So, in a paced breath that lifts nothing, while the thresholds have learnt from less than
# YOUNG_REST_S of settled rest, a rise confirmed more than LET_GO_CONFIRM_S after it began is taken
# for letting go -- not warned, not counted -- unless it grows past LET_GO_MAX_K x the push threshold
# (the trial's let-go: 2.5 x), when it is warned and counted then.
YOUNG_REST_S = 20.0
LET_GO_CONFIRM_S = 0.5
LET_GO_MAX_K = 3.0


@dataclass(frozen=True)
class Cue:
    t: float                # session seconds
    cue: str                # a stable id of `session.cues`
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ContractionScore:
    """How one repetition's contraction went (over all its floors in the lift exercise)."""

    kind: str               # the step kind, "lift+floor" for floors scored together
    right_direction: bool   # it was a lift, not a push
    pushed: bool
    glute: bool             # the buttocks helped: compensation, half the score
    held_breath: bool
    on_exhale: bool | None  # whether the lift began on an exhale (None: not seen)
    target_pct: float | None    # the height asked (None: none, a gentle lift judged by its direction)
    reached_pct: float | None   # the peak, kept rounded down (`levels.reached_pct`): F judges it as shown;
                                # None: not measured (a gentle lift judged by its direction, no maximum known)
    time_to_target_s: float | None
    hold_s: float           # time held (`Coach._hold_counted_s`: in the target band, or a tiring floor's above 65 %)
    steadiness: float | None    # 1 = held without wavering; None with no hold to judge (a flick, a push)
    score: float            # 0-100
    cough_lead_s: float | None = None      # knack (cough steps): how long the lift led the cough,
    cough_held: bool | None = None         # ... whether the lift was still on when it was over
    cough_below_rest: bool | None = None   # ... and whether the pressure stayed below rest
    done_well: bool = False                # scored and held well enough to count in R (`levels.done_well`)
    breath_judged: bool | None = None      # held long enough for a held breath to show (None: no hold)
    asked_hold_s: float = 0.0              # the hold asked (0: none, or "as long as possible")
    hold_span_s: float | None = None       # from the hold's start to the step's end (None: no hold)
    assess: str | None = None              # in an assessment, the part its step measures (the endurance minute...)
    held_up_s: float = 0.0                 # of the hold, the time above half the maximum: the floor still up

    def as_dict(self) -> dict:
        out = {"kind": self.kind, "right_direction": self.right_direction, "pushed": self.pushed,
               "glute": self.glute, "held_breath": self.held_breath, "on_exhale": self.on_exhale,
               "target_pct": self.target_pct, "reached_pct": self.reached_pct,
               "time_to_target_s": self.time_to_target_s, "hold_s": self.hold_s,
               "steadiness": self.steadiness, "score": self.score}
        if self.kind == "cough":
            out["cough_lead_s"] = self.cough_lead_s
            out["cough_held"] = self.cough_held
            out["cough_below_rest"] = self.cough_below_rest
        out["done_well"] = self.done_well
        out["breath_judged"] = self.breath_judged
        if self.assess is not None:
            out["assess"] = self.assess
        return out


@dataclass(frozen=True)
class RelaxationScore:
    """How one repetition's letting go went; all None when it is not scored (no lift first).

    `tone_kpa`: how far, on average, the resting floor sat lifted above this person's most
    relaxed level (`session.relaxation`); `relaxed_share`: the share of the time it was
    let go (a lift in a step that asks for none counts as tense); `excursion_share`: the
    breath's swing at rest against its swing while let go (at most 1); `with_breath_share`:
    in a paced breathing step, how much of the floor's movement in each breath was the
    breath's (`session.relaxation.BreathFollowing`)."""

    time_to_let_go_s: float | None = None
    residual_pct: float | None = None
    pushed: bool | None = None
    score: float | None = None
    tone_kpa: float | None = None
    relaxed_share: float | None = None
    excursion_share: float | None = None
    with_breath_share: float | None = None

    def as_dict(self) -> dict:
        return {"time_to_let_go_s": self.time_to_let_go_s, "residual_pct": self.residual_pct,
                "pushed": self.pushed, "score": self.score, "tone_kpa": self.tone_kpa,
                "relaxed_share": self.relaxed_share, "excursion_share": self.excursion_share,
                "with_breath_share": self.with_breath_share}


@dataclass(frozen=True)
class RepScore:
    series: int
    rep: int
    contraction: ContractionScore | None
    relaxation: RelaxationScore
    squeezes: int = 0       # quick squeezes after its main lift made the right way (contractions too)

    def as_dict(self) -> dict:
        return {"series": self.series, "rep": self.rep,
                "contraction": None if self.contraction is None else self.contraction.as_dict(),
                "relaxation": self.relaxation.as_dict(), "squeezes": self.squeezes}


@dataclass(frozen=True)
class Perfect:
    """The PERFECT terms of the session."""

    power: float | None     # kPa: the best lift with the floor alone (not with the buttocks); None
    power_pct_max: float | None   # when no lift was asked (letting go)
    endurance_s: float | None     # the longest hold (as `hold_s` counts it)
    repetitions: int        # well-executed lifts (score >= 50)
    fast: int               # quick flicks reaching 50 % of maximum


MISTAKE_KINDS = ("bear_down", "breath_hold", "not_let_go", "glute", "no_lift")   # `Errors`' kinds, as shown


@dataclass(frozen=True)
class Errors:
    """Mistakes by kind, each counted once: a push is one `bear_down` (warned), whether or
    not a lift was asked for; `wrong_direction` says how many of the lifts asked for were
    pushes instead (already counted in `bear_down`, so not in `total`)."""

    bear_down: int
    not_let_go: int
    wrong_direction: int    # lifts that were pushes instead: part of bear_down
    no_lift: int
    glute: int
    breath_hold: int

    @property
    def total(self) -> int:
        return self.bear_down + self.not_let_go + self.no_lift + self.glute + self.breath_hold


@dataclass(frozen=True)
class Relaxation:
    """The session's letting go: the resting tone against the relaxed reference (kPa, and
    % of the maximum when one was measured or stored), the share of resting time let go,
    the breath's freedom, how far the floor moved with a paced breath (None: no paced
    breathing), the mean time to let go; and the waits for a full release
    before a lift (*Eerst helemaal loslaten*): how many, how long in all, and how many
    ran out (the lift came with the floor still up)."""

    tone_kpa: float | None
    tone_pct_max: float | None
    relaxed_share: float | None
    excursion_share: float | None
    with_breath_share: float | None
    let_go_s: float | None
    waits: int
    wait_s: float
    wait_timeouts: int


@dataclass(frozen=True)
class Knack:
    lead_s: float | None
    held: bool | None
    below_rest: bool | None

    @property
    def led(self) -> bool:
        """The knack made: `knack_led`."""
        return knack_led(self.lead_s, self.held)

    @property
    def in_time(self) -> bool:
        """The lift led the cough (`lifted_in_time`), kept through it or not."""
        return lifted_in_time(self.lead_s)


def lifted_in_time(lead_s: float | None) -> bool:
    """The lift led the cough by KNACK_LEAD_S at least."""
    return lead_s is not None and lead_s >= KNACK_LEAD_S


def knack_led(lead_s: float | None, held: bool | None) -> bool:
    """The knack made: the lift led the cough (`lifted_in_time`) and was not let go with it (`held`
    None: not known, a cough at the step's end)."""
    return lifted_in_time(lead_s) and held is not False


UNHELD = ("breathe", "flick")      # the steps that ask no hold: no E (the longest hold) from them
SHORTFALLS = ("low", "high", "brief", "slow")     # what a lift with no mistake missed its target by
JOINED = "+"               # a repetition of several contractions: their kinds so joined ("lift+floor")


def _lifted(parts: list[ContractionScore]) -> bool:
    """A repetition's contractions (the lift exercise's floors) lifted: in one or more, and pushed in
    none -- a weak floor that sagged back to rest in a later floor lifted all the same (*1x niet
    opgetild*, *verkeerde richting* beside 51 %: a trial)."""
    return any(p.right_direction for p in parts) and not any(p.pushed for p in parts)


def shortfall(c: ContractionScore) -> str:
    """What a lift made the right way, with no mistake, and not done well missed by: too low
    (it never reached its band, and was not let go early: held at all -- a tiring floor's
    all-out hold may count as held below the band, `Coach._hold_counted_s`, for less than it was
    asked -- it stayed above half the maximum for `held_share` of the time asked: the floor held
    on, lower; a trial's man after prostate surgery, his all-out holds peaking at 62-70 % as he
    tired and held through every countdown, was told *meestal te kort*), too high (its peak went
    over the band), too brief (held less than `held_share` of the time asked), else too slow -- the
    score's other parts, reaching the band late (and a hold that wavered). A repetition of the lift
    exercise's floors (its kind "lift+floor") that never reached its highest is too low: a weak floor
    peaking at 50-73 % of floor 4 and sagging read *te kort*, advised to hold on (a review)."""
    share = held_share(c.kind)
    if c.time_to_target_s is None and (not c.hold_s or c.held_up_s >= share * c.asked_hold_s
                                       or JOINED in c.kind):     # (floors: their highest never reached)
        return "low"
    if c.reached_pct is not None and c.reached_pct > band_top_pct(c.target_pct):
        return "high"
    if c.hold_s < share * c.asked_hold_s:
        return "brief"
    return "slow"


def mostly(missed: list[ContractionScore]) -> str | None:
    """The `shortfall` most of `missed` share (the first of SHORTFALLS on a tie); None without one."""
    counts = [sum(shortfall(c) == why for c in missed) for why in SHORTFALLS]
    return SHORTFALLS[counts.index(max(counts))] if missed else None


def paced_not_let_go(relaxed_share: float | None, with_breath_share: float | None, score: float | None) -> bool:
    """A repetition of paced breaths that asks no lift (`ontspannen`) not let go (*niet helemaal
    los*), by the figures its `RelaxationScore` keeps: let go less than half the time (or never
    seen resting), not moving with the breath (`FOLLOW_LOW`), or scored as a floor that did not
    let go (`let_go_first`: *Niet helemaal los 1/3* beside three steps under 30, a trial). One rule
    for the coach's count and the report's repetitions."""
    return (relaxed_share is None or relaxed_share < 0.5
            or with_breath_share is not None and with_breath_share < FOLLOW_LOW or let_go_first(score))


def breath_judged_part(holds: int, judged: int) -> int | None:
    """How many of a session's `holds` were long enough to judge the breath in (`judged`), where
    that is fewer than all (0 to holds - 1): a count of held breaths then says only what those
    showed, and is shown with it (*0/1*, *0 van 1 beoordeeld*) -- else None (every hold judged,
    or none made). One rule for the history, the report and the export, with `breath_not_judged`
    (none of them judged: the end screen's advice too) and their stored forms (`stored_holds`)."""
    return judged if judged < holds else None


def breath_not_judged(holds: int, judged: int, breath_holds: int) -> bool:
    """No held breath seen, and none could have been: the session held contractions, none of
    them long enough for one to show (`breath_judged_part` 0): no count at all."""
    return breath_judged_part(holds, judged) == 0 and breath_holds == 0


def stored_holds(summary: dict) -> tuple[int, int, int] | None:
    """A stored summary's holds, holds judged for a held breath and held breaths; None for one
    from before the holds judged were kept, or damaged (its count of held breaths shows as it is)."""
    errors = summary.get("errors")
    values = (summary.get("holds"), summary.get("holds_breath_judged"),
              errors.get("breath_hold") if isinstance(errors, dict) else None)
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values):
        return None
    return values


def stored_breath_not_judged(summary: dict) -> bool:
    """`breath_not_judged` of a stored summary (False where `stored_holds` is None)."""
    kept = stored_holds(summary)
    return kept is not None and breath_not_judged(*kept)


def stored_breath_judged_part(summary: dict) -> int | None:
    """`breath_judged_part` of a stored summary (None where `stored_holds` is None)."""
    kept = stored_holds(summary)
    return None if kept is None else breath_judged_part(kept[0], kept[1])


@dataclass(frozen=True)
class CoachSummary:
    """What the session came to: the maximum used, PERFECT, the mean scores, the errors."""

    max_drop_kpa: float
    perfect: Perfect
    contraction_score: float | None
    relaxation_score: float | None
    errors: Errors
    coughs: int
    lifts_on_exhale: int
    lifts_timed: int
    knack: tuple[Knack, ...]
    relaxation: Relaxation
    lifts_asked: int = 0    # lifts (not flicks) asked for: "good n of lifts_asked"
    holds: int = 0          # contractions held (a held breath could show in them) ...
    holds_breath_judged: int = 0   # ... of them, held long enough for it to show (HOLD_WHOLE_PERIODS breaths)
    short: int = 0          # lifts asked, made the right way with no mistake in them, not done well: too
                            # low, too high, too brief or too slow (a weak floor's commonest, which no mistake
                            # names); none in an assessment, whose lifts ask for the most, no target
    short_mostly: str | None = None    # what most of them missed by (`shortfall`; None: none missed)
    flicks: int = 0         # quick squeezes made, of which `perfect.fast` reached half the maximum
    asks_maximal: bool = False     # some lift asked for all the user has (`Programme.asks_maximal`): the
                                   # power says how strong the floor is (kept, so read without the programme)
    let_go_judged: int = 0  # the repetitions whose letting go was judged: `errors.not_let_go` counts in them
                            # (*Niet helemaal los 3/3*; the *Laat los* cues are no count: 5 in 3 of them, a trial)
    relaxations: int | None = None   # the repetitions `relaxation_score` is the mean of (none after a push: a trial
                                     # read *Loslaten 97%* of 4 as the letting go of 24 lifts, 20 of them
                                     # pushes; None: not known)
    slow_let_go: int = 0    # of `let_go_judged`, a lift's let go in the end but SLOW_LET_GO_S or more after it
                            # (none in an assessment: its letting go is its own figure)

    @property
    def breath_mostly_not_judged(self) -> bool:
        """No held breath seen, and most holds too short for one to show: no praise for breathing on
        that so little backs (*Goed zo!* with 1 of 18 holds judged: a trial)."""
        return self.errors.breath_hold == 0 and self.holds_breath_judged < 0.5 * self.holds

    def as_dict(self) -> dict:
        return {"max_drop_kpa": self.max_drop_kpa, "perfect": asdict(self.perfect),
                "contraction_score": self.contraction_score, "relaxation_score": self.relaxation_score,
                "errors": asdict(self.errors), "coughs": self.coughs, "lifts_on_exhale": self.lifts_on_exhale,
                "lifts_timed": self.lifts_timed, "knack": [asdict(k) for k in self.knack],
                "relaxation": asdict(self.relaxation), "lifts_asked": self.lifts_asked,
                "holds": self.holds, "holds_breath_judged": self.holds_breath_judged, "short": self.short,
                "short_mostly": self.short_mostly, "flicks": self.flicks, "asks_maximal": self.asks_maximal,
                "let_go_judged": self.let_go_judged, "relaxations": self.relaxations,
                "slow_let_go": self.slow_let_go}


@dataclass
class Phase:
    """What the coach is doing now; `view` says what the screen should show."""

    kind: str               # calibrate_rest, calibrate_max, calibrate_rest_between, series_rest, or a step kind
    start_s: float
    end_s: float            # may move (a "max" hold ends when the user tires)
    step: Step | None = None
    series: int = 0
    rep: int = 0
    index: int = 0
    hold_start_s: float | None = None     # when the hold began (an "as long as possible" hold counts up)


def _exhaled_s(elapsed_s: float, inhale_s: float, exhale_s: float) -> float:
    """The seconds of exhale in the first `elapsed_s` of a paced breathing step (each breath an
    inhale, then an exhale)."""
    breaths, into_s = divmod(elapsed_s, inhale_s + exhale_s)
    return breaths * exhale_s + min(max(0.0, into_s - inhale_s), exhale_s)


class _StepMeter:
    """Collects what happened during one lift/flick/relax step, for scoring."""

    def __init__(self, start_s: float, all_out: bool = False) -> None:
        self.start_s = start_s
        self.peak_pct = 0.0
        self.reached_s: float | None = None
        self.hold_start_s: float | None = None
        self.held_s = 0.0                      # in the band
        self.below_s = 0.0                     # ... and below where it counts, since it was last back there
        self.back_s = 0.0                      # ... for SINKING_BACK_S
        self.n = 0
        self.sum = 0.0
        self.sum2 = 0.0
        self.let_go_s: float | None = None
        self.tail_sum = 0.0
        self.tail_n = 0
        self.tail_s = RESIDUAL_TAIL_S             # a relax step's last seconds (or breath: set as it starts) ...
        self.base_start_kpa: float | None = None  # an assessment's relax steps: the analysis' resting
        self.base_end_kpa: float | None = None    # baseline at their first and last sample
        self.seated_tail_sum = 0.0                # ... of it, while seated (not getting up)
        self.seated_tail_n = 0
        self.pushed = False
        self.warned = False
        self.breath_phase = ""
        self.from_rest = False                 # breathe: the floor let go in the inhale before this exhale ...
        self.rest_peak_pct = 0.0               # ... and the highest it lifted from there
        self.all_out = all_out                 # an all-out hold of a time asked in training (`all_out_timed`)
        self.hold_n = 0
        self.hold_sum = 0.0
        self.hold_sum2 = 0.0
        self.glute = False
        self.held_breath = False
        self.on_exhale: bool | None = None     # did the step's lift begin on an exhale? ...
        self.timed_lift: Event | None = None   # ... the lift that told (retracted: untold again)
        self.cough_lead_s: float | None = None # knack: how long the lift led the cough
        self.cough_t = -1.0                    # ... when the cough was over (-1: none yet)
        self.cough_held: bool | None = None
        self.cough_below_rest: bool | None = None
        self.hold_cued = False                 # ... and the hold after it asked (once *Hoest nu!* was)
        self.rest: RestLevels | None = None    # letting go steps: the resting levels
        self.following: BreathFollowing | None = None   # ... and, paced, how the floor moves with the breath
        self.cued_t = -1.0                     # when "Laat los" was cued and not yet followed
        self.let_go_sum = 0.0                  # ... and how long letting go took after each
        self.let_go_n = 0
        self.peak_s: float | None = None       # an assessment's figures: when the level peaked,
        self.above_half_s = 0.0                # the time held above half the maximum,
        self.above_endurance_s = 0.0           # ... and above ENDURANCE_PCT (E of PERFECT),
        self.hold_x = self.hold_xx = self.hold_xy = 0.0   # the level's trend over the hold (x: s into it),
        self.swing_sum = 0.0                   # and the breath's swing at rest (kPa)
        self.swing_n = 0

    def tail_pct(self) -> float | None:
        """The level's mean over the step's last seconds, while seated if the user was at all then
        (getting up as a let-go ends is no residual; a lean or a squeeze is read as it was); None
        without a sample there."""
        if self.seated_tail_n:
            return self.seated_tail_sum / self.seated_tail_n
        return self.tail_sum / self.tail_n if self.tail_n else None


class Coach:
    """Coaches `programme` from `analyzer`'s state and notices.

    `outbox` holds the cues of the latest `update()` (emptied when the next one starts):
    the caller hands them on after each tick.
    """

    def __init__(self, programme: Programme, analyzer: Analyzer, *,
                 max_drop_kpa: float | None = None, last_max_kpa: float | None = None) -> None:
        self.programme = programme
        self.analyzer = analyzer
        self.last_max_kpa = last_max_kpa      # the maximum an earlier day measured: the calibration's scale
        self._notices = analyzer.notices      # the analysis' latest notices (one list, emptied every step)
        self.outbox: list[Cue] = []
        self.max_drop_kpa: float | None = None
        if max_drop_kpa is not None:
            self._know_maximum(max_drop_kpa)
        self.reps: list[RepScore] = []
        self.bear_down_warnings = 0
        self.calibration_peaks_kpa: list[float] = []
        self.calibration_deepest_kpa = 0.0     # the lowest level in the maximal lifts (when none completes)
        self._calibration_before_kpa = 0.0     # ... as it was when the maximal lift under way began
        self._calibration_rep = 0              # ... that lift's number
        self.max_measured = False              # this session measured the maximum (calibration saw a lift)
        self.tiring_from_pct: float | None = None   # the peak of the last all-out hold counted as a tiring
                                                    # floor's, or of the last maximal lift (`_hold_counted_s`)
        self.level_pct = 0.0
        # no maximum known and none to be measured: the gentle lifts on the exhale are judged by their
        # direction -- lifted while the analysis sees a lift, from a floor let go in the inhale -- and
        # the levels are read against the maximum the deepest lift so far implies, taken for the top of
        # the band asked -- no more lenient with letting go than the maximum would be -- (its depth
        # `_gentle_kpa`, the maximum `_implied_max_kpa`; before one, let go is within the analysis'
        # tolerance); a lift taken back (getting up) leaves them as they were before it
        self.by_direction = (max_drop_kpa is None and programme.asks_lift
                             and not programme.calibrates(max_known=False))
        self._gentle_kpa = self._implied_max_kpa = 0.0
        self._gentle_lift: Event | None = None      # the lift under way they follow ...
        self._gentle_before = (0.0, 0.0)            # ... and both before it
        self.done = False
        self.phase: Phase | None = None
        self._plan = plan(programme, max_known=max_drop_kpa is not None)
        self._plan_i = -1
        self._t = 0.0
        self._meter: _StepMeter | None = None
        self._rep_parts: list[ContractionScore] = []
        self._rep_relaxation: RelaxationScore | None = None
        self._rep_squeezes = 0             # quick squeezes after the repetition's main lift, made
        self.not_let_go = 0
        self.let_go_judged = 0      # the relax steps judged: what `not_let_go` counts in
        self.slow_let_go = 0        # ... and of a lift's, those let go SLOW_LET_GO_S or more after it
        self._rep_begun = (0, 0, 0, 0, 0)   # at the repetition under way's start: records kept, those counts
                                            # and the quick squeezes after holds
        self.glute_warnings = 0
        self._glute_seen: Event | None = None     # a squeeze waiting for its warning ...
        self._glute_meter: _StepMeter | None = None   # ... and the step it happened in
        self.breath_hold_warnings = 0
        self._breath_cue_due_t = math.inf     # a held breath told after the hold, waiting for *Laat los* ...
        self._breath_cue_after = ""           # ... and what it says it was in
        self.coughs = 0
        self.extra_flicks: list[ContractionScore] = []     # flicks after a repetition's main contraction
        paces = [s.inhale_s + s.exhale_s for s in programme.steps if s.kind == "breathe"]
        # settle: a breath cycle of the pace asked; room for a whole breath of it
        self.tone = ToneMeter(every_s=TONE_EVERY_S, settle_s=max(paces) if paces else 0.0,
                              max_period_s=max(paces + [ToneMeter.MAX_PERIOD_S]))
        self._tone_due_t = 0.0                    # the tone meter's next update ...
        self._quiet = False                       # ... and whether the floor rested then
        self._judged_t = -1.0                     # the last whole-hold judgement seen (`_mark_last_hold`)
        self._tense_since = -1.0                  # letting go: when tension came back (-1: let go)
        self._contracting = False                 # ... and whether the analysis sees a lift in it
        self._let_go_cued_t = -1e9
        self._let_go_rise: Event | None = None    # a rise taken for letting go, not a push (YOUNG_REST_S) ...
        self._let_go_max_kpa = 0.0                # ... warned once it rises past this after all
        self._let_go_due = DUE_NONE               # ... and one waiting for the next exhale, and why
        self._paced_before = False                # a paced breathing step came before
        self._follow_sum = 0.0                    # the paced breaths judged so far, their shares' sum
        self._follow_n = 0
        self._resumed_s: list[float] = []         # when the session went on after a pause
        self._breath_free: float | None = None    # the last paced breath's following (`FOLLOW_FULL`: 1;
                                                  # kept into the next step: the floor's, not the step's)
        self.relax_waits = 0
        self.relax_wait_s = 0.0
        self.relax_wait_timeouts = 0
        self.records: list[StepRecord] | None = [] if programme.assesses else None   # an assessment's steps

    @property
    def held_s(self) -> float:
        """How long the step under way has held its target band so far (0 with no step): the
        seconds an "as long as possible" hold counts up."""
        return self._meter.held_s if self._meter is not None else 0.0

    @property
    def knack_just_made(self) -> Knack | None:
        """The knack of the repetition under way while it is let go right after its cough, as the end
        screen counts it (`knack_led`), where its one lift is that cough and a cough was seen; else None
        (a physiotherapist's repetition of a lift and a cough, or of two coughs, is counted otherwise,
        or not: nothing is said that the end screen would not say -- a review)."""
        phase = self.phase
        if phase is None or phase.kind != "relax" or phase.index == 0 or len(self._rep_parts) != 1:
            return None
        part = self._rep_parts[0]
        if self.programme.steps[phase.index - 1].kind != "cough" or part.kind != "cough" \
                or part.cough_lead_s is None and part.cough_held is None:
            return None
        return Knack(part.cough_lead_s, part.cough_held, part.cough_below_rest)

    @property
    def sinking(self) -> bool:
        """The hold under way has stayed for SINKING_S below where its time counts as held (its
        band; an all-out hold of a floor tiring, ENDURANCE_PCT): the end screen would say *meestal
        te laag*, so the screen asks a little higher until the level has been back there for
        SINKING_BACK_S. Not in the knack, nor in an assessment, which measures what the floor does
        (its endurance counts above ENDURANCE_PCT, its holds ask no band: a review)."""
        m = self._meter
        return (m is not None and m.below_s >= SINKING_S and self.records is None and self.phase is not None
                and self.phase.kind in ("lift", "floor"))

    @property
    def getting_up(self) -> bool:
        """A quarter of the seat's load is gone (GETTING_UP_SHARE): the user is getting up, and the
        pressure's fall is the cushion unloaded, no lift (the screen showed floor 4 for a second and a
        half before its pause: a trial)."""
        return self.analyzer.unloaded_share >= GETTING_UP_SHARE

    @property
    def calibration_pct(self) -> float:
        """The level in the calibration, against the best it has to go by: the deepest of its
        earlier maximal lifts (past the analysis' lift threshold: rest's noise is none) or the
        maximum an earlier day measured (`last_max_kpa`), whichever is more -- for the first lift of
        a first calibration, DEFAULT_MAX_KPA; a lift past it stands at the top; in the rest after a
        lift, that scale or the lift, whichever is more (so the let-go falls, never jumps up). The
        maximum is what the calibration measures, and against that guess alone a weak floor's every
        lift reached floor 2 of 4, as if it could do twice as much (a trial: an invitation to strain,
        and push)."""
        a = self.analyzer
        depth = -a.deviation_kpa
        if depth <= 0.0:
            return 0.0
        floor_kpa = a.thresholds.lift_level_kpa
        before = self._calibration_before_kpa
        best = max(before if before > floor_kpa else 0.0, self.last_max_kpa or 0.0) or DEFAULT_MAX_KPA
        if self.phase is None or self.phase.kind != "calibrate_max":
            # in the rest after a lift, the lift's scale or the lift itself, whichever is more: a strong
            # floor's let-go stood pinned at the top against the guess (a review), a weak one's jumped
            # from floor 1.5 to 3 as its own 0.4 kPa took the 1 kPa guess's place (a trial)
            deepest = self.calibration_deepest_kpa
            best = max(best, deepest if deepest > floor_kpa else 0.0)
        return 100.0 * depth / max(best, depth)

    @property
    def tension_pct(self) -> float:
        """The tension for the bar (ontspannen): 0 let go, 100 at `TENSION_FULL_K` x the let-go
        tolerance or more held at rest (live) -- or, where more, as far as the last paced breath
        judged did not move the floor (once a breath; the score's part of it, `FOLLOW_FULL`): a
        floor tense all the time is its own rest, and the bar stood empty through an over-tense
        floor's session scored 22 (a trial)."""
        full = TENSION_FULL_K * self.analyzer.thresholds.let_go_kpa
        tension_kpa = self.tone.tone_kpa        # frozen while the analysis sees a lift: then the lift's depth
        if self._contracting and -self.analyzer.deviation_kpa > tension_kpa:
            tension_kpa = -self.analyzer.deviation_kpa
        held_pct = min(100.0, 100.0 * tension_kpa / full) if full > 0.0 else 0.0
        free = self._breath_free
        guarded_pct = 0.0 if free is None else 100.0 * (1.0 - free)
        return guarded_pct if guarded_pct > held_pct else held_pct

    # --- plan -------------------------------------------------------------------------------
    def resume(self, t: float) -> None:
        """Carry on at session time `t` after a pause (the user stood up, or the sensor
        failed): after a settle phase in which the analyzer warms up again, the
        interrupted repetition starts again from its first step, or the interrupted
        calibration phase again (the maximal lifts it measured before still count).
        Nothing of the unfinished repetition is scored, nor kept among an assessment's records."""
        if self.done or self.phase is None:
            return
        self._forget_gentle_lift()      # (under way as they got up: the restart takes it back unsaid)
        i = self._plan_i
        item = self._plan[i]
        if item.step is not None:
            i -= item.index
            # its steps judged so far are not the repetition's either (an assessment, one repetition of
            # all its parts, counted the abandoned attempt's releases beside the one made again: review c)
            kept, self.let_go_judged, self.not_let_go, self.slow_let_go, squeezes = self._rep_begun
            if self.records is not None:
                del self.records[kept:]
            del self.extra_flicks[squeezes:]      # (counted, and a strength, beside the ones made again: a review)
        self._plan.insert(i, SETTLE)
        self._plan_i = i - 1
        self._tell_breath_cue()                  # (a held breath waiting is told, not lost)
        self.phase = self._meter = self._glute_seen = self._let_go_rise = None
        self._contracting = False
        self._rep_parts = []
        self._rep_relaxation = None
        self._rep_squeezes = 0
        self.tone.reset()              # sat down anew: another spot on the cushion
        self._breath_free = None       # ... and the breaths before it are not this sitting's
        self._resumed_s.append(t)      # (an assessment's rests then tell no drift across it)
        self._tense_since = -1.0
        self._t = t                  # the next update() starts the settle phase and cues it

    # --- per tick ---------------------------------------------------------------------------
    def update(self, t: float) -> None:
        """Advance to session time `t` (seconds); call once per analysed sample (after the
        analyzer's step: `session.pairs`)."""
        if self.outbox:
            self.outbox.clear()
        if self.done:
            return
        dt = t - self._t
        self._t = t
        a = self.analyzer
        for notice in self._notices:
            self._on_notice(notice)
        if self._let_go_rise is not None:
            self._watch_let_go()
        glute = self._glute_seen
        if glute is not None and t - glute.detected_at >= GLUTE_CUE_DELAY_S:
            self._glute_seen = None
            self.glute_warnings += 1
            if self._glute_meter is not None:
                self._glute_meter.glute = True
            self._cue(cues.WARN_GLUTES)
        if t >= self._breath_cue_due_t:
            self._tell_breath_cue()
        state = a.state
        max_kpa = self.max_drop_kpa or self._implied_max_kpa or DEFAULT_MAX_KPA
        self.level_pct = level = -a.deviation_kpa / max_kpa * 100.0 if state != WARMUP else 0.0
        if t >= self._tone_due_t:                       # the resting tone moves over seconds: 20 Hz will do
            self._quiet = state != WARMUP and a.quiet
            if state != WARMUP:
                self.tone.step(t - self._tone_due_t + TONE_EVERY_S, a.level_kpa, a.breath.band_kpa,
                               self._breath_period_s(self.phase), a.thresholds.let_go_kpa, not self._quiet)
            due = self._tone_due_t + TONE_EVERY_S       # on the grid (its means count steps as
            self._tone_due_t = due if due > t else t + TONE_EVERY_S   # time), unless a gap was longer
            if a.breath_holds.judged_t != self._judged_t:      # a hold judged whole as it was let go
                self._judged_t = a.breath_holds.judged_t
                self._mark_last_hold(False)
        quiet = self._quiet
        phase = self.phase
        if phase is not None:
            kind = phase.kind
            if kind == "calibrate_max":
                if phase.rep != self._calibration_rep:          # the next maximal lift: the best before it
                    self._calibration_rep = phase.rep
                    self._calibration_before_kpa = self.calibration_deepest_kpa
                if (state != WARMUP and not a.pushing and not self.getting_up
                        and -a.deviation_kpa > self.calibration_deepest_kpa):    # (the cushion unloaded: no lift)
                    self.calibration_deepest_kpa = -a.deviation_kpa
            elif kind == RELAX_FIRST and level <= LET_GO_PCT:
                phase.end_s = t                         # let go: the lift may come
        if phase is None or t >= phase.end_s:
            self._next_phase(t)
            if self.done:
                return
            phase = self.phase
        meter = self._meter
        step = phase.step
        if meter is None or step is None:
            return
        meter.n += 1
        meter.sum += level
        meter.sum2 += level * level
        if level > meter.peak_pct:
            meter.peak_pct = level
            meter.peak_s = t
        kind = step.kind
        if kind in ("lift", "floor", "cough"):
            in_band = step.target_pct - BAND_PCT <= level <= band_top_pct(step.target_pct)
            # the level is a lift's once the analysis has seen one, or it lies as deep as a slow
            # lift's (well below a breath's trough): an exhale lowers the pressure too -- for a
            # weak floor, into its first floor's band
            lifted = state in _LIFTED or -a.deviation_kpa > SLOW_DEPTH * a.thresholds.lift_level_kpa
            if meter.reached_s is None and in_band and lifted:
                meter.reached_s = t
            if kind == "cough":
                if not meter.warned and t - meter.start_s >= step.rise_s:
                    meter.warned = True
                    self._cue(cues.COUGH_NOW)
                if meter.cough_held is None and meter.cough_t >= 0.0 and t - meter.cough_t >= KNACK_SETTLE_S:
                    meter.cough_held = level >= KNACK_KEPT_SHARE * step.target_pct   # not let go with the cough
            if meter.hold_start_s is None and (meter.reached_s is not None or t - meter.start_s >= step.rise_s
                                              and level > LET_GO_PCT and lifted and not a.pushing):
                # "hold" only what is lifted: after a push the screen and the buzzer go on asking for the lift
                meter.hold_start_s = phase.hold_start_s = t
                if kind != "cough":
                    self._cue(cues.HOLD, seconds=_hold_text(step))
                    phase.end_s = t + (MAX_HOLD_S if math.isinf(step.hold_s) else step.hold_s)
            if meter.hold_start_s is not None and not (kind == "cough" and meter.warned and a.spiking):
                # (the knack's own cough, asked for, is no wavering of the floor: its spike stays out of
                # the hold's figures; elsewhere a sharp rise may be the floor let go, and counts as it is)
                meter.hold_n += 1
                meter.hold_sum += level
                meter.hold_sum2 += level * level
                x = t - meter.hold_start_s
                meter.hold_x += x
                meter.hold_xx += x * x
                meter.hold_xy += x * level
                if level >= HALF_PCT:
                    meter.above_half_s += dt
                    if level >= ENDURANCE_PCT:
                        meter.above_endurance_s += dt
                held = in_band if kind != "cough" else level >= KNACK_KEPT_SHARE * step.target_pct
                counts_from = (ENDURANCE_PCT if meter.all_out and self._tiring(meter.peak_pct, step.target_pct)
                               else step.target_pct - BAND_PCT)     # as `_hold_counted_s` would count it now
                if level < counts_from:
                    meter.below_s += dt
                    meter.back_s = 0.0
                else:
                    meter.back_s += dt
                    if meter.back_s >= SINKING_BACK_S:
                        meter.below_s = 0.0
                if held:
                    meter.held_s += dt
                elif math.isinf(step.hold_s) and t - meter.hold_start_s > 2.0 \
                        and level < 0.5 * step.target_pct:
                    phase.end_s = t                     # tired: the "as long as possible" hold is over
        elif kind == "flick":
            if meter.reached_s is None and level >= step.target_pct - BAND_PCT:
                meter.reached_s = t
        elif kind == "relax":
            self._watch_rest(meter, dt, quiet)
            if self.records is not None:          # an assessment: the cushion's drift, from its rests
                if meter.base_start_kpa is None:
                    meter.base_start_kpa = a.baseline_kpa
                meter.base_end_kpa = a.baseline_kpa
            if meter.let_go_s is None and level <= LET_GO_PCT:
                meter.let_go_s = t
            if phase.end_s - t <= meter.tail_s:
                meter.tail_sum += level
                meter.tail_n += 1
                if not self.getting_up:                   # (getting up as it ends is no residual)
                    meter.seated_tail_sum += level
                    meter.seated_tail_n += 1
            if meter.let_go_s is None and t - meter.start_s > min(4.0, 0.6 * step.duration_s) \
                    and not meter.warned and level > self._exhale_allows_pct(max_kpa):
                meter.warned = True
                self._cue(cues.WARN_LET_GO)
        elif kind == "breathe":
            if step.target_pct <= 0:
                self._contracting = state in _LIFTED
                self._watch_rest(meter, dt, quiet)
                self._cue_tension(meter, t, quiet)
                self._watch_following(meter, t, quiet)
            pos_s = (t - meter.start_s) % (step.inhale_s + step.exhale_s)
            inhaling = pos_s < step.inhale_s
            cue_s = min(LET_GO_INTO_EXHALE_S, 0.5 * step.exhale_s)   # (a short exhale: from its middle,
            until_s = min(cue_s + LET_GO_WINDOW_S, 0.75 * step.exhale_s)  # never at its end)
            if self._let_go_due and cue_s <= pos_s - step.inhale_s < until_s:
                with_breath = self._let_go_due == DUE_BREATH    # not the tone: the breath not followed
                self._let_go_due = DUE_NONE
                self._let_go_cued_t = t
                if not with_breath or self._contracting or not self.tone.relaxed:
                    meter.cued_t = t    # timed until the tone is let go: not from a tone let go already
                                        # (a cue for the breath not moved with read "let go after 0.0 s")
                self._cue(cues.WARN_LET_GO, with_breath=with_breath)
            name = cues.INHALE if inhaling else (cues.EXHALE_LIFT if step.target_pct > 0 else cues.BREATHE_OUT_LONG)
            if name != meter.breath_phase:
                meter.breath_phase = name
                if name == cues.EXHALE_LIFT:
                    self._cue(name, target_pct=step.target_pct)
                else:
                    self._cue(name)
                if name == cues.INHALE:
                    meter.from_rest = False
            # only a lift on the exhale from a floor let go in the inhale counts: one that stays up
            # through the inhales never lifts (001: "Tijdens de inademing ontspant u uw bekkenbodem")
            if not inhaling and step.target_pct > 0 and meter.from_rest:
                if level > meter.rest_peak_pct:
                    meter.rest_peak_pct = level
                if self.by_direction:           # no maximum: a lift the analysis sees, whatever its height
                    on_target = state in _LIFTED and not a.pushing and not self.getting_up
                    if on_target and self._gentle_lift is not None and -a.deviation_kpa > self._gentle_kpa:
                        self._gentle_kpa = -a.deviation_kpa
                        self._implied_max_kpa = self._gentle_kpa * 100.0 / band_top_pct(step.target_pct)
                else:
                    on_target = step.target_pct - BAND_PCT <= level <= band_top_pct(step.target_pct)
                if on_target:
                    meter.held_s += dt
                    if meter.reached_s is None:
                        meter.reached_s = t
            if inhaling:
                let_go = -a.deviation_kpa <= a.thresholds.let_go_kpa if self.by_direction \
                    and not self._implied_max_kpa else level <= LET_GO_PCT
                if let_go:
                    meter.from_rest = True
                if meter.let_go_s is None and let_go:
                    meter.let_go_s = t
                if pos_s >= step.inhale_s / 2:   # settled into the inhale
                    meter.tail_sum += level
                    meter.tail_n += 1

    @property
    def gentle_pct(self) -> float:
        """A gentle lift judged by its direction (`by_direction`), for the bar: its level against the
        deepest such lift so far (0-100; none yet: against DEFAULT_MAX_KPA) -- no target to reach, the
        lift made shown going up and coming down."""
        shown = -self.analyzer.deviation_kpa / self._gentle_kpa * 100.0 if self._gentle_kpa else self.level_pct
        return max(0.0, min(100.0, shown))

    def _exhale_allows_pct(self, max_kpa: float) -> float:
        """The level (% of maximum) a relax step warns above: LET_GO_PCT, and while the breath
        tracker says the user breathes out, half the breath's swing more -- an exhale takes a
        resting floor's level that far up, a weak floor's by a good part of its maximum (0.08
        kPa on 0.45: 9 %). At the inhale the bare LET_GO_PCT already allows for the breath
        (it takes the level down). Only the warning: scores and the assessment's times keep
        LET_GO_PCT."""
        breath = self.analyzer.breath
        if breath.inhaling:
            return LET_GO_PCT
        return let_go_pct(BREATH_SIZE_SEEN * breath.size_kpa / max_kpa * 100.0)

    def _breath_period_s(self, phase: Phase | None) -> float:
        """The breath the resting level is averaged over: in a paced breathing step the
        cycle it asks for (the person follows it: 4 s in and 8 s out is one 12 s breath,
        slower than the analysis learns a breath to be), else the one the analysis learnt."""
        if phase is not None and phase.kind == "breathe":
            return phase.step.inhale_s + phase.step.exhale_s
        return self.analyzer.thresholds.breath_period_s

    def _watch_rest(self, m: _StepMeter, dt: float, quiet: bool) -> None:
        """While the floor rests, how let go it is (for the relaxation score); while
        `_contracting` (a lift the analysis sees in a step that asks for none), tension."""
        if self._contracting:
            m.rest.add(self._t, self.analyzer.level_kpa, 0.0, 0.0, tense=True)
            return
        if not quiet:
            return
        tone = self.tone
        m.rest.add(self._t, tone.level_kpa, tone.excursion_kpa, self.analyzer.thresholds.let_go_kpa)
        m.swing_sum += tone.excursion_kpa
        m.swing_n += 1
        if tone.relaxed:
            if m.cued_t >= 0.0:                       # let go after a "Laat los": how quickly
                m.let_go_sum += self._t - m.cued_t
                m.let_go_n += 1
                m.cued_t = -1.0

    def _cue_tension(self, m: _StepMeter, t: float, quiet: bool) -> None:
        """Letting go: tension creeping back for `TENSE_CUE_S` -- at rest, from `TENSE_CUE_TONES`
        let-go tolerances on until it is let go again (within one: `ToneMeter.relaxed`), or as
        a lift the analysis sees -- is cued (*Laat los*). (The score judges each moment by
        one tolerance: a cue tells the user, so it waits for tension the level's wander cannot
        make; once there, a cue waiting for the exhale is dropped when the floor lets go -- or
        gets busy, or the step ends.)"""
        tone = self.tone
        if self._tense_since < 0.0:
            let_go = tone.tone_kpa <= TENSE_CUE_TONES * self.analyzer.thresholds.let_go_kpa
        else:
            let_go = tone.relaxed
        if not self._contracting and (not quiet or let_go):
            self._tense_since = -1.0
            if self._let_go_due == DUE_TONE:     # let go before the exhale came: nothing to say
                self._let_go_due = DUE_NONE
        elif self._tense_since < 0.0:
            self._tense_since = t
        elif t - self._tense_since >= TENSE_CUE_S and t - self._let_go_cued_t >= LET_GO_REPEAT_S \
                and self._let_go_due == DUE_NONE:
            self._let_go_due = DUE_TONE

    def _watch_following(self, m: _StepMeter, t: float, quiet: bool) -> None:
        """A paced breath the resting floor did not move with (`FOLLOW_LOW`) is cued *Laat los*:
        the tension that comes and goes within each breath, which the tone cannot see."""
        lifted = self._contracting and self.analyzer.rest_learnt_s >= YOUNG_REST_S   # (young: maybe a let-go)
        share = m.following.step(t, self.analyzer.level_kpa, quiet and not self._contracting, lifted)
        if share is None:
            return
        self._breath_free = min(1.0, share / FOLLOW_FULL)
        # a breath judged 0 for a lift in it: the tension is cued as tension (`_cue_tension`), not the breath
        if share < FOLLOW_LOW and not m.following.lifted_last and t - self._let_go_cued_t >= LET_GO_REPEAT_S:
            self._let_go_due = DUE_BREATH

    def _forget_gentle_lift(self) -> None:
        """The lift under way taken back (getting up, a pause): the gentle lifts' depth and the maximum
        it implies as they were before it."""
        if self._gentle_lift is not None:
            self._gentle_lift = None
            self._gentle_kpa, self._implied_max_kpa = self._gentle_before

    def _young_let_go(self) -> bool:
        """A paced breath that lifts nothing, the thresholds still the warm-up's (`YOUNG_REST_S`)."""
        phase = self.phase
        return (phase is not None and phase.kind == "breathe" and phase.step.target_pct <= 0
                and self.analyzer.rest_learnt_s < YOUNG_REST_S)

    def _watch_let_go(self) -> None:
        """The rise taken for letting go, until it is over (then the analysis retracts it as that):
        past `_let_go_max_kpa`, a push after all."""
        rise = self._let_go_rise
        if rise.end is not None:
            self._let_go_rise = None
            self.analyzer.take_for_let_go(rise)
        elif self.analyzer.deviation_kpa > self._let_go_max_kpa:
            self._let_go_rise = None
            self._warn_push()

    def _warn_push(self) -> None:
        self.bear_down_warnings += 1
        if self._meter is not None:
            self._meter.pushed = True
        self._cue(cues.WARN_BEAR_DOWN, lifting=self._asks_lift())

    def _let_go_first_until(self, after: str) -> float:
        """Until when a held breath told after the hold (`after`) waits: LET_GO_FIRST_S into a
        let-go just begun, or about to begin -- the hold's step ends within that; else now. (A
        let-go that ends sooner tells it as it ends: `_next_phase`.)"""
        phase = self.phase
        if not after or phase is None:
            return -math.inf
        if phase.kind in ("relax", "series_rest"):
            return phase.start_s + LET_GO_FIRST_S
        if phase.kind in HOLDING_KINDS and phase.end_s - self._t < LET_GO_FIRST_S:
            return phase.end_s + LET_GO_FIRST_S
        return -math.inf

    def _warn_breath(self, after: str) -> None:
        """A held breath seen: told now, or once *Laat los* has had the screen (`LET_GO_FIRST_S`)."""
        due = self._let_go_first_until(after)
        if due <= self._t:
            self.breath_hold_warnings += 1
            self._cue(cues.WARN_KEEP_BREATHING, after=after)
            return
        self._tell_breath_cue()                  # one waiting already: told now
        self._breath_cue_due_t, self._breath_cue_after = due, after

    @property
    def breath_waiting(self) -> bool:
        """A held breath seen, its warning waiting for *Laat los* to have the screen first."""
        return self._breath_cue_due_t < math.inf

    def _tell_breath_cue(self) -> None:
        """The held breath waiting, if any, told now (counted as it is told)."""
        if self._breath_cue_due_t < math.inf:
            self._breath_cue_due_t = math.inf
            self.breath_hold_warnings += 1
            self._cue(cues.WARN_KEEP_BREATHING, after=self._breath_cue_after)

    def _asks_lift(self) -> bool:
        """The step now asks for a lift (a flick, a cough's squeeze, a paced breath's lift): *Niet
        persen!* then says to lift instead; in a rest, or `ontspannen`, to let go (a review)."""
        phase = self.phase
        if phase is None or phase.step is None:
            return phase is not None and phase.kind in HOLDING_KINDS
        return phase.step.asks_lift

    def _on_notice(self, notice: Notice) -> None:
        meter = self._meter
        event = notice.event
        kind = event.kind
        if notice.change == RETRACTED:
            if event is self._glute_seen:           # getting up: a pause, never a squeeze
                self._glute_seen = None
            if event is self._gentle_lift:          # (getting up: no lift's depth)
                self._forget_gentle_lift()
            if meter is not None and event is meter.timed_lift:    # the buttocks' or a shift of posture,
                meter.on_exhale = meter.timed_lift = None          # not the floor: the step's lift, if one comes, says
            if kind == CONTRACTION and event.completed_at is not None \
                    and self.phase is not None and self.phase.kind.startswith("calibrate") \
                    and event.metrics.get("peak_drop_kpa") in self.calibration_peaks_kpa:
                self.calibration_peaks_kpa.remove(event.metrics["peak_drop_kpa"])
            return
        if notice.change == RAISED and kind == BEAR_DOWN:
            if self._young_let_go() and event.detected_at - event.start > LET_GO_CONFIRM_S:
                self._let_go_rise = event
                self._let_go_max_kpa = LET_GO_MAX_K * self.analyzer.thresholds.push_kpa
                return
            self._warn_push()
        elif notice.change == RAISED and kind == GLUTE:     # the buttocks instead of the floor
            self._glute_seen, self._glute_meter = event, meter      # warned unless it is getting up
        elif notice.change == RAISED and kind == BREATH_HOLD:   # the brochures: never hold your breath
            # ... in a hold; a paced long exhale, or a floor read as lifted while it lets go, is no
            # hold of the breath: only a step that holds a lift (or the hold scored last) is told
            held_phase = self.phase is not None and self.phase.kind in HOLDING_KINDS
            if not self._mark_last_hold(True, event.start):
                if not held_phase:
                    return
                if meter is not None:
                    meter.held_breath = True
            # told after the hold -- judged whole as it was let go, or seen as the step moved on --
            # it says so: *Adem rustig door* alone on the screen of letting go read as about now (a
            # new user's trial); of a paced breath's lift (`voelen`), as a lift, not a hold
            after = "" if held_phase and not event.metrics.get("at_release") \
                else "lift" if self.phase is not None and self.phase.kind == "breathe" else "hold"
            self._warn_breath(after)
        elif notice.change == RAISED and kind == COUGH:
            self.coughs += 1
            if meter is not None and self.phase.kind == "cough" and meter.cough_lead_s is None:
                lift = self.analyzer.open_lift
                meter.cough_lead_s = None if lift is None else round(event.start - lift.start, 2)
                meter.cough_t = self._t
                meter.cough_below_rest = bool(event.metrics["below_rest"])
            if meter is not None and self.phase.kind == "cough" and meter.warned and not meter.hold_cued:
                # coughed when asked: now hold on (*Hoest nu!* stayed on through the hold: a trial)
                meter.hold_cued = True
                self._cue(cues.HOLD, seconds=_hold_text(self.phase.step))
        elif notice.change == RAISED and kind == CONTRACTION:
            told = self.analyzer.began_on_exhale(event) if meter is not None and meter.on_exhale is None else None
            if told is not None:
                meter.on_exhale, meter.timed_lift = told, event
            if self.by_direction:
                self._gentle_lift, self._gentle_before = event, (self._gentle_kpa, self._implied_max_kpa)
        elif notice.change == COMPLETED and kind == POSTURE:
            self.tone.reset()                       # another posture, another resting level
        elif notice.change == COMPLETED and kind == CONTRACTION and event.retracted is None:
            if self.phase is not None and self.phase.kind.startswith("calibrate"):
                self.calibration_peaks_kpa.append(event.metrics["peak_drop_kpa"])
            elif event is self._gentle_lift:
                self._gentle_lift = None

    def _cue(self, cue: str, **params) -> None:
        self.outbox.append(Cue(self._t, cue, params))

    # --- phases -----------------------------------------------------------------------------
    def _next_phase(self, t: float) -> None:
        if self.phase is not None and self.phase.kind not in HOLDING_KINDS:
            self._tell_breath_cue()             # a let-go shorter than LET_GO_FIRST_S: before what is next
        waited = self.phase is not None and self.phase.kind == RELAX_FIRST    # the item is next already
        self._finish_phase(t)
        self._tense_since = -1.0
        if not waited:
            self._plan_i += 1
            if self._plan_i >= len(self._plan):
                self.done = True
                self.phase = None
                self._cue(cues.SUMMARY)
                return
        item: PlanItem = self._plan[self._plan_i]
        if not waited and item.kind in ASKS_TO_LIFT and self.max_drop_kpa is not None \
                and self.level_pct > RELAX_FIRST_PCT:
            # the lift comes once the floor has let go (not in calibration: no maximum to judge by)
            self.phase = Phase(RELAX_FIRST, t, t + RELAX_WAIT_MAX_S, None, item.series, item.rep, item.index)
            self._meter = None
            self._cue(cues.RELAX_FIRST)
            return
        kind, step, series, rep = item.kind, item.step, item.series, item.rep
        if step is not None and item.index == 0:       # a repetition begins: what `resume` goes back to
            self._rep_begun = (len(self.records or ()), self.let_go_judged, self.not_let_go, self.slow_let_go,
                               len(self.extra_flicks))
        self.phase = Phase(kind, t, t + item.duration_s, step, series, rep, item.index)
        self._meter = None if step is None else _StepMeter(
            t, all_out_timed(kind, step.target_pct, step.hold_s, step.assess is not None))
        self._contracting = False
        self._let_go_due = DUE_NONE
        if step is not None and (kind == "relax" or kind == "breathe" and step.target_pct <= 0):
            period_s = self._breath_period_s(self.phase)
            self._meter.rest = RestLevels(item.duration_s, lag_s=0.5 * period_s)
            if RESIDUAL_TAIL_S <= period_s <= 0.5 * item.duration_s:
                self._meter.tail_s = period_s       # (shorter steps: no whole breath after the let-go)
            if kind == "breathe":       # the first paced breaths of a session are finding the pace
                self._meter.following = BreathFollowing(t, step.inhale_s, step.exhale_s,
                                                        settle_cycles=1 if self._paced_before else 2)
                self._paced_before = True
        p = self.programme
        if kind == "calibrate_rest" or kind == "settle":
            self._cue(cues.CALIBRATE_REST)
        elif kind == "calibrate_max":
            self._cue(cues.CALIBRATE_MAX, n=rep)
        elif kind == "calibrate_rest_between":
            self._cue(cues.RELAX)
        elif kind == "series_rest":
            self._cue(cues.SERIES_REST, series=series, of=p.series)
        elif kind == "inhale":
            self._cue(cues.INHALE)
        elif kind == "lift":
            self._cue(cues.EXHALE_LIFT, target_pct=step.target_pct, floor=step.floor)
        elif kind == "floor":
            # the way to the floor asked from where the floor is now: down from above it, up from
            # below (a weak floor that did not reach the floor above is asked up to this one)
            down = self.level_pct > step.target_pct
            self._cue(cues.DOWN_TO_FLOOR if down else cues.LIFT_TO_FLOOR, floor=step.floor,
                      target_pct=step.target_pct)
        elif kind == "flick":
            self._cue(cues.FLICK)
        elif kind == "relax":
            self._cue(cues.RELAX)
        elif kind == "cough":
            self._cue(cues.BRACE)
            self.phase.end_s = t + step.rise_s + 1.0 + step.hold_s

    def _finish_phase(self, t: float) -> None:
        phase, meter = self.phase, self._meter
        if phase is None:
            return
        if phase.kind == "calibrate_rest_between" and phase.rep == 3:
            self._finish_calibration()
        if phase.kind == RELAX_FIRST:
            self.relax_waits += 1
            self.relax_wait_s += t - phase.start_s
            self.relax_wait_timeouts += self.level_pct > LET_GO_PCT        # it ran out, not let go
        if meter is None:
            return
        kind = phase.step.kind
        score = None
        if phase.step.asks_lift:
            score = self._score_contraction(phase, meter, t)
            if kind == "flick" and self._rep_parts and self.records is None:
                self.extra_flicks.append(score)        # flicks after the repetition's main lift
                self._rep_squeezes += score.right_direction
            else:
                self._rep_parts.append(score)
        if (kind == "relax" and self._rep_parts or kind == "breathe") \
                and self._rep_relaxation is None:
            self._rep_relaxation = self._score_relaxation(phase, meter, t)
        last = phase.index == len(self.programme.steps) - 1
        if self.records is None:
            if last or kind == "relax" and self._rep_parts and self._lift_follows(phase.index):
                self._score_rep(phase)
            return
        # an assessment: every step is kept, and each contraction is a repetition of its own,
        # let go in the relax step after it
        self.records.append(self._record(phase, meter, t, score))
        if self._rep_parts and (kind == "relax" or last or self.programme.steps[phase.index + 1].kind != "relax"):
            self._score_rep(phase, rep=len(self.reps) + 1)

    def _lift_follows(self, index: int) -> bool:
        """A lift or a cough comes after the step at `index` (a relax step) in the repetition, before
        its next rest: a contraction of its own, scored as a repetition with its own letting go. A
        physiotherapist's file may ask for a lift, a rest and a cough in one repetition (a trial's:
        the two were scored as one lift, the cough's knack never judged, held 7 s of 4 s asked);
        quick flicks after the rest stay the main lift's (`micro`)."""
        for step in self.programme.steps[index + 1:]:
            if step.kind in ("lift", "cough"):
                return True
            if step.kind != "inhale":
                return False
        return False

    def _finish_calibration(self) -> None:
        """The maximum: the highest lift the analysis completed; an over-tense floor that
        never lets go completes none, and then the lowest level reached counts, if it was a
        lift at all."""
        peaks = sorted(self.calibration_peaks_kpa, reverse=True)
        deepest = self.calibration_deepest_kpa
        self.max_measured = bool(peaks) or deepest > self.analyzer.thresholds.lift_level_kpa
        if self.max_measured:          # else none is known: levels are scored against DEFAULT_MAX_KPA
            self._know_maximum(peaks[0] if peaks else deepest)     # and no summary claims it as the user's
        if peaks:                      # the maximal lifts are all-out holds too: a floor tires from the
            self.tiring_from_pct = 100.0 * self.calibration_peaks_kpa[-1] / peaks[0]   # last into the set

    def _know_maximum(self, kpa: float) -> None:
        """The user's maximum, stored or measured: scored against, and the analysis gives
        each lift's % of it."""
        self.max_drop_kpa = self.analyzer.max_drop_kpa = kpa

    # --- scoring ----------------------------------------------------------------------------
    def _score_contraction(self, phase: Phase, m: _StepMeter, t: float) -> ContractionScore:
        step = phase.step
        target = step.target_pct
        peak = m.rest_peak_pct if step.kind == "breathe" else m.peak_pct   # (paced: lifted from a floor let go)
        # the pressure really went below rest (a lift); judged by its direction, a lift the analysis saw
        unmeasured = self.by_direction and step.kind == "breathe"
        lifted = m.reached_s is not None if unmeasured else peak > LET_GO_PCT
        right_direction = lifted and not m.pushed
        if unmeasured:     # no height asked of it: made, it reached what was asked
            reach = 1.0
        elif m.hold_n:     # how close the held level stayed to the target (over- and undershoot;
            held = m.hold_sum / m.hold_n        # above a maximal target is no overshoot)
            off = target - held if target >= MAXIMAL_PCT else abs(held - target)
            reach = max(0.0, 1.0 - max(0.0, off) / max(target, FLOOR_PCT))
        else:              # flicks and breaths: the peak against the target; overshoot costs
            over = max(0.0, peak - band_top_pct(target))
            reach = max(0.0, min(1.0, peak / target) - over / 100.0) if target > 0 else 1.0
        to_target_s = None if m.reached_s is None else round(m.reached_s - m.start_s, 2)
        asked_s = 0.0                  # the time asked, for R: none for "as long as possible"
        if step.kind == "flick":
            hold_ratio, hold_s, steadiness = 1.0, 0.0, 1.0
        elif step.kind == "breathe":   # the gentle lift of every exhale: timed from its exhale's start,
            period_s = step.inhale_s + step.exhale_s       # held through all the exhales
            asked_s = _exhaled_s(t - m.start_s, step.inhale_s, step.exhale_s)
            hold_s = m.held_s
            hold_ratio = min(1.0, hold_s / asked_s) if asked_s > 0 else 0.0
            steadiness = 1.0 if hold_s > 0.0 else 0.0
            if m.reached_s is not None:
                to_target_s = round((m.reached_s - m.start_s) % period_s - step.inhale_s, 2)
        else:
            hold_s = self._hold_counted_s(m, target, peak, right_direction)
            asked_s = 0.0 if math.isinf(step.hold_s) else step.hold_s
            want_s = FULL_HOLD_S if math.isinf(step.hold_s) else step.hold_s
            hold_ratio = min(1.0, hold_s / want_s) if want_s > 0 else 1.0
            var = max(0.0, m.hold_sum2 / m.hold_n - (m.hold_sum / m.hold_n) ** 2) if m.hold_n else 0.0
            steadiness = max(0.0, 1.0 - math.sqrt(var) / UNSTEADY_PCT)
        allowed_s = step.rise_s if step.kind not in ("flick", "breathe") else 1.0
        timely = 0.0 if to_target_s is None else 1.0 if to_target_s <= allowed_s else 0.5
        score = 0.0
        if right_direction:
            score = 100.0 * (0.4 * reach + 0.3 * hold_ratio + 0.15 * steadiness + 0.15 * timely)
            if m.glute:                    # the buttocks helped: compensation, not a clean lift
                score *= 0.5
            if m.cough_t >= 0.0 and not knack_led(m.cough_lead_s, m.cough_held):
                score *= 0.5               # the knack missed: the lift did not lead the cough, or let go with it
        span_s = None if m.hold_start_s is None or step.kind in ("flick", "breathe") else t - m.hold_start_s
        # (a lift not made is not timed: `voelen`'s *4x niet opgetild* counted *1/1 op de uitademing*, a trial)
        return ContractionScore(step.kind, right_direction, m.pushed, m.glute, m.held_breath,
                                m.on_exhale if right_direction else None,
                                None if unmeasured else target, None if unmeasured else reached_pct(peak), to_target_s,
                                round(hold_s, 2),
                                round(steadiness, 2) if m.hold_n and step.kind not in ("flick", "breathe") else None,
                                round(score, 1), m.cough_lead_s, m.cough_held, m.cough_below_rest,
                                done_well(round(score, 1), hold_s, asked_s, m.held_breath, step.kind),
                                self._breath_judged(step.kind, m.held_breath, span_s), asked_s, span_s, step.assess,
                                round(m.above_half_s, 2))

    def _hold_counted_s(self, m: _StepMeter, target_pct: float, peak_pct: float, right_direction: bool) -> float:
        """The seconds a lift step counts as held, as its score and R do: in its band; for an
        all-out hold of a time asked in training (`all_out_timed`), the seconds above ENDURANCE_PCT
        (Laycock's E: a maximal contraction is held until its force has fallen by 35 %) when it
        reached its aim, or peaked within TIRING_DROP_PCT of the last such hold counted, or of the
        session's last maximal lift: a floor tiring through a set (a weak one reaches about 77 % of
        the day's fresh maximum after its first lifts, never again within 15 % of it; a trial's
        calibration began with an outlier, its others at 90 and 88 %, its set from 84 % down).
        A lift never near the maximum, one that drops further (less effort, or after a lucky
        lift) and one the buttocks helped count in the band and leave the last one counted as it
        was. Peaks alone cannot tell a floor tiring from effort given up in steps of
        TIRING_DROP_PCT or less: such a set counts as a tiring one."""
        if not m.all_out or not right_direction or m.glute:
            return m.held_s
        if self._tiring(peak_pct, target_pct):
            self.tiring_from_pct = peak_pct
            return m.above_endurance_s
        return m.held_s

    def _tiring(self, peak_pct: float, target_pct: float) -> bool:
        """An all-out hold peaking at `peak_pct` counts as a floor tiring (`_hold_counted_s`)."""
        last = self.tiring_from_pct
        return peak_pct >= target_pct - BAND_PCT or (last is not None and peak_pct >= last - TIRING_DROP_PCT)

    def _mark_last_hold(self, held: bool, began_t: float = math.inf) -> bool:
        """The analysis judged a hold's breathing after its step was scored (`held`: the breath
        was held) -- as it was let go, or, still held after *Laat los*, by the windowed flag: in
        a relax step, the rep's contraction scored last says so; a held breath that began
        before the step under way (`began_t`: flagged in the next rep's first inhale, as
        `voelen`'s last exhale, or after a short relax) goes to the repetition scored last.
        An assessment's record of that contraction says so too. False when there is none (the
        hold step still under way, or no hold)."""
        phase = self.phase
        if phase is not None and phase.kind == "relax" and self._rep_parts:
            part = self._rep_parts[-1]
            if self._breath_judged(part.kind, True, part.hold_span_s) is None:   # a cough, or nothing held
                return False
            held_breath = part.held_breath or held
            self._rep_parts[-1] = replace(part, held_breath=held_breath, breath_judged=True,
                                          done_well=part.done_well and not held_breath)
        elif held and phase is not None and began_t < phase.start_s and not self._rep_parts and self.reps \
                and self.reps[-1].contraction is not None:
            rep = self.reps[-1]
            if rep.contraction.kind != "breathe" \
                    and self._breath_judged(rep.contraction.kind, True, rep.contraction.hold_span_s) is None:
                return False                  # (a cough; a paced breath's lift holds nothing, but breathes)
            self.reps[-1] = replace(rep, contraction=replace(rep.contraction, held_breath=True, breath_judged=True,
                                                             done_well=False))
        else:
            return False
        if held and self.records:             # an assessment: its contraction's record (the last kept): no R
            i = next((i for i in range(len(self.records) - 1, -1, -1) if self.records[i].kind in ("lift", "floor")),
                     None)
            if i is not None:
                self.records[i] = replace(self.records[i], held_breath=True)
        return True

    def _breath_judged(self, kind: str, held_breath: bool, span_s: float | None) -> bool | None:
        """Whether a contraction held for `span_s` lasted long enough for the analysis to see a
        held breath (a breath period of this person's: judged whole as it is let go; a 5 s hold
        at 8 breaths a minute is too short) -- or it saw one. None: nothing was held, or a cough
        (it closes the glottis)."""
        if span_s is None or kind == "cough":
            return None
        return held_breath or span_s >= HOLD_WHOLE_PERIODS * self.analyzer.thresholds.breath_period_s

    def _score_relaxation(self, phase: Phase, m: _StepMeter, t: float) -> RelaxationScore:
        self.let_go_judged += 1
        let_go_s = None if m.let_go_s is None else round(m.let_go_s - m.start_s, 2)
        tail_pct = m.tail_pct()
        residual_pct = tail_pct if tail_pct is not None else (m.sum / m.n if m.n else 0.0)
        judged = m.rest.judge() if m.rest is not None else None
        tone_kpa = relaxed_share = excursion = with_breath = None
        free_share = 0.0
        if judged is not None:
            tone, relaxed_share, freedom, free_share = judged
            tone_kpa = None if tone is None else round(tone, 4)
            excursion = None if freedom is None else round(freedom, 3)
            relaxed_share = round(relaxed_share, 3)
        paced = phase.step.kind == "breathe" and phase.step.target_pct <= 0
        if paced:
            # letting go itself (ontspannen): the share of the moments the floor was let go,
            # each counted as far as it moved with the breath as freely as when let go (both
            # asked of the same moment), and as far as its movement in each paced breath was
            # the breath's (`FOLLOW_FULL`: fully); pushing is not letting go
            let_go_s = round(m.let_go_sum / m.let_go_n, 2) if m.let_go_n else None
            if m.following is not None:
                m.following.finish()
            with_breath = m.following.share if m.following is not None else None
            if with_breath is not None:
                self._follow_sum += m.following.share_sum
                self._follow_n += m.following.judged
            # no breath of the step judged (a push, a cough or a movement in each; a breath with a
            # lift is judged, not followed): as the session's judged so far -- it counted as fully
            # followed, and such a step of an over-tense floor scored 52-57 beside its others' 22-29 --
            # or, none yet, not held against it
            known = with_breath if with_breath is not None else (
                self._follow_sum / self._follow_n if self._follow_n else None)
            following = 1.0 if known is None else min(1.0, known / FOLLOW_FULL)
            score = 0.0 if m.pushed else 100.0 * free_share * following
        else:
            if let_go_s is None:
                self.not_let_go += 1
            completeness = max(0.0, min(1.0, 1.0 - max(0.0, residual_pct) / 30.0))
            lifted = _lifted(self._rep_parts)
            if let_go_s is not None and let_go_s >= SLOW_LET_GO_S and lifted and not m.pushed \
                    and not self.programme.assesses:
                # (after a lift made -- not beside *4x niet opgetild*, a review --; an assessment's letting
                # go is its own figure, *los 0/11*: a third beside it did not add up)
                self.slow_let_go += 1
            speed = 0.0 if let_go_s is None else max(0.0, min(1.0, 1.0 - (let_go_s - LET_GO_QUICK_S)
                                                                 / (SLOW_LET_GO_S - LET_GO_QUICK_S)))
            score = 0.0 if m.pushed else 100.0 * completeness * (0.5 + 0.5 * speed)   # pushing is not letting go
        # what is still held: below rest is nothing held (a figure under 0 would read as "less than let go")
        residual = None if self.max_drop_kpa is None else round(max(0.0, residual_pct), 1)   # % of no maximum
        scored = RelaxationScore(let_go_s, residual, m.pushed, round(score, 1), tone_kpa,
                                 relaxed_share, excursion, None if with_breath is None else round(with_breath, 3))
        if paced and paced_not_let_go(scored.relaxed_share, scored.with_breath_share, scored.score):
            self.not_let_go += 1            # (by the figures kept: as the report marks the repetition)
        return scored

    def _record(self, phase: Phase, m: _StepMeter, t: float, score: ContractionScore | None) -> StepRecord:
        """What an assessment keeps of one step."""
        mean = m.sum / m.n if m.n else 0.0
        sd = math.sqrt(max(0.0, m.sum2 / m.n - mean * mean)) if m.n else 0.0
        hold_mean = slope = None
        if m.hold_n:
            hold_mean = m.hold_sum / m.hold_n
            var_x = m.hold_xx / m.hold_n - (m.hold_x / m.hold_n) ** 2
            if var_x > 0.0:      # least squares: the level's change per second, per minute here
                slope = 60.0 * (m.hold_xy / m.hold_n - m.hold_x / m.hold_n * hold_mean) / var_x
        tone_kpa = None
        if m.rest is not None:
            judged = m.rest.judge()
            tone_kpa = None if judged is None else judged[0]
        return StepRecord(
            kind=phase.step.kind, assess=phase.step.assess, start_s=m.start_s, end_s=t, mean_pct=mean, sd_pct=sd,
            peak_pct=m.peak_pct, peak_s=m.peak_s, score=None if score is None else score.score,
            right_direction=True if score is None else score.right_direction, pushed=m.pushed,
            held_breath=score is not None and score.held_breath,
            asked_hold_s=None if math.isinf(phase.step.hold_s) else phase.step.hold_s, hold_mean_pct=hold_mean,
            steadiness=None if score is None or not m.hold_n else score.steadiness,
            above_half_s=m.above_half_s, above_endurance_s=m.above_endurance_s, slope_pct_per_min=slope, let_go_at_s=m.let_go_s,
            residual_pct=m.tail_pct(), tone_kpa=tone_kpa,
            excursion_kpa=m.swing_sum / m.swing_n if m.swing_n else None,
            base_start_kpa=m.base_start_kpa, base_end_kpa=m.base_end_kpa)

    def assessment(self) -> Assessment | None:
        """The assessment's figures, once an assessing session is over (else None)."""
        if self.records is None or not self.done:
            return None
        errors = self._errors([r.contraction for r in self.reps if r.contraction is not None])
        return assess(self.records, self.max_drop_kpa or DEFAULT_MAX_KPA,
                      {kind: getattr(errors, kind) for kind in MISTAKE_KINDS}, tuple(self.calibration_peaks_kpa),
                      tuple(self._resumed_s))

    def _errors(self, contractions: list[ContractionScore]) -> Errors:
        """The session's mistakes by kind; an assessment's not let go are its releases not complete
        (`releases_of`: its own *los n/m* the others)."""
        not_let_go = self.not_let_go if self.records is None else \
            sum(r.quality != "complete" for r in releases_of(self.records))
        return Errors(bear_down=self.bear_down_warnings, not_let_go=not_let_go,
                      wrong_direction=sum(c.pushed for c in contractions),
                      no_lift=sum(not c.right_direction and not c.pushed for c in contractions),
                      glute=self.glute_warnings, breath_hold=self.breath_hold_warnings)

    def _perfect(self, good: list[ContractionScore], held: bool, lifted: bool, max_kpa: float) -> Perfect:
        """The session's PERFECT terms; an assessment's are its own measurements (P the
        maximum it measured, E its endurance minute, R its good holds, F its quick flicks),
        so the session and its assessment never show two sets. E is None where no hold was
        asked (`held` False: only paced breaths or quick flicks -- `voelen` read *vastgehouden
        0,0 s* beside *4 van 4 goed*: a trial)."""
        assessment = self.assessment()
        if assessment is not None:
            return Perfect(power=round(assessment.max_kpa, 3), power_pct_max=100.0,
                           endurance_s=assessment.endurance_s, repetitions=assessment.holds_good,
                           fast=assessment.flicks_half)
        # the best lift, the quick squeezes after a repetition's hold too (the power of a physiotherapist's 60 %
        # holds and maximal squeezes was the holds' peak: 66 % a day after an assessment, a trial)
        made = good + [c for c in self.extra_flicks if c.right_direction]
        best_pct = max((c.reached_pct for c in made if not c.glute and c.reached_pct is not None), default=0.0)
        lifted = lifted and not self.by_direction     # (gentle lifts judged by their direction: no level measured)
        return Perfect(
            power=round(best_pct / 100.0 * max_kpa, 3) if lifted else None,
            power_pct_max=best_pct if lifted else None,          # (kept as `reached_pct`)
            endurance_s=round(max((c.hold_s for c in good if c.kind not in UNHELD), default=0.0), 2)
            if lifted and held else None,       # (a breathing step's time in band is its exhales', no hold)
            repetitions=sum(c.done_well for c in good if c.kind != "flick"),
            fast=sum(c.kind == "flick" and c.right_direction and c.reached_pct >= HALF_PCT
                     for c in good + self.extra_flicks))

    def _score_rep(self, phase: Phase, rep: int | None = None) -> None:
        parts = self._rep_parts
        contraction = None
        if parts:
            contraction = parts[0]
            if len(parts) > 1:     # the lift's floors: one repetition, scored over all of them
                spans = [p.hold_span_s for p in parts if p.hold_span_s is not None]
                span_s = sum(spans) if spans else None
                score = round(sum(p.score for p in parts) / len(parts), 1)
                hold_s = round(sum(p.hold_s for p in parts), 2)
                asked_s = sum(p.asked_hold_s for p in parts)
                held_breath = any(p.held_breath for p in parts)
                # its highest floor: what it missed, if it did (None: heights not asked, judged by direction)
                top = max(parts, key=lambda p: -1.0 if p.target_pct is None else p.target_pct)
                contraction = replace(
                    contraction, kind=JOINED.join(dict.fromkeys(p.kind for p in parts)),
                    right_direction=_lifted(parts),
                    pushed=any(p.pushed for p in parts),
                    held_breath=held_breath,
                    reached_pct=max((p.reached_pct for p in parts if p.reached_pct is not None), default=None),
                    # (against its first floor, a weak floor's 67 % of floor 4 read *te hoog*: a trial)
                    target_pct=top.target_pct, time_to_target_s=top.time_to_target_s,
                    hold_s=hold_s, score=score, done_well=done_well(score, hold_s, asked_s, held_breath, "lift"),
                    asked_hold_s=asked_s, held_up_s=round(sum(p.held_up_s for p in parts), 2),
                    # the lift exercise's floors: judged only where a held breath was seen -- the steps
                    # between floors, a few seconds apart, fill the breathing band as breaths do (a
                    # breath held through all of them went unseen: 0 of 18 over six seeds)
                    hold_span_s=span_s, breath_judged=(None if span_s is None else held_breath)
                    if any(p.kind == "floor" for p in parts)
                    else self._breath_judged(contraction.kind, held_breath, span_s))
        relaxation = self._rep_relaxation
        # a lift not made the right way has no letting go of it to judge; a paced breath's let-go on
        # the inhales is judged, lift or not -- but not after a push (a floor that pushed in every
        # breath of `voelen` read as never let go, and was sent to `ontspannen`: a review; a paced
        # breath has a contraction only where its step asks a lift, so never in `ontspannen`)
        if relaxation is None or (contraction is not None and not contraction.right_direction
                                  and (contraction.kind != "breathe" or contraction.pushed)):
            relaxation = RelaxationScore()
        rep = phase.rep if rep is None else rep
        self.reps.append(RepScore(phase.series, rep, contraction, relaxation, self._rep_squeezes))
        self._rep_parts = []
        self._rep_relaxation = None
        self._rep_squeezes = 0
        self._cue(cues.REP_DONE, rep=rep, series=phase.series,
                  score=None if contraction is None else contraction.score)

    # --- summary ----------------------------------------------------------------------------
    def summary(self) -> CoachSummary:
        contractions = [r.contraction for r in self.reps if r.contraction is not None]
        good = [c for c in contractions if c.right_direction]
        relax = [r.relaxation.score for r in self.reps if r.relaxation.score is not None]
        max_kpa = self.max_drop_kpa or DEFAULT_MAX_KPA
        missed = [] if self.programme.assesses else [       # (an assessment's lifts ask for the most: no target)
            c for c in contractions if c.kind != "flick" and c.right_direction and not c.done_well
            and not (c.pushed or c.glute or c.held_breath)]
        return CoachSummary(
            max_drop_kpa=None if self.max_drop_kpa is None else round(self.max_drop_kpa, 3),
            perfect=self._perfect(good, any(c.kind not in UNHELD for c in contractions), bool(contractions),
                                  max_kpa),
            contraction_score=round(sum(c.score for c in contractions) / len(contractions), 1)
            if contractions else None,
            relaxation_score=round(sum(relax) / len(relax), 1) if relax else None,
            errors=self._errors(contractions),
            coughs=self.coughs,
            lifts_on_exhale=sum(c.on_exhale is True for c in contractions),
            lifts_timed=sum(c.on_exhale is not None for c in contractions),
            knack=tuple(Knack(c.cough_lead_s, c.cough_held, c.cough_below_rest)
                        for c in contractions if c.kind == "cough"),
            relaxation=self._relaxation_summary(max_kpa),
            lifts_asked=sum(c.kind != "flick" for c in contractions),
            holds=sum(c.breath_judged is not None for c in contractions),
            holds_breath_judged=sum(bool(c.breath_judged) for c in contractions),
            short=len(missed), short_mostly=mostly(missed),
            flicks=sum(c.kind == "flick" for c in contractions) + len(self.extra_flicks),
            asks_maximal=self.programme.asks_maximal, let_go_judged=self.let_go_judged, relaxations=len(relax),
            slow_let_go=self.slow_let_go)

    def _relaxation_summary(self, max_kpa: float) -> Relaxation:
        parts = [r.relaxation for r in self.reps]

        def mean(values: list) -> float | None:
            values = [v for v in values if v is not None]
            return sum(values) / len(values) if values else None
        tone = mean([p.tone_kpa for p in parts])
        relaxed, freedom, let_go = (mean([p.relaxed_share for p in parts]), mean([p.excursion_share for p in parts]),
                                    mean([p.time_to_let_go_s for p in parts]))
        with_breath = mean([p.with_breath_share for p in parts])
        measured = self.max_drop_kpa is not None
        return Relaxation(
            tone_kpa=None if tone is None else round(tone, 4),
            tone_pct_max=None if tone is None or not measured else round(tone / max_kpa * 100.0, 1),
            relaxed_share=None if relaxed is None else round(relaxed, 3),
            excursion_share=None if freedom is None else round(freedom, 3),
            with_breath_share=None if with_breath is None else round(with_breath, 3),
            let_go_s=None if let_go is None else round(let_go, 2),
            waits=self.relax_waits, wait_s=round(self.relax_wait_s, 1), wait_timeouts=self.relax_wait_timeouts)


def _hold_text(step: Step) -> float | None:
    return None if math.isinf(step.hold_s) else step.hold_s
