"""Buzzer patterns: what each cue sounds like, so a user who is not looking can follow.

A pattern is a tuple of (on_s, off_s) pairs for `drivers.buzzer.Buzzer.play`; the keys
are the cue ids of `session.cues` (every one it calls sounded has one). Patterns differ in the number of beeps and their lengths (a click of
20-40 ms, a tick of 80 ms, a beep of 100-150 ms, a long beep of 300-400 ms); the few
single sounds differ in length and also come at different moments of an exercise.

| cue                 | sound                          | meaning                                    |
|---------------------|--------------------------------|--------------------------------------------|
| inhale              | one soft tick (40 ms)          | adem in: breathe in, pelvic floor at rest  |
| exhale_lift         | short-short, 2nd longer        | adem uit, til op: lift while breathing out |
| hold                | one tick (80 ms)               | vasthouden: you are there, hold it         |
| relax               | one long beep (0.4 s)          | laat los: let go completely                |
| flick               | one click (20 ms)              | snel aanspannen: quick squeeze             |
| cough_now           | three fast beeps               | hoest nu: cough while squeezing            |
| calibrate_rest      | one beep (250 ms)              | sit still: the rest level is measured      |
| calibrate_max       | short, long (60 + 200 ms)      | squeeze as hard as you can (calibration)   |
| lift_to_floor       | short, short, longer           | move the lift to another floor             |
| brace               | longer, short                  | span aan: squeeze before the cough         |
| breathe_out_long    | two ticks 0.3 s apart          | a long breath out (relaxation)             |
| series_rest         | two beeps (150 ms)             | a break between series                     |
| summary             | long-short-long                | klaar: the session is over                 |
| warn_bear_down      | four fast urgent beeps         | niet persen: you push instead of lift      |
| warn_let_go         | two long beeps                 | laat los: you do not let go                |
| warn_keep_breathing | long-short                     | blijf ademen: you hold your breath         |
| warn_glutes         | three even beeps (200 ms)      | billen ontspannen: the buttocks, not floor |
| sensor_fault        | three long beeps               | sensorfout: check the cushion's cable      |
"""

from __future__ import annotations

from session import cues

Pattern = tuple[tuple[float, float], ...]

PATTERNS: dict[str, Pattern] = {
    cues.INHALE: ((0.04, 0.0),),
    cues.EXHALE_LIFT: ((0.06, 0.08), (0.12, 0.0)),
    cues.HOLD: ((0.08, 0.0),),
    cues.RELAX: ((0.4, 0.0),),
    cues.FLICK: ((0.02, 0.0),),
    cues.COUGH_NOW: ((0.06, 0.06), (0.06, 0.06), (0.06, 0.0)),
    cues.CALIBRATE_REST: ((0.25, 0.0),),
    cues.CALIBRATE_MAX: ((0.06, 0.08), (0.2, 0.0)),
    cues.LIFT_TO_FLOOR: ((0.06, 0.08), (0.06, 0.08), (0.12, 0.0)),
    cues.BRACE: ((0.12, 0.08), (0.06, 0.0)),
    cues.BREATHE_OUT_LONG: ((0.04, 0.3), (0.04, 0.0)),
    cues.SERIES_REST: ((0.15, 0.1), (0.15, 0.0)),
    cues.SUMMARY: ((0.3, 0.1), (0.1, 0.1), (0.3, 0.0)),
    cues.WARN_BEAR_DOWN: ((0.08, 0.05), (0.08, 0.05), (0.08, 0.05), (0.08, 0.0)),
    cues.WARN_LET_GO: ((0.35, 0.15), (0.35, 0.0)),
    cues.WARN_KEEP_BREATHING: ((0.35, 0.12), (0.1, 0.0)),
    cues.WARN_GLUTES: ((0.2, 0.1), (0.2, 0.1), (0.2, 0.0)),
    cues.SENSOR_FAULT: ((0.4, 0.15), (0.4, 0.15), (0.4, 0.0)),
}


def duration_s(pattern: Pattern) -> float:
    """How long `pattern` keeps the buzzer busy, in seconds."""
    return sum(on_s + off_s for on_s, off_s in pattern)
