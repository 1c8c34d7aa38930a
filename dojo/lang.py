"""The learner's language: English or Simplified Chinese.

Everything a learner reads is written in both languages; ``--lang`` (or the
locale, when it is not given) picks which one is shown.
"""
from __future__ import annotations

import locale
import os

LANGS = ("en", "zh")


def from_locale(environ=os.environ) -> str:
    """zh when the locale says Chinese (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else en."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        found = locale.getlocale()[0] or ""
    except ValueError:
        found = ""
    return "zh" if found.lower().startswith("zh") else "en"


def choose(option: str | None, environ=os.environ) -> str:
    """The language to show: the --lang option when given, else the locale's."""
    if option:
        option = option.lower()
        if option.startswith("zh") or option in ("cn", "chinese", "中文"):
            return "zh"
        if option.startswith("en") or option == "english":
            return "en"
        raise ValueError(f"--lang {option}: choose en (English) or zh (简体中文).")
    return from_locale(environ)


def say(lang: str | None, en: str, zh: str) -> str:
    """The text in the chosen language; both, English first, when lang is None."""
    if lang is None:
        return f"{en}\n{zh}"
    return zh if lang == "zh" else en


def pick(lang: str | None, en: str, zh: str) -> str:
    """One language for the body of a report: Chinese for zh, else English.

    Unlike :func:`say`, None gives English alone: the report body was English
    before there was a choice, and old callers keep exactly that.
    """
    return zh if lang == "zh" else en


class Text(str):
    """A learner-facing sentence: it *is* its English, and carries its Chinese.

    Being a ``str`` in English keeps every reader of the judge's text working
    unchanged (``"x" in text``, equality in tests, f-strings, JSON); the report
    picks ``.zh`` when the learner reads Chinese. Write both sentences side by
    side where the text is built, so they cannot drift apart.

    It is not a builtin str, though: where text leaves the process by a
    channel that takes builtin types only (execnet, under xdist), pass
    ``str(text)``; this is why a Finding keeps its headline as a plain str and
    its Chinese beside it. Any str operation (``+``, ``join``) gives plain
    English: build the Chinese alongside, never from the result.

    Text that is the same in every language (a traceback, a code line) stays a
    plain str: :func:`local` shows it as it is.
    """

    zh: str

    def __new__(cls, en: str, zh: str) -> "Text":
        self = super().__new__(cls, en)
        self.zh = zh
        return self

    def __reduce__(self):  # __new__ needs both languages: pickle (xdist, a child process) must pass both
        return Text, (str(self), self.zh)

    def __repr__(self) -> str:
        return f"Text({str(self)!r}, {self.zh!r})"


def local(text: str, lang: str | None) -> str:
    """``text`` as the learner reads it in ``lang``: a :class:`Text`'s Chinese for zh, any other str as it is."""
    if lang == "zh" and isinstance(text, Text):
        return text.zh
    return str(text)


def zh_list(names: list[str]) -> str:
    """diner-1、diner-2 和 diner-3: how a Chinese sentence lists names."""
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + " 和 " + names[-1]
