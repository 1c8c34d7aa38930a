"""The warden: runs one learner program, watches it, and leaves nothing behind.

A warden is forked for each run by the test process's launcher
(dojo/launcher.py), in a session of its own (or started by hand: ``python
-m dojo.warden RUN_DIR``). It

1. becomes a *child subreaper* (Linux ``PR_SET_CHILD_SUBREAPER``), so every
   descendant that is orphaned, by a double fork or ``setsid()``, is
   re-parented to it and can still be found, killed and reaped;
2. forks the learner's main in a new session, output to files, never pipes
   (an orphan holding a pipe can block a reader forever);
3. watches the run (see :meth:`Warden.watch`): it lets each held step of the
   shop go on when the program has settled (dojo/clock.py), and stops the
   run when it can make no more progress (a hang), burns CPU with no
   progress (a busy loop), passes its deadline, or, once main has ended,
   leaves a process behind (a leak). Stopping, every process dumps its
   stacks (SIGUSR1, ``faulthandler``), then the whole tree is killed;
4. writes ``result.json`` for the judge.
"""
from __future__ import annotations

import ctypes
import json
import os
import resource
import select
import signal
import sys
import tempfile
import time

import psutil

from dojo import procfs, residue
from dojo.clock import Clock
from dojo.contain import FILE_SIZE, TREE_MEMORY, TREE_PROCS
from dojo.events import DOORBELL, RUN_DIR_ENV, RUN_ID_ENV
from dojo.shop import HOLDS

POLL = 0.02  # seconds between looks while the program runs on its own (an event wakes the warden sooner)
SETTLE = 0.002  # every thread asleep, with no switch, for this long: the program has settled
STUCK = 0.05  # settled this long, every thread in a wait with no deadline that the dojo sees: a hang
STALL = 0.9  # settled this long in waits the dojo cannot see into (or only polling): a hang
SPIN = 1.0  # CPU seconds the program burned with no progress: a loop that never waits
DUMP_WAIT = 0.3  # time given to faulthandler to write the stacks
GROWTH = 1024  # kB: a contained process whose address space reached a new high by this much is heading for its limit
LIMIT_EVERY = 0.05  # seconds between looks at a contained run's whole size (processes, memory)
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
    # The kata's roles (its contract's functions but the entry): a process is named by the role it plays.
    env["DOJO_ROLES"] = ",".join(name for name in spec["contract"] if name != spec["entry"])
    env["PYTHONUNBUFFERED"] = "1"  # a hang must not keep what was printed
    if spec.get("contain"):  # the fence lets it write only in its run folder: temporary files go there too
        env["TMPDIR"] = os.path.join(run_dir, "tmp")
        os.makedirs(env["TMPDIR"], exist_ok=True)
    return env


class Doorbell:
    """The FIFO every process of the run rings once per event (dojo/events.py): the warden sleeps on it."""

    @staticmethod
    def make(run_dir: str) -> None:
        """Before the learner's main starts: every process of the run opens it at its first event."""
        os.mkfifo(os.path.join(run_dir, DOORBELL))

    def __init__(self, run_dir: str):
        path = os.path.join(run_dir, DOORBELL)
        self.read_end = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        # Our own writer: with none, a FIFO reads as ended and select() would never sleep.
        self.keep = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        # A process of the run that ends rings too (SIGCHLD, through Python's wakeup fd): the warden
        # learns at once that main is gone, instead of at its next look.
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.set_wakeup_fd(self.keep, warn_on_full_buffer=False)

    def wait(self, timeout: float) -> None:
        if select.select([self.read_end], [], [], timeout)[0]:
            try:
                while os.read(self.read_end, 65536):
                    pass
            except BlockingIOError:
                pass


class Closer:
    """Closing time: a test's ``close`` (dojo/shop.py) sends main a signal at a held step, on every run.

    The warden asks it each time the program has settled, before it lets a held step go on. It sends
    the signal once: when a held step the test names has been reached (the ``nth`` hold of ``when``, of
    ``role`` if given), with that step still held, so "SIGTERM while diner-1 is eating bun 1-0" is what
    happens whatever the machine's load; or, for ``when: idle`` or a step never reached, when nothing
    else could make the program go on (the shop closes at the end of the day in any case).
    """

    def __init__(self, plan: dict):
        self.plan = plan or {}
        self.seen: list = []  # holds that match, in the order they were reached
        self.sent: list[dict] = []

    def due(self, clock: Clock, hold) -> dict | None:
        """The matching held step the signal is due at ({} at the end of the day), or None: not now."""
        if not self.plan or self.sent:
            return None
        when, role = self.plan.get("when", "idle"), self.plan.get("role")
        for h in sorted(clock.holds.values(), key=lambda h: h.seq):
            if h.ev == when and (not role or h.role == role) and h.name not in {x.name for x in self.seen}:
                self.seen.append(h)
        nth = int(self.plan.get("nth", 1))
        if len(self.seen) >= nth and self.seen[nth - 1].name in clock.holds:  # reached, and still held
            h = self.seen[nth - 1]
            return {"role": h.role, "ev": h.ev, "item": h.item}
        return {} if hold is None else None

    def send(self, main_pid: int, at: dict) -> None:
        name = self.plan.get("signal", "SIGTERM")
        try:
            os.kill(main_pid, getattr(signal, name))
        except OSError:  # main has just ended: nothing to close
            return
        self.sent.append({"signal": name, "t": time.monotonic(), "at": at})


class Warden:
    def __init__(self, run_dir: str):
        self.run_dir = run_dir
        with open(os.path.join(run_dir, "spec.json"), encoding="utf-8") as f:
            self.spec = json.load(f)
        self.exit_status: dict[int, int] = {}
        self.limit: dict | None = None  # the limit a contained run broke
        self.last_progress = time.monotonic()
        self.stuck = False  # stopped because every thread waits, with no deadline, in a call the dojo sees
        self.closer = Closer(self.spec["shop"].get("close"))

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

    def alive(self) -> bool:
        """Is anything of the run still alive? Asked twice over, because one look at the tree can miss an
        orphan in the middle of being re-parented to the warden (its old parent's list is already empty,
        the warden's not yet filled)."""
        self.reap()
        return any((t := procfs.task(pid, pid)) and t.state not in procfs.ENDED for pid in procfs.tree(os.getpid()))

    @staticmethod
    def describe(tasks: dict[int, procfs.Task]) -> list[dict]:
        """The processes still alive, as the judge reads them."""
        return [{"pid": t.pid, "ppid": t.ppid, "status": t.state} for nid, t in tasks.items()
                if nid == t.pid and t.state not in procfs.ENDED]

    @staticmethod
    def zombies(tasks: dict[int, procfs.Task]) -> list[int]:
        """Descendants that ended but were never waited for by their parent."""
        return [t.pid for nid, t in tasks.items() if nid == t.pid and t.state in procfs.ENDED]

    def dump_stacks(self, pids) -> None:
        """Ask every process for its stacks, and wait a moment for them."""
        folder = os.path.join(self.run_dir, "stacks")
        for pid in pids:
            try:
                os.kill(pid, signal.SIGUSR1)
            except OSError:
                pass
        deadline = time.monotonic() + DUMP_WAIT
        want = set(pids)
        while time.monotonic() < deadline:
            done = {pid for pid in want
                    if os.path.exists(f"{folder}/{pid}.txt") and os.path.getsize(f"{folder}/{pid}.txt") > 0}
            if done == want:
                time.sleep(0.02)  # let the last lines land
                return
            time.sleep(0.01)

    def kill_all(self, main_pid: int) -> None:
        """SIGKILL the whole tree until nothing of it is left.

        Every descendant is in the tree: an orphan is re-parented to the warden (a subreaper), whatever
        session or group it made. Only if the tree will not empty does the slow sweep of every process
        of the machine for the run's marker run as well.
        """
        try:
            os.killpg(main_pid, signal.SIGKILL)
        except OSError:
            pass
        deadline = time.monotonic() + 5
        while True:
            self.reap()
            pids = procfs.tree(os.getpid())
            if (not pids and not self.alive()) or time.monotonic() > deadline:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.002)
        if pids:
            sweep(self.spec["run_id"], exclude=os.getpid())
        residue.remove_shm(self.spec["run_id"], self.run_dir)  # a killed process never unlinks its semaphores

    def over_limit(self, pids) -> dict | None:
        """For a contained run: what no single process's rlimit can bound, the whole tree's size."""
        if len(pids) > TREE_PROCS:
            return {"what": "processes", "used": len(pids), "max": TREE_PROCS}
        memory = 0
        for pid in pids:
            try:
                memory += psutil.Process(pid).memory_info().rss
            except psutil.Error:
                pass
        if memory > TREE_MEMORY:
            return {"what": "memory", "used": memory >> 20, "max": TREE_MEMORY >> 20}
        return None

    def release(self, hold) -> bool:
        """Let a held step go on: open its FIFO and write one byte (the holder blocks reading it)."""
        path = os.path.join(self.run_dir, HOLDS, hold.name)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # ENXIO: the holder is not in open() yet (it will be: try again at the next look)
            return False
        try:
            os.write(fd, b"g")
        finally:
            os.close(fd)
        os.unlink(path)
        return True

    def watch(self, main_pid: int, bell: Doorbell, started: float) -> tuple[str, list, list]:
        """Until the run ends, hangs, spins, passes its deadline, leaves a process behind, or breaks a limit.

        Every look: take in the new events, list the tree and sample every thread. The program has
        *settled* when every thread has been asleep since the last change (a polling thread aside).
        Settled, it either has a held step to let go on (the clock jumps), or it is stuck for good:
        at once when every thread waits, with no deadline, in a call the dojo sees; after ``STALL``
        when some wait is one the dojo cannot see into. Not settled, the CPU it burns with no
        progress is counted: ``SPIN`` CPU seconds of it is a loop that never waits. The wall clock
        decides nothing but the last-resort deadline.
        """
        clock = Clock(self.run_dir)
        deadline = started + self.spec["deadline"]
        me, contain = os.getpid(), self.spec.get("contain")
        before: dict[int, procfs.Task] = {}
        settled_at = spin_ticks = 0.0
        next_limit_check = 0.0
        peaks: dict[int, int] = {}  # contained runs: each process's highest address space as this spell of CPU began
        timeout = POLL
        while True:
            bell.wait(timeout)
            self.reap()
            now = time.monotonic()
            changed, progress = clock.read()
            pids = procfs.tree(me)
            tasks = procfs.sample(pids)
            clock.forget(tasks, pids)
            live = [pid for pid in pids if tasks.get(pid) and tasks[pid].state not in procfs.ENDED]
            if contain and now >= next_limit_check:  # what the tree as a whole uses, every LIMIT_EVERY
                next_limit_check = now + LIMIT_EVERY
                self.limit = self.over_limit(live)
                if self.limit:  # no stacks: a fork bomb would not leave time to read them
                    return "limit", self.describe(tasks), []
            main_ended = main_pid in self.exit_status
            if main_ended and not live and not self.alive():
                return "exited", [], []
            if progress:
                self.last_progress, spin_ticks = now, 0
            elif before:  # the program's own CPU since the last look, helpers aside
                burned = sum(max(0, t.cpu - before[nid].cpu) for nid, t in tasks.items()
                             if nid in before and t.pid not in clock.helpers)
                if contain and burned and not spin_ticks:  # a spell of CPU with no progress begins
                    peaks = {pid: procfs.vm_peak(pid) for pid in live}
                spin_ticks += burned
            if changed or not clock.quiet(tasks, before):
                before, settled_at = tasks, now
                timeout = SETTLE if clock.may_settle() else POLL
            elif now - settled_at >= SETTLE:
                hold = clock.next_hold() if not clock.owed() or main_ended else None
                at = None if main_ended or clock.owed() else self.closer.due(clock, hold)
                if at is not None:  # closing time: main gets its signal, and the program settles again
                    self.closer.send(main_pid, at)
                    before = {}
                    continue
                if hold is not None:
                    if self.release(hold):
                        clock.release(hold)
                        before = {}
                    continue
                quiet = now - settled_at
                if main_ended:  # main is gone, and what is left of the run is not ending by itself
                    self.dump_stacks(live)
                    return "leaked", self.describe(tasks), []
                stuck = clock.stuck(tasks)
                if not clock.owed() and (quiet >= STALL or (quiet >= STUCK and stuck)):
                    self.stuck = quiet < STALL
                    self.dump_stacks(live)
                    return "stalled", self.describe(tasks), self.zombies(tasks)
                timeout = STUCK if stuck else POLL
            if contain and spin_ticks >= SPIN * procfs.TICKS and self.grew(live, peaks):
                # A contained process that keeps taking memory ends at its address-space limit (a CRASH),
                # however long each page takes under load: the CPU it burns meanwhile is not a loop that
                # never waits, or the class word would depend on how busy the machine is. (The kernel keeps
                # each high-water mark, so it is read only when a spell begins and when it would decide.)
                spin_ticks = 0
            if spin_ticks >= SPIN * procfs.TICKS or now > deadline:
                self.dump_stacks(live)
                outcome = "leaked" if main_ended else "spinning" if now <= deadline else "deadline"
                return outcome, self.describe(tasks), [] if main_ended else self.zombies(tasks)

    @staticmethod
    def grew(live: list[int], peaks: dict[int, int]) -> bool:
        """Whether a process of ``live`` reached an address-space high ``GROWTH`` above its high in ``peaks``."""
        return any(pid in peaks and procfs.vm_peak(pid) >= peaks[pid] + GROWTH for pid in live)

    def start_main(self) -> int:
        """Fork the learner's main; in the child, raise :class:`BecomeMain` (see there)."""
        env, cap = child_env(self.run_dir, self.spec), file_cap(self.spec)
        pid = os.fork()
        if pid:
            return pid
        os.setsid()  # a session of its own: the program's process group is not the warden's
        _cap_files(cap)
        null = os.open(os.devnull, os.O_RDONLY)
        out = os.open(os.path.join(self.run_dir, "stdout.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        err = os.open(os.path.join(self.run_dir, "stderr.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        for fd, std in ((null, 0), (out, 1), (err, 2)):
            os.dup2(fd, std)
            os.close(fd)
        os.chdir(self.spec["cwd"])
        os.environ.clear()
        os.environ.update(env)
        raise BecomeMain(self.run_dir)

    def run(self) -> dict:
        _prctl(PR_SET_CHILD_SUBREAPER, 1)
        die_with_parent()  # if the test process (or its launcher) dies, so do we
        Doorbell.make(self.run_dir)
        started = time.monotonic()
        main_pid = self.start_main()  # no try around it: the forked main must leave this frame untouched
        bell = Doorbell(self.run_dir)
        try:
            outcome, alive, zombies = self.watch(main_pid, bell, started)
        finally:  # whatever happened in here, nothing of the run outlives the warden
            stopped = time.monotonic()
            self.kill_all(main_pid)
        self.reap()
        return {"outcome": outcome, "started": started, "stopped": stopped,
                "last_progress": self.last_progress, "main_pid": main_pid,
                "main_exit": self.exit_status.get(main_pid), "alive": alive, "zombies": zombies,
                "exit_status": self.exit_status, "limit": self.limit,
                "stuck": self.stuck, "cpu_limit": SPIN, "signals": self.closer.sent}


class BecomeMain(BaseException):
    """Raised in the process the warden forked for the learner's main.

    It unwinds the warden's frames (none of them catches it: a ``finally``
    there would run the warden's clean-up in the learner's process) up to
    the top of the interpreter, where :meth:`run` turns the process into
    ``python -m dojo.child RUN_DIR``. From there it ends exactly as a script
    ends: Python prints an uncaught traceback, waits for non-daemon threads,
    and runs ``atexit``, where multiprocessing joins the non-daemon children:
    the very behaviour the katas are about.
    """

    def __init__(self, run_dir: str):
        super().__init__(run_dir)
        self.run_dir = run_dir

    def run(self) -> None:
        import atexit
        import io
        import threading

        from dojo import child, instrument

        # What `python -u -B -m dojo.child RUN_DIR` would have set up at start.
        sys.dont_write_bytecode = True  # never leave __pycache__ in a learner's folder
        sys.stdin = open(0, "r", closefd=False)
        for name, fd in (("stdout", 1), ("stderr", 2)):  # unbuffered: a hang must not keep what was printed
            stream = io.TextIOWrapper(open(fd, "wb", buffering=0, closefd=False), encoding="utf-8",
                                      errors="backslashreplace" if fd == 2 else "strict", write_through=True)
            setattr(sys, name, stream)
            setattr(sys, f"__{name}__", stream)
        sys.argv = [child.__file__, self.run_dir]
        sys.modules["__main__"] = child  # spawn children import main by its name, dojo.child, as before
        for sig in (signal.SIGCHLD, signal.SIGINT):
            signal.signal(sig, signal.SIG_DFL if sig != signal.SIGINT else signal.default_int_handler)
        signal.set_wakeup_fd(-1)
        instrument.install()
        code = 0
        try:
            child.main(self.run_dir)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
            if not isinstance(exc.code, int) and exc.code is not None:
                print(exc.code, file=sys.stderr)
        except BaseException:  # as Python does for a script: the traceback on stderr, exit code 1
            sys.excepthook(*sys.exc_info())
            code = 1
        # The end of a script, as Python's own shutdown does it: wait for non-daemon threads, then atexit,
        # where multiprocessing terminates daemon children and joins the others. The rest of a shutdown
        # (tearing down every module the launcher imported) would take longer than the learner's program.
        threading._shutdown()
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)


def die_with_parent() -> None:
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def marked() -> list[tuple[psutil.Process, str, str | None]]:
    """Every process that carries a run's marker in its environment: (it, its run's id, its run folder or None)."""
    found = []
    for p in psutil.process_iter():
        try:
            with open(f"/proc/{p.pid}/environ", "rb") as f:
                entries = f.read().decode(errors="replace").split("\0")
        except OSError:
            continue
        env = dict(e.split("=", 1) for e in entries if "=" in e)
        if RUN_ID_ENV in env:
            found.append((p, env[RUN_ID_ENV], env.get(RUN_DIR_ENV)))
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
    return _kill(p for p, rid, _ in marked() if p.pid not in (exclude, os.getpid())
                 and (rid == run_id or (prefix and rid.startswith(run_id))))


def orphaned(run_id: str) -> bool:
    """Has the test process that made this run ended? (A run id starts with its pid.)"""
    owner = run_id.split("-", 1)[0]
    return owner.isdigit() and not psutil.pid_exists(int(owner))


def sweep_orphans(temp: str | None = None) -> list[int]:
    """Kill processes of runs whose test process has died (killed, or crashed).

    If that process is gone, nothing will ever end the run, so this does. Only runs whose folder is in this
    session's temporary folder (``temp``): sessions with a temporary folder of their own (the harness's own
    tests of a killed session, which then ask ``python -m dojo.survivors`` about it) sweep their own, and
    whichever session happens to end meanwhile leaves them alone.
    """
    temp = os.path.realpath(temp or tempfile.gettempdir())
    return _kill(p for p, rid, folder in marked()
                 if orphaned(rid) and folder and os.path.realpath(os.path.dirname(folder)) == temp)


def main(run_dir: str) -> None:
    """Watch one run and write its result; in the learner's forked main, raises :class:`BecomeMain`."""
    log = os.open(os.path.join(run_dir, "warden.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    result = Warden(run_dir).run()
    with open(os.path.join(run_dir, "result.json"), "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":  # by hand, for a look at one run: python -m dojo.warden RUN_DIR
    try:
        main(sys.argv[1])
    except BecomeMain as become:
        become.run()
