"""Watch mode (`ptw .`): pytest-watcher reads [tool.pytest-watcher] from pyproject.toml.

A saved kata or test reruns pytest; what the dojo writes itself (.dojo/, caches)
must not, or each run would trigger the next. Each rerun is a plain `pytest`,
so solved katas recorded in .dojo/ are not run again (test_learner_solved.py).
"""
import os
from argparse import Namespace
from pathlib import Path

from pytest_watcher.config import Config
from watchdog.utils.patterns import match_any_paths

from dojo import solved, state
from dojo.katas import KATAS
from dojo.run import ROOT


def watched(config: Config, path: str) -> bool:
    return match_any_paths([os.path.join(ROOT, path)], included_patterns=config.patterns,
                           excluded_patterns=config.ignore_patterns)


def config() -> Config:
    return Config.create(Namespace(path=Path(ROOT), now=None, clear=None, delay=None, runner=None, patterns=None,
                                   ignore_patterns=None, notify_on_failure=None))


def test_saving_a_kata_or_a_test_reruns_pytest():
    c = config()
    assert [c.runner, *c.runner_args] == ["python", "-m", "dojo.rerun"] and c.now and c.clear
    for k in KATAS:
        assert watched(c, f"katas/{k.file}"), k.file
        assert watched(c, f"tests/test_{k.name}.py")
    assert watched(c, "dojo/plugin.py") and watched(c, "pyproject.toml")


def test_what_the_dojo_writes_does_not_rerun_it():
    c = config()
    # The record of solved katas is written at the end of every run: were it watched, each run would start the next.
    record = os.path.relpath(state.path(ROOT, solved.FILE), ROOT)
    for path in (".dojo/state.json", ".dojo/backup/01_sentinel-20260101-120000.py", "katas/__pycache__/x.cpython-311.pyc",
                 "tests/__pycache__/conftest.cpython-311-pytest-9.2.0.pyc", ".git/index", ".venv/lib/site.py", record):
        assert not watched(c, path), path
