"""Honest tests: each kata's tests reject its classic wrong answers.

Every ``must_reject`` entry of the kata table is a complete wrong answer in
tests/wrong/NN_slug/. Each is run through every test of the kata (no stop at
the first failure), as a learner's submission would be (``pytest
--target``). Every test whose docstring names the variant ("Rejects: …")
must fail it, under every start method, and every test that fails it must
report the class the table declares (or, for a test that names it, the one
its docstring gives: "Rejects: none_per_cook as HANG", where that test's
shop makes the same mistake hang). What each test rejects is written down,
and true.
"""
import json
import os
import shutil
import subprocess
import sys

import pytest

from dojo.katas import KATAS
from dojo.run import ROOT
from dojo.verify import rejected, rejects_of

CASES = [pytest.param(k, r, id=f"{k.name}-{r.variant}") for k in KATAS for r in k.must_reject]


def run_kata_tests(kata, folder, results):
    """Every test of the kata's own test file, against ``folder``, in a pytest of its own."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", f"tests/test_{kata.file}", f"--target={folder}",
         "--results", str(results), "-q", "-p", "no:cacheprovider"],
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
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
    # test name -> the class its docstring says this variant fails it with (the table's unless it says otherwise)
    naming = {name: rejected(variants)[reject.variant] or reject.status
              for name, variants in rejects_of(os.path.join(ROOT, "tests", f"test_{kata.file}")).items()
              if reject.variant in rejected(variants)}
    assert naming, f"no test of kata {kata.number} names {reject.variant!r} in its docstring ('Rejects: …')"
    for t in tests:
        name = t["nodeid"].split("::")[1].split("[")[0]
        if name in naming:
            assert t["outcome"] == "failed", (
                f"{t['nodeid']} names {reject.variant!r} ({reject.why}) but PASSED it: {summary}")
        if t["outcome"] == "failed":
            wanted = naming.get(name, reject.status)
            assert t["status"] == wanted, (
                f"{t['nodeid']}: {reject.variant!r} ({reject.why}) should fail with {wanted}, "
                f"but failed with {t['headline']}")
