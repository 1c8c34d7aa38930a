"""What each test is worth: its kata's points shared over its tests in quarter points.

Quarters, not cents: a multiple of 0.25 is exact in binary floating point, so
every sum of them is exact too, in Python and in the JavaScript of GitHub
Classroom's reporter (cents gave 59.99999999999997 of 60). A kata of 10 points
over 3 tests gives 3.5, 3.25, 3.25; the remainder goes to the first tests. A
kata with more tests than quarters is shared in eighths, sixteenths, … (still
exact), so that no test is worth nothing.
"""
from __future__ import annotations

from dojo import katas as table

QUARTERS = 4


def worth(tests) -> dict[tuple[str, str], float]:
    """Each graded test's points by (kata, test name); skipped tests are not graded."""
    names: dict[str, dict[str, tuple]] = {}
    for t in tests:
        if t.status != "skipped":
            names.setdefault(t.kata, {})[t.name] = (t.line_no, t.name)
    points = {}
    for kata, mine in names.items():
        n, unit = len(mine), QUARTERS
        while table.BY_NUMBER[kata].points * unit < n:
            unit *= 2
        parts = table.BY_NUMBER[kata].points * unit
        for i, name in enumerate(sorted(mine, key=mine.get)):
            points[(kata, name)] = (parts // n + (1 if i < parts % n else 0)) / unit
    return points


def number(x: float):
    """An int when whole (``10``, not ``10.0``), else the float: how the reports print points."""
    return int(x) if float(x).is_integer() else x


def score(tests) -> dict:
    """The student's points: per kata (score, max, tests passed, what failed first), and in all."""
    points = worth(tests)
    per_kata = {}
    for k in table.KATAS:
        mine = [t for t in tests if t.kata == k.number and t.status != "skipped"]
        if not mine:
            continue
        passed = [t for t in mine if t.status == "passed"]
        per_kata[k.number] = {"score": sum(points[(t.kata, t.name)] for t in passed), "max": k.points,
                              "passed": len(passed), "tests": len(mine),
                              "first": next((t for t in mine if t.status != "passed"), None)}
    return {"katas": per_kata, "score": sum(v["score"] for v in per_kata.values()),
            "max": sum(v["max"] for v in per_kata.values()), "points": points}


def test_score(t, points) -> float:
    return points[(t.kata, t.name)] if t.status == "passed" else 0
