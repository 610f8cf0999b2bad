"""The floor's resting tone and breathing excursion: how well it lets go.

At rest a relaxed floor sits low on the cushion (a high pressure) and moves with every
breath: down a little on the inhale, up on the exhale (brochure 004). An over-tense floor
sits lifted -- the pressure stays lower than it is when that person really lets go --
and barely moves with the breath. `ToneMeter` measures both on the cushion, sample by
sample, against this person's own relaxed reference:

- `level_kpa`: the resting level, the pressure's mean over the last breath (`BreathMean`,
  over the breath period it is given: the analysis' learnt one, or in a paced breathing step
  the pace asked): the breath's rise and fall cancel, and a
  let-go that lasts a second shows for a breath, not for the seconds an exponential
  average would stretch it over. It shows the floor half a breath late.
- `reference_kpa`: the most relaxed level seen, the highest resting level (nothing is
  learnt while pushing or coughing, which raise it the wrong way). It sinks towards the
  present level with `drift_tau_s`, as long as `RestLevels` looks either side: slower than
  tension coming back (a few seconds), quicker than the level's wander and the cushion's
  slow leak and warming (tens of seconds to minutes), so neither is taken for tension.
  For the first `settle_s` (a breath cycle of the pace the programme asks), and until a
  whole breath is in the level, it follows the level, not only its highs: changing from
  free breathing to, say, 4 s in and 8 s out lowers the level's mean by part of a breath
  (the long exhale sits low), which a reference kept from before would call tension.
- `tone_kpa`: how far the resting level sits below that reference: the tension held.
  Within `tolerance_kpa` (the analysis' smallest lift, which the caller passes) it is let
  go: `relaxed`.
- `excursion_kpa`: the breath's trough-to-peak swing over the same last breath, from the
  analysis' breathing band. A guarded floor's swing is a fraction of its free one
  (`RestLevels` judges it against the swing when let go).

O(1) per sample (a change of the breath period re-adds one window), nothing allocated
after construction.
"""

from __future__ import annotations

import math
from array import array


class BreathMean:
    """The mean of a signal over its last `period_s` (a breath), stepped every `every_s`.

    A window of exactly one breath cancels the breath; an exponential average of about a
    breath (3 s for 5 s breaths) leaves a quarter of it, and answers a step with a tail
    several times longer.
    Room for `max_period_s`, allocated once; a longer period is cut to it."""

    __slots__ = ("every_s", "value", "_ring", "_head", "_n", "_filled", "_sum")

    def __init__(self, every_s: float, max_period_s: float) -> None:
        self.every_s = every_s
        self._ring = array("d", bytes(8 * (int(math.ceil(max_period_s / every_s)) + 2)))
        self.reset()

    def reset(self) -> None:
        self.value = self._sum = 0.0
        self._head = self._filled = 0
        self._n = 1

    @property
    def window_s(self) -> float:
        return self._n * self.every_s

    @property
    def full(self) -> bool:
        """A whole breath is in the mean (not only the first part of one)."""
        return self._filled >= self._n

    def step(self, x: float, period_s: float) -> float:
        ring, size = self._ring, len(self._ring)
        head = self._head
        ring[head] = x
        self._head = head = head + 1 if head + 1 < size else 0
        if self._filled < size:
            self._filled += 1
        n = int(period_s / self.every_s + 0.5)
        n = 1 if n < 1 else size - 1 if n >= size else n     # the ring keeps the sample leaving too
        count = n if n < self._filled else self._filled
        if n != self._n or head == 0:        # a new period, or once round the ring: add afresh
            self._n = n
            total = 0.0
            for i in range(head - count, head):
                total += ring[i]             # negative i: from the ring's end
            self._sum = total
        else:
            self._sum += x
            if self._filled > n:
                self._sum -= ring[head - n - 1]
        self.value = self._sum / count
        return self.value


class ToneMeter:
    __slots__ = ("drift_tau_s", "settle_s", "level_kpa", "reference_kpa", "tone_kpa", "relaxed", "excursion_kpa",
                 "_level", "_square", "_started", "_settle_left_s")

    MAX_PERIOD_S = 12.0         # the longest breath averaged whole, by default

    def __init__(self, *, every_s: float, max_period_s: float = MAX_PERIOD_S, drift_tau_s: float = 8.0,
                 settle_s: float = 0.0) -> None:
        """Stepped every `every_s`; breaths up to `max_period_s` long are averaged whole."""
        self.settle_s = settle_s
        self._settle_left_s = settle_s
        self.drift_tau_s = drift_tau_s
        self._level = BreathMean(every_s, max_period_s)
        self._square = BreathMean(every_s, max_period_s)
        self.level_kpa = self.reference_kpa = self.tone_kpa = 0.0
        self.relaxed = True
        self.excursion_kpa = 0.0
        self._started = False

    def reset(self) -> None:
        """Forget the reference (the user sat down anew: another spot on the cushion)."""
        self._started = False
        self.tone_kpa = self.excursion_kpa = 0.0
        self.relaxed = True

    def step(self, dt_s: float, kpa: float, band_kpa: float, period_s: float, tolerance_kpa: float,
             busy: bool) -> None:
        """One sample: the smoothed pressure `kpa`, the breathing band `band_kpa`, the breath
        period `period_s`; while `busy` (a lift, a push, a cough, a seat movement under way)
        nothing is learnt."""
        if busy:
            return
        if not self._started:
            self._started = True
            self._settle_left_s = self.settle_s
            self._level.reset()
            self._square.reset()
            self.reference_kpa = kpa
        level = self.level_kpa = self._level.step(kpa, period_s)
        square = self._square.step(band_kpa * band_kpa, period_s)
        # a steady breath of swing A: A^2 / 8 (a running mean of squares, off by rounding below 0 once
        # the breaths stop: a clipped sensor's flat line)
        self.excursion_kpa = (8.0 * square) ** 0.5 if square > 0.0 else 0.0
        reference = self.reference_kpa
        reference += (level - reference) * (dt_s / (self.drift_tau_s + dt_s))
        if level > reference or self._settle_left_s > 0.0 or not self._level.full:
            reference = level           # (part of a breath is no resting level to keep)
            self._settle_left_s -= dt_s
        self.reference_kpa = reference
        tone = self.tone_kpa = reference - level
        self.relaxed = tone <= tolerance_kpa


class RestLevels:
    """The resting level of one step, every `every_s`, each judged against the most relaxed
    level within `window_s` either side of it (so the cushion's slow drift is no tension):
    a rep that begins tense and lets go later counts its tense start as tense (the running
    reference of `ToneMeter` could not know it yet). A level is judged once the window
    after it has been seen (a few comparisons every `every_s`), the last ones by `judge()`.
    A moment the floor was contracting (`tense`: in a step that asks for no lift, a lift the
    analysis sees is tension coming back) counts as not let go, and its level neither
    sets the reference nor counts in the tone.
    The breath's swing at each resting moment is judged against its mean swing while let
    go in this step: a floor that guards its breath when it tenses shows it. A floor
    guarded even when it lets go cannot be told from a free one this way (nothing in one
    session shows its free swing), nor can tension it never lets go.
    The levels and swings passed may follow the floor `lag_s` late (means over the last
    breath, as `ToneMeter` has them): each moment is then judged by the level and the swing
    kept that much later, so a let-go that ends is not counted on while the mean still
    shows it.
    Room for the step's `duration_s`, allocated once; later values are dropped."""

    __slots__ = ("every_s", "_w", "_k", "_levels", "_rest_at", "_tolerances", "_swings", "_swing_at", "_state", "_n",
                 "_judged", "_due_t", "_tone_sum", "_resting", "_relaxed")

    TENSE, JUDGING, LET_GO, HELD = 0, 1, 2, 3      # a moment: contracting, not yet judged, let go, tense at rest

    def __init__(self, duration_s: float, every_s: float = 0.5, window_s: float = 8.0,
                 lag_s: float = 0.0) -> None:
        self.every_s = every_s
        self._w = int(window_s / every_s)
        self._k = int(round(lag_s / every_s))
        capacity = int(duration_s / every_s) + 2
        self._levels = array("d", bytes(8 * capacity))
        self._rest_at = array("d", bytes(8 * capacity))   # each moment's resting level (-inf: contracting)
        self._tolerances = array("d", bytes(8 * capacity))
        self._swings = array("d", bytes(8 * capacity))
        self._swing_at = array("d", bytes(8 * capacity))  # ... and the breath's swing then
        self._state = array("b", bytes(capacity))
        self._n = self._judged = self._resting = self._relaxed = 0
        self._due_t = -1.0
        self._tone_sum = 0.0

    def add(self, t_s: float, level_kpa: float, swing_kpa: float, tolerance_kpa: float,
            tense: bool = False) -> None:
        """The resting level, the breath's swing and the let-go tolerance at `t_s`; or, while
        `tense`, a moment of contraction (the other values are not used); kept when one is due."""
        if t_s < self._due_t or self._n == len(self._levels):
            return
        self._due_t = t_s + self.every_s
        n = self._n
        self._levels[n] = level_kpa
        self._tolerances[n] = tolerance_kpa
        self._swings[n] = swing_kpa
        self._state[n] = self.TENSE if tense else self.JUDGING
        self._n = n + 1
        if n >= self._k:
            self._settle(n - self._k)
        if self._n > self._w + self._k:
            self._judge(self._judged)

    def _settle(self, i: int) -> None:
        """Moment `i`'s resting level and swing, now that the ones `lag_s` later (or the last)
        are kept: those, back over contracting moments; -inf for a contracting moment (no rest)."""
        state, tense = self._state, self.TENSE
        if state[i] == tense:
            self._rest_at[i] = -math.inf
            return
        j = i + self._k
        if j >= self._n:
            j = self._n - 1
        while j > i and state[j] == tense:
            j -= 1
        self._rest_at[i] = self._levels[j]
        self._swing_at[i] = self._swings[j]

    def _judge(self, i: int) -> None:
        rest_at, w, n, state = self._rest_at, self._w, self._n, self._state
        self._judged = i + 1
        if state[i] == self.TENSE:
            return
        here = top = rest_at[i]
        for j in range(i - w if i > w else 0, i + w + 1 if i + w < n else n):
            if rest_at[j] > top:
                top = rest_at[j]
        tone = top - here
        self._tone_sum += tone
        self._resting += 1
        let_go = tone <= self._tolerances[i]
        self._relaxed += let_go
        state[i] = self.LET_GO if let_go else self.HELD

    def judge(self) -> tuple[float | None, float, float | None, float] | None:
        """(mean resting tone kPa, share of the moments let go, the breath's freedom at rest
        0-1, share of the moments let go and breathing freely) over the step. The tone is
        None when the floor never rested, the freedom when it never let go; None when
        nothing was seen.

        The last: each let-go moment counts as far as its swing reaches the let-go mean
        (at most 1), so letting go and breathing freely are asked of the same moment."""
        n = self._n
        if not n:
            return None
        for i in range(n - self._k if n > self._k else 0, n):
            self._settle(i)                     # the last moments: by the last level kept
        while self._judged < n:
            self._judge(self._judged)
        state, swings = self._state, self._swing_at
        free_sum, free_n = 0.0, 0
        for i in range(n):
            if state[i] == self.LET_GO:
                free_sum += swings[i]
                free_n += 1
        tone = self._tone_sum / self._resting if self._resting else None
        if not free_n or free_sum <= 0.0:
            return tone, self._relaxed / n, None, self._relaxed / n if free_n else 0.0
        free = free_sum / free_n
        freedom = both = 0.0
        for i in range(n):
            if state[i] != self.TENSE:
                share = swings[i] / free
                share = share if share < 1.0 else 1.0
                freedom += share
                if state[i] == self.LET_GO:
                    both += share
        return tone, self._relaxed / n, freedom / self._resting, both / n


class BreathFollowing:
    """How far the resting floor moves with a paced breath, cycle by cycle (004: "bij
    inademen zakt hij een beetje, bij uitademen veert hij subtiel omhoog").

    The coach asks `inhale_s` in and `exhale_s` out, cycles from `start_s`. A relaxed floor
    that follows moves with it: the pressure rises through the inhale (the floor sinks) and
    falls through the exhale. A cycle's share is how much of the pressure's variance over it
    that shape explains (a rise over `inhale_s`, a fall over `exhale_s`, `lag_s` after the
    cues: the user's reaction): the square of their correlation, 0 when it is negative. A
    relaxed floor's movement is its breath: about 0.95 (noise and the level's slow wander
    take the rest). An over-tense floor that lets go on the exhale and tenses again moves as
    much or more, but not with the breath: its pressure rises as it lets go early in the
    exhale and falls as the tension creeps back. So does a user who does not breathe with
    the pace (a breath out of step correlates about 0): the exercise is not being done either
    way, and the resting tone (`ToneMeter`, a breath's mean) cannot see either. The first
    `settle_cycles` are finding the pace and are not judged; nor is one in which the floor
    did not rest throughout for another reason than a lift (a push, a cough, a seat movement),
    or that the step did not see whole. One in which it lifted is the tension coming back in a
    breath of letting go: judged, not moved with the breath (0) -- not judged, an over-tense
    floor that tensed in every breath left none judged and read as following (*geen fouten*, a
    review); a lift across the turn of two cycles counts in both. The caller says `lifted` only
    for a lift it trusts (not while the thresholds are the warm-up's). A correlation: the same on
    any cushion, at any rest level. O(1) a sample, nothing allocated."""

    __slots__ = ("start_s", "inhale_s", "exhale_s", "cycle_s", "lag_s", "settle_cycles", "share_sum", "judged", "_k",
                 "_n", "_y", "_yy", "_v", "_vv", "_vy", "_first_s", "_last_s", "_rested", "_lifted", "lifted_last")

    def __init__(self, start_s: float, inhale_s: float, exhale_s: float, *, settle_cycles: int = 1,
                 lag_s: float = 0.5) -> None:
        self.start_s = start_s
        self.settle_cycles = settle_cycles
        self.inhale_s = inhale_s
        self.exhale_s = exhale_s
        self.cycle_s = inhale_s + exhale_s
        self.lag_s = lag_s
        self.share_sum = 0.0
        self.judged = 0                 # cycles judged
        self.lifted_last = False        # the last cycle judged was judged 0 for a lift in it
        self._k = -1                    # the cycle under way
        self._n = 0
        self._y = self._yy = self._v = self._vv = self._vy = 0.0
        self._first_s = self._last_s = 0.0
        self._rested = True
        self._lifted = False

    @property
    def share(self) -> float | None:
        """The mean share of the cycles judged (None: none was)."""
        return self.share_sum / self.judged if self.judged else None

    def step(self, t_s: float, level_kpa: float, resting: bool, lifted: bool) -> float | None:
        """One sample of the smoothed pressure; `resting`: the floor at rest, `lifted`: a lift under
        way; the share of a cycle judged now, else None."""
        x = t_s - self.start_s - self.lag_s
        if x < 0.0:
            return None
        k = int(x // self.cycle_s)
        share = None
        if k != self._k:
            share = self._judge()
            self._k = k
            self._n = 0
            self._y = self._yy = self._v = self._vv = self._vy = 0.0
            self._first_s = t_s
            self._rested = True
            self._lifted = False
        pos = x - k * self.cycle_s
        v = pos / self.inhale_s if pos < self.inhale_s else 1.0 - (pos - self.inhale_s) / self.exhale_s
        self._n += 1
        self._y += level_kpa
        self._yy += level_kpa * level_kpa
        self._v += v
        self._vv += v * v
        self._vy += v * level_kpa
        self._last_s = t_s
        self._rested = self._rested and resting
        self._lifted = self._lifted or lifted
        return share

    def finish(self) -> None:
        """The step is over: the cycle under way is judged, if it was seen whole."""
        self._judge()
        self._rested = self._lifted = False

    def _judge(self) -> float | None:
        """The cycle just over: its share, kept (None: not judged)."""
        n = self._n
        if self._k < self.settle_cycles or self._last_s - self._first_s < 0.9 * self.cycle_s:
            return None
        self.lifted_last = self._lifted
        if self._lifted:
            self.judged += 1
            return 0.0
        if not self._rested:
            return None
        var_y = self._yy / n - (self._y / n) ** 2
        var_v = self._vv / n - (self._v / n) ** 2
        if var_y <= 0.0 or var_v <= 0.0:
            return None
        r = (self._vy / n - self._v / n * self._y / n) / math.sqrt(var_y * var_v)
        share = 0.0 if r < 0.0 else 1.0 if r > 1.0 else r * r
        self.share_sum += share
        self.judged += 1
        return share
