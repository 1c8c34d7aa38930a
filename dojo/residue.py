"""What a run leaves outside its processes: entries in /dev/shm, and its run folder.

A killed process cannot clean up after itself, and the warden kills whole
trees, resource tracker included. So every such thing is named or written
down in a way that says which run, and which test session, it belongs to:

- semaphores: the instrumentation gives multiprocessing a name prefix per run
  (``semprefix``), so they are ``/dev/shm/sem.mp-dojo-<run id>-<random>``;
- shared memory blocks (``multiprocessing.shared_memory``) may have a name
  the learner chose, so each one a run creates is written down in its run
  folder (``shm.txt``), with its inode: a block of that name made later by
  someone else is never taken for it;
- run folders are ``dojo-run-<pid>-<random>``, after the test process that
  made them (a run id starts with that pid too). A folder kept on purpose
  (``DOJO_KEEP_RUNS``) holds a file ``kept``.

Once a test process has ended, nothing will read its runs again: what they
left belongs to an ended session and may go. The warden removes a run's
/dev/shm entries after killing its tree, run.py again after the warden (it may
have been killed too), and every test session at its end sweeps its own runs
and those of sessions that died (plugin.py). ``python -m dojo.survivors``
reports anything of an ended session still there.

Linux only, like the rest of the harness: elsewhere there is no /dev/shm and
the functions here find nothing.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time

SHM = "/dev/shm"
SEM_HEAD = "sem.mp-dojo-"  # how a run's semaphores appear in SHM (glibc adds "sem.")
FOLDER_HEAD = "dojo-run-"
KEPT = "kept"  # in a run folder: kept on purpose, never swept
SHM_RECORD = "shm.txt"  # in a run folder: the shared memory blocks the run created
KEEP_ENV = "DOJO_KEEP_RUNS"


# -- names ------------------------------------------------------------------


def semprefix(run_id: str) -> str:
    """The ``semprefix`` multiprocessing gives this run's semaphores (it adds ``-`` and 8 random characters).

    glibc allows 251 characters; a run id is about 25.
    """
    return f"/mp-dojo-{run_id}"


def _sem_run(entry: str) -> str | None:
    """The run id in a /dev/shm entry's name, if it is a dojo run's semaphore."""
    if not entry.startswith(SEM_HEAD):
        return None
    run_id, _, _random = entry[len(SEM_HEAD):].rpartition("-")
    return run_id or None


def _owner(run_or_session: str) -> int | None:
    """The pid of the test process a run id, session id or run folder name starts with."""
    first = run_or_session.split("-", 1)[0]
    return int(first) if first.isdigit() else None


def ended(run_or_session: str) -> bool:
    """Has the test process that made this run (or session, or folder) ended?"""
    import psutil  # here, not at the top: learner processes import this module and need none of it

    pid = _owner(run_or_session)
    return pid is not None and not psutil.pid_exists(pid)


def _mine(run_id: str, session: str) -> bool:
    return run_id == session or run_id.startswith(session + "-")


def _listdir(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


# -- run folders --------------------------------------------------------------


def new_run_dir(session: str) -> str:
    """A new run folder in the temp folder, named after the test process of ``session``."""
    run_dir = tempfile.mkdtemp(prefix=f"{FOLDER_HEAD}{_owner(session)}-")
    if os.environ.get(KEEP_ENV):  # marked now: if the session is killed, the next one still keeps it
        open(os.path.join(run_dir, KEPT), "w").close()
    return run_dir


def drop(run_dir: str) -> list[str]:
    """A run that nobody will read any more: its recorded shared memory, then its folder (unless kept).

    Call it once no process of the run is left: a live one could make more.
    """
    removed = _remove(_recorded(run_dir))
    if not os.path.exists(os.path.join(run_dir, KEPT)) and os.path.isdir(run_dir):
        shutil.rmtree(run_dir, ignore_errors=True)
        removed.append(run_dir)
    return removed


def run_folders(temp: str | None = None) -> list[str]:
    """Every run folder in the temp folder, named after its test process (older names are not ours to judge)."""
    temp = temp or tempfile.gettempdir()
    return [os.path.join(temp, name) for name in _listdir(temp)
            if name.startswith(FOLDER_HEAD) and _owner(name[len(FOLDER_HEAD):]) is not None]


def _session_of(folder: str) -> str:
    return os.path.basename(folder)[len(FOLDER_HEAD):]


def ended_folders(temp: str | None = None) -> list[str]:
    """Run folders of ended sessions, except those kept on purpose."""
    return [f for f in run_folders(temp) if ended(_session_of(f)) and not os.path.exists(os.path.join(f, KEPT))]


# -- /dev/shm -------------------------------------------------------------------


def record_shm(run_dir: str, name: str, fd: int) -> None:
    """In a learner process: write down a shared memory block it has just created (see instrument.py).

    One ``write`` with O_APPEND: lines of processes writing at once never mix.
    """
    try:
        line = f"{os.fstat(fd).st_ino} {json.dumps(name)}\n".encode()
        out = os.open(os.path.join(run_dir, SHM_RECORD), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(out, line)
        finally:
            os.close(out)
    except OSError:  # the run folder is gone: the run is over, and its blocks are swept by name
        pass


def _recorded(run_dir: str) -> list[str]:
    """The shared memory blocks a run wrote down that are still there, and still the same ones."""
    try:
        with open(os.path.join(run_dir, SHM_RECORD), encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        inode, _, name = line.partition(" ")
        try:
            path = os.path.join(SHM, json.loads(name).lstrip("/"))
            if str(os.stat(path).st_ino) == inode:
                found.append(path)
        except (OSError, ValueError, AttributeError):  # gone already, or a torn line of a killed process
            continue
    return found


def _sems() -> list[tuple[str, str]]:
    """Every dojo run's semaphore in /dev/shm, with its run id."""
    return [(os.path.join(SHM, e), rid) for e in _listdir(SHM) if (rid := _sem_run(e))]


def entries(run_id: str, run_dir: str | None = None) -> list[str]:
    """The /dev/shm entries of one run that are still there."""
    found = [path for path, rid in _sems() if rid == run_id]
    return found + (_recorded(run_dir) if run_dir else [])


def _remove(paths) -> list[str]:
    removed = []
    for path in paths:
        try:
            os.unlink(path)
            removed.append(path)
        except OSError:  # removed meanwhile (by the run's own resource tracker, or another sweep)
            pass
    return removed


def remove_shm(run_id: str, run_dir: str | None = None) -> list[str]:
    """Unlink what one run left in /dev/shm; call it once no process of the run is left."""
    return _remove(entries(run_id, run_dir))


def ended_entries(temp: str | None = None) -> list[tuple[str, str]]:
    """Every /dev/shm entry still there from a run of an ended session: (path, how it is known to be one)."""
    found = [(path, f"run {rid}") for path, rid in _sems() if ended(rid)]
    for folder in run_folders(temp):
        if ended(_session_of(folder)):
            found += [(path, f"written down in {folder}") for path in _recorded(folder)]
    return found


# -- at the end of a test session --------------------------------------------


def sweep(session: str, temp: str | None = None) -> list[str]:
    """What runs of this session and of ended sessions left: their /dev/shm entries and run folders.

    Called when a test session ends, after their processes are killed. A
    session that was killed never got here, so the next one does it.
    Returns what was removed.
    """
    removed = []
    own = _owner(session)
    for folder in run_folders(temp):
        if _owner(_session_of(folder)) == own or (ended(_session_of(folder)) and _settled(folder)):
            removed += drop(folder)
    removed += _remove(path for path, rid in _sems() if _mine(rid, session) or (ended(rid) and _settled(path)))
    return removed


GRACE_ENV = "DOJO_SWEEP_GRACE"


def _settled(path: str) -> bool:
    """Left alone for a while (``DOJO_SWEEP_GRACE`` seconds, 60 by default).

    Sessions end all the time beside each other (every inner pytest of the dojo's own tests is one):
    what a killed session left is swept by a session that ends a little later, not by whichever ends
    first, so that ``python -m dojo.survivors`` can still be asked about it in between. Only what
    belongs to ended sessions waits; a session's own leftovers go at once.
    """
    try:
        age = time.time() - os.stat(path).st_mtime
    except OSError:
        return False
    return age >= float(os.environ.get(GRACE_ENV, "60"))
