"""One report per distinct finding: the repeats of a failure are named, not printed again.

A kata's tests run under every start method, and several tests of a kata
often fail the same way: ``pytest --kata 4`` gave twelve nearly identical
reports, ``pytest -n auto`` (where the workers run a kata's tests side by side)
as many. A failure repeats another when it is of the same kata and class and
names the same lines of the learner's code (``file.py:NN`` in its first line),
or, without any line, is of the same class (LOST, say: the same buns lost the
same way, in a larger or smaller shop). The first of each kind is shown in
full; under it, one section names the others: "The same in spawn and
forkserver (2 tests)".

pytest prints the FAILURES section before any plugin's terminal summary, so
the repeats leave ``stats["failed"]`` at session finish (:func:`fold`) and come
back in the terminal summary (:func:`unfold`), before the progress table counts
them and the short summary lists each one as FAILED: no count changes.
"""
from __future__ import annotations

import os
import re

import pytest

from dojo import katas as table
from dojo.lang import say

_FOLDED = pytest.StashKey[list]()
LINES = re.compile(r"\(([^()]*?\.py:\d+)\)")
PARAM = re.compile(r"^(?P<func>[^\[]+)(?:\[(?P<param>.*)\])?$")
_ORDER: dict[str, list[str]] = {}


def _test_order(path: str) -> list[str]:
    """The test functions of a kata's test file, in file order (the controller under xdist has no items)."""
    if path not in _ORDER:
        try:
            with open(path, encoding="utf-8") as f:
                _ORDER[path] = re.findall(r"^def (test_\w+)", f.read(), re.M)
        except OSError:
            _ORDER[path] = []
    return _ORDER[path]


def _name(report) -> tuple[str, str]:
    """(function, start method or other parameter) of a report's test."""
    m = PARAM.match(report.nodeid.split("::")[-1])
    return (m["func"], m["param"] or "") if m else (report.nodeid, "")


def _key(report, kata: table.Kata):
    props = dict(getattr(report, "user_properties", []))
    headline, status = props.get("dojo_headline"), props.get("dojo_status")
    if not headline or not status or report.when != "call":
        return report.nodeid  # not a dojo verdict (an error of the test itself): never folded
    return kata.number, status, frozenset(LINES.findall(headline))


def _sort_key(report, kata: table.Kata, root: str):
    func, param = _name(report)
    order = _test_order(os.path.join(root, "tests", f"test_{kata.name}.py"))
    methods = list(kata.start_methods)
    return (kata.number, order.index(func) if func in order else len(order), func,
            methods.index(param) if param in methods else len(methods), param)


def _and(names: list[str], lang: str) -> str:
    if len(names) == 1:
        return names[0]
    return say(lang, ", ".join(names[:-1]) + " and " + names[-1], "、".join(names[:-1]) + " 和 " + names[-1])


def _section(first, others: list, status: str, lang: str) -> tuple[str, str]:
    """The title and body of the section under ``first`` that names its repeats."""
    func, _ = _name(first)
    by_func: dict[str, list[str]] = {}
    for r in others:
        f, param = _name(r)
        by_func.setdefault(f, []).append(param)
    n = len(others)
    if list(by_func) == [func] and all(by_func[func]):
        title = say(lang, f"The same in {_and(by_func[func], lang)} ({n} test{'s' if n > 1 else ''})",
                    f"在 {_and(by_func[func], lang)} 下也一样（{n} 个测试）")
        return title, ", ".join(r.nodeid.split("::")[-1] for r in others)
    title = say(lang, f"The same {status} in {n} more test{'s' if n > 1 else ''}", f"另外 {n} 个测试也是同样的 {status}")
    lines = [f"{f}[{', '.join(p for p in params if p)}]" if any(params) else f for f, params in by_func.items()]
    return title, "\n".join(lines)


def fold(config, tr, mode) -> None:
    """Take each repeated failure out of the FAILURES section; its first shows a section naming the rest."""
    if mode.name == "grade":  # graded runs print no reports; each student's are in their own files
        return
    failed = tr.stats.get("failed", [])
    groups: dict = {}
    for r in failed:
        kata = table.of_test_file(getattr(r, "nodeid", ""))
        if kata is not None:
            groups.setdefault(_key(r, kata), []).append((_sort_key(r, kata, mode.root), r))
    folded = []
    for key, members in groups.items():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: m[0])
        first, others = members[0][1], [r for _, r in members[1:]]
        first.sections.append(_section(first, others, key[1], mode.lang))
        folded += others
    if folded:
        tr.stats["failed"] = [r for r in failed if not any(r is f for f in folded)]
        # The first of each kind where the learner reads first: in kata and test order, as a plain run shows them.
        tr.stats["failed"].sort(key=lambda r: _sort_key(r, table.of_test_file(r.nodeid), mode.root)
                                if table.of_test_file(getattr(r, "nodeid", "")) else ("99",))
        config.stash[_FOLDED] = folded


def unfold(config, tr) -> None:
    """Put the repeats back: the table counts them, and the short summary lists each one."""
    folded = config.stash.get(_FOLDED, [])
    if folded:
        tr.stats.setdefault("failed", []).extend(folded)
        config.stash[_FOLDED] = []
