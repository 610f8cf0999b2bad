"""Breathing, read from the perineal signal: each inhale is a small rise, each exhale a
fall. Streaming, O(1) per sample, no allocation.

`BreathTracker` band-passes the pressure -- smoothed (`smooth_tau_s`, against noise and
tremor), then high-passed twice (`trend_tau_s`: a ramp such as a hold's fatigue or a
cushion's drift leaves nothing, where one stage would leave an offset), the high-pass
restarted whenever the detectors see the pressure step (a lift or a push beginning or
ending, a held lift falling again as far as a lift falls: `rebase()`), so steps do not
ring through as breaths -- and learns, at settled rest (the period: whenever quiet):
- the breath size (trough to peak) from the band's mean square, less what the sensor
  noise puts there: a steady breath of swing A has a mean square of A^2 / 8 (a
  statistic, so a missed or a shallow breath cannot inflate or shrink it much);
- the breathing period from the spacing of clear inhales: the band is followed peak to
  trough, the phase flips to exhaling when it falls `swing_k` x the breath size below
  the last peak and to inhaling when it rises as much above the last trough; only
  breaths at least half the usual size, at a plausible spacing, teach the period, while
  the floor is quiet (not only settled: between lifts it seldom is) and only from an inhale
  the band's settling time (`trend_tau_s`) or more after it last restarted (a lift's onset
  restarts it at rest too, and a flip right after a restart is the restart's); the 5 s prior
  counts as one spacing until there are five, then each moves it `PERIOD_GAIN` of the way;
- the resting breaths' power a held breath is judged against (`rest_power`, `RestPower`):
  the mean of the band's power over the last `REST_WINDOWS` windows of half a breath period
  of rest each, less the noise's variance, leaving out those over `WINDOW_OUTLIER_K` times their
  median -- a settle as the user sits down or a fidget sways fewer than half of them, 4-9 times
  the others, where it would hold a running mean square up for a minute or more;
  until there are `REST_WINDOWS_MIN` (early in a session, or where the rests between lifts
  are short), the running mean square;
- the power of the band tuned to that period (`tuned_kpa`: a band-pass of quality `TUNED_Q`
  at the rate learnt), at rest, less the noise's share of it.

`BreathHoldDetector` watches the band's power over the last `HOLD_MISSED` breath
periods (in 0.1 s bins): when, during a contraction, it has fallen below `HOLD_POWER` of
the resting breaths' power (`rest_power`) -- and those stood clear of the noise; the noise's share of the
window (`band_noise_var`, what the band keeps of it), an estimate, counted `SURE_SE` standard
errors low, so that a noisy window must be that much fainter -- and stays there for
`HOLD_CONFIRM` periods more (a dip between two shallow breaths does not), the breath is
held. That flags a held breath 1.5 breath periods after the last breath (7.5 s at 12
breaths a minute); the event ends once a half period's power is back above
`RESUME_POWER`. A hold in which none was flagged -- too short for that, as `kracht`'s 5 s
at 12 breaths a minute, or wavering -- is judged whole when the analysis sees it let go
(`released()`): held at least `HOLD_WHOLE_PERIODS` breath periods, and the band's power over
all of it, but its first `HOLD_WHOLE_SKIP_S` and its last `HOLD_WHOLE_TAIL_S`, below the
same `HOLD_POWER` (at a hold of one period, 5 s at 12 breaths a minute, that judges its
3.4 s in the middle; a whole hold's mean, over more breaths, tells a breath taken on more
surely than its quietest stretch does). A hold of `HOLD_PERIODS` or more, in a lift of at most
`TUNED_LIFT_K` breath swings, is judged so in the tuned band, against its resting power
(`tuned_power`, the running mean: the median of windows lost held breaths there on both bodies'
benchmarks): a
held force wavers by a few per cent at 0.2-1.5 Hz, which in a lift of a few breath swings
puts a good part of a breath's power in the breathing band, breathing or not, but little
at the breathing rate itself; over a shorter hold the tuned band has had too few
cycles to tell, and the breathing band judges it. The tuned band restarts with the lift
and builds up again: the hold's bins there are fitted to what it shows of a steady breath
after the same restarts (`UnitBreath`, `HoldMean.power`) before the hold is judged. That
event is raised and completed at once, `at_release` 1; `judged_t` says when a hold was last
judged so, held or not. A gap in the samples during a hold counts as unwatched.
"""

from __future__ import annotations

import math
from array import array
from functools import lru_cache

from session.detectability import (BAND_TAU_S, HOLD_CONFIRM, HOLD_MISSED, HOLD_PERIODS, HOLD_POWER,
                                    HOLD_VISIBLE_K, HOLD_WHOLE_PERIODS, HOLD_WHOLE_SKIP_S, HOLD_WHOLE_TAIL_S,
                                    TUNED_LIFT_K, TUNED_Q)
from session.events import BREATH_HOLD, Event, EventLog
from session.filters import Resonator, RunningMedian, noise_gain

RESUME_POWER = 0.25
SURE_SE = 2.0              # a window is faded only this many standard errors of its noise share below the threshold
OUTLIER_SQUARE_K = 9.0     # the size learns from a sample at most 3 x the usual swing
REST_WINDOWS = 11          # the resting power is the mean of this many windows of rest (a fidget of
                           # 4 s and its ringing sway 4 half-period windows: fewer than half of them) ...
WINDOW_PERIODS = 0.5       # ... each half a breath period (a steady breath's mean square over a half period
                           # is its own, whatever the phase: the shortest window that is so) ...
REST_WINDOWS_MIN = 6       # ... from this many windows on (the running mean before: a few windows have no
                           # sure median, and early in a session a settle may be most of them) ...
WINDOW_OUTLIER_K = 3.0     # ... without those over this many times their median (a settle's or a fidget's,
                           # 4-9x; breaths alternating 1 and 1.5 swings: 2.25x; their median alone reads a
                           # skewed lot low)
REST_BLOCK_S = 1.0         # rest joins a window in blocks of at most this, a block once the next is whole:
                           # the 1-2 s before the floor left rest (a lift begun, not yet seen) never join
MIN_SEEN = 0.75            # a window must have been watched this much (not restarted) to tell
PERIOD_GAIN = 0.2          # each breath's spacing moves the period learnt this much of the way (about the
                           # last five breaths); before, the period is the mean of the prior and those seen
                           # (from the 5 s prior at 0.2 a time, a 3 s breath read 3.8 s after four; taken
                           # whole, a halved first spacing held the oracle's seed 1 at 3.5 s for 54 s)
NOISE_PERIODS_S = tuple(2.5 + 0.5 * i for i in range(20))    # breath periods the tuned noise is known at


def _band_gain2(f: float, smooth_tau_s: float, trend_tau_s: float) -> float:
    """The breathing band's squared gain at `f` Hz: the smoothing, then the two high-passes."""
    w = 2.0 * math.pi * f
    smooth = 1.0 / (1.0 + (w * smooth_tau_s) ** 2)
    high = (w * trend_tau_s) ** 2 / (1.0 + (w * trend_tau_s) ** 2)
    return smooth * high * high


def _discrete_band_gain2(f: float, dt_s: float, smooth_tau_s: float, trend_tau_s: float) -> float:
    """The breathing band's squared gain at `f` Hz as its filters compute it, a sample every
    `dt_s`: the smoothing one-pole, then the two high-passes (each the input less a one-pole of
    it) -- a few per cent under `_band_gain2` at 50 Hz."""
    c = math.cos(2.0 * math.pi * f * dt_s)
    a = dt_s / (smooth_tau_s + dt_s)
    k = dt_s / (trend_tau_s + dt_s)
    smooth = a * a / (1.0 - 2.0 * (1.0 - a) * c + (1.0 - a) ** 2)
    high = (1.0 - k) ** 2 * (2.0 - 2.0 * c) / (1.0 - 2.0 * (1.0 - k) * c + (1.0 - k) ** 2)
    return smooth * high * high


def _log_integral(gain2, lo_hz: float, hi_hz: float, n: int) -> float:
    """The integral of `gain2(f)` over `lo_hz`-`hi_hz`, on a log grid of `n` steps."""
    log_lo = math.log(lo_hz)
    step = (math.log(hi_hz) - log_lo) / n
    total = 0.0
    for i in range(n):
        f = math.exp(log_lo + (i + 0.5) * step)
        total += gain2(f) * f * step
    return total


@lru_cache(maxsize=4)
def _band_noise_share(smooth_tau_s: float, trend_tau_s: float) -> float:
    """The share of white noise's variance after the band's smoothing that its two high-passes
    leave (0.76 at 0.3 s and 1.5 s): the integral of the chain's squared gain over frequency
    against the smoothing's alone (0.0001-200 Hz; once per process)."""
    band = _log_integral(lambda f: _band_gain2(f, smooth_tau_s, trend_tau_s), 0.0001, 200.0, 2000)
    smoothed = _log_integral(lambda f: 1.0 / (1.0 + (2.0 * math.pi * f * smooth_tau_s) ** 2), 0.0001, 200.0, 2000)
    return band / smoothed


@lru_cache(maxsize=4)
def _tuned_bandwidths_hz(smooth_tau_s: float, trend_tau_s: float, q: float) -> tuple[float, ...]:
    """For each of NOISE_PERIODS_S: the noise bandwidth of the breathing band followed by the
    resonator tuned to that period, the integral of the chain's squared gain over frequency
    (0.001-25 Hz; once per process, a few ms). White noise of variance s^2 at spacing dt
    leaves s^2 x 2 dt x that in the tuned band."""
    def tuned_gain2(f: float, f0: float) -> float:
        return _band_gain2(f, smooth_tau_s, trend_tau_s) * (1.0 / (1.0 + (q * (f / f0 - f0 / f)) ** 2))
    return tuple(_log_integral(lambda f: tuned_gain2(f, 1.0 / period_s), 0.001, 25.0, 600)
                 for period_s in NOISE_PERIODS_S)


class UnitBreath:
    """A steady breath of unit size at the learnt rate, run through the same band and tuned band
    as the pressure and restarted with them (`restart()`): the share of a steady breath's power
    the tuned band shows now (`share`: 1 in the steady state).

    Why: the band restarts as a lift begins (`BreathTracker.rebase`), and the tuned band, a
    resonator started from zero, builds up again over about a breath period: over a hold of
    1.5-3 periods a breath taken on shows only 0.5-0.85 of its power there. Judged against its
    resting power as it was, a breath taken on through a short strong hold passed for held; the
    hold's bins are fitted to a steady breath's power times this share instead (`HoldMean`).
    (The breathing band is taken whole: over the holds it judges on both body models it showed
    0.86-1.02 of a steady breath; a hold of one period at 10 s a breath would read 0.8 -- and less
    after a restart within the hold, as a staircase lift's next floor makes.) The
    input is a complex exponential (a cosine and a sine breath, `_c` and `_s`), so the share
    does not depend on the breath's phase at the restart; it moves at the samples' usual
    spacing (set by `set_spacing`). O(1) a sample, nothing allocated."""

    __slots__ = ("share", "_smooth_tau_s", "_trend_tau_s", "_c", "_s", "_fast_c",
                 "_fast_s", "_trend_c", "_trend_s", "_trend2_c", "_trend2_s", "_tuned_c", "_tuned_s",
                 "_freq_hz", "_dt_s", "_steady", "_cos_w", "_sin_w", "_a", "_k")

    def __init__(self, smooth_tau_s: float, trend_tau_s: float) -> None:
        self._smooth_tau_s = smooth_tau_s
        self._trend_tau_s = trend_tau_s
        self._tuned_c = Resonator(TUNED_Q)
        self._tuned_s = Resonator(TUNED_Q)
        self._freq_hz = self._dt_s = -1.0
        self._steady = self._cos_w = 1.0
        self._sin_w = self._a = self._k = 0.0
        self.reset()

    def reset(self) -> None:
        """Begin afresh (a warm-up): the band starts as the tracker's does."""
        self._c, self._s = 1.0, 0.0
        self.restart()

    def restart(self) -> None:
        """The band restarts where the input is now (as `BreathTracker.rebase`)."""
        self._fast_c = self._trend_c = self._c
        self._fast_s = self._trend_s = self._s
        self._trend2_c = self._trend2_s = 0.0
        self._tuned_c.reset()
        self._tuned_s.reset()
        self.share = 0.0

    def set_spacing(self, dt_s: float) -> None:
        """The samples' usual spacing (the steady breath's power is worked out at it)."""
        if dt_s != self._dt_s:
            self._dt_s = dt_s
            self._freq_hz = -1.0

    def step(self, dt: float, freq_hz: float) -> None:
        """One sample. The unit breath moves at the samples' usual spacing, not this one's: the
        share depends on the time since the restart, not on the jitter, and the coefficients
        are worked out only when the rate or the spacing moves."""
        if freq_hz != self._freq_hz:
            self._retune(dt, freq_hz)
        dt, a, k = self._dt_s, self._a, self._k
        cos_w, sin_w = self._cos_w, self._sin_w
        c, s = self._c, self._s
        c, s = c * cos_w - s * sin_w, s * cos_w + c * sin_w
        norm = 1.5 - 0.5 * (c * c + s * s)          # its length kept at 1
        c = self._c = c * norm
        s = self._s = s * norm
        fast = self._fast_c = self._fast_c + (c - self._fast_c) * a
        trend = self._trend_c = self._trend_c + (fast - self._trend_c) * k
        high = fast - trend
        trend2 = self._trend2_c = self._trend2_c + (high - self._trend2_c) * k
        x_c = high - trend2
        fast = self._fast_s = self._fast_s + (s - self._fast_s) * a
        trend = self._trend_s = self._trend_s + (fast - self._trend_s) * k
        high = fast - trend
        trend2 = self._trend2_s = self._trend2_s + (high - self._trend2_s) * k
        x_s = high - trend2
        tuned_c = self._tuned_c.step(x_c, dt, freq_hz)
        tuned_s = self._tuned_s.step(x_s, dt, freq_hz)
        self.share = (tuned_c * tuned_c + tuned_s * tuned_s) / self._steady

    def _retune(self, dt: float, freq_hz: float) -> None:
        """The coefficients at a new rate (or spacing) and a steady unit breath's power in the band."""
        self._freq_hz = freq_hz
        if self._dt_s <= 0.0:                 # (before the spacing is known: this sample's)
            self._dt_s = dt
        dt = self._dt_s
        w = 2.0 * math.pi * freq_hz * dt
        self._cos_w, self._sin_w = math.cos(w), math.sin(w)
        self._a = dt / (self._smooth_tau_s + dt)
        self._k = dt / (self._trend_tau_s + dt)
        self._steady = _discrete_band_gain2(freq_hz, dt, self._smooth_tau_s, self._trend_tau_s)


class BreathTracker:
    __slots__ = ("smooth_tau_s", "trend_tau_s", "size_tau_s", "swing_k", "noise_k", "min_period_s",
                 "max_period_s", "period_s", "size_kpa", "power", "band_noise_kpa", "band_noise_var", "band_kpa",
                 "rebased_t",
                 "inhaling", "last_flip_t", "_fast", "_trend", "_trend2", "_peak", "_trough", "_mean_square",
                 "_learnt_s", "_t", "_last_inhale_t", "tuned_kpa", "tuned_power", "tuned_noise_kpa", "_tuned",
                 "_tuned_square", "_white_kpa2_s", "_bandwidths_hz", "_noise_share", "resting", "unit", "_warm",
                 "_spacings")

    def __init__(self, *, smooth_tau_s: float = BAND_TAU_S, trend_tau_s: float = 1.5, swing_k: float = 0.3,
                 noise_k: float = HOLD_VISIBLE_K / 2.0, period_s: float = 5.0, size_tau_s: float = 20.0,
                 min_period_s: float = 2.5, max_period_s: float = 12.0) -> None:
        self.smooth_tau_s = smooth_tau_s
        self.trend_tau_s = trend_tau_s
        self.size_tau_s = size_tau_s
        self.swing_k = swing_k
        self.noise_k = noise_k
        self.min_period_s = min_period_s
        self.max_period_s = max_period_s
        self.period_s = period_s           # learnt: seconds per breath
        self.size_kpa = 0.0                # learnt: trough-to-peak size of a resting breath
        self.power = 0.0                   # learnt: the band's mean square at rest, less the smoothed noise's
                                           # variance (a quarter more than the band keeps: the thresholds'
                                           # constants were set so; 3 % low at the edge of visibility)
        self.band_noise_kpa = 0.0          # the sensor noise after the band's smoothing (visibility's unit)
        self.band_noise_var = 0.0          # what the sensor noise leaves in the band: its variance there
        self.band_kpa = 0.0                # the band-passed pressure now
        self.rebased_t = -1.0              # when the band was last restarted (no breath seen then)
        self.inhaling = False
        self.last_flip_t = 0.0
        self._fast = self._trend = self._trend2 = 0.0
        self._peak = self._trough = 0.0
        self._mean_square = 0.0
        self._learnt_s = 0.0
        self._warm = False                 # the warm-up is over: an outlier is clamped from now on
        self._t = -1.0
        self._last_inhale_t = -1.0
        self._spacings = 0                 # breath spacings the period has learnt from (a later warm-up
                                           # keeps them, as it keeps the period)
        self._tuned = Resonator(TUNED_Q)
        self.tuned_kpa = 0.0               # the band tuned to the breathing rate
        self.tuned_power = 0.0             # learnt: its mean square at rest, less noise
        self.tuned_noise_kpa = 0.0         # what the sensor noise leaves in it
        self._tuned_square = 0.0
        self.resting = RestPower()         # learnt: the resting breaths' power, robustly (see above)
        self.unit = UnitBreath(smooth_tau_s, trend_tau_s)   # what the tuned band shows of a steady breath
        self._white_kpa2_s = 0.0           # the sensor noise's variance x sample spacing
        # worked out here, outside sampling: once a process, a few ms (some 13 ms on a Pi Zero:
        # inside a sample, the first session after the device started would wait for them)
        self._bandwidths_hz = _tuned_bandwidths_hz(smooth_tau_s, trend_tau_s, TUNED_Q)
        self._noise_share = _band_noise_share(smooth_tau_s, trend_tau_s)

    @property
    def rate_bpm(self) -> float:
        return 60.0 / self.period_s

    @property
    def visible(self) -> bool:
        """The breaths stand clear of the noise: a missing one means something."""
        return self.size_kpa >= HOLD_VISIBLE_K * self.band_noise_kpa

    def _set_tuned_noise(self) -> None:
        """What the sensor noise leaves in the tuned band at the period now: white noise's
        one-sided density 2 s^2 dt over the chain's noise bandwidth (interpolated between
        NOISE_PERIODS_S) -- about a third of what the resonator alone would let through:
        the band before it has taken the rest."""
        periods, widths = NOISE_PERIODS_S, self._bandwidths_hz
        period_s = min(max(self.period_s, periods[0]), periods[-1])
        x = (period_s - periods[0]) / (periods[1] - periods[0])
        i = min(int(x), len(periods) - 2)
        width_hz = widths[i] + (widths[i + 1] - widths[i]) * (x - i)
        self.tuned_noise_kpa = (2.0 * self._white_kpa2_s * width_hz) ** 0.5

    def start(self, t: float, kpa: float) -> None:
        """Begin afresh (the start of a warm-up)."""
        self._t = self.last_flip_t = t
        self._fast = self._trend = kpa
        self._trend2 = 0.0
        self.rebased_t = t
        self._peak = self._trough = 0.0
        self._mean_square = 0.0
        self._learnt_s = 0.0
        self._warm = False
        self.size_kpa = self.power = self.band_kpa = 0.0
        self._last_inhale_t = -1.0
        self._tuned.reset()
        self.tuned_kpa = self.tuned_power = self._tuned_square = 0.0
        self.resting.reset()
        self.unit.reset()

    def end_warmup(self) -> None:
        """The warm-up, in which the user was asked to sit still, is over: what it saw was rest,
        and from now on a sample far off the breathing learnt so far is clamped (a bear-down
        seconds after the warm-up doubled the size learnt, and with it the lift thresholds, for
        the next 100 s: the push's rise is rest until the push is recognised)."""
        self._warm = True

    def resume(self, t: float, kpa: float) -> None:
        """Go on after a gap in the samples at `t`: the band starts again from `kpa`; the
        breathing learnt (size, period) is kept."""
        self._t = t
        self.rebase(kpa)
        self._last_inhale_t = -1.0

    def rebase(self, level_kpa: float) -> None:
        """The pressure is stepping (a lift or a push begins or ends, a held lift falls again;
        `level_kpa`: where it is now): restart the band from here, so the step does not ring
        through as a breath."""
        self._fast = self._trend = level_kpa
        self._trend2 = 0.0
        self.rebased_t = self._t
        self._tuned.reset()
        self.unit.restart()
        self.resting.busy()

    def set_noise(self, noise_kpa: float, dt_s: float) -> None:
        self.band_noise_kpa = noise = noise_kpa * noise_gain(self.smooth_tau_s, dt_s)
        self.band_noise_var = noise * noise * self._noise_share
        self._white_kpa2_s = noise_kpa * noise_kpa * dt_s
        self.unit.set_spacing(dt_s)
        self._set_tuned_noise()

    def step(self, t: float, kpa: float, at_rest: bool, quiet: bool | None = None) -> None:
        """One sample: `at_rest`, settled rest (the size and powers learn from it); `quiet`
        (`at_rest` unless told), nothing but the breathing moves the floor now, settled or not
        (the period learns from a spacing whose closing inhale is quiet: in a session of
        exercises the floor is seldom settled; a lift begun within the spacing restarted the
        band, which keeps that spacing out)."""
        dt = t - self._t
        if dt <= 0.0:
            return
        self._t = t
        if dt > 0.5:
            dt = 0.5
        fast = self._fast
        fast = self._fast = fast + (kpa - fast) * (dt / (self.smooth_tau_s + dt))
        k = dt / (self.trend_tau_s + dt)
        trend = self._trend
        trend = self._trend = trend + (fast - trend) * k
        high = fast - trend
        trend2 = self._trend2
        trend2 = self._trend2 = trend2 + (high - trend2) * k
        self.band_kpa = x = high - trend2
        tuned = self.tuned_kpa = self._tuned.step(x, dt, 1.0 / self.period_s)
        self.unit.step(dt, 1.0 / self.period_s)
        noise = self.band_noise_kpa
        if at_rest:
            learnt_s = self._learnt_s = self._learnt_s + dt
            tau = self.size_tau_s if learnt_s > self.size_tau_s else learnt_s
            k = dt / (tau + dt)
            clamped = self._warm or learnt_s > tau      # (past the first tau too, without a warm-up)
            mean_square = self._mean_square = _learn_square(self._mean_square, x * x, k, clamped)
            power = mean_square - noise * noise
            self.power = power = power if power > 0.0 else 0.0
            self.size_kpa = (8.0 * power) ** 0.5
            tuned_square = self._tuned_square = _learn_square(self._tuned_square, tuned * tuned, k, clamped)
            tuned_noise = self.tuned_noise_kpa
            power = tuned_square - tuned_noise * tuned_noise
            self.tuned_power = power if power > 0.0 else 0.0
            self.resting.rest(x * x, dt, self.period_s, noise * noise, self.power)
        else:
            self.resting.busy()
        swing = self.swing_k * self.size_kpa
        floor = self.noise_k * noise
        if swing < floor:
            swing = floor
        if self.inhaling:
            if x > self._peak:
                self._peak = x
            elif x < self._peak - swing:
                self.inhaling = False
                self._trough = x
                self.last_flip_t = t
        else:
            if x < self._trough:
                self._trough = x
            elif x > self._trough + swing:
                self.inhaling = True
                clear = self._peak - self._trough >= 0.5 * self.size_kpa
                self._peak = x
                if (at_rest if quiet is None else quiet) and clear \
                        and self._last_inhale_t - self.rebased_t >= self.trend_tau_s:
                    period = t - self._last_inhale_t
                    if self.min_period_s < period < self.max_period_s \
                            and 0.5 * self.period_s < period < 2.0 * self.period_s:
                        spacings = self._spacings = self._spacings + 1
                        gain = 1.0 / (spacings + 1)
                        self.period_s += (period - self.period_s) * (gain if gain > PERIOD_GAIN else PERIOD_GAIN)
                        self._set_tuned_noise()
                self._last_inhale_t = t
                self.last_flip_t = t

    @property
    def rest_power(self) -> float:
        """The resting breaths' power a held breath is judged against (`RestPower`)."""
        return self.resting.power


class RestPower:
    """The resting breaths' power in the band, robustly: the mean of its mean square over the
    last REST_WINDOWS windows of WINDOW_PERIODS breath periods of rest each, less the noise's
    variance, without the windows over WINDOW_OUTLIER_K times their median.

    A window fills with rest only: it pauses while the floor is busy (`busy()`), so the short
    rests between lifts add up, and takes rest in blocks of at most REST_BLOCK_S (a whole
    number of them to the window), each once the next is whole -- at `busy()` the block under
    way and the one before are dropped, the moments of a lift begun before the analysis saw it.
    `power` is brought up to date as each block ends; until REST_WINDOWS_MIN windows are in,
    it is the running mean the caller passes."""

    __slots__ = ("power", "_median", "_window_square", "_window_s", "_blocks", "_blocks_needed",
                 "_block_len_s", "_block_square", "_block_s", "_held_square", "_held_s")

    def __init__(self) -> None:
        self._median = RunningMedian(REST_WINDOWS)
        self.reset()

    def reset(self) -> None:
        self.power = 0.0
        self._median.reset()
        self._window_square = self._window_s = self._block_len_s = 0.0
        self._blocks = self._blocks_needed = 0
        self._block_square = self._block_s = self._held_square = self._held_s = 0.0

    def busy(self) -> None:
        """The floor is not at rest (or the band restarted): the last moments of rest go."""
        if self._block_s or self._held_s:
            self._block_square = self._block_s = self._held_square = self._held_s = 0.0

    def rest(self, square: float, dt: float, period_s: float, noise_var: float, mean_power: float) -> None:
        """One sample at rest: the band's `square`, over `dt`; `mean_power` is the running mean."""
        self._block_square += square * dt
        block_s = self._block_s = self._block_s + dt
        if block_s >= self._block_len_s:
            self._end_block(period_s, noise_var, mean_power)

    def _end_block(self, period_s: float, noise_var: float, mean_power: float) -> None:
        median = self._median
        if not self._blocks_needed:                     # the first sample since reset(): no block yet
            self._next_window(period_s)
            return
        if self._held_s:                                # the block before joins the window
            self._window_square += self._held_square
            self._window_s += self._held_s
            self._blocks += 1
            if self._blocks >= self._blocks_needed:
                median.add(self._window_square / self._window_s)     # (noise and all: the rule is
                                                                     # on what the band shows)
                self._next_window(period_s)
        self._held_square, self._held_s = self._block_square, self._block_s
        self._block_square = self._block_s = 0.0
        power = median.mean_up_to(WINDOW_OUTLIER_K * median.value) - noise_var \
            if median.count >= REST_WINDOWS_MIN else mean_power
        self.power = power if power > 0.0 else 0.0

    def _next_window(self, period_s: float) -> None:
        """An empty window, of WINDOW_PERIODS breath periods cut into whole blocks."""
        window_s = WINDOW_PERIODS * period_s
        self._blocks_needed = blocks = math.ceil(window_s / REST_BLOCK_S)
        self._block_len_s = window_s / blocks
        self._window_square = self._window_s = 0.0
        self._blocks = 0


def _learn_square(mean_square: float, square: float, k: float, clamped: bool) -> float:
    """One step of a mean square learnt at rest (`k`: the step's share), a sample at most
    OUTLIER_SQUARE_K x the mean so far once `clamped` (a sigh or a jolt cannot inflate it)."""
    if clamped and square > OUTLIER_SQUARE_K * mean_square:
        square = OUTLIER_SQUARE_K * mean_square
    return mean_square + (square - mean_square) * k


class HoldMean:
    """A hold's power from its 0.1 s bins of band power (`begin(t)` .. `end()`), from
    HOLD_WHOLE_SKIP_S after it began (the lift settling) and without its last
    HOLD_WHOLE_TAIL_S: a bin joins through a delay line that long, so at the release the bins
    of its first moments are still in the line, never counted. A bin that cannot tell (-1) and
    a gap in the samples count as unwatched. Beside each bin the share of a steady breath's
    power the band showed there (`UnitBreath`; 1 where the band is taken whole)."""

    __slots__ = ("start_t", "_ps_sum", "_ss_sum", "_valid", "_count", "_line", "_shares", "_head", "_n")

    def __init__(self, bin_s: float) -> None:
        self._line = array("d", bytes(8 * round(HOLD_WHOLE_TAIL_S / bin_s)))
        self._shares = array("d", self._line)
        self.begin(-1.0)               # nothing seen: power() says it cannot tell

    def begin(self, t: float) -> None:
        self.start_t = t
        self._ps_sum = self._ss_sum = 0.0
        self._valid = self._count = self._n = self._head = 0

    def end(self) -> None:
        """No hold under way (`start_t` -1)."""
        self.start_t = -1.0

    def add(self, t: float, value: float, share: float) -> None:
        if t < self.start_t + HOLD_WHOLE_SKIP_S:
            return
        line, head = self._line, self._head
        if self._n == len(line):
            old = line[head]
            self._count += 1
            if old >= 0.0:
                old_share = self._shares[head]
                self._ps_sum += old * old_share
                self._ss_sum += old_share * old_share
                self._valid += 1
        else:
            self._n += 1
        line[head] = value
        self._shares[head] = share
        self._head = head + 1 if head + 1 < len(line) else 0

    def unwatched(self, bins: int) -> None:
        """`bins` lost to a gap in the samples, if a hold is under way."""
        if self.start_t >= 0.0:
            self._count += bins

    def power(self) -> float:
        """The power a steady breath would have shown over the hold so far: the least-squares
        fit of its bins to that power times their share (the bins' mean where the share is 1
        throughout; the bins where the band had barely built up weigh little, so what else is in
        them -- the lift settling, its wavering -- is not scaled up); -1 when too little of the
        hold could tell (MIN_SEEN)."""
        count = self._count
        if not count or self._valid < MIN_SEEN * count or self._ss_sum <= 0.0:
            return -1.0
        return self._ps_sum / self._ss_sum


class BreathHoldDetector:
    """Raises BREATH_HOLD when the breathing's power fades for `HOLD_MISSED` periods;
    completes it when the breathing is back. Judges a shorter hold whole at its release."""

    BIN_S = 0.1
    SPAN_S = 20.0
    __slots__ = ("log", "breath", "hold", "judged_t", "_bins", "_n", "_head", "_sum", "_count", "_bin_end_t",
                 "_lo", "_hi", "_tuned_sum", "_unit_sum", "_faded_t", "_faded_start", "_raised_t", "_whole",
                 "_whole_tuned")

    def __init__(self, log: EventLog, breath: BreathTracker) -> None:
        self.log = log
        self.breath = breath
        self._bins = array("d", bytes(8 * int(self.SPAN_S / self.BIN_S)))
        self._whole = HoldMean(self.BIN_S)
        self._whole_tuned = HoldMean(self.BIN_S)
        self.reset()

    def reset(self) -> None:
        self.hold: Event | None = None
        self.judged_t = -1.0         # when a hold was last judged whole at its release, held or not
        self._n = 0                 # bins filled (capped)
        self._head = -1
        self._sum = self._tuned_sum = self._unit_sum = 0.0
        self._count = 0
        self._bin_end_t = -1.0
        self._lo = self._hi = 0.0
        self._faded_t = -1.0         # since when the breathing has been faded (-1: it is not)
        self._faded_start = 0.0
        self._raised_t = -1.0        # when a held breath was last flagged
        self._whole.end()
        self._whole_tuned.end()

    def _recent_power(self, span_s: float) -> float:
        """Mean square of the band over the last `span_s` (whole bins), leaving out bins in
        which the band was restarted or the reading stood still; -1 when too few bins are
        left to tell."""
        n = int(span_s / self.BIN_S)
        if n > self._n:
            n = self._n
        bins, size = self._bins, len(self._bins)
        i, total, valid = self._head, 0.0, 0
        for _ in range(n):
            value = bins[i]
            if value >= 0.0:
                total += value
                valid += 1
            i = i - 1 if i else size - 1
        return total / valid if n and valid >= MIN_SEEN * n else -1.0

    def step(self, t: float, kpa: float, holding_floor: bool) -> None:
        """One sample, the reading `kpa`; `holding_floor`: a contraction is under way (a held
        breath is flagged only then: the brochures' "adem rustig door" is about the hold)."""
        breath = self.breath
        x = breath.band_kpa
        self._sum += x * x
        x = breath.tuned_kpa
        self._tuned_sum += x * x
        self._unit_sum += breath.unit.share
        self._count += 1
        if kpa < self._lo:
            self._lo = kpa
        elif kpa > self._hi:
            self._hi = kpa
        if t < self._bin_end_t:
            return
        if self._bin_end_t < 0.0:                 # the first sample opens the first bin
            self._bin_end_t = t + self.BIN_S
            return
        self._bin_end_t += self.BIN_S
        if self._bin_end_t < t:                   # a gap in the samples: unwatched, in a hold too
            lost = int((t - self._bin_end_t) / self.BIN_S) + 1
            self._whole.unwatched(lost)
            self._whole_tuned.unwatched(lost)
            self._bin_end_t = t + self.BIN_S
        self._head = (self._head + 1) % len(self._bins)
        restarted = breath.rebased_t > self._bin_end_t - 2.0 * self.BIN_S
        # a reading that stands still (the lift took the cushion to the sensor's end of range,
        # or the sensor stuck) shows no breathing, held or not: no evidence either way
        still = self._hi == self._lo
        blind = restarted or still
        value = self._bins[self._head] = -1.0 if blind else self._sum / self._count
        tuned = -1.0 if blind else self._tuned_sum / self._count
        share = self._unit_sum / self._count
        self._sum = self._tuned_sum = self._unit_sum = 0.0
        self._count = 0
        self._lo = self._hi = kpa
        if self._n < len(self._bins):
            self._n += 1
        whole, whole_tuned = self._whole, self._whole_tuned
        if not holding_floor:
            whole.end()
            whole_tuned.end()
        elif whole.start_t < 0.0:
            whole.begin(t)
            whole_tuned.begin(t)
        else:
            whole.add(t, value, 1.0)              # the breathing band: taken whole (UnitBreath)
            whole_tuned.add(t, tuned, share)
        self._check(t, holding_floor)

    def released(self, t: float, drop_kpa: float) -> None:
        """The floor lets go of a contraction that lifted it `drop_kpa` at most (the release
        seen at `t`): judge the hold whole."""
        whole, whole_tuned = self._whole, self._whole_tuned
        hold_t = whole.start_t
        breath = self.breath
        if (t - hold_t >= HOLD_PERIODS * breath.period_s and drop_kpa <= TUNED_LIFT_K * breath.size_kpa
                and breath.tuned_power > 0.0):
            judged, resting, noise = whole_tuned, breath.tuned_power, breath.tuned_noise_kpa ** 2
        else:
            judged, resting, noise = whole, breath.rest_power, breath.band_noise_var
        power = judged.power()
        whole.end()
        whole_tuned.end()
        if (hold_t < 0.0 or power < 0.0 or self.hold is not None or self._raised_t >= hold_t
                or not breath.visible or resting <= 0.0 or t - hold_t < HOLD_WHOLE_PERIODS * breath.period_s):
            return
        self.judged_t = t
        if power - noise >= HOLD_POWER * resting:
            return
        start = hold_t + HOLD_WHOLE_SKIP_S
        event = self.log.raise_(Event(BREATH_HOLD, start, t))
        event.end = t - HOLD_WHOLE_TAIL_S
        event.metrics = {"duration_s": event.end - start, "at_release": 1.0}
        self._raised_t = t
        self.log.complete(event)

    def _check(self, t: float, holding_floor: bool) -> None:
        breath = self.breath
        noise = breath.band_noise_var
        if self.hold is not None:
            power = self._recent_power(0.5 * breath.period_s)
            if power >= 0.0 and power - noise > RESUME_POWER * breath.rest_power:
                event = self.hold
                end = t - 0.25 * breath.period_s       # the breathing came back before its power did
                event.end = end if end > event.start else event.start
                event.metrics = {"duration_s": event.end - event.start, "at_release": 0.0}
                self.hold = None
                self.log.complete(event)
            return
        window_s = HOLD_MISSED * breath.period_s
        if not holding_floor or not breath.visible or self._n * self.BIN_S < window_s + breath.period_s:
            self._faded_t = -1.0
            return
        power = self._recent_power(window_s)
        # the noise's share of a window's mean square varies by sqrt(2 tau / window) of itself (the
        # band's smoothing tau): a noisy window must be faded by that much more to count
        sure = SURE_SE * (2.0 * breath.smooth_tau_s / window_s) ** 0.5
        if not (power >= 0.0 and power - noise * (1.0 - sure) < HOLD_POWER * breath.rest_power):
            self._faded_t = -1.0
            return
        if self._faded_t < 0.0:              # faded: it must stay so for HOLD_CONFIRM periods (a dip does not)
            self._faded_t = t
            self._faded_start = max(breath.last_flip_t, t - window_s) + 0.25 * breath.period_s
        if t - self._faded_t >= HOLD_CONFIRM * breath.period_s:
            self._faded_t = -1.0
            self.hold = self.log.raise_(Event(BREATH_HOLD, min(self._faded_start, t), t))
            self._raised_t = t
