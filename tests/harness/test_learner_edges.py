"""The learner's rough edges (issue 11): every command a learner plausibly types does the right thing.

Each test drives `pytest` (or `python katas/…`) in a copy of the repository,
as a learner types it, and reads what is printed. Runs are kept few and short:
one test function under its three start methods, or one run of a kata file.
"""
import os
import re
import signal
import textwrap

import psutil
import pytest

from dojo import solved, state, verify
from dojo.katas import KATAS
from dojo.learner import FOOTER

from .learner_tools import failures, first_report, learner_python, learner_run, next_steps, shown_reports, solution

FIRST = KATAS[0]
BY = {k.number: k for k in KATAS}
METHODS = FIRST.methods
FIRST_TEST = re.search(r"^def (test_\w+)", open(os.path.join(os.path.dirname(__file__), "..",
                                                             f"test_{FIRST.name}.py")).read(), re.M)[1]
ONE_TEST = ("-k", FIRST_TEST)  # kata 01's first test, under every start method


def _with_footer(source: str) -> str:
    return source.rstrip("\n") + "\n\n\n" + FOOTER


# -- 1. commands that did nothing -------------------------------------------------


def test_a_kata_file_as_a_path_runs_that_kata_and_repeats_are_named_not_printed(learner_copy):
    """`pytest katas/01_sentinel.py` was "collected 0 items"; `pytest -n auto` printed a report per test."""
    done = learner_run(learner_copy, f"katas/{FIRST.file}", *ONE_TEST, "-n", "2")
    out = done.stdout
    assert done.returncode == 1, out[-3000:]
    assert first_report(out).startswith(f"HANG: diner-1 is blocked in counter.get() (katas/{FIRST.file}:")
    # One report, then the others by name, whichever worker ran them first: as many tests failed.
    assert shown_reports(out) == [f"{FIRST_TEST}[{METHODS[0]}]"]
    rest = METHODS[1:]
    assert f" The same in {' and '.join(rest)} ({len(rest)} tests) " in out
    assert out.count("FAILED tests/") == len(METHODS)
    assert f"current  0 passed, {len(METHODS)} failing" in out
    assert next_steps(out) == [f"Next: open katas/{FIRST.file}, read the story at the top, and fix the TODO. "
                               f"Then run:  pytest --kata {FIRST.number}"]


def test_pytest_inside_katas_is_the_learners_run(learner_copy):
    """`pytest` typed inside katas/ was "collected 0 items"; `pytest --kata 4` printed a report per test."""
    (learner_copy / "katas" / FIRST.file).write_text("def open_shop(shop)\n")  # a syntax error: fast, the same everywhere
    katas = learner_copy / "katas"
    done = learner_run(learner_copy, cwd=katas)
    out = done.stdout
    assert done.returncode == 1, out[-3000:]
    assert "collected 0 items" not in out and f"▶ {FIRST.number} {FIRST.slug}" in out
    assert len(shown_reports(out)) == 1 and re.search(r"1 failed, \d+ ahead", out)  # the stop at the first failure
    # Paths are told from where the learner is.
    assert next_steps(out) == [f"Next: open {FIRST.file} and fix what the report above names. Then run:  pytest"]
    # The kata file, given from there: every test of the kata, each failing the same way, shown once.
    out = learner_run(learner_copy, FIRST.file, cwd=katas).stdout
    tests = out.count("FAILED ../tests/")
    assert tests > len(METHODS) and len(shown_reports(out)) == 1, out[-3000:]
    assert first_report(out).startswith(f"CRASH: {FIRST.file}")
    assert f" The same CRASH in {tests - 1} more tests " in out
    assert next_steps(out) == [f"Next: open {FIRST.file} and fix what the report above names. "
                               f"Then run:  pytest --kata {FIRST.number}"]


def test_a_solution_given_by_path_says_what_to_type(learner_copy):
    done = learner_run(learner_copy, f"../solutions/{FIRST.file}", cwd=learner_copy / "katas")
    assert done.returncode == 4
    assert done.stderr.strip().splitlines()[0] == (
        f"ERROR: ../solutions/{FIRST.file} is the reference solution, not your kata; to run kata {FIRST.number}'s "
        f"tests against the solutions, type:  pytest --solutions --kata {FIRST.number}")


def test_a_kata_file_that_is_not_there_says_what_to_type(learner_copy):
    done = learner_run(learner_copy, "katas/99_nothing.py")
    assert done.returncode == 4
    assert done.stderr.strip().splitlines()[0].startswith("ERROR: katas/99_nothing.py is not a kata here (the katas are ")
    assert "type for example:  pytest --kata 01" in done.stderr


def test_python_katas_file_runs_the_kata_once_and_prints_its_report(learner_copy):
    """`python katas/01_sentinel.py` exited 0 silently on an unsolved stub."""
    done = learner_python(learner_copy, f"katas/{FIRST.file}", "--lang", "en")
    out = done.stdout
    assert done.returncode == 1, out[-3000:] + done.stderr
    assert out.splitlines()[0] == (f"Kata {FIRST.number} · {FIRST.title['en']}: one run through the dojo "
                                   f"({FIRST_TEST}, start method {METHODS[0]}). Every test of the kata:  "
                                   f"pytest --kata {FIRST.number}")
    assert shown_reports(out) == [f"{FIRST_TEST}[{METHODS[0]}]"]
    assert f"HANG: diner-1 is blocked in counter.get() (katas/{FIRST.file}:" in out
    assert "Well done" not in out and "1 failed in" in out
    # Solved, from inside katas/: one test passing is not the kata solved, and the dojo does not record it.
    (learner_copy / "katas" / FIRST.file).write_text(_with_footer(solution(FIRST)))
    done = learner_python(learner_copy, FIRST.file, "--lang", "zh", cwd=learner_copy / "katas")
    out = done.stdout
    assert done.returncode == 0, out[-3000:]
    assert out.splitlines()[0].startswith(f"练习 {FIRST.number} · {FIRST.title['zh']}：在 dojo 里运行一次")
    assert "1 个通过；它的测试没有全部运行" in out and "做得好" not in out
    assert next_steps(out) == [f"下一步：运行了的测试都通过了，但练习 {FIRST.number} 的测试没有全部运行。"
                               f"全部运行：pytest --kata {FIRST.number}"]
    assert FIRST.number not in state.read(str(learner_copy), solved.FILE)


def test_every_kata_file_ends_with_the_lines_that_run_it(learner_copy, monkeypatch):
    """The mechanism any future kata gets the same way: the authoring check asks for the footer."""
    for k in KATAS:
        assert (learner_copy / "katas" / k.file).read_text().endswith(FOOTER), k.file
    kata = learner_copy / "katas" / FIRST.file
    kata.write_text(kata.read_text().replace(FOOTER, ""))
    monkeypatch.setattr(verify, "ROOT", str(learner_copy))
    problems = verify.kata_problems(FIRST)
    assert any(p.startswith(f"katas/{FIRST.file} does not end with the lines that let `python katas/{FIRST.file}` "
                            "run the kata through the dojo: please end it with these three lines") and FOOTER in p
               for p in problems), problems


# -- 3, 4, 7. the cause first, threads named, smaller things -------------------------


STUB_SHAPE = """\
import multiprocessing
import queue
import threading


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.put(None)


def diner(counter, shop):
    while (bun := counter.get()) is not None:
        shop.eat(bun)


def open_shop(shop):
{main}
"""
PROCESSES = """\
counter = multiprocessing.Queue()
the_cook = multiprocessing.Process(target=cook, args=(counter, shop))
the_diner = multiprocessing.Process(target=diner, args=(counter, shop))
the_cook.start()
the_diner.start()
the_cook.join()
the_diner.join()"""


def _kata(main=PROCESSES) -> str:
    return _with_footer(STUB_SHAPE.format(main=textwrap.indent(main, "    ")))


@pytest.mark.parametrize("case", ["swapped", "threads", "input", "busy", "renamed"])
def test_one_run_says_the_cause_first(learner_copy, case):
    """A crash that made the rest hang, threads for processes, input(), a busy loop, a renamed parameter."""
    source = {
        "swapped": _kata().replace("def cook(counter, shop):", "def cook(shop, counter):"),
        "threads": _kata(PROCESSES.replace("multiprocessing.Queue()", "queue.Queue()")
                         .replace("multiprocessing.Process(", "threading.Thread(")),
        "input": _kata("input('How many buns? ')\n" + PROCESSES),
        "busy": _kata(PROCESSES + "\nwhile True:\n    pass"),
        "renamed": _kata().replace("def cook(counter, shop):\n    for bun in shop.buns():\n        counter.put(bun)\n"
                                   "    counter.put(None)",
                                   "def cook(queue, shop):\n    for bun in shop.buns():\n        queue.put(bun)\n"
                                   "    queue.put(None)"),
    }[case]
    (learner_copy / "katas" / FIRST.file).write_text(source)
    done = learner_python(learner_copy, f"katas/{FIRST.file}", "--lang", "en")
    out = done.stdout
    if case == "renamed":  # the kata calls its functions by position: a parameter's name is the learner's choice
        assert done.returncode == 0 and "1 passed" in out, out[-3000:]
        return
    assert done.returncode == 1, out[-3000:]
    report = first_report(out)
    headline = report.splitlines()[0]
    if case == "swapped":
        assert headline == "CRASH: cook-1 raised AttributeError", report
        assert "HANG: " in report.split("Also found:", 1)[1]
    elif case == "threads":
        assert headline == "WRONG: cook() and diner() ran as threads of main (threading.Thread), not as processes"
        assert "multiprocessing.Process" in report and "LOST" not in report and "never cooked" not in report
    elif case == "input":
        assert headline == "CRASH: main raised EOFError"
        assert "input() found no keyboard: a dojo run has none" in report
    else:
        assert headline.startswith("HANG: main is running in a loop that never waits"), headline
        at = re.search(r"After the last progress \(at (\d+\.\d\d) s\), your program used", report)[1]
        assert f"^ last progress at {at} s" in report


def test_main_that_raised_is_not_said_to_have_finished(learner_copy):
    """Kata 05's CRASH report said "main finished open_shop()" although main raised."""
    k = BY["05"]
    wrong = os.path.join(os.path.dirname(__file__), "..", "wrong", k.name, "daemon_after_start.py")
    (learner_copy / "katas" / k.file).write_text(_with_footer(open(wrong).read()))
    out = learner_python(learner_copy, f"katas/{k.file}", "--lang", "en").stdout
    report = failures(out)
    assert "CRASH: main raised AssertionError" in report, out[-3000:]
    assert "left open_shop() with an exception (the CRASH above)" in report
    assert "finished open_shop()" not in report


def test_the_picture_keeps_ate_and_task_done(learner_copy):
    """Kata 03's WRONG report showed no `t` at all: marks close in time moved right, not dropped."""
    k = BY["03"]
    wrong = os.path.join(os.path.dirname(__file__), "..", "wrong", k.name, "task_done_before_eat.py")
    (learner_copy / "katas" / k.file).write_text(open(wrong).read())
    out = learner_run(learner_copy, "--kata", k.number, "-k", f"test_join_waits_for_the_last_bite and {METHODS[0]} "
                      "and not forkserver").stdout
    report = failures(out)
    assert first_report(out).startswith("WRONG: "), out[-3000:]
    lanes = [line for line in report.splitlines() if line.startswith("  diner-")]
    eaten = int(re.search(r"Buns: \d+ cooked, (\d+) eaten", report)[1])
    assert lanes and all("e" in lane[10:] and "t" in lane[10:] for lane in lanes), "\n".join(lanes)
    assert sum(lane[10:].count("e") for lane in lanes) >= eaten // 2, report


# -- 5. endings that are true -----------------------------------------------------


def test_a_partial_run_does_not_end_in_well_done(learner_copy):
    """`pytest tests/test_01_sentinel.py -k spawn` ended with "Well done"."""
    (learner_copy / "katas" / FIRST.file).write_text(solution(FIRST))
    out = learner_run(learner_copy, f"tests/test_{FIRST.name}.py", "-k", f"{FIRST_TEST} and spawn").stdout
    assert "1 passed" in out, out[-3000:]
    assert re.search(rf"· {FIRST.number} {FIRST.slug} .* 1 passed; not all of its tests ran$", out, re.M)
    assert "Well done" not in out and f"0 of {len(KATAS)} katas done" in out
    assert next_steps(out) == [f"Next: the tests that ran pass, but not every test of kata {FIRST.number} ran. "
                               f"All of them:  pytest --kata {FIRST.number}"]


def test_kata_n_after_every_kata_is_solved_says_so(learner_copy):
    """Under --kata, the table said "0 of 6 katas done" after all six were solved."""
    for k in KATAS:
        (learner_copy / "katas" / k.file).write_text(solution(k))
    state.write(str(learner_copy), solved.FILE, solved.keys(str(learner_copy)))  # as six solving runs leave it
    out = learner_run(learner_copy, "--kata", FIRST.number, *ONE_TEST).stdout
    assert f"{len(KATAS)} of {len(KATAS)} katas done" in out, out[-3000:]
    assert out.strip().splitlines()[-2] == f"Kata {FIRST.number} passes, and so does every kata here. Well done!"


def _pytest_above() -> str:
    return '''
def _pytest():
    """The pytest process this run is part of: the nearest ancestor started as `python -m pytest`."""
    pid = os.getppid()
    while pid > 1:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if b"pytest" in f.read().split(b"\\0"):
                return pid
        with open(f"/proc/{pid}/stat") as f:
            pid = int(f.read().rsplit(")", 1)[1].split()[1])
    raise RuntimeError("no pytest above this run")
'''


def test_ctrl_c_mid_run_ends_in_a_true_sentence_and_leaves_nothing_running(learner_copy):
    """Ctrl+C mid-run printed "… Every kata here passes. Well done!"."""
    k = BY["02"]
    (learner_copy / "katas" / k.file).write_text(f"""\
import os
import signal
import time
{_pytest_above()}

def cook(counter, shop):
    pass


def diner(counter, shop):
    pass


def open_shop(shop):
    with open(os.path.join(os.environ["DOJO_TARGET_DIR"], "main.pid"), "w") as f:
        f.write(str(os.getpid()))
    os.kill(_pytest(), signal.SIGINT)  # the learner presses Ctrl+C while this kata runs
    time.sleep(60)
""")
    done = learner_run(learner_copy, "--kata", k.number)
    out = done.stdout
    assert done.returncode == 2, out[-3000:]
    assert ("The run was stopped (Ctrl+C) before it finished, so it says nothing about the katas it did not reach. "
            "Run it again:  pytest") in out
    assert "Well done" not in out and f"Kata {k.number} passes" not in out
    # The learner's main (a fork in a session of its own) went with the run.
    main = int((learner_copy / "katas" / "main.pid").read_text())
    try:
        psutil.Process(main).wait(timeout=10)  # killed: reaped by whoever inherited it
    except psutil.NoSuchProcess:
        pass
    assert not psutil.pid_exists(main) or psutil.Process(main).status() == psutil.STATUS_ZOMBIE


# -- 6. watch mode ------------------------------------------------------------------


def test_a_save_during_a_run_gives_a_run_after_it(learner_copy):
    """A save made during a run was picked up halfway, and no rerun followed."""
    # The learner saves the fix while the run is going: the program writes the solution over its own file.
    fix = solution(FIRST)
    source = _kata(PROCESSES).replace("def open_shop(shop):\n", textwrap.dedent(f"""\
        def open_shop(shop):
            import os
            with open(os.path.join(os.environ["DOJO_TARGET_DIR"], {FIRST.file!r}), "w") as f:
                f.write({fix!r})
            raise SystemExit(3)
        """), 1)
    (learner_copy / "katas" / FIRST.file).write_text(source)
    done = learner_python(learner_copy, "-m", "dojo.rerun", "--lang", "en", "-p", "no:cacheprovider",
                          "--kata", FIRST.number, *ONE_TEST)
    out = done.stdout
    assert done.returncode == 0, out[-3000:]
    first, again = out.split(f"katas/{FIRST.file} was saved while that run ran, so its report may mix old and new "
                             "code: running again with what is saved now.\n")
    assert "failed" in first
    assert f"{len(METHODS)} passed" in again and "failed" not in again


# -- 8, 9. Chinese, README ----------------------------------------------------------


def test_chinese_reads_as_chinese_with_one_unit(learner_copy):
    out = learner_python(learner_copy, f"katas/{FIRST.file}", "--lang", "zh").stdout
    report = failures(out)
    assert f"共 {len(KATAS)} 个练习，已完成 0 个" in out, out[-3000:]
    assert re.search(r"^ +0 秒 +\d\.\d\d 秒 ┆ \d\.\d\d 秒时停下$", report, re.M), report
    assert re.search(r"\^ \d\.\d\d 秒时最后一次有进展", report)
    assert not re.search(r"\d s 时|\d s[，。）]", report)
    # No English role word inside a Chinese sentence (role names like diner-1 are names, and stay).
    words = re.sub(r"\b(?:cook|diner)-\d+\b|`[^`]*`|\w+\([^)]*\)|^\s*(?:位置|\|).*$", "", report, flags=re.M)
    assert not re.search(r"[\u4e00-\u9fff][^\n]*\b(?:diner|cook)s?\b", words), report


def test_the_readme_starts_with_a_venv_and_names_the_fast_loop():
    readme = open(os.path.join(os.path.dirname(__file__), "..", "..", "README.md"), encoding="utf-8").read()
    quick = readme.split("## Quickstart", 1)[1].split("## Everyday commands", 1)[0]
    commands = re.search(r"```sh\n(.*?)```", quick, re.S)[1]
    assert commands.index("python3 -m venv .venv") < commands.index("pip install -e .")
    assert "externally-managed-environment" in quick and "uv venv" in quick
    assert "repository's folder" in quick and "pytest --kata N" in quick and "python katas/01_sentinel.py" in quick
    zh = readme.split("## 快速开始", 1)[1]
    assert re.search(r"```sh\n(.*?)```", zh, re.S)[1].index("venv") < zh.index("pip install -e .")
