"""Reading the emulated OLED as the user does: which level the lift asks for, and whether
the menu is up. Works on what the panel shows (`Ssd1306Emulator.image()`), laid out as
`device.screens` documents it."""

from __future__ import annotations

from PIL import Image

from device.screens import GROUND_Y, SHAFT_TOP, SHAFT_X0, WIDTH
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


def shows_menu(image: Image.Image) -> bool:
    """The menu is up: its rule crosses the whole width, with unlit rows around it."""
    def full(y: int) -> bool:
        return image.crop((0, y, WIDTH, y + 1)).tobytes() == LIT_ROW
    return full(MENU_RULE_Y) and not full(MENU_RULE_Y - 1) and not full(MENU_RULE_Y + 1)
