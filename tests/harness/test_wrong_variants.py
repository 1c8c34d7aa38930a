"""Honest tests: each kata's tests reject its classic wrong answers.

Every ``must_reject`` entry of the kata table is a complete wrong answer in
tests/wrong/NN_slug/. Each is run through every test of the kata (no stop at
the first failure), as a learner's submission would be (``pytest
--target``). Every test whose docstring names the variant ("Rejects: …")
must fail it, under every start method (but those where the kata's bug is hidden, ``hidden_under``: there
it must pass), and every test that fails it must
report the class the table declares (or, for a test that names it, the one
its docstring gives: "Rejects: none_per_cook as HANG", where that test's
shop makes the same mistake hang). The tests that do not name it run under
one start method. What each test rejects is written down, and true.
"""
import os

import pytest

from dojo.katas import KATAS
from dojo.run import ROOT
from dojo.verify import rejects_of

from .kata_tools import run_as_kata

CASES = [pytest.param(k, r, id=f"{k.name}-{r.variant}") for k in KATAS for r in k.must_reject]


@pytest.mark.parametrize("kata,reject", CASES)
def test_the_kata_rejects_a_classic_wrong_answer(kata, reject, tmp_path):
    variant = os.path.join(ROOT, "tests", "wrong", kata.name, f"{reject.variant}.py")
    if not os.path.exists(variant):
        pytest.fail(f"missing tests/wrong/{kata.name}/{reject.variant}.py", pytrace=False)
    # test name -> the class its docstring says this variant fails it with (the table's unless it says otherwise)
    naming = {name: variants[reject.variant] or reject.status
              for name, variants in rejects_of(os.path.join(ROOT, "tests", f"test_{kata.file}")).items()
              if reject.variant in variants}
    assert naming, f"no test of kata {kata.number} names {reject.variant!r} in its docstring ('Rejects: …')"
    # The tests that name the variant, under every start method; every other test once, under fork (or the
    # kata's first method): each must still fail with the declared class or pass. The start methods are the
    # named tests' business and the soak's; three of each other test made this file most of CI's time.
    first = "fork and not forkserver" if "fork" in kata.methods else kata.methods[0]
    tests, out = run_as_kata(kata, variant, tmp_path, "-k", " or ".join([f"({first})", *sorted(naming)]))
    summary = out.strip().splitlines()[-1] if out.strip() else ""
    for t in tests:
        name = t["nodeid"].split("::")[1].split("[")[0]
        method = t["nodeid"].rsplit("[", 1)[-1].rstrip("]")
        if method in kata.hidden_under:  # the kata's bug does not show under this start method (kata 15: fork)
            assert t["outcome"] == "passed", (
                f"{t['nodeid']}: {reject.variant!r} should pass under {method} (hidden_under), but: {t.get('headline')}")
            continue
        if name in naming:
            assert t["outcome"] == "failed", (
                f"{t['nodeid']} names {reject.variant!r} ({reject.why}) but PASSED it: {summary}")
        if t["outcome"] == "failed":
            wanted = naming.get(name, reject.status)
            assert t["status"] == wanted, (
                f"{t['nodeid']}: {reject.variant!r} ({reject.why}) should fail with {wanted}, "
                f"but failed with {t['headline']}")
