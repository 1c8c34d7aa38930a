"""The learner's main process: ``python -m dojo.child RUN_DIR``.

It checks the kata file before running it (there, readable, no syntax error,
the functions of the contract with the right parameters), so that bad input
gets one clear message instead of a wall of traceback. Then it calls the
entry function like a script would and lets Python exit as a script does:
multiprocessing's exit handler still joins non-daemon children, which is
exactly the behaviour the katas are about.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import sys

from dojo import events, instrument
from dojo.shop import Shop

# Every spawned child imports this module again (as __mp_main__): what only main needs is imported in main
# (importlib and inspect to load and check the kata file, contain for a graded run).

PROBLEM_EXIT = 3  # the kata file could not be run at all


def problem(kind: str, **fields) -> None:
    """Log what is wrong with the file, as facts; the judge words it for the learner (in en and zh)."""
    events.log("problem", kind=kind, **fields)
    sys.exit(PROBLEM_EXIT)


def load(spec: dict):
    import importlib
    import inspect

    path = spec["kata_file"]
    if not os.path.exists(path):
        problem("missing")
    try:
        with open(path, "rb") as f:  # bytes: Python's own rules for a BOM or a coding line apply
            source = f.read()
        compile(source, path, "exec")
    except SyntaxError as exc:
        problem("syntax", line=exc.lineno, msg=exc.msg, code=(exc.text or "").rstrip())
    except (OSError, UnicodeDecodeError) as exc:
        problem("unreadable", error=str(exc))
    sys.path.insert(0, spec["target_dir"])
    try:
        module = importlib.import_module(spec["module"])
    except Exception as exc:
        events.log("crash", error=type(exc).__name__, text=instrument.format_crash(exc), where="import")
        raise
    for name, params in spec["contract"].items():
        function = getattr(module, name, None)
        wanted = f"def {name}({', '.join(params)})"
        if not callable(function):
            problem("missing-function", name=name, wanted=wanted)
        try:
            inspect.signature(function).bind(*params)
        except TypeError:
            problem("signature", name=name, wanted=wanted, mine=f"def {name}{inspect.signature(function)}")
        except ValueError:  # a builtin without a signature: let the call decide
            pass
    return module


SCRIPT = "__main__"  # a kata's entry: its file is run as a script is, `python katas/NN_slug.py` (kata 15)


def check_script(spec: dict) -> bytes:
    """What load() checks, for a file that is to run as a script: read from its text, since importing it would
    run it. Its source, ready to run."""
    import ast

    path = spec["kata_file"]
    if not os.path.exists(path):
        problem("missing")
    try:
        with open(path, "rb") as f:
            source = f.read()
        tree = ast.parse(source, path)
    except SyntaxError as exc:
        problem("syntax", line=exc.lineno, msg=exc.msg, code=(exc.text or "").rstrip())
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problem("unreadable", error=str(exc))
    found = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for name, params in spec["contract"].items():
        wanted = f"def {name}({', '.join(params)})"
        if name not in found:
            problem("missing-function", name=name, wanted=wanted)
        args = found[name].args
        if [a.arg for a in args.posonlyargs + args.args] != params or args.vararg or args.kwonlyargs:
            problem("signature", name=name, wanted=wanted, mine=f"def {name}({ast.unparse(args)})")
    return source


def run_script(spec: dict) -> None:
    """Run the kata file as the program's ``__main__``, as ``python katas/NN_slug.py`` would.

    So a spawn or forkserver child runs it again, as ``__mp_main__``, to find the functions it was handed
    (multiprocessing's "safe importing of main module"): what the file does outside ``if __name__ ==
    "__main__":`` happens again in every such child. The file opens the shop itself, with the test's
    (``Shop.today()``).
    """
    import types

    source = check_script(spec)
    sys.path.insert(0, spec["target_dir"])
    module = types.ModuleType("__main__")  # no __spec__: a child finds main by its path, as for a script
    module.__file__ = spec["kata_file"]
    sys.modules["__main__"] = module
    sys.argv = [spec["kata_file"]]
    exec(compile(source, spec["kata_file"], "exec"), module.__dict__)


def main(run_dir: str) -> None:
    with open(os.path.join(run_dir, "spec.json"), encoding="utf-8") as f:
        spec = json.load(f)
    events.ROLE = "main"
    # A graded run is fenced in before the learner's file is even read (dojo/contain.py).
    if spec.get("contain"):
        from dojo import contain

        fenced = contain.enter(run_dir)
    else:
        fenced = None
    events.log("begin", ppid=os.getppid(), **({"fence": fenced} if fenced else {}))
    multiprocessing.set_start_method(spec["start_method"], force=True)
    if spec["entry"] == SCRIPT:
        def entry(_):
            run_script(spec)
    else:
        module = load(spec)
        entry = getattr(module, spec["entry"])
    shop = Shop(**spec["shop"])
    try:
        entry(shop)
    except Exception as exc:
        events.log("crash", error=type(exc).__name__, text=instrument.format_crash(exc))
        raise  # like a script: the traceback goes to stderr, then Python exits
    except SystemExit as exc:  # sys.exit() in the middle of open_shop(): say where
        instrument.log_system_exit(exc)
        raise
    events.log("main-returned")


if __name__ == "__main__":
    main(sys.argv[1])
