"""The results file (``--results FILE``): every test's outcome as JSON, for instructors and scripts."""
from __future__ import annotations

import json
import time

from dojo.modes import Mode
from dojo.order import kata_of


def write(path: str, tr, mode: Mode) -> None:
    """One JSON object per test, in kata order: for instructors and grading scripts."""
    tests = []
    for key in ("passed", "failed", "skipped", "ahead", "checked earlier", "error"):
        for r in tr.stats.get(key, []):
            # a test's outcome: its call, or the setup that skipped or broke it
            if not hasattr(r, "nodeid") or (key in ("passed", "failed") and r.when != "call"):
                continue
            props = dict(getattr(r, "user_properties", []))
            kata = kata_of(r.fspath)
            tests.append({"nodeid": r.nodeid, "kata": kata.number if kata else None, "outcome": key,
                          "status": props.get("dojo_status", "PASS" if key == "passed" else None),
                          "headline": props.get("dojo_headline"), "duration": round(r.duration, 3)})
    tests.sort(key=lambda t: (t["kata"] or "99", t["nodeid"]))
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"mode": mode.name, "target": mode.target_dir, "created": time.time(), "tests": tests}, f, indent=1)
