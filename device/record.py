"""`pftrainer record`: sample the cushion for a while and write a v1 recording.

On the simulator the body follows the demo script and the truth events are written
as `# event=kind,start_s,end_s` metadata, so a recording doubles as labelled data.
Rows are written as they come and flushed once a second: a crash or power cut loses
at most the last second.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from device.config import Config
from device.hardware import Platform, open_adc, open_cushion
from device.sampler import Sampler
from session.recording import RecordingWriter


@dataclass(frozen=True)
class RecordResult:
    path: Path
    samples: int
    dropped: int
    duration_s: float


def record(platform: Platform, cfg: Config, seconds: float, out: Path,
           progress=sys.stderr) -> RecordResult:
    """Record `seconds` of cushion signal from `platform` into `out`."""
    cushion = open_cushion(open_adc(platform, cfg), cfg)
    sampler = Sampler(cushion, platform.clock, rate_hz=cfg.sampling.rate_hz,
                      supply_every_s=cfg.sampling.supply_every_s)
    metadata: dict[str, object] = {"rate_hz": cfg.sampling.rate_hz,
                                   "source": "sim" if platform.simulated else "device"}
    if platform.simulated:
        from hw_sim.scenarios import demo
        rig = platform.rig
        demo(rig.body, seconds)
        metadata["seed"] = cfg.sim.seed
        for i, event in enumerate(rig.body.truth):
            metadata[f"event{i}"] = f"{event.kind},{event.start_s:.3f},{event.end_s:.3f}"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n") as stream:
        writer = RecordingWriter(stream, metadata)
        sampler.start()
        next_flush_s = 1.0
        next_progress_s = 10.0
        t_s = 0.0
        while t_s < seconds:
            t_s = sampler.step()
            writer.write(t_s, sampler.perineal_kpa, sampler.left_kg, sampler.right_kg)
            if t_s >= next_flush_s:
                writer.flush()
                next_flush_s += 1.0
                if t_s >= next_progress_s:
                    print(f"  recording: {t_s:5.0f} / {seconds:.0f} s", file=progress, flush=True)
                    next_progress_s += 10.0
    return RecordResult(out, sampler.ticks, sampler.dropped, t_s)
