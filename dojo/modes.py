"""The dojo's options, and the one mode a command line chooses.

Modes (one per run):
- learner (plain ``pytest``): the kata tests against ``katas/``, in order,
  leaving out the katas that passed before and have not changed since
  ("checked earlier", dojo/solved.py), stopping at the first failing test
  (later katas are "ahead"; ``--all-katas`` runs them all anyway), then a
  progress table and exactly one next step, in the learner's language
  (``--lang``, else the locale);
- ``--solutions``: the same tests against ``solutions/``, plus the harness's
  own tests (``tests/harness``);
- ``--target DIR``: the kata tests against any folder laid out like
  ``katas/`` (a learner's submission, a wrong variant);
- ``--verify-stubs``: the authoring check: every stub must fail every test of
  its kata for its declared reason, and every kata must follow the table's
  rules (tests/harness/test_authoring.py);
- ``--grade DIR`` / ``--grade-class DIR``: every kata test against each
  submission, reports written by dojo/grade.py.

Every check of the options happens here, at configure time, so that a wrong
command line ends in one plain usage error before any test runs.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

import pytest

from dojo import grade
from dojo import katas as table
from dojo.lang import choose
from dojo.run import ROOT

MODE = pytest.StashKey["Mode"]()


@dataclass
class Mode:
    name: str  # learner | solutions | target | verify
    target_dir: str
    state_file: str  # where workers record the first failing kata (learner mode)
    root: str = ROOT  # the dojo tree being run (the rootdir)
    lang: str = "en"  # the learner's language: en or zh
    all_katas: bool = False  # learner mode without the stop at the first failing kata


def mode_of(config) -> Mode | None:
    """The run's mode, or None outside a dojo tree (the plugin then does nothing)."""
    return config.stash.get(MODE, None)


def add_options(parser) -> None:
    group = parser.getgroup("dojo", "Deadlock Dojo")
    group.addoption("--solutions", action="store_true", help="run the kata tests against solutions/ (and the harness's own tests)")
    group.addoption("--target", metavar="DIR", help="run the kata tests against DIR, laid out like katas/")
    group.addoption("--verify-stubs", action="store_true", help="authoring check: every stub fails for its declared reason")
    group.addoption("--kata", metavar="N", help="run only kata N (a number like 01, or a slug), even if it passed before")
    group.addoption("--results", metavar="FILE", help="write every test's outcome as JSON, for grading")
    group.addoption("--grade", metavar="DIR", help="grade one submission: DIR holds kata files laid out like katas/")
    group.addoption("--grade-class", metavar="DIR", help="grade a class: DIR holds one folder per student")
    group.addoption("--grade-out", metavar="OUT", help="where --grade and --grade-class write their reports")
    group.addoption("--all-katas", action="store_true", help="run every kata, also those that passed before, "
                    "not only up to the first unsolved one")
    group.addoption("--lang", metavar="en|zh", help="the language of reports, hints and the progress table "
                    "(default: from the locale) · 语言：en 或 zh")
    group.addoption("--hint", metavar="N", nargs="?", const="", default=None,
                    help="show the next hint of the current kata, or of kata N, and stop")
    group.addoption("--reset", metavar="N", help="put kata N back as it was (your version is kept in .dojo/backup/), "
                    "and forget that it passed")


def lang_of(config) -> str:
    try:
        return choose(config.option.lang)
    except ValueError as exc:
        raise pytest.UsageError(f"{exc} Example: pytest --lang zh") from None


def is_dojo(root) -> bool:
    return os.path.exists(os.path.join(str(root), "dojo", "katas.py"))


def choose_mode(config) -> Mode | None:
    """The mode the options ask for, or None outside a dojo tree; a wrong combination is a usage error.

    The state file is not set here: that is the learner's path (dojo/order.py).
    """
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
        return None  # installed in this environment, but this is not a dojo tree
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
    lang = lang_of(config)
    if opt.kata and not table.find(opt.kata):
        raise pytest.UsageError(f"--kata {opt.kata}: no such kata. Known: "
                                + ", ".join(k.name for k in table.KATAS))
    mode.root = root
    mode.lang = lang
    mode.all_katas = bool(opt.all_katas)
    return mode


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
