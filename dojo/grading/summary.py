"""``summary.md``: one row per kata for a person, then what was not graded and how the runs were contained."""
from __future__ import annotations

from dojo import katas as table
from dojo.contain import landlock_abi
from dojo.grading.record import describe
from dojo.grading.scores import number
from dojo.grading.text import cell

MAX_LISTED = 20


def handed_in(record) -> str:
    """``nothing``, ``the untouched stubs``, or how many kata files: told apart in summaries and grades.csv."""
    s = record.student
    if not s.found:
        return "nothing"
    if set(s.found) == set(s.stubs):
        return "the untouched stubs"
    stubs = f", {len(s.stubs)} of them untouched stubs" if s.stubs else ""
    return f"{len(s.found)} of {len(table.KATAS)} kata files{stubs}"


def render(record, graded: dict) -> str:
    s = record.student
    lines = [f"# {s.name}: {number(graded['score']):g} of {number(graded['max']):g} points", "",
             f"Handed in: {handed_in(record)}.", "",
             "| kata | points | tests passed | what failed first |", "|---|---|---|---|"]
    for k in table.KATAS:
        g = graded["katas"].get(k.number)
        if g is None:
            skipped = [t for t in record.tests if t.kata == k.number]
            if skipped:
                lines.append(f"| {k.name} | not graded | – | {cell(skipped[0].message)} |")
            continue
        first = g["first"]
        what = "" if first is None else cell(first.headline or (first.message.splitlines() or [first.dojo_status])[0])
        lines.append(f"| {k.name} | {number(g['score']):g} / {g['max']:g} | {g['passed']} / {g['tests']} | {what} |")
    graded_katas = {t.kata for t in record.tests}
    missing = [k.file for k in table.KATAS if k.number in graded_katas and k.file not in s.found]
    if missing:
        lines += ["", f"Not handed in (0 points): {', '.join(missing)}"]
    if s.stubs:
        lines += ["", f"Handed in unchanged from the stubs: {', '.join(s.stubs)}"]
    if s.ignored:
        shown = s.ignored[:MAX_LISTED]
        more = f" and {len(s.ignored) - MAX_LISTED} more" if len(s.ignored) > MAX_LISTED else ""
        lines += ["", f"Not graded (not kata files; never run): {', '.join(cell(x, 80) for x in shown)}{more}"]
    abi = landlock_abi()
    lines += ["", "Every run was contained" + (f" (rlimits, Landlock ABI {abi})." if abi else " (rlimits; no Landlock on this kernel)."),
              "", f"Graded: {describe(record.provenance)}."]
    if len(record.gradings) > 1:
        lines.append(f"This report merges {len(record.gradings)} gradings; the first: {describe(record.gradings[0])}.")
    return "\n".join(lines) + "\n"
