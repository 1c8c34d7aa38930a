"""Text as the tools that read it need it: cut with a true notice, safe in a table cell and in XML."""
from __future__ import annotations

import re

# XML 1.0 allows tab, newline, carriage return and these ranges; nothing else, not even escaped
# (ESC, NUL, BEL and form feed from a student's output would make the file unreadable to Jenkins and GitLab).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_RUN_FOLDER = re.compile(r"/[^\s'\"]*?/dojo-run-[0-9a-z-]+")


def cut(text: str, limit: int, what: str = "characters") -> str:
    """``text``, or its start and one line that says how much was left out (and nothing untrue about where)."""
    if len(text) <= limit:
        return text
    notice = f"\n[… {{}} more {what} not shown …]"
    room = limit - len(notice.format(len(text)))
    return text[:room] + notice.format(len(text) - room)


def cell(text: str, limit: int = 200) -> str:
    """One Markdown table cell: one line, ``|`` escaped, cut with an inline notice."""
    flat = " ".join(xml_safe(text).split()).replace("|", "\\|")
    if len(flat) <= limit:
        return flat
    notice = " […{} more characters]"
    room = limit - len(notice.format(len(flat)))
    return flat[:room] + notice.format(len(flat) - room)


def xml_safe(text: str) -> str:
    """Characters XML 1.0 cannot hold, shown as ``\\x1b`` (visible, and not lost without a trace)."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else "\ufffd", text)


def scrub(text: str, *folders: str) -> str:
    """The grader's own paths out of what a student sees: ``folders`` (and run folders) become relative."""
    for folder in sorted((f.rstrip("/") for f in folders if f), key=len, reverse=True):
        text = text.replace(folder + "/", "")
    return _RUN_FOLDER.sub("<run folder>", text)
