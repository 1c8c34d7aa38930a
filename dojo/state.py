"""The learner's state folder, ``.dojo/`` at the top of the repository.

What the dojo remembers between runs lives here: the current kata and the
hints shown (dojo/learner.py), backups made by ``pytest --reset``, and the
katas that passed (dojo/solved.py). Git ignores the folder: it is the
learner's, never part of the dojo, and deleting it only makes the dojo start
afresh.
"""
from __future__ import annotations

import json
import os
import tempfile

STATE_DIR = ".dojo"


def path(root: str, name: str) -> str:
    return os.path.join(root, STATE_DIR, name)


def read(root: str, name: str) -> dict:
    """A JSON file of the state folder; empty when it was never written, or is damaged (start afresh)."""
    try:
        with open(path(root, name), encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def write(root: str, name: str, data: dict) -> None:
    """Write a JSON file whole: a run interrupted mid-write leaves the old file, not half of one.

    The temporary file has a name of its own, so that two runs at once (a watch
    mode and a run by hand) cannot write into each other's. Raises OSError on a
    read-only checkout: the caller decides whether forgetting is acceptable.
    """
    os.makedirs(os.path.join(root, STATE_DIR), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.join(root, STATE_DIR), prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1)
        os.replace(tmp, path(root, name))
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise
