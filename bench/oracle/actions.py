"""The common shape of a body action, and the channels actions write into."""

from __future__ import annotations


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
        self.perineal = [0.0] * n
        self.lift = [0.0] * n
        self.guard = [0.0] * n
        self.seat_left = [0.0] * n
        self.seat_right = [0.0] * n
        self.present_p = [1.0] * n
        self.present_s = [1.0] * n
        self.volume = [0.0] * n


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
