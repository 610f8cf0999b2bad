"""The device as an appliance (`pftrainer run`): menu, sessions, pauses and faults.

States, as in Klipper's `idle_timeout.py` one handler per state on shared timers: each
state sets where the sampler's samples go and at which rate, and what the controls
timer (buttons and seat, every `CONTROL_S`) does.

- **menu**: today's completed sessions against the daily goal and a menu -- the
  programmes (with *Laatste uitslag* before the one proposed, once who trains now has completed a
  session since the device started), who trains (several people), then language and volume. `<`
  and `>` move, OK starts the programme (only with somebody seated) or changes the setting;
  choices are kept in the store.
- **reviewing**: *Laatste uitslag* chosen: that session's end screen again, its pages in turn;
  any button, or `SUMMARY_LIMIT_S`, back to the menu.
- **asking**: where several people train, OK on a programme first asks whose session it is, in
  the large font (*Persoon 2?*): OK starts it, `<` or `>` goes to the menu of the person before
  or after; standing up, or `ASK_LIMIT_S` without an answer, back to the menu.
- **session**: a `GuidedSession` takes every sample. OK pauses and resumes; `<` or `>`
  while paused stops the session (kept as interrupted). Standing up pauses it, sitting
  down again resumes it; a pause of more than `PAUSE_LIMIT_S` ends it.
- **summary**: the summary stays until the user stands up or presses a button (at most
  `SUMMARY_LIMIT_S`).
- **fault**: an I2C or sensor fault the driver's retries did not clear. The
  *Sensorfout* screen and three long beeps; the sampler probes every channel each
  `PROBE_EVERY_S`, and once the cushion reads plausibly, on a bus that needed no retry,
  `PROBES_OK` times in a row the screen is initialised again and the session resumes
  (the interrupted repetition again; a pause the user made still holds). A fault that
  lasts more than `FAULT_RESUME_LIMIT_S` (a dead or badly failing bus), or `<` or `>`
  pressed meanwhile, ends the session there and then, kept as interrupted; so does a
  session's `FAULTS_PER_SESSION`-th fault: a bus that keeps failing is no bus to coach
  on. The *Sensorfout* screen stays until the cushion reads well again. No restart. A
  cushion that does not answer at boot is this state too.

Storage trouble never stops it (`device.storage` keeps what it cannot write yet and
tries again): the controls timer watches the store's `trouble`. A full disk (or one
that fails) is a line in the log and *Opslag vol* (*Opslagfout*) for `NOTICE_S` over
the session, which goes on, and in the menu's footer while it lasts; a locked database
is a line in the log. A damaged database moved aside is a line in the log and
*Opslag hersteld* / *Resultaten bewaard* for `NOTICE_S` (in a session, after it).

A USB stick plugged in is exported by a unit of its own (`pftrainer usb-export`), which
leaves its result in the status file `usb_status` (`device.usb_status`); the menu looks
for a new one every `USB_CHECK_S` and shows it for `NOTICE_S` with its sound (a session
goes on undisturbed: the result waits for the menu).

The housekeeping timer feeds the systemd watchdog on the real monotonic clock, so a
hung loop is restarted; SIGTERM ends a session in progress cleanly (stored, recording
kept) and shows *Gestopt*.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Iterator
from pathlib import Path

from device.buzz import PATTERNS
from device.config import Config
from device.core import Device
from device.hardware import Platform, open_buttons
from device.leftovers import Interrupted
from device.notify import Notifier
from device.programmes import letting_go_practised, lifting_practised
from device.reactor import NEVER, NOW
from device.screens import MenuView, MessageView, View, WarningView, menu_heading_fits, render
from device.ui import SUMMARY_PAGE_S, SessionUi
from device.usb_status import SAVED, StatusWatch, UsbStatus, UsbStatusError
from device.sensor_guard import SensorGuard
from device.session_run import GuidedSession
from device.stopping import StopFlag
from device import stored_values
from device.texts import level_text, text, today_text
from device.writer import FAILING, FULL, StorageError, StorageUnfinished, Writer
from drivers.errors import HardwareError
from session import cues
from session.analyzer import Analyzer
from session.coach import Coach, CoachSummary
from session.programme import Programme
from session.advice import (ASSESS_EVERY_DAYS, BEAR_DOWN_SPAN_DAYS, LET_GO_DAYS, PUSHED_SHARE, Measured,
                            see_physio, see_physio_bear_down, see_physio_let_go)
from session.progression import (AFTER_FEELING, ASSESSMENT, FEELING, FELT_DAYS, LETTING_GO, Standing, felt,
                                 found_floor, let_go_first, session_verdict, trained_daily)
from session.seat import SeatDetector

MENU_RATE_HZ = 20.0           # outside a session the cushion is read this often
CONTROL_S = 0.04              # buttons and seat are looked at this often
PAUSE_LIMIT_S = 600.0
SUMMARY_LIMIT_S = 120.0       # the summary stays this long unless the user leaves first
SIT_FIRST_S = 2.0             # "Ga eerst zitten" stays this long
PROBE_EVERY_S = 1.0
PROBES_OK = 3
FAULT_RESUME_LIMIT_S = 120.0
FAULTS_PER_SESSION = 5        # the session's fifth sensor fault ends it
STOPPING_LIMIT_S = 1.0        # at most this long to get "Gestopt" onto the screen
NOTICE_S = 4.0                # storage trouble or a replaced database is shown this long
STORAGE_TEXTS = {FULL: "storage_full", FAILING: "storage_failing"}     # trouble the user is shown
VOLUMES = (0.0, 0.25, 0.5, 0.75, 1.0)
SETTINGS = ("language", "volume")
LET_GO_CONFIRM = 2              # LETTING_GO proposed until this many sessions in a row let go
CHOSEN_IN_A_ROW = 2             # chosen over what the menu proposed this many times in a row: the programme trained
NEW_DAY_DRAIN_S = 10.0          # a new day's wait for the writer before its counts and advice are read
NEWS_S = 6.0                    # a new level or advice is shown over the menu this long
REMIND_CHECK_S = 60.0           # whether a reminder is due is looked at this often
HINT_TURN_S = 4.0               # the menu's hint and the week's count take turns this often
WARM_UP_S = 0.05                # the menu lays out a session's screens ahead, one this often
PREPARE_VIEWS = 24              # after OK, what is not laid out yet: this many screens at a time (by
                                # count, not time, so that a simulated run is the same on any machine;
                                # a Pi Zero takes up to 0.5 s for 24 never laid out, 10 ms if they were)
PREPARE_GAP_S = 0.005           # ... with this gap between them (buttons, the screen's frames)
USB_CHECK_S = 1.0               # whether a USB stick's export left a new result is looked at this often
ASK_LIMIT_S = 60.0              # whose session it is, unanswered this long: back to the menu

MENU, REVIEWING, ASKING, PREPARING, SESSION, SUMMARY, FAULT, STOPPING = (
    "menu", "reviewing", "asking", "preparing", "session", "summary", "fault", "stopping")
LAST_RESULT = "last_result"     # the menu item that shows the last session's end screen again


class Appliance:
    """`run()` until stopped, or until `max_sessions` sessions are completed.

    Each session keeps its files in the store's folder for it until the store keeps the
    session. `metadata` (e.g. the simulated persona and seed) goes into each recording
    and, with `persona`, into the history. `usb_status`: where a USB stick's export leaves
    its result (None: nowhere to look). `lang`: the language asked for on the command line,
    over the one chosen on the device's menu (which stands over the config's).
    """

    def __init__(self, platform: Platform, cfg: Config, programmes: dict[str, Programme], store, *,
                 stop: StopFlag, notifier: Notifier | None = None,
                 metadata: dict[str, object] | None = None, max_sessions: int | None = None,
                 programme: str | None = None, profile: int | None = None, progress=None,
                 usb_status: Path | None = None, unread: tuple[str, ...] = (), lang: str | None = None) -> None:
        self.platform = platform
        self.clock = platform.clock
        self.cfg = cfg
        self.programmes = programmes
        self.store = store
        self.writer: Writer = store.writer
        self.stop = stop
        self.notifier = notifier or Notifier({})
        self.metadata = metadata or {}
        self.max_sessions = max_sessions
        self.progress = progress or sys.stderr
        stored_lang = store.setting("language", cfg.ui.language)
        stored_volume = store.setting("volume", str(cfg.buzzer.volume))
        stored, volume = stored_values.language(stored_lang), stored_values.volume(stored_volume)
        self.lang = lang or stored or cfg.ui.language
        self.volume = cfg.buzzer.volume if volume is None else volume
        if stored is None:                      # a damaged database: the config's, and say so
            print(f"settings: the stored language {stored_lang!r} is not one the device speaks: using "
                  f"{self.lang}", file=self.progress)
        if volume is None:
            print(f"settings: the stored volume {stored_volume!r} is not a number from 0 to 1: using "
                  f"{self.volume:g}", file=self.progress)
        people = cfg.session.profiles
        self._last_result: dict[int, tuple[View, ...]] = {}     # who: their last end screen's pages, this run
        self.items: list[str] = []
        self._chosen = programme            # the programme asked for (the menu always starts there)
        self.profile = profile or stored_values.chosen_profile(store, people)
        if profile is not None and str(profile) != store.setting("profile", "1"):   # chosen: the next start too
            store.save_setting("profile", str(profile))
        self._lang_asked = lang                 # `--lang`: over every person's own
        if lang is None and people > 1:         # the person's own language (a couple's: Dutch and English)
            self.lang = stored_values.person_language(store, self.profile, people, cfg.ui.language)
        self._last_assessment = self._stored_assessment_day()
        self._let_go_next = self._stored_let_go_first()     # the last session's floor did not let go
        self._last_asked_no_lift = self._stored_last_asked_no_lift()      # ... or practised letting go only
        self._kept: dict[tuple[int, str], str] = {}          # (who, setting): its value as last saved here
        self._trained: dict[int, str] = {}                   # each person's programme, once known
        self._untold: set[str] = set()                      # programmes last trained and gone, logged once
        self._felt_long: dict[tuple[int, datetime.date], bool] = {}   # (who, day): voelen trained that long
        self.cursor = 0
        self._set_items()
        self._pointed = ""                                   # what the cursor was pointed at (`_point_cursor`)
        self._point_cursor()
        self.completed = 0
        self.kept_interrupted = 0           # sessions ended early, kept as interrupted
        self.faults = 0
        self._session_faults = 0
        self.seat = SeatDetector()
        self.guard = SensorGuard(cfg)
        self.state = MENU
        self.device: Device | None = None
        self.session: GuidedSession | None = None
        self._since_s = 0.0                 # when the state (or the session's pause) began
        self._summary_page = 0              # the end screen's page up now
        self._note: View | None = None      # shown over the menu until _note_until_s
        self._note_until_s = 0.0
        self._storage_trouble: str | None = None     # the kind last seen
        self._replaced = None               # the store's database replacement last shown
        self._interrupted: tuple[Interrupted, ...] = ()   # the sessions the store found stopped, last shown
        self._done_today = self._done_week = 0
        self._counted_on: datetime.date | None = None     # the day those counts are of
        self._fault_error: HardwareError | None = None
        self._paused_before: str | None = None   # the session's pause when the fault came
        self._good_probes = 0
        self._retries_seen = 0              # the ADC's retried transactions at the last probe
        self._standing: Standing | None = None    # the session's programme level, when it has levels
        self._standings: dict[tuple[int, str], Standing] = {}   # (profile, programme): as last known
                                                                # (the store's may lag behind)
        self._warm_views: Iterator[View] = iter(())     # the screens left to lay out ...
        self._warm_for: tuple | None = None  # ... of this `_warm_key`
        self._warm_done = self._warm_total = 0
        self._warmed: set[tuple] = set()    # the keys all laid out
        self._asked = ""                    # the programme whose session is being asked about (ASKING)
        self._preparing: Programme | None = None     # OK pressed on it, its screens still being laid out
        self._shown_pct = -1                # how far that got, as shown
        self._news: list[View] = []         # a new level, advice: shown in turn when the menu is up
        self._waiting: list[View] = []      # the device's notices come while another was shown: next, NOTICE_S
        self._usb = StatusWatch(usb_status) if usb_status is not None else None
        for name in unread:                 # a physiotherapist's file with a mistake: not only in the log
            self._log(f"programme not read: {name}: said on the menu")
            self._news.append(MessageView(self.t("programme_unread"), (name, self.t("programme_unread_ask"))))

    # --- the loop ---------------------------------------------------------------------------------
    def run(self) -> int:
        """Serve the user; returns the number of sessions completed."""
        self.notifier.ready("starting")
        self._count_done()
        self._check_advice()
        device = self.device = Device(self.platform, self.cfg, stop=self.stop, log=self._log,
                                      notifier=self.notifier)
        device.buzzer.volume = self.volume
        self.buttons = open_buttons(self.platform, self.cfg)
        device.sampler.on_fault = self._fault
        device.on_stop = self._stopping
        device.reactor.register_timer(self._controls, NOW, "controls", background=True)
        self._probe_timer = device.reactor.register_timer(self._probe, NEVER, "probe")
        self._warm_timer = device.reactor.register_timer(self._warm_up, NEVER, "warm_up", background=True)
        self._last_active = self.platform.wall()          # the last session's end (or the start)
        if self.cfg.ui.reminder_hours:
            device.reactor.register_timer(self._remind, self.clock.now() + REMIND_CHECK_S, "reminder",
                                          background=True)
        if self._usb is not None:
            device.reactor.register_timer(self._usb_result, NOW, "usb", background=True)
        try:
            try:
                device.open_cushion()
            except HardwareError as e:
                self._fault(e)
            else:
                self._enter_menu()
            device.run()
        except Exception as e:                          # keep what was done, then let it crash
            if self.session is not None:
                self.session.finish(aborted=f"error: {e}")
            raise
        finally:
            device.close()
            self.buttons.close()
            try:
                self.store.drain()
            except StorageUnfinished as e:
                self._log(f"storage: {e}")
                if not all(path in str(e) for path in e.files):     # the line counts them: the log lists them
                    for path in e.files:
                        print(f"      {path}", file=self.progress)
        return self.completed

    def t(self, key: str, **params) -> str:
        return text(key, self.lang, **params)

    def _log(self, message: str) -> None:
        print(f"  [{self.clock.now():9.1f} s] {message}", file=self.progress)
        self.notifier.status(message)

    def _controls(self, eventtime: float) -> float:
        """Buttons and seat, for whichever state the appliance is in."""
        device = self.device
        pressed = self.buttons.poll()
        sampler = device.sampler
        seated = self.seat.update(eventtime, sampler.left_kg, sampler.right_kg)
        if self.state not in (PREPARING, ASKING, REVIEWING):   # a notice then would be lost: the menu or session
                                                               # shows it
            self._watch_storage(eventtime)
        if self.state == MENU:
            self._menu(eventtime, pressed, seated)
        elif self.state == ASKING:
            self._asking(eventtime, pressed, seated)
        elif self.state == REVIEWING:
            self._reviewing(eventtime, pressed)
        elif self.state == SESSION:
            self._in_session(eventtime, pressed, seated)
        elif self.state == SUMMARY:
            shown_s = eventtime - self._since_s
            if pressed or not seated or shown_s > SUMMARY_LIMIT_S:
                self._leave_summary()
            else:
                self._turn_page(shown_s)
        elif self.state == FAULT:
            self._in_fault(eventtime, pressed)
        elif self.state == STOPPING:
            if device.screen.idle or eventtime - self._since_s > STOPPING_LIMIT_S:
                device.reactor.end()
                return NEVER
        return eventtime + CONTROL_S

    # --- menu ----------------------------------------------------------------------------------------
    def _enter_menu(self) -> None:
        self.state = MENU
        self._log("idle: menu")
        self._set_items()
        self._point_cursor()
        self._preparing = None
        self.device.reactor.update_timer(self._warm_timer, self.clock.now() + WARM_UP_S)
        sampler = self.device.sampler
        sampler.on_sample = self._ignore_sample
        sampler.start(MENU_RATE_HZ)
        self._show_menu(self.clock.now())

    def _remind(self, eventtime: float) -> float:
        """In the menu, `[ui] reminder_hours` after the last session (or the start), a
        gentle beep and *Tijd om te oefenen*; then again as long after -- never in the
        quiet hours (at night)."""
        ui, now = self.cfg.ui, self.platform.wall()
        quiet = (now.hour >= ui.quiet_from_h or now.hour < ui.quiet_until_h) if ui.quiet_from_h > ui.quiet_until_h \
            else ui.quiet_from_h <= now.hour < ui.quiet_until_h
        if self.state == MENU and not quiet and now - self._last_active >= datetime.timedelta(hours=ui.reminder_hours):
            self._last_active = now
            self._log("reminder: time to train")
            self.device.play(PATTERNS[cues.REMINDER])
            self._news.append(MessageView(self.t("reminder")))
            self._show_menu(eventtime)
        return eventtime + REMIND_CHECK_S

    def _usb_result(self, eventtime: float) -> float:
        """In the menu, a USB stick's export result not shown yet: a line in the log, its
        sound, and its words over the menu for NOTICE_S."""
        if self.state == MENU:
            try:
                status = self._usb.poll()
            except UsbStatusError as e:
                self._log(f"usb: {e}")
            else:
                if status is not None:
                    self._log(f"usb: {status.outcome}: {status.detail}")
                    self.device.play(PATTERNS[cues.USB_SAVED if status.outcome == SAVED else cues.USB_FAILED])
                    self._notify(usb_view(status, self.lang), eventtime)
        return eventtime + USB_CHECK_S

    def _warm_up(self, eventtime: float) -> float:
        """While the menu waits, lay out what a session of the programme under the cursor
        (at this user's level, in this language) will show, one screen at a time: the text
        is rasterised once and kept, so OK starts the session at once (all of a first
        session's took a Pi Zero some 13 s of CPU at OK). After OK on a programme not laid
        out yet (`PREPARING`), what is left of it is laid out in slices of `PREPARE_VIEWS`
        under *Even geduld* and how far it got (the sampler stopped, as while a session
        starts); then it starts."""
        if self.state not in (MENU, ASKING, PREPARING):
            return NEVER
        preparing = self.state == PREPARING
        if not self.device.screen.present:                 # lost meanwhile: the buzzer coaches
            if preparing:
                self._start_session(self._preparing)
            return NEVER
        if not preparing:
            programme = self.programmes.get(self.items[self.cursor]) or next(iter(self.programmes.values()))
            key = self._warm_key(programme)
            if key in self._warmed:
                return NEVER
            if key != self._warm_for:
                self._warm_up_for(programme, key)
        elif not self.device.screen.idle:                  # how far it got: on the panel first
            return eventtime + PREPARE_GAP_S
        for _ in range(PREPARE_VIEWS if preparing else 1):
            view = next(self._warm_views, None)
            if view is None:
                self._warmed.add(self._warm_for)
                if preparing:
                    self._start_session(self._preparing)
                return NEVER
            render(view)
            self._warm_done += 1
        if preparing:
            self._show_preparing()
            return eventtime + PREPARE_GAP_S
        return eventtime + WARM_UP_S

    def _warm_key(self, programme: Programme) -> tuple[str, int | None, str]:
        """What a programme's screens depend on: the programme, this user's level of it,
        the language."""
        standing = self._at_level(programme)[1]
        return programme.name, None if standing is None else standing.level, self.lang

    def _warm_up_for(self, programme: Programme, key: tuple[str, int | None, str]) -> None:
        """Lay out `programme`'s screens from the first (those done already cost little)."""
        views = SessionUi(Coach(self._at_level(programme)[0], Analyzer()), None, self.lang,
                          lambda *_: None).warm_up_views()
        self._warm_views, self._warm_for, self._warm_done, self._warm_total = iter(views), key, 0, len(views)

    def _prepare(self, programme: Programme) -> None:
        """OK on `programme`: its session starts once its screens are laid out (at once when
        the menu has done that already)."""
        key = self._warm_key(programme)
        if not self.device.screen.present or key in self._warmed:
            self._start_session(programme)
            return
        if key != self._warm_for:
            self._warm_up_for(programme, key)
        self._log(f"preparing {programme.name}: {self._warm_done} of {self._warm_total} screens laid out")
        self._preparing = programme
        self.state = PREPARING
        self.device.sampler.stop()           # as a session starts: all the time goes to laying out
        self._shown_pct = -1
        self._show_preparing()
        self.device.reactor.update_timer(self._warm_timer, NOW)

    def _show_preparing(self) -> None:
        """*Even geduld* and the share of the session's screens laid out, in steps of 10 %."""
        pct = 10 * (10 * self._warm_done // self._warm_total)
        if pct != self._shown_pct:
            self._shown_pct = pct
            self.device.screen.show(MessageView(self.t("preparing"), (f"{pct} %",)))

    def _ignore_sample(self, t: float, perineal_kpa: float, left_kg: float, right_kg: float) -> None:
        """Outside a session only the seat (the controls read it) and the sampler's sensor
        guard look at the samples."""

    def _menu(self, now_s: float, pressed: list[str], seated: bool) -> None:
        for button in pressed:
            if button in ("prev", "next"):
                self.cursor = (self.cursor + (1 if button == "next" else -1)) % len(self.items)
                self._note_until_s = 0.0
                self.device.reactor.update_timer(self._warm_timer, now_s + WARM_UP_S)   # the one under it
                continue
            item = self.items[self.cursor]
            if item == LAST_RESULT:
                self._review(now_s)
                return
            if item == "profile":
                self._switch_profile(self.profile % self.cfg.session.profiles + 1)
                self.device.reactor.update_timer(self._warm_timer, now_s + WARM_UP_S)   # their levels
            elif item == "language":
                self.lang = "en" if self.lang == "nl" else "nl"
                self.store.save_setting("language", self.lang)             # the last chosen (the command line's)
                self.store.save_setting(self._mine("language"), self.lang)   # and who trains now's
                self.device.reactor.update_timer(self._warm_timer, now_s + WARM_UP_S)   # its texts
            elif item == "volume":
                self.volume = VOLUMES[(VOLUMES.index(self._volume_step()) + 1) % len(VOLUMES)]
                self.device.buzzer.volume = self.volume
                self.store.save_setting("volume", str(self.volume))
                self.device.play(PATTERNS[cues.HOLD])
            elif seated:
                if self.cfg.session.profiles > 1:
                    self._ask_who(item, now_s)
                else:
                    self._choose(item)
                return
            else:
                self._note = MessageView(self.t("sit_first"))
                self._note_until_s = now_s + SIT_FIRST_S
        self._show_menu(now_s)

    def _set_items(self) -> None:
        """The menu's items: the programmes, with *Laatste uitslag*, where who trains now has one, just
        before the one the menu proposes (one `<` from where it starts: after all eleven programmes it
        took as many presses to find, trial90), who trains (several people), the settings; the cursor
        stays on the item it was on."""
        on = self.items[self.cursor] if self.items else None
        items = sorted(self.programmes)
        if self.profile in self._last_result:
            proposed = self._proposal()
            items.insert(items.index(proposed) if proposed in items else len(items), LAST_RESULT)
        self.items = items + (["profile"] if self.cfg.session.profiles > 1 else []) + list(SETTINGS)
        self.cursor = self.items.index(on) if on in self.items else 0

    def _review(self, now_s: float) -> None:
        """The last session's end screen again, from its first page (trial87: one who stood up before
        she had read it all had no way to see it again)."""
        self.state = REVIEWING
        self._since_s = now_s
        self._summary_page = 0
        self.device.screen.show(self._last_result[self.profile][0], force=True)

    def _reviewing(self, now_s: float, pressed: list[str]) -> None:
        """Its pages in turn every SUMMARY_PAGE_S; any button, or SUMMARY_LIMIT_S, the menu."""
        shown_s = now_s - self._since_s
        if pressed or shown_s > SUMMARY_LIMIT_S:
            self.state = MENU
            self.device.reactor.update_timer(self._warm_timer, now_s + WARM_UP_S)    # (it stopped meanwhile)
            self._show_menu(now_s)
            return
        self._turn_page(shown_s)

    def _turn_page(self, shown_s: float) -> None:
        """The end screen up `shown_s`, or seen again: its next page once SUMMARY_PAGE_S is over, round
        again after the last."""
        page = int(shown_s // SUMMARY_PAGE_S)
        if page != self._summary_page:
            self._summary_page = page
            pages = self._last_result[self.profile]
            self.device.screen.show(pages[page % len(pages)], force=True)

    def _ask_who(self, item: str, now_s: float) -> None:
        """Where several people train, before `item` starts: whose session it is, in the large
        font (*Persoon 2?*; trial88: a wife trained on her husband's profile -- the menu's top line
        said whose it was in the 8-px font -- and his record took her maximum and scores)."""
        self.state = ASKING
        self._since_s = now_s
        self._asked = item
        self.device.screen.show(ask_who_view(self.programmes[item].title[self.lang], self.profile, self.lang))

    def _asking(self, now_s: float, pressed: list[str], seated: bool) -> None:
        """OK: the session is theirs; `<` or `>`: the menu of the person before or after, on their
        programme; standing up or no answer (ASK_LIMIT_S): the menu."""
        if "ok" in pressed and seated:
            self._choose(self._asked)
            return
        if "prev" in pressed or "next" in pressed:
            step = -1 if "prev" in pressed else 1
            self._switch_profile((self.profile - 1 + step) % self.cfg.session.profiles + 1)
            self._point_cursor()
            self.device.reactor.update_timer(self._warm_timer, now_s + WARM_UP_S)   # their programme, level
        elif seated and now_s - self._since_s < ASK_LIMIT_S:
            return
        self.state = MENU
        self._show_menu(now_s)

    def _choose(self, item: str) -> None:
        """OK on the programme `item`, somebody seated (and, where several train, who it is said):
        kept as their programme trained where it takes over, and started."""
        if item == LETTING_GO and item != self._pointed and item != self._proposal():
            self._choose_letting_go()
            self._save_mine("chosen_once", "")             # (`_takes_over`: in a row)
        if self._trainable(item):
            self._save_mine("letting_go_chosen", "0")      # (`_choose_letting_go`: in a row)
            if self._takes_over(item):
                self._trained[self.profile] = item
                self.store.save_setting(self._mine("programme"), item)
        self._prepare(self.programmes[item])

    def _show_menu(self, now_s: float) -> None:
        screen = self.device.screen
        if self._counted_on is not None and self._today() != self._counted_on:
            self._stored_before_judging()
            self._count_done()                 # a new day (or a new week) since they were counted
            self._check_advice()               # and its advice shown again (a service runs for days: a review)
        if now_s >= self._note_until_s and self._waiting:          # the device's, whoever trains
            self._note, self._note_until_s = self._waiting.pop(0), now_s + NOTICE_S
        elif now_s >= self._note_until_s and self._news:
            self._note, self._note_until_s = self._news.pop(0), now_s + NEWS_S
        if now_s < self._note_until_s:
            screen.show(self._note)
            return
        item = self.items[self.cursor]
        if item == LAST_RESULT:
            label, hint = self.t("last_result_item"), self.t("menu_hint_view")
        elif item == "profile":
            label, hint = self.t("profile_item", n=self.profile), self.t("menu_hint_setting")
        elif item == "language":
            label, hint = self.t("language_item"), self.t("menu_hint_setting")
        elif item == "volume":
            label = self.t("volume_item", pct=round(self._volume_step() * 100))
            hint = self.t("menu_hint_setting")
        else:
            label, hint = self.programmes[item].title[self.lang], self.t("menu_hint")
            if item == ASSESSMENT and self._assessment_due():
                hint = self.t("menu_hint_assess")
            elif int(now_s / HINT_TURN_S) % 2:         # the week against the goal, in turn with the hint
                hint = self.t("week_done", done=self._done_week, goal=7 * self.cfg.session.daily_goal)
        if self._storage_trouble in STORAGE_TEXTS:
            hint = self.t(STORAGE_TEXTS[self._storage_trouble])
        goal = self.cfg.session.daily_goal
        heading = today_text(self._done_today, goal, self.lang, lambda said: menu_heading_fits(said, goal),
                             person=self.profile if self.cfg.session.profiles > 1 else None)
        screen.show(MenuView(heading, self._done_today, goal, label, hint))

    def _mine(self, key: str) -> str:
        """A setting of the profile training now (its programme, its language)."""
        return stored_values.person_setting(self.profile, key)

    def _kept_mine(self, key: str) -> str:
        """Who trains now's setting `key` as this appliance last saved it, else as stored (""
        without one): the writer may not have stored it yet (a review)."""
        known = (self.profile, key)
        if known not in self._kept:
            self._kept[known] = self.store.setting(self._mine(key), "")
        return self._kept[known]

    def _save_mine(self, key: str, value: str) -> None:
        self._kept[(self.profile, key)] = value
        self.store.save_setting(self._mine(key), value)

    def _switch_profile(self, profile: int) -> None:
        """Somebody else trains now: their maximum, levels, assessments, day and language (as they
        chose it on the menu; none chosen: as it was)."""
        self.profile = profile
        self.store.save_setting("profile", str(profile))
        self.lang = self._lang_asked or stored_values.person_language(self.store, profile, self.cfg.session.profiles,
                                                                      self.cfg.ui.language)
        self._last_assessment = self._stored_assessment_day()
        self._let_go_next = self._stored_let_go_first()
        self._last_asked_no_lift = self._stored_last_asked_no_lift()
        self._count_done()
        self._news = []
        self._check_advice()
        self._pointed = self._proposal()      # theirs (a choice over it is a one-off: `_takes_over`; a review)
        self._set_items()                     # (their last result, or none)

    def _stored_before_judging(self) -> None:
        """On a new day, what the writer still has to store, stored (NEW_DAY_DRAIN_S at most), before the
        day's counts and advice are read from the database: on a device idle at midnight at once; on the
        simulator, whose days pass in seconds, the writer was days behind and `run --sim --days-between`
        never reached the advice (a review). A trouble is the writer's to tell: the checks read what is
        stored."""
        try:
            self.store.drain(NEW_DAY_DRAIN_S)
        except StorageError:
            pass

    def _count_done(self) -> None:
        """Today's and this week's (from Monday) completed sessions of who trains now."""
        today = self._counted_on = self._today()
        self._done_today = self.store.completed_on(today.isoformat(), self.profile)
        self._done_week = self.store.completed_since((today - datetime.timedelta(days=today.weekday())).isoformat(),
                                                     self.profile)

    def _today(self) -> datetime.date:
        return self.platform.wall().date()

    def _check_advice(self, just_made: Measured | None = None) -> bool:
        """Brochure 004's rule (`session.advice`): after weeks of regular training without
        improvement, the menu shows plainly that a pelvic physiotherapist can help. True when it
        applies. At the start and on each new day (no `just_made`), the rule for a floor that does
        not let go too (`see_physio_let_go`): it was said only on the end screen of another such
        session, and a user who had gone on to lifts never saw it again (a trial)."""
        today = self._today()
        days = {r["day"] for r in self.store.sessions(self.profile) if r["completed"] and r["day"] is not None}
        measured = [Measured.from_stored(row) for row in self.store.assessments(self.profile)]
        if just_made is not None:          # not in the database yet: the writer is on it
            measured.append(just_made)
            days.add(today)
        if just_made is None and see_physio_let_go(self._stored_letting_go(), today):
            self._log(f"advice: letting go practised for {LET_GO_DAYS} days and never let go: "
                      "see a pelvic physiotherapist")
            self._news.append(MessageView(self.t("advice_let_go_title"),
                                          (self.t("advice_physio_1"), self.t("advice_physio_2"))))
        if see_physio(measured, days, today):
            self._log("advice: no improvement after weeks of regular training: see a pelvic physiotherapist")
            self._news.append(MessageView(self.t("advice_physio_title"),
                                          (self.t("advice_physio_1"), self.t("advice_physio_2"))))
            return True
        return False

    def _stored_letting_go(self) -> list:
        """Who trains now's completed sessions of letting go only, as stored: (day, relaxation score),
        but the one just done (`_stored_rows`)."""
        stored = [(r["day"], r["program"], r["completed"], r["contraction_score"], r["relaxation_score"])
                  for r in self._stored_rows()]
        return letting_go_practised(stored, self.programmes)

    def _stored_rows(self) -> list[dict]:
        """Who trains now's sessions as stored (`Store.sessions`), but the one just done, which the
        writer may or may not have stored by now: its figures are in hand (counted twice, it turned
        the one-in-eight rule's answer: a review)."""
        just_done = self.session.stored_id if self.session is not None else None
        return [r for r in self.store.sessions(self.profile) if just_done is None or r["id"] != just_done]

    def _check_let_go_advice(self, program: str, coaching: CoachSummary) -> bool:
        """The rule for a floor that does not learn to let go (`session.advice.see_physio_let_go`),
        after a session of letting go only that did not let go: True when it applies (the end screen
        then advises a pelvic physiotherapist, not *Nog eens: Ontspannen*)."""
        today = self._today()
        just_done = [(today, program, True, coaching.contraction_score, coaching.relaxation_score)]
        practised = letting_go_practised(just_done, self.programmes)
        if not practised or not let_go_first(coaching.relaxation_score):
            return False
        if not see_physio_let_go(self._stored_letting_go() + practised, today):
            return False
        self._log(f"advice: letting go practised for {LET_GO_DAYS} days and never let go: see a pelvic physiotherapist")
        return True

    def _check_bear_down_advice(self, program: str, coaching: CoachSummary, reps: int) -> bool:
        """The rule for a floor that keeps bearing down (`session.advice.see_physio_bear_down`),
        after a session of lifts that pushed: True when it applies (the end screen then advises a
        pelvic physiotherapist)."""
        today = self._today()
        just_done = lifting_practised([(today, program, True, coaching.contraction_score,
                                        coaching.errors.bear_down, reps)], self.programmes)
        if not just_done or coaching.errors.bear_down < PUSHED_SHARE * reps:
            return False
        stored = [(r["day"], r["program"], r["completed"], r["contraction_score"], r["errors_bear_down"], r["reps"])
                  for r in self._stored_rows()]
        if not see_physio_bear_down(lifting_practised(stored, self.programmes) + just_done, today):
            return False
        self._log(f"advice: a push warned in half the repetitions or more for {BEAR_DOWN_SPAN_DAYS} days: "
                  "see a pelvic physiotherapist")
        return True

    def _stored_assessment_day(self) -> datetime.date | None:
        last = self.store.last_assessment_day(self.profile)
        try:
            return None if last is None else datetime.date.fromisoformat(last)
        except ValueError:
            return None

    def _assessment_due(self) -> bool:
        """The assessment is proposed when there is one to make and none was made in the
        last ASSESS_EVERY_DAYS days -- the first once the floor is found: not while the programme
        trained is `voelen` (a new user was asked for maximal squeezes before learning to feel the
        floor, and one who pushed pushed there, while 002 begins "leren voelen": a trial), unless
        it has been trained ASSESS_EVERY_DAYS without finding it (else a floor that never did had
        no assessment, so never the advice they lead to: a review); nor while who trains practises
        letting go only (`_stored_last_asked_no_lift`)."""
        last = self._last_assessment
        if self._last_asked_no_lift:
            return False
        if last is None and self._last_trained() == FEELING and not self._feeling_long():
            return False
        return ASSESSMENT in self.programmes and (last is None or (self._today() - last).days >= ASSESS_EVERY_DAYS)

    def _feeling_long(self) -> bool:
        """Who trains now completed a session ASSESS_EVERY_DAYS days ago or more -- read once a day
        (the menu asks on every poll while its cursor is on the assessment; sessions completed
        since do not change it)."""
        today = self._today()
        known = (self.profile, today)
        if known not in self._felt_long:
            since = today - datetime.timedelta(days=ASSESS_EVERY_DAYS - 1)
            self._felt_long[known] = self.store.completed_before(since.isoformat(), self.profile) > 0
        return self._felt_long[known]

    def _point_cursor(self) -> None:
        """The menu starts on the programme asked for; else on the assessment when it is
        due; else, when the floor did not let go in the last session (after its lifts, or in
        `ontspannen` itself), on the programme that teaches it (as that session's end screen
        advised); else on the programme last trained (`voelen` at first)."""
        first = self._pointed = self._proposal()
        if first in self.programmes:
            self.cursor = self.items.index(first)
        elif first == self._last_trained() and first not in self._untold \
                and self.store.setting(self._mine("programme"), "") == first:     # its file gone or refused:
            self._untold.add(first)                                               # said once, in the log
            self._log(f"menu: the programme last trained, {first}, is not here now (its file removed "
                      f"or refused): the menu starts on {self.items[self.cursor]}")

    def _proposal(self) -> str:
        """The programme the menu proposes to who trains now (`_point_cursor`)."""
        return self._chosen or (ASSESSMENT if self._assessment_due()
                                 else LETTING_GO if self._let_go_next
                                 else self._last_trained())

    def _last_trained(self) -> str:
        """The programme who trains now chose last -- at first `voelen` (`basis` where there is
        none), as the brochures begin: feel the floor, then train it (`felt`; the menu began new
        users on `basis`, the README on `voelen`: a trial) -- as chosen, not as read back: the
        writer may not have stored it yet."""
        if self.profile not in self._trained:
            first = FEELING if FEELING in self.programmes else AFTER_FEELING
            stored = self.store.setting(self._mine("programme"), first)
            if LETTING_GO in self.programmes and self._letting_go_chosen() >= CHOSEN_IN_A_ROW:
                stored = LETTING_GO
            elif not self._trainable(stored):      # (one stored by a version that remembered it: as if none were)
                stored = first
            self._trained[self.profile] = stored
        return self._trained[self.profile]

    def _felt_again(self, found: bool) -> bool:
        """A session of `voelen` just completed `found` the floor (`felt`) or not: whether its
        sessions have now, in a row, on FELT_DAYS days (the days kept per person, `felt_days`;
        damaged, none)."""
        today = self._today().isoformat()
        days = [day for day in self._kept_mine("felt_days").split(",")     # (damaged, or after today: none)
                if len(day) == 10 and stored_values.day(day) is not None and day <= today] if found else []
        if found and today not in days:
            days.append(today)
        found_days = len(days) >= FELT_DAYS
        self._save_mine("felt_days", "" if found_days else ",".join(days))     # (moved on: counted anew later)
        return found_days

    def _choose_letting_go(self) -> None:
        """`ontspannen` chosen on the menu over the programme it proposed (for who trains now, as the
        cursor was pointed and as now: a day turned with the menu up): the CHOSEN_IN_A_ROW-th time in
        a row (another programme trained chosen in between starts the count again; the knack or the
        assessment, beside the training, do not), it is the programme trained -- an over-tense
        floor's physiotherapist asks for it, and the menu took him back to lifts once two sessions
        were let go, to `basis`'s maximal lifts (a trial); one press of the wrong item stays no
        programme trained (a trial)."""
        chosen = self._letting_go_chosen() + 1
        self._save_mine("letting_go_chosen", str(chosen))
        if chosen >= CHOSEN_IN_A_ROW:
            self._trained[self.profile] = LETTING_GO

    def _takes_over(self, item: str) -> bool:
        """Whether `item`, a programme trained (`_trainable`), chosen now, is the programme trained
        from now on: the one trained already or the one proposed (asked for with `--program`; any, where
        the menu has not the one it would propose), or one chosen over the proposal the
        CHOSEN_IN_A_ROW-th time in a row (`chosen_once`: the knack or the assessment in between leave it,
        as they leave `ontspannen`'s count). Chosen once it is a one-off, and the menu comes back to the
        programme trained (trial87: one session of `kracht`, chosen by mistake for a weak floor, was
        proposed every day after, and praised)."""
        again = self._kept_mine("chosen_once") == item
        proposed = self._proposal()
        takes_over = again or item in (self._last_trained(), self._pointed, proposed) \
            or proposed not in self.programmes              # (nothing on the menu proposed: the first choice)
        self._save_mine("chosen_once", "" if takes_over else item)
        if not takes_over:
            self._log(f"menu: {item} chosen over {self._last_trained()} once: {self._last_trained()} stays the "
                      f"programme trained (the menu proposes it again; {item} chosen again next time takes over)")
        return takes_over

    def _letting_go_chosen(self) -> int:
        """How many times in a row who trains chose `ontspannen` over the menu's proposal (0: a
        damaged value too)."""
        text = self._kept_mine("letting_go_chosen")
        return int(text) if text.isascii() and text.isdigit() else 0

    def _trainable(self, name: str) -> bool:
        """Whether `name` is remembered as the programme trained (`trained_daily`). (`ontspannen` chosen
        over the menu's proposal twice in a row is: `_choose_letting_go`.)"""
        return trained_daily(name, self.programmes.get(name))

    def _stored_last_asked_no_lift(self) -> bool:
        """Who trains now last completed a session that asked no lift (`ontspannen`, as stored, its
        row on its way to the database or not): the assessment's maximal lifts wait until they train
        lifts again (004: "Bij (te) veel spanning focus je eerst op loslaten"; an over-tense floor two
        weeks on `ontspannen` was offered them, a trial)."""
        programme = self.programmes.get(self.store.last_completed_programme(self.profile))
        return programme is not None and not programme.asks_lift

    def _stored_let_go_first(self) -> bool:
        """One of the last LET_GO_CONFIRM completed sessions of who trains now, as stored, was one
        its floor did not let go in (`session.progression.let_go_first`), its row on its way to the
        database or not: the menu proposes `ontspannen` until that many in a row let go (one chance
        session let go sent an over-tense floor to `voelen`'s maximal lifts: a trial)."""
        return any(let_go_first(stored_values.number(summary.get("relaxation_score")))
                   for summary in self.store.last_summaries(None, self.profile, LET_GO_CONFIRM))

    def _volume_step(self) -> float:
        return min(VOLUMES, key=lambda v: abs(v - self.volume))

    # --- a session ---------------------------------------------------------------------------------
    def _at_level(self, programme: Programme) -> tuple[Programme, Standing | None]:
        """`programme` as this user does it now (at their level, when it grows with them)."""
        if not programme.levels:
            return programme, None
        known = (self.profile, programme.name)
        standing = self._standings.get(known)
        if standing is None:
            standing = self._standings[known] = self.store.standing(programme.name, self.profile)
        return programme.at_level(standing.level), standing

    def _start_session(self, programme: Programme) -> None:
        metadata = self.metadata
        programme, self._standing = self._at_level(programme)
        if self._standing is not None:
            metadata = {**metadata, **programme.level_header(self._standing.level)}
        self._log(f"session: {programme.name}"
                  + (f" at level {programme.level_number(self._standing.level)}" if self._standing else "")
                  + (f", person {self.profile}" if self.cfg.session.profiles > 1 else ""))
        self.state = SESSION
        self.device.sampler.stop()
        session = self.session = GuidedSession(
            self.device, programme, None, writer=self.writer, lang=self.lang,
            max_drop_kpa=self.cfg.session.max_drop_kpa or None, store=self.store, metadata=metadata,
            profile=self.profile)
        session.on_done = self._finish_session
        self._session_faults = 0
        session.start()
        self.device.sampler.start(self.cfg.sampling.rate_hz)

    def _in_session(self, now_s: float, pressed: list[str], seated: bool) -> None:
        session = self.session
        t = session.t
        if session.paused is None:
            if not seated or "ok" in pressed:
                session.pause("stood_up" if not seated else "button")
                self._since_s = t
                self._log(f"paused ({session.paused}) at {t:.1f} s")
        elif seated and (session.paused == "stood_up" or "ok" in pressed):
            self._log(f"resumed at {t:.1f} s after {t - self._since_s:.1f} s")
            session.resume()
        elif "prev" in pressed or "next" in pressed or t - self._since_s > PAUSE_LIMIT_S:
            reason = "stopped on the device" if pressed else "paused too long"
            self._end_session(reason)

    def _finish_session(self) -> None:
        summary = self.session.finish()
        self.completed += 1
        self._done_today += 1
        self._done_week += 1
        self._last_active = self.platform.wall()
        if summary.assessment is not None:
            self._last_assessment = self._today()
            # the end screen says it too, not *Houd vol ... het komt* beside it (a new user's trial)
            self.session.ui.see_physio = self._check_advice(Measured.of(self._today(), summary.assessment))
        if self._standing is not None:
            self._progress(summary.program, summary.coaching)
        coaching = summary.coaching     # (in hand: its row is still on its way to the database)
        if self._check_let_go_advice(summary.program, coaching) \
                or self._check_bear_down_advice(summary.program, coaching, len(summary.reps)):
            self.session.ui.see_physio = True
        self._let_go_next = self._stored_let_go_first()      # (this one stored with them)
        self._last_asked_no_lift = self._stored_last_asked_no_lift()
        found = summary.program == FEELING and self._felt_again(felt(summary.program, coaching.lifts_asked,
                                                                      found_floor(summary.reps)))
        if found and AFTER_FEELING in self.programmes:
            self._trained[self.profile] = AFTER_FEELING           # the menu moves on with the user
            self.store.save_setting(self._mine("programme"), AFTER_FEELING)
        scores = ", ".join(f"{name} {score}" for name, score in (("contraction", coaching.contraction_score),
                                                                ("relaxation", coaching.relaxation_score))
                           if score is not None)
        self._log(f"session done: {len(summary.reps)} reps, {scores}, "
                  f"{summary.coaching.errors.bear_down} bear-down warnings, "
                  f"{summary.bus.retries_per_100:.1f} bus retries per 100 conversions")
        self.state = SUMMARY
        self._summary_page = 0
        self._since_s = self.clock.now()
        # for *Laatste uitslag*, as it is now: a fault or a stop may end the end screen (a review)
        self._last_result[self.profile] = tuple(self.session.ui.summary_sheets())
        # its first page again, now that a new level's page or the advice is known: it came counting
        # one page fewer (trial90: *Klaar! 1/6*, then *Klaar! 2/7*)
        self.session.ui.show_summary(0)
        self.device.sampler.start(MENU_RATE_HZ)
        self.buttons.poll()

    def _progress(self, name: str, coaching: CoachSummary) -> None:
        """The programme's level after a completed session (`coaching`: its scores and
        errors); a change is logged, and shown on the end screen and when the menu returns."""
        programme, before = self.programmes[name], self._standing
        outcome = session_verdict(coaching)
        began = stored_values.day(self.session.today)        # its start's day; None on a clock not set
        now = self._standings[(self.profile, name)] = before.after(outcome, programme,
                                                                   began.toordinal() if began else 0)
        self.store.save_standing(name, now, self.profile)
        was, level = programme.level_number(before.level), programme.level_number(now.level)
        if level != was:
            self._log(f"level: {name} {was} -> {level}")
            key = "level_up" if level > was else "level_down"
            news = MessageView(self.t(key, level=level), (level_text(programme.at_level(now.level), self.lang),))
            self._news.append(news)
            self.session.ui.news = news         # the end screen's last page too (a new user's trial missed it)

    def _end_session(self, reason: str) -> None:
        """The session ends early, kept as interrupted; the menu returns."""
        self._keep_interrupted(reason)
        self.session = None
        self._log(f"session ended: {reason}")
        self._enter_menu()

    def _keep_interrupted(self, reason: str) -> None:
        """End the session early, kept as interrupted (`reason`: its recording's `# aborted=`)."""
        self.session.finish(aborted=reason)
        self.kept_interrupted += 1

    def _leave_summary(self) -> None:
        self._close_session()
        if self.max_sessions is not None and self.completed >= self.max_sessions:
            self.device.reactor.end()
            return
        self._enter_menu()

    # --- storage -----------------------------------------------------------------------------------
    def _watch_storage(self, now_s: float) -> None:
        """Log storage trouble as it comes and goes, and show what the user should know."""
        trouble = self.store.trouble
        kind = trouble.kind if trouble is not None else None
        if kind != self._storage_trouble:
            self._storage_trouble = kind
            self._log(f"storage: {trouble.message}: kept in memory, retrying" if trouble is not None
                      else "storage: writing again")
            if kind in STORAGE_TEXTS:
                self._notify(WarningView(self.t(STORAGE_TEXTS[kind]), self.t("training_goes_on")), now_s)
            elif self.state == MENU:
                self._show_menu(now_s)
        replaced = self.store.replaced
        if replaced is not self._replaced:
            self._replaced = replaced
            self._notify(MessageView(self.t("database_damaged"), (self.t("results_kept"),)), now_s)
        interrupted = self.store.interrupted
        if interrupted != self._interrupted:       # a power cut's session, with reps, is kept: said so once
            self._interrupted = interrupted        # (a trial: after one, nothing said the work was not lost)
            if replaced is None and any(s.profile == self.profile and s.reps for s in interrupted):
                # (not beside a renewed database: *Opslag hersteld* says what there is to say)
                self._notify(MessageView(self.t("session_interrupted"), (self.t("all_kept"),)), now_s)

    def _notify(self, view: View, now_s: float) -> None:
        """`view` over the session for NOTICE_S, which goes on; else over the menu -- after the
        one shown there now, if there is one (two at once: the second took the first's place)."""
        if self.state == SESSION:
            self.session.ui.notice(view, self.session.t + NOTICE_S)
        elif now_s < self._note_until_s:
            self._waiting.append(view)     # (not one person's news: a switch of person keeps it)
        else:
            self._note, self._note_until_s = view, now_s + NOTICE_S
            if self.state == MENU:
                self._show_menu(now_s)

    # --- faults ------------------------------------------------------------------------------------
    def _fault(self, error: HardwareError) -> None:
        """The sampler (or opening the cushion) failed: show it, and probe until it is back."""
        self.faults += 1
        self._log(f"Sensorfout: {error}")
        if self.state == SUMMARY:
            self._close_session()
        session = self.session
        self._paused_before = session.paused if session is not None else None
        if session is not None:
            self._session_faults += 1
            if self._session_faults >= FAULTS_PER_SESSION:
                self._keep_interrupted(f"sensor unreliable: {self._session_faults} faults in this session, "
                                       f"the last: {error}")
                self.session = session = None
                self._log(f"session ended: the sensor failed {self._session_faults} times")
            else:
                session.pause("sensor")
        self.state = FAULT
        self._fault_error = error
        self._since_s = self.clock.now()
        self._good_probes = 0
        device = self.device
        device.screen.show(WarningView(self.t("sensor_fault"), self.t("sensor_fault_detail")))
        device.play(PATTERNS[cues.SENSOR_FAULT])
        self.buttons.poll()
        device.sampler.stop()
        device.reactor.update_timer(self._probe_timer, self._since_s + PROBE_EVERY_S)

    def _close_session(self) -> None:
        self.session.close()
        self.session = None

    def _probe(self, eventtime: float) -> float:
        """In the fault state, once a second until the cushion answers: open it if it never
        was, then let the sampler read every channel each second (`_probed` hears it)."""
        if self.state != FAULT:
            return NEVER
        device = self.device
        try:
            device.open_cushion()
        except HardwareError:
            self._good_probes = 0
            return eventtime + PROBE_EVERY_S
        sampler = device.sampler
        self._retries_seen = device.cushion.adc.bus_retries
        sampler.on_sample = self._probed
        sampler.on_fault = self._probe_failed
        sampler.start(1.0 / PROBE_EVERY_S, probe=True, origin_s=sampler.t0_s)
        return NEVER

    def _probe_failed(self, error: HardwareError) -> None:
        self._good_probes = 0
        self.device.reactor.update_timer(self._probe_timer, self.clock.now() + PROBE_EVERY_S)

    def _probed(self, t: float, perineal_kpa: float, left_kg: float, right_kg: float) -> None:
        """A probe is good when every channel reads plausibly and the bus needed no retry."""
        retries, self._retries_seen = self._retries_seen, self.device.cushion.adc.bus_retries
        if retries != self._retries_seen or not self.guard.plausible(perineal_kpa, left_kg, right_kg):
            self._good_probes = 0
            return
        self._good_probes += 1
        if self._good_probes >= PROBES_OK:
            self._recovered()

    def _in_fault(self, now_s: float, pressed: list[str]) -> None:
        """A session waits out the fault, unless the user stops it or it lasts too long."""
        if self.session is None:
            return
        if {"prev", "next"} & set(pressed):
            self._log("session stopped on the device during the fault")
            self._keep_interrupted(f"sensor fault: {self._fault_error}")
            self.session = None
        elif now_s - self._since_s > FAULT_RESUME_LIMIT_S:
            self._log(f"session ended: the sensor fault lasted over {FAULT_RESUME_LIMIT_S:.0f} s")
            self._keep_interrupted(f"sensor fault for over {FAULT_RESUME_LIMIT_S:.0f} s: {self._fault_error}")
            self.session = None

    def _recovered(self) -> None:
        device = self.device
        took_s = self.clock.now() - self._since_s
        self._log(f"sensors back after {took_s:.1f} s")
        device.sampler.on_fault = self._fault
        device.screen.open("no screen after the fault")          # it may have lost power
        session = self.session
        if session is None:
            self._enter_menu()
        else:
            self.state = SESSION
            device.sampler.on_sample = session.on_sample
            device.sampler.start(self.cfg.sampling.rate_hz, origin_s=device.sampler.t0_s)
            if self._paused_before is None:
                session.resume()
            else:                                  # the user's own pause still holds
                session.pause(self._paused_before)

    # --- stopping ----------------------------------------------------------------------------------
    def _stopping(self) -> None:
        """SIGTERM or Ctrl-C: keep the session as interrupted, say so (*Gestopt / Alles is bewaard*:
        *Gestopt* alone left a trial's user unsure her session was kept), and end the loop."""
        kept = ()
        if self.session is not None:
            if self.state != SUMMARY:
                self._keep_interrupted(f"stopped by {self.stop.signal_name}")
                kept = (self.t("all_kept"),)
            self._close_session()
        self.notifier.stopping()
        self.state = STOPPING
        self._since_s = self.clock.now()
        self.device.sampler.stop()
        self.device.screen.show(MessageView(self.t("stopped"), kept))
        print(f"  stopped by {self.stop.signal_name}", file=self.progress)


def ask_who_view(title: str, person: int, lang: str) -> MenuView:
    """Whose session of the programme `title` it is, as the menu lays out a choice: *Persoon 2?*
    large, *OK: ja  < >: ander* below."""
    return MenuView(title, 0, 0, text("ask_who", lang, n=person), text("ask_who_hint", lang))


def usb_view(status: UsbStatus, lang: str) -> MessageView:
    """What became of a USB stick, over the menu: *Rapport op USB gezet* / *Stick mag
    eruit*, or why not (with the room needed, when that is why)."""
    more = text("usb_remove", lang) if status.need_mb is None else text("usb_need_mb", lang, n=status.need_mb)
    return MessageView(text(f"usb_{status.outcome}", lang), (more,))
