"""Words a reader does not decode as language: names of machines, files and code.

Readability formulas count long words (LIX) or syllables (Flesch) because long everyday
words are slow to read. A host name, a path, an identifier, an acronym or a number is
not: the reader copies or recognises it, and the writer cannot replace it with a shorter
everyday word. So these words still count as words (they make a sentence longer), but
never as long or many-syllable ones. Without this, an IT procedure full of host names is
told to "use shorter words" it cannot use.
"""

from __future__ import annotations

import re
from typing import Any

# A word with a digit ("rhel9", "2024", "08:00"), an inner dot, slash or colon
# ("koji.fedoraproject.org", "etc/hosts", "dnf.conf"), a lower-case letter followed by a
# capital ("OpenShift", "iPhone", "getUser"), or only capitals and at least two letters
# ("NOTAM", "ATC", "IT", "MAS").
_TECHNICAL_WORD = re.compile(r"[0-9]|\w[./:]\w|[a-zà-þ][A-ZÀ-Þ]|^[A-ZÀ-Þ]{2,}$")

# A whitespace-separated chunk of text that is code or a path even though the tokeniser
# splits it into plain-looking words: "ipa_admin_password", "--force", "key=value",
# "/var/log", "~/.ssh", "C:\\Temp", "user@host", "$HOME", "{name}", "a->b".
_CODE_CHUNK = re.compile(r"\w_\w|=|\\|@|\$|[{}<>]|^[\"'(]*(?:--?\w|/\w|~/)|->|::")
# Cheap test first (one character class, then three short pairs): most sentences have
# none of these, and are not split into chunks.
MAY_HAVE_CODE = re.compile(r"[_=\\@${}<>~]|-[->]|::|/\w")

_PIECE = re.compile(r"[^\W_]+")  # the letters and digits between any separators

# What a code chunk's words become: a "word" that is technical by itself.
CODE_WORD = "0"


_SEEN: dict[str, bool] = {}  # word -> is_technical(word); the vocabulary is small
# The most words a per-process memo keeps: the vocabulary of real SOPs fits many times
# over, and a text of endless distinct words (a fuzzer, a pasted dump) cannot grow the
# memo without end. Past it, the memo starts again.
MAX_REMEMBERED_WORDS = 50_000


def remember(memo: dict[str, Any], word: str, value: Any) -> Any:
    """Store ``value`` for ``word`` in ``memo`` (emptied first when full); return it."""
    if len(memo) >= MAX_REMEMBERED_WORDS:
        memo.clear()
    memo[word] = value
    return value


def is_technical(word: str) -> bool:
    """Whether ``word`` names a machine, file, code or acronym rather than being a word
    of the language: such a word is never long and has one syllable for readability."""
    seen = _SEEN.get(word)
    if seen is None:
        seen = remember(_SEEN, word, _TECHNICAL_WORD.search(word) is not None)
    return seen


def mark_code_chunks(text: str, words: list[str]) -> list[str]:
    """``words`` (the words of ``text``, in order) with every word that belongs to a
    code-like chunk of ``text`` replaced by :data:`CODE_WORD`.

    The check is cheap for ordinary prose: only text with one of ``_ = \\ @ $ { } < > ~``,
    ``--``, ``->``, ``::`` or a slash before a letter is split into chunks.
    """
    if not MAY_HAVE_CODE.search(text):
        return words
    code_parts: list[str] = []
    for chunk in text.split():
        if _CODE_CHUNK.search(chunk):
            code_parts.extend(_PIECE.findall(chunk))
    if not code_parts:
        return words
    # Walk both sequences: a word is code when its letters are the next code parts.
    pending = code_parts
    marked: list[str] = []
    for word in words:
        pieces = [word] if word.isalnum() else _PIECE.findall(word)
        if pieces and pending[: len(pieces)] == pieces:
            marked.append(CODE_WORD)
            pending = pending[len(pieces) :]
        else:
            marked.append(word)
    return marked
