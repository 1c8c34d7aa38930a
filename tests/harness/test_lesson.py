"""The lesson this dojo grew from, as test cases for every kata.

Its first program (tests/lesson/still_stuck.py: cooks wait in counter.join(),
diners stop at None and mark each bun done, nobody sends a None, main joins
the cooks only) must HANG in every kata of the bun shop's contract. Its fix (tests/lesson/daemon_fix.py:
the same with daemon diners) must pass katas 05 and 06, and every other kata
must reject it, saying in one sentence that its contract sends the diners
home.
"""
import os

import pytest

from dojo.katas import KATAS
from dojo.run import ROOT

from .kata_tools import run_as_kata

LESSON = os.path.join(ROOT, "tests", "lesson")
DAEMONS_ALLOWED = {"05", "06"}
CONTRACT = "This kata's contract asks every diner to stop at None and return."
# The lesson's programs are written to the bun shop of Part I: they are handed in as every kata whose contract
# they fit (open_shop(shop) called by the dojo, cooks and diners handed (counter, shop); kata 07's diner also gets
# an errors queue, kata 10's workers a `closing` event, kata 16 has steamers, kata 15's file runs as a script);
# the daemon fix, to every such kata that has diners at all.
FITS = [k for k in KATAS if k.entry == "open_shop" and set(k.contract) <= {"open_shop", "cook", "diner"}
        and all(k.contract.get(role, ["counter", "shop"]) == ["counter", "shop"] for role in ("cook", "diner"))]
WITH_DINERS = [k for k in FITS if "diner" in k.contract]


@pytest.mark.parametrize("kata", FITS, ids=[k.name for k in FITS])
def test_the_lessons_first_program_hangs_in_every_kata(kata, tmp_path):
    # Every test, under fork: nobody ever sends a None, so it hangs whatever starts the processes.
    tests, out = run_as_kata(kata, os.path.join(LESSON, "still_stuck.py"), tmp_path, "-k", "fork and not forkserver")
    assert tests and all(t["status"] == "HANG" for t in tests), [(t["nodeid"], t["headline"]) for t in tests]


@pytest.mark.parametrize("kata", WITH_DINERS, ids=[k.name for k in WITH_DINERS])
def test_the_lessons_daemon_fix_passes_only_where_the_contract_allows_it(kata, tmp_path):
    tests, out = run_as_kata(kata, os.path.join(LESSON, "daemon_fix.py"), tmp_path)
    if kata.number in DAEMONS_ALLOWED:
        assert all(t["outcome"] == "passed" for t in tests), [(t["nodeid"], t["headline"]) for t in tests]
    else:
        assert tests and all(t["outcome"] == "failed" for t in tests), [(t["nodeid"], t["outcome"]) for t in tests]
        assert CONTRACT in out, out[-3000:]
