"""The authoring check catches a stub that passes, or that fails for another reason."""
import os
import shutil
import subprocess
import sys

import pytest

from dojo.run import ROOT


def verify(folder, *args):
    return subprocess.run([sys.executable, "-m", "pytest", "tests/test_01_sentinel.py", "--verify-stubs",
                           f"--target={folder}", "-q", "-x", "-p", "no:cacheprovider", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("source,message", [
    ("solutions/01_sentinel.py", "passes this test, but a stub must fail every test of its kata (HANG in get())"),
    ("tests/wrong/01_sentinel/sentinel_first.py",
     "should fail this test with HANG in get(), but it failed with:\n    LOST: 5 of 5 buns were never eaten"),
], ids=["stub-passes", "stub-fails-for-another-reason"])
def test_a_stub_that_breaks_its_declaration_is_refused(tmp_path, source, message):
    shutil.copy(os.path.join(ROOT, source), tmp_path / "01_sentinel.py")
    done = verify(tmp_path)
    assert done.returncode == 1, done.stdout[-2000:]
    assert message in done.stdout
    assert "Fix the stub, or the declared failure of kata 01 in dojo/katas.py" in done.stdout


def test_the_real_stub_is_accepted(tmp_path):
    shutil.copy(os.path.join(ROOT, "katas", "01_sentinel.py"), tmp_path / "01_sentinel.py")
    done = verify(tmp_path, "-k", "every_bun")  # one test, three start methods: CI verifies every stub in full
    assert done.returncode == 0, done.stdout[-2000:]
