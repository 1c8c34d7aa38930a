"""The grading battery: a class of 20 students, nine of them hostile programs.

Shared by tests/harness/test_grading.py (which grades the class once and
checks every report) and dojo/soak.py (which grades it on an idle machine and
under load, and compares the class words). The class is built from the
solutions, the untouched stubs, one submission for each failure class, and
hostile ones; it is graded on katas 01 and 03 under spawn, the start method
where every child is a fresh interpreter, to keep it quick.

The hostile programs read four environment variables (``grading_env``): the
folders ``writes_outside`` tries to write into, the file a planted
``conftest.py``, test file or pytest plugin would write if pytest ever ran it,
and the tag in the names ``writes_dev_shm`` leaves in /dev/shm.
"""
from __future__ import annotations

import os
import shutil
import textwrap

from dojo import katas as table
from dojo.run import ROOT

SELECT = ["-k", "spawn and (test_01 or test_03)"]
KATAS = ("01", "03")  # the katas the battery grades
KATA_01 = table.BY_NUMBER["01"]
KATA_03 = table.BY_NUMBER["03"]
SOLUTION_01 = open(os.path.join(ROOT, "solutions", KATA_01.file), encoding="utf-8").read()

# Prints what no XML file may hold (ESC, NUL, BEL, form feed), then hangs like the stub.
CONTROL = open(os.path.join(ROOT, "tests", "wrong", KATA_01.name, "no_sentinel.py"), encoding="utf-8").read().replace(
    "def open_shop(shop):", "def open_shop(shop):\n    print('\\x1b[31mred\\x00 bell\\x07 feed\\x0c done\\x1b[0m', flush=True)", 1)
# A solution that leaves a file and a folder in /dev/shm: a graded run has a /dev/shm of its own, gone after it.
DEV_SHM = SOLUTION_01.replace("def open_shop(shop):", """def open_shop(shop):
    import os
    tag = os.environ["DOJO_GRADE_TEST_SHM"]
    with open(f"/dev/shm/{tag}-{os.getpid()}", "w") as f:
        f.write("left in /dev/shm by a graded run")
    os.mkdir(f"/dev/shm/{tag}-dir-{os.getpid()}")
""", 1)
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
            while True:              # bytes(n) asks for zeroed pages and never touches them: no CPU time
                hoard.append(bytes(200_000_000))   # spent, so it is a CRASH (MemoryError) on every machine
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
# Read only if pytest took the submission for its project (``pytest --grade DIR`` with a space):
# the grader's pytest would then import student_plugin.py before the dojo could say a word.
PLANTED_INI = """
[pytest]
pythonpath = .
addopts = -p student_plugin
"""
PLANTED_PLUGIN = """
import os
open(os.environ["DOJO_GRADE_TEST_MARK"], "w").write("a planted pytest plugin ran in the grader")
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
    "writes_dev_shm": ("PASS", KATA_01.points),  # what matters is what it left in /dev/shm
    "control_chars": ("HANG", 0),
    "planted": ("PASS", KATA_01.points),
}


def grading_env(out, root, mark, shm_tag: str = "dojo-hostile-shm") -> dict:
    """The environment a grading of this class runs in: where ``writes_outside`` and the planted files aim."""
    env = dict(os.environ, DOJO_GRADE_TEST_OUT=str(out), DOJO_GRADE_TEST_ROOT=str(root),
               DOJO_GRADE_TEST_MARK=str(mark), DOJO_GRADE_TEST_SHM=shm_tag)
    env.pop("PYTEST_XDIST_WORKER", None)  # the grading is a session of its own, not a worker of ours
    return env


def build_class(folder, only=None) -> None:
    """Write the class into ``folder``, one folder per student; ``only``: just these students."""

    def student(name, files):
        if only is not None and name not in only:
            return
        os.makedirs(folder / name)
        for file, text in files.items():
            (folder / name / file).parent.mkdir(parents=True, exist_ok=True)
            (folder / name / file).write_text(textwrap.dedent(text) if text.startswith("\n") else text)

    for src, name in (("solutions", "a_solution"), ("katas", "b_stub")):
        if only is None or name in only:
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
    student("control_chars", {KATA_01.file: CONTROL})
    student("writes_dev_shm", {KATA_01.file: DEV_SHM})
    student("planted", {KATA_01.file: SOLUTION_01, "conftest.py": PLANTED_CONFTEST, "test_evil.py": PLANTED_TEST,
                        "tests/conftest.py": PLANTED_CONFTEST, "pytest.ini": PLANTED_INI,
                        "student_plugin.py": PLANTED_PLUGIN})
