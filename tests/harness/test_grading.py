"""Grading a class: every student gets every report, each report has the shape its tool reads, nothing survives.

The class (tests/harness/hostile.py: the solutions, the untouched stubs, one
submission for each failure class, and hostile ones, control characters and
a planted pytest.ini among them) is graded once per session by the real
command, ``python -m dojo grade-class`` (with ``-n 2``), on katas 01 and 03
under spawn, the start method where every child is a fresh interpreter, to
keep it quick. Each report is then checked against the shape its tool
documents (the specs are named in each test); the checks are written here,
with the standard library only.
"""
import base64
import csv
import fcntl
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET

import pytest

from dojo.contain import landlock_abi
from dojo.grading import classroom, gradescope
from dojo.run import ROOT
from dojo.warden import marked, orphaned

from .hostile import EXPECTED, FULL, KATA_01, KATA_03, SELECT, build_class, grading_env

STUDENT_FILES = ("gradescope.json", "results.json", "classroom.json", "junit.xml", "summary.md", "record.json")
CLASS_FILES = ("grades.csv", "class.html", "class.md", "junit.xml")
XML_CHARS = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _survivors():
    """Processes of a run whose pytest process has ended (other test sessions may be running now)."""
    return [(p.pid, rid) for p, rid, _ in marked() if orphaned(rid)]


def _dojo(command, submissions, out, env, *extra):
    """``python -m dojo grade|grade-class DIR --out OUT`` on the battery's selection."""
    k = SELECT[1]
    return subprocess.run([sys.executable, "-m", "dojo", command, str(submissions), "--out", str(out), "-k", k, *extra],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class, graded once per test session: under xdist the first worker grades, the others wait and read."""
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's base is a folder of the session's: their parent is the session's own.
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "dojo-graded-class"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = shared / "done.json"
        if not record.exists():
            build_class(shared / "class")
            tag = f"dojo-hostile-shm-{uuid.uuid4().hex[:8]}"
            env = grading_env(shared / "out", ROOT, shared / "PLANTED", tag)
            done = _dojo("grade-class", shared / "class", shared / "out", env, "-n", "2")
            record.write_text(json.dumps({"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr,
                                          "survivors": _survivors(), "shm_tag": tag,
                                          "shm_left": [n for n in os.listdir("/dev/shm") if n.startswith(tag)]
                                          if os.path.isdir("/dev/shm") else []}))
        result = json.loads(record.read_text())
    done = subprocess.CompletedProcess([], result["returncode"], result["stdout"], result["stderr"])
    return shared, shared / "out", done, result


def _json(out, name, file):
    return json.loads((out / name / file).read_text(encoding="utf-8"))


def _tags(out, name):
    report = _json(out, name, "gradescope.json")
    return [t["tags"][1] for t in report["tests"] if t["tags"][0] == KATA_01.name]


def test_every_student_gets_every_report(graded):
    shared, out, done, _ = graded
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]  # failing tests are grades
    assert sorted(os.listdir(out)) == sorted(list(EXPECTED) + list(CLASS_FILES))  # no staging folder left
    for name in EXPECTED:
        for file in STUDENT_FILES:
            assert (out / name / file).stat().st_size > 0, f"{name} has no {file}"


def test_each_failure_class_is_named(graded):
    shared, out, done, _ = graded
    for name, (status, _) in EXPECTED.items():
        tags = _tags(out, name)
        assert tags and set(tags) == {status}, f"{name}: kata 01 was graded {tags}, not {status}"
    report = _json(out, "wrong", "gradescope.json")
    assert {t["tags"][1] for t in report["tests"] if t["tags"][0] == KATA_03.name} == {"WRONG"}


def test_scores_add_up_exactly(graded):
    """Every report's per-test scores add up, in plain float addition (what JavaScript does), to the total."""
    shared, out, done, _ = graded
    for name, (_, points) in EXPECTED.items():
        for file in ("gradescope.json", "classroom.json"):
            report = _json(out, name, file)
            total = 0
            for t in report["tests"]:
                total += t["score"]
            assert total == points, f"{name}/{file}: {total} != {points}"
            maximum = 0
            for t in report["tests"]:
                maximum += t["max_score"]
            assert maximum == report["max_score"] == FULL, f"{name}/{file}: {maximum} of {report['max_score']}"
        assert _json(out, name, "gradescope.json")["score"] == points


def test_gradescope_results_have_gradescope_s_shape(graded):
    """Gradescope's autograder specification: the known top-level and per-test keys, with their types."""
    shared, out, done, _ = graded
    for name in EXPECTED:
        report = _json(out, name, "gradescope.json")
        assert set(report) <= gradescope.KEYS, set(report) - gradescope.KEYS
        assert isinstance(report["score"], (int, float)) and isinstance(report["execution_time"], (int, float))
        assert report["visibility"] in ("visible", "hidden", "after_due_date", "after_published")
        assert report["output_format"] in ("text", "html", "simple_format", "md", "ansi")
        for t in report["tests"]:
            assert set(t) <= gradescope.TEST_KEYS, set(t) - gradescope.TEST_KEYS
            assert t["status"] in ("passed", "failed") and isinstance(t["name"], str) and isinstance(t["output"], str)
            assert re.fullmatch(r"\d+\.\d+", t["number"]) and all(isinstance(x, str) for x in t["tags"])
    lost = _json(out, "lost", "gradescope.json")["tests"][0]
    assert lost["status"] == "failed" and lost["output"].startswith("LOST:")


def test_exercism_results_follow_the_v3_interface(graded):
    """exercism/docs building/tooling/test-runners/interface.md, version 3."""
    shared, out, done, _ = graded
    for name in EXPECTED:
        report = _json(out, name, "results.json")
        assert report["version"] == 3 and report["status"] in ("pass", "fail", "error")
        if name == "nothing_handed_in":  # no test could run: the one case for "error", with a message
            assert report["status"] == "error" and "handed in" in report["message"]
        else:
            assert report["status"] != "error" and report["message"] is None, name
        for t in report["tests"]:
            assert isinstance(t["name"], str) and t["status"] in ("pass", "fail", "error")
            assert t["message"] is None or isinstance(t["message"], str)
            assert isinstance(t["test_code"], str) and isinstance(t["task_id"], int)
            if t["output"] is not None:  # only what the program printed: no harness frames, no grader paths
                assert len(t["output"]) <= 500, (name, len(t["output"]))
                for harness in ("runpy", "dojo/child.py", "dojo/instrument.py", "Traceback", ROOT, str(shared)):
                    assert harness not in t["output"], (name, harness, t["output"])
    names = [t["name"] for t in _json(out, "lost", "results.json")["tests"]]
    assert names[0].startswith("01 · test_every_bun_is_eaten_and_the_shop_closes")  # file order
    assert names == sorted(names, key=lambda n: n[:2])  # kata by kata
    flood = _json(out, "prints_100_mb", "results.json")["tests"][0]["output"]
    assert len(flood) <= 500 and "printed 8.4 MB" in flood  # a truncation notice, not a silent cut
    assert "red" in _json(out, "control_chars", "results.json")["tests"][0]["output"]
    assert _json(out, "b_stub", "results.json")["status"] == "fail"  # the stubs ran: they failed
    solved = _json(out, "a_solution", "results.json")
    assert solved["status"] == "pass" and all(t["status"] == "pass" for t in solved["tests"])


def test_classroom_results_fit_the_reporter(graded):
    """classroom-resources/autograding-grading-reporter: base64 JSON from one environment variable."""
    shared, out, done, _ = graded
    sizes = {}
    for name in EXPECTED:
        text = (out / name / "classroom.json").read_text(encoding="utf-8")
        encoded = base64.b64encode(text.encode())
        sizes[name] = len(encoded)
        assert len(encoded) <= classroom.LIMIT, f"{name}: {len(encoded)} bytes encoded"
        report = json.loads(base64.b64decode(encoded).decode("utf-8"))  # what the reporter does
        assert report["status"] in ("pass", "fail", "error") and report["max_score"] == FULL
        for t in report["tests"]:
            assert isinstance(t["line_no"], int) and t["line_no"] > 0, t  # no "line undefined"
            assert t["status"] in ("pass", "fail", "error") and isinstance(t["name"], str)
            assert t["test_code"].startswith("pytest --kata ")
    hang = _json(out, "hang", "classroom.json")["tests"][0]
    assert hang["status"] == "fail" and "HANG:" in hang["name"]  # the reporter prints names, never messages
    print(f"largest Classroom payload: {max(sizes.values())} bytes encoded ({max(sizes, key=sizes.get)})")


def test_junit_is_well_formed_xml(graded):
    """JUnit XML as Jenkins and GitLab read it: XML 1.0, control characters dropped, unique names in a class."""
    shared, out, done, _ = graded
    for path in [out / n / "junit.xml" for n in EXPECTED] + [out / "junit.xml"]:
        raw = path.read_text(encoding="utf-8")
        assert not XML_CHARS.search(raw), f"{path}: a character XML 1.0 cannot hold"
        assert not re.search(r"&#(x0*(1[0-9a-f]|[0-8bcef])|0*([0-8]|1[1-9]|2[0-9]|3[01]|1[24]));", raw, re.I), path
        ET.fromstring(raw.encode())  # expat: the same well-formedness rules as any XML 1.0 reader
    control = (out / "control_chars" / "junit.xml").read_text(encoding="utf-8")
    assert "\\x1b[31mred\\x00 bell\\x07 feed\\x0c" in control  # shown, not silently lost
    suite = ET.parse(out / "lost" / "junit.xml").getroot()[0]
    assert suite.get("name") == "lost" and int(suite.get("failures")) == len(suite.findall("testcase"))
    names = [c.get("name") for c in ET.parse(out / "junit.xml").getroot().iter("testcase")]
    assert len(names) == len(set(names)) > len(EXPECTED), "a test name repeats in the class file"
    assert all(n.split(" · ")[0] in EXPECTED for n in names)


def test_summaries_are_tables_that_tell_the_truth(graded):
    shared, out, done, _ = graded
    for name in EXPECTED:
        summary = (out / name / "summary.md").read_text(encoding="utf-8")
        assert "junit.xml" not in summary  # no notice that sends the reader to a file without the text
        rows = [line for line in summary.splitlines() if line.startswith("|")]
        assert rows and all(len(re.findall(r"(?<!\\)\|", r)) == 5 for r in rows), (name, rows)
    summary = (out / "nothing_handed_in" / "summary.md").read_text()
    assert "Not handed in (0 points): " + KATA_01.file in summary and "README.txt" in summary
    assert "Handed in: nothing." in summary
    assert "Handed in: the untouched stubs." in (out / "b_stub" / "summary.md").read_text()


def test_grades_csv_is_ready_for_a_gradebook(graded):
    shared, out, done, _ = graded
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert header == ["id", f"{KATA_01.name} ({KATA_01.points} points)", f"{KATA_03.name} ({KATA_03.points} points)",
                      f"total ({FULL} points)", "handed in"]
    by_id = {r[0]: dict(zip(header, r)) for r in rows[1:]}
    assert list(by_id) == sorted(EXPECTED)  # one row per student, in name order
    for name, (_, points) in EXPECTED.items():
        assert float(by_id[name][f"total ({FULL} points)"]) == points, by_id[name]
    # "handed in nothing" and "handed in the stubs" are told apart: empty cells against zeros
    assert by_id["nothing_handed_in"]["handed in"] == "nothing" and by_id["nothing_handed_in"][header[1]] == ""
    assert by_id["b_stub"]["handed in"] == "the untouched stubs" and by_id["b_stub"][header[1]] == "0"
    assert by_id["wrong"][header[1]] == "" and by_id["wrong"][header[2]] == "0"


def test_every_report_says_how_it_was_made(graded):
    shared, out, done, _ = graded
    for name in ("lost", "a_solution"):
        made = _json(out, name, "gradescope.json")["extra_data"]["dojo"][-1]
        assert made == _json(out, name, "results.json")["dojo"][-1] == _json(out, name, "record.json")["gradings"][-1]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", made["date"]) and made["python"] == sys.version.split()[0]
        assert made["dojo"] and made["selection"]["-k"] == SELECT[1] and any("--grade-class=" in o for o in made["options"])
        props = {p.get("name"): p.get("value") for p in ET.parse(out / name / "junit.xml").getroot().iter("property")}
        assert props["dojo"] == made["dojo"] and props["python"] == made["python"] and "--grade-class=" in props["options"]
        assert f"Graded: {made['date']}" in (out / name / "summary.md").read_text()
    assert "Made 20" in (out / "class.md").read_text() and "Made 20" in (out / "class.html").read_text()


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.sources, self.cells, self.tags = [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "href" in a:
            self.links.append(a["href"])
        for key in ("src", "srcset", "data", "action", "poster"):
            if key in a:
                self.sources.append(a[key])
        if tag == "td" and a.get("class") == "w":
            self.cells.append(a.get("title", ""))


def test_class_page_is_self_contained_and_its_links_resolve(graded):
    """The stdlib check that always runs: every link is a file of OUT, nothing is fetched from anywhere."""
    shared, out, done, _ = graded
    text = (out / "class.html").read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    assert not page.sources and "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert not re.search(r"(https?:)?//|url\(", text.replace("<!DOCTYPE html>", "")), "an address outside the page"
    from urllib.parse import unquote

    assert page.links
    for href in page.links:
        assert (out / unquote(href)).is_file(), href
    assert len(page.cells) == len(EXPECTED) * 2  # students by katas
    assert "fork_bomb · 01_sentinel: CRASH" in page.cells and "a_solution · 01_sentinel: PASS" in page.cells
    md = (out / "class.md").read_text(encoding="utf-8")
    for flagged, what in (("fork_bomb", "fork swarm"), ("planted", "student_plugin.py"), ("prints_100_mb", "output cap")):
        assert re.search(rf"^- {flagged}: .*{what}", md, re.M), (flagged, what)
    if landlock_abi() >= 6:
        assert re.search(r"^- writes_outside: .*write outside", md, re.M)
        assert re.search(r"^- kills_its_parent: .*signal", md, re.M)
    assert "| 01_sentinel | 3 of 20 |" in md  # a_solution, planted, writes_dev_shm
    histogram = [int(n) for n in re.findall(r"^\| \d+–\d+% \| (\d+) \|$", md, re.M)]
    assert sum(histogram) == len(EXPECTED)


def _chromium() -> str | None:
    """Chromium, once it is installed for good: .ci/run installs it beside the suite, and a package that is
    only unpacked (its binary there, not yet configured) is no browser yet."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found and shutil.which("dpkg-query"):
        status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "chromium"], capture_output=True, text=True)
        if status.returncode == 0 and status.stdout.strip() != "install ok installed":
            return None
    return found


CHROMIUM = _chromium()
#: .ci/run sets it for its own run of the browser test, once the install is done: a skip would prove nothing
REQUIRE_BROWSER = bool(os.environ.get("DOJO_REQUIRE_BROWSER"))


def _browse(page, tmp_path, *extra):
    """Headless Chromium on ``page`` (a file); its stdout, and the addresses the page itself asked for.

    Chromium asks for its own updates and time too: only the requests made
    for a page loaded from a file (its net log keys them to ``file://``) count.
    """
    log = tmp_path / "net.json"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
             "--host-resolver-rules=MAP * ~NOTFOUND", f"--log-net-log={log}", "--virtual-time-budget=2000"]
    done = subprocess.run([CHROMIUM, *flags, *extra, page.as_uri()], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    net = json.loads(log.read_text(errors="replace"))
    kinds = {v: k for k, v in net["constants"]["logEventTypes"].items()}
    events = net["events"]
    by_page = {e["source"]["id"] for e in events if kinds.get(e["type"]) == "URL_REQUEST_START_JOB"
               and e.get("params", {}).get("network_isolation_key", "").startswith("file://")}
    urls = {e["params"]["url"] for e in events if e["source"]["id"] in by_page and "url" in e.get("params", {})}
    return done.stdout, sorted(u for u in urls if not u.startswith(("file:", "data:")))


@pytest.mark.skipif(not CHROMIUM and not REQUIRE_BROWSER,
                    reason="no chromium here (apt-get install -y chromium): the stdlib check above still ran")
def test_class_page_renders_in_a_real_browser(graded, tmp_path):
    """Headless Chromium loads the page from disk, renders every cell, and the page asks for nothing outside."""
    assert CHROMIUM, "DOJO_REQUIRE_BROWSER is set, but chromium is not installed (apt-get install -y chromium)"
    shared, out, done, _ = graded
    dom, outside = _browse(out / "class.html", tmp_path / "dom", "--dump-dom")
    assert "The class at a glance" in dom and dom.count('class="w"') == len(EXPECTED) * 2
    assert not outside, outside
    shot = tmp_path / "class.png"
    _browse(out / "class.html", tmp_path / "shot", f"--screenshot={shot}", "--window-size=1200,900")
    assert shot.stat().st_size > 10_000  # a rendered page, not a blank one
    # The check can fail: a page that fetches a picture, a script and a style sheet is caught.
    bad = tmp_path / "bad.html"
    bad.write_text('<img src="http://example.com/x.png"><script src="https://cdn.example.org/a.js"></script>')
    assert len(_browse(bad, tmp_path / "bad", "--dump-dom")[1]) == 2


def test_hostile_code_is_contained(graded):
    shared, out, done, result = graded
    assert not result["survivors"], f"processes of the grading run survived it: {result['survivors']}"
    assert not (shared / "PLANTED").exists(), "the submission's own conftest.py, test file or plugin was run"
    assert not (out / "PWNED").exists() and not os.path.exists(os.path.join(ROOT, "PWNED"))
    planted = (out / "planted" / "summary.md").read_text()
    for file in ("conftest.py", "test_evil.py", "pytest.ini", "student_plugin.py"):
        assert file in planted  # named as not graded
    assert sorted(os.listdir(out / "planted" / "submission")) == [KATA_01.file]
    bomb = _json(out, "fork_bomb", "gradescope.json")["tests"][0]["output"]
    assert "processes alive at once" in bomb
    assert not result["shm_left"], f"a graded run left {result['shm_left']} in /dev/shm"
    if landlock_abi() >= 6:  # the fence refuses the signal and the writes outright
        assert "PermissionError" in _json(out, "kills_its_parent", "gradescope.json")["tests"][0]["output"]
        assert "PermissionError" in _json(out, "writes_outside", "gradescope.json")["tests"][0]["output"]


def test_the_planted_pytest_ini_is_live(graded, tmp_path):
    """The threat is real: ``pytest --grade DIR`` with a space reads the submission's pytest.ini and runs its plugin.

    So the checks above (the grade command never runs it) are worth something.
    """
    shared, out, done, _ = graded
    mark = tmp_path / "MARK"
    env = grading_env(tmp_path / "out", ROOT, mark)
    subprocess.run([sys.executable, "-m", "pytest", "--grade", str(shared / "class" / "planted"),
                    f"--grade-out={tmp_path / 'out'}"], cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert mark.exists(), "pytest did not read the planted pytest.ini: this battery no longer tests the grade command"


def test_one_submission(tmp_path):
    """``python -m dojo grade DIR --out OUT``: the reports straight in OUT, with the files that were graded."""
    submission = tmp_path / "ana"
    shutil.copytree(os.path.join(ROOT, "solutions"), submission)
    out = tmp_path / "out"
    done = _dojo("grade", submission, out, grading_env(out, ROOT, tmp_path / "PLANTED"), "-n", "0", "--kata", "01")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert sorted(os.listdir(out)) == sorted(STUDENT_FILES + ("submission",))
    assert json.loads((out / "gradescope.json").read_text())["score"] == KATA_01.points
    assert sorted(os.listdir(out / "submission")) == [KATA_01.file]  # the files of the katas graded
    assert "graded ana:" in done.stdout and not _survivors()
