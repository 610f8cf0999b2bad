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
from dataclasses import dataclass, field

from session.analyzer import WARMUP, Analyzer
from session.events import (BEAR_DOWN, BREATH_HOLD, COMPLETED, CONTRACTION, COUGH, GLUTE, RAISED,
                            RETRACTED, Notice)
from session.programme import Programme, Step

BAND_PCT = 15.0            # the target band is target +-15 % of maximum
LET_GO_PCT = 10.0          # at or below this the floor counts as let go
DEFAULT_MAX_KPA = 1.0      # if calibration saw no lift at all


@dataclass(frozen=True)
class Cue:
    t: float                # session seconds
    cue: str                # stable id: inhale, exhale_lift, hold, relax, warn_bear_down, ...
    params: dict = field(default_factory=dict)


@dataclass
class RepScore:
    series: int
    rep: int
    contraction: dict
    relaxation: dict

    def as_dict(self) -> dict:
        return {"series": self.series, "rep": self.rep, "contraction": self.contraction,
                "relaxation": self.relaxation}


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


class _StepMeter:
    """Collects what happened during one lift/flick/relax step, for scoring."""

    def __init__(self, start_s: float) -> None:
        self.start_s = start_s
        self.peak_pct = 0.0
        self.reached_s: float | None = None
        self.hold_start_s: float | None = None
        self.in_band_s = 0.0
        self.n = 0
        self.sum = 0.0
        self.sum2 = 0.0
        self.let_go_s: float | None = None
        self.tail_sum = 0.0
        self.tail_n = 0
        self.pushed = False
        self.warned = False
        self.breath_phase = ""
        self.hold_n = 0
        self.hold_sum = 0.0
        self.hold_sum2 = 0.0
        self.glute = False
        self.held_breath = False
        self.on_exhale: bool | None = None     # did the step's lift begin on an exhale?
        self.cough_lead_s: float | None = None # knack: how long the lift led the cough
        self.cough_below_rest: bool | None = None


class Coach:
    """Coaches `programme` from `analyzer`'s state and notices.

    `outbox` holds the cues of the latest `update()` (emptied when the next one starts):
    the caller hands them on after each tick.
    """

    def __init__(self, programme: Programme, analyzer: Analyzer, *,
                 max_drop_kpa: float | None = None) -> None:
        self.programme = programme
        self.analyzer = analyzer
        self.outbox: list[Cue] = []
        self.max_drop_kpa = max_drop_kpa
        self.reps: list[RepScore] = []
        self.bear_down_warnings = 0
        self.calibration_peaks_kpa: list[float] = []
        self.level_pct = 0.0
        self.done = False
        self.phase: Phase | None = None
        self._plan = self._build_plan()
        self._plan_i = -1
        self._t = 0.0
        self._meter: _StepMeter | None = None
        self._rep_parts: list[dict] = []
        self._rep_relaxation: dict | None = None
        self.not_let_go = 0
        self.glute_warnings = 0
        self.breath_hold_warnings = 0
        self.coughs = 0
        self.extra_flicks: list[dict] = []     # flicks after a repetition's main contraction

    # --- plan -------------------------------------------------------------------------------
    def _build_plan(self) -> list[tuple]:
        """The session as a list of (kind, duration_s, step, series, rep, index)."""
        p = self.programme
        plan: list[tuple] = []
        # targets are % of the user's maximum: without a known maximum, measure it first
        # (a programme marked calibrate = false, like micro, relies on the day's stored one)
        needs_max = any(s.kind in ("lift", "floor", "flick", "cough") for s in p.steps)
        if (p.calibrate or needs_max) and self.max_drop_kpa is None:
            plan.append(("calibrate_rest", 10.0, None, 0, 0, 0))
            for n in (1, 2, 3):
                plan.append(("calibrate_max", 6.0, None, 0, n, 0))
                plan.append(("calibrate_rest_between", 8.0, None, 0, n, 0))
        else:
            plan.append(("settle", 8.0, None, 0, 0, 0))      # the analyzer's warm-up: sit still
        for series in range(1, p.series + 1):
            for rep in range(1, p.reps + 1):
                for index, step in enumerate(p.steps):
                    plan.append((step.kind, step.estimate_s(), step, series, rep, index))
            if series < p.series:
                plan.append(("series_rest", p.series_rest_s, None, series, 0, 0))
        return plan

    def resume(self, t: float) -> None:
        """Carry on at session time `t` after a pause (the user stood up, or the sensor
        failed): the interrupted repetition starts again from its first step after a
        settle phase in which the analyzer warms up again; a calibration starts over.
        Nothing of the unfinished repetition is scored."""
        if self.done or self.phase is None:
            return
        i = self._plan_i
        kind, _, step, _, _, index = self._plan[i]
        if kind.startswith("calibrate"):
            i = 0
            self.calibration_peaks_kpa.clear()
        else:
            i -= index if step is not None else 0
            self._plan.insert(i, ("settle", 8.0, None, 0, 0, 0))
        self._plan_i = i - 1
        self.phase = self._meter = None
        self._rep_parts = []
        self._rep_relaxation = None
        self._t = t                  # the next update() starts the settle phase and cues it

    # --- per tick ---------------------------------------------------------------------------
    def update(self, t: float) -> None:
        """Advance to session time `t` (seconds); call once per sample tick."""
        if self.outbox:
            self.outbox.clear()
        if self.done:
            return
        dt = t - self._t
        self._t = t
        a = self.analyzer
        for notice in a.notices:
            self._on_notice(notice)
        max_kpa = self.max_drop_kpa or DEFAULT_MAX_KPA
        self.level_pct = level = -a.deviation_kpa / max_kpa * 100.0 if a.state != WARMUP else 0.0
        if self.phase is None or t >= self.phase.end_s:
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
        kind = step.kind
        if kind in ("lift", "floor", "cough"):
            lo = _target_pct(step) - BAND_PCT
            hi = _target_pct(step) + BAND_PCT
            in_band = lo <= level <= hi
            if meter.reached_s is None and in_band:
                meter.reached_s = t
            if kind == "cough" and not meter.warned and t - meter.start_s >= step.rise_s:
                meter.warned = True
                self._cue("cough_now")
            if meter.hold_start_s is None and (meter.reached_s is not None
                                              or t - meter.start_s >= step.rise_s):
                meter.hold_start_s = t
                if kind != "cough":
                    self._cue("hold", seconds=_hold_text(step))
                    phase.end_s = t + (60.0 if math.isinf(step.hold_s) else step.hold_s)
            if meter.hold_start_s is not None:
                meter.hold_n += 1
                meter.hold_sum += level
                meter.hold_sum2 += level * level
                if in_band:
                    meter.in_band_s += dt
                elif math.isinf(step.hold_s) and t - meter.hold_start_s > 2.0 \
                        and level < 0.5 * _target_pct(step):
                    phase.end_s = t                     # tired: the "as long as possible" hold is over
        elif kind == "flick":
            if meter.reached_s is None and level >= step.target_pct - BAND_PCT:
                meter.reached_s = t
        elif kind == "relax":
            if meter.let_go_s is None and level <= LET_GO_PCT:
                meter.let_go_s = t
            if phase.end_s - t <= 2.0:
                meter.tail_sum += level
                meter.tail_n += 1
            if meter.let_go_s is None and t - meter.start_s > min(4.0, 0.6 * step.duration_s) \
                    and not meter.warned:
                meter.warned = True
                self._cue("warn_let_go")
        elif kind == "breathe":
            cycle_s = step.inhale_s + step.exhale_s
            inhaling = (t - meter.start_s) % cycle_s < step.inhale_s
            name = "inhale" if inhaling else ("exhale_lift" if step.target_pct > 0 else "breathe_out_long")
            if name != meter.breath_phase:
                meter.breath_phase = name
                if name == "exhale_lift":
                    self._cue(name, target_pct=step.target_pct)
                else:
                    self._cue(name)
            if not inhaling and step.target_pct > 0 \
                    and abs(level - step.target_pct) <= BAND_PCT:
                meter.in_band_s += dt
                if meter.reached_s is None:
                    meter.reached_s = t
            if inhaling:
                if meter.let_go_s is None and level <= LET_GO_PCT:
                    meter.let_go_s = t
                if (t - meter.start_s) % cycle_s >= step.inhale_s / 2:   # settled into the inhale
                    meter.tail_sum += level
                    meter.tail_n += 1

    def _on_notice(self, notice: Notice) -> None:
        meter = self._meter
        event = notice.event
        kind = event.kind
        if notice.change == RETRACTED:
            if kind == CONTRACTION and event.completed_at is not None \
                    and self.phase is not None and self.phase.kind.startswith("calibrate") \
                    and event.metrics.get("peak_drop_kpa") in self.calibration_peaks_kpa:
                self.calibration_peaks_kpa.remove(event.metrics["peak_drop_kpa"])
            return
        if notice.change == RAISED and kind == BEAR_DOWN:
            self.bear_down_warnings += 1
            if meter is not None:
                meter.pushed = True
            self._cue("warn_bear_down")
        elif notice.change == RAISED and kind == GLUTE:     # the buttocks instead of the floor
            self.glute_warnings += 1
            if meter is not None:
                meter.glute = True
            self._cue("warn_glutes")
        elif notice.change == RAISED and kind == BREATH_HOLD:   # the brochures: never hold your breath
            self.breath_hold_warnings += 1
            if meter is not None:
                meter.held_breath = True
            self._cue("warn_keep_breathing")
        elif notice.change == RAISED and kind == COUGH:
            self.coughs += 1
            if meter is not None and self.phase.kind == "cough" and meter.cough_lead_s is None:
                lift = self.analyzer.open_lift
                meter.cough_lead_s = None if lift is None else round(event.start - lift.start, 2)
                meter.cough_below_rest = bool(event.metrics["below_rest"])
        elif notice.change == RAISED and kind == CONTRACTION:
            if meter is not None and meter.on_exhale is None:
                meter.on_exhale = not self.analyzer.breath.inhaling
        elif notice.change == COMPLETED and kind == CONTRACTION and event.retracted is None:
            if self.phase is not None and self.phase.kind.startswith("calibrate"):
                self.calibration_peaks_kpa.append(event.metrics["peak_drop_kpa"])

    def _cue(self, cue: str, **params) -> None:
        self.outbox.append(Cue(self._t, cue, params))

    # --- phases -----------------------------------------------------------------------------
    def _next_phase(self, t: float) -> None:
        self._finish_phase(t)
        self._plan_i += 1
        if self._plan_i >= len(self._plan):
            self.done = True
            self.phase = None
            self._cue("summary")
            return
        kind, length_s, step, series, rep, index = self._plan[self._plan_i]
        self.phase = Phase(kind, t, t + length_s, step, series, rep, index)
        self._meter = _StepMeter(t) if step is not None else None
        p = self.programme
        if kind == "calibrate_rest" or kind == "settle":
            self._cue("calibrate_rest")
        elif kind == "calibrate_max":
            self._cue("calibrate_max", n=rep)
        elif kind == "calibrate_rest_between":
            self._cue("relax")
        elif kind == "series_rest":
            self._cue("series_rest", series=series, of=p.series)
        elif kind == "inhale":
            self._cue("inhale")
        elif kind == "lift":
            self._cue("exhale_lift", target_pct=_target_pct(step), floor=step.floor)
        elif kind == "floor":
            self._cue("lift_to_floor", floor=step.floor, target_pct=_target_pct(step))
        elif kind == "flick":
            self._cue("flick")
        elif kind == "relax":
            self._cue("relax")
        elif kind == "cough":
            self._cue("brace")
            self.phase.end_s = t + step.rise_s + 1.0 + step.hold_s

    def _finish_phase(self, t: float) -> None:
        phase, meter = self.phase, self._meter
        if phase is None:
            return
        if phase.kind == "calibrate_rest_between" and phase.rep == 3:
            self._finish_calibration()
        if meter is None:
            return
        kind = phase.step.kind
        if kind in ("lift", "floor", "flick", "cough") or (kind == "breathe" and phase.step.target_pct > 0):
            score = self._score_contraction(phase, meter, t)
            if kind == "flick" and self._rep_parts:
                self.extra_flicks.append(score)        # flicks after the repetition's main lift
            else:
                self._rep_parts.append(score)
        if (kind == "relax" and self._rep_parts or kind == "breathe") \
                and self._rep_relaxation is None:
            self._rep_relaxation = self._score_relaxation(phase, meter, t)
        if phase.index == len(self.programme.steps) - 1:
            self._score_rep(phase)

    def _finish_calibration(self) -> None:
        peaks = sorted(self.calibration_peaks_kpa, reverse=True)
        self.max_drop_kpa = peaks[0] if peaks else DEFAULT_MAX_KPA

    # --- scoring ----------------------------------------------------------------------------
    def _score_contraction(self, phase: Phase, m: _StepMeter, t: float) -> dict:
        step = phase.step
        target = _target_pct(step)
        lifted = m.peak_pct > LET_GO_PCT        # the pressure really went below rest (a lift)
        right_direction = lifted and not m.pushed
        if m.hold_n:       # how close the held level stayed to the target (over- and undershoot)
            held = m.hold_sum / m.hold_n
            reach = max(0.0, 1.0 - abs(held - target) / max(target, 25.0))
        else:              # flicks and breaths: the peak against the target; overshoot costs
            over = max(0.0, m.peak_pct - target - BAND_PCT)
            reach = max(0.0, min(1.0, m.peak_pct / target) - over / 100.0) if target > 0 else 1.0
        to_target_s = None if m.reached_s is None else round(m.reached_s - m.start_s, 2)
        if step.kind in ("flick", "breathe"):
            hold_ratio, hold_s, steadiness = 1.0, 0.0, 1.0
        else:
            hold_s = m.in_band_s
            want_s = 30.0 if math.isinf(step.hold_s) else step.hold_s
            hold_ratio = min(1.0, hold_s / want_s) if want_s > 0 else 1.0
            var = max(0.0, m.hold_sum2 / m.hold_n - (m.hold_sum / m.hold_n) ** 2) if m.hold_n else 0.0
            steadiness = max(0.0, 1.0 - math.sqrt(var) / 40.0)
        allowed_s = step.rise_s if step.kind not in ("flick", "breathe") else 1.0
        timely = 0.0 if to_target_s is None else 1.0 if to_target_s <= allowed_s else 0.5
        score = 0.0
        if right_direction:
            score = 100.0 * (0.4 * reach + 0.3 * hold_ratio + 0.15 * steadiness + 0.15 * timely)
            if m.glute:                    # the buttocks helped: compensation, not a clean lift
                score *= 0.5
        out = {"kind": step.kind, "right_direction": right_direction, "pushed": m.pushed,
               "glute": m.glute, "held_breath": m.held_breath, "on_exhale": m.on_exhale,
               "target_pct": target, "reached_pct": round(m.peak_pct, 1),
               "time_to_target_s": to_target_s, "hold_s": round(hold_s, 2),
               "steadiness": round(steadiness, 2), "score": round(score, 1)}
        if step.kind == "cough":          # the knack: the lift before the cough, and through it
            out["cough_lead_s"] = m.cough_lead_s
            out["cough_below_rest"] = m.cough_below_rest
        return out

    def _score_relaxation(self, phase: Phase, m: _StepMeter, t: float) -> dict:
        let_go_s = None if m.let_go_s is None else round(m.let_go_s - m.start_s, 2)
        if let_go_s is None:
            self.not_let_go += 1
        residual_pct = m.tail_sum / m.tail_n if m.tail_n else (m.sum / m.n if m.n else 0.0)
        completeness = max(0.0, min(1.0, 1.0 - max(0.0, residual_pct) / 30.0))
        speed = 0.0 if let_go_s is None else max(0.0, min(1.0, 1.0 - (let_go_s - 1.0) / 4.0))
        score = 0.0 if m.pushed else 100.0 * completeness * (0.5 + 0.5 * speed)   # pushing is not letting go
        return {"time_to_let_go_s": let_go_s, "residual_pct": round(residual_pct, 1),
                "pushed": m.pushed, "score": round(score, 1)}

    def _score_rep(self, phase: Phase) -> None:
        parts = self._rep_parts
        contraction = None
        if parts:
            contraction = dict(parts[0])
            if len(parts) > 1:     # the lift's floors: one repetition, scored over all of them
                contraction.update(
                    kind="+".join(dict.fromkeys(p["kind"] for p in parts)),
                    right_direction=all(p["right_direction"] for p in parts),
                    pushed=any(p["pushed"] for p in parts),
                    reached_pct=max(p["reached_pct"] for p in parts),
                    hold_s=round(sum(p["hold_s"] for p in parts), 2),
                    score=round(sum(p["score"] for p in parts) / len(parts), 1))
        relaxation = self._rep_relaxation
        if relaxation is None or (contraction is not None and not contraction["right_direction"]):
            relaxation = {"time_to_let_go_s": None, "residual_pct": None, "pushed": None, "score": None}
        self.reps.append(RepScore(phase.series, phase.rep, contraction, relaxation))
        self._rep_parts = []
        self._rep_relaxation = None
        self._cue("rep_done", rep=phase.rep, series=phase.series,
                  score=None if contraction is None else contraction["score"])

    # --- summary ----------------------------------------------------------------------------
    def summary(self) -> dict:
        contractions = [r.contraction for r in self.reps if r.contraction is not None]
        good = [c for c in contractions if c["right_direction"]]
        relax = [r.relaxation["score"] for r in self.reps if r.relaxation["score"] is not None]
        best_pct = max((c["reached_pct"] for c in good), default=0.0)
        max_kpa = self.max_drop_kpa or DEFAULT_MAX_KPA
        return {
            "max_drop_kpa": round(max_kpa, 3),
            "perfect": {
                "power": round(best_pct / 100.0 * max_kpa, 3),
                "power_pct_max": round(best_pct, 1),
                "endurance_s": round(max((c["hold_s"] for c in good), default=0.0), 2),
                "repetitions": sum(c["score"] >= 50.0 for c in good if c["kind"] != "flick"),
                "fast": sum(c["kind"] == "flick" and c["right_direction"] and c["reached_pct"] >= 50.0
                            for c in good + self.extra_flicks),
            },
            "contraction_score": round(sum(c["score"] for c in contractions) / len(contractions), 1)
            if contractions else None,
            "relaxation_score": round(sum(relax) / len(relax), 1) if relax else None,
            "errors": {"bear_down": self.bear_down_warnings, "not_let_go": self.not_let_go,
                       "wrong_direction": sum(c["pushed"] for c in contractions),
                       "no_lift": sum(not c["right_direction"] and not c["pushed"] for c in contractions),
                       "glute": self.glute_warnings, "breath_hold": self.breath_hold_warnings},
            "coughs": self.coughs,
            "lifts_on_exhale": sum(c["on_exhale"] is True for c in contractions),
            "lifts_timed": sum(c["on_exhale"] is not None for c in contractions),
            "knack": [{"lead_s": c["cough_lead_s"], "below_rest": c["cough_below_rest"]}
                      for c in contractions if "cough_lead_s" in c],
        }


def _target_pct(step: Step) -> float:
    return step.floor * 25.0 if step.floor else step.target_pct


def _hold_text(step: Step) -> float | None:
    return None if math.isinf(step.hold_s) else step.hold_s
