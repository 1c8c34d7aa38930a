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
