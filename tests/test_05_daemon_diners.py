"""Kata 05 · Diners who leave with main: daemon diners, safe only after the waits.

Every test has a slow cook, so the diners are at the counter before the last
bun is gone, and slow diners. A pace is a held step (dojo/shop.py): a bite
goes on only once main is waiting too, so a main that does not wait for the
eating has always left, and killed its daemon diners mid-bun, before the
last bite: in every run, under every start method and any load.
"""
import pytest

from dojo.katas import BY_NUMBER

METHODS = BY_NUMBER["05"].methods
SLOW = {"*": 0.05}  # per bun, for every cook: a held step on the run's virtual clock (dojo/shop.py)
EAT = {"*": 0.3}  # per bun, for every diner: slower than every cook


@pytest.mark.parametrize("method", METHODS)
def test_the_program_ends_by_itself(dojo, method):
    """The program ends by itself: daemon diners do not keep it alive.

    Rejects: stub (main waits at exit for diners in get()), daemon_after_start (AssertionError: too late to be a daemon).
    """
    dojo.check(method, cooks=2, diners=2, buns_per_cook=3, cook_pace=SLOW, eat_pace=EAT)


@pytest.mark.parametrize("method", METHODS)
def test_slow_diners_finish_before_main_leaves(dojo, method):
    """Slow diners: main must leave only once every bun is eaten.

    Rejects: daemon_without_joins (main leaves with buns on the counter or half eaten).
    """
    dojo.check(method, cooks=3, diners=2, buns_per_cook=4, cook_pace=SLOW, eat_pace={"*": 0.15})


@pytest.mark.parametrize("method", METHODS)
def test_a_late_cook_is_waited_for(dojo, method):
    """cook-2 starts after cook-1 has gone home: its buns must be eaten too.

    Rejects: daemon_without_joins (nobody waits for cook-2's buns).
    """
    dojo.check(method, cooks=2, diners=2, buns_per_cook=3, cook_pace=SLOW, eat_pace=EAT,
               cook_after={"cook-2": ["cook-1"]})


@pytest.mark.parametrize("method", METHODS)
def test_more_diners_than_buns(dojo, method):
    """Three diners, two buns that look false (0 and ""): diners who never get a bun must not keep the program alive.

    Rejects: stub (main waits at exit for diners in get()).
    """
    dojo.check(method, cooks=1, diners=3, menu={"cook-1": [0, ""]}, cook_pace={"*": 0.1}, eat_pace=EAT)
