"""The bun shop that the tests hand to learner code.

A learner's ``open_shop(shop)`` receives a :class:`Shop`. Cooks take their
buns from ``shop.buns()``; diners hand each bun to ``shop.eat(bun)``. That is
how the tests count every bun exactly once, and how they set the order of a
run: a slow cook, a slow diner, or a cook who waits for others to finish
first.

A pace is not a sleep. It is a *held step* (see dojo/clock.py): the process
logs that it holds, then waits on a FIFO until the warden lets it go on, and
the warden does so only once every other thread of the program is blocked
with no deadline, or has ended, or is held itself with an earlier due time
on the run's virtual clock. So "this cook is slower than any diner" is true
on every run, on an idle laptop and on a loaded CI box alike, and a correct
program runs at full speed: nobody sleeps. Outside a run (plain Python, the
benchmark's floor) a held step does nothing.

The object is small and picklable, so it can be passed to processes started
with fork, spawn or forkserver alike.
"""
from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import threading
from dataclasses import dataclass, field

from dojo import events

HOLDS = "holds"  # the run folder's subfolder of FIFOs, one per held step
_numbers = itertools.count(1)


def _role() -> str:
    return getattr(multiprocessing.current_process(), "_dojo_role", None) or events.ROLE


def hold(ev: str, pace: float = 0.0, after=(), **fields) -> None:
    """Log ``ev`` as a held step, and wait until the warden lets this thread go on.

    ``pace``: how long the step takes on the run's virtual clock (a slower step
    goes on after a quicker one); ``after``: roles that must have ended first.
    """
    folder = events.run_dir()
    if folder is None:  # plain Python: no warden, no clock, no wait
        return
    name = f"{os.getpid()}-{threading.get_native_id()}-{next(_numbers)}"
    path = os.path.join(folder, HOLDS, name)
    os.mkfifo(path)
    events.log(ev, hold=name, pace=pace, after=sorted(after), **fields)
    # open() of a FIFO blocks until the warden opens it to write: the thread sleeps in the kernel, with no
    # timer and no polling, so the warden sees it as blocked like any other waiting thread.
    with open(path, "rb") as fifo:
        fifo.read(1)


class BadBun(Exception):
    """What ``shop.eat(bun)`` raises for a bad bun: the diner chokes on it (kata 07)."""


class BigBun(str):
    """A bun that is a string with a big filling: it reads as its name in every report, and takes its
    filling's size on a queue (kata 08: a queue whose pipe is full keeps its process from exiting)."""

    @classmethod
    def made(cls, name: str, size: int) -> "BigBun":
        bun = cls(name)
        bun.filling = b"." * size
        return bun


#: the words every BadBun's message ends with, as its pickled bytes carry them (dojo/instrument.py)
BAD_BUN = b"a bad bun"


def choked_name(item: str) -> str:
    """How a bad bun is named in BadBun's message: bun 1-1, bun 0, bun ''."""
    return item[1:-1] if item.startswith("'bun ") else f"bun {item}"


def _text(obj) -> str:
    try:
        text = obj if isinstance(obj, str) else f"{type(obj).__name__}: {obj}" if isinstance(obj, BaseException) \
            else repr(obj)
    except Exception:  # a learner's object whose repr() fails is not the dojo's to report
        text = type(obj).__name__
    return text[:300]


def carried(obj) -> list[str]:
    """The errors an object carries, as text: an exception, or one inside a tuple, list or dict (one level
    down), or a string that quotes a BadBun's message. The judge follows them from a worker to main."""
    inner = list(obj.values()) if isinstance(obj, dict) else list(obj) if isinstance(obj, (tuple, list)) else []
    found = []
    for x in [obj] + inner[:20]:
        if isinstance(x, BaseException) or (isinstance(x, str) and "a bad bun" in x):
            found.append(_text(x))
    return found


_learner_line = events.learner_line  # the learner's file and line a shop call was made from


@dataclass
class Shop:
    cooks: int = 1
    diners: int = 1
    buns_per_cook: int = 3
    #: buns of a given cook, by role ("cook-1": [0, "", "bun"]); others get "bun K-I"
    menu: dict = field(default_factory=dict)
    #: how long a cook takes per bun, on the run's virtual clock, by role ("*" for every cook)
    cook_pace: dict = field(default_factory=dict)
    #: how long a diner takes per bun, on the run's virtual clock, by role ("*" for every diner)
    eat_pace: dict = field(default_factory=dict)
    #: a cook starts cooking only once these roles have finished (by role)
    cook_after: dict = field(default_factory=dict)
    #: bad buns (by value, like the menu's): a diner chokes on each, shop.eat(bun) raises BadBun (kata 07)
    bad: list = field(default_factory=list)
    #: bytes of filling in every bun that is a string: a big bun fills a queue's pipe on its own (kata 08)
    filling: int = 0
    #: how many buns the counter has room for: Queue(maxsize=shop.counter_size) (kata 09; 0: not asked)
    counter_size: int = 0
    #: how long a bun takes to eat, by bun (a string bun's value), whoever eats it: a task that finishes last (kata 11)
    slow_buns: dict = field(default_factory=dict)
    #: the middle stage of a pipeline (kata 16): how many steamers, and how long each takes per bun
    steamers: int = 1
    steam_pace: dict = field(default_factory=dict)
    #: closing time: the warden sends main a signal at a held step (see dojo/warden.py, Closer), e.g.
    #: {"signal": "SIGTERM", "when": "eating", "role": "diner-1", "nth": 1}; "when": "idle" (the default) sends
    #: it once nothing but the signal can make the program go on
    close: dict = field(default_factory=dict)

    @classmethod
    def today(cls) -> "Shop":
        """Today's shop, for a kata file that runs as a script (kata 15): the test's in a run, else the usual one
        (or the one in ``DOJO_SHOP``, JSON: the benchmark's floor runs a test's program as plain Python)."""
        folder = events.run_dir()
        if folder is None:
            return cls(**json.loads(os.environ.get("DOJO_SHOP") or "{}"))
        with open(os.path.join(folder, "spec.json"), encoding="utf-8") as f:
            return cls(**json.load(f)["shop"])

    # -- for cooks -------------------------------------------------------
    def buns(self):
        """The buns this cook makes, one at a time, at the test's pace."""
        role = _role()
        after = self.cook_after.get(role, ())
        if after:  # shown in a hang report as waiting on purpose, not as the learner's bug
            hold("waiting-for", after=after, roles=sorted(after))
            events.log("go", roles=sorted(after))
        menu = self.menu_of(role)
        pace = self.cook_pace.get(role, self.cook_pace.get("*", 0))
        for bun in menu:
            if pace:
                hold("cooking", pace=pace)
            events.log("cooked", item=events.label(bun))
            yield BigBun.made(bun, self.filling) if self.filling and isinstance(bun, str) else bun

    # -- for diners ------------------------------------------------------
    def eat(self, bun) -> None:
        """Eat one bun. A slow diner takes its time; the bun counts once done."""
        role = _role()
        pace = self.eat_pace.get(role, self.eat_pace.get("*", 0))
        if isinstance(bun, str) and bun in self.slow_buns:
            pace = self.slow_buns[bun]
        if pace:
            hold("eating", pace=pace, item=events.label(bun))
        item = events.label(bun)
        if item in {events.label(b) for b in self.bad}:
            # Logged as eaten (the bun is gone: it is neither lost nor left), with what was raised and where.
            error = BadBun(f"{_role()} choked on {choked_name(item)}, a bad bun")
            events.log("ate", item=item, bad=True, error=type(error).__name__, message=str(error), **_learner_line())
            raise error
        events.log("ate", item=item)

    # -- for main -----------------------------------------------------------
    def served(self, result) -> None:
        """main serves the result of one bun's task, in the order the buns were cooked (kata 11)."""
        events.log("served", item=events.label(result), **_learner_line())

    def handle_error(self, error) -> None:
        """main takes care of an error a worker sent home (kata 07): the dojo notes that it arrived."""
        events.log("error-handled", carries=carried(error) or [_text(error)], **_learner_line())

    # -- for steamers (kata 16) --------------------------------------------
    def steam(self, bun):
        """Steam one raw bun; the steamed bun is what goes on to the diners (the same bun, by name)."""
        role = _role()
        pace = self.steam_pace.get(role, self.steam_pace.get("*", 0))
        if pace:
            hold("steaming", pace=pace, item=events.label(bun))
        events.log("steamed", item=events.label(bun))
        return bun

    # -- for main, at closing time ----------------------------------------
    def leftover(self, bun) -> None:
        """Count one bun that was cooked and never eaten: left on the counter when the shop closed."""
        events.log("leftover", item=events.label(bun))

    # -- for the tests ---------------------------------------------------
    def menu_of(self, role: str) -> list:
        """The buns of one cook: the test's menu, or bun K-0, bun K-1, … for cook-K."""
        if role == "main" and "main" not in self.menu:  # main cooks for itself (kata 11): cook-1's buns
            role = "cook-1"
        number = role.rsplit("-", 1)[-1]
        number = int(number) if number.isdigit() else 1
        return self.menu.get(role, [f"bun {number}-{i}" for i in range(self.buns_per_cook)])
