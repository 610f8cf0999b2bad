"""What the command line says of the programmes (`pftrainer programs`, and a `--program` that
names none), Dutch first, English second: in the user's language, as the screen is (a Dutch
user read Dutch titles beside English words: a trial). Placeholders use str.format fields, as
`device.texts`; its `text` reads this catalogue too."""

from __future__ import annotations

import math

from device.texts import figure, inline, level_text, text

PROGRAMME_TEXTS: dict[str, dict[str, str]] = {
    # `pftrainer programs`: one line per programme
    "at_level": {"nl": " op niveau {level}", "en": " at level {level}"},
    "about_min": {"nl": "ongeveer {min} min", "en": "about {min} min"},
    "about_min_range": {"nl": "ongeveer {low}-{high} min", "en": "about {low}-{high} min"},
    "under_a_minute": {"nl": "korter dan een minuut", "en": "under a minute"},
    "with_max_known": {"nl": " ({about} als het maximum van vandaag bekend is)",
                       "en": " ({about} with today's maximum known)"},
    "with_max_recent": {"nl": " ({about} als er een maximum van de afgelopen {days} dagen is)",
                        "en": " ({about} with a maximum of the past {days} days)"},
    "max_assessed": {"nl": "maximum: elke keer opnieuw gemeten (het is de P van de meting)",
                     "en": "maximum: measured anew every time (it is the assessment's P)"},
    "max_measured_first": {"nl": "maximum: eerst gemeten, tenzij dat van vandaag bewaard is",
                           "en": "maximum: measured first unless today's is stored"},
    # ... `calibrate = false` with targets that need one (`session.programme.REUSE_MAXIMUM_DAYS`)
    "max_reused": {"nl": "maximum: het laatste van de afgelopen {days} dagen, anders eerst gemeten",
                   "en": "maximum: the last one of the past {days} days, else measured first"},
    # ... whose lifts are all gentle ones on the exhale: without a maximum, judged by their direction
    "max_reused_else_direction": {"nl": "maximum: het laatste van de afgelopen {days} dagen, anders niet nodig "
                                        "(dan telt of je optilt en loslaat, niet hoe hoog)",
                                  "en": "maximum: the last one of the past {days} days, else none needed "
                                        "(then whether you lift and let go counts, not how high)"},
    "max_not_needed": {"nl": "maximum: niet nodig", "en": "maximum: not needed"},
    # ... and how long a session at the highest takes (a trial's grew from 11 to 19 min, unsaid)
    # ... a range, its first end closed by a comma where it holds one (`range_start`)
    "levels": {"nl": "; niveaus 1-{count}: van {lowest} tot {highest} ({about})",
               "en": "; levels 1-{count}: from {lowest} up to {highest} ({about})"},
    # ... where a physiotherapist's file comes from (`device.programmes.origin`)
    "from_file": {"nl": "uit {file}", "en": "from {file}"},
    "in_place_of_builtin": {"nl": "uit {file}, in plaats van het ingebouwde programma",
                            "en": "from {file}, in place of the built-in"},
    # ... (what it asks instead is said before: `without_levels`)
    "no_levels": {"nl": " -- het heeft geen niveaus: welk niveau ook bewaard is, iedereen doet hetzelfde (de niveaus "
                        "van het ingebouwde programma: van {lowest} tot {highest})",
                  "en": " -- it has no levels: whatever level is kept, everybody does the same (the built-in's "
                        "levels: from {lowest} up to {highest})"},
    "starts_elsewhere": {"nl": " -- een nieuwe gebruiker begint hier op {start}, in het ingebouwde programma op "
                               "{builtin}: elk bewaard niveau (geteld vanaf het begin) schuift mee",
                         "en": " -- it starts a new user at {start} where the built-in starts at {builtin}: "
                               "every level kept (counted from the start) moves with it"},
    "relax_s": {"nl": ", ontspannen {s} s", "en": ", relax {s} s"},
    # ... rests of more than one length, each named by what it follows (*ontspannen 2/8 s* did not say
    # which: a review)
    "relax_after": {"nl": ", ontspannen {rests}", "en": ", relax {rests}"},
    "rest_after_lift": {"nl": "{s} s na het vasthouden", "en": "{s} s after the hold"},
    "rest_after_flick": {"nl": "{s} s na een knijpje", "en": "{s} s after a quick squeeze"},
    "rest_after_cough": {"nl": "{s} s na het hoesten", "en": "{s} s after the cough"},
    "rest_between": {"nl": " en ", "en": " and "},
    # ... a hold "as long as possible" (`uithouding`: *2 herhalingen* left out the one thing it asks)
    "as_long_reps": {"nl": "zo lang je kunt vasthouden, {n}x", "en": "hold as long as you can, {n}x"},
    # ... what one without levels asks, as the levels' first and last are said (`without_levels_text`)
    "without_levels": {"nl": "; zonder niveaus: {asks}", "en": "; without levels: {asks}"},
    # a `--program` that names no programme, or more than one
    "no_programme": {"nl": "geen programma '{wanted}' (er zijn: {titles})",
                     "en": "no programme '{wanted}' (there are: {titles})"},
    "no_programme_close": {"nl": "geen programma '{wanted}'; bedoel je '{close}'? (er zijn: {titles})",
                           "en": "no programme '{wanted}'; did you mean '{close}'? (there are: {titles})"},
    "programme_could_be": {"nl": "programma '{wanted}' kan {which} zijn: geef de id",
                           "en": "programme '{wanted}' could be {which}: give its id"},
}


def programme_text(key: str, lang: str, **fmt) -> str:
    """The text `key` of this catalogue in `lang` (`device.texts.text`)."""
    return text(key, lang, catalogue=PROGRAMME_TEXTS, **fmt)


def range_start(phrase: str) -> str:
    """`phrase` as the first end of a range, *van ... tot ...*: closed by a comma where it holds one
    (*van 3 s vasthouden, 3x5, tot 8 s vasthouden, 3x12*; *3 s vasthouden, 3x5 tot 8 s vasthouden, 3x12*
    read as a list of four: trial93)."""
    return phrase + "," if "," in phrase else phrase


def about_text(duration_s: float, longest_s: float, lang: str) -> str:
    """A session's length to the half minute; a range up to `longest_s` where holds "as long as
    possible" may go on (`uithouding`: 2.5 min with 30 s holds, 3.5 min held to the end)."""
    if longest_s < 60.0:
        return programme_text("under_a_minute", lang)
    low, high = max(round(duration_s / 30.0) / 2.0, 0.5), round(longest_s / 30.0) / 2.0   # (never "0-1 min")
    if low == high:
        return programme_text("about_min", lang, min=figure(low, lang))
    return programme_text("about_min_range", lang, low=figure(low, lang), high=figure(high, lang))


def without_levels_text(programme, lang: str) -> str:
    """What `pftrainer programs` says a `session.programme.Programme` without levels asks, in the
    words its levels' first and last are said in where it has them: its timed lifts' hold and its
    repetitions, and its rests -- *; zonder niveaus: 5 s vasthouden, 2x6, ontspannen 10 s* (a
    trial's file said *2x6* alone, its levelled neighbours their holds). "" for one with levels,
    an assessment (its parts ask each their own: its about says them) and one that holds no lift
    and rests in no step (*1x3* says it all)."""
    relax_s = programme.relax_lengths_s
    if programme.levels or programme.assesses or (programme.lift_hold_s is None and not relax_s):
        return ""
    return programme_text("without_levels", lang, asks=_asks_text(programme, lang) + _rests_text(programme, lang))


def relax_lengths_text(relax_s: tuple[float, ...], lang: str) -> str:
    """Rests of `relax_s` (`Programme.relax_lengths_s`) as a level's are said: *, ontspannen 4/16 s*;
    "" for none."""
    return programme_text("relax_s", lang, s="/".join(figure(s, lang) for s in relax_s)) if relax_s else ""


def _asks_text(programme, lang: str) -> str:
    """Its timed hold and repetitions (`level_text`); a hold "as long as possible" said so."""
    as_long = programme.lift_hold_s is None and any(
        step.kind == "lift" and math.isinf(step.hold_s) for step in programme.steps)
    if as_long and programme.series == 1:
        return programme_text("as_long_reps", lang, n=programme.reps)
    return inline(level_text(programme, lang))


def _rests_text(programme, lang: str) -> str:
    """Its rests: *, ontspannen 10 s*; of more than one length, each by what it follows
    (*, ontspannen 8 s na het vasthouden en 2 s na een knijpje*) where that tells them apart."""
    relax_s = programme.relax_lengths_s
    if len(relax_s) <= 1:
        return relax_lengths_text(relax_s, lang)
    after: dict[str, set[float]] = {}
    before = None
    for step in programme.steps:
        if step.kind == "relax" and before in ("lift", "flick", "cough"):
            after.setdefault(before, set()).add(step.duration_s)
        elif step.kind != "inhale":
            before = step.kind
    if any(len(lengths) != 1 for lengths in after.values()) or sum(map(len, after.values())) != len(relax_s):
        return relax_lengths_text(relax_s, lang)
    rests = [programme_text("rest_after_" + kind, lang, s=figure(next(iter(after[kind])), lang))
             for kind in ("lift", "flick", "cough") if kind in after]
    return programme_text("relax_after", lang, rests=programme_text("rest_between", lang).join(rests))
