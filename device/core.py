"""The device on one reactor: its parts, and the timers every state shares.

`Device` opens the parts through `device.hardware` and registers the timers, in
priority order (when several are due, the first registered runs first):

- **sampler** (`device.sampler`): the cushion at the sampling rate; where its samples
  go is up to the state;
- **render**, **pack**, **screen** (`ScreenPump`): draw the frame asked for, pack it,
  and send it a transaction at a time -- background timers, each step only in a gap
  it fits, so that the screen never delays a sample, neither on the CPU nor on the
  shared I2C bus;
- **buzzer**: starts a pattern once the callback that asked for it has returned, and
  advances it at each on/off change;
- **storage**: hands the session's recording to the writer thread a few rows at a
  time, in the gaps like the screen;
- **housekeeping**: the stop flag (SIGTERM, Ctrl-C) and the systemd watchdog, in the
  gaps too;
- **garbage** (while `run()` runs): Python's cycle collector, in the gaps only
  (`device.garbage`).

(Background timers do not hold each other up: see `device.reactor`.)

The states -- the appliance's menu, session, summary and fault (`device.appliance`),
or one session straight through (`device.session_run`) -- switch the sampler's rate
and sink, and their own timers, on and off; nothing waits but the reactor.
"""

from __future__ import annotations

import time
from typing import Callable

from device.config import Config
from device.garbage import collecting_in_gaps
from device.hardware import Platform, open_adc_retrying, open_buzzer, open_cushion, open_screen
from device.notify import Notifier
from device.reactor import NEVER, NOW, Reactor
from device.sampler import Sampler
from device.screen import Screen
from device.sensor_guard import SensorGuard
from device.stopping import StopFlag
from drivers.buzzer import Pattern
from drivers.cushion import Cushion

HOUSEKEEPING_S = 0.05       # the stop flag and the watchdog are looked at this often
STORAGE_S = 0.1             # the recording goes to the writer this often


class ScreenPump:
    """Renders the view the screen was asked for, packs it and sends it a transaction at a
    time: three background timers, each step in a gap of its own. `on_shown(t, tags)`
    hears when a frame is completely on the panel, with the tags it brought."""

    def __init__(self, reactor: Reactor, screen: Screen) -> None:
        self.reactor = reactor
        self.screen = screen
        self.on_shown: Callable[[float, tuple], None] = lambda t, tags: None
        self._render = reactor.register_timer(self._render_step, NEVER, "render", background=True)
        self._pack = reactor.register_timer(self._pack_step, NEVER, "pack", background=True)
        self._send = reactor.register_timer(self._send_step, NEVER, "screen", background=True)
        screen.on_change = lambda: reactor.update_timer(self._render, NOW)

    def _render_step(self, eventtime: float) -> float:
        if self.screen.render():
            self.reactor.update_timer(self._pack, NOW)
        return NOW if self.screen.waiting else NEVER

    def _pack_step(self, eventtime: float) -> float:
        if self.screen.pack():
            self.reactor.update_timer(self._send, NOW)
        return NOW if self.screen.packing else NEVER

    def _send_step(self, eventtime: float) -> float:
        screen = self.screen
        if screen.send_one():
            self.on_shown(self.reactor.now(), screen.shown_tags)
        return NOW if screen.pending else NEVER


class Device:
    """The parts and shared timers of the device on `platform`. `log(message)` reports
    what happens (the appliance also passes it to systemd as STATUS)."""

    def __init__(self, platform: Platform, cfg: Config, *, stop: StopFlag, log: Callable[[str], None],
                 notifier: Notifier | None = None) -> None:
        self.platform = platform
        self.cfg = cfg
        self.clock = platform.clock
        self.stop = stop
        self.log = log
        self.notifier = notifier or Notifier({})
        self.reactor = reactor = Reactor(platform.clock, cpu_meter=platform.cpu_meter,
                                         cpu_factor=platform.cpu_factor)
        self.sampler = Sampler(reactor, SensorGuard(cfg), rate_hz=cfg.sampling.rate_hz,
                               supply_every_s=cfg.sampling.supply_every_s)
        self.screen = open_screen(platform, cfg, log)
        self.screen_pump = ScreenPump(reactor, self.screen)
        self.buzzer = open_buzzer(platform, cfg)
        self._starting: Pattern | None = None      # asked for, to start when the buzzer's timer runs
        self._buzzer_timer = reactor.register_timer(self._buzz, NEVER, "buzzer")
        self.store_step: Callable[[], bool] = lambda: False      # True: more of it waits
        self._storage = reactor.register_timer(self._store, NEVER, "storage", background=True)
        self.on_stop: Callable[[], None] = reactor.end
        reactor.register_timer(self._keep_house, NOW, "housekeeping", background=True)     # for good
        self.cushion: Cushion | None = None

    # --- parts -------------------------------------------------------------------------------------
    def open_cushion(self) -> Cushion:
        """Open the ADC and the cushion behind it (raises HardwareError while they do not answer)."""
        if self.cushion is None:
            self.cushion = open_cushion(open_adc_retrying(self.platform, self.cfg), self.cfg)
            self.sampler.use(self.cushion)
        return self.cushion

    def close(self) -> None:
        if self.cushion is not None:
            self.cushion.adc.close()
        self.buzzer.close()

    # --- the buzzer ----------------------------------------------------------------------------------
    def play(self, pattern: Pattern) -> None:
        """Sound `pattern` once the callback asking for it has returned: the buzzer's timer
        starts it, so none of that callback's work (a session's end making the end screen:
        0.1-0.2 s at a Pi Zero's speed) sits inside its first beep and lengthens it."""
        self._starting = pattern
        self.reactor.update_timer(self._buzzer_timer, NOW)

    def silence(self) -> None:
        self._starting = None
        self.buzzer.stop()

    def _buzz(self, eventtime: float) -> float:
        if self._starting is not None:
            self.buzzer.play(self._starting)
            self._starting = None
        else:
            self.buzzer.update()
        return self.buzzer.next_change_s

    # --- storage -------------------------------------------------------------------------------------
    def store(self, step: Callable[[], bool]) -> None:
        """From now on run `step()` (a few rows of the recording for the writer) every
        STORAGE_S, in the gaps, and again at once while it says more waits."""
        self.store_step = step
        self.reactor.update_timer(self._storage, NOW)

    def _store(self, eventtime: float) -> float:
        return NOW if self.store_step() else eventtime + STORAGE_S

    # --- housekeeping ----------------------------------------------------------------------------------
    def _keep_house(self, eventtime: float) -> float:
        self.notifier.tick(time.monotonic())      # the watchdog runs on the real monotonic clock
        if self.stop.requested:
            self.on_stop()
            return NEVER
        return eventtime + HOUSEKEEPING_S

    def run(self) -> None:
        """Run the timers until a state ends the reactor (or a callback raises); garbage
        is collected in the gaps only."""
        with collecting_in_gaps(self.reactor):
            self.reactor.run()
