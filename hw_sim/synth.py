"""Fast synthetic recordings: the body model sampled straight into kPa and kg.

Skips the chip emulation (the drivers' tests cover that path) so that hours of
labelled data for the analysis benchmark take seconds. Reproduces what the real chain
adds: sensor noise, ADC quantisation, uneven sample spacing and dropped samples.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from math import cos, log, sin, sqrt, tau

from hw_sim.body import Body

ADC_LSB_KPA = (4.096 / 32768) / 0.264     # one ADS1115 step at +-4.096 V through the sensor
SEAT_NOISE_KG = 0.03                       # load-cell amplifier noise
SENSOR_MAX_KPA = 10.0                      # the perineal sensor's range is 0-10 kPa


def sample_times(duration_s: float, rate_hz: float, rng: random.Random, *,
                 jitter: float = 0.1, drop_probability: float = 0.002) -> Iterator[float]:
    """Increasing sample times at about `rate_hz`, with timing jitter and dropped samples."""
    period_s = 1.0 / rate_hz
    t = 0.0
    last = -1.0
    while t < duration_s:
        ts = t + rng.uniform(-jitter, jitter) * period_s
        if ts > last and rng.random() >= drop_probability:
            yield ts
            last = ts
        t += period_s


def synthesize(body: Body, duration_s: float, rate_hz: float, seed: int = 0, *,
               noise_kpa: float = 0.0015, gain: float = 1.0,
               rest_kpa: float | None = None) -> Iterator[tuple[float, float, float, float]]:
    """Rows (t, perineal_kpa, seat_left_kg, seat_right_kg) as the device would record them.

    The cushion maps the body's pressure change from its rest level, noise included,
    times `gain` onto `rest_kpa` (default: the body's own rest level); the sensor's
    0-10 kPa range clips it and the ADC quantises it."""
    rng = random.Random(seed ^ 0xC0FFEE)
    lsb = ADC_LSB_KPA
    body_rest_kpa = body.params.rest_kpa
    rest_kpa = body_rest_kpa if rest_kpa is None else rest_kpa
    # `sample_times(duration_s, rate_hz, rng)` and the three `rng.gauss()` draws of each row,
    # written out in one loop: the very same numbers in the same order (`rng.uniform(a, b)` is
    # a + (b - a) x `rng.random()`; `gauss` makes Box-Muller pairs, the cosine returned and the
    # sine kept for the next call), without a generator and four calls a row
    uniform, sample = rng.random, body.sample
    jitter, drop_probability = 0.1, 0.002                 # `sample_times`' defaults
    low, span = -jitter, jitter - -jitter
    period_s = 1.0 / rate_hz
    spare = None                                          # the sine `gauss` keeps
    t = 0.0
    last = -1.0
    while t < duration_s:
        ts = t + (low + span * uniform()) * period_s
        if ts > last and uniform() >= drop_probability:
            last = ts
            at = ts if ts > 0.0 else 0.0                  # max(0.0, ts)
            kpa, left, right = sample(at)
            if spare is None:
                angle = uniform() * tau
                radius = sqrt(-2.0 * log(1.0 - uniform()))
                z1, z2 = cos(angle) * radius, sin(angle) * radius
                angle = uniform() * tau
                radius = sqrt(-2.0 * log(1.0 - uniform()))
                z3, spare = cos(angle) * radius, sin(angle) * radius
            else:
                z1 = spare
                angle = uniform() * tau
                radius = sqrt(-2.0 * log(1.0 - uniform()))
                z2, z3 = cos(angle) * radius, sin(angle) * radius
                spare = None
            kpa = rest_kpa + gain * (kpa - body_rest_kpa + (0.0 + z1 * noise_kpa))
            kpa = round(min(SENSOR_MAX_KPA, max(0.0, kpa)) / lsb) * lsb
            yield (at, kpa, left + (0.0 + z2 * SEAT_NOISE_KG), right + (0.0 + z3 * SEAT_NOISE_KG))
        t += period_s
