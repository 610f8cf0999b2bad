"""The simulated user's eyes (`hw_sim.screen_reader`) on every screen the device draws."""

import pytest

from device.screens import MenuView, SummaryView, render
from hw_sim.screen_reader import shows_end_screen, shows_menu
from tools.reference_screens import CASES


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_end_screen_and_the_menu_are_told_from_every_other_screen(lang):
    """Trial93: the simulated user knew the end screen only by its sound; it reads it on sight too,
    and must take no other screen for it (nor for the menu, where it presses OK)."""
    for case, view_of in CASES.items():
        view = view_of(lang)
        image = render(view)
        assert shows_end_screen(image) == isinstance(view, SummaryView), case
        assert shows_menu(image) == isinstance(view, MenuView), case
