"""`--profile N` names one of this device's people in every command that takes it."""

import pytest

from device.cli import main
from device.storage import Store


@pytest.mark.parametrize("lang, line", [
    ("en", "pftrainer: --profile 3: this device has 2 (set [session] profiles in the configuration for more)\n"),
    ("nl", "pftrainer: --profile 3: dit apparaat heeft er 2 (zet [session] profiles in de configuratie voor meer)\n"),
])
@pytest.mark.parametrize("command", [["history"], ["report", "--out", "r.html"], ["export", "--edf", "edf"]])
def test_a_profile_the_device_does_not_have_is_one_line_and_exit_2(tmp_path, capsys, command, lang, line):
    """Unless that person has sessions kept (the setting may have been lowered since)."""
    config = tmp_path / "pftrainer.toml"
    config.write_text(f'[session]\nprofiles = 2\n[ui]\nlanguage = "{lang}"\n')
    Store(tmp_path / "state").close()                       # a history, nobody's sessions in it
    args = [a if a not in ("r.html", "edf") else str(tmp_path / a) for a in command]
    assert main(["--config", str(config), *args, "--state-dir", str(tmp_path / "state"), "--profile", "3"]) == 2
    assert capsys.readouterr().err == line
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "edf").exists()
