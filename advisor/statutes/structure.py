"""The articles of a statutes text: blocks -> units (an article, the preamble, an annex), each with
its label ("Artikel N"), its heading where it has one, and its sentences.

Statutes are written in many styles: "Artikel N. Duur", "Art. N - Duur", "ARTIKEL N" with the
heading on the next line or on the line before, or no heading at all ("Art. N. De vereniging wordt
opgericht voor ..."). A text without article numbers is cut at its headings, else per paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from advisor.statutes.reading import HEADING_CHARS, Block, Document
from advisor.statutes.text import normalise

_ARTICLE = re.compile(
    r"^(?:art(?:ikel)?\.?|article)\s*(\d+(?:\.\d+)*\s?(?:bis|ter|quater|quinquies|[a-z])?)\b\.?\s*"
    r"(?:[.:)\-\u2013\u2014]+\s*)?(.*)$", re.IGNORECASE)
_CHAPTER = re.compile(
    r"^(?:titel|hoofdstuk|afdeling|onderafdeling|subafdeling|deel|sectie|bijlage|bijlagen|"
    r"afdeling|partijen|aanhef|overwegingen|slotbepaling(?:en)?|overgangsbepaling(?:en)?)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=[A-ZÀ-Ý§(\[\"'“‘])")


@dataclass
class Unit:
    label: str  # "Artikel N", "Aanhef", a heading, "Alinea N"
    heading: str = ""
    lines: list[str] = field(default_factory=list)
    chapter: str = ""  # the title or chapter it stands in
    kind: str = "article"  # article | preamble (what precedes the first article) | section (an annex)

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def sentences(self) -> list[str]:
        """The sentences of the unit; lines of a wrapped paragraph (PDF, text) are joined first."""
        return [s.strip() for s in _SENTENCE_END.split(self.text) if s.strip()]

    @property
    def heading_key(self) -> str:
        return normalise(self.heading)


_VERB = re.compile(r"\b(is|zijn|wordt|worden|werd|heeft|hebben|kan|kunnen|draagt|bestaat|mag|moet|zal|"
                   r"zullen|heet|telt|geldt|gebeurt)\b", re.IGNORECASE)


def _is_heading_like(text: str) -> bool:
    """A short line without closing punctuation or a verb: a heading in a text that marks none."""
    words = text.split()
    return (0 < len(words) <= 9 and len(text) <= HEADING_CHARS and not re.search(r"[.;:,]$", text)
            and (text[0].isupper() or text[0].isdigit()) and "[" not in text and not _VERB.search(text))


def _article_head(block: Block) -> tuple[str, str] | None:
    """(number, rest) when the block starts an article."""
    match = _ARTICLE.match(block.text)
    if not match:
        return None
    number, rest = match.group(1).replace(" ", ""), match.group(2).strip()
    prefix = block.text[: match.start(2)]
    # "Artikel 5 is van toepassing ...": a reference in a sentence, not an article
    if rest and rest[0].islower() and not re.search(r"[.:)\-\u2013\u2014]\s*$", prefix):
        return None
    if re.match(r"^(van|bis|ter)\b", rest, re.IGNORECASE):
        return None
    return number, rest


def _split_heading(rest: str, is_heading_block: bool) -> tuple[str, str]:
    """Split "Duur. De vereniging ..." or "Duur - De vereniging ..." into heading and text."""
    if not rest:
        return "", ""
    if is_heading_block:
        return rest.rstrip(". "), ""
    match = re.match(r"^(.{1,80}?)(?:\.\s+|\s+[\-\u2013\u2014]\s+|:\s+)(?=[A-ZÀ-Ý§(\[])(.*)$", rest)
    if match and len(match.group(1).split()) <= 8 and not _VERB.search(match.group(1)):
        return match.group(1).strip(), match.group(2).strip()
    if _is_heading_like(rest.rstrip(".")) and len(rest.split()) <= 8:
        return rest.rstrip(". "), ""
    return "", rest


def units(document: Document, commentary: re.Pattern[str] | None = None) -> list[Unit]:
    """The units of the text; a heading matching `commentary` (normalised) ends the text proper."""
    blocks = list(document.blocks)
    if commentary is not None:
        end = next((i for i, b in enumerate(blocks) if (b.level is not None or _is_heading_like(b.text))
                    and commentary.fullmatch(normalise(b.text).rstrip(". :"))), len(blocks))
        blocks = blocks[:end]
    heads = [_article_head(b) for b in blocks]
    if sum(h is not None for h in heads) >= 3:
        return _by_articles(blocks, heads)
    if sum(b.level is not None and b.level > 1 for b in blocks) >= 3:
        return _by_headings(blocks)
    return [Unit(label=f"Alinea {i}", lines=[b.text], kind="section")
            for i, b in enumerate(blocks, start=1)]


def _by_articles(blocks: list[Block], heads: list[tuple[str, str] | None]) -> list[Unit]:
    out: list[Unit] = [Unit(label="Aanhef", kind="preamble")]
    current = out[0]
    chapter = ""
    chapter_units: dict[str, list[Unit]] = {}
    pending: str | None = None  # a heading line standing before the article it names
    for i, (block, head) in enumerate(zip(blocks, heads)):
        if head is not None:
            number, rest = head
            heading, text = _split_heading(rest, block.level is not None)
            current = Unit(label=f"Artikel {number}", heading=heading, chapter=chapter)
            if not heading and pending:
                current.heading = pending
            pending = None
            if text:
                current.lines.append(text)
            out.append(current)
            chapter_units.setdefault(chapter, []).append(current)
            continue
        text = block.text
        following = heads[i + 1] if i + 1 < len(heads) else None
        is_chapter = bool(_CHAPTER.match(text)) and len(text) <= 160
        higher = (block.level is not None and current.kind == "article" and block.level <= 2)
        if is_chapter or higher or (block.level is not None and current.kind != "article"):
            chapter = text
            pending = None
            before = len(out) == 1 or out[-1].kind == "preamble" and not chapter_units
            current = Unit(label=text.rstrip(". "), heading=text, kind="preamble" if before else "section",
                           chapter=text)
            out.append(current)
            continue
        if current.kind == "article" and not current.heading and not current.lines and _is_heading_like(text):
            current.heading = text  # "Artikel N" then "Duur" on the next line
            continue
        if following is not None and _is_heading_like(text) and (text.isupper() or block.level is not None):
            pending = text  # "DUUR" then "Artikel N"
            continue
        if pending:
            current.lines.append(pending)
            pending = None
        current.lines.append(text)
    # a chapter with a single article that has no heading of its own names that article
    for name, members in chapter_units.items():
        if name and len(members) == 1 and not members[0].heading:
            members[0].heading = re.sub(_CHAPTER, "", name).strip(" .:-\u2013IVXLC0123456789")
    return [u for u in out if u.lines or u.heading and u.kind == "article"]


def _by_headings(blocks: list[Block]) -> list[Unit]:
    out: list[Unit] = [Unit(label="Aanhef", kind="preamble")]
    for block in blocks:
        if block.level is not None and block.level > 1:
            out.append(Unit(label=block.text, heading=block.text, kind="section"))
        elif block.level == 1:
            out[0].lines.append(block.text)
        else:
            out[-1].lines.append(block.text)
    return [u for u in out if u.lines or u.heading]
