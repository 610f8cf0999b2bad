"""Folders a test needs mounted: read-only, or small (root and mount: the test is skipped elsewhere)."""

from __future__ import annotations

import contextlib
import subprocess

import pytest


@contextlib.contextmanager
def read_only(folder, where):
    """`folder` bind-mounted read-only at `where` (needs root and mount: skipped elsewhere)."""
    where.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(folder), str(where)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {mounted.stderr.strip()}")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(where)], capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only here")
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


@contextlib.contextmanager
def small_folder(where, size):
    """A tmpfs of `size` (e.g. "1m") mounted at `where` (needs root and mount: skipped elsewhere)."""
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)
