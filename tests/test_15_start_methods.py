"""Kata 15 · Every start method: the same shop under fork, spawn and forkserver.

The file runs as a script does (`python katas/15_start_methods.py`), so a
spawn or forkserver child imports it again, as `__mp_main__`, exactly as it
would outside the dojo. Under fork each test passes even with the classic
mistakes (fork copies main, so nothing is pickled and nothing is imported
again); under spawn and forkserver each mistake fails every run, and the
report says which start method raised what, at which line, and why fork hid it.
"""
import pytest

from dojo.katas import BY_NUMBER

METHODS = BY_NUMBER["15"].methods


@pytest.mark.parametrize("method", METHODS)
def test_two_cooks_two_diners(dojo, method):
    """Two cooks and two diners, under every start method.

    Rejects: stub (a lambda target, and the shop opened outside the `__main__` guard)
    Rejects: lambda_target, local_function, no_main_guard, global_marker
    """
    dojo.check(method, cooks=2, diners=2, buns_per_cook=2)


@pytest.mark.parametrize("method", METHODS)
def test_a_slow_cook_and_a_slow_diner(dojo, method):
    """One slow cook and one slow diner: every bun still goes through the counter the test handed in.

    Rejects: stub, lambda_target, local_function, no_main_guard, global_marker
    """
    dojo.check(method, cooks=1, diners=1, buns_per_cook=3, cook_pace={"*": 0.1}, eat_pace={"*": 0.1})
