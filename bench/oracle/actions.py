"""The common shape of a body action, and the channels actions write into."""

from __future__ import annotations

from array import array


class Channels:
    """Per-sample body signals, all relative to quiet seated rest.

    perineal: perineal pressure change in kPa BEFORE the cushion gain.
    lift: summed voluntary pelvic floor activation (fraction of maximal), for breathing coupling.
    guard: over-tense resting tone relative to its full level (0 relaxed, 1 fully guarded).
    seat_left, seat_right: load change under each sitting bone, kg.
    present_p, present_s: how much the person sits on the cushion (1 seated, 0 standing), as the
    perineal cushion and the load cells see it (the load cells overshoot on landing).
    volume: lung volume (tidal units).
    """

    def __init__(self, n: int):
        zeros = array("d", bytes(8 * n))   # compact: an hour at 250 Hz is 900 000 samples
        ones = array("d", [1.0]) * n
        self.perineal = array("d", zeros)
        self.lift = array("d", zeros)
        self.guard = array("d", zeros)
        self.seat_left = array("d", zeros)
        self.seat_right = array("d", zeros)
        self.present_p = ones
        self.present_s = array("d", ones)
        self.volume = array("d", zeros)
        self._steps = []   # (i0, i1, kpa, left_kg, right_kg): constant changes over a sample range

    def hold(self, i0: int, i1: int, kpa: float, left_kg: float, right_kg: float) -> None:
        """Add a constant change to samples i0..i1-1 (a posture kept), applied by settle()."""
        self._steps.append((i0, i1, kpa, left_kg, right_kg))

    def settle(self) -> None:
        """Apply the held constant changes (one pass, however many and however long)."""
        if not self._steps:
            return
        n = len(self.perineal)
        d_kpa, d_left, d_right = (array("d", bytes(8 * (n + 1))) for _ in range(3))
        for i0, i1, kpa, left_kg, right_kg in self._steps:
            for deltas, amount in ((d_kpa, kpa), (d_left, left_kg), (d_right, right_kg)):
                deltas[i0] += amount
                deltas[i1] -= amount
        self._steps = []
        for deltas, values in ((d_kpa, self.perineal), (d_left, self.seat_left),
                               (d_right, self.seat_right)):
            level = 0.0
            for i in range(n):
                level += deltas[i]
                if level:
                    values[i] += level


class Action:
    """A labelled (kind set) or unlabelled (kind None) body action.

    start_s/end_s: the truth window. window: where it changes the signals (may outlast end_s, e.g.
    a residual that fades, or a permanent posture). stage 0 renders before the breathing (it sets
    the floor activation the breathing coupling depends on), stage 1 after.
    size_kpa: signed extreme of its own perineal change inside the truth window, before gain, filled
    in by render().
    """

    kind = None
    stage = 1

    def __init__(self, start_s: float, end_s: float):
        self.start_s = start_s
        self.end_s = end_s
        self.window = (start_s, end_s)
        self.details = {}
        self.size_kpa = 0.0

    def _track(self, t: float, kpa: float) -> None:
        if self.start_s <= t <= self.end_s and abs(kpa) > abs(self.size_kpa):
            self.size_kpa = kpa

    def render(self, times, i0: int, i1: int, ch: Channels) -> None:
        raise NotImplementedError
