"""What a TOML syntax error most likely means, for the one line a user reads: Dutch numbers
are written with a decimal comma (1,5), which TOML reads as the end of a value; true and false
are written so, lower case (`calibrate = ja` is no value); Notepad and the like save "UTF-8 with
BOM", a mark TOML does not allow before the first key."""

from __future__ import annotations

import re
import tomllib

_AT_LINE = re.compile(r"at line (\d+), column (\d+)")
_DECIMAL_COMMA = re.compile(r"=\s*[-+]?\d+,\d")
# a list of seconds (`hold_s = [...]`, over lines too, comments in it)
_ARRAY = re.compile(r"^[ \t]*([\w-]+_s)[ \t]*=[ \t]*\[((?:[^\[\]\"'#]|#[^\n]*)*)\]", re.M)
_COMMENT = re.compile(r"#[^\n]*")
_NUMBERS = re.compile(r"[-+\d.,\s]*")
_TOGETHER = re.compile(r"(?<![\d.])\d+[ \t]*,\d+(?![\d.])")      # two whole numbers, no space after the comma
_TABLE = re.compile(r"^[ \t]*(\[\[?)[ \t]*([\w.-]+)[ \t]*\]\]?[ \t]*(?:#.*)?$", re.M)
# a line setting a bare (or dotted) key: the key and the value as written, a comment after it left out
_SETTING = re.compile(r"[ \t]*([\w-]+(?:[ \t]*\.[ \t]*[\w-]+)*)[ \t]*=[ \t]*(.*?)[ \t]*(?:#.*)?")
_COMMA_NUMBER = re.compile(r"[-+]?\d+,\d+")
_WORD = re.compile(r"[^\W\d]\w*")
_ITEMS = {"steps": "step"}        # an array of tables' entries, named as the programme loader names them


def decimal_comma_in_list(text: str) -> tuple[int, str, str] | None:
    """A list of seconds (a key ending `_s`, on one line or more) whose values are written apart
    (a comma and a space) but for two whole numbers run together (`hold_s = [5, 6,5, 8]`: valid
    TOML, four values, where 6.5 was meant -- a trial): the line its key is on, the key (with its
    table: `levels.hold_s`) and the digits in question; None where there is none."""
    for found in _ARRAY.finditer(text):
        values = _COMMENT.sub("", found.group(2))
        together = _TOGETHER.search(values) if _NUMBERS.fullmatch(values) and re.search(r",\s", values) else None
        if together is not None:
            return text.count("\n", 0, found.start()) + 1, _key_name(text, found.start(), found.group(1)), \
                together.group()
    return None


def explained(text: str, error: tomllib.TOMLDecodeError, *, booleans=frozenset()) -> str:
    """`error` as a user reads it after "not valid TOML: ": where it is in the value of a key, that key
    named (with its table: `levels.hold_s`, `step 2: hold_s`), a decimal comma there with the number
    meant (6.5), a bare word in one of `booleans` (keys named so) as not true or false."""
    if text.startswith("\ufeff"):
        return f"{error} -- the file begins with a byte-order mark (saved as UTF-8 with BOM): save it as plain UTF-8"
    found = _AT_LINE.search(str(error))
    lines = text.split("\n")                # (as TOML counts them)
    n, column = map(int, found.groups()) if found is not None else (0, 0)
    if not 1 <= n <= len(lines):
        return str(error)
    line = lines[n - 1].rstrip("\r")
    comma = " -- a decimal comma? Numbers take a point: 1.5, not 1,5" if _DECIMAL_COMMA.search(line) else ""
    setting = _SETTING.fullmatch(line)
    if setting is None or column <= setting.start(2):      # (not in its value: a list left open above, say)
        return f"{error}{comma}"
    key = _key_name(text, sum(len(before) + 1 for before in lines[:n - 1]), re.sub(r"[ \t]", "", setting.group(1)))
    value = setting.group(2)
    if _COMMA_NUMBER.fullmatch(value):
        return f"line {n}: {key} has {value} -- a decimal comma? Numbers take a point: {value.replace(',', '.')}"
    if key in booleans and _WORD.fullmatch(value):
        return f"line {n}: {key} takes true or false, not {value}"
    return f"{key}: {error}{comma}"


def _key_name(text: str, at: int, key: str) -> str:
    """`key`, set at offset `at` of `text`, with the table it is in: `levels.hold_s`; in an array of
    tables, its entry's number: `step 2: hold_s` (`[[steps]]`)."""
    tables = list(_TABLE.finditer(text, 0, at))
    if not tables:
        return key
    brackets, table = tables[-1].groups()
    if brackets == "[":
        return f"{table}.{key}"
    entry = sum(1 for found in tables if found.groups() == ("[[", table))
    return f"{_ITEMS.get(table, table)} {entry}: {key}"
