"""What a TOML syntax error most likely means, for the one line a user reads: Dutch numbers
are written with a decimal comma (1,5), which TOML reads as the end of a value; Notepad and
the like save "UTF-8 with BOM", a mark TOML does not allow before the first key."""

from __future__ import annotations

import re
import tomllib

_AT_LINE = re.compile(r"at line (\d+), column \d+")
_DECIMAL_COMMA = re.compile(r"=\s*[-+]?\d+,\d")


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
