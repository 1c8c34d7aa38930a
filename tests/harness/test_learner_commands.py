"""The learner's commands, typed as a learner types them: `pytest --hint [N]` and `pytest --reset N`."""
from dojo.katas import KATAS

from .learner_tools import GIT_ENV, cloned, git, learner_run

FIRST, THIRD = KATAS[0], KATAS[2]


def hint_header(kata, number):
    return f"Kata {kata.number} · {kata.title['en']} — hint {number} of {len(kata.hints)}"


def test_hints_come_one_more_each_time_and_say_when_all_are_shown(learner_copy):
    shown = []
    for number in range(1, len(FIRST.hints) + 1):
        done = learner_run(learner_copy, "--hint")
        assert done.returncode == 0, done.stdout + done.stderr
        assert hint_header(FIRST, number) in done.stdout
        assert FIRST.hints[number - 1]["en"] in done.stdout
        assert "collected" not in done.stdout  # a command, not a test run
        shown.append(done.stdout)
    assert "Stuck still? The next hint:  pytest --hint" in shown[0]
    assert f"That was the last hint of kata {FIRST.number}." in shown[-1]
    again = learner_run(learner_copy, "--hint").stdout
    assert f"You have now seen all {len(FIRST.hints)} hints of kata {FIRST.number}" in again
    assert (learner_copy / ".dojo" / "state.json").exists()
    assert ".dojo/" in (learner_copy / ".gitignore").read_text().split()  # the learner's state stays out of git


def test_after_a_run_the_next_hint_follows_the_one_in_the_report(learner_copy):
    run = learner_run(learner_copy).stdout
    assert f"Hint: {FIRST.hints[0]['en']}" in run
    done = learner_run(learner_copy, "--hint")
    assert hint_header(FIRST, 2) in done.stdout and FIRST.hints[1]["en"] in done.stdout


def test_a_hint_for_a_chosen_kata_in_chinese(learner_copy):
    done = learner_run(learner_copy, "--hint", THIRD.number.lstrip("0"), lang="zh")
    assert f"练习 {THIRD.number} · {THIRD.title['zh']} — 第 1 条提示，共 {len(THIRD.hints)} 条" in done.stdout
    assert THIRD.hints[0]["zh"] in done.stdout
    assert f"下一条提示：pytest --hint {THIRD.number}" in done.stdout


def test_a_hint_for_an_unknown_kata(learner_copy):
    done = learner_run(learner_copy, "--hint", "99")
    assert done.returncode == 4 and "There is no kata '99'." in done.stdout and "pytest --hint 01" in done.stdout


def test_reset_brings_back_the_stub_even_after_the_learner_committed_an_edit(learner_copy):
    folder = cloned(learner_copy)
    kata = folder / "katas" / FIRST.file
    original = kata.read_bytes()
    kata.write_text(kata.read_text() + "\n# my first try\n")
    git(folder, "commit", "-qam", "my first try")
    kata.write_text(kata.read_text() + "# my second try, not committed\n")
    mine = kata.read_bytes()
    done = learner_run(folder, "--reset", FIRST.number, env=GIT_ENV)
    assert done.returncode == 0, done.stdout + done.stderr
    assert kata.read_bytes() == original
    assert f"katas/{FIRST.file} is back to its original stub (from commit " in done.stdout
    backup = next((folder / ".dojo" / "backup").iterdir())
    assert backup.read_bytes() == mine
    assert f"Your version is saved as .dojo/backup/{backup.name}. To undo the reset:  cp .dojo/backup/{backup.name} " \
           f"katas/{FIRST.file}" in done.stdout
    assert f"Next: run  pytest --kata {FIRST.number}" in done.stdout
    # The progression works again from the stub: the kata's report, the table, one next step.
    run = learner_run(folder).stdout
    assert f"▶ {FIRST.number} {FIRST.slug}" in run and f"Hint: {FIRST.hints[0]['en']}" in run


def test_reset_brings_back_a_deleted_kata_and_says_when_there_is_nothing_to_do(learner_copy):
    folder = cloned(learner_copy)
    kata = folder / "katas" / FIRST.file
    original = kata.read_bytes()
    kata.unlink()
    done = learner_run(folder, "--reset", FIRST.slug, env=GIT_ENV)
    assert kata.read_bytes() == original and "saved as" not in done.stdout
    again = learner_run(folder, "--reset", FIRST.number, env=GIT_ENV)
    assert f"katas/{FIRST.file} is already the original" in again.stdout and again.returncode == 0


def test_reset_without_git_says_what_to_do(learner_copy):
    kata = learner_copy / "katas" / FIRST.file
    mine = kata.read_text() + "# my try\n"
    kata.write_text(mine)
    done = learner_run(learner_copy, "--reset", FIRST.number, env=dict(GIT_ENV, GIT_CEILING_DIRECTORIES=str(learner_copy.parent)))
    assert done.returncode == 1
    assert f"The dojo cannot reset katas/{FIRST.file}: there is no git history here" in done.stdout
    assert "from a fresh clone of the dojo" in done.stdout
    assert kata.read_text() == mine  # nothing was touched


def test_reset_of_an_unknown_kata(learner_copy):
    done = learner_run(learner_copy, "--reset", "99")
    assert done.returncode == 4 and "There is no kata '99'." in done.stdout
