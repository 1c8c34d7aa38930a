"""The run's clock: what every thread is waiting for, and when a held step may go on.

This is trio's autojump clock (``MockClock(autojump_threshold=0)``) across
processes. A paced step of the shop (a slow cook, a slow diner, a cook who
starts after others) does not sleep: it is *held* (dojo/shop.py), with a due
time on a virtual clock. When every thread of the program is asleep, the
clock jumps to the earliest due hold and lets that one step go on, and only
that one; then it waits for the program to settle again. So the order a test
asks for ("this cook is slower than any diner") is what happens on every
run, whatever the machine's load, and a correct program never waits for a
real second.

Two rules keep the learner's own timing honest:
- a bounded wait of the learner's (``sleep(d)``, ``get(timeout=d)``,
  ``join(d)``) runs out for real before a held step goes on. A thread that
  has had one such wait run out since the clock last moved is *polling*: its
  next timed waits do not hold the clock up again (or a polling loop would
  stop the shop for ever);
- a hold that waits for roles to end (``cook_after``) goes on only once they
  have.

What the events cannot say (is a thread really asleep, or between two
events?) the kernel does (dojo/procfs.py): the warden combines both.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from dojo.procfs import ENDED, Task

#: events that begin a wait: with ``busy`` None it has no deadline, > 0 it is bounded, 0 it does not block
WAITS = {"get-enter", "put-enter", "join-enter", "qjoin-enter", "sleep", "wait-enter", "flush-enter"}
#: events that say no more than "a bounded wait ran out, or is tried again": not progress
POLLS = {"get-empty", "put-full", "awake", "wait-timeout"}


@dataclass
class Thread:
    pid: int
    nid: int
    role: str = ""
    system: bool = False  # multiprocessing's own threads (a queue's feeder): not the learner's
    waiting: bool = False  # in a wait the dojo sees (an instrumented call)
    until: float | None = None  # the end of a bounded wait (monotonic seconds), None if it has none
    hold: str = ""  # the held step it is in
    turn: bool = False  # a bounded wait of this thread has run out since the clock last moved

    @property
    def polling(self) -> bool:
        return self.until is not None and self.turn


@dataclass
class Hold:
    name: str
    pid: int
    nid: int
    role: str
    due: float  # on the virtual clock
    after: tuple = ()  # roles that must have ended first
    seq: int = 0
    ev: str = ""  # the step held ("eating", "cooking", …): a test may signal main when it is reached
    item: str = ""  # the bun it is about, if any


@dataclass
class Clock:
    run_dir: str
    now: float = 0.0  # virtual seconds
    threads: dict = field(default_factory=dict)  # nid -> Thread
    holds: dict = field(default_factory=dict)  # name -> Hold
    helpers: set = field(default_factory=set)  # pids of multiprocessing's own processes
    role_pid: dict = field(default_factory=dict)
    ended: set = field(default_factory=set)  # roles that ended (an end event, or their process is gone)
    offsets: dict = field(default_factory=dict)
    steps: int = 0  # holds released
    count: int = 0  # holds seen: their order of arrival breaks a last tie
    started: dict = field(default_factory=dict)  # pid -> (order, role) of each child, as its parent started it

    # -- reading events ---------------------------------------------------
    def read(self) -> tuple[bool, bool]:
        """Take in the events written since the last call: (any change, any progress).

        A change is any event but a polling thread's next round; progress is an event that changed
        something, beyond a wait running out (see :meth:`feed`).
        """
        folder = os.path.join(self.run_dir, "events")
        changed = progress = False
        for name in os.listdir(folder):
            path = os.path.join(folder, name)
            start = self.offsets.get(name, 0)
            try:
                if os.path.getsize(path) <= start:
                    continue
                with open(path, "rb") as f:
                    f.seek(start)
                    chunk = f.read()
            except OSError:
                continue
            complete = chunk[: chunk.rfind(b"\n") + 1]  # a line still being written waits for the next look
            self.offsets[name] = start + len(complete)
            for line in complete.splitlines():
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                change, moved = self.feed(e)
                changed, progress = changed or change, progress or moved
        return changed, progress

    def feed(self, e: dict) -> tuple[bool, bool]:
        """Take in one event: (is it a change, is it progress)."""
        pid, nid, ev = e.get("pid"), e.get("nid"), e.get("ev")
        if nid is None:
            return True, True
        t = self.threads.get(nid)
        if t is None or t.pid != pid:
            t = self.threads[nid] = Thread(pid, nid)
        t.role = e.get("role", t.role)
        self.role_pid[t.role] = pid
        if ev == "started" and e.get("child_pid"):
            self.started[e["child_pid"]] = (len(self.started), e.get("child", ""))
        if ev == "begin" and e.get("helper"):
            self.helpers.add(pid)
        elif ev == "thread-begin":
            t.system = bool(e.get("system"))
        elif ev == "end":
            self.ended.add(t.role)
        if e.get("hold"):
            t.waiting, t.until, t.hold = False, None, e["hold"]
            self.count += 1
            self.holds[e["hold"]] = Hold(e["hold"], pid, nid, t.role, self.now + float(e.get("pace") or 0),
                                         tuple(e.get("after") or ()), self.count, ev or "", e.get("item") or "")
            return True, True
        if ev in WAITS:
            busy = e.get("busy")
            if busy == 0:  # a call that does not block (get_nowait, put(block=False)): the thread runs on
                return True, False
            if t.turn and busy is not None:  # a polling thread's next round: nothing new
                t.waiting, t.until = True, e["t"] + busy
                return False, False
            t.waiting, t.hold = True, ""
            t.until = e["t"] + busy if busy is not None else None
            return True, True
        ran_out = t.until is not None
        timed_out = ev in POLLS or (ev == "join-return" and e.get("exitcode") is None)
        t.waiting, t.until, t.hold = False, None, ""
        if ran_out and timed_out:  # the first time it is news (the clock may move); then it is polling
            first, t.turn = not t.turn, True
            return first, False
        if ran_out:
            t.turn = True
        return True, True

    # -- what the warden asks ---------------------------------------------
    def forget(self, tasks: dict[int, Task], pids) -> None:
        """Threads and holds of what has ended; a role whose process is gone has ended."""
        alive = {nid for nid, task in tasks.items() if task.state not in ENDED}
        for nid in [n for n in self.threads if n not in alive]:
            del self.threads[nid]
        for name in [n for n, h in self.holds.items() if h.nid not in alive]:  # a held process was killed
            del self.holds[name]
        living = set(pids)
        self.ended |= {role for role, pid in self.role_pid.items() if pid not in living}

    def may_settle(self) -> bool:
        """Could the program be settled, by the events alone? (Then the warden looks often.)"""
        return all(t.waiting or t.hold or t.system or t.pid in self.helpers for t in self.threads.values())

    def quiet(self, tasks: dict[int, Task], before: dict[int, Task]) -> bool:
        """Every thread asleep since ``before``, except one polling (its wake-ups are its own timer)."""
        if set(tasks) != set(before):
            return False
        for nid, task in tasks.items():
            if task.state in ENDED:
                continue
            t = self.threads.get(nid)
            if t is not None and t.polling:
                continue
            if not task.still(before[nid]):
                return False
        return True

    def owed(self) -> bool:
        """A bounded wait that has not yet run out once since the clock last moved."""
        return any(t.until is not None and not t.turn for t in self.threads.values())

    def next_hold(self) -> Hold | None:
        """The hold to let go on next: the earliest due, among those whose roles have ended.

        Ties go in the order the program started its processes (main first), then by role: never in
        the order the holds happened to arrive, which is the machine's, not the program's.
        """
        ready = [h for h in self.holds.values() if all(r in self.ended for r in h.after)]
        return min(ready, key=lambda h: (h.due, self.started.get(h.pid, (-1, ""))[0], h.role, h.seq), default=None)

    def release(self, hold: Hold) -> None:
        """The clock jumps to ``hold``'s due time; every thread's bounded waits count again."""
        self.now = max(self.now, hold.due)
        del self.holds[hold.name]
        self.steps += 1
        t = self.threads.get(hold.nid)
        if t is not None:
            t.hold = ""
        for t in self.threads.values():
            t.turn = False

    def stuck(self, tasks: dict[int, Task]) -> bool:
        """Every thread of the learner's is in a wait the dojo sees, with no deadline: nothing can end it."""
        for nid, task in tasks.items():
            if task.state in ENDED or task.pid in self.helpers:
                continue
            t = self.threads.get(nid)
            if t is None:
                if nid == task.pid:  # a process that told us nothing (not Python, or not started yet)
                    return False
                continue  # a thread not started from Python: asleep (quiet() said so), and not the learner's
            if t.system or t.hold or (t.waiting and t.until is None):
                continue
            return False
        return True
