"""One pre-imported launcher per test process: each run starts with fork, not a new interpreter.

A run used to start two interpreters before the learner's first line ran:
the warden (``python -m dojo.warden``) and the learner's main (``python -m
dojo.child``), each paying for Python's start-up and the dojo's imports. The
launcher pays that once per test process: ``python -m dojo.launcher`` imports
everything both need, then for every run the test asks for it forks a warden,
and the warden forks the learner's main (dojo/warden.py).

The protocol, one line each way, over the launcher's stdin and stdout:
the test writes ``RUN_DIR``; the launcher answers ``started PID`` (the
warden, the leader of a session of its own, so the test can kill it with its
group), then ``ended STATUS`` once the warden has ended. The launcher ends
when its stdin closes, or when the test process dies (``PR_SET_PDEATHSIG``).
"""
from __future__ import annotations

import os
import signal
import sys

# Imported here, once, so that neither a warden nor a learner's main imports them again.
import multiprocessing  # noqa: F401
import multiprocessing.queues  # noqa: F401
import multiprocessing.synchronize  # noqa: F401

import dojo.child  # noqa: F401
from dojo import warden


def serve() -> str | None:
    """Answer runs until stdin ends; in a forked warden, return its run folder instead."""
    warden.die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the test's to handle: it kills the run itself
    for line in sys.stdin:
        run_dir = line.strip()
        if not run_dir:
            continue
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            return run_dir
        print(f"started {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"ended {os.waitstatus_to_exitcode(status)}", flush=True)
    return None


if __name__ == "__main__":
    job = serve()
    if job is not None:
        os.setsid()  # the warden leads a session of its own, so the test can kill it with its group
        try:
            warden.main(job)
        except warden.BecomeMain as become:  # the learner's main: it ends as a script ends
            become.run()
        else:
            os._exit(0)  # the warden: nothing of the launcher's to clean up
