"""The one sanitiser for user text on its way out: into a document (Markdown, and from it HTML,
Word and PDF) and onto a terminal.

- `visible`: characters that would act instead of show (control characters such as ESC or a
  carriage return, bidirectional overrides, non-characters such as U+FFFE, lone surrogates)
  become a visible escape `\\u001b`. Line breaks and tabs stay. Word's XML cannot hold most of
  them, and a terminal would obey them.
- `md_text`: user text inside Markdown stays one run of text: Markdown's special characters are
  escaped, its lines are joined by a space (a line break would end a table row or start a block),
  and a leading list or heading marker ("2. ", "- ", "+ ", "=") is escaped, so a name, a seat or
  a description can never add a list item, a heading, a table row or a party.
"""
from __future__ import annotations

import re
from typing import Any

_ACTING = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 and C1 control characters, except tab and line feed
    "\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings and overrides
    "\u2028\u2029"  # line and paragraph separators
    "\ufdd0-\ufdef\ufff9-\uffff"  # non-characters and interlinear annotation, U+FFFE, U+FFFF
    "\ud800-\udfff]"  # lone surrogates
)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>&~|#])")
_LEADING = re.compile(r"^(\d{1,9})([.)])|^([-+=])")


def visible(text: str) -> str:
    """Acting characters as visible escapes; a Windows line end is a line end."""
    text = text.replace("\r\n", "\n")
    return _ACTING.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def oneline(value: Any) -> str:
    """The lines joined by a space: for headings and names, which cannot hold a line break."""
    return " ".join(line.strip() for line in str(value).splitlines() if line.strip())


def md_text(value: Any) -> str:
    """User text as one run of Markdown text (see the module docstring)."""
    text = _MD_SPECIAL.sub(r"\\\1", oneline(visible(str(value))))
    return _LEADING.sub(_escape_marker, text)


def _escape_marker(m: re.Match[str]) -> str:
    return f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}"
