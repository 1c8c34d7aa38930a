"""Kata 02 · One None per diner: several cooks, several diners, one None each.

Every test has a slow cook, so a None put too early always lands before a
bun, and a diner who leaves too early always leaves a bun behind.
"""
import pytest

from dojo.katas import BY_NUMBER

METHODS = BY_NUMBER["02"].methods
SLOW = {"*": 0.05}  # per bun, for every cook: a held step on the run's virtual clock (dojo/shop.py)


@pytest.mark.parametrize("method", METHODS)
def test_every_diner_goes_home(dojo, method):
    """Two slow cooks, two slow diners: each diner needs a None of its own, and goes home by itself.

    Rejects: stub (one None stops one diner; the other waits in get() for ever).
    """
    dojo.check(method, cooks=2, diners=2, buns_per_cook=3, cook_pace=SLOW, eat_pace={"*": 0.02})


@pytest.mark.parametrize("method", METHODS)
def test_the_nones_wait_for_the_last_cook(dojo, method):
    """cook-2 starts only when cook-1 has gone home: the None must wait for both.

    Rejects: sentinels_before_join (the diners leave before cook-2 has even begun).
    """
    dojo.check(method, cooks=2, diners=2, buns_per_cook=2, cook_pace=SLOW,
               cook_after={"cook-2": ["cook-1"]})


@pytest.mark.parametrize("method", METHODS)
def test_a_late_cook_still_finds_diners(dojo, method):
    """Three cooks, two diners, cook-3 starts last: the diners must still be there.

    Rejects: none_per_cook (two cooks' None send both diners home while cook-3 still cooks).
    """
    dojo.check(method, cooks=3, diners=2, buns_per_cook=2, cook_pace=SLOW,
               cook_after={"cook-3": ["cook-1", "cook-2"]})


@pytest.mark.parametrize("method", METHODS)
def test_a_bigger_shop(dojo, method):
    """Three diners: as many None as shop.diners, never a number written in the code.

    Rejects: hard_coded_counts (two None: the third diner waits in get() for ever).
    """
    dojo.check(method, cooks=3, diners=3, buns_per_cook=2, cook_pace=SLOW)


@pytest.mark.parametrize("method", METHODS)
def test_fewer_cooks_than_diners(dojo, method):
    """One slow cook, three diners, and buns that look false (0 and ""): one None per diner, each after the last bun.

    Rejects: stub, none_per_cook as HANG (one None for three diners), hard_coded_counts (two None for three
    diners), sentinels_before_join (the None land before the slow cook's buns).
    """
    dojo.check(method, cooks=1, diners=3, menu={"cook-1": ["bun 1-0", 0, "", "bun 1-3"]}, cook_pace=SLOW)
