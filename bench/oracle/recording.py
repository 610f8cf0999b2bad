"""make_recording: person -> scenario script -> body signals -> sensor chain -> Recording."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .actions import Channels
from .background import Background
from .breathing import V_MEAN, Breathing
from .floor import Tone
from .person import draw_person, stream
from .records import Recording, Truth
from .scenarios import SCENARIOS, SCRIPTS
from .sensors import PERINEAL_STEP_KPA, SEAT_EVERY_TICKS, SEAT_STEP_KG, perineal_chain, sample_times
from .sensors import seat_chain
from .script import Script

LIFT_STIFFENING = 0.5  # a maximally lifted floor moves half as much with the breath


@dataclass
class Model:
    """Everything behind one recording (for tests and inspection)."""

    person: object
    times: list
    channels: Channels
    breathing: Breathing
    script: Script
    clean_kpa: list
    recording: Recording


def _coupling(person, lift: float, guard: float) -> float:
    stiff = 1.0 - LIFT_STIFFENING * min(lift, 1.0)
    return max(0.1, stiff * (1.0 - guard * (1.0 - person.tense_coupling)))


def build(seed: int, *, scenario: str = "mixed", duration_s: float = 300.0, rate_hz=None,
          gain: float = 1.0, rest_kpa=None, noise_kpa=None, breath_bpm=None, breath_kpa=None,
          strength_kpa=None) -> Model:
    if scenario not in SCRIPTS:
        raise ValueError(f"unknown scenario {scenario!r}; one of {', '.join(SCENARIOS)}")
    if not duration_s > 0:
        raise ValueError("duration_s must be positive")
    if not gain > 0:
        raise ValueError("gain must be positive")
    person = draw_person(seed, scenario, rate_hz=rate_hz, rest_kpa=rest_kpa, noise_kpa=noise_kpa,
                         breath_bpm=breath_bpm, breath_kpa=breath_kpa, strength_kpa=strength_kpa)
    if not 0.0 < person.rest_kpa < 10.0 or person.noise_kpa < 0 or person.breath_kpa < 0:
        raise ValueError("rest_kpa must be in (0, 10); noise_kpa and breath_kpa >= 0")
    if not person.strength_kpa > 0 or not 1.0 <= person.breath_bpm <= 60.0 or person.rate_hz <= 0:
        raise ValueError("strength_kpa and rate_hz must be positive, breath_bpm in 1-60")

    times, ticks, dropped = sample_times(stream(seed, "clock"), person.rate_hz, duration_s)
    n = len(times)
    breathing = Breathing(stream(seed, "breathing"), person)
    tone = Tone(person, duration_s) if person.overtense else None
    script = Script(person, stream(seed, "script"), breathing, duration_s, tone)
    SCRIPTS[scenario](script)
    script.finish()

    ch = Channels(n)
    actions = list(script.actions) + ([tone] if tone else [])
    for stage in (0, 1):
        if stage == 1:
            _render_breathing(person, breathing, times, ch)
        for action in actions:
            if action.stage == stage:
                i0 = bisect.bisect_left(times, action.window[0])
                i1 = bisect.bisect_left(times, action.window[1])
                action.render(times, i0, i1, ch)
    ch.settle()
    background = Background(stream(seed, "background"), person, breathing, duration_s,
                            script.quiet_until_s)
    background.render(times, ch)
    drift = background.drift(times)
    clean, perineal = perineal_chain(stream(seed, "perineal"), person, gain, times, ch, drift)
    left, right = seat_chain(stream(seed, "seat"), person, times, ticks, ch, duration_s)
    rows = list(zip(times, perineal, left, right))

    truth = _truth(person, gain, times, ch, clean, breathing, script)
    info = _info(seed, scenario, duration_s, person, gain, script, tone, dropped)
    rec = Recording(rows=rows, truth=truth, info=info)
    return Model(person, times, ch, breathing, script, clean, rec)


def make_recording(seed: int, *, scenario: str = "mixed", duration_s: float = 300.0,
                   rate_hz: float | None = None, gain: float = 1.0, rest_kpa: float | None = None,
                   noise_kpa: float | None = None, breath_bpm: float | None = None,
                   breath_kpa: float | None = None, strength_kpa: float | None = None) -> Recording:
    """A recording of a simulated person on the cushion, with what the body really did.
    Same arguments, same recording. See bench/oracle/README.md."""
    return build(seed, scenario=scenario, duration_s=duration_s, rate_hz=rate_hz, gain=gain,
                 rest_kpa=rest_kpa, noise_kpa=noise_kpa, breath_bpm=breath_bpm,
                 breath_kpa=breath_kpa, strength_kpa=strength_kpa).recording


def _render_breathing(person, breathing, times, ch) -> None:
    breathing.render(times, ch.volume)
    kpa, kg = person.breath_kpa, person.breath_seat_kg
    for i, (v, lift, guard) in enumerate(zip(ch.volume, ch.lift, ch.guard)):
        dv = v - V_MEAN
        coupling = _coupling(person, lift, guard) if (lift or guard) else 1.0
        ch.perineal[i] += kpa * coupling * dv
        ch.seat_left[i] -= kg * dv
        ch.seat_right[i] -= kg * dv


def _index(times, t: float) -> int:
    return min(max(bisect.bisect_left(times, t), 0), len(times) - 1)


def _truth(person, gain, times, ch, clean, breathing, script) -> list:
    out = []
    for a in script.actions:
        if a.kind is None:
            continue
        details = dict(a.details)
        size = gain * a.size_kpa
        if a.kind in ("stand_up", "sit_down"):
            size = clean[_index(times, a.end_s)] - clean[_index(times, a.start_s)]
        if a.kind == "sit_down":
            details["rest_shift_kpa"] = gain * a.rest_shift_kpa
        if a.kind == "contraction" and a.residual > 0.0:
            details["residual_kpa"] = gain * a.residual_kpa
        out.append(Truth(a.kind, a.start_s, a.end_s, size, details))
    for t_stop, t_resume, during in script.breath_holds:
        i = _index(times, 0.5 * (t_stop + t_resume))
        held = breathing.value(0.5 * (t_stop + t_resume)) - V_MEAN
        coupling = _coupling(person, ch.lift[i], ch.guard[i])
        size = gain * ch.present_p[i] * person.breath_kpa * coupling * held
        details = {"breath_period_s": round(breathing.period_at(t_stop), 3),
                   "during_contraction": during}
        out.append(Truth("breath_hold", t_stop, t_resume, size, details))
    out.sort(key=lambda tr: (tr.start_s, tr.kind))
    return out


def _info(seed, scenario, duration_s, p, gain, script, tone, dropped) -> dict:
    tone_kpa = -gain * p.strength_kpa * p.tone_frac if p.overtense else 0.0
    coupling_at_rest = p.tense_coupling if p.overtense else 1.0
    return {
        "seed": seed,
        "scenario": scenario,
        "duration_s": duration_s,
        "rate_hz": p.rate_hz,
        "gain": gain,
        "rest_kpa": p.rest_kpa,
        "noise_kpa": gain * p.noise_kpa,
        "breath_bpm": p.breath_bpm,
        "breath_kpa": gain * p.breath_kpa,
        "strength_kpa": gain * p.strength_kpa,
        "quiet_until_s": script.quiet_until_s,
        "overtense": p.overtense,
        "tone_kpa": tone_kpa,
        "sitting_rest_kpa": p.rest_kpa + tone_kpa,
        "breath_coupling_at_rest": coupling_at_rest,
        "breath_kpa_at_rest": gain * p.breath_kpa * coupling_at_rest,
        "let_go": [{"start_s": round(t0, 3), "down_s": round(d, 3), "stay_s": round(s, 3),
                    "up_s": round(u, 3), "size_kpa": round(-tone_kpa * depth, 6)}
                   for t0, d, s, u, depth in script.let_gos],
        "unloaded_kpa": p.unloaded_kpa,
        "adc_step_kpa": PERINEAL_STEP_KPA,
        "seat_step_kg": SEAT_STEP_KG,
        "seat_read_every_ticks": SEAT_EVERY_TICKS,
        "pneumatic_tau_s": p.pneumatic_tau_s,
        "dropped_samples": dropped,
        "ti_frac": p.ti_frac,
        "sighs_per_h": p.sighs_per_h,
        "breath_seat_kg": p.breath_seat_kg,
        "seat_left_kg": p.seat_left_kg,
        "seat_right_kg": p.seat_right_kg,
        "seat_noise_kg": p.seat_noise_kg,
        "body_mass_kg": p.body_mass_kg,
        "heart_bpm": p.heart_bpm,
        "rise_s": p.rise_s,
        "release_s": p.release_s,
        "fatigability": p.fatigability,
        "drift_leak_kpa_per_min": gain * 60.0 * p.leak_kpa_per_s,
    }
