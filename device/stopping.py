"""A clean stop on SIGTERM (systemd stopping the service) or Ctrl-C.

The commands that sample (`run`, `sim`, `record`) install a `StopFlag`: the handler only
sets a flag; the sampling loop checks it once per tick and ends the session between two
samples, so no file line or database row is left half written. The other commands
(`analyze`, `report`, `export`, ...) run `interruptible()`: the signal raises
`Interrupted` where the command is, so every file it was writing, kept under a
temporary name until whole, is removed on the way out.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from typing import Iterator

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopRequested(Exception):
    """The loop saw the stop flag; what was recorded is kept."""


class StopFlag:
    def __init__(self) -> None:
        self.requested = False
        self.signal_name = ""

    def install(self) -> "StopFlag":
        """Route SIGTERM and SIGINT to this flag (main thread only)."""
        for sig in SIGNALS:
            signal.signal(sig, self._handle)
        return self

    def _handle(self, signum, _frame) -> None:
        self.request(signal.Signals(signum).name)

    def request(self, by: str) -> None:
        """Ask the loop to stop (`by`: who asked, e.g. SIGTERM)."""
        self.requested = True
        self.signal_name = by

    def check(self) -> None:
        if self.requested:
            raise StopRequested(f"stopped by {self.signal_name}")


class Interrupted(BaseException):
    """SIGTERM or SIGINT during a command that watches no stop flag. A BaseException, as
    KeyboardInterrupt is: an `except Exception` on the way does not swallow it."""

    def __init__(self, signum: int) -> None:
        self.signal_name = signal.Signals(signum).name
        self.exit_code = 128 + signum            # the shell's status for a death by that signal
        super().__init__(f"stopped by {self.signal_name}")


def _raise_interrupted(signum, _frame) -> None:
    for sig in SIGNALS:              # once: a second Ctrl-C must not cut the clean-up short
        signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signum)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """SIGTERM and SIGINT raise `Interrupted` inside (a `StopFlag` installed inside takes
    over); the handlers from before are back afterwards. Outside the main thread, where no
    handler can be set, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {sig: signal.getsignal(sig) for sig in SIGNALS}
    for sig in SIGNALS:
        signal.signal(sig, _raise_interrupted)
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
