"""The one owner of the OLED: what it should show, the frame on its way, and whether it is there.

Whoever wants something on the screen asks with `show(view)`; the screen renders the
latest wish (an unchanged view is not drawn again) and sends the frame a bus
transaction at a time (`send_one`), so that the caller can slip each one between two
ADC reads on the shared I2C bus. A newer frame replaces what is left of an older one
(every frame re-addresses the whole panel). A `tag` travels with a frame and comes back
as `shown_tag` once the frame is completely on the panel (the cue log uses it).

The panel is opened -- luma's init sequence, then `[oled] contrast` -- by the opener
from `device.hardware`, also again after a fault (it may have lost power). Without a
panel, or once a write fails, the screen is absent and every call is a no-op: the
buzzer carries the cues.
"""

from __future__ import annotations

from typing import Callable

from device.screens import View, render
from drivers.display import DisplayError, Oled, Transaction


class Screen:
    def __init__(self, opener: Callable[[], Oled], *, transaction_s: float,
                 log: Callable[[str], None]) -> None:
        self._opener = opener
        self.transaction_s = transaction_s        # bus time of one frame transaction
        self._log = log
        self._oled: Oled | None = None
        self._wanted: View | None = None          # asked for, not rendered yet
        self._wanted_tag: object = None
        self._drawn: View | None = None           # the view of the latest rendered frame
        self._queue: tuple[Transaction, ...] = ()
        self._next = 0
        self._tag: object = None                  # the tag of the frame being sent
        self.shown_tag: object = None             # the tag of the frame last completed
        self.frames = 0                           # frames rendered

    # --- the panel -----------------------------------------------------------------------------
    def open(self, why: str = "no screen") -> bool:
        """Initialise the panel (again); False, and the screen absent, when it does not answer."""
        try:
            self._oled = self._opener()
        except DisplayError as e:
            self._oled = None
            self._log(f"{why} ({e}): coaching by buzzer only")
        self._queue, self._next, self._drawn = (), 0, None
        return self._oled is not None

    @property
    def present(self) -> bool:
        return self._oled is not None

    def _lost(self, error: DisplayError) -> None:
        self._oled = None
        self._queue, self._next = (), 0
        self._log(f"screen lost ({error}): coaching by buzzer only")

    # --- frames ----------------------------------------------------------------------------------
    def show(self, view: View, tag: object = None, *, force: bool = False) -> None:
        """Ask for `view`; `force` draws it even when it is what the screen shows already."""
        if self._oled is None:
            return
        if not force and tag is None and view == (self._wanted or self._drawn):
            return
        self._wanted = view
        if tag is not None:
            self._wanted_tag = tag

    @property
    def waiting(self) -> bool:
        """A view is asked for and not rendered yet."""
        return self._wanted is not None

    @property
    def unsent_tag(self) -> object:
        """The tag of a frame asked for or under way that is not completely shown yet."""
        if self._wanted_tag is not None:
            return self._wanted_tag
        return self._tag if self.pending else None

    def render(self) -> None:
        """Draw the view asked for into the frame to send (replacing what is left of the last)."""
        view, self._wanted = self._wanted, None
        if view is None or self._oled is None:
            return
        self._queue, self._next = self._oled.frame(render(view)), 0
        self._tag, self._wanted_tag = self._wanted_tag, None
        self._drawn = view
        self.frames += 1

    @property
    def pending(self) -> int:
        """Transactions of the current frame not sent yet."""
        return len(self._queue) - self._next

    def send_one(self) -> bool:
        """Send the next transaction; True when that completed the frame (see `shown_tag`)."""
        oled = self._oled
        if oled is None or self._next >= len(self._queue):
            return False
        try:
            oled.send(self._queue[self._next])
        except DisplayError as e:
            self._lost(e)
            return False
        self._next += 1
        if self._next < len(self._queue):
            return False
        self.shown_tag, self._tag = self._tag, None
        return True

    def pump(self, clock, until_s: float) -> bool:
        """Render what is asked for, then send transactions while one more fits before
        `until_s` on `clock`; True when a frame was completed."""
        if self._wanted is not None:
            self.render()
        done = False
        while self.pending and clock.now() + self.transaction_s <= until_s:
            done = self.send_one() or done
        return done

    def flush(self, clock) -> None:
        """Render and send everything asked for, now."""
        while self._wanted is not None or self.pending:
            self.pump(clock, clock.now() + 1.0)
