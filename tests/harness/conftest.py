"""Helpers for the harness's own tests: run a small program through the warden."""
import os
import textwrap

import pytest

from dojo import residue
from dojo.judge import judge
from dojo.run import run_program
from dojo.shop import Shop
from dojo.warden import marked


def _marked(run_id: str) -> list[int]:
    """Processes that still carry a run's marker (there must be none)."""
    return [p.pid for p, rid, _ in marked() if rid == run_id]


@pytest.fixture
def program(tmp_path):
    """program(source, method="fork", contain=False, **shop) -> (run, verdict) for ``open_shop(shop)`` in source."""

    def run(source: str, method: str = "fork", contract=None, deadline: float = 15.0, contain: bool = False, **shop):
        (tmp_path / "program.py").write_text(textwrap.dedent(source))
        done = run_program(target_dir=str(tmp_path), kata_file="program.py", entry="open_shop",
                           contract=contract or {"open_shop": ["shop"]}, start_method=method,
                           shop=Shop(**shop), deadline=deadline, contain=contain)
        assert not _marked(done.spec["run_id"]), "a process of the run survived it"
        assert not residue.entries(done.spec["run_id"], done.spec["cwd"]), "the run left entries in /dev/shm"
        assert os.environ.get(residue.KEEP_ENV) or not os.path.exists(done.spec["cwd"]), "the run left its folder"
        return done, judge(done)

    return run



@pytest.fixture
def learner_copy(tmp_path):
    """A fresh copy of the repository as a learner has it (stubs untouched, no git)."""
    from .learner_tools import make_learner_copy

    return make_learner_copy(tmp_path / "dojo")
