"""Coached sessions on the logic-level harness (body -> analysis -> coach -> person), each
made once per test process: a session is the same every time for the same programme,
persona, seed and options, and several test files read the same ones."""

import functools

from hw_sim.harness import coach_session
from hw_sim.persona import PERSONAS
from session.programme import BUILTIN_DIR, load_programmes

PROGRAMMES = load_programmes(BUILTIN_DIR)


@functools.cache
def coached(program: str, persona: str, seed: int = 1, **kwargs):
    """`persona` through the built-in programme `program` (never changed by its readers)."""
    return coach_session(PROGRAMMES[program], PERSONAS[persona], seed=seed, **kwargs)
