"""Bad input gets one clear message, never a wall of traceback."""
import pytest

from dojo.judge import Status
from dojo.report import render

SHOP = {"open_shop": ["shop"], "cook": ["counter", "shop"], "diner": ["counter", "shop"]}


def report(verdict):
    return render(verdict, title="test", hints=[{"en": "a hint", "zh": "提示"}], next_step="next")


@pytest.mark.parametrize("source,expected", [
    ("def open_shop(shop)\n    pass\n", "has a syntax error at line 1"),
    ("def open_shop(shop):\n    pass\n", "has no function cook(). The kata asks for: def cook(counter, shop)"),
    ("def open_shop():\n    pass\ndef cook(counter, shop): pass\ndef diner(counter, shop): pass\n",
     "open_shop() takes other parameters than the kata asks for. Yours: def open_shop(). Wanted: def open_shop(shop)"),
    ("cook = 3\ndef open_shop(shop): pass\ndef diner(counter, shop): pass\n", "has no function cook()"),
], ids=["syntax-error", "missing-function", "wrong-signature", "not-a-function"])
def test_a_broken_kata_file_is_named_plainly(program, source, expected):
    _, verdict = program(source, contract=SHOP)
    assert verdict.status is Status.CRASH
    assert expected in verdict.first.headline
    text = report(verdict)
    assert "Traceback" not in text and "dojo/" not in text


def test_a_deleted_kata_file_says_how_to_get_it_back(program, tmp_path):
    run, verdict = program("def open_shop(shop): pass\n")
    (tmp_path / "program.py").unlink()
    from dojo.run import run_program
    from dojo.judge import judge
    from dojo.shop import Shop
    verdict = judge(run_program(target_dir=str(tmp_path), kata_file="program.py", entry="open_shop",
                                contract={"open_shop": ["shop"]}, start_method="fork", shop=Shop()))
    assert verdict.status is Status.CRASH
    assert "program.py is not there" in verdict.first.headline
    assert "git checkout --" in report(verdict)


def test_an_error_in_learner_code_shows_only_learner_frames(program):
    _, verdict = program("""
        def helper(shop):
            return 1 / 0

        def open_shop(shop):
            helper(shop)
        """)
    assert verdict.status is Status.CRASH
    assert verdict.first.headline == "CRASH: main raised ZeroDivisionError"
    trace = "\n".join(verdict.first.details)
    assert "program.py" in trace and "in helper" in trace and "1 / 0" in trace
    assert "dojo" not in trace and "multiprocessing" not in trace


def test_an_error_at_import_time_is_a_crash_of_main(program):
    _, verdict = program("import no_such_module_here\ndef open_shop(shop): pass\n")
    assert verdict.status is Status.CRASH
    assert "ModuleNotFoundError while importing your file" in verdict.first.headline
