"""The command line's error lines in the user's language (`device.cli_texts`): Dutch first,
English second, chosen as `history` chooses it. A trial (Joke, 71): the screen, `programs` and
`history` spoke Dutch, the errors English."""

import errno
import os
import re
import sqlite3
from pathlib import Path

import pytest

from device.cli import main
from device.cli_texts import CLI_TEXTS, os_failed, refused_arguments
from device.storage import Store

# argparse's English for the refusals said again, as Python 3.11.7 and 3.13.0 word them (read
# from both; the same there), and as later ones may: choices unquoted, a "maybe you meant" of its own
ARGPARSE_ENGLISH = [
    ("argument COMMAND: invalid choice: 'histroy' (choose from 'config', 'history', 'report')",
     "argument COMMAND: ongeldige keuze: 'histroy'; bedoel je 'history'? (kies uit 'config', 'history', 'report')"),
    ("argument COMMAND: invalid choice: histroy (choose from config, history, report)",
     "argument COMMAND: ongeldige keuze: 'histroy'; bedoel je 'history'? (kies uit 'config', 'history', 'report')"),
    ("argument COMMAND: invalid choice: 'histroy', maybe you meant 'history'? (choose from config, history, report)",
     "argument COMMAND: ongeldige keuze: 'histroy'; bedoel je 'history'? (kies uit 'config', 'history', 'report')"),
    ("argument --lang: invalid choice: 'de' (choose from 'nl', 'en')",
     "argument --lang: ongeldige keuze: 'de' (kies uit 'nl', 'en')"),
    ("argument --sessions: not a whole number: 'twee'", "argument --sessions: geen heel getal: 'twee'"),
    ("argument --seconds: must be 0.1 .. 86400.0, got -1", "argument --seconds: moet 0.1 .. 86400.0 zijn, niet -1"),
    ("argument --seed: must be 0 or more, got -1", "argument --seed: moet 0 of meer zijn, niet -1"),
    ("the following arguments are required: --out", "deze argumenten ontbreken: --out"),
    ("the following arguments are required: COMMAND", "deze argumenten ontbreken: COMMAND"),
    ("argument --state-dir: expected one argument", "argument --state-dir: verwacht één waarde"),
    ("argument --session: expected at least one argument", "argument --session: verwacht minstens één waarde"),
    ("argument --cushion: not allowed with argument --persona",
     "argument --cushion: gaat niet samen met argument --persona"),
    ("ambiguous option: --s could match --sim, --seed", "--s kan meer dan één optie zijn: --sim, --seed"),
    ("argument --sim: ignored explicit argument '1'", "argument --sim: neemt geen waarde: '1' hoort er niet bij"),
    ("argument COMMAND: invalid choice: 'hist\\nory' (choose from 'config', 'history', 'report')",
     "argument COMMAND: ongeldige keuze: 'hist\\nory'; bedoel je 'history'? (kies uit 'config', 'history', 'report')"),
    ("argument --lang: invalid choice: 'a\\\\b' (choose from 'nl', 'en')",
     "argument --lang: ongeldige keuze: 'a\\\\b' (kies uit 'nl', 'en')"),
    ("argument COMMAND: invalid choice: 'HISTORY' (choose from 'config', 'history', 'report')",
     "argument COMMAND: ongeldige keuze: 'HISTORY'; bedoel je 'history'? (kies uit 'config', 'history', 'report')"),
    ("unrecognized arguments: --colour", "onbekende argumenten: --colour"),
    ("unrecognized arguments: --config x.toml",
     "onbekende argumenten: --config x.toml (--config staat vóór de opdracht: pftrainer --config BESTAND "
     "OPDRACHT ...)"),
    ("unrecognized arguments: --edf x --lang=nl --config y.toml",
     "onbekende argumenten: --edf x --lang=nl --config y.toml (--config staat vóór de opdracht: pftrainer --config "
     "BESTAND OPDRACHT ...) (--lang staat vóór de opdracht: pftrainer --lang nl OPDRACHT ...)"),
]


@pytest.mark.parametrize("english, dutch", ARGPARSE_ENGLISH)
def test_argparse_english_of_either_python_is_said_again_in_dutch(english, dutch):
    assert refused_arguments(english, "nl") == f"pftrainer: {dutch} (zie pftrainer --help)"


@pytest.mark.parametrize("english", [
    "argument COMMAND: invalid choice: 'histroy' (choose from 'config', 'history', 'report')",
    "argument COMMAND: invalid choice: histroy (choose from config, history, report)",
])
def test_a_misspelt_choice_in_english_gets_its_close_match_quoted_alike_on_every_python(english):
    assert refused_arguments(english, "en") == ("pftrainer: argument COMMAND: invalid choice: 'histroy'; did you "
                                                "mean 'history'? (choose from 'config', 'history', 'report') "
                                                "(see pftrainer --help)")


@pytest.mark.parametrize("message", ["argument --n: invalid int value: 'z'", "something new in argparse"])
def test_a_message_not_known_here_stays_english_all_of_it(message):
    assert refused_arguments(message, "nl") == f"pftrainer: {message} (see pftrainer --help)"


def test_every_text_has_both_languages_with_the_same_placeholders():
    def fields(template):
        return sorted(re.findall(r"\{(\w+)\}", template))
    for key, entry in CLI_TEXTS.items():
        assert set(entry) == {"nl", "en"}, key
        assert fields(entry["nl"]) == fields(entry["en"]), key


def refused(capsys, argv, code=2) -> str:
    """The one line `main(argv)` refuses `argv` with (argparse's by SystemExit, the others returned)."""
    try:
        assert main(argv) == code
    except SystemExit as e:
        assert e.code == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err.rstrip("\n")


def dutch_config(tmp_path, lang="nl") -> str:
    path = tmp_path / "pftrainer.toml"
    path.write_text(f'[ui]\nlanguage = "{lang}"\n')
    return str(path)


@pytest.mark.parametrize("lang, line", [
    ("nl", "pftrainer: argument COMMAND: ongeldige keuze: 'histroy'; bedoel je 'history'? (kies uit 'config', "),
    ("en", "pftrainer: argument COMMAND: invalid choice: 'histroy'; did you mean 'history'? (choose from 'config', "),
])
def test_a_misspelt_command_is_refused_in_the_language_asked_for_with_its_close_match(capsys, tmp_path, lang, line):
    for argv in (["--lang", lang, "histroy"], ["--config", dutch_config(tmp_path, lang), "histroy"],
                 ["--lang=" + lang, "histroy", "--lang", lang]):
        said = refused(capsys, argv)
        assert said.startswith(line) and said.endswith(")" + (" (zie pftrainer --help)" if lang == "nl"
                                                             else " (see pftrainer --help)"))


def test_an_argparse_refusal_with_an_unreadable_config_is_in_the_default_language(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[ui\n")
    assert refused(capsys, ["--config", str(bad), "histroy"]).startswith("pftrainer: argument COMMAND: ongeldige keuze")


@pytest.mark.parametrize("argv, nl, en", [
    (["run", "--sim", "--sessions", "twee"], "argument --sessions: geen heel getal: 'twee'",
     "argument --sessions: not a whole number: 'twee'"),
    (["record", "--sim"], "deze argumenten ontbreken: --out", "the following arguments are required: --out"),
    (["history", "--state-dir"], "argument --state-dir: verwacht één waarde",
     "argument --state-dir: expected one argument"),
    (["selftest", "--sim", "--colour"], "onbekende argumenten: --colour", "unrecognized arguments: --colour"),
    (["report", "--from", "30-11-2026", "--out", "r.html"], "argument --from: geen dag (JJJJ-MM-DD): '30-11-2026'",
     "argument --from: not a day (YYYY-MM-DD): '30-11-2026'"),
    (["report", "--csv", "t.pdf"], "argument --csv: 't.pdf': de tabel wordt als .csv geschreven, niet als PDF",
     "argument --csv: 't.pdf': the table is written as .csv, not PDF"),
])
def test_argparse_refusals_are_dutch_or_english(capsys, argv, nl, en):
    assert refused(capsys, ["--lang", "nl", *argv]) == f"pftrainer: {nl} (zie pftrainer --help)"
    assert refused(capsys, ["--lang", "en", *argv]) == f"pftrainer: {en} (see pftrainer --help)"


def test_a_lang_given_to_a_command_that_takes_none_still_chooses_its_refusals_language(capsys, tmp_path):
    """Trial81: `export ... --lang en` (its `--lang` goes before the command) was refused in Dutch,
    and so was `export ... --profile 5 --lang en`; trial93: its line did not say where `--lang` goes."""
    out = str(tmp_path / "edf")
    assert refused(capsys, ["export", "--edf", out, "--lang", "en"]) == \
        ("pftrainer: unrecognized arguments: --lang en (--lang comes before the command: pftrainer --lang en COMMAND "
         "...) (see pftrainer --help)")
    assert refused(capsys, ["export", "--edf", out, "--lang", "nl", "--sesion", "2"]) == \
        ("pftrainer: onbekende argumenten: --lang nl --sesion 2; bedoel je --session? "
         "(--lang staat vóór de opdracht: pftrainer --lang nl OPDRACHT ...) (zie pftrainer --help)")
    assert refused(capsys, ["export", "--edf", out, "--profile", "5", "--lang=en"]) == \
        "pftrainer: argument --profile: must be 1 .. 4, got 5 (see pftrainer --help)"
    # ... and one with no value leaves the option after it as argparse reads it (review 74c: it took
    # `--lang`'s place, and the language came from the default state directory's, not this one's)
    from device.cli import _given_before_parsing
    given = _given_before_parsing(["export", "--lang", "--state-dir", "st", "--edf", out])
    assert (given.lang, given.state_dir) == ([], ["st"])


PERSONAS = "strong, weak_postpartum, bears_down_tired, breath_holder, glute_squeezer, over_tense, improving, prostate"


@pytest.mark.parametrize("persona, nl, en", [
    ("joke", f"geen persona 'joke' (er zijn: {PERSONAS})", f"no persona 'joke' (there are: {PERSONAS})"),
    ("stron", f"geen persona 'stron'; bedoel je 'strong'? (er zijn: {PERSONAS})",
     f"no persona 'stron'; did you mean 'strong'? (there are: {PERSONAS})"),
])
def test_a_persona_there_is_not_is_dutch_or_english(capsys, tmp_path, persona, nl, en):
    state = str(tmp_path / "state")
    assert refused(capsys, ["run", "--sim", "--persona", persona, "--state-dir", state]) == f"pftrainer: {nl}"
    assert refused(capsys, ["--lang", "en", "run", "--sim", "--persona", persona, "--state-dir", state]) == \
        f"pftrainer: {en}"
    assert refused(capsys, ["sim", "--program", "basis", "--persona", persona, "--out", str(tmp_path),
                            "--lang", "en"]) == f"pftrainer: {en}"


def test_a_misspelt_programme_gets_its_close_match(capsys, tmp_path):
    state = str(tmp_path / "state")
    assert refused(capsys, ["run", "--sim", "--program", "basiss", "--state-dir", state]).startswith(
        "pftrainer: geen programma 'basiss'; bedoel je 'basis'? (er zijn: basis (Basisoefening), ")
    assert refused(capsys, ["--lang", "en", "run", "--sim", "--program", "basiss", "--state-dir", state]).startswith(
        "pftrainer: no programme 'basiss'; did you mean 'basis'? (there are: basis (Basic exercise), ")


@pytest.mark.parametrize("argv, nl, en", [
    (["selftest", "--screen", "s.png"], "--screen hoort bij --sim (kijk op het apparaat naar het scherm zelf)",
     "--screen needs --sim (on the device, look at the screen itself)"),
    (["selftest", "--seed", "3"], "--seed hoort bij --sim (het bepaalt het toeval van de gesimuleerde persoon)",
     "--seed needs --sim (it seeds the simulated person)"),
    (["report", "--state-dir", "{tmp}"], "report heeft --out BESTAND.html, --csv BESTAND.csv of allebei nodig",
     "report needs --out FILE.html, --csv FILE.csv or both"),
    (["report", "--from", "2026-12-02", "--to", "2026-12-01", "--out", "{tmp}/r.html"],
     "--from 2026-12-02 ligt na --to 2026-12-01", "--from 2026-12-02 is after --to 2026-12-01"),
    (["record", "--sim", "--out", "{tmp}/nowhere/r.csv"], "--out {tmp}/nowhere/r.csv: de map {tmp}/nowhere bestaat niet",
     "--out {tmp}/nowhere/r.csv: no folder {tmp}/nowhere"),
    (["record", "--sim", "--out", "{tmp}"], "--out {tmp}: is een map, geen bestand",
     "--out {tmp}: is a folder, not a file"),
    (["history", "--state-dir", "{tmp}/none"], "geen geschiedenis in {tmp}/none: die map bestaat niet (een andere "
     "map: --state-dir MAP)", "no history in {tmp}/none: no such folder (another folder: --state-dir DIR)"),
    (["history", "--state-dir", "{tmp}"], "geen geschiedenis in {tmp} (daar is geen pftrainer.db)",
     "no history in {tmp} (no pftrainer.db there)"),
    (["run", "--persona", "weak_postpartum"],
     "--persona, --stand-up en --days-between horen bij --sim (ze beschrijven de gesimuleerde gebruiker)",
     "--persona, --stand-up and --days-between need --sim (they describe the simulated user)"),
])
def test_the_command_lines_own_refusals_are_dutch_or_english(capsys, tmp_path, argv, nl, en):
    argv = [a.format(tmp=tmp_path) for a in argv]
    assert refused(capsys, argv) == f"pftrainer: {nl.format(tmp=tmp_path)}"
    assert refused(capsys, ["--lang", "en", *argv]) == f"pftrainer: {en.format(tmp=tmp_path)}"


def test_a_state_directory_without_its_database_names_the_recordings_kept_there(capsys, tmp_path):
    (tmp_path / "recordings").mkdir()
    for n in (1, 2):
        (tmp_path / "recordings" / f"session-0000{n}.csv.gz").write_bytes(b"")
    assert refused(capsys, ["history", "--state-dir", str(tmp_path)]) == (
        f"pftrainer: geen geschiedenis in {tmp_path} (daar is geen pftrainer.db, wel 2 opname(n) in "
        f"{tmp_path / 'recordings'}: `pftrainer analyze` speelt elke opname af)")
    assert refused(capsys, ["history", "--lang", "en", "--state-dir", str(tmp_path)]) == (
        f"pftrainer: no history in {tmp_path} (no pftrainer.db there, but 2 recording(s) in "
        f"{tmp_path / 'recordings'}: `pftrainer analyze` replays each)")


def test_a_history_named_by_its_recordings_folder_is_named_by_its_own(capsys, tmp_path):
    """A grandson's trial: `history --state-dir state/recordings` said only that no pftrainer.db was there."""
    state = tmp_path / "state"
    Store(state).close()
    (state / "recordings").mkdir(exist_ok=True)
    assert refused(capsys, ["history", "--state-dir", str(state / "recordings")]) == (
        f"pftrainer: geen geschiedenis in {state / 'recordings'}: dat is de map met opnames van de geschiedenis "
        f"in {state} (--state-dir {state})")


def test_an_error_speaks_the_language_chosen_on_the_menu_over_the_configured_one(capsys, tmp_path):
    """As `history` chooses it: `--lang`, else the menu's, else `[ui] language`."""
    state = tmp_path / "state"
    with Store(state) as store:
        store.save_setting("language", "en")
    config = tmp_path / "pftrainer.toml"
    config.write_text('[session]\nprofiles = 2\n[ui]\nlanguage = "nl"\n')
    argv = ["--config", str(config), "history", "--state-dir", str(state), "--profile", "3"]
    assert refused(capsys, argv) == ("pftrainer: --profile 3: this device has 2 (set [session] profiles in the "
                                     "configuration for more)")
    assert refused(capsys, [*argv, "--lang", "nl"]) == ("pftrainer: --profile 3: dit apparaat heeft er 2 (zet "
                                                        "[session] profiles in de configuratie voor meer)")


def test_a_damaged_database_is_one_line_in_dutch_or_english(capsys, tmp_path):
    state = tmp_path / "state"
    Store(state).close()
    with sqlite3.connect(state / "pftrainer.db") as db:
        db.execute("DROP TABLE rep")
    db.close()
    database = state / "pftrainer.db"
    assert refused(capsys, ["history", "--state-dir", str(state)]) == (
        f"pftrainer: {database}: de database is beschadigd (de tabel 'rep' ontbreekt); er wordt niets uit gelezen "
        "(`pftrainer run` zet hem opzij en bouwt de geschiedenis opnieuw op)")
    assert refused(capsys, ["--lang", "en", "history", "--state-dir", str(state)]) == (
        f"pftrainer: {database}: the database is damaged (its table 'rep' is missing); nothing is read from it "
        "(`pftrainer run` moves it aside and rebuilds the history)")


# choosing an error's language only reads: nothing made, nothing waited for, never a failure of its own

def _files(folder):
    return sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.iterdir())


def _english_state(tmp_path):
    state = tmp_path / "state"
    with Store(state) as store:
        store.save_setting("language", "en")
    return state


def test_the_language_look_up_leaves_a_wal_database_without_its_index_as_it_is(capsys, tmp_path):
    """A write-ahead log left without its -shm (copied, half restored): a reader opening it as
    usual makes the -shm (root's, if root ran it: the service then cannot open its database)."""
    state = _english_state(tmp_path)
    copy = tmp_path / "copy"
    copy.mkdir()
    db = sqlite3.connect(state / "pftrainer.db")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('volume', '0.5')")
    db.commit()
    for name in ("pftrainer.db", "pftrainer.db-wal"):
        (copy / name).write_bytes((state / name).read_bytes())
    db.close()
    before = _files(copy)
    assert refused(capsys, ["report", "--state-dir", str(copy)]) == \
        "pftrainer: report needs --out FILE.html, --csv FILE.csv or both"
    assert _files(copy) == before


def test_the_language_look_up_does_not_wait_for_a_writer_holding_the_database(capsys, tmp_path):
    import time
    state = _english_state(tmp_path)
    db = sqlite3.connect(state / "pftrainer.db", isolation_level=None)
    db.execute("PRAGMA locking_mode=EXCLUSIVE")
    db.execute("BEGIN EXCLUSIVE")
    db.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('volume', '0.5')")
    try:
        started = time.monotonic()
        assert refused(capsys, ["report", "--state-dir", str(state)]).startswith("pftrainer: report ")
        assert time.monotonic() - started < 1.0
    finally:
        db.execute("ROLLBACK")
        db.close()


def test_a_missing_state_directory_is_not_made_by_the_language_look_up(capsys, tmp_path):
    refused(capsys, ["run", "--sim", "--persona", "joke", "--state-dir", str(tmp_path / "state")])
    refused(capsys, ["report", "--state-dir", str(tmp_path / "none")])
    assert list(tmp_path.iterdir()) == []


def test_a_state_directory_that_cannot_be_read_is_no_traceback(capsys, tmp_path, monkeypatch):
    """The service's state dir is 0700: `pi` cannot look into it (as root simulated here)."""
    import pathlib
    state = _english_state(tmp_path)
    is_file = pathlib.Path.is_file

    def closed(self, *args, **kwargs):
        if self.name == "pftrainer.db":
            raise PermissionError(13, "Permission denied", str(self))
        return is_file(self, *args, **kwargs)
    monkeypatch.setattr(pathlib.Path, "is_file", closed)
    assert refused(capsys, ["report", "--state-dir", str(state)]) == \
        "pftrainer: report heeft --out BESTAND.html, --csv BESTAND.csv of allebei nodig"


def test_a_system_config_that_cannot_be_read_is_no_traceback(capsys, monkeypatch):
    """/etc/pftrainer not searchable (0750 root:pftrainer): the default language, one line."""
    from device import config

    class Closed(type(config.DEFAULT_PATH)):
        def exists(self, *args, **kwargs):
            raise PermissionError(13, "Permission denied", str(self))
    monkeypatch.setattr(config, "DEFAULT_PATH", Closed("/etc/pftrainer/pftrainer.toml"))
    assert refused(capsys, ["histroy"]).startswith("pftrainer: argument COMMAND: ongeldige keuze: 'histroy'")


AS_NOBODY = """
import os, sys
import argparse, device.cli, device.storage, device.report, hw_sim.persona, hw_sim.plugin  # noqa: before the drop
argparse.ArgumentParser(prog="x")
os.setgid(65534); os.setuid(65534)
try:
    rc = device.cli.main(sys.argv[1:])
except SystemExit as e:
    rc = e.code
sys.exit(rc)
"""


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="drops to uid nobody: needs root")
@pytest.mark.parametrize("argv", [["report"], ["run", "--sim", "--persona", "strng"], ["export", "--edf", "/nowhere/x"]])
@pytest.mark.slow
def test_a_closed_state_directory_is_one_line_for_another_user(tmp_path, argv):
    import subprocess
    import sys
    state = _english_state(tmp_path)
    state.chmod(0o700)
    done = subprocess.run([sys.executable, "-c", AS_NOBODY, *argv, "--state-dir", str(state)],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr


# the language of a line argparse refuses is the one the same line gets once parsed

def test_a_refusal_reads_the_last_config_as_argparse_does(capsys, tmp_path):
    (tmp_path / "nl").mkdir()
    (tmp_path / "en").mkdir()
    dutch, english = dutch_config(tmp_path / "nl", "nl"), dutch_config(tmp_path / "en", "en")
    assert refused(capsys, ["--config", dutch, "--config", english, "histroy"]).startswith(
        "pftrainer: argument COMMAND: invalid choice")
    assert refused(capsys, ["--config", english, "--config", dutch, "histroy"]).startswith(
        "pftrainer: argument COMMAND: ongeldige keuze")


@pytest.mark.parametrize("argv", [["--conf", "{en}", "histroy"], ["--con={en}", "histroy"], ["--lan", "en", "histroy"],
                                  ["--la=en", "histroy"], ["--lang", "EN", "histroy"],
                                  ["history", "--lan", "en", "--profile", "9"]])
def test_a_refusal_takes_options_abbreviated_as_argparse_takes_them(capsys, tmp_path, argv):
    english = dutch_config(tmp_path, "en")
    said = refused(capsys, [a.format(en=english) for a in argv])
    assert said.startswith("pftrainer: argument ") and said.endswith(" (see pftrainer --help)"), said


def test_a_refusal_speaks_the_menus_language_as_the_line_parsed_does(capsys, tmp_path):
    """`--profile 9` (argparse's) and `--profile 3` (the command's) on one device: one language."""
    state = _english_state(tmp_path)
    before = _files(state)
    for argv in (["history", "--state-dir", str(state), "--profile", "9"],
                 ["history", "--state-dir", "/nowhere", "--state", str(state), "--profile", "9"],
                 ["report", f"--state-dir={state}", "--from", "30-11-2026"]):
        assert refused(capsys, argv).endswith(" (see pftrainer --help)")
    assert refused(capsys, ["history", "--state-dir", str(state), "--profile", "3"]).startswith(
        "pftrainer: --profile 3: this device has 1 ")
    assert _files(state) == before


def test_a_refusal_of_run_reads_the_menu_of_its_default_state_directory(capsys, tmp_path, monkeypatch):
    _english_state(tmp_path).rename(tmp_path / "sim-state")         # run --sim's default
    monkeypatch.chdir(tmp_path)
    assert refused(capsys, ["run", "--sim", "--sessions", "twee"]) == \
        "pftrainer: argument --sessions: not a whole number: 'twee' (see pftrainer --help)"


# did-you-mean: the closest name when it clearly is, in any case

@pytest.mark.parametrize("wanted, meant", [("histroy", "history"), ("reports", "report"), ("exports", "export"),
                                           ("exprot", "export"), ("records", "record"), ("usbexport", "usb-export"),
                                           ("HISTORY", "history"), ("Histroy", "history"), ("xyz", None)])
def test_a_misspelt_command_gets_the_one_clearly_closest(capsys, wanted, meant):
    said = refused(capsys, ["--lang", "en", wanted])
    assert (f"; did you mean '{meant}'?" in said) if meant else ("did you mean" not in said), said


@pytest.mark.parametrize("argv, nl, en", [
    (["run", "--sim", "--sesions", "3"], "onbekende argumenten: --sesions 3; bedoel je --sessions?",
     "unrecognized arguments: --sesions 3; did you mean --sessions?"),
    (["run", "sim"], "onbekende argumenten: sim; bedoel je --sim?", "unrecognized arguments: sim; did you mean --sim?"),
    (["history", "--stat-dir=x"], "onbekende argumenten: --stat-dir=x; bedoel je --state-dir?",
     "unrecognized arguments: --stat-dir=x; did you mean --state-dir?"),
    (["selftest", "--sim", "--colour"], "onbekende argumenten: --colour", "unrecognized arguments: --colour"),
])
def test_a_misspelt_option_gets_the_option_it_was_meant_to_be(capsys, argv, nl, en):
    """Trial72: *--sesions 3* and *run sim* were refused with no *bedoel je* (a command had one);
    an option of another command is not offered (*--colour*: none of selftest's is close)."""
    assert refused(capsys, ["--lang", "nl", *argv]) == f"pftrainer: {nl} (zie pftrainer --help)"
    assert refused(capsys, ["--lang", "en", *argv]) == f"pftrainer: {en} (see pftrainer --help)"


def test_a_language_is_taken_in_any_case(capsys):
    """Trial72: *--lang NL* was refused with *bedoel je 'nl'?* -- the device knew what was meant."""
    from device.cli import build_parser
    assert build_parser().parse_args(["--lang", "NL", "programs", "--lang", "En"]).lang == "en"
    assert build_parser().parse_args(["--lang", "NL", "programs"]).lang_before == "nl"
    assert refused(capsys, ["programs", "--lang", "de"]).startswith("pftrainer: argument --lang: ongeldige keuze: 'de'")


def test_close_match_gives_no_guess_between_two_alike_close_names():
    from device.texts import close_match
    assert close_match("exprt", ["export", "expert"]) is None
    assert close_match("STRONG", ["strong", "weak_postpartum"]) == "strong"
    assert close_match("krach", ["kracht", "knack", "basis"]) == "kracht"
    assert close_match("weak", ["strong", "weak_postpartum"]) == "weak_postpartum"    # the one it begins
    assert close_match("kr", ["kracht", "knack", "basis"]) is None                    # begins one, but two letters
    assert close_match("bas", ["kracht", "knack", "basis"]) == "basis"


@pytest.mark.parametrize("wanted, meant", [("hoesten", "knack"), ("Kegle", "kegel_kort"), ("knak", "knack"),
                                            ("basiss", "basis")])
def test_a_misspelt_programme_is_matched_by_its_titles_words_too(capsys, tmp_path, wanted, meant):
    """Trial73: *--program hoesten* got *bedoel je 'voelen'?* -- by the ids alone -- where the cough's
    programme is titled *Span aan voor je hoest*. A word of a programme's titles (of four letters or
    more, that no other title has) is matched as its id is; a programme's own names are no rivals."""
    said = refused(capsys, ["run", "--sim", "--program", wanted, "--state-dir", str(tmp_path / "state")])
    assert f"; bedoel je '{meant}'?" in said, said


def test_a_misspelt_persona_or_programme_in_capitals_gets_its_close_match(capsys, tmp_path):
    state = str(tmp_path / "state")
    assert "; bedoel je 'strong'?" in refused(capsys, ["run", "--sim", "--persona", "STRONG", "--state-dir", state])
    assert "; bedoel je 'kracht'?" in refused(capsys, ["run", "--sim", "--program", "krach", "--state-dir", state])


# every line one line, whole in one language

@pytest.mark.parametrize("argv, nl, en", [
    (["run", "--s", "3"], "pftrainer: --s kan meer dan één optie zijn: --sim, --sessions, --stand-up, --seed, "
                          "--state-dir (zie pftrainer --help)",
     "pftrainer: ambiguous option: --s could match --sim, --sessions, --stand-up, --seed, --state-dir "
     "(see pftrainer --help)"),
    (["run", "--sim=1"], "pftrainer: argument --sim: neemt geen waarde: '1' hoort er niet bij (zie pftrainer --help)",
     "pftrainer: argument --sim: ignored explicit argument '1' (see pftrainer --help)"),
    (["hist\nory"], "pftrainer: argument COMMAND: ongeldige keuze: 'hist\\nory'; bedoel je 'history'? (kies uit ",
     "pftrainer: argument COMMAND: invalid choice: 'hist\\nory'; did you mean 'history'? (choose from "),
])
def test_argparse_refusals_of_abbreviations_flags_and_odd_values_are_whole_in_one_language(capsys, argv, nl, en):
    assert refused(capsys, ["--lang", "nl", *argv]).startswith(nl)
    assert refused(capsys, ["--lang", "en", *argv]).startswith(en)


@pytest.mark.parametrize("argv, line", [
    (["history", "a\nb"], "pftrainer: onbekende argumenten: a\\nb (zie pftrainer --help)"),
    (["history", "--state-dir", "{tmp}/no\nwhere"], "pftrainer: geen geschiedenis in {tmp}/no\\nwhere: die map "
                                                    "bestaat niet (een andere map: --state-dir MAP)"),
    (["record", "--sim", "--out", "{tmp}/a\tb/r.csv"], "pftrainer: --out {tmp}/a\\tb/r.csv: de map {tmp}/a\\tb "
                                                        "bestaat niet"),
    (["analyze", "{tmp}/x\r.csv"], "pftrainer: {tmp}/x\\r.csv: cannot open: No such file or directory"),
])
def test_a_control_character_typed_is_escaped_and_the_line_stays_one(capsys, tmp_path, argv, line):
    assert refused(capsys, [a.format(tmp=tmp_path) for a in argv]) == line.format(tmp=tmp_path)


def test_why_a_path_is_no_folder_has_one_owner_said_in_either_language(tmp_path):
    """`device.layout.not_a_folder`: the command line says it in the user's language, storage in English."""
    from device.layout import not_a_folder
    (tmp_path / "f").write_text("")
    assert [not_a_folder(tmp_path / "none")(lang) for lang in ("nl", "en")] == ["die map bestaat niet",
                                                                                "no such folder"]
    assert not_a_folder(tmp_path / "f")("nl") == "een bestand, geen map"
    assert not_a_folder(tmp_path / "f" / "x")("en") == f"{tmp_path / 'f'} is a file, not a folder"


def test_a_file_the_system_refuses_is_said_in_the_users_language():
    """Trial78: `report --out /sys/r.html` said *Permission denied* in English among Dutch lines:
    the reasons a user meets are pftrainer's words in either language, the others as the system
    says them."""
    denied = OSError(errno.EACCES, "Permission denied", "/sys/r.html")
    assert os_failed(denied, "nl") == "/sys/r.html: geen toegang"
    assert os_failed(denied, "en") == "/sys/r.html: no access"
    assert os_failed(OSError(errno.ENOSPC, "No space left on device", "/media/s/r.html"), "nl") \
        == "/media/s/r.html: geen ruimte meer op de schijf of stick"
    assert os_failed(OSError(errno.ELOOP, "Too many levels of symbolic links", "/a/b"), "nl") \
        == "/a/b: Too many levels of symbolic links"
    assert os_failed(OSError(errno.EIO, "Input/output error"), "en") == \
        "read or write error (was the stick pulled out?)"
