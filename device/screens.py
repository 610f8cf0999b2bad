"""What the OLED shows: 128x64 mode '1' images rendered from small view models.

Pure drawing, no hardware: `render(view)` takes one of the frozen dataclasses below and
returns a fresh `PIL.Image` that `drivers.display` can send as it is. The views carry
finished texts (see `device.texts`); the renderers only lay them out.

Two fonts, cached per size (`font(size)`; `TEXT_SIZES` are the only sizes drawn):

- **8 px, the small size** (`SMALL`: footers, labels, whatever does not fit larger): the
  bitmap font `device/fonts/fixed-5x8.bdf`, X11's public-domain misc-fixed 5x8 with the
  digits 0-9 and '/' redrawn so that no two differ by fewer than 4 pixels ("Serie 3/3"
  must not read "s/s"), loaded through FreeType as it is, pixel for pixel.
- **12 px and up**: Pillow's built-in scalable default font
  (`ImageFont.load_default(size=N)`, Pillow >= 10.1). Between 8 and 12 px its digits,
  rasterised to 1 bit, blur into each other (3, 5, 6, 8 and 9 differ by 2-3 pixels), so
  those sizes are not used.

Both have ASCII and the same few other glyphs only, so `plain()` drops accents
("geëindigd" -> "geeindigd"). Every text is fitted into its box: the largest size that
fits (wrapped at spaces onto a few lines when that gives a clearly bigger font), and as
a last resort the smallest size cut short with an ellipsis, so nothing leaves the frame.
Words are set a little wider apart than the font's own space, which nearly vanishes
on a 1-bit screen.

Speed: a frame must be drawn in well under a millisecond of a Pi Zero's time between
two samples, so nothing is rasterised twice. Each word is rendered by FreeType once per
font size into a cached 1-bit stamp (`stamp_text`), and a frame pastes stamps; layouts
and the target band's hatching are cached too.

The "lift" (an elevator shaft, left quarter of the screen; 10 px a floor):

    4 -|        |-      floor n at n*25 % of the user's maximal lift; the asked-for
    3 -|        |-      floor's number is boxed
    2 =|////////|=      hatched box: the target band (its sides light up when on target)
    1 -| ###### |-      solid car: the live lift (0 % = rest, at the ground line)
    ---+--------+---    ground line (rest)
          vvvv          below the ground: pushing (pressure above rest), 3-6 px deep
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from io import BytesIO
from itertools import combinations
from typing import Generator, Iterable, Sequence

from PIL import Image, ImageDraw, ImageFont

from drivers.display import finish
from session.programme import floor_pct

WIDTH, HEIGHT = 128, 64
ON = 255                        # a lit pixel (what getpixel and the emulator report for mode '1')
SMALL = 8                       # the bitmap font's size, for labels and footers
CAPTION_SIZES = (20, 18, 16, 14, 13, 12, SMALL)
BIG_SIZES = (36, 32, 28, 24, 22, 20, 18, 16, 14, 12, SMALL)
FOOTER_SIZES = (SMALL,)
SUMMARY_TITLE_SIZES = (16, 14, 13, 12, SMALL)
SUMMARY_LINE_SIZES = (16, 14, 13, 12, SMALL)
MESSAGE_LINE_SIZES = (16, 14, 13, 12, SMALL)
WARNING_DETAIL_SIZES = (14, 13, 12, SMALL)      # a warning's line under it (*laat los, til dan op*)
TEXT_SIZES = frozenset(CAPTION_SIZES + BIG_SIZES + FOOTER_SIZES + SUMMARY_TITLE_SIZES + SUMMARY_LINE_SIZES
                       + MESSAGE_LINE_SIZES + WARNING_DETAIL_SIZES)      # every size a text is drawn at
SMALL_FONT = "fonts/fixed-5x8.bdf"              # in this package: the bitmap font, drawn at SMALL only
RELAX_ZONE_PCT = 10.0           # RelaxView: a level up to this counts as let go

# layout
FOOTER_TOP = 52                 # footer text lies in y 52..63; the rest of the screen above it
WARNING_DETAIL_TOP = 46         # a warning's line under it lies in y 46..63
CAPTION_SPLIT = 24              # a caption above a countdown lies in y 0..23 ...
CAPTION_SPLIT_LOW = 31          # ... or 0..30 where it fits there only below CAPTION_MIN (*Vasthouden, adem door*
CAPTION_MIN = 12                # in the 8-px font, 1 mm high on the panel: a trial)
SHAFT_X0, SHAFT_X1 = 9, 29      # shaft walls (inclusive)
SHAFT_TOP, GROUND_Y = 5, 45     # y of 100 % and of 0 % (the ground line); 10 px a floor
PUSH_MAX_PX = 6                 # the push marker grows to this many px below the ground line
PUSH_FULL_PCT = 25.0            # ... at this much pushing (negative % of maximum)
RIGHT_X0 = 34                   # captions and countdown right of the shaft
PACER_CX, PACER_CY, PACER_R = 25, 25, 24
PACER_R_MIN = 4
BAR_X0, BAR_TOP = 121, 2        # PacerView's live bar: x from BAR_X0 to the edge, y from BAR_TOP

_FONTS: dict[int, ImageFont.FreeTypeFont] = {}
_EXTRA_GLYPHS = "\u00a9\u00ab\u00b0\u00b1\u00b4\u00b7\u00bb\u2026"     # the fonts' few non-ASCII glyphs
_REPLACEMENTS = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                 "\u00df": "ss", "\u00e6": "ae", "\u00f8": "o", "\u00a0": " ", "\u20ac": "EUR"}
_V_PROBE = "Hdgjy/(|"          # tallest ascender and deepest descender of the font
_MEASURE = ImageDraw.Draw(Image.new("1", (1, 1)))     # text metrics as drawn on a mode '1' frame
# text blocks laid out and stamped, kept: a session's warm-up (`SessionUi.warm_up_views`: every
# text of the catalogue in each box it may show in) is some 1,050 in one language -- at 1024
# basis's first ones were pushed out again before its session began, and laid out cold mid-session
# (a Pi Zero's sample periods lost); this holds both languages' with room (a few MB at most)
BLOCKS_KEPT = 4096
_STAMPS: dict[tuple[str, int], tuple[Image.Image | None, int, int]] = {}


def font(size: int) -> ImageFont.FreeTypeFont:
    """The font at `size` px, cached: the bitmap font at SMALL, Pillow's default scalable
    font at the other `TEXT_SIZES`. Raises ValueError for any other size."""
    f = _FONTS.get(size)
    if f is None:
        if size not in TEXT_SIZES:
            raise ValueError(f"no font of {size} px: the screens draw text at {sorted(TEXT_SIZES)} px")
        if size == SMALL:
            data = resources.files(__package__).joinpath(SMALL_FONT).read_bytes()
            f = ImageFont.truetype(BytesIO(data), size)
        else:
            f = ImageFont.load_default(size=size)
        _FONTS[size] = f
    return f


def _stamp(text: str, size: int) -> tuple[Image.Image | None, int, int]:
    """`text` at `size` as FreeType draws it in 1 bit, cropped to its ink, and the ink's
    offset from the left end of the baseline (None when it has no ink). Made once."""
    key = (text, size)
    stamp = _STAMPS.get(key)
    if stamp is None:
        f = font(size)
        mask, (x0, y0) = f.getmask2(text, mode="1", anchor="ls")   # the box FreeType draws into
        pad = 2                                      # (getbbox can be narrower than the ink)
        canvas = Image.new("1", (mask.size[0] + 2 * pad, mask.size[1] + 2 * pad), 0)
        origin = (pad - x0, pad - y0)
        ImageDraw.Draw(canvas).text(origin, text, font=f, fill=ON, anchor="ls")
        ink = canvas.getbbox()
        stamp = _STAMPS[key] = ((canvas.crop(ink), ink[0] - origin[0], ink[1] - origin[1])
                                if ink else (None, 0, 0))
    return stamp


def stamp_text(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, f, fill: int = ON) -> None:
    """Draw `text` with the left end of its baseline at `xy` (integers), exactly as
    `draw.text(xy, text, font=f, fill=fill, anchor="ls")` would, from the stamp cache."""
    image, dx, dy = _stamp(text, f.size)
    if image is not None:
        draw.bitmap((xy[0] + dx, xy[1] + dy), image, fill=fill)


# --- views ------------------------------------------------------------------------------
@dataclass(frozen=True)
class PacerView:
    phase: str                  # "inhale" | "exhale"
    progress: float             # 0-1 through the phase
    caption: str
    footer: str = ""
    level_pct: float | None = None    # a live bar at the right edge: the lift (% of maximum), or the
    target_pct: float | None = None   # tension held (ontspannen); a tick at the target


@dataclass(frozen=True)
class LiftView:
    level_pct: float            # live lift, % of the user's maximum; < 0 is pushing
    target_lo_pct: float | None
    target_hi_pct: float | None
    floor: int | None           # the floor asked for (1-4), highlighted
    caption: str
    countdown_s: float | None
    footer: str


@dataclass(frozen=True)
class RelaxView:
    level_pct: float
    countdown_s: float | None
    caption: str
    footer: str


@dataclass(frozen=True)
class WarningView:
    text: str
    detail: str = ""


@dataclass(frozen=True)
class SummaryView:
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class MessageView:
    title: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class MenuView:
    """The idle screen: today's sessions against the goal, the menu item, a hint."""
    heading: str                # "Vandaag 1/3"
    done: int
    goal: int
    item: str                   # the programme or setting under the cursor
    hint: str                   # footer: what the buttons do


View = PacerView | LiftView | RelaxView | WarningView | SummaryView | MessageView | MenuView


# --- text fitting ---------------------------------------------------------------------------
def fit_font(draw: ImageDraw.ImageDraw, text: str, max_w: int, max_h: int,
             sizes: Sequence[int] = CAPTION_SIZES) -> ImageFont.FreeTypeFont:
    """The largest font of `sizes` in which `text` (one line) fits max_w x max_h pixels,
    measured with draw.textbbox; the smallest of `sizes` when none fits."""
    for size in sorted(sizes, reverse=True):
        f = font(size)
        x0, y0, x1, y1 = draw.textbbox((0, 0), text, font=f, anchor="ls")
        if " " in text:         # drawn with draw_line's wider word gaps
            x0, _, x1, _ = _line_extent(draw, text, f)
        if x1 - x0 <= max_w and y1 - y0 <= max_h:
            return f
    return font(min(sizes))


def _word_gap(f) -> int:
    """Space between words: wider than the font's own space, which all but vanishes
    on a 1-bit screen at small sizes ("Herhaling 3/10" read as "Herhaling3/10")."""
    return max(3, round(f.size * 0.3))


@lru_cache(maxsize=2048)
def _words_at(line: str, size: int) -> tuple[tuple[int, str], ...]:
    """(x offset, word) of each word of `line` at `size`; every space is one word gap."""
    f = font(size)
    placed, x, gap = [], 0, _word_gap(f)
    for i, word in enumerate(line.split(" ")):
        if i:
            x += gap
        if word:
            placed.append((x, word))
            x += _word_length(word, size)
    return tuple(placed)


@lru_cache(maxsize=4096)
def _extent(line: str, size: int) -> tuple[int, int, int, int]:
    _, top, _, bottom = _word_box(_V_PROBE, size)
    x0 = x1 = 0
    for i, (x, word) in enumerate(_words_at(line, size)):
        wx0, wy0, wx1, wy1 = _word_box(word, size)
        wx0, wx1 = wx0 + x, wx1 + x
        x0, x1 = (wx0, wx1) if i == 0 else (min(x0, wx0), max(x1, wx1))
        top, bottom = min(top, wy0), max(bottom, wy1)
    return x0, top, x1, bottom


@lru_cache(maxsize=4096)
def _word_box(word: str, size: int) -> tuple[int, int, int, int]:
    """The ink box of one word drawn at the left end of the baseline: a caption's words
    come back in every wrapping tried, so each is measured once."""
    return _MEASURE.textbbox((0, 0), word, font=font(size), anchor="ls")


@lru_cache(maxsize=4096)
def _word_length(word: str, size: int) -> int:
    return round(_MEASURE.textlength(word, font=font(size)))


def _line_extent(draw: ImageDraw.ImageDraw, line: str, f) -> tuple[int, int, int, int]:
    """(x0, top, x1, bottom) of `line` as draw_line draws it at (0, 0) (left end of the
    baseline); top and bottom cover the font's full ascender/descender, so lines align.
    Measured once per (line, size) on a mode '1' scratch image, like every frame."""
    return _extent(line, f.size)


def draw_line(draw: ImageDraw.ImageDraw, xy: tuple[int, int], line: str, f, fill: int = ON) -> None:
    """Draw one line with its left end of baseline at `xy`, words set `_word_gap` apart."""
    for x, word in _words_at(line, f.size):
        stamp_text(draw, (xy[0] + x, xy[1]), word, f, fill)


def _wrappings(text: str, n_lines: int):
    """Every way to break `text` at spaces into `n_lines` lines (one line: `text` as is)."""
    if n_lines == 1:
        yield [text.strip()]
        return
    words = text.split()
    for cuts in combinations(range(1, len(words)), n_lines - 1):
        bounds = (0, *cuts, len(words))
        yield [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:])]


def _block_size(draw: ImageDraw.ImageDraw, lines: list[str], f, gap: int) -> tuple[int, int]:
    ext = [_line_extent(draw, ln, f) for ln in lines]
    return (max(x1 - x0 for x0, _, x1, _ in ext),
            sum(b - t for _, t, _, b in ext) + gap * (len(lines) - 1))


def fit_lines(draw: ImageDraw.ImageDraw, text: str, max_w: int, max_h: int,
              sizes: Sequence[int] = CAPTION_SIZES, max_lines: int = 2, gap: int = 1,
              prefer_fewer: float = 0.8) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """(font, lines): `text` wrapped at spaces onto at most `max_lines` lines in the
    largest font of `sizes` that fits max_w x max_h, except that fewer lines win when
    their font is at least `prefer_fewer` times that size ("Adem in" stays one line).
    When nothing fits: the smallest size and its narrowest wrapping."""
    n_max = max(1, min(max_lines, len(text.split())))
    ascending = sorted(set(sizes))

    def fitting(size: int, n: int) -> list[str] | None:
        f = font(size)
        w, h, lines = min(((*_block_size(draw, ls, f, gap), ls) for ls in _wrappings(text, n)),
                          key=lambda o: (o[0], o[1]))
        return lines if w <= max_w and h <= max_h else None

    fits: list[tuple[int, list[str]]] = []          # per line count: the largest size that fits
    for n in range(1, n_max + 1):
        lo, hi, found = 0, len(ascending) - 1, None  # a size that fits, every smaller one does too
        while lo <= hi:
            mid = (lo + hi) // 2
            lines = fitting(ascending[mid], n)
            if lines is not None:
                found, lo = (ascending[mid], lines), mid + 1
            else:
                hi = mid - 1
        if found:
            fits.append(found)
    if fits:
        best = max(size for size, _ in fits)
        size, lines = next((s, ls) for s, ls in fits if s >= prefer_fewer * best)
        return font(size), lines
    f = font(min(sizes))
    options = [(*_block_size(draw, ls, f, gap), ls) for n in range(1, n_max + 1) for ls in _wrappings(text, n)]
    options = [o for o in options if o[1] <= max_h] or options
    return f, min(options, key=lambda o: (o[0], o[1]))[2]


@lru_cache(maxsize=BLOCKS_KEPT)
def _block_layout(text: str, max_w: int, max_h: int, sizes: tuple[int, ...], max_lines: int,
                  gap: int) -> tuple[int, tuple[str, ...]]:
    """(size, lines) of `text` fitted into max_w x max_h (see fit_lines), cut short when
    even that does not fit. Cached: a caption stays on screen for many frames."""
    f, lines = fit_lines(_MEASURE, text, max_w, max_h, sizes, max_lines, gap)
    ext = [_line_extent(_MEASURE, ln, f) for ln in lines]
    while len(lines) > 1 and sum(b - t for _, t, _, b in ext) + gap * (len(lines) - 1) > max_h:
        lines, ext = lines[:-1], ext[:-1]           # last resort: drop lines ...
        lines[-1] += " \u2026"
    for i, (line, (lx0, _, lx1, _)) in enumerate(zip(lines, ext)):
        if lx1 - lx0 > max_w:                        # ... and cut a line short, with an ellipsis
            lines[i] = _truncate(_MEASURE, line, f, max_w)
    return f.size, tuple(lines)


def draw_text_block(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], text: str, *,
                    sizes: Sequence[int] = CAPTION_SIZES, max_lines: int = 2, fill: int = ON,
                    align: str = "center", valign: str = "center", gap: int = 1) -> int:
    """Fit `text` into `box` (x0, y0, x1, y1 inclusive) and draw it; returns the font size."""
    stamp, x, y, size = _block_stamp(text, box, tuple(sizes), max_lines, align, valign, gap)
    if stamp is not None:
        draw.bitmap((x, y), stamp, fill=fill)
    return size


@lru_cache(maxsize=BLOCKS_KEPT)
def _block_stamp(text: str, box: tuple[int, int, int, int], sizes: tuple[int, ...], max_lines: int,
                 align: str, valign: str, gap: int) -> tuple[Image.Image | None, int, int, int]:
    """The text block laid out in `box` on a frame, as one cached stamp: (ink, x, y, size)."""
    frame, draw = _new()
    size = _draw_block(draw, box, text, sizes, max_lines, align, valign, gap)
    return _crop_ink(frame) + (size,)


def _crop_ink(frame: Image.Image) -> tuple[Image.Image | None, int, int]:
    ink = frame.getbbox()
    return (frame.crop(ink), ink[0], ink[1]) if ink else (None, 0, 0)


def _draw_block(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], text: str,
                sizes: tuple[int, ...], max_lines: int, align: str, valign: str, gap: int) -> int:
    x0, y0, x1, y1 = box
    max_w, max_h = x1 - x0 + 1, y1 - y0 + 1
    size, lines = _block_layout(plain(text), max_w, max_h, sizes, max_lines, gap)
    f = font(size)
    ext = [_line_extent(draw, ln, f) for ln in lines]
    block_h = sum(b - t for _, t, _, b in ext) + gap * (len(lines) - 1)
    if valign == "top":
        y = y0
    elif valign == "bottom":
        y = y1 + 1 - block_h
    else:
        y = y0 + (max_h - block_h) // 2
    y = max(0, min(y, HEIGHT - block_h))           # a box too small still keeps it in the frame
    for line, (lx0, top, lx1, bottom) in zip(lines, ext):
        w = lx1 - lx0
        if align == "left":
            x = x0 - lx0
        elif align == "right":
            x = x1 + 1 - lx1
        else:
            x = x0 + (max_w - w) // 2 - lx0
        draw_line(draw, (x, y - top), line, f)
        y += bottom - top + gap
    return size


def _truncate(draw: ImageDraw.ImageDraw, line: str, f, max_w: int) -> str:
    """`line` cut short with an ellipsis so that it is at most max_w wide."""
    while line:
        line = line[:-1].rstrip()
        candidate = line + "\u2026"
        x0, _, x1, _ = _line_extent(draw, candidate, f)
        if x1 - x0 <= max_w:
            return candidate
    return ""


def plain(text: str) -> str:
    """`text` in the characters the fonts have (ASCII and a few symbols): accented
    letters lose their accents ("geëindigd" -> "geeindigd"), anything else becomes "?"."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch.isascii() or ch in _EXTRA_GLYPHS:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and base.isascii() else _REPLACEMENTS.get(ch, "?"))
    return "".join(out)


@lru_cache(maxsize=64)
def _text_box(text: str, size: int) -> tuple[int, int, int, int]:
    """draw.textbbox of `text` at (0, 0), anchor "ls", on a mode '1' frame."""
    return _MEASURE.textbbox((0, 0), text, font=font(size), anchor="ls")


@lru_cache(maxsize=256)
def _number_layout(s: str, max_w: int, max_h: int) -> tuple[int, int, int]:
    """(size, dx, dy): the biggest font for the number and where its origin goes so that
    its ink is centred in a max_w x max_h box."""
    f = fit_font(_MEASURE, s, max_w, max_h, BIG_SIZES)
    bx0, by0, bx1, by1 = _MEASURE.textbbox((0, 0), s, font=f, anchor="ls")
    return f.size, (max_w - (bx1 - bx0)) // 2 - bx0, (max_h - (by1 - by0)) // 2 - by0


def _draw_number(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], s: str, fill: int = ON) -> None:
    """A big number (and its unit) centred on its ink (no descenders) in `box`."""
    x0, y0, x1, y1 = box
    size, dx, dy = _number_layout(s, x1 - x0 + 1, y1 - y0 + 1)
    stamp_text(draw, (x0 + dx, y0 + dy), s, font(size), fill)


def _draw_footer(draw: ImageDraw.ImageDraw, footer: str) -> None:
    """The footer in the small font along the bottom. Parts separated by two spaces
    ("Herhaling 3/10  Serie 1/3") are spread over the width: first left, last right."""
    stamp, x, y = _footer_stamp(footer)
    if stamp is not None:
        draw.bitmap((x, y), stamp, fill=ON)


@lru_cache(maxsize=256)
def _footer_stamp(footer: str) -> tuple[Image.Image | None, int, int]:
    frame, draw = _new()
    parts = [p.strip() for p in plain(footer).split("  ") if p.strip()]
    for size in FOOTER_SIZES if len(parts) > 1 else ():
        f = font(size)
        ext = [_line_extent(draw, p, f) for p in parts]
        if sum(x1 - x0 for x0, _, x1, _ in ext) + 5 * (len(parts) - 1) <= WIDTH:   # x1 is exclusive
            break
    else:                                  # one part, or too long to spread: one centred line
        if parts:
            draw_text_block(draw, (0, FOOTER_TOP, WIDTH - 1, HEIGHT - 1), "  ".join(parts),
                            sizes=FOOTER_SIZES, max_lines=1)
        return _crop_ink(frame)
    _, top, _, bottom = _line_extent(draw, " ".join(parts), f)
    base = FOOTER_TOP + (HEIGHT - FOOTER_TOP - (bottom - top)) // 2 - top
    free = WIDTH - sum(x1 - x0 for x0, _, x1, _ in ext)
    x = 0
    for p, (x0, _, x1, _) in zip(parts, ext):
        draw_line(draw, (x - x0, base), p, f)
        x += x1 - x0 + free // (len(parts) - 1)
    return _crop_ink(frame)


def _new() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("1", (WIDTH, HEIGHT), 0)
    return image, ImageDraw.Draw(image)


# --- the shaft ---------------------------------------------------------------------------------
def pct_to_y(pct: float) -> int:
    """Screen y of a level in % of maximum on the shaft (clamped to the shaft)."""
    top_pct = 100.0 * GROUND_Y / (GROUND_Y - SHAFT_TOP)          # y = 0: a little over 100 %
    pct = max(0.0, min(pct, top_pct))
    return round(GROUND_Y - pct * (GROUND_Y - SHAFT_TOP) / 100.0)


def _hatch_texture() -> Image.Image:
    """Diagonal hatching over the whole frame: pixel (x, y) is lit when (x + y) % 3 == 0."""
    texture = Image.new("1", (WIDTH, HEIGHT), 0)
    texture.putdata([255 if (x + y) % 3 == 0 else 0 for y in range(HEIGHT) for x in range(WIDTH)])
    return texture


_HATCH = _hatch_texture()


def _hatch(draw: ImageDraw.ImageDraw, x0: int, y0: int, x1: int, y1: int) -> None:
    """Light the hatching's pixels in the box (x0, y0)-(x1, y1), inclusive."""
    draw.bitmap((x0, y0), _HATCH.crop((x0, y0, x1 + 1, y1 + 1)), fill=ON)


def _chevron(draw: ImageDraw.ImageDraw, cx: int, y: int, up: bool, fill: int) -> None:
    """A 9x4 px chevron with its tip at (cx, y), pointing up or down."""
    points = []
    for i in range(4):
        yy = y + i if up else y - i
        points += ((cx - i - 1, yy), (cx - i, yy), (cx + i, yy), (cx + i + 1, yy))
    draw.point(points, fill=fill)


def _shaft_frame(level_pct: float, lo: float | None, hi: float | None, floor: int | None) -> Image.Image:
    """A new frame with the lift drawn: walls, floor ticks 1-4, the target band, the live
    level, the ground line and, when pushing, a wedge below it. On target the band's
    sides light up outside the walls; off target a chevron points the way (up above
    the car, down inverted inside it). What does not move with the level comes from a
    cached background."""
    band = lo is not None and hi is not None and hi > lo
    in_band = band and lo <= level_pct <= hi
    frame = _shaft_background(lo if band else None, hi if band else None, floor, in_band).copy()
    draw = ImageDraw.Draw(frame)
    bar0, bar1 = SHAFT_X0 + 3, SHAFT_X1 - 3
    cx = (SHAFT_X0 + SHAFT_X1) // 2
    y_level = pct_to_y(level_pct)
    lifted = level_pct > 0 and y_level < GROUND_Y            # the car has a visible height
    if lifted:
        draw.rectangle((bar0, y_level, bar1, GROUND_Y - 1), fill=ON)
    if band:
        y_hi, y_lo = pct_to_y(hi), pct_to_y(lo)
        for y in (y_hi, y_lo):        # the band's edges, inverted where the car covers them
            if lifted and y_level <= y < GROUND_Y:
                draw.line((bar0, y, bar1, y), fill=0)
        if not in_band and 0 <= level_pct < lo and y_level - 9 > y_lo:   # too low: up, above the car
            _chevron(draw, cx, y_level - 7, up=True, fill=ON)
        elif not in_band and level_pct > hi and lifted and y_level + 6 < GROUND_Y:   # too high: down
            _chevron(draw, cx, y_level + 5, up=False, fill=0)
    if level_pct < 0:                 # pushing: a wedge below the ground, 3 px or more
        depth = max(3, min(PUSH_MAX_PX, math.ceil(-level_pct / PUSH_FULL_PCT * PUSH_MAX_PX)))
        half = (SHAFT_X1 - SHAFT_X0) // 2
        for i in range(depth):
            w = round(half * (1 - i / depth))
            draw.line((cx - w, GROUND_Y + 1 + i, cx + w, GROUND_Y + 1 + i), fill=ON)
    return frame


@lru_cache(maxsize=64)
def _shaft_background(lo: float | None, hi: float | None, floor: int | None, in_band: bool) -> Image.Image:
    """The lift without its car: walls, the hatched band and its edges, the band's lit
    sides when on target, floor ticks and labels (the asked-for one boxed), ground line."""
    frame, draw = _new()
    inner0, inner1 = SHAFT_X0 + 1, SHAFT_X1 - 1
    draw.line((SHAFT_X0, 0, SHAFT_X0, GROUND_Y), fill=ON)
    draw.line((SHAFT_X1, 0, SHAFT_X1, GROUND_Y), fill=ON)
    if lo is not None:
        y_hi, y_lo = pct_to_y(hi), pct_to_y(lo)
        _hatch(draw, inner0, y_hi, inner1, y_lo)
        for y in (y_hi, y_lo):
            draw.line((inner0, y, inner1, y), fill=ON)
        if in_band:
            draw.rectangle((SHAFT_X0 - 2, y_hi, SHAFT_X0 - 1, y_lo), fill=ON)
            draw.rectangle((SHAFT_X1 + 1, y_hi, SHAFT_X1 + 2, y_lo), fill=ON)
    small = font(SMALL)
    for n in range(1, 5):
        y = pct_to_y(floor_pct(n))
        if not (in_band and y_hi <= y <= y_lo):
            draw.line((SHAFT_X0 - 2, y, SHAFT_X0 - 1, y), fill=ON)
            draw.line((SHAFT_X1 + 1, y, SHAFT_X1 + 2, y), fill=ON)
        label = str(n)
        lx0, ly0, lx1, ly1 = _text_box(label, SMALL)
        x = SHAFT_X0 - 3 - lx1
        base = min(max(y - (ly1 + ly0) // 2, 1 - ly0), GROUND_Y - 1)
        if n == floor:                # the asked-for floor, boxed
            draw.rectangle((x + lx0 - 1, base + ly0 - 1, x + lx1, base + ly1), fill=ON)
        stamp_text(draw, (x, base), label, small, 0 if n == floor else ON)
    draw.line((SHAFT_X0 - 3, GROUND_Y, SHAFT_X1 + 3, GROUND_Y), fill=ON)
    return frame


def _draw_caption_and_countdown(draw: ImageDraw.ImageDraw, caption: str, countdown_s: float | None) -> None:
    right = (RIGHT_X0, 0, WIDTH - 1, FOOTER_TOP - 2)
    if countdown_s is None:
        draw_text_block(draw, right, caption, max_lines=3)
        return
    split = _caption_split(caption)
    draw_text_block(draw, (RIGHT_X0, 0, WIDTH - 1, split - 1), caption, max_lines=2)
    seconds = max(0, math.ceil(countdown_s - 1e-9))
    # with its unit: a bare 3, 2, 1 beside the shaft's floors 1-4 reads as a floor to go to
    _draw_number(draw, (RIGHT_X0, split + 1, WIDTH - 1, FOOTER_TOP - 2), f"{seconds} s")


def _caption_split(caption: str) -> int:
    """Where a caption above a countdown ends: CAPTION_SPLIT, or CAPTION_SPLIT_LOW where it would
    be drawn below CAPTION_MIN there (two rows large enough to read, the countdown a little smaller)."""
    fits = _block_layout(caption, WIDTH - 1 - RIGHT_X0, CAPTION_SPLIT, CAPTION_SIZES, 2, 1)[0] >= CAPTION_MIN
    return CAPTION_SPLIT if fits else CAPTION_SPLIT_LOW


# --- renderers -------------------------------------------------------------------------------
_PACER_DOTS = [(PACER_CX + round(PACER_R * math.cos(math.radians(deg))),
                PACER_CY + round(PACER_R * math.sin(math.radians(deg)))) for deg in range(0, 360, 10)]


# Each renderer draws its frame in steps: a generator that yields after each part (a
# text block, the shaft) and returns the image, so that the device can draw a frame a
# part per gap between two samples (see `render_steps`).
Steps = Generator[None, None, Image.Image]


def _pacer(view: PacerView) -> Steps:
    """A disc that grows while breathing in and shrinks while breathing out, inside a
    dotted circle (full lungs), with an arrow for the direction; the caption big on
    the right."""
    image, draw = _new()
    p = max(0.0, min(1.0, view.progress))
    fullness = p if view.phase == "inhale" else 1.0 - p
    r = round(PACER_R_MIN + fullness * (PACER_R - PACER_R_MIN))
    cx, cy = PACER_CX, PACER_CY
    draw.point(_PACER_DOTS, fill=ON)      # the dotted full circle
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=ON)
    # the arrow: black in the disc, or white above the disc when the disc is small
    ay, fill = (cy, 0) if r >= 7 else (cy - 13, ON)
    if view.phase == "inhale":
        draw.polygon(((cx - 4, ay + 2), (cx, ay - 3), (cx + 4, ay + 2)), fill=fill)
    else:
        draw.polygon(((cx - 4, ay - 2), (cx, ay + 3), (cx + 4, ay - 2)), fill=fill)
    right = WIDTH - 1
    if view.level_pct is not None:
        right = BAR_X0 - 3
        _draw_bar(draw, view.level_pct, view.target_pct)
    yield
    draw_text_block(draw, (cx + PACER_R + 4, 0, right, FOOTER_TOP - 2), view.caption, max_lines=3)
    yield
    _draw_footer(draw, view.footer)
    return image


def _draw_bar(draw: ImageDraw.ImageDraw, level_pct: float, target_pct: float | None) -> None:
    """A narrow upright bar at the right edge, filled to `level_pct` (0-100), with a tick
    either side at `target_pct`."""
    top, bottom = BAR_TOP, FOOTER_TOP - 3
    draw.rectangle((BAR_X0, top, WIDTH - 1, bottom), outline=ON)
    fill = round(max(0.0, min(100.0, level_pct)) / 100.0 * (bottom - top - 2))
    if fill > 0:
        draw.rectangle((BAR_X0 + 2, bottom - 1 - fill, WIDTH - 3, bottom - 2), fill=ON)
    if target_pct is not None:
        y = bottom - 1 - round(max(0.0, min(100.0, target_pct)) / 100.0 * (bottom - top - 2))
        draw.line((BAR_X0 - 2, y, BAR_X0 - 1, y), fill=ON)


def _lift(view: LiftView) -> Steps:
    image = _shaft_frame(view.level_pct, view.target_lo_pct, view.target_hi_pct, view.floor)
    yield
    yield from _caption_countdown_footer(image, view.caption, view.countdown_s, view.footer)
    return image


def _relax(view: RelaxView) -> Steps:
    """The same shaft with the rest zone (0 to RELAX_ZONE_PCT) as the target."""
    image = _shaft_frame(view.level_pct, 0.0, RELAX_ZONE_PCT, None)
    yield
    yield from _caption_countdown_footer(image, view.caption, view.countdown_s, view.footer)
    return image


def _caption_countdown_footer(image: Image.Image, caption: str, countdown_s: float | None,
                              footer: str) -> Generator[None, None, None]:
    draw = ImageDraw.Draw(image)
    _draw_caption_and_countdown(draw, caption, countdown_s)
    yield
    _draw_footer(draw, footer)


def _warning(view: WarningView) -> Steps:
    """Inverted: black text as large as fits on a white screen."""
    image, draw = _new()
    draw.rectangle((0, 0, WIDTH - 1, HEIGHT - 1), fill=ON)
    bottom = HEIGHT - 3
    if view.detail:             # what to do, as large as fits under it (in the 8-px font, 1 mm high on the
        draw_text_block(draw, (2, WARNING_DETAIL_TOP, WIDTH - 3, HEIGHT - 1), view.detail,    # panel: a trial)
                        sizes=WARNING_DETAIL_SIZES, max_lines=1, fill=0)
        bottom = WARNING_DETAIL_TOP - 2
        yield
    draw_text_block(draw, (2, 2, WIDTH - 3, bottom), view.text, sizes=BIG_SIZES, max_lines=2, fill=0)
    return image


SUMMARY_TITLE_H = 15           # the end screen's title row; its lines below the rule under it
SUMMARY_LINES_TOP = SUMMARY_TITLE_H + 2


def _summary_spread(n_lines: int) -> int:
    """The height each of the end screen's `n_lines` lines has at most."""
    return (HEIGHT - SUMMARY_LINES_TOP) // n_lines


def _summary(view: SummaryView) -> Steps:
    image, draw = _new()
    title_h = SUMMARY_TITLE_H
    draw_text_block(draw, (0, 0, WIDTH - 1, title_h - 1), view.title, sizes=SUMMARY_TITLE_SIZES,
                    max_lines=1)
    draw.line((0, title_h, WIDTH - 1, title_h), fill=ON)
    if view.lines:
        top = SUMMARY_LINES_TOP
        spread = _summary_spread(len(view.lines))
        # one size for every line: the largest all fit (an advice wrapped onto two lines must not
        # end in a larger font than it began)
        sizes = []
        for line in view.lines:                 # one line's layout a step (each cached for the drawing)
            yield
            sizes.append(_summary_line_fit(line, spread))
        size = min(sizes)
        # the lines a row apart, the block in the middle: spread over the page, an advice's two
        # lines stood a blank row apart ("Laat elke keer volledig / / los": a trial)
        pitch = min(spread, _row_px(size))
        first = top + (spread - pitch) * len(view.lines) // 2
        for i, line in enumerate(view.lines):
            yield
            draw_text_block(draw, (1, first + i * pitch, WIDTH - 1, first + (i + 1) * pitch - 1), line,
                            sizes=(size,), max_lines=1, align="left")
    return image


def summary_line_px(line: str, size: int) -> int:
    """How wide `line` is drawn on a row of the end screen at `size` (its rows are WIDTH - 1 px)."""
    x0, _, x1, _ = _extent(plain(line), size)
    return x1 - x0


def summary_line_size(lines: Sequence[str]) -> int:
    """The size the end screen draws `lines` in (as `_summary` does: the largest every one fits)."""
    spread = _summary_spread(len(lines))
    return min(_summary_line_fit(line, spread) for line in lines)


def summary_title_size(title: str) -> int:
    """The font size the end screen's title row draws `title` at."""
    return _block_layout(plain(title), WIDTH, SUMMARY_TITLE_H, SUMMARY_TITLE_SIZES, 1, 1)[0]


def _summary_line_fit(line: str, spread: int) -> int:
    """The largest of SUMMARY_LINE_SIZES `line` fits a row of the end screen in, `spread` px high."""
    return _block_layout(plain(line), WIDTH - 1, spread, SUMMARY_LINE_SIZES, 1, 1)[0]


def _row_px(size: int) -> int:
    """The pitch of lines of text at `size`: the font's height and a 3 px gap (at 16 px, 22: the end
    screen's two rows fill it under its title)."""
    return sum(font(size).getmetrics()) + 3


def _message(view: MessageView) -> Steps:
    image, draw = _new()
    if not view.lines:
        draw_text_block(draw, (0, 0, WIDTH - 1, HEIGHT - 1), view.title, sizes=BIG_SIZES[3:], max_lines=3)
        return image
    n = len(view.lines)
    line_h = 18 if n == 1 else max(10, min(14, 32 // n))
    if n * line_h > HEIGHT - 14:                   # many lines: the title keeps one small line
        line_h = (HEIGHT - 14) // n
    lines_top = HEIGHT - n * line_h
    draw_text_block(draw, (0, 0, WIDTH - 1, lines_top - 3), view.title, sizes=BIG_SIZES[3:], max_lines=2)
    for i, line in enumerate(view.lines):
        yield
        draw_text_block(draw, (0, lines_top + i * line_h, WIDTH - 1, lines_top + (i + 1) * line_h - 1), line,
                        sizes=MESSAGE_LINE_SIZES, max_lines=1)
    return image


MENU_BOX_PX, MENU_GAP_PX, MENU_BOXES = 7, 3, 8      # the menu's goal boxes: at most 8 drawn


def _menu_heading_box(goal: int) -> tuple[int, int, int, int]:
    """Where the menu's heading goes: left of the boxes of a goal of `goal` sessions."""
    boxes_x0 = WIDTH - min(goal, MENU_BOXES) * (MENU_BOX_PX + MENU_GAP_PX) + MENU_GAP_PX - 1
    return 0, 0, boxes_x0 - 4, 11


def menu_heading_fits(heading: str, goal: int) -> bool:
    """`heading` fits beside the boxes of a goal of `goal` sessions, uncut."""
    x0, y0, x1, y1 = _menu_heading_box(goal)
    return _block_layout(heading, x1 - x0 + 1, y1 - y0 + 1, FOOTER_SIZES, 1, 1)[1] == (heading,)


def _menu(view: MenuView) -> Steps:
    """Heading and one box per session of the day's goal (filled when done) on top, the
    item in the middle between < and >, the hint along the bottom."""
    image, draw = _new()
    heading_box = _menu_heading_box(view.goal)
    draw_text_block(draw, heading_box, view.heading, sizes=FOOTER_SIZES, max_lines=1, align="left")
    for i in range(min(view.goal, MENU_BOXES)):
        x = heading_box[2] + 4 + i * (MENU_BOX_PX + MENU_GAP_PX)
        draw.rectangle((x, 2, x + MENU_BOX_PX - 1, 2 + MENU_BOX_PX - 1), outline=ON, fill=ON if i < view.done else 0)
    draw.line((0, 13, WIDTH - 1, 13), fill=ON)
    draw_line(draw, (0, 36), "<", font(SMALL))
    draw_line(draw, (WIDTH - 6, 36), ">", font(SMALL))
    yield
    draw_text_block(draw, (8, 16, WIDTH - 9, FOOTER_TOP - 3), view.item, max_lines=2)
    yield
    _draw_footer(draw, view.hint)
    return image


_RENDERERS = {PacerView: _pacer, LiftView: _lift, RelaxView: _relax, WarningView: _warning,
              SummaryView: _summary, MessageView: _message, MenuView: _menu}


def clear_caches() -> None:
    """Forget every cached stamp, layout and background, so that the next frames are drawn
    from scratch (for tests that watch what is drawn)."""
    _STAMPS.clear()
    for cached in (_block_stamp, _footer_stamp, _shaft_background, _block_layout, _words_at, _extent,
                   _word_box, _word_length, _text_box, _number_layout):
        cached.cache_clear()


def warm_up_views(captions: Iterable[str], footers: Iterable[str] = (), numbers: Iterable[int] = ()) -> list[View]:
    """Views that, rendered once ahead (and thrown away), lay out and stamp what the
    screen will show later -- `captions` in every caption slot, `footers` and countdown
    `numbers` -- so that the frame showing it costs no fitting (a cold layout takes tens
    of ms on a Pi Zero, a cached one nothing)."""
    views: list[View] = []
    captions = list(captions)
    for s in captions:
        views += [LiftView(0.0, None, None, None, s, None, ""), LiftView(0.0, None, None, None, s, 1.0, ""),
                  PacerView("inhale", 0.0, s), PacerView("inhale", 0.0, s, level_pct=0.0), WarningView(s),
                  MessageView(s), MessageView(s, ("",))]
    views += [LiftView(0.0, None, None, None, "", None, footer) for footer in footers]
    low = next((s for s in captions if _caption_split(s) == CAPTION_SPLIT_LOW), None)   # (its countdown smaller)
    views += [LiftView(0.0, None, None, None, caption, float(n), "") for n in numbers
              for caption in ("", *([] if low is None else [low]))]
    return views


def render_steps(view: View) -> Steps:
    """The drawing of `view` in steps: each `next()` draws a part of the frame (on a Pi
    Zero well within a millisecond), and the generator returns the image at the end."""
    try:
        renderer = _RENDERERS[type(view)]
    except KeyError:
        raise TypeError(f"no renderer for {type(view).__name__}") from None
    return renderer(view)


def render(view: View) -> Image.Image:
    """The 128x64 mode '1' image of `view`, in one go."""
    return finish(render_steps(view))
