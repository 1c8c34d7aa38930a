"""Gradescope's ``results.json`` (written as ``gradescope.json``; run_autograder copies it into place).

The shape is Gradescope's autograder specification: top-level ``score``,
``execution_time``, ``output`` (+ ``output_format``), ``visibility``,
``stdout_visibility``, ``extra_data`` and ``tests[]`` with ``name``,
``number``, ``score``, ``max_score``, ``status`` (passed/failed), ``output``,
``tags``, ``visibility``. Provenance goes in ``extra_data``, which Gradescope
keeps and does not show.
"""
from __future__ import annotations

import json

from dojo import katas as table
from dojo.grading.scores import number, test_score

KEYS = {"score", "max_score", "execution_time", "output", "output_format", "test_output_format",
        "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
TEST_KEYS = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format",
             "tags", "visibility", "extra_data"}


def numbered(tests):
    """(number within its kata, test): Gradescope's "1.3" is kata 1, test 3."""
    seen: dict[str, int] = {}
    for t in tests:
        seen[t.kata] = seen.get(t.kata, 0) + 1
        yield seen[t.kata], t


def render(record, graded: dict, summary: str, elapsed: float) -> str:
    points = graded["points"]
    report = {
        "score": number(graded["score"]), "max_score": number(graded["max"]), "execution_time": round(elapsed, 1),
        "output": summary, "output_format": "md", "visibility": "visible", "stdout_visibility": "visible",
        "extra_data": {"dojo": record.gradings},
        "tests": [{"name": f"{t.kata} · {t.name}", "number": f"{int(t.kata)}.{i}",
                   "score": number(test_score(t, points)), "max_score": number(points[t.key]),
                   "status": "passed" if t.status == "passed" else "failed",
                   "output": t.message, "tags": [table.BY_NUMBER[t.kata].name, t.dojo_status],
                   "visibility": "visible"}
                  for i, t in numbered(record.tests) if t.status != "skipped"],
    }
    return json.dumps(report, indent=1, ensure_ascii=False)
