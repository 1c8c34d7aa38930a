"""A solved kata is remembered in .dojo/ and not run again until something it depends on changes.

Driven like a learner: `pytest` in a copy of the repository where kata 01 is
solved (its reference solution copied into katas/). What ran is read from the
results file (`--results`), one outcome per test: "passed" when a test of kata
01 ran, "checked earlier" when it was skipped because kata 01 is recorded.
"""
import json
import os
import re
import shutil

import pytest

from dojo import solved, state
from dojo.katas import KATAS
from dojo.run import ROOT

from .learner_tools import GIT_ENV, cloned, learner_run, next_steps

FIRST, SECOND = KATAS[0], KATAS[1]
TESTS_OF_FIRST = len(re.findall(r"^def test_", open(os.path.join(ROOT, "tests", f"test_{FIRST.name}.py")).read(),
                                re.M)) * len(FIRST.methods)
# One test of kata 01 under one start method: enough to see whether kata 01 ran, in about a second.
ONE_TEST = ("-k", "test_every_bun_is_eaten_and_the_shop_closes and fork and not forkserver")
ONLY_FIRST = ("-k", f"test_{FIRST.name}")  # every test of kata 01 and nothing else: kata 01 in full
SYNTAX_ERROR = "def open_shop(shop)\n    pass\n"  # fails in a fraction of a second, under every start method


def solve_first(folder):
    shutil.copy(os.path.join(ROOT, "solutions", FIRST.file), folder / "katas" / FIRST.file)
    return folder


def run(folder, *args, **how):
    """`pytest ARGS` as a learner types it: (the finished process, {kata: [outcome of each of its tests]})."""
    results = folder / "results.json"
    results.unlink(missing_ok=True)
    done = learner_run(folder, "--results=results.json", *args, **how)
    assert results.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    outcomes: dict[str, list[str]] = {}
    for test in json.loads(results.read_text())["tests"]:
        outcomes.setdefault(test["kata"], []).append(test["outcome"])
    return done, outcomes


def ran(outcomes, kata=FIRST) -> bool:
    """Every test of ``kata`` in this run passed, none skipped as checked earlier."""
    return bool(outcomes.get(kata.number)) and set(outcomes[kata.number]) == {"passed"}


def checked_earlier(outcomes, kata=FIRST) -> bool:
    return bool(outcomes.get(kata.number)) and set(outcomes[kata.number]) == {"checked earlier"}


def recorded(folder) -> set[str]:
    return set(state.read(str(folder), solved.FILE))


def test_a_solved_kata_is_recorded_and_not_run_again(learner_copy):
    folder = solve_first(learner_copy)
    done, first = run(folder)
    assert ran(first) and len(first[FIRST.number]) == TESTS_OF_FIRST, done.stdout[-3000:]
    assert "failed" in first[SECOND.number]  # the stub of kata 02 is next
    assert recorded(folder) == {FIRST.number}

    done, second = run(folder, "-v")
    out = done.stdout
    assert checked_earlier(second) and len(second[FIRST.number]) == TESTS_OF_FIRST
    assert re.search(rf"^tests/test_{FIRST.name}\.py::\S+ CHECKED EARLIER", out, re.M)
    assert "failed" in second[SECOND.number]  # the run went on to the current kata, as before
    assert re.search(rf"✓ {FIRST.number} {FIRST.slug} .* done · checked earlier$", out, re.M), out[-3000:]
    assert re.search(rf"▶ {SECOND.number} {SECOND.slug} .* current", out)
    assert f"1 of {len(KATAS)} katas done" in out
    assert ("Katas checked earlier passed before, and neither they, their tests nor the dojo have changed since, "
            "so they did not run again. To run every kata anyway:  pytest --all-katas") in out
    assert next_steps(out) == [f"Next: open katas/{SECOND.file}, read the story at the top, and fix the TODO. "
                               "Then run:  pytest"]

    out = run(folder, lang="zh")[0].stdout
    assert re.search(rf"✓ {FIRST.number} {FIRST.slug} .* 完成 · 之前已检查$", out, re.M), out[-3000:]
    assert "“之前已检查”的练习以前通过了，之后练习、它们的测试和 dojo 都没有改动，所以这次没有再运行。" in out
    assert f"共 {len(KATAS)} 个练习，已完成 1 个" in out


def test_a_change_to_the_kata_its_tests_or_the_harness_runs_it_again(learner_copy):
    folder = solve_first(learner_copy)
    # Kata 01 in full, once, to record it: the quick runs below cannot record (one test is not all of them).
    assert ran(run(folder, *ONLY_FIRST)[1]) and recorded(folder) == {FIRST.number}
    assert checked_earlier(run(folder, *ONE_TEST)[1])  # unchanged: not run
    for changed in (f"katas/{FIRST.file}", f"tests/test_{FIRST.name}.py", "dojo/report.py", "conftest.py",
                    "pyproject.toml"):
        path = folder / changed
        before = path.read_bytes()
        path.write_bytes(before + b"\n# an edit\n")
        assert ran(run(folder, *ONE_TEST)[1]), f"{changed} changed, yet kata 01 did not run"
        path.write_bytes(before)  # undone: the record counts again (a partial run neither records nor forgets)
        assert checked_earlier(run(folder, *ONE_TEST)[1]), changed


def test_without_the_state_folder_every_kata_runs_again(learner_copy):
    folder = solve_first(learner_copy)
    assert ran(run(folder, *ONLY_FIRST)[1]) and recorded(folder) == {FIRST.number}
    shutil.rmtree(folder / ".dojo")
    assert ran(run(folder, *ONE_TEST)[1])


def test_breaking_a_solved_kata_makes_it_current_again(learner_copy):
    folder = solve_first(learner_copy)
    assert ran(run(folder)[1]) and recorded(folder) == {FIRST.number}
    shutil.copy(os.path.join(ROOT, "katas", FIRST.file), folder / "katas" / FIRST.file)  # back to the stub
    done, outcomes = run(folder)
    out = done.stdout
    assert "failed" in outcomes[FIRST.number] and "passed" not in outcomes[FIRST.number]
    assert recorded(folder) == set()
    assert re.search(rf"▶ {FIRST.number} {FIRST.slug} .* current", out) and "checked earlier" not in out
    assert re.search(rf"· {SECOND.number} {SECOND.slug} .* ahead$", out, re.M)
    assert next_steps(out) == [f"Next: open katas/{FIRST.file}, read the story at the top, and fix the TODO. "
                               "Then run:  pytest"]


def test_all_katas_and_kata_n_run_a_recorded_kata(learner_copy):
    folder = solve_first(learner_copy)
    # --all-katas records too. -k here leaves out only other katas' tests: kata 01 itself runs in full.
    assert ran(run(folder, "--all-katas", *ONLY_FIRST)[1]) and recorded(folder) == {FIRST.number}
    assert ran(run(folder, "--all-katas", *ONLY_FIRST)[1])
    done, outcomes = run(folder, "--kata", FIRST.number)
    assert ran(outcomes) and len(outcomes[FIRST.number]) == TESTS_OF_FIRST
    assert f"Kata {FIRST.number} passes. Next: run  pytest  to go on." in done.stdout.splitlines()
    assert recorded(folder) == {FIRST.number}
    assert checked_earlier(run(folder, *ONE_TEST)[1])  # and plain pytest still leaves it out


@pytest.mark.parametrize("partial", [("-k", "spawn"), (f"tests/test_{FIRST.name}.py::test_a_slow_cook_is_waited_for",),
                                     ("--deselect", f"tests/test_{FIRST.name}.py::test_a_slow_cook_is_waited_for[fork]",
                                      *ONLY_FIRST)], ids=["-k", "node-id", "--deselect"])
def test_a_partial_run_records_nothing(learner_copy, partial):
    folder = solve_first(learner_copy)
    done, outcomes = run(folder, *partial)
    assert ran(outcomes), done.stdout[-3000:]
    assert 0 < len(outcomes[FIRST.number]) < TESTS_OF_FIRST
    assert recorded(folder) == set()


def test_under_xdist_too(learner_copy):
    folder = solve_first(learner_copy)
    done, outcomes = run(folder, "-n", "2", *ONLY_FIRST)
    assert ran(outcomes) and len(outcomes[FIRST.number]) == TESTS_OF_FIRST, done.stdout[-3000:]
    assert recorded(folder) == {FIRST.number}  # written once, by the controller, from the workers' reports
    done, outcomes = run(folder, "-n", "2", *ONLY_FIRST)
    assert checked_earlier(outcomes) and re.search(rf"✓ {FIRST.number} {FIRST.slug} .* done · checked earlier",
                                                   done.stdout)
    (folder / "katas" / FIRST.file).write_text(SYNTAX_ERROR)
    done, outcomes = run(folder, "-n", "2", *ONLY_FIRST)
    assert "failed" in outcomes[FIRST.number] and recorded(folder) == set()
    assert re.search(rf"▶ {FIRST.number} {FIRST.slug} .* current", done.stdout)


def test_reset_forgets_the_kata(learner_copy):
    folder = solve_first(cloned(learner_copy))  # the dojo's commit holds the stub; the solution is the learner's
    assert ran(run(folder, *ONLY_FIRST)[1]) and recorded(folder) == {FIRST.number}
    done = learner_run(folder, "--reset", FIRST.number, env=GIT_ENV)
    assert done.returncode == 0, done.stdout + done.stderr
    assert recorded(folder) == set()
    # The learner takes their version back, unchanged: the record's key would match it, yet it was forgotten.
    backup = next((folder / ".dojo" / "backup").iterdir())
    shutil.copy(backup, folder / "katas" / FIRST.file)
    assert ran(run(folder, *ONE_TEST)[1])


# Loaded into the learner's run with -p: saves the kata file (a comment more) once its first test is over, as a
# learner in watch mode saves while the run is on. Deterministic: no timing involved.
SAVE_DURING_THE_RUN = f'''
import os
saved = []
def pytest_runtest_logfinish(nodeid, location):
    if "test_{FIRST.name}.py::" in nodeid and not saved:
        with open(os.path.join("katas", "{FIRST.file}"), "a") as f:
            f.write("\\n# saved while the tests ran\\n")
        saved.append(nodeid)
'''


def test_a_kata_saved_while_its_tests_ran_is_not_recorded(learner_copy):
    folder = solve_first(learner_copy)
    (folder / "save_during_the_run.py").write_text(SAVE_DURING_THE_RUN)
    done, outcomes = run(folder, "-p", "save_during_the_run", *ONLY_FIRST)
    assert ran(outcomes) and len(outcomes[FIRST.number]) == TESTS_OF_FIRST, done.stdout[-3000:]
    assert (folder / "katas" / FIRST.file).read_text().endswith("# saved while the tests ran\n")
    assert recorded(folder) == set()  # what passed was partly the file before the save
    assert ran(run(folder, *ONLY_FIRST)[1]) and recorded(folder) == {FIRST.number}  # the next run records it
