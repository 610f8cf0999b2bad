"""The assessment (`meting`): the floor measured in the phases of the Glazer protocol and
read in PERFECT terms (Laycock), from what the coach measured in each step.

Pure logic. The coach keeps a `StepRecord` for every step of an assessing programme
(one whose steps name an `assess` part, see `session.programme`); `assess()` turns them
into an `Assessment` when the session is over:

- rest before and after: the resting level's spread (sd, % of the maximum; a guarded or
  restless floor spreads more), the tension held above the most relaxed level (kPa) and
  the breath's swing on the cushion (kPa; a guarded floor barely moves with the breath);
- the maximum (kPa): the calibration's, measured anew in every assessment;
- the flicks: how many reached half the maximum, the time from the cue to the peak and
  from the peak back to rest (let go);
- the 10 s holds: the mean and peak level held (% of the maximum), their steadiness, and
  the time each held above ENDURANCE_PCT -- what R counts (below);
- the endurance minute: the time held above ENDURANCE_PCT of the maximum (E: Laycock's
  endurance lasts until the power has fallen by 35 %) and above half of it, and the
  slope of the level over the hold (% of the maximum per minute; negative: fatigue), less
  the resting level's drift: the level is measured from the rest the hold began at, and an
  air cushion losing air lowers the pressure under a held lift as at rest (a weak floor
  tiring read +5 to +11 %/min, "the level rose", on a cushion losing 0.03 kPa a minute:
  7 % of its 0.45 kPa). The drift is the analysis' resting baseline from the start of the
  rest before to the end of the rest after, a minute each, over the time between (none
  across a pause: the user sat down anew, on another level);
- after every contraction, whether the floor let go completely (back within
  `LET_GO_PCT` of rest), partly (within `PARTIAL_PCT`) or not, with the residual;
- PERFECT: P the maximum (kPa), E the endurance seconds above ENDURANCE_PCT, R the holds
  that held as E did, F the flicks that reached half the maximum, and the contractions timed.

R, after Laycock (Laycock & Jerwood 2001, "Pelvic floor muscle assessment: the PERFECT
scheme", Physiotherapy 87(12):631-642): E is how long, up to 10 s, a maximal contraction is held
before its power has fallen by 35 %; R is how many times, up to 10, that E-second hold is
repeated (with a rest of about 4 s between). So R is counted by E's own mark, one threshold
(`session.levels.ENDURANCE_PCT`) for both: a hold counts when, made the right way and breathed
through, it stayed above ENDURANCE_PCT -- its power not yet fallen by 35 % -- for HELD_SHARE
(the device's "held the time asked", as in training) of `repetition_hold_s`: E in whole
seconds, as the end screen shows it, and no longer than the hold asked. The meting asks 5 holds
of 10 s (Laycock's longest E) with Glazer's 10 s rest between: its R is of 5. Not the target
band of a training lift (from MAXIMAL_PCT - BAND_PCT, 85 %) nor its score, which R counted
up to 7 Dec 2026: a physiotherapist's trial read a post-partum floor's *Volgehouden 32 s* (E)
beside *Goed vastgehouden 0/5* (R), its holds at 72-82 % each above 65 % for seconds, 0.0 s in
the band -- "held on" and "held nothing well" for one floor, by two thresholds. A held breath
is no repetition (002: "Houd nooit je adem in bij inspanning"). Where the device departs from
Laycock: a hold counts HELD_SHARE of the E seconds, not all; its seconds above the mark are
added up, not timed to the first fall below it (a hold that dips and recovers counts its later
seconds); without an endurance minute and with a hold "as long as possible" any time above the
mark counts; and the meting makes its holds before the endurance minute, not after, so an
endurance minute pushed and held above the mark not at all (E 0 s) says nothing of how long the
floor holds -- R then asks the hold asked, as with no minute (a review: `bears_down_tired`'s 10 s
holds counted 0 of 5 behind a pushed minute); a minute lifted too weakly for the mark, or not
lifted at all, is an E of 0 s (no hold to repeat), and one that held for a while, then pushed,
keeps its E. The buttocks are not judged here: the meting's steps record no
buttock squeeze.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import asdict, dataclass

from session.levels import HALF_PCT, HELD_SHARE, LET_GO_PCT, reached_pct, rounded_down

PARTIAL_PCT = 30.0         # back within this of rest (% of the maximum): let go partly; above it: not


@dataclass(frozen=True)
class StepRecord:
    """What the coach measured in one step of an assessment (times in session seconds,
    levels in % of the maximum). `assess` is the step's part, or None (a relax step
    between contractions)."""

    kind: str
    assess: str | None
    start_s: float
    end_s: float
    mean_pct: float
    sd_pct: float
    peak_pct: float
    peak_s: float | None = None          # when the level peaked (contractions)
    score: float | None = None           # the contraction's score (0-100)
    right_direction: bool = True
    pushed: bool = False                 # the floor pushed in the step (bore down)
    held_breath: bool = False            # lifts: the breath held (no repetition of R)
    asked_hold_s: float | None = None    # ... the hold asked (None: "as long as possible")
    hold_mean_pct: float | None = None   # lifts: the level while held ...
    steadiness: float | None = None
    above_half_s: float = 0.0            # ... the time above HALF_PCT ...
    above_endurance_s: float = 0.0       # ... and above ENDURANCE_PCT (E; a hold's, R) ...
    slope_pct_per_min: float | None = None   # ... and its trend over the hold
    let_go_at_s: float | None = None     # relax steps: when the level came back within LET_GO_PCT
    residual_pct: float | None = None    # ... the level over its last seconds
    tone_kpa: float | None = None        # ... the tension held above the most relaxed level
    excursion_kpa: float | None = None   # ... the breath's swing
    base_start_kpa: float | None = None  # ... the analysis' resting baseline at its first sample ...
    base_end_kpa: float | None = None    # ... and at its last (the cushion's drift, from the rests)


@dataclass(frozen=True)
class Rest:
    level_sd_pct: float
    tone_kpa: float | None
    excursion_kpa: float | None


@dataclass(frozen=True)
class Release:
    after: str              # the contraction's part: flick, hold, endurance
    quality: str            # complete, partial, absent
    residual_pct: float


@dataclass(frozen=True)
class Assessment:
    max_kpa: float
    max_spread_kpa: float | None    # the sd of the calibration's maximal lifts: the measurement's own spread
    rest_before: Rest | None
    rest_after: Rest | None
    flicks: int                     # flicks asked for
    flicks_half: int                # ... that reached half the maximum
    flick_peak_s: float | None      # mean time from the cue to the peak
    flick_release_s: float | None   # mean time from the peak back to rest
    holds: int
    holds_good: int                 # ... that held as E did (R: `counts_in_r`)
    hold_mean_pct: float | None
    hold_peak_pct: float | None
    hold_steadiness: float | None
    endurance_s: float | None       # above ENDURANCE_PCT of the maximum in the endurance minute (E)
    endurance_half_s: float | None  # ... and above half of it
    endurance_slope_pct_per_min: float | None
    releases: tuple[Release, ...]
    errors: dict[str, int]
    rest_drift_kpa_per_min: float | None = None     # the resting level's drift, rest before to rest after
    repetition_hold_s: float | None = None  # the seconds above ENDURANCE_PCT a hold of R is asked (E, up to the hold)
    hold_endured_s: tuple[float, ...] = ()  # each hold's seconds above ENDURANCE_PCT, in order

    @property
    def released_completely(self) -> int:
        return sum(r.quality == "complete" for r in self.releases)

    def perfect_line(self) -> str:
        """P E R F E C T in one line, e.g. ``P 1.84 kPa  E 52 s  R 5/5  F 5/5  ECT 11``."""
        e = "-" if self.endurance_s is None else f"{rounded_down(self.endurance_s, 0):.0f} s"   # (as the end screen)
        return (f"P {self.max_kpa:.2f} kPa  E {e}  R {self.holds_good}/{self.holds}  "
                f"F {self.flicks_half}/{self.flicks}  ECT {len(self.releases)}")

    def as_dict(self) -> dict:
        out = asdict(self)
        out["perfect"] = {"power_kpa": self.max_kpa, "endurance_s": self.endurance_s,
                          "repetitions": self.holds_good, "fast": self.flicks_half,
                          "timed": len(self.releases)}
        return out


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _rest(record: StepRecord | None) -> Rest | None:
    if record is None:
        return None
    return Rest(round(record.sd_pct, 1), _rounded(record.tone_kpa, 4), _rounded(record.excursion_kpa, 4))


def _drift_kpa_per_min(before: StepRecord | None, after: StepRecord | None,
                       resumed_s: tuple[float, ...]) -> float | None:
    """How fast the resting baseline moved from the start of the rest before to the end of the
    rest after (kPa a minute); None without both, or with a pause between them (the user sat
    down anew, on another resting level: a jump, no drift)."""
    if before is None or after is None or before.base_start_kpa is None or after.base_end_kpa is None \
            or after.end_s <= before.start_s or any(before.start_s <= t <= after.end_s for t in resumed_s):
        return None
    return (after.base_end_kpa - before.base_start_kpa) / (after.end_s - before.start_s) * 60.0


def _release(after: str, relax: StepRecord) -> Release:
    residual = relax.residual_pct if relax.residual_pct is not None else relax.mean_pct
    quality = "complete" if residual <= LET_GO_PCT and relax.let_go_at_s is not None \
        else "partial" if residual <= PARTIAL_PCT else "absent"
    return Release(after, quality, round(max(0.0, residual), 1))


def releases_of(records: list[StepRecord]) -> tuple[Release, ...]:
    """How the floor let go after each of an assessment's contractions: the relax step after it,
    complete, partial or absent (the end screen's *Helemaal losgelaten 11/11*, or its *Niet helemaal los
    1/11* the others -- one count, told once: `device.summary_text.assessment_lines`; *los 0/11* beside
    *Niet helemaal los 5/11* were two definitions of it, a trial)."""
    return tuple(_release(record.assess, records[i + 1]) for i, record in enumerate(records)
                 if record.assess in ("flick", "hold", "endurance")
                 and i + 1 < len(records) and records[i + 1].kind == "relax")


def repetition_hold_s(endurance_s: float | None, asked_hold_s: float | None) -> float | None:
    """How long a hold of R must stay above ENDURANCE_PCT (before HELD_SHARE): E, in whole seconds
    as the end screen shows it (`rounded_down`: never more than held), and no longer than the hold
    asked -- Laycock's "E-second" holds, E up to 10 s, the meting's hold. None where neither is
    known (no endurance minute, a hold "as long as possible"): R then asks only that it held there."""
    known = [s for s in (None if endurance_s is None else rounded_down(endurance_s, 0), asked_hold_s)
             if s is not None and not math.isinf(s)]
    return min(known) if known else None


def endured_s(hold: StepRecord) -> float:
    """A hold's seconds above ENDURANCE_PCT as they are kept and shown (the report's *vastgeh. s*),
    rounded down to 0.1 s: never more than held, and what R judges (`counts_in_r`)."""
    return rounded_down(hold.above_endurance_s, 1)


def r_needs_s(hold_s: float | None) -> float:
    """The seconds above ENDURANCE_PCT a hold of R must show: HELD_SHARE of `hold_s`
    (`repetition_hold_s`; None: any at all), to the tenth they are shown in (0.8 x 7 s is
    5.6000...01: a hold of 5.6 s counted no repetition, a review)."""
    return round(HELD_SHARE * (hold_s or 0.0), 1)


def counts_in_r(hold: StepRecord, hold_s: float | None) -> bool:
    """A hold counted in R (Laycock's repetitions, see above): made the right way, breathed
    through, and above ENDURANCE_PCT (`endured_s`) for `r_needs_s(hold_s)` -- none where E was
    0 s: no hold to repeat."""
    held_s = endured_s(hold)
    if hold_s is not None and hold_s <= 0.0:
        return False
    return hold.right_direction and not hold.held_breath and held_s > 0.0 and held_s >= r_needs_s(hold_s)


def assess(records: list[StepRecord], max_kpa: float, errors: dict[str, int],
           peaks_kpa: tuple[float, ...] = (), resumed_s: tuple[float, ...] = ()) -> Assessment:
    """The assessment from the steps' records, in order; `errors` by kind (the session's);
    `peaks_kpa` the calibration's maximal lifts (their spread is the maximum's own); `resumed_s`
    when the session went on after a pause (sat down anew: another resting level, no drift)."""
    by_part: dict[str, list[StepRecord]] = {}
    for record in records:
        if record.assess is not None:
            by_part.setdefault(record.assess, []).append(record)
    flicks, holds = by_part.get("flick", []), by_part.get("hold", [])
    endurance = by_part.get("endurance", [])
    peak_s, release_s = [], []
    for i, record in enumerate(records):
        if record.assess not in ("flick", "hold", "endurance"):
            continue
        after = records[i + 1] if i + 1 < len(records) and records[i + 1].kind == "relax" else None
        if record.assess == "flick" and record.right_direction and record.peak_s is not None:
            peak_s.append(record.peak_s - record.start_s)
            if after is not None and after.let_go_at_s is not None:
                release_s.append(after.let_go_at_s - record.peak_s)
    held = [h for h in holds if h.right_direction and h.hold_mean_pct is not None]
    endurance_s = round(endurance[0].above_endurance_s, 1) if endurance else None
    e_for_r_s = None if endurance and endurance[0].pushed and not endurance_s else endurance_s   # (see above)
    r_holds_s = [repetition_hold_s(e_for_r_s, h.asked_hold_s) for h in holds]
    drift = _drift_kpa_per_min(by_part.get("rest_before", [None])[0], by_part.get("rest_after", [None])[-1],
                               resumed_s)
    slope = endurance[0].slope_pct_per_min if endurance else None
    if slope is not None and drift is not None:
        slope += drift / max_kpa * 100.0          # a falling rest reads as a rising level: not the floor's
    return Assessment(
        max_kpa=round(max_kpa, 3),
        max_spread_kpa=round(statistics.stdev(peaks_kpa), 4) if len(peaks_kpa) >= 2 else None,
        rest_before=_rest(by_part.get("rest_before", [None])[0]),
        rest_after=_rest(by_part.get("rest_after", [None])[-1]),
        flicks=len(flicks),
        flicks_half=sum(f.right_direction and reached_pct(f.peak_pct) >= HALF_PCT   # as its rep shows it
                        for f in flicks),
        flick_peak_s=_rounded(_mean(peak_s), 2), flick_release_s=_rounded(_mean(release_s), 2),
        holds=len(holds),
        holds_good=sum(counts_in_r(h, hold_s) for h, hold_s in zip(holds, r_holds_s)),
        hold_mean_pct=_rounded(_mean([h.hold_mean_pct for h in held]), 1),
        hold_peak_pct=_rounded(max((h.peak_pct for h in held), default=None), 1),
        hold_steadiness=_rounded(_mean([h.steadiness for h in held if h.steadiness is not None]), 2),
        endurance_s=endurance_s,
        endurance_half_s=round(endurance[0].above_half_s, 1) if endurance else None,
        endurance_slope_pct_per_min=_rounded(slope, 1),
        releases=releases_of(records), errors=dict(errors), rest_drift_kpa_per_min=_rounded(drift, 4),
        repetition_hold_s=r_holds_s[0] if len(set(r_holds_s)) == 1 else None,   # (the meting's holds: alike)
        hold_endured_s=tuple(endured_s(h) for h in holds))
