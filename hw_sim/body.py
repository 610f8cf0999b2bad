"""A person sitting on the cushion: the physical quantities the sensors see.

The perineal air-cushion pressure is rest pressure + breathing (inhale: small rise)
+ slow cushion drift + micro-movement, plus whatever actions are under way: a pelvic
floor lift (pressure *drops*: rise, hold with fatigue, release, possibly incomplete
relaxation), bearing down (pressure *rises*), a cough (short sharp spike up). The
sitting-bone loads carry the body's weight with slow sway.

The person can stand up and sit down again (`stand`, `sit`): the seat loads go to
zero and the air cushion relaxes to its unloaded pressure.

Actions can be scheduled ahead (scripted recordings) or added live (a simulated
person reacting to cues). Every action is recorded as a labelled truth event.
Deterministic for a seed, provided `sample()` is called at the same times.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from math import cos, log, sin, sqrt, tau
from dataclasses import dataclass, field
from typing import Callable


SIT_TAU_S = 0.3          # how fast the load comes on or off when sitting down or standing up
UNLOADED_KPA = 0.05      # perineal cushion pressure with nobody on it
UNSTEADY_HZ = (0.2, 1.5) # the band of a held force's slow unsteadiness


@dataclass(frozen=True)
class BodyParams:
    rest_kpa: float = 2.5            # perineal cushion pressure when sitting relaxed
    mass_kg: float = 70.0
    seat_share: float = 0.38         # fraction of body weight on each sitting bone
    balance: float = 0.5             # share of the seat load on the left side
    breath_rate_bpm: float = 12.0
    breath_kpa: float = 0.08         # peak-to-peak perineal swing of a breath
    breath_variability: float = 0.0  # breath-to-breath spread of depth and length (fraction, sd)
    sigh_share: float = 0.0          # share of breaths that are sighs (2.5x as deep)
    drift_kpa_per_min: float = -0.03 # slow cushion leak (negative: losing air)
    wander_kpa: float = 0.02         # slow random wander (temperature, posture)
    micro_kpa: float = 0.004         # fast micro-movement, low-pass filtered
    max_drop_kpa: float = 1.2        # drop of a maximal lift (the floor's strength)
    fatigue_tau_s: float = 25.0      # hold fatigue time constant
    fatigue_floor: float = 0.6       # fraction of the drop a long hold settles to
    tremor_kpa: float = 0.01         # unsteadiness while holding
    # slow unsteadiness of a held force (0.2-1.5 Hz), its sd as a share of the drop: 1-4 % in
    # sustained submaximal contractions, more in older and fatigued muscle (force-steadiness studies)
    unsteady_share: float = 0.0
    lift_tau_s: float = 0.25         # voluntary lift: how fast the floor reaches its target
    release_tau_s: float = 0.3       # voluntary release (an over-tense floor lets go slowly)
    residual: float = 0.0            # share of a voluntary lift that stays after letting go
    # an over-tense floor (brochures 001, 004): it rests lifted by `tone` x the maximal drop,
    # and, guarded, moves with the breath `guard_breath_cut` less; asked to let go it releases
    # `let_go_share` of the tone over `let_go_s`, and the tension creeps back (`creep_s`)
    tone: float = 0.0
    guard_breath_cut: float = 0.7
    let_go_share: float = 0.4
    let_go_s: float = 4.0
    creep_s: float = 8.0


@dataclass(frozen=True)
class TruthEvent:
    """A labelled ground-truth action: what the body really did, and when."""

    kind: str          # "contraction" | "bear_down" | "cough" | "glute" | "posture" | "breath_hold" | "fidget"
    start_s: float
    end_s: float
    level: float = 1.0 # lift: fraction of the maximal drop; bear-down/cough: rise in kPa
    details: dict = field(default_factory=dict, compare=False)   # e.g. a lift's style


def _smoothstep(x: float) -> float:
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    return x * x * (3.0 - 2.0 * x)


def _breath_shape(ph: float) -> float:
    """Where a breath is at phase `ph` in [0, 1), 0 (emptied) to 1 (full): it fills over the
    first 40 % of the cycle and empties over the rest, smoothly."""
    if ph < 0.4:
        x = ph / 0.4
        return x * x * (3.0 - 2.0 * x)
    x = (ph - 0.4) / 0.6
    return 1.0 - x * x * (3.0 - 2.0 * x)


def _unsmoothstep(y: float) -> float:
    """The x in [0, 1] at which `_smoothstep` reaches `y` (clamped to [0, 1])."""
    if y <= 0.0:
        return 0.0
    if y >= 1.0:
        return 1.0
    return 0.5 - math.sin(math.asin(1.0 - 2.0 * y) / 3.0)


class _Action:
    start_s: float
    end_s: float
    moves_seat = False

    def perineal_kpa(self, t_s: float) -> float:
        raise NotImplementedError

    def seat_kg(self, t_s: float) -> tuple[float, float]:
        """(left, right) change of the sitting-bone loads."""
        return 0.0, 0.0


class _Shift(_Action):
    """A movement that loads the seat differently for a while: squeezing the buttocks
    (both sitting bones unload together, the perineum lifts a little with the pelvis)
    or shifting posture (leaning sideways, forwards or back). Eases in over `onset_s`,
    holds, and eases back over `onset_s`; `hold_s` = inf never comes back."""

    moves_seat = True

    def __init__(self, start_s, hold_s, onset_s, left_kg, right_kg, perineal_kpa):
        self.start_s = start_s
        self.onset_s = onset_s
        self.back_s = start_s + onset_s + hold_s
        self.end_s = self.back_s + onset_s
        self.left_kg, self.right_kg, self.kpa = left_kg, right_kg, perineal_kpa

    def _share(self, t_s: float) -> float:
        if t_s < self.back_s:
            return _smoothstep((t_s - self.start_s) / self.onset_s)
        return 1.0 - _smoothstep((t_s - self.back_s) / self.onset_s)

    def perineal_kpa(self, t_s: float) -> float:
        return self.kpa * self._share(t_s)

    def seat_kg(self, t_s: float) -> tuple[float, float]:
        x = self._share(t_s)
        return self.left_kg * x, self.right_kg * x


class _Lift(_Action):
    """A pelvic floor contraction: the perineum rises, the cushion pressure drops."""

    def __init__(self, start_s, drop_kpa, rise_s, hold_s, release_s, residual,
                 fatigue_tau_s, fatigue_floor, tremor_kpa, rng, unsteady_share=0.0):
        self.start_s = start_s
        self.drop_kpa = drop_kpa
        self.peak_s = start_s + rise_s
        self.release_start_s = self.peak_s + hold_s
        self.release_s = release_s
        self.release_end_s = self.release_start_s + release_s
        self.residual = residual
        self.tau_s = fatigue_tau_s
        self.floor = fatigue_floor
        self.tremor_kpa = tremor_kpa
        self.rise_s = rise_s
        self._rng = rng
        self._tremor = 0.0
        # the slow unsteadiness: three sinusoids in UNSTEADY_HZ at random phases, sd
        # unsteady_share x the drop, growing with the force through the rise and gone with it
        # through the release (drawn apart from the body's own random numbers: the lift's time
        # and size seed them)
        self._waves: tuple[tuple[float, float], ...] = ()
        if unsteady_share > 0.0:
            draw = random.Random(hash((start_s, drop_kpa)))
            self._waves = tuple((2.0 * math.pi * draw.uniform(*UNSTEADY_HZ), draw.uniform(0.0, 2.0 * math.pi))
                                for _ in range(3))
        self._unsteady_kpa = unsteady_share * drop_kpa * math.sqrt(2.0 / 3.0)
        # incomplete relaxation fades over ~8 s after the release
        self.end_s = self.release_end_s + (40.0 if residual > 0 else 0.0)
        self.held_drop_kpa = self._held(self.release_start_s)

    def _held(self, t_s: float) -> float:
        decay = math.exp(-(t_s - self.peak_s) / self.tau_s)
        return self.drop_kpa * (self.floor + (1.0 - self.floor) * decay)

    def _unsteadiness(self, t_s: float) -> float:
        """The slow wavering now, kPa (0 for a steady floor: no waves)."""
        wave = 0.0
        for omega, phase in self._waves:
            wave += math.sin(omega * (t_s - self.start_s) + phase)
        return self._unsteady_kpa * wave

    def perineal_kpa(self, t_s: float) -> float:
        if t_s < self.peak_s:
            x = _smoothstep((t_s - self.start_s) / self.rise_s)
            return -self.drop_kpa * x + x * self._unsteadiness(t_s)
        if t_s < self.release_start_s:
            self._tremor = 0.9 * self._tremor + 0.1 * self._rng.gauss(0.0, self.tremor_kpa * 3)
            return -self._held(t_s) + self._tremor + self._unsteadiness(t_s)
        left = self.residual * self.held_drop_kpa
        if t_s < self.release_end_s:
            x = _smoothstep((t_s - self.release_start_s) / self.release_s)
            return -(self.held_drop_kpa + (left - self.held_drop_kpa) * x) + (1.0 - x) * self._unsteadiness(t_s)
        return -left * math.exp(-(t_s - self.release_end_s) / 8.0)


class _Push(_Action):
    """Bearing down (or a cough): the perineum is pushed onto the cushion, pressure rises."""

    def __init__(self, start_s, rise_kpa, onset_s, plateau_s, release_s):
        self.start_s = start_s
        self.rise_kpa = rise_kpa
        self.onset_s = onset_s
        self.plateau_end_s = start_s + onset_s + plateau_s
        self.release_s = release_s
        self.end_s = self.plateau_end_s + release_s

    def perineal_kpa(self, t_s: float) -> float:
        if t_s < self.plateau_end_s:
            return self.rise_kpa * _smoothstep((t_s - self.start_s) / self.onset_s)
        return self.rise_kpa * (1.0 - _smoothstep((t_s - self.plateau_end_s) / self.release_s))


class Body:
    """The seated person. Call `sample(t_s)` with non-decreasing times."""

    def __init__(self, params: BodyParams = BodyParams(), seed: int = 0, seated: bool = True) -> None:
        self.params = params
        self.truth: list[TruthEvent] = []
        self.seated = 1.0 if seated else 0.0     # share of the body on the cushion (eases 0 <-> 1)
        self._seat_goal = self.seated
        self.breath_rate_bpm = params.breath_rate_bpm
        self.breathing = True
        self._rng = random.Random(seed)
        self._uniform = self._rng.random
        self._actions: list[_Action] = []
        self._t_s = 0.0
        self._breath_phase = self._rng.random()   # cycles; inhale in [0, 0.4)
        self._breath_amp = 1.0
        self._breath_depth = 1.0                  # this breath's depth and pace (variability)
        self._breath_pace = 1.0
        self._half_pace = 1.0                     # a breath half paced by a cue (`breathe_in`/`_out`): ...
        self._half_end = 0.0                      # ... its phase goes this far at most ...
        self._paced_until_s = -1.0                # ... until the time the half is asked to end
        self._wander = 0.0
        self._micro = 0.0
        self._sway_kg = 0.0
        self._last = (params.rest_kpa, 0.0, 0.0)
        self._last_t_s = -1.0
        self._timeline: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()
        # voluntary control (a simulated person reacting to cues)
        self.voluntary_target = 0.0      # fraction of the maximal drop aimed at
        self._vol_drop = 0.0             # kPa
        self._vol_hold_s = 0.0           # time spent holding: fatigue
        self._vol_residual = 0.0
        self._vol_was_on = False
        self._guard = 1.0                # share of the resting tone held (over-tense floor)
        self._filled_s = 0.0             # when the cushion was last pumped up (it leaks from then)
        self._letting_go_until = -1.0

    # --- actions -----------------------------------------------------------------------
    def lift(self, start_s: float, level: float = 1.0, rise_s: float = 0.6, hold_s: float = 6.0,
             release_s: float = 0.8, residual: float = 0.0) -> TruthEvent:
        """Schedule a contraction reaching `level` x the maximal drop."""
        p = self.params
        action = _Lift(start_s, level * p.max_drop_kpa, rise_s, hold_s, release_s, residual,
                       p.fatigue_tau_s, p.fatigue_floor, p.tremor_kpa, self._rng, p.unsteady_share)
        return self._add(action, "contraction", action.release_end_s, level)

    def bear_down(self, start_s: float, duration_s: float = 2.0, rise_kpa: float = 2.0,
                  onset_s: float = 0.3) -> TruthEvent:
        """Schedule a push lasting `duration_s` (onset, plateau and release included)."""
        release_s = min(0.4, duration_s / 3)
        plateau_s = max(0.0, duration_s - onset_s - release_s)
        return self._add(_Push(start_s, rise_kpa, onset_s, plateau_s, release_s), "bear_down",
                         start_s + duration_s, rise_kpa)

    def cough(self, start_s: float, peak_kpa: float = 4.0, duration_s: float = 0.25) -> TruthEvent:
        """Schedule a cough: a sharp spike of `peak_kpa` lasting `duration_s`."""
        action = _Push(start_s, peak_kpa, 0.05, 0.02, max(0.05, duration_s - 0.07))
        return self._add(action, "cough", action.end_s, peak_kpa)

    def glute(self, start_s: float, hold_s: float = 3.0, unload_kg: float = 3.0,
              drop_kpa: float = 0.15, onset_s: float = 0.3) -> TruthEvent:
        """Squeeze the buttocks (instead of the floor): both sitting bones unload by
        `unload_kg`, the perineal pressure drops a little."""
        action = _Shift(start_s, hold_s, onset_s, -unload_kg, -unload_kg, -drop_kpa)
        return self._add(action, "glute", action.end_s, unload_kg)

    def shift(self, start_s: float, hold_s: float = 10.0, *, lateral_kg: float = 0.0,
              forward_kg: float = 0.0, perineal_kpa: float = 0.0, onset_s: float = 0.8) -> TruthEvent:
        """Shift posture: lean sideways (`lateral_kg` from the right to the left sitting
        bone) and/or forwards (`forward_kg` off both; the perineal pressure changes by
        `perineal_kpa`), for `hold_s` (inf: stays)."""
        action = _Shift(start_s, hold_s, onset_s, lateral_kg - forward_kg, -lateral_kg - forward_kg,
                        perineal_kpa)
        end_s = action.end_s if math.isfinite(action.end_s) else start_s + onset_s
        return self._add(action, "posture", end_s, abs(lateral_kg) + abs(forward_kg))

    def fidget(self, start_s: float, lateral_kg: float, hold_s: float, *, onset_s: float = 0.5,
               perineal_kpa: float = 0.0) -> TruthEvent:
        """Shift a little weight across the seat (`lateral_kg` from the right sitting bone to the
        left, about a kilogram at most) for `hold_s`, and back: the unthinking restlessness of
        sitting, labelled `fidget` -- no event the analysis reports, nor one that may stop it."""
        action = _Shift(start_s, hold_s, onset_s, lateral_kg, -lateral_kg, perineal_kpa)
        return self._add(action, "fidget", action.end_s, abs(lateral_kg))

    def hold_breath(self, start_s: float, duration_s: float) -> TruthEvent:
        """Stop breathing for `duration_s` (what the brochures warn against during a hold)."""
        self.at(start_s, lambda: setattr(self, "breathing", False))
        self.at(start_s + duration_s, lambda: setattr(self, "breathing", True))
        event = TruthEvent("breath_hold", start_s, start_s + duration_s)
        self.truth.append(event)
        return event

    def _add(self, action: _Action, kind: str, end_s: float, level: float) -> TruthEvent:
        self._actions.append(action)
        event = TruthEvent(kind, action.start_s, end_s, level)
        self.truth.append(event)
        return event

    def at(self, t_s: float, action: Callable[[], None]) -> None:
        """Run `action()` when the body's time reaches `t_s` (a person's delayed reaction)."""
        heapq.heappush(self._timeline, (t_s, next(self._order), action))

    def breathe_in(self, t_s: float, inhale_s: float | None = None) -> None:
        """From `t_s`, breathe in (from wherever the breath is: it goes on smoothly), for
        `inhale_s` (None: at the body's own pace) -- a person following "adem in"."""
        self.at(t_s, lambda: self._follow(True, inhale_s))

    def breathe_out(self, t_s: float, exhale_s: float | None = None) -> None:
        """From `t_s`, breathe out, for `exhale_s` (None: at the body's own pace)."""
        self.at(t_s, lambda: self._follow(False, exhale_s))

    def _follow(self, inhale: bool, half_s: float | None) -> None:
        """Move the breath into its inhale (phase 0-0.4) or exhale (0.4-1) at the level it
        is at now, and from there take `half_s` over the rest of that half, staying at its end
        until `half_s` is over (a breath in begun near its top stays full until the time to
        breathe out; then, unless told again, the breath goes on at its own pace)."""
        phase = self._breath_phase
        base = phase - phase % 1.0
        ph = phase - base
        level = _breath_shape(ph)
        if inhale:
            if ph >= 0.4:
                base += 1.0             # a new breath
                if self.params.breath_variability or self.params.sigh_share:
                    self._next_breath(self._rng)
            ph, end = 0.4 * _unsmoothstep(level), 0.4
        else:
            ph, end = 0.4 + 0.6 * _unsmoothstep(1.0 - level), 1.0
        self._breath_phase = base + ph
        if half_s is None:
            self._paced_until_s = -1.0
        else:
            self._paced_until_s = self._t_s + half_s
            self._half_end = base + end
            self._half_pace = (end - ph) * 60.0 / (self.breath_rate_bpm * half_s)

    def sit(self, t_s: float) -> None:
        """Sit down on the cushion at `t_s` (the load comes on over about a second)."""
        self.at(t_s, lambda: setattr(self, "_seat_goal", 1.0))

    def stand(self, t_s: float) -> None:
        """Stand up at `t_s`: the sitting bones unload and the air cushion relaxes."""
        self.at(t_s, lambda: setattr(self, "_seat_goal", 0.0))

    def recover(self) -> None:
        """A night's rest (or more): the floor's fatigue from earlier holds is gone, and the
        cushion, which leaks, has been pumped up again."""
        self._vol_hold_s = 0.0
        self._filled_s = self._t_s

    def let_go(self, t_s: float) -> None:
        """From `t_s`, try to let go of the resting tone (an over-tense floor manages part of it,
        and of what is left of a lift)."""
        def start() -> None:
            p = self.params
            if p.tone > 0.0:
                self._letting_go_until = t_s + p.let_go_s
                self._vol_residual *= 1.0 - p.let_go_share
        self.at(t_s, start)

    def _tone_kpa(self, t_s: float, dt_s: float) -> float:
        """The resting tone's lift now (kPa, >= 0), letting go or creeping back."""
        p = self.params
        if t_s < self._letting_go_until:
            goal, tau = 1.0 - p.let_go_share, p.let_go_s / 3.0
        else:
            goal, tau = 1.0, p.creep_s
        k = dt_s / tau
        self._guard += (goal - self._guard) * (k if k < 1.0 else 1.0)
        return p.tone * p.max_drop_kpa * self._guard

    def aim(self, t_s: float, level: float) -> None:
        """From `t_s`, lift the floor voluntarily towards `level` x the maximal drop (0 lets go)."""
        self.at(t_s, lambda: setattr(self, "voluntary_target", level))

    def _voluntary_kpa(self, dt_s: float) -> float:
        p = self.params
        target = self.voluntary_target
        on = target > 0.0
        if on:
            self._vol_hold_s += dt_s
            fatigue = p.fatigue_floor + (1.0 - p.fatigue_floor) * math.exp(-self._vol_hold_s / p.fatigue_tau_s)
            goal = target * p.max_drop_kpa * fatigue
            tau = p.lift_tau_s
        else:
            hold_s = self._vol_hold_s - 2.0 * dt_s                       # recovers while resting
            self._vol_hold_s = hold_s if hold_s > 0.0 else 0.0
            if self._vol_was_on:
                self._vol_residual = p.residual * self._vol_drop
            self._vol_residual *= math.exp(-dt_s / 8.0)
            goal = self._vol_residual
            tau = p.release_tau_s
        self._vol_was_on = on
        k = dt_s / tau
        self._vol_drop += (goal - self._vol_drop) * (k if k < 1.0 else 1.0)
        tremor = self._rng.gauss(0.0, p.tremor_kpa) if on else 0.0
        return -(self._vol_drop + tremor)

    @property
    def breath_phase(self) -> float:
        """Position in the breathing cycle, 0-1: inhale in [0, 0.4), exhale after."""
        return self._breath_phase % 1.0

    # --- physics -----------------------------------------------------------------------
    def _next_breath(self, rng: random.Random) -> None:
        """A new breath: its depth and length vary a little, and now and then it is a sigh."""
        p = self.params
        spread = p.breath_variability
        self._breath_depth = max(0.3, 1.0 + rng.gauss(0.0, spread))
        self._breath_pace = max(0.6, 1.0 + rng.gauss(0.0, spread))
        if rng.random() < p.sigh_share:
            self._breath_depth *= 2.5
            self._breath_pace *= 0.7

    def sample(self, t_s: float) -> tuple[float, float, float]:
        """(perineal_kpa, seat_left_kg, seat_right_kg) at `t_s`."""
        if t_s == self._last_t_s:
            return self._last
        p = self.params
        timeline = self._timeline
        while timeline and timeline[0][0] <= t_s:
            heapq.heappop(timeline)[2]()
        dt_s = t_s - self._t_s
        if dt_s < 0.0:
            dt_s = 0.0
        self._t_s = t_s
        # breathing: inhale over 40 % of the cycle (rise), exhale over 60 % (fall)
        phase = self._breath_phase
        cycle = int(phase)
        if t_s < self._paced_until_s:    # a paced half: its own pace, and no further than its end
            phase = phase + dt_s * self.breath_rate_bpm * self._half_pace / 60.0
            phase = self._breath_phase = phase if phase < self._half_end else self._half_end
        else:
            phase = self._breath_phase = phase + dt_s * self.breath_rate_bpm * self._breath_pace / 60.0
        if int(phase) != cycle and (p.breath_variability or p.sigh_share):
            self._next_breath(self._rng)
        target_amp = self._breath_depth if self.breathing else 0.0
        x = dt_s / 0.5
        amp = self._breath_amp = self._breath_amp + (target_amp - self._breath_amp) * (x if x < 1.0 else 1.0)
        ph = phase % 1.0                 # `_breath_shape(ph)`, written out
        if ph < 0.4:
            x = ph / 0.4
            shape = x * x * (3.0 - 2.0 * x)
        else:
            x = (ph - 0.4) / 0.6
            shape = 1.0 - x * x * (3.0 - 2.0 * x)
        # a breath rises from the end of the exhale (a sigh goes higher, not lower)
        breath = p.breath_kpa * (amp * shape - 0.5)
        if p.tone > 0.0:                 # a guarded floor barely moves with the breath
            breath *= 1.0 - p.guard_breath_cut * self._guard
        # slow wander (random walk pulled back) and filtered micro-movement
        if dt_s > 0:
            # three `rng.gauss()` draws, as `random.Random.gauss` makes them (Box-Muller pairs: the
            # cosine returned, the sine kept in the generator's `gauss_next` for the next call),
            # written out here: the very same numbers, without three calls per sample
            rng = self._rng
            uniform = self._uniform
            z1 = rng.gauss_next
            if z1 is None:
                angle = uniform() * tau
                radius = sqrt(-2.0 * log(1.0 - uniform()))
                z1, z2 = cos(angle) * radius, sin(angle) * radius
                z3 = None
            else:
                angle = uniform() * tau
                radius = sqrt(-2.0 * log(1.0 - uniform()))
                z2, z3 = cos(angle) * radius, sin(angle) * radius
            if z3 is None:
                angle = uniform() * tau
                radius = sqrt(-2.0 * log(1.0 - uniform()))
                z3, rng.gauss_next = cos(angle) * radius, sin(angle) * radius
            else:
                rng.gauss_next = None
            k = dt_s / 20.0
            k = k if k < 1.0 else 1.0
            self._wander += -self._wander * k + (0.0 + z1 * p.wander_kpa) * sqrt(k)
            m = dt_s / 0.05
            self._micro += ((0.0 + z2 * p.micro_kpa) - self._micro) * (m if m < 1.0 else 1.0)
            x = dt_s / 5.0
            self._sway_kg += (-self._sway_kg * (x if x < 1.0 else 1.0)
                              + (0.0 + z3 * 0.05) * sqrt(dt_s if dt_s < 1.0 else 1.0))
        kpa = p.rest_kpa + p.drift_kpa_per_min * (t_s - self._filled_s) / 60.0 + breath + self._wander + self._micro
        if p.tone > 0.0:
            kpa -= self._tone_kpa(t_s, dt_s)
        if self.voluntary_target or self._vol_drop > 1e-4:
            kpa += self._voluntary_kpa(dt_s)
        actions = self._actions
        seat_left_kg = seat_right_kg = 0.0
        i = 0
        while actions and i < len(actions):
            a = actions[i]
            if t_s >= a.end_s:
                actions.pop(i)
                continue
            if t_s >= a.start_s:
                kpa += a.perineal_kpa(t_s)
                if a.moves_seat:
                    dl, dr = a.seat_kg(t_s)
                    seat_left_kg += dl
                    seat_right_kg += dr
            i += 1
        if self.seated != self._seat_goal:
            self.seated += (self._seat_goal - self.seated) * min(1.0, dt_s / SIT_TAU_S)
            if abs(self.seated - self._seat_goal) < 1e-3:
                self.seated = self._seat_goal
        seated = self.seated
        if seated < 1.0:
            kpa = UNLOADED_KPA + (kpa - UNLOADED_KPA) * seated
        seat_kg = p.mass_kg * p.seat_share * 2.0 * seated
        sway_kg = self._sway_kg * seated
        left_kg = seat_kg * p.balance + sway_kg + seat_left_kg * seated
        right_kg = seat_kg * (1.0 - p.balance) - sway_kg + seat_right_kg * seated
        self._last = (kpa, left_kg, right_kg)
        self._last_t_s = t_s
        return self._last
