"""The kernel's view of a run: its processes and whether each thread is asleep.

Read from ``/proc`` without ptrace rights (Linux). The warden asks two things:
which processes belong to the run (``tree``: the ``children`` files of every
task, so orphans re-parented to the warden, a child subreaper, are found
too), and, for every thread, its state and how often it has been switched
off the CPU (``sample``). A thread that is asleep (``S``) in two samples,
with the same count of context switches in both, slept the whole time
between them: waking up even for a moment would have counted a switch.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

ASLEEP = "S"  # interruptible sleep: blocked in a wait (D, uninterruptible, is disk or kernel work: not idle)
ENDED = ("Z", "X")  # a zombie waiting to be reaped, or dead


@dataclass(frozen=True)
class Task:
    pid: int  # the process
    nid: int  # the thread's kernel id (threading.get_native_id())
    state: str
    switches: int  # voluntary + involuntary context switches so far
    cpu: int  # user + system time so far, in clock ticks
    ppid: int

    def still(self, other: "Task | None") -> bool:
        """Asleep now and at ``other`` (an earlier sample), and never ran in between."""
        return (other is not None and self.state == ASLEEP and other.state == ASLEEP
                and self.switches == other.switches and self.cpu == other.cpu)


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:  # it ended meanwhile
        return b""


def children(pid: int) -> list[int]:
    """The direct children of every thread of ``pid``."""
    out = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        out += [int(c) for c in _read(f"/proc/{pid}/task/{tid}/children").split()]
    return out


def tree(root: int) -> list[int]:
    """Every descendant of ``root`` (not ``root`` itself), parents before children."""
    out, todo, seen = [], [root], {root}
    while todo:
        for child in children(todo.pop(0)):
            if child not in seen:
                seen.add(child)
                out.append(child)
                todo.append(child)
    return out


def task(pid: int, nid: int) -> Task | None:
    stat = _read(f"/proc/{pid}/task/{nid}/stat")
    status = _read(f"/proc/{pid}/task/{nid}/status")
    if not stat or not status:
        return None
    fields = stat[stat.rfind(b")") + 2:].split()  # the name in () may hold spaces and parentheses
    switches = 0
    for line in status.splitlines():
        if line.startswith((b"voluntary_ctxt_switches", b"nonvoluntary_ctxt_switches")):
            switches += int(line.split()[1])
    return Task(pid, nid, fields[0].decode(), switches, int(fields[11]) + int(fields[12]), int(fields[1]))


def sample(pids) -> dict[int, Task]:
    """Every thread of these processes, by kernel thread id."""
    out = {}
    for pid in pids:
        try:
            nids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for nid in nids:
            t = task(pid, int(nid))
            if t is not None:
                out[t.nid] = t
    return out


def vm_peak(pid: int) -> int:
    """The most address space ``pid`` has ever had, in kB (0 once it has ended)."""
    for line in _read(f"/proc/{pid}/status").splitlines():
        if line.startswith(b"VmPeak:"):
            return int(line.split()[1])
    return 0
