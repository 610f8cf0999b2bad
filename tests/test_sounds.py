"""The buzzer's cue patterns: one meaning each, told apart by ear, and played as designed.

The ear's rule (what a user must be able to tell apart without looking): two patterns
sound different when they have a different number of beeps, or some beep differs in
pitch by more than 2 semitones, or some beep or gap between beeps differs in length by
more than 30 %. Lengths under 0.1 s count as 0.1 s: the ear takes a shorter tone's
length for loudness, which is why single beeps of 20, 40 and 80 ms (flick, inhale and
hold, once) were confusable.
"""

from __future__ import annotations

import math
import re
from itertools import combinations
from pathlib import Path

import pytest

from device.buzz import HIGH_ST, LOW_ST, MID_ST, PATTERNS, duration_s
from device.config import Config
from device.core import Device
from device.reactor import NEVER
from device.stopping import StopFlag
from drivers.buzzer import Beep, Pattern, tone_hz
from hw_sim.listener import BuzzerListener
from hw_sim.plugin import TYPICAL_CPU_S, ScriptedCpu, open_bench
from session import cues

PITCH_APART_ST = 2.0          # pitches further apart than this are different notes
LENGTH_APART = 1.3            # lengths more than 30 % apart are different
SHORTEST_HEARD_S = 0.1        # a tone or gap shorter than this is heard as this long
README = Path(__file__).resolve().parent.parent / "README.md"


def _lengths_apart(a_s: float, b_s: float) -> bool:
    a_s, b_s = max(a_s, SHORTEST_HEARD_S), max(b_s, SHORTEST_HEARD_S)
    return max(a_s, b_s) > LENGTH_APART * min(a_s, b_s)


def sound_alike(a: Pattern, b: Pattern) -> bool:
    """The ear's rule (above): True when nothing tells `a` from `b`."""
    if len(a) != len(b):
        return False
    for i, (x, y) in enumerate(zip(a, b)):
        if abs(x.pitch_semitones - y.pitch_semitones) > PITCH_APART_ST or _lengths_apart(x.on_s, y.on_s):
            return False
        if i < len(a) - 1 and _lengths_apart(x.off_s, y.off_s):       # the last gap is silence
            return False
    return True


def test_the_ears_rule_finds_the_beeps_the_issue_found_alike():
    inhale, hold, flick = (Beep(0.04, 0.0),), (Beep(0.08, 0.0),), (Beep(0.02, 0.0),)
    assert sound_alike(inhale, hold) and sound_alike(hold, flick)
    assert not sound_alike((Beep(0.3, 0.0),), (Beep(0.3, 0.0, 3.0),))            # a minor third apart
    assert not sound_alike((Beep(0.3, 0.0),), (Beep(0.4, 0.0),))                  # a third longer
    assert sound_alike((Beep(0.2, 0.1), Beep(0.2, 0.0)), (Beep(0.2, 0.1), Beep(0.2, 0.5)))   # after: silence
    assert not sound_alike((Beep(0.2, 0.1),) * 2, (Beep(0.2, 0.1),) * 3)


def test_no_two_cue_patterns_sound_alike():
    alike = [(a, b) for a, b in combinations(PATTERNS, 2) if sound_alike(PATTERNS[a], PATTERNS[b])]
    assert not alike, f"these cues sound alike: {alike}"


def test_patterns_are_well_formed():
    assert set(PATTERNS) == cues.SOUNDED
    for name, pattern in PATTERNS.items():
        assert pattern and duration_s(pattern) <= 1.5, name
        assert all(isinstance(beep, Beep) and beep.on_s > 0 for beep in pattern), name
        assert all(beep.off_s > 0 for beep in pattern[:-1]), f"{name}: beeps run into each other"
        assert {beep.pitch_semitones for beep in pattern} <= {LOW_ST, MID_ST, HIGH_ST}, name


def test_the_bear_down_warning_is_short_and_urgent():
    pattern = PATTERNS[cues.WARN_BEAR_DOWN]
    assert duration_s(pattern) <= 0.6 and len(pattern) == 4
    assert all(beep.on_s == 0.08 and beep.pitch_semitones == HIGH_ST for beep in pattern)


def test_the_readme_table_lists_every_cue_once():
    rows = re.findall(r"^\| `([a-z_]+)` \|", README.read_text(), re.M)
    sounds = [row for row in rows if row in PATTERNS]
    assert sorted(sounds) == sorted(PATTERNS)


# --- played on the device's own loop and heard off the emulated pin ------------------------------------
SPACING_S = 3.0               # a pattern (1.5 s at most) every this often, however late it starts
ASKING_CPU_S = {"quick": 10e-6, "slow": 0.05}   # what the callback asking for each pattern takes


@pytest.fixture(scope="module", params=sorted(ASKING_CPU_S))
def played(request):
    """Every cue's pattern played by the device (its reactor, buzzer timer and real
    Buzzer on gpiozero's mock PWM pin) on the simulator's clock, one every SPACING_S, each
    asked for by a callback that takes ASKING_CPU_S (slow: 0.8 s at the Pi Zero's factor
    16, longer than any beep, as a session's end making its end screen can take longer than
    the end sound's first beep, trial93): what the pin did (clock s, duty, PWM Hz), what a
    listener made of it (clock s, cue), and when each pattern is to start: as the callback
    that asked for it ends."""
    cfg = Config()
    asking_cpu_s = ASKING_CPU_S[request.param]
    bench = open_bench(cfg, cpu_meter=ScriptedCpu({**TYPICAL_CPU_S, "script": asking_cpu_s}))  # on any machine
    device = Device(bench.platform, cfg, stop=StopFlag(), log=lambda line: None)
    pin = bench.rig.pin_factory.pin(cfg.buzzer.pin)
    changes: list[tuple[float, float, float]] = []
    pin.watchers.append(lambda t_s, duty: changes.append((t_s, duty, pin.frequency)))
    heard: list[tuple[float, str]] = []
    BuzzerListener(bench.rig.clock, pin, lambda t_s, cue: heard.append((t_s, cue)), cfg.buzzer.frequency_hz)
    order = list(PATTERNS)
    asked_s = [1.0 + SPACING_S * i for i in range(len(order))]

    def script(now_s: float) -> float:
        i = next((i for i, start_s in enumerate(asked_s) if start_s == now_s), None)
        if i is None:                        # the last pattern is over: stop
            device.reactor.end()
            return NEVER
        device.play(PATTERNS[order[i]])
        return asked_s[i + 1] if i + 1 < len(asked_s) else now_s + SPACING_S

    device.reactor.register_timer(script, asked_s[0], "script")
    device.reactor.run()
    device.close()
    late_s = asking_cpu_s * cfg.sim.cpu_factor
    return cfg, order, [start_s + late_s for start_s in asked_s], changes, heard


def test_each_pattern_sounds_on_the_pin_as_designed(played):
    cfg, order, starts_s, changes, _ = played
    for cue, start_s, next_s in zip(order, starts_s, starts_s[1:] + [math.inf]):
        ons = [(t_s, hz) for t_s, duty, hz in changes if duty > 0 and start_s <= t_s < next_s]
        offs = [t_s for t_s, duty, _ in changes if duty == 0 and start_s < t_s < next_s]
        t_s = start_s
        assert len(ons) == len(offs) == len(PATTERNS[cue]), cue
        for beep, (on_s, hz), off_s in zip(PATTERNS[cue], ons, offs):
            assert on_s == pytest.approx(t_s, abs=1e-9), cue
            assert off_s - on_s == pytest.approx(beep.on_s, abs=1e-9), cue
            assert hz == pytest.approx(tone_hz(cfg.buzzer.frequency_hz, beep.pitch_semitones)), cue
            t_s = off_s + beep.off_s


def test_a_listener_hears_every_pattern_as_its_own_cue(played):
    _, order, starts_s, _, heard = played
    assert heard == [(pytest.approx(start_s), cue) for cue, start_s in zip(order, starts_s)]
