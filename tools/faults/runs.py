"""One `pftrainer` subprocess, as the service would run it: started, stopped by a signal
or left to finish, and what it said (stdout and stderr, kept in files next to it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

TRACEBACK = "Traceback (most recent call last)"
STOP_TIMEOUT_S = 20.0        # a SIGTERM'd run must be gone by then, or it hangs


def pftrainer_command() -> list[str]:
    """The installed `pftrainer` script next to this Python, else the entry point itself."""
    script = Path(sys.executable).with_name("pftrainer")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from device.entry import main; sys.exit(main())"]


@dataclass(frozen=True)
class RunResult:
    """How a run ended: `exit_code` as subprocess gives it (-9: killed by SIGKILL), or
    None when it hung and had to be killed; `log` is its stderr, `out` its stdout."""

    exit_code: int | None
    out: str
    log: str
    started_ns: int

    @property
    def hung(self) -> bool:
        return self.exit_code is None

    @property
    def tracebacks(self) -> int:
        return self.out.count(TRACEBACK) + self.log.count(TRACEBACK)

    def outcome(self) -> str:
        """How it ended, in a few words: `exit N: <its last error line>`, or `hung`."""
        if self.hung:
            return "hung"
        said = self.error_lines()
        return f"exit {self.exit_code}" + (f": {said[-1]}" if said else "")

    @property
    def unclear(self) -> bool:
        """It failed without saying why in one `pftrainer: ...` line (or said more)."""
        said = self.error_lines()
        if self.exit_code == 0:
            return bool(said) and any(not line.startswith("pftrainer:") for line in said)
        return len(said) != 1 or not said[0].startswith("pftrainer:")

    def error_lines(self) -> list[str]:
        """Its stderr without the device's progress lines (indented) and the start banner."""
        return [line for line in self.log.splitlines()
                if line.strip() and not line.startswith(" ") and not line.startswith("pftrainer running")]


class Pftrainer:
    """`pftrainer ARGS...` running in the background; output goes to `log_dir`."""

    def __init__(self, args: list[str], log_dir: Path, *, env: dict[str, str] | None = None) -> None:
        log_dir.mkdir(parents=True, exist_ok=True)
        self.out_path = log_dir / "stdout.txt"
        self.log_path = log_dir / "stderr.txt"
        self.started_ns = time.time_ns()
        with open(self.out_path, "wb") as out, open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(pftrainer_command() + args, stdout=out, stderr=log,
                                         stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    def stop(self, sig: signal.Signals) -> RunResult:
        """Send `sig`, then wait until it is gone (SIGKILL'd after STOP_TIMEOUT_S: a hang)."""
        if self.running:
            self.proc.send_signal(sig)
        return self.wait(STOP_TIMEOUT_S)

    def wait(self, timeout_s: float) -> RunResult:
        """Wait for the end, at most `timeout_s` (then it is a hang, and killed)."""
        try:
            code: int | None = self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = None
        return RunResult(code, self.out_path.read_text(errors="replace"),
                         self.log_path.read_text(errors="replace"), self.started_ns)


def run_sim(state_dir: Path, config: Path, log_dir: Path, *, sessions: int, seed: int,
            program: str = "kracht", env: dict[str, str] | None = None) -> Pftrainer:
    """`pftrainer run --sim` on `state_dir`, a simulated user doing `sessions` sessions."""
    return Pftrainer(["--config", str(config), "run", "--sim", "--program", program, "--sessions", str(sessions),
                      "--seed", str(seed), "--state-dir", str(state_dir)], log_dir, env=env)


def run_once(args: list[str], log_dir: Path, timeout_s: float) -> RunResult:
    """`pftrainer ARGS...` to its end (at most `timeout_s`)."""
    return Pftrainer(args, log_dir).wait(timeout_s)
