"""Whole-stack session speed: a full programme through the emulated chips, the real
drivers, the coach and the screen rendering, as simulated seconds per real second.

    python -m bench.session [--program basis] [--persona strong]
"""

from __future__ import annotations

import argparse
import sys
from array import array
import tempfile
import time
from pathlib import Path

from device.config import Config
from device.hardware import open_platform
from device.sampler import Sampler
from device.session_run import run_session
from hw_sim.persona import PERSONAS
from session.programme import BUILTIN_DIR, load_programmes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--program", default="basis")
    parser.add_argument("--persona", default="strong")
    args = parser.parse_args(argv)
    programme = load_programmes(BUILTIN_DIR)[args.program]
    cfg = Config()
    platform = open_platform(cfg, simulated=True, body=PERSONAS[args.persona].body)
    tick_times_s = array("d")
    step = Sampler.step

    def timed_step(sampler: Sampler) -> float:          # every tick's time, at full precision
        t = step(sampler)
        tick_times_s.append(t)
        return t
    Sampler.step = timed_step
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        summary = run_session(platform, cfg, programme, Path(tmp), persona=args.persona)
        elapsed = time.perf_counter() - t0
    Sampler.step = step
    jitter_us = sample_jitter_us(tick_times_s, 1.0 / cfg.sampling.rate_hz)
    fps = platform.rig.oled.frames / summary["duration_s"]
    factor = summary["duration_s"] / elapsed
    print(f"session benchmark: {args.program} ({programme.series} series x {programme.reps}) with "
          f"{args.persona}: {summary['duration_s']:.0f} simulated s in {elapsed:.1f} s: "
          f"{factor:.0f}x real time (target >= 50x); {summary['samples']} samples, "
          f"{summary['dropped']} dropped")
    print(f"  sample timing on the shared I2C bus with the OLED at up to 5 frames/s "
          f"({platform.rig.oled.frames} frames, {fps:.2f}/s on average): jitter "
          f"p50 {jitter_us[0]:.0f} us, p99 {jitter_us[1]:.0f} us, max {jitter_us[2]:.0f} us "
          f"(sample period {1e6 / cfg.sampling.rate_hz:.0f} us)")
    return 0


def sample_jitter_us(times, period_s: float) -> tuple[float, float, float]:
    """|interval - period| between consecutive sample ticks: p50, p99 and max, in microseconds."""
    dev = sorted(abs((b - a) - period_s) * 1e6 for a, b in zip(times, times[1:]))
    return dev[len(dev) // 2], dev[int(len(dev) * 0.99)], dev[-1]


if __name__ == "__main__":
    sys.exit(main())
