"""Kata 06 · The daemon trap: main waits for the eating, not only for the cooks.

In every test the diners are slower than the cooks, so when the last cook is
done there are always buns left on the counter, and more eating to do than
main takes to end: a main that does not wait for the eating always loses
buns, whatever the start method or the load of the machine. In the last
test each cook starts only when the one before has left: cook-1 and cook-2
cook slowly (the diner keeps up with them, so the counter is empty now and
then), and cook-3 brings a whole tray at once.
"""
import pytest

from dojo.katas import BY_NUMBER

METHODS = BY_NUMBER["06"].methods


@pytest.mark.parametrize("method", METHODS)
def test_slow_diners_finish_every_bun(dojo, method):
    """One cook, two slow diners, buns that look false (0 and ""): main ends only once every bun is eaten.

    Rejects: stub (the daemon diners are killed with buns on the counter, or half eaten).
    """
    dojo.check(method, cooks=1, diners=2, menu={"cook-1": ["bun 1-0", 0, "", "bun 1-3"]}, eat_pace={"*": 0.15})


@pytest.mark.parametrize("method", METHODS)
def test_a_long_meal_is_waited_for(dojo, method):
    """A long meal: the diner's bites are held until main's sleep has run out, however long it is.

    Rejects: sleep_instead_of_join (main always leaves mid-meal).
    """
    dojo.check(method, cooks=2, diners=1, buns_per_cook=4, eat_pace={"*": 0.15})


@pytest.mark.parametrize("method", METHODS)
def test_late_cooks_are_waited_for(dojo, method):
    """Each cook starts when the one before has left: counter.join() must wait for all of them.

    Rejects: join_some_cooks (counter.join() returns while the later cooks still cook).
    """
    dojo.check(method, cooks=3, diners=1, buns_per_cook=3, eat_pace={"*": 0.1},
               cook_pace={"*": 0.15, "cook-3": 0}, cook_after={"cook-2": ["cook-1"], "cook-3": ["cook-2"]})


@pytest.mark.parametrize("method", METHODS)
def test_more_diners_than_buns_and_a_slow_cook(dojo, method):
    """Three slow diners, one slow cook, two buns that look false: two diners eat, one never gets a bun, and
    main still waits for both meals (the daemon left waiting in get() may go with main).

    Rejects: stub (main leaves while the buns are cooked or eaten), sleep_instead_of_join (main's sleep runs
    out before the slow cook is done).
    """
    dojo.check(method, cooks=1, diners=3, menu={"cook-1": [0, ""]}, cook_pace={"*": 0.1}, eat_pace={"*": 0.1})
