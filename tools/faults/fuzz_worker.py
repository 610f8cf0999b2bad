"""The fuzzing process: mutated inputs through the loaders, in this process, limited.

    python -m tools.faults.fuzz_worker --work DIR --config FILE --recording FILE [--state DIR]
        [--seconds S] [--seed N] [--memory-mib M] [--case-timeout-s T]

Each case writes its input under DIR/case/ (or, now and then, names a device file
such as /dev/zero or a folder) and calls `pftrainer`'s own `main()` on it:
`config` (the config loader), `programs` with the case in `[session] programs_dir`
(the programme loader), `analyze` (the recording reader and the analysis), `history`,
`report` or `export` on a copy of a kept state directory with damaged cells (the
readers of the history). An outcome
must be success (exit 0) or one `pftrainer: ...` line on stderr and a non-zero exit.
Anything else -- an exception out of `main()` (a traceback), more or other lines, a
case running over its timeout (a hang), MemoryError under the address-space limit --
is a finding; the first input of each kind is kept under DIR/findings/. Prints one
JSON object: per loader the cases run and the findings, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import shutil
import signal
import sqlite3
import sys
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from device.cli import main as pftrainer_main
from device.storage import LEVEL_SETTING
from session.progression import Standing
from session.programme import BUILTIN_DIR
from tools.faults.mutate import maybe_gzip, mutate_bytes, mutate_database, mutate_toml, random_recording

SPECIAL_PATHS = ("/dev/zero", "/dev/null", "/", "/nonexistent/pftrainer.toml")   # not files, or endless
SPECIAL_SHARE = 0.02
SEED_LEVELS = ("basis", "kracht")
CONFIG_SEEDS = ("", "[adc]\ndata_rate_sps = 860\nready_pin = -1\n", "[sampling]\nrate_hz = 250.0\n",
                "[sim.faults]\ni2c_error_rate = 0.05\n", "[calibration.perineal]\noffset_v = 0.33\n")


class CaseTimeout(BaseException):
    """A case ran over its time (BaseException: nothing in `main()` may catch it)."""


def _on_alarm(signum, frame) -> None:
    raise CaseTimeout()


class Cases:
    """Makes one loader's cases in `case_dir`; `make(rng)` writes one and returns its argv."""

    def __init__(self, name: str, case_dir: Path, config: Path) -> None:
        self.name = name
        self.case_dir = case_dir
        self.config = config


class ConfigCases(Cases):
    def __init__(self, case_dir: Path, config: Path) -> None:
        super().__init__("config", case_dir, config)
        self.seeds = (Path(__file__).resolve().parents[2] / "device" / "pftrainer.toml").read_text(), *CONFIG_SEEDS

    def make(self, rng: random.Random) -> list[str]:
        if rng.random() < SPECIAL_SHARE:
            return ["--config", rng.choice(SPECIAL_PATHS), "config"]
        seed = rng.choice(self.seeds)
        text = (mutate_toml(rng, seed, rounds=rng.choice((1, 2, 3))).encode() if rng.random() < 0.5
                else mutate_bytes(rng, seed.encode()))
        path = self.case_dir / "config.toml"
        path.write_bytes(text)
        return ["--config", str(path), "config"]


class ProgrammeCases(Cases):
    def __init__(self, case_dir: Path, config: Path) -> None:
        super().__init__("programme", case_dir, config)
        self.seeds = {p.stem: p.read_text() for p in sorted(BUILTIN_DIR.glob("*.toml"))}
        self.folder = case_dir / "programmes"
        self.case_config = case_dir / "programmes.toml"
        self.case_config.write_text(f"[session]\nprograms_dir = {json.dumps(str(self.folder))}\n")

    def make(self, rng: random.Random) -> list[str]:
        name = rng.choice(sorted(self.seeds))
        seed = self.seeds[name]
        text = (mutate_toml(rng, seed, rounds=rng.choice((1, 2, 3))).encode() if rng.random() < 0.6
                else mutate_bytes(rng, seed.encode()))
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir()
        (self.folder / f"{name}.toml").write_bytes(text)
        return ["--config", str(self.case_config), "programs"]


class RecordingCases(Cases):
    def __init__(self, case_dir: Path, config: Path, recording: Path) -> None:
        super().__init__("analyze", case_dir, config)
        self.seed = recording.read_bytes()

    def make(self, rng: random.Random) -> list[str]:
        if rng.random() < SPECIAL_SHARE:
            return ["--config", str(self.config), "analyze", rng.choice(SPECIAL_PATHS)]
        path = self.case_dir / "recording.csv"
        made = random_recording(rng) if rng.random() < 0.3 else mutate_bytes(rng, self.seed, rounds=rng.choice((1, 2, 4)))
        path.write_bytes(maybe_gzip(rng, made))
        options = rng.choice(([], ["--json"], ["--max-kpa", "1.5"]))
        return ["--config", str(self.config), "analyze", str(path), *options]


class HistoryCases(Cases):
    """A copy of a state directory kept by the simulator, a few of its database's cells
    damaged (`mutate_database`), read by `history`, `report` or `export`. The seed holds one
    session: `export` tells each session it cannot export in a line of its own, so with
    more, two lines could be right."""

    def __init__(self, case_dir: Path, config: Path, state: Path) -> None:
        super().__init__("history", case_dir, config)
        self.seed = state

    def make(self, rng: random.Random) -> list[str]:
        state, out = self.case_dir / "state", self.case_dir / "out"
        for own in (state, out):                    # the folder is shared with the other loaders' cases
            shutil.rmtree(own, ignore_errors=True)
        shutil.copytree(self.seed, state)
        out.mkdir()                                 # the outputs' folder must be there (only what is named is made)
        with sqlite3.connect(state / "pftrainer.db") as db:
            for programme in SEED_LEVELS:           # levels too (a `sim` keeps none)
                db.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                           (f"p1.{LEVEL_SETTING}{programme}", Standing(2, 1, 0).to_text()))
            mutate_database(rng, db, rounds=rng.choice((1, 2, 4)))
        db.close()
        command = rng.choice((["history"], ["report", "--out", str(out / "report.html"), "--csv", str(out / "s.csv")],
                              ["export", "--edf", str(out / "edf")]))
        return ["--config", str(self.config), *command, "--state-dir", str(state)]


def run_case(argv: list[str], timeout_s: float) -> tuple[str, str]:
    """(kind, detail): kind "ok", "clear" (one line and a non-zero exit) or a finding's kind."""
    out, err = io.StringIO(), io.StringIO()
    signal.setitimer(signal.ITIMER_REAL, timeout_s)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = pftrainer_main(argv)
    except CaseTimeout:
        return "hang", f"over {timeout_s:.0f} s"
    except MemoryError:
        return "memory", "MemoryError"
    except SystemExit as e:
        code = e.code
    except BaseException as e:
        frame = traceback.extract_tb(e.__traceback__)[-1]
        return "traceback", f"{type(e).__name__}: {e} ({Path(frame.filename).name}:{frame.lineno})"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    said = [line for line in err.getvalue().splitlines() if line.strip()]
    if "Traceback (most recent call last)" in err.getvalue():
        return "traceback", said[-1] if said else "printed"
    if code == 0:
        return "ok", ""
    if len(said) == 1 and said[0].startswith("pftrainer:"):
        return "clear", said[0]
    return "unclear", f"exit {code}: {' | '.join(said)[:300] or '(nothing on stderr)'}"


def fuzz(cases: list[Cases], seconds: float, rng: random.Random, timeout_s: float, findings_dir: Path) -> dict:
    tally = {c.name: {"cases": 0, "ok": 0, "clear": 0, "findings": {}} for c in cases}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for loader in cases:
            argv = loader.make(rng)
            kind, detail = run_case(argv, timeout_s)
            counts = tally[loader.name]
            counts["cases"] += 1
            if kind in ("ok", "clear"):
                counts[kind] += 1
                continue
            seen = counts["findings"].setdefault(f"{kind}: {detail}", {"n": 0})
            seen["n"] += 1
            if seen["n"] == 1:                       # the first case of each kind of finding is kept
                kept = findings_dir / f"{loader.name}-{counts['cases']:05d}"
                shutil.copytree(loader.case_dir, kept)
                seen.update(argv=argv, kept=str(kept))
    return tally


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="fuzz_worker")
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--config", type=Path, required=True)
    p.add_argument("--recording", type=Path, required=True)
    p.add_argument("--state", type=Path, help="a state directory the simulator kept (else no history cases)")
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--memory-mib", type=int, default=512)
    p.add_argument("--case-timeout-s", type=float, default=10.0)
    args = p.parse_args(argv)
    limit = args.memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _on_alarm)
    case_dir = args.work / "case"
    case_dir.mkdir(parents=True, exist_ok=True)
    cases = [ConfigCases(case_dir, args.config), ProgrammeCases(case_dir, args.config),
             RecordingCases(case_dir, args.config, args.recording)]
    if args.state is not None:
        cases.append(HistoryCases(case_dir, args.config, args.state))
    tally = fuzz(cases, args.seconds, random.Random(args.seed), args.case_timeout_s, args.work / "findings")
    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"loaders": tally, "peak_rss_mib": round(peak_rss_mib, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
