"""Instrumentation installed in every process of a learner's run.

``dojo/boot/sitecustomize.py`` calls :func:`install` at interpreter start, so
the main process, spawn and forkserver children are covered; fork children
inherit the patches and reopen their own files (``register_at_fork``).

What it adds, without changing what learner code can observe:
- a role per process (main, cook-1, diner-2, …) from the target's name;
- an event per queue operation, process start/exit/join, and ``time.sleep``;
- an event when learner code ends a process early (``sys.exit()``, ``os._exit()``);
- an event when a process waits at exit for its queue's feeder thread (``flush-enter``), and held sends
  where their worst case must happen on every run: a cancelled queue's items, a bad bun's error;
- a stack dump of every thread on SIGUSR1 (``faulthandler``), one file per pid,
  which the warden reads when it diagnoses a hang;
- names that say which run made a semaphore, a record of each shared memory
  block, and temporary files inside the run folder: a killed run cannot clean
  up, so the harness does, by these (dojo/residue.py).

A bounded wait (``sleep(d)``, ``get(timeout=d)``, ``join(d)``) is logged with
``busy`` = d: the warden does not call a process stuck while it is in a wait
that will end by itself.
"""
from __future__ import annotations

import faulthandler
import functools
import linecache
import os
import signal
import sys
import tempfile
import time
import traceback

from dojo import events, residue
from dojo.lang import Text

real_sleep = time.sleep  # the harness's own pauses (shop.py) are not learner sleeps
_stack_file = None
_role_counts: dict[str, int] = {}
_queue_count = 0


def _open_stack_file():
    global _stack_file
    path = os.path.join(events.run_dir(), "stacks", f"{os.getpid()}.txt")
    new = open(path, "w")
    faulthandler.register(signal.SIGUSR1, file=new, all_threads=True, chain=False)
    if _stack_file is not None:
        try:
            _stack_file.close()
        except OSError:
            pass
    _stack_file = new


def _hold_start() -> None:
    """A child that rebuilds what main handed it (spawn, forkserver) starts only once the rest has settled.

    Such a child first unpickles its Process object, and with it the queue's semaphores, by name. If
    main is already at its exit by then, its finalizers have removed them and the child dies before it
    begins. Whether a child got that far used to be a race; held here, it is the worst case on every run:
    a main that does not wait for its children has always reached its exit first.
    """
    from dojo.shop import hold

    hold("starting")


def _after_fork_in_child():
    _role_counts.clear()
    if events.ROLE == "forkserver":  # a child forked by the forkserver: it unpickles its Process next
        events.ROLE = "child"
        _open_stack_file()
        _hold_start()
        return
    # A bare os.fork() keeps the parent's role; Process._bootstrap renames it.
    events.ROLE = events.ROLE + "/fork"
    _open_stack_file()
    events.log("forked", ppid=os.getppid())


def learner_frames(tb_or_stack, target_dir: str):
    """Only the frames in the learner's files (the folder being tested)."""
    return [f for f in tb_or_stack if os.path.abspath(f.filename).startswith(target_dir + os.sep)]


#: The lines of a learner's traceback that the dojo writes, not Python: the report translates them (judge.py).
TRACE_HEAD = Text("Traceback (only your code is shown):", "Traceback（只显示你的代码）：")
TRACE_OUTSIDE = Text("  (raised outside your code)", "  （不是在你的代码里抛出的）")


def format_crash(exc: BaseException) -> str:
    """The learner's traceback: their frames only, then the error itself."""
    target = os.environ.get("DOJO_TARGET_DIR", "")
    frames = learner_frames(traceback.extract_tb(exc.__traceback__), target)
    lines = [f"{TRACE_HEAD}\n"]
    lines += traceback.format_list(frames) if frames else [f"{TRACE_OUTSIDE}\n"]
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines)


def _exit_code(code) -> int:
    """The exit code Python gives for ``sys.exit(code)``."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def _log_exit(how: str, code, filename: str, line: int, function: str) -> None:
    events.log("exit-call", how=how, code=linecache.getline(filename, line).strip() or f"{how}({code!r})",
               exitcode=_exit_code(code), file=os.path.abspath(filename), line=line, function=function)


def log_system_exit(exc: SystemExit) -> None:
    """Learner code raised SystemExit (sys.exit(), exit()): log where, so the report can say it left mid-way."""
    target = os.environ.get("DOJO_TARGET_DIR", "")
    frames = learner_frames(traceback.extract_tb(exc.__traceback__), target)
    if frames:
        last = frames[-1]
        _log_exit("sys.exit", exc.code, last.filename, last.lineno, last.name)


def _patch_exit():
    """os._exit() cannot be caught: log the learner's call to it before the process is gone."""
    real_exit = os._exit

    def _exit(code):
        caller = sys._getframe(1)
        target = os.environ.get("DOJO_TARGET_DIR", "")
        # multiprocessing itself ends every forked child with os._exit(): only the learner's own calls are news
        if target and os.path.abspath(caller.f_code.co_filename).startswith(target + os.sep):
            _log_exit("os._exit", code, caller.f_code.co_filename, caller.f_lineno, caller.f_code.co_name)
        real_exit(code)

    os._exit = _exit


#: what a process does, seen in the names its code uses: taking buns makes a cook, eating makes a diner
_DOES = {"buns": "cook", "eat": "diner", "steam": "steamer"}


def _unwrap(function):
    while isinstance(function, functools.partial):  # Process(target=partial(cook, …)) is a cook
        function = function.func
    return function


def _behaviour(process) -> str | None:
    """The kata role (cook, diner, …) this process will play, whatever its target is called.

    A role is a function of the kata's contract (``DOJO_ROLES``). A process plays it when its target is
    that function, is handed it (``Process(target=go_to_work, args=(cook, counter, shop))``), calls it,
    or does its work itself (takes buns from ``shop.buns()``, eats with ``shop.eat()``). A ``Process``
    subclass is looked at through its ``run()``. Only one answer counts: a helper that could be either
    keeps its own name.
    """
    roles = [r for r in os.environ.get("DOJO_ROLES", "").split(",") if r]
    target = _unwrap(getattr(process, "_target", None))
    if getattr(target, "__name__", None) in roles:
        return target.__name__
    handed = list(getattr(process, "_args", ())) + list(getattr(process, "_kwargs", {}).values())
    if isinstance(getattr(process, "_target", None), functools.partial):
        handed += list(process._target.args) + list(process._target.keywords.values())
    found = {name for a in handed if (name := getattr(_unwrap(a), "__name__", None)) in roles}
    run = target if target is not None else getattr(type(process), "run", None)
    names = getattr(getattr(run, "__code__", None), "co_names", ())
    found |= {n for n in names if n in roles} | {_DOES[n] for n in names if _DOES.get(n) in roles}
    return found.pop() if len(found) == 1 else None


def _process_role(process) -> str:
    target = _unwrap(getattr(process, "_target", None))
    base = _behaviour(process) or getattr(target, "__name__", None) or type(process).__name__.lower()
    if getattr(target, "__module__", "") == "concurrent.futures.process":  # a pool's worker: named by its tasks
        base = "pool-worker"
    _role_counts[base] = _role_counts.get(base, 0) + 1
    return f"{base}-{_role_counts[base]}"


_caller = events.learner_line  # where in the learner's files an instrumented call was made


def _module_line() -> dict:
    """The top-level line of a learner's file that is running now (its import, or its run as a script), or {}."""
    target = os.environ.get("DOJO_TARGET_DIR", "")
    frame = sys._getframe(1)
    while frame is not None:
        if (frame.f_code.co_name == "<module>" and target
                and os.path.abspath(frame.f_code.co_filename).startswith(target + os.sep)):
            return {"top_file": os.path.abspath(frame.f_code.co_filename), "top_line": frame.f_lineno}
        frame = frame.f_back
    return {}


def _log_start_error(process, exc: BaseException) -> None:
    """start() raised (kata 15): what could not be sent to the child, or that a child is starting processes
    while it is itself still starting (its import of main ran the learner's unguarded top-level code).

    Logged with the facts the report needs: the start method, the target (a lambda, a function defined
    in another, by its own line), the learner's line that called start(), and the top-level line.
    """
    import multiprocessing
    from multiprocessing import process as mp_process

    target = _unwrap(getattr(process, "_target", None))
    code = getattr(target, "__code__", None)
    qualname = getattr(target, "__qualname__", "") or ""
    kind = "lambda" if qualname.endswith("<lambda>") else "local" if "<locals>" in qualname else ""
    fields = {"child": getattr(process, "_dojo_role", ""), "error": type(exc).__name__,
              "message": str(exc).strip().splitlines()[0] if str(exc).strip() else "",
              "method": getattr(getattr(process, "_ctx", None), "_name", None) or multiprocessing.get_start_method(),
              "bootstrapping": bool(getattr(mp_process.current_process(), "_inheriting", False)),
              "target": qualname, "kind": kind, **_caller(), **_module_line()}
    if code is not None and kind:
        fields.update(target_file=os.path.abspath(code.co_filename), target_line=code.co_firstlineno)
    events.log("start-error", **fields)


def _patch_processes():
    from multiprocessing import process

    base = process.BaseProcess
    start, join, terminate, kill, bootstrap = base.start, base.join, base.terminate, base.kill, base._bootstrap

    def dojo_start(self):
        self._dojo_role = _process_role(self)
        events.log("start-child", child=self._dojo_role, daemon=bool(self.daemon), name=self.name)
        try:
            start(self)
        except Exception as exc:
            _log_start_error(self, exc)
            raise
        events.log("started", child=self._dojo_role, child_pid=self.pid)

    def dojo_join(self, timeout=None):
        role = getattr(self, "_dojo_role", self.name)
        events.log("join-enter", child=role, busy=events.seconds(timeout), **_caller())
        join(self, timeout)
        events.log("join-return", child=role, exitcode=self.exitcode)

    def dojo_terminate(self):
        events.log("terminate", child=getattr(self, "_dojo_role", self.name), **_caller())
        terminate(self)

    def dojo_kill(self):
        events.log("terminate", child=getattr(self, "_dojo_role", self.name), how="kill", **_caller())
        kill(self)

    def dojo_bootstrap(self, *args, **kwargs):
        events.ROLE = getattr(self, "_dojo_role", None) or self.name
        _open_stack_file()
        events.log("begin", ppid=os.getppid(), daemon=bool(self.daemon))
        run = self.run

        def logged_run():
            try:
                run()
            except Exception as exc:
                events.log("crash", error=type(exc).__name__, text=format_crash(exc))
                raise
            except SystemExit as exc:
                log_system_exit(exc)
                raise

        self.run = logged_run
        code = bootstrap(self, *args, **kwargs)
        events.log("end", exitcode=code)
        return code

    base.start, base.join, base.terminate, base.kill = dojo_start, dojo_join, dojo_terminate, dojo_kill
    base._bootstrap = dojo_bootstrap


def _errors_and_size(queue, obj, size: bool = True) -> dict:
    """What a put or get event adds: the errors the item carries (followed from a worker to main, kata 07),
    and after a put how many items the queue holds (its peak is checked against its bound, kata 09)."""
    from dojo.shop import carried

    fields = {}
    errors = carried(obj)
    if errors:
        fields["carries"] = errors
        fields.update(_caller())
    if size:
        try:  # the queue's own count (its semaphore): exact at this instant, whatever other processes do
            fields["size"] = queue.qsize()
        except (NotImplementedError, OSError, ValueError):  # macOS has no sem_getvalue()
            pass
    return fields


def _full(queue) -> dict:
    """{"full": True} for a put() that meets a bounded queue with no room (it will wait): the picture draws it."""
    from multiprocessing.synchronize import SEM_VALUE_MAX  # the maxsize of a queue made without one

    try:
        if queue._maxsize < SEM_VALUE_MAX and queue.qsize() >= queue._maxsize:
            return {"full": True}
    except (AttributeError, NotImplementedError, OSError, ValueError):
        pass
    return {}


def _patch_queues():
    from multiprocessing import queues

    Q, JQ = queues.Queue, queues.JoinableQueue
    init, getstate, setstate = Q.__init__, Q.__getstate__, Q.__setstate__
    put, jput, get = Q.put, JQ.put, Q.get
    task_done, qjoin = JQ.task_done, JQ.join

    def dojo_init(self, *args, **kwargs):
        global _queue_count
        init(self, *args, **kwargs)
        _queue_count += 1
        self._dojo_qid = f"{events.ROLE}:q{_queue_count}"
        events.log("queue-new", q=self._dojo_qid, kind=type(self).__name__, maxsize=self._maxsize)

    # multiprocessing pickles a queue as a fixed tuple: carry the id along.
    def dojo_getstate(self):
        return getstate(self) + (getattr(self, "_dojo_qid", "?"),)

    def dojo_setstate(self, state):
        setstate(self, state[:-1])
        self._dojo_qid = state[-1]

    def logged_put(original):
        def dojo_put(self, obj, block=True, timeout=None):
            qid = getattr(self, "_dojo_qid", "?")
            events.log("put-enter", q=qid, item=events.label(obj), busy=events.seconds(timeout) if block else 0,
                       **_full(self))
            try:
                original(self, obj, block, timeout)
            except queues.Full:
                events.log("put-full", q=qid)
                raise
            events.log("put", q=qid, item=events.label(obj), **_errors_and_size(self, obj))
        return dojo_put

    def dojo_get(self, block=True, timeout=None):
        qid = getattr(self, "_dojo_qid", "?")
        events.log("get-enter", q=qid, busy=events.seconds(timeout) if block else 0)
        try:
            item = get(self, block, timeout)
        except queues.Empty:
            events.log("get-empty", q=qid)
            raise
        events.log("get", q=qid, item=events.label(item), **_errors_and_size(self, item, size=False))
        return item

    def dojo_task_done(self):
        qid = getattr(self, "_dojo_qid", "?")
        try:
            task_done(self)
        except ValueError:
            events.log("task_done-error", q=qid)
            raise
        events.log("task_done", q=qid)

    def dojo_qjoin(self):
        qid = getattr(self, "_dojo_qid", "?")
        events.log("qjoin-enter", q=qid, **_caller())
        qjoin(self)
        events.log("qjoin-return", q=qid)

    finalize_join, cancel_join_thread = Q._finalize_join, Q.cancel_join_thread

    def dojo_finalize_join(twr):
        # At exit a process waits here until its feeder thread has written every item it put into the
        # queue's pipe. A pipe holds only so much: if nobody reads, this wait never ends (kata 08).
        thread = twr()
        if thread is None or not thread.is_alive():
            return finalize_join(twr)
        events.log("flush-enter", **_caller())
        finalize_join(twr)
        events.log("flush-return")

    start_thread = Q._start_thread

    def dojo_cancel_join_thread(self):
        events.log("cancel-join-thread", q=getattr(self, "_dojo_qid", "?"), **_caller())
        self._dojo_cancelled = True
        cancel_join_thread(self)

    def dojo_start_thread(self):
        # Two sends are held steps of the feeder thread, so that their worst case happens on every run:
        # - every item of a queue whose join thread is cancelled, before and after it is written (the
        #   feeder holds the queue's write lock, shared by every process, from one to the other): what is
        #   still to send when its process ends is lost, and a process that ends just after a write leaves
        #   the lock taken, so nothing more can be sent on that queue (while the process waits, the clock
        #   lets the feeder go on);
        # - a bad bun's error on its way home (its message is in the pickled bytes): it arrives only once
        #   the rest of the program has settled, so a main that stops reading at an empty queue, or after
        #   a timeout, misses it every time, not now and then (kata 07).
        from dojo.shop import BAD_BUN, hold

        send, cancelled = self._send_bytes, getattr(self, "_dojo_cancelled", False)

        def held_send(data):
            if cancelled:
                hold("sending")
                send(data)
                hold("sent")
                return
            if len(data) < 65536 and BAD_BUN in bytes(data):  # the feeder hands over a memoryview
                hold("sending-error")
            send(data)

        self._send_bytes = held_send
        start_thread(self)

    Q._finalize_join, Q.cancel_join_thread = staticmethod(dojo_finalize_join), dojo_cancel_join_thread
    Q._start_thread = dojo_start_thread
    Q.__init__, Q.__getstate__, Q.__setstate__ = dojo_init, dojo_getstate, dojo_setstate
    Q.put, JQ.put, Q.get = logged_put(put), logged_put(jput), dojo_get
    JQ.task_done, JQ.join = dojo_task_done, dojo_qjoin


#: modules whose threads are the machinery's, not the learner's (a queue's feeder thread)
SYSTEM_THREADS = ("multiprocessing.", "concurrent.futures.", "asyncio.", "threading")


class Task:
    """A task handed to a ProcessPoolExecutor, as the dojo sends it: the worker that runs a kata function
    takes that function's role (pool-worker-2 running diner() is diner-2). It pickles the learner's function
    with it, so a task that cannot be pickled (a lambda) fails exactly as it would alone."""

    def __init__(self, fn):
        self.fn = fn

    def __call__(self, *args, **kwargs):
        name = getattr(_unwrap(self.fn), "__name__", "")
        roles = [r for r in os.environ.get("DOJO_ROLES", "").split(",") if r]
        if name in roles and events.ROLE.startswith("pool-worker-"):
            from multiprocessing import current_process

            events.ROLE = f"{name}-{events.ROLE.rsplit('-', 1)[-1]}"
            current_process()._dojo_role = events.ROLE
            events.log("role", role_of="task")
        return self.fn(*args, **kwargs)


def _patch_futures():
    """Tasks of a process pool run as :class:`Task`; a future that hands main a task's error says so."""
    from concurrent.futures import _base, process

    submit, result, exception = process.ProcessPoolExecutor.submit, _base.Future.result, _base.Future.exception

    def dojo_submit(self, fn, /, *args, **kwargs):
        return submit(self, Task(fn), *args, **kwargs)

    def dojo_result(self, timeout=None):
        try:
            return result(self, timeout)
        except _base.CancelledError:
            raise
        except Exception as error:
            _log_future_error(error)
            raise

    def dojo_exception(self, timeout=None):
        error = exception(self, timeout)
        if error is not None:
            _log_future_error(error)
        return error

    process.ProcessPoolExecutor.submit = dojo_submit
    _base.Future.result, _base.Future.exception = dojo_result, dojo_exception


class _OnImport:
    """Patches concurrent.futures when the program imports it, not before: importing it costs every process
    of every run some 30 ms, and only a kata with a process pool needs it (a finder on sys.meta_path)."""

    MODULE = "concurrent.futures.process"

    def find_spec(self, name, path=None, target=None):
        if name != self.MODULE:
            return None
        import importlib.util

        sys.meta_path.remove(self)  # the real finders find it; this one only patches once it is loaded
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            run = spec.loader.exec_module

            def exec_module(module):
                run(module)
                _patch_futures()

            spec.loader.exec_module = exec_module
        return spec


def _log_future_error(error) -> None:
    from dojo.shop import carried

    events.log("future-error", error=type(error).__name__, carries=carried(error), **_caller())


def _patch_threads():
    """Each thread says it began, and whose it is: the warden tells the learner's threads from the machinery's."""
    import threading

    inner = threading.Thread._bootstrap_inner

    def dojo_bootstrap_inner(self):
        target = getattr(self, "_target", None)
        module = getattr(target, "__module__", None) or ""
        events.log("thread-begin", name=self.name, daemon=self.daemon, system=module.startswith(SYSTEM_THREADS),
                   target=getattr(target, "__name__", ""))  # a kata's role run as a thread (dojo/judge.py)
        inner(self)

    threading.Thread._bootstrap_inner = dojo_bootstrap_inner


def _patch_signals():
    """A handler the learner installs with signal.signal() is logged with its lines (kata 10): a report can then
    say that main is stuck inside its own signal handler."""
    import signal as signals

    real = signals.signal

    def dojo_signal(signalnum, handler):
        code = getattr(handler, "__code__", None)
        target = os.environ.get("DOJO_TARGET_DIR", "")
        if code is not None and target and os.path.abspath(code.co_filename).startswith(target + os.sep):
            lines = [line for _, _, line in code.co_lines() if line] or [code.co_firstlineno]
            try:
                name = signals.Signals(signalnum).name
            except ValueError:
                name = str(signalnum)
            events.log("signal-handler", signal=name, file=os.path.abspath(code.co_filename),
                       first=code.co_firstlineno, last=max(lines))
        return real(signalnum, handler)

    signals.signal = dojo_signal


def _patch_sleep():
    def sleep(seconds):
        events.log("sleep", busy=events.seconds(seconds), asked=events.label(seconds))
        real_sleep(seconds)
        events.log("awake")

    time.sleep = sleep


def _leave_nothing_behind(run_dir: str) -> None:
    """Make what this process may leave outside itself findable once the run is killed (dojo/residue.py)."""
    from multiprocessing import process

    # multiprocessing names a semaphore semprefix + "-" + 8 random characters (synchronize.SemLock._make_name,
    # 3.10 to 3.13). Under spawn and forkserver it stays in /dev/shm until the resource tracker unlinks it,
    # and a killed run's tracker is killed too. Fork children copy this config; spawn and forkserver
    # children run this function themselves, and receive it with their Process object as well.
    config = getattr(process.current_process(), "_config", None)
    run_id = os.environ.get(events.RUN_ID_ENV)
    if isinstance(config, dict) and run_id:
        config["semprefix"] = residue.semprefix(run_id)

    # Shared memory names may be the learner's own choice, so each block is written down as it is made.
    try:
        import _posixshmem
    except ImportError:  # no POSIX shared memory on this system
        pass
    else:
        real_open = _posixshmem.shm_open

        def shm_open(path, flags, mode=0o777):
            fd = real_open(path, flags, mode)
            if flags & os.O_CREAT and flags & os.O_EXCL:  # made by this very call: the run's own
                residue.record_shm(run_dir, path, fd)
            return fd

        _posixshmem.shm_open = shm_open

    # Temporary files go in the run folder, which is removed with the run: multiprocessing's pymp-* folder
    # (the forkserver's socket lives there) is never removed when the run is killed. Unless the socket's
    # path would then pass the 107 bytes a Unix socket allows: forkserver must keep working under a long TMPDIR.
    folder = os.path.join(run_dir, "tmp")
    if len(os.path.join(folder, "pymp-12345678", "listener-12345678")) <= 107:
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError:
            return
        os.environ["TMPDIR"] = folder
        tempfile.tempdir = folder


def _cmdline() -> str:
    try:
        with open("/proc/self/cmdline", "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return " ".join(sys.argv)


def _helper_role() -> str | None:
    """multiprocessing's own helper processes get plain names."""
    cmdline = _cmdline()
    if "multiprocessing.forkserver" in cmdline:
        return "forkserver"
    if "multiprocessing.resource_tracker" in cmdline:
        return "resource-tracker"
    return None


def install():
    """Called once per interpreter, from sitecustomize, inside a run only."""
    if events.run_dir() is None or getattr(sys, "_dojo_installed", False):
        return
    sys._dojo_installed = True
    helper = _helper_role()
    events.ROLE = helper or "child"  # dojo.child renames main; _bootstrap the rest
    _open_stack_file()
    os.register_at_fork(after_in_child=_after_fork_in_child)
    _patch_processes()
    _patch_queues()
    _patch_threads()
    if "concurrent.futures.process" in sys.modules:
        _patch_futures()
    else:
        sys.meta_path.insert(0, _OnImport())
    _patch_sleep()
    _patch_signals()
    _patch_exit()
    _leave_nothing_behind(events.run_dir())
    if helper:
        events.log("begin", ppid=os.getppid(), helper=True)
    elif "--multiprocessing-fork" in _cmdline():  # a spawned child, before it unpickles its Process
        _hold_start()
