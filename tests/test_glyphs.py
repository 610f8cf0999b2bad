"""The digits and '/' as the OLED shows them: no two alike, at every size the screens draw text.

Each glyph is drawn by the screens' own text code (`stamp_text`) alone on a frame, sent
through the real luma.oled ssd1306 driver onto the emulated SSD1306, and read back off
the panel. Two glyphs, drawn at the same pen position, must differ in at least
MIN_DIFFERENT_PX pixels. Why 4: one stroke of a 6-px-tall digit is 2-4 pixels (the bar
across the middle of an 8, the open left side of a 3), while the pairs users mixed up
in Pillow's default font at 8-11 px (5/6, 3/8, 6/8: "Serie 3/3" read "s/s") differed by
2 or 3 pixels at rounded corners, which the eye fills in.
"""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from itertools import combinations
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from device import screens
from tools.reference_screens import EmulatedPanel

GLYPHS = "0123456789/"
MIN_DIFFERENT_PX = 4
PEN_XY = (40, 50)                 # left end of the baseline: room for the tallest size's ascender


def glyph_on_panel(panel: EmulatedPanel, glyph: str, size: int) -> Image.Image:
    frame = Image.new("1", (screens.WIDTH, screens.HEIGHT), 0)
    screens.stamp_text(ImageDraw.Draw(frame), PEN_XY, glyph, screens.font(size))
    return panel.shows(frame)


def different_px(a: Image.Image, b: Image.Image) -> int:
    return sum(1 for v in ImageChops.difference(a.convert("L"), b.convert("L")).getdata() if v)


@pytest.fixture(scope="module")
def panel() -> EmulatedPanel:
    return EmulatedPanel()


@pytest.mark.parametrize("size", sorted(screens.TEXT_SIZES))
def test_no_two_digits_look_alike_on_the_panel(panel, size):
    shown = {g: glyph_on_panel(panel, g, size) for g in GLYPHS}
    for g, image in shown.items():
        box = image.getbbox()
        assert box is not None, f"{g!r} at {size} px left the panel dark"
        assert box[2] <= screens.WIDTH and box[3] <= screens.HEIGHT
    distances = {(a, b): different_px(shown[a], shown[b]) for a, b in combinations(GLYPHS, 2)}
    closest = sorted(distances.items(), key=lambda item: item[1])[:3]
    assert closest[0][1] >= MIN_DIFFERENT_PX, f"at {size} px the closest pairs differ by {closest} pixels"


def test_the_small_size_is_the_bundled_bitmap_font_and_is_packaged():
    assert screens.font(screens.SMALL).getname() == ("Fixed", "Regular")     # misc-fixed, not Pillow's
    root = Path(__file__).resolve().parent.parent
    globs = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["device"]
    assert any(fnmatch(screens.SMALL_FONT, pattern) for pattern in globs), \
        f"{screens.SMALL_FONT} is not in the device package's package-data {globs}"
    assert (root / "device" / screens.SMALL_FONT).is_file()
