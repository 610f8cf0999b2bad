"""Reference screens: every screen the trainer shows, in Dutch and English, as the panel shows it.

`CASES` is the one list of screens: a name and a function that builds the view in a
language, with the catalogue's texts (`device.texts`) and the device's own view
builders where there are ones (the pause and fault screens, the summary), the
values a typical session has. Each is rendered by `device.screens`, sent through the
real luma.oled ssd1306 driver onto the emulated SSD1306 (`EmulatedPanel`), and read
back off the panel; `tests/test_reference_screens.py` compares that, pixel for pixel,
with `tests/reference/<case>-<lang>.png`.

When a screen is meant to look different (a new font, a new layout, a changed summary),
or a screen is added to `CASES`, regenerate the references on purpose and look at the
PNGs before committing them:

    python -m tools.reference_screens --yes-overwrite      (or: make reference-screens)

Without `--yes-overwrite` it refuses, and writes nothing. `--dir DIR` writes the screens elsewhere, to
look at: there it overwrites a screen's own file only with the flag, and removes nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from dataclasses import replace
from typing import Callable

from PIL import Image, ImageChops

from device.appliance import ask_who_view, usb_view
from device.screens import (LiftView, MenuView, MessageView, PacerView, RelaxView, View, WarningView, menu_heading_fits,
                            render)
from device.texts import LANGS, TEXTS, level_text, text, today_text
from device.ui import SessionUi, paused_view
from device.usb_status import NO_SPACE, OUTCOMES, UsbStatus
from drivers.display import Oled
from hw_sim.clock import VirtualClock
from hw_sim.i2c import SimI2CBus
from hw_sim.ssd1306 import Ssd1306Emulator
from session import cues
from session.assessment import Assessment, Release, Rest
from session.coach import SHORTFALLS, CoachSummary, Errors, Knack, Perfect, Relaxation
from session.levels import BAND_PCT
from session.programme import BUILTIN_DIR, Programme, load_programmes

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "tests" / "reference"
OLED_ADDRESS = 0x3C


class EmulatedPanel:
    """The emulated SSD1306 with the real luma driver (through `drivers.display.Oled`) on it."""

    def __init__(self) -> None:
        bus = SimI2CBus(VirtualClock())
        self.chip = Ssd1306Emulator(OLED_ADDRESS)
        bus.attach(self.chip)
        self.oled = Oled(bus.smbus(), OLED_ADDRESS)

    def shows(self, image: Image.Image) -> Image.Image:
        """What the panel shows after `image` is sent to it (mode '1', 128x64)."""
        self.oled.show(image)
        return self.chip.image()


# --- the screens -----------------------------------------------------------------------------------
def _footer(lang: str) -> str:
    return text("rep", lang, rep=3, reps=10) + "  " + text("series", lang, series=1, of=3)


def _band(target_pct: float) -> tuple[float, float]:
    """The target band the coach asks for around `target_pct` (as device.ui draws it)."""
    return target_pct - BAND_PCT, min(100.0, target_pct + BAND_PCT)


def _lift(caption_key: str, level_pct: float, target_pct: float, floor: int | None = None,
          countdown_s: float | None = None) -> Callable[[str], View]:
    return lambda lang: LiftView(level_pct, *_band(target_pct), floor, text(caption_key, lang, floor=floor),
                                 countdown_s, _footer(lang))


def _warning(key: str) -> Callable[[str], View]:
    return lambda lang: WarningView(text(key, lang))


class _FinishedCoach:
    """What `SessionUi.summary_view` asks of a coach: its programme, a finished session's
    summary (and an assessment's figures)."""

    def __init__(self, programme: Programme, summary: CoachSummary, assessment: Assessment | None = None) -> None:
        self.programme = programme
        self._summary = summary
        self._assessment = assessment

    def summary(self) -> CoachSummary:
        return self._summary

    def assessment(self) -> Assessment | None:
        return self._assessment


SUMMARY = CoachSummary(
    max_drop_kpa=2.4, perfect=Perfect(power=2.35, power_pct_max=98.0, endurance_s=8.0, repetitions=9, fast=10),
    contraction_score=72.0, relaxation_score=80.0,
    errors=Errors(bear_down=1, not_let_go=1, wrong_direction=0, no_lift=0, glute=0, breath_hold=0),
    coughs=0, lifts_on_exhale=8, lifts_timed=10, knack=(),
    relaxation=Relaxation(tone_kpa=0.01, tone_pct_max=0.4, relaxed_share=0.9, excursion_share=0.9,
                          with_breath_share=None, let_go_s=1.2,
                          waits=1, wait_s=3.0, wait_timeouts=0), lifts_asked=10, holds=10, holds_breath_judged=10,
    let_go_judged=10, relaxations=9)
NO_ERRORS = Errors(bear_down=0, not_let_go=0, wrong_direction=0, no_lift=0, glute=0, breath_hold=0)
QUICK = replace(SUMMARY, perfect=replace(SUMMARY.perfect, endurance_s=0.0, fast=12), relaxation_score=70.0,
                errors=NO_ERRORS, flicks=15)
LAST_TIME = {"perfect": {"power": 2.0}, "relaxation_score": 90.0}   # SUMMARY (2.35 kPa): 118 % of it; letting go less
LAST_TIME_QUICK = {"perfect": {"power": 2.3}, "relaxation_score": 70.0}     # QUICK: the same, the same
# a mistakes page for each kind of mistake (each with its advice), and for a lift that came too soon
MISTAKES = {kind: replace(SUMMARY, errors=replace(NO_ERRORS, **{kind: 2}))
            for kind in ("bear_down", "breath_hold", "not_let_go", "glute", "no_lift")}
MISTAKES["relax_first"] = replace(QUICK, relaxation=replace(SUMMARY.relaxation, wait_timeouts=1))
# the knack: 4 of 5 coughs led (one too late), and all 5
KNACK = replace(QUICK, knack=(Knack(0.6, True, True),) * 4 + (Knack(0.1, True, False),), coughs=5, lifts_asked=5,
                flicks=0, perfect=replace(QUICK.perfect, repetitions=4, fast=0, endurance_s=2.0))
KNACK_ALL = replace(KNACK, knack=(Knack(0.6, True, True),) * 5, perfect=replace(KNACK.perfect, repetitions=5))
# a programme that scores nothing (a physiotherapist's rest steps only)
NOTHING_SCORED = replace(SUMMARY, contraction_score=None, relaxation_score=None, lifts_asked=0, errors=NO_ERRORS,
                         perfect=replace(SUMMARY.perfect, endurance_s=None, fast=0))


ASSESSMENT = Assessment(
    max_kpa=1.12, max_spread_kpa=0.03, rest_before=Rest(4.0, 0.01, 0.05), rest_after=Rest(6.0, 0.01, 0.05), flicks=5, flicks_half=4,
    flick_peak_s=0.8, flick_release_s=0.9, holds=5, holds_good=4, hold_mean_pct=81.0, hold_peak_pct=99.0,
    hold_steadiness=0.9, endurance_s=47.6, endurance_half_s=60.0, endurance_slope_pct_per_min=-12.0,
    releases=(Release("flick", "complete", 2.0),) * 9 + (Release("hold", "partial", 14.0),) * 2, errors={})
LAST_ASSESSMENT = {"assessment": {"max_kpa": 1.0}}                          # 1.12 kPa: 112 %
# ... each contraction let go completely: its results say so (else the mistakes' *Niet helemaal los* does)
ASSESSMENT_LET_GO = replace(ASSESSMENT, releases=tuple(replace(r, quality="complete") for r in ASSESSMENT.releases))
SUMMARY_LET_GO = replace(SUMMARY, errors=replace(SUMMARY.errors, not_let_go=0))


def _summary(page: int, summary: CoachSummary = SUMMARY, previous: dict | None = LAST_TIME,
             assessment: Assessment | None = None, see_physio: bool = False,
             showing: str | None = None) -> Callable[[str], View]:
    """The end screen's results (`page` 0) -- their first page -- or mistakes and advice (1) -- their
    last, the advice --, or the one showing the catalogue's text `showing` (the languages lay it out
    on other pages)."""
    def view(lang: str) -> View:
        ui = SessionUi(_FinishedCoach(_BASIS, summary, assessment), None, lang, log=lambda *_: None,
                       previous=previous)
        ui.see_physio = see_physio
        shown = ui.summary_sheets()            # (numbered among them all)
        if showing is None:
            return shown[-1 if page else 0]
        fixed = max(re.split(r"\{[^}]*\}", TEXTS[showing][lang]), key=len).strip()     # (its words, not figures)
        return next(sheet for sheet in shown if fixed in " ".join(sheet.lines))
    return view


def _assessing(part: str, view: Callable[[str, str], View]) -> Callable[[str], View]:
    """A screen of the assessment, its footer naming the part."""
    return lambda lang: view(lang, text("assess_" + part, lang))


def _menu(item: Callable[[str], str], hint_key: str) -> Callable[[str], View]:
    return lambda lang: MenuView(text("today", lang, done=1, goal=3), 1, 3, item(lang), text(hint_key, lang))


_BASIS = load_programmes(BUILTIN_DIR)["basis"]
_METING = load_programmes(BUILTIN_DIR)["meting"]

CASES: dict[str, Callable[[str], View]] = {
    # the menu (device/appliance.py)
    "menu": _menu(lambda lang: _BASIS.title[lang], "menu_hint"),
    "menu_language": _menu(lambda lang: text("language_item", lang), "menu_hint_setting"),
    "menu_volume": _menu(lambda lang: text("volume_item", lang, pct=75), "menu_hint_setting"),
    "menu_week": lambda lang: MenuView(text("today", lang, done=1, goal=3), 1, 3, _BASIS.title[lang],
                                       text("week_done", lang, done=9, goal=21)),
    "menu_past_goal": lambda lang: MenuView(today_text(2, 1, lang), 2, 1, _BASIS.title[lang],   # 2 of a goal of 1
                                            text("menu_hint", lang)),
    "menu_past_goal_6": lambda lang: MenuView(today_text(7, 6, lang, lambda said: menu_heading_fits(said, 6)), 7, 6,
                                              _BASIS.title[lang], text("menu_hint", lang)),     # no room for the goal
    **{f"menu_goal_8_{done}": lambda lang, done=done: MenuView(
        today_text(done, 8, lang, lambda said: menu_heading_fits(said, 8)), done, 8, _BASIS.title[lang],
        text("menu_hint", lang)) for done in (8, 13)},                                # room for the count alone
    "menu_last_result": _menu(lambda lang: text("last_result_item", lang), "menu_hint_view"),
    "menu_profile": _menu(lambda lang: text("profile_item", lang, n=2), "menu_hint_setting"),
    # a device of several people: whose the menu is (person 2), within the goal, past it, and beside 8 boxes
    **{f"menu_person_{done}_{goal}": lambda lang, done=done, goal=goal: MenuView(
        today_text(done, goal, lang, lambda said: menu_heading_fits(said, goal), person=2), done, goal,
        _BASIS.title[lang], text("menu_hint", lang)) for done, goal in ((1, 3), (2, 1), (4, 3), (9, 8))},
    "ask_who": lambda lang: ask_who_view(_BASIS.title[lang], 2, lang),     # OK on it, where several train
    "menu_assessment": _menu(lambda lang: _METING.title[lang], "menu_hint_assess"),
    "sit_first": lambda lang: MessageView(text("sit_first", lang)),
    "preparing": lambda lang: MessageView(text("preparing", lang), ("40 %",)),
    "reminder": lambda lang: MessageView(text("reminder", lang)),
    "advice_let_go": lambda lang: MessageView(text("advice_let_go_title", lang),
                                              (text("advice_physio_1", lang), text("advice_physio_2", lang))),
    "advice_physio": lambda lang: MessageView(text("advice_physio_title", lang),
                                              (text("advice_physio_1", lang), text("advice_physio_2", lang))),
    "level_up": lambda lang: MessageView(text("level_up", lang, level=_BASIS.level_number(3)),
                                         (level_text(_BASIS.at_level(3), lang),)),
    "level_down": lambda lang: MessageView(text("level_down", lang, level=_BASIS.level_number(0)),
                                           (level_text(_BASIS.at_level(0), lang),)),
    "level_reps": lambda lang: MessageView(text("level_up", lang, level=2),
                                           (text("level_reps", lang, n=12),)),
    # calibration (device/ui.py)
    "calibrate_rest": lambda lang: MessageView(text(cues.CALIBRATE_REST, lang), ("6 s",)),
    "calibrate_max": lambda lang: LiftView(64.0, None, None, None, text(cues.CALIBRATE_MAX, lang, n=2), 3, ""),
    # coaching, phase by phase
    "inhale": lambda lang: PacerView("inhale", 0.6, text(cues.INHALE, lang), _footer(lang)),
    "breathe_out_long": lambda lang: PacerView("exhale", 0.3, text(cues.BREATHE_OUT_LONG, lang), _footer(lang),
                                               40.0),
    "breathe_lift": lambda lang: PacerView("exhale", 0.5, text(cues.EXHALE_LIFT, lang), _footer(lang), 26.0, 30.0),
    # ... without a maximum (`voelen` judged by its direction): the lift against the session's deepest, no tick
    "breathe_lift_felt": lambda lang: PacerView("exhale", 0.5, text(cues.EXHALE_LIFT, lang), _footer(lang), 80.0),
    "breathe_in_belly": lambda lang: PacerView("inhale", 0.4, text("breathe_in_belly", lang), _footer(lang), 0.0, 30.0),
    "exhale_lift": _lift(cues.EXHALE_LIFT, 40.0, 100.0),
    "lift_to_floor": _lift(cues.LIFT_TO_FLOOR, 30.0, 50.0, floor=2),
    "down_to_floor": _lift(cues.DOWN_TO_FLOOR, 70.0, 50.0, floor=2),
    "hold_as_long_as_you_can": _lift("hold_max", 45.0, 50.0, countdown_s=23),
    "hold": _lift(cues.HOLD, 92.0, 100.0, countdown_s=5),
    "hold_keep_breathing": _lift("hold_breathe", 92.0, 100.0, countdown_s=5),       # the first hold, floors, after a held breath
    "hold_as_long_as_you_can_keep_breathing": _lift("hold_max_breathe", 45.0, 50.0, countdown_s=23),
    "hold_too_high": _lift(cues.HOLD, 80.0, 50.0, floor=2, countdown_s=4),
    "hold_a_little_higher": _lift("hold_higher", 62.0, 80.0, countdown_s=4),      # sunk below the band
    "hold_a_little_higher_keep_breathing": _lift("hold_higher_breathe", 62.0, 80.0, countdown_s=4),
    "flick": _lift(cues.FLICK, 20.0, 100.0),
    "brace": _lift(cues.BRACE, 55.0, 75.0),
    "cough_now": _lift(cues.COUGH_NOW, 70.0, 75.0),
    "pushing": _lift(cues.EXHALE_LIFT, -20.0, 100.0),
    "relax": lambda lang: RelaxView(22.0, 12, text(cues.RELAX, lang), _footer(lang)),
    "relax_first": lambda lang: RelaxView(34.0, None, text(cues.RELAX_FIRST, lang), _footer(lang)),
    **{key: lambda lang, key=key: RelaxView(40.0, 8, text(key, lang), _footer(lang))     # after a cough of the knack
       for key in ("relax_in_time", "relax_too_late")},
    "series_rest": lambda lang: MessageView(text("series_rest", lang),
                                            (text("series", lang, series=2, of=3), "45 s")),
    # the assessment (meting): each part named in the footer
    "assess_rest_before": _assessing("rest_before", lambda lang, footer: RelaxView(
        3.0, 41, text(cues.CALIBRATE_REST, lang), footer)),   # a rest, not a lift let go
    "assess_flick": _assessing("flick", lambda lang, footer: LiftView(70.0, *_band(100.0), None,
                                                                      text(cues.FLICK, lang), None, footer)),
    "assess_hold": _assessing("hold", lambda lang, footer: LiftView(90.0, *_band(100.0), None,
                                                                    text(cues.HOLD, lang), 6, footer)),
    "assess_endurance": _assessing("endurance", lambda lang, footer: LiftView(62.0, *_band(100.0), None,
                                                                              text(cues.HOLD, lang), 37, footer)),
    "assess_rest_after": _assessing("rest_after", lambda lang, footer: RelaxView(
        5.0, 18, text(cues.CALIBRATE_REST, lang), footer)),   # a rest, not a lift let go
    # warnings (the whole screen)
    "warn_bear_down": lambda lang: WarningView(text(cues.WARN_BEAR_DOWN, lang), text("warn_bear_down_how", lang)),
    "warn_bear_down_rest": lambda lang: WarningView(text(cues.WARN_BEAR_DOWN, lang), text("warn_bear_down_rest", lang)),
    "warn_let_go": _warning(cues.WARN_LET_GO),
    "warn_let_go_breath": lambda lang: WarningView(text(cues.WARN_LET_GO, lang), text("warn_let_go_breath", lang)),
    "warn_keep_breathing": _warning(cues.WARN_KEEP_BREATHING),
    "warn_breath_after_hold": lambda lang: WarningView(text(cues.WARN_KEEP_BREATHING, lang),
                                                       text("warn_breath_after_hold", lang)),
    "warn_breath_after_lift": lambda lang: WarningView(text(cues.WARN_KEEP_BREATHING, lang),
                                                       text("warn_breath_after_lift", lang)),
    "warn_glutes": _warning(cues.WARN_GLUTES),
    # the end, pauses, faults
    "summary": _summary(0),
    **{f"summary_{key}": _summary(0, showing=key) for key in ("good_reps", "letting_go_pct", "held_s")},  # other pages
    "summary_first": _summary(0, previous=None),   # no session before: the first time
    "summary_better": _summary(0, previous={"perfect": {"power": 2.0}, "relaxation_score": 60.0},   # let go better
                               showing="letting_go_pct"),
    # another person's last time (one profile), five times as strong: not compared
    "summary_not_comparable": _summary(0, previous={"perfect": {"power": 0.47}, "relaxation_score": 90.0}),
    "summary_let_go_few": _summary(0, replace(SUMMARY, lifts_asked=24, relaxations=4),   # the others pushes
                                     showing="letting_go_pct"),
    "summary_mistakes": _summary(1),
    "summary_quick": _summary(0, QUICK, LAST_TIME_QUICK),
    "summary_quick_squeezes": _summary(0, QUICK, LAST_TIME_QUICK, showing="quick_squeezes"),   # before the hold
    "summary_knack": _summary(0, KNACK, LAST_TIME_QUICK),
    "summary_knack_led": _summary(0, KNACK, LAST_TIME_QUICK, showing="knack_led"),    # the coughs squeezed for
    "summary_knack_same": _summary(0, KNACK, LAST_TIME_QUICK, showing="letting_go_pct"),     # let go as last time
    "summary_knack_late": _summary(1, KNACK, LAST_TIME_QUICK),      # a cough not led: squeeze just before it
    "summary_knack_all": _summary(1, KNACK_ALL, LAST_TIME_QUICK),   # each led: before a sneeze, a lift, ... too
    "summary_no_mistakes": _summary(1, QUICK),
    "summary_breath_not_judged": _summary(1, replace(QUICK, holds_breath_judged=0)),    # holds too short to tell
    "summary_keep_going": _summary(1, replace(QUICK, perfect=replace(QUICK.perfect, repetitions=0),  # none well:
                                              short=10, short_mostly="brief")),   # held too briefly, no mistake
    **{f"summary_short_{why}": _summary(1, replace(QUICK, short=3, short_mostly=why))    # what the lifts that
       for why in SHORTFALLS},                         # missed mostly missed by, and the advice that follows
    **{f"summary_missed_one_{why}": _summary(1, replace(QUICK, short=1, short_mostly=why))    # one lift alone
       for why in SHORTFALLS},
    **{f"summary_{n}_short_{why}": _summary(1, replace(QUICK, short=n, short_mostly=why), showing="err_short")
       for n in (1, 3) for why in SHORTFALLS},               # ... the count, with what they missed by
    "summary_see_physio": _summary(1, replace(QUICK, perfect=replace(QUICK.perfect, repetitions=0)),
                                   see_physio=True),     # an assessment showing no progress: not "keep going"
    "summary_let_go_first": _summary(1, replace(MISTAKES["not_let_go"], relaxation_score=0.0)),   # over-tense
    "summary_let_go_again": _summary(1, replace(MISTAKES["not_let_go"], relaxation_score=24.0, contraction_score=None,
                                                lifts_asked=0, let_go_judged=3)),   # over-tense, in `ontspannen`
    "summary_slow_let_go": _summary(1, replace(QUICK, relaxation_score=45.0, slow_let_go=24, let_go_judged=24,
                                               lifts_asked=24)),   # over-tense in `basis`: let go, each late
    "summary_slow_let_go_count": _summary(1, replace(QUICK, relaxation_score=45.0, slow_let_go=24, let_go_judged=24,
                                                     lifts_asked=24), showing="slow_let_go"),
    "summary_assessment": _summary(0, SUMMARY, LAST_ASSESSMENT, ASSESSMENT),
    "summary_first_assessment": _summary(0, SUMMARY, None, ASSESSMENT),
    **{f"summary_assessment_{key}": _summary(0, SUMMARY, LAST_ASSESSMENT, ASSESSMENT, showing=key)
       for key in ("endured_s", "holds_good")},             # its other pages
    "summary_assessment_let_go_fully": _summary(0, SUMMARY_LET_GO, LAST_ASSESSMENT, ASSESSMENT_LET_GO,
                                                showing="let_go_fully"),
    "summary_assessment_holds_missed": _summary(1, replace(QUICK, perfect=replace(QUICK.perfect, repetitions=0)),
                                                LAST_ASSESSMENT, replace(ASSESSMENT, holds_good=0)),   # 0/5 held well
    "summary_assessment_holds_missed_count": _summary(1, replace(QUICK, perfect=replace(QUICK.perfect, repetitions=0)),
                                                      LAST_ASSESSMENT, replace(ASSESSMENT, holds_good=0),
                                                      showing="err_holds_missed"),
    "summary_mistakes_and_short": _summary(1, replace(MISTAKES["glute"], short=2, short_mostly="low")),   # both:
    # the tip the mistake's, the lifts that missed too few to advise (`advice_key`; 7 of 10 would be theirs)
    "summary_nothing_scored": _summary(0, NOTHING_SCORED, None),
    **{f"summary_mistakes_{kind}": _summary(1, summary) for kind, summary in MISTAKES.items()},
    **{f"summary_mistakes_{kind}_count": _summary(1, summary, showing=f"err_{kind}")    # the mistake's own page
       for kind, summary in MISTAKES.items() if f"err_{kind}" in TEXTS},
    "summary_mistakes_bear_down_let_go": _summary(1, replace(MISTAKES["bear_down"], contraction_score=None,
                                                             lifts_asked=0)),   # a push in `ontspannen`
    "paused_button": lambda lang: paused_view("button", lang),
    "paused_stood_up": lambda lang: paused_view("stood_up", lang),
    "sensor_fault": lambda lang: paused_view("sensor", lang),
    "config_fault": lambda lang: WarningView(text("config_fault", lang), text("config_fault_detail", lang)),
    "start_storage_fault": lambda lang: WarningView(text("storage_failing", lang), text("start_fault_log", lang)),
    "stopped": lambda lang: MessageView(text("stopped", lang)),
    "stopped_in_session": lambda lang: MessageView(text("stopped", lang), (text("all_kept", lang),)),
    "programme_unread": lambda lang: MessageView(text("programme_unread", lang),       # a physiotherapist's file
                                                 ("hoestknijp", text("programme_unread_ask", lang))),
    # storage trouble (device/appliance.py)
    "storage_full": lambda lang: WarningView(text("storage_full", lang), text("training_goes_on", lang)),
    "storage_failing": lambda lang: WarningView(text("storage_failing", lang), text("training_goes_on", lang)),
    "database_damaged": lambda lang: MessageView(text("database_damaged", lang), (text("results_kept", lang),)),
    "session_interrupted": lambda lang: MessageView(text("session_interrupted", lang), (text("all_kept", lang),)),
    # a USB stick plugged in (device/appliance.py): what became of it
    **{f"usb_{outcome}": (lambda lang, outcome=outcome: usb_view(UsbStatus(outcome, "", "", 3 if outcome == NO_SPACE
                                                                          else None), lang))
       for outcome in OUTCOMES},
}


def reference_path(case: str, lang: str, directory: Path = REFERENCE_DIR) -> Path:
    return directory / f"{case}-{lang}.png"


def on_panel(panel: EmulatedPanel, case: str, lang: str) -> Image.Image:
    """The screen `case` in `lang` as the emulated panel shows it."""
    return panel.shows(render(CASES[case](lang)))


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    """Pixel for pixel the same (luma's own test: the difference has no bounding box)."""
    return a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


# --- regenerating them, on purpose --------------------------------------------------------------------
def regenerate(directory: Path, *, remove_gone: bool = True) -> dict[str, list[str]]:
    """Write every case's reference PNG into `directory` and (`remove_gone`) delete PNGs of cases
    that are gone; returns the file names by what happened to them."""
    directory.mkdir(parents=True, exist_ok=True)
    panel = EmulatedPanel()
    report: dict[str, list[str]] = {"new": [], "changed": [], "unchanged": [], "removed": []}
    wanted = set()
    for case in CASES:
        for lang in LANGS:
            path = reference_path(case, lang, directory)
            wanted.add(path.name)
            shown = on_panel(panel, case, lang)
            if not path.exists():
                report["new"].append(path.name)
            elif same_pixels(Image.open(path), shown):
                report["unchanged"].append(path.name)
                continue
            else:
                report["changed"].append(path.name)
            shown.save(path)
    for path in sorted(directory.glob("*.png")) if remove_gone else ():
        if path.name not in wanted:
            path.unlink()
            report["removed"].append(path.name)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.reference_screens",
                                     description="Regenerate the reference screens (tests/reference/*.png).")
    parser.add_argument("--yes-overwrite", action="store_true",
                        help="really overwrite the references with what the screens look like now")
    parser.add_argument("--dir", type=Path, default=REFERENCE_DIR, help=f"where they go (default {REFERENCE_DIR})")
    args = parser.parse_args(argv)
    references = args.dir.resolve() == REFERENCE_DIR.resolve()
    if references and not args.yes_overwrite:
        print("reference_screens: refusing to overwrite the reference screens without --yes-overwrite "
              "(they are what the tests compare the screens with; regenerate them only on purpose)",
              file=sys.stderr)
        return 2
    there = sorted(name for name in (reference_path(case, lang, args.dir).name for case in CASES for lang in LANGS)
                   if (args.dir / name).exists())
    if there and not args.yes_overwrite:      # (elsewhere: a folder of one's own, written to look at -- a trial)
        print(f"reference_screens: refusing to overwrite {len(there)} screens in {args.dir} ({there[0]}, ...) without "
              "--yes-overwrite", file=sys.stderr)
        return 2
    report = regenerate(args.dir, remove_gone=references)
    for what, names in report.items():
        if names and what != "unchanged":
            print(f"{what}: {' '.join(names)}")
    print(f"{len(report['unchanged'])} unchanged, {len(report['new']) + len(report['changed'])} written, "
          f"{len(report['removed'])} removed, in {args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
