"""The instructors' commands: ``student-copy`` (the repository as students get it, graded without solutions), and
``grade``/``grade-class`` on bad input.

The Gradescope and Classroom recipes (docs/grading.md) grade from this copy,
so a submission that prints what it can read finds no solution to print.
"""
import json
import os
import subprocess
import sys

from dojo.run import ROOT

from .hostile import KATA_01, SOLUTION_01


def _run(*args, cwd=ROOT):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_XDIST_WORKER")}
    return subprocess.run([sys.executable, "-m", "dojo", *map(str, args)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def _listing(folder):
    return sorted(os.path.relpath(os.path.join(r, f), folder) for r, _, files in os.walk(folder) for f in files)


def test_the_student_copy_has_no_solutions_and_still_grades(tmp_path):
    copy = tmp_path / "dojo-for-students"
    done = _run("student-copy", copy)
    assert done.returncode == 0, done.stderr
    files = _listing(copy)
    for gone in ("solutions/", "tests/wrong/", "tests/harness/", ".ci/", ".git/", ".venv/", "__pycache__"):
        assert not any(gone in f or f.startswith(gone) for f in files), (gone, [f for f in files if gone in f][:3])
    for kept in ("pyproject.toml", "conftest.py", "README.md", f"katas/{KATA_01.file}", f"tests/test_{KATA_01.file}",
                 "dojo/plugin.py", "dojo/grading/command.py"):
        assert kept in files, kept
    assert not any(SOLUTION_01 == (copy / f).read_text(errors="replace") for f in files if f.endswith(".py"))

    # Graded from the copy, which has no solutions/ to read: the copy's own dojo does the work.
    submission = tmp_path / "ana"
    submission.mkdir()
    (submission / KATA_01.file).write_text(SOLUTION_01)
    out = tmp_path / "out"
    done = _run("grade", submission, "--out", out, "-n", "0", "--kata", "01", "-k", "spawn", cwd=copy)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads((out / "gradescope.json").read_text())
    assert report["score"] == report["max_score"] == KATA_01.points
    assert any(str(copy) in o for o in report["extra_data"]["dojo"][-1]["options"])  # it was the copy that graded


def test_student_copy_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    done = _run("student-copy", tmp_path / "full")
    assert done.returncode == 2 and "already exists" in done.stderr and "Traceback" not in done.stderr
    done = _run("student-copy", os.path.join(ROOT, "student"))
    assert done.returncode == 2 and "inside the dojo" in done.stderr
    assert (tmp_path / "full" / "notes.txt").read_text() == "mine"


def test_grade_commands_say_what_is_wrong(tmp_path):
    """Bad input gets one plain sentence and exit code 2, never a traceback, and no pytest is started."""
    done = _run("grade", tmp_path / "nobody", "--out", tmp_path / "out")
    assert done.returncode == 2 and "no such folder" in done.stderr and "Traceback" not in done.stderr
    (tmp_path / "class").mkdir()
    done = _run("grade-class", tmp_path / "class", "--out", tmp_path / "class" / "grades")
    assert done.returncode == 2 and "inside" in done.stderr and not (tmp_path / "class" / "grades").exists()
    done = _run("grade-class", tmp_path / "class")
    assert done.returncode == 2 and "--out" in done.stderr and "Traceback" not in done.stderr
    done = _run("grade-class", tmp_path / "class", "--out", tmp_path / "out")  # no student folders: pytest says so
    assert done.returncode != 0 and "holds no student folders" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
