"""Run one learner program, from the test process, through the warden.

Learner code never runs inside pytest: the test starts ``dojo.warden`` in a
session of its own, waits for it with an outer limit, and then reads what the
run left in its folder (events, stacks, output, the warden's result).
"""
from __future__ import annotations

import itertools
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import uuid
from dataclasses import asdict, dataclass, field

import psutil

from dojo import residue
from dojo.events import Event, read_events
from dojo.shop import HOLDS, Shop
from dojo.warden import STALL, sweep

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SESSION = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"  # marks every process of this test process
_numbers = itertools.count(1)
OUTPUT_LIMIT = 2000  # characters of learner output kept in a report
TAIL_LINES = 6  # lines of each stream kept when it is longer (stdout + stderr + 2 notices fit the report's 15)
LINE_CHARS = 200  # characters kept of one over-long line


@dataclass
class Run:
    """Everything one run left behind, ready to be judged."""

    spec: dict
    result: dict
    events: list[Event]
    stacks: dict[int, str] = field(default_factory=dict)
    stdout: str = ""
    stderr: str = ""

    @property
    def shown_path(self) -> str:
        return self.spec["shown_path"]


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB" if n >= 1e3 else f"{n} bytes"


def _count_lines(f, size: int) -> int:
    f.seek(0)
    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    return lines + (1 if size and not _ends_with_newline(f, size) else 0)


def _ends_with_newline(f, size: int) -> bool:
    f.seek(size - 1)
    return f.read(1) == b"\n"


def _read(path: str, limit: int | None = None) -> str:
    """A file's text; with ``limit``, only its end (a learner may print megabytes).

    When the output is longer than ``limit`` characters, only its last
    ``TAIL_LINES`` lines are kept (each at most ``LINE_CHARS``), after one line
    that says exactly how much was left out. Few enough lines that the report
    shows them all, notice included.
    """
    try:
        with open(path, "rb") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(max(0, size - 4 * limit) if limit else 0)
            data = f.read()
            if not limit or size <= limit:
                return data.decode("utf-8", errors="replace")
            total = _count_lines(f, size)
    except OSError:
        return ""
    text = data.decode("utf-8", errors="replace")
    tail = text.rstrip("\n").split("\n")[-TAIL_LINES:]
    kept = []
    for line in tail:
        if len(line) > LINE_CHARS:  # a single line of megabytes: only its end
            line = "[… the start of this line is not shown …] " + line[-LINE_CHARS:]
        kept.append(line)
    last = "the last line is shown" if len(kept) == 1 else f"only the last {len(kept)} lines are shown"
    notice = f"[… your program printed {_size(size)} here, {total:,} lines; {last} …]"
    return "\n".join([notice] + kept) + "\n"


class Launcher:
    """This test process's launcher (dojo/launcher.py): it forks a warden for each run."""

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-m", "dojo.launcher"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=ROOT),
                                     start_new_session=True)

    def _line(self, timeout: float | None) -> str:
        if timeout is not None and not select.select([self.proc.stdout], [], [], timeout)[0]:
            raise TimeoutError
        line = self.proc.stdout.readline().decode()
        if not line:
            raise EOFError("the dojo's launcher ended")
        return line

    def run(self, run_dir: str, run_id: str, timeout: float) -> int:
        """Run one warden to its end; its exit code. Killed (with all it started) if it outlives ``timeout``."""
        self.proc.stdin.write(run_dir.encode() + b"\n")
        self.proc.stdin.flush()
        warden = int(self._line(None).split()[1])
        try:
            return int(self._line(timeout).split()[1])
        except BaseException:  # the warden itself hung, or the test was interrupted
            # The learner's main is a fork in a session of its own: no marker in /proc/PID/environ names it (that
            # shows only what a process was exec'd with), so it is found as the warden's descendant. Stopped
            # first, the warden cannot start anything new while its tree is read; every process found goes.
            try:
                os.killpg(warden, signal.SIGSTOP)
                tree = psutil.Process(warden).children(recursive=True)
            except (OSError, psutil.Error):  # it ended meanwhile
                tree = []
            for p in tree:
                try:
                    p.kill()
                except psutil.Error:
                    pass
            try:
                os.killpg(warden, signal.SIGKILL)
            except OSError:  # it ended meanwhile
                pass
            sweep(run_id)  # what left the tree and was exec'd (a spawn child) carries the marker: it goes too
            self.close()
            raise

    def close(self) -> None:
        global _current
        _current = None
        self.proc.stdin.close()
        self.proc.kill()
        self.proc.wait()


_current: Launcher | None = None


def _launcher() -> Launcher:
    """Started at the first run; a new one if the last was lost (it ends with this process)."""
    global _current
    if _current is None or _current.proc.poll() is not None:
        _current = Launcher()
    return _current


def run_program(*, target_dir: str, kata_file: str, entry: str, contract: dict, start_method: str,
                shop: Shop, deadline: float = 15.0, contain: bool = False, shown_as: str | None = None) -> Run:
    """Run ``entry(shop)`` of ``kata_file`` in ``target_dir`` under the warden; ``contain`` for untrusted code.

    ``shown_as``: how reports name the kata file (a grader shows the name the student handed in).
    """
    target_dir = os.path.abspath(target_dir)
    path = os.path.join(target_dir, kata_file)
    shown = os.path.relpath(path, os.getcwd())
    run_dir = residue.new_run_dir(SESSION)
    os.makedirs(os.path.join(run_dir, "events"))
    os.makedirs(os.path.join(run_dir, "stacks"))
    os.makedirs(os.path.join(run_dir, HOLDS))
    spec = {
        "run_id": f"{SESSION}-{next(_numbers)}", "target_dir": target_dir, "kata_file": path,
        "shown_path": shown_as or (shown if not shown.startswith("..") else path),
        "module": os.path.splitext(kata_file)[0], "entry": entry, "contract": contract,
        "start_method": start_method, "shop": asdict(shop), "deadline": deadline, "cwd": run_dir,
        "contain": contain,
    }
    with open(os.path.join(run_dir, "spec.json"), "w", encoding="utf-8") as f:
        json.dump(spec, f)
    try:
        code = _launcher().run(run_dir, spec["run_id"], timeout=deadline + STALL + 10)
    except BaseException:  # the warden hung, or the test was interrupted: the launcher killed it
        residue.remove_shm(spec["run_id"], run_dir)
        residue.drop(run_dir)  # nobody will read it now (kept with DOJO_KEEP_RUNS)
        raise
    if code != 0:  # the warden was killed (by the program?) before it could clean up
        sweep(spec["run_id"])
        residue.remove_shm(spec["run_id"], run_dir)
    try:
        with open(os.path.join(run_dir, "result.json"), encoding="utf-8") as f:
            result = json.load(f)
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"the dojo warden failed; its log:\n{_read(os.path.join(run_dir, 'warden.log'))}") from exc
    stacks = {}
    for name in os.listdir(os.path.join(run_dir, "stacks")):
        stacks[int(name.split(".")[0])] = _read(os.path.join(run_dir, "stacks", name))
    events = read_events(run_dir)
    final_role = {e.pid: e.role for e in events}  # a forked child is renamed once it knows its role
    for e in events:
        e.role = final_role[e.pid]
    run = Run(spec, result, events, stacks,
              _read(os.path.join(run_dir, "stdout.txt"), OUTPUT_LIMIT),
              _read(os.path.join(run_dir, "stderr.txt"), OUTPUT_LIMIT))
    if not os.environ.get("DOJO_KEEP_RUNS"):
        shutil.rmtree(run_dir, ignore_errors=True)
    return run
