"""Watch mode's runner (``ptw .``): pytest, then pytest again at once if a file was saved while it ran.

pytest-watcher starts a run when a watched file is saved, but a save made
*during* a run is forgotten when the run ends (the watcher clears its trigger
after the run; measured with 0.6.3): the room saw a run that had read part
old and part new code (``1 failed, 6 passed``) and no run after it. So
``[tool.pytest-watcher]`` in pyproject.toml names this module as the runner:
it notes every watched file (the watcher's own patterns) before a run, looks
again after it, and while anything changed it says which file and runs pytest
again, so the last report on the screen is always of the code as saved.
Everything after ``ptw .`` (``--kata 03``, ``--lang zh``) reaches pytest as it is.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dojo.lang import say

DEFAULT_PATTERNS = ["**/*.py"]
PRUNE = {".git", ".venv", ".ci-venv", ".dojo", "__pycache__", "node_modules"}  # never the learner's code


def _patterns(here: Path) -> tuple[list[str], list[str]]:
    """The watcher's patterns, from the same pyproject.toml it reads."""
    try:
        from pytest_watcher.config import find_config, parse_config

        found = find_config(here)
        data = parse_config(found) if found else {}
    except (ImportError, SystemExit):
        data = {}
    return list(data.get("patterns") or DEFAULT_PATTERNS), list(data.get("ignore_patterns") or [])


def snapshot(here: Path) -> dict[str, tuple[int, int]]:
    """Every watched file under ``here``: (modification time in ns, size)."""
    from watchdog.utils.patterns import match_any_paths

    patterns, ignore = _patterns(here)
    seen = {}
    for folder, dirs, names in os.walk(here):
        dirs[:] = [d for d in dirs if d not in PRUNE]
        paths = [os.path.join(folder, n) for n in names]
        for path in paths:
            if match_any_paths([path], included_patterns=patterns, excluded_patterns=ignore):
                try:
                    st = os.stat(path)
                except OSError:  # gone between the listing and now: its absence is what the next look sees
                    continue
                seen[path] = (st.st_mtime_ns, st.st_size)
    return seen


def _lang(argv: list[str]) -> str:
    from dojo.learner import _lang_of

    return _lang_of(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    here = Path.cwd()
    while True:
        before = snapshot(here)
        code = subprocess.run([sys.executable, "-m", "pytest", *argv]).returncode
        after = snapshot(here)
        changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
        if not changed:
            return code
        shown = os.path.relpath(changed[0], here) + (f" (+{len(changed) - 1})" if len(changed) > 1 else "")
        if sys.stdout.isatty():
            sys.stdout.write("\033c")  # as the watcher clears before a run: the room sees one report
        print(say(_lang(argv), f"{shown} was saved while that run ran, so its report may mix old and new code: "
                               "running again with what is saved now.",
                  f"{shown} 在刚才那次运行期间被保存了，那份报告可能混着新旧代码：用现在保存的内容再运行一次。"),
              flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
