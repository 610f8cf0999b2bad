"""Scripted things for the simulated body to do (demo recordings, tests, benchmarks)."""

from __future__ import annotations

from hw_sim.body import Body


def demo(body: Body, duration_s: float, quiet_s: float = 8.0) -> None:
    """Quiet sitting, then every 9 s a lift; every third slot a bear-down and a cough instead.

    Only actions that end within `duration_s` are scheduled.
    """
    t = quiet_s + 2.0
    n = 0
    while t + 6.5 <= duration_s:
        if n % 3 == 2:
            body.bear_down(t, duration_s=1.5, rise_kpa=1.5)
            body.cough(t + 4.0, peak_kpa=4.0)
        else:
            body.lift(t, level=0.9, hold_s=5.0)
        t += 9.0
        n += 1
