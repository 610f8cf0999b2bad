"""People (issue 14): up to 4 profiles on one device, each with its own maximum, levels,
assessments and history; and the database of an older pftrainer (schema 1) migrated with all
it kept counted as profile 1."""

import datetime
import json
import sqlite3
from pathlib import Path

import pytest

from device.cli import main
from device.salvage import salvage
from device.storage import SCHEMA_VERSION, Store

V1_SCHEMA = (Path(__file__).parent / "data" / "schema-1.sql").read_text()


def old_database(state):
    """What pftrainer kept before profiles: two sessions with reps, a day's maximum, settings."""
    state.mkdir(parents=True)
    db = sqlite3.connect(state / "pftrainer.db")
    db.executescript(V1_SCHEMA)
    with db:
        db.execute("PRAGMA user_version = 1")
        for sid in (1, 2):
            db.execute("INSERT INTO session (id, started_at, program, completed, duration_s, summary_json) "
                       "VALUES (?, ?, 'kracht', 1, 90.0, ?)", (sid, f"2026-11-2{sid}T10:00:00", json.dumps({})))
            db.execute("INSERT INTO rep (session_id, series, rep, contraction_score, relaxation_score, detail_json) "
                       "VALUES (?, 1, 1, 80.0, 90.0, '{}')", (sid,))
        db.execute("INSERT INTO profile (day, max_drop_kpa) VALUES ('2026-11-22', 1.3)")
        db.executemany("INSERT INTO setting (key, value) VALUES (?, ?)",
                       [("language", "en"), ("programme", "kracht"), ("level.kracht", '{"level": 3}')])
    db.close()


def test_an_older_database_is_migrated_and_everything_in_it_is_profile_1s(tmp_path):
    state = tmp_path / "state"
    old_database(state)
    with Store(state) as store:
        rows = store.sessions()
        assert [(r["id"], r["profile"], r["reps"]) for r in rows] == [(1, 1, 1), (2, 1, 1)]
        assert store.maximum("2026-11-22") == 1.3 and store.maximum("2026-11-22", profile=2) is None
        assert store.setting("language", "") == "en"                         # the device's, not a person's
        assert store.setting("p1.programme", "") == "kracht" and store.setting("p1.level.kracht", "")
        assert store.setting("programme", "gone") == "gone"
        assert store.sessions(profile=2) == []
    db = sqlite3.connect(state / "pftrainer.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_damaged_older_database_is_salvaged_into_the_new_schema(tmp_path):
    old_database(tmp_path / "old")
    fresh = tmp_path / "fresh"
    with Store(fresh):
        pass
    into = sqlite3.connect(fresh / "pftrainer.db")
    copied = salvage(tmp_path / "old" / "pftrainer.db", into)
    assert copied["session"] == 2 and copied["rep"] == 2 and copied["setting"] == 3
    assert into.execute("SELECT profile FROM session").fetchall() == [(1,), (1,)]


def test_each_profile_has_its_own_sessions_maximum_and_history(tmp_path, capsys):
    state = tmp_path / "state"
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text("[session]\nprofiles = 2\n[sampling]\nrate_hz = 50\n")     # whose, not how sampled
    assert main(["--config", str(cfg), "run", "--sim", "--program", "kracht", "--profile", "2",
                 "--state-dir", str(state)]) == 0
    capsys.readouterr()
    today = datetime.date.today().isoformat()
    with Store(state, read_only=True) as store:
        assert [r["profile"] for r in store.sessions()] == [2]
        assert store.maximum(today, profile=2) > 1.0 and store.maximum(today, profile=1) is None
        assert store.setting("profile", "") == "2"         # chosen: the next start comes up with them
    assert main(["history", "--lang", "en", "--state-dir", str(state), "--profile", "1"]) == 0
    assert "0 sessions" in capsys.readouterr().out
    assert main(["history", "--lang", "en", "--state-dir", str(state), "--profile", "2"]) == 0
    assert "1 session\n" in capsys.readouterr().out
    assert main(["export", "--edf", str(tmp_path / "edf"), "--state-dir", str(state), "--profile", "1"]) == 2
    assert "nothing to export" in capsys.readouterr().err
    assert main(["export", "--edf", str(tmp_path / "edf"), "--state-dir", str(state), "--profile", "2"]) == 0
    assert [p.name for p in sorted((tmp_path / "edf").glob("*.edf"))] == ["session-00001.edf"]
    assert main(["--config", str(cfg), "run", "--sim", "--program", "micro", "--state-dir", str(state)]) == 0
    assert ", person 2\n" in capsys.readouterr().err                # no --profile: who was chosen last
    assert main(["--config", str(cfg), "run", "--sim", "--program", "kracht", "--profile", "1",
                 "--state-dir", str(state)]) == 0
    capsys.readouterr()
    assert main(["history", "--lang", "en", "--state-dir", str(state)]) == 0        # nobody asked for: each their own part
    out = capsys.readouterr().out
    first, second = out.split("person 2:\n")
    assert first.startswith("person 1:\n") and "1 session\n" in first and "2 sessions\n" in second
    assert "levels (person 1)" in first and "levels (person 2)" in second     # (profile: a trial read two words)
    assert "   3  " in first and "   1  " in second            # session 3 was person 1's, 1 and 2 person 2's


def test_a_profile_the_device_does_not_have_is_one_line(tmp_path, capsys):
    assert main(["--lang", "en", "run", "--sim", "--profile", "2", "--state-dir", str(tmp_path)]) == 2
    assert "--profile 2: this device has 1" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["--lang", "en", "history", "--profile", "5", "--state-dir", str(tmp_path)])
    assert exit_.value.code == 2 and "--profile: must be 1 .. 4, got 5" in capsys.readouterr().err


def test_the_menu_of_a_device_of_several_people_says_whose_it_is(tmp_path):
    """A couple's trial: one who forgot to switch trained as the other -- their maximum of the day,
    scores and level -- and nothing on the screen said whose the menu was. On a device of several
    people its heading names the person, *Persoon 2: 0/1*; of one, *Vandaag 0/1* as before."""
    from dataclasses import replace
    from device.screens import MenuView, render
    from device.texts import text
    from test_appliance import CFG, bench, same_image, snapshot_at
    for profiles, heading in ((2, "Persoon 2: 0/1"), (1, "Vandaag 0/1")):
        cfg = replace(CFG, session=replace(CFG.session, profiles=profiles))
        with Store(tmp_path / str(profiles) / "state") as store:
            store.save_setting("profile", "2")                   # chosen last (on a device of one: none)
        app, rig, _, _ = bench(tmp_path / str(profiles), user=False, cfg=cfg)
        shot = snapshot_at(rig, 1.0)
        rig.clock.call_at(1.5, lambda _t: app.stop.request("the test's end"))
        app.run()
        item = app.programmes[app.items[app.cursor]].title["nl"]
        assert same_image(shot["image"], render(MenuView(heading, 0, 1, item, text("menu_hint", "nl")))), heading


def test_each_person_keeps_the_language_they_chose(tmp_path):
    """A couple's trial: Peter reads English, Ineke Dutch, and the language was one for the device:
    each had to switch it every time. The language chosen on the menu is kept for who chose it too,
    and the device comes up in theirs (the last chosen by anyone stays the command line's)."""
    from dataclasses import replace
    from device.screens import MenuView, render
    from device.texts import text
    from test_appliance import CFG, bench, same_image, snapshot_at
    cfg = replace(CFG, session=replace(CFG.session, profiles=2))
    for person, lang, heading in ((2, "en", "Person 2: 0/1"), (1, "nl", "Persoon 1: 0/1")):
        state = tmp_path / str(person) / "state"
        with Store(state) as store:
            store.save_setting("language", "nl" if lang == "en" else "en")      # the other's, chosen last
            store.save_setting("p1.language", "nl")
            store.save_setting("p2.language", "en")
            store.save_setting("profile", str(person))
        app, rig, _, _ = bench(tmp_path / str(person), user=False, cfg=cfg)
        shot = snapshot_at(rig, 1.0)
        rig.clock.call_at(1.5, lambda _t: app.stop.request("the test's end"))
        app.run()
        item = app.programmes[app.items[app.cursor]].title[lang]
        assert same_image(shot["image"], render(MenuView(heading, 0, 1, item, text("menu_hint", lang)))), heading


def test_sim_keeps_its_session_for_the_person_asked_or_who_trained_last(tmp_path, capsys):
    """A couple's trial: `sim --state-dir` on a device of two people always kept the session as
    person 1's, with no way to say whose (`--profile`: *onbekende argumenten*) -- a physiotherapist
    trying Peter's programme added to Ineke's history and her maximum of the day. `--profile N`
    says whose; without it, as `run`, who trained last; without --state-dir it is refused."""
    state = tmp_path / "state"
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text("[session]\nprofiles = 2\nmax_drop_kpa = 1.5\n[sim]\ncpu_factor = 0\n")
    sim = ["--config", str(cfg), "sim", "--program", "micro", "--state-dir", str(state)]
    assert main([*sim, "--out", str(tmp_path / "a"), "--profile", "2"]) == 0
    with Store(state) as store:
        store.save_setting("profile", "2")                                   # as `run --profile 2` leaves it
    assert main([*sim, "--out", str(tmp_path / "b")]) == 0
    with Store(state, read_only=True) as store:
        assert [r["profile"] for r in store.sessions()] == [2, 2]
    capsys.readouterr()
    assert main(["--config", str(cfg), "sim", "--program", "micro", "--out", str(tmp_path / "c"),
                 "--profile", "2"]) == 2
    assert "--profile hoort bij --state-dir" in capsys.readouterr().err
    assert main([*sim, "--out", str(tmp_path / "d"), "--profile", "3"]) == 2


def test_a_person_who_never_chose_a_language_has_the_devices_not_anothers(tmp_path):
    """Review b: on a couple's device she never chose (Dutch is the default) and he chose English:
    her stick report came in his English. One who never chose has `[ui] language` on a device of
    several people; on a device of one, the language chosen last, as ever."""
    from device.stored_values import person_language
    with Store(tmp_path / "state") as store:
        store.save_setting("language", "en")
        store.save_setting("p2.language", "en")
        store.drain()
        assert person_language(store, 1, 2, "nl") == "nl" and person_language(store, 2, 2, "nl") == "en"
        assert person_language(store, 1, 1, "nl") == "en"                 # one person: the last chosen
