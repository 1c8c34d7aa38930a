"""The authoring rules of the kata table (dojo/verify.py), one test per kata."""
import pytest

from dojo import verify
from dojo.katas import KATAS


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.name)
def test_kata_follows_the_rules(kata):
    problems = verify.kata_problems(kata)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_the_table_owns_every_kata_file():
    problems = verify.table_problems()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_a_kata_missing_from_the_readme_is_named(tmp_path, monkeypatch):
    """The rule can fail: a README without kata 09's rows is told which kata to add, and where."""
    import os

    for folder in ("katas", "solutions", "tests"):
        os.symlink(os.path.join(verify.ROOT, folder), tmp_path / folder)
    with open(os.path.join(verify.ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    (tmp_path / "README.md").write_text(readme.replace("`katas/09_bounded_counter.py`", "kata 09"), encoding="utf-8")
    monkeypatch.setattr(verify, "ROOT", str(tmp_path))
    problems = verify.table_problems()
    assert len(problems) == 1 and "katas/09_bounded_counter.py" in problems[0] and "练习一览" in problems[0], problems
