"""The USB stick (issue 15 part 3): `pftrainer usb-export` writes the report and every kept
session under `pftrainer-export/<date>/` and touches nothing else; the result goes into a
status file that the appliance's menu picks up and shows with its sound; `run --sim` plugs
a folder in; the real thing is tested on FAT and exFAT images (mounted where this machine
can: a loop mount, or exFAT through FUSE) and through `systemd/pftrainer-usb`, the unit's
mount-and-export script (root, loop devices and a private mount namespace: skipped
elsewhere, saying why)."""

import contextlib
import datetime
import gzip
import hashlib
import io
import json
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PIL import ImageChops

from device.appliance import NOTICE_S, USB_CHECK_S, Appliance
from device.buzz import PATTERNS
from device.cli import main
from device.config import Config, SamplingConfig, SessionConfig
from device.screens import MessageView, render
from device.stopping import StopFlag
from device.storage import Store
from device.texts import TEXTS
from device.usb_status import (OUTCOMES, SAVED, StatusWatch, UsbStatus, UsbStatusError, read_status,
                               write_status)
from hw_sim.listener import BuzzerListener
from hw_sim.persona import PERSONAS
from hw_sim.plugin import TYPICAL_CPU_S, ScriptedCpu, open_bench
from session import cues
from session.programme import BUILTIN_DIR, load_programmes
from test_export_edf import SUMMARY, keep_sessions, on_grid_session, read_only

ROOT = Path(__file__).resolve().parents[1]
WRAPPER = ROOT / "systemd" / "pftrainer-usb"


def today() -> str:
    """Today's date, asked when the test asks (a run that goes past midnight: the export's day)."""
    return datetime.date.today().isoformat()


def history(tmp_path, sessions=2) -> Path:
    """A state directory keeping `sessions` sessions (each a 10 s recording)."""
    state = tmp_path / "state"
    keep_sessions(state, tmp_path, [(on_grid_session()[0], [], SUMMARY, f"2026-11-{20 + i}T10:00:00")
                                    for i in range(sessions)])
    return state


def csv_bytes(state) -> int:
    """What the kept recordings take decompressed: the least an export needs."""
    return sum(len(gzip.decompress(p.read_bytes())) for p in (state / "recordings").glob("*.csv.gz"))


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under `folder`, by relative path."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in folder.rglob("*")}


def users_files(stick: Path) -> None:
    (stick / "notes.txt").write_text("boodschappen\n")
    (stick / "Foto's").mkdir()
    (stick / "Foto's" / "strand.jpg").write_bytes(os.urandom(3000))


def usb_export(stick, state, *more, own_process=False) -> tuple[int, str, str]:
    """`pftrainer usb-export`: its exit status, stdout and stderr. In this process (a second
    of imports less each time), unless the test is about another process's view of the
    state directory; the unit's wrapper (below) runs it as a process of its own too."""
    argv = ["usb-export", "--to", str(stick), "--state-dir", str(state), *map(str, more)]
    if own_process:
        done = subprocess.run([sys.executable, "-m", "device.cli", *argv], capture_output=True, text=True,
                              timeout=120)
        assert "Traceback" not in done.stderr
        return done.returncode, done.stdout, done.stderr
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)                  # anything main() lets through fails the test here
    return code, out.getvalue(), err.getvalue()


def exported_files(state) -> set[str]:
    ids = sorted(int(p.name[8:13]) for p in (state / "recordings").glob("*.csv.gz"))
    return {"report.html"} | {f"session-{i:05d}.{ext}" for i in ids for ext in ("edf", "csv")}


# --- onto a folder (the simulator's stick) -------------------------------------------------------
@pytest.mark.slow
def test_the_report_and_every_session_go_under_todays_date_and_nothing_else_is_touched(tmp_path):
    state, stick, status = history(tmp_path), tmp_path / "stick", tmp_path / "usb-status.json"
    stick.mkdir()
    users_files(stick)
    before = tree(stick)
    code, out, err = usb_export(stick, state, "--status", str(status))
    assert (code, err) == (0, "")
    day = stick / "pftrainer-export" / today()
    assert out == f"usb-export: pftrainer-export/{today()}: the report and 2 sessions\n"
    assert {p.name for p in day.iterdir()} == exported_files(state)
    assert (day / "session-00002.csv").read_bytes() == gzip.decompress(
        (state / "recordings" / "session-00002.csv.gz").read_bytes())
    assert (day / "report.html").read_text().startswith("<!DOCTYPE html>")
    assert {k: v for k, v in tree(stick).items() if not k.startswith("pftrainer-export")} == before
    written = read_status(status)
    assert (written.outcome, written.need_mb) == (SAVED, None) and written.detail in out


@pytest.mark.slow
def test_a_second_export_the_same_day_keeps_the_first_and_a_cut_off_one_is_cleared(tmp_path):
    state, stick = history(tmp_path, 1), tmp_path / "stick"
    top = stick / "pftrainer-export"
    (top / "2026-01-05.part").mkdir(parents=True)             # an export the stick was pulled out of
    (top / "2026-01-05.part" / "session-00001.csv").write_text("half")
    (top / "mijn notities.txt").write_text("the user's, in our folder\n")
    assert usb_export(stick, state)[0] == 0
    first = tree(top / today())
    code, out, _ = usb_export(stick, state)
    assert code == 0 and out == f"usb-export: pftrainer-export/{today()}-2: the report and 1 session\n"
    assert sorted(p.name for p in top.iterdir()) == sorted([today(), f"{today()}-2", "mijn notities.txt"])
    assert tree(top / today()) == first


@pytest.mark.slow
def test_several_peoples_history_goes_in_a_folder_for_each_in_their_language(tmp_path):
    """A couple's trial: one report of both people and all their sessions in one folder -- each
    physiotherapist received the spouse's health data, and the report came in the language chosen
    last, his English for her too. Each person has a folder of their own, `profile-N/`, with their
    report, in the language they chose, and their sessions alone."""
    state, stick = history(tmp_path, 3), tmp_path / "stick"
    stick.mkdir()
    db = sqlite3.connect(state / "pftrainer.db")
    with db:
        db.execute("UPDATE session SET profile = 2 WHERE id = 2")
        db.executemany("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                       [("language", "en"), ("p1.language", "nl"), ("p2.language", "en")])
    db.close()
    code, out, _ = usb_export(stick, state)
    day = stick / "pftrainer-export" / today()
    assert code == 0
    assert out == f"usb-export: pftrainer-export/{today()}: a report for each of 2 people and 3 sessions\n"
    assert sorted(p.name for p in day.iterdir()) == ["profile-1", "profile-2"]
    assert sorted(p.name for p in (day / "profile-1").iterdir()) == [
        "report.html", "session-00001.csv", "session-00001.edf", "session-00003.csv", "session-00003.edf"]
    assert sorted(p.name for p in (day / "profile-2").iterdir()) == ["report.html", "session-00002.csv",
                                                                    "session-00002.edf"]
    assert '<html lang="nl"' in (day / "profile-1" / "report.html").read_text()
    assert '<html lang="en"' in (day / "profile-2" / "report.html").read_text()


@pytest.mark.slow
def test_sessions_that_cannot_be_exported_are_counted_and_named_in_the_log(tmp_path):
    """The status counts the sessions left out (not the lines about them) and the log names
    each; the others are on the stick."""
    state, stick = history(tmp_path, 3), tmp_path / "stick"
    stick.mkdir()
    for sid in (1, 3):
        recording = state / "recordings" / f"session-0000{sid}.csv.gz"
        recording.write_bytes(recording.read_bytes()[:60])               # cut short
    code, out, err = usb_export(stick, state)
    assert code == 2
    assert out == f"usb-export: pftrainer-export/{today()}: the report and 1 session; 2 not: sessions 1, 3 (see the log)\n"
    assert [line.split(":")[:2] for line in err.splitlines()] == [["pftrainer", " session 1"], ["pftrainer", " session 3"]]
    assert {p.name for p in (stick / "pftrainer-export" / today()).iterdir()} == {
        "report.html", "session-00002.csv", "session-00002.edf"}


@pytest.mark.parametrize("make_state, detail", [
    (lambda d: None, "no history in {state} yet"),
    (lambda d: Store(d).close(), "no sessions in {state} yet"),
])
def test_nothing_to_export_leaves_the_stick_alone(tmp_path, make_state, detail):
    state, stick, status = tmp_path / "state", tmp_path / "stick", tmp_path / "usb-status.json"
    make_state(state)
    stick.mkdir()
    assert usb_export(stick, state, "--status", str(status)) == (
        2, "", f"pftrainer: usb-export: {detail.format(state=state)}\n")
    assert list(stick.iterdir()) == [] and read_status(status).outcome == "nothing"


@pytest.mark.parametrize("fs_type, outcome, detail", [
    ("ntfs", "not_fat", "the stick's filesystem is ntfs, not FAT or exFAT: left alone"),
    ("", "not_fat", "the stick's filesystem is unknown, not FAT or exFAT: left alone"),
    ("vfat", "unreadable", "the vfat stick could not be mounted"),       # a folder: nothing is mounted there
])
def test_a_stick_that_is_not_fat_or_not_mounted_is_left_alone(tmp_path, fs_type, outcome, detail):
    state, stick = history(tmp_path, 1), tmp_path / "stick"
    stick.mkdir()
    status = tmp_path / "usb-status.json"
    assert usb_export(stick, state, "--fs-type", fs_type, "--status", str(status)) == (
        2, "", f"pftrainer: usb-export: {detail}\n")
    assert read_status(status).outcome == outcome and list(stick.iterdir()) == []


def test_bad_input_is_one_line_in_the_language_chosen_on_the_menu(tmp_path):
    state = history(tmp_path, 1)
    code, out, err = usb_export(tmp_path / "no-stick", state)
    assert (code, out, err) == (2, "", f"pftrainer: --to {tmp_path}/no-stick: die map bestaat niet\n")
    with Store(state) as store:
        store.save_setting("language", "en")
    code, out, err = usb_export(tmp_path / "no-stick", state)
    assert (code, out, err) == (2, "", f"pftrainer: --to {tmp_path}/no-stick: no such folder\n")


@pytest.mark.slow
def test_the_state_dir_is_read_as_the_unit_sees_it_read_only_while_the_device_writes(tmp_path):
    """pftrainer-usb@.service reads /var/lib/pftrainer through ProtectSystem=strict: read-only,
    while pftrainer.service has the database open with its write-ahead log."""
    state, stick = history(tmp_path, 1), tmp_path / "stick"
    stick.mkdir()
    device = Store(state)                                   # the running device
    try:
        device.save_setting("language", "en")
        device.drain()
        with read_only(state, tmp_path / "ro") as media:
            code, out, err = usb_export(stick, media, own_process=True)      # as the unit: not the device's
    finally:
        device.close()
    assert (code, err) == (0, "") and "the report and 1 session" in out


# --- the status file and the appliance --------------------------------------------------------------
def test_the_status_file_is_whole_and_each_new_one_is_seen_once(tmp_path):
    path = tmp_path / "usb-status.json"
    watch = StatusWatch(path)
    assert watch.poll() is None                                        # none yet
    status = UsbStatus("no_space", "1.2 MB free", "2026-11-30T10:00:00", need_mb=3)
    write_status(path, status)
    assert watch.poll() == status and watch.poll() is None
    write_status(path, status)                                         # the stick plugged in again
    assert watch.poll() == status
    assert [p.name for p in tmp_path.iterdir()] == ["usb-status.json"]
    path.write_text('{"outcome": "exploded"}')
    with pytest.raises(UsbStatusError, match="not a USB status"):
        watch.poll()


def test_every_outcome_has_its_words_in_both_languages():
    for outcome in OUTCOMES:
        assert set(TEXTS[f"usb_{outcome}"]) == {"nl", "en"}
    assert TEXTS["usb_saved"] == {"nl": "Rapport op USB gezet", "en": "Report saved to USB"}
    assert {cues.USB_SAVED, cues.USB_FAILED} <= set(PATTERNS)


def appliance(tmp_path, *, user=False, progress=None):
    """An appliance on the simulator watching `tmp_path/run/usb-status.json`; who is heard.
    It samples at 50 Hz: the stick is heard in the menu whatever the rate."""
    cfg = Config(session=SessionConfig(max_drop_kpa=1.5), sampling=SamplingConfig(rate_hz=50))
    sim = open_bench(cfg, PERSONAS["strong"].body, cpu_meter=ScriptedCpu(TYPICAL_CPU_S))
    rig = sim.rig
    if user:
        sim.add_user(PERSONAS["strong"]).arrive(0.0)
    else:
        rig.body.stand(0.0)
    heard = []
    BuzzerListener(rig.clock, rig.pin_factory.pin(cfg.buzzer.pin), lambda t, cue: heard.append((t, cue)),
                   cfg.buzzer.frequency_hz)
    (tmp_path / "run").mkdir()
    app = Appliance(sim.platform, cfg, load_programmes(BUILTIN_DIR), Store(tmp_path / "state"), stop=StopFlag(),
                    progress=progress or io.StringIO(), programme="kracht",
                    usb_status=tmp_path / "run" / "usb-status.json")
    rig.clock.call_at(1500.0, lambda _t: app.stop.request("the test's time limit"))
    return app, rig, heard


def same_image(a, b) -> bool:
    return ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


def test_the_menu_shows_the_result_for_a_few_seconds_with_its_sound(tmp_path):
    app, rig, heard = appliance(tmp_path)
    status = tmp_path / "run" / "usb-status.json"
    saved = UsbStatus(SAVED, "pftrainer-export/2026-11-30: the report and 2 sessions", "2026-11-30T10:00:00")
    rig.clock.call_at(3.0, lambda _t: write_status(status, saved))
    rig.clock.call_at(9.0, lambda _t: write_status(status, UsbStatus("no_space", "0.1 MB free", "", need_mb=7)))
    rig.clock.call_at(15.0, lambda _t: status.write_text("{"))
    shots = {}
    for at_s in (3.0 + USB_CHECK_S + 0.5, 3.0 + USB_CHECK_S + NOTICE_S + 0.5, 9.0 + USB_CHECK_S + 0.5):
        rig.clock.call_at(at_s, lambda _t, at_s=at_s: shots.setdefault(at_s, rig.oled.image()))
    rig.clock.call_at(20.0, lambda _t: app.stop.request("test"))
    app.run()
    app.store.close()
    first, gone, second = sorted(shots)
    assert same_image(shots[first], render(MessageView("Rapport op USB gezet", ("Stick mag eruit",))))
    assert not same_image(shots[gone], shots[first])                            # the menu is back
    assert same_image(shots[second], render(MessageView("Te weinig ruimte op USB", ("Nodig: ruim 7 MB",))))
    assert [cue for _, cue in heard] == [cues.USB_SAVED, cues.USB_FAILED]
    assert 3.0 <= heard[0][0] <= 3.0 + USB_CHECK_S + 0.1
    log = app.progress.getvalue()
    assert "usb: saved: pftrainer-export/2026-11-30: the report and 2 sessions" in log
    assert f"usb: {status}: unreadable" in log


class StickDuringTheSession(io.StringIO):
    """The appliance's log, which plugs the stick in (writes a status) as a session starts
    and calls `shown` once the result is shown."""

    def __init__(self, status: Path) -> None:
        super().__init__()
        self.status, self.shown = status, None

    def write(self, text: str) -> int:
        if "session: kracht" in text:
            write_status(self.status, UsbStatus(SAVED, "pftrainer-export/x", ""))
        if "usb: saved" in text:
            self.shown()
        return super().write(text)


@pytest.mark.slow
def test_a_session_goes_on_undisturbed_and_the_result_waits_for_the_menu(tmp_path):
    log = StickDuringTheSession(tmp_path / "run" / "usb-status.json")
    app, rig, heard = appliance(tmp_path, user=True, progress=log)
    log.shown = lambda: rig.clock.call_at(rig.clock.now() + 3.0, lambda _t: app.stop.request("test"))
    app.run()
    app.store.close()
    lines = [line.split("] ", 1)[1] for line in log.getvalue().splitlines() if "] " in line]
    done = next(i for i, line in enumerate(lines) if line.startswith("session done"))
    assert lines.index("usb: saved: pftrainer-export/x") == lines.index("idle: menu", done) + 1
    sounds = [cue for _, cue in heard]
    assert sounds.index(cues.USB_SAVED) > sounds.index(cues.SUMMARY)


@pytest.mark.slow
def test_run_sim_plugs_a_folder_in_as_the_stick(tmp_path, capsys):
    state, stick = history(tmp_path, 1), tmp_path / "stick"
    stick.mkdir()
    config = tmp_path / "pftrainer.toml"
    config.write_text(f'[sim]\nusb_dir = "{stick}"\nusb_plug_s = 1.0\n[session]\nmax_drop_kpa = 1.5\n'
                      '[sampling]\nrate_hz = 50\n')
    assert main(["--config", str(config), "run", "--sim", "--program", "kracht", "--state-dir", str(state)]) == 0
    err = capsys.readouterr().err
    assert f"usb: saved: pftrainer-export/{today()}: the report and 1 session" in err
    assert err.index("usb: saved") < err.index("session: kracht")               # shown in the menu
    assert {p.name for p in (stick / "pftrainer-export" / today()).iterdir()} == {
        "report.html", "session-00001.edf", "session-00001.csv"}


# --- real FAT and exFAT images -------------------------------------------------------------------
def _run(*cmd) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=60)


def first_line(text: str) -> str:
    return (text.strip().splitlines() or ["(no message)"])[0]


def _needs(*tools):
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt-get install mtools dosfstools exfatprogs exfat-fuse)")


@contextlib.contextmanager
def loop_device(image: Path):
    made = _run("losetup", "-f", "--show", image)
    if made.returncode != 0:
        pytest.skip(f"no loop device here: {first_line(made.stderr)}")
    try:
        yield made.stdout.strip()
    finally:
        _run("losetup", "-d", made.stdout.strip())


def make_image(tmp_path, kind: str, size_kib: int) -> Path:
    """An empty `kind` ("vfat" or "exfat") filesystem image; vfat gets a file written by mtools."""
    image = tmp_path / f"{kind}.img"
    with open(image, "wb") as f:
        f.truncate(size_kib * 1024)
    if kind == "vfat":
        _needs("mkfs.fat", "mcopy")
        assert _run("mkfs.fat", "-n", "STICK", image).returncode == 0
        (tmp_path / "LeesMij.txt").write_text("op een andere computer gezet\n")
        assert _run("mcopy", "-i", image, tmp_path / "LeesMij.txt", "::/LeesMij.txt").returncode == 0
    else:
        _needs("mkfs.exfat", "fsck.exfat")
        assert _run("mkfs.exfat", "-L", "STICK", image).returncode == 0
    return image


@contextlib.contextmanager
def mounted(image: Path, kind: str, where: Path, *, ro=False):
    """`image` mounted at `where` by the kernel (a loop mount) or, for exFAT on a kernel
    without it, by exfat-fuse; skipped when this machine can do neither."""
    where.mkdir(exist_ok=True)
    options = "ro" if ro else "rw"
    with loop_device(image) as dev:
        done = _run("mount", "-t", kind, "-o", options, dev, where)
        if done.returncode != 0 and kind == "exfat" and shutil.which("mount.exfat-fuse"):
            done = _run("mount.exfat-fuse", "-o", options, dev, where)
        if done.returncode != 0:
            pytest.skip(f"cannot mount {kind} here: {first_line(done.stderr)}")
        try:
            yield where
        finally:
            os.sync()
            assert _run("umount", where).returncode == 0


def fill_to(stick: Path, free_bytes: int) -> None:
    """A file of the user's that leaves about `free_bytes` free on `stick`."""
    room = os.statvfs(stick)
    (stick / "filler.bin").write_bytes(b"\xa5" * (room.f_bavail * room.f_frsize - free_bytes))
    os.sync()


def checked(image: Path, kind: str, tmp_path) -> dict[str, bytes | None]:
    """The image's files after fsck passed it, read by a second reader where there is one
    (mtools for FAT), else by mounting it read-only again."""
    fsck = _run("fsck.fat" if kind == "vfat" else "fsck.exfat", "-n", image)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    out = tmp_path / f"read-back-{kind}"
    if kind == "vfat":
        out.mkdir()
        assert _run("mcopy", "-s", "-n", "-i", image, "::/*", out).returncode == 0
        return tree(out)
    with mounted(image, kind, tmp_path / "ro-again", ro=True) as where:
        return tree(where)


@pytest.fixture(params=["vfat", "exfat"])
def kind(request):
    return request.param


def test_onto_a_fat_image_and_nothing_else_changes(tmp_path, kind):
    state = history(tmp_path)
    image = make_image(tmp_path, kind, 4096)
    with mounted(image, kind, tmp_path / "stick") as stick:
        users_files(stick)
        before = tree(stick)
        code, out, err = usb_export(stick, state, "--fs-type", kind)
    assert (code, err) == (0, "")
    after = checked(image, kind, tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("pftrainer-export")} == before
    day = f"pftrainer-export/{today()}"
    assert {k[len(day) + 1:] for k in after if k.startswith(day + "/")} == exported_files(state)
    assert after[f"{day}/session-00001.csv"] == gzip.decompress((state / "recordings" / "session-00001.csv.gz")
                                                               .read_bytes())


@pytest.mark.sweep
def test_a_stick_that_fills_up_is_full_and_keeps_nothing_of_the_export(tmp_path, kind):
    state = history(tmp_path)
    image = make_image(tmp_path, kind, 4096)
    with mounted(image, kind, tmp_path / "stick") as stick:
        fill_to(stick, csv_bytes(state) + 8192)       # room for the recordings, not for all of it
        before = tree(stick)
        code, _, err = usb_export(stick, state, "--fs-type", kind, "--status", tmp_path / "status.json")
    assert code == 2 and err.startswith("pftrainer: usb-export: ") and "No space left on device" in err
    assert read_status(tmp_path / "status.json").outcome == "full"
    assert checked(image, kind, tmp_path) == before


@pytest.mark.slow
def test_export_onto_a_stick_that_fills_up_names_the_sessions_left_out_in_one_line(tmp_path, capsys):
    """`pftrainer export --edf` (not the stick's own export): the sessions the full stick
    has no room for are named in one line (each was tried: a smaller one may fit), exit 2."""
    state = history(tmp_path, sessions=3)
    image = make_image(tmp_path, "exfat", 4096)
    with mounted(image, "exfat", tmp_path / "stick") as stick:
        fill_to(stick, csv_bytes(state) + 8192)        # the first session fits, not all three
        code = main(["export", "--edf", str(stick / "out"), "--state-dir", str(state)])   # (in this process)
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in err
    [line] = err.splitlines()
    assert line == f"pftrainer: sessions 2, 3 not exported: no room in {stick / 'out'} (No space left on device)"
    assert out == f"1 sessie geëxporteerd naar {stick / 'out'} (EDF+ en CSV): 1; 2 niet: 2, 3 (zie hierboven)\n"


@pytest.mark.slow
def test_a_stick_that_fills_up_at_any_file_is_full_never_failed(tmp_path, kind):
    """Whichever file meets the full stick -- the report, a CSV copy, an EDF file (written by
    numpy, whose cut-short write has no error number) -- the outcome is full (a new user saw
    "failed: 171336 requested and 51968 written", and the device would have said so)."""
    state = history(tmp_path, sessions=3)
    whole = tmp_path / "whole"
    assert usb_export(whole.mkdir() or whole, state)[0] == 0
    export_bytes = sum(p.stat().st_size for p in whole.rglob("*") if p.is_file())
    image = make_image(tmp_path, kind, 4096)
    outcomes = set()
    with mounted(image, kind, tmp_path / "stick") as stick:
        for share in (0.2, 0.5, 0.8):
            fill_to(stick, csv_bytes(state) + int(share * (export_bytes - csv_bytes(state))))
            code, _, err = usb_export(stick, state, "--fs-type", kind, "--status", tmp_path / "status.json")
            outcomes.add(read_status(tmp_path / "status.json").outcome)
            assert code == 2 and err.startswith("pftrainer: usb-export: "), err
            (stick / "filler.bin").unlink()
    assert outcomes == {"full"}


def test_a_stick_with_less_room_than_the_recordings_is_told_how_much_is_needed(tmp_path, kind):
    state = history(tmp_path)
    image = make_image(tmp_path, kind, 4096)
    with mounted(image, kind, tmp_path / "stick") as stick:
        fill_to(stick, csv_bytes(state) // 2)
        before = tree(stick)
        code, _, err = usb_export(stick, state, "--fs-type", kind, "--status", tmp_path / "status.json")
    assert code == 2 and err.startswith(f"pftrainer: usb-export: {stick} has ")
    assert read_status(tmp_path / "status.json").need_mb == 1        # 2 x 66 kB, rounded up
    assert checked(image, kind, tmp_path) == before


def test_a_read_only_stick_is_said_to_be_and_not_written(tmp_path, kind):
    state = history(tmp_path, 1)
    image = make_image(tmp_path, kind, 4096)
    digest = hashlib.sha256(image.read_bytes()).hexdigest()
    with mounted(image, kind, tmp_path / "stick", ro=True) as stick:
        code, _, err = usb_export(stick, state, "--fs-type", kind)
    assert (code, err) == (2, f"pftrainer: usb-export: {stick} is mounted read-only\n")
    assert hashlib.sha256(image.read_bytes()).hexdigest() == digest


@pytest.mark.slow
def test_the_export_names_are_fat_names(tmp_path):
    """Copied onto a FAT image by mtools, which refuses or mangles what FAT cannot hold,
    every name and byte of an export comes back as it was (no loop mount needed)."""
    state, stick = history(tmp_path), tmp_path / "stick"
    stick.mkdir()
    assert usb_export(stick, state)[0] == 0
    image = make_image(tmp_path, "vfat", 4096)
    assert _run("mcopy", "-s", "-i", image, stick / "pftrainer-export", "::/").returncode == 0
    out = tmp_path / "back"
    out.mkdir()
    assert _run("mcopy", "-s", "-n", "-i", image, "::/pftrainer-export", out).returncode == 0
    assert tree(out) == tree(stick)


# --- systemd/pftrainer-usb: mount, export as the service user, unmount ----------------------------------
@pytest.fixture
def as_nobody(tmp_path):
    """A state directory, a status folder and a marker the `nobody` user can use, outside
    pytest's private tmp_path; skipped without root, losetup and unshare."""
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("losetup") is None:
        pytest.skip("needs root, losetup and unshare")
    nobody = pwd.getpwnam("nobody")
    probe = subprocess.run(["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups",
                            "--reset-env", "--", sys.executable, "-c", "pass"], capture_output=True, text=True)  # as the wrapper runs it
    if probe.returncode != 0:              # e.g. a Python built under /root (pyenv), as on some CI machines
        pytest.skip(f"the user nobody cannot run this Python: {probe.stderr.strip()[:120]}")
    with tempfile.TemporaryDirectory() as shared:
        shared = Path(shared)
        shared.chmod(0o755)
        state = history(shared)
        for path in [state, *state.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        run = shared / "run"
        run.mkdir()
        os.chown(run, nobody.pw_uid, nobody.pw_gid)
        yield state, run


def wrapper(device, state, run, *command):
    command = command or (sys.executable, "-m", "device.cli", "usb-export", "--state-dir", state,
                          "--status", run / "usb-status.json")
    done = subprocess.run(["unshare", "-m", "--propagation", "private", WRAPPER, device, "nobody", *map(str, command)],
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr
    return done


def kernel_mounts(kind, tmp_path) -> bool:
    image = make_image(tmp_path, kind, 4096)
    with loop_device(image) as dev:
        (tmp_path / "probe").mkdir()
        done = _run("unshare", "-m", "sh", "-c", f"mount -t {kind} {dev} {tmp_path / 'probe'}")
    image.unlink()
    return done.returncode == 0


def ext2_image(tmp_path) -> Path:
    """A filesystem that is not FAT: what a Linux user's stick may have."""
    _needs("mkfs.ext2")
    image = tmp_path / "ext2.img"
    with open(image, "wb") as f:
        f.truncate(2 * 1024 * 1024)
    assert _run("mkfs.ext2", "-q", image).returncode == 0
    return image


@pytest.mark.slow
def test_the_wrapper_refuses_another_filesystem_without_mounting_it(tmp_path, as_nobody):
    state, run = as_nobody
    image = ext2_image(tmp_path)
    with loop_device(image) as dev:
        done = wrapper(dev, state, run)
    assert done.returncode == 2
    assert done.stderr == ("pftrainer: usb-export: the stick's filesystem is ext2, not FAT or exFAT: "
                           "left alone\n")
    assert read_status(run / "usb-status.json").outcome == "not_fat"


def test_the_wrapper_leaves_a_disk_in_use_alone(tmp_path, as_nobody):
    state, run = as_nobody
    image = ext2_image(tmp_path)
    (tmp_path / "in-use").mkdir()
    with loop_device(image) as dev:
        assert _run("mount", dev, tmp_path / "in-use").returncode == 0
        try:
            done = wrapper(dev, state, run, "touch", run / "ran")
        finally:
            _run("umount", tmp_path / "in-use")
    assert (done.returncode, done.stdout) == (0, f"pftrainer-usb: {dev} has a filesystem mounted already: "
                                                 f"{dev} left alone\n")
    assert not (run / "ran").exists()


def test_the_wrapper_exports_onto_a_fat_stick_as_the_service_user(tmp_path, as_nobody, kind):
    state, run = as_nobody
    if not kernel_mounts(kind, tmp_path):
        pytest.skip(f"this kernel cannot mount {kind} (the wrapper uses the kernel's driver, no FUSE helper)")
    image = make_image(tmp_path, kind, 4096)
    with loop_device(image) as dev:
        done = wrapper(dev, state, run)
        assert _run("findmnt", "-S", dev).returncode == 1                 # unmounted again
    assert (done.returncode, done.stderr) == (0, "")
    assert read_status(run / "usb-status.json").outcome == SAVED
    assert f"pftrainer-export/{today()}/report.html" in checked(image, kind, tmp_path)


@pytest.mark.slow
def test_a_fat_stick_the_kernel_cannot_mount_is_unreadable(tmp_path, as_nobody):
    state, run = as_nobody
    if kernel_mounts("vfat", tmp_path):
        pytest.skip("this kernel mounts FAT: no FAT image it refuses to hand")
    image = make_image(tmp_path, "vfat", 4096)
    with loop_device(image) as dev:
        done = wrapper(dev, state, run)
    assert done.returncode == 2 and done.stderr.endswith(
        "pftrainer: usb-export: the vfat stick could not be mounted\n")
    status = json.loads((run / "usb-status.json").read_text())
    assert status["outcome"] == "unreadable"
