"""Bearing down: pushing the perineum onto the cushion raises the pressure.

A push is raised -- and the device warns at once -- when the smoothed pressure rose
past `WATCH_SHARE` of the push threshold within `rise_window_s` (an inhale, even a deep
one, rises slower), and `confirm_s` later stands above the threshold and, barely
smoothed (`FAST_TAU_S`), still holds `keep_fraction` of its peak: a cough's spike has
collapsed by then (it is left to the cough detector). A leap -- more than `SPIKE_SHARE`
of the rise (from its lowest point in the `rise_window_s` before the candidate) made
within `SPIKE_RISE_S`: a cough's 50 ms, where a voluntary push takes 0.15 s or more to
build up -- holds that confirmation back until `SPIKE_SETTLE_S` after it, when a spike
has fallen: a cough on top of the deep breath before it would otherwise pass for a push
caught mid-rise or just past its peak. Anything above the threshold for `sustain_s` is
a push whatever its shape -- and while weight moves across the seat (`shifting`: a lean to
one side raises the pressure with it before the seat counts as moving) only that is. It
ends when the pressure stays below half the threshold for `end_s`; a "push" longer than
`max_push_s` is a new resting level. A push made with a lean, whose rise no quick look tells
from the lean's own, is told by its letting go (`MovedPushWatch`).
"""

from __future__ import annotations

from session.detectability import SMOOTH_TAU_S
from session.events import BEAR_DOWN, Event, EventLog
from session.filters import History
from session.lift import ONSET_EXTRAPOLATION
from session.rest import RestTracker

NONE, CANDIDATE, ACTIVE = 0, 1, 2
FAST_TAU_S = 0.01
WATCH_SHARE = 1.0      # a rise past this share of the threshold starts the confirmation clock
SPIKE_RISE_S = 0.05    # a rise that made more than SPIKE_SHARE of itself within this long
SPIKE_SHARE = 0.5      # is a leap: a spike under way, not yet a push ...
SPIKE_SETTLE_S = 0.1   # ... until this long after it


class PushDetector:
    __slots__ = ("log", "history", "rise_window_s", "confirm_s", "keep_fraction", "sustain_s", "end_s",
                 "max_push_s", "state", "push", "ended_t", "_since", "_below", "_max", "_next_check_t",
                 "_leap_t", "_low")

    def __init__(self, log: EventLog, history: History, *, rise_window_s: float = 0.6,
                 confirm_s: float = 0.18, keep_fraction: float = 0.85, sustain_s: float = 0.5,
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

    @property
    def pushing(self) -> bool:
        return self.state == ACTIVE

    def step(self, t: float, y: float, y_fast: float, ref_kpa: float, rest: RestTracker, push_kpa: float,
             still: bool, shifting: bool = False) -> None:
        """One sample of the smoothed pressure `y` (and `y_fast`, barely smoothed: a cough's
        collapse shows in it at once). With nothing under way (NONE), a step changes nothing
        until the rise above `ref_kpa` exceeds `WATCH_SHARE` x `push_kpa`: the caller may skip it."""
        rise = y - ref_kpa
        peak = y_fast - ref_kpa
        state = self.state
        watch_kpa = WATCH_SHARE * push_kpa
        if state == NONE:
            if rise <= watch_kpa or t < self._next_check_t:
                return
            low = self._low = self.history.min_since(t - self.rise_window_s, y)
            if low < ref_kpa:                             # rising from below rest is letting go of
                low = ref_kpa                             # a lift, not pushing
            if y - low < watch_kpa:                      # rose slowly: breathing or a lean
                self._next_check_t = t + 0.05
                return
            self.state = CANDIDATE
            self._since = t
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
            if y > self._low and y - self.history.value_at(t - SPIKE_RISE_S, y) > SPIKE_SHARE * (y - self._low):
                self._leap_t = t
            if still and rise >= push_kpa and (
                    held_s >= self.confirm_s and peak >= self.keep_fraction * self._max
                    and t - self._leap_t >= SPIKE_SETTLE_S and not shifting
                    or held_s >= self.sustain_s):
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
        low = history.min_since(self._since - self.rise_window_s, y)
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


class MovedPushWatch:
    """A push made with a movement of the seat, told by its letting go.

    While weight moves across the seat a rise may be the new posture's own (the push
    detector holds back), and a push begun with the lean raises the pressure as the lean
    does: no rise tells the two apart. The letting go does: a posture's level stays while
    the posture is held, a push's comes back. Armed as a posture movement is confirmed,
    with the level before it (`before_kpa`); while the movement lasts, a rise of at least
    the push threshold, held `held_s` (a cough's spike is shorter), that falls back within
    `fall_s` to within `landed_share` of the threshold of `before_kpa` and stays there for
    `landed_s`, level in its second half (moving less than `flat_share` of the threshold:
    a slow lift passing through moves on), the sitting-bone loads moving less than
    `still_kg` from `settle_s` before the fall on, was a push: raised then, late but not
    lost, from where the rise passed half the threshold. A fall with weight moving is the
    posture going back, and no push; nor is one that goes on through the level before (a
    lift from a level the lean raised) or stops short of it."""

    __slots__ = ("log", "history", "held_s", "fall_s", "landed_s", "landed_share", "flat_share", "still_kg",
                 "settle_s", "armed", "_before_kpa", "_peak_kpa", "_onset_t", "_high_t", "_landed_t", "_loads_t",
                 "_left_kg", "_right_kg", "_earlier_left_kg", "_earlier_right_kg")

    def __init__(self, log: EventLog, history: History, *, held_s: float = 0.5, fall_s: float = 1.0,
                 landed_s: float = 1.0, landed_share: float = 0.3, flat_share: float = 0.25,
                 still_kg: float = 0.5, settle_s: float = 0.3) -> None:
        self.log = log
        self.history = history
        self.held_s = held_s
        self.fall_s = fall_s
        self.landed_s = landed_s
        self.landed_share = landed_share
        self.flat_share = flat_share
        self.still_kg = still_kg
        self.settle_s = settle_s
        self.armed = False
        self._before_kpa = self._peak_kpa = 0.0
        self._onset_t = self._high_t = self._landed_t = -1.0
        self._loads_t = 0.0                                 # the loads a while into the high, and before
        self._left_kg = self._right_kg = self._earlier_left_kg = self._earlier_right_kg = 0.0

    def arm(self, before_kpa: float) -> None:
        self.armed = True
        self._before_kpa = before_kpa
        self._onset_t = self._high_t = self._landed_t = -1.0

    def disarm(self) -> None:
        self.armed = False

    def step(self, t: float, y: float, push_kpa: float, left_kg: float, right_kg: float) -> Event | None:
        """One sample of the smoothed pressure `y` and the loads during the movement; the
        push, once told (raised and completed)."""
        rise = y - self._before_kpa
        if rise >= push_kpa:
            if self._high_t < 0.0:
                self._peak_kpa = rise
                self._onset_t = self._loads_t = t
                self._left_kg = self._earlier_left_kg = left_kg
                self._right_kg = self._earlier_right_kg = right_kg
            elif t - self._loads_t >= self.settle_s:         # loads `settle_s` to twice that ago
                self._earlier_left_kg, self._earlier_right_kg = self._left_kg, self._right_kg
                self._left_kg, self._right_kg, self._loads_t = left_kg, right_kg, t
            if rise > self._peak_kpa:
                self._peak_kpa = rise
            self._high_t = t
            self._landed_t = -1.0
            return None
        high_t = self._high_t
        if high_t < 0.0:
            return None
        near_kpa = self.landed_share * push_kpa
        if not -near_kpa < rise < near_kpa:
            if rise <= -near_kpa or self._landed_t >= 0.0:      # on down past the level, or off it
                self._high_t = self._landed_t = -1.0
            return None
        if self._landed_t < 0.0:
            if high_t - self._onset_t < self.held_s or t - high_t > self.fall_s:
                self._high_t = -1.0
                return None
            self._landed_t = t
        if t - self._landed_t < self.landed_s:
            return None
        self._high_t = self._landed_t = -1.0
        history, since_t = self.history, t - 0.5 * self.landed_s
        if (history.max_since(since_t, y) - history.min_since(since_t, y) > self.flat_share * push_kpa
                or abs(left_kg - self._earlier_left_kg) + abs(right_kg - self._earlier_right_kg) > self.still_kg):
            return None                                        # still falling; or weight moved
        start = history.last_time_at_or_below(self._before_kpa + 0.5 * push_kpa, high_t, before_s=high_t)
        push = self.log.raise_(Event(BEAR_DOWN, start, t, end=high_t, metrics={"peak_rise_kpa": self._peak_kpa}))
        self.log.complete(push)
        return push
