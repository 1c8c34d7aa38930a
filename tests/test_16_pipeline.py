"""Kata 16 · From the kitchen to the table: cook → steamer → diner, and a shutdown that flows stage by stage.

Every test puts one stage at its worst: a slow cook (the steamers wait at an
empty raw counter while buns are still to come), slow steamers (the diners
wait while buns are still to come), more workers in a stage than in the one
before it. A None that overtakes a bun, or a stage told too early, loses
buns at a stage boundary on every run; a stage never told waits for ever.
"""
import pytest

from dojo.katas import BY_NUMBER

METHODS = BY_NUMBER["16"].methods


@pytest.mark.parametrize("method", METHODS)
def test_one_of_each(dojo, method):
    """One slow cook, one steamer, one diner, buns that look false (0 and ""): the smallest pipeline closes stage by stage.

    Rejects: stub (the diners are never told that the steamers are done)
    Rejects: no_end_for_diners, steamers_told_early
    """
    dojo.check(method, cooks=1, steamers=1, diners=1, menu={"cook-1": [0, "", "bun 1-2"]}, cook_pace={"*": 0.1})


@pytest.mark.parametrize("method", METHODS)
def test_a_slow_cook(dojo, method):
    """A slow cook and three quick steamers: the steamers wait at an empty raw counter while buns are still to come.

    Rejects: stub, no_end_for_diners, steamers_told_early, one_none_per_stage
    """
    dojo.check(method, cooks=2, steamers=3, diners=1, buns_per_cook=2, cook_pace={"cook-2": 0.2})


@pytest.mark.parametrize("method", METHODS)
def test_slow_steamers(dojo, method):
    """Slow steamers and three quick diners: the diners wait at an empty steamed counter while buns still steam.

    Rejects: stub, no_end_for_diners, diners_told_early, one_none_per_stage
    """
    dojo.check(method, cooks=1, steamers=2, diners=3, buns_per_cook=4, steam_pace={"*": 0.1})
