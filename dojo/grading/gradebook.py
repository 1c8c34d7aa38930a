"""``grades.csv``: one row per student, ready for a gradebook.

- ``id`` first: the student's folder name (what GitHub Classroom and most
  scripts name folders by). Canvas matches rows on ``SIS Login ID`` or ``ID``,
  Moodle on a column you choose: docs/grading.md says how.
- The points possible are in the header (``total (75 points)``), never a column
  of their own, which Canvas would import as one more assignment.
- A kata cell is empty when its file was not handed in, and a number
  (``0`` included) when it was graded; ``handed in`` says ``nothing``, ``the
  untouched stubs``, or how many kata files.

The file is made from every student's record, so a regrading of one student
changes that student's row and leaves every other line as it was.
"""
from __future__ import annotations

import csv
import io

from dojo import katas as table
from dojo.grading.scores import number, score
from dojo.grading.summary import handed_in


def render(records: list) -> str:
    graded = {r.student.name: score(r.tests) for r in records}
    numbers = [k.number for k in table.KATAS if any(k.number in g["katas"] for g in graded.values())]
    total = sum(table.BY_NUMBER[n].points for n in numbers)
    f = io.StringIO()
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id"] + [f"{table.BY_NUMBER[n].name} ({table.BY_NUMBER[n].points} points)" for n in numbers]
               + [f"total ({total} points)", "handed in"])
    for r in records:
        g = graded[r.student.name]
        cells = []
        for n in numbers:
            handed = table.BY_NUMBER[n].file in r.student.found
            cells.append(f"{number(g['katas'][n]['score']):g}" if n in g["katas"] and handed else "")
        w.writerow([r.student.name] + cells + [f"{number(g['score']):g}", handed_in(r)])
    return f.getvalue()
