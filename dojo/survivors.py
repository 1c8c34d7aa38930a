"""``python -m dojo.survivors``: processes that outlived their test session; exit 1 if any.

Every process of a run carries ``DOJO_RUN_ID`` in its environment, which
starts with the pid of the test process that made the run. Once that test
process has ended, none of its runs may have a process left. (Runs of a
test session still going on, beside this one, are not counted.) CI runs this
after the suites.
"""
import sys

import psutil

from dojo.warden import marked, orphaned


def survivors() -> list[str]:
    out = []
    for p, rid in marked():
        if not orphaned(rid):
            continue
        try:
            out.append(f"{p.pid} (run {rid}) {' '.join(p.cmdline())}")
        except psutil.Error:  # it ended while we looked
            pass
    return out


if __name__ == "__main__":
    left = survivors()
    for line in left:
        print("survived its run:", line)
    print(f"{len(left)} process(es) of ended test sessions left running")
    sys.exit(1 if left else 0)
