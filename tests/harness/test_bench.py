"""The parts of ``python -m dojo.bench`` that can be checked quickly. The figures themselves are the benchmark's."""
import json
import os
import textwrap

import pytest

from dojo import bench
from dojo import katas as table
from dojo.run import ROOT


def _spec(folder, module="01_sentinel", method="fork", **shop):
    return {"target_dir": str(folder), "kata_file": os.path.join(str(folder), module + ".py"), "module": module,
            "entry": "open_shop", "start_method": method,
            "shop": {"cooks": 1, "diners": 1, "buns_per_cook": 3, "menu": {}, "cook_pace": {}, "eat_pace": {},
                     "cook_after": {}, **shop}}


def test_every_spec_is_found_wherever_it_lies(tmp_path):
    made = []
    for i, where in enumerate(["dojo-run-a", "nested/deeper/dojo-run-b", "dojo-run-c"]):
        (tmp_path / where).mkdir(parents=True)
        path = tmp_path / where / "spec.json"
        path.write_text(json.dumps({"n": i}))
        os.utime(path, ns=(10**18 - i, 10**18 - i))  # made in reverse order of their names
        made.append(i)
    (tmp_path / "dojo-run-a" / "result.json").write_text("{}")  # other files of a run are no specs
    (tmp_path / "spec.json.bak").write_text("{}")
    assert [s["n"] for s in bench.find_specs(str(tmp_path))] == made[::-1]


def test_the_floor_runs_a_solution_as_plain_python_at_full_speed(tmp_path):
    # Kata 06's late cooks: the paces and cook_after of a test are cleared, since outside a run they are to do nothing.
    spec = _spec(os.path.join(ROOT, "solutions"), "06_daemon_loses_work", cooks=3, buns_per_cook=3,
                 eat_pace={"*": 0.1}, cook_pace={"*": 0.15}, cook_after={"cook-2": ["cook-1"], "cook-3": ["cook-2"]})
    timing = bench.floor_run(spec, bench.write_runner(str(tmp_path)))
    assert timing.wall > 0 and timing.cpu >= 0


def test_the_floor_has_no_warden_and_no_instrumentation(tmp_path, monkeypatch):
    (tmp_path / "plain.py").write_text(textwrap.dedent("""\
        import os, sys, time

        def open_shop(shop):
            assert "DOJO_RUN_DIR" not in os.environ, "the floor runs inside a dojo run"
            assert not any(p.endswith(os.path.join("dojo", "boot")) for p in sys.path), "instrumentation on the path"
            assert "dojo.instrument" not in sys.modules or time.sleep.__module__ == "time", "time.sleep is patched"
            assert list(shop.buns()) == ["bun 1-0", "bun 1-1"]
        """))
    monkeypatch.setenv("DOJO_RUN_DIR", str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.path.join(ROOT, "dojo", "boot"))
    (tmp_path / "runner").mkdir()
    runner = bench.write_runner(str(tmp_path / "runner"))
    bench.floor_run(_spec(tmp_path, "plain", "spawn", buns_per_cook=2), runner)


def test_a_program_that_fails_is_no_floor(tmp_path):
    (tmp_path / "broken.py").write_text("def open_shop(shop):\n    raise ValueError('no buns today')\n")
    with pytest.raises(bench.FloorFailed, match="no buns today"):
        bench.floor_run(_spec(tmp_path, "broken"), bench.write_runner(str(tmp_path)))


def test_the_harness_side_records_the_programs_its_tests_ran():
    run = bench.harness_run(table.BY_NUMBER["01"], "-k", "slow_cook and fork and not forkserver")
    assert run.returncode == 0, run.output[-3000:]
    assert run.tests.get("passed") == 1
    [spec] = run.specs
    assert spec["start_method"] == "fork" and spec["shop"]["cook_pace"] == {"cook-1": 0.05}
    assert spec["target_dir"] == os.path.join(ROOT, "solutions") and spec["module"] == "01_sentinel"


def test_the_table_shows_both_sides_their_ratio_and_the_goal():
    T = bench.Timing
    row = bench.KataRow("01", "01_sentinel", tests=9, runs=9, harness=[T(10.0, 2.0), T(3.0, 2.0), T(4.0, 2.0)],
                        floor=[T(5.0, 1.6), T(3.0, 9.0), T(1.0, 0.5)])
    gated = bench.KataRow("07", "07_future", problem="skipped: needs Python 3.99 or newer")
    lines = bench.format_table([row, gated]).splitlines()
    assert lines[0].split() == ["kata", "tests", "harness", "wall", "/", "CPU", "floor", "wall", "/", "CPU",
                                "ratio", "wall", "/", "CPU", "goal", "1.5×"]
    # Each side's median; the ratio is the median of the rounds' own ratios (wall 2, 1, 4; CPU 1.25, 0.22, 4),
    # not the ratio of the medians (4 / 3), since the two sides of a round met the same load.
    assert lines[2].split() == ["01_sentinel", "9", "4.00", "/", "2.00", "s", "3.00", "/", "1.60", "s",
                                "2.0×", "/", "1.2×", "✗", "/", "✓"]
    assert lines[3].split()[0] == "07_future" and lines[3].endswith("skipped: needs Python 3.99 or newer")


def test_pytest_counts_are_read_from_the_last_summary_line():
    out = "..F\n= 2 passed in 1.00s =\nthen more\n= 9 passed, 1 failed, 183 deselected in 4.00s ="
    assert bench.counts(out) == {"passed": 9, "failed": 1, "deselected": 183}


def test_the_class_of_30(tmp_path):
    kinds = bench.build_class(str(tmp_path))
    assert len(kinds) == 30 == len(os.listdir(tmp_path))
    assert {k: list(kinds.values()).count(k) for k, _ in bench.CLASS} == dict(bench.CLASS)

    def files(student):
        return {name: (tmp_path / student / name).read_text() for name in os.listdir(tmp_path / student)}

    solution = {k.file: open(os.path.join(ROOT, "solutions", k.file)).read() for k in table.KATAS}
    stub = {k.file: open(os.path.join(ROOT, "katas", k.file)).read() for k in table.KATAS}
    by_kind = {}
    for student, kind in kinds.items():
        by_kind.setdefault(kind, []).append(files(student))
    assert all(f == solution for f in by_kind["full"]) and all(f == stub for f in by_kind["stubs"])
    for f in by_kind["half"]:
        assert f == {name: (solution if name < "04" else stub)[name] for name in solution}
    assert all(f == {n: solution[n] for n in solution if n < "03"} for f in by_kind["only_01_02"])
    handed_in = [text for f in by_kind["wrong"] for text in f.values()]
    for number, variants in bench.wrong_variants().items():
        assert variants, f"kata {number} has no wrong variants"
        for path in variants:
            assert open(path).read() in handed_in, f"{path} is in no wrong student's files"
