"""``python -m dojo.survivors``: list processes of dojo runs still alive; exit 1 if any.

Every process of a run carries ``DOJO_RUN_ID`` in its environment; after a
test session none may be left. CI runs this after the suites.
"""
import sys

import psutil

from dojo.events import RUN_ID_ENV


def survivors() -> list[str]:
    found = []
    for p in psutil.process_iter(["pid", "cmdline"]):
        try:
            with open(f"/proc/{p.pid}/environ", "rb") as f:
                if f"{RUN_ID_ENV}=".encode() in f.read():
                    found.append(f"{p.pid} {' '.join(p.info['cmdline'] or [])}")
        except OSError:
            pass
    return found


if __name__ == "__main__":
    left = survivors()
    for line in left:
        print("survived its run:", line)
    print(f"{len(left)} process(es) of dojo runs left running")
    sys.exit(1 if left else 0)
