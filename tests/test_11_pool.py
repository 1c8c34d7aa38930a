"""Kata 11 · Let the pool do it: every task's error reaches main, results in the order the buns were cooked.

Every test has a bad bun, whose task fails in a worker process: the error
must come home through the task's future. Where the order matters, the
first bun takes longest (shop.slow_buns), so the tasks never finish in the
order they were submitted.
"""
import pytest

from dojo.katas import BY_NUMBER

METHODS = BY_NUMBER["11"].methods


@pytest.mark.parametrize("method", METHODS)
def test_a_bad_bun_reaches_main(dojo, method):
    """Two workers, four buns, the first slow and the second bad: its error comes home in its future, and main
    hands it on.

    Rejects: stub (main skips the failed future: it never hears of the bad bun)
    Rejects: lambda_task (a lambda cannot be pickled: every task fails before it runs)
    Rejects: as_completed (the slow first bun is served last)
    """
    dojo.check(method, diners=2, buns_per_cook=4, bad=["bun 1-1"], slow_buns={"bun 1-0": 0.2})


@pytest.mark.parametrize("method", METHODS)
def test_results_in_the_order_cooked(dojo, method):
    """The first bun takes longest: its result is still served first.

    Rejects: stub (main never hears of the bad bun), as_completed (the first bun is served last)
    Rejects: lambda_task (every task fails before it runs)
    """
    dojo.check(method, diners=2, buns_per_cook=4, bad=["bun 1-3"], slow_buns={"bun 1-0": 0.2})


@pytest.mark.parametrize("method", METHODS)
def test_one_worker_and_buns_that_look_false(dojo, method):
    """One worker, buns 0 and "" among them, two of them bad: each result or error in its turn.

    Rejects: stub (main never hears of the bad buns), lambda_task (every task fails before it runs)
    """
    dojo.check(method, diners=1, menu={"cook-1": [0, "bun 1-1", "", "bun 1-3"]}, bad=[0, "bun 1-3"])


@pytest.mark.parametrize("method", METHODS)
def test_more_workers_than_buns(dojo, method):
    """Four workers for three buns, the first slow and the second bad.

    Rejects: stub (main never hears of the bad bun), as_completed (the slow first bun is served last)
    Rejects: lambda_task (every task fails before it runs)
    """
    dojo.check(method, diners=4, buns_per_cook=3, bad=["bun 1-1"], slow_buns={"bun 1-0": 0.2})
