"""Recording format v1: the cushion signal of one session as CSV text.

    # pftrainer-recording v1
    # key=value            (optional metadata lines, ignorable but for two:)
    # rate_hz=250          (the sampling rate, and how many samples' slots the device
    # analysed_every=2      analysed as one: `session.pairs`; 1 if absent)
    t,perineal_kpa,seat_left_kg,seat_right_kg
    0.0000,2.51234,27.100,26.800
    # paused=12.3400 stood_up
    # resumed=40.0120
    # aborted=stopped by SIGTERM

`t` is seconds from the start, strictly increasing but not evenly spaced; the seat
columns are optional (absent from the header, or empty cells). The device marks a
pause (nothing is recorded until `# resumed=`) and a session that ended early
(`# aborted=<reason>`, the last line). Readers stream the file line by line; writers
buffer rows and flush whole lines.

Reading is strict: a cell is a plain ASCII decimal (`-?[0-9]+(.[0-9]+)?`: no
underscores, exponents, other scripts' digits, `nan` or `inf`), a value lies within
what the input chain can deliver (`SampleLimits`), and time neither goes back, nor
steps less than `MIN_TIME_STEP_S`, nor jumps more than `MAX_TIME_STEP_S`. Anything else is a `RecordingError` naming the
file and line.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from session.pairs import PAIRS_FROM_HZ
from session.recording_file import HeaderOnly, NoSamples, RecordingError, blaming_damaged_gzip, text_lines

__all__ = ["MAGIC", "COLUMNS", "Row", "HeaderOnly", "NoSamples", "RecordingError", "RecordingWriter", "SampleLimits",
           "RecordingParser", "read_rows", "open_rows", "MIN_TIME_STEP_S", "MIN_STEP_TAKEN_S",
           "MAX_TIME_STEP_S", "T_DECIMALS", "KPA_DECIMALS", "KG_DECIMALS", "T_STEPS", "KPA_STEPS", "KG_STEPS"]

MAGIC = "# pftrainer-recording v1"
COLUMNS = ("t", "perineal_kpa", "seat_left_kg", "seat_right_kg")
T_DECIMALS, KPA_DECIMALS, KG_DECIMALS = 4, 5, 3     # what a row keeps of a sample: 0.1 ms, 0.01 Pa, 1 g
# ... as steps a unit: round(x * STEPS) / STEPS is a value a row keeps (n / 10**d is the double nearest
# n * 10**-d, which a row's text reads back as exactly), at half the cost of round(x, d) on the device
T_STEPS, KPA_STEPS, KG_STEPS = 10.0 ** T_DECIMALS, 10.0 ** KPA_DECIMALS, 10.0 ** KG_DECIMALS
_ROW = f"%.{T_DECIMALS}f,%.{KPA_DECIMALS}f,%.{KG_DECIMALS}f,%.{KG_DECIMALS}f\n"   # as `RecordingWriter.write` writes it
MIN_TIME_STEP_S = 0.0005       # samples closer are faster than the ADC converts (860 a second at most) ...
MIN_STEP_TAKEN_S = MIN_TIME_STEP_S - 0.00005   # ... less half the 0.1 ms the rows' times are written in (an
                                               # exact 0.5 ms is taken whichever way its two times were rounded)
MAX_TIME_STEP_S = 3600.0       # samples further apart are a broken clock, not a pause (the device
                               # gives a pause up after 10 minutes)
PAUSE_SLACK_S = 0.05           # a pause is stamped with the time of the sample before it ...
RESUME_SLACK_S = 0.5           # ... a resume when it happens, the sample after it when its conversion began:
                               # a tick before, or more on a busy Pi whose loop ran late (a recording is not
                               # refused for that), but never before the pause

Row = tuple[float, float, "float | None", "float | None"]


class RecordingWriter:
    """Writes a v1 recording to a text stream. `metadata` becomes `# key=value` lines."""

    def __init__(self, stream: IO[str], metadata: dict[str, object] | None = None,
                 with_seat: bool = True) -> None:
        self._stream = stream
        self._with_seat = with_seat
        lines = [MAGIC]
        for key, value in (metadata or {}).items():
            text = str(value)
            if "\n" in text or "=" in str(key):
                raise ValueError(f"metadata {key!r} cannot be written on one line")
            lines.append(f"# {key}={text}")
        lines.append(",".join(COLUMNS if with_seat else COLUMNS[:2]))
        stream.write("\n".join(lines) + "\n")

    def write(self, t_s: float, perineal_kpa: float, left_kg: float | None = None,
              right_kg: float | None = None) -> None:
        if self._with_seat:
            left = "" if left_kg is None else f"{left_kg:.{KG_DECIMALS}f}"
            right = "" if right_kg is None else f"{right_kg:.{KG_DECIMALS}f}"
            self._stream.write(f"{t_s:.{T_DECIMALS}f},{perineal_kpa:.{KPA_DECIMALS}f},{left},{right}\n")
        else:
            self._stream.write(f"{t_s:.{T_DECIMALS}f},{perineal_kpa:.{KPA_DECIMALS}f}\n")

    def write_rows(self, t_s, perineal_kpa, left_kg, right_kg) -> None:
        """Rows from four equally long columns (seat values all present): the lines `write`
        would give, formatted in one go."""
        self._stream.write("".join(map(_ROW.__mod__, zip(t_s, perineal_kpa, left_kg, right_kg))))

    def flush(self) -> None:
        self._stream.flush()


ADC_CODES = 32768              # ADS1115: 16-bit signed, full scale = 32768 codes
ADC_MARGIN_CODES = 4           # the converter's offset and noise around a rail (0.5 mV at +-4.096 V)


@dataclass(frozen=True)
class SampleLimits:
    """The values a sample can take, per column: (lowest, highest) in kPa or kg."""

    perineal_kpa: tuple[float, float]
    seat_left_kg: tuple[float, float]
    seat_right_kg: tuple[float, float]

    @classmethod
    def from_calibration(cls, calibration, full_scale_v: float) -> SampleLimits:
        """What the cushion's input chain can deliver: each ADC input between 0 V and the
        sensors' supply (or the ADC's full scale, if lower), a few converter codes either
        side, through the configured calibration. `calibration` is the config's
        `[calibration]` (`perineal.offset_v`, `.v_per_kpa`, `.supply_v`; `seat_left` and
        `seat_right`: `.zero_v`, `.v_per_kg`). With the defaults: -1.25 to 11.25 kPa,
        -6.26 to 76.26 kg."""
        per = calibration.perineal
        margin_v = ADC_MARGIN_CODES * full_scale_v / ADC_CODES
        low_v, high_v = -margin_v, min(per.supply_v, full_scale_v) + margin_v

        def span(zero_v: float, v_per_unit: float) -> tuple[float, float]:
            return ((low_v - zero_v) / v_per_unit, (high_v - zero_v) / v_per_unit)
        return cls(span(per.offset_v, per.v_per_kpa),
                   span(calibration.seat_left.zero_v, calibration.seat_left.v_per_kg),
                   span(calibration.seat_right.zero_v, calibration.seat_right.v_per_kg))

    @classmethod
    def finite(cls) -> SampleLimits:
        """Any finite value (for data that did not come through the device's input chain)."""
        span = (-sys.float_info.max, sys.float_info.max)
        return cls(span, span, span)


_NUMBER = r"-?[0-9]+(?:\.[0-9]+)?"           # ASCII only: [0-9], never \d
_NUMBER_RE = re.compile(_NUMBER)
_SEAT_ROW = re.compile(rf"({_NUMBER}),({_NUMBER}),({_NUMBER})?,({_NUMBER})?\r?\n?")
_PERINEAL_ROW = re.compile(rf"({_NUMBER}),({_NUMBER})\r?\n?")
_OTHER_VERSION = re.compile(re.escape(MAGIC[:-1]) + r"([0-9][0-9.]*)")     # a first line of another version
_PAUSED = re.compile(rf"#\s*paused=({_NUMBER})(?:\s+(.*?))?\s*")
_RESUMED = re.compile(rf"#\s*resumed=({_NUMBER})\s*")
_ABORTED = re.compile(r"#\s*aborted=(.*?)\s*")
_MARKER = re.compile(r"#\s*(paused|resumed|aborted)=")
_MAXIMUM_KEY = re.compile(r"#\s*max_drop_kpa=")
_MAXIMUM = re.compile(rf"#\s*max_drop_kpa=({_NUMBER})\s*")
_LET_GO_KEY = re.compile(r"#\s*let_go=")
_PAIRING = re.compile(r"#\s*(rate_hz|analysed_every)=(.*?)\s*")     # header lines a replay needs
_LET_GO = re.compile(rf"#\s*let_go=({_NUMBER})\s*")
# a run of sample lines as the device writes them (every cell filled, "\n" ends): a bulk reader's
_SEAT_BLOCK = re.compile(rf"(?:{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}\n)*")
_PERINEAL_BLOCK = re.compile(rf"(?:{_NUMBER},{_NUMBER}\n)*")

# what `RecordingParser.feed` found on a line
NOTHING, SAMPLE, PAUSED, RESUMED, ABORTED, MAXIMUM, LET_GO_TAKEN = range(7)


class RecordingParser:
    """Reads a v1 recording one line at a time and checks every line.

    `feed(line)` returns what the line held: SAMPLE (then `t_s`, `perineal_kpa`,
    `left_kg`, `right_kg` hold it; a seat value is None when absent), PAUSED or RESUMED
    (`mark_t_s`, and `reason` for a pause), ABORTED (`aborted` is the reason), MAXIMUM
    (`max_drop_kpa`: the user's maximum the session knew from there on), LET_GO_TAKEN
    (`let_go_t_s`: the coach took the bear-down detected at that sample for the floor letting
    go, as the sample after the line was analysed) or NOTHING (header, metadata, blank).
    `finish()` checks the end of the file. A sample costs one regular-expression match and a
    float per cell; nothing is kept per line.
    """

    def __init__(self, source: str = "<recording>", limits: SampleLimits | None = None) -> None:
        self.source = source
        self.limits = limits = limits or SampleLimits.finite()
        self._kpa_low, self._kpa_high = limits.perineal_kpa
        self._left_low, self._left_high = limits.seat_left_kg
        self._right_low, self._right_high = limits.seat_right_kg
        self.line_no = 0
        self.samples = 0
        self.columns: tuple[str, ...] = ()
        self._row = None                  # the fullmatch of a sample line, once the columns are known
        self._with_seat = False
        self._last_t = -math.ulp(0.0)     # so the first sample may be at 0.0
        self._next_t = 0.0                # the earliest the next sample may be
        self.t_s = self.perineal_kpa = 0.0
        self.left_kg = self.right_kg = None
        self.mark_t_s = 0.0
        self.reason = ""
        self.paused = False
        self._resumed = False             # the last sample time known is a resume's (none since)
        self.aborted: str | None = None
        self.max_drop_kpa: float | None = None
        self.let_go_t_s = 0.0
        self.rate_hz: float | None = None     # the header's: the sampling rate ...
        self.analysed_every = 1               # ... and how many samples' slots the device analysed as one
        self._bad_rate: tuple[int, str] | None = None     # a rate line that is no rate: where, what

    def _where(self) -> str:
        return f"{self.source}, line {self.line_no}"

    # --- the per-sample path ------------------------------------------------------------
    def feed(self, line: str) -> int:
        self.line_no += 1
        row = self._row
        match = row(line) if row is not None else None
        if match is None or self.paused or self.aborted is not None:
            return self._other(line)
        t = float(match[1])
        kpa = float(match[2])
        if not (self._next_t <= t <= self._last_t + MAX_TIME_STEP_S
                and self._kpa_low <= kpa <= self._kpa_high):
            self._refuse(line)
        left = right = None
        if self._with_seat:
            cell = match[3]
            if cell is not None:
                left = float(cell)
                if not self._left_low <= left <= self._left_high:
                    self._refuse(line)
            cell = match[4]
            if cell is not None:
                right = float(cell)
                if not self._right_low <= right <= self._right_high:
                    self._refuse(line)
        self._last_t = self.t_s = t
        self._next_t = t + MIN_STEP_TAKEN_S
        self._resumed = False
        self.perineal_kpa = kpa
        self.left_kg = left
        self.right_kg = right
        self.samples += 1
        return SAMPLE

    # --- a run of samples, for a reader that checks them in bulk ----------------------------------
    @property
    def last_t_s(self) -> float:
        """The time of the last sample read (before the first: just below 0, so it may be 0)."""
        return self._last_t

    @property
    def next_t_s(self) -> float:
        """The earliest time the next sample may have (`MIN_STEP_TAKEN_S` after the last one,
        or just after a resume's slack)."""
        return self._next_t

    def plain_block(self, text: str) -> bool:
        """`text` (whole lines) is only sample lines with every cell filled, as the device
        writes them, where samples may come (the columns known, not paused, not aborted): a
        bulk reader may convert and check them at once, then `accept_block`. Anything else
        goes through `feed`, which names what is wrong."""
        if not self.columns or self.paused or self.aborted is not None:
            return False
        return (_SEAT_BLOCK if self._with_seat else _PERINEAL_BLOCK).fullmatch(text) is not None

    def accept_block(self, lines: int, last: Row) -> None:
        """`lines` sample lines of a `plain_block`, which the bulk reader checked as `feed`
        would (the first from `next_t_s`, each at least `MIN_STEP_TAKEN_S` and at most
        `MAX_TIME_STEP_S` after the one before; each value within `limits`); `last` is their
        final sample."""
        self.line_no += lines
        self.samples += lines
        self._last_t = self.t_s = last[0]
        self._next_t = last[0] + MIN_STEP_TAKEN_S
        self._resumed = False
        self.perineal_kpa, self.left_kg, self.right_kg = last[1], last[2], last[3]

    # --- everything else ------------------------------------------------------------------
    def _other(self, line: str) -> int:
        text = line.strip()
        if self.line_no == 1:
            if text != MAGIC:
                raise RecordingError(f"{self._where()}: {_first_line_refused(text)}")
            return NOTHING
        if not self.columns:
            if text.startswith("#"):
                self._pairing(text)
            if not text or text.startswith("#"):
                return NOTHING
            if self.analysed_every != 1 and self.rate_hz is None:
                if self._bad_rate is not None:
                    line_no, rate_text = self._bad_rate
                    raise RecordingError(f"{self.source}, line {line_no}: {rate_text[:40]!r} is no sampling rate "
                                         f"above 0, which '# analysed_every={self.analysed_every}' needs")
                raise RecordingError(f"{self._where()}: '# analysed_every={self.analysed_every}' needs the "
                                     "sampling rate in the header ('# rate_hz=<samples a second>', above 0)")
            if self.analysed_every == 2 and self.rate_hz < PAIRS_FROM_HZ:
                raise RecordingError(f"{self._where()}: '# analysed_every=2' at '# rate_hz={self.rate_hz:g}': the "
                                     f"device analyses samples in pairs only at {PAIRS_FROM_HZ:g} Hz or more")
            names = tuple(name.strip() for name in text.split(","))
            if names not in (COLUMNS, COLUMNS[:2]):
                raise RecordingError(f"{self._where()}: expected the column line "
                                     f"'{','.join(COLUMNS)}' (seat columns optional)")
            self.columns = names
            self._with_seat = len(names) == 4
            self._row = (_SEAT_ROW if self._with_seat else _PERINEAL_ROW).fullmatch
            return NOTHING
        if not text:
            return NOTHING
        if text.startswith("#"):
            return self._marker(text)
        self._refuse(line)

    def _marker(self, text: str) -> int:
        kind = _MARKER.match(text)
        if kind is None:
            if _MAXIMUM_KEY.match(text):
                return self._maximum(text)
            if _LET_GO_KEY.match(text):
                return self._let_go(text)
            return NOTHING                  # a comment or metadata: ignorable
        if self.aborted is not None:
            raise RecordingError(f"{self._where()}: '# {kind[1]}=' after '# aborted='")
        if kind[1] == "aborted":
            self.aborted = _ABORTED.fullmatch(text)[1] or "no reason given"
            return ABORTED
        match = (_PAUSED if kind[1] == "paused" else _RESUMED).fullmatch(text)
        if match is None or not math.isfinite(float(match[1])) or float(match[1]) < 0.0:
            raise RecordingError(f"{self._where()}: expected '# {kind[1]}=<seconds>"
                                 f"{' <reason>' if kind[1] == 'paused' else ''}', got {text[:40]!r}")
        if self.paused == (kind[1] == "paused"):
            raise RecordingError(f"{self._where()}: '# {kind[1]}=' " +
                                 ("while already paused" if self.paused else "without a '# paused=' before it"))
        mark_t_s = float(match[1])
        paused_t_s = self.mark_t_s
        if self.paused:
            if mark_t_s < paused_t_s:
                raise RecordingError(f"{self._where()}: '# resumed={match[1]}' is before its '# paused="
                                     f"{paused_t_s:g}'")
        elif mark_t_s < self._last_t - PAUSE_SLACK_S:
            raise RecordingError(f"{self._where()}: '# paused={match[1]}' is before the sample above it "
                                 f"(t={self._last_t:g})")
        self.mark_t_s = mark_t_s
        self.paused = kind[1] == "paused"
        if self.paused:
            self.reason = match[2] or ""
            return PAUSED
        after_s = max(paused_t_s, mark_t_s - RESUME_SLACK_S)    # the samples after it come after these
        if self._last_t < after_s:
            self._last_t = after_s
            self._next_t = max(self._next_t, math.nextafter(after_s, math.inf))
            self._resumed = True
        return RESUMED

    def _pairing(self, text: str) -> None:
        """A header line saying how the device analysed the samples (`session.pairs`); a
        rate that is no plain positive number is kept as none (only pairs need it)."""
        match = _PAIRING.fullmatch(text)
        if match is None:
            return
        if match[1] == "rate_hz":
            rate = float(match[2]) if _NUMBER_RE.fullmatch(match[2]) else 0.0
            self.rate_hz = rate if 0.0 < rate < math.inf else None
            self._bad_rate = None if self.rate_hz is not None else (self.line_no, text)
        elif match[2] in ("1", "2"):
            self.analysed_every = int(match[2])
        else:
            raise RecordingError(f"{self._where()}: expected '# analysed_every=1' or '=2', got {text[:40]!r}")

    def _maximum(self, text: str) -> int:
        match = _MAXIMUM.fullmatch(text)
        if match is None or not 0.0 < float(match[1]) < math.inf:
            raise RecordingError(f"{self._where()}: expected '# max_drop_kpa=<kPa above 0>', got {text[:40]!r}")
        self.max_drop_kpa = float(match[1])
        return MAXIMUM

    def _let_go(self, text: str) -> int:
        match = _LET_GO.fullmatch(text)
        if self.aborted is not None or self.paused:      # taken at a sample: never between them
            raise RecordingError(f"{self._where()}: '# let_go=' " +
                                 ("after '# aborted='" if self.aborted is not None else "while paused"))
        t_s = float(match[1]) if match is not None else -1.0
        if t_s < 0.0:
            raise RecordingError(f"{self._where()}: expected '# let_go=<seconds>', got {text[:40]!r}")
        if t_s > self._last_t:
            raise RecordingError(f"{self._where()}: '# let_go={match[1]}' is after the sample above it "
                                 f"(t={max(self._last_t, 0.0):g}): a bear-down is taken for letting go once seen")
        self.let_go_t_s = t_s
        return LET_GO_TAKEN

    def _refuse(self, line: str) -> None:
        """Raise the RecordingError that says what is wrong with the sample `line`."""
        where = self._where()
        if self.aborted is not None:
            raise RecordingError(f"{where}: a sample after '# aborted='")
        if self.paused:
            raise RecordingError(f"{where}: a sample between '# paused=' and '# resumed='")
        cells = _without_line_end(line).split(",")
        if len(cells) != len(self.columns):
            cut = "" if line.endswith("\n") else " (the file ends in the middle of this line: cut short?)"
            raise RecordingError(f"{where}: {len(cells)} field{'' if len(cells) == 1 else 's'}, "
                                 f"expected {len(self.columns)}{cut}")
        lows_highs = (None, self.limits.perineal_kpa, self.limits.seat_left_kg, self.limits.seat_right_kg)
        for i, (column, cell) in enumerate(zip(self.columns, cells)):
            if i >= 2 and cell == "":
                continue                    # a seat value not read
            value = _strict_number(cell, column, where)
            if i == 0:
                if self._resumed and value <= self._last_t:
                    raise RecordingError(f"{where}: t={cell} is before the '# resumed={self.mark_t_s:g}' above it")
                _check_time(value, self._last_t, where)
                if value < self._next_t:
                    raise RecordingError(f"{where}: t={cell} is less than {1000 * MIN_TIME_STEP_S:g} ms after the "
                                         f"sample before it: faster than the ADC converts (860 a second at most)")
            elif not lows_highs[i][0] <= value <= lows_highs[i][1]:
                low, high = lows_highs[i]
                raise RecordingError(f"{where}: {column} = {cell} is outside what the sensor can "
                                     f"produce ({low:.2f} to {high:.2f})")
        raise RecordingError(f"{where}: not a sample line: {line[:40]!r}")

    def finish(self) -> None:
        """At the end of the file: refuse a file without samples."""
        if self.line_no == 0:
            raise NoSamples(f"{self.source}: empty file")
        if not self.columns:
            raise NoSamples(f"{self.source}: no column line and no samples")
        if self.samples == 0:
            ended = f" (aborted: {self.aborted})" if self.aborted is not None else ""
            raise HeaderOnly(f"{self.source}: a header and no samples{ended}")


def _first_line_refused(text: str) -> str:
    """Why a recording whose first line is `text` (stripped), not `MAGIC`, is refused: written in
    another version of the format (*missing header v1* read as no header at all: a trial), or
    with no header."""
    other = _OTHER_VERSION.fullmatch(text)
    if other is None:
        return f"missing header {MAGIC!r}"
    return (f"{text[:40]!r}: version {other[1]} of the recording format is not supported by this version of "
            f"pftrainer, which reads version 1 ({MAGIC!r})")


def _without_line_end(line: str) -> str:
    if line.endswith("\n"):
        line = line[:-1]
    return line[:-1] if line.endswith("\r") else line


def _strict_number(cell: str, column: str, where: str) -> float:
    if _NUMBER_RE.fullmatch(cell):
        value = float(cell)
        if math.isfinite(value):
            return value
        raise RecordingError(f"{where}: {column} is not a finite number: {cell[:20]!r}")
    try:
        value = float(cell)
    except ValueError:
        raise RecordingError(f"{where}: {column} is not a number: {cell[:20]!r}") from None
    if not math.isfinite(value):
        raise RecordingError(f"{where}: {column} is not a finite number: {cell[:20]!r}")
    raise RecordingError(f"{where}: {column} is not a number in plain ASCII decimals "
                         f"(digits 0-9, '.', '-'): {cell[:20]!r}")


def _check_time(t: float, last_t: float, where: str) -> None:
    if t < 0.0:
        raise RecordingError(f"{where}: negative time t={t}")
    if t <= last_t:
        raise RecordingError(f"{where}: time goes backwards or repeats (t={t} after {last_t})")
    previous = max(last_t, 0.0)
    if t - previous > MAX_TIME_STEP_S:
        raise RecordingError(f"{where}: time jumps {t - previous:.0f} s (t={t} after {previous}): "
                             f"more than {MAX_TIME_STEP_S:.0f} s between samples is a broken clock")


def read_rows(lines: Iterable[str], source: str = "<recording>",
              limits: SampleLimits | None = None) -> Iterator[Row]:
    """Yield (t, perineal_kpa, seat_left_kg | None, seat_right_kg | None), checking every
    line; pause and abort lines are checked and skipped."""
    parser = RecordingParser(source, limits)
    feed = parser.feed
    for line in lines:
        if feed(line) == SAMPLE:
            yield (parser.t_s, parser.perineal_kpa, parser.left_kg, parser.right_kg)
    parser.finish()


def open_rows(path, limits: SampleLimits | None = None) -> Iterator[Row]:
    """Stream the rows of the recording at `path`, plain or gzip (errors name the file and line)."""
    with blaming_damaged_gzip(path):
        yield from read_rows(text_lines(path), str(path), limits)
