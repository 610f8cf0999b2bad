"""The floor's resting tone and breathing excursion: how well it lets go.

At rest a relaxed floor sits low on the cushion (a high pressure) and moves with every
breath: down a little on the inhale, up on the exhale (brochure 004). An over-tense floor
sits lifted -- the pressure stays lower than it is when that person really lets go --
and barely moves with the breath. `ToneMeter` measures both on the cushion, sample by
sample, against this person's own relaxed reference:

- `reference_kpa`: the most relaxed level seen, the highest resting level (the pressure
  averaged over about a breath, `level_tau_s`, so that the breath itself does not count;
  nothing is learnt while pushing or coughing, which raise it the wrong way). It sinks
  towards the present level with `drift_tau_s`, slower than any letting go or tensing up
  (seconds) but quicker than the cushion's slow leak and warming (minutes), so drift is
  never taken for tension.
- `tone_kpa`: how far the resting level sits below that reference: the tension held.
  Within `tolerance_kpa` (the analysis' smallest lift, which the caller passes) it is let
  go: `relaxed`.
- `excursion_kpa`: the breath's trough-to-peak swing now, from the analysis' breathing
  band averaged over about a breath; `best_excursion_kpa` the largest seen. A guarded
  floor's swing is a fraction of its free one.

O(1) per sample, nothing allocated.
"""

from __future__ import annotations

from array import array


class ToneMeter:
    __slots__ = ("level_tau_s", "drift_tau_s", "swing_tau_s", "level_kpa", "reference_kpa", "tone_kpa",
                 "relaxed", "excursion_kpa", "best_excursion_kpa", "_square", "_started")

    def __init__(self, *, level_tau_s: float = 3.0, drift_tau_s: float = 30.0, swing_tau_s: float = 5.0) -> None:
        self.level_tau_s = level_tau_s
        self.drift_tau_s = drift_tau_s
        self.swing_tau_s = swing_tau_s
        self.level_kpa = self.reference_kpa = self.tone_kpa = 0.0
        self.relaxed = True
        self.excursion_kpa = self.best_excursion_kpa = 0.0
        self._square = 0.0
        self._started = False

    def reset(self) -> None:
        """Forget the reference (the user sat down anew: another spot on the cushion)."""
        self._started = False
        self.tone_kpa = self.excursion_kpa = self.best_excursion_kpa = self._square = 0.0
        self.relaxed = True

    def step(self, dt_s: float, kpa: float, band_kpa: float, tolerance_kpa: float, pushing: bool) -> None:
        """One sample: the smoothed pressure `kpa`, the breathing band `band_kpa`; while
        `pushing` (a push or a cough) the level is not learnt."""
        if not self._started:
            self._started = True
            self.level_kpa = self.reference_kpa = kpa
            return
        if pushing:
            return
        level = self.level_kpa = self.level_kpa + (kpa - self.level_kpa) * (dt_s / (self.level_tau_s + dt_s))
        reference = self.reference_kpa
        reference += (level - reference) * (dt_s / (self.drift_tau_s + dt_s))
        if level > reference:
            reference = level
        self.reference_kpa = reference
        tone = self.tone_kpa = reference - level
        self.relaxed = tone <= tolerance_kpa
        square = self._square = self._square + (band_kpa * band_kpa - self._square) * (dt_s / (self.swing_tau_s + dt_s))
        swing = self.excursion_kpa = (8.0 * square) ** 0.5        # a steady breath of swing A: A^2 / 8
        if swing > self.best_excursion_kpa:
            self.best_excursion_kpa = swing

    @property
    def excursion_share(self) -> float:
        """The breath's swing now against the freest seen (1: as free as it has been)."""
        best = self.best_excursion_kpa
        return self.excursion_kpa / best if best > 0.0 else 1.0


class RestLevels:
    """The resting level of one step, every `every_s`, judged at the end against the most
    relaxed level of that step: so a rep that begins tense and lets go later counts its
    tense start as tense (the running reference of `ToneMeter` could not know it yet).
    Room for `capacity` values, allocated once; later values are dropped."""

    __slots__ = ("every_s", "_levels", "_swings", "_n", "_due_t")

    def __init__(self, duration_s: float, every_s: float = 0.5) -> None:
        self.every_s = every_s
        capacity = int(duration_s / every_s) + 2
        self._levels = array("d", bytes(8 * capacity))
        self._swings = array("d", bytes(8 * capacity))
        self._n = 0
        self._due_t = -1.0

    def add(self, t_s: float, level_kpa: float, excursion_share: float) -> None:
        """The resting level (and the breath's freedom) at `t_s`; kept when one is due."""
        if t_s < self._due_t or self._n == len(self._levels):
            return
        self._due_t = t_s + self.every_s
        self._levels[self._n] = level_kpa
        self._swings[self._n] = excursion_share
        self._n += 1

    def judge(self, tolerance_kpa: float, window_s: float = 8.0) -> tuple[float, float, float] | None:
        """(mean tone kPa, share let go, mean breath freedom): each level against the most
        relaxed within `window_s` either side (so the cushion's slow drift is no tension),
        within `tolerance_kpa` counting as let go; None if nothing rested."""
        n = self._n
        if not n:
            return None
        levels = self._levels
        w = int(window_s / self.every_s)
        tone_sum, relaxed = 0.0, 0
        for i in range(n):
            tone = max(levels[max(0, i - w):min(n, i + w + 1)]) - levels[i]
            tone_sum += tone
            relaxed += tone <= tolerance_kpa
        return tone_sum / n, relaxed / n, min(1.0, sum(self._swings[:n]) / n)
