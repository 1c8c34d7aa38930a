"""Kata 01 · The last bun: one cook, one diner, one None at the end."""
import pytest

from dojo.katas import BY_NUMBER

METHODS = BY_NUMBER["01"].methods


@pytest.mark.parametrize("method", METHODS)
def test_every_bun_is_eaten_and_the_shop_closes(dojo, method):
    """Every bun is eaten, then the diner goes home and the shop closes.

    Rejects: no_sentinel (the diner waits in get() for ever).
    """
    dojo.check(method, buns_per_cook=5)


@pytest.mark.parametrize("method", METHODS)
def test_zero_and_empty_buns_are_buns_too(dojo, method):
    """Bun 0 and bun "" are buns: only None means 'no more'.

    Rejects: falsy_stop (a diner that stops on `not bun` leaves bun 0, "" and all after them uneaten).
    """
    dojo.check(method, menu={"cook-1": ["bun 1-0", 0, "", "bun 1-3"]})


@pytest.mark.parametrize("method", METHODS)
def test_a_slow_cook_is_waited_for(dojo, method):
    """The cook takes its time over every bun: the None must still come last.

    Rejects: sentinel_first (a None before the last bun sends the diner home early).
    """
    dojo.check(method, buns_per_cook=3, cook_pace={"cook-1": 0.05})


@pytest.mark.parametrize("method", METHODS)
def test_a_slow_diner_goes_home_by_itself(dojo, method):
    """The diner takes its time over every bun: main must wait for it to go home, not throw it out.

    Rejects: stub (the diner waits in get() for ever).
    """
    dojo.check(method, buns_per_cook=3, eat_pace={"diner-1": 0.05})
