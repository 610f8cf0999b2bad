"""Exercise programmes as data: one TOML file per programme, checked strictly on load.

Pure logic, no hardware imports. The built-in programmes live in `BUILTIN_DIR`
(``session/programmes/*.toml``), each taken from one or more of the Dutch patient
brochures (``source = ["002"]`` etc.); a physiotherapist's folder given after it to
`load_programmes` adds programmes or replaces built-ins of the same name.

File format (every key is checked; unknown keys are rejected)::

    name = "basis"                 # must equal the file stem: basis.toml
    source = ["002"]               # brochure numbers, 000-004 (or other references), may be []
    calibrate = true               # measure the user's maximum first (3 maximal lifts)
    series = 3                     # 1-10
    reps = 10                      # repetitions per series, 1-50
    series_rest_s = 60             # rest between series, 0-600 s (optional when series = 1)

    [title]                        # "nl" and "en" required, other languages allowed
    nl = "Basisoefening"
    en = "Basic exercise"

    [about]                        # same: "nl" and "en" required
    nl = "Uit folder 002: ..."
    en = "From brochure 002: ..."

    [[steps]]                      # ONE repetition, in order; 1 to 50 steps
    kind = "lift"
    hold_s = 7                     # or "max": as long as possible
    target_pct = 100               # or floor = 1-4 (25/50/75/100 % of the maximum)

Step kinds and the keys each takes (required keys in capitals here, not in the file):

    inhale   DURATION_S                       breathe in, floor relaxed
    lift     HOLD_S, target_pct | floor, rise_s
                                              on the exhale, lift to the target within
                                              rise_s and hold; hold_s = "max": as long
                                              as possible
    floor    FLOOR, HOLD_S, rise_s            go to another floor (1-4) without letting
                                              go; must follow a lift or floor step
    flick    target_pct                       quick maximal squeeze and full release
    relax    DURATION_S                       let go fully and rest
    breathe  DURATION_S, TARGET_PCT, inhale_s, exhale_s
                                              paced belly breathing; target_pct > 0: a
                                              gentle lift on each exhale, 0: no lift
                                              (the lift needs no maximum: without one
                                              known it is judged by its direction)
    cough    HOLD_S, target_pct | floor, rise_s
                                              brace within rise_s, cough on the cue while
                                              keeping the lift, hold hold_s after it

Any step may also take ``assess = "<part>"``: the part of an assessment (the ``meting``)
it measures, one of ASSESS_PARTS -- ``rest_before`` and ``rest_after`` (relax steps: the
resting level, its spread and the breath's swing), ``flick``, ``hold`` and ``endurance``
(lift or flick steps). A programme with such steps is an assessment: each of its
contractions is a repetition of its own, let go in the relax step after it, and the
session ends with the assessment's figures (`session.assessment`).

A programme may grow with the user (`session.progression`): ``[levels]`` gives, per level
from the easiest up, the hold of its timed lifts, the length of every relax step (but the
rest directly after a quick squeeze, which keeps its own) and the repetitions, e.g.
``hold_s = [6, 7, 7, 8, 8]``, ``relax_s = [4, 5, 6, 6, 8]`` and ``reps = [8, 8, 10, 10, 12]``
(any of them; lists of 1-10 values, of one length; a lift held "max" keeps it), and ``start``,
the level a new user starts at (default 1: the levels below it
are easier steps for a floor that finds the start too hard). A physiotherapist's copy of the
file limits the levels (shorter lists) or fixes one (a list of one value).

A user's level is kept counted from the start level (1 there, 0 and below the easier steps),
so a ladder that gains easier steps below its start keeps the meaning of every level kept
before; `level_number` is the level as the user and the physiotherapist see it, 1 (the
easiest) to `level_count`.

Ranges: durations (duration_s, hold_s, rise_s, inhale_s, exhale_s) > 0 and <= 600 s,
target_pct 5-100 (breathe: 0 or 5-100), floor 1-4. Levels are % of the user's maximum.
A file is at most 64 KiB (the built-ins are 1-3 KiB): a session is planned step by step
when it starts, so a file of thousands of steps would take the device's memory.
Sign convention of the cushion: a lift lowers the perineal pressure, bearing down
raises it -- the programme itself only speaks of lift levels.

Every problem raises `ProgrammeError` naming the file and the field, e.g.
``kracht.toml: step 2: hold_s must be > 0 and <= 600 s, not 0``.
"""

from __future__ import annotations

import difflib
import math
import re
import reprlib
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from session import toml_hints
from session.levels import MAXIMAL_PCT

BUILTIN_DIR = Path(__file__).with_name("programmes")

KINDS = ("inhale", "lift", "floor", "flick", "relax", "breathe", "cough")

# How long the steps of a session take: the coach's plan (`plan`) and so the estimates.
MAX_HOLD_ESTIMATE_S = 30.0      # a hold_s = "max" ("as long as possible") counts as 30 s ...
MAX_HOLD_S = 60.0               # ... and ends after this at the latest
FLICK_S = 1.2                   # one flick: squeeze and let go
COUGH_S = 1.0                   # the cough itself, between the brace and the hold after it
CALIBRATE_REST_S = 10.0         # calibration: rest first,
CALIBRATE_MAX_S = 6.0           # then 3 x (a maximal lift,
CALIBRATE_BETWEEN_S = 8.0       # and rest)
SETTLE_S = 8.0                  # without calibration (or after a pause): sit still while the baseline settles
NEEDS_MAXIMUM = ("lift", "floor", "flick", "cough")    # steps whose targets are % of the user's maximum
ASSESS_PARTS = {"rest_before": ("relax",), "rest_after": ("relax",), "flick": ("flick",),
                "hold": ("lift",), "endurance": ("lift",)}     # an assessment's parts, and the steps that measure them

MAX_DURATION_S = 600.0
MAX_SESSION_S = 5400.0          # a session's longest plan (90 min; the simulator gives one up after
SIM_GIVE_UP_S = 7200.0          # ... 2 h: arriving, waits for a let-go and pauses add to the plan)
MAX_STEPS = 50                  # steps in one repetition (the built-ins have at most 9)
MAX_FILE_BYTES = 64 * 1024      # a programme file (the built-ins are 1-3 KiB)
FLOOR_PCT = 25.0                # floor n = n x 25 % of the maximum


def floor_pct(floor: int) -> float:
    """The level of lift floor `floor` (1-4), in % of the user's maximum."""
    return floor * FLOOR_PCT

# kind -> (required keys, optional keys), besides "kind" itself
_KIND_KEYS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "inhale": (frozenset({"duration_s"}), frozenset()),
    "lift": (frozenset({"hold_s"}), frozenset({"target_pct", "floor", "rise_s"})),
    "floor": (frozenset({"floor", "hold_s"}), frozenset({"rise_s"})),
    "flick": (frozenset(), frozenset({"target_pct"})),
    "relax": (frozenset({"duration_s"}), frozenset()),
    "breathe": (frozenset({"duration_s", "target_pct"}), frozenset({"inhale_s", "exhale_s"})),
    "cough": (frozenset({"hold_s"}), frozenset({"target_pct", "floor", "rise_s"})),
}
BROCHURES = ("000", "001", "002", "003", "004")    # the Dutch patient brochures the programmes come from
_BROCHURE_RE = re.compile(r"\d{3}")                # a reference that looks like one must be one
# a programme of `calibrate = false` whose targets need the maximum takes the last one measured in
# this many days rather than measuring it (three maximal lifts) again: a gentle programme asks for
# none (004: "Na een prostaatbehandeling start je met zachte bekkenbodemactivatie"; a
# physiotherapist's trial), `micro`'s 52 s of calibration would be half of it; a floor's maximum
# changes over weeks of training, not from one day to the next
REUSE_MAXIMUM_DAYS = 7
_TOP_REQUIRED = ("name", "title", "about", "source", "calibrate", "series", "reps", "steps")
_TOP_OPTIONAL = ("series_rest_s", "levels")
LEVEL_KEYS = ("hold_s", "relax_s", "reps")
LEVELS_START = "start"
MAX_LEVELS = 10
_LANGUAGES = ("nl", "en")
_NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")


class ProgrammeError(ValueError):
    """A programme file is unusable. The message names the file and the field.

    `path` is the file (or folder); `field` the key at fault, e.g. "series", "title.nl",
    "step 2: hold_s" ("" when the file as a whole is unusable: unreadable, not UTF-8, not TOML);
    `replaces` the programme of an earlier folder (a built-in) the file was to replace, left out with
    it (`load_programmes`), else None; `title` the file's [title] where it could be read, else None
    (`load_programmes` tells a title another programme has in the same line).
    """

    def __init__(self, path: Path | str, message: str, *, field: str = "") -> None:
        self.path = Path(path)
        self.field = field
        self.problem = message
        self.replaces: str | None = None
        self.title: dict[str, str] | None = None
        super().__init__(f"{path}: {message}")

    def in_full(self) -> str:
        """The message naming the file by its full path (for a page read on another computer)."""
        return f"{self.path.resolve()}: {self.problem}"


def _bad(path: Path, field: str, problem: str) -> ProgrammeError:
    """``<path>: <field> <problem>``, e.g. ``x.toml: step 2: hold_s must be > 0 ...``."""
    return ProgrammeError(path, f"{field} {problem}", field=field)


@dataclass(frozen=True)
class Step:
    """One step of a repetition. See the module docstring for the kinds.

    For a step given a `floor`, `target_pct` holds the floor's level (floor x 25 %).
    `hold_s` is `math.inf` for "as long as possible".
    """

    kind: str
    duration_s: float = 0.0
    hold_s: float = 0.0
    target_pct: float = 100.0
    floor: int | None = None
    rise_s: float = 2.0
    inhale_s: float = 4.0
    exhale_s: float = 6.0
    assess: str | None = None   # the part of an assessment this step measures (ASSESS_PARTS)

    @property
    def asks_lift(self) -> bool:
        """It asks a lift: a lift, a flick, a cough, a lift on the exhale -- its target a level of the
        user's maximum where one is known (`needs_maximum`: where it must be)."""
        return self.kind in NEEDS_MAXIMUM or self.kind == "breathe" and self.target_pct > 0

    @property
    def needs_maximum(self) -> bool:
        """It asks a lift that cannot be judged without the user's maximum (a lift, a flick, a
        cough): not the gentle lift on a paced exhale, which without one is judged by its
        direction -- a lift, let go on the inhale -- so that a new user learns to feel the floor
        before any maximal squeeze (004: "Oefen korte, zachte aanspanningen"; a new user's first
        session began with three maximal lifts: trials)."""
        return self.kind in NEEDS_MAXIMUM

    def estimate_s(self, *, longest: bool = False) -> float:
        """How long this step takes, roughly (a "max" hold counts as 30 s; `longest`: as the
        MAX_HOLD_S after which the coach ends it)."""
        hold = (MAX_HOLD_S if longest else MAX_HOLD_ESTIMATE_S) if math.isinf(self.hold_s) else self.hold_s
        if self.kind in ("lift", "floor"):
            return self.rise_s + hold
        if self.kind == "flick":
            return FLICK_S
        if self.kind == "cough":
            return self.rise_s + COUGH_S + hold
        return self.duration_s


@dataclass(frozen=True)
class Level:
    """One level of a programme that grows with the user: None keeps the file's value."""

    hold_s: float | None = None
    relax_s: float | None = None
    reps: int | None = None


@dataclass(frozen=True)
class Programme:
    name: str
    title: dict[str, str]
    about: dict[str, str]
    source: tuple[str, ...]
    calibrate: bool
    series: int
    reps: int
    series_rest_s: float
    steps: tuple[Step, ...]
    levels: tuple[Level, ...] = ()      # how it grows with the user: the easiest first (none: it does not)
    start_level: int = 1                # where a new user starts, 1 up (the levels below: easier steps)

    @property
    def lift_hold_s(self) -> float | None:
        """The hold of its first timed lift (what a level changes), None without one."""
        return next((s.hold_s for s in self.steps if s.kind == "lift" and not math.isinf(s.hold_s)), None)

    @property
    def level_count(self) -> int:
        return len(self.levels)

    @property
    def lowest_level(self) -> int:
        """The easiest level, as levels are kept (counted from the start level: 1 there)."""
        return 2 - self.start_level

    @property
    def highest_level(self) -> int:
        """The hardest level, as levels are kept."""
        return self.level_count - self.start_level + 1

    def level_of(self, stored_level: int) -> int:
        """A user's kept level brought within this programme's ladder (a physiotherapist's
        shorter ladder, or a damaged value): the one rule for a level a ladder does not have."""
        return min(max(stored_level, self.lowest_level), self.highest_level)

    @property
    def level_asks(self) -> tuple[float | None, int]:
        """What it asks at its level, as the screen says it: its first timed lift's hold in
        seconds (None without one) and its repetitions."""
        return self.lift_hold_s, self.reps

    @property
    def relax_lengths_s(self) -> tuple[float, ...]:
        """Its relax steps' lengths in seconds, each once, shortest first (what a level's
        `relax_s` sets; the screen's `level_asks` leave them out)."""
        return tuple(sorted({step.duration_s for step in self.steps if step.kind == "relax"}))

    def level_header(self, stored_level: int) -> dict[str, object]:
        """What a session's recording keeps of the level it runs at: the level as kept and what
        it asks there (`level_hold_s`, "-" without a timed lift; `level_reps`; `level_relax_s`,
        its relax steps' lengths as "4/16", "-" without one), so that a report read under
        another ladder (a physiotherapist's copy) tells a level that ladder numbers
        differently, or that asks other rests."""
        at_level = self.at_level(stored_level)
        hold_s, reps = at_level.level_asks
        return {"level": self.level_of(stored_level), "level_hold_s": "-" if hold_s is None else f"{hold_s:.10g}",
                "level_reps": reps,
                "level_relax_s": "/".join(f"{length_s:.10g}" for length_s in at_level.relax_lengths_s) or "-"}

    @staticmethod
    def asks_kept(header: dict[str, str]) -> tuple[float | None, int] | None:
        """`level_asks` as a recording's header kept them (`level_header`); None where it kept
        none (a recording from before they were kept) or they cannot be read."""
        hold_text, reps_text = header.get("level_hold_s", ""), header.get("level_reps", "")
        if not re.fullmatch(r"[0-9]+", reps_text) or not (hold_text == "-"
                                                          or re.fullmatch(r"[0-9]+(\.[0-9]+)?", hold_text)):
            return None
        return (None if hold_text == "-" else float(hold_text)), int(reps_text)

    @staticmethod
    def relax_kept(header: dict[str, str]) -> tuple[float, ...] | None:
        """`relax_lengths_s` as a recording's header kept them (`level_header`; "-": none); None
        where it kept none (a recording from before they were kept) or they cannot be read."""
        text = header.get("level_relax_s", "")
        if text == "-":
            return ()
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?(/[0-9]+(\.[0-9]+)?)*", text):
            return None
        return tuple(float(length) for length in text.split("/"))

    @staticmethod
    def level_kept(header: dict[str, str]) -> int | None:
        """The level as a recording's header kept it (`# level=`: counted from the start level, 0
        and below the easier steps under it); None without one, or one that cannot be read."""
        text = header.get("level", "")
        return int(text) if re.fullmatch(r"-?[0-9]+", text) else None

    def level_number(self, stored_level: int) -> int:
        """The level a user's kept level is, as the user and the physiotherapist see it: 1 (the
        easiest) to `level_count`."""
        return self.level_of(stored_level) + self.start_level - 1

    def at_level(self, level: int) -> Programme:
        """The programme at the kept `level` (brought within the ladder): its lifts held
        `hold_s` (a "max" hold stays), its relax steps `relax_s` long but the rest after a quick
        squeeze (its own length stays), `reps` repetitions; itself when it has no levels."""
        if not self.levels:
            return self
        lv = self.levels[self.level_number(level) - 1]
        steps = self.steps
        if lv.hold_s is not None:
            steps = tuple(replace(step, hold_s=lv.hold_s) if step.kind == "lift" and not math.isinf(step.hold_s)
                          else step for step in steps)
        if lv.relax_s is not None:      # (not the rest after a quick squeeze: a trial's 3 s became 12 s)
            steps = tuple(replace(step, duration_s=lv.relax_s) if step.kind == "relax" and not _after_squeeze(steps, i)
                          else step for i, step in enumerate(steps))
        return replace(self, steps=steps, reps=self.reps if lv.reps is None else lv.reps)

    def rep_duration_s(self) -> float:
        """Estimated length of one repetition (the `steps` once)."""
        return sum(step.estimate_s() for step in self.steps)

    @property
    def asks_maximal(self) -> bool:
        """Some lift asks for all the user has (MAXIMAL_PCT): its peak says how strong the floor
        is; in a programme of gentler lifts it says how high they were asked to go."""
        return any(s.kind in NEEDS_MAXIMUM and s.target_pct >= MAXIMAL_PCT for s in self.steps)

    @property
    def asks_lift(self) -> bool:
        """Some step asks a lift (`Step.asks_lift`): its targets are % of the maximum where one is
        known. None: it practises letting go only."""
        return any(s.asks_lift for s in self.steps)

    @property
    def needs_maximum(self) -> bool:
        """Some lift it asks cannot be judged without the user's maximum (`Step.needs_maximum`):
        without a stored one it is measured first. Letting go and a gentle lift on the exhale
        need none."""
        return any(s.needs_maximum for s in self.steps)

    @property
    def trains_a_skill(self) -> bool:
        """Every lift it asks is made into a cough (the knack, a physiotherapist's own): a skill
        learnt beside the daily training, not one to train every day in its place -- one of lifts
        and a cough trains the floor (a review)."""
        lifts = [s.kind for s in self.steps if s.asks_lift]
        return bool(lifts) and all(kind == "cough" for kind in lifts)

    @property
    def assesses(self) -> bool:
        """An assessment (the ``meting``): its steps measure the parts of ASSESS_PARTS."""
        return any(s.assess is not None for s in self.steps)

    def calibrates(self, max_known: bool) -> bool:
        """Whether a session begins by measuring the user's maximum: when the programme
        asks for it, or its targets need one -- unless one is known (today's, say; where it
        `reuses_maximum`, one of the last REUSE_MAXIMUM_DAYS)."""
        return not max_known and (self.calibrate or self.needs_maximum)

    @property
    def reuses_maximum(self) -> bool:
        """Its targets are % of the maximum, it does not ask for it to be measured (`calibrate =
        false`) and measures none itself: it takes one of the last REUSE_MAXIMUM_DAYS (without one,
        its lifts on the exhale alone are judged by their direction, others measure it first)."""
        return self.asks_lift and not self.calibrate and not self.assesses

    def duration_s(self, *, max_known: bool, longest: bool = False) -> float:
        """Estimated length of a session: the coach's plan, added up (`longest`: every hold "as
        long as possible" held to the end)."""
        return sum(item.duration_s for item in plan(self, max_known=max_known, longest=longest))


@dataclass(frozen=True)
class PlanItem:
    """One phase of a session as planned: calibration, settle, a step of a repetition, or
    the rest between series. `duration_s` is the estimate (a hold may end sooner)."""

    kind: str                   # calibrate_rest, calibrate_max, calibrate_rest_between, settle, series_rest, or a step kind
    duration_s: float
    step: Step | None = None
    series: int = 0
    rep: int = 0                # the calibration lift's number, or the repetition's
    index: int = 0              # the step's place in the repetition


SETTLE = PlanItem("settle", SETTLE_S)


def plan(programme: Programme, *, max_known: bool, longest: bool = False) -> list[PlanItem]:
    """The session as the coach runs it: calibration (or a settle while the baseline is
    measured), then series x repetitions x steps, with rests between series (`longest`: each
    hold "as long as possible" estimated at its end, `MAX_HOLD_S`)."""
    items: list[PlanItem] = []
    if programme.calibrates(max_known):
        items.append(PlanItem("calibrate_rest", CALIBRATE_REST_S))
        for n in (1, 2, 3):
            items += [PlanItem("calibrate_max", CALIBRATE_MAX_S, rep=n),
                      PlanItem("calibrate_rest_between", CALIBRATE_BETWEEN_S, rep=n)]
    else:
        items.append(SETTLE)
    for series in range(1, programme.series + 1):
        for rep in range(1, programme.reps + 1):
            items += [PlanItem(step.kind, step.estimate_s(longest=longest), step, series, rep, index)
                      for index, step in enumerate(programme.steps)]
        if series < programme.series:
            items.append(PlanItem("series_rest", programme.series_rest_s, series=series))
    return items


# --- loading --------------------------------------------------------------------------------

def load_programme(path: Path | str, replacing: Programme | None = None) -> Programme:
    """Read and check one programme file, to replace `replacing` where given (an assessment is
    replaced by one); raises `ProgrammeError` naming the file and field."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise ProgrammeError(path, f"cannot read the file ({e.strerror or e})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ProgrammeError(path, f"larger than {MAX_FILE_BYTES // 1024} KiB: not a programme file")
    if not raw.strip():
        raise ProgrammeError(path, "the file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise ProgrammeError(path, f"line {line}: not UTF-8 text (byte 0x{raw[e.start]:02x}: saved in another "
                                   f"encoding? save it as UTF-8); programmes are TOML text") from None
    if 3 * raw.count(b"\0") >= len(raw):     # UTF-16 without a byte-order mark decodes as UTF-8: every
                                             # other byte NUL (a few NULs are the TOML's: not valid)
        line = raw.count(b"\n", 0, raw.index(b"\0")) + 1
        raise ProgrammeError(path, f"line {line}: not UTF-8 text (NUL bytes: saved as UTF-16? save it as UTF-8); "
                                   "programmes are TOML text")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ProgrammeError(path, f"not valid TOML: {toml_hints.explained(text, e, booleans={'calibrate'})}") \
            from None
    except RecursionError:                   # tomllib parses nested arrays and tables recursively
        raise ProgrammeError(path, "not valid TOML: values nested too deeply") from None
    together = toml_hints.decimal_comma_in_list(text)
    if together is not None:
        n, key, digits = together
        meant = re.sub(r"\s*,", ".", digits)
        raise ProgrammeError(path, f"line {n}: {key} has {digits} -- a decimal comma? Numbers take a point: "
                                   f"{meant}; values apart take a comma and a space", field=key)
    return _programme(path, data, replacing)


def load_programmes(*dirs: Path | str, on_bad_file=None) -> dict[str, Programme]:
    """Load every ``*.toml`` in `dirs`, in order; a later folder's programme replaces an
    earlier one of the same name. Raises `ProgrammeError` for the first bad file or for a
    folder that does not exist -- or, with `on_bad_file(error)`, reports each bad file
    there and goes on without it (the appliance must not stop for one bad file); then
    an earlier programme of its name is left out too: the file was meant to replace it,
    and running the one it replaces would quietly undo what it sets. A later folder's programme
    whose title, in a language, is another programme's is bad too (`_same_titles`), and a bad
    file's title that is one on offer is told in its line."""
    programmes: dict[str, Programme] = {}
    files: dict[str, Path] = {}              # the later folders' programmes: their files
    replacing: set[str] = set()              # ... of them, those that replace an earlier folder's
    bad: list[tuple[ProgrammeError, bool]] = []     # the bad files, each with whether a later folder's
    for later, folder in enumerate(map(Path, dirs)):
        if not folder.is_dir():
            raise ProgrammeError(folder, "no such folder of programmes")
        for path in sorted(folder.glob("*.toml")) + (saved_as_other(folder) if later else []):
            if path.name.startswith(".") or not (path.is_file() or path.is_symlink()):
                continue                # editor lock/backup files, or a folder named x.toml
            stem = programme_stem(path)
            try:
                if not path.exists():
                    raise ProgrammeError(path, "a link to a file that is not there")
                if path.suffix != ".toml":
                    raise ProgrammeError(path, f"a programme saved under another name is not read: programme "
                                               f"files end in .toml -- rename it {stem}.toml")
                programme = load_programme(path, programmes.get(stem))
            except ProgrammeError as e:
                e.replaces = stem if stem in programmes else None
                bad.append((e, bool(later)))
                programmes.pop(stem, None)
                continue
            if later:
                files[programme.name] = path
                if programme.name in programmes:
                    replacing.add(programme.name)
            programmes[programme.name] = programme
    alike, taken = _same_titles(programmes, files, replacing)
    errors = [_with_titles_taken(error, taken) if later else error for error, later in bad] + alike
    if errors and on_bad_file is None:
        raise errors[0]
    for error in errors:
        on_bad_file(error)
    return programmes


def saved_as_other(folder: Path) -> list[Path]:
    """The files in `folder` not ending in .toml that hold a programme (a `[[steps]]` line, in a text
    no larger than a programme file): saved as `.txt` by an editor, say (a physiotherapist's trial:
    noted only by `pftrainer programs`, the programme was silently missing from the device's menu)."""
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix == ".toml" or not path.is_file():
            continue
        try:
            with open(path, "rb") as f:
                head = f.read(MAX_FILE_BYTES + 1)
        except OSError:
            continue
        if len(head) <= MAX_FILE_BYTES and b"\0" not in head \
                and re.search(rb"^[ \t]*\[\[[ \t]*steps[ \t]*\]\]", head, re.MULTILINE):
            found.append(path)
    return found


def programme_stem(path: Path) -> str:
    """The programme a file's name gives: a `.toml` file's stem; of a programme saved under another
    name, what comes before its first dot (`basis.toml.txt`: basis)."""
    return path.stem if path.suffix == ".toml" else path.name.split(".", 1)[0]


def _after_squeeze(steps, i: int) -> bool:
    """Step `i` comes directly after a quick squeeze in the repetition (the first step after none)."""
    return i > 0 and steps[i - 1].kind == "flick"


def _same_titles(programmes: dict[str, Programme], files: dict[str, Path],
                 replacing: set[str]) -> tuple[list[ProgrammeError], dict[tuple[str, str], str]]:
    """The programmes of `files` (a later folder's) whose title, in a language, reads as another
    programme's (in any case and spacing) -- a built-in's, then a copy's that replaces a built-in
    (`replacing`: it keeps the built-in's title), then one before it by name -- taken out of
    `programmes`, each its error (a physiotherapist's *Kracht* beside the built-in made two menu
    items alike: a trial); a copy's says the built-in it replaces is left out with it. And the
    titles left on offer: (language, title as read) -> its programme."""
    taken: dict[tuple[str, str], str] = {}
    errors = []
    for name in sorted(programmes, key=lambda name: (name in files, name not in replacing, name)):
        alike = _titles_taken(programmes[name].title, taken)
        if alike and name in files:          # (every language at once: a trial fixed them in two rounds)
            error = ProgrammeError(files[name], _said_taken(alike), field=f"title.{alike[0][0]}")
            error.replaces = name if name in replacing else None
            errors.append(error)
            del programmes[name]
            continue
        taken.update(((lang, _as_read(title)), name) for lang, title in programmes[name].title.items())
    return errors, taken


def _with_titles_taken(error: ProgrammeError, taken: dict[tuple[str, str], str]) -> ProgrammeError:
    """A bad file's `error`, a title of it that is one on offer (`taken`) told in the same line (a
    copy of `basis` with a wrong hold said its titles were basis's only once the hold was right: a trial)."""
    alike = _titles_taken(error.title or {}, taken)
    if not alike:
        return error
    joined = ProgrammeError(error.path, f"{error.problem}; {_said_taken(alike)}", field=error.field)
    joined.replaces = error.replaces
    return joined


def _as_read(title: str) -> str:
    """A title as it reads: any case, any spacing."""
    return " ".join(title.split()).casefold()


def _titles_taken(title: dict[str, str], taken: dict[tuple[str, str], str]) -> list[tuple[str, str, str]]:
    """(language, title, whose) of each of `title`'s that is `taken`."""
    return [(lang, text, taken[lang, _as_read(text)]) for lang, text in title.items()
            if (lang, _as_read(text)) in taken]


def _said_taken(alike: list[tuple[str, str, str]]) -> str:
    said = "; ".join(f"title.{lang} '{title}' is the title of '{owner}' too" for lang, title, owner in alike)
    return f"{said}: the menu would show two alike -- give it one of its own"


class _Found:
    """The problems of one programme file, gathered so that one reading names them all (a trial
    fixed four mistakes in four rounds of `pftrainer programs`): `check` runs a check and keeps
    its ProgrammeError; `raise_them` raises them as one, its field the first one's."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[ProgrammeError] = []

    def check(self, check, *args, default=None):
        try:
            return check(*args)
        except ProgrammeError as e:
            self.errors.append(e)
            return default

    def raise_them(self, title: dict[str, str] | None) -> None:
        """Raise the problems found, if any, as one; `title`: the file's, where read."""
        if self.errors:
            error = ProgrammeError(self.path, "; ".join(e.problem for e in self.errors), field=self.errors[0].field)
            error.title = title
            raise error


def _programme(path: Path, data: dict[str, Any], replacing: Programme | None) -> Programme:
    _check_below_steps(path, data)          # (alone: the keys it moved read as missing and as the step's)
    found = _Found(path)
    found.errors += _key_problems(path, data, _TOP_REQUIRED, _TOP_OPTIONAL)
    name = found.check(_name, path, data["name"]) if "name" in data else None
    title = found.check(_texts, path, "title", data["title"]) if "title" in data else None
    about = found.check(lambda: _texts(path, "about", data["about"], allowed="\n")) if "about" in data else None
    source = found.check(_source, path, data["source"]) if "source" in data else None
    shape_from = len(found.errors)          # the problems of what the session is made of, from here
    calibrate = data.get("calibrate")
    if "calibrate" in data and not isinstance(calibrate, bool):
        found.errors.append(_bad(path, "calibrate", f"must be true or false, not {_tname(calibrate)}"))
    series = found.check(_int, path, "series", data["series"], 1, 10) if "series" in data else None
    reps = found.check(_int, path, "reps", data["reps"], 1, 50) if "reps" in data else None
    if series is not None and series > 1 and "series_rest_s" not in data:
        found.errors.append(_bad(path, "series_rest_s", f"is needed with {series} series: the rest between them, "
                                                        "0-600 s"))
    series_rest_s = found.check(lambda: _number(path, "series_rest_s", data.get("series_rest_s", 0.0), 0.0,
                                                MAX_DURATION_S, lo_open=False))
    steps = found.check(_steps, path, data["steps"], found) if "steps" in data else None
    levels, start_level = found.check(_levels, path, data.get("levels"), default=((), 1))
    programme = None
    if len(found.errors) == shape_from and None not in (calibrate, series, reps, steps):
        programme = Programme(name=name, title=title, about=about, source=tuple(source or ()), calibrate=calibrate,
                              series=series, reps=reps, series_rest_s=series_rest_s, steps=tuple(steps),
                              levels=levels, start_level=start_level)
        found.errors += _whole_problems(path, programme, replacing)
    found.raise_them(title)
    return programme


def _whole_problems(path: Path, programme: Programme, replacing: Programme | None) -> list[ProgrammeError]:
    """The problems of a programme read whole (its steps, levels, series and repetitions each good):
    levels that set what no step has, a start level unlike the file's own steps, a session too long,
    an assessment `replacing` one without a step that assesses."""
    problems = []
    if programme.lift_hold_s is None and any(level.hold_s is not None for level in programme.levels):
        problems.append(_bad(path, "levels.hold_s", "sets the hold of the timed lifts, and no step is one "
                                                    "(a lift with hold_s in seconds)"))
    steps = programme.steps
    if all(step.kind != "relax" or _after_squeeze(steps, i) for i, step in enumerate(steps)) \
            and any(level.relax_s is not None for level in programme.levels):
        problems.append(_bad(path, "levels.relax_s", "sets the length of the relax steps, and there is none "
                                                     "(but after a quick squeeze, which keeps its own)"))
    start_level = _start_level_problem(path, programme)
    if start_level is not None:
        problems.append(start_level)
    longest_s = max(programme.at_level(n).duration_s(max_known=False, longest=True)
                    for n in range(programme.lowest_level, max(1, programme.highest_level) + 1))
    if longest_s > MAX_SESSION_S:
        problems.append(_bad(path, "steps", f"add up to a session of {math.ceil(longest_s / 60)} min (series x "
                                            f"reps x steps, at its longest level): a session takes at most "
                                            f"{MAX_SESSION_S / 60:.0f} min"))
    if replacing is not None and replacing.assesses and not programme.assesses:
        problems.append(ProgrammeError(path, f"replaces the assessment '{replacing.name}' without a step that "
                                             "assesses (assess = ...): no assessment, and no advice from them, "
                                             "would come again"))
    return problems


def _start_level_problem(path: Path, programme: Programme) -> ProgrammeError | None:
    """Where `[levels]` sets a value, the file's own must be the start level's: the levels set it at
    every level, so a different one would never run (a physiotherapist shortened basis's holds to
    4 s in its step, and the device went on holding its start level's 6 s: a trial)."""
    if not programme.levels:
        return None
    start = programme.levels[programme.start_level - 1]
    problems = []
    steps = programme.steps
    for i, step in enumerate(steps, start=1):
        if start.hold_s is not None and step.kind == "lift" and not math.isinf(step.hold_s) \
                and step.hold_s != start.hold_s:
            problems.append((f"step {i}: hold_s", f"{step.hold_s:g}", "levels.hold_s", f"{start.hold_s:g}", "hold"))
        if start.relax_s is not None and step.kind == "relax" and not _after_squeeze(steps, i - 1) \
                and step.duration_s != start.relax_s:
            problems.append((f"step {i}: duration_s", f"{step.duration_s:g}", "levels.relax_s", f"{start.relax_s:g}",
                             "length of the relax steps"))
    if start.reps is not None and programme.reps != start.reps:
        problems.append(("reps", f"{programme.reps}", "levels.reps", f"{start.reps}", "repetitions"))
    if not problems:
        return None
    n = programme.start_level
    return ProgrammeError(path, "; ".join(
        f"{field} = {value} differs from {key} at level {n} ({runs}), where a new user starts: the levels set "
        f"the {what} at every level, so {value} would never be used -- write the same in both, or delete "
        f"[levels] to keep {value}" for field, value, key, runs, what in problems), field=problems[0][0])


def _name(path: Path, name: Any) -> str:
    if not isinstance(name, str):
        raise _bad(path, "name", f"must be a string, not {_tname(name)}")
    if name != path.stem:
        raise _bad(path, "name", f"'{name}' must equal the file name '{path.stem}'")
    if not _NAME_RE.match(name):
        raise _bad(path, "name", f"'{name}' must be lower-case letters, digits, '_' or '-'")
    return name


def _source(path: Path, source: Any) -> list[str]:
    if not isinstance(source, list) or not all(isinstance(s, str) and s.strip() for s in source):
        raise _bad(path, "source", "must be a list of non-empty strings, e.g. [\"002\"]")
    for reference in source:
        if _BROCHURE_RE.fullmatch(reference) and reference not in BROCHURES:
            raise _bad(path, "source", f"there is no brochure {reference} (they are {', '.join(BROCHURES)}); "
                                       "another reference is written out, e.g. \"NICE NG210\"")
    return source


def _steps(path: Path, raw_steps: Any, found: _Found) -> list[Step]:
    """The repetition's steps; each step's problems go to `found` (the list's own are raised)."""
    if not isinstance(raw_steps, list):
        raise _bad(path, "steps", f"must be [[steps]] tables, not {type(raw_steps).__name__} "
                                  f"{reprlib.repr(raw_steps)}")
    if not raw_steps:
        raise _bad(path, "steps", "needs at least one step ([[steps]] tables)")
    if len(raw_steps) > MAX_STEPS:
        raise _bad(path, "steps", f"are {len(raw_steps)}: a repetition has at most {MAX_STEPS} steps")
    steps: list[Step] = []
    for n, raw in enumerate(raw_steps, start=1):
        step = found.check(_step, path, f"step {n}", raw)
        if step is None:
            continue
        if step.kind == "floor" and (not steps or steps[-1].kind not in ("lift", "floor")):
            found.errors.append(ProgrammeError(path, f"step {n}: a 'floor' step must follow a lift or floor step "
                                                     "(it moves a lift that is being held)", field=f"step {n}: kind"))
        steps.append(step)
    return steps


def _levels(path: Path, raw: Any) -> tuple[tuple[Level, ...], int]:
    """The ``[levels]`` table: lists of one length, each value checked as the key itself, and
    the start level (1 to their length). () and 1 without one."""
    if raw is None:
        return (), 1
    keys = f"{', '.join(LEVEL_KEYS[:-1])} and/or {LEVEL_KEYS[-1]}"
    if not isinstance(raw, dict) or not raw:
        raise _bad(path, "levels", f"must be a table with {keys}, not {_tname(raw)}")
    if not set(raw) - {LEVELS_START}:
        raise _bad(path, "levels", f"needs {keys} (a list of one value per level) beside {LEVELS_START}")
    _check_keys(path, raw, (), LEVEL_KEYS + (LEVELS_START,), prefix="levels.")
    columns: dict[str, list] = {}
    for key, values in raw.items():
        if key == LEVELS_START:
            continue
        field = f"levels.{key}"
        if not isinstance(values, list) or not 1 <= len(values) <= MAX_LEVELS:
            raise _bad(path, field, f"must be a list of 1 to {MAX_LEVELS} values, one per level")
        columns[key] = [_int(path, f"{field}[{i + 1}]", v, 1, 50) if key == "reps"
                        else _number(path, f"{field}[{i + 1}]", v, 0.0, MAX_DURATION_S)
                        for i, v in enumerate(values)]
    n = _level_count(path, columns)
    start = _int(path, f"levels.{LEVELS_START}", raw.get(LEVELS_START, 1), 1, n)
    return tuple(Level(**{key: column[i] for key, column in columns.items()}) for i in range(n)), start


def _level_count(path: Path, columns: dict[str, list]) -> int:
    """The number of levels: the length every list must have. Where they differ, the odd
    one out is named against the length the others share; where no length is shared by
    most, every list's length is named."""
    lengths = {f"levels.{key}": len(column) for key, column in columns.items()}
    n, sharing = Counter(lengths.values()).most_common(1)[0]
    if sharing == len(lengths):
        return n
    if 2 * sharing <= len(lengths):
        listed = [f"{length} ({field})" for field, length in lengths.items()]
        raise _bad(path, "levels", f"lists must be of one length (one value per level), "
                                   f"not {', '.join(listed[:-1])} and {listed[-1]}")
    odd = next(field for field, length in lengths.items() if length != n)      # three lists, two alike
    others = " and ".join(field for field, length in lengths.items() if length == n)
    raise _bad(path, odd, f"has {lengths[odd]} value{'s' * (lengths[odd] != 1)}, expected {n} as {others} "
                          "have (one value per level)")


def _step(path: Path, where: str, raw: Any) -> Step:
    if not isinstance(raw, dict):
        raise _bad(path, where, f"must be a table ([[steps]]), not {_tname(raw)}")
    kind = raw.get("kind")
    if kind is None:
        raise ProgrammeError(path, f"{where}: missing key 'kind'", field=f"{where}: kind")
    if kind not in KINDS:
        raise ProgrammeError(path, f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}",
                             field=f"{where}: kind")
    required, optional = _KIND_KEYS[kind]
    step_fields = {f.name for f in fields(Step)}
    for key in raw:
        if key in ("kind", "assess") or key in required or key in optional:
            continue
        if key in step_fields:
            takes = ", ".join(sorted(required | optional)) or "no other keys"
            raise ProgrammeError(path, f"{where}: key '{key}' does not apply to a '{kind}' step "
                                              f"(it takes: {takes})", field=f"{where}: {key}")
        raise ProgrammeError(path, f"{where}: {_unknown(key, step_fields)}", field=f"{where}: {key}")
    for key in sorted(required):
        if key not in raw:
            raise ProgrammeError(path, f"{where}: a '{kind}' step needs {key}", field=f"{where}: {key}")

    values: dict[str, Any] = {"kind": kind}
    for key in ("duration_s", "rise_s", "inhale_s", "exhale_s"):
        if key in raw:
            values[key] = _number(path, f"{where}: {key}", raw[key], 0.0, MAX_DURATION_S)
    if "hold_s" in raw:
        hold = raw["hold_s"]
        if hold == "max" and kind == "lift":
            values["hold_s"] = math.inf
        elif isinstance(hold, str):
            allowed = "a number of seconds or \"max\"" if kind == "lift" else "a number of seconds"
            raise _bad(path, f"{where}: hold_s", f"must be {allowed}, not {hold!r}")
        else:
            values["hold_s"] = _number(path, f"{where}: hold_s", hold, 0.0, MAX_DURATION_S)
    if "floor" in raw:
        if "target_pct" in raw:
            raise ProgrammeError(path, f"{where}: give target_pct or floor, not both",
                                 field=f"{where}: floor")
        values["floor"] = _int(path, f"{where}: floor", raw["floor"], 1, 4)
        values["target_pct"] = floor_pct(values["floor"])
    if "target_pct" in raw:
        pct = raw["target_pct"]
        if kind == "breathe" and _is_number(pct) and pct == 0:
            values["target_pct"] = 0.0
        else:
            values["target_pct"] = _number(path, f"{where}: target_pct", pct, 5.0, 100.0, lo_open=False,
                                           what="0 (no lift) or between 5 and 100"
                                           if kind == "breathe" else "between 5 and 100")
    if "assess" in raw:
        part = raw["assess"]
        if not isinstance(part, str) or part not in ASSESS_PARTS:
            raise _bad(path, f"{where}: assess", f"must be one of {', '.join(ASSESS_PARTS)}, not {part!r}")
        if kind not in ASSESS_PARTS[part]:
            raise _bad(path, f"{where}: assess", f"{part!r} is measured by a "
                                                  f"{' or '.join(ASSESS_PARTS[part])} step, not a '{kind}' step")
        values["assess"] = part
    step = Step(**values)
    if kind == "breathe" and step.duration_s < step.inhale_s + step.exhale_s:
        raise _bad(path, f"{where}: duration_s", f"must be at least one breath "
                                                           f"(inhale_s + exhale_s = "
                                                           f"{step.inhale_s + step.exhale_s:g} s)")
    return step


# --- small checks ---------------------------------------------------------------------------

def _check_below_steps(path: Path, data: dict) -> None:
    """A programme's own key written among the steps: TOML gives every key below a [[steps]]
    line to that step, so it reads as the step's (or the programme's as missing)."""
    steps = data.get("steps")
    for n, step in enumerate(steps if isinstance(steps, list) else (), start=1):
        for key in step if isinstance(step, dict) else ():
            if key in _TOP_REQUIRED or key in _TOP_OPTIONAL:
                fix = ("is written again there: take it out of the step" if key in data
                       else "not a step's: write it before the steps")
                raise ProgrammeError(path, f"step {n}: '{key}' is the programme's, {fix} (every key after a "
                                           f"[[steps]] line belongs to that step)", field=f"step {n}: {key}")


def _check_keys(path: Path, data: dict, required, optional, prefix: str = "") -> None:
    problems = _key_problems(path, data, required, optional, prefix)
    if problems:
        raise problems[0]


def _key_problems(path: Path, data: dict, required, optional, prefix: str = "") -> list[ProgrammeError]:
    """Each key of `data` not known, then the `required` ones missing (one problem: *missing keys
    'about', 'source'*)."""
    known = set(required) | set(optional)
    where = prefix if not prefix.endswith(".") else prefix[:-1] + ": "    # "levels: unknown key ..."
    missing = [key for key in required if key not in data]
    named = ", ".join(f"'{key}'" for key in missing)
    return ([ProgrammeError(path, where + _unknown(key, known), field=prefix + str(key)) for key in data
             if key not in known]
            + ([ProgrammeError(path, f"missing key{'s' * (len(missing) > 1)} {named}", field=missing[0])]
               if missing else []))


def _unknown(key: str, known) -> str:
    close = difflib.get_close_matches(str(key), sorted(known), n=1)
    return f"unknown key '{key}'" + (f" (did you mean '{close[0]}'?)" if close else "")


CONTROL_CATEGORIES = ("Cc", "Cf", "Zl", "Zp")   # controls, format (text direction, zero width), line breaks


def _texts(path: Path, field: str, value: Any, *, allowed: str = "") -> dict[str, str]:
    """The `field` table of texts by language; `allowed`: the control characters it may hold."""
    if not isinstance(value, dict):
        raise _bad(path, field, f"must be a table with nl and en texts, not {_tname(value)}")
    for lang in _LANGUAGES:
        if lang not in value:
            raise _bad(path, f"{field}.{lang}", f"is missing: {field} needs 'nl' and 'en'")
    for lang, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise _bad(path, f"{field}.{lang}", "must be a non-empty string")
        control = next((c for c in text if unicodedata.category(c) in CONTROL_CATEGORIES and c not in allowed), None)
        if control is not None:
            raise _bad(path, f"{field}.{lang}", f"holds a control character (U+{ord(control):04X}): "
                                                "the screen and the report show plain text only")
    return dict(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(path: Path, field: str, value: Any, lo: float, hi: float, *, lo_open: bool = True,
            what: str | None = None) -> float:
    if not _is_number(value):
        raise _bad(path, field, f"must be a number, not {_tname(value)}")
    ok = math.isfinite(value) and (lo < value if lo_open else lo <= value) and value <= hi
    if not ok:
        if what is None:
            what = f"> {lo:g} and <= {hi:g} s" if lo_open else f">= {lo:g} and <= {hi:g} s"
        raise _bad(path, field, f"must be {what}, not {value!r}")
    return float(value)


def _int(path: Path, field: str, value: Any, lo: int, hi: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _bad(path, field, f"must be a whole number from {lo} to {hi}, not {_tname(value)}")
    if not lo <= value <= hi:
        raise _bad(path, field, f"must be a whole number from {lo} to {hi}, not {value}")
    return value


def _tname(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, float):
        return f"{value!r}"
    return {int: "a whole number", list: "a list", dict: "a table"}.get(type(value), type(value).__name__)
