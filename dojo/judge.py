"""The judge: turns what a run left behind into findings.

One run can break several promises at once (a diner crashes, so the cook
hangs in ``join()``); every finding is kept, and the first line of the report
names the one the learner felt first (see :attr:`Verdict.status`).
"""
from __future__ import annotations

import linecache
import os
import re
import signal
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

from dojo.events import label
from dojo.run import Run
from dojo.shop import Shop
from dojo.warden import SPIN


class Status(str, Enum):
    PASS = "PASS"
    HANG = "HANG"
    LOST = "LOST"
    DUPLICATE = "DUPLICATE"
    CRASH = "CRASH"
    LEAK = "LEAK"
    WRONG = "WRONG"


@dataclass
class Finding:
    status: Status
    headline: str
    details: list[str] = field(default_factory=list)
    role: str = ""  # the process it is about, where there is one


@dataclass
class Frame:
    file: str
    line: int
    function: str


@dataclass
class Proc:
    """One process of the run, as the report shows it."""

    role: str
    pid: int
    helper: bool = False
    daemon: bool = False
    alive: bool = False  # still running when the run was stopped
    blocked_call: str = ""  # "counter.get()"
    where: str = ""  # "katas/01_sentinel.py:17"
    code: str = ""  # the source line
    state: str = ""  # one plain sentence
    waiting_for: list[str] = field(default_factory=list)  # roles this one waits on
    at_exit: bool = False  # main: finished its code, waiting in the exit handler
    crash: str = ""


@dataclass
class Verdict:
    findings: list[Finding]
    procs: list[Proc]
    run: Run

    @property
    def status(self) -> Status:
        """The class named first: what the learner met first.

        A crash of main comes first (the program printed a traceback); then a
        hang (the program never ended, even if a child crashed first); then
        the rest in table order.
        """
        if not self.findings:
            return Status.PASS
        order = [Status.HANG, Status.CRASH, Status.LEAK, Status.LOST, Status.DUPLICATE, Status.WRONG]
        if any(f.status is Status.CRASH and f.role == "main" for f in self.findings):
            return Status.CRASH
        return min((f.status for f in self.findings), key=order.index)

    @property
    def first(self) -> Finding | None:
        for f in self.findings:
            if f.status is self.status:
                return f
        return None

    def has(self, status: Status) -> bool:
        return any(f.status is status for f in self.findings)


# -- reading stacks ---------------------------------------------------------

_FRAME = re.compile(r'^\s+File "(?P<file>.*)", line (?P<line>\d+) in (?P<fn>.*)$')
_HERE = os.path.dirname(os.path.abspath(__file__))
#: library calls, by (file ending, function), named the way a learner wrote them
_CALLS = {
    ("queues.py", "get"): "get", ("queues.py", "put"): "put", ("queues.py", "join"): "join",
    ("queues.py", "task_done"): "task_done", ("process.py", "join"): "join",
    ("instrument.py", "sleep"): "sleep", ("shop.py", "_wait_for"): "buns",
}


def parse_threads(dump: str) -> list[list[Frame]]:
    """faulthandler's dump as threads, each a list of frames, innermost first."""
    threads, current = [], None
    for line in dump.splitlines():
        if line.startswith(("Thread 0x", "Current thread 0x")):
            current = []
            threads.append(current)
        elif current is not None:
            m = _FRAME.match(line)
            if m:
                current.append(Frame(m["file"], int(m["line"]), m["fn"]))
    return threads


def _is_learner(frame: Frame, target_dir: str) -> bool:
    return os.path.abspath(frame.file).startswith(target_dir + os.sep)


def _call_text(code: str, function: str) -> str:
    """``counter.get()`` from the learner's line ``bun = counter.get()``."""
    m = re.search(r"([\w.\[\]]+\.)?\b" + re.escape(function) + r"\((?:[^()]|\([^()]*\))*\)", code)
    return m.group(0) if m else f"{function}()"


def read_stack(proc: Proc, dump: str, run: Run) -> None:
    """Fill in where ``proc`` is blocked, from its stack dump."""
    target = run.spec["target_dir"]
    for frames in parse_threads(dump):
        frames = [f for f in frames if not f.file.startswith(_HERE + os.sep) or f.file.endswith("shop.py")]
        for i, frame in enumerate(frames):
            if frame.file.endswith("shop.py") and frame.function == "_wait_for":
                proc.state = "waits, as the test asks, for other cooks to finish first"
                return
            if _is_learner(frame, target):
                inner = frames[i - 1] if i else None
                name = inner.function if inner else frame.function
                for (ending, fn), call in _CALLS.items():
                    if inner and inner.file.endswith(ending) and inner.function == fn:
                        name = call
                proc.code = linecache.getline(frame.file, frame.line).strip()
                proc.where = f"{run.shown_path if os.path.samefile(frame.file, run.spec['kata_file']) else frame.file}:{frame.line}"
                if inner:
                    proc.blocked_call = _call_text(proc.code, name)
                else:  # blocked in C code called from this line: name the last call on it
                    calls = re.findall(r"([\w.]+)\(", proc.code)
                    proc.blocked_call = _call_text(proc.code, calls[-1].split(".")[-1]) if calls else f"{frame.function}()"
                return
            if frame.file.endswith(os.path.join("multiprocessing", "util.py")) and frame.function == "_exit_function":
                proc.at_exit = True
                return


# -- the judge --------------------------------------------------------------


HELPERS = ("forkserver", "resource-tracker")  # multiprocessing's own processes, named by instrument.py


def _stopped_on_purpose(role: str, code, children: dict[str, dict], killed: set[str]) -> bool:
    """Ended by terminate()/kill(), or a daemon that main's exit handler stopped (SIGTERM)."""
    return role in killed or (children.get(role, {}).get("daemon", False) and code == -signal.SIGTERM)


def _roles(run: Run) -> tuple[dict[int, str], dict[str, dict]]:
    """pid -> role, in start order (main, then its children as started), and each child's flags."""
    by_pid, children = {}, {}
    for e in run.events:
        by_pid[e.pid] = e.role
        if e.ev == "start-child":
            children[e.child] = {"daemon": e.daemon, "order": len(children)}

    def order(pid):
        role = by_pid[pid]
        if role == "main":
            return (0, 0)
        if role in HELPERS:
            return (3, 0)
        return (1, children[role]["order"]) if role in children else (2, pid)

    return {pid: by_pid[pid] for pid in sorted(by_pid, key=order)}, children


def judge(run: Run, *, forbid_terminate: bool = False,
          clean_exit: tuple[str, ...] = (), wait_in_join: tuple[str, ...] = (),
          no_sleep_in: tuple[str, ...] = ()) -> Verdict:
    """All findings of one run.

    ``forbid_terminate``: killing a process with terminate()/kill() is WRONG.
    ``clean_exit``: roles with these prefixes must end by themselves with 0.
    ``wait_in_join``: roles with these prefixes must wait in a JoinableQueue's join().
    ``no_sleep_in``: roles with these prefixes must not wait with time.sleep().
    """
    result, events = run.result, run.events
    findings: list[Finding] = []
    by_pid, children = _roles(run)
    alive = {row["pid"]: row for row in result["alive"]}
    procs: dict[str, Proc] = {}
    for pid, role in by_pid.items():
        p = procs[role] = Proc(role=role, pid=pid, daemon=children.get(role, {}).get("daemon", False),
                               helper=role in HELPERS, alive=pid in alive)
        if p.alive:
            read_stack(p, run.stacks.get(pid, ""), run)
    main = procs.get("main")

    # Bad input first: nothing else can be said about a file that did not run.
    for e in events:
        if e.ev == "problem":
            findings.append(Finding(Status.CRASH, f"CRASH: {e.text}",
                                    ([f"    {e.line} | {e.code}"] if e.fields.get("code") else [])
                                    + [_PROBLEM_NEXT[e.kind].format(path=run.shown_path)], "main"))
            return Verdict(findings, list(procs.values()), run)

    for e in events:
        if e.ev == "crash":
            p = procs.get(e.role)
            if p:
                p.crash = e.text
            where = " while importing your file" if e.fields.get("where") == "import" else ""
            findings.append(Finding(Status.CRASH, f"CRASH: {e.role} raised {e.error}{where}", [e.text.rstrip()], e.role))
    ended = {e.role: e.exitcode for e in events if e.ev == "end"}
    crashed = {e.role for e in events if e.ev == "crash"}
    killed = {e.child for e in events if e.ev == "terminate"}
    # A child that left by os._exit() or a signal logs no end: its parent's join() saw the code.
    joined = {e.child: e.exitcode for e in events if e.ev == "join-return" and e.child not in ended}
    for role, code in joined.items():
        if role in procs and code not in (0, None) and not _stopped_on_purpose(role, code, children, killed):
            ended[role] = code
    for role, code in ended.items():
        if code not in (0, None) and role not in crashed:
            findings.append(Finding(Status.CRASH, f"CRASH: {role} exited with code {code}", [], role))
    if result["outcome"] == "exited" and result["main_exit"] not in (0, None) and "main" not in crashed:
        findings.append(Finding(Status.CRASH, f"CRASH: main exited with code {result['main_exit']}",
                                ["A program that worked ends with exit code 0."], "main"))

    stopped = result["outcome"] in ("stalled", "spinning", "deadline", "limit")
    if result["outcome"] == "limit":  # a graded run broke a limit of the whole tree (dojo/contain.py)
        findings.insert(0, Finding(Status.CRASH, f"CRASH: the program was stopped because {result['limit']}",
                                   ["A graded run is contained; a bun shop needs only a handful of processes "
                                    "and a little memory."], "main"))
    elif stopped:
        findings.insert(0, _hang(run, procs))

    if result["outcome"] == "leaked":
        left = []
        for r in result["alive"]:  # known roles were marked alive, with their stacks, above
            p = procs.get(by_pid.get(r["pid"], ""))
            if p is None:  # a process that never logged an event
                p = Proc(role=f"process {r['pid']}", pid=r["pid"], alive=True)
                read_stack(p, run.stacks.get(r["pid"], ""), run)
            if not p.helper:
                left.append(p)
        if left:
            names = ", ".join(p.role for p in left)
            findings.append(Finding(Status.LEAK, f"LEAK: {names} still ran after main had ended",
                                    ["Every process of the run was killed by the dojo; a program must end its own."]))

    findings += _accounting(run, stopped)
    findings += _never_began(run, procs, children, killed)
    findings += _promises(run, procs, forbid_terminate, clean_exit, ended)
    for e in run.events:
        if e.ev == "sleep" and no_sleep_in and e.role.startswith(no_sleep_in):
            findings.append(Finding(Status.WRONG, f"WRONG: {e.role} waited with time.sleep({e.fields.get('asked', '')})",
                                    ["A sleep is a guess, not a wait: wait for the work itself (a join)."], e.role))
            break
    if not stopped:
        findings += _joined(run, procs, wait_in_join)
    if main and main.alive and not main.state:
        main.state = _main_state(main, procs)
    return Verdict(findings, list(procs.values()), run)


_PROBLEM_NEXT = {
    "missing": "Get the starting file back with:  git checkout -- {path}",
    "syntax": "Fix that line, save, and run pytest again.",
    "missing-function": "Write that function (its name and parameters must match), save, and run pytest again.",
    "signature": "Change the parameters to match, save, and run pytest again.",
    "unreadable": "Save the file as UTF-8 text and run pytest again.",
}


def _waiters(procs: dict[str, Proc], run: Run) -> dict[str, list[str]]:
    """For each waiting process, the roles it waits on (from join events)."""
    waiting: dict[str, list[str]] = {}
    for e in run.events:
        if e.ev == "join-enter":
            waiting.setdefault(e.role, []).append(e.child)
        elif e.ev == "join-return":
            if e.child in waiting.get(e.role, []):
                waiting[e.role].remove(e.child)
    return waiting


def _main_state(main: Proc, procs: dict[str, Proc]) -> str:
    if main.at_exit:
        kids = [r for r, p in procs.items() if p.alive and not p.helper and not p.daemon and r != "main"]
        return ("finished open_shop(), but Python waits at exit for its non-daemon children"
                + (f": {', '.join(kids)}" if kids else "")
                + " (multiprocessing joins every non-daemon child before the interpreter ends)")
    if main.blocked_call:
        return f"is in {main.blocked_call}"
    return "was running"


def _and(names: list[str]) -> str:
    """diner-1, diner-2 and diner-3"""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _hang(run: Run, procs: dict[str, Proc]) -> Finding:
    waits = _waiters(procs, run)
    for role, p in procs.items():
        p.waiting_for = [r for r in waits.get(role, []) if procs.get(r) and procs[r].alive]
        if not p.state and p.alive and not p.helper and p.blocked_call:
            p.state = f"is blocked in {p.blocked_call}"
    # The roots: blocked processes that wait on no other process.
    roots = [p for r, p in procs.items() if p.alive and not p.helper and not p.waiting_for
             and r != "main" and (p.blocked_call or p.state)]
    main = procs.get("main")
    if not roots and main and main.alive:
        roots = [main]
    parts = []
    spinning = run.result["outcome"] == "spinning"
    for call, where in dict.fromkeys((p.blocked_call, p.where) for p in roots):
        same = [p.role for p in roots if (p.blocked_call, p.where) == (call, where)]
        who, verb = _and(same), "is" if len(same) == 1 else "are"
        if spinning and where:  # a busy loop: it was not blocked, it never stopped running
            parts.append(f"{who} {verb} running in a loop that never waits ({where})")
            for role in same:
                procs[role].state = "was running in a loop that never waits"
        elif call:
            parts.append(f"{who} {verb} blocked in {call} ({where})")
        else:
            parts.append(f"{who} {verb} waiting: {procs[same[0]].state}")
    headline = "HANG: " + "; ".join(parts or ["no process made progress"])
    if main and main.alive and main not in roots:
        root_roles = {p.role for p in roots}
        # At exit, Python joins every non-daemon child in turn: main waits for all of them.
        awaited = list(root_roles) if main.at_exit else main.waiting_for
        it = ("it" if len(roots) == 1 else "them") if set(awaited) == root_roles else _and(awaited)
        if main.at_exit:
            headline += f"; main is waiting for {it} at exit"
        elif main.waiting_for:
            headline += f"; main is waiting for {it} in {main.blocked_call} ({main.where})"
        elif main.blocked_call:
            headline += f"; main is blocked in {main.blocked_call} ({main.where})"
    r = run.result
    idle = r["stopped"] - r["last_progress"]
    why = (f"No process made progress for {idle:.1f} s, so the run was stopped."
           if r["outcome"] == "stalled" else
           f"For {SPIN:.0f} s no bun moved and no process started, ended or waited, yet the CPU was busy: "
           "a loop that never waits. The run was stopped." if spinning else
           f"The run was still busy after {run.spec['deadline']:.0f} s (its time limit), so it was stopped.")
    return Finding(Status.HANG, headline, [why])


def _accounting(run: Run, stopped: bool) -> list[Finding]:
    cooked = [e.item for e in run.events if e.ev == "cooked"]
    eaten = [e.item for e in run.events if e.ev == "ate"]
    out = []
    counts = Counter(eaten)
    twice = [item for item, n in counts.items() if n > 1 and item in cooked]
    if twice:
        out.append(Finding(Status.DUPLICATE, f"DUPLICATE: {len(twice)} bun(s) were eaten more than once: "
                           + ", ".join(f"{name} ({counts[b]} times)" for b, name in zip(twice, _plain(twice)))))
    strange = [item for item in counts if item not in cooked]
    if strange:
        who = {e.item: e.role for e in run.events if e.ev == "ate"}
        out.append(Finding(Status.WRONG, "WRONG: " + "; ".join(
            f"{who[item]} ate {item}, which no cook made" for item in strange),
            ["A diner should stop on the end-of-work marker, not eat it (test it with `is None`)."]))
    expected = run.spec["shop"]
    menu = _menu(expected)
    if not stopped:
        lost = [b for b in menu if b not in counts]
        if lost:
            out.append(Finding(Status.LOST, f"LOST: {len(lost)} of {len(menu)} buns were never eaten: "
                               + ", ".join(_plain(lost)), _where_lost(run, lost, cooked)))
    return out


def _where_lost(run: Run, lost: list[str], cooked: list[str]) -> list[str]:
    """Where each lost bun got to: never cooked, never put, taken, or left."""
    put = {e.item for e in run.events if e.ev == "put"}
    taken = {e.item: e.role for e in run.events if e.ev == "get"}
    groups = {"never cooked": [], "cooked but never put on the counter": [], "left on the counter": []}
    by_taker: dict[str, list[str]] = {}
    for b in lost:
        if b not in cooked:
            groups["never cooked"].append(b)
        elif b in taken:
            by_taker.setdefault(taken[b], []).append(b)
        elif b not in put:
            groups["cooked but never put on the counter"].append(b)
        else:
            groups["left on the counter"].append(b)
    lines = [f"{what}: {', '.join(_plain(items))}" for what, items in groups.items() if items]
    lines += [f"taken by {role} but never eaten: {', '.join(_plain(items))}" for role, items in by_taker.items()]
    return lines


def _plain(items) -> list[str]:
    """Buns as prose names them: bun 1-0 (a default bun), bun 0, bun '' (any other value, exact)."""
    return [i[1:-1] if i.startswith("'bun ") else f"bun {i}" for i in items]


def _menu(shop: dict) -> list[str]:
    """Every bun the test's shop gives its cooks, as events name them."""
    kitchen = Shop(**shop)
    return [label(b) for k in range(1, kitchen.cooks + 1) for b in kitchen.menu_of(f"cook-{k}")]


def _never_began(run: Run, procs: dict[str, Proc], children: dict[str, dict], killed: set[str]) -> list[Finding]:
    """Children that died before any of their code ran.

    Under spawn or forkserver a child first rebuilds the queue it was given;
    if main has already reached its exit, the queue's semaphores are gone and
    the child dies with FileNotFoundError before it begins. Its exit code
    reaches main's join() at exit.
    """
    out = []
    codes = {e.child: e.exitcode for e in run.events if e.ev == "join-return"}
    zombies = set(run.result.get("zombies", []))
    for e in run.events:
        if e.ev != "started" or e.child in procs:
            continue
        code = codes.get(e.child)
        if (code in (0, None) and e.child_pid not in zombies) or _stopped_on_purpose(e.child, code, children, killed):
            continue
        procs[e.child] = Proc(role=e.child, pid=e.child_pid, daemon=children.get(e.child, {}).get("daemon", False))
        tail = [line for line in run.stderr.splitlines() if line.strip()][-1:]
        how = f"exit code {code}" if code is not None else "nobody collected its exit code"
        out.append(Finding(Status.CRASH, f"CRASH: {e.child} died while starting ({how})",
                           ["It never began: main was ending, and the queue it was handed was already gone. "
                            "main must wait for everyone it started."] + [f"Last error printed: {t}" for t in tail],
                           e.child))
    return out


def _joined(run: Run, procs: dict[str, Proc], prefixes: tuple[str, ...]) -> list[Finding]:
    """Roles that should have waited in counter.join() until every bun was eaten."""
    waited = {e.role for e in run.events if e.ev == "qjoin-return"}
    missing = [r for r in procs if r.startswith(prefixes) and r not in waited] if prefixes else []
    if not missing:
        return []
    return [Finding(Status.WRONG, f"WRONG: {', '.join(missing)} never waited in counter.join()",
                    ["A cook's work is done only when its buns are eaten: after the last put(), "
                     "wait in counter.join()."])]


def _promises(run: Run, procs, forbid_terminate, clean_exit, ended) -> list[Finding]:
    out = []
    events = run.events
    if forbid_terminate:
        for e in events:
            if e.ev == "terminate":
                out.append(Finding(Status.WRONG, f"WRONG: {e.role} killed {e.child} with {e.fields.get('how', 'terminate')}()",
                                   ["A killed process may die in the middle of a bun. Tell it to stop instead, "
                                    "and let it end by itself."]))
    for prefix in clean_exit:
        for role, p in procs.items():
            if role.startswith(prefix) and not p.helper and ended.get(role) is None and not p.alive:
                out.append(Finding(Status.WRONG, f"WRONG: {role} did not finish by itself (it was killed)",
                                   [f"Each {prefix} should leave its loop and return."]))
    # task_done() says "this bun is finished": a thread must have eaten the bun it got before it says so.
    # (Checked within one thread, in its own order of events: no race with other processes' clocks.)
    cooked = {e.item for e in events if e.ev == "cooked"}
    holding: dict[tuple, tuple[str, bool]] = {}  # (pid, thread) -> (bun got last, eaten yet)
    for e in events:
        who = (e.pid, e.fields.get("tid"))
        if e.ev == "get":
            holding[who] = (e.item, False)
        elif e.ev == "ate" and who in holding and holding[who][0] == e.item:
            holding[who] = (e.item, True)
        elif e.ev == "task_done" and who in holding:
            bun, eaten = holding[who]
            if bun in cooked and not eaten:
                out.append(Finding(Status.WRONG, f"WRONG: {e.role} called task_done() for {_plain([bun])[0]} "
                                   "before eating it", ["task_done() tells counter.join() a bun is finished, "
                                                        "so join() can return while it is still being eaten: "
                                                        "call it after shop.eat(bun)."], e.role))
                break
    return out
