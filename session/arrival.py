"""A posture shift's loads come to rest: the level they came to, and pushes from then on.

A posture movement lasts until its loads have been steady for seconds, and while it lasts the
perineal pressure may be the posture's. But the loads come to rest well before that, and the
perineum with them: from then a rise is the floor's (a push), measured from the level they
came to -- not from the rest before the movement, and not only once the movement is over.

- `PostureArrival`: when the loads arrived and the level they came to;
- `ArrivalPushes`: what a push is measured from, sample by sample, while and after a posture's
  loads arrive, and the rise that was under way as they did.
Both O(1) a sample, no allocation.
"""

from __future__ import annotations

import math

from session.filters import History
from session.push import CANDIDATE, NONE, PushDetector
from session.seat import SeatTracker


class PostureArrival:
    """A posture shift's loads come to rest: since when, and the perineal level they came to.

    The perineum moves with the loads as the pelvis rolls onto it or off it, so once both
    loads have been still (`SeatTracker.still_since_t`) for `arrive_s` the new posture's
    level is there to read: the smoothed pressure's mean over that stretch -- begun no
    sooner than `calm_from_t` (a push or a spike over, and settled) -- and then over as
    long as the floor rests (`quiet`, and no lower than a lift's fall below it), for
    `span_s`, so that it averages over breaths. `arrive_s` is long enough for the
    perineum to settle after the loads (tissue, the pelvis rolling on) before a rise
    counts as the floor's. `ref_kpa`, what a rise is measured from, is at the least the
    level before the movement, or the highest since it began (the slow history's last
    seconds) less a breath's swing. The loads moving again, either by more than `leave_kg`
    from where they arrived, take the arrival back (a push's bracing moves them a few
    tenths of a kilogram: it stays). None is read for the rest of the movement (`refused`)
    where the level moved by more than `steady_kpa` over the stretch it is read from (a
    push or a lift begun as the loads came to rest), or lies that far below `ref_kpa` (a
    lift made as the loads moved: its let-go would rise from it, to about `floor_kpa`)."""

    __slots__ = ("history", "slow_history", "arrive_s", "since_t", "level_kpa", "floor_kpa", "_moved_t",
                 "_before_kpa", "_sum_kpa_s", "span_s", "refused", "leave_kg", "_left_kg", "_right_kg")

    def __init__(self, history: History, slow_history: History, *, arrive_s: float = 0.6,
                 leave_kg: float = 0.5) -> None:
        """`history`, `slow_history`: the smoothed pressure's recent and longer past."""
        self.history = history
        self.slow_history = slow_history
        self.arrive_s = arrive_s
        self.leave_kg = leave_kg
        self._left_kg = self._right_kg = 0.0
        self.begin(-1.0, math.nan)

    def begin(self, moved_t: float, before_kpa: float) -> None:
        """A posture movement begun at `moved_t`, from the level `before_kpa`."""
        self._moved_t = moved_t
        self._before_kpa = before_kpa
        self.refused = False
        self.reset()

    def reset(self) -> None:
        """Not arrived (yet, or any more): nothing read."""
        self.since_t = -1.0            # >= 0: arrived, the loads still since then
        self.level_kpa = self.floor_kpa = math.nan
        self._sum_kpa_s = self.span_s = 0.0

    @property
    def ref_kpa(self) -> float:
        """What a rise since the arrival is measured from."""
        return self.level_kpa if self.level_kpa > self.floor_kpa else self.floor_kpa

    def step(self, t: float, dt: float, seat: SeatTracker, y: float, calm_from_t: float, quiet: bool,
             breath_kpa: float, steady_kpa: float) -> bool:
        """One sample of the movement (`y`: the smoothed pressure; `breath_kpa`: a breath's swing;
        `steady_kpa`: the most the level moves in `arrive_s` with nothing under way, and the least
        a lift falls). True once, as the level is refused lying that much below the level before
        the movement (fallen there as the loads moved or came to rest): a lift is held, and its
        let-go will rise to about `floor_kpa`."""
        if self.refused:
            return False
        if self.since_t >= 0.0:
            limit = self.leave_kg
            if not (-limit < seat.load_left_kg - self._left_kg < limit
                    and -limit < seat.load_right_kg - self._right_kg < limit):
                self.reset()                 # the loads moved again
            elif quiet and y > self.level_kpa - steady_kpa:
                self._sum_kpa_s += y * dt
                self.span_s += dt
                self.level_kpa = self._sum_kpa_s / self.span_s
            return False
        still_since_t = seat.still_since_t
        from_t = still_since_t if still_since_t > calm_from_t else calm_from_t
        if t - from_t < self.arrive_s:
            return False
        history = self.history
        level_kpa = history.mean_between(from_t, t, y)
        peak_kpa = self.slow_history.max_since(self._moved_t, y) - breath_kpa
        floor_kpa = peak_kpa if peak_kpa > self._before_kpa else self._before_kpa
        moving = history.max_since(from_t, y) - history.min_since(from_t, y) > steady_kpa
        if moving or floor_kpa - level_kpa > steady_kpa:
            self.refused = True
            self.floor_kpa = floor_kpa
            # fallen below the level before (now, if still moving): a lift begun as the loads moved
            # or came to rest -- not a push made with the lean and over, which leaves it no lower
            return self._before_kpa - (y if moving else level_kpa) > steady_kpa
        self.since_t = still_since_t
        self._left_kg, self._right_kg = seat.load_left_kg, seat.load_right_kg
        self.span_s = t - from_t
        self.level_kpa = level_kpa
        self._sum_kpa_s = level_kpa * self.span_s
        self.floor_kpa = floor_kpa
        return False


class ArrivalPushes:
    """What a push is measured from while, and after, a posture's loads arrive.

    Only a posture the analyzer marked `counts` (begun calm, the floor resting) is read. Each
    sample `choose()` sets `ref_kpa` (what a rise is measured from), `still` (whether the
    seat is still enough for a push to be confirmed) and `from_t` (a rise is looked for from
    no sooner than this): a push begun from the arrival goes on from its reference after
    the movement is over; with the loads arrived and the floor resting, a rise is measured
    from the level they came to; otherwise from `default_ref_kpa` (the caller's: rest).
    A rise under way as the loads arrive (a push candidate) began as they moved: it is
    dropped, and until the pressure is back down from it -- `down_t`, the time it was --
    the pressure falling is that rise going, no lift; the level read at the arrival may
    have been that rise's (`doubtful`). A lift held through the movement's end rises, let go,
    to the level the loads came to, and one begun as they moved to about the highest they
    reached (and a low floor held until its recovery settled, to the rest it left):
    `hold_let_go()` keeps a rise up to it from being a push, until the pressure has
    been back up there (or above the level it names) for `settle_s` and has not risen within it
    (a rise that old is no push's: `returned_t` is when, and the level there is rest, whatever
    the movement's end took for it -- a fall from it is a lift's again), or for `hold_s` at most
    (longer than a hold).

    `ref_kpa`, `still`, `from_t`: what `choose()` set for this sample."""

    settle_s = 0.6     # a push rises within this (PushDetector.rise_window_s)
    hold_s = 15.0

    __slots__ = ("arrival", "pushes", "counts", "ref_kpa", "still", "from_t", "doubtful", "down_t", "returned_t",
                 "_push_ref_kpa", "_dropped_ref_kpa", "_let_go_kpa", "_back_kpa", "_let_go_until_t", "_back_t",
                 "_default_ref_kpa")

    def __init__(self, arrival: PostureArrival, pushes: PushDetector) -> None:
        self.arrival = arrival
        self.pushes = pushes
        self.reset()

    def reset(self) -> None:
        """Nothing under way: no posture, no push from an arrival, no rise dropped."""
        self.counts = False
        self.doubtful = False
        self.down_t = self.returned_t = -math.inf
        self.ref_kpa = math.nan
        self.still = True
        self.from_t = -math.inf
        self._push_ref_kpa = math.nan      # the reference of a push begun from an arrival
        self._dropped_ref_kpa = math.nan   # a rise dropped at an arrival: what it rose from
        self._let_go_kpa = math.nan        # a lift held through a movement's end: the level it left
        self._back_kpa = math.nan          # ... and above which, settled, it is back (NaN: near that level)
        self._let_go_until_t = -math.inf
        self._back_t = -1.0                # since when the pressure is back up there (< 0: not)
        self._default_ref_kpa = math.nan   # what a rise is measured from with no let-go held

    @property
    def let_go_kpa(self) -> float:
        """The level a lift held through a movement (or a low floor held) rises back up to, let
        go: the rest it left (NaN when none is held)."""
        return self._let_go_kpa

    @property
    def holding_let_go(self) -> bool:
        """A lift held through a movement is not let go yet, for all that is known."""
        return self._let_go_kpa == self._let_go_kpa

    def hold_let_go(self, level_kpa: float, t: float, back_kpa: float = math.nan) -> None:
        """At a movement's end (`t`), the floor lies below `level_kpa` (the level its loads came to,
        or the level after and a lift's depth) by a lift -- or a lift's recovery settled below the
        rest it left (`level_kpa`), a low floor held: a rise back up to it is that lift let go;
        settled above `back_kpa` (default: up there, less what a push is watched from), it is back."""
        self._let_go_kpa = level_kpa
        self._back_kpa = back_kpa
        self._let_go_until_t = t + self.hold_s
        self._back_t = -1.0

    def end(self) -> None:
        """The posture movement is over (a push begun from its arrival goes on)."""
        self.counts = False
        self.doubtful = False
        self._dropped_ref_kpa = math.nan

    def choose(self, still: bool, resting: bool, baseline_kpa: float, default_ref_kpa: float) -> None:
        """Before the push detector's step: `still`, the seat is; `resting`, the floor is (no lift
        under way or recovering); `baseline_kpa`, the resting level."""
        self.from_t = -math.inf
        arrival = self.arrival
        pushes = self.pushes
        if pushes.state != NONE and self._push_ref_kpa == self._push_ref_kpa:   # (not NaN)
            self.ref_kpa = self._push_ref_kpa
            self.still = still or arrival.since_t >= 0.0
        elif arrival.since_t >= 0.0 and resting:
            if pushes.state == CANDIDATE:    # (none is raised while the seat moves)
                pushes.cancel()
                self._dropped_ref_kpa = baseline_kpa
                self.doubtful = True
            let_go_kpa = self._let_go_kpa
            ref_kpa = arrival.ref_kpa
            self.ref_kpa = let_go_kpa if let_go_kpa > ref_kpa else ref_kpa   # (not NaN)
            self.still = True
            self.from_t = arrival.since_t
        else:
            let_go_kpa = self._let_go_kpa
            self.ref_kpa = let_go_kpa if let_go_kpa > default_ref_kpa else default_ref_kpa   # (not NaN)
            self.still = still
        self._default_ref_kpa = default_ref_kpa

    def followed(self, t: float, y: float, push_was: int, watch_kpa: float) -> None:
        """After the push detector's step (`push_was`: its state before it; `y`: the smoothed
        pressure; `watch_kpa`: a rise it watches)."""
        dropped_kpa = self._dropped_ref_kpa
        if dropped_kpa == dropped_kpa and y - dropped_kpa < watch_kpa:
            self._dropped_ref_kpa = math.nan
            self.down_t = t
        let_go_kpa = self._let_go_kpa
        if let_go_kpa == let_go_kpa:
            if (self.pushes.state == NONE and y - self._default_ref_kpa > watch_kpa
                    and dropped_kpa != dropped_kpa):
                self._dropped_ref_kpa = self._default_ref_kpa   # a rise the let-go kept from being a
                                                                # push: its coming down is no lift
            back_kpa = self._back_kpa
            if y < (back_kpa if back_kpa == back_kpa else let_go_kpa - watch_kpa) \
                    or y > let_go_kpa + watch_kpa or self.pushes.state != NONE:    # (a push on top: not back)
                self._back_t = -1.0
            elif self._back_t < 0.0:
                self._back_t = t
            if self._back_t >= 0.0 and t - self._back_t >= self.settle_s \
                    and y - self.arrival.history.min_since(t - self.settle_s, y) < watch_kpa:
                self._let_go_kpa = math.nan
                self._dropped_ref_kpa = math.nan   # back: the level there is rest, a fall from it a lift's
                self.returned_t = t
            elif t >= self._let_go_until_t:
                self._let_go_kpa = math.nan
        state = self.pushes.state
        if state == NONE:
            self._push_ref_kpa = math.nan
        elif push_was == NONE and self.from_t > -math.inf:
            self._push_ref_kpa = self.ref_kpa


class ArrivalLifts:
    """Lifts taken once a posture's loads have arrived, before the movement is over.

    The movement lasts until its loads have been steady for seconds (`SeatTracker.steady_s`),
    and a lift begun in that time would otherwise have no onset. Once the loads have arrived
    at a posture `ArrivalPushes` counts (begun calm, the floor resting), with no rise under
    way as they did (`doubtful`: the level read may be a push's, and its end would fall like a
    lift from it) and no let-go of a lift held through it awaited, `step()` opens: an onset
    may be taken, and the baseline is the level the loads came to (`PostureArrival.level_kpa`,
    followed as it is averaged while the floor rests), so a lift is measured from there as a
    push is -- and its let-go, back up to that level, is rest, no push. The baseline the movement began with is put back
    should the arrival be taken back (the loads moving on) or the movement end with no lift
    taken (`lifted()`); once one is taken it stays, what the lift is measured from -- unless
    the lift is `drop()`ped (it began as the loads moved on: their movement's).
    `taken`: a lift was taken (and not dropped) in this movement; `at_arrival`: ... and the
    loads have not moved on since. O(1) a sample, no allocation."""

    __slots__ = ("arrival", "open", "taken", "_taken_since_t", "_base_before_kpa")

    def __init__(self, arrival: PostureArrival) -> None:
        self.arrival = arrival
        self.reset()

    def reset(self) -> None:
        """No movement, or a new one: closed, nothing taken, the baseline not moved."""
        self.open = False
        self.taken = False
        self._taken_since_t = -1.0          # the arrival a lift was taken from (its `since_t`)
        self._base_before_kpa = math.nan    # the baseline before it was moved to an arrival (NaN: not moved)

    @property
    def at_arrival(self) -> bool:
        """A lift was taken from the arrival, and the loads are still there."""
        return self.taken and self.arrival.since_t == self._taken_since_t

    def step(self, rest, doubtful: bool, holding_let_go: bool, resting: bool) -> bool:
        """One sample of a seat movement `ArrivalPushes` counts (`rest`: the analyzer's
        `RestTracker`; `doubtful`, `holding_let_go`: `ArrivalPushes`'; `resting`: no lift under
        way or recovering, and no fall being confirmed). Whether an onset may be taken now."""
        arrival = self.arrival
        if arrival.since_t >= 0.0 and not doubtful and not holding_let_go:
            if resting and not self.taken:
                if self._base_before_kpa != self._base_before_kpa:     # (NaN: not moved yet)
                    self._base_before_kpa = rest.baseline_kpa
                rest.baseline_kpa = arrival.level_kpa
            self.open = True
            return True
        if not self.taken:
            self._put_back(rest)
        self.open = False
        return False

    def lifted(self) -> None:
        """A lift was raised while open: measured from the arrival, the baseline stays."""
        self.taken = True
        self._taken_since_t = self.arrival.since_t

    def drop(self, rest) -> None:
        """The lift taken was the loads moving on, not the floor: the baseline is put back."""
        self.taken = False
        self._put_back(rest)

    def end(self, rest) -> None:
        """The movement is over: with no lift taken, the baseline is put back (for the
        movement's end to move it as it would have)."""
        if not self.taken:
            self._put_back(rest)
        self.reset()

    def _put_back(self, rest) -> None:
        before_kpa = self._base_before_kpa
        if before_kpa == before_kpa:
            rest.baseline_kpa = before_kpa
            self._base_before_kpa = math.nan
