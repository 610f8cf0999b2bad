"""One kept session as EDF+ (written with `edfio`): its recording's signals on a fixed-rate
grid, and its events, pauses, gaps and scores as annotations.

Signals (16-bit): `Perineal` (kPa) and, when the recording has the seat columns, `Seat
left` and `Seat right` (kg; one whose column holds not one value is left out), at the
recording's `rate_hz` (default 250), in data records of 10 s, put on the grid by
`session.regrid`. Each signal's physical range is what the input chain can deliver
(`SampleLimits`, from the configured calibration; the header rounds it outward to 8
characters). The perineal signal's transducer field says which way it goes: the
cushion's pressure falls as the pelvic floor lifts.

EDF+ has no value for "no sample": a viewer draws every number in the file. A grid time
without a sample -- in a pause, in a gap, before the first sample, in the padding after
the last to the end of the last data record -- holds the nearest sample's value (the
last one before it; before the first, the first): a flat line, where a value outside the
samples' would be drawn as a swing that never was (a drop of perineal pressure is a
lift). The `pause <reason>` and `no samples` annotations say why the line is flat.

Annotations (onsets in the recording's seconds, EDF second = recording second):

- each analysis event: its kind and metrics (`contraction peak_drop_kpa=1.825 ...`),
  lasting from its start to its end (no duration while under way); a retracted one
  carries `retracted=<what> retracted_at=<s>`;
- `<kind> detected` when the live device raised it (what a cue on it would follow);
- `cue <id>` when the device gave each cue (screen and buzzer; the ids are README's, in
  `cues.jsonl`), for the sessions whose summary keeps them;
- `pause <reason>` from the `# paused=` to the `# resumed=` time;
- `no samples` over a gap of more than `BRIDGE_S` between two samples;
- at the last sample: `aborted: <reason>`, the session's `summary ...` and one
  `rep <series>.<rep> ...` per scored repetition (reps are stored without a time).

Header: no personal data -- the patient is `profile-N X X X` (the device's person N, so that two
people's files are told apart; no name, sex or birth date); the recording is `Startdate
<the session's day> X X pftrainer session-NNNNN <programme>`, started at the session's
`started_at` (to the second).
"""

from __future__ import annotations

import datetime
import json
import math
import re
from dataclasses import dataclass

import numpy as np
from edfio import Edf, EdfAnnotation, EdfSignal, Patient, Recording

from device.stored_values import listed, number, rows, table
from session.coach import MISTAKE_KINDS, stored_breath_judged_part, stored_breath_not_judged
from session.recording import SampleLimits
from session.recording_arrays import RecordingArrays
from session.regrid import gaps, regrid

DIGITAL_RANGE = (-32768, 32767)
DATA_RECORD_S = 10                 # long enough that the annotations' room in each record stays small
DEFAULT_RATE_HZ = 250
EQUIPMENT = "pftrainer"
EDF_YEARS = (1985, 2084)           # the years an EDF start date can hold
MAX_RATE_HZ = 1000
MAX_SPAN_S = 4 * 3600.0            # a longer recording is no session (a pause ends after 10 min)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ExportError(ValueError):
    """A session (or the whole export) cannot be written; the message says why."""


@dataclass(frozen=True)
class Channel:
    """One EDF signal: its header texts and the column of the recording it comes from."""

    label: str
    dimension: str
    transducer: str
    column: str


PERINEAL = Channel("Perineal", "kPa", "perineal air cushion, gauge pressure 0-10 kPa; falls as the pelvic floor lifts",
                   "perineal_kpa")
SEAT_LEFT = Channel("Seat left", "kg", "load cell under the left sitting bone", "seat_left_kg")
SEAT_RIGHT = Channel("Seat right", "kg", "load cell under the right sitting bone", "seat_right_kg")


def _rate_hz(recording: RecordingArrays) -> int:
    """The recording's nominal sample rate (`# rate_hz=`, default 250), in whole Hz."""
    text = recording.metadata.get("rate_hz", str(DEFAULT_RATE_HZ))
    if not re.fullmatch(r"[0-9]{1,4}", text) or not 1 <= int(text) <= MAX_RATE_HZ:
        raise ExportError(f"its recording's rate_hz={text[:20]} is not a whole number of samples per second "
                          f"from 1 to {MAX_RATE_HZ}")
    return int(text)


def session_edf(recording: RecordingArrays, session: dict, events: list[dict], limits: SampleLimits) -> Edf:
    """The EDF+ file of a stored `session` (a `Store.recorded` row) with its `recording`
    and `events` (`Store.events`); ExportError when its start cannot be put in EDF."""
    started = _start(session, recording)
    rate_hz = _rate_hz(recording)
    last_s = float(recording.t_s[-1])
    if last_s > MAX_SPAN_S:
        raise ExportError(f"its recording spans {last_s / 3600:.1f} h, more than a session "
                          f"({MAX_SPAN_S / 3600:.0f} h at most)")
    grid_points = math.floor(last_s * rate_hz + 0.5) + 1        # up to the last sample's nearest
    records = math.ceil(grid_points / (rate_hz * DATA_RECORD_S))
    channels = [(PERINEAL, limits.perineal_kpa)]
    if recording.seat_left_kg is not None:
        channels += [(SEAT_LEFT, limits.seat_left_kg), (SEAT_RIGHT, limits.seat_right_kg)]
    signals = []
    for channel, physical_range in channels:
        values = regrid(recording.t_s, getattr(recording, channel.column), recording.stretch,
                        rate_hz, records * rate_hz * DATA_RECORD_S)
        if np.isnan(values[0]):
            continue                    # a seat column with not one value: nothing to draw
        signals.append(EdfSignal(values, rate_hz, label=channel.label,
                                 transducer_type=channel.transducer, physical_dimension=channel.dimension,
                                 physical_range=physical_range, digital_range=DIGITAL_RANGE,
                                 prefiltering=f"none; put on the {rate_hz} Hz grid by linear interpolation, "
                                              "held where no sample"))
    return Edf(signals, patient=Patient(code=f"profile-{session['profile']}"),
               recording=Recording(startdate=started.date(), equipment_code=EQUIPMENT,
                                   additional=(f"session-{session['id']:05d}", _subfield(session["program"]))),
               starttime=started.time(), data_record_duration=DATA_RECORD_S,
               annotations=annotations(recording, session, events))


def _start(session: dict, recording: RecordingArrays) -> datetime.datetime:
    """When the session began: as the database keeps it, else -- that cell damaged (a fault
    campaign: the session could not be exported at all) -- as its recording's header says it."""
    for said in (session["started_at"], recording.metadata.get("started_at")):
        try:
            started = datetime.datetime.fromisoformat(said).replace(microsecond=0, tzinfo=None)
            break
        except (TypeError, ValueError):
            continue
    else:
        raise ExportError(f"its start {session['started_at']!r} is not a date and time, "
                          "nor its recording's") from None
    if not EDF_YEARS[0] <= started.year <= EDF_YEARS[1]:
        raise ExportError(f"it started {session['started_at']}, a date EDF cannot hold "
                          f"({EDF_YEARS[0]}-{EDF_YEARS[1]}): the device's clock was wrong")
    return started


def _subfield(text: str) -> str:
    """`text` as an EDF+ header subfield: printable ASCII without spaces, at most 30 characters."""
    return re.sub(r"[^!-~]", "_", text)[:30] or "X"


def _words(values: dict) -> str:
    """` key=value` for each value that is there (JSON numbers and booleans, strings as they are)."""
    return "".join(f" {key}={value if isinstance(value, str) else json.dumps(value)}"
                   for key, value in values.items() if value is not None)


def annotations(recording: RecordingArrays, session: dict, events: list[dict]) -> list[EdfAnnotation]:
    """What the EDF+ file says happened, as listed in this module's docstring."""
    out = []
    for event in events:
        start_s, end_s = event["start"], event["end"]
        metrics = {k: v for k, v in event.items() if k not in ("kind", "start", "end", "detected_at")}
        out.append(EdfAnnotation(start_s, _duration(start_s, end_s), event["kind"] + _words(metrics)))
        out.append(EdfAnnotation(event["detected_at"], None, f"{event['kind']} detected"))
    summary = session["summary"]
    for cue in listed((summary or {}).get("cues")):
        if isinstance(cue, list) and len(cue) == 2 and number(cue[0]) is not None:
            out.append(EdfAnnotation(cue[0], None, f"cue {cue[1]}"))
    for pause in recording.pauses:
        out.append(EdfAnnotation(pause.start_s, _duration(pause.start_s, pause.end_s), f"pause {pause.reason}".strip()))
    for start_s, end_s in gaps(recording.t_s, recording.stretch):
        out.append(EdfAnnotation(start_s, _duration(start_s, end_s), "no samples"))
    last_s = float(recording.t_s[-1])
    if recording.aborted is not None:
        out.append(EdfAnnotation(last_s, None, f"aborted: {recording.aborted}"))
    if summary is not None:
        out.append(EdfAnnotation(last_s, None, "summary" + _summary_words(summary)))
        for rep in rows(summary.get("reps")):
            out.append(EdfAnnotation(last_s, None, f"rep {rep.get('series')}.{rep.get('rep')}" + _words({
                "contraction_score": table(rep.get("contraction")).get("score"),
                "relaxation_score": table(rep.get("relaxation")).get("score")})))
    return [a._replace(text=_CONTROL.sub(" ", a.text)) for a in out]      # TALs are delimited by controls


def _duration(start_s: float, end_s: float | None) -> float | None:
    """Seconds from `start_s` to `end_s`, to the microsecond; None without an end."""
    return None if end_s is None or end_s < start_s else round(end_s - start_s, 6)


def _summary_words(summary: dict) -> str:
    perfect = table(summary.get("perfect"))
    errors = table(summary.get("errors"))
    return _words({"reps": len(rows(summary.get("reps"))),
                   "contraction_score": summary.get("contraction_score"),
                   "relaxation_score": summary.get("relaxation_score"),
                   "power_kpa": perfect.get("power"), "endurance_s": perfect.get("endurance_s"),
                   **{f"errors_{kind}": errors.get(kind) for kind in MISTAKE_KINDS},
                   **({"errors_breath_hold": None} if stored_breath_not_judged(summary) else {}),
                   "holds_breath_judged": stored_breath_judged_part(summary)})
