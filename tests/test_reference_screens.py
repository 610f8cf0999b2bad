"""Every screen, in Dutch and English, as the emulated panel shows it, pixel for pixel
against its reference PNG (tests/reference/, made by `make reference-screens`; the
cases are `tools.reference_screens.CASES`)."""

from __future__ import annotations

import re
from dataclasses import astuple
from typing import get_args

import pytest
from PIL import Image, ImageChops

from device.screens import View
from device.texts import LANGS, TEXTS
from tools.reference_screens import (CASES, REFERENCE_DIR, EmulatedPanel, main, on_panel, reference_path,
                                     same_pixels)

REGENERATE = "if the change is meant, regenerate them on purpose: make reference-screens, and look at them"


@pytest.fixture(scope="module")
def panel() -> EmulatedPanel:
    return EmulatedPanel()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", CASES)
@pytest.mark.sweep
def test_the_screen_is_its_reference_pixel_for_pixel(panel, case, lang, tmp_path):
    path = reference_path(case, lang)
    assert path.exists(), f"no reference {path.name}: {REGENERATE}"
    shown = on_panel(panel, case, lang)
    reference = Image.open(path)
    if not same_pixels(shown, reference):
        shown.save(tmp_path / path.name)
        box = ImageChops.difference(shown.convert("L"), reference.convert("L")).getbbox()
        pytest.fail(f"{case} ({lang}) differs from {path.name} inside {box}; the panel showed "
                    f"{tmp_path / path.name}; {REGENERATE}")


def test_the_cases_cover_every_kind_of_screen_and_every_text():
    views = [CASES[case](lang) for case in CASES for lang in LANGS]
    assert {type(v) for v in views} == set(get_args(View)), "a kind of screen has no reference"
    def words(view) -> str:             # every text on the screen, a line broken in two joined again
        return " ".join(" ".join(f) if isinstance(f, tuple) else str(f) for f in astuple(view))
    shown = {lang: " ".join(words(CASES[case](lang)) for case in CASES) for lang in LANGS}
    for key, entry in TEXTS.items():
        for lang in LANGS:
            fixed = max(re.split(r"\{[^}]*\}", entry[lang]), key=len)    # its longest stretch of words
            assert fixed.strip() and fixed in shown[lang], f"no reference screen shows {key!r} ({lang}): add a case"


def test_every_reference_belongs_to_a_case():
    expected = {reference_path(case, lang).name for case in CASES for lang in LANGS}
    assert {p.name for p in REFERENCE_DIR.glob("*.png")} == expected


def test_the_helper_refuses_without_the_flag_and_writes_nothing(tmp_path, capsys, monkeypatch):
    import tools.reference_screens as helper
    monkeypatch.setattr(helper, "REFERENCE_DIR", tmp_path)          # (the references themselves)
    assert main(["--dir", str(tmp_path)]) == 2
    assert "--yes-overwrite" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


@pytest.mark.slow
def test_the_helper_writes_the_screens_to_a_folder_of_ones_own_and_removes_nothing_there(tmp_path, capsys):
    """Trial87: `--dir` into an empty folder of one's own was refused without `--yes-overwrite`, and
    with it every PNG there not a screen's (a photo) was deleted. Elsewhere it needs the flag only
    to overwrite a screen's own file, and removes nothing."""
    (tmp_path / "holiday.png").write_bytes(b"a photo")
    assert main(["--dir", str(tmp_path)]) == 0
    assert "0 removed" in capsys.readouterr().out and (tmp_path / "holiday.png").read_bytes() == b"a photo"
    assert main(["--dir", str(tmp_path)]) == 2 and "--yes-overwrite" in capsys.readouterr().err
    assert main(["--yes-overwrite", "--dir", str(tmp_path)]) == 0 and (tmp_path / "holiday.png").exists()


@pytest.mark.slow
def test_the_helper_regenerates_what_the_tests_compare_with(tmp_path, capsys, monkeypatch):
    import tools.reference_screens as helper
    monkeypatch.setattr(helper, "REFERENCE_DIR", tmp_path)          # (the references: stale cases removed)
    (tmp_path / "gone-nl.png").write_bytes(b"")          # a case that no longer exists
    assert main(["--yes-overwrite", "--dir", str(tmp_path)]) == 0
    assert "removed: gone-nl.png" in capsys.readouterr().out
    for case in CASES:
        for lang in LANGS:
            made = Image.open(reference_path(case, lang, tmp_path))
            assert same_pixels(made, Image.open(reference_path(case, lang))), case
    assert main(["--yes-overwrite", "--dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith(f"{len(CASES) * len(LANGS)} unchanged, 0 written, 0 removed")
