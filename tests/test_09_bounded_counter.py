"""Kata 09 · A counter with little room: Queue(maxsize=…), and the diners in before anyone waits for the cooks.

In every test there are more buns than the counter has room for, so a cook
that nobody makes room for always waits in put(), and a counter that holds
more than shop.counter_size is always seen (the queue's own count, after
every put).
"""
import pytest

from dojo.katas import BY_NUMBER

METHODS = BY_NUMBER["09"].methods


@pytest.mark.parametrize("method", METHODS)
def test_more_buns_than_room(dojo, method):
    """One cook, one diner, five buns, room for two: the cook waits for room, the diner makes it.

    Rejects: stub (the cook waits in counter.put() for room only a diner could make)
    Rejects: unbounded (the counter holds all five), bigger_counter (room for 100: it holds all five)
    """
    dojo.check(method, cooks=1, diners=1, buns_per_cook=5, counter_size=2)


@pytest.mark.parametrize("method", METHODS)
def test_slow_diners_and_a_full_counter(dojo, method):
    """Two cooks, two slow diners, room for two: the cooks wait in put() while the diners eat.

    Rejects: stub (the cooks wait in counter.put() for ever)
    Rejects: unbounded (the counter holds every bun), bigger_counter (it holds every bun)
    """
    dojo.check(method, cooks=2, diners=2, buns_per_cook=3, counter_size=2, eat_pace={"*": 0.05})


@pytest.mark.parametrize("method", METHODS)
def test_room_for_one_and_many_cooks(dojo, method):
    """Three cooks and one diner share a counter with room for one bun.

    Rejects: stub (the cooks wait in counter.put() for ever)
    Rejects: unbounded (the counter holds every bun), bigger_counter (it holds every bun)
    """
    dojo.check(method, cooks=3, diners=1, buns_per_cook=2, counter_size=1)


@pytest.mark.parametrize("method", METHODS)
def test_more_diners_than_room(dojo, method):
    """Three diners, room for one, buns that look false (0 and ""): main's None wait for room too.

    Rejects: stub (the cook waits in counter.put() for ever)
    Rejects: unbounded (the counter holds every bun), bigger_counter (it holds every bun)
    """
    dojo.check(method, cooks=1, diners=3, menu={"cook-1": ["bun 1-0", 0, "", "bun 1-3"]}, counter_size=1,
               eat_pace={"*": 0.05})


@pytest.mark.parametrize("method", METHODS)
def test_a_late_cook_and_a_slow_diner(dojo, method):
    """cook-2 starts only once cook-1 has gone home, and the one diner is slow: room for two.

    Rejects: stub (the first cook waits in counter.put() for ever)
    Rejects: unbounded (the counter holds every bun), bigger_counter (it holds every bun)
    """
    dojo.check(method, cooks=2, diners=1, buns_per_cook=3, counter_size=2, eat_pace={"*": 0.05},
               cook_after={"cook-2": ["cook-1"]})
