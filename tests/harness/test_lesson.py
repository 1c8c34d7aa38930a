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

from dojo.katas import KATAS, SHOP
from dojo.run import ROOT

from .kata_tools import run_as_kata

LESSON = os.path.join(ROOT, "tests", "lesson")
DAEMONS_ALLOWED = {"05", "06"}
CONTRACT = "This kata's contract asks every diner to stop at None and return."
#: the bun-shop katas the lesson's programs can be handed in to: its contract, open_shop(shop) called by the dojo
#: (kata 10 hands its workers a `closing` event too; kata 15's file runs as a script)
SHOPS = [k for k in KATAS if k.contract == SHOP and k.entry == "open_shop"]


@pytest.mark.parametrize("kata", SHOPS, ids=[k.name for k in SHOPS])
def test_the_lessons_first_program_hangs_in_every_kata(kata, tmp_path):
    # Every test, under fork: nobody ever sends a None, so it hangs whatever starts the processes.
    tests, out = run_as_kata(kata, os.path.join(LESSON, "still_stuck.py"), tmp_path, "-k", "fork and not forkserver")
    assert tests and all(t["status"] == "HANG" for t in tests), [(t["nodeid"], t["headline"]) for t in tests]


@pytest.mark.parametrize("kata", SHOPS, ids=[k.name for k in SHOPS])
def test_the_lessons_daemon_fix_passes_only_where_the_contract_allows_it(kata, tmp_path):
    tests, out = run_as_kata(kata, os.path.join(LESSON, "daemon_fix.py"), tmp_path)
    if kata.number in DAEMONS_ALLOWED:
        assert all(t["outcome"] == "passed" for t in tests), [(t["nodeid"], t["headline"]) for t in tests]
    else:
        assert tests and all(t["outcome"] == "failed" for t in tests), [(t["nodeid"], t["outcome"]) for t in tests]
        assert CONTRACT in out, out[-3000:]
