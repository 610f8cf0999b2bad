"""A start that a restart cannot mend, told on the device itself.

`run` under systemd with a mistake in `/etc/pftrainer/pftrainer.toml`, or with a state
directory it cannot use (an SD card the kernel remounted read-only), exited at once, was tried
five times and left failed: a dark, silent device, the reason only in the journal (a trial).
Now the panel says so -- *Fout in de instellingen* / *Zie: pftrainer config*, *Opslagfout* / *Zie het
logboek* -- opened as the configuration has it (a broken file's with the defaults: its own
`[oled]` cannot be trusted, and a panel elsewhere than 0x3C stays dark), and the service stays
up, its watchdog fed, until it is stopped. No pin is touched: a buzzer or button pin a broken
file moved may be wired to something else. Nothing is trained: a history that cannot be written
cannot be read as the device needs it either. A state directory another pftrainer holds is no
such fault: that one may let go, and the service is tried again. Only under systemd: `run` typed
by hand says it in one line and ends.
"""

from __future__ import annotations

from typing import Callable

from device.config import Config
from device.hardware import Platform, open_screen
from device.notify import Notifier
from device.screens import WarningView
from device.stopping import StopFlag
from device.texts import text

POLL_S = 1.0          # how often the stop flag and the watchdog are looked at
SHOWN = {"config": ("config_fault", "config_fault_detail"),       # what is wrong: the panel's two texts
         "storage": ("storage_failing", "start_fault_log")}


def show_start_fault(platform: Platform, what: str, cfg: Config, stop: StopFlag, notifier: Notifier,
                     log: Callable[[str], None]) -> None:
    """Show that the start failed on `what` (a key of SHOWN) on the panel as `cfg` has it (the
    defaults where the configuration is what failed), in its language, until `stop`."""
    screen = open_screen(platform, cfg, log)
    lang = cfg.ui.language
    title, detail = SHOWN[what]
    screen.show(WarningView(text(title, lang), text(detail, lang)))
    for step in (screen.render, screen.pack, screen.send_one):
        while screen.present and not step():
            pass
    notifier.ready(f"cannot start ({what}): see the journal")
    while not stop.requested:
        notifier.tick(platform.clock.now())
        platform.clock.sleep(POLL_S)
    notifier.stopping()
