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
    # No task_done() at all: every bun is eaten, yet the cooks wait in counter.join() forever.
    # And a cook without counter.join() at all leaves before its buns are eaten.
    dojo.check(method, cooks=2, diners=2, buns_per_cook=3, eat_pace=SLOW)


@pytest.mark.parametrize("method", METHODS)
def test_join_waits_for_the_last_bite(dojo, method):
    # task_done() before shop.eat(bun): the cook's join() returns while a bun is still being eaten.
    dojo.check(method, cooks=1, diners=2, buns_per_cook=3, eat_pace={"*": 0.1})


@pytest.mark.parametrize("method", METHODS)
def test_one_bun_is_done_once(dojo, method):
    # task_done() twice for one bun: the second call raises ValueError in the diner.
    dojo.check(method, cooks=1, diners=2, menu={"cook-1": ["bun 1-0"]}, eat_pace=SLOW)


@pytest.mark.parametrize("method", METHODS)
def test_zero_and_empty_buns_are_marked_done_too(dojo, method):
    # task_done() skipped on one path (an early `continue` for the "" bun): join() waits forever.
    dojo.check(method, cooks=2, diners=2, menu={"cook-1": ["bun 1-0", 0, "bun 1-2"], "cook-2": ["", "bun 2-1"]},
               eat_pace=SLOW)
