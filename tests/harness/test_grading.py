"""Grading a class: every student gets every report, the scores are right, nothing survives.

The class (tests/harness/hostile.py: the solutions, the untouched stubs, one
submission for each failure class, and hostile ones) is graded by a real
``pytest --grade-class`` (with ``-n 2``) on katas 01 and 03 under spawn, the
start method where every child is a fresh interpreter, to keep it quick.
"""
import csv
import fcntl
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from dojo import katas as table
from dojo.contain import landlock_abi
from dojo.run import ROOT
from dojo.warden import marked, orphaned

from .hostile import EXPECTED, FULL, KATA_01, KATA_03, SELECT, build_class, grading_env


def _grade(option, submissions, out, tmp_path, *extra):
    env = grading_env(out, ROOT, tmp_path / "PLANTED")
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"{option}={submissions}",
                           f"--grade-out={out}", *SELECT, *extra], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    # A run whose pytest process has ended must have left nothing (other test sessions may be running now).
    survivors = [(p.pid, rid) for p, rid in marked() if orphaned(rid)]
    return done, survivors


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class, graded once per test session: under xdist the first worker grades, the others wait and read."""
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's base is a folder of the session's: their parent is the session's own.
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "dojo-graded-class"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = shared / "done.json"
        if not record.exists():
            build_class(shared / "class")
            done, survivors = _grade("--grade-class", shared / "class", shared / "out", shared, "-n", "2")
            record.write_text(json.dumps({"returncode": done.returncode, "stdout": done.stdout,
                                          "stderr": done.stderr, "survivors": survivors}))
        result = json.loads(record.read_text())
    done = subprocess.CompletedProcess([], result["returncode"], result["stdout"], result["stderr"])
    return shared, shared / "out", done, result["survivors"]


def _tags(out, name):
    report = json.loads((out / name / "gradescope.json").read_text())
    return [t["tags"][1] for t in report["tests"] if t["tags"][0] == KATA_01.name]


def test_every_student_gets_every_report(graded):
    tmp_path, out, done, survivors = graded
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]  # failing tests are grades
    assert sorted(os.listdir(out)) == sorted(list(EXPECTED) + ["grades.csv"])
    for name in EXPECTED:
        for file in ("gradescope.json", "results.json", "junit.xml", "summary.md"):
            assert (out / name / file).stat().st_size > 0, f"{name} has no {file}"


def test_each_failure_class_is_named(graded):
    tmp_path, out, done, survivors = graded
    for name, (status, _) in EXPECTED.items():
        tags = _tags(out, name)
        assert tags and set(tags) == {status}, f"{name}: kata 01 was graded {tags}, not {status}"
    report = json.loads((out / "wrong" / "gradescope.json").read_text())
    assert {t["tags"][1] for t in report["tests"] if t["tags"][0] == KATA_03.name} == {"WRONG"}


def test_scores_are_right_and_the_table_is_stable(graded):
    tmp_path, out, done, survivors = graded
    with open(out / "grades.csv", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert header == ["student"] + [k.name for k in table.KATAS] + ["total", "max"]
    assert [r[0] for r in rows[1:]] == sorted(EXPECTED)  # one row per student, in name order
    for row in rows[1:]:
        name = row[0]
        assert float(row[-2]) == EXPECTED[name][1], row
        assert float(row[-1]) == FULL, row
        gradescope = json.loads((out / name / "gradescope.json").read_text())
        exercism = json.loads((out / name / "results.json").read_text())
        assert gradescope["score"] == round(sum(t["score"] for t in gradescope["tests"]), 2) == EXPECTED[name][1]
        assert round(sum(t["score"] for t in exercism["tests"]), 2) == EXPECTED[name][1]
        assert round(sum(t["max_score"] for t in gradescope["tests"]), 2) == FULL


def test_reports_have_the_shape_the_tools_read(graded):
    tmp_path, out, done, survivors = graded
    gradescope = json.loads((out / "lost" / "gradescope.json").read_text())
    assert {"score", "execution_time", "output", "visibility", "stdout_visibility", "tests"} <= set(gradescope)
    test = gradescope["tests"][0]
    assert {"name", "number", "score", "max_score", "status", "output", "tags", "visibility"} <= set(test)
    assert test["status"] == "failed" and test["output"].startswith("LOST:")
    exercism = json.loads((out / "lost" / "results.json").read_text())
    assert exercism["version"] == 3 and exercism["status"] == "fail" and exercism["message"] is None
    names = [t["name"] for t in exercism["tests"]]
    assert names[0].startswith("01 · test_every_bun_is_eaten_and_the_shop_closes")  # file order
    for t in exercism["tests"]:
        assert {"name", "status", "message", "output", "test_code", "task_id", "score", "max_score"} <= set(t)
        assert t["test_code"].lstrip().startswith("@pytest.mark.parametrize")
        assert t["output"] is None or len(t["output"]) <= 500
    flood = json.loads((out / "prints_100_mb" / "results.json").read_text())["tests"][0]["output"]
    assert len(flood) <= 500 and "cut" in flood  # a truncation notice, not a silent cut
    solved = json.loads((out / "a_solution" / "results.json").read_text())
    assert solved["status"] == "pass" and all(t["status"] == "pass" for t in solved["tests"])
    suite = ET.parse(out / "lost" / "junit.xml").getroot()[0]
    assert suite.get("name") == "lost" and int(suite.get("failures")) == len(suite) - int(suite.get("skipped"))
    summary = (out / "nothing_handed_in" / "summary.md").read_text()
    assert "Not handed in (0 points): " + KATA_01.file in summary and "README.txt" in summary


def test_hostile_code_is_contained(graded):
    tmp_path, out, done, survivors = graded
    assert not survivors, f"processes of the grading run survived it: {survivors}"
    assert not (tmp_path / "PLANTED").exists(), "the submission's own conftest.py or test file was run"
    assert not (out / "PWNED").exists() and not os.path.exists(os.path.join(ROOT, "PWNED"))
    planted = (out / "planted" / "summary.md").read_text()
    assert "conftest.py" in planted and "test_evil.py" in planted  # named as not graded
    assert not (out / "planted" / "submission" / "conftest.py").exists()
    bomb = json.loads((out / "fork_bomb" / "gradescope.json").read_text())["tests"][0]["output"]
    assert "processes alive at once" in bomb
    if landlock_abi() >= 6:  # the fence refuses the signal and the writes outright
        parent = json.loads((out / "kills_its_parent" / "gradescope.json").read_text())["tests"][0]["output"]
        assert "PermissionError" in parent
        writer = json.loads((out / "writes_outside" / "gradescope.json").read_text())["tests"][0]["output"]
        assert "PermissionError" in writer


def test_one_submission(tmp_path):
    """``--grade DIR``: the four reports straight in OUT, with the files that were graded."""
    submission = tmp_path / "ana"
    shutil.copytree(os.path.join(ROOT, "solutions"), submission)
    out = tmp_path / "out"
    done, survivors = _grade("--grade", submission, out, tmp_path)
    assert done.returncode == 0, done.stdout[-3000:]
    assert sorted(os.listdir(out)) == ["gradescope.json", "junit.xml", "results.json", "submission", "summary.md"]
    assert json.loads((out / "gradescope.json").read_text())["score"] == KATA_01.points + KATA_03.points
    assert "graded ana:" in done.stdout and not survivors
