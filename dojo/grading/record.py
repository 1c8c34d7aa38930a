"""A student's record: every test's outcome, kept in ``record.json`` beside the reports.

Every report is written from the record, never from the session alone, so a
regrading of one kata (``--kata 03``) or one student (``-k dave``) merges into
what earlier gradings found: the tests that ran now replace the same tests of
before, and the rest is kept. The reports of a student nobody regraded are
not written at all, so they stay byte for byte as they were.

Provenance: each grading that went into a record is listed in it (when, which
dojo, which Python, the options and the selection), and every report says so.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field, fields

from dojo import katas as table

RECORD = "record.json"


@dataclass
class Student:
    name: str
    source: str  # the folder handed in
    found: list[str] = field(default_factory=list)  # kata files copied for grading
    ignored: list[str] = field(default_factory=list)  # everything else in the folder
    stubs: list[str] = field(default_factory=list)  # kata files handed in exactly as the dojo's stubs


@dataclass
class Test:
    """One test's outcome for one student."""

    __test__ = False  # a record, not a test class for pytest to collect
    order: int  # place in collection order: the tests' file order
    kata: str
    name: str
    status: str  # passed | failed | error | skipped
    dojo_status: str  # PASS, HANG, … or MISSING
    headline: str
    message: str
    output: str  # what the student's program printed (stdout), grader paths taken out
    test_code: str
    duration: float
    line_no: int = 0  # the test function's line in its file
    flags: list[str] = field(default_factory=list)  # what containment stopped (see dojo/grade.py)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kata, self.name)


@dataclass
class Record:
    student: Student
    tests: list[Test]
    gradings: list[dict]  # provenance of each grading merged in, oldest first

    @property
    def provenance(self) -> dict:
        return self.gradings[-1] if self.gradings else {}


def _dojo_version(root: str) -> str:
    """The dojo's git commit (with ``+changes`` when the tree differs from it), else its package version."""
    try:
        commit = subprocess.run(["git", "-C", root, "rev-parse", "--short=12", "HEAD"], capture_output=True,
                                text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no", "--", "dojo", "tests"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit, dirty = "", ""
    if commit:
        return f"git {commit}" + (" +changes" if dirty else "")
    try:
        from importlib.metadata import version

        return f"deadlock-dojo {version('deadlock-dojo')}"
    except Exception:  # not installed as a package: still say something true
        return "deadlock-dojo (unknown version)"


def provenance(root: str, options: list[str], keyword: str | None, kata: str | None) -> dict:
    """What every report says about how it was made."""
    return {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "dojo": _dojo_version(root),
            "python": sys.version.split()[0], "options": options,
            "selection": {"-k": keyword or None, "--kata": kata or None}}


def describe(p: dict) -> str:
    """One line for people: ``2026-12-07T03:10:00Z, dojo git abc…, Python 3.11.7, -k dave``."""
    if not p:
        return "unknown"
    chosen = [f"{k} {v}" for k, v in p.get("selection", {}).items() if v]
    return (f"{p.get('date')}, {p.get('dojo')}, Python {p.get('python')}, "
            + ("selection: " + "; ".join(chosen) if chosen else "every kata test"))


def load(folder: str) -> Record | None:
    try:
        with open(os.path.join(folder, RECORD), encoding="utf-8") as f:
            data = json.load(f)
        known = {f.name for f in fields(Test)}
        tests = [Test(**{k: v for k, v in t.items() if k in known}) for t in data["tests"]]
        return Record(Student(**data["student"]), tests, data.get("gradings", []))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def merge(old: Record | None, student: Student, tests: list[Test], grading: dict) -> Record:
    """The new tests over the old: same test, new outcome; a kata regraded takes its files from this grading."""
    if old is None:
        return Record(student, sorted(tests, key=_order), [grading])
    new_keys = {t.key for t in tests}
    regraded = {t.kata for t in tests}
    kept = [t for t in old.tests if t.key not in new_keys]

    kata_of = {k.file: k.number for k in table.KATAS}

    def files(new: list[str], before: list[str]) -> list[str]:
        keep = [f for f in before if kata_of.get(f) not in regraded]
        return sorted(set(keep) | {f for f in new if kata_of.get(f) in regraded})

    merged = Student(student.name, student.source, files(student.found, old.student.found), student.ignored,
                     files(student.stubs, old.student.stubs))
    return Record(merged, sorted(kept + tests, key=_order), old.gradings + [grading])


def _order(t: Test):
    return (t.kata, t.line_no, t.name)


def save(folder: str, record: Record) -> str:
    data = {"student": asdict(record.student), "gradings": record.gradings,
            "tests": [asdict(t) for t in record.tests]}
    return json.dumps(data, indent=1, ensure_ascii=False)


def class_records(out: str) -> list[Record]:
    """Every graded student of a class folder, in name order."""
    found = []
    for name in sorted(os.listdir(out)) if os.path.isdir(out) else []:
        if not name.startswith("."):
            r = load(os.path.join(out, name))
            if r is not None:
                found.append(r)
    return found
