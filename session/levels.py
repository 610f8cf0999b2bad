"""The levels and marks the coaching judges by, in % of the user's maximum (one owner:
the coach, the assessment and the screens read them here)."""

import math

BAND_PCT = 15.0            # the target band is target +-15 % of maximum
LET_GO_PCT = 10.0          # at or below this the floor counts as let go
HALF_PCT = 50.0            # a flick reaching this counts as fast (F of PERFECT); endurance is held above it
GOOD_SCORE = 50.0          # a contraction scored at least this is done well (a training's R of PERFECT) ...
HELD_SHARE = 0.8           # ... if it was held at least this share of the time asked (at half, 2-3 s
                           # of a 4 s hold asked were *goed* and *geen fouten*: a physiotherapist's trial;
                           # an assessment's R asks it of E's seconds) --
PACED_HELD_SHARE = 0.5     # ... or, a gentle lift on a paced exhale (`voelen`), this share of its exhales:
                           # the lift follows the exhale's cue and lets go before the inhale's
ENDURANCE_PCT = 65.0       # E of PERFECT (Laycock): held until the power has fallen by 35 % -- and an
                           # assessment's R, the holds that held so for E seconds (`session.assessment.counts_in_r`)
MAXIMAL_PCT = 100.0        # a target this high asks for all the user has ("zo krachtig mogelijk")


def reached_pct(peak_pct: float, decimals: int = 1) -> float:
    """A level reached (a peak, % of the maximum) as it is kept (`decimals` 1: a repetition's
    `reached_pct`, the session's `power_pct_max`) and shown (0: the end screen, the report):
    rounded down, never up. What counts a level reached judges "at least" this kept value -- F
    the flicks at HALF_PCT or more -- so a flick peaking at 49.7 % is not fast; rounded, it was
    shown as "50" beside an F that did not count it, a level she had not reached. Rounded down,
    every figure shown agrees with every count at each whole-% threshold, and none claims more
    than was reached. (1e-9 of the last decimal: a kept value shown again keeps its digits
    through binary fractions.)"""
    return rounded_down(peak_pct, decimals)


def rounded_down(value: float, decimals: int = 1) -> float:
    """`value` to `decimals`, rounded down, never up: a level reached, and a hold's seconds (5.97 s of
    6 asked was *6.0* in `history` and the report beside the end screen's *5 s*: a trial)."""
    scale = 10 ** decimals
    return math.floor(value * scale + 1e-9) / scale


def all_out_timed(kind: str, target_pct: float, hold_s: float, assessing: bool) -> bool:
    """A training hold that asks all the user has for a time asked: a `lift` step at
    MAXIMAL_PCT ("zo krachtig mogelijk"), not an assessment's (which measures by the band) and
    not "as long as possible" (which ends below half the target) -- nor the knack's cough,
    whose short hold is the lift before a cough, not a tiring one. A tiring floor's such hold
    may count as held above ENDURANCE_PCT (`session.coach.Coach._hold_counted_s`)."""
    return kind == "lift" and target_pct >= MAXIMAL_PCT and not assessing and not math.isinf(hold_s)


def band_top_pct(target_pct: float) -> float:
    """The top of the target band: target + BAND_PCT, none for a maximal target -- a lift
    above the maximum known is a stronger floor than that maximum, not a miss."""
    return math.inf if target_pct >= MAXIMAL_PCT else target_pct + BAND_PCT


def let_go_pct(breath_swing_pct: float) -> float:
    """The level (% of maximum) a floor breathing out may show and still be let go: LET_GO_PCT,
    and half the breath's swing (`breath_swing_pct`, in % of the same maximum) on top -- an
    exhale takes a resting floor's level that far up."""
    return LET_GO_PCT + 0.5 * breath_swing_pct


def held_share(kind: str) -> float:
    """The share of the time asked a contraction of step `kind` must be held: PACED_HELD_SHARE for
    the lifts on a paced exhale ("breathe"), HELD_SHARE for the rest."""
    return PACED_HELD_SHARE if kind == "breathe" else HELD_SHARE


def done_well(score: float, held_s: float, asked_s: float, held_breath: bool, kind: str) -> bool:
    """A contraction done well (a training's R; an assessment's R counts its holds by E's mark instead,
    `session.assessment.counts_in_r`): scored GOOD_SCORE or more, held (in its band, or
    a tiring floor's all-out hold above ENDURANCE_PCT) at least `held_share(kind)` of the `asked_s`
    (0 for a flick) -- a lift that reaches its target and is let go at once scores up to 70 on its
    reach, speed and steadiness alone -- and breathed
    through: "Houd nooit je adem in bij inspanning" (002), "U mag niet uw adem inhouden als u
    de spieren aanspant" (003)."""
    return score >= GOOD_SCORE and held_s >= held_share(kind) * asked_s and not held_breath
