"""The end of a run, as the learner reads it: the progress table and exactly one next step.

One row per kata (done, done and checked earlier, current, failing, ahead,
skipped on this Python, or not run), how many katas are done, and one next
step: the file to edit and the command to run again. A learner run also
remembers the current kata for ``pytest --hint`` (dojo/learner.py).
"""
from __future__ import annotations

import os

import pytest

from dojo import katas as table
from dojo import learner, solved
from dojo.lang import say
from dojo.modes import Mode
from dojo.order import kata_of, named_in_args


def kata_outcomes(reports) -> dict[str, list]:
    out: dict[str, list] = {}
    for r in reports:
        kata = kata_of(r.fspath) if hasattr(r, "fspath") else None
        if kata and (r.when == "call" or (r.when == "setup" and not r.passed)):
            out.setdefault(kata.number, []).append(r)
    return out


def partial_katas(outcomes: dict, chosen_nodes: set[str]) -> set[str]:
    """The katas not every test of which ran to its end: chosen by node id, thinned by -k, or cut by Ctrl+C.

    Each kata test carries how many tests of its kata the command line
    collected before -k/-m/--deselect (dojo/order.py); fewer outcomes than
    that is a partial run (a test cut short by Ctrl+C has no outcome).
    """
    out = set()
    for number, rs in outcomes.items():
        collected = max((dict(r.user_properties).get(solved.COLLECTED, 0) for r in rs), default=0)
        if number in chosen_nodes or len(rs) < collected:
            out.add(number)
    return out


def _table_rows(mode: Mode, outcomes: dict, only: table.Kata | None,
                earlier: set[str], partial: set[str] = frozenset()) -> tuple[list, table.Kata | None, dict]:
    """(mark, kata, state) per kata, the current kata, and the counts for the summary line.

    ``earlier``: the katas that passed in an earlier run and have not changed
    since; one that did not run this time is done all the same. ``partial``:
    katas only some of whose tests ran; all of those passing does not make one done.
    """
    lang, verify = mode.lang, mode.name == "verify"
    rows, current = [], None
    counts = {"done": 0, "skipped": 0, "earlier": 0, "partial": []}
    for k in table.KATAS:
        rs = outcomes.get(k.number, [])
        passed = sum(1 for r in rs if r.passed)
        failed = sum(1 for r in rs if r.failed)
        if k.gate:
            counts["skipped"] += 1
            mark, state = "-", say(lang, f"skipped: {learner.gate_reason(k, lang)}", f"跳过：{learner.gate_reason(k, lang)}")
        elif failed and verify:
            mark, state = "✗", say(lang, f"breaks its declaration: {failed} test(s)", f"不符合声明：{failed} 个测试")
        elif failed:
            is_current = current is None and mode.name == "learner"
            current = current or k
            mark = "▶" if is_current else "✗"
            word = say(lang, "current", "当前") if is_current else say(lang, "failing", "未通过")
            state = word + say(lang, f"  {passed} passed, {failed} failing", f"  {passed} 个通过，{failed} 个未通过")
        elif passed and not verify and k.number in partial and k.number not in earlier:
            counts["partial"].append(k)
            mark, state = "·", say(lang, f"{passed} passed; not all of its tests ran", f"{passed} 个通过；它的测试没有全部运行")
        elif rs and passed == len(rs):
            counts["done"] += 1
            hidden = "/".join(k.hidden_under)
            mark, state = "✓", ((say(lang, "the stub fails every test as declared", "练习起点按声明失败")
                                 + (say(lang, f" (and passes under {hidden}, as declared)",
                                        f"（在 {hidden} 下按声明通过）") if k.hidden_under else ""))
                                if verify else say(lang, "done", "完成"))
        elif k.number in earlier:
            counts["done"] += 1
            counts["earlier"] += 1
            mark, state = "✓", say(lang, "done · checked earlier", "完成 · 之前已检查")
        elif only is not None and k is not only:
            mark, state = "·", say(lang, "not run this time", "这次没有运行")
        else:
            mark, state = "·", (say(lang, "ahead", "还没轮到") if mode.name == "learner"
                                else say(lang, "not run", "没有运行"))
        rows.append((mark, k, state))
    return rows, current, counts


def summary(tr, config, mode: Mode, exitstatus: int = 0) -> None:
    """The progress table and the one next step, at the end of the terminal report."""
    if mode.name == "grade":  # grades go to their reports; a class has no one progress
        return
    reports = [r for key in ("passed", "failed", "skipped", "ahead", "checked earlier", "error")
               for r in tr.stats.get(key, [])]
    outcomes = kata_outcomes(reports)
    interrupted = exitstatus == pytest.ExitCode.INTERRUPTED
    if not outcomes and not interrupted:
        return
    lang, verify = mode.lang, mode.name == "verify"
    only = table.find(config.option.kata) if config.option.kata else None
    partial = partial_katas(outcomes, named_in_args(config, nodes_only=True))
    rows, current, counts = _table_rows(mode, outcomes, only, solved.recorded(config), partial)
    tr.section(say(lang, "Deadlock Dojo · stubs", "Deadlock Dojo · 练习起点") if verify
               else say(lang, "Deadlock Dojo · progress", "Deadlock Dojo · 进度"), sep="=")
    titles = [learner.title(k, lang) for _, k, _ in rows]
    column = max([learner.width(t) for t in titles] + [10]) + 2
    slugs = max(len(k.slug) for _, k, _ in rows) + 2
    for (mark, k, state), name in zip(rows, titles):
        tr.write_line(f" {mark} {k.number} {k.slug:<{slugs}}{learner.pad(name, column)}{state}")
    total = len(table.KATAS)
    if not verify:
        line = say(lang, f"{counts['done']} of {total} katas done", f"共 {total} 个练习，已完成 {counts['done']} 个")
        if counts["skipped"]:
            line += say(lang, f" · {counts['skipped']} skipped on this Python", f" · 本机 Python 跳过 {counts['skipped']} 个")
        tr.write_line("")
        tr.write_line(line)
    if counts["earlier"]:
        tr.write_line(say(lang, "Katas checked earlier passed before, and neither they, their tests nor the dojo have "
                                "changed since, so they did not run again. To run every kata anyway:  pytest --all-katas",
                          "“之前已检查”的练习以前通过了，之后练习、它们的测试和 dojo 都没有改动，所以这次没有再运行。"
                          "仍要运行所有练习：pytest --all-katas"))
    if interrupted:  # nothing after this is true of a run that did not finish
        tr.write_line("")
        tr.write_line(say(lang, "The run was stopped (Ctrl+C) before it finished, so it says nothing about the katas "
                                "it did not reach. Run it again:  pytest",
                          "运行在结束前被停下了（Ctrl+C），所以它没跑到的练习还说不上对不对。再运行一次：pytest"))
        return
    if mode.name != "learner":
        return
    # Remember the current kata for `pytest --hint`: only from the learner's own katas, and a --kata run
    # that passes says nothing about which kata is current.
    if mode.target_dir == os.path.join(mode.root, "katas") and (current or not (config.option.kata or counts["partial"])):
        learner.remember_run(mode.root, current.number if current else None, hint_shown=current is not None)
    tr.write_line("")
    tr.write_line(_next_step(mode, config, current, outcomes, counts))


def _next_step(mode: Mode, config, current: table.Kata | None, outcomes: dict, counts: dict) -> str:
    """Exactly one next step: the file to edit and the command to run again (or the way on)."""
    lang = mode.lang
    if current:
        path = os.path.relpath(os.path.join(mode.target_dir, current.file), os.getcwd())
        again = f"pytest --kata {current.number}" if config.option.kata else "pytest"
        if not os.path.exists(os.path.join(mode.target_dir, current.file)):
            return say(lang, f"Next: {path} is missing. Get the original back with:  pytest --reset {current.number}",
                       f"下一步：{path} 不见了。用这个命令找回原始文件：pytest --reset {current.number}")
        problem = any(dict(getattr(r, "user_properties", [])).get("dojo_problem")
                      for r in outcomes.get(current.number, []))
        if problem:  # the file did not run at all: the report above names the line or function to fix
            return say(lang, f"Next: open {path} and fix what the report above names. Then run:  {again}",
                       f"下一步：打开 {path}，改好上面报告里指出的地方，然后运行：{again}")
        return say(lang, f"Next: open {path}, read the story at the top, and fix the TODO. Then run:  {again}",
                   f"下一步：打开 {path}，读一读开头的故事，完成 TODO，然后运行：{again}")
    if counts["partial"]:  # only some tests ran: they pass, and that is all this run can say
        k = counts["partial"][0]
        return say(lang, f"Next: the tests that ran pass, but not every test of kata {k.number} ran. "
                         f"All of them:  pytest --kata {k.number}",
                   f"下一步：运行了的测试都通过了，但练习 {k.number} 的测试没有全部运行。全部运行：pytest --kata {k.number}")
    every = counts["done"] == sum(1 for k in table.KATAS if not k.gate)
    if config.option.kata:
        k = table.find(config.option.kata)
        if every:
            return say(lang, f"Kata {k.number} passes, and so does every kata here. Well done!",
                       f"练习 {k.number} 通过了，这里所有的练习也都通过了。做得好！")
        return say(lang, f"Kata {k.number} passes. Next: run  pytest  to go on.",
                   f"练习 {k.number} 通过了。下一步：运行 pytest 继续。")
    if not every:  # some kata did not run here (a test file named alone, say)
        return say(lang, "Next: run  pytest  to go on to the next kata.", "下一步：运行 pytest，继续下一个练习。")
    return say(lang, "Every kata here passes. Well done!", "所有练习都通过了，做得好！")
