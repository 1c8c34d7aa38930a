"""Regrading one student, or one kata, changes that and nothing else.

A class of three is graded on katas 01 and 03 under spawn; then one student
is regraded (``-k bob``), one kata for two students (``--kata 03``), and one
student on their own into the class folder (``grade CLASS/cy --out OUT/cy``).
After each, every file of the students not regraded is byte for byte what it
was, and ``grades.csv`` differs in the regraded rows only.
"""
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys

from dojo.run import ROOT

from .hostile import KATA_01, KATA_03, SOLUTION_01

WRONG_01 = os.path.join(ROOT, "tests", "wrong", KATA_01.name, "sentinel_first.py")


def _dojo(*args):
    done = subprocess.run([sys.executable, "-m", "dojo", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def _files(folder):
    """Every file under ``folder``: its bytes' hash, and when it was last written."""
    found = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, folder)] = (hashlib.sha256(f.read()).hexdigest(), os.stat(path).st_mtime_ns)
    return found


def _rows(out):
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        return {r[0]: r for r in csv.reader(f)}


def _words(out, name, kata):
    report = json.loads((out / name / "gradescope.json").read_text())
    return {t["tags"][1] for t in report["tests"] if t["tags"][0] == kata.name}


def test_regrading_touches_only_what_was_regraded(tmp_path):
    cls, out = tmp_path / "class", tmp_path / "out"
    shutil.copytree(os.path.join(ROOT, "solutions"), cls / "ana")
    (cls / "bob").mkdir()  # the stub of kata 01 only, and cy a wrong answer to it: kata 03 costs them no run
    shutil.copy(os.path.join(ROOT, "katas", KATA_01.file), cls / "bob" / KATA_01.file)
    (cls / "cy").mkdir()
    shutil.copy(WRONG_01, cls / "cy" / KATA_01.file)
    _dojo("grade-class", cls, "--out", out, "-n", "2", "-k", "spawn and (test_01 or test_03)")
    before, rows = {n: _files(out / n) for n in ("ana", "bob", "cy")}, _rows(out)
    assert _words(out, "bob", KATA_01) == {"HANG"} and _words(out, "cy", KATA_01) == {"LOST"}

    # One student: bob hands in kata 01 again, and only bob is regraded.
    (cls / "bob" / KATA_01.file).write_text(SOLUTION_01)
    _dojo("grade-class", cls, "--out", out, "-n", "0", "-k", "spawn and test_01 and bob")
    assert _files(out / "ana") == before["ana"] and _files(out / "cy") == before["cy"]
    assert _files(out / "bob") != before["bob"]
    assert _words(out, "bob", KATA_01) == {"PASS"} and _words(out, "bob", KATA_03) == {"MISSING"}  # 03 kept
    now = _rows(out)
    assert now["ana"] == rows["ana"] and now["cy"] == rows["cy"] and now["id"] == rows["id"]
    assert now["bob"][1:4] == ["10", "", "10"] and rows["bob"][1:4] == ["0", "", "0"]  # 03: not handed in
    assert (out / "bob" / "submission" / KATA_01.file).read_text() == SOLUTION_01
    text = (out / "bob" / "summary.md").read_text()
    assert "This report merges 2 gradings" in text and "-k spawn and test_01 and bob" in text

    # One kata, for two students: kata 03 again for ana and cy; bob's files stay as they are.
    before, rows = {n: _files(out / n) for n in ("ana", "bob", "cy")}, _rows(out)
    _dojo("grade-class", cls, "--out", out, "-n", "0", "--kata", "03", "-k", "spawn and (ana or cy)")
    assert _files(out / "bob") == before["bob"]
    assert _rows(out)["bob"] == rows["bob"] and _rows(out)["ana"] == rows["ana"]  # same grades, same lines
    record = json.loads((out / "ana" / "record.json").read_text())
    assert len(record["gradings"]) == 2 and record["gradings"][-1]["selection"]["--kata"] == "03"
    assert _words(out, "ana", KATA_01) == {"PASS"} and _words(out, "cy", KATA_01) == {"LOST"}  # 01 kept

    # One student on their own, into the class folder: cy's row of grades.csv follows.
    (cls / "cy" / KATA_01.file).write_text(SOLUTION_01)
    before, rows = {n: _files(out / n) for n in ("ana", "bob")}, _rows(out)
    _dojo("grade", cls / "cy", "--out", out / "cy", "-n", "0", "-k", "spawn and test_01")
    assert {n: _files(out / n) for n in ("ana", "bob")} == before
    now = _rows(out)
    assert now["ana"] == rows["ana"] and now["bob"] == rows["bob"]
    assert rows["cy"][1] == "0" and now["cy"][1] == "10" and now["cy"][3] == "10"
    assert "cy" in (out / "class.md").read_text()
    assert not (out / ".staging").exists() and not (out / "cy" / ".staging").exists()
