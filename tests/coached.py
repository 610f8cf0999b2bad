"""Coached sessions on the logic-level harness (body -> analysis -> coach -> person), each
made once per test run: a session is the same every time for the same programme, persona,
seed and options, and several test files, in both test processes, read the same ones. The
first process to need one makes it and leaves it (pickled) in the folder the run's
processes share (`SHARED_DIR`, set by conftest), where the other finds it. One that needs
it while the other is still making it makes it too, rather than wait: on a busy machine
a process that waits gives its share of the CPU away."""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import os
import pickle
from pathlib import Path

from hw_sim.harness import CoachedSession, coach_session
from hw_sim.persona import PERSONAS
from session.programme import BUILTIN_DIR, load_programmes

PROGRAMMES = load_programmes(BUILTIN_DIR)
SHARED_DIR: Path | None = None           # where the run's test processes leave what they made

_made: dict[tuple, CoachedSession] = {}  # this process's


def coached(program: str, persona: str, seed: int = 1, level: int | None = None, **kwargs) -> CoachedSession:
    """`persona` through the built-in programme `program` (never changed by its readers), at
    `level` of its ladder as the device counts it (1: a new user's) or as the file has it (None)."""
    kwargs = {name: value for name, value in kwargs.items() if not _is_default(name, value)}
    key = (program, persona, seed, level, tuple(sorted(kwargs.items())))   # seed by position or name alike
    if key not in _made:
        _made[key] = _shared(key) if SHARED_DIR is not None else _coach(key)
    return _made[key]


_DEFAULTS = {name: p.default for name, p in inspect.signature(coach_session).parameters.items()
             if p.kind is inspect.Parameter.KEYWORD_ONLY and name != "seed"}


def _is_default(name: str, value) -> bool:
    """`coach_session`'s own default given by name (`max_drop_kpa=None`): the same session as
    without it, not one more to make."""
    default = _DEFAULTS.get(name, inspect.Parameter.empty)
    return value is default or (type(value) is type(default) and value == default)


def first_where(holds, program: str, persona: str, seeds=(1, 2, 3), **kwargs) -> CoachedSession:
    """The first of the `seeds`' sessions for which `holds(session)` is true: a test of what
    follows from a case (a weak floor falling short, say) needs a session that has it, and
    which seed's draws give one moves with any change to the analysis or the coach's timing."""
    for seed in seeds:
        session = coached(program, persona, seed, **kwargs)
        if holds(session):
            return session
    raise AssertionError(f"no session of {persona} in {program} (seeds {seeds}, {kwargs}) is such a case")


def _coach(key: tuple) -> CoachedSession:
    program, persona, seed, level, options = key
    programme = PROGRAMMES[program]
    if level is not None:
        programme = programme.at_level(programme.level_of(level))
    return coach_session(programme, PERSONAS[persona], seed=seed, **dict(options))


def _shared(key: tuple) -> CoachedSession:
    made = SHARED_DIR / f"coached-{hashlib.sha256(repr(key).encode()).hexdigest()[:16]}.pickle"
    with contextlib.suppress(FileNotFoundError):
        return pickle.loads(made.read_bytes())
    session = _coach(key)
    partial = made.with_suffix(f".{os.getpid()}")
    partial.write_bytes(pickle.dumps(session, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(partial, made)                  # whole, or not there: the other process may be making it too
    return session
