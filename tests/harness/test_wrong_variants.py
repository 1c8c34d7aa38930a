"""Honest tests: each kata's tests reject its classic wrong answers.

Every ``must_reject`` entry of the kata table is a complete wrong answer in
tests/wrong/NN_slug/. Each is run through the kata's real tests, as a
learner's submission would be (``pytest --target``), and must fail with the
class the table declares. The run stops at its first failing test (``-x``):
that first failure must already carry the declared class.
"""
import json
import os
import shutil
import subprocess
import sys
from collections import Counter

import pytest

from dojo.katas import KATAS
from dojo.run import ROOT

CASES = [pytest.param(k, r, id=f"{k.name}-{r.variant}") for k in KATAS for r in k.must_reject]


def run_kata_tests(kata, folder, results):
    """The kata's own test file, against ``folder``, in a pytest of its own."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", f"tests/test_{kata.file}", f"--target={folder}",
         "--results", str(results), "-x", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("kata,reject", CASES)
def test_the_kata_rejects_a_classic_wrong_answer(kata, reject, tmp_path):
    variant = os.path.join(ROOT, "tests", "wrong", kata.name, f"{reject.variant}.py")
    if not os.path.exists(variant):
        pytest.fail(f"missing tests/wrong/{kata.name}/{reject.variant}.py", pytrace=False)
    shutil.copy(variant, tmp_path / kata.file)
    done = run_kata_tests(kata, tmp_path, tmp_path / "results.json")
    with open(tmp_path / "results.json", encoding="utf-8") as f:
        tests = json.load(f)["tests"]
    failed = Counter(t["status"] for t in tests if t["outcome"] == "failed")
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
    assert failed, f"the tests of kata {kata.number} PASSED the wrong answer {reject.variant!r} ({reject.why}): {summary}"
    assert reject.status in failed, (
        f"{reject.variant!r} ({reject.why}) should fail with {reject.status}, but the failures were {dict(failed)}")
