"""A USB stick on the simulator: a folder plugged in at a moment of the simulation
(`[sim] usb_dir`, `usb_plug_s`). What udev and `pftrainer-usb@.service` do on the Pi --
write the history onto it (`device.usb_export`) and leave the result in the status file
the appliance watches (`device.usb_status`) -- happens then, in this process, as the
simulator's own work: it costs the device no virtual time.
"""

from __future__ import annotations

from pathlib import Path

from device.config import Config
from device.usb_export import export_to_stick
from device.usb_status import write_status
from hw_sim.calendar import SimCalendar


def plug_stick(calendar: SimCalendar, at_s: float, folder: Path, cfg: Config, *, state_dir: Path,
               status: Path) -> None:
    """At `at_s` seconds of `calendar`'s clock, export `state_dir` onto `folder` and
    leave the result in `status`."""
    def plugged(_t: float) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        write_status(status, export_to_stick(state_dir, folder, cfg, now=calendar.now()).status)
    calendar.clock.call_at(at_s, plugged)
