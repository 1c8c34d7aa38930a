"""Kata 03 · Wait until every bun is eaten: JoinableQueue, one task_done() per get().

Every test has slow diners: a join() that returns too early always returns
before the last bite, and every bun is on the counter before any diner has
finished its first one.
"""
import pytest

from dojo.katas import BY_NUMBER

METHODS = BY_NUMBER["03"].methods
SLOW = {"*": 0.05}  # per bun, for every diner: a held step on the run's virtual clock (dojo/shop.py)


@pytest.mark.parametrize("method", METHODS)
def test_the_cooks_wait_until_every_bun_is_eaten(dojo, method):
    """Three cooks, two slow diners: each cook waits in counter.join() until its buns are eaten, then goes home.

    Rejects: stub (no task_done(): the cooks wait in counter.join() for ever), cook_never_joins (a cook leaves before its buns are eaten).
    """
    dojo.check(method, cooks=3, diners=2, buns_per_cook=3, eat_pace=SLOW)


@pytest.mark.parametrize("method", METHODS)
def test_join_waits_for_the_last_bite(dojo, method):
    """Slow diners: counter.join() must not return while a bun is still being eaten.

    Rejects: task_done_before_eat (the cook's join() returns before the last bite).
    """
    dojo.check(method, cooks=1, diners=2, buns_per_cook=3, eat_pace={"*": 0.1})


@pytest.mark.parametrize("method", METHODS)
def test_one_bun_is_done_once(dojo, method):
    """One bun, two diners: it is marked done exactly once.

    Rejects: task_done_twice (the second task_done() raises ValueError).
    """
    dojo.check(method, cooks=1, diners=2, menu={"cook-1": ["bun 1-0"]}, eat_pace=SLOW)


@pytest.mark.parametrize("method", METHODS)
def test_zero_and_empty_buns_are_marked_done_too(dojo, method):
    """Bun 0 and bun "" are eaten and marked done like any other.

    Rejects: task_done_some_paths (a path for "" that skips task_done(): join() waits for ever).
    """
    dojo.check(method, cooks=2, diners=2, menu={"cook-1": ["bun 1-0", 0, "bun 1-2"], "cook-2": ["", "bun 2-1"]},
               eat_pace=SLOW)


@pytest.mark.parametrize("method", METHODS)
def test_a_late_cook_and_three_diners(dojo, method):
    """cook-2 starts only once cook-1 has gone home, and there are three diners: main waits for every cook,
    then sends shop.diners None.

    Rejects: stub (no task_done(): the cooks wait in counter.join() for ever).
    """
    dojo.check(method, cooks=2, diners=3, buns_per_cook=2, cook_pace={"*": 0.05}, cook_after={"cook-2": ["cook-1"]},
               eat_pace=SLOW)
