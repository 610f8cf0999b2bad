"""Bearing down: pushing the perineum onto the cushion raises the pressure.

A push is raised -- and the device warns at once -- when the smoothed pressure rose
past `WATCH_SHARE` of the push threshold within `rise_window_s` (an inhale, even a deep
one, rises slower), and `confirm_s` later stands above the threshold and, barely
smoothed (`FAST_TAU_S`), still holds `keep_fraction` of its peak: a cough's spike has
collapsed by then (it is left to the cough detector). A held force wavers by 1-4 % (sd) of
itself (force-steadiness studies; more in older and fatigued muscle), so a push's top holds
`keep_fraction` = 92 %, twice the most of that; a cough's spike falls below it sooner than
below the 85 % once asked, which let the confirmation come one analysed sample sooner at the
device's 125 Hz (0.176 s, not 0.184) with fewer flat-topped coughs taken for pushes, not
more. A leap -- more than `SPIKE_SHARE`
of the rise (from its lowest point in the `rise_window_s` before the candidate) made
within `SPIKE_RISE_S`: a cough's 50 ms, where a voluntary push takes 0.15 s or more to
build up -- holds that confirmation back until `LEAP_SETTLE_S` after it, when a spike
has fallen: a cough on top of the deep breath before it would otherwise pass for a push
caught mid-rise or just past its peak. So does a reading at or above the sensor's rated
top (`SENSOR_TOP_KPA`): there the sensor saturates, a hard cough's spike is cut off and its
peak and fall cannot be seen. Anything above the threshold for `sustain_s` -- and still
there barely smoothed: a huge spike's smoothed tail outlasts it -- is a push whatever its
shape -- and while weight moves across the seat (`shifting`: a lean to one side raises the
pressure with it before the seat counts as moving) only that is. It ends when the pressure
stays below half the threshold for `end_s`; a "push" longer than `max_push_s` is a new
resting level.
"""

from __future__ import annotations

from session.detectability import SENSOR_TOP_KPA, SMOOTH_TAU_S
from session.events import BEAR_DOWN, Event, EventLog
from session.filters import History
from session.lift import ONSET_EXTRAPOLATION
from session.rest import RestTracker

NONE, CANDIDATE, ACTIVE = 0, 1, 2
FAST_TAU_S = 0.01
WATCH_SHARE = 1.0      # a rise past this share of the threshold starts the confirmation clock
SPIKE_RISE_S = 0.05    # a rise that made more than SPIKE_SHARE of itself within this long
SPIKE_SHARE = 0.5      # is a leap: a spike under way, not yet a push ...
LEAP_SETTLE_S = 0.1    # ... until this long after it


class PushDetector:
    __slots__ = ("log", "history", "rise_window_s", "confirm_s", "keep_fraction", "sustain_s", "end_s",
                 "max_push_s", "state", "push", "ended_t", "_since", "_below", "_max", "_next_check_t",
                 "_leap_t", "_low", "_rise_from_t")

    def __init__(self, log: EventLog, history: History, *, rise_window_s: float = 0.6,
                 confirm_s: float = 0.175, keep_fraction: float = 0.92, sustain_s: float = 0.5,
                 end_s: float = 0.2, max_push_s: float = 10.0) -> None:
        self.log = log
        self.history = history
        self.rise_window_s = rise_window_s
        self.confirm_s = confirm_s
        self.keep_fraction = keep_fraction
        self.sustain_s = sustain_s
        self.end_s = end_s
        self.max_push_s = max_push_s
        self.reset()

    def reset(self) -> None:
        self.state = NONE
        self.push: Event | None = None
        self.ended_t = -1e9            # when the last push (or a candidate) was over
        self._since = self._below = -1.0
        self._max = 0.0
        self._next_check_t = -1.0
        self._leap_t = -1e9
        self._low = 0.0                # the lowest point in the rise window before the candidate
        self._rise_from_t = -1e9       # ... which began no sooner than this

    @property
    def pushing(self) -> bool:
        return self.state == ACTIVE

    def step(self, t: float, kpa: float, y: float, y_fast: float, ref_kpa: float, rest: RestTracker,
             push_kpa: float, still: bool, shifting: bool = False, rise_from_t: float = -1e9) -> None:
        """One sample: the reading `kpa`, the smoothed pressure `y` (and `y_fast`, barely
        smoothed: a cough's collapse shows in it at once). With nothing under way (NONE), a step changes nothing
        until the rise above `ref_kpa` exceeds `WATCH_SHARE` x `push_kpa`: the caller may skip it.
        `rise_from_t`: a rise is looked for from no sooner than this (what the pressure did
        before was a posture's, not the floor's)."""
        rise = y - ref_kpa
        peak = y_fast - ref_kpa
        state = self.state
        watch_kpa = WATCH_SHARE * push_kpa
        if state == NONE:
            if rise <= watch_kpa or t < self._next_check_t:
                return
            since_t = t - self.rise_window_s
            low = self._low = self.history.min_since(since_t if since_t > rise_from_t else rise_from_t, y)
            if low < ref_kpa:                             # rising from below rest is letting go of
                low = ref_kpa                             # a lift, not pushing
            if y - low < watch_kpa:                      # rose slowly: breathing or a lean
                self._next_check_t = t + 0.05
                return
            self.state = CANDIDATE
            self._since = t
            self._rise_from_t = rise_from_t
            self._max = peak
            return
        if peak > self._max:
            self._max = peak
        if state == CANDIDATE:
            held_s = t - self._since
            if rise < watch_kpa:
                self.state = NONE                      # a blip, an inhale, or a cough already gone
                self.ended_t = t
                return
            if (kpa >= SENSOR_TOP_KPA or y > self._low
                    and y - self.history.value_at(t - SPIKE_RISE_S, y) > SPIKE_SHARE * (y - self._low)):
                self._leap_t = t
            if still and rise >= push_kpa and (
                    held_s >= self.confirm_s and peak >= self.keep_fraction * self._max
                    and t - self._leap_t >= LEAP_SETTLE_S and not shifting
                    or held_s >= self.sustain_s and peak >= push_kpa):
                self.state = ACTIVE
                self._below = -1.0
                self.push = self.log.raise_(Event(BEAR_DOWN, self._onset(t, y), t))
            return
        if rise < 0.5 * push_kpa:
            if self._below < 0.0:
                self._below = t
            elif t - self._below >= self.end_s:
                self._end(self._below)
        else:
            self._below = -1.0
            if t - self.push.start > self.max_push_s:        # a new resting level, not a push
                rest.baseline_kpa = y
                self._end(t)

    def _onset(self, t: float, y: float) -> float:
        """Where the rise began: extrapolated back from its 20 % and 50 % points."""
        history = self.history
        since_t = self._since - self.rise_window_s
        low = history.min_since(since_t if since_t > self._rise_from_t else self._rise_from_t, y)
        rise = y - low
        t20 = history.last_time_at_or_below(low + 0.2 * rise, t)
        t50 = history.last_time_at_or_below(low + 0.5 * rise, t)
        return t50 - ONSET_EXTRAPOLATION * (t50 - t20) - SMOOTH_TAU_S

    def cancel(self) -> None:
        """A candidate that turned out to be a seat movement is dropped (nothing was raised)."""
        if self.state == CANDIDATE:
            self.state = NONE

    def _end(self, end: float) -> None:
        event = self.push
        event.end = end
        event.metrics = {"peak_rise_kpa": self._max}
        self.push = None
        self.state = NONE
        self.ended_t = end
        self.log.complete(event)
