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
from dataclasses import dataclass, field

from dojo import promises
from dojo.findings import Finding, Status, plain, said
from dojo.instrument import TRACE_HEAD, TRACE_OUTSIDE
from dojo.lang import Text, local, zh_list
from dojo.run import Run
from dojo.warden import SPIN


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
    state: str = ""  # one plain sentence, a Text (en and zh)
    waiting_for: list[str] = field(default_factory=list)  # roles this one waits on
    at_exit: bool = False  # main: finished its code, waiting in the exit handler
    crash: str = ""
    flushing: bool = False  # at its exit, waiting until what it put on a queue is written (kata 08)


@dataclass
class Verdict:
    findings: list[Finding]
    procs: list[Proc]
    run: Run

    @property
    def status(self) -> Status:
        """The class named first: the cause, where one finding explains the others.

        A crash comes first: a process that raised (a cook called with its
        parameters swapped) is why the others then waited for ever, so the
        hang it caused is told under "Also found". Then a hang (the program
        never ended); then the rest in table order.
        """
        if not self.findings:
            return Status.PASS
        order = [Status.CRASH, Status.HANG, Status.LEAK, Status.LOST, Status.DUPLICATE, Status.WRONG]
        if self.has(Status.HANG) and all(f.provoked for f in self.findings if f.status is Status.CRASH):
            # The only crashes are bad buns the test handed a diner on purpose: the learner's bug is what
            # then waited for ever (kata 07), and the crashed diner is told under "Also found".
            order[:2] = [Status.HANG, Status.CRASH]
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
    ("instrument.py", "sleep"): "sleep",
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
            if frame.file.endswith("shop.py") and frame.function == "hold":  # a step the test holds (shop.py)
                last = [e.ev for e in run.events if e.pid == proc.pid]
                proc.state = (Text("waits, as the test asks, for other cooks to finish first",
                                   "按测试的安排，等其他厨师先做完") if last[-1:] == ["waiting-for"] else
                              Text("is in a step the test holds (a slow cook or diner)",
                                   "正处在测试安排的慢动作里（慢厨师或慢食客）"))
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


def judge(run: Run, promised=promises.ALWAYS) -> Verdict:
    """All findings of one run: what any run can break (a hang, a crash, a leak), then the ``promised``
    checks of dojo/promises.py, by name (a kata's table entry picks them)."""
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
    _flushing(run, procs)

    # Bad input first: nothing else can be said about a file that did not run.
    for e in events:
        if e.ev == "problem":
            what, fix = _problem(e, run.shown_path)
            findings.append(Finding(Status.CRASH, said("CRASH", what),
                                    ([f"    {e.line} | {e.code}"] if e.fields.get("code") else []) + [fix], "main"))
            return Verdict(findings, list(procs.values()), run)
    # Roles run as threads where the kata asks for processes: whatever else went wrong follows from it (a
    # bun cooked in a thread of main was cooked by main, not by a cook), so it is the one thing said.
    threads = _threads_for_processes(run)
    if threads:
        findings.append(threads)
        return Verdict(findings, list(procs.values()), run)

    for e in events:
        if e.ev == "crash":
            p = procs.get(e.role)
            if p:
                p.crash = e.text
            what = (Text(f"{e.role} raised {e.error} while importing your file",
                         f"{e.role} 在导入你的文件时抛出了 {e.error}")
                    if e.fields.get("where") == "import" else
                    Text(f"{e.role} raised {e.error}", f"{e.role} 抛出了 {e.error}"))
            choke = _choke_of(e, events)
            if choke is not None:
                name = plain([choke.item])[0]
                what = Text(f"{e.role} raised {e.error}: it choked on {name}, a bad bun, and nothing caught the error",
                            f"{e.role} 抛出了 {e.error}：它被 {name}（一个坏包子）噎住了，没有任何代码捕获这个错误")
            details = [_traceback(e.text.rstrip())]
            if e.error == "EOFError" and "input(" in e.text:  # the one crash whose cause is not in the traceback
                details.append(Text("input() found no keyboard: a dojo run has none (its stdin is empty), so input() "
                                    "ends at once with EOFError. Take the input() out; the shop's sizes come in shop.",
                                    "input() 没有键盘可读：dojo 的运行没有键盘（标准输入是空的），所以 input() 立刻以 "
                                    "EOFError 结束。把 input() 去掉；店里的数量都在 shop 里。"))
            findings.append(Finding(Status.CRASH, said("CRASH", what), details, e.role, provoked=choke is not None))
    findings = _start_errors(run, findings)
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
            findings.append(Finding(Status.CRASH, said("CRASH", _exited(role, code)), [], role))
    if result["outcome"] == "exited" and result["main_exit"] not in (0, None) and "main" not in crashed:
        findings.append(Finding(Status.CRASH, said("CRASH", _exited("main", result["main_exit"])),
                                [Text("A program that worked ends with exit code 0.",
                                      "运行正常的程序，退出码是 0。")], "main"))

    stopped = result["outcome"] in ("stalled", "spinning", "deadline", "limit")
    if result["outcome"] == "limit":  # a graded run broke a limit of the whole tree (dojo/contain.py)
        findings.insert(0, Finding(Status.CRASH, said("CRASH", _over_limit(result["limit"])),
                                   [Text("A graded run is contained; a bun shop needs only a handful of processes "
                                         "and a little memory.",
                                         "评分时的运行受到限制；一家包子铺只需要几个进程和一点内存。")], "main"))
    elif stopped:
        findings.insert(0, _hang(run, procs))
        findings[0].details[:0] = _flush_note(procs) + _choke_notes(run, findings)

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
            names = [p.role for p in left]
            findings.append(Finding(Status.LEAK, said("LEAK", Text(
                f"{', '.join(names)} still ran after main had ended", f"main 结束以后，{zh_list(names)} 还在运行")),
                [Text("Every process of the run was killed by the dojo; a program must end its own.",
                      "这次运行的进程都已由 dojo 杀掉；程序应当自己结束它启动的每个进程。")]))

    began_badly = {e.pid for e in events if e.ev == "start-error" and e.fields.get("bootstrapping")}
    findings += [f for f in _never_began(run, procs, children, killed)
                 if procs.get(f.role) is None or procs[f.role].pid not in began_badly]  # told by _start_errors
    findings += promises.check(promised, promises.Facts(run, procs, children, ended, stopped))
    if findings:
        findings[0].details += _cancelled_notes(run)
    if main and main.alive and not main.state:
        main.state = _main_state(main, procs)
    return Verdict(findings, list(procs.values()), run)


def _over_limit(limit: dict) -> Text:
    """A limit of the whole run broken (the warden's record: what, how much, the limit)."""
    if limit["what"] == "processes":
        return Text(f"the program was stopped: it had {limit['used']} processes alive at once "
                    f"(a graded run may have {limit['max']})",
                    f"程序被停下了：它同时有 {limit['used']} 个进程在运行（评分时最多 {limit['max']} 个）")
    return Text(f"the program was stopped: it used {limit['used']} MB of memory (a graded run may use {limit['max']} MB)",
                f"程序被停下了：它用了 {limit['used']} MB 内存（评分时最多 {limit['max']} MB）")


def _exited(role: str, code) -> Text:
    return Text(f"{role} exited with code {code}", f"{role} 退出了，退出码是 {code}")


def _traceback(text: str) -> Text:
    """The learner's traceback: Python's own words stay; only the lines the dojo wrote are translated."""
    zh = text.replace(TRACE_HEAD, TRACE_HEAD.zh, 1).replace(TRACE_OUTSIDE, TRACE_OUTSIDE.zh, 1)
    return Text(text, zh)


def _problem(e, path: str) -> tuple[Text, Text]:
    """What is wrong with a kata file that could not run, and what to do about it (facts from child.py)."""
    again = ("save, and run pytest again.", "保存，再运行一次 pytest。")
    if e.kind == "missing":
        number = os.path.basename(path)[:2]  # a kata file: the dojo's own reset (it works after a commit too)
        how = f"pytest --reset {number}" if number.isdigit() else f"git checkout -- {path}"
        return (Text(f"{path} is not there.", f"找不到 {path}。"),
                Text(f"Get the starting file back with:  {how}", f"用这条命令取回初始文件：  {how}"))
    if e.kind == "syntax":  # e.msg is Python's own words, like a traceback's
        return (Text(f"{path} has a syntax error at line {e.line}: {e.msg}.",
                     f"{path} 第 {e.line} 行有语法错误：{e.msg}。"),
                Text(f"Fix that line, {again[0]}", f"改好这一行，{again[1]}"))
    if e.kind == "missing-function":
        return (Text(f"{path} has no function {e.name}(). The kata asks for: {e.wanted}.",
                     f"{path} 里没有函数 {e.name}()。这道题要的是：{e.wanted}。"),
                Text(f"Write that function (its name and parameters must match), {again[0]}",
                     f"写出这个函数（名字和参数都要一致），{again[1]}"))
    if e.kind == "signature":
        return (Text(f"{path}: {e.name}() takes other parameters than the kata asks for. "
                     f"Yours: {e.mine}. Wanted: {e.wanted}.",
                     f"{path}：{e.name}() 的参数和题目要的不一样。你写的：{e.mine}。题目要的：{e.wanted}。"),
                Text(f"Change the parameters to match, {again[0]}", f"把参数改成一致，{again[1]}"))
    if e.kind == "unreadable":  # e.error is Python's own words
        return (Text(f"{path} could not be read: {e.error}.", f"读不了 {path}：{e.error}。"),
                Text("Save the file as UTF-8 text and run pytest again.", "把文件存成 UTF-8 文本，再运行一次 pytest。"))
    raise ValueError(f"child.py logged a problem the judge cannot word: {e.kind!r}")


def _threads_for_processes(run: Run) -> Finding | None:
    """A role of the kata's contract (cook, diner) started as a thread, in a kata run under a start method.

    A multiprocessing kata runs under fork, spawn or forkserver; its cooks and
    diners are processes. Threads (threading.Thread with queue.Queue) are
    another lesson, and would pass some tests for the wrong reason.
    """
    import multiprocessing

    if run.spec.get("start_method") not in multiprocessing.get_all_start_methods():
        return None
    roles = [name for name in run.spec.get("contract", {}) if name != run.spec.get("entry")]
    found = list(dict.fromkeys(e.fields.get("target") for e in run.events if e.ev == "thread-begin"
                               and not e.fields.get("system") and e.fields.get("target") in roles))
    if not found:
        return None
    names = [f"{name}()" for name in found]
    return Finding(Status.WRONG, said("WRONG", Text(
        f"{_and(names)} ran as threads of main (threading.Thread), not as processes",
        f"{zh_list(names)} 是作为 main 里的线程（threading.Thread）运行的，而不是进程")),
        [Text("This kata is about processes: start each cook and diner with multiprocessing.Process, and give them a "
              "multiprocessing queue (queue.Queue works between threads only). Threads are another lesson.",
              "这个练习讲的是进程：用 multiprocessing.Process 启动每个厨师和食客，并交给它们 multiprocessing 的队列"
              "（queue.Queue 只能在线程之间用）。线程是另一课的内容。")], "main")


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


def _main_state(main: Proc, procs: dict[str, Proc]) -> Text:
    if main.at_exit:
        kids = [r for r, p in procs.items() if p.alive and not p.helper and not p.daemon and r != "main"]
        if main.crash:  # it raised (the CRASH above): its code ended, but it did not finish
            return Text("left open_shop() with an exception (the CRASH above), and Python waits at exit for its "
                        "non-daemon children" + (f": {', '.join(kids)}" if kids else "")
                        + " (multiprocessing joins every non-daemon child before the interpreter ends)",
                        "open_shop() 因为异常退出了（见上面的 CRASH），而 Python 退出时要等它的非守护子进程"
                        + (f"：{zh_list(kids)}" if kids else "")
                        + "（解释器结束前，multiprocessing 会 join 每一个非守护子进程）")
        return Text("finished open_shop(), but Python waits at exit for its non-daemon children"
                    + (f": {', '.join(kids)}" if kids else "")
                    + " (multiprocessing joins every non-daemon child before the interpreter ends)",
                    "open_shop() 已经执行完，但 Python 退出时要等它的非守护子进程"
                    + (f"：{zh_list(kids)}" if kids else "")
                    + "（解释器结束前，multiprocessing 会 join 每一个非守护子进程）")
    if main.blocked_call:
        return Text(f"is in {main.blocked_call}", f"停在 {main.blocked_call} 里")
    return Text("was running", "还在运行")


def _and(names: list[str]) -> str:
    """diner-1, diner-2 and diner-3"""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _hang(run: Run, procs: dict[str, Proc]) -> Finding:
    waits = _waiters(procs, run)
    for role, p in procs.items():
        p.waiting_for = [r for r in waits.get(role, []) if procs.get(r) and procs[r].alive]
        if not p.state and p.alive and not p.helper and p.blocked_call:
            p.state = Text(f"is blocked in {p.blocked_call}", f"卡在 {p.blocked_call}")
    # The roots: blocked processes that wait on no other process.
    roots = [p for r, p in procs.items() if p.alive and not p.helper and not p.waiting_for
             and r != "main" and (p.blocked_call or p.state)]
    main = procs.get("main")
    if not roots and main and main.alive:
        roots = [main]
    parts: list[Text] = []
    spinning = run.result["outcome"] == "spinning"
    # Grouped by call and line, or by what they do when they are in no call (at a held step, at exit).
    key = lambda p: (p.blocked_call, p.where, "" if p.blocked_call else str(p.state))  # noqa: E731
    for group in dict.fromkeys(key(p) for p in roots):
        call, where = group[:2]
        same = [p.role for p in roots if key(p) == group]
        who, verb = _and(same), "is" if len(same) == 1 else "are"
        if spinning and where:  # a busy loop: it was not blocked, it never stopped running
            parts.append(Text(f"{who} {verb} running in a loop that never waits ({where})",
                              f"{zh_list(same)} 在一个从不等待的循环里空转（{where}）"))
            for role in same:
                procs[role].state = Text("was running in a loop that never waits", "在一个从不等待的循环里空转")
        elif call:
            parts.append(Text(f"{who} {verb} blocked in {call} ({where})", f"{zh_list(same)} 卡在 {call}（{where}）"))
        else:
            # Every state is a verb phrase ("waits, as the test asks, …", "was running"); main without one
            # gets its own (at exit, in a call, or running).
            state = procs[same[0]].state or (_main_state(procs["main"], procs) if same == ["main"]
                                             else Text("was running", "还在运行"))
            parts.append(Text(f"{who} {state}", f"{zh_list(same)} {local(state, 'zh')}"))
    parts = parts or [Text("no process made progress", "没有任何进程取得进展")]
    en, zh = "; ".join(parts), "；".join(p.zh for p in parts)
    if main and main.alive and main not in roots:
        root_roles = {p.role for p in roots}
        # At exit, Python joins every non-daemon child in turn: main waits for all of them.
        awaited = list(root_roles) if main.at_exit else main.waiting_for
        if set(awaited) == root_roles:
            it, it_zh = ("it", "等它") if len(roots) == 1 else ("them", "等它们")
        elif awaited:
            it, it_zh = _and(awaited), f"等 {zh_list(awaited)}"
        else:  # main waits on no process (in counter.join(), say): it is blocked, told below
            it = it_zh = ""
        if main.at_exit:
            en += f"; main is waiting for {it} at exit"
            zh += f"；main 在退出时{it_zh}"
        elif main.waiting_for:
            en += f"; main is waiting for {it} in {main.blocked_call} ({main.where})"
            zh += f"；main 在 {main.blocked_call}（{main.where}）{it_zh}"
        elif main.blocked_call:
            en += f"; main is blocked in {main.blocked_call} ({main.where})"
            zh += f"；main 卡在 {main.blocked_call}（{main.where}）"
    r = run.result
    if r["outcome"] == "stalled" and r.get("stuck"):
        why = Text("Every process was waiting, each in a wait with no time limit, and nothing was left that could "
                   "end any of those waits, so the run was stopped at once.",
                   "每个进程都在等待，而且都是没有时限的等待；已经没有任何东西能结束这些等待，所以运行被立即停下了。")
    elif r["outcome"] == "stalled":
        idle = r["stopped"] - r["last_progress"]
        why = Text(f"No process made progress for {idle:.1f} s, so the run was stopped.",
                   f"已经 {idle:.1f} 秒没有任何进程取得进展，所以运行被停下了。")
    elif spinning:
        cpu = r.get("cpu_limit", SPIN)
        at = r["last_progress"] - (run.events[0].t if run.events else r["started"])  # the picture's time zero
        # CPU seconds, not the clock's: on a loaded machine they take longer, so say from when they are counted.
        why = Text(f"After the last progress (at {at:.2f} s), your program used {cpu:g} s of CPU time while no bun "
                   "moved and no process started, ended or waited: a loop that never waits. The run was stopped.",
                   f"最后一次有进展（{at:.2f} 秒时）之后，你的程序又用掉了 {cpu:g} 秒的 CPU 时间，其间没有一个包子移动，"
                   "也没有进程启动、结束或等待：这是一个从不等待的循环。运行被停下了。")
    else:
        limit = run.spec["deadline"]
        why = Text(f"The run was still busy after {limit:.0f} s (its time limit), so it was stopped.",
                   f"到了时间上限 {limit:.0f} 秒，运行还没有结束，所以被停下了。")
    return Finding(Status.HANG, said("HANG", Text(en, zh)), [why])


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
        how = (Text(f"exit code {code}", f"退出码是 {code}") if code is not None else
               Text("nobody collected its exit code", "没有人收取它的退出码"))
        out.append(Finding(Status.CRASH, said("CRASH", Text(f"{e.child} died while starting ({how})",
                                                             f"{e.child} 在启动时就死了（{how.zh}）")),
                           [Text("It never began: main was ending, and the queue it was handed was already gone. "
                                 "main must wait for everyone it started.",
                                 "它根本没有开始运行：main 正在结束，交给它的队列已经不在了。"
                                 "main 必须等它启动的每一个进程。")]
                           + [Text(f"Last error printed: {t}", f"最后打印出的错误：{t}") for t in tail],
                           e.child))
    return out




# -- start methods (kata 15) -------------------------------------------------------------------


#: why fork hid it, one sentence each (spawn and forkserver start a new Python; fork copies main)
_FORK_HID_PICKLE = Text("Under fork the same program works: a forked child is a copy of main, so its target is never "
                        "pickled. Under spawn and forkserver the child is a new Python, and the target is sent to it by "
                        "pickle, by its name.",
                        "同样的程序在 fork 下能运行：fork 出来的子进程是 main 的一份拷贝，它的 target 从来不需要 pickle。"
                        "在 spawn 和 forkserver 下，子进程是一个新的 Python，target 要按名字用 pickle 传给它。")
_FORK_HID_IMPORT = Text("Under fork the same program works: a forked child is a copy of main and never imports your file "
                        "again. Under spawn and forkserver the child imports your file (as __mp_main__) to find its target, "
                        "and everything at the top level of the file runs again in it.",
                        "同样的程序在 fork 下能运行：fork 出来的子进程是 main 的一份拷贝，不会再导入你的文件。"
                        "在 spawn 和 forkserver 下，子进程要导入你的文件（作为 __mp_main__）来找到它的 target，"
                        "文件顶层的代码都会在它里面再运行一遍。")


def _start_errors(run: Run, findings: list[Finding]) -> list[Finding]:
    """A start() that raised (instrument.py logs ``start-error``), worded with the start method, the error, and
    the line: the lambda, the function defined inside another, or the top-level line outside the
    ``__main__`` guard; and why fork hid it. Each comes first, in place of the plain "raised" of its process."""
    spec = run.spec

    def where(file, line):
        if not file:
            return ""
        shown = spec["shown_path"] if file == spec["kata_file"] else os.path.relpath(file, os.getcwd())
        return f"{shown}:{line}"

    def code(file, line):
        return linecache.getline(file, line).strip() if file else ""

    child_of = {e.child_pid: e.child for e in run.events if e.ev == "started"}
    out, told = [], set()
    for e in run.events:
        if e.ev != "start-error":
            continue
        f = e.fields
        method, error = f.get("method", "?"), f.get("error", "?")
        if f.get("bootstrapping"):
            who = child_of.get(e.pid) or ("the forkserver" if e.role == "forkserver" else "a child")
            if who in told:
                continue
            told.add(who)
            at = where(f.get("top_file"), f.get("top_line"))
            line = code(f.get("top_file"), f.get("top_line"))
            head = Text(f"under {method}, {who} could not start: it imports your file again, and the line {at}, "
                        f"outside `if __name__ == \"__main__\":`, started processes in it while it was still starting "
                        f"({error})",
                        f"在 {method} 下，{who} 没能启动：它会重新导入你的文件，而 {at} 这一行不在 "
                        f"`if __name__ == \"__main__\":` 下面，在它还没启动完的时候又在它里面启动了进程（{error}）")
            out.append(Finding(Status.CRASH, said("CRASH", head),
                               ([f"    {f.get('top_line')} | {line}"] if line else []) + [_FORK_HID_IMPORT,
                                Text("What only main must do goes under `if __name__ == \"__main__\":` at the end of "
                                     "the file: a child imports the file with another name, so it skips that block.",
                                     "只有 main 才该做的事，放到文件末尾的 `if __name__ == \"__main__\":` 下面："
                                     "子进程导入文件时用的是另一个名字，所以会跳过这一段。")], who))
            continue
        at, line = where(f.get("target_file"), f.get("target_line")), code(f.get("target_file"), f.get("target_line"))
        called = where(f.get("file"), f.get("line"))
        if f.get("kind") == "lambda":
            what = Text(f"its target is a lambda ({at})", f"它的 target 是一个 lambda（{at}）")
        elif f.get("kind") == "local":
            name = f.get("target", "").replace(".<locals>", "")
            what = Text(f"its target {name}() is defined inside another function ({at})",
                        f"它的 target {name}() 定义在另一个函数里面（{at}）")
        else:
            what = Text("what it was handed", "交给它的东西")
        head = Text(f"under {method}, {e.role} could not start {f.get('child', 'a process')}: {what}, "
                    f"which cannot be pickled ({error})",
                    f"在 {method} 下，{e.role} 没能启动 {f.get('child', '进程')}：{what.zh}，没法 pickle（{error}）")
        details = ([f"    {f.get('target_line')} | {line}"] if line else []) + [
            Text(f"{error}: {f.get('message', '')}" + (f" (in start(), {called})" if called else ""),
                 f"{error}：{f.get('message', '')}" + (f"（在 start() 里，{called}）" if called else "")),
            _FORK_HID_PICKLE,
            Text("Give each process a function defined at the top level of the file as its target, and what it "
                 "needs in args: Process(target=diner, args=(counter, shop)).",
                 "给每个进程一个定义在文件顶层的函数作为 target，它需要的东西放进 args："
                 "Process(target=diner, args=(counter, shop))。")]
        out.append(Finding(Status.CRASH, said("CRASH", head), details, e.role))
        told.add(e.role)
    if not out:
        return findings
    # The plain "main raised PicklingError" of the same process says less: its traceback stays, under "Also found".
    return out + findings


# -- errors carried home, queues flushed at exit (katas 07 and 08) -----------------------------------------


def _choke_of(crash, events):
    """The bad bun a crash is (the shop's BadBun, raised in shop.eat() of that process), or None."""
    if crash.error != "BadBun":
        return None
    chokes = [e for e in events if e.ev == "ate" and e.fields.get("bad") and e.pid == crash.pid and e.t <= crash.t]
    return chokes[-1] if chokes else None


def _choke_notes(run: Run, findings: list[Finding]) -> list[Text]:
    """For a hang: each diner that died of a bad bun, in one sentence (the cause of the wait, kata 07)."""
    out = []
    for f in findings:
        if not f.provoked:
            continue
        crash = next(e for e in run.events if e.ev == "crash" and e.role == f.role)
        choke = _choke_of(crash, run.events)
        at = _at(run, choke)
        name = plain([choke.item])[0]
        out.append(Text(f"{f.role} choked on {name}, a bad bun (shop.eat() raised BadBun{at[0]}), and nothing "
                        "caught the error: the diner died there, and what it had still to do after that bite, such "
                        "as marking the bun done, never happened.",
                        f"{f.role} 被 {name}（一个坏包子）噎住了（shop.eat() 抛出了 BadBun{at[1]}），没有任何代码捕获这个错误："
                        "食客就死在那里，这一口之后它还要做的事（比如把这个包子标记为完成）都没有做。"))
    return out


def _at(run: Run, e) -> tuple[str, str]:
    """" at katas/07_….py:31" for an event that carries the learner's file and line, in en and zh."""
    file, line = e.fields.get("file"), e.fields.get("line")
    if not file:
        return "", ""
    shown = run.spec["shown_path"] if file == run.spec["kata_file"] else os.path.relpath(file, os.getcwd())
    return f" at {shown}:{line}", f"，位置 {shown}:{line}"


def _flushing(run: Run, procs: dict[str, Proc]) -> None:
    """A process still alive whose last word was that it waits at exit for its queue to be written."""
    last: dict[int, str] = {}
    for e in run.events:
        if e.ev in ("flush-enter", "flush-return", "end"):
            last[e.pid] = e.ev
    for p in procs.values():
        if p.alive and last.get(p.pid) == "flush-enter":
            p.flushing, p.at_exit = True, False
            p.state = Text("cannot exit until the queue is read (what it put is still on its way)",
                           "在队列被读走之前退不出去（它放进去的东西还在路上）")


def _flush_note(procs: dict[str, Proc]) -> list[Text]:
    """The one plain sentence of "joining processes that use queues", when main waits for such a process."""
    main = procs.get("main")
    stuck = [p.role for p in procs.values() if p.flushing]
    if not stuck:
        return []
    who = _and(stuck)
    call = main.blocked_call if main and main.alive and main.blocked_call else "p.join()"
    return [Text(f"main is in {call}; {who} cannot exit until its queue is read (multiprocessing's "
                 "'joining processes that use queues'): at exit a process waits until every item it put is "
                 "written into the queue's pipe, and a pipe holds only so much until someone reads it.",
                 f"main 停在 {call} 里；{zh_list(stuck)} 要等队列里的东西被读走才能退出（multiprocessing 文档里的"
                 "“joining processes that use queues”）：进程退出时，要等它放进队列的每一项都写进队列的管道，"
                 "而管道只能装下有限的数据，要有人读才能继续写。")]


def _cancelled_notes(run: Run) -> list[Text]:
    """cancel_join_thread(): what the process that called it put and nobody ever took off (lost on the way)."""
    out = []
    got = {e.item for e in run.events if e.ev == "get"}
    for c in (e for e in run.events if e.ev == "cancel-join-thread"):
        lost = [e.item for e in run.events if e.ev == "put" and e.pid == c.pid and e.item not in got
                and e.item != "None"]
        at = _at(run, c)
        text = Text(f"{c.role} called cancel_join_thread(){at[0]}: it may then leave before what it put is sent, "
                    "and whatever is not sent yet is thrown away; or leave in the middle of a send, with the "
                    "queue's write lock still taken, and then nobody can send on that queue again.",
                    f"{c.role} 调用了 cancel_join_thread(){at[1]}：这样它可能在放进队列的东西送出去之前就离开，"
                    "没送出去的东西就被丢掉了；也可能在发送途中离开，队列的写锁还被占着，之后谁也不能再往这个队列发送了。")
        if lost:
            text = Text(f"{text} Put, and never taken off: {', '.join(plain(lost))}.",
                        f"{text.zh}放进去了却从没被取走的：{'、'.join(plain(lost))}。")
        out.append(text)
    return out
