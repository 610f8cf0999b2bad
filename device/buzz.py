"""Buzzer patterns: what each cue sounds like, so a user who is not looking can follow.

A pattern is a tuple of `Beep(on_s, off_s, pitch_semitones)` for
`drivers.buzzer.Buzzer.play`; the keys are the cue ids of `session.cues` (every one it
calls sounded has one). The README's "Sounds" table says what each sounds like and
means. The vocabulary, so that each pattern means one thing:

- three pitches a fourth apart: LOW_ST, MID_ST (the piezo's resonance, loudest), HIGH_ST;
- rising notes ask for something up or in (breathe in, lift, squeeze), falling notes
  for letting go; a long note is steady (hold, sit still);
- fast repeats of one note are urgent: cough now, and the warnings.

No two patterns sound alike to the ear: they differ in the number of beeps, or in a
beep's pitch by more than 2 semitones, or in a beep's or gap's length by more than
30 % (lengths under 0.1 s counting as 0.1 s: the ear hears a shorter tone's length as
loudness). `tests/test_sounds.py` checks that rule for every pair.
"""

from __future__ import annotations

from drivers.buzzer import Beep, Pattern
from session import cues

LOW_ST, MID_ST, HIGH_ST = -5, 0, 5           # semitones from the piezo's resonance ([buzzer] frequency_hz)

PATTERNS: dict[str, Pattern] = {
    cues.INHALE: (Beep(0.12, 0.06, LOW_ST), Beep(0.12, 0.0, MID_ST)),
    cues.EXHALE_LIFT: (Beep(0.07, 0.04, LOW_ST), Beep(0.07, 0.04, MID_ST), Beep(0.07, 0.0, HIGH_ST)),
    cues.HOLD: (Beep(0.3, 0.0, MID_ST),),
    cues.RELAX: (Beep(0.15, 0.05, HIGH_ST), Beep(0.4, 0.0, LOW_ST)),
    cues.FLICK: (Beep(0.05, 0.05, HIGH_ST), Beep(0.05, 0.0, HIGH_ST)),
    cues.COUGH_NOW: (Beep(0.06, 0.06, HIGH_ST), Beep(0.06, 0.06, HIGH_ST), Beep(0.06, 0.0, HIGH_ST)),
    cues.CALIBRATE_REST: (Beep(0.5, 0.0, LOW_ST),),
    cues.CALIBRATE_MAX: (Beep(0.08, 0.06, LOW_ST), Beep(0.3, 0.0, HIGH_ST)),
    cues.LIFT_TO_FLOOR: (Beep(0.06, 0.06, MID_ST), Beep(0.06, 0.06, MID_ST), Beep(0.15, 0.0, HIGH_ST)),
    cues.DOWN_TO_FLOOR: (Beep(0.06, 0.06, MID_ST), Beep(0.06, 0.06, MID_ST), Beep(0.15, 0.0, LOW_ST)),
    cues.BRACE: (Beep(0.25, 0.08, MID_ST), Beep(0.08, 0.0, HIGH_ST)),
    cues.RELAX_FIRST: (Beep(0.1, 0.05, HIGH_ST), Beep(0.1, 0.05, MID_ST), Beep(0.45, 0.0, LOW_ST)),
    cues.BREATHE_OUT_LONG: (Beep(0.15, 0.3, MID_ST), Beep(0.15, 0.0, LOW_ST)),
    cues.SERIES_REST: (Beep(0.2, 0.15, LOW_ST), Beep(0.2, 0.0, LOW_ST)),
    cues.SUMMARY: (Beep(0.12, 0.06, LOW_ST), Beep(0.12, 0.06, MID_ST), Beep(0.4, 0.0, HIGH_ST)),
    cues.WARN_BEAR_DOWN: (Beep(0.08, 0.05, HIGH_ST), Beep(0.08, 0.05, HIGH_ST), Beep(0.08, 0.05, HIGH_ST),
                          Beep(0.08, 0.0, HIGH_ST)),
    cues.WARN_LET_GO: (Beep(0.35, 0.15, LOW_ST), Beep(0.35, 0.0, LOW_ST)),
    cues.WARN_KEEP_BREATHING: (Beep(0.12, 0.05, MID_ST), Beep(0.12, 0.05, LOW_ST), Beep(0.12, 0.0, MID_ST)),
    cues.WARN_GLUTES: (Beep(0.2, 0.1, MID_ST), Beep(0.2, 0.1, MID_ST), Beep(0.2, 0.0, MID_ST)),
    cues.SENSOR_FAULT: (Beep(0.4, 0.15, LOW_ST), Beep(0.4, 0.15, LOW_ST), Beep(0.4, 0.0, LOW_ST)),
    cues.REMINDER: (Beep(0.15, 0.35, LOW_ST), Beep(0.15, 0.35, MID_ST), Beep(0.3, 0.0, MID_ST)),
    cues.USB_SAVED: (Beep(0.1, 0.1, MID_ST), Beep(0.25, 0.0, HIGH_ST)),
    cues.USB_FAILED: (Beep(0.25, 0.1, MID_ST), Beep(0.5, 0.0, LOW_ST)),
}


def duration_s(pattern: Pattern) -> float:
    """How long `pattern` keeps the buzzer busy, in seconds."""
    return sum(beep.on_s + beep.off_s for beep in pattern)
