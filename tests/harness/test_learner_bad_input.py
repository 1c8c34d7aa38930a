"""Bad input, driven like a learner: `pytest` in a copy whose first kata file is broken.

Each case gets a short, plain message (what is wrong, where, what to do), and
the progression still works: the progress table and exactly one next step.
"""
import re
import textwrap

import pytest

from dojo.katas import KATAS

from .learner_tools import learner_run, next_steps

FIRST = KATAS[0]
PATH = f"katas/{FIRST.file}"

# The first kata's shape, correct but for what each case breaks ({cook_end}, {main_middle}).
SHOP = """\
import multiprocessing
import os
import sys


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
{cook_end}    counter.put(None)


def diner(counter, shop):
    while (bun := counter.get()) is not None:
        shop.eat(bun)


def open_shop(shop):
    counter = multiprocessing.Queue()
    the_cook = multiprocessing.Process(target=cook, args=(counter, shop))
    the_diner = multiprocessing.Process(target=diner, args=(counter, shop))
    the_cook.start()
    the_diner.start()
    the_cook.join()
{main_middle}    the_diner.join()
"""


def shop(cook_end="", main_middle=""):
    return SHOP.format(cook_end=textwrap.indent(cook_end, "    "), main_middle=textwrap.indent(main_middle, "    "))


def line_of(source: str, text: str) -> int:
    return next(i for i, line in enumerate(source.splitlines(), 1) if text in line)


def run_broken(folder, source: str | None):
    kata = folder / "katas" / FIRST.file
    if source is None:
        kata.unlink()
    else:
        kata.write_text(source)
    done = learner_run(folder)
    out = done.stdout
    assert done.returncode == 1, out[-3000:]
    failures = out.split("= FAILURES =", 1)[1].split("Deadlock Dojo · progress", 1)[0]
    report = re.split(r"^_{3,} test_\S+ _{3,}$", failures, flags=re.M)[1].lstrip("\n")  # below the test's name
    # The progression still works: the table, the count, exactly one next step.
    assert f"▶ {FIRST.number} {FIRST.slug}" in out
    assert f"0 of {len(KATAS)} katas done" in out
    assert len(next_steps(out)) == 1, next_steps(out)
    assert "Traceback (most recent call last)" not in out and "dojo/child.py" not in out
    return report, next_steps(out)[0]


FIX_WHAT_IS_NAMED = f"Next: open {PATH} and fix what the report above names. Then run:  pytest"


def test_a_syntax_error(learner_copy):
    stub = (learner_copy / "katas" / FIRST.file).read_text()
    report, step = run_broken(learner_copy, stub + "\ndef diner(counter, shop)\n    pass\n")
    broken = len(stub.splitlines()) + 2
    assert report.startswith(f"CRASH: {PATH} has a syntax error at line {broken}")
    assert "Fix that line, save, and run pytest again." in report
    assert step == FIX_WHAT_IS_NAMED


def test_a_missing_or_renamed_function(learner_copy):
    report, step = run_broken(learner_copy, shop().replace("def diner(", "def eater("))
    assert report.startswith(f"CRASH: {PATH} has no function diner(). The kata asks for: def diner(counter, shop).")
    assert step == FIX_WHAT_IS_NAMED


def test_a_wrong_signature(learner_copy):
    report, step = run_broken(learner_copy, shop().replace("def cook(counter, shop)", "def cook(counter)"))
    assert report.startswith(f"CRASH: {PATH}: cook() takes other parameters than the kata asks for. "
                             "Yours: def cook(counter). Wanted: def cook(counter, shop).")
    assert step == FIX_WHAT_IS_NAMED


def test_a_deleted_kata_file(learner_copy):
    report, step = run_broken(learner_copy, None)
    assert report.startswith(f"CRASH: {PATH} is not there.")
    assert f"Get the starting file back with:  pytest --reset {FIRST.number}" in report  # the same way as the step
    assert step == f"Next: {PATH} is missing. Get the original back with:  pytest --reset {FIRST.number}"


def test_a_kata_that_prints_megabytes(learner_copy):
    # About 2.7 MB: 20,000 lines, one line of 100 kB, a last word; then a hang (no None for the diner).
    source = shop(cook_end="for i in range(20_000):\n    print('bun', i, 'x' * 120)\n"
                           "print('y' * 100_000)\nprint('the end')\nreturn\n")
    report, step = run_broken(learner_copy, source)
    assert report.startswith("HANG: diner-1 is blocked in counter.get()")
    printed = [line.strip() for line in report.split("Your program printed:", 1)[1].split("\n\n", 1)[0].strip().splitlines()]
    assert re.fullmatch(r"\| \[… your program printed 2\.\d MB here, 20,002 lines; only the last 2 lines are shown …\]",
                        printed[0]), printed[0]
    assert printed[1].startswith("| [… the start of this line is not shown …] yyyy") and len(printed[1]) < 300
    assert printed[2:] == ["| the end"]
    assert len(report) < 8000  # megabytes in, a screenful out
    assert step.startswith(f"Next: open {PATH}, read the story at the top")


def test_a_kata_that_prints_without_end_is_stopped_at_the_cap(learner_copy):
    report, _ = run_broken(learner_copy, shop(cook_end="while True:\n    print('x' * 1000)\n"))
    assert "CRASH: cook-1 raised OSError" in report and "OSError: [Errno 27] File too large" in report
    assert "Your program printed more than 64 MB, the most one run may print, so the dojo made the next write fail" in report
    assert "only the last 6 lines are shown" in report


@pytest.mark.parametrize("how", ["sys.exit(2)", "os._exit(2)"])
def test_main_that_exits_in_the_middle(learner_copy, how):
    source = shop(main_middle=how + "\n")
    report, step = run_broken(learner_copy, source)
    line = line_of(source, how)
    assert (f"main left in the middle: at {PATH}:{line}, in open_shop(), `{how}` ended the process with exit code 2, "
            "before open_shop() returned.") in report
    assert "The kata's functions end by returning. Take that line out, save, and run pytest again." in report
    assert ("os._exit() ends a process at once" in report) == how.startswith("os.")
    assert step.startswith(f"Next: open {PATH}")


def test_a_cook_that_exits_in_the_middle(learner_copy):
    source = shop(cook_end="sys.exit(3)\n")
    report, _ = run_broken(learner_copy, source)
    line = line_of(source, "sys.exit(3)")
    assert f"cook-1 left in the middle: at {PATH}:{line}, in cook(), `sys.exit(3)` ended the process with exit code 3" in report
    assert "CRASH: cook-1 exited with code 3" in report
