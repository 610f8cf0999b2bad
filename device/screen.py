"""The one owner of the OLED: what it should show, the frame on its way, and whether it is there.

Whoever wants something on the screen asks with `show(view)`; the screen renders the
latest wish (an unchanged view is not drawn again), packs it into bus transactions,
and sends the frame a transaction at a time: the pages from the first to the last that
differ from what the panel shows, once that is known (after a whole frame; not after a
frame cut short, nor when the panel was opened), and every `WHOLE_EVERY`-th frame whole
even so. A whole frame goes after the panel's settings sent again (`Oled.settings()`): panel
memory changed behind the screen's back (another process drawing on it, `pftrainer selftest`
beside the service, a glitch on the wire) is put right within seconds, and a panel that lost
power (it comes back switched off) is woken. Each is done in small steps (`render`, `pack`,
`send_one`: well within a millisecond of a Pi Zero's time each) that the caller can slip
into the gaps between ADC reads. A newer frame replaces what is left of an older one
(every frame addresses the pages it sends). The `tag` a view is asked for with comes back
once, in `shown_tags`, with the first frame completely on the panel that was asked for
with it or after it: a frame replaced before it was whole hands its tags on to the one
that replaced it (the cue log logs what was shown, each cue once).

The panel is opened -- luma's init sequence, then `[oled] contrast` -- by the opener
from `device.hardware`; opened again after a fault (it may have lost power), the same
driver restarts it (`Oled.restart()`: no new luma device, which luma would keep alive
until the process ends). Without a
panel, or once a write fails, the screen is absent and every call is a no-op: the
buzzer carries the cues.
"""

from __future__ import annotations

from typing import Callable

from PIL import Image

from device.screens import View, render_steps
from drivers.display import DisplayError, Oled, Transaction

WHOLE_EVERY = 17        # every this-many-th frame packed is sent whole (about 8 s of a session's frames)


class Screen:
    def __init__(self, opener: Callable[[], Oled], *, log: Callable[[str], None]) -> None:
        self._opener = opener
        self._log = log
        self._oled: Oled | None = None
        self._panel: Oled | None = None           # the panel once opened: restarted, not opened again
        self._wanted: View | None = None          # asked for, not rendered yet
        self._wanted_tags: tuple = ()             # tags asked for with views not packed yet
        self._drawn: View | None = None           # the view of the latest rendered frame
        self._drawing = None                      # steps of the frame being drawn
        self._image: Image.Image | None = None    # rendered, not packed yet
        self._packing = None                      # steps of the frame being packed
        self._queue: tuple[Transaction, ...] = ()
        self._next = 0
        self._sending: bytes | None = None        # the packed frame being sent
        self._on_panel: bytes | None = None       # what the panel shows (None: not known)
        self._since_whole = 0                     # frames packed since the last whole one
        self._tags: tuple = ()                    # the tags the frame being sent carries
        self.shown_tags: tuple = ()               # the tags of the frame last completed
        self.on_change: Callable[[], None] = lambda: None     # something new to render or send

    # --- the panel -----------------------------------------------------------------------------
    def open(self, why: str = "no screen") -> bool:
        """Initialise the panel (again); False, and the screen absent, when it does not answer."""
        try:
            if self._panel is None:
                self._panel = self._opener()
                self._panel.frame(Image.new("1", self._panel.size))   # the first packing is slow: not while sampling
            else:
                self._panel.restart()
            self._oled = self._panel
        except DisplayError as e:
            self._oled = None
            self._log(f"{why} ({e}): coaching by buzzer only")
        self._queue, self._next, self._drawn, self._tags = (), 0, None, ()     # never shown: not told
        self._sending = self._on_panel = None
        self._drawing = self._image = self._packing = None
        return self._oled is not None

    @property
    def present(self) -> bool:
        return self._oled is not None

    def _lost(self, error: DisplayError) -> None:
        self._oled = None
        self._queue, self._next, self._tags, self._wanted_tags = (), 0, (), ()
        self._wanted = self._drawing = self._image = self._packing = None
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
            self._wanted_tags += (tag,)
        self.on_change()

    @property
    def waiting(self) -> bool:
        """A view is asked for and not drawn yet."""
        return self._wanted is not None or self._drawing is not None

    def render(self) -> bool:
        """Draw a part of the view asked for; True once the frame is drawn (then `pack()` it).
        A view asked for meanwhile starts over."""
        if self._wanted is not None:
            self._drawing = render_steps(self._wanted)
            self._drawn, self._wanted = self._wanted, None
        if self._drawing is None or self._oled is None:
            return False
        image = _step(self._drawing)
        if image is None:
            return False
        self._drawing, self._image, self._packing = None, image, None
        return True

    @property
    def packing(self) -> bool:
        """A drawn frame waits to be packed, or is being packed."""
        return self._image is not None or self._packing is not None

    def pack(self) -> bool:
        """Pack a part of the drawn frame; True once it is the frame to send (replacing
        what is left of the last one)."""
        if self._image is not None:
            self._packing, self._image = self._oled.packed_steps(self._image), None
        if self._packing is None or self._oled is None:
            return False
        data = _step(self._packing)
        if data is None:
            return False
        self._packing = None
        carried = self._tags if self.pending else ()      # the frame it replaces was not whole
        self._since_whole += 1
        if (self.pending and self._next) or self._since_whole >= WHOLE_EVERY:
            self._on_panel = None       # the one it replaces is on the panel in part, or time for a whole one
        queue = self._oled.transactions(data, self._on_panel)
        if self._on_panel is None:      # a whole frame: after the panel's settings (it may have lost power)
            self._since_whole = 0
            queue = (self._oled.settings(),) + queue
        self._queue, self._next, self._sending = queue, 0, data
        self._tags, self._wanted_tags = carried + self._wanted_tags, ()
        return True

    @property
    def idle(self) -> bool:
        """Nothing to draw, pack or send (or no screen)."""
        return not (self.waiting or self.packing or self.pending)

    @property
    def pending(self) -> int:
        """Transactions of the current frame not sent yet."""
        return len(self._queue) - self._next

    def send_one(self) -> bool:
        """Send the next transaction; True when that completed the frame (see `shown_tags`)."""
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
        self.shown_tags, self._tags = self._tags, ()
        self._on_panel = self._sending
        return True



def _step(steps):
    """One step of work done in steps: its result once it is over, else None."""
    try:
        next(steps)
    except StopIteration as done:
        return done.value
    return None
