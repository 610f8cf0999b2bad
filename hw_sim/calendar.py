"""The simulated world's calendar: the date and time the device stamps its sessions with.

It starts at the host's date and time when the simulation begins (or after the last
session kept in the state directory, if that ended later; or, for days of sessions on an empty
history, as many days back: `go_back`) and moves on with the virtual clock, and by whole days
when the simulated user lets days pass between sessions (`pass_days`): weeks of training, in
minutes, for the progression and the assessments.
"""

from __future__ import annotations

import datetime

from device.stored_values import PLAUSIBLE_DAYS
from hw_sim.clock import VirtualClock


class SimCalendar:
    def __init__(self, clock: VirtualClock, start: datetime.datetime | None = None) -> None:
        self.clock = clock
        self.start = start or datetime.datetime.now().replace(microsecond=0)
        self.days = 0

    def begin_after(self, moment: datetime.datetime | None) -> None:
        """Start no earlier than `moment` (when the last session a state directory keeps
        ended): the simulated world goes on from there, so its sessions never land before or
        inside one kept (`run --sim --days-between` moves it weeks ahead of the host)."""
        if moment is not None and moment > self.start:
            self.start = moment.replace(microsecond=0) + datetime.timedelta(seconds=1)

    def go_back(self, days: int) -> None:
        """Start `days` days earlier, at the same time of day -- but on a day a kept session can
        have begun on (`PLAUSIBLE_DAYS`): `run --sim --days-between` on an empty history, so that
        its last session falls on the host's day (it ran weeks ahead of it: a report *made* on
        7 Dec covered sessions up to 22 Dec, a trial)."""
        earliest = datetime.datetime.combine(PLAUSIBLE_DAYS[0], self.start.time())
        self.start = max(self.start - datetime.timedelta(days=days), earliest)

    def now(self) -> datetime.datetime:
        return self.start + datetime.timedelta(days=self.days, seconds=self.clock.now())

    def pass_days(self, days: int) -> None:
        self.days += days

    def pass_until(self, moment: datetime.datetime) -> None:
        """Move on to `moment` (none back): the user comes back at a time of day of theirs."""
        if moment > self.now():
            self.start += moment - self.now()
