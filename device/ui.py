"""The session's face: the coach's phase and cues as OLED screens.

Every cue forces a redraw tagged with the cue, so the cue log can say when the screen
really showed it. Between cues the view is worked out at most every `frame_period_s`
and a frame is drawn only when the view changed (the live level moves in whole
pixels), which keeps the shared I2C bus free for sampling. Warnings (bear-down, let go)
take the whole screen for `warning_s`. The screen renders and sends the frame in the
reactor's gaps (`device.core.ScreenPump`); nothing here draws.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Callable

from device.screens import (LiftView, MessageView, PacerView, RelaxView, SummaryView, View, WarningView,
                            summary_title_size, warm_up_views)
from device.texts import TEXTS, text
from session import cues
from device.summary_text import (ROW_SIZE, assessment_lines, holds_missed, listed_mistakes, mistake_lines,
                                 mistakes_title, result_lines, sheets)
from session.coach import RELAX_FIRST, UNHELD, Coach, Cue
from session.levels import BAND_PCT
from session.programme import MAX_HOLD_S

CAPTIONS = (cues.EXHALE_LIFT, cues.LIFT_TO_FLOOR, cues.DOWN_TO_FLOOR, cues.HOLD, cues.BRACE, cues.COUGH_NOW,
            cues.FLICK)

RESTS = ("rest_before", "rest_after")    # the assessment's parts that measure the floor at rest
CALIBRATING = ("calibrate_max", "calibrate_rest_between")   # shown against the calibration's best there is
SUMMARY_PAGE_S = 4.0          # the end screen's pages (results, mistakes, a new level) take turns this often
AFTER_TEXTS = {"hold": "warn_breath_after_hold", "lift": "warn_breath_after_lift"}   # a held breath told after it


class SessionUi:
    def __init__(self, coach: Coach, screen, lang: str,
                 log: Callable[[float, str, str, str | None], None], *,
                 frame_period_s: float = 0.2, warning_s: float = 1.5, previous: dict | None = None) -> None:
        """`previous`: the last stored summary of the same programme (the end screen compares)."""
        self.coach = coach
        self.previous = previous
        self.see_physio = False          # the end screen advises a pelvic physiotherapist (`mistake_lines`)
        self.news: View | None = None    # the level the session moved the user to: the end screen's last page
        self.screen = screen
        self.lang = lang
        self.log = log
        self.frame_period_s = frame_period_s
        self.warning_s = warning_s
        self._next_frame_s = 0.0
        self._last_view = None
        self._warning: tuple[str, float, dict] | None = None     # the cue, until when, its parameters
        self._caption = cues.CALIBRATE_REST
        self._caption_params: dict = {}
        self._forced: list[Cue] = []
        self._paused: str | None = None
        self._notice: tuple[View, float] | None = None

    @property
    def urgent(self) -> bool:
        """A warning is on the screen or on its way there."""
        return self._warning is not None

    def t(self, key: str, **params) -> str:
        return text(key, self.lang, **params)

    def warm_up_views(self) -> list[View]:
        """What this session will show, to be rendered ahead in idle gaps: every caption,
        footer, countdown and message line it can have."""
        p = self.coach.programme
        captions = [t[self.lang] for t in TEXTS.values() if "{" not in t[self.lang]]
        captions += [self.t("calibrate_max", n=n) for n in (1, 2, 3)]
        captions += [self.t(key, floor=f) for f in (1, 2, 3, 4) for key in ("lift_to_floor", "down_to_floor")]
        longest_s = math.ceil(max([10.0] + [s.estimate_s() for s in p.steps]
                                  + [s.rise_s + MAX_HOLD_S for s in p.steps if math.isinf(s.hold_s)]))
        if p.assesses:
            footers = [self.t("assess_" + part) for part in dict.fromkeys(s.assess for s in p.steps if s.assess)]
        else:
            footers = [self.t("rep", rep=r, reps=p.reps) + "  " + self.t("series", series=s, of=p.series)
                       for s in range(1, p.series + 1) for r in range(1, p.reps + 1)]
        messages: list[View] = [self._settle_view(n) for n in range(11)]
        messages += [WarningView(self.t(cue), self._warning_detail(cue, params)) for cue, params in
                     [(cues.WARN_BEAR_DOWN, {"lifting": True}), (cues.WARN_BEAR_DOWN, {}),
                      (cues.WARN_LET_GO, {"with_breath": True})]
                     + [(cues.WARN_KEEP_BREATHING, {"after": after}) for after in AFTER_TEXTS]]
        messages += [self._series_rest_view(s, n) for s in range(2, p.series + 1)
                     for n in range(math.ceil(p.series_rest_s) + 2)]
        return (warm_up_views(captions, footers, range(longest_s + 2)) + messages
                + self.summary_sheets())

    def _settle_view(self, left_s: float) -> MessageView:
        return MessageView(self.t(cues.CALIBRATE_REST), (f"{math.ceil(left_s)} s",))

    def _series_rest_view(self, next_series: int, left_s: float) -> MessageView:
        return MessageView(self.t("series_rest"), (self.t("series", series=next_series, of=self.coach.programme.series),
                                                   f"{math.ceil(left_s)} s"))

    # --- cues ----------------------------------------------------------------------------
    def on_cue(self, cue: Cue) -> None:
        if cue.cue in cues.WARNINGS:
            self._warning = (cue.cue, cue.t + self.warning_s, cue.params)
        elif cue.cue != cues.REP_DONE:
            self._caption = cue.cue
            self._caption_params = cue.params
        self._forced.append(cue)

    def _after_a_lift(self, phase) -> bool:
        """The step before `phase`'s -- in its repetition, or the last of the one before -- asks a
        lift (a physiotherapist's repetition that begins with a rest said *Laat los* with nothing
        to let go: a review)."""
        steps = self.coach.programme.steps
        if phase.index == 0 and phase.rep <= 1:       # a series' first: after a calibration or a series rest
            return False
        before = steps[phase.index - 1]            # (index 0: the last step of the repetition before)
        return before.asks_lift

    def _let_go_caption(self) -> str:
        """*Laat los* -- after a cough of the knack, with how it went: *Op tijd! Laat los* where the lift
        led it (as the end screen counts *Op tijd aangespannen*), *Te laat. Laat los* where it did not
        (trial87: nothing said how each cough went, only the count at the end); a lift that led the cough
        but was let go with it, *Laat los* (the end screen's count and advice say it)."""
        knack = self.coach.knack_just_made
        if knack is None:
            return "relax"
        return "relax_in_time" if knack.led else "relax_too_late" if not knack.in_time else "relax"

    def _warning_detail(self, cue: str, params: dict) -> str:
        """A warning's second line: under *Niet persen!* what to do instead -- in a step that asks a
        lift, let go and lift; else, let go (it said only what not to: a trial); under *Laat los*, a
        floor not moving with the paced breath; under *Adem rustig door* told after the hold or the
        lift, that it was in it."""
        if cue == cues.WARN_BEAR_DOWN:
            return self.t("warn_bear_down_how" if params.get("lifting") else "warn_bear_down_rest")
        if params.get("with_breath"):
            return self.t("warn_let_go_breath")
        after = params.get("after")
        return self.t(AFTER_TEXTS[after]) if after else ""

    def notice(self, view: View, until_t: float) -> None:
        """Show `view` instead of the session until session time `until_t` (the device's
        own news, storage trouble say); coaching goes on meanwhile."""
        self._notice = (view, until_t)
        self._next_frame_s = 0.0

    def set_paused(self, reason: str | None) -> None:
        """Show the pause screen for `reason` ("stood_up", "button", "sensor"), or, with
        None, the session again; either way the next update redraws."""
        self._paused = reason
        self._warning = None
        self._last_view = None
        self._next_frame_s = 0.0

    # --- frames ----------------------------------------------------------------------------
    def update(self, t: float) -> None:
        """Render a new frame if a cue forced one or the view changed and a frame is due."""
        forced = self._forced
        if not self.screen.present:
            forced.clear()                       # no screen: the buzzer carries the cues
            return
        if not forced and t < self._next_frame_s:
            return
        self._next_frame_s = t + self.frame_period_s
        view = self.view(t)
        if not forced and view == self._last_view:
            return
        self._last_view = view
        tag = None
        if forced:                               # the cues this frame shows first (the screen
            tag = (tuple(c.cue for c in forced), _caption_of(view))   # tells when they are shown)
            self._forced = []
        self.screen.show(view, tag=tag, force=True)

    def show_summary(self, page: int) -> None:
        """Put the end screen's `page` up (the appliance turns the pages while it stays)."""
        if self.screen.present:
            self.screen.show(self.summary_view(page), force=True)

    def frame_shown(self, t: float, tags: tuple) -> None:
        """A frame is on the screen with `tags` ((cues, caption) each): log every cue."""
        for cues_shown, caption in tags:
            for cue in cues_shown:
                self.log(t, "oled", cue, caption)

    def view(self, t: float):
        coach = self.coach
        if self._paused is not None:
            return paused_view(self._paused, self.lang)
        if self._notice is not None:
            notice, until = self._notice
            if t < until:
                return notice
            self._notice = None
        if self._warning is not None:
            cue, until, params = self._warning
            if t < until:       # a floor that does not move with the paced breath: told so under it
                return WarningView(self.t(cue), self._warning_detail(cue, params))
            self._warning = None
        phase = coach.phase
        if coach.done or phase is None:
            return self.summary_view()
        kind = phase.kind
        # the calibration's lifts and rests against the best there is to go by (`Coach.calibration_pct`:
        # the maximum is what it measures); getting up, none: the cushion unloaded is no lift
        shown_pct = 0.0 if coach.getting_up else coach.calibration_pct if kind in CALIBRATING else coach.level_pct
        level = round(shown_pct / 2.0) * 2.0       # whole pixels on a 50-px shaft
        left_s = max(0.0, phase.end_s - t)
        footer = self._footer(phase)
        if kind in ("calibrate_rest", "settle"):
            return self._settle_view(left_s)
        if kind == "calibrate_max":     # the maximum is measured: no target to miss, no "higher" (a trial)
            return LiftView(level, None, None, None, self.t("calibrate_max", n=phase.rep), math.ceil(left_s), "")
        if kind in ("calibrate_rest_between", "relax"):     # a rest of its own (the assessment's minute, a
            resting = phase.step is not None and (phase.step.assess in RESTS    # step after no lift) is sat,
                                                  or not self._after_a_lift(phase))   # not let go: "Laat los 58 s"
            return RelaxView(level, math.ceil(left_s), self.t(cues.CALIBRATE_REST if resting
                                                              else self._let_go_caption()), footer)
        if kind == RELAX_FIRST:
            return RelaxView(level, None, self.t(cues.RELAX_FIRST), footer)
        if kind == "series_rest":
            return self._series_rest_view(phase.series + 1, left_s)
        step = phase.step
        if kind == "inhale":
            progress = 1.0 - left_s / step.duration_s if step.duration_s else 1.0
            return PacerView("inhale", round(progress, 1), self.t("inhale"), footer)
        if kind == "breathe":
            cycle_s = step.inhale_s + step.exhale_s
            pos_s = (t - phase.start_s) % cycle_s
            inhaling = pos_s < step.inhale_s
            progress = pos_s / step.inhale_s if inhaling else (pos_s - step.inhale_s) / step.exhale_s
            caption = self.t("breathe_in_belly" if inhaling else "exhale_lift" if step.target_pct > 0
                             else "breathe_out_long")      # belly breathing (001, 004)
            if step.target_pct > 0 and coach.by_direction:   # no maximum: the lift made, no target to reach
                bar, target = round(coach.gentle_pct / 2.0) * 2.0, None
            elif step.target_pct > 0:           # the lift on the exhale, live, against its target
                bar, target = max(0.0, level), step.target_pct
            else:                               # letting go: the tension held, live (empty: let go)
                bar, target = round(coach.tension_pct / 5.0) * 5.0, None
            return PacerView("inhale" if inhaling else "exhale", round(progress, 1), caption, footer, bar, target)
        target = step.target_pct
        caption_key = self._caption if self._caption in CAPTIONS else cues.EXHALE_LIFT
        countdown = None
        if self._caption == cues.HOLD and not math.isinf(step.hold_s):
            countdown = math.ceil(left_s)
        elif self._caption == cues.HOLD:        # as long as you can: said so, and the seconds held in the
            caption_key = "hold_max"            # band count up (the time the score counts, and the summary)
            if phase.hold_start_s is not None:
                countdown = math.floor(coach.held_s)
        if caption_key in ("hold", "hold_max") and coach.sinking:
            caption_key = "hold_higher"         # below the band, where no time counts as held
        if caption_key in ("hold", "hold_max", "hold_higher") and step.kind != "cough" and (
                coach.breath_hold_warnings or step.floor is not None or _no_hold_yet(coach)):
            caption_key += "_breathe"           # keep breathing, said as it holds: once the breath was held; in
                                                # the lift exercise's floors, where a held breath hides; in the
                                                # first hold (else nothing asked for breathing before: trial92)
        caption = self.t(caption_key, **_format_params(caption_key, self._caption_params, step))
        return LiftView(level, target - BAND_PCT, min(100.0, target + BAND_PCT), step.floor,
                        caption, countdown, footer)

    def _footer(self, phase) -> str:
        p = self.coach.programme
        if p.assesses:                 # an assessment: which part of it
            part = phase.step.assess if phase.step is not None else None
            return self.t("assess_" + part) if part else ""
        if not phase.series:
            return ""
        return (self.t("rep", rep=phase.rep, reps=p.reps) + "  "
                + self.t("series", series=phase.series, of=p.series))

    def summary_view(self, page: int = 0) -> View:
        """The end screen's `page` of `summary_sheets`, round again after the last."""
        shown = self.summary_sheets()
        return shown[page % len(shown)]

    def summary_sheets(self) -> list[View]:
        """The end screen's pages in turn: the results against last time, the mistakes and advice
        (each on pages of two rows in a large font: `summary_text.sheets`), and a new level (`news`, when
        the session moved the user to one: shown while the end screen stays, not only for a moment as
        the menu returns) -- numbered where more than one, each title by its page's place among them
        all (*Klaar! 2/5*, *Tip 4/5*: three or four pages titled *Klaar!* left a trial's user unsure
        where he was, and numbered under each title, *Klaar! 4/4* was followed by three more, another
        trial); a title the number would take below ROW_SIZE has none (*Niet duidelijk beter 4/6* fell
        to the 8-px font). The new level's page is counted, not numbered."""
        pages = self.result_sheets() + self.mistake_sheets()
        total = len(pages) + (self.news is not None)
        if total > 1:
            pages = [page if summary_title_size(numbered := f"{page.title} {i}/{total}") < ROW_SIZE
                     else replace(page, title=numbered) for i, page in enumerate(pages, start=1)]
        return pages + ([] if self.news is None else [self.news])

    def result_sheets(self) -> list[SummaryView]:
        """The results' pages, under *Klaar!*."""
        assessment = self.coach.assessment()
        if assessment is not None:
            lines = assessment_lines(assessment, self.previous, self.lang,
                                     not_let_go_listed="not_let_go" in listed_mistakes(self.coach.summary()))
        else:
            lines = result_lines(self.coach.summary(), self.previous, self.lang,
                                 strength=self.coach.programme.asks_maximal)
        return [SummaryView(self.t("summary"), rows) for rows in sheets(lines)]

    def mistake_sheets(self) -> list[SummaryView]:
        """The mistakes' pages, under their title (`mistakes_title`), then the advice on a page of its
        own, under *Tip* -- under the mistakes' title it read as one more mistake, praise under
        *Aandachtspunten* as a contradiction (a review) -- or, with no mistake listed, under theirs
        (*Geen fouten / Goed zo! Oefen elke dag*); the advice to see a physiotherapist always under why
        (*Niet duidelijk beter*)."""
        s, missed = self.coach.summary(), holds_missed(self.coach.assessment())
        title = self.t(mistakes_title(s, see_physio=self.see_physio, holds_missed=missed))
        *listed, advice = mistake_lines(s, self.lang, see_physio=self.see_physio, holds_missed=missed)
        advice_title = self.t("advice_physio_title") if self.see_physio \
            else self.t("advice_title") if listed else title
        return [SummaryView(title, rows) for rows in sheets(tuple(listed))] \
            + [SummaryView(advice_title, rows) for rows in sheets((advice,))]


def _no_hold_yet(coach: Coach) -> bool:
    """No repetition of this session has held yet (quick squeezes, paced breaths and coughs hold
    nothing: an assessment's first hold comes after its quick squeezes)."""
    return not any(rep.contraction is not None and rep.contraction.kind not in UNHELD + ("cough",)
                   for rep in coach.reps)


def paused_view(reason: str, lang: str):
    """The screen while a session waits: for the user to sit down again, for OK, or for
    the sensor to come back."""
    if reason == "sensor":
        return WarningView(text("sensor_fault", lang), text("sensor_fault_detail", lang))
    if reason == "button":
        return MessageView(text("paused", lang), (text("paused_button", lang), text("paused_stop", lang)))
    return MessageView(text("paused", lang), (text(f"paused_{reason}", lang),))


def _format_params(key: str, params: dict, step) -> dict:
    if key in (cues.LIFT_TO_FLOOR, cues.DOWN_TO_FLOOR):
        return {"floor": params.get("floor") or step.floor or 1}
    return {}


def _caption_of(view) -> str:
    for name in ("text", "caption", "title"):
        value = getattr(view, name, None)
        if value:
            return value
    return ""
