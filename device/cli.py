"""The `pftrainer` command line.

Every expected failure (bad config, bad arguments, missing hardware, unreadable
recording) ends in one line on stderr naming what is wrong, and a non-zero exit:
2 for bad input, 3 for hardware trouble, 1 for a failed self-test.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import shlex
import sys
import tempfile
from contextlib import nullcontext, suppress
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING

from device import config, stored_values
from device.cli_texts import Said, cli_counted, cli_text, damage_reason, one_line, os_failed, refused_arguments
from device.history_texts import columns, history_counted, history_text
from device.layout import StateLayout, not_a_folder
from device.programmes import (PROGRAMS_DIR, NoSuchProgramme, configured_programmes, measures_strength, not_read,
                               origin, programme_id, sets_lift_goal)
from device.report_texts import pauses_said
from device.stored_values import MAXIMUM_KPA_RANGE, exhale_cell
from device.texts import close_match, numbers_text, plural
from drivers.errors import HardwareError
from device.stopping import Interrupted, StopRequested, interruptible
from device.writer import DamagedDatabase, StorageError, StorageUnfinished
from session.adherence import ALL_WEEKS, CONTRACTIONS_PER_DAY, NO_WEEK, SOME_WEEKS, contractions_asked, streak, weeks
from session.levels import rounded_down
from session.programme import REUSE_MAXIMUM_DAYS, SIM_GIVE_UP_S, Programme, ProgrammeError, programme_stem
from session.progression import Standing
from session.recording_file import header         # (not imported mid-move: a stop then was lost, a fault campaign)
from session.recording import RecordingError

if TYPE_CHECKING:                      # imported where used: numpy comes with it
    from device.export import Exported

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_HARDWARE = 3


class UsageError(ValueError):
    """A command-line argument that cannot be taken: text `key` of `device.cli_texts` with `fmt`,
    said in the user's language (`line`), which is known only where it is told; str() English."""

    def __init__(self, key: str, **fmt):
        self.line = Said(key, fmt)
        super().__init__(self.line("en"))


def _refused(key: str, **fmt) -> argparse.ArgumentTypeError:
    """An argparse type's refusal: argparse takes its English, `refused_arguments` says it again."""
    return argparse.ArgumentTypeError(cli_text(key, "en", **fmt))


def _ranged(convert, lo, hi, key: str):
    """An argparse type: `convert(text)` within lo..hi, else one clear message (`key` when it is
    no number at all)."""
    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            raise _refused(key, value=repr(text)) from None
        if not lo <= value <= hi:
            raise _refused("out_of_range" if hi < 2**31 else "too_small", lo=lo, hi=hi, text=text)
        return value
    parse.span = f"{lo}-{hi}"              # for the options' help
    return parse


_seconds = _ranged(float, 0.1, 86400.0, "not_seconds")
_seed = _ranged(int, 0, 2**31 - 1, "not_whole")
_kpa = _ranged(float, *MAXIMUM_KPA_RANGE, "not_kpa")
_CPU_FACTOR = next(f.metadata for f in fields(config.SimConfig) if f.name == "cpu_factor")   # its range, one owner
_cpu_factor = _ranged(float, _CPU_FACTOR["lo"], _CPU_FACTOR["hi"], "not_number")
CPU_FACTOR_HELP = (f"with --sim: how many times slower the simulated Pi computes than this machine, {_cpu_factor.span} "
                   "(overrides [sim] cpu_factor; 0: computing takes no time, the same seed the same session)")
_count = _ranged(int, 1, 10000, "not_whole")
_days = _ranged(int, 1, 60, "not_days")
_profile = _ranged(int, 1, config.MAX_PROFILES, "not_profile")
PROFILE_HELP = f"one person's ({_profile.span}; default everybody's)"
_session_id = _ranged(int, 1, 2**62, "not_session")


class ArgumentsRefused(Exception):
    """argparse refused the command line: its English `message`, said again in the user's
    language by `main` (which only there can look for it)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line (no usage dump; `main` says it) and exits 2."""

    def error(self, message: str):
        raise ArgumentsRefused(message)


def _lang(value: str) -> str:
    """An argparse type: a language in any case (*NL*: nl; refused as `NL`, the device knew what
    was meant: a trial); argparse checks it against the choices after."""
    return value.casefold()


def _date(text: str) -> datetime.date:
    """An argparse type: a day as YYYY-MM-DD."""
    try:
        if len(text) != 10:
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise _refused("not_a_day", value=repr(text)) from None


def _path(text: str) -> Path:
    """An argparse type: a path, never empty (Path("") is the current folder)."""
    if not text.strip():
        raise _refused("empty_path")
    return Path(text)


def _png(text: str) -> Path:
    if not text.lower().endswith(".png"):
        raise _refused("png_only", value=repr(text))
    return Path(text)


OTHER_KINDS = (".html", ".htm", ".csv", ".gz", ".edf", ".png", ".gif", ".db", ".json", ".toml")


def _kind(what: str, *own: str):
    """An argparse type: a path that does not name another of the device's kinds of file (a
    page written over a recording, say); a name without one of them (a pipe) is taken. `what`:
    "page" or "table", its texts' first word (the page's PDF refusal says how to get one)."""
    others = tuple(k for k in OTHER_KINDS if k not in own)

    def parse(text: str) -> Path:
        if text.lower().endswith(others):
            raise _refused(f"{what}_other_kind", value=repr(text), kind=own[0])
        if text.lower().endswith(".pdf"):       # what a physiotherapist most likely wants: said how
            raise _refused(f"{what}_pdf", value=repr(text), kind=own[0])
        return _path(text)
    return parse


_html = _kind("page", ".html", ".htm")
_csv = _kind("table", ".csv")


class _Version(argparse.Action):
    """--version: the installed package's version (pyproject.toml's), looked up only when
    asked (it takes a few ms here, some 50 on a Pi Zero: not for every command)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        try:
            version = importlib.metadata.version("pftrainer")
        except importlib.metadata.PackageNotFoundError:
            version = "(not installed: run from the source tree)"
        print(f"pftrainer {version}")
        parser.exit(0)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="pftrainer", description="Pelvic-floor trainer.")
    parser.add_argument("--version", action=_Version)
    parser.add_argument("--config", type=_path, metavar="FILE",
                        help=f"TOML config file (default: {config.DEFAULT_PATH} if it exists)")
    parser.add_argument("--lang", dest="lang_before", type=_lang, choices=config.LANGUAGES,
                        help="the language, before the command as after it (default: [ui] language)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=OneLineParser)

    p = sub.add_parser("config", help="print the effective configuration as documented TOML")

    p = sub.add_parser("selftest", help="find and exercise every device, print a report")
    p.add_argument("--sim", action="store_true", help="run on the hardware simulator")
    p.add_argument("--seed", type=_seed, help=f"simulator seed, {_seed.span} (overrides [sim] seed)")
    p.add_argument("--screen", type=_png, metavar="FILE.png",
                   help="with --sim: save what the OLED shows as a PNG")

    p = sub.add_parser("record", help="record the cushion signal to a v1 recording (CSV)")
    p.add_argument("--sim", action="store_true", help="run on the hardware simulator")
    p.add_argument("--seed", type=_seed, help=f"simulator seed, {_seed.span} (overrides [sim] seed)")
    p.add_argument("--cpu-factor", type=_cpu_factor, metavar="F", help=CPU_FACTOR_HELP)
    p.add_argument("--seconds", type=_seconds, default=60.0,
                   help=f"length in seconds, {_seconds.span} (default 60)")
    p.add_argument("--out", type=_path, required=True, metavar="FILE", help="recording to write")

    p = sub.add_parser("sim", help="run a whole guided session on the simulator")
    p.add_argument("--program", required=True, metavar="NAME",
                   help="programme id or title, any case (see `programs`)")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--persona", metavar="NAME", help="simulated person (default strong)")
    who.add_argument("--cushion", type=_path, metavar="RECORDING.csv",
                     help="play a v1 recording as the cushion input instead of a persona")
    p.add_argument("--seed", type=_seed, help=f"simulator seed, {_seed.span} (overrides [sim] seed)")
    p.add_argument("--cpu-factor", type=_cpu_factor, metavar="F", help=CPU_FACTOR_HELP.removeprefix("with --sim: "))
    p.add_argument("--out", type=_path, required=True, metavar="DIR",
                   help="folder for the session files (made if missing, in a folder that is there)")
    p.add_argument("--lang", type=_lang, choices=config.LANGUAGES, help="screen language (default: [ui] language)")
    p.add_argument("--max-kpa", type=_kpa, metavar="KPA",
                   help=f"skip calibration: the user's maximal lift, {_kpa.span} kPa")
    p.add_argument("--state-dir", type=_path, metavar="DIR",
                   help="also keep the session in this history (as the device does)")
    p.add_argument("--profile", type=_profile, metavar="N",
                   help=f"with --state-dir: whose history ({_profile.span}, up to [session] profiles; "
                        "default: who trained last)")

    p = sub.add_parser("run", help="the appliance: menu, sessions, history (what the service runs)")
    p.add_argument("--sim", action="store_true", help="run on the hardware simulator, with a simulated user")
    p.add_argument("--persona", metavar="NAME", help="with --sim: who sits down (default strong)")
    p.add_argument("--program", metavar="NAME",
                   help="the programme the menu starts on (default: the assessment, meting, when one is "
                        "due -- once voelen has found the floor, and every 14 days; else the last one used, at "
                        "first voelen)")
    p.add_argument("--sessions", type=_count, metavar="N",
                   help=f"stop after N completed sessions, {_count.span} (default: run until stopped; "
                        "with --sim 1)")
    p.add_argument("--stand-up", type=_seconds, metavar="S",
                   help=f"with --sim: the user stands up S seconds into each session ({_seconds.span}), "
                        "back 15 s later")
    p.add_argument("--days-between", type=_days, metavar="D",
                   help=f"with --sim: the user comes back D simulated days ({_days.span}) after each "
                        "session (weeks of "
                        "training: levels, assessments, advice)")
    p.add_argument("--seed", type=_seed, help=f"simulator seed, {_seed.span} (overrides [sim] seed)")
    p.add_argument("--cpu-factor", type=_cpu_factor, metavar="F", help=CPU_FACTOR_HELP)
    p.add_argument("--profile", type=_profile, metavar="N",
                   help=f"who trains ({_profile.span}, up to [session] profiles; default: who trained last)")
    p.add_argument("--state-dir", type=_path, metavar="DIR",
                   help="history and settings (default /var/lib/pftrainer; with --sim ./sim-state)")
    p.add_argument("--lang", type=_lang, choices=config.LANGUAGES, help="screen language (default: [ui] language)")

    p = sub.add_parser("report", help="the physiotherapist's report: one printable HTML page (and/or a CSV)")
    p.add_argument("--state-dir", type=_path, metavar="DIR", default=Path("/var/lib/pftrainer"),
                   help="the device's state directory (default /var/lib/pftrainer)")
    p.add_argument("--out", type=_html, metavar="FILE.html", help="the page to write")
    p.add_argument("--csv", type=_csv, metavar="FILE.csv", help="also write one row per session")
    p.add_argument("--profile", type=_profile, metavar="N", help=PROFILE_HELP)
    p.add_argument("--from", dest="since", type=_date, metavar="YYYY-MM-DD", help="from this day (default: the first)")
    p.add_argument("--to", dest="until", type=_date, metavar="YYYY-MM-DD", help="up to this day (default: the last)")
    p.add_argument("--session", type=_session_id, nargs="+", action="extend", metavar="N",
                   help="also draw these sessions' curves (the last 3 are always drawn)")
    p.add_argument("--lang", type=_lang, choices=config.LANGUAGES, help="the page's language (default: [ui] language)")

    p = sub.add_parser("export", help="write the kept sessions' recordings as EDF+ and CSV")
    p.add_argument("--edf", type=_path, required=True, metavar="DIR",
                   help="folder for session-NNNNN.edf and session-NNNNN.csv (made if missing, in a folder "
                        "that is there)")
    p.add_argument("--state-dir", type=_path, metavar="DIR", default=Path("/var/lib/pftrainer"),
                   help="the device's state directory (default /var/lib/pftrainer)")
    p.add_argument("--session", type=_session_id, nargs="+", action="extend", metavar="N",
                   help="only these sessions (default: every kept one)")
    p.add_argument("--profile", type=_profile, metavar="N", help=PROFILE_HELP)

    p = sub.add_parser("usb-export", help="write the report and the recordings onto a USB stick "
                                          "(what plugging one into the device does)")
    p.add_argument("--to", type=_path, required=True, metavar="DIR",
                   help="the stick's mount point (or any folder): gets pftrainer-export/<date>/")
    p.add_argument("--state-dir", type=_path, metavar="DIR", default=Path("/var/lib/pftrainer"),
                   help="the device's state directory (default /var/lib/pftrainer)")
    p.add_argument("--fs-type", metavar="TYPE",
                   help="the stick's filesystem as blkid names it: DIR must be its mount point, and "
                        "anything but vfat or exfat is left alone")
    p.add_argument("--status", type=_path, metavar="FILE",
                   help="also leave the result for the running device in FILE (its usb-status.json)")

    p = sub.add_parser("history", help="list the sessions kept in a state directory")
    p.add_argument("--state-dir", type=_path, metavar="DIR", default=Path("/var/lib/pftrainer"),
                   help="the device's state directory (default /var/lib/pftrainer)")
    p.add_argument("--profile", type=_profile, metavar="N", help=PROFILE_HELP)
    p.add_argument("--lang", type=_lang, choices=config.LANGUAGES,
                   help="the list's language (default: the device menu's, else [ui] language)")

    p = sub.add_parser("move", help="file sessions trained as the wrong person under who trained them")
    p.add_argument("--session", type=_session_id, nargs="+", action="extend", required=True, metavar="N",
                   help="the sessions to move (their numbers in `history`)")
    p.add_argument("--to-profile", type=_profile, required=True, metavar="N",
                   help=f"who trained them ({_profile.span}, up to [session] profiles)")
    p.add_argument("--state-dir", type=_path, metavar="DIR", default=Path("/var/lib/pftrainer"),
                   help="the device's state directory (default /var/lib/pftrainer)")
    p.add_argument("--lang", type=_lang, choices=config.LANGUAGES,
                   help="the language of its lines and refusals (default: the device menu's, else [ui] language)")

    p = sub.add_parser("programs", help="list the programmes (built-in and from [session] programs_dir)")
    p.add_argument("--lang", type=_lang, choices=config.LANGUAGES, help="the list's language (default: [ui] language)")

    p = sub.add_parser("analyze", help="replay a v1 recording through the device's analysis")
    p.add_argument("recording", type=_path, metavar="RECORDING.csv")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument("--max-kpa", type=_kpa, metavar="KPA",
                   help=f"the user's maximal lift (peak drop, {_kpa.span} kPa), "
                        "for %% of maximum (default: the recording's own, where its session knew it)")
    return parser


def _load_config(args) -> config.Config:
    cfg = config.load(args.config)
    if getattr(args, "seed", None) is not None:
        if args.command != "sim" and not args.sim:
            raise UsageError("seed_needs_sim")
        from dataclasses import replace
        cfg = replace(cfg, sim=replace(cfg.sim, seed=args.seed))
    if getattr(args, "cpu_factor", None) is not None:
        if args.command != "sim" and not args.sim:
            raise UsageError("cpu_factor_needs_sim")
        from dataclasses import replace
        cfg = replace(cfg, sim=replace(cfg.sim, cpu_factor=args.cpu_factor))
    # one --lang from here on, before the command or after (`pftrainer --lang nl programs`); a
    # command without its own (`export`) takes the one before it
    args.lang = lang = getattr(args, "lang", None) or args.lang_before
    if lang is not None:
        from dataclasses import replace
        cfg = replace(cfg, ui=replace(cfg.ui, language=lang))
    return cfg


def _cmd_selftest(args, cfg) -> int:
    from device.selftest import format_report, run_selftest
    if args.screen is not None and not args.sim:
        raise UsageError("screen_needs_sim")
    if args.screen is not None:
        _writable_target("--screen", args.screen, folder=False)
    if args.sim:
        from hw_sim.plugin import open_bench
        bench = open_bench(cfg)
        checks = run_selftest(bench.platform, cfg, args.screen, panel=bench.rig.oled.image)
    else:
        from device.hardware import open_platform
        checks = run_selftest(open_platform(cfg), cfg)
    print(format_report(checks, args.sim))
    return 0 if all(c.ok for c in checks) else EXIT_FAILED


def _cmd_record(args, cfg) -> int:
    from device.record import record
    from device.stopping import StopFlag
    _outside_state_dirs(args.out, "record")
    _writable_target("--out", args.out, folder=False)
    metadata: dict[str, object] = {}
    if args.sim:                       # the simulated person follows the demo script
        from hw_sim.plugin import open_bench
        from hw_sim.scenarios import demo
        bench = open_bench(cfg)
        platform = bench.platform
        demo(bench.rig.body, args.seconds)
        metadata["seed"] = cfg.sim.seed
        for i, event in enumerate(bench.rig.body.truth):
            metadata[f"event{i}"] = f"{event.kind},{event.start_s:.3f},{event.end_s:.3f}"
    else:
        from device.hardware import open_platform
        platform = open_platform(cfg)
    result = record(platform, cfg, args.seconds, args.out, stop=StopFlag().install(), metadata=metadata)
    print(f"recorded {result.duration_s:.1f} s, {result.samples} samples "
          f"({result.dropped} dropped) to {result.path}")
    return 0


def _cmd_analyze(args, cfg) -> int:
    from session.recording import SampleLimits
    from session.replay import GAP_RESTART_S, analyze_file
    limits = SampleLimits.from_calibration(cfg.calibration, cfg.adc.full_scale_v)
    analysis = analyze_file(args.recording, max_drop_kpa=args.max_kpa, limits=limits)
    if args.json:
        print(json.dumps(analysis.as_dict()))
        return 0
    from device.analysis_text import format_table
    print(format_table(analysis, str(args.recording)))
    s = analysis.summary
    if s["pauses"]:
        print(f"paused {_times(s['pauses'])}: the analysis warmed up afresh after each pause")
    if s["gap_restarts"]:
        print(f"{plural(s['gap_restarts'], 'gap')} over {GAP_RESTART_S:g} s in the samples: after each the "
              "analysis went on with the rest it knew once the pressure was back at rest (a fresh warm-up "
              "where it stayed away)")
    if s["aborted"] is not None:
        print(f"aborted: {s['aborted']} (analysed up to where it stopped, {s['duration_s']:.1f} s)")
    return 0


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _skip_bad_programme(error) -> None:
    left_out = "only the built-in programmes are there" if error.field == PROGRAMS_DIR else (
        "left out of the menu" + ("" if error.replaces is None else f", and with it the built-in '{error.replaces}' "
                                                                    "it replaces"))
    print(f"pftrainer: {error}; {left_out}", file=sys.stderr)


def _usable_programmes(cfg, wanted: str | None, refused: list | None = None) -> tuple[dict, str | None]:
    """The programmes, each bad file told in one line and left out, as the device does (one
    bad file never stops it), and added to `refused` if given; and the id of the one `wanted`
    names (a name `programme_id` takes, or None), which must be among them, or it is the one
    line: its own file's fault, or that there is no such programme (or more than one)."""
    refused = [] if refused is None else refused
    programmes = configured_programmes(cfg, on_bad_file=refused.append)
    try:
        chosen = None if wanted is None else programme_id(programmes, wanted, cfg.ui.language)
    except NoSuchProgramme as e:
        bad = next((error for error in refused if programme_stem(error.path) == wanted.casefold()), None)
        if bad is not None:
            raise UsageError("told", message=str(bad)) from None
        for error in refused:                 # a folder not found, a file misnamed: what may explain it
            _skip_bad_programme(error)
        raise UsageError("told", message=e.said) from None
    for error in refused:
        _skip_bad_programme(error)
    return programmes, chosen


def _check_persona(persona: str, personas: dict) -> None:
    """`--persona` names one of `personas`; a misspelt one is refused with its clearly closest name."""
    if persona not in personas:
        close = close_match(persona, personas)
        raise UsageError("no_persona_close" if close else "no_persona", wanted=persona, close=close,
                         personas=", ".join(personas))


def _maximum_key(prog) -> str:
    """What `programs` says of where a programme's maximum comes from (`device.programme_texts`)."""
    if prog.assesses:
        return "max_assessed"
    if prog.reuses_maximum:
        return "max_reused" if prog.needs_maximum else "max_reused_else_direction"
    return "max_measured_first" if prog.calibrates(max_known=False) else "max_not_needed"


def _cmd_programs(args, cfg) -> int:
    from device.programme_texts import about_text, programme_text, range_start, without_levels_text
    from device.texts import inline, level_text
    lang = cfg.ui.language
    refused: list = []
    programmes = configured_programmes(cfg, on_bad_file=refused.append)
    named = max([12] + [len(name) for name in programmes])          # a physiotherapist's longer names line up too
    titled = max([28] + [len(prog.title[lang]) for prog in programmes.values()])
    for name, prog in sorted(programmes.items()):
        runs = prog.at_level(1) if prog.levels else prog        # what a new user's session is (the start)
        known, calibrating = (about_text(runs.duration_s(max_known=stored),
                                         runs.duration_s(max_known=stored, longest=True), lang)
                              for stored in (True, False))
        also = programme_text("with_max_recent" if prog.reuses_maximum else "with_max_known", lang, about=known,
                              days=REUSE_MAXIMUM_DAYS) if known != calibrating and not prog.assesses else ""
        maximum = programme_text(_maximum_key(prog), lang, days=REUSE_MAXIMUM_DAYS)
        top = prog.at_level(prog.highest_level)
        levels = programme_text("levels", lang, count=prog.level_count,
                                lowest=range_start(inline(level_text(prog.at_level(prog.lowest_level), lang))),
                                highest=inline(level_text(top, lang)),
                                about=about_text(top.duration_s(max_known=False),
                                                 top.duration_s(max_known=False, longest=True), lang)) \
            if prog.levels else without_levels_text(prog, lang)
        level = programme_text("at_level", lang, level=prog.start_level) if prog.levels else ""
        where = origin(cfg, name, lang, prog)
        print(f"{name:<{named}} {prog.title[lang]:<{titled}} {runs.series}x{runs.reps}{level}, "
              f"{calibrating}{also}; {maximum}{levels}{'; ' + where if where else ''}")
    for path in not_read(cfg):
        shown = str(path) if str(path).isprintable() else repr(str(path))
        why = ("is a folder: the files in it are not read" if path.is_dir()
               else "is not read: programme files end in .toml" if path.exists() else "leads nowhere: not read")
        print(f"note: {shown} {why}", file=sys.stderr)
    for error in refused:                    # every bad file, after what is usable
        _skip_bad_programme(error)
    return EXIT_BAD_INPUT if refused else 0


def _cmd_sim(args, cfg) -> int:
    from device.session_run import run_session
    from device.stopping import StopFlag
    from hw_sim.persona import PERSONAS
    from hw_sim.plugin import open_bench
    programmes, program = _usable_programmes(cfg, args.program)
    persona = None if args.cushion else (args.persona or "strong")
    if persona is not None:
        _check_persona(persona, PERSONAS)
    _outside_state_dirs(args.out, "sim", args.state_dir)
    _writable_target("--out", args.out, folder=True)
    _check_profile(args, cfg)
    if args.profile is not None and args.state_dir is None:
        raise UsageError("profile_needs_state_dir")
    if args.state_dir is not None:
        _in_a_folder("--state-dir", args.state_dir)
    bench = open_bench(cfg, body=PERSONAS[persona].body if persona is not None else None)
    extras = _sim_extras(bench, cfg, persona, args.cushion)
    bench.record_screen()
    max_kpa = args.max_kpa or (cfg.session.max_drop_kpa or None)
    store = None
    ladder = programme = programmes[program]
    metadata = {"persona": persona or "", "seed": cfg.sim.seed}
    level = 1                           # as the device: a new user's level, or the one kept
    profile = config.DEFAULT_PROFILE
    if args.state_dir is not None:
        from device.storage import Store
        store = Store(args.state_dir, programmes=programmes)
        bench.rig.calendar.begin_after(store.last_end())
        # as `run`: who trained last, unless asked (a couple's trial: always person 1)
        profile = args.profile or stored_values.chosen_profile(store, cfg.session.profiles)
        level = store.standing(programme.name, profile).level        # (it moves only in `run`)
    if programme.levels:
        programme = programme.at_level(level)
        metadata.update(programme.level_header(level))
    gif = args.out / "oled.gif"
    try:
        summary = run_session(bench.platform, cfg, programme, args.out,
                              lang=cfg.ui.language, max_drop_kpa=max_kpa, store=store, profile=profile,
                              stop=StopFlag().install(), metadata=metadata, extra_summary=extras)
    except BaseException:
        if args.out.is_dir():            # what the screen showed up to a fault, if there is room
            with suppress(OSError):      # (the session's own error is the one to tell)
                bench.write_gif(gif)
        raise
    finally:
        if store is not None:
            store.close()
    bench.write_gif(gif)
    coaching, p = summary.coaching, summary.coaching.perfect

    def f(value, spec: str) -> str:
        return "-" if value is None else format(value, spec)
    at = f" at level {ladder.level_number(level)} of {ladder.level_count}" if ladder.levels else ""
    print(f"{program}{at} with {persona or args.cushion}: {summary.duration_s:.0f} s simulated, "
          f"{len(summary.reps)} reps, contraction {f(coaching.contraction_score, '.1f')}, relaxation "
          f"{f(coaching.relaxation_score, '.1f')}, {plural(coaching.errors.bear_down, 'bear-down warning')}; "
          f"PERFECT {'P' if coaching.asks_maximal else 'peak'} {f(p.power, '.2f')} kPa "     # (no lift all-out: no P)
          f"E {f(_down(p.endurance_s, 0), '.0f')} s R {p.repetitions} "
          f"F {p.fast} -> {args.out}")
    return 0


def _sim_extras(bench, cfg, persona: str | None, cushion: Path | None):
    """Put a persona (or a recording, checked as `analyze` checks it) on the simulated
    cushion; what it did goes into the summary: `persona_pushes_s` (session seconds), or
    `cushion_ended_early`."""
    if cushion is not None:
        from hw_sim.playback import RecordingPlayback
        from session.recording import SampleLimits
        limits = SampleLimits.from_calibration(cfg.calibration, cfg.adc.full_scale_v)
        playback = bench.rig.inputs.body = RecordingPlayback(cushion, limits=limits)

        def ended(t0_s: float) -> dict:
            if playback.ended:
                print("  the cushion recording ended before the session did: its last values were held",
                      file=sys.stderr)
            return {"cushion_ended_early": playback.ended}
        return ended
    from hw_sim.persona import PERSONAS
    person = bench.add_person(PERSONAS[persona], seed=cfg.sim.seed)
    return lambda t0_s: {"persona_pushes_s": [round(t - t0_s, 3) for t in person.push_times_s]}


def _check_profile(args, cfg, kept: list | None = None) -> None:
    """`--profile N` names one of this device's people (`[session] profiles`), or one whose
    sessions are `kept` in the history read (the setting may have been lowered since)."""
    if args.profile is not None and args.profile > cfg.session.profiles and not kept:
        raise UsageError("profile_beyond", profile=args.profile, profiles=cfg.session.profiles)


def _history_hint(args, state_dir: Path) -> str:
    """The `history` command that lists what `run` kept, with the configuration, person and
    language it ran with (typed as shown, the hint gave a daughter who set the device up in English
    a Dutch table: her English was in her `--config`, a trial)."""
    words = ["pftrainer", *(["--config", str(args.config)] if args.config else []), "history",
             "--state-dir", str(state_dir), *(["--profile", str(args.profile)] if args.profile else []),
             *(["--lang", args.lang] if args.lang else [])]
    return shlex.join(words)


def _cmd_run(args, cfg) -> int:
    from device.appliance import Appliance
    from device.notify import Notifier
    from device.stopping import StopFlag
    from device.storage import StateDirBusy, Store
    from device.usb_status import STATUS_NAME, status_path
    refused: list = []
    programmes, program = _usable_programmes(cfg, args.program, refused)    # the device keeps working
    _check_profile(args, cfg)
    if not args.sim and (args.persona or args.stand_up is not None or args.days_between is not None):
        raise UsageError("user_needs_sim")
    if args.state_dir is not None:             # the default's folder, /var/lib or the current one, is there
        _in_a_folder("--state-dir", args.state_dir)
    persona = bench = None
    metadata: dict[str, object] = {}
    stop = StopFlag().install()
    if args.sim:
        from hw_sim.persona import PERSONAS
        from hw_sim.plugin import GIF_SPAN_S, open_bench
        persona = args.persona or "strong"
        _check_persona(persona, PERSONAS)
        bench = open_bench(cfg, body=PERSONAS[persona].body)
        platform = bench.platform
        bench.record_screen(GIF_SPAN_S)
        user = bench.add_user(PERSONAS[persona], seed=cfg.sim.seed, stand_up_s=args.stand_up,
                              days_between=args.days_between or 0)
        user.arrive(platform.clock.now())
        limit_s = SIM_GIVE_UP_S * (args.sessions or 1)
        platform.clock.call_at(limit_s, lambda _t: stop.request(f"the limit of {limit_s / 3600:g} simulated hours"))
        metadata = {"persona": persona, "seed": cfg.sim.seed}
    else:
        from device.hardware import open_platform
        platform = open_platform(cfg)
    state_dir = _state_dir_of(args)
    usb_status = status_path(os.environ)
    runtime_dir = None
    if args.sim and cfg.sim.usb_dir:
        from hw_sim.usb import plug_stick
        stick = Path(cfg.sim.usb_dir)
        if not stick.is_dir():                 # a stick is there when it is plugged in, as usb-export --to asks
            raise UsageError("usb_dir", stick=stick, why=not_a_folder(stick))
        runtime_dir = tempfile.TemporaryDirectory(prefix="pftrainer-run-")      # stands in for /run/pftrainer
        usb_status = Path(runtime_dir.name) / STATUS_NAME
        plug_stick(bench.rig.calendar, cfg.sim.usb_plug_s, Path(cfg.sim.usb_dir), cfg, state_dir=state_dir,
                   status=usb_status)
    gif = state_dir / "oled.gif"
    if bench is not None and (gif.is_symlink() or gif.exists()) and not gif.is_file():
        raise UsageError("gif_not_a_file", gif=gif)
    try:
        store = Store(state_dir, programmes=programmes)
    except StateDirBusy:                       # another pftrainer may let go: the service tries again
        raise
    except StorageError as e:                  # a state directory that cannot be used: the service waits,
        if args.sim:                           # the panel as this configuration has it, until this run's
            raise                              # stop (a stop while starting was lost to another flag: a review)
        _tell(f"pftrainer: {os_failed(e, _error_language(args, cfg))}")
        _start_fault_shown("storage", lambda: platform, cfg, stop)
        return EXIT_BAD_INPUT
    max_sessions = args.sessions or (1 if args.sim else None)
    if bench is not None:
        last_end = store.last_end()
        if args.days_between and last_end is None:       # days of sessions on an empty history: the last today
            bench.rig.calendar.go_back(args.days_between * (max_sessions - 1))
        elif args.days_between:                          # back D days after the last session kept began, too
            last_end = max(last_end, store.last_began() + datetime.timedelta(days=args.days_between))
        bench.rig.calendar.begin_after(last_end)
        last_day = bench.rig.calendar.start.date() + datetime.timedelta(days=(args.days_between or 0)
                                                                         * (max_sessions - 1))
        if last_day > datetime.date.today():           # (the history kept ends too late to fit them before)
            print(f"pftrainer: the simulated sessions run to {last_day.isoformat()}, after today: they go on "
                  "from the last session kept (a report made today covers days to come)", file=sys.stderr)
    print(f"pftrainer running{' on the simulator with ' + persona if args.sim else ''}; "
          f"history in {state_dir}", file=sys.stderr)
    beyond = sorted({row["profile"] for row in store.sessions()} - set(range(1, cfg.session.profiles + 1)))
    if beyond:          # (a trial: run without the configuration that has two, one trained as person 1, unsaid)
        print(f"  the history holds sessions of person {numbers_text(beyond)}, and the configuration read has "
              f"{cfg.session.profiles} {'person' if cfg.session.profiles == 1 else 'people'} ([session] profiles): "
              f"nobody trains as {'that person' if len(beyond) == 1 else 'those people'} here (--config the file "
              "that sets it?)",
              file=sys.stderr)
    notifier = Notifier()
    try:
        appliance = Appliance(platform, cfg, programmes, store, stop=stop, notifier=notifier,
                              metadata=metadata, max_sessions=max_sessions, programme=program,
                              profile=args.profile, usb_status=usb_status,
                              unread=tuple(programme_stem(e.path) for e in refused if e.field != PROGRAMS_DIR),
                              lang=args.lang)
        done = appliance.run()
    finally:
        notifier.close()
        store.close()
        if runtime_dir is not None:
            runtime_dir.cleanup()
        if bench is not None:
            bench.write_gif(gif)
    kept = f", {appliance.kept_interrupted} interrupted (kept)" if appliance.kept_interrupted else ""
    print(f"{plural(done, 'session')} completed{kept}, {appliance.faults} sensor faults; "
          f"see `{_history_hint(args, state_dir)}`")
    stopped_by_user = stop.signal_name in ("SIGTERM", "SIGINT")
    if max_sessions is not None and done < max_sessions and not stopped_by_user:
        why = f" ({stop.signal_name})" if stop.requested else ""
        print(f"pftrainer: run: {done} of the {max_sessions} sessions asked for were completed{why}",
              file=sys.stderr)
        return EXIT_FAILED
    return 0


def _open_history(state_dir: Path):
    from device.storage import Store
    if not state_dir.is_dir():
        raise UsageError("no_history", state_dir=state_dir, why=not_a_folder(state_dir))
    if not (state_dir / "pftrainer.db").exists():
        _no_database(StateLayout(state_dir))
    return Store(state_dir, read_only=True)


def _no_database(layout: StateLayout) -> None:
    """Refuse a history whose folder holds no database, naming the recordings kept there if
    there are any (`analyze` still reads each)."""
    above = StateLayout(layout.root.parent)
    if above.database.exists() and above.recordings.resolve() == layout.root.resolve():   # its recordings named
        raise UsageError("history_above", state_dir=layout.root, history=above.root)
    recordings = sorted(layout.recordings.glob("session-*.csv.gz")) if layout.recordings.is_dir() else []
    if recordings:
        raise UsageError("no_database_recordings", state_dir=layout.root, n=len(recordings),
                         recordings=layout.recordings)
    raise UsageError("no_database", state_dir=layout.root)


def _cmd_report(args, cfg) -> int:
    if args.out is None and args.csv is None:
        raise UsageError("report_needs_output")
    if args.since is not None and args.until is not None and args.since > args.until:
        raise UsageError("from_after_to", since=args.since, until=args.until)
    if args.out is not None and args.csv is not None and args.out.resolve() == args.csv.resolve():
        raise UsageError("out_is_csv", out=args.out)
    for option, path in (("--out", args.out), ("--csv", args.csv)):
        if path is not None:
            _outside_state_dirs(path, "report", args.state_dir)
        if path is not None:
            _writable_target(option, path, folder=False)
    # after the checks: the report's modules (numpy with them) take a second or more to
    # import on a Pi, and a bad --out is refused at once
    from device.report_data import Period
    with _open_history(args.state_dir) as store:    # closed after: the history may be on a stick
        every = store.sessions(args.profile)
        _check_profile(args, cfg, every)
        rows = [r for r in every if _in_period(r["day"], Period(args.since, args.until))]
        unknown = sorted(set(args.session or ()) - {r["id"] for r in every})
        lang = _reading_language(args, cfg, store)       # the page's, and its lines' (a trial: one English)
        # a period, or a person, that holds nothing writes nothing: a mistyped --from replaced the
        # physiotherapist's page with an empty one (a trial), and so did a --profile (a review)
        empty = not rows and (args.since is not None or args.until is not None or args.profile is not None)
        if not empty:
            _write_report_files(args, cfg, store, rows, lang)
    whose = cli_text("of_person", lang, n=args.profile) if args.profile else ""
    if empty:
        print(cli_text("no_session_in_period", lang, whose=whose, period=_period_text(args.since, args.until, lang),
                       kept=_kept_text(every, lang), said=_nothing_written(args, lang)), file=sys.stderr)
    if unknown:
        said = cli_text("report_says_so", lang) if args.out is not None and not empty else ""
        print(cli_text("no_session_numbered", lang, ids=", ".join(map(str, unknown)), whose=whose,
                       state_dir=args.state_dir, said=said), file=sys.stderr)
    return EXIT_BAD_INPUT if unknown or empty else 0


def _write_report_files(args, cfg, store, rows: list[dict], lang: str) -> None:
    """Write the page (`--out`) and the CSV (`--csv`) of `rows` (the period's `Store.sessions`),
    a line each; the page's names the recordings it found damaged."""
    from device.report import csv_rows, write_csv, write_report
    if args.out is not None:
        missing = write_report(store, args.out, cfg=cfg, profile=args.profile, since=args.since, until=args.until,
                               sessions=args.session, lang=lang)
        print(cli_counted("report_written", len(rows), lang, path=args.out,
                          damaged=_damaged_recordings(missing, StateLayout(args.state_dir), lang)))
    if args.csv is not None:
        write_csv(csv_rows(store, rows, cfg=cfg, profile=args.profile), args.csv)
        print(cli_counted("table_written", len(rows), lang, path=args.csv))


def _damaged_recordings(missing: list, layout: StateLayout, lang: str) -> str:
    """What the report's line adds for the recordings among `missing` (`write_report`'s
    `Problem`s) that are damaged: their sessions and files (the page alone said so: a trial)."""
    ids = sorted({problem.fields["id"] for problem in missing if problem.key == "recording_damaged"})
    if not ids:
        return ""
    files = ", ".join(str(layout.recording(sid)) for sid in ids)
    return cli_counted("recording_damaged", len(ids), lang, ids=numbers_text(ids), files=files)


def _nothing_written(args, lang: str) -> str:
    """The end of the line for a period that holds no session: the files named, none written."""
    files = [str(path) for path in (args.out, args.csv) if path is not None]
    return cli_text("nothing_written", lang, files=cli_text("or_between", lang).join(files))


def _period_text(since: datetime.date | None, until: datetime.date | None, lang: str) -> str:
    """A report's --from/--to as its line says them, after a space: * from 2027-02-01 to 2027-02-28*
    ("" for neither)."""
    return "".join(" " + cli_text(key, lang, day=day) for key, day in (("period_from", since), ("period_to", until))
                   if day is not None)


def _kept_text(sessions: list[dict], lang: str) -> str:
    """The days the kept `sessions` run over (`Store.sessions` rows), the last one's named, for
    a period that holds none."""
    days = sorted(r["day"] for r in sessions if r["day"] is not None)
    if not days:
        return cli_text("kept_none", lang)
    if days[0] == days[-1]:
        return cli_text("kept_last", lang, day=days[-1])
    return cli_text("kept_span", lang, first=days[0], last=days[-1])


def _in_a_folder(option: str, path: Path) -> None:
    """Refuse a `path` (given as `option`) that is not there and whose folder is missing
    either: what an option names is made, never the folders it goes in (a mistyped path is
    not made on the SD card)."""
    if not path.exists() and not path.parent.exists():
        raise UsageError("no_folder_for", option=option, path=path, folder=path.parent)


def _writable_target(option: str, path: Path, *, folder: bool) -> None:
    """Refuse at once, before any hardware is opened, an output `path` (given as `option`)
    that cannot be written: a folder where a file is wanted (or the other way round), one
    whose folder is missing (`_in_a_folder`), or a place that is read-only or not ours."""
    _in_a_folder(option, path)
    if path.exists():
        if path.is_dir() != folder:
            raise UsageError("not_a_folder" if folder else "folder_not_file", option=option, path=path)
        where = path if folder else path.parent
    else:
        where = path.parent
        if not where.is_dir():
            raise UsageError("parent_not_a_folder", option=option, path=path, where=where)
    if not os.access(where, os.W_OK | os.X_OK):
        raise UsageError("not_writable", option=option, path=path, where=where)


def _outside_state_dirs(out: Path, command: str, state_dir: Path | None = None) -> None:
    """Refuse `out` in a device's state directory -- `state_dir`, or any folder above it that
    holds a database, named or not: its files are the store's (a recording written over the
    database or a kept recording loses them)."""
    where = out.resolve()
    for folder in [*(f for f in (where, *where.parents) if StateLayout(f).database.exists()), state_dir]:
        if folder is not None and _inside(where, folder):
            raise UsageError("in_state_dir", out=out, folder=folder, command=command)


def _inside(path: Path, folder: Path) -> bool:
    where, folder = path.resolve(), folder.resolve()
    return where == folder or folder in where.parents


def _in_period(day: datetime.date | None, period) -> bool:
    """Whether a session that started on `day` falls in `period` (a
    `device.report_data.Period`); one whose start is no date only in a report of every day."""
    return period.first is None and period.last is None if day is None else period.holds(day)


def _cmd_export(args, cfg) -> int:
    _writable_target("--edf", args.edf, folder=True)
    # after the check, as in report: numpy comes with these, seconds to import on a Pi
    from device.export import export_sessions
    from device.export_edf import ExportError
    from session.recording import SampleLimits
    limits = SampleLimits.from_calibration(cfg.calibration, cfg.adc.full_scale_v)
    with _open_history(args.state_dir) as store:
        _check_profile(args, cfg, store.sessions(args.profile))
        lang = _reading_language(args, cfg, store)
        try:
            result = export_sessions(store, args.edf, limits, args.session, args.profile)
        except ExportError as e:             # nothing to export at all
            raise UsageError("told", message=str(e)) from None
    for problem in result.problems:
        print(f"pftrainer: {problem}", file=sys.stderr)
    print(_exported_line(result, args.edf, lang))
    return EXIT_BAD_INPUT if result.not_exported else 0


def _exported_line(result: Exported, out_dir: Path, lang: str) -> str:
    """How many sessions an export wrote to `out_dir`, and which it did and did not when
    some are left out, in `lang`."""
    line = cli_counted("exported", len(result.written), lang, dir=out_dir)
    if result.not_exported:
        which = f": {numbers_text(sorted(result.written))}" if result.written else ""
        line += which + cli_text("not_exported", lang, n=len(result.not_exported),
                                 ids=numbers_text(result.not_exported))
    if result.empty:
        line += cli_counted("export_empty", len(result.empty), lang, ids=numbers_text(result.empty))
    if result.removed:
        line += cli_text("export_dir_removed", lang, dir=out_dir)
    return line


def _cmd_usb_export(args, cfg) -> int:
    from device.usb_export import export_to_stick
    from device.usb_status import SAVED, write_status
    if not args.to.is_dir():
        raise UsageError("usb_to", to=args.to, why=not_a_folder(args.to))
    result = export_to_stick(args.state_dir, args.to, cfg, now=datetime.datetime.now(), fs_type=args.fs_type)
    for problem in result.problems:
        print(f"pftrainer: {problem}", file=sys.stderr)
    status = result.status
    if args.status is not None:
        try:
            write_status(args.status, status)
        except OSError as e:
            print(f"pftrainer: usb-export: the device was not told ({args.status}: {e.strerror or e}); "
                  "is pftrainer.service running?", file=sys.stderr)
    if status.outcome != SAVED:
        print(f"pftrainer: usb-export: {status.detail}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"usb-export: {status.detail}")
    return EXIT_BAD_INPUT if result.problems else 0


def _reading_language(args, cfg, store) -> str:
    """The language `history`, `report`, `export` and `move` speak: `--lang` (`export` takes it before the
    command only: `_load_config`), else, of one person (`--profile N`), the one they chose on the
    device's menu, as the USB stick's report of them is written in (`stored_values.person_language`),
    else the one chosen last, else `[ui] language`."""
    if args.lang:
        return args.lang
    if getattr(args, "profile", None):
        return stored_values.person_language(store, args.profile, cfg.session.profiles, cfg.ui.language)
    return stored_values.chosen_language(store, cfg.ui.language)


def _cmd_history(args, cfg) -> int:
    with _open_history(args.state_dir) as store:
        lang = _reading_language(args, cfg, store)
        rows = store.sessions(args.profile)          # everything read before a line is printed
        _check_profile(args, cfg, rows)
        people = [args.profile] if args.profile else sorted({r["profile"] for r in rows}) or [config.DEFAULT_PROFILE]
        refused: list = []
        programmes, _ = _usable_programmes(cfg, None, refused)
        left_out = {programme_stem(e.path) for e in refused} | {e.replaces for e in refused if e.replaces}
        parts = [(who, [r for r in rows if r["profile"] == who], store.assessments(who),
                  [history_text("level_of", lang, name=name, level=p.level_number(store.standing(name, who).level),
                                count=p.level_count)
                   for name, p in sorted(programmes.items())
                   if p.levels and any(r["program"] == name for r in rows if r["profile"] == who)]
                  # trained, and not known here: its level cannot be told (it was left out unsaid: a trial)
                  + [history_text(key, lang, names=", ".join(names))
                     for key, names in _not_told(rows, who, programmes, left_out) if names])
                 for who in people]                  # (a programme never trained has no level to speak of)
    for n, (who, mine, assessments, levels) in enumerate(parts):
        if len(parts) > 1:                   # several people and none asked for: each their own part
            print(f"{chr(10) if n else ''}{history_text('person', lang, who=who)}")
        _history_of(mine, assessments, levels, who, cfg, programmes, lang)
    return 0


SESSION_COLUMNS = ("col_min", "col_reps", "col_contraction", "col_relaxation", "col_power", "col_hold", "col_exhale",
                   "col_good")
SESSION_WIDTHS = (5, 4, 6, 6, 9, 6, 6, 5)
MISTAKE_COLUMNS = ("col_bear_down", "col_breath_hold", "col_not_let_go", "col_glute", "col_no_lift")   # MISTAKE_KINDS'
MISTAKE_WIDTHS = (4, 6, 5, 5, 6)


def _not_told(rows: list[dict], who: int, programmes: dict, left_out: set[str]) -> list[tuple[str, list[str]]]:
    """The programmes `who` trained whose level `history` cannot tell: those whose file here is bad
    (or whose bad copy left the built-in out), and those not known here at all."""
    unknown = sorted({r["program"] for r in rows if r["profile"] == who} - set(programmes))
    return [("level_refused", [name for name in unknown if name in left_out]),
            ("level_unknown", [name for name in unknown if name not in left_out])]


def _history_of(rows: list[dict], assessments: list[dict], levels: list[str], who: int, cfg,
                programmes: dict, lang: str) -> None:
    """One person's sessions (with their lifts begun on the exhale, and those done well of those asked:
    *aansp. 72.7* alone read as fair work where the end screen had said *0 van 4 goed opgetild*, a
    trial), assessments, training per
    week and levels, in `lang`; no power for a session whose programme measures no strength
    (`measures_strength`)."""
    from session.coach import MISTAKE_KINDS
    started, programme = history_text("col_started", lang), history_text("col_programme", lang)
    named = max([11, len(programme)] + [len(str(r["program"])) for r in rows])   # a physiotherapist's longer
                                                                                # names line up too
    figures = columns(SESSION_COLUMNS, SESSION_WIDTHS, lang)
    mistake_columns = columns(MISTAKE_COLUMNS, MISTAKE_WIDTHS, lang)
    mistakes_label = history_text("col_mistakes", lang)
    print(f"{'#':>4}  {started:<19}  {programme:<{named}} " + " ".join(f"{name:>{w}}" for name, w in figures)
          + f"  {mistakes_label} " + " ".join(f"{name:>{w}}" for name, w in mistake_columns))
    gap = " " * (len(mistakes_label) + 3)
    for r in rows:
        def f(value, fmt):
            return "-" if value is None else format(value, fmt)
        mistakes = " ".join(f"{_mistake_cell(r, kind):>{w}}" for kind, (_, w) in zip(MISTAKE_KINDS, mistake_columns))
        power_kpa = r["power_kpa"] if measures_strength(r["program"], programmes, r["asks_maximal"]) else None
        exhale = None if r["lifts_on_exhale"] is None else (r["lifts_on_exhale"], r["lifts_timed"])
        good = "-" if r["done_well_of"] is None else "{}/{}".format(*r["done_well_of"])
        held_s = _down(r["endurance_s"], 1)          # (held, never more: as the end screen)
        cells = (f(r["duration_s"] and r["duration_s"] / 60, ".1f"), r["reps"], f(r["contraction_score"], ".1f"),
                 f(r["relaxation_score"], ".1f"), f(power_kpa, ".2f"), f(held_s, ".1f"), exhale_cell(exhale),
                 good)
        print(f"{r['id']:>4}  {r['started_at']:<19}  {r['program']:<{named}} "
              + " ".join(f"{cell:>{w}}" for cell, (_, w) in zip(cells, figures)) + f"{gap}{mistakes}"
              + _row_notes(r, lang))
    print(history_counted("sessions", len(rows), lang))
    if assessments:
        print()
        print(_assessment_table(assessments, lang))
    trained = [(r["day"], r["completed"], r["contractions"],
                sets_lift_goal(r["program"], r["contraction_score"], programmes))
               for r in rows if r["day"] is not None]
    if trained:
        print()
        print(_adherence_table(trained, cfg.session.daily_goal, lang))
    if levels:
        print(history_text("levels", lang, who=who, levels=", ".join(levels)))


def _row_notes(row: dict, lang: str) -> str:
    """What a session's row says after its figures: interrupted or in progress, its pauses, and whom
    it was trained as where it was moved to this person (*(onderbroken; gepauzeerd: 1x opgestaan;
    getraind als persoon 1)*)."""
    notes = [] if row["completed"] else [history_text("in_progress" if row["in_progress"] else "interrupted", lang)]
    if row["pauses"]:
        notes.append(pauses_said(row["pauses"], lang))
    if row["trained_as"] is not None:
        notes.append(history_text("trained_as", lang, n=row["trained_as"]))
    return f"  ({'; '.join(notes)})" if notes else ""


def _down(seconds: float | None, decimals: int) -> float | None:
    """Seconds held, rounded down (`rounded_down`); None stays None."""
    return None if seconds is None else rounded_down(seconds, decimals)


def _mistake_cell(row: dict, kind: str) -> str:
    """A session's count of mistakes of `kind` as `history` shows it: "-" when there is none to
    show; held breaths with the holds judged where fewer than those made (`0/1`: none held in the
    one hold long enough to show it; `Store.sessions`' `breath_judged`); repetitions not let go
    with those judged (`3/3`, as the end screen's *Niet helemaal los 3/3*; `let_go_judged`)."""
    n = row["errors_" + kind]
    if n is None:
        return "-"
    judged = row["breath_judged"] if kind == "breath_hold" else row["let_go_judged"] if kind == "not_let_go" and n \
        else None
    return f"{n}" if judged is None else f"{n}/{judged}"


def _adherence_table(trained: list, daily_goal: int, lang: str) -> str:
    """Training per ISO week against the goal (`trained`: (day, completed, lifts made, lifts
    asked) of each session), and the streak up to the last completed session's day, if there is
    one. A week that asked no lift (only letting go was trained) has no goal of contractions: "-";
    the weeks the sessions begin and end in ask only their days from the first session's day, and up
    to the last's (as the report: a week begun on its Sunday asked seven days of it)."""
    trained_days = [day for day, *_ in trained]
    trained_weeks = weeks(trained, daily_goal, period=(min(trained_days), max(trained_days)))
    goal = {ALL_WEEKS: "goal_all_weeks", SOME_WEEKS: "goal_some_weeks",
            NO_WEEK: "goal_no_week"}[contractions_asked(trained_weeks)]
    (week, _), (days, days_w), (sessions, sessions_w), (contractions, contractions_w) = columns(
        ("col_week", "col_days", "col_sessions", "col_contractions"), (8, 4, 8, 12), lang)
    lines = [history_text("week_goal", lang, sessions=history_counted("goal_sessions", daily_goal, lang),
                          contractions=history_text(goal, lang, n=CONTRACTIONS_PER_DAY)),
             f"  {week:<8}  {days:>{days_w}}  {sessions:>{sessions_w}}  {contractions:>{contractions_w}}"]
    for w in trained_weeks:
        sessions_cell = f"{w.sessions}/{w.sessions_goal}"
        contractions_cell = f"{w.contractions}/{w.contractions_goal}" if w.lifts_asked else "-"
        lines.append(f"  {w.year}-W{w.week:02d}  {w.days:>{days_w}}  {sessions_cell:>{sessions_w}}  "
                     f"{contractions_cell:>{contractions_w}}")
    done = {day for day, completed, *_ in trained if completed}
    if done:
        last_day = max(done)
        lines.append(history_counted("streak", streak(done, last_day), lang, day=last_day))
    return "\n".join(lines)


ASSESSMENT_COLUMNS = ("col_p_kpa", "col_p_first", "col_e", "col_r", "col_f", "col_hold_mean", "col_slope",
                      "col_let_go", "col_rest_sd", "col_breath")
ASSESSMENT_WIDTHS = (5, 5, 3, 3, 3, 7, 11, 6, 9, 10)


def _assessment_table(assessments: list[dict], lang: str) -> str:
    """The assessments (metingen) in PERFECT terms, the maximum also as % of the first."""
    first_kpa = assessments[0]["max_kpa"]
    named = columns(ASSESSMENT_COLUMNS, ASSESSMENT_WIDTHS, lang)
    lines = [history_text("assessments", lang),
             f"{'#':>4}  {history_text('col_started', lang):<19} " + "  ".join(f"{name:>{w}}" for name, w in named)]
    for a in assessments:
        def f(value, fmt):
            return "-" if value is None else format(value, fmt)
        rest = a.get("rest_before") or {}
        releases = a.get("releases") or []
        released = sum(r["quality"] == "complete" for r in releases)
        cells = (f"{a['max_kpa']:.2f}", f"{100.0 * a['max_kpa'] / first_kpa if first_kpa else 0.0:.0f}",
                 f(_down(a.get("endurance_s"), 0), ".0f"), f"{a['holds_good']}/{a['holds']}",
                 f"{a['flicks_half']}/{a['flicks']}",
                 f(a.get("hold_mean_pct"), ".0f"), f(a.get("endurance_slope_pct_per_min"), ".1f"),
                 f"{released}/{len(releases)}", f(rest.get("level_sd_pct"), ".1f"), f(rest.get("excursion_kpa"), ".3f"))
        lines.append(f"{a['id']:>4}  {a['started_at']:<19} "
                     + "  ".join(f"{cell:>{w}}" for cell, (_, w) in zip(cells, named)))
    return "\n".join(lines)


MOVE_WAIT_S = 30.0     # `move` waits this long for each move to be stored (the store's start tidies first: on a
                       # busy machine its 4 s were not always enough)


def _cmd_move(args, cfg) -> int:
    """Sessions trained as the wrong person filed under who trained them, with the day's maximum
    each measured (`Store.move_session`); refused whole, nothing changed, where one is not kept, the
    person is not one of this device's, or the device is writing there (it is running)."""
    from device.storage import StateDirBusy, Store, calibrated
    to = args.to_profile
    if to > cfg.session.profiles:
        raise UsageError("to_profile_beyond", profile=to, profiles=cfg.session.profiles)
    with _open_history(args.state_dir) as store:          # there, a history, not damaged
        kept = {row["id"]: row for row in store.sessions()}
        lang = _reading_language(args, cfg, store)
    missing = [n for n in dict.fromkeys(args.session) if n not in kept]
    if missing:
        raise UsageError("move_unknown", sessions=numbers_text(missing), state_dir=args.state_dir)
    programmes, _ = _usable_programmes(cfg, None, [])
    try:
        store = Store(args.state_dir, programmes=programmes)
    except StateDirBusy:
        raise UsageError("move_busy", state_dir=args.state_dir) from None
    with store:
        for n in sorted(set(args.session), reverse=True):    # the newest first: each the last of its person's
            row = kept[n]                                     # that the level counted, when it was (a review)
            source = row["profile"]
            what = cli_text("move_what", lang, n=n, when=row["started_at"][:16].replace("T", " "),
                            program=row["program"])
            if source == to:
                print(cli_text("move_already", lang, what=what, to=to))
                continue
            standing, level = _level_uncounted(store, row, programmes.get(row["program"]), lang) \
                if row["completed"] else (None, "")
            moved = store.move_session(n, to, standing)
            store.drain(MOVE_WAIT_S)   # stored (one transaction) before it is said, and the next is looked at
            maximum = "" if moved is None else cli_text("move_maximum_given" if moved.given else "move_maximum_taken",
                                                        lang, day=moved.day, source=source, to=to)
            print(cli_text("move_moved", lang, what=what, source=source, to=to, maximum=maximum, level=level))
            if moved is not None:          # theirs later that day went by it: their scores are as they were
                by_it = [r["id"] for r in store.recorded(source) if r["id"] > n
                         and r["started_at"][:10] == moved.day and calibrated(r["summary"] or {}) is False]
                if by_it:
                    print(cli_counted("move_went_by", len(by_it), lang, source=source, ids=numbers_text(by_it)))
    return 0


def _level_uncounted(store, row: dict, programme: Programme,
                     lang: str) -> tuple[tuple[str, Standing] | None, str]:
    """Before session `row` leaves its person: their level in its programme (where it has levels)
    back to the one the session ran at where it was the last of theirs the level counted (it moved it,
    or counted in its run), its run of good and poor sessions begun again (a trial: a wife's session
    moved away still counted in her husband's run, and his next poor one took his level down); where
    they trained it since, the level stays. A session moved to them from the one who trained it never
    counted in their level: it leaves it (moved back, it set theirs to the level it ran at for the other:
    a fault campaign), nor does one moved to them count as their last. Returns (the programme, their
    standing now) to keep with the move, or None, and what the line says of it (in `lang`)."""
    who, name = row["profile"], row["program"]
    standing = None if programme is None or not programme.levels else store.standing(name, who)
    if standing is None or standing.fresh or store.trained_as(row["id"]) != who:
        return None, ""
    theirs = [r for r in store.recorded(who) if r["program"] == name and store.trained_as(r["id"]) == who]
    ran = None
    if theirs[-1]["id"] == row["id"] and theirs[-1]["recording"] is not None:
        with suppress(OSError, RecordingError):
            ran = Programme.level_kept(header(store.recordings_dir / theirs[-1]["recording"]))
    level = standing.level if ran is None else ran
    said = cli_text("move_level_back" if level != standing.level else "move_level_stays", lang, who=who, name=name,
                    level=programme.level_number(level))
    return (name, Standing(level)), said


def _cmd_config(args, cfg) -> int:
    print(config.render(cfg), end="")
    return 0


COMMANDS = {"analyze": _cmd_analyze, "config": _cmd_config, "programs": _cmd_programs, "move": _cmd_move,
            "sim": _cmd_sim, "run": _cmd_run, "history": _cmd_history, "report": _cmd_report, "export": _cmd_export, "usb-export": _cmd_usb_export, "selftest": _cmd_selftest, "record": _cmd_record}


def _given_before_parsing(argv: list[str]) -> argparse.Namespace:
    """What `argv` gives the options a refusal's language is chosen by, read as argparse reads
    them before it can refuse the line: each `--option VALUE` or `--option=VALUE` by the parser
    it is given to (the top-level one's before the command, the command's after), abbreviated
    as argparse takes it (`--conf`, `--lan`: a prefix of one option alone), every one given,
    in order. (Reads argparse's tables of options: `_actions`, `_option_string_actions`.)
    `command`, `config`, `lang` (the top-level's and the command's), `state_dir`, `sim` and the
    command's `default_state_dir`; `meant`: for an argument no option of its parser, the option it
    was clearly meant to be (`close_match`: *--sesions*, --sessions), or a word that is one without
    its dashes (*sim*: --sim)."""
    top = build_parser()
    commands = next(a.choices for a in top._actions if isinstance(a, argparse._SubParsersAction))
    given = argparse.Namespace(command=None, config=[], lang=[], state_dir=[], sim=False, default_state_dir=None,
                               meant={})
    parser, at = top, 0
    while at < len(argv):
        arg, at = argv[at], at + 1
        if arg == "--":
            break
        options = parser._option_string_actions
        if not arg.startswith("--"):
            if parser is top and arg in commands:           # the command: its options from here on
                given.command, parser = arg, commands[arg]
                given.default_state_dir = parser.get_default("state_dir")
            elif "--" + arg in options:
                given.meant[arg] = "--" + arg
            continue
        name, eq, value = arg.partition("=")
        known = [name] if name in options else [o for o in options if o.startswith("--") and o.startswith(name)]
        if not known:
            close = close_match(name, [o for o in options if o.startswith("--")])
            if close:
                given.meant[arg] = close
            if name == "--lang":                  # a command that takes none: its refusal in the language
                if not eq:                        # asked for all the same (a trial: `export ... --lang en`
                    if at == len(argv) or argv[at].startswith("-"):     # refused in Dutch); no value: the
                        continue                                        # option after it is read as one
                    value, at = argv[at], at + 1
                given.lang.append(value)
            continue
        if len(known) != 1:
            continue
        action = options[known[0]]
        if action.nargs == 0:
            given.sim = given.sim or action.dest == "sim"
            continue
        if not eq:
            value, at = (argv[at], at + 1) if at < len(argv) else (None, at)
            if value is None or value.startswith("-"):
                continue
        dest = "lang" if action.dest == "lang_before" else action.dest
        if dest in ("config", "lang", "state_dir"):
            getattr(given, dest).append(value)
    return given


def _configured_language(path: Path | None) -> str:
    """`[ui] language` of the configuration at `path` (None: the system's), or the default one
    where it cannot be read (that is then the error to tell)."""
    try:
        return config.load(path).ui.language
    except (config.ConfigError, OSError):          # (the system's folder may not be searchable)
        return config.Config().ui.language


def _language_before_parsing(given: argparse.Namespace) -> str:
    """The language of a command line argparse refused, chosen as `_error_language` chooses it,
    from what it `given` as argparse reads it (`_given_before_parsing`): the last `--lang nl|en`
    in it (any case; a command's own comes after the top-level one), else the menu's kept in the
    command's state directory (the last `--state-dir`, else its default; only read, at a glance),
    else `[ui] language` of the last `--config` it names or of the system's."""
    chosen = [value.casefold() for value in given.lang if value.casefold() in config.LANGUAGES]
    if chosen:
        return chosen[-1]
    named = given.config[-1] if given.config else ""
    default = _configured_language(Path(named) if named.strip() else None)
    if given.command is None:
        return default
    state_dirs = [Path(d) for d in given.state_dir if d.strip()]
    parsed = argparse.Namespace(command=given.command, sim=given.sim,
                                state_dir=state_dirs[-1] if state_dirs else given.default_state_dir)
    state_dir = _state_dir_of(parsed)
    return default if state_dir is None else _menu_language(state_dir, default)


def _state_dir_of(args) -> Path | None:
    """The state directory the command reads or keeps its history in, if it has one."""
    if args.command == "run":
        return args.state_dir or Path("sim-state" if args.sim else "/var/lib/pftrainer")
    return getattr(args, "state_dir", None)


def _menu_language(state_dir: Path, default: str) -> str:
    """The language chosen on the device's menu, kept in `state_dir`'s history, else `default`:
    none is there, or it cannot be read at a glance (`device.storage.glance_setting`: choosing
    the language of an error creates nothing, waits for nothing and never fails itself)."""
    from device.storage import glance_setting
    return stored_values.language(glance_setting(state_dir, "language")) or default


def _error_language(args, cfg: config.Config | None) -> str:
    """The language of an error line, chosen as `history` chooses it: `--lang`, else the device
    menu's kept in the command's state directory, else `[ui] language` (`cfg`, or read again
    where the error came before it was: the default where it cannot be)."""
    chosen = getattr(args, "lang", None) or args.lang_before
    if chosen:
        return chosen
    default = cfg.ui.language if cfg is not None else _configured_language(args.config)
    state_dir = _state_dir_of(args)
    return default if state_dir is None else _menu_language(state_dir, default)


def _tell(line: str) -> None:
    """Print an error `line`, one line always (`one_line`: a newline in a path typed is `\\n`)."""
    print(one_line(line), file=sys.stderr)


def _config_fault_shown() -> None:
    """`run` as the service with a configuration that cannot be read: the panel, opened with the
    defaults, says so until the service is stopped (`device.start_fault`); typed by hand, or
    without the hardware, the line said is all."""
    from device.hardware import open_platform
    from device.stopping import StopFlag
    try:
        _start_fault_shown("config", lambda: open_platform(config.Config()), config.Config(), StopFlag().install())
    except HardwareError as e:
        _tell(f"pftrainer: hardware: {e}")


def _start_fault_shown(what: str, platform_of, cfg, stop) -> bool:
    """Under systemd, the start fault `what` on the panel of `platform_of()` (`cfg`'s `[oled]`)
    until `stop`: True when it was shown (`device.start_fault`)."""
    from device.notify import Notifier
    from device.start_fault import show_start_fault
    notifier = Notifier()
    try:
        if not notifier.active or stop.requested:
            return False
        show_start_fault(platform_of(), what, cfg, stop, notifier, lambda line: _tell(f"pftrainer: {line}"))
        return True
    finally:
        notifier.close()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = build_parser().parse_args(argv)
    except ArgumentsRefused as e:
        given = _given_before_parsing(argv)
        _tell(refused_arguments(e.message, _language_before_parsing(given), given.meant))
        raise SystemExit(EXIT_BAD_INPUT) from None
    # run, sim and record stop at a sample (a StopFlag); before they install it, a stop is one
    # while starting (device.entry); the others are interrupted where they are
    stoppable = nullcontext() if args.command in ("run", "sim", "record") else interruptible()
    cfg = None
    try:
        with stoppable:
            cfg = _load_config(args)
            return COMMANDS[args.command](args, cfg)
    except Interrupted as e:           # analyze, report, export ...: what they were writing is gone
        _tell(f"pftrainer: {e} before {args.command} finished; " + (
            "each session moved is moved whole, its level and maximum with it (pftrainer history shows whose "
            "each is now)" if args.command == "move" else "no file of it is left half written"))
        return e.exit_code
    except UsageError as e:
        _tell(f"pftrainer: {e.line(_error_language(args, cfg))}")
        return EXIT_BAD_INPUT
    except (config.ConfigError, RecordingError, ProgrammeError) as e:     # said where they are found: English
        _tell(f"pftrainer: {e}")
        if isinstance(e, config.ConfigError) and args.command == "run" and not args.sim:
            _config_fault_shown()
        return EXIT_BAD_INPUT
    except HardwareError as e:
        _tell(f"pftrainer: hardware: {e}")
        return EXIT_HARDWARE
    except ModuleNotFoundError as e:
        if (e.name or "").split(".")[0] != "hw_sim":
            raise
        _tell(f"pftrainer: {cli_text('no_simulator', _error_language(args, cfg))}")
        return EXIT_BAD_INPUT
    except StorageUnfinished as e:     # storage failed to the end: what waits is in the session folders
        _tell(f"pftrainer: storage: {e}")
        return EXIT_FAILED
    except DamagedDatabase as e:       # history, report, export: nothing is read from it
        lang = _error_language(args, cfg)
        _tell(f"pftrainer: {cli_text('database_damaged', lang, path=e.path, reason=damage_reason(e.reason, lang))}")
        return EXIT_BAD_INPUT
    except BrokenPipeError:          # output piped into `head` and the like
        if sys.stderr is not None:
            sys.stderr.close()
        return 0
    except OSError as e:   # files named on the command line
        _tell(f"pftrainer: {os_failed(e, _error_language(args, cfg))}")
        return EXIT_BAD_INPUT
    except StopRequested as e:         # SIGTERM/Ctrl-C: what was recorded is kept
        _tell(f"pftrainer: {e}; what was recorded is kept")
        return 0
    except KeyboardInterrupt:
        _tell("pftrainer: interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
