"""What a kata test gets: the ``dojo`` fixture, which runs the learner's program and judges it.

A kata test calls ``dojo.check(method, **shop)``: the program runs under the
warden (dojo/run.py), the judge gives a verdict (dojo/judge.py), and anything
but a PASS fails the test with the full report (dojo/report.py) in the
learner's language. Under grading the fixture is parametrized by student
(``dojo_student``, see dojo/grade.py).
"""
from __future__ import annotations

import os

import pytest

from dojo import learner
from dojo.judge import Status, Verdict, judge
from dojo.lang import say
from dojo.modes import MODE
from dojo.order import KATA, kata_of
from dojo.report import render
from dojo.run import run_program
from dojo.shop import Shop
from dojo.warden import file_cap


class KataFailed(pytest.fail.Exception):
    """A kata test failed: carries the verdict so verify mode can check it."""

    def __init__(self, text: str, verdict: Verdict):
        super().__init__(text, pytrace=False)
        self.verdict = verdict


class Dojo:
    """What a kata test gets: run the learner's program and judge it."""

    def __init__(self, request, student: str | None = None):
        self.request = request
        self.kata = request.node.stash.get(KATA, None) or kata_of(request.node.path)
        self.mode = request.config.stash[MODE]
        self.grader = request.config.pluginmanager.get_plugin("dojo-grader") if student else None
        self.target_dir = self.grader.folder(student) if self.grader else self.mode.target_dir

    def run(self, method: str, *, deadline: float = 15.0, promises: tuple = (),
            target_dir: str | None = None, **shop) -> Verdict:
        """Run the learner's ``open_shop(shop)`` under ``method`` and judge it against the kata's promises
        (dojo/katas.py), and ``promises`` of this test's own."""
        props = self.request.node.user_properties
        folder = target_dir or self.target_dir
        if self.grader and not os.path.exists(os.path.join(folder, self.kata.file)):
            # Not handed in: no run needed to know it scores nothing.
            props += [("dojo_status", "MISSING"), ("dojo_headline", f"MISSING: {self.kata.file} was not handed in")]
            pytest.fail(f"MISSING: {self.kata.file} was not handed in, so this test scores 0.", pytrace=False)
        try:
            run = run_program(target_dir=folder, kata_file=self.kata.file,
                              entry=self.kata.entry, contract=self.kata.contract, start_method=method,
                              shop=Shop(**shop), deadline=deadline, contain=self.grader is not None,
                              shown_as=self.kata.file if self.grader else None)
        except RuntimeError as exc:  # the warden died: the program found a way to kill its watcher
            props += [("dojo_status", "CRASH"), ("dojo_headline", "CRASH: the run's watcher was killed")]
            pytest.fail(f"CRASH: the dojo's watcher of this run (its warden) was killed, so the run could not be "
                        f"judged. Does the program kill its parent process?\n{exc}", pytrace=False)
        verdict = judge(run, self.kata.promises + tuple(promises))
        props.append(("dojo_status", verdict.status.value))
        props.append(("dojo_headline", verdict.first.headline if verdict.first else "PASS"))
        if self.grader:  # what the grader's reports need (dojo/grade.py): the output, and what containment stopped
            props += [("dojo_output", run.stdout + run.stderr), ("dojo_stdout", run.stdout),
                      ("dojo_outcome", run.result.get("outcome")), ("dojo_limit", run.result.get("limit"))]
        if any(e.ev == "problem" for e in verdict.run.events):  # the file could not run at all
            props.append(("dojo_problem", True))
        return verdict

    def check(self, method: str, **options) -> Verdict:
        """Run, judge, and fail the test with the full report unless all is well."""
        verdict = self.run(method, **options)
        if verdict.status is not Status.PASS:
            raise KataFailed(self.report(verdict, method), verdict)
        return verdict

    def report(self, verdict: Verdict, method: str) -> str:
        k, lang = self.kata, self.mode.lang
        where = verdict.run.shown_path
        title = say(lang, f"kata {k.number} · {learner.title(k, lang)} · start method: {method}",
                    f"练习 {k.number} · {learner.title(k, lang)} · 启动方式：{method}")
        if self.mode.name == "learner":
            # Only a pointer to more help: the one next step is printed once, under the progress table.
            # Plain `pytest` shows the current kata's report only; under --kata or --all-katas this kata may not be
            # the one `pytest --hint` takes as current: name it.
            again = (f"pytest --hint {k.number}" if self.request.config.option.kata or self.mode.all_katas
                     else "pytest --hint")
            step = (say(lang, f"That was hint 1 of {len(k.hints)}. The next one:  {again}",
                        f"这是第 1 条提示，共 {len(k.hints)} 条。下一条：{again}") if len(k.hints) > 1 else "")
        else:
            step = say(lang, f"File: {where}", f"文件：{where}")
        text = render(verdict, title=title, hints=k.hints, next_step=step, lang=lang)
        note = "\n".join(n for n in (exit_note(verdict, lang), output_note(verdict, lang), hidden_note(k, verdict, method, lang))
                         if n)
        if note:  # right under the first line and the title: it is why the run went wrong
            head, _, rest = text.partition("\n")
            second, _, rest = rest.partition("\n")
            text = "\n".join([head, second, "  " + note.replace("\n", "\n  "), rest])
        return text


def output_note(verdict: Verdict, lang: str) -> str | None:
    """A run that printed past the warden's cap met an OSError it did not write: say what it means."""
    if not any("[Errno 27]" in d for f in verdict.findings for d in f.details):
        return None
    cap = file_cap(verdict.run.spec) // 2**20
    return say(lang, f"Your program printed more than {cap} MB, the most one run may print, so the dojo made the next "
                     "write fail: that is the OSError here. Print less (a line per bun is plenty), save, and run pytest again.",
               f"你的程序打印了超过 {cap} MB 的内容，这是一次运行允许打印的上限，所以 dojo 让下一次写入失败了："
               "这就是这里的 OSError。少打印一些（每个包子一行就够了），保存，再运行 pytest。")


def hidden_note(kata, verdict: Verdict, method: str, lang: str) -> str | None:
    """Kata 15: a test that fails under spawn or forkserver may pass under fork; say why fork hides it."""
    if not kata.hidden_under or method in kata.hidden_under:
        return None
    if any(e.ev == "start-error" for e in verdict.run.events):  # its own finding says why fork hid it
        return None
    hidden = "/".join(kata.hidden_under)
    return say(lang, f"The same test may pass under {hidden}: a forked child is a copy of main, with main's functions "
                     f"and globals as main had set them, so nothing is pickled and your file is not imported again. "
                     f"A {method} child is a new Python: it imports your file again and has only what was pickled "
                     "and sent to it.",
               f"同一个测试在 {hidden} 下可能会通过：fork 出来的子进程是 main 的一份拷贝，main 的函数和全局变量都和 main "
               f"当时设置的一样，所以什么都不用 pickle，你的文件也不会被重新导入。{method} 出来的子进程是一个新的 Python："
               "它会重新导入你的文件，手里只有用 pickle 传给它的东西。")


def exit_note(verdict: Verdict, lang: str) -> str | None:
    """Say plainly that a process of the learner left in the middle (sys.exit, os._exit), where, and what to do.

    The instrumentation logs an ``exit-call`` event when learner code ends a
    process that way; the judge sees only the exit code, which does not say why.
    """
    calls = [e for e in verdict.run.events if e.ev == "exit-call"]
    if not calls:
        return None
    e = calls[0]
    spec = verdict.run.spec
    if e.fields.get("file") == spec["kata_file"]:
        where = f"{spec['shown_path']}:{e.fields.get('line')}"
    elif e.fields.get("file"):
        where = f"{os.path.relpath(e.fields['file'], os.getcwd())}:{e.fields.get('line')}"
    else:
        where = ""
    fn, code, exitcode, how = e.fields.get("function", "?"), e.fields.get("code", ""), e.fields.get("exitcode"), e.fields.get("how")
    at = f"{where}, in {fn}()" if where else f"{fn}()"
    at_zh = f"{where}（{fn}() 里）" if where else f"{fn}() 里"
    text = say(lang,
               f"{e.role} left in the middle: at {at}, `{code}` ended the process with exit code {exitcode}, "
               f"before {fn}() returned.",
               f"{e.role} 中途退出了：在 {at_zh}，`{code}` 让进程以退出码 {exitcode} 结束，这时 {fn}() 还没有 return。")
    if how == "os._exit":
        text += say(lang, " os._exit() ends a process at once, with no clean-up: what it put on a queue may never arrive, "
                    "and nobody waits for its children.",
                    "os._exit() 会立刻结束进程，不做任何收尾：它放进队列的东西可能送不到，它的子进程也没人等。")
    text += "\n" + say(lang, "The kata's functions end by returning. Take that line out, save, and run pytest again.",
                       "练习里的函数应该靠 return 结束。删掉这一行，保存，再运行 pytest。")
    return text


@pytest.fixture
def dojo_student() -> str | None:
    """The student whose files a test runs: parametrized by the grader (dojo/grade.py), else None."""
    return None


@pytest.fixture
def dojo(request, dojo_student) -> Dojo:
    return Dojo(request, dojo_student)
