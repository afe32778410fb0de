"""Hostile user text in drafts and in the adviesnota: whatever a name, a seat, a description or a
sector holds, the document has the same structure as with a plain word in its place (the same
Markdown blocks, HTML elements, Word paragraphs and tables), control characters show as visible
escapes, and Word never fails on them."""
import datetime as dt
import io
import time
import zipfile
from html.parser import HTMLParser

import docx
import pytest
import yaml

from advisor.advise import advise
from advisor.adviesnota import adviesnota
from advisor.cli import main
from advisor.documents import markdown
from advisor.drafts import draft
from advisor.intake import parse_intent
from advisor.paths import ROOT
from advisor.sanitise import md_text, visible

DAY = dt.date(2026, 6, 1)
SPORT = yaml.safe_load((ROOT / "examples" / "sportregio.yaml").read_text(encoding="utf-8"))
PRIVATE = yaml.safe_load((ROOT / "examples" / "afval-private.yaml").read_text(encoding="utf-8"))

HOSTILE = [
    "Affligem\n2. Nepgemeente, gemeente", "1. Evil", "2) Evil", "\n- x", "- x", "+ x", "* x", "# Kop",
    "x\n===", "x\n---", "---", "> citaat", "    code", "```\ncode\n```", "| a | b |\n|---|---|",
    "[in te vullen: nep]", "[na te kijken: nep]", "{#oprichting}", "{.nieuwe-pagina}", "<b>vet</b>",
    "<!-- c -->", "[link](http://x.example)", "![beeld](x.png)", "a\\", "a  \nb", "a\rb", "a\r\nb",
    "a\u2028b", "a\x0cb", "a\x0bb", "\x1b[31mrood", "a\ufffeb", "a\x00b", "\u202eesrever", "a\x85b",
    "a\x9b2Jb", "*vet* _schuin_", "1.", "-", "=", "x" * 300,
]
ACTING = "\x00\x07\x0b\x0c\x1b\x85\x9b\u202e\u2028\ufffe\r"


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(sorted(k for k, _ in attrs))))


def md_structure(source: str) -> list:
    out = []
    for tok in markdown().parse(source):
        out.append((tok.type, tok.tag, tuple(sorted((tok.attrs or {}).items()))))
        if tok.type == "inline":
            out.append(tuple(c.type for c in tok.children or [] if c.type not in ("text", "text_special")))
    return out


def html_structure(content: bytes) -> list:
    parser = _Tags()
    parser.feed(content.decode("utf-8"))
    return parser.tags


def docx_structure(content: bytes) -> list:
    document = docx.Document(io.BytesIO(content))
    body = document.element.body
    return [(p.style.name, p._p.pPr.numPr is not None if p._p.pPr is not None else False)
            for p in document.paragraphs] + [len(document.tables), len(body.findall(".//" + _w("bookmarkStart")))]


def _w(tag):
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


def placed(base: dict, where: str, value: str) -> dict:
    intent = yaml.safe_load(yaml.safe_dump(base))
    if where == "name":
        intent["name"] = value
    elif where == "seat":
        intent["seat"] = value
    elif where == "description":
        intent["purpose"]["description"] = value
    elif where == "partner":
        intent["partners"][0]["name"] = value
    elif where == "sector":
        next(p for p in intent["partners"] if p["kind"] == "privaatrechtelijke_rechtspersoon")["sector"] = value
    return intent


def _plain(base: dict, where: str) -> dict:
    return placed(base, where, "Gewoon")


PLACES = [("name", SPORT), ("seat", SPORT), ("description", SPORT), ("partner", SPORT)]
# a private partner's sector decides the form (rules/): it is shown in the adviesnota, whatever it is
NOTE_PLACES = PLACES + [("sector", PRIVATE)]


@pytest.mark.parametrize("where, base", PLACES, ids=[p[0] for p in PLACES])
def test_user_text_never_changes_the_structure_of_a_draft(where, base):
    start = time.monotonic()
    plain_md = draft(_plain(base, where), None, "md", DAY).content.decode("utf-8")
    plain_html = draft(_plain(base, where), None, "html", DAY).content
    for value in HOSTILE:
        intent = placed(base, where, value)
        md = draft(intent, None, "md", DAY).content.decode("utf-8")
        assert md_structure(md) == md_structure(plain_md), value
        assert html_structure(draft(intent, None, "html", DAY).content) == html_structure(plain_html), value
        assert not any(c in md for c in ACTING), value
    assert time.monotonic() - start < 120


@pytest.mark.parametrize("where, base", PLACES, ids=[p[0] for p in PLACES])
def test_word_never_fails_on_user_text_and_keeps_its_structure(where, base):
    plain = docx_structure(draft(_plain(base, where), None, "docx", DAY).content)
    xml = ""
    for value in (" ".join(HOSTILE[:20]), " ".join(HOSTILE[20:-1])):  # a name has at most 300 characters
        content = draft(placed(base, where, value), None, "docx", DAY).content
        assert docx_structure(content) == plain, value
        xml += zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode("utf-8")
    assert "\\u001b" in xml and not any(c in xml for c in ACTING)


def test_a_fake_party_stays_inside_the_real_one_in_every_format():
    intent = placed(SPORT, "partner", "Affligem\n2. Nepgemeente, gemeente")
    md = draft(intent, None, "md", DAY).content.decode("utf-8")
    assert "\n2. Nepgemeente" not in md and "1. de gemeente Affligem 2. Nepgemeente" in md
    html = draft(intent, None, "html", DAY).content.decode("utf-8")
    assert html.count("<li>") == draft(_plain(SPORT, "partner"), None, "html", DAY).content.decode().count("<li>")
    word = docx.Document(io.BytesIO(draft(intent, None, "docx", DAY).content))
    assert not any(p.text.startswith("Nepgemeente") for p in word.paragraphs)


@pytest.mark.parametrize("where, base", NOTE_PLACES, ids=[p[0] for p in NOTE_PLACES])
def test_the_adviesnota_keeps_its_structure_too(where, base):
    plain = _plain(base, where)
    plain_md = adviesnota(advise(plain, DAY), "md", intent=parse_intent(plain)).decode()
    for value in [v for v in HOSTILE if where != "sector" or len(v) <= 60]:  # a sector has at most 60
        intent = placed(base, where, value)
        md = adviesnota(advise(intent, DAY), "md", intent=parse_intent(intent)).decode("utf-8")
        assert md_structure(md) == md_structure(plain_md), value
        assert not any(c in md for c in ACTING), value


def test_the_adviesnota_in_word_and_a_pdf_draft_take_control_characters(tmp_path, capsys):
    import json
    intent = placed(SPORT, "name", "Sport\x1b[31m\ufffe\x00\u202e regio")
    path = tmp_path / "stuur.json"
    path.write_text(json.dumps(intent), encoding="utf-8")
    for args in (["advise", path, "--format", "docx", "-o", tmp_path / "nota.docx"],
                 ["draft", path, "--format", "docx", "-o", tmp_path / "ontwerp.docx"],
                 ["draft", path, "--format", "pdf", "-o", tmp_path / "ontwerp.pdf"],
                 ["draft", path, "--check", "-o", tmp_path / "ontwerp.md"]):
        code = main([str(a) for a in args])
        err = capsys.readouterr().err
        assert code == 0 and "interne fout" not in err, err
    assert (tmp_path / "ontwerp.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("text, shown", [
    ("\x1b[31m", "\\u001b[31m"), ("a\ufffeb", "a\\ufffeb"), ("a\x00", "a\\u0000"), ("\u202e", "\\u202e"),
    ("a\r\nb", "a\nb"), ("a\rb", "a\\u000db"), ("tab\tok\n", "tab\tok\n"), ("é ß 日本", "é ß 日本"),
])
def test_visible_shows_acting_characters_as_escapes(text, shown):
    assert visible(text) == shown and visible(visible(text)) == visible(text)


def test_md_text_is_one_run_of_text():
    assert md_text("Affligem\n2. Nep") == "Affligem 2. Nep"
    assert md_text("1. Evil") == "1\\. Evil" and md_text("- x") == "\\- x" and md_text("# x") == "\\# x"
    assert "\n" not in md_text("a\n\n===\nb")
