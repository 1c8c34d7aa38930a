"""The learner's own commands, and what the dojo remembers between runs.

``pytest --hint [N]`` and ``pytest --reset N`` do their work and end before
any test runs (see ``pytest_cmdline_main`` in dojo/plugin.py). What they need
to remember (the current kata, how many hints were shown, the learner's files
before a reset) lives in ``.dojo/`` at the repository root (dojo/state.py),
which git ignores: it is the learner's state, never part of the dojo.

``python katas/NN_slug.py`` (:func:`run_file`, called by the last lines of
every kata file) runs the kata's first test through the dojo.
"""
from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata

from dojo import katas as table
from dojo import solved
from dojo import state as dot_dojo  # "state" is the name of the dict this module reads and writes
from dojo.lang import say
from dojo.state import STATE_DIR


# -- the state folder -----------------------------------------------------------


def load_state(root: str) -> dict:
    return dot_dojo.read(root, "state.json")  # never written yet, or damaged: start afresh


def save_state(root: str, state: dict) -> None:
    dot_dojo.write(root, "state.json", state)


def remember_run(root: str, current: str | None, hint_shown: bool) -> None:
    """After a learner run: which kata is current, and that its report showed hint 1."""
    state = load_state(root)
    state["current"] = current
    if current and hint_shown:
        seen = state.setdefault("hints_seen", {})
        seen[current] = max(seen.get(current, 0), 1)
    try:
        save_state(root, state)
    except OSError:  # a read-only checkout: the dojo still works, it only forgets
        pass


def hints_seen(root: str, kata: table.Kata) -> int:
    return int(load_state(root).get("hints_seen", {}).get(kata.number, 0))


def runnable(kata: table.Kata) -> bool:
    return kata.gate is None


def current_kata(root: str) -> table.Kata | None:
    """The kata the last run stopped at; before any run, the first kata that can run here."""
    number = load_state(root).get("current")
    if number in table.BY_NUMBER:
        return table.BY_NUMBER[number]
    return next((k for k in table.KATAS if runnable(k)), None)


# -- words shared by the plugin ----------------------------------------------------


def title(kata: table.Kata, lang: str) -> str:
    return kata.title.get(lang) or kata.title["en"]


def kata_label(kata: table.Kata, lang: str) -> str:
    return say(lang, f"Kata {kata.number} · {title(kata, lang)}", f"练习 {kata.number} · {title(kata, lang)}")


def gate_reason(kata: table.Kata, lang: str) -> str:
    """Why a kata is skipped here, in the learner's language."""
    reason = kata.gate or ""
    version = ".".join(map(str, kata.min_python))
    if reason.startswith("needs Python"):
        return say(lang, f"needs Python {version} or newer", f"需要 Python {version} 或更新版本")
    return reason


def width(text: str) -> int:
    """Columns a text takes in a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


# -- pytest --hint [N] ------------------------------------------------------------


def next_hint(root: str, name: str, lang: str) -> tuple[str, int]:
    """The next hint of kata ``name`` (or of the current kata when empty); returns (text, exit code)."""
    if name:
        kata = table.find(name)
        if kata is None:
            known = ", ".join(k.number for k in table.KATAS)
            return say(lang, f"There is no kata {name!r}. The katas are: {known}. For example:  pytest --hint 01",
                       f"没有练习 {name!r}。已有的练习：{known}。例如：pytest --hint 01"), 4
    else:
        if "current" in load_state(root) and load_state(root)["current"] is None:  # the last run passed every kata
            return say(lang, "Your last run passed every kata it ran, so there is no current kata. "
                             "For the hints of a kata, name it:  pytest --hint 01",
                       "上一次运行的练习全部通过了，所以没有当前练习。要看某个练习的提示，请写上编号：pytest --hint 01"), 0
        kata = current_kata(root)
        if kata is None:
            return say(lang, "No kata can run on this Python, so there is no hint to give.",
                       "这个 Python 版本上没有可以运行的练习，所以没有提示。"), 1
    total = len(kata.hints)
    seen = hints_seen(root, kata)
    number = min(seen + 1, total)
    hint = kata.hints[number - 1]
    again = f"pytest --hint {kata.number}" if name else "pytest --hint"
    lines = [say(lang, f"{kata_label(kata, lang)} — hint {number} of {total}",
                 f"{kata_label(kata, lang)} — 第 {number} 条提示，共 {total} 条"), "",
             hint.get(lang) or hint["en"], ""]
    if seen >= total:
        lines.append(say(lang, f"You have now seen all {total} hints of kata {kata.number}; that was the last one again. "
                               f"All of them at once:  python -m dojo hint {kata.number} {total}",
                         f"练习 {kata.number} 的 {total} 条提示你都看过了；上面是最后一条。"
                         f"一次看全部：python -m dojo hint {kata.number} {total}"))
    elif number == total:
        lines.append(say(lang, f"That was the last hint of kata {kata.number}.",
                         f"这是练习 {kata.number} 的最后一条提示。"))
    else:
        lines.append(say(lang, f"Stuck still? The next hint:  {again}", f"还是卡住了？下一条提示：{again}"))
    state = load_state(root)
    state.setdefault("hints_seen", {})[kata.number] = max(seen, number)
    try:
        save_state(root, state)
    except OSError:
        pass
    return "\n".join(lines), 0


# -- pytest --reset N -------------------------------------------------------------


def _git(root: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", root, *args], capture_output=True, text=False, timeout=60)


def original(root: str, rel: str) -> tuple[bytes, str] | None:
    """The stub as the dojo gave it: (content, the commit it came from), or None without git history.

    The newest commit that changed the file and was not written by you (git's
    user.email) holds the dojo's latest version of the stub: your own commits
    are your work. If every commit is yours (you are the dojo's author), the
    first commit that added the file is the original.
    """
    try:
        me = _git(root, "config", "user.email").stdout.decode().strip()
        log = _git(root, "log", "--format=%H %ae", "--", rel)
    except (OSError, subprocess.SubprocessError):  # no git installed
        return None
    if log.returncode != 0:
        return None
    commits = [line.split(" ", 1) for line in log.stdout.decode().splitlines() if line.strip()]
    theirs = [sha for sha, *email in commits if not me or (email and email[0] != me)]
    for sha in theirs + [sha for sha, *_ in reversed(commits)]:
        shown = _git(root, "show", f"{sha}:{rel}")
        if shown.returncode == 0:  # a commit that deleted the file has nothing to show: try the next
            return shown.stdout, sha[:10]
    return None


def reset(root: str, name: str, lang: str) -> tuple[str, int]:
    """Put kata ``name``'s stub back as the dojo gave it, keeping the learner's version in .dojo/backup/."""
    kata = table.find(name or "")
    if kata is None:
        known = ", ".join(k.number for k in table.KATAS)
        return say(lang, f"There is no kata {name!r}. The katas are: {known}. For example:  pytest --reset 01",
                   f"没有练习 {name!r}。已有的练习：{known}。例如：pytest --reset 01"), 4
    # Starting a kata over means its next run is a real one, even if the learner later copies their
    # backup back unchanged (the record's key would match it again).
    solved.forget(root, kata.number)
    rel = f"katas/{kata.file}"
    path = os.path.join(root, "katas", kata.file)
    found = original(root, rel)
    if found is None:
        return say(lang, f"The dojo cannot reset {rel}: there is no git history here to take the original from. "
                         f"Copy {rel} from a fresh clone of the dojo (git clone …) over yours.",
                   f"无法重置 {rel}：这里没有 git 历史，找不到原始文件。"
                   f"请从重新克隆的 dojo（git clone …）里把 {rel} 复制过来，覆盖你的文件。"), 1
    content, sha = found
    try:
        with open(path, "rb") as f:
            mine = f.read()
    except FileNotFoundError:
        mine = None
    if mine == content:
        return say(lang, f"{rel} is already the original (commit {sha}): nothing to reset.",
                   f"{rel} 已经是原始版本（提交 {sha}），不需要重置。"), 0
    lines = []
    if mine is not None:
        backup_dir = os.path.join(root, STATE_DIR, "backup")
        os.makedirs(backup_dir, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = os.path.join(backup_dir, f"{kata.name}-{stamp}.py")
        n = 1
        while os.path.exists(backup):  # two resets in one second keep both versions
            n += 1
            backup = os.path.join(backup_dir, f"{kata.name}-{stamp}-{n}.py")
        shutil.copy2(path, backup)
        shown_backup = os.path.relpath(backup, root)
        lines.append(say(lang, f"Your version is saved as {shown_backup}. To undo the reset:  cp {shown_backup} {rel}",
                         f"你的版本保存在 {shown_backup}。要撤销重置：cp {shown_backup} {rel}"))
    with open(path, "wb") as f:
        f.write(content)
    lines.insert(0, say(lang, f"{rel} is back to its original stub (from commit {sha}).",
                        f"{rel} 已恢复为原始的练习文件（来自提交 {sha}）。"))
    lines.append(say(lang, f"Next: run  pytest --kata {kata.number}", f"下一步：运行 pytest --kata {kata.number}"))
    return "\n".join(lines), 0


# -- python katas/NN_slug.py ------------------------------------------------------

#: The last lines of every kata file (dojo/verify.py checks it): `python katas/NN_slug.py` runs the kata.
FOOTER = ('if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report\n'
          "    from dojo.learner import run_file\n"
          "    run_file(__file__)\n")


def run_file(path: str, argv: list[str] | None = None) -> None:
    """``python katas/NN_slug.py [pytest options]``: run the kata once, through the dojo, and print its report.

    That is how the lesson this dojo grew from ran its programs, and a learner
    will type it. Run bare, a kata would only hang (or, worse, exit 0 with
    nothing said); here it becomes one dojo run: the kata's first test, under
    the start method Python uses by default on this machine, with the report,
    the progress table and the next step. It never counts as solving the kata
    (one test is not all of them). The process becomes that pytest, so Ctrl+C
    and the exit code are pytest's. Inside that run, a kata whose file runs as
    a script (kata 15) comes back here, and these lines open the test's shop.
    """
    if os.environ.get("DOJO_RUN_DIR"):
        # Inside a dojo run, the dojo itself runs this file as a script (kata 15, entry "__main__"): these lines
        # open today's shop, the test's, with the file's own open_shop().
        from dojo.shop import Shop

        sys._getframe(1).f_globals["open_shop"](Shop.today())
        return
    argv = sys.argv[1:] if argv is None else argv
    full = os.path.abspath(path)
    root = os.path.dirname(os.path.dirname(full))
    lang = _lang_of(argv)
    kata = table.find(os.path.basename(full))
    tests = os.path.join(root, "tests", f"test_{kata.name}.py") if kata else ""
    if kata is None or os.path.basename(os.path.dirname(full)) != "katas" or not os.path.exists(tests):
        print(say(lang, f"{path} is not a kata of this dojo, so there is nothing to run it against. "
                        "Run a kata file from the katas/ folder of the dojo, for example:  python katas/01_sentinel.py",
                  f"{path} 不是这个 dojo 的练习，没有可以对照运行的测试。请运行 dojo 的 katas/ 文件夹里的练习文件，"
                  "例如：python katas/01_sentinel.py"))
        raise SystemExit(4)
    with open(tests, encoding="utf-8") as f:
        first = re.search(r"^def (test_\w+)", f.read(), re.M)
    default = multiprocessing.get_start_method()
    method = default if default in kata.methods else kata.methods[0]
    node = f"{tests}::{first[1]}[{method}]" if first else tests
    print(say(lang, f"{kata_label(kata, lang)}: one run through the dojo ({first[1] if first else 'its tests'}, "
                    f"start method {method}). Every test of the kata:  pytest --kata {kata.number}",
              f"{kata_label(kata, lang)}：在 dojo 里运行一次（{first[1] if first else '它的测试'}，启动方式 {method}）。"
              f"运行这个练习的全部测试：pytest --kata {kata.number}"), flush=True)
    os.execv(sys.executable, [sys.executable, "-m", "pytest", "-q", "--no-header", f"--rootdir={root}",
                              node, "--kata", kata.number, *argv])


def _lang_of(argv: list[str]) -> str:
    """The language asked for with --lang (as pytest would read it), else the locale's."""
    from dojo.lang import choose

    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if value:
            try:
                return choose(value)
            except ValueError:
                break  # pytest says so, in the same words as for any run
    return choose(None)
