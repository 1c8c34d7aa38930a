"""Kata 10 · Closing time: the shop closes on SIGTERM or SIGINT, and no bun is lost.

Every test sends main a signal at a held step the test chooses, so the close
comes at the same moment of the run on every run: while a diner is in the
middle of a bun, while a cook is cooking, or once the counter is quiet. The
accounting is then exact: every bun cooked is eaten, or counted as a
leftover with shop.leftover(bun), exactly once; no diner is stopped in the
middle of a bun; main ends with exit code 0.
"""
import pytest

from dojo.katas import BY_NUMBER

METHODS = BY_NUMBER["10"].methods


@pytest.mark.parametrize("method", METHODS)
def test_sigterm_while_a_diner_eats(dojo, method):
    """SIGTERM while the diner is in the middle of its first bun: it finishes that bun, and the rest are leftovers.

    Rejects: stub (the diners never learn that the shop is closing)
    Rejects: uncounted_leftovers (buns left on the counter are not counted)
    Rejects: daemon_diners (the daemon diner is killed in the middle of its bun)
    Rejects: terminate_on_close (the diner is killed in the middle of its bun)
    Rejects: exit_nonzero, set_in_handler, sigint_only
    """
    dojo.check(method, cooks=1, diners=1, buns_per_cook=4, eat_pace={"*": 0.2},
               close={"signal": "SIGTERM", "when": "eating", "nth": 1})


@pytest.mark.parametrize("method", METHODS)
def test_sigint_while_a_cook_cooks(dojo, method):
    """Ctrl+C (SIGINT) while cook-1 cooks its second bun; two slow diners, each with a bun in hand.

    Rejects: stub, uncounted_leftovers, daemon_diners, terminate_on_close, exit_nonzero
    Rejects: set_in_handler as HANG (main waits for itself inside its handler)
    """
    dojo.check(method, cooks=2, diners=2, buns_per_cook=3, cook_pace={"cook-1": 0.1}, eat_pace={"*": 0.3},
               close={"signal": "SIGINT", "when": "cooking", "role": "cook-1", "nth": 2})


@pytest.mark.parametrize("method", METHODS)
def test_sigterm_once_every_bun_is_eaten(dojo, method):
    """SIGTERM at the end of a quiet day: every bun is eaten, nothing is left over, and the shop still closes.

    Rejects: stub, exit_nonzero, set_in_handler, sigint_only
    """
    dojo.check(method, cooks=2, diners=1, buns_per_cook=2, close={"signal": "SIGTERM", "when": "idle"})
