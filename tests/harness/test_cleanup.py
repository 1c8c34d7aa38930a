"""No process of a run survives it: not a setsid() one, not a double fork."""
import psutil

from dojo.judge import Status

ESCAPE_AND_RETURN = """
import os, signal

def open_shop(shop):
    child = os.fork()
    if child == 0:
        os.setsid()              # a new session: out of main's process group
        if os.fork() == 0:       # the grandchild is orphaned at once
            while True:
                signal.pause()
        os._exit(0)
    os.waitpid(child, 0)
"""

ESCAPE_AND_HANG = """
import multiprocessing, os

def hide(counter):
    os.setsid()
    counter.get()                # blocked for ever, in a session of its own

def open_shop(shop):
    counter = multiprocessing.Queue()
    p = multiprocessing.Process(target=hide, args=(counter,))
    p.start()
    p.join()
"""

IGNORES_SIGTERM = """
import multiprocessing, signal

def stubborn():
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    while True:
        signal.pause()

def open_shop(shop):
    p = multiprocessing.Process(target=stubborn)
    p.start()
    p.join()
"""


def _gone(pids):
    return [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]


def test_a_double_forked_setsid_orphan_is_a_leak_and_is_killed(program):
    run, verdict = program(ESCAPE_AND_RETURN)
    assert verdict.status is Status.LEAK, verdict.findings
    leaked = [row["pid"] for row in run.result["alive"]]
    assert leaked
    assert not _gone(leaked)


def test_a_setsid_child_that_hangs_is_found_and_killed(program):
    run, verdict = program(ESCAPE_AND_HANG)
    assert verdict.status is Status.HANG
    assert "hide-1 is blocked in counter.get()" in verdict.first.headline
    assert not _gone(row["pid"] for row in run.result["alive"])


def test_a_child_that_ignores_signals_is_killed_anyway(program):
    run, verdict = program(IGNORES_SIGTERM)
    assert verdict.status is Status.HANG
    assert len(run.result["alive"]) == 2
    assert not _gone(row["pid"] for row in run.result["alive"])


def test_a_run_whose_test_process_died_is_swept(tmp_path):
    """A learner process left by a killed test session is found and killed by the next session."""
    import os
    import subprocess
    import sys

    import tempfile

    from dojo.events import RUN_DIR_ENV, RUN_ID_ENV
    from dojo.warden import sweep_orphans

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    owner = int(dead.stdout)  # a pid that has just ended: the "killed test session"
    folder = os.path.join(tempfile.mkdtemp(dir=tmp_path), f"dojo-run-{owner}-x")  # a temporary folder of its own
    env = dict(os.environ, **{RUN_ID_ENV: f"{owner}-deadbeef-1", RUN_DIR_ENV: folder})
    left = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], env=env)
    try:  # Popen returns once the child has exec'd: its environment is readable now
        assert left.pid in sweep_orphans(os.path.dirname(folder))
        assert left.wait(timeout=5) != 0
    finally:
        left.kill()


def test_an_orphaned_run_in_another_temporary_folder_is_left_to_its_own_sessions(tmp_path):
    """Sessions with a temporary folder of their own sweep their own orphans: a session that happens to end
    meanwhile elsewhere does not, or what ``python -m dojo.survivors`` is about to report would vanish."""
    import os
    import subprocess
    import sys

    from dojo.events import RUN_DIR_ENV, RUN_ID_ENV
    from dojo.warden import sweep_orphans

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    owner = int(dead.stdout)
    elsewhere = tmp_path / "their-temp" / f"dojo-run-{owner}-x"
    env = dict(os.environ, **{RUN_ID_ENV: f"{owner}-cafe-1", RUN_DIR_ENV: str(elsewhere)})
    left = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], env=env)
    try:
        assert left.pid not in sweep_orphans()  # ours is the default temporary folder
        assert left.poll() is None
        assert left.pid in sweep_orphans(str(tmp_path / "their-temp"))  # theirs: swept
        assert left.wait(timeout=5) != 0
    finally:
        left.kill()
