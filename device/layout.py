"""Where the device keeps things in its state directory (`/var/lib/pftrainer`).

    pftrainer.db                   the history (SQLite, with -wal and -shm beside it)
    pftrainer.lock                 held by the one process that writes here
    sessions/session-NNNNN/        a session's files while it runs (and until it is stored):
                                   recording.csv.gz (compressed as it is written), cues.jsonl,
                                   progress.json (the figures so far), summary.json; or, for a
                                   session writing to a folder the user chose (`sim --out`),
                                   only files-in.txt: that folder's path
    recordings/session-NNNNN.csv.gz  every stored session's recording
    recordings/session-NNNNN.summary.json  its summary with every rep, to rebuild the history from
    pftrainer.reserve              room kept back for the database when the disk fills up
    orphans/                       files no session could be found for, set aside
    pftrainer.db.damaged-<time>    a damaged database, moved aside
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from device.cli_texts import Said

LIVE_RECORDING = "recording.csv.gz"       # a session's recording, in its folder
PROGRESS = "progress.json"                # the coach's figures as of its last scored rep, in its folder
FILES_IN = "files-in.txt"                 # in a session's folder: the folder the user chose for its files
_ID = r"([0-9]{1,9})"                      # a session's number: ASCII digits, as the database can hold it
NUMBERING_LIMIT = 10 ** 8                   # a stray file numbered higher sets no next number: the numbers
                                            # given out stay far within the 9 digits their files are found by
SESSION_FOLDER = re.compile(rf"session-{_ID}")
RECORDING_FILE = re.compile(rf"session-{_ID}\.csv\.gz")
HALF_WRITTEN = re.compile(rf"session-{_ID}\.csv\.gz\.part")
HALF_WRITTEN_SUMMARY = re.compile(rf"session-{_ID}\.summary\.json\.part")


@dataclass(frozen=True)
class StateLayout:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "pftrainer.db"

    @property
    def lock(self) -> Path:
        return self.root / "pftrainer.lock"

    @property
    def reserve(self) -> Path:
        return self.root / "pftrainer.reserve"

    @property
    def sessions(self) -> Path:
        return self.root / "sessions"

    @property
    def recordings(self) -> Path:
        return self.root / "recordings"

    @property
    def orphans(self) -> Path:
        return self.root / "orphans"

    def session_folder(self, session_id: int) -> Path:
        return self.sessions / f"session-{session_id:05d}"

    def files_of(self, folder: Path) -> Path:
        """Where the files of the session whose folder is `folder` are: the folder the user
        chose, when `folder` names one that is there (`FILES_IN`), else `folder` itself."""
        try:
            chosen = Path((folder / FILES_IN).read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return folder
        return chosen if chosen.is_absolute() and chosen.is_dir() else folder

    def recording(self, session_id: int) -> Path:
        return self.recordings / f"session-{session_id:05d}.csv.gz"

    def kept_summary(self, session_id: int) -> Path:
        return self.recordings / f"session-{session_id:05d}.summary.json"

    def session_folders(self) -> dict[int, Path]:
        """The session folders there are, by session id."""
        return _by_id(self.sessions, SESSION_FOLDER)

    def recording_files(self) -> dict[int, Path]:
        """The compressed recordings there are, by session id."""
        return _by_id(self.recordings, RECORDING_FILE)

    def half_written(self) -> dict[int, Path]:
        """Compressed recordings a crash left half-written (`.part`), by session id."""
        return _by_id(self.recordings, HALF_WRITTEN)

    def half_written_summaries(self) -> dict[int, Path]:
        """Kept summaries a crash left half-written (`.part`), by session id."""
        return _by_id(self.recordings, HALF_WRITTEN_SUMMARY)


def _by_id(folder: Path, pattern: re.Pattern) -> dict[int, Path]:
    found: dict[int, Path] = {}
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            match = pattern.fullmatch(path.name)
            if match:
                found.setdefault(int(match.group(1)), path)
    return found


def file_in_the_way(path: Path) -> Path | None:
    """The first part of `path` that exists, when it is a file: the folder cannot be made."""
    nearest = next((part for part in (path, *path.parents) if part.exists()), None)
    return nearest if nearest is not None and not nearest.is_dir() else None


def not_a_folder(path: Path) -> Said:
    """Why `path` cannot be used as a folder: it is a file, or nothing is there (the first part
    of it that is a file, when one is in the way) -- the words of `device.cli_texts`, not yet in
    a language (the command line says them in the user's, storage in English)."""
    blocking = file_in_the_way(path)
    if blocking is None:
        return Said("no_such_folder")
    return Said("file_not_folder") if blocking == path else Said("file_in_the_way", {"blocking": blocking})
