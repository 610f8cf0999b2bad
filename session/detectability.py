"""The detectability rule: which movements the analysis promises to find, and the
threshold constants that implement it. One owner: the detectors read their constants
here, and the benchmark judges every label by the same rule.

Everything is stated in what the analyzer measures on this person and this cushion:
- `noise_kpa`: the sensor noise, sd of one sample;
- `breath_kpa`: the resting breath, trough-to-peak swing of the perineal pressure;
- `noise_y_kpa`: the noise left after the detectors' smoothing (`SMOOTH_TAU_S`), which
  depends on the sampling rate (`smoothed_noise`).
No threshold is an absolute kPa value, so the rule holds for any cushion gain and rest
level -- except the one floor the hardware sets: the noise cannot be measured below the
ADC's quantisation (`RESOLUTION_KPA`: one ADS1115 step at +-4.096 V, 125 uV, through a
0-10 kPa ratiometric sensor of 0.264 V/kPa at 3.3 V, is 0.00047 kPa; quantisation noise
is a step / sqrt(12)). Above the sensor's rated range (`SENSOR_TOP_KPA`) a reading is the
sensor saturating, not the pressure: a spike's shape there is not judged.

The rule (README, "How the analysis decides"): a lift is reported when its drop is at
least `LIFT_BREATH_K` resting breaths plus `LIFT_NOISE_K` smoothed-noise sds; a push when
its rise is at least `PUSH_BREATH_K` breaths plus `PUSH_NOISE_K` smoothed-noise sds and it
lasts `PUSH_MIN_S` (a shorter one cannot be told from a cough's spike); a
breath-hold when it lasts at least `HOLD_PERIODS` breath periods, the breathing stood
`HOLD_VISIBLE_K` band noise sds above the noise before it (as the breathing band sees a
breath: 1 / `BREATH_SIZE_SEEN` of its swing), and it falls in a contraction
the rule promises to report (the analysis flags a held breath during a hold it sees) whose
drop is at most `HOLD_LIFT_K` breath swings (a strong floor's own unsteadiness hides faint
breathing), and what else moved the level at rest in the breathing band (postural wander,
pulse, cushion drift; the sensor noise aside) carried at most `HOLD_WANDER_K` of the breaths'
power there: the analysis flags a hold when the band's power falls below `HOLD_POWER` of its
resting power, and a hold that stops every breath still leaves that other motion.
"""

from __future__ import annotations

from session.filters import noise_gain

RESOLUTION_KPA = (0.125e-3) / 0.264          # one ADC step in kPa
SENSOR_TOP_KPA = 10.0     # the sensor's rated range ends here: above it the reading saturates, not the pressure
NOISE_FLOOR_KPA = RESOLUTION_KPA / 12 ** 0.5  # the smallest noise sd the sensor chain can show

SMOOTH_TAU_S = 0.04       # the pressure the lift and push detectors look at
BAND_TAU_S = 0.3          # the breathing band's smoothing

# thresholds: BREATH_K x breath swing + NOISE_K x smoothed noise sd
LIFT_BREATH_K = 1.0      # a lift falls this far within the fall window (an exhale falls slower) ...
LIFT_NOISE_K = 5.0
LIFT_LEVEL_BREATH_K = 0.6 # ... to this far below the mean: below a breath's trough (half a swing)
LIFT_LEVEL_NOISE_K = 5.0
TONE_BREATH_K = 0.4       # a resting level this many breaths (+ TONE_NOISE_K noise sds) below the most
TONE_NOISE_K = 5.0        # relaxed one is tension held (the level is a breath's mean: the swing averages out)
PUSH_BREATH_K = 2.5       # an inhale peaks half a swing above the mean; a deep one (the quick breath
                          # before a cough: up to 2.5 tidal swings from the trough), a sigh, far higher
PUSH_NOISE_K = 5.0
BREATH_SIZE_SEEN = 1.25   # the breath tracker's band-pass sees about 0.8 of a breath's swing
# the rule adds half a breath swing: a lift may start at the top of an inhale
RULE_BREATH_MARGIN = 0.5

HOLD_PERIODS = 1.5        # the rule: a held breath this many breath periods long is flagged ...
HOLD_MISSED = 1.25        # ... once the breathing's power has faded over this many periods ...
HOLD_CONFIRM = 0.25       # ... and stayed faded this many more (HOLD_MISSED + HOLD_CONFIRM = HOLD_PERIODS) ...
HOLD_POWER = 0.1          # ... to below this share of the resting breaths' power
HOLD_VISIBLE_K = 8.0      # breaths this many band-noise sds deep can be followed at all ...
HOLD_LIFT_K = 6.0         # ... and, in a contraction, against a floor lifting at most this many breaths
# ... and against the rest's other slow motion carrying at most this share of the breaths' power in the
# band: a hold that stops every breath but leaves that motion then reads below HOLD_POWER of the resting
# power (breaths and motion). Exact for the judgement at the let-go with the noise negligible; the check
# during the hold counts the noise with a margin and needs less motion near the edge of visibility
HOLD_WANDER_K = HOLD_POWER / (1.0 - HOLD_POWER)
# A hold in which none was flagged so is judged whole when it is let go: held at least
# HOLD_WHOLE_PERIODS breath periods, its band's power below HOLD_POWER of the resting breaths' over all
# of it but its first HOLD_WHOLE_SKIP_S (the lift settling: the band restarts at its steps) and its last
# HOLD_WHOLE_TAIL_S before the release is seen (the release already under way)
HOLD_WHOLE_PERIODS = 1.0
HOLD_WHOLE_SKIP_S = 1.0
HOLD_WHOLE_TAIL_S = 0.6
# A hold of HOLD_PERIODS or more is judged so in the band tuned to the breathing rate (a band-pass of
# quality TUNED_Q at the rate learnt: as wide as the rate, so breathing at 0.62-1.62 times that rate
# passes at half its power or more): breathing is a rhythm; the floor's own unsteadiness in a hold
# (0.2-1.5 Hz) and the level's wander spread over a band several times wider. Up to a lift of
# TUNED_LIFT_K breath swings as the analysis measures them (its ratio runs higher than the labels' for
# the same lift: at HOLD_LIFT_K in-rule holds of both corpora fell out); a stronger floor wavers at the
# breathing rate too, and the breathing band judges its hold as a shorter one
TUNED_Q = 1.0
TUNED_LIFT_K = 8.0


def smoothed_noise(noise_kpa: float, rate_hz: float, tau_s: float = SMOOTH_TAU_S) -> float:
    """The sd left of white sensor noise after smoothing with `tau_s` at `rate_hz`."""
    return max(noise_kpa, NOISE_FLOOR_KPA) * noise_gain(tau_s, 1.0 / rate_hz)


def lift_detectable(drop_kpa: float, noise_kpa: float, breath_kpa: float, rate_hz: float) -> bool:
    """A lift of `drop_kpa` below rest is one the analysis promises to report."""
    need = (LIFT_BREATH_K + RULE_BREATH_MARGIN) * breath_kpa + LIFT_NOISE_K * smoothed_noise(noise_kpa, rate_hz)
    return drop_kpa >= need


PUSH_MIN_S = 0.6          # a shorter push looks like a cough (a spike of at most 0.4 s)


def push_detectable(rise_kpa: float, noise_kpa: float, breath_kpa: float, rate_hz: float,
                    duration_s: float = PUSH_MIN_S) -> bool:
    """A push of `rise_kpa` above rest lasting `duration_s` is one the analysis promises to
    warn of; a shorter one cannot be told from a cough by the pressure alone."""
    if duration_s < PUSH_MIN_S:
        return False
    need = (PUSH_BREATH_K + RULE_BREATH_MARGIN) * breath_kpa + PUSH_NOISE_K * smoothed_noise(noise_kpa, rate_hz)
    return rise_kpa >= need


def breath_hold_detectable(hold_s: float, period_s: float, breath_kpa: float, noise_kpa: float,
                           rate_hz: float, drop_kpa: float, *, wander_to_breath: float) -> bool:
    """A held breath of `hold_s` during a contraction of `drop_kpa` is one the analysis
    promises to flag: the contraction is one it reports (a held breath is flagged during a
    hold it sees), not so strong that its own unsteadiness hides faint breathing, and with
    the rest's other slow motion in the breathing band at most `HOLD_WANDER_K` of the breaths'
    power there (`wander_to_breath`: that motion's power over the breaths', the noise aside)."""
    # as the breathing band sees it (the analysis follows a breath through that band)
    visible = breath_kpa / BREATH_SIZE_SEEN >= HOLD_VISIBLE_K * smoothed_noise(noise_kpa, rate_hz, BAND_TAU_S)
    return (visible and hold_s >= HOLD_PERIODS * period_s and wander_to_breath <= HOLD_WANDER_K
            and lift_detectable(drop_kpa, noise_kpa, breath_kpa, rate_hz) and drop_kpa <= HOLD_LIFT_K * breath_kpa)
