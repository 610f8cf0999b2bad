"""One guided session: the sampler's samples through analysis and coaching, and what
comes out handed to its sinks.

Per sample (`on_sample`, called from the sampler's timer) the sample goes to the
recording, and once a pair of samples is complete (`session.pairs`: at 250 Hz the analysis
takes their mean) the seat tracker, the analyzer and the coach take their step; then the
analyzer's notices and the coach's cues go to their sinks -- the screen (`SessionUi`), the
buzzer, the cue log, the store (a scored rep), the event journal. Nothing in that
path waits, draws or writes: the screen renders in the reactor's gaps
(`device.core.ScreenPump`), the recording is formatted a few rows at a time (the
device's storage timer), and every file and database write is a job for the writer
thread (`device.writer`), in order.

Files written to `out_dir`:
- `recording.csv.gz`: the session's v1 recording, gzip-compressed as it is written;
- `cues.jsonl`: every cue, one JSON object a line (`t`, `channel`, `cue`, `text`);
- `progress.json` (with a store): the coach's figures (PERFECT, mistakes, scores) and its
  reps as of its last scored rep, from which a session killed before its end is summed up;
- `summary.json`: programme, duration, every rep's scores, warnings, PERFECT, and when
  each cue was given (`cues`: the cue log goes with the session's folder once it is
  stored; the summary is kept, for the report's curves).
"""

from __future__ import annotations

import datetime
import io
import json
import reprlib
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from device import stored_values
from device.buzz import PATTERNS
from device.config import Config
from device.appending import GzipTextFile, TextFile
from device.core import Device
from device.durable import sync_folder, write_durably, write_text
from device.hardware import Platform
from device.layout import FILES_IN, LIVE_RECORDING, PROGRESS
from device.reactor import NEVER, NOW
from device.screens import render
from device.stopping import StopFlag, StopRequested
from device.ui import SUMMARY_PAGE_S, SessionUi
from device.writer import Writer
from drivers.adc import BusCounts
from session import cues
from session.analyzer import Analyzer
from session.assessment import Assessment
from session.coach import Coach, CoachSummary, Cue, RepScore
from session.events import COMPLETED, LET_GO, RETRACTED, Event, Notice
from session.pairs import SamplePairs
from session.programme import REUSE_MAXIMUM_DAYS, Programme
from session.recording import KG_STEPS, KPA_STEPS, T_DECIMALS, T_STEPS, RecordingWriter
from session.seat import SeatTracker

ROWS_PER_STEP = 12           # recording rows formatted at a time, in a gap (well under 1 ms on a Pi Zero)
ROWS_PER_HANDOVER = 125      # formatted rows go to the writer thread in batches of this many (0.5 s)
RECORDING_SYNC_S = 10.0      # a session's recording is synced to the SD card this often (session seconds)


@dataclass(frozen=True)
class SessionFiles:
    out_dir: Path

    @property
    def recording(self) -> Path:
        return self.out_dir / LIVE_RECORDING

    @property
    def cues(self) -> Path:
        return self.out_dir / "cues.jsonl"

    @property
    def progress(self) -> Path:
        return self.out_dir / PROGRESS

    @property
    def summary(self) -> Path:
        return self.out_dir / "summary.json"


@dataclass(frozen=True)
class SessionSummary:
    """What `summary.json` says: the programme, for whom, how long, the samples taken and
    dropped, every rep's scores and the coach's summary; `bus`, the ADC's conversions
    and retried I2C transactions during the session (the bus's error rate); `aborted`
    says why a session ended early, `extra` adds the simulator's fields; `cues`, when
    each cue was given (session seconds, cue id); `pauses`, why each pause began ("stood_up",
    "button", "sensor"), in order."""

    program: str
    persona: str | None
    seed: int
    language: str
    duration_s: float
    samples: int
    dropped: int
    reps: tuple[RepScore, ...]
    coaching: CoachSummary
    bus: BusCounts = BusCounts()
    aborted: str | None = None
    extra: dict = field(default_factory=dict)
    assessment: Assessment | None = None       # an assessment's figures (the meting)
    cues: tuple[tuple[float, str], ...] = ()
    pauses: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        out = {"program": self.program, "persona": self.persona, "seed": self.seed, "language": self.language,
               "duration_s": self.duration_s, "samples": self.samples, "dropped": self.dropped,
               "reps": [r.as_dict() for r in self.reps], **coaching_fields(self.coaching),
               "bus_retries": self.bus.retries,
               "bus_retries_per_100": round(self.bus.retries_per_100, 2),
               "cues": [[round(t, 6), cue] for t, cue in self.cues], "pauses": list(self.pauses)}     # to the us, as the EDF: never before what they follow
        if self.aborted is not None:
            out["aborted"] = self.aborted
        if self.assessment is not None:
            out["assessment"] = self.assessment.as_dict()
        return {**out, **self.extra}


def coaching_fields(coaching: CoachSummary) -> dict:
    """The coach's figures as a summary holds them (`summary.json`, `progress.json`)."""
    return {"bear_down_warnings": coaching.errors.bear_down, **coaching.as_dict()}


class Recorder:
    """The session's v1 recording. `add()` puts a sample into preallocated arrays (no
    allocation, no I/O); `format_some()` turns a few of them into lines, handed to the
    file (the writer thread) in batches of ROWS_PER_HANDOVER, `flush()` at once; `mark()`
    writes a metadata line after every row before it."""

    def __init__(self, out: TextFile, metadata: dict[str, object], capacity: int = 8192) -> None:
        self._out = out
        self._text = io.StringIO()
        self._lines = RecordingWriter(self._text, metadata)       # the header, then rows
        self._columns = tuple(array("d", bytes(8 * capacity)) for _ in range(4))
        self._capacity = capacity
        self._added = 0
        self._formatted = 0
        self._unsent = 0
        self.flush()

    def add(self, t_s: float, perineal_kpa: float, left_kg: float, right_kg: float) -> None:
        if self._added - self._formatted == self._capacity:     # the gaps did not keep up
            self.format_some(ROWS_PER_STEP)
        i = self._added % self._capacity
        t, kpa, left, right = self._columns
        t[i], kpa[i], left[i], right[i] = t_s, perineal_kpa, left_kg, right_kg
        self._added += 1

    def format_some(self, max_rows: int = ROWS_PER_STEP) -> bool:
        """Format up to `max_rows` rows (the file gets them in batches); True while more are
        waiting."""
        start = self._formatted
        i = start % self._capacity
        n = min(self._added - start, max_rows, self._capacity - i)      # up to the ring's end
        if n > 0:
            t, kpa, left, right = self._columns
            self._lines.write_rows(t[i:i + n], kpa[i:i + n], left[i:i + n], right[i:i + n])
            self._formatted = start + n
            self._unsent += n
            if self._unsent >= ROWS_PER_HANDOVER:
                self.flush()
        return self._formatted < self._added

    def flush(self) -> None:
        """Hand every row formatted so far to the file."""
        text = self._text.getvalue()
        if text:
            self._out.append(text)
            self._text.seek(0)
            self._text.truncate()
        self._unsent = 0

    def mark(self, line: str) -> None:
        while self.format_some(self._capacity):
            pass
        self.flush()
        self._out.append(f"# {line}\n")

    def close(self) -> None:
        while self.format_some(self._capacity):
            pass
        self.flush()
        self._out.close()


class CueLog:
    """cues.jsonl: when each cue sounded, and when the screen showed it and with what text.
    `log()` only notes it; `write()` (in a gap) formats what was noted for the file."""

    def __init__(self, out: TextFile) -> None:
        self._out = out
        self._noted: list[tuple[float, str, str, str | None]] = []

    def log(self, t: float, channel: str, cue: str, shown: str | None) -> None:
        self._noted.append((t, channel, cue, shown))

    def write(self) -> None:
        if self._noted:
            self._out.append("".join(json.dumps({"t": round(t, 3), "channel": channel, "cue": cue,
                                                 "text": shown}, ensure_ascii=False) + "\n"
                                     for t, channel, cue, shown in self._noted))
            self._noted.clear()

    def close(self) -> None:
        self.write()
        self._out.close()


class GuidedSession:
    """One session on `device`, fed by its sampler once `start()`ed.

    While paused, samples still arrive (the seat and the sensors stay watched) but
    nothing is analysed, coached or recorded; on resume the interrupted repetition
    starts again. With a `store`, today's stored maximum replaces calibration (one of the
    last REUSE_MAXIMUM_DAYS where the programme `reuses_maximum`), every
    finished rep is committed as it happens, and the session and its compressed
    recording are kept. Its files go to `out_dir`; without one, to the store's folder
    for the session, which goes once the store keeps the session.
    """

    def __init__(self, device: Device, programme: Programme, out_dir: Path | None, *, writer: Writer,
                 lang: str = "nl", max_drop_kpa: float | None = None, store=None,
                 metadata: dict[str, object] | None = None, profile: int = 1) -> None:
        self.device = device
        self.programme = programme
        self.out_dir = out_dir
        self.files: SessionFiles | None = None
        self.lang = lang
        self.store = store
        self.writer = writer
        self.metadata = metadata or {}
        self.profile = profile            # whose session: their maximum, history and levels
        self.today = device.platform.wall().date().isoformat()
        damaged = False
        if programme.assesses:         # an assessment measures the maximum itself: it is its P
            max_drop_kpa = None
        elif store is not None and max_drop_kpa is None:
            stored_kpa = store.maximum(self.today, profile)
            max_drop_kpa = stored_values.maximum_kpa(stored_kpa)
            damaged = stored_kpa is not None and max_drop_kpa is None
            if damaged:                 # a damaged cell: measure it anew (as said, not an earlier day's)
                low_kpa, high_kpa = stored_values.MAXIMUM_KPA_RANGE
                device.log(f"settings: today's stored maximum {reprlib.repr(stored_kpa)} is not a lift of "
                           f"{low_kpa:g} to {high_kpa:g} kPa: measuring it again")
        # an earlier day's maximum: the scale the calibration's lifts are shown on (not a stored cell that is none)
        last_max_kpa = store.last_maximum(self.today, profile) if store is not None else None
        if max_drop_kpa is None and store is not None and programme.reuses_maximum and not damaged:
            # one of the last days' rather than three maximal lifts again
            since = datetime.date.fromisoformat(self.today) - datetime.timedelta(days=REUSE_MAXIMUM_DAYS)
            max_drop_kpa = store.last_maximum(self.today, profile, since.isoformat())
            if max_drop_kpa is not None:
                device.log(f"settings: calibrate = false: the maximum of the last {REUSE_MAXIMUM_DAYS} days, "
                           f"{max_drop_kpa:.3f} kPa")
        self.seat = SeatTracker()
        self.analyzer = Analyzer(seat=self.seat)
        self.coach = Coach(programme, self.analyzer, max_drop_kpa=max_drop_kpa, last_max_kpa=last_max_kpa)
        self._pairs = SamplePairs(device.cfg.sampling.rate_hz)
        self.paused: str | None = None
        self._pauses: list[str] = []            # each pause's first reason, in order (the summary's `pauses`)
        self.t = 0.0
        self._maximum_kept = False
        self.completed_events: list[Event] = []
        self.ui: SessionUi | None = None
        self._session_ref = None
        self._bus_before = BusCounts()
        self._scored: list = []                 # reps scored, not handed to the store yet
        self._reps_taken = 0                    # the coach's reps taken into `_scored` so far
        self._recorder: Recorder | None = None
        self._recording_file: TextFile | None = None
        self._next_sync_t = RECORDING_SYNC_S
        self._cue_log: CueLog | None = None
        self._cue_sinks: tuple[Callable[[Cue], None], ...] = ()
        self._cue_times: list[tuple[float, str]] = []     # for the summary
        self._notice_sinks: tuple[Callable[[Notice], None], ...] = (self._journal,)
        self.on_done: Callable[[], None] = lambda: None     # the coach has just finished

    @property
    def done(self) -> bool:
        return self.coach.done

    @property
    def stored_id(self) -> int | None:
        """The session's id in the store (None: not stored)."""
        return None if self._session_ref is None else self._session_ref.id

    # --- start -------------------------------------------------------------------------------
    def start(self) -> None:
        """Open the session's files, store the session, render ahead what the session
        will show (the first time a programme runs, this takes a moment), and take the
        sampler's samples from the next `sampler.start()`."""
        device, metadata = self.device, dict(self.metadata)
        self._bus_before = device.cushion.adc.counts()
        if self.store is not None:
            ref = self._session_ref = self.store.start_session(
                device.platform.wall().isoformat(timespec="seconds"), self.programme.name,
                self.metadata.get("persona") or None, self.profile)
            metadata.update(session=ref.id, started_at=ref.started_at, profile=self.profile)
        files = self.files = SessionFiles(self.out_dir or self._session_ref.folder)
        chosen = self.out_dir.resolve() if self.out_dir is not None and self.store is not None else None

        def make_folder():
            files.out_dir.mkdir(parents=True, exist_ok=True)
            sync_folder(files.out_dir.parent)
            if chosen is not None:   # the store's folder names the chosen one: a kill loses nothing
                folder = self._session_ref.folder
                folder.mkdir(parents=True, exist_ok=True)
                write_durably(folder / FILES_IN, f"{chosen}\n")
        made = (files.out_dir,) if chosen is None else (files.out_dir, self._session_ref.folder / FILES_IN)
        self.writer.submit(make_folder, files=made)
        # its "rep done" says a rep is kept: never written ahead of the rep's row
        self._cue_log = CueLog(TextFile(self.writer, files.cues, after_database=True))
        self._recording_file = GzipTextFile(self.writer, files.recording)
        self._recorder = Recorder(self._recording_file, {
            "program": self.programme.name, "rate_hz": device.cfg.sampling.rate_hz,
            "analysed_every": self._pairs.every, **metadata})
        self._marked_max_kpa: float | None = None     # the user's maximum the recording says is known
        previous = self.store.last_summary(self.programme.name, self.profile) if self.store is not None else None
        self.ui = SessionUi(self.coach, device.screen, self.lang, self._cue_log.log, previous=previous)
        if device.screen.present:      # lay out all this session can show now, not while sampling
            for view in self.ui.warm_up_views():
                render(view)
        self._cue_sinks = (self.ui.on_cue, self._sound, self._store_rep, self._note_cue, self._keep_maximum)
        device.screen_pump.on_shown = self.frame_shown
        device.store(self._store_step)
        device.sampler.on_sample = self.on_sample
        screen = device.screen
        device.sampler.hold_seat = lambda: self.ui.urgent and not screen.idle   # the warning first

    # --- per sample ----------------------------------------------------------------------------
    def on_sample(self, t: float, perineal_kpa: float, left_kg: float, right_kg: float) -> None:
        """Record one sample, as its recording keeps it (to the decimals a row is written in:
        the analysis turns on ties of a sample, so `analyze` replays the very events the device
        saw only from the values the file holds), and once a pair of them is complete analyse
        and coach its mean (`session.pairs`); hand what came of it to the sinks."""
        self.t = t = round(t * T_STEPS) / T_STEPS
        if self.paused is None:
            if self.coach.max_drop_kpa != self._marked_max_kpa:    # known from here on (measured in the last
                self._mark_maximum()                                # analysed step, or before the first)
            perineal_kpa = round(perineal_kpa * KPA_STEPS) / KPA_STEPS
            left_kg, right_kg = round(left_kg * KG_STEPS) / KG_STEPS, round(right_kg * KG_STEPS) / KG_STEPS
            pairs = self._pairs
            if pairs.add(t, perineal_kpa, left_kg, right_kg):
                analysed_t = pairs.t
                self.seat.step(analysed_t, pairs.left_kg, pairs.right_kg)
                analyzer = self.analyzer
                analyzer.step(analysed_t, pairs.kpa)
                self.coach.update(analysed_t)
                for notice in analyzer.notices:
                    for sink in self._notice_sinks:
                        sink(notice)
                for cue in self.coach.outbox:
                    for sink in self._cue_sinks:
                        sink(cue)
            self._recorder.add(t, perineal_kpa, left_kg, right_kg)
        self.ui.update(t)
        if self.coach.done:
            self.on_done()

    def _mark_maximum(self) -> None:
        """The recording says from where on the session knew the user's maximum, exactly as its
        analysis had it (`analyze` takes it from there: each lift's % of it): at the start, and after a
        calibration measured it."""
        kpa = self._marked_max_kpa = self.coach.max_drop_kpa
        self._recorder.mark(f"max_drop_kpa={kpa!r}")

    def _sound(self, cue: Cue) -> None:
        pattern = PATTERNS.get(cue.cue)
        if pattern:
            self.device.play(pattern)
            self._cue_log.log(cue.t, "buzzer", cue.cue, None)

    def _note_cue(self, cue: Cue) -> None:
        self._cue_times.append((cue.t, cue.cue))

    def _store_rep(self, cue: Cue) -> None:
        """The reps scored since the last, at their cue: a repetition of a lift and a cough scores
        both at once, and the last of the coach's taken at each of the two cues kept the cough twice
        and lost the lift (a physiotherapist's trial)."""
        if cue.cue == cues.REP_DONE and self.store is not None:
            reps = self.coach.reps
            self._scored.extend(reps[self._reps_taken:])
            self._reps_taken = len(reps)

    def _keep_maximum(self, cue: Cue) -> None:
        """The maximum, kept as soon as the calibration measured it (the cue after it): a
        session killed later leaves it for the day's next sessions, which need not measure it
        again."""
        if self.store is not None and self.coach.max_measured and not self._maximum_kept:
            self._save_maximum()

    def _save_maximum(self) -> None:
        """Today's maximum, as the calibration measured it, when it is one the device reads
        back (`MAXIMUM_KPA_RANGE`: else the day's next session measures it again)."""
        self._maximum_kept = True
        if stored_values.maximum_kpa(self.coach.max_drop_kpa) is not None:
            self.store.save_maximum(self.today, self.coach.max_drop_kpa, self.profile)

    def _store_step(self) -> bool:
        """In a gap, one of: a rep scored to the store, the cues noted to the cue log, or a
        few rows of the recording (synced every RECORDING_SYNC_S); True while more is waiting."""
        if self._scored:
            self._keep_progress()               # first: a row is never without its figures
            self.store.add_rep(self._session_ref, self._scored.pop(0))
            return True
        self._cue_log.write()
        if self.t >= self._next_sync_t:
            self._next_sync_t = self.t + RECORDING_SYNC_S
            self._recording_file.sync()
        return self._recorder.format_some()

    def _keep_progress(self) -> None:
        """The coach's figures so far, beside the reps stored: a session killed before its
        end is summed up from them at the next start (`device.leftovers`), which also stores
        any rep they hold that has no row yet. Written before the rep's row (the writer
        keeps the order), so that a kill between the two loses neither."""
        summary, reps = self.coach.summary(), tuple(self.coach.reps)   # frozen: the writer turns them into text
        path = self.files.progress
        self.writer.submit(lambda: write_text(path, json.dumps(
            {**coaching_fields(summary), "reps": [rep.as_dict() for rep in reps]}, ensure_ascii=False) + "\n"),
            files=(path,))

    def _hand_over(self) -> None:
        if self._scored:
            self._keep_progress()
        for rep in self._scored:
            self.store.add_rep(self._session_ref, rep)
        self._scored.clear()
        if self._cue_log is not None:
            self._cue_log.write()

    def _journal(self, notice: Notice) -> None:
        if notice.change == COMPLETED:
            self.completed_events.append(notice.event)
        elif notice.change == RETRACTED and notice.event.retracted == LET_GO:   # the coach's, from the step:
            self._recorder.mark(f"let_go={notice.event.detected_at:.{T_DECIMALS}f}")   # `analyze` reads it

    def frame_shown(self, clock_s: float, tags: tuple) -> None:
        """A frame is on the screen, with `tags`: log every cue they carry."""
        self.ui.frame_shown(clock_s - self.device.sampler.t0_s, tags)

    # --- pauses -----------------------------------------------------------------------------------
    def pause(self, reason: str) -> None:
        """Stop coaching (`reason`: "stood_up", "button" or "sensor"; while paused, a new
        reason replaces the old); the screen says why."""
        if self.paused is None:
            self._pairs.clear()             # a sample waiting for its partner is not analysed (as `analyze`)
            self._recorder.mark(f"paused={self.t:.{T_DECIMALS}f} {reason}")
            if reason == "stood_up":       # the analysis hears it now, as a replay reads the mark
                self.analyzer.stood_up(self.t)
            self.device.silence()
            self._pauses.append(reason)
        self.paused = reason
        self.ui.set_paused(reason)

    def resume(self) -> None:
        """Coach again from now: the interrupted repetition starts over after a settle."""
        if self.paused is None:
            return
        self.paused = None
        self.ui.set_paused(None)
        self.analyzer.restart()
        t = self.device.clock.now() - self.device.sampler.t0_s
        self._recorder.mark(f"resumed={t:.{T_DECIMALS}f}")
        self.coach.resume(t)

    # --- the end -------------------------------------------------------------------------------------
    def finish(self, aborted: str | None = None, extra: dict | None = None) -> SessionSummary:
        """Close the recording, write and store the summary; `aborted`: why it ended early;
        `extra`: more summary fields (the simulator's). A completed session's summary
        screen is still on its way: the cue log stays open for it until `close()`."""
        coach, sampler = self.coach, self.device.sampler
        self._hand_over()
        self.device.sampler.on_sample = lambda t, kpa, left, right: None
        self.device.sampler.hold_seat = lambda: False
        self.device.store(lambda: False)
        if aborted is not None:
            self._recorder.mark(f"aborted={' '.join(aborted.split())}")
        else:
            self.ui.update(self.t)                     # the summary screen
        self._recorder.close()
        summary = SessionSummary(self.programme.name, self.metadata.get("persona") or None,
                                 self.metadata.get("seed", 0), self.lang, round(self.t, 2), sampler.ticks,
                                 sampler.dropped, tuple(coach.reps), coach.summary(),
                                 self.device.cushion.adc.counts().since(self._bus_before), aborted, extra or {},
                                 coach.assessment(), tuple(self._cue_times), tuple(self._pauses))
        text = json.dumps(summary.as_dict(), indent=1, ensure_ascii=False) + "\n"
        path = self.files.summary
        self.writer.submit(lambda: write_text(path, text), files=(path,))
        if self.store is not None:
            if coach.max_measured and not self._maximum_kept:
                self._save_maximum()
            self.store.finish_session(self._session_ref, summary,
                                      [e.as_dict() for e in self.completed_events],
                                      self.files.recording, completed=aborted is None, reps=summary.reps)
        if aborted is not None:
            self.close()
        return summary

    def close(self) -> None:
        """Close the cue log (once the summary screen is shown, or it is not coming); the
        store's folder for the session goes once the session is stored."""
        if self._cue_log is not None:
            self.device.screen_pump.on_shown = lambda clock_s, tags: None
            self._cue_log.close()
            self._cue_log = None
            if self.store is not None:
                self.store.retire(self._session_ref)


def run_session(platform: Platform, cfg: Config, programme: Programme, out_dir: Path, *,
                lang: str = "nl", max_drop_kpa: float | None = None, progress=None, store=None,
                stop: StopFlag | None = None, metadata: dict[str, object] | None = None,
                extra_summary: Callable[[float], dict] | None = None, profile: int = 1) -> SessionSummary:
    """Run `programme` to the end on freshly opened devices; returns the summary (also
    written to summary.json, like every file, before this returns). A hardware fault or
    a stop request ends it early with the recording marked `# aborted=` and every
    finished rep stored, and is raised again. `extra_summary(t0_s)` adds fields to the
    summary, given the clock time of the session's second 0; `profile`: whose history `store` keeps
    it in."""
    import sys
    progress = progress or sys.stderr
    writer = store.writer if store is not None else Writer("session-writer")
    device = Device(platform, cfg, stop=stop or StopFlag(), log=lambda m: print(f"  {m}", file=progress))
    ended: list[BaseException] = []

    def end(error: BaseException | None = None) -> None:
        if error is not None:
            ended.append(error)
        device.sampler.stop()
        device.reactor.end()

    session = GuidedSession(device, programme, out_dir, writer=writer, lang=lang,
                            max_drop_kpa=max_drop_kpa, store=store, metadata=metadata, profile=profile)

    shown = [0]                 # the end screen's page on the screen (as the device turns them)

    def until_shown(eventtime: float) -> float:
        """The end screen's pages in turn, each SUMMARY_PAGE_S, until the last is on the screen."""
        if not device.screen.idle:
            return eventtime + 0.01
        if shown[0] == len(session.ui.summary_sheets()) - 1:
            device.reactor.end()
            return NEVER
        device.reactor.update_timer(turn_timer, eventtime + SUMMARY_PAGE_S)
        return NEVER

    def turn(eventtime: float) -> float:
        shown[0] += 1
        session.ui.show_summary(shown[0])
        device.reactor.update_timer(shown_timer, NOW)
        return NEVER

    try:
        device.open_cushion()
        device.sampler.on_fault = end
        device.on_stop = lambda: end(StopRequested(f"stopped by {device.stop.signal_name}"))
        session.on_done = end
        session.start()
        device.sampler.start()
        device.run()
        extra = extra_summary(device.sampler.t0_s) if extra_summary is not None else {}
        if ended:
            session.finish(aborted=str(ended[0]), extra=extra)
            raise ended[0]
        summary = session.finish(extra=extra)
        turn_timer = device.reactor.register_timer(turn, NEVER, "summary page")
        shown_timer = device.reactor.register_timer(until_shown, NOW, "summary")
        device.run()                                   # until the end screen's pages are shown
        session.close()
        return summary
    finally:
        device.close()
        if store is None:
            writer.close()
        else:
            store.drain()
