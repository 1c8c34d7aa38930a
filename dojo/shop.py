"""The bun shop that the tests hand to learner code.

A learner's ``open_shop(shop)`` receives a :class:`Shop`. Cooks take their
buns from ``shop.buns()``; diners hand each bun to ``shop.eat(bun)``. That is
how the tests count every bun exactly once, and how they set the pace: a slow
cook, a slow diner, or a cook who waits for others to finish first. Timing is
the tests' choice, so a classic bug fails on every run, not once in a while.

The object is small and picklable, so it can be passed to processes started
with fork, spawn or forkserver alike.
"""
from __future__ import annotations

import multiprocessing
from dataclasses import dataclass, field

from dojo import events
from dojo.instrument import real_sleep as _real_sleep  # the harness's own pauses are not learner sleeps


def _role() -> str:
    return getattr(multiprocessing.current_process(), "_dojo_role", None) or events.ROLE


@dataclass
class Shop:
    cooks: int = 1
    diners: int = 1
    buns_per_cook: int = 3
    #: buns of a given cook, by role ("cook-1": [0, "", "bun"]); others get "bun K-I"
    menu: dict = field(default_factory=dict)
    #: seconds a cook takes per bun, by role ("*" for every cook)
    cook_pace: dict = field(default_factory=dict)
    #: seconds a diner takes per bun, by role ("*" for every diner)
    eat_pace: dict = field(default_factory=dict)
    #: a cook starts cooking only once these roles have finished (by role)
    cook_after: dict = field(default_factory=dict)

    # -- for cooks -------------------------------------------------------
    def buns(self):
        """The buns this cook makes, one at a time, at the test's pace."""
        role = _role()
        self._wait_for(self.cook_after.get(role, ()))
        menu = self.menu_of(role)
        pace = self.cook_pace.get(role, self.cook_pace.get("*", 0))
        for bun in menu:
            if pace:
                events.log("cooking", busy=pace)
                _real_sleep(pace)
            events.log("cooked", item=events.label(bun))
            yield bun

    # -- for diners ------------------------------------------------------
    def eat(self, bun) -> None:
        """Eat one bun. A slow diner takes its time; the bun counts once done."""
        role = _role()
        pace = self.eat_pace.get(role, self.eat_pace.get("*", 0))
        if pace:
            events.log("eating", item=events.label(bun), busy=pace)
            _real_sleep(pace)
        events.log("ate", item=events.label(bun))

    # -- for the tests ---------------------------------------------------
    def menu_of(self, role: str) -> list:
        """The buns of one cook: the test's menu, or bun K-0, bun K-1, … for cook-K."""
        number = role.rsplit("-", 1)[-1]
        number = int(number) if number.isdigit() else 1
        return self.menu.get(role, [f"bun {number}-{i}" for i in range(self.buns_per_cook)])

    def _wait_for(self, roles) -> None:
        """Hold this cook until every role in ``roles`` has ended.

        Waiting is not progress: if those roles never end, the run stalls and
        the hang is reported, with this cook shown as waiting on purpose.
        """
        roles = set(roles)
        if not roles:
            return
        events.log("waiting-for", roles=sorted(roles))
        while True:
            ended = {e.role for e in events.read_events(events.run_dir()) if e.ev == "end"}
            if roles <= ended:
                events.log("go", roles=sorted(roles))
                return
            _real_sleep(0.01)
