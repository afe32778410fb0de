"""Reading an uploaded statutes text: .docx, .pdf (text layer), .md, .txt and .html, each with a
maintained library, into one shape: a list of blocks (a paragraph, list item, table cell or line),
with the heading level where the format knows it.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath

from advisor.errors import InputError

SUFFIXES = (".docx", ".pdf", ".md", ".txt", ".html", ".htm")
HEADING_CHARS = 100  # a heading is a short line


@dataclass(frozen=True)
class Block:
    text: str
    level: int | None = None  # heading level (1 = title) when the format marks headings


@dataclass(frozen=True)
class Document:
    name: str
    format: str  # docx | pdf | md | txt | html
    blocks: tuple[Block, ...]

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


def read_document(raw: bytes, filename: str) -> Document:
    """The blocks of an uploaded file; a Dutch InputError for what cannot be read."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"{filename or 'bestand'}: onbekend bestandstype '{suffix or '(geen)'}'; "
                         "kies een .docx, .pdf, .md, .txt of .html")
    if not raw.strip():
        raise InputError(f"{filename}: het bestand is leeg")
    fmt = "html" if suffix == ".htm" else suffix[1:]
    reader = {"docx": _docx, "pdf": _pdf, "md": _markdown, "txt": _plain, "html": _html}[fmt]
    blocks = [b for b in reader(raw, filename) if b.text]
    if not blocks:
        raise InputError(f"{filename}: het bestand bevat geen leesbare tekst")
    return Document(filename, fmt, tuple(blocks))


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u00ad", "").replace("\t", " ")
    return re.sub(r"[ \u2000-\u200b]+", " ", text).strip()


def _decode(raw: bytes, filename: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    best = from_bytes(raw).best()
    if best is None:
        raise InputError(f"{filename}: het bestand is geen tekst (onbekende tekenset)")
    return str(best)


# ---------------------------------------------------------------- the formats

def _docx(raw: bytes, filename: str) -> list[Block]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from advisor.intake import check_archive
    check_archive(raw, filename)
    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception:  # noqa: BLE001 - python-docx raises several kinds for a damaged file
        raise InputError(f"{filename}: geen geldig Word-bestand (.docx)") from None
    out: list[Block] = []

    def paragraph(p: Paragraph) -> None:
        for line in p.text.split("\n"):  # a soft line break inside a paragraph
            out.append(Block(_clean(line), _docx_level(p)))

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph(Paragraph(child, document))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                for cell in row.cells:
                    for p in cell.paragraphs:
                        paragraph(p)
    return out


def _docx_level(p) -> int | None:
    """The heading level of a Word paragraph: its style, or a short line set wholly in bold."""
    runs = [r for r in p.runs if r.text.strip()]
    if runs and all(r.bold for r in runs) and len(p.text) <= HEADING_CHARS:
        return 4
    style = p.style
    while style is not None:
        name = (style.name or "").casefold()
        if name in ("title", "titel"):
            return 1
        match = re.match(r"(heading|kop) (\d)", name)
        if match:
            return int(match.group(2)) + 1
        style = style.base_style
    return None


def _pdf(raw: bytes, filename: str) -> list[Block]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and reader.decrypt("") == 0:
            raise InputError(f"{filename}: de PDF is beveiligd met een wachtwoord")
        pages = [(page.extract_text() or "").splitlines() for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise InputError(f"{filename}: geen geldige PDF") from None
    text = "\n".join(line for page in _without_page_furniture(pages) for line in page)
    if not text.strip():
        raise InputError(f"{filename}: de PDF heeft geen tekstlaag (een scan?); laad de Word-versie "
                         "of een PDF met tekst op")
    text = re.sub(r"(?<=[a-zà-ÿ])-\n(?=[a-zà-ÿ])", "", text)  # words hyphenated at a line end
    return [Block(_clean(line)) for line in text.splitlines()]


_PAGE_NUMBER = re.compile(r"^\s*(pagina|blz\.?|p\.)?\s*\d+(\s*(van|/)\s*\d+)?\s*$", re.IGNORECASE)
_LIST_MARK = re.compile(r"^\s*\d+\.\s*$")
FURNITURE_WINDOW = 5  # lines around a page number that may be a running header or footer


def _without_page_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Drop what a page prints around its text: the page number, and the lines beside it that repeat
    on other pages (a running title). Otherwise a page break cuts a sentence in two with them."""
    if len(pages) < 2:
        return pages
    seen: dict[str, int] = {}
    for lines in pages:
        for line in {line.strip() for line in lines}:
            seen[line] = seen.get(line, 0) + 1
    out = []
    for lines in pages:
        numbers = [i for i, line in enumerate(lines) if _PAGE_NUMBER.match(line) and line.strip()]
        near = {j for i in numbers for j in range(i - FURNITURE_WINDOW, i + FURNITURE_WINDOW + 1)}
        out.append([line for i, line in enumerate(lines)
                    if i not in numbers and not (i in near and (seen[line.strip()] > 1 or _LIST_MARK.match(line)))])
    return out


def _plain(raw: bytes, filename: str) -> list[Block]:
    return [Block(_clean(line)) for line in _decode(raw, filename).splitlines()]


@cache
def _markdown_parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_block_plugin
    return MarkdownIt("commonmark", {"html": False}).enable("table").use(attrs_block_plugin)


def _markdown(raw: bytes, filename: str) -> list[Block]:
    md = _markdown_parser()
    out: list[Block] = []
    level: int | None = None
    for tok in md.parse(_decode(raw, filename)):
        if tok.type == "heading_open":
            level = int(tok.tag[1])
        elif tok.type == "heading_close":
            level = None
        elif tok.type == "inline":
            parts: list[str] = []
            for child in tok.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type == "softbreak":
                    parts.append(" ")
                elif child.type == "hardbreak":
                    parts.append("\n")
            for line in "".join(parts).split("\n"):
                out.append(Block(_clean(line), level))
        elif tok.type in ("code_block", "fence"):
            out.extend(Block(_clean(line)) for line in tok.content.splitlines())
    return out


_HTML_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "dt", "dd", "pre",
                "blockquote", "div", "section", "article", "caption", "title")


def _html(raw: bytes, filename: str) -> list[Block]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decode(raw, filename), "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    out: list[Block] = []
    for el in soup.find_all(_HTML_BLOCKS):
        if el.find(_HTML_BLOCKS):
            # a container: only its own loose text, its blocks come on their own
            own = "".join(s for s in el.find_all(string=True, recursive=False))
            out.extend(Block(_clean(line)) for line in own.splitlines())
            continue
        level = int(el.name[1]) if re.fullmatch(r"h\d", el.name) else None
        out.extend(Block(_clean(line), level) for line in el.get_text().splitlines())
    return out
