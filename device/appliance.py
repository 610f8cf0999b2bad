"""The device as an appliance (`pftrainer run`): menu, sessions, pauses and faults.

States:
- **idle**: today's completed sessions against the daily goal and a menu -- the
  programmes, then language and volume. `<` and `>` move, OK starts the programme
  (only with somebody seated) or changes the setting; choices are kept in the store.
- **session**: a `SessionRunner`, one sample tick at a time. OK pauses and resumes;
  `<` or `>` while paused stops the session (kept as interrupted). Standing up pauses
  it, sitting down again resumes it; a pause of more than `PAUSE_LIMIT_S` ends it.
  After the summary the screen stays until the user stands up or presses a button.
- **fault**: an I2C or sensor fault the driver's retries did not clear. The
  *Sensorfout* screen and three long beeps; the cushion is probed every
  `PROBE_EVERY_S`, and once it reads plausibly `PROBES_OK` times in a row the screen
  is initialised again and the session resumes (the interrupted repetition again; a
  pause the user made still holds) -- or, after more than `FAULT_RESUME_LIMIT_S`, or
  when `<` or `>` is pressed meanwhile, is kept as interrupted. No restart.
  A screen that fails outside a session leaves the buzzer alone.

Every loop iteration feeds the systemd watchdog on the real monotonic clock, so a hung
loop is restarted. SIGTERM ends a session in progress cleanly (stored, recording
kept) and shows *Gestopt*.
"""

from __future__ import annotations

import datetime
import sys
import time
from pathlib import Path

from device.buzz import PATTERNS
from device.config import Config
from device.hardware import Platform, open_buttons, open_screen
from device.notify import Notifier
from device.screen import Screen
from device.screens import MenuView, MessageView, WarningView
from device.sensor_guard import SensorGuard
from device.session_run import DeviceParts, SessionRunner
from device.stopping import StopFlag, StopRequested
from device.texts import text
from drivers.errors import HardwareError, SensorFault
from session.programme import Programme
from session.seat import SeatDetector

IDLE_PERIOD_S = 0.05          # the menu loop runs at 20 Hz
CONTROL_EVERY = 10            # in a session: buttons, seat and watchdog every 10th tick
PAUSE_LIMIT_S = 600.0
SUMMARY_LIMIT_S = 120.0       # the summary stays this long unless the user leaves first
PROBE_EVERY_S = 1.0
PROBES_OK = 3
FAULT_RESUME_LIMIT_S = 120.0
IDLE_BAD_READS = 5            # implausible idle readings in a row before a fault
VOLUMES = (0.0, 0.25, 0.5, 0.75, 1.0)
SETTINGS = ("language", "volume")


class Appliance:
    """`run()` until stopped, or until `max_sessions` sessions are completed.

    `user`: on the simulator, the SimulatedUser who sits down and follows the cues.
    `out_dir`: where the session in progress keeps its files (the store keeps them all).
    """

    def __init__(self, platform: Platform, cfg: Config, programmes: dict[str, Programme], store,
                 out_dir: Path, *, stop: StopFlag, notifier: Notifier | None = None, user=None,
                 persona: str | None = None, seed: int = 0, max_sessions: int | None = None,
                 programme: str | None = None, progress=None) -> None:
        self.platform = platform
        self.clock = platform.clock
        self.cfg = cfg
        self.programmes = programmes
        self.store = store
        self.out_dir = out_dir
        self.stop = stop
        self.notifier = notifier or Notifier({})
        self.user = user
        self.persona = persona
        self.seed = seed
        self.max_sessions = max_sessions
        self.progress = progress or sys.stderr
        self.lang = store.setting("language", cfg.ui.language)
        self.volume = float(store.setting("volume", str(cfg.buzzer.volume)))
        names = sorted(programmes)
        first = programme or store.setting("programme", "basis")
        self.items = names + list(SETTINGS)
        self.cursor = names.index(first) if first in names else 0
        self.completed = 0
        self.faults = 0
        self.seat = SeatDetector()
        self.guard = SensorGuard(cfg)
        self.buttons = open_buttons(platform, cfg)
        self.parts: DeviceParts | None = None
        self.screen: Screen | None = None

    # --- the main loop -----------------------------------------------------------------------
    def run(self) -> int:
        """Serve the user; returns the number of sessions completed."""
        self.notifier.ready("starting")
        self.screen = open_screen(self.platform, self.cfg, self._log)
        try:
            self._open_parts()
            while self.max_sessions is None or self.completed < self.max_sessions:
                programme = self._idle()
                self._session(programme)
        except StopRequested as e:
            self.notifier.stopping()
            self.screen.show(MessageView(self.t("stopped")))
            self.screen.flush(self.clock)
            print(f"  {e}", file=self.progress)
        finally:
            if self.parts is not None:
                self.parts.close()
            self.buttons.close()
            self.store.drain()
        return self.completed

    def t(self, key: str, **params) -> str:
        return text(key, self.lang, **params)

    def _log(self, message: str) -> None:
        print(f"  [{self.clock.now():9.1f} s] {message}", file=self.progress)
        self.notifier.status(message)

    # --- idle: the menu ------------------------------------------------------------------------
    def _idle(self) -> Programme:
        """The menu until OK starts a programme with somebody seated."""
        self._log("idle: menu")
        if self.user is not None:
            self.user.at_menu(self.clock.now())
        bad_reads = 0
        note_until_s = 0.0
        while True:
            now_s = self._idle_wait()
            cushion = self.parts.cushion
            try:
                kpa, left_kg, right_kg = (cushion.read_perineal_kpa(), cushion.read_left_kg(),
                                          cushion.read_right_kg())
            except HardwareError as e:
                self._fault(e)
                continue
            bad_reads = 0 if self.guard.plausible(kpa, left_kg, right_kg) else bad_reads + 1
            if bad_reads >= IDLE_BAD_READS:
                self._fault(SensorFault(self.guard.describe(kpa, left_kg, right_kg)))
                bad_reads = 0
                continue
            seated = self.seat.update(now_s, left_kg, right_kg)
            for button in self.buttons.poll():
                if button in ("prev", "next"):
                    self.cursor = (self.cursor + (1 if button == "next" else -1)) % len(self.items)
                    note_until_s = 0.0
                    continue
                item = self.items[self.cursor]
                if item == "language":
                    self.lang = "en" if self.lang == "nl" else "nl"
                    self.store.save_setting("language", self.lang)
                elif item == "volume":
                    self.volume = VOLUMES[(VOLUMES.index(self._volume_step()) + 1) % len(VOLUMES)]
                    self.parts.buzzer.volume = self.volume
                    self.store.save_setting("volume", str(self.volume))
                    self.parts.buzzer.play(PATTERNS["hold"])
                elif seated:
                    self.store.save_setting("programme", item)
                    return self.programmes[item]
                else:
                    note_until_s = now_s + 2.0
            if now_s < note_until_s:
                self.screen.show(MessageView(self.t("sit_first")))
            else:
                self.screen.show(self._menu_view())

    def _volume_step(self) -> float:
        return min(VOLUMES, key=lambda v: abs(v - self.volume))

    def _menu_view(self) -> MenuView:
        item = self.items[self.cursor]
        if item == "language":
            label, hint = self.t("language_item"), self.t("menu_hint_setting")
        elif item == "volume":
            label = self.t("volume_item", pct=round(self._volume_step() * 100))
            hint = self.t("menu_hint_setting")
        else:
            label, hint = self.programmes[item].title[self.lang], self.t("menu_hint")
        done = self.store.completed_on(datetime.date.today().isoformat())
        goal = self.cfg.session.daily_goal
        return MenuView(self.t("today", done=done, goal=goal), done, goal, label, hint)

    # --- a session -----------------------------------------------------------------------------
    def _session(self, programme: Programme) -> None:
        self._log(f"session: {programme.name}")
        runner = SessionRunner(self.platform, self.cfg, self.parts, programme, self.out_dir,
                               lang=self.lang, person=self.user, persona=self.persona,
                               seed=self.seed, max_drop_kpa=self.cfg.session.max_drop_kpa or None,
                               store=self.store)
        runner.start()
        sampler, notifier, buttons, stop, clock = (runner.sampler, self.notifier, self.buttons,
                                                   self.stop, self.clock)
        ticks = 0
        paused_at_s = 0.0
        try:
            while not runner.done:
                stop.check()
                try:
                    t = runner.tick()
                except HardwareError as e:
                    before = runner.paused
                    if not self._fault(e, runner):
                        runner.finish(aborted=f"sensor fault: {e}", progress=self.progress)
                        return
                    if before is None:
                        runner.resume()
                    else:                               # the user's own pause still holds
                        sampler.resync()
                        runner.pause(before)
                    continue
                ticks += 1
                if ticks % CONTROL_EVERY:
                    continue
                notifier.tick(time.monotonic())
                now_s = clock.now()
                seated = self.seat.update(now_s, sampler.left_kg, sampler.right_kg)
                pressed = buttons.poll()
                if runner.paused is None:
                    if not seated or "ok" in pressed:
                        runner.pause("stood_up" if not seated else "button")
                        paused_at_s = t
                        self._log(f"paused ({runner.paused}) at {t:.1f} s")
                elif seated and (runner.paused == "stood_up" or "ok" in pressed):
                    self._log(f"resumed at {t:.1f} s after {t - paused_at_s:.1f} s")
                    runner.resume()
                elif "prev" in pressed or "next" in pressed or t - paused_at_s > PAUSE_LIMIT_S:
                    reason = "stopped on the device" if pressed else "paused too long"
                    runner.finish(aborted=reason, progress=self.progress)
                    self._log(f"session ended: {reason}")
                    return
        except StopRequested as e:
            runner.finish(aborted=str(e), progress=self.progress)
            raise
        except Exception as e:                          # keep what was done, then let it crash
            runner.finish(aborted=f"error: {e}", progress=self.progress)
            raise
        summary = runner.finish(progress=self.progress)
        self.completed += 1
        self._log(f"session done: {len(summary['reps'])} reps, contraction {summary['contraction_score']}, "
                  f"{summary['bear_down_warnings']} bear-down warnings")
        self._hold_summary()

    def _hold_summary(self) -> None:
        """Leave the summary on the screen until the user stands up or presses a button."""
        start_s = self.clock.now()
        self.buttons.poll()
        cushion = self.parts.cushion
        while self.clock.now() - start_s < SUMMARY_LIMIT_S:
            now_s = self._idle_wait()
            if self.buttons.poll():
                return
            try:
                if not self.seat.update(now_s, cushion.read_left_kg(), cushion.read_right_kg()):
                    return
            except HardwareError:
                return                       # the menu loop deals with it

    # --- faults --------------------------------------------------------------------------------
    def _open_parts(self) -> None:
        """Open the session's devices; while the cushion does not answer, the fault screen."""
        while self.parts is None:
            try:
                self._try_open_parts()
            except HardwareError as e:
                self._fault(e)

    def _try_open_parts(self) -> None:
        self.parts = DeviceParts(self.platform, self.cfg, self.progress, self.screen)
        self.parts.buzzer.volume = self.volume

    def _fault(self, error: HardwareError, runner: SessionRunner | None = None) -> bool:
        """Show the fault and probe until the cushion reads plausibly again; True when
        that took no longer than FAULT_RESUME_LIMIT_S (a session may carry on)."""
        self.faults += 1
        self._log(f"Sensorfout: {error}")
        if runner is not None:
            runner.pause("sensor")
        self.screen.show(WarningView(self.t("sensor_fault"), self.t("sensor_fault_detail")))
        self._beep("sensor_fault")
        start_s = self.clock.now()
        good = 0
        self.buttons.poll()
        while good < PROBES_OK:
            self._idle_wait(PROBE_EVERY_S)
            if runner is not None and {"prev", "next"} & set(self.buttons.poll()):
                self._log("session stopped on the device during the fault")
                return False
            good = good + 1 if self._probe() else 0
        took_s = self.clock.now() - start_s
        self._log(f"sensors back after {took_s:.1f} s")
        self.screen.open("no screen after the fault")     # it may have lost power
        return took_s <= FAULT_RESUME_LIMIT_S

    def _probe(self) -> bool:
        if self.parts is None:               # not up since boot: try to open everything
            try:
                self._try_open_parts()
            except HardwareError:
                return False
        cushion = self.parts.cushion
        try:
            cushion.update_supply()
            return self.guard.plausible(cushion.read_perineal_kpa(), cushion.read_left_kg(),
                                        cushion.read_right_kg())
        except HardwareError:
            return False

    def _beep(self, cue: str) -> None:
        if self.parts is not None:
            self.parts.buzzer.play(PATTERNS[cue])

    # --- pacing outside a session ---------------------------------------------------------------
    def _idle_wait(self, duration_s: float = IDLE_PERIOD_S) -> float:
        """Let `duration_s` pass in IDLE_PERIOD_S steps: stop flag, watchdog, buzzer and
        screen kept going. Returns the clock time."""
        clock = self.clock
        end_s = clock.now() + duration_s
        while True:
            self.stop.check()
            self.notifier.tick(time.monotonic())
            if self.parts is not None:
                self.parts.buzzer.update()
            now_s = clock.now()
            if now_s >= end_s:
                return now_s
            step_end_s = min(end_s, now_s + IDLE_PERIOD_S)
            self.screen.pump(clock, step_end_s)
            clock.sleep(max(0.0, step_end_s - clock.now()))
