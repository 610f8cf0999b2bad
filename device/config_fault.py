"""A configuration that cannot be read, told on the device itself.

`run` under systemd with a mistake in `/etc/pftrainer/pftrainer.toml` exited at once, was
tried five times and left failed: a dark, silent device, the reason only in the journal (a
trial). Now the panel says so -- *Instellingen fout* / *Zie: pftrainer config* -- opened
with the defaults (the broken file's own `[oled]` cannot be trusted; a panel elsewhere than
0x3C stays dark), and the service stays up, its watchdog fed, until it is stopped: a
restart cannot mend a file. Only under systemd: `run` typed by hand says it in one line and ends. No pin is touched: a buzzer or button pin the file moved may
be wired to something else.
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


def show_config_fault(platform: Platform, stop: StopFlag, notifier: Notifier, log: Callable[[str], None]) -> None:
    """Show that the configuration is wrong, in the default language, until `stop`."""
    defaults = Config()
    screen = open_screen(platform, defaults, log)
    lang = defaults.ui.language
    screen.show(WarningView(text("config_fault", lang), text("config_fault_detail", lang)))
    for step in (screen.render, screen.pack, screen.send_one):
        while screen.present and not step():
            pass
    notifier.ready("configuration error: see the journal (pftrainer config)")
    while not stop.requested:
        notifier.tick(platform.clock.now())
        platform.clock.sleep(POLL_S)
    notifier.stopping()
