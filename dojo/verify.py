"""The authoring rules of the kata table, each broken rule with a fix-it message.

Like rustlings' ``dev check``: run by ``pytest --verify-stubs`` (and in
``--solutions`` runs) through tests/harness/test_authoring.py. The other half
of the check, that every stub fails every test for its declared reason, is
:func:`stub_report`, which the plugin calls for each kata test in verify mode.
"""
from __future__ import annotations

import ast
import os
import re

from dojo import learner, mutants
from dojo.fixture import KataFailed
from dojo.judge import Status, Verdict
from dojo.katas import KATAS, Kata
from dojo.run import ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")
FILE_NAME = re.compile(r"^(\d\d)_([a-z0-9_]+)\.py$")


def _functions(path: str) -> dict[str, list[str]] | str:
    """Top-level functions of a file and their parameter names, or why not."""
    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
    except (OSError, SyntaxError) as exc:
        return str(exc)
    return {n.name: [a.arg for a in n.args.args] for n in tree.body if isinstance(n, ast.FunctionDef)}


def _docstring(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return ast.get_docstring(ast.parse(f.read())) or ""
    except (OSError, SyntaxError):
        return ""


STUB = "stub"  # a test may name the kata's stub among what it rejects: its failure is checked in verify mode
REJECTS = re.compile(r"^\s*Rejects:\s*(.*)$", re.MULTILINE)


def _unparenthesised(text: str) -> str:
    """The text without what parentheses hold, nested ones too ("a (in get()), b" -> "a , b")."""
    while (shorter := re.sub(r"\([^()]*\)", "", text)) != text:
        text = shorter
    return text


def rejects_of(test_file: str) -> dict[str, dict[str, str | None]] | str:
    """Each test of a kata's test file and the wrong answers its docstring names, or why not.

    A test says which classic wrong answers it exists to reject with a line of its docstring:
    ``Rejects: none_per_cook, sentinels_before_join``. Its wrong variants (tests/wrong/) must then
    fail it, in every start method, with their declared class (tests/harness/test_wrong_variants.py).
    Where this test's shop makes a variant fail otherwise than the table declares, it says how:
    ``Rejects: none_per_cook as HANG (one None for three diners)``. Each test comes back with
    {variant: the class it says the variant fails with, or None for the table's}.
    """
    try:
        with open(test_file, encoding="utf-8") as f:
            tree = ast.parse(f.read(), test_file)
    except (OSError, SyntaxError) as exc:
        return str(exc)
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            doc = ast.get_docstring(node) or ""
            # "Rejects: a (why, in words), b (why)": the names, without what the parentheses say of them
            names = [_unparenthesised(m.group(1)) for m in REJECTS.finditer(doc)]
            words = [n.split() for line in names for n in line.split(",") if n.strip()]
            out[node.name] = {w[0]: (w[2] if w[1:2] == ["as"] and len(w) > 2 else None) for w in words}
    return out


def kata_problems(k: Kata) -> list[str]:
    """Every rule this kata breaks, each with what to do about it."""
    out = []
    where = f"kata {k.number} in dojo/katas.py"
    files = {"stub": f"katas/{k.file}", "solution": f"solutions/{k.file}", "tests": f"tests/test_{k.file}"}
    for what, rel in files.items():
        if not os.path.exists(os.path.join(ROOT, rel)):
            out.append(f"missing {what}: please add {rel} (copy the shape of kata 01's).")
    for lang in ("en", "zh"):
        if not k.title.get(lang, "").strip():
            out.append(f"empty title ({lang}): please give {where} a title in both English and Chinese.")
    if k.title.get("zh") and not CJK.search(k.title["zh"]):
        out.append(f"the Chinese title of {where} has no Chinese characters: please translate it.")
    if len(k.hints) < 2:
        out.append(f"{where} has {len(k.hints)} hint(s): please provide at least two, mildest first.")
    for i, hint in enumerate(k.hints, 1):
        for lang in ("en", "zh"):
            if not hint.get(lang, "").strip():
                out.append(f"empty hint {i} ({lang}) in {where}: please provide a hint in both languages.")
        if hint.get("zh") and not CJK.search(hint["zh"]):
            out.append(f"hint {i} of {where} has no Chinese characters in 'zh': please translate it.")
    if k.failure not in {s.value for s in Status} - {"PASS"}:
        out.append(f"{where} declares failure={k.failure!r}: please use one of HANG, LOST, DUPLICATE, CRASH, LEAK, WRONG.")
    if k.failure == "HANG" and not k.failure_call:
        out.append(f"{where} declares a HANG but no failure_call: please name the call the stub blocks in (e.g. 'get').")
    if k.points <= 0:
        out.append(f"{where} gives {k.points} points: please give it a positive number.")
    stub = os.path.join(ROOT, files["stub"])
    if os.path.exists(stub):
        doc = _docstring(stub)
        if not doc:
            out.append(f"{files['stub']} has no docstring: please open it with the story, goal, what is broken, "
                       "the contract and how to run it, in English and Chinese.")
        elif not CJK.search(doc):
            out.append(f"the docstring of {files['stub']} has no Chinese: please add the Simplified Chinese text.")
        if doc and f"pytest --kata {k.number}" not in doc:
            out.append(f"the docstring of {files['stub']} does not say how to run just this kata: "
                       f"please add `pytest --kata {k.number}`.")
        with open(stub, encoding="utf-8") as f:
            todos = f.read().count("TODO")
        if todos != 1:
            out.append(f"{files['stub']} has {todos} TODO marks: please leave exactly one, where the learner starts.")
        with open(stub, encoding="utf-8") as f:
            ends_as_asked = f.read().endswith(learner.FOOTER)
        if not ends_as_asked:  # `python katas/NN_slug.py` must run the kata through the dojo, not hang or exit 0
            out.append(f"{files['stub']} does not end with the lines that let `python {files['stub']}` run the kata "
                       "through the dojo: please end it with these three lines, as they are:\n" + learner.FOOTER)
    for what in ("stub", "solution"):
        path = os.path.join(ROOT, files[what])
        if not os.path.exists(path):
            continue
        found = _functions(path)
        if isinstance(found, str):
            out.append(f"{files[what]} does not parse ({found}): please fix it.")
            continue
        for name, params in k.contract.items():
            if name not in found:
                out.append(f"{files[what]} has no function {name}(): the contract of {where} asks for "
                           f"def {name}({', '.join(params)}).")
            elif found[name] != params:
                out.append(f"{files[what]}: {name}({', '.join(found[name])}) does not match the contract "
                           f"{name}({', '.join(params)}) of {where}.")
    solution = os.path.join(ROOT, files["solution"])
    if k.equivalent and isinstance(_functions(solution), dict):
        out += mutants.stale_equivalents(k)  # a justification must name a mutant the catalogue still makes
    wrong_dir = os.path.join(ROOT, "tests", "wrong", k.name)
    have = {f[:-3] for f in os.listdir(wrong_dir) if f.endswith(".py")} if os.path.isdir(wrong_dir) else set()
    for r in k.must_reject:
        if r.variant not in have:
            out.append(f"must_reject {r.variant!r} of {where} has no file: please add "
                       f"tests/wrong/{k.name}/{r.variant}.py (a complete wrong answer).")
        if r.status not in {s.value for s in Status} - {"PASS"}:
            out.append(f"must_reject {r.variant!r} of {where} expects {r.status!r}: please use a failure class.")
    for extra in sorted(have - {r.variant for r in k.must_reject}):
        out.append(f"tests/wrong/{k.name}/{extra}.py is not in must_reject of {where}: please declare it "
                   "(variant, expected class, why) or remove it.")
    tests = rejects_of(os.path.join(ROOT, files["tests"]))
    if isinstance(tests, dict):
        named = {v for variants in tests.values() for v in variants}
        for test, variants in tests.items():
            if not variants:
                out.append(f"{files['tests']}::{test} names no wrong answer: please say in its docstring which "
                           "classic wrong answers it exists to reject (a line 'Rejects: variant, variant').")
            for v, status in variants.items():
                if status is not None and status not in {s.value for s in Status} - {"PASS"}:
                    out.append(f"{files['tests']}::{test} says {v!r} fails as {status!r}: please use a failure class "
                               "(HANG, LOST, DUPLICATE, CRASH, LEAK, WRONG).")
                if v != STUB and v not in {r.variant for r in k.must_reject}:
                    out.append(f"{files['tests']}::{test} rejects {v!r}, which is not in must_reject of {where}: "
                               "please declare it there, or fix the name.")
        for r in k.must_reject:
            if r.variant not in named:
                out.append(f"no test of {files['tests']} names {r.variant!r} in its docstring: please say which "
                           f"test rejects it ('Rejects: {r.variant}').")
    return out


def table_problems() -> list[str]:
    """Rules about the table as a whole and the files it owns."""
    out = []
    numbers = [k.number for k in KATAS]
    # In order and each once; a gap is allowed (katas of Part II land as they are built, not all at once).
    if any(not (n.isdigit() and len(n) == 2) for n in numbers) or numbers != sorted(set(numbers)):
        out.append(f"kata numbers in dojo/katas.py are {numbers}: please give each two digits, once, in order.")
    slugs = [k.slug for k in KATAS]
    if len(set(slugs)) != len(slugs):
        out.append("two katas share a slug in dojo/katas.py: please make every slug unique.")
    known = {k.file for k in KATAS}
    for folder, prefix in (("katas", ""), ("solutions", ""), ("tests", "test_")):
        for name in sorted(os.listdir(os.path.join(ROOT, folder))):
            if not name.startswith(prefix) or not name.endswith(".py") or name == "__init__.py":
                continue
            if not FILE_NAME.match(name[len(prefix):]):
                continue
            if name[len(prefix):] not in known:
                out.append(f"{folder}/{name} belongs to no kata: please add it to dojo/katas.py or remove it.")
    # The README's lists of the katas ("The katas", "练习一览") are what a learner reads first: none may be missing.
    try:
        with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
            readme = f.read()
    except OSError:
        readme = None
    if readme is not None:
        for k in KATAS:
            if readme.count(f"`katas/{k.file}`") < 2:
                out.append(f"README.md does not list katas/{k.file} in both its lists of the katas (\"The katas\" and "
                           f"\"练习一览\"): please add a row for kata {k.number} to each.")
    return out


# -- the stubs: each fails every test of its kata as declared (verify mode) ------------


def stub_report(report, call, kata, mode_dir) -> None:
    """In verify mode a test passes when the stub fails it for the declared reason."""
    exc = call.excinfo.value if call.excinfo else None
    stub = os.path.relpath(os.path.join(mode_dir, kata.file), os.getcwd())
    declared = kata.failure + (f" in {kata.failure_call}()" if kata.failure_call else "")
    fix = (f"Fix the stub, or the declared failure of kata {kata.number} in dojo/katas.py "
           f"(failure={kata.failure!r}, failure_call={kata.failure_call!r}).")
    method = report.nodeid.rsplit("[", 1)[-1].rstrip("]") if report.nodeid.endswith("]") else ""
    if method in kata.hidden_under:  # the bug of this kata does not show under this start method: it passes
        if exc is None:
            report.sections.append(("dojo", f"stub passes under {method}, as declared (hidden_under)"))
        else:
            report.outcome, report.longrepr = "failed", (
                f"stub {stub} should pass this test under {method}: kata {kata.number} declares that its bug does not "
                f"show there (hidden_under={kata.hidden_under!r} in dojo/katas.py). Fix the stub or the table.")
        return
    if exc is None:
        report.outcome, report.longrepr = "failed", (
            f"stub {stub} passes this test, but a stub must fail every test of its kata ({declared}). {fix}")
        return
    if not isinstance(exc, KataFailed):
        return  # a broken test: keep its own failure
    verdict = exc.verdict
    got = verdict.status.value
    call_ok = not kata.failure_call or _blocked_in(verdict, kata.failure_call)
    if got == kata.failure and call_ok:
        report.outcome, report.longrepr = "passed", None
        report.sections.append(("dojo", f"stub fails as declared: {verdict.first.headline}"))
    else:
        report.longrepr = (f"stub {stub} should fail this test with {declared}, but it failed with:\n"
                           f"    {verdict.first.headline}\n{fix}")


def _blocked_in(verdict: Verdict, call: str) -> bool:
    head = verdict.first.headline if verdict.first else ""
    return f".{call}(" in head or f" {call}(" in head
