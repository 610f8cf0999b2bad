"""Samples taken at uneven times put on a fixed-rate grid, for formats that need one (EDF).

A recording's samples come at uneven times (`t`: when each conversion started, with
jitter and now and then a dropped sample) and stop while the session is paused. On the
grid `k / rate_hz` (k = 0, 1, ...) of the recording's own seconds, a grid time takes

- the straight line between the two samples either side of it, when both are of the
  same stretch (no pause between them) and at most `BRIDGE_S` apart;
- else the value of a sample within half a sample period of it (the first or last
  sample of a stretch, or of a run before a gap);
- else -- in a pause, in a gap (`gaps`), after the last sample -- the value of the last
  sample before it, held (a flat line); before the first sample, the first sample's.

Every grid time so gets a value the recording holds: a format without a mark for "no
sample" (EDF has none: a viewer draws whatever number is there) shows no swing that was
never measured. That nothing was measured there is for the caller to say (`gaps`, the
recording's pauses).
"""

from __future__ import annotations

import numpy as np

BRIDGE_S = 0.1      # samples at most this far apart are joined (25 periods at 250 Hz); further is a gap
CHUNK_POINTS = 65536


def regrid(t_s: np.ndarray, values: np.ndarray, stretch: np.ndarray, rate_hz: float, count: int) -> np.ndarray:
    """`values` taken at the strictly increasing times `t_s` (seconds), in the stretches
    numbered by `stretch`, at the `count` grid times k / rate_hz; all NaN when not one
    sample was taken. NaN in `values` is a sample not taken: it is left out. Worked out
    `CHUNK_POINTS` grid times at a time, so its scratch memory stays small however long
    the recording."""
    taken = ~np.isnan(values)
    t_s, values, stretch = t_s[taken], values[taken], stretch[taken]
    out = np.full(count, np.nan)
    if len(t_s):
        for first in range(0, count, CHUNK_POINTS):
            grid_s = np.arange(first, min(first + CHUNK_POINTS, count)) / rate_hz
            out[first:first + len(grid_s)] = _at(grid_s, t_s, values, stretch, 0.5 / rate_hz)
    return out


def _at(grid_s: np.ndarray, t_s: np.ndarray, values: np.ndarray, stretch: np.ndarray, half_s: float) -> np.ndarray:
    """The values at the grid times `grid_s` (at least one sample given), as `regrid` says."""
    n = len(t_s)
    out = np.empty(len(grid_s))
    before = np.searchsorted(t_s, grid_s, side="right") - 1      # the last sample at or before each grid time
    left = np.clip(before, 0, n - 1)
    right = np.clip(before + 1, 0, n - 1)
    has_left, has_right = before >= 0, before + 1 < n
    left_t, right_t = t_s[left], t_s[right]
    joined = has_left & has_right & (stretch[left] == stretch[right]) & (right_t - left_t <= BRIDGE_S)
    span_s = np.where(joined, right_t - left_t, 1.0)
    out[joined] = (values[left] + (values[right] - values[left]) * (grid_s - left_t) / span_s)[joined]
    near_left = has_left & (grid_s - left_t <= half_s)
    near_right = has_right & (right_t - grid_s <= half_s)
    take_right = ~joined & near_right & (~near_left | (right_t - grid_s < grid_s - left_t))
    take_left = ~joined & near_left & ~take_right
    out[take_left] = values[left][take_left]
    out[take_right] = values[right][take_right]
    held = ~(joined | take_left | take_right)             # a pause, a gap, before the first or after the last
    out[held] = np.where(has_left, values[left], values[0])[held]
    return out


def gaps(t_s: np.ndarray, stretch: np.ndarray) -> list[tuple[float, float]]:
    """The spans (start_s, end_s) over `BRIDGE_S` without a sample that are not a pause:
    between two samples of the same stretch, and from 0 to the first sample."""
    if len(t_s) == 0:
        return []
    apart = np.flatnonzero((np.diff(t_s) > BRIDGE_S) & (np.diff(stretch) == 0))
    spans = [(float(t_s[i]), float(t_s[i + 1])) for i in apart]
    return ([(0.0, float(t_s[0]))] if t_s[0] > BRIDGE_S else []) + spans
