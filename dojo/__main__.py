"""``python -m dojo COMMAND`` (or ``dojo COMMAND``, the console script):

- ``hint N [K] [--lang en|zh]``: the hints of kata N, up to the K-th (mildest first).
  Hints come one at a time on purpose: try with the first before reading the next.
  ``pytest --hint`` is the same, remembered: each call shows one more.
- ``grade DIR --out OUT``, ``grade-class DIR --out OUT``, ``student-copy OUT``:
  for instructors (dojo/grading/command.py, docs/grading.md).
"""
import sys

from dojo.katas import KATAS, find
from dojo.lang import choose, say

USAGE = "usage: python -m dojo hint KATA [HOW_MANY] [--lang en|zh]     e.g. python -m dojo hint 01 2"
COMMANDS = ("usage: python -m dojo COMMAND …\n"
            "  hint KATA [HOW_MANY] [--lang en|zh]     the hints of a kata, e.g. python -m dojo hint 01 2\n"
            "  grade DIR --out OUT [-n N] [-k EXPR] [--kata N]         grade one submission\n"
            "  grade-class DIR --out OUT [-n N] [-k EXPR] [--kata N]   grade a class (one folder per student)\n"
            "  student-copy OUT                        the repository as students get it (no solutions)")


def hint(args: list[str], lang: str) -> int:
    if not args:
        print(USAGE)
        return 2
    kata = find(args[0])
    if kata is None:
        print(say(lang, f"There is no kata {args[0]!r}. The katas are: {', '.join(k.name for k in KATAS)}",
                  f"没有练习 {args[0]!r}。已有的练习：{', '.join(k.name for k in KATAS)}"))
        return 2
    try:
        upto = int(args[1]) if len(args) > 1 else 1
    except ValueError:
        print(say(lang, f"{args[1]!r} is not a number. {USAGE}", f"{args[1]!r} 不是数字。{USAGE}"))
        return 2
    upto = max(1, min(upto, len(kata.hints)))
    print(say(lang, f"Kata {kata.number} · {kata.title['en']}", f"练习 {kata.number} · {kata.title['zh']}"))
    for i, h in enumerate(kata.hints[:upto], 1):
        print("\n" + say(lang, f"Hint {i} of {len(kata.hints)}: {h['en']}", f"提示 {i}（共 {len(kata.hints)} 条）：{h['zh']}"))
    if upto < len(kata.hints):
        print("\n" + say(lang, f"One more hint: python -m dojo hint {kata.number} {upto + 1}",
                         f"再看一条提示：python -m dojo hint {kata.number} {upto + 1}"))
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] in (["grade"], ["grade-class"], ["student-copy"]):  # instructors' commands: options of their own
        from dojo.grading import command

        if argv[0] == "student-copy":
            return command.student_copy(argv[1:])
        return command.grade(argv[1:], single=argv[0] == "grade")
    option = None
    if "--lang" in argv:  # anywhere on the line, like pytest's options
        at = argv.index("--lang")
        option = argv[at + 1] if at + 1 < len(argv) else ""
        argv = argv[:at] + argv[at + 2:]
        if not option:
            print("--lang needs a value: en or zh.")
            return 2
    try:
        lang = choose(option)
    except ValueError as exc:
        print(exc)
        return 2
    if argv[:1] == ["hint"]:
        return hint(argv[1:], lang)
    print(COMMANDS)
    return 2


def run() -> None:
    """The ``dojo`` console script."""
    sys.exit(main(sys.argv[1:]))


if __name__ == "__main__":
    run()
