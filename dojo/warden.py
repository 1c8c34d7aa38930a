"""The warden: runs one learner program, watches it, and leaves nothing behind.

``python -m dojo.warden RUN_DIR`` is started by the test process in a session
of its own. It

1. becomes a *child subreaper* (Linux ``PR_SET_CHILD_SUBREAPER``), so every
   descendant that is orphaned, by a double fork or ``setsid()``, is
   re-parented to it and can still be found, killed and reaped;
2. starts ``dojo.child`` (the learner's main) in a new session, output to
   files, never pipes (an orphan holding a pipe can block a reader forever);
3. watches for progress: new events, CPU time, a runnable process, or a
   declared bounded wait. With none of these for ``STALL`` seconds the run is
   stalled: every process dumps its stacks (SIGUSR1, ``faulthandler``), then
   the whole tree is killed. ``deadline`` is the fallback for a busy loop;
4. after main exits, gives the run ``GRACE`` seconds to end; whatever is still
   alive then is a LEAK, dumped and killed the same way;
5. writes ``result.json`` for the judge.
"""
from __future__ import annotations

import ctypes
import functools
import json
import os
import resource
import signal
import subprocess
import sys
import time

import psutil

from dojo import residue
from dojo.contain import FILE_SIZE, TREE_MEMORY, TREE_PROCS
from dojo.events import RUN_DIR_ENV, RUN_ID_ENV

POLL = 0.05  # seconds between looks at the run
STALL = 0.9  # no progress for this long is a hang
SPIN = 3.0  # busy on the CPU with no event (no put, get, start, end, declared wait) for this long: a busy loop
CPU_BUSY = 0.2  # share of one core that still counts as working
GRACE = 0.6  # after main exits, time for the rest to end on their own
DUMP_WAIT = 0.3  # time given to faulthandler to write the stacks
PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36
#: bytes any one file of a run may grow to: a print loop must not fill the disk in its 15 s. Past it a
#: write fails with OSError (EFBIG; Python ignores SIGXFSZ), which the learner's traceback then shows.
FILE_CAP = 64 * 2**20


def file_cap(spec: dict) -> int:
    """The cap on any one file of this run: lower for a graded (contained) run, see dojo/contain.py."""
    return FILE_SIZE if spec.get("contain") else FILE_CAP


def _cap_files(cap: int) -> None:  # in the learner's main, before it starts: inherited by all its processes
    resource.setrlimit(resource.RLIMIT_FSIZE, (cap, cap))


def _prctl(option: int, value: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the marker sweep still works
        pass


def child_env(run_dir: str, spec: dict) -> dict:
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ)
    env.pop("PYTEST_XDIST_WORKER", None)
    env[RUN_DIR_ENV] = run_dir
    env[RUN_ID_ENV] = spec["run_id"]
    env["DOJO_TARGET_DIR"] = spec["target_dir"]
    env["PYTHONPATH"] = os.pathsep.join([os.path.join(here, "boot"), os.path.dirname(here)])
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # never leave __pycache__ in a learner's folder
    env["PYTHONUNBUFFERED"] = "1"  # a hang must not keep what was printed
    if spec.get("contain"):  # the fence lets it write only in its run folder: temporary files go there too
        env["TMPDIR"] = os.path.join(run_dir, "tmp")
        os.makedirs(env["TMPDIR"], exist_ok=True)
    return env


class Watch:
    """Progress of a run, judged from outside every ``POLL`` seconds."""

    def __init__(self, run_dir: str):
        self.folder = os.path.join(run_dir, "events")
        self.offsets: dict[str, int] = {}
        self.busy_until: dict[tuple, float] = {}  # (pid, thread) -> end of a declared wait
        self.cpu: dict[int, float] = {}  # pid -> CPU seconds at the last look
        self.last_progress = time.monotonic()
        self.last_event = self.last_progress  # progress that is more than CPU time: events, declared waits

    def _new_events(self) -> bool:
        grew = False
        for name in os.listdir(self.folder):
            path = os.path.join(self.folder, name)
            start = self.offsets.get(name, 0)
            if os.path.getsize(path) <= start:
                continue
            with open(path, "rb") as f:
                f.seek(start)
                chunk = f.read()
            complete = chunk[: chunk.rfind(b"\n") + 1]
            self.offsets[name] = start + len(complete)
            for line in complete.splitlines():
                grew = True
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                busy, thread = e.get("busy"), (e.get("pid"), e.get("tid"))
                if isinstance(busy, (int, float)) and busy > 0:  # a bounded wait: it ends by itself
                    self.busy_until[thread] = e["t"] + busy
                else:
                    self.busy_until.pop(thread, None)
        return grew

    def step(self, procs: list[psutil.Process], now: float) -> float:
        """Look once; return how long the run has gone without progress."""
        cpu, running = {}, False
        for p in procs:
            try:
                with p.oneshot():
                    t = p.cpu_times()
                    cpu[p.pid] = t.user + t.system
                    running |= p.status() in (psutil.STATUS_RUNNING, psutil.STATUS_DISK_SLEEP)
            except psutil.Error:
                continue
        for thread in [t for t in self.busy_until if t[0] not in cpu]:  # its process has ended
            del self.busy_until[thread]
        busy = any(until > now for until in self.busy_until.values())
        # CPU used since the last look by the processes seen both times (one that ended took its own with it)
        used = sum(max(0.0, c - self.cpu[pid]) for pid, c in cpu.items() if pid in self.cpu)
        working = used > CPU_BUSY * POLL
        if self._new_events() or busy or set(cpu) != set(self.cpu):
            self.last_event = self.last_progress = now
        elif running or working:
            self.last_progress = now
        self.cpu = cpu
        return now - self.last_progress


class Warden:
    def __init__(self, run_dir: str):
        self.run_dir = run_dir
        with open(os.path.join(run_dir, "spec.json"), encoding="utf-8") as f:
            self.spec = json.load(f)
        self.me = psutil.Process()
        self.exit_status: dict[int, int] = {}
        self.limit: dict | None = None  # the limit a contained run broke

    def reap(self) -> None:
        """Collect every child that ended (ours, and orphans re-parented to us)."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.exit_status[pid] = os.waitstatus_to_exitcode(status)

    def tree(self) -> list[psutil.Process]:
        out = []
        for p in self.me.children(recursive=True):
            try:
                if p.status() != psutil.STATUS_ZOMBIE:
                    out.append(p)
            except psutil.Error:
                pass
        return out

    def zombies(self) -> list[int]:
        """Descendants that ended but were never waited for by their parent."""
        out = []
        for p in self.me.children(recursive=True):
            try:
                if p.status() == psutil.STATUS_ZOMBIE:
                    out.append(p.pid)
            except psutil.Error:
                pass
        return out

    def describe(self, procs) -> list[dict]:
        rows = []
        for p in procs:
            try:
                rows.append({"pid": p.pid, "ppid": p.ppid(), "status": p.status()})
            except psutil.Error:
                pass
        return rows

    def dump_stacks(self, procs) -> None:
        """Ask every process for its stacks, and wait a moment for them."""
        folder = os.path.join(self.run_dir, "stacks")
        for p in procs:
            try:
                os.kill(p.pid, signal.SIGUSR1)
            except OSError:
                pass
        deadline = time.monotonic() + DUMP_WAIT
        want = {p.pid for p in procs}
        while time.monotonic() < deadline:
            done = {pid for pid in want
                    if os.path.exists(f"{folder}/{pid}.txt") and os.path.getsize(f"{folder}/{pid}.txt") > 0}
            if done == want:
                time.sleep(0.02)  # let the last lines land
                return
            time.sleep(0.01)

    def kill_all(self, main_pid: int) -> None:
        """SIGKILL the whole tree until nothing of it is left."""
        try:
            os.killpg(main_pid, signal.SIGKILL)
        except OSError:
            pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            procs = self.me.children(recursive=True)
            for p in procs:
                try:
                    p.kill()
                except psutil.Error:
                    pass
            self.reap()
            if not self.me.children(recursive=True):
                break
            time.sleep(0.01)
        sweep(self.spec["run_id"], exclude=os.getpid())
        residue.remove_shm(self.spec["run_id"], self.run_dir)  # a killed process never unlinks its semaphores

    def over_limit(self, procs) -> dict | None:
        """For a contained run: what no single process's rlimit can bound, the whole tree's size."""
        if len(procs) > TREE_PROCS:
            return {"what": "processes", "used": len(procs), "max": TREE_PROCS}
        memory = 0
        for p in procs:
            try:
                memory += p.memory_info().rss
            except psutil.Error:
                pass
        if memory > TREE_MEMORY:
            return {"what": "memory", "used": memory >> 20, "max": TREE_MEMORY >> 20}
        return None

    def watch(self, main, watch: Watch, started: float) -> tuple[str, list, list]:
        """Until the run ends, stalls, spins, passes its deadline, leaves a process behind, or breaks a limit."""
        deadline = started + self.spec["deadline"]
        main_ended = None
        while True:
            time.sleep(POLL)
            self.reap()
            now = time.monotonic()
            procs = self.tree()
            if self.spec.get("contain"):
                self.limit = self.over_limit(procs)
                if self.limit:  # no stacks: a fork bomb would not leave time to read them
                    return "limit", self.describe(procs), []
            if main.pid in self.exit_status and main_ended is None:
                main_ended = now
            if main_ended is not None:
                if not procs:
                    return "exited", [], []
                if now - main_ended > GRACE:
                    alive = self.describe(procs)
                    self.dump_stacks(procs)
                    return "leaked", alive, []
                continue
            idle = watch.step(procs, now)
            spinning = now - watch.last_event > SPIN
            if idle > STALL or spinning or now > deadline:
                alive, zombies = self.describe(procs), self.zombies()
                self.dump_stacks(procs)
                return ("stalled" if idle > STALL else "spinning" if spinning else "deadline"), alive, zombies

    def run(self) -> dict:
        _prctl(PR_SET_CHILD_SUBREAPER, 1)
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # if the test process dies, so do we
        out = open(os.path.join(self.run_dir, "stdout.txt"), "wb")
        err = open(os.path.join(self.run_dir, "stderr.txt"), "wb")
        started = time.monotonic()
        main = subprocess.Popen([sys.executable, "-m", "dojo.child", self.run_dir],
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                env=child_env(self.run_dir, self.spec), cwd=self.spec["cwd"],
                                start_new_session=True, preexec_fn=functools.partial(_cap_files, file_cap(self.spec)))
        watch = Watch(self.run_dir)
        try:
            outcome, alive, zombies = self.watch(main, watch, started)
        finally:  # whatever happened in here, nothing of the run outlives the warden
            stopped = time.monotonic()
            self.kill_all(main.pid)
        self.reap()
        return {"outcome": outcome, "started": started, "stopped": stopped,
                "last_progress": watch.last_progress, "main_pid": main.pid,
                "main_exit": self.exit_status.get(main.pid), "alive": alive, "zombies": zombies,
                "exit_status": self.exit_status, "limit": self.limit}


def marked() -> list[tuple[psutil.Process, str]]:
    """Every process that carries a run's marker in its environment, with that run's id."""
    found = []
    for p in psutil.process_iter():
        try:
            with open(f"/proc/{p.pid}/environ", "rb") as f:
                entries = f.read().decode(errors="replace").split("\0")
        except OSError:
            continue
        for entry in entries:
            if entry.startswith(f"{RUN_ID_ENV}="):
                found.append((p, entry.split("=", 1)[1]))
    return found


def _kill(procs) -> list[int]:
    killed = []
    for p in procs:
        try:
            p.kill()
            killed.append(p.pid)
        except psutil.Error:
            pass
    return killed


def sweep(run_id: str, exclude: int | None = None, prefix: bool = False) -> list[int]:
    """Kill every process that carries this run's marker in its environment.

    The last net: it finds processes that left the tree by any route. With
    ``prefix``, every run whose id starts with ``run_id`` (a whole session).
    """
    return _kill(p for p, rid in marked() if p.pid not in (exclude, os.getpid())
                 and (rid == run_id or (prefix and rid.startswith(run_id))))


def orphaned(run_id: str) -> bool:
    """Has the test process that made this run ended? (A run id starts with its pid.)"""
    owner = run_id.split("-", 1)[0]
    return owner.isdigit() and not psutil.pid_exists(int(owner))


def sweep_orphans() -> list[int]:
    """Kill processes of runs whose test process has died (killed, or crashed).

    If that process is gone, nothing will ever end the run, so this does.
    """
    return _kill(p for p, rid in marked() if orphaned(rid))


def main(run_dir: str) -> None:
    result = Warden(run_dir).run()
    with open(os.path.join(run_dir, "result.json"), "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(sys.argv[1])
