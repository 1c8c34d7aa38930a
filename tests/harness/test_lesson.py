"""The lesson this dojo grew from, as test cases for every kata.

Its first program (tests/lesson/still_stuck.py: cooks wait in counter.join(),
diners stop at None and mark each bun done, nobody sends a None, main joins
the cooks only) must HANG in every kata. Its fix (tests/lesson/daemon_fix.py:
the same with daemon diners) must pass katas 05 and 06, and every other kata
must reject it, saying in one sentence that its contract sends the diners
home.
"""
import json
import os
import shutil
import subprocess
import sys

import pytest

from dojo.katas import KATAS
from dojo.run import ROOT

LESSON = os.path.join(ROOT, "tests", "lesson")
DAEMONS_ALLOWED = {"05", "06"}
CONTRACT = "This kata's contract asks every diner to stop at None and return."


def run_kata(kata, program, tmp_path, *select):
    """Every test of the kata (no -x) against the program, as a learner's file; each test's record."""
    shutil.copy(os.path.join(LESSON, program), tmp_path / kata.file)
    results = tmp_path / "results.json"
    done = subprocess.run([sys.executable, "-m", "pytest", f"tests/test_{kata.file}", f"--target={tmp_path}",
                           f"--results={results}", "-q", "-p", "no:cacheprovider", *select],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    with open(results, encoding="utf-8") as f:
        return json.load(f)["tests"], done.stdout


@pytest.mark.parametrize("kata", KATAS, ids=[k.name for k in KATAS])
def test_the_lessons_first_program_hangs_in_every_kata(kata, tmp_path):
    # Every test, under fork: nobody ever sends a None, so it hangs whatever starts the processes.
    tests, out = run_kata(kata, "still_stuck.py", tmp_path, "-k", "fork and not forkserver")
    assert tests and all(t["status"] == "HANG" for t in tests), [(t["nodeid"], t["headline"]) for t in tests]


@pytest.mark.parametrize("kata", KATAS, ids=[k.name for k in KATAS])
def test_the_lessons_daemon_fix_passes_only_where_the_contract_allows_it(kata, tmp_path):
    tests, out = run_kata(kata, "daemon_fix.py", tmp_path)
    if kata.number in DAEMONS_ALLOWED:
        assert all(t["outcome"] == "passed" for t in tests), [(t["nodeid"], t["headline"]) for t in tests]
    else:
        assert tests and all(t["outcome"] == "failed" for t in tests), [(t["nodeid"], t["outcome"]) for t in tests]
        assert CONTRACT in out, out[-3000:]
