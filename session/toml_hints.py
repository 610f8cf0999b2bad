"""What a TOML syntax error most likely means, for the one line a user reads: Dutch numbers
are written with a decimal comma (1,5), which TOML reads as the end of a value; Notepad and
the like save "UTF-8 with BOM", a mark TOML does not allow before the first key."""

from __future__ import annotations

import re
import tomllib

_AT_LINE = re.compile(r"at line (\d+), column \d+")
_DECIMAL_COMMA = re.compile(r"=\s*[-+]?\d+,\d")
_NUMBER_LIST = re.compile(r"^\s*([\w.]+)\s*=\s*\[([-+\d.,\s]*)\]\s*$")     # `hold_s = [5, 6, 8]`, on one line
_COMMA_IN_NUMBER = re.compile(r"\d+,\d+")


def decimal_comma_in_list(text: str) -> tuple[int, str, str] | None:
    """A list of numbers on one line whose values are written apart (`, `) but for one pair
    run together (`hold_s = [5, 6,5, 8]`: valid TOML, four values, where 6.5 was meant -- a
    trial): its line number, key and the digits in question; None where there is none."""
    for n, line in enumerate(text.splitlines(), 1):
        found = _NUMBER_LIST.match(line.split("#", 1)[0])
        if found is not None and ", " in found.group(2):
            together = _COMMA_IN_NUMBER.search(found.group(2))
            if together is not None:
                return n, found.group(1), together.group()
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
