"""One guided session: sampling, analysis, coaching, screen, buzzer and files, in one loop.

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
from device.hardware import Platform, open_adc_retrying, open_buzzer, open_cushion
from device.sampler import Sampler
from device.stopping import StopFlag, StopRequested
from device.ui import SessionUi
from drivers.display import DisplayError, Oled
from drivers.errors import HardwareError
from hw_sim.playback import RecordingPlayback
from session.analyzer import Analyzer
from session.coach import Coach
from session.programme import Programme
from session.recording import RecordingWriter

OLED_TRANSACTION_BITS = 2 + 9 * 34          # a 32-byte data block with its address and control


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


def run_session(platform: Platform, cfg: Config, programme: Programme, out_dir: Path, *,
                lang: str = "nl", persona: str | None = None, seed: int = 0,
                max_drop_kpa: float | None = None, progress=None, store=None,
                stop: StopFlag | None = None) -> dict:
    """Run `programme` to the end; returns the summary (also written to summary.json).

    With a `Store`, today's stored maximum replaces calibration, every finished rep is
    committed as it happens, and the session and its compressed recording are kept.
    """
    progress = progress or sys.stderr
    today = datetime.date.today().isoformat()
    session_id = None
    if store is not None:
        if max_drop_kpa is None:
            max_drop_kpa = store.profile(today)
        session_id = store.start_session(datetime.datetime.now().isoformat(timespec="seconds"),
                                         programme.name, persona)
    files = SessionFiles(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    clock = platform.clock
    cushion = open_cushion(open_adc_retrying(platform, cfg), cfg)
    sampler = Sampler(cushion, clock, rate_hz=cfg.sampling.rate_hz,
                      supply_every_s=cfg.sampling.supply_every_s)
    try:
        oled = Oled(platform.smbus, address=cfg.oled.address, rotate=cfg.oled.rotate, queued=True)
    except DisplayError as e:
        print(f"  no screen ({e}): coaching by buzzer only", file=progress)
        oled = None
    buzzer = open_buzzer(platform, cfg)
    analyzer = Analyzer()
    person = None
    if persona is not None:
        from hw_sim.persona import PERSONAS, SimulatedPerson
        person = SimulatedPerson(PERSONAS[persona], platform.rig.body, seed=seed)
    transaction_s = OLED_TRANSACTION_BITS / cfg.i2c.bus_hz + cfg.sim.i2c_overhead_us * 1e-6
    frames: list = []
    with open(files.cues, "w", encoding="utf-8") as cues_file, \
            open(files.recording, "w", encoding="utf-8", newline="\n") as rec_file:
        def log(t: float, channel: str, cue: str, shown: str | None) -> None:
            cues_file.write(json.dumps({"t": round(t, 3), "channel": channel, "cue": cue,
                                        "text": shown}, ensure_ascii=False) + "\n")

        holder: dict = {}

        def emit(cue) -> None:
            if cue.cue == "rep_done" and store is not None:
                store.add_rep(session_id, coach.reps[-1].as_dict())
            holder["ui"].on_cue(cue)
            if person is not None:
                person.on_cue(cue.t, cue.cue, cue.params)

        coach = Coach(programme, analyzer, emit, max_drop_kpa=max_drop_kpa)
        ui = holder["ui"] = SessionUi(coach, oled, buzzer, lang, log)
        writer = RecordingWriter(rec_file, {"program": programme.name, "rate_hz": cfg.sampling.rate_hz,
                                            "persona": persona or "", "seed": seed})
        sampler.start()
        if person is not None:
            person.t0_s = sampler.t0_s
        next_flush_s = 1.0
        t = 0.0
        try:
            while not coach.done:
                if stop is not None:
                    stop.check()
                sampler.defer_seat = ui.urgent and oled is not None and oled.pending > 0
                t = sampler.step()
                analyzer.step(t, sampler.perineal_kpa)
                coach.update(t)
                buzzer.update()
                ui.update(t)
                if oled is not None and oled.pending:
                    if oled.pump(clock, sampler.next_due_s - 0.0002, transaction_s):
                        shown_t = clock.now() - sampler.t0_s
                        ui.frame_shown(shown_t, oled.frame_tag)
                        if platform.simulated:
                            frames.append((shown_t, platform.rig.oled.image()))
                writer.write(t, sampler.perineal_kpa, sampler.left_kg, sampler.right_kg)
                if t >= next_flush_s:
                    writer.flush()
                    cues_file.flush()
                    next_flush_s += 1.0
        except (HardwareError, StopRequested) as e:   # keep what was recorded, say why it ended
            rec_file.write(f"# aborted={' '.join(str(e).split())}\n")
            raise
        ui.update(t)                                   # the summary screen
        if oled is not None:
            while oled.pending:
                oled.pump(clock, clock.now() + 1.0, transaction_s)
            ui.frame_shown(clock.now() - sampler.t0_s, oled.frame_tag)
            if platform.simulated:
                frames.append((clock.now() - sampler.t0_s, platform.rig.oled.image()))
    cushion.adc.close()
    buzzer.close()
    summary = {"program": programme.name, "persona": persona, "seed": seed, "language": lang,
               "duration_s": round(t, 2), "samples": sampler.ticks, "dropped": sampler.dropped,
               "reps": [r.as_dict() for r in coach.reps],
               "bear_down_warnings": coach.bear_down_warnings, **coach.summary()}
    if person is not None:
        summary["persona_pushes_s"] = [round(t, 3) for t in person.push_times_s]
    source = platform.rig.inputs.body if platform.simulated else None
    if isinstance(source, RecordingPlayback):
        summary["cushion_ended_early"] = source.ended
        if source.ended:
            print("  the cushion recording ended before the session did: its last values were held",
                  file=progress)
    files.summary.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    if store is not None:
        if coach.calibration_peaks_kpa:
            store.save_profile(today, coach.max_drop_kpa)
        store.finish_session(session_id, summary,
                             [e.as_dict() for e in analyzer.events if e.end is not None], files.recording)
    if frames:
        _write_gif(frames, files.gif)
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
