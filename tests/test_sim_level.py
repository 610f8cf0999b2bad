"""`pftrainer sim --state-dir` runs a programme with levels at the user's kept level, as the
device does (it ran level-less defaults before)."""

import gzip
import json

import pytest

from device.cli import main
from device.storage import Store
from session.programme import BUILTIN_DIR, load_programmes
from session.progression import Standing


@pytest.mark.slow
def test_sim_with_a_state_directory_trains_at_the_kept_level(tmp_path):
    kracht = load_programmes(BUILTIN_DIR)["kracht"]
    with Store(tmp_path / "state") as store:
        store.save_standing("kracht", Standing(3))
    config = tmp_path / "pftrainer.toml"
    config.write_text("[sim]\ncpu_factor = 0\n[session]\nmax_drop_kpa = 1.8\n")
    assert main(["--config", str(config), "sim", "--program", "kracht", "--persona", "strong",
                 "--state-dir", str(tmp_path / "state"), "--out", str(tmp_path / "out")]) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    level1, level3 = kracht.at_level(1), kracht.at_level(3)
    hold = [s.hold_s for s in level3.steps if s.kind == "lift"][0]
    assert hold > [s.hold_s for s in level1.steps if s.kind == "lift"][0]      # the case the test is for
    assert len(summary["reps"]) == level3.reps * level3.series
    held = max(r["contraction"]["hold_s"] for r in summary["reps"])
    assert held > hold - 1.0
    with gzip.open(tmp_path / "out" / "recording.csv.gz", "rt") as f:
        assert "# level=3\n" in [next(f) for _ in range(8)]
