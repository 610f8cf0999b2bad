"""Coughs: a sharp spike up (the abdominal pressure jumps) that is over within `max_s`.

The spike is measured on the smoothed pressure against a local level that follows the
pressure with `ref_tau_s` (so a cough on top of a lift or a push still stands out); it
must rise more than the push threshold above that level. While a lift is held or a push
goes on (`steady`), it must also stand more than `rough_k` times their own quick motion
above it: a held lift wavers and a push ripples across the push threshold a few times a
second. That motion is the root mean square of the pressure about its quick mean
(`quick_tau_s`), learnt over about `rough_tau_s` between spikes, the quick mean starting
afresh where each spike ends (a cough's spike and its falling tail do not raise it: the
next cough of a burst stands out as well), and only while steady -- a lift's fall, a push's
rise, a posture's step are not learnt, and at rest, or right after, a cough is judged as
before. (The spike is measured from the slower local level, about which a slow wavering
moves more than about its quick mean: the bar is, if anything, low -- on the side of
keeping coughs.) A spike still up after
`max_s` is not a cough (a push or a shift), nor is one the push detector took for a push's
rise (`taken_for_push`: one action, one event). Spikes that end with the body rising off the
seat (`rising_off`: standing up raises the pressure as sharply, but so may a cough bent forward)
are held back (`held`) until `settle()` says the seat stopped falling (a lean: each is raised
then, with its own times) or the body is off it (standing up: none is a cough); a pause or the
end of the recording before that leaves them uncounted. The event carries the peak
above the local level and whether the pressure stayed below rest throughout (a cough caught by
a lift: the knack).
"""

from __future__ import annotations

from session.events import COUGH, Event, EventLog


class CoughDetector:
    """`start_t` >= 0 while a spike is under way (when it began)."""

    __slots__ = ("log", "ref_tau_s", "max_s", "delay_s", "ref_kpa", "start_t", "last_spike_t", "last_cough_t",
                 "last_cough_start_t", "_peak", "_peak_above_rest", "rough_k", "rough_tau_s",
                 "quick_tau_s", "_rough_sq", "_quick_kpa", "_pushed", "_held")

    def __init__(self, log: EventLog, *, ref_tau_s: float = 0.5, max_s: float = 0.6,
                 delay_s: float = 0.02, rough_k: float = 3.0, rough_tau_s: float = 0.7,
                 quick_tau_s: float = 0.15) -> None:
        self.log = log
        self.ref_tau_s = ref_tau_s
        self.max_s = max_s
        self.delay_s = delay_s
        self.ref_kpa = 0.0
        self.start_t = -1.0
        self.last_spike_t = -1e9     # when the last spike (a cough or not) was over
        self.last_cough_t = -1e9     # when the last cough was raised (as its spike ended, or a held one settled) ...
        self.last_cough_start_t = -1e9   # ... and when it began
        self.rough_k = rough_k
        self.rough_tau_s = rough_tau_s
        self.quick_tau_s = quick_tau_s
        self._peak = self._peak_above_rest = 0.0
        self._rough_sq = 0.0         # steady: the mean square of the pressure about its quick mean
        self._quick_kpa = 0.0
        self._pushed = False         # the spike under way was taken for a push's rise
        self._held: list[tuple[float, float, float, float]] = []   # spikes over as the body rose off the
                                     # seat, waiting for `settle`: each one's start, end, peak and peak above rest

    def reset(self, kpa: float) -> None:
        self.ref_kpa = self._quick_kpa = kpa
        self._rough_sq = 0.0
        self.start_t = -1.0
        self._held.clear()
        self.last_spike_t = self.last_cough_t = self.last_cough_start_t = -1e9

    def step(self, t: float, dt: float, kpa: float, base: float, spike_kpa: float,
             steady: bool = False, rising_off: bool = False) -> None:
        """One sample; `steady`: a lift is held or a push goes on (their wavering and ripples are
        measured, and a spike must stand out from them); `rising_off`: the body is rising off
        the seat (looked at as a spike ends)."""
        ref = self.ref_kpa
        above = kpa - ref
        quick = self._quick_kpa = self._quick_kpa + (kpa - self._quick_kpa) * (dt / (self.quick_tau_s + dt))
        if self.start_t < 0.0:
            rough_sq = self._rough_sq
            if above > spike_kpa and above * above > self.rough_k * self.rough_k * rough_sq:
                self.start_t = t
                self._pushed = False
                self._peak = above
                self._peak_above_rest = kpa - base
            else:
                self.ref_kpa = ref + above * (dt / (self.ref_tau_s + dt))
                if steady:
                    off = kpa - quick
                    self._rough_sq = rough_sq + (off * off - rough_sq) * (dt / (self.rough_tau_s + dt))
                else:
                    self._rough_sq = 0.0
            return
        if above > self._peak:
            self._peak = above
        if kpa - base > self._peak_above_rest:
            self._peak_above_rest = kpa - base
        if above < 0.5 * spike_kpa:
            if t - self.start_t <= self.max_s and not self._pushed:
                spike = (self.start_t - self.delay_s, t, self._peak, self._peak_above_rest)
                if rising_off:
                    self._held.append(spike)
                else:
                    self._raise(t, *spike)
            self.start_t = -1.0
            self._quick_kpa = kpa          # its tail, falling still, is no motion of the hold's
            self.last_spike_t = t
        elif t - self.start_t > self.max_s:            # too long for a cough: a push or a shift
            self.ref_kpa = kpa
            self.start_t = -1.0

    @property
    def held(self) -> bool:
        """A spike is held back until the seat tells whether it was a cough (`settle`)."""
        return bool(self._held)

    def _raise(self, t: float, start: float, end_t: float, peak_kpa: float,
               peak_above_rest_kpa: float) -> None:
        """The cough of a spike from `start` to `end_t`, raised at `t`."""
        self.log.raise_(Event(COUGH, start, t, end=end_t, completed_at=t, metrics={
            "peak_kpa": peak_kpa, "peak_above_rest_kpa": peak_above_rest_kpa,
            "below_rest": float(peak_above_rest_kpa < 0.0)}))
        self.last_cough_t = t
        self.last_cough_start_t = start

    def settle(self, t: float, rising_off: bool, standing: bool) -> None:
        """The `held` spikes: raised once the body no longer rises off the seat, dropped once
        it is off it (`standing`)."""
        held = self._held
        if standing:
            held.clear()
        elif not rising_off:
            for spike in held:
                self._raise(t, *spike)
            held.clear()

    def taken_for_push(self) -> None:
        """The spike under way is a push's rise (the push detector raised one): followed to its
        end as any other, it is no cough."""
        self._pushed = True
