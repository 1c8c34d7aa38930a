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
