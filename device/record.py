"""`pftrainer record`: sample the cushion for a while and write a v1 recording.

The sampler runs on a reactor of its own (no screen, no buzzer), and the recording is
written as in a session: rows formatted a few at a time in the gaps, the file written
by the writer thread, flushed to the OS each time and synced to the SD card every
10 s -- a crash loses at most a fraction of a second, a power cut at most ten. If the
hardware fails for good mid-way, or SIGTERM / Ctrl-C stops it, what was recorded
stays, closed by an `# aborted=<reason>` line, and the error is raised. Values are
recorded as the sensors give them: no sensor guard.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from device.config import Config
from device.core import STORAGE_S
from device.garbage import collecting_in_gaps
from device.hardware import Platform, open_adc_retrying, open_cushion
from device.reactor import NOW, Reactor
from device.sampler import Sampler
from device.appending import TextFile
from device.session_run import Recorder
from device.stopping import StopFlag, StopRequested
from device.writer import Writer
from session.pairs import analysed_every

PROGRESS_S = 10.0            # progress line and fsync this often
STOP_CHECK_S = 0.05


@dataclass(frozen=True)
class RecordResult:
    path: Path
    samples: int
    dropped: int
    duration_s: float


def record(platform: Platform, cfg: Config, seconds: float, out: Path, progress=None,
           stop: StopFlag | None = None, metadata: dict[str, object] | None = None) -> RecordResult:
    """Record `seconds` of cushion signal from `platform` into `out` (progress on stderr);
    `metadata` adds `# key=value` lines (the simulator's truth events, say)."""
    progress = progress or sys.stderr
    stop = stop or StopFlag()
    cushion = open_cushion(open_adc_retrying(platform, cfg), cfg)
    reactor = Reactor(platform.clock, cpu_meter=platform.cpu_meter, cpu_factor=platform.cpu_factor)
    sampler = Sampler(reactor, None, rate_hz=cfg.sampling.rate_hz, supply_every_s=cfg.sampling.supply_every_s)
    sampler.use(cushion)
    writer = Writer("record-writer")
    file = TextFile(writer, out)
    recorder = Recorder(file, {"rate_hz": cfg.sampling.rate_hz,     # analysed later as a session would be
                               "analysed_every": analysed_every(cfg.sampling.rate_hz),
                               "source": "sim" if platform.simulated else "device", **(metadata or {})})
    ended: list[BaseException] = []
    next_progress_s = [PROGRESS_S]
    rows = [0]

    def end(error: BaseException | None = None) -> None:
        if error is not None:
            ended.append(error)
        sampler.stop()
        reactor.end()

    def on_sample(t_s: float, perineal_kpa: float, left_kg: float, right_kg: float) -> None:
        if t_s >= seconds:
            end()
            return
        recorder.add(t_s, perineal_kpa, left_kg, right_kg)
        rows[0] += 1
        if t_s >= next_progress_s[0]:
            next_progress_s[0] += PROGRESS_S
            recorder.flush()
            file.sync()
            print(f"  recording: {t_s:5.0f} / {seconds:.0f} s", file=progress, flush=True)

    def watch(eventtime: float) -> float:
        if stop.requested:
            end(StopRequested(f"stopped by {stop.signal_name}"))
        return eventtime + STOP_CHECK_S

    sampler.on_sample = on_sample
    sampler.on_fault = end
    reactor.register_timer(watch, NOW, "housekeeping")
    reactor.register_timer(lambda t: NOW if recorder.format_some() else t + STORAGE_S, NOW, "storage",
                           background=True)
    try:
        sampler.start()
        with collecting_in_gaps(reactor):
            reactor.run()
        if ended:
            error = ended[0]
            recorder.mark(f"aborted={' '.join(str(error).split())}")
            raise error
    finally:
        recorder.close()
        writer.close()
        cushion.adc.close()
    return RecordResult(out, rows[0], sampler.dropped, sampler.t_s)
