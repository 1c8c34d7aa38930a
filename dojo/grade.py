"""Grading: one submission (``--grade DIR``) or a whole class (``--grade-class DIR``).

The same kata tests learners run, against each student's files, every kata,
with no stop at the first failure. Each kata test is parametrized once per
student, so ``-n auto`` spreads a class over the cores. At the end of the
session the controller writes, per student, ``OUT/<student>/``:

- ``gradescope.json``: Gradescope's ``results.json`` shape;
- ``results.json``: Exercism test-runner v3, plus ``max_score`` and per-test
  ``score`` (what GitHub Classroom's grading reporter sums);
- ``junit.xml``;
- ``summary.md``: one line per kata, its class and first line;
- ``submission/``: the kata files that were graded, exactly as run;

and, for a class, ``OUT/grades.csv``: one row per student, one column per kata.

Only files named like a kata file are copied out of a submission (so a
planted ``conftest.py`` or test file is never seen by pytest), and every run
is contained (dojo/contain.py). The reports are written whatever happened to
the runs: a missing report would read as "the grader failed".
"""
from __future__ import annotations

import csv
import inspect
import json
import os
import shutil
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pytest

from dojo import katas as table
from dojo.contain import landlock_abi

MAX_FILE = 1 << 20  # bytes: a kata file larger than this is not copied (it is no kata)
MESSAGE_LIMIT = 8000  # characters of a report kept per test
OUTPUT_LIMIT = 500  # characters of the learner's output per test (Exercism's rule)
FILES = ("gradescope.json", "results.json", "junit.xml", "summary.md")


def cut(text: str, limit: int) -> str:
    """``text``, or its start and an explicit notice of what was cut."""
    if len(text) <= limit:
        return text
    notice = f"\n[… {len(text) - limit} more characters cut: the full text is in junit.xml …]"
    return text[: limit - len(notice)] + notice


@dataclass
class Student:
    name: str
    source: str  # the folder handed in
    found: list[str] = field(default_factory=list)  # kata files copied for grading
    ignored: list[str] = field(default_factory=list)  # everything else in the folder


@dataclass
class Test:
    """One test's outcome for one student."""

    order: int  # place in collection order: the tests' file order
    kata: str
    name: str
    status: str  # passed | failed | error | skipped
    dojo_status: str  # PASS, HANG, … or MISSING
    headline: str
    message: str
    output: str
    test_code: str
    duration: float


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
        return os.path.join(self.out, student, "submission") if not self.single else os.path.join(self.out, "submission")

    def report_dir(self, student: str) -> str:
        return self.out if self.single else os.path.join(self.out, student)

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
            except (OSError, TypeError):
                code = ""
            # The test's name without the student: the same for everyone, so scores and reports line up.
            params = "-".join(str(v) for k, v in item.callspec.params.items() if k != "dojo_student")
            name = item.originalname + (f" [{params}]" if params else "")
            report.user_properties += [("dojo_student", student), ("dojo_order", item.stash[ORDER]),
                                       ("dojo_test_code", code), ("dojo_test_name", name)]
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
        if report.when == "call" or (report.failed and seen is None) or (report.skipped and seen is None):
            status = ("passed" if report.passed else "skipped" if report.skipped
                      else "failed" if props.get("dojo_status") else "error")
            text = "" if report.passed else _text(report)
            self.tests[student][report.nodeid] = Test(
                order=props.get("dojo_order", 10**6), kata=kata.number,
                name=props.get("dojo_test_name") or report.nodeid.split("::")[-1], status=status,
                dojo_status=props.get("dojo_status", "PASS" if report.passed else "ERROR"),
                headline=props.get("dojo_headline", "") if not report.passed else "",
                message=text, output=props.get("dojo_output", ""), test_code=props.get("dojo_test_code", ""),
                duration=round(report.duration, 3))
        elif report.failed and seen and seen.status == "passed":  # a teardown broke a passed test
            seen.status, seen.message = "error", _text(report)

    # -- writing ------------------------------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        if hasattr(self.config, "workerinput"):
            return
        self.write_all()
        # A failing test is a grade, not a failure of the grader: CI steps and autograders go on to
        # read the reports. Anything else (a usage error, an interrupted or broken session) keeps its code.
        if session.exitstatus == pytest.ExitCode.TESTS_FAILED:
            session.exitstatus = pytest.ExitCode.OK

    def write_all(self) -> None:
        points = _points(self.tests)
        rows = []
        for s in self.students:
            tests = sorted(self.tests[s.name].values(), key=lambda t: (t.kata, t.order, t.name))
            graded = _score(tests, points)
            folder = self.report_dir(s.name)
            os.makedirs(folder, exist_ok=True)
            write(folder, s, tests, graded, time.time() - self.started)
            rows.append((s.name, graded))
        if not self.single:
            write_csv(os.path.join(self.out, "grades.csv"), rows)
        tr = self.config.pluginmanager.get_plugin("terminalreporter")
        if tr:
            tr.write_line("")
            for name, g in rows:
                tr.write_line(f"graded {name}: {g['score']:g} of {g['max']:g} points")
            tr.write_line(f"Reports: {self.out}" + ("" if self.single else "  (one folder per student, and grades.csv)"))


ORDER = pytest.StashKey[int]()


def _student_of(item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("dojo_student") if callspec else None


def _text(report) -> str:
    if report.skipped and isinstance(report.longrepr, tuple):
        return report.longrepr[2]
    text = report.longreprtext or ""
    if text.startswith("[gw"):  # xdist's "[gw0] linux -- Python …" line: about the grader, not the student
        text = text.split("\n", 1)[-1]
    return cut(text, MESSAGE_LIMIT)


def _points(tests: dict[str, dict[str, Test]]) -> dict[tuple[str, str], float]:
    """Each graded test's worth, by (kata, test name): its kata's points shared in whole cents.

    Cents, so that a kata's tests add up to exactly its points (10 over 3
    tests: 3.34, 3.33, 3.33), and every student's tests weigh the same.
    """
    first: dict[str, dict[str, int]] = {}  # kata -> test name -> its first place in collection order
    for per in tests.values():
        for t in per.values():
            if t.status != "skipped":
                names = first.setdefault(t.kata, {})
                names[t.name] = min(names.get(t.name, t.order), t.order)
    worth = {}
    for kata, names in first.items():
        cents, n = table.BY_NUMBER[kata].points * 100, len(names)
        for i, name in enumerate(sorted(names, key=names.get)):
            worth[(kata, name)] = (cents // n + (1 if i < cents % n else 0)) / 100
    return worth


def _score(tests: list[Test], points: dict[tuple[str, str], float]) -> dict:
    per_kata = {}
    for k in table.KATAS:
        mine = [t for t in tests if t.kata == k.number and t.status != "skipped"]
        if not mine:
            continue
        passed = [t for t in mine if t.status == "passed"]
        per_kata[k.number] = {"score": round(sum(points[(t.kata, t.name)] for t in passed), 2), "max": k.points,
                              "passed": len(passed), "tests": len(mine),
                              "first": next((t for t in mine if t.status != "passed"), None)}
    return {"katas": per_kata, "score": round(sum(v["score"] for v in per_kata.values()), 2),
            "max": sum(v["max"] for v in per_kata.values()), "points": points}


def write(folder: str, student: Student, tests: list[Test], graded: dict, elapsed: float) -> None:
    """The four reports for one student. Each is written whole, or not at all (a temporary file, then a rename)."""
    points = graded["points"]
    kata_index = {k.number: i for i, k in enumerate(table.KATAS, 1)}
    summary = summary_md(student, tests, graded)
    gradescope = {
        "score": graded["score"], "max_score": graded["max"], "execution_time": round(elapsed, 1),
        "output": summary, "output_format": "md", "visibility": "visible", "stdout_visibility": "visible",
        "tests": [{"name": f"{t.kata} · {t.name}", "number": f"{int(t.kata)}.{i}",
                   "score": _test_score(t, points), "max_score": points[(t.kata, t.name)],
                   "status": "passed" if t.status == "passed" else "failed",
                   "output": t.message, "tags": [table.BY_NUMBER[t.kata].name, t.dojo_status],
                   "visibility": "visible"}
                  for i, t in _numbered(tests) if t.status != "skipped"],
    }
    exercism = {
        "version": 3,
        "status": "error" if not tests else ("pass" if all(t.status in ("passed", "skipped") for t in tests) else "fail"),
        "message": None if tests else "No test ran for this submission: see the grader's log.",
        "max_score": graded["max"], "score": graded["score"],
        "tests": [{"name": f"{t.kata} · {t.name}", "status": {"passed": "pass", "failed": "fail"}.get(t.status, "error"),
                   "message": t.message or None, "output": cut(t.output, OUTPUT_LIMIT) or None,
                   "test_code": t.test_code, "task_id": kata_index[t.kata],
                   "score": _test_score(t, points), "max_score": points[(t.kata, t.name)]}
                  for t in tests if t.status != "skipped"],
    }
    files = {"gradescope.json": json.dumps(gradescope, indent=1, ensure_ascii=False),
             "results.json": json.dumps(exercism, indent=1, ensure_ascii=False),
             "junit.xml": junit(student, tests), "summary.md": summary}
    for name, text in files.items():
        tmp = os.path.join(folder, f".{name}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, os.path.join(folder, name))


def _numbered(tests: list[Test]):
    """(number within its kata, test): Gradescope's "1.3" is kata 1, test 3."""
    seen: dict[str, int] = {}
    for t in tests:
        seen[t.kata] = seen.get(t.kata, 0) + 1
        yield seen[t.kata], t


def _test_score(t: Test, points: dict[tuple[str, str], float]) -> float:
    return points[(t.kata, t.name)] if t.status == "passed" else 0


def summary_md(student: Student, tests: list[Test], graded: dict) -> str:
    lines = [f"# {student.name}: {graded['score']:g} of {graded['max']:g} points", "",
             "| kata | points | tests passed | what failed first |", "|---|---|---|---|"]
    for k in table.KATAS:
        g = graded["katas"].get(k.number)
        if g is None:
            skipped = [t for t in tests if t.kata == k.number]
            reason = skipped[0].message if skipped else "not run"
            lines.append(f"| {k.name} | not graded | – | {_cell(reason)} |")
            continue
        first = g["first"]
        what = "" if first is None else _cell(first.headline or first.message.splitlines()[0] if first.message else first.dojo_status)
        lines.append(f"| {k.name} | {g['score']:g} / {g['max']:g} | {g['passed']} / {g['tests']} | {what} |")
    missing = [k.file for k in table.KATAS if k.file not in student.found]
    if missing:
        lines += ["", f"Not handed in (0 points): {', '.join(missing)}"]
    if student.ignored:
        shown = student.ignored[:20]
        more = f" and {len(student.ignored) - 20} more" if len(student.ignored) > 20 else ""
        lines += ["", f"Not graded (not kata files; never run): {', '.join(shown)}{more}"]
    lines += ["", f"Graded by Deadlock Dojo on Python {sys.version.split()[0]}; every run contained"
              + (f" (rlimits, Landlock ABI {landlock_abi()})." if landlock_abi() else " (rlimits; no Landlock on this kernel).")]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return cut(text.replace("|", "\\|").replace("\n", " "), 200)


def junit(student: Student, tests: list[Test]) -> str:
    suite = ET.Element("testsuite", name=student.name, tests=str(len(tests)),
                       failures=str(sum(t.status == "failed" for t in tests)),
                       errors=str(sum(t.status == "error" for t in tests)),
                       skipped=str(sum(t.status == "skipped" for t in tests)),
                       time=f"{sum(t.duration for t in tests):.3f}")
    for t in tests:
        case = ET.SubElement(suite, "testcase", classname=f"katas.{table.BY_NUMBER[t.kata].name}", name=t.name,
                             time=f"{t.duration:.3f}")
        if t.status in ("failed", "error"):
            ET.SubElement(case, "failure" if t.status == "failed" else "error",
                          message=t.headline or t.dojo_status, type=t.dojo_status).text = t.message
        elif t.status == "skipped":
            ET.SubElement(case, "skipped", message=t.message)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_csv(path: str, rows: list) -> None:
    numbers = [k.number for k in table.KATAS]
    tmp = path + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student"] + [k.name for k in table.KATAS] + ["total", "max"])
        for name, g in rows:
            w.writerow([name] + [f"{g['katas'][n]['score']:g}" if n in g["katas"] else "" for n in numbers]
                       + [f"{g['score']:g}", f"{g['max']:g}"])
    os.replace(tmp, path)
