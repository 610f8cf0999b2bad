"""Everything a session shows while it samples is laid out ahead (`SessionUi.warm_up_views`):
a cold layout mid-session costs a Pi Zero several sample periods (see `device.screens`)."""

import pytest

from device import screens
from device.screens import render
from device.ui import SessionUi
from hw_sim.harness import coach_session
from hw_sim.persona import PERSONAS
from session.programme import BUILTIN_DIR, load_programmes

PROGRAMMES = load_programmes(BUILTIN_DIR)
LAYOUTS = (screens._block_stamp, screens._footer_stamp, screens._number_layout, screens._block_layout)


def _cold_layouts() -> int:
    return sum(cached.cache_info().misses for cached in LAYOUTS) + len(screens._STAMPS)


@pytest.mark.parametrize("name", sorted(PROGRAMMES))
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_view_of_a_session_is_laid_out_while_it_samples(name, lang):
    screens.clear_caches()
    seen, cold = set(), []
    ui_of = {}

    def each_tick(coach, t):
        ui = ui_of.get("ui")
        if ui is None:
            ui = ui_of["ui"] = SessionUi(coach, None, lang, lambda *logged: None)
            for view in ui.warm_up_views():
                render(view)
        for cue in coach.outbox:
            ui.on_cue(cue)
        if round(t * 50) % 5 or coach.done:        # a frame every 0.1 s; the summary comes after sampling
            return
        view = ui.view(t)
        if view in seen:
            return
        seen.add(view)
        before = _cold_layouts()
        render(view)
        if _cold_layouts() != before:
            cold.append((round(t, 1), view))
    coach_session(PROGRAMMES[name], PERSONAS["strong"], seed=1, rate_hz=50.0, each_tick=each_tick)
    assert len(seen) > 5
    assert not cold, f"{len(cold)} views laid out mid-session, first: {cold[:3]}"
