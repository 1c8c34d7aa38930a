"""``summary.md``: one row per kata for the student, then what was not graded and how the runs were contained.

In the students' language (``--lang``, else the grading machine's locale), like the reports in it.
"""
from __future__ import annotations

from dojo import katas as table
from dojo.contain import landlock_abi
from dojo.grading.record import describe
from dojo.grading.scores import number
from dojo.grading.text import cell
from dojo.lang import say

MAX_LISTED = 20


def handed_in(record, lang: str = "en") -> str:
    """``nothing``, ``the untouched stubs``, or how many kata files: told apart in summaries and grades.csv."""
    s = record.student
    if not s.found:
        return say(lang, "nothing", "什么也没有交")
    if set(s.found) == set(s.stubs):
        return say(lang, "the untouched stubs", "没有改动过的初始文件")
    stubs = say(lang, f", {len(s.stubs)} of them untouched stubs", f"，其中 {len(s.stubs)} 个没有改动过") if s.stubs else ""
    return say(lang, f"{len(s.found)} of {len(table.KATAS)} kata files{stubs}",
               f"{len(table.KATAS)} 个练习文件中的 {len(s.found)} 个{stubs}")


def render(record, graded: dict, lang: str = "en") -> str:
    s = record.student
    score, most = f"{number(graded['score']):g}", f"{number(graded['max']):g}"
    lines = [say(lang, f"# {s.name}: {score} of {most} points", f"# {s.name}：{most} 分中得了 {score} 分"), "",
             say(lang, f"Handed in: {handed_in(record, lang)}.", f"交了：{handed_in(record, lang)}。"), "",
             say(lang, "| kata | points | tests passed | what failed first |", "| 练习 | 得分 | 通过的测试 | 最先出错的地方 |"),
             "|---|---|---|---|"]
    for k in table.KATAS:
        g = graded["katas"].get(k.number)
        if g is None:
            skipped = [t for t in record.tests if t.kata == k.number]
            if skipped:
                lines.append(f"| {k.name} | {say(lang, 'not graded', '不计分')} | – | {cell(skipped[0].message)} |")
            continue
        first = g["first"]
        what = "" if first is None else cell(first.headline or (first.message.splitlines() or [first.dojo_status])[0])
        lines.append(f"| {k.name} | {number(g['score']):g} / {g['max']:g} | {g['passed']} / {g['tests']} | {what} |")
    graded_katas = {t.kata for t in record.tests}
    missing = [k.file for k in table.KATAS if k.number in graded_katas and k.file not in s.found]
    if missing:
        lines += ["", say(lang, f"Not handed in (0 points): {', '.join(missing)}", f"没有交（0 分）：{', '.join(missing)}")]
    if s.stubs:
        lines += ["", say(lang, f"Handed in unchanged from the stubs: {', '.join(s.stubs)}",
                          f"交的是没有改动过的初始文件：{', '.join(s.stubs)}")]
    if s.ignored:
        shown = ", ".join(cell(x, 80) for x in s.ignored[:MAX_LISTED])
        more = len(s.ignored) - MAX_LISTED
        lines += ["", say(lang, f"Not graded (not kata files; never run): {shown}" + (f" and {more} more" if more > 0 else ""),
                          f"不计分（不是练习文件，从未运行）：{shown}" + (f"，还有 {more} 个" if more > 0 else ""))]
    abi = landlock_abi()
    lines += ["", say(lang, "Every run was contained" + (f" (rlimits, Landlock ABI {abi})." if abi else " (rlimits; no Landlock on this kernel)."),
                      "每次运行都受到限制" + (f"（资源上限，Landlock ABI {abi}）。" if abi else "（资源上限；这个内核没有 Landlock）。")),
              "", say(lang, f"Graded: {describe(record.provenance)}.", f"评分：{describe(record.provenance)}。")]
    if len(record.gradings) > 1:
        lines.append(say(lang, f"This report merges {len(record.gradings)} gradings; the first: {describe(record.gradings[0])}.",
                         f"这份报告合并了 {len(record.gradings)} 次评分；第一次：{describe(record.gradings[0])}。"))
    return "\n".join(lines) + "\n"
