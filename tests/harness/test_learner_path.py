"""What a learner meets: plain `pytest` in a fresh copy stops at kata 01's HANG."""
import os
import shutil
import subprocess
import sys

import pytest

from dojo.run import ROOT


@pytest.fixture(scope="module")
def fresh_copy(tmp_path_factory):
    """The repository as a learner clones it (stubs untouched)."""
    here = tmp_path_factory.mktemp("clone") / "dojo"
    shutil.copytree(ROOT, here, ignore=shutil.ignore_patterns(".git", ".venv", ".ci-venv", "__pycache__",
                                                              ".pytest_cache", "*.egg-info"))
    return here


def learner_run(folder, *args):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--lang", "en", *args],
                          cwd=folder, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("args", [(), ("-n", "2")], ids=["plain", "xdist"])
def test_the_first_run_shows_kata_01_hanging_and_the_way_on(fresh_copy, args):
    done = learner_run(fresh_copy, *args)
    out = done.stdout
    assert done.returncode == 1, out[-3000:]
    failures = out.split("= FAILURES =", 1)[1].split("Deadlock Dojo · progress", 1)[0]
    assert "HANG: diner-1 is blocked in counter.get() (katas/01_sentinel.py:" in failures
    assert "main is waiting for it" in failures
    assert "Hint: The diner loops on counter.get() forever." in failures
    # Only the current kata is shown in full; the others wait their turn.
    assert "test_02_" not in failures and "test_03_" not in failures
    assert "▶ 01 sentinel" in out
    steps = [line for line in out.splitlines() if line.startswith("Next:")]
    assert steps == ["Next: open katas/01_sentinel.py, read the story at the top, and fix the TODO. Then run:  pytest"]
    assert " ahead" in out.splitlines()[-1]


def test_a_solved_kata_moves_the_learner_on(fresh_copy, tmp_path):
    solved = tmp_path / "katas"
    shutil.copytree(os.path.join(fresh_copy, "katas"), solved)
    shutil.copy(os.path.join(ROOT, "solutions", "01_sentinel.py"), solved / "01_sentinel.py")
    done = learner_run(fresh_copy, f"--target={solved}", "--kata", "01")
    assert done.returncode == 0, done.stdout[-3000:]
    assert "✓ 01 sentinel" in done.stdout
