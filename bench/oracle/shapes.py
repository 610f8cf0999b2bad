"""Smooth time shapes shared by the body actions (all dimensionless, 0..1 unless stated)."""

from __future__ import annotations

import math


def smoothstep(u: float) -> float:
    """0 -> 1 over u in [0, 1], zero slope at both ends (a movement starts and lands softly)."""
    if u <= 0.0:
        return 0.0
    if u >= 1.0:
        return 1.0
    return u * u * (3.0 - 2.0 * u)


def rise(u: float) -> float:
    """Muscle force rise: soft start, steeper early than a smoothstep (force curves are concave)."""
    if u <= 0.0:
        return 0.0
    if u >= 1.0:
        return 1.0
    return smoothstep(u) ** 0.75


def release(u: float) -> float:
    """1 -> 0 over u in [0, 1]: a short knee, then a fast fall with a slow landing (relaxation is
    roughly exponential but ends)."""
    if u <= 0.0:
        return 1.0
    if u >= 1.0:
        return 0.0
    rest = 1.0 - smoothstep(u)
    return rest * rest


def exhale(u: float, k: float = 3.5, soft: float = 0.15) -> float:
    """1 -> 0 over u in [0, 1]: passive expiration. The flow builds up over the first `soft` of the
    exhale (no cusp at the turn from inhale to exhale), then the volume empties exponentially and
    flattens into the end-expiratory pause."""
    if u <= 0.0:
        return 1.0
    if u >= 1.0:
        return 0.0
    g = u * u / (2.0 * soft) if u < soft else u - 0.5 * soft
    g_end = 1.0 - 0.5 * soft
    floor = math.exp(-k * g_end)
    return (math.exp(-k * g) - floor) / (1.0 - floor)


class Wobble:
    """A band-limited random fluctuation with unit standard deviation: a few sinusoids with random
    frequencies in [lo_hz, hi_hz] and random phases (tremor, force unsteadiness, sway)."""

    def __init__(self, rng, lo_hz: float, hi_hz: float, parts: int = 3):
        self.parts = [
            (2.0 * math.pi * rng.uniform(lo_hz, hi_hz), rng.uniform(0.0, 2.0 * math.pi))
            for _ in range(parts)
        ]
        self.amp = math.sqrt(2.0 / parts)

    def __call__(self, t: float) -> float:
        total = 0.0
        for omega, phase in self.parts:
            total += math.sin(omega * t + phase)
        return self.amp * total


def log_uniform(rng, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))
