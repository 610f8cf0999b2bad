"""The screen's frames and their tags: each tag a view was asked for with comes back once,
with the first frame completely on the panel that was asked for with it or after it --
however the frames overtake each other (the cue log's "shown" lines rest on this)."""

from device.screen import Screen
from device.screens import WarningView

A, B, C = WarningView("Een", "a"), WarningView("Twee", "b"), WarningView("Drie", "c")


class PanelStub:
    """Stands in for `drivers.display.Oled`: a frame is four transactions."""
    size = (128, 64)

    def packed_steps(self, image):
        yield
        return b"frame"

    def transactions(self, data, on_panel=None):
        return ("t1", "t2", "t3", "t4")

    def frame(self, image):
        return ("t1", "t2", "t3", "t4")

    def settings(self):
        return "settings"

    def send(self, transaction):
        pass


def screen() -> Screen:
    s = Screen(PanelStub, log=lambda message: None)
    assert s.open()
    return s


def drawn_and_packed(s: Screen) -> None:
    while not s.render():
        pass
    while not s.pack():
        pass


def sent(s: Screen, transactions: int = 99) -> list[tuple]:
    """The tags of every frame completed while sending up to `transactions` transactions."""
    shown = []
    for _ in range(transactions):
        if s.send_one():
            shown.append(s.shown_tags)
    return shown


def test_a_frame_completed_before_the_next_is_packed_brings_its_own_tags():
    s = screen()
    s.show(A, tag="a")
    drawn_and_packed(s)
    s.show(B, tag="b")
    assert sent(s) == [("a",)]                  # A was whole before B was drawn
    drawn_and_packed(s)
    assert sent(s) == [("b",)]


def test_a_frame_replaced_before_it_was_whole_hands_its_tags_to_the_one_that_replaced_it():
    s = screen()
    s.show(A, tag="a")
    drawn_and_packed(s)
    assert sent(s, 2) == []                     # half of A on the panel ...
    s.show(B, tag="b")
    drawn_and_packed(s)                         # ... when B replaces the rest
    assert sent(s) == [("a", "b")]


def test_views_asked_for_while_one_is_drawn_keep_every_tag_and_an_untagged_one_takes_them_along():
    s = screen()
    s.show(A, tag="a")
    s.show(B, tag="b")                          # A is never drawn
    s.show(C)                                   # the summary screen, say: no cue of its own
    drawn_and_packed(s)
    assert sent(s) == [("a", "b")]
    s.show(A)
    drawn_and_packed(s)
    assert sent(s) == [()]                      # nothing told twice
