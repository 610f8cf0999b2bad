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
LANGS = ("nl", "en")
LAYOUTS = (screens._block_stamp, screens._footer_stamp, screens._number_layout, screens._block_layout)


def _cold_layouts() -> int:
    return sum(cached.cache_info().misses for cached in LAYOUTS) + len(screens._STAMPS)


@pytest.mark.parametrize("name, persona", [(name, "strong") for name in sorted(PROGRAMMES)]
                         + [("kracht", "breath_holder"), ("voelen", "breath_holder"), ("ontspannen", "over_tense")])
@pytest.mark.slow
def test_no_view_of_a_session_is_laid_out_while_it_samples(name, persona):
    """One session, seen in each language (a device shows one): after that language's
    warm-up, each view the session shows, drawn when it first came (a frame every 0.1 s),
    costs no layout -- also the warnings with a second line, which `strong` never gets (a
    review: *Adem rustig door / ook als je vasthoudt* was laid out cold)."""
    uis, warm = {}, {}
    shown = {lang: {} for lang in LANGS}        # each view the session showed: when it first came

    def each_tick(coach, t):
        if not uis:
            for lang in LANGS:
                uis[lang] = SessionUi(coach, None, lang, lambda *logged: None)
                warm[lang] = list(uis[lang].warm_up_views())
        for ui in uis.values():
            for cue in coach.outbox:
                ui.on_cue(cue)
        if round(t * 50) % 5 or coach.done:        # a frame every 0.1 s; the summary comes after sampling
            return
        for lang, ui in uis.items():
            shown[lang].setdefault(ui.view(t), round(t, 1))
    coach_session(PROGRAMMES[name], PERSONAS[persona], seed=1, rate_hz=50.0, each_tick=each_tick)
    for lang in LANGS:
        screens.clear_caches()
        for view in warm[lang]:
            render(view)
        cold = []
        for view, t in shown[lang].items():
            before = _cold_layouts()
            render(view)
            if _cold_layouts() != before:
                cold.append((t, view))
        assert len(shown[lang]) > 5
        assert not cold, f"{lang}: {len(cold)} views laid out mid-session, first: {cold[:3]}"


@pytest.mark.slow
def test_every_programmes_warm_up_in_both_languages_stays_in_the_layout_caches():
    """What the menu lays out ahead must still be kept when the session shows it: at 1024 blocks
    kept, basis's warm-up (every text of the catalogue, some 1,050 blocks) pushed its own first
    ones out -- two texts more in the catalogue and a hold's caption was laid out cold
    mid-session. The largest programme's warm-up in both languages, one after the other, evicts none."""
    from session.analyzer import Analyzer
    from session.coach import Coach
    warm_ups = {name: [SessionUi(Coach(programme, Analyzer()), None, lang, lambda *_: None).warm_up_views()
                       for lang in LANGS] for name, programme in PROGRAMMES.items()}
    name = max(warm_ups, key=lambda name: sum(len(views) for views in warm_ups[name]))
    screens.clear_caches()
    for views in warm_ups[name]:
        for view in views:
            render(view)
    for cached in LAYOUTS:
        info = cached.cache_info()
        assert info.currsize == info.misses < info.maxsize, (name, cached.__name__, info)
