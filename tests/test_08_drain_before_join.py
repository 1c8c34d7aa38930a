"""Kata 08 · Read first, then join: a process that put items on a queue cannot exit until they are read.

The buns are big (shop.filling bytes each) or many: more than a queue's pipe
holds, so a cook whose buns are not read never exits, on every run.
"""
import pytest

from dojo.katas import BY_NUMBER

METHODS = BY_NUMBER["08"].methods
BIG = 100_000  # bytes of filling per bun: more than a pipe holds (64 KiB on Linux)


@pytest.mark.parametrize("method", METHODS)
def test_big_buns_are_read_before_the_cook_is_joined(dojo, method):
    """One cook, three big buns: main reads them all, then joins the cook.

    Rejects: stub (main in a_cook.join(); the cook cannot exit until its queue is read)
    Rejects: cancel_join_thread (the cook leaves at once: its buns are thrown away, main waits for them for ever)
    """
    dojo.check(method, cooks=1, buns_per_cook=3, filling=BIG)


@pytest.mark.parametrize("method", METHODS)
def test_many_small_buns(dojo, method):
    """One cook, 150 small buns: together they are more than a pipe holds.

    Rejects: stub (main in a_cook.join(); the cook cannot exit until its queue is read)
    Rejects: cancel_join_thread (the buns not yet sent are thrown away)
    """
    dojo.check(method, cooks=1, buns_per_cook=150, filling=1_000)


@pytest.mark.parametrize("method", METHODS)
def test_a_late_second_cook(dojo, method):
    """cook-2 starts only once cook-1 has gone home: main reads until every cook is done, not the first.

    Rejects: stub (main in a_cook.join(); the cook cannot exit until its queue is read)
    Rejects: reading_only_part (main stops at cook-1's None; cook-2's buns are never read)
    Rejects: cancel_join_thread (the buns not yet sent are thrown away)
    """
    dojo.check(method, cooks=2, buns_per_cook=2, filling=BIG, cook_after={"cook-2": ["cook-1"]})


@pytest.mark.parametrize("method", METHODS)
def test_a_slow_cook_and_a_slow_eater(dojo, method):
    """A slow cook, a slow main, and buns that look false (0 and ""): main waits for every bun, without a time limit.

    Rejects: stub (main in a_cook.join(); the cook cannot exit until its queue is read)
    Rejects: cancel_join_thread (the buns not yet sent are thrown away)
    """
    dojo.check(method, cooks=1, menu={"cook-1": ["bun 1-0", 0, "", "bun 1-3"]}, filling=BIG,
               cook_pace={"*": 0.05}, eat_pace={"main": 0.1})


@pytest.mark.parametrize("method", METHODS)
def test_three_cooks_at_once(dojo, method):
    """Three cooks with two big buns each, all at once: main reads one None per cook.

    Rejects: stub (main in a_cook.join(); the cooks cannot exit until their queue is read)
    Rejects: cancel_join_thread (the buns not yet sent are thrown away)
    """
    dojo.check(method, cooks=3, buns_per_cook=2, filling=BIG)
