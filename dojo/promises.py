"""The promises a run is judged against: each one small named check.

The judge (dojo/judge.py) says what every run can break by itself: a hang, a
crash, a leak. What a program promises beyond that depends on the kata: its
table entry (``Kata.promises`` in dojo/katas.py) picks from :data:`PROMISES`
by name, and a test may add more (``dojo.check(..., promises=(...))``). A
new kata picks promises; it does not edit a long ``judge()``.

Each check reads the facts of one run (:class:`Facts`) and returns its
findings, worded in English and Chinese. Every check has a golden report
(tests/harness/test_promises.py).
"""
from __future__ import annotations

import os
import signal
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from dojo.events import label
from dojo.findings import Finding, Status, plain, said
from dojo.lang import Text, zh_list
from dojo.shop import Shop


@dataclass
class Facts:
    """What the judge knows of a run, for the promises to read."""

    run: object  # dojo.run.Run
    procs: dict  # role -> dojo.judge.Proc
    children: dict  # role -> {"daemon": bool, "order": int}
    ended: dict  # role -> exit code, for the processes that ended by themselves or whose code a join saw
    stopped: bool  # the run was stopped (a hang, a limit): it never finished, so nothing is "never eaten"

    @property
    def events(self):
        return self.run.events

    def where(self, e) -> str:
        """``katas/03_….py:41`` for an event that carries the learner's file and line, else ""."""
        file, line = e.fields.get("file"), e.fields.get("line")
        if not file:
            return ""
        spec = self.run.spec
        shown = spec["shown_path"] if file == spec["kata_file"] else os.path.relpath(file, os.getcwd())
        return f"{shown}:{line}"


PROMISES: dict[str, Callable[[Facts], list[Finding]]] = {}


def promise(name: str):
    def register(check):
        PROMISES[name] = check
        return check
    return register


def check(names, facts: Facts) -> list[Finding]:
    out = []
    for name in names:
        out += PROMISES[name](facts)
    return out


def menu(shop: dict) -> list[str]:
    """Every bun the test's shop gives its cooks, as events name them."""
    kitchen = Shop(**shop)
    return [label(b) for k in range(1, kitchen.cooks + 1) for b in kitchen.menu_of(f"cook-{k}")]


# -- every bun is eaten, once ------------------------------------------------


@promise("every_bun_eaten_once")
def every_bun_eaten_once(facts: Facts) -> list[Finding]:
    """Every bun the cooks were given is eaten, none twice, and nothing else is eaten."""
    run = facts.run
    cooked = [e.item for e in run.events if e.ev == "cooked"]
    eaten = [e.item for e in run.events if e.ev == "ate"]
    out = []
    counts = Counter(eaten)
    twice = [item for item, n in counts.items() if n > 1 and item in cooked]
    if twice:
        named = list(zip(plain(twice), (counts[b] for b in twice)))
        out.append(Finding(Status.DUPLICATE, said("DUPLICATE", Text(
            f"{len(twice)} bun(s) were eaten more than once: " + ", ".join(f"{name} ({n} times)" for name, n in named),
            f"有 {len(twice)} 个包子被吃了不止一次：" + "、".join(f"{name}（{n} 次）" for name, n in named)))))
    strange = [item for item in counts if item not in cooked]
    if strange:
        who = {e.item: e.role for e in run.events if e.ev == "ate"}
        out.append(Finding(Status.WRONG, said("WRONG", Text(
            "; ".join(f"{who[item]} ate {item}, which no cook made" for item in strange),
            "；".join(f"{who[item]} 吃了 {item}，可没有哪位厨师做过它" for item in strange))),
            [Text("A diner should stop on the end-of-work marker, not eat it (test it with `is None`).",
                  "食客拿到收工的标记就该停下，而不是把它吃掉（用 `is None` 来判断）。")]))
    everything = menu(run.spec["shop"])
    if not facts.stopped:
        lost = [b for b in everything if b not in counts]
        if lost:
            out.append(Finding(Status.LOST, said("LOST", Text(
                f"{len(lost)} of {len(everything)} buns were never eaten: " + ", ".join(plain(lost)),
                f"{len(everything)} 个包子里有 {len(lost)} 个没被吃掉：" + "、".join(plain(lost)))),
                where_lost(run, lost, cooked)))
    return out


def where_lost(run, lost: list[str], cooked: list[str]) -> list[Text]:
    """Where each lost bun got to: never cooked, never put, taken, or left."""
    put = {e.item for e in run.events if e.ev == "put"}
    taken = {e.item: e.role for e in run.events if e.ev == "get"}
    uncooked, unput, left = ("never cooked", "没有做出来"), ("cooked but never put on the counter", "做好了，却没有放上柜台"), \
        ("left on the counter", "还留在柜台上")
    groups: dict[tuple[str, str], list[str]] = {uncooked: [], unput: [], left: []}
    by_taker: dict[str, list[str]] = {}
    for b in lost:
        if b not in cooked:
            groups[uncooked].append(b)
        elif b in taken:
            by_taker.setdefault(taken[b], []).append(b)
        elif b not in put:
            groups[unput].append(b)
        else:
            groups[left].append(b)
    for role, items in by_taker.items():
        groups[(f"taken by {role} but never eaten", f"被 {role} 拿走了，却没有吃")] = items
    return [Text(f"{en}: {', '.join(plain(items))}", f"{zh}：{'、'.join(plain(items))}")
            for (en, zh), items in groups.items() if items]


# -- counter.join() and task_done() -------------------------------------------------


@promise("join_waits_for_the_eating")
def join_waits_for_the_eating(facts: Facts) -> list[Finding]:
    """No counter.join() returns while a bun put on the counter is still uneaten."""
    cooked = {e.item for e in facts.events if e.ev == "cooked"}
    put, eaten, entered = [], set(), {}
    for e in facts.events:  # one clock for every process (time.monotonic() on Linux): their order is real
        if e.ev == "put" and e.item in cooked:
            put.append(e.item)
        elif e.ev == "ate":
            eaten.add(e.item)
        elif e.ev == "qjoin-enter":
            entered[e.fields.get("tid"), e.pid] = e
        elif e.ev == "qjoin-return":
            uneaten = [b for b in dict.fromkeys(put) if b not in eaten]
            if uneaten:
                call = entered.get((e.fields.get("tid"), e.pid), e)
                at = facts.where(call)
                at_en, at_zh = (f" ({at})", f"（{at}）") if at else ("", "")
                return [Finding(Status.WRONG, said("WRONG", Text(
                    f"{e.role}'s counter.join(){at_en} returned while {len(uneaten)} bun(s) were still uneaten: "
                    + ", ".join(plain(uneaten)),
                    f"{e.role} 的 counter.join(){at_zh}返回时，还有 {len(uneaten)} 个包子没吃完："
                    + "、".join(plain(uneaten)))),
                    [Text("counter.join() returns once every bun put is marked done: a task_done() was called "
                          "for a bun before it was eaten (or for a bun that was never taken).",
                          "每个放上柜台的包子都被标记为完成，counter.join() 就会返回：有人在包子吃完之前（或根本没拿到）"
                          "就调用了 task_done()。")], e.role)]
    return []


@promise("task_done_once_per_bun")
def task_done_once_per_bun(facts: Facts) -> list[Finding]:
    """task_done() never raises: it is called once per get(), never more (caught or not)."""
    for e in facts.events:
        if e.ev == "task_done-error":
            return [Finding(Status.WRONG, said("WRONG", Text(
                f"{e.role} called task_done() more often than there were buns (it raised ValueError)",
                f"{e.role} 调用 task_done() 的次数比包子还多（抛出了 ValueError）")),
                [Text("Call task_done() exactly once for every get(): catching the ValueError hides that the "
                      "count is wrong, and counter.join() may already have returned too early.",
                      "每一次 get() 对应一次 task_done()，不多不少：捕获 ValueError 只是把计数错了这件事藏起来，"
                      "counter.join() 可能已经提前返回了。")], e.role)]
    return []


@promise("task_done_after_eating")
def task_done_after_eating(facts: Facts) -> list[Finding]:
    """A thread says a bun is done only after it ate the bun it got."""
    # Checked within one thread, in its own order of events: no race with other processes' clocks.
    cooked = {e.item for e in facts.events if e.ev == "cooked"}
    holding: dict[tuple, tuple[str, bool]] = {}  # (pid, thread) -> (bun got last, eaten yet)
    for e in facts.events:
        who = (e.pid, e.fields.get("tid"))
        if e.ev == "get":
            holding[who] = (e.item, False)
        elif e.ev == "ate" and who in holding and holding[who][0] == e.item:
            holding[who] = (e.item, True)
        elif e.ev == "task_done" and who in holding:
            bun, eaten = holding[who]
            if bun in cooked and not eaten:
                name = plain([bun])[0]
                return [Finding(Status.WRONG, said("WRONG", Text(
                    f"{e.role} called task_done() for {name} before eating it",
                    f"{e.role} 还没吃 {name} 就调用了 task_done()")),
                    [Text("task_done() tells counter.join() a bun is finished, so join() can return while it is "
                          "still being eaten: call it after shop.eat(bun).",
                          "task_done() 告诉 counter.join() 一个包子已经处理完，所以包子还在吃，join() 就可能返回了："
                          "要在 shop.eat(bun) 之后再调用它。")], e.role)]
    return []


@promise("cooks_wait_for_their_buns")
def cooks_wait_for_their_buns(facts: Facts) -> list[Finding]:
    """Every cook waits in counter.join() until its buns are eaten."""
    if facts.stopped:
        return []
    waited = {e.role for e in facts.events if e.ev == "qjoin-return"}
    missing = [r for r, p in facts.procs.items() if r.startswith("cook") and not p.helper and r not in waited]
    if not missing:
        return []
    return [Finding(Status.WRONG, said("WRONG", Text(f"{', '.join(missing)} never waited in counter.join()",
                                                     f"{zh_list(missing)} 从没在 counter.join() 里等待过")),
                    [Text("A cook's work is done only when its buns are eaten: after the last put(), "
                          "wait in counter.join().",
                          "厨师的活，要等它的包子都被吃掉才算做完：最后一次 put() 之后，在 counter.join() 里等待。")])]


# -- diners go home ---------------------------------------------------------------


def _killer(facts: Facts, role: str) -> Text:
    """Who killed ``role``: a terminate()/kill() of the learner's, main's exit handler (a daemon), or a signal."""
    for e in facts.events:
        if e.ev == "terminate" and e.child == role:
            how = f"{e.fields.get('how', 'terminate')}()"
            at = facts.where(e)
            if at:
                return Text(f"{e.role} killed it with {how} ({at})", f"{e.role} 用 {how} 杀掉了它（{at}）")
            if facts.children.get(role, {}).get("daemon"):  # multiprocessing's exit handler, not the learner's line
                return Text(f"it was a daemon, so it was killed when {e.role} ended",
                            f"它是守护进程，所以 {e.role} 结束时它被杀掉了")
            return Text(f"{e.role} killed it with {how}", f"{e.role} 用 {how} 杀掉了它")
    if facts.children.get(role, {}).get("daemon"):  # multiprocessing's exit handler terminates daemons unlogged
        return Text("it was a daemon, so it was killed when main ended", "它是守护进程，所以 main 结束时它被杀掉了")
    return Text("it was killed by a signal", "它被一个信号杀掉了")


@promise("diners_go_home")
def diners_go_home(facts: Facts) -> list[Finding]:
    """Every diner leaves its loop and returns by itself: it is never killed, not even as a daemon at exit."""
    out = []
    for role, p in facts.procs.items():
        if not role.startswith("diner") or p.helper or p.alive or facts.ended.get(role) is not None:
            continue
        killer = _killer(facts, role)
        out.append(Finding(Status.WRONG, said("WRONG", Text(
            f"{role} did not go home by itself: {killer}", f"{role} 不是自己回家的：{killer.zh}")),
            [Text("This kata's contract asks every diner to stop at None and return. Tell each diner to stop "
                  "(one None each), let it leave its loop, and join it.",
                  "这道题的约定是：每位食客拿到 None 就停下并返回。要告诉每位食客停下（每人一个 None），"
                  "让它自己跳出循环，再 join 它。")], role))
    return out


@promise("nobody_is_killed")
def nobody_is_killed(facts: Facts) -> list[Finding]:
    """No process of the program is ended with terminate() or kill() by the learner's code."""
    out = []
    for e in facts.events:
        if e.ev == "terminate" and facts.where(e):
            how = f"{e.fields.get('how', 'terminate')}()"
            out.append(Finding(Status.WRONG, said("WRONG", Text(
                f"{e.role} killed {e.child} with {how} ({facts.where(e)})",
                f"{e.role} 用 {how} 杀掉了 {e.child}（{facts.where(e)}）")),
                [Text("A killed process may die in the middle of a bun. Tell it to stop instead, "
                      "and let it end by itself.",
                      "被杀掉的进程可能在一个包子还没处理完时就死掉。应该告诉它停下，让它自己结束。")], e.role))
    return out


# -- errors carried home (kata 07) ------------------------------------------------------------


def _where(facts: Facts, e) -> tuple[str, str]:
    at = facts.where(e)
    return (f" ({at})", f"（{at}）") if at else ("", "")


def error_route(facts: Facts, choke) -> tuple[bool, Text]:
    """Where the error of one bad bun went, from the worker that choked on it to main: (it reached main's
    shop.handle_error(), the route in one sentence)."""
    m = choke.message
    carrying = [e for e in facts.events if m in " ".join(e.fields.get("carries") or ()) and e.t >= choke.t]
    handled = [e for e in carrying if e.ev == "error-handled" and e.role == "main"]
    if handled:
        at = _where(facts, handled[0])
        return True, Text(f"{choke.role} choked on it; main handed it to shop.handle_error(){at[0]}",
                          f"{choke.role} 被它噎住了；main 把它交给了 shop.handle_error(){at[1]}")
    steps_en, steps_zh = [f"{choke.role} choked on it"], [f"{choke.role} 被它噎住了"]
    for e in carrying:
        at = _where(facts, e)
        if e.ev == "put":
            steps_en.append(f"{e.role} put it on a queue{at[0]}")
            steps_zh.append(f"{e.role} 把它放进了一个队列{at[1]}")
        elif e.ev == "get":
            steps_en.append(f"{e.role} took it off{at[0]}")
            steps_zh.append(f"{e.role} 把它取了出来{at[1]}")
        elif e.ev == "future-error":
            steps_en.append(f"the pool carried it home in the task's future; {e.role} looked at it there{at[0]}")
            steps_zh.append(f"进程池把它装在任务的 future 里带回了家；{e.role} 在那里看过它{at[1]}")
        elif e.ev == "error-handled":
            steps_en.append(f"{e.role} handed it to shop.handle_error(){at[0]}, but only main's counts")
            steps_zh.append(f"{e.role} 把它交给了 shop.handle_error(){at[1]}，可只有 main 交的才算")
    if len(steps_en) == 1:
        steps_en.append("the error was caught there and sent nowhere: nobody received it")
        steps_zh.append("错误在那里被捕获了，却没有送到任何地方：没有人收到它")
    else:
        steps_en.append("main never handed it to shop.handle_error()")
        steps_zh.append("main 从没把它交给 shop.handle_error()")
    return False, Text("; ".join(steps_en), "；".join(steps_zh))


def _chokes(facts: Facts) -> list:
    """Bad buns a worker choked on and lived (a crash is its own finding)."""
    crashed = {e.pid for e in facts.events if e.ev == "crash"}
    return [e for e in facts.events if e.ev == "ate" and e.fields.get("bad") and e.pid not in crashed]


@promise("errors_carried_home")
def errors_carried_home(facts: Facts) -> list[Finding]:
    """Every error a worker met (a bad bun) reaches main, which hands it to shop.handle_error()."""
    if facts.stopped:  # main never got as far as reading them
        return []
    out = []
    for choke in _chokes(facts):
        reached, route = error_route(facts, choke)
        if reached:
            continue
        name = plain([choke.item])[0]
        # What to do follows the error's way, not the kata: a pool brings it home in a future, a queue does not.
        in_future = any(e.ev == "future-error" and choke.message in " ".join(e.fields.get("carries") or ())
                        for e in facts.events)
        advice = (Text("The pool brought the error home: future.result() raises it in main. Ask every future for its "
                       "result, and hand each error it raises to shop.handle_error(error).",
                       "进程池已经把错误带回了家：future.result() 会在 main 里抛出它。向每个 future 要结果，"
                       "把抛出的每个错误交给 shop.handle_error(error)。") if in_future else
                  Text("An error that is caught and dropped is a failure nobody will ever see. Catch it in the diner, "
                       "send it home (put it on a queue that main reads), and let main hand it to "
                       "shop.handle_error(error).",
                       "被捕获后就扔掉的错误，是一个永远没人看得见的失败。在食客里捕获它，把它送回家（放进一个 main 会读的"
                       "队列），再由 main 把它交给 shop.handle_error(error)。"))
        out.append(Finding(Status.WRONG, said("WRONG", Text(
            f"{choke.role} choked on {name} (a bad bun), and main never heard of it",
            f"{choke.role} 被 {name}（一个坏包子）噎住了，main 却从来不知道")),
            [Text(f"The error's way: {route}.", f"这个错误的去向：{route.zh}。"), advice], choke.role))
    return out


@promise("choked_diners_eat_on")
def choked_diners_eat_on(facts: Facts) -> list[Finding]:
    """A diner that choked on a bad bun goes on to the next one: it takes from the counter again."""
    if facts.stopped:
        return []
    out = []
    for choke in _chokes(facts):
        later = any(e.ev == "get-enter" and e.pid == choke.pid and e.fields.get("tid") == choke.fields.get("tid")
                    and e.t > choke.t for e in facts.events)
        if not later:
            name = plain([choke.item])[0]
            out.append(Finding(Status.WRONG, said("WRONG", Text(
                f"{choke.role} stopped eating after it choked on {name}",
                f"{choke.role} 被 {name} 噎住以后就不再吃了")),
                [Text("One bad bun spoils one bite, not the meal: after sending the error home, the diner goes "
                      "on to the next bun, until it gets None.",
                      "一个坏包子只坏一口，不坏整顿饭：把错误送回家以后，食客接着吃下一个包子，直到拿到 None。")],
                choke.role))
    return out


@promise("main_eats")
def main_eats(facts: Facts) -> list[Finding]:
    """main itself eats every bun: the contract has no diners (kata 08)."""
    others = [e for e in facts.events if e.ev == "ate" and e.role != "main"]
    if not others:
        return []
    who = list(dict.fromkeys(e.role for e in others))
    return [Finding(Status.WRONG, said("WRONG", Text(
        f"{', '.join(who)} ate buns, but in this kata main eats every bun itself",
        f"{zh_list(who)} 吃了包子，可这道题里每个包子都由 main 自己吃")),
        [Text("Read the counter in main, call shop.eat(bun) there, and join the cooks after that.",
              "在 main 里读柜台、调用 shop.eat(bun)，读完以后再 join 厨师。")], who[0])]


# -- a process pool (kata 11) -------------------------------------------------------------------------


@promise("served_in_order")
def served_in_order(facts: Facts) -> list[Finding]:
    """main serves every good bun's result once, in the order the buns were cooked."""
    if facts.stopped:
        return []
    cooked = [e.item for e in facts.events if e.ev == "cooked"]
    bad = {e.item for e in facts.events if e.ev == "ate" and e.fields.get("bad")}
    eaten = {e.item for e in facts.events if e.ev == "ate" and not e.fields.get("bad")}
    served = [e.item for e in facts.events if e.ev == "served" and e.role == "main"]
    wanted = [b for b in cooked if b in eaten and b not in bad]
    missing = [b for b in wanted if b not in served]
    if missing:
        return [Finding(Status.WRONG, said("WRONG", Text(
            f"{len(missing)} eaten bun(s) were never served: " + ", ".join(plain(missing)),
            f"有 {len(missing)} 个吃掉的包子没有端上桌：" + "、".join(plain(missing)))),
            [Text("Serve each task's result with shop.served(future.result()).",
                  "用 shop.served(future.result()) 把每个任务的结果端上桌。")])]
    order = [b for b in served if b in wanted]
    if order != wanted:
        first = next(i for i, (a, b) in enumerate(zip(order, wanted)) if a != b)
        return [Finding(Status.WRONG, said("WRONG", Text(
            f"main served {plain([order[first]])[0]} before {plain([wanted[first]])[0]}, which was cooked first",
            f"main 先端出了 {plain([order[first]])[0]}，可 {plain([wanted[first]])[0]} 是先做好的")),
            [Text("Served: " + ", ".join(plain(order)) + ". Cooked: " + ", ".join(plain(wanted)) + ". Go through the "
                  "futures in the order you submitted them (as_completed() gives the order they finish in).",
                  "端出的顺序：" + "、".join(plain(order)) + "。做好的顺序：" + "、".join(plain(wanted)) + "。"
                  "按提交的顺序逐个查看 future（as_completed() 给出的是完成的顺序）。")])]
    return []


@promise("only_bad_buns_fail")
def only_bad_buns_fail(facts: Facts) -> list[Finding]:
    """The only errors main hands to shop.handle_error() are bad buns: any other is a task that crashed."""
    for e in facts.events:
        if e.ev == "error-handled" and e.role == "main" and not any("a bad bun" in c for c in e.carries):
            what = e.carries[0] if e.carries else "?"
            return [Finding(Status.CRASH, said("CRASH", Text(
                f"a task failed with an error no bad bun explains: {what}",
                f"有个任务失败了，错误不是坏包子造成的：{what}")),
                [Text("main handed it to shop.handle_error(), but it is a bug of the program, not of a bun. "
                      "A pool pickles every task to send it to a worker: a task must be a function defined at the "
                      "top of the file (not a lambda, not a function defined inside another), with what it needs "
                      "passed as arguments.",
                      "main 把它交给了 shop.handle_error()，可这是程序的错误，不是包子的。进程池要把每个任务 pickle "
                      "以后送到工作进程：任务必须是定义在文件顶层的函数（不能是 lambda，也不能是定义在别的函数里的函数），"
                      "它需要的东西通过参数传进去。")], "main")]
    return []


# -- a bounded counter (kata 09) ----------------------------------------------------------------------


def counter_peak(facts: Facts) -> tuple[int, str] | None:
    """The most buns the counter held at once (the queue's own count, right after each put), and its id; or
    None when no bun was put. The counter is the queue the cooks' buns were put on."""
    cooked = {e.item for e in facts.events if e.ev == "cooked"}
    counters = {e.q for e in facts.events if e.ev == "put" and e.item in cooked}
    sizes = [(e.fields["size"], e.q) for e in facts.events if e.ev == "put" and e.q in counters and "size" in e.fields]
    return max(sizes, default=None)


@promise("counter_never_overfull")
def counter_never_overfull(facts: Facts) -> list[Finding]:
    """The counter never holds more buns than it has room for (shop.counter_size)."""
    room = facts.run.spec["shop"].get("counter_size") or 0
    peak = counter_peak(facts)
    if not room or peak is None or peak[0] <= room:
        return []
    return [Finding(Status.WRONG, said("WRONG", Text(
        f"the counter held {peak[0]} at once (buns and None), but it has room for {room} (shop.counter_size)",
        f"柜台上同时放了 {peak[0]} 个（包子和 None），可它只有 {room} 个位置（shop.counter_size）")),
        [Text(f"Make the counter with room for shop.counter_size buns: multiprocessing.Queue(maxsize=shop.counter_size). "
              "A full counter makes a cook wait in put() until a diner takes a bun: that wait is the point (it is "
              "called backpressure), so start the diners before anyone waits for the cooks.",
              f"柜台要按 shop.counter_size 的大小来做：multiprocessing.Queue(maxsize=shop.counter_size)。柜台满了，"
              "厨师就在 put() 里等，直到有食客拿走一个包子：这个等待正是要的效果（叫作背压，backpressure），"
              "所以要在任何人等厨师之前先让食客开始吃。")])]


#: what every kata promises, whatever its contract
ALWAYS = ("every_bun_eaten_once", "join_waits_for_the_eating", "task_done_once_per_bun", "task_done_after_eating")


# -- closing time (kata 10) ------------------------------------------------------------


def _half_eaten(facts: Facts) -> dict[str, str]:
    """Buns a diner began to eat (its held step) and never finished: bun -> the diner."""
    began = {e.item: e.role for e in facts.events if e.ev == "eating" and e.fields.get("item")}
    done = {e.item for e in facts.events if e.ev == "ate"}
    return {b: role for b, role in began.items() if b not in done}


@promise("eaten_or_left_over")
def eaten_or_left_over(facts: Facts) -> list[Finding]:
    """Closing time's accounting: every bun cooked is eaten or counted as a leftover (shop.leftover), once.

    No bun is half-eaten: a diner stopped in the middle of one (killed, or a daemon when main ended)
    lost it, and the report names it.
    """
    run = facts.run
    cooked = [e.item for e in run.events if e.ev == "cooked"]
    eaten = [e.item for e in run.events if e.ev == "ate"]
    left = [e.item for e in run.events if e.ev == "leftover"]
    out = []
    counts = Counter(eaten + left)
    twice = [b for b, n in counts.items() if n > 1 and b in cooked]
    if twice:
        def how(b):
            e, lo = eaten.count(b), left.count(b)
            return (f"eaten {e}, left over {lo}", f"吃了 {e} 次，算作剩下 {lo} 次")
        named = list(zip(plain(twice), map(how, twice)))
        out.append(Finding(Status.DUPLICATE, said("DUPLICATE", Text(
            f"{len(twice)} bun(s) were counted more than once: " + ", ".join(f"{n} ({h[0]})" for n, h in named),
            f"有 {len(twice)} 个包子被算了不止一次：" + "、".join(f"{n}（{h[1]}）" for n, h in named))),
            [Text("Each bun is either eaten or left over, never both: count as leftovers only the buns still on "
                  "the counter once every diner has gone home.",
                  "每个包子要么被吃掉，要么剩下，不能两样都算：只有在所有食客都回家以后还留在柜台上的包子，才算剩下的。")]))
    strange = [b for b in counts if b not in cooked]
    if strange:
        out.append(Finding(Status.WRONG, said("WRONG", Text(
            "counted buns that no cook made: " + ", ".join(plain(strange)),
            "算进了没有哪位厨师做过的包子：" + "、".join(plain(strange)))),
            [Text("Only buns are eaten or left over: not the end-of-work marker, nor anything else.",
                  "只有包子才能被吃掉或剩下：收工的标记和别的东西都不算。")]))
    if facts.stopped:
        return out
    lost = [b for b in dict.fromkeys(cooked) if b not in counts]
    if lost:
        half = _half_eaten(facts)
        details = []
        for b in lost:
            if b in half:
                who = half[b]
                why = _killer(facts, who)
                details.append(Text(f"{who} was stopped in the middle of eating {plain([b])[0]}: {why}",
                                    f"{who} 吃 {plain([b])[0]} 吃到一半就被停下了：{why.zh}"))
        rest = [b for b in lost if b not in half]
        details += where_lost(run, rest, cooked) if rest else []
        details.append(Text(f"Buns cooked: {len(cooked)}; eaten: {len(eaten)}; left over: {len(left)}. "
                            "Eaten plus left over must be every bun cooked.",
                            f"做了 {len(cooked)} 个包子；吃了 {len(eaten)} 个；剩下 {len(left)} 个。"
                            "吃掉的加上剩下的，必须等于做出来的全部包子。"))
        out.append(Finding(Status.LOST, said("LOST", Text(
            f"{len(lost)} of {len(cooked)} buns cooked were neither eaten nor counted as left over: "
            + ", ".join(plain(lost)),
            f"做出来的 {len(cooked)} 个包子里，有 {len(lost)} 个既没被吃掉，也没算作剩下：" + "、".join(plain(lost)))),
            details))
    return out


@promise("closes_on_signal")
def closes_on_signal(facts: Facts) -> list[Finding]:
    """main handles the signal the test sent: it is not killed by it (exit code -N)."""
    code = facts.run.result.get("main_exit")
    for s in facts.run.result.get("signals") or ():
        if code == -getattr(signal, s["signal"]):
            return [Finding(Status.CRASH, said("CRASH", Text(
                f"main was killed by the {s['signal']} the test sent (exit code {code})",
                f"main 被测试发出的 {s['signal']} 杀掉了（退出码是 {code}）")),
                [Text(f"Nothing in main handles {s['signal']}, so it did what it does by default: it ended main at "
                      "once, with the shop still open. Handle it, as you handle the other closing signal.",
                      f"main 里没有任何代码处理 {s['signal']}，所以它按默认行为立刻结束了 main，而店还开着。"
                      "像处理另一个关门信号那样处理它。")], "main")]
    return []


@promise("cooks_stop_at_closing")
def cooks_stop_at_closing(facts: Facts) -> list[Finding]:
    """After the test's signal a cook finishes the bun it is cooking, and starts no other."""
    sent = facts.run.result.get("signals") or ()
    if not sent:
        return []
    after: dict[str, list[str]] = {}
    for e in facts.events:  # one clock for every process and the warden (time.monotonic() on Linux)
        if e.ev == "cooked" and e.t > sent[0]["t"]:
            after.setdefault(e.role, []).append(e.item)
    out = []
    for role, buns in after.items():
        if len(buns) > 1:
            out.append(Finding(Status.WRONG, said("WRONG", Text(
                f"{role} cooked {len(buns)} buns after the shop was closed ({sent[0]['signal']}): "
                + ", ".join(plain(buns)),
                f"店已经打烊（{sent[0]['signal']}）以后，{role} 又做了 {len(buns)} 个包子：" + "、".join(plain(buns)))),
                [Text("At closing time a cook puts the bun it has just cooked on the counter, and cooks no more: "
                      "look at `closing` after each put().",
                      "打烊时，厨师把刚做好的包子放上柜台，就不再做了：每次 put() 之后看一眼 `closing`。")], role))
    return out


# -- the pipeline (kata 16) --------------------------------------------------------------

#: where a bun can stop in cook → steamer → diner: each stage boundary, in order (en, zh)
_BOUNDARIES = [
    ("never cooked", "没有做出来"),
    ("cooked but never put on the raw counter (inside a cook)", "做好了，却没有放上生包子柜台（还在厨师手里）"),
    ("left on the raw counter, between the cooks and the steamers", "留在生包子柜台上，在厨师和蒸笼师傅之间"),
    ("taken by {role} but never steamed", "被 {role} 拿走了，却没有蒸"),
    ("steamed by {role} but never put on the steamed counter", "被 {role} 蒸好了，却没有放上熟包子柜台"),
    ("left on the steamed counter, between the steamers and the diners", "留在熟包子柜台上，在蒸笼师傅和食客之间"),
    ("taken by {role} but never eaten", "被 {role} 拿走了，却没有吃"),
]


def _stage_of(role: str) -> str:
    return role.split("-", 1)[0]


@promise("through_every_stage")
def through_every_stage(facts: Facts) -> list[Finding]:
    """Every bun goes cook → steamer → diner: steamed once, then eaten once; a lost bun is named by the stage
    boundary where it stopped."""
    run = facts.run
    cooked = [e.item for e in run.events if e.ev == "cooked"]
    steamed = [e.item for e in run.events if e.ev == "steamed"]
    eaten = [e.item for e in run.events if e.ev == "ate"]
    out = []
    for what, items, zh in (("steamed", steamed, "蒸了"), ("eaten", eaten, "吃了")):
        counts = Counter(items)
        twice = [b for b, n in counts.items() if n > 1 and b in cooked]
        if twice:
            out.append(Finding(Status.DUPLICATE, said("DUPLICATE", Text(
                f"{len(twice)} bun(s) were {what} more than once: "
                + ", ".join(f"{n} ({counts[b]} times)" for n, b in zip(plain(twice), twice)),
                f"有 {len(twice)} 个包子被{zh}不止一次：" + "、".join(f"{n}（{counts[b]} 次）" for n, b in zip(plain(twice), twice))))))
    staged = any(_stage_of(role) == "steamer" for role in facts.procs)  # no steamer at all: nothing to steam
    raw_eaten = [b for b in dict.fromkeys(eaten) if b in cooked and b not in steamed] if staged else []
    if raw_eaten:
        out.append(Finding(Status.WRONG, said("WRONG", Text(
            "diners ate buns that were never steamed: " + ", ".join(plain(raw_eaten)),
            "食客吃了没蒸过的包子：" + "、".join(plain(raw_eaten)))),
            [Text("A diner takes its buns from the steamed counter only: the raw counter is the steamers'.",
                  "食客只从熟包子柜台拿包子：生包子柜台是蒸笼师傅的。")]))
    strange = [b for b in dict.fromkeys(steamed + eaten) if b not in cooked]
    if strange:
        out.append(Finding(Status.WRONG, said("WRONG", Text(
            "steamed or ate what no cook made: " + ", ".join(plain(strange)),
            "蒸了或吃了没有哪位厨师做过的东西：" + "、".join(plain(strange)))),
            [Text("A worker stops on its end-of-stream (test it with `is None`); it never passes it on as a bun.",
                  "工人拿到收工的标记就停下（用 `is None` 判断），绝不把它当成包子传下去。")]))
    if facts.stopped:
        return out
    everything = menu(run.spec["shop"])
    lost = [b for b in everything if b not in eaten]
    if not lost:
        return out
    put_raw = {e.item for e in run.events if e.ev == "put" and _stage_of(e.role) == "cook"}
    taken_raw = {e.item: e.role for e in run.events if e.ev == "get" and _stage_of(e.role) == "steamer"}
    steamed_by = {e.item: e.role for e in run.events if e.ev == "steamed"}
    put_steamed = {e.item for e in run.events if e.ev == "put" and _stage_of(e.role) == "steamer"}
    taken = {e.item: e.role for e in run.events if e.ev == "get" and _stage_of(e.role) == "diner"}
    groups: dict[tuple[str, str], list[str]] = {}
    for b in lost:
        if b not in cooked:
            where, role = _BOUNDARIES[0], ""
        elif b not in put_raw:
            where, role = _BOUNDARIES[1], ""
        elif b not in taken_raw:
            where, role = _BOUNDARIES[2], ""
        elif b not in steamed_by:
            where, role = _BOUNDARIES[3], taken_raw[b]
        elif b not in put_steamed:
            where, role = _BOUNDARIES[4], steamed_by[b]
        elif b not in taken:
            where, role = _BOUNDARIES[5], ""
        else:
            where, role = _BOUNDARIES[6], taken[b]
        groups.setdefault((where[0].format(role=role), where[1].format(role=role)), []).append(b)
    details = [Text(f"{en}: {', '.join(plain(items))}", f"{zh}：{'、'.join(plain(items))}")
               for (en, zh), items in groups.items()]
    out.append(Finding(Status.LOST, said("LOST", Text(
        f"{len(lost)} of {len(everything)} buns never reached a diner: " + ", ".join(plain(lost)),
        f"{len(everything)} 个包子里有 {len(lost)} 个没有到达食客：" + "、".join(plain(lost)))), details))
    return out


@promise("handler_returns")
def handler_returns(facts: Facts) -> list[Finding]:
    """A signal handler of main's does its little and returns: main is never stuck inside one (kata 10)."""
    main = facts.procs.get("main")
    if not facts.stopped or main is None or not main.alive or not main.where:
        return []
    shown, _, line = main.where.rpartition(":")
    for e in facts.events:  # facts.where(e) names the handler's file as the report names main's (e.line: none)
        if (e.ev == "signal-handler" and e.role == "main" and line.isdigit()
                and shown == facts.where(e).rpartition(":")[0]
                and e.first <= int(line) <= e.last):
            return [Finding(Status.HANG, said("HANG", Text(
                f"main is stuck inside its own {e.signal} handler, in {main.blocked_call} ({main.where})",
                f"main 卡在它自己的 {e.signal} 信号处理函数里，停在 {main.blocked_call}（{main.where}）")),
                [Text("A signal handler runs in main's main thread, in the middle of whatever main was doing: here, "
                      "waiting in closing.wait(). A multiprocessing Event's set() waits until every sleeper it wakes "
                      "has woken, and that sleeper is main itself, which cannot go on until the handler returns. "
                      "Let the handler only raise (signal.default_int_handler turns the signal into "
                      "KeyboardInterrupt, as Ctrl+C does), and call closing.set() outside it.",
                      "信号处理函数在 main 的主线程里运行，打断的是 main 正在做的事：这里是在 closing.wait() 里等待。"
                      "multiprocessing 的 Event 的 set() 要等到它唤醒的每个等待者都醒过来，而那个等待者正是 main 自己，"
                      "它要等处理函数返回才能继续。让处理函数只负责抛出异常（signal.default_int_handler 会把信号变成 "
                      "KeyboardInterrupt，和 Ctrl+C 一样），在处理函数外面再调用 closing.set()。")], "main")]
    return []
