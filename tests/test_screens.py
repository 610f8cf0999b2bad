"""OLED screens and the text catalogue (the buzzer patterns: test_sounds.py)."""

from __future__ import annotations

import string

import pytest
from PIL import Image, ImageDraw

from device import screens
from device.screens import (FOOTER_TOP, GROUND_Y, HEIGHT, RIGHT_X0, SHAFT_X0, SHAFT_X1, WIDTH, LiftView,
                            MessageView, PacerView, RelaxView, SummaryView, WarningView, fit_font,
                            menu_heading_fits, pct_to_y, render)
from device.summary_text import two_lines
from device.ui import SessionUi
from session.coach import Cue
from device.texts import LANGS, TEXTS, text, today_text

FOOTER = "Herhaling 10/10  Serie 3/3"
# the widest values the placeholders take
FMT = {"floor": 4, "rep": 10, "reps": 10, "series": 3, "of": 3, "n": 3, "done": 2, "goal": 3, "pct": 100, "good": 10, "s": 60, "fast": 5, "level": 3}
ALL_TEXTS = sorted({e[lang].format(**FMT) for e in TEXTS.values() for lang in LANGS if lang in e})

EXAMPLES = {
    "pacer_inhale": PacerView("inhale", 0.4, "Adem in", "Herhaling 3/10  Serie 1/3"),
    "pacer_exhale_done": PacerView("exhale", 1.0, "Lang uitademen"),
    "pacer_out_of_range": PacerView("inhale", 1.7, "Adem in"),
    "lift": LiftView(38.0, 40.0, 60.0, 2, "Naar verdieping 2", None, "Herhaling 3/10  Serie 1/3"),
    "lift_hold": LiftView(50.0, 40.0, 60.0, 2, "Vasthouden", 7.2, "Herhaling 3/10  Serie 1/3"),
    "lift_no_target": LiftView(20.0, None, None, None, "Adem uit, til op", None, ""),
    "lift_over_max": LiftView(140.0, 80.0, 100.0, None, "Maximaal aanspannen 1/3", 0.0, ""),
    "lift_pushing_hard": LiftView(-300.0, 15.0, 35.0, 1, "Adem uit, til op", 3.0, FOOTER),
    "relax": RelaxView(30.0, 5.0, "Laat los", "Herhaling 3/10  Serie 1/3"),
    "relax_no_countdown": RelaxView(-5.0, None, "Ontspan", ""),
    "warning": WarningView("Niet persen!"),
    "warning_detail": WarningView("Adem rustig door", "Houd je adem niet vast"),
    "summary": SummaryView("Klaar!", ("Kracht: 2,35 kPa", "Uithouding: 8 s", "Herhalingen: 9  Snel: 10",
                                      "Fouten: 2")),
    "summary_empty": SummaryView("Klaar!", ()),
    "message": MessageView("Rust", ("Serie 2/3", "45 s")),
    "message_title_only": MessageView("Zit ontspannen"),
    "message_empty": MessageView(""),
}


_ORIGINAL_TEXT = ImageDraw.ImageDraw.text


def lit(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> int:
    """Lit pixels of `image` inside box (x0, y0, x1, y1), exclusive of x1/y1."""
    region = image.crop(box) if box else image
    return sum(1 for v in region.getdata() if v)


def shaft_box() -> tuple[int, int, int, int]:
    return (0, 0, RIGHT_X0, FOOTER_TOP)


@pytest.fixture
def drawn_texts(monkeypatch):
    """(draw, xy, text, font, anchor) of every text drawn while rendering: frames are
    drawn without their cached stamps of whole blocks (layouts stay cached)."""
    calls = []
    stamp = screens.stamp_text

    def recording(draw, xy, text, f, fill=1):
        calls.append((draw, xy, text, f, "ls"))
        return stamp(draw, xy, text, f, fill)

    monkeypatch.setattr(screens, "stamp_text", recording)
    for cached in ("_block_stamp", "_footer_stamp", "_shaft_background"):
        monkeypatch.setattr(screens, cached, getattr(screens, cached).__wrapped__)
    return calls


@pytest.mark.slow
def test_stamped_text_is_exactly_what_freetype_draws():
    words = {w for s in ALL_TEXTS + ["Controleer", "Herhalingen", "\u2026"] for w in s.split()}
    for word in sorted(words):
        for size in sorted(set(screens.CAPTION_SIZES + screens.BIG_SIZES)):
            f = screens.font(size)
            drawn, stamped = Image.new("1", (WIDTH, HEIGHT)), Image.new("1", (WIDTH, HEIGHT))
            _ORIGINAL_TEXT(ImageDraw.Draw(drawn), (3, 40), word, font=f, fill=1, anchor="ls")
            screens.stamp_text(ImageDraw.Draw(stamped), (3, 40), word, f)
            assert drawn.tobytes() == stamped.tobytes(), (word, size)


def assert_texts_inside(calls, box=(0, 0, WIDTH, HEIGHT)) -> None:
    """Each drawn text's bbox (draw.textbbox) lies in box, and no ink of it falls
    outside the frame when drawn on a larger canvas."""
    assert calls, "nothing was drawn"
    x0b, y0b, x1b, y1b = box
    margin = 64
    for draw, xy, s, font, anchor in calls:
        x0, y0, x1, y1 = draw.textbbox(xy, s, font=font, anchor=anchor)
        assert x0b <= x0 and y0b <= y0 and x1 <= x1b and y1 <= y1b, \
            f"{s!r} at size {font.size} has bbox {(x0, y0, x1, y1)} outside {box}"
        big = Image.new("1", (WIDTH + 2 * margin, HEIGHT + 2 * margin))
        _ORIGINAL_TEXT(ImageDraw.Draw(big), (xy[0] + margin, xy[1] + margin), s, fill=1, font=font,
                       anchor=anchor)
        ink = big.getbbox()
        if ink:
            assert margin <= ink[0] and margin <= ink[1] and ink[2] <= WIDTH + margin \
                and ink[3] <= HEIGHT + margin, f"{s!r} inks outside the frame: {ink}"


def drawn_words(calls) -> list[str]:
    return [w for _, _, s, _, _ in calls for w in s.split()]


# --- every view -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", EXAMPLES)
def test_every_view_renders_a_128x64_1_bit_image(name):
    image = render(EXAMPLES[name])
    assert image.mode == "1" and image.size == (WIDTH, HEIGHT)
    assert set(image.getdata()) <= {0, 255}
    if name != "message_empty":
        assert lit(image) > 0


def test_a_frame_drawn_in_steps_is_the_frame_drawn_at_once():
    for view in EXAMPLES.values():
        steps = screens.render_steps(view)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                image = done.value
                break
        assert image.tobytes() == render(view).tobytes()
    with pytest.raises(TypeError, match="str"):
        render("Adem in")


def test_views_are_frozen_and_comparable():
    view = EXAMPLES["lift"]
    with pytest.raises(AttributeError):
        view.level_pct = 10.0           # type: ignore[misc]
    assert view == LiftView(38.0, 40.0, 60.0, 2, "Naar verdieping 2", None, "Herhaling 3/10  Serie 1/3")


# --- the lift ------------------------------------------------------------------------------
def test_lift_in_the_target_band_looks_different_in_the_shaft():
    inside = render(LiftView(50.0, 40.0, 60.0, 2, "Vasthouden", None, ""))
    below = render(LiftView(20.0, 40.0, 60.0, 2, "Vasthouden", None, ""))
    above = render(LiftView(80.0, 40.0, 60.0, 2, "Vasthouden", None, ""))
    shaft = shaft_box()
    assert inside.crop(shaft).tobytes() != below.crop(shaft).tobytes()
    assert inside.crop(shaft).tobytes() != above.crop(shaft).tobytes()
    # on target the band's sides light up outside the walls
    y_hi, y_lo = pct_to_y(60.0), pct_to_y(40.0)
    side = (SHAFT_X1 + 1, y_hi, SHAFT_X1 + 3, y_lo + 1)
    assert lit(inside, side) == 2 * (y_lo - y_hi + 1)
    for off_target in (below, above):
        assert lit(off_target, side) <= 2      # at most a floor tick


def test_lift_bar_height_follows_the_level():
    cx = (SHAFT_X0 + SHAFT_X1) // 2
    for level in (10.0, 30.0, 75.0, 100.0):
        image = render(LiftView(level, None, None, None, "Vasthouden", None, ""))
        y = pct_to_y(level)
        assert image.getpixel((cx, y)) and image.getpixel((cx, GROUND_Y - 1))
        assert not any(image.getpixel((cx, yy)) for yy in range(0, y - 1)), f"bar above {level} %"
    assert pct_to_y(100.0) < pct_to_y(75.0) < pct_to_y(50.0) < pct_to_y(25.0) < pct_to_y(0.0) == GROUND_Y
    assert pct_to_y(-50.0) == GROUND_Y


@pytest.mark.parametrize("view_of", [
    lambda level: LiftView(level, 40.0, 60.0, 2, "Adem uit, til op", None, FOOTER),
    lambda level: RelaxView(level, 3.0, "Laat los", FOOTER),
])
def test_pushing_draws_below_the_ground_line(view_of):
    below_ground = (0, GROUND_Y + 1, RIGHT_X0, FOOTER_TOP)
    assert lit(render(view_of(0.0)), below_ground) == 0
    assert lit(render(view_of(5.0)), below_ground) == 0
    slight, hard = render(view_of(-2.0)), render(view_of(-40.0))
    assert lit(slight, below_ground) >= 10, "a slight push must still be visible"
    assert lit(hard, below_ground) > lit(slight, below_ground)
    assert hard.getpixel(((SHAFT_X0 + SHAFT_X1) // 2, GROUND_Y)), "the ground line is drawn"


def test_the_asked_for_floor_is_marked():
    plain = render(LiftView(0.0, 40.0, 60.0, None, "x", None, ""))
    floor2 = render(LiftView(0.0, 40.0, 60.0, 2, "x", None, ""))
    labels = (0, 0, SHAFT_X0, GROUND_Y)
    assert lit(floor2, labels) > lit(plain, labels)


def test_countdown_is_the_ceiling_of_the_seconds_with_its_unit(drawn_texts):
    """With its unit: a bare 3, 2, 1 beside the shaft's floors read as floors to go to."""
    render(LiftView(50.0, 40.0, 60.0, 2, "Vasthouden", 7.2, ""))
    render(LiftView(50.0, 40.0, 60.0, 2, "Vasthouden", 3.0, ""))
    render(LiftView(50.0, 40.0, 60.0, 2, "Vasthouden", -1.0, ""))
    numbers = [s for _, xy, s, _, _ in drawn_texts if s[:1].isdigit() and xy[0] >= RIGHT_X0]
    assert numbers == ["8 s", "3 s", "0 s"]


# --- the others -------------------------------------------------------------------------------
def test_pacer_grows_on_inhale_and_shrinks_on_exhale():
    def disc(phase, progress):
        image = render(PacerView(phase, progress, "Adem in"))
        return lit(image, (0, 0, RIGHT_X0 + 20, FOOTER_TOP))
    assert disc("inhale", 0.0) < disc("inhale", 0.5) < disc("inhale", 1.0)
    assert disc("exhale", 0.0) > disc("exhale", 0.5) > disc("exhale", 1.0)
    assert render(PacerView("inhale", 0.5, "x")).tobytes() != render(PacerView("exhale", 0.5, "x")).tobytes()


def test_relax_shows_how_far_from_rest():
    cx = (SHAFT_X0 + SHAFT_X1) // 2
    high, rested = render(RelaxView(60.0, None, "Laat los", "")), render(RelaxView(0.0, None, "Laat los", ""))
    column = (cx - 2, 0, cx + 3, GROUND_Y)
    assert lit(high, column) > lit(rested, column) + 40


def test_warning_is_inverted():
    for view in (EXAMPLES["warning"], EXAMPLES["warning_detail"], WarningView("Adem rustig door")):
        image = render(view)
        assert lit(image) > 0.7 * WIDTH * HEIGHT
        assert lit(image) < WIDTH * HEIGHT, "the text is drawn (black)"
    assert lit(render(EXAMPLES["message"])) < 0.3 * WIDTH * HEIGHT


def test_summary_and_message_draw_all_their_lines(drawn_texts):
    render(EXAMPLES["summary"])
    words = drawn_words(drawn_texts)
    for line in EXAMPLES["summary"].lines + ("Klaar!",):
        for word in line.split():
            assert word in words
    drawn_texts.clear()
    render(EXAMPLES["message"])
    assert drawn_words(drawn_texts) == "Rust Serie 2/3 45 s".split()


# --- text fitting -------------------------------------------------------------------------------
def test_fit_font_shrinks_until_it_fits():
    draw = ImageDraw.Draw(Image.new("1", (WIDTH, HEIGHT)))
    big = fit_font(draw, "Hold", 120, 40)
    small = fit_font(draw, "Squeeze as hard as you can 3/3", 120, 40)
    assert small.size < big.size
    for s, w, h in (("Hold", 120, 40), ("Breathe into your belly", 120, 40), ("Niet persen!", 60, 12),
                    ("Vasthouden", 70, 30), ("Herhalingen", 64, 30)):
        f = fit_font(draw, s, w, h, sizes=(8, 12, 16, 20, 28))
        x0, y0, x1, y1 = draw.textbbox((0, 0), s, font=f, anchor="ls")
        assert x1 - x0 <= w and y1 - y0 <= h
        if f.size < 28 and " " not in s:       # the next size up would not fit
            bigger = screens.font({8: 12, 12: 16, 16: 20, 20: 28}[f.size])
            bx0, by0, bx1, by1 = draw.textbbox((0, 0), s, font=bigger, anchor="ls")
            assert bx1 - bx0 > w or by1 - by0 > h
    assert fit_font(draw, "Maximaal aanspannen", 10, 5, sizes=(12, 8)).size == 8    # nothing fits: smallest
    assert screens.font(14) is screens.font(14)
    with pytest.raises(ValueError, match="10 px"):
        screens.font(10)                         # between the bitmap font and 12 px, digits blur


@pytest.mark.parametrize("s", ALL_TEXTS)
@pytest.mark.sweep
def test_every_catalogue_text_fits_every_screen(s, drawn_texts):
    """As a caption (big, wrapped) it is drawn whole; in any slot it stays in the frame."""
    captions = [WarningView(s), WarningView(s, "Houd je adem niet vast"),
                LiftView(55.0, 40.0, 60.0, 2, s, 10.0, FOOTER), LiftView(-20.0, 40.0, 60.0, 2, s, None, ""),
                RelaxView(30.0, 10.0, s, FOOTER), PacerView("exhale", 0.3, s, FOOTER),
                MessageView(s, ("Serie 2/3", "45 s")), MessageView(s)]
    other_slots = [WarningView(s, s), LiftView(5.0, 40.0, 60.0, 2, s, None, s), MessageView(s, (s, s, s)),
                   SummaryView(s, (s, s, s, s))]
    for view in captions + other_slots:
        drawn_texts.clear()
        render(view)
        assert_texts_inside(drawn_texts)
        if view in captions:
            assert " ".join(s.split()) in " ".join(drawn_words(drawn_texts)), f"{s!r} not all drawn in {view}"
        if isinstance(view, (LiftView, RelaxView)):       # the caption keeps clear of the shaft and footer
            caption_calls = [c for c in drawn_texts if c[1][1] < FOOTER_TOP and c[1][0] >= RIGHT_X0 - 8]
            assert_texts_inside(caption_calls, (RIGHT_X0, 0, WIDTH, FOOTER_TOP))


@pytest.mark.parametrize("lang", LANGS)
def test_real_footers_and_summaries_are_drawn_whole(lang, drawn_texts):
    t = lambda key, **kw: text(key, lang, **kw)     # noqa: E731
    footer = t("rep", rep=10, reps=10) + "  " + t("series", series=3, of=3)
    lines = (t("strength_vs_last", pct=100), t("good_reps", good=30, of=30),
             t("letting_go_pct", pct=100) + " " + t("less"), t("held_s", s=120))
    mistakes = (t("err_not_let_go", n=99, of=99), t("err_breath_hold", n=99)) + tuple(
        max((two_lines(t(key)) for key in TEXTS if key.startswith("advice_")), key=lambda w: max(map(len, w))))
    missed = (t("err_short", n=99), max((t(key) for key in TEXTS if key.startswith("short_")), key=len)) + mistakes[2:]
    series = t("series", series=2, of=3)
    for view, expected in ((LiftView(50.0, 40.0, 60.0, 2, t("hold"), 10.0, footer), (t("hold"), footer)),
                           (SummaryView(t("summary"), lines), (t("summary"),) + lines),
                           (SummaryView(t("mistakes"), mistakes), (t("mistakes"),) + mistakes),
                           (SummaryView(t("to_work_on"), missed), (t("to_work_on"),) + missed),
                           (MessageView(t("series_rest"), (series, "120 s")), (t("series_rest"), series, "120 s"))):
        drawn_texts.clear()
        render(view)
        assert_texts_inside(drawn_texts)
        words = drawn_words(drawn_texts)
        assert not any("\u2026" in w for w in words), f"cut short: {words}"
        for line in expected:
            assert " ".join(line.split()) in " ".join(words)
    for rep, reps in ((3, 10), (10, 10)):    # in the bitmap font, whole
        drawn_texts.clear()
        footer = t("rep", rep=rep, reps=reps) + "  " + t("series", series=1, of=3)
        render(LiftView(50.0, 40.0, 60.0, 2, "Vasthouden", None, footer))
        footer_calls = [c for c in drawn_texts if c[1][1] >= FOOTER_TOP]
        assert {c[3].size for c in footer_calls} == {screens.SMALL}
        assert " ".join(drawn_words(footer_calls)) == " ".join(footer.split())


def test_text_outside_the_font_is_transliterated(drawn_texts):
    render(MessageView("Geëindigd", ("Één “serie”",)))
    assert drawn_words(drawn_texts) == ["Geeindigd", "Een", '"serie"']
    for s in ALL_TEXTS:
        assert screens.plain(s) == s, f"{s!r} has characters the built-in font lacks"


def test_too_long_texts_are_cut_short_not_overflowing(drawn_texts):
    long = "Adem rustig door en span de bekkenbodem niet aan terwijl je zit"
    render(WarningView("Niet persen!", long))
    render(SummaryView(long, (long,)))
    render(LiftView(0.0, None, None, None, "Vasthouden", None, long))
    assert_texts_inside(drawn_texts)
    assert any(w.endswith("\u2026") for w in drawn_words(drawn_texts))


CAPTIONS = sorted({e[lang].format(**FMT) for key, e in TEXTS.items() for lang in LANGS
                   if lang in e and not key.startswith("warn_")})     # warnings take the whole screen


@pytest.mark.slow
def test_captions_stay_legible(drawn_texts):
    """The longest caption still gets at least the small font size on the lift screen."""
    for s in CAPTIONS:
        render(LiftView(55.0, 40.0, 60.0, 2, s, 10.0, FOOTER))
    sizes = [f.size for _, xy, _, f, _ in drawn_texts if xy[0] >= RIGHT_X0 and xy[1] < 30]
    assert min(sizes) >= screens.SMALL


@pytest.mark.parametrize("lang, footer", [("nl", "Meting: rust na afloop"), ("en", "Assessment: final rest")])
def test_the_assessments_rest_at_its_end_says_what_it_is_whole_in_the_footer(lang, footer, drawn_texts):
    """*Meting: laatste rust* left a patient asking which rest was the last: it is the resting level
    measured after the contractions, as the first is before them. Said whole, in the small font."""
    assert text("assess_rest_after", lang) == footer
    render(RelaxView(5.0, 18, text("relax", lang), footer))
    footer_calls = [c for c in drawn_texts if c[1][1] >= FOOTER_TOP]
    assert_texts_inside(footer_calls)
    assert {c[3].size for c in footer_calls} == {screens.SMALL}
    assert " ".join(drawn_words(footer_calls)) == footer


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", ["hold", "hold_max", "hold_breathe", "hold_max_breathe", "hold_higher_breathe"])
def test_a_hold_is_asked_in_a_large_font_beside_the_lift(drawn_texts, key, lang):
    """Held for many seconds and read at a glance: 12 px or more, never the small font kept
    for footers ("As long as you can" fell to it)."""
    render(LiftView(55.0, 40.0, 60.0, 2, text(key, lang, **FMT), 10.0, FOOTER))
    sizes = {f.size for _, xy, _, f, _ in drawn_texts if xy[0] >= RIGHT_X0 - 8 and xy[1] < FOOTER_TOP}
    assert sizes and min(sizes) >= 12, (key, lang, sizes)


# --- texts --------------------------------------------------------------------------------------
REQUIRED_TEXTS = {
    "inhale": ("Adem in", "Breathe in"), "hold": ("Vasthouden", "Hold"), "relax": ("Laat los", "Let go"),
    "warn_bear_down": ("Niet persen!", "Don't push!"), "warn_let_go": ("Laat los", "Let go"),
    "warn_keep_breathing": ("Adem rustig door", "Keep breathing"), "summary": ("Klaar!", "Done!"),
}
REQUIRED_IDS = {"inhale", "exhale_lift", "lift_to_floor", "hold", "relax", "flick", "cough_now",
                "brace", "warn_bear_down", "warn_let_go", "warn_keep_breathing", "rep", "series",
                "calibrate_rest", "calibrate_max", "summary", "strength_vs_last", "good_reps", "held_s",
                "quick_squeezes", "letting_go_pct", "mistakes", "series_rest", "breathe_in_belly",
                "breathe_out_long", "relax_first"}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_text_has_both_languages_with_the_same_fields():
    assert REQUIRED_IDS <= set(TEXTS)
    for key, entry in TEXTS.items():
        assert set(entry) == set(LANGS), key
        assert all(entry[lang].strip() for lang in LANGS), key
        assert fields(entry["nl"]) == fields(entry["en"]), key
    for key, (nl, en) in REQUIRED_TEXTS.items():
        assert (text(key, "nl"), text(key, "en")) == (nl, en)


@pytest.mark.parametrize("lang, word", [("nl", "Rust"), ("en", "Rest")])
def test_the_break_between_series_reads_apart_from_a_pause_the_user_asked_for(lang, word):
    """Both screens read *Pauze*: the break the programme gives and the pause the user asked for
    (OK) could not be told apart. The break says the brochures' word for resting (004: "in rust")."""
    from device.ui import SessionUi, paused_view
    from session.analyzer import Analyzer
    from session.coach import Coach
    from session.programme import BUILTIN_DIR, load_programmes

    ui = SessionUi(Coach(load_programmes(BUILTIN_DIR)["basis"], Analyzer()), None, lang, lambda *_: None)
    next_series = text("series", lang, series=2, of=3)
    breaks = {v.title for v in ui.warm_up_views() if isinstance(v, MessageView) and v.lines[:1] == (next_series,)}
    assert breaks == {word}
    assert {paused_view(reason, lang).title for reason in ("button", "stood_up")} == {text("paused", lang)} != breaks


def test_text_formats():
    assert text("rep", "nl", rep=3, reps=10) == "Herhaling 3/10"
    assert text("series", "en", series=1, of=3) == "Set 1/3"
    assert text("lift_to_floor", "nl", floor=2) == "Naar verdieping 2"
    assert text("calibrate_max", "nl", n=2) == "Maximaal aanspannen 2/3"
    assert text("hold", "nl", seconds=10) == "Vasthouden"         # extra values are ignored


def test_the_level_news_and_the_days_count_read_as_sentences():
    """A trial: *Terug: niveau 3* (read better: *Terug naar niveau 3*, its pair *Door naar niveau 4*) and,
    on the menu after two sessions of a goal of one, *Vandaag 2/1*."""
    assert [text(key, "nl", level=3) for key in ("level_up", "level_down")] == ["Door naar niveau 3",
                                                                              "Terug naar niveau 3"]
    assert [text(key, "en", level=3) for key in ("level_up", "level_down")] == ["On to level 3", "Back to level 3"]
    assert [today_text(done, 1, "nl") for done in (0, 1, 2)] == ["Vandaag 0/1", "Vandaag 1/1", "Vandaag 2 (doel 1)"]
    assert today_text(4, 3, "en") == "Today 4 (goal 3)"


@pytest.mark.parametrize("lang", LANGS)
def test_the_menus_count_is_never_cut(lang):
    """Reviews: past a goal of 5-7, *Vandaag 7 (doel 6)* was cut beside the goal's boxes
    (*Vandaag 7 (do...*), and beside eight boxes every heading (*Vandaag...*). Where it does not
    fit, *Vandaag 7* -- the boxes, all filled, say the goal --, else the count alone, *8/8*, *13/8*."""
    for goal in range(1, 21):                    # [session] daily_goal's range
        for done in range(0, goal + 13):
            heading = today_text(done, goal, lang, lambda said: menu_heading_fits(said, goal))
            assert menu_heading_fits(heading, goal), (goal, done, heading)
    assert today_text(7, 6, "nl", lambda said: menu_heading_fits(said, 6)) == "Vandaag 7"
    assert today_text(2, 1, "nl", lambda said: menu_heading_fits(said, 1)) == "Vandaag 2 (doel 1)"
    assert today_text(8, 8, "nl", lambda said: menu_heading_fits(said, 8)) == "8/8"
    assert today_text(13, 8, "nl", lambda said: menu_heading_fits(said, 8)) == "13/8"


@pytest.mark.parametrize("lang", LANGS)
def test_niet_persen_says_under_it_what_to_do_instead(lang):
    """A new user's trial: *Niet persen!* said only what not to do, for the 1.6 s it stood -- in a
    step that asks a lift, let go and lift; elsewhere (a rest, `ontspannen`), let go (a review:
    *til dan op* asked an over-tense floor to squeeze)."""
    ui = SessionUi(None, None, lang, lambda *logged: None)
    ui.on_cue(Cue(1.0, "warn_bear_down", {"lifting": True}))
    assert ui.view(1.0) == WarningView(text("warn_bear_down", lang), text("warn_bear_down_how", lang))
    ui.on_cue(Cue(2.0, "warn_bear_down", {"lifting": False}))
    assert ui.view(2.0) == WarningView(text("warn_bear_down", lang), text("warn_bear_down_rest", lang))
    assert (text("warn_bear_down_how", "nl"), text("warn_bear_down_rest", "nl")) == ("laat los, til dan op", "laat los")


def test_text_raises_keyerror_naming_what_is_missing():
    with pytest.raises(KeyError, match="no_such_text"):
        text("no_such_text", "nl")
    with pytest.raises(KeyError, match="'hold'.*'de'"):
        text("hold", "de")
    with pytest.raises(KeyError, match="reps"):
        text("rep", "nl", rep=1)


def test_warm_up_lays_out_captions_ahead():
    screens.clear_caches()
    for view in screens.warm_up_views([text(k, "nl", **FMT) for k in ("hold", "exhale_lift")]):
        render(view)
    before = screens._block_stamp.cache_info()
    render(LiftView(50.0, 40.0, 60.0, 2, "Vasthouden", 3.0, ""))
    render(WarningView("Adem uit, til op"))
    after = screens._block_stamp.cache_info()
    assert after.misses == before.misses and after.hits > before.hits


def test_a_frame_is_drawn_in_well_under_a_millisecond_of_a_pi_zero():
    """Printed by `make bench` too; here only a wide margin (a Zero is about 16x slower)."""
    import time
    views = list(EXAMPLES.values())
    for view in views:
        render(view)
    start_s = time.thread_time()
    for _ in range(20):
        for view in views:
            render(view)
    per_frame_s = (time.thread_time() - start_s) / (20 * len(views))
    assert per_frame_s < 0.0005


@pytest.mark.parametrize("lines", [("Laat elke keer volledig", "los"), ("See your pelvic", "physiotherapist"),
                                   ("Niet helemaal los 2/3", "Laat elke keer volledig", "los")])
def test_the_end_screens_lines_stand_a_row_apart_not_spread_over_the_page(lines):
    """A trial: an advice's two lines stood a blank row apart ("Laat elke keer volledig" / blank /
    "los"): the lines spread over the page. Now the gap between two lines' ink is under three
    quarters of a line's height, and the block keeps to the middle of the page under the title."""
    image = render(SummaryView("Geen fouten", lines))
    inked = [y for y in range(17, HEIGHT) if image.crop((0, y, WIDTH, y + 1)).getbbox() is not None]
    runs = [[inked[0]]]
    for y in inked[1:]:
        if y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    tallest = max(len(run) for run in runs)
    gaps = [b[0] - a[-1] - 1 for a, b in zip(runs, runs[1:])]
    assert len(runs) == len(lines) and max(gaps) < 0.75 * tallest, (runs, gaps)     # no blank row
    assert abs((inked[0] - 17) - (HEIGHT - 1 - inked[-1])) <= 4       # centred under the title
