"""The report writers on their own (no runs, milliseconds): exact sums, true notices, safe text, small payloads.

The class battery (test_grading.py) checks the same reports on a real
grading; here the cases that a class of 20 does not reach: hundreds of
tests, long headlines in Chinese, every split of points, every control
character, and the merging of a regrading.
"""
import base64
import json
import xml.etree.ElementTree as ET

import pytest

from dojo import katas as table
from dojo.grading import classroom, exercism, gradebook, junit, record, scores, summary
from dojo.grading.record import Record, Student, Test
from dojo.grading.text import cell, cut, scrub, xml_safe

KATA = table.KATAS[0]


def _test(name, status="passed", kata=KATA.number, line=10, headline="", message="", output="", word=None):
    return Test(order=line, kata=kata, name=name, status=status, dojo_status=word or ("PASS" if status == "passed" else "HANG"),
                headline=headline, message=message, output=output, test_code="def test(): pass", duration=0.1,
                line_no=line)


@pytest.mark.parametrize("kata", table.KATAS, ids=[k.name for k in table.KATAS])
@pytest.mark.parametrize("n", [1, 2, 3, 6, 7, 12, 41])
def test_each_split_of_points_adds_up_exactly_in_any_order(kata, n):
    """Float addition, as JavaScript does it, in every order a reader might add: no 59.99999999999997."""
    tests = [_test(f"t{i}", kata=kata.number, line=i) for i in range(n)]
    worth = scores.worth(tests)
    values = [worth[t.key] for t in tests]
    for order in (values, values[::-1], sorted(values)):
        total = 0.0
        for v in order:
            total += v
        assert total == kata.points
    # quarters (finer halves of them when tests outnumber quarters): exact, none worth nothing, shared evenly
    assert all(v > 0 and (v * 1024).is_integer() for v in values) and max(values) - min(values) <= 0.25
    if n <= kata.points * 4:
        assert all((v * 4).is_integer() for v in values)


def test_cut_says_how_much_and_nothing_untrue():
    text = "x" * 10_000
    kept = cut(text, 500, "characters of this report")
    assert len(kept) <= 500 and "more characters of this report not shown" in kept and "junit" not in kept
    shown = int(kept.rsplit("[… ", 1)[1].split()[0])
    assert shown + kept.index("\n[…") == len(text)  # the notice counts exactly what is gone
    assert cut("short", 500) == "short"


def test_a_cell_is_one_line_of_one_cell():
    text = "a | b\n[… 3 more]\n" + "y" * 500
    c = cell(text, 120)
    assert "\n" not in c and "|" not in c.replace("\\|", "") and len(c) <= 120 and "more characters" in c


def test_xml_safe_keeps_xml_well_formed():
    nasty = "".join(chr(i) for i in range(0, 32)) + "\x7f\ud800\ufffe\uffff ok"
    safe = xml_safe(nasty)
    assert "\\x1b" in safe and "\\x00" in safe and all(c in safe for c in "\t\n\r") and safe.endswith(" ok")
    root = ET.Element("t", a=safe)
    root.text = safe
    ET.fromstring(ET.tostring(root))  # expat accepts it


def test_scrub_takes_the_grader_s_paths_out():
    text = ('  File "/srv/grades/.staging/ana/01_sentinel.py", line 3\n'
            "/tmp/dojo-run-123-ab12cd34/events and /work/dojo/tests")
    clean = scrub(text, "/srv/grades/.staging/ana", "/work/dojo")
    assert clean == '  File "01_sentinel.py", line 3\n<run folder>/events and tests'


def _record(tests, found=(KATA.file,), stubs=(), name="ana"):
    return Record(Student(name, "/x", list(found), [], list(stubs)), tests,
                  [record.provenance("/nonexistent", ["--grade-class=x"], None, None)])


def test_the_classroom_result_fits_its_reporter_however_many_tests():
    """400 failed tests with long Chinese headlines still fit in 64 KiB of base64, scores exact."""
    tests = [_test(f"test_{i} [spawn]", status="failed", line=i + 1, headline="HANG: " + "厨师卡在 counter.join() 里" * 30,
                   message="m" * 9000) for i in range(400)]
    rec = _record(tests)
    text = classroom.render(rec, scores.score(rec.tests))
    assert classroom.encoded_size(text) <= classroom.LIMIT
    report = json.loads(base64.b64decode(base64.b64encode(text.encode())))
    assert len(report["tests"]) == 400 and all(t["line_no"] > 0 for t in report["tests"])
    total = 0
    for t in report["tests"]:
        total += t["max_score"]
    assert total == report["max_score"] == KATA.points
    few = classroom.render(_record(tests[:5]), scores.score(tests[:5]))
    assert "HANG: 厨师卡在" in few  # with room to spare, the headline is in the name the reporter prints


def test_exercism_error_only_when_nothing_ran():
    missing = [_test("t1", status="failed", word="MISSING"), _test("t2", status="failed", word="MISSING")]
    report = json.loads(exercism.render(_record(missing, found=())))
    assert report["status"] == "error" and report["message"]
    ran = json.loads(exercism.render(_record([_test("t1", status="failed")] + missing[1:])))
    assert ran["status"] == "fail" and ran["message"] is None
    long = json.loads(exercism.render(_record([_test("t1", status="failed", output="o" * 2000)])))
    assert len(long["tests"][0]["output"]) <= 500 and "truncated" in long["tests"][0]["output"]


def test_junit_class_file_names_every_student():
    recs = [_record([_test("t1", status="failed", message="\x1b[31m\x00\x07\x0c")], name=n) for n in ("ana", "bob")]
    root = ET.fromstring(junit.render(recs, prefix=True).encode())
    names = [c.get("name") for c in root.iter("testcase")]
    assert names == [f"ana · {KATA.number} · t1", f"bob · {KATA.number} · t1"]


def test_gradebook_tells_nothing_from_the_stubs():
    nothing = _record([_test("t1", status="failed", word="MISSING")], found=(), name="cy")
    stubs = _record([_test("t1", status="failed")], stubs=(KATA.file,), name="bob")
    lines = gradebook.render([stubs, nothing]).splitlines()
    assert lines[0] == f"id,{KATA.name} ({KATA.points} points),total ({KATA.points} points),handed in"
    assert lines[1] == "bob,0,0,the untouched stubs" and lines[2] == "cy,,0,nothing"
    assert summary.handed_in(stubs) == "the untouched stubs"


def test_a_regrading_merges_over_the_record():
    old = _record([_test("a", line=1), _test("b", status="failed", line=2)])
    new = [_test("b", line=2)]
    merged = record.merge(old, Student("ana", "/x", [KATA.file], []), new, {"date": "later"})
    assert [(t.name, t.status) for t in merged.tests] == [("a", "passed"), ("b", "passed")]
    assert merged.gradings[-1] == {"date": "later"} and len(merged.gradings) == 2
    gone = record.merge(old, Student("ana", "/x", [], []), new, {"date": "later"})
    assert gone.student.found == []  # the kata regraded takes its files from the new grading


def test_the_student_s_texts_come_in_their_language():
    nothing = _record([_test("t1", status="failed", word="MISSING")], found=(), name="cy")
    zh = summary.render(nothing, scores.score(nothing.tests), "zh")
    en = summary.render(nothing, scores.score(nothing.tests), "en")
    assert "交了：什么也没有交。" in zh and "| 练习 | 得分 |" in zh and "Handed in: nothing." in en
    assert "没有测试能够运行" in json.loads(exercism.render(nothing, "zh"))["message"]


def test_the_class_page_groups_the_same_mistake_made_on_different_lines():
    from dojo.grading import classpage

    recs = [_record([_test("t1", status="failed", headline=f"HANG: diner-1 is blocked in counter.get() ({KATA.file}:{n})")],
                    name=f"s{n}") for n in (12, 57, 80)]
    recs.append(_record([_test("t1")], name="solved"))
    recs[0].student.ignored = ["conftest.py", "README.txt"]
    recs[0].tests[0].flags = ["a fork swarm: over 64 processes at once"]
    md = classpage.markdown(recs, recs[0].provenance)
    assert f"| {KATA.name} | 1 of 4 | HANG (3 students) | HANG: diner-1 is blocked in counter.get() (3 tests) |" in md
    assert "- s12: a fork swarm: over 64 processes at once; handed in code or configuration" in md and "README" not in md
    page = classpage.page(recs, recs[0].provenance)
    assert page.count('class="w"') == 4 and "solved · " + KATA.name + ": PASS" in page
