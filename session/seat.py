"""The sitting-bone loads: is somebody seated, how do the loads move, and which
movements are the buttocks or a change of posture rather than the floor.

The loads are calibrated in kg by the load cells, whatever the air cushion's gain, so
these thresholds are physical ones: a person's weight on a seat.
"""

from __future__ import annotations

import math

from session.events import GLUTE, POSTURE, Event, EventLog
from session.filters import MAX_GAP_S, History

SEAT_CONFIRM_S = 1.0    # sitting or standing is confirmed once the load has said so this long
SIT_KG = 15.0           # somebody sits: the seat's load (both sides) above this
STAND_KG = 8.0          # ... and stands up: below this
REST_KEPT_S = 1.5       # the seat's resting levels are kept this long back (a cough is over within 0.6 s) ...
REST_KEPT_EVERY_S = 0.02    # ... one every this long


class SeatDetector:
    """Seated or not, with hysteresis: sitting is confirmed when the total seat load has
    stayed above `sit_kg` for `confirm_s`, standing when it has stayed below `stand_kg`
    for `confirm_s`; in between the last state holds, so shifting weight never toggles it."""

    __slots__ = ("sit_kg", "stand_kg", "confirm_s", "seated", "_since_s")

    def __init__(self, *, sit_kg: float = SIT_KG, stand_kg: float = STAND_KG, confirm_s: float = SEAT_CONFIRM_S,
                 seated: bool = False) -> None:
        self.sit_kg = sit_kg
        self.stand_kg = stand_kg
        self.confirm_s = confirm_s
        self.seated = seated
        self._since_s: float | None = None

    def standing(self, left_kg: float, right_kg: float) -> bool:
        """The loads are those of someone standing (below `stand_kg` together), confirmed or not."""
        return left_kg + right_kg < self.stand_kg

    def update(self, t_s: float, left_kg: float, right_kg: float) -> bool:
        """Feed the loads at time `t_s`; returns whether the user is (confirmed) seated."""
        load_kg = left_kg + right_kg         # (`standing()`'s rule, written out: called every sample)
        other_side = load_kg < self.stand_kg if self.seated else load_kg > self.sit_kg
        if not other_side:
            self._since_s = None
        elif self._since_s is None:
            self._since_s = t_s
        elif t_s - self._since_s >= self.confirm_s:
            self.seated = not self.seated
            self._since_s = None
        return self.seated


class SeatTracker:
    """How the two sitting-bone loads move against their resting levels, sample by sample.

    Each side is smoothed (`fast_tau_s`) into `load_left_kg` and `load_right_kg`; its
    resting level is snapped to the smoothed load once the loads have been steady (each
    changing less than `steady_kg_s`, rate averaged over `rate_tau_s` so that sensor noise
    does not count) for `steady_s`, so a new posture becomes the new rest. `left_dev_kg`
    and `right_dev_kg` are the deviations from rest: both negative together is the body
    lifted off the sitting bones (the buttocks squeezed, or leaning forward), opposite
    signs are a lean to one side. `moving`: the loads are off their resting levels by more
    than `moving_kg` in all, or both together by more than `unloading_kg` (the body lifting
    or settling: a side-to-side sway, which moves them apart, never adds up to that). A
    sideways fidget -- up to a kilogram moved across -- is not moving: the floor's work goes
    on being read through it. `at_rest_t`: when the loads were last within `stir_kg` of
    rest (or a gap in the samples ended), so that a movement is timed from when it began,
    not from when it grew large. `steady_since_t`: since when both loads have been steady
    (after a `restore_rest`, no sooner than its hold allows).
    `shifting`: weight is moving across the seat just now, from one sitting bone to the
    other faster than `shift_kg_s` (the two sides' rates apart by twice that): a lean to one
    side under way, before it has moved enough to count as moving -- the perineal pressure
    changes with it. `still_since_t`: since when each smoothed load has stayed within
    `still_kg` of where it was then -- a movement's loads have arrived (sooner than
    `steady_since_t`, whose rates lag by `rate_tau_s`). `unloading`: both sides have lost
    load, more than `squeeze_kg` together -- too little to be moving, enough for a squeeze
    of the buttocks where the perineal pressure falls with it (`SeatMoveDetector`).
    `restore_rest(t, hold_s)` takes the resting levels back to what they were at `t` (within the
    last `REST_KEPT_S`, and only if they were following steady loads then) and keeps them from
    following the loads for `hold_s` (`steady_since_t` moves on to allow no sooner): the rates
    lag by about `rate_tau_s`, so the start of a cough's jerk of the trunk is learnt as rest
    before they call the loads unsteady, and the loads back where they were would then be off
    rest.
    A step is O(1) and allocates nothing.
    """

    __slots__ = ("fast_tau_s", "rate_tau_s", "steady_kg_s", "steady_s", "moving_kg", "unloading_kg",
                 "stir_kg", "shift_kg_s", "still_kg", "still_since_t", "load_left_kg", "load_right_kg", "left_dev_kg", "right_dev_kg", "moving",
                 "unloading", "squeeze_kg", "shifting", "at_rest_t", "steady_since_t", "_rate_left", "_rate_right", "_rest_left", "_rest_right", "_still_left",
                 "_still_right", "_t", "_rest_left_kept", "_rest_right_kept", "_snapped_t", "_snapping_since_t")

    def __init__(self, *, fast_tau_s: float = 0.08, rate_tau_s: float = 0.5, steady_kg_s: float = 0.5,
                 steady_s: float = 3.0, moving_kg: float = 2.0, unloading_kg: float = 0.6,
                 stir_kg: float = 0.5, shift_kg_s: float = 0.5, still_kg: float = 0.2,
                 squeeze_kg: float = 0.4) -> None:
        self.fast_tau_s = fast_tau_s
        self.rate_tau_s = rate_tau_s
        self._rate_left = self._rate_right = 0.0
        self.steady_kg_s = steady_kg_s
        self.steady_s = steady_s
        self.moving_kg = moving_kg
        self.unloading_kg = unloading_kg
        self.squeeze_kg = squeeze_kg
        self.unloading = False
        self.stir_kg = stir_kg
        self.shift_kg_s = shift_kg_s
        self.still_kg = still_kg
        self.still_since_t = 0.0
        self._still_left = self._still_right = 0.0
        self.shifting = False
        self.at_rest_t = 0.0
        self.left_dev_kg = self.right_dev_kg = 0.0
        self.moving = False
        self.load_left_kg = self.load_right_kg = 0.0
        self._rest_left = self._rest_right = 0.0
        self._t = -1.0
        self.steady_since_t = 0.0
        self._rest_left_kept = History(REST_KEPT_S, REST_KEPT_EVERY_S)
        self._rest_right_kept = History(REST_KEPT_S, REST_KEPT_EVERY_S)
        self._snapped_t = -1.0              # when the rest last followed steady loads ...
        self._snapping_since_t = math.inf   # ... and since when it had followed them without a break

    def restore_rest(self, t: float, hold_s: float) -> None:
        """The resting levels as they were at `t` (as they are, if that is not kept) -- if they
        were then following steady loads (a rest learnt only since is a new posture's). They
        do not follow the loads again for `hold_s` from now (a jerk too slow for the rates,
        still under way, would be learnt again at once), and the levels kept since `t` become
        the restored ones (a second cough soon after takes back the same). Not O(1): once a
        cough."""
        if not self._snapping_since_t <= t <= self._snapped_t:
            return
        left, right = self._rest_left_kept, self._rest_right_kept
        self._rest_left = rest_left = left.value_at(t, self._rest_left)
        self._rest_right = rest_right = right.value_at(t, self._rest_right)
        left.overwrite_since(t, rest_left)
        right.overwrite_since(t, rest_right)
        held_since_t = self._t + hold_s - self.steady_s
        if held_since_t > self.steady_since_t:
            self.steady_since_t = held_since_t

    @property
    def unloaded_share(self) -> float:
        """The share of the two sides' resting load gone (> 0: lifted off the sitting bones)."""
        resting_kg = self._rest_left + self._rest_right
        return self.unloaded_kg / resting_kg if resting_kg > 0.0 else 0.0

    @property
    def unloaded_kg(self) -> float:
        """How much load both sides lost together (> 0: lifted off the sitting bones)."""
        return -(self.left_dev_kg + self.right_dev_kg)

    def rising_off(self, share: float, share_per_s: float) -> bool:
        """The body rising off the seat: more than `share` of the resting load of the two sides
        together gone, and going still faster than `share_per_s` of it a second (standing up, or
        leaning forward, not a posture that has settled)."""
        resting_kg = self._rest_left + self._rest_right
        return (resting_kg > 0.0 and self.unloaded_kg > share * resting_kg
                and -(self._rate_left + self._rate_right) > share_per_s * resting_kg)

    @property
    def lateral_kg(self) -> float:
        """Load moved from the right to the left sitting bone."""
        return (self.left_dev_kg - self.right_dev_kg) / 2.0

    def step(self, t: float, left_kg: float, right_kg: float) -> None:
        if self._t < 0.0:
            self._t = self.steady_since_t = self.still_since_t = t
            self.load_left_kg = self._rest_left = self._still_left = left_kg
            self.load_right_kg = self._rest_right = self._still_right = right_kg
            return
        last_t = self._t
        dt = t - last_t
        self._t = t
        if dt <= 0.0:
            return
        if dt > MAX_GAP_S:                 # nothing is known of the loads in a gap
            self.at_rest_t = self.still_since_t = t
        k = dt / (self.fast_tau_s + dt)
        left, right = self.load_left_kg, self.load_right_kg
        dl = (left_kg - left) * k
        dr = (right_kg - right) * k
        self.load_left_kg = left = left + dl
        self.load_right_kg = right = right + dr
        limit = self.still_kg
        if not (-limit < left - self._still_left < limit and -limit < right - self._still_right < limit):
            self._still_left, self._still_right = left, right
            self.still_since_t = t
        k = dt / (self.rate_tau_s + dt)
        rate_left, rate_right = self._rate_left, self._rate_right
        self._rate_left = rate_left = rate_left + (dl / dt - rate_left) * k
        self._rate_right = rate_right = rate_right + (dr / dt - rate_right) * k
        across = rate_left - rate_right
        self.shifting = (across if across > 0 else -across) > 2.0 * self.shift_kg_s
        limit = self.steady_kg_s
        if -limit < rate_left < limit and -limit < rate_right < limit:
            if t - self.steady_since_t >= self.steady_s:
                self._rest_left, self._rest_right = left, right
                if self._snapped_t != last_t:
                    self._snapping_since_t = t
                self._snapped_t = t
        else:
            self.steady_since_t = t
        if t >= self._rest_left_kept.due_s:
            self._rest_left_kept.push(t, self._rest_left)
            self._rest_right_kept.push(t, self._rest_right)
        self.left_dev_kg = dl = left - self._rest_left
        self.right_dev_kg = dr = right - self._rest_right
        together = dl + dr
        off = (dl if dl > 0 else -dl) + (dr if dr > 0 else -dr)
        if off <= self.stir_kg:
            self.at_rest_t = t
        self.moving = off > self.moving_kg or (together if together > 0 else -together) > self.unloading_kg
        self.unloading = dl < 0.0 and dr < 0.0 and together < -self.squeeze_kg


class SeatMoveDetector:
    """Glute and posture events from the sitting-bone loads.

    A movement is confirmed when the loads have been off rest (`SeatTracker.moving`) for
    `confirm_s`, and timed from when the loads left rest (`SeatTracker.at_rest_t`, at most
    `began_within_s` earlier): both sides unloading together (the smaller at least `glute_balance` of
    the larger) with the perineal pressure not risen by more than `rise_kpa` since before the
    movement is the buttocks squeezed (GLUTE), anything else a posture shift (POSTURE). A contraction that began with it (up to
    `lift_lead_s` before) was the same movement, not the floor: the analyzer retracts it.
    The event ends once the loads have been back or settled for `end_s`; after a posture
    shift the new level is the new rest.
    """

    def __init__(self, log: EventLog, *, confirm_s: float = 0.2, lift_lead_s: float = 0.7,
                 glute_lead_s: float = 1.5, end_s: float = 0.3,
                 glute_balance: float = 0.4, began_within_s: float = 1.0) -> None:
        self.log = log
        self.confirm_s = confirm_s
        self.began_within_s = began_within_s
        self.lift_lead_s = lift_lead_s
        self.glute_lead_s = glute_lead_s
        self.end_s = end_s
        self.glute_balance = glute_balance
        self.reset()

    def reset(self) -> None:
        self.event = None           # the movement under way, if any
        self.moving_since_t = -1.0  # when the loads began to move (-1: they are still)
        self._ignored_t = -1.0      # the last moment the loads' moving was not the user's
        self._quiet_since = -1.0

    def ignore(self, t: float) -> None:
        """The loads moving at `t` are not a movement of the user's own (a cough's jerk): a
        movement not yet confirmed is forgotten, and one that follows begins after it."""
        self.moving_since_t = -1.0
        self._ignored_t = t

    def step(self, t: float, seat: SeatTracker, kpa: float, history, rise_kpa: float, t0: float,
             lifted: bool = False) -> Event | None:
        """One sample (`kpa`: the smoothed perineal pressure; `history`: its recent past, a
        `session.filters.History`; `rise_kpa`: more than this above its level before the
        movement is the weight going onto the perineum). Returns the movement's event when it
        is confirmed (its `end` still None) and again when it is over. While the seat is still,
        no movement is under way and `moving_since_t` < 0, a step changes nothing: the caller
        may skip it. `lifted`: the floor seems lifted (a contraction under way): then both sides
        unloading (`SeatTracker.unloading`), too little to be moving, is confirmed too -- as a
        squeeze only -- and such a squeeze lasts as long as they stay unloaded."""
        event = self.event
        if event is None:
            squeezing = not seat.moving and seat.unloading and lifted
            if not (seat.moving or squeezing):
                self.moving_since_t = -1.0
                return None
            since = self.moving_since_t
            if since < 0.0:
                self.moving_since_t = t
                return None
            if t - since < self.confirm_s:
                return None
            dl, dr = seat.left_dev_kg, seat.right_dev_kg
            balanced = dl < 0.0 and dr < 0.0 and max(dl, dr) <= self.glute_balance * min(dl, dr)
            # it began before it grew large: when the loads left rest (which a moving seat leaves
            # as it was), at most `began_within_s` earlier and never before a jerk it ignored
            began = max(seat.at_rest_t, since - self.began_within_s, self._ignored_t)
            rose = kpa > history.value_at(began - 0.1, kpa) + rise_kpa
            kind = GLUTE if balanced and not rose else POSTURE
            if squeezing and kind != GLUTE:
                return None                     # (a small unloading is only ever a squeeze)
            self.event = self.log.raise_(Event(kind, max(t0, began - 0.1), t, metrics={
                "unloaded_kg": seat.unloaded_kg, "lateral_kg": seat.lateral_kg}))
            self._quiet_since = -1.0
            return self.event
        if seat.moving or (event.kind == GLUTE and seat.unloading):
            self._quiet_since = -1.0
            return None
        if self._quiet_since < 0.0:
            self._quiet_since = t
            return None
        if t - self._quiet_since < self.end_s:
            return None
        event.end = self._quiet_since
        self.event = None
        self.moving_since_t = -1.0
        self.log.complete(event)
        return event

