"""The `pftrainer` command: a stop asked for while it is still starting (SIGTERM from
systemd, Ctrl-C) ends it with one line and a clean exit -- 0 for SIGTERM, 130 for
Ctrl-C -- instead of a traceback or death by signal. The device's own stop flag takes
over once a command is under way (`device.stopping`)."""

from __future__ import annotations

import os
import signal
import sys

EXIT_CODES = {signal.SIGTERM: 0, signal.SIGINT: 130}


def _stopped_early(signum, _frame) -> None:
    """Say so and exit at once. Not by raising SystemExit: raised wherever the signal lands,
    it can be swallowed (the kill campaign saw it once: the run went on for three sessions
    after this line; not reproduced in 85 tries). Nothing is lost by exiting here: the
    device is built to survive SIGKILL at any point."""
    print(f"pftrainer: stopped by {signal.Signals(signum).name} while starting", file=sys.stderr)
    if sys.stderr is not None:               # (closed, `2>&-`: the line went to stdout)
        sys.stderr.flush()
    os._exit(EXIT_CODES[signal.Signals(signum)])


class SparedLog:
    """Standard error that a closed reader cannot stop: a log line that cannot be written (the
    journal gone, a pipe into `head` closed) is lost, and the device trains on -- `run` stopped
    after its first session when it was (a trial)."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except (OSError, ValueError):          # (ValueError: the stream closed after a broken pipe)
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except (OSError, ValueError):
            pass

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def install_early_stop() -> None:
    for sig in EXIT_CODES:
        signal.signal(sig, _stopped_early)


def main() -> int:
    install_early_stop()                      # before the imports: they take a while on a Pi
    if sys.stderr is not None:                # (closed, `2>&-`: Python gives None, and print() goes to stdout)
        sys.stderr = SparedLog(sys.stderr)
    from device.cli import main as cli_main
    return cli_main()
