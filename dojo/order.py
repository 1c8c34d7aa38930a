"""Which tests run, in what order, and the learner's path: stop at the first failing kata.

Collection keeps the kata tests (and, when asked for, the harness's own
tests), each tagged with its kata, in kata order. In learner mode a kata that
passed in an earlier run and has not changed since (dojo/solved.py) is skipped
as "checked earlier", unless the command line asks for it (``--kata N``,
``--all-katas``, its test file by name), and a test of a kata after the first
failing one is skipped as "ahead": the learner sees one kata's report at a
time. Under xdist the workers learn which kata failed first through a state
file that the controller makes and shares with them.
"""
from __future__ import annotations

import os
import tempfile
from collections import Counter

import pytest

from dojo import katas as table
from dojo import solved
from dojo.lang import say
from dojo.modes import Mode, mode_of

KATA = pytest.StashKey[table.Kata]()
AHEAD = "ahead: solve the kata before this one first"

kata_of = table.of_test_file


# -- the state file: the first failing kata, shared by every xdist worker -----------


def start(config, mode: Mode) -> None:
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        mode.state_file = workerinput["dojo_state"]
    else:
        fd, mode.state_file = tempfile.mkstemp(prefix="dojo-state-")
        os.close(fd)


def share(node, mode: Mode) -> None:
    """xdist, in the controller: every worker writes to and reads the same state file."""
    node.workerinput["dojo_state"] = mode.state_file


def end(config, mode: Mode) -> None:
    if not hasattr(config, "workerinput"):
        try:
            os.remove(mode.state_file)
        except OSError:
            pass


# -- what the command line aims at -------------------------------------------------


def aim(config, mode: Mode) -> None:
    """Point the command line at the kata tests when it names what a learner would name.

    pytest collects test files only, so ``pytest katas/01_sentinel.py``, and
    ``pytest`` typed inside ``katas/`` (or ``dojo/``), would collect nothing and
    say only "collected 0 items". A kata file stands for its kata (as
    ``--kata 01``), and a folder of the repository outside ``tests/`` for the
    learner's whole run (as ``pytest`` at the top). A reference solution given
    by path is a usage error that says what to type. Every xdist worker parses
    the same command line and aims it the same way.
    """
    if mode.name == "grade":  # grading checks its own paths (dojo/modes.py)
        return
    here = str(config.invocation_params.dir)
    root, tests = mode.root, os.path.join(mode.root, "tests")
    args, katas = [], []
    for arg in config.args:
        path, sep, node = str(arg).partition("::")
        full = os.path.normpath(os.path.join(here, path))
        inside = full == root or full.startswith(root + os.sep)
        folder = os.path.basename(os.path.dirname(full))
        kata = table.find(os.path.basename(full)) if folder in ("katas", "solutions") and full.endswith(".py") else None
        if kata and os.path.dirname(os.path.dirname(full)) == root and not sep:
            if folder == "solutions" and mode.name == "learner":
                raise pytest.UsageError(say(
                    mode.lang, f"{os.path.relpath(full, here)} is the reference solution, not your kata; to run kata "
                               f"{kata.number}'s tests against the solutions, type:  pytest --solutions --kata {kata.number}",
                    f"{os.path.relpath(full, here)} 是参考答案，不是你的练习；要用参考答案运行练习 {kata.number} 的测试，"
                    f"请输入：pytest --solutions --kata {kata.number}"))
            katas.append(kata)
            args.append(os.path.join(tests, f"test_{kata.name}.py"))
        elif folder == "katas" and os.path.dirname(os.path.dirname(full)) == root and mode.name == "learner" \
                and not os.path.exists(full):
            known = ", ".join(f"katas/{k.file}" for k in table.KATAS[:2]) + ", …"
            raise pytest.UsageError(say(
                mode.lang, f"{os.path.relpath(full, here)} is not a kata here (the katas are {known}); to run one, "
                           "type for example:  pytest --kata 01",
                f"这里没有 {os.path.relpath(full, here)} 这个练习（已有的练习：{known}）；要运行一个练习，"
                "可以输入：pytest --kata 01"))
        elif inside and os.path.isdir(full) and full != root and not (full + os.sep).startswith(tests + os.sep):
            args.append(tests)  # katas/, dojo/, docs/ …: the learner's run, as from the top of the repository
        else:
            args.append(arg)
    if args == list(config.args):
        return
    chosen = {k.number for k in katas}
    if len(chosen) == 1 and not config.option.kata:
        config.option.kata = katas[0].number  # one kata file: exactly `pytest --kata NN`
    elif config.option.kata and chosen and chosen != {table.find(config.option.kata).number}:
        raise pytest.UsageError(say(
            mode.lang, f"--kata {config.option.kata} and {', '.join('katas/' + k.file for k in katas)} name different "
                       "katas: give one of them, for example  pytest --kata " + katas[0].number,
            f"--kata {config.option.kata} 和 {'、'.join('katas/' + k.file for k in katas)} 说的不是同一个练习："
            f"只写一个，例如 pytest --kata {katas[0].number}"))
    config.args[:] = list(dict.fromkeys(args))


# -- collection ---------------------------------------------------------------


def ignore_collect(collection_path, config) -> bool | None:
    mode = mode_of(config)
    if mode is None:
        return None
    path = str(collection_path)
    harness = os.path.join(mode.root, "tests", "harness")
    if path.startswith(os.path.join(mode.root, "tests", "wrong")):
        return True
    given = any(os.path.abspath(str(a).split("::")[0]).startswith(harness) for a in config.args)
    if path.startswith(harness) and not given and config.option.kata:  # one kata: its tests, none of ours
        return True
    if path.startswith(harness) and not given:
        if mode.name == "verify":
            return not (os.path.isdir(path) or path.endswith("test_authoring.py"))
        return mode.name != "solutions"
    return None


def modify_items(config, items) -> None:
    if mode_of(config) is None:
        return
    only = table.find(config.option.kata) if config.option.kata else None
    keep, dropped = [], []
    for item in items:
        kata = kata_of(item.path)
        if kata:
            item.stash[KATA] = kata
            if kata.gate:
                item.add_marker(pytest.mark.skip(reason=f"kata {kata.number} {kata.gate}"))
        else:
            item.add_marker(pytest.mark.harness)
        (dropped if only and kata is not only else keep).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    # Katas in order; the harness's own tests after them. sort() is stable.
    keep.sort(key=lambda i: i.stash[KATA].number if KATA in i.stash else "99")
    items[:] = keep
    _checked_earlier(config, keep)


def _checked_earlier(config, items) -> None:
    """Learner mode: tell each kata test how many tests its kata has here; skip the katas solved before.

    This runs before -k, -m and --deselect thin the items out (the plugin's hook
    is tryfirst), so the count is every test of the kata this command line
    collects: a run records a kata only if that many of its tests passed.
    """
    mode = mode_of(config)
    if not solved.applies(mode):
        return
    collected = Counter(i.stash[KATA].number for i in items if KATA in i.stash)
    asked = config.option.kata or mode.all_katas
    done = solved.recorded(config)
    named = named_in_args(config)
    for item in items:
        kata = item.stash.get(KATA, None)
        if kata is None:
            continue
        item.user_properties.append((solved.COLLECTED, collected[kata.number]))
        if kata.number in done and not asked and kata.number not in named:
            reason = say(mode.lang, f"checked earlier: kata {kata.number} passed before, and neither it, its tests nor "
                                    f"the dojo have changed since. To run it anyway:  pytest --kata {kata.number}",
                         f"之前已检查：练习 {kata.number} 以前通过了，之后练习、它的测试和 dojo 都没有改动。"
                         f"仍要运行：pytest --kata {kata.number}")
            item.add_marker(pytest.mark.skip(reason=reason))
            item.user_properties.append((solved.CHECKED, True))


def named_in_args(config, nodes_only: bool = False) -> set[str]:
    """The katas whose test file the command line names (with ``nodes_only``: only some tests in it, by node id)."""
    if config.args_source is not pytest.Config.ArgsSource.ARGS:
        return set()
    found = set()
    for arg in config.args:
        path, _, node = str(arg).partition("::")
        kata = kata_of(path)
        if kata and (node or not nodes_only):
            found.add(kata.number)
    return found


# -- the learner's path: stop at the first failing test --------------------------


def _first_failing(mode: Mode) -> str | None:
    try:
        with open(mode.state_file) as f:
            numbers = f.read().split()
    except OSError:
        return None
    return min(numbers) if numbers else None


def skip_if_ahead(item) -> None:
    mode = mode_of(item.config)
    kata = item.stash.get(KATA, None)
    if mode is None or mode.name != "learner" or kata is None or item.config.option.kata or mode.all_katas:
        return
    first = _first_failing(mode)
    if first and (kata.number > first or (kata.number == first and not hasattr(item.config, "workerinput"))):
        pytest.skip(AHEAD)


def note_failure(mode: Mode, kata: table.Kata) -> None:
    """A test of ``kata`` failed: later tests of later katas are now ahead."""
    with open(mode.state_file, "a") as f:
        f.write(kata.number + "\n")


def move_later_failures_ahead(tr, mode: Mode) -> None:
    """Under xdist several katas ran at once: only the first failing one is shown in full."""
    if mode.name == "learner" and not mode.all_katas:
        failed = [r for r in tr.stats.get("failed", []) if kata_of(getattr(r, "fspath", ""))]
        if failed:
            first = min(kata_of(r.fspath).number for r in failed)
            later = [r for r in failed if kata_of(r.fspath).number > first]
            if later:
                tr.stats["failed"] = [r for r in tr.stats["failed"] if r not in later]
                tr.stats.setdefault("ahead", []).extend(later)


def teststatus(report) -> tuple[str, str, str] | None:
    if report.skipped and isinstance(report.longrepr, tuple) and report.longrepr[2].endswith(AHEAD):
        return "ahead", "_", "AHEAD"
    if report.skipped and dict(report.user_properties).get(solved.CHECKED):
        return "checked earlier", "✓", "CHECKED EARLIER"
    return None
