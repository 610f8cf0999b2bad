"""Whole-stack session benchmark: a full programme through the emulated chips, the real
drivers, the coach and the screen, with the device's CPU time charged to the virtual
clock as a slower Pi would spend it ([sim] cpu_factor: 16 a Pi Zero 2 W, 5 a Pi 4).

For each factor it prints what that Pi would see -- samples dropped, the jitter of
the sample times (when each perineal conversion started, taken from the emulated
ADC), the device's share of one core -- and the simulation's speed here. One more run
at the first factor splits the device's CPU time per 4 ms tick into its parts.

    python -m bench.session [--program basis] [--persona strong] [--factors 16,5,1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from array import array
from dataclasses import replace
from pathlib import Path

from device.config import Config
from device.reactor import Reactor
from device.session_run import GuidedSession, run_session
from device.writer import Writer
from hw_sim.persona import PERSONAS
from hw_sim.plugin import open_bench
from session.analyzer import Analyzer
from session.coach import Coach
from session.programme import BUILTIN_DIR, load_programmes
from session.seat import SeatTracker

TARGET_CPU_PCT = 15.0
TARGET_P99_US, TARGET_MAX_US = 1000.0, 4000.0
TARGET_SPEED = 80.0
PARTS = ("sampling", "analysis", "coaching", "rendering", "storage", "garbage")
TIMER_PARTS = {"sampler": "sampling", "render": "rendering", "pack": "rendering", "screen": "rendering",
               "buzzer": "coaching", "storage": "storage", "housekeeping": "sampling", "garbage": "garbage",
               "garbage-full": "garbage"}


def run(programme, persona: str, factor: float, cfg: Config):
    """One session at `factor`; (summary, sample times in s, device CPU s, wall s, this
    process's CPU s). The
    device's CPU time is what its reactor measured: every callback and the loop between
    them, without the simulator's work and without the measuring."""
    cfg = replace(cfg, sim=replace(cfg.sim, cpu_factor=factor))
    bench = open_bench(cfg, PERSONAS[persona].body)
    bench.add_person(PERSONAS[persona])
    times = array("d")
    perineal_mux = 4 + cfg.channels.perineal
    bench.rig.adc.on_start.append(lambda t, mux: times.append(t) if mux == perineal_mux else None)
    timers = {}                      # every timer that ran (the garbage collector's go when a run ends)
    reactor_run = Reactor.run

    def keep(reactor):
        try:
            reactor_run(reactor)
        finally:
            timers.update((id(timer), timer) for timer in reactor.timers)
    Reactor.run = keep
    try:
        with tempfile.TemporaryDirectory() as out:
            wall0_s, process0_s = time.perf_counter(), time.process_time()
            summary = run_session(bench.platform, cfg, programme, Path(out), metadata={"persona": persona})
            wall_s, process_s = time.perf_counter() - wall0_s, time.process_time() - process0_s
    finally:
        Reactor.run = reactor_run
    cpu_s = sum(timer.cpu_s for timer in timers.values())
    return summary, times, cpu_s, wall_s, process_s


def jitter_us(times, period_s: float) -> tuple[float, float, float]:
    """|interval - period| between consecutive samples: p50, p99 and max, in microseconds."""
    dev = sorted(abs((b - a) - period_s) * 1e6 for a, b in zip(times, times[1:]))
    return dev[len(dev) // 2], dev[int(len(dev) * 0.99)], dev[-1]


class TickParts:
    """The device's CPU time per tick, split into parts: every timer's callbacks count for
    its part, the analyzer's and the coach's steps (measured inside the sampler's) move
    from sampling to analysis and coaching. A tick ends when the next sample is taken."""

    def __init__(self, meter) -> None:
        self.meter = meter
        self.ticks = {part: array("d") for part in PARTS}
        self.now = dict.fromkeys(PARTS, 0.0)
        self.writer_cpu_s = 0.0

    def install(self, monkeypatch_set) -> None:
        meter, now, ticks = self.meter, self.now, self.ticks
        fire = Reactor._fire

        def timed_fire(reactor, timer):
            before_s = timer.cpu_s
            waketime = fire(reactor, timer)
            now[TIMER_PARTS.get(timer.name, "sampling")] += timer.cpu_s - before_s
            return waketime

        def moved(part, method):
            def measured(*args):
                start_s = meter()
                result = method(*args)
                spent_s = meter() - start_s
                now[part] += spent_s
                now["sampling"] -= spent_s
                return result
            return measured

        on_sample = GuidedSession.on_sample

        def tick(session, *sample):
            for part in PARTS:
                ticks[part].append(now[part])
                now[part] = 0.0
            on_sample(session, *sample)

        writer_run = Writer._run

        def writer(w):
            start_s = time.thread_time()
            writer_run(w)
            self.writer_cpu_s += time.thread_time() - start_s

        monkeypatch_set(Reactor, "_fire", timed_fire)
        monkeypatch_set(Analyzer, "step", moved("analysis", Analyzer.step))
        monkeypatch_set(SeatTracker, "step", moved("analysis", SeatTracker.step))
        monkeypatch_set(Coach, "update", moved("coaching", Coach.update))
        monkeypatch_set(GuidedSession, "on_sample", tick)
        monkeypatch_set(Writer, "_run", writer)

    def lines(self, factor: float) -> list[str]:
        out = []
        for part in PARTS:
            values = sorted(max(0.0, v) * 1e6 for v in self.ticks[part][1:])
            mean = sum(values) / len(values)
            out.append(f"    {part:<10} mean {mean:6.1f}  p99 {values[int(len(values) * 0.99)]:7.1f}  "
                       f"max {values[-1]:8.1f} us   (x{factor:g}: mean {mean * factor / 1000:5.2f} ms, "
                       f"max {values[-1] * factor / 1000:6.2f} ms)")
        return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--program", default="basis")
    parser.add_argument("--persona", default="strong")
    parser.add_argument("--factors", default="16,5,1", help="cpu_factor values (default 16,5,1)")
    args = parser.parse_args(argv)
    programme = load_programmes(BUILTIN_DIR)[args.program]
    cfg = Config()
    period_s = 1.0 / cfg.sampling.rate_hz
    factors = [float(f) for f in args.factors.split(",")]
    print(f"session benchmark: {args.program} ({programme.series} series x {programme.reps}) with "
          f"{args.persona}; targets: 0 dropped, jitter p99 <= {TARGET_P99_US:.0f} us and max <= "
          f"{TARGET_MAX_US:.0f} us, device CPU <= {TARGET_CPU_PCT:.0f} % of the Pi's core, "
          f">= {TARGET_SPEED:.0f}x real time")
    for factor in factors:
        summary, times, cpu_s, wall_s, process_s = run(programme, args.persona, factor, cfg)
        duration_s = summary.duration_s
        p50, p99, worst = jitter_us(times, period_s)
        cpu_pct = 100.0 * cpu_s * factor / duration_s
        print(f"  cpu_factor {factor:g}: {summary.samples} samples, {summary.dropped} dropped; "
              f"jitter p50 {p50:.0f} us, p99 {p99:.0f} us, max {worst:.0f} us; device CPU "
              f"{cpu_pct:.1f} % ({cpu_s / summary.samples * 1e6:.1f} us a tick here); "
              f"{duration_s:.0f} simulated s in {wall_s:.1f} s: {duration_s / wall_s:.0f}x real time "
              f"({duration_s / process_s:.0f}x by this process's CPU time)")
    saved = []

    def set_attr(owner, name, value):
        saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)
    factor = factors[0]
    cfg_parts = replace(cfg, sim=replace(cfg.sim, cpu_factor=factor))
    bench = open_bench(cfg_parts, PERSONAS[args.persona].body)
    bench.add_person(PERSONAS[args.persona])
    parts = TickParts(bench.rig.clock.ledger.device_cpu_s)
    parts.install(set_attr)
    try:
        with tempfile.TemporaryDirectory() as out:
            summary = run_session(bench.platform, cfg_parts, programme, Path(out))
    finally:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)
    print(f"  device CPU per tick, by part (this machine; measuring adds a little), cpu_factor {factor:g}:")
    for line in parts.lines(factor):
        print(line)
    print(f"    and the writer thread (SQLite, files, gzip; off the loop): "
          f"{parts.writer_cpu_s / summary.samples * 1e6:.1f} us a tick")
    return 0


if __name__ == "__main__":
    sys.exit(main())
