"""People (issue 14): up to 4 profiles on one device, each with its own maximum, levels,
assessments and history; and the database of an older pftrainer (schema 1) migrated with all
it kept counted as profile 1."""

import csv
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


@pytest.mark.slow
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


@pytest.mark.slow
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


def asked_bench(tmp_path):
    """A device of two people, person 1's turn, nobody seated yet; the test sits and presses."""
    from dataclasses import replace
    from test_appliance import CFG, bench
    cfg = replace(CFG, session=replace(CFG.session, profiles=2))
    with Store(tmp_path / "state") as store:
        store.save_setting("profile", "1")
    app, rig, store, _ = bench(tmp_path, user=False, cfg=cfg, programme="kracht")
    return app, rig, store, cfg.buttons


def test_ok_on_a_programme_asks_whose_session_it_is_and_another_gets_their_own_menu(tmp_path):
    """Trial88: Tineke trained on Gerard's profile -- whose it was stood on the menu's top line in the
    8-px font -- and his record took her maximum and scores. Where several train, OK on a programme
    asks *Persoon 1?* in the large font; `>` is "not me": person 2's menu, nothing started; their OK
    and OK on *Persoon 2?* start person 2's session."""
    from device.appliance import ask_who_view
    from device.screens import render, MenuView
    from test_appliance import same_image, snapshot_at
    app, rig, store, b = asked_bench(tmp_path)
    press = rig.pin_factory.press
    rig.clock.call_at(0.5, rig.body.sit)
    press(b.ok_pin, 2.0)
    asked = snapshot_at(rig, 3.0)
    press(b.next_pin, 4.0)
    menu = snapshot_at(rig, 5.0)
    press(b.ok_pin, 6.0)
    asked_again = snapshot_at(rig, 7.0)
    press(b.ok_pin, 8.0)
    rig.clock.call_at(30.0, lambda _t: app.stop.request("the test's end"))
    app.run()
    title = app.programmes["kracht"].title["nl"]
    assert same_image(asked["image"], render(ask_who_view(title, 1, "nl")))
    assert same_image(menu["image"], render(MenuView("Persoon 2: 0/1", 0, 1, title, "Deze week 0/7")))
    assert same_image(asked_again["image"], render(ask_who_view(title, 2, "nl")))
    assert [row["profile"] for row in store.sessions()] == [2]


@pytest.mark.parametrize("leaves", ["stands_up", "waits"])
def test_a_question_whose_session_it_is_left_unanswered_starts_nothing(tmp_path, leaves):
    """Standing up from *Persoon 1?*, or leaving it a minute, goes back to the menu; nothing is
    started or stored (the next OK asks again)."""
    from device.appliance import ASK_LIMIT_S, ask_who_view
    from device.screens import render
    from test_appliance import same_image, snapshot_at
    app, rig, store, b = asked_bench(tmp_path)
    rig.clock.call_at(0.5, rig.body.sit)
    rig.pin_factory.press(b.ok_pin, 2.0)
    asked = snapshot_at(rig, 3.0)
    gone_s = 6.0 if leaves == "stands_up" else 2.5 + ASK_LIMIT_S
    if leaves == "stands_up":
        rig.clock.call_at(4.0, rig.body.stand)
    after = snapshot_at(rig, gone_s)
    rig.clock.call_at(gone_s + 0.5, lambda _t: app.stop.request("the test's end"))
    app.run()
    assert same_image(asked["image"], render(ask_who_view(app.programmes["kracht"].title["nl"], 1, "nl")))
    assert not same_image(after["image"], asked["image"]) and app.state != "asking"
    assert store.sessions() == []


def two_sessions_of_person_1(tmp_path, capsys):
    """A device of two people and two `kracht` sessions kept as person 1's on one day, the first
    measuring the day's maximum; the configuration's path."""
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text("[session]\nprofiles = 2\n[sampling]\nrate_hz = 50\n")     # whose, not how sampled
    for seed in (1, 2):
        assert main(["--config", str(cfg), "sim", "--program", "kracht", "--seed", str(seed), "--profile", "1",
                     "--out", str(tmp_path / f"s{seed}"), "--state-dir", str(tmp_path / "state")]) == 0
    capsys.readouterr()
    return cfg


@pytest.mark.slow
def test_a_session_trained_as_the_wrong_person_is_moved_with_the_maximum_it_measured(tmp_path, capsys):
    """Trial88: Tineke trained on Gerard's profile, her maximum became his for the day, his next end
    screen compared his lift with hers, and nothing could move the session. `move` files it under
    who trained it, with the day's maximum it measured; a session that used that maximum moves
    without it; moved again, it says so."""
    cfg = two_sessions_of_person_1(tmp_path, capsys)
    state = tmp_path / "state"
    with Store(state, read_only=True) as store:
        day = store.sessions()[0]["day"].isoformat()
        measured = store.maximum(day, profile=1)
    assert main(["--config", str(cfg), "move", "--session", "1", "--to-profile", "2", "--state-dir", str(state)]) == 0
    moved, used = capsys.readouterr().out.splitlines()           # in the device's language, Dutch first
    assert moved.startswith("sessie 1 (") and moved.endswith(
        f"): persoon 1 -> persoon 2, met het maximum van {day} dat in deze sessie gemeten is")
    assert used == ("  sessie 2 van persoon 1, later die dag, ging uit van dat maximum: de scores blijven zoals ze "
                    "waren")
    with Store(state, read_only=True) as store:
        assert [(r["id"], r["profile"], r["trained_as"]) for r in store.sessions()] == [(1, 2, 1), (2, 1, None)]
        assert (store.maximum(day, profile=1), store.maximum(day, profile=2)) == (None, measured)
    # trial89: a physiotherapist could not tell it from the others
    assert main(["history", "--lang", "en", "--state-dir", str(state), "--profile", "2"]) == 0
    assert capsys.readouterr().out.splitlines()[1].endswith("  (trained as person 1)")
    assert main(["report", "--lang", "en", "--state-dir", str(state), "--out", str(tmp_path / "r.html")]) == 0
    capsys.readouterr()
    assert "Trained as person 1 and moved here (pftrainer move): session 1 (" in (tmp_path / "r.html").read_text()
    assert main(["report", "--state-dir", str(state), "--csv", str(tmp_path / "r.csv")]) == 0
    capsys.readouterr()
    with open(tmp_path / "r.csv", newline="") as f:
        assert [(row["id"], row["trained_as"]) for row in csv.DictReader(f)] == [("1", "1"), ("2", "")]
    assert main(["--config", str(cfg), "--lang", "en", "move", "--session", "2", "1", "--to-profile", "2",
                 "--state-dir", str(state)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(": person 1 -> person 2") and out[1].endswith(" is person 2's already")
    with Store(state, read_only=True) as store:
        assert [r["profile"] for r in store.sessions()] == [2, 2] and store.maximum(day, profile=2) == measured


@pytest.mark.slow
def test_a_moved_session_takes_no_maximum_from_the_one_it_moves_to_there_nor_back(tmp_path, capsys):
    """A review: person 2 had measured her own maximum that day; the move copied none, deleted person
    1's all the same and said it moved it, and moving the session back gave person 1 hers. Her own
    stays hers both ways; person 1's, measured by the session moved, is his no more."""
    cfg = two_sessions_of_person_1(tmp_path, capsys)
    state = tmp_path / "state"
    assert main(["--config", str(cfg), "sim", "--program", "kracht", "--persona", "weak_postpartum", "--profile", "2",
                 "--out", str(tmp_path / "s3"), "--state-dir", str(state)]) == 0
    with Store(state, read_only=True) as store:
        day = store.sessions()[0]["day"].isoformat()
        hers = store.maximum(day, profile=2)
        assert hers != store.maximum(day, profile=1)
    move = ["--config", str(cfg), "--lang", "en", "move", "--session", "1", "--state-dir", str(state), "--to-profile"]
    capsys.readouterr()
    assert main([*move, "2"]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(
        f"; the maximum it measured on {day} is person 1's no more (person 2 keeps their own of that day)")
    assert main([*move, "1"]) == 0
    assert capsys.readouterr().out.endswith(": person 2 -> person 1\n")
    with Store(state, read_only=True) as store:
        assert (store.maximum(day, profile=1), store.maximum(day, profile=2)) == (None, hers)


@pytest.mark.slow
def test_a_session_moved_there_and_back_leaves_the_maxima_as_they_were(tmp_path, capsys):
    cfg = two_sessions_of_person_1(tmp_path, capsys)
    state = tmp_path / "state"
    with Store(state, read_only=True) as store:
        before = store.maxima()
    for to in ("2", "1"):
        assert main(["--config", str(cfg), "move", "--session", "1", "--to-profile", to, "--state-dir", str(state)]) == 0
    with Store(state, read_only=True) as store:
        assert store.maxima() == before and [(r["profile"], r["trained_as"]) for r in store.sessions()] == [(1, None)] * 2


@pytest.mark.parametrize("argv, busy, refusal", [
    (["--session", "1", "3", "--to-profile", "2"], False, "--session 3: not kept in"),
    (["--session", "1", "--to-profile", "3"], False, "--to-profile 3: this device has 2"),
    (["--session", "1", "--to-profile", "2"], True, "the device is writing there now; stop it first"),
])
@pytest.mark.sweep
def test_a_move_that_cannot_be_made_whole_changes_nothing(tmp_path, capsys, argv, busy, refusal):
    """One line, exit 2, and every session and maximum as it was: a session not kept, a person the
    device does not have, the device running (it holds the state directory's lock)."""
    cfg = two_sessions_of_person_1(tmp_path, capsys)
    state = tmp_path / "state"
    with Store(state, read_only=True) as store:
        before = (store.sessions(), store.maxima())
    device = Store(state) if busy else None          # (as the running device holds it)
    try:
        assert main(["--config", str(cfg), "--lang", "en", "move", *argv, "--state-dir", str(state)]) == 2
    finally:
        if device is not None:
            device.close()
    err = capsys.readouterr().err
    assert refusal in err and err.count("\n") == 1
    with Store(state, read_only=True) as store:
        assert (store.sessions(), store.maxima()) == before


@pytest.mark.parametrize("trained_since", [False, True])
@pytest.mark.slow
def test_a_session_moved_away_no_longer_counts_in_its_former_persons_level(tmp_path, capsys, trained_since):
    """Trial89: a wife's poor session moved off her husband's profile still counted in his run of
    poor sessions (his next took his level down), and one that took it down at once left it down.
    Moved away, it counts no more: his level back to the one the session ran at, its run begun again
    -- where he trained the programme since, his level stays, its run begun again all the same."""
    from session.progression import Standing
    cfg = two_sessions_of_person_1(tmp_path, capsys)
    state = tmp_path / "state"
    with Store(state) as store:                                  # (as `run` left it after session 2)
        store.save_standing("kracht", Standing(2, poor=1), profile=1)
    moved = "1" if trained_since else "2"
    assert main(["--config", str(cfg), "move", "--session", moved, "--to-profile", "2", "--state-dir", str(state)]) == 0
    said = "blijft 2" if trained_since else "gaat terug naar 1"
    assert capsys.readouterr().out.splitlines()[0].endswith(
        f"; het niveau van persoon 1 voor kracht {said}, de telling van goede en slechte sessies op rij begint opnieuw")
    with Store(state, read_only=True) as store:
        assert store.standing("kracht", profile=1) == Standing(2 if trained_since else 1)
        assert store.standing("kracht", profile=2).fresh                 # hers is not made from his


@pytest.mark.slow
def test_sessions_moved_in_one_command_give_back_the_level_before_them_both(tmp_path, capsys):
    """A review: two sessions moved in one command read the history as it was before either moved
    (the writer had not stored the first), and person 1's level stayed where the two had left it.
    Moved newest first, each stored before the next is looked at, the level is the one before both."""
    from session.progression import Standing
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text("[session]\nprofiles = 2\n[sampling]\nrate_hz = 50\n")
    state = tmp_path / "state"
    for seed, level in ((1, 1), (2, 2)):               # each run at the level kept then, as `run` left it
        with Store(state) as store:
            store.save_standing("kracht", Standing(level), profile=1)
        assert main(["--config", str(cfg), "sim", "--program", "kracht", "--seed", str(seed), "--profile", "1",
                     "--out", str(tmp_path / f"s{seed}"), "--state-dir", str(state)]) == 0
    with Store(state) as store:
        store.save_standing("kracht", Standing(2, poor=1), profile=1)
    capsys.readouterr()
    assert main(["--config", str(cfg), "--lang", "en", "move", "--session", "1", "2", "--to-profile", "2",
                 "--state-dir", str(state)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0].startswith("session 2 ") and said[0].endswith("person 1's level of kracht stays 2, its run of "
                                                                 "good and poor sessions begun again")
    assert said[1].startswith("session 1 ") and "person 1's level of kracht back to 1," in said[1]
    with Store(state, read_only=True) as store:
        assert store.standing("kracht", profile=1) == Standing(1)


@pytest.mark.slow
def test_a_moved_session_rebuilt_from_its_recording_stays_whose_it_was_moved_to(tmp_path, capsys):
    """A review: a session whose row was lost is rebuilt from its recording, whose header names
    whom it was trained as: a moved one went back to them, marked *(getraind als persoon 1)* under
    person 1. The mark says whose it is now."""
    import sqlite3
    cfg = two_sessions_of_person_1(tmp_path, capsys)
    state = tmp_path / "state"
    assert main(["--config", str(cfg), "move", "--session", "1", "--to-profile", "2", "--state-dir", str(state)]) == 0
    db = sqlite3.connect(state / "pftrainer.db")
    with db:
        db.execute("DELETE FROM rep WHERE session_id = 1")
        db.execute("DELETE FROM session WHERE id = 1")
    db.close()
    with Store(state):                  # (the next start rebuilds it)
        pass
    with Store(state, read_only=True) as store:
        assert [(r["id"], r["profile"], r["trained_as"]) for r in store.sessions()] == [(1, 2, 1), (2, 1, None)]


@pytest.mark.slow
def test_run_says_when_the_history_has_people_its_configuration_has_not(tmp_path, capsys):
    """Trial89: `run` without the configuration that sets two people trained as person 1 and said
    nothing of the person 2 in its history."""
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text("[session]\nprofiles = 2\n[sampling]\nrate_hz = 50\n")
    state = tmp_path / "state"
    assert main(["--config", str(cfg), "sim", "--program", "micro", "--profile", "2", "--out", str(tmp_path / "s"),
                 "--state-dir", str(state)]) == 0
    capsys.readouterr()
    alone = tmp_path / "one.toml"
    alone.write_text("[sampling]\nrate_hz = 50\n")
    assert main(["--config", str(alone), "run", "--sim", "--program", "micro", "--state-dir", str(state)]) == 0
    assert ("  the history holds sessions of person 2, and the configuration read has 1 person ([session] profiles): "
            "nobody trains as that person here (--config the file that sets it?)\n") in capsys.readouterr().err


@pytest.mark.slow
def test_a_session_moved_back_leaves_the_level_of_the_one_it_was_moved_to(tmp_path, capsys):
    """A fault campaign: moved back from person 2, a session of person 1's set person 2's level to the
    one it ran at for person 1 (*person 2's level of kracht back to 1*): it never counted in theirs."""
    from session.progression import Standing
    cfg = two_sessions_of_person_1(tmp_path, capsys)
    state = tmp_path / "state"
    with Store(state) as store:
        store.save_standing("kracht", Standing(3), profile=2)
    for to in ("2", "1"):
        assert main(["--config", str(cfg), "--lang", "en", "move", "--session", "2",
                     "--to-profile", to, "--state-dir", str(state)]) == 0
    assert "person 2's level" not in capsys.readouterr().out
    with Store(state, read_only=True) as store:
        assert store.standing("kracht", profile=2) == Standing(3)


@pytest.mark.parametrize("damage", ["mark", "person"])
@pytest.mark.slow
def test_a_move_goes_by_the_recording_where_what_the_database_keeps_of_whose_has_gone_bad(tmp_path, capsys, damage):
    """A fault campaign: a mark gone bad, moved back, made person 1's own session read *(trained as
    person 2)*; a person number gone bad was moved with the line saying person 1 and the level and
    maximum of nobody touched. Whom a session was trained as is what its recording names; a number
    gone bad is person 1's, as every reader takes it."""
    import sqlite3
    cfg = two_sessions_of_person_1(tmp_path, capsys)
    state = tmp_path / "state"
    with Store(state, read_only=True) as store:
        day = store.sessions()[0]["day"].isoformat()
    db = sqlite3.connect(state / "pftrainer.db")
    with db:
        if damage == "mark":
            db.execute("UPDATE session SET profile = 2 WHERE id = 1")
            db.execute("INSERT INTO setting (key, value) VALUES ('moved.1', 'x')")
        else:
            db.execute("UPDATE session SET profile = 'x' WHERE id = 1")
    db.close()
    to = "1" if damage == "mark" else "2"
    assert main(["--config", str(cfg), "--lang", "en", "move", "--session", "1",
                 "--to-profile", to, "--state-dir", str(state)]) == 0
    said = capsys.readouterr().out.splitlines()[0]
    with Store(state, read_only=True) as store:
        first = store.sessions()[0]
        if damage == "mark":
            assert said.endswith(": person 2 -> person 1") and (first["profile"], first["trained_as"]) == (1, None)
        else:
            assert said.endswith(f": person 1 -> person 2, with the maximum it measured on {day}")
            assert (first["profile"], first["trained_as"]) == (2, 1) and store.maximum(day, profile=1) is None


def test_a_session_moved_back_with_its_mark_gone_bad_leaves_the_level_it_never_counted_in(tmp_path, capsys):
    """A review: with the mark gone bad, a session of person 2's moved to person 1 and back reset person
    1's run of good sessions, as if it had been theirs. Whom it was trained as is its recording's."""
    import sqlite3
    from session.progression import Standing
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text("[session]\nprofiles = 2\n[sampling]\nrate_hz = 50\n")
    state = tmp_path / "state"
    assert main(["--config", str(cfg), "sim", "--program", "kracht", "--profile", "2", "--out", str(tmp_path / "s"),
                 "--state-dir", str(state)]) == 0
    move = ["--config", str(cfg), "--lang", "en", "move", "--session", "1", "--state-dir", str(state), "--to-profile"]
    assert main([*move, "1"]) == 0
    with Store(state) as store:
        store.save_standing("kracht", Standing(1, good=1), profile=1)
    db = sqlite3.connect(state / "pftrainer.db")
    with db:
        db.execute("UPDATE setting SET value = 'x' WHERE key = 'moved.1'")
    db.close()
    capsys.readouterr()
    assert main([*move, "2"]) == 0
    said = capsys.readouterr().out.splitlines()[0]
    assert ": person 1 -> person 2" in said and "level" not in said
    with Store(state, read_only=True) as store:
        assert store.standing("kracht", profile=1) == Standing(1, good=1)
