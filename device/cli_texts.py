"""What the command line says when it refuses something (its own one-line errors and
argparse's), Dutch first, English second: in the user's language, as `history` chooses it (a
Dutch user read Dutch lists beside English error lines: a trial). Placeholders use str.format
fields, as `device.texts`, whose `text` reads this catalogue too. argparse's English is read
back (`refused_arguments`) and said again from here; a message not known here stays English."""

from __future__ import annotations

import ast
import errno
import re
from dataclasses import dataclass, field

from device.texts import close_match, counted, text

CLI_TEXTS: dict[str, dict[str, str]] = {
    # argparse's refusals, said again (`refused_arguments`): one line, then where to look
    "see_help": {"nl": "pftrainer: {message} (zie pftrainer --help)",
                 "en": "pftrainer: {message} (see pftrainer --help)"},
    "argument": {"nl": "argument {argument}: {message}", "en": "argument {argument}: {message}"},
    "invalid_choice": {"nl": "ongeldige keuze: {value} (kies uit {choices})",
                       "en": "invalid choice: {value} (choose from {choices})"},
    "invalid_choice_close": {"nl": "ongeldige keuze: {value}; bedoel je {close}? (kies uit {choices})",
                             "en": "invalid choice: {value}; did you mean {close}? (choose from {choices})"},
    "expected_one": {"nl": "verwacht één waarde", "en": "expected one argument"},
    "expected_some": {"nl": "verwacht minstens één waarde", "en": "expected at least one argument"},
    "not_allowed_with": {"nl": "gaat niet samen met argument {other}", "en": "not allowed with argument {other}"},
    "ignored_value": {"nl": "neemt geen waarde: {value} hoort er niet bij", "en": "ignored explicit argument {value}"},
    "required": {"nl": "deze argumenten ontbreken: {arguments}",
                 "en": "the following arguments are required: {arguments}"},
    "unrecognized": {"nl": "onbekende argumenten: {arguments}", "en": "unrecognized arguments: {arguments}"},
    "meant": {"nl": "; bedoel je {options}?", "en": "; did you mean {options}?"},
    "ambiguous": {"nl": "{option} kan meer dan één optie zijn: {matches}",
                  "en": "ambiguous option: {option} could match {matches}"},
    "config_first": {"nl": " (--config staat vóór de opdracht: pftrainer --config BESTAND OPDRACHT ...)",
                     "en": " (--config comes before the command: pftrainer --config FILE COMMAND ...)"},
    "lang_first": {"nl": " (--lang staat vóór de opdracht: pftrainer --lang nl OPDRACHT ...)",
                   "en": " (--lang comes before the command: pftrainer --lang en COMMAND ...)"},
    # `report`'s lines for what it could not find (the page and the CSV are written all the same, but
    # for a period that holds no session: then neither is)
    "no_session_in_period": {"nl": "pftrainer: geen sessie{whose}{period}: {kept}{said}",
                             "en": "pftrainer: no session{whose}{period}: {kept}{said}"},
    "no_session_numbered": {"nl": "pftrainer: geen sessie {ids}{whose} in {state_dir}{said}",
                            "en": "pftrainer: no session {ids}{whose} in {state_dir}{said}"},
    "of_person": {"nl": " voor persoon {n}", "en": " of person {n}"},
    "report_says_so": {"nl": " (het rapport zegt het)", "en": " (the report says so)"},
    "nothing_written": {"nl": "; niets geschreven naar {files}", "en": "; nothing written to {files}"},
    "or_between": {"nl": " of ", "en": " or "},            # between the files named
    "period_from": {"nl": "van {day}", "en": "from {day}"},
    "period_to": {"nl": "tot {day}", "en": "to {day}"},
    "kept_none": {"nl": "er is geen sessie bewaard", "en": "none is kept"},
    "kept_last": {"nl": "de laatste bewaarde sessie is van {day}", "en": "the last session kept is of {day}"},
    "kept_span": {"nl": "de bewaarde sessies lopen van {first} tot {last}",
                  "en": "the sessions kept run from {first} to {last}"},
    # `report`'s lines for what it wrote (the page, with the recordings it found damaged, whose curves
    # it could not draw; the table)
    "report_written_1": {"nl": "rapport van 1 sessie geschreven naar {path}{damaged}",
                         "en": "report of 1 session written to {path}{damaged}"},
    "report_written_n": {"nl": "rapport van {n} sessies geschreven naar {path}{damaged}",
                         "en": "report of {n} sessions written to {path}{damaged}"},
    "table_written_1": {"nl": "1 sessie geschreven naar {path}", "en": "1 session written to {path}"},
    "table_written_n": {"nl": "{n} sessies geschreven naar {path}", "en": "{n} sessions written to {path}"},
    "recording_damaged_1": {"nl": "; de opname van sessie {ids} is beschadigd en de drukcurve niet getekend: {files}",
                            "en": "; the recording of session {ids} is damaged, its curve not drawn: {files}"},
    "recording_damaged_n": {"nl": "; de opnames van sessies {ids} zijn beschadigd en hun drukcurves niet getekend: "
                                  "{files}",
                            "en": "; the recordings of sessions {ids} are damaged, their curves not drawn: {files}"},
    # `export`'s line for what it wrote (the sessions it left out are said above it, a line each)
    "exported_1": {"nl": "1 sessie geëxporteerd naar {dir} (EDF+ en CSV)",
                   "en": "1 session exported to {dir} (EDF+ and CSV)"},
    "exported_n": {"nl": "{n} sessies geëxporteerd naar {dir} (EDF+ en CSV)",
                   "en": "{n} sessions exported to {dir} (EDF+ and CSV)"},
    "not_exported": {"nl": "; {n} niet: {ids} (zie hierboven)", "en": "; {n} not: {ids} (see above)"},
    "export_empty_1": {"nl": "; sessie {ids} stopte vóór de eerste meetwaarde: niets te exporteren",
                       "en": "; session {ids} stopped before the first sample: nothing to export"},
    "export_empty_n": {"nl": "; sessies {ids} stopten vóór de eerste meetwaarde: niets te exporteren",
                       "en": "; sessions {ids} stopped before the first sample: nothing to export"},
    "export_dir_removed": {"nl": "; {dir}, daarvoor aangemaakt, is weer verwijderd",
                           "en": "; {dir}, made for them, is removed again"},
    # ... the command line's own types (`TYPE_KEYS`): what argparse puts after "argument X: "
    "not_seconds": {"nl": "geen aantal seconden: {value}", "en": "not a number of seconds: {value}"},
    "not_whole": {"nl": "geen heel getal: {value}", "en": "not a whole number: {value}"},
    "not_kpa": {"nl": "geen aantal kPa: {value}", "en": "not a number of kPa: {value}"},
    "not_number": {"nl": "geen getal: {value}", "en": "not a number: {value}"},
    "not_days": {"nl": "geen heel aantal dagen: {value}", "en": "not a whole number of days: {value}"},
    "not_profile": {"nl": "geen profielnummer: {value}", "en": "not a profile number: {value}"},
    "not_session": {"nl": "geen sessienummer: {value}", "en": "not a session number: {value}"},
    "out_of_range": {"nl": "moet {lo} .. {hi} zijn, niet {text}", "en": "must be {lo} .. {hi}, got {text}"},
    "too_small": {"nl": "moet {lo} of meer zijn, niet {text}", "en": "must be {lo} or more, got {text}"},
    "not_a_day": {"nl": "geen dag (JJJJ-MM-DD): {value}", "en": "not a day (YYYY-MM-DD): {value}"},
    "empty_path": {"nl": "een leeg pad", "en": "an empty path"},
    "png_only": {"nl": "het scherm wordt als PNG bewaard: noem een .png-bestand, niet {value}",
                 "en": "the screen is saved as PNG: name a .png file, not {value}"},
    "page_other_kind": {"nl": "{value} is een ander soort bestand: de pagina wordt als {kind} geschreven",
                        "en": "{value} names another kind of file: the page is written as {kind}"},
    "table_other_kind": {"nl": "{value} is een ander soort bestand: de tabel wordt als {kind} geschreven",
                         "en": "{value} names another kind of file: the table is written as {kind}"},
    "page_pdf": {"nl": "{value}: de pagina wordt als {kind} geschreven, niet als PDF (open hem in een browser en "
                       "druk hem af als PDF; hij past op A4)",
                 "en": "{value}: the page is written as {kind}, not PDF (open it in a browser and print it to PDF: "
                       "it prints on A4)"},
    "table_pdf": {"nl": "{value}: de tabel wordt als {kind} geschreven, niet als PDF",
                  "en": "{value}: the table is written as {kind}, not PDF"},
    # the command line's own refusals (`device.cli.UsageError`)
    "profile_needs_state_dir": {"nl": "--profile hoort bij --state-dir (wiens geschiedenis de sessie bewaart)",
                                "en": "--profile needs --state-dir (whose history keeps the session)"},
    "seed_needs_sim": {"nl": "--seed hoort bij --sim (het bepaalt het toeval van de gesimuleerde persoon)",
                       "en": "--seed needs --sim (it seeds the simulated person)"},
    "cpu_factor_needs_sim": {"nl": "--cpu-factor hoort bij --sim (hoe traag de gesimuleerde Pi rekent)",
                             "en": "--cpu-factor needs --sim (how slowly the simulated Pi computes)"},
    "screen_needs_sim": {"nl": "--screen hoort bij --sim (kijk op het apparaat naar het scherm zelf)",
                         "en": "--screen needs --sim (on the device, look at the screen itself)"},
    "user_needs_sim": {"nl": "--persona, --stand-up en --days-between horen bij --sim (ze beschrijven de "
                             "gesimuleerde gebruiker)",
                       "en": "--persona, --stand-up and --days-between need --sim (they describe the simulated user)"},
    "no_persona": {"nl": "geen persona '{wanted}' (er zijn: {personas})",
                   "en": "no persona '{wanted}' (there are: {personas})"},
    "no_persona_close": {"nl": "geen persona '{wanted}'; bedoel je '{close}'? (er zijn: {personas})",
                         "en": "no persona '{wanted}'; did you mean '{close}'? (there are: {personas})"},
    "profile_beyond": {"nl": "--profile {profile}: dit apparaat heeft er {profiles} (zet [session] profiles in de "
                             "configuratie voor meer)",
                       "en": "--profile {profile}: this device has {profiles} (set [session] profiles in the "
                             "configuration for more)"},
    "usb_dir": {"nl": "[sim] usb_dir = {stick}: {why}", "en": "[sim] usb_dir = {stick}: {why}"},
    "gif_not_a_file": {"nl": "{gif}: geen bestand (run --sim schrijft het scherm daar aan het eind): zet het opzij",
                       "en": "{gif}: not a file (run --sim writes the screen there at the end): move it away"},
    # ... the default folder or one named: how to name another (a grandson's trial: no hint)
    "to_profile_beyond": {"nl": "--to-profile {profile}: dit apparaat heeft er {profiles} (zet [session] profiles in "
                                "de configuratie voor meer)",
                          "en": "--to-profile {profile}: this device has {profiles} (set [session] profiles in the "
                                "configuration for more)"},
    "move_unknown": {"nl": "--session {sessions}: niet bewaard in {state_dir} (pftrainer history laat ze zien); "
                           "niets verplaatst",
                     "en": "--session {sessions}: not kept in {state_dir} (pftrainer history lists them); "
                           "nothing moved"},
    "move_busy": {"nl": "{state_dir}: het apparaat schrijft daar nu; stop het eerst (sudo systemctl stop pftrainer); "
                        "niets verplaatst",
                  "en": "{state_dir}: the device is writing there now; stop it first (sudo systemctl stop "
                        "pftrainer); nothing moved"},
    # `move`'s line per session: who it was filed under and is now, the day's maximum it measured, the
    # level it leaves; then the sessions of that day that went by that maximum
    "move_what": {"nl": "sessie {n} ({when}, {program})", "en": "session {n} ({when}, {program})"},
    "move_already": {"nl": "{what} is al van persoon {to}", "en": "{what} is person {to}'s already"},
    "move_moved": {"nl": "{what}: persoon {source} -> persoon {to}{maximum}{level}",
                   "en": "{what}: person {source} -> person {to}{maximum}{level}"},
    "move_maximum_given": {"nl": ", met het maximum van {day} dat in deze sessie gemeten is",
                           "en": ", with the maximum it measured on {day}"},
    "move_maximum_taken": {"nl": "; het maximum van {day} uit deze sessie is niet meer van persoon {source} "
                                 "(persoon {to} behoudt het eigen maximum van die dag)",
                           "en": "; the maximum it measured on {day} is person {source}'s no more (person {to} "
                                 "keeps their own of that day)"},
    "move_level_back": {"nl": "; het niveau van persoon {who} voor {name} gaat terug naar {level}, de telling "
                              "van goede en slechte sessies op rij begint opnieuw",
                        "en": "; person {who}'s level of {name} back to {level}, its run of good and poor "
                              "sessions begun again"},
    "move_level_stays": {"nl": "; het niveau van persoon {who} voor {name} blijft {level}, de telling van "
                               "goede en slechte sessies op rij begint opnieuw",
                         "en": "; person {who}'s level of {name} stays {level}, its run of good and poor "
                               "sessions begun again"},
    "move_went_by_1": {"nl": "  sessie {ids} van persoon {source}, later die dag, ging uit van dat maximum: de "
                             "scores blijven zoals ze waren",
                       "en": "  person {source}'s session {ids} that day went by that maximum: its scores stay "
                             "as they were"},
    "move_went_by_n": {"nl": "  sessies {ids} van persoon {source}, later die dag, gingen uit van dat maximum: "
                             "hun scores blijven zoals ze waren",
                       "en": "  person {source}'s sessions {ids} that day went by that maximum: their scores "
                             "stay as they were"},
    "no_history": {"nl": "geen geschiedenis in {state_dir}: {why} (een andere map: --state-dir MAP)",
                   "en": "no history in {state_dir}: {why} (another folder: --state-dir DIR)"},
    "history_above": {"nl": "geen geschiedenis in {state_dir}: dat is de map met opnames van de geschiedenis in "
                            "{history} (--state-dir {history})",
                      "en": "no history in {state_dir}: that is the recordings folder of the history in {history} "
                            "(--state-dir {history})"},
    "no_database": {"nl": "geen geschiedenis in {state_dir} (daar is geen pftrainer.db)",
                    "en": "no history in {state_dir} (no pftrainer.db there)"},
    "no_database_recordings": {"nl": "geen geschiedenis in {state_dir} (daar is geen pftrainer.db, wel {n} "
                                     "opname(n) in {recordings}: `pftrainer analyze` speelt elke opname af)",
                               "en": "no history in {state_dir} (no pftrainer.db there, but {n} recording(s) in "
                                     "{recordings}: `pftrainer analyze` replays each)"},
    "report_needs_output": {"nl": "report heeft --out BESTAND.html, --csv BESTAND.csv of allebei nodig",
                            "en": "report needs --out FILE.html, --csv FILE.csv or both"},
    "from_after_to": {"nl": "--from {since} ligt na --to {until}", "en": "--from {since} is after --to {until}"},
    "out_is_csv": {"nl": "--out en --csv zijn één bestand ({out}): de tabel zou de pagina overschrijven",
                   "en": "--out and --csv are one file ({out}): the table would overwrite the page"},
    "no_folder_for": {"nl": "{option} {path}: de map {folder} bestaat niet",
                      "en": "{option} {path}: no folder {folder}"},
    "folder_not_file": {"nl": "{option} {path}: is een map, geen bestand",
                        "en": "{option} {path}: is a folder, not a file"},
    "not_a_folder": {"nl": "{option} {path}: is geen map", "en": "{option} {path}: is not a folder"},
    "parent_not_a_folder": {"nl": "{option} {path}: {where} is geen map",
                            "en": "{option} {path}: {where} is not a folder"},
    "not_writable": {"nl": "{option} {path}: in {where} kan niet geschreven worden (alleen-lezen, of niet van jou)",
                     "en": "{option} {path}: {where} cannot be written to (read-only, or not yours)"},
    "in_state_dir": {"nl": "{out} ligt in de gegevensmap {folder}: {command} schrijft zijn bestanden daar nooit",
                     "en": "{out} is in the state directory {folder}: {command} never writes its files there"},
    "usb_to": {"nl": "--to {to}: {why}", "en": "--to {to}: {why}"},
    # ... why a path is no folder (`device.layout.not_a_folder`: storage's English too)
    "no_such_folder": {"nl": "die map bestaat niet", "en": "no such folder"},
    "file_not_folder": {"nl": "een bestand, geen map", "en": "a file, not a folder"},
    "file_in_the_way": {"nl": "{blocking} is een bestand, geen map", "en": "{blocking} is a file, not a folder"},
    # ... a message made elsewhere: as it was told (in the user's language where it can say itself)
    "told": {"nl": "{message}", "en": "{message}"},
    # the top-level handlers
    "table_missing": {"nl": "de tabel '{table}' ontbreekt", "en": "its table '{table}' is missing"},
    "no_simulator": {"nl": "--sim heeft de simulator nodig (het pakket hw_sim), die hier niet geïnstalleerd is",
                     "en": "--sim needs the simulator (the hw_sim package), which is not installed here"},
    # a file named on the command line that the system would not read or write (`os_failed`): its
    # own English (*Permission denied*) among Dutch lines read as a crash (a trial)
    "os_failed": {"nl": "{path}: {reason}", "en": "{path}: {reason}"},
    "os_no_access": {"nl": "geen toegang", "en": "no access"},     # (to write, or to read: a review)
    "os_read_only": {"nl": "alleen-lezen", "en": "read-only"},
    "os_missing": {"nl": "bestaat niet", "en": "no such file or folder"},
    "os_full": {"nl": "geen ruimte meer op de schijf of stick", "en": "no space left on the disk or stick"},
    "os_is_folder": {"nl": "is een map, geen bestand", "en": "is a folder, not a file"},
    "os_not_folder": {"nl": "een deel ervan is geen map", "en": "part of it is not a folder"},
    "os_io": {"nl": "lees- of schrijffout (is de stick eruit gehaald?)",
              "en": "read or write error (was the stick pulled out?)"},
    "database_damaged": {"nl": "{path}: de database is beschadigd ({reason}); er wordt niets uit gelezen "
                               "(`pftrainer run` zet hem opzij en bouwt de geschiedenis opnieuw op)",
                         "en": "{path}: the database is damaged ({reason}); nothing is read from it "
                               "(`pftrainer run` moves it aside and rebuilds the history)"},
}

# the messages of the command line's own argparse types, read back from argparse's English
TYPE_KEYS = ("not_seconds", "not_whole", "not_kpa", "not_number", "not_days", "not_profile", "not_session",
             "out_of_range", "too_small", "not_a_day", "empty_path", "png_only", "page_other_kind", "table_other_kind",
             "page_pdf", "table_pdf")


def cli_text(key: str, lang: str, **fmt) -> str:
    """The text `key` of this catalogue in `lang` (`device.texts.text`)."""
    return text(key, lang, catalogue=CLI_TEXTS, **fmt)


def cli_counted(key: str, n: int, lang: str, **fmt) -> str:
    """The text `key` for `n` of something (`device.texts.counted`)."""
    return counted(key, n, lang, catalogue=CLI_TEXTS, **fmt)


@dataclass(frozen=True)
class Said:
    """A text of this catalogue not yet put into a language -- an error is raised before the
    user's language is known: its key and values (one that says itself in a language, a `Said`
    or a `NoSuchProgramme.said`, said in the same one)."""
    key: str
    fmt: dict = field(default_factory=dict)

    def __call__(self, lang: str) -> str:
        return cli_text(self.key, lang, **{k: v(lang) if callable(v) else v for k, v in self.fmt.items()})


# argparse's English, Python 3.11 to 3.13 (and the unquoted choices and "maybe you meant" of later
# ones): "argument X: " before what is about one argument
_ARGUMENT = re.compile(r"argument (?P<argument>[^:]+?): (?P<message>.*)", re.DOTALL)
_CHOICE = re.compile(r"invalid choice: (?P<value>.*?)(?:, maybe you meant .*?\?)? \(choose from (?P<choices>.*)\)",
                     re.DOTALL)
_ABOUT_ARGUMENT = {"expected_one": re.compile(r"expected one argument"),
                   "ignored_value": re.compile(r"ignored explicit argument (?P<value>.+)", re.DOTALL),
                   "expected_some": re.compile(r"expected at least one argument"),
                   "not_allowed_with": re.compile(r"not allowed with argument (?P<other>.+)")}
_ABOUT_LINE = {"required": re.compile(r"the following arguments are required: (?P<arguments>.+)"),
               "unrecognized": re.compile(r"unrecognized arguments: (?P<arguments>.+)", re.DOTALL),
               "ambiguous": re.compile(r"ambiguous option: (?P<option>.+?) could match (?P<matches>.+)", re.DOTALL)}


_BEFORE_COMMAND = {"--config": "config_first", "--lang": "lang_first"}    # options of pftrainer's, not a command's


def refused_arguments(message: str, lang: str, meant: dict[str, str] | None = None) -> str:
    """argparse's `message` refusing the command line, its one line in `lang` ("pftrainer: ...
    (see pftrainer --help)"), with a misspelt choice's clearly closest name (`close_match`), an
    unrecognized argument's option it was `meant` to be (*--sesions*: --sessions; *sim*: --sim),
    and where an option of pftrainer's own goes (`export ... --lang en`: before the command);
    English as argparse said it where it is not known here."""
    said = _said_again(message)
    if said is None:                                    # English, all of it
        return cli_text("see_help", "en", message=message)
    line = said(lang)
    if said.key == "unrecognized":
        arguments = said.fmt["arguments"].split(" ")
        first = [option for option in _BEFORE_COMMAND if any(arg.partition("=")[0] == option for arg in arguments)]
        options = [meant[arg] for arg in arguments if arg in (meant or {}) and arg.partition("=")[0] not in first]
        if options:
            line += cli_text("meant", lang, options=", ".join(options))
        line += "".join(cli_text(_BEFORE_COMMAND[option], lang) for option in first)
    return cli_text("see_help", lang, message=line)


def _said_again(message: str) -> Said | None:
    """argparse's English `message` as a text of this catalogue, or None if it is none known."""
    for key, pattern in _ABOUT_LINE.items():
        found = pattern.fullmatch(message)
        if found:
            return Said(key, found.groupdict())
    argument = _ARGUMENT.fullmatch(message)
    about = argument and _about_argument(argument["message"])
    return Said("argument", {"argument": argument["argument"], "message": about}) if about else None


def _about_argument(message: str) -> Said | None:
    """What argparse said about one argument (after "argument X: ") as a text of this catalogue."""
    choice = _CHOICE.fullmatch(message)
    if choice:
        return _invalid_choice(choice["value"], choice["choices"])
    for key, pattern in [*_ABOUT_ARGUMENT.items(), *_TYPE_PATTERNS.items()]:
        found = pattern.fullmatch(message)
        if found:
            return Said(key, found.groupdict())
    return None


def _invalid_choice(value: str, choices: str) -> Said:
    """An invalid choice, quoted alike on every Python, with its clearly closest name if it has one."""
    names = [name.strip("'\"") for name in choices.split(", ")]
    typed = _as_typed(value)
    fmt = {"value": repr(typed), "choices": ", ".join(map(repr, names))}
    close = close_match(typed, names)
    return Said("invalid_choice_close", {**fmt, "close": repr(close)}) if close else Said("invalid_choice", fmt)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(line: str) -> str:
    """`line` with its control characters escaped as repr escapes them (a newline in a path
    typed: `\\n`), so it is one line always; the rest as it is (a Dutch *é* too)."""
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], line)


def damage_reason(reason: str, lang: str) -> str:
    """Why a database is damaged (`device.storage`'s English, `DamagedDatabase.reason`) in `lang`
    where pftrainer's own words say it ("its table 'rep' is missing"); SQLite's own stay as SQLite
    said them, a technical detail."""
    found = _TABLE_MISSING.fullmatch(reason)
    return cli_text("table_missing", lang, **found.groupdict()) if found else reason


OS_REASONS = {errno.EACCES: "os_no_access", errno.EPERM: "os_no_access", errno.EROFS: "os_read_only",
              errno.ENOENT: "os_missing", errno.ENOSPC: "os_full", errno.EDQUOT: "os_full",
              errno.EISDIR: "os_is_folder", errno.ENOTDIR: "os_not_folder", errno.EIO: "os_io"}


def os_failed(error: OSError, lang: str) -> str:
    """The line for an OSError on a file named on the command line, in `lang`: its file and why, in
    pftrainer's words where it has them (OS_REASONS), else as the system said it."""
    key = OS_REASONS.get(error.errno)
    reason = cli_text(key, lang) if key else (error.strerror or str(error))
    return cli_text("os_failed", lang, path=error.filename, reason=reason) if error.filename else reason


def _as_typed(value: str) -> str:
    """A value as it was typed, from argparse's quoting of it (its repr, 3.11-3.13: `'hist\\nory'`
    is *hist*, a newline, *ory*), or as it is where it is not quoted (later ones)."""
    try:
        typed = ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return value
    return typed if isinstance(typed, str) else value


def _reading(template: str) -> re.Pattern:
    """A pattern that reads a text made from `template` back into its fields."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)),
                      re.DOTALL)


_TYPE_PATTERNS = {key: _reading(CLI_TEXTS[key]["en"]) for key in TYPE_KEYS}
_TABLE_MISSING = _reading(CLI_TEXTS["table_missing"]["en"])
