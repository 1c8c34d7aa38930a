"""What the judge finds: one class word, then plain words, in English and Chinese."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from dojo.lang import Text


class Status(str, Enum):
    PASS = "PASS"
    HANG = "HANG"
    LOST = "LOST"
    DUPLICATE = "DUPLICATE"
    CRASH = "CRASH"
    LEAK = "LEAK"
    WRONG = "WRONG"


@dataclass
class Finding:
    """One broken promise, in English and Chinese.

    The judge writes ``headline`` as a :class:`dojo.lang.Text` (the English
    with its Chinese); the finding keeps ``headline`` a plain English ``str``
    and the Chinese in ``headline_zh``, because other code passes the headline
    on where only builtin types go (xdist sends a test's user_properties
    through execnet, which refuses a str subclass) or reads it as English
    (verify mode, the results JSON). :attr:`said` gives both back for the
    report. Each of ``details`` is a Text, or a plain str where it reads the
    same in every language (a code line).
    """

    status: Status
    headline: str
    details: list[str] = field(default_factory=list)
    role: str = ""  # the process it is about, where there is one
    headline_zh: str = ""
    #: the test provoked it on purpose (a bad bun the shop hands a diner): what it then leaves waiting for
    #: ever is the learner's bug, so a hang is named before it (see Verdict.status)
    provoked: bool = False

    def __post_init__(self):
        if isinstance(self.headline, Text):
            self.headline, self.headline_zh = str(self.headline), self.headline.zh

    @property
    def said(self) -> Text:
        """The headline in both languages (English again where no Chinese was written)."""
        return Text(self.headline, self.headline_zh or self.headline)


def said(word: str, what: Text) -> Text:
    """A finding's first line: the class word, untranslated so it can be grepped, then the plain words."""
    return Text(f"{word}: {what}", f"{word}：{what.zh}")


def plain(items) -> list[str]:
    """Buns as prose names them: bun 1-0 (a default bun), bun 0, bun '' (any other value, exact)."""
    return [i[1:-1] if i.startswith("'bun ") else f"bun {i}" for i in items]
