"""A clean stop on SIGTERM (systemd stopping the service) or Ctrl-C.

The handler only sets a flag; the sampling loop checks it once per tick and ends the
session between two samples, so no file line or database row is left half written.
"""

from __future__ import annotations

import signal


class StopRequested(Exception):
    """The loop saw the stop flag; what was recorded is kept."""


class StopFlag:
    def __init__(self) -> None:
        self.requested = False
        self.signal_name = ""

    def install(self) -> "StopFlag":
        """Route SIGTERM and SIGINT to this flag (main thread only)."""
        for sig in (signal.SIGTERM, signal.SIGINT):
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
