"""The report a learner reads: one class word first, then plain words.

Layout, top to bottom: the first line (class and where), why the run ended,
every process by role and what it was doing, a picture of the run, the buns'
accounting, anything else found, the learner's own output, and a hint.
"""
from __future__ import annotations

import unicodedata

from dojo.findings import plain
from dojo.judge import Proc, Status, Verdict
from dojo.lang import local, pick, say

WIDTH = 56  # columns of the picture's time axis
OUTPUT_LINES = 15  # lines of the learner's printed output shown
SHIFT = 3  # columns a mark may move right when its own is taken: close enough to read as the same moment

# Event -> mark in the picture; earlier in this list wins a shared column.
MARKS = [("crash", "!"), ("terminate", "K"), ("end", "x"), ("put", "P"), ("get", "G"), ("ate", "e"),
         ("task_done", "t"), ("cooked", "c"), ("steamed", "s"), ("start-child", "S"), ("begin", "b")]
WAITS = {"get-enter": "get", "put-enter": "put", "qjoin-enter": "qjoin", "join-enter": "join", "flush-enter": "flush"}
BUSY = {"sleep": "awake", "eating": "ate", "cooking": "cooked", "steaming": "steamed"}
#: a pipeline's stages (kata 16), in order: its picture has one group of lanes per stage
STAGES = [("cook", "stage 1 · cooks", "第 1 道工序 · 厨师"), ("steamer", "stage 2 · steamers", "第 2 道工序 · 蒸笼师傅"),
          ("diner", "stage 3 · diners", "第 3 道工序 · 食客")]
LEGEND = {"en": ["b begin  S start a process  c cooked  P put  G get  e ate  t task_done  x end",
                  "! crash  K terminate()  ─ blocked  ~ busy (cooking, eating, sleep)  · running"],
          # Below the lanes, so wide characters here move no column.
          "zh": ["b 开始  S 启动进程  c 做好  P 放上（put）  G 取走（get）  e 吃掉  t task_done  x 结束",
                 "! 崩溃  K terminate()  ─ 阻塞  ~ 忙（做包子、吃包子、sleep）  · 运行中"]}


def start_of(run) -> float:
    """Time zero of a report: when main began (the picture and the text share it)."""
    return run.events[0].t if run.events else run.result["started"]


def picture(verdict: Verdict, lang: str | None = None) -> list[str]:
    """One lane per process: its events over time, and where it was blocked.

    The axis starts when main begins. When the run ends in a long quiet
    stretch (a hang), that stretch is folded into the last few columns after
    a ┆, so the busy part keeps the width.

    In Chinese only the words after the last aligned column are translated,
    and the axis counts columns (a CJK character takes two in a terminal), so
    its times can say 秒 as every Chinese sentence does.
    """
    run = verdict.run
    t0 = start_of(run)
    t1 = run.result["stopped"]
    last = run.events[-1].t if run.events else t1
    quiet_end = run.result["outcome"] in ("stalled", "spinning", "deadline", "leaked")
    folded = quiet_end and t1 - last > 0.25 * (t1 - t0)
    busy_width = WIDTH - 4 if folded else WIDTH
    span = max((last - t0) * 1.02 if folded else t1 - t0, 1e-3)

    def col(t: float) -> int:
        if folded and t > last:
            return WIDTH - 1
        return min(busy_width - 1, max(0, int((t - t0) / span * busy_width)))

    helpers = {p.role for p in verdict.procs if p.helper}
    # One lane per process, in start order (main first), whatever order their events came in.
    lanes: dict[str, list[str]] = {p.role: [" "] * WIDTH for p in verdict.procs if not p.helper}
    waiting: dict[str, tuple[str, int]] = {}  # role -> (char, since column)
    first: dict[str, int] = {}
    rank = {ev: i for i, (ev, _) in enumerate(MARKS)}
    placed: dict[tuple[str, int], int] = {}
    last_mark: dict[str, int] = {}
    for e in run.events:
        if e.role in helpers:
            continue
        lane = lanes.setdefault(e.role, [" "] * WIDTH)
        c = col(e.t)
        first.setdefault(e.role, c)
        if e.ev in WAITS or e.ev in BUSY:
            waiting[e.role] = ("=" if e.fields.get("full") else "─" if e.ev in WAITS else "~", c)
        elif e.role in waiting:
            char, since = waiting.pop(e.role)
            for i in range(since, c):
                if lane[i] in " ·":
                    lane[i] = char
        for i in range(first[e.role], c):
            if lane[i] == " ":
                lane[i] = "·"
        if e.ev in rank:
            # Marks close in time share a column (a get, then ate and task_done a moment later): the later
            # one moves right into a free column, up to SHIFT of them, so that `e` and `t` are not lost.
            # Never left of the lane's last mark: the marks keep the order the process did things in.
            start = min(max(c, last_mark.get(e.role, 0)), busy_width - 1) if c < busy_width else c
            free = next((i for i in range(start, min(c + SHIFT + 1, busy_width)) if (e.role, i) not in placed), None)
            c = free if free is not None else start
            if rank[e.ev] < placed.get((e.role, c), len(MARKS)):
                lane[c] = _mark(e)
                placed[(e.role, c)] = rank[e.ev]
                last_mark[e.role] = c
        if e.ev == "end":
            first[e.role] = WIDTH  # nothing after its end
    by_role = {p.role: p for p in verdict.procs}
    for role, (char, since) in waiting.items():  # still waiting when the run stopped
        p = by_role.get(role)
        if p and p.alive:
            for i in range(since, WIDTH):
                if lanes[role][i] in " ·":
                    lanes[role][i] = char
    for role, lane in lanes.items():  # alive to the end: keep the lane going
        p = by_role.get(role)
        if p and p.alive:
            for i in range(first[role], WIDTH):
                if lane[i] == " ":
                    lane[i] = "·"
    width = max([len(r) for r in lanes] + [7])
    unit = pick(lang, " s", " 秒")  # one unit per language, 秒 in Chinese as in every sentence of the report
    zero = f"0{unit}"
    if folded:
        for lane in lanes.values():
            lane[busy_width] = "┆"
        label = f"{last - t0:.2f}{unit}"
        right = f"{label} ┆ " + pick(lang, f"stopped at {t1 - t0:.2f} s", f"{t1 - t0:.2f} 秒时停下")
        axis = f"{'':{width}}  {zero}{'':{max(1, busy_width - 1 - _cols(zero) - _cols(label))}}{right}"
    else:
        label = f"{span:.2f}{unit}"
        axis = f"{'':{width}}  {zero}{'':{max(1, WIDTH - _cols(zero) - _cols(label))}}{label}"
    out = [axis]
    shown = [role for role in lanes if role in first]
    if any(role.startswith("steamer-") for role in shown):  # a pipeline: one group of lanes per stage, in order
        rest = [r for r in shown if r.split("-")[0] not in {s for s, _, _ in STAGES}]
        for stage, en, zh in STAGES:
            group = [r for r in shown if r.split("-")[0] == stage]
            if group:
                rest.append(("─", pick(lang, en, zh)))
                rest += group
        shown = rest
    out += [f"{'':{width}}  ── {role[1]} ──" if isinstance(role, tuple) else f"{role:{width}}  {''.join(lanes[role])}"
            for role in shown]
    for sent in run.result.get("signals") or ():  # closing time (dojo/warden.py, Closer): when main got it
        c = col(sent["t"])
        out.append(f"{'':{width}}  {'':{c}}^ " + pick(lang, f"{sent['signal']} sent to main at {sent['t'] - t0:.2f} s",
                                                      f"{sent['t'] - t0:.2f} s 时向 main 发出 {sent['signal']}"))
    if run.result["outcome"] in ("stalled", "spinning", "deadline"):
        c = col(run.result["last_progress"])
        at = run.result["last_progress"] - t0
        out.append(f"{'':{width}}  {'':{c}}^ " + pick(lang, f"last progress at {at:.2f} s", f"{at:.2f} 秒时最后一次有进展"))
    out += [f"{'':{width}}  {line}" for line in LEGEND[pick(lang, "en", "zh")]]
    if any(e.ev == "steamed" for e in run.events):
        out[-2] += pick(lang, "  s steamed", "  s 蒸好")
    out += [f"{'':{width}}  {line}" for line in _more_legend(run, lang)]
    return out


def _cols(text: str) -> int:
    """Columns a text takes in a terminal: a Chinese character takes two (秒 on the time axis)."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _mark(e) -> str:
    """An event's mark in its lane: a bad bun a diner choked on is not a bun eaten (kata 07)."""
    if e.ev == "ate" and e.fields.get("bad"):
        return "#"
    return dict(MARKS)[e.ev]


def _more_legend(run, lang) -> list[str]:
    """The marks only some runs have, explained only when they are in the picture."""
    out = []
    if any(e.ev == "put-enter" and e.fields.get("full") for e in run.events):
        out.append(pick(lang, "= waiting in put() for room on a full counter", "= 柜台满了，在 put() 里等空位"))
    if any(e.ev == "ate" and e.fields.get("bad") for e in run.events):
        out.append(pick(lang, "# choked on a bad bun (shop.eat() raised BadBun)", "# 被坏包子噎住（shop.eat() 抛出了 BadBun）"))
    return out


def _counter(verdict: Verdict, lang) -> list[str]:
    """How full the counter got, where the test gave it a size (kata 09)."""
    from dojo.promises import Facts, counter_peak

    room = verdict.run.spec["shop"].get("counter_size") or 0
    peak = counter_peak(Facts(verdict.run, {}, {}, {}, False)) if room else None
    if peak is None:
        return []
    return [pick(lang, f"Counter: at most {peak[0]} at once (buns and None), with room for {room}.",
                 f"柜台：同时最多放了 {peak[0]} 个（包子和 None），它有 {room} 个位置。")]


def _errors(verdict: Verdict, lang) -> list[str]:
    """Each bad bun a diner choked on, and where its error went: to main, or nowhere (kata 07)."""
    from dojo.promises import Facts, error_route
    from dojo.findings import plain

    run = verdict.run
    chokes = [e for e in run.events if e.ev == "ate" and e.fields.get("bad")]
    if not chokes:
        return []
    facts = Facts(run, {p.role: p for p in verdict.procs}, {}, {}, False)
    crashed = {e.pid for e in run.events if e.ev == "crash"}
    lines = ["", pick(lang, "Errors, from the worker to main:", "错误的去向，从干活的进程到 main：")]
    for e in chokes:
        name = plain([e.item])[0]
        if e.pid in crashed:
            route = pick(lang, f"{e.role} choked on it and nothing caught the error: {e.role} died of it",
                         f"{e.role} 被它噎住了，没有代码捕获这个错误：{e.role} 因此死掉了")
        else:
            route = local(error_route(facts, e)[1], lang)
        lines.append(f"  {name}: {route}")
    return lines


def _proc_line(p: Proc, verdict: Verdict, width: int, lang: str | None = None) -> str:
    run = verdict.run
    t0 = start_of(run)
    head = f"{p.role:{width}}  "  # roles are ASCII: the columns line up in both languages
    if p.alive:
        if p.state:
            what = local(p.state, lang)
        elif p.blocked_call:
            what = pick(lang, f"is blocked in {p.blocked_call}", f"卡在 {p.blocked_call}")
        else:
            what = pick(lang, "was running", "还在运行")
        if p.role == "main" and p.waiting_for and not p.at_exit:
            what += pick(lang, f", waiting for {', '.join(p.waiting_for)}", f"，在等 {'、'.join(p.waiting_for)}")
        text = head + what
        if p.where:
            text += f"\n{'':{width}}    " + pick(lang, f"at {p.where}:   {p.code}", f"位置 {p.where}：  {p.code}")
        return text
    end = next((e for e in run.events if e.pid == p.pid and e.ev == "end"), None)
    if end:
        at = f"{end.t - t0:.2f}"
        return head + pick(lang, f"ended with exit code {end.exitcode} at {at} s",
                           f"在 {at} 秒时结束，退出码是 {end.exitcode}")
    killed = next((e for e in run.events if e.ev == "terminate" and e.child == p.role), None)
    if killed:
        how, at = f"{killed.fields.get('how', 'terminate')}()", f"{killed.t - t0:.2f}"
        return head + pick(lang, f"was killed by {killed.role} with {how} at {at} s",
                           f"在 {at} 秒时被 {killed.role} 用 {how} 杀掉了")
    if p.daemon:
        return head + pick(lang, "was killed when main ended (it was a daemon)", "main 结束时被杀掉了（它是守护进程）")
    if p.role == "main":
        code = run.result["main_exit"]
        return head + pick(lang, f"ended with exit code {code}", f"已结束，退出码是 {code}")
    return head + pick(lang, "ended", "已结束")


def _signal_at(sent: dict, lang: str) -> str:
    """When, in the run, the test's signal came (a held step, or the end of the day): a clause."""
    at = sent.get("at") or {}
    if not at:
        return pick(lang, ", once nothing else could go on", "，那时已经没有别的事情可以进行")
    what = {"eating": ("eating", "在吃"), "cooking": ("cooking", "在做")}.get(at["ev"], (at["ev"], at["ev"]))
    bun = plain([at["item"]])[0] if at.get("item") else ""
    if lang == "en":
        return f", while {at['role']} was {what[0]} {bun or 'a bun'}"
    return f"，那时 {at['role']} 正{what[1]}" + (f" {bun}" if bun else "包子")


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def render(verdict: Verdict, *, title: str, hints: list[dict], next_step: str, lang: str | None = None) -> str:
    """The whole report, as text, in ``lang``: "en" or "zh" (see dojo/lang.py).

    None is for callers from before the choice: the body in English, the hint
    in both languages, exactly as reports were then.
    """
    run = verdict.run
    first = verdict.first
    lines = [local(first.said, lang) if first else "PASS", f"  {title}"]
    lines += [_indent(local(d, lang), "  ") for d in (first.details if first else []) if d]
    procs = [p for p in verdict.procs if not p.helper]
    if procs and not (first and first.status is Status.CRASH and not run.result["alive"] and len(procs) == 1):
        width = max(len(p.role) for p in procs)
        lines += ["", pick(lang, "Processes:", "各个进程：") if not verdict.has(Status.HANG) else
                  pick(lang, "Processes when the run was stopped:", "运行被停下时，各个进程的情况：")]
        lines += ["  " + _proc_line(p, verdict, width, lang).replace("\n", "\n  ") for p in procs]
        helpers = [p.role for p in verdict.procs if p.helper]
        if helpers:
            lines.append("  " + pick(lang, f"(also multiprocessing's own helpers: {', '.join(helpers)})",
                                     f"（另有 multiprocessing 自己的辅助进程：{'、'.join(helpers)}）"))
        lines += ["", pick(lang, "The run, one lane per process:", "运行过程，每个进程一行：")]
        lines += ["  " + line for line in picture(verdict, lang)]
    cooked = sum(1 for e in run.events if e.ev == "cooked")
    eaten = sum(1 for e in run.events if e.ev == "ate")
    left = sum(1 for e in run.events if e.ev == "leftover")  # counted by main at closing time (kata 10)
    bad = sum(1 for e in run.events if e.ev == "ate" and e.fields.get("bad"))
    if left:
        lines += ["", pick(lang, f"Buns: {cooked} cooked, {eaten} eaten, {left} left over.",
                           f"包子：做了 {cooked} 个，吃了 {eaten} 个，剩下 {left} 个。")]
    elif any(e.ev == "steamed" for e in run.events):  # a pipeline (kata 16): the middle stage too
        steamed = sum(1 for e in run.events if e.ev == "steamed")
        lines += ["", pick(lang, f"Buns: {cooked} cooked, {steamed} steamed, {eaten} eaten.",
                           f"包子：做了 {cooked} 个，蒸了 {steamed} 个，吃了 {eaten} 个。")]
    elif cooked or eaten:
        lines += ["", pick(lang, f"Buns: {cooked} cooked, {eaten} eaten.", f"包子：做了 {cooked} 个，吃了 {eaten} 个。")]
    if bad and (cooked or eaten):
        lines[-1] = lines[-1][:-1] + pick(lang, f" ({bad} of them bad: a diner choked on it).",
                                          f"（其中 {bad} 个是坏的：食客被它噎住了）。")
    lines += _counter(verdict, lang) + _errors(verdict, lang)
    lines += [pick(lang, f"The test sent {s['signal']} to main at {s['t'] - start_of(run):.2f} s" + _signal_at(s, "en") + ".",
                   f"测试在 {s['t'] - start_of(run):.2f} 秒时向 main 发出了 {s['signal']}" + _signal_at(s, "zh") + "。")
              for s in run.result.get("signals") or ()]
    others = [f for f in verdict.findings if f is not first]
    if others:
        lines += ["", pick(lang, "Also found:", "另外还发现：")]
        for f in others:
            lines.append(f"  {local(f.said, lang)}")
            lines += [_indent(local(d, lang), "    ") for d in f.details if d]
    # stderr holds the full tracebacks already shown, trimmed, as CRASH findings.
    output = (run.stdout + ("" if verdict.has(Status.CRASH) else run.stderr)).strip().splitlines()
    if output:
        lines += ["", pick(lang, "Your program printed:", "你的程序打印了：")]
        if len(output) > OUTPUT_LINES:
            hidden = len(output) - OUTPUT_LINES
            lines.append("  " + pick(lang, f"[… {hidden} earlier lines not shown …]", f"[… 前面还有 {hidden} 行没有显示 …]"))
        lines += [f"  | {line}" for line in output[-OUTPUT_LINES:]]
    if hints:
        lines += ["", *say(lang, f"Hint: {hints[0]['en']}", f"提示：{hints[0]['zh']}").splitlines()]
    lines += ["", next_step]
    return "\n".join(lines)
