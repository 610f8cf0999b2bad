"""Mutated inputs for the loaders, drawn from a seeded `random.Random`.

Three kinds: byte-level (flips, cuts, splices, repeated lines, awkward tokens and
numbers) for what a damaged or hand-edited file looks like; TOML-aware (a value
replaced by one of another type or an extreme one, a key dropped or added), written
back as TOML, so that the checks behind the parser are reached too; and database rows
(a cell, or a member of a JSON cell, of another type) for what the readers of the
history take from a sound database holding damaged values.
"""

from __future__ import annotations

import copy
import datetime
import gzip
import json
import math
import random
import re
import sqlite3
import tomllib

TOKENS = (b"nan", b"inf", b"-inf", b"1e309", b"-0", b"0", b"-1", b"99999999999999999999999", b"1e-320",
          b"0x10", b"1_000", b'""', b"[]", b"{}", b"true", b"\x00", b"\xff\xfe", "\u0662.\u0665".encode(),
          "\u202e".encode(), b"\r\n", b"\n\n\n", b"=", b"[", b"]", b"[[steps]]", b"#", b",", b'"', b"\\",
          b"1979-05-27T07:32:00Z", b" " * 3000, b"# paused=", b"# resumed=1", b"# aborted=", b"t,perineal_kpa",
          b"# let_go=", b"# let_go=1", b"# max_drop_kpa=")
NUMBERS = ("0", "-0", "-1", "1e309", "1e-320", "nan", "inf", "99999999999999999999", "0.00001", "3600.5",
           "-3600", "123456789.123456789", "1.", ".5", "007")
VALUES = (0, -1, 1, 2**63 - 1, -2**63, 10**30, 0.0, -0.0, 1e308, 5e-324, math.nan, math.inf, -math.inf, "",
          "x" * 5000, "nl", "basis", "max", "\u0000", "../../etc/passwd", True, False, [], [1, "a"], {},
          {"nl": 1}, {"nl": "a", "en": "b", "de": "c"}, datetime.date(2024, 1, 1), datetime.time(7, 32),
          datetime.datetime(1970, 1, 1))
NUMBER = re.compile(rb"-?\d+(\.\d+)?")
MAX_GROWN_BYTES = 4 << 20      # a list grown by a mutation stays within this much TOML


# --- bytes -------------------------------------------------------------------------------------
def mutate_bytes(rng: random.Random, data: bytes, rounds: int = 3) -> bytes:
    """`data` changed `rounds` times by randomly chosen byte-level mutations."""
    for _ in range(rounds):
        data = rng.choice(BYTE_MUTATIONS)(rng, data)
    return data


def _span(rng: random.Random, data: bytes) -> tuple[int, int]:
    start = rng.randrange(len(data) + 1)
    return start, min(len(data), start + rng.choice((1, 2, 8, 64, 512)))


def _flip(rng, data):
    if not data:
        return data
    i = rng.randrange(len(data))
    return data[:i] + bytes((data[i] ^ (1 << rng.randrange(8)),)) + data[i + 1:]


def _token(rng, data):
    start, end = _span(rng, data)
    return data[:start] + rng.choice(TOKENS) + data[rng.choice((start, end)):]


def _random_bytes(rng, data):
    start, _ = _span(rng, data)
    return data[:start] + rng.randbytes(rng.choice((1, 4, 32))) + data[start:]


def _cut(rng, data):
    start, end = _span(rng, data)
    return data[:start] + data[end:]


def _truncate(rng, data):
    return data[:rng.randrange(len(data) + 1)]


def _splice(rng, data):
    start, end = _span(rng, data)
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[start:end] * rng.choice((1, 2, 50)) + data[at:]


def _lines(rng, data):
    lines = data.split(b"\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    if rng.random() < 0.5:
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines[i:i] = [lines[j]] * rng.choice((1, 3, 200))
    return b"\n".join(lines)


def _number(rng, data):
    found = list(NUMBER.finditer(data))
    if not found:
        return data
    m = rng.choice(found)
    return data[:m.start()] + rng.choice(NUMBERS).encode() + data[m.end():]


BYTE_MUTATIONS = (_flip, _token, _random_bytes, _cut, _truncate, _splice, _lines, _number, _number, _lines)


def maybe_gzip(rng: random.Random, data: bytes) -> bytes:
    """`data` as it is, gzip-compressed, or compressed and then damaged."""
    roll = rng.random()
    if roll < 0.6:
        return data
    packed = gzip.compress(data, mtime=0)
    return packed if roll < 0.85 else mutate_bytes(rng, packed, rounds=1)


# --- random recordings -----------------------------------------------------------------------
def random_recording(rng: random.Random) -> bytes:
    """A v1 recording that the format allows but no device would write: any length, odd
    steps in time (to long gaps), levels anywhere in range, flat or jumping, pauses."""
    seats = rng.random() < 0.7
    lines = ["# pftrainer-recording v1", "t,perineal_kpa,seat_left_kg,seat_right_kg" if seats else "t,perineal_kpa"]
    t_s = rng.choice((0.0, 0.001, 100.0))
    level_kpa, jump_kpa = rng.uniform(-1.2, 11.2), rng.choice((0.0, 0.001, 0.5, 12.0))
    for _ in range(rng.choice((1, 2, 10, 500, 3000))):
        t_s += rng.choice((0.0012, 0.02, 2.5, 700.0)) if rng.random() < 0.05 else 0.004
        level_kpa = min(11.2, max(-1.2, level_kpa + rng.uniform(-jump_kpa, jump_kpa)))
        row = f"{t_s:.4f},{level_kpa:.5f}"
        if seats:
            row += rng.choice((",30.000,30.000", ",,", ",0.000,75.000", f",{rng.uniform(-6, 76):.3f},"))
        lines.append(row)
        if rng.random() < 0.002:
            lines += [f"# paused={t_s:.4f} stood_up", f"# resumed={t_s + 1:.4f}"]
            t_s += 1
    if rng.random() < 0.3:
        lines.append("# aborted=stopped by SIGTERM")
    return ("\n".join(lines) + "\n").encode()


# --- TOML --------------------------------------------------------------------------------------
def mutate_toml(rng: random.Random, text: str, rounds: int = 2) -> str:
    """`text` (valid TOML) with `rounds` values replaced, keys dropped or keys added, and
    perhaps (last, so that no change lands on the copies) a list repeated many times."""
    data = tomllib.loads(text)
    for _ in range(rounds):
        parent, key = rng.choice(_slots(data))
        roll = rng.random()
        if roll < 0.7:
            parent[key] = copy.deepcopy(rng.choice(VALUES))     # never the pool's own list or dict
        elif roll < 0.85 and isinstance(parent, dict) and key in parent:
            del parent[key]
        elif isinstance(parent, dict):
            parent[rng.choice(("extra", "name", "kind", "steps", "nl"))] = copy.deepcopy(rng.choice(VALUES))
    lists = [(parent, key) for parent, key in _slots(data) if isinstance(_at(parent, key), list)]
    if lists and rng.random() < 0.2:
        parent, key = rng.choice(lists)
        parent[key] = _grown(rng, parent[key])
    return to_toml(data)


def _grown(rng: random.Random, items: list) -> list:
    """`items` repeated up to 20 000 times, to at most MAX_GROWN_BYTES of TOML."""
    times = min(rng.choice((2, 100, 20_000)), max(1, MAX_GROWN_BYTES // max(1, len(_value(items)))))
    return items * times


def _at(parent, key):
    return parent.get(key) if isinstance(parent, dict) else parent[key]


def _slots(value, parent=None, key=None) -> list[tuple[object, object]]:
    """Every (container, key or index) in a parsed document, the top level's own keys too."""
    found = [] if parent is None else [(parent, key)]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _slots(v, value, k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _slots(v, value, i)
    return found or [(value, "extra")]


def to_toml(data: dict) -> str:
    """A parsed document written back as TOML (values TOML cannot hold come out invalid,
    which is one more bad input)."""
    lines: list[str] = []
    _table(lines, data, "")
    return "\n".join(lines) + "\n"


def _is_table_array(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _table(lines: list[str], table: dict, name: str) -> None:
    nested = {k: v for k, v in table.items() if isinstance(v, dict) or _is_table_array(v)}
    for k, v in table.items():
        if k not in nested:
            lines.append(f"{json.dumps(k, ensure_ascii=False)} = {_value(v)}")
    for k, v in nested.items():
        full = f"{name}.{json.dumps(k, ensure_ascii=False)}" if name else json.dumps(k, ensure_ascii=False)
        if isinstance(v, dict):
            lines.append(f"[{full}]")
            _table(lines, v, full)
        else:
            for item in v:
                lines.append(f"[[{full}]]")
                _table(lines, item, full)


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, (datetime.date, datetime.time)):
        return v.isoformat()
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_value(x)}" for k, x in v.items()) + "}"


# --- database rows -------------------------------------------------------------------------------
ROW_VALUES = (None, "", "x", -1, 0, 10**12, 1e308, math.nan, 2.5, "2026-13-45", "1970-01-01T00:00:05", b"\xff")
JSON_VALUES = (None, "x", -1, 1e308, math.inf, [], {}, True, 3, [1, "a"], {"a": None}, "2026-13-45")
JSON_KEYS = ("kind", "start", "end", "detected_at", "level", "good", "reps", "cues", "errors", "assessment")


def mutate_database(rng: random.Random, db: sqlite3.Connection, rounds: int = 3) -> None:
    """Damage `rounds` cells of random rows, as a bad write or a hand edit would leave them:
    a value of another type (SQLite keeps any type in any column), or inside a JSON column
    one member of another type. The file itself stays a sound database."""
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for _ in range(rounds):
        table = rng.choice(tables)
        columns = [column for _, column, *_ in db.execute(f"PRAGMA table_info({table})")]
        rows = db.execute(f"SELECT rowid, * FROM {table}").fetchall()
        if not rows:
            continue
        row = rng.choice(rows)
        i = rng.randrange(len(columns))
        value = row[i + 1]
        try:
            inner = json.loads(value) if isinstance(value, str) and value[:1] in "{[" else None
        except ValueError:
            inner = None
        if isinstance(inner, (dict, list)) and inner and rng.random() < 0.8:
            _damage_member(rng, inner)
            new = json.dumps(inner)
        else:
            new = rng.choice(ROW_VALUES)
        try:
            db.execute(f"UPDATE {table} SET {columns[i]} = ? WHERE rowid = ?", (new, row[0]))
        except sqlite3.IntegrityError:        # a constraint the schema keeps (NOT NULL, UNIQUE)
            pass
    db.commit()


def _damage_member(rng: random.Random, value, depth: int = 0) -> None:
    """One member somewhere in the JSON `value` replaced by one of another type, or, in an
    object, now and then one added (a key its readers know, where it was not)."""
    if isinstance(value, dict) and rng.random() < 0.2:
        value[rng.choice(JSON_KEYS)] = rng.choice(JSON_VALUES)
        return
    keys = list(value) if isinstance(value, dict) else list(range(len(value)))
    key = rng.choice(keys)
    if depth < 4 and isinstance(value[key], (dict, list)) and value[key] and rng.random() < 0.6:
        _damage_member(rng, value[key], depth + 1)
    else:
        value[key] = rng.choice(JSON_VALUES)
