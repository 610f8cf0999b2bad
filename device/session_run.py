"""One guided session: sampling, analysis, coaching, screen, buzzer and files, tick by tick.

The loop is clock-driven (Klipper style): each tick reads the cushion, steps the
analyzer and the coach, advances the buzzer pattern, maybe renders a frame, and then
sends OLED transactions only while they fit before the next tick is due -- so cueing
never delays sampling although both share the I2C bus.

Files written to `out_dir`:
- `recording.csv`: the session's v1 recording;
- `cues.jsonl`: every cue, one JSON object a line (`t`, `channel`, `cue`, `text`);
- `summary.json`: programme, duration, every rep's scores, warnings, PERFECT;
- `oled.gif` (simulator): what the screen showed, frame by frame.
"""

from __future__ import annotations

import datetime
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from device.config import Config
from device.hardware import Platform, open_adc_retrying, open_buzzer, open_cushion, open_screen
from device.sampler import Sampler
from device.screen import Screen
from device.sensor_guard import SensorGuard
from device.stopping import StopFlag, StopRequested
from device.ui import SessionUi
from drivers.errors import HardwareError
from hw_sim.playback import RecordingPlayback
from session.analyzer import Analyzer
from session.coach import Coach
from session.programme import Programme
from session.recording import RecordingWriter
from session.seat import SeatTracker

@dataclass(frozen=True)
class SessionFiles:
    out_dir: Path

    @property
    def recording(self) -> Path:
        return self.out_dir / "recording.csv"

    @property
    def cues(self) -> Path:
        return self.out_dir / "cues.jsonl"

    @property
    def summary(self) -> Path:
        return self.out_dir / "summary.json"

    @property
    def gif(self) -> Path:
        return self.out_dir / "oled.gif"


class DeviceParts:
    """The devices a session drives, opened once: the appliance keeps them from session
    to session (and hands in the screen it opened at boot). Without a screen the buzzer
    carries the cues."""

    def __init__(self, platform: Platform, cfg: Config, progress=None, screen: Screen | None = None) -> None:
        progress = progress or sys.stderr
        self.cushion = open_cushion(open_adc_retrying(platform, cfg), cfg)
        try:
            self.buzzer = open_buzzer(platform, cfg)
        except HardwareError:
            self.cushion.adc.close()
            raise
        self.screen = screen or open_screen(platform, cfg, lambda message: print(f"  {message}", file=progress))

    def close(self) -> None:
        self.cushion.adc.close()
        self.buzzer.close()


class SessionRunner:
    """One guided session, one sample tick per `tick()`.

    `run_session` drives it straight to the end; the appliance interleaves it with its
    buttons, the seat and the watchdog, and may `pause()` and `resume()` it. While
    paused, sampling goes on (the seat and the sensors stay watched) but nothing is
    analysed, coached or recorded; on resume the interrupted repetition starts again.
    With a `Store`, today's stored maximum replaces calibration, every finished rep is
    committed as it happens, and the session and its compressed recording are kept.
    """

    def __init__(self, platform: Platform, cfg: Config, parts: DeviceParts, programme: Programme,
                 out_dir: Path, *, lang: str = "nl", person=None, persona: str | None = None,
                 seed: int = 0, max_drop_kpa: float | None = None, store=None) -> None:
        self.platform = platform
        self.parts = parts
        self.programme = programme
        self.files = SessionFiles(out_dir)
        self.lang = lang
        self.person = person
        self.persona = persona
        self.seed = seed
        self.store = store
        self.today = datetime.date.today().isoformat()
        if store is not None and max_drop_kpa is None:
            max_drop_kpa = store.profile(self.today)
        self.max_drop_kpa = max_drop_kpa
        self.session_ref = None
        self.sampler = Sampler(parts.cushion, platform.clock, rate_hz=cfg.sampling.rate_hz,
                               supply_every_s=cfg.sampling.supply_every_s)
        self.guard = SensorGuard(cfg)
        self.seat = SeatTracker()
        self.analyzer = Analyzer(seat=self.seat)
        self.coach = Coach(programme, self.analyzer, max_drop_kpa=max_drop_kpa)
        self.rate_hz = cfg.sampling.rate_hz
        self.paused: str | None = None
        self.t = 0.0
        self.frames: list = []
        self.ui: SessionUi | None = None
        self._writer: RecordingWriter | None = None
        self._rec_file = self._cues_file = None
        self._next_flush_s = 1.0

    @property
    def done(self) -> bool:
        return self.coach.done

    def start(self) -> None:
        """Open the session's files, store the session, and take the first readings."""
        files = self.files
        files.out_dir.mkdir(parents=True, exist_ok=True)
        if self.store is not None:
            self.session_ref = self.store.start_session(
                datetime.datetime.now().isoformat(timespec="seconds"), self.programme.name, self.persona)
        self._cues_file = open(files.cues, "w", encoding="utf-8")
        self._rec_file = open(files.recording, "w", encoding="utf-8", newline="\n")
        self.ui = SessionUi(self.coach, self.parts.screen, self.parts.buzzer, self.lang, self._log)
        self._writer = RecordingWriter(self._rec_file, {
            "program": self.programme.name, "rate_hz": self.rate_hz, "persona": self.persona or "",
            "seed": self.seed})
        self.sampler.start()
        if self.person is not None:
            self.person.t0_s = self.sampler.t0_s

    def _log(self, t: float, channel: str, cue: str, shown: str | None) -> None:
        self._cues_file.write(json.dumps({"t": round(t, 3), "channel": channel, "cue": cue,
                                          "text": shown}, ensure_ascii=False) + "\n")

    def _emit(self, cue) -> None:
        if cue.cue == "rep_done" and self.store is not None:
            self.store.add_rep(self.session_ref, self.coach.reps[-1].as_dict())
        self.ui.on_cue(cue)
        if self.person is not None:
            self.person.on_cue(cue.t, cue.cue, cue.params)

    def tick(self) -> float:
        """Sample once (waiting for the tick), analyse, coach, cue, and use the bus time
        left before the next tick for the screen. Returns the session time in seconds.
        Raises HardwareError (SensorFault for an implausible sensor) with the files intact."""
        sampler, ui = self.sampler, self.ui
        sampler.defer_seat = ui.urgent and self.parts.screen.pending > 0
        t = self.t = sampler.step()
        self.guard.check(sampler.perineal_kpa, sampler.left_kg, sampler.right_kg)
        if self.paused is None:
            self.seat.step(t, sampler.left_kg, sampler.right_kg)
            self.analyzer.step(t, sampler.perineal_kpa)
            self.coach.update(t)
            for cue in self.coach.outbox:
                self._emit(cue)
            self._writer.write(t, sampler.perineal_kpa, sampler.left_kg, sampler.right_kg)
        self.parts.buzzer.update()
        ui.update(t)
        self._pump(sampler.next_due_s - 0.0002)
        if t >= self._next_flush_s:
            self._writer.flush()
            self._cues_file.flush()
            self._next_flush_s += 1.0
        return t

    def _pump(self, until_s: float) -> None:
        screen = self.parts.screen
        if screen.pump(self.platform.clock, until_s):
            shown_t = self.platform.clock.now() - self.sampler.t0_s
            self.ui.frame_shown(shown_t, screen.shown_tag)
            if self.platform.simulated:
                self.frames.append((shown_t, self.platform.rig.oled.image()))

    def pause(self, reason: str) -> None:
        """Stop coaching (`reason`: "stood_up", "button" or "sensor"); the screen says why."""
        if self.paused is None:
            self._rec_file.write(f"# paused={self.t:.4f} {reason}\n")
            self.parts.buzzer.stop()
            if self.person is not None:           # the simulated user sees the pause screen
                self.person.on_cue(self.t, "paused", {})
        self.paused = reason
        self.ui.set_paused(reason)

    def resume(self) -> None:
        """Coach again from now: the interrupted repetition starts over after a settle."""
        if self.paused is None:
            return
        self.sampler.resync()
        self.paused = None
        self.ui.set_paused(None)
        self.analyzer.restart()
        t = self.platform.clock.now() - self.sampler.t0_s
        self._rec_file.write(f"# resumed={t:.4f}\n")
        self.coach.resume(t)

    def finish(self, aborted: str | None = None, progress=None) -> dict:
        """Close the files, write and store the summary; `aborted`: why it ended early."""
        progress = progress or sys.stderr
        coach, sampler, screen = self.coach, self.sampler, self.parts.screen
        if aborted is not None:
            self._rec_file.write(f"# aborted={' '.join(aborted.split())}\n")
            if self.person is not None:
                self.person.on_cue(self.t, "session_ended", {})
        else:
            self.ui.update(self.t)                     # the summary screen
            while screen.waiting or screen.pending:
                self._pump(self.platform.clock.now() + 1.0)
        self._rec_file.close()
        self._cues_file.close()
        summary = {"program": self.programme.name, "persona": self.persona, "seed": self.seed,
                   "language": self.lang, "duration_s": round(self.t, 2), "samples": sampler.ticks,
                   "dropped": sampler.dropped, "reps": [r.as_dict() for r in coach.reps],
                   "bear_down_warnings": coach.bear_down_warnings, **coach.summary()}
        if aborted is not None:
            summary["aborted"] = aborted
        if self.person is not None:
            summary["persona_pushes_s"] = [round(t, 3) for t in self.person.push_times_s]
        source = self.platform.rig.inputs.body if self.platform.simulated else None
        if isinstance(source, RecordingPlayback):
            summary["cushion_ended_early"] = source.ended
            if source.ended:
                print("  the cushion recording ended before the session did: its last values were held",
                      file=progress)
        self.files.summary.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
        if self.store is not None:
            if coach.calibration_peaks_kpa and coach.max_drop_kpa:
                self.store.save_profile(self.today, coach.max_drop_kpa)
            self.store.finish_session(self.session_ref, summary,
                                      [e.as_dict() for e in self.analyzer.events if e.end is not None],
                                      self.files.recording, completed=aborted is None)
        if self.frames:
            _write_gif(self.frames, self.files.gif)
        return summary


def run_session(platform: Platform, cfg: Config, programme: Programme, out_dir: Path, *,
                lang: str = "nl", persona: str | None = None, seed: int = 0,
                max_drop_kpa: float | None = None, progress=None, store=None,
                stop: StopFlag | None = None) -> dict:
    """Run `programme` to the end on freshly opened devices; returns the summary (also
    written to summary.json). A hardware fault or a stop request ends it early with the
    recording marked `# aborted=` and every finished rep stored, and is raised again."""
    parts = DeviceParts(platform, cfg, progress)
    person = None
    if persona is not None:
        from hw_sim.persona import PERSONAS, SimulatedPerson
        person = SimulatedPerson(PERSONAS[persona], platform.rig.body, seed=seed)
    runner = SessionRunner(platform, cfg, parts, programme, out_dir, lang=lang, person=person,
                           persona=persona, seed=seed, max_drop_kpa=max_drop_kpa, store=store)
    runner.start()
    try:
        while not runner.done:
            if stop is not None:
                stop.check()
            runner.tick()
    except (HardwareError, StopRequested) as e:   # keep what was recorded, say why it ended
        runner.finish(aborted=str(e), progress=progress)
        raise
    finally:
        parts.close()
        if store is not None:
            store.drain()
    summary = runner.finish(progress=progress)
    if store is not None:
        store.drain()
    return summary


def _write_gif(frames: list, path: Path, max_frame_s: float = 2.0) -> None:
    """The screen as an animated GIF, each frame shown as long as it was on the OLED."""
    images, durations_ms = [], []
    for (t, image), (t_next, _) in zip(frames, frames[1:] + [(frames[-1][0] + 1.0, None)]):
        if images and image.tobytes() == images[-1].tobytes():
            durations_ms[-1] += int((t_next - t) * 1000)
            continue
        images.append(image)
        durations_ms.append(max(20, int(min(max_frame_s, t_next - t) * 1000)))
    scaled = [im.convert("L").resize((256, 128)) for im in images]
    scaled[0].save(path, save_all=True, append_images=scaled[1:], duration=durations_ms, loop=0,
                   optimize=False)
