"""Grading: one submission (``--grade DIR``) or a whole class (``--grade-class DIR``): the pytest side.

The same kata tests learners run, against each student's files, every kata,
with no stop at the first failure. Each kata test is parametrized once per
student, so ``-n auto`` spreads a class over the cores. ``python -m dojo
grade`` and ``grade-class`` (dojo/grading/command.py) call pytest with these
options, written so that pytest cannot read anything of the submissions.

The kata files of each submission are copied into ``OUT/.staging/`` and run
from there; nothing else of a submission is copied, so a planted
``conftest.py`` or test file is never seen by pytest. Every run is contained
(dojo/contain.py). At the end of the session the controller writes, for each
student that had a test selected (and only those: a regrading of one student
leaves the others' files as they were), ``OUT/<student>/``:
``gradescope.json``, ``results.json`` (Exercism v3), ``classroom.json``
(GitHub Classroom), ``junit.xml``, ``summary.md``, ``record.json`` (what
the reports are made from, merged over regradings: dojo/grading/record.py) and
``submission/`` (the kata files as graded). A class also gets ``grades.csv``,
``class.html``, ``class.md`` and a class-wide ``junit.xml``, made from every
student's record. The reports are written whatever happened to the runs.
"""
from __future__ import annotations

import filecmp
import inspect
import os
import shutil
import time

import pytest

from dojo import katas as table
from dojo.grading import classpage, classroom, exercism, gradebook, gradescope, junit, record, summary
from dojo.grading.record import Student, Test
from dojo.grading.scores import number, score
from dojo.grading.text import cut, scrub
from dojo.lang import choose
from dojo.run import ROOT

MAX_FILE = 1 << 20  # bytes: a kata file larger than this is not copied (it is no kata)
MESSAGE_LIMIT = 8000  # characters of a report kept per test
STAGING = ".staging"  # in OUT: the kata files being graded, while the session runs
FILES = ("gradescope.json", "results.json", "classroom.json", "junit.xml", "summary.md")

__all__ = ["Student", "Test", "Grader", "students_of", "stage", "cut"]


def students_of(option: str, single: bool) -> list[Student]:
    folder = os.path.abspath(option)
    if not os.path.isdir(folder):
        raise pytest.UsageError(f"{option}: there is no such folder. Give the folder that holds "
                                + ("the student's kata files (01_sentinel.py, …)." if single
                                   else "one folder per student."))
    if single:
        return [Student(os.path.basename(folder.rstrip(os.sep)) or "submission", folder)]
    names = sorted(n for n in os.listdir(folder) if not n.startswith(".") and os.path.isdir(os.path.join(folder, n)))
    if not names:
        raise pytest.UsageError(f"{option} holds no student folders. Lay it out as {option}/<student>/01_sentinel.py, …")
    return [Student(n, os.path.join(folder, n)) for n in names]


def stage(student: Student, into: str) -> None:
    """Copy the student's kata files, and nothing else, into ``into``."""
    os.makedirs(into, exist_ok=True)
    wanted = {k.file for k in table.KATAS}
    for root, dirs, files in os.walk(student.source):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, student.source)
            # Regular files only, at the top or in a katas/ folder: a symlink could point anywhere.
            top = os.path.dirname(rel) in ("", "katas")
            regular = os.path.isfile(path) and not os.path.islink(path)  # not a FIFO either: reading one would block
            if name in wanted and top and regular and os.path.getsize(path) <= MAX_FILE and name not in student.found:
                shutil.copyfile(path, os.path.join(into, name))
                student.found.append(name)
            else:
                student.ignored.append(rel)
    student.found.sort()


def containment(props: dict) -> list[str]:
    """What the fence or the limits stopped in this run, in words for the class page."""
    said = []
    limit = props.get("dojo_limit")
    if props.get("dojo_outcome") == "limit" and limit:
        # the limit, not the count reached: that depends on how fast the warden looked
        said.append(f"a fork swarm: over {limit['max']} processes at once" if limit.get("what") == "processes"
                    else f"a memory hog: over {limit['max']} MB")
    output = props.get("dojo_output") or ""
    if "[Errno 27]" in output:
        said.append("printed past the output cap")
    if "PermissionError" in output and "[Errno 13]" in output:
        said.append("tried to write outside its run (refused)")
    if "PermissionError" in output and "[Errno 1]" in output:
        said.append("tried to signal a process outside its run (refused)")
    if (props.get("dojo_headline") or "").startswith("CRASH: the run's watcher was killed"):
        said.append("killed the run's watcher")
    return said


class Grader:
    """The grading plugin: registered by dojo/modes.py when --grade or --grade-class is given."""

    def __init__(self, config, students: list[Student], out: str, single: bool):
        self.config = config
        self.students = students
        self.out = out
        self.single = single
        self.tests: dict[str, dict[str, Test]] = {s.name: {} for s in students}
        self.started = time.time()

    # -- where each student's files are ---------------------------------------

    def folder(self, student: str) -> str:
        """Where the student's kata files are staged and run from (dojo/modes.py copies them there)."""
        return os.path.join(self.out, STAGING, student)

    def report_dir(self, student: str) -> str:
        return self.out if self.single else os.path.join(self.out, student)

    def class_dir(self) -> str | None:
        """The class folder whose grades.csv and class page this grading updates, if any.

        ``grade DIR/dave --out CLASS/dave``: a single grading into a class's folder updates the class files too.
        """
        if not self.single:
            return self.out
        parent = os.path.dirname(self.out.rstrip(os.sep))
        return parent if os.path.exists(os.path.join(parent, "grades.csv")) else None

    # -- collection: every kata test once per student ---------------------------

    def pytest_generate_tests(self, metafunc):
        if "dojo_student" in metafunc.fixturenames:
            names = [s.name for s in self.students]
            metafunc.parametrize("dojo_student", names, ids=names)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        # Student by student, each in kata order; the index is the tests' file order in the reports.
        rank = {s.name: i for i, s in enumerate(self.students)}
        for i, item in enumerate(items):
            item.stash[ORDER] = i
        items.sort(key=lambda it: rank.get(_student_of(it), -1))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        student = _student_of(item)
        if student is not None and ORDER in item.stash:
            function = getattr(item, "function", None)
            try:
                code = inspect.getsource(function) if function else ""
                line = function.__code__.co_firstlineno if function else 0
            except (OSError, TypeError, AttributeError):
                code, line = "", 0
            # The test's name without the student: the same for everyone, so scores and reports line up.
            params = "-".join(str(v) for k, v in item.callspec.params.items() if k != "dojo_student")
            name = item.originalname + (f" [{params}]" if params else "")
            props = dict(report.user_properties)
            report.user_properties += [("dojo_student", student), ("dojo_order", item.stash[ORDER]),
                                       ("dojo_test_code", code), ("dojo_test_name", name), ("dojo_line", line),
                                       ("dojo_flags", containment(props))]
        return report

    # -- results, as they come in (under xdist, in the controller) -------------------

    def pytest_runtest_logreport(self, report):
        if hasattr(self.config, "workerinput"):
            return
        props = dict(report.user_properties)
        student = props.get("dojo_student")
        kata = table.of_test_file(report.nodeid)
        if student not in self.tests or kata is None:
            return
        seen = self.tests[student].get(report.nodeid)
        grader_paths = (self.folder(student), self.out, ROOT)
        if report.when == "call" or (report.failed and seen is None) or (report.skipped and seen is None):
            status = ("passed" if report.passed else "skipped" if report.skipped
                      else "failed" if props.get("dojo_status") else "error")
            text = "" if report.passed else scrub(_text(report), *grader_paths)
            self.tests[student][report.nodeid] = Test(
                order=props.get("dojo_order", 10**6), kata=kata.number,
                name=props.get("dojo_test_name") or report.nodeid.split("::")[-1], status=status,
                dojo_status=props.get("dojo_status", "PASS" if report.passed else "ERROR"),
                headline=scrub(props.get("dojo_headline", ""), *grader_paths) if not report.passed else "",
                message=text, output=scrub(props.get("dojo_stdout") or "", *grader_paths),
                test_code=props.get("dojo_test_code", ""), duration=round(report.duration, 3),
                line_no=props.get("dojo_line", 0) or 0, flags=list(props.get("dojo_flags") or []))
        elif report.failed and seen and seen.status == "passed":  # a teardown broke a passed test
            seen.status, seen.message = "error", scrub(_text(report), *grader_paths)

    # -- writing ------------------------------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        if hasattr(self.config, "workerinput"):
            return
        try:
            self.write_all()
        finally:
            shutil.rmtree(os.path.join(self.out, STAGING), ignore_errors=True)
        # A failing test is a grade, not a failure of the grader: CI steps and autograders go on to
        # read the reports. Anything else (a usage error, an interrupted or broken session) keeps its code.
        if session.exitstatus == pytest.ExitCode.TESTS_FAILED:
            session.exitstatus = pytest.ExitCode.OK

    def lang(self) -> str:
        try:
            return choose(self.config.option.lang)
        except ValueError:  # dojo/modes.py refused it before any test ran; never reached
            return "en"

    def provenance(self) -> dict:
        opt = self.config.option
        return record.provenance(ROOT, [str(a) for a in self.config.invocation_params.args], opt.keyword, opt.kata)

    def write_all(self) -> None:
        grading = self.provenance()
        elapsed = time.time() - self.started
        lines = []
        for s in self.students:
            tests = list(self.tests[s.name].values())
            if not tests:  # not selected this time (-k, --kata): its files stay exactly as they were
                continue
            staged = self.folder(s.name)
            s.stubs = [f for f in s.found if _same(os.path.join(staged, f), os.path.join(ROOT, "katas", f))]
            folder = self.report_dir(s.name)
            os.makedirs(folder, exist_ok=True)
            merged = record.merge(record.load(folder), s, tests, grading)
            graded = write(folder, merged, elapsed, self.lang())
            _submission(folder, staged, {t.kata for t in tests})
            lines.append(f"graded {s.name}: {number(graded['score']):g} of {number(graded['max']):g} points")
        where = self.class_dir()
        if where and lines:
            write_class(where, grading)
        tr = self.config.pluginmanager.get_plugin("terminalreporter")
        if tr:
            tr.write_line("")
            for line in lines or ["graded nobody: no test was selected"]:
                tr.write_line(line)
            tr.write_line(f"Reports: {self.out}" + (f"  (the class: {where}/class.html, grades.csv)" if where else ""))


ORDER = pytest.StashKey[int]()


def _same(a: str, b: str) -> bool:
    try:
        return filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


def _submission(folder: str, staged: str, regraded: set[str]) -> None:
    """``submission/``: the kata files as graded; only the katas graded now are replaced."""
    into = os.path.join(folder, "submission")
    os.makedirs(into, exist_ok=True)
    for k in table.KATAS:
        if k.number not in regraded:
            continue
        src, dst = os.path.join(staged, k.file), os.path.join(into, k.file)
        if os.path.exists(src):
            if not _same(src, dst):
                shutil.copyfile(src, dst)
        elif os.path.exists(dst):
            os.remove(dst)


def _student_of(item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("dojo_student") if callspec else None


def _text(report) -> str:
    if report.skipped and isinstance(report.longrepr, tuple):
        return report.longrepr[2]
    text = report.longreprtext or ""
    if text.startswith("[gw"):  # xdist's "[gw0] linux -- Python …" line: about the grader, not the student
        text = text.split("\n", 1)[-1]
    return cut(text, MESSAGE_LIMIT, "characters of this report")


def _put(folder: str, name: str, text: str) -> None:
    """Written whole or not at all (a temporary file, then a rename); an unchanged file is left untouched."""
    path = os.path.join(folder, name)
    try:
        with open(path, encoding="utf-8", newline="") as f:
            if f.read() == text:
                return
    except (OSError, UnicodeDecodeError):
        pass
    tmp = os.path.join(folder, f".{name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="", errors="backslashreplace") as f:  # a folder name
        f.write(text)  # that is not UTF-8 must not cost the student their reports
    os.replace(tmp, path)


def write(folder: str, rec: record.Record, elapsed: float, lang: str = "en") -> dict:
    """The reports of one student, from the record, in the students' language; returns the score."""
    graded = score(rec.tests)
    text = summary.render(rec, graded, lang)
    files = {"gradescope.json": gradescope.render(rec, graded, text, elapsed),
             "results.json": exercism.render(rec, lang), "classroom.json": classroom.render(rec, graded),
             "junit.xml": junit.render([rec]), "summary.md": text, record.RECORD: record.save(folder, rec)}
    for name, content in files.items():
        _put(folder, name, content)
    return graded


def write_class(out: str, grading: dict) -> None:
    """The class files, from every student's record in ``out``."""
    records = record.class_records(out)
    _put(out, "grades.csv", gradebook.render(records))
    _put(out, "class.md", classpage.markdown(records, grading))
    _put(out, "class.html", classpage.page(records, grading))
    _put(out, "junit.xml", junit.render(records, prefix=True))
