"""Grading a class: every student gets every report, the scores are right, nothing survives.

The class is built from the solutions, the untouched stubs, one submission
for each failure class, and hostile ones. It is graded by a real
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
import textwrap
import xml.etree.ElementTree as ET

import pytest

from dojo import katas as table
from dojo.contain import landlock_abi
from dojo.run import ROOT
from dojo.warden import marked, orphaned

SELECT = ["-k", "spawn and (test_01 or test_03)"]
KATA_01 = table.BY_NUMBER["01"]
KATA_03 = table.BY_NUMBER["03"]
SOLUTION_01 = open(os.path.join(ROOT, "solutions", KATA_01.file), encoding="utf-8").read()

# A solution of kata 01 with one thing changed: the cook puts every bun twice.
DUPLICATE = SOLUTION_01.replace("counter.put(bun)", "counter.put(bun)\n        counter.put(bun)")
CRASH = SOLUTION_01.replace("shop.eat(bun)", "raise ValueError(f'this bun tastes odd: {bun}')")
LEAK = SOLUTION_01 + textwrap.dedent("""

    import os as _os, signal as _signal
    _real_open_shop = open_shop

    def open_shop(shop):
        _real_open_shop(shop)
        if _os.fork() == 0:      # a forgotten child: still there when main has ended
            while True:
                _signal.pause()
    """)

HOSTILE = {
    "infinite_loop": """
        def open_shop(shop):
            while True:
                pass
        """,
    "fork_bomb": """
        import os

        def open_shop(shop):
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
        """,
    "ignores_sigterm": """
        import multiprocessing, signal

        def stubborn(ready):
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            ready.set()
            while True:
                signal.pause()

        def open_shop(shop):
            ready = multiprocessing.Event()
            p = multiprocessing.Process(target=stubborn, args=(ready,))
            p.start()
            ready.wait()             # SIGTERM only once it is ignored: the same hang every run
            p.terminate()
            p.join()
        """,
    "setsid_escapee": """
        import os, signal

        def open_shop(shop):
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    while True:
                        signal.pause()
                os._exit(0)
        """,
    "memory_hog": """
        def open_shop(shop):
            hoard = []
            while True:
                hoard.append(bytearray(50_000_000))
        """,
    "prints_100_mb": """
        def open_shop(shop):
            line = "x" * 999_999
            for _ in range(100):
                print(line)
        """,
    "kills_its_parent": """
        import os, signal

        def open_shop(shop):
            os.kill(os.getppid(), signal.SIGKILL)
        """,
    "writes_outside": """
        import os

        def open_shop(shop):
            for folder in (os.environ["DOJO_GRADE_TEST_OUT"], os.environ["DOJO_GRADE_TEST_ROOT"]):
                with open(os.path.join(folder, "PWNED"), "w") as f:
                    f.write("this submission wrote outside its run")
        """,
}

CONTRACT = """

def cook(counter, shop):
    pass


def diner(counter, shop):
    pass
"""

PLANTED_CONFTEST = """
import os
open(os.environ["DOJO_GRADE_TEST_MARK"], "w").write("a planted conftest.py ran in the grader")

def pytest_collection_modifyitems(items):
    items.clear()
"""
PLANTED_TEST = """
import os
def test_evil():
    open(os.environ["DOJO_GRADE_TEST_MARK"], "w").write("a planted test ran")
"""

# What each student's report must say: the class word of kata 01's tests (or MISSING), and points.
FULL = KATA_01.points + KATA_03.points
EXPECTED = {
    "a_solution": ("PASS", FULL),
    "b_stub": ("HANG", 0),
    "hang": ("HANG", 0),
    "lost": ("LOST", 0),
    "duplicate": ("DUPLICATE", 0),
    "crash": ("CRASH", 0),
    "leak": ("LEAK", 0),
    "wrong": ("MISSING", 0),  # hands in kata 03 only, a WRONG answer to it
    "nothing_handed_in": ("MISSING", 0),
    "infinite_loop": ("HANG", 0),
    "fork_bomb": ("CRASH", 0),
    "ignores_sigterm": ("HANG", 0),
    "setsid_escapee": ("LEAK", 0),
    "memory_hog": ("CRASH", 0),
    "prints_100_mb": ("CRASH", 0),
    "kills_its_parent": ("CRASH", 0),
    "writes_outside": ("CRASH", 0),
    "planted": ("PASS", KATA_01.points),
}


def _build_class(folder):
    def student(name, files):
        os.makedirs(folder / name)
        for file, text in files.items():
            (folder / name / file).parent.mkdir(parents=True, exist_ok=True)
            (folder / name / file).write_text(textwrap.dedent(text) if text.startswith("\n") else text)

    for src, name in (("solutions", "a_solution"), ("katas", "b_stub")):
        shutil.copytree(os.path.join(ROOT, src), folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    wrong = os.path.join(ROOT, "tests", "wrong")
    student("hang", {KATA_01.file: open(os.path.join(wrong, KATA_01.name, "no_sentinel.py")).read()})
    student("lost", {KATA_01.file: open(os.path.join(wrong, KATA_01.name, "sentinel_first.py")).read()})
    student("wrong", {KATA_03.file: open(os.path.join(wrong, KATA_03.name, "task_done_before_eat.py")).read()})
    student("duplicate", {KATA_01.file: DUPLICATE})
    student("crash", {KATA_01.file: CRASH})
    student("leak", {KATA_01.file: LEAK})
    student("nothing_handed_in", {"README.txt": "I ran out of time."})
    for name, source in HOSTILE.items():  # with the kata's other functions, so the contract check lets it run
        student(name, {KATA_01.file: textwrap.dedent(source) + CONTRACT})
    student("planted", {KATA_01.file: SOLUTION_01, "conftest.py": PLANTED_CONFTEST, "test_evil.py": PLANTED_TEST,
                        "tests/conftest.py": PLANTED_CONFTEST})


def _grade(option, submissions, out, tmp_path, *extra):
    env = dict(os.environ, DOJO_GRADE_TEST_OUT=str(out), DOJO_GRADE_TEST_ROOT=ROOT,
               DOJO_GRADE_TEST_MARK=str(tmp_path / "PLANTED"))
    env.pop("PYTEST_XDIST_WORKER", None)
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
            _build_class(shared / "class")
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
