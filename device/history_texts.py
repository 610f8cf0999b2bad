"""What `pftrainer history` says, Dutch first, English second: in the user's language, as the
screen is (`--lang`, else the device menu's, else `[ui] language`; a Dutch user read English
column names beside the device's Dutch: a trial). Placeholders use str.format fields, as
`device.texts`, whose `text` reads this catalogue too. Column names are short: the table is read
in a terminal."""

from __future__ import annotations

from device.texts import counted, text

HISTORY_TEXTS: dict[str, dict[str, str]] = {
    # the sessions' table: its columns (the mistakes' in MISTAKE_KINDS' order)
    "col_started": {"nl": "begonnen", "en": "started"},
    "col_programme": {"nl": "programma", "en": "programme"},
    "col_min": {"nl": "min", "en": "min"},
    "col_reps": {"nl": "herh", "en": "reps"},
    "col_contraction": {"nl": "aansp.", "en": "contr."},
    "col_relaxation": {"nl": "ontsp.", "en": "relax"},
    "col_power": {"nl": "kracht kPa", "en": "power kPa"},
    "col_hold": {"nl": "vast s", "en": "hold s"},
    "col_exhale": {"nl": "uitadem", "en": "exhale"},
    "col_good": {"nl": "goed", "en": "good"},
    "col_mistakes": {"nl": "fouten:", "en": "mistakes:"},
    "col_bear_down": {"nl": "pers", "en": "push"},
    "col_breath_hold": {"nl": "adem", "en": "breath"},
    "col_not_let_go": {"nl": "los", "en": "letgo"},
    "col_glute": {"nl": "bil", "en": "glute"},
    "col_no_lift": {"nl": "nietop", "en": "nolift"},
    "in_progress": {"nl": "bezig", "en": "in progress"},
    "interrupted": {"nl": "onderbroken", "en": "interrupted"},
    "trained_as": {"nl": "getraind als persoon {n}", "en": "trained as person {n}"},    # moved here (`move`)
    "sessions_1": {"nl": "1 sessie", "en": "1 session"},
    "sessions_n": {"nl": "{n} sessies", "en": "{n} sessions"},
    "person": {"nl": "persoon {who}:", "en": "person {who}:"},
    # the assessments' table
    "assessments": {"nl": "metingen, in PERFECT-termen:", "en": "assessments (meting), in PERFECT terms:"},
    "col_p_kpa": {"nl": "P kPa", "en": "P kPa"},
    "col_p_first": {"nl": "% 1e", "en": "% 1st"},
    "col_e": {"nl": "E s", "en": "E s"},
    "col_r": {"nl": "R", "en": "R"},
    "col_f": {"nl": "F", "en": "F"},
    "col_hold_mean": {"nl": "vast %", "en": "holds %"},
    "col_slope": {"nl": "helling %/min", "en": "slope %/min"},
    "col_let_go": {"nl": "los", "en": "let go"},
    "col_rest_sd": {"nl": "rust sd %", "en": "rest sd %"},
    "col_breath": {"nl": "adem kPa", "en": "breath kPa"},
    # training per week
    "week_goal": {"nl": "training per week (doel: {sessions}{contractions}):",
                  "en": "training per week (goal: {sessions}{contractions}):"},
    "goal_sessions_1": {"nl": "1 sessie", "en": "1 session"},
    "goal_sessions_n": {"nl": "{n} sessies", "en": "{n} sessions"},
    "goal_all_weeks": {"nl": " en {n} aanspanningen per dag", "en": " and {n} contractions a day"},
    "goal_some_weeks": {"nl": " en {n} aanspanningen per dag; geen in een week van alleen loslaten: -",
                        "en": " and {n} contractions a day; none in a week of letting go only: -"},
    "goal_no_week": {"nl": "; alleen loslaten: geen aanspanningen gevraagd",
                     "en": "; letting go only: no contractions asked"},
    "col_week": {"nl": "week", "en": "week"},
    "col_days": {"nl": "dagen", "en": "days"},
    "col_sessions": {"nl": "sessies", "en": "sessions"},
    "col_contractions": {"nl": "aanspanningen", "en": "contractions"},
    "streak_1": {"nl": "reeks: 1 dag op rij tot en met {day}", "en": "streak: 1 day in a row up to {day}"},
    "streak_n": {"nl": "reeks: {n} dagen op rij tot en met {day}", "en": "streak: {n} days in a row up to {day}"},
    # the levels
    "level_of": {"nl": "{name} {level} van {count}", "en": "{name} {level} of {count}"},
    "level_refused": {"nl": "niet te zeggen van {names}: hier een slecht bestand (pftrainer programs zegt waarom)",
                      "en": "not to be told of {names}: a bad file here (pftrainer programs says why)"},
    "level_unknown": {"nl": "niet te zeggen van {names}: hier niet bekend (niet in [session] programs_dir)",
                      "en": "not to be told of {names}: not known here (not in [session] programs_dir)"},
    "levels": {"nl": "niveaus (persoon {who}): {levels}", "en": "levels (person {who}): {levels}"},
}


def history_text(key: str, lang: str, **fmt) -> str:
    return text(key, lang, catalogue=HISTORY_TEXTS, **fmt)


def columns(keys: tuple[str, ...], widths: tuple[int, ...], lang: str) -> tuple[tuple[str, int], ...]:
    """Each column's name in `lang` and its width: at least `widths`' (its figures'), at least
    its name's."""
    names = [history_text(key, lang) for key in keys]
    return tuple((name, max(width, len(name))) for name, width in zip(names, widths))


def history_counted(key: str, n: int, lang: str, **fmt) -> str:
    """The text `key` for `n` of something (`device.texts.counted`)."""
    return counted(key, n, lang, catalogue=HISTORY_TEXTS, **fmt)
