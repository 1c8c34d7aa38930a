"""``python -m dojo hint N [K]``: the hints of kata N, up to the K-th (mildest first).

Hints come one at a time on purpose: try with the first before reading the next.
"""
import sys

from dojo.katas import KATAS, find

USAGE = "usage: python -m dojo hint KATA [HOW_MANY]     e.g. python -m dojo hint 01 2"


def hint(args: list[str]) -> int:
    if not args:
        print(USAGE)
        return 2
    kata = find(args[0])
    if kata is None:
        print(f"There is no kata {args[0]!r}. The katas are: {', '.join(k.name for k in KATAS)}")
        return 2
    try:
        upto = int(args[1]) if len(args) > 1 else 1
    except ValueError:
        print(f"{args[1]!r} is not a number. {USAGE}")
        return 2
    upto = max(1, min(upto, len(kata.hints)))
    print(f"Kata {kata.number} · {kata.title['en']} · {kata.title['zh']}")
    for i, h in enumerate(kata.hints[:upto], 1):
        print(f"\nHint {i}: {h['en']}\n提示 {i}：{h['zh']}")
    if upto < len(kata.hints):
        print(f"\nOne more hint: python -m dojo hint {kata.number} {upto + 1}")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["hint"]:
        return hint(argv[1:])
    print(USAGE)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
