"""Documents from Markdown: one Markdown source per document (a draft, a council decision, the
adviesnota), rendered to HTML, Word and PDF, and the clause markers read back from each format.

- Placeholders (`[in te vullen: ...]`, `[na te kijken: ...]`) are a Markdown inline rule: `<mark>`
  in HTML and PDF, a highlighted run in Word. Escaped brackets in user text never become one.
- Block attributes (`{#clause}`, `{.class}`) become ids and classes in HTML and PDF, and Word
  bookmarks (ids) and paragraph formatting (classes).
- Word: A4, every numbered list restarts at 1, a header with the title, "pagina X van Y" below;
  PDF: the same from the HTML's print style sheet (WeasyPrint). Both byte-deterministic.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from functools import cache
from html.parser import HTMLParser
from typing import Any, Iterable

from advisor.errors import AdvisorError
from advisor.render import render
from advisor.sanitise import visible

_PLACEHOLDER = re.compile(r"\[(?:in te vullen|na te kijken):\s[^\[\]]*\]")
_ANCHOR = re.compile(r"^\{#([a-z0-9-]+)\}$", re.MULTILINE)


DOCX_PROPERTY_CHARS = 255  # python-docx refuses a longer core property (the title of a long name)


class PdfUnavailable(AdvisorError):
    """WeasyPrint or the system libraries it loads (pango, harfbuzz) are missing."""


# ---------------------------------------------------------------- Markdown

def _placeholder_rule(state: Any, silent: bool) -> bool:
    if state.src[state.pos] != "[":
        return False
    match = _PLACEHOLDER.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("placeholder", "mark", 0)
        token.content = " ".join(match.group(0).split())
    state.pos = match.end()
    return True


def _render_placeholder(self: Any, tokens: list, idx: int, options: Any, env: Any) -> str:
    from markdown_it.common.utils import escapeHtml
    return f'<mark class="in-te-vullen">{escapeHtml(tokens[idx].content)}</mark>'


@cache
def markdown():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_block_plugin
    md = MarkdownIt("commonmark", {"html": False}).enable("table").use(attrs_block_plugin)
    md.inline.ruler.before("link", "placeholder", _placeholder_rule)
    md.add_render_rule("placeholder", _render_placeholder)
    return md


def title_of(source: str) -> str:
    first = next((line for line in source.splitlines() if line.startswith("# ")), "# Ontwerp")
    return first[2:].replace("\\", "")


def placeholders(source: str) -> list[str]:
    """The placeholders a Markdown document contains, as a reader sees them."""
    return [t.content for block in markdown().parse(source) if block.type == "inline"
            for t in block.children or [] if t.type == "placeholder"]


def convert(source: str, fmt: str, day: dt.date) -> bytes:
    """A Markdown document in one of the formats: md, html, docx or pdf."""
    if fmt == "md":
        return source.encode("utf-8")
    if fmt == "html":
        return to_html(source).encode("utf-8")
    if fmt == "docx":
        return to_docx(source, day)
    return to_pdf(to_html(source))


# ---------------------------------------------------------------- HTML and PDF

def to_html(source: str, title: str | None = None) -> str:
    return render("drafts/document.html.j2", title=title or title_of(source), body=markdown().render(source))


def to_pdf(html: str) -> bytes:
    """PDF from the HTML (its print style sheet: A4, header, page numbers) with WeasyPrint."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            "PDF kan niet gemaakt worden: WeasyPrint of de systeembibliotheken die het gebruikt "
            f"(pango, harfbuzz) ontbreken ({type(exc).__name__}: {exc}). Installeer ze (Debian: "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; daarna "
            "pip install weasyprint) of kies --format html of docx.") from None
    return weasyprint.HTML(string=html).write_pdf()


def pdf_text(content: bytes) -> list[str]:
    """The text of each page of a PDF."""
    from pypdf import PdfReader
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


# ---------------------------------------------------------------- Word

def to_docx(source: str, day: dt.date, title: str | None = None) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    title = visible(title or title_of(source))
    document = docx.Document()
    props = document.core_properties
    props.title = title if len(title) <= DOCX_PROPERTY_CHARS else title[:DOCX_PROPERTY_CHARS - 1] + "…"
    stamp = dt.datetime(day.year, day.month, day.day)  # deterministic: the same document, the same bytes
    props.created = props.modified = props.last_printed = stamp
    props.author = props.last_modified_by = "igs-advisor"
    props.revision = 1
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(22)
    header = section.header.paragraphs[0]
    header.text = title
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.runs[0].font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in ("pagina ", "PAGE", " van ", "NUMPAGES"):
        if part.isupper():
            _field(footer, part)
        else:
            footer.add_run(part).font.size = Pt(8)
    _Writer(document).write(markdown().parse(source))
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip_times(out.getvalue(), stamp)


def _field(paragraph: Any, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = paragraph.add_run("1")
    run.font.size = Pt(8)
    run._r.getparent().remove(run._r)
    field.append(run._r)
    paragraph._p.append(field)


class _Writer:
    """Walks markdown-it block tokens and writes Word paragraphs, lists and tables."""

    HEADINGS = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3"}
    TEXT_WIDTH_MM = 160  # A4 less the margins
    COLUMNS = {"bronnen": (0.3, 0.14, 0.56), "vormen": (0.12, 0.176, 0.176, 0.176, 0.176, 0.176)}  # table class -> shares

    def __init__(self, document: Any):
        self.document = document
        self.lists: list[tuple[str, int | None]] = []  # (style, numId of this list)
        self.bookmark = 0
        self.pending: dict[str, str] = {}  # attrs of the next block
        self.style: str | None = None
        self.css: str | None = None
        self.table: list[list[tuple[str, list[Any]]]] | None = None
        self.table_css: str | None = None
        self._style_ids: dict[str, str] = {}

    def write(self, tokens: list[Any]) -> None:
        for tok in tokens:
            kind = tok.type
            if self.table is not None:
                self._table_token(tok)
            elif kind == "table_open":
                self.table, self.table_css = [], tok.attrs.get("class")
            elif kind in ("bullet_list_open", "ordered_list_open"):
                ordered = kind == "ordered_list_open"
                self.lists.append(("List Number", self._new_numbering()) if ordered else ("List Bullet", None))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "heading_open":
                self.style = self.HEADINGS.get(tok.tag, "Heading 3")
                self.pending = dict(tok.attrs)
            elif kind == "paragraph_open":
                self.style = self.lists[-1][0] if self.lists else None
                self.pending = dict(tok.attrs)
            elif kind == "inline":
                self._paragraph(tok)

    def _paragraph(self, tok: Any) -> None:
        from docx.shared import Pt
        para = self.document.add_paragraph()
        if self.style:  # by style id: python-docx's lookup by name scans every style, per paragraph
            para._p.style = self._style_ids.setdefault(self.style, self.document.styles[self.style].style_id)
        if self.lists and self.lists[-1][1] is not None and self.style == "List Number":
            _set_numbering(para, self.lists[-1][1])
        css = self.pending.get("class", "")
        if "handtekening" in css or "bijlage" in css:
            para.paragraph_format.keep_with_next = True
        if "nieuwe-pagina" in css:
            para.paragraph_format.page_break_before = True
        anchor = self.pending.get("id")
        end = self._bookmark_start(para, anchor) if anchor else None
        inline_runs(para, tok.children or [], size=Pt(9) if "toelichting" in css else None)
        if end is not None:
            para._p.append(end)
        self.pending = {}

    def _bookmark_start(self, para: Any, name: str) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        self.bookmark += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.bookmark))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.bookmark))
        para._p.append(start)
        return end

    def _new_numbering(self) -> int:
        """A new w:num on the List Number definition, restarting at 1: lists never continue."""
        numbering = self.document.part.numbering_part.numbering_definitions._numbering
        style_num = self.document.styles["List Number"].element.pPr.numPr.numId.val
        abstract = numbering.num_having_numId(style_num).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    # tables: collected row by row, written at table_close
    def _table_token(self, tok: Any) -> None:
        assert self.table is not None
        if tok.type == "tr_open":
            self.table.append([])
        elif tok.type == "inline":
            self.table[-1].append((self._cell_kind, tok.children or []))
        elif tok.type in ("th_open", "td_open"):
            self._cell_kind = tok.type[:2]
        elif tok.type == "table_close":
            self._write_table(self.table, self.table_css or "")
            self.table = None

    def _write_table(self, rows: list[list[tuple[str, list[Any]]]], css: str) -> None:
        from docx.oxml import OxmlElement
        from docx.shared import Pt
        from docx.shared import Mm
        signature = "handtekening" in css
        width = max(len(r) for r in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        if not signature:
            table.style = self.document.styles["Table Grid"]
        shares = next((w for name, w in self.COLUMNS.items() if name in css and len(w) == width), None)
        if shares:
            table.autofit = False
            for j, share in enumerate(shares):
                table.columns[j].width = Mm(self.TEXT_WIDTH_MM * share)  # the grid, which LibreOffice reads
                for cell in table.columns[j].cells:
                    cell.width = Mm(self.TEXT_WIDTH_MM * share)  # and each cell, which Word reads
        for i, row in enumerate(rows):
            tr = table.rows[i]
            tr_pr = tr._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if i == 0 and not signature:
                tr_pr.append(OxmlElement("w:tblHeader"))  # the header row repeats on every page
            for j, (kind, children) in enumerate(row):
                para = tr.cells[j].paragraphs[0]
                inline_runs(para, children, size=Pt(10) if signature else Pt(8), bold=kind == "th")
                if signature:
                    para.paragraph_format.keep_with_next = i == 0
                    if i == 1:
                        para.paragraph_format.space_before = Pt(36)
                        if children:
                            _top_border(para)
        if signature:
            self.document.add_paragraph()


def _top_border(para: Any) -> None:
    """The line to sign on, just above the signatory's name."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "555555")):
        top.set(qn(key), value)
    borders.append(top)
    ppr = para._p.get_or_add_pPr()  # schema order: pBdr comes before shd, tabs, spacing, ind, jc
    ppr.insert_element_before(borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku",
                              "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
                              "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing",
                              "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                              "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                              "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _set_numbering(para: Any, num_id: int) -> None:
    num_pr = para._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def inline_runs(para: Any, children: Iterable[Any], size: Any = None, bold: bool = False) -> None:
    from docx.enum.text import WD_BREAK, WD_COLOR_INDEX
    strong = italic = False
    for child in children:
        if child.type == "strong_open":
            strong = True
        elif child.type == "strong_close":
            strong = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type == "hardbreak":
            para.add_run().add_break(WD_BREAK.LINE)
        elif child.type == "softbreak":
            para.add_run(" ")
        elif child.type in ("text", "code_inline", "placeholder"):
            run = para.add_run(visible(child.content))  # Word's XML cannot hold control characters
            if strong or bold:
                run.bold = True
            if italic:
                run.italic = True
            if size is not None:
                run.font.size = size
            if child.type == "placeholder":
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _fixed_zip_times(content: bytes, stamp: dt.datetime) -> bytes:
    """Word files are zip archives whose entries carry the time of writing: pin them."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------- markers read back

class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(v for k, v in attrs if k == "id" and v)


def anchors(content: bytes, fmt: str) -> set[str]:
    """The clause markers a rendered document contains, read from the format itself: Markdown
    block attributes, HTML ids, Word bookmarks, or PDF named destinations (the HTML ids) that
    land on a page with extracted text."""
    if fmt == "md":
        return set(_ANCHOR.findall(content.decode("utf-8")))
    if fmt == "html":
        parser = _Ids()
        parser.feed(content.decode("utf-8"))
        return parser.ids
    if fmt == "pdf":
        from pypdf import PdfReader
        reader = PdfReader(io.BytesIO(content))
        texts = [page.extract_text() or "" for page in reader.pages]
        found = set()
        for name, dest in reader.named_destinations.items():
            page = reader.get_destination_page_number(dest)
            if 0 <= page < len(texts) and texts[page].strip():
                found.add(str(name))
        return found
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return set(re.findall(r'<w:bookmarkStart [^>]*w:name="([^"]+)"', xml))
