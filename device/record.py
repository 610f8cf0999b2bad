"""`pftrainer record`: sample the cushion for a while and write a v1 recording.

On the simulator the body follows the demo script and the truth events are written
as `# eventN=kind,start_s,end_s` metadata, so a recording doubles as labelled data.
Rows are written as they come, flushed to the OS once a second and synced to the
SD card every 10 s: a crash loses at most a second, a power cut at most ten. If the
hardware fails for good mid-way, or SIGTERM / Ctrl-C stops it, what was recorded
stays, closed by an `# aborted=<reason>` line, and the error is raised.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from device.config import Config
from device.hardware import Platform, open_adc_retrying, open_cushion
from device.sampler import Sampler
from device.stopping import StopFlag, StopRequested
from drivers.errors import HardwareError
from session.recording import RecordingWriter


@dataclass(frozen=True)
class RecordResult:
    path: Path
    samples: int
    dropped: int
    duration_s: float


def record(platform: Platform, cfg: Config, seconds: float, out: Path,
           progress=None, stop: StopFlag | None = None) -> RecordResult:
    """Record `seconds` of cushion signal from `platform` into `out` (progress on stderr)."""
    progress = progress or sys.stderr
    cushion = open_cushion(open_adc_retrying(platform, cfg), cfg)
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
        next_flush_s = 1.0
        next_sync_s = 10.0
        t_s = 0.0
        try:
            sampler.start()
            while t_s < seconds:
                if stop is not None:
                    stop.check()
                t_s = sampler.step()
                writer.write(t_s, sampler.perineal_kpa, sampler.left_kg, sampler.right_kg)
                if t_s >= next_flush_s:
                    writer.flush()
                    next_flush_s += 1.0
                    if t_s >= next_sync_s:
                        os.fsync(stream.fileno())
                        next_sync_s += 10.0
                        print(f"  recording: {t_s:5.0f} / {seconds:.0f} s", file=progress, flush=True)
        except (HardwareError, StopRequested) as e:
            stream.write(f"# aborted={' '.join(str(e).split())}\n")
            raise
        finally:
            cushion.adc.close()
    return RecordResult(out, sampler.ticks, sampler.dropped, t_s)
