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
def test_one_cook_three_diners(dojo, method):
    """One cook, three diners, buns that look false (0 and ""): each diner stops at its own None.

    Rejects: stub (a lambda target, and the shop opened outside the `__main__` guard)
    Rejects: lambda_target, local_function, no_main_guard, global_marker
    """
    dojo.check(method, cooks=1, diners=3, menu={"cook-1": ["bun 1-0", 0, "", "bun 1-3"]})


@pytest.mark.parametrize("method", METHODS)
def test_a_slow_cook_and_a_quick_diner(dojo, method):
    """Two cooks, cook-2 slow; two diners, diner-1 slow: diner-2 finds the counter empty, and waits.

    Rejects: stub, lambda_target, local_function, no_main_guard, global_marker
    """
    dojo.check(method, cooks=2, diners=2, buns_per_cook=2, cook_pace={"cook-2": 0.2}, eat_pace={"diner-1": 0.1})
