"""The pytest plugin: modes, order, the learner's path, and the reports.

Modes (one per run):
- learner (plain ``pytest``): the kata tests against ``katas/``, in order,
  stopping at the first failing test (later katas are "ahead"; ``--all-katas``
  runs them anyway), then a progress table and exactly one next step, in the
  learner's language (``--lang``, else the locale);
- ``--solutions``: the same tests against ``solutions/``, plus the harness's
  own tests (``tests/harness``);
- ``--target DIR``: the kata tests against any folder laid out like
  ``katas/`` (a learner's submission, a wrong variant);
- ``--verify-stubs``: the authoring check: every stub must fail every test of
  its kata for its declared reason, and every kata must follow the table's
  rules (tests/harness/test_authoring.py).

``pytest --hint [N]`` and ``pytest --reset N`` are commands, not runs: they do
their work (dojo/learner.py) and end before any test is collected.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass

import pytest

from dojo import grade
from dojo import katas as table
from dojo import learner, residue
from dojo.judge import Status, Verdict, judge
from dojo.lang import choose, say
from dojo.report import render
from dojo.run import ROOT, SESSION, run_program
from dojo.shop import Shop
from dojo.warden import file_cap, sweep, sweep_orphans

MODE = pytest.StashKey["Mode"]()
KATA = pytest.StashKey[table.Kata]()
AHEAD = "ahead: solve the kata before this one first"


@dataclass
class Mode:
    name: str  # learner | solutions | target | verify
    target_dir: str
    state_file: str  # where workers record the first failing kata (learner mode)
    root: str = ROOT  # the dojo tree being run (the rootdir)
    lang: str = "en"  # the learner's language: en or zh
    all_katas: bool = False  # learner mode without the stop at the first failing kata


def _mode(config) -> Mode | None:
    """The run's mode, or None outside a dojo tree (the plugin then does nothing)."""
    return config.stash.get(MODE, None)


class KataFailed(pytest.fail.Exception):
    """A kata test failed: carries the verdict so verify mode can check it."""

    def __init__(self, text: str, verdict: Verdict):
        super().__init__(text, pytrace=False)
        self.verdict = verdict


# -- options and mode -------------------------------------------------------


def pytest_addoption(parser):
    group = parser.getgroup("dojo", "Deadlock Dojo")
    group.addoption("--solutions", action="store_true", help="run the kata tests against solutions/ (and the harness's own tests)")
    group.addoption("--target", metavar="DIR", help="run the kata tests against DIR, laid out like katas/")
    group.addoption("--verify-stubs", action="store_true", help="authoring check: every stub fails for its declared reason")
    group.addoption("--kata", metavar="N", help="run only kata N (a number like 01, or a slug)")
    group.addoption("--results", metavar="FILE", help="write every test's outcome as JSON, for grading")
    group.addoption("--grade", metavar="DIR", help="grade one submission: DIR holds kata files laid out like katas/")
    group.addoption("--grade-class", metavar="DIR", help="grade a class: DIR holds one folder per student")
    group.addoption("--grade-out", metavar="OUT", help="where --grade and --grade-class write their reports")
    group.addoption("--all-katas", action="store_true", help="run every kata, not only up to the first unsolved one")
    group.addoption("--lang", metavar="en|zh", help="the language of reports, hints and the progress table "
                    "(default: from the locale) · 语言：en 或 zh")
    group.addoption("--hint", metavar="N", nargs="?", const="", default=None,
                    help="show the next hint of the current kata, or of kata N, and stop")
    group.addoption("--reset", metavar="N", help="put kata N back as it was (your version is kept in .dojo/backup/)")


def _lang(config) -> str:
    try:
        return choose(config.option.lang)
    except ValueError as exc:
        raise pytest.UsageError(f"{exc} Example: pytest --lang zh") from None


def _is_dojo(root) -> bool:
    return os.path.exists(os.path.join(str(root), "dojo", "katas.py"))


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """``pytest --hint [N]`` and ``pytest --reset N``: do it, print it, end; no test runs."""
    opt = config.option
    if (opt.hint is None and not opt.reset) or not _is_dojo(config.rootpath):
        return None
    lang = _lang(config)
    root = str(config.rootpath)
    if opt.reset:
        text, code = learner.reset(root, opt.reset, lang)
    else:
        text, code = learner.next_hint(root, opt.hint or opt.kata or "", lang)
    print(text)
    return code


def pytest_configure(config):
    root = str(config.rootpath)
    opt = config.option
    if not os.path.exists(os.path.join(root, "dojo", "katas.py")):
        here = str(config.invocation_params.dir)
        given = [(name, value) for name, value in (("--target", opt.target), ("--grade", opt.grade),
                 ("--grade-class", opt.grade_class), ("--grade-out", opt.grade_out)) if value]
        if given and os.path.exists(os.path.join(here, "dojo", "katas.py")):
            # pytest chooses its rootdir from path-like arguments before any plugin can say that
            # these options take a value; a folder outside the repository then looks like the project.
            raise pytest.UsageError(
                "pytest took a folder outside this repository for the project folder. Write each folder "
                "option with an equals sign:  pytest " + " ".join(f"{n}={v}" for n, v in given))
        return  # installed in this environment, but this is not a dojo tree
    chosen = [name for name, on in (("--solutions", opt.solutions), ("--target", opt.target),
                                    ("--verify-stubs", opt.verify_stubs), ("--grade", opt.grade),
                                    ("--grade-class", opt.grade_class)) if on]
    if (opt.solutions or opt.grade or opt.grade_class) and len(chosen) > 1:
        raise pytest.UsageError(f"choose one of {' and '.join(chosen)}, not both.")
    target = os.path.abspath(opt.target) if opt.target else None
    if target and not os.path.isdir(target):
        raise pytest.UsageError(f"--target {opt.target}: there is no such folder. Give a folder that holds "
                                "files named like katas/ (01_sentinel.py, …).")
    if opt.grade or opt.grade_class:
        mode = Mode("grade", _start_grading(config), "")
    elif opt.grade_out:
        raise pytest.UsageError("--grade-out says where to write grades: use it with --grade DIR or --grade-class DIR.")
    elif opt.solutions:
        mode = Mode("solutions", os.path.join(root, "solutions"), "")
    elif opt.verify_stubs:  # with --target: verify the stubs kept in another folder
        mode = Mode("verify", target or os.path.join(root, "katas"), "")
    elif target:
        mode = Mode("target", target, "")
    else:
        mode = Mode("learner", os.path.join(root, "katas"), "")
    lang = _lang(config)
    if opt.kata and not table.find(opt.kata):
        raise pytest.UsageError(f"--kata {opt.kata}: no such kata. Known: "
                                + ", ".join(k.name for k in table.KATAS))
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        mode.state_file = workerinput["dojo_state"]
    else:
        fd, mode.state_file = tempfile.mkstemp(prefix="dojo-state-")
        os.close(fd)
    mode.root = root
    mode.lang = lang
    mode.all_katas = bool(opt.all_katas)
    config.stash[MODE] = mode
    config.addinivalue_line("markers", "harness: a test of the harness itself")


def _start_grading(config) -> str:
    """Check the grading options, copy each submission's kata files, and register the grader."""
    opt = config.option
    single = bool(opt.grade)
    if not opt.grade_out:
        raise pytest.UsageError(f"{'--grade' if single else '--grade-class'} needs --grade-out OUT: the folder "
                                "where the reports go (it is made if need be).")
    given = os.path.abspath(opt.grade or opt.grade_class)
    students = grade.students_of(given, single)
    out = os.path.abspath(opt.grade_out)
    if out == given or out.startswith(given + os.sep):
        raise pytest.UsageError(f"--grade-out {opt.grade_out} lies inside the submissions: choose a folder "
                                "outside them (the reports must not mix with what is graded).")
    # Collect the dojo's own tests only: never a folder of the submissions, whose conftest.py
    # pytest would import into this very process.
    tests = os.path.join(str(config.rootpath), "tests")
    if config.args_source is pytest.Config.ArgsSource.ARGS:
        outside = [a for a in config.args if not os.path.abspath(a.split("::")[0]).startswith(tests)]
        if outside:
            raise pytest.UsageError(f"grading runs the dojo's own tests only; {outside[0]} is not in {tests}. "
                                    "Leave the paths out, or choose with --kata N or -k.")
    elif config.args_source is not pytest.Config.ArgsSource.TESTPATHS:
        raise pytest.UsageError(f"run the grader from the dojo's folder, so that it collects its own tests "
                                f"and nothing else:  cd {config.rootpath} && pytest --grade…")
    grader = grade.Grader(config, students, out, single)
    if not hasattr(config, "workerinput"):  # once, in the controller: workers read the copies
        for s in students:
            folder = grader.folder(s.name)
            shutil.rmtree(folder, ignore_errors=True)
            grade.stage(s, folder)
    config.pluginmanager.register(grader, "dojo-grader")
    # Each failure is told in full in the reports; on the terminal, a class's failures would only flood it.
    config.option.tbstyle, config.option.reportchars = "no", "N"
    return out


def pytest_configure_node(node):  # xdist, in the controller: share the state file
    mode = _mode(node.config)
    if mode:
        node.workerinput["dojo_state"] = mode.state_file


def pytest_unconfigure(config):
    mode = _mode(config)
    if mode is None:
        return
    sweep(SESSION, prefix=True)  # the last net: nothing of this session survives it
    sweep_orphans()  # nor of an earlier session that was killed before it could clean up
    residue.sweep(SESSION)  # then what their runs left in /dev/shm and the temp folder
    if not hasattr(config, "workerinput"):
        try:
            os.remove(mode.state_file)
        except OSError:
            pass


# -- collection ---------------------------------------------------------------


kata_of = table.of_test_file


def pytest_ignore_collect(collection_path, config):
    mode = _mode(config)
    if mode is None:
        return None
    path = str(collection_path)
    harness = os.path.join(mode.root, "tests", "harness")
    if path.startswith(os.path.join(mode.root, "tests", "wrong")):
        return True
    given = any(os.path.abspath(str(a).split("::")[0]).startswith(harness) for a in config.args)
    if path.startswith(harness) and not given:
        if mode.name == "verify":
            return not (os.path.isdir(path) or path.endswith("test_authoring.py"))
        return mode.name != "solutions"
    return None


def pytest_collection_modifyitems(config, items):
    if _mode(config) is None:
        return
    only = table.find(config.option.kata) if config.option.kata else None
    keep, dropped = [], []
    for item in items:
        kata = kata_of(item.path)
        if kata:
            item.stash[KATA] = kata
            if kata.gate:
                item.add_marker(pytest.mark.skip(reason=f"kata {kata.number} {kata.gate}"))
        else:
            item.add_marker(pytest.mark.harness)
        (dropped if only and kata is not only else keep).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    # Katas in order; the harness's own tests after them. sort() is stable.
    keep.sort(key=lambda i: i.stash[KATA].number if KATA in i.stash else "99")
    items[:] = keep


# -- the learner's path: stop at the first failing test --------------------------


def _first_failing(mode: Mode) -> str | None:
    try:
        with open(mode.state_file) as f:
            numbers = f.read().split()
    except OSError:
        return None
    return min(numbers) if numbers else None


def pytest_runtest_setup(item):
    mode = _mode(item.config)
    kata = item.stash.get(KATA, None)
    if mode is None or mode.name != "learner" or kata is None or item.config.option.kata or mode.all_katas:
        return
    first = _first_failing(mode)
    if first and (kata.number > first or (kata.number == first and not hasattr(item.config, "workerinput"))):
        pytest.skip(AHEAD)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    kata = item.stash.get(KATA, None)
    mode = _mode(item.config)
    if mode is None or kata is None or call.when != "call":
        return report
    if mode.name == "verify":
        _verify_report(report, call, kata, mode.target_dir)
    elif report.failed and mode.name == "learner":
        with open(mode.state_file, "a") as f:
            f.write(kata.number + "\n")
    return report


def _verify_report(report, call, kata, mode_dir) -> None:
    """In verify mode a test passes when the stub fails it for the declared reason."""
    exc = call.excinfo.value if call.excinfo else None
    stub = os.path.relpath(os.path.join(mode_dir, kata.file), os.getcwd())
    declared = kata.failure + (f" in {kata.failure_call}()" if kata.failure_call else "")
    fix = (f"Fix the stub, or the declared failure of kata {kata.number} in dojo/katas.py "
           f"(failure={kata.failure!r}, failure_call={kata.failure_call!r}).")
    if exc is None:
        report.outcome, report.longrepr = "failed", (
            f"stub {stub} passes this test, but a stub must fail every test of its kata ({declared}). {fix}")
        return
    if not isinstance(exc, KataFailed):
        return  # a broken test: keep its own failure
    verdict = exc.verdict
    got = verdict.status.value
    call_ok = not kata.failure_call or _blocked_in(verdict, kata.failure_call)
    if got == kata.failure and call_ok:
        report.outcome, report.longrepr = "passed", None
        report.sections.append(("dojo", f"stub fails as declared: {verdict.first.headline}"))
    else:
        report.longrepr = (f"stub {stub} should fail this test with {declared}, but it failed with:\n"
                           f"    {verdict.first.headline}\n{fix}")


def _blocked_in(verdict: Verdict, call: str) -> bool:
    head = verdict.first.headline if verdict.first else ""
    return f".{call}(" in head or f" {call}(" in head


def pytest_report_teststatus(report, config):
    if _mode(config) and report.skipped and isinstance(report.longrepr, tuple) and report.longrepr[2].endswith(AHEAD):
        return "ahead", "_", "AHEAD"
    return None


# -- the fixture kata tests use --------------------------------------------------


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
        if self.grader:
            props.append(("dojo_output", run.stdout + run.stderr))
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
            again = f"pytest --hint {k.number}" if self.request.config.option.kata else "pytest --hint"
            step = (say(lang, f"That was hint 1 of {len(k.hints)}. The next one:  {again}",
                        f"这是第 1 条提示，共 {len(k.hints)} 条。下一条：{again}") if len(k.hints) > 1 else "")
        else:
            step = say(lang, f"File: {where}", f"文件：{where}")
        text = render(verdict, title=title, hints=k.hints, next_step=step, lang=lang)
        note = "\n".join(n for n in (exit_note(verdict, lang), output_note(verdict, lang)) if n)
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


# -- the end of the session: progress table and results -------------------------


def _kata_outcomes(reports) -> dict[str, list]:
    out: dict[str, list] = {}
    for r in reports:
        kata = kata_of(r.fspath) if hasattr(r, "fspath") else None
        if kata and (r.when == "call" or (r.when == "setup" and not r.passed)):
            out.setdefault(kata.number, []).append(r)
    return out


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    config = session.config
    mode = _mode(config)
    if mode is None or hasattr(config, "workerinput"):
        return
    tr = config.pluginmanager.get_plugin("terminalreporter")
    if tr is None:
        return
    if mode.name == "learner" and not mode.all_katas:
        # Under xdist several katas ran at once: only the first failing one is shown in full.
        failed = [r for r in tr.stats.get("failed", []) if kata_of(getattr(r, "fspath", ""))]
        if failed:
            first = min(kata_of(r.fspath).number for r in failed)
            later = [r for r in failed if kata_of(r.fspath).number > first]
            if later:
                tr.stats["failed"] = [r for r in tr.stats["failed"] if r not in later]
                tr.stats.setdefault("ahead", []).extend(later)
    if config.option.results:
        _write_results(config.option.results, tr, mode)


def _table_rows(mode: Mode, outcomes: dict, only: table.Kata | None) -> tuple[list, table.Kata | None, dict]:
    """(mark, kata, state) per kata, the current kata, and the counts for the summary line."""
    lang, verify = mode.lang, mode.name == "verify"
    rows, current = [], None
    counts = {"done": 0, "skipped": 0}
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
        elif rs and passed == len(rs):
            counts["done"] += 1
            mark, state = "✓", (say(lang, "the stub fails every test as declared", "练习起点按声明失败")
                                if verify else say(lang, "done", "完成"))
        elif only is not None and k is not only:
            mark, state = "·", say(lang, "not run this time", "这次没有运行")
        else:
            mark, state = "·", (say(lang, "ahead", "还没轮到") if mode.name == "learner"
                                else say(lang, "not run", "没有运行"))
        rows.append((mark, k, state))
    return rows, current, counts


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    tr = terminalreporter
    mode = _mode(config)
    if mode is None or mode.name == "grade":  # grades go to their reports; a class has no one progress
        return
    reports = [r for key in ("passed", "failed", "skipped", "ahead", "error") for r in tr.stats.get(key, [])]
    outcomes = _kata_outcomes(reports)
    if not outcomes:
        return
    lang, verify = mode.lang, mode.name == "verify"
    only = table.find(config.option.kata) if config.option.kata else None
    rows, current, counts = _table_rows(mode, outcomes, only)
    tr.section(say(lang, "Deadlock Dojo · stubs", "Deadlock Dojo · 练习起点") if verify
               else say(lang, "Deadlock Dojo · progress", "Deadlock Dojo · 进度"), sep="=")
    titles = [learner.title(k, lang) for _, k, _ in rows]
    column = max([learner.width(t) for t in titles] + [10]) + 2
    slugs = max(len(k.slug) for _, k, _ in rows) + 2
    for (mark, k, state), name in zip(rows, titles):
        tr.write_line(f" {mark} {k.number} {k.slug:<{slugs}}{learner.pad(name, column)}{state}")
    total = len(table.KATAS)
    if not verify:
        line = say(lang, f"{counts['done']} of {total} katas done", f"已完成 {counts['done']} / {total} 个练习")
        if counts["skipped"]:
            line += say(lang, f" · {counts['skipped']} skipped on this Python", f" · 本机 Python 跳过 {counts['skipped']} 个")
        tr.write_line("")
        tr.write_line(line)
    if mode.name != "learner":
        return
    # Remember the current kata for `pytest --hint`: only from the learner's own katas, and a --kata run
    # that passes says nothing about which kata is current.
    if mode.target_dir == os.path.join(mode.root, "katas") and (current or not config.option.kata):
        learner.remember_run(mode.root, current.number if current else None, hint_shown=current is not None)
    tr.write_line("")
    tr.write_line(_next_step(mode, config, current, outcomes))


def _next_step(mode: Mode, config, current: table.Kata | None, outcomes: dict) -> str:
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
    if config.option.kata:
        k = table.find(config.option.kata)
        return say(lang, f"Kata {k.number} passes. Next: run  pytest  to go on.",
                   f"练习 {k.number} 通过了。下一步：运行 pytest 继续。")
    return say(lang, "Every kata here passes. Well done!", "所有练习都通过了，做得好！")


def _write_results(path: str, tr, mode: Mode) -> None:
    """One JSON object per test, in kata order: for instructors and grading scripts."""
    tests = []
    for key in ("passed", "failed", "skipped", "ahead", "error"):
        for r in tr.stats.get(key, []):
            # a test's outcome: its call, or the setup that skipped or broke it
            if not hasattr(r, "nodeid") or (key in ("passed", "failed") and r.when != "call"):
                continue
            props = dict(getattr(r, "user_properties", []))
            kata = kata_of(r.fspath)
            tests.append({"nodeid": r.nodeid, "kata": kata.number if kata else None, "outcome": key,
                          "status": props.get("dojo_status", "PASS" if key == "passed" else None),
                          "headline": props.get("dojo_headline"), "duration": round(r.duration, 3)})
    tests.sort(key=lambda t: (t["kata"] or "99", t["nodeid"]))
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"mode": mode.name, "target": mode.target_dir, "created": time.time(), "tests": tests}, f, indent=1)
