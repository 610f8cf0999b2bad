"""Whole-stack session benchmark: a full programme through the emulated chips, the real
drivers, the coach and the screen, with the device's CPU time charged to the virtual
clock as a slower Pi would spend it ([sim] cpu_factor: 16 a Pi Zero 2 W, 5 a Pi 4).

For each factor it runs the session `--runs` times and prints what that Pi would see --
samples dropped, the jitter of the sample times (when each perineal conversion started,
taken from the emulated ADC), the device's share of one core -- and the simulation's
speed here. One more run at the first factor splits the device's CPU time per 4 ms tick
into its parts.

Why several runs: this machine is a virtual one whose CPU now and then runs 10-20x
slower for some milliseconds (the host's other work; `host_noise()` measures it and the
benchmark prints it). Multiplied by the factor, one such burst drops samples a Pi would
not drop. The device's own slow steps happen at the same samples in every run, the
host's bursts at random ones: a sample dropped in every run, and at each sample the
least jitter any run saw, are the device's; so is, in each second of the session, the
least CPU time any run spent in it (the same work in every run: a burst only adds to it).
Each run's own figures are printed too.

Machines differ as well: the factors were set on one ("about 16x slower for this code"), and
on a faster one the same factor flatters the device. `host_speed()` times a fixed reference
work against its time there, and every device CPU share is printed scaled by it too. So that
the whole of the device's CPU is this machine's, what the I2C libraries below the drivers cost
a call (which the simulated bus charges the device) is measured here first
(`tools.library_costs`): the simulator's own constants were measured on another machine.

    python -m bench.session [--program basis] [--persona strong] [--factors 16,5,1] [--runs 3]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass, replace
from pathlib import Path

from device.config import Config
from device.reactor import Reactor
from device.sampler import Sampler
from device.session_run import GuidedSession, SessionSummary, run_session
from device.writer import Writer
from hw_sim.i2c import LIBRARY_COST_S
from hw_sim.persona import PERSONAS
from hw_sim.plugin import open_bench
from session.analyzer import Analyzer
from session.coach import Coach
from session.programme import BUILTIN_DIR, load_programmes
from session.seat import SeatTracker
from tools import library_costs

TARGET_CPU_PCT = 15.0
TARGET_P99_US, TARGET_MAX_US = 1000.0, 4000.0
TARGET_SPEED = 80.0
PARTS = ("sampling", "analysis", "coaching", "rendering", "storage", "garbage")
WINDOW_SLOTS = 250               # the device's CPU is compared between runs a second at a time
TIMER_PARTS = {"sampler": "sampling", "render": "rendering", "pack": "rendering", "screen": "rendering",
               "buzzer": "coaching", "storage": "storage", "housekeeping": "sampling", "garbage": "garbage",
               "garbage-full": "garbage"}


@dataclass
class Run:
    """One session at one factor: per slot of the sample grid, how late its perineal
    conversion started (NaN: dropped), and what the session cost."""

    summary: SessionSummary
    late_s: array
    cpu_s: float            # the device's, as its reactor measured it
    wall_s: float
    process_s: float        # this process's CPU time (the simulator's too)
    window_cpu_s: array     # the device's CPU so far (cumulative): at the start, at every WINDOW_SLOTS-th slot
                            # after slot 0, and at the end

    def jitter_s(self) -> array:
        """Per slot k: |interval from slot k-1 to k - period| (NaN where either was dropped)."""
        late = self.late_s
        return array("d", [math.nan]) + array("d", (abs(b - a) for a, b in zip(late, late[1:])))


def run(programme, persona: str, factor: float, cfg: Config, library_cost_s: dict[str, float]) -> Run:
    """One session at `factor`. The device's CPU time is what its reactor measured:
    every callback and the loop between them, without the simulator's work and without
    the measuring, and with what the I2C libraries the simulated bus stands in for cost a
    call here (`library_cost_s`, `tools.library_costs`)."""
    cfg = replace(cfg, sim=replace(cfg.sim, cpu_factor=factor))
    bench = open_bench(cfg, PERSONAS[persona].body)
    bench.rig.bus.use_library_costs(library_cost_s)
    bench.add_person(PERSONAS[persona])
    ledger = bench.rig.clock.ledger           # the benchmark's bookkeeping is no work of the device's
    late_s, window_cpu_s = array("d"), array("d", [0.0])     # the start counts with the first second
    timers = {}                      # every timer that ran (the garbage collector's go when a run ends)
    reactor_run, sampler_tick = Reactor.run, Sampler._tick

    def keep(reactor):
        try:
            reactor_run(reactor)
        finally:
            timers.update((id(timer), timer) for timer in reactor.timers)

    def tick(sampler):
        waketime = sampler_tick(sampler)
        with ledger:
            due_s = sampler._next_s - sampler.period_s
            slot = round((due_s - sampler.t0_s) / sampler.period_s)
            late_s.extend([math.nan] * (slot + 1 - len(late_s)))
            late_s[slot] = sampler.adc.started_s - due_s
            if slot >= len(window_cpu_s) * WINDOW_SLOTS:
                timers.update((id(timer), timer) for timer in sampler.reactor.timers)
                cpu_s = sum(timer.cpu_s for timer in timers.values())
                while slot >= len(window_cpu_s) * WINDOW_SLOTS:
                    window_cpu_s.append(cpu_s)
        return waketime
    Reactor.run, Sampler._tick = keep, tick
    try:
        with tempfile.TemporaryDirectory() as out:
            wall0_s, process0_s = time.perf_counter(), time.process_time()
            summary = run_session(bench.platform, cfg, programme, Path(out), metadata={"persona": persona})
            wall_s, process_s = time.perf_counter() - wall0_s, time.process_time() - process0_s
    finally:
        Reactor.run, Sampler._tick = reactor_run, sampler_tick
    cpu_s = sum(timer.cpu_s for timer in timers.values())
    window_cpu_s.append(cpu_s)
    return Run(summary, late_s, cpu_s, wall_s, process_s, window_cpu_s)


def quantiles_us(values) -> tuple[float, float, float]:
    """p50, p99 and max of `values` (seconds; NaNs left out), in microseconds."""
    kept = sorted(v * 1e6 for v in values if not math.isnan(v))
    return kept[len(kept) // 2], kept[int(len(kept) * 0.99)], kept[-1]


def least_per_slot(runs: list[Run]) -> array:
    """Per slot, the least jitter any run saw there (NaN: dropped in every run)."""
    jitters = [r.jitter_s() for r in runs]
    n = min(len(j) for j in jitters)
    return array("d", (min((j[k] for j in jitters if not math.isnan(j[k])), default=math.nan)
                       for k in range(n)))


def dropped_in_every_run(runs: list[Run]) -> int:
    """Slots of the sample grid no run sampled (after the first, which starts the grid)."""
    n = min(len(r.late_s) for r in runs)
    return sum(all(math.isnan(r.late_s[k]) for r in runs) for k in range(1, n))


def least_cpu_s(runs: list[Run]) -> float:
    """The device's CPU time: in each second of the session (WINDOW_SLOTS samples), the
    least any run spent. The runs do the same work; the host's bursts only ever add to
    one run's. (Background work that moved across a second's edge in one run is counted
    where the run put it: at most one call a second left out, well under 1 us a tick.)"""
    n = min(len(r.window_cpu_s) for r in runs)
    total_s = 0.0
    for k in range(1, n):
        total_s += min(r.window_cpu_s[k] - r.window_cpu_s[k - 1] for r in runs)
    return total_s


# How fast this machine is against the one `cpu_factor`'s values were set on (16 a Pi Zero 2 W,
# 5 a Pi 4: "about 16x slower for this code" there), by a fixed reference work. Its time there,
# anchored by the frame render that host measured (a3e00c8's render and pack: "about 2.4 ms here",
# issue 11), which took 1.02 ms (median of 2,316 frames) on the machine of 2026-12-04, where the
# reference work took 3.83 ms (the least of 15): 3.83 x 2.4 / 1.02.
REFERENCE_WORK_ANCHOR_S = 9.0e-3


class _Smoother:
    """The reference work's unit, made as the device's per-sample code is (slots, float
    arithmetic, calls, branches)."""

    __slots__ = ("y", "peak", "count")

    def __init__(self) -> None:
        self.y = self.peak = 0.0
        self.count = 0

    def step(self, x: float, k: float) -> float:
        y = self.y = self.y + (x - self.y) * k
        if y > self.peak:
            self.peak = y
        elif y < 0.5 * self.peak:
            self.count += 1
            self.peak = y
        return y


def reference_work(n: int = 20_000) -> float:
    """A fixed piece of pure-Python work (the same in every version of the project)."""
    fast, slow = _Smoother(), _Smoother()
    x = total = 0.0
    for i in range(n):
        x = (x * 1.0001 + (i % 97) * 0.013) % 7.0
        total += fast.step(x, 0.2) - slow.step(x, 0.05)
    return total


def host_speed(tries: int = 15, clock=time.thread_time, work=reference_work) -> float:
    """This machine's speed against the host the factors were set on (> 1: faster): the
    reference work's least time of `tries` by the thread's CPU clock, against its anchor."""
    best_s = math.inf
    for _ in range(tries):
        start_s = clock()
        work()
        best_s = min(best_s, clock() - start_s)
    return REFERENCE_WORK_ANCHOR_S / best_s


def host_noise(n: int = 100_000) -> str:
    """How steady this machine's CPU is: one fixed piece of work timed `n` times by the
    thread's CPU clock, as the reactor times the device's."""
    spent = array("d", bytes(8 * n))
    clock = time.thread_time
    for i in range(n):
        start_s = clock()
        total = 0
        for j in range(200):
            total += j * j
        spent[i] = clock() - start_s
    p50, p99, worst = quantiles_us(spent)
    slow = sum(v * 1e6 > 10 * p50 for v in spent)
    return (f"this machine: one fixed piece of work, timed {n} times as the reactor times the device, "
            f"took {p50:.1f} us (median), p99 {p99:.1f} us, max {worst:.0f} us; {slow} times over 10x the median")


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
    parser.add_argument("--runs", type=int, default=3, help="runs at each factor (default 3)")
    args = parser.parse_args(argv)
    programme = load_programmes(BUILTIN_DIR)[args.program]
    cfg = Config()
    factors = [float(f) for f in args.factors.split(",")]
    print(f"session benchmark: {args.program} ({programme.series} series x {programme.reps}) with "
          f"{args.persona}, {args.runs} runs at each cpu_factor; targets: 0 dropped, jitter p99 <= "
          f"{TARGET_P99_US:.0f} us and max <= {TARGET_MAX_US:.0f} us, device CPU <= {TARGET_CPU_PCT:.0f} % "
          f"of the Pi's core, >= {TARGET_SPEED:.0f}x real time")
    print(f"  {host_noise()}")
    library_cost_s = library_costs.least()
    print("  the I2C libraries the simulated bus stands in for, measured here (make library-costs): "
          + ", ".join(f"{name} {cost_s * 1e6:.2f} us" for name, cost_s in library_cost_s.items())
          + " a call (the simulator's defaults, another machine's: "
          + ", ".join(f"{LIBRARY_COST_S[name] * 1e6:.1f}" for name in library_cost_s) + " us)")
    host = host_speed()
    print(f"  this machine runs a fixed reference work {host:.2f}x as fast as the host the factors were set on "
          f"(16: a Pi Zero 2 W there): here a Zero is about cpu_factor {16 * host:.0f}, a Pi 4 {5 * host:.0f}; "
          f"each device CPU share below is also given scaled by {host:.2f}")
    for factor in factors:
        runs = [run(programme, args.persona, factor, cfg, library_cost_s) for _ in range(args.runs)]
        print(f"  cpu_factor {factor:g}:")
        for r in runs:
            duration_s, samples = r.summary.duration_s, r.summary.samples
            p50, p99, worst = quantiles_us(r.jitter_s())
            print(f"    run: {samples} samples, {r.summary.dropped} dropped; jitter p50 {p50:.0f} us, "
                  f"p99 {p99:.0f} us, max {worst:.0f} us; device CPU {100.0 * r.cpu_s * factor / duration_s:.1f} % "
                  f"({r.cpu_s / samples * 1e6:.1f} us a tick here); {duration_s:.0f} simulated s in "
                  f"{r.wall_s:.1f} s: {duration_s / r.wall_s:.0f}x real time "
                  f"({duration_s / r.process_s:.0f}x by this process's CPU time)")
        p50, p99, worst = quantiles_us(least_per_slot(runs))
        duration_s = statistics.median(r.summary.duration_s for r in runs)
        samples = statistics.median(r.summary.samples for r in runs)
        cpu_s = least_cpu_s(runs)
        sim_speed = statistics.median(r.summary.duration_s / r.wall_s for r in runs)
        print(f"    the device's own (dropped in every run; the least jitter at each sample; the least CPU "
              f"in each second; the median speed): {dropped_in_every_run(runs)} dropped; jitter p50 {p50:.0f} us, "
              f"p99 {p99:.0f} us, max {worst:.0f} us; device CPU {100.0 * cpu_s * factor / duration_s:.1f} % "
              f"({100.0 * cpu_s * factor * host / duration_s:.1f} % scaled to this machine's speed; "
              f"{cpu_s / samples * 1e6:.1f} us a tick here); {sim_speed:.0f}x real time")
    saved = []

    def set_attr(owner, name, value):
        saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)
    factor = factors[0]
    cfg_parts = replace(cfg, sim=replace(cfg.sim, cpu_factor=factor))
    bench = open_bench(cfg_parts, PERSONAS[args.persona].body)
    bench.rig.bus.use_library_costs(library_cost_s)
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
