"""What a TOML syntax error most likely means, for the one line a user reads: Dutch numbers
are written with a decimal comma (1,5), which TOML reads as the end of a value; Notepad and
the like save "UTF-8 with BOM", a mark TOML does not allow before the first key."""

from __future__ import annotations

import re
import tomllib

_AT_LINE = re.compile(r"at line (\d+), column \d+")
_DECIMAL_COMMA = re.compile(r"=\s*[-+]?\d+,\d")
# a list of seconds (`hold_s = [...]`, over lines too, comments in it)
_ARRAY = re.compile(r"^[ \t]*([\w-]+_s)[ \t]*=[ \t]*\[((?:[^\[\]\"'#]|#[^\n]*)*)\]", re.M)
_COMMENT = re.compile(r"#[^\n]*")
_NUMBERS = re.compile(r"[-+\d.,\s]*")
_TOGETHER = re.compile(r"(?<![\d.])\d+[ \t]*,\d+(?![\d.])")      # two whole numbers, no space after the comma
_TABLE = re.compile(r"^[ \t]*\[\[?[ \t]*([\w.-]+)[ \t]*\]\]?[ \t]*(?:#.*)?$", re.M)


def decimal_comma_in_list(text: str) -> tuple[int, str, str] | None:
    """A list of seconds (a key ending `_s`, on one line or more) whose values are written apart
    (a comma and a space) but for two whole numbers run together (`hold_s = [5, 6,5, 8]`: valid
    TOML, four values, where 6.5 was meant -- a trial): the line its key is on, the key (with its
    table: `levels.hold_s`) and the digits in question; None where there is none."""
    for found in _ARRAY.finditer(text):
        values = _COMMENT.sub("", found.group(2))
        together = _TOGETHER.search(values) if _NUMBERS.fullmatch(values) and re.search(r",\s", values) else None
        if together is not None:
            tables = [table.group(1) for table in _TABLE.finditer(text, 0, found.start())]
            key = f"{tables[-1]}.{found.group(1)}" if tables else found.group(1)
            return text.count("\n", 0, found.start()) + 1, key, together.group()
    return None


def hint(text: str, error: tomllib.TOMLDecodeError) -> str:
    """A few words to add to `error`'s message (with a leading separator), or ""."""
    if text.startswith("\ufeff"):
        return " -- the file begins with a byte-order mark (saved as UTF-8 with BOM): save it as plain UTF-8"
    found = _AT_LINE.search(str(error))
    if found is not None:
        lines = text.splitlines()
        n = int(found.group(1))
        if 1 <= n <= len(lines) and _DECIMAL_COMMA.search(lines[n - 1]):
            return " -- a decimal comma? Numbers take a point: 1.5, not 1,5"
    return ""
