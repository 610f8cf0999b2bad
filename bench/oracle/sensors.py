"""The sensor chain: when samples are taken, and what the ADC makes of the cushion and the seat.

Perineal: ratiometric 0-10 kPa gauge sensor (0.33 V + 0.264 V/kPa) on an ADS1115 at +-4.096 V
(125 uV per step, so one step is 0.000473 kPa); the air cushion and its tube act as a first-order
low-pass of 5-25 ms; white noise; readings clamp to the sensor's 0-10 kPa range.
Seat: load cell + instrumentation amplifier (0.25 V + 0.04 V/kg, so one step is 0.003125 kg, and the
output rails at 0 V and 3.3 V: -6.25 to 76.25 kg), a zero offset, slow creep and white noise. As in
the device, every tick reads the perineal channel and every second tick one seat channel,
alternately, so each seat side is read every fourth tick and the row repeats its last value between
reads.
Timing: the loop runs on absolute deadlines, so jitter does not accumulate: about 0.15 ms sd, now
and then a late read of 1-6 ms (scheduler), 1.2 ms late once a second (the supply read takes a
slot), and rarely 1-4 consecutive ticks are lost (bus error, retried) and missing from the rows.
"""

from __future__ import annotations

import math
from array import array

ADC_LSB_V = 0.000125
PERINEAL_ZERO_V = 0.33
PERINEAL_V_PER_KPA = 0.264
PERINEAL_STEP_KPA = ADC_LSB_V / PERINEAL_V_PER_KPA
PERINEAL_MAX_KPA = 10.0
SEAT_ZERO_V = 0.25
SEAT_V_PER_KG = 0.04
SEAT_STEP_KG = ADC_LSB_V / SEAT_V_PER_KG
SEAT_MIN_KG = -SEAT_ZERO_V / SEAT_V_PER_KG
SEAT_MAX_KG = (3.3 - SEAT_ZERO_V) / SEAT_V_PER_KG
SEAT_EVERY_TICKS = 4
SUPPLY_DELAY_S = 0.0012
DROP_PER_TICK = 0.0007


def sample_times(rng, rate_hz: float, duration_s: float):
    """Returns (times, ticks, dropped): the sample times actually recorded, their tick numbers, and
    how many ticks were lost."""
    period = 1.0 / rate_hz
    lo, hi = -0.3 * period, 0.45 * period
    n = int(duration_s * rate_hz)
    times, ticks = array("d"), array("l")
    lost = dropped = 0
    gauss, random = rng.gauss, rng.random
    second = 0
    for k in range(n):
        nominal = k * period
        supply = int(nominal) != second
        second = int(nominal)
        if lost:
            lost -= 1
            dropped += 1
            continue
        if k > 0 and random() < DROP_PER_TICK:
            lost = rng.randint(0, 3)
            dropped += 1
            continue
        jitter = gauss(0.0, 0.00015)
        if random() < 0.003:
            jitter += rng.uniform(0.001, 0.006)
        if supply:
            jitter += SUPPLY_DELAY_S
        jitter = lo if jitter < lo else hi if jitter > hi else jitter
        t = nominal + jitter
        times.append(t if t > 0.0 else 0.0)
        ticks.append(k)
    return times, ticks, dropped


def quantise(value: float, step: float, lo: float, hi: float) -> float:
    return min(max(round(value / step) * step, lo), hi)


def perineal_chain(rng, person, gain: float, times, ch, drift):
    """Returns (clean, readings): the noise-free filtered cushion pressure (for the truth) and the
    quantised readings. Every change from rest_kpa is multiplied by the gain, except the unloading
    when the person stands up: an empty cushion reads its own pressure whatever the gain."""
    rest, unloaded = person.rest_kpa, person.unloaded_kpa
    tau = person.pneumatic_tau_s
    noise = person.noise_kpa
    clean, out = array("d"), array("d")
    gauss, exp = rng.gauss, math.exp
    step, top = PERINEAL_STEP_KPA, PERINEAL_MAX_KPA
    y = None
    t_prev = times[0] if times else 0.0
    for t, present, change, slow in zip(times, ch.present_p, ch.perineal, drift):
        x = unloaded + present * (rest - unloaded + gain * change)
        if y is None:
            y = x
        else:
            y += (x - y) * (1.0 - exp((t_prev - t) / tau))
        t_prev = t
        clean.append(y)
        value = round((y + gain * (slow + gauss(0.0, noise))) / step) * step
        out.append(0.0 if value < 0.0 else top if value > top else value)
    return clean, out


def seat_chain(rng, person, times, ticks, ch, duration_s):
    """Returns (left, right) readings in kg, held between the multiplexed reads."""
    sides = (
        (person.seat_left_kg, person.seat_offset_left_kg, ch.seat_left, 0),
        (person.seat_right_kg, person.seat_offset_right_kg, ch.seat_right, SEAT_EVERY_TICKS // 2),
    )
    result = []
    for base, offset, change, phase in sides:
        out = array("d")
        held = None
        for i, t in enumerate(times):
            if held is None or ticks[i] % SEAT_EVERY_TICKS == phase:
                load = ch.present_s[i] * (base + change[i])
                load += offset + person.seat_creep_kg * t / duration_s
                load += rng.gauss(0.0, person.seat_noise_kg)
                held = quantise(load, SEAT_STEP_KG, SEAT_MIN_KG, SEAT_MAX_KG)
            out.append(held)
        result.append(out)
    return result[0], result[1]
