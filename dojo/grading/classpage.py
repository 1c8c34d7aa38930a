"""The class at a glance: ``class.html`` (one self-contained page) and ``class.md``.

Both show the same things, from every student's record:

- a heat map, students by katas, each cell the kata's class word (PASS, HANG,
  LOST, …) in its colour, linking to that student's ``summary.md``;
- the pass rate per kata, with its most common failure and headline;
- a histogram of scores;
- the students that containment stopped, and what they tried.

The page has no script, no font, no image and no address outside itself: it
opens from the disk in any browser, with no server and no network.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from urllib.parse import quote

from dojo import katas as table
from dojo.grading.record import describe
from dojo.grading.scores import number, score
from dojo.grading.summary import handed_in
from dojo.grading.text import cell

COLOURS = {"PASS": "#2e7d32", "HANG": "#6a1b9a", "LOST": "#ef6c00", "DUPLICATE": "#f9a825", "CRASH": "#c62828",
           "LEAK": "#6d4c41", "WRONG": "#ad1457", "ERROR": "#37474f", "MISSING": "#b0bec5", "SKIPPED": "#eceff1"}
SEVERITY = ["CRASH", "HANG", "LEAK", "LOST", "DUPLICATE", "WRONG", "ERROR", "MISSING"]
BINS = 10
_WHERE = re.compile(r"\s*\([^()]*\.py:\d+\)")  # "(01_sentinel.py:57)": differs by student, not by mistake
PLANTS = (".py", ".pth", ".ini", ".cfg", ".toml")  # what Python or a test runner could load, were it ever read


def word(tests) -> str:
    """A kata's class word for one student: PASS, or the failure most of its tests met (the worse on a tie)."""
    graded = [t for t in tests if t.status != "skipped"]
    if not graded:
        return "SKIPPED"
    failed = Counter(t.dojo_status if t.dojo_status in COLOURS else "ERROR" for t in graded if t.status != "passed")
    if not failed:
        return "PASS"
    return min(failed, key=lambda w: (-failed[w], SEVERITY.index(w) if w in SEVERITY else 99))


def planted(record) -> list[str]:
    """Code or configuration handed in beside the kata files (never copied, never run): a conftest.py,
    a pytest.ini, a plugin. A student's own helper module shows here too: the class page says what, not why."""
    return [path for path in record.student.ignored if path.endswith(PLANTS)]


def flags(record) -> list[str]:
    """What containment stopped, in words: from the tests' flags and the planted files."""
    said = sorted({f for t in record.tests for f in t.flags})
    plants = planted(record)
    if plants:
        said.append("handed in code or configuration a test runner could load (never run): "
                    + ", ".join(plants[:8]) + (" …" if len(plants) > 8 else ""))
    return said


def facts(records: list) -> dict:
    katas = [k for k in table.KATAS if any(t.kata == k.number for r in records for t in r.tests)]
    grid, rows = {}, []
    for r in records:
        g = score(r.tests)
        rows.append((r, g))
        for k in katas:
            grid[(r.student.name, k.number)] = word([t for t in r.tests if t.kata == k.number])
    per_kata = {}
    for k in katas:
        words = [grid[(r.student.name, k.number)] for r in records]
        graded = [w for w in words if w != "SKIPPED"]
        failing = Counter(w for w in graded if w not in ("PASS", "MISSING"))
        heads = Counter(_WHERE.sub("", t.headline) for r in records for t in r.tests
                        if t.kata == k.number and t.status != "passed" and t.headline and t.dojo_status != "MISSING")
        per_kata[k.number] = {"passed": sum(w == "PASS" for w in graded), "graded": len(graded),
                              "missing": sum(w == "MISSING" for w in graded),
                              "failure": failing.most_common(1)[0] if failing else None,
                              "headline": heads.most_common(1)[0] if heads else None}
    maximum = max((g["max"] for _, g in rows), default=0)
    bins = [0] * BINS
    for _, g in rows:
        share = g["score"] / g["max"] if g["max"] else 0
        bins[min(BINS - 1, int(share * BINS))] += 1
    return {"katas": katas, "grid": grid, "rows": rows, "per_kata": per_kata, "bins": bins, "max": maximum,
            "flagged": [(r, flags(r)) for r in records if flags(r)]}


def _missing(p: dict) -> str:
    return f"; not handed in: {p['missing']}" if p["missing"] else ""


def _students(n: int) -> str:
    return f"{n} student" + ("" if n == 1 else "s")


def _tests(n: int) -> str:
    return f"{n} test" + ("" if n == 1 else "s")


def _bin_label(i: int) -> str:
    return f"{i * 100 // BINS}–{(i + 1) * 100 // BINS}%" if i < BINS - 1 else f"{i * 100 // BINS}–100%"


def markdown(records: list, provenance: dict) -> str:
    f = facts(records)
    katas = f["katas"]
    out = [f"# The class at a glance: {len(records)} students", "",
           "| student | " + " | ".join(k.number for k in katas) + " | points | handed in |",
           "|---|" + "---|" * len(katas) + "---|---|"]
    for r, g in f["rows"]:
        link = f"[{cell(r.student.name, 60)}]({quote(r.student.name)}/summary.md)"
        out.append(f"| {link} | " + " | ".join(f["grid"][(r.student.name, k.number)] for k in katas)
                   + f" | {number(g['score']):g} / {number(g['max']):g} | {handed_in(r)} |")
    out += ["", "## Per kata", "", "| kata | passed | most common failure | most common headline |", "|---|---|---|---|"]
    for k in katas:
        p = f["per_kata"][k.number]
        fail = (f"{p['failure'][0]} ({_students(p['failure'][1])})" if p["failure"] else "–") + _missing(p)
        head = f"{cell(p['headline'][0], 160)} ({_tests(p['headline'][1])})" if p["headline"] else "–"
        out.append(f"| {k.name} | {p['passed']} of {p['graded']} | {fail} | {head} |")
    out += ["", "## Scores", "", "| share of the points | students |", "|---|---|"]
    out += [f"| {_bin_label(i)} | {n} |" for i, n in enumerate(f["bins"])]
    out += ["", "## Stopped by containment", ""]
    out += [f"- {cell(r.student.name, 60)}: {cell('; '.join(said), 400)}" for r, said in f["flagged"]] or ["Nobody."]
    out += ["", f"Made {describe(provenance)}."]
    return "\n".join(out) + "\n"


def page(records: list, provenance: dict) -> str:
    f = facts(records)
    katas, e = f["katas"], html.escape
    css = ("body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}"
           "th,td{border:1px solid #ccc;padding:3px 6px;text-align:left}td.w{color:#fff;text-align:center;font-size:12px}"
           "td.w a{color:inherit;text-decoration:none;display:block}.bar{display:inline-block;height:12px;background:#1565c0}"
           ".key span{display:inline-block;padding:1px 6px;margin-right:4px;color:#fff;font-size:12px}")
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>Deadlock Dojo: the class at a glance</title><style>{css}</style></head><body>",
             f"<h1>The class at a glance: {len(records)} students</h1>",
             '<p class="key">' + "".join(f'<span style="background:{c}">{w}</span>' for w, c in COLOURS.items()
                                         if w != "SKIPPED") + "</p>",
             '<h2 id="heat-map">Students by katas</h2><table id="grid"><tr><th>student</th>'
             + "".join(f'<th title="{e(k.title["en"])}">{e(k.number)}</th>' for k in katas) + "<th>points</th><th>handed in</th></tr>"]
    for r, g in f["rows"]:
        name, link = r.student.name, quote(r.student.name) + "/summary.md"
        row = f'<tr><td><a href="{e(link)}">{e(name)}</a></td>'
        for k in katas:
            w = f["grid"][(name, k.number)]
            colour = COLOURS.get(w, COLOURS["ERROR"])
            fg = ' style="background:%s%s"' % (colour, ";color:#222" if w in ("MISSING", "SKIPPED", "DUPLICATE") else "")
            row += f'<td class="w"{fg} title="{e(name)} · {e(k.name)}: {w}"><a href="{e(link)}">{w}</a></td>'
        row += f"<td>{number(g['score']):g} / {number(g['max']):g}</td><td>{e(handed_in(r))}</td></tr>"
        parts.append(row)
    parts.append("</table>")
    parts.append('<h2 id="per-kata">Per kata</h2><table id="katas"><tr><th>kata</th><th>pass rate</th>'
                 "<th>most common failure</th><th>most common headline</th></tr>")
    for k in katas:
        p = f["per_kata"][k.number]
        rate = f"{100 * p['passed'] // p['graded']}% ({p['passed']} of {p['graded']})" if p["graded"] else "–"
        fail = (f"{p['failure'][0]} ({_students(p['failure'][1])})" if p["failure"] else "–") + _missing(p)
        head = f"{e(p['headline'][0])} ({_tests(p['headline'][1])})" if p["headline"] else "–"
        parts.append(f"<tr><td>{e(k.name)}</td><td>{rate}</td><td>{fail}</td><td>{head}</td></tr>")
    parts.append("</table>")
    parts.append('<h2 id="scores">Scores</h2><table id="histogram"><tr><th>share of the points</th><th>students</th></tr>')
    most = max(f["bins"]) or 1
    for i, n in enumerate(f["bins"]):
        parts.append(f'<tr><td>{_bin_label(i)}</td><td><span class="bar" style="width:{200 * n // most}px"></span> {n}</td></tr>')
    parts.append("</table>")
    parts.append('<h2 id="contained">Stopped by containment</h2>')
    if f["flagged"]:
        parts.append('<ul id="flagged">' + "".join(
            f'<li><a href="{e(quote(r.student.name))}/summary.md">{e(r.student.name)}</a>: {e("; ".join(said))}</li>'
            for r, said in f["flagged"]) + "</ul>")
    else:
        parts.append("<p>Nobody.</p>")
    parts.append(f"<p><small>Made {e(describe(provenance))}.</small></p></body></html>")
    return "\n".join(parts) + "\n"
