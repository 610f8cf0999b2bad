"""systemd's notify protocol (sd_notify) in plain Python: READY, WATCHDOG, STATUS, STOPPING.

Under `Type=notify` systemd passes `NOTIFY_SOCKET` (a path, or `@name` in the abstract
namespace) and, with `WatchdogSec=`, `WATCHDOG_USEC`. The loop calls `tick(now_s)` every
iteration; it sends `WATCHDOG=1` every half watchdog period, so a hung loop stops the
pings and systemd restarts the service. Outside systemd every call is a no-op.
"""

from __future__ import annotations

import os
import socket


class Notifier:
    def __init__(self, environ=None) -> None:
        env = os.environ if environ is None else environ
        address = env.get("NOTIFY_SOCKET", "")
        if address.startswith("@"):
            address = "\0" + address[1:]
        self._address = address or None
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) if address else None
        if self._socket is not None:
            self._socket.setblocking(False)     # a full socket queue must never stall the loop
        usec = env.get("WATCHDOG_USEC")
        pid = env.get("WATCHDOG_PID")
        mine = pid is None or pid == str(os.getpid())
        self.watchdog_interval_s = _half_interval_s(usec) if mine else None
        self._next_ping_s: float | None = None

    @property
    def active(self) -> bool:
        return self._socket is not None

    def send(self, *assignments: str) -> None:
        """Send `KEY=value` lines in one datagram; a vanished or full socket is ignored."""
        if self._socket is None:
            return
        try:
            self._socket.sendto("\n".join(assignments).encode(), self._address)
        except OSError:
            pass

    def ready(self, status: str = "") -> None:
        self.send("READY=1", *([f"STATUS={status}"] if status else []))

    def status(self, text: str) -> None:
        self.send(f"STATUS={text}")

    def stopping(self) -> None:
        self.send("STOPPING=1")

    def tick(self, now_s: float) -> None:
        """Feed the watchdog if half its period has passed (monotonic `now_s`)."""
        interval_s = self.watchdog_interval_s
        if interval_s is None:
            return
        if self._next_ping_s is None or now_s >= self._next_ping_s:
            self.send("WATCHDOG=1")
            self._next_ping_s = now_s + interval_s

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def _half_interval_s(usec: str | None) -> float | None:
    """Half the watchdog interval systemd asks for in WATCHDOG_USEC (whole microseconds);
    None when it asks for none or the value is not one (then nobody is watching)."""
    if not usec or not usec.isascii() or not usec.isdigit() or int(usec) == 0:
        return None
    return int(usec) / 2e6
