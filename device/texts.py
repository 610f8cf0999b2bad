"""The text catalogue: every word the trainer shows, Dutch first, English second.

A text id is stable (the coach's cue ids, the session log and the buzzer patterns use
the same ids); the wording may change. Placeholders use str.format fields, e.g.
`text("rep", "nl", rep=3, reps=10)` -> "Herhaling 3/10". The words follow the
patient brochures (aanspannen, ontspannen, adem in / adem uit, niet persen,
verdieping, vasthouden, loslaten) and stay short: the screen is 128 px wide, and
`device.screens` shrinks or wraps whatever does not fit.
"""

from __future__ import annotations

import difflib
from typing import Callable

LANGS = ("nl", "en")

TEXTS: dict[str, dict[str, str]] = {
    # breathing and lifting
    "inhale": {"nl": "Adem in", "en": "Breathe in"},
    "exhale_lift": {"nl": "Adem uit, til op", "en": "Breathe out, lift"},
    "lift_to_floor": {"nl": "Naar verdieping {floor}", "en": "To floor {floor}"},    # from below it, or at it
    "down_to_floor": {"nl": "Zak naar verdieping {floor}", "en": "Down to floor {floor}"},
    "hold": {"nl": "Vasthouden", "en": "Hold"},
    "hold_max": {"nl": "Zo lang je kunt", "en": "Hold on"},     # a "max" hold: its seconds count up
    # ... once the breath was held in this session: a reminder with every hold after (002: "Adem
    # tijdens de oefening rustig door"; a held breath shows only as the hold is let go)
    "hold_breathe": {"nl": "Vasthouden, adem door", "en": "Hold, keep breathing"},
    "hold_max_breathe": {"nl": "Zo lang je kunt, adem door", "en": "Hold on, keep breathing"},
    # ... a hold sunk below its band a while (`Coach.sinking`): no time counts as held there
    # (*Iets hoger* read as *lets hoger* in the large font, whose I is an l: a trial)
    "hold_higher": {"nl": "Wat hoger", "en": "A little higher"},
    "hold_higher_breathe": {"nl": "Wat hoger, adem door", "en": "Higher, keep breathing"},
    "relax": {"nl": "Laat los", "en": "Let go"},
    "relax_in_time": {"nl": "Op tijd! Laat los", "en": "In time! Let go"},     # after a cough of the knack
    "relax_too_late": {"nl": "Te laat. Laat los", "en": "Too late. Let go"},   # ... squeezed too late, or not
    "relax_first": {"nl": "Eerst helemaal loslaten", "en": "First let go fully"},
    "flick": {"nl": "Snel aanspannen", "en": "Quick squeeze"},
    "cough_now": {"nl": "Hoest nu!", "en": "Cough now!"},
    "brace": {"nl": "Span aan", "en": "Squeeze"},
    "breathe_in_belly": {"nl": "Adem in naar je buik", "en": "Breathe into your belly"},
    "breathe_out_long": {"nl": "Lang uitademen", "en": "Long breath out"},
    # warnings (the whole screen, inverted)
    "warn_bear_down": {"nl": "Niet persen!", "en": "Don't push!"},
    "warn_bear_down_how": {"nl": "laat los, til dan op", "en": "let go, then lift"},   # under it: what instead
    "warn_bear_down_rest": {"nl": "laat los", "en": "let go"},      # ... where no lift is asked (a rest, ontspannen)
    "warn_let_go": {"nl": "Laat los", "en": "Let go"},
    # ... for a floor that does not move with the paced breath (004: "Tijdens je ademhaling beweegt je
    # bekkenbodem mee"), not for tension held: its tension bar may be empty
    "warn_let_go_breath": {"nl": "mee met je adem", "en": "with your breath"},    # (short: large under it)
    "warn_breath_after_hold": {"nl": "ook als je vasthoudt", "en": "as you hold, too"},
    "warn_breath_after_lift": {"nl": "ook als je optilt", "en": "as you lift, too"},
    "warn_keep_breathing": {"nl": "Adem rustig door", "en": "Keep breathing"},
    "warn_glutes": {"nl": "Billen ontspannen", "en": "Relax your buttocks"},
    # progress
    "rep": {"nl": "Herhaling {rep}/{reps}", "en": "Rep {rep}/{reps}"},
    "series": {"nl": "Serie {series}/{of}", "en": "Set {series}/{of}"},
    # the programme's break between series: the brochures' word for resting (004: "in rust"), apart
    # from the pause a user asks for ("paused": the session waits for OK)
    "series_rest": {"nl": "Rust", "en": "Rest"},
    # calibration
    "calibrate_rest": {"nl": "Zit ontspannen", "en": "Sit relaxed"},
    "calibrate_max": {"nl": "Maximaal aanspannen {n}/3", "en": "Squeeze your hardest {n}/3"},
    # the end screen (device/summary_text.py): results against last time, then mistakes and advice
    "summary": {"nl": "Klaar!", "en": "Done!"},
    # nothing to compare with: no last session of this programme (*Kracht: eerste keer* the day after an
    # assessment had measured the maximum read as untrue: a trial)
    # (*Kracht: geen vorige* read as "no strength before": trial93; two rows, as *Kracht: / gelijk aan vorige keer*)
    "strength_first": {"nl": "Kracht: nog niets om mee te vergelijken",
                       "en": "Strength: nothing to compare yet"},
    # ... the lifts done well (reach, hold, breath: `session.levels.done_well`), not their letting go, which
    # the next line scores: "24 van 24 goed" beside "Loslaten 46%" read as a contradiction (a trial)
    "good_reps": {"nl": "{good} van {of} goed opgetild", "en": "{good} of {of} lifted well"},
    # the longest hold (*Vastgehouden 5 s* beside 17 of 24 holds under 5 s read as every hold held: a trial)
    "held_s": {"nl": "Langst vastgehouden {s} s", "en": "Longest hold {s} s"},
    "quick_squeezes": {"nl": "Snelle knijpjes {n}/{of}", "en": "Quick squeezes {n}/{of}"},
    "nothing_scored": {"nl": "Oefening afgerond", "en": "Exercise completed"},
    "knack_led": {"nl": "Op tijd aangespannen {n}/{of}", "en": "Squeezed in time {n}/{of}"},   # the knack made
    "letting_go_pct": {"nl": "Loslaten {pct}%", "en": "Letting go {pct}%"},
    "letting_go_few": {"nl": "Loslaten {pct}% ({n} gemeten)", "en": "Letting go {pct}% ({n} seen)"},   # of few lifts
    # an assessment's end screen (the meting): strength against the last one, the PERFECT parts
    "first_assessment": {"nl": "Eerste meting", "en": "First assessment"},
    "strength_vs_last": {"nl": "Kracht {pct}% van vorige", "en": "Strength {pct}% of last"},
    # ... within one floor's spread (*Kracht: als vorige keer* read as stilted: trial93)
    "strength_same": {"nl": "Kracht: gelijk aan vorige keer", "en": "Strength: same as last time"},
    "strength_not_comparable": {"nl": "Kracht: niet vergelijkbaar", "en": "Strength: not comparable"},
    "endured_s": {"nl": "Volgehouden {s} s", "en": "Held for {s} s"},     # (*Held on*: unidiomatic, a trial)
    "holds_good": {"nl": "Goed vastgehouden {good}/{of}", "en": "Good holds {good}/{of}"},
    "let_go_fully": {"nl": "Helemaal losgelaten {done}/{n}", "en": "Let go fully {done}/{n}"},   # an assessment's
    # the parts of an assessment (the footer while it runs)
    "assess_rest_before": {"nl": "Meting: rust", "en": "Assessment: rest"},
    "assess_flick": {"nl": "Meting: snel", "en": "Assessment: quick"},
    "assess_hold": {"nl": "Meting: vasthouden", "en": "Assessment: holds"},
    "assess_endurance": {"nl": "Meting: volhouden", "en": "Assessment: endurance"},
    # ... the resting level measured again after the contractions ("laatste rust": which rest?)
    "assess_rest_after": {"nl": "Meting: rust na afloop", "en": "Assessment: final rest"},
    # brochure 004's rule: weeks of regular training, no improvement (session/advice.py)
    "advice_physio_title": {"nl": "Niet duidelijk beter", "en": "Not clearly better"},   # than one floor's spread (a
    # trial read *Nog geen verbetering* beside figures that went up, within that spread)
    # ... brochure 004's word, "bekkenfysiotherapeut" (a trial read "bekkenfysio" as colloquial): one row
    # of the end screen's large font is 1 px too narrow for it, so it is broken where the compound is
    # ... at the start, while the rule for a floor that does not let go holds (`session.advice.see_physio_let_go`)
    "advice_let_go_title": {"nl": "Loslaten lukt nog niet", "en": "Not letting go yet"},
    "advice_title": {"nl": "Tip", "en": "Tip"},     # over the advice's own page, after the mistakes' pages
    "advice_physio_1": {"nl": "Ga naar je bekken-", "en": "See your pelvic"},
    "advice_physio_2": {"nl": "fysiotherapeut", "en": "physiotherapist"},
    # a programme's level changed (session/progression.py): shown over the menu
    "level_up": {"nl": "Door naar niveau {level}", "en": "On to level {level}"},    # the pair reads as one:
    "level_down": {"nl": "Terug naar niveau {level}", "en": "Back to level {level}"},    # "Terug: niveau 3" did not
    "level_hold_reps": {"nl": "{s} s vasthouden, {n}x", "en": "Hold {s} s, {n}x"},
    "level_reps": {"nl": "{n} herhalingen", "en": "{n} repetitions"},
    # ... in series: "6x" of a programme of two series read as the session's whole (a trial)
    "level_hold_series": {"nl": "{s} s vasthouden, {series}x{n}", "en": "Hold {s} s, {series}x{n}"},
    "level_series": {"nl": "{series}x{n} herhalingen", "en": "{series}x{n} repetitions"},
    "better": {"nl": "(beter)", "en": "(better)"},
    "same": {"nl": "(gelijk)", "en": "(same)"},
    "less": {"nl": "(minder)", "en": "(less)"},
    "mistakes": {"nl": "Fouten", "en": "Mistakes"},
    # a mistake as what happened, never as a command ("Persen 3x" would read "push 3 times")
    "err_bear_down": {"nl": "{n}x geperst", "en": "Pushed {n}x"},
    "err_breath_hold": {"nl": "{n}x adem ingehouden", "en": "Held breath {n}x"},
    # ... of the repetitions whose letting go was judged (`of`): the cues *Laat los* are no count
    "err_not_let_go": {"nl": "Niet helemaal los {n}/{of}", "en": "Not fully let go {n}/{of}"},
    # ... the lifts let go in the end, but late (`session.coach.SLOW_LET_GO_S`): no mistake, to work on
    "slow_let_go": {"nl": "Traag losgelaten {n}/{of}", "en": "Slow to let go {n}/{of}"},
    "err_glute": {"nl": "{n}x billen gebruikt", "en": "Used buttocks {n}x"},
    "err_no_lift": {"nl": "{n}x niet opgetild", "en": "Did not lift {n}x"},
    "no_errors": {"nl": "Geen fouten", "en": "No mistakes"},
    # ... lifts missed their target, mistakes or not: *Fouten* over them read as mistakes, *Geen fouten*
    # as none missed, *Geen fouten, maar* as a contradiction (trials); a physiotherapist's heading
    "to_work_on": {"nl": "Aandachtspunten", "en": "To work on"},
    "err_short": {"nl": "{n}x doel gemist", "en": "Target missed {n}x"},   # no mistake, not done well
    # ... an assessment's holds that were not held well (its *Goed vastgehouden 0/5*), no mistake either
    "err_holds_missed": {"nl": "{n}x niet goed vastgehouden", "en": "{n}x not held well"},
    # ... what most of them missed by (session.coach.shortfall)
    "short_low": {"nl": "meestal te laag", "en": "mostly too low"},
    "short_high": {"nl": "meestal te hoog", "en": "mostly too high"},
    "short_brief": {"nl": "meestal te kort", "en": "mostly too brief"},
    "short_slow": {"nl": "meestal te traag", "en": "mostly too slow"},
    # ... or, one lift alone, what it missed by ("meestal" of one read oddly: a trial)
    "missed_low": {"nl": "te laag", "en": "too low"},
    "missed_high": {"nl": "te hoog", "en": "too high"},
    "missed_brief": {"nl": "te kort", "en": "too brief"},
    "missed_slow": {"nl": "te traag", "en": "too slow"},
    # one line of advice (the brochures' words)
    "advice_bear_down": {"nl": "Niet persen: til op als je uitademt", "en": "Don't push: lift as you breathe out"},
    "advice_bear_down_let_go": {"nl": "Niet persen: laat los bij uitademen",
                                "en": "Don't push: let go as you breathe out"},
    "advice_breath_hold": {"nl": "Adem door tijdens het vasthouden", "en": "Keep breathing as you hold"},
    # ... where the holds were mostly too short for a held breath to show: a reminder, not a mistake
    # (*Geen fouten / Adem door tijdens het vasthouden* read as a held breath: trial90)
    "advice_breathe_short_holds": {"nl": "Adem door, ook als je kort vasthoudt", "en": "Keep breathing, in short holds too"},
    "advice_not_let_go": {"nl": "Laat elke keer volledig los", "en": "Let go fully every time"},
    "advice_let_go_sooner": {"nl": "Laat na elke keer meteen helemaal los", "en": "Let go fully right after each lift"},
    # (*Houd billen, / buik en benen zacht* broken at its comma read "hold the buttocks": a review)
    "advice_glute": {"nl": "Ontspan billen, buik en benen", "en": "Relax buttocks, belly and legs"},
    "advice_no_lift": {"nl": "Span aan alsof je een windje ophoudt", "en": "Squeeze as if stopping wind"},
    "advice_relax_first": {"nl": "Eerst loslaten, dan aanspannen", "en": "Let go fully before each squeeze"},
    "advice_well_done": {"nl": "Goed zo! Oefen elke dag", "en": "Well done! Practise every day"},
    "advice_knack_lead": {"nl": "Span aan net voordat je hoest", "en": "Squeeze just before you cough"},
    "advice_knack_more": {"nl": "Ook bij niezen, tillen en opstaan", "en": "Also when you sneeze, lift, get up"},
    # (*het komt wel* promised a result, after weeks without one too: a trial)
    "advice_keep_going": {"nl": "Houd vol en oefen elke dag", "en": "Keep at it: practise every day"},
    # ... lifts done well, but a quarter or more missed their target, mostly by (`short_...`)
    "advice_short_low": {"nl": "Til op tot in het vak", "en": "Lift into the box"},    # the hatched target box
    "advice_short_high": {"nl": "Niet hoger dan gevraagd", "en": "No higher than asked"},
    "advice_short_brief": {"nl": "Houd elke keer vast tot het eind", "en": "Hold on every time until the end"},
    "advice_short_slow": {"nl": "Til vlot op tot in het vak", "en": "Reach the box sooner"},
    "advice_let_go_first": {"nl": "Eerst: Ontspannen", "en": "Try Letting go first"},
    "advice_let_go_again": {"nl": "Nog eens: Ontspannen", "en": "Again: Letting go"},
    # the device: idle menu, pause, faults
    "today": {"nl": "Vandaag {done}/{goal}", "en": "Today {done}/{goal}"},
    "today_past_goal": {"nl": "Vandaag {done} (doel {goal})", "en": "Today {done} (goal {goal})"},   # "2/1" did not read
    "today_done": {"nl": "Vandaag {done}", "en": "Today {done}"},     # ... where that does not fit
    "today_bare": {"nl": "{done}/{goal}", "en": "{done}/{goal}"},     # ... nor that (a goal of 8 or more)
    # ... on a device of several people, whose: *Persoon 2: 1/3* (nothing said who trained: a trial)
    "person_today": {"nl": "Persoon {n}: {done}/{goal}", "en": "Person {n}: {done}/{goal}"},
    "person_past_goal": {"nl": "Persoon {n}: {done} (doel {goal})", "en": "Person {n}: {done} (goal {goal})"},
    "person_done": {"nl": "Persoon {n}: {done}", "en": "Person {n}: {done}"},
    "person_bare": {"nl": "Persoon {n}", "en": "Person {n}"},       # ... the boxes say the count
    "menu_hint": {"nl": "< >  OK: start", "en": "< >  OK: start"},
    "profile_item": {"nl": "Persoon {n}", "en": "Person {n}"},
    "last_result_item": {"nl": "Laatste uitslag", "en": "Last result"},     # the last end screen again
    "menu_hint_view": {"nl": "< >  OK: bekijk", "en": "< >  OK: view"},
    # where several people train, OK on a programme asks whose session it is (trial88: one trained as the other)
    "ask_who": {"nl": "Persoon {n}?", "en": "Person {n}?"},
    "ask_who_hint": {"nl": "OK: ja  < >: ander", "en": "OK: yes  < >: other"},
    "reminder": {"nl": "Tijd om te oefenen", "en": "Time to train"},
    "programme_unread": {"nl": "Programma niet gelezen", "en": "Programme not read"},   # a bad file, at the start
    "programme_unread_ask": {"nl": "Vraag je fysiotherapeut", "en": "Ask your physio"},
    "week_done": {"nl": "Deze week {done}/{goal}", "en": "This week {done}/{goal}"},
    "menu_hint_assess": {"nl": "Tijd voor een meting", "en": "Time to assess"},
    "menu_hint_setting": {"nl": "< >  OK: wijzig", "en": "< >  OK: change"},
    "sit_first": {"nl": "Ga eerst zitten", "en": "Sit down first"},
    "preparing": {"nl": "Even geduld", "en": "One moment"},
    "language_item": {"nl": "Nederlands", "en": "English"},
    "volume_item": {"nl": "Volume {pct}%", "en": "Volume {pct}%"},
    "paused": {"nl": "Pauze", "en": "Paused"},
    "paused_stood_up": {"nl": "Ga weer zitten", "en": "Sit down again"},
    "paused_button": {"nl": "OK: verder", "en": "OK: go on"},
    "paused_stop": {"nl": "< >: stoppen", "en": "< >: stop"},
    # a start a restart cannot mend (`device.start_fault`): the service waits, showing it -- the
    # configuration file cannot be read, or the state directory used (its title: storage_failing)
    "config_fault": {"nl": "Fout in de instellingen", "en": "Settings error"},
    "config_fault_detail": {"nl": "Zie: pftrainer config", "en": "See: pftrainer config"},
    "start_fault_log": {"nl": "Zie het logboek", "en": "See the log"},
    "sensor_fault": {"nl": "Sensorfout", "en": "Sensor fault"},
    "sensor_fault_detail": {"nl": "Controleer de kabel", "en": "Check the cable"},
    "stopped": {"nl": "Gestopt", "en": "Stopped"},
    # storage trouble (the session goes on)
    "storage_full": {"nl": "Opslag vol", "en": "Storage full"},
    "storage_failing": {"nl": "Opslagfout", "en": "Storage error"},
    "training_goes_on": {"nl": "Oefen verder", "en": "Keep training"},
    "database_damaged": {"nl": "Opslag hersteld", "en": "Storage repaired"},
    # ... under it: the sessions are kept, rebuilt where need be (not *Alles is bewaard*: settings such as the
    # language and volume may start again from their defaults)
    "results_kept": {"nl": "Resultaten bewaard", "en": "Results kept"},
    "session_interrupted": {"nl": "Sessie onderbroken", "en": "Session interrupted"},   # by a power cut: then
    "all_kept": {"nl": "Alles is bewaard", "en": "Nothing was lost"},                  # at the next start
    # a USB stick was plugged in (device/usb_status.py): "usb_" + the outcome, then what to do
    "usb_saved": {"nl": "Rapport op USB gezet", "en": "Report saved to USB"},
    "usb_full": {"nl": "USB-stick vol", "en": "USB stick full"},
    "usb_no_space": {"nl": "Te weinig ruimte op USB", "en": "Not enough room on USB"},
    "usb_read_only": {"nl": "USB-stick alleen-lezen", "en": "USB stick read-only"},
    "usb_not_fat": {"nl": "USB-stick niet FAT/exFAT", "en": "USB stick not FAT/exFAT"},
    "usb_unreadable": {"nl": "USB-stick onleesbaar", "en": "USB stick unreadable"},
    "usb_nothing": {"nl": "Nog niets om op USB te zetten", "en": "Nothing to save to USB yet"},
    "usb_failed": {"nl": "Opslaan op USB mislukt", "en": "Saving to USB failed"},
    "usb_need_mb": {"nl": "Nodig: ruim {n} MB", "en": "Needs over {n} MB"},
    "usb_remove": {"nl": "Stick mag eruit", "en": "You can remove it"},
}


def text(key: str, lang: str, *, catalogue: dict[str, dict[str, str]] = TEXTS, **fmt) -> str:
    """The text `key` in `lang` ("nl" or "en"), formatted with `fmt` (str.format); from
    `catalogue` (the screen's, or another, such as the report's).

    Raises KeyError naming the key when it is not in the catalogue, the key and the
    language when that language is missing, and the field when a placeholder has no
    value in `fmt`. Extra `fmt` values are ignored.
    """
    try:
        entry = catalogue[key]
    except KeyError:
        raise KeyError(f"no text {key!r} in the catalogue") from None
    try:
        template = entry[lang]
    except KeyError:
        raise KeyError(f"text {key!r} has no {lang!r} version (has {', '.join(sorted(entry))})") from None
    try:
        return template.format(**fmt)
    except KeyError as e:
        raise KeyError(f"text {key!r} ({lang}) needs a value for {{{e.args[0]}}}") from None


def counted(key: str, n: int, lang: str, *, catalogue: dict[str, dict[str, str]] = TEXTS, **fmt) -> str:
    """`key`_1 for one, else `key`_n with `n` ("1 sessie", "3 sessies"), from `catalogue`; for
    none, `key`_0 where the catalogue words it apart ("geen metingen")."""
    if n == 0 and f"{key}_0" in catalogue:
        return text(f"{key}_0", lang, catalogue=catalogue, n=n, **fmt)
    return text(f"{key}_1" if n == 1 else f"{key}_n", lang, catalogue=catalogue, n=n, **fmt)


CLOSE = 0.6        # how alike (difflib's ratio, 0..1) a name must be to a misspelt one to be offered
CLEAR_LEAD = 0.1   # ... and how much more alike than the next closest, when several are
MIN_BEGUN = 3      # ... or the one name it begins, of this many letters (*e* meant no export: a review)


def close_match(wanted: str, names, owner: Callable[[str], str] = lambda name: name) -> str | None:
    """The name of `names` a misspelt `wanted` was meant to be (*histroy*: history; *reports*:
    report), for a "did you mean", compared in any case (*HISTORY*): the one name it begins, of
    MIN_BEGUN letters or more (*weak*: weak_postpartum, far by difflib's ratio), else the closest
    name, when it is close (difflib's ratio `CLOSE` or more) and clearly closer than any other (by
    `CLEAR_LEAD`: *reports* is report's, 0.92, not export's, 0.77); None when none is, or two are
    alike close (a guess between them would mislead). Names of one `owner` (a programme's id and
    the words of its titles) are no rivals of each other."""
    folded = wanted.casefold()
    begun = [name for name in names if name.casefold().startswith(folded)] if len(folded) >= MIN_BEGUN else []
    if len({owner(name) for name in begun}) == 1:
        return begun[0]
    alike = sorted(((difflib.SequenceMatcher(None, folded, name.casefold()).ratio(), name) for name in names),
                   key=lambda pair: -pair[0])
    if not alike or alike[0][0] < CLOSE:
        return None
    rivals = [ratio for ratio, name in alike[1:] if owner(name) != owner(alike[0][1])]
    if rivals and rivals[0] > alike[0][0] - CLEAR_LEAD:
        return None
    return alike[0][1]


def inline(phrase: str) -> str:
    """The screen's words (a line of their own there) inside a sentence: no capital."""
    return phrase[:1].lower() + phrase[1:]


def today_text(done: int, goal: int, lang: str, fits: Callable[[str], bool] = lambda heading: True,
               person: int | None = None) -> str:
    """The menu's heading: the sessions completed today against the daily goal, *Vandaag 1/3*; past
    the goal, *Vandaag 2 (doel 1)* (a trial's *Vandaag 2/1* read as a fraction gone wrong) -- or,
    where that does not `fit` beside the goal's boxes, *Vandaag 6*: the boxes, all filled, say the
    goal (*Vandaag 6 (doel...* was cut: a review); beside eight boxes the count alone, *8/8*, *13/8*.
    With a `person` (a device of several people), whose instead of *Vandaag*: *Persoon 2: 1/3*, or
    *Persoon 2* where only that fits (a couple's trial: one who forgot to switch trained as the
    other, whose maximum, scores and level it took, and nothing on the screen said whose it was)."""
    if person is not None:
        keys = ("person_today", "person_bare") if done <= goal else ("person_past_goal", "person_done",
                                                                       "person_bare")
    else:
        keys = ("today", "today_bare") if done <= goal else ("today_past_goal", "today_done", "today_bare")
    said = [text(key, lang, done=done, goal=goal, n=person) for key in keys]
    return next((heading for heading in said if fits(heading)), said[-1])


def level_text(programme, lang: str) -> str:
    """What a level asks, in a few words: "7 s vasthouden, 10x" (its first timed lift), in
    series "7 s vasthouden, 3x10" (the screen's row has no room for `pftrainer programs`' "3 x 10")."""
    return asks_text(programme.level_asks, lang, series=programme.series)


def figure(value: float, lang: str) -> str:
    """`value` in as few digits as it needs ("7.5", "2"), with a decimal comma in Dutch."""
    shown = f"{value:g}"
    return shown.replace(".", ",") if lang == "nl" else shown


def asks_text(asks: tuple[float | None, int], lang: str, *, series: int = 1) -> str:
    """`Programme.level_asks` in a few words (a decimal comma in Dutch: "7,5 s vasthouden"), the
    repetitions by `series` where there are more than one ("3x10"; a level kept in a recording
    keeps none: its repetitions alone)."""
    hold_s, reps = asks
    in_series = "_series" if series > 1 else "_reps"
    if hold_s is None:
        return text("level" + in_series, lang, n=reps, series=series)
    return text("level_hold" + in_series, lang, s=figure(hold_s, lang), n=reps, series=series)


def plural(count: int, thing: str) -> str:
    """`count` `thing`s in English, the singular for one: the command line's counts."""
    return f"{count} {plural_word(count, thing)}"


def plural_word(count: int, thing: str) -> str:
    """`thing`, or `thing`s unless `count` is 1."""
    return thing if count == 1 else f"{thing}s"


def numbers_text(numbers: list[int]) -> str:
    """`numbers` (ascending) as "2, 5, 7-9": a run of three or more as a range."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)
