"""The programmes this device offers: the built-in ones and those in `[session] programs_dir`
(a file there replaces a built-in of the same name)."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import Callable

from device import config
from device.programme_texts import programme_text, range_start, relax_lengths_text
from device.texts import close_match, figure
from session.programme import BUILTIN_DIR, Programme, ProgrammeError, load_programme, load_programmes, saved_as_other


PROGRAMS_DIR = "session.programs_dir"      # the configuration key (a ProgrammeError's field for it)


class NoSuchProgramme(LookupError):
    """A programme asked for by a name (`--program`) that names none, or more than one; str()
    in the language asked for, `said(lang)` in any (the command line knows the user's only later)."""

    def __init__(self, said: Callable[[str], str], lang: str):
        super().__init__(said(lang))
        self.said = said


def programme_id(programmes: dict[str, Programme], wanted: str, lang: str) -> str:
    """The id (file name) of the programme a user means by `wanted`: its id in any case
    (`Basis`), or its title in any language the file gives, whole or its first words, in any
    case and with ' ', '_' or '-' between the words (`basic`, `Basic exercise`, `letting-go`).
    The titles are the programme's own, so a physiotherapist's file brings its own names. An id
    wins over a title; a title that fits more than one programme is refused, naming them with their
    titles in `lang`, the user's language."""
    by_id = {name.casefold(): name for name in programmes}
    if wanted.casefold() in by_id:
        return by_id[wanted.casefold()]
    words = _words(wanted)
    fitting = sorted(name for name, prog in programmes.items() if words and any(
        _words(title)[:len(words)] == words for title in prog.title.values()))
    if len(fitting) == 1:
        return fitting[0]
    if fitting:
        raise NoSuchProgramme(lambda lang: programme_text("programme_could_be", lang, wanted=wanted,
                                                          which=_titled(programmes, fitting, lang)), lang)
    close = _close_programme(programmes, wanted)
    raise NoSuchProgramme(lambda lang: programme_text("no_programme_close" if close else "no_programme", lang,
                                                      wanted=wanted, close=close,
                                                      titles=_titled(programmes, sorted(programmes), lang)), lang)


def _close_programme(programmes: dict[str, Programme], wanted: str) -> str | None:
    """The programme a misspelt `wanted` was clearly meant to be (`close_match`), by its id or a
    word of one of its titles that no other title has (*hoesten*: knack, *Span aan voor je hoest*;
    by the ids alone it was *voelen*: a trial); words of fewer than four letters are no names."""
    owners: dict[str, set[str]] = {}
    for name, programme in programmes.items():
        owners.setdefault(name.casefold(), set()).add(name)
        for title in programme.title.values():
            for word in _words(title):
                if len(word) >= 4:
                    owners.setdefault(word, set()).add(name)
    names = {key: next(iter(names)) for key, names in owners.items() if len(names) == 1}
    close = close_match(wanted.casefold(), sorted(names), owner=names.__getitem__)
    return names[close] if close else None


def _titled(programmes: dict[str, Programme], names: list[str], lang: str) -> str:
    """The programmes `names`, each with its title in `lang`: *basis (Basisoefening), ...*."""
    return ", ".join(f"{name} ({programmes[name].title[lang]})" for name in names)


def _words(name: str) -> tuple[str, ...]:
    """A name's words, case-folded: split at spaces, '_' and '-'."""
    return tuple(word for word in re.split(r"[\s_-]+", name.casefold()) if word)


def configured_programmes(cfg: config.Config, on_bad_file=None) -> dict[str, Programme]:
    """The programmes by name. A bad file is a ProgrammeError, or goes to `on_bad_file(error)`
    and is left out. So is a `programs_dir` that is not a folder, when it was set (the
    default may be absent): then only the built-in programmes are there."""
    extra = Path(cfg.session.programs_dir)
    what = None
    if not extra.is_dir():
        if cfg.session.programs_dir != config.SessionConfig().programs_dir:   # set, so meant
            what = "is not a folder" if extra.exists() else "does not exist"
    elif not os.access(extra, os.R_OK | os.X_OK):
        what = "cannot be read (no permission)"
    else:
        return load_programmes(BUILTIN_DIR, extra, on_bad_file=on_bad_file)
    if what is not None:
        error = ProgrammeError(extra, f"{what} ({PROGRAMS_DIR}): its programmes are missing", field=PROGRAMS_DIR)
        if on_bad_file is None:
            raise error
        on_bad_file(error)
    return load_programmes(BUILTIN_DIR)


def not_read(cfg: config.Config) -> list[Path]:
    """What in `programs_dir` is not read and is no programme: files that are not `.toml` and
    hold none (a programme saved as `.txt` is a bad file: `saved_as_other`), folders (the files in
    them) and links to nothing; hidden ones aside."""
    folder = Path(cfg.session.programs_dir)
    try:
        programmes = set(saved_as_other(folder))
        return sorted(path for path in folder.iterdir()
                      if not path.name.startswith(".") and not (path.is_file() and path.suffix == ".toml")
                      and path not in programmes)
    except OSError:                    # no folder, or one that cannot be read: configured_programmes says so
        return []


def lets_go_only(name: str, contraction_score: float | None, programmes: dict[str, Programme]) -> bool:
    """A session of programme `name` asked for no lift, only letting go (`Programme.asks_lift`);
    one no longer known, by its scores (no contraction score)."""
    known = programmes.get(name)
    return not known.asks_lift if known is not None else contraction_score is None


def letting_go_practised(sessions, programmes: dict[str, Programme]) -> list[tuple[datetime.date, float]]:
    """(day, relaxation score) of each completed and scored session that practised letting go only
    (`lets_go_only`): what `session.advice.see_physio_let_go` reads. `sessions`: (day, programme,
    completed, contraction score, relaxation score) of each, the device's and the report's."""
    return [(day, relaxed) for day, name, completed, contraction, relaxed in sessions
            if completed and day is not None and relaxed is not None and lets_go_only(name, contraction, programmes)]


def lifting_practised(sessions, programmes: dict[str, Programme]) -> list[tuple[datetime.date, int, int]]:
    """(day, pushes warned, repetitions) of each completed session that practised lifts
    (`sets_lift_goal`: not `lets_go_only`, nor an assessment, which measures and trains nothing --
    a first `meting` pushed in 4 of 11 kept a floor that pushed in every lift of `voelen` after it
    from the advice for 14 days: a trial) and scored some: what `session.advice.see_physio_bear_down`
    reads. `sessions`: (day, programme, completed, contraction score, pushes warned, repetitions) of
    each, the device's and the report's."""
    return [(day, pushed, reps) for day, name, completed, contraction, pushed, reps in sessions
            if completed and day is not None and pushed is not None and reps
            and sets_lift_goal(name, contraction, programmes)]


def sets_lift_goal(name: str, contraction_score: float | None, programmes: dict[str, Programme]) -> bool | None:
    """Whether a session of programme `name` gives its week a goal of contractions: it asked for
    lifts (not `lets_go_only`); None for an assessment, which neither sets nor removes it -- a
    meting measures, it trains nothing: one among an over-tense floor's weeks of letting go asks no
    24 contractions a day of them (`session.adherence.weeks`)."""
    known = programmes.get(name)
    return None if known is not None and known.assesses else not lets_go_only(name, contraction_score, programmes)


def measures_strength(name: str, programmes: dict[str, Programme], kept: bool | None) -> bool:
    """A session of programme `name` says how strong the floor is: some lift asked for all the user
    has (`Programme.asks_maximal`), as the session kept it (`kept`, its summary's `asks_maximal`);
    one kept before it was (None), as its programme asks, where known here -- else it shows no power
    rather than one that may mislead. The end screen's strength, and the report's, the CSV's and
    `history`'s power, only then: the peak of lifts asked at 2 of 4 floors is how high they were
    asked to go."""
    if kept is not None:
        return kept
    known = programmes.get(name)
    return known is not None and known.asks_maximal


def origin(cfg: config.Config, name: str, lang: str, programme: Programme | None = None) -> str:
    """Where programme `name` comes from, for `pftrainer programs` in `lang`: "" for a built-in,
    else "from FILE" (a file in `programs_dir`), and whether it replaces the built-in -- and, when
    `programme` (that file's) starts its levels elsewhere than the built-in does, that the
    levels kept, counted from the start, move with it."""
    own = Path(cfg.session.programs_dir) / f"{name}.toml"
    if not own.is_file():
        return ""
    builtin_file = BUILTIN_DIR / f"{name}.toml"
    if not builtin_file.is_file():
        return programme_text("from_file", lang, file=own)
    said = programme_text("in_place_of_builtin", lang, file=own)
    builtin = load_programme(builtin_file)
    if programme is None or not builtin.levels:
        return said
    if not programme.levels:
        return said + programme_text("no_levels", lang,
                                     lowest=range_start(_start(builtin, lang, builtin.lowest_level)),
                                     highest=_start(builtin, lang, builtin.highest_level))
    if _start(programme, lang) != _start(builtin, lang):
        said += programme_text("starts_elsewhere", lang, start=_start(programme, lang), builtin=_start(builtin, lang))
    return said


def _start(programme: Programme, lang: str, level: int = 1) -> str:
    """What a user at the kept `level` (default: a new user) does in `programme`: its timed
    lifts' hold, relax steps and repetitions, in `lang`."""
    runs = programme.at_level(level)
    hold = "" if runs.lift_hold_s is None else f"{figure(runs.lift_hold_s, lang)} s x "
    return f"{hold}{runs.reps}" + relax_lengths_text(runs.relax_lengths_s, lang)
