"""The katas a learner has solved, remembered so that plain ``pytest`` does not run them again.

Without this, every ``pytest`` reran every solved kata before the current one:
a few seconds at kata 01, most of a minute at kata 06. A kata that passed is
kept in ``.dojo/solved.json`` under a key: a hash of everything its pass
depends on, namely

- its kata file (``katas/NN_slug.py``) and its test file (``tests/test_NN_slug.py``),
- the harness: every file of ``dojo/``, ``conftest.py`` and ``pyproject.toml``,
- the Python version (a kata's gate and its start methods depend on it).

The record counts only while the key is the same: change any of these and the
kata runs again. Only a complete, passing run of every test of a kata (every
start method) may record it, and only in learner mode, on ``katas/`` (never
``--target``, ``--solutions``, ``--verify-stubs`` or grading). Complete is
judged kata by kata: tests chosen by node id, or a kata's tests thinned by
``-k``/``-m``/``--deselect`` (``-k spawn``), or a run that stopped early, record
nothing; a ``-k`` that leaves every test of kata 01 in (``-k test_01``) is a
complete run of kata 01. Any failing test of a kata forgets it, however the
run was chosen. ``pytest --reset N`` forgets kata N; deleting ``.dojo/``
forgets every kata.

Under xdist each worker reads the record (to skip what is recorded) and the
controller alone writes it, from the reports it receives.
"""
from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, field

import pytest

from dojo import katas as table
from dojo import state

FILE = "solved.json"
#: A kata item's user property: how many tests of its kata this run collected, before any -k/-m/--deselect.
COLLECTED = "dojo_kata_tests"
#: A kata item's user property: it is skipped because its kata passed in an earlier run.
CHECKED = "dojo_checked_earlier"

_KEYS = pytest.StashKey[dict]()  # kata number -> key, as the run began
_RECORDED = pytest.StashKey[set]()  # kata numbers whose record counts


@dataclass
class _Tally:
    collected: int = 0
    passed: set = field(default_factory=set)  # node ids whose call passed
    failed: bool = False  # any report of the kata failed: setup, call or teardown


def applies(mode) -> bool:
    """Only the learner's own run on katas/ is remembered: never --target, --solutions, --verify-stubs or grading."""
    return mode is not None and mode.name == "learner"


# -- keys -------------------------------------------------------------------------


def _harness_files(root: str) -> list[str]:
    files = []
    for folder, dirs, names in os.walk(os.path.join(root, "dojo")):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")  # Python writes these on every import
        files += [os.path.join(folder, n) for n in names if not n.endswith((".pyc", ".pyo"))]
    files += [os.path.join(root, "conftest.py"), os.path.join(root, "pyproject.toml")]
    return sorted(files)


def _feed(digest, root: str, path: str) -> None:
    """The file's place and content; a missing file hashes differently from an empty one."""
    digest.update(os.path.relpath(path, root).encode() + b"\0")
    try:
        with open(path, "rb") as f:
            digest.update(b"+" + f.read())
    except OSError:
        digest.update(b"-")
    digest.update(b"\0")


def keys(root: str) -> dict[str, str]:
    """Every kata's key, as its files are now."""
    harness = hashlib.sha256(f"python {sys.version_info[0]}.{sys.version_info[1]}\0".encode())
    for path in _harness_files(root):
        _feed(harness, root, path)
    out = {}
    for k in table.KATAS:
        digest = harness.copy()
        _feed(digest, root, os.path.join(root, "katas", k.file))
        _feed(digest, root, os.path.join(root, "tests", f"test_{k.name}.py"))
        out[k.number] = digest.hexdigest()
    return out


# -- the record -------------------------------------------------------------------


def _stored(root: str) -> dict[str, str]:
    return {n: v for n, v in state.read(root, FILE).items() if isinstance(v, str)}


def _counting(stored: dict[str, str], now: dict[str, str]) -> set[str]:
    return {n for n, key in stored.items() if now.get(n) == key}


def forget(root: str, number: str) -> None:
    stored = _stored(root)
    if stored.pop(number, None) is not None:
        try:
            state.write(root, FILE, stored)
        except OSError:  # a read-only checkout: nothing was recorded there either
            pass


# -- a run ------------------------------------------------------------------------


def begin(config, mode, chosen_nodes: set[str]) -> None:
    """At configure time, in every process: the keys as the run begins, and which records count.

    ``chosen_nodes``: the katas some of whose tests the command line names by
    node id; such a run collects only those, so it cannot be complete. In the
    controller (or the one process) a recorder then follows the run.
    """
    if not applies(mode):
        return
    now = keys(mode.root)
    config.stash[_KEYS] = now
    config.stash[_RECORDED] = _counting(_stored(mode.root), now)
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(_Recorder(config, mode.root, chosen_nodes), "dojo-solved")


def recorded(config) -> set[str]:
    """The katas that passed in an earlier run and have not changed since (empty outside a learner run)."""
    return config.stash.get(_RECORDED, set())


class _Recorder:
    """Follows every test report (under xdist, in the controller) and settles the record at the end."""

    def __init__(self, config, root: str, chosen_nodes: set[str]):
        self.config, self.root, self.chosen_nodes = config, root, chosen_nodes
        self.tally: dict[str, _Tally] = {}

    def pytest_runtest_logreport(self, report):
        kata = table.of_test_file(report.nodeid)
        if kata is None:
            return
        t = self.tally.setdefault(kata.number, _Tally())
        t.collected = dict(report.user_properties).get(COLLECTED, t.collected)
        if report.failed:
            t.failed = True
        elif report.when == "call" and report.passed:
            t.passed.add(report.nodeid)

    def pytest_sessionfinish(self, session):
        """Record each kata that passed in full; forget each that failed.

        The progress table reads recorded() afterwards: the terminal reporter
        writes it once every plain sessionfinish hook, this one too, is done.
        """
        stored = _stored(self.root)
        before = dict(stored)
        now = keys(self.root)
        for number, t in self.tally.items():
            if t.failed:
                stored.pop(number, None)
            elif (t.collected and len(t.passed) == t.collected and number not in self.chosen_nodes
                  # a file saved while its tests ran (watch mode): what passed is not what is there now
                  and self.config.stash[_KEYS].get(number) == now.get(number)):
                stored[number] = now[number]
        if stored != before:
            try:
                state.write(self.root, FILE, stored)
            except OSError:  # a read-only checkout: the dojo still works, it only runs every kata again
                pass
        self.config.stash[_RECORDED] = _counting(stored, now)
