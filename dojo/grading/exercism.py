"""Exercism's test-runner ``results.json``, version 3 (exercism/docs, building/tooling/test-runners/interface.md).

- ``status``: ``pass`` (every test passed), ``fail`` (one failed), ``error``
  only when no test could run at all: here, when nothing was handed in. Then
  ``message`` says why; otherwise it is null.
- ``tests[]`` in the tests' file order: ``name``, ``status`` (pass/fail/error),
  ``message`` (the dojo's report), ``output`` (only what the student's program
  printed, at most 500 characters, with a notice when cut), ``test_code``,
  ``task_id`` (the kata's place in the course).
- Provenance rides along in ``dojo``: tools ignore keys they do not know.
"""
from __future__ import annotations

import json

from dojo import katas as table
from dojo.lang import say

OUTPUT_LIMIT = 500  # the spec's limit for a test's output
TRUNCATED = "\n[Output was truncated. Please limit to 500 chars.]"


def output(text: str) -> str | None:
    if not text:
        return None
    if len(text) <= OUTPUT_LIMIT:
        return text
    return text[:OUTPUT_LIMIT - len(TRUNCATED)] + TRUNCATED


def nothing_ran(record) -> bool:
    """No test ran a program: every graded test was MISSING (the files were not handed in)."""
    graded = [t for t in record.tests if t.status != "skipped"]
    return all(t.dojo_status == "MISSING" for t in graded)


def render(record, lang: str = "en") -> str:
    index = {k.number: i for i, k in enumerate(table.KATAS, 1)}
    tests = [t for t in record.tests if t.status != "skipped"]
    if nothing_ran(record):
        status = "error"
        files = ", ".join(k.file for k in table.KATAS[:2]) + ", …"
        message = say(lang, f"No test could run: none of the kata files ({files}) was handed in. Hand them in at "
                            "the top of the submission, or in a katas/ folder.",
                      f"没有测试能够运行：没有交任何练习文件（{files}）。请把它们放在提交内容的最上层，或者放在 katas/ 文件夹里。")
    else:
        status = "pass" if all(t.status == "passed" for t in tests) else "fail"
        message = None
    report = {
        "version": 3, "status": status, "message": message,
        "tests": [{"name": f"{t.kata} · {t.name}", "status": {"passed": "pass", "failed": "fail"}.get(t.status, "error"),
                   "message": t.message or None, "output": output(t.output), "test_code": t.test_code,
                   "task_id": index[t.kata]} for t in tests],
        "dojo": record.gradings,
    }
    return json.dumps(report, indent=1, ensure_ascii=False)

