"""Nothing of a run is left behind, killed or not: no /dev/shm entry, no run folder, no process.

The runs here are killed three ways: by their warden (a hang), by a Ctrl-C
in the test process, and with the test process itself (SIGKILL, as when a
session is killed). In the last case nothing of that session is left to clean
up, so the next session does; until then ``python -m dojo.survivors`` says
what is left.
"""
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from multiprocessing import shared_memory

import pytest

from dojo import residue
from dojo.judge import Status
from dojo.run import ROOT
from dojo.warden import marked, sweep

METHODS = [m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]
LIMIT = 60  # seconds: the most any condition here is waited for; it is met in about one

# Prints every semaphore, shared memory block and temporary folder it makes, then hangs.
HANGS = """
import multiprocessing, multiprocessing.util
from multiprocessing import shared_memory

def diner(counter):
    print("sem", multiprocessing.Lock()._semlock.name, flush=True)   # one made in the child too
    counter.get()

def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    print("sem", counter._rlock._semlock.name)
    mine = shared_memory.SharedMemory(name=NAMED, create=True, size=64)
    print("shm", mine.name)
    print("shm", shared_memory.SharedMemory(create=True, size=64).name)
    print("tmp", multiprocessing.util.get_temp_dir())
    p = multiprocessing.Process(target=diner, args=(counter,))
    p.start()
    p.join()
"""

# Runs until killed: its warden is frozen at once, and its child sleeps.
SLEEPS = """
import multiprocessing, os, signal, time
from multiprocessing import shared_memory

def sleeper(counter):
    multiprocessing.Lock()
    # Freeze this run's warden (main's parent) before saying READY: it can then neither judge the run (a HANG
    # after a while) nor end it, however long the test takes to stop the session; its SIGKILL, once the
    # session dies, still comes.
    with open(f"/proc/{os.getppid()}/stat") as f:
        warden = int(f.read().rsplit(")", 1)[1].split()[1])
    os.kill(warden, signal.SIGSTOP)
    open(READY, "w").close()
    while True:
        time.sleep(0.05)

def open_shop(shop):
    counter = multiprocessing.Queue()
    mine = shared_memory.SharedMemory(name=NAMED, create=True, size=64)
    p = multiprocessing.Process(target=sleeper, args=(counter,))
    p.start()
    p.join()
"""

# The test process of an interrupted session: runs one program, and is stopped mid-run.
DRIVER = """
import signal, sys
from dojo.run import run_program
from dojo.shop import Shop

signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C raises, whatever this process inherited

run_program(target_dir=sys.argv[1], kata_file="program.py", entry="open_shop", contract={"open_shop": ["shop"]},
            start_method="spawn", shop=Shop(), deadline=LIMIT)
"""


def _until(condition, what: str):
    deadline = time.monotonic() + LIMIT
    while not condition():
        assert time.monotonic() < deadline, f"waited {LIMIT} s for {what}"
        time.sleep(0.02)


def _shm(name: str) -> str:
    return os.path.join(residue.SHM, name.lstrip("/"))


def _sems_of(pid: int) -> list[str]:
    """Every /dev/shm semaphore of the runs of test process ``pid``."""
    return [os.path.join(residue.SHM, e) for e in os.listdir(residue.SHM)
            if e.startswith(f"{residue.SEM_HEAD}{pid}-")]


@pytest.mark.parametrize("method", METHODS)
def test_a_run_killed_by_its_warden_leaves_nothing(program, method):
    named = f"dojo-test-{uuid.uuid4().hex[:12]}"
    try:
        run, verdict = program(f"NAMED = {named!r}\n" + HANGS, method=method)
        assert verdict.status is Status.HANG, verdict.findings
        rid, run_dir = run.spec["run_id"], run.spec["cwd"]
        made = [line.split(" ", 1) for line in run.stdout.splitlines()]
        sems = [name for kind, name in made if kind == "sem" and name != "None"]  # under fork: unlinked at once
        shms = [name for kind, name in made if kind == "shm"]
        tmp = [name for kind, name in made if kind == "tmp"]
        assert len(shms) == 2 and len(tmp) == 1, run.stdout
        if method != "fork":  # named after the run in the main process and in a spawned or forkserver child
            assert len(sems) == 2 and all(s.startswith(f"/mp-dojo-{rid}-") for s in sems), sems
        assert tmp[0].startswith(os.path.join(run_dir, "tmp") + os.sep)  # multiprocessing's pymp-* folder
        left = [p for p in [_shm(s) for s in sems + shms] if os.path.exists(p)]
        assert not left, f"the run left {left}"
        if not os.environ.get(residue.KEEP_ENV):  # kept on purpose: pymp-* goes with the folder
            assert not os.path.exists(run_dir) and not os.path.exists(tmp[0])
    finally:
        if os.path.exists(_shm(named)):
            os.unlink(_shm(named))


@pytest.fixture
def session(tmp_path):
    """A test process that runs SLEEPS under spawn in a temp folder of its own, stopped once it is READY."""
    temp = tempfile.mkdtemp(prefix="dojo-t-")  # short: multiprocessing's socket path must fit in 107 bytes
    named = f"dojo-test-{uuid.uuid4().hex[:12]}"
    ready = tmp_path / "ready"
    (tmp_path / "program.py").write_text(f"NAMED = {named!r}\nREADY = {str(ready)!r}\n" + SLEEPS)
    env = dict(os.environ, TMPDIR=temp, PYTHONPATH=ROOT)
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_ADDOPTS", residue.KEEP_ENV):  # a plain session
        env.pop(name, None)
    driver = subprocess.Popen([sys.executable, "-c", f"LIMIT = {LIMIT}\n" + DRIVER, str(tmp_path)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _until(lambda: ready.exists() or driver.poll() is not None, "the program to start")
        assert driver.poll() is None, driver.communicate()
        folders = residue.run_folders(temp)
        assert [os.path.basename(f).split("-")[2] for f in folders] == [str(driver.pid)]
        assert os.path.exists(_shm(named)) and _sems_of(driver.pid), "the run made nothing to leave behind"
        yield driver, folders[0], _shm(named), temp, env
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.communicate()
        sweep(f"{driver.pid}-", prefix=True)
        for path in _sems_of(driver.pid) + [_shm(named)]:
            if os.path.exists(path):
                os.unlink(path)
        shutil.rmtree(temp, ignore_errors=True)


def _processes(pid: int) -> list[int]:
    return [p.pid for p, rid, _ in marked() if rid.startswith(f"{pid}-")]


def test_a_run_interrupted_by_ctrl_c_leaves_nothing(session):
    driver, folder, named, temp, env = session
    driver.send_signal(signal.SIGINT)
    _, err = driver.communicate(timeout=LIMIT)
    assert "KeyboardInterrupt" in err, err
    # run_program removed these before it let the interrupt go on
    assert not os.path.exists(folder)
    assert not os.path.exists(named)
    assert not _sems_of(driver.pid)
    _until(lambda: not _processes(driver.pid), "the run's processes to end")  # killed, maybe not yet reaped


def test_a_killed_session_is_reported_then_swept_by_the_next(session):
    driver, folder, named, temp, env = session
    driver.kill()
    driver.communicate()  # reaped: its pid is free, so its session has ended
    sems = _sems_of(driver.pid)
    assert sems and os.path.exists(named) and os.path.exists(folder)  # nothing could remove them

    report = subprocess.run([sys.executable, "-m", "dojo.survivors"], env=env, capture_output=True, text=True)
    assert report.returncode == 1, report.stdout
    lines = report.stdout.splitlines()
    assert any(line.startswith("survived its run:") and f"(run {driver.pid}-" in line for line in lines), report.stdout
    for path in sems + [named]:
        assert any(line.startswith(f"left in /dev/shm: {path} (") for line in lines), f"{path} in:\n{report.stdout}"
    assert f"run folder left: {folder}" in lines

    # The next session, with no grace: every other session ending meanwhile leaves what is fresh alone.
    nxt = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--solutions", "--co", "-q",
                          "tests/test_01_sentinel.py"], cwd=ROOT, env=dict(env, DOJO_SWEEP_GRACE="0"),
                         capture_output=True, text=True, timeout=LIMIT)
    assert nxt.returncode == 0, nxt.stdout + nxt.stderr
    assert not os.path.exists(folder)
    assert not os.path.exists(named)
    assert not _sems_of(driver.pid)
    _until(lambda: not _processes(driver.pid), "the run's processes to end")

    report = subprocess.run([sys.executable, "-m", "dojo.survivors"], env=env, capture_output=True, text=True)
    ours = [line for line in report.stdout.splitlines() if f"run {driver.pid}-" in line or folder in line]
    assert not ours, ours


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)  # a test process that has just ended


def test_the_sweep_spares_live_sessions_kept_folders_and_blocks_made_again(tmp_path, monkeypatch):
    """Only what is known to be an ended session's goes; a block of the same name made since is another's."""
    dead, live = _dead_pid(), os.getpid()
    temp = tmp_path / "temp"
    folders = {name: temp / f"{residue.FOLDER_HEAD}{pid}-{name}" for name, pid in
               (("dead", dead), ("kept", dead), ("live", 1))}  # pid 1 never ends
    for folder in folders.values():
        folder.mkdir(parents=True)
    (temp / "dojo-run-abc123").mkdir()  # named before run folders carried their pid: not ours to judge
    (folders["kept"] / residue.KEPT).touch()
    tag = uuid.uuid4().hex[:8]
    sems = {who: _shm(f"{residue.SEM_HEAD}{pid}-{tag}-1-abcdefgh") for who, pid in (("dead", dead), ("live", 1))}
    block = shared_memory.SharedMemory(name=f"dojo-test-{tag}", create=True, size=64)
    again = None
    try:
        for path in sems.values():
            open(path, "w").close()
        residue.record_shm(str(folders["dead"]), "/" + block.name, block._fd)
        block.unlink()  # and made again by someone else, under the same name
        again = shared_memory.SharedMemory(name=block.name, create=True, size=64)

        assert residue.ended_folders(str(temp)) == [str(folders["dead"])]
        assert (sems["dead"], f"run {dead}-{tag}-1") in residue.ended_entries(str(temp))
        monkeypatch.setenv(residue.GRACE_ENV, "3600")  # fresh: an ended session's leftovers wait
        assert not [p for p in residue.sweep(f"{live}-{tag}", temp=str(temp)) if tag in p or p.startswith(str(temp))]
        # Ours left two hours ago: settled. Not a grace of 0, which would sweep what other sessions left a
        # moment ago too (test_a_killed_session's, beside this one), before they could be reported.
        monkeypatch.delenv(residue.GRACE_ENV, raising=False)
        ago = time.time() - 7200
        for path in (sems["dead"], folders["dead"]):
            os.utime(path, (ago, ago))
        removed = residue.sweep(f"{live}-{tag}", temp=str(temp))
        ours = [path for path in removed if tag in path or path.startswith(str(temp))]  # not other sessions'
        assert sorted(ours) == sorted([str(folders["dead"]), sems["dead"]])
        assert os.path.exists(sems["live"]) and os.path.exists(_shm(again.name))
        assert sorted(os.listdir(temp)) == sorted(["dojo-run-abc123", folders["kept"].name, folders["live"].name])
    finally:
        for path in sems.values():
            if os.path.exists(path):
                os.unlink(path)
        block.close()
        if again:
            again.close()
            again.unlink()
