"""Reading a recording file as text lines, safely: plain or gzip, bounded, streamed.

The device keeps its recordings gzip-compressed (`recordings/session-NNNNN.csv.gz`,
written by `device/storage.py`); a file is taken as gzip when it starts with the gzip
magic bytes, whatever its name. The file is read `CHUNK_BYTES` at a time and no line may
be longer than `MAX_LINE_BYTES`, so reading holds at most a chunk and a line, however long
the file or its lines.
Whatever goes wrong -- a missing, unreadable or binary file, a directory, a line too
long, a truncated or corrupt gzip stream -- is one `RecordingError` naming the file
and, once reading has begun, the line.
"""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

MAX_LINE_BYTES = 1024          # a v1 line is under 60 bytes; metadata lines stay short too
HEADER_LINES_MAX = 64          # metadata is looked for this far into a recording
GZIP_MAGIC = b"\x1f\x8b"
CHUNK_BYTES = 1 << 14          # read at a time (the lines of a chunk are checked together)


class RecordingError(ValueError):
    """A recording cannot be read; the message names the file and line."""


class NoSamples(RecordingError):
    """The file holds no sample: empty, a header alone, or ended before the first."""


class HeaderOnly(NoSamples):
    """A whole header and no sample: a session stopped before its first (the header is
    written as it starts), unlike an empty or cut-off file."""


class StreamDamage(RecordingError):
    """The file's gzip stream is truncated or corrupt."""


def _open(path, source: str):
    try:
        return open(path, "rb")
    except IsADirectoryError:
        raise RecordingError(f"{source}: is a directory, not a recording file") from None
    except OSError as e:
        raise RecordingError(f"{source}: cannot open: {e.strerror or e}") from None


def _read_failure(error: BaseException, compressed: bool, where: str) -> RecordingError:
    """One clear line for an error raised while reading the bytes of line `where`."""
    if isinstance(error, EOFError):
        return StreamDamage(f"{where}: the gzip data stops before its end: the file is truncated, "
                              "so it is not analysed")
    if compressed and isinstance(error, (zlib.error, gzip.BadGzipFile)):
        return StreamDamage(f"{where}: corrupt gzip data ({error})")
    return RecordingError(f"{where}: read error: {getattr(error, 'strerror', None) or error}")


def text_lines(path) -> Iterator[str]:
    """Yield the lines of the file at `path` as text (line ends kept), one at a time."""
    source = str(path)
    with _open(path, source) as raw:
        try:
            compressed = raw.peek(len(GZIP_MAGIC))[:len(GZIP_MAGIC)] == GZIP_MAGIC
        except OSError as e:
            raise _read_failure(e, False, f"{source}, line 1") from None
        with gzip.GzipFile(fileobj=raw, mode="rb") if compressed else nullcontext(raw) as stream:
            yield from _bounded_lines(stream, compressed, source)


def header(path) -> dict[str, str]:
    """The `# key=value` lines at the top of the recording at `path` ({} when there is no
    file or it cannot be read): what a reader needs of it without reading it all."""
    found: dict[str, str] = {}
    if path is None or not os.path.exists(path):
        return found
    try:
        for n, line in enumerate(text_lines(path)):
            if n >= HEADER_LINES_MAX or not line.startswith("#"):
                break
            key, _, value = line[1:].strip().partition("=")
            if value:
                found[key] = value
    except RecordingError:
        pass
    return found


@contextmanager
def blaming_damaged_gzip(path) -> Iterator[None]:
    """Read the recording at `path` inside this: a bad line in a gzip file whose stream is
    damaged further on (a CRC or deflate error: the bytes were garbled, so the lines came
    out as nonsense) is reported as the damage, at that line, not as the nonsense. Only a
    regular file is read again (a pipe cannot be)."""
    try:
        yield
    except StreamDamage:
        raise
    except RecordingError as bad_line:
        source, message = str(path), str(bad_line)
        if not message.startswith(source):
            raise
        where = source + message[len(source):].split(": ", 1)[0]     # the file and its line
        damage = _gzip_damage(path)
        if damage is None:
            raise
        raise StreamDamage(f"{where}: corrupt gzip data ({damage})") from None


def _gzip_damage(path) -> str | None:
    """What is wrong with the gzip stream of the regular file at `path`, read to its end a
    block at a time; None when it is whole, not gzip, or not a regular file."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as raw:
            if raw.read(len(GZIP_MAGIC)) != GZIP_MAGIC:
                return None
            raw.seek(0)
            with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
                while stream.read(1 << 16):
                    pass
    except EOFError:
        return "its stream ends early: garbled or cut short"
    except (zlib.error, gzip.BadGzipFile) as e:
        return str(e)
    except OSError:
        return None
    return None


def _bounded_lines(stream, compressed: bool, source: str) -> Iterator[str]:
    """The lines of `stream`, read `CHUNK_BYTES` at a time: a chunk's whole lines are checked
    and decoded at once, and only a chunk holding a bad line is looked at line by line, so
    the error names the line. A line longer than `MAX_LINE_BYTES` is refused as soon as
    that many bytes of it are in."""
    read = stream.read1
    line_no = 0                         # lines yielded
    tail = b""                          # the start of a line whose end has not come yet
    while True:
        try:
            chunk = read(CHUNK_BYTES)
        except (OSError, EOFError, zlib.error) as e:
            raise _read_failure(e, compressed, f"{source}, line {line_no + 1}") from None
        if not chunk:
            if tail:
                yield _checked(tail, source, line_no + 1)       # the last line, with no end
            return
        data = tail + chunk if tail else chunk
        cut = data.rfind(b"\n") + 1
        body, tail = data[:cut], data[cut:]
        if body:
            lines = _plain_lines(body)
            if lines is None:           # a bad line in there, or other than ASCII: line by line
                for raw in body.split(b"\n")[:-1]:
                    line_no += 1
                    yield _checked(raw + b"\n", source, line_no)
            else:
                line_no += len(lines)
                for line in lines:
                    yield line + "\n"
        if len(tail) > MAX_LINE_BYTES:
            yield _checked(tail, source, line_no + 1)           # raises: too long (or binary)


def _plain_lines(body: bytes) -> list[str] | None:
    """The lines of `body` (whole lines, ends cut), when all are ASCII text of a bounded
    length; else None."""
    if b"\x00" in body or not body.isascii():
        return None
    lines = body.decode("ascii").split("\n")
    lines.pop()                         # after the last end
    return lines if max(map(len, lines)) < MAX_LINE_BYTES else None


def _checked(line: bytes, source: str, line_no: int) -> str:
    """`line` as text, or the RecordingError that says what is wrong with it (judged on its
    first `MAX_LINE_BYTES` + 1 bytes, as far as a bounded read of it would get)."""
    head = line[:MAX_LINE_BYTES + 1]
    if b"\x00" in head:
        raise RecordingError(f"{source}, line {line_no}: binary data, not a v1 recording")
    if len(head) > MAX_LINE_BYTES:
        what = (f"longer than {MAX_LINE_BYTES} bytes, not a line of a v1 recording"
                if _decoded(head[:-3]) is not None else NOT_TEXT)      # the cut may split a character
        raise RecordingError(f"{source}, line {line_no}: {what}")
    text = _decoded(head)
    if text is None:
        raise RecordingError(f"{source}, line {line_no}: {NOT_TEXT}")
    return text


NOT_TEXT = "not UTF-8 text (a binary file?)"


def _decoded(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None
