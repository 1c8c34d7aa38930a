"""Drive `pytest` as a learner would: in a subprocess, in a copy of the repository."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from dojo.run import ROOT

#: What a learner's run needs: the harness, the katas, the kata tests, and the configuration.
LEARNER_FILES = ["dojo", "katas", "conftest.py", "pyproject.toml", ".gitignore"]
# git must not read the machine's own configuration (a user.email there would change whose commits are whose).
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def make_learner_copy(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in LEARNER_FILES:
        src = os.path.join(ROOT, name)
        if os.path.isdir(src):
            shutil.copytree(src, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, folder / name)
    (folder / "tests").mkdir()
    for test in Path(ROOT, "tests").glob("test_*.py"):
        shutil.copy(test, folder / "tests" / test.name)
    return folder


def learner_run(folder, *args, lang="en", env=None, cwd=None) -> subprocess.CompletedProcess:
    """`pytest ARGS` in ``folder`` (or ``cwd`` inside it), as a learner types it (``lang`` None: the locale decides)."""
    extra = ["--lang", lang] if lang else []
    environ = dict(os.environ, **(env or {}))
    environ.pop("PYTEST_XDIST_WORKER", None)
    environ.pop("PYTEST_ADDOPTS", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *extra, *args],
                          cwd=cwd or folder, capture_output=True, text=True, timeout=600, env=environ)


def next_steps(out: str) -> list[str]:
    """The lines that tell the learner what to do next (there must be exactly one)."""
    return [line for line in out.splitlines() if line.startswith(("Next:", "下一步："))]


def git(folder, *args, email="learner@example.com"):
    return subprocess.run(["git", "-C", str(folder), "-c", f"user.email={email}", "-c", "user.name=someone", *args],
                          check=True, capture_output=True, text=True, env=dict(os.environ, **GIT_ENV))


def cloned(folder):
    """The copy as a learner's clone: the dojo's commit, then the learner's own identity."""
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "the dojo", email="dojo@example.com")
    git(folder, "config", "user.email", "learner@example.com")
    return folder


def learner_python(folder, *args, cwd=None, env=None) -> subprocess.CompletedProcess:
    """`python ARGS` in ``folder`` (or ``cwd`` inside it), as a learner types it: `python katas/01_sentinel.py`."""
    environ = dict(os.environ, **(env or {}))
    environ.pop("PYTEST_XDIST_WORKER", None)
    environ.pop("PYTEST_ADDOPTS", None)
    return subprocess.run([sys.executable, *args], cwd=cwd or folder, capture_output=True, text=True, timeout=600,
                          env=environ)


def failures(out: str) -> str:
    """The FAILURES section of pytest's output, up to the progress table."""
    return out.split("= FAILURES =", 1)[1].split("Deadlock Dojo · ", 1)[0]


def shown_reports(out: str) -> list[str]:
    """The test names whose report is printed in full (one `___ test_x[fork] ___` line each)."""
    return re.findall(r"^_{3,} (test_\S+) _{3,}$", failures(out), re.M)


def solution(kata) -> str:
    with open(os.path.join(ROOT, "solutions", kata.file), encoding="utf-8") as f:
        return f.read()


def first_report(out: str) -> str:
    """The first report printed in full, below its test's name."""
    report = re.split(r"^_{3,} test_\S+ _{3,}$", failures(out), flags=re.M)[1].lstrip("\n")
    return re.sub(r"^\[gw\d+\] .*\n", "", report)  # xdist names the worker that ran it first
