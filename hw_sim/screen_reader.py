"""Reading the emulated OLED as the user does: which level the lift asks for, and whether
the menu or the end screen is up. Works on what the panel shows (`Ssd1306Emulator.image()`),
laid out as `device.screens` documents it."""

from __future__ import annotations

from PIL import Image

from device.screens import GROUND_Y, SHAFT_TOP, SHAFT_X0, SUMMARY_TITLE_H, WIDTH
from session.levels import BAND_PCT

MENU_RULE_Y = 13             # the menu's full-width line under "Vandaag n/m"
LIT_ROW = b"\xff" * (WIDTH // 8)   # a row of a '1' image with every pixel lit, as bytes


def _lit(image: Image.Image, x: int, y: int) -> bool:
    return bool(image.getpixel((x, y)))


def target_pct(image: Image.Image) -> float | None:
    """The level the lift screen asks for (% of maximum), from its hatched target band:
    its two edges are the only rows lit on both of the shaft's innermost columns (the
    hatching never lights two neighbours). None when no lift with a band is shown."""
    x = SHAFT_X0 + 1
    edges = [y for y in range(0, GROUND_Y) if _lit(image, x, y) and _lit(image, x + 1, y)]
    if len(edges) != 2:
        return None
    y_lo = edges[1]
    lo_pct = (GROUND_Y - y_lo) * 100.0 / (GROUND_Y - SHAFT_TOP)
    return lo_pct + BAND_PCT


def _rule_at(image: Image.Image, y: int) -> bool:
    """Row `y` alone is lit across the whole width (a rule, not a filled area)."""
    def full(row: int) -> bool:
        return image.crop((0, row, WIDTH, row + 1)).tobytes() == LIT_ROW
    return full(y) and not full(y - 1) and not full(y + 1)


def shows_menu(image: Image.Image) -> bool:
    """The menu is up: its rule under "Vandaag n/m" crosses the whole width."""
    return _rule_at(image, MENU_RULE_Y)


def shows_end_screen(image: Image.Image) -> bool:
    """A page of the end screen is up (a results, mistakes or tip page; not the new level's,
    a message): the rule under its title crosses the whole width."""
    return _rule_at(image, SUMMARY_TITLE_H)
