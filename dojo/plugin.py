"""The pytest plugin: the hooks pytest calls, each handing its work to the module whose job it is.

pytest finds this module by name (the ``pytest11`` entry point in
pyproject.toml, and conftest.py), so it stays here and stays thin:

- dojo/modes.py     the options and the one mode a command line chooses
- dojo/order.py     what the command line aims at (a kata file given as a path is its kata), which tests
                    run, in what order; the learner's stop at the first failing kata
- dojo/solved.py    the katas that passed before and have not changed: recorded in .dojo/, not run again
- dojo/fixture.py   the ``dojo`` fixture kata tests use: run the program, judge it, report
- dojo/verify.py    verify mode: a stub must fail every test as its kata declares
- dojo/progress.py  the progress table and the one next step
- dojo/repeats.py   one report per distinct finding; the repeats are named under it
- dojo/results.py   the ``--results`` file
- dojo/learner.py   ``pytest --hint [N]`` and ``pytest --reset N``: commands, not runs; they do
                    their work and end before any test is collected (and ``python katas/NN_slug.py``,
                    which becomes a pytest run of one test)
"""
from __future__ import annotations

import pytest

from dojo import learner, order, progress, repeats, residue, results, solved, verify
from dojo.fixture import dojo, dojo_student  # noqa: F401  (pytest takes a plugin's fixtures from its names)
from dojo.modes import MODE, add_options, choose_mode, is_dojo, lang_of, mode_of
from dojo.order import KATA
from dojo.run import SESSION
from dojo.warden import sweep, sweep_orphans


def pytest_addoption(parser):
    add_options(parser)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """``pytest --hint [N]`` and ``pytest --reset N``: do it, print it, end; no test runs."""
    opt = config.option
    if (opt.hint is None and not opt.reset) or not is_dojo(config.rootpath):
        return None
    lang = lang_of(config)
    root = str(config.rootpath)
    if opt.reset:
        text, code = learner.reset(root, opt.reset, lang)
    else:
        text, code = learner.next_hint(root, opt.hint or opt.kata or "", lang)
    print(text)
    return code


def pytest_configure(config):
    mode = choose_mode(config)
    if mode is None:
        return
    order.aim(config, mode)
    order.start(config, mode)
    solved.begin(config, mode, order.named_in_args(config, nodes_only=True))
    config.stash[MODE] = mode
    config.addinivalue_line("markers", "harness: a test of the harness itself")


def pytest_configure_node(node):  # xdist, in the controller
    mode = mode_of(node.config)
    if mode:
        order.share(node, mode)


def pytest_unconfigure(config):
    mode = mode_of(config)
    if mode is None:
        return
    sweep(SESSION, prefix=True)  # the last net: nothing of this session survives it
    sweep_orphans()  # nor of an earlier session that was killed before it could clean up
    residue.sweep(SESSION)  # then what their runs left in /dev/shm and the temp folder
    order.end(config, mode)


def pytest_ignore_collect(collection_path, config):
    return order.ignore_collect(collection_path, config)


@pytest.hookimpl(tryfirst=True)  # before -k, -m and --deselect: order.py counts each kata's tests as collected
def pytest_collection_modifyitems(config, items):
    order.modify_items(config, items)


def pytest_runtest_setup(item):
    order.skip_if_ahead(item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    kata = item.stash.get(KATA, None)
    mode = mode_of(item.config)
    if mode is None or kata is None or call.when != "call":
        return report
    if mode.name == "verify":
        verify.stub_report(report, call, kata, mode.target_dir)
    elif report.failed and mode.name == "learner":
        order.note_failure(mode, kata)
    return report


def pytest_report_teststatus(report, config):
    if mode_of(config):
        return order.teststatus(report)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    config = session.config
    mode = mode_of(config)
    if mode is None or hasattr(config, "workerinput"):
        return
    tr = config.pluginmanager.get_plugin("terminalreporter")
    if tr is None:
        return
    order.move_later_failures_ahead(tr, mode)
    if config.option.results:
        results.write(config.option.results, tr, mode)
    repeats.fold(config, tr, mode)  # after the results file: it lists every test


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    mode = mode_of(config)
    if mode is not None:
        repeats.unfold(config, terminalreporter)  # FAILURES is printed: the repeats count again from here on
        progress.summary(terminalreporter, config, mode, exitstatus)
