"""``python -m dojo.survivors``: what outlived its test session; exit 1 if anything did.

Every process of a run carries ``DOJO_RUN_ID`` in its environment, which
starts with the pid of the test process that made the run; its semaphores in
/dev/shm and its run folder carry that pid in their names too, and its shared
memory blocks are written down in its run folder (dojo/residue.py). Once that
test process has ended, none of its runs may have left a process, a /dev/shm
entry or a run folder (one kept with ``DOJO_KEEP_RUNS`` is not counted).
Runs of a test session still going on, beside this one, are not counted
either. CI runs this after the suites.
"""
import sys

import psutil

from dojo import residue
from dojo.warden import marked, orphaned


def survivors() -> list[str]:
    out = []
    for p, rid, _ in marked():
        if not orphaned(rid):
            continue
        try:
            out.append(f"survived its run: {p.pid} (run {rid}) {' '.join(p.cmdline())}")
        except psutil.Error:  # it ended while we looked
            pass
    for path, source in residue.ended_entries():
        out.append(f"left in /dev/shm: {path} ({source})")
    for folder in residue.ended_folders():
        out.append(f"run folder left: {folder}")
    return out


if __name__ == "__main__":
    left = survivors()
    for line in left:
        print(line)
    print(f"{len(left)} thing(s) of ended test sessions left behind (processes, /dev/shm entries, run folders)")
    sys.exit(1 if left else 0)
