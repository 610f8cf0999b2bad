"""A small EDF+ reader written from the specification (edfplus.info: "EDF+ specification",
2003, and "EDF specification", 1992), independent of `edfio`, that also checks what
EDFbrowser's EDF+ checker refuses: a header of printable ASCII with left-aligned fields, a
valid start date and time, EDF+ patient and recording subfields, a consistent size, and
an `EDF Annotations` signal whose every data record starts with its time-keeping TAL."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import numpy as np

HEADER_FIELDS = (("version", 8), ("patient", 80), ("recording", 80), ("startdate", 8), ("starttime", 8),
                 ("header_bytes", 8), ("reserved", 44), ("records", 8), ("record_s", 8), ("signals", 4))
SIGNAL_FIELDS = (("label", 16), ("transducer", 80), ("dimension", 8), ("physical_min", 8), ("physical_max", 8),
                 ("digital_min", 8), ("digital_max", 8), ("prefiltering", 80), ("samples", 8), ("reserved", 32))
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
TAL = re.compile(rb"([+-][0-9]+(?:\.[0-9]+)?)(?:\x15([0-9]+(?:\.[0-9]+)?))?\x14((?:[^\x00]*?\x14)*)\x00")


class NotEdfPlus(AssertionError):
    """The file breaks the EDF+ specification; the message says where."""


@dataclass
class EdfPlus:
    header: dict
    signals: list[dict]
    start: datetime.datetime
    digital: dict[str, np.ndarray] = field(default_factory=dict)        # by label
    annotations: list[tuple[float, float | None, str]] = field(default_factory=list)

    def physical(self, label: str) -> np.ndarray:
        s = next(s for s in self.signals if s["label"] == label)
        gain = (s["physical_max"] - s["physical_min"]) / (s["digital_max"] - s["digital_min"])
        return s["physical_min"] + (self.digital[label] - s["digital_min"]) * gain


def _field(raw: bytes, name: str) -> str:
    if any(b < 32 or b > 126 for b in raw):
        raise NotEdfPlus(f"{name}: not printable ASCII: {raw!r}")
    text = raw.decode("ascii")
    if text.startswith(" ") and text.strip():
        raise NotEdfPlus(f"{name}: not left-aligned: {text!r}")
    return text.rstrip(" ")


def _number(text: str, name: str) -> float:
    if not NUMBER.fullmatch(text):
        raise NotEdfPlus(f"{name}: not a number: {text!r}")
    return float(text)


def read(data: bytes) -> EdfPlus:
    """Parse and check a whole EDF+ file."""
    pos, header = 0, {}
    for name, width in HEADER_FIELDS:
        header[name] = _field(data[pos:pos + width], name)
        pos += width
    if header["version"] != "0":
        raise NotEdfPlus(f"version {header['version']!r}")
    if not header["reserved"].startswith(("EDF+C", "EDF+D")):
        raise NotEdfPlus(f"reserved {header['reserved']!r} is not EDF+C or EDF+D")
    n = int(_number(header["signals"], "signals"))
    if int(_number(header["header_bytes"], "header bytes")) != 256 * (n + 1):
        raise NotEdfPlus("header bytes != 256 * (signals + 1)")
    start = _start(header)
    signals: list[dict] = [{} for _ in range(n)]
    for name, width in SIGNAL_FIELDS:
        for s in signals:
            s[name] = _field(data[pos:pos + width], name)
            pos += width
    for s in signals:
        for name in ("physical_min", "physical_max", "digital_min", "digital_max", "samples"):
            s[name] = _number(s[name], f"{s['label']} {name}")
        if not -32768 <= s["digital_min"] < s["digital_max"] <= 32767 or s["physical_min"] == s["physical_max"]:
            raise NotEdfPlus(f"{s['label']}: bad ranges")
    annotation_signals = [s for s in signals if s["label"] == "EDF Annotations"]
    if len(annotation_signals) < 1 or annotation_signals[0]["dimension"]:
        raise NotEdfPlus("no EDF Annotations signal")
    records = int(_number(header["records"], "records"))
    record_s = _number(header["record_s"], "record duration")
    record_bytes = int(sum(s["samples"] for s in signals)) * 2
    if len(data) != 256 * (n + 1) + records * record_bytes:
        raise NotEdfPlus(f"size {len(data)} != header + {records} records of {record_bytes} bytes")
    edf = EdfPlus(header, signals, start)
    body = np.frombuffer(data, dtype="<i2", offset=256 * (n + 1)).reshape(records, -1)
    column = 0
    for s in signals:
        width = int(s["samples"])
        block = body[:, column:column + width]
        column += width
        if s["label"] == "EDF Annotations":
            _read_annotations(edf, block, record_s, first=s is annotation_signals[0])
        else:
            edf.digital[s["label"]] = block.reshape(-1).astype(np.int64)
    return edf


def _start(header: dict) -> datetime.datetime:
    day = re.fullmatch(r"([0-9]{2})\.([0-9]{2})\.([0-9]{2})", header["startdate"])
    clock = re.fullmatch(r"([0-9]{2})\.([0-9]{2})\.([0-9]{2})", header["starttime"])
    if not day or not clock:
        raise NotEdfPlus(f"start {header['startdate']!r} {header['starttime']!r}")
    yy = int(day[3])
    start = datetime.datetime(yy + (1900 if yy >= 85 else 2000), int(day[2]), int(day[1]),
                              int(clock[1]), int(clock[2]), int(clock[3]))
    patient = header["patient"].split(" ")
    if len(patient) < 4 or patient[1] not in ("M", "F", "X"):
        raise NotEdfPlus(f"patient {header['patient']!r}: not 'code sex birthdate name'")
    recording = header["recording"].split(" ")
    if len(recording) < 5 or recording[0] != "Startdate":
        raise NotEdfPlus(f"recording {header['recording']!r}: not 'Startdate dd-MMM-yyyy ...'")
    if recording[1] != f"{start.day:02d}-{MONTHS[start.month - 1]}-{start.year}":
        raise NotEdfPlus(f"recording's Startdate {recording[1]} is not the header's {header['startdate']}")
    return start


def _read_annotations(edf: EdfPlus, block: np.ndarray, record_s: float, first: bool) -> None:
    for index, record in enumerate(block):
        raw = record.tobytes()
        tals = list(TAL.finditer(raw))
        if raw.rstrip(b"\x00") and (not tals or raw[:tals[-1].end()].count(b"\x00") != len(tals)):
            raise NotEdfPlus(f"data record {index}: annotations that are not TALs: {raw[:60]!r}")
        if first:
            keeping = tals.pop(0) if tals else None
            if keeping is None or keeping[3] != b"\x14" or abs(float(keeping[1]) - index * record_s) > 1e-9:
                raise NotEdfPlus(f"data record {index}: does not start with its time-keeping TAL")
        for tal in tals:
            for text in tal[3].split(b"\x14")[:-1]:
                edf.annotations.append((float(tal[1]), None if tal[2] is None else float(tal[2]),
                                        text.decode("utf-8")))
