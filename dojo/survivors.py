"""``python -m dojo.survivors``: list processes of dojo runs still alive; exit 1 if any.

Every process of a run carries ``DOJO_RUN_ID`` in its environment; after a
test session none may be left. CI runs this after the suites.
"""
import sys

import psutil

from dojo.warden import marked


def survivors() -> list[str]:
    out = []
    for p, rid in marked():
        try:
            out.append(f"{p.pid} (run {rid}) {' '.join(p.cmdline())}")
        except psutil.Error:  # it ended while we looked
            pass
    return out


if __name__ == "__main__":
    left = survivors()
    for line in left:
        print("survived its run:", line)
    print(f"{len(left)} process(es) of dojo runs left running")
    sys.exit(1 if left else 0)
