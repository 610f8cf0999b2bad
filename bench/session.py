"""Whole-stack session speed: a full programme through the emulated chips, the real
drivers, the coach and the screen rendering, as simulated seconds per real second.

    python -m bench.session [--program basis] [--persona strong]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from device.config import Config
from device.hardware import open_platform
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
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        summary = run_session(platform, cfg, programme, Path(tmp), persona=args.persona)
        elapsed = time.perf_counter() - t0
    factor = summary["duration_s"] / elapsed
    print(f"session benchmark: {args.program} ({programme.series} series x {programme.reps}) with "
          f"{args.persona}: {summary['duration_s']:.0f} simulated s in {elapsed:.1f} s: "
          f"{factor:.0f}x real time (target >= 50x); {summary['samples']} samples, "
          f"{summary['dropped']} dropped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
