"""Run one learner program, from the test process, through the warden.

Learner code never runs inside pytest: the test starts ``dojo.warden`` in a
session of its own, waits for it with an outer limit, and then reads what the
run left in its folder (events, stacks, output, the warden's result).
"""
from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from dataclasses import asdict, dataclass, field

from dojo.events import Event, read_events
from dojo.shop import Shop
from dojo.warden import STALL, sweep

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SESSION = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"  # marks every process of this test process
_numbers = itertools.count(1)
OUTPUT_LIMIT = 2000  # characters of learner output kept in a report


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


def _read(path: str, limit: int | None = None) -> str:
    """A file's text; with ``limit``, only its end (a learner may print for 15 s)."""
    try:
        with open(path, "rb") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(max(0, size - 4 * limit) if limit else 0)
            data = f.read()
    except OSError:
        return ""
    text = data.decode("utf-8", errors="replace")
    if limit and (len(text) > limit or len(data) < size):
        return f"[… {size - len(text[-limit:].encode())} earlier bytes cut …]\n" + text[-limit:]
    return text


def run_program(*, target_dir: str, kata_file: str, entry: str, contract: dict, start_method: str,
                shop: Shop, deadline: float = 15.0, contain: bool = False) -> Run:
    """Run ``entry(shop)`` of ``kata_file`` in ``target_dir`` under the warden; ``contain`` for untrusted code."""
    target_dir = os.path.abspath(target_dir)
    path = os.path.join(target_dir, kata_file)
    shown = os.path.relpath(path, os.getcwd())
    run_dir = tempfile.mkdtemp(prefix="dojo-run-")
    os.makedirs(os.path.join(run_dir, "events"))
    os.makedirs(os.path.join(run_dir, "stacks"))
    spec = {
        "run_id": f"{SESSION}-{next(_numbers)}", "target_dir": target_dir, "kata_file": path,
        "shown_path": shown if not shown.startswith("..") else path,
        "module": os.path.splitext(kata_file)[0], "entry": entry, "contract": contract,
        "start_method": start_method, "shop": asdict(shop), "deadline": deadline, "cwd": run_dir,
        "contain": contain,
    }
    with open(os.path.join(run_dir, "spec.json"), "w", encoding="utf-8") as f:
        json.dump(spec, f)
    env = dict(os.environ, PYTHONPATH=ROOT)
    with open(os.path.join(run_dir, "warden.log"), "wb") as log:
        warden = subprocess.Popen([sys.executable, "-m", "dojo.warden", run_dir], stdin=subprocess.DEVNULL,
                                  stdout=log, stderr=log, env=env, start_new_session=True)
        try:
            warden.wait(timeout=deadline + STALL + 10)
        except BaseException:  # the warden itself hung, or the test was interrupted
            try:
                os.killpg(warden.pid, signal.SIGKILL)
            except OSError:  # it ended meanwhile
                pass
            warden.wait()
            raise
        finally:
            sweep(spec["run_id"])
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
