"""Every cue the trainer gives, by its stable id -- the one registry the coach, the screen,
the buzzer, the cue log, the texts and the simulated person all read.

An id never changes once released (`cues.jsonl` and stored histories carry them); its
words (`device.texts`) and its sound (`device.buzz`) may. Groups say what a cue asks of
the user, so that nothing else keeps its own list.
"""

from __future__ import annotations

# phases of a session: each asks for something
CALIBRATE_REST = "calibrate_rest"      # sit still: the rest level is measured (also the settle after a pause)
CALIBRATE_MAX = "calibrate_max"        # squeeze as hard as you can (calibration)
INHALE = "inhale"
EXHALE_LIFT = "exhale_lift"            # breathe out and lift to the target
LIFT_TO_FLOOR = "lift_to_floor"        # move the lift up to another floor
DOWN_TO_FLOOR = "down_to_floor"        # ... or down to one, without letting go
HOLD = "hold"
FLICK = "flick"                        # a quick squeeze
BRACE = "brace"                        # squeeze before the cough
COUGH_NOW = "cough_now"
BREATHE_OUT_LONG = "breathe_out_long"
RELAX = "relax"
RELAX_FIRST = "relax_first"            # let go fully first: the next lift waits for it
SERIES_REST = "series_rest"
SUMMARY = "summary"                    # the session is over
# warnings, the moment something goes wrong
WARN_BEAR_DOWN = "warn_bear_down"      # pushing instead of lifting
WARN_LET_GO = "warn_let_go"            # not letting go
WARN_KEEP_BREATHING = "warn_keep_breathing"
WARN_GLUTES = "warn_glutes"            # the buttocks instead of the floor
# for the log only: nothing is shown or sounded
REP_DONE = "rep_done"
# the device's own, outside a session's coaching
SENSOR_FAULT = "sensor_fault"
REMINDER = "reminder"                  # idle for [ui] reminder_hours: time to train (never at night)
USB_SAVED = "usb_saved"                # the report and recordings are on the USB stick
USB_FAILED = "usb_failed"              # ... or they could not be put there (the screen says why)

WARNINGS = frozenset({WARN_BEAR_DOWN, WARN_LET_GO, WARN_KEEP_BREATHING, WARN_GLUTES})
ASK_TO_LIFT = frozenset({EXHALE_LIFT, CALIBRATE_MAX, LIFT_TO_FLOOR, DOWN_TO_FLOOR, BRACE})    # to the target shown
ASK_TO_LET_GO = frozenset({RELAX, RELAX_FIRST, SERIES_REST, SUMMARY, CALIBRATE_REST, INHALE, BREATHE_OUT_LONG,
                           WARN_LET_GO})
COACHING = frozenset({CALIBRATE_REST, CALIBRATE_MAX, INHALE, EXHALE_LIFT, LIFT_TO_FLOOR, DOWN_TO_FLOOR, HOLD, FLICK, BRACE,
                      COUGH_NOW, BREATHE_OUT_LONG, RELAX, RELAX_FIRST, SERIES_REST, SUMMARY}) | WARNINGS | {REP_DONE}
SOUNDED = (COACHING - {REP_DONE}) | {SENSOR_FAULT, REMINDER, USB_SAVED, USB_FAILED}        # each has a buzzer pattern
