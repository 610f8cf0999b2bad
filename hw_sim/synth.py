"""Fast synthetic recordings: the body model sampled straight into kPa and kg.

Skips the chip emulation (the drivers' tests cover that path) so that hours of
labelled data for the analysis benchmark take seconds. Reproduces what the real chain
adds: sensor noise, ADC quantisation, uneven sample spacing and dropped samples.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

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
    for t in sample_times(duration_s, rate_hz, rng):
        kpa, left, right = body.sample(max(0.0, t))
        kpa = rest_kpa + gain * (kpa - body_rest_kpa + rng.gauss(0.0, noise_kpa))
        kpa = round(min(SENSOR_MAX_KPA, max(0.0, kpa)) / lsb) * lsb
        yield (max(0.0, t), kpa, left + rng.gauss(0.0, SEAT_NOISE_KG), right + rng.gauss(0.0, SEAT_NOISE_KG))
