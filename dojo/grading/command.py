"""``python -m dojo grade | grade-class | student-copy`` (and ``dojo …``, the console script).

``grade`` and ``grade-class`` call pytest themselves, with every option
written the one safe way: ``--grade=DIR`` with an equals sign, the dojo's
own ``pyproject.toml`` as the configuration (``-c``) and its folder as the
rootdir, from the dojo's folder, with ``PYTEST_ADDOPTS`` and ``PYTEST_PLUGINS``
taken out of the environment. So pytest never reads a ``pytest.ini``,
``conftest.py`` or plugin a submission planted: with ``pytest --grade DIR``
(a space), pytest takes DIR for a test path and reads DIR/pytest.ini before
the dojo can say a word.

``student-copy OUT`` writes the repository as students get it: without
``solutions/``, the wrong answers (``tests/wrong/``), the harness's own tests
and CI. The Gradescope and Classroom recipes (docs/grading.md) grade from it.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

from dojo.run import ROOT

LEFT_OUT = ("solutions", os.path.join("tests", "wrong"), os.path.join("tests", "harness"), ".ci")
NEVER = {".git", ".venv", ".ci-venv", "venv", "__pycache__", ".dojo", ".pytest_cache", "build", "dist", "node_modules"}


def _parser(name: str, single: bool) -> argparse.ArgumentParser:
    what = "one submission: DIR holds the kata files (01_sentinel.py, …), at its top or in katas/" if single \
        else "a class: DIR holds one folder per student"
    p = argparse.ArgumentParser(prog=f"python -m dojo {name}", description=f"Grade {what}.")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--out", metavar="OUT", required=True, help="where the reports go (made if need be)")
    p.add_argument("-n", metavar="N", default="auto", help="test processes, as pytest-xdist's -n (default: auto; 0: none)")
    p.add_argument("-k", metavar="EXPR", help="pytest's -k: grade only the matching tests (a student's name, "
                   "a start method); the others' reports stay as they are")
    p.add_argument("--kata", metavar="N", help="grade only kata N; the other katas' results are kept")
    p.add_argument("--lang", metavar="en|zh", help="the language of the students' reports")
    return p


def pytest_command(single: bool, folder: str, out: str, n: str = "auto", k: str | None = None,
                   kata: str | None = None, lang: str | None = None) -> list[str]:
    """The one pytest command line that grades ``folder``: it reads nothing of the submissions."""
    cmd = [sys.executable, "-m", "pytest", "-c", os.path.join(ROOT, "pyproject.toml"), f"--rootdir={ROOT}",
           "-p", "no:cacheprovider", f"--grade{'' if single else '-class'}={os.path.abspath(folder)}",
           f"--grade-out={os.path.abspath(out)}", "-q"]
    if n and n != "0":
        cmd += ["-n", n]
    if k:
        cmd += ["-k", k]
    if kata:
        cmd.append(f"--kata={kata}")
    if lang:
        cmd.append(f"--lang={lang}")
    return cmd


def clean_env(environ=os.environ) -> dict:
    """The environment without what would make pytest load more than the dojo."""
    return {k: v for k, v in environ.items() if k not in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTHONPATH")}


def grade(argv: list[str], single: bool) -> int:
    args = _parser("grade" if single else "grade-class", single).parse_args(argv)
    folder, out = os.path.abspath(args.dir), os.path.abspath(args.out)
    if not os.path.isdir(folder):
        print(f"{args.dir}: there is no such folder. Give the folder that holds "
              + ("the student's kata files." if single else "one folder per student."), file=sys.stderr)
        return 2
    if out == folder or out.startswith(folder + os.sep):
        print(f"--out {args.out} lies inside {args.dir}: choose a folder outside the submissions.", file=sys.stderr)
        return 2
    cmd = pytest_command(single, folder, out, args.n, args.k, args.kata, args.lang)
    return subprocess.call(cmd, cwd=ROOT, env=clean_env())


def _copied(root: str):
    """The files of the student's copy, relative to ``root``, in a stable order."""
    for here, dirs, files in os.walk(root):
        rel = os.path.relpath(here, root)
        dirs[:] = sorted(d for d in dirs if d not in NEVER and not d.endswith(".egg-info")
                         and os.path.normpath(os.path.join(rel, d)) not in LEFT_OUT)
        for name in sorted(files):
            if not name.endswith((".pyc", ".tmp")):
                yield os.path.normpath(os.path.join(rel, name))


def student_copy(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m dojo student-copy",
                                description="Write the repository as students get it: no solutions/, "
                                            "no tests/wrong/, no harness tests, no CI.")
    p.add_argument("out", metavar="OUT", help="a new (or empty) folder")
    args = p.parse_args(argv)
    out = os.path.abspath(args.out)
    if out == ROOT or out.startswith(ROOT + os.sep):
        print(f"{args.out} lies inside the dojo ({ROOT}): choose a folder outside it.", file=sys.stderr)
        return 2
    if os.path.exists(out) and (not os.path.isdir(out) or os.listdir(out)):
        print(f"{args.out} already exists and is not an empty folder: choose a new one.", file=sys.stderr)
        return 2
    count = 0
    for rel in _copied(ROOT):
        os.makedirs(os.path.dirname(os.path.join(out, rel)), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, rel), os.path.join(out, rel))
        count += 1
    print(f"Wrote {count} files to {out}; left out: {', '.join(d + '/' for d in LEFT_OUT)}.")
    return 0
