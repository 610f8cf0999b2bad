"""The fuzz run: a seed recording and a seed state directory (an assessment, which fills
most of the history's tables) made by the simulator, then `fuzz_worker` in a process
of its own (address space limited, killed if it overruns: a hang), tallied per loader."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tools.faults.runs import run_once
from tools.faults.table import Part

LOADERS = {"config": "fuzz: config", "programme": "fuzz: programme", "analyze": "fuzz: analyze",
           "history": "fuzz: history"}
SEED_RECORDING_S = 10.0
OVERRUN_S = 120.0             # the worker's own deadline plus this: else it hangs


def fuzz_parts() -> dict[str, Part]:
    return {loader: Part(name) for loader, name in LOADERS.items()}


def fuzz(work: Path, config: Path, parts: dict[str, Part], *, seconds: float, seed: int, memory_mib: int) -> None:
    """Fuzz the loaders for `seconds`, tallying into `parts` (one per loader)."""
    recording = work / "seed-recording.csv"
    made = run_once(["--config", str(config), "record", "--sim", "--seconds", str(SEED_RECORDING_S),
                     "--seed", str(seed), "--out", str(recording)], work / "logs" / "seed-recording", 120)
    if made.exit_code != 0:
        for part in parts.values():
            part.skipped = f"no seed recording ({made.outcome()})"
        return
    state = work / "seed-state"
    kept = run_once(["--config", str(config), "sim", "--program", "meting", "--seed", str(seed), "--out",
                     str(work / "seed-sim"), "--state-dir", str(state)], work / "logs" / "seed-state", 300)
    if kept.exit_code != 0:
        parts["history"].skipped = f"no seed state directory ({kept.outcome()})"
    command = [sys.executable, "-m", "tools.faults.fuzz_worker", "--work", str(work), "--config", str(config),
               "--recording", str(recording), *(["--state", str(state)] if kept.exit_code == 0 else []),
               "--seconds", str(seconds), "--seed", str(seed), "--memory-mib", str(memory_mib)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + OVERRUN_S,
                              cwd=Path(__file__).resolve().parents[2])
    except subprocess.TimeoutExpired:
        case = sorted((work / "case").glob("*"))
        for part in parts.values():
            part.hangs += 1
            part.find(f"the fuzzing process hung (in C, past its alarms); its last case: {[str(c) for c in case]}")
        return
    try:
        tally = json.loads(done.stdout.splitlines()[-1])
    except (IndexError, ValueError):
        last = (done.stderr.strip().splitlines() or ["(nothing)"])[-1]
        for part in parts.values():
            part.tracebacks += "Traceback" in done.stderr
            part.find(f"the fuzzing process failed (exit {done.returncode}): {last}")
        return
    for loader, counts in tally["loaders"].items():
        _tally(parts[loader], counts, tally["peak_rss_mib"], memory_mib)


def _tally(part: Part, counts: dict, peak_rss_mib: float, memory_mib: int) -> None:
    part.fuzz_cases = counts["cases"]
    for finding, seen in counts["findings"].items():
        kind = finding.split(":", 1)[0]
        part.tracebacks += seen["n"] if kind == "traceback" else 0
        part.hangs += seen["n"] if kind == "hang" else 0
        part.find(f"{seen['n']} x {finding} -- e.g. pftrainer {' '.join(seen['argv'])} (input kept in {seen['kept']})")
    part.find(f"{counts['ok']} loaded, {counts['clear']} refused in one line; peak RSS {peak_rss_mib:.0f} MiB "
              f"(address space limited to {memory_mib} MiB)", failing=False)
