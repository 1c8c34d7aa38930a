"""GitHub Classroom's grading reporter input (``classroom.json``).

classroom-resources/autograding-grading-reporter reads each runner's result
base64-encoded from one environment variable (``<ID>_RESULTS``), and Linux
caps one environment string at 128 KiB: a result over about 96 KB stops the
reporter with E2BIG before it starts. So this file is its own, small one,
at most ``LIMIT`` bytes once base64-encoded, never the full reports:

- ``max_score``, and per test ``score`` in quarter points (dojo/grading/scores.py):
  the reporter sums them in JavaScript, and quarters add up exactly;
- ``name``: the test, and for a failed test the dojo's headline, because the
  reporter prints a failed test's name and ``line_no`` but never its ``message``;
- ``line_no``: the test's line in its test file (else it prints "line undefined");
- ``test_code``: the command that runs this test alone, which it prints too.

When the tests are many, the headlines are cut shorter, then dropped, until it fits.
"""
from __future__ import annotations

import base64
import json

from dojo import katas as table
from dojo.grading.exercism import nothing_ran
from dojo.grading.scores import number, test_score

LIMIT = 64 * 1024  # bytes of base64: half of Linux's 128 KiB per environment string, room for the rest


def encoded_size(text: str) -> int:
    return len(base64.b64encode(text.encode("utf-8")))


def _entry(t, points, headline: int | None, code: bool, file: bool = True) -> dict:
    name = f"{t.kata} · {t.name}"
    if t.status != "passed" and headline and t.headline:
        head = " ".join(t.headline.split())
        name += " · " + (head if len(head) <= headline else head[:headline - 1] + "…")
    entry = {"name": name, "status": {"passed": "pass", "failed": "fail"}.get(t.status, "error"),
             "score": number(test_score(t, points)), "max_score": number(points[t.key]),
             "line_no": t.line_no}
    if file:
        entry["filename"] = f"tests/test_{table.BY_NUMBER[t.kata].file}"
    if t.status == "error":  # the one status whose message the reporter prints
        entry["message"] = t.headline or t.dojo_status
    if code:
        method = t.name.partition(" [")[2].rstrip("]")
        function = t.name.partition(" [")[0]
        entry["test_code"] = f"pytest --kata {t.kata} -k '{function}" + (f" and {method}'" if method else "'")
    return entry


def render(record, graded: dict) -> str:
    points = graded["points"]
    tests = [t for t in record.tests if t.status != "skipped"]
    status = "error" if nothing_ran(record) else "pass" if all(t.status == "passed" for t in tests) else "fail"
    text = ""
    levels = ((200, True, True), (100, True, True), (60, True, True), (60, False, True), (None, False, True),
              (None, False, False))  # the last: about 100 bytes a test, so 400 tests still fit
    for headline, code, file in levels:
        report = {"version": 1, "status": status, "max_score": number(graded["max"]),
                  "tests": [_entry(t, points, headline, code, file) for t in tests]}
        text = json.dumps(report, ensure_ascii=False, separators=(",", ":"))
        if encoded_size(text) <= LIMIT:
            break
    return text
