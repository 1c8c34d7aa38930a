"""Kata 04 · Why won't it exit?: the diners are told to go home, and they go.

Every test asks each diner to end by itself (never killed: neither by
terminate() nor as a daemon at exit). Every test has a slow cook, so a None
put too early always lands before a bun, and diners who take their time, so
that all of them are at the counter before the last bun is gone.
"""
import pytest

from dojo.katas import BY_NUMBER

METHODS = BY_NUMBER["04"].methods
SLOW = {"*": 0.05}  # per bun, for every cook: a held step on the run's virtual clock (dojo/shop.py)


@pytest.mark.parametrize("method", METHODS)
def test_the_program_ends_by_itself(dojo, method):
    """The original program: the shop closes, and the program must then end.

    Rejects: stub (main says the shop is closed, then waits at exit for ever for diners in get()).
    """
    dojo.check(method, cooks=3, diners=2, buns_per_cook=3, cook_pace=SLOW, eat_pace={"*": 0.05})


@pytest.mark.parametrize("method", METHODS)
def test_diners_are_told_not_killed(dojo, method):
    """Three diners, each told to go home, each going by itself.

    Rejects: terminate_diners (the diners are killed with terminate(), maybe mid-bun).
    """
    dojo.check(method, cooks=1, diners=3, buns_per_cook=4, cook_pace=SLOW, eat_pace={"*": 0.05})


@pytest.mark.parametrize("method", METHODS)
def test_a_late_cook_is_waited_for(dojo, method):
    """cook-2 starts after cook-1 has gone home: the None wait for both.

    Rejects: sentinels_while_cooking (the diners go home before cook-2 has cooked).
    """
    dojo.check(method, cooks=2, diners=2, buns_per_cook=3, cook_pace=SLOW,
               cook_after={"cook-2": ["cook-1"]}, eat_pace={"*": 0.02})


@pytest.mark.parametrize("method", METHODS)
def test_zero_and_empty_buns_are_eaten_too(dojo, method):
    """Bun 0 and bun "" are buns: the diners stop only at None, and then go home.

    Rejects: stub (the diners wait in get() for ever).
    """
    dojo.check(method, cooks=2, diners=2, menu={"cook-1": ["bun 1-0", 0, "bun 1-2"], "cook-2": ["", "bun 2-1"]},
               cook_pace=SLOW, eat_pace={"*": 0.05})
