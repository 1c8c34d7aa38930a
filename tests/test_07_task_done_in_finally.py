"""Kata 07 · The bad bun: task_done() in a finally, the error carried home, the diner eats on.

Every test hands a diner at least one bad bun (``shop.eat(bun)`` raises
BadBun): a diner that lets the error through never marks it done, so the
cooks' counter.join() waits for ever; one that drops the error leaves main
never knowing; one that stops at its first bad bun leaves its share to the
others, or to nobody.
"""
import pytest

from dojo.katas import BY_NUMBER

METHODS = BY_NUMBER["07"].methods
SLOW = {"*": 0.05}  # per bun, for every diner: a held step on the run's virtual clock (dojo/shop.py)


@pytest.mark.parametrize("method", METHODS)
def test_a_bad_bun_is_marked_done_and_reported(dojo, method):
    """One cook, one diner, a bad bun in the middle: it is marked done, main hears of it, the diner eats on.

    Rejects: stub (the diner dies of the bad bun before task_done(): the cook waits in counter.join() for ever)
    Rejects: swallowed (main never hears of it), dies_on_first_bad_bun as HANG (nobody eats the last bun)
    """
    dojo.check(method, cooks=1, diners=1, menu={"cook-1": ["bun 1-0", "bun 1-1", "bun 1-2"]}, bad=["bun 1-1"])


@pytest.mark.parametrize("method", METHODS)
def test_two_slow_diners_and_one_bad_bun(dojo, method):
    """Two cooks, two slow diners, one bad bun: the diner that chokes on it goes on eating.

    Rejects: stub (the bad bun is never marked done), swallowed (main never hears of it)
    Rejects: dies_on_first_bad_bun (the other diner eats the rest, but the one that choked went home)
    """
    dojo.check(method, cooks=2, diners=2, buns_per_cook=3, bad=["bun 2-0"], eat_pace=SLOW)


@pytest.mark.parametrize("method", METHODS)
def test_every_bun_is_bad(dojo, method):
    """Three bad buns, two of them look false (0 and ""), two diners: every one is marked done and reported.

    Rejects: stub (no bad bun is marked done), swallowed (main hears of none)
    Rejects: dies_on_first_bad_bun as HANG (two diners die at their first, the third bun is left)
    """
    dojo.check(method, cooks=1, diners=2, menu={"cook-1": [0, "", "bun 1-2"]}, bad=[0, "", "bun 1-2"], eat_pace=SLOW)


@pytest.mark.parametrize("method", METHODS)
def test_a_slow_cook_and_a_bad_last_bun(dojo, method):
    """A slow cook whose last bun is bad: the diner waits for each bun, chokes on the last, and still takes its None.

    Rejects: stub (the last bun is never marked done), swallowed (main never hears of it)
    Rejects: dies_on_first_bad_bun (every bun is eaten, but the diner went home before its None)
    """
    dojo.check(method, cooks=1, diners=1, buns_per_cook=3, bad=["bun 1-2"], cook_pace={"*": 0.05})


@pytest.mark.parametrize("method", METHODS)
def test_errors_of_many_diners_all_reach_main(dojo, method):
    """Two cooks with a bad bun each, three diners: main hears of both errors, whoever choked.

    Rejects: stub (the bad buns are never marked done), swallowed (main hears of neither)
    Rejects: dies_on_first_bad_bun (a diner that choked goes home; the others eat the rest)
    """
    dojo.check(method, cooks=2, diners=3, buns_per_cook=3, bad=["bun 1-1", "bun 2-2"], eat_pace=SLOW)


@pytest.mark.parametrize("method", METHODS)
def test_a_late_cook_with_a_bad_bun(dojo, method):
    """cook-2 starts only once cook-1 has gone home, and its first bun is bad: main waits for every cook.

    Rejects: stub (the bad bun is never marked done), swallowed (main never hears of it)
    Rejects: dies_on_first_bad_bun (the diner that choked goes home; the other eats the rest)
    """
    dojo.check(method, cooks=2, diners=2, buns_per_cook=2, bad=["bun 2-0"], cook_pace={"*": 0.05},
               cook_after={"cook-2": ["cook-1"]}, eat_pace=SLOW)
