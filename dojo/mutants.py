"""The mutation check: every wrong answer near a reference solution fails the kata's tests.

``python -m dojo.mutants`` makes mutants of each reference solution with a
catalogue of concurrency mutations, at the level of Python's ``ast`` (drop or
move a ``put(None)``, drop, duplicate or move a ``task_done()``, drop or swap
joins, make a process a daemon or not, a ``get()`` that gives up, a join
that sleeps, diners killed instead of told, a queue polled with ``empty()``
or ``qsize()``, the None counted by cooks instead of diners, …). It runs the
kata's own tests on each mutant, exactly as a learner's submission is run
(``pytest tests/test_NN_slug.py --target=DIR -x``), and prints killed/total
per kata.

A mutant is *killed* when a test fails it with a class (HANG, LOST, …);
it *survives* when every test passes. A survivor is either a hole in the
kata's tests or a correct program after all; then the kata table says so
(``Kata.equivalent``: mutant id -> a one-line reason), and the check fails
for any other survivor.

A mutant's id is the operator, the function, and the ordinal of the place
among that operator's places in that function, plus a variant when one
place can be changed in several ways: ``drop_put_none@cook:1``,
``move_task_done@diner:1/up1``. No line numbers: an edit elsewhere in the
solution (a comment, a docstring) does not change an id, so the table's
justifications stay attached to their mutants. A justification whose id the
catalogue no longer makes is an error with a fix-it message (see
:func:`stale_equivalents`, also an authoring rule in dojo/verify.py).
"""
from __future__ import annotations

import argparse
import ast
import copy
import difflib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from typing import Callable, Iterator

from dojo.katas import KATAS, Kata, find
from dojo.run import ROOT

MODULE = "<module>"
LOOPS = (ast.For, ast.While, ast.AsyncFor)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
BLOCK_FIELDS = ("body", "orelse", "finalbody")
# The bounded waits a mutant adds (get(timeout=…), sleep(…)). Short, to keep runs fast: a held step goes on
# only once such a wait has run out (dojo/shop.py), so a longer one would be no more likely to be caught.
WAIT = 0.1
CLASSES = ("HANG", "LOST", "DUPLICATE", "CRASH", "LEAK", "WRONG")
RUN_LIMIT = 900  # seconds for one mutant's pytest: far above pytest-timeout's 120 s per test, only a net

Path = tuple  # how to reach a node from the module: ((field, index or None), …)


# -- the source and its places --------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A node of the original tree: where it is, and in which function."""

    node: ast.AST
    path: Path
    func: str  # qualified name of the innermost function, or <module>


def _resolve(tree: ast.AST, path: Path) -> ast.AST:
    node = tree
    for name, i in path:
        node = getattr(node, name) if i is None else getattr(node, name)[i]
    return node


def _block(tree: ast.AST, path: Path) -> tuple[list, int]:
    """The statement list that the statement at ``path`` is in, and its index there."""
    (name, i) = path[-1]
    return getattr(_resolve(tree, path[:-1]), name), i


def _code(node: ast.AST, width: int = 60) -> str:
    """A node's code on one line, for descriptions: a loop of one statement whole, else its first line."""
    lines = ast.unparse(node).splitlines()
    text = " ".join(x.strip() for x in lines) if len(lines) == 2 else lines[0]
    return text if len(text) <= width else text[:width - 1] + "…"


def _method_call(node: ast.AST, method: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method


def _receiver(call: ast.Call) -> str | None:
    value = call.func.value
    return value.id if isinstance(value, ast.Name) else None


def _is_call_statement(stmt: ast.AST, method: str, bare: bool = False) -> bool:
    """``x.method(…)`` on a line of its own (``bare``: with no arguments)."""
    return (isinstance(stmt, ast.Expr) and _method_call(stmt.value, method)
            and (not bare or (not stmt.value.args and not stmt.value.keywords)))


class Source:
    """A module's tree, and the places in it that the operators look for."""

    def __init__(self, text: str):
        self.text = text
        self.tree = ast.parse(text)
        self.nodes: list[Node] = []  # every node, depth first, in source order
        self._walk(self.tree, (), MODULE)
        # module-level names bound to None: the sentinel (DONE = None)
        self.sentinels = {t.id for s in self.tree.body if isinstance(s, ast.Assign)
                          and isinstance(s.value, ast.Constant) and s.value.value is None
                          for t in s.targets if isinstance(t, ast.Name)}
        # names used as queues: something is put on, got from or marked done on them
        self.queues = {_receiver(n.node) for n in self.nodes
                       if any(_method_call(n.node, m) for m in ("put", "get", "task_done", "empty", "qsize"))} - {None}

    def _walk(self, node: ast.AST, path: Path, func: str) -> None:
        self.nodes.append(Node(node, path, func))
        inner = func
        if isinstance(node, FUNCTIONS):  # its body belongs to it; the def statement itself to the outer scope
            inner = node.name if func == MODULE else f"{func}.{node.name}"
        for name, value in ast.iter_fields(node):
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        self._walk(item, path + ((name, i),), inner)
            elif isinstance(value, ast.AST):
                self._walk(value, path + ((name, None),), inner)

    def statements(self, match: Callable[[ast.AST], bool]) -> list[Node]:
        return [n for n in self.nodes if isinstance(n.node, ast.stmt) and match(n.node)]

    def expressions(self, match: Callable[[ast.AST], bool]) -> list[Node]:
        return [n for n in self.nodes if isinstance(n.node, ast.expr) and match(n.node)]

    def at(self, path: Path) -> ast.AST:
        return _resolve(self.tree, path)

    def is_sentinel(self, node: ast.AST) -> bool:
        return (isinstance(node, ast.Constant) and node.value is None) or (
            isinstance(node, ast.Name) and node.id in self.sentinels)

    def is_queue_call(self, node: ast.AST, method: str) -> bool:
        """``q.method()`` with no arguments, on a name used as a queue."""
        return (_method_call(node, method) and not node.args and not node.keywords
                and _receiver(node) in self.queues)

    def carrier(self, path: Path) -> Path:
        """The statement that is there only for the one at ``path``: a for loop that holds nothing else.

        Dropping ``a_cook.join()`` from ``for a_cook in cooks: a_cook.join()``
        means dropping the loop, and moving it means moving the loop.
        """
        while len(path) > 1:
            owner = self.at(path[:-1])
            if not (isinstance(owner, (ast.For, ast.AsyncFor)) and path[-1][0] == "body"
                    and len(owner.body) == 1 and not owner.orelse):
                break
            path = path[:-1]
        return path

    def loop_of(self, path: Path) -> Path | None:
        """The innermost loop around the statement at ``path`` within its function, or None."""
        for k in range(len(path) - 1, 0, -1):
            owner = self.at(path[:k])
            if isinstance(owner, FUNCTIONS):
                return None
            if isinstance(owner, LOOPS) and path[k][0] == "body":
                return path[:k]
        return None

    def line(self, path: Path) -> int:
        return getattr(self.at(path), "lineno", 0)


def numbered(nodes: list[Node]) -> Iterator[tuple[Node, int]]:
    """Each place with its ordinal among the places in its function (from 1): the stable part of an id."""
    seen: dict[str, int] = {}
    for n in nodes:
        seen[n.func] = seen.get(n.func, 0) + 1
        yield n, seen[n.func]


# -- edits, applied to a copy of the tree (the paths of the original lead to the same places) ------


Edit = Callable[[ast.Module], None]


def _drop(path: Path) -> Edit:
    def edit(tree):
        block, i = _block(tree, path)
        del block[i]
        if not block:
            block.append(ast.Pass())
    return edit


def _move(path: Path, j: int) -> Edit:
    """Move the statement to index ``j`` of its list: before the statement now at j, or after it if j is later."""
    def edit(tree):
        block, i = _block(tree, path)
        block.insert(j, block.pop(i))
    return edit


def _move_into_loop_above(path: Path) -> Edit:
    def edit(tree):
        block, i = _block(tree, path)
        block[i - 1].body.append(block.pop(i))
    return edit


def _move_out_of_loop(path: Path) -> Edit:
    """From the body of its loop to right after the loop."""
    def edit(tree):
        block, i = _block(tree, path)
        stmt = block.pop(i)
        if not block:
            block.append(ast.Pass())
        outer, k = _block(tree, path[:-1])
        outer.insert(k + 1, stmt)
    return edit


def _duplicate(path: Path) -> Edit:
    def edit(tree):
        block, i = _block(tree, path)
        block.insert(i + 1, copy.deepcopy(block[i]))
    return edit


def _replace(path: Path, make: Callable[[ast.AST], ast.AST | list]) -> Edit:
    """Replace the node at ``path`` by ``make(node)`` (a list of statements replaces one statement)."""
    def edit(tree):
        *up, (name, i) = path
        owner = _resolve(tree, tuple(up))
        new = make(_resolve(tree, path))
        if i is None:
            setattr(owner, name, new)
        else:
            getattr(owner, name)[i:i + 1] = new if isinstance(new, list) else [new]
    return edit


def _stmt(code: str) -> list[ast.stmt]:
    return ast.parse(textwrap.dedent(code)).body


def _expr(code: str) -> ast.expr:
    return ast.parse(code, mode="eval").body


def _ensure_import(tree: ast.Module, module: str) -> None:
    """``import module`` at the top, after the docstring and the imports, unless it is there."""
    body = tree.body
    if any(isinstance(s, ast.Import) and any(a.name == module and a.asname is None for a in s.names) for s in body):
        return
    at = 0
    for k, s in enumerate(body):
        if isinstance(s, (ast.Import, ast.ImportFrom)) or (
                k == 0 and isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)):
            at = k + 1
    body.insert(at, ast.Import(names=[ast.alias(name=module)]))


def _bound(stmts: list) -> set[str]:
    """Names that these statements bind."""
    return {x.id for s in stmts for x in ast.walk(s) if isinstance(x, ast.Name) and isinstance(x.ctx, ast.Store)}


def _loaded(stmts: list) -> set[str]:
    """Names that these statements read."""
    return {x.id for s in stmts for x in ast.walk(s) if isinstance(x, ast.Name) and isinstance(x.ctx, ast.Load)}


def _moves(src: Source, path: Path) -> Iterator[tuple[str, str, Edit]]:
    """Every other place for the statement at ``path``: (variant, where, edit).

    Anywhere else in its own list; into the loop just above it (a None per
    bun); out of the loop it is in (one task_done() for all the buns).
    """
    block, i = _block(src.tree, path)
    moved = block[i]
    for j in range(len(block)):
        # Not past where a name it needs is bound, or past a use of a name it binds: that mutant could only
        # fail with a NameError, which any test catches and which no learner writes.
        if j < i and not _bound(block[j:i]) & _loaded([moved]):
            yield f"up{i - j}", f"before `{_code(block[j])}`", _move(path, j)
        elif j > i and not _bound([moved]) & _loaded(block[i + 1:j + 1]):
            yield f"down{j - i}", f"after `{_code(block[j])}`", _move(path, j)
    if i > 0 and isinstance(block[i - 1], LOOPS):
        yield "into-loop-above", f"into the end of `{_code(block[i - 1])}`", _move_into_loop_above(path)
    owner = src.at(path[:-1])
    if isinstance(owner, LOOPS) and path[-1][0] == "body":
        yield "out-of-loop", f"out of `{_code(owner)}`, to right after it", _move_out_of_loop(path)


# -- the catalogue ----------------------------------------------------------------------------------


@dataclass
class Change:
    """One way an operator changes one place: not yet applied."""

    func: str
    where: str  # ordinal within the function, and maybe a variant: "1", "1/up2", "1+2"
    line: int
    what: str  # one line: what the mutant does
    edit: Edit
    imports: tuple = ()


@dataclass(frozen=True)
class Operator:
    name: str
    summary: str
    changes: Callable[[Source], Iterator[Change]]


OPERATORS: list[Operator] = []


def operator(summary: str):
    def register(fn):
        OPERATORS.append(Operator(fn.__name__, summary, fn))
        return fn
    return register


def _sentinel_puts(src: Source) -> list[Node]:
    return src.statements(lambda s: _is_call_statement(s, "put") and len(s.value.args) == 1
                          and src.is_sentinel(s.value.args[0]))


def _task_dones(src: Source) -> list[Node]:
    return src.statements(lambda s: _is_call_statement(s, "task_done", bare=True))


def _joins(src: Source) -> list[Node]:
    """Statements ``x.join()`` with no timeout: processes and queues alike."""
    return src.statements(lambda s: _is_call_statement(s, "join", bare=True))


def _process_calls(src: Source) -> list[Node]:
    def made(node):
        f = node.func if isinstance(node, ast.Call) else None
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
        return name in ("Process", "Thread")
    return src.expressions(made)


def _sentinel_loops(src: Source) -> list[Node]:
    """For loops that do nothing but put a None each time round (``for _ in diners: counter.put(DONE)``)."""
    loops = {src.carrier(n.path) for n in _sentinel_puts(src)}
    return [n for n in src.nodes if n.path in loops and isinstance(n.node, ast.For)]


def _drop_each(src, found):
    """A mutant per statement found: without it (the statement that carries the call, when it is one)."""
    for n, k in numbered(found):
        c = src.carrier(n.path)
        yield Change(n.func, str(k), n.node.lineno, f"drop `{_code(src.at(c))}`", _drop(c))


def _move_each(src, found):
    """Mutants per statement found: moved each place _moves() knows (before, after, into or out of a loop)."""
    for n, k in numbered(found):
        c = src.carrier(n.path)
        for variant, where, edit in _moves(src, c):
            yield Change(n.func, f"{k}/{variant}", n.node.lineno, f"move `{_code(src.at(c))}` {where}", edit)


@operator("drop a put(None): the sentinel is never sent")
def drop_put_none(src):
    yield from _drop_each(src, _sentinel_puts(src))


@operator("move a put(None) elsewhere: before the last bun, into a loop, after the joins")
def move_put_none(src):
    yield from _move_each(src, _sentinel_puts(src))


@operator("drop a task_done()")
def drop_task_done(src):
    yield from _drop_each(src, _task_dones(src))


@operator("call a task_done() twice")
def dup_task_done(src):
    for n, k in numbered(_task_dones(src)):
        yield Change(n.func, str(k), n.node.lineno, f"call `{_code(n.node)}` twice", _duplicate(n.path))


@operator("move a task_done(): before eating, out of the loop, into the loop")
def move_task_done(src):
    yield from _move_each(src, _task_dones(src))


@operator("drop a join() (of processes, or of the queue)")
def drop_join(src):
    yield from _drop_each(src, _joins(src))


@operator("swap two joins of the same block")
def swap_joins(src):
    ordinals = {n.path: k for n, k in numbered(_joins(src))}
    carriers = [(src.carrier(p), k) for p, k in ordinals.items()]
    for a, (pa, ka) in enumerate(carriers):
        for pb, kb in carriers[a + 1:]:
            if pa[:-1] != pb[:-1] or pa == pb:
                continue  # only statements of one list can trade places
            def edit(tree, pa=pa, pb=pb):
                block, i = _block(tree, pa)
                _, j = _block(tree, pb)
                block[i], block[j] = block[j], block[i]
            func = next(n.func for n in src.nodes if n.path == pa)
            yield Change(func, f"{ka}+{kb}", src.line(pa),
                         f"swap `{_code(src.at(pa))}` and `{_code(src.at(pb))}`", edit)


@operator("wait with time.sleep() instead of a join()")
def join_to_sleep(src):
    for n, k in numbered(_joins(src)):
        c = src.carrier(n.path)
        yield Change(n.func, str(k), n.node.lineno, f"`time.sleep({WAIT})` instead of `{_code(src.at(c))}`",
                     _replace(c, lambda _: _stmt(f"time.sleep({WAIT})")), imports=("time",))


@operator("terminate() a process instead of joining it")
def join_to_terminate(src):
    joins = [n for n in _joins(src) if _receiver(n.node.value) not in src.queues]
    for n, k in numbered(joins):
        yield Change(n.func, str(k), n.node.lineno, f"`{_receiver(n.node.value)}.terminate()` instead of `.join()`",
                     _replace(n.path + (("value", None), ("func", None)),
                              lambda f: ast.Attribute(value=f.value, attr="terminate", ctx=ast.Load())))


@operator("terminate() the diners instead of sending each a None")
def sentinel_to_terminate(src):
    for n, k in numbered(_sentinel_loops(src)):
        loop = n.node
        var = loop.target.id if isinstance(loop.target, ast.Name) and loop.target.id != "_" else "_p"
        code = f"for {var} in {ast.unparse(loop.iter)}:\n    {var}.terminate()"
        yield Change(n.func, str(k), loop.lineno, f"`{code.splitlines()[0]} {var}.terminate()` instead of a None each",
                     _replace(n.path, lambda _, code=code: _stmt(code)))


@operator("count the None by cooks instead of diners (or the other way round)")
def sentinels_by_cooks(src):
    swap = {"diner": "cook", "cook": "diner"}

    def other(word):
        for a, b in swap.items():
            if a in word:
                return word.replace(a, b)
        return word

    def swapped(node):
        node = copy.deepcopy(node)
        for x in ast.walk(node):
            if isinstance(x, ast.Name):
                x.id = other(x.id)
            elif isinstance(x, ast.Attribute):
                x.attr = other(x.attr)
        return node

    for n, k in numbered(_sentinel_loops(src)):
        new = swapped(n.node.iter)
        if ast.dump(new) != ast.dump(n.node.iter):
            yield Change(n.func, str(k), n.node.lineno,
                         f"one None per `{ast.unparse(new)}` instead of per `{ast.unparse(n.node.iter)}`",
                         _replace(n.path + (("iter", None),), lambda _, new=new: copy.deepcopy(new)))


@operator("put a number of None written into the code (2)")
def hard_code_count(src):
    for n, k in numbered(_sentinel_loops(src)):
        yield Change(n.func, str(k), n.node.lineno, f"`range(2)` instead of `{ast.unparse(n.node.iter)}`",
                     _replace(n.path + (("iter", None),), lambda _: _expr("range(2)")))


@operator("test the sentinel by truth (`if not bun`) instead of `is None`")
def truthy_stop(src):
    def matches(x):
        return (isinstance(x, ast.Compare) and len(x.ops) == 1 and isinstance(x.ops[0], (ast.Is, ast.IsNot))
                and src.is_sentinel(x.comparators[0]))
    for n, k in numbered(src.expressions(matches)):
        left = n.node.left
        new = left if isinstance(n.node.ops[0], ast.IsNot) else ast.UnaryOp(ast.Not(), left)
        yield Change(n.func, str(k), n.node.lineno, f"`{ast.unparse(new)}` instead of `{_code(n.node)}`",
                     _replace(n.path, lambda _, new=new: copy.deepcopy(new)))


@operator("add daemon=True to a process that has none")
def add_daemon(src):
    for n, k in numbered(_process_calls(src)):
        if any(kw.arg == "daemon" for kw in n.node.keywords):
            continue
        def make(call):
            call.keywords.append(ast.keyword(arg="daemon", value=ast.Constant(True)))
            return call
        yield Change(n.func, str(k), n.node.lineno, f"`daemon=True` for `{_code(n.node)}`",
                     _replace(n.path, make))


@operator("take daemon=True away from a process (or its `p.daemon = True`)")
def drop_daemon(src):
    def assigns(s):
        return isinstance(s, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "daemon" for t in s.targets)
    calls = {n.path for n in _process_calls(src) if any(kw.arg == "daemon" for kw in n.node.keywords)}
    places = [n for n in src.nodes if n.path in calls or (isinstance(n.node, ast.stmt) and assigns(n.node))]
    for n, k in numbered(places):
        if isinstance(n.node, ast.stmt):
            yield Change(n.func, str(k), n.node.lineno, f"drop `{_code(n.node)}`", _drop(n.path))
            continue
        def make(call):
            call.keywords = [kw for kw in call.keywords if kw.arg != "daemon"]
            return call
        yield Change(n.func, str(k), n.node.lineno, f"no `daemon=…` for `{_code(n.node)}`", _replace(n.path, make))


def _got_in_loop(src: Source) -> list[Node]:
    """``q.get()`` calls inside a loop: in the loop's own test, or in a statement of its body."""
    out = []
    for n in src.nodes:
        if not src.is_queue_call(n.node, "get"):
            continue
        stmt_path = next(n.path[:k] for k in range(len(n.path), 0, -1) if isinstance(src.at(n.path[:k]), ast.stmt))
        in_test = isinstance(src.at(stmt_path), ast.While) and n.path[len(stmt_path)][0] == "test"
        if in_test or src.loop_of(stmt_path):
            out.append(n)
    return out


@operator("a get() that gives up: get(timeout=…) and `break` on queue.Empty")
def get_timeout_break(src):
    for n, k in numbered(_got_in_loop(src)):
        q = _receiver(n.node)
        stmt_path = next(n.path[:j] for j in range(len(n.path), 0, -1) if isinstance(src.at(n.path[:j]), ast.stmt))
        stmt, rest = src.at(stmt_path), n.path[len(stmt_path):]
        timed = f"{q}.get(timeout={WAIT})"
        if isinstance(stmt, ast.While) and rest[0][0] == "test":
            # while (bun := q.get()) is not DONE: body  ->  while True: try get … except Empty: break; if not test: break
            def make(loop, rest=rest, timed=timed):
                test = copy.deepcopy(loop.test)
                holder = ast.Module(body=[ast.Expr(test)], type_ignores=[])
                _replace(((("body", 0),) + (("value", None),) + rest[1:]), lambda _: ast.Name("_got", ast.Load()))(holder)
                guard = _stmt(f"try:\n    _got = {timed}\nexcept queue.Empty:\n    break\n"
                              f"if not ({ast.unparse(holder.body[0].value)}):\n    break")
                return ast.While(test=ast.Constant(True), body=guard + loop.body, orelse=loop.orelse)
            edit = _replace(stmt_path, make)
        elif isinstance(stmt, (ast.Assign, ast.Expr)) and rest == (("value", None),):
            def make(s, timed=timed):  # bun = q.get()  ->  try: bun = q.get(timeout=…) except queue.Empty: break
                s = copy.deepcopy(s)
                s.value = _expr(timed)
                guard = _stmt("try:\n    pass\nexcept queue.Empty:\n    break")[0]
                guard.body = [s]
                return guard
            edit = _replace(stmt_path, make)
        else:
            def make(s, rest=rest, timed=timed):
                s = copy.deepcopy(s)
                holder = ast.Module(body=[s], type_ignores=[])
                _replace((("body", 0),) + rest, lambda _: ast.Name("_got", ast.Load()))(holder)
                return _stmt(f"try:\n    _got = {timed}\nexcept queue.Empty:\n    break") + [holder.body[0]]
            edit = _replace(stmt_path, make)
        yield Change(n.func, str(k), n.node.lineno, f"`{timed}`, and leave the loop when it runs out",
                     edit, imports=("queue",))


def _polls(src: Source) -> list[Node]:
    """Where a program could poll instead of wait: loops around a get(), and joins of a queue."""
    loops = set()
    for n in _got_in_loop(src):
        for j in range(len(n.path), 0, -1):
            if isinstance(src.at(n.path[:j]), LOOPS):
                loops.add(n.path[:j])
                break
    return [n for n in src.nodes if (n.path in loops and isinstance(n.node, ast.While)) or (
        isinstance(n.node, ast.stmt) and _is_call_statement(n.node, "join", bare=True)
        and _receiver(n.node.value) in src.queues)]


def _poll(src: Source, check: str):
    """``while <q is not empty>`` around the diner's get(), or instead of ``q.join()``."""
    for n, k in numbered(_polls(src)):
        if isinstance(n.node, ast.While):
            q = _receiver(next(x for x in ast.walk(n.node) if src.is_queue_call(x, "get")))
            cond = check.format(q=q)
            test = n.node.test
            new = _expr(cond) if isinstance(test, ast.Constant) and test.value is True else ast.BoolOp(
                ast.And(), [_expr(cond), copy.deepcopy(test)])
            yield Change(n.func, str(k), n.node.lineno, f"`while {ast.unparse(new)}:` (the diner stops at an empty counter)",
                         _replace(n.path + (("test", None),), lambda _, new=new: copy.deepcopy(new)))
        else:
            q = _receiver(n.node.value)
            code = f"while {check.format(q=q)}:\n    time.sleep({WAIT})"
            yield Change(n.func, str(k), n.node.lineno, f"poll `{check.format(q=q)}` instead of `{q}.join()`",
                         _replace(n.path, lambda _, code=code: _stmt(code)), imports=("time",))


@operator("poll with empty(): a diner stops at an empty counter; wait for an empty counter instead of join()")
def poll_empty(src):
    yield from _poll(src, "not {q}.empty()")


@operator("poll with qsize(): as poll_empty, with qsize() > 0")
def poll_qsize(src):
    yield from _poll(src, "{q}.qsize() > 0")


def _signal_handlers(src: Source) -> list[Node]:
    """Statements ``signal.signal(SIG…, handler)``: what a program does when it is told to close."""
    return src.statements(lambda s: isinstance(s, ast.Expr) and _method_call(s.value, "signal")
                          and _receiver(s.value) == "signal")


@operator("drop a signal handler: the signal does what it does by default (SIGTERM ends the process)")
def drop_signal_handler(src):
    yield from _drop_each(src, _signal_handlers(src))


@operator("ignore a stop flag: `flag.is_set()` is always False (a worker that never hears of closing time)")
def ignore_stop_flag(src):
    for n, k in numbered(src.expressions(lambda x: _method_call(x, "is_set") and not x.args)):
        yield Change(n.func, str(k), n.node.lineno, f"`False` instead of `{_code(n.node)}`",
                     _replace(n.path, lambda _: ast.Constant(False)))


@operator("drop a call that counts a bun (`shop.leftover(bun)`)")
def drop_count(src):
    yield from _drop_each(src, src.statements(lambda s: _is_call_statement(s, "leftover")))


@operator("a lambda as a process's target: `target=lambda: cook(counter, shop)` (no pickle under spawn)")
def lambda_target(src):
    def named_target(call):
        kw = {k.arg: k.value for k in call.keywords}
        return isinstance(kw.get("target"), ast.Name) and (kw.get("args") is None or isinstance(kw["args"], ast.Tuple))
    for n, k in numbered([n for n in _process_calls(src) if named_target(n.node)]):
        def make(call):
            call = copy.deepcopy(call)
            kw = {k.arg: k for k in call.keywords}
            args = kw["args"].value.elts if "args" in kw else []
            body = ast.Call(func=copy.deepcopy(kw["target"].value), args=[copy.deepcopy(a) for a in args], keywords=[])
            kw["target"].value = ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[],
                                                               defaults=[]), body=body)
            call.keywords = [x for x in call.keywords if x.arg != "args"]
            return call
        yield Change(n.func, str(k), n.node.lineno, f"a lambda as the target of `{_code(n.node)}`", _replace(n.path, make))


def _main_guards(src: Source) -> list[Node]:
    """``if __name__ == "__main__":`` at the top level of the file."""
    def guard(s):
        t = s.test if isinstance(s, ast.If) else None
        return (isinstance(t, ast.Compare) and isinstance(t.left, ast.Name) and t.left.id == "__name__"
                and len(t.comparators) == 1 and isinstance(t.comparators[0], ast.Constant)
                and t.comparators[0].value == "__main__" and not s.orelse)
    return [n for n in src.statements(guard) if len(n.path) == 1]


@operator("drop the `if __name__ == \"__main__\":` guard: its block runs on every import of the file")
def drop_main_guard(src):
    for n, k in numbered(_main_guards(src)):
        yield Change(n.func, str(k), n.node.lineno, "the block of `if __name__ == \"__main__\":` without the guard",
                     _replace(n.path, lambda s: copy.deepcopy(s.body)))


def _tries(src: Source, handlers: bool = False, final: bool = False) -> list[Node]:
    return [n for n in src.nodes if isinstance(n.node, ast.Try) and (not handlers or n.node.handlers)
            and (not final or n.node.finalbody)]


@operator("take an except clause away: the error goes on up and ends the worker (an uncaught exception)")
def let_error_through(src):
    for n, k in numbered(_tries(src, handlers=True)):
        for h, handler in enumerate(n.node.handlers, 1):
            def make(stmt, h=h):
                stmt = copy.deepcopy(stmt)
                del stmt.handlers[h - 1]
                if stmt.handlers or stmt.finalbody:
                    return stmt
                return stmt.body + stmt.orelse  # a try with nothing left to catch or finish: its body alone
            caught = ast.unparse(handler.type) if handler.type is not None else "everything"
            yield Change(n.func, f"{k}/{h}", handler.lineno, f"no `except {caught}`: the error goes on up",
                         _replace(n.path, make))


@operator("an except clause that drops the error (`pass`)")
def swallow_error(src):
    for n, k in numbered(_tries(src, handlers=True)):
        for h, handler in enumerate(n.node.handlers, 1):
            if all(isinstance(x, ast.Pass) for x in handler.body):
                continue
            yield Change(n.func, f"{k}/{h}", handler.lineno, f"`pass` instead of `{_code(handler.body[0])}`",
                         _replace(n.path + (("handlers", h - 1), ("body", None)), lambda _: [ast.Pass()]))


@operator("a finally block that runs only when nothing was raised (at the end of the try instead)")
def finally_to_body(src):
    for n, k in numbered(_tries(src, final=True)):
        def make(stmt):
            stmt = copy.deepcopy(stmt)
            stmt.body += stmt.finalbody
            stmt.finalbody = []
            return stmt if stmt.handlers else stmt.body + stmt.orelse
        yield Change(n.func, str(k), n.node.lineno,
                     f"`{_code(n.node.finalbody[0])}` at the end of the try, not in `finally`", _replace(n.path, make))


def _put_on_parameters(src: Source) -> list[tuple[Node, str]]:
    """Functions that put on a queue they were handed (a worker's queue), with that parameter's name."""
    out = []
    for n in src.nodes:
        if not isinstance(n.node, FUNCTIONS):
            continue
        params = [a.arg for a in n.node.args.args]
        puts = {_receiver(x) for x in ast.walk(n.node) if _method_call(x, "put")}
        out += [(n, q) for q in params if q in puts]
    return out


@operator("cancel_join_thread() on a queue a worker puts on: it may leave before its items are sent")
def cancel_join_thread(src):
    seen: dict[str, int] = {}
    for n, q in _put_on_parameters(src):
        func = n.node.name if n.func == MODULE else f"{n.func}.{n.node.name}"
        seen[func] = seen.get(func, 0) + 1
        yield Change(func, str(seen[func]), n.node.lineno, f"`{q}.cancel_join_thread()` first in {n.node.name}()",
                     _replace(n.path + (("body", 0),), lambda first, q=q: _stmt(f"{q}.cancel_join_thread()") + [first]))


@operator("drop a queue's maxsize: an unbounded counter")
def drop_maxsize(src):
    def bounded(x):
        f = x.func if isinstance(x, ast.Call) else None
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
        return name in ("Queue", "JoinableQueue") and (x.args or any(kw.arg == "maxsize" for kw in x.keywords))
    for n, k in numbered(src.expressions(bounded)):
        def make(call):
            call = copy.deepcopy(call)
            call.args, call.keywords = [], [kw for kw in call.keywords if kw.arg != "maxsize"]
            return call
        yield Change(n.func, str(k), n.node.lineno, f"`{_code(make(n.node))}` instead of `{_code(n.node)}`",
                     _replace(n.path, make))


@operator("join processes before the loop that reads what they put (joining processes that use queues)")
def join_before_reading(src):
    joins = [n for n in _joins(src) if _receiver(n.node.value) not in src.queues]
    for n, k in numbered(joins):
        c = src.carrier(n.path)
        block, i = _block(src.tree, c)
        for j in range(i - 1, -1, -1):
            stmt = block[j]
            if isinstance(stmt, LOOPS) and any(src.is_queue_call(x, "get") for x in ast.walk(stmt)):
                if not _bound([block[i]]) & _loaded(block[j:i]) and not _bound(block[j:i]) & _loaded([block[i]]):
                    yield Change(n.func, str(k), n.node.lineno, f"`{_code(src.at(c))}` before `{_code(stmt)}`",
                                 _move(c, j))
                break


# -- mutants ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutant:
    id: str
    operator: str
    line: int
    description: str
    source: str  # the whole mutant module, ready to run

    def diff(self, original: str, name: str) -> str:
        return "".join(difflib.unified_diff(original.splitlines(keepends=True), self.source.splitlines(keepends=True),
                                            fromfile=name, tofile=f"{name} ({self.id})", n=1))


def make_mutants(text: str) -> list[Mutant]:
    """Every mutant the catalogue makes of a module, in catalogue order, none the same as another or the original."""
    src = Source(text)
    seen = {ast.unparse(src.tree)}
    out = []
    for op in OPERATORS:
        for change in op.changes(src):
            tree = copy.deepcopy(src.tree)
            change.edit(tree)
            for module in change.imports:
                _ensure_import(tree, module)
            ast.fix_missing_locations(tree)
            code = ast.unparse(tree)
            if code in seen:
                continue  # the same program as the original or an earlier mutant: one run is enough
            seen.add(code)
            out.append(Mutant(f"{op.name}@{change.func}:{change.where}", op.name, change.line,
                              f"line {change.line}: {change.what}", splice(src, tree)))
    return out


class _NoSplice(Exception):
    pass


def splice(src: Source, tree: ast.Module) -> str:
    """The mutant as text: the original, with only the statements that changed rewritten.

    So the diff shows the mutation and not a reformatted file (``ast.unparse``
    drops comments and docstring layout). Checked by parsing: if the spliced
    text is not the mutant's tree, the plain ``ast.unparse`` is used instead.
    """
    want = ast.unparse(tree)
    try:
        lines = src.text.splitlines(keepends=True)
        edits: list[tuple[int, int, list[str]]] = []
        _splice_block(src.tree.body, tree.body, lines, edits)
        # from the bottom up, so earlier line numbers stay right; at one line, a removal before an insertion
        for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            lines[start:end] = new
        text = "".join(lines)
        if ast.dump(ast.parse(text)) == ast.dump(ast.parse(want)):
            return text
    except (_NoSplice, SyntaxError, IndexError):
        pass
    return want + "\n"


def _header(stmt: ast.stmt) -> str:
    """A compound statement without its blocks: the part that must be the same to splice inside it."""
    bare = copy.copy(stmt)
    for name in BLOCK_FIELDS + ("handlers",):
        if hasattr(bare, name):
            setattr(bare, name, [])
    return ast.dump(bare)


def _kind(stmt: ast.stmt) -> str:
    return f"{type(stmt).__name__} {getattr(stmt, 'name', '')}"


def _first_line(stmt: ast.stmt) -> int:
    return min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])


def _splice_block(a: list, b: list, lines: list[str], edits: list) -> None:
    """Edits that turn the original statements ``a`` into ``b``, touching only the statements that changed.

    Statements are aligned as they are, then a changed stretch once more by
    kind, so that an import added above a changed function is an insertion
    and the function is edited inside, not both rewritten.
    """
    for tag, i1, i2, j1, j2 in _align(a, b, ast.dump, 0, len(a), 0, len(b)):
        if tag == "replace":
            for tag2, k1, k2, l1, l2 in _align(a, b, _kind, i1, i2, j1, j2):
                _splice_range(a, b, tag2, k1, k2, l1, l2, lines, edits)
        elif tag != "equal":
            _splice_range(a, b, tag, i1, i2, j1, j2, lines, edits)


def _align(a, b, key, i1, i2, j1, j2):
    match = difflib.SequenceMatcher(a=[key(x) for x in a[i1:i2]], b=[key(y) for y in b[j1:j2]], autojunk=False)
    for tag, p1, p2, q1, q2 in match.get_opcodes():
        yield tag, i1 + p1, i1 + p2, j1 + q1, j1 + q2


def _splice_range(a, b, tag, i1, i2, j1, j2, lines, edits) -> None:
    if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
        for x, y in zip(a[i1:i2], b[j1:j2]):
            if ast.dump(x) != ast.dump(y):
                _splice_statement(x, y, lines, edits)
    elif i1 < i2:
        _rewrite(a[i1:i2], b[j1:j2], lines, edits)
    else:  # an insertion: after the statement before it, or before the first one
        at = a[i1 - 1].end_lineno if i1 else _first_line(a[0]) - 1
        col = (a[i1 - 1] if i1 else a[0]).col_offset
        edits.append((at, at, _text(b[j1:j2], col)))


def _splice_statement(x: ast.stmt, y: ast.stmt, lines: list[str], edits: list) -> None:
    """One statement changed: inside its blocks if its header is the same, its header alone if only that changed."""
    blocks = [n for n in BLOCK_FIELDS if getattr(x, n, None) or getattr(y, n, None)]
    if type(x) is not type(y) or not blocks or getattr(x, "handlers", None) or getattr(y, "handlers", None):
        _rewrite([x], [y], lines, edits)
    elif _header(x) == _header(y):
        for name in blocks:
            xa, ya = getattr(x, name), getattr(y, name)
            if not xa or not ya:
                raise _NoSplice  # a block appears or goes: rewrite the whole statement instead
            _splice_block(xa, ya, lines, edits)
    elif blocks == ["body"] and ast.dump(ast.Module(x.body, [])) == ast.dump(ast.Module(y.body, [])):
        start, end = _first_line(x) - 1, _first_line(x.body[0]) - 1
        if end <= start:
            raise _NoSplice  # `while x: body` on one line
        bare = copy.copy(y)
        bare.body = [ast.Pass()]
        edits.append((start, end, _text([bare], x.col_offset)[0].splitlines(keepends=True)[:-1]))
    else:
        _rewrite([x], [y], lines, edits)


def _rewrite(old: list, new: list, lines: list[str], edits: list) -> None:
    start, end, col = _first_line(old[0]) - 1, old[-1].end_lineno, old[0].col_offset
    if lines[start][:col].strip() or lines[end - 1][old[-1].end_col_offset:].strip()[:1] not in ("", "#"):
        raise _NoSplice  # shares a line with another statement (`a; b`)
    edits.append((start, end, _text(new, col)))  # nothing new: the lines go


def _text(stmts: list, col: int) -> list[str]:
    return [textwrap.indent(ast.unparse(s), " " * col) + "\n" for s in stmts]


def solution_path(kata: Kata) -> str:
    return os.path.join(ROOT, "solutions", kata.file)


def mutants_of(kata: Kata) -> list[Mutant]:
    with open(solution_path(kata), encoding="utf-8") as f:
        return make_mutants(f.read())


def stale_equivalents(kata: Kata, mutants: list[Mutant] | None = None) -> list[str]:
    """Every justification in ``kata.equivalent`` that no longer fits, each with what to do about it."""
    if not kata.equivalent:
        return []
    ids = {m.id for m in (mutants if mutants is not None else mutants_of(kata))}
    out = []
    for mid, why in kata.equivalent.items():
        if mid not in ids:
            out.append(f"kata {kata.number} in dojo/katas.py lists {mid!r} as an equivalent mutant, but the catalogue "
                       f"no longer makes it from solutions/{kata.file}: remove it from `equivalent`, or give it the "
                       f"id it has now (see `python -m dojo.mutants --list --kata {kata.number}`).")
        if not isinstance(why, str) or not why.strip() or "\n" in why.strip():
            out.append(f"equivalent mutant {mid!r} of kata {kata.number} in dojo/katas.py needs its reason "
                       "in one line: why this program is as correct as the solution.")
    return out


def sample(kata: Kata, mutants: list[Mutant], k: int) -> list[Mutant]:
    """A fixed sample of ``k`` mutants: ordered by a hash of kata and id, so the same on every machine and run,
    and adding a mutant to the catalogue does not change which of the others are chosen."""
    key = lambda m: hashlib.sha256(f"{kata.name}:{m.id}".encode()).hexdigest()  # noqa: E731
    chosen = {m.id for m in sorted(mutants, key=key)[:k]}
    return [m for m in mutants if m.id in chosen]


# -- running the kata's tests on a mutant -----------------------------------------------------------


@dataclass
class Outcome:
    verdict: str  # killed | survived | error
    status: str | None = None  # the class word of the first failing test, for a killed mutant
    test: str | None = None
    headline: str | None = None
    detail: str = ""  # for an error: what went wrong, in pytest's words
    seconds: float = 0.0


def classify(returncode: int, results: dict | None, output: str) -> Outcome:
    """What one pytest run of the kata's tests says about a mutant.

    Killed only when a test failed with a class (a file that cannot run at
    all is a CRASH); survived only when pytest passed tests and failed none.
    Anything else (pytest itself broke, a test failed without a class, no
    test ran) is an error: it says nothing about the mutant.
    """
    tail = "\n".join(output.strip().splitlines()[-15:])
    if results is None:
        return Outcome("error", detail=f"pytest wrote no results (exit code {returncode}):\n{tail}")
    tests = results.get("tests", [])
    failed = [t for t in tests if t["outcome"] in ("failed", "error")]
    judged = [t for t in failed if t.get("status") in CLASSES]
    if judged:
        t = judged[0]
        return Outcome("killed", t["status"], t["nodeid"], t.get("headline"))
    if failed:
        return Outcome("error", test=failed[0]["nodeid"],
                       detail=f"a test failed without a dojo class (the test or the harness broke, which says "
                              f"nothing about the mutant):\n{tail}")
    if returncode == 0 and any(t["outcome"] == "passed" for t in tests):
        return Outcome("survived")
    return Outcome("error", detail=f"pytest ended with exit code {returncode} and no failing test:\n{tail}")


def run_mutant(kata: Kata, mutant: Mutant, pytest_args: tuple = ()) -> Outcome:
    """The kata's tests on one mutant, in a pytest of its own, as a learner's file is run."""
    work = tempfile.mkdtemp(prefix=f"dojo-mutant-{kata.number}-")
    began = time.monotonic()
    try:
        target = os.path.join(work, "target")
        os.mkdir(target)
        with open(os.path.join(target, kata.file), "w", encoding="utf-8") as f:
            f.write(mutant.source)
        results = os.path.join(work, "results.json")
        cmd = [sys.executable, "-m", "pytest", f"tests/test_{kata.file}", f"--target={target}", f"--results={results}",
               "--lang=en", "-q", "-x", "-p", "no:cacheprovider", *pytest_args]
        try:
            done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=RUN_LIMIT)
        except subprocess.TimeoutExpired:
            return Outcome("error", detail=f"pytest ran longer than {RUN_LIMIT} s", seconds=time.monotonic() - began)
        try:
            with open(results, encoding="utf-8") as f:
                found = json.load(f)
        except (OSError, ValueError):
            found = None
        outcome = classify(done.returncode, found, done.stdout + done.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    outcome.seconds = round(time.monotonic() - began, 1)
    return outcome


# -- the command -------------------------------------------------------------------------------------


def _list(chosen: list[tuple[Kata, list[Mutant], list[Mutant]]]) -> int:
    """Show the mutants (or the sample) of each kata; a stale justification is an error, as in a run."""
    problems = []
    for kata, every, shown in chosen:
        of = f" (a sample of {len(shown)} of {len(every)})" if len(shown) != len(every) else ""
        print(f"kata {kata.number} {kata.slug}: {len(shown)} mutants{of}")
        for m in shown:
            mark = "  (equivalent)" if m.id in kata.equivalent else ""
            print(f"  {m.id:44} {m.description}{mark}")
        problems += stale_equivalents(kata, every)  # against every mutant: the sample leaves most of them out
    for p in problems:
        print(f"STALE: {p}")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dojo.mutants",
        description="Run each kata's tests on mutants of its reference solution: every mutant must be killed, "
                    "or be listed in dojo/katas.py as equivalent with a reason.")
    parser.add_argument("--kata", action="append", metavar="N", help="only kata N (repeatable)")
    parser.add_argument("--sample", type=int, metavar="K", help="a fixed sample of K mutants per kata (for CI)")
    parser.add_argument("--list", action="store_true", help="show the mutants and stop, without running them")
    parser.add_argument("--json", metavar="FILE", help="write every mutant's outcome as JSON")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="mutants run at once (default: the number of cores)")
    opt = parser.parse_args(argv)

    katas = KATAS
    if opt.kata:
        katas = []
        for name in opt.kata:
            kata = find(name)
            if kata is None:
                parser.error(f"--kata {name}: no such kata. Known: {', '.join(k.name for k in KATAS)}")
            katas.append(kata)
    chosen = []
    for kata in katas:
        mutants = mutants_of(kata)
        chosen.append((kata, mutants, sample(kata, mutants, opt.sample) if opt.sample is not None else mutants))
    if opt.list:
        return _list(chosen)

    stale = [p for kata, every, _ in chosen for p in stale_equivalents(kata, every)]
    jobs = [(kata, m) for kata, _, run in chosen for m in run]
    outcomes: dict[tuple[str, str], Outcome] = {}
    began = time.monotonic()
    print(f"{len(jobs)} mutants of {len(chosen)} solution(s), {max(1, opt.jobs)} at a time"
          + (f" (a fixed sample of {opt.sample} per kata)" if opt.sample is not None else ""), flush=True)
    with ThreadPoolExecutor(max_workers=max(1, opt.jobs)) as pool:
        futures = {pool.submit(run_mutant, kata, m): (kata, m) for kata, m in jobs}
        for done, future in enumerate(as_completed(futures), 1):
            kata, m = futures[future]
            o = outcomes[kata.number, m.id] = future.result()
            word = {"killed": f"killed ({o.status})", "survived": "SURVIVED", "error": "ERROR"}[o.verdict]
            print(f"[{done:3}/{len(jobs)}] {kata.number} {m.id:44} {word:18} {o.seconds:5.1f}s", flush=True)
    wall = time.monotonic() - began

    bad = list(stale)
    report, lines = {}, []
    for kata, every, run in chosen:
        rows = []
        counts = {"killed": 0, "survived": 0, "equivalent": 0, "error": 0}
        for m in run:
            o = outcomes[kata.number, m.id]
            listed = m.id in kata.equivalent
            verdict = "equivalent" if o.verdict == "survived" and listed else o.verdict
            counts[verdict] += 1
            rows.append({"id": m.id, "operator": m.operator, "description": m.description, "outcome": verdict,
                         **{k: v for k, v in asdict(o).items() if k != "verdict"},
                         "diff": m.diff(_read(solution_path(kata)), f"solutions/{kata.file}")})
            if verdict == "survived":
                bad.append(f"SURVIVED: kata {kata.number} {m.id}: {m.description}\n"
                           + textwrap.indent(rows[-1]["diff"], "    "))
            elif verdict == "error":
                bad.append(f"ERROR: kata {kata.number} {m.id}: {m.description}\n" + textwrap.indent(o.detail, "    "))
            elif listed and o.verdict == "killed":
                bad.append(f"KILLED BUT LISTED AS EQUIVALENT: kata {kata.number} {m.id} ({o.status} in {o.test}): "
                           "the tests reject this program. If it is wrong, remove it from `equivalent` in "
                           "dojo/katas.py; if it is right, the tests reject a correct program.")
        total = len(run)
        of = f" (a sample of {total} of {len(every)})" if total != len(every) else ""
        lines.append(f"kata {kata.number} {kata.slug:22} killed {counts['killed']}/{total} "
                     f"(equivalent: {counts['equivalent']}){of}"
                     + (f", survived: {counts['survived']}" if counts["survived"] else "")
                     + (f", errors: {counts['error']}" if counts["error"] else ""))
        report[kata.name] = {"total": total, "of": len(every), **counts, "mutants": rows}
    print()
    for problem in bad:
        print(problem)
    if bad:
        print()
    print("\n".join(lines))
    print(f"wall time: {wall:.0f} s")
    if opt.json:
        with open(opt.json, "w", encoding="utf-8") as f:
            json.dump({"created": time.time(), "wall_seconds": round(wall, 1), "sample": opt.sample,
                       "katas": report}, f, indent=1)
    return 1 if bad else 0


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


if __name__ == "__main__":
    sys.exit(main())
